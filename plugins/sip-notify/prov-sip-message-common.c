/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>
#include <prov-error.h>
#include <string.h>

#include "prov-sip-message.h"

/* RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
 */
static gboolean
prov_sip_is_token_char(gchar c)
{
	return g_ascii_isalnum(c) || strchr("-.!%*_+`'~", c) != NULL;
}

static gboolean
prov_sip_is_token(const gchar *text, gsize len)
{
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (text[i] == '\0' || !prov_sip_is_token_char(text[i]))
			return FALSE;
	}
	return TRUE;
}

/* the header section carries text: tabs, printable ASCII and UTF-8, nothing else */
static gboolean
prov_sip_is_text(const gchar *text, gsize len)
{
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)text[i];

		if (c != '\t' && (c < 0x20 || c == 0x7f))
			return FALSE;
	}
	return g_utf8_validate_len(text, len, NULL);
}

static gboolean
prov_sip_is_space(gchar c)
{
	return c == ' ' || c == '\t';
}

/* one line of a header section known to end with LF; CR LF and LF both end a line */
static gboolean
prov_sip_next_line(const gchar **cursor, const gchar *end, const gchar **line, gsize *line_len)
{
	const gchar *newline;

	if (*cursor >= end)
		return FALSE;
	newline = memchr(*cursor, '\n', (gsize)(end - *cursor));
	if (newline == NULL)
		newline = end;
	*line = *cursor;
	*line_len = (gsize)(newline - *cursor);
	if (*line_len > 0 && (*line)[*line_len - 1] == '\r')
		(*line_len)--;
	*cursor = newline < end ? newline + 1 : end;
	return TRUE;
}

typedef struct {
	const gchar *name;
	gsize name_len;
	/* raw: continuation lines are still folded in */
	const gchar *value;
	gsize value_len;
} ProvSipField;

/* the next header field of a section that prov_sip_check_section() accepted */
static gboolean
prov_sip_next_field(const gchar **cursor, const gchar *end, ProvSipField *field)
{
	const gchar *line;
	const gchar *colon;
	gsize line_len;

	if (!prov_sip_next_line(cursor, end, &line, &line_len) || line_len == 0)
		return FALSE;
	colon = memchr(line, ':', line_len);
	g_assert(colon != NULL);
	field->name = line;
	field->name_len = (gsize)(colon - line);
	while (field->name_len > 0 && prov_sip_is_space(line[field->name_len - 1]))
		field->name_len--;
	field->value = colon + 1;
	while (field->value < line + line_len && prov_sip_is_space(*field->value))
		field->value++;
	field->value_len = (gsize)(line + line_len - field->value);
	/* RFC 3261 7.3.1: a line that starts with white space continues the field */
	while (*cursor < end && prov_sip_is_space(**cursor)) {
		const gchar *next;
		gsize next_len;

		prov_sip_next_line(cursor, end, &next, &next_len);
		field->value_len = (gsize)(next + next_len - field->value);
	}
	return TRUE;
}

static gboolean
prov_sip_field_is(const ProvSipField *field, const gchar *name, const gchar *compact)
{
	gsize len = strlen(name);

	if (field->name_len == len && g_ascii_strncasecmp(field->name, name, len) == 0)
		return TRUE;
	return compact != NULL && field->name_len == 1 &&
	       g_ascii_tolower(field->name[0]) == compact[0];
}

/*
 * a field's value on one line: each fold becomes one space, ends trimmed;
 * %NULL when it holds anything but text
 */
static gchar *
prov_sip_field_unfold(const ProvSipField *field)
{
	g_autoptr(GString) value = g_string_sized_new(field->value_len);
	gboolean folded = FALSE;

	for (gsize i = 0; i < field->value_len; i++) {
		gchar c = field->value[i];

		if (c == '\r' || c == '\n') {
			folded = TRUE;
			continue;
		}
		if (folded && prov_sip_is_space(c))
			continue;
		if (folded && value->len > 0)
			g_string_append_c(value, ' ');
		folded = FALSE;
		g_string_append_c(value, c);
	}
	while (value->len > 0 && prov_sip_is_space(value->str[value->len - 1]))
		g_string_truncate(value, value->len - 1);
	if (!prov_sip_is_text(value->str, value->len))
		return NULL;
	return g_string_free(g_steal_pointer(&value), FALSE);
}

