/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>

#include "prov-aes-decoder.h"
#include "prov-aes-kdf.h"

/* reference 8.3.1: basic.txt, passphrase MyOwnSecret, salt 01..08 */
static const gchar prov_aes_test_basic[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";
static const gchar prov_aes_test_passphrase[] = "MyOwnSecret";
static const guint8 prov_aes_test_salt[] = {1, 2, 3, 4, 5, 6, 7, 8};

static const gchar prov_aes_test_md5_file[] =
    "53616c7465645f5f0102030405060708e47446d3b54fda87c88a92b870ac"
    "0e9744992ea1ab0780720d24fb9ff713c26c494696a4f9be7780170e235b"
    "20ad0ef3302e2bde2e5b8f9cb7b869dd723bf12b";
static const gchar prov_aes_test_sha256_file[] =
    "53616c7465645f5f01020304050607088fb35830653af0356127722b514d"
    "4af4dc4a78bc894fb82b34f7c39a0965960026308a770780325368054383"
    "c72c85758e5c0eae792327990344ff950ec2a07f";

static GBytes *
prov_aes_test_unhex(const gchar *hex)
{
	gsize length = strlen(hex) / 2;
	guint8 *bytes = g_malloc(length);

	for (gsize i = 0; i < length; i++)
		bytes[i] = (guint8)(g_ascii_xdigit_value(hex[2 * i]) * 16 +
				    g_ascii_xdigit_value(hex[2 * i + 1]));
	return g_bytes_new_take(bytes, length);
}

static gchar *
prov_aes_test_hex(const guint8 *bytes, gsize length)
{
	GString *text = g_string_new(NULL);

	for (gsize i = 0; i < length; i++)
		g_string_append_printf(text, "%02X", bytes[i]);
	return g_string_free(text, FALSE);
}

static GBytes *
prov_aes_test_bytes(const gchar *text)
{
	return g_bytes_new(text, strlen(text));
}

static ProvDecodeContext *
prov_aes_test_context(const gchar *key, ProvRuleKdf kdf, guint iterations)
{
	ProvDecodeContext *ctx = prov_decode_context_new();

	prov_decode_context_set_key(ctx, key, -1);
	prov_decode_context_set_kdf(ctx, kdf, iterations);
	return ctx;
}

static GBytes *
prov_aes_test_decode(GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	g_autoptr(ProvAesDecoder) decoder = prov_aes_decoder_new();

	return prov_decoder_decode(PROV_DECODER(decoder), data, ctx, error);
}

static void
prov_aes_test_assert_decodes(GBytes *data, ProvDecodeContext *ctx, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) plain = prov_aes_test_decode(data, ctx, &error);

	g_assert_no_error(error);
	g_assert_nonnull(plain);
	g_assert_cmpmem(g_bytes_get_data(plain, NULL), g_bytes_get_size(plain), expected,
			strlen(expected));
}

static void
prov_aes_test_assert_fails(GBytes *data, ProvDecodeContext *ctx, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) plain = prov_aes_test_decode(data, ctx, &error);

	g_assert_null(plain);
	g_assert_nonnull(error);
	g_test_message("error: %s", error->message);
	g_assert_true(g_error_matches(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE) ||
		      g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED));
	g_assert_nonnull(strstr(error->message, message));
}

static GBytes *
prov_aes_test_encrypt(const gchar *text, const gchar *key, ProvRuleKdf kdf, guint iterations)
{
	g_autoptr(GBytes) plain = prov_aes_test_bytes(text);
	g_autoptr(GError) error = NULL;
	GBytes *encrypted = prov_aes_decoder_encrypt(plain, (const guint8 *)key, strlen(key), kdf,
						     iterations, NULL, &error);

	g_assert_no_error(error);
	return encrypted;
}

