/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTriggerHost"

#include "config.h"

#include "prov-trigger-host.h"

G_DEFINE_INTERFACE(ProvTriggerHost, prov_trigger_host, G_TYPE_OBJECT)

static const gchar *const prov_trigger_action_names[] = {"resync", "reboot", "restart", "report"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_trigger_action_names) == PROV_TRIGGER_ACTION_LAST);

/**
 * prov_trigger_action_to_string:
 * @action: a #ProvTriggerAction
 *
 * Returns: (transfer none) (nullable): `resync`, `reboot`, `restart` or
 *   `report`, or %NULL for a value out of range
 *
 * Since: 0.1
 */
const gchar *
prov_trigger_action_to_string(ProvTriggerAction action)
{
	if ((guint)action >= PROV_TRIGGER_ACTION_LAST)
		return NULL;
	return prov_trigger_action_names[action];
}

/**
 * prov_trigger_action_from_string:
 * @text: an action name as prov_trigger_action_to_string() writes it
 * @action: (out): the action
 *
 * Returns: %TRUE when @text names an action
 *
 * Since: 0.1
 */
gboolean
prov_trigger_action_from_string(const gchar *text, ProvTriggerAction *action)
{
	g_return_val_if_fail(action != NULL, FALSE);

	for (guint i = 0; i < PROV_TRIGGER_ACTION_LAST; i++) {
		if (g_strcmp0(text, prov_trigger_action_names[i]) == 0) {
			*action = (ProvTriggerAction)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * prov_trigger_host_request:
 * @self: a #ProvTriggerHost
 * @action: what the authenticated caller asks for
 * @argument: (nullable): for a resync, the rule or URL to use instead of
 *   the configured rules; %NULL otherwise
 * @source: (nullable): who asked, such as `192.0.2.10:5060`, for logs and
 *   the per-source rate limit
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the engine accepted the request (it may coalesce it
 *   with one already pending); %FALSE with @error when it refused it
 *
 * Since: 0.1
 */
gboolean
prov_trigger_host_request(ProvTriggerHost *self,
			  ProvTriggerAction action,
			  const gchar *argument,
			  const gchar *source,
			  GError **error)
{
	ProvTriggerHostInterface *iface;

	g_return_val_if_fail(PROV_IS_TRIGGER_HOST(self), FALSE);
	g_return_val_if_fail((guint)action < PROV_TRIGGER_ACTION_LAST, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = PROV_TRIGGER_HOST_GET_IFACE(self);
	g_return_val_if_fail(iface->request != NULL, FALSE);
	return iface->request(self, action, argument, source, error);
}

/**
 * prov_trigger_host_get_config:
 * @self: a #ProvTriggerHost
 *
 * Returns: (transfer none): the daemon's configuration
 *
 * Since: 0.1
 */
ProvConfig *
prov_trigger_host_get_config(ProvTriggerHost *self)
{
	ProvTriggerHostInterface *iface;

	g_return_val_if_fail(PROV_IS_TRIGGER_HOST(self), NULL);

	iface = PROV_TRIGGER_HOST_GET_IFACE(self);
	g_return_val_if_fail(iface->get_config != NULL, NULL);
	return iface->get_config(self);
}

/**
 * prov_trigger_host_get_params:
 * @self: a #ProvTriggerHost
 *
 * Returns: (transfer none): the parameters the engine applies profiles to
 *
 * Since: 0.1
 */
ProvParams *
prov_trigger_host_get_params(ProvTriggerHost *self)
{
	ProvTriggerHostInterface *iface;

	g_return_val_if_fail(PROV_IS_TRIGGER_HOST(self), NULL);

	iface = PROV_TRIGGER_HOST_GET_IFACE(self);
	g_return_val_if_fail(iface->get_params != NULL, NULL);
	return iface->get_params(self);
}

static void
prov_trigger_host_default_init(ProvTriggerHostInterface *iface)
{
}
