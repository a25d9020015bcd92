/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvLogLevel:
 * @PROV_LOG_LEVEL_WARNING: warnings, criticals and errors only
 * @PROV_LOG_LEVEL_MESSAGE: also messages (the default)
 * @PROV_LOG_LEVEL_INFO: also resync milestones (`-v`)
 * @PROV_LOG_LEVEL_DEBUG: also developer detail (`-vv`)
 * @PROV_LOG_LEVEL_LAST: the number of levels
 *
 * The verbosity of the daemon's own log; the product's syslog messages
 * (#ProvSyslog) are not affected.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_LOG_LEVEL_WARNING,
	PROV_LOG_LEVEL_MESSAGE,
	PROV_LOG_LEVEL_INFO,
	PROV_LOG_LEVEL_DEBUG,
	PROV_LOG_LEVEL_LAST
} ProvLogLevel;

/* more names than this in one domain list is a mistake, not a configuration */
#define PROV_LOG_DOMAINS_MAX 64

/* GLib log domains are short identifiers such as ProvPluginTftp */
#define PROV_LOG_DOMAIN_LENGTH_MAX 128

PROV_API const gchar *
prov_log_level_to_string(ProvLogLevel level);
PROV_API gboolean
prov_log_level_from_string(const gchar *text, ProvLogLevel *level);
PROV_API gboolean
prov_log_parse_domains(const gchar *text, gchar ***domains, GError **error);

PROV_API void
prov_log_set_level(ProvLogLevel level, const gchar *const *domains);
PROV_API ProvLogLevel
prov_log_get_level(void);
PROV_API gboolean
prov_log_would_write(GLogLevelFlags log_level, const gchar *log_domain);
PROV_API void
prov_log_install_writer(void);

G_END_DECLS
