/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * ProvHttpTrigger against a fake engine side: a libsoup client in the same
 * main loop sends what curl, a browser or an attacker would, with digest
 * credentials computed here (RFC 7616) so that nonces, counts and `uri` can
 * be set on purpose. The integration test does the same with curl and the
 * real engine.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <prov-config.h>
#include <prov-error.h>
#include <prov-params-transaction.h>
#include <prov-params.h>
#include <string.h>

#include "prov-http-digest.h"
#include "prov-http-trigger.h"

#define ADMIN_PASSWORD "s3cret-admin"
#define USER_PASSWORD  "s3cret-user"
#define XML_PASSWORD   "s3cret-xml"
#define REALM	       "ATA192-MPP"

#define S6_OBJECT                                                                                  \
	"<CP-xxxx-3PCCExecute><ExecuteItem "                                                       \
	"URL=\"Resync:tftp://192.168.1.200/ata$MA.cfg\"/></CP-xxxx-3PCCExecute>"

/* ---- logs: counted, and searched for secrets ---- */

static GPtrArray *prov_test_logs;
static guint prov_test_warnings;

static GLogWriterOutput
prov_test_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	for (gsize i = 0; i < n_fields; i++) {
		const gchar *text = fields[i].value;
		gsize length = fields[i].length < 0 ? strlen(text) : (gsize)fields[i].length;

		if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			g_ptr_array_add(prov_test_logs, g_strndup(text, length));
	}
	if ((level & G_LOG_LEVEL_WARNING) != 0)
		prov_test_warnings++;
	if ((level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR)) != 0) {
		g_log_writer_default(level, fields, n_fields, user_data);
		g_abort();
	}
	if (g_test_verbose())
		return g_log_writer_default(level, fields, n_fields, user_data);
	return G_LOG_WRITER_HANDLED;
}

/* no password, and no digest response, ever reaches a log line */
static void
prov_test_assert_logs_clean(void)
{
	for (guint i = 0; i < prov_test_logs->len; i++) {
		const gchar *line = g_ptr_array_index(prov_test_logs, i);

		g_assert_null(strstr(line, ADMIN_PASSWORD));
		g_assert_null(strstr(line, USER_PASSWORD));
		g_assert_null(strstr(line, XML_PASSWORD));
		g_assert_null(strstr(line, "response="));
		g_assert_null(strstr(line, "--key"));
	}
}

/* ---- a fake engine side ---- */

typedef struct {
	ProvTriggerAction action;
	gchar *argument;
	gchar *source;
} ProvTestRequest;

static void
prov_test_request_free(ProvTestRequest *request)
{
	g_free(request->argument);
	g_free(request->source);
	g_free(request);
}

#define PROV_TYPE_TEST_HOST (prov_test_host_get_type())
G_DECLARE_FINAL_TYPE(ProvTestHost, prov_test_host, PROV, TEST_HOST, GObject)

struct _ProvTestHost {
	GObject parent_instance;
	ProvConfig *config;
	ProvParams *params;
	GPtrArray *requests;
	/* what the next requests are refused with; NULL: accepted */
	GError *refusal;
};

static void
prov_test_host_iface_init(ProvTriggerHostInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(ProvTestHost,
			      prov_test_host,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER_HOST,
						    prov_test_host_iface_init))

static gboolean
prov_test_host_request(ProvTriggerHost *host,
		       ProvTriggerAction action,
		       const gchar *argument,
		       const gchar *source,
		       GError **error)
{
	ProvTestHost *self = PROV_TEST_HOST(host);
	ProvTestRequest *request;

	if (self->refusal != NULL) {
		g_propagate_error(error, g_error_copy(self->refusal));
		return FALSE;
	}
	request = g_new0(ProvTestRequest, 1);
	request->action = action;
	request->argument = g_strdup(argument);
	request->source = g_strdup(source);
	g_ptr_array_add(self->requests, request);
	return TRUE;
}

static ProvConfig *
prov_test_host_get_config(ProvTriggerHost *host)
{
	return PROV_TEST_HOST(host)->config;
}

static ProvParams *
prov_test_host_get_params(ProvTriggerHost *host)
{
	return PROV_TEST_HOST(host)->params;
}

static void
prov_test_host_iface_init(ProvTriggerHostInterface *iface)
{
	iface->request = prov_test_host_request;
	iface->get_config = prov_test_host_get_config;
	iface->get_params = prov_test_host_get_params;
}

static void
prov_test_host_finalize(GObject *object)
{
	ProvTestHost *self = PROV_TEST_HOST(object);

	g_clear_object(&self->config);
	g_clear_object(&self->params);
	g_ptr_array_unref(self->requests);
	g_clear_error(&self->refusal);
	G_OBJECT_CLASS(prov_test_host_parent_class)->finalize(object);
}

static void
prov_test_host_class_init(ProvTestHostClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = prov_test_host_finalize;
}

static void
prov_test_host_init(ProvTestHost *self)
{
	self->requests = g_ptr_array_new_with_free_func((GDestroyNotify)prov_test_request_free);
}

static ProvTestHost *
prov_test_host_new(const gchar *config_text)
{
	ProvTestHost *self = g_object_new(PROV_TYPE_TEST_HOST, NULL);
	g_autoptr(GError) error = NULL;

	self->config = prov_config_new();
	g_assert_true(prov_config_load_data(self->config, config_text, -1, &error));
	g_assert_no_error(error);
	self->params = prov_params_new_for_config(self->config, NULL, &error);
	g_assert_no_error(error);
	return self;
}

/* ---- the fixture ---- */

typedef struct {
	ProvTestHost *host;
	ProvHttpTrigger *trigger;
	SoupSession *session;
	gchar *authority;
} Fixture;

static const gchar prov_test_config[] = "[device]\n"
					"ProductName=" REALM "\n"
					"[http-trigger]\n"
					"Listen=127.0.0.1:0\n";

static void
prov_test_set(Fixture *fixture, const gchar *name, const gchar *value)
{
	g_autoptr(ProvParamsTransaction) transaction =
	    prov_params_transaction_new(fixture->host->params);
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_params_transaction_set(transaction, name, value, PROV_ACCESS_UNSET, NULL,
						  0, 0, &error));
	g_assert_no_error(error);
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
}

static void
prov_test_start(Fixture *fixture)
{
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) addresses = NULL;

	g_assert_true(prov_trigger_start(PROV_TRIGGER(fixture->trigger),
					 PROV_TRIGGER_HOST(fixture->host), &error));
	g_assert_no_error(error);
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(fixture->trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 1);
	g_assert_true(g_str_has_prefix(addresses[0], "127.0.0.1:"));
	g_assert_cmpstr(addresses[0], !=, "127.0.0.1:0");
	g_free(fixture->authority);
	fixture->authority = g_strdup(addresses[0]);
}

static void
prov_test_setup(Fixture *fixture, gconstpointer data)
{
	fixture->host = prov_test_host_new(prov_test_config);
	fixture->trigger = prov_http_trigger_new();
	fixture->session = soup_session_new();
	/* the test answers challenges itself, with the nonce counts it chooses */
	soup_session_remove_feature_by_type(fixture->session, SOUP_TYPE_AUTH_MANAGER);
	prov_test_set(fixture, "Admin_Password", ADMIN_PASSWORD);
	prov_test_start(fixture);
}

