/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvFetchContext"

#include "config.h"

#include <string.h>

#include "prov-fetch-context.h"

/**
 * ProvFetchContext:
 *
 * What a #ProvTransport needs for one fetch besides the URI: the
 * User-Agent (reference 6.2.2), the overall deadline and inactivity
 * timeout (R35), the size cap (R17, `FetchMax`), the TLS material
 * (reference 6.3), the rule's `--uid`/`--pwd` credentials, the `--post`
 * body, and where a transport may keep the last copy of each URL for
 * conditional requests. The engine fills one per fetch; the transport
 * reads it and reports back what the engine needs to know about the
 * outcome: the final URL after redirects (R37) and whether the server
 * answered "not modified" so that the kept copy was returned.
 *
 * Since: 0.1
 */
struct _ProvFetchContext {
	GObject parent_instance;
	gchar *user_agent;
	guint timeout;
	guint inactivity_timeout;
	gsize size_max;
	GTlsCertificate *tls_certificate;
	GTlsDatabase *tls_database;
	gchar *username;
	gchar *password;
	gchar *cache_directory;
	GBytes *post_body;
	gchar *upload_method;
	gchar *content_type;
	/* what the transport reports back */
	gchar *final_uri;
	gboolean not_modified;
};

G_DEFINE_TYPE(ProvFetchContext, prov_fetch_context, G_TYPE_OBJECT)

/* credentials must not linger in freed heap memory */
static void
prov_fetch_context_clear_secret(gchar **secret)
{
	if (*secret == NULL)
		return;
	explicit_bzero(*secret, strlen(*secret));
	g_clear_pointer(secret, g_free);
}

/**
 * prov_fetch_context_set_user_agent:
 * @self: a #ProvFetchContext
 * @user_agent: (nullable): the User-Agent header value
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_user_agent(ProvFetchContext *self, const gchar *user_agent)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	g_free(self->user_agent);
	self->user_agent = g_strdup(user_agent);
}

/**
 * prov_fetch_context_get_user_agent:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the User-Agent, %NULL for none
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_user_agent(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->user_agent;
}

/**
 * prov_fetch_context_set_timeout:
 * @self: a #ProvFetchContext
 * @seconds: the overall deadline of one fetch, connection to last byte
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_timeout(ProvFetchContext *self, guint seconds)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(seconds > 0);

	self->timeout = seconds;
}

/**
 * prov_fetch_context_get_timeout:
 * @self: a #ProvFetchContext
 *
 * Returns: the overall deadline in seconds (default 60, R35)
 *
 * Since: 0.1
 */
guint
prov_fetch_context_get_timeout(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), 0);

	return self->timeout;
}

/**
 * prov_fetch_context_set_inactivity_timeout:
 * @self: a #ProvFetchContext
 * @seconds: how long a fetch may go without receiving anything
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_inactivity_timeout(ProvFetchContext *self, guint seconds)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(seconds > 0);

	self->inactivity_timeout = seconds;
}

/**
 * prov_fetch_context_get_inactivity_timeout:
 * @self: a #ProvFetchContext
 *
 * Returns: the inactivity timeout in seconds (default 30)
 *
 * Since: 0.1
 */
guint
prov_fetch_context_get_inactivity_timeout(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), 0);

	return self->inactivity_timeout;
}

/**
 * prov_fetch_context_set_size_max:
 * @self: a #ProvFetchContext
 * @size_max: the bytes a fetch may return; a transport fails as soon as
 *   more arrive (or are announced), before its buffer grows past it
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_size_max(ProvFetchContext *self, gsize size_max)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	self->size_max = size_max;
}

/**
 * prov_fetch_context_get_size_max:
 * @self: a #ProvFetchContext
 *
 * Returns: the fetch size cap in bytes (default `FetchMax`, 1 MiB)
 *
 * Since: 0.1
 */
gsize
prov_fetch_context_get_size_max(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), 0);

	return self->size_max;
}

