/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvParamSchema"

#include "config.h"

#include <json-c/json.h>
#include <string.h>

#include "prov-error.h"
#include "prov-param-schema-private.h"

/*
 * The schema reader walks the outer object and the "parameters" array
 * itself and hands each value, one entry at a time, to json-c's tokener.
 * Parsing the whole document into one json-c tree costs about 1 KiB of heap
 * per entry (every object gets its own hash table): ~100 MB and ~90 ms for
 * a vendor schema of 100 000 names. Entry by entry the heap stays small, and
 * every error can name the line of its entry, which json-c cannot do.
 *
 * json-c still costs ~600 ns per call (it switches the thread's locale on
 * every call, and gives every object a hash table), so entries that are flat objects of plain
 * strings - no escapes, no other JSON types, only keys whose values are strings - are recognised by
 * a scanner that only ever accepts: any doubt sends the entry to json-c, which then also produces
 * the error message. The format is described in data/params/README.md.
 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_tokener, json_tokener_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

#define PROV_PARAM_SCHEMA_VERSION   1
#define PROV_PARAM_SCHEMA_FILE_MAX  (256 * 1024 * 1024)
#define PROV_PARAM_SCHEMA_INDEX_MAX 9999

typedef struct {
	const ProvParamSchemaContext *ctx;
	const gchar *path;
	/* ours: the scanner ends accepted strings in place with NUL */
	gchar *data;
	gsize len;
	gsize pos;
	json_tokener *tokener;
	/* a cursor that turns increasing offsets into line numbers in O(n) overall */
	gsize line_offset;
	guint line;
	guint entry_line;
	json_object *defaults;
	GString *scratch;
	GArray *aliases;
	ProvParamDef *slab;
	guint slab_left;
} ProvParamSchemaReader;

/* ascii_only: never, always, or under one behaviour profile (a ProvBehaviour) */
#define PROV_PARAM_ASCII_NEVER	(-1)
#define PROV_PARAM_ASCII_ALWAYS ((gint)PROV_BEHAVIOUR_LAST)

#define PROV_PARAM_SCHEMA_SIMPLE_MAX 8

/* the keys whose value is a JSON string */
typedef enum {
	PROV_PARAM_KEY_OTHER,
	PROV_PARAM_KEY_NAME,
	PROV_PARAM_KEY_TYPE,
	PROV_PARAM_KEY_DEFAULT,
	PROV_PARAM_KEY_ACCESS,
	PROV_PARAM_KEY_GROUP,
	PROV_PARAM_KEY_DESCRIPTION,
	PROV_PARAM_KEY_ASCII_ONLY,
} ProvParamKey;

typedef struct {
	ProvParamKey key;
	const gchar *value;
} ProvParamSchemaPair;

/* definitions are allocated in slabs that live in ctx->blocks */
#define PROV_PARAM_SCHEMA_SLAB 1024

typedef struct {
	const gchar *name;
	gboolean is_template;
	ProvParamType type;
	const gchar *default_string;
	json_object *default_object;
	ProvAccess access;
	gboolean secret;
	gboolean restart;
	gint ascii_only;
	const gchar *group;
	const gchar *description;
	json_object *values;
	json_object *aliases;
	json_object *range;
	gboolean range_in_entry;
	gboolean has_min;
	gboolean has_max;
	guint64 min;
	guint64 max;
} ProvParamSpec;

typedef struct {
	const gchar *name;
	gint behaviour; /* -1: accepted under every profile, no export preference */
} ProvParamAlias;

static guint
prov_param_schema_line_at(ProvParamSchemaReader *self, gsize offset, gsize *line_start)
{
	if (offset < self->line_offset) {
		self->line_offset = 0;
		self->line = 1;
	}
	while (self->line_offset < offset) {
		const gchar *newline =
		    memchr(self->data + self->line_offset, '\n', offset - self->line_offset);

		/* without this a file on one line would be scanned again for every entry */
		if (newline == NULL) {
			self->line_offset = offset;
			break;
		}
		self->line_offset = (gsize)(newline - self->data) + 1;
		self->line++;
	}
	if (line_start != NULL) {
		gsize start = MIN(offset, self->len);

		while (start > 0 && self->data[start - 1] != '\n')
			start--;
		*line_start = start;
	}
	return self->line;
}

G_GNUC_PRINTF(4, 5)
static gboolean
prov_param_schema_fail_at(
    ProvParamSchemaReader *self, gsize offset, GError **error, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	gsize line_start = 0;
	guint line;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	line = prov_param_schema_line_at(self, offset, &line_start);
	g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s:%u:%u: %s", self->path, line,
		    (guint)(MIN(offset, self->len) - line_start + 1), message);
	return FALSE;
}

G_GNUC_PRINTF(4, 5)
static gboolean
prov_param_schema_fail_entry(
    ProvParamSchemaReader *self, const gchar *name, GError **error, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	if (name != NULL)
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s:%u: %s: %s", self->path,
			    self->entry_line, name, message);
	else
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s:%u: %s", self->path,
			    self->entry_line, message);
	return FALSE;
}

