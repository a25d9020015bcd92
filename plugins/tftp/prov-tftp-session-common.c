/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>

#include "prov-tftp-session.h"

#define PROV_TFTP_SESSION_NO_BLOCK G_MAXUINT64

typedef enum {
	PROV_TFTP_SESSION_REQUESTING,
	PROV_TFTP_SESSION_TRANSFER,
	PROV_TFTP_SESSION_FINISHED,
} ProvTftpSessionState;

struct _ProvTftpSession {
	gboolean write;
	gchar *filename;
	ProvTftpRequest request;
	ProvTftpSessionState state;
	gboolean has_reply;

	/* what the request carried, and what the server agreed to */
	ProvTftpOptions requested;
	gboolean options_sent;
	gboolean options_accepted;
	guint blksize;
	guint windowsize;
	guint timeout;
	gboolean has_tsize;
	guint64 tsize;

	/* read: blocks are counted in 64 bits; the wire carries the low 16 (R16) */
	gsize size_max;
	GByteArray *data;
	guint64 next_block;
	guint window_count;
	guint64 gap_acked;

	/* write */
	GBytes *upload;
	guint64 n_blocks;
	guint64 base;
	guint64 sent_to;
	guint64 send_next;
	guint64 send_last;
	guint8 *scratch;

	guint8 request_packet[PROV_TFTP_REQUEST_MAX];
	gsize request_len;
	/* the one control packet waiting to go out (request, ACK or ERROR) */
	guint8 control[PROV_TFTP_REQUEST_MAX];
	gsize control_len;
};

/**
 * prov_tftp_options_negotiate:
 * @requested: the options the request carried
 * @reply: the options of the server's OACK
 * @write: whether the request was a WRQ
 * @error: return location for a #GError (%PROV_ERROR_PROTOCOL)
 *
 * Checks an OACK against the request (RFC 2347, 2348, 2349, 7440, R10).
 * Options the OACK leaves out keep their RFC 1350 defaults.
 *
 * Returns: %FALSE when the client must refuse the OACK with ERROR 8
 */
gboolean
prov_tftp_options_negotiate(const ProvTftpOptions *requested,
			    const ProvTftpOptions *reply,
			    gboolean write,
			    GError **error)
{
	/* RFC 2347: a server must not acknowledge an option the client did not ask for */
	if (reply->n_unknown > 0 || (reply->has_blksize && !requested->has_blksize) ||
	    (reply->has_tsize && !requested->has_tsize) ||
	    (reply->has_timeout && !requested->has_timeout) ||
	    (reply->has_windowsize && !requested->has_windowsize)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp server acknowledged an option that was not requested");
		return FALSE;
	}
	/* RFC 2348: the server may only lower the block size */
	if (reply->has_blksize &&
	    (reply->blksize < PROV_TFTP_BLKSIZE_MIN || reply->blksize > requested->blksize)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "tftp server chose blksize %" G_GUINT64_FORMAT
			    ", outside %u to %" G_GUINT64_FORMAT,
			    reply->blksize, PROV_TFTP_BLKSIZE_MIN, requested->blksize);
		return FALSE;
	}
	/* RFC 7440: likewise the window */
	if (reply->has_windowsize &&
	    (reply->windowsize < 1 || reply->windowsize > requested->windowsize)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "tftp server chose windowsize %" G_GUINT64_FORMAT
			    ", outside 1 to %" G_GUINT64_FORMAT,
			    reply->windowsize, requested->windowsize);
		return FALSE;
	}
	/* RFC 2349: the timeout is accepted as requested or not at all */
	if (reply->has_timeout && reply->timeout != requested->timeout) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "tftp server changed timeout %" G_GUINT64_FORMAT
			    " to %" G_GUINT64_FORMAT,
			    requested->timeout, reply->timeout);
		return FALSE;
	}
	/* RFC 2349: a WRQ's size is the client's to state */
	if (write && reply->has_tsize && reply->tsize != requested->tsize) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "tftp server changed tsize %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
			    requested->tsize, reply->tsize);
		return FALSE;
	}
	return TRUE;
}

