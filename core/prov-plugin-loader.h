/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-config.h"
#include "prov-decoder.h"
#include "prov-plugin.h"
#include "prov-transport.h"
#include "prov-trigger.h"

G_BEGIN_DECLS

/**
 * PROV_PLUGIN_DIR_ENV:
 *
 * The environment variable whose `:`-separated directories replace the
 * configured plugin directory (tests, the build tree).
 *
 * Since: 0.1
 */
#define PROV_PLUGIN_DIR_ENV "PROV_PLUGIN_DIR"

#define PROV_TYPE_PLUGIN_LOADER (prov_plugin_loader_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvPluginLoader, prov_plugin_loader, PROV, PLUGIN_LOADER, GObject)

PROV_API ProvPluginLoader *
prov_plugin_loader_new(void);

PROV_API gchar **
prov_plugin_loader_get_default_directories(ProvConfig *config);
PROV_API void
prov_plugin_loader_load_default(ProvPluginLoader *self, ProvConfig *config);
PROV_API gboolean
prov_plugin_loader_load_directory(ProvPluginLoader *self, const gchar *path, GError **error);
PROV_API gboolean
prov_plugin_loader_load_file(ProvPluginLoader *self, const gchar *path, GError **error);
PROV_API void
prov_plugin_loader_load_all(ProvPluginLoader *self, ProvPluginKind kind);
PROV_API gboolean
prov_plugin_loader_add_static(ProvPluginLoader *self,
			      const ProvPluginDescriptor *descriptor,
			      GError **error);

PROV_API const gchar *const *
prov_plugin_loader_get_directories(ProvPluginLoader *self);
PROV_API GPtrArray *
prov_plugin_loader_get_plugins(ProvPluginLoader *self);
PROV_API GPtrArray *
prov_plugin_loader_get_refused(ProvPluginLoader *self);

PROV_API const gchar *const *
prov_plugin_loader_get_names(ProvPluginLoader *self, ProvPluginKind kind);
PROV_API ProvPlugin *
prov_plugin_loader_lookup(ProvPluginLoader *self, ProvPluginKind kind, const gchar *name);
PROV_API GType
prov_plugin_loader_lookup_type(ProvPluginLoader *self, ProvPluginKind kind, const gchar *name);

PROV_API ProvTransport *
prov_plugin_loader_create_transport(ProvPluginLoader *self, const gchar *scheme, GError **error);
PROV_API ProvDecoder *
prov_plugin_loader_create_decoder(ProvPluginLoader *self, const gchar *format, GError **error);
PROV_API ProvTrigger *
prov_plugin_loader_create_trigger(ProvPluginLoader *self, const gchar *name, GError **error);

G_END_DECLS
