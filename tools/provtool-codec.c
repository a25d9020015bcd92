/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * provtool encode, decode and plugins: the decode pipeline and the decoder
 * plugins offline, with the same plugins, caps and key handling as the
 * daemon, so that an operator can check a file before a device fetches it.
 */

#define G_LOG_DOMAIN "ProvTool"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "prov-decode-pipeline.h"
#include "prov-error.h"
#include "prov-key.h"
#include "prov-plugin-loader.h"
#include "provtool.h"

/* the key and derivation options that encode and decode share */
typedef struct {
	gchar *key;
	gchar *kdf;
	gboolean gzip;
	gboolean allow_weak_key;
} ProvToolCodec;

static void
prov_tool_codec_clear(ProvToolCodec *self)
{
	/* the passphrase came from the command line, but need not stay in the heap */
	if (self->key != NULL)
		explicit_bzero(self->key, strlen(self->key));
	g_free(self->key);
	g_free(self->kdf);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvToolCodec, prov_tool_codec_clear)

/* provtool needs the config only: the schema and the state play no part in decoding */
static gboolean
prov_tool_codec_load_config(ProvTool *self, GError **error)
{
	self->config = prov_config_new();
	if (self->config_path != NULL &&
	    !prov_config_load_file(self->config, self->config_path, error))
		return FALSE;
	return TRUE;
}

static ProvPluginLoader *
prov_tool_codec_load_plugins(ProvTool *self)
{
	ProvPluginLoader *loader = prov_plugin_loader_new();

	prov_plugin_loader_load_default(loader, self->config);
	return loader;
}

/* --key and --kdf into a decode context with the config's caps and behaviour profile */
static ProvDecodeContext *
prov_tool_codec_context(ProvTool *self, ProvToolCodec *codec, GError **error)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();

	prov_decode_context_set_limits(ctx, prov_config_get_limits(self->config));
	prov_decode_context_set_behaviour(ctx, prov_config_get_behaviour(self->config));
	if (codec->kdf != NULL) {
		ProvRuleKdf kdf = PROV_RULE_KDF_AUTO;
		guint iterations = 0;

		if (codec->key == NULL) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					    "--kdf needs --key");
			return NULL;
		}
		if (!prov_rule_kdf_from_string(codec->kdf, &kdf, &iterations, error)) {
			g_prefix_error(error, "--kdf: ");
			return NULL;
		}
		prov_decode_context_set_kdf(ctx, kdf, iterations);
	}
	/* R31: an empty key is refused everywhere */
	if (codec->key != NULL && codec->key[0] == '\0') {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "--key: the key is empty");
		return NULL;
	}
	if (codec->key != NULL)
		prov_decode_context_set_key(ctx, codec->key, -1);
	return g_steal_pointer(&ctx);
}

/* the directories the loader reads, whether or not they exist */
static gchar *
prov_tool_codec_describe_directories(ProvTool *self)
{
	g_auto(GStrv) dirs = prov_plugin_loader_get_default_directories(self->config);

	return g_strjoinv(":", dirs);
}

