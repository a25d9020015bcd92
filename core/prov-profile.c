/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvProfile"

#include "config.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "prov-alias-map.h"
#include "prov-error.h"
#include "prov-profile.h"
#include "prov-xml.h"

#define PROV_PROFILE_WRAPPER "flat-profile"

/*
 * Assignments and their strings live in one arena that is dropped whole, so
 * that a 100 000-assignment profile costs a few large allocations instead of
 * several small ones per assignment.
 */
#define PROV_PROFILE_ARENA_FIRST_BLOCK (16 * 1024)
#define PROV_PROFILE_ARENA_MAX_BLOCK   (1024 * 1024)

typedef struct {
	gchar *data;
	gsize size;
} ProvProfileBlock;

typedef struct {
	GArray *blocks;
	guint used;
	GPtrArray *large;
	gchar *cursor;
	gsize left;
} ProvProfileArena;

/* one open element */
typedef struct {
	gsize offset;
	ProvXmlSlice ua;
	gboolean has_ua;
	gboolean in_wrapper;
	gboolean is_wrapper;
	gboolean has_child;
} ProvProfileFrame;

/* one run of character data of the innermost element */
typedef struct {
	ProvXmlSlice text;
	gboolean cdata;
	gboolean has_references;
} ProvProfilePiece;

/**
 * ProvProfile:
 *
 * The flat-profile parser (reference 1.2, 1.3 and 10): turns an XML
 * profile into #ProvAssignment values on top of #ProvXmlReader, with the
 * devices' rules for whitespace, entities, self-closing and empty elements,
 * the `ua` attribute and parameter aliases. It stops at the first error
 * with its line, column and reason, and within the #ProvLimits caps.
 *
 * Since: 0.1
 */
struct _ProvProfile {
	GObject parent_instance;

	ProvLimits limits;
	ProvAliasMap *alias_map;
	GPtrArray *assignments;
	ProvProfileArena arena;
	guint error_line;
	guint error_column;

	/* scratch space kept between parses; frames[i] and path[i] describe one open element */
	ProvProfileFrame *frames;
	ProvXmlSlice *path;
	guint depth;
	guint depth_allocated;
	ProvProfilePiece *pieces;
	guint n_pieces;
	guint pieces_allocated;
	gsize pieces_length;
	GString *scratch;
};

G_DEFINE_FINAL_TYPE(ProvProfile, prov_profile, G_TYPE_OBJECT)

/* blocks stay for the next parse; items that had a block of their own go */
static void
prov_profile_arena_clear(ProvProfileArena *arena)
{
	arena->used = 0;
	arena->cursor = NULL;
	arena->left = 0;
	g_ptr_array_set_size(arena->large, 0);
}

static void
prov_profile_arena_free(ProvProfileArena *arena)
{
	if (arena->blocks != NULL) {
		for (guint i = 0; i < arena->blocks->len; i++)
			g_free(g_array_index(arena->blocks, ProvProfileBlock, i).data);
	}
	g_clear_pointer(&arena->blocks, g_array_unref);
	g_clear_pointer(&arena->large, g_ptr_array_unref);
}

static gpointer
prov_profile_arena_alloc(ProvProfileArena *arena, gsize size, gsize align)
{
	gsize pad = (align - ((guintptr)arena->cursor & (align - 1))) & (align - 1);
	gchar *result;

	if (arena->cursor == NULL || size + pad > arena->left) {
		gsize block_size = PROV_PROFILE_ARENA_FIRST_BLOCK << MIN(arena->used, 6);
		ProvProfileBlock *block;

		block_size = MIN(block_size, PROV_PROFILE_ARENA_MAX_BLOCK);
		/* a large item gets a block of its own, so the current one is not wasted */
		if (size > block_size / 4) {
			gchar *large = g_malloc(size);

			g_ptr_array_add(arena->large, large);
			return large;
		}
		if (arena->used == arena->blocks->len) {
			ProvProfileBlock fresh = {g_malloc(block_size), block_size};

			g_array_append_val(arena->blocks, fresh);
		}
		block = &g_array_index(arena->blocks, ProvProfileBlock, arena->used++);
		arena->cursor = block->data;
		arena->left = block->size;
		pad = 0;
	}
	result = arena->cursor + pad;
	arena->cursor += pad + size;
	arena->left -= pad + size;
	return result;
}

