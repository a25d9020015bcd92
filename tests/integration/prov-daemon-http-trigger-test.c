/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The HTTP remote trigger (reference 7.1, 7.2) through the real daemon and
 * real peers: curl sends what an operator or an XML application sends,
 * provisiond fetches from tftpd-hpa, and the outcome is read over D-Bus.
 * Seed scenarios S-1 and S-6; then every refusal of R21-R23, each with its
 * status and no resync; then the listener in `provctl status`.
 */

#include "config.h"

#include <string.h>

#include "prov-integration-harness.h"

#define ADMIN_PASSWORD "Adm1n-pw"
#define USER_PASSWORD  "Us3r-pw"
/* the device file of S-6 ($MA of the fixture), distinct from basic.txt */
#define ATA_PROFILE "<flat-profile>\n  <GPP_B>s6</GPP_B>\n</flat-profile>\n"

typedef struct {
	guint status;
	gchar *headers;
	gchar *body;
} ProvItHttp;

static void
prov_it_http_free(ProvItHttp *reply)
{
	g_free(reply->headers);
	g_free(reply->body);
	g_free(reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvItHttp, prov_it_http_free)

static ProvItDaemon *
prov_it_http_daemon_new(void)
{
	ProvItDaemon *daemon = prov_it_daemon_new();

	prov_it_daemon_set_config(daemon, "http-trigger", "Listen", "127.0.0.1:0");
	/* debug: the log must hold no secret even then */
	prov_it_daemon_set_verbosity(daemon, 2);
	return daemon;
}

/* the port the listener bound, as the Triggers property tells it */
static gchar *
prov_it_http_authority(ProvItDaemon *daemon)
{
	g_autoptr(GVariant) triggers = prov_it_daemon_get_property(daemon, "Triggers");

	for (gsize i = 0; i < g_variant_n_children(triggers); i++) {
		g_autoptr(GVariant) trigger = g_variant_get_child_value(triggers, i);
		g_autofree const gchar **addresses = NULL;
		const gchar *name = NULL;

		g_assert_true(g_variant_lookup(trigger, "name", "&s", &name));
		if (g_strcmp0(name, "http") != 0)
			continue;
		g_assert_true(g_variant_lookup(trigger, "addresses", "^a&s", &addresses));
		g_assert_cmpuint(g_strv_length((gchar **)addresses), ==, 1);
		g_assert_true(g_str_has_prefix(addresses[0], "127.0.0.1:"));
		g_assert_cmpstr(addresses[0], !=, "127.0.0.1:0");
		return g_strdup(addresses[0]);
	}
	{
		g_autofree gchar *log = prov_it_daemon_read_log(daemon);

		g_printerr("no http trigger in Triggers:\n%s\n", log);
	}
	g_assert_not_reached();
}

/*
 * One curl run: @args after the common ones, the URL among them. With
 * several URLs, the statuses are those of each transfer, one per line.
 */
static ProvItHttp *
prov_it_curl(const gchar *const *args)
{
	static guint serial = 0;
	g_autofree gchar *name = g_strdup_printf("curl-%u", serial++);
	g_autofree gchar *body_path = prov_it_path(name);
	g_autofree gchar *headers_path = g_strconcat(body_path, ".headers", NULL);
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	ProvItHttp *reply = g_new0(ProvItHttp, 1);
	const gchar *common[] = {
	    "curl",	  "--silent",	 "--show-error",   "--max-time", "20",
	    "--noproxy",  "*",		 "--output",	   body_path,	 "--dump-header",
	    headers_path, "--write-out", "%{http_code}\\n"};
	gint status;

	for (guint i = 0; i < G_N_ELEMENTS(common); i++)
		g_ptr_array_add(argv, (gpointer)common[i]);
	for (guint i = 0; args[i] != NULL; i++)
		g_ptr_array_add(argv, (gpointer)args[i]);
	g_ptr_array_add(argv, NULL);
	status = prov_it_spawn((const gchar *const *)argv->pdata, NULL, FALSE, &out, &err);
	if (status != 0)
		g_printerr("curl: %s\n", err);
	g_assert_cmpint(status, ==, 0);
	/* the last transfer's status; a flood reads all of them from the headers */
	{
		g_auto(GStrv) lines = g_strsplit(g_strstrip(out), "\n", -1);

		reply->status = (guint)g_ascii_strtoull(lines[g_strv_length(lines) - 1], NULL, 10);
	}
	g_assert_true(g_file_get_contents(body_path, &reply->body, NULL, NULL));
	g_assert_true(g_file_get_contents(headers_path, &reply->headers, NULL, NULL));
	return reply;
}

static ProvItHttp *
prov_it_curl_get(const gchar *authority,
		 const gchar *target,
		 const gchar *credentials,
		 const gchar *header)
{
	g_autofree gchar *url = g_strconcat("http://", authority, target, NULL);
	const gchar *args[8] = {NULL};
	guint n = 0;

	if (credentials != NULL) {
		args[n++] = "--digest";
		args[n++] = "--user";
		args[n++] = credentials;
	}
	if (header != NULL) {
		args[n++] = "--header";
		args[n++] = header;
	}
	args[n++] = "--globoff";
	args[n++] = url;
	return prov_it_curl(args);
}

/* reference 7.2 (UCM-EXEC): POST with the form field XML */
static ProvItHttp *
prov_it_curl_execute(const gchar *authority, const gchar *object, const gchar *credentials)
{
	g_autofree gchar *url = g_strconcat("http://", authority, "/CGI/Execute", NULL);
	g_autofree gchar *field = g_strconcat("XML=", object, NULL);
	const gchar *args[8] = {NULL};
	guint n = 0;

	if (credentials != NULL) {
		args[n++] = "--digest";
		args[n++] = "--user";
		args[n++] = credentials;
	}
	args[n++] = "--data-urlencode";
	args[n++] = field;
	args[n++] = url;
	return prov_it_curl(args);
}

static void
prov_it_assert_value(ProvItDaemon *daemon, const gchar *name, const gchar *expected)
{
	g_autofree gchar *value = prov_it_daemon_get(daemon, name);

	g_assert_cmpstr(value, ==, expected);
}

/* no password, digest response or nonce secret in the daemon's log, at -vv */
static void
prov_it_assert_log_clean(ProvItDaemon *daemon)
{
	g_autofree gchar *log = prov_it_daemon_read_log(daemon);

	g_assert_null(strstr(log, ADMIN_PASSWORD));
	g_assert_null(strstr(log, USER_PASSWORD));
	g_assert_null(strstr(log, "response="));
}

/* a one-shot resync from the trigger: PRVST -1, the URL, success */
static GVariant *
prov_it_wait_one_shot(ProvItDaemon *daemon, const gchar *url)
{
	g_autoptr(GVariant) rule = NULL;
	GVariant *result;
	gboolean one_shot = FALSE;
	gint cause = 0;

	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	if (result == NULL) {
		g_autofree gchar *log = prov_it_daemon_read_log(daemon);

		g_printerr("no resync:\n%s\n", log);
	}
	g_assert_nonnull(result);
	prov_it_assert_success(result);
	g_assert_cmpint(cause, ==, -1);
	g_assert_true(g_variant_lookup(result, "one-shot", "b", &one_shot));
	g_assert_true(one_shot);
	g_assert_cmpuint(prov_it_result_get_n_rules(result), ==, 1);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "url"), ==, url);
	return result;
}

