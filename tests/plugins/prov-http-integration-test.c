/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The http and https plugins against a real nginx (STYLE.md 8): the
 * harness writes a configuration for loopback high ports, certificates
 * made with openssl at test time, an htpasswd made with `openssl passwd`,
 * profiles encoded with `gzip` and `openssl enc`; starts
 * `nginx -c CONF -p PREFIX -g 'daemon off;'`, waits until every port
 * accepts a connection, and stops it by its PID. The access log is read
 * back to see what the devices' server sees. Without nginx or openssl the
 * test is skipped (exit 77).
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../prov-test-file-wait.h"
#include "prov-decode-pipeline.h"
#include "prov-error.h"
#include "prov-plugin-loader.h"
#include "prov-tls-database.h"
#include "prov-tls.h"

PROV_PLUGIN_DECLARE(http);
PROV_PLUGIN_DECLARE(https);
PROV_PLUGIN_DECLARE(gzip);
PROV_PLUGIN_DECLARE(aes);

/* reference 8.3.1 */
#define PROV_IT_BASIC "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n"
/* reference 6.2.2, the mpp default for the fixture of reference 11 */
#define PROV_IT_USER_AGENT "Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)"
#define PROV_IT_KEY	   "an integration passphrase"
#define PROV_IT_PASSWORD   "pr0v#[pass]"
#define PROV_IT_BIG_SIZE   (100 * 1024)

typedef enum {
	PROV_IT_PORT_HTTP,
	PROV_IT_PORT_HTTPS,
	PROV_IT_PORT_EXPIRED,
	PROV_IT_PORT_WRONGHOST,
	PROV_IT_PORT_UNKNOWN,
	PROV_IT_PORT_FUTURE,
	PROV_IT_PORT_CLIENT,
	PROV_IT_PORT_LAST
} ProvItPort;

static gchar *prov_it_dir = NULL;
static guint16 prov_it_ports[PROV_IT_PORT_LAST];
static GPid prov_it_nginx = 0;
static ProvPluginLoader *prov_it_loader = NULL;
static gboolean prov_it_has_echo = FALSE;

/* a raw upstream for nginx that dies in the middle of its body */
static GSocketService *prov_it_upstream = NULL;
static guint16 prov_it_upstream_port = 0;

static gchar *
prov_it_path(const gchar *name)
{
	return g_build_filename(prov_it_dir, name, NULL);
}

static void
prov_it_sh(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static void
prov_it_sh(const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *command = NULL;
	g_autofree gchar *errors = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {"/bin/sh", "-ec", NULL, NULL};
	gint status = 0;

	va_start(args, format);
	command = g_strdup_vprintf(format, args);
	va_end(args);
	argv[2] = command;
	g_assert_true(g_spawn_sync(prov_it_dir, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   NULL, &errors, &status, &error));
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_printerr("%s: %s\n", command, errors);
	g_assert_true(g_spawn_check_wait_status(status, &error));
}

static guint16
prov_it_free_port(GPtrArray *holders)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;
	GSocket *socket;

	socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	/* held until all ports are picked, so that none is picked twice */
	g_ptr_array_add(holders, socket);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

static gboolean
prov_it_upstream_cb(GSocketService *service,
		    GSocketConnection *connection,
		    GObject *source,
		    gpointer user_data)
{
	static const gchar response[] =
	    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n<flat-profile>";
	GInputStream *input = g_io_stream_get_input_stream(G_IO_STREAM(connection));
	GOutputStream *output = g_io_stream_get_output_stream(G_IO_STREAM(connection));
	gchar buffer[4096];

	/* nginx sends a small request at once: reading it blocks for a moment at most */
	g_input_stream_read(input, buffer, sizeof(buffer), NULL, NULL);
	g_output_stream_write_all(output, response, strlen(response), NULL, NULL, NULL);
	g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
	return TRUE;
}

static void
prov_it_write(const gchar *name, const gchar *contents, gssize length)
{
	g_autofree gchar *path = prov_it_path(name);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents_full(path, contents, length, G_FILE_SET_CONTENTS_NONE,
					       0644, &error));
	g_assert_no_error(error);
}

static gboolean
prov_it_nginx_has(const gchar *text)
{
	g_autofree gchar *output = NULL;
	g_autofree gchar *errors = NULL;
	const gchar *argv[] = {"nginx", "-V", NULL};

	if (!g_spawn_sync(NULL, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output,
			  &errors, NULL, NULL))
		return FALSE;
	return strstr(errors, text) != NULL || strstr(output, text) != NULL;
}