static const gchar *
prov_profile_arena_strndup(ProvProfileArena *arena, const gchar *data, gsize length)
{
	gchar *copy = prov_profile_arena_alloc(arena, length + 1, 1);

	memcpy(copy, data, length);
	copy[length] = '\0';
	return copy;
}

static void
prov_profile_reset(ProvProfile *self)
{
	g_ptr_array_set_size(self->assignments, 0);
	prov_profile_arena_clear(&self->arena);
	self->error_line = 0;
	self->error_column = 0;
}

static gboolean
prov_profile_is_line_end(gchar c)
{
	return c == '\n' || c == '\r';
}

static gboolean
prov_profile_has_line_end(const gchar *p, const gchar *end)
{
#ifdef __SSE2__
	const __m128i lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r');

	for (; p + 16 <= end; p += 16) {
		__m128i block = _mm_loadu_si128((const __m128i *)p);

		if (_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(block, lf), _mm_cmpeq_epi8(block, cr))) != 0)
			return TRUE;
	}
#endif
	for (; p < end; p++) {
		if (prov_profile_is_line_end(*p))
			return TRUE;
	}
	return FALSE;
}

static gboolean
prov_profile_is_trimmed(gchar c)
{
	return c == ' ' || c == '\t';
}

/*
 * Reference 1.2 rule 6, after decoding: CR LF, lone CR and lone LF each
 * become one space; then spaces and tabs at both ends go. Interior runs stay.
 */
static gsize
prov_profile_normalize(gchar *text, gsize length, gsize *start)
{
	gsize out = 0;
	gsize first = 0;

	for (gsize i = 0; i < length; i++) {
		if (text[i] == '\r') {
			if (i + 1 < length && text[i + 1] == '\n')
				i++;
			text[out++] = ' ';
		} else if (text[i] == '\n') {
			text[out++] = ' ';
		} else {
			text[out++] = text[i];
		}
	}
	while (out > 0 && prov_profile_is_trimmed(text[out - 1]))
		out--;
	while (first < out && prov_profile_is_trimmed(text[first]))
		first++;
	*start = first;
	return out - first;
}

/* reference 1.2 rule 11: a value of exactly "" is the empty string */
static const gchar *
prov_profile_store_value(ProvProfile *self, const gchar *data, gsize length)
{
	if (length == 2 && data[0] == '"' && data[1] == '"')
		length = 0;
	return prov_profile_arena_strndup(&self->arena, data, length);
}

static const gchar *
prov_profile_build_value(ProvProfile *self)
{
	const ProvProfilePiece *pieces = self->pieces;
	guint n_pieces = self->n_pieces;
	GString *scratch = self->scratch;
	gsize start = 0;
	gsize length;

	if (n_pieces == 0)
		return prov_profile_store_value(self, "", 0);
	if (n_pieces == 1 && !pieces[0].has_references) {
		/* the common case: trimming CR and LF first is the same as turning
		 * them into spaces and trimming those */
		const gchar *p = pieces[0].text.data;
		const gchar *end = p + pieces[0].text.length;

		while (p < end && (prov_profile_is_trimmed(*p) || prov_profile_is_line_end(*p)))
			p++;
		while (end > p &&
		       (prov_profile_is_trimmed(end[-1]) || prov_profile_is_line_end(end[-1])))
			end--;
		if (!prov_profile_has_line_end(p, end))
			return prov_profile_store_value(self, p, (gsize)(end - p));
	}

	g_string_truncate(scratch, 0);
	for (guint i = 0; i < n_pieces; i++) {
		const ProvProfilePiece *piece = &pieces[i];

		if (piece->has_references) {
			gsize old_length = scratch->len;
			gsize decoded_length = 0;

			/* decoding never lengthens; the reader already checked every reference */
			g_string_set_size(scratch, old_length + piece->text.length);
			if (!prov_xml_unescape_into(piece->text.data, piece->text.length,
						    scratch->str + old_length, &decoded_length,
						    NULL))
				g_assert_not_reached();
			g_string_truncate(scratch, old_length + decoded_length);
		} else {
			g_string_append_len(scratch, piece->text.data, (gssize)piece->text.length);
		}
	}
	length = prov_profile_normalize(scratch->str, scratch->len, &start);
	return prov_profile_store_value(self, scratch->str + start, length);
}

