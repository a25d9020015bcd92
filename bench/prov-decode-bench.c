/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * In-process cost of the decode pipeline (bench/README.md): the throughput
 * of gzip and gzip+aes decoding through ProvDecodePipeline for each key
 * derivation, next to bare zlib inflate and bare AES-256-CBC decryption on
 * the same bytes; then the per-file cost of each key derivation, pinned and
 * detected, on a small profile. Best of N runs; MB = 10^6 bytes of decoded
 * output per second. Not a test: numbers depend on the machine.
 *
 *   prov-decode-bench [-n RUNS] LARGE.xml SMALL.xml
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "prov-aes-decoder.h"
#include "prov-aes-kdf.h"
#include "prov-decode-pipeline.h"
#include "prov-plugin-loader.h"

PROV_PLUGIN_DECLARE(gzip);
PROV_PLUGIN_DECLARE(aes);

#define PROV_BENCH_KEY "a benchmark passphrase"

static const struct {
	const gchar *name;
	ProvRuleKdf kdf;
} prov_bench_kdfs[] = {
    {"md5", PROV_RULE_KDF_MD5},
    {"sha256", PROV_RULE_KDF_SHA256},
    {"pbkdf2", PROV_RULE_KDF_PBKDF2},
};

static gdouble
prov_bench_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (gdouble)now.tv_sec + (gdouble)now.tv_nsec / 1e9;
}

static ProvPluginLoader *
prov_bench_loader_new(void)
{
	ProvPluginLoader *loader = prov_plugin_loader_new();

	prov_plugin_loader_add_static(loader, PROV_PLUGIN_DESCRIPTOR(gzip), NULL);
	prov_plugin_loader_add_static(loader, PROV_PLUGIN_DESCRIPTOR(aes), NULL);
	return loader;
}

static ProvDecodeContext *
prov_bench_context(const gchar *key, ProvRuleKdf kdf, gsize size)
{
	ProvDecodeContext *ctx = prov_decode_context_new();
	ProvLimits limits;

	/* the benchmark files are far over the default caps, as [limits] would raise them */
	prov_limits_init(&limits);
	limits.decoded_max = MAX(limits.decoded_max, size + 1);
	limits.fetch_max = MAX(limits.fetch_max, size + 1);
	prov_decode_context_set_limits(ctx, &limits);
	if (key != NULL)
		prov_decode_context_set_key(ctx, key, -1);
	prov_decode_context_set_kdf(ctx, kdf, 0);
	return ctx;
}

static GBytes *
prov_bench_encode(ProvPluginLoader *loader, const gchar *format, GBytes *data, ProvRuleKdf kdf)
{
	g_autoptr(ProvDecoder) decoder = prov_plugin_loader_create_decoder(loader, format, NULL);
	g_autoptr(ProvDecodeContext) ctx = prov_bench_context(PROV_BENCH_KEY, kdf, 0);
	g_autoptr(GError) error = NULL;
	GBytes *encoded = prov_decoder_encode(decoder, data, ctx, &error);

	if (encoded == NULL)
		g_error("encoding with %s: %s", format, error->message);
	return encoded;
}

/* the best of @runs decodes through the pipeline, in seconds */
static gdouble
prov_bench_pipeline(ProvPluginLoader *loader,
		    GBytes *encoded,
		    gsize expected,
		    const gchar *key,
		    ProvRuleKdf kdf,
		    guint runs)
{
	g_autoptr(ProvDecodePipeline) pipeline = prov_decode_pipeline_new_from_loader(loader);
	gdouble best = G_MAXDOUBLE;

	for (guint i = 0; i < runs; i++) {
		g_autoptr(ProvDecodeContext) ctx = prov_bench_context(key, kdf, expected);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) output = NULL;
		gdouble start = prov_bench_now();

		output = prov_decode_pipeline_decode(pipeline, encoded, ctx, &error);
		best = MIN(best, prov_bench_now() - start);
		if (output == NULL)
			g_error("decode: %s", error->message);
		if (g_bytes_get_size(output) != expected)
			g_error("decode: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT,
				g_bytes_get_size(output), expected);
	}
	return best;
}

