/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-device.h"
#include "prov-enums.h"
#include "prov-limits.h"

G_BEGIN_DECLS

#define PROV_TYPE_CONFIG (prov_config_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvConfig, prov_config, PROV, CONFIG, GObject)

PROV_API ProvConfig *
prov_config_new(void);

PROV_API gboolean
prov_config_load_file(ProvConfig *self, const gchar *path, GError **error);
PROV_API gboolean
prov_config_load_data(ProvConfig *self, const gchar *data, gssize length, GError **error);

PROV_API ProvDevice *
prov_config_get_device(ProvConfig *self);
PROV_API const ProvLimits *
prov_config_get_limits(ProvConfig *self);
PROV_API ProvBehaviour
prov_config_get_behaviour(ProvConfig *self);
PROV_API gboolean
prov_config_get_hardened_mode(ProvConfig *self);
PROV_API ProvSyslogFormat
prov_config_get_syslog_format(ProvConfig *self);
PROV_API gsize
prov_config_get_syslog_max_size(ProvConfig *self);
PROV_API const gchar *
prov_config_get_daemon_value(ProvConfig *self, const gchar *key);
PROV_API GPtrArray *
prov_config_get_parameter_overrides(ProvConfig *self);
PROV_API GKeyFile *
prov_config_get_key_file(ProvConfig *self);

G_END_DECLS
