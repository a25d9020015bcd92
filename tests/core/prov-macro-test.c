/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-macro-private.h"
#include "prov-test-log.h"

typedef struct {
	ProvMacro *macro;
} Fixture;

typedef struct {
	const gchar *input;
	const gchar *output;
} Vector;

/* the device of reference 3.5 */
static void
fixture_setup(Fixture *fixture, gconstpointer user_data)
{
	fixture->macro = prov_macro_new();
	prov_macro_set_variable(fixture->macro, "MA", "000e08012345");
	prov_macro_set_variable(fixture->macro, "SN", "88012BA01234");
	prov_macro_set_variable(fixture->macro, "PN", "ATA192-MPP");
	prov_macro_set_variable(fixture->macro, "PSN", "192");
	prov_macro_set_variable(fixture->macro, "A", "ABCDEF");
	prov_macro_set_variable(fixture->macro, "B", "Dj6Lmp23Q");
	prov_macro_set_variable(fixture->macro, "SA", "s3cr3t");
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->macro);
	prov_test_log_assert_empty();
}

static void
check_vectors(ProvMacro *macro, const Vector *vectors, gsize n_vectors, ProvMacroFlags flags)
{
	for (gsize i = 0; i < n_vectors; i++) {
		g_autofree gchar *output = prov_macro_expand(macro, vectors[i].input, flags);

		g_test_message("%s", vectors[i].input);
		g_assert_cmpstr(output, ==, vectors[i].output);
	}
}

/* reference 3.5, every row */
static void
test_reference_vectors(Fixture *fixture, gconstpointer user_data)
{
	static const Vector vectors[] = {
	    {"tftp://prov.telco.com/cisco/$B/$MA.cfg",
	     "tftp://prov.telco.com/cisco/Dj6Lmp23Q/000e08012345.cfg"},
	    {"spa$(MAU)config.cfg", "spa000E08012345config.cfg"},
	    {"spa$STRANGE$MAU.cfg", "spa$STRANGE000E08012345.cfg"},
	    {"$$MAU", "$MAU"},
	    {"$(A:2)", "CDEF"},
	    {"$(A:2:3)", "CDE"},
	    {"$(A:9)", ""},
	    {"$(MAU:8:2)", "23"},
	    {"/ata$PSN.cfg", "/ata192.cfg"},
	    {"$MAC", "00:0e:08:01:23:45"},
	    {"$A$B", "ABCDEFDj6Lmp23Q"},
	    {"cost $5", "cost $5"},
	};
	g_autofree gchar *rule = NULL;

	check_vectors(fixture->macro, vectors, G_N_ELEMENTS(vectors), PROV_MACRO_FLAGS_NONE);
	rule = prov_macro_expand_rule(fixture->macro, "[--key $SA] http://x/$SA");
	g_assert_cmpstr(rule, ==, "[--key s3cr3t] http://x/$SA");
}

