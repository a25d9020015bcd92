/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <gio/gio.h>
#include <prov-config.h>
#include <prov-error.h>
#include <prov-execute.h>
#include <prov-params.h>
#include <string.h>

#include "prov-sip-digest.h"
#include "prov-sip-message.h"
#include "prov-sip-notify-trigger.h"

#define PROV_SIP_NOTIFY_GROUP		     "sip-trigger"
#define PROV_SIP_NOTIFY_IDLE_TIMEOUT_DEFAULT 30
#define PROV_SIP_NOTIFY_IDLE_TIMEOUT_MAX     3600
/* binding UDP and TCP to one free port can race with other programs: retry */
#define PROV_SIP_NOTIFY_BIND_ATTEMPTS 32
/* datagrams read in one dispatch, so that other sources still run */
#define PROV_SIP_NOTIFY_RECEIVE_BURST 32
/* larger than any UDP payload */
#define PROV_SIP_NOTIFY_DATAGRAM_MAX	65536
#define PROV_SIP_NOTIFY_READ_CHUNK	4096
#define PROV_SIP_NOTIFY_CONNECTIONS_MAX 64
/* responses a peer has not read yet: beyond this it is not a SIP peer */
#define PROV_SIP_NOTIFY_OUTGOING_MAX (64 * 1024)
/* RFC 3261 17.2.2: a non-INVITE server transaction absorbs retransmissions for 64*T1 */
#define PROV_SIP_NOTIFY_TRANSACTION_LIFETIME (32 * G_USEC_PER_SEC)
#define PROV_SIP_NOTIFY_TRANSACTIONS_MAX     64
#define PROV_SIP_NOTIFY_TRANSACTION_SIZE_MAX 2048
/* reference 7.3 PROPOSED: the second wrong digest in a row is refused */
#define PROV_SIP_NOTIFY_FAILURES_MAX 2
#define PROV_SIP_NOTIFY_LOG_TEXT_MAX 64

static const gchar *const prov_sip_notify_keys[] = {"Listen", "AllowedSources", "IdleTimeout",
						    NULL};

/* RFC 3261 and its extensions: answered 405, any other method 501 */
static const gchar *const prov_sip_notify_known_methods[] = {
    "INVITE", "CANCEL", "BYE",	   "REGISTER", "OPTIONS",   "INFO", "PRACK",
    "UPDATE", "REFER",	"MESSAGE", "PUBLISH",  "SUBSCRIBE", NULL,
};

#define PROV_SIP_NOTIFY_ALLOW_EVENTS                                                               \
	"Allow-Events: resync, check-sync, reboot_now, restart_now, reboot, report, XML-Service"

typedef enum {
	PROV_SIP_EVENT_RESYNC,
	PROV_SIP_EVENT_CHECK_SYNC,
	PROV_SIP_EVENT_REBOOT,
	PROV_SIP_EVENT_RESTART,
	PROV_SIP_EVENT_REPORT,
	PROV_SIP_EVENT_XML_SERVICE,
} ProvSipEvent;

/* reference 7.3 */
static const struct {
	const gchar *package;
	ProvSipEvent event;
} prov_sip_notify_events[] = {
    {"resync", PROV_SIP_EVENT_RESYNC},
    {"check-sync", PROV_SIP_EVENT_CHECK_SYNC},
    {"reboot_now", PROV_SIP_EVENT_REBOOT},
    /* the Asterisk "spa-reboot" convention */
    {"reboot", PROV_SIP_EVENT_REBOOT},
    {"restart_now", PROV_SIP_EVENT_RESTART},
    {"report", PROV_SIP_EVENT_REPORT},
    {"XML-Service", PROV_SIP_EVENT_XML_SERVICE},
};

/* one line's credentials; the password is a secret, wiped when freed */
typedef struct {
	guint index;
	gchar *auth_name;
	gchar *password;
	gchar *realm;
	gboolean auth_required;
} ProvSipLine;

/* where a message came from, in the forms the handling needs */
typedef struct {
	gboolean stream;
	/* IPv4-mapped IPv6 addresses as IPv4 */
	gchar *ip;
	guint16 port;
	/* ADDRESS:PORT or [ADDRESS]:PORT, for the engine's logs and rate limit */
	gchar *source;
	GInetAddress *address;
} ProvSipPeer;

typedef struct {
	guint status;
	GPtrArray *headers;
} ProvSipReply;

typedef struct {
	gchar *key;
	GBytes *response;
	gint64 expires;
} ProvSipTransaction;

typedef struct _ProvSipConnection ProvSipConnection;

struct _ProvSipNotifyTrigger {
	GObject parent_instance;
	ProvTriggerHost *host;
	GInetSocketAddress *address;
	GSocket *udp;
	GSource *udp_source;
	guint8 *datagram;
	GSocketService *service;
	GList *connections;
	guint n_connections;
	GPtrArray *allowed;
	guint idle_timeout;
	ProvSipNonces *nonces;
	GHashTable *transactions;
	GQueue transaction_order;
	gboolean warned_no_credentials;
};

struct _ProvSipConnection {
	grefcount ref_count;
	/* NULL once the connection is closed or the trigger stopped */
	ProvSipNotifyTrigger *trigger;
	GSocketConnection *connection;
	GCancellable *cancellable;
	ProvSipPeer peer;
	GByteArray *buffer;
	guint8 chunk[PROV_SIP_NOTIFY_READ_CHUNK];
	GQueue outgoing;
	gsize outgoing_len;
	GBytes *writing;
	/* no more reads: close once what is queued has been written */
	gboolean draining;
	gboolean closed;
	guint idle_id;
};

static void
prov_sip_notify_trigger_iface_init(ProvTriggerInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvSipNotifyTrigger,
			prov_sip_notify_trigger,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER,
					      prov_sip_notify_trigger_iface_init))

static void
prov_sip_line_free(ProvSipLine *line)
{
	g_free(line->auth_name);
	if (line->password != NULL)
		explicit_bzero(line->password, strlen(line->password));
	g_free(line->password);
	g_free(line->realm);
	g_free(line);
}

static void
prov_sip_peer_clear(ProvSipPeer *peer)
{
	g_clear_pointer(&peer->ip, g_free);
	g_clear_pointer(&peer->source, g_free);
	g_clear_object(&peer->address);
}

