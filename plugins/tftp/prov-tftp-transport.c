/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <netinet/in.h>
#include <prov-error.h>
#include <string.h>
#include <sys/socket.h>
#ifdef __linux__
#include <linux/errqueue.h>
#endif

#include "prov-tftp-packet.h"
#include "prov-tftp-session.h"
#include "prov-tftp-transport-private.h"

#define PROV_TFTP_PORT 69
/* reference 6.1: about 1 s before any round trip is measured */
#define PROV_TFTP_DEFAULT_INITIAL_MS 1000
/* above the scheduling noise of a busy host, far below any server's own timer */
#define PROV_TFTP_DEFAULT_MIN_MS      50
#define PROV_TFTP_DEFAULT_MAX_MS      8000
#define PROV_TFTP_DEFAULT_MAX_RETRIES 6
/* datagrams read in one dispatch, so that other sources still run */
#define PROV_TFTP_RECEIVE_BURST 64
/* a flood of strangers must not turn the client into a reflector */
#define PROV_TFTP_STRANGER_REPLIES_MAX 100
/* room for a whole window in the socket buffer: 2 x windowsize x blksize */
#define PROV_TFTP_SOCKET_BUFFER_MIN (256 * 1024)
#define PROV_TFTP_SOCKET_BUFFER_MAX (16 * 1024 * 1024)

struct _ProvTftpTransport {
	GObject parent_instance;
	guint block_size;
	guint window_size;
	guint server_timeout;
	gboolean transfer_size;
	gboolean options;
	ProvTftpTiming timing;
};

static void
prov_tftp_transport_iface_init(ProvTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvTftpTransport,
			prov_tftp_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT, prov_tftp_transport_iface_init))

enum {
	PROP_0,
	PROP_BLOCK_SIZE,
	PROP_WINDOW_SIZE,
	PROP_SERVER_TIMEOUT,
	PROP_TRANSFER_SIZE,
	PROP_OPTIONS,
	N_PROPS
};

static GParamSpec *props[N_PROPS] = {NULL};

/* one fetch or upload; owned by its task */
typedef struct {
	GTask *task;
	GMainContext *context;
	GCancellable *cancellable;
	ProvTftpSession *session;
	gboolean write;
	ProvTftpTiming timing;
	gchar *host;
	guint16 port;
	gchar *filename;

	GPtrArray *addresses;
	guint address_index;
	GInetSocketAddress *server;
	/* the transfer ID: the address of the server's first reply (R12) */
	GInetSocketAddress *peer;
	GSocket *socket;
	GSource *socket_source;
	GSource *timer_source;
	GSource *cancel_source;
	guint8 *buffer;
	GError *address_error;
	gboolean address_failed;
	guint strangers;
	gboolean finished;

	/* microseconds, monotonic */
	gint64 started_at;
	gint64 deadline_at;
	gint64 inactivity;
	gint64 inactivity_at;
	gint64 retransmit_at;
	gint64 armed_at;
	gint64 sent_at;
	gint64 rto;
	gint64 rto_base;
	gint64 srtt;
	gint64 rttvar;
	gboolean has_rtt;
	guint retries;
} ProvTftpTransfer;

static void
prov_tftp_transfer_free(ProvTftpTransfer *self)
{
	g_clear_pointer(&self->session, prov_tftp_session_free);
	g_clear_pointer(&self->host, g_free);
	g_clear_pointer(&self->filename, g_free);
	g_clear_pointer(&self->addresses, g_ptr_array_unref);
	g_clear_object(&self->server);
	g_clear_object(&self->peer);
	g_clear_object(&self->socket);
	g_clear_object(&self->cancellable);
	g_clear_pointer(&self->buffer, g_free);
	g_clear_error(&self->address_error);
	g_clear_pointer(&self->context, g_main_context_unref);
	g_free(self);
}

static void
prov_tftp_transfer_destroy_source(GSource **source)
{
	if (*source == NULL)
		return;
	g_source_destroy(*source);
	g_clear_pointer(source, g_source_unref);
}

static void
prov_tftp_transfer_close_socket(ProvTftpTransfer *self)
{
	prov_tftp_transfer_destroy_source(&self->socket_source);
	if (self->socket != NULL)
		g_socket_close(self->socket, NULL);
	g_clear_object(&self->socket);
	g_clear_object(&self->peer);
}

/* ends the transfer; @error (owned) is NULL on success. @self is gone afterwards. */
static void
prov_tftp_transfer_complete(ProvTftpTransfer *self, GError *error)
{
	GTask *task = g_steal_pointer(&self->task);

	self->finished = TRUE;
	prov_tftp_transfer_destroy_source(&self->timer_source);
	prov_tftp_transfer_destroy_source(&self->cancel_source);
	prov_tftp_transfer_close_socket(self);
	if (error != NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("tftp %s: %s", self->filename, error->message);
		else
			g_debug("tftp %s from %s: %s", self->filename, self->host, error->message);
		g_task_return_error(task, error);
	} else if (self->write) {
		g_debug("tftp %s to %s: %" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT " us",
			self->filename, self->host,
			prov_tftp_session_get_transferred(self->session),
			g_get_monotonic_time() - self->started_at);
		g_task_return_boolean(task, TRUE);
	} else {
		g_debug("tftp %s from %s: %" G_GUINT64_FORMAT " bytes in %" G_GINT64_FORMAT " us",
			self->filename, self->host,
			prov_tftp_session_get_transferred(self->session),
			g_get_monotonic_time() - self->started_at);
		g_task_return_pointer(task, prov_tftp_session_steal_data(self->session),
				      (GDestroyNotify)g_bytes_unref);
	}
	g_object_unref(task);
}

