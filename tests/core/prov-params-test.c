/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "prov-error.h"
#include "prov-params-private.h"
#include "prov-params-transaction.h"
#include "prov-test-params.h"

/* every log message of the process, so that tests can count warnings and look for secrets */
typedef struct {
	GLogLevelFlags level;
	gchar *domain;
	gchar *message;
} ProvParamsTestLog;

static GPtrArray *prov_params_test_logs = NULL;

static void
prov_params_test_log_free(gpointer data)
{
	ProvParamsTestLog *log = data;

	g_free(log->domain);
	g_free(log->message);
	g_free(log);
}

static GLogWriterOutput
prov_params_test_writer(GLogLevelFlags level,
			const GLogField *fields,
			gsize n_fields,
			gpointer user_data)
{
	ProvParamsTestLog *log = g_new0(ProvParamsTestLog, 1);

	log->level = level & G_LOG_LEVEL_MASK;
	for (gsize i = 0; i < n_fields; i++) {
		const gchar *text = fields[i].value;
		gsize len = fields[i].length < 0 ? strlen(text) : (gsize)fields[i].length;

		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			log->message = g_strndup(text, len);
		else if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			log->domain = g_strndup(text, len);
	}
	g_ptr_array_add(prov_params_test_logs, log);
	if ((level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0) {
		g_log_writer_default(level, fields, n_fields, user_data);
		g_abort();
	}
	if (g_test_verbose())
		return g_log_writer_default(level, fields, n_fields, user_data);
	return G_LOG_WRITER_HANDLED;
}

static guint
prov_params_test_count_warnings(void)
{
	guint n = 0;

	for (guint i = 0; i < prov_params_test_logs->len; i++) {
		ProvParamsTestLog *log = g_ptr_array_index(prov_params_test_logs, i);

		if (log->level == G_LOG_LEVEL_WARNING)
			n++;
	}
	return n;
}

static gboolean
prov_params_test_logs_contain(const gchar *needle)
{
	for (guint i = 0; i < prov_params_test_logs->len; i++) {
		ProvParamsTestLog *log = g_ptr_array_index(prov_params_test_logs, i);

		if (log->message != NULL && strstr(log->message, needle) != NULL)
			return TRUE;
	}
	return FALSE;
}

static ProvParams *
prov_params_test_new(ProvBehaviour behaviour, guint line_count)
{
	g_autoptr(ProvParams) params = prov_params_new(behaviour);
	g_autoptr(GError) error = NULL;

	if (line_count > 0)
		prov_params_set_line_count(params, line_count);
	g_assert_true(prov_params_load_schema_dir(params, prov_test_schema_dir(), &error));
	g_assert_no_error(error);
	return g_steal_pointer(&params);
}

static void
prov_params_test_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	if (dir == NULL) {
		g_unlink(path);
		return;
	}
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		prov_params_test_remove_tree(child);
	}
	g_rmdir(path);
}

static void
prov_params_test_write(const gchar *path, const gchar *contents)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_set_contents(path, contents, -1, &error));
	g_assert_no_error(error);
}

static gchar *
prov_params_test_read(const gchar *path)
{
	gchar *contents = NULL;

	if (!g_file_get_contents(path, &contents, NULL, NULL))
		return NULL;
	return contents;
}

typedef struct {
	gchar *dir;
	gchar *state;
	ProvParams *params;
	guint n_signals;
	GStrv names;
	/* what the handler found on disk when the signal came */
	gchar *state_at_signal;
} ProvParamsFixture;

static void
prov_params_fixture_changed_cb(ProvParams *params, const gchar *const *names, gpointer user_data)
{
	ProvParamsFixture *fixture = user_data;

	fixture->n_signals++;
	g_strfreev(fixture->names);
	fixture->names = g_strdupv((gchar **)names);
	g_free(fixture->state_at_signal);
	fixture->state_at_signal = prov_params_test_read(fixture->state);
}

static void
prov_params_fixture_open(ProvParamsFixture *fixture, ProvBehaviour behaviour)
{
	g_autoptr(GError) error = NULL;

	g_clear_object(&fixture->params);
	fixture->params = prov_params_test_new(behaviour, 0);
	g_assert_true(prov_params_load_state(fixture->params, fixture->state, &error));
	g_assert_no_error(error);
	g_signal_connect(fixture->params, "changed", G_CALLBACK(prov_params_fixture_changed_cb),
			 fixture);
}

/* back to factory state: no state file, no copy, no leftovers */
static void
prov_params_fixture_reset(ProvParamsFixture *fixture)
{
	g_autofree gchar *backup = g_strconcat(fixture->state, ".bak", NULL);
	g_autofree gchar *temp = g_strconcat(fixture->state, ".tmp", NULL);

	g_unlink(fixture->state);
	g_unlink(backup);
	g_unlink(temp);
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
}

static void
prov_params_fixture_setup(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_ptr_array_set_size(prov_params_test_logs, 0);
	fixture->dir = g_dir_make_tmp("prov-params-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->state = g_build_filename(fixture->dir, "state.json", NULL);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
}

static void
prov_params_fixture_teardown(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->params);
	prov_params_test_remove_tree(fixture->dir);
	g_free(fixture->dir);
	g_free(fixture->state);
	g_strfreev(fixture->names);
	g_free(fixture->state_at_signal);
}

/* applies NAME=VALUE pairs as one profile would, at line 1 + index */
static gboolean
prov_params_test_apply(ProvParams *params, const gchar *const *pairs, GError **error)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(params);

	for (guint i = 0; pairs[i] != NULL; i += 2) {
		if (!prov_params_transaction_set(transaction, pairs[i], pairs[i + 1],
						 PROV_ACCESS_UNSET, NULL, i / 2 + 1, 3, error))
			return FALSE;
	}
	return prov_params_transaction_commit(transaction, error);
}

static void
prov_params_test_apply_ok(ProvParams *params, const gchar *const *pairs)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_params_test_apply(params, pairs, &error));
	g_assert_no_error(error);
}

/* schema */

static void
prov_params_test_schema_defaults_mpp(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
	const ProvParamDef *def;

	g_assert_cmpint(prov_params_get_behaviour(params), ==, PROV_BEHAVIOUR_MPP);
	g_assert_cmpstr(prov_params_get_value(params, "Profile_Rule"), ==, "/ata$PSN.cfg");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_Error_Retry_Delay"), ==, "3600");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_Periodic"), ==, "3600");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_Random_Delay"), ==, "2");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_At_Random_Delay"), ==, "600");
	g_assert_cmpstr(prov_params_get_value(params, "Forced_Resync_Delay"), ==, "14400");
	g_assert_cmpstr(prov_params_get_value(params, "Provision_Enable"), ==, "Yes");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_At__HHmm_"), ==, "");
	g_assert_cmpstr(prov_params_get_value(params, "CISCO_XML_EXE_Enable"), ==, "No");
	g_assert_cmpstr(prov_params_get_value(params, "CISCO_XML_EXE_Auth_Mode"), ==,
			"Local Credential");
	g_assert_cmpstr(prov_params_get_value(params, "DHCP_Option_To_Use"), ==,
			"66,160,159,150,60,43,125");
	g_assert_cmpstr(prov_params_get_value(params, "Log_Resync_Request_Msg"), ==,
			"$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH");
	g_assert_cmpstr(prov_params_get_value(params, "Log_Resync_Success_Msg"), ==,
			"$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH");
	g_assert_cmpstr(prov_params_get_value(params, "Log_Resync_Failure_Msg"), ==,
			"$PN $MAC -- Resync failed: $ERR");
	g_assert_cmpstr(prov_params_get_value(params, "Log_Upgrade_Success_Msg"), ==,
			"$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR");
	g_assert_cmpstr(prov_params_get_value(params, "Syslog_Identifier"), ==, "None");
	g_assert_cmpstr(prov_params_get_value(params, "periodic_upload_to_server"), ==, "3600");

	def = prov_params_lookup(params, "Resync_At__HHmm_");
	g_assert_nonnull(def);
	g_assert_cmpint(prov_param_def_get_param_type(def), ==, PROV_PARAM_TYPE_HHMM);
	g_assert_cmpint(prov_param_def_get_access(def), ==, PROV_ACCESS_NA);
	g_assert_cmpint(prov_params_get_access(params, "Resync_At"), ==, PROV_ACCESS_NA);
	g_assert_cmpstr(prov_param_def_get_group(def), ==, "Provisioning/Configuration_Profile");
	def = prov_params_lookup(params, "Resync_Random_Delay");
	g_assert_cmpuint(prov_param_def_get_min(def), ==, 0);
	g_assert_cmpuint(prov_param_def_get_max(def), ==, 65535);
	def = prov_params_lookup(params, "Admin_Password");
	g_assert_cmpstr(prov_param_def_get_export_name(def), ==, "Admin_Password");
	g_assert_true(prov_param_def_is_secret(def));
	g_assert_true(prov_param_def_needs_restart(prov_params_lookup(params, "User_ID_1_")));
	g_assert_false(prov_param_def_needs_restart(prov_params_lookup(params, "GPP_A")));
	g_assert_false(prov_param_def_is_ascii_only(prov_params_lookup(params, "User_ID_1_")));
	g_assert_cmpstr(prov_param_def_get_source(def), !=, NULL);
	g_assert_true(g_str_has_suffix(prov_param_def_get_source(def), "web.json"));
}

static void
prov_params_test_schema_defaults_spa(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_SPA, 0);
	const ProvParamDef *def;

	g_assert_cmpstr(prov_params_get_value(params, "Profile_Rule"), ==, "/spa$PSN.cfg");
	g_assert_cmpstr(prov_params_get_value(params, "Resync_Error_Retry_Delay"), ==, "3600");
	/* R21 wins over the SPA5xx factory value: no mode without authentication by default */
	g_assert_cmpstr(prov_params_get_value(params, "CISCO_XML_EXE_Auth_Mode"), ==,
			"Local Credential");
	def = prov_params_lookup(params, "Admin_Passwd");
	g_assert_cmpstr(prov_param_def_get_name(def), ==, "Admin_Password");
	g_assert_cmpstr(prov_param_def_get_export_name(def), ==, "Admin_Passwd");
	g_assert_true(prov_param_def_is_ascii_only(prov_params_lookup(params, "User_ID_1_")));
	g_assert_true(prov_param_def_is_ascii_only(prov_params_lookup(params, "Profile_Rule")));
	g_assert_false(prov_param_def_is_ascii_only(prov_params_lookup(params, "GPP_A")));
}

