/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-execute.h"

static ProvExecute *
prov_test_parse_ok(const gchar *text)
{
	ProvExecute *execute = prov_execute_new(NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_execute_parse(execute, text, strlen(text), &error));
	g_assert_no_error(error);
	g_assert_null(prov_execute_get_refused_url(execute));
	return execute;
}

/* refused whole: no item survives, and the message has the tokenizer's "LINE:COLUMN: " */
static gchar *
prov_test_parse_fails(const gchar *text, ProvError code)
{
	g_autoptr(ProvExecute) execute = prov_execute_new(NULL);
	g_autoptr(GError) error = NULL;
	guint line = 0;
	guint column = 0;

	g_assert_false(prov_execute_parse(execute, text, strlen(text), &error));
	g_assert_error(error, PROV_ERROR, (gint)code);
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 0);
	g_assert_null(prov_execute_get_root_name(execute));
	g_assert_false(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_RESYNC));
	g_assert_cmpint(sscanf(error->message, "%u:%u: ", &line, &column), ==, 2);
	g_assert_cmpuint(line, >=, 1);
	g_assert_cmpuint(column, >=, 1);
	g_assert_true(g_utf8_validate(error->message, -1, NULL));
	g_test_message("%s", error->message);
	return g_strdup(error->message);
}

/* the seed's own text: unquoted attribute, the rule's placeholder verbatim */
static void
prov_test_execute_seed(void)
{
	g_autoptr(ProvExecute) execute =
	    prov_test_parse_ok("<CP-xxxx-3PCCExecute>\n"
			       "        <ExecuteItem URL=Resync:[profile-rule]/>\n"
			       "</CP-xxxx-3PCCExecute>\n");
	const ProvExecuteItem *item;

	g_assert_cmpstr(prov_execute_get_root_name(execute), ==, "CP-xxxx-3PCCExecute");
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 1);
	item = prov_execute_get_item(execute, 0);
	g_assert_cmpint(item->action, ==, PROV_TRIGGER_ACTION_RESYNC);
	g_assert_cmpstr(item->url, ==, "Resync:[profile-rule]");
	g_assert_cmpstr(item->rule, ==, "[profile-rule]");
	g_assert_cmpuint(item->priority, ==, 0);
	g_assert_cmpuint(item->line, ==, 2);
	g_assert_cmpuint(item->column, ==, 9);
}

/* S-6 quoted and unquoted; reference 1.2 rule 9: an unquoted value stops before "/>" */
static void
prov_test_execute_s6(void)
{
	const gchar *documents[] = {
	    "<CP-xxxx-3PCCExecute><ExecuteItem "
	    "URL=\"Resync:tftp://192.168.1.200/ata$MA.cfg\"/></CP-xxxx-3PCCExecute>",
	    "<CP-xxxx-3PCCExecute><ExecuteItem "
	    "URL=Resync:tftp://192.168.1.200/ata$MA.cfg/></CP-xxxx-3PCCExecute>",
	    "<CP-xxxx-3PCCExecute><ExecuteItem "
	    "URL=Resync:tftp://192.168.1.200/ata$MA.cfg /></CP-xxxx-3PCCExecute>",
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- S-6 -->\n<CP-8841-3PCCExecute "
	    "xmlns=\"urn:x\">\r\n  <ExecuteItem URL='Resync:tftp://192.168.1.200/ata$MA.cfg'>"
	    "</ExecuteItem>\r\n</CP-8841-3PCCExecute>\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(documents); i++) {
		g_autoptr(ProvExecute) execute = prov_test_parse_ok(documents[i]);
		const ProvExecuteItem *item = prov_execute_get_item(execute, 0);

		g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 1);
		g_assert_cmpint(item->action, ==, PROV_TRIGGER_ACTION_RESYNC);
		/* macros stay for the engine to expand */
		g_assert_cmpstr(item->rule, ==, "tftp://192.168.1.200/ata$MA.cfg");
		g_assert_true(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_RESYNC));
		g_assert_false(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_REBOOT));
	}
}

