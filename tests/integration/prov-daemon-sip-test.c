/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * R20, R23 and R24 through the daemon: its sip-notify listener on a
 * loopback port picked at start (provctl status and the Triggers property
 * say which), driven by sipp (sip-tester) with the scenarios in sipp/, over
 * UDP and TCP, and by hand-made messages where sipp cannot go (a verbatim
 * replay of an accepted Authorization header, 64 KiB of header over TCP).
 * The resync fetches the 61-byte basic.txt from tftpd-hpa. Skipped (77)
 * without sipp, dbus-daemon or tftpd-hpa.
 */

#include "config.h"

#include <string.h>

#include "prov-integration-harness.h"

#define PROV_IT_SIP_USER     "17775551234"
#define PROV_IT_SIP_PASSWORD "It-Line1-S3cret"
#define PROV_IT_SIP_REALM    "sip.example.com"
/* sipp's own limit: it can never hang the test */
#define PROV_IT_SIPP_TIMEOUT "20s"

static gchar *prov_it_sipp = NULL;

typedef struct {
	ProvItDaemon *daemon;
	guint16 port;
	guint runs;
} ProvItSip;

/* the listener's port, from the Triggers property (what provctl status shows) */
static guint16
prov_it_sip_find_port(ProvItDaemon *daemon)
{
	g_autoptr(GVariant) triggers = prov_it_daemon_get_property(daemon, "Triggers");
	guint16 port = 0;

	for (gsize i = 0; i < g_variant_n_children(triggers); i++) {
		g_autoptr(GVariant) record = g_variant_get_child_value(triggers, i);
		g_autofree const gchar **addresses = NULL;
		const gchar *name = NULL;

		if (!g_variant_lookup(record, "name", "&s", &name) || g_strcmp0(name, "sip") != 0)
			continue;
		g_assert_true(g_variant_lookup(record, "addresses", "^a&s", &addresses));
		g_assert_nonnull(addresses[0]);
		g_assert_null(addresses[1]);
		g_assert_true(g_str_has_prefix(addresses[0], "127.0.0.1:"));
		port = (guint16)g_ascii_strtoull(addresses[0] + strlen("127.0.0.1:"), NULL, 10);
	}
	g_assert_cmpuint(port, !=, 0);
	return port;
}

static void
prov_it_sip_start(ProvItSip *sip, const gchar *resync_from_sip)
{
	g_autofree gchar *url = prov_it_tftp_url("/basic.txt");

	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	sip->daemon = prov_it_daemon_new();
	prov_it_daemon_set_verbosity(sip->daemon, 1);
	prov_it_daemon_set_config(sip->daemon, "sip-trigger", "Listen", "127.0.0.1:0");
	prov_it_daemon_set_factory(sip->daemon, "Profile_Rule", url);
	prov_it_daemon_set_factory(sip->daemon, "User_ID_1_", PROV_IT_SIP_USER);
	prov_it_daemon_set_factory(sip->daemon, "Password_1_", PROV_IT_SIP_PASSWORD);
	prov_it_daemon_set_factory(sip->daemon, "Proxy_1_", PROV_IT_SIP_REALM ":5060");
	prov_it_daemon_set_factory(sip->daemon, "Resync_From_SIP", resync_from_sip);
	prov_it_daemon_start(sip->daemon);
	sip->port = prov_it_sip_find_port(sip->daemon);
	prov_it_daemon_clear_signals(sip->daemon);
}

static void
prov_it_sip_stop(ProvItSip *sip)
{
	g_autofree gchar *log = NULL;

	prov_it_daemon_stop(sip->daemon);
	log = prov_it_daemon_read_log(sip->daemon);
	/* R42: the line password never reaches the log, nor does anything derived from it */
	g_assert_null(strstr(log, PROV_IT_SIP_PASSWORD));
	g_clear_pointer(&sip->daemon, prov_it_daemon_free);
}

/*
 * sipp runs @scenario once against the listener over @transport ("u1" or
 * "t1") and exits 0 when every message matched; @auth_uri replaces the
 * digest uri (by default the Request-URI, which sipp would not use)
 */
