/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-macro.h"
#include "prov-rule.h"
#include "prov-test-log.h"

/* the DHCP-learnt server that stands in for a missing host */
#define DEFAULT_HOST "192.0.2.66"

typedef struct {
	ProvMacro *macro;
} Fixture;

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

static ProvRule *
parse(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *escaped = g_strescape(text, NULL);
	ProvRule *rule;

	g_test_message("rule: %s", escaped);
	rule = prov_rule_new_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_nonnull(rule);
	return rule;
}

static ProvRule *
parse_expanded(Fixture *fixture, const gchar *text)
{
	g_autofree gchar *expanded = prov_macro_expand_rule(fixture->macro, text);

	return parse(expanded);
}

static void
check_syntax_error(const gchar *text, const gchar *message)
{
	g_autoptr(ProvRule) rule = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *escaped = g_strescape(text, NULL);

	g_test_message("rule: %s", escaped);
	rule = prov_rule_new_from_string(text, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
	g_assert_null(rule);
	g_assert_cmpstr(error->message, ==, message);
}

static const ProvRuleAlternative *
single(ProvRule *rule)
{
	g_assert_cmpuint(prov_rule_get_n_alternatives(rule), ==, 1);
	return prov_rule_get_alternative(rule, 0);
}

static void
check_url(const ProvRuleAlternative *alternative, const gchar *expected)
{
	g_autofree gchar *url = prov_rule_alternative_build_url(alternative, DEFAULT_HOST);

	g_assert_cmpstr(url, ==, expected);
}

static void
test_empty(void)
{
	static const gchar *const blank[] = {"", " ", "   \t  "};

	for (guint i = 0; i < G_N_ELEMENTS(blank); i++) {
		g_autoptr(ProvRule) rule = parse(blank[i]);
		g_autofree gchar *text = prov_rule_to_string(rule);

		g_assert_true(prov_rule_is_empty(rule));
		g_assert_false(prov_rule_is_commented(rule));
		g_assert_cmpuint(prov_rule_get_n_alternatives(rule), ==, 0);
		g_assert_null(prov_rule_select(rule, NULL));
		g_assert_cmpstr(text, ==, "");
	}
	prov_test_log_assert_empty();
}

/* reference 4.1 and 4.7: `#` as the first non-blank character comments the rule out */
static void
test_commented(void)
{
	static const gchar *const commented[] = {
	    "# http://192.168.1.200/sample.cfg", "#",	      "   #http://x/",
	    "\t# [--key \"unterminated (",	 "#\xff\xfe",
	};

	for (guint i = 0; i < G_N_ELEMENTS(commented); i++) {
		g_autoptr(ProvRule) rule = parse(commented[i]);
		g_autofree gchar *text = prov_rule_to_string(rule);

		g_assert_true(prov_rule_is_empty(rule));
		g_assert_true(prov_rule_is_commented(rule));
		g_assert_cmpuint(prov_rule_get_n_alternatives(rule), ==, 0);
		g_assert_null(prov_rule_select(rule, "1.0.0"));
		g_assert_cmpstr(text, ==, "#");
	}
	prov_test_log_assert_empty();
}

/* reference 4.7, every row, expanded as the engine does */
static void
test_doc_examples(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvRule) get = NULL;
	g_autoptr(ProvRule) registered = NULL;
	g_autoptr(ProvRule) lost = NULL;
	g_autoptr(ProvRule) mpp = NULL;
	g_autoptr(ProvRule) cert = NULL;
	g_autoptr(ProvRule) no_cert = NULL;
	g_autoptr(ProvRule) init = NULL;
	g_autoptr(ProvRule) provisioned = NULL;
	g_autoptr(ProvRule) alias = NULL;
	g_autoptr(ProvRule) key = NULL;
	g_autoptr(ProvRule) commented = NULL;
	const ProvRuleAlternative *alternative;
	const gchar *registration =
	    "($REGTMR1 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?";
	const gchar *ccert = "(\"$CCERT\" eq \"Installed\")? https://p.tel.com/config? | "
			     "https://p.tel.com/config?cisco$MAU";
	const gchar *line = "(\"$A\" ne \"Provisioned\")? (Line_Enable_1_ = \"No\";)! "
			    "https://p.tel.com/init-prov | https://p.tel.com/configs";

	/* unconditional GET */
	get = parse_expanded(fixture, "http://remote.server.com/cisco/$MA.cfg");
	alternative = single(get);
	g_assert_null(prov_rule_alternative_get_condition(alternative));
	g_assert_true(prov_rule_select(get, NULL) == alternative);
	g_assert_cmpstr(prov_rule_alternative_get_scheme(alternative), ==, "http");
	g_assert_cmpstr(prov_rule_alternative_get_host(alternative), ==, "remote.server.com");
	g_assert_cmpuint(prov_rule_alternative_get_port(alternative), ==, 80);
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, "/cisco/000e08012345.cfg");
	check_url(alternative, "http://remote.server.com/cisco/000e08012345.cfg");

	/* registered: GET has-reg.cfg; otherwise POST GPP_A to lost-reg */
	prov_macro_set_variable(fixture->macro, "REGTMR1", "0");
	registered = parse_expanded(fixture, registration);
	g_assert_cmpuint(prov_rule_get_n_alternatives(registered), ==, 2);
	alternative = prov_rule_select(registered, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 0);
	g_assert_cmpint(prov_rule_alternative_get_post(alternative), ==, '\0');
	check_url(alternative, "http://p.tel.com/has-reg.cfg");
	prov_macro_set_variable(fixture->macro, "REGTMR1", "75");
	lost = parse_expanded(fixture, registration);
	alternative = prov_rule_select(lost, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 1);
	g_assert_cmpint(prov_rule_alternative_get_post(alternative), ==, 'a');
	g_assert_cmpstr(prov_rule_alternative_get_query(alternative), ==, "");
	check_url(alternative, "http://p.tel.com/lost-reg?");
	/* the MPP manual's variant of the first condition */
	prov_macro_set_variable(fixture->macro, "PRVTMR", "600");
	mpp = parse_expanded(fixture, "($PRVTMR ge 600)? http://p.tel.com/has-reg.cfg | [--post a] "
				      "http://p.tel.com/lost-reg?");
	g_assert_cmpuint(prov_rule_alternative_get_index(prov_rule_select(mpp, NULL)), ==, 0);

	/* devices without a unique certificate identify themselves by MAC in the query */
	prov_macro_set_variable(fixture->macro, "CCERT", "Installed");
	cert = parse_expanded(fixture, ccert);
	check_url(prov_rule_select(cert, NULL), "https://p.tel.com/config?");
	prov_macro_set_variable(fixture->macro, "CCERT", "Not Installed");
	no_cert = parse_expanded(fixture, ccert);
	alternative = prov_rule_select(no_cert, NULL);
	g_assert_cmpstr(prov_rule_alternative_get_query(alternative), ==, "cisco000E08012345");
	check_url(alternative, "https://p.tel.com/config?cisco000E08012345");

	/* line 1 stays disabled until the init profile sets GPP_A = Provisioned */
	prov_macro_set_variable(fixture->macro, "A", NULL);
	init = parse_expanded(fixture, line);
	alternative = prov_rule_select(init, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 0);
	g_assert_cmpuint(prov_rule_alternative_get_n_assignments(alternative), ==, 1);
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 0), ==,
			"Line_Enable_1_");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 0), ==, "No");
	check_url(alternative, "https://p.tel.com/init-prov");
	prov_macro_set_variable(fixture->macro, "A", "Provisioned");
	provisioned = parse_expanded(fixture, line);
	alternative = prov_rule_select(provisioned, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 1);
	g_assert_cmpuint(prov_rule_alternative_get_n_assignments(alternative), ==, 0);
	check_url(alternative, "https://p.tel.com/configs");

	/* remap element names with the map in GPP_B */
	alias = parse_expanded(fixture, "[--alias b] https://p.tel.com/account/$PN$MA.xml");
	alternative = single(alias);
	g_assert_cmpint(prov_rule_alternative_get_alias(alternative), ==, 'b');
	check_url(alternative, "https://p.tel.com/account/ATA192-MPP000e08012345.xml");

	/* an encrypted profile in a secret directory; scheme-less with a host */
	prov_macro_set_variable(fixture->macro, "A", "ABCDEF");
	key = parse_expanded(fixture, "[--key $A] tftp.callme.com/profile/$B/spa112.cfg");
	alternative = single(key);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "ABCDEF");
	g_assert_cmpstr(prov_rule_alternative_get_scheme(alternative), ==, "tftp");
	g_assert_cmpstr(prov_rule_alternative_get_host(alternative), ==, "tftp.callme.com");
	g_assert_cmpuint(prov_rule_alternative_get_port(alternative), ==, 69);
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==,
			"/profile/Dj6Lmp23Q/spa112.cfg");
	check_url(alternative, "tftp://tftp.callme.com/profile/Dj6Lmp23Q/spa112.cfg");

	/* same as empty */
	commented = parse_expanded(fixture, "# http://192.168.1.200/sample.cfg");
	g_assert_true(prov_rule_is_commented(commented));
	g_assert_null(prov_rule_select(commented, NULL));
}