static gchar *
prov_tftp_transfer_describe_server(ProvTftpTransfer *self)
{
	g_autofree gchar *address =
	    g_inet_address_to_string(g_inet_socket_address_get_address(self->server));

	if (g_inet_address_get_family(g_inet_socket_address_get_address(self->server)) ==
	    G_SOCKET_FAMILY_IPV6)
		return g_strdup_printf("[%s]:%u", address, self->port);
	return g_strdup_printf("%s:%u", address, self->port);
}

static gboolean
prov_tftp_transfer_same_address(GInetSocketAddress *a, GInetSocketAddress *b)
{
	return g_inet_address_equal(g_inet_socket_address_get_address(a),
				    g_inet_socket_address_get_address(b));
}

static gboolean
prov_tftp_transfer_same_endpoint(GInetSocketAddress *a, GInetSocketAddress *b)
{
	return g_inet_socket_address_get_port(a) == g_inet_socket_address_get_port(b) &&
	       prov_tftp_transfer_same_address(a, b);
}

static gboolean
prov_tftp_transfer_is_unreachable(const GError *error)
{
	return g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
	       g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE);
}

/*
 * ICMP errors (port unreachable: no server listens) are queued on the socket
 * with IP_RECVERR. Only one about the request, before any reply, counts: it
 * makes the client try the next address at once instead of at the deadline.
 * Later ones could come from anyone and are dropped (R12).
 */
static void
prov_tftp_transfer_read_errors(ProvTftpTransfer *self)
{
#ifdef IP_RECVERR
	gint fd = g_socket_get_fd(self->socket);

	for (guint i = 0; i < PROV_TFTP_RECEIVE_BURST; i++) {
		struct sockaddr_storage name;
		guint8 control[512];
		guint8 payload[64];
		struct iovec iov = {payload, sizeof(payload)};
		struct msghdr msg;
		gint error_number = 0;
		g_autoptr(GSocketAddress) destination = NULL;

		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &name;
		msg.msg_namelen = sizeof(name);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
		     cmsg = CMSG_NXTHDR(&msg, cmsg)) {
			struct sock_extended_err extended;

			if (!((cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_RECVERR) ||
			      (cmsg->cmsg_level == IPPROTO_IPV6 &&
			       cmsg->cmsg_type == IPV6_RECVERR)))
				continue;
			memcpy(&extended, CMSG_DATA(cmsg), sizeof(extended));
			if (extended.ee_origin == SO_EE_ORIGIN_ICMP ||
			    extended.ee_origin == SO_EE_ORIGIN_ICMP6)
				error_number = (gint)extended.ee_errno;
		}
		if (error_number == 0 || self->peer != NULL || self->address_failed)
			continue;
		destination = g_socket_address_new_from_native(&name, msg.msg_namelen);
		if (!G_IS_INET_SOCKET_ADDRESS(destination) ||
		    !prov_tftp_transfer_same_endpoint(G_INET_SOCKET_ADDRESS(destination),
						      self->server))
			continue;
		{
			g_autofree gchar *server = prov_tftp_transfer_describe_server(self);

			g_clear_error(&self->address_error);
			self->address_error = g_error_new(PROV_ERROR, PROV_ERROR_UNREACHABLE,
							  "tftp server %s unreachable: %s", server,
							  g_strerror(error_number));
			self->address_failed = TRUE;
		}
	}
#endif
}