static gboolean
prov_it_sip_run(ProvItSip *sip,
		const gchar *transport,
		const gchar *scenario,
		const gchar *event,
		const gchar *auth_uri)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *target = g_strdup_printf("127.0.0.1:%u", sip->port);
	g_autofree gchar *default_uri =
	    g_strdup_printf(PROV_IT_SIP_USER "@127.0.0.1:%u", sip->port);
	g_autofree gchar *relative = g_strdup_printf("sipp/%u", sip->runs++);
	g_autofree gchar *dir = prov_it_path(relative);
	g_autofree gchar *error_file = g_build_filename(dir, "errors.log", NULL);
	g_autofree gchar *message_file = g_build_filename(dir, "messages.log", NULL);
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *errors = NULL;
	g_autofree gchar *messages = NULL;
	gint status;

	if (g_str_has_prefix(scenario, "/"))
		path = g_strdup(scenario);
	else
		path = g_test_build_filename(G_TEST_DIST, "sipp", scenario, NULL);
	g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
	{
		const gchar *argv[] = {prov_it_sipp,
				       target,
				       "-sf",
				       path,
				       "-s",
				       PROV_IT_SIP_USER,
				       "-au",
				       PROV_IT_SIP_USER,
				       "-ap",
				       PROV_IT_SIP_PASSWORD,
				       "-auth_uri",
				       auth_uri != NULL ? auth_uri : default_uri,
				       "-set",
				       "event",
				       event,
				       "-t",
				       transport,
				       "-i",
				       "127.0.0.1",
				       "-m",
				       "1",
				       "-timeout",
				       PROV_IT_SIPP_TIMEOUT,
				       "-timeout_error",
				       "-recv_timeout",
				       "10000",
				       "-nd",
				       "-nostdin",
				       "-trace_err",
				       "-error_file",
				       error_file,
				       "-trace_msg",
				       "-message_file",
				       message_file,
				       NULL};

		status = prov_it_spawn(argv, NULL, FALSE, &out, &err);
	}
	g_file_get_contents(message_file, &messages, NULL, NULL);
	g_file_get_contents(error_file, &errors, NULL, NULL);
	g_test_message("sipp %s %s (%s) over %s: status %d\n%s%s", scenario, event,
		       auth_uri != NULL ? auth_uri : "", transport, status,
		       messages != NULL ? messages : "", errors != NULL ? errors : "");
	if (!g_spawn_check_wait_status(status, NULL))
		g_printerr("sipp %s failed:\n%s\n%s\n%s\n%s", scenario, out, err,
			   messages != NULL ? messages : "", errors != NULL ? errors : "");
	return g_spawn_check_wait_status(status, NULL);
}

/* nothing was asked of the engine: no resync, no reboot, and it is idle */
static void
prov_it_sip_assert_nothing(ProvItSip *sip)
{
	g_autoptr(GVariant) state = NULL;

	prov_it_daemon_flush(sip->daemon);
	state = prov_it_daemon_get_property(sip->daemon, "State");
	g_assert_cmpstr(g_variant_get_string(state, NULL), ==, "idle");
	g_assert_cmpuint(prov_it_daemon_count_signals(sip->daemon, "ResyncStarted"), ==, 0);
	g_assert_cmpuint(prov_it_daemon_count_signals(sip->daemon, "RebootRequested"), ==, 0);
}

/* the scenario with a marker: written again with @marker replaced */
static gchar *
prov_it_sip_expand(ProvItSip *sip, const gchar *scenario, const gchar *marker, const gchar *value)
{
	g_autofree gchar *source = g_test_build_filename(G_TEST_DIST, "sipp", scenario, NULL);
	g_autofree gchar *text = NULL;
	g_autofree gchar *relative = g_strdup_printf("sipp/expanded-%u-%s", sip->runs, scenario);
	g_auto(GStrv) parts = NULL;
	g_autofree gchar *expanded = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(g_file_get_contents(source, &text, NULL, &error));
	g_assert_no_error(error);
	parts = g_strsplit(text, marker, -1);
	g_assert_cmpuint(g_strv_length(parts), ==, 2);
	expanded = g_strjoinv(value, parts);
	prov_it_write(relative, expanded, -1);
	return prov_it_path(relative);
}

