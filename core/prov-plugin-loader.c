/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvPluginLoader"

#include "config.h"

#include <gmodule.h>
#include <string.h>

#include "prov-error.h"
#include "prov-plugin-loader.h"
#include "prov-plugin-private.h"

/**
 * ProvPluginLoader:
 *
 * Opens plugin modules and keeps the registry: URL scheme to transport,
 * decoders by stage and load order, trigger names. A module that cannot
 * work (another plugin-API version, a failing register function, a file
 * that is not a plugin, a scheme another plugin already serves) is refused
 * with a warning naming the file and the reason, and listed with
 * prov_plugin_loader_get_refused(); everything else keeps working.
 * Modules are never unloaded: their types stay registered with GObject.
 *
 * Since: 0.1
 */
struct _ProvPluginLoader {
	GObject parent_instance;
	GPtrArray *plugins;
	GPtrArray *refused;
	GPtrArray *directories;
	/* every path tried, so that a directory scanned twice loads nothing twice */
	GHashTable *filenames;
	/* plugin name -> ProvPlugin */
	GHashTable *plugin_names;
	/* per kind: name -> ProvPlugin, and the names in priority order (NULL-terminated) */
	GHashTable *registry[PROV_PLUGIN_KIND_LAST];
	GPtrArray *names[PROV_PLUGIN_KIND_LAST];
};

G_DEFINE_TYPE(ProvPluginLoader, prov_plugin_loader, G_TYPE_OBJECT)

static const gchar *const prov_plugin_loader_name_words[] = {"scheme", "format", "trigger"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_plugin_loader_name_words) == PROV_PLUGIN_KIND_LAST);

static gboolean
prov_plugin_loader_refuse(ProvPluginLoader *self,
			  const gchar *filename,
			  const gchar *name,
			  const gchar *version,
			  const gchar *reason,
			  GError **error)
{
	g_autoptr(ProvPlugin) plugin = prov_plugin_new(name, version, filename);
	const gchar *where = filename != NULL ? filename : name;

	prov_plugin_refuse(plugin, reason);
	g_ptr_array_add(self->refused, g_steal_pointer(&plugin));
	g_warning("plugin %s refused: %s", where, reason);
	g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "plugin %s refused: %s", where, reason);
	return FALSE;
}

/* the descriptor's first member is the API version in every version, so it is read first */
static gchar *
prov_plugin_loader_check_descriptor(ProvPluginLoader *self, const ProvPluginDescriptor *descriptor)
{
	ProvPlugin *other;

	if (descriptor->api_version != PROV_PLUGIN_API_VERSION)
		return g_strdup_printf("built for plugin API version %u, this is version %u",
				       descriptor->api_version, PROV_PLUGIN_API_VERSION);
	if (descriptor->size < sizeof(ProvPluginDescriptor))
		return g_strdup_printf("its descriptor has %u bytes, expected %u", descriptor->size,
				       (guint)sizeof(ProvPluginDescriptor));
	if (!prov_plugin_name_is_valid(descriptor->name))
		return g_strdup("its descriptor has no valid name");
	if (descriptor->register_func == NULL)
		return g_strdup("its descriptor has no register function");
	other = g_hash_table_lookup(self->plugin_names, descriptor->name);
	if (other != NULL)
		return g_strdup_printf(
		    "a plugin named %s is already loaded from %s", descriptor->name,
		    prov_plugin_get_filename(other) != NULL ? prov_plugin_get_filename(other)
							    : "the program itself");
	return NULL;
}

static gchar *
prov_plugin_loader_find_conflict(ProvPluginLoader *self, ProvPlugin *plugin)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		const gchar *const *names = prov_plugin_get_names(plugin, kind);

		for (guint i = 0; names[i] != NULL; i++) {
			ProvPlugin *other = g_hash_table_lookup(self->registry[kind], names[i]);
			const gchar *filename;

			if (other == NULL)
				continue;
			filename = prov_plugin_get_filename(other);
			return g_strdup_printf("%s %s is already provided by plugin %s (%s)",
					       prov_plugin_loader_name_words[kind], names[i],
					       prov_plugin_get_name(other),
					       filename != NULL ? filename : "the program itself");
		}
	}
	return NULL;
}

