/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"
#include "prov-xml.h"

G_BEGIN_DECLS

/**
 * PROV_ALIAS_MAP_MAX_ENTRIES:
 *
 * The most entries an alias map honours; later ones are skipped with a
 * warning. Reference 10: the feature is meant for a few critical parameters.
 *
 * Since: 0.1
 */
#define PROV_ALIAS_MAP_MAX_ENTRIES 30

/**
 * ProvAliasMap:
 *
 * The parameter alias map of `--alias` (reference section 10): entries
 * `/source/path = /flat-profile/Name ;` taken verbatim from a GPP. An
 * element whose absolute path ends with an entry's source path is read as
 * the parameter the entry names.
 *
 * Since: 0.1
 */
typedef struct _ProvAliasMap ProvAliasMap;

PROV_API ProvAliasMap *
prov_alias_map_new(const gchar *text);
PROV_API void
prov_alias_map_free(ProvAliasMap *self);
PROV_API guint
prov_alias_map_get_n_entries(ProvAliasMap *self);
PROV_API const gchar *
prov_alias_map_get_source(ProvAliasMap *self, guint index);
PROV_API const gchar *
prov_alias_map_get_target(ProvAliasMap *self, guint index);
PROV_API const gchar *
prov_alias_map_match(ProvAliasMap *self, const ProvXmlSlice *path, guint n_components);
PROV_API const gchar *
prov_alias_map_match_path(ProvAliasMap *self, const gchar *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvAliasMap, prov_alias_map_free)

G_END_DECLS
