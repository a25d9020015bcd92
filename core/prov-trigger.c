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

static void
prov_trigger_default_init(ProvTriggerInterface *iface)
{
}
