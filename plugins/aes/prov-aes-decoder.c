/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <prov-error.h>
#include <string.h>

#include "prov-aes-decoder.h"
#include "prov-aes-kdf.h"

/*
 * ProvAesDecoder: the `openssl enc -aes-256-cbc` format of reference 8.3,
 * with GnuTLS. The key derivation is the one the rule pins with `--kdf`, or
 * is detected: each candidate (MD5 and SHA-256 in the behaviour profile's
 * order, then PBKDF2 at 10 000 iterations) counts only when the PKCS#7
 * padding is valid and the plaintext starts, after an optional UTF-8 BOM
 * and whitespace, with `<`, or with the gzip magic; a wrong key passes the
 * padding check alone about once in 256 tries. A candidate is checked on
 * the last block and the first blocks only; the whole file is decrypted
 * once, with the key that passed. Detection always derives all three keys,
 * so that every failure takes as long (R34): it costs one PBKDF2 run per
 * encrypted profile, which `--kdf` saves.
 */
struct _ProvAesDecoder {
	GObject parent_instance;
};

static void
prov_aes_decoder_iface_init(ProvDecoderInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvAesDecoder,
			prov_aes_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_aes_decoder_iface_init))

/* what a profile may start with once decrypted (reference 8.3, step 2) */
typedef enum {
	PROV_AES_CONTENT_UNDECIDED,
	PROV_AES_CONTENT_PROFILE,
	PROV_AES_CONTENT_OTHER,
} ProvAesContent;

typedef struct {
	ProvRuleKdf kdf;
	guint iterations;
} ProvAesCandidate;

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gnutls_cipher_hd_t, gnutls_cipher_deinit, NULL)

static gboolean
prov_aes_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);

	return length >= PROV_AES_MAGIC_LENGTH &&
	       memcmp(bytes, PROV_AES_MAGIC, PROV_AES_MAGIC_LENGTH) == 0;
}

static gnutls_cipher_hd_t
prov_aes_cipher_new(const guint8 *key_iv, GError **error)
{
	gnutls_cipher_hd_t cipher = NULL;
	gnutls_datum_t key = {(unsigned char *)key_iv, PROV_AES_KEY_LENGTH};
	gnutls_datum_t iv = {(unsigned char *)key_iv + PROV_AES_KEY_LENGTH, PROV_AES_IV_LENGTH};
	int status;

	status = gnutls_cipher_init(&cipher, GNUTLS_CIPHER_AES_256_CBC, &key, &iv);
	if (status < 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "cannot set up AES-256-CBC: %s",
			    gnutls_strerror(status));
		return NULL;
	}
	return cipher;
}

/* CBC: block i decrypts with block i - 1 as its IV, so any block can be read alone */
static gboolean
prov_aes_decrypt_blocks(gnutls_cipher_hd_t cipher,
			const guint8 *iv,
			const guint8 *ciphertext,
			gsize offset,
			gsize length,
			guint8 *plaintext)
{
	const guint8 *block_iv = offset == 0 ? iv : ciphertext + offset - PROV_AES_BLOCK_LENGTH;

	gnutls_cipher_set_iv(cipher, (void *)block_iv, PROV_AES_BLOCK_LENGTH);
	return gnutls_cipher_decrypt2(cipher, ciphertext + offset, length, plaintext, length) >= 0;
}

/* PKCS#7: 1 to 16 bytes, each equal to their count */
static guint
prov_aes_padding_length(const guint8 *last_block)
{
	guint pad = last_block[PROV_AES_BLOCK_LENGTH - 1];
	guint8 mismatch = 0;

	if (pad == 0 || pad > PROV_AES_BLOCK_LENGTH)
		return 0;
	for (guint i = PROV_AES_BLOCK_LENGTH - pad; i < PROV_AES_BLOCK_LENGTH; i++)
		mismatch |= last_block[i] ^ (guint8)pad;
	return mismatch == 0 ? pad : 0;
}

static gboolean
prov_aes_is_space(guint8 byte)
{
	return byte == ' ' || byte == '\t' || byte == '\r' || byte == '\n';
}

/*
 * @prefix holds the first @length bytes of the plaintext, @complete when
 * that is all of it: the gzip magic, or an optional UTF-8 BOM, whitespace
 * and `<`, make a profile
 */
