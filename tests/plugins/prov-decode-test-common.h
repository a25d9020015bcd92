/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/* shared by the tests that decode through the real gzip and aes plugins */

#include <prov-decode-pipeline.h>
#include <prov-error.h>
#include <prov-plugin-loader.h>
#include <string.h>

PROV_PLUGIN_DECLARE(gzip);
PROV_PLUGIN_DECLARE(aes);

/* reference 8.3.1: basic.txt, 61 bytes */
static const gchar prov_decode_test_basic[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

/* the gzip and aes plugins, linked into the test (PROV_PLUGIN_STATIC) */
static inline ProvPluginLoader *
prov_decode_test_loader_new(void)
{
	ProvPluginLoader *loader = prov_plugin_loader_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_plugin_loader_add_static(loader, PROV_PLUGIN_DESCRIPTOR(gzip), &error));
	g_assert_no_error(error);
	g_assert_true(prov_plugin_loader_add_static(loader, PROV_PLUGIN_DESCRIPTOR(aes), &error));
	g_assert_no_error(error);
	return loader;
}

static inline ProvDecodeContext *
prov_decode_test_context(const gchar *key, ProvRuleKdf kdf, guint iterations)
{
	ProvDecodeContext *ctx = prov_decode_context_new();

	if (key != NULL)
		prov_decode_context_set_key(ctx, key, -1);
	prov_decode_context_set_kdf(ctx, kdf, iterations);
	return ctx;
}

static inline GBytes *
prov_decode_test_run(GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	g_autoptr(ProvPluginLoader) loader = prov_decode_test_loader_new();
	g_autoptr(ProvDecodePipeline) pipeline = prov_decode_pipeline_new_from_loader(loader);

	return prov_decode_pipeline_decode(pipeline, data, ctx, error);
}

static inline void
prov_decode_test_assert_basic(GBytes *data, ProvDecodeContext *ctx, const gchar *const *formats)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) output = prov_decode_test_run(data, ctx, &error);

	g_assert_no_error(error);
	g_assert_nonnull(output);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output),
			prov_decode_test_basic, strlen(prov_decode_test_basic));
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx), formats);
}

static inline void
prov_decode_test_assert_fails(GBytes *data, ProvDecodeContext *ctx, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) output = prov_decode_test_run(data, ctx, &error);

	g_assert_null(output);
	g_assert_nonnull(error);
	g_test_message("error: %s", error->message);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_nonnull(strstr(error->message, message));
}

/* encodes @data with the plugins' encoders: gzip when asked, then aes when a key is given */
static inline GBytes *
prov_decode_test_encode(
    GBytes *data, gboolean gzip, const gchar *key, ProvRuleKdf kdf, guint iterations)
{
	g_autoptr(ProvPluginLoader) loader = prov_decode_test_loader_new();
	g_autoptr(ProvDecodeContext) ctx = prov_decode_test_context(key, kdf, iterations);
	g_autoptr(GBytes) current = g_bytes_ref(data);
	g_autoptr(GError) error = NULL;

	if (gzip) {
		g_autoptr(ProvDecoder) decoder =
		    prov_plugin_loader_create_decoder(loader, "gzip", &error);
		g_autoptr(GBytes) encoded = prov_decoder_encode(decoder, current, ctx, &error);

		g_assert_no_error(error);
		g_bytes_unref(current);
		current = g_steal_pointer(&encoded);
	}
	if (key != NULL) {
		g_autoptr(ProvDecoder) decoder =
		    prov_plugin_loader_create_decoder(loader, "aes", &error);
		g_autoptr(GBytes) encoded = prov_decoder_encode(decoder, current, ctx, &error);

		g_assert_no_error(error);
		g_bytes_unref(current);
		current = g_steal_pointer(&encoded);
	}
	return g_steal_pointer(&current);
}

static inline GBytes *
prov_decode_test_unhex(const gchar *hex)
{
	gsize length = strlen(hex) / 2;
	guint8 *bytes = g_malloc(length);

	for (gsize i = 0; i < length; i++)
		bytes[i] = (guint8)(g_ascii_xdigit_value(hex[2 * i]) * 16 +
				    g_ascii_xdigit_value(hex[2 * i + 1]));
	return g_bytes_new_take(bytes, length);
}
