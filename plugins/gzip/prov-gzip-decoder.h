/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-decoder.h>

G_BEGIN_DECLS

#define PROV_TYPE_GZIP_DECODER (prov_gzip_decoder_get_type())
G_DECLARE_FINAL_TYPE(ProvGzipDecoder, prov_gzip_decoder, PROV, GZIP_DECODER, GObject)

ProvGzipDecoder *
prov_gzip_decoder_new(void);

G_END_DECLS