/* FALSE when the transfer cannot go on: the caller then fails the address */
static gboolean
prov_tftp_transfer_send(ProvTftpTransfer *self,
			GInetSocketAddress *to,
			const guint8 *packet,
			gsize len)
{
	g_autoptr(GError) error_local = NULL;

	for (guint attempt = 0; attempt < 2; attempt++) {
		g_clear_error(&error_local);
		if (g_socket_send_to(self->socket, G_SOCKET_ADDRESS(to), (const gchar *)packet, len,
				     NULL, &error_local) >= 0)
			return TRUE;
		/* a full buffer is a loss like any other: the timer resends */
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
			return TRUE;
		/* an earlier ICMP error surfaces on the next call; read it, then send again */
		if (!g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
			break;
		prov_tftp_transfer_read_errors(self);
		if (self->address_failed)
			return FALSE;
	}
	{
		g_autofree gchar *server = prov_tftp_transfer_describe_server(self);

		g_clear_error(&self->address_error);
		self->address_error = g_error_new(
		    PROV_ERROR,
		    prov_tftp_transfer_is_unreachable(error_local) ? PROV_ERROR_UNREACHABLE
								   : PROV_ERROR_FAILED,
		    "cannot send to tftp server %s: %s", server, error_local->message);
	}
	self->address_failed = TRUE;
	return FALSE;
}

/* sends what the session has queued; returns how many packets went out, -1 on failure */
static gint
prov_tftp_transfer_flush(ProvTftpTransfer *self)
{
	const guint8 *packet = NULL;
	gsize len = 0;
	gint count = 0;

	while (prov_tftp_session_next_packet(self->session, &packet, &len)) {
		GInetSocketAddress *to = self->peer != NULL ? self->peer : self->server;

		/* before the first reply only the request goes out, to the server's port */
		if (!prov_tftp_transfer_send(self, to, packet, len))
			return -1;
		count++;
	}
	return count;
}

static void
prov_tftp_transfer_arm(ProvTftpTransfer *self)
{
	gint64 next = MIN(self->retransmit_at, MIN(self->deadline_at, self->inactivity_at));

	/* the timer only moves forward lazily: it fires early, sees nothing due, re-arms */
	if (self->armed_at < 0 || next < self->armed_at) {
		self->armed_at = next;
		g_source_set_ready_time(self->timer_source, next);
	}
}

static void
prov_tftp_transfer_measure(ProvTftpTransfer *self, gint64 now)
{
	gint64 sample = now - self->sent_at;

	/* RFC 6298 2.2 and 2.3 */
	if (!self->has_rtt) {
		self->srtt = sample;
		self->rttvar = sample / 2;
		self->has_rtt = TRUE;
	} else {
		self->rttvar = (3 * self->rttvar + ABS(self->srtt - sample)) / 4;
		self->srtt = (7 * self->srtt + sample) / 8;
	}
	self->rto_base = self->srtt + MAX(1000, 4 * self->rttvar);
	self->rto_base = CLAMP(self->rto_base, (gint64)self->timing.min_ms * 1000,
			       (gint64)self->timing.max_ms * 1000);
}

static void
prov_tftp_transfer_fail_address(ProvTftpTransfer *self);

static void
prov_tftp_transfer_fail(ProvTftpTransfer *self, GError *error)
{
	/* the peer learns why, so that it does not wait for its own timeout */
	if (self->peer != NULL && self->socket != NULL) {
		prov_tftp_session_abort(self->session, PROV_TFTP_ERROR_CODE_UNDEFINED,
					error->message);
		prov_tftp_transfer_flush(self);
	}
	prov_tftp_transfer_complete(self, error);
}

static gboolean
prov_tftp_transfer_timer_cb(gpointer user_data)
{
	ProvTftpTransfer *self = user_data;
	gint64 now = g_get_monotonic_time();

	self->armed_at = -1;
	if (now >= self->deadline_at) {
		gint64 ms = (self->deadline_at - self->started_at) / 1000;

		prov_tftp_transfer_fail(
		    self,
		    g_error_new(PROV_ERROR, PROV_ERROR_TIMED_OUT,
				"tftp transfer with %s not complete after %" G_GINT64_FORMAT " ms",
				self->host, ms));
		return G_SOURCE_REMOVE;
	}
	if (now >= self->inactivity_at && self->socket != NULL &&
	    !prov_tftp_session_has_reply(self->session)) {
		g_autofree gchar *server = prov_tftp_transfer_describe_server(self);

		/* an address that never answered gives way to the next one */
		g_clear_error(&self->address_error);
		self->address_error =
		    g_error_new(PROV_ERROR, PROV_ERROR_TIMED_OUT,
				"no answer from tftp server %s for %" G_GINT64_FORMAT " ms", server,
				self->inactivity / 1000);
		self->address_failed = TRUE;
		prov_tftp_transfer_fail_address(self);
		return G_SOURCE_CONTINUE;
	}
	if (now >= self->inactivity_at) {
		prov_tftp_transfer_fail(
		    self, g_error_new(PROV_ERROR, PROV_ERROR_TIMED_OUT,
				      "tftp server %s silent for %" G_GINT64_FORMAT " ms",
				      self->host, self->inactivity / 1000));
		return G_SOURCE_REMOVE;
	}
	if (self->socket != NULL && now >= self->retransmit_at) {
		/*
		 * A bounded number of attempts per packet (reference 6.1), but not
		 * before the back-off reached its ceiling: after a short measured round
		 * trip, a few doublings still wait less than a server's own timer (1 s
		 * for tftpd-hpa, which never answers a repeated ACK)
		 */
		if (self->retries >= self->timing.max_retries &&
		    self->rto >= (gint64)self->timing.max_ms * 1000) {
			g_autofree gchar *server = prov_tftp_transfer_describe_server(self);

			g_clear_error(&self->address_error);
			self->address_error =
			    g_error_new(PROV_ERROR, PROV_ERROR_TIMED_OUT,
					"no answer from tftp server %s after %u attempts", server,
					self->retries + 1);
			self->address_failed = TRUE;
			/* the timer serves the next address too; @self may be gone */
			prov_tftp_transfer_fail_address(self);
			return G_SOURCE_CONTINUE;
		}
		self->retries++;
		/* RFC 6298 5.5: back off; Karn: no round trip is measured on a resent packet */
		self->rto = MIN(self->rto * 2, (gint64)self->timing.max_ms * 1000);
		self->sent_at = 0;
		prov_tftp_session_retransmit(self->session);
		if (prov_tftp_transfer_flush(self) < 0) {
			prov_tftp_transfer_fail_address(self);
			return G_SOURCE_CONTINUE;
		}
		self->retransmit_at = now + self->rto;
	}
	prov_tftp_transfer_arm(self);
	return G_SOURCE_CONTINUE;
}

static void
prov_tftp_transfer_answer_stranger(ProvTftpTransfer *self,
				   GInetSocketAddress *from,
				   const guint8 *datagram,
				   gsize len)
{
	guint8 packet[64];
	gsize packet_len;

	/* RFC 1350: an ERROR is never answered, lest two strangers ping-pong */
	if (len >= 2 && datagram[0] == 0 && datagram[1] == PROV_TFTP_OPCODE_ERROR)
		return;
	if (self->strangers >= PROV_TFTP_STRANGER_REPLIES_MAX)
		return;
	self->strangers++;
	packet_len = prov_tftp_packet_encode_error(
	    packet, sizeof(packet), PROV_TFTP_ERROR_CODE_UNKNOWN_TID, "unknown transfer id");
	g_socket_send_to(self->socket, G_SOCKET_ADDRESS(from), (const gchar *)packet, packet_len,
			 NULL, NULL);
}

/* returns FALSE when the transfer completed or moved to another address */
static gboolean
prov_tftp_transfer_handle(ProvTftpTransfer *self,
			  GInetSocketAddress *from,
			  const guint8 *datagram,
			  gsize len)
{
	g_autoptr(GError) error_local = NULL;
	ProvTftpStep step;
	gint64 now;
	gint sent;

	/* R12: the first reply only from the server's address, then only from its TID */
	if (self->peer == NULL) {
		if (!prov_tftp_transfer_same_address(from, self->server)) {
			prov_tftp_transfer_answer_stranger(self, from, datagram, len);
			return TRUE;
		}
		self->peer = g_object_ref(from);
	} else if (!prov_tftp_transfer_same_endpoint(from, self->peer)) {
		prov_tftp_transfer_answer_stranger(self, from, datagram, len);
		return TRUE;
	}

	step = prov_tftp_session_receive(self->session, datagram, len, &error_local);
	now = g_get_monotonic_time();
	switch (step) {
	case PROV_TFTP_STEP_IGNORED:
		/* a gap answered with an ACK; never a duplicate (R13) */
		if (prov_tftp_transfer_flush(self) < 0) {
			prov_tftp_transfer_complete(self, g_steal_pointer(&self->address_error));
			return FALSE;
		}
		return TRUE;
	case PROV_TFTP_STEP_RESTART:
		g_debug("tftp %s: server refused the options, asking again without them",
			self->filename);
		g_clear_object(&self->peer);
		self->retries = 0;
		self->rto = self->rto_base;
		self->retransmit_at = now + self->rto;
		if (prov_tftp_transfer_flush(self) < 0) {
			prov_tftp_transfer_fail_address(self);
			return FALSE;
		}
		self->sent_at = now;
		prov_tftp_transfer_arm(self);
		return TRUE;
	case PROV_TFTP_STEP_DONE:
		/* the final ACK; a lost one only makes the server time out (RFC 1350 6) */
		prov_tftp_transfer_flush(self);
		prov_tftp_transfer_complete(self, NULL);
		return FALSE;
	case PROV_TFTP_STEP_FAILED:
		prov_tftp_transfer_flush(self);
		prov_tftp_transfer_complete(self, g_steal_pointer(&error_local));
		return FALSE;
	case PROV_TFTP_STEP_PROGRESS:
	default:
		break;
	}

	if (self->sent_at != 0)
		prov_tftp_transfer_measure(self, now);
	self->sent_at = 0;
	self->retries = 0;
	self->rto = self->rto_base;
	self->inactivity_at = now + self->inactivity;
	self->retransmit_at = now + self->rto;
	sent = prov_tftp_transfer_flush(self);
	if (sent < 0) {
		prov_tftp_transfer_complete(self, g_steal_pointer(&self->address_error));
		return FALSE;
	}
	/* what was just sent first-hand times the next round trip */
	if (sent > 0)
		self->sent_at = now;
	prov_tftp_transfer_arm(self);
	return TRUE;
}

static gboolean
prov_tftp_transfer_socket_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpTransfer *self = user_data;

	if ((condition & G_IO_ERR) != 0)
		prov_tftp_transfer_read_errors(self);
	for (guint i = 0; i < PROV_TFTP_RECEIVE_BURST && !self->address_failed; i++) {
		g_autoptr(GSocketAddress) from = NULL;
		g_autoptr(GError) error_local = NULL;
		gssize len = g_socket_receive_from(socket, &from, (gchar *)self->buffer,
						   PROV_TFTP_DATAGRAM_MAX, NULL, &error_local);

		if (len < 0) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				break;
			if (prov_tftp_transfer_is_unreachable(error_local)) {
				prov_tftp_transfer_read_errors(self);
				continue;
			}
			prov_tftp_transfer_complete(
			    self, g_error_new(PROV_ERROR, PROV_ERROR_FAILED,
					      "cannot receive from tftp server %s: %s", self->host,
					      error_local->message));
			return G_SOURCE_REMOVE;
		}
		if (!G_IS_INET_SOCKET_ADDRESS(from))
			continue;
		if (!prov_tftp_transfer_handle(self, G_INET_SOCKET_ADDRESS(from), self->buffer,
					       (gsize)len))
			return G_SOURCE_REMOVE;
	}
	if (self->address_failed) {
		prov_tftp_transfer_fail_address(self);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static void
prov_tftp_transfer_size_buffers(ProvTftpTransfer *self)
{
	ProvTftpTransport *transport = g_task_get_source_object(self->task);
	guint64 window = MAX(transport->window_size, 1);
	guint64 bytes = 2 * window * ((guint64)transport->block_size + 4);
	gint size = (gint)CLAMP(bytes, PROV_TFTP_SOCKET_BUFFER_MIN, PROV_TFTP_SOCKET_BUFFER_MAX);

	/* the kernel caps the value at its own maximum; a smaller buffer only costs speed */
	g_socket_set_option(self->socket, SOL_SOCKET, self->write ? SO_SNDBUF : SO_RCVBUF, size,
			    NULL);
}

static gboolean
prov_tftp_transfer_open_socket(ProvTftpTransfer *self, GError **error)
{
	GInetAddress *address = g_inet_socket_address_get_address(self->server);
	GSocketFamily family = g_inet_address_get_family(address);
	g_autoptr(GInetAddress) any = g_inet_address_new_any(family);
	g_autoptr(GSocketAddress) local = g_inet_socket_address_new(any, 0);

	self->socket = g_socket_new(family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
	if (self->socket == NULL)
		return FALSE;
	g_socket_set_blocking(self->socket, FALSE);
	/* a fresh port is a fresh transfer ID (RFC 1350 4) */
	if (!g_socket_bind(self->socket, local, FALSE, error))
		return FALSE;
	prov_tftp_transfer_size_buffers(self);
#ifdef IP_RECVERR
	if (family == G_SOCKET_FAMILY_IPV6)
		g_socket_set_option(self->socket, IPPROTO_IPV6, IPV6_RECVERR, 1, NULL);
	else
		g_socket_set_option(self->socket, IPPROTO_IP, IP_RECVERR, 1, NULL);
#endif
	self->socket_source = g_socket_create_source(self->socket, G_IO_IN, NULL);
	g_source_set_callback(self->socket_source, G_SOURCE_FUNC(prov_tftp_transfer_socket_cb),
			      self, NULL);
	g_source_attach(self->socket_source, self->context);
	return TRUE;
}

static void
prov_tftp_transfer_try_address(ProvTftpTransfer *self)
{
	while (self->address_index < self->addresses->len) {
		GInetAddress *address = g_ptr_array_index(self->addresses, self->address_index);
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *server = NULL;
		gint64 now = g_get_monotonic_time();

		self->address_index++;
		g_clear_object(&self->server);
		self->server =
		    G_INET_SOCKET_ADDRESS(g_inet_socket_address_new(address, self->port));
		self->address_failed = FALSE;
		server = prov_tftp_transfer_describe_server(self);
		if (!prov_tftp_transfer_open_socket(self, &error_local)) {
			g_clear_error(&self->address_error);
			self->address_error = g_error_new(PROV_ERROR, PROV_ERROR_FAILED,
							  "cannot open socket for %s: %s", server,
							  error_local->message);
			prov_tftp_transfer_close_socket(self);
			continue;
		}
		g_debug("tftp %s: %s request to %s", self->filename, self->write ? "write" : "read",
			server);
		prov_tftp_session_retransmit(self->session);
		self->retries = 0;
		self->rto = self->rto_base;
		if (prov_tftp_transfer_flush(self) < 0) {
			prov_tftp_transfer_close_socket(self);
			continue;
		}
		self->sent_at = now;
		self->retransmit_at = now + self->rto;
		self->inactivity_at = now + self->inactivity;
		prov_tftp_transfer_arm(self);
		return;
	}
	prov_tftp_transfer_complete(self, g_steal_pointer(&self->address_error));
}

/* reference 5.4: a server that never answers gives way to the next address */
static void
prov_tftp_transfer_fail_address(ProvTftpTransfer *self)
{
	gboolean answered = prov_tftp_session_has_reply(self->session);

	prov_tftp_transfer_close_socket(self);
	if (answered) {
		prov_tftp_transfer_complete(self, g_steal_pointer(&self->address_error));
		return;
	}
	g_debug("tftp %s: %s", self->filename, self->address_error->message);
	prov_tftp_transfer_try_address(self);
}

static gint
prov_tftp_transfer_compare_family(gconstpointer a, gconstpointer b)
{
	GSocketFamily family_a = g_inet_address_get_family(*(GInetAddress *const *)a);
	GSocketFamily family_b = g_inet_address_get_family(*(GInetAddress *const *)b);

	/* reference 5.4: the devices look up A records; IPv6 comes after them */
	return (family_a == G_SOCKET_FAMILY_IPV6) - (family_b == G_SOCKET_FAMILY_IPV6);
}

static void
prov_tftp_transfer_resolve_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvTftpTransfer *self = g_task_get_task_data(task);
	g_autoptr(GError) error_local = NULL;
	GList *addresses =
	    g_resolver_lookup_by_name_finish(G_RESOLVER(source), result, &error_local);

	if (self->finished) {
		g_resolver_free_addresses(addresses);
		return;
	}
	if (addresses == NULL) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			prov_tftp_transfer_complete(self, g_steal_pointer(&error_local));
			return;
		}
		prov_tftp_transfer_complete(self, g_error_new(PROV_ERROR, PROV_ERROR_HOST_NOT_FOUND,
							      "cannot resolve tftp server %s: %s",
							      self->host, error_local->message));
		return;
	}
	for (GList *l = addresses; l != NULL; l = l->next)
		g_ptr_array_add(self->addresses, g_object_ref(l->data));
	g_resolver_free_addresses(addresses);
	/* g_ptr_array_sort() is stable only from GLib 2.76; insertion keeps the resolver's order */
	for (guint i = 1; i < self->addresses->len; i++) {
		for (guint j = i;
		     j > 0 && prov_tftp_transfer_compare_family(&self->addresses->pdata[j - 1],
								&self->addresses->pdata[j]) > 0;
		     j--) {
			gpointer swap = self->addresses->pdata[j];

			self->addresses->pdata[j] = self->addresses->pdata[j - 1];
			self->addresses->pdata[j - 1] = swap;
		}
	}
	prov_tftp_transfer_try_address(self);
}