/* reference 4.1 and 4.2: options, several in one pair of brackets */
static void
test_options(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvRule) spaced = parse("[--key MyOwnSecret ] tftp://192.168.1.200/basic.cfg");
	g_autoptr(ProvRule) quoted = parse("[--key \"SymmetricSecret\" --alias a] http://x.com/p");
	g_autoptr(ProvRule) three =
	    parse("[--alias a --key abracadabra321 --post c] http://x.com/p");
	g_autoptr(ProvRule) post = parse("[--post f ] http://ps.one.com/cpe/resyncs?");
	g_autoptr(ProvRule) hex = parse("[--key a37d2fb9055c1d04883a0745eb0917a4] /x");
	g_autoptr(ProvRule) credentials = parse("[--uid admin --pwd \"se cret\"] http://x.com/");
	g_autoptr(ProvRule) report = parse("[--delta --status --key k] http://x.com/r.xml");
	g_autoptr(ProvRule) none = parse("[] /x");
	g_autoptr(ProvRule) brackets = parse("[--key \"[]|()\"] /x");
	g_autoptr(ProvRule) secret = parse_expanded(fixture, "[--key $SA] http://x/$SA");
	g_autoptr(ProvRule) repeated = parse("[--key first --key second] /x");
	const ProvRuleAlternative *alternative;
	guint iterations = 42;

	alternative = single(spaced);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "MyOwnSecret");
	check_url(alternative, "tftp://192.168.1.200/basic.cfg");

	alternative = single(quoted);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "SymmetricSecret");
	g_assert_cmpint(prov_rule_alternative_get_alias(alternative), ==, 'a');

	alternative = single(three);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "abracadabra321");
	g_assert_cmpint(prov_rule_alternative_get_alias(alternative), ==, 'a');
	g_assert_cmpint(prov_rule_alternative_get_post(alternative), ==, 'c');

	alternative = single(post);
	g_assert_cmpint(prov_rule_alternative_get_post(alternative), ==, 'f');
	g_assert_null(prov_rule_alternative_get_key(alternative));
	g_assert_cmpstr(prov_rule_alternative_get_path_and_query(alternative), ==, "/cpe/resyncs?");

	/* a 32-hex-digit key is still a passphrase, passed on as text */
	alternative = single(hex);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==,
			"a37d2fb9055c1d04883a0745eb0917a4");

	alternative = single(credentials);
	g_assert_cmpstr(prov_rule_alternative_get_uid(alternative), ==, "admin");
	g_assert_cmpstr(prov_rule_alternative_get_pwd(alternative), ==, "se cret");
	g_assert_null(prov_rule_alternative_get_key(alternative));

	alternative = single(report);
	g_assert_true(prov_rule_alternative_get_delta(alternative));
	g_assert_true(prov_rule_alternative_get_status(alternative));
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "k");

	alternative = single(none);
	g_assert_null(prov_rule_alternative_get_key(alternative));
	g_assert_null(prov_rule_alternative_get_uid(alternative));
	g_assert_null(prov_rule_alternative_get_pwd(alternative));
	g_assert_cmpint(prov_rule_alternative_get_post(alternative), ==, '\0');
	g_assert_cmpint(prov_rule_alternative_get_alias(alternative), ==, '\0');
	g_assert_false(prov_rule_alternative_get_delta(alternative));
	g_assert_false(prov_rule_alternative_get_status(alternative));
	g_assert_cmpint(prov_rule_alternative_get_kdf(alternative, &iterations), ==,
			PROV_RULE_KDF_AUTO);
	g_assert_cmpuint(iterations, ==, 0);
	g_assert_null(prov_rule_alternative_get_unknown_options(alternative)[0]);

	/* quoted, `]`, `|` and parentheses belong to the key */
	g_assert_cmpstr(prov_rule_alternative_get_key(single(brackets)), ==, "[]|()");

	/* reference 3.5: the secret reaches --key, not the URL */
	alternative = single(secret);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "s3cr3t");
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, "/$SA");

	g_assert_cmpstr(prov_rule_alternative_get_key(single(repeated)), ==, "second");
}