static void
prov_test_teardown(Fixture *fixture, gconstpointer data)
{
	prov_trigger_stop(PROV_TRIGGER(fixture->trigger));
	g_clear_object(&fixture->trigger);
	g_clear_object(&fixture->session);
	g_clear_object(&fixture->host);
	g_free(fixture->authority);
	prov_test_assert_logs_clean();
	g_ptr_array_set_size(prov_test_logs, 0);
}

/* ---- the client ---- */

typedef struct {
	guint status;
	gchar *body;
	SoupMessageHeaders *headers;
	/* the Authorization sent last, to replay it */
	gchar *authorization;
} ProvTestReply;

static void
prov_test_reply_free(ProvTestReply *reply)
{
	g_free(reply->body);
	g_clear_pointer(&reply->headers, soup_message_headers_unref);
	g_free(reply->authorization);
	g_free(reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTestReply, prov_test_reply_free)

typedef struct {
	const gchar *method;
	const gchar *target;
	const gchar *content_type;
	const gchar *body;
	gssize body_length;
	/* name, value, ..., NULL */
	const gchar *const *headers;
	/* a body of unknown length: sent chunked */
	gboolean chunked;
} ProvTestRequestSpec;

typedef struct {
	gboolean done;
	GBytes *body;
	GError *error;
} ProvTestSend;

static void
prov_test_sent_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTestSend *send = user_data;

	send->body = soup_session_send_and_read_finish(SOUP_SESSION(source), result, &send->error);
	send->done = TRUE;
}

static ProvTestReply *
prov_test_send_once(Fixture *fixture, const ProvTestRequestSpec *spec, const gchar *authorization)
{
	g_autofree gchar *url = g_strconcat("http://", fixture->authority, spec->target, NULL);
	g_autoptr(GUri) uri = g_uri_parse(url, SOUP_HTTP_URI_FLAGS, NULL);
	g_autoptr(SoupMessage) msg = NULL;
	ProvTestReply *reply = g_new0(ProvTestReply, 1);
	ProvTestSend send = {FALSE, NULL, NULL};
	gsize size = 0;
	const gchar *data;

	g_assert_nonnull(uri);
	msg = soup_message_new_from_uri(spec->method, uri);
	if (spec->body != NULL) {
		gsize length =
		    spec->body_length >= 0 ? (gsize)spec->body_length : strlen(spec->body);

		if (spec->chunked) {
			g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data(
			    g_memdup2(spec->body, length), length, g_free);

			soup_message_set_request_body(msg, spec->content_type, stream, -1);
		} else {
			g_autoptr(GBytes) bytes = g_bytes_new(spec->body, length);

			soup_message_set_request_body_from_bytes(msg, spec->content_type, bytes);
		}
	}
	for (guint i = 0; spec->headers != NULL && spec->headers[i] != NULL; i += 2)
		soup_message_headers_append(soup_message_get_request_headers(msg), spec->headers[i],
					    spec->headers[i + 1]);
	if (authorization != NULL)
		soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization",
					     authorization);
	soup_session_send_and_read_async(fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
					 prov_test_sent_cb, &send);
	while (!send.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_no_error(send.error);
	reply->status = soup_message_get_status(msg);
	data = g_bytes_get_data(send.body, &size);
	reply->body = g_strndup(data != NULL ? data : "", size);
	reply->headers = soup_message_headers_ref(soup_message_get_response_headers(msg));
	reply->authorization = g_strdup(authorization);
	g_bytes_unref(send.body);
	return reply;
}

static gchar *
prov_test_md5(const gchar *const *parts)
{
	g_autoptr(GString) joined = g_string_new(NULL);

	for (guint i = 0; parts[i] != NULL; i++)
		g_string_append_printf(joined, i > 0 ? ":%s" : "%s", parts[i]);
	return g_compute_checksum_for_string(G_CHECKSUM_MD5, joined->str, -1);
}

/* RFC 7616 3.4 with qop=auth, as curl --digest computes it */
static gchar *
prov_test_authorization(const gchar *challenge,
			const gchar *method,
			const gchar *uri,
			const gchar *user,
			const gchar *password,
			guint nc)
{
	g_autoptr(GHashTable) params = NULL;
	g_autofree gchar *ha1 = NULL;
	g_autofree gchar *ha2 = NULL;
	g_autofree gchar *response = NULL;
	g_autofree gchar *nc_text = g_strdup_printf("%08x", nc);
	const gchar *realm;
	const gchar *nonce;

	g_assert_true(g_str_has_prefix(challenge, "Digest "));
	params = soup_header_parse_param_list(challenge + 7);
	realm = g_hash_table_lookup(params, "realm");
	nonce = g_hash_table_lookup(params, "nonce");
	g_assert_cmpstr(g_hash_table_lookup(params, "qop"), ==, "auth");
	g_assert_nonnull(nonce);
	ha1 = prov_test_md5((const gchar *[]){user, realm, password, NULL});
	ha2 = prov_test_md5((const gchar *[]){method, uri, NULL});
	response =
	    prov_test_md5((const gchar *[]){ha1, nonce, nc_text, "0a4f113b", "auth", ha2, NULL});
	return g_strdup_printf("Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", "
			       "qop=auth, nc=%s, cnonce=\"0a4f113b\", response=\"%s\", "
			       "algorithm=MD5",
			       user, realm, nonce, uri, nc_text, response);
}

/* as curl --digest: the first request unauthenticated, the second answers the challenge */
static ProvTestReply *
prov_test_send(Fixture *fixture,
	       const ProvTestRequestSpec *spec,
	       const gchar *user,
	       const gchar *password)
{
	g_autoptr(ProvTestReply) first = prov_test_send_once(fixture, spec, NULL);
	g_autofree gchar *authorization = NULL;
	const gchar *challenge;

	if (user == NULL || first->status != SOUP_STATUS_UNAUTHORIZED)
		return g_steal_pointer(&first);
	challenge = soup_message_headers_get_one(first->headers, "WWW-Authenticate");
	g_assert_nonnull(challenge);
	authorization =
	    prov_test_authorization(challenge, spec->method, spec->target, user, password, 1);
	return prov_test_send_once(fixture, spec, authorization);
}

static ProvTestReply *
prov_test_get(Fixture *fixture, const gchar *target, const gchar *user, const gchar *password)
{
	ProvTestRequestSpec spec = {"GET", target, NULL, NULL, -1, NULL, FALSE};

	return prov_test_send(fixture, &spec, user, password);
}

static ProvTestReply *
prov_test_post_form(Fixture *fixture, const gchar *object, const gchar *user, const gchar *password)
{
	g_autofree gchar *encoded = g_uri_escape_string(object, NULL, FALSE);
	g_autofree gchar *body = g_strconcat("XML=", encoded, NULL);
	ProvTestRequestSpec spec = {
	    "POST", "/CGI/Execute", "application/x-www-form-urlencoded", body, -1, NULL, FALSE};

	return prov_test_send(fixture, &spec, user, password);
}

static void
prov_test_assert_requests(Fixture *fixture, guint n)
{
	g_assert_cmpuint(fixture->host->requests->len, ==, n);
}

static ProvTestRequest *
prov_test_take_request(Fixture *fixture)
{
	ProvTestRequest *request;

	g_assert_cmpuint(fixture->host->requests->len, ==, 1);
	request = g_ptr_array_steal_index(fixture->host->requests, 0);
	g_assert_true(g_str_has_prefix(request->source, "127.0.0.1:"));
	g_assert_cmpstr(request->source, !=, fixture->authority);
	return request;
}

