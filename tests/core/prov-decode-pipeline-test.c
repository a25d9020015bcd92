/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-decode-pipeline.h"
#include "prov-error.h"

/*
 * A decoder for each stage, with a magic of its own: "B64:" base64
 * (transfer), "XOR:" xor with the key (encryption), "REV:" reversed
 * (compression), and "GROW:" which ignores the output cap on purpose.
 */
#define PROV_TYPE_TEST_DECODER (prov_test_decoder_get_type())
G_DECLARE_FINAL_TYPE(ProvTestDecoder, prov_test_decoder, PROV, TEST_DECODER, GObject)

struct _ProvTestDecoder {
	GObject parent_instance;
	gchar *magic;
	guint calls;
};

static gboolean
prov_test_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	ProvTestDecoder *self = PROV_TEST_DECODER(decoder);
	gsize length = strlen(self->magic);

	return g_bytes_get_size(data) >= length &&
	       memcmp(g_bytes_get_data(data, NULL), self->magic, length) == 0;
}

static GBytes *
prov_test_decoder_decode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	ProvTestDecoder *self = PROV_TEST_DECODER(decoder);
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	gsize skip = strlen(self->magic);
	gsize output_length = length - skip;
	g_autofree guint8 *output = NULL;

	self->calls++;
	if (g_strcmp0(self->magic, "B64:") == 0) {
		g_autofree gchar *text = g_strndup((const gchar *)bytes + skip, length - skip);

		output = g_base64_decode(text, &output_length);
	} else if (g_strcmp0(self->magic, "XOR:") == 0) {
		gsize key_length = 0;
		const guint8 *key = prov_decode_context_get_key(ctx, &key_length);

		output = g_malloc(output_length);
		for (gsize i = 0; i < output_length; i++)
			output[i] = bytes[skip + i] ^ key[i % key_length];
	} else if (g_strcmp0(self->magic, "REV:") == 0) {
		if (output_length > prov_decode_context_get_output_max(ctx)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
				    prov_decode_context_get_output_max(ctx));
			return NULL;
		}
		output = g_malloc(output_length);
		for (gsize i = 0; i < output_length; i++)
			output[i] = bytes[length - 1 - i];
	} else if (g_strcmp0(self->magic, "GROW:") == 0) {
		output_length = 1000;
		output = (guint8 *)g_strnfill(output_length, '<');
	} else {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, "bad %s data", self->magic);
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&output), output_length);
}

static void
prov_test_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_test_decoder_probe;
	iface->decode = prov_test_decoder_decode;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestDecoder,
			prov_test_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_test_decoder_iface_init))

static void
prov_test_decoder_finalize(GObject *object)
{
	g_free(PROV_TEST_DECODER(object)->magic);
	G_OBJECT_CLASS(prov_test_decoder_parent_class)->finalize(object);
}

static void
prov_test_decoder_class_init(ProvTestDecoderClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = prov_test_decoder_finalize;
}

static void
prov_test_decoder_init(ProvTestDecoder *self)
{
}

static void
prov_test_pipeline_add(ProvDecodePipeline *pipeline,
		       const gchar *format,
		       const gchar *magic,
		       ProvDecoderStage stage)
{
	g_autoptr(ProvTestDecoder) decoder = g_object_new(PROV_TYPE_TEST_DECODER, NULL);

	decoder->magic = g_strdup(magic);
	prov_decode_pipeline_add_decoder(pipeline, format, stage, PROV_DECODER(decoder));
}

/* added out of stage order on purpose: the pipeline sorts them */
static ProvDecodePipeline *
prov_test_pipeline_new(void)
{
	ProvDecodePipeline *pipeline = prov_decode_pipeline_new();

	prov_test_pipeline_add(pipeline, "rev", "REV:", PROV_DECODER_STAGE_COMPRESSION);
	prov_test_pipeline_add(pipeline, "xor", "XOR:", PROV_DECODER_STAGE_ENCRYPTION);
	prov_test_pipeline_add(pipeline, "b64", "B64:", PROV_DECODER_STAGE_TRANSFER);
	prov_test_pipeline_add(pipeline, "grow", "GROW:", PROV_DECODER_STAGE_COMPRESSION);
	prov_test_pipeline_add(pipeline, "broken", "BAD:", PROV_DECODER_STAGE_COMPRESSION);
	return pipeline;
}

