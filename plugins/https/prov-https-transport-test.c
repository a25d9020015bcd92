/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Unit tests of the https transport against a TLS SoupServer in the test
 * process, with certificates that tests/plugins/make-tls-certs makes with
 * openssl at test time (exit 77 without openssl): each refusal has its own
 * error (R38, R39), and a server that requires a client certificate
 * accepts the device's and refuses a request without it (R30).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <prov-error.h>
#include <prov-tls-database.h>
#include <prov-tls.h>
#include <string.h>

#include "prov-https-transport.h"
#include "prov-soup-common.h"
#include "prov-soup-test-common.h"

#define PROV_TEST_PROFILE "<flat-profile><GPP_A> 12345678\n  </GPP_A></flat-profile>\n"

static gchar *prov_test_certs = NULL;

static gchar *
prov_test_cert_path(const gchar *name)
{
	return g_build_filename(prov_test_certs, name, NULL);
}

typedef struct {
	SoupServer *server;
	guint16 port;
	gchar *client_subject;
	guint requests;
} ProvTestServer;

static void
prov_test_handler_cb(SoupServer *server,
		     SoupServerMessage *msg,
		     const gchar *path,
		     GHashTable *query,
		     gpointer user_data)
{
	ProvTestServer *test_server = user_data;
	GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate(msg);

	test_server->requests++;
	g_clear_pointer(&test_server->client_subject, g_free);
	if (peer != NULL)
		test_server->client_subject = g_tls_certificate_get_subject_name(peer);
	if (g_str_equal(path, "/to-http")) {
		soup_server_message_set_redirect(msg, SOUP_STATUS_FOUND,
						 "http://127.0.0.1:1/basic.txt");
		return;
	}
	soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(msg, "text/plain", SOUP_MEMORY_STATIC, PROV_TEST_PROFILE,
					 strlen(PROV_TEST_PROFILE));
}

/* libsoup 3.2's server asks about every client certificate: it takes those that verified */
static gboolean
prov_test_accept_certificate_cb(SoupServerMessage *msg,
				GTlsCertificate *certificate,
				GTlsCertificateFlags errors,
				gpointer user_data)
{
	return errors == 0;
}

static void
prov_test_request_started_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	g_signal_connect(msg, "accept-certificate", G_CALLBACK(prov_test_accept_certificate_cb),
			 NULL);
}

static ProvTestServer *
prov_test_server_new(const gchar *name, const gchar *client_ca)
{
	ProvTestServer *test_server = g_new0(ProvTestServer, 1);
	g_autofree gchar *cert_file = g_strconcat(prov_test_certs, "/", name, ".pem", NULL);
	g_autofree gchar *key_file = g_strconcat(prov_test_certs, "/", name, ".key", NULL);
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(GError) error = NULL;

	certificate = g_tls_certificate_new_from_files(cert_file, key_file, &error);
	g_assert_no_error(error);
	test_server->server = soup_server_new("tls-certificate", certificate, NULL);
	if (client_ca != NULL) {
		g_autofree gchar *ca_file = prov_test_cert_path(client_ca);
		g_autoptr(GTlsDatabase) database = g_tls_file_database_new(ca_file, &error);

		g_assert_no_error(error);
		soup_server_set_tls_database(test_server->server, database);
		soup_server_set_tls_auth_mode(test_server->server, G_TLS_AUTHENTICATION_REQUIRED);
		g_signal_connect(test_server->server, "request-started",
				 G_CALLBACK(prov_test_request_started_cb), NULL);
	}
	soup_server_add_handler(test_server->server, NULL, prov_test_handler_cb, test_server, NULL);
	test_server->port = prov_soup_test_server_listen(test_server->server, TRUE);
	return test_server;
}

static void
prov_test_server_free(ProvTestServer *test_server)
{
	soup_server_disconnect(test_server->server);
	g_object_unref(test_server->server);
	g_free(test_server->client_subject);
	g_free(test_server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTestServer, prov_test_server_free)

/* the device's trust store: the system's roots and the test CA as custom CA */
static ProvFetchContext *
prov_test_context_new(void)
{
	ProvFetchContext *ctx = prov_fetch_context_new();
	g_autofree gchar *ca_file = prov_test_cert_path("ca.pem");
	const gchar *anchors[] = {ca_file, NULL};
	g_autoptr(ProvTlsDatabase) database = NULL;
	g_autoptr(GError) error = NULL;

	database = prov_tls_database_new(anchors, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_database(ctx, G_TLS_DATABASE(database));
	prov_fetch_context_set_user_agent(ctx,
					  "Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)");
	prov_fetch_context_set_timeout(ctx, 10);
	return ctx;
}

static GBytes *
prov_test_fetch(ProvTestServer *test_server,
		const gchar *host,
		const gchar *path,
		ProvFetchContext *ctx,
		GError **error)
{
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_https_transport_new());
	g_autofree gchar *url = g_strdup_printf("https://%s:%u%s", host, test_server->port, path);

	return prov_soup_test_fetch(transport, url, ctx, NULL, error);
}

/* S-8: the server certificate chains to the CA that is only in the custom slot */
static void
prov_test_get(void)
{
	g_autoptr(ProvTestServer) test_server = prov_test_server_new("server", NULL);
	g_autoptr(ProvFetchContext) ctx = prov_test_context_new();
	const gchar *hosts[] = {"127.0.0.1", "localhost"};

	for (guint i = 0; i < G_N_ELEMENTS(hosts); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes =
		    prov_test_fetch(test_server, hosts[i], "/basic.txt", ctx, &error);
		g_autofree gchar *final =
		    g_strdup_printf("https://%s:%u/basic.txt", hosts[i], test_server->port);

		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
				PROV_TEST_PROFILE, strlen(PROV_TEST_PROFILE));
		g_assert_cmpstr(prov_fetch_context_get_final_uri(ctx), ==, final);
		/* no client certificate configured, none asked for */
		g_assert_null(test_server->client_subject);
	}
}

