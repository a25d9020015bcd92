/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The SIP NOTIFY trigger on loopback UDP and TCP, driven by hand-written
 * messages, against a fake engine that records what it is asked for. The
 * digests here are computed with GChecksum directly, not with the code
 * under test.
 */

#include "config.h"

#include <gio/gio.h>
#include <prov-config.h>
#include <prov-error.h>
#include <prov-params-transaction.h>
#include <prov-params.h>
#include <string.h>

#include "prov-sip-notify-trigger.h"

#define TEST_TIMEOUT_MS 10000
#define TEST_USER	"100"
#define TEST_PASSWORD	"Line1-S3cret"
#define TEST_REALM	"sip.example.com"

/* warnings the trigger must log; g_test_init() would make them fatal */
static GPtrArray *test_warnings = NULL;

static GLogWriterOutput
test_log_writer_cb(GLogLevelFlags log_level,
		   const GLogField *fields,
		   gsize n_fields,
		   gpointer user_data)
{
	const gchar *message = NULL;

	if ((log_level & G_LOG_LEVEL_MASK) != G_LOG_LEVEL_WARNING)
		return g_log_writer_default(log_level, fields, n_fields, user_data);
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
			message = fields[i].value;
	}
	g_test_message("captured warning: %s", message);
	g_ptr_array_add(test_warnings, g_strdup(message));
	return G_LOG_WRITER_HANDLED;
}

static gboolean
test_take_warning(const gchar *pattern)
{
	for (guint i = 0; i < test_warnings->len; i++) {
		if (g_pattern_match_simple(pattern, g_ptr_array_index(test_warnings, i))) {
			g_ptr_array_remove_index(test_warnings, i);
			return TRUE;
		}
	}
	return FALSE;
}

/* the engine's side: records each request, or refuses with a set error */
#define TEST_TYPE_HOST (test_host_get_type())
G_DECLARE_FINAL_TYPE(TestHost, test_host, TEST, HOST, GObject)

struct _TestHost {
	GObject parent_instance;
	ProvConfig *config;
	ProvParams *params;
	GPtrArray *requests;
	GError *refusal;
};

static void
test_host_iface_init(ProvTriggerHostInterface *iface);

G_DEFINE_TYPE_WITH_CODE(TestHost,
			test_host,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER_HOST, test_host_iface_init))

static gboolean
test_host_request(ProvTriggerHost *host,
		  ProvTriggerAction action,
		  const gchar *argument,
		  const gchar *source,
		  GError **error)
{
	TestHost *self = TEST_HOST(host);

	if (self->refusal != NULL) {
		g_propagate_error(error, g_error_copy(self->refusal));
		return FALSE;
	}
	g_ptr_array_add(self->requests,
			g_strdup_printf("%s %s %s", prov_trigger_action_to_string(action),
					argument != NULL ? argument : "-", source));
	return TRUE;
}

static ProvConfig *
test_host_get_config(ProvTriggerHost *host)
{
	return TEST_HOST(host)->config;
}

static ProvParams *
test_host_get_params(ProvTriggerHost *host)
{
	return TEST_HOST(host)->params;
}

static void
test_host_iface_init(ProvTriggerHostInterface *iface)
{
	iface->request = test_host_request;
	iface->get_config = test_host_get_config;
	iface->get_params = test_host_get_params;
}

static void
test_host_finalize(GObject *object)
{
	TestHost *self = TEST_HOST(object);

	g_clear_object(&self->config);
	g_clear_object(&self->params);
	g_ptr_array_unref(self->requests);
	g_clear_error(&self->refusal);
	G_OBJECT_CLASS(test_host_parent_class)->finalize(object);
}

static void
test_host_class_init(TestHostClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = test_host_finalize;
}

static void
test_host_init(TestHost *self)
{
	self->requests = g_ptr_array_new_with_free_func(g_free);
}

static const gchar *
test_schema_dir(void)
{
	static gchar *dir = NULL;

	if (dir == NULL) {
		const gchar *env = g_getenv("PROV_SCHEMA_DIR");

		dir = env != NULL
			  ? g_strdup(env)
			  : g_test_build_filename(G_TEST_DIST, "..", "..", "data", "params", NULL);
	}
	return dir;
}

static void
test_host_set(TestHost *self, const gchar *name, const gchar *value)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(self->params);
	g_autoptr(GError) error = NULL;

	prov_params_transaction_set(transaction, name, value, PROV_ACCESS_UNSET, NULL, 1, 1,
				    &error);
	g_assert_no_error(error);
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
}

static TestHost *
test_host_new(const gchar *config_text)
{
	TestHost *self = g_object_new(TEST_TYPE_HOST, NULL);
	g_autoptr(GError) error = NULL;

	self->config = prov_config_new();
	g_assert_true(prov_config_load_data(self->config, config_text, -1, &error));
	g_assert_no_error(error);
	self->params = prov_params_new(PROV_BEHAVIOUR_MPP);
	g_assert_true(prov_params_load_schema_dir(self->params, test_schema_dir(), &error));
	g_assert_no_error(error);
	test_host_set(self, "User_ID_1_", TEST_USER);
	test_host_set(self, "Password_1_", TEST_PASSWORD);
	test_host_set(self, "Proxy_1_", TEST_REALM ":5060");
	return self;
}

typedef struct {
	TestHost *host;
	ProvSipNotifyTrigger *trigger;
	guint16 port;
	GSocket *udp;
	GSocketAddress *server;
	guint sequence;
} Fixture;

static void
fixture_start(Fixture *f, const gchar *config_text)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) addresses = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	const gchar *colon;

	f->host = test_host_new(config_text != NULL ? config_text
						    : "[sip-trigger]\nListen=127.0.0.1:0\n");
	f->trigger = prov_sip_notify_trigger_new();
	g_assert_true(
	    prov_trigger_start(PROV_TRIGGER(f->trigger), PROV_TRIGGER_HOST(f->host), &error));
	g_assert_no_error(error);
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(f->trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 1);
	g_assert_true(g_str_has_prefix(addresses[0], "127.0.0.1:"));
	colon = strrchr(addresses[0], ':');
	f->port = (guint16)g_ascii_strtoull(colon + 1, NULL, 10);
	g_assert_cmpuint(f->port, !=, 0);
	f->server = g_inet_socket_address_new(loopback, f->port);
	f->udp = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
			      &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(f->udp, any, FALSE, &error));
}