static gchar *
prov_test_rev(const gchar *text)
{
	g_autofree gchar *reversed = g_strreverse(g_strdup(text));

	return g_strconcat("REV:", reversed, NULL);
}

static gchar *
prov_test_xor(const gchar *text, gsize length, const gchar *key)
{
	g_autofree gchar *out = g_malloc(length);

	gchar *result;

	for (gsize i = 0; i < length; i++)
		out[i] = text[i] ^ key[i % strlen(key)];
	result = g_strdup_printf("XOR:%.*s", (gint)length, out);
	/* the cases are chosen so that no byte xors to NUL, which would end the string */
	g_assert_cmpuint(strlen(result), ==, length + 4);
	return result;
}

static GBytes *
prov_test_decode(const gchar *data, gsize length, ProvDecodeContext *ctx, GError **error)
{
	g_autoptr(ProvDecodePipeline) pipeline = prov_test_pipeline_new();
	g_autoptr(GBytes) bytes = g_bytes_new(data, length);

	return prov_decode_pipeline_decode(pipeline, bytes, ctx, error);
}

static void
prov_test_assert_decodes(const gchar *data,
			 gsize length,
			 ProvDecodeContext *ctx,
			 const gchar *expected,
			 const gchar *const *formats)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) output = prov_test_decode(data, length, ctx, &error);

	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), expected,
			strlen(expected));
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx), formats);
}

static void
prov_test_assert_fails(const gchar *data,
		       gsize length,
		       ProvDecodeContext *ctx,
		       const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) external = NULL;
	g_autoptr(GBytes) output = prov_test_decode(data, length, ctx, &error);

	g_assert_null(output);
	g_test_message("error: %s", error->message);
	/* R34: one class for every decode failure, with the detail in the message only */
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_nonnull(strstr(error->message, message));
	external = prov_decode_pipeline_error_to_external(error);
	g_assert_error(external, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_cmpstr(external->message, ==, PROV_DECODE_PIPELINE_EXTERNAL_MESSAGE);
}

static void
prov_test_pipeline_plain(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	const gchar *xml[] = {"<flat-profile/>", "\xef\xbb\xbf<a/>", " \r\n\t<a/>",
			      "\xef\xbb\xbf\n <a/>"};
	const gchar *not_xml[] = {"hello", "", "   ", "\xef\xbb\xbf", "\xef\xbb<a/>"};

	for (guint i = 0; i < G_N_ELEMENTS(xml); i++)
		prov_test_assert_decodes(xml[i], strlen(xml[i]), ctx, xml[i],
					 (const gchar *[]){NULL});
	/* reference 8.1: whatever is neither encoded nor XML is a corrupt file */
	for (guint i = 0; i < G_N_ELEMENTS(not_xml); i++)
		prov_test_assert_fails(not_xml[i], strlen(not_xml[i]), ctx, "unknown format");
	prov_test_assert_fails("\x78\x9c\x01\x02", 4, ctx, "starts with 78 9c 01 02");
}

static void
prov_test_pipeline_stages(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autofree gchar *rev = prov_test_rev("<flat-profile/>");
	g_autofree gchar * xor = NULL;
	g_autofree gchar *b64 = NULL;
	g_autofree gchar *encoded = NULL;

	prov_test_assert_decodes(rev, strlen(rev), ctx, "<flat-profile/>",
				 (const gchar *[]){"rev", NULL});

	prov_decode_context_set_key(ctx, "k3y", -1);
	xor = prov_test_xor(rev, strlen(rev), "k3y");
	prov_test_assert_decodes(xor, strlen(xor), ctx, "<flat-profile/>",
				 (const gchar *[]){
				     "xor", "rev", NULL});

	/* three stages, the most there are */
	encoded = g_base64_encode((const guchar *)xor, strlen(xor));
	b64 = g_strconcat("B64:", encoded, NULL);
	prov_test_assert_decodes(b64, strlen(b64), ctx, "<flat-profile/>",
				 (const gchar *[]){"b64", "xor", "rev", NULL});
}

