/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The seed scenarios of reference 11 through the daemon: provisiond from the
 * build tree on a private bus, asked over D-Bus, fetching from tftpd-hpa and
 * nginx on loopback high ports, logging to a syslog listener in this test.
 * The fixture is reference 11's (behaviour mpp, PN ATA192-MPP, MAC
 * 000e08abcdef, SN 88012BA01234); its addresses map to 127.0.0.1 and high
 * ports, and expected syslog lines are built from the default templates
 * (reference 5.6), framed as ProvSyslog frames them: "<134>" and the MSG.
 */

#include "config.h"

#include <string.h>

#include "prov-integration-harness.h"

#define PROV_IT_PREFIX "<134>" PROV_IT_PN " " PROV_IT_MAC_COLON " -- "

static gchar *
prov_it_request_line(const gchar *url)
{
	return g_strconcat(PROV_IT_PREFIX "Requesting resync ", url, NULL);
}

static gchar *
prov_it_success_line(const gchar *url)
{
	return g_strconcat(PROV_IT_PREFIX "Successful resync ", url, NULL);
}

static gchar *
prov_it_failure_line(const gchar *reason)
{
	return g_strconcat(PROV_IT_PREFIX "Resync failed: ", reason, NULL);
}

/* the datagrams, exactly and in order */
static void
prov_it_assert_lines(ProvItSyslog *syslog, const gchar *const *expected)
{
	g_autoptr(GPtrArray) lines = prov_it_syslog_take(syslog);
	guint n = g_strv_length((gchar **)expected);

	for (guint i = 0; i < MIN(n, lines->len); i++)
		g_assert_cmpstr(g_ptr_array_index(lines, i), ==, expected[i]);
	g_assert_cmpuint(lines->len, ==, n);
}

static ProvItDaemon *
prov_it_start(void)
{
	ProvItDaemon *daemon = prov_it_daemon_new();

	prov_it_daemon_start(daemon);
	return daemon;
}

static void
prov_it_assert_value(ProvItDaemon *daemon, const gchar *name, const gchar *expected)
{
	g_autofree gchar *value = prov_it_daemon_get(daemon, name);

	g_assert_cmpstr(value, ==, expected);
}

static void
prov_it_assert_failed(GVariant *result, const gchar *error)
{
	g_autofree gchar *text = g_variant_print(result, TRUE);

	g_test_message("result: %s", text);
	g_assert_cmpstr(prov_it_result_get_string(result, "status"), ==, "failed");
	g_assert_cmpstr(prov_it_result_get_string(result, "error"), ==, error);
}

/* S-1: a one-shot TFTP URL; GPP_A only, Profile_Rule untouched, PRVST -1 */
static void
prov_it_test_s1(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;
	g_autoptr(GVariant) last = NULL;
	g_autoptr(GVariant) state = NULL;
	gboolean one_shot = FALSE;
	gint cause = 0;
	gint prvst = 0;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	url = prov_it_tftp_url("/basic.txt");
	daemon = prov_it_start();
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	g_assert_true(g_variant_lookup(result, "cause", "i", &cause));
	g_assert_cmpint(cause, ==, -1);
	g_assert_true(g_variant_lookup(result, "one-shot", "b", &one_shot));
	g_assert_true(one_shot);
	g_assert_cmpstr(prov_it_result_get_string(result, "error"), ==, "");

	g_assert_cmpuint(prov_it_result_get_n_rules(result), ==, 1);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "name"), ==, "one-shot");
	g_assert_cmpstr(prov_it_result_get_string(rule, "url"), ==, url);
	g_assert_cmpstr(prov_it_result_get_string(rule, "transport"), ==, "tftp");
	g_assert_cmpstr(prov_it_result_get_string(rule, "status"), ==, "success");
	g_assert_cmpuint(prov_it_result_get_uint(rule, "bytes"), ==, strlen(PROV_IT_BASIC));
	g_assert_cmpuint(prov_it_result_get_uint(rule, "applied"), ==, 1);
	prov_it_assert_strv(rule, "changed", (const gchar *[]){"GPP_A", NULL});

	/* leading space and the line break removed (reference 1.2) */
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	for (gchar letter = 'B'; letter <= 'P'; letter++) {
		g_autofree gchar *name = g_strdup_printf("GPP_%c", letter);

		prov_it_assert_value(daemon, name, "");
	}
	/* a one-shot URL never changes the stored rule (reference 5.3) */
	prov_it_assert_value(daemon, "Profile_Rule", "/ata$PSN.cfg");

	last = prov_it_daemon_get_property(daemon, "LastResult");
	prov_it_assert_success(last);
	state = prov_it_daemon_get_property(daemon, "ProvisioningState");
	g_assert_true(g_variant_lookup(state, "prvst", "i", &prvst));
	g_assert_cmpint(prvst, ==, -1);
	g_assert_cmpstr(prov_it_result_get_string(state, "err"), ==, "");
	prov_it_daemon_stop(daemon);
}

