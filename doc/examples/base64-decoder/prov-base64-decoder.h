/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov.h>

G_BEGIN_DECLS

#define PROV_TYPE_BASE64_DECODER (prov_base64_decoder_get_type())
G_DECLARE_FINAL_TYPE(ProvBase64Decoder, prov_base64_decoder, PROV, BASE64_DECODER, GObject)

ProvBase64Decoder *
prov_base64_decoder_new(void);

G_END_DECLS
