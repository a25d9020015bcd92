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
 * A module with a manifest beside it (`libprov-http.plugin` for
 * `libprov-http.so`: a key file saying what the module provides) is only
 * registered when its directory is scanned, and opened when something first
 * needs it: creating one of its types, prov_plugin_loader_lookup_type(), or
 * prov_plugin_loader_load_all() for its kind. R46: the libraries a plugin
 * pulls in (GnuTLS, libsoup) cost more memory than the idle daemon may use,
 * and most devices use one transport. The module must then agree with its
 * manifest, or it is refused then, like any module that cannot work. A
 * module without a manifest (third-party plugins built before manifests)
 * is opened when its directory is scanned.
 *
 * The loader is used on the main thread only: it takes no lock, and opening
 * a module on first use changes the registry from whichever call needs it.
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
	/* ProvPlugin not opened yet -> its manifest's file name, for messages */
	GHashTable *manifests;
	/*
	 * name arrays replaced when a module refused on first use left the registry: a
	 * caller may be going through the old one while it creates each type (the engine
	 * starting its triggers), so they are freed with the loader: at most one per kind for
	 * each such refusal
	 */
	GPtrArray *retired;
};

/* what a manifest (`<module>.plugin`, a key file) says about the module beside it */
typedef struct {
	gchar *path;
	/* Module=, a file name in the manifest's directory, and its path */
	gchar *module;
	gchar *module_path;
	guint64 api_version;
	/* its name, version and names; NULL when it is for another API version */
	ProvPlugin *plugin;
} ProvPluginManifest;

static void
prov_plugin_manifest_free(ProvPluginManifest *manifest)
{
	g_free(manifest->path);
	g_free(manifest->module);
	g_free(manifest->module_path);
	g_clear_object(&manifest->plugin);
	g_free(manifest);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvPluginManifest, prov_plugin_manifest_free)

#define PROV_PLUGIN_MANIFEST_SUFFIX ".plugin"
#define PROV_PLUGIN_MANIFEST_GROUP  "Plugin"

G_DEFINE_TYPE(ProvPluginLoader, prov_plugin_loader, G_TYPE_OBJECT)

static const gchar *const prov_plugin_loader_name_words[] = {"scheme", "format", "trigger"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_plugin_loader_name_words) == PROV_PLUGIN_KIND_LAST);

/* takes @plugin into the refused list */
static gboolean
prov_plugin_loader_add_refused(ProvPluginLoader *self,
			       ProvPlugin *plugin,
			       const gchar *reason,
			       GError **error)
{
	const gchar *filename = prov_plugin_get_filename(plugin);
	const gchar *where = filename != NULL ? filename : prov_plugin_get_name(plugin);

	prov_plugin_refuse(plugin, reason);
	g_ptr_array_add(self->refused, plugin);
	g_warning("plugin %s refused: %s", where, reason);
	g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "plugin %s refused: %s", where, reason);
	return FALSE;
}

static gboolean
prov_plugin_loader_refuse(ProvPluginLoader *self,
			  const gchar *filename,
			  const gchar *name,
			  const gchar *version,
			  const gchar *reason,
			  GError **error)
{
	return prov_plugin_loader_add_refused(self, prov_plugin_new(name, version, filename),
					      reason, error);
}

/*
 * the descriptor's first member is the API version in every version, so it is read first;
 * @plugin is the entry a manifest already registered under the same name, if any
 */
static gchar *
prov_plugin_loader_check_descriptor(ProvPluginLoader *self,
				    const ProvPluginDescriptor *descriptor,
				    ProvPlugin *plugin)
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
	if (other != NULL && other != plugin)
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

	reason = prov_plugin_loader_check_descriptor(self, descriptor, NULL);
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