static void
prov_it_write_config(void)
{
	GString *conf = g_string_new(NULL);
	const gchar *temp_paths[] = {"client_body", "proxy", "fastcgi", "scgi", "uwsgi"};
	const struct {
		ProvItPort port;
		const gchar *cert;
	} tls_servers[] = {
	    {PROV_IT_PORT_HTTPS, "server"},	   {PROV_IT_PORT_EXPIRED, "expired"},
	    {PROV_IT_PORT_WRONGHOST, "wronghost"}, {PROV_IT_PORT_UNKNOWN, "unknown"},
	    {PROV_IT_PORT_FUTURE, "future"},	   {PROV_IT_PORT_CLIENT, "server"},
	};

	if (prov_it_has_echo)
		g_string_append(conf,
				"load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;\n");
	/* as root, workers would drop to nobody, who cannot read the test's files */
	if (geteuid() == 0)
		g_string_append(conf, "user root;\n");
	g_string_append_printf(
	    conf,
	    "worker_processes 1;\n"
	    "error_log %s/error.log info;\n"
	    "events { worker_connections 64; }\n"
	    "http {\n"
	    "  default_type text/plain;\n"
	    "  log_format prov '$server_port \"$request\" $status "
	    "\"$http_user_agent\" \"$ssl_client_s_dn\" \"$http_if_none_match\"';\n"
	    "  access_log %s/access.log prov;\n",
	    prov_it_dir, prov_it_dir);
	for (guint i = 0; i < G_N_ELEMENTS(temp_paths); i++) {
		g_autofree gchar *option = g_strdup_printf(
		    "--http-%s-temp-path",
		    g_str_equal(temp_paths[i], "client_body") ? "client-body" : temp_paths[i]);

		if (prov_it_nginx_has(option))
			g_string_append_printf(conf, "  %s_temp_path %s/tmp-%s;\n", temp_paths[i],
					       prov_it_dir, temp_paths[i]);
	}
	/* S-10: the profile is built from the client certificate's subject (reference 6.3.2) */
	g_string_append(conf, "  map $ssl_client_s_dn $prov_ou { \"~(^|,)OU=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n"
			      "  map $ssl_client_s_dn $prov_l { \"~(^|,)L=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n"
			      "  map $ssl_client_s_dn $prov_st { \"~(^|,)ST=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n");
	g_string_append_printf(
	    conf,
	    "  server {\n"
	    "    listen 127.0.0.1:%u;\n"
	    "    root %s/htdocs;\n"
	    "    location /auth/ { auth_basic provisioning; auth_basic_user_file %s/htpasswd; }\n"
	    "    location = /hop6 { return 302 /hop5; }\n"
	    "    location = /hop5 { return 301 /hop4; }\n"
	    "    location = /hop4 { return 302 /hop3; }\n"
	    "    location = /hop3 { return 307 /hop2; }\n"
	    "    location = /hop2 { return 308 /hop1; }\n"
	    "    location = /hop1 { return 302 /basic.txt; }\n"
	    "    location = /to-tftp { return 302 tftp://127.0.0.1/basic.txt; }\n"
	    "    location = /to-file { return 302 file:///etc/passwd; }\n"
	    "    location = /to-https { return 302 https://localhost:%u/basic.txt; }\n"
	    "    location = /gone.cfg { return 410; }\n"
	    "    location = /truncated.cfg { proxy_pass http://127.0.0.1:%u; }\n"
	    "    location /slow/ { alias %s/htdocs/; limit_rate 1k; }\n"
	    "    location /reports/ { dav_methods PUT; create_full_put_path on; }\n",
	    prov_it_ports[PROV_IT_PORT_HTTP], prov_it_dir, prov_it_dir,
	    prov_it_ports[PROV_IT_PORT_HTTPS], prov_it_upstream_port, prov_it_dir);
	if (prov_it_has_echo)
		g_string_append(conf, "    location = /chunked.cfg { echo -n '<flat-profile>\\n'; "
				      "echo_flush; echo -n '  <GPP_A> 12345678\\n  </GPP_A>\\n'; "
				      "echo_flush; echo -n '</flat-profile>\\n'; }\n"
				      "    location = /post { echo_read_request_body; "
				      "echo -n \"$request_method $request_body\"; }\n");
	g_string_append(conf, "  }\n");
	for (guint i = 0; i < G_N_ELEMENTS(tls_servers); i++) {
		g_string_append_printf(conf,
				       "  server {\n"
				       "    listen 127.0.0.1:%u ssl;\n"
				       "    ssl_certificate %s/certs/%s.pem;\n"
				       "    ssl_certificate_key %s/certs/%s.key;\n"
				       "    root %s/htdocs;\n",
				       prov_it_ports[tls_servers[i].port], prov_it_dir,
				       tls_servers[i].cert, prov_it_dir, tls_servers[i].cert,
				       prov_it_dir);
		if (tls_servers[i].port == PROV_IT_PORT_HTTPS)
			g_string_append(conf, "    location = /to-http { return 302 "
					      "http://127.0.0.1/basic.txt; }\n"
					      "    location /reports/ { dav_methods PUT; "
					      "create_full_put_path on; }\n");
		if (tls_servers[i].port == PROV_IT_PORT_CLIENT)
			g_string_append_printf(
			    conf,
			    "    ssl_verify_client on;\n"
			    "    ssl_client_certificate %s/certs/client-ca.pem;\n"
			    "    location = /cgi-bin/reflect.pl { return 200 "
			    "\"<flat-profile><GPP_D>OU=$prov_ou,\\nL=$prov_l,\\nS=$prov_st\\n"
			    "</GPP_D></flat-profile>\\n\"; }\n",
			    prov_it_dir);
		g_string_append(conf, "  }\n");
	}
	g_string_append(conf, "}\n");
	prov_it_write("nginx.conf", conf->str, (gssize)conf->len);
	g_string_free(conf, TRUE);
}

