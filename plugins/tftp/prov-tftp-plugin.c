/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-tftp-transport.h"

static void
prov_tftp_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "tftp", PROV_TYPE_TFTP_TRANSPORT);
}

PROV_PLUGIN_DEFINE(tftp, prov_tftp_plugin_register)
