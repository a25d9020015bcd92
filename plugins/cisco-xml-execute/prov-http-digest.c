/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * HTTP Digest (RFC 7616 with MD5 and qop=auth, as curl, browsers and the
 * devices' tools speak it) for the trigger's endpoints. libsoup's
 * SoupAuthDomainDigest is not used for the check because of two measured
 * faults (libsoup 3.2): it never verifies the nonce, which it builds from a
 * pointer and the time, so a captured Authorization header is accepted again
 * for ever; and it compares the percent-decoded digest `uri` with the still
 * encoded request target, so every `/admin/resync?RULE` whose rule needs an
 * escape (`%20` in `[--key x] tftp://…`) can never authenticate. libsoup
 * still parses the header (soup_header_parse_param_list()).
 *
 * Nonces are stateless: issue time and a counter, signed with HMAC-SHA256
 * under a key drawn at start, so a flood of challenges costs no memory. Only
 * nonces that authenticated a request are remembered, with their highest
 * nonce count, to refuse replays; the table is bounded, and when it is full
 * the oldest nonce and all issued before it become stale.
 */

#include "config.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/random.h>

#include "prov-http-digest.h"

#define PROV_HTTP_DIGEST_KEY_SIZE 32
/* 16 hex digits of issue time, 8 of counter, 32 of HMAC */
#define PROV_HTTP_DIGEST_NONCE_PREFIX 24
#define PROV_HTTP_DIGEST_NONCE_LENGTH (PROV_HTTP_DIGEST_NONCE_PREFIX + 32)
#define PROV_HTTP_DIGEST_HEX_LENGTH   32

typedef struct {
	gint64 issued;
	guint32 counter;
	guint32 nc;
} ProvHttpDigestSeen;

struct _ProvHttpDigest {
	GObject parent_instance;
	gchar *realm;
	guint8 key[PROV_HTTP_DIGEST_KEY_SIZE];
	guint32 counter;
	/* nonces with a counter up to this one are stale: their replay state was dropped */
	guint32 floor;
	gboolean has_floor;
	GHashTable *seen;
};

G_DEFINE_FINAL_TYPE(ProvHttpDigest, prov_http_digest, G_TYPE_OBJECT)

/* compares all @length bytes whatever differs first, so timing tells nothing */
static gboolean
prov_http_digest_equal(const gchar *a, const gchar *b, gsize length)
{
	guchar difference = 0;

	for (gsize i = 0; i < length; i++)
		difference |= (guchar)(a[i] ^ b[i]);
	return difference == 0;
}

static gboolean
prov_http_digest_is_hex(const gchar *text, gsize length)
{
	for (gsize i = 0; i < length; i++) {
		if (!g_ascii_isxdigit(text[i]))
			return FALSE;
	}
	return text[length] == '\0';
}

/* MD5 of the parts joined with ':', in lower-case hex (RFC 7616 3.4.1) */
static gchar *
prov_http_digest_md5(const gchar *const *parts)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_MD5);

	for (guint i = 0; parts[i] != NULL; i++) {
		if (i > 0)
			g_checksum_update(checksum, (const guchar *)":", 1);
		g_checksum_update(checksum, (const guchar *)parts[i], (gssize)strlen(parts[i]));
	}
	return g_strdup(g_checksum_get_string(checksum));
}

static gchar *
prov_http_digest_make_nonce(ProvHttpDigest *self, gint64 issued, guint32 counter)
{
	g_autofree gchar *prefix =
	    g_strdup_printf("%016" G_GINT64_MODIFIER "x%08x", (guint64)issued, counter);
	g_autofree gchar *mac =
	    g_compute_hmac_for_string(G_CHECKSUM_SHA256, self->key, sizeof(self->key), prefix, -1);

	return g_strdup_printf("%s%.32s", prefix, mac);
}

