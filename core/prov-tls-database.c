/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTlsDatabase"

#include "config.h"

#include "prov-error.h"
#include "prov-tls-database.h"

/**
 * ProvTlsDatabase:
 *
 * The trust store of reference 6.3.1: the system's roots plus the CA
 * files the configuration names (`CAFile`) plus the custom CA that
 * `Custom_CA_Rule` installed (reference 9.3). GIO's file database reads
 * one file and cannot be combined with the system's, so this database
 * asks each in turn: a chain is trusted when one of them trusts it, and
 * otherwise the most specific verdict wins (a store that knows the CA
 * says "expired" or "wrong host", where the others only say "unknown
 * CA"). It only ever narrows what is accepted: it never clears a flag
 * that every store raised.
 *
 * Since: 0.1
 */
struct _ProvTlsDatabase {
	GTlsDatabase parent_instance;
	GPtrArray *databases; /* of GTlsDatabase, the system's first */
	gchar **anchor_files;
};

G_DEFINE_TYPE(ProvTlsDatabase, prov_tls_database, G_TYPE_TLS_DATABASE)

/* does @candidate tell more than @best? a verdict without UNKNOWN_CA came from a store that knew
 * the CA */
static gboolean
prov_tls_database_is_more_specific(GTlsCertificateFlags candidate, GTlsCertificateFlags best)
{
	return (best & G_TLS_CERTIFICATE_UNKNOWN_CA) != 0 &&
	       (candidate & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0;
}

static GTlsCertificateFlags
prov_tls_database_verify_chain(GTlsDatabase *database,
			       GTlsCertificate *chain,
			       const gchar *purpose,
			       GSocketConnectable *identity,
			       GTlsInteraction *interaction,
			       GTlsDatabaseVerifyFlags flags,
			       GCancellable *cancellable,
			       GError **error)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(database);
	GTlsCertificateFlags best = G_TLS_CERTIFICATE_GENERIC_ERROR;
	gboolean have_verdict = FALSE;
	g_autoptr(GError) error_first = NULL;

	for (guint i = 0; i < self->databases->len; i++) {
		GTlsDatabase *child = g_ptr_array_index(self->databases, i);
		g_autoptr(GError) error_local = NULL;
		GTlsCertificateFlags verdict;

		verdict = g_tls_database_verify_chain(child, chain, purpose, identity, interaction,
						      flags, cancellable, &error_local);
		if (error_local != NULL) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return G_TLS_CERTIFICATE_GENERIC_ERROR;
			}
			if (error_first == NULL)
				error_first = g_steal_pointer(&error_local);
			continue;
		}
		if (verdict == 0)
			return 0;
		if (!have_verdict || prov_tls_database_is_more_specific(verdict, best))
			best = verdict;
		have_verdict = TRUE;
	}
	if (!have_verdict && error_first != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_first));
		return G_TLS_CERTIFICATE_GENERIC_ERROR;
	}
	return best;
}

static gchar *
prov_tls_database_create_certificate_handle(GTlsDatabase *database, GTlsCertificate *certificate)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(database);

	for (guint i = 0; i < self->databases->len; i++) {
		gchar *handle = g_tls_database_create_certificate_handle(
		    g_ptr_array_index(self->databases, i), certificate);

		if (handle != NULL)
			return handle;
	}
	return NULL;
}

static GTlsCertificate *
prov_tls_database_lookup_certificate_for_handle(GTlsDatabase *database,
						const gchar *handle,
						GTlsInteraction *interaction,
						GTlsDatabaseLookupFlags flags,
						GCancellable *cancellable,
						GError **error)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(database);

	for (guint i = 0; i < self->databases->len; i++) {
		g_autoptr(GError) error_local = NULL;
		GTlsCertificate *certificate = g_tls_database_lookup_certificate_for_handle(
		    g_ptr_array_index(self->databases, i), handle, interaction, flags, cancellable,
		    &error_local);

		if (certificate != NULL)
			return certificate;
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	return NULL;
}

static GTlsCertificate *
prov_tls_database_lookup_certificate_issuer(GTlsDatabase *database,
					    GTlsCertificate *certificate,
					    GTlsInteraction *interaction,
					    GTlsDatabaseLookupFlags flags,
					    GCancellable *cancellable,
					    GError **error)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(database);

	for (guint i = 0; i < self->databases->len; i++) {
		g_autoptr(GError) error_local = NULL;
		GTlsCertificate *issuer = g_tls_database_lookup_certificate_issuer(
		    g_ptr_array_index(self->databases, i), certificate, interaction, flags,
		    cancellable, &error_local);

		if (issuer != NULL)
			return issuer;
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
	}
	return NULL;
}