/* the end of the header section: the first empty line, within @len bytes */
static gboolean
prov_sip_find_section_end(const gchar *text, gsize len, gsize *header_len)
{
	const gchar *cursor = text;
	const gchar *end = text + len;

	while (cursor < end) {
		const gchar *newline = memchr(cursor, '\n', (gsize)(end - cursor));
		gsize line_len;

		if (newline == NULL)
			return FALSE;
		line_len = (gsize)(newline - cursor);
		if (line_len > 0 && cursor[line_len - 1] == '\r')
			line_len--;
		if (line_len == 0 && cursor > text) {
			*header_len = (gsize)(newline + 1 - text);
			return TRUE;
		}
		cursor = newline + 1;
	}
	return FALSE;
}

/* R24: every cap and the shape of each line, before a parser reads any of it */
static gboolean
prov_sip_check_section(const gchar *section,
		       gsize header_len,
		       gboolean *has_content_length,
		       guint64 *content_length,
		       GError **error)
{
	const gchar *cursor = section;
	const gchar *end = section + header_len;
	const gchar *line;
	gsize line_len;
	gsize field_len = 0;
	guint n_fields = 0;
	guint n_content_length = 0;
	ProvSipField field;

	prov_sip_next_line(&cursor, end, &line, &line_len);
	if (line_len > PROV_SIP_START_LINE_MAX) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "start line longer than %u bytes", PROV_SIP_START_LINE_MAX);
		return FALSE;
	}
	if (!prov_sip_is_text(line, line_len) || prov_sip_is_space(line[0])) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "start line with control characters or invalid UTF-8");
		return FALSE;
	}
	while (prov_sip_next_line(&cursor, end, &line, &line_len) && line_len > 0) {
		const gchar *colon;
		gsize name_len;

		if (!prov_sip_is_text(line, line_len)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "header line %u has control characters or invalid UTF-8",
				    n_fields + 1);
			return FALSE;
		}
		if (prov_sip_is_space(line[0])) {
			if (n_fields == 0) {
				g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
						    "continuation line before the first header");
				return FALSE;
			}
			field_len += line_len + 2;
		} else {
			if (++n_fields > PROV_SIP_HEADERS_MAX) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
					    "more than %u header fields", PROV_SIP_HEADERS_MAX);
				return FALSE;
			}
			colon = memchr(line, ':', line_len);
			if (colon == NULL) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "header line %u has no colon", n_fields);
				return FALSE;
			}
			name_len = (gsize)(colon - line);
			while (name_len > 0 && prov_sip_is_space(line[name_len - 1]))
				name_len--;
			if (!prov_sip_is_token(line, name_len)) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "header line %u has an invalid name", n_fields);
				return FALSE;
			}
			field_len = line_len;
		}
		if (field_len > PROV_SIP_HEADER_LINE_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "header field %u longer than %u bytes", n_fields,
				    PROV_SIP_HEADER_LINE_MAX);
			return FALSE;
		}
	}

	*has_content_length = FALSE;
	*content_length = 0;
	cursor = section;
	prov_sip_next_line(&cursor, end, &line, &line_len);
	while (prov_sip_next_field(&cursor, end, &field)) {
		g_autofree gchar *value = NULL;
		gsize value_len;

		if (!prov_sip_field_is(&field, "content-length", "l"))
			continue;
		/* two lengths leave the framing to whoever reads which one (smuggling) */
		if (++n_content_length > 1) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "repeated Content-Length");
			return FALSE;
		}
		value = prov_sip_field_unfold(&field);
		value_len = value != NULL ? strlen(value) : 0;
		if (value_len == 0 || value_len > 10 || strspn(value, "0123456789") != value_len) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "Content-Length is not a decimal number");
			return FALSE;
		}
		*content_length = g_ascii_strtoull(value, NULL, 10);
		*has_content_length = TRUE;
	}
	if (*content_length > PROV_SIP_BODY_MAX) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "Content-Length %" G_GUINT64_FORMAT " exceeds %u bytes",
			    *content_length, PROV_SIP_BODY_MAX);
		return FALSE;
	}
	return TRUE;
}

/**
 * prov_sip_frame_scan:
 * @data: a datagram, or the bytes buffered from a stream
 * @len: the number of bytes at @data
 * @stream: %TRUE for TCP (RFC 3261 18.3: Content-Length frames the message,
 *   more may follow), %FALSE for UDP (the message is the whole datagram)
 * @frame: (out): where the message lies in @data
 * @error: the reason for %PROV_SIP_FRAME_INVALID
 *
 * Finds the message at the start of @data and checks its framing: the caps
 * of the header section, the bytes allowed in it, and Content-Length.
 * Over UDP Content-Length must count exactly the bytes after the header
 * section; a datagram with more (two messages, or trailing garbage) is
 * refused, stricter than RFC 3261 18.3, so that a trigger is never acted on
 * from a message whose end is ambiguous. Over TCP it is required.
 *
 * %PROV_SIP_FRAME_INCOMPLETE with @frame's skipped equal to @len means that
 * @data held only CR and LF keep-alives.
 */