static GSocket *
prov_it_sip_socket(ProvItSip *sip, gboolean stream, GSocketAddress **server)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GError) error = NULL;
	GSocket *socket = g_socket_new(
	    G_SOCKET_FAMILY_IPV4, stream ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
	    stream ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, &error);

	g_assert_no_error(error);
	*server = g_inet_socket_address_new(loopback, sip->port);
	/* the test's main loop does not serve the daemon: plain blocking calls, bounded */
	g_socket_set_timeout(socket, PROV_IT_TIMEOUT_MS / 1000);
	if (stream)
		g_assert_true(g_socket_connect(socket, *server, NULL, &error));
	g_assert_no_error(error);
	return socket;
}

static gchar *
prov_it_sip_udp_exchange(GSocket *socket, GSocketAddress *server, const gchar *request)
{
	g_autoptr(GError) error = NULL;
	gchar buffer[65536];
	gssize len;

	g_assert_cmpint(g_socket_send_to(socket, server, request, strlen(request), NULL, &error),
			==, (gssize)strlen(request));
	len = g_socket_receive(socket, buffer, sizeof(buffer), NULL, &error);
	g_assert_no_error(error);
	return g_strndup(buffer, (gsize)len);
}

static gchar *
prov_it_sip_header(const gchar *response, const gchar *name)
{
	g_autofree gchar *needle = g_strconcat("\r\n", name, ": ", NULL);
	const gchar *start = strstr(response, needle);
	const gchar *end;

	g_assert_nonnull(start);
	start += strlen(needle);
	end = strstr(start, "\r\n");
	return g_strndup(start, (gsize)(end - start));
}

static gchar *
prov_it_sip_notify(ProvItSip *sip, guint cseq, const gchar *authorization)
{
	return g_strdup_printf(
	    "NOTIFY sip:" PROV_IT_SIP_USER "@127.0.0.1:%u SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-replay-%u\r\n"
	    "From: <sip:pbx@127.0.0.1>;tag=replay\r\n"
	    "To: <sip:" PROV_IT_SIP_USER "@127.0.0.1>\r\n"
	    "Call-ID: replay-%u@127.0.0.1\r\n"
	    "CSeq: %u NOTIFY\r\n"
	    "Event: resync\r\n"
	    "%s%s%s"
	    "Content-Length: 0\r\n\r\n",
	    sip->port, cseq, cseq, cseq, authorization != NULL ? "Authorization: " : "",
	    authorization != NULL ? authorization : "", authorization != NULL ? "\r\n" : "");
}

static gchar *
prov_it_md5(const gchar *text)
{
	return g_compute_checksum_for_string(G_CHECKSUM_MD5, text, -1);
}

