/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * How the real parts start, and how the test knows they are ready without
 * sleeping:
 *
 * - dbus-daemon from a generated config with a unix socket in the temp
 *   directory, --nofork --print-address=1: the address line on its standard
 *   output means it listens.
 * - tftpd-hpa in inetd mode: the test binds the UDP socket itself and hands
 *   it over as standard input, so the port is ready before the server runs,
 *   and a restart keeps the port.
 * - nginx with -g 'daemon off; pid FILE;': it writes the pid file once every
 *   listening socket is bound (a GFileMonitor wakes the test), then each
 *   port is connected to once.
 * - provisiond: its bus name appears, owned by a connection whose process
 *   is the one just started (a name still held by a killed predecessor does
 *   not count).
 *
 * Everything is stopped by its PID; PR_SET_PDEATHSIG stops what the test
 * left behind when it aborts.
 */

#include "config.h"

#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../prov-test-file-wait.h"
#include "prov-integration-harness.h"

/* nobody on Debian: the unprivileged caller of R41 and R42 */
#define PROV_IT_NOBODY "65534"

typedef struct {
	gchar *dir;
	guint n_daemons;

	gchar *bus_address;
	GPid bus_pid;
	GDBusConnection *bus;

	gboolean has_tftp;
	guint16 tftp_port;
	GPid tftp_pid;

	guint16 ports[PROV_IT_PORT_LAST];
	GPid nginx_pid;
} ProvItGlobal;

static ProvItGlobal prov_it = {0};

/* ---- small helpers ---- */

static void
prov_it_child_setup(gpointer user_data)
{
	/* a test that aborts must not leave its servers behind */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
prov_it_deadline_cb(gpointer user_data)
{
	gboolean *expired = user_data;

	*expired = TRUE;
	return G_SOURCE_REMOVE;
}

gboolean
prov_it_wait_until(ProvItCondition condition, gpointer user_data, guint timeout_ms)
{
	gboolean expired = FALSE;
	gboolean done;
	guint deadline;

	if (condition(user_data))
		return TRUE;
	deadline = g_timeout_add(timeout_ms, prov_it_deadline_cb, &expired);
	while (!(done = condition(user_data)) && !expired)
		g_main_context_iteration(NULL, TRUE);
	if (!expired)
		g_source_remove(deadline);
	return done;
}

/* reaps a child, bounded; SIGKILL when it does not end in time */
typedef struct {
	GPid pid;
	gboolean exited;
	gint status;
} ProvItChild;

static void
prov_it_child_exited_cb(GPid pid, gint status, gpointer user_data)
{
	ProvItChild *child = user_data;

	child->exited = TRUE;
	child->status = status;
}

static gboolean
prov_it_child_is_done(gpointer user_data)
{
	return ((ProvItChild *)user_data)->exited;
}

static gint
prov_it_reap(GPid pid, gint signal_number, guint timeout_ms)
{
	ProvItChild child = {pid, FALSE, 0};

	if (signal_number != 0)
		kill(pid, signal_number);
	/* it removes itself once it has reported the exit */
	g_child_watch_add(pid, prov_it_child_exited_cb, &child);
	if (!prov_it_wait_until(prov_it_child_is_done, &child, timeout_ms)) {
		g_printerr("process %d did not end in %u ms: killing it\n", pid, timeout_ms);
		kill(pid, SIGKILL);
		prov_it_wait_until(prov_it_child_is_done, &child, PROV_IT_TIMEOUT_MS);
		g_assert_true(child.exited);
		child.status = -1;
	}
	g_spawn_close_pid(pid);
	return child.status;
}

gboolean
prov_it_is_root(void)
{
	return geteuid() == 0;
}

const gchar *
prov_it_get_dir(void)
{
	return prov_it.dir;
}

gchar *
prov_it_path(const gchar *relative)
{
	return g_build_filename(prov_it.dir, relative, NULL);
}

void
prov_it_write(const gchar *relative, const gchar *contents, gssize length)
{
	g_autofree gchar *path = prov_it_path(relative);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	/* world-readable: nginx's workers and tftpd (as nobody) serve it */
	g_assert_true(g_file_set_contents_full(path, contents, length, G_FILE_SET_CONTENTS_NONE,
					       0644, &error));
	g_assert_no_error(error);
}

void
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
	g_assert_true(g_spawn_sync(prov_it.dir, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   NULL, &errors, &status, &error));
	g_assert_no_error(error);
	if (!g_spawn_check_wait_status(status, NULL))
		g_printerr("%s: %s\n", command, errors);
	g_assert_true(g_spawn_check_wait_status(status, &error));
}

void
prov_it_publish(const gchar *name, const gchar *contents, gssize length)
{
	g_autofree gchar *relative = g_build_filename("srv", name, NULL);

	prov_it_write(relative, contents, length);
}

void
prov_it_unpublish(const gchar *name)
{
	g_autofree gchar *path = prov_it_served_path(name);

	g_unlink(path);
}

gchar *
prov_it_served_path(const gchar *name)
{
	return g_build_filename(prov_it.dir, "srv", name, NULL);
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

static gboolean
prov_it_have_program(const gchar *name)
{
	g_autofree gchar *found = g_find_program_in_path(name);

	if (found == NULL) {
		g_printerr("SKIP: %s is not installed\n", name);
		return FALSE;
	}
	return TRUE;
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

/* ---- dbus-daemon ---- */

typedef struct {
	gchar *line;
	gboolean done;
} ProvItLineRead;

static void
prov_it_line_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvItLineRead *read = user_data;

	read->line =
	    g_data_input_stream_read_line_finish(G_DATA_INPUT_STREAM(source), result, NULL, NULL);
	read->done = TRUE;
}

static gboolean
prov_it_line_read_is_done(gpointer user_data)
{
	return ((ProvItLineRead *)user_data)->done;
}

static gboolean
prov_it_start_bus(void)
{
	g_autofree gchar *socket_path = prov_it_path("bus/socket");
	g_autofree gchar *conf_path = prov_it_path("bus/bus.conf");
	g_autofree gchar *conf_arg = g_strconcat("--config-file=", conf_path, NULL);
	g_autofree gchar *conf = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) pipe = NULL;
	g_autoptr(GDataInputStream) lines = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	const gchar *argv[] = {"dbus-daemon", conf_arg, "--nofork", "--print-address=1", NULL};
	ProvItLineRead read = {NULL, FALSE};
	gint stdout_fd = -1;

	/*
	 * A bus like the system bus, except that anyone may connect, own and
	 * call: provisiond itself decides who may change what (R41). The
	 * socket directory is world-searchable so that nobody reaches it.
	 */
	conf = g_strdup_printf(
	    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
	    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
	    "<busconfig>\n"
	    "  <listen>unix:path=%s</listen>\n"
	    "  <auth>EXTERNAL</auth>\n"
	    "  <policy context=\"default\">\n"
	    "    <allow user=\"*\"/>\n"
	    "    <allow own=\"*\"/>\n"
	    "    <allow send_type=\"method_call\"/>\n"
	    "    <allow send_type=\"signal\"/>\n"
	    "    <allow send_requested_reply=\"true\" send_type=\"method_return\"/>\n"
	    "    <allow send_requested_reply=\"true\" send_type=\"error\"/>\n"
	    "    <allow receive_type=\"method_call\"/>\n"
	    "    <allow receive_type=\"signal\"/>\n"
	    "    <allow receive_requested_reply=\"true\" receive_type=\"method_return\"/>\n"
	    "    <allow receive_requested_reply=\"true\" receive_type=\"error\"/>\n"
	    "  </policy>\n"
	    "</busconfig>\n",
	    socket_path);
	prov_it_write("bus/bus.conf", conf, -1);
	if (!g_spawn_async_with_pipes(
		prov_it.dir, (gchar **)argv, NULL,
		G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
		prov_it_child_setup, NULL, &prov_it.bus_pid, NULL, &stdout_fd, NULL, &error)) {
		g_printerr("cannot start dbus-daemon: %s\n", error->message);
		return FALSE;
	}
	pipe = g_unix_input_stream_new(stdout_fd, TRUE);
	lines = g_data_input_stream_new(pipe);
	g_data_input_stream_read_line_async(lines, G_PRIORITY_DEFAULT, cancellable,
					    prov_it_line_read_cb, &read);
	if (!prov_it_wait_until(prov_it_line_read_is_done, &read, PROV_IT_TIMEOUT_MS)) {
		g_cancellable_cancel(cancellable);
		prov_it_wait_until(prov_it_line_read_is_done, &read, PROV_IT_TIMEOUT_MS);
	}
	if (read.line == NULL || read.line[0] == '\0') {
		g_printerr("dbus-daemon did not print its address\n");
		g_free(read.line);
		return FALSE;
	}
	prov_it.bus_address = g_strstrip(read.line);
	prov_it.bus = g_dbus_connection_new_for_address_sync(
	    prov_it.bus_address,
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL, NULL, &error);
	g_assert_no_error(error);
	g_dbus_connection_set_exit_on_close(prov_it.bus, FALSE);
	return TRUE;
}

