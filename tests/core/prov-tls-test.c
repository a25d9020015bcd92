/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The TLS helpers the daemon uses (reference 6.3, 9.3): the trust store,
 * the custom CA's parsing and status strings. Certificates come from
 * tests/plugins/make-tls-certs at test time (exit 77 without openssl);
 * the verdicts over a real handshake are in the https plugin's tests.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-tls-database.h"
#include "prov-tls.h"

static gchar *prov_test_certs = NULL;

static gchar *
prov_test_cert_path(const gchar *name)
{
	return g_build_filename(prov_test_certs, name, NULL);
}

static GBytes *
prov_test_read(const gchar *name)
{
	g_autofree gchar *path = prov_test_cert_path(name);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;
	gsize length = 0;

	g_assert_true(g_file_get_contents(path, &contents, &length, &error));
	g_assert_no_error(error);
	return g_bytes_new_take(contents, length);
}

static GTlsCertificate *
prov_test_load(const gchar *name)
{
	g_autofree gchar *path = prov_test_cert_path(name);
	g_autoptr(GError) error = NULL;
	GTlsCertificate *certificate = g_tls_certificate_new_from_file(path, &error);

	g_assert_no_error(error);
	return certificate;
}

/* reference 9.3: PEM with several certificates, all kept in order; a single DER certificate */
static void
prov_test_custom_ca_parse(void)
{
	g_autoptr(GBytes) ca = prov_test_read("ca.pem");
	g_autoptr(GBytes) client_ca = prov_test_read("client-ca.pem");
	g_autoptr(GByteArray) joined = g_byte_array_new();
	g_autoptr(GBytes) bundle = NULL;
	g_autoptr(GPtrArray) certificates = NULL;
	g_autoptr(GTlsCertificate) first = prov_test_load("ca.pem");
	g_autoptr(GByteArray) der = NULL;
	g_autoptr(GBytes) der_bytes = NULL;
	g_autoptr(GPtrArray) from_der = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *pem = NULL;
	g_autofree gchar *common_name = NULL;

	g_byte_array_append(joined, (const guint8 *)"some preamble\n", 14);
	g_byte_array_append(joined, g_bytes_get_data(ca, NULL), (guint)g_bytes_get_size(ca));
	g_byte_array_append(joined, g_bytes_get_data(client_ca, NULL),
			    (guint)g_bytes_get_size(client_ca));
	bundle = g_byte_array_free_to_bytes(g_steal_pointer(&joined));
	certificates = prov_tls_certificates_new_from_bytes(bundle, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(certificates->len, ==, 2);
	g_assert_true(g_tls_certificate_is_same(g_ptr_array_index(certificates, 0), first));
	common_name = prov_tls_certificate_dup_common_name(g_ptr_array_index(certificates, 1));
	g_assert_cmpstr(common_name, ==, "Test Client Root");

	/* written back as PEM, the form the trust store reads */
	pem = prov_tls_certificates_to_pem(certificates);
	g_assert_nonnull(strstr(pem, "-----BEGIN CERTIFICATE-----"));
	g_assert_true(g_str_has_suffix(pem, "-----END CERTIFICATE-----\n"));

	g_object_get(first, "certificate", &der, NULL);
	der_bytes = g_bytes_new(der->data, der->len);
	from_der = prov_tls_certificates_new_from_bytes(der_bytes, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(from_der->len, ==, 1);
	g_assert_true(g_tls_certificate_is_same(g_ptr_array_index(from_der, 0), first));
}

static void
prov_test_custom_ca_corrupt(void)
{
	const gchar *inputs[] = {"", "not a certificate at all",
				 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
				 "-----BEGIN CERTIFICATE-----\nMIIB"};

	for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
		g_autoptr(GBytes) data = g_bytes_new_static(inputs[i], strlen(inputs[i]));
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) certificates =
		    prov_tls_certificates_new_from_bytes(data, &error);

		g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
		g_assert_null(certificates);
	}
}

/* S-11: the strings of Info > Status > Custom CA Status */
static void
prov_test_custom_ca_status(void)
{
	g_autoptr(GTlsCertificate) ca = prov_test_load("ca.pem");
	g_autoptr(GTlsCertificate) device = prov_test_load("device.pem");
	g_autoptr(GTimeZone) zone = g_time_zone_new_local();
	g_autoptr(GDateTime) when = g_date_time_new(zone, 2026, 3, 7, 9, 5, 1);
	g_autofree gchar *info = prov_tls_custom_ca_info(ca);
	g_autofree gchar *none = prov_tls_custom_ca_info(NULL);
	g_autofree gchar *device_info = prov_tls_custom_ca_info(device);
	g_autofree gchar *succeeded = prov_tls_custom_ca_status(TRUE, when);
	g_autofree gchar *failed = prov_tls_custom_ca_status(FALSE, when);

	g_assert_cmpstr(info, ==, "Installed - Test Provisioning CA");
	g_assert_cmpstr(none, ==, "Not Installed");
	g_assert_cmpstr(device_info, ==, "Installed - 000e08abcdef");
	g_assert_cmpstr(succeeded, ==, "Last provisioning succeeded on 03/07/2026 09:05:01");
	g_assert_cmpstr(failed, ==, "Last provisioning failed on 03/07/2026 09:05:01");
}