/**
 * prov_fetch_context_set_limits:
 * @self: a #ProvFetchContext
 * @limits: the configured caps; `FetchMax` becomes the size cap
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_limits(ProvFetchContext *self, const ProvLimits *limits)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(limits != NULL);

	self->size_max = limits->fetch_max;
}

/**
 * prov_fetch_context_set_tls_certificate:
 * @self: a #ProvFetchContext
 * @certificate: (nullable): the device certificate with its private key,
 *   presented when a server asks for a client certificate (reference 6.3.2)
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_tls_certificate(ProvFetchContext *self, GTlsCertificate *certificate)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(certificate == NULL || G_IS_TLS_CERTIFICATE(certificate));

	g_set_object(&self->tls_certificate, certificate);
}

/**
 * prov_fetch_context_get_tls_certificate:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the client certificate
 *
 * Since: 0.1
 */
GTlsCertificate *
prov_fetch_context_get_tls_certificate(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->tls_certificate;
}

/**
 * prov_fetch_context_set_tls_database:
 * @self: a #ProvFetchContext
 * @database: (nullable): the trust anchors to verify servers with
 *   (`CAFile` and the custom CA of reference 9.3); %NULL for the system's
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_tls_database(ProvFetchContext *self, GTlsDatabase *database)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(database == NULL || G_IS_TLS_DATABASE(database));

	g_set_object(&self->tls_database, database);
}

/**
 * prov_fetch_context_get_tls_database:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the trust anchors, %NULL for the system's
 *
 * Since: 0.1
 */
GTlsDatabase *
prov_fetch_context_get_tls_database(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->tls_database;
}

/**
 * prov_fetch_context_set_credentials:
 * @self: a #ProvFetchContext
 * @username: (nullable): the rule's `--uid`
 * @password: (nullable): the rule's `--pwd`; wiped when replaced or freed
 *
 * Credentials are secrets: a transport never logs them.
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_credentials(ProvFetchContext *self,
				   const gchar *username,
				   const gchar *password)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	prov_fetch_context_clear_secret(&self->username);
	prov_fetch_context_clear_secret(&self->password);
	self->username = g_strdup(username);
	self->password = g_strdup(password);
}

/**
 * prov_fetch_context_get_username:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the user name, %NULL for none
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_username(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->username;
}

/**
 * prov_fetch_context_get_password:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the password, %NULL for none
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_password(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->password;
}

/**
 * prov_fetch_context_set_cache_directory:
 * @self: a #ProvFetchContext
 * @path: (nullable): a private directory where a transport keeps the last
 *   copy of each URL with its validators, for conditional requests
 *   (reference 6.2.1); %NULL: no conditional requests
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_cache_directory(ProvFetchContext *self, const gchar *path)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	g_free(self->cache_directory);
	self->cache_directory = g_strdup(path);
}

/**
 * prov_fetch_context_get_cache_directory:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the cache directory, %NULL for none
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_cache_directory(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->cache_directory;
}

/**
 * prov_fetch_context_set_post_body:
 * @self: a #ProvFetchContext
 * @body: (nullable): what a fetch sends with POST instead of GET (the
 *   expanded GPP_x of `--post x`, reference 4.2); %NULL for GET
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_post_body(ProvFetchContext *self, GBytes *body)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	g_clear_pointer(&self->post_body, g_bytes_unref);
	if (body != NULL)
		self->post_body = g_bytes_ref(body);
}

/**
 * prov_fetch_context_get_post_body:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the POST body, %NULL for GET
 *
 * Since: 0.1
 */
GBytes *
prov_fetch_context_get_post_body(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->post_body;
}

