/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>

#include "prov-tftp-packet.h"

/* an unsigned 64-bit value has at most 20 decimal digits */
#define PROV_TFTP_NUMBER_DIGITS_MAX 20

const gchar *
prov_tftp_opcode_to_string(guint opcode)
{
	switch (opcode) {
	case PROV_TFTP_OPCODE_RRQ:
		return "RRQ";
	case PROV_TFTP_OPCODE_WRQ:
		return "WRQ";
	case PROV_TFTP_OPCODE_DATA:
		return "DATA";
	case PROV_TFTP_OPCODE_ACK:
		return "ACK";
	case PROV_TFTP_OPCODE_ERROR:
		return "ERROR";
	case PROV_TFTP_OPCODE_OACK:
		return "OACK";
	default:
		return "unknown";
	}
}

const gchar *
prov_tftp_error_code_to_string(guint code)
{
	switch (code) {
	case PROV_TFTP_ERROR_CODE_UNDEFINED:
		return "not defined";
	case PROV_TFTP_ERROR_CODE_FILE_NOT_FOUND:
		return "file not found";
	case PROV_TFTP_ERROR_CODE_ACCESS_VIOLATION:
		return "access violation";
	case PROV_TFTP_ERROR_CODE_DISK_FULL:
		return "disk full or allocation exceeded";
	case PROV_TFTP_ERROR_CODE_ILLEGAL_OPERATION:
		return "illegal operation";
	case PROV_TFTP_ERROR_CODE_UNKNOWN_TID:
		return "unknown transfer id";
	case PROV_TFTP_ERROR_CODE_FILE_EXISTS:
		return "file already exists";
	case PROV_TFTP_ERROR_CODE_NO_SUCH_USER:
		return "no such user";
	case PROV_TFTP_ERROR_CODE_OPTION_REFUSED:
		return "option refused";
	default:
		return "unknown error code";
	}
}

static guint16
prov_tftp_packet_read_u16(const guint8 *bytes)
{
	return (guint16)((bytes[0] << 8) | bytes[1]);
}

static void
prov_tftp_packet_write_u16(guint8 *bytes, guint16 value)
{
	bytes[0] = (guint8)(value >> 8);
	bytes[1] = (guint8)(value & 0xff);
}

/* a NUL-terminated string at @offset, or NULL when the datagram ends first */
static const gchar *
prov_tftp_packet_read_string(const guint8 *datagram, gsize len, gsize *offset)
{
	const guint8 *start = datagram + *offset;
	const guint8 *nul = memchr(start, '\0', len - *offset);

	if (nul == NULL)
		return NULL;
	*offset += (gsize)(nul - start) + 1;
	return (const gchar *)start;
}

/* RFC 2347: values are decimal ASCII; no sign, no space, no overflow */
static gboolean
prov_tftp_packet_parse_number(const gchar *text, guint64 *value)
{
	guint64 result = 0;
	gsize n_digits = strlen(text);

	if (n_digits == 0 || n_digits > PROV_TFTP_NUMBER_DIGITS_MAX)
		return FALSE;
	for (gsize i = 0; i < n_digits; i++) {
		guint digit;

		if (!g_ascii_isdigit(text[i]))
			return FALSE;
		digit = (guint)(text[i] - '0');
		if (result > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		result = result * 10 + digit;
	}
	*value = result;
	return TRUE;
}

static gboolean
prov_tftp_packet_set_option(ProvTftpOptions *options,
			    const gchar *name,
			    const gchar *value,
			    GError **error)
{
	static const gchar *const names[] = {"blksize", "tsize", "timeout", "windowsize"};
	gboolean *present[] = {&options->has_blksize, &options->has_tsize, &options->has_timeout,
			       &options->has_windowsize};
	guint64 *values[] = {&options->blksize, &options->tsize, &options->timeout,
			     &options->windowsize};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		/* RFC 2347: option names are case-insensitive */
		if (g_ascii_strcasecmp(name, names[i]) != 0)
			continue;
		if (*present[i]) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp option %s given twice", names[i]);
			return FALSE;
		}
		if (!prov_tftp_packet_parse_number(value, values[i])) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp option %s has no valid number", names[i]);
			return FALSE;
		}
		*present[i] = TRUE;
		return TRUE;
	}
	options->n_unknown++;
	return TRUE;
}