static void
prov_it_assert_prvst(ProvItDaemon *daemon, gint expected)
{
	g_autoptr(GVariant) state = prov_it_daemon_get_property(daemon, "ProvisioningState");
	gint prvst = 0;

	g_assert_true(g_variant_lookup(state, "prvst", "i", &prvst));
	g_assert_cmpint(prvst, ==, expected);
}

/* S-1 through the functional URL, with curl's digest */
static void
prov_it_test_s1(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autoptr(ProvItHttp) reply = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autofree gchar *authority = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *target = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	url = prov_it_tftp_url("/basic.txt");
	prov_it_daemon_set_factory(daemon, "Admin_Password", ADMIN_PASSWORD);
	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);

	target = g_strconcat("/admin/resync?", url, NULL);
	reply = prov_it_curl_get(authority, target, "admin:" ADMIN_PASSWORD, NULL);
	g_assert_cmpuint(reply->status, ==, 200);
	g_assert_true(g_str_has_prefix(reply->body, "resync queued"));
	result = prov_it_wait_one_shot(daemon, url);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_assert_value(daemon, "GPP_B", "");
	/* a one-shot rule never changes the stored one (reference 7.1) */
	prov_it_assert_value(daemon, "Profile_Rule", "/ata$PSN.cfg");
	prov_it_assert_prvst(daemon, -1);
	prov_it_assert_log_clean(daemon);
	prov_it_daemon_stop(daemon);
}