static void
fixture_setup(Fixture *f, gconstpointer data)
{
	fixture_start(f, data);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
	prov_trigger_stop(PROV_TRIGGER(f->trigger));
	g_clear_object(&f->trigger);
	g_clear_object(&f->host);
	g_clear_object(&f->udp);
	g_clear_object(&f->server);
	/* let the closes of the connections finish */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(test_warnings->len, ==, 0);
}

static gboolean
test_flag_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

static gboolean
test_socket_flag_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	return test_flag_cb(user_data);
}

/* runs the main loop (the trigger's side) until @socket has something to read */
static gboolean
test_wait_readable(GSocket *socket, guint timeout_ms)
{
	g_autoptr(GSource) source = g_socket_create_source(socket, G_IO_IN | G_IO_HUP, NULL);
	gboolean ready = FALSE;
	gboolean timed_out = FALSE;
	guint timeout_id;

	g_source_set_callback(source, G_SOURCE_FUNC(test_socket_flag_cb), &ready, NULL);
	g_source_attach(source, NULL);
	timeout_id = g_timeout_add(timeout_ms, test_flag_cb, &timed_out);
	while (!ready && !timed_out)
		g_main_context_iteration(NULL, TRUE);
	g_source_destroy(source);
	if (!timed_out)
		g_source_remove(timeout_id);
	return ready;
}

static gchar *
test_udp_exchange(Fixture *f, const gchar *request)
{
	g_autoptr(GError) error = NULL;
	gchar buffer[65536];
	gssize len;

	g_assert_cmpint(g_socket_send_to(f->udp, f->server, request, strlen(request), NULL, &error),
			==, (gssize)strlen(request));
	g_assert_no_error(error);
	g_assert_true(test_wait_readable(f->udp, TEST_TIMEOUT_MS));
	len = g_socket_receive(f->udp, buffer, sizeof(buffer), NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(len, >, 0);
	return g_strndup(buffer, (gsize)len);
}

static void
test_udp_send(Fixture *f, const gchar *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_socket_send_to(f->udp, f->server, data, len, NULL, &error), ==,
			(gssize)len);
	g_assert_no_error(error);
}

static guint
test_status(const gchar *response)
{
	g_assert_true(g_str_has_prefix(response, "SIP/2.0 "));
	return (guint)g_ascii_strtoull(response + 8, NULL, 10);
}

static gchar *
test_header(const gchar *response, const gchar *name)
{
	g_autofree gchar *needle = g_strconcat("\r\n", name, ": ", NULL);
	const gchar *start = strstr(response, needle);
	const gchar *end;

	if (start == NULL)
		return NULL;
	start += strlen(needle);
	end = strstr(start, "\r\n");
	return g_strndup(start, (gsize)(end - start));
}

typedef struct {
	const gchar *event;
	const gchar *uri;
	const gchar *call_id;
	const gchar *authorization;
	const gchar *extra;
	const gchar *body;
	const gchar *method;
	const gchar *via;
} TestRequest;

