/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTransport"

#include "config.h"

#include "prov-error.h"
#include "prov-transport.h"

G_DEFINE_INTERFACE(ProvTransport, prov_transport, G_TYPE_OBJECT)

/**
 * prov_transport_fetch_async:
 * @self: a #ProvTransport
 * @uri: what to fetch; its scheme is the one the transport registered
 * @ctx: User-Agent, timeouts, size cap, TLS material and credentials
 * @cancellable: (nullable): cancels the fetch
 * @callback: called once, when the fetch completed or failed
 * @user_data: data for @callback
 *
 * Since: 0.1
 */
void
prov_transport_fetch_async(ProvTransport *self,
			   GUri *uri,
			   ProvFetchContext *ctx,
			   GCancellable *cancellable,
			   GAsyncReadyCallback callback,
			   gpointer user_data)
{
	ProvTransportInterface *iface;

	g_return_if_fail(PROV_IS_TRANSPORT(self));
	g_return_if_fail(uri != NULL);
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(ctx));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	iface = PROV_TRANSPORT_GET_IFACE(self);
	g_return_if_fail(iface->fetch_async != NULL);
	iface->fetch_async(self, uri, ctx, cancellable, callback, user_data);
}

/**
 * prov_transport_fetch_url_async:
 * @self: a #ProvTransport
 * @url: what to fetch, as text
 * @ctx: User-Agent, timeouts, size cap, TLS material and credentials
 * @cancellable: (nullable): cancels the fetch
 * @callback: called once, when the fetch completed or failed
 * @user_data: data for @callback
 *
 * Like prov_transport_fetch_async(), for a URL that is still text. A URL
 * that does not parse fails through @callback, as any fetch error does.
 *
 * Since: 0.1
 */
void
prov_transport_fetch_url_async(ProvTransport *self,
			       const gchar *url,
			       ProvFetchContext *ctx,
			       GCancellable *cancellable,
			       GAsyncReadyCallback callback,
			       gpointer user_data)
{
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_if_fail(PROV_IS_TRANSPORT(self));
	g_return_if_fail(url != NULL);
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(ctx));

	/* components stay percent-encoded, so a transport sends the path exactly as written */
	uri = g_uri_parse(url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD, &error_local);
	if (uri == NULL) {
		g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

		g_task_set_source_tag(task, prov_transport_fetch_url_async);
		/* GLib's message repeats the URL, which may carry a password, so it stays unused */
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					"invalid URL");
		return;
	}
	prov_transport_fetch_async(self, uri, ctx, cancellable, callback, user_data);
}

/**
 * prov_transport_fetch_finish:
 * @self: a #ProvTransport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the fetched bytes, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
prov_transport_fetch_finish(ProvTransport *self, GAsyncResult *result, GError **error)
{
	ProvTransportInterface *iface;

	g_return_val_if_fail(PROV_IS_TRANSPORT(self), NULL);
	g_return_val_if_fail(G_IS_ASYNC_RESULT(result), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (g_async_result_is_tagged(result, prov_transport_fetch_url_async))
		return g_task_propagate_pointer(G_TASK(result), error);
	iface = PROV_TRANSPORT_GET_IFACE(self);
	g_return_val_if_fail(iface->fetch_finish != NULL, NULL);
	return iface->fetch_finish(self, result, error);
}

/**
 * prov_transport_can_upload:
 * @self: a #ProvTransport
 *
 * Returns: %TRUE when the transport can send data (Report_Rule)
 *
 * Since: 0.1
 */
gboolean
prov_transport_can_upload(ProvTransport *self)
{
	g_return_val_if_fail(PROV_IS_TRANSPORT(self), FALSE);

	return PROV_TRANSPORT_GET_IFACE(self)->upload_async != NULL;
}

/**
 * prov_transport_upload_async:
 * @self: a #ProvTransport
 * @uri: where to send @data
 * @ctx: User-Agent, timeouts, TLS material and credentials
 * @data: the bytes to send
 * @cancellable: (nullable): cancels the upload
 * @callback: called once, when the upload completed or failed
 * @user_data: data for @callback
 *
 * A transport that cannot upload fails through @callback.
 *
 * Since: 0.1
 */
void
prov_transport_upload_async(ProvTransport *self,
			    GUri *uri,
			    ProvFetchContext *ctx,
			    GBytes *data,
			    GCancellable *cancellable,
			    GAsyncReadyCallback callback,
			    gpointer user_data)
{
	ProvTransportInterface *iface;

	g_return_if_fail(PROV_IS_TRANSPORT(self));
	g_return_if_fail(uri != NULL);
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(ctx));
	g_return_if_fail(data != NULL);
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	iface = PROV_TRANSPORT_GET_IFACE(self);
	if (iface->upload_async == NULL) {
		g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);

		g_task_set_source_tag(task, prov_transport_upload_async);
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_FAILED,
					"the %s transport cannot upload", g_uri_get_scheme(uri));
		return;
	}
	iface->upload_async(self, uri, ctx, data, cancellable, callback, user_data);
}

/**
 * prov_transport_upload_finish:
 * @self: a #ProvTransport
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the data was sent
 *
 * Since: 0.1
 */
gboolean
prov_transport_upload_finish(ProvTransport *self, GAsyncResult *result, GError **error)
{
	ProvTransportInterface *iface;

	g_return_val_if_fail(PROV_IS_TRANSPORT(self), FALSE);
	g_return_val_if_fail(G_IS_ASYNC_RESULT(result), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (g_async_result_is_tagged(result, prov_transport_upload_async))
		return g_task_propagate_boolean(G_TASK(result), error);
	iface = PROV_TRANSPORT_GET_IFACE(self);
	g_return_val_if_fail(iface->upload_finish != NULL, FALSE);
	return iface->upload_finish(self, result, error);
}

static void
prov_transport_default_init(ProvTransportInterface *iface)
{
}
