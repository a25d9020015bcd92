/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvPlugin"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-plugin-private.h"
#include "prov-transport.h"
#include "prov-trigger.h"

/**
 * ProvPlugin:
 *
 * One plugin as the loader sees it: its descriptor's name and version, the
 * file it came from, and what its register function added. The register
 * function receives it; `provtool plugins` lists it. A module the loader
 * refused is a #ProvPlugin too, with a refusal reason. A module that has a
 * manifest is known from it until the loader opens the module on first use
 * (prov_plugin_is_loaded()): its names and decoder stages are the
 * manifest's, which the module must then register exactly.
 *
 * Since: 0.1
 */

typedef struct {
	GType type;
	ProvDecoderStage stage;
} ProvPluginEntry;

struct _ProvPlugin {
	GObject parent_instance;
	gchar *name;
	gchar *version;
	gchar *filename;
	gchar *refusal;
	/* the module is open and its types registered; FALSE while only its manifest is known */
	gboolean loaded;
	gboolean registering;
	GError *error;
	/* per kind: names in registration order (NULL-terminated) and name -> entry */
	GPtrArray *names[PROV_PLUGIN_KIND_LAST];
	GHashTable *entries[PROV_PLUGIN_KIND_LAST];
};

G_DEFINE_TYPE(ProvPlugin, prov_plugin, G_TYPE_OBJECT)

static const gchar *const prov_plugin_kind_names[] = {"transport", "decoder", "trigger"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_plugin_kind_names) == PROV_PLUGIN_KIND_LAST);

/**
 * prov_plugin_kind_to_string:
 * @kind: a #ProvPluginKind
 *
 * Returns: (transfer none) (nullable): `transport`, `decoder` or `trigger`,
 *   or %NULL for a value out of range
 *
 * Since: 0.1
 */
const gchar *
prov_plugin_kind_to_string(ProvPluginKind kind)
{
	if ((guint)kind >= PROV_PLUGIN_KIND_LAST)
		return NULL;
	return prov_plugin_kind_names[kind];
}

/**
 * prov_plugin_kind_from_string:
 * @text: a kind as prov_plugin_kind_to_string() writes it
 * @kind: (out): the kind
 *
 * Returns: %TRUE when @text names a kind
 *
 * Since: 0.1
 */
gboolean
prov_plugin_kind_from_string(const gchar *text, ProvPluginKind *kind)
{
	g_return_val_if_fail(kind != NULL, FALSE);

	for (guint i = 0; i < PROV_PLUGIN_KIND_LAST; i++) {
		if (g_strcmp0(text, prov_plugin_kind_names[i]) == 0) {
			*kind = (ProvPluginKind)i;
			return TRUE;
		}
	}
	return FALSE;
}

/* plugin, format and trigger names end up in config group names and listings */
gboolean
prov_plugin_name_is_valid(const gchar *name)
{
	gsize length;

	if (name == NULL || (!g_ascii_islower(name[0]) && !g_ascii_isdigit(name[0])))
		return FALSE;
	length = strlen(name);
	if (length > 64)
		return FALSE;
	for (gsize i = 0; i < length; i++) {
		if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return FALSE;
	}
	return TRUE;
}

/* RFC 3986 3.1, lower case only: the registry compares schemes byte for byte */
static gboolean
prov_plugin_scheme_is_valid(const gchar *scheme)
{
	if (scheme == NULL || !g_ascii_islower(scheme[0]) || strlen(scheme) > 64)
		return FALSE;
	for (const gchar *p = scheme; *p != '\0'; p++) {
		if (!g_ascii_islower(*p) && !g_ascii_isdigit(*p) && *p != '+' && *p != '-' &&
		    *p != '.')
			return FALSE;
	}
	return TRUE;
}

