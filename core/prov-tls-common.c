/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTls"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prov-error.h"
#include "prov-tls.h"

/* a certificate or key file is a few kilobytes; anything larger is not one */
#define PROV_TLS_FILE_MAX (256 * 1024)

#define PROV_TLS_PEM_BEGIN "-----BEGIN "

/* the key must not linger in freed heap memory */
static void
prov_tls_wipe_free(gchar *secret)
{
	if (secret == NULL)
		return;
	explicit_bzero(secret, strlen(secret));
	g_free(secret);
}

typedef gchar ProvTlsSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTlsSecret, prov_tls_wipe_free)

/*
 * R38: the key is read from the descriptor whose mode was checked, so
 * that a file swapped in between cannot slip past the check
 */
static gchar *
prov_tls_read_private_file(const gchar *path, GError **error)
{
	struct stat st;
	g_autoptr(ProvTlsSecret) contents = NULL;
	gsize length = 0;
	gint fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		gint saved_errno = errno;

		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: %s", path,
			    g_strerror(saved_errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: not a regular file", path);
		return NULL;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		close(fd);
		g_set_error(error, PROV_ERROR, PROV_ERROR_INSECURE_KEY,
			    "%s: private key is accessible by group or others (mode %04o), "
			    "refusing it; chmod 600 it",
			    path, (guint)(st.st_mode & 07777));
		return NULL;
	}
	if (st.st_size > PROV_TLS_FILE_MAX) {
		close(fd);
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: too large for a key file",
			    path);
		return NULL;
	}
	contents = g_malloc0(PROV_TLS_FILE_MAX + 1);
	while (length < PROV_TLS_FILE_MAX) {
		gssize n = read(fd, contents + length, PROV_TLS_FILE_MAX - length);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			gint saved_errno = errno;

			close(fd);
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: %s", path,
				    g_strerror(saved_errno));
			return NULL;
		}
		if (n == 0)
			break;
		length += (gsize)n;
	}
	close(fd);
	contents[length] = '\0';
	return g_steal_pointer(&contents);
}

/**
 * prov_tls_certificate_new_from_files:
 * @cert_file: a PEM file with the device certificate (`DeviceCertificate`),
 *   followed by its intermediates if any
 * @key_file: (nullable): a PEM file with its private key (`DeviceKey`);
 *   %NULL when @cert_file holds the key as well
 * @error: return location for a #GError
 *
 * Loads the client certificate of reference 6.3.2 for
 * prov_fetch_context_set_tls_certificate(). The file that holds the
 * private key must be a regular file that neither its group nor others
 * may read, write or execute (R38, as ssh does for its keys): a key
 * others can read is no proof of the device's identity.
 *
 * Returns: (transfer full): the certificate with its private key, or %NULL
 *   with %PROV_ERROR_INSECURE_KEY for a key file with a loose mode, or
 *   %PROV_ERROR_CONFIG when a file cannot be read or parsed
 *
 * Since: 0.1
 */
GTlsCertificate *
prov_tls_certificate_new_from_files(const gchar *cert_file, const gchar *key_file, GError **error)
{
	g_autofree gchar *cert_pem = NULL;
	g_autoptr(ProvTlsSecret) key_pem = NULL;
	g_autoptr(ProvTlsSecret) both = NULL;
	g_autoptr(GError) error_local = NULL;
	GTlsCertificate *certificate;

	g_return_val_if_fail(cert_file != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	key_pem = prov_tls_read_private_file(key_file != NULL ? key_file : cert_file, error);
	if (key_pem == NULL)
		return NULL;
	if (strstr(key_pem, "PRIVATE KEY-----") == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: no private key in the file",
			    key_file != NULL ? key_file : cert_file);
		return NULL;
	}
	if (key_file != NULL) {
		if (!g_file_get_contents(cert_file, &cert_pem, NULL, &error_local)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s",
				    error_local->message);
			return NULL;
		}
		both = g_strconcat(cert_pem, "\n", key_pem, NULL);
	} else {
		both = g_strdup(key_pem);
	}
	certificate = g_tls_certificate_new_from_pem(both, -1, &error_local);
	if (certificate == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: %s", cert_file,
			    error_local->message);
		return NULL;
	}
	return certificate;
}

