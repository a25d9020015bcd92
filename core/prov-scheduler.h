/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-clock.h"
#include "prov-macro.h"
#include "prov-params.h"

G_BEGIN_DECLS

/**
 * PROV_SCHEDULER_RANDOM_DELAY_UNIT:
 *
 * Seconds per unit of `Resync_Random_Delay` (reference 2.1, PROPOSED).
 *
 * Since: 0.1
 */
#define PROV_SCHEDULER_RANDOM_DELAY_UNIT 20

/**
 * PROV_SCHEDULER_TRIGGER_INTERVAL:
 *
 * Seconds between evaluations of the triggers in cause mode (reference 4.6).
 *
 * Since: 0.1
 */
#define PROV_SCHEDULER_TRIGGER_INTERVAL 10

/**
 * PROV_SCHEDULER_TRIGGER_GUARD:
 *
 * Seconds that must pass between two trigger-caused resyncs (reference 4.6).
 *
 * Since: 0.1
 */
#define PROV_SCHEDULER_TRIGGER_GUARD 60

#define PROV_TYPE_SCHEDULER (prov_scheduler_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvScheduler, prov_scheduler, PROV, SCHEDULER, GObject)

PROV_API ProvScheduler *
prov_scheduler_new(ProvParams *params, ProvMacro *macro, ProvClock *clock);
PROV_API void
prov_scheduler_set_seed(ProvScheduler *self, guint32 seed);
PROV_API void
prov_scheduler_start(ProvScheduler *self);
PROV_API gboolean
prov_scheduler_request_resync(ProvScheduler *self);
PROV_API void
prov_scheduler_resync_finished(ProvScheduler *self, gboolean success);
PROV_API void
prov_scheduler_set_busy(ProvScheduler *self, gboolean busy);
PROV_API gboolean
prov_scheduler_get_busy(ProvScheduler *self);
PROV_API gboolean
prov_scheduler_is_running(ProvScheduler *self);
PROV_API gboolean
prov_scheduler_is_pending(ProvScheduler *self);
PROV_API gboolean
prov_scheduler_triggers_allow(ProvScheduler *self, gint prvst);
PROV_API gint64
prov_scheduler_get_next_time(ProvScheduler *self);
PROV_API gint
prov_scheduler_get_next_prvst(ProvScheduler *self);
PROV_API gint64
prov_scheduler_compute_boot_delay(ProvScheduler *self);
PROV_API gint64
prov_scheduler_compute_resync_at(ProvScheduler *self, gint64 wall_time_us);

G_END_DECLS