/* R38: each refusal has its own error, and nothing reaches the server's handler */
static void
prov_test_refused(void)
{
	static const struct {
		const gchar *server;
		ProvError code;
	} cases[] = {
	    {"unknown", PROV_ERROR_TLS_UNKNOWN_CA},
	    {"expired", PROV_ERROR_TLS_EXPIRED},
	    {"wronghost", PROV_ERROR_TLS_WRONG_HOST},
	    /* R39: a certificate that is not valid yet means the clock is not set */
	    {"future", PROV_ERROR_TLS_CLOCK_NOT_SET},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvTestServer) test_server = prov_test_server_new(cases[i].server, NULL);
		g_autoptr(ProvFetchContext) ctx = prov_test_context_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes =
		    prov_test_fetch(test_server, "localhost", "/basic.txt", ctx, &error);

		g_test_message("%s: %s", cases[i].server, error != NULL ? error->message : "ok");
		g_assert_error(error, PROV_ERROR, (gint)cases[i].code);
		g_assert_null(bytes);
		g_assert_cmpuint(test_server->requests, ==, 0);
		if (cases[i].code == PROV_ERROR_TLS_CLOCK_NOT_SET)
			g_assert_nonnull(strstr(error->message, "clock not set"));
	}
}

/* without the custom CA the test CA is unknown: the system's roots alone do not trust it */
static void
prov_test_system_roots(void)
{
	g_autoptr(ProvTestServer) test_server = prov_test_server_new("server", NULL);
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    prov_test_fetch(test_server, "localhost", "/basic.txt", ctx, &error);

	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TLS_UNKNOWN_CA);
	g_assert_cmpuint(test_server->requests, ==, 0);
}

/* R30, S-9: a server that requires a client certificate gets the device's, and refuses others */
static void
prov_test_client_certificate(void)
{
	g_autoptr(ProvTestServer) test_server = prov_test_server_new("server", "client-ca.pem");
	g_autoptr(ProvFetchContext) ctx = prov_test_context_new();
	g_autofree gchar *device_cert = prov_test_cert_path("device.pem");
	g_autofree gchar *device_key = prov_test_cert_path("device.key");
	g_autofree gchar *stranger_cert = prov_test_cert_path("stranger.pem");
	g_autofree gchar *stranger_key = prov_test_cert_path("stranger.key");
	g_autoptr(GTlsCertificate) device = NULL;
	g_autoptr(GTlsCertificate) stranger = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	device = prov_tls_certificate_new_from_files(device_cert, device_key, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_certificate(ctx, device);
	bytes = prov_test_fetch(test_server, "localhost", "/basic.txt", ctx, &error);
	g_assert_no_error(error);
	g_assert_nonnull(bytes);
	g_assert_nonnull(test_server->client_subject);
	g_assert_nonnull(strstr(test_server->client_subject, "OU=ATA192-MPP"));
	g_assert_nonnull(strstr(test_server->client_subject, "L=88012BA01234"));
	g_assert_nonnull(strstr(test_server->client_subject, "ST=000e08abcdef"));
	g_clear_pointer(&bytes, g_bytes_unref);

	/* the same request without the certificate is denied */
	test_server->requests = 0;
	prov_fetch_context_set_tls_certificate(ctx, NULL);
	bytes = prov_test_fetch(test_server, "localhost", "/basic.txt", ctx, &error);
	g_test_message("without: %s", error != NULL ? error->message : "ok");
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TLS_FAILED);
	g_assert_null(bytes);
	g_assert_cmpuint(test_server->requests, ==, 0);
	g_clear_error(&error);

	/* and with one from another CA */
	stranger = prov_tls_certificate_new_from_files(stranger_cert, stranger_key, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_tls_certificate(ctx, stranger);
	bytes = prov_test_fetch(test_server, "localhost", "/basic.txt", ctx, &error);
	g_test_message("stranger: %s", error != NULL ? error->message : "ok");
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TLS_FAILED);
	g_assert_cmpuint(test_server->requests, ==, 0);
}