static ProvTftpSession *
prov_tftp_session_new(const gchar *filename, const ProvTftpRequest *request, gboolean write)
{
	ProvTftpSession *self = g_new0(ProvTftpSession, 1);

	self->write = write;
	self->filename = g_strdup(filename);
	self->request = *request;
	self->blksize = PROV_TFTP_BLKSIZE_DEFAULT;
	self->windowsize = 1;
	self->gap_acked = PROV_TFTP_SESSION_NO_BLOCK;
	/* no DATA to send before the server has answered a WRQ */
	self->send_next = 1;
	self->send_last = 0;
	return self;
}

/**
 * prov_tftp_session_new_read:
 * @filename: the file to request
 * @request: the options to ask for
 * @size_max: the fetch cap; a larger announced or received file fails
 *
 * Returns: (transfer full): a session for a read request (RRQ)
 */
ProvTftpSession *
prov_tftp_session_new_read(const gchar *filename, const ProvTftpRequest *request, gsize size_max)
{
	ProvTftpSession *self = prov_tftp_session_new(filename, request, FALSE);

	self->size_max = size_max;
	self->data = g_byte_array_new();
	return self;
}

/**
 * prov_tftp_session_new_write:
 * @filename: the file to write
 * @request: the options to ask for
 * @data: what to send
 *
 * Returns: (transfer full): a session for a write request (WRQ)
 */
ProvTftpSession *
prov_tftp_session_new_write(const gchar *filename, const ProvTftpRequest *request, GBytes *data)
{
	ProvTftpSession *self = prov_tftp_session_new(filename, request, TRUE);

	self->upload = g_bytes_ref(data);
	return self;
}

void
prov_tftp_session_free(ProvTftpSession *self)
{
	g_free(self->filename);
	if (self->data != NULL)
		g_byte_array_unref(self->data);
	if (self->upload != NULL)
		g_bytes_unref(self->upload);
	g_free(self->scratch);
	g_free(self);
}

static void
prov_tftp_session_queue_control(ProvTftpSession *self, const guint8 *packet, gsize len)
{
	memcpy(self->control, packet, len);
	self->control_len = len;
}

static void
prov_tftp_session_queue_ack(ProvTftpSession *self, guint64 block)
{
	prov_tftp_packet_encode_ack(self->control, (guint16)block);
	self->control_len = 4;
}

static void
prov_tftp_session_queue_error(ProvTftpSession *self, guint16 code, const gchar *message)
{
	self->control_len =
	    prov_tftp_packet_encode_error(self->control, sizeof(self->control), code, message);
}

/* queues the DATA of the window that starts at the oldest unacknowledged block */
static void
prov_tftp_session_queue_window(ProvTftpSession *self)
{
	self->send_next = self->base;
	self->send_last = MIN(self->base + self->windowsize - 1, self->n_blocks);
	self->sent_to = MAX(self->sent_to, self->send_last);
}

static ProvTftpStep
prov_tftp_session_fail(ProvTftpSession *self, gint code, GError *cause, GError **error)
{
	if (code >= 0)
		prov_tftp_session_queue_error(self, (guint16)code, cause->message);
	self->state = PROV_TFTP_SESSION_FINISHED;
	self->send_next = 1;
	self->send_last = 0;
	g_propagate_error(error, cause);
	return PROV_TFTP_STEP_FAILED;
}

static ProvTftpStep
prov_tftp_session_fail_unexpected(ProvTftpSession *self, guint opcode, GError **error)
{
	return prov_tftp_session_fail(
	    self, PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION,
	    g_error_new(PROV_ERROR, PROV_ERROR_PROTOCOL, "unexpected tftp %s during a %s",
			prov_tftp_opcode_to_string(opcode), self->write ? "write" : "read"),
	    error);
}