ProvSipFrameStatus
prov_sip_frame_scan(
    const guint8 *data, gsize len, gboolean stream, ProvSipFrame *frame, GError **error)
{
	const gchar *text = (const gchar *)data;
	const gchar *section;
	gsize start = 0;
	gsize header_len = 0;
	gsize available;
	gboolean has_content_length = FALSE;
	guint64 content_length = 0;

	memset(frame, 0, sizeof(*frame));
	while (start < len && (text[start] == '\r' || text[start] == '\n'))
		start++;
	frame->skipped = start;
	frame->total_len = start;
	if (start == len)
		return PROV_SIP_FRAME_INCOMPLETE;
	section = text + start;
	if (!prov_sip_find_section_end(section, MIN(len - start, PROV_SIP_HEADER_SECTION_MAX),
				       &header_len)) {
		if (len - start >= PROV_SIP_HEADER_SECTION_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "header section longer than %u bytes",
				    PROV_SIP_HEADER_SECTION_MAX);
			return PROV_SIP_FRAME_INVALID;
		}
		if (stream)
			return PROV_SIP_FRAME_INCOMPLETE;
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "datagram without the empty line that ends the header section");
		return PROV_SIP_FRAME_INVALID;
	}
	frame->header_len = header_len;
	frame->is_response = header_len >= 4 && memcmp(section, "SIP/", 4) == 0;
	frame->is_ack = header_len >= 4 && memcmp(section, "ACK ", 4) == 0;
	if (!prov_sip_check_section(section, header_len, &has_content_length, &content_length,
				    error))
		return PROV_SIP_FRAME_INVALID;

	available = len - start - header_len;
	if (!has_content_length) {
		if (stream) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "message without Content-Length on a stream");
			return PROV_SIP_FRAME_INVALID;
		}
		if (available > PROV_SIP_BODY_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "body longer than %u bytes", PROV_SIP_BODY_MAX);
			return PROV_SIP_FRAME_INVALID;
		}
		content_length = available;
	} else if (stream) {
		if (content_length > available)
			return PROV_SIP_FRAME_INCOMPLETE;
	} else if (content_length != available) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
			    "Content-Length %" G_GUINT64_FORMAT " but %" G_GSIZE_FORMAT
			    " bytes follow the header section",
			    content_length, available);
		return PROV_SIP_FRAME_INVALID;
	}
	frame->body_len = (gsize)content_length;
	frame->total_len = start + header_len + frame->body_len;
	return PROV_SIP_FRAME_COMPLETE;
}

void
prov_sip_echo_free(ProvSipEcho *echo)
{
	if (echo == NULL)
		return;
	g_clear_pointer(&echo->vias, g_ptr_array_unref);
	g_free(echo->from);
	g_free(echo->to);
	g_free(echo->call_id);
	g_free(echo->cseq);
	g_free(echo);
}

static gboolean
prov_sip_echo_take_single(gchar **slot, gchar *value)
{
	/* two From (or To, Call-ID, CSeq) fields: no response could be right */
	if (*slot != NULL) {
		g_free(value);
		return FALSE;
	}
	*slot = value;
	return TRUE;
}

/**
 * prov_sip_echo_new_from_frame:
 * @data: the bytes given to prov_sip_frame_scan()
 * @frame: its result, with the end of the header section known
 *
 * The header fields a response must copy (RFC 3261 8.2.6.2), from the raw
 * lines, for answering a message that cannot be parsed: every Via (v), and
 * exactly one From (f), To (t), Call-ID (i) and CSeq, each of them text,
 * not empty and within %PROV_SIP_HEADER_LINE_MAX. Other lines may be
 * anything: they are not read.
 *
 * Returns: (nullable): the fields, or %NULL when a response cannot be built
 *   (the message is then dropped)
 */
