/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Unit tests of the http transport against servers in the test process: a
 * SoupServer for well-behaved answers, and a raw socket server for what
 * no well-behaved server sends (short bodies, stalls, drips). Timeouts are
 * configured to a second and the servers are driven by the main loop; no
 * test sleeps.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <prov-error.h>
#include <string.h>

#include "prov-http-transport.h"
#include "prov-soup-common.h"
#include "prov-soup-test-common.h"

#define PROV_TEST_USER_AGENT "Cisco-ATA192-MPP/11.0 (000e08abcdef)(88012BA01234)"
#define PROV_TEST_BASIC	     "<flat-profile><GPP_A> 12345678\n  </GPP_A></flat-profile>\n"

typedef struct {
	SoupServer *server;
	guint16 port;
	ProvTransport *transport;
	ProvFetchContext *ctx;
	gchar *cache_dir;
	/* what the server saw */
	guint requests;
	gchar *method;
	gchar *user_agent;
	gchar *accept;
	gchar *accept_encoding;
	gchar *if_none_match;
	gchar *if_modified_since;
	gchar *content_type;
	gchar *body;
	gchar *authorization;
	/* what the server serves */
	gchar *etag;
	gchar *profile;
	guint redirect_hops;
	guint16 other_port;
} ProvTestFixture;

static gchar *
prov_test_url(ProvTestFixture *fixture, const gchar *path)
{
	return g_strdup_printf("http://127.0.0.1:%u%s", fixture->port, path);
}

/* every request, including those an auth domain turns away before the handler */
static void
prov_test_request_read_cb(SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
	ProvTestFixture *fixture = user_data;
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	SoupMessageBody *body = soup_server_message_get_request_body(msg);

	fixture->requests++;
	g_free(fixture->method);
	fixture->method = g_strdup(soup_server_message_get_method(msg));
	g_free(fixture->user_agent);
	fixture->user_agent = g_strdup(soup_message_headers_get_one(headers, "User-Agent"));
	g_free(fixture->accept);
	fixture->accept = g_strdup(soup_message_headers_get_one(headers, "Accept"));
	g_free(fixture->accept_encoding);
	fixture->accept_encoding =
	    g_strdup(soup_message_headers_get_one(headers, "Accept-Encoding"));
	g_free(fixture->if_none_match);
	fixture->if_none_match = g_strdup(soup_message_headers_get_one(headers, "If-None-Match"));
	g_free(fixture->if_modified_since);
	fixture->if_modified_since =
	    g_strdup(soup_message_headers_get_one(headers, "If-Modified-Since"));
	g_free(fixture->content_type);
	fixture->content_type = g_strdup(soup_message_headers_get_one(headers, "Content-Type"));
	g_free(fixture->authorization);
	fixture->authorization = g_strdup(soup_message_headers_get_one(headers, "Authorization"));
	g_free(fixture->body);
	fixture->body = body->length > 0 ? g_strndup(body->data, body->length) : NULL;
}

static void
prov_test_serve(SoupServerMessage *msg, guint status, const gchar *text)
{
	soup_server_message_set_status(msg, status, NULL);
	if (text != NULL)
		soup_server_message_set_response(msg, "text/plain", SOUP_MEMORY_COPY, text,
						 strlen(text));
}

