/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvParams"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prov-config.h"
#include "prov-error.h"
#include "prov-param-schema-private.h"
#include "prov-params-private.h"

/*
 * The state file: {"version": 1, "values": {NAME: VALUE, ...},
 * "access": {NAME: "na"|"ro"|"rw", ...}} with only the values and levels
 * that were set, in schema declaration order. Two flat objects keep json-c's
 * per-object cost out of loading; a truncated file never parses, so a torn
 * write is always detected (R4).
 */
#define PROV_PARAMS_STATE_VERSION 1

G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_tokener, json_tokener_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

/* per-parameter detail only when someone listens: formatting 100 000 lines costs */
#define prov_params_debug(...)                                                                     \
	G_STMT_START                                                                               \
	{                                                                                          \
		if (!g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))             \
			g_debug(__VA_ARGS__);                                                      \
	}                                                                                          \
	G_STMT_END

/**
 * ProvParams:
 *
 * The parameter model: the definitions of a schema, and the current value
 * and user access level of each parameter, persisted in one state file.
 * Values change only through a #ProvParamsTransaction, all or nothing.
 *
 * Since: 0.1
 */
struct _ProvParams {
	GObject parent_instance;
	ProvBehaviour behaviour;
	guint line_count;
	gboolean schema_loaded;
	GStringChunk *strings;
	GPtrArray *blocks;
	GPtrArray *defs;
	GHashTable *names;
	GPtrArray *sorted;
	gchar *state_path;
	gchar *backup_path;
	gchar *temp_path;
	gchar *state_dir;
	/* the file at state_path is complete, so it may become the last good copy */
	gboolean state_good;
	ProvParamsIoStep fault_step;
	ProvParamsIoFault fault;
	/* a simulated crash skips all cleanup, as a killed process would */
	gboolean crashed;
	guint n_state_writes;
	/* moves whenever a value or level may have changed (prov_params_get_serial()) */
	guint64 serial;
};

G_DEFINE_TYPE(ProvParams, prov_params, G_TYPE_OBJECT)

enum { SIGNAL_CHANGED, SIGNAL_LAST };

static guint signals[SIGNAL_LAST] = {0};

static const gchar *const prov_params_io_step_names[] = {
    [PROV_PARAMS_IO_STEP_NONE] = "none",	   [PROV_PARAMS_IO_STEP_BACKUP] = "backup",
    [PROV_PARAMS_IO_STEP_OPEN] = "open",	   [PROV_PARAMS_IO_STEP_WRITE] = "write",
    [PROV_PARAMS_IO_STEP_FSYNC] = "fsync",	   [PROV_PARAMS_IO_STEP_RENAME] = "rename",
    [PROV_PARAMS_IO_STEP_FSYNC_DIR] = "fsync-dir",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_params_io_step_names) == PROV_PARAMS_IO_STEP_LAST);

/**
 * prov_params_get_behaviour:
 * @self: a #ProvParams
 *
 * Returns: the behaviour profile whose defaults and export names are used
 *
 * Since: 0.1
 */
ProvBehaviour
prov_params_get_behaviour(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), PROV_BEHAVIOUR_MPP);
	return self->behaviour;
}

/**
 * prov_params_set_line_count:
 * @self: a #ProvParams
 * @line_count: the number of lines of the device, at least 1
 *
 * Sets how many definitions the `"range": "lines"` templates of the schema
 * (`User_ID_{n}_` and friends) expand to. Call it before loading a schema.
 *
 * Since: 0.1
 */
void
prov_params_set_line_count(ProvParams *self, guint line_count)
{
	g_return_if_fail(PROV_IS_PARAMS(self));
	g_return_if_fail(line_count >= 1);
	g_return_if_fail(!self->schema_loaded);
	self->line_count = line_count;
}

/**
 * prov_params_get_line_count:
 * @self: a #ProvParams
 *
 * Returns: the number of lines the line templates expand to
 *
 * Since: 0.1
 */
guint
prov_params_get_line_count(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), 0);
	return self->line_count;
}

static gboolean
prov_params_clash(const ProvParamDef *def,
		  const gchar *key,
		  const ProvParamDef *other,
		  GError **error)
{
	g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "%s:%u: %s: already declared in %s:%u",
		    def->source, def->source_line, key, other->source, other->source_line);
	return FALSE;
}