/*
 * reference 5.5 after four resyncs, the last failed: $ERR, and the ring of
 * the last three results, newest first
 */
static void
prov_it_assert_history(ProvItDaemon *daemon)
{
	g_autoptr(GVariant) state = prov_it_daemon_get_property(daemon, "ProvisioningState");
	g_autoptr(GVariant) history = NULL;
	const gchar *statuses[] = {"failed", "success", "success"};
	gint64 previous_time = G_MAXINT64;

	g_assert_cmpstr(prov_it_result_get_string(state, "err"), ==, "file not found");
	history = g_variant_lookup_value(state, "history", G_VARIANT_TYPE("aa{sv}"));
	g_assert_nonnull(history);
	g_assert_cmpuint(g_variant_n_children(history), ==, 3);
	for (guint i = 0; i < 3; i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(history, i);
		gint64 time = 0;

		g_assert_cmpstr(prov_it_result_get_string(entry, "status"), ==, statuses[i]);
		g_assert_true(g_variant_lookup(entry, "time", "x", &time));
		g_assert_cmpint(time, >, 0);
		g_assert_cmpint(time, <=, previous_time);
		previous_time = time;
	}
	{
		g_autoptr(GVariant) newest = g_variant_get_child_value(history, 0);

		g_assert_cmpstr(prov_it_result_get_string(newest, "reason"), ==, "file not found");
	}
}

/* S-2: two datagrams per fetch; empty templates suppress theirs; a missing file */
static void
prov_it_test_s2(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *url = NULL;
	g_autofree gchar *request = NULL;
	g_autofree gchar *success = NULL;
	g_autofree gchar *not_found = prov_it_failure_line("file not found");
	g_autofree gchar *seed_profile = NULL;
	g_autofree gchar *seed_url = NULL;
	g_autoptr(GVariant) result = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	url = prov_it_tftp_url("/basic.txt");
	request = prov_it_request_line(url);
	success = prov_it_success_line(url);
	daemon = prov_it_start();
	prov_it_daemon_set(daemon, "Syslog_Server", server, NULL);

	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_lines(syslog, (const gchar *[]){request, success, NULL});
	g_clear_pointer(&result, g_variant_unref);

	/* an empty template suppresses its message (reference 5.6) */
	prov_it_daemon_set(daemon, "Log_Resync_Request_Msg", "", NULL);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_lines(syslog, (const gchar *[]){success, NULL});
	g_clear_pointer(&result, g_variant_unref);

	prov_it_daemon_set(daemon, "Log_Resync_Request_Msg",
			   "$PN $MAC -- Requesting resync $SCHEME://$SERVIP:$PORT$PATH",
			   "Log_Resync_Success_Msg", "", NULL);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_lines(syslog, (const gchar *[]){request, NULL});
	g_clear_pointer(&result, g_variant_unref);

	/* the file removed: request, then the failure with $ERR */
	prov_it_daemon_set(daemon, "Log_Resync_Success_Msg",
			   "$PN $MAC -- Successful resync $SCHEME://$SERVIP:$PORT$PATH", NULL);
	prov_it_unpublish("s2-gone.txt");
	g_free(url);
	g_free(request);
	url = prov_it_tftp_url("/s2-gone.txt");
	request = prov_it_request_line(url);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_failed(result, "file not found");
	prov_it_assert_lines(syslog, (const gchar *[]){request, not_found, NULL});
	g_clear_pointer(&result, g_variant_unref);
	prov_it_assert_history(daemon);

	/* the seed's <Syslog_Server_IP> (an alias) has the same effect */
	prov_it_daemon_set(daemon, "Syslog_Server", "", NULL);
	seed_profile = g_strdup_printf("<flat-profile>\n  <Syslog_Server_IP>%s</Syslog_Server_IP>\n"
				       "</flat-profile>\n",
				       server);
	prov_it_publish("s2-syslog.txt", seed_profile, -1);
	seed_url = prov_it_tftp_url("/s2-syslog.txt");
	result = prov_it_daemon_resync(daemon, seed_url);
	prov_it_assert_success(result);
	g_clear_pointer(&result, g_variant_unref);
	prov_it_assert_value(daemon, "Syslog_Server", server);
	g_ptr_array_unref(prov_it_syslog_take(syslog));
	g_free(url);
	g_free(request);
	g_free(success);
	url = prov_it_tftp_url("/basic.txt");
	request = prov_it_request_line(url);
	success = prov_it_success_line(url);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_lines(syslog, (const gchar *[]){request, success, NULL});
	prov_it_daemon_stop(daemon);
}

