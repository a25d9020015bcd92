/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The fetch and upload path shared by the http and https plugins
 * (reference 6.2, 6.3, 9.1). It holds no GType of its own: both modules
 * link it, and a type registered by each would clash in one process.
 *
 * One SoupSession per fetch: nothing (connections, credentials, TLS
 * state) outlives a fetch, so a resync after the clock was set or after
 * a new custom CA starts afresh (R39). Redirects are followed here, not
 * by libsoup, to apply the limit and the scheme policy of R37. Timeouts
 * are implemented by cancelling (R35). Credentials are never logged.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <libsoup/soup.h>
#include <string.h>

#include "prov-soup-common.h"

#define PROV_SOUP_READ_CHUNK	 (64 * 1024)
#define PROV_SOUP_CACHE_PREFIX	 "http-"
#define PROV_SOUP_CACHE_GROUP	 "cache"
#define PROV_SOUP_CACHE_META_MAX (64 * 1024)

typedef enum {
	PROV_SOUP_TIMEOUT_NONE,
	PROV_SOUP_TIMEOUT_DEADLINE,
	PROV_SOUP_TIMEOUT_INACTIVITY,
} ProvSoupTimeout;

/* the last copy of a URL and its validators (reference 6.2.1) */
typedef struct {
	gchar *base; /* the cache directory and key, without suffix */
	gchar *uri;
	gchar *final_uri;
	gchar *etag;
	gchar *last_modified;
	GBytes *body;
} ProvSoupCacheEntry;

typedef struct {
	ProvFetchContext *ctx;
	gchar *scheme;
	GUri *origin;
	GUri *uri;
	gboolean upload;
	gchar *method;
	GBytes *request_body;
	gchar *content_type;
	SoupSession *session;
	SoupMessage *message;
	GInputStream *stream;
	GByteArray *received;
	gsize size_max;
	goffset content_length;
	guint redirects;
	guint auth_attempts;
	GCancellable *cancellable;
	GCancellable *caller_cancellable;
	gulong caller_handler;
	GMainContext *context;
	GSource *deadline;
	GSource *inactivity;
	ProvSoupTimeout timed_out;
	gboolean tls_errors_seen;
	GTlsCertificateFlags tls_errors;
	GTlsCertificate *peer_certificate;
	ProvSoupCacheEntry *cache;
	gboolean conditional;
	gboolean answered;
} ProvSoupRequest;

static void
prov_soup_cache_entry_free(ProvSoupCacheEntry *entry)
{
	g_free(entry->base);
	g_free(entry->uri);
	g_free(entry->final_uri);
	g_free(entry->etag);
	g_free(entry->last_modified);
	g_clear_pointer(&entry->body, g_bytes_unref);
	g_free(entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSoupCacheEntry, prov_soup_cache_entry_free)

static void
prov_soup_request_stop_timers(ProvSoupRequest *request)
{
	if (request->deadline != NULL) {
		g_source_destroy(request->deadline);
		g_clear_pointer(&request->deadline, g_source_unref);
	}
	if (request->inactivity != NULL) {
		g_source_destroy(request->inactivity);
		g_clear_pointer(&request->inactivity, g_source_unref);
	}
}

static void
prov_soup_request_free(ProvSoupRequest *request)
{
	prov_soup_request_stop_timers(request);
	if (request->caller_handler != 0)
		g_cancellable_disconnect(request->caller_cancellable, request->caller_handler);
	if (request->message != NULL)
		g_signal_handlers_disconnect_by_data(request->message, request);
	g_clear_object(&request->caller_cancellable);
	g_clear_object(&request->cancellable);
	g_clear_object(&request->stream);
	g_clear_object(&request->message);
	/* the server sees the connection close now, not when libsoup gets round to it */
	if (request->session != NULL)
		soup_session_abort(request->session);
	g_clear_object(&request->session);
	g_clear_object(&request->peer_certificate);
	g_clear_object(&request->ctx);
	g_clear_pointer(&request->context, g_main_context_unref);
	g_clear_pointer(&request->origin, g_uri_unref);
	g_clear_pointer(&request->uri, g_uri_unref);
	g_clear_pointer(&request->request_body, g_bytes_unref);
	g_clear_pointer(&request->received, g_byte_array_unref);
	g_clear_pointer(&request->cache, prov_soup_cache_entry_free);
	g_free(request->scheme);
	g_free(request->method);
	g_free(request->content_type);
	g_free(request);
}

/* URLs in messages never carry userinfo (STYLE.md 10) */
static gchar *
prov_soup_uri_to_string(GUri *uri)
{
	return g_uri_to_string_partial(uri, G_URI_HIDE_USERINFO | G_URI_HIDE_FRAGMENT);
}

static GError *
prov_soup_error_new(ProvSoupRequest *request, ProvError code, const gchar *format, ...)
    G_GNUC_PRINTF(3, 4);

static GError *
prov_soup_error_new(ProvSoupRequest *request, ProvError code, const gchar *format, ...)
{
	g_autofree gchar *url = prov_soup_uri_to_string(request->uri);
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	return g_error_new(PROV_ERROR, code, "%s: %s", url, what);
}

/**
 * prov_soup_status_to_error_code:
 * @status: an HTTP status that is not success
 * @upload: whether the request was an upload
 *
 * Reference 5.4: 404 and 410 are "file not found" (for
 * `Resync_Fails_On_FNF`), 401 and 407 after the retries are "auth
 * failed", any 2xx but 200 is a corrupt profile; the rest are failures.
 */
ProvError
prov_soup_status_to_error_code(guint status, gboolean upload)
{
	if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_PROXY_UNAUTHORIZED)
		return PROV_ERROR_AUTH_FAILED;
	if (upload)
		return PROV_ERROR_UPLOAD_REFUSED;
	if (status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE)
		return PROV_ERROR_NOT_FOUND;
	if (SOUP_STATUS_IS_SUCCESSFUL(status))
		return PROV_ERROR_CORRUPT_FILE;
	return PROV_ERROR_PROTOCOL;
}