/* takes a plugin whose module was refused on first use out of the registry */
static void
prov_plugin_loader_forget(ProvPluginLoader *self, ProvPlugin *plugin)
{
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		const gchar *const *names = prov_plugin_get_names(plugin, kind);
		GPtrArray *kept;

		if (names[0] == NULL)
			continue;
		kept = g_ptr_array_new_with_free_func(g_free);
		for (guint i = 0; i + 1 < self->names[kind]->len; i++) {
			const gchar *name = g_ptr_array_index(self->names[kind], i);

			if (g_hash_table_lookup(self->registry[kind], name) != plugin)
				g_ptr_array_add(kept, g_strdup(name));
		}
		g_ptr_array_add(kept, NULL);
		g_ptr_array_add(self->retired, self->names[kind]);
		self->names[kind] = kept;
		for (guint i = 0; names[i] != NULL; i++)
			g_hash_table_remove(self->registry[kind], names[i]);
	}
	g_hash_table_remove(self->plugin_names, prov_plugin_get_name(plugin));
	g_hash_table_remove(self->manifests, plugin);
	g_ptr_array_remove(self->plugins, plugin);
}

/* refuses a module that was registered from its manifest, when it is opened */
static gboolean
prov_plugin_loader_refuse_available(ProvPluginLoader *self,
				    ProvPlugin *plugin,
				    const gchar *reason,
				    GError **error)
{
	g_object_ref(plugin);
	prov_plugin_loader_forget(self, plugin);
	return prov_plugin_loader_add_refused(self, plugin, reason, error);
}

/* the manifest stood in for the descriptor until now: they must say the same */
static gchar *
prov_plugin_loader_check_manifest(ProvPlugin *plugin,
				  const ProvPluginDescriptor *descriptor,
				  const gchar *manifest)
{
	if (g_strcmp0(descriptor->name, prov_plugin_get_name(plugin)) != 0)
		return g_strdup_printf("its manifest %s names plugin %s, the module %s", manifest,
				       prov_plugin_get_name(plugin), descriptor->name);
	if (g_strcmp0(descriptor->version, prov_plugin_get_version(plugin)) != 0)
		return g_strdup_printf("its manifest %s says version %s, the module %s", manifest,
				       prov_plugin_get_version(plugin),
				       descriptor->version != NULL ? descriptor->version
								   : "(none)");
	return NULL;
}

/* opens the module of a plugin registered from its manifest, on first use */
static gboolean
prov_plugin_loader_open(ProvPluginLoader *self, ProvPlugin *plugin, GError **error)
{
	const gchar *filename = prov_plugin_get_filename(plugin);
	g_autofree gchar *manifest = NULL;
	g_autofree gchar *reason = NULL;
	g_autoptr(ProvPlugin) registered = NULL;
	g_autoptr(GError) error_local = NULL;
	const ProvPluginDescriptor *descriptor;
	GModule *module;
	gpointer symbol = NULL;

	if (prov_plugin_is_loaded(plugin))
		return TRUE;
	manifest = g_path_get_basename(g_hash_table_lookup(self->manifests, plugin));

	/* the same binding as prov_plugin_loader_load_file(), for the same reasons */
	module = g_module_open_full(filename, G_MODULE_BIND_LOCAL, &error_local);
	if (module == NULL) {
		reason = g_strdup_printf("it cannot be opened: %s", error_local->message);
		return prov_plugin_loader_refuse_available(self, plugin, reason, error);
	}
	if (!g_module_symbol(module, PROV_PLUGIN_DESCRIPTOR_SYMBOL, &symbol) || symbol == NULL) {
		g_module_close(module);
		return prov_plugin_loader_refuse_available(
		    self, plugin,
		    "not a provisiond plugin (no " PROV_PLUGIN_DESCRIPTOR_SYMBOL " symbol)", error);
	}
	descriptor = symbol;
	reason = prov_plugin_loader_check_descriptor(self, descriptor, plugin);
	if (reason == NULL)
		reason = prov_plugin_loader_check_manifest(plugin, descriptor, manifest);
	if (reason != NULL) {
		g_module_close(module);
		return prov_plugin_loader_refuse_available(self, plugin, reason, error);
	}

	/* the register function may have registered GTypes even when it fails: keep the code */
	g_module_make_resident(module);
	registered = prov_plugin_new(descriptor->name, descriptor->version, filename);
	if (!prov_plugin_register(registered, descriptor->register_func, &error_local))
		return prov_plugin_loader_refuse_available(self, plugin, error_local->message,
							   error);
	reason = prov_plugin_adopt(plugin, registered, manifest);
	if (reason != NULL)
		return prov_plugin_loader_refuse_available(self, plugin, reason, error);
	g_hash_table_remove(self->manifests, plugin);
	g_debug("plugin %s %s loaded from %s on first use", descriptor->name,
		descriptor->version != NULL ? descriptor->version : "", filename);
	return TRUE;
}