/* S-4: Profile_Rule set over D-Bus resyncs at once, with $MA expanded in the request only */
static void
prov_it_test_s4(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *stored = NULL;
	g_autofree gchar *padded = NULL;
	g_autofree gchar *expanded = NULL;
	g_autofree gchar *profile = NULL;
	g_autofree gchar *profile_url = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;
	gint cause = 0;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("ata" PROV_IT_MAC ".cfg", PROV_IT_BASIC, -1);
	stored = g_strdup_printf("tftp://127.0.0.1:%u/ata$MA.cfg", prov_it_get_tftp_port());
	expanded = prov_it_tftp_url("/ata" PROV_IT_MAC ".cfg");
	daemon = prov_it_start();

	/* the seed's profile form: the value between line breaks is trimmed, not expanded */
	profile = g_strdup_printf("<flat-profile>\n<Profile_Rule>\n  %s\n</Profile_Rule>\n"
				  "</flat-profile>\n",
				  stored);
	prov_it_publish("s4-rule.txt", profile, -1);
	profile_url = prov_it_tftp_url("/s4-rule.txt");
	result = prov_it_daemon_resync(daemon, profile_url);
	prov_it_assert_success(result);
	g_clear_pointer(&result, g_variant_unref);
	prov_it_assert_value(daemon, "Profile_Rule", stored);
	prov_it_assert_value(daemon, "GPP_A", "");

	/* over D-Bus: a new rule (padded as a web form may send it) resyncs at once */
	prov_it_daemon_set(daemon, "Profile_Rule", "/ata$PSN.cfg", NULL);
	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	g_clear_pointer(&result, g_variant_unref);
	prov_it_daemon_clear_signals(daemon);
	padded = g_strdup_printf("\n  %s\n", stored);
	prov_it_daemon_set(daemon, "Profile_Rule", padded, NULL);
	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	g_assert_cmpint(cause, ==, -1);
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "name"), ==, "Profile_Rule");
	/* the RRQ named /ata000e08abcdef.cfg */
	g_assert_cmpstr(prov_it_result_get_string(rule, "url"), ==, expanded);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_assert_value(daemon, "Profile_Rule", stored);
	prov_it_daemon_stop(daemon);
}

/* S-5: HTTP GET from nginx, whose access log shows the User-Agent */
static void
prov_it_test_s5(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *url = prov_it_http_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/basic.txt");
	g_autofree gchar *request = prov_it_request_line(url);
	g_autofree gchar *success = prov_it_success_line(url);
	g_autofree gchar *line = NULL;
	g_autofree gchar *host = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;

	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	daemon = prov_it_start();
	prov_it_daemon_set(daemon, "Syslog_Server", server, NULL);
	prov_it_access_log_truncate();
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "transport"), ==, "http");
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	/* reference 6.2.2: the mpp default, with the MAC and the serial */
	line = prov_it_access_log_wait("\"GET /basic.txt HTTP/1.1\" 200");
	g_assert_nonnull(line);
	g_test_message("access log: %s", line);
	g_assert_nonnull(strstr(line, "\"Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)\""));
	/* Host: the server and its port, which is not the default one here */
	host = g_strdup_printf("\"127.0.0.1:%u\"", prov_it_get_port(PROV_IT_PORT_HTTP));
	g_assert_true(g_str_has_suffix(line, host));
	prov_it_assert_lines(syslog, (const gchar *[]){request, success, NULL});
	prov_it_daemon_stop(daemon);
}

/*
 * S-7: a name, a non-standard port and macros in the URL. The daemon runs
 * with its own /etc/hosts (prov.telco.com is 127.0.0.1) and a resolver
 * that fails at once, so that the unresolvable name never reaches a DNS
 * server; without that (not root, no unshare) the negative is skipped.
 */