GDBusConnection *
prov_it_get_bus(void)
{
	return prov_it.bus;
}

const gchar *
prov_it_get_bus_address(void)
{
	return prov_it.bus_address;
}

/* ---- tftpd-hpa ---- */

gboolean
prov_it_has_tftp(void)
{
	return prov_it.has_tftp;
}

gboolean
prov_it_skip_without_tftp(void)
{
	if (prov_it.has_tftp)
		return FALSE;
	/* tftpd-hpa chroots (-s), which needs root */
	g_test_skip("tftpd-hpa needs root");
	return TRUE;
}

void
prov_it_tftp_start(void)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *root = prov_it_path("srv");
	/*
	 * -t: the inetd-mode server ends after that long without a request;
	 * -u: as the test's own user, since a change of credentials would clear
	 * PR_SET_PDEATHSIG and an aborted test would leave the server behind
	 */
	const gchar *argv[] = {"in.tftpd", "-s", root, "-t", "900", "-u", g_get_user_name(), NULL};

	g_assert_cmpint(prov_it.tftp_pid, ==, 0);
	address = g_inet_socket_address_new(loopback, prov_it.tftp_port);
	socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
			      &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, address, FALSE, &error));
	g_assert_no_error(error);
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	prov_it.tftp_port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	/* inetd mode: the bound socket is the server's standard input */
	g_assert_true(g_spawn_async_with_fds(
	    prov_it.dir, (gchar **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
	    prov_it_child_setup, NULL, &prov_it.tftp_pid, g_socket_get_fd(socket), -1, -1, &error));
	g_assert_no_error(error);
}

void
prov_it_tftp_stop(void)
{
	if (prov_it.tftp_pid == 0)
		return;
	prov_it_reap(prov_it.tftp_pid, SIGTERM, PROV_IT_TIMEOUT_MS);
	prov_it.tftp_pid = 0;
}

guint16
prov_it_get_tftp_port(void)
{
	return prov_it.tftp_port;
}

gchar *
prov_it_tftp_url(const gchar *path)
{
	return g_strdup_printf("tftp://127.0.0.1:%u%s", prov_it.tftp_port, path);
}

/* ---- nginx ---- */

guint16
prov_it_get_port(ProvItPort port)
{
	return prov_it.ports[port];
}