static void
prov_test_pipeline_order(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autofree gchar *inner_xor = prov_test_xor("<a/>", 4, "k3y");
	g_autofree gchar *reversed = prov_test_rev(inner_xor);
	g_autofree gchar *rev = prov_test_rev("<a/>");
	g_autofree gchar *rev_rev = prov_test_rev(rev);
	g_autofree gchar *xor_xor = NULL;

	prov_decode_context_set_key(ctx, "k3y", -1);
	/* R18: encrypted data inside compressed data is the wrong order */
	prov_test_assert_fails(reversed, strlen(reversed), ctx,
			       "xor data inside rev data: the encryption layer must be outside "
			       "the compression layer");
	/* R18: a second layer of the same stage */
	prov_decode_context_set_key(ctx, NULL, 0);
	prov_test_assert_fails(rev_rev, strlen(rev_rev), ctx,
			       "rev data inside rev data: at most one compression layer");
	prov_decode_context_set_key(ctx, "k3y", -1);
	xor_xor = prov_test_xor(inner_xor, strlen(inner_xor), "k3y");
	prov_test_assert_fails(xor_xor, strlen(xor_xor), ctx,
			       "xor data inside xor data: at most one encryption layer");
}

static void
prov_test_pipeline_keys(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autofree gchar * xor = prov_test_xor("<a/>", 4, "k3y");
	g_autofree gchar *rev = prov_test_rev("<a/>");

	/* reference 8.1: encrypted data and no key */
	prov_test_assert_fails(xor, strlen(xor), ctx,
			       "the data is encrypted (xor) but no key was given");
	/* reference 8.1: a key, and data that is not encrypted */
	prov_decode_context_set_key(ctx, "k3y", -1);
	prov_test_assert_fails("<a/>", 4, ctx, "a key was given but the data is not encrypted");
	prov_test_assert_fails(rev, strlen(rev), ctx,
			       "a key was given but the data is not encrypted (it is rev data)");
	/* R31: an empty key is refused, not treated as none */
	prov_decode_context_set_key(ctx, "", 0);
	g_assert_true(prov_decode_context_has_key(ctx));
	prov_test_assert_fails(xor, strlen(xor), ctx, "the key is empty");
}

static void
prov_test_pipeline_caps(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autofree gchar *text = g_strnfill(60, '<');
	g_autofree gchar *rev = prov_test_rev(text);
	g_autofree gchar * xor = prov_test_xor(rev, strlen(rev), "k3y");
	ProvLimits limits;

	prov_limits_init(&limits);
	limits.decoded_max = 100;
	limits.fetch_max = 10;
	prov_decode_context_set_limits(ctx, &limits);
	g_assert_cmpuint(prov_decode_context_get_stage_max(ctx), ==, 100);
	g_assert_cmpuint(prov_decode_context_get_total_max(ctx), ==, 110);

	/* a decoder that ignores the cap is still held to it */
	prov_test_assert_fails("GROW:", 5, ctx,
			       "grow: decoded size exceeds the limit of 100 bytes");
	/* the stages together: xor produces 64 bytes, which leaves rev 46 of the 110 */
	prov_decode_context_set_key(ctx, "k3y", -1);
	prov_test_assert_fails(xor, strlen(xor), ctx,
			       "rev: decoded size exceeds the limit of 46 bytes");
	limits.fetch_max = 100;
	prov_decode_context_set_limits(ctx, &limits);
	prov_test_assert_decodes(xor, strlen(xor), ctx, text,
				 (const gchar *[]){
				     "xor", "rev", NULL});
	/* the context is left with the per-stage cap for the next use */
	g_assert_cmpuint(prov_decode_context_get_output_max(ctx), ==, 100);
}

