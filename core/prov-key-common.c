/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvKey"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-key.h"

/* R31: the passphrases that the manuals and the seed print, which anyone can try */
static const gchar *const prov_key_published[] = {
    "MyOwnSecret", "secret", "password", "cisco", "admin", NULL,
};

/**
 * prov_key_check_strength:
 * @key: a passphrase for encrypting profiles
 * @error: return location for a #GError
 *
 * The policy of R31 for keys that provisiond writes with: a passphrase
 * must not be empty, must have at least %PROV_KEY_MIN_LENGTH characters
 * and must not be one of the published example passphrases (compared
 * without regard to case). Decoding accepts whatever key the operator
 * configured; only `provtool encode` asks, and `--allow-weak-key` skips it.
 * The message never repeats the key.
 *
 * Returns: %TRUE when @key is acceptable, %FALSE with
 *   %PROV_ERROR_INVALID_ARGUMENT otherwise
 *
 * Since: 0.1
 */
gboolean
prov_key_check_strength(const gchar *key, GError **error)
{
	glong length;

	g_return_val_if_fail(key != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (key[0] == '\0') {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the key is empty");
		return FALSE;
	}
	for (guint i = 0; prov_key_published[i] != NULL; i++) {
		if (g_ascii_strcasecmp(key, prov_key_published[i]) == 0) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					    "the key is a published example passphrase");
			return FALSE;
		}
	}
	/* characters, not bytes: a passphrase of 4 kanji is short, however many bytes it has */
	length = g_utf8_validate(key, -1, NULL) ? g_utf8_strlen(key, -1) : (glong)strlen(key);
	if (length < PROV_KEY_MIN_LENGTH) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "the key is shorter than %d characters", PROV_KEY_MIN_LENGTH);
		return FALSE;
	}
	return TRUE;
}