/* every parameter of reference section 2 and the ones the triggers and macros use */
static const gchar *const prov_params_test_required[] = {
    "Provision_Enable",
    "Resync_On_Reset",
    "Resync_Random_Delay",
    "Resync_At__HHmm_",
    "Resync_At_Random_Delay",
    "Resync_Periodic",
    "Resync_Error_Retry_Delay",
    "Forced_Resync_Delay",
    "Resync_From_SIP",
    "Resync_After_Upgrade_Attempt",
    "Resync_Trigger_1",
    "Resync_Trigger_2",
    "Resync_Fails_On_FNF",
    "Profile_Rule",
    "Profile_Rule_B",
    "Profile_Rule_C",
    "Profile_Rule_D",
    "Log_Resync_Request_Msg",
    "Log_Resync_Success_Msg",
    "Log_Resync_Failure_Msg",
    "Report_Rule",
    "User_Configurable_Resync",
    "Profile_Authentication_Type",
    "DHCP_Option_To_Use",
    "DHCPv6_Option_To_Use",
    "HTTPS_Name_Validate",
    "TLS_Min_Version",
    "Profile_Name",
    "Profile_Region",
    "Transport_Protocol",
    "Upgrade_Enable",
    "Upgrade_Error_Retry_Delay",
    "Downgrade_Rev_Limit",
    "Upgrade_Rule",
    "Log_Upgrade_Request_Msg",
    "Log_Upgrade_Success_Msg",
    "Log_Upgrade_Failure_Msg",
    "License_Keys",
    "Peer_Firmware_Sharing",
    "Peer_Firmware_Sharing_Log_Server",
    "Trans_Auth_Rule",
    "Trans_Auth_Type",
    "Transition_Authorization_Error_Retry_Delay",
    "GPP_A",
    "GPP_B",
    "GPP_C",
    "GPP_D",
    "GPP_E",
    "GPP_F",
    "GPP_G",
    "GPP_H",
    "GPP_I",
    "GPP_J",
    "GPP_K",
    "GPP_L",
    "GPP_M",
    "GPP_N",
    "GPP_O",
    "GPP_P",
    "GPP_SA",
    "GPP_SB",
    "GPP_SC",
    "GPP_SD",
    "Custom_CA_Rule",
    "MIC_Cert_Refresh_Enable",
    "MIC_Cert_Refresh_Rule",
    "HTTP_User_Agent_Name",
    "IKM_HTTP_Encrypt_Content",
    "HTTP_Report_Method",
    "Report_to_Server",
    "periodic_upload_to_server",
    "Upload_Delay_On_Local_Change",
    "Syslog_Server",
    "Syslog_Identifier",
    "Debug_Server",
    "Debug_Level",
    "Enable_Web_Server",
    "Enable_Direct_Action_Url",
    "Admin_Password",
    "User_Password",
    "Phone-UI-User-Mode",
    "CISCO_XML_EXE_Enable",
    "CISCO_XML_EXE_Auth_Mode",
    "XML_User_Name",
    "XML_Password",
    "Restricted_Access_Domains",
    "Auth_Resync-Reboot_1_",
    "Auth_Resync-Reboot_2_",
    "Auth_ID_1_",
    "Auth_ID_2_",
    "Proxy_1_",
    "Proxy_2_",
    "User_ID_1_",
    "User_ID_2_",
    "Password_1_",
    "Password_2_",
    "Display_Name_1_",
    "Display_Name_2_",
    "Line_Enable_1_",
    "Line_Enable_2_",
    "Dial_Plan_1_",
    "Dial_Plan_2_",
    NULL};

static const gchar *const prov_params_test_secret_names[] = {"GPP_SA",
							     "GPP_SB",
							     "GPP_SC",
							     "GPP_SD",
							     "Admin_Password",
							     "User_Password",
							     "XML_Password",
							     "Password_1_",
							     "Password_2_",
							     "IKM_HTTP_Encrypt_Content",
							     NULL};

static void
prov_params_test_schema_coverage(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
	g_autoptr(GPtrArray) defs = prov_params_get_definitions(params);
	struct {
		const gchar *alias;
		const gchar *name;
	} aliases[] = {
	    {"Resync_At_HHmm", "Resync_At__HHmm_"},
	    {"Resync_At", "Resync_At__HHmm_"},
	    {"Syslog_Server_IP", "Syslog_Server"},
	    {"Periodic_Upload_to_Server", "periodic_upload_to_server"},
	    {"Custom_CA_URL", "Custom_CA_Rule"},
	    {"Admin_Passwd", "Admin_Password"},
	    {"Log_Request_Msg", "Log_Resync_Request_Msg"},
	    {"Log_Success_Msg", "Log_Resync_Success_Msg"},
	    {"Log_Failure_Msg", "Log_Resync_Failure_Msg"},
	};
	guint n_secret = 0;

	for (guint i = 0; prov_params_test_required[i] != NULL; i++) {
		const ProvParamDef *def = prov_params_lookup(params, prov_params_test_required[i]);

		if (def == NULL)
			g_error("%s is missing from the schema", prov_params_test_required[i]);
		g_assert_cmpstr(prov_param_def_get_name(def), ==, prov_params_test_required[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(aliases); i++) {
		const ProvParamDef *def = prov_params_lookup(params, aliases[i].alias);

		g_assert_nonnull(def);
		g_assert_cmpstr(prov_param_def_get_name(def), ==, aliases[i].name);
		g_assert_true(g_strv_contains(prov_param_def_get_aliases(def), aliases[i].alias));
		g_assert_cmpstr(prov_params_get_value(params, aliases[i].alias), ==,
				prov_params_get_value(params, aliases[i].name));
	}
	/* each definition is described, grouped and in the secret list exactly when secret */
	for (guint i = 0; i < defs->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(defs, i);
		const gchar *description = prov_param_def_get_description(def);

		g_assert_true(g_str_has_suffix(description, "."));
		g_assert_true(g_ascii_isupper(description[0]));
		g_assert_cmpstr(prov_param_def_get_group(def), !=, "");
		g_assert_cmpint(
		    prov_param_def_is_secret(def), ==,
		    g_strv_contains(prov_params_test_secret_names, prov_param_def_get_name(def)));
		n_secret += prov_param_def_is_secret(def);
	}
	g_assert_cmpuint(n_secret, ==, g_strv_length((gchar **)prov_params_test_secret_names));
	g_assert_null(prov_params_lookup(params, "User_ID_3_"));
	g_assert_null(prov_params_lookup(params, "Resync_Trigger_3"));
	g_assert_null(prov_params_lookup(params, "resync_periodic"));
}

static void
prov_params_test_schema_templates(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 4);
	const ProvParamDef *def;

	g_assert_cmpuint(prov_params_get_line_count(params), ==, 4);
	def = prov_params_lookup(params, "User_ID_4_");
	g_assert_nonnull(def);
	g_assert_cmpuint(prov_param_def_get_index(def), ==, 4);
	g_assert_cmpstr(prov_param_def_get_group(def), ==, "Voice/Line_4");
	g_assert_nonnull(strstr(prov_param_def_get_description(def), "line 4"));
	g_assert_nonnull(strstr(prov_param_def_get_description(def), "$UID4"));
	g_assert_true(prov_param_def_is_secret(prov_params_lookup(params, "Password_4_")));
	g_assert_cmpstr(prov_params_get_value(params, "Auth_Resync-Reboot_3_"), ==, "Yes");
	g_assert_null(prov_params_lookup(params, "User_ID_5_"));
	g_assert_null(prov_params_lookup(params, "User_ID_0_"));
	g_assert_cmpuint(prov_param_def_get_index(prov_params_lookup(params, "GPP_A")), ==, 0);
	/* a fixed range does not follow the line count */
	g_assert_nonnull(prov_params_lookup(params, "Resync_Trigger_2"));
	g_assert_null(prov_params_lookup(params, "Resync_Trigger_3"));
}

static void
prov_params_test_schema_order(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 10);
	g_autoptr(GPtrArray) first = prov_params_get_definitions(params);
	g_autoptr(GPtrArray) second = prov_params_get_definitions(params);
	gint line_2 = -1;
	gint line_10 = -1;

	g_assert_cmpuint(first->len, ==, prov_params_get_n_definitions(params));
	g_assert_cmpuint(first->len, ==, second->len);
	for (guint i = 0; i < first->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(first, i);

		g_assert_true(def == g_ptr_array_index(second, i));
		if (i > 0) {
			const ProvParamDef *prev = g_ptr_array_index(first, i - 1);
			gint cmp = g_strcmp0(prov_param_def_get_group(prev),
					     prov_param_def_get_group(def));

			/* groups never interleave */
			if (cmp != 0) {
				for (guint j = i; j < first->len; j++)
					g_assert_cmpstr(
					    prov_param_def_get_group(g_ptr_array_index(first, j)),
					    !=, prov_param_def_get_group(prev));
			}
		}
		if (g_strcmp0(prov_param_def_get_name(def), "User_ID_2_") == 0)
			line_2 = (gint)i;
		if (g_strcmp0(prov_param_def_get_name(def), "User_ID_10_") == 0)
			line_10 = (gint)i;
	}
	g_assert_cmpint(line_2, >=, 0);
	g_assert_cmpint(line_10, >, line_2);
	/* within a group: by name */
	for (guint i = 1; i < first->len; i++) {
		const ProvParamDef *prev = g_ptr_array_index(first, i - 1);
		const ProvParamDef *def = g_ptr_array_index(first, i);

		if (g_strcmp0(prov_param_def_get_group(prev), "Provisioning/Firmware_Upgrade") ==
			0 &&
		    g_strcmp0(prov_param_def_get_group(def), "Provisioning/Firmware_Upgrade") == 0)
			g_assert_cmpint(
			    g_strcmp0(prov_param_def_get_name(prev), prov_param_def_get_name(def)),
			    <, 0);
	}
}

static gchar *
prov_params_test_make_dir(const gchar *parent, const gchar *name)
{
	gchar *dir = g_build_filename(parent, name, NULL);

	g_assert_cmpint(g_mkdir_with_parents(dir, 0700), ==, 0);
	return dir;
}

static gchar *
prov_params_test_write_schema(const gchar *dir, const gchar *file, const gchar *contents)
{
	gchar *path = g_build_filename(dir, file, NULL);

	prov_params_test_write(path, contents);
	return path;
}