/**
 * prov_soup_tls_flags_to_error_code:
 * @flags: why a server certificate was refused
 *
 * R38/R39: each refusal has its own code. An unknown CA outranks the
 * rest (nothing else about an untrusted chain matters); a certificate
 * not yet valid means the clock is not set, not that the certificate is
 * bad, since servers do not present certificates from the future.
 */
ProvError
prov_soup_tls_flags_to_error_code(GTlsCertificateFlags flags)
{
	if ((flags & G_TLS_CERTIFICATE_UNKNOWN_CA) != 0)
		return PROV_ERROR_TLS_UNKNOWN_CA;
	if ((flags & G_TLS_CERTIFICATE_NOT_ACTIVATED) != 0)
		return PROV_ERROR_TLS_CLOCK_NOT_SET;
	if ((flags & G_TLS_CERTIFICATE_EXPIRED) != 0)
		return PROV_ERROR_TLS_EXPIRED;
	if ((flags & G_TLS_CERTIFICATE_BAD_IDENTITY) != 0)
		return PROV_ERROR_TLS_WRONG_HOST;
	return PROV_ERROR_TLS_FAILED;
}

/**
 * prov_soup_redirect_is_allowed:
 * @from: the URL that answered with a redirect
 * @to: its `Location`, resolved against @from
 *
 * R37 and reference 6.2.4: the same scheme, or http to https (which only
 * adds protection); never https to http, never to tftp or file, and
 * never with credentials in the URL.
 */
gboolean
prov_soup_redirect_is_allowed(GUri *from, GUri *to)
{
	const gchar *from_scheme = g_uri_get_scheme(from);
	const gchar *to_scheme = g_uri_get_scheme(to);

	if (to_scheme == NULL || g_uri_get_host(to) == NULL || g_uri_get_host(to)[0] == '\0')
		return FALSE;
	if (g_uri_get_userinfo(to) != NULL)
		return FALSE;
	if (g_ascii_strcasecmp(to_scheme, "https") == 0)
		return g_ascii_strcasecmp(from_scheme, "https") == 0 ||
		       g_ascii_strcasecmp(from_scheme, "http") == 0;
	if (g_ascii_strcasecmp(to_scheme, "http") == 0)
		return g_ascii_strcasecmp(from_scheme, "http") == 0;
	return FALSE;
}

/**
 * prov_soup_cache_key:
 * @uri: a URL
 *
 * Returns: the name under which the last copy of @uri is kept: a digest,
 *   so that no part of the URL (a query may carry a device secret) shows
 *   in file names
 */