static gboolean
prov_tftp_transfer_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	ProvTftpTransfer *self = user_data;
	GError *error = NULL;

	g_cancellable_set_error_if_cancelled(cancellable, &error);
	prov_tftp_transfer_fail(self, error);
	return G_SOURCE_REMOVE;
}

static gboolean
prov_tftp_transfer_timer_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	return callback(user_data);
}

static GSourceFuncs prov_tftp_transfer_timer_funcs = {
    NULL, NULL, prov_tftp_transfer_timer_dispatch, NULL, NULL, NULL,
};

/* the filename is the URL's path with its leading '/', as the devices send it (reference 6.1) */
static gchar *
prov_tftp_transfer_filename(GUri *uri, GError **error)
{
	gboolean encoded = (g_uri_get_flags(uri) & (G_URI_FLAGS_ENCODED | G_URI_FLAGS_ENCODED_PATH |
						    G_URI_FLAGS_ENCODED_QUERY)) != 0;
	const gchar *path = g_uri_get_path(uri);
	const gchar *query = g_uri_get_query(uri);
	g_autofree gchar *text = NULL;
	g_autofree gchar *filename = NULL;

	text = query != NULL ? g_strconcat(path, "?", query, NULL) : g_strdup(path);
	filename = encoded ? g_uri_unescape_string(text, NULL) : g_steal_pointer(&text);
	if (filename == NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "tftp url path has an invalid escape");
		return NULL;
	}
	if (filename[0] == '\0' || g_strcmp0(filename, "/") == 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "tftp url has no file path");
		return NULL;
	}
	return g_steal_pointer(&filename);
}

