/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * A plugin module with two decoders of one type, in two stages, for the
 * loader's tests of modules opened on first use: `lazy-late`
 * (compression) and `lazy-early` (transfer), registered in that order. The
 * decoder takes "LAZY:" off the front of the data.
 */

#include "config.h"

#include <prov-decoder.h>
#include <prov-plugin.h>
#include <string.h>

#define PROV_TYPE_TEST_LAZY_DECODER (prov_test_lazy_decoder_get_type())
G_DECLARE_FINAL_TYPE(ProvTestLazyDecoder, prov_test_lazy_decoder, PROV, TEST_LAZY_DECODER, GObject)

struct _ProvTestLazyDecoder {
	GObject parent_instance;
};

static gboolean
prov_test_lazy_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	return g_bytes_get_size(data) >= 5 && memcmp(g_bytes_get_data(data, NULL), "LAZY:", 5) == 0;
}

static GBytes *
prov_test_lazy_decoder_decode(ProvDecoder *decoder,
			      GBytes *data,
			      ProvDecodeContext *ctx,
			      GError **error)
{
	return g_bytes_new_from_bytes(data, 5, g_bytes_get_size(data) - 5);
}

static void
prov_test_lazy_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_test_lazy_decoder_probe;
	iface->decode = prov_test_lazy_decoder_decode;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestLazyDecoder,
			prov_test_lazy_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_test_lazy_decoder_iface_init))

static void
prov_test_lazy_decoder_class_init(ProvTestLazyDecoderClass *klass)
{
}

static void
prov_test_lazy_decoder_init(ProvTestLazyDecoder *self)
{
}

static void
prov_test_decoders_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "lazy-late", PROV_DECODER_STAGE_COMPRESSION,
				PROV_TYPE_TEST_LAZY_DECODER);
	prov_plugin_add_decoder(plugin, "lazy-early", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_TEST_LAZY_DECODER);
}

PROV_PLUGIN_DEFINE(decoders, prov_test_decoders_register)
