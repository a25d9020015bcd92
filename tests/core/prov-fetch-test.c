/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-fetch.h"
#include "prov-test-log.h"

/* the device of S-5 (reference 6.2.2) */
#define PROV_FETCH_TEST_DEVICE                                                                     \
	"[device]\nMAC=000e08abcdef\nSerial=88012BA01234\nManufacturer=Cisco\n"                    \
	"ProductName=ATA192-MPP\nSoftwareVersion=11.0.1MPP0101-009\n"

typedef struct {
	ProvConfig *config;
	ProvParams *params;
	ProvMacro *macro;
	ProvRule *rule;
} Fixture;

static void
fixture_load(Fixture *fixture, const gchar *config_text, const gchar *rule_text)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *expanded = NULL;
	const gchar *schema_dir = g_getenv("PROV_SCHEMA_DIR");
	g_autofree gchar *dist_dir =
	    g_test_build_filename(G_TEST_DIST, "..", "data", "params", NULL);

	fixture->config = prov_config_new();
	g_assert_true(prov_config_load_data(fixture->config, config_text, -1, &error));
	g_assert_no_error(error);
	fixture->params = prov_params_new(prov_config_get_behaviour(fixture->config));
	g_assert_true(prov_params_load_schema_dir(
	    fixture->params, schema_dir != NULL ? schema_dir : dist_dir, &error));
	g_assert_no_error(error);
	fixture->macro = prov_macro_new();
	prov_macro_set_params(fixture->macro, fixture->params);
	prov_macro_set_device(fixture->macro, prov_config_get_device(fixture->config));
	if (rule_text != NULL) {
		expanded = prov_macro_expand_rule(fixture->macro, rule_text);
		fixture->rule = prov_rule_new_from_string(expanded, &error);
		g_assert_no_error(error);
	}
}

static const ProvRuleAlternative *
fixture_alternative(Fixture *fixture)
{
	const ProvRuleAlternative *alternative = prov_rule_select(
	    fixture->rule,
	    prov_device_get_software_version(prov_config_get_device(fixture->config)));

	g_assert_nonnull(alternative);
	return alternative;
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->config);
	g_clear_object(&fixture->params);
	g_clear_object(&fixture->macro);
	g_clear_object(&fixture->rule);
	prov_test_log_assert_empty();
}

/* reference 6.2.2: the PROPOSED defaults of mpp and spa, and the override */
static void
test_user_agent(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();
	g_autoptr(GError) error = NULL;
	const struct {
		const gchar *version;
		ProvBehaviour behaviour;
		const gchar *expected;
	} vectors[] = {
	    {"11.0.1MPP0101-009", PROV_BEHAVIOUR_MPP,
	     "Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)"},
	    {"12", PROV_BEHAVIOUR_MPP, "Cisco-ATA192-MPP/12 (000e08abcdef)(88012BA01234)"},
	    {"1.2.3", PROV_BEHAVIOUR_MPP, "Cisco-ATA192-MPP/1.2 (000e08abcdef)(88012BA01234)"},
	    {"beta", PROV_BEHAVIOUR_MPP, "Cisco-ATA192-MPP/beta (000e08abcdef)(88012BA01234)"},
	    /* the MPP version forms of reference 4.4 */
	    {"11-1-0MPP-19", PROV_BEHAVIOUR_MPP,
	     "Cisco-ATA192-MPP/11.1 (000e08abcdef)(88012BA01234)"},
	    {"sip7832.11-3-2MPP0001-609", PROV_BEHAVIOUR_MPP,
	     "Cisco-ATA192-MPP/11.3 (000e08abcdef)(88012BA01234)"},
	    {"7.4.8a", PROV_BEHAVIOUR_SPA, "Cisco/ATA192-MPP-7.4.8a (000E08ABCDEF)(88012BA01234)"},
	};

	g_assert_true(prov_device_set(device, PROV_DEVICE_MAC, "00:0E:08:AB:CD:EF", &error));
	g_assert_true(prov_device_set(device, PROV_DEVICE_SERIAL, "88012BA01234", &error));
	g_assert_true(prov_device_set(device, PROV_DEVICE_MANUFACTURER, "Cisco", &error));
	g_assert_true(prov_device_set(device, PROV_DEVICE_PRODUCT_NAME, "ATA192-MPP", &error));
	g_assert_no_error(error);
	for (guint i = 0; i < G_N_ELEMENTS(vectors); i++) {
		g_autofree gchar *user_agent = NULL;
		g_autofree gchar *same = NULL;

		g_assert_true(prov_device_set(device, PROV_DEVICE_SOFTWARE_VERSION,
					      vectors[i].version, &error));
		user_agent = prov_device_dup_user_agent(device, vectors[i].behaviour, NULL);
		g_assert_cmpstr(user_agent, ==, vectors[i].expected);
		/* an empty HTTP_User_Agent_Name is no override */
		same = prov_device_dup_user_agent(device, vectors[i].behaviour, "");
		g_assert_cmpstr(same, ==, vectors[i].expected);
	}
	{
		g_autofree gchar *user_agent =
		    prov_device_dup_user_agent(device, PROV_BEHAVIOUR_MPP, "Acme/1");

		g_assert_cmpstr(user_agent, ==, "Acme/1");
	}
}

