/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The HTTP listener of reference 7.1 (functional URLs) and 7.2 (XML
 * Execute). Every request is judged in the early handler, after its head
 * and before its body is read: method, framing and size, cross-site marks
 * (R22), the gates, whether the account exists at all, and the digest
 * (R21); only a request that passes all of them has its body read (R23).
 * The handler then asks the engine, which applies the per-source rate limit,
 * and answers at once: nothing waits, so every request is answered exactly
 * once and the main loop never blocks.
 */

#include "config.h"

#include <libsoup/soup.h>
#include <prov-config.h>
#include <prov-device.h>
#include <prov-error.h>
#include <prov-execute.h>
#include <prov-params.h>
#include <string.h>

#include "prov-http-digest.h"
#include "prov-http-trigger.h"

/* which account authenticated a request: its role, not its name (XML_User_Name may be "admin") */
#define PROV_HTTP_TRIGGER_ROLE_KEY "prov-http-trigger-role"
/* reference 2.4: the accounts of the web interface */
#define PROV_HTTP_TRIGGER_ADMIN "admin"
#define PROV_HTTP_TRIGGER_USER	"user"

typedef enum {
	PROV_HTTP_ENDPOINT_UNKNOWN,
	PROV_HTTP_ENDPOINT_EXECUTE,
	PROV_HTTP_ENDPOINT_RESYNC,
	PROV_HTTP_ENDPOINT_REBOOT,
	PROV_HTTP_ENDPOINT_UNSUPPORTED,
} ProvHttpEndpoint;

typedef enum {
	PROV_HTTP_AUTH_TRUSTED,
	PROV_HTTP_AUTH_LOCAL,
	PROV_HTTP_AUTH_REMOTE,
} ProvHttpAuthMode;

typedef enum {
	PROV_HTTP_ROLE_NONE,
	PROV_HTTP_ROLE_ADMIN,
	PROV_HTTP_ROLE_OTHER,
} ProvHttpRole;

/* the accounts whose empty password was reported, so that the log says it once */
typedef enum {
	PROV_HTTP_EMPTY_ADMIN = 1 << 0,
	PROV_HTTP_EMPTY_USER = 1 << 1,
	PROV_HTTP_EMPTY_XML = 1 << 2,
} ProvHttpEmpty;

static const struct {
	const gchar *path;
	ProvHttpEndpoint endpoint;
} prov_http_trigger_paths[] = {
    {"/CGI/Execute", PROV_HTTP_ENDPOINT_EXECUTE},
    {"/admin/resync", PROV_HTTP_ENDPOINT_RESYNC},
    /* older firmware and the SIP-AG spell it without /admin (reference 7.1) */
    {"/resync", PROV_HTTP_ENDPOINT_RESYNC},
    {"/admin/reboot", PROV_HTTP_ENDPOINT_REBOOT},
    /* reference 7.1 lists them; provisiond has no firmware upgrade nor configuration export */
    {"/admin/upgrade", PROV_HTTP_ENDPOINT_UNSUPPORTED},
    {"/upgrade", PROV_HTTP_ENDPOINT_UNSUPPORTED},
    {"/admin/config.xml", PROV_HTTP_ENDPOINT_UNSUPPORTED},
    {"/cfg.xml", PROV_HTTP_ENDPOINT_UNSUPPORTED},
    {"/admin/cfg.xml", PROV_HTTP_ENDPOINT_UNSUPPORTED},
};

static const gchar *const prov_http_trigger_keys[] = {"Listen", "MaxBodySize", NULL};

struct _ProvHttpTrigger {
	GObject parent_instance;
	/* not a reference: the host outlives a started trigger and stops it first */
	ProvTriggerHost *host;
	SoupServer *server;
	ProvHttpDigest *digest;
	ProvExecute *execute;
	gsize max_body_size;
	gboolean warned_trusted;
	ProvHttpEmpty warned_empty;
};

static void
prov_http_trigger_iface_init(ProvTriggerInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(ProvHttpTrigger,
			      prov_http_trigger,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER,
						    prov_http_trigger_iface_init))

/* ---- small helpers ---- */

static ProvParams *
prov_http_trigger_params(ProvHttpTrigger *self)
{
	return prov_trigger_host_get_params(self->host);
}

static const gchar *
prov_http_trigger_value(ProvHttpTrigger *self, const gchar *name)
{
	const gchar *value = prov_params_get_value(prov_http_trigger_params(self), name);

	return value != NULL ? value : "";
}

/* bool parameters are canonical Yes/No; an unknown name keeps the documented default */
static gboolean
prov_http_trigger_get_bool(ProvHttpTrigger *self, const gchar *name, gboolean fallback)
{
	const gchar *value = prov_params_get_value(prov_http_trigger_params(self), name);

	if (value == NULL || value[0] == '\0')
		return fallback;
	return g_ascii_strcasecmp(value, "Yes") == 0;
}

static ProvHttpAuthMode
prov_http_trigger_get_auth_mode(ProvHttpTrigger *self)
{
	const gchar *mode = prov_http_trigger_value(self, "CISCO_XML_EXE_Auth_Mode");

	/* only an explicit Trusted turns authentication off (R21) */
	if (g_ascii_strcasecmp(mode, "Trusted") == 0)
		return PROV_HTTP_AUTH_TRUSTED;
	if (g_ascii_strcasecmp(mode, "Remote Credential") == 0)
		return PROV_HTTP_AUTH_REMOTE;
	return PROV_HTTP_AUTH_LOCAL;
}