static void
prov_test_assert_challenge(ProvTestReply *reply, gboolean stale)
{
	const gchar *challenge = soup_message_headers_get_one(reply->headers, "WWW-Authenticate");

	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_UNAUTHORIZED);
	g_assert_nonnull(challenge);
	g_assert_true(g_str_has_prefix(challenge, "Digest realm=\"" REALM "\", nonce=\""));
	g_assert_nonnull(strstr(challenge, "qop=\"auth\""));
	g_assert_true((strstr(challenge, "stale=true") != NULL) == stale);
}

/* ---- configuration ---- */

static void
prov_test_config_errors(void)
{
	static const struct {
		const gchar *group;
		const gchar *needle;
	} cases[] = {
	    {"", "no [http-trigger] group"},
	    {"[http-trigger]\n", "Listen is missing"},
	    {"[http-trigger]\nListen=\n", "Listen is missing"},
	    {"[http-trigger]\nListen=localhost:8080\n", "not a numeric"},
	    {"[http-trigger]\nListen=127.0.0.1\n", "expected ADDRESS:PORT"},
	    {"[http-trigger]\nListen=::1:8080\n", "brackets"},
	    {"[http-trigger]\nListen=[::1]8080\n", "[IPV6-ADDRESS]:PORT"},
	    {"[http-trigger]\nListen=[127.0.0.1]:8080\n", "not a numeric"},
	    {"[http-trigger]\nListen=127.0.0.1:65536\n", "the port must be"},
	    {"[http-trigger]\nListen=127.0.0.1:-1\n", "the port must be"},
	    {"[http-trigger]\nListen=127.0.0.1:0\nMaxBodySize=10\n", "MaxBodySize=10"},
	    {"[http-trigger]\nListen=127.0.0.1:0\nMaxBodySize=lots\n", "MaxBodySize=lots"},
	    {"[http-trigger]\nListen=127.0.0.1:0\nListen_Port=80\n", "unknown key Listen_Port"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvTestHost) host = prov_test_host_new(cases[i].group);
		g_autoptr(ProvHttpTrigger) trigger = prov_http_trigger_new();
		g_autoptr(GError) error = NULL;
		g_auto(GStrv) addresses = NULL;

		g_assert_false(
		    prov_trigger_start(PROV_TRIGGER(trigger), PROV_TRIGGER_HOST(host), &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, cases[i].needle));
		addresses = prov_trigger_dup_addresses(PROV_TRIGGER(trigger));
		g_assert_cmpuint(g_strv_length(addresses), ==, 0);
	}
}

/* the port in use: the error says so, and a second start of a started trigger fails */
static void
prov_test_config_address_in_use(Fixture *fixture, gconstpointer data)
{
	g_autofree gchar *text =
	    g_strdup_printf("[http-trigger]\nListen=%s\nMaxBodySize=4096\n", fixture->authority);
	g_autoptr(ProvTestHost) host = prov_test_host_new(text);
	g_autoptr(ProvHttpTrigger) trigger = prov_http_trigger_new();
	g_autoptr(GError) error = NULL;

	g_assert_false(prov_trigger_start(PROV_TRIGGER(trigger), PROV_TRIGGER_HOST(host), &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "[http-trigger] Listen: cannot listen"));
	g_clear_error(&error);
	g_assert_false(prov_trigger_start(PROV_TRIGGER(fixture->trigger),
					  PROV_TRIGGER_HOST(fixture->host), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
}

static void
prov_test_config_ipv6(void)
{
	g_autoptr(ProvTestHost) host = prov_test_host_new("[http-trigger]\nListen=[::1]:0\n");
	g_autoptr(ProvHttpTrigger) trigger = prov_http_trigger_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) addresses = NULL;

	if (!prov_trigger_start(PROV_TRIGGER(trigger), PROV_TRIGGER_HOST(host), &error)) {
		g_test_skip(error->message);
		return;
	}
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 1);
	g_assert_true(g_str_has_prefix(addresses[0], "[::1]:"));
	g_assert_cmpstr(addresses[0], !=, "[::1]:0");
	prov_trigger_stop(PROV_TRIGGER(trigger));
}