static void
prov_params_test_schema_duplicate(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParams) params = prov_params_new(PROV_BEHAVIOUR_MPP);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir_a = prov_params_test_make_dir(fixture->dir, "a");
	g_autofree gchar *dir_b = prov_params_test_make_dir(fixture->dir, "b");
	g_autofree gchar *dir_c = prov_params_test_make_dir(fixture->dir, "c");
	g_autofree gchar *path_a =
	    prov_params_test_write_schema(dir_a, "base.json",
					  "{\"version\": 1, \"parameters\": [\n"
					  "  {\"name\": \"Alpha\"},\n"
					  "  {\"name\": \"Beta\", \"aliases\": [\"Beta_Old\"]}\n"
					  "]}\n");
	g_autofree gchar *path_b1 = prov_params_test_write_schema(
	    dir_b, "10-first.json", "{\"version\": 1, \"parameters\": [{\"name\": \"Gamma\"}]}");
	g_autofree gchar *path_b2 =
	    prov_params_test_write_schema(dir_b, "20-second.json",
					  "{\"version\": 1, \"parameters\": [\n"
					  "  {\"name\": \"Delta\"},\n"
					  "  {\"name\": \"Alpha\"}\n"
					  "]}\n");
	g_autofree gchar *path_c =
	    prov_params_test_write_schema(dir_c, "vendor.json",
					  "{\"version\": 1, \"parameters\": [\n"
					  "  {\"name\": \"Epsilon\", \"aliases\": [\"Beta_Old\"]}\n"
					  "]}\n");
	g_autofree gchar *expected_b = NULL;
	g_autofree gchar *expected_c = NULL;

	g_assert_nonnull(path_b1);
	g_assert_true(prov_params_load_schema_dir(params, dir_a, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_params_get_n_definitions(params), ==, 2);

	/* the whole directory is refused, including the file that was fine */
	g_assert_false(prov_params_load_schema_dir(params, dir_b, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_SCHEMA);
	expected_b = g_strdup_printf("%s:3: Alpha: already declared in %s:2", path_b2, path_a);
	g_assert_cmpstr(error->message, ==, expected_b);
	g_clear_error(&error);
	g_assert_cmpuint(prov_params_get_n_definitions(params), ==, 2);
	g_assert_null(prov_params_lookup(params, "Gamma"));
	g_assert_null(prov_params_lookup(params, "Delta"));

	/* an alias clashes too */
	g_assert_false(prov_params_load_schema_dir(params, dir_c, &error));
	expected_c = g_strdup_printf("%s:2: Beta_Old: already declared in %s:3", path_c, path_a);
	g_assert_cmpstr(error->message, ==, expected_c);
	g_clear_error(&error);
	g_assert_null(prov_params_lookup(params, "Epsilon"));
	g_assert_true(prov_params_lookup(params, "Beta_Old") == prov_params_lookup(params, "Beta"));

	/* a name that is an earlier alias clashes as well, and the alias keeps its owner */
	g_unlink(path_c);
	g_free(path_c);
	path_c = prov_params_test_write_schema(
	    dir_c, "vendor.json", "{\"version\": 1, \"parameters\": [{\"name\": \"Beta_Old\"}]}");
	g_assert_false(prov_params_load_schema_dir(params, dir_c, &error));
	g_free(expected_c);
	expected_c = g_strdup_printf("%s:1: Beta_Old: already declared in %s:3", path_c, path_a);
	g_assert_cmpstr(error->message, ==, expected_c);
	g_clear_error(&error);
	g_assert_true(prov_params_lookup(params, "Beta_Old") == prov_params_lookup(params, "Beta"));
	g_assert_cmpuint(prov_params_get_n_definitions(params), ==, 2);

	/* after fixing the clash the directory loads on top of the first */
	g_unlink(path_b2);
	g_assert_true(prov_params_load_schema_dir(params, dir_b, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_params_get_n_definitions(params), ==, 3);
	g_assert_nonnull(prov_params_lookup(params, "Gamma"));

	/* a missing directory */
	g_assert_false(prov_params_load_schema_dir(params, "/nonexistent/prov-params", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_SCHEMA);
}

static void
prov_params_test_schema_errors(ProvParamsFixture *fixture, gconstpointer user_data)
{
	struct {
		const gchar *contents;
		const gchar *message;
	} cases[] = {
	    {"{\"version\": 1, \"parameters\": [\n{\"name\": \"A\"},\n"
	     "{\"name\": \"B\", \"type\": \"nope\"}\n]}",
	     ":3: B: unknown type \"nope\""},
	    {"{\"version\": 1, \"parameters\": [\n{\"name\": \"A\",}\n]}", ":2:"},
	    {"{\"parameters\": []}", ": missing \"version\""},
	    {"{\"version\": 1}", ": missing \"parameters\""},
	    {"{\"version\": 2, \"parameters\": []}", ":1:2: unsupported schema version"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"defualt\": \"x\"}]}",
	     ":1: A: unknown key \"defualt\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"secret\": \"yes\"}]}",
	     "A: \"secret\" must be true or false"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"type\": \"enum\"}]}",
	     "A: an enum needs a non-empty \"values\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"type\": \"enum\", "
	     "\"values\": [\"x\", \"y\"], \"default\": \"z\"}]}",
	     "A: \"z\" is not one of: x, y (the mpp default)"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"type\": \"bool\"}]}",
	     "A: \"\" is not a boolean (Yes or No) (the mpp default)"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"type\": \"uint\", "
	     "\"default\": {\"mpp\": \"1\", \"spa\": \"x\"}}]}",
	     "(the spa default)"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"default\": {\"xyz\": \"1\"}}]}",
	     "unknown behaviour profile \"xyz\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A_{n}_\"}]}",
	     "A_{n}_: a template needs a \"range\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"range\": [1, 2]}]}",
	     "A: \"range\" needs {n} in the name"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A_{n}\", \"range\": [3, 2]}]}",
	     "\"range\" must satisfy"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A_{n}\", \"range\": [1, 2], "
	     "\"aliases\": [\"B\"]}]}",
	     "invalid alias \"B\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"1abc\"}]}",
	     "1abc: invalid parameter name"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"a b\"}]}", "invalid parameter name"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"min\": 1}]}",
	     "\"min\" and \"max\" need type uint"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"type\": \"uint\", \"min\": 5, "
	     "\"max\": 1, \"default\": \"3\"}]}",
	     "\"min\" is larger than \"max\""},
	    {"{\"version\": 1, \"parameters\": [{\"name\": 5}]}", "a parameter needs a \"name\""},
	    {"{\"version\": 1, \"parameters\": [1]}", "a parameter must be an object"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"values\": [\"x\"]}]}",
	     "\"values\" needs type enum"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"access\": \"rx\"}]}",
	     "\"access\" must be na, ro or rw"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"ascii_only\": \"yes\"}]}",
	     "\"ascii_only\" must be true, false or a behaviour profile"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"group\": 1}]}",
	     "\"group\" must be a string"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"aliases\": [\"A\"]}]}",
	     "A: already declared in"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\"}, {\"name\": \"A\"}]}",
	     "A: already declared in"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\"}]", "unexpected end of file"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\"}]} x", "unexpected text"},
	    {"{\"version\": 1, \"parameters\": [], \"defaults\": {}}", "\"defaults\" must come"},
	    {"{\"version\": 1, \"defaults\": {\"name\": \"x\"}, \"parameters\": []}",
	     "\"defaults\" cannot give a name"},
	    {"{\"version\": 1, \"parameters\": [], \"extra\": 1}", "unknown key \"extra\""},
	    {"{\"version\": 1, \"version\": 1, \"parameters\": []}", "duplicate key"},
	    {"[]", ":1:1: expected '{'"},
	    {"", "expected '{'"},
	    {"{\"version\": 1, \"parameters\": [{\"name\": \"A\", \"description\": \"\xff\"}]}",
	     "invalid utf-8"},
	    {"{\"version\": 1, /* c */ \"parameters\": []}", "expected a quoted key"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvParams) params = prov_params_new(PROV_BEHAVIOUR_MPP);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *name = g_strdup_printf("errors-%u", i);
		g_autofree gchar *dir = prov_params_test_make_dir(fixture->dir, name);
		g_autofree gchar *path =
		    prov_params_test_write_schema(dir, "bad.json", cases[i].contents);

		g_test_message("case %u: %s", i, cases[i].contents);
		g_assert_false(prov_params_load_schema_dir(params, dir, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_SCHEMA);
		g_test_message("-> %s", error->message);
		g_assert_true(g_str_has_prefix(error->message, path));
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_cmpuint(prov_params_get_n_definitions(params), ==, 0);
	}
}

/* entries the fast scanner takes and entries json-c takes must mean the same */
static void
prov_params_test_schema_paths(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParams) params = prov_params_new(PROV_BEHAVIOUR_SPA);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = prov_params_test_make_dir(fixture->dir, "paths");
	g_autofree gchar *path = prov_params_test_write_schema(
	    dir, "paths.json",
	    "{\"version\": 1,\n"
	    " \"defaults\": {\"group\": \"G/S\", \"access\": \"ro\"},\n"
	    " \"parameters\": [\n"
	    "  {\"name\": \"Plain\", \"type\": \"bool\", \"default\": \"enable\"},\n"
	    "  {\"name\": \"Json\", \"type\": \"bool\", \"default\": \"enable\", \"secret\": "
	    "false},\n"
	    "  {\"name\": \"Escaped\", \"description\": \"a \\\"quoted\\\" \\u00e9 word.\"},\n"
	    "  {\"name\": \"Utf8\", \"description\": \"caf\xc3\xa9.\", \"ascii_only\": \"spa\"},\n"
	    "  {\"name\": \"Own\", \"group\": \"X/Y\", \"access\": \"rw\"},\n"
	    "  {\"name\": \"Many\", \"type\": \"enum\", \"values\": [\"One\", \"Two\"],\n"
	    "   \"default\": {\"mpp\": \"one\", \"spa\": \"TWO\"}, \"restart\": true}\n"
	    " ]}\n");
	const ProvParamDef *def;

	g_assert_nonnull(path);
	g_assert_true(prov_params_load_schema_dir(params, dir, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(params, "Plain"), ==, "Yes");
	g_assert_cmpstr(prov_params_get_value(params, "Json"), ==, "Yes");
	g_assert_cmpint(prov_params_get_access(params, "Plain"), ==, PROV_ACCESS_RO);
	g_assert_cmpint(prov_params_get_access(params, "Json"), ==, PROV_ACCESS_RO);
	g_assert_cmpstr(prov_param_def_get_group(prov_params_lookup(params, "Json")), ==, "G/S");
	g_assert_cmpstr(prov_param_def_get_description(prov_params_lookup(params, "Escaped")), ==,
			"a \"quoted\" \xc3\xa9 word.");
	def = prov_params_lookup(params, "Utf8");
	g_assert_cmpstr(prov_param_def_get_description(def), ==, "caf\xc3\xa9.");
	g_assert_true(prov_param_def_is_ascii_only(def));
	g_assert_cmpint(prov_params_get_access(params, "Own"), ==, PROV_ACCESS_RW);
	g_assert_cmpstr(prov_param_def_get_group(prov_params_lookup(params, "Own")), ==, "X/Y");
	def = prov_params_lookup(params, "Many");
	g_assert_cmpstr(prov_params_get_value(params, "Many"), ==, "Two");
	g_assert_true(prov_param_def_needs_restart(def));
	g_assert_cmpstr(prov_param_def_get_values(def)[0], ==, "One");
	g_assert_cmpstr(prov_param_def_get_values(def)[1], ==, "Two");
	g_assert_null(prov_param_def_get_values(def)[2]);
	g_assert_cmpuint(prov_param_def_get_index(def), ==, 0);
	g_assert_null(prov_param_def_get_aliases(def));
	g_assert_true(g_str_has_suffix(prov_param_def_get_source(def), "paths.json"));
}

static void
prov_params_test_schema_large(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParams) params = prov_params_new(PROV_BEHAVIOUR_MPP);
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) contents = g_string_new("{\"version\": 1, \"parameters\": [\n");
	g_autofree gchar *dir = prov_params_test_make_dir(fixture->dir, "large");
	g_autofree gchar *path = NULL;
	g_autoptr(GTimer) timer = NULL;
	const guint n = 100000;

	for (guint i = 1; i <= n; i++)
		g_string_append_printf(contents, "{\"name\": \"P_%06u\", \"type\": \"string\"}%s\n",
				       i, i < n ? "," : "");
	g_string_append(contents, "]}\n");
	path = prov_params_test_write_schema(dir, "large.json", contents->str);
	timer = g_timer_new();
	g_assert_true(prov_params_load_schema_dir(params, dir, &error));
	g_assert_no_error(error);
	g_test_message("%u definitions (%zu bytes) loaded in %.1f ms", n, contents->len,
		       g_timer_elapsed(timer, NULL) * 1000);
	g_assert_cmpuint(prov_params_get_n_definitions(params), ==, n);
	g_assert_cmpstr(prov_params_get_value(params, "P_050000"), ==, "");
	g_assert_cmpuint(prov_param_def_get_source_line(prov_params_lookup(params, "P_050000")), ==,
			 50001);

	/* the same on one line (minified): line numbers must not cost a rescan per entry */
	{
		g_autoptr(ProvParams) minified = prov_params_new(PROV_BEHAVIOUR_MPP);
		g_autofree gchar *one_dir = prov_params_test_make_dir(fixture->dir, "one-line");
		g_autofree gchar *one_path = NULL;
		g_autoptr(GString) joined = g_string_sized_new(contents->len);

		/* by hand: ASan's strstr() interceptor makes g_strsplit() quadratic */
		for (gsize i = 0; i < contents->len; i++) {
			if (contents->str[i] != '\n')
				g_string_append_c(joined, contents->str[i]);
		}
		one_path = prov_params_test_write_schema(one_dir, "one.json", joined->str);
		g_timer_start(timer);
		g_assert_true(prov_params_load_schema_dir(minified, one_dir, &error));
		g_assert_no_error(error);
		g_test_message("the same on one line in %.1f ms",
			       g_timer_elapsed(timer, NULL) * 1000);
		g_assert_cmpuint(prov_params_get_n_definitions(minified), ==, n);
		g_assert_cmpuint(
		    prov_param_def_get_source_line(prov_params_lookup(minified, "P_100000")), ==,
		    1);
	}
}

/* types */

typedef struct {
	const gchar *name;
	const gchar *value;
	const gchar *canonical; /* NULL: invalid */
} ProvParamsTypeCase;

static void
prov_params_test_types(void)
{
	static const ProvParamsTypeCase cases[] = {
	    {"Resync_On_Reset", "Yes", "Yes"},
	    {"Resync_On_Reset", "yes", "Yes"},
	    {"Resync_On_Reset", "ENABLE", "Yes"},
	    {"Resync_On_Reset", "enable", "Yes"},
	    {"Resync_On_Reset", "1", "Yes"},
	    {"Resync_On_Reset", "true", "Yes"},
	    {"Resync_On_Reset", "On", "Yes"},
	    {"Resync_On_Reset", "No", "No"},
	    {"Resync_On_Reset", "no", "No"},
	    {"Resync_On_Reset", "Disable", "No"},
	    {"Resync_On_Reset", "0", "No"},
	    {"Resync_On_Reset", "FALSE", "No"},
	    {"Resync_On_Reset", "off", "No"},
	    {"Resync_On_Reset", "maybe", NULL},
	    {"Resync_On_Reset", "", NULL},
	    {"Resync_On_Reset", "2", NULL},
	    {"Resync_On_Reset", "Yes ", NULL},
	    {"Resync_Random_Delay", "0", "0"},
	    {"Resync_Random_Delay", "007", "7"},
	    {"Resync_Random_Delay", "000", "0"},
	    {"Resync_Random_Delay", "65535", "65535"},
	    {"Resync_Random_Delay", "65536", NULL},
	    {"Resync_Random_Delay", "-1", NULL},
	    {"Resync_Random_Delay", "1.5", NULL},
	    {"Resync_Random_Delay", "", NULL},
	    {"Resync_Random_Delay", " 1", NULL},
	    {"Resync_Random_Delay", "99999999999999999999999999", NULL},
	    {"periodic_upload_to_server", "599", NULL},
	    {"periodic_upload_to_server", "600", "600"},
	    {"periodic_upload_to_server", "2592000", "2592000"},
	    {"periodic_upload_to_server", "2592001", NULL},
	    {"Debug_Level", "3", "3"},
	    {"Debug_Level", "4", NULL},
	    {"CISCO_XML_EXE_Auth_Mode", "local credential", "Local Credential"},
	    {"CISCO_XML_EXE_Auth_Mode", "TRUSTED", "Trusted"},
	    {"CISCO_XML_EXE_Auth_Mode", "Remote Credential", "Remote Credential"},
	    {"CISCO_XML_EXE_Auth_Mode", "Local", NULL},
	    {"CISCO_XML_EXE_Auth_Mode", "", NULL},
	    {"Profile_Authentication_Type", "Basic Http Authentication",
	     "Basic HTTP Authentication"},
	    {"TLS_Min_Version", "tls 1.2", "TLS 1.2"},
	    {"Syslog_Identifier", "$mau", "$MAU"},
	    {"Resync_At__HHmm_", "", ""},
	    {"Resync_At__HHmm_", "0959", "0959"},
	    {"Resync_At__HHmm_", "0000", "0000"},
	    {"Resync_At__HHmm_", "2400", "2400"},
	    {"Resync_At__HHmm_", "2359", "2359"},
	    {"Resync_At__HHmm_", "2401", NULL},
	    {"Resync_At__HHmm_", "2500", NULL},
	    {"Resync_At__HHmm_", "0960", NULL},
	    {"Resync_At__HHmm_", "959", NULL},
	    {"Resync_At__HHmm_", "09:59", NULL},
	    {"Resync_At__HHmm_", "abcd", NULL},
	    {"Resync_At__HHmm_", "09590", NULL},
	    {"Resync_Periodic", "", ""},
	    {"Resync_Periodic", "0", "0"},
	    {"Resync_Periodic", "86400", "86400"},
	    {"Resync_Error_Retry_Delay", "1800,3600,7200,14400", "1800,3600,7200,14400"},
	    {"Resync_Error_Retry_Delay",
	     "60,120,240,480,960,1920,3840,7680,15360,30720,61440,86400",
	     "60,120,240,480,960,1920,3840,7680,15360,30720,61440,86400"},
	    {"Resync_Periodic", "3600+600", "3600+600"},
	    {"Upgrade_Error_Retry_Delay", "1800,3600,7200,14400+3600", "1800,3600,7200,14400+3600"},
	    {"Resync_Periodic", " 1800 , 3600 + 60 ", " 1800 , 3600 + 60 "},
	    {"Resync_Periodic", "abc", NULL},
	    {"Resync_Periodic", "1800,", NULL},
	    {"Resync_Periodic", ",1800", NULL},
	    {"Resync_Periodic", "3600+", NULL},
	    {"Resync_Periodic", "+600", NULL},
	    {"Resync_Periodic", "1,,2", NULL},
	    {"Resync_Periodic", "-5", NULL},
	    {"Resync_Periodic", "3600+600+1", NULL},
	    {"Resync_Periodic", "99999999999", NULL},
	    {"DHCP_Option_To_Use", "66,160", "66,160"},
	    {"DHCP_Option_To_Use", "66, 160", "66, 160"},
	    {"DHCP_Option_To_Use", "", ""},
	    {"DHCP_Option_To_Use", "66;160", NULL},
	    {"DHCP_Option_To_Use", "66+1", NULL},
	    {"DHCP_Option_To_Use", "a", NULL},
	    {"Downgrade_Rev_Limit", "11-1-0MPP-19", "11-1-0MPP-19"},
	    {"Downgrade_Rev_Limit", "2.0.6(b)", "2.0.6(b)"},
	    {"Downgrade_Rev_Limit", "1.0 2", NULL},
	    {"MIC_Cert_Refresh_Rule", "https://x.example/renew", "https://x.example/renew"},
	    {"MIC_Cert_Refresh_Rule", "http://x /y", NULL},
	    {"Syslog_Server", "", ""},
	    {"Syslog_Server", "192.168.1.200", "192.168.1.200"},
	    {"Syslog_Server", "syslog.example.com:514", "syslog.example.com:514"},
	    {"Syslog_Server", "[::1]:514", "[::1]:514"},
	    {"Syslog_Server", "[fe80::1]", "[fe80::1]"},
	    {"Syslog_Server", "host:65535", "host:65535"},
	    {"Syslog_Server", "host:0", NULL},
	    {"Syslog_Server", "host:65536", NULL},
	    {"Syslog_Server", "host:", NULL},
	    {"Syslog_Server", ":514", NULL},
	    {"Syslog_Server", "a b", NULL},
	    {"Syslog_Server", "[::1", NULL},
	    {"Syslog_Server", "[]:1", NULL},
	    {"Syslog_Server", "host:port", NULL},
	    {"Syslog_Server", "host:514x", NULL},
	    {"GPP_A", "anything at all, even \"quotes\" <and> $MACROS",
	     "anything at all, even "
	     "\"quotes\" <and> $MACROS"},
	    {"GPP_A", "\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"},
	    {"GPP_A", "\xff\xfe", NULL},
	    /* UTF-8 is checked eight ASCII bytes at a time: bad bytes before, at and after */
	    {"GPP_A", "1234567\xff", NULL},
	    {"GPP_A", "12345678\xff", NULL},
	    {"GPP_A", "123456789abcdefgh\xc3", NULL},
	    {"GPP_A", "0123456789abcdef\xc3\xa9xyz", "0123456789abcdef\xc3\xa9xyz"},
	    {"GPP_A", "0123456\xed\xa0\x80", NULL},
	    {"Profile_Rule", "[--key $SA] https://p.example/$MA.cfg",
	     "[--key $SA] https://p.example/$MA.cfg"},
	    {"Resync_Trigger_1", "$UPGTMR gt 300 and $PRVTMR ge 600",
	     "$UPGTMR gt 300 and $PRVTMR ge 600"},
	    {"User_ID_1_", "j\xc3\xb6hn", "j\xc3\xb6hn"},
	};
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
	g_autoptr(ProvParams) spa = prov_params_test_new(PROV_BEHAVIOUR_SPA, 0);
	g_autoptr(GError) error = NULL;
	ProvParamType type_unused;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		const ProvParamDef *def = prov_params_lookup(params, cases[i].name);
		const gchar *canonical;

		g_assert_nonnull(def);
		canonical = prov_param_def_canonicalize(def, cases[i].value, &error);
		if (cases[i].canonical == NULL) {
			if (canonical != NULL)
				g_error("%s=\"%s\" was accepted", cases[i].name, cases[i].value);
			g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
			g_assert_true(g_str_has_prefix(error->message, cases[i].name));
			g_clear_error(&error);
			continue;
		}
		if (canonical == NULL)
			g_error("%s=\"%s\" was refused: %s", cases[i].name, cases[i].value,
				error->message);
		g_assert_cmpstr(canonical, ==, cases[i].canonical);
	}

	/* ascii_only applies under the spa profile only */
	g_assert_null(prov_param_def_canonicalize(prov_params_lookup(spa, "User_ID_1_"),
						  "j\xc3\xb6hn", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_cmpstr(error->message, ==,
			"User_ID_1_: \"j\xc3\xb6hn\" contains characters other than ASCII");
	g_clear_error(&error);
	g_assert_nonnull(
	    prov_param_def_canonicalize(prov_params_lookup(spa, "GPP_A"), "j\xc3\xb6hn", &error));

	/* messages quote the value, escaped and cut */
	g_assert_null(prov_param_def_canonicalize(prov_params_lookup(params, "Syslog_Server"),
						  "a\tb\"c", &error));
	g_assert_cmpstr(error->message, ==, "Syslog_Server: \"a\\x09b\\\"c\" is not host[:port]");
	g_clear_error(&error);
	g_assert_null(prov_param_def_canonicalize(
	    prov_params_lookup(params, "Resync_Periodic"),
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    &error));
	g_assert_nonnull(strstr(error->message, "xxxx\"... is not a schedule"));
	g_clear_error(&error);
	g_assert_null(prov_param_def_canonicalize(prov_params_lookup(params, "Resync_Random_Delay"),
						  "70000", &error));
	g_assert_cmpstr(error->message, ==,
			"Resync_Random_Delay: \"70000\" is out of range 0..65535");
	g_clear_error(&error);

	for (guint i = 0; i < PROV_PARAM_TYPE_LAST; i++) {
		ProvParamType type;

		g_assert_true(prov_param_type_from_string(prov_param_type_to_string(i), &type));
		g_assert_cmpint(type, ==, i);
	}
	g_assert_false(prov_param_type_from_string("seconds", &type_unused));
	g_assert_null(prov_param_type_to_string(PROV_PARAM_TYPE_LAST));
}

/* transactions */

static void
prov_params_test_transaction_basic(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *state = NULL;

	g_assert_true(prov_params_transaction_get_params(transaction) == fixture->params);
	g_assert_true(prov_params_transaction_set(transaction, "Resync_On_Reset", "no",
						  PROV_ACCESS_UNSET, NULL, 2, 3, &error));
	g_assert_true(prov_params_transaction_set(transaction, "Resync_Periodic", "7200",
						  PROV_ACCESS_UNSET, NULL, 3, 3, &error));
	g_assert_true(prov_params_transaction_set(transaction, "Not_A_Parameter", "x",
						  PROV_ACCESS_UNSET, NULL, 4, 3, &error));
	g_assert_true(prov_params_transaction_set(transaction, "Profile_Rule",
						  "tftp://prov.telco.com:6900/cisco/config/x.cfg",
						  PROV_ACCESS_RO, NULL, 5, 3, &error));
	g_assert_true(prov_params_transaction_set(transaction, "Provision_Enable", "Yes",
						  PROV_ACCESS_UNSET, NULL, 6, 3, &error));
	g_assert_no_error(error);
	/* nothing changes before the commit */
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_On_Reset"), ==, "Yes");
	g_assert_cmpstr(prov_params_transaction_get_changed(transaction)[0], ==, NULL);

	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_On_Reset"), ==, "No");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Periodic"), ==, "7200");
	g_assert_cmpint(prov_params_get_access(fixture->params, "Profile_Rule"), ==,
			PROV_ACCESS_RO);
	g_assert_cmpuint(prov_params_transaction_get_n_assignments(transaction), ==, 4);
	g_assert_cmpuint(prov_params_transaction_get_n_parameters(transaction), ==, 4);
	g_assert_cmpuint(prov_params_transaction_get_n_applied(transaction), ==, 3);
	g_assert_cmpuint(prov_params_transaction_get_n_unchanged(transaction), ==, 1);
	g_assert_cmpuint(prov_params_transaction_get_n_skipped(transaction), ==, 1);
	g_assert_false(prov_params_transaction_is_unchanged(transaction));
	g_assert_false(prov_params_transaction_get_restart_required(transaction));
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	g_assert_cmpuint(g_strv_length(fixture->names), ==, 3);
	g_assert_cmpstr(fixture->names[0], ==, "Resync_On_Reset");
	g_assert_cmpstr(fixture->names[1], ==, "Resync_Periodic");
	g_assert_cmpstr(fixture->names[2], ==, "Profile_Rule");
	g_assert_true(g_strv_equal((const gchar *const *)fixture->names,
				   prov_params_transaction_get_changed(transaction)));
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);
	state = prov_params_test_read(fixture->state);
	g_assert_nonnull(strstr(state, "\"Resync_Periodic\": \"7200\""));
	g_assert_nonnull(strstr(state, "\"Profile_Rule\": \"ro\""));
	g_assert_null(strstr(state, "Provision_Enable"));

	/* a committed transaction is finished */
	g_assert_false(prov_params_transaction_set(transaction, "GPP_A", "x", PROV_ACCESS_UNSET,
						   NULL, 0, 0, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(prov_params_transaction_commit(transaction, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
}

static void
prov_params_test_transaction_empty_value(ProvParamsFixture *fixture, gconstpointer user_data)
{
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"GPP_A", "x", "Resync_At", "0959", NULL});
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "x");
	/* reference 1.2 rule 11: "" is the empty string, as is an empty element */
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"GPP_A", "\"\"", "Resync_At__HHmm_", "",
							 "GPP_B", "\"x\"", NULL});
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_At__HHmm_"), ==, "");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, "\"x\"");
	/* for a type where "" is invalid, "" is invalid */
	g_assert_false(prov_params_test_apply(
	    fixture->params, (const gchar *const[]){"Debug_Level", "\"\"", NULL}, NULL));
}