/* `ADDRESS:PORT` or `[ADDRESS]:PORT`; an IPv4-mapped IPv6 peer reads as IPv4 */
static gchar *
prov_http_trigger_format_address(GSocketAddress *address)
{
	GInetAddress *inet;
	g_autofree gchar *text = NULL;
	guint16 port;

	if (address == NULL || !G_IS_INET_SOCKET_ADDRESS(address))
		return NULL;
	inet = g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(address));
	port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address));
	if (g_inet_address_get_family(inet) == G_SOCKET_FAMILY_IPV6) {
		const guint8 *bytes = g_inet_address_to_bytes(inet);
		static const guint8 mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		if (memcmp(bytes, mapped, sizeof(mapped)) == 0)
			return g_strdup_printf("%u.%u.%u.%u:%u", bytes[12], bytes[13], bytes[14],
					       bytes[15], port);
		text = g_inet_address_to_string(inet);
		return g_strdup_printf("[%s]:%u", text, port);
	}
	text = g_inet_address_to_string(inet);
	return g_strdup_printf("%s:%u", text, port);
}

static gchar *
prov_http_trigger_dup_source(SoupServerMessage *msg)
{
	gchar *source =
	    prov_http_trigger_format_address(soup_server_message_get_remote_address(msg));

	return source != NULL ? source : g_strdup(soup_server_message_get_remote_host(msg));
}

/* path and query as received, for the digest `uri` */
static gchar *
prov_http_trigger_dup_target(SoupServerMessage *msg)
{
	GUri *uri = soup_server_message_get_uri(msg);
	const gchar *query = g_uri_get_query(uri);

	return query != NULL ? g_strconcat(g_uri_get_path(uri), "?", query, NULL)
			     : g_strdup(g_uri_get_path(uri));
}

static ProvHttpEndpoint
prov_http_trigger_endpoint(const gchar *path)
{
	for (guint i = 0; i < G_N_ELEMENTS(prov_http_trigger_paths); i++) {
		if (g_strcmp0(path, prov_http_trigger_paths[i].path) == 0)
			return prov_http_trigger_paths[i].endpoint;
	}
	return PROV_HTTP_ENDPOINT_UNKNOWN;
}

static void
prov_http_trigger_answer(SoupServerMessage *msg,
			 guint status,
			 const gchar *content_type,
			 const gchar *body)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);

	/* an answer is about one request: no cache may replay it */
	soup_message_headers_replace(headers, "Cache-Control", "no-store");
	soup_message_headers_replace(headers, "X-Content-Type-Options", "nosniff");
	soup_server_message_set_status(msg, status, NULL);
	soup_server_message_set_response(msg, content_type, SOUP_MEMORY_COPY, body, strlen(body));
}

static void
prov_http_trigger_answer_text(SoupServerMessage *msg, guint status, const gchar *text)
{
	g_autofree gchar *body = g_strconcat(text, "\n", NULL);

	prov_http_trigger_answer(msg, status, "text/plain; charset=utf-8", body);
}

/* reference 7.2 (PROPOSED, CUCM-compatible): errors of the object as CiscoIPPhoneError */
static void
prov_http_trigger_answer_phone_error(SoupServerMessage *msg, guint status, guint number)
{
	g_autofree gchar *body = g_strdup_printf("<CiscoIPPhoneError Number=\"%u\"/>\n", number);

	prov_http_trigger_answer(msg, status, "text/xml; charset=utf-8", body);
}

static void
prov_http_trigger_refuse(SoupServerMessage *msg, guint status, const gchar *reason)
{
	g_autofree gchar *source = prov_http_trigger_dup_source(msg);

	g_debug("%s %s from %s: %u, %s", soup_server_message_get_method(msg),
		g_uri_get_path(soup_server_message_get_uri(msg)), source, status, reason);
	prov_http_trigger_answer_text(msg, status, reason);
}

static void
prov_http_trigger_challenge(ProvHttpTrigger *self,
			    SoupServerMessage *msg,
			    ProvHttpEndpoint endpoint,
			    ProvHttpDigestResult result)
{
	g_autofree gchar *challenge = prov_http_digest_build_challenge(
	    self->digest, result == PROV_HTTP_DIGEST_RESULT_STALE, g_get_monotonic_time());
	g_autofree gchar *source = prov_http_trigger_dup_source(msg);

	g_debug("%s %s from %s: 401, %s", soup_server_message_get_method(msg),
		g_uri_get_path(soup_server_message_get_uri(msg)), source,
		prov_http_digest_result_to_string(result));
	/* reference 7.2: wrong credentials on XML Execute also get CiscoIPPhoneError 4 */
	if (endpoint == PROV_HTTP_ENDPOINT_EXECUTE && result == PROV_HTTP_DIGEST_RESULT_WRONG)
		prov_http_trigger_answer_phone_error(msg, SOUP_STATUS_UNAUTHORIZED, 4);
	else
		prov_http_trigger_answer_text(msg, SOUP_STATUS_UNAUTHORIZED,
					      "digest authentication required");
	soup_message_headers_append(soup_server_message_get_response_headers(msg),
				    "WWW-Authenticate", challenge);
}

/* ---- checks on the head ---- */

