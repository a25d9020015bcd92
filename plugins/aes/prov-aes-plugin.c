/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-plugin.h>

#include "prov-aes-decoder.h"

static void
prov_aes_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "aes", PROV_DECODER_STAGE_ENCRYPTION,
				PROV_TYPE_AES_DECODER);
}

PROV_PLUGIN_DEFINE(aes, prov_aes_plugin_register)