gchar *
prov_it_http_url(ProvItPort port, const gchar *host, const gchar *path)
{
	return g_strdup_printf("%s://%s:%u%s", port == PROV_IT_PORT_HTTP ? "http" : "https", host,
			       prov_it.ports[port], path);
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
prov_it_write_nginx_config(void)
{
	g_autoptr(GString) conf = g_string_new(NULL);
	const gchar *temp_paths[] = {"client_body", "proxy", "fastcgi", "scgi", "uwsgi"};
	const struct {
		ProvItPort port;
		const gchar *cert;
	} tls_servers[] = {
	    {PROV_IT_PORT_HTTPS, "server"},
	    {PROV_IT_PORT_HTTPS_CLIENT, "server"},
	    {PROV_IT_PORT_HTTPS_UNKNOWN, "unknown"},
	    {PROV_IT_PORT_HTTPS_CUSTOM, "custom-server"},
	};
	const gchar *dir = prov_it.dir;

	/* as root, workers would drop to nobody, who cannot read the keys */
	if (prov_it_is_root())
		g_string_append(conf, "user root;\n");
	g_string_append_printf(conf,
			       "worker_processes 1;\n"
			       "error_log %s/nginx/error.log info;\n"
			       "events { worker_connections 64; }\n"
			       "http {\n"
			       "  default_type text/plain;\n"
			       "  log_format prov '$server_port \"$request\" $status "
			       "\"$http_user_agent\" \"$ssl_client_s_dn\" \"$http_host\"';\n"
			       "  access_log %s/nginx/access.log prov;\n",
			       dir, dir);
	for (guint i = 0; i < G_N_ELEMENTS(temp_paths); i++) {
		g_autofree gchar *option = g_strdup_printf(
		    "--http-%s-temp-path",
		    g_str_equal(temp_paths[i], "client_body") ? "client-body" : temp_paths[i]);

		if (prov_it_nginx_has(option))
			g_string_append_printf(conf, "  %s_temp_path %s/nginx/tmp-%s;\n",
					       temp_paths[i], dir, temp_paths[i]);
	}
	/* S-10: the profile is built from the client certificate's subject (reference 6.3.2) */
	g_string_append(conf, "  map $ssl_client_s_dn $prov_ou { \"~(^|,)OU=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n"
			      "  map $ssl_client_s_dn $prov_l { \"~(^|,)L=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n"
			      "  map $ssl_client_s_dn $prov_st { \"~(^|,)ST=(?<v>[^,]+)\" $v; "
			      "default \"\"; }\n");
	g_string_append_printf(conf,
			       "  server {\n"
			       "    listen 127.0.0.1:%u;\n"
			       "    root %s/srv;\n"
			       "  }\n",
			       prov_it.ports[PROV_IT_PORT_HTTP], dir);
	for (guint i = 0; i < G_N_ELEMENTS(tls_servers); i++) {
		g_string_append_printf(conf,
				       "  server {\n"
				       "    listen 127.0.0.1:%u ssl;\n"
				       "    ssl_certificate %s/certs/%s.pem;\n"
				       "    ssl_certificate_key %s/certs/%s.key;\n"
				       "    root %s/srv;\n",
				       prov_it.ports[tls_servers[i].port], dir, tls_servers[i].cert,
				       dir, tls_servers[i].cert, dir);
		if (tls_servers[i].port == PROV_IT_PORT_HTTPS_CLIENT)
			g_string_append_printf(
			    conf,
			    "    ssl_verify_client on;\n"
			    "    ssl_client_certificate %s/certs/client-ca.pem;\n"
			    "    location = /cgi-bin/reflect.pl { return 200 "
			    "\"<flat-profile><GPP_D>OU=$prov_ou,\\nL=$prov_l,\\nS=$prov_st\\n"
			    "</GPP_D></flat-profile>\\n\"; }\n",
			    dir);
		g_string_append(conf, "  }\n");
	}
	g_string_append(conf, "}\n");
	prov_it_write("nginx/nginx.conf", conf->str, (gssize)conf->len);
}

static gboolean
prov_it_start_nginx(void)
{
	g_autoptr(GPtrArray) holders = g_ptr_array_new_with_free_func(g_object_unref);
	g_autofree gchar *conf = prov_it_path("nginx/nginx.conf");
	g_autofree gchar *prefix = prov_it_path("nginx");
	g_autofree gchar *pid_file = prov_it_path("nginx/nginx.pid");
	g_autofree gchar *globals = g_strdup_printf("daemon off; pid %s;", pid_file);
	g_autofree gchar *found = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {"nginx", "-c", conf, "-p", prefix, "-g", globals, NULL};

	for (guint i = 0; i < PROV_IT_PORT_LAST; i++)
		prov_it.ports[i] = prov_it_free_port(holders);
	g_ptr_array_set_size(holders, 0);
	prov_it_write_nginx_config();
	if (!g_spawn_async(prefix, (gchar **)argv, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
			   prov_it_child_setup, NULL, &prov_it.nginx_pid, &error)) {
		g_printerr("cannot start nginx: %s\n", error->message);
		return FALSE;
	}
	/* nginx writes its pid file after it has bound every listening socket */
	found = prov_test_wait_file(pid_file, NULL, PROV_IT_TIMEOUT_MS);
	for (guint i = 0; found != NULL && i < PROV_IT_PORT_LAST; i++) {
		g_autoptr(GSocketClient) client = g_socket_client_new();
		g_autoptr(GSocketConnection) connection = g_socket_client_connect_to_host(
		    client, "127.0.0.1", prov_it.ports[i], NULL, NULL);

		if (connection == NULL)
			g_clear_pointer(&found, g_free);
	}
	if (found == NULL) {
		g_autofree gchar *log_path = prov_it_path("nginx/error.log");
		g_autofree gchar *log = NULL;

		g_file_get_contents(log_path, &log, NULL, NULL);
		g_printerr("nginx did not start:\n%s\n", log != NULL ? log : "");
		return FALSE;
	}
	return TRUE;
}

void
prov_it_access_log_truncate(void)
{
	g_autofree gchar *path = prov_it_path("nginx/access.log");

	/* in place: nginx keeps the file open and appends to it */
	g_assert_cmpint(truncate(path, 0), ==, 0);
}

/*
 * nginx writes its log line once the response is out, so just after the
 * client is done: wait, bounded, for the line that is expected
 */
gchar *
prov_it_access_log_wait(const gchar *needle)
{
	g_autofree gchar *path = prov_it_path("nginx/access.log");
	gchar *line = prov_test_wait_file(path, needle, 5000);

	if (line == NULL) {
		g_autofree gchar *log = NULL;

		g_file_get_contents(path, &log, NULL, NULL);
		g_printerr("no \"%s\" in the access log:\n%s", needle, log);
	}
	return line;
}

/* ---- certificates ---- */

static void
prov_it_make_certificates(void)
{
	g_autofree gchar *script =
	    g_test_build_filename(G_TEST_DIST, "..", "plugins", "make-tls-certs", NULL);

	prov_it_sh("'%s' certs >/dev/null", script);
	/*
	 * S-11: a CA that only the custom slot (Custom_CA_Rule) trusts, and a
	 * server certificate that chains to it
	 */
	prov_it_sh(
	    "cd certs\n"
	    "umask 077\n"
	    "key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out \"$1\" "
	    "2>/dev/null; }\n"
	    "key custom-ca.key\n"
	    "openssl req -new -x509 -key custom-ca.key -out custom-ca.pem -days 3650 "
	    "-subj '/O=provisiond tests/CN=Test Custom CA' "
	    "-addext basicConstraints=critical,CA:TRUE "
	    "-addext keyUsage=critical,keyCertSign,cRLSign\n"
	    "key custom-server.key\n"
	    "openssl req -new -key custom-server.key -out custom-server.csr "
	    "-subj '/O=provisiond tests/CN=localhost'\n"
	    "printf '%%s\\n' basicConstraints=CA:FALSE keyUsage=critical,digitalSignature "
	    "extendedKeyUsage=serverAuth subjectAltName=DNS:localhost,IP:127.0.0.1 "
	    ">custom-server.ext\n"
	    "openssl x509 -req -in custom-server.csr -CA custom-ca.pem -CAkey custom-ca.key "
	    "-set_serial 4242 -days 3650 -extfile custom-server.ext -out custom-server.pem "
	    "2>/dev/null\n"
	    "rm -f custom-server.csr custom-server.ext\n"
	    "chmod 644 ./*.pem\n");
}

/* ---- set-up and tear-down ---- */

static void
prov_it_tear_down(void)
{
	g_clear_object(&prov_it.bus);
	if (prov_it.nginx_pid != 0)
		prov_it_reap(prov_it.nginx_pid, SIGTERM, PROV_IT_TIMEOUT_MS);
	prov_it.nginx_pid = 0;
	prov_it_tftp_stop();
	if (prov_it.bus_pid != 0)
		prov_it_reap(prov_it.bus_pid, SIGTERM, PROV_IT_TIMEOUT_MS);
	prov_it.bus_pid = 0;
	g_clear_pointer(&prov_it.bus_address, g_free);
	if (prov_it.dir != NULL)
		prov_it_remove_tree(prov_it.dir);
	g_clear_pointer(&prov_it.dir, g_free);
}

static gboolean
prov_it_find_daemon(void)
{
	const gchar *path = g_getenv("PROV_IT_PROVISIOND");

	if (path == NULL || !g_file_test(path, G_FILE_TEST_IS_EXECUTABLE)) {
		g_printerr("SKIP: provisiond (%s) is not built\n", path != NULL ? path : "unset");
		return FALSE;
	}
	return TRUE;
}

gboolean
prov_it_skip_without_provctl(void)
{
	const gchar *path = g_getenv("PROV_IT_PROVCTL");

	if (path != NULL && g_file_test(path, G_FILE_TEST_IS_EXECUTABLE))
		return FALSE;
	g_test_skip("provctl is not built");
	return TRUE;
}

gboolean
prov_it_set_up(ProvItNeeds needs)
{
	g_autoptr(GError) error = NULL;

	if (!prov_it_find_daemon() || !prov_it_have_program("dbus-daemon") ||
	    !prov_it_have_program("openssl") || !prov_it_have_program("gzip"))
		return FALSE;
	if ((needs & PROV_IT_NEED_TFTP) != 0 && !prov_it_have_program("in.tftpd"))
		return FALSE;
	if ((needs & PROV_IT_NEED_NGINX) != 0 && !prov_it_have_program("nginx"))
		return FALSE;
	prov_it.dir = g_dir_make_tmp("prov-it-XXXXXX", &error);
	g_assert_no_error(error);
	/* the servers' unprivileged workers and the caller of R41 read below it */
	g_assert_cmpint(g_chmod(prov_it.dir, 0755), ==, 0);
	prov_it_sh("mkdir -p srv bus nginx daemons && chmod 755 srv bus nginx daemons");
	if (!prov_it_start_bus()) {
		prov_it_tear_down();
		return FALSE;
	}
	if ((needs & PROV_IT_NEED_TFTP) != 0 && prov_it_is_root()) {
		prov_it.has_tftp = TRUE;
		prov_it_tftp_start();
	}
	if ((needs & PROV_IT_NEED_NGINX) != 0) {
		prov_it_make_certificates();
		if (!prov_it_start_nginx()) {
			prov_it_tear_down();
			return FALSE;
		}
	}
	return TRUE;
}

gint
prov_it_run(void)
{
	gint result = g_test_run();

	prov_it_tear_down();
	return result;
}

/* ---- programs run to their end ---- */

typedef struct {
	gboolean done;
	gchar *out;
	gchar *err;
	GError *error;
} ProvItRun;

static void
prov_it_run_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvItRun *run = user_data;

	g_subprocess_communicate_utf8_finish(G_SUBPROCESS(source), result, &run->out, &run->err,
					     &run->error);
	run->done = TRUE;
}