static void
prov_it_s6_run(ProvItDaemon *daemon, const gchar *authority, const gchar *credentials)
{
	g_autofree gchar *rule = prov_it_tftp_url("/ata$MA.cfg");
	g_autofree gchar *expanded = prov_it_tftp_url("/ata" PROV_IT_MAC ".cfg");
	/* the seed's own unquoted form first, then the quoted one (reference 1.2 rule 9) */
	g_autofree gchar *unquoted = g_strdup_printf(
	    "<CP-xxxx-3PCCExecute>\n  <ExecuteItem URL=Resync:%s/>\n</CP-xxxx-3PCCExecute>", rule);
	g_autofree gchar *quoted = g_strdup_printf(
	    "<CP-xxxx-3PCCExecute><ExecuteItem URL=\"Resync:%s\"/></CP-xxxx-3PCCExecute>", rule);
	const gchar *objects[] = {unquoted, quoted};

	for (guint i = 0; i < G_N_ELEMENTS(objects); i++) {
		g_autoptr(ProvItHttp) reply = NULL;
		g_autoptr(GVariant) result = NULL;
		g_autofree gchar *expected = g_strdup_printf(
		    "<CiscoIPPhoneResponse>\n<ResponseItem Status=\"0\" Data=\"Success\" "
		    "URL=\"Resync:%s\"/>\n</CiscoIPPhoneResponse>\n",
		    rule);

		prov_it_daemon_set(daemon, "GPP_B", "", NULL);
		reply = prov_it_curl_execute(authority, objects[i], credentials);
		g_assert_cmpuint(reply->status, ==, 200);
		g_assert_nonnull(strstr(reply->headers, "Content-Type: text/xml"));
		g_assert_cmpstr(reply->body, ==, expected);
		/* macros expanded in the fetch, not in what is stored */
		result = prov_it_wait_one_shot(daemon, expanded);
		prov_it_assert_value(daemon, "GPP_B", "s6");
		prov_it_assert_value(daemon, "Profile_Rule", "/ata$PSN.cfg");
		prov_it_assert_prvst(daemon, -1);
	}
}