/* a single DER certificate: GIO has no constructor for it but the backend's "certificate" property
 */
static GTlsCertificate *
prov_tls_certificate_new_from_der(GBytes *data, GError **error)
{
	g_autoptr(GByteArray) der = g_byte_array_new();

	g_byte_array_append(der, g_bytes_get_data(data, NULL), (guint)g_bytes_get_size(data));
	return g_initable_new(g_tls_backend_get_certificate_type(g_tls_backend_get_default()), NULL,
			      error, "certificate", der, NULL);
}

/**
 * prov_tls_certificates_new_from_bytes:
 * @data: what `Custom_CA_Rule` fetched: PEM with one or more
 *   certificates, or one DER certificate (reference 9.3)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (element-type GTlsCertificate): the
 *   certificates in file order, or %NULL with %PROV_ERROR_CORRUPT_FILE
 *   when @data holds none
 *
 * Since: 0.1
 */
GPtrArray *
prov_tls_certificates_new_from_bytes(GBytes *data, GError **error)
{
	g_autoptr(GPtrArray) certificates = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GError) error_local = NULL;
	gsize size = 0;
	const gchar *text = g_bytes_get_data(data, &size);
	g_autofree gchar *copy = NULL;

	g_return_val_if_fail(data != NULL, NULL);

	if (size == 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "no certificate: empty file");
		return NULL;
	}
	if (memchr(text, '\0', size) == NULL &&
	    g_strstr_len(text, (gssize)size, PROV_TLS_PEM_BEGIN "CERTIFICATE-----") != NULL) {
		const gchar *cursor;

		copy = g_strndup(text, size);
		cursor = strstr(copy, PROV_TLS_PEM_BEGIN "CERTIFICATE-----");
		while (cursor != NULL) {
			GTlsCertificate *certificate;
			const gchar *end = strstr(cursor, "-----END CERTIFICATE-----");

			if (end == NULL)
				break;
			end += strlen("-----END CERTIFICATE-----");
			certificate =
			    g_tls_certificate_new_from_pem(cursor, end - cursor, &error_local);
			if (certificate == NULL) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
					    "certificate %u: %s", certificates->len + 1,
					    error_local->message);
				return NULL;
			}
			g_ptr_array_add(certificates, certificate);
			cursor = strstr(end, PROV_TLS_PEM_BEGIN "CERTIFICATE-----");
		}
	} else {
		GTlsCertificate *certificate =
		    prov_tls_certificate_new_from_der(data, &error_local);

		if (certificate == NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "neither PEM nor DER certificate: %s", error_local->message);
			return NULL;
		}
		g_ptr_array_add(certificates, certificate);
	}
	if (certificates->len == 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "no complete certificate in the file");
		return NULL;
	}
	return g_steal_pointer(&certificates);
}

/**
 * prov_tls_certificates_to_pem:
 * @certificates: (element-type GTlsCertificate): certificates
 *
 * Returns: (transfer full): the certificates as one PEM text, the form
 *   #ProvTlsDatabase reads its anchor files in
 *
 * Since: 0.1
 */
gchar *
prov_tls_certificates_to_pem(GPtrArray *certificates)
{
	GString *pem = g_string_new(NULL);

	g_return_val_if_fail(certificates != NULL, NULL);

	for (guint i = 0; i < certificates->len; i++) {
		g_autofree gchar *one = NULL;

		g_object_get(g_ptr_array_index(certificates, i), "certificate-pem", &one, NULL);
		if (one == NULL)
			continue;
		g_string_append(pem, one);
		if (pem->len > 0 && pem->str[pem->len - 1] != '\n')
			g_string_append_c(pem, '\n');
	}
	return g_string_free(pem, FALSE);
}