static gboolean
prov_tftp_session_build_request(ProvTftpSession *self, GError **error)
{
	ProvTftpOpcode opcode = self->write ? PROV_TFTP_OPCODE_WRQ : PROV_TFTP_OPCODE_RRQ;

	self->request_len = prov_tftp_packet_encode_request(
	    self->request_packet, sizeof(self->request_packet), opcode, self->filename,
	    self->options_sent ? &self->requested : NULL);
	/* a name that fits only without the options still gets its file, as RFC 1350 would */
	if (self->request_len == 0 && self->options_sent) {
		self->options_sent = FALSE;
		self->request_len = prov_tftp_packet_encode_request(self->request_packet,
								    sizeof(self->request_packet),
								    opcode, self->filename, NULL);
	}
	/* R11: refused before anything is sent */
	if (self->request_len == 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "tftp filename of %zu bytes does not fit in a request of %u bytes",
			    strlen(self->filename), PROV_TFTP_REQUEST_MAX);
		return FALSE;
	}
	prov_tftp_session_queue_control(self, self->request_packet, self->request_len);
	return TRUE;
}

/**
 * prov_tftp_session_start:
 * @self: a #ProvTftpSession
 * @error: return location for a #GError
 *
 * Queues the request.
 *
 * Returns: %FALSE when the filename cannot be sent
 */
gboolean
prov_tftp_session_start(ProvTftpSession *self, GError **error)
{
	ProvTftpRequest *request = &self->request;

	if (self->filename[0] == '\0') {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "tftp filename is empty");
		return FALSE;
	}
	memset(&self->requested, 0, sizeof(self->requested));
	if (request->blksize > 0) {
		self->requested.has_blksize = TRUE;
		self->requested.blksize = request->blksize;
	}
	if (request->tsize) {
		self->requested.has_tsize = TRUE;
		/* RFC 2349: 0 in a RRQ asks for the size, a WRQ states it */
		self->requested.tsize = self->write ? g_bytes_get_size(self->upload) : 0;
	}
	if (request->timeout > 0) {
		self->requested.has_timeout = TRUE;
		self->requested.timeout = request->timeout;
	}
	if (request->windowsize > 0) {
		self->requested.has_windowsize = TRUE;
		self->requested.windowsize = request->windowsize;
	}
	self->options_sent = self->requested.has_blksize || self->requested.has_tsize ||
			     self->requested.has_timeout || self->requested.has_windowsize;
	return prov_tftp_session_build_request(self, error);
}

/* the negotiated block size is known: set up the first DATA or ACK */
static void
prov_tftp_session_begin_transfer(ProvTftpSession *self)
{
	self->state = PROV_TFTP_SESSION_TRANSFER;
	if (self->write) {
		self->n_blocks = g_bytes_get_size(self->upload) / self->blksize + 1;
		self->scratch = g_malloc(self->blksize + 4);
		self->base = 1;
		prov_tftp_session_queue_window(self);
		return;
	}
	self->next_block = 1;
	/* an announced size within the cap saves the copies of a growing buffer */
	if (self->has_tsize && self->tsize <= self->size_max)
		g_byte_array_set_size(g_byte_array_set_size(self->data, (guint)self->tsize), 0);
}

static ProvTftpStep
prov_tftp_session_receive_error(ProvTftpSession *self, const ProvTftpPacket *packet, GError **error)
{
	gint code = PROV_ERROR_PROTOCOL;

	/* RFC 2347: a server that refuses the options is asked again without them */
	if (self->state == PROV_TFTP_SESSION_REQUESTING && self->options_sent &&
	    packet->error_code == PROV_TFTP_ERROR_CODE_OPTION_REFUSED) {
		self->options_sent = FALSE;
		self->has_reply = FALSE;
		if (!prov_tftp_session_build_request(self, error))
			return PROV_TFTP_STEP_FAILED;
		return PROV_TFTP_STEP_RESTART;
	}
	if (self->write)
		code = PROV_ERROR_UPLOAD_REFUSED;
	else if (packet->error_code == PROV_TFTP_ERROR_CODE_FILE_NOT_FOUND)
		code = PROV_ERROR_NOT_FOUND;
	/* RFC 1350: an ERROR is neither acknowledged nor answered */
	return prov_tftp_session_fail(
	    self, -1,
	    g_error_new(PROV_ERROR, code, "tftp server error %u (%s): %s", packet->error_code,
			prov_tftp_error_code_to_string(packet->error_code), packet->error_message),
	    error);
}

