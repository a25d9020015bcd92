/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTrigger"

#include "config.h"

#include "prov-trigger.h"

G_DEFINE_INTERFACE(ProvTrigger, prov_trigger, G_TYPE_OBJECT)

/**
 * prov_trigger_start:
 * @self: a #ProvTrigger
 * @host: the engine side that the trigger asks for actions
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the trigger listens
 *
 * Since: 0.1
 */
gboolean
prov_trigger_start(ProvTrigger *self, ProvTriggerHost *host, GError **error)
{
	ProvTriggerInterface *iface;

	g_return_val_if_fail(PROV_IS_TRIGGER(self), FALSE);
	g_return_val_if_fail(PROV_IS_TRIGGER_HOST(host), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = PROV_TRIGGER_GET_IFACE(self);
	g_return_val_if_fail(iface->start != NULL, FALSE);
	return iface->start(self, host, error);
}

/**
 * prov_trigger_stop:
 * @self: a #ProvTrigger
 *
 * Stops a started trigger; stopping one that is not started does nothing.
 *
 * Since: 0.1
 */
void
prov_trigger_stop(ProvTrigger *self)
{
	ProvTriggerInterface *iface;

	g_return_if_fail(PROV_IS_TRIGGER(self));

	iface = PROV_TRIGGER_GET_IFACE(self);
	g_return_if_fail(iface->stop != NULL);
	iface->stop(self);
}

/**
 * prov_trigger_dup_addresses:
 * @self: a started #ProvTrigger
 *
 * The addresses the trigger listens on, for `provctl status`: one
 * `ADDRESS:PORT` (or `[ADDRESS]:PORT` for IPv6) per bound socket, with the
 * port actually bound when the config asked for port 0.
 *
 * Returns: (transfer full) (array zero-terminated=1): the addresses, empty
 *   when the trigger does not implement the method or is not started
 *
 * Since: 0.1
 */
gchar **
prov_trigger_dup_addresses(ProvTrigger *self)
{
	ProvTriggerInterface *iface;

	g_return_val_if_fail(PROV_IS_TRIGGER(self), NULL);

	iface = PROV_TRIGGER_GET_IFACE(self);
	if (iface->dup_addresses == NULL)
		return g_new0(gchar *, 1);
	return iface->dup_addresses(self);
}

static void
prov_trigger_default_init(ProvTriggerInterface *iface)
{
}
