/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvRule"

#include "config.h"

#include "prov-error.h"
#include "prov-rule-private.h"

/* line breaks from the XML have already become spaces, but a D-Bus caller may send tabs */
gboolean
prov_rule_is_space(gchar c)
{
	return g_ascii_isspace(c);
}

void
prov_rule_set_syntax_error(GError **error, gsize pos, const gchar *reason)
{
	g_set_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX, "column %" G_GSIZE_FORMAT ": %s",
		    pos + 1, reason);
}

static gboolean
prov_rule_is_octal(gchar c)
{
	return c >= '0' && c <= '7';
}

/*
 * reference 4.2: `\NNN` is three octal digits (`\043` is `#`, `\134` a
 * backslash); a NUL byte would silently cut the passphrase short, and values
 * past 0377 are not bytes, so both are refused rather than guessed at
 */
static gboolean
prov_rule_read_octal(const gchar *text, gsize len, gsize pos, guchar *byte, GError **error)
{
	guint value;

	if (pos + 3 >= len || !prov_rule_is_octal(text[pos + 1]) ||
	    !prov_rule_is_octal(text[pos + 2]) || !prov_rule_is_octal(text[pos + 3]))
		return FALSE;
	value = (guint)(text[pos + 1] - '0') * 64 + (guint)(text[pos + 2] - '0') * 8 +
		(guint)(text[pos + 3] - '0');
	if (value > 0xff) {
		prov_rule_set_syntax_error(error, pos, "octal escape is out of range");
		return FALSE;
	}
	if (value == 0) {
		prov_rule_set_syntax_error(error, pos, "octal escape \\000 is not allowed");
		return FALSE;
	}
	*byte = (guchar)value;
	return TRUE;
}

/* for scanners that only need the end: `\` always protects the next byte */
gboolean
prov_rule_skip_quoted(const gchar *text, gsize len, gsize *pos)
{
	for (gsize i = *pos + 1; i < len; i++) {
		if (text[i] == '\\') {
			i++;
			continue;
		}
		if (text[i] == '"') {
			*pos = i + 1;
			return TRUE;
		}
	}
	return FALSE;
}

/* QUOTED of reference 4.1: `\NNN` is an octal byte, `\` before anything else takes it literally */
gboolean
prov_rule_read_quoted(const gchar *text, gsize len, gsize *pos, GString *value, GError **error)
{
	gsize open = *pos;

	for (gsize i = open + 1; i < len; i++) {
		guchar byte = 0;
		g_autoptr(GError) error_local = NULL;

		if (text[i] == '"') {
			*pos = i + 1;
			return TRUE;
		}
		if (text[i] != '\\') {
			if (value != NULL)
				g_string_append_c(value, text[i]);
			continue;
		}
		if (prov_rule_read_octal(text, len, i, &byte, &error_local)) {
			if (value != NULL)
				g_string_append_c(value, (gchar)byte);
			i += 3;
			continue;
		}
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (i + 1 >= len)
			break;
		i++;
		if (value != NULL)
			g_string_append_c(value, text[i]);
	}
	prov_rule_set_syntax_error(error, open, "unterminated quoted string");
	return FALSE;
}

/*
 * BARE of reference 4.1 runs to whitespace or `]`; the manuals offer octal
 * escapes as the way to write special characters there, so any other
 * backslash is an ordinary character (and cannot hide a `]`)
 */
gboolean
prov_rule_read_bare(const gchar *text, gsize len, gsize *pos, GString *value, GError **error)
{
	gsize i = *pos;

	while (i < len && !prov_rule_is_space(text[i]) && text[i] != ']') {
		guchar byte = 0;
		g_autoptr(GError) error_local = NULL;

		if (text[i] == '\\' && prov_rule_read_octal(text, len, i, &byte, &error_local)) {
			if (value != NULL)
				g_string_append_c(value, (gchar)byte);
			i += 4;
			continue;
		}
		if (error_local != NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (value != NULL)
			g_string_append_c(value, text[i]);
		i++;
	}
	*pos = i;
	return TRUE;
}

/*
 * reference 4.1: a group's kind (`?` or `!`) is only known after its
 * matching `)`; SPA versions such as `2.0.6(b)` nest parentheses inside a
 * condition, and quoted strings may hold any of them
 */
gboolean
prov_rule_find_group_end(const gchar *text, gsize len, gsize open, gsize *close, GError **error)
{
	gsize depth = 0;

	for (gsize i = open; i < len;) {
		if (text[i] == '"') {
			gsize quote = i;

			if (!prov_rule_skip_quoted(text, len, &i)) {
				prov_rule_set_syntax_error(error, quote,
							   "unterminated quoted string");
				return FALSE;
			}
			continue;
		}
		if (text[i] == '(') {
			depth++;
		} else if (text[i] == ')') {
			if (--depth == 0) {
				*close = i;
				return TRUE;
			}
		}
		i++;
	}
	prov_rule_set_syntax_error(error, open, "missing ')'");
	return FALSE;
}

/* the inverse of prov_rule_read_quoted(), so that printed rules parse back to the same values */
void
prov_rule_append_quoted(GString *out, const gchar *value)
{
	/* octal escapes can put any byte into a value; printed raw they would break UTF-8 */
	gboolean escape_high = !g_utf8_validate(value, -1, NULL);

	g_string_append_c(out, '"');
	for (const gchar *p = value; *p != '\0'; p++) {
		guchar c = (guchar)*p;

		if (c == '"' || c == '\\')
			g_string_append_c(out, '\\');
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && escape_high))
			g_string_append_printf(out, "\\%03o", c);
		else
			g_string_append_c(out, (gchar)c);
	}
	g_string_append_c(out, '"');
}