/*
 * nginx writes its pid file after it has bound every listening socket, so
 * its appearance means ready; bounded at 10 s, after which a dead nginx is
 * told apart from a slow one
 */
static gboolean
prov_it_wait_ready(void)
{
	g_autofree gchar *pid_file = prov_it_path("nginx.pid");
	g_autofree gchar *found = prov_test_wait_file(pid_file, NULL, 10 * 1000);
	gint status = 0;

	if (found == NULL) {
		if (waitpid(prov_it_nginx, &status, WNOHANG) == prov_it_nginx)
			prov_it_nginx = 0;
		return FALSE;
	}
	for (guint i = 0; i < PROV_IT_PORT_LAST; i++) {
		g_autoptr(GSocketClient) client = g_socket_client_new();
		g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host(
		    client, "127.0.0.1", prov_it_ports[i], NULL, NULL);

		if (connection == NULL)
			return FALSE;
	}
	return TRUE;
}

static void
prov_it_stop_nginx(void)
{
	gint status = 0;

	if (prov_it_nginx == 0)
		return;
	kill(prov_it_nginx, SIGTERM);
	while (waitpid(prov_it_nginx, &status, 0) < 0 && errno == EINTR)
		;
	g_spawn_close_pid(prov_it_nginx);
	prov_it_nginx = 0;
}