static ProvTftpTransfer *
prov_tftp_transfer_new(ProvTftpTransport *transport,
		       GTask *task,
		       GUri *uri,
		       ProvFetchContext *ctx,
		       GBytes *upload,
		       GError **error)
{
	g_autoptr(ProvTftpSession) session = NULL;
	g_autofree gchar *filename = NULL;
	ProvTftpRequest request = {0};
	ProvTftpTransfer *self = NULL;
	const gchar *host = g_uri_get_host(uri);
	gint port = g_uri_get_port(uri);
	gsize size_max = prov_fetch_context_get_size_max(ctx);

	if (host == NULL || host[0] == '\0') {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "tftp url has no server");
		return NULL;
	}
	if (port == 0 || port > G_MAXUINT16) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "tftp url has an invalid port %d", port);
		return NULL;
	}
	filename = prov_tftp_transfer_filename(uri, error);
	if (filename == NULL)
		return NULL;
	if (upload != NULL && g_bytes_get_size(upload) > size_max) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "tftp upload of %zu bytes exceeds the limit of %zu bytes",
			    g_bytes_get_size(upload), size_max);
		return NULL;
	}
	if (transport->options) {
		request.blksize = transport->block_size;
		request.windowsize = transport->window_size;
		request.timeout = transport->server_timeout;
		request.tsize = transport->transfer_size;
	}
	if (upload != NULL)
		session = prov_tftp_session_new_write(filename, &request, upload);
	else
		session = prov_tftp_session_new_read(filename, &request, size_max);
	/* R11: a name that cannot be sent fails before any packet leaves */
	if (!prov_tftp_session_start(session, error))
		return NULL;

	self = g_new0(ProvTftpTransfer, 1);
	self->task = task;
	self->context = g_main_context_ref_thread_default();
	self->cancellable = g_task_get_cancellable(task) != NULL
				? g_object_ref(g_task_get_cancellable(task))
				: NULL;
	self->session = g_steal_pointer(&session);
	self->write = upload != NULL;
	self->timing = transport->timing;
	self->host = g_strdup(host);
	self->port = port < 0 ? PROV_TFTP_PORT : (guint16)port;
	self->filename = g_steal_pointer(&filename);
	self->addresses = g_ptr_array_new_with_free_func(g_object_unref);
	self->buffer = g_malloc(PROV_TFTP_DATAGRAM_MAX);
	self->armed_at = -1;
	self->rto_base = (gint64)self->timing.initial_ms * 1000;
	self->rto = self->rto_base;
	self->started_at = g_get_monotonic_time();
	self->deadline_at =
	    self->started_at + (self->timing.deadline_ms > 0
				    ? (gint64)self->timing.deadline_ms * 1000
				    : (gint64)prov_fetch_context_get_timeout(ctx) * G_USEC_PER_SEC);
	self->inactivity =
	    self->timing.inactivity_ms > 0
		? (gint64)self->timing.inactivity_ms * 1000
		: (gint64)prov_fetch_context_get_inactivity_timeout(ctx) * G_USEC_PER_SEC;
	self->inactivity_at = self->started_at + self->inactivity;
	self->retransmit_at = G_MAXINT64;
	return self;
}

