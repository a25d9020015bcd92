/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-tftp-packet.h"

G_BEGIN_DECLS

/*
 * One TFTP transfer as a state machine without I/O: datagrams from the
 * pinned peer go in, the packets to send come out. Sockets, transfer IDs and
 * timers belong to the transport; this part is what the fuzz target drives.
 */

typedef struct _ProvTftpSession ProvTftpSession;

/* what the client asks for; 0 leaves an option out of the request */
typedef struct {
	guint blksize;
	guint windowsize;
	guint timeout;
	gboolean tsize;
} ProvTftpRequest;

typedef enum {
	/* nothing new: a duplicate, an old block, a repeated OACK */
	PROV_TFTP_STEP_IGNORED,
	/* the transfer moved on */
	PROV_TFTP_STEP_PROGRESS,
	/* the server refused the options: the request goes again without them */
	PROV_TFTP_STEP_RESTART,
	/* complete; any final packet is queued */
	PROV_TFTP_STEP_DONE,
	/* failed with an error; any ERROR packet for the peer is queued */
	PROV_TFTP_STEP_FAILED,
} ProvTftpStep;

ProvTftpSession *
prov_tftp_session_new_read(const gchar *filename, const ProvTftpRequest *request, gsize size_max);
ProvTftpSession *
prov_tftp_session_new_write(const gchar *filename, const ProvTftpRequest *request, GBytes *data);
void
prov_tftp_session_free(ProvTftpSession *self);

gboolean
prov_tftp_session_start(ProvTftpSession *self, GError **error);
ProvTftpStep
prov_tftp_session_receive(ProvTftpSession *self, const guint8 *datagram, gsize len, GError **error);
void
prov_tftp_session_retransmit(ProvTftpSession *self);
void
prov_tftp_session_abort(ProvTftpSession *self, guint16 code, const gchar *message);
gboolean
prov_tftp_session_next_packet(ProvTftpSession *self, const guint8 **packet, gsize *len);

gboolean
prov_tftp_session_has_reply(ProvTftpSession *self);
gboolean
prov_tftp_session_is_finished(ProvTftpSession *self);
guint
prov_tftp_session_get_blksize(ProvTftpSession *self);
guint
prov_tftp_session_get_windowsize(ProvTftpSession *self);
guint
prov_tftp_session_get_timeout(ProvTftpSession *self);
gboolean
prov_tftp_session_get_options_accepted(ProvTftpSession *self);
guint64
prov_tftp_session_get_transferred(ProvTftpSession *self);
GBytes *
prov_tftp_session_steal_data(ProvTftpSession *self);

gboolean
prov_tftp_options_negotiate(const ProvTftpOptions *requested,
			    const ProvTftpOptions *reply,
			    gboolean write,
			    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTftpSession, prov_tftp_session_free)

G_END_DECLS
