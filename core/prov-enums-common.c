/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvEnums"

#include "config.h"

#include "prov-enums.h"

static const gchar *const prov_access_names[] = {
    [PROV_ACCESS_UNSET] = "",
    [PROV_ACCESS_NA] = "na",
    [PROV_ACCESS_RO] = "ro",
    [PROV_ACCESS_RW] = "rw",
};

static const gchar *const prov_behaviour_names[] = {
    [PROV_BEHAVIOUR_MPP] = "mpp",
    [PROV_BEHAVIOUR_SPA] = "spa",
};

static const gchar *const prov_syslog_format_names[] = {
    [PROV_SYSLOG_FORMAT_RFC3164] = "rfc3164",
    [PROV_SYSLOG_FORMAT_RFC5424] = "rfc5424",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_access_names) == PROV_ACCESS_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(prov_behaviour_names) == PROV_BEHAVIOUR_LAST);
G_STATIC_ASSERT(G_N_ELEMENTS(prov_syslog_format_names) == PROV_SYSLOG_FORMAT_LAST);

static gint
prov_enum_lookup(const gchar *const *names, guint n_names, const gchar *text)
{
	for (guint i = 0; i < n_names; i++) {
		if (g_strcmp0(names[i], text) == 0)
			return (gint)i;
	}
	return -1;
}

/**
 * prov_access_to_string:
 * @access: a #ProvAccess
 *
 * Returns: (transfer none): `na`, `ro`, `rw`, or the empty string for
 * %PROV_ACCESS_UNSET; %NULL when out of range
 *
 * Since: 0.1
 */
const gchar *
prov_access_to_string(ProvAccess access)
{
	if ((guint)access >= PROV_ACCESS_LAST)
		return NULL;
	return prov_access_names[access];
}

/**
 * prov_access_from_string:
 * @text: `na`, `ro` or `rw`, exactly as the `ua` attribute writes them
 * @access: (out): where to store the level
 *
 * Returns: %TRUE when @text names a level
 *
 * Since: 0.1
 */
gboolean
prov_access_from_string(const gchar *text, ProvAccess *access)
{
	gint value = prov_enum_lookup(prov_access_names, PROV_ACCESS_LAST, text);

	if (value <= (gint)PROV_ACCESS_UNSET)
		return FALSE;
	*access = (ProvAccess)value;
	return TRUE;
}

/**
 * prov_behaviour_to_string:
 * @behaviour: a #ProvBehaviour
 *
 * Returns: (transfer none): `mpp` or `spa`; %NULL when out of range
 *
 * Since: 0.1
 */
const gchar *
prov_behaviour_to_string(ProvBehaviour behaviour)
{
	if ((guint)behaviour >= PROV_BEHAVIOUR_LAST)
		return NULL;
	return prov_behaviour_names[behaviour];
}

/**
 * prov_behaviour_from_string:
 * @text: `mpp` or `spa`
 * @behaviour: (out): where to store the profile
 *
 * Returns: %TRUE when @text names a behaviour profile
 *
 * Since: 0.1
 */
gboolean
prov_behaviour_from_string(const gchar *text, ProvBehaviour *behaviour)
{
	gint value = prov_enum_lookup(prov_behaviour_names, PROV_BEHAVIOUR_LAST, text);

	if (value < 0)
		return FALSE;
	*behaviour = (ProvBehaviour)value;
	return TRUE;
}

/**
 * prov_syslog_format_to_string:
 * @format: a #ProvSyslogFormat
 *
 * Returns: (transfer none): `rfc3164` or `rfc5424`; %NULL when out of range
 *
 * Since: 0.1
 */
const gchar *
prov_syslog_format_to_string(ProvSyslogFormat format)
{
	if ((guint)format >= PROV_SYSLOG_FORMAT_LAST)
		return NULL;
	return prov_syslog_format_names[format];
}

/**
 * prov_syslog_format_from_string:
 * @text: `rfc3164` or `rfc5424`
 * @format: (out): where to store the framing
 *
 * Returns: %TRUE when @text names a framing
 *
 * Since: 0.1
 */
gboolean
prov_syslog_format_from_string(const gchar *text, ProvSyslogFormat *format)
{
	gint value = prov_enum_lookup(prov_syslog_format_names, PROV_SYSLOG_FORMAT_LAST, text);

	if (value < 0)
		return FALSE;
	*format = (ProvSyslogFormat)value;
	return TRUE;
}
