/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-rule-result.h"

G_BEGIN_DECLS

/* what the engine records while it runs a rule; a result is read-only once published */
void
prov_rule_result_set_url(ProvRuleResult *self, const gchar *url);
void
prov_rule_result_set_final_url(ProvRuleResult *self, const gchar *url);
void
prov_rule_result_set_transport(ProvRuleResult *self, const gchar *scheme);
void
prov_rule_result_set_status(ProvRuleResult *self, ProvRuleResultStatus status);
void
prov_rule_result_set_bytes(ProvRuleResult *self, guint64 bytes);
void
prov_rule_result_set_decoded_bytes(ProvRuleResult *self, guint64 bytes);
void
prov_rule_result_set_decoders(ProvRuleResult *self, const gchar *const *decoders);
void
prov_rule_result_set_counts(ProvRuleResult *self, guint applied, guint unchanged, guint skipped);
void
prov_rule_result_set_changed(ProvRuleResult *self, const gchar *const *changed);
void
prov_rule_result_set_error(ProvRuleResult *self,
			   const gchar *error_kind,
			   gint code,
			   const gchar *message);
void
prov_rule_result_set_position(ProvRuleResult *self, guint line, guint column);
void
prov_rule_result_add_timing(ProvRuleResult *self, ProvRuleResultTiming timing, gint64 duration);

G_END_DECLS