static void
prov_sip_reply_clear(ProvSipReply *reply)
{
	g_clear_pointer(&reply->headers, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvSipPeer, prov_sip_peer_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvSipReply, prov_sip_reply_clear)

static void
prov_sip_transaction_free(ProvSipTransaction *transaction)
{
	g_free(transaction->key);
	g_bytes_unref(transaction->response);
	g_free(transaction);
}

/* untrusted text in a log line: escaped, cut short */
static gchar *
prov_sip_log_text(const gchar *text)
{
	g_autofree gchar *cut = NULL;

	if (text == NULL)
		return g_strdup("(none)");
	cut = g_strndup(text, PROV_SIP_NOTIFY_LOG_TEXT_MAX);
	return g_strescape(cut, NULL);
}

/* bool parameters are canonical Yes/No; an empty value keeps the documented default */
static gboolean
prov_sip_params_get_bool(ProvParams *params, const gchar *name, gboolean fallback)
{
	const gchar *value = prov_params_get_value(params, name);

	if (value == NULL || value[0] == '\0')
		return fallback;
	return g_ascii_strcasecmp(value, "yes") == 0 || g_ascii_strcasecmp(value, "true") == 0 ||
	       g_strcmp0(value, "1") == 0;
}

/* a per-line parameter: @prefix `User_ID_` and line 1 read `User_ID_1_` */
static const gchar *
prov_sip_params_get_line(ProvParams *params, const gchar *prefix, guint index)
{
	g_autofree gchar *name = g_strdup_printf("%s%u_", prefix, index);
	const gchar *value = prov_params_get_value(params, name);

	return value != NULL ? value : "";
}

/*
 * reference 7.3 PROPOSED: the realm is the line's SIP domain, the host of
 * Proxy_n_ (`sip:user@host:port;params` or `host:port`); without a proxy,
 * the host the request was addressed to
 */
static gchar *
prov_sip_realm_for(const gchar *proxy, const gchar *uri_host)
{
	const gchar *start = proxy;
	const gchar *at;
	gsize len;
	GString *realm;

	if (g_ascii_strncasecmp(start, "sips:", 5) == 0)
		start += 5;
	else if (g_ascii_strncasecmp(start, "sip:", 4) == 0)
		start += 4;
	at = strchr(start, '@');
	if (at != NULL)
		start = at + 1;
	if (start[0] == '[') {
		const gchar *close = strchr(start, ']');

		len = close != NULL ? (gsize)(close - start + 1) : strlen(start);
	} else {
		len = strcspn(start, ":;/? \t");
	}
	if (len == 0) {
		start = uri_host != NULL ? uri_host : "";
		len = strlen(start);
	}
	/* the realm goes into a quoted-string of a header: visible ASCII only */
	realm = g_string_sized_new(len);
	for (gsize i = 0; i < len; i++) {
		gchar c = start[i];

		g_string_append_c(realm, c > 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
	}
	return g_string_free(realm, FALSE);
}

static gboolean
prov_sip_line_is_enabled(ProvParams *params, guint index)
{
	g_autofree gchar *name = g_strdup_printf("Line_Enable_%u_", index);

	return prov_sip_params_get_bool(params, name, TRUE);
}

static ProvSipLine *
prov_sip_line_new(ProvParams *params, guint index, const gchar *uri_host)
{
	ProvSipLine *line = g_new0(ProvSipLine, 1);
	const gchar *auth_id = prov_sip_params_get_line(params, "Auth_ID_", index);
	g_autofree gchar *auth_name = g_strdup_printf("Auth_Resync-Reboot_%u_", index);

	line->index = index;
	/* lines.json: an empty Auth_ID means the user ID */
	line->auth_name = g_strdup(
	    auth_id[0] != '\0' ? auth_id : prov_sip_params_get_line(params, "User_ID_", index));
	line->password = g_strdup(prov_sip_params_get_line(params, "Password_", index));
	line->realm =
	    prov_sip_realm_for(prov_sip_params_get_line(params, "Proxy_", index), uri_host);
	line->auth_required = prov_sip_params_get_bool(params, auth_name, TRUE);
	return line;
}

static gboolean
prov_sip_line_can_authenticate(const ProvSipLine *line)
{
	/* no built-in account: a line without a password authenticates nobody */
	return line->auth_name[0] != '\0' && line->password[0] != '\0';
}

/*
 * The lines that may authenticate a request: the one whose User_ID is the
 * Request-URI's user (reference 7.3: the line addressed in the
 * Request-URI), or, when the URI names none of them, every enabled line
 * with credentials. @addressed is 0 when no line is addressed.
 */
static GPtrArray *
prov_sip_notify_trigger_find_lines(ProvSipNotifyTrigger *self,
				   const ProvSipMessage *message,
				   guint *addressed,
				   gboolean *auth_required)
{
	ProvParams *params = prov_trigger_host_get_params(self->host);
	GPtrArray *lines = g_ptr_array_new_with_free_func((GDestroyNotify)prov_sip_line_free);
	guint n_lines = prov_params_get_line_count(params);

	*addressed = 0;
	*auth_required = TRUE;
	for (guint i = 1; message->uri_user != NULL && i <= n_lines; i++) {
		ProvSipLine *line;

		if (!prov_sip_line_is_enabled(params, i) ||
		    g_strcmp0(prov_sip_params_get_line(params, "User_ID_", i), message->uri_user) !=
			0)
			continue;
		line = prov_sip_line_new(params, i, message->uri_host);
		*addressed = i;
		*auth_required = line->auth_required;
		if (prov_sip_line_can_authenticate(line))
			g_ptr_array_add(lines, line);
		else
			prov_sip_line_free(line);
		return lines;
	}
	for (guint i = 1; i <= n_lines; i++) {
		ProvSipLine *line;

		if (!prov_sip_line_is_enabled(params, i))
			continue;
		line = prov_sip_line_new(params, i, message->uri_host);
		if (prov_sip_line_can_authenticate(line))
			g_ptr_array_add(lines, line);
		else
			prov_sip_line_free(line);
	}
	return lines;
}

static void
prov_sip_reply_set(ProvSipReply *reply, guint status)
{
	reply->status = status;
}

static void
prov_sip_reply_add_header(ProvSipReply *reply, gchar *header)
{
	/* prov_sip_response_build() takes a NULL-terminated array */
	if (reply->headers == NULL)
		reply->headers = g_ptr_array_new_null_terminated(1, g_free, TRUE);
	g_ptr_array_add(reply->headers, header);
}

/* RFC 3261 22.4 / RFC 2617 3.2.1: one challenge per realm, each with a fresh nonce */
static gboolean
prov_sip_notify_trigger_challenge(ProvSipNotifyTrigger *self,
				  GPtrArray *lines,
				  const ProvSipPeer *peer,
				  guint failures,
				  ProvSipReply *reply)
{
	g_autoptr(GHashTable) realms = g_hash_table_new(g_str_hash, g_str_equal);
	gint64 now = g_get_monotonic_time();

	for (guint i = 0; i < lines->len; i++) {
		const ProvSipLine *line = g_ptr_array_index(lines, i);
		g_autofree gchar *nonce = NULL;

		if (!g_hash_table_add(realms, line->realm))
			continue;
		nonce = prov_sip_nonces_issue(self->nonces, peer->ip, line->realm, failures, now);
		if (nonce == NULL) {
			g_warning("no random numbers for a nonce: NOTIFY refused");
			prov_sip_reply_set(reply, 500);
			return FALSE;
		}
		prov_sip_reply_add_header(
		    reply, g_strdup_printf("WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", "
					   "algorithm=MD5, qop=\"auth\"",
					   line->realm, nonce));
	}
	prov_sip_reply_set(reply, 401);
	return TRUE;
}

/*
 * R20: the digest of the credentials for one of the lines' realms, with a
 * nonce issued to this source and not used before, and the uri that names
 * the Request-URI. %TRUE when authenticated; otherwise @reply says why not.
 */
static gboolean
prov_sip_notify_trigger_authenticate(ProvSipNotifyTrigger *self,
				     const ProvSipMessage *message,
				     GPtrArray *lines,
				     const ProvSipPeer *peer,
				     guint *line_index,
				     ProvSipReply *reply)
{
	const ProvSipAuthorization *authorization = NULL;
	g_autoptr(GError) error = NULL;
	guint failures = 0;

	for (guint i = 0; i < lines->len && authorization == NULL; i++) {
		const ProvSipLine *line = g_ptr_array_index(lines, i);

		authorization = prov_sip_message_find_authorization(message, line->realm);
	}
	if (authorization == NULL) {
		g_debug("notify from %s: challenged", peer->source);
		prov_sip_notify_trigger_challenge(self, lines, peer, 0, reply);
		return FALSE;
	}
	if (!prov_sip_authorization_validate(authorization, &error)) {
		g_debug("notify from %s: %s", peer->source, error->message);
		prov_sip_reply_set(reply, 400);
		return FALSE;
	}
	/* RFC 2617 3.2.2.5: credentials computed for another URI prove nothing here */
	if (!g_str_equal(authorization->uri, message->request_uri)) {
		g_debug("notify from %s: digest uri is not the Request-URI", peer->source);
		prov_sip_reply_set(reply, 400);
		return FALSE;
	}
	if (!prov_sip_nonces_take(self->nonces, authorization->nonce, peer->ip,
				  authorization->realm, g_get_monotonic_time(), &failures)) {
		/* replayed, expired, or never issued to this source: a new challenge */
		g_info("notify from %s: unknown, used or expired nonce refused", peer->source);
		prov_sip_notify_trigger_challenge(self, lines, peer, 0, reply);
		return FALSE;
	}
	for (guint i = 0; i < lines->len; i++) {
		const ProvSipLine *line = g_ptr_array_index(lines, i);
		g_autofree gchar *expected = NULL;

		if (!g_str_equal(line->realm, authorization->realm) ||
		    !g_str_equal(line->auth_name, authorization->username))
			continue;
		expected = prov_sip_digest_compute(line->auth_name, line->realm, line->password,
						   message->method, authorization->uri,
						   authorization->nonce, authorization->nc,
						   authorization->cnonce, authorization->qop);
		if (prov_sip_digest_equal(expected, authorization->response)) {
			*line_index = line->index;
			return TRUE;
		}
	}
	if (failures + 1 >= PROV_SIP_NOTIFY_FAILURES_MAX) {
		g_warning("notify from %s: wrong digest credentials again, refused", peer->source);
		prov_sip_reply_set(reply, 403);
		return FALSE;
	}
	g_info("notify from %s: wrong digest credentials", peer->source);
	prov_sip_notify_trigger_challenge(self, lines, peer, failures + 1, reply);
	return FALSE;
}

/* the engine's refusal as a SIP status (R23: over the rate limit, 503 with Retry-After) */
static void
prov_sip_reply_set_refusal(ProvSipReply *reply, const GError *error, gboolean from_xml)
{
	if (g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED) ||
	    g_error_matches(error, PROV_ERROR, PROV_ERROR_BUSY)) {
		prov_sip_reply_set(reply, 503);
		prov_sip_reply_add_header(reply, g_strdup("Retry-After: 1"));
	} else if (g_error_matches(error, PROV_ERROR, PROV_ERROR_DISABLED)) {
		prov_sip_reply_set(reply, 403);
	} else if (error->domain == PROV_ERROR && (error->code == PROV_ERROR_INVALID_ARGUMENT ||
						   error->code == PROV_ERROR_RULE_SYNTAX)) {
		/* a rule from an Execute object that cannot run; Report_Rule unset for report */
		prov_sip_reply_set(reply, from_xml ? 488 : 403);
	} else {
		prov_sip_reply_set(reply, 500);
	}
}

static gboolean
prov_sip_notify_trigger_request(ProvSipNotifyTrigger *self,
				ProvTriggerAction action,
				const gchar *argument,
				const ProvSipPeer *peer,
				gboolean from_xml,
				ProvSipReply *reply)
{
	g_autoptr(GError) error = NULL;

	if (!prov_trigger_host_request(self->host, action, argument, peer->source, &error)) {
		g_info("notify from %s: %s refused: %s", peer->source,
		       prov_trigger_action_to_string(action), error->message);
		prov_sip_reply_set_refusal(reply, error, from_xml);
		return FALSE;
	}
	g_info("notify from %s: %s requested", peer->source, prov_trigger_action_to_string(action));
	return TRUE;
}

/* reference 7.2 through 7.3's XML-Service event: an Execute object in the body */
static void
prov_sip_notify_trigger_execute(ProvSipNotifyTrigger *self,
				const ProvSipMessage *message,
				const ProvSipPeer *peer,
				ProvSipReply *reply)
{
	ProvParams *params = prov_trigger_host_get_params(self->host);
	ProvConfig *config = prov_trigger_host_get_config(self->host);
	g_autoptr(ProvExecute) execute = prov_execute_new(prov_config_get_limits(config));
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *body = g_bytes_get_data(message->body, &len);

	if (!prov_sip_params_get_bool(params, "CISCO_XML_EXE_Enable", FALSE)) {
		g_info("notify from %s: XML-Service refused: CISCO_XML_EXE_Enable is No",
		       peer->source);
		prov_sip_reply_set(reply, 403);
		return;
	}
	/* the service-URL form (newer firmware) would make provisiond fetch for the caller */
	if (message->content_type != NULL &&
	    !g_str_equal(message->content_type, "application/xml") &&
	    !g_str_equal(message->content_type, "text/xml")) {
		prov_sip_reply_set(reply, 415);
		prov_sip_reply_add_header(reply, g_strdup("Accept: application/xml, text/xml"));
		return;
	}
	if (!prov_execute_parse(execute, body, len, &error)) {
		g_info("notify from %s: XML-Service refused: %s", peer->source, error->message);
		prov_sip_reply_set(
		    reply,
		    g_error_matches(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE) ? 488 : 400);
		return;
	}
	if (prov_execute_has_action(execute, PROV_TRIGGER_ACTION_RESYNC) &&
	    !prov_sip_params_get_bool(params, "Resync_From_SIP", TRUE)) {
		g_info("notify from %s: XML-Service resync refused: Resync_From_SIP is No",
		       peer->source);
		prov_sip_reply_set(reply, 403);
		return;
	}
	for (guint i = 0; i < prov_execute_get_n_items(execute); i++) {
		const ProvExecuteItem *item = prov_execute_get_item(execute, i);

		if (!prov_sip_notify_trigger_request(self, item->action, item->rule, peer, TRUE,
						     reply))
			return;
	}
	prov_sip_reply_set(reply, 200);
}

/* reference 7.3: what an authenticated NOTIFY asks for, behind its gate */
static void
prov_sip_notify_trigger_act(ProvSipNotifyTrigger *self,
			    const ProvSipMessage *message,
			    ProvSipEvent event,
			    gboolean reboot,
			    const ProvSipPeer *peer,
			    ProvSipReply *reply)
{
	ProvParams *params = prov_trigger_host_get_params(self->host);
	ProvTriggerAction action;

	switch (event) {
	case PROV_SIP_EVENT_RESYNC:
	case PROV_SIP_EVENT_CHECK_SYNC:
		if (!prov_sip_params_get_bool(params, "Resync_From_SIP", TRUE)) {
			g_info("notify from %s: refused: Resync_From_SIP is No", peer->source);
			prov_sip_reply_set(reply, 403);
			return;
		}
		/* check-sync;reboot=true: the boot resync then fetches the profile */
		action = reboot ? PROV_TRIGGER_ACTION_REBOOT : PROV_TRIGGER_ACTION_RESYNC;
		break;
	case PROV_SIP_EVENT_REBOOT:
		action = PROV_TRIGGER_ACTION_REBOOT;
		break;
	case PROV_SIP_EVENT_RESTART:
		action = PROV_TRIGGER_ACTION_RESTART;
		break;
	case PROV_SIP_EVENT_REPORT:
		action = PROV_TRIGGER_ACTION_REPORT;
		break;
	case PROV_SIP_EVENT_XML_SERVICE:
	default:
		prov_sip_notify_trigger_execute(self, message, peer, reply);
		return;
	}
	/* reference 7.3 PROPOSED: a body naming a rule is ignored; the configured rules run */
	if (prov_sip_notify_trigger_request(self, action, NULL, peer, FALSE, reply))
		prov_sip_reply_set(reply, 200);
}

static gboolean
prov_sip_notify_trigger_parse_event(const ProvSipMessage *message,
				    ProvSipEvent *event,
				    gboolean *reboot,
				    ProvSipReply *reply)
{
	g_autofree gchar *package = NULL;
	g_autoptr(GHashTable) params = NULL;
	const gchar *reboot_value;

	/* RFC 6665 8.2.1: a NOTIFY carries exactly one Event */
	if (message->events->len != 1 ||
	    !prov_sip_event_parse(g_ptr_array_index(message->events, 0), &package, &params, NULL)) {
		prov_sip_reply_set(reply, 400);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(prov_sip_notify_events); i++) {
		if (g_ascii_strcasecmp(package, prov_sip_notify_events[i].package) != 0)
			continue;
		*event = prov_sip_notify_events[i].event;
		*reboot = FALSE;
		reboot_value = g_hash_table_lookup(params, "reboot");
		if (*event == PROV_SIP_EVENT_CHECK_SYNC && reboot_value != NULL) {
			if (g_ascii_strcasecmp(reboot_value, "true") == 0) {
				*reboot = TRUE;
			} else if (g_ascii_strcasecmp(reboot_value, "false") != 0) {
				prov_sip_reply_set(reply, 400);
				return FALSE;
			}
		}
		return TRUE;
	}
	prov_sip_reply_set(reply, 489);
	prov_sip_reply_add_header(reply, g_strdup(PROV_SIP_NOTIFY_ALLOW_EVENTS));
	return FALSE;
}

/* the answer to a parsed request, decided in the order of reference 7.3 and R20-R23 */
static void
prov_sip_notify_trigger_decide(ProvSipNotifyTrigger *self,
			       const ProvSipMessage *message,
			       const ProvSipPeer *peer,
			       ProvSipReply *reply)
{
	g_autoptr(GPtrArray) lines = NULL;
	g_autofree gchar *event_text = NULL;
	guint addressed = 0;
	gboolean auth_required = TRUE;
	ProvSipEvent event = PROV_SIP_EVENT_RESYNC;
	gboolean reboot = FALSE;
	guint line_index = 0;

	if (!g_str_equal(message->uri_scheme, "sip") && !g_str_equal(message->uri_scheme, "sips")) {
		prov_sip_reply_set(reply, 416);
		return;
	}
	if (!g_str_equal(message->method, "NOTIFY")) {
		if (g_strv_contains(prov_sip_notify_known_methods, message->method)) {
			prov_sip_reply_set(reply, 405);
			prov_sip_reply_add_header(reply, g_strdup("Allow: NOTIFY"));
		} else {
			prov_sip_reply_set(reply, 501);
		}
		return;
	}
	if (!prov_sip_notify_trigger_parse_event(message, &event, &reboot, reply)) {
		event_text = prov_sip_log_text(
		    message->events->len > 0 ? g_ptr_array_index(message->events, 0) : NULL);
		g_debug("notify from %s: event %s refused with %u", peer->source, event_text,
			reply->status);
		return;
	}

	lines = prov_sip_notify_trigger_find_lines(self, message, &addressed, &auth_required);
	if (addressed != 0 && !auth_required && event != PROV_SIP_EVENT_XML_SERVICE) {
		/* reference 7.3 PROPOSED: the operator turned the challenge off for this line */
		g_warning("notify from %s: accepted without authentication, "
			  "Auth_Resync-Reboot_%u_ is No",
			  peer->source, addressed);
		line_index = addressed;
	} else if (lines->len == 0) {
		if (!self->warned_no_credentials)
			g_warning("no line with a user ID and a SIP password for %s: SIP NOTIFY "
				  "requests are refused (there is no built-in account)",
				  message->uri_user != NULL ? "the addressed user" : "any line");
		self->warned_no_credentials = TRUE;
		prov_sip_reply_set(reply, 403);
		return;
	} else if (!prov_sip_notify_trigger_authenticate(self, message, lines, peer, &line_index,
							 reply)) {
		return;
	}
	g_debug("notify from %s: authenticated for line %u", peer->source, line_index);
	prov_sip_notify_trigger_act(self, message, event, reboot, peer, reply);
}

static gboolean
prov_sip_notify_trigger_is_allowed(ProvSipNotifyTrigger *self, GInetAddress *address)
{
	if (self->allowed == NULL)
		return TRUE;
	for (guint i = 0; i < self->allowed->len; i++) {
		if (g_inet_address_mask_matches(g_ptr_array_index(self->allowed, i), address))
			return TRUE;
	}
	return FALSE;
}

static void
prov_sip_notify_trigger_expire_transactions(ProvSipNotifyTrigger *self, gint64 now)
{
	ProvSipTransaction *oldest;

	while ((oldest = g_queue_peek_head(&self->transaction_order)) != NULL &&
	       (oldest->expires <= now ||
		g_queue_get_length(&self->transaction_order) >= PROV_SIP_NOTIFY_TRANSACTIONS_MAX)) {
		g_queue_pop_head(&self->transaction_order);
		g_hash_table_remove(self->transactions, oldest->key);
	}
}

static void
prov_sip_notify_trigger_remember(ProvSipNotifyTrigger *self, gchar *key, GBytes *response)
{
	ProvSipTransaction *transaction;

	if (g_bytes_get_size(response) > PROV_SIP_NOTIFY_TRANSACTION_SIZE_MAX ||
	    g_hash_table_contains(self->transactions, key)) {
		g_free(key);
		return;
	}
	prov_sip_notify_trigger_expire_transactions(self, g_get_monotonic_time());
	transaction = g_new0(ProvSipTransaction, 1);
	transaction->key = key;
	transaction->response = g_bytes_ref(response);
	transaction->expires = g_get_monotonic_time() + PROV_SIP_NOTIFY_TRANSACTION_LIFETIME;
	g_hash_table_insert(self->transactions, transaction->key, transaction);
	g_queue_push_tail(&self->transaction_order, transaction);
}

static GBytes *
prov_sip_notify_trigger_respond(const ProvSipEcho *echo, const ProvSipReply *reply)
{
	g_autofree gchar *to_tag = prov_sip_random_hex(8);

	return prov_sip_response_build(
	    echo, reply->status, to_tag,
	    reply->headers != NULL ? (const gchar *const *)reply->headers->pdata : NULL);
}

/*
 * One message from @peer: the response to send back on the same transport,
 * or %NULL to send nothing (responses, ACK, what cannot be answered)
 */
static GBytes *
prov_sip_notify_trigger_handle(ProvSipNotifyTrigger *self,
			       const ProvSipPeer *peer,
			       const guint8 *data,
			       ProvSipFrameStatus status,
			       const ProvSipFrame *frame,
			       const GError *frame_error)
{
	g_autoptr(ProvSipEcho) raw_echo = NULL;
	g_autoptr(ProvSipMessage) message = NULL;
	g_auto(ProvSipReply) reply = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *digest = NULL;
	g_autofree gchar *key = NULL;
	GBytes *response;
	ProvSipTransaction *transaction;

	if (frame->is_response || frame->is_ack)
		return NULL;
	if (status == PROV_SIP_FRAME_COMPLETE) {
		digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256, data + frame->skipped,
						     frame->total_len - frame->skipped);
		key =
		    g_strdup_printf("%s %s %s", peer->stream ? "tcp" : "udp", peer->source, digest);
		prov_sip_notify_trigger_expire_transactions(self, g_get_monotonic_time());
		transaction = g_hash_table_lookup(self->transactions, key);
		/* RFC 3261 17.2.2: a retransmission gets the same answer, and acts once */
		if (transaction != NULL)
			return g_bytes_ref(transaction->response);
	}

	if (!prov_sip_notify_trigger_is_allowed(self, peer->address)) {
		raw_echo = prov_sip_echo_new_from_frame(data, frame);
		g_debug("notify from %s: not in AllowedSources, refused", peer->source);
		if (raw_echo == NULL)
			return NULL;
		prov_sip_reply_set(&reply, 403);
		return prov_sip_notify_trigger_respond(raw_echo, &reply);
	}
	if (status != PROV_SIP_FRAME_COMPLETE) {
		raw_echo = prov_sip_echo_new_from_frame(data, frame);
		g_debug("message from %s %s: %s", peer->source,
			raw_echo != NULL ? "refused" : "dropped", frame_error->message);
		if (raw_echo == NULL)
			return NULL;
		prov_sip_reply_set(&reply, 400);
		return prov_sip_notify_trigger_respond(raw_echo, &reply);
	}

	message = prov_sip_message_parse(data, frame, &error);
	if (message == NULL) {
		raw_echo = prov_sip_echo_new_from_frame(data, frame);
		g_debug("message from %s %s: %s", peer->source,
			raw_echo != NULL ? "refused" : "dropped", error->message);
		if (raw_echo == NULL)
			return NULL;
		prov_sip_reply_set(&reply, 400);
		response = prov_sip_notify_trigger_respond(raw_echo, &reply);
	} else {
		prov_sip_echo_set_received(message->echo, message->via_host, message->via_rport,
					   peer->ip, peer->port);
		prov_sip_notify_trigger_decide(self, message, peer, &reply);
		response = prov_sip_notify_trigger_respond(message->echo, &reply);
	}
	prov_sip_notify_trigger_remember(self, g_steal_pointer(&key), response);
	return response;
}