/* reference 4.2 and 12.18: `\NNN` octal escapes in bare and quoted arguments */
static void
test_octal_escapes(void)
{
	g_autoptr(ProvRule) bare = parse("[--uid ad\\043min --pwd p\\134w\\057d] /x");
	g_autoptr(ProvRule) quoted = parse("[--pwd \"p\\043\\\"q\\\\r\\x y\"] /x");
	g_autoptr(ProvRule) literal = parse("[--pwd a\\b\\12] /x");
	g_autoptr(ProvRule) digits = parse("[--pwd a\\0431 --key \\377\\001] /x");
	g_autoptr(ProvRule) hash = parse("[--key \\043] /x");

	g_assert_cmpstr(prov_rule_alternative_get_uid(single(bare)), ==, "ad#min");
	g_assert_cmpstr(prov_rule_alternative_get_pwd(single(bare)), ==, "p\\w/d");
	g_assert_cmpstr(prov_rule_alternative_get_pwd(single(quoted)), ==, "p#\"q\\rx y");
	/* outside quotes a backslash that starts no octal escape is an ordinary character */
	g_assert_cmpstr(prov_rule_alternative_get_pwd(single(literal)), ==, "a\\b\\12");
	g_assert_cmpstr(prov_rule_alternative_get_pwd(single(digits)), ==, "a#1");
	g_assert_cmpstr(prov_rule_alternative_get_key(single(digits)), ==, "\xff\x01");
	/* an escaped `#` does not comment anything out */
	g_assert_cmpstr(prov_rule_alternative_get_key(single(hash)), ==, "#");
	prov_test_log_assert_empty();
}

/* DESIGN.md: `--kdf md5|sha256|pbkdf2[:ITER]` */
static void
test_kdf(void)
{
	static const struct {
		const gchar *rule;
		ProvRuleKdf kdf;
		guint iterations;
	} cases[] = {
	    {"[--key k --kdf md5] /x", PROV_RULE_KDF_MD5, 0},
	    {"[--kdf sha256 --key k] /x", PROV_RULE_KDF_SHA256, 0},
	    {"[--kdf pbkdf2] /x", PROV_RULE_KDF_PBKDF2, PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS},
	    {"[--kdf pbkdf2:50000] /x", PROV_RULE_KDF_PBKDF2, 50000},
	    {"[--kdf pbkdf2:1] /x", PROV_RULE_KDF_PBKDF2, 1},
	    {"[--kdf \"pbkdf2:10000000\"] /x", PROV_RULE_KDF_PBKDF2, 10000000},
	    {"[--kdf pbkdf2:7 --kdf md5] /x", PROV_RULE_KDF_MD5, 0},
	};
	ProvRuleKdf kdf = PROV_RULE_KDF_LAST;
	guint count = 42;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvRule) rule = parse(cases[i].rule);
		guint iterations = 42;

		g_assert_cmpint(prov_rule_alternative_get_kdf(single(rule), &iterations), ==,
				cases[i].kdf);
		g_assert_cmpuint(iterations, ==, cases[i].iterations);
	}
	/* the same spelling on the provtool command line */
	g_assert_true(prov_rule_kdf_from_string("pbkdf2:123", &kdf, &count, &error));
	g_assert_no_error(error);
	g_assert_cmpint(kdf, ==, PROV_RULE_KDF_PBKDF2);
	g_assert_cmpuint(count, ==, 123);
	g_assert_true(prov_rule_kdf_from_string("sha256", &kdf, NULL, &error));
	g_assert_cmpint(kdf, ==, PROV_RULE_KDF_SHA256);
	/* "auto" is the absence of the option, not a value of it */
	g_assert_false(prov_rule_kdf_from_string("auto", &kdf, &count, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpint(kdf, ==, PROV_RULE_KDF_SHA256);
	g_assert_cmpstr(prov_rule_kdf_to_string(PROV_RULE_KDF_AUTO), ==, "auto");
	g_assert_cmpstr(prov_rule_kdf_to_string(PROV_RULE_KDF_MD5), ==, "md5");
	g_assert_cmpstr(prov_rule_kdf_to_string(PROV_RULE_KDF_SHA256), ==, "sha256");
	g_assert_cmpstr(prov_rule_kdf_to_string(PROV_RULE_KDF_PBKDF2), ==, "pbkdf2");
	g_assert_null(prov_rule_kdf_to_string(PROV_RULE_KDF_LAST));
	prov_test_log_assert_empty();
}

/* reference 4.1: unknown options are ignored with a warning */
static void
test_unknown_options(void)
{
	g_autoptr(ProvRule) rule = parse("[--foo bar \"baz qux\" --key x --bar] /x");
	g_autoptr(ProvRule) typo = parse("[--key=K3YK3YK3Y --alias c] /x");
	const gchar *const *unknown = prov_rule_alternative_get_unknown_options(single(rule));

	g_assert_cmpuint(g_strv_length((gchar **)unknown), ==, 2);
	g_assert_cmpstr(unknown[0], ==, "--foo");
	g_assert_cmpstr(unknown[1], ==, "--bar");
	g_assert_cmpstr(prov_rule_alternative_get_key(single(rule)), ==, "x");
	g_assert_true(
	    prov_test_log_take("ProvRule: rule: ignoring unknown option --foo at column 2"));
	g_assert_true(
	    prov_test_log_take("ProvRule: rule: ignoring unknown option --bar at column 30"));

	/* only the name is kept and logged, never what follows it */
	unknown = prov_rule_alternative_get_unknown_options(single(typo));
	g_assert_cmpstr(unknown[0], ==, "--key");
	g_assert_null(unknown[1]);
	g_assert_null(prov_rule_alternative_get_key(single(typo)));
	g_assert_cmpint(prov_rule_alternative_get_alias(single(typo)), ==, 'c');
	g_assert_true(
	    prov_test_log_take("ProvRule: rule: ignoring unknown option --key at column 2"));
	prov_test_log_assert_empty();
}

/* reference 4.5 */
static void
test_assignments(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvRule) doc =
	    parse_expanded(fixture, "( User_ID_1_ = \"uid$B\" ; GPP_C = \"\" ; d = \"$MA\" ; )!");
	g_autoptr(ProvRule) names = parse("(Phone-UI-User-Mode=\"Yes\";Resync_At__HHmm_ = \"0959\";"
					  " p = \"x\"; q = \"y\"; A = \"z\";)! /x");
	g_autoptr(ProvRule) empty = parse("( )! /x");
	g_autoptr(ProvRule) quoted = parse("( a = \"x;)( y\\\"\" ; )! /z");
	const ProvRuleAlternative *alternative;

	alternative = single(doc);
	g_assert_false(prov_rule_alternative_has_url(alternative));
	g_assert_null(prov_rule_alternative_get_url(alternative));
	g_assert_null(prov_rule_alternative_build_url(alternative, DEFAULT_HOST));
	g_assert_cmpuint(prov_rule_alternative_get_n_assignments(alternative), ==, 3);
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 0), ==,
			"User_ID_1_");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 0), ==,
			"uidDj6Lmp23Q");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 1), ==, "GPP_C");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 1), ==, "");
	/* a lone lower-case letter a..p is a GPP */
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 2), ==, "GPP_D");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 2), ==,
			"000e08012345");

	alternative = single(names);
	g_assert_cmpuint(prov_rule_alternative_get_n_assignments(alternative), ==, 5);
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 0), ==,
			"Phone-UI-User-Mode");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 1), ==,
			"Resync_At__HHmm_");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 1), ==, "0959");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 2), ==, "GPP_P");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 3), ==, "q");
	g_assert_cmpstr(prov_rule_alternative_get_assignment_name(alternative, 4), ==, "A");

	g_assert_cmpuint(prov_rule_alternative_get_n_assignments(single(empty)), ==, 0);

	alternative = single(quoted);
	g_assert_cmpstr(prov_rule_alternative_get_assignment_value(alternative, 0), ==, "x;)( y\"");
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, "/z");
}