/* the standard object: three items, Priority, Reboot, a rule with options and entities */
static void
prov_test_execute_standard(void)
{
	g_autoptr(ProvExecute) execute = prov_test_parse_ok(
	    "<CiscoIPPhoneExecute>"
	    "<ExecuteItem Priority=\"1\" URL=\"Resync:[--key a&amp;b] tftp://h/p.cfg \"/>"
	    "<ExecuteItem URL=\"resync:\" Priority=\"2\"/>"
	    "<ExecuteItem URL=\"Reboot\"/>"
	    "</CiscoIPPhoneExecute>");
	const ProvExecuteItem *item;

	g_assert_cmpstr(prov_execute_get_root_name(execute), ==, "CiscoIPPhoneExecute");
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 3);
	item = prov_execute_get_item(execute, 0);
	g_assert_cmpint(item->action, ==, PROV_TRIGGER_ACTION_RESYNC);
	g_assert_cmpstr(item->rule, ==, "[--key a&b] tftp://h/p.cfg");
	g_assert_cmpuint(item->priority, ==, 1);
	/* an empty rule: the configured ones, as /admin/resync without a query */
	item = prov_execute_get_item(execute, 1);
	g_assert_cmpint(item->action, ==, PROV_TRIGGER_ACTION_RESYNC);
	g_assert_null(item->rule);
	g_assert_cmpuint(item->priority, ==, 2);
	item = prov_execute_get_item(execute, 2);
	g_assert_cmpint(item->action, ==, PROV_TRIGGER_ACTION_REBOOT);
	g_assert_cmpstr(item->url, ==, "Reboot");
	g_assert_null(item->rule);
	g_assert_true(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_REBOOT));
	g_assert_false(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_RESTART));
}

static void
prov_test_execute_reboot_forms(void)
{
	const gchar *accepted[] = {"Reboot", "reboot", "Reboot:", " Reboot: "};
	const gchar *refused[] = {"Reboot:now", "Rebooting", "Restart"};

	for (guint i = 0; i < G_N_ELEMENTS(accepted); i++) {
		g_autofree gchar *text = g_strdup_printf(
		    "<CiscoIPPhoneExecute><ExecuteItem URL=\"%s\"/></CiscoIPPhoneExecute>",
		    accepted[i]);
		g_autoptr(ProvExecute) execute = prov_test_parse_ok(text);

		g_assert_cmpint(prov_execute_get_item(execute, 0)->action, ==,
				PROV_TRIGGER_ACTION_REBOOT);
	}
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree gchar *text = g_strdup_printf(
		    "<CiscoIPPhoneExecute><ExecuteItem URL=\"%s\"/></CiscoIPPhoneExecute>",
		    refused[i]);
		g_autofree gchar *message = prov_test_parse_fails(text, PROV_ERROR_INVALID_VALUE);

		g_assert_nonnull(strstr(message, refused[i]));
	}
}

