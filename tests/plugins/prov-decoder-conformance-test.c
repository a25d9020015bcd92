/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The conformance test for decoder plugins (STYLE.md 8), built once per
 * plugin: it loads the plugin's module as the daemon does (from its
 * directory, through the manifest beside it), and checks that
 * the module exports only its descriptor, registers one decoder, and that
 * the decode pipeline selects it for what its own encoder writes.
 *
 *   prov-decoder-conformance-FORMAT MODULE
 */

#include "config.h"

#include <string.h>

#include "prov-decode-pipeline.h"
#include "prov-plugin-loader.h"

static const gchar *prov_conformance_module = NULL;

static const gchar prov_conformance_profile[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

static void
prov_conformance_test_selected(void)
{
	g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
	g_autoptr(ProvDecodePipeline) pipeline = NULL;
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(ProvDecoder) decoder = NULL;
	g_autoptr(GBytes) profile =
	    g_bytes_new_static(prov_conformance_profile, strlen(prov_conformance_profile));
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(GBytes) decoded = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *module_dir = g_path_get_dirname(prov_conformance_module);
	ProvPlugin *plugin;
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;

	g_assert_true(prov_plugin_loader_load_directory(loader, module_dir, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_plugin_loader_get_refused(loader)->len, ==, 0);
	g_assert_cmpuint(prov_plugin_loader_get_plugins(loader)->len, ==, 1);
	plugin = g_ptr_array_index(prov_plugin_loader_get_plugins(loader), 0);
	g_assert_cmpstr(prov_plugin_get_filename(plugin), ==, prov_conformance_module);
	g_assert_cmpstr(prov_plugin_get_version(plugin), ==, PACKAGE_VERSION);
	g_assert_cmpstrv(prov_plugin_get_names(plugin, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){PROV_CONFORMANCE_FORMAT, NULL}));
	g_assert_true(prov_plugin_get_decoder_stage(plugin, PROV_CONFORMANCE_FORMAT, &stage));
	g_assert_cmpint(stage, ==, PROV_CONFORMANCE_STAGE);
	/* so far from the manifest beside the module, which is opened on first use (R46) */
	g_assert_false(prov_plugin_is_loaded(plugin));

	/* an encryption decoder needs the rule's key, in both directions */
	if (stage == PROV_DECODER_STAGE_ENCRYPTION)
		prov_decode_context_set_key(ctx, "a conformance passphrase", -1);
	decoder = prov_plugin_loader_create_decoder(loader, PROV_CONFORMANCE_FORMAT, &error);
	g_assert_no_error(error);
	/* and it agrees with its manifest */
	g_assert_true(prov_plugin_is_loaded(plugin));
	g_assert_cmpuint(prov_plugin_loader_get_refused(loader)->len, ==, 0);
	g_assert_true(prov_decoder_can_encode(decoder));
	encoded = prov_decoder_encode(decoder, profile, ctx, &error);
	g_assert_no_error(error);
	g_assert_true(prov_decoder_probe(decoder, encoded));
	g_assert_false(prov_decoder_probe(decoder, profile));

	/* the plugin under test is the one the pipeline picked */
	pipeline = prov_decode_pipeline_new_from_loader(loader);
	decoded = prov_decode_pipeline_decode(pipeline, encoded, ctx, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(decoded, profile));
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx),
			 ((const gchar *[]){PROV_CONFORMANCE_FORMAT, NULL}));
	g_assert_true(prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_DECODER,
						PROV_CONFORMANCE_FORMAT) == plugin);
}

static void
prov_conformance_test_exports(void)
{
	g_autoptr(GError) error = NULL;
	GModule *module = g_module_open_full(prov_conformance_module, G_MODULE_BIND_LOCAL, &error);
	g_autofree gchar *internal =
	    g_strdup_printf("prov_%s_decoder_get_type", PROV_CONFORMANCE_FORMAT);
	gpointer symbol = NULL;

	/* only the descriptor is exported: the plugin's own functions stay hidden */
	g_assert_no_error(error);
	g_assert_true(g_module_symbol(module, PROV_PLUGIN_DESCRIPTOR_SYMBOL, &symbol));
	g_assert_false(g_module_symbol(module, internal, &symbol));
	g_module_close(module);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (argc != 2) {
		g_printerr("usage: %s MODULE\n", argv[0]);
		return 2;
	}
	prov_conformance_module = argv[1];

	g_test_add_func("/prov/decoder-conformance/" PROV_CONFORMANCE_FORMAT "/selected",
			prov_conformance_test_selected);
	g_test_add_func("/prov/decoder-conformance/" PROV_CONFORMANCE_FORMAT "/exports",
			prov_conformance_test_exports);
	return g_test_run();
}