static ProvAesContent
prov_aes_classify(const guint8 *prefix, gsize length, gboolean complete)
{
	static const guint8 gzip_magic[] = {0x1f, 0x8b};
	static const guint8 bom[] = {0xef, 0xbb, 0xbf};
	gsize i = 0;

	if (length >= sizeof(gzip_magic) && memcmp(prefix, gzip_magic, sizeof(gzip_magic)) == 0)
		return PROV_AES_CONTENT_PROFILE;
	if (length >= sizeof(bom) && memcmp(prefix, bom, sizeof(bom)) == 0)
		i = sizeof(bom);
	else if (!complete && length < sizeof(bom))
		return PROV_AES_CONTENT_UNDECIDED;
	while (i < length && prov_aes_is_space(prefix[i]))
		i++;
	if (i < length)
		return prefix[i] == '<' ? PROV_AES_CONTENT_PROFILE : PROV_AES_CONTENT_OTHER;
	return complete ? PROV_AES_CONTENT_OTHER : PROV_AES_CONTENT_UNDECIDED;
}

/*
 * Whether @key_iv turns the ciphertext into a padded profile, reading the
 * last block, then as much of the start as the leading whitespace needs
 * (one block nearly always).
 */
static gboolean
prov_aes_candidate_fits(const guint8 *key_iv,
			const guint8 *ciphertext,
			gsize ciphertext_length,
			gsize *plaintext_length)
{
	g_auto(gnutls_cipher_hd_t) cipher = prov_aes_cipher_new(key_iv, NULL);
	const guint8 *iv = key_iv + PROV_AES_KEY_LENGTH;
	guint8 block[PROV_AES_BLOCK_LENGTH];
	g_autofree guint8 *prefix = NULL;
	gsize prefix_length = 0;
	gsize length;
	guint pad;
	ProvAesContent content = PROV_AES_CONTENT_UNDECIDED;

	if (cipher == NULL || !prov_aes_decrypt_blocks(cipher, iv, ciphertext,
						       ciphertext_length - PROV_AES_BLOCK_LENGTH,
						       PROV_AES_BLOCK_LENGTH, block))
		return FALSE;
	pad = prov_aes_padding_length(block);
	gnutls_memset(block, 0, sizeof(block));
	if (pad == 0 || pad >= ciphertext_length)
		return FALSE;
	length = ciphertext_length - pad;
	prefix = g_malloc(ciphertext_length);
	while (content == PROV_AES_CONTENT_UNDECIDED) {
		gsize wanted =
		    MIN(MAX(prefix_length * 2, PROV_AES_BLOCK_LENGTH), ciphertext_length);

		if (!prov_aes_decrypt_blocks(cipher, iv, ciphertext, prefix_length,
					     wanted - prefix_length, prefix + prefix_length))
			break;
		prefix_length = wanted;
		content =
		    prov_aes_classify(prefix, MIN(prefix_length, length), prefix_length >= length);
	}
	gnutls_memset(prefix, 0, prefix_length);
	*plaintext_length = length;
	return content == PROV_AES_CONTENT_PROFILE;
}

static GBytes *
prov_aes_decrypt_all(const guint8 *key_iv,
		     const guint8 *ciphertext,
		     gsize ciphertext_length,
		     gsize plaintext_length,
		     GError **error)
{
	g_auto(gnutls_cipher_hd_t) cipher = prov_aes_cipher_new(key_iv, error);
	g_autofree guint8 *plaintext = NULL;

	if (cipher == NULL)
		return NULL;
	plaintext = g_malloc(ciphertext_length);
	if (!prov_aes_decrypt_blocks(cipher, key_iv + PROV_AES_KEY_LENGTH, ciphertext, 0,
				     ciphertext_length, plaintext)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED, "AES decryption failed");
		return NULL;
	}
	gnutls_memset(plaintext + plaintext_length, 0, ciphertext_length - plaintext_length);
	return g_bytes_new_take(g_realloc(g_steal_pointer(&plaintext), plaintext_length),
				plaintext_length);
}

