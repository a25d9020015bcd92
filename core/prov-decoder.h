/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-decode-context.h"

G_BEGIN_DECLS

/**
 * ProvDecoderStage:
 * @PROV_DECODER_STAGE_TRANSFER: an outer armour such as base64, removed before decryption
 * @PROV_DECODER_STAGE_ENCRYPTION: decryption with the rule's `--key` (openssl `enc`)
 * @PROV_DECODER_STAGE_COMPRESSION: decompression (gzip)
 * @PROV_DECODER_STAGE_LAST: the number of values
 *
 * Where a decoder sits in the decode pipeline. Servers compress, then
 * encrypt (reference 8.1), so the device decrypts, then decompresses: the
 * pipeline runs at most one decoder of each stage, in this order (R18).
 *
 * Since: 0.1
 */
typedef enum {
	PROV_DECODER_STAGE_TRANSFER,
	PROV_DECODER_STAGE_ENCRYPTION,
	PROV_DECODER_STAGE_COMPRESSION,
	PROV_DECODER_STAGE_LAST
} ProvDecoderStage;

/**
 * ProvDecoder:
 *
 * A profile encoding, provided by a plugin and registered with
 * prov_plugin_add_decoder() under a format name and a #ProvDecoderStage: the
 * aes plugin decrypts `openssl enc` files, the gzip plugin decompresses. The
 * #ProvDecodePipeline probes the fetched bytes with each decoder and lets
 * the first that recognises them decode them. See #ProvDecoderInterface.
 *
 * Since: 0.1
 */
#define PROV_TYPE_DECODER (prov_decoder_get_type())
PROV_API
G_DECLARE_INTERFACE(ProvDecoder, prov_decoder, PROV, DECODER, GObject)

/**
 * ProvDecoderInterface:
 * @parent_iface: the parent interface
 * @probe: whether @data starts with this decoder's magic; cheap, never fails
 * @decode: decodes @data within the context's output cap; (transfer full)
 *   on success, %NULL with @error set otherwise
 * @encode: optional: the inverse, for `provtool encode`; %NULL when the
 *   format cannot be written
 *
 * What a decoder plugin implements. A decoder is created per resync and
 * holds no state between calls.
 *
 * Since: 0.1
 */
struct _ProvDecoderInterface {
	GTypeInterface parent_iface;
	gboolean (*probe)(ProvDecoder *self, GBytes *data);
	GBytes *(*decode)(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error);
	GBytes *(*encode)(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error);
	/*< private >*/
	gpointer padding[8];
};

PROV_API const gchar *
prov_decoder_stage_to_string(ProvDecoderStage stage);
PROV_API gboolean
prov_decoder_stage_from_string(const gchar *text, ProvDecoderStage *stage);

PROV_API gboolean
prov_decoder_probe(ProvDecoder *self, GBytes *data);
PROV_API GBytes *
prov_decoder_decode(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error);
PROV_API gboolean
prov_decoder_can_encode(ProvDecoder *self);
PROV_API GBytes *
prov_decoder_encode(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error);

G_END_DECLS
