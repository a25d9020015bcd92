/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>
#include <prov-error.h>
#include <prov-fetch-context.h>

G_BEGIN_DECLS

/* at most 5 hops (R37, reference 6.2.4) */
#define PROV_SOUP_REDIRECTS_MAX 5
/* 401/407 are answered at most twice (reference 6.2.3) */
#define PROV_SOUP_AUTH_RETRIES_MAX 2

void
prov_soup_fetch_async(GObject *source,
		      const gchar *scheme,
		      GUri *uri,
		      ProvFetchContext *ctx,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data);
GBytes *
prov_soup_fetch_finish(GObject *source, GAsyncResult *result, GError **error);

void
prov_soup_upload_async(GObject *source,
		       const gchar *scheme,
		       GUri *uri,
		       ProvFetchContext *ctx,
		       GBytes *data,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data);
gboolean
prov_soup_upload_finish(GObject *source, GAsyncResult *result, GError **error);

/* the pieces below are exposed for the unit tests */
ProvError
prov_soup_status_to_error_code(guint status, gboolean upload);
ProvError
prov_soup_tls_flags_to_error_code(GTlsCertificateFlags flags);
gboolean
prov_soup_redirect_is_allowed(GUri *from, GUri *to);
gchar *
prov_soup_cache_key(GUri *uri);

G_END_DECLS