ProvSipEcho *
prov_sip_echo_new_from_frame(const guint8 *data, const ProvSipFrame *frame)
{
	g_autoptr(ProvSipEcho) echo = NULL;
	const gchar *section = (const gchar *)data + frame->skipped;
	const gchar *end = section + frame->header_len;
	const gchar *cursor = section;
	const gchar *line;
	gsize line_len;
	ProvSipField field;

	if (frame->header_len == 0 || frame->is_response || frame->is_ack)
		return NULL;
	echo = g_new0(ProvSipEcho, 1);
	echo->vias = g_ptr_array_new_with_free_func(g_free);
	prov_sip_next_line(&cursor, end, &line, &line_len);
	while (cursor < end) {
		const gchar *peek = cursor;
		gchar **slot = NULL;
		gchar *value;

		if (!prov_sip_next_line(&peek, end, &line, &line_len) || line_len == 0)
			break;
		/* the checks of prov_sip_frame_scan() may have failed: skip what is no field */
		if (prov_sip_is_space(line[0]) || memchr(line, ':', line_len) == NULL) {
			cursor = peek;
			continue;
		}
		prov_sip_next_field(&cursor, end, &field);
		if (prov_sip_field_is(&field, "from", "f"))
			slot = &echo->from;
		else if (prov_sip_field_is(&field, "to", "t"))
			slot = &echo->to;
		else if (prov_sip_field_is(&field, "call-id", "i"))
			slot = &echo->call_id;
		else if (prov_sip_field_is(&field, "cseq", NULL))
			slot = &echo->cseq;
		else if (!prov_sip_field_is(&field, "via", "v"))
			continue;
		value = field.value_len <= PROV_SIP_HEADER_LINE_MAX ? prov_sip_field_unfold(&field)
								    : NULL;
		if (value == NULL || value[0] == '\0') {
			g_free(value);
			return NULL;
		}
		if (slot == NULL)
			g_ptr_array_add(echo->vias, value);
		else if (!prov_sip_echo_take_single(slot, value))
			return NULL;
	}
	if (echo->vias->len == 0 || echo->from == NULL || echo->to == NULL ||
	    echo->call_id == NULL || echo->cseq == NULL)
		return NULL;
	return g_steal_pointer(&echo);
}