/* S-6: Trusted, then Local Credential with a user password and a 401 first */
static void
prov_it_test_s6(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autofree gchar *authority = NULL;
	g_autofree gchar *log = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("ata" PROV_IT_MAC ".cfg", ATA_PROFILE, -1);
	prov_it_daemon_set_factory(daemon, "CISCO_XML_EXE_Enable", "Yes");
	prov_it_daemon_set_factory(daemon, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);
	prov_it_s6_run(daemon, authority, NULL);
	log = prov_it_daemon_read_log(daemon);
	g_assert_nonnull(strstr(log, "XML Execute is unauthenticated"));

	prov_it_daemon_set(daemon, "CISCO_XML_EXE_Auth_Mode", "Local Credential", "User_Password",
			   USER_PASSWORD, NULL);
	prov_it_daemon_clear_signals(daemon);
	{
		g_autoptr(ProvItHttp) reply = prov_it_curl_execute(
		    authority,
		    "<CP-xxxx-3PCCExecute><ExecuteItem URL=\"Resync:\"/></CP-xxxx-3PCCExecute>",
		    NULL);

		g_assert_cmpuint(reply->status, ==, 401);
		g_assert_nonnull(
		    strstr(reply->headers, "WWW-Authenticate: Digest realm=\"" PROV_IT_PN "\""));
	}
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 0);
	prov_it_s6_run(daemon, authority, "user:" USER_PASSWORD);
	prov_it_assert_log_clean(daemon);
	prov_it_daemon_stop(daemon);
}

/* R21, R22, reference 7.1 and 7.2: each refused with its status, and nothing runs */
static void
prov_it_test_refusals(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autofree gchar *authority = NULL;
	g_autofree gchar *oversized = NULL;
	g_autofree gchar *url = prov_it_tftp_url("/basic.txt");
	g_autofree gchar *target = g_strconcat("/admin/resync?", url, NULL);
	g_autofree gchar *with_url_credentials =
	    g_strconcat(target, "&xuser=admin&xpassword=" ADMIN_PASSWORD, NULL);
	g_autofree gchar *good_object = g_strdup_printf(
	    "<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:%s\"/></CiscoIPPhoneExecute>", url);
	g_autofree gchar *mixed_object =
	    g_strdup_printf("<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:%s\"/>"
			    "<ExecuteItem URL=\"Key:Hold\"/></CiscoIPPhoneExecute>",
			    url);
	g_autoptr(GString) big = g_string_new(NULL);

	prov_it_daemon_set_factory(daemon, "Admin_Password", ADMIN_PASSWORD);
	prov_it_daemon_set_factory(daemon, "User_Password", USER_PASSWORD);
	prov_it_daemon_set_factory(daemon, "CISCO_XML_EXE_Enable", "Yes");
	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);
	while (big->len < 20 * 1024)
		g_string_append(big, "<!-- padding padding padding -->");
	oversized = g_strdup_printf("<CiscoIPPhoneExecute>%s<ExecuteItem URL=\"Resync:%s\"/>"
				    "</CiscoIPPhoneExecute>",
				    big->str, url);

	{
		g_autoptr(ProvItHttp) none = prov_it_curl_get(authority, target, NULL, NULL);
		g_autoptr(ProvItHttp) wrong =
		    prov_it_curl_get(authority, target, "admin:" ADMIN_PASSWORD "x", NULL);
		g_autoptr(ProvItHttp) wrong_user =
		    prov_it_curl_get(authority, target, "user:" USER_PASSWORD, NULL);
		g_autoptr(ProvItHttp) cross = prov_it_curl_get(
		    authority, target, "admin:" ADMIN_PASSWORD, "Sec-Fetch-Site: cross-site");
		g_autoptr(ProvItHttp) origin = prov_it_curl_get(
		    authority, target, "admin:" ADMIN_PASSWORD, "Origin: http://evil.example");
		g_autoptr(ProvItHttp) referer =
		    prov_it_curl_get(authority, target, "admin:" ADMIN_PASSWORD,
				     "Referer: http://evil.example/attack.html");
		g_autoptr(ProvItHttp) in_url = prov_it_curl_get(authority, with_url_credentials,
								"admin:" ADMIN_PASSWORD, NULL);
		g_autoptr(ProvItHttp) get_execute =
		    prov_it_curl_get(authority, "/CGI/Execute", "user:" USER_PASSWORD, NULL);
		g_autoptr(ProvItHttp) execute_none =
		    prov_it_curl_execute(authority, good_object, NULL);
		g_autoptr(ProvItHttp) execute_wrong =
		    prov_it_curl_execute(authority, good_object, "user:wrong");
		g_autoptr(ProvItHttp) execute_big =
		    prov_it_curl_execute(authority, oversized, "user:" USER_PASSWORD);
		g_autoptr(ProvItHttp) execute_mixed =
		    prov_it_curl_execute(authority, mixed_object, "user:" USER_PASSWORD);
		g_autoptr(ProvItHttp) upgrade =
		    prov_it_curl_get(authority, "/admin/upgrade?http://127.0.0.1/fw.bin",
				     "admin:" ADMIN_PASSWORD, NULL);

		g_assert_cmpuint(none->status, ==, 401);
		g_assert_nonnull(strstr(none->headers, "WWW-Authenticate: Digest "));
		g_assert_cmpuint(wrong->status, ==, 401);
		g_assert_cmpuint(wrong_user->status, ==, 401);
		g_assert_cmpuint(cross->status, ==, 403);
		g_assert_cmpuint(origin->status, ==, 403);
		g_assert_cmpuint(referer->status, ==, 403);
		g_assert_cmpuint(in_url->status, ==, 400);
		g_assert_nonnull(strstr(in_url->body, "digest"));
		g_assert_cmpuint(get_execute->status, ==, 405);
		g_assert_nonnull(strstr(get_execute->headers, "Allow: POST"));
		g_assert_cmpuint(execute_none->status, ==, 401);
		g_assert_cmpuint(execute_wrong->status, ==, 401);
		g_assert_cmpstr(execute_wrong->body, ==, "<CiscoIPPhoneError Number=\"4\"/>\n");
		g_assert_cmpuint(execute_big->status, ==, 413);
		g_assert_cmpuint(execute_mixed->status, ==, 400);
		g_assert_nonnull(strstr(execute_mixed->body, "Status=\"6\""));
		g_assert_nonnull(strstr(execute_mixed->body, "URL=\"Key:Hold\""));
		g_assert_cmpuint(upgrade->status, ==, 501);
	}
	/* XML Execute off: refused even with the right account */
	prov_it_daemon_set(daemon, "CISCO_XML_EXE_Enable", "No", NULL);
	{
		g_autoptr(ProvItHttp) reply =
		    prov_it_curl_execute(authority, good_object, "user:" USER_PASSWORD);

		g_assert_cmpuint(reply->status, ==, 403);
	}
	/* and nothing of it reached the engine */
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 0);
	{
		g_autoptr(GVariant) last = prov_it_daemon_get_property(daemon, "LastResult");

		g_assert_cmpuint(g_variant_n_children(last), ==, 0);
	}
	prov_it_assert_value(daemon, "GPP_A", "");
	prov_it_assert_log_clean(daemon);
	prov_it_daemon_stop(daemon);
}