static ProvTftpStep
prov_tftp_session_receive_oack(ProvTftpSession *self, const ProvTftpPacket *packet, GError **error)
{
	const ProvTftpOptions *reply = &packet->options;
	GError *error_local = NULL;

	/* R12: an OACK that answers no option does not fit the request */
	if (!self->options_sent)
		return prov_tftp_session_fail(
		    self, PROV_TFTP_ERROR_CODE_OPTION_REFUSED,
		    g_error_new_literal(PROV_ERROR, PROV_ERROR_PROTOCOL,
					"tftp server sent an oack to a request without options"),
		    error);
	if (!prov_tftp_options_negotiate(&self->requested, reply, self->write, &error_local))
		return prov_tftp_session_fail(self, PROV_TFTP_ERROR_CODE_OPTION_REFUSED,
					      error_local, error);
	/* R15: refused before any data arrives */
	if (!self->write && reply->has_tsize && reply->tsize > self->size_max)
		return prov_tftp_session_fail(
		    self, PROV_TFTP_ERROR_CODE_OPTION_REFUSED,
		    g_error_new(PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				"tftp file of %" G_GUINT64_FORMAT
				" bytes exceeds the fetch limit of %zu bytes",
				reply->tsize, self->size_max),
		    error);
	self->options_accepted = TRUE;
	if (reply->has_blksize)
		self->blksize = (guint)reply->blksize;
	if (reply->has_windowsize)
		self->windowsize = (guint)reply->windowsize;
	if (reply->has_timeout)
		self->timeout = (guint)reply->timeout;
	self->has_tsize = reply->has_tsize;
	self->tsize = reply->tsize;
	prov_tftp_session_begin_transfer(self);
	if (!self->write)
		prov_tftp_session_queue_ack(self, 0);
	return PROV_TFTP_STEP_PROGRESS;
}

static ProvTftpStep
prov_tftp_session_receive_data(ProvTftpSession *self, const ProvTftpPacket *packet, GError **error)
{
	guint16 ahead = (guint16)(packet->block - (guint16)self->next_block);

	/* an old block, seen again: RFC 1123 4.2.3.1, nothing is resent for it (R13) */
	if (ahead >= 0x8000)
		return PROV_TFTP_STEP_IGNORED;
	/* RFC 7440: a gap in the window is answered once with the last block in order */
	if (ahead > 0) {
		if (self->gap_acked != self->next_block - 1) {
			prov_tftp_session_queue_ack(self, self->next_block - 1);
			self->gap_acked = self->next_block - 1;
			self->window_count = 0;
		}
		return PROV_TFTP_STEP_IGNORED;
	}
	if (packet->data_len > self->blksize)
		return prov_tftp_session_fail(
		    self, PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION,
		    g_error_new(PROV_ERROR, PROV_ERROR_PROTOCOL,
				"tftp data block of %zu bytes exceeds blksize %u", packet->data_len,
				self->blksize),
		    error);
	if (packet->data_len > self->size_max - self->data->len)
		return prov_tftp_session_fail(
		    self, PROV_TFTP_ERROR_CODE_DISK_FULL,
		    g_error_new(PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				"tftp file exceeds the fetch limit of %zu bytes", self->size_max),
		    error);
	g_byte_array_append(self->data, packet->data, (guint)packet->data_len);
	self->next_block++;
	self->window_count++;
	/* RFC 1350: a short block ends the transfer */
	if (packet->data_len < self->blksize) {
		prov_tftp_session_queue_ack(self, self->next_block - 1);
		self->state = PROV_TFTP_SESSION_FINISHED;
		if (self->has_tsize && self->tsize != self->data->len) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp server announced %" G_GUINT64_FORMAT " bytes but sent %u",
				    self->tsize, self->data->len);
			return PROV_TFTP_STEP_FAILED;
		}
		return PROV_TFTP_STEP_DONE;
	}
	if (self->window_count >= self->windowsize) {
		prov_tftp_session_queue_ack(self, self->next_block - 1);
		self->window_count = 0;
	}
	return PROV_TFTP_STEP_PROGRESS;
}

