/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvParamDef"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-param-def-private.h"

/* the longest piece of a value quoted in an error message */
#define PROV_PARAM_DEF_QUOTE_MAX 64

static const gchar *const prov_param_type_names[] = {
    [PROV_PARAM_TYPE_STRING] = "string",       [PROV_PARAM_TYPE_BOOL] = "bool",
    [PROV_PARAM_TYPE_UINT] = "uint",	       [PROV_PARAM_TYPE_ENUM] = "enum",
    [PROV_PARAM_TYPE_HHMM] = "hhmm",	       [PROV_PARAM_TYPE_SCHEDULE] = "schedule",
    [PROV_PARAM_TYPE_LIST] = "list",	       [PROV_PARAM_TYPE_VERSION] = "version",
    [PROV_PARAM_TYPE_RULE] = "rule",	       [PROV_PARAM_TYPE_TEMPLATE] = "template",
    [PROV_PARAM_TYPE_CONDITION] = "condition", [PROV_PARAM_TYPE_URL] = "url",
    [PROV_PARAM_TYPE_HOSTPORT] = "hostport",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_param_type_names) == PROV_PARAM_TYPE_LAST);

/* reference 1.2 rule 10, plus the PROPOSED true/false/on/off */
static const gchar *const prov_param_bool_true[] = {"yes", "enable", "1", "true", "on"};
static const gchar *const prov_param_bool_false[] = {"no", "disable", "0", "false", "off"};

/**
 * prov_param_type_to_string:
 * @type: a #ProvParamType
 *
 * Returns: (transfer none): the name the schema files use for @type, or
 * %NULL when out of range
 *
 * Since: 0.1
 */
const gchar *
prov_param_type_to_string(ProvParamType type)
{
	if ((guint)type >= PROV_PARAM_TYPE_LAST)
		return NULL;
	return prov_param_type_names[type];
}

/**
 * prov_param_type_from_string:
 * @text: a type name as the schema files write it, such as `bool`
 * @type: (out): where to store the type
 *
 * Returns: %TRUE when @text names a type
 *
 * Since: 0.1
 */
gboolean
prov_param_type_from_string(const gchar *text, ProvParamType *type)
{
	for (guint i = 0; i < PROV_PARAM_TYPE_LAST; i++) {
		if (g_strcmp0(prov_param_type_names[i], text) == 0) {
			*type = (ProvParamType)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * prov_param_def_get_name:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none): the canonical name, such as `User_ID_1_`
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_name(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->name;
}

/**
 * prov_param_def_get_export_name:
 * @self: a #ProvParamDef
 *
 * The name the devices of the active behaviour profile use, for exports
 * and reports: an alias tied to that profile (`Admin_Passwd` under `spa`),
 * otherwise the canonical name.
 *
 * Returns: (transfer none): the name to write when exporting
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_export_name(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->export_name;
}

/**
 * prov_param_def_get_aliases:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none) (nullable): the other names that are accepted
 * for this parameter, %NULL-terminated, or %NULL when it has none
 *
 * Since: 0.1
 */
const gchar *const *
prov_param_def_get_aliases(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->aliases;
}

/**
 * prov_param_def_get_param_type:
 * @self: a #ProvParamDef
 *
 * Returns: the value syntax
 *
 * Since: 0.1
 */
ProvParamType
prov_param_def_get_param_type(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, PROV_PARAM_TYPE_STRING);
	return self->type;
}

/**
 * prov_param_def_get_default:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none): the schema default for the active behaviour
 * profile, in canonical form (factory overrides are not included)
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_default(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->default_value;
}

/**
 * prov_param_def_get_access:
 * @self: a #ProvParamDef
 *
 * Returns: the default user access level
 *
 * Since: 0.1
 */
ProvAccess
prov_param_def_get_access(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, PROV_ACCESS_NA);
	return self->access;
}

