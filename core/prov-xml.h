/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"
#include "prov-limits.h"

G_BEGIN_DECLS

/**
 * ProvXmlSlice:
 * @data: the first byte; not NUL-terminated
 * @length: the number of bytes
 *
 * A run of bytes inside the document that the reader was given. Slices are
 * never copies: they stay valid as long as the document does.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *data;
	gsize length;
} ProvXmlSlice;

/**
 * ProvXmlAttribute:
 * @name: the attribute name
 * @value: the raw value, without its quotes; references are not decoded
 *   (prov_xml_unescape() decodes them)
 * @offset: byte offset of the name in the document
 *
 * One attribute of the current start tag.
 *
 * Since: 0.1
 */
typedef struct {
	ProvXmlSlice name;
	ProvXmlSlice value;
	gsize offset;
} ProvXmlAttribute;

/**
 * ProvXmlToken:
 * @PROV_XML_TOKEN_ERROR: the document is malformed or exceeds a cap; the
 *   reader stays in this state
 * @PROV_XML_TOKEN_START_ELEMENT: a start tag, or the start of a self-closing
 *   tag (then `self_closing` is set and an end token follows at once)
 * @PROV_XML_TOKEN_END_ELEMENT: an end tag, or the end of a self-closing tag
 * @PROV_XML_TOKEN_TEXT: character data inside the root element, raw (may
 *   contain references; `text_has_references` tells)
 * @PROV_XML_TOKEN_CDATA: the content of a CDATA section, taken literally
 * @PROV_XML_TOKEN_END_DOCUMENT: the document ended well-formed; the reader
 *   stays in this state
 * @PROV_XML_TOKEN_LAST: the number of values
 *
 * What prov_xml_reader_next() found. Comments, processing instructions and
 * the XML declaration are skipped, as is whitespace outside the root element.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_XML_TOKEN_ERROR,
	PROV_XML_TOKEN_START_ELEMENT,
	PROV_XML_TOKEN_END_ELEMENT,
	PROV_XML_TOKEN_TEXT,
	PROV_XML_TOKEN_CDATA,
	PROV_XML_TOKEN_END_DOCUMENT,
	PROV_XML_TOKEN_LAST
} ProvXmlToken;

/**
 * PROV_XML_READER_INLINE_DEPTH:
 *
 * The element depth that #ProvXmlReader keeps inside itself; a deeper
 * document moves the element stack to the heap, and only up to the
 * #ProvLimits caps.
 *
 * Since: 0.1
 */
#define PROV_XML_READER_INLINE_DEPTH 16

/**
 * PROV_XML_READER_INLINE_ATTRIBUTES:
 *
 * The attributes of one element that #ProvXmlReader keeps inside itself;
 * more move to the heap, and only up to the #ProvLimits caps.
 *
 * Since: 0.1
 */
#define PROV_XML_READER_INLINE_ATTRIBUTES 16

/**
 * ProvXmlReader:
 * @token: the current token
 * @name: the element name (start and end tokens)
 * @text: the raw character data (text tokens) or CDATA content (CDATA tokens)
 * @self_closing: the element was written `<name/>` (start and end tokens)
 * @text_has_references: @text contains at least one `&` reference
 * @offset: byte offset where the token starts (the `<` of a tag)
 * @depth: the element's depth, the root being 1 (start and end tokens)
 * @attributes: the attributes of a start tag, in document order
 * @n_attributes: the number of @attributes
 *
 * A pull tokenizer over a document that the caller owns and keeps alive and
 * unchanged while the reader is used. It is a plain struct meant to live on
 * the stack: prov_xml_reader_init() it, call prov_xml_reader_next() until
 * it returns %PROV_XML_TOKEN_END_DOCUMENT or %PROV_XML_TOKEN_ERROR, then
 * prov_xml_reader_clear() it (or declare it with `g_auto(ProvXmlReader)`).
 * The public fields describe the current token and are read-only.
 *
 * Since: 0.1
 */
typedef struct {
	ProvXmlToken token;
	ProvXmlSlice name;
	ProvXmlSlice text;
	gboolean self_closing;
	gboolean text_has_references;
	gsize offset;
	guint depth;
	const ProvXmlAttribute *attributes;
	guint n_attributes;

	/*< private >*/
	const gchar *data;
	gsize length;
	gsize position;
	gsize valid_end;
	ProvLimits limits;
	guint state;
	gboolean pending_end;
	guint open;
	gsize root_offset;
	ProvXmlSlice *stack;
	gsize *stack_offsets;
	guint stack_allocated;
	ProvXmlAttribute *attribute_heap;
	guint attribute_allocated;
	GHashTable *attribute_names;
	GError *error;
	gsize error_offset;
	gboolean has_cr;
	gsize cr_checked;
	gsize cursor_offset;
	guint cursor_line;
	guint cursor_column;
	ProvXmlSlice stack_inline[PROV_XML_READER_INLINE_DEPTH];
	gsize stack_offsets_inline[PROV_XML_READER_INLINE_DEPTH];
	ProvXmlAttribute attributes_inline[PROV_XML_READER_INLINE_ATTRIBUTES];
} ProvXmlReader;

PROV_API void
prov_xml_reader_init(ProvXmlReader *reader,
		     const gchar *data,
		     gsize length,
		     const ProvLimits *limits);
PROV_API void
prov_xml_reader_clear(ProvXmlReader *reader);
PROV_API ProvXmlToken
prov_xml_reader_next(ProvXmlReader *reader, GError **error);
PROV_API void
prov_xml_reader_get_position(ProvXmlReader *reader, gsize offset, guint *line, guint *column);
PROV_API gboolean
prov_xml_reader_get_error_position(ProvXmlReader *reader, guint *line, guint *column);
PROV_API const ProvXmlAttribute *
prov_xml_reader_find_attribute(ProvXmlReader *reader, const gchar *name);

PROV_API gboolean
prov_xml_slice_equal(const ProvXmlSlice *slice, const gchar *text);
PROV_API gboolean
prov_xml_name_is_valid(const gchar *data, gsize length);
PROV_API gboolean
prov_xml_unescape_into(
    const gchar *raw, gsize length, gchar *out, gsize *out_length, GError **error);
PROV_API gboolean
prov_xml_unescape(
    const gchar *raw, gsize length, ProvXmlSlice *decoded, gchar **allocated, GError **error);
PROV_API gchar *
prov_xml_unescape_dup(const gchar *raw, gsize length, GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvXmlReader, prov_xml_reader_clear)

G_END_DECLS
