/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The real tools against the plugins (R29): files written by `gzip` and
 * `openssl enc` decode, and files the plugins write are read back by
 * `openssl enc -d` and `gzip -d`. Without gzip or openssl the test is
 * skipped (exit 77).
 */

#include "config.h"

#include <glib/gstdio.h>

#include "prov-decode-test-common.h"

#define PROV_INTEROP_KEY "an interop passphrase"

static gchar *prov_interop_dir = NULL;

/* runs a shell command in the scratch directory; the tools' stderr goes to the test log */
static void
prov_interop_sh(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

static void
prov_interop_sh(const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *command = NULL;
	g_autofree gchar *output = NULL;
	g_autofree gchar *errors = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *argv[] = {"/bin/sh", "-ec", NULL, NULL};
	gint status = 0;

	va_start(args, format);
	command = g_strdup_vprintf(format, args);
	va_end(args);
	argv[2] = command;
	g_test_message("$ %s", command);
	g_assert_true(g_spawn_sync(prov_interop_dir, (gchar **)argv, NULL, G_SPAWN_DEFAULT, NULL,
				   NULL, &output, &errors, &status, &error));
	g_assert_no_error(error);
	if (errors != NULL && errors[0] != '\0')
		g_test_message("%s", errors);
	g_assert_true(g_spawn_check_wait_status(status, &error));
	g_assert_no_error(error);
}

static GBytes *
prov_interop_read(const gchar *name)
{
	g_autofree gchar *path = g_build_filename(prov_interop_dir, name, NULL);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;
	gsize length = 0;

	g_assert_true(g_file_get_contents(path, &contents, &length, &error));
	g_assert_no_error(error);
	return g_bytes_new_take(contents, length);
}

static void
prov_interop_write(const gchar *name, GBytes *data)
{
	g_autofree gchar *path = g_build_filename(prov_interop_dir, name, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, g_bytes_get_data(data, NULL),
					  (gssize)g_bytes_get_size(data), &error));
	g_assert_no_error(error);
}

static void
prov_interop_assert_file_is_basic(const gchar *name)
{
	g_autoptr(GBytes) data = prov_interop_read(name);

	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data),
			prov_decode_test_basic, strlen(prov_decode_test_basic));
}

/* openssl enc's spelling of each key derivation */
static const struct {
	const gchar *flags;
	ProvRuleKdf kdf;
	guint iterations;
	gboolean detected;
} prov_interop_kdfs[] = {
    {"-md md5", PROV_RULE_KDF_MD5, 0, TRUE},
    {"-md sha256", PROV_RULE_KDF_SHA256, 0, TRUE},
    /* the default digest of OpenSSL >= 1.1.0, as the seed's S-13 uses it */
    {"", PROV_RULE_KDF_SHA256, 0, TRUE},
    {"-pbkdf2", PROV_RULE_KDF_PBKDF2, 0, TRUE},
    {"-pbkdf2 -iter 10000", PROV_RULE_KDF_PBKDF2, 10000, TRUE},
    /* reference 8.3: other counts are not guessed, the rule names them */
    {"-pbkdf2 -iter 2000", PROV_RULE_KDF_PBKDF2, 2000, FALSE},
};

static void
prov_interop_test_gzip(void)
{
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) gzip9 = NULL;
	g_autoptr(GBytes) members = NULL;
	g_autoptr(GBytes) concatenated = NULL;

	prov_interop_sh("gzip -9 -c basic.txt > basic.txt.gz");
	gzip9 = prov_interop_read("basic.txt.gz");
	prov_decode_test_assert_basic(gzip9, ctx, (const gchar *[]){"gzip", NULL});

	/* gzip of a concatenation, and a concatenation of gzip files (RFC 1952 members) */
	prov_interop_sh("head -c 20 basic.txt > part1; tail -c +21 basic.txt > part2");
	prov_interop_sh("cat part1 part2 | gzip -c > concatenated.gz");
	prov_interop_sh("gzip -c part1 > members.gz; gzip -c part2 >> members.gz");
	concatenated = prov_interop_read("concatenated.gz");
	members = prov_interop_read("members.gz");
	prov_decode_test_assert_basic(concatenated, ctx, (const gchar *[]){"gzip", NULL});
	prov_decode_test_assert_basic(members, ctx, (const gchar *[]){"gzip", NULL});
}

