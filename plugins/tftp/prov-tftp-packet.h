/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * TFTP packets (RFC 1350 section 5, RFC 2347 OACK): pure encoding and
 * decoding on caller-owned buffers, no I/O, so that the fuzz target drives
 * exactly what the transport runs.
 */

/* RFC 1350: the classic maximum, which every server accepts for a request */
#define PROV_TFTP_REQUEST_MAX 512
/* RFC 2348 */
#define PROV_TFTP_BLKSIZE_MIN	  8
#define PROV_TFTP_BLKSIZE_MAX	  65464
#define PROV_TFTP_BLKSIZE_DEFAULT 512
/* reference 6.1 (PROPOSED): fits an Ethernet frame with IPv4 and UDP headers */
#define PROV_TFTP_BLKSIZE_REQUEST 1428
/*
 * RFC 7440 allows 65535; half the block-number space keeps "old" and "ahead"
 * apart after a rollover
 */
#define PROV_TFTP_WINDOWSIZE_MAX 32767
/* RFC 2349 */
#define PROV_TFTP_TIMEOUT_MIN 1
#define PROV_TFTP_TIMEOUT_MAX 255
/* larger than any DATA packet, so that an oversized one is seen as such */
#define PROV_TFTP_DATAGRAM_MAX 65536
/* the longest ERROR message kept; the rest of a longer one is dropped */
#define PROV_TFTP_ERROR_MESSAGE_MAX 255

typedef enum {
	PROV_TFTP_OPCODE_RRQ = 1,
	PROV_TFTP_OPCODE_WRQ = 2,
	PROV_TFTP_OPCODE_DATA = 3,
	PROV_TFTP_OPCODE_ACK = 4,
	PROV_TFTP_OPCODE_ERROR = 5,
	PROV_TFTP_OPCODE_OACK = 6,
} ProvTftpOpcode;

/* RFC 1350 section 5 and RFC 2347 (8) */
typedef enum {
	PROV_TFTP_ERROR_CODE_UNDEFINED = 0,
	PROV_TFTP_ERROR_CODE_FILE_NOT_FOUND = 1,
	PROV_TFTP_ERROR_CODE_ACCESS_VIOLATION = 2,
	PROV_TFTP_ERROR_CODE_DISK_FULL = 3,
	PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION = 4,
	PROV_TFTP_ERROR_CODE_UNKNOWN_TID = 5,
	PROV_TFTP_ERROR_CODE_FILE_EXISTS = 6,
	PROV_TFTP_ERROR_CODE_NO_SUCH_USER = 7,
	PROV_TFTP_ERROR_CODE_OPTION_REFUSED = 8,
} ProvTftpErrorCode;

/*
 * The options this client knows, as a request carries them or as an OACK
 * acknowledges them: the raw values, checked by prov_tftp_options_negotiate()
 */
typedef struct {
	gboolean has_blksize;
	gboolean has_tsize;
	gboolean has_timeout;
	gboolean has_windowsize;
	guint64 blksize;
	guint64 tsize;
	guint64 timeout;
	guint64 windowsize;
	/* options with other names (a server-side parse ignores them) */
	guint n_unknown;
} ProvTftpOptions;

typedef struct {
	ProvTftpOpcode opcode;
	/* RRQ, WRQ: NUL-terminated, inside the parsed datagram */
	const gchar *filename;
	const gchar *mode;
	/* DATA, ACK */
	guint16 block;
	/* DATA: the payload, inside the parsed datagram */
	const guint8 *data;
	gsize data_len;
	/* ERROR: the message as printable ASCII, others replaced by '?' */
	guint16 error_code;
	gchar error_message[PROV_TFTP_ERROR_MESSAGE_MAX + 1];
	/* RRQ, WRQ, OACK */
	ProvTftpOptions options;
} ProvTftpPacket;

const gchar *
prov_tftp_opcode_to_string(guint opcode);
const gchar *
prov_tftp_error_code_to_string(guint code);

gboolean
prov_tftp_packet_parse(const guint8 *datagram, gsize len, ProvTftpPacket *packet, GError **error);

gsize
prov_tftp_packet_encode_request(guint8 *buffer,
				gsize size,
				ProvTftpOpcode opcode,
				const gchar *filename,
				const ProvTftpOptions *options);
gsize
prov_tftp_packet_encode_oack(guint8 *buffer, gsize size, const ProvTftpOptions *options);
void
prov_tftp_packet_encode_ack(guint8 *buffer, guint16 block);
void
prov_tftp_packet_encode_data_header(guint8 *buffer, guint16 block);
gsize
prov_tftp_packet_encode_error(guint8 *buffer, gsize size, guint16 code, const gchar *message);

G_END_DECLS