static gchar *
test_request(Fixture *f, const TestRequest *request)
{
	GString *text = g_string_new(NULL);
	const gchar *method = request->method != NULL ? request->method : "NOTIFY";
	g_autofree gchar *uri = request->uri != NULL
				    ? g_strdup(request->uri)
				    : g_strdup_printf("sip:" TEST_USER "@127.0.0.1:%u", f->port);
	const gchar *body = request->body != NULL ? request->body : "";

	f->sequence++;
	g_string_append_printf(text, "%s %s SIP/2.0\r\n", method, uri);
	if (request->via != NULL)
		g_string_append_printf(text, "Via: %s\r\n", request->via);
	else
		g_string_append_printf(
		    text, "Via: SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-%u\r\n", f->sequence);
	g_string_append(text, "From: <sip:pbx@127.0.0.1>;tag=from-1\r\n");
	g_string_append(text, "To: <sip:" TEST_USER "@127.0.0.1>\r\n");
	g_string_append_printf(text, "Call-ID: %s\r\n",
			       request->call_id != NULL ? request->call_id : "call-1@127.0.0.1");
	g_string_append_printf(text, "CSeq: %u %s\r\n", f->sequence, method);
	if (request->event != NULL)
		g_string_append_printf(text, "Event: %s\r\n", request->event);
	if (request->authorization != NULL)
		g_string_append_printf(text, "Authorization: %s\r\n", request->authorization);
	if (request->extra != NULL)
		g_string_append(text, request->extra);
	g_string_append_printf(text, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
	return g_string_free(text, FALSE);
}

static gchar *
test_md5(const gchar *text)
{
	return g_compute_checksum_for_string(G_CHECKSUM_MD5, text, -1);
}

/* RFC 2617 3.2.2 with qop=auth, for the challenge in @challenge_response */
static gchar *
test_authorization(const gchar *challenge_response,
		   const gchar *username,
		   const gchar *password,
		   const gchar *uri,
		   const gchar *nc)
{
	g_autofree gchar *challenge = test_header(challenge_response, "WWW-Authenticate");
	g_autoptr(GRegex) regex = g_regex_new("realm=\"([^\"]*)\", nonce=\"([^\"]*)\", "
					      "algorithm=MD5, qop=\"auth\"",
					      0, 0, NULL);
	g_autoptr(GMatchInfo) match = NULL;
	g_autofree gchar *realm = NULL;
	g_autofree gchar *nonce = NULL;
	g_autofree gchar *ha1_text = NULL;
	g_autofree gchar *ha1 = NULL;
	g_autofree gchar *ha2_text = NULL;
	g_autofree gchar *ha2 = NULL;
	g_autofree gchar *response_text = NULL;
	g_autofree gchar *response = NULL;

	g_assert_nonnull(challenge);
	g_assert_true(g_str_has_prefix(challenge, "Digest "));
	g_assert_true(g_regex_match(regex, challenge, 0, &match));
	realm = g_match_info_fetch(match, 1);
	nonce = g_match_info_fetch(match, 2);
	ha1_text = g_strdup_printf("%s:%s:%s", username, realm, password);
	ha1 = test_md5(ha1_text);
	ha2_text = g_strdup_printf("NOTIFY:%s", uri);
	ha2 = test_md5(ha2_text);
	response_text = g_strdup_printf("%s:%s:%s:0a4f113b:auth:%s", ha1, nonce, nc, ha2);
	response = test_md5(response_text);
	return g_strdup_printf("Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			       "response=\"%s\", algorithm=MD5, qop=auth, nc=%s, "
			       "cnonce=\"0a4f113b\"",
			       username, realm, nonce, uri, response, nc);
}

static gchar *
test_default_uri(Fixture *f)
{
	return g_strdup_printf("sip:" TEST_USER "@127.0.0.1:%u", f->port);
}

/* a NOTIFY for @event through the whole exchange: challenge, then credentials */
static gchar *
test_authenticated(Fixture *f, const gchar *event, const gchar *extra, const gchar *body)
{
	g_autofree gchar *uri = test_default_uri(f);
	TestRequest request = {.event = event, .extra = extra, .body = body};
	g_autofree gchar *first = test_request(f, &request);
	g_autofree gchar *challenge = test_udp_exchange(f, first);
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *second = NULL;

	g_assert_cmpuint(test_status(challenge), ==, 401);
	authorization = test_authorization(challenge, TEST_USER, TEST_PASSWORD, uri, "00000001");
	request.authorization = authorization;
	second = test_request(f, &request);
	return test_udp_exchange(f, second);
}

static void
test_config(void)
{
	const gchar *bad[] = {
	    "[sip-trigger]\n",
	    "[sip-trigger]\nListen=\n",
	    "[sip-trigger]\nListen=127.0.0.1\n",
	    "[sip-trigger]\nListen=localhost:5060\n",
	    "[sip-trigger]\nListen=127.0.0.1:70000\n",
	    "[sip-trigger]\nListen=127.0.0.1:-1\n",
	    "[sip-trigger]\nListen=::1:5060\n",
	    "[sip-trigger]\nListen=[::1]5060\n",
	    "[sip-trigger]\nListen=[127.0.0.1]:5060\n",
	    "[sip-trigger]\nListen=127.0.0.1:0\nAllowedSources=10.0.0.0/33\n",
	    "[sip-trigger]\nListen=127.0.0.1:0\nAllowedSources=example.com\n",
	    "[sip-trigger]\nListen=127.0.0.1:0\nIdleTimeout=0\n",
	    "[sip-trigger]\nListen=127.0.0.1:0\nLsiten=127.0.0.1:0\n",
	    "[daemon]\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(TestHost) host = test_host_new(bad[i]);
		g_autoptr(ProvSipNotifyTrigger) trigger = prov_sip_notify_trigger_new();
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) addresses = NULL;

		g_assert_false(
		    prov_trigger_start(PROV_TRIGGER(trigger), PROV_TRIGGER_HOST(host), &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
		g_test_message("%s", error->message);
		addresses = prov_trigger_dup_addresses(PROV_TRIGGER(trigger));
		g_assert_cmpuint(g_strv_length(addresses), ==, 0);
	}
}

/* UDP and TCP on one port, also for port 0; the port in use is reported */
static void
test_addresses(void)
{
	Fixture f = {0};
	g_autoptr(GError) error = NULL;
	g_autoptr(GSocket) tcp = NULL;
	g_autoptr(ProvSipNotifyTrigger) second = prov_sip_notify_trigger_new();
	g_autoptr(TestHost) second_host = NULL;
	g_autofree gchar *config = NULL;
	g_auto(GStrv) addresses = NULL;

	fixture_start(&f, NULL);
	tcp =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_true(g_socket_connect(tcp, f.server, NULL, &error));
	g_assert_no_error(error);

	/* the port is taken: a second listener on it fails with a reason */
	config = g_strdup_printf("[sip-trigger]\nListen=127.0.0.1:%u\n", f.port);
	second_host = test_host_new(config);
	g_assert_false(
	    prov_trigger_start(PROV_TRIGGER(second), PROV_TRIGGER_HOST(second_host), &error));
	g_assert_nonnull(error);
	g_test_message("%s", error->message);

	prov_trigger_stop(PROV_TRIGGER(f.trigger));
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(f.trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 0);
	/* restartable */
	g_clear_error(&error);
	g_assert_true(
	    prov_trigger_start(PROV_TRIGGER(f.trigger), PROV_TRIGGER_HOST(f.host), &error));
	g_assert_no_error(error);
	fixture_teardown(&f, NULL);
}

static void
test_ipv6(void)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV6);
	g_autoptr(GSocketAddress) probe_address = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocket) probe =
	    g_socket_new(G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, NULL);
	g_autoptr(TestHost) host = NULL;
	g_autoptr(ProvSipNotifyTrigger) trigger = prov_sip_notify_trigger_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) addresses = NULL;

	if (probe == NULL || !g_socket_bind(probe, probe_address, FALSE, NULL)) {
		g_test_skip("no IPv6 loopback");
		return;
	}
	host = test_host_new("[sip-trigger]\nListen=[::1]:0\n");
	g_assert_true(prov_trigger_start(PROV_TRIGGER(trigger), PROV_TRIGGER_HOST(host), &error));
	g_assert_no_error(error);
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 1);
	g_assert_true(g_str_has_prefix(addresses[0], "[::1]:"));
	g_assert_cmpstr(addresses[0], !=, "[::1]:0");
	prov_trigger_stop(PROV_TRIGGER(trigger));
}