/**
 * prov_fetch_context_set_upload_method:
 * @self: a #ProvFetchContext
 * @method: (nullable): `PUT` or `POST` for an HTTP upload
 *   (`HTTP_Report_Method`, reference 9.1); %NULL for the default, `POST`
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_upload_method(ProvFetchContext *self, const gchar *method)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));
	g_return_if_fail(method == NULL || g_str_equal(method, "PUT") ||
			 g_str_equal(method, "POST"));

	g_free(self->upload_method);
	self->upload_method = g_strdup(method);
}

/**
 * prov_fetch_context_get_upload_method:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none): `PUT` or `POST`
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_upload_method(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->upload_method != NULL ? self->upload_method : "POST";
}

/**
 * prov_fetch_context_set_content_type:
 * @self: a #ProvFetchContext
 * @content_type: (nullable): the media type of a body the transport sends
 *   (the POST body of a fetch, or an upload); %NULL for the transport's
 *   default (`text/plain` for `--post`, `application/octet-stream` for
 *   an upload)
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_content_type(ProvFetchContext *self, const gchar *content_type)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	g_free(self->content_type);
	self->content_type = g_strdup(content_type);
}

/**
 * prov_fetch_context_get_content_type:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the media type, %NULL for the default
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_content_type(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->content_type;
}

/**
 * prov_fetch_context_set_final_uri:
 * @self: a #ProvFetchContext
 * @uri: (nullable): where the bytes came from after redirects, without
 *   userinfo; set by the transport when a fetch succeeds (R37)
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_final_uri(ProvFetchContext *self, const gchar *uri)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	g_free(self->final_uri);
	self->final_uri = g_strdup(uri);
}

/**
 * prov_fetch_context_get_final_uri:
 * @self: a #ProvFetchContext
 *
 * Returns: (transfer none) (nullable): the final URL of the last
 *   successful fetch, %NULL when the transport did not report one
 *
 * Since: 0.1
 */
const gchar *
prov_fetch_context_get_final_uri(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), NULL);

	return self->final_uri;
}

/**
 * prov_fetch_context_set_not_modified:
 * @self: a #ProvFetchContext
 * @not_modified: set by the transport: %TRUE when the server answered a
 *   conditional request with "not modified" and the transport returned
 *   the copy it kept
 *
 * Since: 0.1
 */
void
prov_fetch_context_set_not_modified(ProvFetchContext *self, gboolean not_modified)
{
	g_return_if_fail(PROV_IS_FETCH_CONTEXT(self));

	self->not_modified = not_modified;
}

/**
 * prov_fetch_context_get_not_modified:
 * @self: a #ProvFetchContext
 *
 * Returns: %TRUE when the last fetch returned the kept copy after a
 *   "not modified" answer: the bytes equal those of the previous fetch
 *
 * Since: 0.1
 */
gboolean
prov_fetch_context_get_not_modified(ProvFetchContext *self)
{
	g_return_val_if_fail(PROV_IS_FETCH_CONTEXT(self), FALSE);

	return self->not_modified;
}

static void
prov_fetch_context_dispose(GObject *object)
{
	ProvFetchContext *self = PROV_FETCH_CONTEXT(object);

	g_clear_object(&self->tls_certificate);
	g_clear_object(&self->tls_database);
	g_clear_pointer(&self->post_body, g_bytes_unref);
	G_OBJECT_CLASS(prov_fetch_context_parent_class)->dispose(object);
}

static void
prov_fetch_context_finalize(GObject *object)
{
	ProvFetchContext *self = PROV_FETCH_CONTEXT(object);

	g_free(self->user_agent);
	prov_fetch_context_clear_secret(&self->username);
	prov_fetch_context_clear_secret(&self->password);
	g_free(self->cache_directory);
	g_free(self->upload_method);
	g_free(self->content_type);
	g_free(self->final_uri);
	G_OBJECT_CLASS(prov_fetch_context_parent_class)->finalize(object);
}

static void
prov_fetch_context_class_init(ProvFetchContextClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_fetch_context_dispose;
	object_class->finalize = prov_fetch_context_finalize;
}

static void
prov_fetch_context_init(ProvFetchContext *self)
{
	self->timeout = PROV_FETCH_CONTEXT_DEFAULT_TIMEOUT;
	self->inactivity_timeout = PROV_FETCH_CONTEXT_DEFAULT_INACTIVITY_TIMEOUT;
	self->size_max = PROV_LIMITS_DEFAULT_FETCH_MAX;
}

/**
 * prov_fetch_context_new:
 *
 * Returns: (transfer full): a context with the default deadline, inactivity
 *   timeout and size cap, no User-Agent, TLS material or credentials
 *
 * Since: 0.1
 */
ProvFetchContext *
prov_fetch_context_new(void)
{
	return g_object_new(PROV_TYPE_FETCH_CONTEXT, NULL);
}