/* one of ours, not expired, not older than the replay state we still have */
static gboolean
prov_http_digest_nonce_is_fresh(
    ProvHttpDigest *self, const gchar *nonce, gint64 now, gint64 *issued, guint32 *counter)
{
	g_autofree gchar *expected = NULL;
	gchar time_text[17] = {0};
	gchar counter_text[9] = {0};

	if (strlen(nonce) != PROV_HTTP_DIGEST_NONCE_LENGTH ||
	    !prov_http_digest_is_hex(nonce, PROV_HTTP_DIGEST_NONCE_LENGTH))
		return FALSE;
	memcpy(time_text, nonce, 16);
	memcpy(counter_text, nonce + 16, 8);
	*issued = (gint64)g_ascii_strtoull(time_text, NULL, 16);
	*counter = (guint32)g_ascii_strtoull(counter_text, NULL, 16);
	expected = prov_http_digest_make_nonce(self, *issued, *counter);
	if (!prov_http_digest_equal(expected, nonce, PROV_HTTP_DIGEST_NONCE_LENGTH))
		return FALSE;
	if (*issued > now || now - *issued > PROV_HTTP_DIGEST_NONCE_LIFETIME)
		return FALSE;
	return !self->has_floor || *counter > self->floor;
}

static gboolean
prov_http_digest_seen_is_expired(gpointer key, gpointer value, gpointer user_data)
{
	const ProvHttpDigestSeen *seen = value;

	return *(const gint64 *)user_data - seen->issued > PROV_HTTP_DIGEST_NONCE_LIFETIME;
}

/* RFC 7616 3.4: a nonce count must grow, or the request is a replay */
static gboolean
prov_http_digest_record(ProvHttpDigest *self,
			const gchar *nonce,
			gint64 issued,
			guint32 counter,
			guint32 nc,
			gint64 now)
{
	ProvHttpDigestSeen *seen = g_hash_table_lookup(self->seen, nonce);

	if (seen != NULL) {
		if (nc <= seen->nc)
			return FALSE;
		seen->nc = nc;
		return TRUE;
	}
	if (g_hash_table_size(self->seen) >= PROV_HTTP_DIGEST_TRACKED_MAX)
		g_hash_table_foreach_remove(self->seen, prov_http_digest_seen_is_expired, &now);
	while (g_hash_table_size(self->seen) >= PROV_HTTP_DIGEST_TRACKED_MAX) {
		GHashTableIter iter;
		gpointer key;
		gpointer value;
		gpointer oldest = NULL;
		guint32 oldest_counter = G_MAXUINT32;

		g_hash_table_iter_init(&iter, self->seen);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			if (((ProvHttpDigestSeen *)value)->counter <= oldest_counter) {
				oldest_counter = ((ProvHttpDigestSeen *)value)->counter;
				oldest = key;
			}
		}
		/* forgetting its count would let it replay: it and all before it go stale */
		self->floor = self->has_floor ? MAX(self->floor, oldest_counter) : oldest_counter;
		self->has_floor = TRUE;
		g_hash_table_remove(self->seen, oldest);
		if (counter <= self->floor)
			return FALSE;
	}
	seen = g_new0(ProvHttpDigestSeen, 1);
	seen->issued = issued;
	seen->counter = counter;
	seen->nc = nc;
	g_hash_table_insert(self->seen, g_strdup(nonce), seen);
	return TRUE;
}

/* the digest `uri` names the request target (RFC 2617 3.2.2.5), escapes aside */
static gboolean
prov_http_digest_uri_matches(const gchar *uri, const gchar *target)
{
	g_autofree gchar *path = NULL;
	g_autofree gchar *decoded_uri = NULL;
	g_autofree gchar *decoded_target = NULL;

	/* origin form, as clients send it; an absolute URI otherwise (RFC 7230 5.3) */
	if (uri[0] != '/') {
		g_autoptr(GUri) parsed = g_uri_parse(uri, G_URI_FLAGS_ENCODED, NULL);

		if (parsed == NULL)
			return FALSE;
		path = g_uri_get_query(parsed) != NULL
			   ? g_strconcat(g_uri_get_path(parsed), "?", g_uri_get_query(parsed), NULL)
			   : g_strdup(g_uri_get_path(parsed));
	} else {
		path = g_strdup(uri);
	}
	decoded_uri = g_uri_unescape_string(path, NULL);
	decoded_target = g_uri_unescape_string(target, NULL);
	return decoded_uri != NULL && decoded_target != NULL &&
	       strcmp(decoded_uri, decoded_target) == 0;
}

/**
 * prov_http_digest_build_challenge:
 * @self: a #ProvHttpDigest
 * @stale: whether the credentials were right but the nonce stale, so that
 *   the client retries without asking its user again
 * @now: the monotonic time in microseconds
 *
 * Returns: (transfer full): a `WWW-Authenticate` value with a fresh nonce
 */