/* no built-in account; the gates; a password set over D-Bus counts at once */
static void
prov_it_test_no_account(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autofree gchar *authority = NULL;
	g_autofree gchar *log = NULL;
	const gchar *credentials[] = {NULL, "admin:", "admin:admin", "admin:password"};
	const gchar *needle = "/admin/resync refused: Admin_Password is empty";
	gchar *first;

	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);
	for (guint i = 0; i < G_N_ELEMENTS(credentials); i++) {
		g_autoptr(ProvItHttp) reply =
		    prov_it_curl_get(authority, "/admin/resync", credentials[i], NULL);
		g_autoptr(ProvItHttp) reboot =
		    prov_it_curl_get(authority, "/admin/reboot", credentials[i], NULL);

		g_assert_cmpuint(reply->status, ==, 403);
		g_assert_nonnull(strstr(reply->body, "Admin_Password is empty"));
		g_assert_cmpuint(reboot->status, ==, 403);
	}
	/* said once */
	log = prov_it_daemon_read_log(daemon);
	first = strstr(log, needle);
	g_assert_nonnull(first);
	g_assert_null(strstr(first + 1, needle));

	prov_it_daemon_set(daemon, "Admin_Password", ADMIN_PASSWORD, "Enable_Direct_Action_Url",
			   "No", NULL);
	{
		g_autoptr(ProvItHttp) reply =
		    prov_it_curl_get(authority, "/admin/reboot", "admin:" ADMIN_PASSWORD, NULL);

		g_assert_cmpuint(reply->status, ==, 403);
		g_assert_nonnull(strstr(reply->body, "Enable_Direct_Action_Url"));
	}
	prov_it_daemon_set(daemon, "Enable_Direct_Action_Url", "Yes", NULL);
	prov_it_daemon_clear_signals(daemon);
	{
		g_autoptr(ProvItHttp) reply =
		    prov_it_curl_get(authority, "/admin/reboot", "admin:" ADMIN_PASSWORD, NULL);
		g_autoptr(GVariant) reboot = NULL;

		g_assert_cmpuint(reply->status, ==, 200);
		reboot = prov_it_daemon_take_signal(daemon, "RebootRequested", PROV_IT_TIMEOUT_MS);
		g_assert_nonnull(reboot);
	}
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 0);
	prov_it_assert_log_clean(daemon);
	prov_it_daemon_stop(daemon);
}