static void
prov_it_test_s7(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *rule_pn = NULL;
	g_autofree gchar *rule_b = NULL;
	g_autofree gchar *rule_invalid = NULL;
	g_autofree gchar *url_pn = prov_it_tftp_url("/cisco/config/ATA192-MPP.cfg");
	g_autofree gchar *request_pn = NULL;
	g_autofree gchar *success_pn = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;
	const gchar *host = "prov.telco.com";
	gboolean namespaced;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("cisco/config/ATA192-MPP.cfg", PROV_IT_BASIC, -1);
	prov_it_publish("cisco/Dj6Lmp23Q/000e08012345.cfg",
			"<flat-profile><GPP_C>second part</GPP_C></flat-profile>\n", -1);
	daemon = prov_it_daemon_new();
	/* the second part's device */
	prov_it_daemon_set_config(daemon, "device", "MAC", "000e08012345");
	namespaced = prov_it_daemon_set_hosts(daemon, "127.0.0.1 localhost\n"
						      "127.0.0.1 prov.telco.com\n");
	if (!namespaced)
		host = "localhost";
	prov_it_daemon_start(daemon);
	prov_it_daemon_set(daemon, "Syslog_Server", server, NULL);

	rule_pn =
	    g_strdup_printf("tftp://%s:%u/cisco/config/$PN.cfg", host, prov_it_get_tftp_port());
	result = prov_it_daemon_resync(daemon, rule_pn);
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_test_message("rule: url %s", prov_it_result_get_string(rule, "url"));
	g_assert_true(g_str_has_suffix(prov_it_result_get_string(rule, "url"),
				       "/cisco/config/ATA192-MPP.cfg"));
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	/* $SERVIP is the address the name resolved to */
	request_pn = g_strconcat("<134>" PROV_IT_PN " 00:0e:08:01:23:45 -- Requesting resync ",
				 url_pn, NULL);
	success_pn = g_strconcat("<134>" PROV_IT_PN " 00:0e:08:01:23:45 -- Successful resync ",
				 url_pn, NULL);
	prov_it_assert_lines(syslog, (const gchar *[]){request_pn, success_pn, NULL});
	g_clear_pointer(&result, g_variant_unref);
	g_clear_pointer(&rule, g_variant_unref);

	/* $B is GPP_B anywhere in a rule; $MA the MAC in lower-case hex */
	prov_it_daemon_set(daemon, "GPP_B", "Dj6Lmp23Q", NULL);
	rule_b = g_strdup_printf("tftp://%s:%u/cisco/$B/$MA.cfg", host, prov_it_get_tftp_port());
	result = prov_it_daemon_resync(daemon, rule_b);
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_true(g_str_has_suffix(prov_it_result_get_string(rule, "url"),
				       "/cisco/Dj6Lmp23Q/000e08012345.cfg"));
	prov_it_assert_value(daemon, "GPP_C", "second part");
	g_ptr_array_unref(prov_it_syslog_take(syslog));
	g_clear_pointer(&result, g_variant_unref);

	if (!namespaced) {
		g_test_message("the unresolvable name is not tried: without a private resolver "
			       "(root and unshare) its lookup would leave the machine");
		prov_it_daemon_stop(daemon);
		return;
	}
	rule_invalid =
	    g_strdup_printf("tftp://no-such-host.invalid:%u/basic.txt", prov_it_get_tftp_port());
	result = prov_it_daemon_resync(daemon, rule_invalid);
	prov_it_assert_failed(result, "dns lookup failed");
	{
		g_autoptr(GPtrArray) lines = prov_it_syslog_take(syslog);

		g_assert_cmpuint(lines->len, ==, 2);
		g_assert_true(g_str_has_prefix(g_ptr_array_index(lines, 0),
					       "<134>" PROV_IT_PN
					       " 00:0e:08:01:23:45 -- Requesting resync tftp://"));
		g_assert_cmpstr(g_ptr_array_index(lines, 1), ==,
				"<134>" PROV_IT_PN
				" 00:0e:08:01:23:45 -- Resync failed: dns lookup "
				"failed");
	}
	prov_it_daemon_stop(daemon);
}

/* S-8: HTTPS with the test CA in [daemon] CAFile; an untrusted issuer applies nothing */
static void
prov_it_test_s8(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *url = prov_it_http_url(PROV_IT_PORT_HTTPS, "127.0.0.1", "/basic.txt");
	g_autofree gchar *untrusted =
	    prov_it_http_url(PROV_IT_PORT_HTTPS_UNKNOWN, "127.0.0.1", "/basic.txt");
	g_autofree gchar *request = prov_it_request_line(url);
	g_autofree gchar *success = prov_it_success_line(url);
	g_autofree gchar *request_untrusted = prov_it_request_line(untrusted);
	g_autofree gchar *failure = prov_it_failure_line("https_get failed");
	g_autoptr(GVariant) result = NULL;

	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	daemon = prov_it_start();
	prov_it_daemon_set(daemon, "Syslog_Server", server, NULL);

	result = prov_it_daemon_resync(daemon, untrusted);
	prov_it_assert_failed(result, "https_get failed");
	prov_it_assert_value(daemon, "GPP_A", "");
	prov_it_assert_lines(syslog, (const gchar *[]){request_untrusted, failure, NULL});
	g_clear_pointer(&result, g_variant_unref);

	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_assert_lines(syslog, (const gchar *[]){request, success, NULL});
	prov_it_daemon_stop(daemon);
}