static void
prov_aes_test_kdf_vectors(void)
{
	/* reference 8.3.1, the table of key and iv */
	const struct {
		ProvRuleKdf kdf;
		const gchar *key;
		const gchar *iv;
	} vectors[] = {
	    {PROV_RULE_KDF_MD5, "B853255B7ED267718EF0F9C62A7082F3D05B10DCD65CD6F4103667CC7DE3770D",
	     "047EBB1A067B6D74FF0F47669CD76E79"},
	    {PROV_RULE_KDF_SHA256,
	     "4D577F1AAA86DF5A2CC9CBB1A2078800DA4659B4FB9A58826621F7344C211F29",
	     "CF0F544831CB690AC0A7EE61FE05B8CD"},
	    {PROV_RULE_KDF_PBKDF2,
	     "EF9D77B0E96DA963E9AC4F4960B915145874A177D85FAE5F7D5F39B4D028D1E6",
	     "087DE96592CF95A7E25F15736571BFE9"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(vectors); i++) {
		guint8 key_iv[PROV_AES_KEY_IV_LENGTH];
		g_autofree gchar *key = NULL;
		g_autofree gchar *iv = NULL;
		g_autoptr(GError) error = NULL;

		g_assert_true(prov_aes_kdf_derive(
		    vectors[i].kdf, 0, (const guint8 *)prov_aes_test_passphrase,
		    strlen(prov_aes_test_passphrase), prov_aes_test_salt, key_iv, &error));
		g_assert_no_error(error);
		key = prov_aes_test_hex(key_iv, PROV_AES_KEY_LENGTH);
		iv = prov_aes_test_hex(key_iv + PROV_AES_KEY_LENGTH, PROV_AES_IV_LENGTH);
		g_assert_cmpstr(key, ==, vectors[i].key);
		g_assert_cmpstr(iv, ==, vectors[i].iv);
	}
}

static void
prov_aes_test_fixed_files(void)
{
	const struct {
		const gchar *hex;
		ProvRuleKdf kdf;
	} files[] = {
	    {prov_aes_test_md5_file, PROV_RULE_KDF_MD5},
	    {prov_aes_test_sha256_file, PROV_RULE_KDF_SHA256},
	};

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GBytes) file = prov_aes_test_unhex(files[i].hex);
		g_autoptr(ProvDecodeContext) pinned =
		    prov_aes_test_context(prov_aes_test_passphrase, files[i].kdf, 0);
		g_autoptr(ProvDecodeContext) detect =
		    prov_aes_test_context(prov_aes_test_passphrase, PROV_RULE_KDF_AUTO, 0);
		g_autoptr(ProvDecodeContext) other = prov_aes_test_context(
		    prov_aes_test_passphrase,
		    files[i].kdf == PROV_RULE_KDF_MD5 ? PROV_RULE_KDF_SHA256 : PROV_RULE_KDF_MD5,
		    0);

		g_assert_cmpuint(g_bytes_get_size(file), ==, 80);
		prov_aes_test_assert_decodes(file, pinned, prov_aes_test_basic);
		prov_aes_test_assert_decodes(file, detect, prov_aes_test_basic);
		/* either behaviour profile finds either digest; only the order differs */
		prov_decode_context_set_behaviour(detect, PROV_BEHAVIOUR_SPA);
		prov_aes_test_assert_decodes(file, detect, prov_aes_test_basic);
		/* reference 8.3.1: the classic trap, the other digest fails */
		prov_aes_test_assert_fails(file, other, "wrong key or corrupt data");
	}
}

static void
prov_aes_test_encrypt_fixed_salt(void)
{
	const struct {
		const gchar *hex;
		ProvRuleKdf kdf;
	} files[] = {
	    {prov_aes_test_md5_file, PROV_RULE_KDF_MD5},
	    {prov_aes_test_sha256_file, PROV_RULE_KDF_SHA256},
	    {prov_aes_test_md5_file, PROV_RULE_KDF_AUTO},
	};

	/* the encoder writes byte for byte what openssl writes for the same salt */
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GBytes) plain = prov_aes_test_bytes(prov_aes_test_basic);
		g_autoptr(GBytes) expected = prov_aes_test_unhex(files[i].hex);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) encrypted = prov_aes_decoder_encrypt(
		    plain, (const guint8 *)prov_aes_test_passphrase,
		    strlen(prov_aes_test_passphrase), files[i].kdf, 0, prov_aes_test_salt, &error);

		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(encrypted, expected));
	}
}