/* the offset of the first @c outside a quoted string, or @len */
static gsize
prov_sip_find_unquoted(const gchar *text, gsize len, gchar c)
{
	gboolean quoted = FALSE;

	for (gsize i = 0; i < len; i++) {
		if (quoted && text[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (text[i] == '"')
			quoted = !quoted;
		else if (!quoted && text[i] == c)
			return i;
	}
	return len;
}

/* whether the ';'-separated parameters in @params name @name, and if it has a value */
static gboolean
prov_sip_params_find(const gchar *params, gsize len, const gchar *name, gsize *offset)
{
	gsize name_len = strlen(name);
	gsize at = prov_sip_find_unquoted(params, len, ';');

	while (at < len) {
		gsize start = at + 1;
		gsize next = start + prov_sip_find_unquoted(params + start, len - start, ';');
		gsize param_end = next;
		gsize name_end;

		while (start < param_end && prov_sip_is_space(params[start]))
			start++;
		name_end = start;
		while (name_end < param_end && params[name_end] != '=' &&
		       !prov_sip_is_space(params[name_end]))
			name_end++;
		if (name_end - start == name_len &&
		    g_ascii_strncasecmp(params + start, name, name_len) == 0) {
			if (offset != NULL)
				*offset = name_end;
			return TRUE;
		}
		at = next;
	}
	return FALSE;
}

/*
 * RFC 3261 18.2.1 and RFC 3581: the top Via gets received= when its sent-by
 * is not the packet's source, and an empty rport gets the source port
 */
void
prov_sip_echo_set_received(ProvSipEcho *echo,
			   const gchar *via_host,
			   gboolean via_rport,
			   const gchar *source_ip,
			   guint16 source_port)
{
	const gchar *top;
	gsize element_len;
	gsize rport_end = 0;
	GString *value;
	g_autofree gchar *host = NULL;

	if (echo == NULL || echo->vias->len == 0 || source_ip == NULL)
		return;
	top = g_ptr_array_index(echo->vias, 0);
	element_len = prov_sip_find_unquoted(top, strlen(top), ',');
	value = g_string_new_len(top, (gssize)element_len);
	while (value->len > 0 && prov_sip_is_space(value->str[value->len - 1]))
		g_string_truncate(value, value->len - 1);
	if (via_rport && prov_sip_params_find(value->str, value->len, "rport", &rport_end) &&
	    (rport_end >= value->len || value->str[rport_end] != '=')) {
		g_autofree gchar *port = g_strdup_printf("=%u", source_port);

		g_string_insert(value, (gssize)rport_end, port);
	}
	if (via_host != NULL && via_host[0] == '[' && strlen(via_host) >= 2 &&
	    via_host[strlen(via_host) - 1] == ']')
		host = g_strndup(via_host + 1, strlen(via_host) - 2);
	else
		host = g_strdup(via_host);
	if ((via_rport || g_strcmp0(host, source_ip) != 0) &&
	    !prov_sip_params_find(value->str, value->len, "received", NULL)) {
		g_string_append(value, ";received=");
		g_string_append(value, source_ip);
	}
	g_string_append(value, top + element_len);
	g_ptr_array_index(echo->vias, 0) = g_string_free(value, FALSE);
	g_free((gchar *)top);
}

/* a quoted-string's content with its escapes resolved; other text as it is */
static gchar *
prov_sip_unquote(const gchar *text)
{
	GString *value;
	gsize len;

	if (text == NULL)
		return NULL;
	len = strlen(text);
	if (len < 2 || text[0] != '"' || text[len - 1] != '"')
		return g_strdup(text);
	value = g_string_sized_new(len);
	for (gsize i = 1; i + 1 < len; i++) {
		if (text[i] == '\\' && i + 2 < len)
			i++;
		g_string_append_c(value, text[i]);
	}
	return g_string_free(value, FALSE);
}

void
prov_sip_authorization_free(ProvSipAuthorization *authorization)
{
	if (authorization == NULL)
		return;
	g_free(authorization->username);
	g_free(authorization->realm);
	g_free(authorization->nonce);
	g_free(authorization->uri);
	g_free(authorization->response);
	g_free(authorization->algorithm);
	g_free(authorization->cnonce);
	g_free(authorization->qop);
	g_free(authorization->nc);
	g_free(authorization->opaque);
	g_free(authorization);
}

void
prov_sip_message_free(ProvSipMessage *message)
{
	if (message == NULL)
		return;
	g_free(message->method);
	g_free(message->request_uri);
	g_free(message->uri_scheme);
	g_free(message->uri_user);
	g_free(message->uri_host);
	g_free(message->call_id);
	g_free(message->cseq_method);
	g_clear_pointer(&message->events, g_ptr_array_unref);
	g_free(message->content_type);
	g_clear_pointer(&message->body, g_bytes_unref);
	g_clear_pointer(&message->authorizations, g_ptr_array_unref);
	g_free(message->via_host);
	prov_sip_echo_free(message->echo);
	g_free(message);
}

static void
prov_sip_osip_message_free(osip_message_t *sip)
{
	osip_message_free(sip);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(osip_message_t, prov_sip_osip_message_free)

static void
prov_sip_osip_trace_cb(
    const char *file, int line, osip_trace_level_t level, const char *format, va_list args)
{
	/* libosip2's own diagnostics would go to stdout; the trigger logs what it refuses */
}

/*
 * libosip2 looks header names up in a table that parser_init() fills, once;
 * its trace (Debian builds it in) is silenced
 */
static void
prov_sip_osip_init(void)
{
	static gsize ready = 0;

	if (g_once_init_enter(&ready)) {
		parser_init();
		osip_trace_initialize_func(TRACE_LEVEL0, prov_sip_osip_trace_cb);
		g_once_init_leave(&ready, 1);
	}
}

/*
 * The header section without its Content-Type field, for libosip2: with a
 * Content-Type it would parse the body too (multipart included), trusting
 * Content-Length. The trigger reads the body itself, and the type from
 * @content_type.
 */
static GString *
prov_sip_section_for_osip(const gchar *section,
			  gsize header_len,
			  gchar **content_type,
			  GError **error)
{
	g_autoptr(GString) copy = g_string_sized_new(header_len);
	const gchar *cursor = section;
	const gchar *end = section + header_len;
	const gchar *line;
	gsize line_len;
	gboolean skipping = FALSE;

	*content_type = NULL;
	prov_sip_next_line(&cursor, end, &line, &line_len);
	g_string_append_len(copy, line, (gssize)line_len);
	g_string_append(copy, "\r\n");
	while (cursor < end) {
		const gchar *start = cursor;
		ProvSipField field;

		if (!prov_sip_next_line(&cursor, end, &line, &line_len) || line_len == 0)
			break;
		if (prov_sip_is_space(line[0])) {
			if (!skipping) {
				g_string_append_len(copy, line, (gssize)line_len);
				g_string_append(copy, "\r\n");
			}
			continue;
		}
		cursor = start;
		prov_sip_next_field(&cursor, end, &field);
		cursor = start;
		prov_sip_next_line(&cursor, end, &line, &line_len);
		skipping = prov_sip_field_is(&field, "content-type", "c");
		if (!skipping) {
			g_string_append_len(copy, line, (gssize)line_len);
			g_string_append(copy, "\r\n");
			continue;
		}
		if (*content_type != NULL) {
			g_clear_pointer(content_type, g_free);
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "malformed request: repeated Content-Type");
			return NULL;
		}
		*content_type = prov_sip_field_unfold(&field);
	}
	g_string_append(copy, "\r\n");
	return g_steal_pointer(&copy);
}

static gchar *
prov_sip_parse_content_type(const gchar *value)
{
	osip_content_type_t *content_type = NULL;
	gchar *result = NULL;

	if (osip_content_type_init(&content_type) != OSIP_SUCCESS)
		return NULL;
	if (osip_content_type_parse(content_type, value) == OSIP_SUCCESS &&
	    content_type->type != NULL && content_type->subtype != NULL) {
		g_autofree gchar *type =
		    g_strconcat(content_type->type, "/", content_type->subtype, NULL);

		result = g_ascii_strdown(type, -1);
	}
	osip_content_type_free(content_type);
	return result;
}

static gboolean
prov_sip_message_fail(GError **error, const gchar *reason)
{
	g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL, "malformed request: %s", reason);
	return FALSE;
}

static gboolean
prov_sip_message_fill(ProvSipMessage *message,
		      osip_message_t *sip,
		      const gchar *start_line,
		      gsize start_line_len,
		      GError **error)
{
	osip_via_t *via;
	osip_generic_param_t *rport = NULL;
	const gchar *uri_start;
	const gchar *uri_end;
	gint64 cseq = 0;

	if (!MSG_IS_REQUEST(sip) || sip->sip_method == NULL || sip->req_uri == NULL)
		return prov_sip_message_fail(error, "not a request");
	if (!prov_sip_is_token(sip->sip_method, strlen(sip->sip_method)))
		return prov_sip_message_fail(error, "invalid method");
	if (g_strcmp0(sip->sip_version, "SIP/2.0") != 0)
		return prov_sip_message_fail(error, "not SIP/2.0");
	message->method = g_strdup(sip->sip_method);

	/* the digest uri is compared with the Request-URI as the client wrote it */
	uri_start = memchr(start_line, ' ', start_line_len);
	uri_end = uri_start != NULL ? memchr(uri_start + 1, ' ',
					     (gsize)(start_line + start_line_len - uri_start - 1))
				    : NULL;
	if (uri_end == NULL || uri_end == uri_start + 1)
		return prov_sip_message_fail(error, "no Request-URI");
	message->request_uri = g_strndup(uri_start + 1, (gsize)(uri_end - uri_start - 1));
	message->uri_scheme =
	    g_ascii_strdown(sip->req_uri->scheme != NULL ? sip->req_uri->scheme : "", -1);
	message->uri_user = g_strdup(sip->req_uri->username);
	message->uri_host = g_strdup(sip->req_uri->host);

	via = osip_list_get(&sip->vias, 0);
	if (via == NULL || via->host == NULL)
		return prov_sip_message_fail(error, "no Via");
	message->via_host = g_strdup(via->host);
	osip_via_param_get_byname(via, "rport", &rport);
	message->via_rport = rport != NULL;
	if (sip->from == NULL || sip->to == NULL || sip->from->url == NULL || sip->to->url == NULL)
		return prov_sip_message_fail(error, "no From or To");
	if (sip->call_id == NULL || sip->call_id->number == NULL)
		return prov_sip_message_fail(error, "no Call-ID");
	message->call_id = sip->call_id->host != NULL
			       ? g_strconcat(sip->call_id->number, "@", sip->call_id->host, NULL)
			       : g_strdup(sip->call_id->number);
	if (sip->cseq == NULL || sip->cseq->number == NULL || sip->cseq->method == NULL)
		return prov_sip_message_fail(error, "no CSeq");
	/* RFC 3261 8.1.1.5: a 32-bit number, and the request's own method */
	if (strlen(sip->cseq->number) > 10 ||
	    strspn(sip->cseq->number, "0123456789") != strlen(sip->cseq->number) ||
	    (cseq = g_ascii_strtoll(sip->cseq->number, NULL, 10)) > G_MAXINT32)
		return prov_sip_message_fail(error, "invalid CSeq number");
	if (g_strcmp0(sip->cseq->method, sip->sip_method) != 0)
		return prov_sip_message_fail(error, "CSeq method is not the request's");
	message->cseq_number = (guint32)cseq;
	message->cseq_method = g_strdup(sip->cseq->method);

	message->events = g_ptr_array_new_with_free_func(g_free);
	for (gint i = 0; i < osip_list_size(&sip->headers); i++) {
		osip_header_t *header = osip_list_get(&sip->headers, i);

		/* RFC 6665 8.2.1: Event, compact form o; libosip2 lowers unknown names */
		if (header->hname != NULL &&
		    (g_str_equal(header->hname, "event") || g_str_equal(header->hname, "o")))
			g_ptr_array_add(message->events,
					g_strdup(header->hvalue != NULL ? header->hvalue : ""));
	}

	message->authorizations =
	    g_ptr_array_new_with_free_func((GDestroyNotify)prov_sip_authorization_free);
	for (gint i = 0; i < osip_list_size(&sip->authorizations); i++) {
		osip_authorization_t *source = osip_list_get(&sip->authorizations, i);
		ProvSipAuthorization *authorization;

		if (source->auth_type == NULL ||
		    g_ascii_strcasecmp(source->auth_type, "Digest") != 0)
			continue;
		authorization = g_new0(ProvSipAuthorization, 1);
		authorization->username = prov_sip_unquote(source->username);
		authorization->realm = prov_sip_unquote(source->realm);
		authorization->nonce = prov_sip_unquote(source->nonce);
		authorization->uri = prov_sip_unquote(source->uri);
		authorization->response = prov_sip_unquote(source->response);
		authorization->algorithm = prov_sip_unquote(source->algorithm);
		authorization->cnonce = prov_sip_unquote(source->cnonce);
		authorization->qop = prov_sip_unquote(source->message_qop);
		authorization->nc = prov_sip_unquote(source->nonce_count);
		authorization->opaque = prov_sip_unquote(source->opaque);
		g_ptr_array_add(message->authorizations, authorization);
	}
	return TRUE;
}

/**
 * prov_sip_message_parse:
 * @data: the bytes given to prov_sip_frame_scan()
 * @frame: its %PROV_SIP_FRAME_COMPLETE result
 * @error: return location for a #GError
 *
 * Parses a request with libosip2. Only the header section, checked by
 * prov_sip_frame_scan(), reaches libosip2, without Content-Type so that it
 * does not look for a body; the body is kept as bytes, its length being
 * known already, and the type is parsed on its own.
 *
 * Returns: (transfer full) (nullable): the request, or %NULL with
 *   %PROV_ERROR_PROTOCOL when it is malformed or misses a mandatory header
 */
ProvSipMessage *
prov_sip_message_parse(const guint8 *data, const ProvSipFrame *frame, GError **error)
{
	g_autoptr(ProvSipMessage) message = g_new0(ProvSipMessage, 1);
	g_autoptr(osip_message_t) sip = NULL;
	g_autoptr(GString) headers = NULL;
	g_autofree gchar *content_type = NULL;
	const gchar *section = (const gchar *)data + frame->skipped;
	const gchar *newline;

	g_return_val_if_fail(frame->header_len > 0, NULL);

	prov_sip_osip_init();
	headers = prov_sip_section_for_osip(section, frame->header_len, &content_type, error);
	if (headers == NULL)
		return NULL;
	if (content_type != NULL) {
		message->content_type = prov_sip_parse_content_type(content_type);
		if (message->content_type == NULL) {
			prov_sip_message_fail(error, "invalid Content-Type");
			return NULL;
		}
	}
	if (osip_message_init(&sip) != OSIP_SUCCESS) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "out of memory");
		return NULL;
	}
	if (osip_message_parse(sip, headers->str, headers->len) != OSIP_SUCCESS) {
		prov_sip_message_fail(error, "the SIP grammar does not match");
		return NULL;
	}
	newline = memchr(section, '\n', frame->header_len);
	if (!prov_sip_message_fill(message, sip, section,
				   (gsize)(newline - section) -
				       (newline > section && newline[-1] == '\r' ? 1 : 0),
				   error))
		return NULL;
	message->body = g_bytes_new(section + frame->header_len, frame->body_len);
	message->echo = prov_sip_echo_new_from_frame(data, frame);
	if (message->echo == NULL) {
		prov_sip_message_fail(error, "Via, From, To, Call-ID or CSeq unusable");
		return NULL;
	}
	return g_steal_pointer(&message);
}