gboolean
prov_tool_decode(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_auto(ProvToolCodec) codec = {0};
	g_autoptr(ProvPluginLoader) loader = NULL;
	g_autoptr(ProvDecodePipeline) pipeline = NULL;
	g_autoptr(ProvDecodeContext) ctx = NULL;
	g_autoptr(GBytes) input = NULL;
	g_autoptr(GBytes) output = NULL;
	g_autoptr(GError) error_local = NULL;
	const GOptionEntry decode_entries[] = {
	    {"key", 'k', 0, G_OPTION_ARG_FILENAME, &codec.key,
	     N_("Decrypt with the passphrase SECRET, as a rule's --key does"), N_("SECRET")},
	    {"kdf", 0, 0, G_OPTION_ARG_STRING, &codec.kdf,
	     N_("Use this key derivation instead of detecting it"), "md5|sha256|pbkdf2[:ITER]"},
	    {NULL},
	};
	const GOptionEntry *tables[] = {decode_entries, prov_tool_config_entries, NULL};
	const gchar *const *formats;

	if (!prov_tool_parse_options(
		&self, _("IN OUT"),
		_("Decode IN as a device decodes a fetched profile (openssl enc AES-256-CBC, "
		  "then gzip, within the [limits] of the config) and write the profile text to "
		  "OUT. IN and OUT may be - for standard input and output."),
		tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 2, "decode [OPTION…] IN OUT", error) ||
	    !prov_tool_codec_load_config(&self, error))
		return FALSE;
	ctx = prov_tool_codec_context(&self, &codec, error);
	if (ctx == NULL)
		return FALSE;
	/* what a transport would fetch: FetchMax bounds it */
	input = prov_tool_load_input(argv[1], prov_config_get_limits(self.config)->fetch_max,
				     "FetchMax", error);
	if (input == NULL)
		return FALSE;

	loader = prov_tool_codec_load_plugins(&self);
	pipeline = prov_decode_pipeline_new_from_loader(loader);
	output = prov_decode_pipeline_decode(pipeline, input, ctx, &error_local);
	if (output == NULL) {
		/* the detail that a device keeps to its debug log is what an operator needs here */
		if (prov_plugin_loader_get_names(loader, PROV_PLUGIN_KIND_DECODER)[0] == NULL) {
			g_autofree gchar *dirs = prov_tool_codec_describe_directories(&self);

			g_prefix_error(
			    &error_local,
			    "no decoder plugins were loaded from %s (set PluginDirectory "
			    "or PROV_PLUGIN_DIR): ",
			    dirs);
		}
		g_prefix_error(&error_local, "%s: ", argv[1]);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (!prov_tool_write_output(argv[2], output, error))
		return FALSE;
	formats = prov_decode_context_get_formats(ctx);
	if (self.verbose) {
		g_autofree gchar *joined = g_strjoinv(", ", (gchar **)formats);
		g_autofree gchar *input_size = prov_tool_format_bytes(g_bytes_get_size(input));
		g_autofree gchar *output_size = prov_tool_format_bytes(g_bytes_get_size(output));

		/* TRANSLATORS: FILE: N bytes decoded (gzip, aes) to N bytes */
		g_printerr(_("%1$s: %2$s decoded (%3$s) to %4$s\n"), argv[1], input_size,
			   joined[0] != '\0' ? joined : _("plain XML"), output_size);
	}
	return TRUE;
}

static GBytes *
prov_tool_codec_encode_with(ProvTool *self,
			    ProvPluginLoader *loader,
			    const gchar *format,
			    GBytes *data,
			    ProvDecodeContext *ctx,
			    GError **error)
{
	g_autoptr(ProvDecoder) decoder = NULL;
	GBytes *encoded;

	decoder = prov_plugin_loader_create_decoder(loader, format, error);
	if (decoder == NULL) {
		g_autofree gchar *dirs = prov_tool_codec_describe_directories(self);

		g_prefix_error(error, "plugin directories %s: ", dirs);
		return NULL;
	}
	encoded = prov_decoder_encode(decoder, data, ctx, error);
	if (encoded == NULL)
		g_prefix_error(error, "%s: ", format);
	return encoded;
}

gboolean
prov_tool_encode(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_auto(ProvToolCodec) codec = {0};
	g_autoptr(ProvPluginLoader) loader = NULL;
	g_autoptr(ProvDecodeContext) ctx = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GError) error_local = NULL;
	const GOptionEntry encode_entries[] = {
	    {"gzip", 'z', 0, G_OPTION_ARG_NONE, &codec.gzip,
	     N_("Compress with gzip (before encrypting, as devices expect)"), NULL},
	    {"key", 'k', 0, G_OPTION_ARG_FILENAME, &codec.key,
	     N_("Encrypt with the passphrase SECRET (openssl enc -aes-256-cbc -k SECRET)"),
	     N_("SECRET")},
	    {"kdf", 0, 0, G_OPTION_ARG_STRING, &codec.kdf,
	     N_("Derive the key with md5 (the default, which every device reads), sha256 or "
		"pbkdf2[:ITER]"),
	     "md5|sha256|pbkdf2[:ITER]"},
	    {"allow-weak-key", 0, 0, G_OPTION_ARG_NONE, &codec.allow_weak_key,
	     N_("Accept a passphrase shorter than 12 characters or a published example"), NULL},
	    {NULL},
	};
	const GOptionEntry *tables[] = {encode_entries, prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(
		&self, _("IN OUT"),
		_("Write IN to OUT compressed with --gzip, then encrypted with --key, so that "
		  "`openssl enc -d -aes-256-cbc -md md5 -k SECRET | gzip -d` reads it back "
		  "(with --kdf sha256: -md sha256; with --kdf pbkdf2[:ITER]: -pbkdf2 [-iter "
		  "ITER]). IN and OUT may be - for standard input and output."),
		tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 2, "encode [OPTION…] IN OUT", error) ||
	    !prov_tool_codec_load_config(&self, error))
		return FALSE;
	if (!codec.gzip && codec.key == NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "nothing to do: give --gzip, --key or both");
		return FALSE;
	}
	ctx = prov_tool_codec_context(&self, &codec, error);
	if (ctx == NULL)
		return FALSE;
	/* R31: no weak or published passphrase, unless the operator insists */
	if (codec.key != NULL && !codec.allow_weak_key &&
	    !prov_key_check_strength(codec.key, &error_local)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "--key: %s (--allow-weak-key uses it anyway)", error_local->message);
		return FALSE;
	}
	/* the plain profile: what the decoder on the device may produce */
	data = prov_tool_load_input(argv[1], prov_config_get_limits(self.config)->decoded_max,
				    "DecodedMax", error);
	if (data == NULL)
		return FALSE;

	loader = prov_tool_codec_load_plugins(&self);
	/* reference 8.1: compress, then encrypt */
	if (codec.gzip) {
		GBytes *compressed =
		    prov_tool_codec_encode_with(&self, loader, "gzip", data, ctx, error);

		if (compressed == NULL)
			return FALSE;
		g_bytes_unref(data);
		data = compressed;
	}
	if (codec.key != NULL) {
		GBytes *encrypted =
		    prov_tool_codec_encode_with(&self, loader, "aes", data, ctx, error);

		if (encrypted == NULL)
			return FALSE;
		g_bytes_unref(data);
		data = encrypted;
	}
	return prov_tool_write_output(argv[2], data, error);
}

