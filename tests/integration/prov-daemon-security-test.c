/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * R41 (D-Bus authorisation) and R42 (secrets never leave) through the
 * daemon. provisiond runs with --bus-address on a private bus, which it
 * treats as the system bus: with no polkit on that bus only uid 0 may
 * change anything or read secrets. The unprivileged caller is uid 65534,
 * reached with setpriv(1), running gdbus(1) and provctl; so both tests need
 * root (otherwise skipped).
 */

#include "config.h"

#include <string.h>

#include "prov-integration-harness.h"

#define PROV_IT_ACCESS_DENIED "org.freedesktop.DBus.Error.AccessDenied"

static gint
prov_it_gdbus(gboolean unprivileged, gchar **out, gchar **err, const gchar *method, ...)
    G_GNUC_NULL_TERMINATED;

/* gdbus call to provisiond, as root or as nobody; returns the wait status */
static gint
prov_it_gdbus(gboolean unprivileged, gchar **out, gchar **err, const gchar *method, ...)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *full_method = NULL;
	va_list args;
	gint status;

	full_method =
	    g_strconcat(strchr(method, '.') != NULL ? "" : PROV_IT_INTERFACE ".", method, NULL);
	g_ptr_array_add(argv, g_strdup("gdbus"));
	g_ptr_array_add(argv, g_strdup("call"));
	g_ptr_array_add(argv, g_strdup("--address"));
	g_ptr_array_add(argv, g_strdup(prov_it_get_bus_address()));
	g_ptr_array_add(argv, g_strdup("--dest"));
	g_ptr_array_add(argv, g_strdup(PROV_IT_BUS_NAME));
	g_ptr_array_add(argv, g_strdup("--object-path"));
	g_ptr_array_add(argv, g_strdup(PROV_IT_OBJECT_PATH));
	g_ptr_array_add(argv, g_strdup("--method"));
	g_ptr_array_add(argv, g_steal_pointer(&full_method));
	va_start(args, method);
	for (const gchar *arg = va_arg(args, const gchar *); arg != NULL;
	     arg = va_arg(args, const gchar *))
		g_ptr_array_add(argv, g_strdup(arg));
	va_end(args);
	g_ptr_array_add(argv, NULL);
	status = prov_it_spawn((const gchar *const *)argv->pdata, NULL, unprivileged, out, err);
	g_test_message("gdbus %s%s: status %d\n%s%s", method, unprivileged ? " as nobody" : "",
		       status, out != NULL && *out != NULL ? *out : "",
		       err != NULL && *err != NULL ? *err : "");
	return status;
}

/* refused with AccessDenied */
static void
prov_it_assert_denied(const gchar *method, const gchar *arg, const gchar *second_arg)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	gint status;

	status = prov_it_gdbus(TRUE, &out, &err, method, arg, second_arg, NULL);
	g_assert_false(g_spawn_check_wait_status(status, NULL));
	g_assert_nonnull(strstr(err, PROV_IT_ACCESS_DENIED));
}

static gboolean
prov_it_skip_unless_root(void)
{
	const gchar *programs[] = {"setpriv", "gdbus"};

	if (!prov_it_is_root()) {
		g_test_skip("needs root: the unprivileged caller is uid 65534");
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(programs); i++) {
		g_autofree gchar *path = g_find_program_in_path(programs[i]);

		if (path == NULL) {
			g_test_skip_printf("%s is not installed", programs[i]);
			return TRUE;
		}
	}
	return FALSE;
}