static void
prov_test_handler_cb(SoupServer *server,
		     SoupServerMessage *msg,
		     const gchar *path,
		     GHashTable *query,
		     gpointer user_data)
{
	ProvTestFixture *fixture = user_data;
	SoupMessageHeaders *response = soup_server_message_get_response_headers(msg);

	if (g_str_equal(path, "/basic.txt") || g_str_has_prefix(path, "/auth/")) {
		prov_test_serve(msg, SOUP_STATUS_OK, PROV_TEST_BASIC);
	} else if (g_str_equal(path, "/missing.cfg")) {
		prov_test_serve(msg, SOUP_STATUS_NOT_FOUND, "not here");
	} else if (g_str_equal(path, "/gone.cfg")) {
		prov_test_serve(msg, SOUP_STATUS_GONE, "gone");
	} else if (g_str_equal(path, "/error.cfg")) {
		prov_test_serve(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "oops");
	} else if (g_str_equal(path, "/forbidden.cfg")) {
		prov_test_serve(msg, SOUP_STATUS_FORBIDDEN, "no");
	} else if (g_str_equal(path, "/empty.cfg")) {
		soup_server_message_set_status(msg, SOUP_STATUS_NO_CONTENT, NULL);
	} else if (g_str_equal(path, "/etag.cfg")) {
		if (g_strcmp0(fixture->if_none_match, fixture->etag) == 0) {
			soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
			soup_message_headers_replace(response, "ETag", fixture->etag);
			return;
		}
		soup_message_headers_replace(response, "ETag", fixture->etag);
		prov_test_serve(msg, SOUP_STATUS_OK, fixture->profile);
	} else if (g_str_equal(path, "/dated.cfg")) {
		if (g_strcmp0(fixture->if_modified_since, "Tue, 01 Apr 2025 10:00:00 GMT") == 0) {
			soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
			return;
		}
		soup_message_headers_replace(response, "Last-Modified",
					     "Tue, 01 Apr 2025 10:00:00 GMT");
		prov_test_serve(msg, SOUP_STATUS_OK, fixture->profile);
	} else if (g_str_equal(path, "/plain.cfg")) {
		prov_test_serve(msg, SOUP_STATUS_OK, fixture->profile);
	} else if (g_str_equal(path, "/bogus-304.cfg")) {
		soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
	} else if (g_str_has_prefix(path, "/hop/")) {
		guint64 left = g_ascii_strtoull(path + strlen("/hop/"), NULL, 10);
		g_autofree gchar *next = NULL;

		if (left == 0) {
			prov_test_serve(msg, SOUP_STATUS_OK, PROV_TEST_BASIC);
			return;
		}
		/* relative locations, as servers often send them */
		next = g_strdup_printf("/hop/%" G_GUINT64_FORMAT, left - 1);
		soup_server_message_set_redirect(
		    msg, left % 2 == 0 ? SOUP_STATUS_FOUND : SOUP_STATUS_MOVED_PERMANENTLY, next);
	} else if (g_str_equal(path, "/see-other")) {
		soup_server_message_set_redirect(msg, SOUP_STATUS_SEE_OTHER, "/basic.txt");
	} else if (g_str_equal(path, "/temporary")) {
		soup_server_message_set_redirect(msg, SOUP_STATUS_TEMPORARY_REDIRECT, "/echo");
	} else if (g_str_equal(path, "/echo")) {
		prov_test_serve(msg, SOUP_STATUS_OK, fixture->body != NULL ? fixture->body : "");
	} else if (g_str_equal(path, "/to-tftp")) {
		soup_server_message_set_redirect(msg, SOUP_STATUS_FOUND,
						 "tftp://127.0.0.1/basic.txt");
	} else if (g_str_equal(path, "/to-file")) {
		soup_server_message_set_redirect(msg, SOUP_STATUS_FOUND, "file:///etc/passwd");
	} else if (g_str_equal(path, "/to-userinfo")) {
		g_autofree gchar *location =
		    g_strdup_printf("http://user:secret@127.0.0.1:%u/basic.txt", fixture->port);

		soup_server_message_set_redirect(msg, SOUP_STATUS_FOUND, location);
	} else if (g_str_equal(path, "/to-other-host")) {
		/* the same server under another name: credentials must not follow */
		g_autofree gchar *location =
		    g_strdup_printf("http://localhost:%u/auth/basic.txt", fixture->port);

		soup_server_message_set_redirect(msg, SOUP_STATUS_FOUND, location);
	} else if (g_str_equal(path, "/no-location")) {
		soup_server_message_set_status(msg, SOUP_STATUS_FOUND, NULL);
	} else if (g_str_equal(path, "/upload")) {
		if (g_str_equal(fixture->method, "GET")) {
			prov_test_serve(msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
			return;
		}
		soup_server_message_set_status(
		    msg, g_str_equal(fixture->method, "PUT") ? SOUP_STATUS_CREATED : SOUP_STATUS_OK,
		    NULL);
	} else if (g_str_equal(path, "/big")) {
		g_autofree gchar *big = g_strnfill(100000, 'x');

		prov_test_serve(msg, SOUP_STATUS_OK, big);
	} else if (g_str_equal(path, "/big-chunked")) {
		g_autofree gchar *big = g_strnfill(100000, 'y');

		soup_message_headers_set_encoding(response, SOUP_ENCODING_CHUNKED);
		soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
		soup_message_body_append(soup_server_message_get_response_body(msg),
					 SOUP_MEMORY_COPY, big, strlen(big));
		soup_message_body_complete(soup_server_message_get_response_body(msg));
	} else {
		prov_test_serve(msg, SOUP_STATUS_NOT_FOUND, NULL);
	}
}

static gboolean
prov_test_basic_auth_cb(SoupAuthDomain *domain,
			SoupServerMessage *msg,
			const gchar *username,
			const gchar *password,
			gpointer user_data)
{
	return g_str_equal(username, "device") && g_str_equal(password, "s3cret#[x]");
}

static gchar *
prov_test_digest_auth_cb(SoupAuthDomain *domain,
			 SoupServerMessage *msg,
			 const gchar *username,
			 gpointer user_data)
{
	if (!g_str_equal(username, "device"))
		return NULL;
	return soup_auth_domain_digest_encode_password(username, "provisioning", "s3cret#[x]");
}

static void
prov_test_fixture_set_up(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(SoupAuthDomain) basic = NULL;
	g_autoptr(SoupAuthDomain) digest = NULL;
	g_autoptr(GError) error = NULL;

	fixture->server = soup_server_new(NULL, NULL);
	soup_server_add_handler(fixture->server, NULL, prov_test_handler_cb, fixture, NULL);
	g_signal_connect(fixture->server, "request-read", G_CALLBACK(prov_test_request_read_cb),
			 fixture);
	basic = soup_auth_domain_basic_new("realm", "provisioning", NULL);
	soup_auth_domain_basic_set_auth_callback(basic, prov_test_basic_auth_cb, NULL, NULL);
	soup_auth_domain_add_path(basic, "/auth/basic");
	soup_server_add_auth_domain(fixture->server, basic);
	digest = soup_auth_domain_digest_new("realm", "provisioning", NULL);
	soup_auth_domain_digest_set_auth_callback(digest, prov_test_digest_auth_cb, NULL, NULL);
	soup_auth_domain_add_path(digest, "/auth/digest");
	soup_server_add_auth_domain(fixture->server, digest);
	fixture->port = prov_soup_test_server_listen(fixture->server, FALSE);
	fixture->transport = PROV_TRANSPORT(prov_http_transport_new());
	fixture->ctx = prov_fetch_context_new();
	prov_fetch_context_set_user_agent(fixture->ctx, PROV_TEST_USER_AGENT);
	fixture->cache_dir = g_dir_make_tmp("prov-http-test-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->etag = g_strdup("\"v1\"");
	fixture->profile = g_strdup(PROV_TEST_BASIC);
}

static void
prov_test_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			prov_test_remove_tree(child);
		else
			g_unlink(child);
	}
	g_rmdir(path);
}

