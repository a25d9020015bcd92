/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "prov-gzip-decoder.h"

/* reference 8.3.1: basic.txt */
static const gchar prov_gzip_test_basic[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

/* RFC 1952 2.3.1 FLG bits */
#define PROV_GZIP_TEST_FHCRC	0x02
#define PROV_GZIP_TEST_FEXTRA	0x04
#define PROV_GZIP_TEST_FNAME	0x08
#define PROV_GZIP_TEST_FCOMMENT 0x10

static GBytes *
prov_gzip_test_bytes(const gchar *text)
{
	return g_bytes_new(text, strlen(text));
}

static GBytes *
prov_gzip_test_encode(GBytes *data)
{
	g_autoptr(ProvGzipDecoder) decoder = prov_gzip_decoder_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GError) error = NULL;
	GBytes *encoded = prov_decoder_encode(PROV_DECODER(decoder), data, ctx, &error);

	g_assert_no_error(error);
	g_assert_nonnull(encoded);
	return encoded;
}

static GBytes *
prov_gzip_test_decode(GBytes *data, gsize output_max, GError **error)
{
	g_autoptr(ProvGzipDecoder) decoder = prov_gzip_decoder_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	ProvLimits limits;

	prov_limits_init(&limits);
	if (output_max != 0)
		limits.decoded_max = output_max;
	prov_decode_context_set_limits(ctx, &limits);
	return prov_decoder_decode(PROV_DECODER(decoder), data, ctx, error);
}

static void
prov_gzip_test_assert_decodes_to(GBytes *data, const gchar *expected, gsize expected_length)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) decoded = prov_gzip_test_decode(data, 0, &error);

	g_assert_no_error(error);
	g_assert_nonnull(decoded);
	g_assert_cmpmem(g_bytes_get_data(decoded, NULL), g_bytes_get_size(decoded), expected,
			expected_length);
}

static void
prov_gzip_test_assert_fails(GBytes *data, gint code, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) decoded = prov_gzip_test_decode(data, 0, &error);

	g_assert_null(decoded);
	g_assert_error(error, PROV_ERROR, code);
	g_test_message("error: %s", error->message);
	g_assert_nonnull(strstr(error->message, message));
}

/* a deflate stream with the given window bits: -15 raw, 15 zlib, 31 gzip */
static GByteArray *
prov_gzip_test_deflate(const void *data, gsize length, gint window_bits)
{
	z_stream stream = {NULL};
	GByteArray *out = g_byte_array_new();
	guint8 chunk[4096];
	gint status;

	g_assert_cmpint(deflateInit2(&stream, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY),
			==, Z_OK);
	stream.next_in = (Bytef *)data;
	stream.avail_in = (uInt)length;
	do {
		stream.next_out = chunk;
		stream.avail_out = sizeof(chunk);
		status = deflate(&stream, Z_FINISH);
		g_byte_array_append(out, chunk, sizeof(chunk) - stream.avail_out);
	} while (status == Z_OK);
	g_assert_cmpint(status, ==, Z_STREAM_END);
	deflateEnd(&stream);
	return out;
}

static void
prov_gzip_test_append_le32(GByteArray *out, guint32 value)
{
	guint8 bytes[4] = {value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24};

	g_byte_array_append(out, bytes, 4);
}