static gboolean
prov_profile_fail(ProvProfile *self,
		  ProvXmlReader *reader,
		  gsize offset,
		  gint code,
		  GError **error,
		  const gchar *format,
		  ...) G_GNUC_PRINTF(6, 7);

static gboolean
prov_profile_fail(ProvProfile *self,
		  ProvXmlReader *reader,
		  gsize offset,
		  gint code,
		  GError **error,
		  const gchar *format,
		  ...)
{
	g_autofree gchar *message = NULL;
	guint line = 0;
	guint column = 0;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	prov_xml_reader_get_position(reader, offset, &line, &column);
	prov_profile_reset(self);
	self->error_line = line;
	self->error_column = column;
	g_set_error(error, PROV_ERROR, code, "%u:%u: %s", line, column, message);
	return FALSE;
}

static gchar *
prov_profile_printable(const ProvXmlSlice *slice)
{
	return g_utf8_make_valid(slice->data, (gssize)MIN(slice->length, 64));
}

static gboolean
prov_profile_add_assignment(ProvProfile *self,
			    ProvXmlReader *reader,
			    const ProvProfileFrame *frame,
			    const gchar *target,
			    GError **error)
{
	ProvAssignment *assignment;
	const ProvXmlSlice *name = &self->path[self->depth - 1];

	if (self->assignments->len >= self->limits.max_assignments)
		return prov_profile_fail(self, reader, frame->offset, PROV_ERROR_LIMIT_EXCEEDED,
					 error,
					 "more than %u assignments in one profile "
					 "(MaxAssignments)",
					 self->limits.max_assignments);

	assignment = prov_profile_arena_alloc(&self->arena, sizeof(ProvAssignment),
					      G_ALIGNOF(ProvAssignment));
	if (target != NULL)
		assignment->name = prov_profile_arena_strndup(&self->arena, target, strlen(target));
	else
		assignment->name =
		    prov_profile_arena_strndup(&self->arena, name->data, name->length);
	/* reference 1.2 rule 5: <Name/> keeps the value and may only change ua */
	assignment->value = reader->self_closing ? NULL : prov_profile_build_value(self);
	assignment->access = PROV_ACCESS_UNSET;
	assignment->invalid_access = NULL;
	if (frame->has_ua) {
		const ProvXmlSlice *raw = &frame->ua;
		g_autofree gchar *decoded = prov_xml_unescape_dup(raw->data, raw->length, NULL);

		g_assert(decoded != NULL);
		if (!prov_access_from_string(decoded, &assignment->access)) {
			assignment->access = PROV_ACCESS_UNSET;
			assignment->invalid_access =
			    prov_profile_arena_strndup(&self->arena, decoded, strlen(decoded));
		}
	}
	prov_xml_reader_get_position(reader, frame->offset, &assignment->line, &assignment->column);
	g_ptr_array_add(self->assignments, assignment);
	return TRUE;
}

static gboolean
prov_profile_slice_is(const ProvXmlSlice *slice, const gchar *text, gsize length)
{
	return slice->length == length && memcmp(slice->data, text, length) == 0;
}

static void
prov_profile_start_element(ProvProfile *self, ProvXmlReader *reader)
{
	ProvProfileFrame *frame;

	/* the reader caps the depth, so this grows at most to MaxDepth */
	if (self->depth == self->depth_allocated) {
		self->depth_allocated = MAX(16, self->depth_allocated * 2);
		self->frames = g_renew(ProvProfileFrame, self->frames, self->depth_allocated);
		self->path = g_renew(ProvXmlSlice, self->path, self->depth_allocated);
	}
	frame = &self->frames[self->depth];
	memset(frame, 0, sizeof(*frame));
	if (self->depth > 0) {
		ProvProfileFrame *parent = &self->frames[self->depth - 1];

		parent->has_child = TRUE;
		frame->in_wrapper = parent->in_wrapper;
	}
	/* the parent's text is not a value any more: it has become a container */
	self->n_pieces = 0;
	self->pieces_length = 0;
	frame->offset = reader->offset;
	if (prov_profile_slice_is(&reader->name, PROV_PROFILE_WRAPPER,
				  strlen(PROV_PROFILE_WRAPPER))) {
		frame->is_wrapper = TRUE;
		frame->in_wrapper = TRUE;
	}
	if (frame->in_wrapper || self->alias_map != NULL) {
		for (guint i = 0; i < reader->n_attributes; i++) {
			if (prov_profile_slice_is(&reader->attributes[i].name, "ua", 2)) {
				frame->ua = reader->attributes[i].value;
				frame->has_ua = TRUE;
			}
		}
	}
	self->path[self->depth] = reader->name;
	self->depth++;
}

