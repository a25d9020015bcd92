/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-resync-result.h"

G_BEGIN_DECLS

/* what the engine records while the resync runs; read-only once published */
void
prov_resync_result_set_status(ProvResyncResult *self,
			      ProvResyncStatus status,
			      const gchar *error_kind,
			      const gchar *message);
void
prov_resync_result_set_times(ProvResyncResult *self, gint64 start_time, guint64 duration);
void
prov_resync_result_add_rule(ProvResyncResult *self, ProvRuleResult *rule);
void
prov_resync_result_add_restart_required(ProvResyncResult *self, const gchar *const *names);

G_END_DECLS
