/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvMacro"

#include "config.h"

#include <string.h>

#include "prov-device.h"
#include "prov-error.h"
#include "prov-macro-private.h"
#include "prov-params.h"
#include "prov-rule-private.h"

/* longer than any known name (DISPLAYNAME99 has 13 bytes), so the prefix search stays cheap */
#define PROV_MACRO_NAME_MAX 16

/* the line number of UIDn, DISPLAYNAMEn and AUTHIDn: 1 to 99, no leading zero */
#define PROV_MACRO_LINE_MAX 99

typedef struct {
	guint id;
	ProvMacroLookupFunc func;
	gpointer user_data;
	GDestroyNotify destroy;
} ProvMacroLookup;

typedef struct {
	gsize start;
	gsize end;
} ProvMacroRegion;

/**
 * ProvMacro:
 *
 * Expands `$NAME`, `$(NAME)`, `$(NAME:p)` and `$(NAME:p:q)` (reference 3)
 * against the parameters, the device identity and variables of its own such
 * as `$SCHEME` and `$ERR`. Expansion never recurses, unknown names stay as
 * written, and `$SA`–`$SD` expand only inside `--key`, `--uid` and `--pwd`
 * (%PROV_MACRO_FLAGS_RULE).
 *
 * Since: 0.1
 */
struct _ProvMacro {
	GObject parent_instance;
	GHashTable *variables;
	GArray *lookups;
	guint next_lookup_id;
	gsize max_length;
};

G_DEFINE_FINAL_TYPE(ProvMacro, prov_macro, G_TYPE_OBJECT)

/* reference 3.3, the provisioning context, besides A..P, SA..SD and the per-line names */
static const gchar *const prov_macro_names[] = {
    "MA",     "MAU",	"MAC",		"PN",		"PSN",	    "SN",	 "CCERT",
    "IP",     "EXTIP",	"SWVER",	"HWVER",	"PRVST",    "UPGST",	 "UPGERR",
    "PRVTMR", "UPGTMR", "REGTMR1",	"REGTMR2",	"UPGCOND",  "SCHEME",	 "METH",
    "SERV",   "SERVIP", "PORT",		"PATH",		"ERR",	    "ISCUST",	 "EMS",
    "MUID",   "MPWD",	"INCOMINGNAME", "REMOTENUMBER", "ORIGTYPE", "AUTHSTATUS"};

/* the per-line names UIDn, DISPLAYNAMEn and AUTHIDn */
static const gchar *const prov_macro_line_names[] = {"UID", "DISPLAYNAME", "AUTHID"};

static gboolean
prov_macro_name_is_secret(const gchar *name, gsize len)
{
	return len == 2 && name[0] == 'S' && name[1] >= 'A' && name[1] <= 'D';
}

static gboolean
prov_macro_name_is_line(const gchar *name, gsize len)
{
	for (guint i = 0; i < G_N_ELEMENTS(prov_macro_line_names); i++) {
		gsize prefix = strlen(prov_macro_line_names[i]);
		guint line = 0;

		if (len <= prefix || len > prefix + 2 ||
		    memcmp(name, prov_macro_line_names[i], prefix) != 0)
			continue;
		if (name[prefix] == '0')
			return FALSE;
		for (gsize j = prefix; j < len; j++) {
			if (!g_ascii_isdigit(name[j]))
				return FALSE;
			line = line * 10 + (guint)(name[j] - '0');
		}
		return line >= 1 && line <= PROV_MACRO_LINE_MAX;
	}
	return FALSE;
}

static gboolean
prov_macro_name_is_known(const gchar *name, gsize len, gboolean secrets)
{
	if (prov_macro_name_is_secret(name, len))
		return secrets;
	/* the general purpose registers GPP_A..GPP_P */
	if (len == 1 && name[0] >= 'A' && name[0] <= 'P')
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(prov_macro_names); i++) {
		if (strlen(prov_macro_names[i]) == len &&
		    memcmp(prov_macro_names[i], name, len) == 0)
			return TRUE;
	}
	return prov_macro_name_is_line(name, len);
}

static gboolean
prov_macro_is_name_char(gchar c)
{
	return (c >= 'A' && c <= 'Z') || g_ascii_isdigit(c) || c == '_';
}

