/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-rule.h>

G_BEGIN_DECLS

/* the openssl `enc` file of reference 8.3 */
#define PROV_AES_MAGIC	       "Salted__"
#define PROV_AES_MAGIC_LENGTH  8
#define PROV_AES_SALT_LENGTH   8
#define PROV_AES_HEADER_LENGTH (PROV_AES_MAGIC_LENGTH + PROV_AES_SALT_LENGTH)
#define PROV_AES_BLOCK_LENGTH  16
#define PROV_AES_KEY_LENGTH    32
#define PROV_AES_IV_LENGTH     16
#define PROV_AES_KEY_IV_LENGTH (PROV_AES_KEY_LENGTH + PROV_AES_IV_LENGTH)

gboolean
prov_aes_kdf_derive(ProvRuleKdf kdf,
		    guint iterations,
		    const guint8 *passphrase,
		    gsize passphrase_length,
		    const guint8 *salt,
		    guint8 *key_iv,
		    GError **error);
gchar *
prov_aes_kdf_describe(ProvRuleKdf kdf, guint iterations);

G_END_DECLS