static void
prov_it_run_waited_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvItRun *run = user_data;

	g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	run->done = TRUE;
}

static gboolean
prov_it_run_is_done(gpointer user_data)
{
	return ((ProvItRun *)user_data)->done;
}

gint
prov_it_spawn(const gchar *const *argv,
	      const gchar *const *extra_env,
	      gboolean unprivileged,
	      gchar **out,
	      gchar **err)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	g_auto(GStrv) env = g_get_environ();
	g_autoptr(GError) error = NULL;
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) process = NULL;
	ProvItRun run = {FALSE, NULL, NULL, NULL};

	if (unprivileged) {
		const gchar *prefix[] = {"setpriv", "--reuid=" PROV_IT_NOBODY,
					 "--regid=" PROV_IT_NOBODY, "--clear-groups", "--"};

		for (guint i = 0; i < G_N_ELEMENTS(prefix); i++)
			g_ptr_array_add(args, (gpointer)prefix[i]);
	}
	for (guint i = 0; argv[i] != NULL; i++)
		g_ptr_array_add(args, (gpointer)argv[i]);
	g_ptr_array_add(args, NULL);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_PIPE |
					     G_SUBPROCESS_FLAGS_STDERR_PIPE);
	for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++) {
		g_auto(GStrv) pair = g_strsplit(extra_env[i], "=", 2);

		env = g_environ_setenv(env, pair[0], pair[1] != NULL ? pair[1] : "", TRUE);
	}
	g_subprocess_launcher_set_environ(launcher, env);
	g_subprocess_launcher_set_cwd(launcher, prov_it.dir);
	g_subprocess_launcher_set_child_setup(launcher, prov_it_child_setup, NULL, NULL);
	process = g_subprocess_launcher_spawnv(launcher, (const gchar *const *)args->pdata, &error);
	g_assert_no_error(error);
	g_subprocess_communicate_utf8_async(process, NULL, NULL, prov_it_run_done_cb, &run);
	if (!prov_it_wait_until(prov_it_run_is_done, &run, PROV_IT_TIMEOUT_MS)) {
		g_printerr("%s did not end in time\n", argv[0]);
		g_subprocess_force_exit(process);
		g_assert_true(prov_it_wait_until(prov_it_run_is_done, &run, PROV_IT_TIMEOUT_MS));
		g_assert_not_reached();
	}
	g_assert_no_error(run.error);
	/* the streams are closed; the exit status follows at once */
	run.done = FALSE;
	g_subprocess_wait_async(process, NULL, prov_it_run_waited_cb, &run);
	g_assert_true(prov_it_wait_until(prov_it_run_is_done, &run, PROV_IT_TIMEOUT_MS));
	if (out != NULL)
		*out = g_steal_pointer(&run.out);
	if (err != NULL)
		*err = g_steal_pointer(&run.err);
	g_free(run.out);
	g_free(run.err);
	return g_subprocess_get_status(process);
}

/* ---- the syslog server ---- */

struct _ProvItSyslog {
	GSocket *socket;
	GSource *source;
	GPtrArray *datagrams;
	guint16 port;
};

static void
prov_it_syslog_drain(ProvItSyslog *self)
{
	for (;;) {
		gchar buffer[4096];
		gssize n = g_socket_receive_with_blocking(self->socket, buffer, sizeof(buffer),
							  FALSE, NULL, NULL);

		if (n < 0)
			return;
		g_ptr_array_add(self->datagrams, g_strndup(buffer, (gsize)n));
	}
}

static gboolean
prov_it_syslog_readable_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	prov_it_syslog_drain(user_data);
	return G_SOURCE_CONTINUE;
}

ProvItSyslog *
prov_it_syslog_new(void)
{
	ProvItSyslog *self = g_new0(ProvItSyslog, 1);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	self->datagrams = g_ptr_array_new_with_free_func(g_free);
	self->socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
				    G_SOCKET_PROTOCOL_UDP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(self->socket, any, FALSE, &error));
	bound = g_socket_get_local_address(self->socket, &error);
	g_assert_no_error(error);
	self->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_socket_set_blocking(self->socket, FALSE);
	self->source = g_socket_create_source(self->socket, G_IO_IN, NULL);
	g_source_set_callback(self->source, G_SOURCE_FUNC(prov_it_syslog_readable_cb), self, NULL);
	g_source_attach(self->source, NULL);
	return self;
}

void
prov_it_syslog_free(ProvItSyslog *self)
{
	g_source_destroy(self->source);
	g_source_unref(self->source);
	g_socket_close(self->socket, NULL);
	g_object_unref(self->socket);
	g_ptr_array_unref(self->datagrams);
	g_free(self);
}

guint16
prov_it_syslog_get_port(ProvItSyslog *self)
{
	return self->port;
}

gchar *
prov_it_syslog_get_server(ProvItSyslog *self)
{
	return g_strdup_printf("127.0.0.1:%u", self->port);
}

typedef struct {
	ProvItSyslog *syslog;
	guint n;
} ProvItSyslogWait;

static gboolean
prov_it_syslog_has(gpointer user_data)
{
	ProvItSyslogWait *wait = user_data;

	prov_it_syslog_drain(wait->syslog);
	return wait->syslog->datagrams->len >= wait->n;
}

gboolean
prov_it_syslog_wait(ProvItSyslog *self, guint n, guint timeout_ms)
{
	ProvItSyslogWait wait = {self, n};

	return prov_it_wait_until(prov_it_syslog_has, &wait, timeout_ms);
}

/*
 * Every datagram received so far. Loopback UDP is queued on the receiving
 * socket when sendto() returns, so whatever provisiond sent before a reply
 * or signal that the test has seen is here.
 */
