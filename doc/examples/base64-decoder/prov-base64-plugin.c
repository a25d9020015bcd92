/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "prov-base64-decoder.h"

static void
prov_base64_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "base64", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_BASE64_DECODER);
}

PROV_PLUGIN_DEFINE(base64, prov_base64_plugin_register)