/* S-9: the server requires the device certificate (DeviceCertificate/DeviceKey) */
static void
prov_it_test_s9(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url =
	    prov_it_http_url(PROV_IT_PORT_HTTPS_CLIENT, "localhost", "/basic.txt");
	g_autofree gchar *certificate = prov_it_path("certs/device.pem");
	g_autofree gchar *key = prov_it_path("certs/device.key");
	g_autofree gchar *stranger_certificate = prov_it_path("certs/stranger.pem");
	g_autofree gchar *stranger_key = prov_it_path("certs/stranger.key");
	g_autoptr(GVariant) result = NULL;

	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	daemon = prov_it_start();
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_failed(result, "https_get failed");
	prov_it_assert_value(daemon, "GPP_A", "");
	g_clear_pointer(&result, g_variant_unref);
	prov_it_daemon_stop(daemon);

	/* a certificate from another CA is refused too */
	prov_it_daemon_set_config(daemon, "daemon", "DeviceCertificate", stranger_certificate);
	prov_it_daemon_set_config(daemon, "daemon", "DeviceKey", stranger_key);
	prov_it_daemon_start(daemon);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_failed(result, "https_get failed");
	prov_it_assert_value(daemon, "GPP_A", "");
	g_clear_pointer(&result, g_variant_unref);
	prov_it_daemon_stop(daemon);

	prov_it_daemon_set_config(daemon, "daemon", "DeviceCertificate", certificate);
	prov_it_daemon_set_config(daemon, "daemon", "DeviceKey", key);
	prov_it_daemon_start(daemon);
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_daemon_stop(daemon);
}

/* S-10: nginx builds the profile from the client certificate's subject */
static void
prov_it_test_s10(void)
{
	g_autoptr(ProvItDaemon) daemon = prov_it_daemon_new();
	g_autofree gchar *url =
	    prov_it_http_url(PROV_IT_PORT_HTTPS_CLIENT, "localhost", "/cgi-bin/reflect.pl?");
	g_autofree gchar *certificate = prov_it_path("certs/device.pem");
	g_autofree gchar *key = prov_it_path("certs/device.key");
	g_autofree gchar *line = NULL;
	g_autoptr(GVariant) result = NULL;

	prov_it_daemon_set_config(daemon, "daemon", "DeviceCertificate", certificate);
	prov_it_daemon_set_config(daemon, "daemon", "DeviceKey", key);
	prov_it_daemon_start(daemon);
	prov_it_access_log_truncate();
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "GPP_D", "OU=ATA192-MPP, L=88012BA01234, S=000e08abcdef");
	/* the trailing '?' of the request target is kept (reference S-10) */
	line = prov_it_access_log_wait("\"GET /cgi-bin/reflect.pl? HTTP/1.1\" 200");
	g_assert_nonnull(line);
	prov_it_daemon_stop(daemon);
}

/* CustomCAStatus changes from *PREVIOUS_STATUS: waits for its PropertiesChanged, bounded */
static GVariant *
prov_it_wait_custom_ca(ProvItDaemon *daemon, gchar **previous_status)
{
	for (guint i = 0; i < 32; i++) {
		g_autoptr(GVariant) changed = NULL;
		g_autoptr(GVariant) properties = NULL;
		g_autoptr(GVariant) status = NULL;
		const gchar *text = NULL;

		changed =
		    prov_it_daemon_take_signal(daemon, "PropertiesChanged", PROV_IT_TIMEOUT_MS);
		g_assert_nonnull(changed);
		g_variant_get(changed, "(&s@a{sv}@as)", NULL, &properties, NULL);
		status =
		    g_variant_lookup_value(properties, "CustomCAStatus", G_VARIANT_TYPE("a{ss}"));
		if (status == NULL)
			continue;
		if (!g_variant_lookup(status, "status", "&s", &text) ||
		    g_strcmp0(text, *previous_status) == 0)
			continue;
		g_free(*previous_status);
		*previous_status = g_strdup(text);
		return g_steal_pointer(&status);
	}
	g_assert_not_reached();
}

static void
prov_it_assert_custom_ca(GVariant *status, const gchar *prefix, const gchar *info)
{
	const gchar *text = NULL;
	const gchar *info_text = NULL;

	g_assert_true(g_variant_lookup(status, "status", "&s", &text));
	g_assert_true(g_variant_lookup(status, "info", "&s", &info_text));
	g_test_message("custom CA: \"%s\", \"%s\"", text, info_text);
	g_assert_true(g_str_has_prefix(text, prefix));
	/* MM/DD/YYYY HH:MM:SS (reference 9.3) */
	g_assert_true(
	    g_regex_match_simple("^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
				 text + strlen(prefix), 0, 0));
	g_assert_cmpstr(info_text, ==, info);
}

