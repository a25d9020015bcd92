/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-condition.h"

G_BEGIN_DECLS

/**
 * ProvRuleKdf:
 * @PROV_RULE_KDF_AUTO: no `--kdf`: the decoder detects the derivation (reference 8.3)
 * @PROV_RULE_KDF_MD5: `--kdf md5`, openssl `EVP_BytesToKey` with MD5
 * @PROV_RULE_KDF_SHA256: `--kdf sha256`, `EVP_BytesToKey` with SHA-256
 * @PROV_RULE_KDF_PBKDF2: `--kdf pbkdf2[:ITER]`, PBKDF2-HMAC-SHA256
 * @PROV_RULE_KDF_LAST: the number of values
 *
 * The AES key derivation that a rule pins with `--kdf`.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_RULE_KDF_AUTO,
	PROV_RULE_KDF_MD5,
	PROV_RULE_KDF_SHA256,
	PROV_RULE_KDF_PBKDF2,
	PROV_RULE_KDF_LAST
} ProvRuleKdf;

/**
 * PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS:
 *
 * The iteration count of `--kdf pbkdf2` without `:ITER`, openssl's default.
 *
 * Since: 0.1
 */
#define PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS 10000

/**
 * PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS:
 *
 * The largest iteration count a rule may ask for; more would let a rule
 * keep the engine busy for minutes on one profile.
 *
 * Since: 0.1
 */
#define PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS 10000000

/**
 * ProvRuleAlternative:
 *
 * One `|`-separated alternative of a rule: an optional condition, an
 * optional assignment list, options and an optional URL. It belongs to its
 * #ProvRule and lives as long as the rule.
 *
 * Since: 0.1
 */
typedef struct _ProvRuleAlternative ProvRuleAlternative;

#define PROV_TYPE_RULE (prov_rule_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvRule, prov_rule, PROV, RULE, GObject)

PROV_API const gchar *
prov_rule_kdf_to_string(ProvRuleKdf kdf);
PROV_API gboolean
prov_rule_kdf_from_string(const gchar *text, ProvRuleKdf *kdf, guint *iterations, GError **error);

PROV_API ProvRule *
prov_rule_new_from_string(const gchar *text, GError **error);
PROV_API gboolean
prov_rule_is_empty(ProvRule *self);
PROV_API gboolean
prov_rule_is_commented(ProvRule *self);
PROV_API guint
prov_rule_get_n_alternatives(ProvRule *self);
PROV_API const ProvRuleAlternative *
prov_rule_get_alternative(ProvRule *self, guint index);
PROV_API const ProvRuleAlternative *
prov_rule_select(ProvRule *self, const gchar *swver);
PROV_API gchar *
prov_rule_to_string(ProvRule *self);

PROV_API guint
prov_rule_alternative_get_index(const ProvRuleAlternative *alternative);
PROV_API ProvCondition *
prov_rule_alternative_get_condition(const ProvRuleAlternative *alternative);
PROV_API guint
prov_rule_alternative_get_n_assignments(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_assignment_name(const ProvRuleAlternative *alternative, guint index);
PROV_API const gchar *
prov_rule_alternative_get_assignment_value(const ProvRuleAlternative *alternative, guint index);
PROV_API const gchar *
prov_rule_alternative_get_key(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_uid(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_pwd(const ProvRuleAlternative *alternative);
PROV_API gchar
prov_rule_alternative_get_post(const ProvRuleAlternative *alternative);
PROV_API gchar
prov_rule_alternative_get_alias(const ProvRuleAlternative *alternative);
PROV_API gboolean
prov_rule_alternative_get_delta(const ProvRuleAlternative *alternative);
PROV_API gboolean
prov_rule_alternative_get_status(const ProvRuleAlternative *alternative);
PROV_API ProvRuleKdf
prov_rule_alternative_get_kdf(const ProvRuleAlternative *alternative, guint *iterations);
PROV_API const gchar *const *
prov_rule_alternative_get_unknown_options(const ProvRuleAlternative *alternative);
PROV_API gboolean
prov_rule_alternative_has_url(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_url(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_scheme(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_host(const ProvRuleAlternative *alternative);
PROV_API guint16
prov_rule_alternative_get_port(const ProvRuleAlternative *alternative);
PROV_API gboolean
prov_rule_alternative_has_explicit_port(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_path(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_query(const ProvRuleAlternative *alternative);
PROV_API const gchar *
prov_rule_alternative_get_path_and_query(const ProvRuleAlternative *alternative);
PROV_API gchar *
prov_rule_alternative_build_url(const ProvRuleAlternative *alternative, const gchar *default_host);
PROV_API gchar *
prov_rule_alternative_to_string(const ProvRuleAlternative *alternative);

G_END_DECLS