gchar *
prov_soup_cache_key(GUri *uri)
{
	g_autofree gchar *text = prov_soup_uri_to_string(uri);

	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

/*
 * The digest that guards a kept copy, as lower-case hex like
 * g_compute_checksum_for_data() writes it (the .meta files stay the same).
 * GnuTLS uses the CPU's SHA extensions where GLib's portable code does not:
 * on a 2 MB copy about 1.5 ms instead of 8 ms, and the check of the kept
 * copy runs before every conditional request.
 */
static gchar *
prov_soup_sha256(const guint8 *data, gsize size)
{
	guint8 digest[32];
	gchar *hex;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, size, digest) < 0)
		return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, size);
	hex = g_malloc(sizeof(digest) * 2 + 1);
	for (guint i = 0; i < sizeof(digest); i++) {
		hex[2 * i] = "0123456789abcdef"[digest[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[digest[i] & 0xf];
	}
	hex[sizeof(digest) * 2] = '\0';
	return hex;
}

static GError *
prov_soup_error_from_tls(ProvSoupRequest *request)
{
	ProvError code = prov_soup_tls_flags_to_error_code(request->tls_errors);

	switch (code) {
	case PROV_ERROR_TLS_UNKNOWN_CA:
		return prov_soup_error_new(request, code,
					   "server certificate is not signed by a trusted CA");
	case PROV_ERROR_TLS_CLOCK_NOT_SET: {
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		g_autoptr(GDateTime) not_before = NULL;
		g_autofree gchar *now_text = g_date_time_format_iso8601(now);
		g_autofree gchar *not_before_text = NULL;

		if (request->peer_certificate != NULL)
			not_before =
			    g_tls_certificate_get_not_valid_before(request->peer_certificate);
		if (not_before != NULL)
			not_before_text = g_date_time_format_iso8601(not_before);
		return prov_soup_error_new(
		    request, code,
		    "clock not set: the server certificate is valid from %s, the clock says %s",
		    not_before_text != NULL ? not_before_text : "a later date", now_text);
	}
	case PROV_ERROR_TLS_EXPIRED:
		return prov_soup_error_new(request, code, "server certificate has expired");
	case PROV_ERROR_TLS_WRONG_HOST:
		return prov_soup_error_new(request, code,
					   "server certificate does not name the host %s",
					   g_uri_get_host(request->uri));
	default:
		return prov_soup_error_new(request, code, "server certificate refused (flags 0x%x)",
					   (guint)request->tls_errors);
	}
}

/* turns what GIO and libsoup report into the engine's error kinds (reference 5.4) */
static GError *
prov_soup_error_convert(ProvSoupRequest *request, GError *error)
{
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		guint seconds;

		if (request->timed_out == PROV_SOUP_TIMEOUT_DEADLINE) {
			seconds = prov_fetch_context_get_timeout(request->ctx);
			return prov_soup_error_new(request, PROV_ERROR_TIMED_OUT,
						   "not complete within the deadline of %us",
						   seconds);
		}
		if (request->timed_out == PROV_SOUP_TIMEOUT_INACTIVITY) {
			seconds = prov_fetch_context_get_inactivity_timeout(request->ctx);
			return prov_soup_error_new(request, PROV_ERROR_TIMED_OUT,
						   "nothing received for %us", seconds);
		}
		return g_error_copy(error);
	}
	if (error->domain == G_RESOLVER_ERROR)
		return prov_soup_error_new(request, PROV_ERROR_HOST_NOT_FOUND,
					   "dns lookup failed: %s", error->message);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return prov_soup_error_new(request, PROV_ERROR_TIMED_OUT, "%s", error->message);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
		return prov_soup_error_new(request, PROV_ERROR_UNREACHABLE, "%s", error->message);
	/* R36: the body ended early, or a TLS stream ended without close_notify */
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
	    g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_EOF))
		return prov_soup_error_new(
		    request, PROV_ERROR_TRUNCATED, "body truncated after %u bytes: %s",
		    request->received != NULL ? request->received->len : 0, error->message);
	if (request->tls_errors_seen)
		return prov_soup_error_from_tls(request);
	if (g_error_matches(error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED))
		return prov_soup_error_new(request, PROV_ERROR_TLS_FAILED,
					   "server requires a client certificate: %s",
					   error->message);
	if (error->domain == G_TLS_ERROR)
		return prov_soup_error_new(request, PROV_ERROR_TLS_FAILED, "tls: %s",
					   error->message);
	/* TLS 1.3: a server that refuses the client certificate says so by closing, after the
	 * handshake */
	if (!request->answered &&
	    g_ascii_strcasecmp(g_uri_get_scheme(request->uri), "https") == 0 &&
	    (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
	     g_error_matches(error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)))
		return prov_soup_error_new(request, PROV_ERROR_TLS_FAILED,
					   "server closed the connection before answering%s: %s",
					   prov_fetch_context_get_tls_certificate(request->ctx) !=
						   NULL
					       ? " (client certificate refused?)"
					       : "",
					   error->message);
	if (error->domain == SOUP_SESSION_ERROR)
		return prov_soup_error_new(request, PROV_ERROR_PROTOCOL, "%s", error->message);
	if (request->received != NULL && request->received->len > 0)
		return prov_soup_error_new(request, PROV_ERROR_TRUNCATED,
					   "body truncated after %u bytes: %s",
					   request->received->len, error->message);
	return prov_soup_error_new(request, PROV_ERROR_PROTOCOL, "%s", error->message);
}

static void
prov_soup_request_return_error(GTask *task, GError *error)
{
	ProvSoupRequest *request = g_task_get_task_data(task);

	prov_soup_request_stop_timers(request);
	g_task_return_error(task, error);
}

static gboolean
prov_soup_deadline_cb(gpointer user_data)
{
	ProvSoupRequest *request = user_data;

	g_debug("deadline of %us reached, cancelling",
		prov_fetch_context_get_timeout(request->ctx));
	request->timed_out = PROV_SOUP_TIMEOUT_DEADLINE;
	g_clear_pointer(&request->deadline, g_source_unref);
	g_cancellable_cancel(request->cancellable);
	return G_SOURCE_REMOVE;
}

static gboolean
prov_soup_inactivity_cb(gpointer user_data)
{
	ProvSoupRequest *request = user_data;

	g_debug("nothing received for %us, cancelling",
		prov_fetch_context_get_inactivity_timeout(request->ctx));
	if (request->timed_out == PROV_SOUP_TIMEOUT_NONE)
		request->timed_out = PROV_SOUP_TIMEOUT_INACTIVITY;
	g_clear_pointer(&request->inactivity, g_source_unref);
	g_cancellable_cancel(request->cancellable);
	return G_SOURCE_REMOVE;
}

static GSource *
prov_soup_timer_new(ProvSoupRequest *request, guint seconds, GSourceFunc func)
{
	GSource *source = g_timeout_source_new((guint)MIN((guint64)seconds * 1000, G_MAXUINT));

	g_source_set_callback(source, func, request, NULL);
	g_source_set_static_name(source, "[provisiond] http timeout");
	g_source_attach(source, request->context);
	return source;
}

/* R35: the inactivity timer restarts whenever something arrives */
static void
prov_soup_request_touch(ProvSoupRequest *request)
{
	if (request->timed_out != PROV_SOUP_TIMEOUT_NONE)
		return;
	if (request->inactivity != NULL) {
		g_source_destroy(request->inactivity);
		g_clear_pointer(&request->inactivity, g_source_unref);
	}
	request->inactivity =
	    prov_soup_timer_new(request, prov_fetch_context_get_inactivity_timeout(request->ctx),
				prov_soup_inactivity_cb);
}

static void
prov_soup_caller_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	ProvSoupRequest *request = user_data;

	g_cancellable_cancel(request->cancellable);
}

/* R38: records why the certificate is refused, and refuses it; validation is never switched off */
static gboolean
prov_soup_accept_certificate_cb(SoupMessage *message,
				GTlsCertificate *certificate,
				GTlsCertificateFlags errors,
				gpointer user_data)
{
	ProvSoupRequest *request = user_data;

	request->tls_errors_seen = TRUE;
	request->tls_errors = errors;
	g_set_object(&request->peer_certificate, certificate);
	return FALSE;
}

/* the rule's credentials go only to the host the rule names, never to a redirect target elsewhere
 */
