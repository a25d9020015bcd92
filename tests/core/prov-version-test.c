/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-error.h"
#include "prov-version-private.h"

static gint
compare(const gchar *a, const gchar *b)
{
	gint result = 0;
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_version_compare_strings(a, b, &result, &error));
	g_assert_no_error(error);
	return result;
}

/* reference 4.4 and 3.3: every version spelling the manuals show */
static void
test_parse_valid(void)
{
	static const gchar *const valid[] = {
	    "1.0.31(b)",
	    "2.0.3(G)",
	    "2.0.3(0412s)",
	    "2.0.6",
	    "2.0.6(b)",
	    "7.4.8a",
	    "1.0.33",
	    "1.0.2",
	    "1.88.1",
	    "7",
	    "4",
	    "1.0",
	    "sip7832.11-3-2MPP0001-609",
	    "sip7832.11-0-1MPP-312",
	    "sip78xx.11-0-1MPP",
	    "sipyyyy.11-3-1MPP-110",
	    "11-1-0MPP-19",
	    "sip7832.11-3-2MPP0001-609.loads",
	    "sip88xx.11-0-0MPP-BN.loads",
	    "11-3-3MSR1",
	};

	for (guint i = 0; i < G_N_ELEMENTS(valid); i++) {
		g_autoptr(ProvVersion) version = NULL;
		g_autoptr(GError) error = NULL;

		g_test_message("%s", valid[i]);
		version = prov_version_new_from_string(valid[i], &error);
		g_assert_no_error(error);
		g_assert_nonnull(version);
	}
}

static void
test_parse_invalid(void)
{
	static const gchar *const invalid[] = {
	    "",
	    "abc",
	    "Installed",
	    "1.",
	    "1..2",
	    ".1",
	    "1.2.3.4",
	    "-1",
	    "+1",
	    "1.2(b",
	    "1.2()",
	    "1.2(b)c",
	    "1.2(b-c)",
	    "2.0.6 ",
	    " 2.0.6",
	    "sip7832",
	    "sip7832.",
	    "sip7832.2.0.6",
	    "11-1",
	    "11-1-",
	    "11-1-0MPP-",
	    "11-1-0MPP-19-2",
	    "11-1-0MPP-1.9",
	    ".loads",
	    "99999999999999999999999",
	    "1.99999999999999999999999",
	    "$SWVER",
	    "\xff",
	};

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(ProvVersion) version = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *escaped = g_strescape(invalid[i], NULL);

		g_test_message("%s", escaped);
		version = prov_version_new_from_string(invalid[i], &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
		g_assert_null(version);
	}
}

/* each pair is older < newer */
static void
test_ordering(void)
{
	static const gchar *const pairs[][2] = {
	    /* reference 4.4 (DOC) */
	    {"sipyyyy.11-2-3MPP-256", "sipyyyy.11-3-1MPP-110"},
	    {"sipyyyy.11-3-2MPP0001-609", "sipyyyy.11-3-2MPP0002-256"},
	    /* PROPOSED: micro is its leading integer, then the rest with digit runs as numbers */
	    {"11-3-1MPP", "11-3-2MPP0001"},
	    {"11-3-2MPP0001", "11-3-2MPP0002"},
	    {"11-3-3MPP", "11-3-3MSR1"},
	    {"11-0-1MPP", "11-0-1MPP-312"},
	    {"11-0-1MPP-99", "11-0-1MPP-312"},
	    {"10-9-9MPP-999", "11-0-0MPP-1"},
	    /* SPA: numbers, then no suffix before any suffix, suffixes naturally */
	    {"1.0.31(b)", "1.0.33"},
	    {"1.0.9", "1.0.33"},
	    {"2.0.6", "2.0.6(b)"},
	    {"2.0.6(b)", "2.0.6(c)"},
	    {"2.0.6(b9)", "2.0.6(b10)"},
	    {"2.0.3(0412s)", "2.0.3(G)"},
	    {"2.0.3(G)", "2.0.3(g)"},
	    {"7.4.8", "7.4.8a"},
	    {"7.4.8a", "7.4.10"},
	    {"6", "7.0.1"},
	    {"1.0", "1.0.1"},
	    {"9.9.9", "10"},
	    {"18446744073709551614", "18446744073709551615"},
	    /* across the two spellings: the numbers decide */
	    {"7.4.8", "11-1-0MPP-19"},
	    {"11-1-0MPP-19", "11.1.1"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_test_message("%s < %s", pairs[i][0], pairs[i][1]);
		g_assert_cmpint(compare(pairs[i][0], pairs[i][1]), <, 0);
		g_assert_cmpint(compare(pairs[i][1], pairs[i][0]), >, 0);
		g_assert_cmpint(compare(pairs[i][0], pairs[i][0]), ==, 0);
	}
}

static void
test_equality(void)
{
	static const gchar *const pairs[][2] = {
	    /* reference 4.4: an integer 7 is version 7.0.0 */
	    {"7", "7.0.0"},
	    {"7.0", "7.0.0"},
	    {"2.0.6(b)", "2.0.6b"},
	    /* the model prefix and `.loads` do not take part in ordering */
	    {"sip7832.11-3-2MPP0001-609", "11-3-2MPP0001-609"},
	    {"sip7832.11-3-2MPP0001-609", "sip8845.11-3-2MPP0001-609.loads"},
	    /* digit runs compare as numbers, so leading zeros do not count */
	    {"11-3-2MPP0001-609", "11-3-2MPP1-0609"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_test_message("%s == %s", pairs[i][0], pairs[i][1]);
		g_assert_cmpint(compare(pairs[i][0], pairs[i][1]), ==, 0);
		g_assert_cmpint(compare(pairs[i][1], pairs[i][0]), ==, 0);
	}
}

static void
test_compare_strings_error(void)
{
	gint result = 42;
	g_autoptr(GError) error = NULL;

	g_assert_false(prov_version_compare_strings("2.0.6", "not-a-version", &result, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_cmpint(result, ==, 42);
}

static void
test_natural(void)
{
	g_assert_cmpint(prov_version_compare_natural("", ""), ==, 0);
	g_assert_cmpint(prov_version_compare_natural("", "a"), <, 0);
	g_assert_cmpint(prov_version_compare_natural("MPP0002", "MPP0001"), >, 0);
	g_assert_cmpint(prov_version_compare_natural("MPP0001", "MPP1"), ==, 0);
	g_assert_cmpint(prov_version_compare_natural("b9", "b10"), <, 0);
	g_assert_cmpint(prov_version_compare_natural("1a", "a"), <, 0);
	g_assert_cmpint(prov_version_compare_natural("MSR", "MPP"), >, 0);
	g_assert_cmpint(prov_version_compare_natural("x123456789012345678901234567890",
						     "x123456789012345678901234567891"),
			<, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/version/parse-valid", test_parse_valid);
	g_test_add_func("/prov/version/parse-invalid", test_parse_invalid);
	g_test_add_func("/prov/version/ordering", test_ordering);
	g_test_add_func("/prov/version/equality", test_equality);
	g_test_add_func("/prov/version/compare-strings-error", test_compare_strings_error);
	g_test_add_func("/prov/version/natural", test_natural);
	return g_test_run();
}