/* R20: challenged, then one action; a retransmission acts once; a replay never */
static void
test_udp_auth(Fixture *f, gconstpointer data)
{
	g_autofree gchar *uri = test_default_uri(f);
	TestRequest request = {.event = "check-sync"};
	g_autofree gchar *first = test_request(f, &request);
	g_autofree gchar *challenge = test_udp_exchange(f, first);
	g_autofree gchar *www = test_header(challenge, "WWW-Authenticate");
	g_autofree gchar *to = test_header(challenge, "To");
	g_autofree gchar *via = test_header(challenge, "Via");
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *ok = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *replay = NULL;
	g_autofree gchar *replayed = NULL;
	g_autofree gchar *expected_source = NULL;
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(f->udp, NULL);

	g_assert_cmpuint(test_status(challenge), ==, 401);
	g_assert_true(g_str_has_prefix(challenge, "SIP/2.0 401 Unauthorized\r\n"));
	g_assert_true(g_regex_match_simple("^Digest realm=\"" TEST_REALM
					   "\", nonce=\"[0-9a-f]{32}\", "
					   "algorithm=MD5, qop=\"auth\"$",
					   www, 0, 0));
	g_assert_true(g_regex_match_simple("^<sip:100@127.0.0.1>;tag=[0-9a-f]+$", to, 0, 0));
	/* sent-by names 127.0.0.1 but another port: the Via as it was, no rport asked */
	g_assert_cmpstr(via, ==, "SIP/2.0/UDP 127.0.0.1:5099;branch=z9hG4bK-1");
	g_assert_nonnull(strstr(challenge, "\r\nContent-Length: 0\r\n\r\n"));
	g_assert_cmpuint(f->host->requests->len, ==, 0);

	authorization = test_authorization(challenge, TEST_USER, TEST_PASSWORD, uri, "00000001");
	request.authorization = authorization;
	second = test_request(f, &request);
	ok = test_udp_exchange(f, second);
	g_assert_cmpuint(test_status(ok), ==, 200);
	g_assert_true(g_str_has_prefix(ok, "SIP/2.0 200 OK\r\n"));
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	expected_source = g_strdup_printf(
	    "resync - 127.0.0.1:%u", g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local)));
	g_assert_cmpstr(g_ptr_array_index(f->host->requests, 0), ==, expected_source);

	/* RFC 3261 17.2.2: the same bytes again get the same answer and act once */
	again = test_udp_exchange(f, second);
	g_assert_cmpstr(again, ==, ok);
	g_assert_cmpuint(f->host->requests->len, ==, 1);

	/* the same Authorization in a new request (new branch and CSeq) is refused */
	replay = test_request(f, &request);
	replayed = test_udp_exchange(f, replay);
	g_assert_cmpuint(test_status(replayed), ==, 401);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	/* also with another nc */
	g_clear_pointer(&authorization, g_free);
	authorization = test_authorization(challenge, TEST_USER, TEST_PASSWORD, uri, "00000002");
	request.authorization = authorization;
	g_clear_pointer(&replay, g_free);
	g_clear_pointer(&replayed, g_free);
	replay = test_request(f, &request);
	replayed = test_udp_exchange(f, replay);
	g_assert_cmpuint(test_status(replayed), ==, 401);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
}