static gboolean
prov_params_add_def_cb(ProvParamDef *def, gpointer user_data, GError **error)
{
	ProvParams *self = user_data;

	/* aliases are rare: check them all before inserting any key */
	for (guint i = 0; def->aliases != NULL && def->aliases[i] != NULL; i++) {
		const ProvParamDef *other = g_hash_table_lookup(self->names, def->aliases[i]);

		if (other != NULL)
			return prov_params_clash(def, def->aliases[i], other, error);
		if (g_strcmp0(def->aliases[i], def->name) == 0)
			return prov_params_clash(def, def->aliases[i], def, error);
		for (guint j = 0; j < i; j++) {
			if (g_strcmp0(def->aliases[i], def->aliases[j]) == 0)
				return prov_params_clash(def, def->aliases[i], def, error);
		}
	}
	/*
	 * one hash operation per name on the common path: a clash replaced the
	 * value, so find the earlier owner the slow way and put it back
	 */
	if (!g_hash_table_insert(self->names, (gpointer)def->name, def)) {
		const ProvParamDef *other = NULL;

		for (guint i = 0; other == NULL && i < self->defs->len; i++) {
			const ProvParamDef *candidate = g_ptr_array_index(self->defs, i);

			if (g_strcmp0(candidate->name, def->name) == 0 ||
			    (candidate->aliases != NULL &&
			     g_strv_contains(candidate->aliases, def->name)))
				other = candidate;
		}
		g_assert(other != NULL);
		g_hash_table_insert(self->names, (gpointer)def->name, (gpointer)other);
		return prov_params_clash(def, def->name, other, error);
	}
	g_ptr_array_add(self->defs, def);
	for (guint i = 0; def->aliases != NULL && def->aliases[i] != NULL; i++)
		g_hash_table_insert(self->names, (gpointer)def->aliases[i], def);
	return TRUE;
}

static void
prov_params_rollback(ProvParams *self, guint n_defs)
{
	for (guint i = n_defs; i < self->defs->len; i++) {
		ProvParamDef *def = g_ptr_array_index(self->defs, i);

		g_hash_table_remove(self->names, def->name);
		for (guint j = 0; def->aliases != NULL && def->aliases[j] != NULL; j++)
			g_hash_table_remove(self->names, def->aliases[j]);
	}
	g_ptr_array_set_size(self->defs, n_defs);
}

