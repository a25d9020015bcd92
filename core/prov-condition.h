/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvCondition:
 *
 * A parsed conditional expression of reference 4.4: comparisons joined by
 * `and`, as found inside `( … )?` in a rule and as the whole value of
 * `Resync_Trigger_1`/`_2` (4.6). Conditions are parsed after macro
 * expansion, so their operands are literals; the legacy form without a left
 * operand (`! 1.0.33`) compares the software version passed to
 * prov_condition_evaluate().
 *
 * A condition is an immutable, reference-counted value rather than a
 * GObject: the engine builds one per rule alternative and per trigger check
 * (every few seconds, from freshly expanded text), and nothing observes it.
 *
 * Since: 0.1
 */
typedef struct _ProvCondition ProvCondition;

#define PROV_TYPE_CONDITION (prov_condition_get_type())

PROV_API GType
prov_condition_get_type(void);
PROV_API ProvCondition *
prov_condition_new_from_string(const gchar *text, GError **error);
PROV_API gboolean
prov_condition_parse_trigger(const gchar *text, ProvCondition **condition, GError **error);
PROV_API ProvCondition *
prov_condition_ref(ProvCondition *self);
PROV_API void
prov_condition_unref(ProvCondition *self);
PROV_API guint
prov_condition_get_n_comparisons(ProvCondition *self);
PROV_API gboolean
prov_condition_evaluate_full(ProvCondition *self,
			     const gchar *swver,
			     gboolean *result,
			     GError **error);
PROV_API gboolean
prov_condition_evaluate(ProvCondition *self, const gchar *swver);
PROV_API gchar *
prov_condition_to_string(ProvCondition *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvCondition, prov_condition_unref)

G_END_DECLS