/*
 * R22: a browser marks what another page makes it send. `same-site` is
 * refused too: for a device reached by address, another port of the same
 * host is the same site but not the same origin. Tools such as curl send
 * none of these headers and pass.
 */
static const gchar *
prov_http_trigger_check_site(SoupServerMessage *msg)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *fetch_site = soup_message_headers_get_one(headers, "Sec-Fetch-Site");
	const gchar *origin = soup_message_headers_get_one(headers, "Origin");
	const gchar *referer = soup_message_headers_get_one(headers, "Referer");
	const gchar *host = soup_message_headers_get_one(headers, "Host");

	if (fetch_site != NULL && g_ascii_strcasecmp(fetch_site, "same-origin") != 0 &&
	    g_ascii_strcasecmp(fetch_site, "none") != 0)
		return "cross-site request refused (Sec-Fetch-Site)";
	if (origin != NULL) {
		g_autofree gchar *own = host != NULL ? g_strconcat("http://", host, NULL) : NULL;

		if (own == NULL || g_ascii_strcasecmp(origin, own) != 0)
			return "cross-site request refused (Origin names another site)";
	}
	if (referer != NULL) {
		g_autoptr(GUri) uri = g_uri_parse(referer, G_URI_FLAGS_ENCODED, NULL);
		g_autofree gchar *authority = NULL;

		if (uri != NULL && g_uri_get_host(uri) != NULL) {
			const gchar *referer_host = g_uri_get_host(uri);
			gboolean ipv6 = strchr(referer_host, ':') != NULL;

			authority = g_uri_get_port(uri) > 0
					? g_strdup_printf(ipv6 ? "[%s]:%d" : "%s:%d", referer_host,
							  g_uri_get_port(uri))
					: g_strdup_printf(ipv6 ? "[%s]" : "%s", referer_host);
		}
		if (authority == NULL || host == NULL || g_ascii_strcasecmp(authority, host) != 0)
			return "cross-site request refused (Referer names another site)";
	}
	return NULL;
}

/* reference 7.1 (PROPOSED): credentials in the URL end up in logs and histories */
static gboolean
prov_http_trigger_has_url_credentials(const gchar *query)
{
	g_autofree gchar *lower = g_ascii_strdown(query, -1);

	return g_str_has_prefix(lower, "xuser=") || g_str_has_prefix(lower, "xpassword=") ||
	       strstr(lower, "&xuser=") != NULL || strstr(lower, "&xpassword=") != NULL;
}

/* the rule of `/admin/resync?RULE`, percent-decoded; %NULL for none */
static gboolean
prov_http_trigger_decode_rule(SoupServerMessage *msg, gchar **rule, const gchar **reason)
{
	const gchar *query = g_uri_get_query(soup_server_message_get_uri(msg));
	g_autofree gchar *decoded = NULL;

	*rule = NULL;
	if (query == NULL || query[0] == '\0')
		return TRUE;
	if (prov_http_trigger_has_url_credentials(query)) {
		*reason = "credentials in the URL (xuser, xpassword) are not supported: "
			  "use HTTP digest authentication";
		return FALSE;
	}
	decoded = g_uri_unescape_string(query, NULL);
	if (decoded == NULL || !g_utf8_validate(decoded, -1, NULL)) {
		*reason = "the rule in the query is not valid percent-encoded UTF-8";
		return FALSE;
	}
	if (prov_http_trigger_has_url_credentials(decoded)) {
		*reason = "credentials in the URL (xuser, xpassword) are not supported: "
			  "use HTTP digest authentication";
		return FALSE;
	}
	*rule = g_steal_pointer(&decoded);
	return TRUE;
}

typedef enum {
	PROV_HTTP_BODY_NONE,
	PROV_HTTP_BODY_FORM,
	PROV_HTTP_BODY_XML,
} ProvHttpBody;

/* reference 7.2: `XML=` in a form (UCM-EXEC), or the object itself (PROPOSED) */
static ProvHttpBody
prov_http_trigger_body_kind(SoupServerMessage *msg)
{
	const gchar *type = soup_message_headers_get_content_type(
	    soup_server_message_get_request_headers(msg), NULL);

	if (type == NULL)
		return PROV_HTTP_BODY_NONE;
	if (g_ascii_strcasecmp(type, "application/x-www-form-urlencoded") == 0)
		return PROV_HTTP_BODY_FORM;
	if (g_ascii_strcasecmp(type, "text/xml") == 0 ||
	    g_ascii_strcasecmp(type, "application/xml") == 0)
		return PROV_HTTP_BODY_XML;
	return PROV_HTTP_BODY_NONE;
}

/* there is no built-in account: an empty password closes the endpoint, and the log says why once */
static gboolean
prov_http_trigger_account_exists(ProvHttpTrigger *self,
				 SoupServerMessage *msg,
				 ProvHttpEmpty account,
				 const gchar *parameter,
				 const gchar *value)
{
	if (value[0] != '\0') {
		self->warned_empty &= ~account;
		return TRUE;
	}
	if ((self->warned_empty & account) == 0) {
		g_warning("%s refused: %s is empty and there is no built-in account; set it to "
			  "use this endpoint",
			  g_uri_get_path(soup_server_message_get_uri(msg)), parameter);
		self->warned_empty |= account;
	}
	return FALSE;
}

