/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * SIP messages as the NOTIFY trigger sees them (R24). Bytes from the network
 * pass three stages, none of which does I/O, so that the fuzz target drives
 * exactly what the listener runs:
 *
 * 1. prov_sip_frame_scan() finds one message in a datagram or at the start of
 *    a stream buffer and enforces the caps below and the Content-Length rules
 *    before anything else reads the bytes;
 * 2. prov_sip_message_parse() hands the header section (never the body) to
 *    libosip2's parser and copies what the trigger needs into a
 *    #ProvSipMessage of plain, validated strings;
 * 3. prov_sip_response_build() writes a response from the echoed headers.
 *
 * When a message is refused, prov_sip_echo_new_from_frame() still finds the
 * headers a 400 must echo, from the raw lines, if they are all there.
 */

/* a NOTIFY's request line is short; a longer one is not a trigger */
#define PROV_SIP_START_LINE_MAX 2048
/* one header field, continuation lines included */
#define PROV_SIP_HEADER_LINE_MAX 4096
#define PROV_SIP_HEADERS_MAX	 64
/* start line, headers and the empty line */
#define PROV_SIP_HEADER_SECTION_MAX 16384
/* an XML Execute object; resync, reboot and report bodies are empty */
#define PROV_SIP_BODY_MAX    16384
#define PROV_SIP_MESSAGE_MAX (PROV_SIP_HEADER_SECTION_MAX + PROV_SIP_BODY_MAX)

typedef enum {
	/* a whole message: its header section and body are known */
	PROV_SIP_FRAME_COMPLETE,
	/* a stream needs more bytes (a datagram never is incomplete) */
	PROV_SIP_FRAME_INCOMPLETE,
	/* refused: over a cap, bad bytes, bad or missing Content-Length */
	PROV_SIP_FRAME_INVALID,
} ProvSipFrameStatus;

typedef struct {
	/* CR and LF before the message (RFC 5626 keep-alives), to be dropped */
	gsize skipped;
	/* from the start line through the empty line; 0 when its end is unknown */
	gsize header_len;
	gsize body_len;
	/* skipped + header_len + body_len: what the message takes of the input */
	gsize total_len;
	/* the start line is a status line: never answered */
	gboolean is_response;
	/* the start line's method is ACK: never answered */
	gboolean is_ack;
} ProvSipFrame;

/* the header fields a response copies from its request (RFC 3261 8.2.6.2) */
typedef struct {
	GPtrArray *vias;
	gchar *from;
	gchar *to;
	gchar *call_id;
	gchar *cseq;
} ProvSipEcho;

typedef struct {
	gchar *username;
	gchar *realm;
	gchar *nonce;
	gchar *uri;
	gchar *response;
	gchar *algorithm;
	gchar *cnonce;
	gchar *qop;
	gchar *nc;
	gchar *opaque;
} ProvSipAuthorization;

typedef struct {
	gchar *method;
	/* exactly as in the request line: the digest uri must equal it (R20) */
	gchar *request_uri;
	/* sip or sips; another scheme is answered with 416 */
	gchar *uri_scheme;
	/* the user part, NULL when the URI has none */
	gchar *uri_user;
	gchar *uri_host;
	gchar *call_id;
	guint32 cseq_number;
	gchar *cseq_method;
	/* the values of the Event (o) header fields, usually one */
	GPtrArray *events;
	/* "type/subtype" in lower case, NULL without Content-Type */
	gchar *content_type;
	GBytes *body;
	/* the Digest credentials of the Authorization header fields */
	GPtrArray *authorizations;
	/* the top Via's sent-by host and whether it asks for rport (RFC 3581) */
	gchar *via_host;
	gboolean via_rport;
	ProvSipEcho *echo;
} ProvSipMessage;

ProvSipFrameStatus
prov_sip_frame_scan(
    const guint8 *data, gsize len, gboolean stream, ProvSipFrame *frame, GError **error);

ProvSipEcho *
prov_sip_echo_new_from_frame(const guint8 *data, const ProvSipFrame *frame);
void
prov_sip_echo_free(ProvSipEcho *echo);
void
prov_sip_echo_set_received(ProvSipEcho *echo,
			   const gchar *via_host,
			   gboolean via_rport,
			   const gchar *source_ip,
			   guint16 source_port);

ProvSipMessage *
prov_sip_message_parse(const guint8 *data, const ProvSipFrame *frame, GError **error);
void
prov_sip_message_free(ProvSipMessage *message);
const ProvSipAuthorization *
prov_sip_message_find_authorization(const ProvSipMessage *message, const gchar *realm);

void
prov_sip_authorization_free(ProvSipAuthorization *authorization);

gboolean
prov_sip_event_parse(const gchar *value, gchar **package, GHashTable **params, GError **error);

GBytes *
prov_sip_response_build(const ProvSipEcho *echo,
			guint status,
			const gchar *to_tag,
			const gchar *const *extra_headers);
const gchar *
prov_sip_status_to_reason(guint status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSipEcho, prov_sip_echo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSipMessage, prov_sip_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSipAuthorization, prov_sip_authorization_free)

G_END_DECLS