/**
 * prov_param_def_is_secret:
 * @self: a #ProvParamDef
 *
 * Secret values never leave through logs, reports or D-Bus reads by
 * unprivileged callers (R42).
 *
 * Returns: %TRUE for a secret parameter
 *
 * Since: 0.1
 */
gboolean
prov_param_def_is_secret(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, TRUE);
	return self->secret;
}

/**
 * prov_param_def_needs_restart:
 * @self: a #ProvParamDef
 *
 * Returns: %TRUE when a change takes effect only after a restart
 * (reference 1.5 step 6)
 *
 * Since: 0.1
 */
gboolean
prov_param_def_needs_restart(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->restart;
}

/**
 * prov_param_def_is_ascii_only:
 * @self: a #ProvParamDef
 *
 * Returns: %TRUE when values must be ASCII under the active behaviour profile
 * (reference 1.2 rule 8)
 *
 * Since: 0.1
 */
gboolean
prov_param_def_is_ascii_only(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->ascii_only;
}

/**
 * prov_param_def_get_group:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none): the `Tab/Section` group, such as
 * `Provisioning/Configuration_Profile`, or the empty string
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_group(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->group;
}

/**
 * prov_param_def_get_description:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none): one English sentence; user interfaces translate
 * it with the `provisiond` gettext domain
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_description(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->description;
}

/**
 * prov_param_def_get_values:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none) (nullable): the canonical values of an enum,
 * %NULL-terminated; %NULL for other types
 *
 * Since: 0.1
 */
const gchar *const *
prov_param_def_get_values(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->values;
}

/**
 * prov_param_def_get_min:
 * @self: a #ProvParamDef
 *
 * Returns: the smallest valid value of a uint (0 for other types)
 *
 * Since: 0.1
 */
guint64
prov_param_def_get_min(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->min;
}

/**
 * prov_param_def_get_max:
 * @self: a #ProvParamDef
 *
 * Returns: the largest valid value of a uint
 *
 * Since: 0.1
 */
guint64
prov_param_def_get_max(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->max;
}

/**
 * prov_param_def_get_index:
 * @self: a #ProvParamDef
 *
 * Returns: the index `n` of a definition made from a template such as
 * `User_ID_{n}_`, or 0
 *
 * Since: 0.1
 */
guint
prov_param_def_get_index(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->index;
}

/**
 * prov_param_def_get_source:
 * @self: a #ProvParamDef
 *
 * Returns: (transfer none): the schema file that declared the parameter
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_get_source(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->source;
}

/**
 * prov_param_def_get_source_line:
 * @self: a #ProvParamDef
 *
 * Returns: the line of prov_param_def_get_source() where the declaration
 * starts
 *
 * Since: 0.1
 */
guint
prov_param_def_get_source_line(const ProvParamDef *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->source_line;
}

static gchar *
prov_param_def_quote(const gchar *value)
{
	GString *quoted = g_string_new("\"");
	gsize len = strlen(value);
	gsize shown = len;

	if (len > PROV_PARAM_DEF_QUOTE_MAX) {
		/* cut on a character boundary */
		shown = PROV_PARAM_DEF_QUOTE_MAX;
		while (shown > 0 && ((guchar)value[shown] & 0xc0) == 0x80)
			shown--;
	}
	/* keep UTF-8 readable: only ASCII controls, quotes and backslashes are escaped */
	for (gsize i = 0; i < shown; i++) {
		guchar c = (guchar)value[i];

		if (c == '"' || c == '\\')
			g_string_append_printf(quoted, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			g_string_append_printf(quoted, "\\x%02x", c);
		else
			g_string_append_c(quoted, (gchar)c);
	}
	g_string_append(quoted, shown < len ? "\"..." : "\"");
	return g_string_free(quoted, FALSE);
}

/* the value is quoted only when it is not secret, so that no error path can leak one */
static const gchar *
prov_param_def_fail(const ProvParamDef *self, const gchar *value, GError **error, const gchar *why)
{
	g_autofree gchar *quoted = NULL;

	if (self->secret || value == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE, "%s: the value %s",
			    self->name, why);
		return NULL;
	}
	quoted = prov_param_def_quote(value);
	g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE, "%s: %s %s", self->name, quoted,
		    why);
	return NULL;
}

