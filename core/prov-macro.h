/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-device.h"
#include "prov-params.h"

G_BEGIN_DECLS

/**
 * ProvMacroFlags:
 * @PROV_MACRO_FLAGS_NONE: `$SA`…`$SD` stay as written, as everywhere in the
 *   device except a credential argument (templates, triggers, `--post` bodies)
 * @PROV_MACRO_FLAGS_SECRETS: `$SA`…`$SD` expand everywhere; for a text that
 *   is already known to be a `--key`, `--uid` or `--pwd` argument
 * @PROV_MACRO_FLAGS_RULE: the text is a whole rule: `$SA`…`$SD` expand only
 *   inside the argument that follows `--key`, `--uid` or `--pwd` in its
 *   `[ … ]` option list (reference 3.2)
 * @PROV_MACRO_FLAGS_REDACT: wherever `$SA`…`$SD` would expand, write
 *   `********` instead of the value, for text that a person will read
 * @PROV_MACRO_FLAGS_LAST: one more than the highest flag
 *
 * How prov_macro_expand() treats the secret registers.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_MACRO_FLAGS_NONE = 0,
	PROV_MACRO_FLAGS_SECRETS = 1 << 0,
	PROV_MACRO_FLAGS_RULE = 1 << 1,
	PROV_MACRO_FLAGS_REDACT = 1 << 2,
	PROV_MACRO_FLAGS_LAST = 1 << 3
} ProvMacroFlags;

/**
 * PROV_MACRO_REDACTED:
 *
 * What %PROV_MACRO_FLAGS_REDACT writes in place of a secret.
 *
 * Since: 0.1
 */
#define PROV_MACRO_REDACTED "********"

/**
 * PROV_MACRO_DEFAULT_MAX_LENGTH:
 *
 * The default bound on the length of an expanded text (64 KiB, the default
 * largest parameter value): a rule of a few bytes such as `$A$A$A…` must not
 * grow without bound.
 *
 * Since: 0.1
 */
#define PROV_MACRO_DEFAULT_MAX_LENGTH (64 * 1024)

#define PROV_TYPE_MACRO (prov_macro_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvMacro, prov_macro, PROV, MACRO, GObject)

PROV_API ProvMacro *
prov_macro_new(void);
PROV_API gboolean
prov_macro_is_known_name(const gchar *name);
PROV_API gboolean
prov_macro_is_secret_name(const gchar *name);
PROV_API void
prov_macro_set_variable(ProvMacro *self, const gchar *name, const gchar *value);
PROV_API gchar *
prov_macro_lookup(ProvMacro *self, const gchar *name);
PROV_API void
prov_macro_set_max_length(ProvMacro *self, gsize max_length);
PROV_API gsize
prov_macro_get_max_length(ProvMacro *self);
PROV_API gchar *
prov_macro_expand_full(ProvMacro *self, const gchar *text, ProvMacroFlags flags, GError **error);
PROV_API gchar *
prov_macro_expand(ProvMacro *self, const gchar *text, ProvMacroFlags flags);
PROV_API void
prov_macro_set_params(ProvMacro *self, ProvParams *params);
PROV_API void
prov_macro_set_device(ProvMacro *self, ProvDevice *device);
PROV_API gchar *
prov_macro_expand_rule(ProvMacro *self, const gchar *text);

G_END_DECLS
