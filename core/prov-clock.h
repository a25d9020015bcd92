/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvClock:
 *
 * Monotonic and wall time, and timeouts measured on the monotonic clock.
 * The real clock attaches its timeouts to the thread-default main context;
 * a manual clock (prov_clock_new_manual()) only moves when a test calls
 * prov_clock_advance(), which fires the due timeouts in order, so that
 * scheduler tests never sleep.
 *
 * Since: 0.1
 */
#define PROV_TYPE_CLOCK (prov_clock_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvClock, prov_clock, PROV, CLOCK, GObject)

PROV_API ProvClock *
prov_clock_new(void);
PROV_API ProvClock *
prov_clock_new_manual(gint64 wall_time_us);
PROV_API gboolean
prov_clock_is_manual(ProvClock *self);
PROV_API gint64
prov_clock_get_monotonic_time(ProvClock *self);
PROV_API gint64
prov_clock_get_real_time(ProvClock *self);
PROV_API GTimeZone *
prov_clock_get_timezone(ProvClock *self);
PROV_API void
prov_clock_set_timezone(ProvClock *self, GTimeZone *timezone);
PROV_API guint
prov_clock_add_timeout(
    ProvClock *self, gint64 delay_us, GSourceFunc func, gpointer user_data, GDestroyNotify notify);
PROV_API gboolean
prov_clock_remove(ProvClock *self, guint id);
PROV_API guint
prov_clock_get_n_timeouts(ProvClock *self);
PROV_API void
prov_clock_advance(ProvClock *self, gint64 delta_us);
PROV_API gint64
prov_clock_get_next_deadline(ProvClock *self);
PROV_API void
prov_clock_step_wall(ProvClock *self, gint64 delta_us);

G_END_DECLS