static gboolean
prov_param_is_blank(gchar c)
{
	return c == ' ' || c == '\t';
}

/* a run of digits that fits in 32 bits, as the timers of reference 2.5 use */
static gboolean
prov_param_parse_number(const gchar **cursor)
{
	const gchar *p = *cursor;
	guint64 number = 0;

	if (!g_ascii_isdigit(*p))
		return FALSE;
	while (g_ascii_isdigit(*p)) {
		number = number * 10 + (guint64)(*p - '0');
		if (number > G_MAXUINT32)
			return FALSE;
		p++;
	}
	*cursor = p;
	return TRUE;
}

static void
prov_param_skip_blanks(const gchar **cursor)
{
	while (prov_param_is_blank(**cursor))
		(*cursor)++;
}

/* schedule := element (',' element)* ; element := SECONDS ['+' RANDOM] (reference 2.5) */
static gboolean
prov_param_schedule_is_valid(const gchar *value)
{
	const gchar *p = value;

	prov_param_skip_blanks(&p);
	if (*p == '\0')
		return TRUE;
	for (;;) {
		prov_param_skip_blanks(&p);
		if (!prov_param_parse_number(&p))
			return FALSE;
		prov_param_skip_blanks(&p);
		if (*p == '+') {
			p++;
			prov_param_skip_blanks(&p);
			if (!prov_param_parse_number(&p))
				return FALSE;
			prov_param_skip_blanks(&p);
		}
		if (*p == '\0')
			return TRUE;
		if (*p != ',')
			return FALSE;
		p++;
	}
}

static gboolean
prov_param_list_is_valid(const gchar *value)
{
	const gchar *p = value;

	prov_param_skip_blanks(&p);
	if (*p == '\0')
		return TRUE;
	for (;;) {
		prov_param_skip_blanks(&p);
		if (!prov_param_parse_number(&p))
			return FALSE;
		prov_param_skip_blanks(&p);
		if (*p == '\0')
			return TRUE;
		if (*p != ',')
			return FALSE;
		p++;
	}
}

static gboolean
prov_param_hhmm_is_valid(const gchar *value)
{
	guint hours;
	guint minutes;

	if (*value == '\0')
		return TRUE;
	for (guint i = 0; i < 4; i++) {
		if (!g_ascii_isdigit(value[i]))
			return FALSE;
	}
	if (value[4] != '\0')
		return FALSE;
	hours = (guint)(value[0] - '0') * 10 + (guint)(value[1] - '0');
	minutes = (guint)(value[2] - '0') * 10 + (guint)(value[3] - '0');
	if (minutes > 59 || hours > 24)
		return FALSE;
	/* 2400 is midnight at the end of the day (reference 5.2.2); 2401 is nothing */
	return hours < 24 || minutes == 0;
}

static gboolean
prov_param_has_space_or_control(const gchar *value)
{
	for (const guchar *p = (const guchar *)value; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f)
			return TRUE;
	}
	return FALSE;
}

static gboolean
prov_param_port_is_valid(const gchar *text)
{
	guint64 port = 0;

	if (*text == '\0' || strlen(text) > 5)
		return FALSE;
	for (const gchar *p = text; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		port = port * 10 + (guint64)(*p - '0');
	}
	return port >= 1 && port <= 65535;
}

