/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-plugin.h"

G_BEGIN_DECLS

ProvPlugin *
prov_plugin_new(const gchar *name, const gchar *version, const gchar *filename);
gboolean
prov_plugin_register(ProvPlugin *self, ProvPluginRegisterFunc register_func, GError **error);
void
prov_plugin_refuse(ProvPlugin *self, const gchar *reason);
gboolean
prov_plugin_name_is_valid(const gchar *name);
gboolean
prov_plugin_declare(ProvPlugin *self,
		    ProvPluginKind kind,
		    const gchar *name,
		    ProvDecoderStage stage,
		    GError **error);
gchar *
prov_plugin_adopt(ProvPlugin *self, ProvPlugin *registered, const gchar *manifest);

G_END_DECLS
