/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvResyncResult"

#include "config.h"

#include "prov-resync-result-private.h"

/**
 * ProvResyncResult:
 *
 * The outcome of one resync: its number, cause (`$PRVST`), status and
 * `$ERR`, when it ran, and one #ProvRuleResult per rule that ran, in order.
 * The engine fills it in while the resync runs; once
 * #ProvEngine::resync-finished is emitted it no longer changes.
 *
 * Since: 0.1
 */
struct _ProvResyncResult {
	GObject parent_instance;
	guint64 id;
	gint prvst;
	gchar *rule;
	ProvResyncStatus status;
	gchar *error;
	gchar *message;
	gint64 start_time;
	guint64 duration;
	GPtrArray *rules;
	GPtrArray *restart_required;
};

G_DEFINE_FINAL_TYPE(ProvResyncResult, prov_resync_result, G_TYPE_OBJECT)

static const gchar *const prov_resync_status_names[] = {
    [PROV_RESYNC_STATUS_SUCCESS] = "success",
    [PROV_RESYNC_STATUS_FAILED] = "failed",
    [PROV_RESYNC_STATUS_SKIPPED] = "skipped",
    [PROV_RESYNC_STATUS_CANCELLED] = "cancelled",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_resync_status_names) == PROV_RESYNC_STATUS_LAST);

/**
 * prov_resync_status_to_string:
 * @status: a #ProvResyncStatus
 *
 * Returns: its name on D-Bus: `success`, `failed`, `skipped` or `cancelled`
 *
 * Since: 0.1
 */
const gchar *
prov_resync_status_to_string(ProvResyncStatus status)
{
	g_return_val_if_fail((guint)status < PROV_RESYNC_STATUS_LAST, NULL);
	return prov_resync_status_names[status];
}

/**
 * prov_resync_status_from_string:
 * @text: a name that prov_resync_status_to_string() returns
 * @status: (out): the status
 *
 * Returns: %FALSE for an unknown name
 *
 * Since: 0.1
 */
gboolean
prov_resync_status_from_string(const gchar *text, ProvResyncStatus *status)
{
	g_return_val_if_fail(status != NULL, FALSE);

	for (guint i = 0; i < PROV_RESYNC_STATUS_LAST; i++) {
		if (g_strcmp0(text, prov_resync_status_names[i]) == 0) {
			*status = (ProvResyncStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * prov_resync_result_get_id:
 * @self: a #ProvResyncResult
 *
 * Returns: the number of the resync, from 1 on
 *
 * Since: 0.1
 */
guint64
prov_resync_result_get_id(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), 0);
	return self->id;
}

/**
 * prov_resync_result_get_prvst:
 * @self: a #ProvResyncResult
 *
 * Returns: the cause (reference 5.1): 0 boot, 1 periodic, 2 error retry,
 *   -1 explicit request
 *
 * Since: 0.1
 */
gint
prov_resync_result_get_prvst(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), 0);
	return self->prvst;
}

/**
 * prov_resync_result_is_one_shot:
 * @self: a #ProvResyncResult
 *
 * Returns: whether a one-shot rule replaced the stored rules
 *
 * Since: 0.1
 */
gboolean
prov_resync_result_is_one_shot(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), FALSE);
	return self->rule != NULL;
}

/**
 * prov_resync_result_get_rule:
 * @self: a #ProvResyncResult
 *
 * Returns: the one-shot rule with its credentials masked, or the empty
 *   string for the stored rules
 *
 * Since: 0.1
 */
const gchar *
prov_resync_result_get_rule(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);
	return self->rule != NULL ? self->rule : "";
}

/**
 * prov_resync_result_get_status:
 * @self: a #ProvResyncResult
 *
 * Returns: the outcome
 *
 * Since: 0.1
 */
ProvResyncStatus
prov_resync_result_get_status(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), PROV_RESYNC_STATUS_FAILED);
	return self->status;
}

/**
 * prov_resync_result_get_error:
 * @self: a #ProvResyncResult
 *
 * Returns: the `$ERR` text of the failing rule (reference 5.5); empty on
 *   success
 *
 * Since: 0.1
 */
const gchar *
prov_resync_result_get_error(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);
	return self->error != NULL ? self->error : "";
}

