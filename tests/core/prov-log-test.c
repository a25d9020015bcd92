/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-error.h"
#include "prov-log.h"

static void
prov_log_test_levels(void)
{
	ProvLogLevel level = PROV_LOG_LEVEL_LAST;

	for (guint i = 0; i < PROV_LOG_LEVEL_LAST; i++) {
		g_assert_true(prov_log_level_from_string(prov_log_level_to_string(i), &level));
		g_assert_cmpuint(level, ==, i);
	}
	g_assert_cmpstr(prov_log_level_to_string(PROV_LOG_LEVEL_DEBUG), ==, "debug");
	g_assert_false(prov_log_level_from_string("verbose", &level));
	g_assert_false(prov_log_level_from_string("Debug", &level));
	g_assert_false(prov_log_level_from_string("", &level));
	g_assert_false(prov_log_level_from_string(NULL, &level));
	g_assert_null(prov_log_level_to_string(PROV_LOG_LEVEL_LAST));
}

static void
prov_log_test_parse_domains(void)
{
	g_auto(GStrv) domains = NULL;
	g_auto(GStrv) all = NULL;
	g_auto(GStrv) none = NULL;
	g_auto(GStrv) bad = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_many = NULL;
	g_autoptr(GString) many = g_string_new(NULL);

	g_assert_true(
	    prov_log_parse_domains(" ProvEngine,ProvPluginTftp\tprov-x.y ", &domains, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(g_strv_length(domains), ==, 3);
	g_assert_cmpstr(domains[0], ==, "ProvEngine");
	g_assert_cmpstr(domains[1], ==, "ProvPluginTftp");
	g_assert_cmpstr(domains[2], ==, "prov-x.y");

	/* empty and "all" mean every domain */
	g_assert_true(prov_log_parse_domains("ProvEngine all", &all, &error));
	g_assert_null(all);
	g_assert_true(prov_log_parse_domains(" , ", &none, &error));
	g_assert_null(none);
	g_assert_true(prov_log_parse_domains(NULL, &none, &error));
	g_assert_null(none);

	g_assert_false(prov_log_parse_domains("ProvEngine %s\n", &bad, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_null(bad);

	for (guint i = 0; i <= PROV_LOG_DOMAINS_MAX; i++)
		g_string_append_printf(many, "D%u ", i);
	g_assert_false(prov_log_parse_domains(many->str, &bad, &error_many));
	g_assert_error(error_many, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
}

static void
prov_log_test_would_write(void)
{
	const gchar *const engine[] = {"ProvEngine", NULL};

	prov_log_set_level(PROV_LOG_LEVEL_MESSAGE, NULL);
	g_assert_cmpuint(prov_log_get_level(), ==, PROV_LOG_LEVEL_MESSAGE);
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_WARNING, "ProvEngine"));
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_MESSAGE, "ProvEngine"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_INFO, "ProvEngine"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_DEBUG, NULL));
	g_assert_false(g_log_get_debug_enabled());

	prov_log_set_level(PROV_LOG_LEVEL_WARNING, NULL);
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_CRITICAL, "X"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_MESSAGE, "X"));

	prov_log_set_level(PROV_LOG_LEVEL_INFO, NULL);
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_INFO, "X"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_DEBUG, "X"));

	/* the level applies to the listed domains; the others stay at "message" */
	prov_log_set_level(PROV_LOG_LEVEL_DEBUG, engine);
	g_assert_true(g_log_get_debug_enabled());
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_DEBUG, "ProvEngine"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_DEBUG, "ProvParams"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_INFO, "ProvParams"));
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_MESSAGE, "ProvParams"));
	g_assert_false(prov_log_would_write(G_LOG_LEVEL_DEBUG, NULL));

	prov_log_set_level(PROV_LOG_LEVEL_DEBUG, NULL);
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_DEBUG, "ProvParams"));
	g_assert_true(prov_log_would_write(G_LOG_LEVEL_DEBUG, NULL));
	prov_log_set_level(PROV_LOG_LEVEL_MESSAGE, NULL);
	g_assert_false(g_log_get_debug_enabled());
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/log/levels", prov_log_test_levels);
	g_test_add_func("/prov/log/parse-domains", prov_log_test_parse_domains);
	g_test_add_func("/prov/log/would-write", prov_log_test_would_write);
	return g_test_run();
}