/* R41: nobody changes nothing, and reads no secret */
static void
prov_it_test_r41(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *rule_arg = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *gpp_a = NULL;
	g_autoptr(GVariant) busy = NULL;
	g_autoptr(GVariant) server = NULL;
	const gchar *secret = "R41-Secret-Pw-4711";
	gint status;

	if (prov_it_skip_unless_root() || prov_it_skip_without_provctl())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	url = prov_it_tftp_url("/basic.txt");
	rule_arg = g_strdup_printf("'%s'", url);
	daemon = prov_it_daemon_new();
	prov_it_daemon_start(daemon);
	prov_it_daemon_set(daemon, "GPP_A", "original", "Password_1_", secret, NULL);
	prov_it_daemon_clear_signals(daemon);

	/* the control: nobody reaches the daemon and reads what anyone may read */
	status = prov_it_gdbus(TRUE, &out, &err, "GetParameters", "['GPP_A']", NULL);
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	g_assert_nonnull(strstr(out, "'original'"));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	prov_it_assert_denied("SetParameters", "{'GPP_A': 'evil'}", NULL);
	prov_it_assert_denied("SetParameters", "{'Profile_Rule': 'tftp://127.0.0.1/evil.cfg'}",
			      NULL);
	prov_it_assert_denied("Resync", rule_arg, NULL);
	prov_it_assert_denied("Resync", "''", NULL);
	prov_it_assert_denied("SetBusy", "true", NULL);
	prov_it_assert_denied("SetLogLevel", "'debug'", "''");
	prov_it_assert_denied("SetDefaultServer", "'evil.example'", NULL);

	/* naming a secret is a secret read: refused whole (R41) */
	status = prov_it_gdbus(TRUE, &out, &err, "GetParameters", "['Password_1_', 'GPP_A']", NULL);
	g_assert_false(g_spawn_check_wait_status(status, NULL));
	g_assert_nonnull(strstr(err, PROV_IT_ACCESS_DENIED));
	g_assert_null(strstr(out, secret));
	g_assert_null(strstr(err, secret));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = prov_it_gdbus(TRUE, &out, &err, "ListParameters", "''", NULL);
	if (g_spawn_check_wait_status(status, NULL))
		g_assert_nonnull(strstr(out, "'Password_1_'"));
	g_assert_null(strstr(out, secret));
	g_assert_null(strstr(err, secret));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);

	/* provctl as nobody: refused with an error, exit status not 0 */
	status = prov_it_daemon_provctl(daemon, TRUE, &out, &err, "set", "GPP_A=evil", NULL);
	g_test_message("provctl set as nobody: %d %s%s", status, out, err);
	g_assert_false(g_spawn_check_wait_status(status, NULL));
	g_clear_pointer(&out, g_free);
	g_clear_pointer(&err, g_free);
	status = prov_it_daemon_provctl(daemon, TRUE, &out, &err, "resync", "--no-wait", url, NULL);
	g_test_message("provctl resync as nobody: %d %s%s", status, out, err);
	g_assert_false(g_spawn_check_wait_status(status, NULL));

	/* and nothing happened */
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ParametersChanged"), ==, 0);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 0);
	gpp_a = prov_it_daemon_get(daemon, "GPP_A");
	g_assert_cmpstr(gpp_a, ==, "original");
	busy = prov_it_daemon_get_property(daemon, "Busy");
	g_assert_false(g_variant_get_boolean(busy));
	server = prov_it_daemon_get_property(daemon, "DefaultServer");
	g_assert_cmpstr(g_variant_get_string(server, NULL), ==, "");
	prov_it_daemon_stop(daemon);
}

typedef struct {
	const gchar *name;
	const gchar *value;
} ProvItSecret;

/* every output a secret could leak into, by name */
static void
prov_it_add_output(GPtrArray *names, GPtrArray *texts, const gchar *name, const gchar *text)
{
	g_ptr_array_add(names, g_strdup(name));
	g_ptr_array_add(texts, g_strdup(text != NULL ? text : ""));
}

static void
prov_it_add_provctl(ProvItDaemon *daemon,
		    GPtrArray *names,
		    GPtrArray *texts,
		    const gchar *label,
		    gboolean expect_denied,
		    const gchar *const *args)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *both = NULL;
	gint status;

	status = prov_it_daemon_provctlv(daemon, TRUE, &out, &err, args);
	both = g_strconcat(out, err, NULL);
	g_test_message("%s: status %d, %" G_GSIZE_FORMAT " bytes", label, status, strlen(both));
	if (!g_spawn_check_wait_status(status, NULL))
		g_printerr("%s failed: %s", label, both);
	/* a command that failed would prove nothing, unless it was refused as R41 wants */
	if (expect_denied) {
		g_assert_false(g_spawn_check_wait_status(status, NULL));
		/* the JSON error names it in full, the text form by its last component */
		g_assert_nonnull(strstr(both, "AccessDenied"));
	} else {
		g_assert_true(g_spawn_check_wait_status(status, NULL));
		g_assert_cmpuint(strlen(out), >, 0);
	}
	prov_it_add_output(names, texts, label, both);
}