/* ::ffff:a.b.c.d (RFC 4291 2.5.5.2), what a dual-stack socket reports for IPv4 peers */
static gboolean
prov_sip_is_v4_mapped(GInetAddress *address)
{
	static const guint8 prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	return g_inet_address_get_family(address) == G_SOCKET_FAMILY_IPV6 &&
	       memcmp(g_inet_address_to_bytes(address), prefix, sizeof(prefix)) == 0;
}

/* the peer's address as the engine and the logs see it: IPv4-mapped IPv6 as IPv4 */
static gboolean
prov_sip_peer_init(ProvSipPeer *peer, GSocketAddress *address, gboolean stream)
{
	GInetAddress *ip;

	if (!G_IS_INET_SOCKET_ADDRESS(address))
		return FALSE;
	ip = g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(address));
	peer->stream = stream;
	peer->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address));
	if (prov_sip_is_v4_mapped(ip)) {
		const guint8 *bytes = g_inet_address_to_bytes(ip);

		peer->address = g_inet_address_new_from_bytes(bytes + 12, G_SOCKET_FAMILY_IPV4);
	} else {
		peer->address = g_object_ref(ip);
	}
	peer->ip = g_inet_address_to_string(peer->address);
	peer->source = g_inet_address_get_family(peer->address) == G_SOCKET_FAMILY_IPV6
			   ? g_strdup_printf("[%s]:%u", peer->ip, peer->port)
			   : g_strdup_printf("%s:%u", peer->ip, peer->port);
	return TRUE;
}

