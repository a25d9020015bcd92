/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The aes decoder on arbitrary bytes (R28). The first byte picks the key
 * derivation: detection (which runs PBKDF2 at 10 000 iterations, so only
 * one input in 64 takes it), MD5, SHA-256 or PBKDF2 with 1 to 8
 * iterations, and the behaviour profile; the rest is the file. The passphrase is the one of
 * reference 8.3.1, so that the worked example in the corpus decrypts.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "prov-aes-decoder.h"

#define PROV_FUZZ_AES_KEY "MyOwnSecret"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(ProvAesDecoder) decoder = prov_aes_decoder_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) input = NULL;
	g_autoptr(GBytes) output = NULL;
	g_autoptr(GError) error = NULL;
	guint8 selector;

	if (size == 0)
		return 0;
	selector = data[0];
	input = g_bytes_new_static(data + 1, size - 1);
	prov_decode_context_set_key(ctx, PROV_FUZZ_AES_KEY, -1);
	if (selector % 64 == 0)
		prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_AUTO, 0);
	else if (selector % 4 == 1)
		prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_MD5, 0);
	else if (selector % 4 == 2)
		prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_SHA256, 0);
	else
		prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_PBKDF2, 1 + ((selector >> 2) & 7));
	prov_decode_context_set_behaviour(ctx, selector & 0x80 ? PROV_BEHAVIOUR_SPA
							       : PROV_BEHAVIOUR_MPP);
	prov_decoder_probe(PROV_DECODER(decoder), input);
	output = prov_decoder_decode(PROV_DECODER(decoder), input, ctx, &error);
	g_assert((output == NULL) != (error == NULL));
	/* the plaintext is never longer than the ciphertext */
	if (output != NULL)
		g_assert_cmpuint(g_bytes_get_size(output), <, g_bytes_get_size(input));
	return 0;
}