static gboolean
prov_profile_add_text(ProvProfile *self, ProvXmlReader *reader, gboolean cdata, GError **error)
{
	const ProvProfileFrame *frame;
	ProvProfilePiece *piece;

	if (self->depth == 0)
		return TRUE;
	frame = &self->frames[self->depth - 1];
	if (frame->has_child || frame->is_wrapper ||
	    (!frame->in_wrapper && self->alias_map == NULL))
		return TRUE;
	/* the reader caps each run; comments or CDATA may split one value into several */
	if (self->pieces_length + reader->text.length > self->limits.max_value_length) {
		g_autofree gchar *name = prov_profile_printable(&self->path[self->depth - 1]);

		return prov_profile_fail(
		    self, reader, reader->offset, PROV_ERROR_LIMIT_EXCEEDED, error,
		    "value of <%s> exceeds the limit of %" G_GSIZE_FORMAT " bytes (MaxValueLength)",
		    name, self->limits.max_value_length);
	}
	if (self->n_pieces == self->pieces_allocated) {
		self->pieces_allocated = MAX(4, self->pieces_allocated * 2);
		self->pieces = g_renew(ProvProfilePiece, self->pieces, self->pieces_allocated);
	}
	piece = &self->pieces[self->n_pieces++];
	piece->text = reader->text;
	piece->cdata = cdata;
	piece->has_references = !cdata && reader->text_has_references;
	self->pieces_length += reader->text.length;
	return TRUE;
}

static gboolean
prov_profile_end_element(ProvProfile *self, ProvXmlReader *reader, GError **error)
{
	const ProvProfileFrame *frame = &self->frames[self->depth - 1];
	const gchar *target = NULL;
	gboolean ok = TRUE;

	/* reference 1.2 rule 1: an element with element children is a container */
	if (!frame->has_child && !frame->is_wrapper) {
		if (self->alias_map != NULL)
			target = prov_alias_map_match(self->alias_map, self->path, self->depth);
		if (target != NULL || frame->in_wrapper)
			ok = prov_profile_add_assignment(self, reader, frame, target, error);
	}
	self->n_pieces = 0;
	self->pieces_length = 0;
	if (self->depth > 0)
		self->depth--;
	return ok;
}

