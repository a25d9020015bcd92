/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-gzip-decoder.h"

static void
prov_gzip_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "gzip", PROV_DECODER_STAGE_COMPRESSION,
				PROV_TYPE_GZIP_DECODER);
}

PROV_PLUGIN_DEFINE(gzip, prov_gzip_plugin_register)