/**
 * prov_plugin_loader_load_file:
 * @self: a #ProvPluginLoader
 * @path: a plugin module
 * @error: return location for a #GError
 *
 * Opens one module now and registers what it provides; a manifest beside
 * it is not read. A refused module is logged as a warning and listed with
 * its reason; @error says the same. A path that was tried before (also
 * one registered from its manifest) is not tried again.
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

static gboolean
prov_plugin_loader_is_module_name(const gchar *name)
{
	return name[0] != '.' && strchr(name, G_DIR_SEPARATOR) == NULL &&
	       g_str_has_suffix(name, "." G_MODULE_SUFFIX);
}

static const gchar *const prov_plugin_loader_manifest_keys[] = {"Transports", "Decoders",
								"Triggers"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_plugin_loader_manifest_keys) == PROV_PLUGIN_KIND_LAST);

/* one entry of Transports=, Decoders= (`format:stage`) or Triggers= */
static gboolean
prov_plugin_loader_declare(ProvPlugin *plugin, ProvPluginKind kind, gchar *entry, GError **error)
{
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
	gchar *colon;

	if (kind != PROV_PLUGIN_KIND_DECODER)
		return prov_plugin_declare(plugin, kind, entry, stage, error);
	/* the pipeline orders decoders by stage, so the listing needs it before the module */
	colon = strchr(entry, ':');
	if (colon == NULL || !prov_decoder_stage_from_string(colon + 1, &stage)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
			    "decoder %s has no stage (FORMAT:transfer, encryption or compression)",
			    entry);
		return FALSE;
	}
	*colon = '\0';
	return prov_plugin_declare(plugin, kind, entry, stage, error);
}

static gchar *
prov_plugin_loader_manifest_string(GKeyFile *key_file, const gchar *key, GError **error)
{
	g_autofree gchar *value =
	    g_key_file_get_string(key_file, PROV_PLUGIN_MANIFEST_GROUP, key, error);

	if (value == NULL)
		return NULL;
	g_strstrip(value);
	if (value[0] == '\0') {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "%s is empty", key);
		return NULL;
	}
	return g_steal_pointer(&value);
}

