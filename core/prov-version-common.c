/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvVersion"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-version-private.h"

#define PROV_VERSION_LOADS_SUFFIX ".loads"

struct _ProvVersion {
	guint64 numbers[3];
	gchar *suffix;
	gchar *build;
};

void
prov_version_free(ProvVersion *version)
{
	if (version == NULL)
		return;
	g_free(version->suffix);
	g_free(version->build);
	g_free(version);
}

/* refuses overflow rather than wrapping, so that a huge number cannot sort low */
static gboolean
prov_version_read_number(const gchar **cursor, guint64 *value)
{
	const gchar *p = *cursor;
	guint64 result = 0;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		guint digit = (guint)(*p - '0');

		if (result > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		result = result * 10 + digit;
	}
	*cursor = p;
	*value = result;
	return TRUE;
}

static gchar *
prov_version_read_alnum(const gchar **cursor)
{
	const gchar *start = *cursor;
	const gchar *p = start;

	while (g_ascii_isalnum(*p))
		p++;
	*cursor = p;
	if (p == start)
		return NULL;
	return g_strndup(start, (gsize)(p - start));
}

/* major-minor-micro[tail][-build], after the optional model prefix */
static gboolean
prov_version_parse_mpp(ProvVersion *version, const gchar *p)
{
	if (!prov_version_read_number(&p, &version->numbers[0]) || *p++ != '-')
		return FALSE;
	if (!prov_version_read_number(&p, &version->numbers[1]) || *p++ != '-')
		return FALSE;
	if (!prov_version_read_number(&p, &version->numbers[2]))
		return FALSE;
	version->suffix = prov_version_read_alnum(&p);
	if (*p == '-') {
		p++;
		version->build = prov_version_read_alnum(&p);
		if (version->build == NULL)
			return FALSE;
	}
	return *p == '\0';
}

/* major[.minor[.build]] with a suffix in parentheses or glued on (7.4.8a) */
static gboolean
prov_version_parse_spa(ProvVersion *version, const gchar *p)
{
	guint count = 1;

	if (!prov_version_read_number(&p, &version->numbers[0]))
		return FALSE;
	while (*p == '.' && count < G_N_ELEMENTS(version->numbers)) {
		p++;
		if (!prov_version_read_number(&p, &version->numbers[count++]))
			return FALSE;
	}
	if (*p == '(') {
		p++;
		version->suffix = prov_version_read_alnum(&p);
		if (version->suffix == NULL || *p++ != ')')
			return FALSE;
	} else if (g_ascii_isalpha(*p)) {
		version->suffix = prov_version_read_alnum(&p);
	}
	return *p == '\0';
}

/**
 * prov_version_new_from_string:
 * @text: a firmware version in SPA or MPP spelling
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parsed version, or %NULL with
 * %PROV_ERROR_INVALID_VALUE when @text is neither spelling
 */
ProvVersion *
prov_version_new_from_string(const gchar *text, GError **error)
{
	g_autoptr(ProvVersion) version = g_new0(ProvVersion, 1);
	g_autofree gchar *work = NULL;
	gsize len;
	const gchar *p;
	gboolean ok;

	len = strlen(text);
	if (g_str_has_suffix(text, PROV_VERSION_LOADS_SUFFIX))
		len -= strlen(PROV_VERSION_LOADS_SUFFIX);
	work = g_strndup(text, len);
	p = work;

	/* only the MPP spelling has a model prefix (sip7832.), and SPA starts with a digit */
	if (g_ascii_isalpha(*p)) {
		while (g_ascii_isalnum(*p) || *p == '_')
			p++;
		ok = *p == '.' && prov_version_parse_mpp(version, p + 1);
	} else if (strchr(p, '-') != NULL) {
		ok = prov_version_parse_mpp(version, p);
	} else {
		ok = prov_version_parse_spa(version, p);
	}
	if (!ok) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
				    "not a firmware version");
		return NULL;
	}
	return g_steal_pointer(&version);
}

/**
 * prov_version_compare_natural:
 * @a: a suffix or build text
 * @b: another one
 *
 * Compares with runs of digits taken as numbers of any length, so that
 * `MPP0002` > `MPP0001` and `b10` > `b9`; a digit run sorts before other
 * text at the same place.
 *
 * Returns: negative, 0 or positive as @a sorts before, with or after @b
 */
gint
prov_version_compare_natural(const gchar *a, const gchar *b)
{
	while (*a != '\0' && *b != '\0') {
		gboolean digit_a = g_ascii_isdigit(*a);
		gboolean digit_b = g_ascii_isdigit(*b);

		if (digit_a && digit_b) {
			const gchar *end_a;
			const gchar *end_b;
			gsize len_a;
			gsize len_b;
			gint cmp;

			while (*a == '0' && g_ascii_isdigit(a[1]))
				a++;
			while (*b == '0' && g_ascii_isdigit(b[1]))
				b++;
			for (end_a = a; g_ascii_isdigit(*end_a); end_a++)
				;
			for (end_b = b; g_ascii_isdigit(*end_b); end_b++)
				;
			len_a = (gsize)(end_a - a);
			len_b = (gsize)(end_b - b);
			if (len_a != len_b)
				return len_a < len_b ? -1 : 1;
			cmp = memcmp(a, b, len_a);
			if (cmp != 0)
				return cmp < 0 ? -1 : 1;
			a = end_a;
			b = end_b;
			continue;
		}
		if (digit_a != digit_b)
			return digit_a ? -1 : 1;
		if (*a != *b)
			return (guchar)*a < (guchar)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a == *b)
		return 0;
	return *a == '\0' ? -1 : 1;
}

/* an absent suffix or build sorts before any present one */
static gint
prov_version_compare_optional(const gchar *a, const gchar *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return prov_version_compare_natural(a, b);
}

/**
 * prov_version_compare:
 * @a: a version
 * @b: another version
 *
 * Returns: negative, 0 or positive as @a is older than, equal to or newer
 * than @b
 */
gint
prov_version_compare(const ProvVersion *a, const ProvVersion *b)
{
	gint cmp;

	for (guint i = 0; i < G_N_ELEMENTS(a->numbers); i++) {
		if (a->numbers[i] != b->numbers[i])
			return a->numbers[i] < b->numbers[i] ? -1 : 1;
	}
	cmp = prov_version_compare_optional(a->suffix, b->suffix);
	if (cmp != 0)
		return cmp;
	return prov_version_compare_optional(a->build, b->build);
}

/**
 * prov_version_compare_strings:
 * @a: a version text
 * @b: another version text
 * @result: (out): negative, 0 or positive as for prov_version_compare()
 * @error: return location for a #GError
 *
 * Returns: %TRUE when both texts are versions
 */
gboolean
prov_version_compare_strings(const gchar *a, const gchar *b, gint *result, GError **error)
{
	g_autoptr(ProvVersion) version_a = NULL;
	g_autoptr(ProvVersion) version_b = NULL;

	version_a = prov_version_new_from_string(a, error);
	if (version_a == NULL)
		return FALSE;
	version_b = prov_version_new_from_string(b, error);
	if (version_b == NULL)
		return FALSE;
	*result = prov_version_compare(version_a, version_b);
	return TRUE;
}