static gint
prov_params_compare_file_names(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * prov_params_load_schema_dir:
 * @self: a #ProvParams
 * @dir: a directory of schema files (`*.json`, see data/params/README.md)
 * @error: return location for a #GError, or %NULL
 *
 * Loads every `*.json` file of @dir, in file name order. Several
 * directories may be loaded one after the other (the shipped schema, then a
 * vendor's). Either the whole directory loads or nothing of it does. A name
 * or alias that is already declared, in this directory or an earlier one,
 * is an error naming both files.
 *
 * The error is %PROV_ERROR_SCHEMA with a message `FILE:LINE[:COLUMN]: reason`.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_params_load_schema_dir(ProvParams *self, const gchar *dir, GError **error)
{
	g_autoptr(GDir) gdir = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	ProvParamSchemaContext ctx = {0};
	guint n_defs;
	const gchar *file_name;

	g_return_val_if_fail(PROV_IS_PARAMS(self), FALSE);
	g_return_val_if_fail(dir != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	gdir = g_dir_open(dir, 0, &error_local);
	if (gdir == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_SCHEMA, "schema directory %s: %s", dir,
			    error_local->message);
		return FALSE;
	}
	while ((file_name = g_dir_read_name(gdir)) != NULL) {
		if (file_name[0] != '.' && g_str_has_suffix(file_name, ".json"))
			g_ptr_array_add(files, g_strdup(file_name));
	}
	g_ptr_array_sort(files, prov_params_compare_file_names);

	ctx.behaviour = self->behaviour;
	ctx.line_count = self->line_count;
	ctx.strings = self->strings;
	ctx.blocks = self->blocks;
	ctx.add = prov_params_add_def_cb;
	ctx.user_data = self;
	n_defs = self->defs->len;
	for (guint i = 0; i < files->len; i++) {
		g_autofree gchar *path =
		    g_build_filename(dir, (const gchar *)g_ptr_array_index(files, i), NULL);

		if (!prov_param_schema_load_file(&ctx, path, error)) {
			prov_params_rollback(self, n_defs);
			return FALSE;
		}
	}
	g_clear_pointer(&self->sorted, g_ptr_array_unref);
	self->schema_loaded = TRUE;
	g_debug("schema %s: %u files, %u definitions", dir, files->len, self->defs->len - n_defs);
	return TRUE;
}

/**
 * prov_params_set_factory_value:
 * @self: a #ProvParams
 * @name: a parameter name or alias
 * @value: the value, checked like any other
 * @error: return location for a #GError, or %NULL
 *
 * Replaces the schema default of @name with a factory value, as the
 * `[parameters]` group of the config file does. Stored state still wins.
 * Factory values are not written to the state file and emit no signal.
 *
 * Returns: %TRUE on success; %PROV_ERROR_UNKNOWN_PARAMETER or
 * %PROV_ERROR_INVALID_VALUE otherwise
 *
 * Since: 0.1
 */
gboolean
prov_params_set_factory_value(ProvParams *self,
			      const gchar *name,
			      const gchar *value,
			      GError **error)
{
	ProvParamDef *def;
	const gchar *canonical;

	g_return_val_if_fail(PROV_IS_PARAMS(self), FALSE);
	g_return_val_if_fail(name != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	def = g_hash_table_lookup(self->names, name);
	if (def == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_UNKNOWN_PARAMETER,
			    "%s: unknown parameter", name);
		return FALSE;
	}
	canonical = prov_param_def_canonicalize(def, value, error);
	if (canonical == NULL)
		return FALSE;
	g_free(def->factory);
	def->factory = g_strdup(canonical);
	self->serial++;
	return TRUE;
}

typedef struct {
	guint n_unknown;
	guint n_invalid;
} ProvParamsLoadStats;

static void
prov_params_apply_stored_values(ProvParams *self, json_object *values, ProvParamsLoadStats *stats)
{
	json_object_object_foreach(values, name, value)
	{
		g_autoptr(GError) error_local = NULL;
		ProvParamDef *def = g_hash_table_lookup(self->names, name);
		const gchar *canonical;

		if (def == NULL) {
			stats->n_unknown++;
			prov_params_debug("state: dropped unknown parameter %s", name);
			continue;
		}
		if (!json_object_is_type(value, json_type_string)) {
			stats->n_invalid++;
			prov_params_debug("state: dropped %s: not a string", def->name);
			continue;
		}
		/* the message never quotes a secret value */
		canonical =
		    prov_param_def_canonicalize(def, json_object_get_string(value), &error_local);
		if (canonical == NULL) {
			stats->n_invalid++;
			prov_params_debug("state: dropped %s", error_local->message);
			continue;
		}
		g_free(def->value);
		def->value = g_strdup(canonical);
	}
}

static void
prov_params_apply_stored_access(ProvParams *self, json_object *levels, ProvParamsLoadStats *stats)
{
	json_object_object_foreach(levels, name, value)
	{
		ProvParamDef *def = g_hash_table_lookup(self->names, name);
		ProvAccess access;

		if (def == NULL) {
			stats->n_unknown++;
			prov_params_debug("state: dropped the level of unknown parameter %s", name);
			continue;
		}
		if (!json_object_is_type(value, json_type_string) ||
		    !prov_access_from_string(json_object_get_string(value), &access)) {
			stats->n_invalid++;
			prov_params_debug("state: dropped the invalid level of %s", def->name);
			continue;
		}
		def->current_access = access;
	}
}

/* the whole document is checked before anything of it is applied */
static json_object *
prov_params_parse_state(const gchar *data, gsize len, gchar **reason)
{
	g_autoptr(json_tokener) tokener = json_tokener_new();
	g_autoptr(json_object) root = NULL;
	enum json_tokener_error json_error;
	json_object *member = NULL;
	gsize end;

	if (len == 0) {
		*reason = g_strdup("empty file");
		return NULL;
	}
	if (len > G_MAXINT) {
		*reason = g_strdup("file too large");
		return NULL;
	}
	json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
					    JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tokener, data, (int)len);
	json_error = json_tokener_get_error(tokener);
	if (json_error == json_tokener_continue) {
		*reason = g_strdup("truncated");
		return NULL;
	}
	if (json_error != json_tokener_success) {
		*reason = g_strdup_printf("offset %zu: %s", json_tokener_get_parse_end(tokener),
					  json_tokener_error_desc(json_error));
		return NULL;
	}
	for (end = json_tokener_get_parse_end(tokener); end < len; end++) {
		if (!g_ascii_isspace(data[end])) {
			*reason = g_strdup_printf("offset %zu: text after the end", end);
			return NULL;
		}
	}
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "version", &member) ||
	    !json_object_is_type(member, json_type_int) ||
	    json_object_get_int64(member) != PROV_PARAMS_STATE_VERSION) {
		*reason = g_strdup("not a version 1 state document");
		return NULL;
	}
	if (!json_object_object_get_ex(root, "values", &member) ||
	    !json_object_is_type(member, json_type_object)) {
		*reason = g_strdup("no \"values\" object");
		return NULL;
	}
	if (json_object_object_get_ex(root, "access", &member) &&
	    !json_object_is_type(member, json_type_object)) {
		*reason = g_strdup("\"access\" is not an object");
		return NULL;
	}
	return g_steal_pointer(&root);
}

/* NULL with *reason set when the file is missing ("missing") or unusable */
static json_object *
prov_params_read_state_file(const gchar *path, gboolean *missing, gchar **reason)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *data = NULL;
	gsize len = 0;

	*missing = FALSE;
	if (!g_file_get_contents(path, &data, &len, &error_local)) {
		*missing = g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT);
		*reason = g_strdup(*missing ? "missing" : error_local->message);
		return NULL;
	}
	return prov_params_parse_state(data, len, reason);
}

static void
prov_params_reset_state(ProvParams *self)
{
	self->serial++;
	for (guint i = 0; i < self->defs->len; i++) {
		ProvParamDef *def = g_ptr_array_index(self->defs, i);

		g_clear_pointer(&def->value, g_free);
		def->current_access = PROV_ACCESS_UNSET;
	}
}

