/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>
#include <zlib.h>

#include "prov-gzip-decoder.h"

/*
 * ProvGzipDecoder: the gzip format of reference 8.2. Only RFC 1952 gzip is
 * accepted, as the devices do: zlib's gzip-only mode refuses a raw deflate
 * or zlib (RFC 1950) stream, checks the header flags, the header CRC
 * (FHCRC), the CRC-32 and the length (ISIZE) of each member. Concatenated
 * members decode as one text (gzip(1) does the same); anything after the
 * last member is refused. The output grows in place within the context's
 * cap, so a decompression bomb stops as soon as it passes the cap.
 */
struct _ProvGzipDecoder {
	GObject parent_instance;
};

static void
prov_gzip_decoder_iface_init(ProvDecoderInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvGzipDecoder,
			prov_gzip_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_gzip_decoder_iface_init))

/* RFC 1952 2.3.1: ID1 ID2 */
#define PROV_GZIP_MAGIC_0 0x1f
#define PROV_GZIP_MAGIC_1 0x8b

/* zlib: 16 + window bits selects gzip only; 32 + would also accept zlib streams */
#define PROV_GZIP_WINDOW_BITS (16 + MAX_WBITS)

#define PROV_GZIP_MIN_ALLOCATION (64 * 1024)

typedef struct {
	guint8 *data;
	gsize length;
	gsize allocated;
} ProvGzipBuffer;

static void
prov_gzip_buffer_clear(ProvGzipBuffer *buffer)
{
	g_clear_pointer(&buffer->data, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvGzipBuffer, prov_gzip_buffer_clear)

static gboolean
prov_gzip_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);

	return length >= 2 && bytes[0] == PROV_GZIP_MAGIC_0 && bytes[1] == PROV_GZIP_MAGIC_1;
}

static void
prov_gzip_inflate_end_cb(z_stream *stream)
{
	inflateEnd(stream);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(z_stream, prov_gzip_inflate_end_cb)

/*
 * RFC 1952 2.3.1: the last member ends with its length (ISIZE, modulo
 * 2^32); a good first guess for the output, which saves the copies of
 * growing a large profile step by step. It is only a guess: the sender
 * chooses it, so it never lifts the cap.
 */
static gsize
prov_gzip_size_hint(const guint8 *input, gsize input_length)
{
	guint32 isize;

	if (input_length < 18)
		return 0;
	memcpy(&isize, input + input_length - 4, sizeof(isize));
	return GUINT32_FROM_LE(isize);
}

/*
 * Grows the output towards the cap plus one byte: a member that produces
 * that byte is over the cap, without ever holding more than cap + 1 bytes.
 */
static gboolean
prov_gzip_buffer_grow(ProvGzipBuffer *buffer,
		      const guint8 *input,
		      gsize input_length,
		      gsize output_max)
{
	gsize ceiling = output_max + 1;
	gsize wanted;

	if (buffer->allocated >= ceiling)
		return FALSE;
	if (buffer->allocated == 0)
		wanted = MAX(MAX(input_length * 4, PROV_GZIP_MIN_ALLOCATION),
			     prov_gzip_size_hint(input, input_length));
	else
		wanted = buffer->allocated * 2;
	buffer->allocated = MIN(wanted, ceiling);
	buffer->data = g_realloc(buffer->data, buffer->allocated);
	return TRUE;
}

/* zlib's messages, in the terms of RFC 1952 */
static const gchar *const prov_gzip_messages[][2] = {
    {"incorrect header check", "not a gzip member (raw deflate and zlib streams are refused)"},
    {"incorrect data check", "CRC-32 mismatch"},
    {"incorrect length check", "length (ISIZE) mismatch"},
    {"header crc mismatch", "header CRC (FHCRC) mismatch"},
};

static GBytes *
prov_gzip_decoder_fail(z_stream *stream, int status, GError **error)
{
	const gchar *detail = stream->msg != NULL ? stream->msg : zError(status);

	for (guint i = 0; i < G_N_ELEMENTS(prov_gzip_messages); i++) {
		if (g_strcmp0(detail, prov_gzip_messages[i][0]) == 0) {
			detail = prov_gzip_messages[i][1];
			break;
		}
	}
	g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, "corrupt gzip data: %s", detail);
	return NULL;
}