static guint
prov_it_count(const gchar *text, const gchar *needle)
{
	guint n = 0;

	for (const gchar *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/*
 * R23: 30 authenticated requests in one curl run (one connection, the digest
 * nonce reused with growing counts): at most 10 a second are accepted, the
 * rest get 503 with Retry-After, challenges are not counted, and the
 * accepted ones coalesce into one resync while the line is busy.
 */
static void
prov_it_test_flood(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autoptr(ProvItHttp) reply = NULL;
	g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) busy = NULL;
	g_autofree gchar *authority = NULL;
	g_autofree gchar *rule = prov_it_tftp_url("/basic.txt");
	g_autofree gchar *log = NULL;
	guint n_ok;
	guint n_busy;
	guint max_ok;
	gint64 start;
	gint64 elapsed;
	gint cause = 0;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	prov_it_daemon_set_factory(daemon, "Admin_Password", ADMIN_PASSWORD);
	prov_it_daemon_set_factory(daemon, "Profile_Rule", rule);
	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);
	/* while a line is busy the resync waits (reference 5.2.4), so all of them meet in it */
	busy = prov_it_daemon_call(daemon, PROV_IT_INTERFACE, "SetBusy", g_variant_new("(b)", TRUE),
				   &error);
	g_assert_no_error(error);
	prov_it_daemon_clear_signals(daemon);

	g_ptr_array_add(args, g_strdup("--digest"));
	g_ptr_array_add(args, g_strdup("--user"));
	g_ptr_array_add(args, g_strdup("admin:" ADMIN_PASSWORD));
	for (guint i = 0; i < 30; i++)
		g_ptr_array_add(args, g_strconcat("http://", authority, "/admin/resync", NULL));
	g_ptr_array_add(args, NULL);
	start = g_get_monotonic_time();
	reply = prov_it_curl((const gchar *const *)args->pdata);
	elapsed = g_get_monotonic_time() - start;
	g_test_message("30 requests in %" G_GINT64_FORMAT " us", elapsed);

	n_ok = prov_it_count(reply->headers, "HTTP/1.1 200");
	n_busy = prov_it_count(reply->headers, "HTTP/1.1 503");
	g_test_message("%u accepted, %u over the rate limit", n_ok, n_busy);
	g_assert_cmpuint(n_ok + n_busy, ==, 30);
	g_assert_cmpuint(prov_it_count(reply->headers, "Retry-After: 1"), ==, n_busy);
	/* the budget renews each second: the requests spread over elapsed seconds at most */
	max_ok = 10 * (guint)(elapsed / G_USEC_PER_SEC + 1);
	g_assert_cmpuint(n_ok, >=, 1);
	g_assert_cmpuint(n_ok, <=, max_ok);
	if (elapsed < G_USEC_PER_SEC)
		g_assert_cmpuint(n_busy, >=, 20);

	g_clear_pointer(&busy, g_variant_unref);
	busy = prov_it_daemon_call(daemon, PROV_IT_INTERFACE, "SetBusy",
				   g_variant_new("(b)", FALSE), &error);
	g_assert_no_error(error);
	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	prov_it_assert_success(result);
	g_assert_cmpint(cause, ==, -1);
	/* one resync for all of them; the state settles, and no second one follows */
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), <=, 2);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 1);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	log = prov_it_daemon_read_log(daemon);
	g_assert_true(prov_it_daemon_is_running(daemon));
	prov_it_assert_log_clean(daemon);
	prov_it_daemon_stop(daemon);
}