static void
prov_tftp_transfer_begin(ProvTftpTransfer *self)
{
	g_autoptr(GInetAddress) address = g_inet_address_new_from_string(self->host);
	g_autoptr(GResolver) resolver = NULL;

	self->timer_source = g_source_new(&prov_tftp_transfer_timer_funcs, sizeof(GSource));
	g_source_set_callback(self->timer_source, prov_tftp_transfer_timer_cb, self, NULL);
	g_source_attach(self->timer_source, self->context);
	prov_tftp_transfer_arm(self);
	if (self->cancellable != NULL) {
		self->cancel_source = g_cancellable_source_new(self->cancellable);
		g_source_set_callback(self->cancel_source,
				      G_SOURCE_FUNC(prov_tftp_transfer_cancelled_cb), self, NULL);
		g_source_attach(self->cancel_source, self->context);
	}
	/* GUri gives an IPv6 literal without its brackets */
	if (address != NULL) {
		g_ptr_array_add(self->addresses, g_steal_pointer(&address));
		prov_tftp_transfer_try_address(self);
		return;
	}
	resolver = g_resolver_get_default();
	g_resolver_lookup_by_name_async(resolver, self->host, self->cancellable,
					prov_tftp_transfer_resolve_cb, g_object_ref(self->task));
}

