/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvXml"

#include "config.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "prov-error.h"
#include "prov-xml.h"

/*
 * The reader validates UTF-8 a window ahead of the token it returns rather
 * than the whole document up front, so that a hostile document fails at the
 * cap it breaks (a 10 MB name, a 1 M-deep nesting) without being read whole.
 */
#define PROV_XML_VALIDATE_WINDOW (64 * 1024)

/* printable copies of names in messages stay short; the cap itself is in the message */
#define PROV_XML_MESSAGE_NAME_MAX 64

/* the longest predefined entity name is 4 bytes; reading further only serves the message */
#define PROV_XML_ENTITY_NAME_MAX 32

/* beyond this many attributes, duplicates are found with a hash table, not by pairs */
#define PROV_XML_ATTRIBUTE_LINEAR_MAX 32

typedef enum {
	PROV_XML_STATE_START,
	PROV_XML_STATE_PROLOG,
	PROV_XML_STATE_CONTENT,
	PROV_XML_STATE_EPILOG,
	PROV_XML_STATE_DONE,
	PROV_XML_STATE_FAILED,
} ProvXmlState;

enum {
	PROV_XML_CLASS_SPACE = 1 << 0,
	PROV_XML_CLASS_NAME_START = 1 << 1,
	PROV_XML_CLASS_NAME = 1 << 2,
	PROV_XML_CLASS_UNQUOTED_STOP = 1 << 3,
};

#define SP (PROV_XML_CLASS_SPACE | PROV_XML_CLASS_UNQUOTED_STOP)
#define NS (PROV_XML_CLASS_NAME_START | PROV_XML_CLASS_NAME)
#define NC PROV_XML_CLASS_NAME
#define ST PROV_XML_CLASS_UNQUOTED_STOP

/*
 * Name characters follow XML 1.0 for ASCII; every non-ASCII byte is accepted
 * as a name character because the UTF-8 check covers it and profiles never
 * depend on the finer Unicode name classes. The stop set is reference 1.2
 * rule 9 for unquoted attribute values.
 */
/* clang-format off */
static const guint8 prov_xml_class[256] = {
    ['\t'] = SP, ['\n'] = SP, ['\r'] = SP, [' '] = SP,
    ['"'] = ST, ['\''] = ST, ['<'] = ST, ['>'] = ST, ['='] = ST, ['`'] = ST,
    ['-'] = NC, ['.'] = NC, ['0' ... '9'] = NC,
    [':'] = NS, ['A' ... 'Z'] = NS, ['_'] = NS, ['a' ... 'z'] = NS,
    [0x80 ... 0xff] = NS,
};
/* clang-format on */

#undef SP
#undef NS
#undef NC
#undef ST

#define PROV_XML_IS(c, cls) ((prov_xml_class[(guchar)(c)] & (cls)) != 0)

typedef enum {
	PROV_XML_REF_OK,
	PROV_XML_REF_BARE_AMPERSAND,
	PROV_XML_REF_UNTERMINATED,
	PROV_XML_REF_UNDEFINED,
	PROV_XML_REF_MALFORMED_NUMBER,
	PROV_XML_REF_NOT_A_CHAR,
} ProvXmlRefStatus;

/* XML 1.0 section 2.2, production [2] Char */
static inline gboolean
prov_xml_is_char(gunichar ch)
{
	if (ch < 0x20)
		return ch == '\t' || ch == '\n' || ch == '\r';
	if (ch <= 0xd7ff)
		return TRUE;
	if (ch < 0xe000)
		return FALSE;
	if (ch <= 0xfffd)
		return TRUE;
	return ch >= 0x10000 && ch <= 0x10ffff;
}

/* a copy of a piece of the document that is safe to put into a message */
static gchar *
prov_xml_printable(const gchar *data, gsize length)
{
	gboolean truncated = length > PROV_XML_MESSAGE_NAME_MAX;
	g_autofree gchar *valid = NULL;
	GString *text = NULL;

	if (truncated)
		length = PROV_XML_MESSAGE_NAME_MAX;
	valid = g_utf8_make_valid(data, (gssize)length);
	text = g_string_new(NULL);
	for (const gchar *p = valid; *p != '\0'; p++) {
		if ((guchar)*p < 0x20)
			g_string_append_printf(text, "\\x%02x", (guint)(guchar)*p);
		else
			g_string_append_c(text, *p);
	}
	if (truncated)
		g_string_append(text, "…");
	return g_string_free(text, FALSE);
}

/* how a byte that was not expected looks in a message */
static gchar *
prov_xml_describe_byte(const gchar *data, gsize length, gsize offset)
{
	guchar c;

	if (offset >= length)
		return g_strdup("end of document");
	c = (guchar)data[offset];
	if (c >= 0x21 && c < 0x7f)
		return g_strdup_printf("'%c'", c);
	if (c == ' ')
		return g_strdup("a space");
	if (c < 0x80)
		return g_strdup_printf("byte 0x%02x", (guint)c);
	return g_strdup("a non-ASCII character");
}

static ProvXmlRefStatus
prov_xml_parse_reference(const gchar *p, const gchar *end, gunichar *ch, gsize *consumed)
{
	const gchar *q = p + 1;

	*ch = 0;
	if (q < end && *q == '#') {
		guint base = 10;
		guint64 value = 0;
		gboolean overflow = FALSE;
		const gchar *digits;

		q++;
		if (q < end && *q == 'x') {
			base = 16;
			q++;
		}
		digits = q;
		for (; q < end; q++) {
			gint digit =
			    base == 16 ? g_ascii_xdigit_value(*q) : g_ascii_digit_value(*q);

			if (digit < 0)
				break;
			if (!overflow) {
				value = value * base + (guint)digit;
				overflow = value > 0x10ffff;
			}
		}
		if (q == digits) {
			*consumed = (gsize)(q - p);
			return PROV_XML_REF_MALFORMED_NUMBER;
		}
		if (q >= end || *q != ';') {
			*consumed = (gsize)(q - p);
			return PROV_XML_REF_UNTERMINATED;
		}
		q++;
		*consumed = (gsize)(q - p);
		if (overflow || !prov_xml_is_char((gunichar)value))
			return PROV_XML_REF_NOT_A_CHAR;
		*ch = (gunichar)value;
		return PROV_XML_REF_OK;
	}
	if (q >= end || !PROV_XML_IS(*q, PROV_XML_CLASS_NAME_START)) {
		*consumed = 1;
		return PROV_XML_REF_BARE_AMPERSAND;
	}
	while (q < end && PROV_XML_IS(*q, PROV_XML_CLASS_NAME) &&
	       (gsize)(q - p) <= PROV_XML_ENTITY_NAME_MAX)
		q++;
	if (q >= end || *q != ';') {
		*consumed = (gsize)(q - p);
		return PROV_XML_REF_UNTERMINATED;
	}
	*consumed = (gsize)(q - p) + 1;
	switch (q - p - 1) {
	case 2:
		if (p[1] == 'l' && p[2] == 't')
			*ch = '<';
		else if (p[1] == 'g' && p[2] == 't')
			*ch = '>';
		break;
	case 3:
		if (memcmp(p + 1, "amp", 3) == 0)
			*ch = '&';
		break;
	case 4:
		if (memcmp(p + 1, "apos", 4) == 0)
			*ch = '\'';
		else if (memcmp(p + 1, "quot", 4) == 0)
			*ch = '"';
		break;
	default:
		break;
	}
	return *ch != 0 ? PROV_XML_REF_OK : PROV_XML_REF_UNDEFINED;
}