/* reference 7.3 PROPOSED: the second wrong digest is refused with 403 */
static void
test_wrong_password(Fixture *f, gconstpointer data)
{
	g_autofree gchar *uri = test_default_uri(f);
	TestRequest request = {.event = "resync"};
	g_autofree gchar *first = test_request(f, &request);
	gchar *response = test_udp_exchange(f, first);

	for (guint i = 0; i < 2; i++) {
		g_autofree gchar *authorization = NULL;
		g_autofree gchar *next = NULL;

		g_assert_cmpuint(test_status(response), ==, 401);
		authorization = test_authorization(response, TEST_USER, "wrong", uri, "00000001");
		request.authorization = authorization;
		next = test_request(f, &request);
		g_free(response);
		response = test_udp_exchange(f, next);
	}
	g_assert_cmpuint(test_status(response), ==, 403);
	g_free(response);
	g_assert_true(
	    test_take_warning("notify from 127.0.0.1:*: wrong digest credentials again*"));
	/* another user name is wrong credentials too */
	{
		g_autofree gchar *retry = test_request(f, &(TestRequest){.event = "resync"});
		g_autofree gchar *challenge = test_udp_exchange(f, retry);
		g_autofree gchar *authorization =
		    test_authorization(challenge, "200", TEST_PASSWORD, uri, "00000001");
		g_autofree gchar *next = NULL;
		g_autofree gchar *answer = NULL;

		request.authorization = authorization;
		next = test_request(f, &request);
		answer = test_udp_exchange(f, next);
		g_assert_cmpuint(test_status(answer), ==, 401);
	}
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

/* R20, RFC 2617 3.2.2.5: the digest uri must be the Request-URI */
static void
test_uri_mismatch(Fixture *f, gconstpointer data)
{
	TestRequest request = {.event = "resync"};
	g_autofree gchar *first = test_request(f, &request);
	g_autofree gchar *challenge = test_udp_exchange(f, first);
	g_autofree gchar *authorization = test_authorization(
	    challenge, TEST_USER, TEST_PASSWORD, "sip:" TEST_USER "@192.0.2.99", "00000001");
	g_autofree gchar *second = NULL;
	g_autofree gchar *answer = NULL;

	request.authorization = authorization;
	second = test_request(f, &request);
	answer = test_udp_exchange(f, second);
	g_assert_cmpuint(test_status(answer), ==, 400);
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

static void
test_events(Fixture *f, gconstpointer data)
{
	const struct {
		const gchar *event;
		const gchar *request;
	} cases[] = {
	    {"resync", "resync - "},
	    {"check-sync", "resync - "},
	    {"check-sync;reboot=false", "resync - "},
	    {"check-sync;reboot=true", "reboot - "},
	    {"Check-Sync ;reboot=TRUE", "reboot - "},
	    {"reboot_now", "reboot - "},
	    {"reboot", "reboot - "},
	    {"restart_now", "restart - "},
	    {"report", "report - "},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		/* reference 7.3 PROPOSED: a rule in the body is ignored */
		g_autofree gchar *answer =
		    test_authenticated(f, cases[i].event, "Content-Type: text/plain\r\n",
				       "tftp://192.0.2.66/evil.cfg");

		g_test_message("%s", cases[i].event);
		g_assert_cmpuint(test_status(answer), ==, 200);
		g_assert_cmpuint(f->host->requests->len, ==, i + 1);
		g_assert_true(
		    g_str_has_prefix(g_ptr_array_index(f->host->requests, i), cases[i].request));
	}
	/* refused before any challenge */
	{
		g_autofree gchar *unknown = test_request(f, &(TestRequest){.event = "dialog"});
		g_autofree gchar *answer = test_udp_exchange(f, unknown);
		g_autofree gchar *allow = test_header(answer, "Allow-Events");

		g_assert_cmpuint(test_status(answer), ==, 489);
		g_assert_nonnull(allow);
		g_assert_nonnull(strstr(allow, "check-sync"));
	}
	{
		g_autofree gchar *none = test_request(f, &(TestRequest){0});
		g_autofree gchar *answer = test_udp_exchange(f, none);

		g_assert_cmpuint(test_status(answer), ==, 400);
	}
	{
		g_autofree gchar *bogus =
		    test_request(f, &(TestRequest){.event = "check-sync;reboot=maybe"});
		g_autofree gchar *answer = test_udp_exchange(f, bogus);

		g_assert_cmpuint(test_status(answer), ==, 400);
	}
	{
		g_autofree gchar *two = test_request(
		    f, &(TestRequest){.event = "resync", .extra = "Event: reboot_now\r\n"});
		g_autofree gchar *answer = test_udp_exchange(f, two);

		g_assert_cmpuint(test_status(answer), ==, 400);
	}
	g_assert_cmpuint(f->host->requests->len, ==, G_N_ELEMENTS(cases));
}

static void
test_methods(Fixture *f, gconstpointer data)
{
	{
		g_autofree gchar *options = test_request(f, &(TestRequest){.method = "OPTIONS"});
		g_autofree gchar *answer = test_udp_exchange(f, options);
		g_autofree gchar *allow = test_header(answer, "Allow");

		g_assert_cmpuint(test_status(answer), ==, 405);
		g_assert_cmpstr(allow, ==, "NOTIFY");
	}
	{
		g_autofree gchar *unknown = test_request(f, &(TestRequest){.method = "FROBNICATE"});
		g_autofree gchar *answer = test_udp_exchange(f, unknown);

		g_assert_cmpuint(test_status(answer), ==, 501);
	}
	{
		g_autofree gchar *tel =
		    test_request(f, &(TestRequest){.event = "resync", .uri = "tel:+15551234"});
		g_autofree gchar *answer = test_udp_exchange(f, tel);

		g_assert_cmpuint(test_status(answer), ==, 416);
	}
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

static void
test_gates(Fixture *f, gconstpointer data)
{
	g_autofree gchar *answer = NULL;
	g_autofree gchar *retry_after = NULL;

	test_host_set(f->host, "Resync_From_SIP", "No");
	answer = test_authenticated(f, "check-sync", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 403);
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "resync", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 403);
	g_assert_cmpuint(f->host->requests->len, ==, 0);
	/* a reboot has no gate */
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "reboot_now", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 200);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	test_host_set(f->host, "Resync_From_SIP", "Yes");

	/* R23: the engine's rate limit becomes 503 with Retry-After */
	f->host->refusal = g_error_new_literal(PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED, "too many");
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "resync", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 503);
	retry_after = test_header(answer, "Retry-After");
	g_assert_cmpstr(retry_after, ==, "1");
	/* Provision_Enable=No */
	g_clear_error(&f->host->refusal);
	f->host->refusal = g_error_new_literal(PROV_ERROR, PROV_ERROR_DISABLED, "disabled");
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "resync", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 403);
	/* report without Report_Rule */
	g_clear_error(&f->host->refusal);
	f->host->refusal = g_error_new_literal(PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT, "no rule");
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "report", NULL, NULL);
	g_assert_cmpuint(test_status(answer), ==, 403);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
}

