/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvRuleResult"

#include "config.h"

#include "prov-rule-result-private.h"

/**
 * ProvRuleResult:
 *
 * The outcome of one rule of a resync (`Profile_Rule`, `Profile_Rule_B`, …
 * or a one-shot rule): where it fetched from, what the decode pipeline did,
 * what the profile changed, why it failed and how long each phase took. The
 * engine fills it in while the rule runs; once #ProvEngine::rule-finished
 * is emitted it no longer changes. Nothing in it is secret: URLs are
 * redacted, messages never quote values.
 *
 * Since: 0.1
 */
struct _ProvRuleResult {
	GObject parent_instance;
	gchar *name;
	gchar *url;
	gchar *final_url;
	gchar *transport;
	ProvRuleResultStatus status;
	guint64 bytes;
	guint64 decoded_bytes;
	GStrv decoders;
	guint n_applied;
	guint n_unchanged;
	guint n_skipped;
	GStrv changed;
	gchar *error;
	gint error_code;
	gchar *message;
	guint line;
	guint column;
	guint64 timings[PROV_RULE_RESULT_TIMING_LAST];
};

G_DEFINE_FINAL_TYPE(ProvRuleResult, prov_rule_result, G_TYPE_OBJECT)

static const gchar *const prov_rule_result_status_names[] = {
    [PROV_RULE_RESULT_STATUS_SUCCESS] = "success",
    [PROV_RULE_RESULT_STATUS_UNCHANGED] = "unchanged",
    [PROV_RULE_RESULT_STATUS_NOT_FOUND] = "not-found",
    [PROV_RULE_RESULT_STATUS_FAILED] = "failed",
    [PROV_RULE_RESULT_STATUS_EMPTY] = "empty",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_rule_result_status_names) == PROV_RULE_RESULT_STATUS_LAST);

/* the D-Bus keys of the timings, in the order of ProvRuleResultTiming */
static const gchar *const prov_rule_result_timing_keys[] = {
    "fetch-time", "decode-time", "parse-time", "apply-time", "duration",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_rule_result_timing_keys) == PROV_RULE_RESULT_TIMING_LAST);

static const gchar *const prov_rule_result_empty_strv[] = {NULL};

/**
 * prov_rule_result_status_to_string:
 * @status: a #ProvRuleResultStatus
 *
 * Returns: its name on D-Bus: `success`, `unchanged`, `not-found`, `failed`
 *   or `empty`
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_status_to_string(ProvRuleResultStatus status)
{
	g_return_val_if_fail((guint)status < PROV_RULE_RESULT_STATUS_LAST, NULL);
	return prov_rule_result_status_names[status];
}

/**
 * prov_rule_result_status_from_string:
 * @text: a name that prov_rule_result_status_to_string() returns
 * @status: (out): the status
 *
 * Returns: %FALSE for an unknown name
 *
 * Since: 0.1
 */
gboolean
prov_rule_result_status_from_string(const gchar *text, ProvRuleResultStatus *status)
{
	g_return_val_if_fail(status != NULL, FALSE);

	for (guint i = 0; i < PROV_RULE_RESULT_STATUS_LAST; i++) {
		if (g_strcmp0(text, prov_rule_result_status_names[i]) == 0) {
			*status = (ProvRuleResultStatus)i;
			return TRUE;
		}
	}
	return FALSE;
}

/**
 * prov_rule_result_get_name:
 * @self: a #ProvRuleResult
 *
 * Returns: `Profile_Rule`, `Profile_Rule_B`, … or %PROV_RULE_RESULT_ONE_SHOT
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_name(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	return self->name;
}

/**
 * prov_rule_result_get_url:
 * @self: a #ProvRuleResult
 *
 * Returns: the URL the rule resolved to, credentials removed; empty when
 *   the rule fetched nothing
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_url(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	return self->url != NULL ? self->url : "";
}

/**
 * prov_rule_result_get_final_url:
 * @self: a #ProvRuleResult
 *
 * Returns: the URL the profile came from after redirects (R37),
 *   credentials removed; the URL itself when the transport does not say
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_final_url(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	if (self->final_url != NULL)
		return self->final_url;
	return prov_rule_result_get_url(self);
}

/**
 * prov_rule_result_get_transport:
 * @self: a #ProvRuleResult
 *
 * Returns: the URL scheme whose transport fetched, or the empty string
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_transport(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	return self->transport != NULL ? self->transport : "";
}

/**
 * prov_rule_result_get_status:
 * @self: a #ProvRuleResult
 *
 * Returns: the outcome of the rule
 *
 * Since: 0.1
 */