static void
prov_http_trigger_warn_trusted(ProvHttpTrigger *self)
{
	gboolean trusted = prov_http_trigger_get_bool(self, "CISCO_XML_EXE_Enable", FALSE) &&
			   prov_http_trigger_get_auth_mode(self) == PROV_HTTP_AUTH_TRUSTED;

	if (trusted && !self->warned_trusted)
		g_warning("XML Execute is unauthenticated: CISCO_XML_EXE_Auth_Mode is Trusted, so "
			  "anyone who reaches /CGI/Execute can start resyncs");
	self->warned_trusted = trusted;
}

/* R21, R22: digest for @accounts; %TRUE with the account's role kept on @msg */
static gboolean
prov_http_trigger_authenticate(ProvHttpTrigger *self,
			       SoupServerMessage *msg,
			       ProvHttpEndpoint endpoint,
			       const ProvHttpDigestAccount *accounts,
			       guint n_accounts)
{
	g_autofree gchar *target = prov_http_trigger_dup_target(msg);
	const gchar *authorization = soup_message_headers_get_one(
	    soup_server_message_get_request_headers(msg), "Authorization");
	ProvHttpDigestResult result;
	guint index = 0;

	result = prov_http_digest_verify(self->digest, authorization,
					 soup_server_message_get_method(msg), target, accounts,
					 n_accounts, g_get_monotonic_time(), &index);
	switch (result) {
	case PROV_HTTP_DIGEST_RESULT_OK:
		/* the admin account is always the first */
		g_object_set_data(
		    G_OBJECT(msg), PROV_HTTP_TRIGGER_ROLE_KEY,
		    GUINT_TO_POINTER(index == 0 ? PROV_HTTP_ROLE_ADMIN : PROV_HTTP_ROLE_OTHER));
		return TRUE;
	case PROV_HTTP_DIGEST_RESULT_MALFORMED:
		/* RFC 2617 3.2.2.5: a digest uri that does not name the request is a bad request */
		prov_http_trigger_refuse(msg, SOUP_STATUS_BAD_REQUEST,
					 "malformed digest credentials, or their uri does not name "
					 "this request");
		return FALSE;
	default:
		prov_http_trigger_challenge(self, msg, endpoint, result);
		return FALSE;
	}
}

/* the account checks of each endpoint; the body is not read yet */
static gboolean
prov_http_trigger_admit_account(ProvHttpTrigger *self,
				SoupServerMessage *msg,
				ProvHttpEndpoint endpoint)
{
	ProvHttpDigestAccount accounts[2] = {
	    {PROV_HTTP_TRIGGER_ADMIN, prov_http_trigger_value(self, "Admin_Password")},
	    {NULL, NULL},
	};

	if (endpoint != PROV_HTTP_ENDPOINT_EXECUTE) {
		if (!prov_http_trigger_account_exists(self, msg, PROV_HTTP_EMPTY_ADMIN,
						      "Admin_Password", accounts[0].password)) {
			prov_http_trigger_refuse(msg, SOUP_STATUS_FORBIDDEN,
						 "no admin account: Admin_Password is empty");
			return FALSE;
		}
		return prov_http_trigger_authenticate(self, msg, endpoint, accounts, 1);
	}

	switch (prov_http_trigger_get_auth_mode(self)) {
	case PROV_HTTP_AUTH_TRUSTED:
		/* set explicitly; a Reboot item still needs the admin account (reference 7.2) */
		prov_http_trigger_warn_trusted(self);
		return TRUE;
	case PROV_HTTP_AUTH_REMOTE:
		accounts[1].username = prov_http_trigger_value(self, "XML_User_Name");
		accounts[1].password = prov_http_trigger_value(self, "XML_Password");
		if (accounts[1].username[0] == '\0' || accounts[1].password[0] == '\0') {
			prov_http_trigger_account_exists(self, msg, PROV_HTTP_EMPTY_XML,
							 "XML_User_Name or XML_Password", "");
			prov_http_trigger_refuse(
			    msg, SOUP_STATUS_FORBIDDEN,
			    "no XML account: XML_User_Name or XML_Password is empty");
			return FALSE;
		}
		self->warned_empty &= ~PROV_HTTP_EMPTY_XML;
		break;
	case PROV_HTTP_AUTH_LOCAL:
	default:
		accounts[1].username = PROV_HTTP_TRIGGER_USER;
		accounts[1].password = prov_http_trigger_value(self, "User_Password");
		/* stricter than the MPP default, which skips authentication then (R21) */
		if (!prov_http_trigger_account_exists(self, msg, PROV_HTTP_EMPTY_USER,
						      "User_Password", accounts[1].password)) {
			prov_http_trigger_refuse(msg, SOUP_STATUS_FORBIDDEN,
						 "no user account: User_Password is empty");
			return FALSE;
		}
		break;
	}
	self->warned_trusted = FALSE;
	/* the admin account may do what the others may; a Remote name "admin" is the admin */
	return prov_http_trigger_authenticate(self, msg, endpoint, accounts, 2);
}

