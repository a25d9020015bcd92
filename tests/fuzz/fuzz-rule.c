/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The rule parser (R28): parse, select, build each URL, and check that what
 * the parser prints parses back to the same text and that a built URL parses
 * back to the same parts.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "prov-error.h"
#include "prov-rule.h"

#define FUZZ_DEFAULT_HOST "192.0.2.1"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* unknown options and condition errors warn by design; only criticals are findings */
static GLogWriterOutput
fuzz_rule_log_writer_cb(GLogLevelFlags log_level,
			const GLogField *fields,
			gsize n_fields,
			gpointer user_data)
{
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0)
		return G_LOG_WRITER_HANDLED;
	return g_log_writer_default(log_level, fields, n_fields, user_data);
}

static void
fuzz_rule_check_url(const ProvRuleAlternative *alternative)
{
	g_autofree gchar *url = prov_rule_alternative_build_url(alternative, FUZZ_DEFAULT_HOST);
	g_autoptr(ProvRule) again = NULL;
	g_autoptr(GError) error = NULL;
	const ProvRuleAlternative *parsed;
	const gchar *host = prov_rule_alternative_get_host(alternative);

	if (!prov_rule_alternative_has_url(alternative)) {
		g_assert_null(url);
		return;
	}
	g_assert_nonnull(url);
	g_assert_nonnull(prov_rule_alternative_get_scheme(alternative));
	g_assert_nonnull(prov_rule_alternative_get_path(alternative));
	g_assert_nonnull(prov_rule_alternative_get_path_and_query(alternative));
	if (host == NULL) {
		g_assert_null(prov_rule_alternative_build_url(alternative, NULL));
		host = FUZZ_DEFAULT_HOST;
	}
	again = prov_rule_new_from_string(url, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(prov_rule_get_n_alternatives(again), ==, 1);
	parsed = prov_rule_get_alternative(again, 0);
	g_assert_cmpstr(prov_rule_alternative_get_scheme(parsed), ==,
			prov_rule_alternative_get_scheme(alternative));
	g_assert_cmpstr(prov_rule_alternative_get_host(parsed), ==, host);
	g_assert_cmpuint(prov_rule_alternative_get_port(parsed), ==,
			 prov_rule_alternative_get_port(alternative));
	g_assert_cmpint(prov_rule_alternative_has_explicit_port(parsed), ==,
			prov_rule_alternative_has_explicit_port(alternative));
	g_assert_cmpstr(prov_rule_alternative_get_path(parsed), ==,
			prov_rule_alternative_get_path(alternative));
	g_assert_cmpstr(prov_rule_alternative_get_query(parsed), ==,
			prov_rule_alternative_get_query(alternative));
}

static void
fuzz_rule_check_alternative(const ProvRuleAlternative *alternative, guint index, guint count)
{
	ProvCondition *condition = prov_rule_alternative_get_condition(alternative);
	const gchar *const *unknown = prov_rule_alternative_get_unknown_options(alternative);
	const gchar *key = prov_rule_alternative_get_key(alternative);
	gchar post = prov_rule_alternative_get_post(alternative);
	gchar alias = prov_rule_alternative_get_alias(alternative);
	guint iterations = 0;
	ProvRuleKdf kdf = prov_rule_alternative_get_kdf(alternative, &iterations);

	g_assert_cmpuint(prov_rule_alternative_get_index(alternative), ==, index);
	/* reference 4.1: every alternative except the last has a condition */
	if (index + 1 < count)
		g_assert_nonnull(condition);
	if (condition != NULL) {
		g_autofree gchar *text = prov_condition_to_string(condition);
		gboolean result = FALSE;
		g_autoptr(GError) error = NULL;

		g_assert_cmpuint(prov_condition_get_n_comparisons(condition), >, 0);
		g_assert_true(g_utf8_validate(text, -1, NULL));
		if (!prov_condition_evaluate_full(condition, "1.0.33", &result, &error))
			g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	}
	for (guint i = 0; i < prov_rule_alternative_get_n_assignments(alternative); i++) {
		g_assert_nonnull(prov_rule_alternative_get_assignment_name(alternative, i));
		g_assert_nonnull(prov_rule_alternative_get_assignment_value(alternative, i));
	}
	g_assert_true(key == NULL || key[0] != '\0');
	g_assert_true(post == '\0' || (post >= 'a' && post <= 'p'));
	g_assert_true(alias == '\0' || (alias >= 'a' && alias <= 'p'));
	g_assert_cmpint(kdf, <, PROV_RULE_KDF_LAST);
	if (kdf == PROV_RULE_KDF_PBKDF2)
		g_assert_cmpuint(iterations, >=, 1);
	for (guint i = 0; unknown[i] != NULL; i++)
		g_assert_true(g_str_has_prefix(unknown[i], "--"));
	fuzz_rule_check_url(alternative);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gsize initialised = 0;
	g_autofree gchar *text = g_strndup((const gchar *)data, size);
	g_autoptr(ProvRule) rule = NULL;
	g_autoptr(ProvRule) again = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *printed = NULL;
	g_autofree gchar *printed_again = NULL;
	guint count;

	if (g_once_init_enter(&initialised)) {
		g_log_set_writer_func(fuzz_rule_log_writer_cb, NULL, NULL);
		g_once_init_leave(&initialised, 1);
	}
	rule = prov_rule_new_from_string(text, &error);
	if (rule == NULL) {
		g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
		g_assert_true(g_str_has_prefix(error->message, "column "));
		return 0;
	}
	g_assert_no_error(error);
	count = prov_rule_get_n_alternatives(rule);
	g_assert_true(prov_rule_is_empty(rule) == (count == 0));
	for (guint i = 0; i < count; i++)
		fuzz_rule_check_alternative(prov_rule_get_alternative(rule, i), i, count);
	prov_rule_select(rule, NULL);
	prov_rule_select(rule, "sip7832.11-3-2MPP0001-609");

	/* what the parser prints parses back to the same text */
	printed = prov_rule_to_string(rule);
	again = prov_rule_new_from_string(printed, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(prov_rule_get_n_alternatives(again), ==, count);
	printed_again = prov_rule_to_string(again);
	g_assert_cmpstr(printed_again, ==, printed);
	return 0;
}