static gboolean
prov_sip_notify_trigger_udp_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(user_data);

	for (guint i = 0; i < PROV_SIP_NOTIFY_RECEIVE_BURST; i++) {
		g_autoptr(GSocketAddress) from = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(GError) frame_error = NULL;
		g_autoptr(GBytes) response = NULL;
		g_auto(ProvSipPeer) peer = {0};
		ProvSipFrameStatus status;
		ProvSipFrame frame;
		gssize len;

		len = g_socket_receive_from(socket, &from, (gchar *)self->datagram,
					    PROV_SIP_NOTIFY_DATAGRAM_MAX, NULL, &error);
		if (len < 0) {
			if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				g_debug("udp: %s", error->message);
			break;
		}
		if (!prov_sip_peer_init(&peer, from, FALSE))
			continue;
		status =
		    prov_sip_frame_scan(self->datagram, (gsize)len, FALSE, &frame, &frame_error);
		/* a keep-alive of CR LF, or nothing */
		if (status == PROV_SIP_FRAME_INCOMPLETE)
			continue;
		response = prov_sip_notify_trigger_handle(self, &peer, self->datagram, status,
							  &frame, frame_error);
		if (response == NULL)
			continue;
		/* RFC 3581: to the packet's source, never to a port the message names */
		if (g_socket_send_to(socket, from, g_bytes_get_data(response, NULL),
				     g_bytes_get_size(response), NULL, &error) < 0)
			g_debug("udp: response to %s: %s", peer.source, error->message);
	}
	return G_SOURCE_CONTINUE;
}