/* provctl status names the listener; a daemon without the group has none */
static void
prov_it_test_status(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_http_daemon_new();
	g_autoptr(ProvItDaemon) plain = prov_it_daemon_new();
	g_autoptr(GVariant) triggers = NULL;
	g_autofree gchar *authority = NULL;
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *json = NULL;

	if (prov_it_skip_without_provctl())
		return;
	prov_it_daemon_start(daemon);
	authority = prov_it_http_authority(daemon);
	g_assert_cmpint(prov_it_daemon_provctl(daemon, FALSE, &out, &err, "status", NULL), ==, 0);
	g_test_message("%s", out);
	g_assert_nonnull(strstr(out, "Triggers:"));
	g_assert_nonnull(strstr(out, authority));
	g_assert_nonnull(strstr(out, "http"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(
	    prov_it_daemon_provctl(daemon, FALSE, &json, &err, "status", "--json", NULL), ==, 0);
	g_assert_nonnull(strstr(json, authority));
	prov_it_daemon_stop(daemon);

	/* a listener whose group is absent does not start */
	prov_it_daemon_start(plain);
	triggers = prov_it_daemon_get_property(plain, "Triggers");
	g_assert_cmpuint(g_variant_n_children(triggers), ==, 0);
	prov_it_daemon_stop(plain);
}

/* a broken [http-trigger] keeps the listener off, says why, and the daemon runs on */
static void
prov_it_test_bad_config(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_daemon_new();
	g_autoptr(GVariant) triggers = NULL;
	g_autofree gchar *log = NULL;

	prov_it_daemon_set_config(daemon, "http-trigger", "Listen", "localhost:8080");
	prov_it_daemon_start(daemon);
	triggers = prov_it_daemon_get_property(daemon, "Triggers");
	g_assert_cmpuint(g_variant_n_children(triggers), ==, 0);
	log = prov_it_daemon_read_log(daemon);
	g_assert_nonnull(strstr(log, "[http-trigger] Listen=localhost:8080"));
	g_assert_true(prov_it_daemon_is_running(daemon));
	prov_it_daemon_stop(daemon);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *curl = g_find_program_in_path("curl");

	g_test_init(&argc, &argv, NULL);
	if (curl == NULL) {
		g_printerr("curl is missing (tools/install-deps installs it)\n");
		return 77;
	}
	if (!prov_it_set_up(PROV_IT_NEED_TFTP))
		return 77;
	g_test_add_func("/prov/daemon/http-trigger/s1", prov_it_test_s1);
	g_test_add_func("/prov/daemon/http-trigger/s6", prov_it_test_s6);
	g_test_add_func("/prov/daemon/http-trigger/refusals", prov_it_test_refusals);
	g_test_add_func("/prov/daemon/http-trigger/no-account", prov_it_test_no_account);
	g_test_add_func("/prov/daemon/http-trigger/flood", prov_it_test_flood);
	g_test_add_func("/prov/daemon/http-trigger/status", prov_it_test_status);
	g_test_add_func("/prov/daemon/http-trigger/bad-config", prov_it_test_bad_config);
	return prov_it_run();
}