GPtrArray *
prov_it_syslog_take(ProvItSyslog *self)
{
	GPtrArray *taken;

	prov_it_syslog_drain(self);
	taken = g_steal_pointer(&self->datagrams);
	self->datagrams = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < taken->len; i++)
		g_test_message("syslog: %s", (const gchar *)g_ptr_array_index(taken, i));
	return taken;
}

/* ---- provisiond ---- */

typedef struct {
	gchar *sender;
	gchar *member;
	GVariant *parameters;
	gboolean taken;
} ProvItEvent;

static void
prov_it_event_free(gpointer data)
{
	ProvItEvent *event = data;

	g_free(event->sender);
	g_free(event->member);
	g_variant_unref(event->parameters);
	g_free(event);
}

struct _ProvItDaemon {
	gchar *dir;
	GKeyFile *config;
	gboolean has_test_clock;
	gint64 test_clock;
	guint verbosity;
	gboolean namespaced;

	GPid pid;
	ProvItChild child;
	guint child_watch;
	gchar *unique_name;
	gchar *candidate;
	gboolean name_known;

	guint subscription;
	GPtrArray *events;
};

static void
prov_it_daemon_signal_cb(GDBusConnection *connection,
			 const gchar *sender,
			 const gchar *object_path,
			 const gchar *interface_name,
			 const gchar *signal_name,
			 GVariant *parameters,
			 gpointer user_data)
{
	ProvItDaemon *self = user_data;
	ProvItEvent *event;

	/* a predecessor's last words are not this daemon's */
	if (self->unique_name != NULL && g_strcmp0(sender, self->unique_name) != 0)
		return;
	event = g_new0(ProvItEvent, 1);
	event->sender = g_strdup(sender);
	event->member = g_strdup(signal_name);
	event->parameters = g_variant_ref(parameters);
	g_ptr_array_add(self->events, event);
}

ProvItDaemon *
prov_it_daemon_new(void)
{
	ProvItDaemon *self = g_new0(ProvItDaemon, 1);
	g_autofree gchar *relative = g_strdup_printf("daemons/%u", prov_it.n_daemons++);
	g_autofree gchar *state = NULL;
	g_autofree gchar *ca_file = prov_it_path("certs/ca.pem");

	self->dir = prov_it_path(relative);
	state = g_build_filename(self->dir, "state", NULL);
	g_assert_cmpint(g_mkdir_with_parents(state, 0755), ==, 0);
	self->events = g_ptr_array_new_with_free_func(prov_it_event_free);
	self->config = g_key_file_new();
	g_key_file_set_string(self->config, "device", "MAC", PROV_IT_MAC);
	g_key_file_set_string(self->config, "device", "Serial", PROV_IT_SERIAL);
	g_key_file_set_string(self->config, "device", "ProductName", PROV_IT_PN);
	g_key_file_set_string(self->config, "device", "Manufacturer", "Cisco");
	g_key_file_set_string(self->config, "device", "SoftwareVersion", "11.0.1MPP0101-009");
	g_key_file_set_string(self->config, "device", "IP", "192.168.1.100");
	g_key_file_set_string(self->config, "daemon", "BehaviourProfile", "mpp");
	if (g_file_test(ca_file, G_FILE_TEST_EXISTS))
		g_key_file_set_string(self->config, "daemon", "CAFile", ca_file);
	/*
	 * with the real clock, a boot resync would start at a random moment
	 * within 40 s and mix with the test's own: tests of the boot
	 * behaviour use the test clock and switch it back on
	 */
	g_key_file_set_string(self->config, "parameters", "Resync_On_Reset", "No");
	self->subscription = g_dbus_connection_signal_subscribe(
	    prov_it.bus, NULL, NULL, NULL, PROV_IT_OBJECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
	    prov_it_daemon_signal_cb, self, NULL);
	return self;
}

void
prov_it_daemon_free(ProvItDaemon *self)
{
	if (self->pid != 0)
		prov_it_daemon_stop(self);
	g_dbus_connection_signal_unsubscribe(prov_it.bus, self->subscription);
	/* a signal already queued for dispatch must not reach freed memory */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_ptr_array_unref(self->events);
	g_key_file_unref(self->config);
	g_free(self->unique_name);
	g_free(self->candidate);
	g_free(self->dir);
	g_free(self);
}

void
prov_it_daemon_set_config(ProvItDaemon *self,
			  const gchar *group,
			  const gchar *key,
			  const gchar *value)
{
	if (value == NULL)
		g_key_file_remove_key(self->config, group, key, NULL);
	else
		g_key_file_set_string(self->config, group, key, value);
}

void
prov_it_daemon_set_factory(ProvItDaemon *self, const gchar *name, const gchar *value)
{
	prov_it_daemon_set_config(self, "parameters", name, value);
}

void
prov_it_daemon_set_test_clock(ProvItDaemon *self, gint64 wall_seconds)
{
	self->has_test_clock = TRUE;
	self->test_clock = wall_seconds;
}

void
prov_it_daemon_set_verbosity(ProvItDaemon *self, guint verbosity)
{
	self->verbosity = verbosity;
}

/*
 * Names resolve from HOSTS, and every other lookup fails at once: the
 * daemon runs in a mount namespace of its own whose /etc/hosts is HOSTS and
 * whose resolver asks 127.0.0.1:53, where nothing listens. No query leaves
 * the machine. Needs root and unshare(1); FALSE otherwise.
 */
gboolean
prov_it_daemon_set_hosts(ProvItDaemon *self, const gchar *hosts)
{
	g_autofree gchar *hosts_path = g_build_filename(self->dir, "hosts", NULL);
	g_autofree gchar *resolv_path = g_build_filename(self->dir, "resolv.conf", NULL);
	const gchar *probe[] = {"unshare", "--mount", "--propagation", "private", "true", NULL};
	g_autofree gchar *unshare = g_find_program_in_path("unshare");
	g_autoptr(GError) error = NULL;

	if (!prov_it_is_root() || unshare == NULL ||
	    !g_spawn_check_wait_status(prov_it_spawn(probe, NULL, FALSE, NULL, NULL), NULL))
		return FALSE;
	g_assert_true(g_file_set_contents(hosts_path, hosts, -1, &error));
	g_assert_true(g_file_set_contents(
	    resolv_path, "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n", -1, &error));
	g_assert_no_error(error);
	self->namespaced = TRUE;
	return TRUE;
}

const gchar *
prov_it_daemon_get_dir(ProvItDaemon *self)
{
	return self->dir;
}

gchar *
prov_it_daemon_get_state_path(ProvItDaemon *self)
{
	return g_build_filename(self->dir, "state", "state.json", NULL);
}

gchar *
prov_it_daemon_get_config_path(ProvItDaemon *self)
{
	return g_build_filename(self->dir, "provisiond.conf", NULL);
}

GPid
prov_it_daemon_get_pid(ProvItDaemon *self)
{
	return self->pid;
}

static void
prov_it_daemon_name_appeared_cb(GDBusConnection *connection,
				const gchar *name,
				const gchar *name_owner,
				gpointer user_data)
{
	ProvItDaemon *self = user_data;

	g_free(self->candidate);
	self->candidate = g_strdup(name_owner);
	self->name_known = TRUE;
}