/* everything that can be judged from the head, in the order that leaks least */
static gboolean
prov_http_trigger_admit(ProvHttpTrigger *self, SoupServerMessage *msg, ProvHttpEndpoint endpoint)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	const gchar *method = soup_server_message_get_method(msg);
	const gchar *wanted =
	    endpoint == PROV_HTTP_ENDPOINT_EXECUTE ? SOUP_METHOD_POST : SOUP_METHOD_GET;
	SoupEncoding encoding = soup_message_headers_get_encoding(headers);
	const gchar *reason = NULL;

	if (endpoint == PROV_HTTP_ENDPOINT_UNKNOWN) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_NOT_FOUND, "not found");
		return FALSE;
	}
	if (endpoint == PROV_HTTP_ENDPOINT_UNSUPPORTED) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_NOT_IMPLEMENTED,
					 "not supported by provisiond: it has no firmware upgrade "
					 "and no configuration import or export over HTTP");
		return FALSE;
	}
	if (g_strcmp0(method, wanted) != 0) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
					 endpoint == PROV_HTTP_ENDPOINT_EXECUTE
					     ? "method not allowed: use POST"
					     : "method not allowed: use GET");
		soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Allow",
					     wanted);
		return FALSE;
	}
	/* the cap must hold before the body is read, so its length must be known first */
	if (encoding != SOUP_ENCODING_NONE && encoding != SOUP_ENCODING_CONTENT_LENGTH) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_LENGTH_REQUIRED,
					 "a request body needs a Content-Length");
		return FALSE;
	}
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
	    (guint64)soup_message_headers_get_content_length(headers) > self->max_body_size) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
					 "request body too large");
		return FALSE;
	}
	reason = prov_http_trigger_check_site(msg);
	if (reason != NULL) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_FORBIDDEN, reason);
		return FALSE;
	}
	if (endpoint == PROV_HTTP_ENDPOINT_RESYNC) {
		g_autofree gchar *rule = NULL;

		if (!prov_http_trigger_decode_rule(msg, &rule, &reason)) {
			prov_http_trigger_refuse(msg, SOUP_STATUS_BAD_REQUEST, reason);
			return FALSE;
		}
	}
	if (endpoint == PROV_HTTP_ENDPOINT_EXECUTE &&
	    prov_http_trigger_body_kind(msg) == PROV_HTTP_BODY_NONE) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE,
					 "send the object as application/x-www-form-urlencoded "
					 "XML=..., or as text/xml");
		return FALSE;
	}

	/* the gates: reference 7.1 (MPP) and 7.2 */
	if (endpoint == PROV_HTTP_ENDPOINT_EXECUTE &&
	    !prov_http_trigger_get_bool(self, "CISCO_XML_EXE_Enable", FALSE)) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_FORBIDDEN,
					 "XML Execute is disabled (CISCO_XML_EXE_Enable is No)");
		return FALSE;
	}
	if (endpoint != PROV_HTTP_ENDPOINT_EXECUTE &&
	    (!prov_http_trigger_get_bool(self, "Enable_Web_Server", TRUE) ||
	     !prov_http_trigger_get_bool(self, "Enable_Direct_Action_Url", TRUE))) {
		prov_http_trigger_refuse(
		    msg, SOUP_STATUS_FORBIDDEN,
		    "functional URLs are disabled (Enable_Web_Server or Enable_Direct_Action_Url "
		    "is No)");
		return FALSE;
	}
	return prov_http_trigger_admit_account(self, msg, endpoint);
}

static void
prov_http_trigger_early_cb(SoupServer *server,
			   SoupServerMessage *msg,
			   const gchar *path,
			   GHashTable *query,
			   gpointer user_data)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(user_data);

	/* stopped: the host is gone (libsoup drops connections at disconnect; this is a guard) */
	if (self->host == NULL) {
		prov_http_trigger_answer_text(msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "stopping");
		return;
	}
	/* a status set here is the answer: libsoup then never reads the body */
	prov_http_trigger_admit(self, msg, prov_http_trigger_endpoint(path));
}

/* ---- acting ---- */

/* what the engine's refusal means in HTTP (R23: over the rate limit, 503) */
static guint
prov_http_trigger_error_status(const GError *error)
{
	if (g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED))
		return SOUP_STATUS_SERVICE_UNAVAILABLE;
	if (g_error_matches(error, PROV_ERROR, PROV_ERROR_DISABLED))
		return SOUP_STATUS_FORBIDDEN;
	if (g_error_matches(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT) ||
	    g_error_matches(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX) ||
	    g_error_matches(error, PROV_ERROR, PROV_ERROR_RESTRICTED_DOMAIN))
		return SOUP_STATUS_BAD_REQUEST;
	return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

static void
prov_http_trigger_set_retry_after(SoupServerMessage *msg, guint status)
{
	/* the rate limit counts per second */
	if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
		soup_message_headers_replace(soup_server_message_get_response_headers(msg),
					     "Retry-After", "1");
}

static gboolean
prov_http_trigger_request(ProvHttpTrigger *self,
			  SoupServerMessage *msg,
			  ProvTriggerAction action,
			  const gchar *argument,
			  GError **error)
{
	g_autofree gchar *source = prov_http_trigger_dup_source(msg);

	if (!prov_trigger_host_request(self->host, action, argument, source, error)) {
		/* the engine's message may quote the rule, and a rule may hold a key: not logged */
		g_debug("%s from %s refused by the engine: %s",
			prov_trigger_action_to_string(action), source,
			prov_error_to_string((ProvError)(*error)->code));
		return FALSE;
	}
	g_info("%s requested over HTTP by %s", prov_trigger_action_to_string(action), source);
	return TRUE;
}