/* zlib alone, inflating into a buffer of the final size: the floor for gzip */
static gdouble
prov_bench_zlib(GBytes *gz, gsize expected, guint runs)
{
	g_autofree guint8 *output = g_malloc(expected);
	gdouble best = G_MAXDOUBLE;

	for (guint i = 0; i < runs; i++) {
		z_stream stream = {NULL};
		gdouble start = prov_bench_now();

		inflateInit2(&stream, 16 + MAX_WBITS);
		stream.next_in = (Bytef *)g_bytes_get_data(gz, NULL);
		stream.avail_in = (uInt)g_bytes_get_size(gz);
		stream.next_out = output;
		stream.avail_out = (uInt)expected;
		if (inflate(&stream, Z_FINISH) != Z_STREAM_END)
			g_error("zlib: %s", stream.msg);
		inflateEnd(&stream);
		best = MIN(best, prov_bench_now() - start);
	}
	return best;
}

/* AES-256-CBC decryption alone on @length bytes: the floor for the aes stage */
static gdouble
prov_bench_aes(gsize length, guint runs)
{
	guint8 key_iv[PROV_AES_KEY_IV_LENGTH] = {0};
	gnutls_datum_t key = {key_iv, PROV_AES_KEY_LENGTH};
	gnutls_datum_t iv = {key_iv + PROV_AES_KEY_LENGTH, PROV_AES_IV_LENGTH};
	g_autofree guint8 *input = g_malloc0(length);
	g_autofree guint8 *output = g_malloc(length);
	gdouble best = G_MAXDOUBLE;

	for (guint i = 0; i < runs; i++) {
		gnutls_cipher_hd_t cipher = NULL;
		gdouble start = prov_bench_now();

		gnutls_cipher_init(&cipher, GNUTLS_CIPHER_AES_256_CBC, &key, &iv);
		if (gnutls_cipher_decrypt2(cipher, input, length, output, length) < 0)
			g_error("AES-256-CBC decryption failed");
		gnutls_cipher_deinit(cipher);
		best = MIN(best, prov_bench_now() - start);
	}
	return best;
}

/* one derivation, best of @runs */
static gdouble
prov_bench_kdf(ProvRuleKdf kdf, guint runs)
{
	const guint8 salt[PROV_AES_SALT_LENGTH] = {1, 2, 3, 4, 5, 6, 7, 8};
	guint8 key_iv[PROV_AES_KEY_IV_LENGTH];
	gdouble best = G_MAXDOUBLE;

	for (guint i = 0; i < runs; i++) {
		gdouble start = prov_bench_now();

		prov_aes_kdf_derive(kdf, 0, (const guint8 *)PROV_BENCH_KEY, strlen(PROV_BENCH_KEY),
				    salt, key_iv, NULL);
		best = MIN(best, prov_bench_now() - start);
	}
	return best;
}

static GBytes *
prov_bench_read(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;
	gsize length = 0;

	if (!g_file_get_contents(path, &contents, &length, &error))
		g_error("%s", error->message);
	return g_bytes_new_take(contents, length);
}

static void
prov_bench_row(const gchar *what, gsize bytes, gdouble seconds)
{
	g_print("  %-36s %9.2f ms %9.0f MB/s\n", what, seconds * 1000,
		(gdouble)bytes / seconds / 1e6);
}