/* a gzip member written field by field (RFC 1952 2.3), to reach every header flag */
static GBytes *
prov_gzip_test_member(guint8 flags, gsize extra_length, const gchar *text)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GByteArray) body = prov_gzip_test_deflate(text, strlen(text), -MAX_WBITS);
	const guint8 header[] = {0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 2, 3};

	g_byte_array_append(out, header, sizeof(header));
	if (flags & PROV_GZIP_TEST_FEXTRA) {
		guint8 length[2] = {extra_length & 0xff, extra_length >> 8};
		g_autofree guint8 *extra = g_malloc(extra_length);

		memset(extra, 'x', extra_length);
		g_byte_array_append(out, length, 2);
		g_byte_array_append(out, extra, (guint)extra_length);
	}
	if (flags & PROV_GZIP_TEST_FNAME)
		g_byte_array_append(out, (const guint8 *)"basic.txt", sizeof("basic.txt"));
	if (flags & PROV_GZIP_TEST_FCOMMENT) {
		g_autofree gchar *comment = g_strnfill(60000, 'c');

		g_byte_array_append(out, (const guint8 *)comment, (guint)strlen(comment) + 1);
	}
	if (flags & PROV_GZIP_TEST_FHCRC) {
		guint32 crc = crc32(0, out->data, out->len);
		guint8 hcrc[2] = {crc & 0xff, (crc >> 8) & 0xff};

		g_byte_array_append(out, hcrc, 2);
	}
	g_byte_array_append(out, body->data, body->len);
	prov_gzip_test_append_le32(out, crc32(0, (const Bytef *)text, (uInt)strlen(text)));
	prov_gzip_test_append_le32(out, (guint32)strlen(text));
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

static void
prov_gzip_test_probe(void)
{
	g_autoptr(ProvGzipDecoder) decoder = prov_gzip_decoder_new();
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(prov_gzip_test_basic);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);
	g_autoptr(GByteArray) zlib = prov_gzip_test_deflate("<a/>", 4, MAX_WBITS);
	g_autoptr(GByteArray) raw = prov_gzip_test_deflate("<a/>", 4, -MAX_WBITS);
	g_autoptr(GBytes) zlib_bytes = g_bytes_new(zlib->data, zlib->len);
	g_autoptr(GBytes) raw_bytes = g_bytes_new(raw->data, raw->len);
	g_autoptr(GBytes) one = g_bytes_new("\x1f", 1);

	g_assert_true(prov_decoder_probe(PROV_DECODER(decoder), encoded));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), plain));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), zlib_bytes));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), raw_bytes));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), one));
}

static void
prov_gzip_test_roundtrip(void)
{
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(prov_gzip_test_basic);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GBytes) empty_encoded = prov_gzip_test_encode(empty);
	const guint8 *header = g_bytes_get_data(encoded, NULL);

	/* gzip -n: method 8, no flags, no time stamp */
	g_assert_cmpuint(header[0], ==, 0x1f);
	g_assert_cmpuint(header[1], ==, 0x8b);
	g_assert_cmpuint(header[2], ==, 8);
	g_assert_cmpuint(header[3], ==, 0);
	g_assert_cmpmem(header + 4, 4, "\0\0\0\0", 4);
	prov_gzip_test_assert_decodes_to(encoded, prov_gzip_test_basic,
					 strlen(prov_gzip_test_basic));
	prov_gzip_test_assert_decodes_to(empty_encoded, "", 0);
}

static void
prov_gzip_test_members(void)
{
	g_autoptr(GBytes) first = prov_gzip_test_bytes("<flat-profile>\n");
	g_autoptr(GBytes) second = prov_gzip_test_bytes("<GPP_A>1</GPP_A>\n</flat-profile>\n");
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GBytes) first_gz = prov_gzip_test_encode(first);
	g_autoptr(GBytes) second_gz = prov_gzip_test_encode(second);
	g_autoptr(GBytes) empty_gz = prov_gzip_test_encode(empty);
	g_autoptr(GByteArray) joined = g_byte_array_new();
	g_autoptr(GBytes) joined_bytes = NULL;
	const gchar *expected = "<flat-profile>\n<GPP_A>1</GPP_A>\n</flat-profile>\n";

	/* RFC 1952 2.2: members decode one after the other, empty ones included */
	g_byte_array_append(joined, g_bytes_get_data(first_gz, NULL), g_bytes_get_size(first_gz));
	g_byte_array_append(joined, g_bytes_get_data(empty_gz, NULL), g_bytes_get_size(empty_gz));
	g_byte_array_append(joined, g_bytes_get_data(second_gz, NULL), g_bytes_get_size(second_gz));
	joined_bytes = g_bytes_new(joined->data, joined->len);
	prov_gzip_test_assert_decodes_to(joined_bytes, expected, strlen(expected));
}

