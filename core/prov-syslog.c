/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvSyslog"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-syslog.h"

/* datagrams kept while a server name resolves; more are dropped, never waited for */
#define PROV_SYSLOG_QUEUE_MAX 16
/* an identifier longer than this would crowd out the message */
#define PROV_SYSLOG_IDENTIFIER_MAX 64

typedef struct {
	gchar *host;
	guint16 port;
	GSocketAddress *address;
	GCancellable *cancellable;
	GPtrArray *queue; /* of GBytes, while resolving */
} ProvSyslogTarget;

/**
 * ProvSyslog:
 *
 * The UDP syslog client of the product's messages (reference 5.6): the
 * resync request, success and failure lines to `Syslog_Server`, and the
 * detail to `Debug_Server`. It frames RFC 3164 or RFC 5424, keeps every
 * datagram within the configured size without splitting it, escapes control
 * characters (R44) and never blocks a resync (R45).
 *
 * Since: 0.1
 */
struct _ProvSyslog {
	GObject parent_instance;
	ProvClock *clock;
	ProvSyslogFormat format;
	gsize max_size;
	gchar *identifier;
	ProvSyslogTarget *targets[2]; /* Syslog_Server, Debug_Server */
	GSocket *socket_ipv4;
	GSocket *socket_ipv6;
	guint n_sent;
};

G_DEFINE_TYPE(ProvSyslog, prov_syslog, G_TYPE_OBJECT)

static void
prov_syslog_target_free(ProvSyslogTarget *target)
{
	if (target == NULL)
		return;
	/* the resolver callback sees the cancellation and leaves the target alone */
	g_cancellable_cancel(target->cancellable);
	g_object_unref(target->cancellable);
	g_clear_object(&target->address);
	g_ptr_array_unref(target->queue);
	g_free(target->host);
	g_free(target);
}

/**
 * prov_syslog_parse_host_port:
 * @text: `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address
 * @host: (out) (transfer full): the host, %NULL when @text is empty
 * @port: (out): the port, 514 unless given
 * @error: return location for a %PROV_ERROR_INVALID_VALUE
 *
 * Returns: %FALSE when @text is malformed
 *
 * Since: 0.1
 */
gboolean
prov_syslog_parse_host_port(const gchar *text, gchar **host, guint16 *port, GError **error)
{
	g_autofree gchar *value = g_strstrip(g_strdup(text != NULL ? text : ""));
	g_autofree gchar *name = NULL;
	const gchar *port_text = NULL;
	guint64 number = PROV_SYSLOG_DEFAULT_PORT;

	g_return_val_if_fail(host != NULL, FALSE);
	g_return_val_if_fail(port != NULL, FALSE);

	*host = NULL;
	*port = PROV_SYSLOG_DEFAULT_PORT;
	if (value[0] == '\0')
		return TRUE;
	if (value[0] == '[') {
		const gchar *end = strchr(value, ']');

		if (end == NULL || end == value + 1 || (end[1] != '\0' && end[1] != ':')) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
				    "invalid syslog server '%s'", value);
			return FALSE;
		}
		name = g_strndup(value + 1, end - value - 1);
		if (end[1] == ':')
			port_text = end + 2;
	} else {
		const gchar *colon = strchr(value, ':');

		/* several colons without brackets: a bare IPv6 address */
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			name = g_strndup(value, colon - value);
			port_text = colon + 1;
		} else {
			name = g_strdup(value);
		}
	}
	if (name[0] == '\0' || strpbrk(name, " \t/") != NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
			    "invalid syslog server '%s'", value);
		return FALSE;
	}
	if (port_text != NULL &&
	    !g_ascii_string_to_unsigned(port_text, 10, 1, G_MAXUINT16, &number, NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
			    "invalid syslog server port in '%s'", value);
		return FALSE;
	}
	*host = g_steal_pointer(&name);
	*port = (guint16)number;
	return TRUE;
}

