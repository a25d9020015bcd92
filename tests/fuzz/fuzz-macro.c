/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The macro expander (R28), in every mode, with the device of reference 3.5
 * and secret registers that hold nothing but `~`, a byte no other value has.
 * A secret may only reach the argument of --key, --uid or --pwd, so
 * wherever else the rule parser finds text, it holds no more `~` than the
 * input could have put there itself; and expansion is bounded.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "prov-error.h"
#include "prov-macro.h"
#include "prov-rule.h"

#define FUZZ_MACRO_MAX_LENGTH 4096

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static GLogWriterOutput
fuzz_macro_log_writer_cb(GLogLevelFlags log_level,
			 const GLogField *fields,
			 gsize n_fields,
			 gpointer user_data)
{
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0)
		return G_LOG_WRITER_HANDLED;
	return g_log_writer_default(log_level, fields, n_fields, user_data);
}

static ProvMacro *
fuzz_macro_new(void)
{
	ProvMacro *macro = prov_macro_new();
	g_autofree gchar *long_value = g_strnfill(300, 'E');

	/* no value but the secrets has whitespace, quotes, brackets, `|`, `\` or `~` */
	prov_macro_set_variable(macro, "MA", "000e08012345");
	prov_macro_set_variable(macro, "SN", "88012BA01234");
	prov_macro_set_variable(macro, "PN", "ATA192-MPP");
	prov_macro_set_variable(macro, "PSN", "192");
	prov_macro_set_variable(macro, "A", "ABCDEF");
	prov_macro_set_variable(macro, "B", "Dj6Lmp23Q");
	prov_macro_set_variable(macro, "C", "$A$(B)$$");
	prov_macro_set_variable(macro, "SWVER", "2.0.6(b)");
	prov_macro_set_variable(macro, "UID1", "4085550001");
	prov_macro_set_variable(macro, "EMS", long_value);
	prov_macro_set_variable(macro, "SA", "~~~~~~~~");
	prov_macro_set_variable(macro, "SB", "~~~~");
	prov_macro_set_max_length(macro, FUZZ_MACRO_MAX_LENGTH);
	return macro;
}

static gsize
fuzz_macro_count(const gchar *text, const gchar *needle)
{
	gsize count = 0;
	gsize needle_len = strlen(needle);

	for (const gchar *p = strstr(text, needle); p != NULL; p = strstr(p + needle_len, needle))
		count++;
	return count;
}

static gsize
fuzz_macro_tildes(const gchar *text)
{
	return text != NULL ? fuzz_macro_count(text, "~") : 0;
}

static gchar *
fuzz_macro_expand(ProvMacro *macro, const gchar *text, ProvMacroFlags flags)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *checked = prov_macro_expand_full(macro, text, flags, &error);
	gchar *output = prov_macro_expand(macro, text, flags);

	/* bounded: at most the bound more than the input */
	g_assert_cmpuint(strlen(output), <=, strlen(text) + FUZZ_MACRO_MAX_LENGTH);
	if (checked == NULL)
		g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	else
		g_assert_cmpstr(checked, ==, output);
	return output;
}

/* the `~` in every place of a parsed rule that is not a credential argument */
static gsize
fuzz_macro_rule_tildes(ProvRule *rule)
{
	gsize count = 0;

	for (guint i = 0; i < prov_rule_get_n_alternatives(rule); i++) {
		const ProvRuleAlternative *alternative = prov_rule_get_alternative(rule, i);
		ProvCondition *condition = prov_rule_alternative_get_condition(alternative);
		const gchar *const *unknown =
		    prov_rule_alternative_get_unknown_options(alternative);

		if (condition != NULL) {
			g_autofree gchar *text = prov_condition_to_string(condition);

			count += fuzz_macro_tildes(text);
		}
		for (guint j = 0; j < prov_rule_alternative_get_n_assignments(alternative); j++) {
			count += fuzz_macro_tildes(
			    prov_rule_alternative_get_assignment_name(alternative, j));
			count += fuzz_macro_tildes(
			    prov_rule_alternative_get_assignment_value(alternative, j));
		}
		for (guint j = 0; unknown[j] != NULL; j++)
			count += fuzz_macro_tildes(unknown[j]);
		count += fuzz_macro_tildes(prov_rule_alternative_get_url(alternative));
	}
	return count;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gsize initialised = 0;
	g_autoptr(ProvMacro) macro = NULL;
	g_autofree gchar *text = g_strndup((const gchar *)data, size);
	g_autofree gchar *plain = NULL;
	g_autofree gchar *secrets = NULL;
	g_autofree gchar *redacted = NULL;
	g_autofree gchar *rule_text = NULL;
	g_autofree gchar *rule_redacted = NULL;
	g_autoptr(ProvRule) rule = NULL;
	gsize tildes;

	if (g_once_init_enter(&initialised)) {
		g_log_set_writer_func(fuzz_macro_log_writer_cb, NULL, NULL);
		g_once_init_leave(&initialised, 1);
	}
	macro = fuzz_macro_new();
	tildes = fuzz_macro_tildes(text);

	/* outside a rule the secret registers never expand */
	plain = fuzz_macro_expand(macro, text, PROV_MACRO_FLAGS_NONE);
	g_assert_cmpuint(fuzz_macro_tildes(plain), <=, tildes);
	redacted =
	    fuzz_macro_expand(macro, text, PROV_MACRO_FLAGS_SECRETS | PROV_MACRO_FLAGS_REDACT);
	g_assert_cmpuint(fuzz_macro_tildes(redacted), <=, tildes);
	secrets = fuzz_macro_expand(macro, text, PROV_MACRO_FLAGS_SECRETS);

	/* printed for a person, a rule shows no secret */
	rule_redacted =
	    fuzz_macro_expand(macro, text, PROV_MACRO_FLAGS_RULE | PROV_MACRO_FLAGS_REDACT);
	g_assert_cmpuint(fuzz_macro_tildes(rule_redacted), <=, tildes);

	/*
	 * in a rule, a secret reaches only a credential argument: wherever else
	 * the parser finds text, the `~` there came from the input (literally,
	 * or as the octal escape \176)
	 */
	rule_text = fuzz_macro_expand(macro, text, PROV_MACRO_FLAGS_RULE);
	rule = prov_rule_new_from_string(rule_text, NULL);
	if (rule != NULL) {
		g_autofree gchar *printed = prov_rule_to_string(rule);

		g_assert_cmpuint(fuzz_macro_rule_tildes(rule), <=,
				 tildes + fuzz_macro_count(text, "\\176"));
		g_assert_cmpuint(fuzz_macro_tildes(printed), <=,
				 tildes + fuzz_macro_count(text, "\\176"));
	}
	return 0;
}
