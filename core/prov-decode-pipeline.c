/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDecodePipeline"

#include "config.h"

#include "prov-decode-context-private.h"
#include "prov-decode-pipeline.h"
#include "prov-error.h"

/**
 * ProvDecodePipeline:
 *
 * Turns fetched bytes into the profile text (reference 1.5 and 8.1): it
 * asks each decoder whether it recognises the bytes, lets the first that
 * does decode them, and repeats until none does. At most one decoder per
 * stage runs, in stage order (decrypt, then decompress: R18), each within
 * the output caps of R17. A rule `--key` requires encrypted data; encrypted
 * data requires a key. What is left must be XML: optional UTF-8 BOM and
 * whitespace, then `<`.
 *
 * Every failure has the code %PROV_ERROR_CORRUPT_FILE and a message with
 * the local detail; prov_decode_pipeline_error_to_external() gives what may
 * leave the device (R34).
 *
 * Since: 0.1
 */

typedef struct {
	gchar *format;
	ProvDecoderStage stage;
	ProvDecoder *decoder;
} ProvDecodePipelineEntry;

struct _ProvDecodePipeline {
	GObject parent_instance;
	/* ProvDecodePipelineEntry, by stage, then in the order added */
	GPtrArray *entries;
};

G_DEFINE_TYPE(ProvDecodePipeline, prov_decode_pipeline, G_TYPE_OBJECT)

static void
prov_decode_pipeline_entry_free(ProvDecodePipelineEntry *entry)
{
	g_free(entry->format);
	g_object_unref(entry->decoder);
	g_free(entry);
}

/**
 * prov_decode_pipeline_add_decoder:
 * @self: a #ProvDecodePipeline
 * @format: the decoder's format name, recorded in the decode context
 * @stage: where the decoder runs
 * @decoder: the decoder
 *
 * Adds a decoder after the others of its stage.
 *
 * Since: 0.1
 */
void
prov_decode_pipeline_add_decoder(ProvDecodePipeline *self,
				 const gchar *format,
				 ProvDecoderStage stage,
				 ProvDecoder *decoder)
{
	ProvDecodePipelineEntry *entry;
	guint position = self->entries->len;

	g_return_if_fail(PROV_IS_DECODE_PIPELINE(self));
	g_return_if_fail(format != NULL);
	g_return_if_fail((guint)stage < PROV_DECODER_STAGE_LAST);
	g_return_if_fail(PROV_IS_DECODER(decoder));

	for (guint i = 0; i < self->entries->len; i++) {
		ProvDecodePipelineEntry *other = g_ptr_array_index(self->entries, i);

		if (other->stage > stage) {
			position = i;
			break;
		}
	}
	entry = g_new0(ProvDecodePipelineEntry, 1);
	entry->format = g_strdup(format);
	entry->stage = stage;
	entry->decoder = g_object_ref(decoder);
	g_ptr_array_insert(self->entries, (gint)position, entry);
}

/**
 * prov_decode_pipeline_get_decoder:
 * @self: a #ProvDecodePipeline
 * @format: a format name
 *
 * Returns: (transfer none) (nullable): the decoder added for @format
 *
 * Since: 0.1
 */
ProvDecoder *
prov_decode_pipeline_get_decoder(ProvDecodePipeline *self, const gchar *format)
{
	g_return_val_if_fail(PROV_IS_DECODE_PIPELINE(self), NULL);
	g_return_val_if_fail(format != NULL, NULL);

	for (guint i = 0; i < self->entries->len; i++) {
		ProvDecodePipelineEntry *entry = g_ptr_array_index(self->entries, i);

		if (g_strcmp0(entry->format, format) == 0)
			return entry->decoder;
	}
	return NULL;
}

/* R34: one class outside the device; the detail stays in the message and the debug log */
static GBytes *
prov_decode_pipeline_fail(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static GBytes *
prov_decode_pipeline_fail(GError **error, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *detail = NULL;

	va_start(args, format);
	detail = g_strdup_vprintf(format, args);
	va_end(args);
	g_debug("decode failed: %s", detail);
	g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, detail);
	return NULL;
}

