/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "prov-device.h"
#include "prov-error.h"
#include "prov-params-transaction.h"
#include "prov-syslog.h"
#include "prov-test-params.h"

/* 2026-01-01T10:00:00Z */
#define PROV_SYSLOG_TEST_WALL (G_GINT64_CONSTANT(1767261600) * G_USEC_PER_SEC)

typedef struct {
	ProvParams *params;
	ProvDevice *device;
	ProvMacro *macro;
	ProvClock *clock;
	ProvSyslog *syslog;
	GSocket *listener;
	guint16 port;
} Fixture;

/* a UDP socket on a free loopback port */
static GSocket *
prov_syslog_test_listen(guint16 *port)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;

	socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
			      &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	g_assert_no_error(error);
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_socket_set_timeout(socket, 5);
	return g_steal_pointer(&socket);
}

/* the next datagram, or NULL when none is waiting */
static gchar *
prov_syslog_test_receive(GSocket *socket, gboolean wait)
{
	gchar buffer[4096];
	gssize len;

	if (!wait && !g_socket_condition_timed_wait(socket, G_IO_IN, 0, NULL, NULL))
		return NULL;
	len = g_socket_receive(socket, buffer, sizeof(buffer), NULL, NULL);
	g_assert_cmpint(len, >=, 0);
	return g_strndup(buffer, len);
}

static void
fixture_setup(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *server = NULL;

	(void)user_data;
	fixture->params = prov_params_new(PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_load_schema_dir(fixture->params, prov_test_schema_dir(), &error));
	g_assert_no_error(error);
	fixture->device = prov_device_new();
	g_assert_true(prov_device_set(fixture->device, PROV_DEVICE_MAC, "000e08abcdef", &error));
	g_assert_true(
	    prov_device_set(fixture->device, PROV_DEVICE_PRODUCT_NAME, "ATA192-MPP", &error));
	g_assert_no_error(error);
	fixture->macro = prov_macro_new();
	prov_macro_set_params(fixture->macro, fixture->params);
	prov_macro_set_device(fixture->macro, fixture->device);
	fixture->clock = prov_clock_new_manual(PROV_SYSLOG_TEST_WALL);
	fixture->syslog = prov_syslog_new(fixture->clock);
	fixture->listener = prov_syslog_test_listen(&fixture->port);
	server = g_strdup_printf("127.0.0.1:%u", fixture->port);
	prov_test_params_set(fixture->params, "Syslog_Server", server);
	g_assert_true(
	    prov_syslog_configure(fixture->syslog, fixture->params, fixture->macro, &error));
	g_assert_no_error(error);
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	g_clear_object(&fixture->syslog);
	g_clear_object(&fixture->listener);
	g_clear_object(&fixture->clock);
	g_clear_object(&fixture->macro);
	g_clear_object(&fixture->device);
	g_clear_object(&fixture->params);
}

