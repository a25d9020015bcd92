/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-decoder.h>

G_BEGIN_DECLS

#define PROV_TYPE_AES_DECODER (prov_aes_decoder_get_type())
G_DECLARE_FINAL_TYPE(ProvAesDecoder, prov_aes_decoder, PROV, AES_DECODER, GObject)

ProvAesDecoder *
prov_aes_decoder_new(void);

GBytes *
prov_aes_decoder_encrypt(GBytes *data,
			 const guint8 *passphrase,
			 gsize passphrase_length,
			 ProvRuleKdf kdf,
			 guint iterations,
			 const guint8 *salt,
			 GError **error);

G_END_DECLS