/* reference 3.2, the DOC rules and every PROPOSED example */
static void
test_syntax_examples(Fixture *fixture, gconstpointer user_data)
{
	static const Vector vectors[] = {
	    {"$MAC", "00:0e:08:01:23:45"},
	    {"$MAU", "000E08012345"},
	    {"$MAcfg", "000e08012345cfg"},
	    {"$PSN.cfg", "192.cfg"},
	    {"$UID1", "4085550001"},
	    {"$SWVERX", "7.4.8aX"},
	    {"$STRANGE", "$STRANGE"},
	    {"$ABC", "ABCDEFBC"},
	    {"$PN_$MA_$SN.xml", "ATA192-MPP_000e08012345_88012BA01234.xml"},
	    {"$SAMPLE", "$SAMPLE"},
	    {"$SA", "$SA"},
	    {"$(SA)", "$(SA)"},
	    {"$(SA:1:2)", "$(SA:1:2)"},
	    {"$(STRANGE)", "$(STRANGE)"},
	    {"cost $5", "cost $5"},
	    {"$ma", "$ma"},
	    {"$(ma)", "$(ma)"},
	    {"$(MAU:4)", "08012345"},
	    {"$(MAU:8:2)", "23"},
	    {"$(A)xyz", "ABCDEFxyz"},
	    {"$(A:0)", "ABCDEF"},
	    {"$(A:6)", ""},
	    {"$(A:5:100)", "F"},
	    {"$(A:0:0)", ""},
	    {"$(A:99999999999999999999999999)", ""},
	    {"$(A:1:99999999999999999999999999)", "BCDEF"},
	    {"$$", "$"},
	    {"$$$$", "$$"},
	    {"$$$A", "$ABCDEF"},
	    {"$", "$"},
	    {"a$", "a$"},
	    {"$ A", "$ A"},
	    {"$-A", "$-A"},
	    {"$(", "$("},
	    {"$()", "$()"},
	    {"$(A", "$(A"},
	    {"$(A:", "$(A:"},
	    {"$(A:)", "$(A:)"},
	    {"$(A::2)", "$(A::2)"},
	    {"$(A:x)", "$(A:x)"},
	    {"$(A:1:)", "$(A:1:)"},
	    {"$(A:1:2:3)", "$(A:1:2:3)"},
	    {"$(A )", "$(A )"},
	    {"$(A$B)", "$(ADj6Lmp23Q)"},
	    {"$(AB)", "$(AB)"},
	    {"$(A-1)", "$(A-1)"},
	    {"$_", "$_"},
	    {"$EXTIP", ""},
	    {"[$(EXTIP)]", "[]"},
	    {"$(EXTIP:3:1)", ""},
	    {"$UID2", ""},
	    {"$UID12x", "x"},
	    {"$UID100", "0"},
	    {"$UID0", "$UID0"},
	    {"$UID", "$UID"},
	    {"$MPWDX", "X"},
	    {"no macros at all", "no macros at all"},
	    {"", ""},
	};

	prov_macro_set_variable(fixture->macro, "UID1", "4085550001");
	prov_macro_set_variable(fixture->macro, "SWVER", "7.4.8a");
	check_vectors(fixture->macro, vectors, G_N_ELEMENTS(vectors), PROV_MACRO_FLAGS_NONE);
}