/* R21: only the allow-listed items act; one other item refuses the whole object */
static void
prov_test_execute_refused_items(void)
{
	static const struct {
		const gchar *url;
		const gchar *reason;
	} cases[] = {
	    {"Key:Hold", "user-interface"},
	    {"SoftKey:Exit", "user-interface"},
	    {"Init:CallHistory", "user-interface"},
	    {"Dial:1234", "user-interface"},
	    {"Play:ring.raw", "user-interface"},
	    {"Device:Reset", "user-interface"},
	    {"http://192.0.2.1/service.xml", "does not fetch XML services"},
	    {"HTTPS://192.0.2.1/service.xml", "does not fetch XML services"},
	    {"Upgrade:http://192.0.2.1/fw.bin", "unknown URL"},
	    {"tftp://192.0.2.1/p.cfg", "unknown URL"},
	    {"", "unknown URL"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *text =
		    g_strdup_printf("<CiscoIPPhoneExecute>\n"
				    "<ExecuteItem URL=\"Resync:tftp://192.0.2.1/a.cfg\"/>\n"
				    "<ExecuteItem URL=\"%s\"/>\n"
				    "</CiscoIPPhoneExecute>",
				    cases[i].url);
		g_autoptr(ProvExecute) execute = prov_execute_new(NULL);
		g_autoptr(GError) error = NULL;

		g_assert_false(prov_execute_parse(execute, text, strlen(text), &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
		g_test_message("%s", error->message);
		g_assert_true(g_str_has_prefix(error->message, "3:1: ExecuteItem 2: "));
		g_assert_nonnull(strstr(error->message, cases[i].reason));
		g_assert_nonnull(strstr(error->message, "only Resync:[rule] and Reboot act"));
		/* the earlier, valid resync is dropped too */
		g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 0);
		g_assert_cmpstr(prov_execute_get_refused_url(execute), ==, cases[i].url);
	}
}

static void
prov_test_execute_malformed(void)
{
	static const struct {
		const gchar *text;
		ProvError code;
		const gchar *needle;
	} cases[] = {
	    {"", PROV_ERROR_CORRUPT_FILE, NULL},
	    {"Resync:tftp://h/p.cfg", PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<flat-profile><GPP_A>1</GPP_A></flat-profile>", PROV_ERROR_CORRUPT_FILE,
	     "not an Execute object"},
	    {"<CiscoIPPhoneExecuteX><ExecuteItem URL=\"Reboot\"/></CiscoIPPhoneExecuteX>",
	     PROV_ERROR_CORRUPT_FILE, "not an Execute object"},
	    {"<CiscoIPPhoneExecute></CiscoIPPhoneExecute>", PROV_ERROR_CORRUPT_FILE,
	     "has no ExecuteItem"},
	    {"<CiscoIPPhoneExecute/>", PROV_ERROR_CORRUPT_FILE, "has no ExecuteItem"},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"/>", PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"></CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<CiscoIPPhoneExecute><Title>x</Title></CiscoIPPhoneExecute>", PROV_ERROR_CORRUPT_FILE,
	     "unexpected element \"Title\""},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"><x/></ExecuteItem>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, "inside ExecuteItem 1"},
	    {"<CiscoIPPhoneExecute>Resync:tftp://h/p.cfg</CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, "unexpected text"},
	    {"<CiscoIPPhoneExecute><![CDATA[x]]><ExecuteItem URL=\"Reboot\"/>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, "unexpected text"},
	    {"<CiscoIPPhoneExecute><ExecuteItem/></CiscoIPPhoneExecute>", PROV_ERROR_INVALID_VALUE,
	     "has no URL attribute"},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\" Target=\"x\"/>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_INVALID_VALUE, "unknown attribute \"Target\""},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\" Priority=\"3\"/>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_INVALID_VALUE, "Priority \"3\""},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\" Priority=\"01\"/>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_INVALID_VALUE, "Priority \"01\""},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\" URL=\"Reboot\"/>"
	     "</CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<!DOCTYPE x [<!ENTITY a \"Reboot\">]><CiscoIPPhoneExecute>"
	     "<ExecuteItem URL=\"&a;\"/></CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:\xff\"/></CiscoIPPhoneExecute>",
	     PROV_ERROR_CORRUPT_FILE, NULL},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"/></CiscoIPPhoneExecute><x/>",
	     PROV_ERROR_CORRUPT_FILE, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *message = prov_test_parse_fails(cases[i].text, cases[i].code);

		if (cases[i].needle != NULL)
			g_assert_nonnull(strstr(message, cases[i].needle));
	}
}

