/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-sip-notify-trigger.h"

/* the trigger "sip" reads the config group [sip-trigger] */
static void
prov_sip_notify_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_trigger(plugin, "sip", PROV_TYPE_SIP_NOTIFY_TRIGGER);
}

PROV_PLUGIN_DEFINE(sip_notify, prov_sip_notify_plugin_register)