static void
prov_gzip_test_header_fields(void)
{
	const guint8 all = PROV_GZIP_TEST_FHCRC | PROV_GZIP_TEST_FEXTRA | PROV_GZIP_TEST_FNAME |
			   PROV_GZIP_TEST_FCOMMENT;
	const guint8 cases[] = {0,
				PROV_GZIP_TEST_FHCRC,
				PROV_GZIP_TEST_FEXTRA,
				PROV_GZIP_TEST_FNAME,
				PROV_GZIP_TEST_FCOMMENT,
				all};

	/* R19: every optional header field, up to 64 KiB of them */
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) member =
		    prov_gzip_test_member(cases[i], 65535, prov_gzip_test_basic);

		g_test_message("flags %02x", cases[i]);
		prov_gzip_test_assert_decodes_to(member, prov_gzip_test_basic,
						 strlen(prov_gzip_test_basic));
	}
}

static GBytes *
prov_gzip_test_corrupt(GBytes *data, gssize offset, guint8 xor)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	guint8 *copy = g_memdup2(bytes, length);

	copy[offset < 0 ? (gssize)length + offset : offset] ^= xor;
	return g_bytes_new_take(copy, length);
}

static void
prov_gzip_test_corrupt_trailer(void)
{
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(prov_gzip_test_basic);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);
	g_autoptr(GBytes) bad_crc = prov_gzip_test_corrupt(encoded, -8, 0x01);
	g_autoptr(GBytes) bad_isize = prov_gzip_test_corrupt(encoded, -4, 0x01);
	g_autoptr(GBytes) member = prov_gzip_test_member(
	    PROV_GZIP_TEST_FHCRC | PROV_GZIP_TEST_FNAME, 0, prov_gzip_test_basic);
	/* the header CRC sits right after the name: 10 + sizeof "basic.txt" */
	g_autoptr(GBytes) bad_hcrc = prov_gzip_test_corrupt(member, 10 + 10, 0x01);
	g_autoptr(GBytes) bad_flags = prov_gzip_test_corrupt(encoded, 3, 0x80);
	g_autoptr(GBytes) bad_method = prov_gzip_test_corrupt(encoded, 2, 0x01);

	prov_gzip_test_assert_fails(bad_crc, PROV_ERROR_CORRUPT_FILE, "CRC-32 mismatch");
	prov_gzip_test_assert_fails(bad_isize, PROV_ERROR_CORRUPT_FILE, "length (ISIZE) mismatch");
	prov_gzip_test_assert_fails(bad_hcrc, PROV_ERROR_CORRUPT_FILE, "header CRC (FHCRC)");
	prov_gzip_test_assert_fails(bad_flags, PROV_ERROR_CORRUPT_FILE, "unknown header flags");
	prov_gzip_test_assert_fails(bad_method, PROV_ERROR_CORRUPT_FILE,
				    "unknown compression method");
}

static void
prov_gzip_test_not_gzip(void)
{
	g_autoptr(GByteArray) zlib =
	    prov_gzip_test_deflate(prov_gzip_test_basic, strlen(prov_gzip_test_basic), MAX_WBITS);
	g_autoptr(GByteArray) raw =
	    prov_gzip_test_deflate(prov_gzip_test_basic, strlen(prov_gzip_test_basic), -MAX_WBITS);
	g_autoptr(GBytes) zlib_bytes = g_bytes_new(zlib->data, zlib->len);
	g_autoptr(GBytes) raw_bytes = g_bytes_new(raw->data, raw->len);

	/* reference 8.2: a zlib-based server must still emit a gzip header */
	prov_gzip_test_assert_fails(zlib_bytes, PROV_ERROR_CORRUPT_FILE, "not a gzip member");
	prov_gzip_test_assert_fails(raw_bytes, PROV_ERROR_CORRUPT_FILE, "not a gzip member");
}

