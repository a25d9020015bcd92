/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* how long a nonce is honoured (reference 7.3 proposes 60 s for SIP; HTTP shares it) */
#define PROV_HTTP_DIGEST_NONCE_LIFETIME (60 * G_USEC_PER_SEC)
/* nonces whose count is remembered for replay detection; the oldest go stale first */
#define PROV_HTTP_DIGEST_TRACKED_MAX 256

/**
 * ProvHttpDigestResult:
 * @PROV_HTTP_DIGEST_RESULT_OK: the credentials are valid and fresh
 * @PROV_HTTP_DIGEST_RESULT_MISSING: no Digest credentials in the request
 * @PROV_HTTP_DIGEST_RESULT_MALFORMED: Digest credentials that cannot be
 *   checked: a parameter missing or unsupported, or a `uri` that does not
 *   name the request target (RFC 2617 3.2.2.5: 400)
 * @PROV_HTTP_DIGEST_RESULT_WRONG: unknown user, another realm or a wrong
 *   password
 * @PROV_HTTP_DIGEST_RESULT_STALE: the password is right but the nonce was
 *   not issued here, or has expired: challenge again with `stale=true`
 * @PROV_HTTP_DIGEST_RESULT_REPLAYED: a nonce count that was already used
 *   with this nonce: a replayed Authorization header
 *
 * Since: 0.1
 */
typedef enum {
	PROV_HTTP_DIGEST_RESULT_OK,
	PROV_HTTP_DIGEST_RESULT_MISSING,
	PROV_HTTP_DIGEST_RESULT_MALFORMED,
	PROV_HTTP_DIGEST_RESULT_WRONG,
	PROV_HTTP_DIGEST_RESULT_STALE,
	PROV_HTTP_DIGEST_RESULT_REPLAYED,
} ProvHttpDigestResult;

/**
 * ProvHttpDigestAccount:
 * @username: the user name
 * @password: the password; an empty one never matches
 *
 * One account the request may authenticate as.
 */
typedef struct {
	const gchar *username;
	const gchar *password;
} ProvHttpDigestAccount;

#define PROV_TYPE_HTTP_DIGEST (prov_http_digest_get_type())
G_DECLARE_FINAL_TYPE(ProvHttpDigest, prov_http_digest, PROV, HTTP_DIGEST, GObject)

ProvHttpDigest *
prov_http_digest_new(const gchar *realm);
const gchar *
prov_http_digest_get_realm(ProvHttpDigest *self);
gchar *
prov_http_digest_build_challenge(ProvHttpDigest *self, gboolean stale, gint64 now);
ProvHttpDigestResult
prov_http_digest_verify(ProvHttpDigest *self,
			const gchar *authorization,
			const gchar *method,
			const gchar *target,
			const ProvHttpDigestAccount *accounts,
			guint n_accounts,
			gint64 now,
			guint *account_index);
const gchar *
prov_http_digest_result_to_string(ProvHttpDigestResult result);

G_END_DECLS
