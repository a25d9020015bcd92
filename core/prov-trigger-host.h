/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-config.h"
#include "prov-params.h"

G_BEGIN_DECLS

/**
 * ProvTriggerAction:
 * @PROV_TRIGGER_ACTION_RESYNC: resync now, with an optional rule or URL
 *   (`/admin/resync?URL`, XML Execute, SIP `resync`/`check-sync`)
 * @PROV_TRIGGER_ACTION_REBOOT: reboot once idle (SIP `reboot_now`, `check-sync;reboot=true`)
 * @PROV_TRIGGER_ACTION_RESTART: restart the voice application (SIP `restart_now`)
 * @PROV_TRIGGER_ACTION_REPORT: run Report_Rule (SIP `report`)
 * @PROV_TRIGGER_ACTION_LAST: the number of values
 *
 * What an inbound channel may ask the engine for (reference 7).
 *
 * Since: 0.1
 */
typedef enum {
	PROV_TRIGGER_ACTION_RESYNC,
	PROV_TRIGGER_ACTION_REBOOT,
	PROV_TRIGGER_ACTION_RESTART,
	PROV_TRIGGER_ACTION_REPORT,
	PROV_TRIGGER_ACTION_LAST
} ProvTriggerAction;

/**
 * ProvTriggerHost:
 *
 * What a #ProvTrigger talks to: the engine, behind an interface, so that
 * trigger plugins can be tested against a fake. See
 * #ProvTriggerHostInterface.
 *
 * Since: 0.1
 */
#define PROV_TYPE_TRIGGER_HOST (prov_trigger_host_get_type())
PROV_API
G_DECLARE_INTERFACE(ProvTriggerHost, prov_trigger_host, PROV, TRIGGER_HOST, GObject)

/**
 * ProvTriggerHostInterface:
 * @parent_iface: the parent interface
 * @request: asks for @action on behalf of @source (an address for logs and
 *   rate limiting, R23); %FALSE with an error when refused, for example
 *   over the rate limit
 * @get_config: (transfer none): the daemon's configuration, for the
 *   trigger's own group (`[http-trigger]`, `[sip-trigger]`)
 * @get_params: (transfer none): the parameters, for the credentials that
 *   authenticate callers; they are secrets and never logged
 *
 * The engine's side of a trigger: a trigger calls it after it has
 * authenticated the caller. The engine implements it; tests use a fake.
 *
 * Since: 0.1
 */
struct _ProvTriggerHostInterface {
	GTypeInterface parent_iface;
	gboolean (*request)(ProvTriggerHost *self,
			    ProvTriggerAction action,
			    const gchar *argument,
			    const gchar *source,
			    GError **error);
	ProvConfig *(*get_config)(ProvTriggerHost *self);
	ProvParams *(*get_params)(ProvTriggerHost *self);
	/*< private >*/
	gpointer padding[8];
};

PROV_API const gchar *
prov_trigger_action_to_string(ProvTriggerAction action);
PROV_API gboolean
prov_trigger_action_from_string(const gchar *text, ProvTriggerAction *action);

PROV_API gboolean
prov_trigger_host_request(ProvTriggerHost *self,
			  ProvTriggerAction action,
			  const gchar *argument,
			  const gchar *source,
			  GError **error);
PROV_API ProvConfig *
prov_trigger_host_get_config(ProvTriggerHost *self);
PROV_API ProvParams *
prov_trigger_host_get_params(ProvTriggerHost *self);

G_END_DECLS