static void
prov_gzip_test_truncated(void)
{
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(prov_gzip_test_basic);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);

	for (gsize cut = 1; cut < g_bytes_get_size(encoded); cut++) {
		g_autoptr(GBytes) part = g_bytes_new_from_bytes(encoded, 0, cut);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) decoded = prov_gzip_test_decode(part, 0, &error);

		g_assert_null(decoded);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	}
	{
		g_autoptr(GBytes) part =
		    g_bytes_new_from_bytes(encoded, 0, g_bytes_get_size(encoded) - 3);

		prov_gzip_test_assert_fails(part, PROV_ERROR_CORRUPT_FILE, "truncated");
	}
}

static void
prov_gzip_test_trailing_garbage(void)
{
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(prov_gzip_test_basic);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);
	const gchar *tails[] = {"\n", "\0\0\0\0", "\x1f", "garbage"};

	/* R19: nothing may follow the last member, not even the zeros some tools pad with */
	for (guint i = 0; i < G_N_ELEMENTS(tails); i++) {
		g_autoptr(GByteArray) joined = g_byte_array_new();
		g_autoptr(GBytes) joined_bytes = NULL;
		gsize tail_length = i == 1 ? 4 : strlen(tails[i]);

		g_byte_array_append(joined, g_bytes_get_data(encoded, NULL),
				    g_bytes_get_size(encoded));
		g_byte_array_append(joined, (const guint8 *)tails[i], (guint)tail_length);
		joined_bytes = g_bytes_new(joined->data, joined->len);
		prov_gzip_test_assert_fails(joined_bytes, PROV_ERROR_CORRUPT_FILE,
					    "trailing garbage");
	}
}

static void
prov_gzip_test_cap(void)
{
	g_autofree gchar *text = g_strnfill(100000, 'a');
	g_autoptr(GBytes) plain = prov_gzip_test_bytes(text);
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(plain);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) exact = prov_gzip_test_decode(encoded, 100000, &error);
	g_autoptr(GBytes) over = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(exact), ==, 100000);
	over = prov_gzip_test_decode(encoded, 99999, &error);
	g_assert_null(over);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpstr(error->message, ==, "decoded size exceeds the limit of 99999 bytes");
}

/* about 12 MiB of varied profile lines, compressible as real profiles are */
static GBytes *
prov_gzip_test_large_text(void)
{
	GString *text = g_string_sized_new(13 * 1024 * 1024);
	guint32 state = 1;

	g_string_append(text, "<flat-profile>\n");
	while (text->len < 12 * 1024 * 1024) {
		state = state * 1103515245 + 12345;
		g_string_append_printf(text, "  <Param_%u_>%u</Param_%u_>\n", (state >> 8) % 500,
				       state >> 16, (state >> 8) % 500);
	}
	g_string_append(text, "</flat-profile>\n");
	return g_string_free_to_bytes(text);
}