static void
prov_aes_test_random_salt(void)
{
	g_autoptr(GBytes) first =
	    prov_aes_test_encrypt(prov_aes_test_basic, "a long passphrase", PROV_RULE_KDF_MD5, 0);
	g_autoptr(GBytes) second =
	    prov_aes_test_encrypt(prov_aes_test_basic, "a long passphrase", PROV_RULE_KDF_MD5, 0);
	const guint8 *bytes = g_bytes_get_data(first, NULL);

	g_assert_cmpmem(bytes, 8, "Salted__", 8);
	/* 61 bytes pad to 64 */
	g_assert_cmpuint(g_bytes_get_size(first), ==, 16 + 64);
	g_assert_false(g_bytes_equal(first, second));
}

static void
prov_aes_test_pbkdf2(void)
{
	g_autoptr(GBytes) standard = prov_aes_test_encrypt(prov_aes_test_basic, "a long passphrase",
							   PROV_RULE_KDF_PBKDF2, 0);
	g_autoptr(GBytes) custom = prov_aes_test_encrypt(prov_aes_test_basic, "a long passphrase",
							 PROV_RULE_KDF_PBKDF2, 1234);
	g_autoptr(ProvDecodeContext) detect =
	    prov_aes_test_context("a long passphrase", PROV_RULE_KDF_AUTO, 0);
	g_autoptr(ProvDecodeContext) pinned =
	    prov_aes_test_context("a long passphrase", PROV_RULE_KDF_PBKDF2, 1234);
	g_autoptr(ProvDecodeContext) pinned_default =
	    prov_aes_test_context("a long passphrase", PROV_RULE_KDF_PBKDF2, 0);

	prov_aes_test_assert_decodes(standard, detect, prov_aes_test_basic);
	prov_aes_test_assert_decodes(standard, pinned_default, prov_aes_test_basic);
	/* reference 8.3: other iteration counts are never guessed */
	prov_aes_test_assert_fails(custom, detect, "--kdf pbkdf2:N");
	prov_aes_test_assert_decodes(custom, pinned, prov_aes_test_basic);
	prov_aes_test_assert_fails(custom, pinned_default, "key derivation pbkdf2:10000");
}

static void
prov_aes_test_wrong_key(void)
{
	g_autoptr(GBytes) file = prov_aes_test_unhex(prov_aes_test_md5_file);

	for (guint i = 0; i < 50; i++) {
		g_autofree gchar *key = g_strdup_printf("not the key %u", i);
		g_autoptr(ProvDecodeContext) ctx = prov_aes_test_context(
		    key, i % 2 == 0 ? PROV_RULE_KDF_AUTO : PROV_RULE_KDF_MD5, 0);

		prov_aes_test_assert_fails(file, ctx, "wrong key or corrupt data");
	}
}

static void
prov_aes_test_truncated(void)
{
	g_autoptr(GBytes) file = prov_aes_test_unhex(prov_aes_test_md5_file);
	g_autoptr(ProvDecodeContext) ctx =
	    prov_aes_test_context(prov_aes_test_passphrase, PROV_RULE_KDF_AUTO, 0);
	g_autoptr(GBytes) short_block = g_bytes_new_from_bytes(file, 0, 75);
	g_autoptr(GBytes) one_block_less = g_bytes_new_from_bytes(file, 0, 64);
	g_autoptr(GBytes) header_only = g_bytes_new_from_bytes(file, 0, 16);
	g_autoptr(GBytes) short_header = g_bytes_new_from_bytes(file, 0, 12);

	prov_aes_test_assert_fails(short_block, ctx, "truncated ciphertext");
	prov_aes_test_assert_fails(one_block_less, ctx, "wrong key or corrupt data");
	prov_aes_test_assert_fails(header_only, ctx, "truncated ciphertext");
	prov_aes_test_assert_fails(short_header, ctx, "no openssl enc header");
}

static void
prov_aes_test_no_key(void)
{
	g_autoptr(GBytes) file = prov_aes_test_unhex(prov_aes_test_md5_file);
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(ProvAesDecoder) decoder = prov_aes_decoder_new();
	g_autoptr(GBytes) plain = prov_aes_test_bytes(prov_aes_test_basic);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) encoded = NULL;

	prov_aes_test_assert_fails(file, ctx, "no key");
	encoded = prov_decoder_encode(PROV_DECODER(decoder), plain, ctx, &error);
	g_assert_null(encoded);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
}