static ProvSipConnection *
prov_sip_connection_ref(ProvSipConnection *connection)
{
	g_ref_count_inc(&connection->ref_count);
	return connection;
}

static void
prov_sip_connection_unref(ProvSipConnection *connection)
{
	if (!g_ref_count_dec(&connection->ref_count))
		return;
	g_object_unref(connection->connection);
	g_object_unref(connection->cancellable);
	prov_sip_peer_clear(&connection->peer);
	g_byte_array_unref(connection->buffer);
	g_queue_clear_full(&connection->outgoing, (GDestroyNotify)g_bytes_unref);
	g_clear_pointer(&connection->writing, g_bytes_unref);
	g_free(connection);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSipConnection, prov_sip_connection_unref)

static void
prov_sip_connection_close_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_io_stream_close_finish(G_IO_STREAM(source), res, NULL);
	prov_sip_connection_unref(user_data);
}

static void
prov_sip_connection_close(ProvSipConnection *connection)
{
	ProvSipNotifyTrigger *self = connection->trigger;

	if (connection->closed)
		return;
	connection->closed = TRUE;
	g_cancellable_cancel(connection->cancellable);
	g_clear_handle_id(&connection->idle_id, g_source_remove);
	connection->trigger = NULL;
	g_io_stream_close_async(G_IO_STREAM(connection->connection), G_PRIORITY_DEFAULT, NULL,
				prov_sip_connection_close_cb, prov_sip_connection_ref(connection));
	if (self != NULL) {
		self->connections = g_list_remove(self->connections, connection);
		self->n_connections--;
		prov_sip_connection_unref(connection);
	}
}

