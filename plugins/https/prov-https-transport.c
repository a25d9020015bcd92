/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-https-transport.h"
#include "prov-soup-common.h"

/*
 * ProvHttpsTransport: the https scheme of reference 6.3: the http fetch path
 * of plugins/soup-common over TLS. Servers are verified against the
 * context's trust store (system roots, CAFile, the custom CA) or the
 * system's, with the host name checked; the device certificate is
 * presented when the server asks for one. Validation is never switched
 * off (R38): a refused certificate fails with the reason's own error
 * code (unknown CA, expired, wrong host, clock not set).
 */
struct _ProvHttpsTransport {
	GObject parent_instance;
};

static void
prov_https_transport_iface_init(ProvTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvHttpsTransport,
			prov_https_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT, prov_https_transport_iface_init))

static void
prov_https_transport_fetch_async(ProvTransport *transport,
				 GUri *uri,
				 ProvFetchContext *ctx,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	prov_soup_fetch_async(G_OBJECT(transport), "https", uri, ctx, cancellable, callback,
			      user_data);
}

static GBytes *
prov_https_transport_fetch_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return prov_soup_fetch_finish(G_OBJECT(transport), result, error);
}

static void
prov_https_transport_upload_async(ProvTransport *transport,
				  GUri *uri,
				  ProvFetchContext *ctx,
				  GBytes *data,
				  GCancellable *cancellable,
				  GAsyncReadyCallback callback,
				  gpointer user_data)
{
	prov_soup_upload_async(G_OBJECT(transport), "https", uri, ctx, data, cancellable, callback,
			       user_data);
}

static gboolean
prov_https_transport_upload_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return prov_soup_upload_finish(G_OBJECT(transport), result, error);
}

static void
prov_https_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_https_transport_fetch_async;
	iface->fetch_finish = prov_https_transport_fetch_finish;
	iface->upload_async = prov_https_transport_upload_async;
	iface->upload_finish = prov_https_transport_upload_finish;
}

static void
prov_https_transport_class_init(ProvHttpsTransportClass *klass)
{
}

static void
prov_https_transport_init(ProvHttpsTransport *self)
{
}

ProvHttpsTransport *
prov_https_transport_new(void)
{
	return g_object_new(PROV_TYPE_HTTPS_TRANSPORT, NULL);
}
