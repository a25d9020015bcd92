/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <prov-error.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "prov-sip-digest.h"

/* the kernel's CSPRNG: g_random is a Mersenne Twister, predictable from its output */
static gboolean
prov_sip_urandom(guint8 *buffer, gsize len)
{
	gint fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	gsize done = 0;

	if (fd < 0)
		return FALSE;
	while (done < len) {
		gssize n = read(fd, buffer + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (gsize)n;
	}
	close(fd);
	return done == len;
}

gboolean
prov_sip_random_bytes(guint8 *buffer, gsize len)
{
	gsize done = 0;

	while (done < len) {
		gssize n = getrandom(buffer + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		/* kernels before 3.17 have no getrandom() */
		if (n < 0)
			return prov_sip_urandom(buffer + done, len - done);
		done += (gsize)n;
	}
	return TRUE;
}

/* (nullable): @n_bytes random bytes as lower-case hex, %NULL if the CSPRNG failed */
gchar *
prov_sip_random_hex(gsize n_bytes)
{
	g_autofree guint8 *bytes = g_malloc(n_bytes);
	gchar *hex = g_malloc(n_bytes * 2 + 1);

	if (!prov_sip_random_bytes(bytes, n_bytes)) {
		g_free(hex);
		return NULL;
	}
	for (gsize i = 0; i < n_bytes; i++) {
		hex[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[bytes[i] & 0xf];
	}
	hex[n_bytes * 2] = '\0';
	return hex;
}

static gboolean
prov_sip_is_hex(const gchar *text, gsize len)
{
	if (text == NULL || strlen(text) != len)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(text[i]))
			return FALSE;
	}
	return TRUE;
}

static gboolean
prov_sip_is_set(const gchar *text)
{
	return text != NULL && text[0] != '\0';
}

/**
 * prov_sip_authorization_validate:
 * @authorization: Digest credentials from a request
 * @error: return location for a #GError
 *
 * The trigger challenges with `algorithm=MD5, qop="auth"` only: credentials
 * must answer exactly that (RFC 2617 3.2.2), with every parameter it needs.
 *
 * Returns: %FALSE with %PROV_ERROR_PROTOCOL when a parameter is missing or
 *   malformed (the request is then answered with 400)
 */
gboolean
prov_sip_authorization_validate(const ProvSipAuthorization *authorization, GError **error)
{
	const gchar *missing = NULL;

	if (!prov_sip_is_set(authorization->username))
		missing = "username";
	else if (!prov_sip_is_set(authorization->realm))
		missing = "realm";
	else if (!prov_sip_is_set(authorization->nonce))
		missing = "nonce";
	else if (!prov_sip_is_set(authorization->uri))
		missing = "uri";
	else if (!prov_sip_is_set(authorization->response))
		missing = "response";
	else if (!prov_sip_is_set(authorization->qop))
		missing = "qop";
	else if (!prov_sip_is_set(authorization->nc))
		missing = "nc";
	else if (!prov_sip_is_set(authorization->cnonce))
		missing = "cnonce";
	if (missing != NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL, "digest credentials without %s",
			    missing);
		return FALSE;
	}
	if (g_ascii_strcasecmp(authorization->qop, "auth") != 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "digest qop is not auth");
		return FALSE;
	}
	if (authorization->algorithm != NULL &&
	    g_ascii_strcasecmp(authorization->algorithm, "MD5") != 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "digest algorithm is not MD5");
		return FALSE;
	}
	if (!prov_sip_is_hex(authorization->nc, 8)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "digest nc is not 8 hex digits");
		return FALSE;
	}
	if (!prov_sip_is_hex(authorization->response, 32)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_PROTOCOL,
				    "digest response is not 32 hex digits");
		return FALSE;
	}
	return TRUE;
}