static void
prov_tftp_transport_start(ProvTftpTransport *self,
			  GUri *uri,
			  ProvFetchContext *ctx,
			  GBytes *upload,
			  GCancellable *cancellable,
			  GAsyncReadyCallback callback,
			  gpointer user_data,
			  gpointer source_tag)
{
	g_autoptr(GTask) task = g_task_new(self, cancellable, callback, user_data);
	g_autoptr(GError) error_local = NULL;
	ProvTftpTransfer *transfer = NULL;

	g_task_set_source_tag(task, source_tag);
	if (g_task_return_error_if_cancelled(task))
		return;
	transfer = prov_tftp_transfer_new(self, task, uri, ctx, upload, &error_local);
	if (transfer == NULL) {
		g_task_return_error(task, g_steal_pointer(&error_local));
		return;
	}
	g_task_set_task_data(task, transfer, (GDestroyNotify)prov_tftp_transfer_free);
	/* the transfer holds the task until it completes */
	transfer->task = g_steal_pointer(&task);
	prov_tftp_transfer_begin(transfer);
}

static void
prov_tftp_transport_fetch_async(ProvTransport *transport,
				GUri *uri,
				ProvFetchContext *ctx,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	prov_tftp_transport_start(PROV_TFTP_TRANSPORT(transport), uri, ctx, NULL, cancellable,
				  callback, user_data, prov_tftp_transport_fetch_async);
}

static GBytes *
prov_tftp_transport_fetch_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, transport), NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
prov_tftp_transport_upload_async(ProvTransport *transport,
				 GUri *uri,
				 ProvFetchContext *ctx,
				 GBytes *data,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	prov_tftp_transport_start(PROV_TFTP_TRANSPORT(transport), uri, ctx, data, cancellable,
				  callback, user_data, prov_tftp_transport_upload_async);
}

static gboolean
prov_tftp_transport_upload_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, transport), FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}