gchar *
prov_http_digest_build_challenge(ProvHttpDigest *self, gboolean stale, gint64 now)
{
	g_autofree gchar *nonce = NULL;
	GString *challenge = g_string_new("Digest ");

	g_return_val_if_fail(PROV_IS_HTTP_DIGEST(self), NULL);

	nonce = prov_http_digest_make_nonce(self, now, ++self->counter);
	soup_header_g_string_append_param_quoted(challenge, "realm", self->realm);
	g_string_append(challenge, ", ");
	soup_header_g_string_append_param_quoted(challenge, "nonce", nonce);
	g_string_append(challenge, ", qop=\"auth\", algorithm=MD5");
	if (stale)
		g_string_append(challenge, ", stale=true");
	return g_string_free(challenge, FALSE);
}

static const gchar *
prov_http_digest_lookup(GHashTable *params, const gchar *name)
{
	const gchar *value = g_hash_table_lookup(params, name);

	return value != NULL && value[0] != '\0' ? value : NULL;
}

/**
 * prov_http_digest_verify:
 * @self: a #ProvHttpDigest
 * @authorization: (nullable): the request's `Authorization` header
 * @method: the request method
 * @target: the request target as received: path, and `?` and the query
 * @accounts: (array length=n_accounts): who may authenticate
 * @n_accounts: the number of @accounts
 * @now: the monotonic time in microseconds
 * @account_index: (out) (optional): the account that authenticated
 *
 * Checks Digest credentials (RFC 7616, MD5, qop `auth`) against @accounts
 * and this instance's nonces; a valid request's nonce count is recorded, so
 * the same header is refused the second time.
 *
 * Returns: what the credentials are worth
 */
ProvHttpDigestResult
prov_http_digest_verify(ProvHttpDigest *self,
			const gchar *authorization,
			const gchar *method,
			const gchar *target,
			const ProvHttpDigestAccount *accounts,
			guint n_accounts,
			gint64 now,
			guint *account_index)
{
	g_autoptr(GHashTable) params = NULL;
	g_autofree gchar *ha1 = NULL;
	g_autofree gchar *ha2 = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *response = NULL;
	const gchar *username, *realm, *nonce, *uri, *qop, *nc, *cnonce, *algorithm;
	const gchar *password = NULL;
	guint found = G_MAXUINT;
	gint64 issued = 0;
	guint32 counter = 0;

	g_return_val_if_fail(PROV_IS_HTTP_DIGEST(self), PROV_HTTP_DIGEST_RESULT_MISSING);

	if (authorization == NULL || g_ascii_strncasecmp(authorization, "Digest", 6) != 0 ||
	    (authorization[6] != '\0' && !g_ascii_isspace(authorization[6])))
		return PROV_HTTP_DIGEST_RESULT_MISSING;
	params = soup_header_parse_param_list(authorization + 6);
	if (params == NULL)
		return PROV_HTTP_DIGEST_RESULT_MALFORMED;
	username = prov_http_digest_lookup(params, "username");
	realm = prov_http_digest_lookup(params, "realm");
	nonce = prov_http_digest_lookup(params, "nonce");
	uri = prov_http_digest_lookup(params, "uri");
	qop = prov_http_digest_lookup(params, "qop");
	nc = prov_http_digest_lookup(params, "nc");
	cnonce = prov_http_digest_lookup(params, "cnonce");
	algorithm = prov_http_digest_lookup(params, "algorithm");
	if (prov_http_digest_lookup(params, "response") != NULL)
		response = g_ascii_strdown(prov_http_digest_lookup(params, "response"), -1);
	/* only qop=auth is offered: without nc there is no replay protection */
	if (username == NULL || realm == NULL || nonce == NULL || uri == NULL || response == NULL ||
	    cnonce == NULL || g_strcmp0(qop, "auth") != 0 || nc == NULL || strlen(nc) != 8 ||
	    !prov_http_digest_is_hex(nc, 8) ||
	    (algorithm != NULL && g_ascii_strcasecmp(algorithm, "MD5") != 0))
		return PROV_HTTP_DIGEST_RESULT_MALFORMED;
	if (!prov_http_digest_uri_matches(uri, target))
		return PROV_HTTP_DIGEST_RESULT_MALFORMED;
	if (strlen(response) != PROV_HTTP_DIGEST_HEX_LENGTH || strcmp(realm, self->realm) != 0)
		return PROV_HTTP_DIGEST_RESULT_WRONG;

	for (guint i = 0; i < n_accounts; i++) {
		if (g_strcmp0(accounts[i].username, username) == 0 &&
		    accounts[i].password != NULL && accounts[i].password[0] != '\0') {
			found = i;
			password = accounts[i].password;
			break;
		}
	}
	/* the same work for an unknown user: timing does not tell which names exist */
	ha1 = prov_http_digest_md5(
	    (const gchar *[]){username, realm, password != NULL ? password : "", NULL});
	ha2 = prov_http_digest_md5((const gchar *[]){method, uri, NULL});
	expected = prov_http_digest_md5((const gchar *[]){ha1, nonce, nc, cnonce, qop, ha2, NULL});
	if (!prov_http_digest_equal(expected, response, PROV_HTTP_DIGEST_HEX_LENGTH) ||
	    password == NULL)
		return PROV_HTTP_DIGEST_RESULT_WRONG;

	if (!prov_http_digest_nonce_is_fresh(self, nonce, now, &issued, &counter))
		return PROV_HTTP_DIGEST_RESULT_STALE;
	if (!prov_http_digest_record(self, nonce, issued, counter,
				     (guint32)g_ascii_strtoull(nc, NULL, 16), now))
		return PROV_HTTP_DIGEST_RESULT_REPLAYED;
	if (account_index != NULL)
		*account_index = found;
	return PROV_HTTP_DIGEST_RESULT_OK;
}