static void
prov_syslog_test_host_port(void)
{
	struct {
		const gchar *text;
		const gchar *host;
		guint16 port;
	} good[] = {
	    {"192.168.1.210", "192.168.1.210", 514},
	    {" 192.168.1.210:5514 ", "192.168.1.210", 5514},
	    {"logs.example.com:1514", "logs.example.com", 1514},
	    {"[2001:db8::1]:600", "2001:db8::1", 600},
	    {"[::1]", "::1", 514},
	    {"2001:db8::2", "2001:db8::2", 514},
	    {"", NULL, 514},
	};
	const gchar *bad[] = {"host:", "host:0", "host:65536", "host:x", "[::1",
			      "[]:5",  "[::1]x", ":514",       "a b"};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree gchar *host = NULL;
		g_autoptr(GError) error = NULL;
		guint16 port = 0;

		g_assert_true(prov_syslog_parse_host_port(good[i].text, &host, &port, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(host, ==, good[i].host);
		g_assert_cmpuint(port, ==, good[i].port);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *host = NULL;
		g_autoptr(GError) error = NULL;
		guint16 port = 0;

		g_assert_false(prov_syslog_parse_host_port(bad[i], &host, &port, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
		g_assert_null(host);
	}
}

static gchar *
prov_syslog_test_format(ProvSyslog *syslog, const gchar *message)
{
	g_autoptr(GBytes) datagram = prov_syslog_format_datagram(syslog, message);
	gsize len = 0;
	const gchar *data = g_bytes_get_data(datagram, &len);

	return g_strndup(data, len);
}

static void
prov_syslog_test_framing(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *bare = NULL;
	g_autofree gchar *with_host = NULL;
	g_autofree gchar *rfc5424 = NULL;
	g_autofree gchar *rfc5424_host = NULL;

	(void)user_data;
	bare = prov_syslog_test_format(fixture->syslog, "hello world");
	g_assert_cmpstr(bare, ==, "<134>hello world");

	prov_test_params_set(fixture->params, "Syslog_Identifier", "$MA");
	g_assert_true(
	    prov_syslog_configure(fixture->syslog, fixture->params, fixture->macro, NULL));
	with_host = prov_syslog_test_format(fixture->syslog, "hello");
	g_assert_cmpstr(with_host, ==, "<134>Jan  1 10:00:00 000e08abcdef hello");

	prov_syslog_set_format(fixture->syslog, PROV_SYSLOG_FORMAT_RFC5424);
	g_assert_cmpint(prov_syslog_get_format(fixture->syslog), ==, PROV_SYSLOG_FORMAT_RFC5424);
	rfc5424_host = prov_syslog_test_format(fixture->syslog, "hello");
	g_assert_cmpstr(rfc5424_host, ==,
			"<134>1 2026-01-01T10:00:00.000000Z 000e08abcdef provisiond - - - hello");
	prov_syslog_set_identifier(fixture->syslog, NULL);
	prov_clock_advance(fixture->clock, 1500);
	rfc5424 = prov_syslog_test_format(fixture->syslog, "hello");
	g_assert_cmpstr(rfc5424, ==, "<134>1 2026-01-01T10:00:00.001500Z - provisiond - - - hello");
}

static void
prov_syslog_test_size_cap(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GString) long_message = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *capped = NULL;
	g_autofree gchar *capped_big = NULL;
	g_autofree gchar *utf8 = NULL;
	g_autofree gchar *received = NULL;

	(void)user_data;
	for (guint i = 0; i < 3000; i++)
		g_string_append_c(long_message, 'a' + i % 26);
	g_assert_cmpuint(prov_syslog_get_max_size(fixture->syslog), ==, 480);
	capped = prov_syslog_test_format(fixture->syslog, long_message->str);
	g_assert_cmpuint(strlen(capped), ==, 480);
	g_assert_true(g_str_has_prefix(capped, "<134>abc"));

	/* one datagram, never split */
	prov_syslog_send(fixture->syslog, long_message->str);
	received = prov_syslog_test_receive(fixture->listener, TRUE);
	g_assert_cmpstr(received, ==, capped);
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));

	g_assert_true(prov_syslog_set_max_size(fixture->syslog, 2048, &error));
	g_assert_no_error(error);
	capped_big = prov_syslog_test_format(fixture->syslog, long_message->str);
	g_assert_cmpuint(strlen(capped_big), ==, 2048);
	g_assert_false(prov_syslog_set_max_size(fixture->syslog, 2049, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(prov_syslog_set_max_size(fixture->syslog, 10, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpuint(prov_syslog_get_max_size(fixture->syslog), ==, 2048);

	/* cut at a character boundary, and escapes are not cut in half */
	g_assert_true(prov_syslog_set_max_size(fixture->syslog, 64, NULL));
	g_string_assign(long_message, "");
	for (guint i = 0; i < 100; i++)
		g_string_append(long_message, "\xc3\xa9\n");
	utf8 = prov_syslog_test_format(fixture->syslog, long_message->str);
	g_assert_cmpuint(strlen(utf8), <=, 64);
	g_assert_cmpuint(strlen(utf8), >, 58);
	g_assert_true(g_utf8_validate(utf8, -1, NULL));
	g_assert_true(g_str_has_suffix(utf8, "#012") || g_str_has_suffix(utf8, "\xc3\xa9"));
}

/* R44: CR, LF and other controls from peer data cannot forge a second line */
static void
prov_syslog_test_escaping(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *received = NULL;
	g_autofree gchar *direct = NULL;

	(void)user_data;
	direct = prov_syslog_test_format(fixture->syslog, "a\tb\x1b[31m\x7f");
	g_assert_cmpstr(direct, ==, "<134>a#011b#033[31m#177");

	/* what a URL carrying %0d%0a<13>fake decodes to */
	prov_macro_set_variable(fixture->macro, "SCHEME", "http");
	prov_macro_set_variable(fixture->macro, "SERVIP", "10.0.0.1");
	prov_macro_set_variable(fixture->macro, "PORT", "80");
	prov_macro_set_variable(fixture->macro, "PATH", "/a\r\n<13>fake\r\n");
	g_assert_true(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					     PROV_SYSLOG_MESSAGE_REQUEST));
	received = prov_syslog_test_receive(fixture->listener, TRUE);
	g_assert_cmpstr(received, ==,
			"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			"http://10.0.0.1:80/a#015#012<13>fake#015#012");
	g_assert_null(strpbrk(received, "\r\n"));
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));
}

static void
prov_syslog_test_s2_fetch(Fixture *fixture)
{
	prov_macro_set_variable(fixture->macro, "SCHEME", "tftp");
	prov_macro_set_variable(fixture->macro, "SERVIP", "192.168.1.200");
	prov_macro_set_variable(fixture->macro, "PORT", "69");
	prov_macro_set_variable(fixture->macro, "PATH", "/basic.txt");
}

/* S-2: exactly the request and success lines, built from the default templates */
static void
prov_syslog_test_s2(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *request = NULL;
	g_autofree gchar *success = NULL;
	g_autofree gchar *failure = NULL;
	g_autofree gchar *only = NULL;

	(void)user_data;
	prov_syslog_test_s2_fetch(fixture);
	g_assert_true(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					     PROV_SYSLOG_MESSAGE_REQUEST));
	g_assert_true(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					     PROV_SYSLOG_MESSAGE_SUCCESS));
	request = prov_syslog_test_receive(fixture->listener, TRUE);
	success = prov_syslog_test_receive(fixture->listener, TRUE);
	g_assert_cmpstr(request, ==,
			"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			"tftp://192.168.1.200:69/basic.txt");
	g_assert_cmpstr(success, ==,
			"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
			"tftp://192.168.1.200:69/basic.txt");
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));
	g_assert_cmpuint(prov_syslog_get_n_sent(fixture->syslog), ==, 2);

	/* basic.txt removed: the failure line */
	prov_macro_set_variable(fixture->macro, "ERR", "file not found");
	g_assert_true(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					     PROV_SYSLOG_MESSAGE_FAILURE));
	failure = prov_syslog_test_receive(fixture->listener, TRUE);
	g_assert_cmpstr(failure, ==,
			"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: file not found");

	/* an empty template sends nothing; the MPP names are aliases */
	prov_test_params_set(fixture->params, "Log_Request_Msg", "");
	g_assert_null(prov_syslog_build_message(fixture->params, fixture->macro,
						PROV_SYSLOG_MESSAGE_REQUEST));
	g_assert_false(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					      PROV_SYSLOG_MESSAGE_REQUEST));
	g_assert_true(prov_syslog_log_resync(fixture->syslog, fixture->params, fixture->macro,
					     PROV_SYSLOG_MESSAGE_SUCCESS));
	only = prov_syslog_test_receive(fixture->listener, TRUE);
	g_assert_true(g_str_has_prefix(only, "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful"));
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));
}

