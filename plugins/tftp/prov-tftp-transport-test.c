/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <prov-fetch-context.h>
#include <string.h>

#include "prov-tftp-packet.h"
#include "prov-tftp-session.h"
#include "prov-tftp-transport-private.h"

/* reference 8.3.1: basic.txt */
static const gchar prov_tftp_test_basic_txt[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

/*
 * A scripted TFTP server on a loopback UDP socket, run by the test's own
 * main loop. It never retransmits by itself, so every recovery seen is the
 * client's; a fate function drops, duplicates or holds back (reorders) any
 * packet it sends.
 */
typedef enum {
	PROV_TFTP_TEST_SEND,
	PROV_TFTP_TEST_DROP,
	PROV_TFTP_TEST_DUPLICATE,
	PROV_TFTP_TEST_HOLD,
} ProvTftpTestFate;

typedef struct _ProvTftpTestServer ProvTftpTestServer;

typedef ProvTftpTestFate (*ProvTftpTestFateFunc)(ProvTftpTestServer *server,
						 guint opcode,
						 guint64 index,
						 guint attempt);

struct _ProvTftpTestServer {
	GSocket *listen;
	GSource *listen_source;
	guint16 port;
	gboolean ipv6;
	GSocket *tid;
	GSource *tid_source;
	GSocketAddress *client;

	/* the script */
	GBytes *file;
	gint error_code;
	gboolean ignore_options;
	gboolean refuse_options;
	gboolean silent;
	gboolean omit_tsize;
	guint64 fake_tsize;
	guint max_blksize;
	guint max_windowsize;
	GBytes *oack;
	gboolean oack_always;
	ProvTftpTestFateFunc fate;
	gpointer fate_data;
	void (*on_request)(ProvTftpTestServer *server);
	GSocket *stranger;

	/* the transfer */
	gboolean write;
	guint blksize;
	guint windowsize;
	guint64 n_blocks;
	guint64 acked;
	guint64 sent_to;
	GArray *send_counts;
	GByteArray *held;
	GByteArray *upload;
	guint64 expected;
	guint window_count;
	guint64 gap_acked;
	gboolean done;

	/* what the client sent */
	GPtrArray *requests;
	GArray *request_times;
	GArray *acks;
	guint n_data;
	GPtrArray *errors;
};

static void
prov_tftp_test_server_send(ProvTftpTestServer *self, const guint8 *packet, gsize len)
{
	g_socket_send_to(self->tid, self->client, (const gchar *)packet, len, NULL, NULL);
}

static void
prov_tftp_test_server_emit(
    ProvTftpTestServer *self, const guint8 *packet, gsize len, guint opcode, guint64 index)
{
	ProvTftpTestFate fate = PROV_TFTP_TEST_SEND;
	guint attempt = 0;

	if (index >= self->send_counts->len)
		g_array_set_size(self->send_counts, (guint)index + 1);
	attempt = g_array_index(self->send_counts, guint, index)++;
	if (self->fate != NULL)
		fate = self->fate(self, opcode, index, attempt);
	switch (fate) {
	case PROV_TFTP_TEST_DROP:
		return;
	case PROV_TFTP_TEST_HOLD:
		g_byte_array_set_size(self->held, 0);
		g_byte_array_append(self->held, packet, (guint)len);
		return;
	case PROV_TFTP_TEST_DUPLICATE:
		prov_tftp_test_server_send(self, packet, len);
		prov_tftp_test_server_send(self, packet, len);
		break;
	case PROV_TFTP_TEST_SEND:
	default:
		prov_tftp_test_server_send(self, packet, len);
		break;
	}
	/* a held packet goes out after the next one: the two arrive swapped */
	if (self->held->len > 0) {
		prov_tftp_test_server_send(self, self->held->data, self->held->len);
		g_byte_array_set_size(self->held, 0);
	}
}

static void
prov_tftp_test_server_send_data(ProvTftpTestServer *self, guint64 index)
{
	gsize size = g_bytes_get_size(self->file);
	guint64 offset = (index - 1) * self->blksize;
	gsize len = (gsize)MIN((guint64)self->blksize, size - offset);
	g_autofree guint8 *packet = g_malloc(len + 4);

	prov_tftp_packet_encode_data_header(packet, (guint16)index);
	memcpy(packet + 4, (const guint8 *)g_bytes_get_data(self->file, NULL) + offset, len);
	prov_tftp_test_server_emit(self, packet, len + 4, PROV_TFTP_OPCODE_DATA, index);
}

static void
prov_tftp_test_server_send_window(ProvTftpTestServer *self)
{
	guint64 last = MIN(self->acked + self->windowsize, self->n_blocks);

	for (guint64 index = self->acked + 1; index <= last; index++)
		prov_tftp_test_server_send_data(self, index);
	self->sent_to = MAX(self->sent_to, last);
}

static void
prov_tftp_test_server_send_ack(ProvTftpTestServer *self, guint64 index)
{
	guint8 packet[4];

	prov_tftp_packet_encode_ack(packet, (guint16)index);
	prov_tftp_test_server_emit(self, packet, 4, PROV_TFTP_OPCODE_ACK, index);
}

static void
prov_tftp_test_server_send_error(ProvTftpTestServer *self, guint16 code)
{
	guint8 packet[64];
	gsize len = prov_tftp_packet_encode_error(packet, sizeof(packet), code,
						  prov_tftp_error_code_to_string(code));

	prov_tftp_test_server_send(self, packet, len);
}

static void
prov_tftp_test_server_answer(ProvTftpTestServer *self, const ProvTftpPacket *request)
{
	const ProvTftpOptions *asked = &request->options;
	gboolean has_options =
	    asked->has_blksize || asked->has_tsize || asked->has_timeout || asked->has_windowsize;
	ProvTftpOptions reply = {0};
	guint8 packet[PROV_TFTP_REQUEST_MAX];
	gsize len;

	self->write = request->opcode == PROV_TFTP_OPCODE_WRQ;
	self->blksize = PROV_TFTP_BLKSIZE_DEFAULT;
	self->windowsize = 1;
	self->acked = 0;
	self->sent_to = 0;
	self->expected = 1;
	self->window_count = 0;
	self->gap_acked = G_MAXUINT64;
	if (self->error_code >= 0) {
		prov_tftp_test_server_send_error(self, (guint16)self->error_code);
		return;
	}
	if (self->oack_always) {
		prov_tftp_test_server_emit(self, g_bytes_get_data(self->oack, NULL),
					   g_bytes_get_size(self->oack), PROV_TFTP_OPCODE_OACK, 0);
		return;
	}
	if (has_options && self->refuse_options) {
		prov_tftp_test_server_send_error(self, PROV_TFTP_ERROR_CODE_OPTION_REFUSED);
		return;
	}
	if (!has_options || self->ignore_options) {
		if (self->write) {
			prov_tftp_test_server_send_ack(self, 0);
			return;
		}
		self->n_blocks = g_bytes_get_size(self->file) / self->blksize + 1;
		prov_tftp_test_server_send_window(self);
		return;
	}
	if (asked->has_blksize) {
		reply.has_blksize = TRUE;
		reply.blksize =
		    self->max_blksize > 0 ? MIN(asked->blksize, self->max_blksize) : asked->blksize;
		self->blksize = (guint)reply.blksize;
	}
	if (asked->has_tsize && !self->omit_tsize) {
		reply.has_tsize = TRUE;
		reply.tsize = self->write ? asked->tsize : g_bytes_get_size(self->file);
		if (self->fake_tsize > 0)
			reply.tsize = self->fake_tsize;
	}
	if (asked->has_timeout) {
		reply.has_timeout = TRUE;
		reply.timeout = asked->timeout;
	}
	if (asked->has_windowsize && self->max_windowsize > 0) {
		reply.has_windowsize = TRUE;
		reply.windowsize = MIN(asked->windowsize, self->max_windowsize);
		self->windowsize = (guint)reply.windowsize;
	}
	if (!self->write)
		self->n_blocks = g_bytes_get_size(self->file) / self->blksize + 1;
	if (self->oack != NULL) {
		prov_tftp_test_server_emit(self, g_bytes_get_data(self->oack, NULL),
					   g_bytes_get_size(self->oack), PROV_TFTP_OPCODE_OACK, 0);
		return;
	}
	len = prov_tftp_packet_encode_oack(packet, sizeof(packet), &reply);
	g_assert_cmpuint(len, >, 0);
	prov_tftp_test_server_emit(self, packet, len, PROV_TFTP_OPCODE_OACK, 0);
}

static void
prov_tftp_test_server_receive_data(ProvTftpTestServer *self, const ProvTftpPacket *packet)
{
	self->n_data++;
	/* RFC 7440: out of order, the last block in order is acknowledged once */
	if (packet->block != (guint16)self->expected) {
		if (self->gap_acked != self->expected - 1) {
			self->gap_acked = self->expected - 1;
			prov_tftp_test_server_send_ack(self, self->expected - 1);
		}
		return;
	}
	g_byte_array_append(self->upload, packet->data, (guint)packet->data_len);
	self->expected++;
	self->window_count++;
	if (packet->data_len < self->blksize) {
		self->done = TRUE;
		prov_tftp_test_server_send_ack(self, self->expected - 1);
		return;
	}
	if (self->window_count == self->windowsize) {
		self->window_count = 0;
		prov_tftp_test_server_send_ack(self, self->expected - 1);
	}
}

static void
prov_tftp_test_server_receive_ack(ProvTftpTestServer *self, guint16 block)
{
	guint16 offset = (guint16)(block - (guint16)self->acked);

	g_array_append_val(self->acks, block);
	if (self->write || offset > self->sent_to - self->acked)
		return;
	self->acked += offset;
	if (self->acked == self->n_blocks) {
		self->done = TRUE;
		return;
	}
	/* a classic server: a repeated ACK resends the window */
	prov_tftp_test_server_send_window(self);
}

static gboolean
prov_tftp_test_server_tid_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpTestServer *self = user_data;
	guint8 buffer[PROV_TFTP_DATAGRAM_MAX];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		ProvTftpPacket packet;
		gssize len = g_socket_receive_from(socket, &from, (gchar *)buffer, sizeof(buffer),
						   NULL, NULL);

		if (len < 0)
			return G_SOURCE_CONTINUE;
		g_assert_true(prov_tftp_packet_parse(buffer, (gsize)len, &packet, NULL));
		if (packet.opcode == PROV_TFTP_OPCODE_ERROR)
			g_ptr_array_add(self->errors, g_bytes_new(buffer, (gsize)len));
		else if (packet.opcode == PROV_TFTP_OPCODE_ACK)
			prov_tftp_test_server_receive_ack(self, packet.block);
		else if (packet.opcode == PROV_TFTP_OPCODE_DATA)
			prov_tftp_test_server_receive_data(self, &packet);
	}
}