static gchar *
prov_xml_reference_message(ProvXmlRefStatus status, const gchar *p, gsize consumed)
{
	g_autofree gchar *text = prov_xml_printable(p, consumed);

	switch (status) {
	case PROV_XML_REF_BARE_AMPERSAND:
		return g_strdup("'&' does not start a reference (write &amp; for a literal '&')");
	case PROV_XML_REF_UNTERMINATED:
		return g_strdup_printf("reference %s is not terminated by ';'", text);
	case PROV_XML_REF_UNDEFINED:
		return g_strdup_printf(
		    "undefined entity %s: only &amp; &lt; &gt; &apos; &quot; and "
		    "character references are allowed",
		    text);
	case PROV_XML_REF_MALFORMED_NUMBER:
		return g_strdup_printf("malformed character reference %s", text);
	case PROV_XML_REF_NOT_A_CHAR:
		return g_strdup_printf("character reference %s is not an allowed XML character",
				       text);
	case PROV_XML_REF_OK:
	default:
		return g_strdup("valid reference");
	}
}

/**
 * prov_xml_slice_equal:
 * @slice: a slice of a document
 * @text: a NUL-terminated string
 *
 * Returns: %TRUE when @slice holds exactly the bytes of @text
 *
 * Since: 0.1
 */
gboolean
prov_xml_slice_equal(const ProvXmlSlice *slice, const gchar *text)
{
	gsize length = strlen(text);

	return slice->length == length && memcmp(slice->data, text, length) == 0;
}

/**
 * prov_xml_name_is_valid:
 * @data: bytes
 * @length: bytes in @data
 *
 * Returns: %TRUE when @data is a name the reader accepts for an element or
 *   attribute (XML 1.0 names; any non-ASCII character counts as a name
 *   character)
 *
 * Since: 0.1
 */
gboolean
prov_xml_name_is_valid(const gchar *data, gsize length)
{
	if (length == 0 || !PROV_XML_IS(data[0], PROV_XML_CLASS_NAME_START))
		return FALSE;
	for (gsize i = 1; i < length; i++) {
		if (!PROV_XML_IS(data[i], PROV_XML_CLASS_NAME))
			return FALSE;
	}
	return TRUE;
}

/**
 * prov_xml_unescape_into:
 * @raw: character data or an attribute value as written in the document
 * @length: bytes in @raw
 * @out: a buffer of at least @length bytes
 * @out_length: (out): bytes written to @out (no NUL is added)
 * @error: return location for a #GError
 *
 * Decodes the five predefined entities and numeric character references.
 * The result is never longer than the input, which is why @out needs only
 * @length bytes.
 *
 * Returns: %TRUE on success; %FALSE with %PROV_ERROR_CORRUPT_FILE for a
 *   reference that is undefined, malformed or names a code point that XML
 *   does not allow
 *
 * Since: 0.1
 */
gboolean
prov_xml_unescape_into(
    const gchar *raw, gsize length, gchar *out, gsize *out_length, GError **error)
{
	const gchar *p = raw;
	const gchar *end = raw + length;
	gchar *o = out;

	while (p < end) {
		const gchar *amp = memchr(p, '&', (gsize)(end - p));
		gunichar ch = 0;
		gsize consumed = 0;
		ProvXmlRefStatus status;

		if (amp == NULL) {
			memmove(o, p, (gsize)(end - p));
			o += end - p;
			break;
		}
		memmove(o, p, (gsize)(amp - p));
		o += amp - p;
		status = prov_xml_parse_reference(amp, end, &ch, &consumed);
		if (status != PROV_XML_REF_OK) {
			g_autofree gchar *message =
			    prov_xml_reference_message(status, amp, consumed);

			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, message);
			return FALSE;
		}
		o += g_unichar_to_utf8(ch, o);
		p = amp + consumed;
	}
	*out_length = (gsize)(o - out);
	return TRUE;
}

/**
 * prov_xml_unescape:
 * @raw: character data or an attribute value as written in the document
 * @length: bytes in @raw
 * @decoded: (out): the decoded text; not NUL-terminated when it is @raw itself
 * @allocated: (out) (transfer full): the buffer to free, or %NULL when
 *   @raw had no reference and @decoded points into it
 * @error: return location for a #GError
 *
 * Like prov_xml_unescape_into(), but only allocates when @raw contains a `&`.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_xml_unescape(
    const gchar *raw, gsize length, ProvXmlSlice *decoded, gchar **allocated, GError **error)
{
	g_autofree gchar *buffer = NULL;
	gsize out_length = 0;

	*allocated = NULL;
	if (memchr(raw, '&', length) == NULL) {
		decoded->data = raw;
		decoded->length = length;
		return TRUE;
	}
	buffer = g_malloc(length + 1);
	if (!prov_xml_unescape_into(raw, length, buffer, &out_length, error))
		return FALSE;
	buffer[out_length] = '\0';
	decoded->data = buffer;
	decoded->length = out_length;
	*allocated = g_steal_pointer(&buffer);
	return TRUE;
}

/**
 * prov_xml_unescape_dup:
 * @raw: character data or an attribute value as written in the document
 * @length: bytes in @raw
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the decoded text, NUL-terminated, or %NULL
 *
 * Since: 0.1
 */
gchar *
prov_xml_unescape_dup(const gchar *raw, gsize length, GError **error)
{
	g_autofree gchar *buffer = g_malloc(length + 1);
	gsize out_length = 0;

	if (!prov_xml_unescape_into(raw, length, buffer, &out_length, error))
		return NULL;
	buffer[out_length] = '\0';
	return g_steal_pointer(&buffer);
}

static guint
prov_xml_count_characters(const gchar *data, gsize from, gsize to)
{
	guint count = 0;

	for (gsize i = from; i < to; i++) {
		if (((guchar)data[i] & 0xc0) != 0x80)
			count++;
	}
	return count;
}

/*
 * The number of LF in [from, to), and the last one. Assignments ask about
 * short ranges, so a partial block is read whole (never past the document's
 * end) and masked rather than finished byte by byte.
 */
static guint
prov_xml_count_newlines(const gchar *data, gsize length, gsize from, gsize to, const gchar **last)
{
	guint count = 0;
	gsize i = from;

#ifdef __SSE2__
	const __m128i newline = _mm_set1_epi8('\n');

	for (; i < to && i + 16 <= length; i += 16) {
		__m128i block = _mm_loadu_si128((const __m128i *)(data + i));
		guint mask = (guint)_mm_movemask_epi8(_mm_cmpeq_epi8(block, newline));

		if (to - i < 16)
			mask &= (1u << (to - i)) - 1;
		if (mask != 0) {
			count += (guint)__builtin_popcount(mask);
			*last = data + i + 31 - __builtin_clz(mask);
		}
	}
#endif
	for (; i < to; i++) {
		if (data[i] == '\n') {
			count++;
			*last = data + i;
		}
	}
	return count;
}

/**
 * prov_xml_reader_get_position:
 * @reader: a #ProvXmlReader
 * @offset: a byte offset in the document
 * @line: (out): the 1-based line
 * @column: (out): the 1-based column, in characters
 *
 * Converts a byte offset into a line and column. Nothing tracks lines while
 * tokenizing; this counts from the offset asked last, so asking for
 * increasing offsets costs time linear in the document as a whole.
 *
 * Since: 0.1
 */