/* members past the size where the CRC-32 runs beside inflate, and buffers that move under it */
static void
prov_gzip_test_large(void)
{
	g_autoptr(GBytes) text = prov_gzip_test_large_text();
	g_autoptr(GBytes) encoded = prov_gzip_test_encode(text);
	g_autoptr(GBytes) tail = prov_gzip_test_bytes("<!-- the end -->\n");
	g_autoptr(GBytes) tail_encoded = prov_gzip_test_encode(tail);
	g_autoptr(GByteArray) joined = g_byte_array_new();
	g_autoptr(GBytes) joined_bytes = NULL;
	g_autoptr(GBytes) bad_crc = NULL;
	gsize size = g_bytes_get_size(text);

	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) decoded =
		    prov_gzip_test_decode(encoded, 64 * 1024 * 1024, &error);

		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(decoded, text));
	}
	/* the last member's ISIZE is small, so the first member grows the buffer many times */
	g_byte_array_append(joined, g_bytes_get_data(encoded, NULL), g_bytes_get_size(encoded));
	g_byte_array_append(joined, g_bytes_get_data(tail_encoded, NULL),
			    g_bytes_get_size(tail_encoded));
	joined_bytes = g_bytes_new(joined->data, joined->len);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) decoded =
		    prov_gzip_test_decode(joined_bytes, 64 * 1024 * 1024, &error);

		g_assert_no_error(error);
		g_assert_cmpuint(g_bytes_get_size(decoded), ==, size + g_bytes_get_size(tail));
		g_assert_cmpmem(g_bytes_get_data(decoded, NULL), size, g_bytes_get_data(text, NULL),
				size);
	}
	bad_crc = prov_gzip_test_corrupt(encoded, -8, 0x40);
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) decoded =
		    prov_gzip_test_decode(bad_crc, 64 * 1024 * 1024, &error);

		g_assert_null(decoded);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
		g_assert_cmpstr(error->message, ==, "corrupt gzip data: CRC-32 mismatch");
	}
	/* over the cap half way: the CRC thread is stopped with the decode */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) decoded = prov_gzip_test_decode(encoded, size - 1, &error);

		g_assert_null(decoded);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	}
}

/*
 * 1 GiB of zeros, about 1.04 MB as gzip -9 writes it: 64 copies of the
 * deflate blocks for 16 MiB of zeros, full-flushed so that each copy is
 * byte-aligned and needs no earlier window, then the final block and the
 * trailer for the whole GiB
 */