static GSocket *
prov_syslog_get_socket(ProvSyslog *self, GSocketFamily family)
{
	GSocket **socket = family == G_SOCKET_FAMILY_IPV6 ? &self->socket_ipv6 : &self->socket_ipv4;
	g_autoptr(GError) error = NULL;

	if (*socket != NULL)
		return *socket;
	*socket = g_socket_new(family, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
	if (*socket == NULL) {
		g_debug("cannot create a syslog socket: %s", error->message);
		return NULL;
	}
	/* R45: a full send buffer drops the message rather than stalling the resync */
	g_socket_set_blocking(*socket, FALSE);
	return *socket;
}

static void
prov_syslog_send_to(ProvSyslog *self, GSocketAddress *address, GBytes *datagram)
{
	GSocket *socket = prov_syslog_get_socket(self, g_socket_address_get_family(address));
	g_autoptr(GError) error = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(datagram, &len);

	if (socket == NULL)
		return;
	if (g_socket_send_to(socket, address, data, len, NULL, &error) < 0) {
		g_debug("syslog message dropped: %s", error->message);
		return;
	}
	self->n_sent++;
}

typedef struct {
	ProvSyslog *self;
	ProvSyslogTarget *target;
	GCancellable *cancellable;
} ProvSyslogResolveData;

static void
prov_syslog_resolve_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ProvSyslogResolveData *data = user_data;
	g_autoptr(ProvSyslog) self = data->self;
	g_autoptr(GCancellable) cancellable = data->cancellable;
	ProvSyslogTarget *target = data->target;
	g_autoptr(GError) error = NULL;
	GList *addresses;

	g_free(data);
	addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(source), res, &error);
	if (g_cancellable_is_cancelled(cancellable)) {
		g_resolver_free_addresses(addresses);
		return;
	}
	if (addresses == NULL) {
		g_debug("syslog server %s: %s", target->host, error->message);
		g_ptr_array_set_size(target->queue, 0);
		return;
	}
	target->address = g_inet_socket_address_new(G_INET_ADDRESS(addresses->data), target->port);
	g_resolver_free_addresses(addresses);
	for (guint i = 0; i < target->queue->len; i++)
		prov_syslog_send_to(self, target->address, g_ptr_array_index(target->queue, i));
	g_ptr_array_set_size(target->queue, 0);
}

static gboolean
prov_syslog_set_target(ProvSyslog *self, guint index, const gchar *server, GError **error)
{
	g_autofree gchar *host = NULL;
	guint16 port = 0;
	ProvSyslogTarget *target;

	if (!prov_syslog_parse_host_port(server, &host, &port, error))
		return FALSE;
	if (self->targets[index] != NULL && g_strcmp0(self->targets[index]->host, host) == 0 &&
	    self->targets[index]->port == port)
		return TRUE;
	g_clear_pointer(&self->targets[index], prov_syslog_target_free);
	if (host == NULL)
		return TRUE;

	target = g_new0(ProvSyslogTarget, 1);
	target->host = g_steal_pointer(&host);
	target->port = port;
	target->cancellable = g_cancellable_new();
	target->queue = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	if (g_hostname_is_ip_address(target->host)) {
		target->address = g_inet_socket_address_new_from_string(target->host, port);
	} else {
		/* R45: the name resolves in the background; messages wait in a short queue */
		g_autoptr(GResolver) resolver = g_resolver_get_default();
		ProvSyslogResolveData *data = g_new0(ProvSyslogResolveData, 1);

		data->self = g_object_ref(self);
		data->target = target;
		data->cancellable = g_object_ref(target->cancellable);
		g_resolver_lookup_by_name_async(resolver, target->host, target->cancellable,
						prov_syslog_resolve_cb, data);
	}
	self->targets[index] = target;
	return TRUE;
}

/**
 * prov_syslog_set_server:
 * @self: a #ProvSyslog
 * @server: (nullable): the `Syslog_Server` value; empty sends nothing
 * @error: return location for a #GError
 *
 * Returns: %FALSE when @server is malformed; the previous server stays
 *
 * Since: 0.1
 */
