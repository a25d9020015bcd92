/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-http-transport.h"
#include "prov-soup-common.h"

/*
 * ProvHttpTransport: the http scheme of reference 6.2 on libsoup 3. GET (or
 * POST for `--post`) with the device's User-Agent, Basic and Digest
 * answers with the rule's credentials, at most 5 redirects and never to
 * another scheme but https, an overall deadline and an inactivity
 * timeout, the fetch cap while streaming, truncation as failure, and
 * conditional requests against the copy kept in the cache directory.
 * Uploads (Report_Rule, reference 9.1) use PUT or POST. The work is in
 * plugins/soup-common, shared with the https plugin.
 */
struct _ProvHttpTransport {
	GObject parent_instance;
};

static void
prov_http_transport_iface_init(ProvTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvHttpTransport,
			prov_http_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT, prov_http_transport_iface_init))

static void
prov_http_transport_fetch_async(ProvTransport *transport,
				GUri *uri,
				ProvFetchContext *ctx,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	prov_soup_fetch_async(G_OBJECT(transport), "http", uri, ctx, cancellable, callback,
			      user_data);
}

static GBytes *
prov_http_transport_fetch_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return prov_soup_fetch_finish(G_OBJECT(transport), result, error);
}

static void
prov_http_transport_upload_async(ProvTransport *transport,
				 GUri *uri,
				 ProvFetchContext *ctx,
				 GBytes *data,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	prov_soup_upload_async(G_OBJECT(transport), "http", uri, ctx, data, cancellable, callback,
			       user_data);
}

static gboolean
prov_http_transport_upload_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return prov_soup_upload_finish(G_OBJECT(transport), result, error);
}

static void
prov_http_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_http_transport_fetch_async;
	iface->fetch_finish = prov_http_transport_fetch_finish;
	iface->upload_async = prov_http_transport_upload_async;
	iface->upload_finish = prov_http_transport_upload_finish;
}

static void
prov_http_transport_class_init(ProvHttpTransportClass *klass)
{
}

static void
prov_http_transport_init(ProvHttpTransport *self)
{
}

ProvHttpTransport *
prov_http_transport_new(void)
{
	return g_object_new(PROV_TYPE_HTTP_TRANSPORT, NULL);
}
