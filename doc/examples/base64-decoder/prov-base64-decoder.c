/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "prov-base64-decoder.h"

#include <string.h>

/*
 * ProvBase64Decoder: removes the base64 armour that `openssl enc -a` puts
 * around an encrypted profile (RFC 4648 section 4, lines of 64 characters).
 * It runs in the transfer stage, before decryption.
 */
struct _ProvBase64Decoder {
	GObject parent_instance;
};

static void
prov_base64_decoder_iface_init(ProvDecoderInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvBase64Decoder,
			prov_base64_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_base64_decoder_iface_init))

static gboolean
prov_base64_is_space(guint8 byte)
{
	return byte == '\n' || byte == '\r' || byte == ' ' || byte == '\t';
}

static gboolean
prov_base64_is_alphabet(guint8 byte)
{
	return g_ascii_isalnum(byte) || byte == '+' || byte == '/';
}

/*
 * XML starts with `<`, gzip with 1f 8b and openssl enc with `Salted__`: none
 * of them is base64, so the first 64 bytes decide
 */
static gboolean
prov_base64_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	gsize letters = 0;

	for (gsize i = 0; i < MIN(length, 64); i++) {
		if (prov_base64_is_alphabet(bytes[i]))
			letters++;
		else if (!prov_base64_is_space(bytes[i]) && bytes[i] != '=')
			return FALSE;
	}
	return letters >= 4;
}

static GBytes *
prov_base64_decoder_decode(ProvDecoder *decoder,
			   GBytes *data,
			   ProvDecodeContext *ctx,
			   GError **error)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	g_autofree gchar *text = g_malloc(length + 1);
	gsize letters = 0;
	gsize padding = 0;
	gsize decoded_length = 0;
	guchar *decoded;

	/* g_base64_decode() skips what it does not know; a profile must not be guessed at */
	for (gsize i = 0; i < length; i++) {
		if (prov_base64_is_space(bytes[i]))
			continue;
		if (bytes[i] == '=' && padding < 2) {
			padding++;
		} else if (!prov_base64_is_alphabet(bytes[i]) || padding > 0) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "invalid base64 at byte %" G_GSIZE_FORMAT, i);
			return NULL;
		}
		text[letters++] = (gchar)bytes[i];
	}
	text[letters] = '\0';
	if (letters % 4 != 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, "truncated base64");
		return NULL;
	}
	/* R17: check the cap before the output exists */
	if (letters / 4 * 3 - padding > prov_decode_context_get_output_max(ctx)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
			    prov_decode_context_get_output_max(ctx));
		return NULL;
	}
	decoded = g_base64_decode(text, &decoded_length);
	return g_bytes_new_take(decoded, decoded_length);
}

static GBytes *
prov_base64_decoder_encode(ProvDecoder *decoder,
			   GBytes *data,
			   ProvDecodeContext *ctx,
			   GError **error)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	g_autofree gchar *text = g_base64_encode(bytes, length);
	GString *lines = g_string_sized_new(strlen(text) + strlen(text) / 64 + 1);

	/* openssl enc -a: lines of 64 characters */
	for (gsize i = 0; i < strlen(text); i += 64) {
		g_string_append_len(lines, text + i, MIN(64, (gssize)(strlen(text) - i)));
		g_string_append_c(lines, '\n');
	}
	return g_string_free_to_bytes(lines);
}

static void
prov_base64_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_base64_decoder_probe;
	iface->decode = prov_base64_decoder_decode;
	iface->encode = prov_base64_decoder_encode;
}

static void
prov_base64_decoder_class_init(ProvBase64DecoderClass *klass)
{
}

static void
prov_base64_decoder_init(ProvBase64Decoder *self)
{
}

ProvBase64Decoder *
prov_base64_decoder_new(void)
{
	return g_object_new(PROV_TYPE_BASE64_DECODER, NULL);
}