ProvRuleResultStatus
prov_rule_result_get_status(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), PROV_RULE_RESULT_STATUS_FAILED);
	return self->status;
}

/**
 * prov_rule_result_is_failed:
 * @self: a #ProvRuleResult
 *
 * Returns: whether the rule failed and so ended its resync
 *
 * Since: 0.1
 */
gboolean
prov_rule_result_is_failed(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), TRUE);
	return self->status == PROV_RULE_RESULT_STATUS_FAILED;
}

/**
 * prov_rule_result_get_bytes:
 * @self: a #ProvRuleResult
 *
 * Returns: the size of the profile as fetched
 *
 * Since: 0.1
 */
guint64
prov_rule_result_get_bytes(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->bytes;
}

/**
 * prov_rule_result_get_decoded_bytes:
 * @self: a #ProvRuleResult
 *
 * Returns: the size of the profile after decryption and decompression
 *
 * Since: 0.1
 */
guint64
prov_rule_result_get_decoded_bytes(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->decoded_bytes;
}

/**
 * prov_rule_result_get_decoders:
 * @self: a #ProvRuleResult
 *
 * Returns: (transfer none): the formats decoded, in the order applied
 *   (`aes`, then `gzip`)
 *
 * Since: 0.1
 */
const gchar *const *
prov_rule_result_get_decoders(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), prov_rule_result_empty_strv);
	return self->decoders != NULL ? (const gchar *const *)self->decoders
				      : prov_rule_result_empty_strv;
}

/**
 * prov_rule_result_get_n_applied:
 * @self: a #ProvRuleResult
 *
 * Returns: how many parameters the profile changed
 *
 * Since: 0.1
 */
guint
prov_rule_result_get_n_applied(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->n_applied;
}

/**
 * prov_rule_result_get_n_unchanged:
 * @self: a #ProvRuleResult
 *
 * Returns: how many parameters the profile set to the value they had
 *
 * Since: 0.1
 */
guint
prov_rule_result_get_n_unchanged(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->n_unchanged;
}

/**
 * prov_rule_result_get_n_skipped:
 * @self: a #ProvRuleResult
 *
 * Returns: how many assignments named a parameter the schema does not know
 *
 * Since: 0.1
 */
guint
prov_rule_result_get_n_skipped(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->n_skipped;
}

/**
 * prov_rule_result_get_changed:
 * @self: a #ProvRuleResult
 *
 * Returns: (transfer none): the names the profile changed, once each
 *
 * Since: 0.1
 */
const gchar *const *
prov_rule_result_get_changed(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), prov_rule_result_empty_strv);
	return self->changed != NULL ? (const gchar *const *)self->changed
				     : prov_rule_result_empty_strv;
}

/**
 * prov_rule_result_get_error:
 * @self: a #ProvRuleResult
 *
 * Returns: the `$ERR` text of reference 5.5 (`file not found`, `corrupt
 *   file`, `tftp_get failed`, …); empty when the rule did not fail. A
 *   forgiven file-not-found keeps `file not found` here.
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_error(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	return self->error != NULL ? self->error : "";
}

/**
 * prov_rule_result_get_error_code:
 * @self: a #ProvRuleResult
 *
 * Returns: the #ProvError code of the failure, or -1 when there is none
 *
 * Since: 0.1
 */
gint
prov_rule_result_get_error_code(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), -1);
	return self->error_code;
}

