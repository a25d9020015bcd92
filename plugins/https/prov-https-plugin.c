/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-https-transport.h"

static void
prov_https_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "https", PROV_TYPE_HTTPS_TRANSPORT);
}

PROV_PLUGIN_DEFINE(https, prov_https_plugin_register)
