/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>
#include <sys/mman.h>
#include <zlib.h>

#include "prov-gzip-decoder.h"

/*
 * ProvGzipDecoder: the gzip format of reference 8.2. Only RFC 1952 gzip is
 * accepted, as the devices do: a raw deflate or zlib (RFC 1950) stream is
 * refused; the header flags, the header CRC (FHCRC), the CRC-32 and the
 * length (ISIZE) of each member are checked. Concatenated members decode as
 * one text (gzip(1) does the same); anything after the last member is
 * refused. zlib inflates the deflate data; the output grows in place within
 * the context's cap, so a decompression bomb stops as soon as it passes the
 * cap.
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

/* zlib: 16 + window bits writes the gzip framing */
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
 * A large output is written once, front to back: with transparent huge
 * pages the kernel zeroes and maps it 2 MiB at a time instead of 4 KiB,
 * which saves most of the page faults of a 100 MB profile.
 */
static void
prov_gzip_buffer_advise(ProvGzipBuffer *buffer)
{
#ifdef MADV_HUGEPAGE
	const gsize huge = 2 * 1024 * 1024;
	guintptr start = GPOINTER_TO_SIZE(buffer->data);
	guintptr end = start + buffer->allocated;
	guintptr aligned_start = (start + huge - 1) & ~(guintptr)(huge - 1);
	guintptr aligned_end = end & ~(guintptr)(huge - 1);

	if (aligned_end > aligned_start + huge)
		madvise(GSIZE_TO_POINTER(aligned_start), aligned_end - aligned_start,
			MADV_HUGEPAGE);
#endif
}

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
	/*
	 * An ISIZE at least as large as the input (text compresses) is taken as
	 * it is, plus the byte in which inflate sees the end: a 120 KB profile
	 * then comes from the heap, where four times its input (167 KB) was
	 * mapped afresh and faulted in page by page on every decode.
	 */
	if (buffer->allocated == 0 && prov_gzip_size_hint(input, input_length) >= input_length)
		wanted = prov_gzip_size_hint(input, input_length) + 1;
	else if (buffer->allocated == 0)
		wanted = MAX(MAX(input_length * 4, PROV_GZIP_MIN_ALLOCATION),
			     prov_gzip_size_hint(input, input_length));
	else
		wanted = buffer->allocated * 2;
	buffer->allocated = MIN(wanted, ceiling);
	buffer->data = g_realloc(buffer->data, buffer->allocated);
	prov_gzip_buffer_advise(buffer);
	return TRUE;
}

/* RFC 1952 2.3.1 FLG bits */
#define PROV_GZIP_FHCRC	   0x02
#define PROV_GZIP_FEXTRA   0x04
#define PROV_GZIP_FNAME	   0x08
#define PROV_GZIP_FCOMMENT 0x10
#define PROV_GZIP_RESERVED 0xe0

/* inflate hands over its output in slices, so that the CRC thread can follow it */
#define PROV_GZIP_SLICE (1024 * 1024)

/* below this a member's CRC-32 is computed in place, as cheaply as zlib would */
#define PROV_GZIP_CRC_THREAD_MIN (4 * 1024 * 1024)

static gboolean
prov_gzip_fail(GError **error, gint code, const gchar *detail)
{
	g_set_error(error, PROV_ERROR, code, "corrupt gzip data: %s", detail);
	return FALSE;
}

/*
 * RFC 1952 2.3: one member header, parsed here rather than by zlib so that
 * the CRC-32 of the data is ours to compute. Only gzip is accepted: a raw
 * deflate or zlib (RFC 1950) stream has no ID1 ID2 (reference 8.2).
 */