typedef struct {
	const gchar *rule;
	const gchar *scheme;
	const gchar *host;
	guint port;
	gboolean port_explicit;
	const gchar *path;
	const gchar *query;
	const gchar *url;
} UrlCase;

/* reference 4.3, every valid example and the PROPOSED forms */
static void
test_urls(void)
{
	static const UrlCase cases[] = {
	    {"/000e08012345.cfg", "tftp", NULL, 69, FALSE, "/000e08012345.cfg", NULL,
	     "tftp://" DEFAULT_HOST "/000e08012345.cfg"},
	    {"/cisco/spa021025.bin", "tftp", NULL, 69, FALSE, "/cisco/spa021025.bin", NULL,
	     "tftp://" DEFAULT_HOST "/cisco/spa021025.bin"},
	    {"192.168.1.130/profiles/init.cfg", "tftp", "192.168.1.130", 69, FALSE,
	     "/profiles/init.cfg", NULL, "tftp://192.168.1.130/profiles/init.cfg"},
	    {"tftp://prov.call.com/cpe/cisco000e08012345.cfg", "tftp", "prov.call.com", 69, FALSE,
	     "/cpe/cisco000e08012345.cfg", NULL, "tftp://prov.call.com/cpe/cisco000e08012345.cfg"},
	    {"http://neptune.speak.net:8080/prov/D/E.cfg", "http", "neptune.speak.net", 8080, TRUE,
	     "/prov/D/E.cfg", NULL, "http://neptune.speak.net:8080/prov/D/E.cfg"},
	    {"https://secure.me.com/profile?Linksys", "https", "secure.me.com", 443, FALSE,
	     "/profile", "Linksys", "https://secure.me.com/profile?Linksys"},
	    {"https://prov.server.com/cgi-bin/reflect.pl?", "https", "prov.server.com", 443, FALSE,
	     "/cgi-bin/reflect.pl", "", "https://prov.server.com/cgi-bin/reflect.pl?"},
	    {"tftp://prov.telco.com:6900/cisco/config/ATA192-MPP.cfg", "tftp", "prov.telco.com",
	     6900, TRUE, "/cisco/config/ATA192-MPP.cfg", NULL,
	     "tftp://prov.telco.com:6900/cisco/config/ATA192-MPP.cfg"},
	    {"http://192.168.1.200/basic.txt", "http", "192.168.1.200", 80, FALSE, "/basic.txt",
	     NULL, "http://192.168.1.200/basic.txt"},
	    {"https://my.server.com/basic.txt", "https", "my.server.com", 443, FALSE, "/basic.txt",
	     NULL, "https://my.server.com/basic.txt"},
	    {"localhost/x.cfg", "tftp", "localhost", 69, FALSE, "/x.cfg", NULL,
	     "tftp://localhost/x.cfg"},
	    {"LocalHost:6969/x.cfg", "tftp", "LocalHost", 6969, TRUE, "/x.cfg", NULL,
	     "tftp://LocalHost:6969/x.cfg"},
	    {"prov.example.com:8069/a/b?c=d&e", "tftp", "prov.example.com", 8069, TRUE, "/a/b",
	     "c=d&e", "tftp://prov.example.com:8069/a/b?c=d&e"},
	    {"tftp://[2001:db8::1]/x.cfg", "tftp", "2001:db8::1", 69, FALSE, "/x.cfg", NULL,
	     "tftp://[2001:db8::1]/x.cfg"},
	    {"http://[::1]:8080/x", "http", "::1", 8080, TRUE, "/x", NULL, "http://[::1]:8080/x"},
	    {"HTTPS://Host.Example/X", "https", "Host.Example", 443, FALSE, "/X", NULL,
	     "https://Host.Example/X"},
	    {"tftp:///basic.txt", "tftp", NULL, 69, FALSE, "/basic.txt", NULL,
	     "tftp://" DEFAULT_HOST "/basic.txt"},
	    {"http://h/a#frag", "http", "h", 80, FALSE, "/a#frag", NULL, "http://h/a#frag"},
	    {"http://h/a?b?c", "http", "h", 80, FALSE, "/a", "b?c", "http://h/a?b?c"},
	    {"http://h_1/x;", "http", "h_1", 80, FALSE, "/x;", NULL, "http://h_1/x;"},
	    {"http://h/%41%20b", "http", "h", 80, FALSE, "/%41%20b", NULL, "http://h/%41%20b"},
	    {"/path/with:colon", "tftp", NULL, 69, FALSE, "/path/with:colon", NULL,
	     "tftp://" DEFAULT_HOST "/path/with:colon"},
	    /* unknown schemes are kept for the engine to fail as unsupported (reference 2.1) */
	    {"gds://", "gds", NULL, 0, FALSE, "", NULL, "gds://" DEFAULT_HOST},
	    {"ftp://host/file", "ftp", "host", 0, FALSE, "/file", NULL, "ftp://host/file"},
	    {"ftp://host:21/file", "ftp", "host", 21, TRUE, "/file", NULL, "ftp://host:21/file"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvRule) rule = parse(cases[i].rule);
		const ProvRuleAlternative *alternative = single(rule);

		g_assert_true(prov_rule_alternative_has_url(alternative));
		g_assert_cmpstr(prov_rule_alternative_get_url(alternative), ==, cases[i].rule);
		g_assert_cmpstr(prov_rule_alternative_get_scheme(alternative), ==, cases[i].scheme);
		g_assert_cmpstr(prov_rule_alternative_get_host(alternative), ==, cases[i].host);
		g_assert_cmpuint(prov_rule_alternative_get_port(alternative), ==, cases[i].port);
		g_assert_cmpint(prov_rule_alternative_has_explicit_port(alternative), ==,
				cases[i].port_explicit);
		g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, cases[i].path);
		g_assert_cmpstr(prov_rule_alternative_get_query(alternative), ==, cases[i].query);
		check_url(alternative, cases[i].url);
	}
	prov_test_log_assert_empty();
}