static void
prov_it_add_gdbus(GPtrArray *names, GPtrArray *texts, const gchar *label, ...)
{
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *both = NULL;
	const gchar *method;
	const gchar *arg;
	va_list args;
	gint status;

	va_start(args, label);
	method = va_arg(args, const gchar *);
	arg = va_arg(args, const gchar *);
	va_end(args);
	status = prov_it_gdbus(TRUE, &out, &err, method, arg, NULL);
	both = g_strconcat(out, err, NULL);
	/* R41: a call naming secrets is refused; every other read succeeds, redacted */
	if (g_str_equal(method, "GetParameters"))
		g_assert_nonnull(strstr(both, PROV_IT_ACCESS_DENIED));
	else
		g_assert_true(g_spawn_check_wait_status(status, NULL));
	prov_it_add_output(names, texts, label, both);
}

/*
 * R42: after a full resync that uses and sets secrets, none of them appears
 * in the debug log (-v -v), the syslog datagrams, provctl --json as an
 * unprivileged caller, D-Bus reads by that caller, or the properties and
 * signals (LastResult, ResyncFinished, ...)
 */
static void
prov_it_test_r42(void)
{
	const ProvItSecret secrets[] = {
	    {"GPP_SA", "Key-5ecret-SA-3141"},
	    {"Password_1_", "Pw-5ecret-P1-2718"},
	    {"Admin_Password", "Adm-5ecret-9265"},
	    {"XML_Password", "Xml-5ecret-3589"},
	    {"IKM_HTTP_Encrypt_Content", "Ikm-5ecret-7932"},
	};
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *profile = NULL;
	g_autofree gchar *secret_url = NULL;
	g_autofree gchar *rule_a = NULL;
	g_autofree gchar *rule_b = NULL;
	g_autofree gchar *http_rule = NULL;
	g_autofree gchar *http_url = NULL;
	g_autofree gchar *literal_url = NULL;
	g_autofree gchar *expected_success = NULL;
	g_autofree gchar *properties_text = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) properties = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *signals = NULL;
	gint cause = 0;

	if (prov_it_skip_unless_root() || prov_it_skip_without_provctl() ||
	    prov_it_skip_without_tftp())
		return;
	profile = g_strdup_printf("<flat-profile>\n"
				  "  <User_ID_1_>17775551234</User_ID_1_>\n"
				  "  <Password_1_>%s</Password_1_>\n"
				  "  <IKM_HTTP_Encrypt_Content>%s</IKM_HTTP_Encrypt_Content>\n"
				  "</flat-profile>\n",
				  secrets[1].value, secrets[4].value);
	prov_it_write("r42/secret.txt", profile, -1);
	prov_it_sh("openssl enc -aes-256-cbc -md sha256 -k '%s' -in r42/secret.txt "
		   "-out srv/r42-secret.cfg 2>/dev/null && chmod 644 srv/r42-secret.cfg",
		   secrets[0].value);
	/* reference 3.2: $SA expands inside --key only; this file's name has it literally */
	prov_it_publish("r42-$SA.cfg", "<flat-profile><GPP_E>literal</GPP_E></flat-profile>\n", -1);
	secret_url = prov_it_tftp_url("/r42-secret.cfg");
	rule_a = g_strdup_printf("[--key $SA ] %s", secret_url);
	literal_url = prov_it_tftp_url("/r42-$SA.cfg");
	rule_b = g_strdup(literal_url);
	http_url = prov_it_http_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/r42-secret.cfg");
	http_rule = g_strdup_printf("[--key $SA ] %s", http_url);

	daemon = prov_it_daemon_new();
	prov_it_daemon_set_verbosity(daemon, 2);
	prov_it_daemon_start(daemon);
	prov_it_daemon_set(daemon, "GPP_SA", secrets[0].value, "Admin_Password", secrets[2].value,
			   "XML_Password", secrets[3].value, "Syslog_Server", server,
			   "Log_Resync_Success_Msg",
			   "$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH $SA", NULL);
	/* the rules resync at once */
	prov_it_daemon_set(daemon, "Profile_Rule", rule_a, "Profile_Rule_B", rule_b,
			   "Profile_Rule_C", http_rule, NULL);
	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	prov_it_assert_success(result);
	g_clear_pointer(&result, g_variant_unref);
	result = prov_it_daemon_resync(daemon, "");
	prov_it_assert_success(result);

	/* the secrets are there, for a privileged reader */
	for (guint i = 0; i < G_N_ELEMENTS(secrets); i++) {
		g_autofree gchar *value = prov_it_daemon_get(daemon, secrets[i].name);

		g_assert_cmpstr(value, ==, secrets[i].value);
	}
	{
		g_autofree gchar *user = prov_it_daemon_get(daemon, "User_ID_1_");
		g_autofree gchar *literal = prov_it_daemon_get(daemon, "GPP_E");

		g_assert_cmpstr(user, ==, "17775551234");
		g_assert_cmpstr(literal, ==, "literal");
	}
	/* the success template's $SA stays literal too */
	expected_success =
	    g_strconcat("<134>" PROV_IT_PN " " PROV_IT_MAC_COLON " -- Successful resync ",
			literal_url, " $SA", NULL);
	lines = prov_it_syslog_take(syslog);
	g_assert_cmpuint(lines->len, >=, 6);
	{
		gboolean found = FALSE;

		for (guint i = 0; i < lines->len; i++)
			found |= g_str_equal(g_ptr_array_index(lines, i), expected_success);
		g_assert_true(found);
	}
	for (guint i = 0; i < lines->len; i++)
		prov_it_add_output(names, texts, "syslog", g_ptr_array_index(lines, i));

	prov_it_add_provctl(daemon, names, texts, "provctl status --json", FALSE,
			    (const gchar *[]){"status", "--json", NULL});
	prov_it_add_provctl(daemon, names, texts, "provctl list --json", FALSE,
			    (const gchar *[]){"list", "--json", NULL});
	prov_it_add_provctl(daemon, names, texts, "provctl get --json", TRUE,
			    (const gchar *[]){"get", "--json", "GPP_SA", "Password_1_",
					      "Admin_Password", "XML_Password",
					      "IKM_HTTP_Encrypt_Content", NULL});
	prov_it_add_provctl(daemon, names, texts, "provctl get", TRUE,
			    (const gchar *[]){"get", "GPP_SA", "Password_1_", "Admin_Password",
					      "XML_Password", "IKM_HTTP_Encrypt_Content", NULL});
	prov_it_add_gdbus(names, texts, "GetParameters as nobody", "GetParameters",
			  "['GPP_SA', 'Password_1_', 'Admin_Password', 'XML_Password', "
			  "'IKM_HTTP_Encrypt_Content']");
	prov_it_add_gdbus(names, texts, "ListParameters as nobody", "ListParameters", "''");
	prov_it_add_gdbus(names, texts, "properties as nobody",
			  "org.freedesktop.DBus.Properties.GetAll", "'" PROV_IT_INTERFACE "'");

	/* what any client sees: the properties and every signal of the resyncs */
	properties = prov_it_daemon_call(daemon, "org.freedesktop.DBus.Properties", "GetAll",
					 g_variant_new("(s)", PROV_IT_INTERFACE), &error);
	g_assert_no_error(error);
	properties_text = g_variant_print(properties, TRUE);
	prov_it_add_output(names, texts, "properties", properties_text);
	signals = prov_it_daemon_print_signals(daemon);
	prov_it_add_output(names, texts, "signals", signals);
	prov_it_daemon_stop(daemon);
	{
		g_autofree gchar *log = prov_it_daemon_read_log(daemon);

		/* -v -v: the debug log speaks of the resync, but not of the secrets */
		g_assert_nonnull(strstr(log, "-DEBUG"));
		g_assert_nonnull(strstr(log, "r42-secret.cfg"));
		prov_it_add_output(names, texts, "debug log", log);
	}

	for (guint i = 0; i < G_N_ELEMENTS(secrets); i++) {
		for (guint j = 0; j < texts->len; j++) {
			const gchar *text = g_ptr_array_index(texts, j);

			if (strstr(text, secrets[i].value) != NULL)
				g_printerr("%s leaks into %s:\n%s\n", secrets[i].name,
					   (const gchar *)g_ptr_array_index(names, j), text);
			g_assert_null(strstr(text, secrets[i].value));
		}
	}
	g_test_message("%u outputs checked for %u secrets", texts->len,
		       (guint)G_N_ELEMENTS(secrets));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (!prov_it_set_up(PROV_IT_NEED_TFTP | PROV_IT_NEED_NGINX))
		return 77;
	g_test_add_func("/prov/daemon/r41-authorisation", prov_it_test_r41);
	g_test_add_func("/prov/daemon/r42-secrets", prov_it_test_r42);
	return prov_it_run();
}