/* no built-in account: without a password nothing authenticates */
static void
test_no_credentials(Fixture *f, gconstpointer data)
{
	g_autofree gchar *request = test_request(f, &(TestRequest){.event = "resync"});
	g_autofree gchar *answer = NULL;
	g_autofree gchar *again = NULL;

	test_host_set(f->host, "Password_1_", "");
	answer = test_udp_exchange(f, request);
	g_assert_cmpuint(test_status(answer), ==, 403);
	g_assert_null(test_header(answer, "WWW-Authenticate"));
	g_assert_true(test_take_warning("no line with a user ID and a SIP password*"));
	/* warned once */
	g_free(request);
	request = test_request(f, &(TestRequest){.event = "resync"});
	again = test_udp_exchange(f, request);
	g_assert_cmpuint(test_status(again), ==, 403);
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

/* the Request-URI picks the line and its realm; an unknown user tries each line */
static void
test_lines(Fixture *f, gconstpointer data)
{
	g_autofree gchar *uri = g_strdup_printf("sip:200@127.0.0.1:%u", f->port);
	TestRequest request = {.event = "resync", .uri = uri};
	g_autofree gchar *first = NULL;
	g_autofree gchar *challenge = NULL;
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *answer = NULL;
	g_autofree gchar *www = NULL;

	test_host_set(f->host, "User_ID_2_", "200");
	test_host_set(f->host, "Auth_ID_2_", "auth200");
	test_host_set(f->host, "Password_2_", "Line2-S3cret");
	test_host_set(f->host, "Proxy_2_", "sip:proxy2.example.net:5070;transport=tcp");
	first = test_request(f, &request);
	challenge = test_udp_exchange(f, first);
	www = test_header(challenge, "WWW-Authenticate");
	g_assert_true(g_str_has_prefix(www, "Digest realm=\"proxy2.example.net\""));
	/* line 1's credentials do not open line 2 */
	authorization = test_authorization(challenge, TEST_USER, TEST_PASSWORD, uri, "00000001");
	request.authorization = authorization;
	second = test_request(f, &request);
	answer = test_udp_exchange(f, second);
	g_assert_cmpuint(test_status(answer), ==, 401);
	/* the auth ID and line 2's password do */
	g_free(authorization);
	authorization = test_authorization(answer, "auth200", "Line2-S3cret", uri, "00000001");
	request.authorization = authorization;
	g_free(second);
	second = test_request(f, &request);
	g_free(answer);
	answer = test_udp_exchange(f, second);
	g_assert_cmpuint(test_status(answer), ==, 200);
	g_assert_cmpuint(f->host->requests->len, ==, 1);

	/* a URI without a line's user: one challenge per realm */
	{
		g_autofree gchar *plain =
		    test_request(f, &(TestRequest){.event = "resync", .uri = "sip:192.0.2.10"});
		g_autofree gchar *response = test_udp_exchange(f, plain);

		g_assert_cmpuint(test_status(response), ==, 401);
		g_assert_nonnull(strstr(response, "realm=\"" TEST_REALM "\""));
		g_assert_nonnull(strstr(response, "realm=\"proxy2.example.net\""));
	}
	/* a disabled line is nobody */
	test_host_set(f->host, "Line_Enable_2_", "No");
	test_host_set(f->host, "Password_1_", "");
	{
		g_autofree gchar *disabled =
		    test_request(f, &(TestRequest){.event = "resync", .uri = uri});
		g_autofree gchar *response = test_udp_exchange(f, disabled);

		g_assert_cmpuint(test_status(response), ==, 403);
		g_assert_true(test_take_warning("no line with a user ID and a SIP password*"));
	}
}

/* reference 7.3 PROPOSED: Auth_Resync-Reboot_n_=No accepts the addressed line unchallenged */
static void
test_auth_off(Fixture *f, gconstpointer data)
{
	g_autofree gchar *request = test_request(f, &(TestRequest){.event = "check-sync"});
	g_autofree gchar *answer = NULL;

	test_host_set(f->host, "Auth_Resync-Reboot_1_", "No");
	answer = test_udp_exchange(f, request);
	g_assert_cmpuint(test_status(answer), ==, 200);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	g_assert_true(test_take_warning("*accepted without authentication*"));
	/* not for a request that addresses no line */
	{
		g_autofree gchar *plain =
		    test_request(f, &(TestRequest){.event = "resync", .uri = "sip:192.0.2.10"});
		g_autofree gchar *response = test_udp_exchange(f, plain);

		g_assert_cmpuint(test_status(response), ==, 401);
	}
	g_assert_cmpuint(f->host->requests->len, ==, 1);
}

/* an allow-list in addition to digest, never instead */
static void
test_allowed_sources(void)
{
	Fixture f = {0};

	fixture_start(&f, "[sip-trigger]\nListen=127.0.0.1:0\nAllowedSources=10.0.0.0/8\n");
	{
		g_autofree gchar *request = test_request(&f, &(TestRequest){.event = "resync"});
		g_autofree gchar *answer = test_udp_exchange(&f, request);

		g_assert_cmpuint(test_status(answer), ==, 403);
		g_assert_null(test_header(answer, "WWW-Authenticate"));
	}
	fixture_teardown(&f, NULL);

	fixture_start(&f,
		      "[sip-trigger]\nListen=127.0.0.1:0\nAllowedSources=10.0.0.0/8, 127.0.0.1\n");
	{
		g_autofree gchar *request = test_request(&f, &(TestRequest){.event = "resync"});
		g_autofree gchar *answer = test_udp_exchange(&f, request);

		g_assert_cmpuint(test_status(answer), ==, 401);
	}
	g_assert_cmpuint(f.host->requests->len, ==, 0);
	fixture_teardown(&f, NULL);
}

static void
test_xml_service(Fixture *f, gconstpointer data)
{
	const gchar *object = "<CP-8841-3PCCExecute>\n"
			      "  <ExecuteItem URL=\"Resync:tftp://192.0.2.20/basic.txt\"/>\n"
			      "</CP-8841-3PCCExecute>\n";
	const gchar *xml = "Content-Type: application/xml\r\n";
	g_autofree gchar *answer = NULL;

	answer = test_authenticated(f, "XML-Service", xml, object);
	g_assert_cmpuint(test_status(answer), ==, 403);
	test_host_set(f->host, "CISCO_XML_EXE_Enable", "Yes");
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "XML-Service", xml, object);
	g_assert_cmpuint(test_status(answer), ==, 200);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	g_assert_true(g_str_has_prefix(g_ptr_array_index(f->host->requests, 0),
				       "resync tftp://192.0.2.20/basic.txt 127.0.0.1:"));
	/* the service-URL form is not fetched */
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "XML-Service", "Content-Type: text/plain\r\n",
				    "http://192.0.2.20/service.xml");
	g_assert_cmpuint(test_status(answer), ==, 415);
	/* an item provisiond does not perform refuses the object */
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(
	    f, "XML-Service", xml,
	    "<CiscoIPPhoneExecute><ExecuteItem URL=\"Key:Hold\"/></CiscoIPPhoneExecute>");
	g_assert_cmpuint(test_status(answer), ==, 488);
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "XML-Service", xml, "<CiscoIPPhoneExecute>");
	g_assert_cmpuint(test_status(answer), ==, 400);
	/* a resync through XML is still a resync from SIP */
	test_host_set(f->host, "Resync_From_SIP", "No");
	g_clear_pointer(&answer, g_free);
	answer = test_authenticated(f, "XML-Service", xml, object);
	g_assert_cmpuint(test_status(answer), ==, 403);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
}