static void
test_url_errors(void)
{
	g_autofree gchar *long_host = g_strnfill(256, 'h');
	g_autofree gchar *long_url = g_strdup_printf("http://%s/x", long_host);
	static const gchar *const rules[][2] = {
	    {"http://user:pass@host/x",
	     "column 1: user information is not allowed in a URL; use --uid and --pwd"},
	    {"(1 eq 1)? /a | http://user@host/x",
	     "column 16: user information is not allowed in a URL; use --uid and --pwd"},
	    {"gds://u@h",
	     "column 1: user information is not allowed in a URL; use --uid and --pwd"},
	    {"foo/bar.cfg", "column 1: the path must start with '/'"},
	    {"ata$PSN.cfg", "column 1: missing path in the URL"},
	    {"spa.cfg", "column 1: missing path in the URL"},
	    {"http://host", "column 1: missing path in the URL"},
	    {"http://host?x", "column 1: the path must start with '/'"},
	    {"http://host:0/x", "column 1: the port must be a number from 1 to 65535"},
	    {"http://host:65536/x", "column 1: the port must be a number from 1 to 65535"},
	    {"http://host:/x", "column 1: the port must be a number from 1 to 65535"},
	    {"http://host:8a/x", "column 1: the port must be a number from 1 to 65535"},
	    {"http://host:+80/x", "column 1: the port must be a number from 1 to 65535"},
	    {"http://:80/x", "column 1: missing host before the port"},
	    {"http://a:b:c/x", "column 1: an IPv6 address must be in brackets"},
	    {"http://[::1/x", "column 1: missing ']' after the IPv6 address"},
	    {"http://[zz]/x", "column 1: invalid IPv6 address"},
	    {"http://[1.2.3.4]/x", "column 1: invalid IPv6 address"},
	    {"http://[::1]x/x", "column 1: expected ':' after the IPv6 address"},
	    {"http://ho$t/x", "column 1: invalid character in the host name"},
	    {"http://h\x01/x", "column 9: control character in the URL"},
	    {"/a\x7f", "column 3: control character in the URL"},
	    /* where a URL may start, `[` opens the option list: IPv6 hosts need a scheme */
	    {"[2001:db8::1]/x.cfg", "column 2: expected an option such as --key"},
	    {"[--key k] [::1]/x.cfg", "column 11: an alternative has only one option list"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rules); i++)
		check_syntax_error(rules[i][0], rules[i][1]);
	check_syntax_error(long_url, "column 1: host name is too long");
	prov_test_log_assert_empty();
}

/* reference 4.3 and 7.1: the missing server comes from DHCP, or from the requesting host */
static void
test_build_url(void)
{
	g_autoptr(ProvRule) hostless = parse("/ata192.cfg");
	g_autoptr(ProvRule) hosted = parse("http://prov.example.com:8080/x?y");
	g_autoptr(ProvRule) empty_query = parse("https:///cgi?");
	g_autoptr(ProvRule) no_url = parse("(1 eq 1)?");
	g_autofree gchar *dhcp = NULL;
	g_autofree gchar *requester = NULL;
	g_autofree gchar *ipv6 = NULL;
	g_autofree gchar *bracketed = NULL;
	g_autofree gchar *ignored = NULL;
	g_autofree gchar *query = NULL;

	dhcp = prov_rule_alternative_build_url(single(hostless), "192.168.1.200");
	g_assert_cmpstr(dhcp, ==, "tftp://192.168.1.200/ata192.cfg");
	requester = prov_rule_alternative_build_url(single(hostless), "prov.lan");
	g_assert_cmpstr(requester, ==, "tftp://prov.lan/ata192.cfg");
	ipv6 = prov_rule_alternative_build_url(single(hostless), "fe80::1");
	g_assert_cmpstr(ipv6, ==, "tftp://[fe80::1]/ata192.cfg");
	bracketed = prov_rule_alternative_build_url(single(hostless), "[fe80::1]");
	g_assert_cmpstr(bracketed, ==, "tftp://[fe80::1]/ata192.cfg");
	g_assert_null(prov_rule_alternative_build_url(single(hostless), NULL));

	ignored = prov_rule_alternative_build_url(single(hosted), "192.168.1.200");
	g_assert_cmpstr(ignored, ==, "http://prov.example.com:8080/x?y");
	g_assert_cmpstr(prov_rule_alternative_get_path_and_query(single(hosted)), ==, "/x?y");

	query = prov_rule_alternative_build_url(single(empty_query), "h");
	g_assert_cmpstr(query, ==, "https://h/cgi?");

	g_assert_false(prov_rule_alternative_has_url(single(no_url)));
	g_assert_null(prov_rule_alternative_build_url(single(no_url), "h"));
	g_assert_null(prov_rule_alternative_get_scheme(single(no_url)));
	g_assert_null(prov_rule_alternative_get_path(single(no_url)));
	prov_test_log_assert_empty();
}

/* reference 4.1: the first alternative whose condition holds; none is not a failure */
static void
test_select(void)
{
	g_autoptr(ProvRule) second = parse("(1 eq 2)? /a | (2 eq 2)? /b | /c");
	g_autoptr(ProvRule) last = parse("(1 eq 2)? /a | (2 eq 3)? /b | /c");
	g_autoptr(ProvRule) nothing = parse("(1 eq 2)? /a | (2 eq 3)? /b");
	g_autoptr(ProvRule) error = parse("(abc eq 1)? /a | /b");
	g_autoptr(ProvRule) only_condition = parse("(1 eq 1)?");
	g_autoptr(ProvRule) trailing = parse("(1 eq 2)? /a |");
	const ProvRuleAlternative *alternative;

	alternative = prov_rule_select(second, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 1);
	g_assert_true(alternative == prov_rule_get_alternative(second, 1));
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, "/b");
	g_assert_nonnull(prov_rule_alternative_get_condition(alternative));
	g_assert_cmpuint(prov_rule_alternative_get_index(prov_rule_select(last, NULL)), ==, 2);
	g_assert_null(prov_rule_alternative_get_condition(prov_rule_get_alternative(last, 2)));
	g_assert_null(prov_rule_select(nothing, NULL));

	/* reference 4.4: a condition error is a warning and counts as false */
	alternative = prov_rule_select(error, NULL);
	g_assert_cmpstr(prov_rule_alternative_get_path(alternative), ==, "/b");
	g_assert_true(prov_test_log_take("ProvRule: condition error in alternative 1: column 2: "
					 "the left operand is not a version"));

	alternative = prov_rule_select(only_condition, NULL);
	g_assert_nonnull(alternative);
	g_assert_false(prov_rule_alternative_has_url(alternative));

	/* an empty last alternative: "otherwise do nothing" */
	g_assert_cmpuint(prov_rule_get_n_alternatives(trailing), ==, 2);
	alternative = prov_rule_select(trailing, NULL);
	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, 1);
	g_assert_false(prov_rule_alternative_has_url(alternative));
	prov_test_log_assert_empty();
}

