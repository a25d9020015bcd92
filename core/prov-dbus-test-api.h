/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-clock.h"
#include "prov-engine.h"

G_BEGIN_DECLS

#define PROV_TYPE_DBUS_TEST_API (prov_dbus_test_api_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDBusTestApi, prov_dbus_test_api, PROV, DBUS_TEST_API, GObject)

PROV_API gboolean
prov_dbus_test_api_export(ProvDBusTestApi *self,
			  GDBusConnection *connection,
			  const gchar *object_path,
			  GError **error);
PROV_API void
prov_dbus_test_api_unexport(ProvDBusTestApi *self);
PROV_API void
prov_dbus_test_api_set_engine(ProvDBusTestApi *self, ProvEngine *engine);

PROV_API ProvDBusTestApi *
prov_dbus_test_api_new(ProvEngine *engine, ProvClock *clock);

G_END_DECLS