static void
prov_params_test_transaction_r1(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *before = NULL;
	g_autofree gchar *after = NULL;
	struct stat st_before;
	struct stat st_after;
	guint n_failed = 0;

	/* an earlier state, so that "nothing written" can be checked byte for byte */
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"GPP_A", "old", "Debug_Level", "1", NULL});
	before = prov_params_test_read(fixture->state);
	g_assert_cmpint(g_stat(fixture->state, &st_before), ==, 0);
	fixture->n_signals = 0;

	transaction = prov_params_transaction_new(fixture->params);
	for (guint i = 0; i < 2001; i++) {
		g_autofree gchar *name = g_strdup_printf("GPP_%c", 'A' + (gchar)(i % 16));
		g_autofree gchar *value = g_strdup_printf("value-%u", i);
		gboolean ok;

		if (i == 1500)
			ok = prov_params_transaction_set(transaction, "Resync_Random_Delay", "abc",
							 PROV_ACCESS_UNSET, NULL, 1501, 7, &error);
		else
			ok = prov_params_transaction_set(transaction, name, value,
							 PROV_ACCESS_UNSET, NULL, i + 1, 7, &error);
		if (!ok) {
			n_failed++;
			g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
			g_assert_cmpstr(error->message, ==,
					"1501:7: Resync_Random_Delay: \"abc\" is not an unsigned "
					"integer");
			g_clear_error(&error);
		}
	}
	g_assert_cmpuint(n_failed, ==, 1);
	g_assert_false(prov_params_transaction_validate(transaction, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_clear_error(&error);
	g_assert_false(prov_params_transaction_commit(transaction, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_true(g_str_has_prefix(error->message, "1501:7: Resync_Random_Delay:"));
	g_clear_error(&error);

	/* zero changes, nothing written, no signal */
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "old");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, "");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Debug_Level"), ==, "1");
	g_assert_cmpuint(fixture->n_signals, ==, 0);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);
	after = prov_params_test_read(fixture->state);
	g_assert_cmpstr(after, ==, before);
	g_assert_cmpint(g_stat(fixture->state, &st_after), ==, 0);
	g_assert_cmpuint(st_after.st_ino, ==, st_before.st_ino);
	g_assert_false(g_file_test(fixture->state, G_FILE_TEST_IS_DIR));
}