static GList *
prov_tls_database_lookup_certificates_issued_by(GTlsDatabase *database,
						GByteArray *issuer_raw_dn,
						GTlsInteraction *interaction,
						GTlsDatabaseLookupFlags flags,
						GCancellable *cancellable,
						GError **error)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(database);
	GList *certificates = NULL;

	for (guint i = 0; i < self->databases->len; i++) {
		g_autoptr(GError) error_local = NULL;
		GList *found = g_tls_database_lookup_certificates_issued_by(
		    g_ptr_array_index(self->databases, i), issuer_raw_dn, interaction, flags,
		    cancellable, &error_local);

		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_list_free_full(certificates, g_object_unref);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		certificates = g_list_concat(certificates, found);
	}
	return certificates;
}

/**
 * prov_tls_database_get_anchor_files:
 * @self: a #ProvTlsDatabase
 *
 * Returns: (transfer none): the CA files trusted besides the system's roots
 *
 * Since: 0.1
 */
const gchar *const *
prov_tls_database_get_anchor_files(ProvTlsDatabase *self)
{
	g_return_val_if_fail(PROV_IS_TLS_DATABASE(self), NULL);

	return (const gchar *const *)self->anchor_files;
}

static void
prov_tls_database_dispose(GObject *object)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(object);

	if (self->databases != NULL)
		g_ptr_array_set_size(self->databases, 0);
	G_OBJECT_CLASS(prov_tls_database_parent_class)->dispose(object);
}

static void
prov_tls_database_finalize(GObject *object)
{
	ProvTlsDatabase *self = PROV_TLS_DATABASE(object);

	g_clear_pointer(&self->databases, g_ptr_array_unref);
	g_strfreev(self->anchor_files);
	G_OBJECT_CLASS(prov_tls_database_parent_class)->finalize(object);
}

static void
prov_tls_database_class_init(ProvTlsDatabaseClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS(klass);

	object_class->dispose = prov_tls_database_dispose;
	object_class->finalize = prov_tls_database_finalize;
	database_class->verify_chain = prov_tls_database_verify_chain;
	database_class->create_certificate_handle = prov_tls_database_create_certificate_handle;
	database_class->lookup_certificate_for_handle =
	    prov_tls_database_lookup_certificate_for_handle;
	database_class->lookup_certificate_issuer = prov_tls_database_lookup_certificate_issuer;
	database_class->lookup_certificates_issued_by =
	    prov_tls_database_lookup_certificates_issued_by;
}

static void
prov_tls_database_init(ProvTlsDatabase *self)
{
	self->databases = g_ptr_array_new_with_free_func(g_object_unref);
}

/**
 * prov_tls_database_new:
 * @anchor_files: (nullable) (array zero-terminated=1): PEM files of CA
 *   certificates to trust besides the system's roots: `CAFile` and the
 *   custom CA (reference 9.3)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the trust store, or %NULL with
 *   %PROV_ERROR_CONFIG when a file cannot be read or holds no
 *   certificate, or %PROV_ERROR_TLS_FAILED when the system has no TLS
 *   support
 *
 * Since: 0.1
 */
ProvTlsDatabase *
prov_tls_database_new(const gchar *const *anchor_files, GError **error)
{
	g_autoptr(ProvTlsDatabase) self = g_object_new(PROV_TYPE_TLS_DATABASE, NULL);
	GTlsBackend *backend = g_tls_backend_get_default();
	GTlsDatabase *system;

	if (!g_tls_backend_supports_tls(backend)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_TLS_FAILED,
			    "no TLS support: glib-networking is not installed");
		return NULL;
	}
	system = g_tls_backend_get_default_database(backend);
	if (system != NULL)
		g_ptr_array_add(self->databases, system);
	for (guint i = 0; anchor_files != NULL && anchor_files[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;
		g_autolist(GTlsCertificate) certificates = NULL;
		GTlsDatabase *database;

		/* GIO's file database accepts a file without certificates; a CA file that trusts
		 * nothing is a mistake */
		certificates = g_tls_certificate_list_new_from_file(anchor_files[i], &error_local);
		if (certificates == NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: %s", anchor_files[i],
				    error_local != NULL ? error_local->message
							: "no certificate in the file");
			return NULL;
		}
		database = g_tls_file_database_new(anchor_files[i], &error_local);
		if (database == NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "%s: %s", anchor_files[i],
				    error_local->message);
			return NULL;
		}
		g_ptr_array_add(self->databases, database);
	}
	self->anchor_files = g_strdupv((gchar **)anchor_files);
	if (self->anchor_files == NULL)
		self->anchor_files = g_new0(gchar *, 1);
	return g_steal_pointer(&self);
}