gboolean
prov_syslog_set_server(ProvSyslog *self, const gchar *server, GError **error)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), FALSE);
	return prov_syslog_set_target(self, 0, server, error);
}

/**
 * prov_syslog_set_debug_server:
 * @self: a #ProvSyslog
 * @server: (nullable): the `Debug_Server` value, which receives a copy of
 *   every message; empty sends nothing
 * @error: return location for a #GError
 *
 * Returns: %FALSE when @server is malformed; the previous server stays
 *
 * Since: 0.1
 */
gboolean
prov_syslog_set_debug_server(ProvSyslog *self, const gchar *server, GError **error)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), FALSE);
	return prov_syslog_set_target(self, 1, server, error);
}

/**
 * prov_syslog_set_format:
 * @self: a #ProvSyslog
 * @format: the framing
 *
 * Since: 0.1
 */
void
prov_syslog_set_format(ProvSyslog *self, ProvSyslogFormat format)
{
	g_return_if_fail(PROV_IS_SYSLOG(self));
	g_return_if_fail(format < PROV_SYSLOG_FORMAT_LAST);
	self->format = format;
}

/**
 * prov_syslog_get_format:
 * @self: a #ProvSyslog
 *
 * Returns: the framing
 *
 * Since: 0.1
 */
ProvSyslogFormat
prov_syslog_get_format(ProvSyslog *self)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), PROV_SYSLOG_FORMAT_RFC3164);
	return self->format;
}

/**
 * prov_syslog_set_max_size:
 * @self: a #ProvSyslog
 * @max_size: the largest datagram in octets, from 64 to 2048
 * @error: return location for a %PROV_ERROR_INVALID_ARGUMENT
 *
 * R44: 480 octets by default, the size every syslog receiver must accept
 * (RFC 5426 section 3.2); messages are truncated, never split.
 *
 * Returns: %FALSE when @max_size is out of range
 *
 * Since: 0.1
 */
gboolean
prov_syslog_set_max_size(ProvSyslog *self, gsize max_size, GError **error)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), FALSE);
	if (max_size < PROV_SYSLOG_MIN_SIZE || max_size > PROV_SYSLOG_MAX_SIZE) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "syslog datagram size %" G_GSIZE_FORMAT " is not within %u to %u",
			    max_size, (guint)PROV_SYSLOG_MIN_SIZE, (guint)PROV_SYSLOG_MAX_SIZE);
		return FALSE;
	}
	self->max_size = max_size;
	return TRUE;
}

/**
 * prov_syslog_get_max_size:
 * @self: a #ProvSyslog
 *
 * Returns: the largest datagram in octets
 *
 * Since: 0.1
 */
gsize
prov_syslog_get_max_size(ProvSyslog *self)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), PROV_SYSLOG_DEFAULT_MAX_SIZE);
	return self->max_size;
}

/**
 * prov_syslog_set_identifier:
 * @self: a #ProvSyslog
 * @identifier: (nullable): the expanded `Syslog_Identifier`, or %NULL for
 *   none; it becomes the HOSTNAME field
 *
 * Since: 0.1
 */
void
prov_syslog_set_identifier(ProvSyslog *self, const gchar *identifier)
{
	GString *clean;

	g_return_if_fail(PROV_IS_SYSLOG(self));
	g_clear_pointer(&self->identifier, g_free);
	if (identifier == NULL || identifier[0] == '\0')
		return;
	/* HOSTNAME is PRINTUSASCII without spaces (RFC 5424 section 6) */
	clean = g_string_new(NULL);
	for (const gchar *p = identifier; *p != '\0' && clean->len < PROV_SYSLOG_IDENTIFIER_MAX;
	     p++)
		g_string_append_c(clean, (*p > 0x20 && *p < 0x7f) ? *p : '_');
	self->identifier = g_string_free(clean, FALSE);
}

static const gchar *const prov_syslog_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
						  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void
