/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-dbus-authority.h"
#include "prov-engine.h"

G_BEGIN_DECLS

#define PROV_DBUS_DAEMON_BUS_NAME    "org.provisiond.Provisioning1"
#define PROV_DBUS_DAEMON_OBJECT_PATH "/org/provisiond/Provisioning1"

/* D-Bus arguments that name no parameter or rule: a log domain list, a server, a group */
#define PROV_DBUS_DAEMON_SHORT_STRING_MAX 1024

#define PROV_TYPE_DBUS_DAEMON (prov_dbus_daemon_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDBusDaemon, prov_dbus_daemon, PROV, DBUS_DAEMON, GObject)

PROV_API gboolean
prov_dbus_daemon_export(ProvDBusDaemon *self,
			GDBusConnection *connection,
			const gchar *object_path,
			GError **error);
PROV_API void
prov_dbus_daemon_unexport(ProvDBusDaemon *self);
PROV_API void
prov_dbus_daemon_refresh_properties(ProvDBusDaemon *self);
PROV_API void
prov_dbus_daemon_set_engine(ProvDBusDaemon *self, ProvEngine *engine);
PROV_API guint
prov_dbus_daemon_get_n_pending(ProvDBusDaemon *self);
PROV_API GDBusInterfaceSkeleton *
prov_dbus_daemon_get_skeleton(ProvDBusDaemon *self);

PROV_API ProvDBusDaemon *
prov_dbus_daemon_new(ProvEngine *engine, ProvDBusAuthority *authority);

G_END_DECLS