/* host[:port], with an IPv6 literal in brackets; the host is a name or an address */
static gboolean
prov_param_hostport_is_valid(const gchar *value)
{
	const gchar *p = value;

	if (*p == '\0')
		return TRUE;
	if (*p == '[') {
		const gchar *close = strchr(p, ']');

		if (close == NULL || close == p + 1)
			return FALSE;
		for (const gchar *q = p + 1; q < close; q++) {
			if (!g_ascii_isxdigit(*q) && *q != ':' && *q != '.')
				return FALSE;
		}
		p = close + 1;
	} else {
		const gchar *start = p;

		while (g_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_')
			p++;
		if (p == start)
			return FALSE;
	}
	if (*p == '\0')
		return TRUE;
	if (*p != ':')
		return FALSE;
	return prov_param_port_is_valid(p + 1);
}

static const gchar *
prov_param_def_canonicalize_uint(const ProvParamDef *self, const gchar *value, GError **error)
{
	g_autofree gchar *why = NULL;
	const gchar *digits = value;
	guint64 number = 0;

	if (*value == '\0')
		return prov_param_def_fail(self, value, error, "is not an unsigned integer");
	for (const gchar *p = value; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return prov_param_def_fail(self, value, error,
						   "is not an unsigned integer");
		if (number > (G_MAXUINT64 - 9) / 10) {
			why = g_strdup_printf("is out of range %" G_GUINT64_FORMAT
					      "..%" G_GUINT64_FORMAT,
					      self->min, self->max);
			return prov_param_def_fail(self, value, error, why);
		}
		number = number * 10 + (guint64)(*p - '0');
	}
	if (number < self->min || number > self->max) {
		why = g_strdup_printf("is out of range %" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT,
				      self->min, self->max);
		return prov_param_def_fail(self, value, error, why);
	}
	/* store the plain decimal form; "007" and "7" are the same setting */
	while (digits[0] == '0' && digits[1] != '\0')
		digits++;
	return digits;
}

static const gchar *
prov_param_def_canonicalize_enum(const ProvParamDef *self, const gchar *value, GError **error)
{
	g_autofree gchar *why = NULL;
	g_autofree gchar *choices = NULL;

	for (guint i = 0; self->values != NULL && self->values[i] != NULL; i++) {
		if (g_ascii_strcasecmp(self->values[i], value) == 0)
			return self->values[i];
	}
	choices = self->values != NULL ? g_strjoinv(", ", (gchar **)self->values) : g_strdup("");
	why = g_strdup_printf("is not one of: %s", choices);
	return prov_param_def_fail(self, value, error, why);
}

/*
 * g_utf8_validate() looks at one byte at a time; a profile's values are
 * nearly all ASCII, and every one of them is checked here. Eight bytes at a
 * time until the first byte that is not ASCII, then GLib from there.
 */
static gboolean
prov_param_def_is_utf8(const gchar *value)
{
	gsize length = strlen(value);
	gsize i = 0;

	for (; i + sizeof(guint64) <= length; i += sizeof(guint64)) {
		guint64 word;

		memcpy(&word, value + i, sizeof(word));
		if ((word & G_GUINT64_CONSTANT(0x8080808080808080)) != 0)
			break;
	}
	while (i < length && (guchar)value[i] < 0x80)
		i++;
	return i == length || g_utf8_validate_len(value + i, length - i, NULL);
}

static const gchar *
prov_param_def_canonicalize_bool(const ProvParamDef *self, const gchar *value, GError **error)
{
	for (guint i = 0; i < G_N_ELEMENTS(prov_param_bool_true); i++) {
		if (g_ascii_strcasecmp(prov_param_bool_true[i], value) == 0)
			return "Yes";
		if (g_ascii_strcasecmp(prov_param_bool_false[i], value) == 0)
			return "No";
	}
	return prov_param_def_fail(self, value, error, "is not a boolean (Yes or No)");
}

/**
 * prov_param_def_canonicalize:
 * @self: a #ProvParamDef
 * @value: a candidate value, already trimmed as the profile format demands
 * @error: return location for a #GError, or %NULL
 *
 * Checks @value against the parameter's type and returns the spelling that
 * is stored: `Yes`/`No` for booleans, the schema's spelling for enums, the
 * plain decimal form for unsigned integers, @value itself otherwise.
 *
 * The error is %PROV_ERROR_INVALID_VALUE with a message `Name: why`; it
 * quotes the value only when the parameter is not secret.
 *
 * Returns: (transfer none) (nullable): the canonical value, pointing into
 * @value or to storage owned by @self, or %NULL if @value is invalid
 *
 * Since: 0.1
 */
const gchar *
prov_param_def_canonicalize(const ProvParamDef *self, const gchar *value, GError **error)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(value != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!prov_param_def_is_utf8(value))
		return prov_param_def_fail(self, NULL, error, "is not valid UTF-8");
	if (self->ascii_only) {
		for (const guchar *p = (const guchar *)value; *p != '\0'; p++) {
			if (*p >= 0x80)
				return prov_param_def_fail(self, value, error,
							   "contains characters other than ASCII");
		}
	}
	switch (self->type) {
	case PROV_PARAM_TYPE_BOOL:
		return prov_param_def_canonicalize_bool(self, value, error);
	case PROV_PARAM_TYPE_UINT:
		return prov_param_def_canonicalize_uint(self, value, error);
	case PROV_PARAM_TYPE_ENUM:
		return prov_param_def_canonicalize_enum(self, value, error);
	case PROV_PARAM_TYPE_HHMM:
		if (!prov_param_hhmm_is_valid(value))
			return prov_param_def_fail(self, value, error,
						   "is not a time of day HHmm from 0000 to 2400");
		return value;
	case PROV_PARAM_TYPE_SCHEDULE:
		if (!prov_param_schedule_is_valid(value))
			return prov_param_def_fail(self, value, error,
						   "is not a schedule SECONDS[+RANDOM][,...]");
		return value;
	case PROV_PARAM_TYPE_LIST:
		if (!prov_param_list_is_valid(value))
			return prov_param_def_fail(self, value, error,
						   "is not a comma-separated list of numbers");
		return value;
	case PROV_PARAM_TYPE_VERSION:
		if (prov_param_has_space_or_control(value))
			return prov_param_def_fail(self, value, error,
						   "is not a version (it contains whitespace)");
		return value;
	case PROV_PARAM_TYPE_URL:
		if (prov_param_has_space_or_control(value))
			return prov_param_def_fail(self, value, error,
						   "is not a URL (it contains whitespace)");
		return value;
	case PROV_PARAM_TYPE_HOSTPORT:
		if (!prov_param_hostport_is_valid(value))
			return prov_param_def_fail(self, value, error, "is not host[:port]");
		return value;
	case PROV_PARAM_TYPE_STRING:
	case PROV_PARAM_TYPE_RULE:
	case PROV_PARAM_TYPE_TEMPLATE:
	case PROV_PARAM_TYPE_CONDITION:
	case PROV_PARAM_TYPE_LAST:
	default:
		return value;
	}
}

/*
 * Names follow the XML element names of reference 1.1: letters, digits and
 * `_ - .`, not starting with a digit, hyphen or dot, at most 256 bytes. A
 * template carries `{n}` where the index goes. Returns the number of `{n}`,
 * or -1 for an invalid name.
 */
gint
prov_param_name_count_placeholders(const gchar *name)
{
	gint n_placeholders = 0;
	gsize len = 0;

	if (!g_ascii_isalpha(name[0]) && name[0] != '_')
		return -1;
	for (const gchar *p = name; *p != '\0'; p++, len++) {
		if (p[0] == '{' && p[1] == 'n' && p[2] == '}') {
			n_placeholders++;
			p += 2;
			len += 2;
			continue;
		}
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return -1;
	}
	return len <= 256 ? n_placeholders : -1;
}

const gchar *
prov_param_def_get_effective_value(const ProvParamDef *self)
{
	if (self->value != NULL)
		return self->value;
	if (self->factory != NULL)
		return self->factory;
	return self->default_value;
}

ProvAccess
prov_param_def_get_effective_access(const ProvParamDef *self)
{
	return self->current_access != PROV_ACCESS_UNSET ? self->current_access : self->access;
}