/* reference 9.2 */
static void
test_upgrade_rules(Fixture *fixture, gconstpointer user_data)
{
	const gchar *beta =
	    "(\"$F\" ne \"beta-customer\")? http://p.tel.com/firmware/spa021025.bin "
	    "| http://p.tel.com/firmware/spa-beta.bin";
	const gchar *mpp = "($SWVER ne sip7832.11-3-2MPP0001-609)? "
			   "http://ps.tell.com/sw/sip7832.11-3-2MPP0001-609.loads";
	const gchar *spa = "( $SWVER ne 2.0.6 )? http://ps.tell.com/sw/spa021024.bin";
	g_autoptr(ProvRule) plain = parse("http://p.tel.com/firmware/spa021025.bin");
	g_autoptr(ProvRule) loads = parse("tftp://192.168.1.5/image/sip88xx.11-0-0MPP-BN.loads");
	g_autoptr(ProvRule) legacy = parse("(! 1.0.2)? /spa2000/1-00-02/spa.bin");
	g_autoptr(ProvRule) customer = NULL;
	g_autoptr(ProvRule) beta_customer = NULL;
	g_autoptr(ProvRule) current = NULL;
	g_autoptr(ProvRule) older = NULL;
	g_autoptr(ProvRule) spa_current = NULL;
	g_autoptr(ProvRule) spa_other = NULL;

	check_url(single(plain), "http://p.tel.com/firmware/spa021025.bin");
	check_url(single(loads), "tftp://192.168.1.5/image/sip88xx.11-0-0MPP-BN.loads");

	/* the Sipura shorthand: if SWVER != 1.0.2 */
	g_assert_null(prov_rule_select(legacy, "1.0.2"));
	g_assert_nonnull(prov_rule_select(legacy, "1.0.1"));
	check_url(prov_rule_select(legacy, "1.0.3"),
		  "tftp://" DEFAULT_HOST "/spa2000/1-00-02/spa.bin");

	prov_macro_set_variable(fixture->macro, "F", "normal");
	customer = parse_expanded(fixture, beta);
	g_assert_cmpuint(prov_rule_alternative_get_index(prov_rule_select(customer, NULL)), ==, 0);
	prov_macro_set_variable(fixture->macro, "F", "beta-customer");
	beta_customer = parse_expanded(fixture, beta);
	g_assert_cmpuint(prov_rule_alternative_get_index(prov_rule_select(beta_customer, NULL)), ==,
			 1);

	prov_macro_set_variable(fixture->macro, "SWVER", "sip7832.11-3-2MPP0001-609");
	current = parse_expanded(fixture, mpp);
	g_assert_null(prov_rule_select(current, NULL));
	prov_macro_set_variable(fixture->macro, "SWVER", "sip7832.11-3-1MPP0001-609");
	older = parse_expanded(fixture, mpp);
	check_url(prov_rule_select(older, NULL),
		  "http://ps.tell.com/sw/sip7832.11-3-2MPP0001-609.loads");

	prov_macro_set_variable(fixture->macro, "SWVER", "2.0.6");
	spa_current = parse_expanded(fixture, spa);
	g_assert_null(prov_rule_select(spa_current, NULL));
	prov_macro_set_variable(fixture->macro, "SWVER", "2.0.6(b)");
	spa_other = parse_expanded(fixture, spa);
	g_assert_nonnull(prov_rule_select(spa_other, NULL));
}

/* reference 9.1 */
static void
test_report_rules(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvRule) encrypted = NULL;
	g_autoptr(ProvRule) delta = NULL;
	const ProvRuleAlternative *alternative;

	prov_macro_set_variable(fixture->macro, "K", "report-key");
	encrypted = parse_expanded(fixture, "[ --key $K ] tftp://ps.callhome.net/$MA/rep.xml.enc");
	alternative = single(encrypted);
	g_assert_cmpstr(prov_rule_alternative_get_key(alternative), ==, "report-key");
	check_url(alternative, "tftp://ps.callhome.net/000e08012345/rep.xml.enc");

	delta = parse_expanded(fixture,
			       "[ --delta ] http://reportTargetServer/reportPath/$PN_$MA_$SN.xml");
	alternative = single(delta);
	g_assert_true(prov_rule_alternative_get_delta(alternative));
	check_url(alternative,
		  "http://reportTargetServer/reportPath/ATA192-MPP_000e08012345_88012BA01234.xml");
}

/* reference 4.1: whitespace may appear between all tokens, or not at all */
static void
test_whitespace(void)
{
	static const gchar *const rules[] = {
	    "  ( 1 eq 1 )  ?  ( a = \"b\" ; )  !  [ --key  x ]  /x  |  /y  ",
	    "(1 eq 1)?(a=\"b\";)![--key x]/x|/y",
	    "\t(\t1\teq\t1\t)\t?\t(\ta\t=\t\"b\"\t;\t)\t!\t[\t--key\tx\t]\t/x\t|\t/y\t",
	    "(1 eq 1)?\n( a = \"b\" ; )!\r\n[--key x]\n/x\n|\n/y",
	};

	for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
		g_autoptr(ProvRule) rule = parse(rules[i]);
		const ProvRuleAlternative *first = NULL;
		g_autofree gchar *text = NULL;

		g_assert_cmpuint(prov_rule_get_n_alternatives(rule), ==, 2);
		first = prov_rule_get_alternative(rule, 0);
		g_assert_nonnull(prov_rule_alternative_get_condition(first));
		g_assert_cmpstr(prov_rule_alternative_get_assignment_name(first, 0), ==, "GPP_A");
		g_assert_cmpstr(prov_rule_alternative_get_assignment_value(first, 0), ==, "b");
		g_assert_cmpstr(prov_rule_alternative_get_key(first), ==, "x");
		g_assert_cmpstr(prov_rule_alternative_get_path(first), ==, "/x");
		g_assert_cmpstr(prov_rule_alternative_get_path(prov_rule_get_alternative(rule, 1)),
				==, "/y");
		text = prov_rule_to_string(rule);
		g_assert_cmpstr(text, ==, "(1 eq 1)? ( GPP_A = \"b\"; )! [--key ********] /x | /y");
	}
	prov_test_log_assert_empty();
}