void
prov_xml_reader_get_position(ProvXmlReader *reader, gsize offset, guint *line, guint *column)
{
	const gchar *data = reader->data;
	gsize from = reader->cursor_offset;
	guint current_line = reader->cursor_line;
	guint current_column = reader->cursor_column;

	offset = MIN(offset, reader->length);
	/* only the part before the asked offset matters, so a huge document is not read whole */
	if (!reader->has_cr && offset > reader->cr_checked) {
		reader->has_cr =
		    memchr(data + reader->cr_checked, '\r', offset - reader->cr_checked) != NULL;
		reader->cr_checked = offset;
	}
	if (offset < from || current_line == 0) {
		from = 0;
		current_line = 1;
		current_column = 1;
	}
	if (!reader->has_cr) {
		const gchar *last = NULL;

		current_line += prov_xml_count_newlines(data, reader->length, from, offset, &last);
		if (last != NULL)
			current_column =
			    1 + prov_xml_count_characters(data, (gsize)(last + 1 - data), offset);
		else
			current_column += prov_xml_count_characters(data, from, offset);
	} else {
		/* XML 2.11: CR LF, a lone CR and a lone LF each end one line */
		for (gsize i = from; i < offset; i++) {
			if (data[i] == '\n' ||
			    (data[i] == '\r' && (i + 1 >= reader->length || data[i + 1] != '\n'))) {
				current_line++;
				current_column = 1;
			} else if (((guchar)data[i] & 0xc0) != 0x80) {
				current_column++;
			}
		}
	}
	reader->cursor_offset = offset;
	reader->cursor_line = current_line;
	reader->cursor_column = current_column;
	*line = current_line;
	*column = current_column;
}

static void
prov_xml_reader_set_error(ProvXmlReader *reader, gsize offset, gint code, const gchar *message)
{
	guint line = 0;
	guint column = 0;

	prov_xml_reader_get_position(reader, offset, &line, &column);
	g_clear_error(&reader->error);
	g_set_error(&reader->error, PROV_ERROR, code, "%u:%u: %s", line, column, message);
	reader->error_offset = offset;
	reader->state = PROV_XML_STATE_FAILED;
	reader->token = PROV_XML_TOKEN_ERROR;
}

static gboolean
prov_xml_reader_validate(ProvXmlReader *reader, gsize to);

static ProvXmlToken
prov_xml_reader_fail(ProvXmlReader *reader, gsize offset, gint code, const gchar *format, ...)
    G_GNUC_PRINTF(4, 5);

/*
 * Errors are reported in document order: a byte that is not UTF-8 before
 * @offset is the error, not what the tokenizer found after it.
 */
static ProvXmlToken
prov_xml_reader_fail(ProvXmlReader *reader, gsize offset, gint code, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	if (offset >= reader->valid_end &&
	    !prov_xml_reader_validate(reader, MIN(offset + 1, reader->length)))
		return PROV_XML_TOKEN_ERROR;
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	prov_xml_reader_set_error(reader, offset, code, message);
	return PROV_XML_TOKEN_ERROR;
}

/* the end of a UTF-8 check by 16-byte blocks: the first byte that needs a closer look */
static inline gsize
prov_xml_skip_plain_ascii(const guchar *s, gsize i, gsize to)
{
#ifdef __SSE2__
	const __m128i limit = _mm_set1_epi8(0x20);
	const __m128i tab = _mm_set1_epi8('\t');
	const __m128i lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');

	while (i + 16 <= to) {
		__m128i block = _mm_loadu_si128((const __m128i *)(s + i));
		/* a signed compare flags both C0 controls and bytes >= 0x80 */
		__m128i special = _mm_cmplt_epi8(block, limit);
		__m128i allowed = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(block, tab), _mm_cmpeq_epi8(block, lf)),
		    _mm_cmpeq_epi8(block, cr));
		guint mask = (guint)_mm_movemask_epi8(_mm_andnot_si128(allowed, special));

		if (mask != 0)
			return i + (gsize)__builtin_ctz(mask);
		i += 16;
	}
#else
	const guint64 high = 0x8080808080808080ULL;
	const guint64 ones = 0x0101010101010101ULL;

	while (i + 8 <= to) {
		guint64 word;

		memcpy(&word, s + i, sizeof(word));
		/* any byte >= 0x80, or any byte < 0x20 (exact for thresholds <= 0x80) */
		if (((word | ((word - ones * 0x20) & ~word)) & high) != 0)
			break;
		i += 8;
	}
#endif
	while (i < to && s[i] >= 0x20 && s[i] < 0x80)
		i++;
	return i;
}

/*
 * Checks [valid_end, to) and a little beyond when a sequence straddles @to.
 * Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above
 * U+10FFFF) plus the XML Char production, so that every value handed on is
 * text that any consumer can store and print.
 */
static void
prov_xml_reader_fail_utf8(ProvXmlReader *reader, gsize offset, gint code, const gchar *format, ...)
    G_GNUC_PRINTF(4, 5);

static void
prov_xml_reader_fail_utf8(ProvXmlReader *reader, gsize offset, gint code, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	prov_xml_reader_set_error(reader, offset, code, message);
}

static gboolean
prov_xml_reader_validate(ProvXmlReader *reader, gsize to)
{
	const guchar *s = (const guchar *)reader->data;
	gsize length = reader->length;
	gsize i = reader->valid_end;

	while (i < to) {
		guchar c;
		gsize need;
		gunichar ch;
		guchar min_second = 0x80;
		guchar max_second = 0xbf;

		i = prov_xml_skip_plain_ascii(s, i, to);
		if (i >= to)
			break;
		c = s[i];
		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				prov_xml_reader_fail_utf8(reader, i, PROV_ERROR_CORRUPT_FILE,
							  "character U+%04X is not allowed in XML",
							  (guint)c);
				return FALSE;
			}
			i++;
			continue;
		}
		if (c < 0xc0) {
			prov_xml_reader_fail_utf8(
			    reader, i, PROV_ERROR_CORRUPT_FILE,
			    "invalid UTF-8: unexpected continuation byte 0x%02x", (guint)c);
			return FALSE;
		}
		if (c < 0xc2) {
			prov_xml_reader_fail_utf8(reader, i, PROV_ERROR_CORRUPT_FILE,
						  "invalid UTF-8: overlong encoding (byte 0x%02x)",
						  (guint)c);
			return FALSE;
		}
		if (c < 0xe0) {
			need = 1;
			ch = c & 0x1f;
		} else if (c < 0xf0) {
			need = 2;
			ch = c & 0x0f;
			if (c == 0xe0)
				min_second = 0xa0;
			else if (c == 0xed)
				max_second = 0x9f;
		} else if (c < 0xf5) {
			need = 3;
			ch = c & 0x07;
			if (c == 0xf0)
				min_second = 0x90;
			else if (c == 0xf4)
				max_second = 0x8f;
		} else {
			prov_xml_reader_fail_utf8(
			    reader, i, PROV_ERROR_CORRUPT_FILE,
			    "invalid UTF-8: byte 0x%02x never occurs in UTF-8", (guint)c);
			return FALSE;
		}
		for (gsize k = 1; k <= need; k++) {
			guchar next = i + k < length ? s[i + k] : 0;

			if ((next & 0xc0) != 0x80) {
				prov_xml_reader_fail_utf8(
				    reader, i, PROV_ERROR_CORRUPT_FILE,
				    "invalid UTF-8: incomplete multi-byte sequence");
				return FALSE;
			}
			if (k == 1 && (next < min_second || next > max_second)) {
				if (c == 0xed)
					prov_xml_reader_fail_utf8(
					    reader, i, PROV_ERROR_CORRUPT_FILE,
					    "invalid UTF-8: encoded surrogate code point");
				else if (c == 0xf4)
					prov_xml_reader_fail_utf8(
					    reader, i, PROV_ERROR_CORRUPT_FILE,
					    "invalid UTF-8: code point above U+10FFFF");
				else
					prov_xml_reader_fail_utf8(
					    reader, i, PROV_ERROR_CORRUPT_FILE,
					    "invalid UTF-8: overlong encoding");
				return FALSE;
			}
			ch = (ch << 6) | (next & 0x3f);
		}
		if (ch == 0xfffe || ch == 0xffff) {
			prov_xml_reader_fail_utf8(reader, i, PROV_ERROR_CORRUPT_FILE,
						  "character U+%04X is not allowed in XML", ch);
			return FALSE;
		}
		i += need + 1;
	}
	reader->valid_end = MAX(i, reader->valid_end);
	return TRUE;
}