static void
prov_test_pipeline_decoder_error(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();

	prov_test_assert_fails("BAD:", 4, ctx, "broken: bad BAD: data");
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx), ((const gchar *[]){NULL}));
}

static void
prov_test_pipeline_context(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	gsize length = 99;
	guint iterations = 99;

	g_assert_false(prov_decode_context_has_key(ctx));
	g_assert_null(prov_decode_context_get_key(ctx, &length));
	g_assert_cmpuint(length, ==, 0);
	/* the key is binary-safe and NUL-terminated */
	prov_decode_context_set_key(ctx, "a\0b", 3);
	g_assert_cmpmem(prov_decode_context_get_key(ctx, &length), 4, "a\0b\0", 4);
	g_assert_cmpuint(length, ==, 3);
	prov_decode_context_set_key(ctx, NULL, 0);
	g_assert_false(prov_decode_context_has_key(ctx));

	g_assert_cmpint(prov_decode_context_get_kdf(ctx, &iterations), ==, PROV_RULE_KDF_AUTO);
	g_assert_cmpuint(iterations, ==, 0);
	prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_PBKDF2, 0);
	g_assert_cmpint(prov_decode_context_get_kdf(ctx, &iterations), ==, PROV_RULE_KDF_PBKDF2);
	g_assert_cmpuint(iterations, ==, PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS);
	prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_PBKDF2, 2000);
	g_assert_cmpint(prov_decode_context_get_kdf(ctx, &iterations), ==, PROV_RULE_KDF_PBKDF2);
	g_assert_cmpuint(iterations, ==, 2000);
	prov_decode_context_set_kdf(ctx, PROV_RULE_KDF_MD5, 2000);
	g_assert_cmpint(prov_decode_context_get_kdf(ctx, &iterations), ==, PROV_RULE_KDF_MD5);
	g_assert_cmpuint(iterations, ==, 0);

	g_assert_cmpint(prov_decode_context_get_behaviour(ctx), ==, PROV_BEHAVIOUR_MPP);
	prov_decode_context_set_behaviour(ctx, PROV_BEHAVIOUR_SPA);
	g_assert_cmpint(prov_decode_context_get_behaviour(ctx), ==, PROV_BEHAVIOUR_SPA);

	/* R17 defaults: 4 MiB a stage, plus the 1 MiB fetch cap in total */
	g_assert_cmpuint(prov_decode_context_get_stage_max(ctx), ==, 4 * 1024 * 1024);
	g_assert_cmpuint(prov_decode_context_get_output_max(ctx), ==, 4 * 1024 * 1024);
	g_assert_cmpuint(prov_decode_context_get_total_max(ctx), ==, 5 * 1024 * 1024);
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx), ((const gchar *[]){NULL}));
}

static void
prov_test_pipeline_decoder_lookup(void)
{
	g_autoptr(ProvDecodePipeline) pipeline = prov_test_pipeline_new();

	g_assert_nonnull(prov_decode_pipeline_get_decoder(pipeline, "xor"));
	g_assert_null(prov_decode_pipeline_get_decoder(pipeline, "gzip"));
	g_assert_false(prov_decoder_can_encode(prov_decode_pipeline_get_decoder(pipeline, "rev")));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/decode-pipeline/plain", prov_test_pipeline_plain);
	g_test_add_func("/prov/decode-pipeline/stages", prov_test_pipeline_stages);
	g_test_add_func("/prov/decode-pipeline/order", prov_test_pipeline_order);
	g_test_add_func("/prov/decode-pipeline/keys", prov_test_pipeline_keys);
	g_test_add_func("/prov/decode-pipeline/caps", prov_test_pipeline_caps);
	g_test_add_func("/prov/decode-pipeline/decoder-error", prov_test_pipeline_decoder_error);
	g_test_add_func("/prov/decode-pipeline/context", prov_test_pipeline_context);
	g_test_add_func("/prov/decode-pipeline/decoder-lookup", prov_test_pipeline_decoder_lookup);
	return g_test_run();
}