/* S-11: Custom_CA_Rule installs a CA; an HTTPS server that chains to it is then accepted */
static void
prov_it_test_s11(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *ca_pem = NULL;
	g_autofree gchar *ca_path = prov_it_path("certs/custom-ca.pem");
	g_autofree gchar *ca_url =
	    prov_it_http_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/custom-ca.pem");
	g_autofree gchar *missing_url =
	    prov_it_http_url(PROV_IT_PORT_HTTP, "127.0.0.1", "/missing-ca.pem");
	g_autofree gchar *url =
	    prov_it_http_url(PROV_IT_PORT_HTTPS_CUSTOM, "localhost", "/basic.txt");
	g_autoptr(GVariant) status = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *previous = g_strdup("");

	g_assert_true(g_file_get_contents(ca_path, &ca_pem, NULL, &error));
	prov_it_publish("custom-ca.pem", ca_pem, -1);
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	daemon = prov_it_start();

	/* the CA is only in the custom slot: unknown before it is installed */
	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_failed(result, "https_get failed");
	g_clear_pointer(&result, g_variant_unref);

	/* a 404 for the CA: failed, nothing installed */
	prov_it_daemon_clear_signals(daemon);
	prov_it_daemon_set(daemon, "Custom_CA_Rule", missing_url, NULL);
	status = prov_it_wait_custom_ca(daemon, &previous);
	prov_it_assert_custom_ca(status, "Last provisioning failed on ", "Not Installed");
	g_clear_pointer(&status, g_variant_unref);

	prov_it_daemon_set(daemon, "Custom_CA_Rule", ca_url, NULL);
	status = prov_it_wait_custom_ca(daemon, &previous);
	prov_it_assert_custom_ca(status, "Last provisioning succeeded on ",
				 "Installed - Test Custom CA");
	g_clear_pointer(&status, g_variant_unref);
	status = prov_it_daemon_get_property(daemon, "CustomCAStatus");
	prov_it_assert_custom_ca(status, "Last provisioning succeeded on ",
				 "Installed - Test Custom CA");
	g_clear_pointer(&status, g_variant_unref);

	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	g_clear_pointer(&result, g_variant_unref);

	/* a failed download keeps the CA installed before (reference 9.3) */
	prov_it_daemon_set(daemon, "Custom_CA_Rule", missing_url, NULL);
	status = prov_it_wait_custom_ca(daemon, &previous);
	prov_it_assert_custom_ca(status, "Last provisioning failed on ",
				 "Installed - Test Custom CA");
	prov_it_daemon_stop(daemon);
}

static void
prov_it_reset_gpp(ProvItDaemon *daemon)
{
	prov_it_daemon_set(daemon, "GPP_A", "", "GPP_B", "", NULL);
}

/* S-12: a profile compressed with gzip; a truncated or zlib one is corrupt */
static void
prov_it_test_s12(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url = prov_it_tftp_url("/basic.txt.gz");
	g_autofree gchar *truncated = prov_it_tftp_url("/truncated.txt.gz");
	g_autofree gchar *zlib = prov_it_tftp_url("/zlib.txt.gz");
	g_autofree gchar *python = g_find_program_in_path("python3");
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	prov_it_sh("gzip -9 -n -c srv/basic.txt >srv/basic.txt.gz");
	prov_it_sh("head -c 40 srv/basic.txt.gz >srv/truncated.txt.gz");
	prov_it_sh("chmod 644 srv/basic.txt.gz srv/truncated.txt.gz");
	daemon = prov_it_start();

	result = prov_it_daemon_resync(daemon, url);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	rule = prov_it_result_get_rule(result, 0);
	prov_it_assert_strv(rule, "decoders", (const gchar *[]){"gzip", NULL});
	g_assert_cmpuint(prov_it_result_get_uint(rule, "decoded-bytes"), ==, strlen(PROV_IT_BASIC));
	g_clear_pointer(&result, g_variant_unref);

	prov_it_reset_gpp(daemon);
	result = prov_it_daemon_resync(daemon, truncated);
	prov_it_assert_failed(result, "corrupt file");
	prov_it_assert_value(daemon, "GPP_A", "");
	g_clear_pointer(&result, g_variant_unref);

	/* RFC 1950 zlib under the same kind of name: not a gzip container (reference 8.2) */
	if (python != NULL) {
		prov_it_sh("python3 -c 'import sys, zlib; "
			   "sys.stdout.buffer.write(zlib.compress(open(\"srv/basic.txt\", "
			   "\"rb\").read()))' >srv/zlib.txt.gz && chmod 644 srv/zlib.txt.gz");
		result = prov_it_daemon_resync(daemon, zlib);
		prov_it_assert_failed(result, "corrupt file");
		prov_it_assert_value(daemon, "GPP_A", "");
	}
	prov_it_daemon_stop(daemon);
}