/**
 * prov_params_load_state:
 * @self: a #ProvParams
 * @path: the state file, such as `/var/lib/provisiond/state.json`
 * @error: return location for a #GError, or %NULL
 *
 * Loads the stored values and access levels from @path and makes @path the
 * file that every commit writes. Load the schema first: stored names the
 * schema does not know are dropped.
 *
 * A missing file means factory state. A truncated or otherwise corrupt file
 * is replaced by the last good copy (`PATH.bak`), or by the defaults when
 * there is none; stored values that are unknown or no longer valid are
 * dropped one by one. Each case logs one warning; none is an error (R4).
 * No signal is emitted.
 *
 * Returns: %TRUE on success; %FALSE only when @path has no usable directory
 *
 * Since: 0.1
 */
gboolean
prov_params_load_state(ProvParams *self, const gchar *path, GError **error)
{
	g_autoptr(json_object) root = NULL;
	g_autofree gchar *reason = NULL;
	g_autofree gchar *backup_reason = NULL;
	g_autofree gchar *dir = NULL;
	ProvParamsLoadStats stats = {0};
	json_object *member = NULL;
	gboolean missing = FALSE;
	gboolean backup_missing = FALSE;

	g_return_val_if_fail(PROV_IS_PARAMS(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	dir = g_path_get_dirname(path);
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_STATE, "state %s: %s is not a directory",
			    path, dir);
		return FALSE;
	}
	g_free(self->state_path);
	g_free(self->backup_path);
	g_free(self->temp_path);
	g_free(self->state_dir);
	self->state_path = g_strdup(path);
	self->backup_path = g_strconcat(path, ".bak", NULL);
	self->temp_path = g_strconcat(path, ".tmp", NULL);
	self->state_dir = g_steal_pointer(&dir);
	self->state_good = FALSE;
	prov_params_reset_state(self);

	root = prov_params_read_state_file(self->state_path, &missing, &reason);
	if (root != NULL) {
		self->state_good = TRUE;
	} else {
		root =
		    prov_params_read_state_file(self->backup_path, &backup_missing, &backup_reason);
		if (root != NULL)
			g_warning("state %s: %s; using the last good copy %s", self->state_path,
				  reason, self->backup_path);
		else if (!missing || !backup_missing)
			g_warning("state %s: %s; no usable copy (%s); using the defaults",
				  self->state_path, reason, backup_reason);
	}
	if (root == NULL)
		return TRUE;

	json_object_object_get_ex(root, "values", &member);
	prov_params_apply_stored_values(self, member, &stats);
	if (json_object_object_get_ex(root, "access", &member))
		prov_params_apply_stored_access(self, member, &stats);
	self->serial++;
	if (stats.n_unknown > 0 || stats.n_invalid > 0)
		g_warning("state %s: dropped %u entries of unknown parameters and %u invalid "
			  "entries",
			  self->state_path, stats.n_unknown, stats.n_invalid);
	return TRUE;
}

/**
 * prov_params_get_state_path:
 * @self: a #ProvParams
 *
 * Returns: (transfer none) (nullable): the state file, or %NULL when
 * commits only change memory
 *
 * Since: 0.1
 */
const gchar *
prov_params_get_state_path(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), NULL);
	return self->state_path;
}

/**
 * prov_params_lookup:
 * @self: a #ProvParams
 * @name: a canonical name or an alias
 *
 * Returns: (transfer none) (nullable): the definition, or %NULL for a name
 * the schema does not declare
 *
 * Since: 0.1
 */
const ProvParamDef *
prov_params_lookup(ProvParams *self, const gchar *name)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	return g_hash_table_lookup(self->names, name);
}

/**
 * prov_params_get_n_definitions:
 * @self: a #ProvParams
 *
 * Returns: the number of parameters, templates counted once per index
 *
 * Since: 0.1
 */
guint
prov_params_get_n_definitions(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), 0);
	return self->defs->len;
}

/* digit runs compare as numbers, so that User_ID_10_ follows User_ID_9_ */
static gint
prov_params_compare_natural(const gchar *a, const gchar *b)
{
	while (*a != '\0' && *b != '\0') {
		if (g_ascii_isdigit(*a) && g_ascii_isdigit(*b)) {
			const gchar *end_a = a;
			const gchar *end_b = b;
			gint cmp;

			while (*a == '0' && g_ascii_isdigit(a[1]))
				a++;
			while (*b == '0' && g_ascii_isdigit(b[1]))
				b++;
			for (end_a = a; g_ascii_isdigit(*end_a); end_a++)
				;
			for (end_b = b; g_ascii_isdigit(*end_b); end_b++)
				;
			if (end_a - a != end_b - b)
				return end_a - a < end_b - b ? -1 : 1;
			cmp = strncmp(a, b, end_a - a);
			if (cmp != 0)
				return cmp;
			a = end_a;
			b = end_b;
			continue;
		}
		if (*a != *b)
			return (guchar)*a < (guchar)*b ? -1 : 1;
		a++;
		b++;
	}
	return (guchar)*a - (guchar)*b;
}

