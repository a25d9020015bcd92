/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/* helpers for the unit tests of the http and https plugins */

#include "config.h"

#include <string.h>

#include "prov-soup-test-common.h"

static void
prov_soup_test_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

GBytes *
prov_soup_test_fetch(ProvTransport *transport,
		     const gchar *url,
		     ProvFetchContext *ctx,
		     GCancellable *cancellable,
		     GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;

	prov_transport_fetch_url_async(transport, url, ctx, cancellable, prov_soup_test_done_cb,
				       &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return prov_transport_fetch_finish(transport, result, error);
}

gboolean
prov_soup_test_upload(
    ProvTransport *transport, const gchar *url, ProvFetchContext *ctx, GBytes *data, GError **error)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);

	g_assert_nonnull(uri);
	prov_transport_upload_async(transport, uri, ctx, data, NULL, prov_soup_test_done_cb,
				    &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return prov_transport_upload_finish(transport, result, error);
}

guint16
prov_soup_test_server_listen(SoupServer *server, gboolean https)
{
	g_autoptr(GError) error = NULL;
	GSList *uris;
	guint16 port;

	g_assert_true(soup_server_listen_local(
	    server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | (https ? SOUP_SERVER_LISTEN_HTTPS : 0),
	    &error));
	g_assert_no_error(error);
	uris = soup_server_get_uris(server);
	g_assert_nonnull(uris);
	port = (guint16)g_uri_get_port(uris->data);
	g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
	return port;
}

guint16
prov_soup_test_closed_port(void)
{
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	/* closed without listening: connections to it are refused */
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

struct _ProvSoupTestRaw {
	GSocketService *service;
	guint16 port;
	ProvSoupTestRawMode mode;
	gchar *response;
	gsize response_len;
	guint drip_interval_ms;
	gchar *request;
	gsize dripped;
	guint pending;
	GPtrArray *connections;
	GCancellable *cancellable;
};

typedef struct {
	ProvSoupTestRaw *raw;
	GSocketConnection *connection;
	GString *head;
	gchar buffer[4096];
	guint drip_source;
} ProvSoupTestRawConnection;

static void
prov_soup_test_raw_connection_free(ProvSoupTestRawConnection *conn)
{
	if (conn->drip_source != 0)
		g_source_remove(conn->drip_source);
	g_io_stream_close(G_IO_STREAM(conn->connection), NULL, NULL);
	g_object_unref(conn->connection);
	g_string_free(conn->head, TRUE);
	g_free(conn);
}

static gboolean
prov_soup_test_raw_drip_cb(gpointer user_data)
{
	ProvSoupTestRawConnection *conn = user_data;
	GOutputStream *output = g_io_stream_get_output_stream(G_IO_STREAM(conn->connection));

	/* the client gave up: the drip ends with it */
	if (g_output_stream_write(output, "x", 1, NULL, NULL) != 1) {
		conn->drip_source = 0;
		return G_SOURCE_REMOVE;
	}
	conn->raw->dripped++;
	return G_SOURCE_CONTINUE;
}

static void
prov_soup_test_raw_written_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvSoupTestRawConnection *conn = user_data;
	g_autoptr(GError) error = NULL;

	conn->raw->pending--;
	g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), result, NULL, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return;
	switch (conn->raw->mode) {
	case PROV_SOUP_TEST_RAW_CLOSE:
		g_ptr_array_remove(conn->raw->connections, conn);
		break;
	case PROV_SOUP_TEST_RAW_HOLD:
		break;
	case PROV_SOUP_TEST_RAW_DRIP:
		conn->drip_source =
		    g_timeout_add(conn->raw->drip_interval_ms, prov_soup_test_raw_drip_cb, conn);
		break;
	}
}

