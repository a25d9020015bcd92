/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-limits.h"

G_BEGIN_DECLS

/**
 * PROV_FETCH_CONTEXT_DEFAULT_TIMEOUT:
 *
 * The default overall deadline of a fetch, in seconds. R35: every fetch has
 * an overall deadline and an inactivity timeout.
 *
 * Since: 0.1
 */
#define PROV_FETCH_CONTEXT_DEFAULT_TIMEOUT 60

/**
 * PROV_FETCH_CONTEXT_DEFAULT_INACTIVITY_TIMEOUT:
 *
 * The default inactivity timeout of a fetch, in seconds: a server that sends
 * nothing for this long is cut off, whatever the overall deadline (R35).
 *
 * Since: 0.1
 */
#define PROV_FETCH_CONTEXT_DEFAULT_INACTIVITY_TIMEOUT 30

#define PROV_TYPE_FETCH_CONTEXT (prov_fetch_context_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvFetchContext, prov_fetch_context, PROV, FETCH_CONTEXT, GObject)

PROV_API ProvFetchContext *
prov_fetch_context_new(void);

PROV_API void
prov_fetch_context_set_user_agent(ProvFetchContext *self, const gchar *user_agent);
PROV_API const gchar *
prov_fetch_context_get_user_agent(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_timeout(ProvFetchContext *self, guint seconds);
PROV_API guint
prov_fetch_context_get_timeout(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_inactivity_timeout(ProvFetchContext *self, guint seconds);
PROV_API guint
prov_fetch_context_get_inactivity_timeout(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_size_max(ProvFetchContext *self, gsize size_max);
PROV_API gsize
prov_fetch_context_get_size_max(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_limits(ProvFetchContext *self, const ProvLimits *limits);

PROV_API void
prov_fetch_context_set_tls_certificate(ProvFetchContext *self, GTlsCertificate *certificate);
PROV_API GTlsCertificate *
prov_fetch_context_get_tls_certificate(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_tls_database(ProvFetchContext *self, GTlsDatabase *database);
PROV_API GTlsDatabase *
prov_fetch_context_get_tls_database(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_credentials(ProvFetchContext *self,
				   const gchar *username,
				   const gchar *password);
PROV_API const gchar *
prov_fetch_context_get_username(ProvFetchContext *self);
PROV_API const gchar *
prov_fetch_context_get_password(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_cache_directory(ProvFetchContext *self, const gchar *path);
PROV_API const gchar *
prov_fetch_context_get_cache_directory(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_post_body(ProvFetchContext *self, GBytes *body);
PROV_API GBytes *
prov_fetch_context_get_post_body(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_upload_method(ProvFetchContext *self, const gchar *method);
PROV_API const gchar *
prov_fetch_context_get_upload_method(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_content_type(ProvFetchContext *self, const gchar *content_type);
PROV_API const gchar *
prov_fetch_context_get_content_type(ProvFetchContext *self);

PROV_API void
prov_fetch_context_set_final_uri(ProvFetchContext *self, const gchar *uri);
PROV_API const gchar *
prov_fetch_context_get_final_uri(ProvFetchContext *self);
PROV_API void
prov_fetch_context_set_not_modified(ProvFetchContext *self, gboolean not_modified);
PROV_API gboolean
prov_fetch_context_get_not_modified(ProvFetchContext *self);

G_END_DECLS