/* decoders are tried by stage, and within a stage in load order */
static void
prov_plugin_loader_insert_decoder(ProvPluginLoader *self, ProvPlugin *plugin, const gchar *format)
{
	GPtrArray *names = self->names[PROV_PLUGIN_KIND_DECODER];
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
	guint position = names->len - 1;

	prov_plugin_get_decoder_stage(plugin, format, &stage);
	for (guint i = 0; i + 1 < names->len; i++) {
		const gchar *other_format = g_ptr_array_index(names, i);
		ProvPlugin *other =
		    g_hash_table_lookup(self->registry[PROV_PLUGIN_KIND_DECODER], other_format);
		ProvDecoderStage other_stage = PROV_DECODER_STAGE_LAST;

		prov_plugin_get_decoder_stage(other, other_format, &other_stage);
		if (other_stage > stage) {
			position = i;
			break;
		}
	}
	g_ptr_array_insert(names, (gint)position, g_strdup(format));
}

static void
prov_plugin_loader_commit(ProvPluginLoader *self, ProvPlugin *plugin)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		const gchar *const *names = prov_plugin_get_names(plugin, kind);

		for (guint i = 0; names[i] != NULL; i++) {
			g_hash_table_insert(self->registry[kind], g_strdup(names[i]), plugin);
			if (kind == PROV_PLUGIN_KIND_DECODER) {
				prov_plugin_loader_insert_decoder(self, plugin, names[i]);
				continue;
			}
			g_ptr_array_insert(self->names[kind], (gint)self->names[kind]->len - 1,
					   g_strdup(names[i]));
		}
	}
	g_hash_table_insert(self->plugin_names, g_strdup(prov_plugin_get_name(plugin)), plugin);
	g_ptr_array_add(self->plugins, g_object_ref(plugin));
}

/* steps shared by modules and plugins linked into the program, after the descriptor was found */
static gboolean
prov_plugin_loader_add_descriptor(ProvPluginLoader *self,
				  const ProvPluginDescriptor *descriptor,
				  const gchar *filename,
				  GModule *module,
				  GError **error)
{
	g_autofree gchar *reason = NULL;
	g_autoptr(ProvPlugin) plugin = NULL;
	g_autoptr(GError) error_local = NULL;

	reason = prov_plugin_loader_check_descriptor(self, descriptor);
	if (reason != NULL) {
		/* another API version's descriptor is not read past its version */
		gboolean readable = descriptor->api_version == PROV_PLUGIN_API_VERSION &&
				    prov_plugin_name_is_valid(descriptor->name);
		g_autofree gchar *name = readable ? g_strdup(descriptor->name) : NULL;
		g_autofree gchar *version = readable ? g_strdup(descriptor->version) : NULL;

		/* the descriptor lives in the module: close it only after the last read */
		if (module != NULL)
			g_module_close(module);
		return prov_plugin_loader_refuse(self, filename, name, version, reason, error);
	}

	/* the register function may have registered GTypes even when it fails: keep the code */
	if (module != NULL)
		g_module_make_resident(module);
	plugin = prov_plugin_new(descriptor->name, descriptor->version, filename);
	if (!prov_plugin_register(plugin, descriptor->register_func, &error_local))
		return prov_plugin_loader_refuse(self, filename, descriptor->name,
						 descriptor->version, error_local->message, error);
	reason = prov_plugin_loader_find_conflict(self, plugin);
	if (reason != NULL)
		return prov_plugin_loader_refuse(self, filename, descriptor->name,
						 descriptor->version, reason, error);
	prov_plugin_loader_commit(self, plugin);
	g_debug("plugin %s %s loaded from %s", descriptor->name,
		descriptor->version != NULL ? descriptor->version : "",
		filename != NULL ? filename : "the program itself");
	return TRUE;
}

/**
 * prov_plugin_loader_load_file:
 * @self: a #ProvPluginLoader
 * @path: a plugin module
 * @error: return location for a #GError
 *
 * Opens one module and registers what it provides. A refused module is
 * logged as a warning and listed with its reason; @error says the same. A
 * path that was tried before is not tried again.
 *
 * Returns: %TRUE when the plugin was loaded or had been tried already
 *
 * Since: 0.1
 */