static void
prov_test_fixture_tear_down(ProvTestFixture *fixture, gconstpointer data)
{
	soup_server_disconnect(fixture->server);
	g_object_unref(fixture->server);
	/* the server's client connections finish closing in idle callbacks */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_object_unref(fixture->transport);
	g_object_unref(fixture->ctx);
	prov_test_remove_tree(fixture->cache_dir);
	g_free(fixture->cache_dir);
	g_free(fixture->method);
	g_free(fixture->user_agent);
	g_free(fixture->accept);
	g_free(fixture->accept_encoding);
	g_free(fixture->if_none_match);
	g_free(fixture->if_modified_since);
	g_free(fixture->content_type);
	g_free(fixture->body);
	g_free(fixture->authorization);
	g_free(fixture->etag);
	g_free(fixture->profile);
}

static GBytes *
prov_test_fetch(ProvTestFixture *fixture, const gchar *path, GError **error)
{
	g_autofree gchar *url = prov_test_url(fixture, path);

	return prov_soup_test_fetch(fixture->transport, url, fixture->ctx, NULL, error);
}

static void
prov_test_assert_text(GBytes *bytes, const gchar *text)
{
	g_assert_nonnull(bytes);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes), text, strlen(text));
}

/* S-5: GET with the device's User-Agent, the request shape of reference 6.2.1 */
static void
prov_test_get(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_test_fetch(fixture, "/basic.txt", &error);
	g_autofree gchar *url = prov_test_url(fixture, "/basic.txt");

	g_assert_no_error(error);
	prov_test_assert_text(bytes, PROV_TEST_BASIC);
	g_assert_cmpstr(fixture->method, ==, "GET");
	g_assert_cmpstr(fixture->user_agent, ==, PROV_TEST_USER_AGENT);
	g_assert_cmpstr(fixture->accept, ==, "*/*");
	g_assert_null(fixture->accept_encoding);
	g_assert_null(fixture->if_none_match);
	g_assert_cmpstr(prov_fetch_context_get_final_uri(fixture->ctx), ==, url);
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));
}