/**
 * prov_resync_result_get_message:
 * @self: a #ProvResyncResult
 *
 * Returns: the detail: why it failed or was skipped, credentials removed
 *
 * Since: 0.1
 */
const gchar *
prov_resync_result_get_message(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);
	return self->message != NULL ? self->message : "";
}

/**
 * prov_resync_result_get_start_time:
 * @self: a #ProvResyncResult
 *
 * Returns: the wall time the resync started, in microseconds since 1970
 *
 * Since: 0.1
 */
gint64
prov_resync_result_get_start_time(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), 0);
	return self->start_time;
}

/**
 * prov_resync_result_get_duration:
 * @self: a #ProvResyncResult
 *
 * Returns: how long it ran, in microseconds of the monotonic clock
 *
 * Since: 0.1
 */
guint64
prov_resync_result_get_duration(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), 0);
	return self->duration;
}

/**
 * prov_resync_result_get_end_time:
 * @self: a #ProvResyncResult
 *
 * Returns: the wall time it ended, in microseconds since 1970
 *
 * Since: 0.1
 */
gint64
prov_resync_result_get_end_time(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), 0);
	return self->start_time + (gint64)self->duration;
}

/**
 * prov_resync_result_get_rules:
 * @self: a #ProvResyncResult
 *
 * Returns: (transfer none) (element-type ProvRuleResult): the rules that
 *   ran, in order; the rules after a failure are not in it
 *
 * Since: 0.1
 */
GPtrArray *
prov_resync_result_get_rules(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);
	return self->rules;
}

/**
 * prov_resync_result_lookup_rule:
 * @self: a #ProvResyncResult
 * @name: `Profile_Rule`, `Profile_Rule_B`, … or %PROV_RULE_RESULT_ONE_SHOT
 *
 * Returns: (transfer none) (nullable): the result of that rule, %NULL when
 *   it did not run
 *
 * Since: 0.1
 */
ProvRuleResult *
prov_resync_result_lookup_rule(ProvResyncResult *self, const gchar *name)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);

	for (guint i = 0; i < self->rules->len; i++) {
		ProvRuleResult *rule = g_ptr_array_index(self->rules, i);

		if (g_strcmp0(prov_rule_result_get_name(rule), name) == 0)
			return rule;
	}
	return NULL;
}

/**
 * prov_resync_result_get_restart_required:
 * @self: a #ProvResyncResult
 *
 * Returns: (transfer none): the changed parameters that take effect only
 *   after a restart, once each
 *
 * Since: 0.1
 */
const gchar *const *
prov_resync_result_get_restart_required(ProvResyncResult *self)
{
	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);
	return (const gchar *const *)self->restart_required->pdata;
}

/**
 * prov_resync_result_to_variant:
 * @self: a #ProvResyncResult
 *
 * The D-Bus `LastResult` property and `ResyncFinished` record, with exactly
 * the keys the interface documents.
 *
 * Returns: (transfer floating): an `a{sv}` dictionary
 *
 * Since: 0.1
 */
GVariant *
prov_resync_result_to_variant(ProvResyncResult *self)
{
	GVariantBuilder builder;
	GVariantBuilder rules;

	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);

	g_variant_builder_init(&rules, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < self->rules->len; i++)
		g_variant_builder_add_value(
		    &rules, prov_rule_result_to_variant(g_ptr_array_index(self->rules, i)));

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "id", g_variant_new_uint64(self->id));
	g_variant_builder_add(&builder, "{sv}", "cause", g_variant_new_int32(self->prvst));
	g_variant_builder_add(&builder, "{sv}", "one-shot",
			      g_variant_new_boolean(self->rule != NULL));
	g_variant_builder_add(&builder, "{sv}", "status",
			      g_variant_new_string(prov_resync_status_to_string(self->status)));
	g_variant_builder_add(&builder, "{sv}", "error",
			      g_variant_new_string(prov_resync_result_get_error(self)));
	g_variant_builder_add(&builder, "{sv}", "message",
			      g_variant_new_string(prov_resync_result_get_message(self)));
	g_variant_builder_add(&builder, "{sv}", "start-time",
			      g_variant_new_int64(self->start_time));
	g_variant_builder_add(&builder, "{sv}", "duration", g_variant_new_uint64(self->duration));
	g_variant_builder_add(&builder, "{sv}", "rules", g_variant_builder_end(&rules));
	return g_variant_builder_end(&builder);
}