/**
 * prov_macro_is_known_name:
 * @name: a macro name without `$`, such as `MAU` or `UID1`
 *
 * Returns: whether @name is a variable of the provisioning context
 * (reference 3.3), including the secret `SA`…`SD`
 *
 * Since: 0.1
 */
gboolean
prov_macro_is_known_name(const gchar *name)
{
	g_return_val_if_fail(name != NULL, FALSE);
	return prov_macro_name_is_known(name, strlen(name), TRUE);
}

/**
 * prov_macro_is_secret_name:
 * @name: a macro name without `$`
 *
 * Returns: whether @name is one of the secret registers `SA`…`SD`
 *
 * Since: 0.1
 */
gboolean
prov_macro_is_secret_name(const gchar *name)
{
	g_return_val_if_fail(name != NULL, FALSE);
	return prov_macro_name_is_secret(name, strlen(name));
}

/* values may be secrets: do not leave them behind in freed memory */
static void
prov_macro_value_free(gpointer data)
{
	gchar *value = data;

	if (value == NULL)
		return;
	for (volatile gchar *p = value; *p != '\0'; p++)
		*p = '\0';
	g_free(value);
}

static void
prov_macro_lookup_clear(gpointer data)
{
	ProvMacroLookup *lookup = data;

	if (lookup->destroy != NULL)
		lookup->destroy(lookup->user_data);
}

/**
 * prov_macro_set_variable:
 * @self: a #ProvMacro
 * @name: a known macro name (see prov_macro_is_known_name())
 * @value: (nullable): its value, or %NULL to unset it
 *
 * Sets a value that takes precedence over every lookup source. Values are
 * inserted verbatim: a `$` inside one is not expanded again. Setting `MA`
 * also provides `MAU` and `MAC` unless those are set themselves, and
 * `SCHEME` provides `METH`.
 *
 * Since: 0.1
 */
void
prov_macro_set_variable(ProvMacro *self, const gchar *name, const gchar *value)
{
	g_return_if_fail(PROV_IS_MACRO(self));
	g_return_if_fail(name != NULL);
	g_return_if_fail(prov_macro_is_known_name(name));

	if (value == NULL) {
		g_hash_table_remove(self->variables, name);
		return;
	}
	g_hash_table_replace(self->variables, g_strdup(name), g_strdup(value));
}

guint
prov_macro_add_lookup(ProvMacro *self,
		      ProvMacroLookupFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy)
{
	ProvMacroLookup lookup = {0};

	g_return_val_if_fail(PROV_IS_MACRO(self), 0);
	g_return_val_if_fail(func != NULL, 0);

	lookup.id = ++self->next_lookup_id;
	lookup.func = func;
	lookup.user_data = user_data;
	lookup.destroy = destroy;
	g_array_append_val(self->lookups, lookup);
	return lookup.id;
}

void
prov_macro_remove_lookup(ProvMacro *self, guint id)
{
	g_return_if_fail(PROV_IS_MACRO(self));

	for (guint i = 0; i < self->lookups->len; i++) {
		if (g_array_index(self->lookups, ProvMacroLookup, i).id == id) {
			g_array_remove_index(self->lookups, i);
			return;
		}
	}
	g_critical("no macro lookup source %u", id);
}

static gchar *
prov_macro_resolve_direct(ProvMacro *self, const gchar *name)
{
	const gchar *value = g_hash_table_lookup(self->variables, name);

	if (value != NULL)
		return g_strdup(value);
	for (guint i = 0; i < self->lookups->len; i++) {
		ProvMacroLookup *lookup = &g_array_index(self->lookups, ProvMacroLookup, i);
		gchar *found = lookup->func(name, lookup->user_data);

		if (found != NULL)
			return found;
	}
	return NULL;
}