static gint
prov_params_compare_defs(gconstpointer a, gconstpointer b)
{
	const ProvParamDef *def_a = *(const ProvParamDef *const *)a;
	const ProvParamDef *def_b = *(const ProvParamDef *const *)b;
	gint cmp = prov_params_compare_natural(def_a->group, def_b->group);

	if (cmp != 0)
		return cmp;
	cmp = strcmp(def_a->group, def_b->group);
	if (cmp != 0)
		return cmp;
	cmp = prov_params_compare_natural(def_a->name, def_b->name);
	return cmp != 0 ? cmp : strcmp(def_a->name, def_b->name);
}

/**
 * prov_params_get_definitions:
 * @self: a #ProvParams
 *
 * Lists every definition in a stable order: by group, then by name, with
 * numbers compared by value (`User_ID_2_` before `User_ID_10_`).
 *
 * Returns: (transfer container) (element-type ProvParamDef): the definitions
 *
 * Since: 0.1
 */
GPtrArray *
prov_params_get_definitions(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), NULL);

	if (self->sorted == NULL) {
		self->sorted = g_ptr_array_sized_new(self->defs->len);
		for (guint i = 0; i < self->defs->len; i++)
			g_ptr_array_add(self->sorted, g_ptr_array_index(self->defs, i));
		g_ptr_array_sort(self->sorted, prov_params_compare_defs);
	}
	return g_ptr_array_copy(self->sorted, NULL, NULL);
}

/**
 * prov_params_get_value:
 * @self: a #ProvParams
 * @name: a canonical name or an alias
 *
 * The current value: stored, else the factory value, else the schema
 * default. Secret values are returned as they are; anything that logs,
 * reports or displays must use prov_params_get_display_value() instead.
 *
 * Returns: (transfer none) (nullable): the value, or %NULL for an unknown name
 *
 * Since: 0.1
 */
const gchar *
prov_params_get_value(ProvParams *self, const gchar *name)
{
	const ProvParamDef *def;

	g_return_val_if_fail(PROV_IS_PARAMS(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);

	def = g_hash_table_lookup(self->names, name);
	return def != NULL ? prov_param_def_get_effective_value(def) : NULL;
}

/**
 * prov_params_get_display_value:
 * @self: a #ProvParams
 * @name: a canonical name or an alias
 *
 * Like prov_params_get_value(), except that a secret parameter that is set
 * reads %PROV_PARAMS_SECRET_MASK (an empty one reads empty).
 *
 * Returns: (transfer none) (nullable): the value to show, or %NULL for an
 * unknown name
 *
 * Since: 0.1
 */
const gchar *
prov_params_get_display_value(ProvParams *self, const gchar *name)
{
	const ProvParamDef *def;
	const gchar *value;

	g_return_val_if_fail(PROV_IS_PARAMS(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);

	def = g_hash_table_lookup(self->names, name);
	if (def == NULL)
		return NULL;
	value = prov_param_def_get_effective_value(def);
	return def->secret && *value != '\0' ? PROV_PARAMS_SECRET_MASK : value;
}

/**
 * prov_params_get_access:
 * @self: a #ProvParams
 * @name: a canonical name or an alias
 *
 * Returns: the current user access level, or %PROV_ACCESS_UNSET for an
 * unknown name
 *
 * Since: 0.1
 */
ProvAccess
prov_params_get_access(ProvParams *self, const gchar *name)
{
	const ProvParamDef *def;

	g_return_val_if_fail(PROV_IS_PARAMS(self), PROV_ACCESS_UNSET);
	g_return_val_if_fail(name != NULL, PROV_ACCESS_UNSET);

	def = g_hash_table_lookup(self->names, name);
	return def != NULL ? prov_param_def_get_effective_access(def) : PROV_ACCESS_UNSET;
}

static void
prov_params_append_json_string(GString *out, const gchar *text)
{
	g_string_append_c(out, '"');
	for (const guchar *p = (const guchar *)text; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(out, "\\%c", *p);
		else if (*p < 0x20)
			g_string_append_printf(out, "\\u%04x", *p);
		else
			g_string_append_c(out, (gchar)*p);
	}
	g_string_append_c(out, '"');
}

static gchar *
prov_params_serialize(ProvParams *self, GHashTable *pending, gsize *len)
{
	GString *out = g_string_sized_new(4096);
	gboolean first = TRUE;

	g_string_append_printf(out, "{\n\"version\": %d,\n\"values\": {",
			       PROV_PARAMS_STATE_VERSION);
	for (guint i = 0; i < self->defs->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(self->defs, i);
		const ProvParamsChange *change = g_hash_table_lookup(pending, def);
		const gchar *value =
		    change != NULL && change->value != NULL ? change->value : def->value;

		if (value == NULL)
			continue;
		g_string_append(out, first ? "\n" : ",\n");
		prov_params_append_json_string(out, def->name);
		g_string_append(out, ": ");
		prov_params_append_json_string(out, value);
		first = FALSE;
	}
	g_string_append(out, "\n},\n\"access\": {");
	first = TRUE;
	for (guint i = 0; i < self->defs->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(self->defs, i);
		const ProvParamsChange *change = g_hash_table_lookup(pending, def);
		ProvAccess access = change != NULL && change->access != PROV_ACCESS_UNSET
					? change->access
					: def->current_access;

		if (access == PROV_ACCESS_UNSET)
			continue;
		g_string_append(out, first ? "\n" : ",\n");
		prov_params_append_json_string(out, def->name);
		g_string_append_printf(out, ": \"%s\"", prov_access_to_string(access));
		first = FALSE;
	}
	g_string_append(out, "\n}\n}\n");
	*len = out->len;
	return g_string_free(out, FALSE);
}

static gboolean
prov_params_io_fails(ProvParams *self, ProvParamsIoStep step)
{
	if (self->fault_step != step || self->fault != PROV_PARAMS_IO_FAULT_FAIL)
		return FALSE;
	self->fault_step = PROV_PARAMS_IO_STEP_NONE;
	errno = EIO;
	return TRUE;
}

static gboolean
prov_params_io_crashes(ProvParams *self, ProvParamsIoStep step, GError **error)
{
	if (self->fault_step != step || self->fault != PROV_PARAMS_IO_FAULT_CRASH)
		return FALSE;
	self->fault_step = PROV_PARAMS_IO_STEP_NONE;
	self->crashed = TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_STATE, "state %s: simulated crash after %s",
		    self->state_path, prov_params_io_step_names[step]);
	return TRUE;
}

static gboolean
prov_params_io_error(ProvParams *self, GError **error, const gchar *what, const gchar *path)
{
	gint saved_errno = errno;

	g_set_error(error, PROV_ERROR, PROV_ERROR_STATE, "state %s: cannot %s %s: %s",
		    self->state_path, what, path, g_strerror(saved_errno));
	return FALSE;
}

static gboolean
prov_params_write_all(ProvParams *self, gint fd, const gchar *data, gsize len, GError **error)
{
	gboolean crash = self->fault_step == PROV_PARAMS_IO_STEP_WRITE &&
			 self->fault == PROV_PARAMS_IO_FAULT_CRASH;

	/* a crash in the middle of the write leaves half a file behind */
	if (crash)
		len /= 2;
	while (len > 0) {
		gssize written;

		if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_WRITE))
			return prov_params_io_error(self, error, "write", self->temp_path);
		written = write(fd, data, len);
		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return prov_params_io_error(self, error, "write", self->temp_path);
		data += written;
		len -= (gsize)written;
	}
	return !prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_WRITE, error);
}