static gboolean
prov_soup_authenticate_cb(SoupMessage *message,
			  SoupAuth *auth,
			  gboolean retrying,
			  gpointer user_data)
{
	ProvSoupRequest *request = user_data;
	const gchar *username = prov_fetch_context_get_username(request->ctx);
	const gchar *password = prov_fetch_context_get_password(request->ctx);

	if (username == NULL) {
		g_debug("server asks for %s credentials, the rule has none",
			soup_auth_get_scheme_name(auth));
		return FALSE;
	}
	if (soup_auth_is_for_proxy(auth))
		return FALSE;
	if (g_ascii_strcasecmp(g_uri_get_host(request->uri), g_uri_get_host(request->origin)) !=
	    0) {
		g_debug("not sending credentials to %s", g_uri_get_host(request->uri));
		return FALSE;
	}
	if (request->auth_attempts >= PROV_SOUP_AUTH_RETRIES_MAX) {
		g_debug("credentials refused %u times, giving up", request->auth_attempts);
		return FALSE;
	}
	request->auth_attempts++;
	g_debug("answering %s challenge, attempt %u", soup_auth_get_scheme_name(auth),
		request->auth_attempts);
	soup_auth_authenticate(auth, username, password != NULL ? password : "");
	return TRUE;
}

/*
 * libsoup 3.2 re-sends a request after an auth challenge with the body
 * stream it already consumed, which arrives empty: the body is set anew
 */
static void
prov_soup_restarted_cb(SoupMessage *message, gpointer user_data)
{
	ProvSoupRequest *request = user_data;

	if (request->request_body != NULL)
		soup_message_set_request_body_from_bytes(message, request->content_type,
							 request->request_body);
}

static void
prov_soup_request_send(GTask *task);

static void
prov_soup_cache_store_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvSoupRequest *request = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	/* the copy is only an optimisation: the fetch succeeded either way */
	if (!g_task_propagate_boolean(G_TASK(result), &error))
		g_warning("cannot keep the copy for conditional requests: %s", error->message);
	g_task_return_pointer(task, g_byte_array_free_to_bytes(g_steal_pointer(&request->received)),
			      (GDestroyNotify)g_bytes_unref);
}

static gboolean
prov_soup_write_file(const gchar *path, const gchar *data, gsize size, GError **error)
{
	return g_file_set_contents_full(path, data, (gssize)size, G_FILE_SET_CONTENTS_CONSISTENT,
					0600, error);
}

/* runs in a worker thread: the main context never blocks on the disk */
static void
prov_soup_cache_store_thread(GTask *task,
			     gpointer source,
			     gpointer task_data,
			     GCancellable *cancellable)
{
	ProvSoupCacheEntry *entry = task_data;
	g_autofree gchar *directory = g_path_get_dirname(entry->base);
	g_autofree gchar *body_path = g_strconcat(entry->base, ".body", NULL);
	g_autofree gchar *meta_path = g_strconcat(entry->base, ".meta", NULL);
	g_autoptr(GKeyFile) meta = g_key_file_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *meta_data = NULL;
	g_autofree gchar *checksum = NULL;
	gsize meta_size = 0;
	gsize size = 0;
	const gchar *data;

	if (entry->body == NULL) {
		/* a response without validators: a kept copy would never be asked about again */
		g_unlink(meta_path);
		g_unlink(body_path);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (g_mkdir_with_parents(directory, 0700) < 0) {
		g_task_return_new_error(task, G_IO_ERROR, g_io_error_from_errno(errno), "%s: %s",
					directory, g_strerror(errno));
		return;
	}
	data = g_bytes_get_data(entry->body, &size);
	checksum = prov_soup_sha256((const guint8 *)(data != NULL ? data : ""), size);
	g_key_file_set_string(meta, PROV_SOUP_CACHE_GROUP, "URL", entry->uri);
	g_key_file_set_string(meta, PROV_SOUP_CACHE_GROUP, "FinalURL", entry->final_uri);
	if (entry->etag != NULL)
		g_key_file_set_string(meta, PROV_SOUP_CACHE_GROUP, "ETag", entry->etag);
	if (entry->last_modified != NULL)
		g_key_file_set_string(meta, PROV_SOUP_CACHE_GROUP, "LastModified",
				      entry->last_modified);
	g_key_file_set_uint64(meta, PROV_SOUP_CACHE_GROUP, "Size", size);
	g_key_file_set_string(meta, PROV_SOUP_CACHE_GROUP, "SHA256", checksum);
	meta_data = g_key_file_to_data(meta, &meta_size, NULL);
	/* the body first: validators never describe a copy that is not complete on disk */
	g_unlink(meta_path);
	if (!prov_soup_write_file(body_path, data != NULL ? data : "", size, &error) ||
	    !prov_soup_write_file(meta_path, meta_data, meta_size, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/* takes @task_in */
static void
prov_soup_request_return_received(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvSoupRequest *request = g_task_get_task_data(task);
	g_autofree gchar *final_uri = prov_soup_uri_to_string(request->uri);
	SoupMessageHeaders *headers = soup_message_get_response_headers(request->message);
	const gchar *etag = soup_message_headers_get_one(headers, "ETag");
	const gchar *last_modified = soup_message_headers_get_one(headers, "Last-Modified");
	g_autoptr(ProvSoupCacheEntry) entry = NULL;
	g_autoptr(GTask) store = NULL;

	prov_soup_request_stop_timers(request);
	prov_fetch_context_set_final_uri(request->ctx, final_uri);
	if (request->cache == NULL) {
		g_task_return_pointer(
		    task, g_byte_array_free_to_bytes(g_steal_pointer(&request->received)),
		    (GDestroyNotify)g_bytes_unref);
		return;
	}
	entry = g_new0(ProvSoupCacheEntry, 1);
	entry->base = g_strdup(request->cache->base);
	entry->uri = prov_soup_uri_to_string(request->origin);
	entry->final_uri = g_strdup(final_uri);
	if (etag != NULL || last_modified != NULL) {
		entry->etag = g_strdup(etag);
		entry->last_modified = g_strdup(last_modified);
		entry->body = g_bytes_new(request->received->data, request->received->len);
	}
	/* nothing to keep and nothing kept before: no disk work */
	if (entry->body == NULL && request->cache->etag == NULL &&
	    request->cache->last_modified == NULL) {
		g_task_return_pointer(
		    task, g_byte_array_free_to_bytes(g_steal_pointer(&request->received)),
		    (GDestroyNotify)g_bytes_unref);
		return;
	}
	store = g_task_new(NULL, NULL, prov_soup_cache_store_cb, g_steal_pointer(&task));
	g_task_set_task_data(store, g_steal_pointer(&entry),
			     (GDestroyNotify)prov_soup_cache_entry_free);
	g_task_run_in_thread(store, prov_soup_cache_store_thread);
}

static void
prov_soup_request_read_next(GTask *task);

static void
prov_soup_read_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvSoupRequest *request = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) chunk = NULL;
	gsize size = 0;
	const guint8 *data;

	chunk = g_input_stream_read_bytes_finish(G_INPUT_STREAM(source), result, &error);
	if (chunk == NULL) {
		prov_soup_request_return_error(task, prov_soup_error_convert(request, error));
		return;
	}
	data = g_bytes_get_data(chunk, &size);
	if (size == 0) {
		/*
		 * R36: with "Connection: close" libsoup reads a Content-Length
		 * body up to EOF and takes a short one for complete
		 */
		if (request->content_length >= 0 &&
		    (goffset)request->received->len != request->content_length) {
			prov_soup_request_return_error(
			    task, prov_soup_error_new(
				      request, PROV_ERROR_TRUNCATED,
				      "body truncated: %u of %" G_GINT64_FORMAT " bytes",
				      request->received->len, (gint64)request->content_length));
			return;
		}
		prov_soup_request_return_received(g_steal_pointer(&task));
		return;
	}
	prov_soup_request_touch(request);
	/* R17: the cap holds while streaming; a chunk that would pass it never joins the body */
	if (request->received->len + size > request->size_max) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_LIMIT_EXCEEDED,
					      "body larger than the fetch limit of %" G_GSIZE_FORMAT
					      " bytes",
					      request->size_max));
		return;
	}
	g_byte_array_append(request->received, data, (guint)size);
	prov_soup_request_read_next(g_steal_pointer(&task));
}