static void
prov_it_daemon_name_vanished_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	ProvItDaemon *self = user_data;

	g_clear_pointer(&self->candidate, g_free);
	self->name_known = TRUE;
}

static gboolean
prov_it_daemon_name_is_free(gpointer user_data)
{
	ProvItDaemon *self = user_data;

	return self->name_known && self->candidate == NULL;
}

/*
 * The bus releases a killed daemon's name when it notices the closed
 * socket, which may be after the next daemon asks for it: wait until it is
 * free, so that a restart never meets its predecessor's name.
 */
static void
prov_it_daemon_wait_name_free(ProvItDaemon *self)
{
	guint watch;

	self->name_known = FALSE;
	g_clear_pointer(&self->candidate, g_free);
	watch = g_bus_watch_name_on_connection(
	    prov_it.bus, PROV_IT_BUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
	    prov_it_daemon_name_appeared_cb, prov_it_daemon_name_vanished_cb, self, NULL);
	g_assert_true(prov_it_wait_until(prov_it_daemon_name_is_free, self, PROV_IT_TIMEOUT_MS));
	g_bus_unwatch_name(watch);
	g_clear_pointer(&self->candidate, g_free);
}

static gboolean
prov_it_daemon_is_ready(gpointer user_data)
{
	ProvItDaemon *self = user_data;
	g_autoptr(GVariant) reply = NULL;
	guint32 pid = 0;

	if (self->child.exited || self->unique_name != NULL)
		return TRUE;
	if (self->candidate == NULL)
		return FALSE;
	reply = g_dbus_connection_call_sync(
	    prov_it.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
	    "GetConnectionUnixProcessID", g_variant_new("(s)", self->candidate),
	    G_VARIANT_TYPE("(u)"), G_DBUS_CALL_FLAGS_NONE, PROV_IT_TIMEOUT_MS, NULL, NULL);
	if (reply != NULL)
		g_variant_get(reply, "(u)", &pid);
	if (pid != (guint32)self->pid) {
		/* the name is still a dead predecessor's: wait for the owner to change */
		g_clear_pointer(&self->candidate, g_free);
		return FALSE;
	}
	self->unique_name = g_steal_pointer(&self->candidate);
	return TRUE;
}

void
prov_it_daemon_start(ProvItDaemon *self)
{
	g_autofree gchar *config_path = prov_it_daemon_get_config_path(self);
	g_autofree gchar *state_dir = g_build_filename(self->dir, "state", NULL);
	g_autofree gchar *log_path = g_build_filename(self->dir, "daemon.log", NULL);
	g_autofree gchar *bus_arg = g_strconcat("--bus-address=", prov_it.bus_address, NULL);
	g_autofree gchar *state_arg = g_strconcat("--state-dir=", state_dir, NULL);
	g_autofree gchar *config_arg = g_strconcat("--config=", config_path, NULL);
	g_autofree gchar *clock_arg = NULL;
	g_autofree gchar *hosts_path = g_build_filename(self->dir, "hosts", NULL);
	g_autofree gchar *resolv_path = g_build_filename(self->dir, "resolv.conf", NULL);
	g_autofree gchar *lsan = NULL;
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_auto(GStrv) env = g_get_environ();
	g_autoptr(GError) error = NULL;
	const gchar *previous_lsan = g_environ_getenv(env, "LSAN_OPTIONS");
	guint watch;
	gint log_fd;

	g_assert_cmpint(self->pid, ==, 0);
	g_assert_true(g_key_file_save_to_file(self->config, config_path, &error));
	g_assert_no_error(error);
	if (self->namespaced) {
		const gchar *wrapper[] = {
		    "unshare",
		    "--mount",
		    "--propagation",
		    "private",
		    "/bin/sh",
		    "-ec",
		    "mount --bind \"$1\" /etc/hosts; mount --bind \"$2\" /etc/resolv.conf; "
		    "shift 2; exec \"$@\"",
		    "sh",
		    hosts_path,
		    resolv_path};

		for (guint i = 0; i < G_N_ELEMENTS(wrapper); i++)
			g_ptr_array_add(argv, (gpointer)wrapper[i]);
	}
	g_ptr_array_add(argv, (gpointer)g_getenv("PROV_IT_PROVISIOND"));
	g_ptr_array_add(argv, bus_arg);
	g_ptr_array_add(argv, state_arg);
	g_ptr_array_add(argv, config_arg);
	for (guint i = 0; i < self->verbosity; i++)
		g_ptr_array_add(argv, "-v");
	if (self->has_test_clock) {
		clock_arg = g_strdup_printf("--test-clock=%" G_GINT64_FORMAT, self->test_clock);
		g_ptr_array_add(argv, clock_arg);
	}
	g_ptr_array_add(argv, NULL);

	/* nothing may reach a bus of the machine's */
	env = g_environ_setenv(env, "DBUS_SYSTEM_BUS_ADDRESS", prov_it.bus_address, TRUE);
	env = g_environ_setenv(env, "DBUS_SESSION_BUS_ADDRESS", prov_it.bus_address, TRUE);
	/* some operational warnings are required behaviour (STYLE.md 8) */
	env = g_environ_setenv(env, "G_DEBUG", "fatal-criticals", TRUE);
	/*
	 * LeakSanitizer's tracer crashes walking the dynamic TLS of the
	 * dlopen()ed https plugin's gnutls in its __tls_get_addr hook (as in
	 * check-provtool-fetch); leaks are still checked
	 */
	lsan = previous_lsan != NULL ? g_strconcat(previous_lsan, ":intercept_tls_get_addr=0", NULL)
				     : g_strdup("intercept_tls_get_addr=0");
	env = g_environ_setenv(env, "LSAN_OPTIONS", lsan, TRUE);

	log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	g_assert_cmpint(log_fd, >=, 0);
	g_clear_pointer(&self->unique_name, g_free);
	g_clear_pointer(&self->candidate, g_free);
	self->child.exited = FALSE;
	self->child.status = 0;
	g_assert_true(g_spawn_async_with_fds(
	    self->dir, (gchar **)argv->pdata, env, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
	    prov_it_child_setup, NULL, &self->pid, -1, log_fd, log_fd, &error));
	g_assert_no_error(error);
	close(log_fd);
	self->child.pid = self->pid;
	self->child_watch = g_child_watch_add(self->pid, prov_it_child_exited_cb, &self->child);

	watch = g_bus_watch_name_on_connection(
	    prov_it.bus, PROV_IT_BUS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
	    prov_it_daemon_name_appeared_cb, prov_it_daemon_name_vanished_cb, self, NULL);
	if (!prov_it_wait_until(prov_it_daemon_is_ready, self, PROV_IT_TIMEOUT_MS) ||
	    self->child.exited) {
		g_autofree gchar *log = prov_it_daemon_read_log(self);

		g_printerr("provisiond did not start (%s, wait status %d):\n%s\n",
			   self->child.exited ? "it exited" : "no bus name", self->child.status,
			   log);
		g_bus_unwatch_name(watch);
		g_assert_not_reached();
	}
	g_bus_unwatch_name(watch);
	for (guint i = self->events->len; i > 0; i--) {
		ProvItEvent *event = g_ptr_array_index(self->events, i - 1);

		if (g_strcmp0(event->sender, self->unique_name) != 0)
			g_ptr_array_remove_index(self->events, i - 1);
	}
}