/* MD5 of the ':'-joined parts as lower-case hex */
static gchar *
prov_sip_md5_join(const gchar *const *parts)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_MD5);

	for (guint i = 0; parts[i] != NULL; i++) {
		if (i > 0)
			g_checksum_update(checksum, (const guchar *)":", 1);
		g_checksum_update(checksum, (const guchar *)parts[i], (gssize)strlen(parts[i]));
	}
	return g_strdup(g_checksum_get_string(checksum));
}

/**
 * prov_sip_digest_compute:
 *
 * RFC 2617 3.2.2.1 with qop=auth:
 * `MD5(MD5(username:realm:password):nonce:nc:cnonce:qop:MD5(method:uri))`.
 * HA1 stands for the password: it is wiped before it is freed.
 *
 * Returns: (transfer full): the expected response, 32 lower-case hex digits
 */
gchar *
prov_sip_digest_compute(const gchar *username,
			const gchar *realm,
			const gchar *password,
			const gchar *method,
			const gchar *uri,
			const gchar *nonce,
			const gchar *nc,
			const gchar *cnonce,
			const gchar *qop)
{
	gchar *ha1 = prov_sip_md5_join((const gchar *[]){username, realm, password, NULL});
	g_autofree gchar *ha2 = prov_sip_md5_join((const gchar *[]){method, uri, NULL});
	gchar *response =
	    prov_sip_md5_join((const gchar *[]){ha1, nonce, nc, cnonce, qop, ha2, NULL});

	explicit_bzero(ha1, strlen(ha1));
	g_free(ha1);
	return response;
}

/**
 * prov_sip_digest_equal:
 * @expected: the computed response, lower-case hex
 * @given: the client's response, 32 hex digits in either case
 *
 * Compares in time that does not depend on where the two differ, so that a
 * client cannot learn the expected response digit by digit.
 */
gboolean
prov_sip_digest_equal(const gchar *expected, const gchar *given)
{
	gsize len = strlen(expected);
	guint8 difference = 0;

	if (strlen(given) != len)
		return FALSE;
	for (gsize i = 0; i < len; i++)
		difference |= (guint8)expected[i] ^ (guint8)g_ascii_tolower(given[i]);
	return difference == 0;
}

typedef struct {
	gchar *nonce;
	gchar *source;
	gchar *realm;
	guint failures;
	gint64 expires;
} ProvSipNonce;

struct _ProvSipNonces {
	gint64 lifetime;
	/* nonce -> ProvSipNonce, and the same entries oldest first */
	GHashTable *entries;
	GQueue order;
	/* source -> number of its entries */
	GHashTable *per_source;
};

static void
prov_sip_nonce_free(ProvSipNonce *entry)
{
	g_free(entry->nonce);
	g_free(entry->source);
	g_free(entry->realm);
	g_free(entry);
}

/**
 * prov_sip_nonces_new:
 * @lifetime: how long a nonce stays valid, in microseconds
 *
 * Returns: (transfer full): an empty table
 */
ProvSipNonces *
prov_sip_nonces_new(gint64 lifetime)
{
	ProvSipNonces *self = g_new0(ProvSipNonces, 1);

	self->lifetime = lifetime;
	self->entries = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
					      (GDestroyNotify)prov_sip_nonce_free);
	g_queue_init(&self->order);
	self->per_source = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	return self;
}

void
prov_sip_nonces_free(ProvSipNonces *self)
{
	if (self == NULL)
		return;
	g_queue_clear(&self->order);
	g_hash_table_unref(self->entries);
	g_hash_table_unref(self->per_source);
	g_free(self);
}

static void
prov_sip_nonces_remove(ProvSipNonces *self, ProvSipNonce *entry)
{
	guint count = GPOINTER_TO_UINT(g_hash_table_lookup(self->per_source, entry->source));

	if (count <= 1)
		g_hash_table_remove(self->per_source, entry->source);
	else
		g_hash_table_insert(self->per_source, g_strdup(entry->source),
				    GUINT_TO_POINTER(count - 1));
	g_queue_remove(&self->order, entry);
	g_hash_table_remove(self->entries, entry->nonce);
}