static void
prov_soup_test_raw_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvSoupTestRawConnection *conn = user_data;
	g_autoptr(GError) error = NULL;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, &error);

	conn->raw->pending--;
	if (n <= 0) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
		    conn->raw->mode == PROV_SOUP_TEST_RAW_CLOSE)
			g_ptr_array_remove(conn->raw->connections, conn);
		return;
	}
	g_string_append_len(conn->head, conn->buffer, n);
	if (strstr(conn->head->str, "\r\n\r\n") == NULL) {
		conn->raw->pending++;
		g_input_stream_read_async(G_INPUT_STREAM(source), conn->buffer,
					  sizeof(conn->buffer), G_PRIORITY_DEFAULT,
					  conn->raw->cancellable, prov_soup_test_raw_read_cb, conn);
		return;
	}
	g_free(conn->raw->request);
	conn->raw->request = g_strdup(conn->head->str);
	conn->raw->pending++;
	g_output_stream_write_all_async(
	    g_io_stream_get_output_stream(G_IO_STREAM(conn->connection)), conn->raw->response,
	    conn->raw->response_len, G_PRIORITY_DEFAULT, conn->raw->cancellable,
	    prov_soup_test_raw_written_cb, conn);
}

static gboolean
prov_soup_test_raw_incoming_cb(GSocketService *service,
			       GSocketConnection *connection,
			       GObject *source_object,
			       gpointer user_data)
{
	ProvSoupTestRaw *raw = user_data;
	ProvSoupTestRawConnection *conn = g_new0(ProvSoupTestRawConnection, 1);

	conn->raw = raw;
	conn->connection = g_object_ref(connection);
	conn->head = g_string_new(NULL);
	g_ptr_array_add(raw->connections, conn);
	raw->pending++;
	g_input_stream_read_async(g_io_stream_get_input_stream(G_IO_STREAM(connection)),
				  conn->buffer, sizeof(conn->buffer), G_PRIORITY_DEFAULT,
				  raw->cancellable, prov_soup_test_raw_read_cb, conn);
	return TRUE;
}

ProvSoupTestRaw *
prov_soup_test_raw_new(ProvSoupTestRawMode mode, const gchar *response, gsize response_len)
{
	ProvSoupTestRaw *raw = g_new0(ProvSoupTestRaw, 1);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GError) error = NULL;

	raw->mode = mode;
	raw->response = g_memdup2(response, response_len);
	raw->response_len = response_len;
	raw->drip_interval_ms = 100;
	raw->connections =
	    g_ptr_array_new_with_free_func((GDestroyNotify)prov_soup_test_raw_connection_free);
	raw->cancellable = g_cancellable_new();
	raw->service = g_socket_service_new();
	g_assert_true(g_socket_listener_add_address(G_SOCKET_LISTENER(raw->service), any,
						    G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
						    NULL, &bound, &error));
	g_assert_no_error(error);
	raw->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_signal_connect(raw->service, "incoming", G_CALLBACK(prov_soup_test_raw_incoming_cb), raw);
	g_socket_service_start(raw->service);
	return raw;
}

void
prov_soup_test_raw_set_drip(ProvSoupTestRaw *raw, guint interval_ms)
{
	raw->drip_interval_ms = interval_ms;
}

guint16
prov_soup_test_raw_get_port(ProvSoupTestRaw *raw)
{
	return raw->port;
}

const gchar *
prov_soup_test_raw_get_request(ProvSoupTestRaw *raw)
{
	return raw->request;
}

gsize
prov_soup_test_raw_get_dripped(ProvSoupTestRaw *raw)
{
	return raw->dripped;
}

void
prov_soup_test_raw_free(ProvSoupTestRaw *raw)
{
	g_cancellable_cancel(raw->cancellable);
	g_socket_service_stop(raw->service);
	g_socket_listener_close(G_SOCKET_LISTENER(raw->service));
	g_signal_handlers_disconnect_by_data(raw->service, raw);
	/* the cancelled reads and writes finish before their connections go */
	while (raw->pending > 0)
		g_main_context_iteration(NULL, TRUE);
	g_ptr_array_unref(raw->connections);
	g_object_unref(raw->service);
	g_object_unref(raw->cancellable);
	g_free(raw->response);
	g_free(raw->request);
	g_free(raw);
}