static void
prov_params_test_transaction_ua(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	g_autoptr(ProvParamsTransaction) second = NULL;
	g_autoptr(GError) error = NULL;

	/* unknown names never fail, whatever their value or ua */
	g_assert_true(prov_params_transaction_set(transaction, "Unknown_1_", "x", PROV_ACCESS_UNSET,
						  "bogus", 1, 1, &error));
	g_assert_true(prov_params_transaction_set(transaction, "Unknown_2_", NULL, PROV_ACCESS_RW,
						  NULL, 2, 1, &error));
	g_assert_no_error(error);
	/* <Dial_Plan_1_ ua="ro"/> changes only the level */
	g_assert_true(prov_params_transaction_set(transaction, "Dial_Plan_1_", NULL, PROV_ACCESS_RO,
						  NULL, 3, 1, &error));
	/* a level equal to the current one is no change */
	g_assert_true(prov_params_transaction_set(transaction, "GPP_A", NULL, PROV_ACCESS_NA, NULL,
						  4, 1, &error));
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_params_transaction_get_n_skipped(transaction), ==, 2);
	g_assert_cmpuint(prov_params_transaction_get_n_applied(transaction), ==, 1);
	g_assert_cmpuint(prov_params_transaction_get_n_unchanged(transaction), ==, 1);
	g_assert_cmpint(prov_params_get_access(fixture->params, "Dial_Plan_1_"), ==,
			PROV_ACCESS_RO);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Dial_Plan_1_"), ==, "");
	g_assert_cmpstr(fixture->names[0], ==, "Dial_Plan_1_");
	g_assert_null(fixture->names[1]);

	/* an invalid ua on a known parameter fails the transaction */
	second = prov_params_transaction_new(fixture->params);
	g_assert_true(prov_params_transaction_set(second, "GPP_B", "x", PROV_ACCESS_UNSET, NULL, 1,
						  1, &error));
	g_assert_false(prov_params_transaction_set(second, "GPP_C", "y", PROV_ACCESS_UNSET, "RW", 7,
						   12, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_cmpstr(error->message, ==, "7:12: GPP_C: invalid ua value \"RW\" (na, ro or rw)");
	g_clear_error(&error);
	g_assert_false(prov_params_transaction_commit(second, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, "");

	/* the level survives a reload */
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_cmpint(prov_params_get_access(fixture->params, "Dial_Plan_1_"), ==,
			PROV_ACCESS_RO);
	g_assert_cmpint(prov_params_get_access(fixture->params, "Dial_Plan_2_"), ==,
			PROV_ACCESS_NA);
}

static void
prov_params_test_transaction_r5(ProvParamsFixture *fixture, gconstpointer user_data)
{
	const gchar *const profile[] = {"Resync_Periodic", "86400", "GPP_A", "x",
					"Resync_On_Reset", "yes",   NULL};
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	g_autoptr(GError) error = NULL;
	struct stat st_before;
	struct stat st_after;

	prov_params_test_apply_ok(fixture->params, profile);
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);
	g_assert_cmpint(g_stat(fixture->state, &st_before), ==, 0);

	/* the same profile again: 0 writes, 0 signals, "unchanged" */
	transaction = prov_params_transaction_new(fixture->params);
	for (guint i = 0; profile[i] != NULL; i += 2)
		g_assert_true(prov_params_transaction_set(transaction, profile[i], profile[i + 1],
							  PROV_ACCESS_UNSET, NULL, 1, 1, &error));
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
	g_assert_true(prov_params_transaction_is_unchanged(transaction));
	g_assert_cmpuint(prov_params_transaction_get_n_applied(transaction), ==, 0);
	g_assert_cmpuint(prov_params_transaction_get_n_unchanged(transaction), ==, 3);
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);
	g_assert_cmpint(g_stat(fixture->state, &st_after), ==, 0);
	g_assert_cmpuint(st_after.st_ino, ==, st_before.st_ino);

	/* assigning a default is no change either, and writes no file */
	prov_params_fixture_reset(fixture);
	prov_params_test_apply_ok(
	    fixture->params, (const gchar *const[]){"Provision_Enable", "1", "GPP_B", "", NULL});
	g_assert_false(g_file_test(fixture->state, G_FILE_TEST_EXISTS));
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 0);
}