static gboolean
prov_tftp_test_server_listen_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpTestServer *self = user_data;
	guint8 buffer[PROV_TFTP_DATAGRAM_MAX];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		ProvTftpPacket packet;
		gint64 now = g_get_monotonic_time();
		gssize len = g_socket_receive_from(socket, &from, (gchar *)buffer, sizeof(buffer),
						   NULL, NULL);

		if (len < 0)
			return G_SOURCE_CONTINUE;
		g_ptr_array_add(self->requests, g_bytes_new(buffer, (gsize)len));
		g_array_append_val(self->request_times, now);
		if (self->silent)
			continue;
		g_assert_true(prov_tftp_packet_parse(buffer, (gsize)len, &packet, NULL));
		if (packet.opcode == PROV_TFTP_OPCODE_ERROR) {
			g_ptr_array_add(self->errors, g_bytes_new(buffer, (gsize)len));
			continue;
		}
		g_set_object(&self->client, from);
		if (self->on_request != NULL)
			self->on_request(self);
		prov_tftp_test_server_answer(self, &packet);
	}
}

static GSocket *
prov_tftp_test_socket_new_at(const gchar *address_text, guint16 port, GError **error)
{
	g_autoptr(GInetAddress) address = g_inet_address_new_from_string(address_text);
	g_autoptr(GSocketAddress) local = g_inet_socket_address_new(address, port);
	g_autoptr(GSocket) socket =
	    g_socket_new(g_inet_address_get_family(address), G_SOCKET_TYPE_DATAGRAM,
			 G_SOCKET_PROTOCOL_UDP, error);

	if (socket == NULL)
		return NULL;
	g_socket_set_blocking(socket, FALSE);
	if (!g_socket_bind(socket, local, FALSE, error))
		return NULL;
	return g_steal_pointer(&socket);
}

static GSocket *
prov_tftp_test_socket_new(const gchar *address_text, GError **error)
{
	return prov_tftp_test_socket_new_at(address_text, 0, error);
}

static guint16
prov_tftp_test_socket_port(GSocket *socket)
{
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(socket, NULL);

	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
}

static GSource *
prov_tftp_test_watch(GSocket *socket, GSocketSourceFunc func, gpointer user_data)
{
	GSource *source = g_socket_create_source(socket, G_IO_IN, NULL);

	g_source_set_callback(source, G_SOURCE_FUNC(func), user_data, NULL);
	g_source_attach(source, NULL);
	return source;
}

static void
prov_tftp_test_server_free(ProvTftpTestServer *self)
{
	g_source_destroy(self->listen_source);
	g_source_unref(self->listen_source);
	g_source_destroy(self->tid_source);
	g_source_unref(self->tid_source);
	g_clear_object(&self->listen);
	g_clear_object(&self->tid);
	g_clear_object(&self->client);
	g_clear_object(&self->stranger);
	g_clear_pointer(&self->file, g_bytes_unref);
	g_clear_pointer(&self->oack, g_bytes_unref);
	g_array_unref(self->send_counts);
	g_byte_array_unref(self->held);
	g_byte_array_unref(self->upload);
	g_ptr_array_unref(self->requests);
	g_array_unref(self->request_times);
	g_array_unref(self->acks);
	g_ptr_array_unref(self->errors);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTftpTestServer, prov_tftp_test_server_free)

/* NULL (and the test skipped) when the address cannot be bound, as ::1 without IPv6 */
static ProvTftpTestServer *
prov_tftp_test_server_new_at_port(const gchar *address, guint16 port, GBytes *file)
{
	g_autoptr(GError) error = NULL;
	ProvTftpTestServer *self = NULL;
	g_autoptr(GSocket) listen = prov_tftp_test_socket_new_at(address, port, &error);

	if (listen == NULL) {
		g_test_skip_printf("cannot bind %s: %s", address, error->message);
		return NULL;
	}
	self = g_new0(ProvTftpTestServer, 1);
	self->listen = g_steal_pointer(&listen);
	self->ipv6 = strchr(address, ':') != NULL;
	self->port = prov_tftp_test_socket_port(self->listen);
	self->tid = prov_tftp_test_socket_new(address, &error);
	g_assert_no_error(error);
	self->listen_source =
	    prov_tftp_test_watch(self->listen, prov_tftp_test_server_listen_cb, self);
	self->tid_source = prov_tftp_test_watch(self->tid, prov_tftp_test_server_tid_cb, self);
	self->file = g_bytes_ref(file);
	self->error_code = -1;
	self->max_windowsize = 64;
	self->send_counts = g_array_new(FALSE, TRUE, sizeof(guint));
	self->held = g_byte_array_new();
	self->upload = g_byte_array_new();
	self->requests = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	self->request_times = g_array_new(FALSE, FALSE, sizeof(gint64));
	self->acks = g_array_new(FALSE, FALSE, sizeof(guint16));
	self->errors = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	return self;
}

static ProvTftpTestServer *
prov_tftp_test_server_new_at(const gchar *address, GBytes *file)
{
	return prov_tftp_test_server_new_at_port(address, 0, file);
}