static ProvPluginManifest *
prov_plugin_loader_parse_manifest(const gchar *path, GError **error)
{
	g_autoptr(GKeyFile) key_file = g_key_file_new();
	g_autoptr(ProvPluginManifest) manifest = g_new0(ProvPluginManifest, 1);
	g_autofree gchar *directory = g_path_get_dirname(path);
	g_autofree gchar *api_version = NULL;
	g_autofree gchar *name = NULL;
	g_autofree gchar *version = NULL;
	guint declared = 0;

	if (!g_key_file_load_from_file(key_file, path, G_KEY_FILE_NONE, error))
		return NULL;
	manifest->path = g_strdup(path);
	manifest->module = prov_plugin_loader_manifest_string(key_file, "Module", error);
	if (manifest->module == NULL)
		return NULL;
	if (!prov_plugin_loader_is_module_name(manifest->module)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
			    "Module=%s is not a *." G_MODULE_SUFFIX " file name", manifest->module);
		return NULL;
	}
	manifest->module_path = g_build_filename(directory, manifest->module, NULL);
	api_version = prov_plugin_loader_manifest_string(key_file, "APIVersion", error);
	if (api_version == NULL)
		return NULL;
	if (!g_ascii_string_to_unsigned(api_version, 10, 1, G_MAXUINT32, &manifest->api_version,
					NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
			    "APIVersion=%s is not a version number", api_version);
		return NULL;
	}
	/* as with a descriptor, another API version's manifest is not read past its version */
	if (manifest->api_version != PROV_PLUGIN_API_VERSION)
		return g_steal_pointer(&manifest);

	name = prov_plugin_loader_manifest_string(key_file, "Name", error);
	if (name == NULL)
		return NULL;
	if (!prov_plugin_name_is_valid(name)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
			    "Name=%s is not a valid plugin name", name);
		return NULL;
	}
	version = prov_plugin_loader_manifest_string(key_file, "Version", error);
	if (version == NULL)
		return NULL;
	manifest->plugin = prov_plugin_new(name, version, manifest->module_path);
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
		const gchar *key = prov_plugin_loader_manifest_keys[kind];
		g_autoptr(GError) error_local = NULL;
		g_auto(GStrv) entries = g_key_file_get_string_list(
		    key_file, PROV_PLUGIN_MANIFEST_GROUP, key, NULL, &error_local);

		if (entries == NULL && !g_error_matches(error_local, G_KEY_FILE_ERROR,
							G_KEY_FILE_ERROR_KEY_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		for (guint i = 0; entries != NULL && entries[i] != NULL; i++) {
			g_strstrip(entries[i]);
			if (entries[i][0] == '\0')
				continue;
			if (!prov_plugin_loader_declare(manifest->plugin, kind, entries[i],
							error)) {
				g_prefix_error(error, "%s: ", key);
				return NULL;
			}
			declared++;
		}
	}
	if (declared == 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED,
				    "it declares no transport, decoder or trigger");
		return NULL;
	}
	return g_steal_pointer(&manifest);
}

/* reads one manifest of a directory scan into @described (module file name -> manifest) */
static void
prov_plugin_loader_read_manifest(ProvPluginLoader *self,
				 const gchar *filename,
				 GHashTable *described)
{
	g_autoptr(ProvPluginManifest) manifest = NULL;
	g_autoptr(GError) error_local = NULL;
	ProvPluginManifest *other;
	const gchar *name = NULL;
	const gchar *version = NULL;

	if (!g_hash_table_add(self->filenames, g_strdup(filename)))
		return;
	manifest = prov_plugin_loader_parse_manifest(filename, &error_local);
	if (manifest == NULL) {
		g_autofree gchar *reason =
		    g_strdup_printf("malformed manifest: %s", error_local->message);

		/* its module, if any, is then opened now, as one without a manifest */
		prov_plugin_loader_refuse(self, filename, NULL, NULL, reason, NULL);
		return;
	}
	if (manifest->plugin != NULL) {
		name = prov_plugin_get_name(manifest->plugin);
		version = prov_plugin_get_version(manifest->plugin);
	}
	if (!g_file_test(manifest->module_path, G_FILE_TEST_IS_REGULAR)) {
		g_autofree gchar *reason =
		    g_strdup_printf("its module %s is missing", manifest->module);

		prov_plugin_loader_refuse(self, filename, name, version, reason, NULL);
		return;
	}
	other = g_hash_table_lookup(described, manifest->module);
	if (other != NULL) {
		g_autofree gchar *reason = g_strdup_printf(
		    "its module %s is already described by %s", manifest->module, other->path);

		prov_plugin_loader_refuse(self, filename, name, version, reason, NULL);
		return;
	}
	other = g_steal_pointer(&manifest);
	g_hash_table_insert(described, other->module, other);
}