static gint
prov_params_fsync(gint fd)
{
	gint rc;

	do
		rc = fsync(fd);
	while (rc < 0 && errno == EINTR);
	return rc;
}

/*
 * R3: write(temp), fsync(temp), rename(temp, state), fsync(dir), in this
 * order and with plain system calls, so that an strace shows exactly that.
 * Before it, the current file is hard-linked as the last good copy (no data
 * is copied). A failure at any step leaves the old state file in place.
 */
static gboolean
prov_params_write_state(ProvParams *self, const gchar *data, gsize len, GError **error)
{
	struct stat st;
	gboolean backup_made = FALSE;
	gboolean state_existed;
	gint dir_fd;
	gint fd;

	dir_fd = open(self->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		return prov_params_io_error(self, error, "open", self->state_dir);
	state_existed = lstat(self->state_path, &st) == 0;

	/* the file being replaced was loaded or written whole, so it is a good copy */
	if (self->state_good && state_existed) {
		if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_BACKUP) ||
		    (unlink(self->backup_path) < 0 && errno != ENOENT) ||
		    link(self->state_path, self->backup_path) < 0)
			g_debug("state %s: no last good copy: %s", self->state_path,
				g_strerror(errno));
		else
			backup_made = TRUE;
		if (prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_BACKUP, error)) {
			close(dir_fd);
			return FALSE;
		}
	}

	if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_OPEN))
		fd = -1;
	else
		fd = open(self->temp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
			  0600);
	if (fd < 0) {
		prov_params_io_error(self, error, "create", self->temp_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_OPEN, error) ||
	    !prov_params_write_all(self, fd, data, len, error)) {
		close(fd);
		if (!self->crashed)
			unlink(self->temp_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_FSYNC) || prov_params_fsync(fd) < 0) {
		prov_params_io_error(self, error, "fsync", self->temp_path);
		close(fd);
		unlink(self->temp_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_FSYNC, error)) {
		close(fd);
		close(dir_fd);
		return FALSE;
	}
	if (close(fd) < 0) {
		prov_params_io_error(self, error, "close", self->temp_path);
		unlink(self->temp_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_RENAME) ||
	    rename(self->temp_path, self->state_path) < 0) {
		prov_params_io_error(self, error, "rename", self->temp_path);
		unlink(self->temp_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_RENAME, error)) {
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_fails(self, PROV_PARAMS_IO_STEP_FSYNC_DIR) ||
	    prov_params_fsync(dir_fd) < 0) {
		prov_params_io_error(self, error, "fsync", self->state_dir);
		/*
		 * the rename may or may not be durable; put the old file back so
		 * that disk and memory agree on the old state
		 */
		if (backup_made)
			rename(self->backup_path, self->state_path);
		else if (!state_existed)
			unlink(self->state_path);
		close(dir_fd);
		return FALSE;
	}
	if (prov_params_io_crashes(self, PROV_PARAMS_IO_STEP_FSYNC_DIR, error)) {
		close(dir_fd);
		return FALSE;
	}
	close(dir_fd);
	self->state_good = TRUE;
	self->n_state_writes++;
	return TRUE;
}