/* every nonce has the same lifetime: the expired ones are the oldest */
static void
prov_sip_nonces_expire(ProvSipNonces *self, gint64 now)
{
	ProvSipNonce *oldest;

	while ((oldest = g_queue_peek_head(&self->order)) != NULL && oldest->expires <= now)
		prov_sip_nonces_remove(self, oldest);
}

/**
 * prov_sip_nonces_issue:
 * @self: the table
 * @source: the host the challenge goes to
 * @realm: the realm of the challenge
 * @failures: wrong answers to the challenges before this one (reference 7.3:
 *   the second one is refused)
 * @now: the monotonic time, in microseconds
 *
 * Makes room by dropping the oldest nonce of @source when it has
 * %PROV_SIP_NONCES_PER_SOURCE_MAX, or the oldest of all when the table is full.
 *
 * Returns: (transfer full) (nullable): a fresh nonce, %NULL when the CSPRNG failed
 */
gchar *
prov_sip_nonces_issue(
    ProvSipNonces *self, const gchar *source, const gchar *realm, guint failures, gint64 now)
{
	ProvSipNonce *entry;
	guint count;

	prov_sip_nonces_expire(self, now);
	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->per_source, source));
	if (count >= PROV_SIP_NONCES_PER_SOURCE_MAX) {
		for (GList *l = self->order.head; l != NULL; l = l->next) {
			ProvSipNonce *candidate = l->data;

			if (g_str_equal(candidate->source, source)) {
				prov_sip_nonces_remove(self, candidate);
				break;
			}
		}
	}
	if (g_hash_table_size(self->entries) >= PROV_SIP_NONCES_MAX)
		prov_sip_nonces_remove(self, g_queue_peek_head(&self->order));

	entry = g_new0(ProvSipNonce, 1);
	entry->nonce = prov_sip_random_hex(PROV_SIP_NONCE_BYTES);
	if (entry->nonce == NULL) {
		prov_sip_nonce_free(entry);
		return NULL;
	}
	entry->source = g_strdup(source);
	entry->realm = g_strdup(realm);
	entry->failures = failures;
	entry->expires = now + self->lifetime;
	g_hash_table_insert(self->entries, entry->nonce, entry);
	g_queue_push_tail(&self->order, entry);
	count = GPOINTER_TO_UINT(g_hash_table_lookup(self->per_source, source));
	g_hash_table_insert(self->per_source, g_strdup(source), GUINT_TO_POINTER(count + 1));
	return g_strdup(entry->nonce);
}

/**
 * prov_sip_nonces_take:
 * @self: the table
 * @nonce: the nonce of a request's credentials
 * @source: the host the request came from
 * @realm: the realm of the credentials
 * @now: the monotonic time, in microseconds
 * @failures: (out): the failures recorded with the nonce
 *
 * A nonce is good once, for the source and realm it was issued to, before
 * it expires: this removes it. One presented by another source or for
 * another realm stays for its owner.
 *
 * Returns: %TRUE when @nonce was valid (and is now used up)
 */
gboolean
prov_sip_nonces_take(ProvSipNonces *self,
		     const gchar *nonce,
		     const gchar *source,
		     const gchar *realm,
		     gint64 now,
		     guint *failures)
{
	ProvSipNonce *entry;

	prov_sip_nonces_expire(self, now);
	entry = g_hash_table_lookup(self->entries, nonce);
	if (entry == NULL || !g_str_equal(entry->source, source) ||
	    g_strcmp0(entry->realm, realm) != 0)
		return FALSE;
	*failures = entry->failures;
	prov_sip_nonces_remove(self, entry);
	return TRUE;
}

guint
prov_sip_nonces_get_size(ProvSipNonces *self)
{
	return g_hash_table_size(self->entries);
}