static gboolean
prov_tftp_packet_parse_options(
    const guint8 *datagram, gsize len, gsize offset, ProvTftpOptions *options, GError **error)
{
	while (offset < len) {
		const gchar *name = prov_tftp_packet_read_string(datagram, len, &offset);
		const gchar *value = NULL;

		if (name == NULL) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "tftp option name not terminated");
			return FALSE;
		}
		if (name[0] == '\0') {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "tftp option with an empty name");
			return FALSE;
		}
		value = prov_tftp_packet_read_string(datagram, len, &offset);
		if (value == NULL) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "tftp option value not terminated");
			return FALSE;
		}
		if (!prov_tftp_packet_set_option(options, name, value, error))
			return FALSE;
	}
	return TRUE;
}

static void
prov_tftp_packet_copy_message(const guint8 *datagram, gsize len, gchar *message)
{
	gsize n = 0;

	/* some servers omit the terminating NUL: the datagram's end ends the message */
	for (gsize i = 4; i < len && datagram[i] != '\0' && n < PROV_TFTP_ERROR_MESSAGE_MAX; i++)
		message[n++] = g_ascii_isprint(datagram[i]) ? (gchar)datagram[i] : '?';
	message[n] = '\0';
}

/**
 * prov_tftp_packet_parse:
 * @datagram: the received bytes
 * @len: their number
 * @packet: (out caller-allocates): the decoded packet; pointers refer into
 *   @datagram
 * @error: return location for a #GError (%PROV_ERROR_PROTOCOL)
 *
 * Decodes one datagram. Lengths are checked against @len only: what the
 * payload may hold (the negotiated block size) is the session's concern.
 *
 * Returns: %FALSE for a datagram that is not a well-formed packet
 */
gboolean
prov_tftp_packet_parse(const guint8 *datagram, gsize len, ProvTftpPacket *packet, GError **error)
{
	guint16 opcode;
	gsize offset = 2;

	memset(packet, 0, sizeof(*packet));
	if (len < 2) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "tftp packet of %" G_GSIZE_FORMAT " bytes is too short", len);
		return FALSE;
	}
	opcode = prov_tftp_packet_read_u16(datagram);
	packet->opcode = opcode;
	switch (opcode) {
	case PROV_TFTP_OPCODE_RRQ:
	case PROV_TFTP_OPCODE_WRQ:
		packet->filename = prov_tftp_packet_read_string(datagram, len, &offset);
		if (packet->filename != NULL)
			packet->mode = prov_tftp_packet_read_string(datagram, len, &offset);
		if (packet->mode == NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp %s not terminated", prov_tftp_opcode_to_string(opcode));
			return FALSE;
		}
		return prov_tftp_packet_parse_options(datagram, len, offset, &packet->options,
						      error);
	case PROV_TFTP_OPCODE_DATA:
	case PROV_TFTP_OPCODE_ACK:
	case PROV_TFTP_OPCODE_ERROR:
		if (len < 4) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "tftp %s of %" G_GSIZE_FORMAT " bytes is too short",
				    prov_tftp_opcode_to_string(opcode), len);
			return FALSE;
		}
		if (opcode == PROV_TFTP_OPCODE_ERROR) {
			packet->error_code = prov_tftp_packet_read_u16(datagram + 2);
			prov_tftp_packet_copy_message(datagram, len, packet->error_message);
			return TRUE;
		}
		packet->block = prov_tftp_packet_read_u16(datagram + 2);
		if (opcode == PROV_TFTP_OPCODE_DATA) {
			packet->data = datagram + 4;
			packet->data_len = len - 4;
		}
		return TRUE;
	case PROV_TFTP_OPCODE_OACK:
		return prov_tftp_packet_parse_options(datagram, len, offset, &packet->options,
						      error);
	default:
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL, "unknown tftp opcode %u",
			    opcode);
		return FALSE;
	}
}

/* appends @text and its NUL, or returns FALSE when it does not fit */
static gboolean
prov_tftp_packet_append(guint8 *buffer, gsize size, gsize *offset, const gchar *text)
{
	gsize text_len = strlen(text) + 1;

	if (text_len > size - *offset)
		return FALSE;
	memcpy(buffer + *offset, text, text_len);
	*offset += text_len;
	return TRUE;
}

