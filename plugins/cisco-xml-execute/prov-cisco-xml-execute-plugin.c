/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-http-trigger.h"

static void
prov_cisco_xml_execute_plugin_register(ProvPlugin *plugin)
{
	/* "http" runs when the config has [http-trigger] */
	prov_plugin_add_trigger(plugin, PROV_HTTP_TRIGGER_NAME, PROV_TYPE_HTTP_TRIGGER);
}

PROV_PLUGIN_DEFINE(cisco_xml_execute, prov_cisco_xml_execute_plugin_register)