/* a test that aborts must not leave nginx behind */
static void
prov_it_nginx_child_setup(gpointer user_data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
prov_it_start_nginx(void)
{
	g_autofree gchar *conf = prov_it_path("nginx.conf");
	g_autofree gchar *globals = g_strdup_printf("daemon off; pid %s/nginx.pid;", prov_it_dir);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *pid_file = prov_it_path("nginx.pid");
	const gchar *argv[] = {"nginx", "-c", conf, "-p", prov_it_dir, "-g", globals, NULL};

	/* its appearance is the readiness signal (prov_it_wait_ready) */
	g_unlink(pid_file);
	if (!g_spawn_async(prov_it_dir, (gchar **)argv, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
			   prov_it_nginx_child_setup, NULL, &prov_it_nginx, &error)) {
		g_printerr("cannot start nginx: %s\n", error->message);
		return FALSE;
	}
	if (!prov_it_wait_ready()) {
		g_autofree gchar *log_path = prov_it_path("error.log");
		g_autofree gchar *log = NULL;

		g_file_get_contents(log_path, &log, NULL, NULL);
		g_printerr("nginx did not start:\n%s\n", log != NULL ? log : "");
		prov_it_stop_nginx();
		return FALSE;
	}
	return TRUE;
}

static gboolean
prov_it_set_up(void)
{
	g_autoptr(GPtrArray) holders = g_ptr_array_new_with_free_func(g_object_unref);
	g_autofree gchar *script = NULL;
	g_autofree gchar *big = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	const gchar *tools[] = {"openssl", "gzip", "nginx"};

	for (guint i = 0; i < G_N_ELEMENTS(tools); i++) {
		g_autofree gchar *found = g_find_program_in_path(tools[i]);

		if (found == NULL) {
			g_printerr("SKIP: %s is not installed\n", tools[i]);
			return FALSE;
		}
	}
	if (!g_tls_backend_supports_tls(g_tls_backend_get_default())) {
		g_printerr("SKIP: no TLS backend (glib-networking)\n");
		return FALSE;
	}
	prov_it_dir = g_dir_make_tmp("prov-http-it-XXXXXX", &error);
	g_assert_no_error(error);
	/* nginx's workers read the files */
	g_assert_cmpint(g_chmod(prov_it_dir, 0755), ==, 0);
	script = g_test_build_filename(G_TEST_DIST, "plugins", "make-tls-certs", NULL);
	prov_it_sh("'%s' certs", script);
	prov_it_sh("mkdir -p htdocs/auth htdocs/reports");
	prov_it_write("htdocs/basic.txt", PROV_IT_BASIC, -1);
	prov_it_write("htdocs/auth/basic.txt", PROV_IT_BASIC, -1);
	big = g_strnfill(PROV_IT_BIG_SIZE, 'x');
	prov_it_write("htdocs/big.bin", big, PROV_IT_BIG_SIZE);
	/* R29: profiles written by the tools a provisioning server uses */
	prov_it_sh("gzip -9 -n -c htdocs/basic.txt >htdocs/basic.cfg.gz");
	prov_it_sh("openssl enc -aes-256-cbc -pbkdf2 -salt -k '%s' -in htdocs/basic.cfg.gz "
		   "-out htdocs/basic.cfg.gz.enc",
		   PROV_IT_KEY);
	prov_it_sh("printf 'device:%%s\\n' \"$(openssl passwd -apr1 '%s')\" >htpasswd",
		   PROV_IT_PASSWORD);
	prov_it_sh("chmod -R a+rX htdocs htpasswd && chmod a+rwx htdocs/reports");

	prov_it_upstream = g_socket_service_new();
	g_assert_true(g_socket_listener_add_address(G_SOCKET_LISTENER(prov_it_upstream), any,
						    G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
						    NULL, &bound, &error));
	prov_it_upstream_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_signal_connect(prov_it_upstream, "incoming", G_CALLBACK(prov_it_upstream_cb), NULL);
	g_socket_service_start(prov_it_upstream);

	for (guint i = 0; i < PROV_IT_PORT_LAST; i++)
		prov_it_ports[i] = prov_it_free_port(holders);
	g_ptr_array_set_size(holders, 0);
	prov_it_has_echo =
	    g_file_test("/usr/lib/nginx/modules/ngx_http_echo_module.so", G_FILE_TEST_EXISTS);
	prov_it_write_config();
	if (!prov_it_start_nginx())
		return FALSE;

	prov_it_loader = prov_plugin_loader_new();
	g_assert_true(
	    prov_plugin_loader_add_static(prov_it_loader, PROV_PLUGIN_DESCRIPTOR(http), &error));
	g_assert_true(
	    prov_plugin_loader_add_static(prov_it_loader, PROV_PLUGIN_DESCRIPTOR(https), &error));
	g_assert_true(
	    prov_plugin_loader_add_static(prov_it_loader, PROV_PLUGIN_DESCRIPTOR(gzip), &error));
	g_assert_true(
	    prov_plugin_loader_add_static(prov_it_loader, PROV_PLUGIN_DESCRIPTOR(aes), &error));
	g_assert_no_error(error);
	return TRUE;
}

static void
prov_it_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
			prov_it_remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
prov_it_tear_down(void)
{
	prov_it_stop_nginx();
	if (prov_it_upstream != NULL) {
		g_socket_service_stop(prov_it_upstream);
		g_socket_listener_close(G_SOCKET_LISTENER(prov_it_upstream));
		g_clear_object(&prov_it_upstream);
	}
	g_clear_object(&prov_it_loader);
	if (prov_it_dir != NULL)
		prov_it_remove_tree(prov_it_dir);
	g_clear_pointer(&prov_it_dir, g_free);
}

/* the device's context: its User-Agent, and the test CA as custom CA (reference 9.3) */
static ProvFetchContext *
prov_it_context_new(void)
{
	ProvFetchContext *ctx = prov_fetch_context_new();
	g_autofree gchar *ca_file = prov_it_path("certs/ca.pem");
	const gchar *anchors[] = {ca_file, NULL};
	g_autoptr(ProvTlsDatabase) database = NULL;
	g_autoptr(GError) error = NULL;

	database = prov_tls_database_new(anchors, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_database(ctx, G_TLS_DATABASE(database));
	prov_fetch_context_set_user_agent(ctx, PROV_IT_USER_AGENT);
	prov_fetch_context_set_timeout(ctx, 20);
	return ctx;
}

static void
prov_it_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

static GBytes *
prov_it_fetch(const gchar *url, ProvFetchContext *ctx, GError **error)
{
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error_local = NULL;

	g_assert_nonnull(uri);
	transport = prov_plugin_loader_create_transport(prov_it_loader, g_uri_get_scheme(uri),
							&error_local);
	g_assert_no_error(error_local);
	prov_transport_fetch_async(transport, uri, ctx, NULL, prov_it_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return prov_transport_fetch_finish(transport, result, error);
}

static gchar *
prov_it_url(ProvItPort port, const gchar *host, const gchar *path)
{
	return g_strdup_printf("%s://%s:%u%s", port == PROV_IT_PORT_HTTP ? "http" : "https", host,
			       prov_it_ports[port], path);
}

static void
prov_it_assert_basic(GBytes *bytes)
{
	g_assert_nonnull(bytes);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), PROV_IT_BASIC,
			strlen(PROV_IT_BASIC));
}

/*
 * nginx writes its log line once the response is out, so just after the
 * client is done: wait, bounded, for the line that is expected
 */
static gchar *
prov_it_wait_log_line(const gchar *needle)
{
	g_autofree gchar *path = prov_it_path("access.log");
	gchar *line = prov_test_wait_file(path, needle, 5 * 1000);

	if (line == NULL) {
		g_autofree gchar *log = NULL;

		g_file_get_contents(path, &log, NULL, NULL);
		g_test_message("no \"%s\" in the access log:\n%s", needle, log);
	}
	return line;
}

/* in place: nginx keeps the file open and appends to it */
static void
prov_it_truncate_log(void)
{
	g_autofree gchar *path = prov_it_path("access.log");

	g_assert_cmpint(truncate(path, 0), ==, 0);
}

/* S-5: HTTP GET resync; nginx's access log shows maker, product, firmware version and serial */
static void
prov_it_test_s5(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/basic.txt");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *line = NULL;

	prov_it_truncate_log();
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(bytes);
	g_assert_cmpstr(prov_fetch_context_get_final_uri(ctx), ==, url);
	line = prov_it_wait_log_line("\"GET /basic.txt HTTP/1.1\" 200");
	g_assert_nonnull(line);
	g_test_message("access log: %s", line);
	g_assert_nonnull(strstr(line, "\"" PROV_IT_USER_AGENT "\""));
	/* maker, product, firmware version, MAC and serial (reference 6.2.2) */
	g_assert_nonnull(strstr(line, "Cisco"));
	g_assert_nonnull(strstr(line, "ATA192-MPP"));
	g_assert_nonnull(strstr(line, "/11.0"));
	g_assert_nonnull(strstr(line, "000e08abcdef"));
	g_assert_nonnull(strstr(line, "88012BA01234"));
}

/* reference 6.2.3 with nginx's auth_basic and an htpasswd from openssl passwd */
static void
prov_it_test_basic_auth(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/auth/basic.txt");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *line = NULL;

	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
	g_clear_error(&error);
	prov_fetch_context_set_credentials(ctx, "device", "wrong");
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
	g_assert_null(strstr(error->message, "wrong"));
	g_clear_error(&error);

	prov_it_truncate_log();
	prov_fetch_context_set_credentials(ctx, "device", PROV_IT_PASSWORD);
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(bytes);
	line = prov_it_wait_log_line("\"GET /auth/basic.txt HTTP/1.1\" 200");
	g_assert_nonnull(line);
}

/* R37: five redirects of every kind are followed, a sixth is refused, as is another scheme */
static void
prov_it_test_redirects(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *five = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/hop5");
	g_autofree gchar *six = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/hop6");
	g_autofree gchar *final = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/basic.txt");
	g_autofree gchar *upgrade = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/to-https");
	g_autofree gchar *upgraded = prov_it_url(PROV_IT_PORT_HTTPS, "localhost", "/basic.txt");
	g_autofree gchar *downgrade = prov_it_url(PROV_IT_PORT_HTTPS, "localhost", "/to-http");
	const gchar *refused[] = {"/to-tftp", "/to-file"};
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	bytes = prov_it_fetch(five, ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(bytes);
	g_assert_cmpstr(prov_fetch_context_get_final_uri(ctx), ==, final);
	g_clear_pointer(&bytes, g_bytes_unref);

	bytes = prov_it_fetch(six, ctx, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
	g_assert_null(bytes);
	g_clear_error(&error);

	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", refused[i]);

		bytes = prov_it_fetch(url, ctx, &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
		g_clear_error(&error);
	}
	bytes = prov_it_fetch(downgrade, ctx, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
	g_clear_error(&error);

	/* reference 6.2.4: http to https only adds protection, and is followed */
	bytes = prov_it_fetch(upgrade, ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(bytes);
	g_assert_cmpstr(prov_fetch_context_get_final_uri(ctx), ==, upgraded);
}

/* reference 5.4: 404 and 410 are "file not found" */
static void
prov_it_test_not_found(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	const gchar *paths[] = {"/missing.cfg", "/gone.cfg"};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", paths[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = prov_it_fetch(url, ctx, &error);

		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
	}
}

/* reference 6.2.1: the second resync of an unchanged profile costs a 304 */
static void
prov_it_test_not_modified(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/basic.txt");
	g_autofree gchar *cache = prov_it_path("cache");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autoptr(GBytes) second = NULL;
	g_autofree gchar *line = NULL;

	prov_fetch_context_set_cache_directory(ctx, cache);
	first = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	g_assert_false(prov_fetch_context_get_not_modified(ctx));
	prov_it_truncate_log();
	second = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	g_assert_true(prov_fetch_context_get_not_modified(ctx));
	g_assert_true(g_bytes_equal(first, second));
	line = prov_it_wait_log_line("\"GET /basic.txt HTTP/1.1\" 304");
	g_assert_nonnull(line);
	g_test_message("access log: %s", line);
}

/* R36: nginx passes on a body its upstream cut short */
static void
prov_it_test_truncated(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/truncated.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	bytes = prov_it_fetch(url, ctx, &error);
	g_test_message("%s", error != NULL ? error->message : "no error");
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TRUNCATED);
	g_assert_null(bytes);
}

/* reference 6.2.1: a chunked body (nginx's echo module) */
static void
prov_it_test_chunked(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/chunked.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (!prov_it_has_echo) {
		g_test_skip("nginx has no echo module");
		return;
	}
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(bytes);
}

/* reference 4.2: --post sends the expanded GPP_x as the body */
static void
prov_it_test_post(void)
{
	static const gchar body[] = "Product = \"ATA192-MPP\"; MAC_Addr = \"000e08abcdef\";";
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/post");
	g_autoptr(GBytes) post = g_bytes_new_static(body, strlen(body));
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *text = NULL;

	if (!prov_it_has_echo) {
		g_test_skip("nginx has no echo module");
		return;
	}
	prov_fetch_context_set_post_body(ctx, post);
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	text = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_assert_cmpstr(text, ==, "POST Product = \"ATA192-MPP\"; MAC_Addr = \"000e08abcdef\";");
}

/* R35: nginx dripping at 1 KiB/s is cut off by the deadline, not let run for 100 s */
static void
prov_it_test_deadline(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/slow/big.bin");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 elapsed;

	prov_fetch_context_set_timeout(ctx, 2);
	prov_fetch_context_set_inactivity_timeout(ctx, 30);
	bytes = prov_it_fetch(url, ctx, &error);
	elapsed = g_get_monotonic_time() - start;
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	g_assert_cmpint(elapsed, >=, 2 * G_USEC_PER_SEC);
	g_assert_cmpint(elapsed, <, 6 * G_USEC_PER_SEC);
}

/* R17: the cap against a real server's Content-Length */
static void
prov_it_test_size_cap(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/big.bin");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	prov_fetch_context_set_size_max(ctx, PROV_IT_BIG_SIZE - 1);
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_null(bytes);
}

/* S-12, S-13: a gzip profile encrypted with openssl enc, served and decoded end to end */
static void
prov_it_test_decode(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autoptr(ProvDecodeContext) decode_ctx = prov_decode_context_new();
	g_autoptr(ProvDecodePipeline) pipeline =
	    prov_decode_pipeline_new_from_loader(prov_it_loader);
	g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTPS, "localhost", "/basic.cfg.gz.enc");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) decoded = NULL;

	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	prov_decode_context_set_key(decode_ctx, PROV_IT_KEY, -1);
	decoded = prov_decode_pipeline_decode(pipeline, bytes, decode_ctx, &error);
	g_assert_no_error(error);
	prov_it_assert_basic(decoded);
	g_assert_cmpstrv(prov_decode_context_get_formats(decode_ctx),
			 ((const gchar *[]){"aes", "gzip", NULL}));
}

/* S-8: the server's certificate chains to the custom CA; by name and by address */
static void
prov_it_test_s8(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	const gchar *hosts[] = {"localhost", "127.0.0.1"};

	for (guint i = 0; i < G_N_ELEMENTS(hosts); i++) {
		g_autofree gchar *url = prov_it_url(PROV_IT_PORT_HTTPS, hosts[i], "/basic.txt");
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = prov_it_fetch(url, ctx, &error);

		g_assert_no_error(error);
		prov_it_assert_basic(bytes);
	}
}

/* S-8 negatives, R38, R39: every refusal with its own error, and nothing fetched */
static void
prov_it_test_refused(void)
{
	static const struct {
		ProvItPort port;
		ProvError code;
	} cases[] = {
	    {PROV_IT_PORT_EXPIRED, PROV_ERROR_TLS_EXPIRED},
	    {PROV_IT_PORT_WRONGHOST, PROV_ERROR_TLS_WRONG_HOST},
	    {PROV_IT_PORT_UNKNOWN, PROV_ERROR_TLS_UNKNOWN_CA},
	    {PROV_IT_PORT_FUTURE, PROV_ERROR_TLS_CLOCK_NOT_SET},
	};
	g_autoptr(ProvFetchContext) system_only = prov_fetch_context_new();
	g_autofree gchar *good = prov_it_url(PROV_IT_PORT_HTTPS, "localhost", "/basic.txt");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
		g_autofree gchar *url = prov_it_url(cases[i].port, "localhost", "/basic.txt");

		prov_it_truncate_log();
		bytes = prov_it_fetch(url, ctx, &error);
		g_test_message("%s", error != NULL ? error->message : "no error");
		g_assert_error(error, PROV_ERROR, (gint)cases[i].code);
		g_assert_null(bytes);
		g_clear_error(&error);
	}
	/* a CA that is not in the configured bundle is unknown: the system's roots alone refuse */
	bytes = prov_it_fetch(good, system_only, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TLS_UNKNOWN_CA);
}

