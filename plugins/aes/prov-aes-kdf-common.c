/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <prov-error.h>
#include <string.h>

#include "prov-aes-kdf.h"

/*
 * openssl's EVP_BytesToKey with one iteration (reference 8.3):
 * D_i = H(D_(i-1) || passphrase || salt), key || iv = D_1 || D_2 || ...
 */
static gboolean
prov_aes_kdf_bytes_to_key(gnutls_digest_algorithm_t algorithm,
			  const guint8 *passphrase,
			  gsize passphrase_length,
			  const guint8 *salt,
			  guint8 *key_iv,
			  GError **error)
{
	gsize digest_length = gnutls_hash_get_len(algorithm);
	gsize input_length = digest_length + passphrase_length + PROV_AES_SALT_LENGTH;
	g_autofree guint8 *input = g_malloc(input_length);
	guint8 digest[64];
	gsize produced = 0;
	gboolean ok = TRUE;

	while (produced < PROV_AES_KEY_IV_LENGTH) {
		gsize offset = 0;
		int status;

		if (produced > 0) {
			memcpy(input, digest, digest_length);
			offset = digest_length;
		}
		memcpy(input + offset, passphrase, passphrase_length);
		memcpy(input + offset + passphrase_length, salt, PROV_AES_SALT_LENGTH);
		status = gnutls_hash_fast(
		    algorithm, input, offset + passphrase_length + PROV_AES_SALT_LENGTH, digest);
		if (status < 0) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "%s digest failed: %s",
				    gnutls_digest_get_name(algorithm), gnutls_strerror(status));
			ok = FALSE;
			break;
		}
		memcpy(key_iv + produced, digest,
		       MIN(digest_length, PROV_AES_KEY_IV_LENGTH - produced));
		produced += MIN(digest_length, PROV_AES_KEY_IV_LENGTH - produced);
	}
	/* the passphrase and the key material must not stay behind in memory */
	gnutls_memset(input, 0, input_length);
	gnutls_memset(digest, 0, sizeof(digest));
	if (!ok)
		gnutls_memset(key_iv, 0, PROV_AES_KEY_IV_LENGTH);
	return ok;
}

/**
 * prov_aes_kdf_derive:
 * @kdf: the key derivation; not %PROV_RULE_KDF_AUTO
 * @iterations: the PBKDF2 iteration count (0 for the default); ignored otherwise
 * @passphrase: the passphrase bytes
 * @passphrase_length: bytes in @passphrase
 * @salt: the 8 salt bytes of the header
 * @key_iv: (out caller-allocates): 48 bytes: the AES-256 key, then the IV
 * @error: return location for a #GError
 *
 * Derives what `openssl enc -aes-256-cbc -k PASSPHRASE` does with `-md md5`,
 * `-md sha256` or `-pbkdf2 [-iter N]` (PBKDF2-HMAC-SHA256). The caller
 * wipes @key_iv after use.
 *
 * Returns: %TRUE on success
 */
gboolean
prov_aes_kdf_derive(ProvRuleKdf kdf,
		    guint iterations,
		    const guint8 *passphrase,
		    gsize passphrase_length,
		    const guint8 *salt,
		    guint8 *key_iv,
		    GError **error)
{
	gnutls_datum_t key = {(unsigned char *)passphrase, (unsigned int)passphrase_length};
	gnutls_datum_t salt_datum = {(unsigned char *)salt, PROV_AES_SALT_LENGTH};
	int status;

	switch (kdf) {
	case PROV_RULE_KDF_MD5:
		return prov_aes_kdf_bytes_to_key(GNUTLS_DIG_MD5, passphrase, passphrase_length,
						 salt, key_iv, error);
	case PROV_RULE_KDF_SHA256:
		return prov_aes_kdf_bytes_to_key(GNUTLS_DIG_SHA256, passphrase, passphrase_length,
						 salt, key_iv, error);
	case PROV_RULE_KDF_PBKDF2:
		if (iterations == 0)
			iterations = PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS;
		/* a rule cannot ask for more (prov-rule.h); neither can a caller of this */
		if (iterations > PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "pbkdf2 iteration count %u is over the limit of %u", iterations,
				    (guint)PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS);
			return FALSE;
		}
		status = gnutls_pbkdf2(GNUTLS_MAC_SHA256, &key, &salt_datum, iterations, key_iv,
				       PROV_AES_KEY_IV_LENGTH);
		if (status < 0) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "pbkdf2 failed: %s",
				    gnutls_strerror(status));
			return FALSE;
		}
		return TRUE;
	case PROV_RULE_KDF_AUTO:
	case PROV_RULE_KDF_LAST:
	default:
		break;
	}
	g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
		    "no key derivation %d to derive a key with", (gint)kdf);
	return FALSE;
}

/**
 * prov_aes_kdf_describe:
 * @kdf: a key derivation
 * @iterations: the PBKDF2 iteration count, 0 for the default
 *
 * Returns: (transfer full): the derivation as `--kdf` writes it
 */
gchar *
prov_aes_kdf_describe(ProvRuleKdf kdf, guint iterations)
{
	if (kdf == PROV_RULE_KDF_PBKDF2)
		return g_strdup_printf("pbkdf2:%u", iterations != 0
							? iterations
							: PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS);
	return g_strdup(prov_rule_kdf_to_string(kdf));
}