/* registers what a manifest declares, with the checks a module gets when it is opened */
static void
prov_plugin_loader_add_manifest(ProvPluginLoader *self, ProvPluginManifest *manifest)
{
	ProvPlugin *plugin = manifest->plugin;
	ProvPlugin *other;
	g_autofree gchar *reason = NULL;

	if (!g_hash_table_add(self->filenames, g_strdup(manifest->module_path)))
		return;
	if (manifest->api_version != PROV_PLUGIN_API_VERSION) {
		reason =
		    g_strdup_printf("its manifest %s declares plugin API version %" G_GUINT64_FORMAT
				    ", this is version %u",
				    manifest->path, manifest->api_version, PROV_PLUGIN_API_VERSION);
		prov_plugin_loader_refuse(self, manifest->module_path, NULL, NULL, reason, NULL);
		return;
	}
	other = g_hash_table_lookup(self->plugin_names, prov_plugin_get_name(plugin));
	if (other != NULL)
		reason = g_strdup_printf(
		    "a plugin named %s is already loaded from %s", prov_plugin_get_name(plugin),
		    prov_plugin_get_filename(other) != NULL ? prov_plugin_get_filename(other)
							    : "the program itself");
	else
		reason = prov_plugin_loader_find_conflict(self, plugin);
	if (reason != NULL) {
		prov_plugin_loader_refuse(self, manifest->module_path, prov_plugin_get_name(plugin),
					  prov_plugin_get_version(plugin), reason, NULL);
		return;
	}
	prov_plugin_loader_commit(self, plugin);
	g_hash_table_insert(self->manifests, plugin, g_strdup(manifest->path));
	g_debug("plugin %s %s found in %s, opened on first use", prov_plugin_get_name(plugin),
		prov_plugin_get_version(plugin), manifest->path);
}

/**
 * prov_plugin_loader_load_directory:
 * @self: a #ProvPluginLoader
 * @path: a directory of plugin modules
 * @error: return location for a #GError
 *
 * Registers every `*.so` in @path in name order, so that when two modules
 * claim the same scheme the same one wins every time. A module described
 * by a manifest (`*.plugin`, see doc/plugin-guide.md) is registered from
 * it and opened on first use; one without is opened now. A manifest that
 * cannot be read or whose module is missing is refused and ignored. Other
 * files are ignored; refused modules do not make this fail.
 *
 * Returns: %TRUE when the directory could be read
 *
 * Since: 0.1
 */
gboolean
prov_plugin_loader_load_directory(ProvPluginLoader *self, const gchar *path, GError **error)
{
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) modules = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) manifests = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) described = g_hash_table_new_full(
	    g_str_hash, g_str_equal, NULL, (GDestroyNotify)prov_plugin_manifest_free);
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
		if (prov_plugin_loader_is_module_name(name))
			g_ptr_array_add(modules, g_strdup(name));
		else if (name[0] != '.' && g_str_has_suffix(name, PROV_PLUGIN_MANIFEST_SUFFIX))
			g_ptr_array_add(manifests, g_strdup(name));
	}
	g_ptr_array_sort(modules, prov_plugin_loader_compare_names_cb);
	g_ptr_array_sort(manifests, prov_plugin_loader_compare_names_cb);
	for (guint i = 0; i < manifests->len; i++) {
		g_autofree gchar *filename =
		    g_build_filename(path, g_ptr_array_index(manifests, i), NULL);

		if (g_file_test(filename, G_FILE_TEST_IS_REGULAR))
			prov_plugin_loader_read_manifest(self, filename, described);
	}
	for (guint i = 0; i < modules->len; i++) {
		const gchar *module = g_ptr_array_index(modules, i);
		g_autofree gchar *filename = g_build_filename(path, module, NULL);
		ProvPluginManifest *manifest = g_hash_table_lookup(described, module);

		if (!g_file_test(filename, G_FILE_TEST_IS_REGULAR))
			continue;
		/* refusals are logged and listed; the other modules still load */
		if (manifest != NULL)
			prov_plugin_loader_add_manifest(self, manifest);
		else
			prov_plugin_loader_load_file(self, filename, NULL);
	}
	return TRUE;
}

/**
 * prov_plugin_loader_load_all:
 * @self: a #ProvPluginLoader
 * @kind: what the modules to open provide
 *
 * Opens every module providing @kind that was not opened yet, so that
 * prov_plugin_loader_get_names() then lists only what works: the decode
 * pipeline, which tries every decoder, and `provtool plugins`, which checks
 * every module, call it first. A module that does not agree with its
 * manifest is refused as at any other first use.
 *
 * Since: 0.1
 */