/*
 * commit reuses what validate worked out, but only while the values it was
 * compared with stand: a commit in between (or a factory value, or a state
 * load) makes it compare again, so nothing is written or signalled twice
 */
static void
prov_params_test_transaction_validate_then_commit(ProvParamsFixture *fixture,
						  gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) first = prov_params_transaction_new(fixture->params);
	g_autoptr(ProvParamsTransaction) second = prov_params_transaction_new(fixture->params);
	g_autoptr(ProvParamsTransaction) third = prov_params_transaction_new(fixture->params);
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_params_transaction_set(first, "GPP_A", "x", PROV_ACCESS_UNSET, NULL, 1,
						  1, &error));
	g_assert_true(prov_params_transaction_validate(first, &error));
	g_assert_cmpuint(prov_params_transaction_get_n_applied(first), ==, 1);
	g_assert_cmpstr(prov_params_transaction_get_changed(first)[0], ==, "GPP_A");

	/* the same value arrives first by another way */
	g_assert_true(prov_params_transaction_set(second, "GPP_A", "x", PROV_ACCESS_UNSET, NULL, 1,
						  1, &error));
	g_assert_true(prov_params_transaction_commit(second, &error));
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);

	g_assert_true(prov_params_transaction_commit(first, &error));
	g_assert_no_error(error);
	g_assert_true(prov_params_transaction_is_unchanged(first));
	g_assert_cmpuint(prov_params_transaction_get_n_unchanged(first), ==, 1);
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 1);

	/* nothing in between: the validated changes are the ones committed */
	g_assert_true(prov_params_transaction_set(third, "GPP_A", "y", PROV_ACCESS_UNSET, NULL, 1,
						  1, &error));
	g_assert_true(prov_params_transaction_set(third, "GPP_B", "x", PROV_ACCESS_UNSET, NULL, 2,
						  1, &error));
	g_assert_true(prov_params_transaction_validate(third, &error));
	g_assert_true(prov_params_transaction_commit(third, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_params_transaction_get_n_applied(third), ==, 2);
	g_assert_cmpuint(fixture->n_signals, ==, 2);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "y");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, "x");
}

typedef struct {
	GString *out;
	gboolean redact;
} ProvParamsTestPrint;

static void
prov_params_test_print_cb(const ProvParamDef *def,
			  const gchar *value,
			  ProvAccess access,
			  gpointer user_data)
{
	ProvParamsTestPrint *print = user_data;

	g_string_append_printf(print->out, "%s=%s%s%s\n", prov_param_def_get_name(def),
			       print->redact && prov_param_def_is_secret(def) && *value != '\0'
				   ? PROV_PARAMS_SECRET_MASK
				   : value,
			       access != PROV_ACCESS_UNSET ? " ua=" : "",
			       prov_access_to_string(access));
}

static void
prov_params_test_transaction_r7(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	g_autoptr(ProvParamsTransaction) strict = NULL;
	g_autoptr(GError) error = NULL;
	ProvParamsTestPrint print = {g_string_new(NULL), FALSE};

	g_assert_true(prov_params_transaction_set(transaction, "GPP_A", "1", PROV_ACCESS_UNSET,
						  NULL, 1, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "GPP_B", "2", PROV_ACCESS_UNSET,
						  NULL, 2, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "GPP_A", "3", PROV_ACCESS_UNSET,
						  NULL, 3, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "Resync_At_HHmm", "0100",
						  PROV_ACCESS_UNSET, NULL, 4, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "Resync_At__HHmm_", "0200",
						  PROV_ACCESS_UNSET, NULL, 5, 1, NULL));
	/* a self-closing element later keeps the earlier value and adds its level */
	g_assert_true(prov_params_transaction_set(transaction, "GPP_C", "x", PROV_ACCESS_UNSET,
						  NULL, 6, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "GPP_C", NULL, PROV_ACCESS_RO, NULL,
						  7, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "Resync_On_Reset", "no",
						  PROV_ACCESS_UNSET, NULL, 8, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "Resync_On_Reset", "yes",
						  PROV_ACCESS_UNSET, NULL, 9, 1, NULL));
	g_assert_true(prov_params_transaction_set(transaction, "Password_1_", "pw",
						  PROV_ACCESS_UNSET, NULL, 10, 1, NULL));
	g_assert_true(prov_params_transaction_validate(transaction, &error));
	g_assert_no_error(error);
	/* validating writes nothing and changes nothing */
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, 0);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "");
	g_assert_cmpuint(fixture->n_signals, ==, 0);
	g_assert_cmpuint(prov_params_transaction_get_n_applied(transaction), ==, 5);
	g_assert_cmpuint(prov_params_transaction_get_n_unchanged(transaction), ==, 1);

	prov_params_transaction_foreach(transaction, prov_params_test_print_cb, &print);
	g_assert_cmpstr(print.out->str, ==,
			"GPP_A=3 ua=na\n"
			"GPP_B=2 ua=na\n"
			"Resync_At__HHmm_=0200 ua=na\n"
			"GPP_C=x ua=ro\n"
			"Resync_On_Reset=Yes ua=na\n"
			"Password_1_=pw ua=na\n");
	g_string_truncate(print.out, 0);
	print.redact = TRUE;
	prov_params_transaction_foreach(transaction, prov_params_test_print_cb, &print);
	g_assert_nonnull(strstr(print.out->str, "Password_1_=********"));

	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "3");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_At"), ==, "0200");
	g_assert_cmpint(prov_params_get_access(fixture->params, "GPP_C"), ==, PROV_ACCESS_RO);
	g_assert_cmpuint(g_strv_length(fixture->names), ==, 5);
	g_string_free(print.out, TRUE);

	/* D-Bus SetParameters: one name twice with different values is refused whole */
	strict = prov_params_transaction_new(fixture->params);
	prov_params_transaction_set_strict(strict, TRUE);
	g_assert_true(prov_params_transaction_set(strict, "GPP_D", "same", PROV_ACCESS_UNSET, NULL,
						  0, 0, &error));
	g_assert_true(prov_params_transaction_set(strict, "GPP_D", "same", PROV_ACCESS_UNSET, NULL,
						  0, 0, &error));
	g_assert_true(prov_params_transaction_set(strict, "Syslog_Server", "a", PROV_ACCESS_UNSET,
						  NULL, 0, 0, &error));
	g_assert_false(prov_params_transaction_set(strict, "Syslog_Server_IP", "b",
						   PROV_ACCESS_UNSET, NULL, 0, 0, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "Syslog_Server: given twice with different values");
	g_clear_error(&error);
	g_assert_false(prov_params_transaction_commit(strict, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_D"), ==, "");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Syslog_Server"), ==, "");
}

static void
prov_params_test_transaction_abort(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_params_transaction_set(transaction, "GPP_A", "x", PROV_ACCESS_UNSET,
						  NULL, 1, 1, &error));
	prov_params_transaction_abort(transaction);
	g_assert_false(prov_params_transaction_commit(transaction, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(prov_params_transaction_validate(transaction, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "");
	g_assert_cmpuint(fixture->n_signals, ==, 0);
	g_assert_false(g_file_test(fixture->state, G_FILE_TEST_EXISTS));
}

static void
prov_params_test_transaction_restart(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvParamsTransaction) plain = prov_params_transaction_new(fixture->params);
	g_autoptr(ProvParamsTransaction) line = prov_params_transaction_new(fixture->params);

	g_assert_true(
	    prov_params_transaction_set(plain, "GPP_A", "x", PROV_ACCESS_UNSET, NULL, 1, 1, NULL));
	g_assert_true(prov_params_transaction_commit(plain, NULL));
	g_assert_false(prov_params_transaction_get_restart_required(plain));
	g_assert_true(prov_params_transaction_set(line, "User_ID_1_", "1001", PROV_ACCESS_UNSET,
						  NULL, 1, 1, NULL));
	g_assert_false(prov_params_transaction_get_restart_required(line));
	g_assert_true(prov_params_transaction_commit(line, NULL));
	g_assert_true(prov_params_transaction_get_restart_required(line));
}

static void
prov_params_test_signal_after_durable(ProvParamsFixture *fixture, gconstpointer user_data)
{
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"GPP_E", "durable-value", NULL});
	g_assert_cmpuint(fixture->n_signals, ==, 1);
	/* the handler saw the value on disk already */
	g_assert_nonnull(fixture->state_at_signal);
	g_assert_nonnull(strstr(fixture->state_at_signal, "\"GPP_E\": \"durable-value\""));
}

static void
prov_params_test_count_cb(ProvParams *params, const gchar *const *names, gpointer user_data)
{
	guint *n_signals = user_data;

	(*n_signals)++;
}

static void
prov_params_test_no_state_path(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
	guint n_signals = 0;

	g_assert_null(prov_params_get_state_path(params));
	g_signal_connect(params, "changed", G_CALLBACK(prov_params_test_count_cb), &n_signals);
	prov_params_test_apply_ok(params, (const gchar *const[]){"GPP_A", "memory", NULL});
	g_assert_cmpstr(prov_params_get_value(params, "GPP_A"), ==, "memory");
	g_assert_cmpuint(n_signals, ==, 1);
	g_assert_cmpuint(prov_params_get_n_state_writes(params), ==, 0);
}

static void
prov_params_test_lookup_unknown(void)
{
	g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);

	g_assert_null(prov_params_get_value(params, "Nope"));
	g_assert_null(prov_params_get_display_value(params, "Nope"));
	g_assert_null(prov_params_lookup(params, "Nope"));
	g_assert_cmpint(prov_params_get_access(params, "Nope"), ==, PROV_ACCESS_UNSET);
}