static gboolean
prov_tftp_packet_append_number(
    guint8 *buffer, gsize size, gsize *offset, const gchar *name, guint64 value)
{
	gchar number[PROV_TFTP_NUMBER_DIGITS_MAX + 1];

	g_snprintf(number, sizeof(number), "%" G_GUINT64_FORMAT, value);
	return prov_tftp_packet_append(buffer, size, offset, name) &&
	       prov_tftp_packet_append(buffer, size, offset, number);
}

static gboolean
prov_tftp_packet_append_options(guint8 *buffer,
				gsize size,
				gsize *offset,
				const ProvTftpOptions *options)
{
	if (options == NULL)
		return TRUE;
	if (options->has_blksize &&
	    !prov_tftp_packet_append_number(buffer, size, offset, "blksize", options->blksize))
		return FALSE;
	if (options->has_tsize &&
	    !prov_tftp_packet_append_number(buffer, size, offset, "tsize", options->tsize))
		return FALSE;
	if (options->has_timeout &&
	    !prov_tftp_packet_append_number(buffer, size, offset, "timeout", options->timeout))
		return FALSE;
	if (options->has_windowsize && !prov_tftp_packet_append_number(
					   buffer, size, offset, "windowsize", options->windowsize))
		return FALSE;
	return TRUE;
}

/**
 * prov_tftp_packet_encode_request:
 * @buffer: where to write
 * @size: the bytes @buffer holds
 * @opcode: %PROV_TFTP_OPCODE_RRQ or %PROV_TFTP_OPCODE_WRQ
 * @filename: sent as given (reference 6.1: with its leading `/`)
 * @options: (nullable): the options to request
 *
 * Writes a request in "octet" mode.
 *
 * Returns: the length written, or 0 when the request does not fit in @size
 */
gsize
prov_tftp_packet_encode_request(guint8 *buffer,
				gsize size,
				ProvTftpOpcode opcode,
				const gchar *filename,
				const ProvTftpOptions *options)
{
	gsize offset = 2;

	if (size < 2)
		return 0;
	prov_tftp_packet_write_u16(buffer, opcode);
	if (!prov_tftp_packet_append(buffer, size, &offset, filename) ||
	    !prov_tftp_packet_append(buffer, size, &offset, "octet") ||
	    !prov_tftp_packet_append_options(buffer, size, &offset, options))
		return 0;
	return offset;
}

/**
 * prov_tftp_packet_encode_oack:
 * @buffer: where to write
 * @size: the bytes @buffer holds
 * @options: the options to acknowledge
 *
 * What a server sends; the tests' scripted servers use it.
 *
 * Returns: the length written, or 0 when the packet does not fit in @size
 */
gsize
prov_tftp_packet_encode_oack(guint8 *buffer, gsize size, const ProvTftpOptions *options)
{
	gsize offset = 2;

	if (size < 2)
		return 0;
	prov_tftp_packet_write_u16(buffer, PROV_TFTP_OPCODE_OACK);
	if (!prov_tftp_packet_append_options(buffer, size, &offset, options))
		return 0;
	return offset;
}

/* writes the 4 bytes of an ACK */
void
prov_tftp_packet_encode_ack(guint8 *buffer, guint16 block)
{
	prov_tftp_packet_write_u16(buffer, PROV_TFTP_OPCODE_ACK);
	prov_tftp_packet_write_u16(buffer + 2, block);
}

/* writes the 4 bytes that precede a DATA payload */
void
prov_tftp_packet_encode_data_header(guint8 *buffer, guint16 block)
{
	prov_tftp_packet_write_u16(buffer, PROV_TFTP_OPCODE_DATA);
	prov_tftp_packet_write_u16(buffer + 2, block);
}

/**
 * prov_tftp_packet_encode_error:
 * @buffer: where to write
 * @size: the bytes @buffer holds, at least 5
 * @code: a #ProvTftpErrorCode
 * @message: shortened to fit
 *
 * Returns: the length written
 */
gsize
prov_tftp_packet_encode_error(guint8 *buffer, gsize size, guint16 code, const gchar *message)
{
	gsize message_len = strlen(message);

	g_return_val_if_fail(size >= 5, 0);

	message_len = MIN(message_len, size - 5);
	prov_tftp_packet_write_u16(buffer, PROV_TFTP_OPCODE_ERROR);
	prov_tftp_packet_write_u16(buffer + 2, code);
	memcpy(buffer + 4, message, message_len);
	buffer[4 + message_len] = '\0';
	return message_len + 5;
}
