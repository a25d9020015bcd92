/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The TFTP packet handling (R10, R28): a client session, read or write, at
 * a block size from 8 to 65464, fed arbitrary datagrams (DATA, OACK, ERROR,
 * unknown opcodes) and timer expiries; every packet it answers with is
 * checked against the protocol's bounds.
 *
 * Input: blksize (2 bytes), flags, windowsize, size cap (2 bytes, in units
 * of 64 bytes), then records of a 2-byte length and that many bytes; the
 * length 0xffff stands for an expired timer instead.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "prov-tftp-packet.h"
#include "prov-tftp-session.h"

#define FUZZ_TFTP_HEADER_LEN 6
#define FUZZ_TFTP_TIMER	     0xffff
#define FUZZ_TFTP_WRITE	     0x01
#define FUZZ_TFTP_TSIZE	     0x02
#define FUZZ_TFTP_NO_OPTIONS 0x04
#define FUZZ_TFTP_WINDOW     0x08
#define FUZZ_TFTP_TIMEOUT    0x10

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint16
fuzz_tftp_u16(const uint8_t *bytes)
{
	return (guint16)((bytes[0] << 8) | bytes[1]);
}

/* what the session sends must be a well-formed packet within the negotiated sizes */
static void
fuzz_tftp_drain(ProvTftpSession *session, gboolean write)
{
	const guint8 *packet = NULL;
	gsize len = 0;
	guint count = 0;

	while (prov_tftp_session_next_packet(session, &packet, &len)) {
		ProvTftpPacket parsed;
		gboolean ok = prov_tftp_packet_parse(packet, len, &parsed, NULL);

		g_assert_true(ok);
		switch (parsed.opcode) {
		case PROV_TFTP_OPCODE_DATA:
			g_assert_true(write);
			g_assert_cmpuint(parsed.data_len, <=,
					 prov_tftp_session_get_blksize(session));
			break;
		case PROV_TFTP_OPCODE_ACK:
			g_assert_false(write);
			g_assert_cmpuint(len, ==, 4);
			break;
		case PROV_TFTP_OPCODE_RRQ:
		case PROV_TFTP_OPCODE_WRQ:
		case PROV_TFTP_OPCODE_ERROR:
			g_assert_cmpuint(len, <=, PROV_TFTP_REQUEST_MAX);
			break;
		default:
			g_assert_not_reached();
		}
		/* at most one control packet and one window */
		count++;
		g_assert_cmpuint(count, <=, PROV_TFTP_WINDOWSIZE_MAX + 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(ProvTftpSession) session = NULL;
	g_autoptr(GBytes) upload = NULL;
	ProvTftpRequest request = {0};
	gboolean write;
	gsize size_max;
	gsize offset = FUZZ_TFTP_HEADER_LEN;
	guint8 flags;

	if (size < FUZZ_TFTP_HEADER_LEN)
		return 0;
	flags = data[2];
	write = (flags & FUZZ_TFTP_WRITE) != 0;
	if ((flags & FUZZ_TFTP_NO_OPTIONS) == 0) {
		request.blksize =
		    PROV_TFTP_BLKSIZE_MIN +
		    fuzz_tftp_u16(data) % (PROV_TFTP_BLKSIZE_MAX - PROV_TFTP_BLKSIZE_MIN + 1);
		request.tsize = (flags & FUZZ_TFTP_TSIZE) != 0;
		request.windowsize = (flags & FUZZ_TFTP_WINDOW) != 0 ? data[3] + 1u : 0;
		request.timeout = (flags & FUZZ_TFTP_TIMEOUT) != 0 ? 5 : 0;
	}
	size_max = (gsize)fuzz_tftp_u16(data + 4) * 64;
	if (write) {
		/* what a write sends: a pattern, as long as the cap up to 256 KiB */
		gsize upload_len = MIN(size_max, (gsize)256 * 1024);
		guint8 *bytes = g_malloc(upload_len + 1);

		for (gsize i = 0; i < upload_len; i++)
			bytes[i] = (guint8)i;
		upload = g_bytes_new_take(bytes, upload_len);
		session = prov_tftp_session_new_write("/fuzz.xml", &request, upload);
	} else {
		session = prov_tftp_session_new_read("/fuzz.cfg", &request, size_max);
	}
	g_assert_true(prov_tftp_session_start(session, NULL));
	fuzz_tftp_drain(session, write);

	while (offset + 2 <= size && !prov_tftp_session_is_finished(session)) {
		guint16 len = fuzz_tftp_u16(data + offset);
		g_autoptr(GError) error = NULL;
		ProvTftpPacket packet;
		ProvTftpStep step;

		offset += 2;
		if (len == FUZZ_TFTP_TIMER) {
			prov_tftp_session_retransmit(session);
			fuzz_tftp_drain(session, write);
			continue;
		}
		len = (guint16)MIN((gsize)len, size - offset);
		/* the decoder alone, then the session */
		if (prov_tftp_packet_parse(data + offset, len, &packet, NULL) &&
		    packet.opcode == PROV_TFTP_OPCODE_ERROR)
			g_assert_cmpuint(strlen(packet.error_message), <=,
					 PROV_TFTP_ERROR_MESSAGE_MAX);
		step = prov_tftp_session_receive(session, data + offset, len, &error);
		g_assert_true((step == PROV_TFTP_STEP_FAILED) == (error != NULL));
		offset += len;
		fuzz_tftp_drain(session, write);
		g_assert_cmpuint(prov_tftp_session_get_blksize(session), >=, PROV_TFTP_BLKSIZE_MIN);
		g_assert_cmpuint(prov_tftp_session_get_blksize(session), <=, PROV_TFTP_BLKSIZE_MAX);
		if (!write)
			g_assert_cmpuint(prov_tftp_session_get_transferred(session), <=, size_max);
	}
	if (!write) {
		g_autoptr(GBytes) received = prov_tftp_session_steal_data(session);

		g_assert_cmpuint(g_bytes_get_size(received), <=, size_max);
	}
	return 0;
}