static ProvTftpTestServer *
prov_tftp_test_server_new(GBytes *file)
{
	return prov_tftp_test_server_new_at("127.0.0.1", file);
}

static gchar *
prov_tftp_test_server_url(ProvTftpTestServer *self, const gchar *path)
{
	if (self->ipv6)
		return g_strdup_printf("tftp://[::1]:%u%s", self->port, path);
	return g_strdup_printf("tftp://127.0.0.1:%u%s", self->port, path);
}

/* the request as the server saw it */
static void
prov_tftp_test_server_get_request(ProvTftpTestServer *self, guint i, ProvTftpPacket *packet)
{
	GBytes *request = NULL;

	g_assert_cmpuint(i, <, self->requests->len);
	request = g_ptr_array_index(self->requests, i);
	g_assert_true(prov_tftp_packet_parse(g_bytes_get_data(request, NULL),
					     g_bytes_get_size(request), packet, NULL));
}

static guint16
prov_tftp_test_server_error_code(ProvTftpTestServer *self, guint i)
{
	ProvTftpPacket packet;
	GBytes *error = NULL;

	g_assert_cmpuint(i, <, self->errors->len);
	error = g_ptr_array_index(self->errors, i);
	g_assert_true(prov_tftp_packet_parse(g_bytes_get_data(error, NULL), g_bytes_get_size(error),
					     &packet, NULL));
	g_assert_cmpuint(packet.opcode, ==, PROV_TFTP_OPCODE_ERROR);
	return packet.error_code;
}

static GBytes *
prov_tftp_test_pattern(gsize size, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)g_rand_int_range(rand, 0, 256);
	return g_bytes_new_take(data, size);
}

static ProvTftpTransport *
prov_tftp_test_transport_new(void)
{
	ProvTftpTransport *transport = prov_tftp_transport_new();
	ProvTftpTiming timing = {
	    /* above a loaded machine's scheduling stalls, so that counts stay exact */
	    .initial_ms = 100, .min_ms = 100,	     .max_ms = 400,
	    .max_retries = 6,  .deadline_ms = 10000, .inactivity_ms = 5000,
	};

	prov_tftp_transport_set_timing(transport, &timing);
	return transport;
}

typedef struct {
	gboolean done;
	GBytes *bytes;
	gboolean uploaded;
	GError *error;
} ProvTftpTestResult;

static void
prov_tftp_test_fetch_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTftpTestResult *outcome = user_data;

	outcome->bytes =
	    prov_transport_fetch_finish(PROV_TRANSPORT(source), result, &outcome->error);
	outcome->done = TRUE;
}

static void
prov_tftp_test_upload_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTftpTestResult *outcome = user_data;

	outcome->uploaded =
	    prov_transport_upload_finish(PROV_TRANSPORT(source), result, &outcome->error);
	outcome->done = TRUE;
}

static GBytes *
prov_tftp_test_fetch_full(ProvTftpTransport *transport,
			  const gchar *url,
			  gsize size_max,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	ProvTftpTestResult outcome = {0};

	prov_fetch_context_set_size_max(ctx, size_max);
	prov_transport_fetch_url_async(PROV_TRANSPORT(transport), url, ctx, cancellable,
				       prov_tftp_test_fetch_cb, &outcome);
	while (!outcome.done)
		g_main_context_iteration(NULL, TRUE);
	/* the server reads the client's last packets */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_true((outcome.bytes == NULL) == (outcome.error != NULL));
	if (outcome.error != NULL)
		g_propagate_error(error, outcome.error);
	return outcome.bytes;
}

static GBytes *
prov_tftp_test_fetch(ProvTftpTransport *transport, const gchar *url, GError **error)
{
	return prov_tftp_test_fetch_full(transport, url, 64 * 1024 * 1024, NULL, error);
}

static gboolean
prov_tftp_test_upload(ProvTftpTransport *transport, const gchar *url, GBytes *data, GError **error)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
	ProvTftpTestResult outcome = {0};

	g_assert_nonnull(uri);
	prov_transport_upload_async(PROV_TRANSPORT(transport), uri, ctx, data, NULL,
				    prov_tftp_test_upload_cb, &outcome);
	while (!outcome.done)
		g_main_context_iteration(NULL, TRUE);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_true(outcome.uploaded == (outcome.error == NULL));
	if (outcome.error != NULL)
		g_propagate_error(error, outcome.error);
	return outcome.uploaded;
}

static void
prov_tftp_test_assert_bytes(GBytes *actual, GBytes *expected)
{
	g_assert_nonnull(actual);
	g_assert_cmpmem(g_bytes_get_data(actual, NULL), g_bytes_get_size(actual),
			g_bytes_get_data(expected, NULL), g_bytes_get_size(expected));
}

/* a resolver that answers every name with a fixed list, for the failover tests */
#define PROV_TYPE_TFTP_TEST_RESOLVER (prov_tftp_test_resolver_get_type())
G_DECLARE_FINAL_TYPE(
    ProvTftpTestResolver, prov_tftp_test_resolver, PROV, TFTP_TEST_RESOLVER, GResolver)

struct _ProvTftpTestResolver {
	GResolver parent_instance;
	GList *addresses;
};

G_DEFINE_TYPE(ProvTftpTestResolver, prov_tftp_test_resolver, G_TYPE_RESOLVER)

static gpointer
prov_tftp_test_ref(gconstpointer object, gpointer user_data)
{
	return g_object_ref((gpointer)object);
}

static void
prov_tftp_test_resolver_lookup_async(GResolver *resolver,
				     const gchar *hostname,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	ProvTftpTestResolver *self = PROV_TFTP_TEST_RESOLVER(resolver);
	g_autoptr(GTask) task = g_task_new(resolver, cancellable, callback, user_data);

	g_task_return_pointer(task, g_list_copy_deep(self->addresses, prov_tftp_test_ref, NULL),
			      (GDestroyNotify)g_resolver_free_addresses);
}

static void
prov_tftp_test_resolver_lookup_flags_async(GResolver *resolver,
					   const gchar *hostname,
					   GResolverNameLookupFlags flags,
					   GCancellable *cancellable,
					   GAsyncReadyCallback callback,
					   gpointer user_data)
{
	prov_tftp_test_resolver_lookup_async(resolver, hostname, cancellable, callback, user_data);
}