static gboolean
prov_gzip_parse_header(const guint8 *input, gsize length, gsize *offset, GError **error)
{
	const guint8 *header = input + *offset;
	gsize available = length - *offset;
	gsize position = 10;
	guint8 flags;

	if (available < 2 || header[0] != PROV_GZIP_MAGIC_0 || header[1] != PROV_GZIP_MAGIC_1)
		return prov_gzip_fail(
		    error, PROV_ERROR_CORRUPT_FILE,
		    "not a gzip member (raw deflate and zlib streams are refused)");
	if (available < position)
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
	if (header[2] != Z_DEFLATED)
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "unknown compression method");
	flags = header[3];
	if (flags & PROV_GZIP_RESERVED)
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "unknown header flags set");
	if (flags & PROV_GZIP_FEXTRA) {
		gsize extra_length;

		if (available < position + 2)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
		extra_length = header[position] | (gsize)header[position + 1] << 8;
		position += 2 + extra_length;
		if (available < position)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
	}
	for (guint8 field = PROV_GZIP_FNAME; field <= PROV_GZIP_FCOMMENT; field <<= 1) {
		const guint8 *end;

		if (!(flags & field))
			continue;
		end = memchr(header + position, '\0', available - position);
		if (end == NULL)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
		position = (gsize)(end - header) + 1;
	}
	if (flags & PROV_GZIP_FHCRC) {
		guint32 crc;

		if (available < position + 2)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
		/* RFC 1952 2.3.1: the two least significant bytes of the header's CRC-32 */
		crc = (guint32)crc32(0, header, (uInt)position);
		if ((crc & 0xffff) != (header[position] | (guint32)header[position + 1] << 8))
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE,
					      "header CRC (FHCRC) mismatch");
		position += 2;
	}
	*offset += position;
	return TRUE;
}

/*
 * The CRC-32 of a large member runs on a second thread, following inflate
 * slice by slice: on a machine with two cores it then costs no time, where
 * zlib's own check takes about a sixth of the decode. The thread reads only
 * what inflate has finished with; before the buffer moves, it catches up.
 */
typedef struct {
	GMutex mutex;
	GCond cond;
	GThread *thread;
	const guint8 *base;
	gsize ready;
	gsize done;
	gboolean finished;
	uLong crc;
} ProvGzipCrc;

static gpointer
prov_gzip_crc_thread_cb(gpointer user_data)
{
	ProvGzipCrc *self = user_data;

	g_mutex_lock(&self->mutex);
	for (;;) {
		const guint8 *start;
		gsize count;

		while (self->done == self->ready && !self->finished)
			g_cond_wait(&self->cond, &self->mutex);
		if (self->done == self->ready)
			break;
		start = self->base + self->done;
		count = MIN(self->ready - self->done, PROV_GZIP_SLICE);
		g_mutex_unlock(&self->mutex);
		self->crc = crc32_z(self->crc, start, count);
		g_mutex_lock(&self->mutex);
		self->done += count;
		g_cond_broadcast(&self->cond);
	}
	g_mutex_unlock(&self->mutex);
	return NULL;
}

static void
prov_gzip_crc_start(ProvGzipCrc *self, const guint8 *base, gsize ready)
{
	g_mutex_init(&self->mutex);
	g_cond_init(&self->cond);
	self->base = base;
	self->ready = ready;
	self->done = 0;
	self->finished = FALSE;
	self->crc = crc32(0, NULL, 0);
	self->thread = g_thread_new("prov-gzip-crc", prov_gzip_crc_thread_cb, self);
}

static void
prov_gzip_crc_advance(ProvGzipCrc *self, gsize ready)
{
	g_mutex_lock(&self->mutex);
	self->ready = ready;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
}

/* waits until the thread has read everything inflate produced; the caller holds the lock */
static void
prov_gzip_crc_catch_up_locked(ProvGzipCrc *self)
{
	while (self->done < self->ready)
		g_cond_wait(&self->cond, &self->mutex);
}

/* stops the thread, and returns the CRC-32 of what it was given */
static uLong
prov_gzip_crc_finish(ProvGzipCrc *self)
{
	g_mutex_lock(&self->mutex);
	self->finished = TRUE;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->mutex);
	g_thread_join(g_steal_pointer(&self->thread));
	g_mutex_clear(&self->mutex);
	g_cond_clear(&self->cond);
	return self->crc;
}

static void
prov_gzip_crc_clear(ProvGzipCrc *self)
{
	if (self->thread != NULL)
		prov_gzip_crc_finish(self);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvGzipCrc, prov_gzip_crc_clear)