static void
prov_aes_test_content_check(void)
{
	const struct {
		const gchar *text;
		gboolean accepted;
	} cases[] = {
	    {"<flat-profile/>", TRUE},
	    {"\xef\xbb\xbf<flat-profile/>", TRUE},
	    {"\xef\xbb\xbf \r\n\t<flat-profile/>", TRUE},
	    {"\x1f\x8b\x08 gzip data follows", TRUE},
	    {"hello", FALSE},
	    {"\xef\xbb<flat-profile/>", FALSE},
	    {"   ", FALSE},
	    {"\x1f", FALSE},
	    {"\x1f\x8a", FALSE},
	    {"", FALSE},
	};
	g_autofree gchar *spaces = g_strnfill(1000, ' ');
	g_autofree gchar *spaced = g_strconcat(spaces, "<flat-profile/>", NULL);
	g_autofree gchar *only_spaces = g_strconcat(spaces, spaces, NULL);

	/* reference 8.3 step 2: only padding and a profile start make a key derivation right */
	for (guint i = 0; i < G_N_ELEMENTS(cases) + 2; i++) {
		const gchar *text = i < G_N_ELEMENTS(cases)    ? cases[i].text
				    : i == G_N_ELEMENTS(cases) ? spaced
							       : only_spaces;
		gboolean accepted =
		    i < G_N_ELEMENTS(cases) ? cases[i].accepted : i == G_N_ELEMENTS(cases);
		g_autoptr(GBytes) file =
		    prov_aes_test_encrypt(text, "a long passphrase", PROV_RULE_KDF_MD5, 0);
		g_autoptr(ProvDecodeContext) ctx =
		    prov_aes_test_context("a long passphrase", PROV_RULE_KDF_AUTO, 0);

		g_test_message("case %u", i);
		if (accepted)
			prov_aes_test_assert_decodes(file, ctx, text);
		else
			prov_aes_test_assert_fails(file, ctx, "wrong key or corrupt data");
	}
}

static void
prov_aes_test_cap(void)
{
	g_autofree gchar *text = g_strnfill(1000, '<');
	g_autoptr(GBytes) file =
	    prov_aes_test_encrypt(text, "a long passphrase", PROV_RULE_KDF_MD5, 0);
	g_autoptr(ProvDecodeContext) ctx =
	    prov_aes_test_context("a long passphrase", PROV_RULE_KDF_AUTO, 0);
	ProvLimits limits;

	prov_limits_init(&limits);
	limits.decoded_max = 1000;
	prov_decode_context_set_limits(ctx, &limits);
	prov_aes_test_assert_decodes(file, ctx, text);
	limits.decoded_max = 999;
	prov_decode_context_set_limits(ctx, &limits);
	prov_aes_test_assert_fails(file, ctx, "decoded size exceeds the limit of 999 bytes");
}

static void
prov_aes_test_probe(void)
{
	g_autoptr(ProvAesDecoder) decoder = prov_aes_decoder_new();
	g_autoptr(GBytes) file = prov_aes_test_unhex(prov_aes_test_md5_file);
	g_autoptr(GBytes) plain = prov_aes_test_bytes(prov_aes_test_basic);
	g_autoptr(GBytes) partial = prov_aes_test_bytes("Salted_");

	g_assert_true(prov_decoder_probe(PROV_DECODER(decoder), file));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), plain));
	g_assert_false(prov_decoder_probe(PROV_DECODER(decoder), partial));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/aes/kdf-vectors", prov_aes_test_kdf_vectors);
	g_test_add_func("/prov/aes/fixed-files", prov_aes_test_fixed_files);
	g_test_add_func("/prov/aes/encrypt-fixed-salt", prov_aes_test_encrypt_fixed_salt);
	g_test_add_func("/prov/aes/random-salt", prov_aes_test_random_salt);
	g_test_add_func("/prov/aes/pbkdf2", prov_aes_test_pbkdf2);
	g_test_add_func("/prov/aes/wrong-key", prov_aes_test_wrong_key);
	g_test_add_func("/prov/aes/truncated", prov_aes_test_truncated);
	g_test_add_func("/prov/aes/no-key", prov_aes_test_no_key);
	g_test_add_func("/prov/aes/content-check", prov_aes_test_content_check);
	g_test_add_func("/prov/aes/cap", prov_aes_test_cap);
	g_test_add_func("/prov/aes/probe", prov_aes_test_probe);
	return g_test_run();
}
