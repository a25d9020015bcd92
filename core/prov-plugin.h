/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>
#include <gmodule.h>

#include "prov-api.h"
#include "prov-decoder.h"

G_BEGIN_DECLS

/**
 * PROV_PLUGIN_API_VERSION:
 *
 * The plugin API a module is built for. It changes when a change to
 * libprov would break a built plugin; the loader refuses modules built for
 * another version.
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_API_VERSION 1

/**
 * PROV_PLUGIN_DESCRIPTOR_SYMBOL:
 *
 * The one symbol a plugin module exports.
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_DESCRIPTOR_SYMBOL "prov_plugin_descriptor"

/**
 * PROV_PLUGIN_VERSION:
 *
 * The plugin's own version, which `provtool plugins` shows. Define it
 * before including this header (an out-of-tree plugin passes
 * `-DPROV_PLUGIN_VERSION="1.2"`); in-tree plugins take the project version.
 *
 * Since: 0.1
 */
#ifndef PROV_PLUGIN_VERSION
#ifdef PACKAGE_VERSION
#define PROV_PLUGIN_VERSION PACKAGE_VERSION
#else
#define PROV_PLUGIN_VERSION "0"
#endif
#endif

/**
 * ProvPluginKind:
 * @PROV_PLUGIN_KIND_TRANSPORT: a #ProvTransport, registered for a URL scheme
 * @PROV_PLUGIN_KIND_DECODER: a #ProvDecoder, registered for a format name
 * @PROV_PLUGIN_KIND_TRIGGER: a #ProvTrigger, registered under a name
 *   (its config group is `[NAME-trigger]`)
 * @PROV_PLUGIN_KIND_LAST: the number of values
 *
 * What a plugin can provide.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_PLUGIN_KIND_TRANSPORT,
	PROV_PLUGIN_KIND_DECODER,
	PROV_PLUGIN_KIND_TRIGGER,
	PROV_PLUGIN_KIND_LAST
} ProvPluginKind;

#define PROV_TYPE_PLUGIN (prov_plugin_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvPlugin, prov_plugin, PROV, PLUGIN, GObject)

/**
 * ProvPluginRegisterFunc:
 * @plugin: where to register the plugin's types
 *
 * A plugin's entry point. It registers static GTypes with
 * prov_plugin_add_transport(), prov_plugin_add_decoder() and
 * prov_plugin_add_trigger(), or fails with prov_plugin_set_error(). It
 * keeps no global mutable state.
 *
 * Since: 0.1
 */
typedef void (*ProvPluginRegisterFunc)(ProvPlugin *plugin);

/**
 * ProvPluginDescriptor:
 * @api_version: %PROV_PLUGIN_API_VERSION as the plugin was built; it stays
 *   the first member in every API version, so that the loader can read it
 *   before it trusts the rest
 * @size: `sizeof (ProvPluginDescriptor)` as the plugin was built
 * @name: the plugin's name: lower-case letters, digits, `-` and `_`
 * @version: the plugin's own version
 * @register_func: the entry point
 *
 * What PROV_PLUGIN_DEFINE() emits. Write it by hand only in tests.
 *
 * Since: 0.1
 */
typedef struct {
	guint32 api_version;
	guint32 size;
	const gchar *name;
	const gchar *version;
	ProvPluginRegisterFunc register_func;
	/*< private >*/
	gpointer padding[4];
} ProvPluginDescriptor;

/**
 * PROV_PLUGIN_DESCRIPTOR_DEFINITION:
 * @name: the plugin's name, as given to PROV_PLUGIN_DEFINE()
 *
 * The declaration and definition head of a plugin's descriptor, which
 * PROV_PLUGIN_DEFINE() completes; plugins do not use it directly. A plugin
 * linked into a program instead of loaded (tests, single-binary images) is
 * compiled with `PROV_PLUGIN_STATIC`: its descriptor then has a name of its
 * own and stays hidden, so that several fit into one program.
 *
 * Since: 0.1
 */
#ifdef PROV_PLUGIN_STATIC
#define PROV_PLUGIN_DESCRIPTOR_DEFINITION(name)                                                    \
	G_GNUC_INTERNAL extern const ProvPluginDescriptor prov_plugin_descriptor_##name;           \
	G_GNUC_INTERNAL const ProvPluginDescriptor prov_plugin_descriptor_##name
#else
#define PROV_PLUGIN_DESCRIPTOR_DEFINITION(name)                                                    \
	G_MODULE_EXPORT extern const ProvPluginDescriptor prov_plugin_descriptor;                  \
	G_MODULE_EXPORT const ProvPluginDescriptor prov_plugin_descriptor
#endif

/**
 * PROV_PLUGIN_DEFINE:
 * @name: the plugin's name, an identifier such as `gzip`
 * @register_func: the #ProvPluginRegisterFunc
 *
 * Emits the plugin's descriptor: its API version, name, version and entry
 * point. It is the only symbol a plugin module exports (build the module
 * with hidden visibility). With `PROV_PLUGIN_STATIC` defined it emits
 * `prov_plugin_descriptor_NAME` instead, for prov_plugin_loader_add_static().
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_DEFINE(name, register_func)                                                    \
	PROV_PLUGIN_DESCRIPTOR_DEFINITION(name) = {                                                \
	    PROV_PLUGIN_API_VERSION, sizeof(ProvPluginDescriptor), #name, PROV_PLUGIN_VERSION,     \
	    register_func,	     {NULL, NULL, NULL, NULL},                                     \
	};

/**
 * PROV_PLUGIN_DECLARE:
 * @name: the name given to PROV_PLUGIN_DEFINE()
 *
 * Declares the descriptor of a plugin linked with `PROV_PLUGIN_STATIC`,
 * for the program that adds it with prov_plugin_loader_add_static().
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_DECLARE(name)                                                                  \
	G_GNUC_INTERNAL extern const ProvPluginDescriptor prov_plugin_descriptor_##name

/**
 * PROV_PLUGIN_DESCRIPTOR:
 * @name: the name given to PROV_PLUGIN_DEFINE()
 *
 * The descriptor of a plugin linked with `PROV_PLUGIN_STATIC`.
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_DESCRIPTOR(name) (&prov_plugin_descriptor_##name)

PROV_API const gchar *
prov_plugin_kind_to_string(ProvPluginKind kind);
PROV_API gboolean
prov_plugin_kind_from_string(const gchar *text, ProvPluginKind *kind);

PROV_API void
prov_plugin_add_transport(ProvPlugin *self, const gchar *scheme, GType type);
PROV_API void
prov_plugin_add_decoder(ProvPlugin *self, const gchar *format, ProvDecoderStage stage, GType type);
PROV_API void
prov_plugin_add_trigger(ProvPlugin *self, const gchar *name, GType type);
PROV_API void
prov_plugin_set_error(ProvPlugin *self, GError *error);

PROV_API const gchar *
prov_plugin_get_name(ProvPlugin *self);
PROV_API const gchar *
prov_plugin_get_version(ProvPlugin *self);
PROV_API const gchar *
prov_plugin_get_filename(ProvPlugin *self);
PROV_API const gchar *
prov_plugin_get_refusal(ProvPlugin *self);
PROV_API gboolean
prov_plugin_is_loaded(ProvPlugin *self);
PROV_API const gchar *const *
prov_plugin_get_names(ProvPlugin *self, ProvPluginKind kind);
PROV_API GType
prov_plugin_lookup(ProvPlugin *self, ProvPluginKind kind, const gchar *name);
PROV_API gboolean
prov_plugin_get_decoder_stage(ProvPlugin *self, const gchar *format, ProvDecoderStage *stage);

G_END_DECLS
