/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The gzip decoder on arbitrary bytes (R19, R28): headers with every flag
 * and up to 64 KiB of fields, members, trailers, trailing bytes. The cap is
 * small so that bombs end quickly; the output never exceeds it.
 */

#include "config.h"

#include <stdint.h>

#include "prov-gzip-decoder.h"

#define PROV_FUZZ_GZIP_OUTPUT_MAX (256 * 1024)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(ProvGzipDecoder) decoder = prov_gzip_decoder_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) input = g_bytes_new_static(data, size);
	g_autoptr(GBytes) output = NULL;
	g_autoptr(GError) error = NULL;
	ProvLimits limits;

	prov_limits_init(&limits);
	limits.decoded_max = PROV_FUZZ_GZIP_OUTPUT_MAX;
	prov_decode_context_set_limits(ctx, &limits);
	prov_decoder_probe(PROV_DECODER(decoder), input);
	output = prov_decoder_decode(PROV_DECODER(decoder), input, ctx, &error);
	g_assert((output == NULL) != (error == NULL));
	if (output != NULL) {
		g_autoptr(GBytes) encoded = NULL;
		g_autoptr(GBytes) again = NULL;

		g_assert_cmpuint(g_bytes_get_size(output), <=, PROV_FUZZ_GZIP_OUTPUT_MAX);
		/* what decodes re-encodes and decodes to the same bytes */
		encoded = prov_decoder_encode(PROV_DECODER(decoder), output, ctx, &error);
		g_assert_no_error(error);
		again = prov_decoder_decode(PROV_DECODER(decoder), encoded, ctx, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(again, output));
	}
	return 0;
}