/* reference 6.2.1: the request target is sent exactly as expanded, trailing '?' included */
static void
prov_test_request_line(void)
{
	static const gchar response[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	g_autoptr(ProvSoupTestRaw) raw =
	    prov_soup_test_raw_new(PROV_SOUP_TEST_RAW_CLOSE, response, strlen(response));
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *url = NULL;
	g_autofree gchar *host = NULL;

	prov_fetch_context_set_user_agent(ctx, PROV_TEST_USER_AGENT);
	url = g_strdup_printf("http://127.0.0.1:%u/cgi-bin/reflect.pl?",
			      prov_soup_test_raw_get_port(raw));
	bytes = prov_soup_test_fetch(transport, url, ctx, NULL, &error);
	g_assert_no_error(error);
	prov_test_assert_text(bytes, "ok");
	g_assert_true(g_str_has_prefix(prov_soup_test_raw_get_request(raw),
				       "GET /cgi-bin/reflect.pl? HTTP/1.1\r\n"));
	host = g_strdup_printf("\r\nHost: 127.0.0.1:%u\r\n", prov_soup_test_raw_get_port(raw));
	g_assert_nonnull(strstr(prov_soup_test_raw_get_request(raw), host));
	g_assert_nonnull(strstr(prov_soup_test_raw_get_request(raw), "\r\nConnection: close\r\n"));
	g_assert_nonnull(strstr(prov_soup_test_raw_get_request(raw),
				"\r\nUser-Agent: " PROV_TEST_USER_AGENT "\r\n"));
}

/* reference 5.4: 404 and 410 are "file not found", the rest are failures */
static void
prov_test_status(ProvTestFixture *fixture, gconstpointer data)
{
	static const struct {
		const gchar *path;
		ProvError code;
	} cases[] = {
	    {"/missing.cfg", PROV_ERROR_NOT_FOUND},  {"/gone.cfg", PROV_ERROR_NOT_FOUND},
	    {"/error.cfg", PROV_ERROR_PROTOCOL},     {"/forbidden.cfg", PROV_ERROR_PROTOCOL},
	    {"/empty.cfg", PROV_ERROR_CORRUPT_FILE}, {"/bogus-304.cfg", PROV_ERROR_PROTOCOL},
	    {"/no-location", PROV_ERROR_PROTOCOL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = prov_test_fetch(fixture, cases[i].path, &error);

		g_test_message("%s: %s", cases[i].path, error != NULL ? error->message : "ok");
		g_assert_error(error, PROV_ERROR, (gint)cases[i].code);
		g_assert_null(bytes);
		g_assert_null(prov_fetch_context_get_final_uri(fixture->ctx));
	}
	g_assert_cmpuint(prov_soup_status_to_error_code(404, FALSE), ==, PROV_ERROR_NOT_FOUND);
	g_assert_cmpuint(prov_soup_status_to_error_code(410, FALSE), ==, PROV_ERROR_NOT_FOUND);
	g_assert_cmpuint(prov_soup_status_to_error_code(401, FALSE), ==, PROV_ERROR_AUTH_FAILED);
	g_assert_cmpuint(prov_soup_status_to_error_code(407, FALSE), ==, PROV_ERROR_AUTH_FAILED);
	g_assert_cmpuint(prov_soup_status_to_error_code(503, FALSE), ==, PROV_ERROR_PROTOCOL);
	g_assert_cmpuint(prov_soup_status_to_error_code(404, TRUE), ==, PROV_ERROR_UPLOAD_REFUSED);
}

/* reference 6.2.3: Basic and Digest with --uid/--pwd, at most two retries */
static void
prov_test_auth(ProvTestFixture *fixture, gconstpointer data)
{
	const gchar *paths[] = {"/auth/basic/profile.cfg", "/auth/digest/profile.cfg"};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		/* no credentials: the challenge is not answered */
		prov_fetch_context_set_credentials(fixture->ctx, NULL, NULL);
		fixture->requests = 0;
		bytes = prov_test_fetch(fixture, paths[i], &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
		g_assert_cmpuint(fixture->requests, ==, 1);
		g_clear_error(&error);

		/* wrong password: the first try and two retries, no more */
		prov_fetch_context_set_credentials(fixture->ctx, "device", "wrong");
		fixture->requests = 0;
		bytes = prov_test_fetch(fixture, paths[i], &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
		g_assert_null(bytes);
		g_assert_cmpuint(fixture->requests, <=, 1 + PROV_SOUP_AUTH_RETRIES_MAX);
		g_assert_null(strstr(error->message, "wrong"));
		g_clear_error(&error);

		/* special characters as reference 4.2 allows them */
		prov_fetch_context_set_credentials(fixture->ctx, "device", "s3cret#[x]");
		fixture->requests = 0;
		bytes = prov_test_fetch(fixture, paths[i], &error);
		g_assert_no_error(error);
		prov_test_assert_text(bytes, PROV_TEST_BASIC);
		g_assert_cmpuint(fixture->requests, ==, 2);
		g_assert_nonnull(fixture->authorization);
		g_assert_true(
		    g_str_has_prefix(fixture->authorization, i == 0 ? "Basic " : "Digest "));
	}
}

/* the rule's credentials are for the rule's server: a redirect elsewhere does not get them */
static void
prov_test_auth_other_host(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	prov_fetch_context_set_credentials(fixture->ctx, "device", "s3cret#[x]");
	bytes = prov_test_fetch(fixture, "/to-other-host", &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
	g_assert_null(fixture->authorization);
}

/* R37: five redirects are followed and the final URL is reported; a sixth is refused */
static void
prov_test_redirects(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_test_fetch(fixture, "/hop/5", &error);
	g_autofree gchar *final = prov_test_url(fixture, "/hop/0");

	g_assert_no_error(error);
	prov_test_assert_text(bytes, PROV_TEST_BASIC);
	g_assert_cmpstr(prov_fetch_context_get_final_uri(fixture->ctx), ==, final);
	g_clear_pointer(&bytes, g_bytes_unref);

	fixture->requests = 0;
	bytes = prov_test_fetch(fixture, "/hop/6", &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
	g_assert_null(bytes);
	g_assert_cmpuint(fixture->requests, ==, 1 + PROV_SOUP_REDIRECTS_MAX);
	g_assert_null(prov_fetch_context_get_final_uri(fixture->ctx));
}

/* R37: never to another scheme (http to https only), never with credentials in the URL */
static void
prov_test_redirect_scheme(ProvTestFixture *fixture, gconstpointer data)
{
	const gchar *paths[] = {"/to-tftp", "/to-file", "/to-userinfo"};
	static const struct {
		const gchar *from;
		const gchar *to;
		gboolean allowed;
	} cases[] = {
	    {"http://a/x", "http://b/y", TRUE},	     {"http://a/x", "https://a/x", TRUE},
	    {"https://a/x", "https://b/y", TRUE},    {"https://a/x", "http://a/x", FALSE},
	    {"http://a/x", "tftp://a/x", FALSE},     {"https://a/x", "file:///etc/passwd", FALSE},
	    {"http://a/x", "ftp://a/x", FALSE},	     {"http://a/x", "http://u:p@a/x", FALSE},
	    {"http://a/x", "http:///nohost", FALSE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = prov_test_fetch(fixture, paths[i], &error);

		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_REDIRECT);
		g_assert_null(strstr(error->message, "secret"));
	}
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GUri) from = g_uri_parse(cases[i].from, G_URI_FLAGS_ENCODED, NULL);
		g_autoptr(GUri) to = g_uri_parse(cases[i].to, G_URI_FLAGS_HAS_PASSWORD, NULL);

		g_assert_nonnull(from);
		g_assert_nonnull(to);
		g_assert_cmpint(prov_soup_redirect_is_allowed(from, to), ==, cases[i].allowed);
	}
}

/* reference 6.2.4: 303 turns POST into GET; 307 re-sends the POST */
static void
prov_test_post(ProvTestFixture *fixture, gconstpointer data)
{
	static const gchar body[] = "Product = \"ATA192-MPP\"; MAC_Addr = \"000e08abcdef\";";
	g_autoptr(GBytes) post = g_bytes_new_static(body, strlen(body));
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	prov_fetch_context_set_post_body(fixture->ctx, post);
	bytes = prov_test_fetch(fixture, "/echo", &error);
	g_assert_no_error(error);
	prov_test_assert_text(bytes, body);
	g_assert_cmpstr(fixture->method, ==, "POST");
	g_assert_cmpstr(fixture->content_type, ==, "text/plain");
	g_clear_pointer(&bytes, g_bytes_unref);

	bytes = prov_test_fetch(fixture, "/temporary", &error);
	g_assert_no_error(error);
	prov_test_assert_text(bytes, body);
	g_assert_cmpstr(fixture->method, ==, "POST");
	g_clear_pointer(&bytes, g_bytes_unref);

	bytes = prov_test_fetch(fixture, "/see-other", &error);
	g_assert_no_error(error);
	prov_test_assert_text(bytes, PROV_TEST_BASIC);
	g_assert_cmpstr(fixture->method, ==, "GET");
	g_assert_null(fixture->body);
}

/* R17: the cap holds for a declared length and while streaming a chunked body */
static void
prov_test_size_cap(ProvTestFixture *fixture, gconstpointer data)
{
	const gchar *paths[] = {"/big", "/big-chunked"};

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;

		prov_fetch_context_set_size_max(fixture->ctx, 99999);
		bytes = prov_test_fetch(fixture, paths[i], &error);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
		g_assert_null(bytes);
		g_clear_error(&error);

		prov_fetch_context_set_size_max(fixture->ctx, 100000);
		bytes = prov_test_fetch(fixture, paths[i], &error);
		g_assert_no_error(error);
		g_assert_cmpuint(g_bytes_get_size(bytes), ==, 100000);
	}
}

/* reference 6.2.1: an unchanged profile costs a 304 and the kept copy comes back */
static void
prov_test_conditional_etag(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autoptr(GBytes) second = NULL;
	g_autoptr(GBytes) third = NULL;
	g_autoptr(GBytes) fourth = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *name;
	guint files = 0;

	/* without a cache directory there are no validators */
	first = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_clear_pointer(&first, g_bytes_unref);
	first = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_null(fixture->if_none_match);
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));
	g_clear_pointer(&first, g_bytes_unref);

	prov_fetch_context_set_cache_directory(fixture->ctx, fixture->cache_dir);
	first = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	prov_test_assert_text(first, PROV_TEST_BASIC);
	g_assert_null(fixture->if_none_match);
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));

	/* the kept files are private, and named without the URL */
	dir = g_dir_open(fixture->cache_dir, 0, &error);
	g_assert_no_error(error);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fixture->cache_dir, name, NULL);
		GStatBuf st;

		g_assert_cmpint(g_stat(path, &st), ==, 0);
		g_assert_cmpint(st.st_mode & 0077, ==, 0);
		g_assert_null(strstr(name, "etag"));
		files++;
	}
	g_assert_cmpuint(files, ==, 2);

	second = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->if_none_match, ==, "\"v1\"");
	g_assert_true(prov_fetch_context_get_not_modified(fixture->ctx));
	g_assert_true(g_bytes_equal(first, second));

	/* a changed profile is downloaded in full and replaces the kept copy */
	g_free(fixture->etag);
	fixture->etag = g_strdup("\"v2\"");
	g_free(fixture->profile);
	fixture->profile = g_strdup("<flat-profile><GPP_A>changed</GPP_A></flat-profile>");
	third = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->if_none_match, ==, "\"v1\"");
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));
	prov_test_assert_text(third, fixture->profile);
	fourth = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->if_none_match, ==, "\"v2\"");
	g_assert_true(prov_fetch_context_get_not_modified(fixture->ctx));
	g_assert_true(g_bytes_equal(third, fourth));
}