static GList *
prov_tftp_test_resolver_lookup_finish(GResolver *resolver, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
prov_tftp_test_resolver_finalize(GObject *object)
{
	ProvTftpTestResolver *self = PROV_TFTP_TEST_RESOLVER(object);

	g_resolver_free_addresses(self->addresses);
	G_OBJECT_CLASS(prov_tftp_test_resolver_parent_class)->finalize(object);
}

static void
prov_tftp_test_resolver_class_init(ProvTftpTestResolverClass *klass)
{
	GResolverClass *resolver_class = G_RESOLVER_CLASS(klass);

	G_OBJECT_CLASS(klass)->finalize = prov_tftp_test_resolver_finalize;
	resolver_class->lookup_by_name_async = prov_tftp_test_resolver_lookup_async;
	resolver_class->lookup_by_name_finish = prov_tftp_test_resolver_lookup_finish;
	resolver_class->lookup_by_name_with_flags_async =
	    prov_tftp_test_resolver_lookup_flags_async;
	resolver_class->lookup_by_name_with_flags_finish = prov_tftp_test_resolver_lookup_finish;
}

static void
prov_tftp_test_resolver_init(ProvTftpTestResolver *self)
{
}

/* resolves every name to @addresses, in that order, until the returned default is restored */
static GResolver *
prov_tftp_test_resolver_install(const gchar *const *addresses)
{
	ProvTftpTestResolver *fake = g_object_new(PROV_TYPE_TFTP_TEST_RESOLVER, NULL);
	GResolver *previous = g_resolver_get_default();

	for (guint i = 0; addresses[i] != NULL; i++)
		fake->addresses =
		    g_list_append(fake->addresses, g_inet_address_new_from_string(addresses[i]));
	g_resolver_set_default(G_RESOLVER(fake));
	g_object_unref(fake);
	return previous;
}

static void
prov_tftp_test_resolver_restore(GResolver *previous)
{
	g_resolver_set_default(previous);
	g_object_unref(previous);
}

/* S-1: one RRQ, octet, "/basic.txt" with its slash, blksize 1428 and tsize 0 */
static void
prov_tftp_test_basic(void)
{
	g_autoptr(GBytes) file =
	    g_bytes_new_static(prov_tftp_test_basic_txt, strlen(prov_tftp_test_basic_txt));
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/basic.txt");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_tftp_test_fetch(transport, url, &error);
	ProvTftpPacket request;

	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpuint(server->requests->len, ==, 1);
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_cmpuint(request.opcode, ==, PROV_TFTP_OPCODE_RRQ);
	g_assert_cmpstr(request.filename, ==, "/basic.txt");
	g_assert_cmpstr(request.mode, ==, "octet");
	g_assert_true(request.options.has_blksize);
	g_assert_cmpuint(request.options.blksize, ==, 1428);
	g_assert_true(request.options.has_tsize);
	g_assert_cmpuint(request.options.tsize, ==, 0);
	g_assert_false(request.options.has_windowsize);
	g_assert_false(request.options.has_timeout);
	g_assert_cmpuint(request.options.n_unknown, ==, 0);
	/* ACK 0 for the OACK, then the one short block */
	g_assert_cmpuint(server->acks->len, ==, 2);
	g_assert_true(server->done);
	g_assert_cmpuint(server->errors->len, ==, 0);
}

static void
prov_tftp_test_ipv6(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(5000, 6);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new_at("::1", file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (server == NULL)
		return;
	url = prov_tftp_test_server_url(server, "/v6.cfg");
	g_assert_true(g_str_has_prefix(url, "tftp://[::1]:"));
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
}

/* reference 5.4: names resolve, and IPv4 is tried first */
static void
prov_tftp_test_host_name(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 7);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = g_strdup_printf("tftp://localhost:%u/name.cfg", server->port);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_tftp_test_fetch(transport, url, &error);

	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
}

static void
prov_tftp_test_escaped_path(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(10, 8);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/dir/a%20b.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_tftp_test_fetch(transport, url, &error);
	ProvTftpPacket request;

	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, g_bytes_get_size(file));
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_cmpstr(request.filename, ==, "/dir/a b.cfg");
}

/* the RFC 1350 edge sizes: a multiple of the block size ends with an empty block */
static void
prov_tftp_test_sizes(void)
{
	const gsize sizes[] = {0, 1, 511, 512, 513, 1024, 5000};

	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(GBytes) file = prov_tftp_test_pattern(sizes[i], i);
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/size.bin");
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		g_object_set(transport, "block-size", 512, NULL);
		bytes = prov_tftp_test_fetch(transport, url, &error);
		g_assert_no_error(error);
		prov_tftp_test_assert_bytes(bytes, file);
		/* ACK 0, then one per block */
		g_assert_cmpuint(server->acks->len, ==, sizes[i] / 512 + 2);
	}
}

/* RFC 2347: a server that ignores options answers with DATA 1; blksize is then 512 */
static void
prov_tftp_test_options_ignored(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(1500, 9);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/plain.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->ignore_options = TRUE;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	/* blocks of 512, 512, 476 */
	g_assert_cmpuint(server->acks->len, ==, 3);
}

/* RFC 2347: ERROR 8 to the options; the client asks again without them */
static void
prov_tftp_test_options_refused(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(700, 10);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/refuse.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpPacket request;

	server->refuse_options = TRUE;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpuint(server->requests->len, ==, 2);
	prov_tftp_test_server_get_request(server, 1, &request);
	g_assert_false(request.options.has_blksize);
	g_assert_false(request.options.has_tsize);
	g_assert_cmpstr(request.filename, ==, "/refuse.cfg");
}

/* options switched off: a plain RFC 1350 request */
static void
prov_tftp_test_options_off(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(600, 11);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/plain.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpPacket request;

	g_object_set(transport, "options", FALSE, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_false(request.options.has_blksize);
	g_assert_false(request.options.has_tsize);
}

static void
prov_tftp_test_options_requested(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(9000, 12);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/all.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpPacket request;

	g_object_set(transport, "block-size", 1000, "window-size", 4, "server-timeout", 3,
		     "transfer-size", FALSE, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_cmpuint(request.options.blksize, ==, 1000);
	g_assert_cmpuint(request.options.windowsize, ==, 4);
	g_assert_cmpuint(request.options.timeout, ==, 3);
	g_assert_false(request.options.has_tsize);
}

static void
prov_tftp_test_server_errors(void)
{
	const struct {
		guint16 code;
		gint domain_code;
	} cases[] = {
	    {PROV_TFTP_ERROR_CODE_FILE_NOT_FOUND, PROV_ERROR_NOT_FOUND},
	    {PROV_TFTP_ERROR_CODE_ACCESS_VIOLATION, PROV_ERROR_PROTOCOL},
	    {PROV_TFTP_ERROR_CODE_UNDEFINED, PROV_ERROR_PROTOCOL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) file = prov_tftp_test_pattern(10, 13);
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/missing.cfg");
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		server->error_code = cases[i].code;
		bytes = prov_tftp_test_fetch(transport, url, &error);
		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, cases[i].domain_code);
		g_assert_nonnull(
		    strstr(error->message, prov_tftp_error_code_to_string(cases[i].code)));
		/* RFC 1350: an ERROR is not answered */
		g_assert_cmpuint(server->errors->len, ==, 0);
		g_assert_cmpuint(server->requests->len, ==, 1);
	}
}

/* R15: tsize over the cap is refused with ERROR 8 before any data */
static void
prov_tftp_test_tsize_over_cap(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(5000, 14);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/big.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_tftp_test_fetch_full(transport, url, 4999, NULL, &error);

	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpuint(server->acks->len, ==, 0);
	g_assert_cmpuint(server->errors->len, ==, 1);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_OPTION_REFUSED);
}

/* without tsize, the cap stops the transfer at the block that crosses it, with ERROR 3 */
static void
prov_tftp_test_data_over_cap(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(50000, 15);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/big.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->omit_tsize = TRUE;
	g_object_set(transport, "block-size", 1000, NULL);
	bytes = prov_tftp_test_fetch_full(transport, url, 10000, NULL, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	/* ACK 0 and blocks 1 to 10; block 11 is refused */
	g_assert_cmpuint(server->acks->len, ==, 11);
	g_assert_cmpuint(server->errors->len, ==, 1);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_DISK_FULL);
}

/* a file of exactly the cap fits */
static void
prov_tftp_test_data_at_cap(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(10000, 16);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/cap.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->omit_tsize = TRUE;
	bytes = prov_tftp_test_fetch_full(transport, url, 10000, NULL, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
}

static void
prov_tftp_test_tsize_mismatch(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 17);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/short.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->fake_tsize = 4000;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
}

/* R10: OACKs that do not fit the request are refused with ERROR 8 */
#define PROV_TFTP_TEST_OACK(name, bytes)                                                           \
	{                                                                                          \
		name, bytes, sizeof(bytes) - 1                                                     \
	}

