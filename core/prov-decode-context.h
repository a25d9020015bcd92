/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-enums.h"
#include "prov-limits.h"
#include "prov-rule.h"

G_BEGIN_DECLS

#define PROV_TYPE_DECODE_CONTEXT (prov_decode_context_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDecodeContext, prov_decode_context, PROV, DECODE_CONTEXT, GObject)

PROV_API ProvDecodeContext *
prov_decode_context_new(void);

PROV_API void
prov_decode_context_set_key(ProvDecodeContext *self, const gchar *key, gssize length);
PROV_API const guint8 *
prov_decode_context_get_key(ProvDecodeContext *self, gsize *length);
PROV_API gboolean
prov_decode_context_has_key(ProvDecodeContext *self);

PROV_API void
prov_decode_context_set_kdf(ProvDecodeContext *self, ProvRuleKdf kdf, guint iterations);
PROV_API ProvRuleKdf
prov_decode_context_get_kdf(ProvDecodeContext *self, guint *iterations);

PROV_API void
prov_decode_context_set_behaviour(ProvDecodeContext *self, ProvBehaviour behaviour);
PROV_API ProvBehaviour
prov_decode_context_get_behaviour(ProvDecodeContext *self);

PROV_API void
prov_decode_context_set_limits(ProvDecodeContext *self, const ProvLimits *limits);
PROV_API gsize
prov_decode_context_get_stage_max(ProvDecodeContext *self);
PROV_API gsize
prov_decode_context_get_total_max(ProvDecodeContext *self);
PROV_API gsize
prov_decode_context_get_output_max(ProvDecodeContext *self);

PROV_API const gchar *const *
prov_decode_context_get_formats(ProvDecodeContext *self);

G_END_DECLS