/* stop closes the port and forgets the host; the trigger starts again */
static void
prov_test_stop_restart(Fixture *fixture, gconstpointer data)
{
	g_autoptr(ProvTestReply) reply = NULL;
	g_auto(GStrv) addresses = NULL;

	prov_trigger_stop(PROV_TRIGGER(fixture->trigger));
	addresses = prov_trigger_dup_addresses(PROV_TRIGGER(fixture->trigger));
	g_assert_cmpuint(g_strv_length(addresses), ==, 0);
	prov_test_start(fixture);
	reply = prov_test_get(fixture, "/admin/resync", "admin", ADMIN_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	prov_test_assert_requests(fixture, 1);
}

/* ---- functional URLs (reference 7.1) ---- */

static void
prov_test_resync(Fixture *fixture, gconstpointer data)
{
	static const struct {
		const gchar *target;
		const gchar *argument;
	} cases[] = {
	    {"/admin/resync", NULL},
	    {"/admin/resync?", NULL},
	    {"/admin/resync?tftp://192.168.1.200/basic.txt", "tftp://192.168.1.200/basic.txt"},
	    {"/resync?/ata$MA.cfg", "/ata$MA.cfg"},
	    /* escapes: libsoup's own digest check could never accept these */
	    {"/admin/resync?%5B--uid%20u%5D%20http://h/p%2Bq.cfg", "[--uid u] http://h/p+q.cfg"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvTestReply) reply = NULL;
		ProvTestRequest *request;

		/* no credentials: a challenge, and no action */
		reply = prov_test_get(fixture, cases[i].target, NULL, NULL);
		prov_test_assert_challenge(reply, FALSE);
		prov_test_assert_requests(fixture, 0);
		g_clear_pointer(&reply, prov_test_reply_free);

		reply = prov_test_get(fixture, cases[i].target, "admin", ADMIN_PASSWORD);
		g_test_message("%s: %s", cases[i].target, reply->body);
		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
		g_assert_cmpstr(soup_message_headers_get_content_type(reply->headers, NULL), ==,
				"text/plain");
		g_assert_cmpstr(soup_message_headers_get_one(reply->headers, "Cache-Control"), ==,
				"no-store");
		g_assert_true(g_str_has_prefix(reply->body, "resync queued"));
		request = prov_test_take_request(fixture);
		g_assert_cmpint(request->action, ==, PROV_TRIGGER_ACTION_RESYNC);
		g_assert_cmpstr(request->argument, ==, cases[i].argument);
		prov_test_request_free(request);
	}
}

static void
prov_test_reboot(Fixture *fixture, gconstpointer data)
{
	g_autoptr(ProvTestReply) reply =
	    prov_test_get(fixture, "/admin/reboot", "admin", ADMIN_PASSWORD);
	ProvTestRequest *request;

	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	g_assert_true(g_str_has_prefix(reply->body, "reboot requested"));
	request = prov_test_take_request(fixture);
	g_assert_cmpint(request->action, ==, PROV_TRIGGER_ACTION_REBOOT);
	g_assert_null(request->argument);
	prov_test_request_free(request);
}

/* R21: there is no built-in account, and a wrong user or password fails */
static void
prov_test_wrong_credentials(Fixture *fixture, gconstpointer data)
{
	const gchar *users[][2] = {
	    {"admin", "admin"},
	    {"admin", ""},
	    {"admin", ADMIN_PASSWORD "x"},
	    {"Admin", ADMIN_PASSWORD},
	    {"user", ADMIN_PASSWORD},
	    {"root", ADMIN_PASSWORD},
	};

	for (guint i = 0; i < G_N_ELEMENTS(users); i++) {
		g_autoptr(ProvTestReply) reply =
		    prov_test_get(fixture, "/admin/resync", users[i][0], users[i][1]);

		prov_test_assert_challenge(reply, FALSE);
	}
	prov_test_assert_requests(fixture, 0);
}

/* a captured Authorization header does not work twice; the next count does */
static void
prov_test_replay(Fixture *fixture, gconstpointer data)
{
	ProvTestRequestSpec spec = {"GET", "/admin/resync", NULL, NULL, -1, NULL, FALSE};
	g_autoptr(ProvTestReply) first = prov_test_send_once(fixture, &spec, NULL);
	const gchar *challenge = soup_message_headers_get_one(first->headers, "WWW-Authenticate");
	g_autofree gchar *one =
	    prov_test_authorization(challenge, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 1);
	g_autofree gchar *two =
	    prov_test_authorization(challenge, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 2);
	g_autoptr(ProvTestReply) accepted = prov_test_send_once(fixture, &spec, one);
	g_autoptr(ProvTestReply) replayed = prov_test_send_once(fixture, &spec, one);
	g_autoptr(ProvTestReply) next = prov_test_send_once(fixture, &spec, two);
	g_autoptr(ProvTestReply) again = prov_test_send_once(fixture, &spec, two);

	g_assert_cmpuint(accepted->status, ==, SOUP_STATUS_OK);
	prov_test_assert_challenge(replayed, FALSE);
	g_assert_cmpuint(next->status, ==, SOUP_STATUS_OK);
	prov_test_assert_challenge(again, FALSE);
	prov_test_assert_requests(fixture, 2);
}

/* nonces are ours: a made-up one or one from before a restart is stale */
static void
prov_test_stale(Fixture *fixture, gconstpointer data)
{
	ProvTestRequestSpec spec = {"GET", "/admin/resync", NULL, NULL, -1, NULL, FALSE};
	g_autoptr(ProvTestReply) first = prov_test_send_once(fixture, &spec, NULL);
	g_autofree gchar *old =
	    g_strdup(soup_message_headers_get_one(first->headers, "WWW-Authenticate"));
	g_autofree gchar *old_authorization = NULL;
	g_autofree gchar *made_up = prov_test_authorization(
	    "Digest realm=\"" REALM "\", nonce=\"1234567890\", qop=\"auth\"", "GET",
	    "/admin/resync", "admin", ADMIN_PASSWORD, 1);
	g_autoptr(ProvTestReply) reply = prov_test_send_once(fixture, &spec, made_up);

	prov_test_assert_challenge(reply, TRUE);
	prov_trigger_stop(PROV_TRIGGER(fixture->trigger));
	prov_test_start(fixture);
	old_authorization =
	    prov_test_authorization(old, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 1);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_send_once(fixture, &spec, old_authorization);
	prov_test_assert_challenge(reply, TRUE);
	prov_test_assert_requests(fixture, 0);
	/* stale only with the right password: a wrong one is not told that much */
	g_clear_pointer(&made_up, g_free);
	made_up = prov_test_authorization("Digest realm=\"" REALM
					  "\", nonce=\"1234567890\", qop=\"auth\"",
					  "GET", "/admin/resync", "admin", "wrong", 1);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_send_once(fixture, &spec, made_up);
	prov_test_assert_challenge(reply, FALSE);
}

/* RFC 2617 3.2.2.5: credentials for another URI are a bad request; broken ones too */
static void
prov_test_malformed_credentials(Fixture *fixture, gconstpointer data)
{
	ProvTestRequestSpec spec = {
	    "GET", "/admin/resync?tftp://192.0.2.1/a.cfg", NULL, NULL, -1, NULL, FALSE};
	g_autoptr(ProvTestReply) first = prov_test_send_once(fixture, &spec, NULL);
	const gchar *challenge = soup_message_headers_get_one(first->headers, "WWW-Authenticate");
	const gchar *uris[] = {"/admin/resync", "/admin/resync?tftp://192.0.2.1/b.cfg",
			       "/admin/reboot"};

	for (guint i = 0; i < G_N_ELEMENTS(uris); i++) {
		g_autofree gchar *authorization =
		    prov_test_authorization(challenge, "GET", uris[i], "admin", ADMIN_PASSWORD, 1);
		g_autoptr(ProvTestReply) reply = prov_test_send_once(fixture, &spec, authorization);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
	}
	{
		const gchar *broken[] = {
		    "Digest", "Digest username=\"admin\"",
		    "Digest username=admin, realm=\"" REALM
		    "\", nonce=\"x\", uri=\"/admin/resync?tftp://192.0.2.1/"
		    "a.cfg\", response=\"0\", qop=auth-int, nc=1, cnonce=\"c\""};

		for (guint i = 0; i < G_N_ELEMENTS(broken); i++) {
			g_autoptr(ProvTestReply) reply =
			    prov_test_send_once(fixture, &spec, broken[i]);

			g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
		}
	}
	/* Basic is not offered: it is a missing digest */
	{
		g_autoptr(ProvTestReply) reply =
		    prov_test_send_once(fixture, &spec, "Basic YWRtaW46czNjcmV0LWFkbWlu");

		prov_test_assert_challenge(reply, FALSE);
	}
	prov_test_assert_requests(fixture, 0);
}

/* R22: a browser's cross-site marks refuse the request, before any challenge */
static void
prov_test_cross_site(Fixture *fixture, gconstpointer data)
{
	g_autofree gchar *own_origin = g_strconcat("http://", fixture->authority, NULL);
	g_autofree gchar *own_referer = g_strconcat("http://", fixture->authority, "/admin/", NULL);
	const gchar *refused[][3] = {
	    {"Sec-Fetch-Site", "cross-site", NULL},
	    {"Sec-Fetch-Site", "same-site", NULL},
	    {"Origin", "http://evil.example", NULL},
	    {"Origin", "null", NULL},
	    {"Origin", "http://127.0.0.1:1", NULL},
	    {"Referer", "http://evil.example/page.html", NULL},
	    {"Referer", "not a url", NULL},
	};
	const gchar *accepted[][3] = {
	    {"Sec-Fetch-Site", "same-origin", NULL},
	    {"Sec-Fetch-Site", "none", NULL},
	    {"Origin", own_origin, NULL},
	    {"Referer", own_referer, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		ProvTestRequestSpec spec = {"GET", "/admin/resync", NULL, NULL,
					    -1,	   refused[i],	    FALSE};
		g_autoptr(ProvTestReply) reply =
		    prov_test_send(fixture, &spec, "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
		g_assert_true(g_str_has_prefix(reply->body, "cross-site request refused"));
		g_assert_null(soup_message_headers_get_one(reply->headers, "WWW-Authenticate"));
	}
	prov_test_assert_requests(fixture, 0);
	for (guint i = 0; i < G_N_ELEMENTS(accepted); i++) {
		ProvTestRequestSpec spec = {"GET", "/admin/resync", NULL, NULL,
					    -1,	   accepted[i],	    FALSE};
		g_autoptr(ProvTestReply) reply =
		    prov_test_send(fixture, &spec, "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	}
	prov_test_assert_requests(fixture, G_N_ELEMENTS(accepted));
	/* XML Execute is a form a page could post too */
	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	{
		g_autofree gchar *encoded = g_uri_escape_string(S6_OBJECT, NULL, FALSE);
		g_autofree gchar *body = g_strconcat("XML=", encoded, NULL);
		ProvTestRequestSpec spec = {
		    "POST",	"/CGI/Execute", "application/x-www-form-urlencoded", body, -1,
		    refused[0], FALSE};
		g_autoptr(ProvTestReply) reply = prov_test_send(fixture, &spec, NULL, NULL);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
	}
	prov_test_assert_requests(fixture, G_N_ELEMENTS(accepted));
}

/* reference 7.1: credentials in the query are refused, whatever the digest says */
static void
prov_test_url_credentials(Fixture *fixture, gconstpointer data)
{
	const gchar *targets[] = {
	    "/admin/resync?tftp://192.168.15.100/my_config.xml&xuser=admin&xpassword=admin",
	    "/admin/resync?tftp://h/c.xml%26XPASSWORD=admin",
	    "/admin/resync?xuser=admin",
	};

	for (guint i = 0; i < G_N_ELEMENTS(targets); i++) {
		g_autoptr(ProvTestReply) reply =
		    prov_test_get(fixture, targets[i], "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
		g_assert_nonnull(strstr(reply->body, "use HTTP digest authentication"));
	}
	{
		g_autoptr(ProvTestReply) reply = prov_test_get(
		    fixture, "/admin/resync?tftp://h/%00.cfg", "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
	}
	prov_test_assert_requests(fixture, 0);
}

static void
prov_test_gates(Fixture *fixture, gconstpointer data)
{
	const gchar *gates[] = {"Enable_Direct_Action_Url", "Enable_Web_Server"};

	for (guint i = 0; i < G_N_ELEMENTS(gates); i++) {
		g_autoptr(ProvTestReply) reply = NULL;

		prov_test_set(fixture, gates[i], "No");
		reply = prov_test_get(fixture, "/admin/resync", "admin", ADMIN_PASSWORD);
		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
		g_assert_nonnull(strstr(reply->body, gates[i]));
		g_clear_pointer(&reply, prov_test_reply_free);
		reply = prov_test_get(fixture, "/admin/reboot", "admin", ADMIN_PASSWORD);
		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
		prov_test_set(fixture, gates[i], "Yes");
	}
	prov_test_assert_requests(fixture, 0);
}

/* no built-in account: an empty Admin_Password refuses everything, said once in the log */
static void
prov_test_empty_admin_password(Fixture *fixture, gconstpointer data)
{
	const gchar *passwords[] = {"", "admin", "Admin"};
	guint warnings = prov_test_warnings;

	prov_test_set(fixture, "Admin_Password", "");
	for (guint round = 0; round < 3; round++) {
		for (guint i = 0; i < G_N_ELEMENTS(passwords); i++) {
			g_autoptr(ProvTestReply) reply =
			    prov_test_get(fixture, "/admin/resync", "admin", passwords[i]);

			g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
			g_assert_nonnull(strstr(reply->body, "Admin_Password is empty"));
			g_assert_null(
			    soup_message_headers_get_one(reply->headers, "WWW-Authenticate"));
		}
	}
	g_assert_cmpuint(prov_test_warnings, ==, warnings + 1);
	prov_test_assert_requests(fixture, 0);
	/* set again, it works; emptied again, the log says so again */
	prov_test_set(fixture, "Admin_Password", ADMIN_PASSWORD);
	g_clear_pointer(&fixture->authority, g_free);
	prov_trigger_stop(PROV_TRIGGER(fixture->trigger));
	prov_test_start(fixture);
	{
		g_autoptr(ProvTestReply) reply =
		    prov_test_get(fixture, "/admin/resync", "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	}
	prov_test_set(fixture, "Admin_Password", "");
	{
		g_autoptr(ProvTestReply) reply =
		    prov_test_get(fixture, "/admin/resync", NULL, NULL);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
	}
	g_assert_cmpuint(prov_test_warnings, ==, warnings + 2);
}

static void
prov_test_methods_and_paths(Fixture *fixture, gconstpointer data)
{
	static const struct {
		const gchar *method;
		const gchar *target;
		guint status;
		const gchar *allow;
	} cases[] = {
	    {"POST", "/admin/resync", SOUP_STATUS_METHOD_NOT_ALLOWED, "GET"},
	    {"HEAD", "/admin/resync", SOUP_STATUS_METHOD_NOT_ALLOWED, "GET"},
	    {"PUT", "/admin/reboot", SOUP_STATUS_METHOD_NOT_ALLOWED, "GET"},
	    {"GET", "/CGI/Execute", SOUP_STATUS_METHOD_NOT_ALLOWED, "POST"},
	    {"GET", "/", SOUP_STATUS_NOT_FOUND, NULL},
	    {"GET", "/admin/resync/", SOUP_STATUS_NOT_FOUND, NULL},
	    {"GET", "/ADMIN/RESYNC", SOUP_STATUS_NOT_FOUND, NULL},
	    {"GET", "/admin/upgrade?http://h/fw.bin", SOUP_STATUS_NOT_IMPLEMENTED, NULL},
	    {"GET", "/upgrade?http://h/fw.bin", SOUP_STATUS_NOT_IMPLEMENTED, NULL},
	    {"POST", "/admin/config.xml", SOUP_STATUS_NOT_IMPLEMENTED, NULL},
	    {"GET", "/cfg.xml", SOUP_STATUS_NOT_IMPLEMENTED, NULL},
	    {"GET", "/admin/cfg.xml", SOUP_STATUS_NOT_IMPLEMENTED, NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		ProvTestRequestSpec spec = {
		    cases[i].method, cases[i].target, NULL, NULL, -1, NULL, FALSE};
		g_autoptr(ProvTestReply) reply =
		    prov_test_send(fixture, &spec, "admin", ADMIN_PASSWORD);

		g_assert_cmpuint(reply->status, ==, cases[i].status);
		g_assert_cmpstr(soup_message_headers_get_one(reply->headers, "Allow"), ==,
				cases[i].allow);
	}
	prov_test_assert_requests(fixture, 0);
}

/* R23: the cap holds before the body is read; an unknown length is refused */
static void
prov_test_body_caps(Fixture *fixture, gconstpointer data)
{
	g_autofree gchar *big = g_strnfill(PROV_HTTP_TRIGGER_DEFAULT_MAX_BODY_SIZE + 1, 'a');
	ProvTestRequestSpec oversized = {"POST", "/CGI/Execute", "text/xml", big, -1, NULL, FALSE};
	ProvTestRequestSpec chunked = {"POST", "/CGI/Execute", "text/xml", S6_OBJECT,
				       -1,     NULL,	       TRUE};
	ProvTestRequestSpec get_body = {"GET", "/admin/resync", "text/plain", big, -1, NULL, FALSE};
	g_autoptr(ProvTestReply) reply = NULL;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	reply = prov_test_send(fixture, &oversized, NULL, NULL);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_send(fixture, &chunked, NULL, NULL);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_LENGTH_REQUIRED);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_send(fixture, &get_body, "admin", ADMIN_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
	prov_test_assert_requests(fixture, 0);
}

/* MaxBodySize sets the cap */
static void
prov_test_body_cap_setting(void)
{
	g_autoptr(ProvTestHost) host = prov_test_host_new("[http-trigger]\nListen=127.0.0.1:0\n"
							  "MaxBodySize=256\n"
							  "[parameters]\nCISCO_XML_EXE_Enable=Yes\n"
							  "CISCO_XML_EXE_Auth_Mode=Trusted\n");
	Fixture fixture = {host, prov_http_trigger_new(), soup_session_new(), NULL};
	g_autoptr(ProvTestReply) reply = NULL;
	g_autoptr(GString) body = g_string_new(S6_OBJECT);

	prov_test_start(&fixture);
	reply = prov_test_post_form(&fixture, S6_OBJECT, NULL, NULL);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	while (body->len <= 256)
		g_string_append(body, "<!-- padding -->");
	{
		ProvTestRequestSpec spec = {"POST", "/CGI/Execute", "text/xml", body->str,
					    -1,	    NULL,	    FALSE};

		g_clear_pointer(&reply, prov_test_reply_free);
		reply = prov_test_send(&fixture, &spec, NULL, NULL);
		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
	}
	g_assert_cmpuint(host->requests->len, ==, 1);
	prov_trigger_stop(PROV_TRIGGER(fixture.trigger));
	g_object_unref(fixture.trigger);
	g_object_unref(fixture.session);
	g_free(fixture.authority);
	g_ptr_array_set_size(prov_test_logs, 0);
}

/* R23: the engine's refusals become HTTP statuses; 503 says when to retry */
static void
prov_test_engine_refusals(Fixture *fixture, gconstpointer data)
{
	static const struct {
		ProvError code;
		guint status;
	} cases[] = {
	    {PROV_ERROR_LIMIT_EXCEEDED, SOUP_STATUS_SERVICE_UNAVAILABLE},
	    {PROV_ERROR_DISABLED, SOUP_STATUS_FORBIDDEN},
	    {PROV_ERROR_INVALID_ARGUMENT, SOUP_STATUS_BAD_REQUEST},
	    {PROV_ERROR_RULE_SYNTAX, SOUP_STATUS_BAD_REQUEST},
	    {PROV_ERROR_FAILED, SOUP_STATUS_INTERNAL_SERVER_ERROR},
	};

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvTestReply) functional = NULL;
		g_autoptr(ProvTestReply) execute = NULL;
		const gchar *retry =
		    cases[i].status == SOUP_STATUS_SERVICE_UNAVAILABLE ? "1" : NULL;

		g_clear_error(&fixture->host->refusal);
		fixture->host->refusal = g_error_new_literal(PROV_ERROR, cases[i].code, "refused");
		functional =
		    prov_test_get(fixture, "/admin/resync?tftp://h/a.cfg", "admin", ADMIN_PASSWORD);
		g_assert_cmpuint(functional->status, ==, cases[i].status);
		g_assert_cmpstr(functional->body, ==, "refused\n");
		g_assert_cmpstr(soup_message_headers_get_one(functional->headers, "Retry-After"),
				==, retry);
		execute = prov_test_post_form(fixture, S6_OBJECT, NULL, NULL);
		g_assert_cmpuint(execute->status, ==, cases[i].status);
		g_assert_nonnull(
		    strstr(execute->body, "<ResponseItem Status=\"6\" Data=\"refused\""));
		g_assert_cmpstr(soup_message_headers_get_one(execute->headers, "Retry-After"), ==,
				retry);
	}
	g_clear_error(&fixture->host->refusal);
	prov_test_assert_requests(fixture, 0);
}

/* ---- XML Execute (reference 7.2) ---- */

static void
prov_test_execute_disabled(Fixture *fixture, gconstpointer data)
{
	const gchar *modes[] = {"Trusted", "Local Credential", "Remote Credential"};

	prov_test_set(fixture, "User_Password", USER_PASSWORD);
	for (guint i = 0; i < G_N_ELEMENTS(modes); i++) {
		g_autoptr(ProvTestReply) reply = NULL;

		prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", modes[i]);
		reply = prov_test_post_form(fixture, S6_OBJECT, "user", USER_PASSWORD);
		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
		g_assert_nonnull(strstr(reply->body, "CISCO_XML_EXE_Enable"));
	}
	prov_test_assert_requests(fixture, 0);
}

/* S-6 in Trusted mode: form and raw body, quoted and unquoted; a warning, once */
static void
prov_test_execute_trusted(Fixture *fixture, gconstpointer data)
{
	const gchar *objects[] = {
	    S6_OBJECT,
	    "<CP-xxxx-3PCCExecute>\n  <ExecuteItem URL=Resync:tftp://192.168.1.200/ata$MA.cfg/>\n"
	    "</CP-xxxx-3PCCExecute>\n",
	};
	guint warnings = prov_test_warnings;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	for (guint i = 0; i < G_N_ELEMENTS(objects); i++) {
		g_autoptr(ProvTestReply) form =
		    prov_test_post_form(fixture, objects[i], NULL, NULL);
		ProvTestRequestSpec raw = {
		    "POST", "/CGI/Execute", "text/xml; charset=utf-8", objects[i], -1, NULL, FALSE};
		g_autoptr(ProvTestReply) reply = prov_test_send(fixture, &raw, NULL, NULL);
		ProvTestReply *replies[] = {form, reply};

		for (guint j = 0; j < G_N_ELEMENTS(replies); j++) {
			ProvTestRequest *request;

			g_assert_cmpuint(replies[j]->status, ==, SOUP_STATUS_OK);
			g_assert_cmpstr(
			    soup_message_headers_get_content_type(replies[j]->headers, NULL), ==,
			    "text/xml");
			g_assert_cmpstr(replies[j]->body, ==,
					"<CiscoIPPhoneResponse>\n"
					"<ResponseItem Status=\"0\" Data=\"Success\" "
					"URL=\"Resync:tftp://192.168.1.200/ata$MA.cfg\"/>\n"
					"</CiscoIPPhoneResponse>\n");
			g_assert_cmpuint(fixture->host->requests->len, >=, 1);
			request = g_ptr_array_steal_index(fixture->host->requests, 0);
			g_assert_cmpint(request->action, ==, PROV_TRIGGER_ACTION_RESYNC);
			g_assert_cmpstr(request->argument, ==, "tftp://192.168.1.200/ata$MA.cfg");
			prov_test_request_free(request);
		}
	}
	g_assert_cmpuint(prov_test_warnings, ==, warnings + 1);
}

/* Local Credential: the user account, or the admin; a 401 with Number 4 when wrong */
static void
prov_test_execute_local(Fixture *fixture, gconstpointer data)
{
	g_autoptr(ProvTestReply) reply = NULL;
	ProvTestRequest *request;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Local Credential");
	/* R21 and no built-in account: unlike MPP, an empty user password is no way in */
	reply = prov_test_post_form(fixture, S6_OBJECT, NULL, NULL);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
	g_assert_nonnull(strstr(reply->body, "User_Password is empty"));
	g_clear_pointer(&reply, prov_test_reply_free);
	prov_test_set(fixture, "User_Password", USER_PASSWORD);

	reply = prov_test_post_form(fixture, S6_OBJECT, NULL, NULL);
	prov_test_assert_challenge(reply, FALSE);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "user", "wrong");
	prov_test_assert_challenge(reply, FALSE);
	g_assert_cmpstr(reply->body, ==, "<CiscoIPPhoneError Number=\"4\"/>\n");
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "admin", USER_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	prov_test_assert_requests(fixture, 0);

	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "user", USER_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	request = prov_test_take_request(fixture);
	g_assert_cmpstr(request->argument, ==, "tftp://192.168.1.200/ata$MA.cfg");
	prov_test_request_free(request);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "admin", ADMIN_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	prov_test_request_free(prov_test_take_request(fixture));
	/* the XML account is not this mode's */
	prov_test_set(fixture, "XML_User_Name", "xmlapp");
	prov_test_set(fixture, "XML_Password", XML_PASSWORD);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "xmlapp", XML_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	prov_test_assert_requests(fixture, 0);
}

static void
prov_test_execute_remote(Fixture *fixture, gconstpointer data)
{
	g_autoptr(ProvTestReply) reply = NULL;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Remote Credential");
	prov_test_set(fixture, "User_Password", USER_PASSWORD);
	prov_test_set(fixture, "XML_User_Name", "xmlapp");
	reply = prov_test_post_form(fixture, S6_OBJECT, "xmlapp", "");
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
	g_assert_nonnull(strstr(reply->body, "XML_Password is empty"));
	g_clear_pointer(&reply, prov_test_reply_free);
	prov_test_set(fixture, "XML_Password", XML_PASSWORD);
	reply = prov_test_post_form(fixture, S6_OBJECT, "user", USER_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "xmlapp", ADMIN_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	prov_test_assert_requests(fixture, 0);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, S6_OBJECT, "xmlapp", XML_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	prov_test_request_free(prov_test_take_request(fixture));
}

/* R21: an item outside the allow-list refuses the object; nothing of it acts */
static void
prov_test_execute_refused(Fixture *fixture, gconstpointer data)
{
	static const struct {
		const gchar *object;
		const gchar *body;
	} cases[] = {
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:tftp://h/a.cfg\"/>"
	     "<ExecuteItem URL=\"Key:Hold\"/></CiscoIPPhoneExecute>",
	     "<CiscoIPPhoneResponse>\n<ResponseItem Status=\"6\" Data=\"1:64: ExecuteItem 2: URL "
	     "&quot;Key:Hold&quot; is refused: Key: is a phone user-interface action and "
	     "provisiond has no user interface; only Resync:[rule] and Reboot act\" "
	     "URL=\"Key:Hold\"/>\n</CiscoIPPhoneResponse>\n"},
	    {"<CiscoIPPhoneExecute><ExecuteItem URL=\"Resync:tftp://h/a.cfg\">",
	     "<CiscoIPPhoneError Number=\"1\"/>\n"},
	    {"<flat-profile><GPP_A>1</GPP_A></flat-profile>",
	     "<CiscoIPPhoneError Number=\"1\"/>\n"},
	    {"", "<CiscoIPPhoneError Number=\"1\"/>\n"},
	};
	const gchar *bodies[] = {"xml=<x/>", "XML", "", "XML=%3CCiscoIPPhoneExecute%00"};

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvTestReply) reply =
		    prov_test_post_form(fixture, cases[i].object, NULL, NULL);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
		g_assert_cmpstr(reply->body, ==, cases[i].body);
	}
	/* a form without its XML field */
	for (guint i = 0; i < G_N_ELEMENTS(bodies); i++) {
		ProvTestRequestSpec spec = {
		    "POST", "/CGI/Execute", "application/x-www-form-urlencoded", bodies[i], -1,
		    NULL,   FALSE};
		g_autoptr(ProvTestReply) reply = prov_test_send(fixture, &spec, NULL, NULL);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
	}
	{
		ProvTestRequestSpec nul = {"POST",	   "/CGI/Execute",    "text/xml",
					   S6_OBJECT "\0", sizeof(S6_OBJECT), NULL,
					   FALSE};
		ProvTestRequestSpec json = {"POST", "/CGI/Execute", "application/json", "{}", -1,
					    NULL,   FALSE};
		ProvTestRequestSpec none = {"POST", "/CGI/Execute", NULL, NULL, -1, NULL, FALSE};
		g_autoptr(ProvTestReply) reply = prov_test_send(fixture, &nul, NULL, NULL);
		g_autoptr(ProvTestReply) json_reply = prov_test_send(fixture, &json, NULL, NULL);
		g_autoptr(ProvTestReply) none_reply = prov_test_send(fixture, &none, NULL, NULL);

		g_assert_cmpuint(reply->status, ==, SOUP_STATUS_BAD_REQUEST);
		g_assert_cmpuint(json_reply->status, ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
		g_assert_cmpuint(none_reply->status, ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
	}
	prov_test_assert_requests(fixture, 0);
}

/* reference 7.2: Reboot needs the admin account, Trusted or not; then every item acts */
static void
prov_test_execute_reboot(Fixture *fixture, gconstpointer data)
{
	const gchar *object = "<CiscoIPPhoneExecute>"
			      "<ExecuteItem URL=\"Resync:tftp://h/a.cfg\"/>"
			      "<ExecuteItem Priority=\"1\" URL=\"Reboot\"/>"
			      "</CiscoIPPhoneExecute>";
	g_autoptr(ProvTestReply) reply = NULL;
	ProvTestRequest *request;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	reply = prov_test_post_form(fixture, object, NULL, NULL);
	prov_test_assert_challenge(reply, FALSE);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, object, "user", USER_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	prov_test_assert_requests(fixture, 0);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, object, "admin", ADMIN_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	g_assert_nonnull(strstr(reply->body, "<ResponseItem Status=\"0\" Data=\"Success\" "
					     "URL=\"Resync:tftp://h/a.cfg\"/>\n"
					     "<ResponseItem Status=\"0\" Data=\"Success\" "
					     "URL=\"Reboot\"/>"));
	prov_test_assert_requests(fixture, 2);
	request = g_ptr_array_index(fixture->host->requests, 0);
	g_assert_cmpint(request->action, ==, PROV_TRIGGER_ACTION_RESYNC);
	request = g_ptr_array_index(fixture->host->requests, 1);
	g_assert_cmpint(request->action, ==, PROV_TRIGGER_ACTION_REBOOT);
	g_ptr_array_set_size(fixture->host->requests, 0);

	/* the user account may resync, not reboot */
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Local Credential");
	prov_test_set(fixture, "User_Password", USER_PASSWORD);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, object, "user", USER_PASSWORD);
	prov_test_assert_challenge(reply, FALSE);
	prov_test_assert_requests(fixture, 0);
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, object, "admin", ADMIN_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_OK);
	prov_test_assert_requests(fixture, 2);
	g_ptr_array_set_size(fixture->host->requests, 0);

	/* no admin password: no reboot at all */
	prov_test_set(fixture, "Admin_Password", "");
	g_clear_pointer(&reply, prov_test_reply_free);
	reply = prov_test_post_form(fixture, object, "user", USER_PASSWORD);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_FORBIDDEN);
	prov_test_assert_requests(fixture, 0);
}

/* a failing item stops the rest; the answer says which ran */
static void
prov_test_execute_partial(Fixture *fixture, gconstpointer data)
{
	g_autoptr(ProvTestReply) reply = NULL;

	prov_test_set(fixture, "CISCO_XML_EXE_Enable", "Yes");
	prov_test_set(fixture, "CISCO_XML_EXE_Auth_Mode", "Trusted");
	fixture->host->refusal =
	    g_error_new_literal(PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED, "too many");
	reply = prov_test_post_form(fixture,
				    "<CiscoIPPhoneExecute>"
				    "<ExecuteItem URL=\"Resync:tftp://h/a.cfg\"/>"
				    "<ExecuteItem URL=\"Resync:tftp://h/b.cfg\"/>"
				    "</CiscoIPPhoneExecute>",
				    NULL, NULL);
	g_assert_cmpuint(reply->status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
	g_assert_cmpstr(
	    reply->body, ==,
	    "<CiscoIPPhoneResponse>\n"
	    "<ResponseItem Status=\"6\" Data=\"too many\" URL=\"Resync:tftp://h/a.cfg\"/>\n"
	    "<ResponseItem Status=\"6\" Data=\"not executed: an earlier item failed\" "
	    "URL=\"Resync:tftp://h/b.cfg\"/>\n"
	    "</CiscoIPPhoneResponse>\n");
	g_clear_error(&fixture->host->refusal);
	prov_test_assert_requests(fixture, 0);
}

/* ---- the digest checker alone ---- */

static void
prov_test_digest_table(void)
{
	g_autoptr(ProvHttpDigest) digest = prov_http_digest_new(REALM);
	ProvHttpDigestAccount admin = {"admin", ADMIN_PASSWORD};
	gint64 now = 1000 * G_USEC_PER_SEC;
	g_autofree gchar *first = prov_http_digest_build_challenge(digest, FALSE, now);
	g_autofree gchar *first_authorization =
	    prov_test_authorization(first, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 1);
	guint index = 99;

	g_assert_cmpint(prov_http_digest_verify(digest, first_authorization, "GET", "/admin/resync",
						&admin, 1, now, &index),
			==, PROV_HTTP_DIGEST_RESULT_OK);
	g_assert_cmpuint(index, ==, 0);
	/* expiry: the lifetime, not a moment longer */
	{
		g_autofree gchar *challenge = prov_http_digest_build_challenge(digest, FALSE, now);
		g_autofree gchar *authorization = prov_test_authorization(
		    challenge, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 1);

		g_assert_cmpint(
		    prov_http_digest_verify(digest, authorization, "GET", "/admin/resync", &admin,
					    1, now + PROV_HTTP_DIGEST_NONCE_LIFETIME + 1, NULL),
		    ==, PROV_HTTP_DIGEST_RESULT_STALE);
		g_assert_cmpint(
		    prov_http_digest_verify(digest, authorization, "GET", "/admin/resync", &admin,
					    1, now + PROV_HTTP_DIGEST_NONCE_LIFETIME, NULL),
		    ==, PROV_HTTP_DIGEST_RESULT_OK);
	}
	/* a full table: the oldest nonce goes stale rather than replayable */
	for (guint i = 0; i < PROV_HTTP_DIGEST_TRACKED_MAX; i++) {
		g_autofree gchar *challenge = prov_http_digest_build_challenge(digest, FALSE, now);
		g_autofree gchar *authorization = prov_test_authorization(
		    challenge, "GET", "/admin/resync", "admin", ADMIN_PASSWORD, 1);

		g_assert_cmpint(prov_http_digest_verify(digest, authorization, "GET",
							"/admin/resync", &admin, 1, now, NULL),
				==, PROV_HTTP_DIGEST_RESULT_OK);
	}
	{
		g_autofree gchar *again = prov_test_authorization(first, "GET", "/admin/resync",
								  "admin", ADMIN_PASSWORD, 2);

		g_assert_cmpint(prov_http_digest_verify(digest, again, "GET", "/admin/resync",
							&admin, 1, now, NULL),
				==, PROV_HTTP_DIGEST_RESULT_STALE);
	}
	g_assert_cmpint(prov_http_digest_verify(digest, NULL, "GET", "/", &admin, 1, now, NULL), ==,
			PROV_HTTP_DIGEST_RESULT_MISSING);
	/* an empty password never matches, even computed with an empty password */
	{
		ProvHttpDigestAccount empty = {"admin", ""};
		g_autofree gchar *challenge = prov_http_digest_build_challenge(digest, FALSE, now);
		g_autofree gchar *authorization =
		    prov_test_authorization(challenge, "GET", "/admin/resync", "admin", "", 1);

		g_assert_cmpint(prov_http_digest_verify(digest, authorization, "GET",
							"/admin/resync", &empty, 1, now, NULL),
				==, PROV_HTTP_DIGEST_RESULT_WRONG);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_logs = g_ptr_array_new_with_free_func(g_free);
	g_log_set_writer_func(prov_test_writer, NULL, NULL);

	g_test_add_func("/prov/http-trigger/config/errors", prov_test_config_errors);
	g_test_add("/prov/http-trigger/config/address-in-use", Fixture, NULL, prov_test_setup,
		   prov_test_config_address_in_use, prov_test_teardown);
	g_test_add_func("/prov/http-trigger/config/ipv6", prov_test_config_ipv6);
	g_test_add_func("/prov/http-trigger/config/max-body-size", prov_test_body_cap_setting);
	g_test_add("/prov/http-trigger/stop-restart", Fixture, NULL, prov_test_setup,
		   prov_test_stop_restart, prov_test_teardown);
	g_test_add("/prov/http-trigger/resync", Fixture, NULL, prov_test_setup, prov_test_resync,
		   prov_test_teardown);
	g_test_add("/prov/http-trigger/reboot", Fixture, NULL, prov_test_setup, prov_test_reboot,
		   prov_test_teardown);
	g_test_add("/prov/http-trigger/wrong-credentials", Fixture, NULL, prov_test_setup,
		   prov_test_wrong_credentials, prov_test_teardown);
	g_test_add("/prov/http-trigger/replay", Fixture, NULL, prov_test_setup, prov_test_replay,
		   prov_test_teardown);
	g_test_add("/prov/http-trigger/stale", Fixture, NULL, prov_test_setup, prov_test_stale,
		   prov_test_teardown);
	g_test_add("/prov/http-trigger/malformed-credentials", Fixture, NULL, prov_test_setup,
		   prov_test_malformed_credentials, prov_test_teardown);
	g_test_add("/prov/http-trigger/cross-site", Fixture, NULL, prov_test_setup,
		   prov_test_cross_site, prov_test_teardown);
	g_test_add("/prov/http-trigger/url-credentials", Fixture, NULL, prov_test_setup,
		   prov_test_url_credentials, prov_test_teardown);
	g_test_add("/prov/http-trigger/gates", Fixture, NULL, prov_test_setup, prov_test_gates,
		   prov_test_teardown);
	g_test_add("/prov/http-trigger/empty-admin-password", Fixture, NULL, prov_test_setup,
		   prov_test_empty_admin_password, prov_test_teardown);
	g_test_add("/prov/http-trigger/methods-and-paths", Fixture, NULL, prov_test_setup,
		   prov_test_methods_and_paths, prov_test_teardown);
	g_test_add("/prov/http-trigger/body-caps", Fixture, NULL, prov_test_setup,
		   prov_test_body_caps, prov_test_teardown);
	g_test_add("/prov/http-trigger/engine-refusals", Fixture, NULL, prov_test_setup,
		   prov_test_engine_refusals, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/disabled", Fixture, NULL, prov_test_setup,
		   prov_test_execute_disabled, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/trusted", Fixture, NULL, prov_test_setup,
		   prov_test_execute_trusted, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/local", Fixture, NULL, prov_test_setup,
		   prov_test_execute_local, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/remote", Fixture, NULL, prov_test_setup,
		   prov_test_execute_remote, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/refused", Fixture, NULL, prov_test_setup,
		   prov_test_execute_refused, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/reboot", Fixture, NULL, prov_test_setup,
		   prov_test_execute_reboot, prov_test_teardown);
	g_test_add("/prov/http-trigger/execute/partial", Fixture, NULL, prov_test_setup,
		   prov_test_execute_partial, prov_test_teardown);
	g_test_add_func("/prov/http-trigger/digest/table", prov_test_digest_table);
	return g_test_run();
}