/**
 * prov_sip_message_find_authorization:
 * @message: a request
 * @realm: a realm the trigger challenges with
 *
 * Returns: (nullable) (transfer none): the first Digest credentials for
 *   @realm (RFC 3261 22.2: a client answers each realm it knows)
 */
const ProvSipAuthorization *
prov_sip_message_find_authorization(const ProvSipMessage *message, const gchar *realm)
{
	for (guint i = 0; i < message->authorizations->len; i++) {
		const ProvSipAuthorization *authorization =
		    g_ptr_array_index(message->authorizations, i);

		if (g_strcmp0(authorization->realm, realm) == 0)
			return authorization;
	}
	return NULL;
}

/**
 * prov_sip_event_parse:
 * @value: an Event header value, `check-sync;reboot=true`
 * @package: (out): the event package, `check-sync`
 * @params: (out): the parameters, names in lower case, values unquoted
 *   (the empty string for a parameter without a value)
 * @error: return location for a #GError
 *
 * Returns: %FALSE when @value is not `token *(;param)` (RFC 6665 8.2.1)
 */
gboolean
prov_sip_event_parse(const gchar *value, gchar **package, GHashTable **params, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(value, ";", -1);
	g_autoptr(GHashTable) table =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autofree gchar *name = NULL;

	name = g_strstrip(g_strdup(parts[0] != NULL ? parts[0] : ""));
	if (!prov_sip_is_token(name, strlen(name))) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "malformed request: invalid Event package");
		return FALSE;
	}
	for (guint i = 1; parts[0] != NULL && parts[i] != NULL; i++) {
		g_auto(GStrv) pair = g_strsplit(parts[i], "=", 2);
		/* an empty parameter (`resync;`) splits into nothing */
		g_autofree gchar *key =
		    g_strstrip(g_ascii_strdown(pair[0] != NULL ? pair[0] : "", -1));

		if (!prov_sip_is_token(key, strlen(key)) || g_hash_table_contains(table, key)) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
					    "malformed request: invalid Event parameter");
			return FALSE;
		}
		g_hash_table_insert(table, g_steal_pointer(&key),
				    pair[0] != NULL && pair[1] != NULL
					? prov_sip_unquote(g_strstrip(pair[1]))
					: g_strdup(""));
	}
	*package = g_steal_pointer(&name);
	*params = g_steal_pointer(&table);
	return TRUE;
}

