/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-clock.h"
#include "prov-enums.h"
#include "prov-macro.h"
#include "prov-params.h"

G_BEGIN_DECLS

/* ProvSyslogFormat is in prov-enums.h, for the config file's [daemon] SyslogFormat */

/**
 * ProvSyslogMessage:
 * @PROV_SYSLOG_MESSAGE_REQUEST: before a profile is fetched (`Log_Resync_Request_Msg`)
 * @PROV_SYSLOG_MESSAGE_SUCCESS: after a profile was applied (`Log_Resync_Success_Msg`)
 * @PROV_SYSLOG_MESSAGE_FAILURE: after a failure (`Log_Resync_Failure_Msg`)
 * @PROV_SYSLOG_MESSAGE_LAST: the number of messages
 *
 * The resync messages of reference 5.6.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_SYSLOG_MESSAGE_REQUEST,
	PROV_SYSLOG_MESSAGE_SUCCESS,
	PROV_SYSLOG_MESSAGE_FAILURE,
	PROV_SYSLOG_MESSAGE_LAST
} ProvSyslogMessage;

/**
 * PROV_SYSLOG_DEFAULT_PORT:
 *
 * The port of a `Syslog_Server` or `Debug_Server` that names none.
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_DEFAULT_PORT 514

/**
 * PROV_SYSLOG_DEFAULT_MAX_SIZE:
 *
 * The default largest datagram, in octets (R44: 480, which every syslog
 * receiver accepts); `SyslogMaxSize` in the `[daemon]` group changes it.
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_DEFAULT_MAX_SIZE 480

/**
 * PROV_SYSLOG_MIN_SIZE:
 *
 * The smallest datagram size that may be configured, in octets.
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_MIN_SIZE 64

/**
 * PROV_SYSLOG_MAX_SIZE:
 *
 * The largest datagram size that may be configured, in octets (R44).
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_MAX_SIZE 2048

/**
 * PROV_SYSLOG_PRI:
 *
 * The priority of the resync messages: facility local0 (16), severity
 * info (6), as reference 5.6 proposes.
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_PRI 134

/**
 * PROV_SYSLOG_DEBUG_PRI:
 *
 * The priority of the `Debug_Server` detail: facility local0 (16), severity
 * debug (7) (reference 2.4).
 *
 * Since: 0.1
 */
#define PROV_SYSLOG_DEBUG_PRI 135

#define PROV_TYPE_SYSLOG (prov_syslog_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvSyslog, prov_syslog, PROV, SYSLOG, GObject)

PROV_API ProvSyslog *
prov_syslog_new(ProvClock *clock);
PROV_API gboolean
prov_syslog_parse_host_port(const gchar *text, gchar **host, guint16 *port, GError **error);
PROV_API gboolean
prov_syslog_set_server(ProvSyslog *self, const gchar *server, GError **error);
PROV_API gboolean
prov_syslog_set_debug_server(ProvSyslog *self, const gchar *server, GError **error);
PROV_API void
prov_syslog_set_format(ProvSyslog *self, ProvSyslogFormat format);
PROV_API ProvSyslogFormat
prov_syslog_get_format(ProvSyslog *self);
PROV_API gboolean
prov_syslog_set_max_size(ProvSyslog *self, gsize max_size, GError **error);
PROV_API gsize
prov_syslog_get_max_size(ProvSyslog *self);
PROV_API void
prov_syslog_set_identifier(ProvSyslog *self, const gchar *identifier);
PROV_API gboolean
prov_syslog_configure(ProvSyslog *self, ProvParams *params, ProvMacro *macro, GError **error);
PROV_API GBytes *
prov_syslog_format_datagram(ProvSyslog *self, const gchar *message);
PROV_API void
prov_syslog_send(ProvSyslog *self, const gchar *message);
PROV_API void
prov_syslog_send_debug(ProvSyslog *self, const gchar *message);
PROV_API gchar *
prov_syslog_build_message(ProvParams *params, ProvMacro *macro, ProvSyslogMessage kind);
PROV_API gboolean
prov_syslog_log_resync(ProvSyslog *self,
		       ProvParams *params,
		       ProvMacro *macro,
		       ProvSyslogMessage kind);
PROV_API guint
prov_syslog_get_n_sent(ProvSyslog *self);

G_END_DECLS