static void
prov_tftp_test_bad_oack(void)
{
	static const struct {
		const gchar *name;
		const gchar *bytes;
		gsize len;
	} cases[] = {
	    PROV_TFTP_TEST_OACK("larger blksize", "\0\6blksize\0"
						  "1429\0"),
	    PROV_TFTP_TEST_OACK("huge blksize", "\0\6blksize\0"
						"99999999999999999999999\0"),
	    PROV_TFTP_TEST_OACK("blksize below 8", "\0\6blksize\0"
						   "7\0"),
	    PROV_TFTP_TEST_OACK("blksize zero", "\0\6blksize\0"
						"0\0"),
	    PROV_TFTP_TEST_OACK("blksize not a number", "\0\6blksize\0"
							"1x28\0"),
	    PROV_TFTP_TEST_OACK("blksize negative", "\0\6blksize\0"
						    "-1428\0"),
	    PROV_TFTP_TEST_OACK("blksize empty", "\0\6blksize\0"
						 "\0"),
	    PROV_TFTP_TEST_OACK("unrequested option", "\0\6windowsize\0"
						      "4\0"),
	    PROV_TFTP_TEST_OACK("unknown option", "\0\6foo\0"
						  "1\0"),
	    PROV_TFTP_TEST_OACK("repeated option", "\0\6blksize\0"
						   "512\0"
						   "BLKSIZE\0"
						   "512\0"),
	    PROV_TFTP_TEST_OACK("value not terminated", "\0\6blksize\0"
							"5"),
	    PROV_TFTP_TEST_OACK("value missing", "\0\6blksize\0"),
	    PROV_TFTP_TEST_OACK("empty name", "\0\6\0"
					      "5\0"),
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) file = prov_tftp_test_pattern(100, 18);
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/oack.cfg");
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		g_test_message("case: %s", cases[i].name);
		server->oack = g_bytes_new_static(cases[i].bytes, cases[i].len);
		bytes = prov_tftp_test_fetch(transport, url, &error);
		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
		g_assert_cmpuint(server->acks->len, ==, 0);
		g_assert_cmpuint(server->errors->len, ==, 1);
		g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
				 PROV_TFTP_ERROR_CODE_OPTION_REFUSED);
	}
}

/* R10: an OACK without blksize keeps 512; a smaller blksize is accepted */
static void
prov_tftp_test_oack_defaults(void)
{
	static const gchar without_blksize[] = "\0\6tsize\0"
					       "3000";
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 19);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/oack.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	/* the server then sends blocks of 512 */
	server->oack = g_bytes_new_static(without_blksize, sizeof(without_blksize));
	server->max_blksize = 512;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpuint(server->acks->len, ==, 3000 / 512 + 2);
	g_clear_pointer(&bytes, g_bytes_unref);
	g_clear_pointer(&server->oack, g_bytes_unref);

	/* a server that lowers blksize to 8, the smallest allowed */
	server->max_blksize = 8;
	g_ptr_array_set_size(server->requests, 0);
	g_array_set_size(server->acks, 0);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpuint(server->acks->len, ==, 3000 / 8 + 2);
}

/* R12: an OACK answering a request without options is refused */
static void
prov_tftp_test_unrequested_oack(void)
{
	static const gchar oack[] = "\0\6blksize\0"
				    "512";
	g_autoptr(GBytes) file = prov_tftp_test_pattern(100, 20);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/oack.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpPacket request;

	g_object_set(transport, "options", FALSE, NULL);
	server->oack = g_bytes_new_static(oack, sizeof(oack));
	server->oack_always = TRUE;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_false(request.options.has_blksize);
	g_assert_cmpuint(server->errors->len, ==, 1);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_OPTION_REFUSED);
}

/* R13: repeated OACK and DATA change nothing and are never answered */
static ProvTftpTestFate
prov_tftp_test_duplicate_all(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	return PROV_TFTP_TEST_DUPLICATE;
}

