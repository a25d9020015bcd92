/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvLimits"

#include "config.h"

#include "prov-error.h"
#include "prov-limits.h"

/**
 * prov_limits_init:
 * @limits: the caps to fill in
 *
 * Sets every cap to the default of requirements R17 and R26.
 *
 * Since: 0.1
 */
void
prov_limits_init(ProvLimits *limits)
{
	g_return_if_fail(limits != NULL);

	limits->fetch_max = PROV_LIMITS_DEFAULT_FETCH_MAX;
	limits->decoded_max = PROV_LIMITS_DEFAULT_DECODED_MAX;
	limits->max_assignments = PROV_LIMITS_DEFAULT_MAX_ASSIGNMENTS;
	limits->max_depth = PROV_LIMITS_DEFAULT_MAX_DEPTH;
	limits->max_name_length = PROV_LIMITS_DEFAULT_MAX_NAME_LENGTH;
	limits->max_value_length = PROV_LIMITS_DEFAULT_MAX_VALUE_LENGTH;
	limits->max_attributes = PROV_LIMITS_DEFAULT_MAX_ATTRIBUTES;
}

/* a cap of 0 would refuse every profile, and one over 1 GiB defeats its purpose */
static gboolean
prov_limits_read_key(GKeyFile *key_file, const gchar *key, guint64 *value, GError **error)
{
	g_autofree gchar *text = NULL;
	guint64 parsed = 0;
	g_autoptr(GError) error_local = NULL;

	text = g_key_file_get_value(key_file, "limits", key, NULL);
	if (text == NULL)
		return TRUE;
	g_strstrip(text);
	if (!g_ascii_string_to_unsigned(text, 10, 1, G_MAXINT32, &parsed, &error_local)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[limits] %s: %s is not a number from 1 to %d", key, text, G_MAXINT32);
		return FALSE;
	}
	*value = parsed;
	return TRUE;
}

/**
 * prov_limits_load_from_key_file:
 * @limits: the caps to update
 * @key_file: a config file with an optional `[limits]` group
 * @error: return location for a #GError
 *
 * Reads `FetchMax`, `DecodedMax`, `MaxAssignments`, `MaxDepth`,
 * `MaxNameLength`, `MaxValueLength` and `MaxAttributes`. Keys that are
 * absent keep their current value; on error @limits is unchanged.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_limits_load_from_key_file(ProvLimits *limits, GKeyFile *key_file, GError **error)
{
	guint64 fetch_max = limits->fetch_max;
	guint64 decoded_max = limits->decoded_max;
	guint64 max_assignments = limits->max_assignments;
	guint64 max_depth = limits->max_depth;
	guint64 max_name_length = limits->max_name_length;
	guint64 max_value_length = limits->max_value_length;
	guint64 max_attributes = limits->max_attributes;

	g_return_val_if_fail(limits != NULL, FALSE);
	g_return_val_if_fail(key_file != NULL, FALSE);

	if (!prov_limits_read_key(key_file, "FetchMax", &fetch_max, error) ||
	    !prov_limits_read_key(key_file, "DecodedMax", &decoded_max, error) ||
	    !prov_limits_read_key(key_file, "MaxAssignments", &max_assignments, error) ||
	    !prov_limits_read_key(key_file, "MaxDepth", &max_depth, error) ||
	    !prov_limits_read_key(key_file, "MaxNameLength", &max_name_length, error) ||
	    !prov_limits_read_key(key_file, "MaxValueLength", &max_value_length, error) ||
	    !prov_limits_read_key(key_file, "MaxAttributes", &max_attributes, error))
		return FALSE;

	limits->fetch_max = fetch_max;
	limits->decoded_max = decoded_max;
	limits->max_assignments = (guint)max_assignments;
	limits->max_depth = (guint)max_depth;
	limits->max_name_length = (guint)max_name_length;
	limits->max_value_length = max_value_length;
	limits->max_attributes = (guint)max_attributes;
	return TRUE;
}