static void
prov_interop_test_openssl(void)
{
	/* each derivation over the plain and the gzip-compressed profile */
	for (guint i = 0; i < G_N_ELEMENTS(prov_interop_kdfs); i++) {
		for (guint compressed = 0; compressed < 2; compressed++) {
			const gchar *in = compressed ? "basic.txt.gz" : "basic.txt";
			const gchar *formats_plain[] = {"aes", NULL};
			const gchar *formats_gzip[] = {"aes", "gzip", NULL};
			const gchar *const *formats = compressed ? formats_gzip : formats_plain;
			g_autoptr(GBytes) file = NULL;
			g_autoptr(ProvDecodeContext) pinned =
			    prov_decode_test_context(PROV_INTEROP_KEY, prov_interop_kdfs[i].kdf,
						     prov_interop_kdfs[i].iterations);
			g_autoptr(ProvDecodeContext) detect =
			    prov_decode_test_context(PROV_INTEROP_KEY, PROV_RULE_KDF_AUTO, 0);

			prov_interop_sh("gzip -9 -n -c basic.txt > basic.txt.gz");
			prov_interop_sh("openssl enc -aes-256-cbc %s -k '%s' -in %s -out enc.cfg",
					prov_interop_kdfs[i].flags, PROV_INTEROP_KEY, in);
			file = prov_interop_read("enc.cfg");
			prov_decode_test_assert_basic(file, pinned, formats);
			if (prov_interop_kdfs[i].detected)
				prov_decode_test_assert_basic(file, detect, formats);
			else
				prov_decode_test_assert_fails(file, detect, "--kdf pbkdf2:N");
		}
	}
}

static void
prov_interop_test_seed(void)
{
	g_autoptr(GBytes) file = NULL;
	g_autoptr(ProvDecodeContext) ctx =
	    prov_decode_test_context("MyOwnSecret", PROV_RULE_KDF_AUTO, 0);

	/* the seed's S-13 step, as written, and the rule [--key MyOwnSecret ] */
	prov_interop_sh("openssl enc -aes-256-cbc -k MyOwnSecret -in basic.txt -out basic.cfg");
	file = prov_interop_read("basic.cfg");
	prov_decode_test_assert_basic(file, ctx, (const gchar *[]){"aes", NULL});
}

static void
prov_interop_test_worked_example(void)
{
	g_autoptr(GBytes) file = NULL;
	g_autoptr(GBytes) expected =
	    prov_decode_test_unhex("53616c7465645f5f0102030405060708e47446d3b54fda87c88a92b870ac"
				   "0e9744992ea1ab0780720d24fb9ff713c26c494696a4f9be7780170e235b"
				   "20ad0ef3302e2bde2e5b8f9cb7b869dd723bf12b");

	/* reference 8.3.1, reproduced with the CLI: the fixed vector is what openssl writes */
	prov_interop_sh("openssl enc -aes-256-cbc -md md5 -k MyOwnSecret -S 0102030405060708 "
			"-in basic.txt -out body.bin");
	prov_interop_sh("{ printf 'Salted__'; printf '\\001\\002\\003\\004\\005\\006\\007\\010'; "
			"cat body.bin; } > example.cfg");
	file = prov_interop_read("example.cfg");
	g_assert_true(g_bytes_equal(file, expected));
}

static void
prov_interop_test_reverse(void)
{
	g_autoptr(GBytes) basic =
	    g_bytes_new_static(prov_decode_test_basic, strlen(prov_decode_test_basic));
	g_autoptr(GBytes) gz = prov_decode_test_encode(basic, TRUE, NULL, 0, 0);

	/* what the plugins write, the tools read */
	prov_interop_write("ours.gz", gz);
	prov_interop_sh("gzip -d -c ours.gz > ours.txt");
	prov_interop_assert_file_is_basic("ours.txt");
	for (guint i = 0; i < G_N_ELEMENTS(prov_interop_kdfs); i++) {
		g_autoptr(GBytes) both =
		    prov_decode_test_encode(basic, TRUE, PROV_INTEROP_KEY, prov_interop_kdfs[i].kdf,
					    prov_interop_kdfs[i].iterations);
		g_autoptr(GBytes) aes_only = prov_decode_test_encode(
		    basic, FALSE, PROV_INTEROP_KEY, prov_interop_kdfs[i].kdf,
		    prov_interop_kdfs[i].iterations);

		prov_interop_write("ours.cfg", both);
		prov_interop_sh("openssl enc -d -aes-256-cbc %s -k '%s' -in ours.cfg | gzip -d > "
				"ours.txt",
				prov_interop_kdfs[i].flags, PROV_INTEROP_KEY);
		prov_interop_assert_file_is_basic("ours.txt");
		prov_interop_write("ours-plain.cfg", aes_only);
		prov_interop_sh("openssl enc -d -aes-256-cbc %s -k '%s' -in ours-plain.cfg -out "
				"ours.txt",
				prov_interop_kdfs[i].flags, PROV_INTEROP_KEY);
		prov_interop_assert_file_is_basic("ours.txt");
	}
	/* the encoder's default derivation is MD5, which every device generation reads */
	{
		g_autoptr(GBytes) file =
		    prov_decode_test_encode(basic, TRUE, PROV_INTEROP_KEY, PROV_RULE_KDF_AUTO, 0);

		prov_interop_write("default.cfg", file);
		prov_interop_sh("openssl enc -d -aes-256-cbc -md md5 -k '%s' -in default.cfg | "
				"gzip -d > ours.txt",
				PROV_INTEROP_KEY);
		prov_interop_assert_file_is_basic("ours.txt");
	}
}