/* reference 8.1: optional UTF-8 BOM, whitespace, then `<` */
static gboolean
prov_decode_pipeline_is_xml(GBytes *data)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	gsize i = 0;

	if (length >= 3 && bytes[0] == 0xef && bytes[1] == 0xbb && bytes[2] == 0xbf)
		i = 3;
	while (i < length &&
	       (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
		i++;
	return i < length && bytes[i] == '<';
}

static gchar *
prov_decode_pipeline_describe_start(GBytes *data)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	GString *text = g_string_new(NULL);

	if (length == 0)
		return g_string_free(text, FALSE);
	g_string_append(text, ", starts with");
	for (gsize i = 0; i < MIN(length, 4); i++)
		g_string_append_printf(text, " %02x", bytes[i]);
	return g_string_free(text, FALSE);
}

static ProvDecodePipelineEntry *
prov_decode_pipeline_probe(ProvDecodePipeline *self, GBytes *data)
{
	for (guint i = 0; i < self->entries->len; i++) {
		ProvDecodePipelineEntry *entry = g_ptr_array_index(self->entries, i);

		if (prov_decoder_probe(entry->decoder, data))
			return entry;
	}
	return NULL;
}

/**
 * prov_decode_pipeline_decode:
 * @self: a #ProvDecodePipeline
 * @data: the fetched bytes
 * @ctx: the key, key derivation and caps; on return it lists the formats
 *   that were decoded
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the profile text, or %NULL with @error set to
 *   %PROV_ERROR_CORRUPT_FILE
 *
 * Since: 0.1
 */
GBytes *
prov_decode_pipeline_decode(ProvDecodePipeline *self,
			    GBytes *data,
			    ProvDecodeContext *ctx,
			    GError **error)
{
	g_autoptr(GBytes) current = NULL;
	const ProvDecodePipelineEntry *last = NULL;
	gboolean has_key;
	gboolean decrypted = FALSE;
	gsize produced = 0;
	gsize key_length = 0;
	guint depth = 0;

	g_return_val_if_fail(PROV_IS_DECODE_PIPELINE(self), NULL);
	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(ctx), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	prov_decode_context_clear_formats(ctx);
	has_key = prov_decode_context_has_key(ctx);
	prov_decode_context_get_key(ctx, &key_length);
	/* R31: an empty passphrase is no key at all */
	if (has_key && key_length == 0)
		return prov_decode_pipeline_fail(error, "the key is empty");

	current = g_bytes_ref(data);
	for (ProvDecodePipelineEntry *entry = prov_decode_pipeline_probe(self, current);
	     entry != NULL; entry = prov_decode_pipeline_probe(self, current)) {
		g_autoptr(GBytes) output = NULL;
		g_autoptr(GError) error_local = NULL;
		gsize total_max = prov_decode_context_get_total_max(ctx);
		gsize remaining = total_max > produced ? total_max - produced : 0;

		if (last != NULL && entry->stage == last->stage)
			return prov_decode_pipeline_fail(
			    error,
			    "%s data inside %s data: at most one %s "
			    "layer is accepted",
			    entry->format, last->format,
			    prov_decoder_stage_to_string(entry->stage));
		if (last != NULL && entry->stage < last->stage)
			return prov_decode_pipeline_fail(
			    error,
			    "%s data inside %s data: the %s layer must be outside the %s layer "
			    "(compress, then encrypt)",
			    entry->format, last->format, prov_decoder_stage_to_string(entry->stage),
			    prov_decoder_stage_to_string(last->stage));
		if (depth == PROV_DECODE_PIPELINE_MAX_DEPTH)
			return prov_decode_pipeline_fail(error, "more than %u encoding layers",
							 PROV_DECODE_PIPELINE_MAX_DEPTH);
		if (entry->stage == PROV_DECODER_STAGE_ENCRYPTION && !has_key)
			return prov_decode_pipeline_fail(error,
							 "the data is encrypted (%s) but no key "
							 "was given",
							 entry->format);

		prov_decode_context_set_output_max(
		    ctx, MIN(prov_decode_context_get_stage_max(ctx), remaining));
		output = prov_decoder_decode(entry->decoder, current, ctx, &error_local);
		prov_decode_context_set_output_max(ctx, prov_decode_context_get_stage_max(ctx));
		if (output == NULL)
			return prov_decode_pipeline_fail(error, "%s: %s", entry->format,
							 error_local->message);
		produced += g_bytes_get_size(output);
		prov_decode_context_add_format(ctx, entry->format);
		g_debug("%s: %" G_GSIZE_FORMAT " bytes decoded to %" G_GSIZE_FORMAT, entry->format,
			g_bytes_get_size(current), g_bytes_get_size(output));
		if (entry->stage == PROV_DECODER_STAGE_ENCRYPTION)
			decrypted = TRUE;
		g_bytes_unref(current);
		current = g_steal_pointer(&output);
		last = entry;
		depth++;
	}

	/*
	 * reference 8.1: with a key, data that is not encrypted is refused; checked last,
	 * so that compressed data with encrypted data inside is reported as the wrong order
	 */
	if (has_key && !decrypted && last != NULL)
		return prov_decode_pipeline_fail(error,
						 "a key was given but the data is not encrypted "
						 "(it is %s data)",
						 last->format);
	if (has_key && !decrypted)
		return prov_decode_pipeline_fail(error,
						 "a key was given but the data is not encrypted");
	if (!prov_decode_pipeline_is_xml(current)) {
		g_autofree gchar *start = prov_decode_pipeline_describe_start(current);

		return prov_decode_pipeline_fail(
		    error,
		    "unknown format: the data is neither XML nor a known encoding (%" G_GSIZE_FORMAT
		    " bytes%s)",
		    g_bytes_get_size(current), start);
	}
	return g_steal_pointer(&current);
}