/* reference 8.3 step 2: the behaviour profile's digest first, then the other, then PBKDF2 */
static guint
prov_aes_candidates(ProvDecodeContext *ctx, ProvAesCandidate *candidates)
{
	guint iterations = 0;
	ProvRuleKdf kdf = prov_decode_context_get_kdf(ctx, &iterations);
	gboolean spa = prov_decode_context_get_behaviour(ctx) == PROV_BEHAVIOUR_SPA;

	if (kdf != PROV_RULE_KDF_AUTO) {
		candidates[0].kdf = kdf;
		candidates[0].iterations = iterations;
		return 1;
	}
	candidates[0].kdf = spa ? PROV_RULE_KDF_MD5 : PROV_RULE_KDF_SHA256;
	candidates[1].kdf = spa ? PROV_RULE_KDF_SHA256 : PROV_RULE_KDF_MD5;
	candidates[2].kdf = PROV_RULE_KDF_PBKDF2;
	candidates[0].iterations = 0;
	candidates[1].iterations = 0;
	candidates[2].iterations = PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS;
	return 3;
}

static GBytes *
prov_aes_decoder_decode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	gsize length = 0;
	const guint8 *bytes = g_bytes_get_data(data, &length);
	gsize passphrase_length = 0;
	const guint8 *passphrase = prov_decode_context_get_key(ctx, &passphrase_length);
	const guint8 *salt = bytes + PROV_AES_MAGIC_LENGTH;
	const guint8 *ciphertext = bytes + PROV_AES_HEADER_LENGTH;
	gsize ciphertext_length;
	ProvAesCandidate candidates[3];
	guint n_candidates = prov_aes_candidates(ctx, candidates);
	const ProvAesCandidate *fitting = NULL;
	guint8 fitting_key_iv[PROV_AES_KEY_IV_LENGTH];
	gsize fitting_length = 0;
	gboolean whole_blocks;

	if (!prov_aes_decoder_probe(decoder, data) || length < PROV_AES_HEADER_LENGTH) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "no openssl enc header (Salted__ and an 8-byte salt)");
		return NULL;
	}
	if (passphrase == NULL || passphrase_length == 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
				    "the data is encrypted but there is no key");
		return NULL;
	}
	ciphertext_length = length - PROV_AES_HEADER_LENGTH;
	whole_blocks = ciphertext_length > 0 && ciphertext_length % PROV_AES_BLOCK_LENGTH == 0;

	/*
	 * R34: every candidate is derived and checked, even after one fitted, so that a
	 * failure after decryption (bad gzip, bad XML) takes as long as a wrong key, and a
	 * file that is not whole blocks pays for the derivations too
	 */
	for (guint i = 0; i < n_candidates; i++) {
		guint8 key_iv[PROV_AES_KEY_IV_LENGTH];
		gsize plaintext_length = 0;

		if (!prov_aes_kdf_derive(candidates[i].kdf, candidates[i].iterations, passphrase,
					 passphrase_length, salt, key_iv, error)) {
			gnutls_memset(fitting_key_iv, 0, sizeof(fitting_key_iv));
			return NULL;
		}
		if (fitting == NULL && whole_blocks &&
		    prov_aes_candidate_fits(key_iv, ciphertext, ciphertext_length,
					    &plaintext_length)) {
			fitting = &candidates[i];
			fitting_length = plaintext_length;
			memcpy(fitting_key_iv, key_iv, sizeof(key_iv));
		}
		gnutls_memset(key_iv, 0, sizeof(key_iv));
	}
	if (fitting != NULL) {
		g_autofree gchar *name = prov_aes_kdf_describe(fitting->kdf, fitting->iterations);
		g_autoptr(GBytes) plaintext = NULL;

		if (fitting_length > prov_decode_context_get_output_max(ctx)) {
			gnutls_memset(fitting_key_iv, 0, sizeof(fitting_key_iv));
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "decoded size exceeds the limit of %" G_GSIZE_FORMAT " bytes",
				    prov_decode_context_get_output_max(ctx));
			return NULL;
		}
		plaintext = prov_aes_decrypt_all(fitting_key_iv, ciphertext, ciphertext_length,
						 fitting_length, error);
		gnutls_memset(fitting_key_iv, 0, sizeof(fitting_key_iv));
		if (plaintext != NULL)
			g_debug("decrypted with key derivation %s", name);
		return g_steal_pointer(&plaintext);
	}
	if (!whole_blocks) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "truncated ciphertext: %" G_GSIZE_FORMAT
			    " bytes is not a whole number of 16-byte blocks",
			    ciphertext_length);
		return NULL;
	}
	if (n_candidates == 1) {
		g_autofree gchar *name =
		    prov_aes_kdf_describe(candidates[0].kdf, candidates[0].iterations);

		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "wrong key or corrupt data: with key derivation %s the padding is "
			    "invalid or the plaintext is not a profile",
			    name);
		return NULL;
	}
	g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "wrong key or corrupt data: no key derivation (md5, sha256, pbkdf2 "
			    "with 10000 iterations) gives a valid padding and a profile; other "
			    "pbkdf2 iteration counts need --kdf pbkdf2:N");
	return NULL;
}