/* reference 7.1: queued, not done; the answer comes before the resync runs */
static void
prov_http_trigger_functional(ProvHttpTrigger *self,
			     SoupServerMessage *msg,
			     ProvHttpEndpoint endpoint)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *rule = NULL;
	const gchar *reason = NULL;
	ProvTriggerAction action = endpoint == PROV_HTTP_ENDPOINT_REBOOT
				       ? PROV_TRIGGER_ACTION_REBOOT
				       : PROV_TRIGGER_ACTION_RESYNC;
	guint status;

	if (endpoint == PROV_HTTP_ENDPOINT_RESYNC &&
	    !prov_http_trigger_decode_rule(msg, &rule, &reason)) {
		prov_http_trigger_refuse(msg, SOUP_STATUS_BAD_REQUEST, reason);
		return;
	}
	if (!prov_http_trigger_request(self, msg, action, rule, &error)) {
		status = prov_http_trigger_error_status(error);
		prov_http_trigger_answer_text(msg, status, error->message);
		prov_http_trigger_set_retry_after(msg, status);
		return;
	}
	prov_http_trigger_answer_text(msg, SOUP_STATUS_OK,
				      action == PROV_TRIGGER_ACTION_REBOOT
					  ? "reboot requested: it happens when the device is idle"
					  : "resync queued: it runs when the device is idle");
}

static void
prov_http_trigger_append_item(GString *xml, guint status, const gchar *data, const gchar *url)
{
	g_autofree gchar *escaped_data = g_markup_escape_text(data, -1);
	g_autofree gchar *escaped_url = g_markup_escape_text(url, -1);

	g_string_append_printf(xml, "<ResponseItem Status=\"%u\" Data=\"%s\" URL=\"%s\"/>\n",
			       status, escaped_data, escaped_url);
}

static void
prov_http_trigger_answer_response(SoupServerMessage *msg, guint status, GString *items)
{
	g_autofree gchar *body =
	    g_strconcat("<CiscoIPPhoneResponse>\n", items->str, "</CiscoIPPhoneResponse>\n", NULL);

	prov_http_trigger_answer(msg, status, "text/xml; charset=utf-8", body);
}

/* the XML of the body: the `XML` field of a form, or the body itself */
static gchar *
prov_http_trigger_dup_object(SoupServerMessage *msg, gsize *length)
{
	g_autoptr(GBytes) body =
	    soup_message_body_flatten(soup_server_message_get_request_body(msg));
	gsize size = 0;
	const gchar *data = g_bytes_get_data(body, &size);
	g_autoptr(GHashTable) form = NULL;
	g_autofree gchar *text = NULL;
	const gchar *xml;

	if (prov_http_trigger_body_kind(msg) == PROV_HTTP_BODY_XML) {
		*length = size;
		return g_memdup2(data != NULL ? data : "", size);
	}
	/* a NUL would cut the form short unseen */
	if (size == 0 || memchr(data, '\0', size) != NULL)
		return NULL;
	text = g_strndup(data, size);
	form = soup_form_decode(text);
	xml = form != NULL ? g_hash_table_lookup(form, "XML") : NULL;
	if (xml == NULL)
		return NULL;
	*length = strlen(xml);
	return g_strdup(xml);
}

/* reference 7.2: Reboot needs the admin account in every mode, Trusted included */
static gboolean
prov_http_trigger_admit_reboot(ProvHttpTrigger *self, SoupServerMessage *msg)
{
	ProvHttpRole role =
	    GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(msg), PROV_HTTP_TRIGGER_ROLE_KEY));
	ProvHttpDigestAccount admin = {PROV_HTTP_TRIGGER_ADMIN,
				       prov_http_trigger_value(self, "Admin_Password")};

	if (role == PROV_HTTP_ROLE_ADMIN)
		return TRUE;
	if (!prov_http_trigger_account_exists(self, msg, PROV_HTTP_EMPTY_ADMIN, "Admin_Password",
					      admin.password)) {
		prov_http_trigger_answer_phone_error(msg, SOUP_STATUS_FORBIDDEN, 4);
		return FALSE;
	}
	return prov_http_trigger_authenticate(self, msg, PROV_HTTP_ENDPOINT_EXECUTE, &admin, 1);
}