static void
prov_tftp_test_duplicates(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(20000, 21);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/dup.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->fate = prov_tftp_test_duplicate_all;
	g_object_set(transport, "block-size", 1000, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	/* exactly one ACK per distinct packet: ACK 0 and blocks 1 to 21 (RFC 1123 4.2.3.1) */
	g_assert_cmpuint(server->acks->len, ==, 22);
	for (guint i = 0; i < server->acks->len; i++)
		g_assert_cmpuint(g_array_index(server->acks, guint16, i), ==, i);
}

/* loss: the first copy of some blocks, of the OACK and of the request never arrive */
static ProvTftpTestFate
prov_tftp_test_lose_some(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	if (attempt > 0)
		return PROV_TFTP_TEST_SEND;
	if (opcode == PROV_TFTP_OPCODE_OACK || index == 3 || index == 7 || index == 20)
		return PROV_TFTP_TEST_DROP;
	return PROV_TFTP_TEST_SEND;
}

static void
prov_tftp_test_loss(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(20000, 22);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/loss.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->fate = prov_tftp_test_lose_some;
	g_object_set(transport, "block-size", 1000, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	/* the lost OACK: the request went again */
	g_assert_cmpuint(server->requests->len, ==, 2);
	/* each lost block: its predecessor's ACK went again, once */
	g_assert_cmpuint(server->acks->len, ==, 22 + 3);
}

/* R13: reordering within a window (blocks 2 and 3, 9 and 10 swapped) */
static ProvTftpTestFate
prov_tftp_test_swap(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	if (attempt == 0 && (index == 2 || index == 9))
		return PROV_TFTP_TEST_HOLD;
	return PROV_TFTP_TEST_SEND;
}

static void
prov_tftp_test_reorder(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(16000, 23);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/reorder.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->fate = prov_tftp_test_swap;
	g_object_set(transport, "block-size", 1000, "window-size", 4, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
}

/* RFC 7440: one ACK per window, and for the final block */
static void
prov_tftp_test_window(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(9500, 24);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/window.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const guint16 expected[] = {0, 4, 8, 10};

	g_object_set(transport, "block-size", 1000, "window-size", 4, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpmem(server->acks->data, server->acks->len * sizeof(guint16), expected,
			sizeof(expected));
}

/* a window the server shrinks in its OACK */
static void
prov_tftp_test_window_lowered(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(9500, 25);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/window.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const guint16 expected[] = {0, 2, 4, 6, 8, 10};

	server->max_windowsize = 2;
	g_object_set(transport, "block-size", 1000, "window-size", 16, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpmem(server->acks->data, server->acks->len * sizeof(guint16), expected,
			sizeof(expected));
}

/* a loss inside a window: the gap is acknowledged once, the window restarts after it */
static ProvTftpTestFate
prov_tftp_test_lose_in_window(ProvTftpTestServer *server,
			      guint opcode,
			      guint64 index,
			      guint attempt)
{
	return attempt == 0 && index == 6 ? PROV_TFTP_TEST_DROP : PROV_TFTP_TEST_SEND;
}

static void
prov_tftp_test_window_loss(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(15500, 26);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/window.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	const guint16 expected[] = {0, 4, 5, 9, 13, 16};

	server->fate = prov_tftp_test_lose_in_window;
	g_object_set(transport, "block-size", 1000, "window-size", 4, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpmem(server->acks->data, server->acks->len * sizeof(guint16), expected,
			sizeof(expected));
}

/* R16: block numbers roll over from 65535 to 0 */
static void
prov_tftp_test_rollover(void)
{
	/* 70000 blocks of 8 bytes, and a short one */
	g_autoptr(GBytes) file = prov_tftp_test_pattern(70000 * 8 + 3, 27);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/rollover.bin");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	g_object_set(transport, "block-size", 8, "window-size", 16, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_true(server->done);
	g_assert_cmpuint(server->acked, ==, 70001);
}

/* R12: strangers get ERROR 5 and change nothing */
static void
prov_tftp_test_stranger_send(ProvTftpTestServer *server, guint16 block)
{
	guint8 packet[4 + 8] = {0};

	prov_tftp_packet_encode_data_header(packet, block);
	memset(packet + 4, 'X', 8);
	g_socket_send_to(server->stranger, server->client, (const gchar *)packet, sizeof(packet),
			 NULL, NULL);
}

static void
prov_tftp_test_stranger_first(ProvTftpTestServer *server)
{
	/* a forged first reply from another address, before the server's */
	if (server->requests->len == 1)
		prov_tftp_test_stranger_send(server, 1);
}

static ProvTftpTestFate
prov_tftp_test_stranger_later(ProvTftpTestServer *server,
			      guint opcode,
			      guint64 index,
			      guint attempt)
{
	/* a forged block from the server's address but another port, ahead of the real one */
	if (opcode == PROV_TFTP_OPCODE_DATA && index == 2 && attempt == 0)
		prov_tftp_test_stranger_send(server, 2);
	return PROV_TFTP_TEST_SEND;
}

static guint
prov_tftp_test_stranger_errors(GSocket *stranger)
{
	guint count = 0;

	for (;;) {
		guint8 buffer[128];
		ProvTftpPacket packet;
		gssize len =
		    g_socket_receive(stranger, (gchar *)buffer, sizeof(buffer), NULL, NULL);

		if (len < 0)
			return count;
		g_assert_true(prov_tftp_packet_parse(buffer, (gsize)len, &packet, NULL));
		g_assert_cmpuint(packet.opcode, ==, PROV_TFTP_OPCODE_ERROR);
		g_assert_cmpuint(packet.error_code, ==, PROV_TFTP_ERROR_CODE_UNKNOWN_TID);
		count++;
	}
}

static void
prov_tftp_test_strangers(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 28);
	g_autoptr(GError) error = NULL;

	/* another address: 127.0.0.2 is loopback too on Linux */
	{
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/pin.cfg");
		g_autoptr(GBytes) bytes = NULL;

		server->stranger = prov_tftp_test_socket_new("127.0.0.2", &error);
		if (server->stranger == NULL) {
			g_test_skip_printf("cannot bind 127.0.0.2: %s", error->message);
			return;
		}
		server->on_request = prov_tftp_test_stranger_first;
		g_object_set(transport, "block-size", 1000, NULL);
		bytes = prov_tftp_test_fetch(transport, url, &error);
		g_assert_no_error(error);
		prov_tftp_test_assert_bytes(bytes, file);
		g_assert_cmpuint(prov_tftp_test_stranger_errors(server->stranger), ==, 1);
	}
	/* the server's address, another port */
	{
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/pin.cfg");
		g_autoptr(GBytes) bytes = NULL;

		server->stranger = prov_tftp_test_socket_new("127.0.0.1", &error);
		g_assert_no_error(error);
		server->fate = prov_tftp_test_stranger_later;
		g_object_set(transport, "block-size", 1000, NULL);
		bytes = prov_tftp_test_fetch(transport, url, &error);
		g_assert_no_error(error);
		prov_tftp_test_assert_bytes(bytes, file);
		g_assert_cmpuint(prov_tftp_test_stranger_errors(server->stranger), ==, 1);
		g_assert_cmpuint(server->errors->len, ==, 0);
	}
}

/* R12: an ACK during a read aborts it with ERROR 4 */
static ProvTftpTestFate
prov_tftp_test_ack_instead(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	guint8 packet[4];

	if (opcode != PROV_TFTP_OPCODE_DATA || index != 2)
		return PROV_TFTP_TEST_SEND;
	prov_tftp_packet_encode_ack(packet, 2);
	prov_tftp_test_server_send(server, packet, sizeof(packet));
	return PROV_TFTP_TEST_DROP;
}

static void
prov_tftp_test_ack_during_read(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 29);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/ack.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	server->fate = prov_tftp_test_ack_instead;
	g_object_set(transport, "block-size", 1000, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	g_assert_cmpuint(server->errors->len, ==, 1);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION);
}

/* a block longer than the negotiated size */
static void
prov_tftp_test_oversized_data(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(3000, 30);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/big.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	/* the OACK says 512, the server sends 1000 */
	static const gchar oack[] = "\0\6blksize\0"
				    "512";

	server->oack = g_bytes_new_static(oack, sizeof(oack));
	g_object_set(transport, "block-size", 1000, NULL);
	server->max_blksize = 1000;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION);
}

/* R11: a 600-byte name at blksize 512 is refused before anything is sent */
static void
prov_tftp_test_long_filename(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(10, 31);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *name = g_strnfill(599, 'n');
	g_autofree gchar *path = g_strconcat("/", name, NULL);
	g_autofree gchar *url = prov_tftp_test_server_url(server, path);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	g_object_set(transport, "block-size", 512, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "600 bytes"));
	g_assert_cmpuint(server->requests->len, ==, 0);

	/* the longest name that fits: 512 - 2 - 1 - 6 */
	g_clear_error(&error);
	g_clear_pointer(&url, g_free);
	g_clear_pointer(&path, g_free);
	g_free(name);
	name = g_strnfill(502, 'n');
	path = g_strconcat("/", name, NULL);
	url = prov_tftp_test_server_url(server, path);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpuint(server->requests->len, ==, 1);
	g_assert_cmpuint(g_bytes_get_size(g_ptr_array_index(server->requests, 0)), ==, 512);
}

static void
prov_tftp_test_bad_urls(void)
{
	const gchar *urls[] = {"tftp://127.0.0.1:6969/", "tftp://127.0.0.1:6969", "tftp:///x.cfg",
			       "tftp://127.0.0.1:6969/a%00b"};

	for (guint i = 0; i < G_N_ELEMENTS(urls); i++) {
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = prov_tftp_test_fetch(transport, urls[i], &error);

		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	}
}

/* reference 5.4: a closed port on the first address fails over to the next at once */
static void
prov_tftp_test_failover_refused(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(2000, 50);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = g_strdup_printf("tftp://prov.test:%u/failover.cfg", server->port);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpTiming timing;
	GResolver *previous = NULL;
	gint64 started;

	/* nothing listens on 127.0.0.3 at the server's port: ICMP, not a timeout */
	prov_tftp_transport_get_timing(transport, &timing);
	timing.initial_ms = 2000;
	timing.max_ms = 4000;
	prov_tftp_transport_set_timing(transport, &timing);
	previous =
	    prov_tftp_test_resolver_install((const gchar *[]){"127.0.0.3", "127.0.0.1", NULL});
	started = g_get_monotonic_time();
	bytes = prov_tftp_test_fetch(transport, url, &error);
	prov_tftp_test_resolver_restore(previous);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	g_assert_cmpint(g_get_monotonic_time() - started, <, 2000 * 1000);
}

/* a silent first address gives way after its attempts; IPv4 comes before IPv6 */
static void
prov_tftp_test_failover_silent(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(2000, 51);
	g_autoptr(ProvTftpTestServer) silent = prov_tftp_test_server_new_at("127.0.0.3", file);
	g_autoptr(ProvTftpTestServer) server = NULL;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autoptr(GSocket) v6 = NULL;
	g_autofree gchar *url = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpTiming timing;
	GResolver *previous = NULL;

	if (silent == NULL)
		return;
	/* the same port on 127.0.0.1, the address that answers */
	server = prov_tftp_test_server_new_at_port("127.0.0.1", silent->port, file);
	if (server == NULL)
		return;
	silent->silent = TRUE;
	/* where IPv6 works, ::1 at that port would see any request sent there */
	v6 = prov_tftp_test_socket_new_at("::1", silent->port, NULL);
	prov_tftp_transport_get_timing(transport, &timing);
	timing.initial_ms = 10;
	timing.min_ms = 10;
	timing.max_ms = 40;
	timing.max_retries = 3;
	prov_tftp_transport_set_timing(transport, &timing);
	url = g_strdup_printf("tftp://prov.test:%u/failover.cfg", server->port);
	/* ::1 comes first in the answer, yet is tried last */
	previous = prov_tftp_test_resolver_install(
	    (const gchar *[]){"::1", "127.0.0.3", "127.0.0.1", NULL});
	bytes = prov_tftp_test_fetch(transport, url, &error);
	prov_tftp_test_resolver_restore(previous);
	g_assert_no_error(error);
	prov_tftp_test_assert_bytes(bytes, file);
	/* 127.0.0.3 had its 4 attempts (waits of 10, 20, 40, 40 ms), then 127.0.0.1 answered */
	g_assert_cmpuint(silent->requests->len, ==, 4);
	g_assert_cmpuint(server->requests->len, ==, 1);
	if (v6 != NULL) {
		guint8 buffer[16];

		g_assert_cmpint(g_socket_receive(v6, (gchar *)buffer, sizeof(buffer), NULL, NULL),
				<, 0);
	}
}

/* exponential back-off, a bounded number of attempts, a clean timeout */
static void
prov_tftp_test_no_answer(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(10, 32);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/silent.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpTiming timing;

	prov_tftp_transport_get_timing(transport, &timing);
	timing.initial_ms = 10;
	timing.min_ms = 10;
	timing.max_ms = 160;
	timing.max_retries = 4;
	prov_tftp_transport_set_timing(transport, &timing);
	server->silent = TRUE;
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "after 5 attempts"));
	g_assert_cmpuint(server->requests->len, ==, 5);
	/* 10, 20, 40, 80 ms, then the ceiling of 160: timers never fire early */
	for (guint i = 1; i < server->request_times->len; i++) {
		gint64 wait = g_array_index(server->request_times, gint64, i) -
			      g_array_index(server->request_times, gint64, i - 1);

		g_assert_cmpint(wait, >=, (10 * 1000) << (i - 1));
	}
}