static gboolean
prov_sip_connection_idle_cb(gpointer user_data)
{
	ProvSipConnection *connection = user_data;

	connection->idle_id = 0;
	g_debug("tcp: %s idle, closed", connection->peer.source);
	prov_sip_connection_close(connection);
	return G_SOURCE_REMOVE;
}

static void
prov_sip_connection_arm_idle(ProvSipConnection *connection, guint seconds)
{
	g_clear_handle_id(&connection->idle_id, g_source_remove);
	connection->idle_id =
	    g_timeout_add_seconds(seconds, prov_sip_connection_idle_cb, connection);
}

static void
prov_sip_connection_write_next(ProvSipConnection *connection);

static void
prov_sip_connection_write_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ProvSipConnection) connection = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), res, NULL, &error)) {
		if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("tcp: response to %s: %s", connection->peer.source, error->message);
		prov_sip_connection_close(connection);
		return;
	}
	connection->outgoing_len -= g_bytes_get_size(connection->writing);
	g_clear_pointer(&connection->writing, g_bytes_unref);
	prov_sip_connection_write_next(connection);
}

static void
prov_sip_connection_write_next(ProvSipConnection *connection)
{
	GOutputStream *output;

	if (connection->closed || connection->writing != NULL)
		return;
	connection->writing = g_queue_pop_head(&connection->outgoing);
	if (connection->writing == NULL) {
		if (connection->draining)
			prov_sip_connection_close(connection);
		return;
	}
	output = g_io_stream_get_output_stream(G_IO_STREAM(connection->connection));
	g_output_stream_write_all_async(output, g_bytes_get_data(connection->writing, NULL),
					g_bytes_get_size(connection->writing), G_PRIORITY_DEFAULT,
					connection->cancellable, prov_sip_connection_write_cb,
					prov_sip_connection_ref(connection));
}

static void
prov_sip_connection_send(ProvSipConnection *connection, GBytes *response)
{
	connection->outgoing_len += g_bytes_get_size(response);
	g_queue_push_tail(&connection->outgoing, g_bytes_ref(response));
	if (connection->outgoing_len > PROV_SIP_NOTIFY_OUTGOING_MAX) {
		g_debug("tcp: %s does not read its responses, closed", connection->peer.source);
		prov_sip_connection_close(connection);
		return;
	}
	prov_sip_connection_write_next(connection);
}

/* every whole message in the buffer, in order (RFC 3261 18.3) */
static void
prov_sip_connection_process(ProvSipConnection *connection)
{
	while (!connection->closed && !connection->draining && connection->trigger != NULL) {
		g_autoptr(GError) frame_error = NULL;
		g_autoptr(GBytes) response = NULL;
		ProvSipFrame frame;
		ProvSipFrameStatus status;

		status = prov_sip_frame_scan(connection->buffer->data, connection->buffer->len,
					     TRUE, &frame, &frame_error);
		if (status == PROV_SIP_FRAME_INCOMPLETE) {
			g_byte_array_remove_range(connection->buffer, 0, (guint)frame.skipped);
			return;
		}
		response = prov_sip_notify_trigger_handle(connection->trigger, &connection->peer,
							  connection->buffer->data, status, &frame,
							  frame_error);
		if (status == PROV_SIP_FRAME_INVALID) {
			/* the framing is lost: nothing after this message can be trusted */
			connection->draining = TRUE;
		} else {
			g_byte_array_remove_range(connection->buffer, 0, (guint)frame.total_len);
		}
		if (response != NULL)
			prov_sip_connection_send(connection, response);
		else if (connection->draining)
			prov_sip_connection_write_next(connection);
	}
}

static void
prov_sip_connection_read(ProvSipConnection *connection);

static void
prov_sip_connection_read_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(ProvSipConnection) connection = user_data;
	g_autoptr(GError) error = NULL;
	gssize len;

	len = g_input_stream_read_finish(G_INPUT_STREAM(source), res, &error);
	if (connection->closed)
		return;
	if (len <= 0) {
		if (len < 0 && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
			g_debug("tcp: %s: %s", connection->peer.source, error->message);
		/* the peer is done: answer what it sent, then close */
		connection->draining = TRUE;
		prov_sip_connection_write_next(connection);
		return;
	}
	g_byte_array_append(connection->buffer, connection->chunk, (guint)len);
	if (connection->trigger != NULL)
		prov_sip_connection_arm_idle(connection, connection->trigger->idle_timeout);
	prov_sip_connection_process(connection);
	prov_sip_connection_read(connection);
}

static void
prov_sip_connection_read(ProvSipConnection *connection)
{
	GInputStream *input;

	if (connection->closed || connection->draining)
		return;
	input = g_io_stream_get_input_stream(G_IO_STREAM(connection->connection));
	g_input_stream_read_async(input, connection->chunk, sizeof(connection->chunk),
				  G_PRIORITY_DEFAULT, connection->cancellable,
				  prov_sip_connection_read_cb, prov_sip_connection_ref(connection));
}