/*
 * Persist first, then change memory, then tell listeners (R6): a listener
 * that reacts to the signal can rely on the change having reached the disk.
 */
gboolean
prov_params_commit_changes(ProvParams *self,
			   const ProvParamsChange *changes,
			   guint n_changes,
			   const gchar *const *names,
			   GError **error)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (n_changes == 0)
		return TRUE;
	self->crashed = FALSE;
	if (self->state_path != NULL) {
		g_autoptr(GHashTable) pending = g_hash_table_new(g_direct_hash, g_direct_equal);
		g_autofree gchar *data = NULL;
		gsize len = 0;

		for (guint i = 0; i < n_changes; i++)
			g_hash_table_insert(pending, (gpointer)changes[i].def,
					    (gpointer)&changes[i]);
		data = prov_params_serialize(self, pending, &len);
		if (!prov_params_write_state(self, data, len, error))
			return FALSE;
	}
	for (guint i = 0; i < n_changes; i++) {
		ProvParamDef *def = (ProvParamDef *)changes[i].def;

		if (changes[i].value != NULL) {
			g_free(def->value);
			def->value = g_strdup(changes[i].value);
		}
		if (changes[i].access != PROV_ACCESS_UNSET)
			def->current_access = changes[i].access;
		prov_params_debug("%s = %s (%s)", def->name,
				  prov_params_get_display_value(self, def->name),
				  prov_access_to_string(prov_param_def_get_effective_access(def)));
	}
	self->serial++;
	g_debug("committed %u changes", n_changes);
	g_signal_emit(self, signals[SIGNAL_CHANGED], 0, names);
	return TRUE;
}

void
prov_params_inject_io_fault(ProvParams *self, ProvParamsIoStep step, ProvParamsIoFault fault)
{
	g_return_if_fail(PROV_IS_PARAMS(self));
	g_return_if_fail(step < PROV_PARAMS_IO_STEP_LAST);
	self->fault_step = step;
	self->fault = fault;
}

/*
 * A transaction that worked out its changes may commit them without working
 * them out again while this has not moved: nothing it compared with changed.
 */
guint64
prov_params_get_serial(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), 0);
	return self->serial;
}

guint
prov_params_get_n_state_writes(ProvParams *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS(self), 0);
	return self->n_state_writes;
}

static void
prov_params_finalize(GObject *object)
{
	ProvParams *self = PROV_PARAMS(object);

	g_clear_pointer(&self->sorted, g_ptr_array_unref);
	g_hash_table_unref(self->names);
	/* the definitions themselves live in the blocks */
	for (guint i = 0; i < self->defs->len; i++) {
		ProvParamDef *def = g_ptr_array_index(self->defs, i);

		g_free(def->value);
		g_free(def->factory);
	}
	g_ptr_array_unref(self->defs);
	g_ptr_array_unref(self->blocks);
	g_string_chunk_free(self->strings);
	g_free(self->state_path);
	g_free(self->backup_path);
	g_free(self->temp_path);
	g_free(self->state_dir);
	G_OBJECT_CLASS(prov_params_parent_class)->finalize(object);
}

