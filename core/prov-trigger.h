/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-trigger-host.h"

G_BEGIN_DECLS

/**
 * ProvTrigger:
 *
 * An inbound channel that asks for resyncs: the HTTP listener of the
 * functional URLs and of XML Execute, the SIP listener of NOTIFY. A plugin
 * registers it with prov_plugin_add_trigger() under a name; the engine
 * starts it when the config file has its `[NAME-trigger]` group, and stops it
 * with the engine. See #ProvTriggerInterface.
 *
 * Since: 0.1
 */
#define PROV_TYPE_TRIGGER (prov_trigger_get_type())
PROV_API
G_DECLARE_INTERFACE(ProvTrigger, prov_trigger, PROV, TRIGGER, GObject)

/**
 * ProvTriggerInterface:
 * @parent_iface: the parent interface
 * @start: starts listening, reading its settings from the host's
 *   configuration; %FALSE with an error when it cannot (address in use)
 * @stop: stops listening and drops pending requests; the trigger may be
 *   started again
 * @dup_addresses: the bound addresses, for status displays (optional;
 *   Since: 0.1)
 *
 * An inbound channel (HTTP listener, SIP listener) started with the engine.
 * It authenticates its callers, then asks @host for actions; it never
 * touches the engine otherwise, and it keeps no reference to @host after
 * @stop.
 *
 * Since: 0.1
 */
struct _ProvTriggerInterface {
	GTypeInterface parent_iface;
	gboolean (*start)(ProvTrigger *self, ProvTriggerHost *host, GError **error);
	void (*stop)(ProvTrigger *self);
	gchar **(*dup_addresses)(ProvTrigger *self);
	/*< private >*/
	gpointer padding[7];
};

PROV_API gboolean
prov_trigger_start(ProvTrigger *self, ProvTriggerHost *host, GError **error);
PROV_API void
prov_trigger_stop(ProvTrigger *self);
PROV_API gchar **
prov_trigger_dup_addresses(ProvTrigger *self);

G_END_DECLS