/* takes @task, which the read holds */
static void
prov_soup_request_read_next(GTask *task)
{
	ProvSoupRequest *request = g_task_get_task_data(task);

	/*
	 * a fixed chunk, not what is left under the cap: libsoup's chunked
	 * decoder cannot read less than a chunk boundary; the chunk is checked
	 * against the cap before it joins the body
	 */
	g_input_stream_read_bytes_async(request->stream, PROV_SOUP_READ_CHUNK, G_PRIORITY_DEFAULT,
					request->cancellable, prov_soup_read_cb, task);
}

/* takes @task_in */
static void
prov_soup_request_start_body(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvSoupRequest *request = g_task_get_task_data(task);
	SoupMessageHeaders *headers = soup_message_get_response_headers(request->message);

	request->content_length = -1;
	if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH)
		request->content_length = soup_message_headers_get_content_length(headers);
	/* R17: a body announced larger than the cap is refused before any of it is read */
	if (request->content_length > 0 && (guint64)request->content_length > request->size_max) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_LIMIT_EXCEEDED,
					      "body of %" G_GINT64_FORMAT
					      " bytes is larger than the fetch limit of "
					      "%" G_GSIZE_FORMAT " bytes",
					      (gint64)request->content_length, request->size_max));
		return;
	}
	request->received = g_byte_array_sized_new(
	    (guint)MIN((guint64)MAX(request->content_length, 0), (guint64)request->size_max));
	prov_soup_request_read_next(g_steal_pointer(&task));
}

static void
prov_soup_request_return_kept(GTask *task)
{
	ProvSoupRequest *request = g_task_get_task_data(task);
	g_autofree gchar *final_uri = prov_soup_uri_to_string(request->uri);

	if (g_bytes_get_size(request->cache->body) > request->size_max) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_LIMIT_EXCEEDED,
					      "kept copy is larger than the fetch limit of "
					      "%" G_GSIZE_FORMAT " bytes",
					      request->size_max));
		return;
	}
	prov_soup_request_stop_timers(request);
	g_debug("not modified, returning the kept copy");
	prov_fetch_context_set_final_uri(request->ctx, final_uri);
	prov_fetch_context_set_not_modified(request->ctx, TRUE);
	g_task_return_pointer(task, g_bytes_ref(request->cache->body),
			      (GDestroyNotify)g_bytes_unref);
}

static gboolean
prov_soup_status_is_redirect(guint status)
{
	return status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND ||
	       status == SOUP_STATUS_SEE_OTHER || status == SOUP_STATUS_TEMPORARY_REDIRECT ||
	       status == SOUP_STATUS_PERMANENT_REDIRECT;
}

/* reference 6.2.4: re-issue the request at Location, at most 5 times, never to another scheme;
 * takes @task_in */