/* the overall deadline ends a transfer whose server keeps it alive too slowly */
static ProvTftpTestFate
prov_tftp_test_lose_later(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	return index >= 2 ? PROV_TFTP_TEST_DROP : PROV_TFTP_TEST_SEND;
}

static void
prov_tftp_test_deadline(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(5000, 33);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/deadline.cfg");
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpTiming timing;
	gint64 started = g_get_monotonic_time();
	gint64 elapsed;

	prov_tftp_transport_get_timing(transport, &timing);
	timing.max_retries = 1000;
	timing.initial_ms = 10;
	timing.min_ms = 10;
	timing.max_ms = 20;
	timing.deadline_ms = 300;
	prov_tftp_transport_set_timing(transport, &timing);
	server->fate = prov_tftp_test_lose_later;
	g_object_set(transport, "block-size", 1000, NULL);
	bytes = prov_tftp_test_fetch(transport, url, &error);
	elapsed = g_get_monotonic_time() - started;
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	g_assert_cmpint(elapsed, >=, 300 * 1000);
	g_assert_cmpint(elapsed, <, 5 * G_USEC_PER_SEC);
	/* the server is told (ERROR 0), so that it stops too */
	g_assert_cmpuint(server->errors->len, ==, 1);
	g_assert_cmpuint(prov_tftp_test_server_error_code(server, 0), ==,
			 PROV_TFTP_ERROR_CODE_UNDEFINED);
}

/* a closed port answers with ICMP: refused at once, not at the deadline */
static void
prov_tftp_test_refused(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket = prov_tftp_test_socket_new("127.0.0.1", &error);
	guint16 port = prov_tftp_test_socket_port(socket);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = NULL;
	g_autoptr(GBytes) bytes = NULL;
	ProvTftpTiming timing;
	gint64 started;

	g_socket_close(socket, NULL);
	prov_tftp_transport_get_timing(transport, &timing);
	timing.initial_ms = 2000;
	prov_tftp_transport_set_timing(transport, &timing);
	url = g_strdup_printf("tftp://127.0.0.1:%u/closed.cfg", port);
	started = g_get_monotonic_time();
	bytes = prov_tftp_test_fetch(transport, url, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UNREACHABLE);
	g_assert_cmpint(g_get_monotonic_time() - started, <, 2000 * 1000);
}

static void
prov_tftp_test_cancel_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	prov_tftp_test_fetch_cb(source, result, user_data);
}

static ProvTftpTestFate
prov_tftp_test_cancel_at(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	if (index == 3)
		g_cancellable_cancel(G_CANCELLABLE(server->fate_data));
	return PROV_TFTP_TEST_SEND;
}

static void
prov_tftp_test_cancel(void)
{
	g_autoptr(GBytes) file = prov_tftp_test_pattern(8000, 34);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(file);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/cancel.cfg");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	ProvTftpTestResult outcome = {0};

	server->fate = prov_tftp_test_cancel_at;
	server->fate_data = cancellable;
	g_object_set(transport, "block-size", 1000, NULL);
	prov_transport_fetch_url_async(PROV_TRANSPORT(transport), url, ctx, cancellable,
				       prov_tftp_test_cancel_cb, &outcome);
	while (!outcome.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_null(outcome.bytes);
	g_assert_error(outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&outcome.error);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(server->errors->len, ==, 1);
}

/* reference 9.1: Report_Rule over TFTP is a WRQ */
static void
prov_tftp_test_upload_basic(void)
{
	g_autoptr(GBytes) report = prov_tftp_test_pattern(5000, 35);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(empty);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/rep/00e0.xml");
	g_autoptr(GError) error = NULL;
	ProvTftpPacket request;

	g_object_set(transport, "block-size", 1000, NULL);
	g_assert_true(prov_transport_can_upload(PROV_TRANSPORT(transport)));
	g_assert_true(prov_tftp_test_upload(transport, url, report, &error));
	g_assert_no_error(error);
	g_assert_true(server->done);
	g_assert_cmpmem(server->upload->data, server->upload->len, g_bytes_get_data(report, NULL),
			g_bytes_get_size(report));
	prov_tftp_test_server_get_request(server, 0, &request);
	g_assert_cmpuint(request.opcode, ==, PROV_TFTP_OPCODE_WRQ);
	g_assert_cmpstr(request.filename, ==, "/rep/00e0.xml");
	g_assert_cmpstr(request.mode, ==, "octet");
	g_assert_cmpuint(request.options.blksize, ==, 1000);
	g_assert_true(request.options.has_tsize);
	g_assert_cmpuint(request.options.tsize, ==, 5000);
	g_assert_cmpuint(server->n_data, ==, 6);
}

static void
prov_tftp_test_upload_sizes(void)
{
	const gsize sizes[] = {0, 511, 512, 513, 2048};

	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autoptr(GBytes) report = prov_tftp_test_pattern(sizes[i], 36 + i);
		g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
		g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(empty);
		g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
		g_autofree gchar *url = prov_tftp_test_server_url(server, "/rep.xml");
		g_autoptr(GError) error = NULL;

		/* a server that ignores options: ACK 0 and blocks of 512 */
		server->ignore_options = TRUE;
		g_assert_true(prov_tftp_test_upload(transport, url, report, &error));
		g_assert_no_error(error);
		g_assert_cmpmem(server->upload->data, server->upload->len,
				g_bytes_get_data(report, NULL), g_bytes_get_size(report));
		g_assert_cmpuint(server->n_data, ==, sizes[i] / 512 + 1);
	}
}

/* R13 for the sender: a repeated ACK never resends DATA; losses are resent by the timer */
static ProvTftpTestFate
prov_tftp_test_upload_fate(ProvTftpTestServer *server, guint opcode, guint64 index, guint attempt)
{
	if (opcode == PROV_TFTP_OPCODE_ACK && index == 8 && attempt == 0)
		return PROV_TFTP_TEST_DROP;
	return PROV_TFTP_TEST_DUPLICATE;
}

static void
prov_tftp_test_upload_window(void)
{
	g_autoptr(GBytes) report = prov_tftp_test_pattern(15500, 40);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(empty);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/rep.xml");
	g_autoptr(GError) error = NULL;

	server->fate = prov_tftp_test_upload_fate;
	g_object_set(transport, "block-size", 1000, "window-size", 4, NULL);
	g_assert_true(prov_tftp_test_upload(transport, url, report, &error));
	g_assert_no_error(error);
	g_assert_cmpmem(server->upload->data, server->upload->len, g_bytes_get_data(report, NULL),
			g_bytes_get_size(report));
	/* 16 blocks, and the window 5 to 8 once more for the lost ACK 8 */
	g_assert_cmpuint(server->n_data, ==, 16 + 4);
}