/**
 * prov_rule_result_get_message:
 * @self: a #ProvRuleResult
 *
 * Returns: the detail of a failure, for the device's own log and D-Bus
 *   (never for syslog, R34); empty when there is none
 *
 * Since: 0.1
 */
const gchar *
prov_rule_result_get_message(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);
	return self->message != NULL ? self->message : "";
}

/**
 * prov_rule_result_get_line:
 * @self: a #ProvRuleResult
 *
 * Returns: the line of a profile error, 0 when the failure has no position
 *
 * Since: 0.1
 */
guint
prov_rule_result_get_line(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->line;
}

/**
 * prov_rule_result_get_column:
 * @self: a #ProvRuleResult
 *
 * Returns: the column of a profile error, 0 when the failure has no position
 *
 * Since: 0.1
 */
guint
prov_rule_result_get_column(ProvRuleResult *self)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	return self->column;
}

/**
 * prov_rule_result_get_timing:
 * @self: a #ProvRuleResult
 * @timing: which phase
 *
 * Returns: how long the phase took, in microseconds of the monotonic clock
 *
 * Since: 0.1
 */
guint64
prov_rule_result_get_timing(ProvRuleResult *self, ProvRuleResultTiming timing)
{
	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), 0);
	g_return_val_if_fail((guint)timing < PROV_RULE_RESULT_TIMING_LAST, 0);
	return self->timings[timing];
}

/**
 * prov_rule_result_to_variant:
 * @self: a #ProvRuleResult
 *
 * The rule record of the D-Bus `LastResult` property and `RuleFinished`
 * signal, with exactly the keys the interface documents.
 *
 * Returns: (transfer floating): an `a{sv}` dictionary
 *
 * Since: 0.1
 */
GVariant *
prov_rule_result_to_variant(ProvRuleResult *self)
{
	GVariantBuilder builder;

	g_return_val_if_fail(PROV_IS_RULE_RESULT(self), NULL);

	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "name", g_variant_new_string(self->name));
	g_variant_builder_add(&builder, "{sv}", "url",
			      g_variant_new_string(prov_rule_result_get_url(self)));
	g_variant_builder_add(&builder, "{sv}", "final-url",
			      g_variant_new_string(prov_rule_result_get_final_url(self)));
	g_variant_builder_add(&builder, "{sv}", "transport",
			      g_variant_new_string(prov_rule_result_get_transport(self)));
	g_variant_builder_add(
	    &builder, "{sv}", "status",
	    g_variant_new_string(prov_rule_result_status_to_string(self->status)));
	g_variant_builder_add(&builder, "{sv}", "bytes", g_variant_new_uint64(self->bytes));
	g_variant_builder_add(&builder, "{sv}", "decoded-bytes",
			      g_variant_new_uint64(self->decoded_bytes));
	g_variant_builder_add(&builder, "{sv}", "decoders",
			      g_variant_new_strv(prov_rule_result_get_decoders(self), -1));
	g_variant_builder_add(&builder, "{sv}", "applied", g_variant_new_uint32(self->n_applied));
	g_variant_builder_add(&builder, "{sv}", "unchanged",
			      g_variant_new_uint32(self->n_unchanged));
	g_variant_builder_add(&builder, "{sv}", "skipped", g_variant_new_uint32(self->n_skipped));
	g_variant_builder_add(&builder, "{sv}", "changed",
			      g_variant_new_strv(prov_rule_result_get_changed(self), -1));
	g_variant_builder_add(&builder, "{sv}", "error",
			      g_variant_new_string(prov_rule_result_get_error(self)));
	g_variant_builder_add(&builder, "{sv}", "message",
			      g_variant_new_string(prov_rule_result_get_message(self)));
	g_variant_builder_add(&builder, "{sv}", "line", g_variant_new_uint32(self->line));
	g_variant_builder_add(&builder, "{sv}", "column", g_variant_new_uint32(self->column));
	for (guint i = 0; i < PROV_RULE_RESULT_TIMING_LAST; i++)
		g_variant_builder_add(&builder, "{sv}", prov_rule_result_timing_keys[i],
				      g_variant_new_uint64(self->timings[i]));
	return g_variant_builder_end(&builder);
}