static void
prov_soup_request_redirect(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvSoupRequest *request = g_task_get_task_data(task);
	SoupMessageHeaders *headers = soup_message_get_response_headers(request->message);
	const gchar *location = soup_message_headers_get_one(headers, "Location");
	guint status = soup_message_get_status(request->message);
	g_autoptr(GUri) target = NULL;
	g_autofree gchar *target_text = NULL;

	if (location == NULL) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_PROTOCOL,
					      "redirect %u without a location", status));
		return;
	}
	target = g_uri_parse_relative(request->uri, location,
				      G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD, NULL);
	if (target == NULL) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_REDIRECT,
					      "redirect %u to an invalid location", status));
		return;
	}
	target_text = prov_soup_uri_to_string(target);
	if (!prov_soup_redirect_is_allowed(request->uri, target)) {
		prov_soup_request_return_error(
		    task,
		    prov_soup_error_new(request, PROV_ERROR_REDIRECT,
					"redirect to %s refused: another scheme", target_text));
		return;
	}
	if (request->redirects >= PROV_SOUP_REDIRECTS_MAX) {
		prov_soup_request_return_error(
		    task, prov_soup_error_new(request, PROV_ERROR_REDIRECT,
					      "more than %u redirects", PROV_SOUP_REDIRECTS_MAX));
		return;
	}
	request->redirects++;
	g_debug("redirect %u to %s", status, target_text);
	/* an upload answered with 303 was accepted; a fetch continues with GET (reference 6.2.4) */
	if (status == SOUP_STATUS_SEE_OTHER && request->upload) {
		prov_soup_request_stop_timers(request);
		prov_fetch_context_set_final_uri(request->ctx, target_text);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (status == SOUP_STATUS_SEE_OTHER && g_strcmp0(request->method, "GET") != 0) {
		g_free(request->method);
		request->method = g_strdup("GET");
		g_clear_pointer(&request->request_body, g_bytes_unref);
	}
	g_clear_pointer(&request->uri, g_uri_unref);
	request->uri = g_uri_ref(target);
	prov_soup_request_send(g_steal_pointer(&task));
}

static void
prov_soup_send_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvSoupRequest *request = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = NULL;
	guint status;

	stream = soup_session_send_finish(SOUP_SESSION(source), result, &error);
	if (stream == NULL) {
		prov_soup_request_return_error(task, prov_soup_error_convert(request, error));
		return;
	}
	prov_soup_request_touch(request);
	request->answered = TRUE;
	status = soup_message_get_status(request->message);
	g_debug("%s answered %u", g_uri_get_host(request->uri), status);
	if (prov_soup_status_is_redirect(status)) {
		/* the redirect's own body is not wanted; dropping the stream closes the connection
		 */
		g_clear_object(&stream);
		prov_soup_request_redirect(g_steal_pointer(&task));
		return;
	}
	if (request->upload && SOUP_STATUS_IS_SUCCESSFUL(status)) {
		g_autofree gchar *final_uri = prov_soup_uri_to_string(request->uri);

		prov_soup_request_stop_timers(request);
		prov_fetch_context_set_final_uri(request->ctx, final_uri);
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (status == SOUP_STATUS_NOT_MODIFIED && request->conditional) {
		prov_soup_request_return_kept(task);
		return;
	}
	if (status != SOUP_STATUS_OK || request->upload) {
		g_autofree gchar *phrase = g_ascii_strdown(soup_status_get_phrase(status), -1);

		prov_soup_request_return_error(
		    task, prov_soup_error_new(
			      request, prov_soup_status_to_error_code(status, request->upload),
			      "server answered %u (%s)", status, phrase));
		return;
	}
	request->stream = g_steal_pointer(&stream);
	prov_soup_request_start_body(g_steal_pointer(&task));
}

/* reference 6.2.1: validators only go to the URL they came from */
static void
prov_soup_request_add_validators(ProvSoupRequest *request, SoupMessageHeaders *headers)
{
	g_autofree gchar *current = NULL;

	request->conditional = FALSE;
	if (request->cache == NULL || request->cache->body == NULL ||
	    g_strcmp0(request->method, "GET") != 0)
		return;
	current = prov_soup_uri_to_string(request->uri);
	if (g_strcmp0(current, request->cache->final_uri) != 0)
		return;
	if (request->cache->etag != NULL)
		soup_message_headers_replace(headers, "If-None-Match", request->cache->etag);
	if (request->cache->last_modified != NULL)
		soup_message_headers_replace(headers, "If-Modified-Since",
					     request->cache->last_modified);
	request->conditional = TRUE;
}

/* takes @task, which the request holds */
static void
prov_soup_request_send(GTask *task)
{
	ProvSoupRequest *request = g_task_get_task_data(task);
	SoupMessageHeaders *headers;

	if (request->message != NULL) {
		g_signal_handlers_disconnect_by_data(request->message, request);
		g_clear_object(&request->message);
	}
	request->tls_errors_seen = FALSE;
	request->tls_errors = 0;
	request->answered = FALSE;
	request->message = soup_message_new_from_uri(request->method, request->uri);
	/* R37: redirects are followed above, under our own limit and scheme policy */
	soup_message_add_flags(request->message, SOUP_MESSAGE_NO_REDIRECT);
	headers = soup_message_get_request_headers(request->message);
	/* reference 6.2.1: the request shape of the devices */
	soup_message_headers_replace(headers, "Accept", "*/*");
	soup_message_headers_replace(headers, "Connection", "close");
	prov_soup_request_add_validators(request, headers);
	if (request->request_body != NULL)
		soup_message_set_request_body_from_bytes(request->message, request->content_type,
							 request->request_body);
	/* reference 6.3.2: presented whenever the server asks for a client certificate */
	if (prov_fetch_context_get_tls_certificate(request->ctx) != NULL)
		soup_message_set_tls_client_certificate(
		    request->message, prov_fetch_context_get_tls_certificate(request->ctx));
	g_signal_connect(request->message, "accept-certificate",
			 G_CALLBACK(prov_soup_accept_certificate_cb), request);
	g_signal_connect(request->message, "authenticate", G_CALLBACK(prov_soup_authenticate_cb),
			 request);
	g_signal_connect(request->message, "restarted", G_CALLBACK(prov_soup_restarted_cb),
			 request);
	soup_session_send_async(request->session, request->message, G_PRIORITY_DEFAULT,
				request->cancellable, prov_soup_send_cb, task);
}

