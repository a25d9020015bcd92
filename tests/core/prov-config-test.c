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
	g_assert_cmpint(prov_config_get_syslog_format(config), ==, PROV_SYSLOG_FORMAT_RFC3164);
	g_assert_cmpuint(prov_config_get_syslog_max_size(config), ==, 480);
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
	    {"[daemon]\nSyslogFormat=rfc9999\n", "[daemon] SyslogFormat: rfc9999 is not"},
	    {"[daemon]\nSyslogFormat=RFC 5424\n", "[daemon] SyslogFormat: RFC 5424 is not"},
	    {"[daemon]\nSyslogMaxSize=63\n", "[daemon] SyslogMaxSize: 63 is not"},
	    {"[daemon]\nSyslogMaxSize=2049\n", "[daemon] SyslogMaxSize: 2049 is not"},
	    {"[daemon]\nSyslogMaxSize=-480\n", "[daemon] SyslogMaxSize: -480 is not"},
	    {"[daemon]\nSyslogMaxSize=480 octets\n", "[daemon] SyslogMaxSize: 480 octets is not"},
	    {"[daemon]\nSyslogSize=480\n", "[daemon] unknown key SyslogSize"},
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

/* reference 5.6: RFC 5424 framing by config; R44: 480 octets unless configured, up to 2048 */
static void
prov_config_test_syslog(void)
{
	const struct {
		const gchar *text;
		ProvSyslogFormat format;
		gsize max_size;
	} cases[] = {
	    {"[daemon]\nSyslogFormat=rfc5424\n", PROV_SYSLOG_FORMAT_RFC5424, 480},
	    {"[daemon]\nSyslogFormat = rfc3164 \nSyslogMaxSize = 1024 \n",
	     PROV_SYSLOG_FORMAT_RFC3164, 1024},
	    {"[daemon]\nSyslogMaxSize=64\n", PROV_SYSLOG_FORMAT_RFC3164, 64},
	    {"[daemon]\nSyslogFormat=rfc5424\nSyslogMaxSize=2048\n", PROV_SYSLOG_FORMAT_RFC5424,
	     2048},
	    /* an empty value is the default, as for the other keys */
	    {"[daemon]\nSyslogFormat=\nSyslogMaxSize=\n", PROV_SYSLOG_FORMAT_RFC3164, 480},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvConfig) config = prov_config_new();
		g_autoptr(GError) error = NULL;

		g_assert_true(prov_config_load_data(config, cases[i].text, -1, &error));
		g_assert_no_error(error);
		g_assert_cmpint(prov_config_get_syslog_format(config), ==, cases[i].format);
		g_assert_cmpuint(prov_config_get_syslog_max_size(config), ==, cases[i].max_size);
	}
	g_assert_cmpstr(prov_syslog_format_to_string(PROV_SYSLOG_FORMAT_RFC5424), ==, "rfc5424");
	g_assert_null(prov_syslog_format_to_string(PROV_SYSLOG_FORMAT_LAST));
}

/* a bad syslog key leaves the framing loaded before in effect, as any config error does */
static void
prov_config_test_syslog_error_keeps(void)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_config_load_data(
	    config, "[daemon]\nSyslogFormat=rfc5424\nSyslogMaxSize=1500\n", -1, &error));
	g_assert_false(prov_config_load_data(
	    config, "[daemon]\nSyslogFormat=rfc3164\nSyslogMaxSize=9000\n", -1, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_assert_cmpint(prov_config_get_syslog_format(config), ==, PROV_SYSLOG_FORMAT_RFC5424);
	g_assert_cmpuint(prov_config_get_syslog_max_size(config), ==, 1500);
}

/* the shipped example loads, and its commented syslog keys, uncommented, are the defaults */
static void
prov_config_test_example(void)
{
	g_autofree gchar *path =
	    g_test_build_filename(G_TEST_DIST, "..", "data", "examples", "provisiond.conf", NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *uncommented = NULL;
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(GRegex) regex = g_regex_new("^# (Syslog[A-Za-z]+=)", G_REGEX_MULTILINE, 0, NULL);
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(path, &text, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(prov_config_load_data(config, text, -1, &error));
	g_assert_no_error(error);
	uncommented = g_regex_replace(regex, text, -1, 0, "\\1", 0, &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(uncommented, "\nSyslogFormat=rfc3164\n"));
	g_assert_nonnull(strstr(uncommented, "\nSyslogMaxSize=480\n"));
	g_assert_true(prov_config_load_data(config, uncommented, -1, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_config_get_daemon_value(config, "SyslogMaxSize"), ==, "480");
	g_assert_cmpint(prov_config_get_syslog_format(config), ==, PROV_SYSLOG_FORMAT_RFC3164);
	g_assert_cmpuint(prov_config_get_syslog_max_size(config), ==, 480);
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
	g_test_add_func("/prov/config/syslog", prov_config_test_syslog);
	g_test_add_func("/prov/config/syslog-error-keeps", prov_config_test_syslog_error_keeps);
	g_test_add_func("/prov/config/example", prov_config_test_example);
	g_test_add_func("/prov/config/file-errors-name-the-file",
			prov_config_test_file_errors_name_the_file);
	return g_test_run();
}