static gboolean
prov_profile_parse_document(ProvProfile *self,
			    ProvXmlReader *reader,
			    gboolean *found_wrapper,
			    gsize *root_offset,
			    GError **error)
{
	for (;;) {
		g_autoptr(GError) error_local = NULL;
		ProvXmlToken token = prov_xml_reader_next(reader, &error_local);

		switch (token) {
		case PROV_XML_TOKEN_START_ELEMENT:
			if (self->depth == 0)
				*root_offset = reader->offset;
			prov_profile_start_element(self, reader);
			if (self->frames[self->depth - 1].is_wrapper)
				*found_wrapper = TRUE;
			break;
		case PROV_XML_TOKEN_END_ELEMENT:
			if (!prov_profile_end_element(self, reader, error))
				return FALSE;
			break;
		case PROV_XML_TOKEN_TEXT:
			if (!prov_profile_add_text(self, reader, FALSE, error))
				return FALSE;
			break;
		case PROV_XML_TOKEN_CDATA:
			if (!prov_profile_add_text(self, reader, TRUE, error))
				return FALSE;
			break;
		case PROV_XML_TOKEN_END_DOCUMENT:
			return TRUE;
		case PROV_XML_TOKEN_ERROR:
		case PROV_XML_TOKEN_LAST:
		default:
			prov_profile_reset(self);
			prov_xml_reader_get_error_position(reader, &self->error_line,
							   &self->error_column);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
}

/**
 * prov_profile_set_alias_map:
 * @self: a #ProvProfile
 * @map_text: (nullable): the alias map text, or %NULL when the rule has no
 *   `--alias`
 *
 * Sets the alias map of reference section 10 for the following parses. Any
 * non-%NULL text, even an empty one, means the rule carries `--alias`, and
 * then a document without a `flat-profile` element is valid (reference 1.2
 * rule 1). Malformed entries are skipped with a warning.
 *
 * Since: 0.1
 */
void
prov_profile_set_alias_map(ProvProfile *self, const gchar *map_text)
{
	g_return_if_fail(PROV_IS_PROFILE(self));

	g_clear_pointer(&self->alias_map, prov_alias_map_free);
	if (map_text != NULL)
		self->alias_map = prov_alias_map_new(map_text);
}

/**
 * prov_profile_parse:
 * @self: a #ProvProfile
 * @data: the decoded profile
 * @length: bytes in @data
 * @error: return location for a #GError
 *
 * Reads a flat profile (reference 1.2 and 1.3, aliases of section 10) into
 * assignments, replacing those of an earlier parse. Malformed documents fail
 * with %PROV_ERROR_CORRUPT_FILE and documents over a cap with
 * %PROV_ERROR_LIMIT_EXCEEDED; the message starts with `LINE:COLUMN: `.
 * On failure no assignment is left.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_profile_parse(ProvProfile *self, const gchar *data, gsize length, GError **error)
{
	g_auto(ProvXmlReader) reader = {0};
	gboolean found_wrapper = FALSE;
	gsize root_offset = 0;
	gboolean ok;

	g_return_val_if_fail(PROV_IS_PROFILE(self), FALSE);
	g_return_val_if_fail(data != NULL || length == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	prov_profile_reset(self);
	self->depth = 0;
	self->n_pieces = 0;
	self->pieces_length = 0;
	prov_xml_reader_init(&reader, data, length, &self->limits);
	ok = prov_profile_parse_document(self, &reader, &found_wrapper, &root_offset, error);
	if (ok && !found_wrapper && self->alias_map == NULL)
		ok = prov_profile_fail(self, &reader, root_offset, PROV_ERROR_CORRUPT_FILE, error,
				       "no flat-profile element: parameters are only read "
				       "inside <flat-profile>");
	self->depth = 0;
	self->n_pieces = 0;
	self->pieces_length = 0;
	/* a large value should not keep its scratch copy around */
	if (self->scratch->allocated_len > 4096) {
		g_string_free(self->scratch, TRUE);
		self->scratch = g_string_new(NULL);
	}
	return ok;
}

static gboolean
prov_profile_spc_is_space(gchar c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* blanks and '#' comments, which run to the end of the line */
static gsize
prov_profile_spc_skip(const gchar *data, gsize length, gsize i)
{
	while (i < length) {
		if (prov_profile_spc_is_space(data[i])) {
			i++;
		} else if (data[i] == '#') {
			const gchar *newline = memchr(data + i, '\n', length - i);

			i = newline != NULL ? (gsize)(newline - data) + 1 : length;
		} else {
			break;
		}
	}
	return i;
}

static gboolean
prov_profile_spc_is_name_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '[' ||
	       c == ']' || (guchar)c >= 0x80;
}

/* reference 1.1: the index written Name[n] in plain text is Name_n_ in XML */
static gchar *
prov_profile_spc_name(const gchar *data, gsize length)
{
	gchar *name = g_strndup(data, length);

	for (gchar *p = name; *p != '\0'; p++) {
		if (*p == '[' || *p == ']')
			*p = '_';
	}
	return name;
}

static gboolean
prov_profile_spc_statement(ProvProfile *self,
			   ProvXmlReader *positions,
			   const gchar *data,
			   gsize length,
			   gsize *position,
			   GError **error)
{
	gsize start = *position;
	gsize i = start;
	g_autofree gchar *name = NULL;
	ProvAssignment *assignment;
	ProvAccess access = PROV_ACCESS_NA;
	const gchar *value = NULL;

	while (i < length && prov_profile_spc_is_name_char(data[i]) &&
	       i - start <= self->limits.max_name_length)
		i++;
	if (i - start > self->limits.max_name_length)
		return prov_profile_fail(self, positions, start, PROV_ERROR_LIMIT_EXCEEDED, error,
					 "parameter name exceeds the limit of %u bytes "
					 "(MaxNameLength)",
					 self->limits.max_name_length);
	name = prov_profile_spc_name(data + start, i - start);
	if (!prov_xml_name_is_valid(name, strlen(name)))
		return prov_profile_fail(self, positions, start, PROV_ERROR_CORRUPT_FILE, error,
					 "expected a parameter name");
	/* "import FILE" splices a file in; a buffer has no files next to it */
	if (strcmp(name, "import") == 0 && i < length && (data[i] == ' ' || data[i] == '\t'))
		return prov_profile_fail(self, positions, start, PROV_ERROR_CORRUPT_FILE, error,
					 "import is not supported: expand imported files first");
	i = prov_profile_spc_skip(data, length, i);
	/* reference 1.4: '!' user read-write, '?' user read-only, neither: no access */
	if (i < length && (data[i] == '!' || data[i] == '?')) {
		access = data[i] == '!' ? PROV_ACCESS_RW : PROV_ACCESS_RO;
		i = prov_profile_spc_skip(data, length, i + 1);
	}
	if (i < length && data[i] == '"') {
		gsize window = MIN(length - i - 1, self->limits.max_value_length + 1);
		const gchar *quote = memchr(data + i + 1, '"', window);

		if (quote == NULL && window > self->limits.max_value_length)
			return prov_profile_fail(self, positions, i + 1, PROV_ERROR_LIMIT_EXCEEDED,
						 error,
						 "value of %s exceeds the limit of %" G_GSIZE_FORMAT
						 " bytes (MaxValueLength)",
						 name, self->limits.max_value_length);
		if (quote == NULL)
			return prov_profile_fail(self, positions, i, PROV_ERROR_CORRUPT_FILE, error,
						 "value of %s has no closing '\"'", name);
		value = prov_profile_arena_strndup(&self->arena, data + i + 1,
						   (gsize)(quote - data) - i - 1);
		i = prov_profile_spc_skip(data, length, (gsize)(quote - data) + 1);
	}
	if (i >= length || data[i] != ';') {
		g_autofree gchar *found =
		    i < length ? g_strdup_printf("'%c'", data[i]) : g_strdup("end of text");

		if (i < length && (guchar)data[i] >= 0x80)
			g_clear_pointer(&found, g_free);
		return prov_profile_fail(self, positions, i, PROV_ERROR_CORRUPT_FILE, error,
					 "expected ';' to end the statement for %s, found %s", name,
					 found != NULL ? found : "a non-ASCII character");
	}
	if (self->assignments->len >= self->limits.max_assignments)
		return prov_profile_fail(self, positions, start, PROV_ERROR_LIMIT_EXCEEDED, error,
					 "more than %u assignments in one profile "
					 "(MaxAssignments)",
					 self->limits.max_assignments);
	assignment = prov_profile_arena_alloc(&self->arena, sizeof(ProvAssignment),
					      G_ALIGNOF(ProvAssignment));
	assignment->name = prov_profile_arena_strndup(&self->arena, name, strlen(name));
	assignment->value = value;
	assignment->access = access;
	assignment->invalid_access = NULL;
	prov_xml_reader_get_position(positions, start, &assignment->line, &assignment->column);
	g_ptr_array_add(self->assignments, assignment);
	*position = i + 1;
	return TRUE;
}

/**
 * prov_profile_parse_spc_text:
 * @self: a #ProvProfile
 * @data: a profile in the legacy plain-text (SPC source) syntax
 * @length: bytes in @data
 * @error: return location for a #GError
 *
 * Reads the plain-text syntax of reference 1.4, `Name[n] ! "value" ;` with
 * `#` comments, into assignments, for migrating SPC sources; it is not a
 * format fetched profiles may use. `!` gives user read-write access, `?`
 * read-only, neither no access; a statement without a quoted value leaves
 * the value unchanged. Values are taken verbatim between the quotes. An
 * `import` statement fails, since a buffer has no files beside it. Errors
 * and caps are as for prov_profile_parse().
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_profile_parse_spc_text(ProvProfile *self, const gchar *data, gsize length, GError **error)
{
	g_auto(ProvXmlReader) positions = {0};
	const gchar *invalid = NULL;
	gsize i = 0;

	g_return_val_if_fail(PROV_IS_PROFILE(self), FALSE);
	g_return_val_if_fail(data != NULL || length == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	prov_profile_reset(self);
	/* the reader is only used to turn offsets into lines and columns */
	prov_xml_reader_init(&positions, data, length, &self->limits);
	if (length > self->limits.decoded_max)
		return prov_profile_fail(self, &positions, 0, PROV_ERROR_LIMIT_EXCEEDED, error,
					 "document of %" G_GSIZE_FORMAT
					 " bytes exceeds the limit of %" G_GSIZE_FORMAT
					 " bytes (DecodedMax)",
					 length, self->limits.decoded_max);
	if (!g_utf8_validate_len(data, length, &invalid))
		return prov_profile_fail(self, &positions, (gsize)(invalid - data),
					 PROV_ERROR_CORRUPT_FILE, error, "invalid UTF-8");
	for (gsize k = 0; k < length; k++) {
		guchar c = (guchar)data[k];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return prov_profile_fail(self, &positions, k, PROV_ERROR_CORRUPT_FILE,
						 error, "character U+%04X is not allowed",
						 (guint)c);
	}
	for (;;) {
		i = prov_profile_spc_skip(data, length, i);
		if (i >= length)
			return TRUE;
		if (!prov_profile_spc_statement(self, &positions, data, length, &i, error))
			return FALSE;
	}
}

