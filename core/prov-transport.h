/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-fetch-context.h"

G_BEGIN_DECLS

/**
 * ProvTransport:
 *
 * A way to fetch a profile, provided by a plugin and registered with
 * prov_plugin_add_transport() for a URL scheme (`tftp`, `http`, `https`).
 * The engine creates one per resync and fetches each URL of that scheme
 * with it, handing in a #ProvFetchContext with the size cap, the timeouts,
 * the User-Agent, the TLS material and the credentials. See
 * #ProvTransportInterface.
 *
 * Since: 0.1
 */
#define PROV_TYPE_TRANSPORT (prov_transport_get_type())
PROV_API
G_DECLARE_INTERFACE(ProvTransport, prov_transport, PROV, TRANSPORT, GObject)

/**
 * ProvTransportInterface:
 * @parent_iface: the parent interface
 * @fetch_async: starts fetching @uri within the context's size cap and
 *   timeouts; cancellable
 * @fetch_finish: (transfer full): the fetched bytes, or %NULL with an error
 * @upload_async: optional: sends @data to @uri (Report_Rule, reference 9.1)
 * @upload_finish: completes @upload_async
 *
 * What a transport plugin implements for its URL scheme. The core creates
 * a transport per resync; it keeps no state between resyncs.
 *
 * Since: 0.1
 */
struct _ProvTransportInterface {
	GTypeInterface parent_iface;
	void (*fetch_async)(ProvTransport *self,
			    GUri *uri,
			    ProvFetchContext *ctx,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
	GBytes *(*fetch_finish)(ProvTransport *self, GAsyncResult *result, GError **error);
	void (*upload_async)(ProvTransport *self,
			     GUri *uri,
			     ProvFetchContext *ctx,
			     GBytes *data,
			     GCancellable *cancellable,
			     GAsyncReadyCallback callback,
			     gpointer user_data);
	gboolean (*upload_finish)(ProvTransport *self, GAsyncResult *result, GError **error);
	/*< private >*/
	gpointer padding[8];
};

PROV_API void
prov_transport_fetch_async(ProvTransport *self,
			   GUri *uri,
			   ProvFetchContext *ctx,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data);
PROV_API void
prov_transport_fetch_url_async(ProvTransport *self,
			       const gchar *url,
			       ProvFetchContext *ctx,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data);
PROV_API GBytes *
prov_transport_fetch_finish(ProvTransport *self, GAsyncResult *result, GError **error);

PROV_API gboolean
prov_transport_can_upload(ProvTransport *self);
PROV_API void
prov_transport_upload_async(ProvTransport *self,
			    GUri *uri,
			    ProvFetchContext *ctx,
			    GBytes *data,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data);
PROV_API gboolean
prov_transport_upload_finish(ProvTransport *self, GAsyncResult *result, GError **error);

G_END_DECLS