prov_syslog_append_header(ProvSyslog *self, GString *out, gint pri, const gchar *identifier)
{
	gint64 wall = prov_clock_get_real_time(self->clock);
	g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc(wall / G_USEC_PER_SEC);

	g_string_append_printf(out, "<%d>", pri);
	if (self->format == PROV_SYSLOG_FORMAT_RFC5424) {
		g_string_append(out, "1 ");
		if (utc != NULL)
			g_string_append_printf(
			    out, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ ", g_date_time_get_year(utc),
			    g_date_time_get_month(utc), g_date_time_get_day_of_month(utc),
			    g_date_time_get_hour(utc), g_date_time_get_minute(utc),
			    g_date_time_get_second(utc), (gint)(wall % G_USEC_PER_SEC));
		else
			g_string_append(out, "- ");
		g_string_append_printf(out, "%s provisiond - - - ",
				       identifier != NULL ? identifier : "-");
		return;
	}
	/* reference 5.6: a bare <PRI>MSG unless an identifier asks for a HOSTNAME */
	if (identifier != NULL && utc != NULL) {
		g_autoptr(GDateTime) local =
		    g_date_time_to_timezone(utc, prov_clock_get_timezone(self->clock));

		g_string_append_printf(out, "%s %2d %02d:%02d:%02d %s ",
				       prov_syslog_months[g_date_time_get_month(local) - 1],
				       g_date_time_get_day_of_month(local),
				       g_date_time_get_hour(local), g_date_time_get_minute(local),
				       g_date_time_get_second(local), identifier);
	}
}

static GBytes *
prov_syslog_format(ProvSyslog *self, gint pri, const gchar *message)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *valid = NULL;

	prov_syslog_append_header(self, out, pri, self->identifier);
	/* a small cap must still leave room for the message: drop the identifier */
	if (out->len > self->max_size / 2) {
		g_string_truncate(out, 0);
		prov_syslog_append_header(self, out, pri, NULL);
	}
	valid = g_utf8_make_valid(message, -1);
	for (const gchar *p = valid; *p != '\0'; p = g_utf8_next_char(p)) {
		guchar c = (guchar)*p;
		gsize len = (gsize)(g_utf8_next_char(p) - p);
		gchar escaped[8];

		if (c < 0x20 || c == 0x7f) {
			g_snprintf(escaped, sizeof(escaped), "#%03o", c);
			len = strlen(escaped);
		}
		if (out->len + len > self->max_size)
			break;
		if (c < 0x20 || c == 0x7f)
			g_string_append(out, escaped);
		else
			g_string_append_len(out, p, (gssize)len);
	}
	return g_string_free_to_bytes(g_steal_pointer(&out));
}

/**
 * prov_syslog_format_datagram:
 * @self: a #ProvSyslog
 * @message: the MSG part
 *
 * Frames @message as one datagram: invalid UTF-8 is replaced, C0 controls
 * and DEL are written as `#` and three octal digits (as rsyslog does), so
 * that text from a peer cannot start a second line, and the result is cut
 * at a character boundary to the size cap.
 *
 * Returns: (transfer full): the datagram
 *
 * Since: 0.1
 */
GBytes *
prov_syslog_format_datagram(ProvSyslog *self, const gchar *message)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), NULL);
	g_return_val_if_fail(message != NULL, NULL);

	return prov_syslog_format(self, PROV_SYSLOG_PRI, message);
}

static void
prov_syslog_send_to_target(ProvSyslog *self, ProvSyslogTarget *target, GBytes *datagram)
{
	if (target->address != NULL)
		prov_syslog_send_to(self, target->address, datagram);
	else if (target->queue->len < PROV_SYSLOG_QUEUE_MAX &&
		 !g_cancellable_is_cancelled(target->cancellable))
		g_ptr_array_add(target->queue, g_bytes_ref(datagram));
}

/**
 * prov_syslog_send:
 * @self: a #ProvSyslog
 * @message: the MSG part
 *
 * Sends @message to the syslog and debug servers without ever waiting:
 * a name still resolving queues it, a full socket buffer or an unreachable
 * server drops it (R45).
 *
 * Since: 0.1
 */