/* R30, S-9, S-10: the client certificate is the access control, and the profile reflects it */
static void
prov_it_test_client_certificate(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url =
	    prov_it_url(PROV_IT_PORT_CLIENT, "localhost", "/cgi-bin/reflect.pl?");
	g_autofree gchar *cert_file = prov_it_path("certs/device.pem");
	g_autofree gchar *key_file = prov_it_path("certs/device.key");
	g_autofree gchar *stranger_cert = prov_it_path("certs/stranger.pem");
	g_autofree gchar *stranger_key = prov_it_path("certs/stranger.key");
	g_autoptr(GTlsCertificate) device = NULL;
	g_autoptr(GTlsCertificate) stranger = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *line = NULL;
	g_autofree gchar *text = NULL;

	device = prov_tls_certificate_new_from_files(cert_file, key_file, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_certificate(ctx, device);
	prov_it_truncate_log();
	bytes = prov_it_fetch(url, ctx, &error);
	g_assert_no_error(error);
	text = g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
	g_assert_cmpstr(text, ==,
			"<flat-profile><GPP_D>OU=ATA192-MPP,\nL=88012BA01234,\nS=000e08abcdef\n"
			"</GPP_D></flat-profile>\n");
	/* reference 6.2.1: the trailing '?' of the request target is kept */
	line = prov_it_wait_log_line("\"GET /cgi-bin/reflect.pl? HTTP/1.1\" 200");
	g_assert_nonnull(line);
	g_test_message("access log: %s", line);
	g_clear_pointer(&bytes, g_bytes_unref);
	g_clear_pointer(&line, g_free);

	/* the identical request without the certificate is denied */
	prov_fetch_context_set_tls_certificate(ctx, NULL);
	bytes = prov_it_fetch(url, ctx, &error);
	g_test_message("without: %s", error != NULL ? error->message : "no error");
	g_assert_nonnull(error);
	g_assert_null(bytes);
	g_clear_error(&error);
	line = prov_it_wait_log_line("\"GET /cgi-bin/reflect.pl? HTTP/1.1\" 400");
	g_assert_nonnull(line);
	g_clear_pointer(&line, g_free);

	/* and so is one with a certificate from another CA */
	stranger = prov_tls_certificate_new_from_files(stranger_cert, stranger_key, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_certificate(ctx, stranger);
	prov_it_truncate_log();
	bytes = prov_it_fetch(url, ctx, &error);
	g_test_message("stranger: %s", error != NULL ? error->message : "no error");
	g_assert_nonnull(error);
	g_assert_null(bytes);
}

/* reference 9.1: Report_Rule uploads with PUT, over https, into nginx's WebDAV */
static void
prov_it_test_upload(void)
{
	static const gchar report[] = "<flat-profile><GPP_A>12345678</GPP_A></flat-profile>\n";
	g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
	g_autofree gchar *url =
	    prov_it_url(PROV_IT_PORT_HTTPS, "localhost", "/reports/000e08abcdef.xml");
	g_autofree gchar *stored = prov_it_path("htdocs/reports/000e08abcdef.xml");
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	g_autoptr(GBytes) data = g_bytes_new_static(report, strlen(report));
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;

	transport = prov_plugin_loader_create_transport(prov_it_loader, "https", &error);
	g_assert_no_error(error);
	prov_fetch_context_set_upload_method(ctx, "PUT");
	prov_fetch_context_set_content_type(ctx, "application/xml");
	prov_transport_upload_async(transport, uri, ctx, data, NULL, prov_it_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	prov_transport_upload_finish(transport, result, &error);
	g_assert_no_error(error);
	g_assert_true(g_file_get_contents(stored, &contents, NULL, &error));
	g_assert_cmpstr(contents, ==, report);
}

/* the figure for the closing note: a 100 KiB fetch over http and https */
static void
prov_it_test_measure(void)
{
	const ProvItPort ports[] = {PROV_IT_PORT_HTTP, PROV_IT_PORT_HTTPS};
	const guint rounds = 20;

	for (guint i = 0; i < G_N_ELEMENTS(ports); i++) {
		g_autoptr(ProvFetchContext) ctx = prov_it_context_new();
		g_autofree gchar *url = prov_it_url(ports[i], "localhost", "/big.bin");
		gint64 start = g_get_monotonic_time();
		gint64 elapsed;

		for (guint round = 0; round < rounds; round++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = prov_it_fetch(url, ctx, &error);

			g_assert_no_error(error);
			g_assert_cmpuint(g_bytes_get_size(bytes), ==, PROV_IT_BIG_SIZE);
		}
		elapsed = g_get_monotonic_time() - start;
		g_test_message(
		    "100 KiB over %s: %.2f ms per fetch (mean of %u, new connection each)",
		    i == 0 ? "http" : "https", elapsed / 1000.0 / rounds, rounds);
	}
}

int
main(int argc, char **argv)
{
	gint result;

	g_test_init(&argc, &argv, NULL);
	if (!prov_it_set_up()) {
		prov_it_tear_down();
		return 77;
	}
	g_test_add_func("/prov/http-integration/s5-user-agent", prov_it_test_s5);
	g_test_add_func("/prov/http-integration/basic-auth", prov_it_test_basic_auth);
	g_test_add_func("/prov/http-integration/redirects", prov_it_test_redirects);
	g_test_add_func("/prov/http-integration/not-found", prov_it_test_not_found);
	g_test_add_func("/prov/http-integration/not-modified", prov_it_test_not_modified);
	g_test_add_func("/prov/http-integration/truncated", prov_it_test_truncated);
	g_test_add_func("/prov/http-integration/chunked", prov_it_test_chunked);
	g_test_add_func("/prov/http-integration/post", prov_it_test_post);
	g_test_add_func("/prov/http-integration/deadline", prov_it_test_deadline);
	g_test_add_func("/prov/http-integration/size-cap", prov_it_test_size_cap);
	g_test_add_func("/prov/http-integration/decode", prov_it_test_decode);
	g_test_add_func("/prov/http-integration/s8", prov_it_test_s8);
	g_test_add_func("/prov/http-integration/refused", prov_it_test_refused);
	g_test_add_func("/prov/http-integration/client-certificate",
			prov_it_test_client_certificate);
	g_test_add_func("/prov/http-integration/upload", prov_it_test_upload);
	g_test_add_func("/prov/http-integration/measure", prov_it_test_measure);
	result = g_test_run();
	prov_it_tear_down();
	return result;
}