/* R24 over UDP: refused with 400 when a response can be built, dropped otherwise */
static void
test_udp_malformed(Fixture *f, gconstpointer data)
{
	g_autoptr(GString) huge = NULL;
	g_autofree gchar *good = NULL;
	g_autofree gchar *answer = NULL;
	g_autofree gchar *call_id = NULL;
	gchar *request;

	/* Content-Length larger than the body */
	request = test_request(f, &(TestRequest){.event = "resync", .body = "abc"});
	*strstr(request, "Content-Length: 3") = '\0';
	{
		g_autofree gchar *bad = g_strconcat(request, "Content-Length: 30\r\n\r\nabc", NULL);

		answer = test_udp_exchange(f, bad);
		g_assert_cmpuint(test_status(answer), ==, 400);
	}
	g_free(request);
	g_clear_pointer(&answer, g_free);

	/* a huge header */
	huge = g_string_new("X-Huge: ");
	for (guint i = 0; i < 9000; i++)
		g_string_append_c(huge, 'x');
	g_string_append(huge, "\r\n");
	request = test_request(f, &(TestRequest){.event = "resync", .extra = huge->str});
	answer = test_udp_exchange(f, request);
	g_assert_cmpuint(test_status(answer), ==, 400);
	g_assert_cmpuint(strlen(answer), <, 1024);
	g_free(request);
	g_clear_pointer(&answer, g_free);

	/* format directives everywhere: a valid request, challenged, nothing else */
	request = test_request(f, &(TestRequest){.event = "resync",
						 .call_id = "%n%s%n%s@%x",
						 .extra = "User-Agent: %n%n%n%s%s%s\r\n"
							  "Subject: %s%p%n\r\n"});
	answer = test_udp_exchange(f, request);
	g_assert_cmpuint(test_status(answer), ==, 401);
	call_id = test_header(answer, "Call-ID");
	g_assert_cmpstr(call_id, ==, "%n%s%n%s@%x");
	g_free(request);
	g_clear_pointer(&answer, g_free);

	/* no Call-ID: no response can be built, the next answer is the next request's */
	test_udp_send(f,
		      "NOTIFY sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		      "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 NOTIFY\r\n"
		      "Event: resync\r\nContent-Length: 0\r\n\r\n",
		      strlen("NOTIFY sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
			     "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 NOTIFY\r\n"
			     "Event: resync\r\nContent-Length: 0\r\n\r\n"));
	/* a response and an ACK are never answered */
	test_udp_send(f, "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", 38);
	{
		g_autofree gchar *ack = test_request(f, &(TestRequest){.method = "ACK"});

		test_udp_send(f, ack, strlen(ack));
	}
	test_udp_send(f, "\r\n\r\n", 4);
	test_udp_send(f, "\0\0\0\0", 4);
	good = test_request(f, &(TestRequest){.event = "resync", .call_id = "the-good-one"});
	answer = test_udp_exchange(f, good);
	g_clear_pointer(&call_id, g_free);
	call_id = test_header(answer, "Call-ID");
	g_assert_cmpstr(call_id, ==, "the-good-one");
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

static GSocket *
test_tcp_connect(Fixture *f)
{
	g_autoptr(GError) error = NULL;
	GSocket *tcp =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

	g_assert_no_error(error);
	g_assert_true(g_socket_connect(tcp, f->server, NULL, &error));
	g_assert_no_error(error);
	return tcp;
}

static void
test_tcp_send(GSocket *tcp, const gchar *data, gsize len)
{
	g_autoptr(GError) error = NULL;

	g_assert_cmpint(g_socket_send(tcp, data, len, NULL, &error), ==, (gssize)len);
	g_assert_no_error(error);
}

/* the next response from @buffer and the socket; %NULL at the end of the stream */
static gchar *
test_tcp_receive(GSocket *tcp, GString *buffer)
{
	for (;;) {
		const gchar *end = strstr(buffer->str, "\r\n\r\n");
		g_autoptr(GError) error = NULL;
		gchar chunk[4096];
		gssize len;

		if (end != NULL) {
			gsize response_len = (gsize)(end + 4 - buffer->str);
			gchar *response = g_strndup(buffer->str, response_len);

			g_string_erase(buffer, 0, (gssize)response_len);
			return response;
		}
		g_assert_true(test_wait_readable(tcp, TEST_TIMEOUT_MS));
		len = g_socket_receive(tcp, chunk, sizeof(chunk), NULL, &error);
		if (len <= 0)
			return NULL;
		g_string_append_len(buffer, chunk, len);
	}
}

/* RFC 3261 18.3: several messages in one stream, a message over several reads */
static void
test_tcp_framing(Fixture *f, gconstpointer data)
{
	g_autoptr(GSocket) tcp = test_tcp_connect(f);
	g_autoptr(GString) buffer = g_string_new(NULL);
	g_autofree gchar *uri = test_default_uri(f);
	g_autofree gchar *one = test_request(f, &(TestRequest){.event = "resync",
							       .call_id = "one",
							       .via = "SIP/2.0/TCP 127.0.0.1:5099;"
								      "branch=z9hG4bK-t1;rport"});
	g_autofree gchar *two =
	    test_request(f, &(TestRequest){.event = "check-sync", .call_id = "two"});
	g_autofree gchar *both = g_strconcat(one, "\r\n\r\n", two, NULL);
	g_autofree gchar *first = NULL;
	g_autofree gchar *second = NULL;
	g_autofree gchar *call_id = NULL;
	g_autofree gchar *via = NULL;
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *authenticated = NULL;
	g_autofree gchar *answer = NULL;
	g_autoptr(GSocketAddress) local = g_socket_get_local_address(tcp, NULL);
	g_autofree gchar *expected_via = NULL;

	test_tcp_send(tcp, both, strlen(both));
	first = test_tcp_receive(tcp, buffer);
	second = test_tcp_receive(tcp, buffer);
	g_assert_cmpuint(test_status(first), ==, 401);
	g_assert_cmpuint(test_status(second), ==, 401);
	call_id = test_header(first, "Call-ID");
	g_assert_cmpstr(call_id, ==, "one");
	g_clear_pointer(&call_id, g_free);
	call_id = test_header(second, "Call-ID");
	g_assert_cmpstr(call_id, ==, "two");
	/* RFC 3581 */
	via = test_header(first, "Via");
	expected_via = g_strdup_printf(
	    "SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK-t1;rport=%u;received=127.0.0.1",
	    g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local)));
	g_assert_cmpstr(via, ==, expected_via);

	/* the authenticated request one byte at a time */
	authorization = test_authorization(second, TEST_USER, TEST_PASSWORD, uri, "00000001");
	authenticated = test_request(f, &(TestRequest){.event = "check-sync",
						       .call_id = "two",
						       .authorization = authorization});
	for (gsize i = 0; authenticated[i] != '\0'; i++) {
		test_tcp_send(tcp, authenticated + i, 1);
		if (i % 64 == 0)
			while (g_main_context_iteration(NULL, FALSE))
				;
	}
	answer = test_tcp_receive(tcp, buffer);
	g_assert_cmpuint(test_status(answer), ==, 200);
	g_assert_cmpuint(f->host->requests->len, ==, 1);
	g_assert_cmpuint(buffer->len, ==, 0);
}