/* the output buffer grows; the CRC thread must not read where it was */
static gboolean
prov_gzip_grow(ProvGzipBuffer *buffer,
	       ProvGzipCrc *crc,
	       gsize member_start,
	       const guint8 *input,
	       gsize input_length,
	       gsize output_max,
	       GError **error)
{
	if (crc->thread != NULL) {
		g_mutex_lock(&crc->mutex);
		prov_gzip_crc_catch_up_locked(crc);
	}
	if (!prov_gzip_buffer_grow(buffer, input, input_length, output_max)) {
		if (crc->thread != NULL)
			g_mutex_unlock(&crc->mutex);
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
			    output_max);
		return FALSE;
	}
	if (crc->thread != NULL) {
		crc->base = buffer->data + member_start;
		g_mutex_unlock(&crc->mutex);
	}
	return TRUE;
}

/* one member's deflate data and trailer; @consumed moves past them */
static gboolean
prov_gzip_inflate_member(z_stream *stream,
			 ProvGzipBuffer *buffer,
			 const guint8 *input,
			 gsize input_length,
			 gsize *consumed,
			 gsize output_max,
			 GError **error)
{
	g_auto(ProvGzipCrc) crc = {0};
	gsize member_start = buffer->length;
	guint32 trailer[2];
	uLong sum;
	int status = Z_OK;

	inflateReset(stream);
	while (status != Z_STREAM_END) {
		gsize in_before;
		gsize out_before;
		gsize member_length;

		if (buffer->length == buffer->allocated &&
		    !prov_gzip_grow(buffer, &crc, member_start, input, input_length, output_max,
				    error))
			return FALSE;
		/* zlib counts in uInt: feed and drain it in pieces it can count */
		stream->next_in = (Bytef *)input + *consumed;
		stream->avail_in = (uInt)MIN(input_length - *consumed, G_MAXUINT);
		stream->next_out = buffer->data + buffer->length;
		stream->avail_out = (uInt)MIN(buffer->allocated - buffer->length, PROV_GZIP_SLICE);
		in_before = stream->avail_in;
		out_before = stream->avail_out;
		status = inflate(stream, Z_NO_FLUSH);
		*consumed += in_before - stream->avail_in;
		buffer->length += out_before - stream->avail_out;
		if (buffer->length > output_max) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
				    output_max);
			return FALSE;
		}
		if (status == Z_BUF_ERROR && *consumed == input_length)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
		if (status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END)
			return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE,
					      stream->msg != NULL ? stream->msg : zError(status));
		member_length = buffer->length - member_start;
		if (crc.thread != NULL)
			prov_gzip_crc_advance(&crc, member_length);
		else if (member_length >= PROV_GZIP_CRC_THREAD_MIN && status != Z_STREAM_END)
			prov_gzip_crc_start(&crc, buffer->data + member_start, member_length);
	}

	if (crc.thread != NULL)
		sum = prov_gzip_crc_finish(&crc);
	else
		sum = crc32_z(crc32(0, NULL, 0), buffer->data + member_start,
			      buffer->length - member_start);
	/* RFC 1952 2.3.1: CRC32 and ISIZE, little-endian */
	if (input_length - *consumed < sizeof(trailer))
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "truncated");
	memcpy(trailer, input + *consumed, sizeof(trailer));
	*consumed += sizeof(trailer);
	if (GUINT32_FROM_LE(trailer[0]) != (guint32)sum)
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "CRC-32 mismatch");
	if (GUINT32_FROM_LE(trailer[1]) != (guint32)(buffer->length - member_start))
		return prov_gzip_fail(error, PROV_ERROR_CORRUPT_FILE, "length (ISIZE) mismatch");
	return TRUE;
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

	/* raw deflate: the gzip framing is parsed above */
	if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "cannot initialise zlib");
		return NULL;
	}
	/* RFC 1952 2.2: a gzip file is a series of members, decoded as one text */
	do {
		if (!prov_gzip_parse_header(input, input_length, &consumed, error) ||
		    !prov_gzip_inflate_member(&stream, &buffer, input, input_length, &consumed,
					      output_max, error))
			return NULL;
		/* R19: gzip(1) only warns about trailing bytes; the device format has none */
		if (consumed < input_length &&
		    (input_length - consumed < 2 || input[consumed] != PROV_GZIP_MAGIC_0 ||
		     input[consumed + 1] != PROV_GZIP_MAGIC_1)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "corrupt gzip data: %" G_GSIZE_FORMAT
				    " bytes of trailing garbage after the last member",
				    input_length - consumed);
			return NULL;
		}
	} while (consumed < input_length);
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
