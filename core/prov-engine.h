/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-clock.h"
#include "prov-config.h"
#include "prov-macro.h"
#include "prov-params.h"
#include "prov-plugin-loader.h"
#include "prov-resync-result.h"
#include "prov-rule-result.h"
#include "prov-scheduler.h"
#include "prov-syslog.h"

G_BEGIN_DECLS

/**
 * ProvEngineState:
 * @PROV_ENGINE_STATE_IDLE: no resync runs or waits
 * @PROV_ENGINE_STATE_PENDING: a resync is due and waits for idle lines
 *   (reference 5.2.4)
 * @PROV_ENGINE_STATE_RESYNCING: a resync runs
 * @PROV_ENGINE_STATE_LAST: the number of values
 *
 * What the engine is doing: #ProvEngine:state, the daemon's `State`
 * property and the first line of `provctl status`.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_ENGINE_STATE_IDLE,
	PROV_ENGINE_STATE_PENDING,
	PROV_ENGINE_STATE_RESYNCING,
	PROV_ENGINE_STATE_LAST
} ProvEngineState;

/**
 * PROV_ENGINE_ONE_SHOT_QUEUE_MAX:
 *
 * At most this many one-shot rules wait behind a running resync
 * (reference 5.1); prov_engine_request_resync() refuses more with
 * %PROV_ERROR_BUSY.
 *
 * Since: 0.1
 */
#define PROV_ENGINE_ONE_SHOT_QUEUE_MAX 4

#define PROV_TYPE_ENGINE_STATE (prov_engine_state_get_type())
PROV_API GType
prov_engine_state_get_type(void);

#define PROV_TYPE_ENGINE (prov_engine_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvEngine, prov_engine, PROV, ENGINE, GObject)

PROV_API const gchar *
prov_engine_state_to_string(ProvEngineState state);

PROV_API ProvEngine *
prov_engine_new(ProvConfig *config, ProvParams *params, ProvPluginLoader *loader, ProvClock *clock);

PROV_API void
prov_engine_start(ProvEngine *self);
PROV_API void
prov_engine_stop(ProvEngine *self);

PROV_API gboolean
prov_engine_request_resync(
    ProvEngine *self, const gchar *one_shot_rule, const gchar *source, guint64 *id, GError **error);

PROV_API void
prov_engine_resync_async(ProvEngine *self,
			 gint prvst,
			 const gchar *one_shot_rule,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
PROV_API ProvResyncResult *
prov_engine_resync_finish(ProvEngine *self, GAsyncResult *result, GError **error);

PROV_API void
prov_engine_report_async(ProvEngine *self,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
PROV_API gboolean
prov_engine_report_finish(ProvEngine *self, GAsyncResult *result, GError **error);

PROV_API void
prov_engine_set_busy(ProvEngine *self, gboolean busy);

PROV_API ProvEngineState
prov_engine_get_state(ProvEngine *self);
PROV_API gint
prov_engine_get_prvst(ProvEngine *self);
PROV_API const gchar *
prov_engine_get_err(ProvEngine *self);
PROV_API GVariant *
prov_engine_dup_provisioning_state(ProvEngine *self);
PROV_API ProvResyncResult *
prov_engine_get_last_result(ProvEngine *self);
PROV_API GPtrArray *
prov_engine_get_history(ProvEngine *self);
PROV_API gint64
prov_engine_get_last_success_time(ProvEngine *self);
PROV_API gint64
prov_engine_get_next_resync_time(ProvEngine *self);

PROV_API const gchar *
prov_engine_get_default_server(ProvEngine *self);
PROV_API gboolean
prov_engine_set_default_server(ProvEngine *self, const gchar *server, GError **error);

PROV_API gchar *
prov_engine_dup_custom_ca_status(ProvEngine *self);
PROV_API gchar *
prov_engine_dup_custom_ca_info(ProvEngine *self);

PROV_API ProvConfig *
prov_engine_get_config(ProvEngine *self);
PROV_API ProvParams *
prov_engine_get_params(ProvEngine *self);
PROV_API ProvMacro *
prov_engine_get_macro(ProvEngine *self);
PROV_API ProvScheduler *
prov_engine_get_scheduler(ProvEngine *self);
PROV_API ProvSyslog *
prov_engine_get_syslog(ProvEngine *self);
PROV_API ProvPluginLoader *
prov_engine_get_plugin_loader(ProvEngine *self);
PROV_API GPtrArray *
prov_engine_get_triggers(ProvEngine *self);
PROV_API GVariant *
prov_engine_dup_triggers_variant(ProvEngine *self);

G_END_DECLS