void
prov_rule_result_set_url(ProvRuleResult *self, const gchar *url)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_free(self->url);
	self->url = g_strdup(url);
}

void
prov_rule_result_set_final_url(ProvRuleResult *self, const gchar *url)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_free(self->final_url);
	self->final_url = g_strdup(url);
}

void
prov_rule_result_set_transport(ProvRuleResult *self, const gchar *scheme)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_free(self->transport);
	self->transport = g_strdup(scheme);
}

void
prov_rule_result_set_status(ProvRuleResult *self, ProvRuleResultStatus status)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_return_if_fail((guint)status < PROV_RULE_RESULT_STATUS_LAST);
	self->status = status;
}

void
prov_rule_result_set_bytes(ProvRuleResult *self, guint64 bytes)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	self->bytes = bytes;
}

void
prov_rule_result_set_decoded_bytes(ProvRuleResult *self, guint64 bytes)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	self->decoded_bytes = bytes;
}

void
prov_rule_result_set_decoders(ProvRuleResult *self, const gchar *const *decoders)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_strfreev(self->decoders);
	self->decoders = g_strdupv((gchar **)decoders);
}

void
prov_rule_result_set_counts(ProvRuleResult *self, guint applied, guint unchanged, guint skipped)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	self->n_applied = applied;
	self->n_unchanged = unchanged;
	self->n_skipped = skipped;
}

void
prov_rule_result_set_changed(ProvRuleResult *self, const gchar *const *changed)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_strfreev(self->changed);
	self->changed = g_strdupv((gchar **)changed);
}

/* @error_kind is the $ERR text, @message the local detail (R34: they differ for decode errors) */
void
prov_rule_result_set_error(ProvRuleResult *self,
			   const gchar *error_kind,
			   gint code,
			   const gchar *message)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_free(self->error);
	self->error = g_strdup(error_kind);
	self->error_code = code;
	g_free(self->message);
	self->message = g_strdup(message);
}

void
prov_rule_result_set_position(ProvRuleResult *self, guint line, guint column)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	self->line = line;
	self->column = column;
}

void
prov_rule_result_add_timing(ProvRuleResult *self, ProvRuleResultTiming timing, gint64 duration)
{
	g_return_if_fail(PROV_IS_RULE_RESULT(self));
	g_return_if_fail((guint)timing < PROV_RULE_RESULT_TIMING_LAST);
	if (duration > 0)
		self->timings[timing] += (guint64)duration;
}

static void
prov_rule_result_finalize(GObject *object)
{
	ProvRuleResult *self = PROV_RULE_RESULT(object);

	g_free(self->name);
	g_free(self->url);
	g_free(self->final_url);
	g_free(self->transport);
	g_strfreev(self->decoders);
	g_strfreev(self->changed);
	g_free(self->error);
	g_free(self->message);
	G_OBJECT_CLASS(prov_rule_result_parent_class)->finalize(object);
}

static void
prov_rule_result_class_init(ProvRuleResultClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_rule_result_finalize;
}

static void
prov_rule_result_init(ProvRuleResult *self)
{
	self->status = PROV_RULE_RESULT_STATUS_EMPTY;
	self->error_code = -1;
}

/**
 * prov_rule_result_new:
 * @name: `Profile_Rule`, `Profile_Rule_B`, … or %PROV_RULE_RESULT_ONE_SHOT
 *
 * Returns: (transfer full): an "empty" result that the engine fills in
 *
 * Since: 0.1
 */
ProvRuleResult *
prov_rule_result_new(const gchar *name)
{
	ProvRuleResult *self;

	g_return_val_if_fail(name != NULL, NULL);
	self = g_object_new(PROV_TYPE_RULE_RESULT, NULL);
	self->name = g_strdup(name);
	return self;
}