/* S-13: openssl enc with the MD5 and SHA-256 KDFs, gzip inside aes; wrong or no key */
static void
prov_it_test_s13(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	const gchar *files[] = {"basic-md5.cfg", "basic-sha256.cfg", "basic.txt.gz.cfg"};
	g_autoptr(GVariant) result = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	prov_it_sh("cd srv\n"
		   "openssl enc -aes-256-cbc -md md5 -k MyOwnSecret -in basic.txt "
		   "-out basic-md5.cfg 2>/dev/null\n"
		   "openssl enc -aes-256-cbc -md sha256 -k MyOwnSecret -in basic.txt "
		   "-out basic-sha256.cfg 2>/dev/null\n"
		   "gzip -n -c basic.txt | openssl enc -aes-256-cbc -md sha256 -k MyOwnSecret "
		   "-out basic.txt.gz.cfg 2>/dev/null\n"
		   "chmod 644 basic-md5.cfg basic-sha256.cfg basic.txt.gz.cfg\n");
	daemon = prov_it_start();

	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree gchar *path = g_strconcat("/", files[i], NULL);
		g_autofree gchar *url = prov_it_tftp_url(path);
		/* the seed's form, with a space before ']' */
		g_autofree gchar *rule = g_strdup_printf("[--key MyOwnSecret ] %s", url);
		g_autoptr(GVariant) record = NULL;

		prov_it_reset_gpp(daemon);
		result = prov_it_daemon_resync(daemon, rule);
		prov_it_assert_success(result);
		prov_it_assert_value(daemon, "GPP_A", "12345678");
		record = prov_it_result_get_rule(result, 0);
		/* encrypt after compress: aes comes off first (reference 8.1) */
		if (i == 2)
			prov_it_assert_strv(record, "decoders",
					    (const gchar *[]){"aes", "gzip", NULL});
		else
			prov_it_assert_strv(record, "decoders", (const gchar *[]){"aes", NULL});
		g_clear_pointer(&result, g_variant_unref);
	}

	/* wrong key, no key, a key for a plain profile: corrupt file, nothing applied */
	{
		g_autofree gchar *encrypted = prov_it_tftp_url("/basic-sha256.cfg");
		g_autofree gchar *plain = prov_it_tftp_url("/basic.txt");
		g_autofree gchar *wrong = g_strdup_printf("[--key NotMySecret ] %s", encrypted);
		g_autofree gchar *keyed_plain = g_strdup_printf("[--key MyOwnSecret ] %s", plain);
		const gchar *rules[] = {wrong, encrypted, keyed_plain};

		for (guint i = 0; i < G_N_ELEMENTS(rules); i++) {
			prov_it_reset_gpp(daemon);
			result = prov_it_daemon_resync(daemon, rules[i]);
			prov_it_assert_failed(result, "corrupt file");
			prov_it_assert_value(daemon, "GPP_A", "");
			g_clear_pointer(&result, g_variant_unref);
		}
	}
	prov_it_daemon_stop(daemon);
}