/* RFC 3261 21 and RFC 6665 8.3.1 */
const gchar *
prov_sip_status_to_reason(guint status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 405:
		return "Method Not Allowed";
	case 415:
		return "Unsupported Media Type";
	case 416:
		return "Unsupported URI Scheme";
	case 488:
		return "Not Acceptable Here";
	case 489:
		return "Bad Event";
	case 500:
		return "Server Internal Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	default:
		return "Unknown";
	}
}

/* RFC 3261 8.2.6.2: whether To already carries a tag (in or out of a dialog) */
static gboolean
prov_sip_to_has_tag(const gchar *to)
{
	gsize len = strlen(to);
	gsize open = prov_sip_find_unquoted(to, len, '<');
	gsize params = 0;

	if (open < len) {
		const gchar *close = memchr(to + open, '>', len - open);

		if (close == NULL)
			return FALSE;
		params = (gsize)(close - to);
	}
	return prov_sip_params_find(to + params, len - params, "tag", NULL);
}

/**
 * prov_sip_response_build:
 * @echo: the request's Via, From, To, Call-ID and CSeq
 * @status: the status code; the reason phrase is the standard one
 * @to_tag: (nullable): added to To when it has no tag yet
 * @extra_headers: (nullable) (array zero-terminated=1): whole header lines
 *   without CR LF, from the trigger (never from the request)
 *
 * Returns: (transfer full): the response, without a body
 */