/*
 * one line of the plugin table: the columns have fixed widths, widened where
 * a translated heading needs more
 */
static void
prov_tool_plugins_append_row(GString *out,
			     const gchar *name,
			     const gchar *version,
			     const gchar *kind,
			     const gchar *provides,
			     const gchar *file)
{
	const gchar *cells[] = {name, version, kind, provides};
	/* TRANSLATORS: the column headings of the plugin table */
	const gchar *headings[] = {C_("column", "NAME"), C_("column", "VERSION"),
				   C_("column", "KIND"), C_("column", "PROVIDES")};
	const guint widths[] = {12, 9, 10, 24};

	for (guint i = 0; i < G_N_ELEMENTS(cells); i++) {
		prov_tool_append_padded(out, cells[i],
					MAX(widths[i], prov_tool_display_width(headings[i])));
		g_string_append_c(out, ' ');
	}
	g_string_append_printf(out, "%s\n", file);
}

static gchar *
prov_tool_plugins_describe(ProvPlugin *plugin, ProvPluginKind kind)
{
	const gchar *const *names = prov_plugin_get_names(plugin, kind);
	g_autoptr(GString) text = g_string_new(NULL);

	for (guint i = 0; names[i] != NULL; i++) {
		ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;

		if (i > 0)
			g_string_append(text, ", ");
		g_string_append(text, names[i]);
		if (kind == PROV_PLUGIN_KIND_DECODER &&
		    prov_plugin_get_decoder_stage(plugin, names[i], &stage))
			g_string_append_printf(text, " (%s)", prov_decoder_stage_to_string(stage));
	}
	return g_string_free(g_steal_pointer(&text), FALSE);
}

gboolean
prov_tool_plugins(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autoptr(ProvPluginLoader) loader = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *dirs = NULL;
	const GOptionEntry *tables[] = {prov_tool_config_entries, NULL};
	GPtrArray *plugins;
	GPtrArray *refused;

	if (!prov_tool_parse_options(
		&self, NULL,
		_("List the plugins that provisiond would load, with what each provides, its "
		  "version and file, and every module it would refuse, with the reason."),
		tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 0, "plugins [OPTION…]", error) ||
	    !prov_tool_codec_load_config(&self, error))
		return FALSE;

	loader = prov_tool_codec_load_plugins(&self);
	/*
	 * the daemon opens a module with a manifest on first use, and refuses it only then if
	 * it disagrees with its manifest: open every module here, so that the list says so now
	 */
	for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++)
		prov_plugin_loader_load_all(loader, kind);
	dirs = prov_tool_codec_describe_directories(&self);
	plugins = prov_plugin_loader_get_plugins(loader);
	refused = prov_plugin_loader_get_refused(loader);
	g_string_append_printf(out, _("Plugin directories: %s\n"), dirs);
	prov_tool_plugins_append_row(out, C_("column", "NAME"), C_("column", "VERSION"),
				     C_("column", "KIND"), C_("column", "PROVIDES"),
				     C_("column", "FILE"));
	for (guint i = 0; i < plugins->len; i++) {
		ProvPlugin *plugin = g_ptr_array_index(plugins, i);
		const gchar *file = prov_plugin_get_filename(plugin);

		for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
			g_autofree gchar *provides = NULL;

			if (prov_plugin_get_names(plugin, kind)[0] == NULL)
				continue;
			provides = prov_tool_plugins_describe(plugin, kind);
			prov_tool_plugins_append_row(out, prov_plugin_get_name(plugin),
						     prov_plugin_get_version(plugin),
						     prov_plugin_kind_to_string(kind), provides,
						     file != NULL ? file : _("(built in)"));
		}
	}
	if (plugins->len == 0)
		g_string_append(out, _("(no plugins loaded)\n"));
	for (guint i = 0; i < refused->len; i++) {
		ProvPlugin *plugin = g_ptr_array_index(refused, i);

		g_string_append_printf(out, _("refused: %1$s: %2$s\n"),
				       prov_plugin_get_filename(plugin),
				       prov_plugin_get_refusal(plugin));
	}
	prov_tool_write_stdout(out);
	return TRUE;
}
