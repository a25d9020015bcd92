/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "prov-config.h"
#include "prov-error.h"

static const gchar prov_config_test_good[] = "[device]\n"
					     "MAC=000e08abcdef\n"
					     "ProductName=ATA192-MPP\n"
					     "[daemon]\n"
					     "StateDirectory = /var/lib/provisiond \n"
					     "BehaviourProfile=spa\n"
					     "[limits]\n"
					     "MaxDepth=12\n"
					     "DecodedMax=8388608\n"
					     "[parameters]\n"
					     "Resync_Periodic=86400\n"
					     "GPP_A=hello world\n"
					     "[http-trigger]\n"
					     "Listen=127.0.0.1:8080\n";

static void
prov_config_test_defaults(void)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	const ProvLimits *limits = prov_config_get_limits(config);

	g_assert_cmpint(prov_config_get_behaviour(config), ==, PROV_BEHAVIOUR_MPP);
	g_assert_cmpuint(limits->fetch_max, ==, 1024 * 1024);
	g_assert_cmpuint(limits->decoded_max, ==, 4 * 1024 * 1024);
	g_assert_cmpuint(limits->max_depth, ==, 8);
	g_assert_cmpuint(limits->max_name_length, ==, 256);
	g_assert_cmpuint(limits->max_attributes, ==, 16);
	g_assert_cmpuint(limits->max_value_length, ==, 64 * 1024);
	g_assert_cmpuint(limits->max_assignments, ==, 20000);
	g_assert_null(prov_config_get_daemon_value(config, "StateDirectory"));
	g_assert_cmpuint(prov_config_get_parameter_overrides(config)->len, ==, 0);
}

static void
prov_config_test_load(void)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(GError) error = NULL;
	GPtrArray *overrides;

	g_assert_true(prov_config_load_data(config, prov_config_test_good, -1, &error));
	g_assert_no_error(error);
	g_assert_cmpint(prov_config_get_behaviour(config), ==, PROV_BEHAVIOUR_SPA);
	g_assert_cmpstr(prov_config_get_daemon_value(config, "StateDirectory"), ==,
			"/var/lib/provisiond");
	g_assert_cmpuint(prov_config_get_limits(config)->max_depth, ==, 12);
	g_assert_cmpuint(prov_config_get_limits(config)->decoded_max, ==, 8388608);
	g_assert_cmpstr(prov_device_get_product_series(prov_config_get_device(config)), ==, "192");
	overrides = prov_config_get_parameter_overrides(config);
	g_assert_cmpuint(overrides->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(overrides, 0), ==, "Resync_Periodic=86400");
	g_assert_cmpstr(g_ptr_array_index(overrides, 1), ==, "GPP_A=hello world");
	g_assert_true(g_key_file_has_group(prov_config_get_key_file(config), "http-trigger"));
}

static void
prov_config_test_errors(void)
{
	const gchar *cases[][2] = {
	    {"[daemon]\nStateDirectroy=/tmp\n", "[daemon] unknown key StateDirectroy"},
	    {"[daemon]\nBehaviourProfile=yealink\n", "BehaviourProfile: yealink"},
	    {"[limits]\nMaxDepth=0\n", "[limits] MaxDepth"},
	    {"[limits]\nMaxDepth=many\n", "[limits] MaxDepth"},
	    {"[limits]\nMaxDeep=3\n", "[limits] unknown key MaxDeep"},
	    {"[device]\nMAC=nope\n", "[device] device MAC"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvConfig) config = prov_config_new();
		g_autoptr(GError) error = NULL;

		g_assert_true(prov_config_load_data(config, prov_config_test_good, -1, NULL));
		g_assert_false(prov_config_load_data(config, cases[i][0], -1, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
		g_assert_nonnull(strstr(error->message, cases[i][1]));
		/* the configuration loaded before stays in effect */
		g_assert_cmpint(prov_config_get_behaviour(config), ==, PROV_BEHAVIOUR_SPA);
		g_assert_cmpuint(prov_config_get_limits(config)->max_depth, ==, 12);
	}
}

static void
prov_config_test_file_errors_name_the_file(void)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd;

	fd = g_file_open_tmp("prov-config-XXXXXX.conf", &path, NULL);
	g_assert_cmpint(fd, >=, 0);
	close(fd);
	g_assert_true(g_file_set_contents(path, "[limits]\nFetchMax=-1\n", -1, NULL));
	g_assert_false(prov_config_load_file(config, path, &error));
	g_assert_true(g_str_has_prefix(error->message, path));
	g_unlink(path);
	g_clear_error(&error);
	g_assert_false(prov_config_load_file(config, path, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/config/defaults", prov_config_test_defaults);
	g_test_add_func("/prov/config/load", prov_config_test_load);
	g_test_add_func("/prov/config/errors", prov_config_test_errors);
	g_test_add_func("/prov/config/file-errors-name-the-file",
			prov_config_test_file_errors_name_the_file);
	return g_test_run();
}
