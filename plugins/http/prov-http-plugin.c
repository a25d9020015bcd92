/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-http-transport.h"

static void
prov_http_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "http", PROV_TYPE_HTTP_TRANSPORT);
}

PROV_PLUGIN_DEFINE(http, prov_http_plugin_register)