gboolean
prov_plugin_loader_load_file(ProvPluginLoader *self, const gchar *path, GError **error)
{
	GModule *module;
	gpointer symbol = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!g_hash_table_add(self->filenames, g_strdup(path)))
		return TRUE;

	/*
	 * local binding, so that every module's descriptor symbol stays its own; no lazy
	 * binding, so that a module with unresolved symbols is refused now instead of
	 * crashing the daemon at its first call
	 */
	module = g_module_open_full(path, G_MODULE_BIND_LOCAL, &error_local);
	if (module == NULL) {
		g_autofree gchar *reason =
		    g_strdup_printf("it cannot be opened: %s", error_local->message);

		return prov_plugin_loader_refuse(self, path, NULL, NULL, reason, error);
	}
	if (!g_module_symbol(module, PROV_PLUGIN_DESCRIPTOR_SYMBOL, &symbol) || symbol == NULL) {
		g_module_close(module);
		return prov_plugin_loader_refuse(
		    self, path, NULL, NULL,
		    "not a provisiond plugin (no " PROV_PLUGIN_DESCRIPTOR_SYMBOL " symbol)", error);
	}
	return prov_plugin_loader_add_descriptor(self, symbol, path, module, error);
}

/**
 * prov_plugin_loader_add_static:
 * @self: a #ProvPluginLoader
 * @descriptor: the descriptor of a plugin compiled with `PROV_PLUGIN_STATIC`
 *   and linked into the program, from PROV_PLUGIN_DESCRIPTOR()
 * @error: return location for a #GError
 *
 * Registers a plugin that is part of the program, with the same checks as
 * a module.
 *
 * Returns: %TRUE when the plugin was added
 *
 * Since: 0.1
 */
gboolean
prov_plugin_loader_add_static(ProvPluginLoader *self,
			      const ProvPluginDescriptor *descriptor,
			      GError **error)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), FALSE);
	g_return_val_if_fail(descriptor != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return prov_plugin_loader_add_descriptor(self, descriptor, NULL, NULL, error);
}

static gint
prov_plugin_loader_compare_names_cb(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/**
 * prov_plugin_loader_load_directory:
 * @self: a #ProvPluginLoader
 * @path: a directory of plugin modules
 * @error: return location for a #GError
 *
 * Loads every `*.so` in @path in name order, so that when two modules
 * claim the same scheme the same one wins every time. Other files are
 * ignored; refused modules do not make this fail.
 *
 * Returns: %TRUE when the directory could be read
 *
 * Since: 0.1
 */
gboolean
prov_plugin_loader_load_directory(ProvPluginLoader *self, const gchar *path, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	dir = g_dir_open(path, 0, error);
	if (dir == NULL) {
		g_prefix_error(error, "plugin directory: ");
		return FALSE;
	}
	g_ptr_array_insert(self->directories, (gint)self->directories->len - 1, g_strdup(path));
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (name[0] != '.' && g_str_has_suffix(name, "." G_MODULE_SUFFIX))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, prov_plugin_loader_compare_names_cb);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *filename =
		    g_build_filename(path, g_ptr_array_index(names, i), NULL);

		if (!g_file_test(filename, G_FILE_TEST_IS_REGULAR))
			continue;
		/* refusals are logged and listed; the other modules still load */
		prov_plugin_loader_load_file(self, filename, NULL);
	}
	return TRUE;
}

static void
prov_plugin_loader_split_into(GPtrArray *directories, const gchar *list)
{
	g_auto(GStrv) parts = g_strsplit(list, G_SEARCHPATH_SEPARATOR_S, -1);

	for (guint i = 0; parts[i] != NULL; i++) {
		g_strstrip(parts[i]);
		if (parts[i][0] != '\0')
			g_ptr_array_add(directories, g_strdup(parts[i]));
	}
}

/**
 * prov_plugin_loader_get_default_directories:
 * @config: (nullable): the daemon's configuration
 *
 * The directories to load plugins from: the `:`-separated list in
 * `PROV_PLUGIN_DIR` when it is set and not empty, otherwise `PluginDirectory`
 * of the config's `[daemon]` group (also a `:`-separated list), otherwise the
 * installed plugin directory.
 *
 * Returns: (transfer full) (array zero-terminated=1): the directories
 *
 * Since: 0.1
 */
gchar **
prov_plugin_loader_get_default_directories(ProvConfig *config)
{
	g_autoptr(GPtrArray) directories = g_ptr_array_new_with_free_func(g_free);
	const gchar *env = g_getenv(PROV_PLUGIN_DIR_ENV);
	const gchar *configured = NULL;

	g_return_val_if_fail(config == NULL || PROV_IS_CONFIG(config), NULL);

	if (config != NULL)
		configured = prov_config_get_daemon_value(config, "PluginDirectory");
	if (env != NULL)
		prov_plugin_loader_split_into(directories, env);
	if (directories->len == 0 && configured != NULL)
		prov_plugin_loader_split_into(directories, configured);
	if (directories->len == 0)
		g_ptr_array_add(directories, g_strdup(PROV_PLUGINDIR));
	g_ptr_array_add(directories, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&directories), FALSE);
}