/* runs in a worker thread: reads the kept copy, or nothing when it is missing or damaged */
static void
prov_soup_cache_load_thread(GTask *task,
			    gpointer source,
			    gpointer task_data,
			    GCancellable *cancellable)
{
	ProvSoupCacheEntry *wanted = task_data;
	g_autofree gchar *meta_path = g_strconcat(wanted->base, ".meta", NULL);
	g_autofree gchar *body_path = g_strconcat(wanted->base, ".body", NULL);
	g_autoptr(GKeyFile) meta = g_key_file_new();
	g_autoptr(ProvSoupCacheEntry) entry = g_new0(ProvSoupCacheEntry, 1);
	g_autofree gchar *meta_data = NULL;
	g_autofree gchar *checksum = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *body = NULL;
	gsize meta_size = 0;
	gsize size = 0;

	entry->base = g_strdup(wanted->base);
	if (!g_file_get_contents(meta_path, &meta_data, &meta_size, NULL) ||
	    meta_size > PROV_SOUP_CACHE_META_MAX ||
	    !g_key_file_load_from_data(meta, meta_data, meta_size, G_KEY_FILE_NONE, NULL)) {
		g_task_return_pointer(task, g_steal_pointer(&entry),
				      (GDestroyNotify)prov_soup_cache_entry_free);
		return;
	}
	entry->uri = g_key_file_get_string(meta, PROV_SOUP_CACHE_GROUP, "URL", NULL);
	entry->final_uri = g_key_file_get_string(meta, PROV_SOUP_CACHE_GROUP, "FinalURL", NULL);
	entry->etag = g_key_file_get_string(meta, PROV_SOUP_CACHE_GROUP, "ETag", NULL);
	entry->last_modified =
	    g_key_file_get_string(meta, PROV_SOUP_CACHE_GROUP, "LastModified", NULL);
	expected = g_key_file_get_string(meta, PROV_SOUP_CACHE_GROUP, "SHA256", NULL);
	/* a digest collision or a damaged entry must not hand back another URL's profile */
	if (g_strcmp0(entry->uri, wanted->uri) != 0 || expected == NULL ||
	    (entry->etag == NULL && entry->last_modified == NULL) ||
	    !g_file_get_contents(body_path, &body, &size, NULL)) {
		g_clear_pointer(&entry->etag, g_free);
		g_clear_pointer(&entry->last_modified, g_free);
		g_task_return_pointer(task, g_steal_pointer(&entry),
				      (GDestroyNotify)prov_soup_cache_entry_free);
		return;
	}
	checksum = prov_soup_sha256((const guint8 *)body, size);
	if (g_strcmp0(checksum, expected) != 0) {
		g_clear_pointer(&entry->etag, g_free);
		g_clear_pointer(&entry->last_modified, g_free);
		g_task_return_pointer(task, g_steal_pointer(&entry),
				      (GDestroyNotify)prov_soup_cache_entry_free);
		return;
	}
	entry->body = g_bytes_new_take(g_steal_pointer(&body), size);
	g_task_return_pointer(task, g_steal_pointer(&entry),
			      (GDestroyNotify)prov_soup_cache_entry_free);
}

static void
prov_soup_cache_load_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvSoupRequest *request = g_task_get_task_data(task);

	request->cache = g_task_propagate_pointer(G_TASK(result), NULL);
	if (g_cancellable_is_cancelled(request->cancellable)) {
		g_autoptr(GError) error = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED,
							      "operation was cancelled");

		prov_soup_request_return_error(task, prov_soup_error_convert(request, error));
		return;
	}
	prov_soup_request_send(g_steal_pointer(&task));
}

static SoupSession *
prov_soup_session_new(ProvFetchContext *ctx)
{
	const gchar *user_agent = prov_fetch_context_get_user_agent(ctx);
	GTlsDatabase *database = prov_fetch_context_get_tls_database(ctx);
	SoupSession *session;

	/* R35: the timeouts are ours, implemented by cancelling; libsoup's own stay off */
	session = soup_session_new_with_options("timeout", 0, "idle-timeout", 0,
						"max-conns-per-host", 1, NULL);
	/* reference 6.2.2: every request carries the device's User-Agent */
	soup_session_set_user_agent(session, user_agent != NULL ? user_agent
								: "provisiond/" PACKAGE_VERSION);
	/* reference 6.2.1: no Accept-Encoding; a gzip body is recognised by its magic */
	soup_session_remove_feature_by_type(session, SOUP_TYPE_CONTENT_DECODER);
	/* a device has no proxy settings; the environment must not redirect provisioning */
	soup_session_set_proxy_resolver(session, NULL);
	/* reference 6.2.3: Basic and Digest only */
	if (soup_session_has_feature(session, SOUP_TYPE_AUTH_NTLM))
		soup_session_remove_feature_by_type(session, SOUP_TYPE_AUTH_NTLM);
	if (soup_session_has_feature(session, SOUP_TYPE_AUTH_NEGOTIATE))
		soup_session_remove_feature_by_type(session, SOUP_TYPE_AUTH_NEGOTIATE);
	/* reference 6.3.1: system roots, CAFile and the custom CA, as the engine built them */
	if (database != NULL)
		soup_session_set_tls_database(session, database);
	return session;
}