/* factory values and state */

static void
prov_params_test_factory(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *state = NULL;

	g_assert_true(
	    prov_params_set_factory_value(fixture->params, "Resync_Periodic", "86400", &error));
	g_assert_true(prov_params_set_factory_value(fixture->params, "Resync_At", "0300", &error));
	g_assert_true(
	    prov_params_set_factory_value(fixture->params, "CISCO_XML_EXE_Enable", "yes", &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Periodic"), ==, "86400");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_At__HHmm_"), ==, "0300");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "CISCO_XML_EXE_Enable"), ==, "Yes");
	g_assert_cmpstr(
	    prov_param_def_get_default(prov_params_lookup(fixture->params, "Resync_Periodic")), ==,
	    "3600");

	g_assert_false(
	    prov_params_set_factory_value(fixture->params, "Resync_Periodic", "soon", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
	g_clear_error(&error);
	g_assert_false(prov_params_set_factory_value(fixture->params, "Nope", "1", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UNKNOWN_PARAMETER);
	g_clear_error(&error);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Periodic"), ==, "86400");

	/* the factory value is the baseline: assigning it changes nothing */
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"Resync_Periodic", "86400", NULL});
	g_assert_cmpuint(fixture->n_signals, ==, 0);
	/* stored state wins over it, also after a restart */
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"Resync_Periodic", "100", NULL});
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Periodic"), ==, "100");
	g_clear_object(&fixture->params);
	fixture->params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
	g_assert_true(
	    prov_params_set_factory_value(fixture->params, "Resync_Periodic", "86400", &error));
	g_assert_true(prov_params_load_state(fixture->params, fixture->state, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Periodic"), ==, "100");
	state = prov_params_test_read(fixture->state);
	g_assert_null(strstr(state, "86400"));
}

static void
prov_params_test_state_roundtrip(ProvParamsFixture *fixture, gconstpointer user_data)
{
	const gchar *const values[] = {"GPP_A",
				       "\xe6\x97\xa5\xe6\x9c\xac \"quoted\" back\\slash",
				       "GPP_B",
				       "line\nbreak\ttab\x01",
				       "GPP_SA",
				       "s3cret",
				       "Admin_Passwd",
				       "adm1n",
				       "Profile_Rule",
				       "[--key $SA] https://p.example/$MA.cfg",
				       "Resync_On_Reset",
				       "no",
				       NULL};
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	struct stat st;

	for (guint i = 0; values[i] != NULL; i += 2)
		g_assert_true(prov_params_transaction_set(
		    transaction, values[i], values[i + 1],
		    i == 0 ? PROV_ACCESS_RW : PROV_ACCESS_UNSET, NULL, 0, 0, &error));
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
	/* the file holds secrets: only the daemon's user may read it */
	g_assert_cmpint(g_stat(fixture->state, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);

	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, values[1]);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, values[3]);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_SA"), ==, "s3cret");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Admin_Password"), ==, "adm1n");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Profile_Rule"), ==, values[9]);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_On_Reset"), ==, "No");
	g_assert_cmpint(prov_params_get_access(fixture->params, "GPP_A"), ==, PROV_ACCESS_RW);
	g_assert_cmpint(prov_params_get_access(fixture->params, "GPP_B"), ==, PROV_ACCESS_NA);
	g_assert_cmpstr(prov_params_get_state_path(fixture->params), ==, fixture->state);
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 0);

	/* a state directory that does not exist is refused */
	g_assert_false(
	    prov_params_load_state(fixture->params, "/nonexistent/prov/state.json", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_STATE);
}

static void
prov_params_test_state_invalid_entries(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *state = NULL;

	prov_params_test_write(
	    fixture->state,
	    "{\"version\": 1,\n"
	    " \"values\": {\"GPP_A\": \"kept\", \"Gone_Param\": \"x\",\n"
	    "   \"Resync_Random_Delay\": \"abc\", \"GPP_B\": 5,\n"
	    "   \"Resync_At\": \"0959\", \"Resync_On_Reset\": \"no\",\n"
	    "   \"Debug_Level\": \"9\"},\n"
	    " \"access\": {\"GPP_A\": \"ro\", \"GPP_B\": \"xx\", \"Gone\": \"rw\"}}\n");
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "kept");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_Random_Delay"), ==, "2");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_B"), ==, "");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_At__HHmm_"), ==, "0959");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Resync_On_Reset"), ==, "No");
	g_assert_cmpstr(prov_params_get_value(fixture->params, "Debug_Level"), ==, "0");
	g_assert_cmpint(prov_params_get_access(fixture->params, "GPP_A"), ==, PROV_ACCESS_RO);
	g_assert_cmpint(prov_params_get_access(fixture->params, "GPP_B"), ==, PROV_ACCESS_NA);
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);
	g_assert_true(prov_params_test_logs_contain("dropped 2 entries of unknown parameters and "
						    "4 invalid entries"));

	/* the next commit writes only what is valid */
	prov_params_test_apply_ok(fixture->params, (const gchar *const[]){"GPP_C", "c", NULL});
	state = prov_params_test_read(fixture->state);
	g_assert_null(strstr(state, "Gone"));
	g_assert_null(strstr(state, "abc"));
}

static const gchar *const prov_params_test_old[] = {"GPP_A",	       "old-a", "GPP_B", "old-b",
						    "Resync_Periodic", "100",	NULL};
static const gchar *const prov_params_test_new_values[] = {
    "GPP_A", "new-a", "GPP_B", "new-b", "Resync_Periodic", "200", NULL};
static const gchar *const prov_params_test_defaults[] = {"GPP_A",	    "",	    "GPP_B", "",
							 "Resync_Periodic", "3600", NULL};

static gboolean
prov_params_test_equals(ProvParams *params, const gchar *const *pairs)
{
	for (guint i = 0; pairs[i] != NULL; i += 2) {
		if (g_strcmp0(prov_params_get_value(params, pairs[i]), pairs[i + 1]) != 0)
			return FALSE;
	}
	return TRUE;
}

static void
prov_params_test_state_truncated(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *complete = NULL;
	g_autofree gchar *backup_path = g_strconcat(fixture->state, ".bak", NULL);
	gsize len;

	/* the first commit becomes the last good copy when the second is written */
	prov_params_test_apply_ok(fixture->params, prov_params_test_old);
	prov_params_test_apply_ok(fixture->params, prov_params_test_new_values);
	g_assert_true(g_file_test(backup_path, G_FILE_TEST_EXISTS));
	complete = prov_params_test_read(fixture->state);
	len = strlen(complete);
	g_assert_cmpuint(len, >, 50);

	for (gsize cut = 0; cut <= len; cut++) {
		g_autoptr(ProvParams) params = prov_params_test_new(PROV_BEHAVIOUR_MPP, 0);
		g_autoptr(GError) error = NULL;
		g_autofree gchar *truncated = g_strndup(complete, cut);
		gboolean whole = cut >= len - 1; /* only the final newline is missing */

		prov_params_test_write(fixture->state, truncated);
		g_ptr_array_set_size(prov_params_test_logs, 0);
		g_assert_true(prov_params_load_state(params, fixture->state, &error));
		g_assert_no_error(error);
		if (whole) {
			g_assert_true(prov_params_test_equals(params, prov_params_test_new_values));
			g_assert_cmpuint(prov_params_test_count_warnings(), ==, 0);
		} else {
			g_assert_true(prov_params_test_equals(params, prov_params_test_old));
			g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);
		}
	}

	/* a garbled file, then a garbled copy as well: the defaults, one warning */
	prov_params_test_write(fixture->state, "\x00\x01garbage{{{");
	prov_params_test_write(backup_path, "{\"version\": 1, \"values\": [");
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_defaults));
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);

	/* valid JSON that is not a state document counts as corrupt */
	prov_params_test_write(fixture->state, "{\"version\": 7, \"values\": {}}");
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);
	prov_params_test_write(fixture->state, "[1, 2]");
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	prov_params_test_write(fixture->state, "{\"version\": 1, \"values\": {}, \"access\": 1}");
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	prov_params_test_write(fixture->state, "{\"version\": 1, \"values\": {}} {}");
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_defaults));
}

static void
prov_params_test_state_corrupt_no_copy(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *complete = NULL;
	g_autofree gchar *backup_path = g_strconcat(fixture->state, ".bak", NULL);
	gsize len;

	/* one commit only: there is no earlier copy to fall back to */
	prov_params_test_apply_ok(fixture->params, prov_params_test_new_values);
	g_assert_false(g_file_test(backup_path, G_FILE_TEST_EXISTS));
	complete = prov_params_test_read(fixture->state);
	len = strlen(complete);
	for (gsize cut = 0; cut < len - 1; cut += 3) {
		g_autofree gchar *truncated = g_strndup(complete, cut);

		prov_params_test_write(fixture->state, truncated);
		g_ptr_array_set_size(prov_params_test_logs, 0);
		prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
		g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_defaults));
		g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);
	}

	/*
	 * after falling back, a commit must not keep the corrupt file as the
	 * copy: the next corruption still finds a good one
	 */
	prov_params_test_write(fixture->state, "{\"vers");
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	prov_params_test_apply_ok(fixture->params, prov_params_test_old);
	g_assert_false(g_file_test(backup_path, G_FILE_TEST_EXISTS));
	prov_params_test_apply_ok(fixture->params, prov_params_test_new_values);
	g_assert_true(g_file_test(backup_path, G_FILE_TEST_EXISTS));
	prov_params_test_write(fixture->state, "{\"vers");
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_old));

	/* a missing state file with a good copy: the copy, with a warning */
	g_unlink(fixture->state);
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_old));
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 1);

	/* neither file: factory state, silently */
	g_unlink(backup_path);
	g_ptr_array_set_size(prov_params_test_logs, 0);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_defaults));
	g_assert_cmpuint(prov_params_test_count_warnings(), ==, 0);
}

static const ProvParamsIoStep prov_params_test_steps[] = {
    PROV_PARAMS_IO_STEP_OPEN, PROV_PARAMS_IO_STEP_WRITE, PROV_PARAMS_IO_STEP_FSYNC,
    PROV_PARAMS_IO_STEP_RENAME, PROV_PARAMS_IO_STEP_FSYNC_DIR};

