/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDecoder"

#include "config.h"

#include "prov-decoder.h"
#include "prov-error.h"

G_DEFINE_INTERFACE(ProvDecoder, prov_decoder, G_TYPE_OBJECT)

static const gchar *const prov_decoder_stage_names[] = {"transfer", "encryption", "compression"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_decoder_stage_names) == PROV_DECODER_STAGE_LAST);

/**
 * prov_decoder_stage_to_string:
 * @stage: a #ProvDecoderStage
 *
 * Returns: (transfer none) (nullable): `transfer`, `encryption` or
 *   `compression`, or %NULL for a value out of range
 *
 * Since: 0.1
 */
const gchar *
prov_decoder_stage_to_string(ProvDecoderStage stage)
{
	if ((guint)stage >= PROV_DECODER_STAGE_LAST)
		return NULL;
	return prov_decoder_stage_names[stage];
}

/**
 * prov_decoder_stage_from_string:
 * @text: a stage name as prov_decoder_stage_to_string() writes it
 * @stage: (out): the stage
 *
 * Returns: %TRUE when @text names a stage
 *
 * Since: 0.1
 */
gboolean
prov_decoder_stage_from_string(const gchar *text, ProvDecoderStage *stage)
{
	g_return_val_if_fail(stage != NULL, FALSE);

	for (guint i = 0; i < PROV_DECODER_STAGE_LAST; i++) {
		if (g_strcmp0(text, prov_decoder_stage_names[i]) == 0) {
			*stage = (ProvDecoderStage)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * prov_decoder_probe:
 * @self: a #ProvDecoder
 * @data: the bytes so far
 *
 * Returns: %TRUE when @data looks like this decoder's format
 *
 * Since: 0.1
 */
gboolean
prov_decoder_probe(ProvDecoder *self, GBytes *data)
{
	ProvDecoderInterface *iface;

	g_return_val_if_fail(PROV_IS_DECODER(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);

	iface = PROV_DECODER_GET_IFACE(self);
	g_return_val_if_fail(iface->probe != NULL, FALSE);
	return iface->probe(self, data);
}

/**
 * prov_decoder_decode:
 * @self: a #ProvDecoder
 * @data: the encoded bytes
 * @ctx: the key, key derivation and output cap
 * @error: return location for a #GError
 *
 * Decodes one layer. The result is checked against the context's output
 * cap here as well, so that a decoder that forgot to stream within it
 * still cannot hand more to the next stage.
 *
 * Returns: (transfer full): the decoded bytes, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
prov_decoder_decode(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	ProvDecoderInterface *iface;
	g_autoptr(GBytes) result = NULL;
	gsize output_max;

	g_return_val_if_fail(PROV_IS_DECODER(self), NULL);
	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(ctx), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = PROV_DECODER_GET_IFACE(self);
	g_return_val_if_fail(iface->decode != NULL, NULL);
	result = iface->decode(self, data, ctx, error);
	if (result == NULL)
		return NULL;
	output_max = prov_decode_context_get_output_max(ctx);
	if (g_bytes_get_size(result) > output_max) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
			    output_max);
		return NULL;
	}
	return g_steal_pointer(&result);
}

/**
 * prov_decoder_can_encode:
 * @self: a #ProvDecoder
 *
 * Returns: %TRUE when the decoder also writes its format
 *
 * Since: 0.1
 */
gboolean
prov_decoder_can_encode(ProvDecoder *self)
{
	g_return_val_if_fail(PROV_IS_DECODER(self), FALSE);

	return PROV_DECODER_GET_IFACE(self)->encode != NULL;
}

/**
 * prov_decoder_encode:
 * @self: a #ProvDecoder
 * @data: the bytes to encode
 * @ctx: the key and key derivation (the caps do not apply)
 * @error: return location for a #GError
 *
 * Writes one layer of the decoder's format, as the tools servers use do
 * (`gzip`, `openssl enc`), so that prov_decoder_decode() and those tools
 * read it back.
 *
 * Returns: (transfer full): the encoded bytes, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
prov_decoder_encode(ProvDecoder *self, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	ProvDecoderInterface *iface;

	g_return_val_if_fail(PROV_IS_DECODER(self), NULL);
	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(ctx), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	iface = PROV_DECODER_GET_IFACE(self);
	if (iface->encode == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "the %s decoder cannot encode",
			    G_OBJECT_TYPE_NAME(self));
		return NULL;
	}
	return iface->encode(self, data, ctx, error);
}

static void
prov_decoder_default_init(ProvDecoderInterface *iface)
{
}