GBytes *
prov_sip_response_build(const ProvSipEcho *echo,
			guint status,
			const gchar *to_tag,
			const gchar *const *extra_headers)
{
	GString *response = g_string_sized_new(512);

	g_string_append_printf(response, "SIP/2.0 %u %s\r\n", status,
			       prov_sip_status_to_reason(status));
	for (guint i = 0; i < echo->vias->len; i++) {
		g_string_append(response, "Via: ");
		g_string_append(response, g_ptr_array_index(echo->vias, i));
		g_string_append(response, "\r\n");
	}
	g_string_append(response, "From: ");
	g_string_append(response, echo->from);
	g_string_append(response, "\r\nTo: ");
	g_string_append(response, echo->to);
	if (to_tag != NULL && !prov_sip_to_has_tag(echo->to)) {
		g_string_append(response, ";tag=");
		g_string_append(response, to_tag);
	}
	g_string_append(response, "\r\nCall-ID: ");
	g_string_append(response, echo->call_id);
	g_string_append(response, "\r\nCSeq: ");
	g_string_append(response, echo->cseq);
	g_string_append(response, "\r\n");
	for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++) {
		g_string_append(response, extra_headers[i]);
		g_string_append(response, "\r\n");
	}
	g_string_append(response, "Content-Length: 0\r\n\r\n");
	return g_string_free_to_bytes(response);
}
