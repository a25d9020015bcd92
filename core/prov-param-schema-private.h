/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-param-def-private.h"

G_BEGIN_DECLS

/*
 * @def lives in a block of ctx->blocks; on failure @error names def->source
 * and def->source_line, and @def is simply left unused
 */
typedef gboolean (*ProvParamSchemaAddFunc)(ProvParamDef *def, gpointer user_data, GError **error);

typedef struct {
	ProvBehaviour behaviour;
	guint line_count;
	/* the definitions point into these, so they must outlive them */
	GStringChunk *strings;
	GPtrArray *blocks;
	ProvParamSchemaAddFunc add;
	gpointer user_data;
} ProvParamSchemaContext;

gboolean
prov_param_schema_load_file(const ProvParamSchemaContext *ctx, const gchar *path, GError **error);

G_END_DECLS