static gboolean
prov_sip_notify_trigger_incoming_cb(GSocketService *service,
				    GSocketConnection *socket_connection,
				    GObject *source_object,
				    gpointer user_data)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(user_data);
	g_autoptr(GSocketAddress) remote = NULL;
	ProvSipConnection *connection;

	remote = g_socket_connection_get_remote_address(socket_connection, NULL);
	if (remote == NULL || self->n_connections >= PROV_SIP_NOTIFY_CONNECTIONS_MAX) {
		g_debug("tcp: connection refused: %s",
			remote == NULL ? "no peer address" : "too many connections");
		g_io_stream_close_async(G_IO_STREAM(socket_connection), G_PRIORITY_DEFAULT, NULL,
					NULL, NULL);
		return TRUE;
	}
	connection = g_new0(ProvSipConnection, 1);
	g_ref_count_init(&connection->ref_count);
	connection->trigger = self;
	connection->connection = g_object_ref(socket_connection);
	connection->cancellable = g_cancellable_new();
	connection->buffer = g_byte_array_new();
	g_queue_init(&connection->outgoing);
	if (!prov_sip_peer_init(&connection->peer, remote, TRUE)) {
		connection->trigger = NULL;
		connection->closed = TRUE;
		prov_sip_connection_unref(connection);
		g_io_stream_close_async(G_IO_STREAM(socket_connection), G_PRIORITY_DEFAULT, NULL,
					NULL, NULL);
		return TRUE;
	}
	self->connections = g_list_prepend(self->connections, connection);
	self->n_connections++;
	g_debug("tcp: connection from %s", connection->peer.source);
	prov_sip_connection_arm_idle(connection, self->idle_timeout);
	prov_sip_connection_read(connection);
	return TRUE;
}

static gboolean
prov_sip_notify_trigger_parse_listen(const gchar *text, GInetAddress **address, guint16 *port)
{
	g_autofree gchar *host = NULL;
	const gchar *port_text;
	guint64 number = 0;

	if (text[0] == '[') {
		const gchar *close = strchr(text, ']');

		if (close == NULL || close[1] != ':')
			return FALSE;
		host = g_strndup(text + 1, (gsize)(close - text - 1));
		port_text = close + 2;
		*address = g_inet_address_new_from_string(host);
		if (*address != NULL && g_inet_address_get_family(*address) != G_SOCKET_FAMILY_IPV6)
			g_clear_object(address);
	} else {
		const gchar *colon = strrchr(text, ':');

		if (colon == NULL || strchr(text, ':') != colon)
			return FALSE;
		host = g_strndup(text, (gsize)(colon - text));
		port_text = colon + 1;
		*address = g_inet_address_new_from_string(host);
		if (*address != NULL && g_inet_address_get_family(*address) != G_SOCKET_FAMILY_IPV4)
			g_clear_object(address);
	}
	if (*address == NULL ||
	    !g_ascii_string_to_unsigned(port_text, 10, 0, G_MAXUINT16, &number, NULL)) {
		g_clear_object(address);
		return FALSE;
	}
	*port = (guint16)number;
	return TRUE;
}

static gboolean
prov_sip_notify_trigger_read_config(ProvSipNotifyTrigger *self,
				    GKeyFile *key_file,
				    GInetAddress **address,
				    guint16 *port,
				    GError **error)
{
	g_auto(GStrv) keys = NULL;
	g_autofree gchar *listen = NULL;
	g_autofree gchar *allowed = NULL;
	g_autofree gchar *idle = NULL;
	guint64 idle_timeout = PROV_SIP_NOTIFY_IDLE_TIMEOUT_DEFAULT;

	keys = key_file != NULL ? g_key_file_get_keys(key_file, PROV_SIP_NOTIFY_GROUP, NULL, NULL)
				: NULL;
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autofree gchar *known = NULL;

		if (g_strv_contains(prov_sip_notify_keys, keys[i]))
			continue;
		known = g_strjoinv(", ", (gchar **)prov_sip_notify_keys);
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[%s] unknown key %s (known: %s)",
			    PROV_SIP_NOTIFY_GROUP, keys[i], known);
		return FALSE;
	}
	listen = key_file != NULL
		     ? g_key_file_get_string(key_file, PROV_SIP_NOTIFY_GROUP, "Listen", NULL)
		     : NULL;
	if (listen != NULL)
		g_strstrip(listen);
	if (listen == NULL || listen[0] == '\0') {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] Listen is missing: give ADDRESS:PORT, such as 0.0.0.0:5060",
			    PROV_SIP_NOTIFY_GROUP);
		return FALSE;
	}
	if (!prov_sip_notify_trigger_parse_listen(listen, address, port)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] Listen=%s is not ADDRESS:PORT with an IPv4 address or an IPv6 "
			    "address in brackets, and a port from 0 to 65535",
			    PROV_SIP_NOTIFY_GROUP, listen);
		return FALSE;
	}

	allowed = g_key_file_get_string(key_file, PROV_SIP_NOTIFY_GROUP, "AllowedSources", NULL);
	if (allowed != NULL && g_strstrip(allowed)[0] != '\0') {
		g_auto(GStrv) entries = g_strsplit_set(allowed, ",; \t", -1);

		self->allowed = g_ptr_array_new_with_free_func(g_object_unref);
		for (guint i = 0; entries[i] != NULL; i++) {
			g_autoptr(GError) error_local = NULL;
			GInetAddressMask *mask;

			if (entries[i][0] == '\0')
				continue;
			mask = g_inet_address_mask_new_from_string(entries[i], &error_local);
			if (mask == NULL) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
					    "[%s] AllowedSources: %s is not an address or "
					    "ADDRESS/PREFIX",
					    PROV_SIP_NOTIFY_GROUP, entries[i]);
				g_clear_object(address);
				return FALSE;
			}
			g_ptr_array_add(self->allowed, mask);
		}
	}

	idle = g_key_file_get_string(key_file, PROV_SIP_NOTIFY_GROUP, "IdleTimeout", NULL);
	if (idle != NULL &&
	    !g_ascii_string_to_unsigned(g_strstrip(idle), 10, 1, PROV_SIP_NOTIFY_IDLE_TIMEOUT_MAX,
					&idle_timeout, NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[%s] IdleTimeout=%s is not a number of seconds from 1 to %u",
			    PROV_SIP_NOTIFY_GROUP, idle, PROV_SIP_NOTIFY_IDLE_TIMEOUT_MAX);
		g_clear_object(address);
		return FALSE;
	}
	self->idle_timeout = (guint)idle_timeout;
	return TRUE;
}

