/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-sip-message.h"

G_BEGIN_DECLS

/*
 * HTTP digest authentication as SIP uses it (RFC 3261 22.4, RFC 2617 with
 * qop=auth, MD5), and the nonces the trigger hands out (R20): random from
 * the kernel's CSPRNG, bound to the source host and realm they were issued
 * for, used at most once, expiring, in a bounded table.
 */

/* reference 7.3 PROPOSED: nonce lifetime 60 s */
#define PROV_SIP_NONCE_LIFETIME (60 * G_USEC_PER_SEC)
#define PROV_SIP_NONCES_MAX	1024
/* one source cannot push the other sources' nonces out of the table */
#define PROV_SIP_NONCES_PER_SOURCE_MAX 16
/* 128 bits from the CSPRNG, hex-encoded */
#define PROV_SIP_NONCE_BYTES 16

gboolean
prov_sip_random_bytes(guint8 *buffer, gsize len);
gchar *
prov_sip_random_hex(gsize n_bytes);

gboolean
prov_sip_authorization_validate(const ProvSipAuthorization *authorization, GError **error);
gchar *
prov_sip_digest_compute(const gchar *username,
			const gchar *realm,
			const gchar *password,
			const gchar *method,
			const gchar *uri,
			const gchar *nonce,
			const gchar *nc,
			const gchar *cnonce,
			const gchar *qop);
gboolean
prov_sip_digest_equal(const gchar *expected, const gchar *given);

typedef struct _ProvSipNonces ProvSipNonces;

ProvSipNonces *
prov_sip_nonces_new(gint64 lifetime);
void
prov_sip_nonces_free(ProvSipNonces *self);
gchar *
prov_sip_nonces_issue(
    ProvSipNonces *self, const gchar *source, const gchar *realm, guint failures, gint64 now);
gboolean
prov_sip_nonces_take(ProvSipNonces *self,
		     const gchar *nonce,
		     const gchar *source,
		     const gchar *realm,
		     gint64 now,
		     guint *failures);
guint
prov_sip_nonces_get_size(ProvSipNonces *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSipNonces, prov_sip_nonces_free)

G_END_DECLS