/* the first problem a register function runs into is the one reported */
static void
prov_plugin_fail(ProvPlugin *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
prov_plugin_fail(ProvPlugin *self, const gchar *format, ...)
{
	va_list args;

	if (self->error != NULL)
		return;
	va_start(args, format);
	self->error = g_error_new_valist(PROV_ERROR, PROV_ERROR_FAILED, format, args);
	va_end(args);
}

/* the entry a register function adds, or a manifest declares (with no type yet) */
static void
prov_plugin_insert(
    ProvPlugin *self, ProvPluginKind kind, const gchar *name, GType type, ProvDecoderStage stage)
{
	ProvPluginEntry *entry = g_new0(ProvPluginEntry, 1);

	entry->type = type;
	entry->stage = stage;
	g_hash_table_insert(self->entries[kind], g_strdup(name), entry);
	g_ptr_array_insert(self->names[kind], (gint)self->names[kind]->len - 1, g_strdup(name));
}

static gboolean
prov_plugin_kind_name_is_valid(ProvPluginKind kind, const gchar *name)
{
	if (kind == PROV_PLUGIN_KIND_TRANSPORT)
		return prov_plugin_scheme_is_valid(name);
	return prov_plugin_name_is_valid(name);
}

static void
prov_plugin_add(ProvPlugin *self,
		ProvPluginKind kind,
		const gchar *name,
		GType type,
		GType iface,
		ProvDecoderStage stage)
{
	const gchar *kind_name = prov_plugin_kind_names[kind];

	if (!self->registering) {
		g_critical("plugin %s: %s %s added outside its register function", self->name,
			   kind_name, name != NULL ? name : "(null)");
		return;
	}
	if (!prov_plugin_kind_name_is_valid(kind, name)) {
		prov_plugin_fail(self, "%s name \"%s\" is not valid", kind_name,
				 name != NULL ? name : "(null)");
		return;
	}
	if (!G_TYPE_IS_OBJECT(type) || G_TYPE_IS_ABSTRACT(type) || !g_type_is_a(type, iface)) {
		prov_plugin_fail(self, "%s %s: type %s is not an instantiable %s", kind_name, name,
				 type != G_TYPE_INVALID ? g_type_name(type) : "(invalid)",
				 g_type_name(iface));
		return;
	}
	if (g_hash_table_contains(self->entries[kind], name)) {
		prov_plugin_fail(self, "%s %s registered twice", kind_name, name);
		return;
	}
	prov_plugin_insert(self, kind, name, type, stage);
}

/**
 * prov_plugin_add_transport:
 * @self: the #ProvPlugin passed to the register function
 * @scheme: the URL scheme, lower case (`tftp`)
 * @type: a static GType implementing #ProvTransport
 *
 * Registers a transport. Only one plugin may serve a scheme: the loader
 * refuses a second one.
 *
 * Since: 0.1
 */
void
prov_plugin_add_transport(ProvPlugin *self, const gchar *scheme, GType type)
{
	g_return_if_fail(PROV_IS_PLUGIN(self));

	prov_plugin_add(self, PROV_PLUGIN_KIND_TRANSPORT, scheme, type, PROV_TYPE_TRANSPORT,
			PROV_DECODER_STAGE_LAST);
}

/**
 * prov_plugin_add_decoder:
 * @self: the #ProvPlugin passed to the register function
 * @format: the format's name (`gzip`, `aes`)
 * @stage: where the decoder runs in the pipeline
 * @type: a static GType implementing #ProvDecoder
 *
 * Registers a decoder. The pipeline tries decoders by stage, then in the
 * order the loader found them.
 *
 * Since: 0.1
 */
void
prov_plugin_add_decoder(ProvPlugin *self, const gchar *format, ProvDecoderStage stage, GType type)
{
	g_return_if_fail(PROV_IS_PLUGIN(self));

	if ((guint)stage >= PROV_DECODER_STAGE_LAST) {
		prov_plugin_fail(self, "decoder %s: stage %d is not valid", format, (gint)stage);
		return;
	}
	prov_plugin_add(self, PROV_PLUGIN_KIND_DECODER, format, type, PROV_TYPE_DECODER, stage);
}

/**
 * prov_plugin_add_trigger:
 * @self: the #ProvPlugin passed to the register function
 * @name: the trigger's name (`http`); its settings are in `[NAME-trigger]`
 * @type: a static GType implementing #ProvTrigger
 *
 * Since: 0.1
 */
void
prov_plugin_add_trigger(ProvPlugin *self, const gchar *name, GType type)
{
	g_return_if_fail(PROV_IS_PLUGIN(self));

	prov_plugin_add(self, PROV_PLUGIN_KIND_TRIGGER, name, type, PROV_TYPE_TRIGGER,
			PROV_DECODER_STAGE_LAST);
}

/**
 * prov_plugin_set_error:
 * @self: the #ProvPlugin passed to the register function
 * @error: (transfer full): why the plugin cannot work (a library it needs
 *   failed to initialise, say)
 *
 * Fails the registration: the loader refuses the plugin with this reason
 * and ignores what it added.
 *
 * Since: 0.1
 */
void
prov_plugin_set_error(ProvPlugin *self, GError *error)
{
	g_autoptr(GError) error_owned = error;

	g_return_if_fail(PROV_IS_PLUGIN(self));
	g_return_if_fail(error != NULL);

	if (self->error == NULL)
		self->error = g_steal_pointer(&error_owned);
}

/**
 * prov_plugin_get_name:
 * @self: a #ProvPlugin
 *
 * Returns: (transfer none) (nullable): the descriptor's name, %NULL for a
 *   refused file that is not a plugin
 *
 * Since: 0.1
 */
const gchar *
prov_plugin_get_name(ProvPlugin *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), NULL);

	return self->name;
}