static gboolean
prov_macro_is_mac(const gchar *text)
{
	if (strlen(text) != 12)
		return FALSE;
	for (const gchar *p = text; *p != '\0'; p++) {
		if (!g_ascii_isxdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/* reference 3.3: MAU is MA in upper case, MAC is lower case with colons */
static gchar *
prov_macro_resolve_derived(ProvMacro *self, const gchar *name)
{
	g_autofree gchar *mac = NULL;
	GString *out;

	if (g_strcmp0(name, "METH") == 0)
		return prov_macro_resolve_direct(self, "SCHEME");
	if (g_strcmp0(name, "MAU") != 0 && g_strcmp0(name, "MAC") != 0)
		return NULL;
	mac = prov_macro_resolve_direct(self, "MA");
	if (mac == NULL)
		return NULL;
	if (g_strcmp0(name, "MAU") == 0)
		return g_ascii_strup(mac, -1);
	/* a device configured with something else than 12 hex digits keeps its spelling */
	if (!prov_macro_is_mac(mac))
		return g_ascii_strdown(mac, -1);
	out = g_string_sized_new(17);
	for (guint i = 0; i < 12; i += 2) {
		if (i > 0)
			g_string_append_c(out, ':');
		g_string_append_c(out, g_ascii_tolower(mac[i]));
		g_string_append_c(out, g_ascii_tolower(mac[i + 1]));
	}
	return g_string_free(out, FALSE);
}

static gchar *
prov_macro_resolve(ProvMacro *self, const gchar *name)
{
	gchar *value = prov_macro_resolve_direct(self, name);

	if (value != NULL)
		return value;
	return prov_macro_resolve_derived(self, name);
}

/**
 * prov_macro_lookup:
 * @self: a #ProvMacro
 * @name: a macro name without `$`
 *
 * Resolves @name as the expander would, including derived values and the
 * lookup sources, for callers that need one value (such as `SWVER` for the
 * legacy condition form). Secret values are returned too: never log them.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when @name is not
 * known or has no value
 *
 * Since: 0.1
 */
gchar *
prov_macro_lookup(ProvMacro *self, const gchar *name)
{
	g_return_val_if_fail(PROV_IS_MACRO(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);

	if (!prov_macro_is_known_name(name))
		return NULL;
	return prov_macro_resolve(self, name);
}

/**
 * prov_macro_set_max_length:
 * @self: a #ProvMacro
 * @max_length: the output length that no inserted value may take it past
 *
 * Bounds the output of one expansion: once inserting the next value would
 * make the output longer than @max_length bytes, the rest of the text is
 * copied without expanding anything, so the result is at most @max_length
 * bytes longer than the input. The default is
 * %PROV_MACRO_DEFAULT_MAX_LENGTH.
 *
 * Since: 0.1
 */
void
prov_macro_set_max_length(ProvMacro *self, gsize max_length)
{
	g_return_if_fail(PROV_IS_MACRO(self));
	self->max_length = max_length;
}

/**
 * prov_macro_get_max_length:
 * @self: a #ProvMacro
 *
 * Returns: the bound set with prov_macro_set_max_length()
 *
 * Since: 0.1
 */
gsize
prov_macro_get_max_length(ProvMacro *self)
{
	g_return_val_if_fail(PROV_IS_MACRO(self), 0);
	return self->max_length;
}

static gsize
prov_macro_skip_space(const gchar *text, gsize len, gsize pos)
{
	while (pos < len && prov_rule_is_space(text[pos]))
		pos++;
	return pos;
}

static gboolean
prov_macro_token_is(const gchar *text, gsize start, gsize end, const gchar *word)
{
	gsize word_len = strlen(word);

	return end - start == word_len && memcmp(text + start, word, word_len) == 0;
}

/* an option list; returns where scanning continues */
static gsize
prov_macro_scan_options(const gchar *text, gsize len, gsize pos, GArray *regions)
{
	for (;;) {
		gsize start;
		gboolean credential;

		pos = prov_macro_skip_space(text, len, pos);
		if (pos >= len)
			return len;
		if (text[pos] == ']')
			return pos + 1;
		start = pos;
		if (text[pos] == '"') {
			if (!prov_rule_skip_quoted(text, len, &pos))
				return len;
		} else {
			while (pos < len && !prov_rule_is_space(text[pos]) && text[pos] != ']')
				pos++;
		}
		credential = prov_macro_token_is(text, start, pos, "--key") ||
			     prov_macro_token_is(text, start, pos, "--uid") ||
			     prov_macro_token_is(text, start, pos, "--pwd");
		if (!credential)
			continue;
		pos = prov_macro_skip_space(text, len, pos);
		if (pos >= len || text[pos] == ']')
			continue;
		if (text[pos] == '"') {
			ProvMacroRegion region = {pos + 1, 0};

			if (!prov_rule_skip_quoted(text, len, &pos))
				return len;
			region.end = pos - 1;
			g_array_append_val(regions, region);
		} else {
			ProvMacroRegion region = {pos, 0};

			while (pos < len && !prov_rule_is_space(text[pos]) && text[pos] != ']')
				pos++;
			region.end = pos;
			g_array_append_val(regions, region);
		}
	}
}

/*
 * Finds the credential arguments of an unexpanded rule, where the secret
 * registers may expand (reference 3.2). Expansion comes before parsing, so
 * this follows the rule grammar on the raw text: parenthesised groups and
 * quoted strings are skipped whole, so `("[--key $SA]" eq "x")?` exposes
 * nothing, and only a `[` that starts a token outside them opens an option
 * list (a `[` inside a URL, as in `http://x/[--key $SA]`, does not). Option
 * lists after a URL are scanned too, so that both halves of an MPP report rule
 * `[--delta]http://a [--status]http://b` get their keys; the parser decides
 * whether such text is valid.
 */
static GArray *
prov_macro_scan_rule(const gchar *text, gsize len)
{
	g_autoptr(GArray) regions = g_array_new(FALSE, FALSE, sizeof(ProvMacroRegion));
	gsize pos = prov_macro_skip_space(text, len, 0);

	if (pos < len && text[pos] == '#')
		return g_steal_pointer(&regions);
	while (pos < len) {
		gsize close = 0;

		if (prov_rule_is_space(text[pos]) || text[pos] == '|') {
			pos++;
			continue;
		}
		if (text[pos] == '(') {
			if (!prov_rule_find_group_end(text, len, pos, &close, NULL))
				break;
			pos = prov_macro_skip_space(text, len, close + 1);
			if (pos < len && (text[pos] == '?' || text[pos] == '!'))
				pos++;
			continue;
		}
		if (text[pos] == '[') {
			pos = prov_macro_scan_options(text, len, pos + 1, regions);
			continue;
		}
		while (pos < len && !prov_rule_is_space(text[pos]) && text[pos] != '|')
			pos++;
	}
	return g_steal_pointer(&regions);
}

typedef struct {
	ProvMacro *self;
	const gchar *text;
	gsize len;
	ProvMacroFlags flags;
	GArray *regions;
	guint region_index;
	GString *out;
	gboolean overflow;
} ProvMacroExpansion;

static gboolean
prov_macro_secrets_allowed(ProvMacroExpansion *expansion, gsize start, gsize end)
{
	if ((expansion->flags & PROV_MACRO_FLAGS_SECRETS) != 0)
		return TRUE;
	if (expansion->regions == NULL)
		return FALSE;
	/* expansion moves forward only, and regions are in text order */
	while (expansion->region_index < expansion->regions->len) {
		ProvMacroRegion *region =
		    &g_array_index(expansion->regions, ProvMacroRegion, expansion->region_index);

		if (region->end > start)
			return region->start <= start && end <= region->end;
		expansion->region_index++;
	}
	return FALSE;
}

/* reads a decimal offset; a huge one saturates, which means "beyond the end" */
static gboolean
prov_macro_read_offset(const gchar *text, gsize len, gsize *pos, gsize *value)
{
	gsize result = 0;
	gsize i = *pos;

	if (i >= len || !g_ascii_isdigit(text[i]))
		return FALSE;
	for (; i < len && g_ascii_isdigit(text[i]); i++) {
		gsize digit = (gsize)(text[i] - '0');

		result = result > (G_MAXSIZE - digit) / 10 ? G_MAXSIZE : result * 10 + digit;
	}
	*pos = i;
	*value = result;
	return TRUE;
}

/* inserts the value of a known name; FALSE once the output bound is reached */
static gboolean
prov_macro_insert(ProvMacroExpansion *expansion, const gchar *name, gsize offset, gsize length)
{
	g_autofree gchar *value = NULL;
	const gchar *piece = "";
	gsize value_len;
	gsize piece_len = 0;

	if (prov_macro_is_secret_name(name) && (expansion->flags & PROV_MACRO_FLAGS_REDACT) != 0) {
		piece = PROV_MACRO_REDACTED;
		piece_len = strlen(piece);
	} else {
		value = prov_macro_resolve(expansion->self, name);
		value_len = value != NULL ? strlen(value) : 0;
		/* reference 3.2: offsets count bytes; past the end is empty, too long is "to the
		 * end" */
		if (offset < value_len) {
			piece = value + offset;
			piece_len = MIN(length, value_len - offset);
		}
	}
	if (piece_len > expansion->self->max_length ||
	    expansion->out->len > expansion->self->max_length - piece_len) {
		expansion->overflow = TRUE;
		if (value != NULL)
			prov_macro_value_free(g_steal_pointer(&value));
		return FALSE;
	}
	g_string_append_len(expansion->out, piece, (gssize)piece_len);
	if (value != NULL)
		prov_macro_value_free(g_steal_pointer(&value));
	return TRUE;
}

/* `$(NAME[:p[:q]])`; returns the bytes consumed, 0 to copy the `$` literally */
static gsize
prov_macro_expand_delimited(ProvMacroExpansion *expansion, gsize dollar)
{
	const gchar *text = expansion->text;
	gsize len = expansion->len;
	gsize pos = dollar + 2;
	gsize name_start = pos;
	gsize offset = 0;
	gsize length = G_MAXSIZE;
	g_autofree gchar *name = NULL;

	while (pos < len && prov_macro_is_name_char(text[pos]))
		pos++;
	if (pos == name_start || pos - name_start > PROV_MACRO_NAME_MAX)
		return 0;
	name = g_strndup(text + name_start, pos - name_start);
	if (pos < len && text[pos] == ':') {
		pos++;
		if (!prov_macro_read_offset(text, len, &pos, &offset))
			return 0;
		if (pos < len && text[pos] == ':') {
			pos++;
			if (!prov_macro_read_offset(text, len, &pos, &length))
				return 0;
		}
	}
	if (pos >= len || text[pos] != ')')
		return 0;
	pos++;
	if (!prov_macro_name_is_known(name, strlen(name),
				      prov_macro_secrets_allowed(expansion, dollar, pos)))
		return 0;
	if (!prov_macro_insert(expansion, name, offset, length))
		return 0;
	return pos - dollar;
}

/*
 * `$NAME`: reference 3.2 (PROPOSED) takes the longest prefix of the
 * [A-Z0-9_] run that is a known name, so `$MAC` is the colon form, `$MAcfg`
 * is `$MA` then `cfg` and `$PN_$MA_$SN.xml` works as the vendors meant
 */
static gsize
prov_macro_expand_bare(ProvMacroExpansion *expansion, gsize dollar)
{
	const gchar *text = expansion->text;
	gsize start = dollar + 1;
	gsize run = 0;

	while (start + run < expansion->len && run < PROV_MACRO_NAME_MAX &&
	       prov_macro_is_name_char(text[start + run]))
		run++;
	for (gsize n = run; n > 0; n--) {
		gchar name[PROV_MACRO_NAME_MAX + 1];

		if (!prov_macro_name_is_known(
			text + start, n, prov_macro_secrets_allowed(expansion, dollar, start + n)))
			continue;
		memcpy(name, text + start, n);
		name[n] = '\0';
		if (!prov_macro_insert(expansion, name, 0, G_MAXSIZE))
			return 0;
		return n + 1;
	}
	return 0;
}

static void
prov_macro_expand_text(ProvMacroExpansion *expansion)
{
	const gchar *text = expansion->text;
	gsize pos = 0;

	while (pos < expansion->len) {
		const gchar *dollar = memchr(text + pos, '$', expansion->len - pos);
		gsize at;
		gsize consumed = 0;

		if (dollar == NULL) {
			g_string_append_len(expansion->out, text + pos,
					    (gssize)(expansion->len - pos));
			return;
		}
		at = (gsize)(dollar - text);
		g_string_append_len(expansion->out, text + pos, (gssize)(at - pos));
		pos = at;
		if (!expansion->overflow && at + 1 < expansion->len) {
			if (text[at + 1] == '$') {
				g_string_append_c(expansion->out, '$');
				consumed = 2;
			} else if (text[at + 1] == '(') {
				consumed = prov_macro_expand_delimited(expansion, at);
			} else {
				consumed = prov_macro_expand_bare(expansion, at);
			}
		}
		/* unknown, malformed and (after the bound) every further macro stays as written */
		if (consumed == 0) {
			g_string_append_c(expansion->out, '$');
			consumed = 1;
		}
		pos += consumed;
	}
}

/**
 * prov_macro_expand_full:
 * @self: a #ProvMacro
 * @text: the text to expand
 * @flags: where the secret registers may expand
 * @error: return location for a #GError
 *
 * Expands the macros of reference 3.2 in one pass: `$$` is `$`, `$NAME`
 * takes the longest known name at the start of the following `[A-Z0-9_]`
 * run, `$(NAME)`, `$(NAME:p)` and `$(NAME:p:q)` take the value or a byte
 * range of it. Unknown names, malformed forms and a missing `)` stay as
 * written, inserted values are never expanded again, and a known name with
 * no value expands to the empty string. Nothing is logged: values may be
 * secrets.
 *
 * Returns: (transfer full): the expanded text, or %NULL with
 * %PROV_ERROR_LIMIT_EXCEEDED when it would pass the length bound
 *
 * Since: 0.1
 */
gchar *
prov_macro_expand_full(ProvMacro *self, const gchar *text, ProvMacroFlags flags, GError **error)
{
	g_autoptr(GArray) regions = NULL;
	ProvMacroExpansion expansion = {0};
	g_autoptr(GString) out = NULL;

	g_return_val_if_fail(PROV_IS_MACRO(self), NULL);
	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(flags < PROV_MACRO_FLAGS_LAST, NULL);

	expansion.self = self;
	expansion.text = text;
	expansion.len = strlen(text);
	expansion.flags = flags;
	if ((flags & (PROV_MACRO_FLAGS_RULE | PROV_MACRO_FLAGS_SECRETS)) == PROV_MACRO_FLAGS_RULE)
		regions = prov_macro_scan_rule(text, expansion.len);
	expansion.regions = regions;
	out = g_string_sized_new(expansion.len + 1);
	expansion.out = out;
	prov_macro_expand_text(&expansion);
	if (expansion.overflow) {
		if (error != NULL) {
			/* the partial text may hold a secret */
			prov_macro_value_free(g_string_free(g_steal_pointer(&out), FALSE));
		}
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "macro expansion exceeds %" G_GSIZE_FORMAT " bytes", self->max_length);
		if (error != NULL)
			return NULL;
		g_warning("macro expansion exceeds %" G_GSIZE_FORMAT
			  " bytes; further macros left unexpanded",
			  self->max_length);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * prov_macro_expand:
 * @self: a #ProvMacro
 * @text: the text to expand
 * @flags: where the secret registers may expand
 *
 * Like prov_macro_expand_full(), but never fails: past the length bound the
 * remaining macros are copied unexpanded, with a warning.
 *
 * Returns: (transfer full): the expanded text
 *
 * Since: 0.1
 */
gchar *
prov_macro_expand(ProvMacro *self, const gchar *text, ProvMacroFlags flags)
{
	return prov_macro_expand_full(self, text, flags, NULL);
}

/**
 * prov_macro_expand_rule:
 * @self: a #ProvMacro
 * @text: the unexpanded value of a rule parameter
 *
 * Expands a whole rule with %PROV_MACRO_FLAGS_RULE: `[--key $SA]
 * http://x/$SA` becomes `[--key s3cr3t] http://x/$SA` (reference 3.5).
 *
 * Returns: (transfer full): the expanded rule
 *
 * Since: 0.1
 */
gchar *
prov_macro_expand_rule(ProvMacro *self, const gchar *text)
{
	return prov_macro_expand_full(self, text, PROV_MACRO_FLAGS_RULE, NULL);
}

/* A..P, SA..SD and the per-line names read the parameters they stand for */
static gchar *
prov_macro_params_lookup_cb(const gchar *name, gpointer user_data)
{
	ProvParams *params = PROV_PARAMS(user_data);
	static const struct {
		const gchar *prefix;
		const gchar *param;
	} lines[] = {
	    {"UID", "User_ID_"},
	    {"DISPLAYNAME", "Display_Name_"},
	    {"AUTHID", "Auth_ID_"},
	};
	gsize len = strlen(name);

	if (len == 1 && name[0] >= 'A' && name[0] <= 'P') {
		gchar param[] = "GPP_X";

		param[4] = name[0];
		return g_strdup(prov_params_get_value(params, param));
	}
	if (prov_macro_name_is_secret(name, len)) {
		gchar param[] = "GPP_SX";

		param[5] = name[1];
		return g_strdup(prov_params_get_value(params, param));
	}
	for (guint i = 0; i < G_N_ELEMENTS(lines); i++) {
		g_autofree gchar *param = NULL;

		if (!g_str_has_prefix(name, lines[i].prefix))
			continue;
		if (!prov_macro_name_is_line(name, len))
			return NULL;
		param = g_strconcat(lines[i].param, name + strlen(lines[i].prefix), "_", NULL);
		return g_strdup(prov_params_get_value(params, param));
	}
	return NULL;
}

/**
 * prov_macro_set_params:
 * @self: a #ProvMacro
 * @params: the parameters that `$A`…`$P`, `$SA`…`$SD`, `$UIDn`,
 *   `$DISPLAYNAMEn` and `$AUTHIDn` read
 *
 * Adds @params as a source of values. They are read at each expansion, so
 * a profile applied in between is seen by the next rule. Values set with
 * prov_macro_set_variable() take precedence.
 *
 * Since: 0.1
 */
void
prov_macro_set_params(ProvMacro *self, ProvParams *params)
{
	g_return_if_fail(PROV_IS_MACRO(self));
	g_return_if_fail(PROV_IS_PARAMS(params));

	prov_macro_add_lookup(self, prov_macro_params_lookup_cb, g_object_ref(params),
			      g_object_unref);
}

/* the identity names of reference 3.3; MAU and MAC derive from MA */
static gchar *
prov_macro_device_lookup_cb(const gchar *name, gpointer user_data)
{
	ProvDevice *device = PROV_DEVICE(user_data);
	static const gchar *const names[][2] = {
	    {"MA", PROV_DEVICE_MAC},
	    {"PN", PROV_DEVICE_PRODUCT_NAME},
	    {"PSN", PROV_DEVICE_PRODUCT_SERIES},
	    {"SN", PROV_DEVICE_SERIAL},
	    {"IP", PROV_DEVICE_IP},
	    {"SWVER", PROV_DEVICE_SOFTWARE_VERSION},
	    {"HWVER", PROV_DEVICE_HARDWARE_VERSION},
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (g_strcmp0(name, names[i][0]) == 0)
			return g_strdup(prov_device_get(device, names[i][1]));
	}
	return NULL;
}

/**
 * prov_macro_set_device:
 * @self: a #ProvMacro
 * @device: the identity that `$MA`, `$MAU`, `$MAC`, `$PN`, `$PSN`, `$SN`,
 *   `$IP`, `$SWVER` and `$HWVER` read
 *
 * Adds @device as a source of values, read at each expansion. Values set
 * with prov_macro_set_variable() take precedence.
 *
 * Since: 0.1
 */
void
prov_macro_set_device(ProvMacro *self, ProvDevice *device)
{
	g_return_if_fail(PROV_IS_MACRO(self));
	g_return_if_fail(PROV_IS_DEVICE(device));

	prov_macro_add_lookup(self, prov_macro_device_lookup_cb, g_object_ref(device),
			      g_object_unref);
}

static void
prov_macro_dispose(GObject *object)
{
	ProvMacro *self = PROV_MACRO(object);

	/* lookup sources may hold the parameter model or the device */
	if (self->lookups->len > 0)
		g_array_set_size(self->lookups, 0);
	G_OBJECT_CLASS(prov_macro_parent_class)->dispose(object);
}

static void
prov_macro_finalize(GObject *object)
{
	ProvMacro *self = PROV_MACRO(object);

	g_hash_table_unref(self->variables);
	g_array_unref(self->lookups);
	G_OBJECT_CLASS(prov_macro_parent_class)->finalize(object);
}

static void
prov_macro_class_init(ProvMacroClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_macro_dispose;
	object_class->finalize = prov_macro_finalize;
}

static void
prov_macro_init(ProvMacro *self)
{
	self->variables =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, prov_macro_value_free);
	self->lookups = g_array_new(FALSE, TRUE, sizeof(ProvMacroLookup));
	g_array_set_clear_func(self->lookups, prov_macro_lookup_clear);
	self->max_length = PROV_MACRO_DEFAULT_MAX_LENGTH;
}

/**
 * prov_macro_new:
 *
 * Returns: (transfer full): an expander whose known names have no value yet
 *
 * Since: 0.1
 */
ProvMacro *
prov_macro_new(void)
{
	return g_object_new(PROV_TYPE_MACRO, NULL);
}
