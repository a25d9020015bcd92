/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvAccess:
 * @PROV_ACCESS_UNSET: no level given: the current level is kept (XML without `ua`)
 * @PROV_ACCESS_NA: the user has no access
 * @PROV_ACCESS_RO: the user may read
 * @PROV_ACCESS_RW: the user may read and write
 * @PROV_ACCESS_LAST: the number of values
 *
 * A parameter's user access level, the `ua` attribute of reference 1.3.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_ACCESS_UNSET,
	PROV_ACCESS_NA,
	PROV_ACCESS_RO,
	PROV_ACCESS_RW,
	PROV_ACCESS_LAST
} ProvAccess;

/**
 * ProvBehaviour:
 * @PROV_BEHAVIOUR_MPP: the multiplatform firmware (ATA19x-MPP, CP-xxxx-3PCC); the default
 * @PROV_BEHAVIOUR_SPA: the SPA/Linksys firmware family
 * @PROV_BEHAVIOUR_LAST: the number of values
 *
 * The behaviour profile of reference 0.1: where the documented device
 * behaviour drifted between the families, this selects which to follow.
 *
 * Since: 0.1
 */
typedef enum { PROV_BEHAVIOUR_MPP, PROV_BEHAVIOUR_SPA, PROV_BEHAVIOUR_LAST } ProvBehaviour;

/**
 * ProvSyslogFormat:
 * @PROV_SYSLOG_FORMAT_RFC3164: `<PRI>MSG`, with a timestamp and HOSTNAME
 *   only when an identifier is set (reference 5.6); the default
 * @PROV_SYSLOG_FORMAT_RFC5424: `<PRI>1 TIMESTAMP HOSTNAME provisiond - - - MSG`
 * @PROV_SYSLOG_FORMAT_LAST: the number of formats
 *
 * The framing of syslog datagrams (#ProvSyslog), chosen with `[daemon]
 * SyslogFormat` (reference 5.6: "RFC 5424 framing selectable by config").
 *
 * Since: 0.1
 */
typedef enum {
	PROV_SYSLOG_FORMAT_RFC3164,
	PROV_SYSLOG_FORMAT_RFC5424,
	PROV_SYSLOG_FORMAT_LAST
} ProvSyslogFormat;

PROV_API const gchar *
prov_access_to_string(ProvAccess access);
PROV_API gboolean
prov_access_from_string(const gchar *text, ProvAccess *access);
PROV_API const gchar *
prov_behaviour_to_string(ProvBehaviour behaviour);
PROV_API gboolean
prov_behaviour_from_string(const gchar *text, ProvBehaviour *behaviour);
PROV_API const gchar *
prov_syslog_format_to_string(ProvSyslogFormat format);
PROV_API gboolean
prov_syslog_format_from_string(const gchar *text, ProvSyslogFormat *format);

G_END_DECLS