/* see prov-tftp-transport-private.h */
void
prov_tftp_transport_get_timing(ProvTftpTransport *self, ProvTftpTiming *timing)
{
	g_return_if_fail(PROV_IS_TFTP_TRANSPORT(self));

	*timing = self->timing;
}

void
prov_tftp_transport_set_timing(ProvTftpTransport *self, const ProvTftpTiming *timing)
{
	g_return_if_fail(PROV_IS_TFTP_TRANSPORT(self));
	g_return_if_fail(timing->min_ms > 0 && timing->min_ms <= timing->max_ms);
	g_return_if_fail(timing->initial_ms > 0);

	self->timing = *timing;
}

static void
prov_tftp_transport_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	ProvTftpTransport *self = PROV_TFTP_TRANSPORT(object);

	switch (prop_id) {
	case PROP_BLOCK_SIZE:
		g_value_set_uint(value, self->block_size);
		break;
	case PROP_WINDOW_SIZE:
		g_value_set_uint(value, self->window_size);
		break;
	case PROP_SERVER_TIMEOUT:
		g_value_set_uint(value, self->server_timeout);
		break;
	case PROP_TRANSFER_SIZE:
		g_value_set_boolean(value, self->transfer_size);
		break;
	case PROP_OPTIONS:
		g_value_set_boolean(value, self->options);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
prov_tftp_transport_set_property(GObject *object,
				 guint prop_id,
				 const GValue *value,
				 GParamSpec *pspec)
{
	ProvTftpTransport *self = PROV_TFTP_TRANSPORT(object);

	switch (prop_id) {
	case PROP_BLOCK_SIZE:
		self->block_size = g_value_get_uint(value);
		break;
	case PROP_WINDOW_SIZE:
		self->window_size = g_value_get_uint(value);
		break;
	case PROP_SERVER_TIMEOUT:
		self->server_timeout = g_value_get_uint(value);
		break;
	case PROP_TRANSFER_SIZE:
		self->transfer_size = g_value_get_boolean(value);
		break;
	case PROP_OPTIONS:
		self->options = g_value_get_boolean(value);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
prov_tftp_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_tftp_transport_fetch_async;
	iface->fetch_finish = prov_tftp_transport_fetch_finish;
	iface->upload_async = prov_tftp_transport_upload_async;
	iface->upload_finish = prov_tftp_transport_upload_finish;
}

static void
prov_tftp_transport_class_init(ProvTftpTransportClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = prov_tftp_transport_get_property;
	object_class->set_property = prov_tftp_transport_set_property;

	/**
	 * ProvTftpTransport:block-size:
	 *
	 * The `blksize` requested (RFC 2348); the server may choose less.
	 *
	 * Since: 0.1
	 */
	props[PROP_BLOCK_SIZE] =
	    g_param_spec_uint("block-size", NULL, NULL, PROV_TFTP_BLKSIZE_MIN,
			      PROV_TFTP_BLKSIZE_MAX, PROV_TFTP_BLKSIZE_REQUEST,
			      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvTftpTransport:window-size:
	 *
	 * The `windowsize` requested (RFC 7440), or 0 to leave it out.
	 *
	 * Since: 0.1
	 */
	props[PROP_WINDOW_SIZE] =
	    g_param_spec_uint("window-size", NULL, NULL, 0, PROV_TFTP_WINDOWSIZE_MAX, 0,
			      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvTftpTransport:server-timeout:
	 *
	 * The `timeout` requested (RFC 2349, the server's retransmission
	 * timeout in seconds), or 0 to leave it out.
	 *
	 * Since: 0.1
	 */
	props[PROP_SERVER_TIMEOUT] =
	    g_param_spec_uint("server-timeout", NULL, NULL, 0, PROV_TFTP_TIMEOUT_MAX, 0,
			      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvTftpTransport:transfer-size:
	 *
	 * Whether to request `tsize` (RFC 2349), so that a file over the fetch
	 * cap is refused before any data arrives (R15).
	 *
	 * Since: 0.1
	 */
	props[PROP_TRANSFER_SIZE] =
	    g_param_spec_boolean("transfer-size", NULL, NULL, TRUE,
				 G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvTftpTransport:options:
	 *
	 * Whether to request options at all (RFC 2347); %FALSE sends plain
	 * RFC 1350 requests.
	 *
	 * Since: 0.1
	 */
	props[PROP_OPTIONS] =
	    g_param_spec_boolean("options", NULL, NULL, TRUE,
				 G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
prov_tftp_transport_init(ProvTftpTransport *self)
{
	self->timing.initial_ms = PROV_TFTP_DEFAULT_INITIAL_MS;
	self->timing.min_ms = PROV_TFTP_DEFAULT_MIN_MS;
	self->timing.max_ms = PROV_TFTP_DEFAULT_MAX_MS;
	self->timing.max_retries = PROV_TFTP_DEFAULT_MAX_RETRIES;
}

/**
 * prov_tftp_transport_new:
 *
 * Returns: (transfer full): a transport for `tftp://` URLs
 */
ProvTftpTransport *
prov_tftp_transport_new(void)
{
	return g_object_new(PROV_TYPE_TFTP_TRANSPORT, NULL);
}