static inline gboolean
prov_xml_reader_ensure_valid(ProvXmlReader *reader, gsize end)
{
	if (G_LIKELY(end <= reader->valid_end))
		return TRUE;
	return prov_xml_reader_validate(
	    reader, MIN(reader->length, MAX(end, reader->valid_end + PROV_XML_VALIDATE_WINDOW)));
}

static ProvXmlToken
prov_xml_reader_fail_reference(ProvXmlReader *reader,
			       ProvXmlRefStatus status,
			       gsize offset,
			       gsize consumed)
{
	g_autofree gchar *message =
	    prov_xml_reference_message(status, reader->data + offset, consumed);

	return prov_xml_reader_fail(reader, offset, PROV_ERROR_CORRUPT_FILE, "%s", message);
}

/* every '&' in [from, to) must start a reference that prov_xml_unescape() accepts */
static gboolean
prov_xml_reader_check_references(ProvXmlReader *reader, gsize from, gsize to)
{
	const gchar *data = reader->data;
	const gchar *p = data + from;
	const gchar *end = data + to;
	const gchar *amp;

	while (p < end && (amp = memchr(p, '&', (gsize)(end - p))) != NULL) {
		gunichar ch = 0;
		gsize consumed = 0;
		ProvXmlRefStatus status = prov_xml_parse_reference(amp, end, &ch, &consumed);

		if (status != PROV_XML_REF_OK) {
			prov_xml_reader_fail_reference(reader, status, (gsize)(amp - data),
						       consumed);
			return FALSE;
		}
		p = amp + consumed;
	}
	return TRUE;
}

static inline gsize
prov_xml_reader_skip_space(ProvXmlReader *reader, gsize i)
{
	while (i < reader->length && PROV_XML_IS(reader->data[i], PROV_XML_CLASS_SPACE))
		i++;
	return i;
}

/* the end of the name at @i, reading at most one byte past the cap */
static inline gsize
prov_xml_reader_scan_name(ProvXmlReader *reader, gsize i)
{
	gsize limit = MIN(reader->length, i + (gsize)reader->limits.max_name_length + 1);

	while (i < limit && PROV_XML_IS(reader->data[i], PROV_XML_CLASS_NAME))
		i++;
	return i;
}

/* a slice's printable form, for messages */
static gchar *
prov_xml_slice_printable(const ProvXmlSlice *slice)
{
	return prov_xml_printable(slice->data, slice->length);
}

/* memmem() is a GNU extension; markup terminators are short and start with a rare byte */
static const gchar *
prov_xml_memmem(const gchar *haystack, gsize length, const gchar *needle, gsize needle_length)
{
	const gchar *end = haystack + length;
	const gchar *p = haystack;

	while ((gsize)(end - p) >= needle_length) {
		const gchar *hit = memchr(p, needle[0], (gsize)(end - p) - needle_length + 1);

		if (hit == NULL)
			return NULL;
		if (memcmp(hit, needle, needle_length) == 0)
			return hit;
		p = hit + 1;
	}
	return NULL;
}

static ProvXmlToken
prov_xml_reader_skip_comment(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize content = start + 4;
	const gchar *dashes = prov_xml_memmem(data + content, reader->length - content, "--", 2);
	gsize at;
	gsize i;

	if (dashes == NULL)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "comment is not terminated by '-->'");
	/* XML 2.5: the first "--" must be the end of the comment */
	at = (gsize)(dashes - data);
	if (at + 2 >= reader->length || data[at + 2] != '>')
		return prov_xml_reader_fail(reader, at, PROV_ERROR_CORRUPT_FILE,
					    "'--' is not allowed inside a comment");
	i = at + 3;
	if (!prov_xml_reader_ensure_valid(reader, i))
		return PROV_XML_TOKEN_ERROR;
	reader->position = i;
	return PROV_XML_TOKEN_LAST;
}

static ProvXmlToken
prov_xml_reader_skip_pi(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize name_end = prov_xml_reader_scan_name(reader, start + 2);
	gsize name_length = name_end - start - 2;
	const gchar *close;

	if (name_length == 0 || !PROV_XML_IS(data[start + 2], PROV_XML_CLASS_NAME_START))
		return prov_xml_reader_fail(reader, start + 2, PROV_ERROR_CORRUPT_FILE,
					    "processing instruction without a target name");
	if (name_length > reader->limits.max_name_length)
		return prov_xml_reader_fail(reader, start + 2, PROV_ERROR_LIMIT_EXCEEDED,
					    "processing instruction target exceeds the limit of "
					    "%u bytes (MaxNameLength)",
					    reader->limits.max_name_length);
	if (name_length == 3 && g_ascii_strncasecmp(data + start + 2, "xml", 3) == 0 &&
	    (reader->state != PROV_XML_STATE_PROLOG || start != reader->root_offset))
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "the XML declaration is only allowed at the very start "
					    "of the document");
	if (name_end < reader->length && !PROV_XML_IS(data[name_end], PROV_XML_CLASS_SPACE) &&
	    !(data[name_end] == '?' && name_end + 1 < reader->length && data[name_end + 1] == '>'))
		return prov_xml_reader_fail(reader, name_end, PROV_ERROR_CORRUPT_FILE,
					    "expected whitespace or '?>' after the processing "
					    "instruction target");
	close = prov_xml_memmem(data + name_end, reader->length - name_end, "?>", 2);
	if (close == NULL)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "processing instruction is not terminated by '?>'");
	if (!prov_xml_reader_ensure_valid(reader, (gsize)(close - data) + 2))
		return PROV_XML_TOKEN_ERROR;
	reader->position = (gsize)(close - data) + 2;
	return PROV_XML_TOKEN_LAST;
}

