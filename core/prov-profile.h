/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-enums.h"
#include "prov-limits.h"

G_BEGIN_DECLS

/**
 * ProvAssignment:
 * @name: the parameter name: the element name, or the alias target
 * @value: (nullable): the value after entity decoding and the whitespace
 *   rule; %NULL for a self-closing element, which leaves the value unchanged
 *   (reference 1.2 rule 5)
 * @access: the `ua` level, %PROV_ACCESS_UNSET when there is no valid `ua`
 * @invalid_access: (nullable): the decoded `ua` text when it is not `na`,
 *   `ro` or `rw`; %NULL otherwise. Whether that fails the profile depends on
 *   whether the schema knows @name, which the parameter model decides.
 * @line: the line of the element's start tag
 * @column: the column of the element's start tag
 *
 * One parameter assignment read from a profile. The strings belong to the
 * #ProvProfile and live until its next parse or its finalization.
 *
 * Since: 0.1
 */
typedef struct {
	const gchar *name;
	const gchar *value;
	ProvAccess access;
	const gchar *invalid_access;
	guint line;
	guint column;
} ProvAssignment;

#define PROV_TYPE_PROFILE (prov_profile_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvProfile, prov_profile, PROV, PROFILE, GObject)

PROV_API ProvProfile *
prov_profile_new(const ProvLimits *limits);
PROV_API void
prov_profile_set_alias_map(ProvProfile *self, const gchar *map_text);
PROV_API gboolean
prov_profile_parse(ProvProfile *self, const gchar *data, gsize length, GError **error);
PROV_API gboolean
prov_profile_parse_spc_text(ProvProfile *self, const gchar *data, gsize length, GError **error);
PROV_API GPtrArray *
prov_profile_get_assignments(ProvProfile *self);
PROV_API guint
prov_profile_get_error_line(ProvProfile *self);
PROV_API guint
prov_profile_get_error_column(ProvProfile *self);

G_END_DECLS