/**
 * prov_http_digest_result_to_string:
 * @result: a #ProvHttpDigestResult
 *
 * Returns: a word for debug logs
 */
const gchar *
prov_http_digest_result_to_string(ProvHttpDigestResult result)
{
	switch (result) {
	case PROV_HTTP_DIGEST_RESULT_OK:
		return "ok";
	case PROV_HTTP_DIGEST_RESULT_MISSING:
		return "no credentials";
	case PROV_HTTP_DIGEST_RESULT_MALFORMED:
		return "malformed credentials";
	case PROV_HTTP_DIGEST_RESULT_WRONG:
		return "wrong credentials";
	case PROV_HTTP_DIGEST_RESULT_STALE:
		return "stale nonce";
	case PROV_HTTP_DIGEST_RESULT_REPLAYED:
		return "replayed credentials";
	default:
		return "unknown";
	}
}

/**
 * prov_http_digest_get_realm:
 * @self: a #ProvHttpDigest
 *
 * Returns: the realm of the challenges
 */
const gchar *
prov_http_digest_get_realm(ProvHttpDigest *self)
{
	g_return_val_if_fail(PROV_IS_HTTP_DIGEST(self), NULL);
	return self->realm;
}

static void
prov_http_digest_finalize(GObject *object)
{
	ProvHttpDigest *self = PROV_HTTP_DIGEST(object);

	explicit_bzero(self->key, sizeof(self->key));
	g_hash_table_unref(self->seen);
	g_free(self->realm);
	G_OBJECT_CLASS(prov_http_digest_parent_class)->finalize(object);
}

static void
prov_http_digest_class_init(ProvHttpDigestClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_http_digest_finalize;
}

static void
prov_http_digest_init(ProvHttpDigest *self)
{
	gsize filled = 0;

	self->seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	while (filled < sizeof(self->key)) {
		gssize got = getrandom(self->key + filled, sizeof(self->key) - filled, 0);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		filled += (gsize)got;
	}
	/* a kernel without getrandom(): GLib seeds its generator from /dev/urandom */
	for (; filled < sizeof(self->key); filled++)
		self->key[filled] = (guint8)g_random_int_range(0, 256);
}

/**
 * prov_http_digest_new:
 * @realm: the realm of the challenges
 *
 * Returns: (transfer full): a Digest checker with a key of its own: nonces
 *   of another instance (or of a previous start) are stale here
 */
ProvHttpDigest *
prov_http_digest_new(const gchar *realm)
{
	ProvHttpDigest *self = g_object_new(PROV_TYPE_HTTP_DIGEST, NULL);

	self->realm = g_strdup(realm);
	return self;
}
