/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-rule-result.h"

G_BEGIN_DECLS

/**
 * ProvResyncStatus:
 * @PROV_RESYNC_STATUS_SUCCESS: every rule succeeded (or was empty)
 * @PROV_RESYNC_STATUS_FAILED: a rule failed and stopped the resync
 * @PROV_RESYNC_STATUS_SKIPPED: nothing ran: `Provision_Enable` is No, or in
 *   mpp gate mode no trigger holds (reference 4.6)
 * @PROV_RESYNC_STATUS_CANCELLED: the engine stopped while the resync ran;
 *   profiles committed before that stay applied
 * @PROV_RESYNC_STATUS_LAST: the number of values
 *
 * The outcome of a whole resync, as the "status" key of `LastResult` spells it.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_RESYNC_STATUS_SUCCESS,
	PROV_RESYNC_STATUS_FAILED,
	PROV_RESYNC_STATUS_SKIPPED,
	PROV_RESYNC_STATUS_CANCELLED,
	PROV_RESYNC_STATUS_LAST
} ProvResyncStatus;

#define PROV_TYPE_RESYNC_RESULT (prov_resync_result_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvResyncResult, prov_resync_result, PROV, RESYNC_RESULT, GObject)

PROV_API const gchar *
prov_resync_status_to_string(ProvResyncStatus status);
PROV_API gboolean
prov_resync_status_from_string(const gchar *text, ProvResyncStatus *status);

PROV_API ProvResyncResult *
prov_resync_result_new(guint64 id, gint prvst, const gchar *one_shot_rule);

PROV_API guint64
prov_resync_result_get_id(ProvResyncResult *self);
PROV_API gint
prov_resync_result_get_prvst(ProvResyncResult *self);
PROV_API gboolean
prov_resync_result_is_one_shot(ProvResyncResult *self);
PROV_API const gchar *
prov_resync_result_get_rule(ProvResyncResult *self);
PROV_API ProvResyncStatus
prov_resync_result_get_status(ProvResyncResult *self);
PROV_API const gchar *
prov_resync_result_get_error(ProvResyncResult *self);
PROV_API const gchar *
prov_resync_result_get_message(ProvResyncResult *self);
PROV_API gint64
prov_resync_result_get_start_time(ProvResyncResult *self);
PROV_API guint64
prov_resync_result_get_duration(ProvResyncResult *self);
PROV_API gint64
prov_resync_result_get_end_time(ProvResyncResult *self);
PROV_API GPtrArray *
prov_resync_result_get_rules(ProvResyncResult *self);
PROV_API ProvRuleResult *
prov_resync_result_lookup_rule(ProvResyncResult *self, const gchar *name);
PROV_API const gchar *const *
prov_resync_result_get_restart_required(ProvResyncResult *self);

PROV_API GVariant *
prov_resync_result_to_variant(ProvResyncResult *self);
PROV_API GVariant *
prov_resync_result_to_history_variant(ProvResyncResult *self);

G_END_DECLS