static void
prov_tftp_test_upload_refused(void)
{
	g_autoptr(GBytes) report = prov_tftp_test_pattern(100, 41);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(report);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/rep.xml");
	g_autoptr(GError) error = NULL;

	server->error_code = PROV_TFTP_ERROR_CODE_ACCESS_VIOLATION;
	g_assert_false(prov_tftp_test_upload(transport, url, report, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UPLOAD_REFUSED);
}

static void
prov_tftp_test_upload_over_cap(void)
{
	g_autoptr(GBytes) report = prov_tftp_test_pattern(2 * 1024 * 1024, 42);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(ProvTftpTestServer) server = prov_tftp_test_server_new(empty);
	g_autoptr(ProvTftpTransport) transport = prov_tftp_test_transport_new();
	g_autofree gchar *url = prov_tftp_test_server_url(server, "/rep.xml");
	g_autoptr(GError) error = NULL;

	g_assert_false(prov_tftp_test_upload(transport, url, report, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpuint(server->requests->len, ==, 0);
}

/* pure packet and option checks (R10) */
static void
prov_tftp_test_packet_parse(void)
{
	static const guint8 data[] = {0, 3, 0xff, 0xff, 'a', 'b'};
	static const guint8 error_unterminated[] = {0, 5, 0, 1, 'n', 'o', 0x01};
	static const guint8 short_ack[] = {0, 4, 0};
	static const guint8 unknown[] = {0, 9, 0, 0};
	ProvTftpPacket packet;
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_tftp_packet_parse(data, sizeof(data), &packet, &error));
	g_assert_cmpuint(packet.opcode, ==, PROV_TFTP_OPCODE_DATA);
	g_assert_cmpuint(packet.block, ==, 65535);
	g_assert_cmpmem(packet.data, packet.data_len, "ab", 2);
	g_assert_true(prov_tftp_packet_parse(error_unterminated, sizeof(error_unterminated),
					     &packet, &error));
	g_assert_cmpuint(packet.error_code, ==, 1);
	g_assert_cmpstr(packet.error_message, ==, "no?");
	g_assert_false(prov_tftp_packet_parse(short_ack, sizeof(short_ack), &packet, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	g_clear_error(&error);
	g_assert_false(prov_tftp_packet_parse(unknown, sizeof(unknown), &packet, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	g_clear_error(&error);
	g_assert_false(prov_tftp_packet_parse(data, 1, &packet, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
}

static void
prov_tftp_test_negotiate(void)
{
	ProvTftpOptions requested = {.has_blksize = TRUE,
				     .blksize = 1428,
				     .has_tsize = TRUE,
				     .has_timeout = TRUE,
				     .timeout = 5,
				     .has_windowsize = TRUE,
				     .windowsize = 16};
	ProvTftpOptions reply = {0};
	g_autoptr(GError) error = NULL;

	/* an empty OACK keeps every default */
	g_assert_true(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	reply.has_blksize = TRUE;
	reply.blksize = 1428;
	reply.has_windowsize = TRUE;
	reply.windowsize = 1;
	reply.has_timeout = TRUE;
	reply.timeout = 5;
	reply.has_tsize = TRUE;
	reply.tsize = 123456;
	g_assert_true(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	g_assert_no_error(error);
	reply.windowsize = 17;
	g_assert_false(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	g_clear_error(&error);
	reply.windowsize = 0;
	g_assert_false(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	g_clear_error(&error);
	reply.windowsize = 16;
	reply.timeout = 4;
	g_assert_false(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	g_clear_error(&error);
	reply.timeout = 5;
	/* a WRQ's tsize comes back unchanged */
	requested.tsize = 100;
	g_assert_false(prov_tftp_options_negotiate(&requested, &reply, TRUE, &error));
	g_clear_error(&error);
	reply.tsize = 100;
	g_assert_true(prov_tftp_options_negotiate(&requested, &reply, TRUE, &error));
	reply.blksize = 1429;
	g_assert_false(prov_tftp_options_negotiate(&requested, &reply, FALSE, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/tftp-transport/packet-parse", prov_tftp_test_packet_parse);
	g_test_add_func("/prov/tftp-transport/negotiate", prov_tftp_test_negotiate);
	g_test_add_func("/prov/tftp-transport/basic", prov_tftp_test_basic);
	g_test_add_func("/prov/tftp-transport/ipv6", prov_tftp_test_ipv6);
	g_test_add_func("/prov/tftp-transport/host-name", prov_tftp_test_host_name);
	g_test_add_func("/prov/tftp-transport/escaped-path", prov_tftp_test_escaped_path);
	g_test_add_func("/prov/tftp-transport/sizes", prov_tftp_test_sizes);
	g_test_add_func("/prov/tftp-transport/options-ignored", prov_tftp_test_options_ignored);
	g_test_add_func("/prov/tftp-transport/options-refused", prov_tftp_test_options_refused);
	g_test_add_func("/prov/tftp-transport/options-off", prov_tftp_test_options_off);
	g_test_add_func("/prov/tftp-transport/options-requested", prov_tftp_test_options_requested);
	g_test_add_func("/prov/tftp-transport/server-errors", prov_tftp_test_server_errors);
	g_test_add_func("/prov/tftp-transport/tsize-over-cap", prov_tftp_test_tsize_over_cap);
	g_test_add_func("/prov/tftp-transport/data-over-cap", prov_tftp_test_data_over_cap);
	g_test_add_func("/prov/tftp-transport/data-at-cap", prov_tftp_test_data_at_cap);
	g_test_add_func("/prov/tftp-transport/tsize-mismatch", prov_tftp_test_tsize_mismatch);
	g_test_add_func("/prov/tftp-transport/bad-oack", prov_tftp_test_bad_oack);
	g_test_add_func("/prov/tftp-transport/oack-defaults", prov_tftp_test_oack_defaults);
	g_test_add_func("/prov/tftp-transport/unrequested-oack", prov_tftp_test_unrequested_oack);
	g_test_add_func("/prov/tftp-transport/duplicates", prov_tftp_test_duplicates);
	g_test_add_func("/prov/tftp-transport/loss", prov_tftp_test_loss);
	g_test_add_func("/prov/tftp-transport/reorder", prov_tftp_test_reorder);
	g_test_add_func("/prov/tftp-transport/window", prov_tftp_test_window);
	g_test_add_func("/prov/tftp-transport/window-lowered", prov_tftp_test_window_lowered);
	g_test_add_func("/prov/tftp-transport/window-loss", prov_tftp_test_window_loss);
	g_test_add_func("/prov/tftp-transport/rollover", prov_tftp_test_rollover);
	g_test_add_func("/prov/tftp-transport/strangers", prov_tftp_test_strangers);
	g_test_add_func("/prov/tftp-transport/ack-during-read", prov_tftp_test_ack_during_read);
	g_test_add_func("/prov/tftp-transport/oversized-data", prov_tftp_test_oversized_data);
	g_test_add_func("/prov/tftp-transport/long-filename", prov_tftp_test_long_filename);
	g_test_add_func("/prov/tftp-transport/bad-urls", prov_tftp_test_bad_urls);
	g_test_add_func("/prov/tftp-transport/failover-refused", prov_tftp_test_failover_refused);
	g_test_add_func("/prov/tftp-transport/failover-silent", prov_tftp_test_failover_silent);
	g_test_add_func("/prov/tftp-transport/no-answer", prov_tftp_test_no_answer);
	g_test_add_func("/prov/tftp-transport/deadline", prov_tftp_test_deadline);
	g_test_add_func("/prov/tftp-transport/refused", prov_tftp_test_refused);
	g_test_add_func("/prov/tftp-transport/cancel", prov_tftp_test_cancel);
	g_test_add_func("/prov/tftp-transport/upload", prov_tftp_test_upload_basic);
	g_test_add_func("/prov/tftp-transport/upload-sizes", prov_tftp_test_upload_sizes);
	g_test_add_func("/prov/tftp-transport/upload-window", prov_tftp_test_upload_window);
	g_test_add_func("/prov/tftp-transport/upload-refused", prov_tftp_test_upload_refused);
	g_test_add_func("/prov/tftp-transport/upload-over-cap", prov_tftp_test_upload_over_cap);
	return g_test_run();
}