gboolean
prov_it_daemon_is_running(ProvItDaemon *self)
{
	/* the child watch runs in the main context */
	while (g_main_context_iteration(NULL, FALSE))
		;
	return self->pid != 0 && !self->child.exited;
}

static gint
prov_it_daemon_terminate(ProvItDaemon *self, gint signal_number)
{
	gint status;

	g_assert_cmpint(self->pid, !=, 0);
	if (!self->child.exited)
		kill(self->pid, signal_number);
	if (!prov_it_wait_until(prov_it_child_is_done, &self->child, PROV_IT_TIMEOUT_MS)) {
		g_autofree gchar *log = prov_it_daemon_read_log(self);

		g_printerr("provisiond did not end after signal %d:\n%s\n", signal_number, log);
		kill(self->pid, SIGKILL);
		g_assert_true(
		    prov_it_wait_until(prov_it_child_is_done, &self->child, PROV_IT_TIMEOUT_MS));
		g_assert_not_reached();
	}
	status = self->child.status;
	/* the child watch removed itself when it reported the exit */
	self->child_watch = 0;
	g_spawn_close_pid(self->pid);
	self->pid = 0;
	g_clear_pointer(&self->unique_name, g_free);
	prov_it_daemon_wait_name_free(self);
	return status;
}

/* SIGTERM: a clean exit, status 0 (no leak under the sanitizers either) */
void
prov_it_daemon_stop(ProvItDaemon *self)
{
	gint status = prov_it_daemon_terminate(self, SIGTERM);

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_autofree gchar *log = prov_it_daemon_read_log(self);

		g_printerr("provisiond ended with status %d after SIGTERM:\n%s\n", status, log);
	}
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

void
prov_it_daemon_kill(ProvItDaemon *self)
{
	gint status = prov_it_daemon_terminate(self, SIGKILL);

	g_assert_true(WIFSIGNALED(status) || WIFEXITED(status));
}

gchar *
prov_it_daemon_read_log(ProvItDaemon *self)
{
	g_autofree gchar *path = g_build_filename(self->dir, "daemon.log", NULL);
	gchar *contents = NULL;

	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return g_strdup("");
	return contents;
}

GVariant *
prov_it_daemon_call(ProvItDaemon *self,
		    const gchar *interface_name,
		    const gchar *method,
		    GVariant *parameters,
		    GError **error)
{
	g_assert_nonnull(self->unique_name);
	return g_dbus_connection_call_sync(prov_it.bus, self->unique_name, PROV_IT_OBJECT_PATH,
					   interface_name, method, parameters, NULL,
					   G_DBUS_CALL_FLAGS_NONE, PROV_IT_TIMEOUT_MS, NULL, error);
}

GVariant *
prov_it_daemon_get_property(ProvItDaemon *self, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	GVariant *value = NULL;

	reply = prov_it_daemon_call(self, "org.freedesktop.DBus.Properties", "Get",
				    g_variant_new("(ss)", PROV_IT_INTERFACE, name), &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(v)", &value);
	return value;
}

gboolean
prov_it_daemon_try_set(ProvItDaemon *self, GVariant *values, GError **error)
{
	g_autoptr(GVariant) reply = NULL;

	reply = prov_it_daemon_call(self, PROV_IT_INTERFACE, "SetParameters",
				    g_variant_new_tuple(&values, 1), error);
	return reply != NULL;
}

void
prov_it_daemon_set(ProvItDaemon *self, const gchar *name, const gchar *value, ...)
{
	g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT(G_VARIANT_TYPE("a{ss}"));
	g_autoptr(GError) error = NULL;
	va_list args;

	g_variant_builder_add(&builder, "{ss}", name, value);
	va_start(args, value);
	for (;;) {
		const gchar *next_name = va_arg(args, const gchar *);
		const gchar *next_value;

		if (next_name == NULL)
			break;
		next_value = va_arg(args, const gchar *);
		g_variant_builder_add(&builder, "{ss}", next_name, next_value);
	}
	va_end(args);
	prov_it_daemon_try_set(self, g_variant_builder_end(&builder), &error);
	g_assert_no_error(error);
}

GHashTable *
prov_it_daemon_get_many(ProvItDaemon *self, const gchar *const *names)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariantIter) iter = NULL;
	GHashTable *values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	gchar *name;
	gchar *value;

	reply = prov_it_daemon_call(self, PROV_IT_INTERFACE, "GetParameters",
				    g_variant_new("(^as)", names), &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(a{ss})", &iter);
	while (g_variant_iter_next(iter, "{ss}", &name, &value))
		g_hash_table_insert(values, name, value);
	return values;
}

gchar *
prov_it_daemon_get(ProvItDaemon *self, const gchar *name)
{
	const gchar *names[] = {name, NULL};
	g_autoptr(GHashTable) values = prov_it_daemon_get_many(self, names);
	const gchar *value = g_hash_table_lookup(values, name);

	g_assert_nonnull(value);
	return g_strdup(value);
}

guint64
prov_it_daemon_request_resync(ProvItDaemon *self, const gchar *rule)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	guint64 id = 0;

	reply = prov_it_daemon_call(self, PROV_IT_INTERFACE, "Resync",
				    g_variant_new("(s)", rule != NULL ? rule : ""), &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(t)", &id);
	return id;
}

GVariant *
prov_it_daemon_resync(ProvItDaemon *self, const gchar *rule)
{
	guint64 id = prov_it_daemon_request_resync(self, rule);
	GVariant *result = prov_it_daemon_wait_finished(self, id, PROV_IT_TIMEOUT_MS);

	if (result == NULL) {
		g_autofree gchar *log = prov_it_daemon_read_log(self);

		g_printerr("no ResyncFinished for resync %" G_GUINT64_FORMAT ":\n%s\n", id, log);
	}
	g_assert_nonnull(result);
	return result;
}

typedef struct {
	ProvItDaemon *daemon;
	const gchar *member;
	gboolean by_id;
	guint64 id;
	ProvItEvent *found;
} ProvItEventWait;

static gboolean
prov_it_event_find(gpointer user_data)
{
	ProvItEventWait *wait = user_data;

	if (wait->found != NULL)
		return TRUE;
	for (guint i = 0; i < wait->daemon->events->len; i++) {
		ProvItEvent *event = g_ptr_array_index(wait->daemon->events, i);
		guint64 id = 0;

		if (event->taken || g_strcmp0(event->member, wait->member) != 0)
			continue;
		if (wait->by_id) {
			if (!g_str_has_prefix(g_variant_get_type_string(event->parameters), "(t"))
				continue;
			g_variant_get_child(event->parameters, 0, "t", &id);
			if (id != wait->id)
				continue;
		}
		event->taken = TRUE;
		wait->found = event;
		return TRUE;
	}
	return FALSE;
}

static GVariant *
prov_it_daemon_take(
    ProvItDaemon *self, const gchar *member, gboolean by_id, guint64 id, guint timeout_ms)
{
	ProvItEventWait wait = {self, member, by_id, id, NULL};

	if (!prov_it_wait_until(prov_it_event_find, &wait, timeout_ms))
		return NULL;
	return g_variant_ref(wait.found->parameters);
}