static void
prov_params_test_state_io_fail(ProvParamsFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *temp_path = g_strconcat(fixture->state, ".tmp", NULL);

	for (guint i = 0; i < G_N_ELEMENTS(prov_params_test_steps); i++) {
		g_autoptr(ProvParamsTransaction) transaction = NULL;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *before = NULL;
		g_autofree gchar *after = NULL;

		/* an old state with a last good copy */
		prov_params_fixture_reset(fixture);
		prov_params_test_apply_ok(fixture->params, prov_params_test_defaults);
		prov_params_test_apply_ok(fixture->params, prov_params_test_old);
		before = prov_params_test_read(fixture->state);
		fixture->n_signals = 0;

		transaction = prov_params_transaction_new(fixture->params);
		for (guint j = 0; prov_params_test_new_values[j] != NULL; j += 2)
			g_assert_true(
			    prov_params_transaction_set(transaction, prov_params_test_new_values[j],
							prov_params_test_new_values[j + 1],
							PROV_ACCESS_UNSET, NULL, 1, 1, NULL));
		prov_params_inject_io_fault(fixture->params, prov_params_test_steps[i],
					    PROV_PARAMS_IO_FAULT_FAIL);
		g_assert_false(prov_params_transaction_commit(transaction, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_STATE);
		g_test_message("step %u: %s", prov_params_test_steps[i], error->message);
		g_assert_nonnull(strstr(error->message, g_strerror(EIO)));
		g_clear_error(&error);

		/* old state in memory and on disk, no temporary file, no signal */
		g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_old));
		after = prov_params_test_read(fixture->state);
		g_assert_cmpstr(after, ==, before);
		g_assert_false(g_file_test(temp_path, G_FILE_TEST_EXISTS));
		g_assert_cmpuint(fixture->n_signals, ==, 0);
		g_ptr_array_set_size(prov_params_test_logs, 0);
		prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
		g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_old));
		g_assert_cmpuint(prov_params_test_count_warnings(), ==, 0);

		/* the failed transaction may be committed again once the disk is back */
		g_object_unref(transaction);
		transaction = prov_params_transaction_new(fixture->params);
		g_assert_true(prov_params_transaction_set(transaction, "GPP_A", "retry",
							  PROV_ACCESS_UNSET, NULL, 1, 1, NULL));
		prov_params_inject_io_fault(fixture->params, prov_params_test_steps[i],
					    PROV_PARAMS_IO_FAULT_FAIL);
		g_assert_false(prov_params_transaction_commit(transaction, &error));
		g_clear_error(&error);
		g_assert_true(prov_params_transaction_commit(transaction, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_A"), ==, "retry");
	}

	/* the very first write failing at fsync-dir takes the new file back out */
	prov_params_fixture_reset(fixture);
	prov_params_inject_io_fault(fixture->params, PROV_PARAMS_IO_STEP_FSYNC_DIR,
				    PROV_PARAMS_IO_FAULT_FAIL);
	g_assert_false(prov_params_test_apply(fixture->params, prov_params_test_new_values, NULL));
	g_assert_false(g_file_test(fixture->state, G_FILE_TEST_EXISTS));
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_defaults));

	/* the last good copy is best effort: without it the write still succeeds */
	prov_params_test_apply_ok(fixture->params, prov_params_test_old);
	prov_params_inject_io_fault(fixture->params, PROV_PARAMS_IO_STEP_BACKUP,
				    PROV_PARAMS_IO_FAULT_FAIL);
	prov_params_test_apply_ok(fixture->params, prov_params_test_new_values);
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_test_equals(fixture->params, prov_params_test_new_values));
}

static void
prov_params_test_state_crash(ProvParamsFixture *fixture, gconstpointer user_data)
{
	const ProvParamsIoStep steps[] = {
	    PROV_PARAMS_IO_STEP_BACKUP, PROV_PARAMS_IO_STEP_OPEN,   PROV_PARAMS_IO_STEP_WRITE,
	    PROV_PARAMS_IO_STEP_FSYNC,	PROV_PARAMS_IO_STEP_RENAME, PROV_PARAMS_IO_STEP_FSYNC_DIR};

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		g_autoptr(GError) error = NULL;
		gboolean renamed = steps[i] >= PROV_PARAMS_IO_STEP_RENAME;

		/* a state whose file is good, so that the backup step runs */
		prov_params_fixture_reset(fixture);
		prov_params_test_apply_ok(fixture->params, prov_params_test_old);
		prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);

		prov_params_inject_io_fault(fixture->params, steps[i], PROV_PARAMS_IO_FAULT_CRASH);
		g_assert_false(
		    prov_params_test_apply(fixture->params, prov_params_test_new_values, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_STATE);
		g_assert_nonnull(strstr(error->message, "simulated crash"));

		/* "restart": a fresh model sees the complete old or the complete new state */
		g_ptr_array_set_size(prov_params_test_logs, 0);
		prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
		g_test_message("crash after step %u: %s", steps[i],
			       renamed ? "new state" : "old state");
		g_assert_true(prov_params_test_equals(
		    fixture->params, renamed ? prov_params_test_new_values : prov_params_test_old));
		g_assert_cmpuint(prov_params_test_count_warnings(), ==, 0);

		/* and can go on writing over whatever the crash left behind */
		prov_params_test_apply_ok(fixture->params,
					  (const gchar *const[]){"GPP_C", "after", NULL});
		prov_params_fixture_open(fixture, PROV_BEHAVIOUR_MPP);
		g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_C"), ==, "after");
	}
}

/* R42: secret values never reach a display path, an error message or the log */
static void
prov_params_test_secrets(ProvParamsFixture *fixture, gconstpointer user_data)
{
	const gchar *const secrets[] = {"GPP_SA",
					"Sec-SA-7731",
					"Admin_Passwd",
					"Sec-Admin-7732",
					"Password_1_",
					"Sec-Line-7733",
					"XML_Password",
					"Sec-XML-7734",
					"IKM_HTTP_Encrypt_Content",
					"Sec-IKM-7735",
					NULL};
	g_autoptr(ProvParams) spa = NULL;
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	g_autoptr(GError) error = NULL;

	g_ptr_array_set_size(prov_params_test_logs, 0);
	g_assert_cmpstr(prov_params_get_display_value(fixture->params, "GPP_SB"), ==, "");
	prov_params_test_apply_ok(fixture->params, secrets);
	for (guint i = 0; secrets[i] != NULL; i += 2) {
		g_assert_cmpstr(prov_params_get_value(fixture->params, secrets[i]), ==,
				secrets[i + 1]);
		g_assert_cmpstr(prov_params_get_display_value(fixture->params, secrets[i]), ==,
				PROV_PARAMS_SECRET_MASK);
	}
	g_assert_cmpstr(prov_params_get_display_value(fixture->params, "GPP_A"), ==, "");

	/* an invalid secret: the message names the parameter, not the value */
	spa = prov_params_test_new(PROV_BEHAVIOUR_SPA, 0);
	transaction = prov_params_transaction_new(spa);
	g_assert_false(prov_params_transaction_set(transaction, "Password_1_",
						   "S\xc3\xa9"
						   "c-7736",
						   PROV_ACCESS_UNSET, NULL, 4, 2, &error));
	g_assert_cmpstr(error->message, ==,
			"4:2: Password_1_: the value contains characters other than ASCII");
	g_clear_error(&error);
	g_assert_null(
	    prov_param_def_canonicalize(prov_params_lookup(spa, "GPP_SA"), "\xffSec-7737", &error));
	g_assert_null(strstr(error->message, "Sec-7737"));
	g_clear_error(&error);

	/* a reload that drops an invalid secret does not print it either */
	prov_params_test_write(
	    fixture->state, "{\"version\": 1, \"values\": {\"Password_1_\": \"Sec-\xc3\xa9-7738\", "
			    "\"GPP_SB\": \"Sec-SB-7739\"}}");
	prov_params_fixture_open(fixture, PROV_BEHAVIOUR_SPA);
	g_assert_cmpstr(prov_params_get_value(fixture->params, "GPP_SB"), ==, "Sec-SB-7739");
	prov_params_test_apply_ok(fixture->params,
				  (const gchar *const[]){"GPP_SB", "Sec-SB-7740", NULL});

	for (guint i = 0; secrets[i] != NULL; i += 2)
		g_assert_false(prov_params_test_logs_contain(secrets[i + 1]));
	for (guint i = 7736; i <= 7740; i++) {
		g_autofree gchar *tag = g_strdup_printf("-%u", i);

		g_assert_false(prov_params_test_logs_contain(tag));
	}
	/* the debug log did say what changed, redacted */
	g_assert_true(prov_params_test_logs_contain("GPP_SB = " PROV_PARAMS_SECRET_MASK));
}

int
main(int argc, char **argv)
{
	int rc;

	/* the tests read the debug log for secrets, so it must be produced */
	g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	g_test_init(&argc, &argv, NULL);
	prov_params_test_logs = g_ptr_array_new_with_free_func(prov_params_test_log_free);
	g_log_set_writer_func(prov_params_test_writer, NULL, NULL);

	g_test_add_func("/prov/params/schema/defaults-mpp", prov_params_test_schema_defaults_mpp);
	g_test_add_func("/prov/params/schema/defaults-spa", prov_params_test_schema_defaults_spa);
	g_test_add_func("/prov/params/schema/coverage", prov_params_test_schema_coverage);
	g_test_add_func("/prov/params/schema/templates", prov_params_test_schema_templates);
	g_test_add_func("/prov/params/schema/order", prov_params_test_schema_order);
	g_test_add("/prov/params/schema/duplicate", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_schema_duplicate,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/schema/errors", ProvParamsFixture, NULL, prov_params_fixture_setup,
		   prov_params_test_schema_errors, prov_params_fixture_teardown);
	g_test_add("/prov/params/schema/paths", ProvParamsFixture, NULL, prov_params_fixture_setup,
		   prov_params_test_schema_paths, prov_params_fixture_teardown);
	g_test_add("/prov/params/schema/large", ProvParamsFixture, NULL, prov_params_fixture_setup,
		   prov_params_test_schema_large, prov_params_fixture_teardown);
	g_test_add_func("/prov/params/types", prov_params_test_types);
	g_test_add_func("/prov/params/lookup-unknown", prov_params_test_lookup_unknown);
	g_test_add_func("/prov/params/no-state-path", prov_params_test_no_state_path);
	g_test_add("/prov/params/transaction/basic", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_basic,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/empty-value", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_empty_value,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/r1-all-or-nothing", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_r1,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/ua", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_ua,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/r5-idempotent", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_r5,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/validate-then-commit", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_validate_then_commit,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/r7-duplicates", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_r7,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/abort", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_abort,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/restart", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_transaction_restart,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/transaction/r6-signal-after-durable", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_signal_after_durable,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/factory", ProvParamsFixture, NULL, prov_params_fixture_setup,
		   prov_params_test_factory, prov_params_fixture_teardown);
	g_test_add("/prov/params/state/roundtrip", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_roundtrip,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/state/invalid-entries", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_invalid_entries,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/state/r4-truncated", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_truncated,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/state/r4-no-copy", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_corrupt_no_copy,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/state/r3-io-failure", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_io_fail,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/state/r2-crash", ProvParamsFixture, NULL,
		   prov_params_fixture_setup, prov_params_test_state_crash,
		   prov_params_fixture_teardown);
	g_test_add("/prov/params/secrets", ProvParamsFixture, NULL, prov_params_fixture_setup,
		   prov_params_test_secrets, prov_params_fixture_teardown);

	rc = g_test_run();
	g_ptr_array_unref(prov_params_test_logs);
	return rc;
}