static void
test_syntax_errors(void)
{
	static const gchar *const rules[][2] = {
	    {"(1 eq 1 http://x/", "column 1: missing ')'"},
	    {"((1 eq 1)? /x", "column 1: missing ')'"},
	    {"(1 eq 1) http://x/", "column 10: expected '?' or '!' after ')'"},
	    {"(1 eq 1)", "column 9: expected '?' or '!' after ')'"},
	    {"(1 eq 1)?? /x", "column 10: the path must start with '/'"},
	    {"[--key x http://x/", "column 10: expected an option such as --key"},
	    {"[--key x", "column 1: missing ']'"},
	    {"(\"abc eq 1)? /x", "column 2: unterminated quoted string"},
	    {"[--key \"abc] /x", "column 8: unterminated quoted string"},
	    {"[--foo \"abc] /x", "column 8: unterminated quoted string"},
	    {"( a = \"x\" )! /x", "column 11: expected ';' after the value"},
	    {"( a = x ; )! /x", "column 7: expected a quoted value"},
	    {"( = \"x\" ; )! /x", "column 3: expected a parameter name"},
	    {"( 1a = \"x\" ; )! /x", "column 3: expected a parameter name"},
	    {"( a \"x\" ; )! /x", "column 5: expected '=' after the parameter name"},
	    {"( a = \"x\" ; b )! /x", "column 15: expected '=' after the parameter name"},
	    {"( a = \"\\000\" ; )! /x", "column 8: octal escape \\000 is not allowed"},
	    {"http://a/ | http://b/", "column 1: only the last alternative may have no condition"},
	    {"(1 eq 1)? /a | /b | /c",
	     "column 16: only the last alternative may have no condition"},
	    {"| /x", "column 1: only the last alternative may have no condition"},
	    {"(1 eq 1)? /x ||", "column 15: only the last alternative may have no condition"},
	    {"(1 eq 1)? (2 eq 2)? /x", "column 11: an alternative has only one condition"},
	    {"( a = \"1\"; )! (1 eq 1)? /x",
	     "column 15: the condition must come before the assignments"},
	    {"( a = \"1\"; )! ( b = \"2\"; )! /x",
	     "column 15: an alternative has only one assignment list"},
	    {"[--key x] [--alias a] /x", "column 11: an alternative has only one option list"},
	    {"[--key x] (1 eq 1)? /x",
	     "column 11: a condition or an assignment list must come before the options"},
	    {"/x /y", "column 4: expected '|' or the end of the rule after the URL"},
	    {"/x [--key y]", "column 4: expected '|' or the end of the rule after the URL"},
	    {"/x (1 eq 1)?", "column 4: expected '|' or the end of the rule after the URL"},
	    {"[key x] /x", "column 2: expected an option such as --key"},
	    {"[\"--key\" x] /x", "column 2: expected an option such as --key"},
	    {"[-- x] /x", "column 2: expected an option such as --key"},
	    {"[--key] /x", "column 7: option --key needs an argument"},
	    {"[--key ] /x", "column 8: option --key needs an argument"},
	    {"[--key", "column 7: option --key needs an argument"},
	    {"[--uid] /x", "column 7: option --uid needs an argument"},
	    {"[--pwd   ]", "column 10: option --pwd needs an argument"},
	    {"[--key \"\"] /x", "column 8: option --key needs a non-empty passphrase"},
	    {"[--key \\000] /x", "column 8: octal escape \\000 is not allowed"},
	    {"[--key \\400] /x", "column 8: octal escape is out of range"},
	    {"[--key \"a\\777\"] /x", "column 10: octal escape is out of range"},
	    {"[--post q] /x", "column 9: option --post needs a letter from a to p"},
	    {"[--post ab] /x", "column 9: option --post needs a letter from a to p"},
	    {"[--post A] /x", "column 9: option --post needs a letter from a to p"},
	    {"[--alias] /x", "column 9: option --alias needs an argument"},
	    {"[--alias \"\"] /x", "column 10: option --alias needs a letter from a to p"},
	    {"[--kdf sha1] /x", "column 8: option --kdf: the key derivation must be md5, sha256, "
				"pbkdf2 or pbkdf2:ITER"},
	    {"[--kdf MD5] /x", "column 8: option --kdf: the key derivation must be md5, sha256, "
			       "pbkdf2 or pbkdf2:ITER"},
	    {"[--kdf pbkdf2:0] /x", "column 8: option --kdf: the pbkdf2 iteration count must be a "
				    "number from 1 to 10000000"},
	    {"[--kdf pbkdf2:] /x", "column 8: option --kdf: the pbkdf2 iteration count must be a "
				   "number from 1 to 10000000"},
	    {"[--kdf pbkdf2:10000001] /x", "column 8: option --kdf: the pbkdf2 iteration count "
					   "must be a number from 1 to 10000000"},
	    {"[--kdf pbkdf2:+5] /x", "column 8: option --kdf: the pbkdf2 iteration count must be a "
				     "number from 1 to 10000000"},
	    {"(1 eq)? /x", "column 6: expected an operand"},
	    {"( 1 eq 1 or 2 eq 2 )? /x", "column 10: expected 'and'"},
	    {"()? /x", "column 2: expected a comparison"},
	    {"/a | (1 eq 1)? /b", "column 1: only the last alternative may have no condition"},
	    {"http://x/\xff", "column 10: invalid UTF-8"},
	    {"[--key \"\xc3\x28\"] /x", "column 9: invalid UTF-8"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(rules); i++)
		check_syntax_error(rules[i][0], rules[i][1]);
	/* the unknown option before the unterminated string was warned about first */
	g_assert_true(
	    prov_test_log_take("ProvRule: rule: ignoring unknown option --foo at column 2"));
	prov_test_log_assert_empty();
}

/* a passphrase or password must not reach an error message, a log line or a printed rule */
static void
test_secrets_not_leaked(void)
{
	static const gchar *const failing[] = {
	    "[--key K3YK3YK3Y --uid K3YK3YK3Y --pwd \"K3YK3YK3Y\"] http://x/ /y",
	    "[--key K3YK3YK3Y --post K3YK3YK3Y] /x",
	    "[--kdf K3YK3YK3Y] /x",
	    "[--alias K3YK3YK3Y] /x",
	    "[--key \"K3YK3YK3Y] /x",
	    "http://K3YK3YK3Y@h/x",
	    "http://h:K3YK3YK3Y/x",
	    "[--key K3YK3YK3Y\\777] /x",
	    "(K3YK3YK3Y K3YK3YK3Y)? /x",
	};
	static const gchar *const parsing[] = {
	    "[--key=K3YK3YK3Y] /x",
	    "[--bogus K3YK3YK3Y --key K3YK3YK3Y --uid K3YK3YK3Y --pwd K3YK3YK3Y] /x",
	    "(NotAVersion eq 1)? [--key K3YK3YK3Y] /x | /y",
	};

	for (guint i = 0; i < G_N_ELEMENTS(failing); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ProvRule) rule = prov_rule_new_from_string(failing[i], &error);

		g_assert_null(rule);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
		g_test_message("%s", error->message);
		g_assert_null(strstr(error->message, "K3Y"));
	}
	for (guint i = 0; i < G_N_ELEMENTS(parsing); i++) {
		g_autoptr(ProvRule) rule = parse(parsing[i]);
		g_autofree gchar *text = prov_rule_to_string(rule);
		const gchar *const *unknown = NULL;

		prov_rule_select(rule, NULL);
		g_assert_null(strstr(text, "K3Y"));
		unknown =
		    prov_rule_alternative_get_unknown_options(prov_rule_get_alternative(rule, 0));
		for (guint j = 0; unknown[j] != NULL; j++)
			g_assert_null(strstr(unknown[j], "K3Y"));
	}
	g_assert_cmpuint(prov_test_log_count(), ==, 3);
	for (guint i = 0; i < prov_test_log_count(); i++) {
		const gchar *message = g_ptr_array_index(prov_test_log_messages, i);

		g_assert_null(strstr(message, "K3Y"));
	}
	g_assert_true(prov_test_log_take("*unknown option --key at column 2"));
	g_assert_true(prov_test_log_take("*unknown option --bogus at column 2"));
	g_assert_true(prov_test_log_take("*condition error in alternative 1: column 2: *"));
	prov_test_log_assert_empty();
}