static void
prov_param_schema_skip_space(ProvParamSchemaReader *self)
{
	while (self->pos < self->len) {
		gchar c = self->data[self->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		self->pos++;
	}
}

static gboolean
prov_param_schema_expect(ProvParamSchemaReader *self, gchar c, GError **error)
{
	prov_param_schema_skip_space(self);
	if (self->pos >= self->len)
		return prov_param_schema_fail_at(self, self->pos, error,
						 "unexpected end of file, expected '%c'", c);
	if (self->data[self->pos] != c)
		return prov_param_schema_fail_at(self, self->pos, error, "expected '%c'", c);
	self->pos++;
	return TRUE;
}

static gchar
prov_param_schema_peek(ProvParamSchemaReader *self)
{
	prov_param_schema_skip_space(self);
	return self->pos < self->len ? self->data[self->pos] : '\0';
}

/* one JSON value at the cursor; *value may be NULL for a JSON null */
static gboolean
prov_param_schema_parse_value(ProvParamSchemaReader *self, json_object **value, GError **error)
{
	json_object *parsed;
	enum json_tokener_error json_error;

	prov_param_schema_skip_space(self);
	json_tokener_reset(self->tokener);
	parsed = json_tokener_parse_ex(self->tokener, self->data + self->pos,
				       (int)(self->len - self->pos));
	json_error = json_tokener_get_error(self->tokener);
	if (json_error == json_tokener_continue)
		return prov_param_schema_fail_at(self, self->len, error, "unexpected end of file");
	if (json_error != json_tokener_success)
		return prov_param_schema_fail_at(
		    self, self->pos + json_tokener_get_parse_end(self->tokener), error, "%s",
		    json_tokener_error_desc(json_error));
	self->pos += json_tokener_get_parse_end(self->tokener);
	*value = parsed;
	return TRUE;
}

static ProvParamKey
prov_param_schema_classify_key(const gchar *key, gsize len)
{
	switch (len) {
	case 4:
		if (memcmp(key, "name", 4) == 0)
			return PROV_PARAM_KEY_NAME;
		if (memcmp(key, "type", 4) == 0)
			return PROV_PARAM_KEY_TYPE;
		break;
	case 5:
		if (memcmp(key, "group", 5) == 0)
			return PROV_PARAM_KEY_GROUP;
		break;
	case 6:
		if (memcmp(key, "access", 6) == 0)
			return PROV_PARAM_KEY_ACCESS;
		break;
	case 7:
		if (memcmp(key, "default", 7) == 0)
			return PROV_PARAM_KEY_DEFAULT;
		break;
	case 10:
		if (memcmp(key, "ascii_only", 10) == 0)
			return PROV_PARAM_KEY_ASCII_ONLY;
		break;
	case 11:
		if (memcmp(key, "description", 11) == 0)
			return PROV_PARAM_KEY_DESCRIPTION;
		break;
	default:
		break;
	}
	return PROV_PARAM_KEY_OTHER;
}

static gboolean
prov_param_schema_apply_string(ProvParamSchemaReader *self,
			       ProvParamSpec *spec,
			       ProvParamKey key,
			       const gchar *text,
			       gboolean is_defaults,
			       GError **error)
{
	const gchar *name = spec->name;
	ProvBehaviour behaviour;

	switch (key) {
	case PROV_PARAM_KEY_NAME:
		if (is_defaults)
			return prov_param_schema_fail_entry(self, NULL, error,
							    "\"defaults\" cannot give a name");
		/* the caller has read it already */
		return TRUE;
	case PROV_PARAM_KEY_TYPE:
		if (!prov_param_type_from_string(text, &spec->type))
			return prov_param_schema_fail_entry(self, name, error,
							    "unknown type \"%s\"", text);
		return TRUE;
	case PROV_PARAM_KEY_DEFAULT:
		spec->default_string = text;
		spec->default_object = NULL;
		return TRUE;
	case PROV_PARAM_KEY_DESCRIPTION:
		spec->description = text;
		return TRUE;
	case PROV_PARAM_KEY_ACCESS:
		if (!prov_access_from_string(text, &spec->access))
			return prov_param_schema_fail_entry(
			    self, name, error, "\"access\" must be na, ro or rw, not \"%s\"", text);
		return TRUE;
	case PROV_PARAM_KEY_ASCII_ONLY:
		if (!prov_behaviour_from_string(text, &behaviour))
			return prov_param_schema_fail_entry(
			    self, name, error,
			    "\"ascii_only\" must be true, false or a behaviour profile");
		spec->ascii_only = (gint)behaviour;
		return TRUE;
	case PROV_PARAM_KEY_GROUP:
		spec->group = text;
		return TRUE;
	case PROV_PARAM_KEY_OTHER:
	default:
		g_assert_not_reached();
	}
}

static gboolean
prov_param_schema_get_bool(ProvParamSchemaReader *self,
			   const gchar *name,
			   const gchar *key,
			   json_object *value,
			   gboolean *out,
			   GError **error)
{
	if (!json_object_is_type(value, json_type_boolean))
		return prov_param_schema_fail_entry(self, name, error,
						    "\"%s\" must be true or false", key);
	*out = json_object_get_boolean(value);
	return TRUE;
}

static gboolean
prov_param_schema_get_uint(ProvParamSchemaReader *self,
			   const gchar *name,
			   const gchar *key,
			   json_object *value,
			   guint64 *out,
			   GError **error)
{
	if (!json_object_is_type(value, json_type_int) || json_object_get_int64(value) < 0)
		return prov_param_schema_fail_entry(self, name, error,
						    "\"%s\" must be an integer of at least 0", key);
	*out = (guint64)json_object_get_int64(value);
	return TRUE;
}

static gboolean
prov_param_schema_apply_json(ProvParamSchemaReader *self,
			     ProvParamSpec *spec,
			     const gchar *key,
			     json_object *value,
			     gboolean is_defaults,
			     GError **error)
{
	const gchar *name = spec->name;
	ProvParamKey key_id = prov_param_schema_classify_key(key, strlen(key));

	if (key_id != PROV_PARAM_KEY_OTHER && json_object_is_type(value, json_type_string))
		return prov_param_schema_apply_string(
		    self, spec, key_id, json_object_get_string(value), is_defaults, error);
	if (strcmp(key, "default") == 0) {
		if (!json_object_is_type(value, json_type_object))
			return prov_param_schema_fail_entry(
			    self, name, error,
			    "\"default\" must be a string or an object of strings");
		spec->default_object = value;
		spec->default_string = NULL;
	} else if (strcmp(key, "secret") == 0) {
		return prov_param_schema_get_bool(self, name, key, value, &spec->secret, error);
	} else if (strcmp(key, "restart") == 0) {
		return prov_param_schema_get_bool(self, name, key, value, &spec->restart, error);
	} else if (strcmp(key, "ascii_only") == 0) {
		gboolean ascii_only = FALSE;

		if (!prov_param_schema_get_bool(self, name, key, value, &ascii_only, error))
			return FALSE;
		spec->ascii_only = ascii_only ? PROV_PARAM_ASCII_ALWAYS : PROV_PARAM_ASCII_NEVER;
	} else if (strcmp(key, "values") == 0) {
		if (!json_object_is_type(value, json_type_array))
			return prov_param_schema_fail_entry(
			    self, name, error, "\"values\" must be an array of strings");
		spec->values = value;
	} else if (strcmp(key, "aliases") == 0) {
		if (is_defaults)
			return prov_param_schema_fail_entry(self, NULL, error,
							    "\"defaults\" cannot give aliases");
		if (!json_object_is_type(value, json_type_array))
			return prov_param_schema_fail_entry(self, name, error,
							    "\"aliases\" must be an array");
		spec->aliases = value;
	} else if (strcmp(key, "range") == 0) {
		spec->range = value;
		spec->range_in_entry = !is_defaults;
	} else if (strcmp(key, "min") == 0) {
		spec->has_min = TRUE;
		return prov_param_schema_get_uint(self, name, key, value, &spec->min, error);
	} else if (strcmp(key, "max") == 0) {
		spec->has_max = TRUE;
		return prov_param_schema_get_uint(self, name, key, value, &spec->max, error);
	} else if (strcmp(key, "name") == 0 || strcmp(key, "type") == 0 ||
		   strcmp(key, "access") == 0 || strcmp(key, "group") == 0 ||
		   strcmp(key, "description") == 0) {
		return prov_param_schema_fail_entry(self, name, error, "\"%s\" must be a string",
						    key);
	} else {
		return prov_param_schema_fail_entry(self, name, error, "unknown key \"%s\"", key);
	}
	return TRUE;
}

static gboolean
prov_param_schema_parse_spec(ProvParamSchemaReader *self,
			     ProvParamSpec *spec,
			     json_object *object,
			     gboolean is_defaults,
			     GError **error)
{
	json_object_object_foreach(object, key, value)
	{
		if (!prov_param_schema_apply_json(self, spec, key, value, is_defaults, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
prov_param_schema_parse_range(ProvParamSchemaReader *self,
			      const ProvParamSpec *spec,
			      guint *first,
			      guint *last,
			      GError **error)
{
	json_object *bound;
	gint64 bounds[2];

	if (spec->range == NULL)
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "a template needs a \"range\"");
	if (json_object_is_type(spec->range, json_type_string) &&
	    strcmp(json_object_get_string(spec->range), "lines") == 0) {
		*first = 1;
		*last = self->ctx->line_count;
		return TRUE;
	}
	if (!json_object_is_type(spec->range, json_type_array) ||
	    json_object_array_length(spec->range) != 2)
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "\"range\" must be [first, last] or \"lines\"");
	for (guint i = 0; i < 2; i++) {
		bound = json_object_array_get_idx(spec->range, i);
		if (!json_object_is_type(bound, json_type_int))
			return prov_param_schema_fail_entry(self, spec->name, error,
							    "\"range\" bounds must be integers");
		bounds[i] = json_object_get_int64(bound);
	}
	if (bounds[0] < 0 || bounds[0] > bounds[1] || bounds[1] > PROV_PARAM_SCHEMA_INDEX_MAX)
		return prov_param_schema_fail_entry(
		    self, spec->name, error, "\"range\" must satisfy 0 <= first <= last <= %d",
		    PROV_PARAM_SCHEMA_INDEX_MAX);
	*first = (guint)bounds[0];
	*last = (guint)bounds[1];
	return TRUE;
}

static gboolean
prov_param_schema_resolve_ascii(gint ascii_only, ProvBehaviour behaviour)
{
	return ascii_only == PROV_PARAM_ASCII_ALWAYS || ascii_only == (gint)behaviour;
}

/* empty and repeated strings ("", "Yes", "No") cost nothing */
static const gchar *
prov_param_schema_intern(ProvParamSchemaReader *self, const gchar *text)
{
	if (text == NULL || *text == '\0')
		return "";
	return g_string_chunk_insert_const(self->ctx->strings, text);
}

static gboolean
prov_param_schema_check_default(ProvParamSchemaReader *self,
				ProvParamDef *proto,
				const ProvParamSpec *spec,
				ProvBehaviour behaviour,
				const gchar *value,
				const gchar **canonical,
				GError **error)
{
	g_autoptr(GError) error_local = NULL;

	proto->ascii_only = prov_param_schema_resolve_ascii(spec->ascii_only, behaviour);
	*canonical = prov_param_def_canonicalize(proto, value, &error_local);
	if (*canonical == NULL)
		return prov_param_schema_fail_entry(self, NULL, error, "%s (the %s default)",
						    error_local->message,
						    prov_behaviour_to_string(behaviour));
	return TRUE;
}

static gboolean
prov_param_schema_resolve_default(ProvParamSchemaReader *self,
				  ProvParamDef *proto,
				  const ProvParamSpec *spec,
				  GError **error)
{
	ProvBehaviour active = self->ctx->behaviour;
	const gchar *chosen = "";
	const gchar *canonical = NULL;
	gboolean found = FALSE;

	if (spec->default_string != NULL) {
		/* one default for every profile: the profile with the ascii rule is the strictest
		 */
		ProvBehaviour strictest =
		    spec->ascii_only >= 0 && spec->ascii_only < PROV_BEHAVIOUR_LAST
			? (ProvBehaviour)spec->ascii_only
			: active;

		if (!prov_param_schema_check_default(self, proto, spec, strictest,
						     spec->default_string, &canonical, error))
			return FALSE;
		chosen = prov_param_schema_intern(self, canonical);
		found = TRUE;
	} else if (spec->default_object != NULL) {
		json_object_object_foreach(spec->default_object, key, value)
		{
			ProvBehaviour behaviour;

			if (!prov_behaviour_from_string(key, &behaviour))
				return prov_param_schema_fail_entry(
				    self, spec->name, error,
				    "\"default\" names an unknown behaviour profile \"%s\"", key);
			if (!json_object_is_type(value, json_type_string))
				return prov_param_schema_fail_entry(
				    self, spec->name, error, "the %s default must be a string",
				    key);
			if (!prov_param_schema_check_default(self, proto, spec, behaviour,
							     json_object_get_string(value),
							     &canonical, error))
				return FALSE;
			if (behaviour == active) {
				chosen = prov_param_schema_intern(self, canonical);
				found = TRUE;
			}
		}
	}
	/* no default for the active profile means the empty string, which must fit the type */
	if (!found &&
	    !prov_param_schema_check_default(self, proto, spec, active, "", &canonical, error))
		return FALSE;
	proto->ascii_only = prov_param_schema_resolve_ascii(spec->ascii_only, active);
	proto->default_value = chosen;
	return TRUE;
}

static gboolean
prov_param_schema_resolve_values(ProvParamSchemaReader *self,
				 ProvParamDef *proto,
				 const ProvParamSpec *spec,
				 GError **error)
{
	const gchar **values;
	gsize n_values;

	if (spec->type != PROV_PARAM_TYPE_ENUM) {
		if (spec->values != NULL)
			return prov_param_schema_fail_entry(self, spec->name, error,
							    "\"values\" needs type enum");
		return TRUE;
	}
	n_values = spec->values != NULL ? json_object_array_length(spec->values) : 0;
	if (n_values == 0)
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "an enum needs a non-empty \"values\"");
	values = g_new0(const gchar *, n_values + 1);
	g_ptr_array_add(self->ctx->blocks, values);
	for (gsize i = 0; i < n_values; i++) {
		json_object *value = json_object_array_get_idx(spec->values, i);

		if (!json_object_is_type(value, json_type_string))
			return prov_param_schema_fail_entry(self, spec->name, error,
							    "\"values\" must be strings");
		for (gsize j = 0; j < i; j++) {
			if (g_ascii_strcasecmp(values[j], json_object_get_string(value)) == 0)
				return prov_param_schema_fail_entry(self, spec->name, error,
								    "\"values\" lists \"%s\" twice",
								    values[j]);
		}
		values[i] = prov_param_schema_intern(self, json_object_get_string(value));
	}
	proto->values = values;
	return TRUE;
}

static gboolean
prov_param_schema_parse_aliases(ProvParamSchemaReader *self,
				const ProvParamSpec *spec,
				gboolean is_template,
				GArray *aliases,
				GError **error)
{
	gsize n_aliases = spec->aliases != NULL ? json_object_array_length(spec->aliases) : 0;

	for (gsize i = 0; i < n_aliases; i++) {
		json_object *item = json_object_array_get_idx(spec->aliases, i);
		ProvParamAlias alias = {NULL, -1};

		if (json_object_is_type(item, json_type_string)) {
			alias.name = json_object_get_string(item);
		} else if (json_object_is_type(item, json_type_object)) {
			json_object_object_foreach(item, key, value)
			{
				ProvBehaviour behaviour;

				if (strcmp(key, "name") == 0 &&
				    json_object_is_type(value, json_type_string)) {
					alias.name = json_object_get_string(value);
				} else if (strcmp(key, "behaviour") == 0 &&
					   json_object_is_type(value, json_type_string) &&
					   prov_behaviour_from_string(json_object_get_string(value),
								      &behaviour)) {
					alias.behaviour = (gint)behaviour;
				} else {
					return prov_param_schema_fail_entry(
					    self, spec->name, error,
					    "an alias object takes \"name\" and \"behaviour\" "
					    "(mpp or spa), not \"%s\"",
					    key);
				}
			}
		}
		if (alias.name == NULL)
			return prov_param_schema_fail_entry(
			    self, spec->name, error,
			    "an alias must be a string or an object with a \"name\"");
		if (prov_param_name_count_placeholders(alias.name) != (is_template ? 1 : 0))
			return prov_param_schema_fail_entry(
			    self, spec->name, error, "invalid alias \"%s\"%s", alias.name,
			    is_template ? " (an alias of a template contains {n} once)" : "");
		g_array_append_val(aliases, alias);
	}
	return TRUE;
}

/* replaces every {n} of a template string; NULL when it has none */
static const gchar *
prov_param_schema_expand(ProvParamSchemaReader *self, const gchar *text, guint index)
{
	const gchar *placeholder = strstr(text, "{n}");

	if (placeholder == NULL)
		return NULL;
	g_string_truncate(self->scratch, 0);
	while (placeholder != NULL) {
		g_string_append_len(self->scratch, text, placeholder - text);
		g_string_append_printf(self->scratch, "%u", index);
		text = placeholder + 3;
		placeholder = strstr(text, "{n}");
	}
	g_string_append(self->scratch, text);
	return self->scratch->str;
}

static const gchar *
prov_param_schema_instantiate(ProvParamSchemaReader *self,
			      const gchar *text,
			      gboolean is_template,
			      guint index,
			      gboolean intern)
{
	const gchar *expanded = is_template ? prov_param_schema_expand(self, text, index) : NULL;

	if (expanded != NULL)
		text = expanded;
	else if (text == NULL || *text == '\0')
		return "";
	return intern ? g_string_chunk_insert_const(self->ctx->strings, text)
		      : g_string_chunk_insert(self->ctx->strings, text);
}

static gboolean
prov_param_schema_emit(ProvParamSchemaReader *self,
		       const ProvParamDef *proto,
		       const ProvParamSpec *spec,
		       GArray *aliases,
		       gboolean is_template,
		       guint index,
		       gboolean group_varies,
		       gboolean description_varies,
		       GError **error)
{
	ProvParamDef *def;

	if (self->slab_left == 0) {
		self->slab = g_new(ProvParamDef, PROV_PARAM_SCHEMA_SLAB);
		self->slab_left = PROV_PARAM_SCHEMA_SLAB;
		g_ptr_array_add(self->ctx->blocks, self->slab);
	}
	def = self->slab++;
	self->slab_left--;
	*def = *proto;
	def->index = index;
	def->name = prov_param_schema_instantiate(self, spec->name, is_template, index, FALSE);
	def->export_name = def->name;
	if (group_varies)
		def->group = prov_param_schema_instantiate(self, spec->group, TRUE, index, TRUE);
	if (description_varies)
		def->description =
		    prov_param_schema_instantiate(self, spec->description, TRUE, index, FALSE);
	if (aliases->len > 0) {
		const gchar **names = g_new0(const gchar *, aliases->len + 1);

		g_ptr_array_add(self->ctx->blocks, names);
		for (guint i = 0; i < aliases->len; i++) {
			const ProvParamAlias *alias = &g_array_index(aliases, ProvParamAlias, i);

			names[i] = prov_param_schema_instantiate(self, alias->name, is_template,
								 index, FALSE);
			/* the first alias tied to the active profile is that family's name */
			if (alias->behaviour == (gint)self->ctx->behaviour &&
			    def->export_name == def->name)
				def->export_name = names[i];
		}
		def->aliases = names;
	}
	return self->ctx->add(def, self->ctx->user_data, error);
}

static gboolean
prov_param_schema_check_name(ProvParamSchemaReader *self,
			     ProvParamSpec *spec,
			     const gchar *name,
			     GError **error)
{
	gint n_placeholders = prov_param_name_count_placeholders(name);

	spec->name = name;
	spec->is_template = n_placeholders == 1;
	if (n_placeholders < 0 || n_placeholders > 1)
		return prov_param_schema_fail_entry(self, name, error, "invalid parameter name");
	return TRUE;
}

/* turns a complete spec into its definitions, one per index for a template */
static gboolean
prov_param_schema_build(ProvParamSchemaReader *self, const ProvParamSpec *spec, GError **error)
{
	ProvParamDef proto = {0};
	gboolean is_template = spec->is_template;
	gboolean group_varies;
	gboolean description_varies;
	guint first = 0;
	guint last = 0;

	proto.name = spec->name;
	proto.type = spec->type;
	proto.access = spec->access;
	proto.secret = spec->secret;
	proto.restart = spec->restart;
	proto.source = self->path;
	proto.source_line = self->entry_line;
	proto.min = spec->has_min ? spec->min : 0;
	proto.max = spec->has_max ? spec->max : G_MAXUINT32;
	if (spec->type != PROV_PARAM_TYPE_UINT && (spec->has_min || spec->has_max))
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "\"min\" and \"max\" need type uint");
	if (proto.min > proto.max)
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "\"min\" is larger than \"max\"");
	if (!is_template && spec->range_in_entry)
		return prov_param_schema_fail_entry(self, spec->name, error,
						    "\"range\" needs {n} in the name");
	if (is_template && !prov_param_schema_parse_range(self, spec, &first, &last, error))
		return FALSE;
	if (!prov_param_schema_resolve_values(self, &proto, spec, error))
		return FALSE;
	if (!prov_param_schema_resolve_default(self, &proto, spec, error))
		return FALSE;
	g_array_set_size(self->aliases, 0);
	if (!prov_param_schema_parse_aliases(self, spec, is_template, self->aliases, error))
		return FALSE;

	/* group and description are shared by all instances unless they carry {n} */
	group_varies = is_template && spec->group != NULL && strstr(spec->group, "{n}") != NULL;
	description_varies =
	    is_template && spec->description != NULL && strstr(spec->description, "{n}") != NULL;
	proto.group = group_varies ? NULL : prov_param_schema_intern(self, spec->group);
	proto.description =
	    description_varies || spec->description == NULL || spec->description[0] == '\0'
		? ""
		: g_string_chunk_insert(self->ctx->strings, spec->description);

	if (!is_template)
		return prov_param_schema_emit(self, &proto, spec, self->aliases, FALSE, 0, FALSE,
					      FALSE, error);
	for (guint index = first; index <= last; index++) {
		if (!prov_param_schema_emit(self, &proto, spec, self->aliases, TRUE, index,
					    group_varies, description_varies, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
prov_param_schema_read_entry(ProvParamSchemaReader *self,
			     const ProvParamSpec *base,
			     json_object *entry,
			     GError **error)
{
	ProvParamSpec spec = *base;
	json_object *name = NULL;

	if (!json_object_object_get_ex(entry, "name", &name) ||
	    !json_object_is_type(name, json_type_string))
		return prov_param_schema_fail_entry(self, NULL, error,
						    "a parameter needs a \"name\" string");
	if (!prov_param_schema_check_name(self, &spec, json_object_get_string(name), error))
		return FALSE;
	if (!prov_param_schema_parse_spec(self, &spec, entry, FALSE, error))
		return FALSE;
	return prov_param_schema_build(self, &spec, error);
}

static gboolean
prov_param_schema_read_simple_entry(ProvParamSchemaReader *self,
				    const ProvParamSpec *base,
				    const ProvParamSchemaPair *pairs,
				    guint n_pairs,
				    GError **error)
{
	ProvParamSpec spec = *base;
	const gchar *name = NULL;

	for (guint i = 0; i < n_pairs; i++) {
		if (pairs[i].key == PROV_PARAM_KEY_NAME)
			name = pairs[i].value;
	}
	if (name == NULL)
		return prov_param_schema_fail_entry(self, NULL, error,
						    "a parameter needs a \"name\" string");
	if (!prov_param_schema_check_name(self, &spec, name, error))
		return FALSE;
	for (guint i = 0; i < n_pairs; i++) {
		if (!prov_param_schema_apply_string(self, &spec, pairs[i].key, pairs[i].value,
						    FALSE, error))
			return FALSE;
	}
	return prov_param_schema_build(self, &spec, error);
}

/* a JSON string without escapes or control characters; the cursor ends on the closing quote */
/*
 * Bytes that end the fast loop over a string: the closing quote, an escape,
 * a control character (NUL included, so the loop needs no bounds check:
 * g_file_get_contents() ends the data with one) and non-ASCII bytes.
 */
static gboolean
prov_param_schema_is_special(guchar c)
{
	return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}

/* a JSON string without escapes or control characters; the cursor ends on the closing quote */
static gboolean
prov_param_schema_scan_plain_string(ProvParamSchemaReader *self, gsize *cursor)
{
	static gboolean special[256];
	static gsize special_init = 0;
	const guchar *data = (const guchar *)self->data;
	gsize p = *cursor;
	gsize start;
	gboolean non_ascii = FALSE;

	if (g_once_init_enter(&special_init)) {
		for (guint c = 0; c < 256; c++)
			special[c] = prov_param_schema_is_special((guchar)c);
		g_once_init_leave(&special_init, 1);
	}
	if (p >= self->len || data[p] != '"')
		return FALSE;
	start = ++p;
	for (;;) {
		while (!special[data[p]])
			p++;
		if (data[p] < 0x80)
			break;
		non_ascii = TRUE;
		p++;
	}
	if (data[p] != '"' || p >= self->len)
		return FALSE;
	if (non_ascii && !g_utf8_validate_len(self->data + start, p - start, NULL))
		return FALSE;
	*cursor = p;
	return TRUE;
}

static void
prov_param_schema_skip_space_at(ProvParamSchemaReader *self, gsize *cursor)
{
	while (*cursor < self->len) {
		gchar c = self->data[*cursor];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		(*cursor)++;
	}
}

/*
 * Recognises an entry {"key": "text", ...} of plain strings whose keys all
 * take a string, at most PROV_PARAM_SCHEMA_SIMPLE_MAX of them and none twice.
 * It only accepts, never reports: on FALSE nothing has changed and the entry
 * goes to json-c. On TRUE the strings are ended with NUL in place (the
 * reader never looks back) and the cursor is after the entry.
 */
static gboolean
prov_param_schema_scan_simple(ProvParamSchemaReader *self,
			      ProvParamSchemaPair *pairs,
			      guint *n_pairs)
{
	gsize ends[PROV_PARAM_SCHEMA_SIMPLE_MAX * 2];
	gsize starts[PROV_PARAM_SCHEMA_SIMPLE_MAX * 2];
	ProvParamKey keys[PROV_PARAM_SCHEMA_SIMPLE_MAX];
	gsize p = self->pos;
	guint n = 0;

	if (p >= self->len || self->data[p] != '{')
		return FALSE;
	p++;
	for (;;) {
		if (n == PROV_PARAM_SCHEMA_SIMPLE_MAX)
			return FALSE;
		for (guint half = 0; half < 2; half++) {
			prov_param_schema_skip_space_at(self, &p);
			starts[n * 2 + half] = p + 1;
			if (!prov_param_schema_scan_plain_string(self, &p))
				return FALSE;
			ends[n * 2 + half] = p++;
			if (half == 0) {
				prov_param_schema_skip_space_at(self, &p);
				if (p >= self->len || self->data[p] != ':')
					return FALSE;
				p++;
			}
		}
		keys[n] = prov_param_schema_classify_key(self->data + starts[n * 2],
							 ends[n * 2] - starts[n * 2]);
		if (keys[n] == PROV_PARAM_KEY_OTHER)
			return FALSE;
		for (guint i = 0; i < n; i++) {
			if (keys[i] == keys[n])
				return FALSE;
		}
		n++;
		prov_param_schema_skip_space_at(self, &p);
		if (p < self->len && self->data[p] == '}')
			break;
		if (p >= self->len || self->data[p] != ',')
			return FALSE;
		p++;
	}
	for (guint i = 0; i < n * 2; i++)
		self->data[ends[i]] = '\0';
	for (guint i = 0; i < n; i++) {
		pairs[i].key = keys[i];
		pairs[i].value = self->data + starts[i * 2 + 1];
	}
	*n_pairs = n;
	self->pos = p + 1;
	return TRUE;
}

static gboolean
prov_param_schema_read_parameters(ProvParamSchemaReader *self,
				  const ProvParamSpec *base,
				  GError **error)
{
	if (!prov_param_schema_expect(self, '[', error))
		return FALSE;
	if (prov_param_schema_peek(self) == ']') {
		self->pos++;
		return TRUE;
	}
	for (;;) {
		g_autoptr(json_object) entry = NULL;
		ProvParamSchemaPair pairs[PROV_PARAM_SCHEMA_SIMPLE_MAX];
		guint n_pairs = 0;
		gsize entry_offset;
		gchar next;

		prov_param_schema_skip_space(self);
		entry_offset = self->pos;
		self->entry_line = prov_param_schema_line_at(self, entry_offset, NULL);
		if (prov_param_schema_scan_simple(self, pairs, &n_pairs)) {
			if (!prov_param_schema_read_simple_entry(self, base, pairs, n_pairs, error))
				return FALSE;
		} else {
			if (!prov_param_schema_parse_value(self, &entry, error))
				return FALSE;
			if (!json_object_is_type(entry, json_type_object))
				return prov_param_schema_fail_at(self, entry_offset, error,
								 "a parameter must be an object");
			if (!prov_param_schema_read_entry(self, base, entry, error))
				return FALSE;
		}
		next = prov_param_schema_peek(self);
		if (next == ']') {
			self->pos++;
			return TRUE;
		}
		if (next != ',')
			return prov_param_schema_fail_at(self, self->pos, error, "%s",
							 self->pos >= self->len
							     ? "unexpected end of file"
							     : "expected ',' or ']'");
		self->pos++;
	}
}

static gboolean
prov_param_schema_read_document(ProvParamSchemaReader *self, GError **error)
{
	ProvParamSpec base = {NULL, PROV_PARAM_TYPE_STRING};
	gboolean seen_version = FALSE;
	gboolean seen_parameters = FALSE;
	gboolean seen_defaults = FALSE;

	base.access = PROV_ACCESS_RW;
	base.ascii_only = PROV_PARAM_ASCII_NEVER;
	if (!prov_param_schema_expect(self, '{', error))
		return FALSE;
	if (prov_param_schema_peek(self) == '}') {
		self->pos++;
	} else {
		for (;;) {
			g_autoptr(json_object) key = NULL;
			g_autoptr(json_object) value = NULL;
			const gchar *name;
			gsize key_offset;
			gchar next;

			prov_param_schema_skip_space(self);
			key_offset = self->pos;
			if (prov_param_schema_peek(self) != '"')
				return prov_param_schema_fail_at(self, self->pos, error,
								 "expected a quoted key");
			if (!prov_param_schema_parse_value(self, &key, error))
				return FALSE;
			if (!prov_param_schema_expect(self, ':', error))
				return FALSE;
			name = json_object_get_string(key);
			if (strcmp(name, "parameters") == 0) {
				if (seen_parameters)
					return prov_param_schema_fail_at(
					    self, key_offset, error, "duplicate key \"%s\"", name);
				seen_parameters = TRUE;
				if (!prov_param_schema_read_parameters(self, &base, error))
					return FALSE;
			} else if (strcmp(name, "version") == 0) {
				if (seen_version)
					return prov_param_schema_fail_at(
					    self, key_offset, error, "duplicate key \"%s\"", name);
				seen_version = TRUE;
				if (!prov_param_schema_parse_value(self, &value, error))
					return FALSE;
				if (!json_object_is_type(value, json_type_int) ||
				    json_object_get_int64(value) != PROV_PARAM_SCHEMA_VERSION)
					return prov_param_schema_fail_at(
					    self, key_offset, error,
					    "unsupported schema version (this reader knows %d)",
					    PROV_PARAM_SCHEMA_VERSION);
			} else if (strcmp(name, "defaults") == 0) {
				if (seen_defaults || seen_parameters)
					return prov_param_schema_fail_at(
					    self, key_offset, error,
					    "\"defaults\" must come once, before \"parameters\"");
				seen_defaults = TRUE;
				if (!prov_param_schema_parse_value(self, &value, error))
					return FALSE;
				if (!json_object_is_type(value, json_type_object))
					return prov_param_schema_fail_at(
					    self, key_offset, error,
					    "\"defaults\" must be an object");
				self->entry_line =
				    prov_param_schema_line_at(self, key_offset, NULL);
				if (!prov_param_schema_parse_spec(self, &base, value, TRUE, error))
					return FALSE;
				/* base points into it */
				self->defaults = g_steal_pointer(&value);
			} else {
				return prov_param_schema_fail_at(self, key_offset, error,
								 "unknown key \"%s\"", name);
			}
			next = prov_param_schema_peek(self);
			if (next == '}') {
				self->pos++;
				break;
			}
			if (next != ',')
				return prov_param_schema_fail_at(self, self->pos, error, "%s",
								 self->pos >= self->len
								     ? "unexpected end of file"
								     : "expected ',' or '}'");
			self->pos++;
		}
	}
	prov_param_schema_skip_space(self);
	if (self->pos != self->len)
		return prov_param_schema_fail_at(self, self->pos, error,
						 "unexpected text after the schema object");
	if (!seen_version || !seen_parameters) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s: missing \"%s\"", self->path,
			    seen_version ? "parameters" : "version");
		return FALSE;
	}
	return TRUE;
}

gboolean
prov_param_schema_load_file(const ProvParamSchemaContext *ctx, const gchar *path, GError **error)
{
	g_autoptr(json_tokener) tokener = json_tokener_new();
	g_autoptr(GString) scratch = g_string_new(NULL);
	g_autoptr(GArray) aliases = g_array_new(FALSE, FALSE, sizeof(ProvParamAlias));
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;
	ProvParamSchemaReader reader = {0};
	gboolean ok;

	if (!g_file_get_contents(path, &data, &len, &error_local)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s", error_local->message);
		return FALSE;
	}
	if (len > PROV_PARAM_SCHEMA_FILE_MAX) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s: file larger than %d bytes",
			    path, PROV_PARAM_SCHEMA_FILE_MAX);
		return FALSE;
	}
	/* strict JSON, valid UTF-8; values are followed by our own punctuation */
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
					    JSON_TOKENER_VALIDATE_UTF8);
	reader.ctx = ctx;
	reader.path = g_string_chunk_insert_const(ctx->strings, path);
	reader.data = data;
	reader.len = len;
	reader.tokener = tokener;
	reader.line = 1;
	reader.scratch = scratch;
	reader.aliases = aliases;
	ok = prov_param_schema_read_document(&reader, error);
	g_clear_pointer(&reader.defaults, json_object_put);
	return ok;
}