static void
prov_interop_test_errors(void)
{
	g_autoptr(ProvDecodeContext) no_key = prov_decode_context_new();
	g_autoptr(ProvDecodeContext) key =
	    prov_decode_test_context(PROV_INTEROP_KEY, PROV_RULE_KDF_AUTO, 0);
	g_autoptr(ProvDecodeContext) wrong_key =
	    prov_decode_test_context("not the passphrase", PROV_RULE_KDF_AUTO, 0);
	g_autoptr(GBytes) enc = NULL;
	g_autoptr(GBytes) truncated = NULL;
	g_autoptr(GBytes) bad_crc = NULL;
	g_autoptr(GBytes) double_gzip = NULL;
	g_autoptr(GBytes) reversed = NULL;

	prov_interop_sh("gzip -9 -n -c basic.txt > basic.txt.gz");
	prov_interop_sh("openssl enc -aes-256-cbc -k '%s' -in basic.txt.gz -out enc.cfg",
			PROV_INTEROP_KEY);
	enc = prov_interop_read("enc.cfg");
	prov_decode_test_assert_fails(enc, wrong_key, "wrong key or corrupt data");

	prov_interop_sh("head -c -5 enc.cfg > truncated.cfg");
	truncated = prov_interop_read("truncated.cfg");
	prov_decode_test_assert_fails(truncated, key, "truncated ciphertext");

	/* the CRC-32 is the 8th to 5th last byte of the member */
	prov_interop_sh("cp basic.txt.gz bad.gz; size=$(wc -c < bad.gz); "
			"printf '\\377' | dd of=bad.gz bs=1 seek=$((size - 8)) conv=notrunc "
			"2>/dev/null");
	bad_crc = prov_interop_read("bad.gz");
	prov_decode_test_assert_fails(bad_crc, no_key, "CRC-32 mismatch");

	prov_interop_sh("gzip -c basic.txt | gzip -c > double.gz");
	double_gzip = prov_interop_read("double.gz");
	prov_decode_test_assert_fails(double_gzip, no_key, "gzip data inside gzip data");

	/* encrypted first, compressed afterwards: reference 8.1 does not recognise it */
	prov_interop_sh("openssl enc -aes-256-cbc -k '%s' -in basic.txt | gzip -c > reversed.gz",
			PROV_INTEROP_KEY);
	reversed = prov_interop_read("reversed.gz");
	prov_decode_test_assert_fails(reversed, key, "aes data inside gzip data");
	prov_decode_test_assert_fails(enc, no_key, "no key was given");
}

static gboolean
prov_interop_tools_present(void)
{
	const gchar *tools[] = {"gzip", "openssl", "head", "tail", "dd"};

	for (guint i = 0; i < G_N_ELEMENTS(tools); i++) {
		g_autofree gchar *path = g_find_program_in_path(tools[i]);

		if (path == NULL) {
			g_print("SKIP: %s is not installed (tools/install-deps installs it)\n",
				tools[i]);
			return FALSE;
		}
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *basic = NULL;
	gint status;

	g_test_init(&argc, &argv, NULL);
	if (!prov_interop_tools_present())
		return 77;
	prov_interop_dir = g_dir_make_tmp("prov-decode-interop-XXXXXX", &error);
	g_assert_no_error(error);
	basic = g_build_filename(prov_interop_dir, "basic.txt", NULL);
	g_assert_true(g_file_set_contents(basic, prov_decode_test_basic, -1, &error));

	g_test_add_func("/prov/decode-interop/gzip", prov_interop_test_gzip);
	g_test_add_func("/prov/decode-interop/openssl", prov_interop_test_openssl);
	g_test_add_func("/prov/decode-interop/seed", prov_interop_test_seed);
	g_test_add_func("/prov/decode-interop/worked-example", prov_interop_test_worked_example);
	g_test_add_func("/prov/decode-interop/reverse", prov_interop_test_reverse);
	g_test_add_func("/prov/decode-interop/errors", prov_interop_test_errors);
	status = g_test_run();

	{
		g_autoptr(GDir) dir = g_dir_open(prov_interop_dir, 0, NULL);
		const gchar *name;

		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *path = g_build_filename(prov_interop_dir, name, NULL);

			g_unlink(path);
		}
		g_rmdir(prov_interop_dir);
		g_free(prov_interop_dir);
	}
	return status;
}