/**
 * prov_decode_pipeline_error_to_external:
 * @error: an error from prov_decode_pipeline_decode()
 *
 * What may be said about a decode failure outside the device (syslog,
 * trigger responses, reports): the same for bad padding, a wrong key, bad
 * gzip data or an exceeded cap (R34). The detail of @error stays local.
 *
 * Returns: (transfer full): a %PROV_ERROR_CORRUPT_FILE error reading
 *   %PROV_DECODE_PIPELINE_EXTERNAL_MESSAGE
 *
 * Since: 0.1
 */
GError *
prov_decode_pipeline_error_to_external(const GError *error)
{
	return g_error_new_literal(PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				   PROV_DECODE_PIPELINE_EXTERNAL_MESSAGE);
}

static void
prov_decode_pipeline_finalize(GObject *object)
{
	ProvDecodePipeline *self = PROV_DECODE_PIPELINE(object);

	g_ptr_array_unref(self->entries);
	G_OBJECT_CLASS(prov_decode_pipeline_parent_class)->finalize(object);
}

static void
prov_decode_pipeline_class_init(ProvDecodePipelineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_decode_pipeline_finalize;
}

static void
prov_decode_pipeline_init(ProvDecodePipeline *self)
{
	self->entries =
	    g_ptr_array_new_with_free_func((GDestroyNotify)prov_decode_pipeline_entry_free);
}

/**
 * prov_decode_pipeline_new:
 *
 * Returns: (transfer full): a pipeline without decoders: it accepts XML only
 *
 * Since: 0.1
 */
ProvDecodePipeline *
prov_decode_pipeline_new(void)
{
	return g_object_new(PROV_TYPE_DECODE_PIPELINE, NULL);
}

/**
 * prov_decode_pipeline_new_from_loader:
 * @loader: a #ProvPluginLoader
 *
 * Opens every decoder module not opened yet
 * (prov_plugin_loader_load_all()).
 *
 * Returns: (transfer full): a pipeline with a new instance of every
 *   decoder the loaded plugins registered, in the registry's order
 *
 * Since: 0.1
 */
ProvDecodePipeline *
prov_decode_pipeline_new_from_loader(ProvPluginLoader *loader)
{
	g_autoptr(ProvDecodePipeline) self = prov_decode_pipeline_new();
	const gchar *const *formats;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(loader), NULL);

	/* every decoder is tried: open their modules first, so that the list holds what works */
	prov_plugin_loader_load_all(loader, PROV_PLUGIN_KIND_DECODER);
	formats = prov_plugin_loader_get_names(loader, PROV_PLUGIN_KIND_DECODER);
	for (guint i = 0; formats[i] != NULL; i++) {
		ProvPlugin *plugin =
		    prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_DECODER, formats[i]);
		ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
		g_autoptr(ProvDecoder) decoder = NULL;

		if (!prov_plugin_get_decoder_stage(plugin, formats[i], &stage))
			continue;
		decoder = prov_plugin_loader_create_decoder(loader, formats[i], NULL);
		prov_decode_pipeline_add_decoder(self, formats[i], stage, decoder);
	}
	return g_steal_pointer(&self);
}