static void
prov_test_database_files(void)
{
	g_autofree gchar *ca_file = prov_test_cert_path("ca.pem");
	g_autofree gchar *missing = prov_test_cert_path("missing.pem");
	g_autofree gchar *key_file = prov_test_cert_path("ca.key");
	const gchar *good[] = {ca_file, NULL};
	const gchar *bad[] = {ca_file, missing, NULL};
	const gchar *not_ca[] = {key_file, NULL};
	g_autoptr(ProvTlsDatabase) database = NULL;
	g_autoptr(ProvTlsDatabase) system = NULL;
	g_autoptr(GError) error = NULL;

	database = prov_tls_database_new(good, &error);
	g_assert_no_error(error);
	g_assert_true(G_IS_TLS_DATABASE(database));
	g_assert_cmpstrv(prov_tls_database_get_anchor_files(database), good);
	g_clear_object(&database);

	database = prov_tls_database_new(bad, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_assert_null(database);
	g_clear_error(&error);
	database = prov_tls_database_new(not_ca, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_clear_error(&error);

	system = prov_tls_database_new(NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstrv(prov_tls_database_get_anchor_files(system), ((const gchar *[]){NULL}));
}

/* the verdicts without a handshake: the custom CA is trusted, the others are told apart */
static void
prov_test_database_verify(void)
{
	g_autofree gchar *ca_file = prov_test_cert_path("ca.pem");
	const gchar *anchors[] = {ca_file, NULL};
	static const struct {
		const gchar *name;
		GTlsCertificateFlags flags;
	} cases[] = {
	    {"server.pem", 0},
	    {"expired.pem", G_TLS_CERTIFICATE_EXPIRED},
	    {"future.pem", G_TLS_CERTIFICATE_NOT_ACTIVATED},
	    {"wronghost.pem", G_TLS_CERTIFICATE_BAD_IDENTITY},
	    {"unknown.pem", G_TLS_CERTIFICATE_UNKNOWN_CA},
	};
	g_autoptr(ProvTlsDatabase) database = NULL;
	g_autoptr(ProvTlsDatabase) system = NULL;
	g_autoptr(GSocketConnectable) identity = g_network_address_new("localhost", 443);
	g_autoptr(GError) error = NULL;

	database = prov_tls_database_new(anchors, &error);
	g_assert_no_error(error);
	system = prov_tls_database_new(NULL, &error);
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GTlsCertificate) certificate = prov_test_load(cases[i].name);
		GTlsCertificateFlags flags;

		flags = g_tls_database_verify_chain(G_TLS_DATABASE(database), certificate,
						    G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
						    identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
						    NULL, &error);
		g_assert_no_error(error);
		g_test_message("%s: 0x%x", cases[i].name, flags);
		g_assert_cmpuint(flags & (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED |
					  G_TLS_CERTIFICATE_NOT_ACTIVATED |
					  G_TLS_CERTIFICATE_BAD_IDENTITY),
				 ==, cases[i].flags);
		/* the system's roots alone know none of the test CAs */
		flags = g_tls_database_verify_chain(
		    G_TLS_DATABASE(system), certificate, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
		    identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(flags & G_TLS_CERTIFICATE_UNKNOWN_CA);
	}
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
	const gchar *script_argv[] = {NULL, NULL, NULL};
	gint status = 0;
	gint result;

	g_test_init(&argc, &argv, NULL);
	if (!g_tls_backend_supports_tls(g_tls_backend_get_default())) {
		g_printerr("SKIP: no TLS backend (glib-networking)\n");
		return 77;
	}
	prov_test_certs = g_dir_make_tmp("prov-tls-test-XXXXXX", &error);
	g_assert_no_error(error);
	script = g_test_build_filename(G_TEST_DIST, "plugins", "make-tls-certs", NULL);
	script_argv[0] = script;
	script_argv[1] = prov_test_certs;
	g_assert_true(g_spawn_sync(NULL, (gchar **)script_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
				   NULL, NULL, &status, &error));
	g_assert_no_error(error);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
		prov_test_remove_tree(prov_test_certs);
		g_printerr("SKIP: openssl is not installed\n");
		return 77;
	}
	g_assert_true(g_spawn_check_wait_status(status, &error));

	g_test_add_func("/prov/tls/custom-ca-parse", prov_test_custom_ca_parse);
	g_test_add_func("/prov/tls/custom-ca-corrupt", prov_test_custom_ca_corrupt);
	g_test_add_func("/prov/tls/custom-ca-status", prov_test_custom_ca_status);
	g_test_add_func("/prov/tls/database-files", prov_test_database_files);
	g_test_add_func("/prov/tls/database-verify", prov_test_database_verify);
	result = g_test_run();
	prov_test_remove_tree(prov_test_certs);
	g_free(prov_test_certs);
	return result;
}