static ProvXmlToken
prov_xml_reader_read_cdata(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize content = start + 9;
	gsize window = MIN(reader->length - content, reader->limits.max_value_length + 3);
	const gchar *close;

	if (reader->state != PROV_XML_STATE_CONTENT)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "CDATA section outside the root element");
	close = prov_xml_memmem(data + content, window, "]]>", 3);
	if (close == NULL) {
		if (reader->length - content > reader->limits.max_value_length + 2)
			return prov_xml_reader_fail(
			    reader, start, PROV_ERROR_LIMIT_EXCEEDED,
			    "CDATA section exceeds the limit of %" G_GSIZE_FORMAT
			    " bytes (MaxValueLength)",
			    reader->limits.max_value_length);
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "CDATA section is not terminated by ']]>'");
	}
	if ((gsize)(close - data) - content > reader->limits.max_value_length)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_LIMIT_EXCEEDED,
					    "CDATA section exceeds the limit of %" G_GSIZE_FORMAT
					    " bytes (MaxValueLength)",
					    reader->limits.max_value_length);
	if (!prov_xml_reader_ensure_valid(reader, (gsize)(close - data) + 3))
		return PROV_XML_TOKEN_ERROR;
	reader->token = PROV_XML_TOKEN_CDATA;
	reader->offset = start;
	reader->text.data = data + content;
	reader->text.length = (gsize)(close - data) - content;
	reader->text_has_references = FALSE;
	reader->position = (gsize)(close - data) + 3;
	return PROV_XML_TOKEN_CDATA;
}

static ProvXmlToken
prov_xml_reader_markup_declaration(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize rest = reader->length - start;

	if (rest >= 4 && data[start + 2] == '-' && data[start + 3] == '-')
		return prov_xml_reader_skip_comment(reader);
	if (rest >= 9 && memcmp(data + start, "<![CDATA[", 9) == 0)
		return prov_xml_reader_read_cdata(reader);
	/* R27: no DTD means no entity expansion, so billion laughs cannot start */
	if (rest >= 9 && memcmp(data + start, "<!DOCTYPE", 9) == 0)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "document type declarations (<!DOCTYPE) are not "
					    "allowed");
	if (rest >= 8 && memcmp(data + start, "<!ENTITY", 8) == 0)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "entity declarations (<!ENTITY) are not allowed");
	return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
				    "unexpected '<!': only comments and CDATA sections may start "
				    "with '<!'");
}

static void
prov_xml_reader_push(ProvXmlReader *reader, const ProvXmlSlice *name, gsize offset)
{
	if (reader->open == reader->stack_allocated) {
		guint allocated = MIN(reader->stack_allocated * 2, reader->limits.max_depth);
		ProvXmlSlice *stack = g_new(ProvXmlSlice, allocated);
		gsize *offsets = g_new(gsize, allocated);

		memcpy(stack, reader->stack, reader->open * sizeof(ProvXmlSlice));
		memcpy(offsets, reader->stack_offsets, reader->open * sizeof(gsize));
		if (reader->stack != reader->stack_inline) {
			g_free(reader->stack);
			g_free(reader->stack_offsets);
		}
		reader->stack = stack;
		reader->stack_offsets = offsets;
		reader->stack_allocated = allocated;
	}
	reader->stack[reader->open] = *name;
	reader->stack_offsets[reader->open] = offset;
	reader->open++;
}

static ProvXmlAttribute *
prov_xml_reader_attribute_slot(ProvXmlReader *reader, guint index)
{
	if (index == reader->attribute_allocated) {
		guint allocated =
		    MIN(reader->attribute_allocated * 2, reader->limits.max_attributes);
		ProvXmlAttribute *heap = g_new(ProvXmlAttribute, allocated);
		const ProvXmlAttribute *current = reader->attribute_heap != NULL
						      ? reader->attribute_heap
						      : reader->attributes_inline;

		memcpy(heap, current, index * sizeof(ProvXmlAttribute));
		g_free(reader->attribute_heap);
		reader->attribute_heap = heap;
		reader->attribute_allocated = allocated;
	}
	return reader->attribute_heap != NULL ? &reader->attribute_heap[index]
					      : &reader->attributes_inline[index];
}

static guint
prov_xml_slice_hash(gconstpointer key)
{
	const ProvXmlSlice *slice = key;
	guint hash = 5381;

	for (gsize i = 0; i < slice->length; i++)
		hash = hash * 33 + (guchar)slice->data[i];
	return hash;
}

static gboolean
prov_xml_slice_hash_equal(gconstpointer a, gconstpointer b)
{
	const ProvXmlSlice *x = a;
	const ProvXmlSlice *y = b;

	return x->length == y->length && memcmp(x->data, y->data, x->length) == 0;
}

static gboolean
prov_xml_reader_is_duplicate(ProvXmlReader *reader,
			     ProvXmlAttribute *attributes,
			     guint count,
			     const ProvXmlSlice *name)
{
	if (count < PROV_XML_ATTRIBUTE_LINEAR_MAX) {
		for (guint i = 0; i < count; i++) {
			if (prov_xml_slice_hash_equal(&attributes[i].name, name))
				return TRUE;
		}
		return FALSE;
	}
	if (count == PROV_XML_ATTRIBUTE_LINEAR_MAX) {
		/* the array may move while it grows, so the table owns copies of the slices */
		if (reader->attribute_names == NULL)
			reader->attribute_names = g_hash_table_new_full(
			    prov_xml_slice_hash, prov_xml_slice_hash_equal, g_free, NULL);
		g_hash_table_remove_all(reader->attribute_names);
		for (guint i = 0; i < count; i++)
			g_hash_table_add(reader->attribute_names,
					 g_memdup2(&attributes[i].name, sizeof(ProvXmlSlice)));
	}
	if (g_hash_table_contains(reader->attribute_names, name))
		return TRUE;
	g_hash_table_add(reader->attribute_names, g_memdup2(name, sizeof(ProvXmlSlice)));
	return FALSE;
}

static ProvXmlToken
prov_xml_reader_fail_in_tag(ProvXmlReader *reader,
			    gsize offset,
			    const ProvXmlSlice *element,
			    const gchar *expected)
{
	g_autofree gchar *found = prov_xml_describe_byte(reader->data, reader->length, offset);
	g_autofree gchar *name = prov_xml_slice_printable(element);

	return prov_xml_reader_fail(reader, offset, PROV_ERROR_CORRUPT_FILE,
				    "expected %s in start tag <%s>, found %s", expected, name,
				    found);
}