static void
prov_http_trigger_execute(ProvHttpTrigger *self, SoupServerMessage *msg)
{
	g_autoptr(GString) items = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *object = NULL;
	g_autofree gchar *source = prov_http_trigger_dup_source(msg);
	gsize length = 0;
	guint status = SOUP_STATUS_OK;
	guint n_items;

	prov_http_trigger_warn_trusted(self);
	object = prov_http_trigger_dup_object(msg, &length);
	if (object == NULL) {
		g_debug("XML Execute from %s: no XML field in the form", source);
		prov_http_trigger_answer_phone_error(msg, SOUP_STATUS_BAD_REQUEST, 1);
		return;
	}
	if (!prov_execute_parse(self->execute, object, length, &error)) {
		const gchar *refused = prov_execute_get_refused_url(self->execute);

		g_debug("XML Execute from %s refused: %s", source, error->message);
		/* refused whole (R21): the item says why, with reference 7.2's Status 6 */
		if (refused != NULL) {
			prov_http_trigger_append_item(items, 6, error->message, refused);
			prov_http_trigger_answer_response(msg, SOUP_STATUS_BAD_REQUEST, items);
		} else {
			prov_http_trigger_answer_phone_error(msg, SOUP_STATUS_BAD_REQUEST, 1);
		}
		return;
	}
	if (prov_execute_has_action(self->execute, PROV_TRIGGER_ACTION_REBOOT) &&
	    !prov_http_trigger_admit_reboot(self, msg))
		return;

	n_items = prov_execute_get_n_items(self->execute);
	for (guint i = 0; i < n_items; i++) {
		const ProvExecuteItem *item = prov_execute_get_item(self->execute, i);

		if (status != SOUP_STATUS_OK) {
			prov_http_trigger_append_item(
			    items, 6, "not executed: an earlier item failed", item->url);
			continue;
		}
		if (!prov_http_trigger_request(self, msg, item->action, item->rule, &error)) {
			status = prov_http_trigger_error_status(error);
			prov_http_trigger_append_item(items, 6, error->message, item->url);
			g_clear_error(&error);
			continue;
		}
		prov_http_trigger_append_item(items, 0, "Success", item->url);
	}
	prov_http_trigger_answer_response(msg, status, items);
	prov_http_trigger_set_retry_after(msg, status);
}

static void
prov_http_trigger_handler_cb(SoupServer *server,
			     SoupServerMessage *msg,
			     const gchar *path,
			     GHashTable *query,
			     gpointer user_data)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(user_data);
	ProvHttpEndpoint endpoint = prov_http_trigger_endpoint(path);

	/* the early handler refused it already */
	if (soup_server_message_get_status(msg) != 0)
		return;
	if (endpoint == PROV_HTTP_ENDPOINT_EXECUTE)
		prov_http_trigger_execute(self, msg);
	else if (endpoint == PROV_HTTP_ENDPOINT_RESYNC || endpoint == PROV_HTTP_ENDPOINT_REBOOT)
		prov_http_trigger_functional(self, msg, endpoint);
	else
		prov_http_trigger_refuse(msg, SOUP_STATUS_NOT_FOUND, "not found");
}

/* ---- ProvTrigger ---- */

/* `IPV4:PORT` or `[IPV6]:PORT`, numeric: the listener starts before any resolver is asked */
static GSocketAddress *
prov_http_trigger_parse_listen(const gchar *text, GError **error)
{
	g_autofree gchar *host = NULL;
	g_autoptr(GInetAddress) address = NULL;
	const gchar *port_text;
	guint64 port = 0;

	if (text[0] == '[') {
		const gchar *close = strchr(text, ']');

		if (close == NULL || close[1] != ':') {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[%s] Listen=%s: expected [IPV6-ADDRESS]:PORT",
				    PROV_HTTP_TRIGGER_GROUP, text);
			return NULL;
		}
		host = g_strndup(text + 1, (gsize)(close - text - 1));
		port_text = close + 2;
	} else {
		const gchar *colon = strchr(text, ':');

		if (colon == NULL || strchr(colon + 1, ':') != NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[%s] Listen=%s: expected ADDRESS:PORT (an IPv6 address goes "
				    "in brackets)",
				    PROV_HTTP_TRIGGER_GROUP, text);
			return NULL;
		}
		host = g_strndup(text, (gsize)(colon - text));
		port_text = colon + 1;
	}
	address = g_inet_address_new_from_string(host);
	if (address == NULL ||
	    (text[0] == '[') != (g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] Listen=%s: %s is not a numeric IPv4 address or a bracketed IPv6 "
			    "address",
			    PROV_HTTP_TRIGGER_GROUP, text, host);
		return NULL;
	}
	if (!g_ascii_string_to_unsigned(port_text, 10, 0, G_MAXUINT16, &port, NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] Listen=%s: the port must be a number from 0 to 65535 (0: any "
			    "free port)",
			    PROV_HTTP_TRIGGER_GROUP, text);
		return NULL;
	}
	return g_inet_socket_address_new(address, (guint16)port);
}

/* a mistyped key would leave a setting silently unapplied, as in ProvConfig */
static gboolean
prov_http_trigger_load_config(ProvHttpTrigger *self,
			      GKeyFile *key_file,
			      GSocketAddress **address,
			      GError **error)
{
	g_auto(GStrv) keys = NULL;
	g_autofree gchar *listen = NULL;
	g_autofree gchar *size_text = NULL;
	guint64 size = PROV_HTTP_TRIGGER_DEFAULT_MAX_BODY_SIZE;

	if (key_file == NULL || !g_key_file_has_group(key_file, PROV_HTTP_TRIGGER_GROUP)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "no [%s] group in the configuration", PROV_HTTP_TRIGGER_GROUP);
		return FALSE;
	}
	keys = g_key_file_get_keys(key_file, PROV_HTTP_TRIGGER_GROUP, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!g_strv_contains(prov_http_trigger_keys, keys[i])) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[%s] unknown key %s (known: Listen, MaxBodySize)",
				    PROV_HTTP_TRIGGER_GROUP, keys[i]);
			return FALSE;
		}
	}
	listen = g_key_file_get_string(key_file, PROV_HTTP_TRIGGER_GROUP, "Listen", NULL);
	if (listen == NULL || g_strstrip(listen)[0] == '\0') {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] Listen is missing: set ADDRESS:PORT, such as 127.0.0.1:8080",
			    PROV_HTTP_TRIGGER_GROUP);
		return FALSE;
	}
	size_text = g_key_file_get_string(key_file, PROV_HTTP_TRIGGER_GROUP, "MaxBodySize", NULL);
	if (size_text != NULL && !g_ascii_string_to_unsigned(
				     g_strstrip(size_text), 10, PROV_HTTP_TRIGGER_MIN_MAX_BODY_SIZE,
				     PROV_HTTP_TRIGGER_MAX_MAX_BODY_SIZE, &size, NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] MaxBodySize=%s: expected a number of bytes from %u to %u",
			    PROV_HTTP_TRIGGER_GROUP, size_text, PROV_HTTP_TRIGGER_MIN_MAX_BODY_SIZE,
			    PROV_HTTP_TRIGGER_MAX_MAX_BODY_SIZE);
		return FALSE;
	}
	*address = prov_http_trigger_parse_listen(listen, error);
	if (*address == NULL)
		return FALSE;
	self->max_body_size = (gsize)size;
	return TRUE;
}

