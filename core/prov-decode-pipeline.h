/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-decode-context.h"
#include "prov-decoder.h"
#include "prov-plugin-loader.h"

G_BEGIN_DECLS

/**
 * PROV_DECODE_PIPELINE_MAX_DEPTH:
 *
 * The most decoders one profile passes through (reference 8.1: the decode
 * loop is bounded to depth 3).
 *
 * Since: 0.1
 */
#define PROV_DECODE_PIPELINE_MAX_DEPTH 3

/**
 * PROV_DECODE_PIPELINE_EXTERNAL_MESSAGE:
 *
 * What every decode failure reads like outside the device (R34).
 *
 * Since: 0.1
 */
#define PROV_DECODE_PIPELINE_EXTERNAL_MESSAGE "corrupt file"

#define PROV_TYPE_DECODE_PIPELINE (prov_decode_pipeline_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDecodePipeline, prov_decode_pipeline, PROV, DECODE_PIPELINE, GObject)

PROV_API ProvDecodePipeline *
prov_decode_pipeline_new(void);
PROV_API ProvDecodePipeline *
prov_decode_pipeline_new_from_loader(ProvPluginLoader *loader);

PROV_API void
prov_decode_pipeline_add_decoder(ProvDecodePipeline *self,
				 const gchar *format,
				 ProvDecoderStage stage,
				 ProvDecoder *decoder);
PROV_API ProvDecoder *
prov_decode_pipeline_get_decoder(ProvDecodePipeline *self, const gchar *format);

PROV_API GBytes *
prov_decode_pipeline_decode(ProvDecodePipeline *self,
			    GBytes *data,
			    ProvDecodeContext *ctx,
			    GError **error);

PROV_API GError *
prov_decode_pipeline_error_to_external(const GError *error);

G_END_DECLS