/* reference 5.6: `%` is the operation word in mpp templates, `%%` a literal `%` */
static void
prov_syslog_test_percent(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *message = NULL;

	(void)user_data;
	prov_syslog_test_s2_fetch(fixture);
	prov_test_params_set(fixture->params, "Log_Resync_Request_Msg",
			     "$PN $MAC -- Requesting % $SCHEME://$SERVIP:$PORT$PATH 100%%");
	message =
	    prov_syslog_build_message(fixture->params, fixture->macro, PROV_SYSLOG_MESSAGE_REQUEST);
	g_assert_cmpstr(message, ==,
			"ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			"tftp://192.168.1.200:69/basic.txt 100%");
}

static void
prov_syslog_test_debug_server(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GSocket) debug = NULL;
	g_autofree gchar *server = NULL;
	g_autofree gchar *first = NULL;
	g_autofree gchar *copy = NULL;
	guint16 port = 0;

	(void)user_data;
	debug = prov_syslog_test_listen(&port);
	server = g_strdup_printf("127.0.0.1:%u", port);
	prov_test_params_set(fixture->params, "Debug_Server", server);
	g_assert_true(
	    prov_syslog_configure(fixture->syslog, fixture->params, fixture->macro, NULL));
	prov_syslog_send(fixture->syslog, "copied");
	first = prov_syslog_test_receive(fixture->listener, TRUE);
	copy = prov_syslog_test_receive(debug, TRUE);
	g_assert_cmpstr(first, ==, "<134>copied");
	g_assert_cmpstr(copy, ==, "<134>copied");

	/* an empty server sends nothing */
	prov_test_params_set(fixture->params, "Syslog_Server", "");
	prov_test_params_set(fixture->params, "Debug_Server", "");
	g_assert_true(
	    prov_syslog_configure(fixture->syslog, fixture->params, fixture->macro, NULL));
	prov_syslog_send(fixture->syslog, "nowhere");
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));
	g_assert_null(prov_syslog_test_receive(debug, FALSE));
}

