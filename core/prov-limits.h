/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvLimits:
 * @fetch_max: bytes a transport may fetch (R17; `FetchMax`)
 * @decoded_max: bytes the decode pipeline may produce, and so the largest
 *   document the profile parser sees (R17, R25; `DecodedMax`)
 * @max_assignments: assignments in one profile (R26; `MaxAssignments`)
 * @max_depth: element nesting depth (R26; `MaxDepth`)
 * @max_name_length: bytes in an element or attribute name (R26; `MaxNameLength`)
 * @max_value_length: bytes in one value (R26; `MaxValueLength`)
 * @max_attributes: attributes on one element (R26; `MaxAttributes`)
 *
 * The caps that hostile input meets. Every cap is checked before the memory
 * it protects grows. The `[limits]` group of the config file sets them.
 *
 * Since: 0.1
 */
typedef struct {
	gsize fetch_max;
	gsize decoded_max;
	guint max_assignments;
	guint max_depth;
	guint max_name_length;
	gsize max_value_length;
	guint max_attributes;
} ProvLimits;

/**
 * PROV_LIMITS_DEFAULT_FETCH_MAX:
 *
 * The default of #ProvLimits.fetch_max: 1 MiB fetched (R17; `FetchMax`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_FETCH_MAX (1024 * 1024)

/**
 * PROV_LIMITS_DEFAULT_DECODED_MAX:
 *
 * The default of #ProvLimits.decoded_max: 4 MiB decoded (R17; `DecodedMax`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_DECODED_MAX (4 * 1024 * 1024)

/**
 * PROV_LIMITS_DEFAULT_MAX_ASSIGNMENTS:
 *
 * The default of #ProvLimits.max_assignments (R26; `MaxAssignments`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_MAX_ASSIGNMENTS 20000

/**
 * PROV_LIMITS_DEFAULT_MAX_DEPTH:
 *
 * The default of #ProvLimits.max_depth (R26; `MaxDepth`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_MAX_DEPTH 8

/**
 * PROV_LIMITS_DEFAULT_MAX_NAME_LENGTH:
 *
 * The default of #ProvLimits.max_name_length, in bytes (R26;
 * `MaxNameLength`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_MAX_NAME_LENGTH 256

/**
 * PROV_LIMITS_DEFAULT_MAX_VALUE_LENGTH:
 *
 * The default of #ProvLimits.max_value_length: 64 KiB (R26;
 * `MaxValueLength`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_MAX_VALUE_LENGTH (64 * 1024)

/**
 * PROV_LIMITS_DEFAULT_MAX_ATTRIBUTES:
 *
 * The default of #ProvLimits.max_attributes (R26; `MaxAttributes`).
 *
 * Since: 0.1
 */
#define PROV_LIMITS_DEFAULT_MAX_ATTRIBUTES 16

PROV_API void
prov_limits_init(ProvLimits *limits);
PROV_API gboolean
prov_limits_load_from_key_file(ProvLimits *limits, GKeyFile *key_file, GError **error);

G_END_DECLS
