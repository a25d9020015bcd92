/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-condition.h"
#include "prov-error.h"
#include "prov-macro.h"
#include "prov-test-log.h"

typedef struct {
	const gchar *text;
	gboolean expected;
} Case;

static gboolean
evaluate(const gchar *text, const gchar *swver)
{
	g_autoptr(ProvCondition) condition = NULL;
	g_autoptr(GError) error = NULL;
	gboolean result = FALSE;

	condition = prov_condition_new_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_nonnull(condition);
	g_assert_true(prov_condition_evaluate_full(condition, swver, &result, &error));
	g_assert_no_error(error);
	return result;
}

static void
check_cases(const Case *cases, gsize n_cases, const gchar *swver)
{
	for (gsize i = 0; i < n_cases; i++) {
		g_test_message("%s", cases[i].text);
		g_assert_cmpint(evaluate(cases[i].text, swver), ==, cases[i].expected);
	}
	prov_test_log_assert_empty();
}

static void
check_condition_error(const gchar *text, const gchar *swver, const gchar *reason)
{
	g_autoptr(ProvCondition) condition = NULL;
	g_autoptr(GError) error = NULL;
	gboolean result = TRUE;

	g_test_message("%s", text);
	condition = prov_condition_new_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_false(prov_condition_evaluate_full(condition, swver, &result, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_false(result);
	g_assert_nonnull(strstr(error->message, reason));

	/* reference 4.4: the condition is false and `condition error` is logged */
	g_assert_false(prov_condition_evaluate(condition, swver));
	g_assert_true(prov_test_log_take("ProvCondition: condition error: *"));
	prov_test_log_assert_empty();
}

static void
check_syntax_error(const gchar *text, const gchar *message)
{
	g_autoptr(ProvCondition) condition = NULL;
	g_autoptr(GError) error = NULL;

	g_test_message("%s", text);
	condition = prov_condition_new_from_string(text, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
	g_assert_null(condition);
	g_assert_cmpstr(error->message, ==, message);
}

/* the DOC examples of reference 4.4 and 4.6, expanded as the engine does */
static void
test_reference_examples(void)
{
	g_autoptr(ProvMacro) macro = prov_macro_new();
	static const struct {
		const gchar *text;
		const gchar *variables;
		gboolean expected;
	} examples[] = {
	    {"$REGTMR1 gt 300 and $PRVTMR gt 1200 and \"$EXTIP\" ne \"\"",
	     "REGTMR1=301 PRVTMR=1201 EXTIP=66.43.16.52", TRUE},
	    {"$REGTMR1 gt 300 and $PRVTMR gt 1200 and \"$EXTIP\" ne \"\"",
	     "REGTMR1=301 PRVTMR=1201 EXTIP=", FALSE},
	    {"$REGTMR1 gt 300 and $PRVTMR gt 1200 and \"$EXTIP\" ne \"\"",
	     "REGTMR1=300 PRVTMR=1201 EXTIP=66.43.16.52", FALSE},
	    {"$REGTMR1 gt 300 and $PRVTMR gt 1200 and \"$EXTIP\" ne \"\"",
	     "REGTMR1=301 PRVTMR=1200 EXTIP=66.43.16.52", FALSE},
	    {"$SWVER ge 2.0.6 and \"$CCERT\" eq \"Installed\"", "SWVER=2.0.6 CCERT=Installed",
	     TRUE},
	    {"$SWVER ge 2.0.6 and \"$CCERT\" eq \"Installed\"", "SWVER=7.4.8a CCERT=Installed",
	     TRUE},
	    {"$SWVER ge 2.0.6 and \"$CCERT\" eq \"Installed\"", "SWVER=2.0.5(b) CCERT=Installed",
	     FALSE},
	    {"$SWVER ge 2.0.6 and \"$CCERT\" eq \"Installed\"", "SWVER=2.0.6 CCERT=Not_Installed",
	     FALSE},
	    {"$UPGTMR gt 300 and $PRVTMR ge 600", "UPGTMR=301 PRVTMR=600", TRUE},
	    {"$UPGTMR gt 300 and $PRVTMR ge 600", "UPGTMR=300 PRVTMR=600", FALSE},
	    {"$UPGTMR gt 300 and $PRVTMR ge 600", "UPGTMR=1000 PRVTMR=599", FALSE},
	    {" $SWVER ne 2.0.6 ", "SWVER=2.0.6", FALSE},
	    {" $SWVER ne 2.0.6 ", "SWVER=2.0.6(b)", TRUE},
	    {"$SWVER ne sip7832.11-3-2MPP0001-609", "SWVER=sip7832.11-3-2MPP0001-609", FALSE},
	    {"$SWVER ne sip7832.11-3-2MPP0001-609", "SWVER=sip7832.11-3-1MPP0001-609", TRUE},
	    {"$REGTMR1 eq 0", "REGTMR1=0", TRUE},
	    {"$REGTMR1 eq 0", "REGTMR1=12", FALSE},
	    {"$PRVTMR ge 600", "PRVTMR=600", TRUE},
	    {"\"$CCERT\" eq \"Installed\"", "CCERT=Installed", TRUE},
	    {"\"$A\" ne \"Provisioned\"", "A=", TRUE},
	    {"\"$A\" ne \"Provisioned\"", "A=Provisioned", FALSE},
	    {"\"$F\" ne \"beta-customer\"", "F=beta-customer", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(examples); i++) {
		g_auto(GStrv) variables = g_strsplit(examples[i].variables, " ", -1);
		g_autofree gchar *expanded = NULL;
		g_autofree gchar *swver = NULL;

		for (guint j = 0; variables[j] != NULL; j++) {
			g_auto(GStrv) pair = g_strsplit(variables[j], "=", 2);

			prov_macro_set_variable(macro, pair[0], pair[1]);
		}
		expanded = prov_macro_expand(macro, examples[i].text, PROV_MACRO_FLAGS_NONE);
		swver = prov_macro_lookup(macro, "SWVER");
		g_test_message("%s with %s: %s", examples[i].text, examples[i].variables, expanded);
		g_assert_cmpint(evaluate(expanded, swver), ==, examples[i].expected);
		for (guint j = 0; variables[j] != NULL; j++) {
			g_auto(GStrv) pair = g_strsplit(variables[j], "=", 2);

			prov_macro_set_variable(macro, pair[0], NULL);
		}
	}
}

/* reference 4.4: legacy firmware wrote `op operand`, comparing $SWVER */
static void
test_legacy(void)
{
	static const Case with_1_0_33[] = {
	    {"! 1.0.33", FALSE},
	    {"!1.0.33", FALSE},
	    {"ne 1.0.33", FALSE},
	    {"!= 1.0.33", FALSE},
	    {"eq 1.0.33", TRUE},
	    {"= 1.0.33", TRUE},
	    {"lt 1.0.34", TRUE},
	    {"> 1.0.2", TRUE},
	    {"ge 1", TRUE},
	    {"lt 2", TRUE},
	    {"ne \"1.0.33\"", TRUE},
	    {"! 1.0.2 and 1 eq 1", TRUE},
	    /* an empty unquoted macro ($REGTMR1 gt 300) leaves the legacy form (reference 4.4) */
	    {" gt 300", FALSE},
	    {" lt 300", TRUE},
	};
	static const Case with_1_0_2[] = {
	    {"! 1.0.2", FALSE},
	    {"! 1.0.33", TRUE},
	};

	check_cases(with_1_0_33, G_N_ELEMENTS(with_1_0_33), "1.0.33");
	check_cases(with_1_0_2, G_N_ELEMENTS(with_1_0_2), "1.0.2");
	check_condition_error("! 1.0.33", NULL, "the software version is not a version");
	check_condition_error("! 1.0.33", "unknown", "the software version is not a version");
}

/* every spelling of every operator, with and without spaces */
static void
test_operators(void)
{
	static const Case cases[] = {
	    {"1 = 1", TRUE},
	    {"1 eq 1", TRUE},
	    {"1 = 2", FALSE},
	    {"1 eq 2", FALSE},
	    {"1 != 2", TRUE},
	    {"1 ne 2", TRUE},
	    {"1 ! 2", TRUE},
	    {"1 != 1", FALSE},
	    {"1 ne 1", FALSE},
	    {"1 ! 1", FALSE},
	    {"1 < 2", TRUE},
	    {"1 lt 2", TRUE},
	    {"2 < 2", FALSE},
	    {"2 lt 2", FALSE},
	    {"2 <= 2", TRUE},
	    {"2 le 2", TRUE},
	    {"3 <= 2", FALSE},
	    {"3 le 2", FALSE},
	    {"3 > 2", TRUE},
	    {"3 gt 2", TRUE},
	    {"2 > 2", FALSE},
	    {"2 gt 2", FALSE},
	    {"2 >= 2", TRUE},
	    {"2 ge 2", TRUE},
	    {"1 >= 2", FALSE},
	    {"1 ge 2", FALSE},
	    {"1=1", TRUE},
	    {"1<=2", TRUE},
	    {"2>=3", FALSE},
	    {"1!=1", FALSE},
	    {"1<2", TRUE},
	    {"3>2", TRUE},
	    {"\"a\"=\"a\"", TRUE},
	    {"\"a\"!=\"a\"", FALSE},
	    {"1 eq 1 and 2 eq 2", TRUE},
	    {"1 eq 1 AND 2 eq 2", TRUE},
	    {"1 eq 1 and 2 eq 3", FALSE},
	    {"1 eq 2 AND 2 eq 2", FALSE},
	    {"\t1\teq\t1\t", TRUE},
	};

	check_cases(cases, G_N_ELEMENTS(cases), NULL);
}

/* reference 4.4, literal typing rules 1-4 */
static void
test_typing(void)
{
	static const Case cases[] = {
	    /* integers compare as numbers, not as text */
	    {"10 gt 9", TRUE},
	    {"-5 lt 3", TRUE},
	    {"-5 lt -3", TRUE},
	    {"-0 eq 0", TRUE},
	    {"007 eq 7", TRUE},
	    {"9223372036854775807 gt -9223372036854775808", TRUE},
	    /* integer against version: the integer is integer.0.0 */
	    {"7 eq 7.0.0", TRUE},
	    {"7 lt 7.0.1", TRUE},
	    {"10 gt 9.9.9", TRUE},
	    {"7 lt 7.0.0a", TRUE},
	    {"11 lt 11-1-0MPP-19", TRUE},
	    /* versions */
	    {"2.0.6(b) gt 2.0.6", TRUE},
	    {"7.4.8a lt 7.4.10", TRUE},
	    {"sipyyyy.11-3-1MPP-110 gt sipyyyy.11-2-3MPP-256", TRUE},
	    {"sipyyyy.11-3-2MPP0002-256 gt sipyyyy.11-3-2MPP0001-609", TRUE},
	    {"sip7832.11-3-2MPP0001-609 eq 11-3-2MPP0001-609.loads", TRUE},
	    /* strings: byte equality, quoted text keeps its spaces and escapes */
	    {"\"Installed\" eq \"Installed\"", TRUE},
	    {"\"Installed\" eq \"installed\"", FALSE},
	    {"\"Not Installed\" ne \"Installed\"", TRUE},
	    {"\"\" eq \"\"", TRUE},
	    {"\"\\043\" eq \"#\"", TRUE},
	    {"\"\\134\" eq \"\\\\\"", TRUE},
	    {"\"a\\\"b\" eq \"a\\\"b\"", TRUE},
	    {"\"a and b\" eq \"a and b\"", TRUE},
	    {"\"1 eq 1\" ne \"x\"", TRUE},
	    /* quoted $SWVER is a plain string: equality includes the model (reference 4.4) */
	    {"\"sip7832.11-3-2MPP0001-609\" eq \"11-3-2MPP0001-609\"", FALSE},
	    /* string against anything else: eq false, ne true, ordering false */
	    {"\"10\" eq 10", FALSE},
	    {"\"10\" ne 10", TRUE},
	    {"\"10\" lt 10", FALSE},
	    {"\"10\" ge 10", FALSE},
	    {"10 eq \"10\"", FALSE},
	    {"2.0.6 ne \"2.0.6\"", TRUE},
	    {"2.0.6 gt \"2.0.6\"", FALSE},
	    {"garbage eq \"x\"", FALSE},
	    {"garbage ne \"x\"", TRUE},
	};

	check_cases(cases, G_N_ELEMENTS(cases), NULL);
}

/* reference 4.4 rule 3: an operand that is no version makes the condition false */
static void
test_condition_errors(void)
{
	check_condition_error("abc eq 1", NULL, "column 1: the left operand is not a version");
	check_condition_error("1 eq abc", NULL, "column 1: the right operand is not a version");
	check_condition_error("1.0 lt 1.2.3.4", NULL, "the right operand is not a version");
	check_condition_error("-1 lt 1.0", NULL, "the left operand is not a version");
	check_condition_error("99999999999999999999 gt 1", NULL, "the left operand");
	check_condition_error("\"a\" lt \"b\"", NULL, "strings can only be compared with eq or ne");
	/* later comparisons are checked even when an earlier one is false */
	check_condition_error("1 eq 2 and Installed eq 1", NULL, "column 12: the left operand");
}

static void
test_syntax_errors(void)
{
	check_syntax_error("", "column 1: expected a comparison");
	check_syntax_error("   ", "column 4: expected a comparison");
	check_syntax_error("1 eq", "column 5: expected an operand");
	check_syntax_error("1 2", "column 3: expected an operator");
	check_syntax_error("1", "column 2: expected an operator");
	check_syntax_error("eq 1 2", "column 6: expected 'and'");
	check_syntax_error("1 eq 1 or 2 eq 2", "column 8: expected 'and'");
	check_syntax_error("1 eq 1 and", "column 11: expected a comparison");
	check_syntax_error("1 eq 1 and and 1 eq 1", "column 12: expected an operand");
	check_syntax_error("and 1 eq 1", "column 1: expected an operand");
	check_syntax_error("1 eq eq", "column 6: expected an operand");
	check_syntax_error("1 == 1", "column 4: expected an operand");
	check_syntax_error("\"abc eq 1", "column 1: unterminated quoted string");
	check_syntax_error("\"abc\\\" eq 1", "column 1: unterminated quoted string");
	check_syntax_error("\"\\000\" eq 1", "column 2: octal escape \\000 is not allowed");
	check_syntax_error("\"\\777\" eq 1", "column 2: octal escape is out of range");
	check_syntax_error("1 eq 1 And 2 eq 2", "column 8: expected 'and'");
	check_syntax_error("1 EQ 1", "column 3: expected an operator");
	check_syntax_error("not 1 eq 1", "column 5: expected an operator");
}

static void
test_to_string(void)
{
	static const gchar *const pairs[][2] = {
	    {"1 = 1", "1 eq 1"},
	    {"1 != 2 AND 3 < 4", "1 ne 2 and 3 lt 4"},
	    {"1<=2 and 3>=2 and 4>3", "1 le 2 and 3 ge 2 and 4 gt 3"},
	    {"! 1.0.33", "ne 1.0.33"},
	    {"   >= 2.0.6(b)  ", "ge 2.0.6(b)"},
	    {"\"$CCERT\" eq \"Not Installed\"", "\"$CCERT\" eq \"Not Installed\""},
	    {"\"a\\\"b\\\\c\\043\\001\" ne \"\"", "\"a\\\"b\\\\c#\\001\" ne \"\""},
	    {"007 eq -0", "007 eq -0"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_autoptr(ProvCondition) condition = NULL;
		g_autoptr(ProvCondition) again = NULL;
		g_autofree gchar *text = NULL;
		g_autofree gchar *text_again = NULL;

		g_test_message("%s", pairs[i][0]);
		condition = prov_condition_new_from_string(pairs[i][0], NULL);
		g_assert_nonnull(condition);
		text = prov_condition_to_string(condition);
		g_assert_cmpstr(text, ==, pairs[i][1]);
		again = prov_condition_new_from_string(text, NULL);
		g_assert_nonnull(again);
		text_again = prov_condition_to_string(again);
		g_assert_cmpstr(text_again, ==, text);
		g_assert_cmpuint(prov_condition_get_n_comparisons(again), ==,
				 prov_condition_get_n_comparisons(condition));
	}
}

/* reference 4.6: a bare cond-expr; empty or `#` first means "not set" */
static void
test_trigger(void)
{
	g_autoptr(ProvMacro) macro = prov_macro_new();
	static const gchar *const unset[] = {"", "   ", "#", "# $UPGTMR gt 300", "  \t#1 eq 1"};
	const gchar *trigger = "$UPGTMR gt 300 and $PRVTMR ge 600";
	static const struct {
		const gchar *upgtmr;
		const gchar *prvtmr;
		gboolean expected;
	} cases[] = {
	    {"301", "600", TRUE},
	    {"300", "600", FALSE},
	    {"301", "599", FALSE},
	    {"86400", "86400", TRUE},
	};
	ProvCondition *condition = NULL;
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(unset); i++) {
		condition = GINT_TO_POINTER(1);
		g_assert_true(prov_condition_parse_trigger(unset[i], &condition, &error));
		g_assert_no_error(error);
		g_assert_null(condition);
	}
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *expanded = NULL;
		g_autoptr(ProvCondition) parsed = NULL;

		prov_macro_set_variable(macro, "UPGTMR", cases[i].upgtmr);
		prov_macro_set_variable(macro, "PRVTMR", cases[i].prvtmr);
		expanded = prov_macro_expand(macro, trigger, PROV_MACRO_FLAGS_NONE);
		g_assert_true(prov_condition_parse_trigger(expanded, &parsed, &error));
		g_assert_no_error(error);
		g_assert_nonnull(parsed);
		g_assert_cmpuint(prov_condition_get_n_comparisons(parsed), ==, 2);
		g_assert_cmpint(prov_condition_evaluate(parsed, NULL), ==, cases[i].expected);
	}
	/* `#` elsewhere is an ordinary character */
	g_assert_false(prov_condition_parse_trigger("1 eq 1 # comment", &condition, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
	g_assert_null(condition);
}

static void
test_refcount(void)
{
	ProvCondition *condition = prov_condition_new_from_string("1 eq 1", NULL);
	GValue value = G_VALUE_INIT;

	g_assert_true(G_TYPE_IS_BOXED(PROV_TYPE_CONDITION));
	g_assert_true(prov_condition_ref(condition) == condition);
	prov_condition_unref(condition);
	g_value_init(&value, PROV_TYPE_CONDITION);
	g_value_set_boxed(&value, condition);
	prov_condition_unref(condition);
	g_assert_true(prov_condition_evaluate(g_value_get_boxed(&value), NULL));
	g_value_unset(&value);
}

static void
test_hostile(void)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(ProvCondition) condition = NULL;
	g_autoptr(ProvCondition) parens = NULL;
	g_autoptr(ProvCondition) binary = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *long_operand = g_strnfill(100000, '9');
	g_autofree gchar *long_text = NULL;

	for (guint i = 0; i < 10000; i++)
		g_string_append(text, i == 0 ? "1 eq 1" : " and 1 eq 1");
	condition = prov_condition_new_from_string(text->str, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(prov_condition_get_n_comparisons(condition), ==, 10000);
	g_assert_true(prov_condition_evaluate(condition, NULL));

	/* there is no grouping inside a condition: parentheses are part of the operand */
	parens = prov_condition_new_from_string("((((((((1 eq 1))))))))", &error);
	g_assert_no_error(error);
	g_assert_false(prov_condition_evaluate(parens, NULL));
	g_assert_true(prov_test_log_take("ProvCondition: condition error: *left operand*"));

	binary = prov_condition_new_from_string("\"\xff\xfe\" eq \"\xff\xfe\"", &error);
	g_assert_no_error(error);
	g_assert_true(prov_condition_evaluate(binary, NULL));

	long_text = g_strdup_printf("%s gt 1", long_operand);
	g_clear_pointer(&condition, prov_condition_unref);
	condition = prov_condition_new_from_string(long_text, &error);
	g_assert_no_error(error);
	g_assert_false(prov_condition_evaluate(condition, NULL));
	g_assert_true(prov_test_log_take("ProvCondition: condition error: *"));
	prov_test_log_assert_empty();
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	g_test_add_func("/prov/condition/reference-examples", test_reference_examples);
	g_test_add_func("/prov/condition/legacy", test_legacy);
	g_test_add_func("/prov/condition/operators", test_operators);
	g_test_add_func("/prov/condition/typing", test_typing);
	g_test_add_func("/prov/condition/condition-errors", test_condition_errors);
	g_test_add_func("/prov/condition/syntax-errors", test_syntax_errors);
	g_test_add_func("/prov/condition/to-string", test_to_string);
	g_test_add_func("/prov/condition/trigger", test_trigger);
	g_test_add_func("/prov/condition/refcount", test_refcount);
	g_test_add_func("/prov/condition/hostile", test_hostile);
	return g_test_run();
}