/**
 * prov_plugin_loader_load_default:
 * @self: a #ProvPluginLoader
 * @config: (nullable): the daemon's configuration
 *
 * Loads the plugins of prov_plugin_loader_get_default_directories(). A
 * directory that cannot be read is logged as a warning and skipped.
 *
 * Since: 0.1
 */
void
prov_plugin_loader_load_default(ProvPluginLoader *self, ProvConfig *config)
{
	g_auto(GStrv) directories = NULL;

	g_return_if_fail(PROV_IS_PLUGIN_LOADER(self));
	g_return_if_fail(config == NULL || PROV_IS_CONFIG(config));

	directories = prov_plugin_loader_get_default_directories(config);
	for (guint i = 0; directories[i] != NULL; i++) {
		g_autoptr(GError) error_local = NULL;

		if (!prov_plugin_loader_load_directory(self, directories[i], &error_local))
			g_warning("%s", error_local->message);
	}
}

/**
 * prov_plugin_loader_get_directories:
 * @self: a #ProvPluginLoader
 *
 * Returns: (transfer none) (array zero-terminated=1): the directories that
 *   were scanned, in order
 *
 * Since: 0.1
 */
const gchar *const *
prov_plugin_loader_get_directories(ProvPluginLoader *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);

	return (const gchar *const *)self->directories->pdata;
}

/**
 * prov_plugin_loader_get_plugins:
 * @self: a #ProvPluginLoader
 *
 * Returns: (transfer none) (element-type ProvPlugin): the loaded plugins,
 *   in load order
 *
 * Since: 0.1
 */
GPtrArray *
prov_plugin_loader_get_plugins(ProvPluginLoader *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);

	return self->plugins;
}

/**
 * prov_plugin_loader_get_refused:
 * @self: a #ProvPluginLoader
 *
 * Returns: (transfer none) (element-type ProvPlugin): the refused modules,
 *   each with prov_plugin_get_refusal() saying why
 *
 * Since: 0.1
 */
GPtrArray *
prov_plugin_loader_get_refused(ProvPluginLoader *self)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);

	return self->refused;
}

/**
 * prov_plugin_loader_get_names:
 * @self: a #ProvPluginLoader
 * @kind: what to list
 *
 * Returns: (transfer none) (array zero-terminated=1): every registered
 *   scheme or trigger name in load order, or every decoder format in the
 *   order the decode pipeline tries them
 *
 * Since: 0.1
 */
const gchar *const *
prov_plugin_loader_get_names(ProvPluginLoader *self, ProvPluginKind kind)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);
	g_return_val_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST, NULL);

	return (const gchar *const *)self->names[kind]->pdata;
}

/**
 * prov_plugin_loader_lookup:
 * @self: a #ProvPluginLoader
 * @kind: what to look for
 * @name: a URL scheme (any case), format or trigger name
 *
 * Returns: (transfer none) (nullable): the plugin that provides @name
 *
 * Since: 0.1
 */
ProvPlugin *
prov_plugin_loader_lookup(ProvPluginLoader *self, ProvPluginKind kind, const gchar *name)
{
	g_autofree gchar *lower = NULL;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);
	g_return_val_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST, NULL);
	g_return_val_if_fail(name != NULL, NULL);

	/* RFC 3986 3.1: schemes are case-insensitive */
	lower = g_ascii_strdown(name, -1);
	return g_hash_table_lookup(self->registry[kind], lower);
}

/**
 * prov_plugin_loader_lookup_type:
 * @self: a #ProvPluginLoader
 * @kind: what to look for
 * @name: a URL scheme (any case), format or trigger name
 *
 * Returns: the registered type, or %G_TYPE_INVALID
 *
 * Since: 0.1
 */
GType
prov_plugin_loader_lookup_type(ProvPluginLoader *self, ProvPluginKind kind, const gchar *name)
{
	ProvPlugin *plugin;
	g_autofree gchar *lower = NULL;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), G_TYPE_INVALID);

	plugin = prov_plugin_loader_lookup(self, kind, name);
	if (plugin == NULL)
		return G_TYPE_INVALID;
	lower = g_ascii_strdown(name, -1);
	return prov_plugin_lookup(plugin, kind, lower);
}