static ProvTftpStep
prov_tftp_session_receive_ack(ProvTftpSession *self, const ProvTftpPacket *packet)
{
	guint64 acked = self->base - 1;
	guint16 offset = (guint16)(packet->block - (guint16)acked);

	/*
	 * The acknowledged block lies between the last one acknowledged and the
	 * last one sent; anything else is old. A repeated ACK is never answered
	 * (RFC 1123 4.2.3.1): the timer resends the window if need be.
	 */
	if (offset == 0 || offset > self->sent_to - acked)
		return PROV_TFTP_STEP_IGNORED;
	acked += offset;
	self->base = acked + 1;
	if (acked == self->n_blocks) {
		self->state = PROV_TFTP_SESSION_FINISHED;
		self->send_next = 1;
		self->send_last = 0;
		return PROV_TFTP_STEP_DONE;
	}
	prov_tftp_session_queue_window(self);
	return PROV_TFTP_STEP_PROGRESS;
}

static ProvTftpStep
prov_tftp_session_receive_first(ProvTftpSession *self, const ProvTftpPacket *packet, GError **error)
{
	if (packet->opcode == PROV_TFTP_OPCODE_OACK)
		return prov_tftp_session_receive_oack(self, packet, error);
	/* RFC 2347: some servers ignore options; accept DATA 1 (ACK 0) without OACK */
	if (!self->write && packet->opcode == PROV_TFTP_OPCODE_DATA && packet->block == 1) {
		prov_tftp_session_begin_transfer(self);
		return prov_tftp_session_receive_data(self, packet, error);
	}
	if (self->write && packet->opcode == PROV_TFTP_OPCODE_ACK && packet->block == 0) {
		prov_tftp_session_begin_transfer(self);
		return PROV_TFTP_STEP_PROGRESS;
	}
	return prov_tftp_session_fail(self, PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION,
				      g_error_new(PROV_ERROR, PROV_ERROR_PROTOCOL,
						  "unexpected tftp %s %u in reply to a %s request",
						  prov_tftp_opcode_to_string(packet->opcode),
						  packet->block, self->write ? "write" : "read"),
				      error);
}

/**
 * prov_tftp_session_receive:
 * @self: a #ProvTftpSession
 * @datagram: a datagram from the peer (the transport has checked its source)
 * @len: its length
 * @error: return location for a #GError, set with %PROV_TFTP_STEP_FAILED only
 *
 * Advances the transfer. Packets to send are then taken with
 * prov_tftp_session_next_packet().
 *
 * Returns: what happened
 */
ProvTftpStep
prov_tftp_session_receive(ProvTftpSession *self, const guint8 *datagram, gsize len, GError **error)
{
	ProvTftpPacket packet;
	GError *error_local = NULL;

	if (self->state == PROV_TFTP_SESSION_FINISHED)
		return PROV_TFTP_STEP_IGNORED;
	if (!prov_tftp_packet_parse(datagram, len, &packet, &error_local))
		return prov_tftp_session_fail(self,
					      packet.opcode == PROV_TFTP_OPCODE_OACK
						  ? PROV_TFTP_ERROR_CODE_OPTION_REFUSED
						  : PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION,
					      error_local, error);
	self->has_reply = TRUE;
	if (packet.opcode == PROV_TFTP_OPCODE_ERROR)
		return prov_tftp_session_receive_error(self, &packet, error);
	if (self->state == PROV_TFTP_SESSION_REQUESTING)
		return prov_tftp_session_receive_first(self, &packet, error);
	/* a repeated OACK is a duplicate, not an error (R13) */
	if (packet.opcode == PROV_TFTP_OPCODE_OACK)
		return PROV_TFTP_STEP_IGNORED;
	/* R12: an ACK during a read, or DATA during a write, aborts it */
	if (self->write && packet.opcode == PROV_TFTP_OPCODE_ACK)
		return prov_tftp_session_receive_ack(self, &packet);
	if (!self->write && packet.opcode == PROV_TFTP_OPCODE_DATA)
		return prov_tftp_session_receive_data(self, &packet, error);
	return prov_tftp_session_fail_unexpected(self, packet.opcode, error);
}

/**
 * prov_tftp_session_retransmit:
 * @self: a #ProvTftpSession
 *
 * Queues again what the peer has not answered: the request, the last ACK,
 * or the unacknowledged window. The transport calls it when its timer
 * expires, never because a packet arrived twice.
 */