/* returns the end of the value, or 0 after failing; the value goes to @attribute */
static gsize
prov_xml_reader_read_attribute_value(ProvXmlReader *reader, gsize i, ProvXmlAttribute *attribute)
{
	const gchar *data = reader->data;
	gsize cap = reader->limits.max_value_length;
	gsize value_start;
	gsize value_end;
	gsize next;

	if (i < reader->length && (data[i] == '"' || data[i] == '\'')) {
		gsize window;
		const gchar *quote;
		const gchar *less;

		value_start = i + 1;
		window = MIN(reader->length - value_start, cap + 1);
		quote = memchr(data + value_start, data[i], window);
		if (quote == NULL) {
			g_autofree gchar *name = prov_xml_slice_printable(&attribute->name);

			if (window > cap)
				prov_xml_reader_fail(reader, value_start, PROV_ERROR_LIMIT_EXCEEDED,
						     "value of attribute %s exceeds the limit of "
						     "%" G_GSIZE_FORMAT " bytes (MaxValueLength)",
						     name, cap);
			else
				prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
						     "value of attribute %s has no closing quote",
						     name);
			return 0;
		}
		value_end = (gsize)(quote - data);
		next = value_end + 1;
		less = memchr(data + value_start, '<', value_end - value_start);
		if (less != NULL) {
			prov_xml_reader_fail(reader, (gsize)(less - data), PROV_ERROR_CORRUPT_FILE,
					     "'<' is not allowed in an attribute value");
			return 0;
		}
	} else {
		/*
		 * reference 1.2 rule 9: the vendors' own examples leave values
		 * unquoted; the value stops before "/>" so that
		 * <ExecuteItem URL=Resync:tftp://h/basic.txt/> keeps its URL
		 */
		gsize limit = MIN(reader->length, i + cap + 1);

		value_start = i;
		while (i < limit && !PROV_XML_IS(data[i], PROV_XML_CLASS_UNQUOTED_STOP) &&
		       !(data[i] == '/' && i + 1 < reader->length && data[i + 1] == '>'))
			i++;
		if (i - value_start > cap) {
			g_autofree gchar *name = prov_xml_slice_printable(&attribute->name);

			prov_xml_reader_fail(reader, value_start, PROV_ERROR_LIMIT_EXCEEDED,
					     "value of attribute %s exceeds the limit of "
					     "%" G_GSIZE_FORMAT " bytes (MaxValueLength)",
					     name, cap);
			return 0;
		}
		if (i == value_start) {
			g_autofree gchar *name = prov_xml_slice_printable(&attribute->name);
			g_autofree gchar *found =
			    prov_xml_describe_byte(data, reader->length, value_start);

			prov_xml_reader_fail(reader, value_start, PROV_ERROR_CORRUPT_FILE,
					     "attribute %s has no value after '=', found %s", name,
					     found);
			return 0;
		}
		value_end = i;
		next = i;
	}
	if (!prov_xml_reader_check_references(reader, value_start, value_end))
		return 0;
	attribute->value.data = data + value_start;
	attribute->value.length = value_end - value_start;
	return next;
}

static ProvXmlToken
prov_xml_reader_start_tag(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize i = start + 1;
	gsize name_end;
	ProvXmlSlice name;
	guint count = 0;
	gboolean self_closing = FALSE;

	if (!PROV_XML_IS(data[i], PROV_XML_CLASS_NAME_START)) {
		g_autofree gchar *found = prov_xml_describe_byte(data, reader->length, i);

		return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
					    "expected an element name after '<', found %s", found);
	}
	name_end = prov_xml_reader_scan_name(reader, i);
	if (name_end - i > reader->limits.max_name_length)
		return prov_xml_reader_fail(reader, i, PROV_ERROR_LIMIT_EXCEEDED,
					    "element name exceeds the limit of %u bytes "
					    "(MaxNameLength)",
					    reader->limits.max_name_length);
	name.data = data + i;
	name.length = name_end - i;
	if (reader->state == PROV_XML_STATE_EPILOG) {
		g_autofree gchar *printable = prov_xml_slice_printable(&name);
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(reader, reader->root_offset, &line, &column);
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "element <%s> after the end of the root element "
					    "(started at %u:%u): a document has exactly one root",
					    printable, line, column);
	}
	if (reader->open + 1 > reader->limits.max_depth)
		return prov_xml_reader_fail(reader, start, PROV_ERROR_LIMIT_EXCEEDED,
					    "element nesting exceeds the limit of %u (MaxDepth)",
					    reader->limits.max_depth);

	i = name_end;
	for (;;) {
		gsize space_end = prov_xml_reader_skip_space(reader, i);
		ProvXmlAttribute *attribute;
		ProvXmlAttribute *attributes;
		gsize attribute_name_end;
		ProvXmlSlice attribute_name;

		if (space_end >= reader->length) {
			g_autofree gchar *printable = prov_xml_slice_printable(&name);

			return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
						    "start tag <%s> is not closed by '>'",
						    printable);
		}
		if (data[space_end] == '>') {
			i = space_end + 1;
			break;
		}
		if (data[space_end] == '/') {
			if (space_end + 1 < reader->length && data[space_end + 1] == '>') {
				i = space_end + 2;
				self_closing = TRUE;
				break;
			}
			return prov_xml_reader_fail_in_tag(reader, space_end + 1, &name, "'>'");
		}
		if (space_end == i)
			return prov_xml_reader_fail_in_tag(reader, i, &name,
							   "whitespace, '>' or '/>'");
		i = space_end;
		if (!PROV_XML_IS(data[i], PROV_XML_CLASS_NAME_START))
			return prov_xml_reader_fail_in_tag(reader, i, &name,
							   "an attribute name, '>' or '/>'");
		attribute_name_end = prov_xml_reader_scan_name(reader, i);
		if (attribute_name_end - i > reader->limits.max_name_length)
			return prov_xml_reader_fail(reader, i, PROV_ERROR_LIMIT_EXCEEDED,
						    "attribute name exceeds the limit of %u bytes "
						    "(MaxNameLength)",
						    reader->limits.max_name_length);
		attribute_name.data = data + i;
		attribute_name.length = attribute_name_end - i;
		if (count + 1 > reader->limits.max_attributes) {
			g_autofree gchar *printable = prov_xml_slice_printable(&name);

			return prov_xml_reader_fail(reader, i, PROV_ERROR_LIMIT_EXCEEDED,
						    "element <%s> has more than %u attributes "
						    "(MaxAttributes)",
						    printable, reader->limits.max_attributes);
		}
		attributes = reader->attribute_heap != NULL ? reader->attribute_heap
							    : reader->attributes_inline;
		if (prov_xml_reader_is_duplicate(reader, attributes, count, &attribute_name)) {
			g_autofree gchar *printable = prov_xml_slice_printable(&attribute_name);

			return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
						    "duplicate attribute %s", printable);
		}
		attribute = prov_xml_reader_attribute_slot(reader, count);
		attribute->name = attribute_name;
		attribute->offset = i;
		i = prov_xml_reader_skip_space(reader, attribute_name_end);
		if (i >= reader->length || data[i] != '=') {
			g_autofree gchar *printable = prov_xml_slice_printable(&attribute_name);
			g_autofree gchar *found = prov_xml_describe_byte(data, reader->length, i);

			return prov_xml_reader_fail(
			    reader, i, PROV_ERROR_CORRUPT_FILE,
			    "expected '=' after attribute name %s, found %s", printable, found);
		}
		i = prov_xml_reader_skip_space(reader, i + 1);
		i = prov_xml_reader_read_attribute_value(reader, i, attribute);
		if (i == 0)
			return PROV_XML_TOKEN_ERROR;
		count++;
	}

	if (!prov_xml_reader_ensure_valid(reader, i))
		return PROV_XML_TOKEN_ERROR;
	if (reader->state == PROV_XML_STATE_PROLOG) {
		reader->state = PROV_XML_STATE_CONTENT;
		reader->root_offset = start;
	}
	reader->token = PROV_XML_TOKEN_START_ELEMENT;
	reader->offset = start;
	reader->name = name;
	reader->self_closing = self_closing;
	reader->attributes =
	    reader->attribute_heap != NULL ? reader->attribute_heap : reader->attributes_inline;
	reader->n_attributes = count;
	reader->position = i;
	if (self_closing) {
		/* the matching end token comes from pending_end, without touching the stack */
		reader->pending_end = TRUE;
		reader->depth = reader->open + 1;
	} else {
		prov_xml_reader_push(reader, &name, start);
		reader->depth = reader->open;
	}
	return PROV_XML_TOKEN_START_ELEMENT;
}