void
prov_plugin_loader_load_all(ProvPluginLoader *self, ProvPluginKind kind)
{
	g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func(g_object_unref);

	g_return_if_fail(PROV_IS_PLUGIN_LOADER(self));
	g_return_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST);

	/* opening may refuse a module, which leaves the plugin list */
	for (guint i = 0; i < self->plugins->len; i++) {
		ProvPlugin *plugin = g_ptr_array_index(self->plugins, i);

		if (!prov_plugin_is_loaded(plugin) &&
		    prov_plugin_get_names(plugin, kind)[0] != NULL)
			g_ptr_array_add(pending, g_object_ref(plugin));
	}
	for (guint i = 0; i < pending->len; i++)
		prov_plugin_loader_open(self, g_ptr_array_index(pending, i), NULL);
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
 * Returns: (transfer none) (element-type ProvPlugin): the plugins, in
 *   load order, including modules known from their manifests that were
 *   not opened yet (prov_plugin_is_loaded()); a module refused when it is
 *   opened moves to prov_plugin_loader_get_refused()
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
 * Names of modules not opened yet are listed from their manifests. A
 * module refused when it is opened leaves the list, but an array returned
 * before stays valid for the loader's lifetime, so that a caller may go
 * through it and create each type.
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
 * Does not open a module.
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

/* the plugin that provides @name, its module opened */
static ProvPlugin *
prov_plugin_loader_require(ProvPluginLoader *self,
			   ProvPluginKind kind,
			   const gchar *name,
			   GError **error)
{
	ProvPlugin *plugin = prov_plugin_loader_lookup(self, kind, name);

	if (plugin == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "no plugin provides the %s %s",
			    prov_plugin_loader_name_words[kind], name);
		return NULL;
	}
	if (!prov_plugin_loader_open(self, plugin, error))
		return NULL;
	return plugin;
}

/**
 * prov_plugin_loader_lookup_type:
 * @self: a #ProvPluginLoader
 * @kind: what to look for
 * @name: a URL scheme (any case), format or trigger name
 *
 * Opens the module that provides @name if it was not open yet.
 *
 * Returns: the registered type, or %G_TYPE_INVALID (also when the module
 *   was refused as it was opened)
 *
 * Since: 0.1
 */
GType
prov_plugin_loader_lookup_type(ProvPluginLoader *self, ProvPluginKind kind, const gchar *name)
{
	ProvPlugin *plugin;
	g_autofree gchar *lower = NULL;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(self), G_TYPE_INVALID);
	g_return_val_if_fail((guint)kind < PROV_PLUGIN_KIND_LAST, G_TYPE_INVALID);
	g_return_val_if_fail(name != NULL, G_TYPE_INVALID);

	plugin = prov_plugin_loader_require(self, kind, name, NULL);
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
	ProvPlugin *plugin = prov_plugin_loader_require(self, kind, name, error);
	g_autofree gchar *lower = NULL;

	if (plugin == NULL)
		return NULL;
	lower = g_ascii_strdown(name, -1);
	return g_object_new(prov_plugin_lookup(plugin, kind, lower), NULL);
}

/**
 * prov_plugin_loader_create_transport:
 * @self: a #ProvPluginLoader
 * @scheme: a URL scheme, any case
 * @error: return location for a #GError
 *
 * Opens the module that provides @scheme if it was not open yet.
 *
 * Returns: (transfer full): a new transport for @scheme, or %NULL when no
 *   plugin provides it or its module was refused as it was opened
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
 * Opens the module that provides @format if it was not open yet.
 *
 * Returns: (transfer full): a new decoder for @format, or %NULL when no
 *   plugin provides it or its module was refused as it was opened
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
 * Opens the module that provides @name if it was not open yet.
 *
 * Returns: (transfer full): a new trigger, or %NULL when no plugin provides
 *   it or its module was refused as it was opened
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
	g_hash_table_remove_all(self->manifests);
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
	g_hash_table_unref(self->manifests);
	g_ptr_array_unref(self->retired);
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
	self->manifests = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	self->retired = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
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