/* reference 2.4: the Debug_Level detail goes to the debug server alone, at severity debug */
static void
prov_syslog_test_send_debug(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GSocket) debug = NULL;
	g_autofree gchar *server = NULL;
	g_autofree gchar *detail = NULL;
	g_autofree gchar *framed = NULL;
	guint16 port = 0;

	(void)user_data;
	/* no debug server: nothing anywhere */
	prov_syslog_send_debug(fixture->syslog, "detail");
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));

	debug = prov_syslog_test_listen(&port);
	server = g_strdup_printf("127.0.0.1:%u", port);
	g_assert_true(prov_syslog_set_debug_server(fixture->syslog, server, NULL));
	prov_syslog_send_debug(fixture->syslog, "rule Profile_Rule status=success\nbytes=61");
	detail = prov_syslog_test_receive(debug, TRUE);
	g_assert_cmpstr(detail, ==, "<135>rule Profile_Rule status=success#012bytes=61");
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));

	/* the same framing and cap as the syslog messages */
	prov_syslog_set_format(fixture->syslog, PROV_SYSLOG_FORMAT_RFC5424);
	g_assert_true(prov_syslog_set_max_size(fixture->syslog, 64, NULL));
	prov_syslog_send_debug(fixture->syslog, "rule Profile_Rule status=success bytes=61 "
						"url=tftp://192.168.1.200/basic.txt");
	framed = prov_syslog_test_receive(debug, TRUE);
	g_assert_true(g_str_has_prefix(framed, "<135>1 2026-"));
	g_assert_cmpuint(strlen(framed), ==, 64);
	g_assert_null(prov_syslog_test_receive(fixture->listener, FALSE));
}

/* R45: a port with nothing listening (ICMP port unreachable) never delays the caller */
static void
prov_syslog_test_unreachable(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GSocket) closed = NULL;
	g_autofree gchar *server = NULL;
	guint16 port = 0;
	gint64 start;
	gint64 elapsed;

	(void)user_data;
	closed = prov_syslog_test_listen(&port);
	g_clear_object(&closed);
	server = g_strdup_printf("127.0.0.1:%u", port);
	g_assert_true(prov_syslog_set_server(fixture->syslog, server, NULL));
	start = g_get_monotonic_time();
	for (guint i = 0; i < 500; i++)
		prov_syslog_send(fixture->syslog, "into the void");
	elapsed = g_get_monotonic_time() - start;
	g_test_message("500 sends to a closed port took %" G_GINT64_FORMAT " us", elapsed);
	g_assert_cmpint(elapsed, <, 500 * 1000);

	/* and the client still works once a server listens again */
	g_assert_true(prov_syslog_set_server(fixture->syslog, "", NULL));
	server = (g_free(server), g_strdup_printf("127.0.0.1:%u", fixture->port));
	g_assert_true(prov_syslog_set_server(fixture->syslog, server, NULL));
	prov_syslog_send(fixture->syslog, "back");
	{
		g_autofree gchar *received = prov_syslog_test_receive(fixture->listener, TRUE);

		g_assert_cmpstr(received, ==, "<134>back");
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/syslog/host-port", prov_syslog_test_host_port);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/prov/syslog/framing", prov_syslog_test_framing);
	ADD("/prov/syslog/size-cap", prov_syslog_test_size_cap);
	ADD("/prov/syslog/escaping", prov_syslog_test_escaping);
	ADD("/prov/syslog/s2", prov_syslog_test_s2);
	ADD("/prov/syslog/percent", prov_syslog_test_percent);
	ADD("/prov/syslog/debug-server", prov_syslog_test_debug_server);
	ADD("/prov/syslog/send-debug", prov_syslog_test_send_debug);
	ADD("/prov/syslog/unreachable", prov_syslog_test_unreachable);
#undef ADD
	return g_test_run();
}