static GBytes *
prov_gzip_test_bomb(void)
{
	const gsize chunk = 1024 * 1024;
	const guint chunks_per_segment = 16;
	const guint segments = 64;
	g_autofree guint8 *zeros = g_malloc0(chunk);
	g_autoptr(GByteArray) segment = g_byte_array_new();
	g_autoptr(GByteArray) out = g_byte_array_new();
	const guint8 header[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3};
	z_stream stream = {NULL};
	guint8 buffer[16384];
	uLong crc_chunk = crc32(0, zeros, (uInt)chunk);
	uLong crc = 0;

	g_assert_cmpint(deflateInit2(&stream, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), ==,
			Z_OK);
	for (guint i = 0; i < chunks_per_segment; i++) {
		gint flush = i + 1 == chunks_per_segment ? Z_FULL_FLUSH : Z_NO_FLUSH;

		stream.next_in = zeros;
		stream.avail_in = (uInt)chunk;
		do {
			stream.next_out = buffer;
			stream.avail_out = sizeof(buffer);
			g_assert_cmpint(deflate(&stream, flush), ==, Z_OK);
			g_byte_array_append(segment, buffer, sizeof(buffer) - stream.avail_out);
		} while (stream.avail_out == 0 || stream.avail_in > 0);
	}
	g_byte_array_append(out, header, sizeof(header));
	for (guint i = 0; i < segments; i++)
		g_byte_array_append(out, segment->data, segment->len);
	for (guint i = 0; i < segments * chunks_per_segment; i++)
		crc = i == 0 ? crc_chunk : crc32_combine(crc, crc_chunk, (z_off_t)chunk);
	stream.next_out = buffer;
	stream.avail_out = sizeof(buffer);
	g_assert_cmpint(deflate(&stream, Z_FINISH), ==, Z_STREAM_END);
	g_byte_array_append(out, buffer, sizeof(buffer) - stream.avail_out);
	deflateEnd(&stream);
	prov_gzip_test_append_le32(out, (guint32)crc);
	/* ISIZE is the length modulo 2^32: 1 GiB fits */
	prov_gzip_test_append_le32(out, 1024u * 1024u * 1024u);
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

/*
 * The peak RSS of this process image in KiB. Not getrusage(): Linux keeps
 * ru_maxrss across exec, so a test subprocess would inherit its parent's peak.
 */
static glong
prov_test_peak_rss_kib(void)
{
	g_autofree gchar *status = NULL;
	const gchar *line;

	g_assert_true(g_file_get_contents("/proc/self/status", &status, NULL, NULL));
	line = strstr(status, "VmHWM:");
	g_assert_nonnull(line);
	return strtol(line + strlen("VmHWM:"), NULL, 10);
}

/* in a fresh process, so that the peak RSS is the bomb's and not the earlier tests' */
static void
prov_gzip_test_bomb_stops(void)
{
	g_test_trap_subprocess("/prov/gzip/bomb/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_passed();
	g_test_trap_assert_stdout("*bomb stopped after*");
}

static void
prov_gzip_test_bomb_subprocess(void)
{
	g_autoptr(GBytes) bomb = prov_gzip_test_bomb();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) decoded = NULL;
	gint64 start;
	gint64 elapsed;
	glong peak_rss;

	g_test_message("bomb: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size(bomb));
	g_assert_cmpuint(g_bytes_get_size(bomb), <, PROV_LIMITS_DEFAULT_FETCH_MAX);
	start = g_get_monotonic_time();
	decoded = prov_gzip_test_decode(bomb, 0, &error);
	elapsed = g_get_monotonic_time() - start;
	g_assert_null(decoded);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_nonnull(strstr(error->message, "decoded size exceeds the limit"));
	peak_rss = prov_test_peak_rss_kib();
	g_print("bomb stopped after %" G_GINT64_FORMAT " us, peak RSS %ld KiB\n", elapsed,
		peak_rss);
	/* R17: within 100 ms and 16 MB peak RSS; sanitizers change both, so they only report */
#if !defined(__SANITIZE_ADDRESS__)
	g_assert_cmpint(elapsed, <, 100 * 1000);
	g_assert_cmpint(peak_rss, <, 16 * 1024);
#endif
}

static void
prov_gzip_test_bomb_valid(void)
{
	g_autoptr(GBytes) bomb = prov_gzip_test_bomb();
	z_stream stream = {NULL};
	guint8 *buffer = g_malloc(1024 * 1024);
	guint64 total = 0;
	gint status;

	/* the bomb is a valid gzip file: only the cap stops it */
	g_assert_cmpint(inflateInit2(&stream, 16 + MAX_WBITS), ==, Z_OK);
	stream.next_in = (Bytef *)g_bytes_get_data(bomb, NULL);
	stream.avail_in = (uInt)g_bytes_get_size(bomb);
	do {
		stream.next_out = buffer;
		stream.avail_out = 1024 * 1024;
		status = inflate(&stream, Z_NO_FLUSH);
		total += 1024 * 1024 - stream.avail_out;
	} while (status == Z_OK);
	inflateEnd(&stream);
	g_free(buffer);
	g_assert_cmpint(status, ==, Z_STREAM_END);
	g_assert_cmpuint(total, ==, G_GUINT64_CONSTANT(1) << 30);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/gzip/probe", prov_gzip_test_probe);
	g_test_add_func("/prov/gzip/roundtrip", prov_gzip_test_roundtrip);
	g_test_add_func("/prov/gzip/members", prov_gzip_test_members);
	g_test_add_func("/prov/gzip/header-fields", prov_gzip_test_header_fields);
	g_test_add_func("/prov/gzip/corrupt-trailer", prov_gzip_test_corrupt_trailer);
	g_test_add_func("/prov/gzip/not-gzip", prov_gzip_test_not_gzip);
	g_test_add_func("/prov/gzip/truncated", prov_gzip_test_truncated);
	g_test_add_func("/prov/gzip/trailing-garbage", prov_gzip_test_trailing_garbage);
	g_test_add_func("/prov/gzip/cap", prov_gzip_test_cap);
	g_test_add_func("/prov/gzip/large", prov_gzip_test_large);
	g_test_add_func("/prov/gzip/bomb", prov_gzip_test_bomb_stops);
	g_test_add_func("/prov/gzip/bomb/subprocess", prov_gzip_test_bomb_subprocess);
	g_test_add_func("/prov/gzip/bomb-valid", prov_gzip_test_bomb_valid);
	return g_test_run();
}