/* S-14: Profile_Rule then Profile_Rule_B; a missing first file and Resync_Fails_On_FNF */
static void
prov_it_test_s14(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autoptr(ProvItSyslog) syslog = prov_it_syslog_new();
	g_autofree gchar *server = prov_it_syslog_get_server(syslog);
	g_autofree gchar *url_a = prov_it_tftp_url("/s14/basic.txt");
	g_autofree gchar *url_b = prov_it_tftp_url("/s14/basic2.txt");
	/* the seed's value, with a line break before </Profile_Rule_B> */
	g_autofree gchar *rule_b = g_strconcat(url_b, "\n", NULL);
	g_autofree gchar *request_a = prov_it_request_line(url_a);
	g_autofree gchar *success_a = prov_it_success_line(url_a);
	g_autofree gchar *request_b = prov_it_request_line(url_b);
	g_autofree gchar *success_b = prov_it_success_line(url_b);
	g_autofree gchar *not_found = prov_it_failure_line("file not found");
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;
	gint cause = 0;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("s14/basic.txt", PROV_IT_BASIC, -1);
	prov_it_publish("s14/basic2.txt",
			"<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n"
			"  <GPP_B>ABCD</GPP_B>\n</flat-profile>\n",
			-1);
	daemon = prov_it_start();
	prov_it_daemon_set(daemon, "Syslog_Server", server, NULL);

	/* setting the rules resyncs at once (reference S-4) */
	prov_it_daemon_set(daemon, "Profile_Rule", url_a, "Profile_Rule_B", rule_b, NULL);
	result = prov_it_daemon_wait_next_resync(daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "Profile_Rule_B", url_b);
	g_clear_pointer(&result, g_variant_unref);
	g_ptr_array_unref(prov_it_syslog_take(syslog));
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ResyncStarted"), ==, 1);

	prov_it_reset_gpp(daemon);
	result = prov_it_daemon_resync(daemon, "");
	prov_it_assert_success(result);
	g_assert_cmpuint(prov_it_result_get_n_rules(result), >=, 2);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "name"), ==, "Profile_Rule");
	g_assert_cmpstr(prov_it_result_get_string(rule, "url"), ==, url_a);
	g_clear_pointer(&rule, g_variant_unref);
	rule = prov_it_result_get_rule(result, 1);
	g_assert_cmpstr(prov_it_result_get_string(rule, "name"), ==, "Profile_Rule_B");
	g_assert_cmpstr(prov_it_result_get_string(rule, "url"), ==, url_b);
	g_clear_pointer(&rule, g_variant_unref);
	/* the request order shows in the syslog: A, then B */
	prov_it_assert_lines(syslog,
			     (const gchar *[]){request_a, success_a, request_b, success_b, NULL});
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_assert_value(daemon, "GPP_B", "ABCD");
	g_clear_pointer(&result, g_variant_unref);

	/* basic.txt missing, Resync_Fails_On_FNF Yes: the sequence stops, B is not fetched */
	prov_it_unpublish("s14/basic.txt");
	prov_it_reset_gpp(daemon);
	result = prov_it_daemon_resync(daemon, "");
	prov_it_assert_failed(result, "file not found");
	prov_it_assert_lines(syslog, (const gchar *[]){request_a, not_found, NULL});
	prov_it_assert_value(daemon, "GPP_B", "");
	for (guint i = 0; i < prov_it_result_get_n_rules(result); i++) {
		g_autoptr(GVariant) record = prov_it_result_get_rule(result, i);

		g_assert_cmpstr(prov_it_result_get_string(record, "status"), !=, "success");
	}
	g_clear_pointer(&result, g_variant_unref);

	/* with No: file-not-found counts as success for A, and B is fetched */
	prov_it_daemon_set(daemon, "Resync_Fails_On_FNF", "No", NULL);
	result = prov_it_daemon_resync(daemon, "");
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpstr(prov_it_result_get_string(rule, "status"), ==, "not-found");
	prov_it_assert_lines(syslog,
			     (const gchar *[]){request_a, success_a, request_b, success_b, NULL});
	prov_it_assert_value(daemon, "GPP_A", "12345678");
	prov_it_assert_value(daemon, "GPP_B", "ABCD");
	prov_it_daemon_stop(daemon);
}

/* S-15: an alias map in GPP_A maps a customer document onto User_ID_1_ and Password_1_ */
static void
prov_it_test_s15(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url = prov_it_tftp_url("/customer.xml");
	g_autofree gchar *rule = g_strdup_printf("[--alias a ] %s", url);
	const gchar *map = "/customer-account/SIP-number = /flat-profile/User_ID_1_ ; "
			   "/customer-account/SIP-password = /flat-profile/Password_1_ ;";
	g_autoptr(GVariant) result = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("customer.xml",
			"<customer-account>\n"
			"  <SIP-number> 17775551234</SIP-number>\n"
			"  <SIP-password> 512835907884</SIP-password>\n"
			"</customer-account>\n",
			-1);
	daemon = prov_it_start();
	prov_it_daemon_set(daemon, "GPP_A", map, NULL);
	result = prov_it_daemon_resync(daemon, rule);
	prov_it_assert_success(result);
	prov_it_assert_value(daemon, "User_ID_1_", "17775551234");
	prov_it_assert_value(daemon, "Password_1_", "512835907884");
	prov_it_assert_value(daemon, "GPP_A", map);
	prov_it_daemon_stop(daemon);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (!prov_it_set_up(PROV_IT_NEED_TFTP | PROV_IT_NEED_NGINX))
		return 77;
	g_test_add_func("/prov/daemon/s1-tftp", prov_it_test_s1);
	g_test_add_func("/prov/daemon/s2-syslog", prov_it_test_s2);
	g_test_add_func("/prov/daemon/s4-device-profile", prov_it_test_s4);
	g_test_add_func("/prov/daemon/s5-http", prov_it_test_s5);
	g_test_add_func("/prov/daemon/s7-macros", prov_it_test_s7);
	g_test_add_func("/prov/daemon/s8-https", prov_it_test_s8);
	g_test_add_func("/prov/daemon/s9-client-certificate", prov_it_test_s9);
	g_test_add_func("/prov/daemon/s10-reflect", prov_it_test_s10);
	g_test_add_func("/prov/daemon/s11-custom-ca", prov_it_test_s11);
	g_test_add_func("/prov/daemon/s12-gzip", prov_it_test_s12);
	g_test_add_func("/prov/daemon/s13-aes", prov_it_test_s13);
	g_test_add_func("/prov/daemon/s14-partitioned", prov_it_test_s14);
	g_test_add_func("/prov/daemon/s15-alias", prov_it_test_s15);
	return prov_it_run();
}
