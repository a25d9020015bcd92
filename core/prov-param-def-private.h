/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-param-def.h"

G_BEGIN_DECLS

/*
 * The schema reader fills the definition part; the strings and arrays it
 * points to belong to the owning ProvParams (its string chunk and its list of
 * blocks), so that 100 000 definitions cost a handful of allocations each.
 * The state part is the owning ProvParams' business alone.
 */
struct _ProvParamDef {
	const gchar *name;
	const gchar *export_name;
	const gchar *const *aliases;
	const gchar *default_value;
	const gchar *group;
	const gchar *description;
	const gchar *const *values;
	const gchar *source;
	guint source_line;
	guint index;
	guint64 min;
	guint64 max;
	/* 100 000 definitions must stay cheap: small fields are packed */
	ProvParamType type : 8;
	ProvAccess access : 8;
	guint secret : 1;
	guint restart : 1;
	guint ascii_only : 1;

	/* state: NULL or UNSET means "not set here", falling through to the next level */
	ProvAccess current_access : 8;
	gchar *value;
	gchar *factory;
};

const gchar *
prov_param_def_get_effective_value(const ProvParamDef *self);
ProvAccess
prov_param_def_get_effective_access(const ProvParamDef *self);
gint
prov_param_name_count_placeholders(const gchar *name);

G_END_DECLS