static gchar **
prov_http_trigger_dup_addresses(ProvTrigger *trigger)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(trigger);
	g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func(g_free);
	GSList *listeners;

	if (self->server == NULL)
		return g_new0(gchar *, 1);
	listeners = soup_server_get_listeners(self->server);
	for (GSList *l = listeners; l != NULL; l = l->next) {
		g_autoptr(GSocketAddress) local = g_socket_get_local_address(l->data, NULL);
		gchar *text = prov_http_trigger_format_address(local);

		if (text != NULL)
			g_ptr_array_add(addresses, text);
	}
	g_slist_free(listeners);
	g_ptr_array_add(addresses, NULL);
	return (gchar **)g_ptr_array_free(g_steal_pointer(&addresses), FALSE);
}

static gboolean
prov_http_trigger_start(ProvTrigger *trigger, ProvTriggerHost *host, GError **error)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(trigger);
	ProvConfig *config = prov_trigger_host_get_config(host);
	ProvDevice *device = prov_config_get_device(config);
	const gchar *product = device != NULL ? prov_device_get_product_name(device) : NULL;
	g_autoptr(GSocketAddress) address = NULL;
	g_autoptr(SoupServer) server = NULL;
	g_auto(GStrv) addresses = NULL;
	g_autofree gchar *joined = NULL;

	if (self->server != NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED,
				    "the HTTP trigger already listens");
		return FALSE;
	}
	if (!prov_http_trigger_load_config(self, prov_config_get_key_file(config), &address, error))
		return FALSE;
	/* no version in the Server header: it only helps whoever scans for a weakness */
	server = soup_server_new("server-header", "provisiond", NULL);
	soup_server_add_early_handler(server, NULL, prov_http_trigger_early_cb, self, NULL);
	soup_server_add_handler(server, NULL, prov_http_trigger_handler_cb, self, NULL);
	if (!soup_server_listen(server, address, 0, error)) {
		g_prefix_error(error, "[%s] Listen: cannot listen: ", PROV_HTTP_TRIGGER_GROUP);
		return FALSE;
	}
	/* the realm names the device in a browser's prompt; a new key makes old nonces stale */
	g_clear_object(&self->digest);
	g_clear_object(&self->execute);
	self->execute = prov_execute_new(prov_config_get_limits(config));
	self->digest =
	    prov_http_digest_new(product != NULL && product[0] != '\0' ? product : "provisiond");
	self->server = g_steal_pointer(&server);
	self->host = host;
	self->warned_trusted = FALSE;
	self->warned_empty = 0;
	prov_http_trigger_warn_trusted(self);
	addresses = prov_http_trigger_dup_addresses(trigger);
	joined = g_strjoinv(", ", addresses);
	g_info("HTTP trigger listening on %s", joined);
	return TRUE;
}

static void
prov_http_trigger_stop(ProvTrigger *trigger)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(trigger);

	if (self->server != NULL)
		soup_server_disconnect(self->server);
	g_clear_object(&self->server);
	self->host = NULL;
}

static void
prov_http_trigger_iface_init(ProvTriggerInterface *iface)
{
	iface->start = prov_http_trigger_start;
	iface->stop = prov_http_trigger_stop;
	iface->dup_addresses = prov_http_trigger_dup_addresses;
}

static void
prov_http_trigger_dispose(GObject *object)
{
	ProvHttpTrigger *self = PROV_HTTP_TRIGGER(object);

	prov_http_trigger_stop(PROV_TRIGGER(self));
	g_clear_object(&self->digest);
	g_clear_object(&self->execute);
	G_OBJECT_CLASS(prov_http_trigger_parent_class)->dispose(object);
}

static void
prov_http_trigger_class_init(ProvHttpTriggerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_http_trigger_dispose;
}

static void
prov_http_trigger_init(ProvHttpTrigger *self)
{
	self->execute = prov_execute_new(NULL);
	self->max_body_size = PROV_HTTP_TRIGGER_DEFAULT_MAX_BODY_SIZE;
}

/**
 * prov_http_trigger_new:
 *
 * Returns: (transfer full): an HTTP trigger; prov_trigger_start() reads
 *   `[http-trigger]` and listens
 */
ProvHttpTrigger *
prov_http_trigger_new(void)
{
	return g_object_new(PROV_TYPE_HTTP_TRIGGER, NULL);
}