/**
 * prov_profile_get_assignments:
 * @self: a #ProvProfile
 *
 * Returns: (transfer none) (element-type ProvAssignment): the assignments of
 *   the last successful parse in document order, duplicates included (the
 *   parameter model applies the last); empty after a failure
 *
 * Since: 0.1
 */
GPtrArray *
prov_profile_get_assignments(ProvProfile *self)
{
	g_return_val_if_fail(PROV_IS_PROFILE(self), NULL);

	return self->assignments;
}

/**
 * prov_profile_get_error_line:
 * @self: a #ProvProfile
 *
 * Returns: the line of the last failed parse's error, 0 after a success
 *
 * Since: 0.1
 */
guint
prov_profile_get_error_line(ProvProfile *self)
{
	g_return_val_if_fail(PROV_IS_PROFILE(self), 0);

	return self->error_line;
}

/**
 * prov_profile_get_error_column:
 * @self: a #ProvProfile
 *
 * Returns: the column of the last failed parse's error, 0 after a success
 *
 * Since: 0.1
 */
guint
prov_profile_get_error_column(ProvProfile *self)
{
	g_return_val_if_fail(PROV_IS_PROFILE(self), 0);

	return self->error_column;
}

static void
prov_profile_finalize(GObject *object)
{
	ProvProfile *self = PROV_PROFILE(object);

	g_clear_pointer(&self->alias_map, prov_alias_map_free);
	g_clear_pointer(&self->assignments, g_ptr_array_unref);
	prov_profile_arena_free(&self->arena);
	g_clear_pointer(&self->frames, g_free);
	g_clear_pointer(&self->path, g_free);
	g_clear_pointer(&self->pieces, g_free);
	if (self->scratch != NULL)
		g_string_free(g_steal_pointer(&self->scratch), TRUE);

	G_OBJECT_CLASS(prov_profile_parent_class)->finalize(object);
}

static void
prov_profile_class_init(ProvProfileClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_profile_finalize;
}

static void
prov_profile_init(ProvProfile *self)
{
	prov_limits_init(&self->limits);
	self->assignments = g_ptr_array_new();
	self->arena.blocks = g_array_new(FALSE, FALSE, sizeof(ProvProfileBlock));
	self->arena.large = g_ptr_array_new_with_free_func(g_free);
	self->scratch = g_string_new(NULL);
}

/**
 * prov_profile_new:
 * @limits: (nullable): the caps of R17 and R25-R27, or %NULL for the defaults
 *
 * Returns: (transfer full): a new #ProvProfile
 *
 * Since: 0.1
 */
ProvProfile *
prov_profile_new(const ProvLimits *limits)
{
	ProvProfile *self = g_object_new(PROV_TYPE_PROFILE, NULL);

	if (limits != NULL)
		self->limits = *limits;
	return self;
}
