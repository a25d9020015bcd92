/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvAliasMap"

#include "config.h"

#include <string.h>

#include "prov-alias-map.h"

#define PROV_ALIAS_MAP_TARGET_PREFIX "/flat-profile/"

/* entries quoted in warnings stay short */
#define PROV_ALIAS_MAP_QUOTE_MAX 80

typedef struct {
	gchar *source;
	gchar *target;
	ProvXmlSlice *components;
	guint n_components;
} ProvAliasEntry;

struct _ProvAliasMap {
	ProvAliasEntry entries[PROV_ALIAS_MAP_MAX_ENTRIES];
	guint n_entries;
};

static gboolean
prov_alias_map_is_space(gchar c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const gchar *
prov_alias_map_skip_space(const gchar *p, const gchar *end)
{
	while (p < end && prov_alias_map_is_space(*p))
		p++;
	return p;
}

/* the end of a run that may be a name: up to whitespace or a separator */
static const gchar *
prov_alias_map_scan_word(const gchar *p, const gchar *end)
{
	while (p < end && !prov_alias_map_is_space(*p) && *p != '/' && *p != '=' && *p != ';')
		p++;
	return p;
}

static gchar *
prov_alias_map_quote(const gchar *data, gsize length)
{
	g_autofree gchar *valid = NULL;
	gboolean truncated = length > PROV_ALIAS_MAP_QUOTE_MAX;

	valid = g_utf8_make_valid(data, (gssize)MIN(length, PROV_ALIAS_MAP_QUOTE_MAX));
	g_strstrip(valid);
	return g_strdup_printf("\"%s%s\"", valid, truncated ? "…" : "");
}

/*
 * Reference 10 grammar: ws '/' path ws '=' ws '/flat-profile/' NAME ws, the
 * ';' already removed. Returns the reason when the entry is malformed.
 */
static const gchar *
prov_alias_map_parse_entry(const gchar *p, const gchar *end, ProvAliasEntry *entry)
{
	g_autoptr(GArray) components = g_array_new(FALSE, FALSE, sizeof(ProvXmlSlice));
	const gchar *source_start;
	const gchar *name_start;
	gsize prefix_length = strlen(PROV_ALIAS_MAP_TARGET_PREFIX);

	/* names go into assignments and messages, which are always UTF-8 */
	if (!g_utf8_validate_len(p, (gsize)(end - p), NULL))
		return "the entry is not valid UTF-8";
	p = prov_alias_map_skip_space(p, end);
	if (p >= end || *p != '/')
		return "the source path does not start with '/'";
	source_start = p;
	while (p < end && *p == '/') {
		const gchar *word_end = prov_alias_map_scan_word(p + 1, end);
		ProvXmlSlice component = {p + 1, (gsize)(word_end - p - 1)};

		if (!prov_xml_name_is_valid(component.data, component.length))
			return "a source path component is not an element name";
		g_array_append_val(components, component);
		p = word_end;
	}
	entry->source = g_strndup(source_start, (gsize)(p - source_start));
	p = prov_alias_map_skip_space(p, end);
	if (p >= end || *p != '=')
		return "'=' is missing after the source path";
	p = prov_alias_map_skip_space(p + 1, end);
	if ((gsize)(end - p) < prefix_length ||
	    memcmp(p, PROV_ALIAS_MAP_TARGET_PREFIX, prefix_length) != 0)
		return "the target does not start with /flat-profile/";
	name_start = p + prefix_length;
	p = prov_alias_map_scan_word(name_start, end);
	if (!prov_xml_name_is_valid(name_start, (gsize)(p - name_start)))
		return "the target is not /flat-profile/ followed by a parameter name";
	if (p < end && *p == '/')
		return "the target has more than one name after /flat-profile/";
	entry->target = g_strndup(name_start, (gsize)(p - name_start));
	p = prov_alias_map_skip_space(p, end);
	if (p < end)
		return "unexpected text after the target";
	entry->n_components = components->len;
	entry->components =
	    (ProvXmlSlice *)(gpointer)g_array_free(g_steal_pointer(&components), FALSE);
	/* the slices point into the map's own copy of the source, not the caller's text */
	for (guint i = 0, offset = 1; i < entry->n_components; i++) {
		entry->components[i].data = entry->source + offset;
		offset += (guint)entry->components[i].length + 1;
	}
	return NULL;
}

static void
prov_alias_entry_clear(ProvAliasEntry *entry)
{
	g_clear_pointer(&entry->source, g_free);
	g_clear_pointer(&entry->target, g_free);
	g_clear_pointer(&entry->components, g_free);
	entry->n_components = 0;
}

/**
 * prov_alias_map_new:
 * @text: (nullable): the map as stored in the GPP, used verbatim
 *
 * Parses an alias map. Malformed entries, entries whose target is not
 * under `/flat-profile/`, and entries beyond the 30th are skipped with a
 * warning; an entry needs its closing `;`. Whitespace around the parts of
 * an entry is ignored, so a map typed over several lines works.
 *
 * Returns: (transfer full): the map, possibly with no entries
 *
 * Since: 0.1
 */
ProvAliasMap *
prov_alias_map_new(const gchar *text)
{
	ProvAliasMap *self = g_new0(ProvAliasMap, 1);
	const gchar *p = text != NULL ? text : "";
	const gchar *end = p + strlen(p);
	guint index = 0;
	guint ignored = 0;

	while (p < end) {
		const gchar *semicolon = memchr(p, ';', (gsize)(end - p));
		const gchar *entry_end = semicolon != NULL ? semicolon : end;
		ProvAliasEntry entry = {0};
		const gchar *reason = NULL;

		if (prov_alias_map_skip_space(p, entry_end) == entry_end) {
			/* nothing between separators, or trailing whitespace */
			p = semicolon != NULL ? semicolon + 1 : end;
			continue;
		}
		index++;
		if (semicolon == NULL)
			reason = "the entry does not end with ';'";
		else
			reason = prov_alias_map_parse_entry(p, entry_end, &entry);
		if (reason != NULL) {
			g_autofree gchar *quoted = prov_alias_map_quote(p, (gsize)(entry_end - p));

			g_warning("alias map: entry %u %s skipped: %s", index, quoted, reason);
			prov_alias_entry_clear(&entry);
		} else if (self->n_entries == PROV_ALIAS_MAP_MAX_ENTRIES) {
			ignored++;
			prov_alias_entry_clear(&entry);
		} else {
			self->entries[self->n_entries++] = entry;
		}
		p = semicolon != NULL ? semicolon + 1 : end;
	}
	if (ignored > 0)
		g_warning("alias map: %u entries beyond the first %u ignored", ignored,
			  PROV_ALIAS_MAP_MAX_ENTRIES);
	return self;
}

/**
 * prov_alias_map_free:
 * @self: (nullable): a #ProvAliasMap
 *
 * Since: 0.1
 */
void
prov_alias_map_free(ProvAliasMap *self)
{
	if (self == NULL)
		return;
	for (guint i = 0; i < self->n_entries; i++)
		prov_alias_entry_clear(&self->entries[i]);
	g_free(self);
}

/**
 * prov_alias_map_get_n_entries:
 * @self: a #ProvAliasMap
 *
 * Returns: the number of entries honoured (at most 30)
 *
 * Since: 0.1
 */
guint
prov_alias_map_get_n_entries(ProvAliasMap *self)
{
	g_return_val_if_fail(self != NULL, 0);

	return self->n_entries;
}

/**
 * prov_alias_map_get_source:
 * @self: a #ProvAliasMap
 * @index: an entry, counted from 0 in map order
 *
 * Returns: (transfer none): the entry's source path, such as
 *   `/customer-account/SIP-number`
 *
 * Since: 0.1
 */
const gchar *
prov_alias_map_get_source(ProvAliasMap *self, guint index)
{
	g_return_val_if_fail(self != NULL && index < self->n_entries, NULL);

	return self->entries[index].source;
}

/**
 * prov_alias_map_get_target:
 * @self: a #ProvAliasMap
 * @index: an entry, counted from 0 in map order
 *
 * Returns: (transfer none): the parameter name the entry maps to
 *
 * Since: 0.1
 */
const gchar *
prov_alias_map_get_target(ProvAliasMap *self, guint index)
{
	g_return_val_if_fail(self != NULL && index < self->n_entries, NULL);

	return self->entries[index].target;
}

/**
 * prov_alias_map_match:
 * @self: a #ProvAliasMap
 * @path: (array length=n_components): the names of an element and its
 *   ancestors, the root first
 * @n_components: the number of names in @path
 *
 * Finds the entry whose source path is the longest suffix of @path,
 * counted in whole names; among equally long ones the first in the map wins.
 *
 * Returns: (transfer none) (nullable): the parameter name, or %NULL
 *
 * Since: 0.1
 */
const gchar *
prov_alias_map_match(ProvAliasMap *self, const ProvXmlSlice *path, guint n_components)
{
	const ProvAliasEntry *best = NULL;

	g_return_val_if_fail(self != NULL, NULL);

	for (guint i = 0; i < self->n_entries; i++) {
		const ProvAliasEntry *entry = &self->entries[i];
		guint k = entry->n_components;
		gboolean matched = TRUE;

		if (k > n_components || (best != NULL && k <= best->n_components))
			continue;
		for (guint j = 1; j <= k && matched; j++) {
			const ProvXmlSlice *want = &entry->components[k - j];
			const ProvXmlSlice *have = &path[n_components - j];

			matched = want->length == have->length &&
				  memcmp(want->data, have->data, want->length) == 0;
		}
		if (matched)
			best = entry;
	}
	return best != NULL ? best->target : NULL;
}

/**
 * prov_alias_map_match_path:
 * @self: a #ProvAliasMap
 * @path: an absolute element path such as `/CPE/SIP-Credentials/name`
 *
 * Like prov_alias_map_match() for a path written out.
 *
 * Returns: (transfer none) (nullable): the parameter name, or %NULL
 *
 * Since: 0.1
 */
const gchar *
prov_alias_map_match_path(ProvAliasMap *self, const gchar *path)
{
	g_autoptr(GArray) components = g_array_new(FALSE, FALSE, sizeof(ProvXmlSlice));
	const gchar *p = path;

	g_return_val_if_fail(self != NULL && path != NULL, NULL);

	while (*p == '/') {
		const gchar *next = strchr(p + 1, '/');
		ProvXmlSlice component = {p + 1,
					  next != NULL ? (gsize)(next - p - 1) : strlen(p + 1)};

		g_array_append_val(components, component);
		if (next == NULL)
			break;
		p = next;
	}
	return prov_alias_map_match(self, (const ProvXmlSlice *)(gpointer)components->data,
				    components->len);
}