static ProvXmlToken
prov_xml_reader_end_tag(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize i = start + 2;
	gsize name_end = 0;
	ProvXmlSlice name;
	const ProvXmlSlice *open = reader->open > 0 ? &reader->stack[reader->open - 1] : NULL;
	gboolean matched = FALSE;

	/* the expected name is known: compare first, and scan only to report a mismatch */
	if (open != NULL && i + open->length < reader->length &&
	    memcmp(data + i, open->data, open->length) == 0 &&
	    !PROV_XML_IS(data[i + open->length], PROV_XML_CLASS_NAME)) {
		name_end = i + open->length;
		matched = TRUE;
	} else {
		name_end = prov_xml_reader_scan_name(reader, i);
	}
	name.data = data + i;
	name.length = name_end - i;
	if (name.length == 0 || !PROV_XML_IS(data[i], PROV_XML_CLASS_NAME_START)) {
		g_autofree gchar *found = prov_xml_describe_byte(data, reader->length, i);

		return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
					    "expected an element name after '</', found %s", found);
	}
	if (open == NULL) {
		g_autofree gchar *printable = prov_xml_slice_printable(&name);

		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "end tag </%s> without a matching start tag",
					    printable);
	}
	if (!matched && !prov_xml_slice_hash_equal(open, &name)) {
		g_autofree gchar *printable = prov_xml_slice_printable(&name);
		g_autofree gchar *expected = prov_xml_slice_printable(open);
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(reader, reader->stack_offsets[reader->open - 1], &line,
					     &column);
		return prov_xml_reader_fail(reader, start, PROV_ERROR_CORRUPT_FILE,
					    "end tag </%s> does not match start tag <%s> at %u:%u",
					    printable, expected, line, column);
	}
	i = prov_xml_reader_skip_space(reader, name_end);
	if (i >= reader->length || data[i] != '>') {
		g_autofree gchar *printable = prov_xml_slice_printable(&name);
		g_autofree gchar *found = prov_xml_describe_byte(data, reader->length, i);

		return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
					    "expected '>' to close end tag </%s>, found %s",
					    printable, found);
	}
	i++;
	if (!prov_xml_reader_ensure_valid(reader, i))
		return PROV_XML_TOKEN_ERROR;
	reader->token = PROV_XML_TOKEN_END_ELEMENT;
	reader->offset = start;
	reader->name = name;
	reader->self_closing = FALSE;
	reader->n_attributes = 0;
	reader->position = i;
	reader->depth = reader->open;
	reader->open--;
	if (reader->open == 0)
		reader->state = PROV_XML_STATE_EPILOG;
	return PROV_XML_TOKEN_END_ELEMENT;
}

/*
 * The end of character data: the first '<' in [i, limit), or limit. Sets
 * *special when a '&' or ']' comes before it, the only bytes that need a
 * second look; most values have neither, so one pass decides.
 */
static inline gsize
prov_xml_scan_text(const gchar *data, gsize i, gsize limit, gboolean *special)
{
#ifdef __SSE2__
	const __m128i less = _mm_set1_epi8('<');
	const __m128i ampersand = _mm_set1_epi8('&');
	const __m128i bracket = _mm_set1_epi8(']');

	while (i + 16 <= limit) {
		__m128i block = _mm_loadu_si128((const __m128i *)(data + i));
		guint mask_less = (guint)_mm_movemask_epi8(_mm_cmpeq_epi8(block, less));
		guint mask_other = (guint)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(block, ampersand), _mm_cmpeq_epi8(block, bracket)));

		if (mask_less != 0) {
			/* only the bytes below the first '<' belong to this text */
			if ((mask_other & ((mask_less & -mask_less) - 1)) != 0)
				*special = TRUE;
			return i + (gsize)__builtin_ctz(mask_less);
		}
		if (mask_other != 0)
			*special = TRUE;
		i += 16;
	}
	for (; i < limit; i++) {
		if (data[i] == '<')
			return i;
		if (data[i] == '&' || data[i] == ']')
			*special = TRUE;
	}
	return limit;
#else
	const gchar *found = memchr(data + i, '<', limit - i);
	gsize end = found != NULL ? (gsize)(found - data) : limit;

	*special = memchr(data + i, '&', end - i) != NULL || memchr(data + i, ']', end - i) != NULL;
	return end;
#endif
}

static ProvXmlToken
prov_xml_reader_text(ProvXmlReader *reader)
{
	const gchar *data = reader->data;
	gsize start = reader->position;
	gsize cap = reader->limits.max_value_length;
	gsize limit = start + MIN(reader->length - start, cap + 1);
	gboolean special = FALSE;
	gsize end = prov_xml_scan_text(data, start, limit, &special);

	if (end == limit && limit - start > cap)
		return prov_xml_reader_fail(
		    reader, start, PROV_ERROR_LIMIT_EXCEEDED,
		    "text exceeds the limit of %" G_GSIZE_FORMAT " bytes (MaxValueLength)", cap);
	reader->text_has_references = FALSE;
	if (G_UNLIKELY(special)) {
		const gchar *p = data + start;
		const gchar *bracket;

		/* XML 2.4: "]]>" may not appear literally in character data */
		while ((bracket = memchr(p, ']', (gsize)(data + end - p))) != NULL) {
			if (bracket + 2 < data + end && bracket[1] == ']' && bracket[2] == '>')
				return prov_xml_reader_fail(reader, (gsize)(bracket - data),
							    PROV_ERROR_CORRUPT_FILE,
							    "']]>' is not allowed in text");
			p = bracket + 1;
		}
		reader->text_has_references = memchr(data + start, '&', end - start) != NULL;
		if (reader->text_has_references &&
		    !prov_xml_reader_check_references(reader, start, end))
			return PROV_XML_TOKEN_ERROR;
	}
	if (!prov_xml_reader_ensure_valid(reader, end))
		return PROV_XML_TOKEN_ERROR;
	reader->token = PROV_XML_TOKEN_TEXT;
	reader->offset = start;
	reader->text.data = data + start;
	reader->text.length = end - start;
	reader->position = end;
	return PROV_XML_TOKEN_TEXT;
}

/* outside the root element only whitespace may stand between markup */
static ProvXmlToken
prov_xml_reader_outside_text(ProvXmlReader *reader)
{
	gsize i = prov_xml_reader_skip_space(reader, reader->position);

	if (i < reader->length && reader->data[i] != '<') {
		if (!prov_xml_reader_ensure_valid(reader, i + 1))
			return PROV_XML_TOKEN_ERROR;
		if (reader->state == PROV_XML_STATE_PROLOG)
			return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
						    "text before the root element");
		return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
					    "text after the end of the root element");
	}
	if (!prov_xml_reader_ensure_valid(reader, i))
		return PROV_XML_TOKEN_ERROR;
	reader->position = i;
	return PROV_XML_TOKEN_LAST;
}

static ProvXmlToken
prov_xml_reader_end_of_document(ProvXmlReader *reader)
{
	if (!prov_xml_reader_ensure_valid(reader, reader->length))
		return PROV_XML_TOKEN_ERROR;
	if (reader->state == PROV_XML_STATE_PROLOG)
		return prov_xml_reader_fail(reader, reader->length, PROV_ERROR_CORRUPT_FILE,
					    "no root element: the document has no elements");
	if (reader->state == PROV_XML_STATE_CONTENT) {
		g_autofree gchar *printable =
		    prov_xml_slice_printable(&reader->stack[reader->open - 1]);
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(reader, reader->stack_offsets[reader->open - 1], &line,
					     &column);
		return prov_xml_reader_fail(reader, reader->length, PROV_ERROR_CORRUPT_FILE,
					    "unexpected end of document: element <%s> started at "
					    "%u:%u is not closed",
					    printable, line, column);
	}
	reader->state = PROV_XML_STATE_DONE;
	reader->token = PROV_XML_TOKEN_END_DOCUMENT;
	reader->offset = reader->length;
	return PROV_XML_TOKEN_END_DOCUMENT;
}