static GBytes *
prov_gzip_decoder_decode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	gsize input_length = 0;
	const guint8 *input = g_bytes_get_data(data, &input_length);
	gsize consumed = 0;
	gsize output_max = prov_decode_context_get_output_max(ctx);
	g_auto(ProvGzipBuffer) buffer = {NULL, 0, 0};
	g_auto(z_stream) stream = {NULL};
	int status;

	if (inflateInit2(&stream, PROV_GZIP_WINDOW_BITS) != Z_OK) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "cannot initialise zlib");
		return NULL;
	}
	for (;;) {
		gsize in_before;
		gsize out_before;

		if (buffer.length == buffer.allocated &&
		    !prov_gzip_buffer_grow(&buffer, input, input_length, output_max)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
				    output_max);
			return NULL;
		}
		/* zlib counts in uInt: feed and drain it in pieces it can count */
		stream.next_in = (Bytef *)input + consumed;
		stream.avail_in = (uInt)MIN(input_length - consumed, G_MAXUINT);
		stream.next_out = buffer.data + buffer.length;
		stream.avail_out = (uInt)MIN(buffer.allocated - buffer.length, G_MAXUINT);
		in_before = stream.avail_in;
		out_before = stream.avail_out;
		status = inflate(&stream, Z_NO_FLUSH);
		consumed += in_before - stream.avail_in;
		buffer.length += out_before - stream.avail_out;
		if (buffer.length > output_max) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
				    output_max);
			return NULL;
		}
		if (status == Z_STREAM_END) {
			const guint8 *rest = input + consumed;
			gsize rest_length = input_length - consumed;

			if (rest_length == 0)
				break;
			/* RFC 1952 2.2: a gzip file is a series of members */
			if (rest_length >= 2 && rest[0] == PROV_GZIP_MAGIC_0 &&
			    rest[1] == PROV_GZIP_MAGIC_1) {
				inflateReset(&stream);
				continue;
			}
			/* R19: gzip(1) only warns here; the device format has nothing after the
			 * data */
			g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "corrupt gzip data: %" G_GSIZE_FORMAT
				    " bytes of trailing garbage after the last member",
				    rest_length);
			return NULL;
		}
		if (status == Z_BUF_ERROR && consumed == input_length) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
					    "corrupt gzip data: truncated");
			return NULL;
		}
		if (status != Z_OK && status != Z_BUF_ERROR)
			return prov_gzip_decoder_fail(&stream, status, error);
	}
	return g_bytes_new_take(g_realloc(g_steal_pointer(&buffer.data), buffer.length),
				buffer.length);
}

static void
prov_gzip_deflate_end_cb(z_stream *stream)
{
	deflateEnd(stream);
}

/*
 * gzip -9 -n: best compression, no file name, no time stamp, so that the
 * same profile always encodes to the same bytes
 */
static GBytes *
prov_gzip_decoder_encode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	gsize input_length = 0;
	const guint8 *input = g_bytes_get_data(data, &input_length);
	g_autofree guint8 *output = NULL;
	gsize allocated;
	z_stream stream = {NULL};
	int status;

	if (input_length > G_MAXUINT) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "the data is too large to compress");
		return NULL;
	}
	if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, PROV_GZIP_WINDOW_BITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "cannot initialise zlib");
		return NULL;
	}
	/* deflateBound() covers the zlib wrapper; the gzip one is 12 bytes longer */
	allocated = deflateBound(&stream, (uLong)input_length) + 12;
	output = g_malloc(allocated);
	stream.next_in = (Bytef *)input;
	stream.avail_in = (uInt)input_length;
	stream.next_out = output;
	stream.avail_out = (uInt)MIN(allocated, G_MAXUINT);
	status = deflate(&stream, Z_FINISH);
	prov_gzip_deflate_end_cb(&stream);
	if (status != Z_STREAM_END) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "gzip compression failed: %s",
			    zError(status));
		return NULL;
	}
	return g_bytes_new_take(g_realloc(g_steal_pointer(&output), stream.total_out),
				stream.total_out);
}

static void
prov_gzip_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_gzip_decoder_probe;
	iface->decode = prov_gzip_decoder_decode;
	iface->encode = prov_gzip_decoder_encode;
}

static void
prov_gzip_decoder_class_init(ProvGzipDecoderClass *klass)
{
}

static void
prov_gzip_decoder_init(ProvGzipDecoder *self)
{
}

ProvGzipDecoder *
prov_gzip_decoder_new(void)
{
	return g_object_new(PROV_TYPE_GZIP_DECODER, NULL);
}