void
prov_tftp_session_retransmit(ProvTftpSession *self)
{
	switch (self->state) {
	case PROV_TFTP_SESSION_REQUESTING:
		prov_tftp_session_queue_control(self, self->request_packet, self->request_len);
		break;
	case PROV_TFTP_SESSION_TRANSFER:
		if (self->write) {
			prov_tftp_session_queue_window(self);
			break;
		}
		/* RFC 7440: the sender restarts its window after the last block in order */
		prov_tftp_session_queue_ack(self, self->next_block - 1);
		self->window_count = 0;
		self->gap_acked = self->next_block - 1;
		break;
	case PROV_TFTP_SESSION_FINISHED:
	default:
		break;
	}
}

/**
 * prov_tftp_session_abort:
 * @self: a #ProvTftpSession
 * @code: a #ProvTftpErrorCode
 * @message: for the peer
 *
 * Ends the transfer and queues an ERROR packet for the peer.
 */
void
prov_tftp_session_abort(ProvTftpSession *self, guint16 code, const gchar *message)
{
	if (self->state == PROV_TFTP_SESSION_FINISHED)
		return;
	self->state = PROV_TFTP_SESSION_FINISHED;
	self->send_next = 1;
	self->send_last = 0;
	prov_tftp_session_queue_error(self, code, message);
}

/**
 * prov_tftp_session_next_packet:
 * @self: a #ProvTftpSession
 * @packet: (out) (transfer none): the packet, valid until the next call
 * @len: (out): its length
 *
 * Returns: %FALSE when nothing more is to be sent now
 */
gboolean
prov_tftp_session_next_packet(ProvTftpSession *self, const guint8 **packet, gsize *len)
{
	guint64 offset;
	gsize data_len;

	if (self->control_len > 0) {
		*packet = self->control;
		*len = self->control_len;
		self->control_len = 0;
		return TRUE;
	}
	if (!self->write || self->state != PROV_TFTP_SESSION_TRANSFER ||
	    self->send_next > self->send_last)
		return FALSE;
	offset = (self->send_next - 1) * self->blksize;
	data_len = (gsize)MIN((guint64)self->blksize, g_bytes_get_size(self->upload) - offset);
	prov_tftp_packet_encode_data_header(self->scratch, (guint16)self->send_next);
	memcpy(self->scratch + 4, (const guint8 *)g_bytes_get_data(self->upload, NULL) + offset,
	       data_len);
	self->send_next++;
	*packet = self->scratch;
	*len = data_len + 4;
	return TRUE;
}

/* whether the peer has answered the current request */
gboolean
prov_tftp_session_has_reply(ProvTftpSession *self)
{
	return self->has_reply;
}

gboolean
prov_tftp_session_is_finished(ProvTftpSession *self)
{
	return self->state == PROV_TFTP_SESSION_FINISHED;
}

guint
prov_tftp_session_get_blksize(ProvTftpSession *self)
{
	return self->blksize;
}

guint
prov_tftp_session_get_windowsize(ProvTftpSession *self)
{
	return self->windowsize;
}

/* the timeout the server accepted (RFC 2349), or 0 */
guint
prov_tftp_session_get_timeout(ProvTftpSession *self)
{
	return self->timeout;
}

gboolean
prov_tftp_session_get_options_accepted(ProvTftpSession *self)
{
	return self->options_accepted;
}

/* bytes received, or acknowledged by the peer */
guint64
prov_tftp_session_get_transferred(ProvTftpSession *self)
{
	if (!self->write)
		return self->data->len;
	if (self->base <= 1)
		return 0;
	return MIN((self->base - 1) * self->blksize, g_bytes_get_size(self->upload));
}

/**
 * prov_tftp_session_steal_data:
 * @self: a #ProvTftpSession of a completed read
 *
 * Returns: (transfer full): the received file
 */
GBytes *
prov_tftp_session_steal_data(ProvTftpSession *self)
{
	GByteArray *data = g_steal_pointer(&self->data);

	self->data = g_byte_array_new();
	return g_byte_array_free_to_bytes(data);
}