/**
 * prov_plugin_get_version:
 * @self: a #ProvPlugin
 *
 * Returns: (transfer none) (nullable): the plugin's own version
 *
 * Since: 0.1
 */
const gchar *
prov_plugin_get_version(ProvPlugin *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), NULL);

	return self->version;
}

/**
 * prov_plugin_get_filename:
 * @self: a #ProvPlugin
 *
 * Returns: (transfer none) (nullable): the module's path, %NULL for a
 *   plugin linked into the program
 *
 * Since: 0.1
 */
const gchar *
prov_plugin_get_filename(ProvPlugin *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), NULL);

	return self->filename;
}

/**
 * prov_plugin_get_refusal:
 * @self: a #ProvPlugin
 *
 * Returns: (transfer none) (nullable): why the loader refused the module,
 *   or %NULL for a plugin that was not refused
 *
 * Since: 0.1
 */
const gchar *
prov_plugin_get_refusal(ProvPlugin *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), NULL);

	return self->refusal;
}

/**
 * prov_plugin_is_loaded:
 * @self: a #ProvPlugin
 *
 * Whether the plugin's code is in service. The loader opens a module that
 * has a manifest only when something first needs what it provides; until
 * then the plugin is listed from its manifest (name, version, names and
 * decoder stages) and prov_plugin_lookup() finds no type.
 *
 * Returns: %TRUE for a plugin linked into the program and for a module that
 *   was opened and accepted; %FALSE for a module not opened yet, and for a
 *   refused one
 *
 * Since: 0.1
 */
gboolean
prov_plugin_is_loaded(ProvPlugin *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), FALSE);

	return self->loaded;
}

/**
 * prov_plugin_get_names:
 * @self: a #ProvPlugin
 * @kind: what to list
 *
 * Returns: (transfer none) (array zero-terminated=1): the schemes, formats
 *   or trigger names the plugin registered, in registration order
 *
 * Since: 0.1
 */
const gchar *const *
prov_plugin_get_names(ProvPlugin *self, ProvPluginKind kind)
{
	g_return_val_if_fail(PROV_IS_PLUGIN(self), NULL);
	g_return_val_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST, NULL);

	return (const gchar *const *)self->names[kind]->pdata;
}

/**
 * prov_plugin_lookup:
 * @self: a #ProvPlugin
 * @kind: what to look for
 * @name: a scheme, format or trigger name
 *
 * Returns: the registered type, or %G_TYPE_INVALID (also for a module
 *   that was not opened yet: see prov_plugin_is_loaded())
 *
 * Since: 0.1
 */
GType
prov_plugin_lookup(ProvPlugin *self, ProvPluginKind kind, const gchar *name)
{
	ProvPluginEntry *entry;

	g_return_val_if_fail(PROV_IS_PLUGIN(self), G_TYPE_INVALID);
	g_return_val_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST, G_TYPE_INVALID);
	g_return_val_if_fail(name != NULL, G_TYPE_INVALID);

	entry = g_hash_table_lookup(self->entries[kind], name);
	return entry != NULL ? entry->type : G_TYPE_INVALID;
}

/**
 * prov_plugin_get_decoder_stage:
 * @self: a #ProvPlugin
 * @format: a format the plugin registered
 * @stage: (out): its stage
 *
 * Returns: %TRUE when the plugin registered @format
 *
 * Since: 0.1
 */
gboolean
prov_plugin_get_decoder_stage(ProvPlugin *self, const gchar *format, ProvDecoderStage *stage)
{
	ProvPluginEntry *entry;

	g_return_val_if_fail(PROV_IS_PLUGIN(self), FALSE);
	g_return_val_if_fail(format != NULL, FALSE);
	g_return_val_if_fail(stage != NULL, FALSE);

	entry = g_hash_table_lookup(self->entries[PROV_PLUGIN_KIND_DECODER], format);
	if (entry == NULL)
		return FALSE;
	*stage = entry->stage;
	return TRUE;
}

static void
prov_plugin_clear_entries(ProvPlugin *self)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		g_ptr_array_set_size(self->names[kind], 0);
		g_ptr_array_add(self->names[kind], NULL);
		g_hash_table_remove_all(self->entries[kind]);
	}
}