/* RFC 2617 3.2.2, qop=auth, computed here from the challenge */
static gchar *
prov_it_sip_authorization(ProvItSip *sip, const gchar *challenge_response)
{
	g_autofree gchar *challenge = prov_it_sip_header(challenge_response, "WWW-Authenticate");
	g_autofree gchar *uri = g_strdup_printf("sip:" PROV_IT_SIP_USER "@127.0.0.1:%u", sip->port);
	g_autoptr(GRegex) regex = g_regex_new("nonce=\"([0-9a-f]+)\"", 0, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	g_autofree gchar *nonce = NULL;
	g_autofree gchar *ha1_text = NULL;
	g_autofree gchar *ha1 = NULL;
	g_autofree gchar *ha2_text = NULL;
	g_autofree gchar *ha2 = NULL;
	g_autofree gchar *response_text = NULL;
	g_autofree gchar *response = NULL;

	g_assert_true(g_str_has_prefix(challenge, "Digest realm=\"" PROV_IT_SIP_REALM "\""));
	g_assert_true(g_regex_match(regex, challenge, 0, &match));
	nonce = g_match_info_fetch(match, 1);
	ha1_text =
	    g_strdup_printf(PROV_IT_SIP_USER ":" PROV_IT_SIP_REALM ":%s", PROV_IT_SIP_PASSWORD);
	ha1 = prov_it_md5(ha1_text);
	ha2_text = g_strconcat("NOTIFY:", uri, NULL);
	ha2 = prov_it_md5(ha2_text);
	response_text = g_strdup_printf("%s:%s:00000001:c0ffee:auth:%s", ha1, nonce, ha2);
	response = prov_it_md5(response_text);
	return g_strdup_printf("Digest username=\"" PROV_IT_SIP_USER
			       "\", realm=\"" PROV_IT_SIP_REALM
			       "\", nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=MD5, "
			       "qop=auth, nc=00000001, cnonce=\"c0ffee\"",
			       nonce, uri, response);
}

/* one accepted NOTIFY is one resync, and it succeeds */
static void
prov_it_sip_wait_resync(ProvItSip *sip)
{
	g_autoptr(GVariant) result = NULL;
	gint cause = 0;

	result = prov_it_daemon_wait_next_resync(sip->daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	prov_it_assert_success(result);
}

static void
prov_it_sip_refusals(ProvItSip *sip, const gchar *transport, gboolean stream)
{
	g_autoptr(GString) huge = g_string_new(NULL);
	g_autofree gchar *huge_scenario = NULL;

	/* R20: without credentials, a challenge and nothing else */
	g_assert_true(prov_it_sip_run(sip, transport, "notify-challenge.xml", "check-sync", NULL));
	g_assert_true(prov_it_sip_run(sip, transport, "notify-challenge.xml", "resync", NULL));
	g_assert_true(prov_it_sip_run(sip, transport, "notify-challenge.xml",
				      "check-sync;reboot=true", NULL));
	/* R20: a digest for another URI */
	g_assert_true(prov_it_sip_run(sip, transport, "notify-auth-bad-uri.xml", "check-sync",
				      PROV_IT_SIP_USER "@192.0.2.99:5060"));
	/* R24: malformed, or loaded with format directives */
	g_assert_true(
	    prov_it_sip_run(sip, transport, "notify-bad-content-length.xml", "resync", NULL));
	if (!stream)
		g_assert_true(
		    prov_it_sip_run(sip, transport, "notify-short-body.xml", "resync", NULL));
	g_assert_true(prov_it_sip_run(sip, transport, "notify-format.xml", "resync", NULL));
	for (guint i = 0; i < 9000; i++)
		g_string_append_c(huge, "0123456789abcdef"[i % 16]);
	huge_scenario = prov_it_sip_expand(sip, "notify-huge-header.xml", "@HUGE@", huge->str);
	g_assert_true(prov_it_sip_run(sip, transport, huge_scenario, "resync", NULL));
	prov_it_sip_assert_nothing(sip);
}

/* R24 over TCP: 64 KiB of header end the connection, without an answer */
static void
prov_it_sip_huge_stream(ProvItSip *sip)
{
	g_autoptr(GSocketAddress) server = NULL;
	g_autoptr(GSocket) socket = prov_it_sip_socket(sip, TRUE, &server);
	g_autoptr(GString) request = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *notify = prov_it_sip_notify(sip, 1, NULL);
	gchar buffer[1024];
	gssize len;

	g_string_append_len(request, notify, (gssize)(strstr(notify, "Content-Length") - notify));
	g_string_append(request, "X-Huge: ");
	for (guint i = 0; i < 64 * 1024; i++)
		g_string_append_c(request, 'x');
	g_string_append(request, "\r\nContent-Length: 0\r\n\r\n");
	/* the listener may close before it has read all of it */
	g_socket_send(socket, request->str, request->len, NULL, NULL);
	len = g_socket_receive(socket, buffer, sizeof(buffer), NULL, &error);
	/* closed: end of stream, or a reset for the bytes it did not read */
	g_assert_true(len == 0 ||
		      g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
		      g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
	prov_it_sip_assert_nothing(sip);
}

/* R20: an accepted Authorization header sent again, verbatim, in a new request */
static void
prov_it_sip_replay(ProvItSip *sip)
{
	g_autoptr(GSocketAddress) server = NULL;
	g_autoptr(GSocket) socket = prov_it_sip_socket(sip, FALSE, &server);
	g_autofree gchar *first = prov_it_sip_notify(sip, 1, NULL);
	g_autofree gchar *challenge = prov_it_sip_udp_exchange(socket, server, first);
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *accepted = NULL;
	g_autofree gchar *replay = NULL;
	g_autofree gchar *replayed = NULL;

	g_assert_true(g_str_has_prefix(challenge, "SIP/2.0 401 Unauthorized\r\n"));
	authorization = prov_it_sip_authorization(sip, challenge);
	second = prov_it_sip_notify(sip, 2, authorization);
	accepted = prov_it_sip_udp_exchange(socket, server, second);
	g_assert_true(g_str_has_prefix(accepted, "SIP/2.0 200 OK\r\n"));
	prov_it_sip_wait_resync(sip);
	replay = prov_it_sip_notify(sip, 3, authorization);
	replayed = prov_it_sip_udp_exchange(socket, server, replay);
	g_assert_true(g_str_has_prefix(replayed, "SIP/2.0 401 Unauthorized\r\n"));
}

static void
prov_it_sip_test_transport(gconstpointer user_data)
{
	const gchar *transport = user_data;
	gboolean stream = g_str_equal(transport, "t1");
	ProvItSip sip = {0};
	g_autofree gchar *out = NULL;
	g_autofree gchar *err = NULL;
	g_autofree gchar *listening = NULL;
	g_autoptr(GVariant) reboot = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_sip_start(&sip, "Yes");

	/* provctl status shows the listener */
	g_assert_true(g_spawn_check_wait_status(
	    prov_it_daemon_provctl(sip.daemon, FALSE, &out, &err, "status", NULL), NULL));
	listening = g_strdup_printf("127.0.0.1:%u", sip.port);
	g_assert_nonnull(strstr(out, listening));

	prov_it_sip_refusals(&sip, transport, stream);
	if (stream)
		prov_it_sip_huge_stream(&sip);

	/* R20: the authenticated retry: exactly one resync */
	g_assert_true(prov_it_sip_run(&sip, transport, "notify-auth.xml", "check-sync", NULL));
	prov_it_sip_wait_resync(&sip);
	prov_it_daemon_flush(sip.daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(sip.daemon, "ResyncStarted"), ==, 1);

	/* R20: the same nonce again, in a new request: one resync more, not two */
	g_assert_true(prov_it_sip_run(&sip, transport, "notify-replay.xml", "resync", NULL));
	prov_it_sip_wait_resync(&sip);
	if (!stream)
		prov_it_sip_replay(&sip);

	/* reference 7.3: check-sync;reboot=true asks for a reboot, not a resync */
	g_assert_true(
	    prov_it_sip_run(&sip, transport, "notify-auth.xml", "check-sync;reboot=true", NULL));
	reboot = prov_it_daemon_take_signal(sip.daemon, "RebootRequested", PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(reboot);

	prov_it_daemon_flush(sip.daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(sip.daemon, "ResyncStarted"), ==,
			 stream ? 2 : 3);
	g_assert_cmpuint(prov_it_daemon_count_signals(sip.daemon, "RebootRequested"), ==, 1);
	prov_it_sip_stop(&sip);
}

/* reference 7.3: Resync_From_SIP=No refuses resyncs (403) after authentication, not reboots */
static void
prov_it_sip_test_resync_from_sip(gconstpointer user_data)
{
	const gchar *transport = user_data;
	ProvItSip sip = {0};
	g_autoptr(GVariant) reboot = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_sip_start(&sip, "No");
	g_assert_true(
	    prov_it_sip_run(&sip, transport, "notify-auth-forbidden.xml", "check-sync", NULL));
	g_assert_true(
	    prov_it_sip_run(&sip, transport, "notify-auth-forbidden.xml", "resync", NULL));
	prov_it_sip_assert_nothing(&sip);
	g_assert_true(prov_it_sip_run(&sip, transport, "notify-auth.xml", "reboot_now", NULL));
	reboot = prov_it_daemon_take_signal(sip.daemon, "RebootRequested", PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(reboot);
	prov_it_daemon_flush(sip.daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(sip.daemon, "ResyncStarted"), ==, 0);
	prov_it_sip_stop(&sip);
}

int
main(int argc, char **argv)
{
	gint status;

	g_test_init(&argc, &argv, NULL);
	prov_it_sipp = g_find_program_in_path("sipp");
	if (prov_it_sipp == NULL) {
		g_printerr("SKIP: sipp (sip-tester) is not installed\n");
		return 77;
	}
	if (!prov_it_set_up(PROV_IT_NEED_TFTP))
		return 77;
	g_test_add_data_func("/prov/daemon/sip/udp", "u1", prov_it_sip_test_transport);
	g_test_add_data_func("/prov/daemon/sip/tcp", "t1", prov_it_sip_test_transport);
	g_test_add_data_func("/prov/daemon/sip/resync-from-sip-udp", "u1",
			     prov_it_sip_test_resync_from_sip);
	g_test_add_data_func("/prov/daemon/sip/resync-from-sip-tcp", "t1",
			     prov_it_sip_test_resync_from_sip);
	status = prov_it_run();
	g_free(prov_it_sipp);
	return status;
}