/* R24 over TCP: a broken frame is answered if it can be, and ends the connection */
static void
test_tcp_malformed(Fixture *f, gconstpointer data)
{
	{
		g_autoptr(GSocket) tcp = test_tcp_connect(f);
		g_autoptr(GString) buffer = g_string_new(NULL);
		g_autofree gchar *request = test_request(f, &(TestRequest){.event = "resync"});
		g_autofree gchar *answer = NULL;
		g_autofree gchar *after = NULL;

		/* a repeated Content-Length is a smuggling attempt */
		*strstr(request, "Content-Length: 0\r\n") = '\0';
		{
			g_autofree gchar *bad =
			    g_strconcat(request, "Content-Length: 0\r\nl: 20\r\n\r\n",
					"NOTIFY sip:x SIP/2.0", NULL);

			test_tcp_send(tcp, bad, strlen(bad));
		}
		answer = test_tcp_receive(tcp, buffer);
		g_assert_cmpuint(test_status(answer), ==, 400);
		after = test_tcp_receive(tcp, buffer);
		g_assert_null(after);
	}
	/* R24: headers of 64 KiB; the connection is dropped */
	{
		g_autoptr(GSocket) tcp = test_tcp_connect(f);
		g_autoptr(GString) buffer = g_string_new(NULL);
		g_autoptr(GString) huge = g_string_new("X-Huge: ");
		g_autofree gchar *request = NULL;
		g_autofree gchar *answer = NULL;

		for (guint i = 0; i < 64 * 1024; i++)
			g_string_append_c(huge, 'x');
		g_string_append(huge, "\r\n");
		request = test_request(f, &(TestRequest){.event = "resync", .extra = huge->str});
		/* the peer may close before all of it is sent */
		g_socket_send(tcp, request, strlen(request), NULL, NULL);
		answer = test_tcp_receive(tcp, buffer);
		g_assert_null(answer);
	}
	/* no Content-Length on a stream */
	{
		g_autoptr(GSocket) tcp = test_tcp_connect(f);
		g_autoptr(GString) buffer = g_string_new(NULL);
		g_autofree gchar *request = test_request(f, &(TestRequest){.event = "resync"});
		g_autofree gchar *answer = NULL;

		strcpy(strstr(request, "Content-Length: 0\r\n"), "\r\n");
		test_tcp_send(tcp, request, strlen(request));
		answer = test_tcp_receive(tcp, buffer);
		g_assert_cmpuint(test_status(answer), ==, 400);
		g_assert_null(test_tcp_receive(tcp, buffer));
	}
	g_assert_cmpuint(f->host->requests->len, ==, 0);
}

/* an idle connection is closed; the timeout is a setting */
static void
test_tcp_idle(void)
{
	Fixture f = {0};
	g_autoptr(GSocket) tcp = NULL;
	g_autoptr(GString) buffer = g_string_new(NULL);
	gint64 start;

	fixture_start(&f, "[sip-trigger]\nListen=127.0.0.1:0\nIdleTimeout=1\n");
	tcp = test_tcp_connect(&f);
	start = g_get_monotonic_time();
	test_tcp_send(tcp, "NOTIFY sip:", 11);
	g_assert_null(test_tcp_receive(tcp, buffer));
	g_assert_cmpint(g_get_monotonic_time() - start, >=, G_USEC_PER_SEC / 2);
	fixture_teardown(&f, NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	test_warnings = g_ptr_array_new_with_free_func(g_free);
	g_log_set_writer_func(test_log_writer_cb, NULL, NULL);

	g_test_add_func("/prov/sip-notify/config", test_config);
	g_test_add_func("/prov/sip-notify/addresses", test_addresses);
	g_test_add_func("/prov/sip-notify/ipv6", test_ipv6);
	g_test_add("/prov/sip-notify/udp-auth", Fixture, NULL, fixture_setup, test_udp_auth,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/wrong-password", Fixture, NULL, fixture_setup,
		   test_wrong_password, fixture_teardown);
	g_test_add("/prov/sip-notify/uri-mismatch", Fixture, NULL, fixture_setup, test_uri_mismatch,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/events", Fixture, NULL, fixture_setup, test_events,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/methods", Fixture, NULL, fixture_setup, test_methods,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/gates", Fixture, NULL, fixture_setup, test_gates,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/no-credentials", Fixture, NULL, fixture_setup,
		   test_no_credentials, fixture_teardown);
	g_test_add("/prov/sip-notify/lines", Fixture, NULL, fixture_setup, test_lines,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/auth-off", Fixture, NULL, fixture_setup, test_auth_off,
		   fixture_teardown);
	g_test_add_func("/prov/sip-notify/allowed-sources", test_allowed_sources);
	g_test_add("/prov/sip-notify/xml-service", Fixture, NULL, fixture_setup, test_xml_service,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/udp-malformed", Fixture, NULL, fixture_setup,
		   test_udp_malformed, fixture_teardown);
	g_test_add("/prov/sip-notify/tcp-framing", Fixture, NULL, fixture_setup, test_tcp_framing,
		   fixture_teardown);
	g_test_add("/prov/sip-notify/tcp-malformed", Fixture, NULL, fixture_setup,
		   test_tcp_malformed, fixture_teardown);
	g_test_add_func("/prov/sip-notify/tcp-idle", test_tcp_idle);
	return g_test_run();
}