/**
 * prov_resync_result_to_history_variant:
 * @self: a #ProvResyncResult
 *
 * One entry of the "history" of the D-Bus `ProvisioningState` property,
 * the "Provisioning Status" lines of reference 5.5.
 *
 * Returns: (transfer floating): an `a{sv}` with "time" (x: Unix seconds of
 *   the end), "status" (s) and "reason" (s: `$ERR`, or why it was skipped)
 *
 * Since: 0.1
 */
GVariant *
prov_resync_result_to_history_variant(ProvResyncResult *self)
{
	GVariantBuilder builder;
	const gchar *reason;

	g_return_val_if_fail(PROV_IS_RESYNC_RESULT(self), NULL);

	reason = self->error != NULL && self->error[0] != '\0'
		     ? self->error
		     : prov_resync_result_get_message(self);
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(
	    &builder, "{sv}", "time",
	    g_variant_new_int64(prov_resync_result_get_end_time(self) / G_USEC_PER_SEC));
	g_variant_builder_add(&builder, "{sv}", "status",
			      g_variant_new_string(prov_resync_status_to_string(self->status)));
	g_variant_builder_add(&builder, "{sv}", "reason", g_variant_new_string(reason));
	return g_variant_builder_end(&builder);
}

void
prov_resync_result_set_status(ProvResyncResult *self,
			      ProvResyncStatus status,
			      const gchar *error_kind,
			      const gchar *message)
{
	g_return_if_fail(PROV_IS_RESYNC_RESULT(self));
	g_return_if_fail((guint)status < PROV_RESYNC_STATUS_LAST);
	self->status = status;
	g_free(self->error);
	self->error = g_strdup(error_kind);
	g_free(self->message);
	self->message = g_strdup(message);
}

void
prov_resync_result_set_times(ProvResyncResult *self, gint64 start_time, guint64 duration)
{
	g_return_if_fail(PROV_IS_RESYNC_RESULT(self));
	self->start_time = start_time;
	self->duration = duration;
}

void
prov_resync_result_add_rule(ProvResyncResult *self, ProvRuleResult *rule)
{
	g_return_if_fail(PROV_IS_RESYNC_RESULT(self));
	g_return_if_fail(PROV_IS_RULE_RESULT(rule));
	g_ptr_array_add(self->rules, g_object_ref(rule));
}

/* a name changed by two profiles of one resync is listed once */
void
prov_resync_result_add_restart_required(ProvResyncResult *self, const gchar *const *names)
{
	g_return_if_fail(PROV_IS_RESYNC_RESULT(self));

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		if (g_strv_contains((const gchar *const *)self->restart_required->pdata, names[i]))
			continue;
		g_ptr_array_insert(self->restart_required, (gint)self->restart_required->len - 1,
				   g_strdup(names[i]));
	}
}

static void
prov_resync_result_finalize(GObject *object)
{
	ProvResyncResult *self = PROV_RESYNC_RESULT(object);

	g_free(self->rule);
	g_free(self->error);
	g_free(self->message);
	g_ptr_array_unref(self->rules);
	g_ptr_array_unref(self->restart_required);
	G_OBJECT_CLASS(prov_resync_result_parent_class)->finalize(object);
}

static void
prov_resync_result_class_init(ProvResyncResultClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_resync_result_finalize;
}

static void
prov_resync_result_init(ProvResyncResult *self)
{
	self->status = PROV_RESYNC_STATUS_SUCCESS;
	self->rules = g_ptr_array_new_with_free_func(g_object_unref);
	/* kept NULL-terminated, so that it reads as a string vector */
	self->restart_required = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(self->restart_required, NULL);
}

/**
 * prov_resync_result_new:
 * @id: the number of the resync
 * @prvst: its cause
 * @one_shot_rule: (nullable): the one-shot rule, credentials already
 *   masked, or %NULL for the stored rules
 *
 * Returns: (transfer full): a result that the engine fills in
 *
 * Since: 0.1
 */
ProvResyncResult *
prov_resync_result_new(guint64 id, gint prvst, const gchar *one_shot_rule)
{
	ProvResyncResult *self = g_object_new(PROV_TYPE_RESYNC_RESULT, NULL);

	self->id = id;
	self->prvst = prvst;
	self->rule = g_strdup(one_shot_rule);
	return self;
}