/* R37: https never falls back to http */
static void
prov_test_redirect_to_http(void)
{
	g_autoptr(ProvTestServer) test_server = prov_test_server_new("server", NULL);
	g_autoptr(ProvFetchContext) ctx = prov_test_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    prov_test_fetch(test_server, "localhost", "/to-http", ctx, &error);

	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
}

/* the transport serves its own scheme only */
static void
prov_test_scheme(void)
{
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_https_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes =
	    prov_soup_test_fetch(transport, "http://127.0.0.1/x", ctx, NULL, &error);

	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_true(prov_transport_can_upload(transport));
}

/* R38: a key file that group or others may read is refused where it is loaded */
static void
prov_test_key_permissions(void)
{
	g_autofree gchar *cert_file = prov_test_cert_path("device.pem");
	g_autofree gchar *key_file = prov_test_cert_path("device.key");
	g_autofree gchar *missing = prov_test_cert_path("missing.key");
	g_autofree gchar *combined = prov_test_cert_path("combined.pem");
	g_autofree gchar *cert_pem = NULL;
	g_autofree gchar *key_pem = NULL;
	g_autofree gchar *both = NULL;
	const guint modes[] = {0640, 0604, 0660, 0610};
	g_autoptr(GError) error = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autoptr(GTlsCertificate) refused = NULL;

		g_assert_cmpint(g_chmod(key_file, (gint)modes[i]), ==, 0);
		refused = prov_tls_certificate_new_from_files(cert_file, key_file, &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INSECURE_KEY);
		g_assert_null(refused);
		g_clear_error(&error);
	}
	g_assert_cmpint(g_chmod(key_file, 0600), ==, 0);
	certificate = prov_tls_certificate_new_from_files(cert_file, key_file, &error);
	g_assert_no_error(error);
	g_assert_nonnull(certificate);
	g_clear_object(&certificate);

	/* the key in the certificate file: that file is the private one */
	g_assert_true(g_file_get_contents(cert_file, &cert_pem, NULL, &error));
	g_assert_true(g_file_get_contents(key_file, &key_pem, NULL, &error));
	both = g_strconcat(cert_pem, key_pem, NULL);
	g_assert_true(
	    g_file_set_contents_full(combined, both, -1, G_FILE_SET_CONTENTS_NONE, 0644, &error));
	certificate = prov_tls_certificate_new_from_files(combined, NULL, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INSECURE_KEY);
	g_clear_error(&error);
	g_assert_cmpint(g_chmod(combined, 0600), ==, 0);
	certificate = prov_tls_certificate_new_from_files(combined, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(certificate);
	g_clear_object(&certificate);

	/* a certificate file without a key, and a key that is not there */
	certificate = prov_tls_certificate_new_from_files(cert_file, missing, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_clear_error(&error);
	g_assert_cmpint(g_chmod(cert_file, 0600), ==, 0);
	certificate = prov_tls_certificate_new_from_files(cert_file, NULL, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_assert_cmpint(g_chmod(cert_file, 0644), ==, 0);
}

static void
prov_test_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			prov_test_remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *script = NULL;
	g_autoptr(GError) error = NULL;
	gint status = 0;
	gint result;

	g_test_init(&argc, &argv, NULL);
	if (!g_tls_backend_supports_tls(g_tls_backend_get_default())) {
		g_printerr("SKIP: no TLS backend (glib-networking)\n");
		return 77;
	}
	prov_test_certs = g_dir_make_tmp("prov-https-test-XXXXXX", &error);
	g_assert_no_error(error);
	script = g_test_build_filename(G_TEST_DIST, "plugins", "make-tls-certs", NULL);
	{
		const gchar *argv_script[] = {script, prov_test_certs, NULL};

		g_assert_true(g_spawn_sync(NULL, (gchar **)argv_script, NULL, G_SPAWN_DEFAULT, NULL,
					   NULL, NULL, NULL, &status, &error));
		g_assert_no_error(error);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		prov_test_remove_tree(prov_test_certs);
		g_printerr("SKIP: openssl is not installed\n");
		return 77;
	}
	g_assert_true(g_spawn_check_wait_status(status, &error));
	g_assert_no_error(error);

	g_test_add_func("/prov/https/get", prov_test_get);
	g_test_add_func("/prov/https/refused", prov_test_refused);
	g_test_add_func("/prov/https/system-roots", prov_test_system_roots);
	g_test_add_func("/prov/https/client-certificate", prov_test_client_certificate);
	g_test_add_func("/prov/https/redirect-to-http", prov_test_redirect_to_http);
	g_test_add_func("/prov/https/scheme", prov_test_scheme);
	g_test_add_func("/prov/https/key-permissions", prov_test_key_permissions);
	result = g_test_run();
	prov_test_remove_tree(prov_test_certs);
	g_free(prov_test_certs);
	return result;
}