static void
test_build_url(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = NULL;
	g_autoptr(ProvConfig) with_server = prov_config_new();
	g_autoptr(ProvRule) assignments_only = NULL;

	fixture_load(fixture, PROV_FETCH_TEST_DEVICE, "tftp:///cisco/$MA.cfg");
	url = prov_fetch_build_url(fixture_alternative(fixture), fixture->config, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_nonnull(strstr(error->message, "DefaultServer"));
	g_assert_null(url);
	g_clear_error(&error);

	g_assert_true(
	    prov_config_load_data(with_server, "[daemon]\nDefaultServer=10.0.0.1\n", -1, &error));
	url = prov_fetch_build_url(fixture_alternative(fixture), with_server, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(url, ==, "tftp://10.0.0.1/cisco/000e08abcdef.cfg");

	assignments_only = prov_rule_new_from_string("(GPP_A = \"1\";)!", &error);
	g_assert_no_error(error);
	g_clear_pointer(&url, g_free);
	url = prov_fetch_build_url(prov_rule_select(assignments_only, NULL), with_server, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_null(url);
}

/* the context of a rule: User-Agent, caps, credentials, --post body (reference 4.2) */
static void
test_context(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvFetchContext) ctx = NULL;
	GBytes *body;

	fixture_load(fixture, PROV_FETCH_TEST_DEVICE "[limits]\nFetchMax=4096\n", NULL);
	g_assert_true(
	    prov_params_set_factory_value(fixture->params, "GPP_F", "Ser_Num=$SN; $SA", &error));
	g_assert_true(
	    prov_params_set_factory_value(fixture->params, "GPP_SA", "secret-value", &error));
	g_assert_no_error(error);
	fixture->rule = prov_rule_new_from_string(
	    "[--uid device --pwd \"p w\" --post f] http://prov.example/resync?", &error);
	g_assert_no_error(error);

	ctx = prov_fetch_new_context(fixture->config, fixture->params, fixture->macro,
				     fixture_alternative(fixture), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(prov_fetch_context_get_user_agent(ctx), ==,
			"Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)");
	g_assert_cmpuint(prov_fetch_context_get_size_max(ctx), ==, 4096);
	g_assert_cmpuint(prov_fetch_context_get_timeout(ctx), ==,
			 PROV_FETCH_CONTEXT_DEFAULT_TIMEOUT);
	g_assert_cmpuint(prov_fetch_context_get_inactivity_timeout(ctx), ==,
			 PROV_FETCH_CONTEXT_DEFAULT_INACTIVITY_TIMEOUT);
	g_assert_cmpstr(prov_fetch_context_get_username(ctx), ==, "device");
	g_assert_cmpstr(prov_fetch_context_get_password(ctx), ==, "p w");
	body = prov_fetch_context_get_post_body(ctx);
	g_assert_nonnull(body);
	/* $SA stays as written outside a credential (reference 3.2) */
	g_assert_cmpmem(g_bytes_get_data(body, NULL), g_bytes_get_size(body),
			"Ser_Num=88012BA01234; $SA", 25);
	g_assert_cmpstr(prov_fetch_context_get_content_type(ctx), ==, "text/plain");
	g_assert_null(prov_fetch_context_get_tls_database(ctx));
	g_assert_null(prov_fetch_context_get_tls_certificate(ctx));

	/* HTTP_User_Agent_Name replaces the header, its macros expanded */
	g_clear_object(&ctx);
	g_assert_true(prov_params_set_factory_value(fixture->params, "HTTP_User_Agent_Name",
						    "Acme-$PN ($SN)", &error));
	g_assert_no_error(error);
	ctx = prov_fetch_new_context(fixture->config, fixture->params, fixture->macro,
				     fixture_alternative(fixture), &error);
	g_assert_no_error(error);
	g_assert_cmpstr(prov_fetch_context_get_user_agent(ctx), ==,
			"Acme-ATA192-MPP (88012BA01234)");
}

static void
test_context_tls_errors(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvFetchContext) ctx = NULL;

	fixture_load(fixture,
		     PROV_FETCH_TEST_DEVICE "[daemon]\nDeviceCertificate=/nonexistent/device.pem\n",
		     "https://prov.example/basic.txt");
	ctx = prov_fetch_new_context(fixture->config, fixture->params, fixture->macro,
				     fixture_alternative(fixture), &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_assert_null(ctx);
	g_clear_error(&error);
	g_clear_object(&fixture->config);
	g_clear_object(&fixture->params);
	g_clear_object(&fixture->macro);
	g_clear_object(&fixture->rule);

	fixture_load(fixture, PROV_FETCH_TEST_DEVICE "[daemon]\nCAFile=/nonexistent/ca.pem\n",
		     "https://prov.example/basic.txt");
	ctx = prov_fetch_new_context(fixture->config, fixture->params, fixture->macro,
				     fixture_alternative(fixture), &error);
	g_assert_nonnull(error);
	g_assert_true(g_str_has_prefix(error->message, "CAFile: "));
	g_assert_null(ctx);
}

static void
test_unsupported_scheme(void)
{
	g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(GError) error = NULL;

	transport = prov_fetch_create_transport(loader, config, "ftp://10.0.0.1/x.cfg", &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_true(g_str_has_prefix(error->message, "unsupported scheme ftp"));
	g_assert_null(transport);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();
	g_test_add_func("/prov/fetch/user-agent", test_user_agent);
	g_test_add("/prov/fetch/build-url", Fixture, NULL, NULL, test_build_url, fixture_teardown);
	g_test_add("/prov/fetch/context", Fixture, NULL, NULL, test_context, fixture_teardown);
	g_test_add("/prov/fetch/context-tls-errors", Fixture, NULL, NULL, test_context_tls_errors,
		   fixture_teardown);
	g_test_add_func("/prov/fetch/unsupported-scheme", test_unsupported_scheme);
	return g_test_run();
}