static void
prov_soup_request_start(GObject *source,
			const gchar *scheme,
			GUri *uri,
			ProvFetchContext *ctx,
			GBytes *upload_data,
			GCancellable *cancellable,
			GAsyncReadyCallback callback,
			gpointer user_data,
			gpointer source_tag)
{
	g_autoptr(GTask) task = g_task_new(source, cancellable, callback, user_data);
	ProvSoupRequest *request = g_new0(ProvSoupRequest, 1);
	const gchar *uri_scheme = g_uri_get_scheme(uri);
	GBytes *post_body = prov_fetch_context_get_post_body(ctx);

	g_task_set_source_tag(task, source_tag);
	g_task_set_task_data(task, request, (GDestroyNotify)prov_soup_request_free);
	request->ctx = g_object_ref(ctx);
	request->scheme = g_strdup(scheme);
	request->origin = g_uri_ref(uri);
	request->uri = g_uri_ref(uri);
	request->size_max = prov_fetch_context_get_size_max(ctx);
	request->content_length = -1;
	request->context = g_main_context_ref_thread_default();
	request->cancellable = g_cancellable_new();
	prov_fetch_context_set_final_uri(ctx, NULL);
	prov_fetch_context_set_not_modified(ctx, FALSE);

	if (uri_scheme == NULL || g_ascii_strcasecmp(uri_scheme, scheme) != 0) {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					"the %s transport cannot fetch %s URLs", scheme,
					uri_scheme != NULL ? uri_scheme : "scheme-less");
		return;
	}
	if (g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0') {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					"%s URL without a server", scheme);
		return;
	}
	/* reference 4.3: credentials come from --uid/--pwd, never from the URL */
	if (g_uri_get_userinfo(uri) != NULL) {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					"credentials in the URL are not accepted; use --uid and "
					"--pwd");
		return;
	}
	if (upload_data != NULL) {
		request->upload = TRUE;
		request->method = g_strdup(prov_fetch_context_get_upload_method(ctx));
		request->request_body = g_bytes_ref(upload_data);
		request->content_type = g_strdup(prov_fetch_context_get_content_type(ctx) != NULL
						     ? prov_fetch_context_get_content_type(ctx)
						     : "application/octet-stream");
	} else if (post_body != NULL) {
		/* reference 4.2: --post sends the expanded GPP_x as free text */
		request->method = g_strdup("POST");
		request->request_body = g_bytes_ref(post_body);
		request->content_type = g_strdup(prov_fetch_context_get_content_type(ctx) != NULL
						     ? prov_fetch_context_get_content_type(ctx)
						     : "text/plain");
	} else {
		request->method = g_strdup("GET");
	}
	if (cancellable != NULL) {
		request->caller_cancellable = g_object_ref(cancellable);
		request->caller_handler = g_cancellable_connect(
		    cancellable, G_CALLBACK(prov_soup_caller_cancelled_cb), request, NULL);
	}
	request->session = prov_soup_session_new(ctx);
	request->deadline = prov_soup_timer_new(request, prov_fetch_context_get_timeout(ctx),
						prov_soup_deadline_cb);
	prov_soup_request_touch(request);

	if (!request->upload && post_body == NULL &&
	    prov_fetch_context_get_cache_directory(ctx) != NULL) {
		g_autoptr(ProvSoupCacheEntry) wanted = g_new0(ProvSoupCacheEntry, 1);
		g_autofree gchar *key = prov_soup_cache_key(uri);
		g_autofree gchar *name = g_strconcat(PROV_SOUP_CACHE_PREFIX, key, NULL);
		g_autoptr(GTask) load = NULL;

		wanted->base =
		    g_build_filename(prov_fetch_context_get_cache_directory(ctx), name, NULL);
		wanted->uri = prov_soup_uri_to_string(uri);
		load = g_task_new(NULL, NULL, prov_soup_cache_load_cb, g_steal_pointer(&task));
		g_task_set_task_data(load, g_steal_pointer(&wanted),
				     (GDestroyNotify)prov_soup_cache_entry_free);
		g_task_run_in_thread(load, prov_soup_cache_load_thread);
		return;
	}
	prov_soup_request_send(g_steal_pointer(&task));
}

void
prov_soup_fetch_async(GObject *source,
		      const gchar *scheme,
		      GUri *uri,
		      ProvFetchContext *ctx,
		      GCancellable *cancellable,
		      GAsyncReadyCallback callback,
		      gpointer user_data)
{
	prov_soup_request_start(source, scheme, uri, ctx, NULL, cancellable, callback, user_data,
				prov_soup_fetch_async);
}

GBytes *
prov_soup_fetch_finish(GObject *source, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, source), NULL);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == prov_soup_fetch_async, NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

void
prov_soup_upload_async(GObject *source,
		       const gchar *scheme,
		       GUri *uri,
		       ProvFetchContext *ctx,
		       GBytes *data,
		       GCancellable *cancellable,
		       GAsyncReadyCallback callback,
		       gpointer user_data)
{
	prov_soup_request_start(source, scheme, uri, ctx, data, cancellable, callback, user_data,
				prov_soup_upload_async);
}

gboolean
prov_soup_upload_finish(GObject *source, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, source), FALSE);
	g_return_val_if_fail(g_task_get_source_tag(G_TASK(result)) == prov_soup_upload_async,
			     FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}