static void
prov_test_execute_caps(void)
{
	g_autoptr(GString) big = g_string_new("<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:");
	g_autoptr(GString) huge = g_string_new("<CiscoIPPhoneExecute>");
	g_autofree gchar *message = NULL;
	ProvLimits tiny;

	/* three items are the standard object's limit; a fourth refuses it */
	g_free(prov_test_parse_fails("<CiscoIPPhoneExecute>"
				     "<ExecuteItem URL=\"Reboot\"/><ExecuteItem URL=\"Reboot\"/>"
				     "<ExecuteItem URL=\"Reboot\"/><ExecuteItem URL=\"Reboot\"/>"
				     "</CiscoIPPhoneExecute>",
				     PROV_ERROR_LIMIT_EXCEEDED));

	g_string_append(big, "tftp://h/");
	while (big->len <= PROV_EXECUTE_MAX_URL_LENGTH + 64)
		g_string_append_c(big, 'a');
	g_string_append(big, "\"/></CiscoIPPhoneExecute>");
	message = prov_test_parse_fails(big->str, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_nonnull(strstr(message, "longer than"));

	while (huge->len <= PROV_EXECUTE_MAX_SIZE)
		g_string_append(huge, "<!-- padding padding padding padding -->\n");
	g_string_append(huge, "<ExecuteItem URL=\"Reboot\"/></CiscoIPPhoneExecute>");
	g_free(prov_test_parse_fails(huge->str, PROV_ERROR_LIMIT_EXCEEDED));

	/* the tokenizer's caps come from the limits given */
	prov_limits_init(&tiny);
	tiny.max_name_length = 8;
	{
		g_autoptr(ProvExecute) execute = prov_execute_new(&tiny);
		g_autoptr(GError) error = NULL;
		const gchar *text = "<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"/>"
				    "</CiscoIPPhoneExecute>";

		g_assert_false(prov_execute_parse(execute, text, strlen(text), &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	}
}

/* a hostile URL cannot put control characters or unbounded text into a log line */
static void
prov_test_execute_quoting(void)
{
	g_autoptr(GString) text = g_string_new("<CiscoIPPhoneExecute><ExecuteItem URL=\"Key:&#10;");
	g_autofree gchar *message = NULL;

	for (guint i = 0; i < 500; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\"/></CiscoIPPhoneExecute>");
	message = prov_test_parse_fails(text->str, PROV_ERROR_INVALID_VALUE);
	g_assert_null(strchr(message, '\n'));
	g_assert_nonnull(strstr(message, "Key:\\x0a"));
	g_assert_cmpuint(strlen(message), <, 400);
}

/* one parser, many objects: a refusal leaves nothing behind for the next */
static void
prov_test_execute_reuse(void)
{
	g_autoptr(ProvExecute) execute = prov_execute_new(NULL);
	g_autoptr(GError) error = NULL;
	const gchar *good =
	    "<CiscoIPPhoneExecute><ExecuteItem URL=\"Reboot\"/></CiscoIPPhoneExecute>";
	const gchar *bad =
	    "<CiscoIPPhoneExecute><ExecuteItem URL=\"Key:Hold\"/></CiscoIPPhoneExecute>";

	g_assert_true(prov_execute_parse(execute, good, strlen(good), &error));
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 1);
	g_assert_false(prov_execute_parse(execute, bad, strlen(bad), &error));
	g_clear_error(&error);
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 0);
	g_assert_cmpstr(prov_execute_get_refused_url(execute), ==, "Key:Hold");
	g_assert_true(prov_execute_parse(execute, good, strlen(good), &error));
	g_assert_no_error(error);
	g_assert_null(prov_execute_get_refused_url(execute));
	g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 1);
	/* not NUL-terminated: only the given bytes count */
	g_assert_true(prov_execute_parse(execute, good, strlen(good), &error));
	g_assert_false(prov_execute_parse(execute, good, strlen(good) - 1, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/execute/seed", prov_test_execute_seed);
	g_test_add_func("/prov/execute/s6", prov_test_execute_s6);
	g_test_add_func("/prov/execute/standard", prov_test_execute_standard);
	g_test_add_func("/prov/execute/reboot-forms", prov_test_execute_reboot_forms);
	g_test_add_func("/prov/execute/refused-items", prov_test_execute_refused_items);
	g_test_add_func("/prov/execute/malformed", prov_test_execute_malformed);
	g_test_add_func("/prov/execute/caps", prov_test_execute_caps);
	g_test_add_func("/prov/execute/quoting", prov_test_execute_quoting);
	g_test_add_func("/prov/execute/reuse", prov_test_execute_reuse);
	return g_test_run();
}