static void
prov_test_conditional_date(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autoptr(GBytes) second = NULL;

	prov_fetch_context_set_cache_directory(fixture->ctx, fixture->cache_dir);
	first = prov_test_fetch(fixture, "/dated.cfg", &error);
	g_assert_no_error(error);
	g_assert_null(fixture->if_modified_since);
	second = prov_test_fetch(fixture, "/dated.cfg", &error);
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->if_modified_since, ==, "Tue, 01 Apr 2025 10:00:00 GMT");
	g_assert_null(fixture->if_none_match);
	g_assert_true(prov_fetch_context_get_not_modified(fixture->ctx));
	g_assert_true(g_bytes_equal(first, second));
}

/* a kept copy that does not match its digest is never handed back */
static void
prov_test_conditional_damaged(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autoptr(GBytes) second = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *name;

	prov_fetch_context_set_cache_directory(fixture->ctx, fixture->cache_dir);
	first = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	dir = g_dir_open(fixture->cache_dir, 0, &error);
	g_assert_no_error(error);
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fixture->cache_dir, name, NULL);

		if (g_str_has_suffix(name, ".body"))
			g_assert_true(g_file_set_contents(path, "tampered", -1, &error));
	}
	second = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_null(fixture->if_none_match);
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));
	prov_test_assert_text(second, PROV_TEST_BASIC);
}