/* reference 3.2: one level only, so values are inserted verbatim */
static void
test_no_recursion(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *output = NULL;
	g_autofree gchar *secret = NULL;

	prov_macro_set_variable(fixture->macro, "C", "$B $(B) $$ $SA");
	output = prov_macro_expand(fixture->macro, "<$C>", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(output, ==, "<$B $(B) $$ $SA>");

	prov_macro_set_variable(fixture->macro, "SB", "$A");
	secret = prov_macro_expand(fixture->macro, "$SB", PROV_MACRO_FLAGS_SECRETS);
	g_assert_cmpstr(secret, ==, "$A");
}

static void
test_secrets_flag(Fixture *fixture, gconstpointer user_data)
{
	static const Vector plain[] = {
	    {"$SA", "s3cr3t"}, {"$(SA:2)", "cr3t"}, {"$SAMPLE", "s3cr3tMPLE"},
	    {"$SB", ""},       {"$SE", "$SE"},	    {"$MA", "000e08012345"},
	};
	static const Vector redacted[] = {
	    {"$SA", "********"},
	    {"$(SA:2)", "********"},
	    {"$SB", "********"},
	    {"$A", "ABCDEF"},
	};
	g_autofree gchar *unchanged = NULL;

	check_vectors(fixture->macro, plain, G_N_ELEMENTS(plain), PROV_MACRO_FLAGS_SECRETS);
	check_vectors(fixture->macro, redacted, G_N_ELEMENTS(redacted),
		      PROV_MACRO_FLAGS_SECRETS | PROV_MACRO_FLAGS_REDACT);
	/* redaction does not make secrets expand where they may not */
	unchanged = prov_macro_expand(fixture->macro, "$SA", PROV_MACRO_FLAGS_REDACT);
	g_assert_cmpstr(unchanged, ==, "$SA");
}

/* reference 3.2 and 12.10: SA..SD expand only in the argument of --key, --uid, --pwd */
static void
test_rule_secrets(Fixture *fixture, gconstpointer user_data)
{
	static const Vector vectors[] = {
	    {"[--key $SA] http://x/$SA", "[--key s3cr3t] http://x/$SA"},
	    {"[--key $SA ] tftp://x/$MA.cfg", "[--key s3cr3t ] tftp://x/000e08012345.cfg"},
	    {"[ --key   $SA] /x", "[ --key   s3cr3t] /x"},
	    {"[--key \"$SA\"] /x", "[--key \"s3cr3t\"] /x"},
	    {"[--key \"a b $SA\"] /x", "[--key \"a b s3cr3t\"] /x"},
	    {"[--key \"a\\\"$SA\"] /x", "[--key \"a\\\"s3cr3t\"] /x"},
	    {"[--key pre$(SA:0:3)post] /x", "[--key pres3cpost] /x"},
	    {"[--key $SAMPLE] /x", "[--key s3cr3tMPLE] /x"},
	    {"[--uid $SB --pwd $SC] /x", "[--uid user --pwd pass] /x"},
	    {"[--alias a --key $SA --post c] /$SA", "[--alias a --key s3cr3t --post c] /$SA"},
	    {"[--key $A$SA] /x", "[--key ABCDEFs3cr3t] /x"},
	    {"[--key $SA$SB] /x", "[--key s3cr3tuser] /x"},
	    {"[--key x $SA] /x", "[--key x $SA] /x"},
	    {"[--keyx $SA] /x", "[--keyx $SA] /x"},
	    {"[--post $SA] /x", "[--post $SA] /x"},
	    {"[\"--key\" $SA] /x", "[\"--key\" $SA] /x"},
	    {"[--key] $SA", "[--key] $SA"},
	    {"--key $SA", "--key $SA"},
	    {"http://x/[--key $SA]", "http://x/[--key $SA]"},
	    {"/$SA [--key] $SA", "/$SA [--key] $SA"},
	    {"(\"$SA\" eq \"[--key $SA]\")? [--key $SA] /x",
	     "(\"$SA\" eq \"[--key $SA]\")? [--key s3cr3t] /x"},
	    {"( [--key $SA] eq 1 )? /x", "( [--key $SA] eq 1 )? /x"},
	    {"( a = \"$SA\" ; )! [--key $SA] /x", "( a = \"$SA\" ; )! [--key s3cr3t] /x"},
	    {"($A eq 1)?[--key $SA]/a | [--key $SB] /b $SA",
	     "(ABCDEF eq 1)?[--key s3cr3t]/a | [--key user] /b $SA"},
	    {"($SWVER ge 2.0.6(b))? [--key $SA] /a", "( ge 2.0.6(b))? [--key s3cr3t] /a"},
	    {"[--delta --key $SA]http://a/x [--status --key $SB]http://b/y",
	     "[--delta --key s3cr3t]http://a/x [--status --key user]http://b/y"},
	    {"# [--key $SA] /x", "# [--key $SA] /x"},
	    {"  #[--key $SA] /x", "  #[--key $SA] /x"},
	    {"[--key \"$SA] /x", "[--key \"$SA] /x"},
	    {"(\"unterminated [--key $SA] /x", "(\"unterminated [--key $SA] /x"},
	    {"[--key $$SA] /x", "[--key $SA] /x"},
	    {"[--key $(SA)] /x", "[--key s3cr3t] /x"},
	};

	prov_macro_set_variable(fixture->macro, "SB", "user");
	prov_macro_set_variable(fixture->macro, "SC", "pass");
	check_vectors(fixture->macro, vectors, G_N_ELEMENTS(vectors), PROV_MACRO_FLAGS_RULE);
}

static void
test_rule_redacted(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *output =
	    prov_macro_expand(fixture->macro, "[--key $SA --uid $(SA:1)] http://x/$SA/$MA",
			      PROV_MACRO_FLAGS_RULE | PROV_MACRO_FLAGS_REDACT);

	g_assert_cmpstr(output, ==, "[--key ******** --uid ********] http://x/$SA/000e08012345");
}

static void
test_derived(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *mac = NULL;
	g_autofree gchar *explicit_mau = NULL;
	g_autofree gchar *odd = NULL;
	g_autofree gchar *meth = NULL;
	g_autofree gchar *meth_explicit = NULL;
	g_autofree gchar *unset = NULL;

	prov_macro_set_variable(fixture->macro, "MA", "000E08AABBCC");
	mac = prov_macro_expand(fixture->macro, "$MA $MAU $MAC", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(mac, ==, "000E08AABBCC 000E08AABBCC 00:0e:08:aa:bb:cc");

	prov_macro_set_variable(fixture->macro, "MAU", "explicit");
	explicit_mau = prov_macro_expand(fixture->macro, "$MAU $MAC", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(explicit_mau, ==, "explicit 00:0e:08:aa:bb:cc");

	prov_macro_set_variable(fixture->macro, "MAU", NULL);
	prov_macro_set_variable(fixture->macro, "MA", "Not-A-Mac");
	odd = prov_macro_expand(fixture->macro, "$MAU $MAC", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(odd, ==, "NOT-A-MAC not-a-mac");

	prov_macro_set_variable(fixture->macro, "SCHEME", "https");
	meth = prov_macro_expand(fixture->macro, "$METH $SCHEME", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(meth, ==, "https https");
	prov_macro_set_variable(fixture->macro, "METH", "tftp");
	meth_explicit = prov_macro_expand(fixture->macro, "$METH", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(meth_explicit, ==, "tftp");

	prov_macro_set_variable(fixture->macro, "MA", NULL);
	unset = prov_macro_expand(fixture->macro, "<$MA|$MAU|$MAC>", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(unset, ==, "<||>");
}

static void
test_known_names(void)
{
	static const gchar *const known[] = {
	    "A",
	    "P",
	    "SA",
	    "SD",
	    "MA",
	    "MAU",
	    "MAC",
	    "PN",
	    "PSN",
	    "SN",
	    "CCERT",
	    "IP",
	    "EXTIP",
	    "SWVER",
	    "HWVER",
	    "PRVST",
	    "UPGST",
	    "UPGERR",
	    "PRVTMR",
	    "UPGTMR",
	    "REGTMR1",
	    "REGTMR2",
	    "UPGCOND",
	    "SCHEME",
	    "METH",
	    "SERV",
	    "SERVIP",
	    "PORT",
	    "PATH",
	    "ERR",
	    "UID1",
	    "UID99",
	    "ISCUST",
	    "EMS",
	    "MUID",
	    "MPWD",
	    "INCOMINGNAME",
	    "REMOTENUMBER",
	    "DISPLAYNAME1",
	    "AUTHID2",
	    "ORIGTYPE",
	    "AUTHSTATUS",
	};
	static const gchar *const unknown[] = {
	    "",	      "Q",     "SE",  "S",	 "ma",	    "UID",    "UID0", "UID01",
	    "UID100", "GPP_A", "MAX", "REGTMR3", "STRANGE", "AUTHID", "A1",   "SWVERX",
	};

	for (guint i = 0; i < G_N_ELEMENTS(known); i++) {
		g_test_message("%s", known[i]);
		g_assert_true(prov_macro_is_known_name(known[i]));
	}
	for (guint i = 0; i < G_N_ELEMENTS(unknown); i++) {
		g_test_message("%s", unknown[i]);
		g_assert_false(prov_macro_is_known_name(unknown[i]));
	}
	g_assert_true(prov_macro_is_secret_name("SA"));
	g_assert_true(prov_macro_is_secret_name("SD"));
	g_assert_false(prov_macro_is_secret_name("SE"));
	g_assert_false(prov_macro_is_secret_name("A"));
}

static void
test_set_unknown_variable(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *value = NULL;

	g_test_expect_message("ProvMacro", G_LOG_LEVEL_CRITICAL, "*prov_macro_is_known_name*");
	prov_macro_set_variable(fixture->macro, "STRANGE", "x");
	g_test_assert_expected_messages();
	value = prov_macro_expand(fixture->macro, "$STRANGE", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(value, ==, "$STRANGE");
}

static void
test_unset(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *before = prov_macro_expand(fixture->macro, "[$A]", PROV_MACRO_FLAGS_NONE);
	g_autofree gchar *after = NULL;

	g_assert_cmpstr(before, ==, "[ABCDEF]");
	prov_macro_set_variable(fixture->macro, "A", NULL);
	after = prov_macro_expand(fixture->macro, "[$A]", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(after, ==, "[]");
}

static void
test_lookup(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *value = NULL;
	g_autofree gchar *missing = NULL;

	g_assert_cmpstr((value = prov_macro_lookup(fixture->macro, "MAC")), ==,
			"00:0e:08:01:23:45");
	g_assert_null((missing = prov_macro_lookup(fixture->macro, "EXTIP")));
	g_assert_null(prov_macro_lookup(fixture->macro, "STRANGE"));
}

typedef struct {
	const gchar *name;
	const gchar *value;
	guint calls;
	guint destroyed;
} Source;

static gchar *
source_lookup_cb(const gchar *name, gpointer user_data)
{
	Source *source = user_data;

	source->calls++;
	if (g_strcmp0(name, source->name) == 0)
		return g_strdup(source->value);
	return NULL;
}

static void
source_destroy_cb(gpointer user_data)
{
	Source *source = user_data;

	source->destroyed++;
}

/* the hook through which parameters and the device feed the expander lazily */
static void
test_lookup_sources(void)
{
	g_autoptr(ProvMacro) macro = prov_macro_new();
	Source first = {"C", "first", 0, 0};
	Source second = {"C", "second", 0, 0};
	Source device = {"MA", "0011223344AA", 0, 0};
	guint first_id;
	guint second_id;
	g_autofree gchar *both = NULL;
	g_autofree gchar *table = NULL;
	g_autofree gchar *removed = NULL;
	g_autofree gchar *derived = NULL;

	first_id = prov_macro_add_lookup(macro, source_lookup_cb, &first, source_destroy_cb);
	second_id = prov_macro_add_lookup(macro, source_lookup_cb, &second, source_destroy_cb);
	prov_macro_add_lookup(macro, source_lookup_cb, &device, source_destroy_cb);
	g_assert_cmpuint(first_id, !=, second_id);

	both = prov_macro_expand(macro, "$C", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(both, ==, "first");
	g_assert_cmpuint(first.calls, ==, 1);
	g_assert_cmpuint(second.calls, ==, 0);

	prov_macro_set_variable(macro, "C", "table");
	table = prov_macro_expand(macro, "$C", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(table, ==, "table");
	g_assert_cmpuint(first.calls, ==, 1);
	prov_macro_set_variable(macro, "C", NULL);

	prov_macro_remove_lookup(macro, first_id);
	g_assert_cmpuint(first.destroyed, ==, 1);
	removed = prov_macro_expand(macro, "$C", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(removed, ==, "second");

	/* unknown names never reach a source */
	second.calls = 0;
	g_free(prov_macro_expand(macro, "$STRANGE $(FOO)", PROV_MACRO_FLAGS_NONE));
	g_assert_cmpuint(second.calls, ==, 0);

	derived = prov_macro_expand(macro, "$MAC $MAU", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(derived, ==, "00:11:22:33:44:aa 0011223344AA");

	g_clear_object(&macro);
	g_assert_cmpuint(first.destroyed, ==, 1);
	g_assert_cmpuint(second.destroyed, ==, 1);
	g_assert_cmpuint(device.destroyed, ==, 1);
}

static void
test_max_length(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *fits = NULL;
	g_autofree gchar *partial = NULL;
	g_autofree gchar *failed = NULL;
	g_autoptr(GError) error = NULL;

	/* the bound is on the output: the literal `x` counts, the final `y` is copied anyway */
	prov_macro_set_max_length(fixture->macro, 13);
	g_assert_cmpuint(prov_macro_get_max_length(fixture->macro), ==, 13);

	fits = prov_macro_expand_full(fixture->macro, "x$A$Ay", PROV_MACRO_FLAGS_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fits, ==, "xABCDEFABCDEFy");

	partial = prov_macro_expand(fixture->macro, "$A$A$A$$ $B", PROV_MACRO_FLAGS_NONE);
	g_assert_true(prov_test_log_take("ProvMacro: *exceeds 13 bytes*"));
	g_assert_cmpstr(partial, ==, "ABCDEFABCDEF$A$$ $B");

	failed = prov_macro_expand_full(fixture->macro, "$A$A$A", PROV_MACRO_FLAGS_NONE, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_null(failed);
}

/* hostile input: long runs, invalid UTF-8, output stays bounded */
static void
test_hostile(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GString) input = g_string_new(NULL);
	g_autofree gchar *output = NULL;
	g_autofree gchar *utf8 = NULL;
	g_autofree gchar *long_name = NULL;
	g_autofree gchar *run = g_strnfill(100000, 'Z');
	g_autofree gchar *dollar_run = NULL;

	for (guint i = 0; i < 200000; i++)
		g_string_append(input, "$A");
	output = prov_macro_expand(fixture->macro, input->str, PROV_MACRO_FLAGS_RULE);
	g_assert_true(prov_test_log_take("ProvMacro: *exceeds*"));
	g_assert_cmpuint(strlen(output), <=, input->len + PROV_MACRO_DEFAULT_MAX_LENGTH);

	utf8 = prov_macro_expand(fixture->macro, "\xff\xfe$A\xc3(", PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(utf8, ==,
			"\xff\xfe"
			"ABCDEF\xc3(");

	/* a name run longer than any known name: only its known prefix counts */
	g_free(long_name);
	long_name = g_strconcat("$A", run, NULL);
	g_free(output);
	output = prov_macro_expand(fixture->macro, long_name, PROV_MACRO_FLAGS_NONE);
	g_assert_true(g_str_has_prefix(output, "ABCDEF"));
	g_assert_cmpuint(strlen(output), ==, 6 + 100000);

	dollar_run = g_strnfill(100001, '$');
	g_free(output);
	output = prov_macro_expand(fixture->macro, dollar_run, PROV_MACRO_FLAGS_NONE);
	g_assert_cmpuint(strlen(output), ==, 50001);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	g_test_add("/prov/macro/reference-vectors", Fixture, NULL, fixture_setup,
		   test_reference_vectors, fixture_teardown);
	g_test_add("/prov/macro/syntax-examples", Fixture, NULL, fixture_setup,
		   test_syntax_examples, fixture_teardown);
	g_test_add("/prov/macro/no-recursion", Fixture, NULL, fixture_setup, test_no_recursion,
		   fixture_teardown);
	g_test_add("/prov/macro/secrets-flag", Fixture, NULL, fixture_setup, test_secrets_flag,
		   fixture_teardown);
	g_test_add("/prov/macro/rule-secrets", Fixture, NULL, fixture_setup, test_rule_secrets,
		   fixture_teardown);
	g_test_add("/prov/macro/rule-redacted", Fixture, NULL, fixture_setup, test_rule_redacted,
		   fixture_teardown);
	g_test_add("/prov/macro/derived", Fixture, NULL, fixture_setup, test_derived,
		   fixture_teardown);
	g_test_add_func("/prov/macro/known-names", test_known_names);
	g_test_add("/prov/macro/set-unknown-variable", Fixture, NULL, fixture_setup,
		   test_set_unknown_variable, fixture_teardown);
	g_test_add("/prov/macro/unset", Fixture, NULL, fixture_setup, test_unset, fixture_teardown);
	g_test_add("/prov/macro/lookup", Fixture, NULL, fixture_setup, test_lookup,
		   fixture_teardown);
	g_test_add_func("/prov/macro/lookup-sources", test_lookup_sources);
	g_test_add("/prov/macro/max-length", Fixture, NULL, fixture_setup, test_max_length,
		   fixture_teardown);
	g_test_add("/prov/macro/hostile", Fixture, NULL, fixture_setup, test_hostile,
		   fixture_teardown);
	return g_test_run();
}