static ProvXmlToken
prov_xml_reader_step(ProvXmlReader *reader)
{
	const gchar *data = reader->data;

	for (;;) {
		gsize i = reader->position;
		ProvXmlToken token;

		if (i >= reader->length)
			return prov_xml_reader_end_of_document(reader);
		if (data[i] != '<') {
			if (reader->state == PROV_XML_STATE_CONTENT)
				return prov_xml_reader_text(reader);
			token = prov_xml_reader_outside_text(reader);
		} else if (i + 1 >= reader->length) {
			return prov_xml_reader_fail(reader, i, PROV_ERROR_CORRUPT_FILE,
						    "unexpected end of document after '<'");
		} else if (data[i + 1] == '/') {
			return prov_xml_reader_end_tag(reader);
		} else if (data[i + 1] == '?') {
			token = prov_xml_reader_skip_pi(reader);
		} else if (data[i + 1] == '!') {
			token = prov_xml_reader_markup_declaration(reader);
		} else {
			return prov_xml_reader_start_tag(reader);
		}
		/* PROV_XML_TOKEN_LAST marks something skipped: a comment, a PI, whitespace */
		if (token != PROV_XML_TOKEN_LAST)
			return token;
	}
}

/**
 * prov_xml_reader_next:
 * @reader: a #ProvXmlReader
 * @error: return location for a #GError
 *
 * Reads the next token. The first call checks the document size against
 * `decoded_max` before reading anything (R25). Errors are
 * %PROV_ERROR_CORRUPT_FILE for malformed documents and
 * %PROV_ERROR_LIMIT_EXCEEDED for caps, with messages that start with
 * `LINE:COLUMN: `. After an error or the end of the document the reader
 * keeps returning the same result.
 *
 * Returns: the token, or %PROV_XML_TOKEN_ERROR with @error set
 *
 * Since: 0.1
 */
ProvXmlToken
prov_xml_reader_next(ProvXmlReader *reader, GError **error)
{
	ProvXmlToken token;

	g_return_val_if_fail(reader != NULL && reader->data != NULL, PROV_XML_TOKEN_ERROR);

	switch (reader->state) {
	case PROV_XML_STATE_FAILED:
		g_propagate_error(error, g_error_copy(reader->error));
		return PROV_XML_TOKEN_ERROR;
	case PROV_XML_STATE_DONE:
		return PROV_XML_TOKEN_END_DOCUMENT;
	case PROV_XML_STATE_START:
		if (reader->length > reader->limits.decoded_max) {
			g_autofree gchar *message = g_strdup_printf(
			    "document of %" G_GSIZE_FORMAT
			    " bytes exceeds the limit of %" G_GSIZE_FORMAT " bytes (DecodedMax)",
			    reader->length, reader->limits.decoded_max);

			/* R25: refused before a byte of it is looked at */
			prov_xml_reader_set_error(reader, 0, PROV_ERROR_LIMIT_EXCEEDED, message);
			g_propagate_error(error, g_error_copy(reader->error));
			return PROV_XML_TOKEN_ERROR;
		}
		reader->state = PROV_XML_STATE_PROLOG;
		break;
	default:
		break;
	}

	reader->n_attributes = 0;
	if (reader->pending_end) {
		reader->pending_end = FALSE;
		reader->token = PROV_XML_TOKEN_END_ELEMENT;
		reader->self_closing = TRUE;
		if (reader->open == 0)
			reader->state = PROV_XML_STATE_EPILOG;
		return PROV_XML_TOKEN_END_ELEMENT;
	}

	token = prov_xml_reader_step(reader);
	if (token == PROV_XML_TOKEN_ERROR)
		g_propagate_error(error, g_error_copy(reader->error));
	return token;
}

/**
 * prov_xml_reader_get_error_position:
 * @reader: a #ProvXmlReader
 * @line: (out): the line of the last error
 * @column: (out): the column of the last error
 *
 * Returns: %TRUE when the reader failed, and so @line and @column are set
 *
 * Since: 0.1
 */
gboolean
prov_xml_reader_get_error_position(ProvXmlReader *reader, guint *line, guint *column)
{
	if (reader->state != PROV_XML_STATE_FAILED)
		return FALSE;
	prov_xml_reader_get_position(reader, reader->error_offset, line, column);
	return TRUE;
}

/**
 * prov_xml_reader_find_attribute:
 * @reader: a #ProvXmlReader on a start token
 * @name: an attribute name
 *
 * Returns: (transfer none) (nullable): the attribute, or %NULL
 *
 * Since: 0.1
 */
const ProvXmlAttribute *
prov_xml_reader_find_attribute(ProvXmlReader *reader, const gchar *name)
{
	for (guint i = 0; i < reader->n_attributes; i++) {
		if (prov_xml_slice_equal(&reader->attributes[i].name, name))
			return &reader->attributes[i];
	}
	return NULL;
}

/**
 * prov_xml_reader_clear:
 * @reader: a #ProvXmlReader, initialised or zero-filled
 *
 * Frees what the reader allocated. The document is not the reader's and is
 * left alone.
 *
 * Since: 0.1
 */
void
prov_xml_reader_clear(ProvXmlReader *reader)
{
	if (reader->stack != NULL && reader->stack != reader->stack_inline) {
		g_free(reader->stack);
		g_free(reader->stack_offsets);
	}
	reader->stack = NULL;
	reader->stack_offsets = NULL;
	g_clear_pointer(&reader->attribute_heap, g_free);
	g_clear_pointer(&reader->attribute_names, g_hash_table_unref);
	g_clear_error(&reader->error);
}

/**
 * prov_xml_reader_init:
 * @reader: the reader to set up (its old content is overwritten, not freed)
 * @data: the document; it must outlive the reader and stay unchanged
 * @length: bytes in @data
 * @limits: (nullable): the caps, or %NULL for the defaults
 *
 * Since: 0.1
 */
void
prov_xml_reader_init(ProvXmlReader *reader,
		     const gchar *data,
		     gsize length,
		     const ProvLimits *limits)
{
	memset(reader, 0, sizeof(*reader));
	if (limits != NULL)
		reader->limits = *limits;
	else
		prov_limits_init(&reader->limits);
	/* a document that is not empty still needs a readable pointer */
	reader->data = data != NULL ? data : "";
	reader->length = data != NULL ? length : 0;
	reader->stack = reader->stack_inline;
	reader->stack_offsets = reader->stack_offsets_inline;
	reader->stack_allocated = PROV_XML_READER_INLINE_DEPTH;
	reader->attribute_allocated = PROV_XML_READER_INLINE_ATTRIBUTES;
	reader->attributes = reader->attributes_inline;
	/* a UTF-8 byte order mark is allowed and is not part of the document */
	if (reader->length >= 3 && memcmp(reader->data, "\xef\xbb\xbf", 3) == 0) {
		reader->position = 3;
		reader->valid_end = 3;
	}
	reader->root_offset = reader->position;
	reader->state = PROV_XML_STATE_START;
}