/* a POST is never conditional, and a response without validators leaves nothing behind */
static void
prov_test_conditional_none(ProvTestFixture *fixture, gconstpointer data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) post = g_bytes_new_static("x", 1);
	g_autoptr(GDir) dir = NULL;

	prov_fetch_context_set_cache_directory(fixture->ctx, fixture->cache_dir);
	bytes = prov_test_fetch(fixture, "/plain.cfg", &error);
	g_assert_no_error(error);
	dir = g_dir_open(fixture->cache_dir, 0, &error);
	g_assert_no_error(error);
	g_assert_null(g_dir_read_name(dir));
	g_clear_pointer(&bytes, g_bytes_unref);

	prov_fetch_context_set_post_body(fixture->ctx, post);
	bytes = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_clear_pointer(&bytes, g_bytes_unref);
	bytes = prov_test_fetch(fixture, "/etag.cfg", &error);
	g_assert_no_error(error);
	g_assert_null(fixture->if_none_match);
	g_assert_false(prov_fetch_context_get_not_modified(fixture->ctx));
}

/* reference 9.1: PUT or POST, the same authentication, refusals reported */
static void
prov_test_upload(ProvTestFixture *fixture, gconstpointer data)
{
	static const gchar report[] = "<flat-profile><GPP_A>1</GPP_A></flat-profile>";
	g_autoptr(GBytes) bytes = g_bytes_new_static(report, strlen(report));
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = prov_test_url(fixture, "/upload");
	g_autofree gchar *denied = prov_test_url(fixture, "/forbidden.cfg");
	g_autofree gchar *protected = prov_test_url(fixture, "/auth/basic/report.xml");

	g_assert_true(prov_transport_can_upload(fixture->transport));
	g_assert_true(prov_soup_test_upload(fixture->transport, url, fixture->ctx, bytes, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->method, ==, "POST");
	g_assert_cmpstr(fixture->body, ==, report);
	g_assert_cmpstr(fixture->content_type, ==, "application/octet-stream");

	prov_fetch_context_set_upload_method(fixture->ctx, "PUT");
	prov_fetch_context_set_content_type(fixture->ctx, "application/xml");
	g_assert_true(prov_soup_test_upload(fixture->transport, url, fixture->ctx, bytes, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->method, ==, "PUT");
	g_assert_cmpstr(fixture->body, ==, report);
	g_assert_cmpstr(fixture->content_type, ==, "application/xml");
	g_assert_cmpstr(fixture->user_agent, ==, PROV_TEST_USER_AGENT);

	g_assert_false(
	    prov_soup_test_upload(fixture->transport, denied, fixture->ctx, bytes, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UPLOAD_REFUSED);
	g_clear_error(&error);

	g_assert_false(
	    prov_soup_test_upload(fixture->transport, protected, fixture->ctx, bytes, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_AUTH_FAILED);
	g_clear_error(&error);
	prov_fetch_context_set_credentials(fixture->ctx, "device", "s3cret#[x]");
	g_assert_true(
	    prov_soup_test_upload(fixture->transport, protected, fixture->ctx, bytes, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(fixture->body, ==, report);
}

static void
prov_test_invalid_urls(void)
{
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	const gchar *urls[] = {"http://user:secret@127.0.0.1/x", "https://127.0.0.1/x",
			       "tftp://127.0.0.1/x"};

	for (guint i = 0; i < G_N_ELEMENTS(urls); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes =
		    prov_soup_test_fetch(transport, urls[i], ctx, NULL, &error);

		g_assert_null(bytes);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
		g_assert_null(strstr(error->message, "secret"));
	}
}

static void
prov_test_unreachable(void)
{
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *url =
	    g_strdup_printf("http://127.0.0.1:%u/basic.txt", prov_soup_test_closed_port());

	bytes = prov_soup_test_fetch(transport, url, ctx, NULL, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UNREACHABLE);
	g_assert_null(prov_fetch_context_get_final_uri(ctx));
}

/*
 * R36: a body shorter than its Content-Length, and a chunked body cut off
 * inside a chunk or its size line, are failures. (libsoup 3.2 takes a
 * chunked body that ends exactly after a complete chunk for complete, and
 * offers no way to tell: a known gap, not tested here.)
 */
static void
prov_test_truncated(void)
{
	const gchar *responses[] = {
	    "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<flat-profile><GPP_A>1</GPP_A>",
	    "HTTP/1.1 200 OK\r\nContent-Length: 31\r\nConnection: keep-alive\r\n\r\n<flat",
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<flat-pro",
	    ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	     "10\r\n<flat-profile><G\r\n10\r\nPP_A>1</GPP_"),
	    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n<flat-profile><G\r\n1",
	};

	for (guint i = 0; i < G_N_ELEMENTS(responses); i++) {
		g_autoptr(ProvSoupTestRaw) raw = prov_soup_test_raw_new(
		    PROV_SOUP_TEST_RAW_CLOSE, responses[i], strlen(responses[i]));
		g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
		g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;
		g_autofree gchar *url = g_strdup_printf("http://127.0.0.1:%u/basic.txt",
							prov_soup_test_raw_get_port(raw));

		bytes = prov_soup_test_fetch(transport, url, ctx, NULL, &error);
		g_test_message("%s", error != NULL ? error->message : "no error");
		g_assert_error(error, PROV_ERROR, PROV_ERROR_TRUNCATED);
		g_assert_null(bytes);
	}
}

/* R35: a server that stops sending is cut off by the inactivity timeout */
static void
prov_test_inactivity(void)
{
	static const gchar response[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<flat";
	g_autoptr(ProvSoupTestRaw) raw =
	    prov_soup_test_raw_new(PROV_SOUP_TEST_RAW_HOLD, response, strlen(response));
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *url =
	    g_strdup_printf("http://127.0.0.1:%u/basic.txt", prov_soup_test_raw_get_port(raw));
	gint64 start = g_get_monotonic_time();
	gint64 elapsed;

	prov_fetch_context_set_timeout(ctx, 30);
	prov_fetch_context_set_inactivity_timeout(ctx, 1);
	bytes = prov_soup_test_fetch(transport, url, ctx, NULL, &error);
	elapsed = g_get_monotonic_time() - start;
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "nothing received for 1s"));
	g_assert_cmpint(elapsed, >=, G_USEC_PER_SEC);
	g_assert_cmpint(elapsed, <, 5 * G_USEC_PER_SEC);
}

/* R35: a server dripping a byte now and then never trips the inactivity timeout, the deadline cuts
 * it off */
static void
prov_test_deadline(void)
{
	static const gchar response[] = "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n";
	g_autoptr(ProvSoupTestRaw) raw =
	    prov_soup_test_raw_new(PROV_SOUP_TEST_RAW_DRIP, response, strlen(response));
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *url =
	    g_strdup_printf("http://127.0.0.1:%u/basic.txt", prov_soup_test_raw_get_port(raw));
	gint64 start = g_get_monotonic_time();
	gint64 elapsed;

	prov_soup_test_raw_set_drip(raw, 100);
	prov_fetch_context_set_timeout(ctx, 2);
	prov_fetch_context_set_inactivity_timeout(ctx, 1);
	bytes = prov_soup_test_fetch(transport, url, ctx, NULL, &error);
	elapsed = g_get_monotonic_time() - start;
	g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(error->message, "deadline of 2s"));
	g_assert_cmpint(elapsed, >=, 2 * G_USEC_PER_SEC);
	g_assert_cmpint(elapsed, <, 6 * G_USEC_PER_SEC);
	/* it did drip: the inactivity timer was restarted by what arrived */
	g_assert_cmpuint(prov_soup_test_raw_get_dripped(raw), >, 5);
}

static gboolean
prov_test_cancel_cb(gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
	return G_SOURCE_REMOVE;
}

/* the engine's cancellable stops a fetch, reported as cancelled rather than as a failure */
static void
prov_test_cancel(void)
{
	static const gchar response[] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<flat";
	g_autoptr(ProvSoupTestRaw) raw =
	    prov_soup_test_raw_new(PROV_SOUP_TEST_RAW_HOLD, response, strlen(response));
	g_autoptr(ProvTransport) transport = PROV_TRANSPORT(prov_http_transport_new());
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *url =
	    g_strdup_printf("http://127.0.0.1:%u/basic.txt", prov_soup_test_raw_get_port(raw));

	g_timeout_add(50, prov_test_cancel_cb, cancellable);
	bytes = prov_soup_test_fetch(transport, url, ctx, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

	/* already cancelled before it starts */
	g_clear_error(&error);
	bytes = prov_soup_test_fetch(transport, url, ctx, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static guint
prov_test_count_fds(void)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/fd", 0, NULL);
	guint count = 0;

	while (dir != NULL && g_dir_read_name(dir) != NULL)
		count++;
	return count;
}

/* a daemon fetches for years: no fetch, failed or not, leaves a descriptor behind */
static void
prov_test_no_leak(ProvTestFixture *fixture, gconstpointer data)
{
	static const gchar response[] = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<flat";
	g_autoptr(ProvSoupTestRaw) raw =
	    prov_soup_test_raw_new(PROV_SOUP_TEST_RAW_CLOSE, response, strlen(response));
	g_autofree gchar *truncated =
	    g_strdup_printf("http://127.0.0.1:%u/basic.txt", prov_soup_test_raw_get_port(raw));
	const gchar *paths[] = {"/basic.txt", "/missing.cfg", "/hop/6", "/big"};
	guint before = 0;

	if (!g_file_test("/proc/self/fd", G_FILE_TEST_IS_DIR)) {
		g_test_skip("no /proc/self/fd");
		return;
	}
	prov_fetch_context_set_size_max(fixture->ctx, 1000);
	/* the first fetch loads what stays loaded (the TLS backend, the resolver) */
	for (guint round = 0; round < 4; round++) {
		while (g_main_context_iteration(NULL, FALSE))
			;
		if (round == 1)
			before = prov_test_count_fds();
		for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = prov_test_fetch(fixture, paths[i], &error);

			/* /basic.txt is the one success */
			g_assert_true((bytes != NULL) == (i == 0));
		}
		{
			g_autoptr(GError) error = NULL;
			g_autoptr(GBytes) bytes = prov_soup_test_fetch(
			    fixture->transport, truncated, fixture->ctx, NULL, &error);

			g_assert_error(error, PROV_ERROR, PROV_ERROR_TRUNCATED);
			g_assert_null(bytes);
		}
	}
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(prov_test_count_fds(), ==, before);
}

static void
prov_test_add(const gchar *path, void (*func)(ProvTestFixture *, gconstpointer))
{
	g_test_add(path, ProvTestFixture, NULL, prov_test_fixture_set_up, func,
		   prov_test_fixture_tear_down);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	prov_test_add("/prov/http/get", prov_test_get);
	g_test_add_func("/prov/http/request-line", prov_test_request_line);
	prov_test_add("/prov/http/status", prov_test_status);
	prov_test_add("/prov/http/auth", prov_test_auth);
	prov_test_add("/prov/http/auth-other-host", prov_test_auth_other_host);
	prov_test_add("/prov/http/redirects", prov_test_redirects);
	prov_test_add("/prov/http/redirect-scheme", prov_test_redirect_scheme);
	prov_test_add("/prov/http/post", prov_test_post);
	prov_test_add("/prov/http/size-cap", prov_test_size_cap);
	prov_test_add("/prov/http/conditional-etag", prov_test_conditional_etag);
	prov_test_add("/prov/http/conditional-date", prov_test_conditional_date);
	prov_test_add("/prov/http/conditional-damaged", prov_test_conditional_damaged);
	prov_test_add("/prov/http/conditional-none", prov_test_conditional_none);
	prov_test_add("/prov/http/upload", prov_test_upload);
	g_test_add_func("/prov/http/invalid-urls", prov_test_invalid_urls);
	g_test_add_func("/prov/http/unreachable", prov_test_unreachable);
	g_test_add_func("/prov/http/truncated", prov_test_truncated);
	g_test_add_func("/prov/http/inactivity", prov_test_inactivity);
	g_test_add_func("/prov/http/deadline", prov_test_deadline);
	g_test_add_func("/prov/http/cancel", prov_test_cancel);
	prov_test_add("/prov/http/no-leak", prov_test_no_leak);
	return g_test_run();
}