/* UDP and TCP on one port; for port 0, a port that is free for both */
static gboolean
prov_sip_notify_trigger_bind(ProvSipNotifyTrigger *self,
			     GInetAddress *address,
			     guint16 port,
			     GError **error)
{
	for (guint attempt = 0; attempt < PROV_SIP_NOTIFY_BIND_ATTEMPTS; attempt++) {
		g_autoptr(GSocket) udp = NULL;
		g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new(address, port);
		g_autoptr(GSocketAddress) bound = NULL;
		g_autoptr(GSocketAddress) tcp_bound = NULL;
		g_autoptr(GSocketAddress) tcp_wanted = NULL;
		g_autoptr(GSocketService) service = NULL;
		g_autoptr(GError) error_local = NULL;

		udp = g_socket_new(g_inet_address_get_family(address), G_SOCKET_TYPE_DATAGRAM,
				   G_SOCKET_PROTOCOL_UDP, error);
		if (udp == NULL)
			return FALSE;
		/* no SO_REUSEPORT: another program must not share the port */
		if (!g_socket_bind(udp, wanted, FALSE, error) ||
		    (bound = g_socket_get_local_address(udp, error)) == NULL)
			return FALSE;
		tcp_wanted = g_inet_socket_address_new(
		    address, g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound)));
		service = g_socket_service_new();
		if (!g_socket_listener_add_address(G_SOCKET_LISTENER(service), tcp_wanted,
						   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
						   NULL, &tcp_bound, &error_local)) {
			if (port == 0 &&
			    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
				continue;
			g_propagate_prefixed_error(error, g_steal_pointer(&error_local), "tcp: ");
			return FALSE;
		}
		g_socket_set_blocking(udp, FALSE);
		self->udp = g_steal_pointer(&udp);
		self->service = g_steal_pointer(&service);
		self->address = G_INET_SOCKET_ADDRESS(g_steal_pointer(&bound));
		return TRUE;
	}
	g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
		    "no port free for both UDP and TCP after %u attempts",
		    PROV_SIP_NOTIFY_BIND_ATTEMPTS);
	return FALSE;
}

static gchar *
prov_sip_notify_trigger_format_address(ProvSipNotifyTrigger *self)
{
	GInetAddress *ip = g_inet_socket_address_get_address(self->address);
	g_autofree gchar *text = g_inet_address_to_string(ip);
	guint16 port = g_inet_socket_address_get_port(self->address);

	if (g_inet_address_get_family(ip) == G_SOCKET_FAMILY_IPV6)
		return g_strdup_printf("[%s]:%u", text, port);
	return g_strdup_printf("%s:%u", text, port);
}

static void
prov_sip_notify_trigger_stop(ProvTrigger *trigger)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(trigger);

	while (self->connections != NULL)
		prov_sip_connection_close(self->connections->data);
	if (self->udp_source != NULL) {
		g_source_destroy(self->udp_source);
		g_clear_pointer(&self->udp_source, g_source_unref);
	}
	if (self->udp != NULL)
		g_socket_close(self->udp, NULL);
	g_clear_object(&self->udp);
	if (self->service != NULL) {
		g_socket_service_stop(self->service);
		g_socket_listener_close(G_SOCKET_LISTENER(self->service));
		g_signal_handlers_disconnect_by_data(self->service, self);
	}
	g_clear_object(&self->service);
	g_clear_object(&self->address);
	g_clear_pointer(&self->allowed, g_ptr_array_unref);
	g_clear_pointer(&self->datagram, g_free);
	g_clear_pointer(&self->nonces, prov_sip_nonces_free);
	g_queue_clear(&self->transaction_order);
	g_hash_table_remove_all(self->transactions);
	self->warned_no_credentials = FALSE;
	g_clear_object(&self->host);
}

static gboolean
prov_sip_notify_trigger_start(ProvTrigger *trigger, ProvTriggerHost *host, GError **error)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(trigger);
	ProvConfig *config = prov_trigger_host_get_config(host);
	GKeyFile *key_file = config != NULL ? prov_config_get_key_file(config) : NULL;
	g_autoptr(GInetAddress) address = NULL;
	g_autofree gchar *text = NULL;
	guint16 port = 0;

	if (self->host != NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "already started");
		return FALSE;
	}
	if (!prov_sip_notify_trigger_read_config(self, key_file, &address, &port, error) ||
	    !prov_sip_notify_trigger_bind(self, address, port, error)) {
		prov_sip_notify_trigger_stop(trigger);
		return FALSE;
	}
	self->host = g_object_ref(host);
	self->nonces = prov_sip_nonces_new(PROV_SIP_NONCE_LIFETIME);
	self->datagram = g_malloc(PROV_SIP_NOTIFY_DATAGRAM_MAX);
	self->udp_source = g_socket_create_source(self->udp, G_IO_IN, NULL);
	g_source_set_callback(self->udp_source, G_SOURCE_FUNC(prov_sip_notify_trigger_udp_cb), self,
			      NULL);
	g_source_attach(self->udp_source, NULL);
	g_signal_connect(self->service, "incoming", G_CALLBACK(prov_sip_notify_trigger_incoming_cb),
			 self);
	g_socket_service_start(self->service);
	text = prov_sip_notify_trigger_format_address(self);
	g_info("listening for SIP NOTIFY on %s (UDP and TCP)", text);
	return TRUE;
}

/* one address: UDP and TCP share it */
static gchar **
prov_sip_notify_trigger_dup_addresses(ProvTrigger *trigger)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(trigger);
	gchar **addresses = g_new0(gchar *, 2);

	if (self->address != NULL)
		addresses[0] = prov_sip_notify_trigger_format_address(self);
	return addresses;
}

static void
prov_sip_notify_trigger_iface_init(ProvTriggerInterface *iface)
{
	iface->start = prov_sip_notify_trigger_start;
	iface->stop = prov_sip_notify_trigger_stop;
	iface->dup_addresses = prov_sip_notify_trigger_dup_addresses;
}

static void
prov_sip_notify_trigger_dispose(GObject *object)
{
	prov_sip_notify_trigger_stop(PROV_TRIGGER(object));
	G_OBJECT_CLASS(prov_sip_notify_trigger_parent_class)->dispose(object);
}

static void
prov_sip_notify_trigger_finalize(GObject *object)
{
	ProvSipNotifyTrigger *self = PROV_SIP_NOTIFY_TRIGGER(object);

	g_hash_table_unref(self->transactions);
	G_OBJECT_CLASS(prov_sip_notify_trigger_parent_class)->finalize(object);
}

static void
prov_sip_notify_trigger_class_init(ProvSipNotifyTriggerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_sip_notify_trigger_dispose;
	object_class->finalize = prov_sip_notify_trigger_finalize;
}

static void
prov_sip_notify_trigger_init(ProvSipNotifyTrigger *self)
{
	self->idle_timeout = PROV_SIP_NOTIFY_IDLE_TIMEOUT_DEFAULT;
	self->transactions = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
						   (GDestroyNotify)prov_sip_transaction_free);
	g_queue_init(&self->transaction_order);
}

ProvSipNotifyTrigger *
prov_sip_notify_trigger_new(void)
{
	return g_object_new(PROV_TYPE_SIP_NOTIFY_TRIGGER, NULL);
}
