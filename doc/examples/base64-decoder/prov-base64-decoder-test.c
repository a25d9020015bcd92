/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include <string.h>

#include "prov-base64-decoder.h"

static GBytes *
prov_base64_test_decode(const gchar *text, gsize output_max, GError **error)
{
	g_autoptr(ProvBase64Decoder) decoder = prov_base64_decoder_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) data = g_bytes_new(text, strlen(text));
	ProvLimits limits;

	prov_limits_init(&limits);
	limits.decoded_max = output_max;
	prov_decode_context_set_limits(ctx, &limits);
	return prov_decoder_decode(PROV_DECODER(decoder), data, ctx, error);
}

static void
prov_base64_test_decode_lines(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) output = prov_base64_test_decode("PGZsYXQt\ncHJvZmlsZS8+\n", 100, &error);

	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), "<flat-profile/>",
			15);
}

static void
prov_base64_test_errors(void)
{
	const struct {
		const gchar *text;
		const gchar *message;
	} cases[] = {
	    {"PGZsYXQt*HJvZmlsZS8+", "invalid base64 at byte 8"},
	    {"PGZsYXQtcHJvZmlsZS8", "truncated base64"},
	    {"PG==PGZs", "invalid base64 at byte 4"},
	    {"PGZsYXQtcHJvZmlsZS8+", "decoded size exceeds the limit of 10 bytes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) output = prov_base64_test_decode(cases[i].text, 10, &error);

		g_assert_null(output);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

static void
prov_base64_test_probe(void)
{
	g_autoptr(ProvBase64Decoder) decoder = prov_base64_decoder_new();
	const gchar *yes[] = {"U2FsdGVkX1", "PGZs\nYXQt"};
	const gchar *no[] = {"<flat-profile/>", "Salted__", "\x1f\x8b\x08", "abc"};

	for (guint i = 0; i < G_N_ELEMENTS(yes); i++) {
		g_autoptr(GBytes) data = g_bytes_new_static(yes[i], strlen(yes[i]));

		g_assert_true(prov_decoder_probe(PROV_DECODER(decoder), data));
	}
	for (guint i = 0; i < G_N_ELEMENTS(no); i++) {
		g_autoptr(GBytes) data = g_bytes_new_static(no[i], strlen(no[i]));

		g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), data));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/base64/decode-lines", prov_base64_test_decode_lines);
	g_test_add_func("/prov/base64/errors", prov_base64_test_errors);
	g_test_add_func("/prov/base64/probe", prov_base64_test_probe);
	return g_test_run();
}