GVariant *
prov_it_daemon_take_signal(ProvItDaemon *self, const gchar *member, guint timeout_ms)
{
	return prov_it_daemon_take(self, member, FALSE, 0, timeout_ms);
}

GVariant *
prov_it_daemon_wait_finished(ProvItDaemon *self, guint64 id, guint timeout_ms)
{
	g_autoptr(GVariant) parameters = NULL;
	GVariant *result = NULL;

	parameters = prov_it_daemon_take(self, "ResyncFinished", TRUE, id, timeout_ms);
	if (parameters == NULL)
		return NULL;
	/* its start is no longer news for prov_it_daemon_wait_next_resync() */
	for (guint i = 0; i < self->events->len; i++) {
		ProvItEvent *event = g_ptr_array_index(self->events, i);
		guint64 started = 0;

		if (g_strcmp0(event->member, "ResyncStarted") != 0)
			continue;
		g_variant_get_child(event->parameters, 0, "t", &started);
		if (started == id)
			event->taken = TRUE;
	}
	g_variant_get(parameters, "(t@a{sv})", NULL, &result);
	return result;
}

GVariant *
prov_it_daemon_wait_next_resync(ProvItDaemon *self, gint *cause, guint timeout_ms)
{
	g_autoptr(GVariant) started = NULL;
	guint64 id = 0;
	gint started_cause = 0;

	started = prov_it_daemon_take_signal(self, "ResyncStarted", timeout_ms);
	if (started == NULL)
		return NULL;
	g_variant_get(started, "(tis)", &id, &started_cause, NULL);
	if (cause != NULL)
		*cause = started_cause;
	return prov_it_daemon_wait_finished(self, id, timeout_ms);
}

guint
prov_it_daemon_count_signals(ProvItDaemon *self, const gchar *member)
{
	guint n = 0;

	for (guint i = 0; i < self->events->len; i++) {
		ProvItEvent *event = g_ptr_array_index(self->events, i);

		if (member == NULL || g_strcmp0(event->member, member) == 0)
			n++;
	}
	return n;
}

void
prov_it_daemon_clear_signals(ProvItDaemon *self)
{
	/* those already on their way are old too */
	if (self->unique_name != NULL)
		prov_it_daemon_flush(self);
	g_ptr_array_set_size(self->events, 0);
}

/*
 * Signals the daemon sent before it answers a call reach the test before
 * the answer (D-Bus keeps one sender's messages in order); their callbacks
 * are dispatched here.
 */
void
prov_it_daemon_flush(ProvItDaemon *self)
{
	g_variant_unref(prov_it_daemon_get_property(self, "State"));
	while (g_main_context_iteration(NULL, FALSE))
		;
}

gint
prov_it_daemon_provctlv(
    ProvItDaemon *self, gboolean unprivileged, gchar **out, gchar **err, const gchar *const *args)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *bus_arg = g_strconcat("--bus-address=", prov_it.bus_address, NULL);
	const gchar *env[] = {"LC_ALL=C.UTF-8", NULL};
	const gchar *provctl = g_getenv("PROV_IT_PROVCTL");

	g_assert_nonnull(provctl);
	g_ptr_array_add(argv, (gpointer)provctl);
	g_ptr_array_add(argv, bus_arg);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	return prov_it_spawn((const gchar *const *)argv->pdata, env, unprivileged, out, err);
}

gint
prov_it_daemon_provctl(ProvItDaemon *self,
		       gboolean unprivileged,
		       gchar **out,
		       gchar **err,
		       const gchar *first_arg,
		       ...)
{
	g_autoptr(GPtrArray) args = g_ptr_array_new();
	va_list list;

	va_start(list, first_arg);
	for (const gchar *arg = first_arg; arg != NULL; arg = va_arg(list, const gchar *))
		g_ptr_array_add(args, (gpointer)arg);
	va_end(list);
	g_ptr_array_add(args, NULL);
	return prov_it_daemon_provctlv(self, unprivileged, out, err,
				       (const gchar *const *)args->pdata);
}

/* every signal recorded, as text: what any client on the bus saw */
gchar *
prov_it_daemon_print_signals(ProvItDaemon *self)
{
	GString *text = g_string_new(NULL);

	prov_it_daemon_flush(self);
	for (guint i = 0; i < self->events->len; i++) {
		ProvItEvent *event = g_ptr_array_index(self->events, i);
		g_autofree gchar *parameters = g_variant_print(event->parameters, TRUE);

		g_string_append_printf(text, "%s %s\n", event->member, parameters);
	}
	return g_string_free(text, FALSE);
}

/* ---- result records ---- */

const gchar *
prov_it_result_get_string(GVariant *record, const gchar *key)
{
	const gchar *value = NULL;

	if (!g_variant_lookup(record, key, "&s", &value)) {
		g_autofree gchar *text = g_variant_print(record, TRUE);

		g_printerr("no string \"%s\" in %s\n", key, text);
	}
	g_assert_nonnull(value);
	return value;
}

guint64
prov_it_result_get_uint(GVariant *record, const gchar *key)
{
	g_autoptr(GVariant) value = g_variant_lookup_value(record, key, NULL);

	if (value == NULL) {
		g_autofree gchar *text = g_variant_print(record, TRUE);

		g_printerr("no \"%s\" in %s\n", key, text);
	}
	g_assert_nonnull(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT32))
		return g_variant_get_uint32(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_UINT64))
		return g_variant_get_uint64(value);
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_INT32))
		return (guint64)g_variant_get_int32(value);
	g_assert_not_reached();
}

guint
prov_it_result_get_n_rules(GVariant *result)
{
	g_autoptr(GVariant) rules =
	    g_variant_lookup_value(result, "rules", G_VARIANT_TYPE("aa{sv}"));

	g_assert_nonnull(rules);
	return (guint)g_variant_n_children(rules);
}

GVariant *
prov_it_result_get_rule(GVariant *result, guint index)
{
	g_autoptr(GVariant) rules =
	    g_variant_lookup_value(result, "rules", G_VARIANT_TYPE("aa{sv}"));

	g_assert_nonnull(rules);
	g_assert_cmpuint(index, <, g_variant_n_children(rules));
	return g_variant_get_child_value(rules, index);
}

void
prov_it_assert_strv(GVariant *record, const gchar *key, const gchar *const *expected)
{
	g_autoptr(GVariant) value =
	    g_variant_lookup_value(record, key, G_VARIANT_TYPE_STRING_ARRAY);
	g_autofree const gchar **strv = NULL;

	if (value == NULL) {
		g_autofree gchar *text = g_variant_print(record, TRUE);

		g_printerr("no string array \"%s\" in %s\n", key, text);
	}
	g_assert_nonnull(value);
	strv = g_variant_get_strv(value, NULL);
	g_assert_cmpstrv(strv, expected);
}

void
prov_it_assert_success(GVariant *result)
{
	const gchar *status = NULL;

	g_assert_nonnull(result);
	if (!g_variant_lookup(result, "status", "&s", &status) ||
	    g_strcmp0(status, "success") != 0) {
		g_autofree gchar *text = g_variant_print(result, TRUE);

		g_printerr("resync did not succeed: %s\n", text);
	}
	g_assert_cmpstr(status, ==, "success");
}