static void
prov_params_class_init(ProvParamsClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_params_finalize;

	/**
	 * ProvParams::changed:
	 * @self: the #ProvParams
	 * @names: (array zero-terminated=1): the canonical names whose value or
	 *   access level changed, in the order of their first assignment
	 *
	 * Emitted after a commit that changed something, once the new state
	 * is durable on disk and in memory.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_CHANGED] =
	    g_signal_new("changed", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
prov_params_init(ProvParams *self)
{
	self->line_count = PROV_PARAMS_LINE_COUNT_DEFAULT;
	self->strings = g_string_chunk_new(64 * 1024);
	self->blocks = g_ptr_array_new_with_free_func(g_free);
	self->defs = g_ptr_array_new();
	self->names = g_hash_table_new(g_str_hash, g_str_equal);
}

/**
 * prov_params_new:
 * @behaviour: the behaviour profile whose defaults apply
 *
 * Creates an empty parameter model. Then, in this order: optionally
 * prov_params_set_line_count(), prov_params_load_schema_dir() for each
 * schema directory, prov_params_set_factory_value() for the config file's
 * overrides, and prov_params_load_state().
 *
 * Returns: (transfer full): a new #ProvParams
 *
 * Since: 0.1
 */
ProvParams *
prov_params_new(ProvBehaviour behaviour)
{
	ProvParams *self;

	g_return_val_if_fail(behaviour < PROV_BEHAVIOUR_LAST, NULL);
	self = g_object_new(PROV_TYPE_PARAMS, NULL);
	self->behaviour = behaviour;
	return self;
}

/* the built-in schema; PROV_SCHEMA_DIR points an uninstalled build at data/params */
static const gchar *
prov_params_builtin_schema_dir(void)
{
	const gchar *dir = g_getenv("PROV_SCHEMA_DIR");

	return dir != NULL && dir[0] != '\0' ? dir : PROV_SCHEMADIR;
}

/* `[parameters]` keeps NAME=VALUE strings; the config file named them, so errors say so */
static gboolean
prov_params_apply_overrides(ProvParams *self, ProvConfig *config, GError **error)
{
	GPtrArray *overrides = prov_config_get_parameter_overrides(config);

	for (guint i = 0; i < overrides->len; i++) {
		const gchar *text = g_ptr_array_index(overrides, i);
		const gchar *equals = strchr(text, '=');
		g_autofree gchar *name = NULL;
		g_autoptr(GError) error_local = NULL;

		if (equals == NULL || equals == text) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[parameters] %s: expected NAME=VALUE", text);
			return FALSE;
		}
		name = g_strndup(text, (gsize)(equals - text));
		if (!prov_params_set_factory_value(self, name, equals + 1, &error_local)) {
			/* one code for every mistake in the file, as ProvConfig reports them */
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[parameters] %s",
				    error_local->message);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
prov_params_load_state_dir(ProvParams *self, const gchar *state_dir, GError **error)
{
	g_autofree gchar *path = g_build_filename(state_dir, PROV_PARAMS_STATE_FILE, NULL);

	/* the state holds secrets: the directory is the owner's alone */
	if (g_mkdir_with_parents(state_dir, 0700) != 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_STATE, "%s: cannot create: %s", state_dir,
			    g_strerror(errno));
		return FALSE;
	}
	return prov_params_load_state(self, path, error);
}

/**
 * prov_params_new_for_config_full:
 * @config: the daemon's configuration
 * @extra_schema_dirs: (nullable) (array zero-terminated=1): schema
 *   directories loaded after the configured ones (`provtool --schema-dir`)
 * @state_dir: (nullable): the directory of the state file
 *   (%PROV_PARAMS_STATE_FILE), created when missing; %NULL keeps the values
 *   in memory only
 * @error: return location for a #GError
 *
 * Builds the parameter model as the daemon and provtool do, in this order:
 * the built-in schema (`PROV_SCHEMA_DIR` in the environment overrides the
 * installed one, for uninstalled builds), `[daemon] SchemaDirectory`,
 * @extra_schema_dirs, the factory values of `[parameters]`, then the
 * stored state of @state_dir.
 *
 * Returns: (transfer full): the parameters, or %NULL with @error set
 *
 * Since: 0.1
 */
ProvParams *
prov_params_new_for_config_full(ProvConfig *config,
				const gchar *const *extra_schema_dirs,
				const gchar *state_dir,
				GError **error)
{
	g_autoptr(ProvParams) self = NULL;
	const gchar *schema_dir;

	g_return_val_if_fail(PROV_IS_CONFIG(config), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = prov_params_new(prov_config_get_behaviour(config));
	if (!prov_params_load_schema_dir(self, prov_params_builtin_schema_dir(), error))
		return NULL;
	schema_dir = prov_config_get_daemon_value(config, "SchemaDirectory");
	if (schema_dir != NULL && !prov_params_load_schema_dir(self, schema_dir, error))
		return NULL;
	for (guint i = 0; extra_schema_dirs != NULL && extra_schema_dirs[i] != NULL; i++) {
		if (!prov_params_load_schema_dir(self, extra_schema_dirs[i], error))
			return NULL;
	}
	if (!prov_params_apply_overrides(self, config, error))
		return NULL;
	if (state_dir != NULL && !prov_params_load_state_dir(self, state_dir, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * prov_params_new_for_config:
 * @config: the daemon's configuration
 * @state_dir: (nullable): the directory of the state file, or %NULL
 * @error: return location for a #GError
 *
 * Like prov_params_new_for_config_full() without extra schema directories.
 *
 * Returns: (transfer full): the parameters, or %NULL with @error set
 *
 * Since: 0.1
 */
ProvParams *
prov_params_new_for_config(ProvConfig *config, const gchar *state_dir, GError **error)
{
	return prov_params_new_for_config_full(config, NULL, state_dir, error);
}