/* printed rules hide credentials, and parse back to the same text */
static void
test_to_string(void)
{
	static const gchar *const pairs[][2] = {
	    {"http://remote.server.com/cisco/000e08012345.cfg",
	     "http://remote.server.com/cisco/000e08012345.cfg"},
	    {"(0 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?",
	     "(0 eq 0)? http://p.tel.com/has-reg.cfg | [--post a] http://p.tel.com/lost-reg?"},
	    {"( \"Installed\" = \"Installed\" )? ( Line_Enable_1_ = \"No\";d=\"x\\\"y\";)! "
	     "[ --key  \"k\" --alias b --kdf pbkdf2 --bogus ] https://p/x",
	     "(\"Installed\" eq \"Installed\")? ( Line_Enable_1_ = \"No\"; GPP_D = \"x\\\"y\"; )! "
	     "[--key ******** --alias b --kdf pbkdf2:10000] https://p/x"},
	    {"(! 1.0.2)? /spa.bin", "(ne 1.0.2)? /spa.bin"},
	    {"(1 eq 1)? | ", "(1 eq 1)? | "},
	    {"  #  anything", "#"},
	    {"", ""},
	    {"[--uid u --pwd \"\" --delta --status --kdf md5] /r",
	     "[--uid ******** --pwd ******** --delta --status --kdf md5] /r"},
	    {"( )! /x", "( )! /x"},
	    {"[] /x", "[] /x"},
	    {"( a = \"\\377\" ; b = \"\xc3\xa9\"; )! /x",
	     "( GPP_A = \"\\377\"; GPP_B = \"\xc3\xa9\"; )! /x"},
	    {"(2.0.6(b) lt 7.4.8a)? (a = \"\\001\\043\";)! /x",
	     "(2.0.6(b) lt 7.4.8a)? ( GPP_A = \"\\001#\"; )! /x"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_autoptr(ProvRule) rule = parse(pairs[i][0]);
		g_autoptr(ProvRule) again = NULL;
		g_autofree gchar *text = prov_rule_to_string(rule);
		g_autofree gchar *text_again = NULL;

		g_assert_cmpstr(text, ==, pairs[i][1]);
		again = parse(text);
		text_again = prov_rule_to_string(again);
		g_assert_cmpstr(text_again, ==, text);
		g_assert_cmpuint(prov_rule_get_n_alternatives(again), ==,
				 prov_rule_get_n_alternatives(rule));
	}
	g_assert_true(prov_test_log_take("*unknown option --bogus*"));
	prov_test_log_assert_empty();
}

static void
test_hostile(void)
{
	g_autofree gchar *long_path = g_strnfill(1024 * 1024, 'a');
	g_autofree gchar *long_rule = g_strconcat("http://h/", long_path, NULL);
	g_autofree gchar *opens = g_strnfill(100000, '(');
	g_autofree gchar *brackets = g_strnfill(100000, '[');
	g_autofree gchar *long_key = g_strnfill(100000, 'k');
	g_autofree gchar *key_rule = g_strdup_printf("[--key %s] /x", long_key);
	g_autoptr(GString) alternatives = g_string_new(NULL);
	g_autoptr(GString) nested = g_string_new(NULL);
	g_autoptr(ProvRule) rule = NULL;

	rule = parse(long_rule);
	g_assert_cmpuint(strlen(prov_rule_alternative_get_path(single(rule))), ==, 1024 * 1024 + 1);
	g_clear_object(&rule);

	check_syntax_error(opens, "column 1: missing ')'");
	check_syntax_error(brackets, "column 2: expected an option such as --key");

	rule = parse(key_rule);
	g_assert_cmpuint(strlen(prov_rule_alternative_get_key(single(rule))), ==, 100000);
	g_clear_object(&rule);

	for (guint i = 0; i < 9999; i++)
		g_string_append(alternatives, "(1 eq 2)? /a | ");
	g_string_append(alternatives, "/z");
	rule = parse(alternatives->str);
	g_assert_cmpuint(prov_rule_get_n_alternatives(rule), ==, 10000);
	g_assert_cmpstr(prov_rule_alternative_get_path(prov_rule_select(rule, NULL)), ==, "/z");
	g_clear_object(&rule);

	/* nesting is only counted; the operand then is no version */
	for (guint i = 0; i < 50000; i++)
		g_string_append_c(nested, '(');
	g_string_append(nested, "1 eq 1");
	for (guint i = 0; i < 50000; i++)
		g_string_append_c(nested, ')');
	g_string_append(nested, "? /x");
	rule = parse(nested->str);
	g_assert_null(prov_rule_select(rule, NULL));
	g_assert_true(prov_test_log_take("ProvRule: condition error in alternative 1: *"));
	prov_test_log_assert_empty();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	g_test_add_func("/prov/rule/empty", test_empty);
	g_test_add_func("/prov/rule/commented", test_commented);
	g_test_add("/prov/rule/doc-examples", Fixture, NULL, fixture_setup, test_doc_examples,
		   fixture_teardown);
	g_test_add("/prov/rule/options", Fixture, NULL, fixture_setup, test_options,
		   fixture_teardown);
	g_test_add_func("/prov/rule/octal-escapes", test_octal_escapes);
	g_test_add_func("/prov/rule/kdf", test_kdf);
	g_test_add_func("/prov/rule/unknown-options", test_unknown_options);
	g_test_add("/prov/rule/assignments", Fixture, NULL, fixture_setup, test_assignments,
		   fixture_teardown);
	g_test_add_func("/prov/rule/urls", test_urls);
	g_test_add_func("/prov/rule/url-errors", test_url_errors);
	g_test_add_func("/prov/rule/build-url", test_build_url);
	g_test_add_func("/prov/rule/select", test_select);
	g_test_add("/prov/rule/upgrade-rules", Fixture, NULL, fixture_setup, test_upgrade_rules,
		   fixture_teardown);
	g_test_add("/prov/rule/report-rules", Fixture, NULL, fixture_setup, test_report_rules,
		   fixture_teardown);
	g_test_add_func("/prov/rule/whitespace", test_whitespace);
	g_test_add_func("/prov/rule/syntax-errors", test_syntax_errors);
	g_test_add_func("/prov/rule/secrets-not-leaked", test_secrets_not_leaked);
	g_test_add_func("/prov/rule/to-string", test_to_string);
	g_test_add_func("/prov/rule/hostile", test_hostile);
	return g_test_run();
}