static GObject *
prov_plugin_loader_create(ProvPluginLoader *self,
			  ProvPluginKind kind,
			  const gchar *name,
			  GError **error)
{
	GType type = prov_plugin_loader_lookup_type(self, kind, name);

	if (type == G_TYPE_INVALID) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "no plugin provides the %s %s",
			    prov_plugin_loader_name_words[kind], name);
		return NULL;
	}
	return g_object_new(type, NULL);
}

/**
 * prov_plugin_loader_create_transport:
 * @self: a #ProvPluginLoader
 * @scheme: a URL scheme, any case
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new transport for @scheme, or %NULL when no
 *   plugin provides it
 *
 * Since: 0.1
 */
ProvTransport *
prov_plugin_loader_create_transport(ProvPluginLoader *self, const gchar *scheme, GError **error)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);
	g_return_val_if_fail(scheme != NULL, NULL);

	return PROV_TRANSPORT(
	    prov_plugin_loader_create(self, PROV_PLUGIN_KIND_TRANSPORT, scheme, error));
}

/**
 * prov_plugin_loader_create_decoder:
 * @self: a #ProvPluginLoader
 * @format: a decoder format
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new decoder for @format, or %NULL when no
 *   plugin provides it
 *
 * Since: 0.1
 */
ProvDecoder *
prov_plugin_loader_create_decoder(ProvPluginLoader *self, const gchar *format, GError **error)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);
	g_return_val_if_fail(format != NULL, NULL);

	return PROV_DECODER(
	    prov_plugin_loader_create(self, PROV_PLUGIN_KIND_DECODER, format, error));
}

/**
 * prov_plugin_loader_create_trigger:
 * @self: a #ProvPluginLoader
 * @name: a trigger name
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new trigger, or %NULL when no plugin provides it
 *
 * Since: 0.1
 */
ProvTrigger *
prov_plugin_loader_create_trigger(ProvPluginLoader *self, const gchar *name, GError **error)
{
	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);

	return PROV_TRIGGER(prov_plugin_loader_create(self, PROV_PLUGIN_KIND_TRIGGER, name, error));
}

static void
prov_plugin_loader_dispose(GObject *object)
{
	ProvPluginLoader *self = PROV_PLUGIN_LOADER(object);

	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++)
		g_hash_table_remove_all(self->registry[kind]);
	g_hash_table_remove_all(self->plugin_names);
	g_ptr_array_set_size(self->plugins, 0);
	g_ptr_array_set_size(self->refused, 0);
	G_OBJECT_CLASS(prov_plugin_loader_parent_class)->dispose(object);
}

static void
prov_plugin_loader_finalize(GObject *object)
{
	ProvPluginLoader *self = PROV_PLUGIN_LOADER(object);

	g_ptr_array_unref(self->plugins);
	g_ptr_array_unref(self->refused);
	g_ptr_array_unref(self->directories);
	g_hash_table_unref(self->filenames);
	g_hash_table_unref(self->plugin_names);
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		g_hash_table_unref(self->registry[kind]);
		g_ptr_array_unref(self->names[kind]);
	}
	G_OBJECT_CLASS(prov_plugin_loader_parent_class)->finalize(object);
}

static void
prov_plugin_loader_class_init(ProvPluginLoaderClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_plugin_loader_dispose;
	object_class->finalize = prov_plugin_loader_finalize;
}

static void
prov_plugin_loader_init(ProvPluginLoader *self)
{
	self->plugins = g_ptr_array_new_with_free_func(g_object_unref);
	self->refused = g_ptr_array_new_with_free_func(g_object_unref);
	self->directories = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(self->directories, NULL);
	self->filenames = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	self->plugin_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		self->registry[kind] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		self->names[kind] = g_ptr_array_new_with_free_func(g_free);
		g_ptr_array_add(self->names[kind], NULL);
	}
}

/**
 * prov_plugin_loader_new:
 *
 * Returns: (transfer full): a loader with no plugins yet
 *
 * Since: 0.1
 */
ProvPluginLoader *
prov_plugin_loader_new(void)
{
	return g_object_new(PROV_TYPE_PLUGIN_LOADER, NULL);
}