void
prov_syslog_send(ProvSyslog *self, const gchar *message)
{
	g_autoptr(GBytes) datagram = NULL;

	g_return_if_fail(PROV_IS_SYSLOG(self));
	g_return_if_fail(message != NULL);

	if (self->targets[0] == NULL && self->targets[1] == NULL)
		return;
	datagram = prov_syslog_format_datagram(self, message);
	for (guint i = 0; i < G_N_ELEMENTS(self->targets); i++) {
		if (self->targets[i] != NULL)
			prov_syslog_send_to_target(self, self->targets[i], datagram);
	}
}

/**
 * prov_syslog_send_debug:
 * @self: a #ProvSyslog
 * @message: the MSG part
 *
 * Sends @message to the debug server alone (`Debug_Server`, reference
 * 2.4), at severity debug (`<135>`), framed and capped as prov_syslog_send()
 * does; nothing when no debug server is set. For the detail that
 * `Debug_Level` adds, which the syslog server never gets.
 *
 * Since: 0.1
 */
void
prov_syslog_send_debug(ProvSyslog *self, const gchar *message)
{
	ProvSyslogTarget *target;
	g_autoptr(GBytes) datagram = NULL;

	g_return_if_fail(PROV_IS_SYSLOG(self));
	g_return_if_fail(message != NULL);

	target = self->targets[1];
	if (target == NULL)
		return;
	datagram = prov_syslog_format(self, PROV_SYSLOG_DEBUG_PRI, message);
	prov_syslog_send_to_target(self, target, datagram);
}

/**
 * prov_syslog_get_n_sent:
 * @self: a #ProvSyslog
 *
 * Returns: the number of datagrams the kernel accepted
 *
 * Since: 0.1
 */
guint
prov_syslog_get_n_sent(ProvSyslog *self)
{
	g_return_val_if_fail(PROV_IS_SYSLOG(self), 0);
	return self->n_sent;
}

/**
 * prov_syslog_configure:
 * @self: a #ProvSyslog
 * @params: the parameters
 * @macro: expands `Syslog_Identifier`
 * @error: return location for a #GError
 *
 * Takes `Syslog_Server`, `Debug_Server` and `Syslog_Identifier` from @params.
 *
 * Returns: %FALSE when a server value is malformed; the others still apply
 *
 * Since: 0.1
 */
gboolean
prov_syslog_configure(ProvSyslog *self, ProvParams *params, ProvMacro *macro, GError **error)
{
	g_autoptr(GError) error_server = NULL;
	g_autoptr(GError) error_debug = NULL;
	const gchar *identifier;

	g_return_val_if_fail(PROV_IS_SYSLOG(self), FALSE);
	g_return_val_if_fail(PROV_IS_PARAMS(params), FALSE);
	g_return_val_if_fail(PROV_IS_MACRO(macro), FALSE);

	identifier = prov_params_get_value(params, "Syslog_Identifier");
	if (identifier == NULL || identifier[0] == '\0' ||
	    g_ascii_strcasecmp(identifier, "None") == 0) {
		prov_syslog_set_identifier(self, NULL);
	} else {
		g_autofree gchar *expanded =
		    prov_macro_expand(macro, identifier, PROV_MACRO_FLAGS_NONE);

		prov_syslog_set_identifier(self, expanded);
	}
	prov_syslog_set_server(self, prov_params_get_value(params, "Syslog_Server"), &error_server);
	prov_syslog_set_debug_server(self, prov_params_get_value(params, "Debug_Server"),
				     &error_debug);
	if (error_server != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_server));
		return FALSE;
	}
	if (error_debug != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_debug));
		return FALSE;
	}
	return TRUE;
}

static const gchar *const prov_syslog_templates[] = {
    "Log_Resync_Request_Msg",
    "Log_Resync_Success_Msg",
    "Log_Resync_Failure_Msg",
};

/* reference 5.6: in mpp templates `%` is the operation word and `%%` a literal `%` */
static gchar *
prov_syslog_replace_percent(const gchar *template)
{
	GString *out = g_string_new(NULL);

	for (const gchar *p = template; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == '%') {
			g_string_append_c(out, '%');
			p++;
		} else if (p[0] == '%') {
			g_string_append(out, "resync");
		} else {
			g_string_append_c(out, *p);
		}
	}
	return g_string_free(out, FALSE);
}