/* the value of the first CN in an RFC 4514 distinguished name, with its escapes undone */
static gchar *
prov_tls_dn_find_common_name(const gchar *dn)
{
	const gchar *cursor = dn;

	while (*cursor != '\0') {
		gboolean is_cn = g_ascii_strncasecmp(cursor, "CN=", 3) == 0;
		GString *value = g_string_new(NULL);

		cursor = strchr(cursor, '=');
		if (cursor == NULL) {
			g_string_free(value, TRUE);
			return NULL;
		}
		cursor++;
		while (*cursor != '\0' && *cursor != ',' && *cursor != '+') {
			if (*cursor == '\\' && cursor[1] != '\0') {
				if (g_ascii_isxdigit(cursor[1]) && g_ascii_isxdigit(cursor[2])) {
					g_string_append_c(
					    value, (gchar)(g_ascii_xdigit_value(cursor[1]) * 16 +
							   g_ascii_xdigit_value(cursor[2])));
					cursor += 3;
					continue;
				}
				cursor++;
			}
			g_string_append_c(value, *cursor);
			cursor++;
		}
		if (is_cn)
			return g_string_free(value, FALSE);
		g_string_free(value, TRUE);
		if (*cursor != '\0')
			cursor++;
		while (*cursor == ' ')
			cursor++;
	}
	return NULL;
}

/**
 * prov_tls_certificate_dup_common_name:
 * @certificate: a certificate
 *
 * Returns: (transfer full) (nullable): the common name (CN) of the
 *   certificate's subject, %NULL when it has none
 *
 * Since: 0.1
 */
gchar *
prov_tls_certificate_dup_common_name(GTlsCertificate *certificate)
{
	g_autofree gchar *subject = NULL;

	g_return_val_if_fail(G_IS_TLS_CERTIFICATE(certificate), NULL);

	subject = g_tls_certificate_get_subject_name(certificate);
	if (subject == NULL)
		return NULL;
	return prov_tls_dn_find_common_name(subject);
}

/**
 * prov_tls_custom_ca_info:
 * @certificate: (nullable): the first certificate of the installed custom
 *   CA file, %NULL when none is installed
 *
 * The "Custom CA Info" line of the Info > Status page (reference 9.3).
 *
 * Returns: (transfer full): `Installed - <CN>` (just `Installed` for a
 *   certificate without CN) or `Not Installed`
 *
 * Since: 0.1
 */
gchar *
prov_tls_custom_ca_info(GTlsCertificate *certificate)
{
	g_autofree gchar *common_name = NULL;

	g_return_val_if_fail(certificate == NULL || G_IS_TLS_CERTIFICATE(certificate), NULL);

	if (certificate == NULL)
		return g_strdup("Not Installed");
	common_name = prov_tls_certificate_dup_common_name(certificate);
	if (common_name == NULL || common_name[0] == '\0')
		return g_strdup("Installed");
	return g_strdup_printf("Installed - %s", common_name);
}

/**
 * prov_tls_custom_ca_status:
 * @succeeded: whether the last `Custom_CA_Rule` download succeeded
 * @when: when it ended; shown in local time
 *
 * The "Custom CA Provisioning Status" line of the Info > Status page
 * (reference 9.3).
 *
 * Returns: (transfer full): `Last provisioning succeeded on MM/DD/YYYY
 *   HH:MM:SS` or `Last provisioning failed on MM/DD/YYYY HH:MM:SS`
 *
 * Since: 0.1
 */
gchar *
prov_tls_custom_ca_status(gboolean succeeded, GDateTime *when)
{
	g_autoptr(GDateTime) local = NULL;
	g_autofree gchar *stamp = NULL;

	g_return_val_if_fail(when != NULL, NULL);

	local = g_date_time_to_local(when);
	stamp = g_date_time_format(local, "%m/%d/%Y %H:%M:%S");
	return g_strdup_printf("Last provisioning %s on %s", succeeded ? "succeeded" : "failed",
			       stamp);
}
