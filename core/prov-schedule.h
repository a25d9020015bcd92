/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvSchedule:
 *
 * A parsed schedule of reference 2.5 (`Resync_Periodic`,
 * `Resync_Error_Retry_Delay`, `Upgrade_Error_Retry_Delay`): a comma list of
 * `SECONDS[+RANDOM]` elements whose last element repeats. An empty text or
 * a lone `0` disables the schedule; a `0` inside a list means immediately.
 *
 * Since: 0.1
 */
typedef struct _ProvSchedule ProvSchedule;

PROV_API ProvSchedule *
prov_schedule_new_from_string(const gchar *text, GError **error);
PROV_API void
prov_schedule_free(ProvSchedule *self);
PROV_API gboolean
prov_schedule_is_disabled(const ProvSchedule *self);
PROV_API guint
prov_schedule_get_n_elements(const ProvSchedule *self);
PROV_API guint
prov_schedule_get_seconds(const ProvSchedule *self, guint position);
PROV_API guint
prov_schedule_get_random(const ProvSchedule *self, guint position);
PROV_API gint64
prov_schedule_get_delay_us(const ProvSchedule *self, guint position, GRand *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSchedule, prov_schedule_free)

G_END_DECLS
