/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-config.h"
#include "prov-enums.h"
#include "prov-param-def.h"

G_BEGIN_DECLS

/**
 * PROV_PARAMS_LINE_COUNT_DEFAULT:
 *
 * The number of lines that `"range": "lines"` templates expand to unless
 * prov_params_set_line_count() says otherwise (an ATA 192 has two).
 *
 * Since: 0.1
 */
#define PROV_PARAMS_LINE_COUNT_DEFAULT 2

/**
 * PROV_PARAMS_SECRET_MASK:
 *
 * What display paths show instead of a secret value that is set.
 *
 * Since: 0.1
 */
#define PROV_PARAMS_SECRET_MASK "********"

/**
 * PROV_PARAMS_STATE_FILE:
 *
 * The name of the state file in a state directory.
 *
 * Since: 0.1
 */
#define PROV_PARAMS_STATE_FILE "state.json"

#define PROV_TYPE_PARAMS (prov_params_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvParams, prov_params, PROV, PARAMS, GObject)

PROV_API ProvBehaviour
prov_params_get_behaviour(ProvParams *self);
PROV_API void
prov_params_set_line_count(ProvParams *self, guint line_count);
PROV_API guint
prov_params_get_line_count(ProvParams *self);
PROV_API gboolean
prov_params_load_schema_dir(ProvParams *self, const gchar *dir, GError **error);
PROV_API gboolean
prov_params_set_factory_value(ProvParams *self,
			      const gchar *name,
			      const gchar *value,
			      GError **error);
PROV_API gboolean
prov_params_load_state(ProvParams *self, const gchar *path, GError **error);
PROV_API const gchar *
prov_params_get_state_path(ProvParams *self);

PROV_API const ProvParamDef *
prov_params_lookup(ProvParams *self, const gchar *name);
PROV_API guint
prov_params_get_n_definitions(ProvParams *self);
PROV_API GPtrArray *
prov_params_get_definitions(ProvParams *self);
PROV_API const gchar *
prov_params_get_value(ProvParams *self, const gchar *name);
PROV_API const gchar *
prov_params_get_display_value(ProvParams *self, const gchar *name);
PROV_API ProvAccess
prov_params_get_access(ProvParams *self, const gchar *name);

PROV_API ProvParams *
prov_params_new(ProvBehaviour behaviour);
PROV_API ProvParams *
prov_params_new_for_config(ProvConfig *config, const gchar *state_dir, GError **error);
PROV_API ProvParams *
prov_params_new_for_config_full(ProvConfig *config,
				const gchar *const *extra_schema_dirs,
				const gchar *state_dir,
				GError **error);

G_END_DECLS