/**
 * prov_syslog_build_message:
 * @params: the parameters holding the templates
 * @macro: expands the template; its state variables (`$SCHEME`, `$SERVIP`,
 *   `$PORT`, `$PATH`, `$ERR`) describe the current fetch
 * @kind: which message
 *
 * Secret registers stay unexpanded, as everywhere outside credentials.
 *
 * Returns: (transfer full) (nullable): the message, or %NULL when its
 *   template is empty
 *
 * Since: 0.1
 */
gchar *
prov_syslog_build_message(ProvParams *params, ProvMacro *macro, ProvSyslogMessage kind)
{
	g_autofree gchar *template = NULL;
	const gchar *value;

	g_return_val_if_fail(PROV_IS_PARAMS(params), NULL);
	g_return_val_if_fail(PROV_IS_MACRO(macro), NULL);
	g_return_val_if_fail(kind < PROV_SYSLOG_MESSAGE_LAST, NULL);

	value = prov_params_get_value(params, prov_syslog_templates[kind]);
	if (value == NULL || value[0] == '\0')
		return NULL;
	if (prov_params_get_behaviour(params) == PROV_BEHAVIOUR_MPP)
		template = prov_syslog_replace_percent(value);
	else
		template = g_strdup(value);
	return prov_macro_expand(macro, template, PROV_MACRO_FLAGS_NONE);
}

/**
 * prov_syslog_log_resync:
 * @self: a #ProvSyslog
 * @params: the parameters holding the templates
 * @macro: expands the template
 * @kind: which message
 *
 * Builds the message with prov_syslog_build_message() and sends it.
 *
 * Returns: %TRUE when a message was handed over, %FALSE when its template
 *   is empty
 *
 * Since: 0.1
 */
gboolean
prov_syslog_log_resync(ProvSyslog *self,
		       ProvParams *params,
		       ProvMacro *macro,
		       ProvSyslogMessage kind)
{
	g_autofree gchar *message = NULL;

	g_return_val_if_fail(PROV_IS_SYSLOG(self), FALSE);
	message = prov_syslog_build_message(params, macro, kind);
	if (message == NULL)
		return FALSE;
	prov_syslog_send(self, message);
	return TRUE;
}

static void
prov_syslog_dispose(GObject *object)
{
	ProvSyslog *self = PROV_SYSLOG(object);

	for (guint i = 0; i < G_N_ELEMENTS(self->targets); i++)
		g_clear_pointer(&self->targets[i], prov_syslog_target_free);
	g_clear_object(&self->socket_ipv4);
	g_clear_object(&self->socket_ipv6);
	g_clear_object(&self->clock);
	G_OBJECT_CLASS(prov_syslog_parent_class)->dispose(object);
}

static void
prov_syslog_finalize(GObject *object)
{
	ProvSyslog *self = PROV_SYSLOG(object);

	g_free(self->identifier);
	G_OBJECT_CLASS(prov_syslog_parent_class)->finalize(object);
}

static void
prov_syslog_class_init(ProvSyslogClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_syslog_dispose;
	object_class->finalize = prov_syslog_finalize;
}

static void
prov_syslog_init(ProvSyslog *self)
{
	self->format = PROV_SYSLOG_FORMAT_RFC3164;
	self->max_size = PROV_SYSLOG_DEFAULT_MAX_SIZE;
}

/**
 * prov_syslog_new:
 * @clock: (nullable): the clock for timestamps; %NULL for the real one
 *
 * Returns: (transfer full): a client with no server set
 *
 * Since: 0.1
 */
ProvSyslog *
prov_syslog_new(ProvClock *clock)
{
	ProvSyslog *self = g_object_new(PROV_TYPE_SYSLOG, NULL);

	self->clock = clock != NULL ? g_object_ref(clock) : prov_clock_new();
	return self;
}