/**
 * prov_aes_decoder_encrypt:
 * @data: the plaintext
 * @passphrase: the passphrase bytes
 * @passphrase_length: bytes in @passphrase
 * @kdf: the key derivation; %PROV_RULE_KDF_AUTO means MD5, which every
 *   generation of device and `openssl enc -d -md md5` read (reference 8.3)
 * @iterations: the PBKDF2 iteration count, 0 for the default
 * @salt: (nullable): 8 salt bytes, or %NULL for random ones (tests pin it)
 * @error: return location for a #GError
 *
 * Writes what `openssl enc -aes-256-cbc -k PASSPHRASE` writes: `Salted__`,
 * the salt, and the PKCS#7-padded plaintext encrypted with AES-256-CBC.
 *
 * Returns: (transfer full): the encrypted file, or %NULL on error
 */
GBytes *
prov_aes_decoder_encrypt(GBytes *data,
			 const guint8 *passphrase,
			 gsize passphrase_length,
			 ProvRuleKdf kdf,
			 guint iterations,
			 const guint8 *salt,
			 GError **error)
{
	gsize length = 0;
	const guint8 *plaintext = g_bytes_get_data(data, &length);
	guint pad = PROV_AES_BLOCK_LENGTH - length % PROV_AES_BLOCK_LENGTH;
	gsize padded_length = length + pad;
	g_autofree guint8 *output = NULL;
	guint8 *body;
	guint8 key_iv[PROV_AES_KEY_IV_LENGTH];
	g_auto(gnutls_cipher_hd_t) cipher = NULL;
	int status;

	if (passphrase == NULL || passphrase_length == 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "encrypting needs a key");
		return NULL;
	}
	if (kdf == PROV_RULE_KDF_AUTO)
		kdf = PROV_RULE_KDF_MD5;
	output = g_malloc(PROV_AES_HEADER_LENGTH + padded_length);
	memcpy(output, PROV_AES_MAGIC, PROV_AES_MAGIC_LENGTH);
	if (salt != NULL) {
		memcpy(output + PROV_AES_MAGIC_LENGTH, salt, PROV_AES_SALT_LENGTH);
	} else {
		status = gnutls_rnd(GNUTLS_RND_RANDOM, output + PROV_AES_MAGIC_LENGTH,
				    PROV_AES_SALT_LENGTH);
		if (status < 0) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED,
				    "cannot make a random salt: %s", gnutls_strerror(status));
			return NULL;
		}
	}
	body = output + PROV_AES_HEADER_LENGTH;
	if (length > 0)
		memcpy(body, plaintext, length);
	memset(body + length, (int)pad, pad);

	if (!prov_aes_kdf_derive(kdf, iterations, passphrase, passphrase_length,
				 output + PROV_AES_MAGIC_LENGTH, key_iv, error))
		return NULL;
	cipher = prov_aes_cipher_new(key_iv, error);
	gnutls_memset(key_iv, 0, sizeof(key_iv));
	if (cipher == NULL)
		return NULL;
	status = gnutls_cipher_encrypt(cipher, body, padded_length);
	if (status < 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_FAILED, "AES encryption failed: %s",
			    gnutls_strerror(status));
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&output), PROV_AES_HEADER_LENGTH + padded_length);
}

static GBytes *
prov_aes_decoder_encode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	gsize passphrase_length = 0;
	const guint8 *passphrase = prov_decode_context_get_key(ctx, &passphrase_length);
	guint iterations = 0;
	ProvRuleKdf kdf = prov_decode_context_get_kdf(ctx, &iterations);

	return prov_aes_decoder_encrypt(data, passphrase, passphrase_length, kdf, iterations, NULL,
					error);
}

static void
prov_aes_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_aes_decoder_probe;
	iface->decode = prov_aes_decoder_decode;
	iface->encode = prov_aes_decoder_encode;
}

static void
prov_aes_decoder_class_init(ProvAesDecoderClass *klass)
{
}

static void
prov_aes_decoder_init(ProvAesDecoder *self)
{
}

ProvAesDecoder *
prov_aes_decoder_new(void)
{
	return g_object_new(PROV_TYPE_AES_DECODER, NULL);
}