/* runs the register function; on failure the plugin keeps nothing it added */
gboolean
prov_plugin_register(ProvPlugin *self, ProvPluginRegisterFunc register_func, GError **error)
{
	guint count = 0;

	self->registering = TRUE;
	register_func(self);
	self->registering = FALSE;
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++)
		count += g_hash_table_size(self->entries[kind]);
	if (self->error == NULL && count == 0)
		prov_plugin_fail(self, "the register function registered nothing");
	if (self->error != NULL) {
		prov_plugin_clear_entries(self);
		g_propagate_prefixed_error(error, g_steal_pointer(&self->error),
					   "register function failed: ");
		return FALSE;
	}
	self->loaded = TRUE;
	return TRUE;
}

void
prov_plugin_refuse(ProvPlugin *self, const gchar *reason)
{
	g_free(self->refusal);
	self->refusal = g_strdup(reason);
	self->loaded = FALSE;
	prov_plugin_clear_entries(self);
}

/* an entry of a manifest: checked as a register function's would be, but with no type yet */
gboolean
prov_plugin_declare(ProvPlugin *self,
		    ProvPluginKind kind,
		    const gchar *name,
		    ProvDecoderStage stage,
		    GError **error)
{
	const gchar *kind_name = prov_plugin_kind_names[kind];

	if (!prov_plugin_kind_name_is_valid(kind, name)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "%s name \"%s\" is not valid",
			    kind_name, name);
		return FALSE;
	}
	if (g_hash_table_contains(self->entries[kind], name)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "%s %s declared twice", kind_name,
			    name);
		return FALSE;
	}
	prov_plugin_insert(self, kind, name, G_TYPE_INVALID, stage);
	return TRUE;
}

static const gchar *const prov_plugin_kind_plurals[] = {"transports", "decoders", "triggers"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_plugin_kind_plurals) == PROV_PLUGIN_KIND_LAST);

/* "decoders gzip (compression), aes (encryption)" or "no decoders", for refusal messages */
static gchar *
prov_plugin_describe(ProvPlugin *self, ProvPluginKind kind)
{
	const gchar *const *names = prov_plugin_get_names(self, kind);
	g_autoptr(GString) text = NULL;

	if (names[0] == NULL)
		return g_strdup_printf("no %s", prov_plugin_kind_plurals[kind]);
	text = g_string_new(prov_plugin_kind_plurals[kind]);
	for (guint i = 0; names[i] != NULL; i++) {
		ProvPluginEntry *entry = g_hash_table_lookup(self->entries[kind], names[i]);

		g_string_append(text, i == 0 ? " " : ", ");
		g_string_append(text, names[i]);
		if (kind == PROV_PLUGIN_KIND_DECODER)
			g_string_append_printf(text, " (%s)",
					       prov_decoder_stage_to_string(entry->stage));
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

/*
 * takes the types a module registered into the plugin its manifest declared,
 * which the registry and callers already hold; what the registry listed must
 * be exactly what the module provides, names, order and decoder stages
 */
gchar *
prov_plugin_adopt(ProvPlugin *self, ProvPlugin *registered, const gchar *manifest)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		g_autofree gchar *declared = prov_plugin_describe(self, kind);
		g_autofree gchar *provided = prov_plugin_describe(registered, kind);

		if (g_strcmp0(declared, provided) != 0)
			return g_strdup_printf(
			    "its manifest %s declares %s, the module registers %s", manifest,
			    declared, provided);
	}
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		GHashTableIter iter;
		gpointer name;
		gpointer entry;

		g_hash_table_iter_init(&iter, registered->entries[kind]);
		while (g_hash_table_iter_next(&iter, &name, &entry)) {
			ProvPluginEntry *own = g_hash_table_lookup(self->entries[kind], name);

			own->type = ((ProvPluginEntry *)entry)->type;
		}
	}
	self->loaded = TRUE;
	return NULL;
}

static void
prov_plugin_finalize(GObject *object)
{
	ProvPlugin *self = PROV_PLUGIN(object);

	g_free(self->name);
	g_free(self->version);
	g_free(self->filename);
	g_free(self->refusal);
	g_clear_error(&self->error);
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		g_ptr_array_unref(self->names[kind]);
		g_hash_table_unref(self->entries[kind]);
	}
	G_OBJECT_CLASS(prov_plugin_parent_class)->finalize(object);
}

static void
prov_plugin_class_init(ProvPluginClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_plugin_finalize;
}

static void
prov_plugin_init(ProvPlugin *self)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		self->names[kind] = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(self->names[kind], NULL);
		self->entries[kind] =
		    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	}
}

ProvPlugin *
prov_plugin_new(const gchar *name, const gchar *version, const gchar *filename)
{
	ProvPlugin *self = g_object_new(PROV_TYPE_PLUGIN, NULL);

	self->name = g_strdup(name);
	self->version = g_strdup(version);
	self->filename = g_strdup(filename);
	return self;
}
