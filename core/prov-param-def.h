/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"
#include "prov-enums.h"

G_BEGIN_DECLS

/**
 * ProvParamType:
 * @PROV_PARAM_TYPE_STRING: free text (valid UTF-8)
 * @PROV_PARAM_TYPE_BOOL: `Yes` or `No`; also accepts the spellings of reference 1.2 rule 10
 * @PROV_PARAM_TYPE_UINT: a decimal unsigned integer between the definition's min and max
 * @PROV_PARAM_TYPE_ENUM: one of the definition's values, matched case-insensitively
 * @PROV_PARAM_TYPE_HHMM: empty, or a time of day `HHmm` from `0000` to `2400`
 * @PROV_PARAM_TYPE_SCHEDULE: the schedule syntax of reference 2.5, or empty
 * @PROV_PARAM_TYPE_LIST: comma-separated decimal numbers, or empty
 * @PROV_PARAM_TYPE_VERSION: a firmware version, without whitespace, or empty
 * @PROV_PARAM_TYPE_RULE: a profile, upgrade or report rule (checked when it runs)
 * @PROV_PARAM_TYPE_TEMPLATE: text that is macro-expanded when used
 * @PROV_PARAM_TYPE_CONDITION: a conditional expression (checked when it runs)
 * @PROV_PARAM_TYPE_URL: a URL, without whitespace, or empty
 * @PROV_PARAM_TYPE_HOSTPORT: `host[:port]`, or empty
 * @PROV_PARAM_TYPE_LAST: the number of types
 *
 * The value syntax of a parameter. Every value is a string; the type
 * decides which strings are valid and which spelling is stored.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_PARAM_TYPE_STRING,
	PROV_PARAM_TYPE_BOOL,
	PROV_PARAM_TYPE_UINT,
	PROV_PARAM_TYPE_ENUM,
	PROV_PARAM_TYPE_HHMM,
	PROV_PARAM_TYPE_SCHEDULE,
	PROV_PARAM_TYPE_LIST,
	PROV_PARAM_TYPE_VERSION,
	PROV_PARAM_TYPE_RULE,
	PROV_PARAM_TYPE_TEMPLATE,
	PROV_PARAM_TYPE_CONDITION,
	PROV_PARAM_TYPE_URL,
	PROV_PARAM_TYPE_HOSTPORT,
	PROV_PARAM_TYPE_LAST
} ProvParamType;

/**
 * ProvParamDef:
 *
 * The definition of one parameter as the schema declares it, resolved for
 * the active behaviour profile; an indexed template such as `User_ID_{n}_`
 * yields one definition per index. Definitions belong to the #ProvParams
 * that loaded them and live as long as it does; they never change.
 *
 * Since: 0.1
 */
typedef struct _ProvParamDef ProvParamDef;

PROV_API const gchar *
prov_param_type_to_string(ProvParamType type);
PROV_API gboolean
prov_param_type_from_string(const gchar *text, ProvParamType *type);

PROV_API const gchar *
prov_param_def_get_name(const ProvParamDef *self);
PROV_API const gchar *
prov_param_def_get_export_name(const ProvParamDef *self);
PROV_API const gchar *const *
prov_param_def_get_aliases(const ProvParamDef *self);
PROV_API ProvParamType
prov_param_def_get_param_type(const ProvParamDef *self);
PROV_API const gchar *
prov_param_def_get_default(const ProvParamDef *self);
PROV_API ProvAccess
prov_param_def_get_access(const ProvParamDef *self);
PROV_API gboolean
prov_param_def_is_secret(const ProvParamDef *self);
PROV_API gboolean
prov_param_def_needs_restart(const ProvParamDef *self);
PROV_API gboolean
prov_param_def_is_ascii_only(const ProvParamDef *self);
PROV_API const gchar *
prov_param_def_get_group(const ProvParamDef *self);
PROV_API const gchar *
prov_param_def_get_description(const ProvParamDef *self);
PROV_API const gchar *const *
prov_param_def_get_values(const ProvParamDef *self);
PROV_API guint64
prov_param_def_get_min(const ProvParamDef *self);
PROV_API guint64
prov_param_def_get_max(const ProvParamDef *self);
PROV_API guint
prov_param_def_get_index(const ProvParamDef *self);
PROV_API const gchar *
prov_param_def_get_source(const ProvParamDef *self);
PROV_API guint
prov_param_def_get_source_line(const ProvParamDef *self);

PROV_API const gchar *
prov_param_def_canonicalize(const ProvParamDef *self, const gchar *value, GError **error);

G_END_DECLS