int
main(int argc, char **argv)
{
	g_autoptr(ProvPluginLoader) loader = prov_bench_loader_new();
	g_autoptr(GBytes) large = NULL;
	g_autoptr(GBytes) small = NULL;
	g_autoptr(GBytes) large_gz = NULL;
	g_autoptr(GBytes) small_gz = NULL;
	guint runs = 10;
	gint first = 1;
	gsize size;

	if (argc > 2 && g_strcmp0(argv[1], "-n") == 0) {
		runs = (guint)MAX(1, atoi(argv[2]));
		first = 3;
	}
	if (argc - first != 2) {
		g_printerr("usage: prov-decode-bench [-n RUNS] LARGE.xml SMALL.xml\n");
		return 2;
	}
	large = prov_bench_read(argv[first]);
	small = prov_bench_read(argv[first + 1]);
	size = g_bytes_get_size(large);
	large_gz = prov_bench_encode(loader, "gzip", large, PROV_RULE_KDF_AUTO);

	g_print("%s: %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT " gzip-compressed (level 9); "
		"best of %u, MB/s of decoded output\n",
		argv[first], size, g_bytes_get_size(large_gz), runs);
	prov_bench_row("zlib inflate alone", size, prov_bench_zlib(large_gz, size, runs));
	/* whole blocks, as in a real file */
	prov_bench_row("AES-256-CBC decrypt alone (gz bytes)", g_bytes_get_size(large_gz),
		       prov_bench_aes(g_bytes_get_size(large_gz) / 16 * 16, runs));
	prov_bench_row("pipeline gzip", size,
		       prov_bench_pipeline(loader, large_gz, size, NULL, PROV_RULE_KDF_AUTO, runs));
	for (guint i = 0; i < G_N_ELEMENTS(prov_bench_kdfs); i++) {
		g_autoptr(GBytes) encrypted =
		    prov_bench_encode(loader, "aes", large_gz, prov_bench_kdfs[i].kdf);
		g_autofree gchar *pinned =
		    g_strdup_printf("pipeline gzip+aes, --kdf %s", prov_bench_kdfs[i].name);
		g_autofree gchar *detected =
		    g_strdup_printf("pipeline gzip+aes, %s detected", prov_bench_kdfs[i].name);

		prov_bench_row(pinned, size,
			       prov_bench_pipeline(loader, encrypted, size, PROV_BENCH_KEY,
						   prov_bench_kdfs[i].kdf, runs));
		prov_bench_row(detected, size,
			       prov_bench_pipeline(loader, encrypted, size, PROV_BENCH_KEY,
						   PROV_RULE_KDF_AUTO, runs));
	}

	size = g_bytes_get_size(small);
	small_gz = prov_bench_encode(loader, "gzip", small, PROV_RULE_KDF_AUTO);
	g_print("\n%s: %" G_GSIZE_FORMAT " bytes, %" G_GSIZE_FORMAT
		" gzip-compressed; per file, best of %u\n",
		argv[first + 1], size, g_bytes_get_size(small_gz), runs);
	for (guint i = 0; i < G_N_ELEMENTS(prov_bench_kdfs); i++)
		g_print("  %-36s %9.3f ms\n",
			prov_bench_kdfs[i].kdf == PROV_RULE_KDF_PBKDF2
			    ? "derive pbkdf2 (10000 iterations)"
			: prov_bench_kdfs[i].kdf == PROV_RULE_KDF_MD5
			    ? "derive md5 (EVP_BytesToKey)"
			    : "derive sha256 (EVP_BytesToKey)",
			prov_bench_kdf(prov_bench_kdfs[i].kdf, runs) * 1000);
	g_print("  %-36s %9.3f ms\n", "decode gzip",
		prov_bench_pipeline(loader, small_gz, size, NULL, PROV_RULE_KDF_AUTO, runs) * 1000);
	for (guint i = 0; i < G_N_ELEMENTS(prov_bench_kdfs); i++) {
		g_autoptr(GBytes) encrypted =
		    prov_bench_encode(loader, "aes", small_gz, prov_bench_kdfs[i].kdf);
		g_autofree gchar *pinned =
		    g_strdup_printf("decode gzip+aes, --kdf %s", prov_bench_kdfs[i].name);
		g_autofree gchar *detected =
		    g_strdup_printf("decode gzip+aes, %s detected", prov_bench_kdfs[i].name);

		g_print("  %-36s %9.3f ms\n", pinned,
			prov_bench_pipeline(loader, encrypted, size, PROV_BENCH_KEY,
					    prov_bench_kdfs[i].kdf, runs) *
			    1000);
		g_print("  %-36s %9.3f ms\n", detected,
			prov_bench_pipeline(loader, encrypted, size, PROV_BENCH_KEY,
					    PROV_RULE_KDF_AUTO, runs) *
			    1000);
	}
	return 0;
}
