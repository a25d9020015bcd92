/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvDBusAction:
 * @PROV_DBUS_ACTION_RESYNC: run a resync of the stored rules
 *   (`org.provisiond.provisioning1.resync`)
 * @PROV_DBUS_ACTION_CONFIGURE: change parameters or settings, or resync with
 *   a one-shot rule (`org.provisiond.provisioning1.configure`)
 * @PROV_DBUS_ACTION_READ_SECRETS: read the values of secret parameters
 *   (`org.provisiond.provisioning1.read-secrets`)
 * @PROV_DBUS_ACTION_LAST: the number of actions
 *
 * The coarse polkit actions of org.provisiond.Provisioning1.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_DBUS_ACTION_RESYNC,
	PROV_DBUS_ACTION_CONFIGURE,
	PROV_DBUS_ACTION_READ_SECRETS,
	PROV_DBUS_ACTION_LAST
} ProvDBusAction;

/**
 * ProvDBusAuthorityFlags:
 * @PROV_DBUS_AUTHORITY_FLAGS_NONE: no flags
 * @PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION: polkit may ask the caller
 *   to authenticate (through their authentication agent)
 *
 * Since: 0.1
 */
typedef enum {
	PROV_DBUS_AUTHORITY_FLAGS_NONE = 0,
	PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION = 1 << 0,
} ProvDBusAuthorityFlags;

#define PROV_TYPE_DBUS_AUTHORITY (prov_dbus_authority_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDBusAuthority, prov_dbus_authority, PROV, DBUS_AUTHORITY, GObject)

PROV_API const gchar *
prov_dbus_action_to_string(ProvDBusAction action);

PROV_API gboolean
prov_dbus_authority_get_enforcing(ProvDBusAuthority *self);
PROV_API void
prov_dbus_authority_check_async(ProvDBusAuthority *self,
				const gchar *sender,
				ProvDBusAction action,
				ProvDBusAuthorityFlags flags,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data);
PROV_API gboolean
prov_dbus_authority_check_finish(ProvDBusAuthority *self, GAsyncResult *result, GError **error);

PROV_API ProvDBusAuthority *
prov_dbus_authority_new(GDBusConnection *connection, gboolean enforcing);

G_END_DECLS
