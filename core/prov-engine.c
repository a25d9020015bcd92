/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvEngine"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "prov-decode-context.h"
#include "prov-decode-pipeline.h"
#include "prov-engine.h"
#include "prov-error.h"
#include "prov-fetch.h"
#include "prov-macro-private.h"
#include "prov-params-transaction.h"
#include "prov-profile.h"
#include "prov-resync-result-private.h"
#include "prov-rule-result-private.h"
#include "prov-rule.h"
#include "prov-tls.h"
#include "prov-trigger-host.h"
#include "prov-trigger.h"

/* reference 5.5 PROPOSED: "Provisioning Status 1..3" */
#define PROV_ENGINE_HISTORY_MAX 3
/* reference 9.3: the custom CA lives next to the state file */
#define PROV_ENGINE_CUSTOM_CA_FILE "custom-ca.pem"
/* reference 6.2.1 PROPOSED: the kept copies behind conditional requests */
#define PROV_ENGINE_CACHE_DIR "http-cache"
/* R23: accepted remote triggers per source and second */
#define PROV_ENGINE_TRIGGER_RATE 10
/* R23: a flood from many sources must not grow the rate table without bound */
#define PROV_ENGINE_TRIGGER_SOURCES_MAX 1024
/*
 * R23: a remote trigger starts at most one resync per this many seconds for
 * the same request (rule and source); more within it join one deferred resync
 */
#define PROV_ENGINE_TRIGGER_HOLDOFF (10 * G_USEC_PER_SEC)
/* requests that may wait for their hold-off at once; beyond, a trigger is refused */
#define PROV_ENGINE_TRIGGER_DEFERRED_MAX 64

static const gchar *const prov_engine_rule_names[] = {
    "Profile_Rule",
    "Profile_Rule_B",
    "Profile_Rule_C",
    "Profile_Rule_D",
};

/* a queued request for a resync: the stored rules (rule NULL) or a one-shot rule */
typedef struct {
	guint64 id;
	gchar *rule;
	/* the requesting host: the server of a one-shot URL without one (reference 7.1) */
	gchar *source_host;
} ProvEngineRequest;

typedef struct {
	gint64 window_start;
	guint count;
} ProvEngineRate;

typedef enum {
	PROV_ENGINE_STEP_FETCH,
	PROV_ENGINE_STEP_EMPTY,
	PROV_ENGINE_STEP_FAILED,
} ProvEngineStep;

/* one resync in progress: the task data of its GTask */
typedef struct {
	guint64 id;
	gint prvst;
	gchar *one_shot;
	gchar *source_host;
	gboolean from_scheduler;
	ProvResyncResult *result;
	GCancellable *cancellable;
	GCancellable *caller_cancellable;
	gulong caller_handler;
	gint64 start_monotonic;
	guint index;
	/* the rule that runs now */
	ProvRuleResult *rule_result;
	ProvRule *rule;
	const ProvRuleAlternative *alternative;
	gchar *url;
	gchar *scheme;
	gchar *host;
	ProvTransport *transport;
	ProvFetchContext *fetch_ctx;
	gint64 rule_start;
	gint64 phase_start;
	/* reference 5.4: only a file-not-found may be forgiven (Resync_Fails_On_FNF) */
	gboolean not_found;
} ProvEngineRun;

/**
 * ProvEngine:
 *
 * Runs resyncs: one at a time, for the scheduler's timers, the remote
 * triggers and explicit requests, which coalesce. A resync expands, parses
 * and evaluates `Profile_Rule` to `Profile_Rule_D` in order (or one one-shot
 * rule), fetches each profile with the transport of its URL's scheme, decodes
 * it, parses it and applies it as one transaction; it sends the syslog
 * messages, keeps `$PRVST` and `$ERR`, and reports a #ProvResyncResult. The
 * engine also starts the configured triggers and serves them as their
 * #ProvTriggerHost.
 *
 * Since: 0.1
 */
struct _ProvEngine {
	GObject parent_instance;
	ProvConfig *config;
	ProvParams *params;
	ProvPluginLoader *loader;
	ProvClock *clock;
	ProvMacro *macro;
	ProvScheduler *scheduler;
	ProvSyslog *syslog;
	guint macro_lookup_id;
	gulong params_changed_id;
	gulong resync_due_id;
	gboolean started;
	gboolean scheduler_started;
	GPtrArray *triggers;
	/* the registered name of each started trigger, for the Triggers property */
	GPtrArray *trigger_names;
	GHashTable *trigger_rates;
	GHashTable *trigger_holdoffs;

	GQueue *queue;
	guint64 next_id;
	/* a resync the scheduler started while the engine could not run it */
	gboolean deferred;
	gint deferred_prvst;
	GTask *run_task;

	ProvEngineState state;
	ProvResyncResult *last_result;
	GPtrArray *history;
	gint64 last_success_time;
	gint64 next_resync_time;
	gint prvst;
	gchar *err;
	gint64 created_time;
	gint64 attempt_time;
	gchar *default_server;

	gchar *custom_ca_path;
	GTlsCertificate *custom_ca;
	gchar *custom_ca_status;
	gboolean custom_ca_failed;
	GCancellable *custom_ca_cancellable;
	GPtrArray *custom_ca_waiters;
	gboolean custom_ca_again;

	GHashTable *report_delta;
};

static void
prov_engine_trigger_host_iface_init(ProvTriggerHostInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE(ProvEngine,
			      prov_engine,
			      G_TYPE_OBJECT,
			      G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER_HOST,
						    prov_engine_trigger_host_iface_init))

G_DEFINE_ENUM_TYPE(ProvEngineState,
		   prov_engine_state,
		   G_DEFINE_ENUM_VALUE(PROV_ENGINE_STATE_IDLE, "idle"),
		   G_DEFINE_ENUM_VALUE(PROV_ENGINE_STATE_PENDING, "pending"),
		   G_DEFINE_ENUM_VALUE(PROV_ENGINE_STATE_RESYNCING, "resyncing"))

enum {
	PROP_0,
	PROP_STATE,
	PROP_LAST_RESULT,
	PROP_NEXT_RESYNC_TIME,
	PROP_LAST_SUCCESS_TIME,
	PROP_DEFAULT_SERVER,
	PROP_CUSTOM_CA_STATUS,
	PROP_TRIGGERS,
	PROP_LAST
};

static GParamSpec *properties[PROP_LAST] = {NULL};

enum {
	SIGNAL_RESYNC_STARTED,
	SIGNAL_RULE_FINISHED,
	SIGNAL_RESYNC_FINISHED,
	SIGNAL_RESTART_REQUIRED,
	SIGNAL_REBOOT_REQUESTED,
	SIGNAL_LAST
};

static guint signals[SIGNAL_LAST] = {0};

static const gchar *const prov_engine_state_names[] = {
    [PROV_ENGINE_STATE_IDLE] = "idle",
    [PROV_ENGINE_STATE_PENDING] = "pending",
    [PROV_ENGINE_STATE_RESYNCING] = "resyncing",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_engine_state_names) == PROV_ENGINE_STATE_LAST);

static void
prov_engine_run_next_rule(GTask *task);
static void
prov_engine_custom_ca_start(ProvEngine *self);

/**
 * prov_engine_state_to_string:
 * @state: a #ProvEngineState
 *
 * Returns: its name on D-Bus: `idle`, `pending` or `resyncing`
 *
 * Since: 0.1
 */
const gchar *
prov_engine_state_to_string(ProvEngineState state)
{
	g_return_val_if_fail((guint)state < PROV_ENGINE_STATE_LAST, NULL);
	return prov_engine_state_names[state];
}

static void
prov_engine_request_free(ProvEngineRequest *request)
{
	if (request == NULL)
		return;
	g_free(request->rule);
	g_free(request->source_host);
	g_free(request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvEngineRequest, prov_engine_request_free)

/* what one rule leaves behind is dropped before the next starts */
static void
prov_engine_run_clear_rule(ProvEngineRun *run)
{
	g_clear_object(&run->rule_result);
	g_clear_object(&run->rule);
	run->alternative = NULL;
	g_clear_pointer(&run->url, g_free);
	g_clear_pointer(&run->scheme, g_free);
	g_clear_pointer(&run->host, g_free);
	g_clear_object(&run->transport);
	g_clear_object(&run->fetch_ctx);
	run->not_found = FALSE;
}

static void
prov_engine_run_free(ProvEngineRun *run)
{
	prov_engine_run_clear_rule(run);
	if (run->caller_handler != 0)
		g_cancellable_disconnect(run->caller_cancellable, run->caller_handler);
	g_clear_object(&run->caller_cancellable);
	g_clear_object(&run->cancellable);
	g_clear_object(&run->result);
	g_free(run->one_shot);
	g_free(run->source_host);
	g_free(run);
}

static gint64
prov_engine_now(ProvEngine *self)
{
	return prov_clock_get_monotonic_time(self->clock);
}

static const gchar *
prov_engine_get_value(ProvEngine *self, const gchar *name)
{
	const gchar *value = prov_params_get_value(self->params, name);

	return value != NULL ? value : "";
}

/* bool parameters are canonical Yes/No; an unknown name keeps the documented default */
static gboolean
prov_engine_get_bool(ProvEngine *self, const gchar *name, gboolean fallback)
{
	const gchar *value = prov_params_get_value(self->params, name);

	if (value == NULL || value[0] == '\0')
		return fallback;
	return g_ascii_strcasecmp(value, "yes") == 0 || g_ascii_strcasecmp(value, "true") == 0 ||
	       g_strcmp0(value, "1") == 0;
}

static gboolean
prov_engine_is_enabled(ProvEngine *self)
{
	return prov_engine_get_bool(self, "Provision_Enable", TRUE);
}

/* a blank rule or one that starts with '#' is skipped (reference 4.7) */
static gboolean
prov_engine_text_is_blank(const gchar *text)
{
	while (*text != '\0' && g_ascii_isspace(*text))
		text++;
	return *text == '\0' || *text == '#';
}

/* `ADDRESS`, `ADDRESS:PORT` or `[ADDRESS]:PORT` of a trigger's caller, as a host */
static gchar *
prov_engine_source_to_host(const gchar *source)
{
	const gchar *colon;

	if (source == NULL || source[0] == '\0')
		return NULL;
	if (source[0] == '[') {
		const gchar *close = strchr(source, ']');

		return close != NULL && close > source + 1
			   ? g_strndup(source + 1, (gsize)(close - source - 1))
			   : NULL;
	}
	colon = strchr(source, ':');
	/* several colons: a bare IPv6 address */
	if (colon != NULL && strchr(colon + 1, ':') != NULL)
		return g_strdup(source);
	if (colon == source)
		return NULL;
	return colon != NULL ? g_strndup(source, (gsize)(colon - source)) : g_strdup(source);
}

static gint64
prov_engine_compute_next_resync_time(ProvEngine *self)
{
	gint64 next = prov_scheduler_get_next_time(self->scheduler);
	gint64 wall;

	if (next < 0)
		return 0;
	wall = prov_clock_get_real_time(self->clock) + (next - prov_engine_now(self));
	/* whole seconds: two readings of two clocks must not look like a change */
	return (wall + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC * G_USEC_PER_SEC;
}

static ProvEngineState
prov_engine_compute_state(ProvEngine *self)
{
	if (self->run_task != NULL)
		return PROV_ENGINE_STATE_RESYNCING;
	if (!g_queue_is_empty(self->queue) || self->deferred ||
	    prov_scheduler_is_pending(self->scheduler))
		return PROV_ENGINE_STATE_PENDING;
	return PROV_ENGINE_STATE_IDLE;
}

/* the scheduler has no signals of its own: the engine looks after each event */
static void
prov_engine_update_state(ProvEngine *self)
{
	ProvEngineState state = prov_engine_compute_state(self);
	gint64 next = prov_engine_compute_next_resync_time(self);

	if (state != self->state) {
		self->state = state;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_STATE]);
	}
	if (next != self->next_resync_time) {
		self->next_resync_time = next;
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_NEXT_RESYNC_TIME]);
	}
}

/* $ERR is the outcome of the last fetch: empty after a success (reference 5.5) */
static void
prov_engine_set_err(ProvEngine *self, const gchar *err)
{
	g_free(self->err);
	self->err = g_strdup(err != NULL ? err : "");
	prov_macro_set_variable(self->macro, "ERR", self->err);
}

/* $PRVTMR counts from the start of the last attempt, or from start-up before the first */
static gchar *
prov_engine_macro_lookup_cb(const gchar *name, gpointer user_data)
{
	ProvEngine *self = PROV_ENGINE(user_data);
	gint64 since;

	if (g_strcmp0(name, "PRVTMR") != 0)
		return NULL;
	since = self->attempt_time >= 0 ? self->attempt_time : self->created_time;
	return g_strdup_printf("%" G_GINT64_FORMAT,
			       MAX(prov_engine_now(self) - since, 0) / G_USEC_PER_SEC);
}

/* the rule as macro expansion makes it at this moment (reference 5.6: at the time of use) */
static ProvRule *
prov_engine_parse_rule(ProvEngine *self, const gchar *text, GError **error)
{
	g_autofree gchar *expanded = prov_macro_expand_rule(self->macro, text);

	return prov_rule_new_from_string(expanded, error);
}

/* R42: what signals, results and logs show of a one-shot rule */
static gchar *
prov_engine_redact_rule(ProvEngine *self, const gchar *text)
{
	g_autoptr(ProvRule) rule = NULL;

	if (text == NULL)
		return NULL;
	rule = prov_engine_parse_rule(self, text, NULL);
	/* a rule that does not parse cannot be masked reliably: show none of it */
	if (rule == NULL)
		return g_strdup("(unparsable rule)");
	return prov_rule_to_string(rule);
}

/* D-Bus Resync and the triggers refuse what could never run, before it is queued */
static gboolean
prov_engine_check_one_shot(ProvEngine *self, const gchar *text, GError **error)
{
	g_autoptr(ProvRule) rule = prov_engine_parse_rule(self, text, error);

	if (rule == NULL)
		return FALSE;
	if (prov_rule_is_empty(rule)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the one-shot rule is empty or commented out");
		return FALSE;
	}
	for (guint i = 0; i < prov_rule_get_n_alternatives(rule); i++) {
		const ProvRuleAlternative *alternative = prov_rule_get_alternative(rule, i);
		const gchar *scheme = prov_rule_alternative_get_scheme(alternative);

		if (!prov_rule_alternative_has_url(alternative) ||
		    prov_plugin_loader_lookup(self->loader, PROV_PLUGIN_KIND_TRANSPORT, scheme) !=
			NULL)
			continue;
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "unsupported scheme %s: no transport plugin serves it", scheme);
		return FALSE;
	}
	return TRUE;
}

/* R23: a request that finds its twin still waiting joins it */
static ProvEngineRequest *
prov_engine_find_queued(ProvEngine *self, const gchar *rule, const gchar *source_host)
{
	for (GList *l = self->queue->head; l != NULL; l = l->next) {
		ProvEngineRequest *request = l->data;

		if (rule == NULL && request->rule == NULL)
			return request;
		if (rule != NULL && g_strcmp0(request->rule, rule) == 0 &&
		    g_strcmp0(request->source_host, source_host) == 0)
			return request;
	}
	return NULL;
}

static guint
prov_engine_count_one_shots(ProvEngine *self)
{
	guint n = 0;

	for (GList *l = self->queue->head; l != NULL; l = l->next) {
		if (((ProvEngineRequest *)l->data)->rule != NULL)
			n++;
	}
	return n;
}

/**
 * prov_engine_request_resync:
 * @self: a #ProvEngine
 * @one_shot_rule: (nullable): a rule for this resync only (reference 5.3),
 *   or %NULL or the empty string for the stored `Profile_Rule` … `_D`
 * @source: (nullable): the address of the requesting host (`ADDRESS`,
 *   `ADDRESS:PORT` or `[ADDRESS]:PORT`); a one-shot URL without a server
 *   fetches from it (reference 7.1). %NULL: such a URL uses the default
 *   server, as the stored rules do
 * @id: (out) (optional): the number of the resync that will serve the request
 * @error: return location for a #GError
 *
 * Queues an explicit resync (PRVST -1) and returns at once; it runs when the
 * scheduler lets it, that is when the lines are idle (reference 5.2.4). A
 * request for the stored rules that arrives while another such request still
 * waits joins it and gets its @id (R23); one-shot rules queue in order, at
 * most %PROV_ENGINE_ONE_SHOT_QUEUE_MAX of them.
 *
 * Returns: %FALSE with %PROV_ERROR_DISABLED when `Provision_Enable` is No,
 *   %PROV_ERROR_RULE_SYNTAX or %PROV_ERROR_INVALID_ARGUMENT when the rule
 *   cannot be parsed or names a scheme no transport serves, and
 *   %PROV_ERROR_LIMIT_EXCEEDED when the one-shot queue is full
 *
 * Since: 0.1
 */
gboolean
prov_engine_request_resync(
    ProvEngine *self, const gchar *one_shot_rule, const gchar *source, guint64 *id, GError **error)
{
	g_autofree gchar *source_host = NULL;
	ProvEngineRequest *request;

	g_return_val_if_fail(PROV_IS_ENGINE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!prov_engine_is_enabled(self)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_DISABLED,
				    "Provision_Enable is No: resyncs are disabled");
		return FALSE;
	}
	if (one_shot_rule != NULL && one_shot_rule[0] == '\0')
		one_shot_rule = NULL;
	if (one_shot_rule != NULL && !prov_engine_check_one_shot(self, one_shot_rule, error))
		return FALSE;
	if (one_shot_rule != NULL)
		source_host = prov_engine_source_to_host(source);

	request = prov_engine_find_queued(self, one_shot_rule, source_host);
	if (request == NULL) {
		if (one_shot_rule != NULL &&
		    prov_engine_count_one_shots(self) >= PROV_ENGINE_ONE_SHOT_QUEUE_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "%u one-shot resyncs already wait",
				    PROV_ENGINE_ONE_SHOT_QUEUE_MAX);
			return FALSE;
		}
		request = g_new0(ProvEngineRequest, 1);
		request->id = self->next_id++;
		request->rule = g_strdup(one_shot_rule);
		request->source_host = g_steal_pointer(&source_host);
		g_queue_push_tail(self->queue, request);
		g_debug("resync %" G_GUINT64_FORMAT " queued", request->id);
	}
	prov_scheduler_request_resync(self->scheduler);
	prov_engine_update_state(self);
	if (id != NULL)
		*id = request->id;
	return TRUE;
}

static void
prov_engine_start_scheduled(ProvEngine *self, gint prvst);

static void
prov_engine_add_history(ProvEngine *self, ProvResyncResult *result)
{
	g_ptr_array_insert(self->history, 0, g_object_ref(result));
	if (self->history->len > PROV_ENGINE_HISTORY_MAX)
		g_ptr_array_set_size(self->history, PROV_ENGINE_HISTORY_MAX);
	g_set_object(&self->last_result, result);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_LAST_RESULT]);
}

/* after a resync: what waited behind it may run now */
static void
prov_engine_continue(ProvEngine *self)
{
	if (self->deferred && self->started) {
		self->deferred = FALSE;
		prov_engine_start_scheduled(self, self->deferred_prvst);
		return;
	}
	if (!g_queue_is_empty(self->queue))
		prov_scheduler_request_resync(self->scheduler);
	prov_engine_update_state(self);
}

static void
prov_engine_run_finish(GTask *task, ProvResyncStatus status, const gchar *err, const gchar *message)
{
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);
	g_autoptr(ProvResyncResult) result = g_object_ref(run->result);
	const gchar *const *restart = prov_resync_result_get_restart_required(result);
	gint64 duration = prov_engine_now(self) - run->start_monotonic;

	prov_resync_result_set_status(result, status, err, message);
	prov_resync_result_set_times(result, prov_resync_result_get_start_time(result),
				     (guint64)MAX(duration, 0));
	if (status == PROV_RESYNC_STATUS_SUCCESS) {
		prov_engine_set_err(self, "");
		self->last_success_time = prov_resync_result_get_end_time(result);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_LAST_SUCCESS_TIME]);
	}
	g_info("resync %" G_GUINT64_FORMAT ": %s%s%s", run->id,
	       prov_resync_status_to_string(status), message != NULL ? ": " : "",
	       message != NULL ? message : "");
	prov_engine_add_history(self, result);
	if (restart[0] != NULL)
		g_signal_emit(self, signals[SIGNAL_RESTART_REQUIRED], 0, restart);

	g_clear_object(&self->run_task);
	/* a cancelled resync is not a verdict on the server: only a real failure retries */
	if (run->from_scheduler)
		prov_scheduler_resync_finished(self->scheduler,
					       status != PROV_RESYNC_STATUS_FAILED);
	prov_engine_update_state(self);
	g_signal_emit(self, signals[SIGNAL_RESYNC_FINISHED], 0, run->id, result);
	g_task_return_pointer(task, g_steal_pointer(&result), g_object_unref);
	prov_engine_continue(self);
}

static void
prov_engine_caller_cancelled_cb(GCancellable *caller, gpointer user_data)
{
	g_cancellable_cancel(G_CANCELLABLE(user_data));
}

static ProvEngineRun *
prov_engine_run_new(guint64 id, gint prvst, const gchar *one_shot, const gchar *source_host)
{
	ProvEngineRun *run = g_new0(ProvEngineRun, 1);

	run->id = id;
	run->prvst = prvst;
	run->one_shot = g_strdup(one_shot);
	run->source_host = g_strdup(source_host);
	run->cancellable = g_cancellable_new();
	return run;
}

/* does a rule of this resync fetch over https? then a failed custom CA is retried first */
static gboolean
prov_engine_run_uses_https(ProvEngine *self, ProvEngineRun *run)
{
	guint n_rules = run->one_shot != NULL ? 1 : G_N_ELEMENTS(prov_engine_rule_names);

	for (guint i = 0; i < n_rules; i++) {
		const gchar *text = run->one_shot != NULL
					? run->one_shot
					: prov_engine_get_value(self, prov_engine_rule_names[i]);
		g_autoptr(ProvRule) rule = NULL;

		if (prov_engine_text_is_blank(text))
			continue;
		rule = prov_engine_parse_rule(self, text, NULL);
		for (guint j = 0; rule != NULL && j < prov_rule_get_n_alternatives(rule); j++) {
			const ProvRuleAlternative *alternative = prov_rule_get_alternative(rule, j);

			if (prov_rule_alternative_has_url(alternative) &&
			    g_strcmp0(prov_rule_alternative_get_scheme(alternative), "https") == 0)
				return TRUE;
		}
	}
	return FALSE;
}

static void
prov_engine_custom_ca_refresh_async(ProvEngine *self,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data);

static void
prov_engine_run_custom_ca_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvEngineRun *run = g_task_get_task_data(task);

	/* a CA that still fails is the https fetch's problem, reported there */
	g_task_propagate_boolean(G_TASK(res), NULL);
	if (g_cancellable_is_cancelled(run->cancellable)) {
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_CANCELLED, NULL, "cancelled");
		return;
	}
	prov_engine_run_next_rule(g_steal_pointer(&task));
}

/* reference 5.3: Provision_Enable, the mpp trigger gate, then PRVST and the rules */
static void
prov_engine_run_begin(ProvEngine *self, GTask *task, ProvEngineRun *run, GCancellable *caller)
{
	g_autofree gchar *redacted = prov_engine_redact_rule(self, run->one_shot);

	g_task_set_task_data(task, run, (GDestroyNotify)prov_engine_run_free);
	if (caller != NULL) {
		run->caller_cancellable = g_object_ref(caller);
		run->caller_handler = g_cancellable_connect(
		    caller, G_CALLBACK(prov_engine_caller_cancelled_cb), run->cancellable, NULL);
	}
	self->run_task = g_object_ref(task);
	run->result = prov_resync_result_new(run->id, run->prvst, redacted);
	run->start_monotonic = prov_engine_now(self);
	prov_resync_result_set_times(run->result, prov_clock_get_real_time(self->clock), 0);

	if (!prov_engine_is_enabled(self)) {
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_SKIPPED, NULL,
				       "Provision_Enable is No");
		return;
	}
	/* the scheduler gated its own causes before it started this resync */
	if (!run->from_scheduler && !prov_scheduler_triggers_allow(self->scheduler, run->prvst)) {
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_SKIPPED, NULL,
				       "no Resync_Trigger holds");
		return;
	}
	self->prvst = run->prvst;
	self->attempt_time = run->start_monotonic;
	{
		g_autofree gchar *prvst = g_strdup_printf("%d", run->prvst);

		prov_macro_set_variable(self->macro, "PRVST", prvst);
	}
	prov_engine_update_state(self);
	g_info("resync %" G_GUINT64_FORMAT " started, PRVST %d%s%s", run->id, run->prvst,
	       redacted != NULL ? ", one-shot rule " : "", redacted != NULL ? redacted : "");
	g_signal_emit(self, signals[SIGNAL_RESYNC_STARTED], 0, run->id, run->prvst,
		      redacted != NULL ? redacted : "");

	/* reference 9.3: a custom CA that failed to download is retried before it is needed */
	if (self->custom_ca_failed &&
	    !prov_engine_text_is_blank(prov_engine_get_value(self, "Custom_CA_Rule")) &&
	    prov_engine_run_uses_https(self, run)) {
		prov_engine_custom_ca_refresh_async(
		    self, run->cancellable, prov_engine_run_custom_ca_cb, g_object_ref(task));
		return;
	}
	prov_engine_run_next_rule(g_object_ref(task));
}

/* a resync that ProvScheduler::resync-due asked for: the queue's head, or the stored rules */
static void
prov_engine_start_scheduled(ProvEngine *self, gint prvst)
{
	g_autoptr(GTask) task = g_task_new(self, NULL, NULL, NULL);
	g_autoptr(ProvEngineRequest) request = NULL;
	ProvEngineRun *run;

	g_task_set_source_tag(task, prov_engine_start_scheduled);
	if (prvst == -1)
		request = g_queue_pop_head(self->queue);
	if (request != NULL)
		run = prov_engine_run_new(request->id, prvst, request->rule, request->source_host);
	else
		run = prov_engine_run_new(self->next_id++, prvst, NULL, NULL);
	run->from_scheduler = TRUE;
	prov_engine_run_begin(self, task, run, NULL);
}

static void
prov_engine_resync_due_cb(ProvScheduler *scheduler, gint prvst, gpointer user_data)
{
	ProvEngine *self = PROV_ENGINE(user_data);

	/* one resync at a time: this one follows the running one, or the next start */
	if (!self->started || self->run_task != NULL) {
		self->deferred = TRUE;
		self->deferred_prvst = prvst;
		prov_engine_update_state(self);
		return;
	}
	prov_engine_start_scheduled(self, prvst);
}

/**
 * prov_engine_resync_async:
 * @self: a #ProvEngine
 * @prvst: the cause (reference 5.1): 0 boot, 1 periodic, 2 error retry, -1
 *   explicit request
 * @one_shot_rule: (nullable): a rule that replaces the stored rules for
 *   this resync only, or %NULL
 * @cancellable: (nullable): cancels the resync
 * @callback: called once, with the result
 * @user_data: data for @callback
 *
 * Runs one resync now, without waiting for the scheduler: for tests and
 * tools. It does not re-arm the scheduler's timers (prov_engine_request_resync()
 * does). A boot or periodic cause passes the mpp trigger gate first
 * (reference 4.6). It fails with %PROV_ERROR_BUSY when a resync runs; a
 * skipped, failed or cancelled resync is a result, not an error.
 *
 * Since: 0.1
 */
void
prov_engine_resync_async(ProvEngine *self,
			 gint prvst,
			 const gchar *one_shot_rule,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(PROV_IS_ENGINE(self));
	g_return_if_fail(prvst >= -1 && prvst <= 2);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, prov_engine_resync_async);
	/* the outcome stands even when the caller's cancellable cancelled the resync */
	g_task_set_check_cancellable(task, FALSE);
	if (self->run_task != NULL) {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_BUSY,
					"a resync is already running");
		return;
	}
	if (one_shot_rule != NULL && one_shot_rule[0] == '\0')
		one_shot_rule = NULL;
	prov_engine_run_begin(self, task,
			      prov_engine_run_new(self->next_id++, prvst, one_shot_rule, NULL),
			      cancellable);
}

/**
 * prov_engine_resync_finish:
 * @self: a #ProvEngine
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes prov_engine_resync_async(). A resync that ran and failed is
 * not an error here: its #ProvResyncResult says how it failed.
 *
 * Returns: (transfer full): the outcome, or %NULL with %PROV_ERROR_BUSY
 *
 * Since: 0.1
 */
ProvResyncResult *
prov_engine_resync_finish(ProvEngine *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	g_return_val_if_fail(g_task_is_valid(result, self), NULL);

	return g_task_propagate_pointer(G_TASK(result), error);
}

/* reference 5.4: what a failure to fetch reads as in $ERR */
static const gchar *
prov_engine_classify_fetch_error(const GError *error, const gchar *scheme)
{
	if (error->domain == G_RESOLVER_ERROR)
		return PROV_RULE_RESULT_ERROR_DNS_LOOKUP_FAILED;
	if (error->domain == PROV_ERROR) {
		switch (error->code) {
		case PROV_ERROR_NOT_FOUND:
			return PROV_RULE_RESULT_ERROR_FILE_NOT_FOUND;
		case PROV_ERROR_HOST_NOT_FOUND:
			return PROV_RULE_RESULT_ERROR_DNS_LOOKUP_FAILED;
		case PROV_ERROR_AUTH_FAILED:
			return PROV_RULE_RESULT_ERROR_AUTH_FAILED;
		/* reference 5.4: a body over the size limit is category B, like a bad file */
		case PROV_ERROR_CORRUPT_FILE:
		case PROV_ERROR_LIMIT_EXCEEDED:
			return PROV_RULE_RESULT_ERROR_CORRUPT_FILE;
		case PROV_ERROR_RESTRICTED_DOMAIN:
			return PROV_RULE_RESULT_ERROR_RESTRICTED_DOMAIN;
		case PROV_ERROR_RULE_SYNTAX:
			return PROV_RULE_RESULT_ERROR_RULE_SYNTAX;
		case PROV_ERROR_STATE:
			return PROV_RULE_RESULT_ERROR_INTERNAL;
		default:
			break;
		}
	}
	if (g_strcmp0(scheme, "tftp") == 0)
		return PROV_RULE_RESULT_ERROR_TFTP_GET_FAILED;
	if (g_strcmp0(scheme, "http") == 0)
		return PROV_RULE_RESULT_ERROR_HTTP_GET_FAILED;
	if (g_strcmp0(scheme, "https") == 0)
		return PROV_RULE_RESULT_ERROR_HTTPS_GET_FAILED;
	return PROV_RULE_RESULT_ERROR_INTERNAL;
}

static ProvEngineStep
prov_engine_rule_fail(ProvEngineRun *run, const gchar *error_kind, const GError *error)
{
	prov_rule_result_set_status(run->rule_result, PROV_RULE_RESULT_STATUS_FAILED);
	prov_rule_result_set_error(run->rule_result, error_kind,
				   error->domain == PROV_ERROR ? error->code : -1, error->message);
	return PROV_ENGINE_STEP_FAILED;
}

static ProvEngineStep
prov_engine_rule_empty(ProvEngineRun *run, const gchar *why)
{
	g_debug("rule %s: %s", prov_rule_result_get_name(run->rule_result), why);
	prov_rule_result_set_status(run->rule_result, PROV_RULE_RESULT_STATUS_EMPTY);
	return PROV_ENGINE_STEP_EMPTY;
}

/* reference 4.5 PROPOSED: through the normal transaction, before the fetch, kept if it fails */
static gboolean
prov_engine_apply_assignments(ProvEngine *self,
			      const ProvRuleAlternative *alternative,
			      GError **error)
{
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	guint n = prov_rule_alternative_get_n_assignments(alternative);

	if (n == 0)
		return TRUE;
	transaction = prov_params_transaction_new(self->params);
	for (guint i = 0; i < n; i++) {
		if (!prov_params_transaction_set(
			transaction, prov_rule_alternative_get_assignment_name(alternative, i),
			prov_rule_alternative_get_assignment_value(alternative, i),
			PROV_ACCESS_UNSET, NULL, 0, 0, error)) {
			g_prefix_error(error, "assignment: ");
			return FALSE;
		}
	}
	return prov_params_transaction_commit(transaction, error);
}

/* the server of a URL without one: the requester of a one-shot rule, else DefaultServer */
static const gchar *
prov_engine_server_for(ProvEngine *self, ProvEngineRun *run)
{
	if (run->one_shot != NULL && run->source_host != NULL)
		return run->source_host;
	return prov_engine_get_default_server(self);
}

static guint
prov_engine_default_port(const gchar *scheme)
{
	if (g_strcmp0(scheme, "tftp") == 0)
		return 69;
	if (g_strcmp0(scheme, "http") == 0)
		return 80;
	if (g_strcmp0(scheme, "https") == 0)
		return 443;
	return 0;
}

/* reference 3.3: $SCHEME, $SERV, $SERVIP, $PORT and $PATH describe the current fetch */
static void
prov_engine_set_fetch_variables(ProvEngine *self, ProvEngineRun *run, const gchar *server_ip)
{
	g_autoptr(GUri) uri = g_uri_parse(run->url, G_URI_FLAGS_ENCODED, NULL);
	gint port = uri != NULL ? g_uri_get_port(uri) : -1;
	g_autofree gchar *port_text = NULL;

	if (port < 0)
		port = (gint)prov_engine_default_port(run->scheme);
	port_text = g_strdup_printf("%d", port);
	prov_macro_set_variable(self->macro, "SCHEME", run->scheme);
	prov_macro_set_variable(self->macro, "SERV", run->host);
	prov_macro_set_variable(self->macro, "SERVIP", server_ip);
	prov_macro_set_variable(self->macro, "PORT", port_text);
	prov_macro_set_variable(self->macro, "PATH",
				prov_rule_alternative_get_path_and_query(run->alternative));
}

/* Restricted_Access_Domains: a comma-separated list of domains; empty allows any */
static gboolean
prov_engine_host_is_allowed(ProvEngine *self, const gchar *host)
{
	g_auto(GStrv) domains =
	    g_strsplit_set(prov_engine_get_value(self, "Restricted_Access_Domains"), ", ;", -1);
	gboolean restricted = FALSE;

	for (guint i = 0; domains[i] != NULL; i++) {
		const gchar *domain = domains[i][0] == '.' ? domains[i] + 1 : domains[i];
		gsize host_len = strlen(host);
		gsize domain_len = strlen(domain);

		if (domain_len == 0)
			continue;
		restricted = TRUE;
		if (g_ascii_strcasecmp(host, domain) == 0)
			return TRUE;
		if (host_len > domain_len && host[host_len - domain_len - 1] == '.' &&
		    g_ascii_strcasecmp(host + host_len - domain_len, domain) == 0)
			return TRUE;
	}
	return !restricted;
}

/*
 * The synchronous head of a rule (reference 5.3): expand, skip blank or
 * commented rules, parse, select an alternative, apply its assignments,
 * build the URL. EMPTY and FAILED end the rule; FETCH goes on to the server.
 */
static ProvEngineStep
prov_engine_rule_prepare(ProvEngine *self, ProvEngineRun *run, const gchar *text)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autofree gchar *redacted = NULL;
	ProvDevice *device = prov_config_get_device(self->config);

	if (prov_engine_text_is_blank(text))
		return prov_engine_rule_empty(run, "blank or commented out");
	run->rule = prov_engine_parse_rule(self, text, &error);
	if (run->rule == NULL)
		return prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_RULE_SYNTAX, error);
	if (prov_rule_is_empty(run->rule))
		return prov_engine_rule_empty(run, "blank or commented out");
	run->alternative = prov_rule_select(run->rule, prov_device_get_software_version(device));
	if (run->alternative == NULL)
		return prov_engine_rule_empty(run, "no alternative's condition holds");
	if (!prov_engine_apply_assignments(self, run->alternative, &error))
		return prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_RULE_SYNTAX, error);
	if (!prov_rule_alternative_has_url(run->alternative))
		return prov_engine_rule_empty(run, "the alternative has no URL");

	run->scheme = g_strdup(prov_rule_alternative_get_scheme(run->alternative));
	prov_rule_result_set_transport(run->rule_result, run->scheme);
	run->url = prov_fetch_build_url_for_server(run->alternative,
						   prov_engine_server_for(self, run), &error);
	if (run->url == NULL)
		return prov_engine_rule_fail(
		    run, prov_engine_classify_fetch_error(error, run->scheme), error);
	redacted = prov_uri_to_string_redacted(run->url);
	prov_rule_result_set_url(run->rule_result, redacted);
	uri = g_uri_parse(run->url, G_URI_FLAGS_ENCODED, NULL);
	run->host = g_strdup(uri != NULL && g_uri_get_host(uri) != NULL ? g_uri_get_host(uri) : "");
	return PROV_ENGINE_STEP_FETCH;
}

static void
prov_engine_add_timing(ProvEngine *self, ProvEngineRun *run, ProvRuleResultTiming timing)
{
	gint64 now = prov_engine_now(self);

	prov_rule_result_add_timing(run->rule_result, timing, now - run->phase_start);
	run->phase_start = now;
}

/* R34: every decode failure is "corrupt file" outside; the detail stays in the message */
static ProvEngineStep
prov_engine_rule_corrupt(ProvEngineRun *run, const GError *error)
{
	return prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_CORRUPT_FILE, error);
}

static ProvDecodeContext *
prov_engine_new_decode_context(ProvEngine *self, const ProvRuleAlternative *alternative)
{
	ProvDecodeContext *ctx = prov_decode_context_new();
	const gchar *key = prov_rule_alternative_get_key(alternative);
	guint iterations = 0;
	ProvRuleKdf kdf = prov_rule_alternative_get_kdf(alternative, &iterations);

	prov_decode_context_set_limits(ctx, prov_config_get_limits(self->config));
	prov_decode_context_set_behaviour(ctx, prov_config_get_behaviour(self->config));
	if (key != NULL)
		prov_decode_context_set_key(ctx, key, -1);
	if (kdf != PROV_RULE_KDF_AUTO)
		prov_decode_context_set_kdf(ctx, kdf, iterations);
	return ctx;
}

static GBytes *
prov_engine_decode(ProvEngine *self, ProvEngineRun *run, GBytes *data)
{
	g_autoptr(ProvDecodePipeline) pipeline = prov_decode_pipeline_new_from_loader(self->loader);
	g_autoptr(ProvDecodeContext) ctx = prov_engine_new_decode_context(self, run->alternative);
	g_autoptr(GError) error = NULL;
	GBytes *decoded;

	decoded = prov_decode_pipeline_decode(pipeline, data, ctx, &error);
	prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_DECODE);
	prov_rule_result_set_decoders(run->rule_result, prov_decode_context_get_formats(ctx));
	if (decoded == NULL) {
		prov_engine_rule_corrupt(run, error);
		return NULL;
	}
	prov_rule_result_set_decoded_bytes(run->rule_result, g_bytes_get_size(decoded));
	return decoded;
}

/*
 * reference 10: `--alias x` reads the map from GPP_x. Only XML reaches the
 * parser: the decode pipeline refuses anything else, and reference 1.4 keeps
 * the plain-text SPC syntax out of fetched profiles.
 */
static ProvProfile *
prov_engine_parse_profile(ProvEngine *self, ProvEngineRun *run, GBytes *decoded)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(prov_config_get_limits(self->config));
	g_autoptr(GError) error = NULL;
	gchar alias = prov_rule_alternative_get_alias(run->alternative);
	gsize length = 0;
	const gchar *text = g_bytes_get_data(decoded, &length);

	if (alias != '\0') {
		gchar name[] = "GPP_X";

		name[4] = g_ascii_toupper(alias);
		prov_profile_set_alias_map(profile, prov_engine_get_value(self, name));
	}
	if (!prov_profile_parse(profile, text != NULL ? text : "", length, &error)) {
		prov_rule_result_set_position(run->rule_result,
					      prov_profile_get_error_line(profile),
					      prov_profile_get_error_column(profile));
		prov_engine_rule_corrupt(run, error);
		return NULL;
	}
	return g_steal_pointer(&profile);
}

/* a MAC as 12 lower-case hex digits, whichever separators and case it was written with */
static gchar *
prov_engine_normalize_mac(const gchar *text)
{
	GString *out = g_string_new(NULL);

	for (const gchar *p = text; *p != '\0'; p++) {
		if (g_ascii_isxdigit(*p))
			g_string_append_c(out, g_ascii_tolower(*p));
		else if (*p != ':' && *p != '-' && *p != '.' && !g_ascii_isspace(*p))
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/*
 * R33: a profile may name the device it is meant for with `<Device_MAC>`
 * or `<Device_Serial>` (they are not parameters); one that names another
 * device is refused whole, so that a profile served to the wrong device
 * cannot configure it.
 */
static gboolean
prov_engine_check_binding(ProvEngine *self, const ProvAssignment *assignment, GError **error)
{
	ProvDevice *device = prov_config_get_device(self->config);
	g_autofree gchar *wanted = NULL;
	g_autofree gchar *actual = NULL;

	/* every assignment passes here: most names are told apart by their first byte */
	if (assignment->value == NULL || assignment->name[0] != 'D')
		return TRUE;
	if (g_str_equal(assignment->name, "Device_MAC")) {
		wanted = prov_engine_normalize_mac(assignment->value);
		actual = prov_engine_normalize_mac(prov_device_get_mac(device));
	} else if (g_str_equal(assignment->name, "Device_Serial")) {
		wanted = g_strstrip(g_strdup(assignment->value));
		actual = g_strdup(prov_device_get_serial(device));
	} else {
		return TRUE;
	}
	if (g_ascii_strcasecmp(wanted, actual) == 0)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
		    "%u:%u: %s: the profile is bound to another device", assignment->line,
		    assignment->column, assignment->name);
	return FALSE;
}

/* R1: one bad value fails the whole profile, and the result names where it is */
static ProvParamsTransaction *
prov_engine_build_transaction(ProvEngine *self, ProvEngineRun *run, ProvProfile *profile)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(self->params);
	g_autoptr(GError) error = NULL;
	GPtrArray *assignments = prov_profile_get_assignments(profile);

	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);

		if (!prov_engine_check_binding(self, assignment, &error) ||
		    !prov_params_transaction_set(transaction, assignment->name, assignment->value,
						 assignment->access, assignment->invalid_access,
						 assignment->line, assignment->column, &error)) {
			prov_rule_result_set_position(run->rule_result, assignment->line,
						      assignment->column);
			prov_engine_rule_corrupt(run, error);
			return NULL;
		}
	}
	if (!prov_params_transaction_validate(transaction, &error)) {
		prov_engine_rule_corrupt(run, error);
		return NULL;
	}
	return g_steal_pointer(&transaction);
}

/* R32: what a profile from an unauthenticated server must not change in hardened mode */
static gboolean
prov_engine_is_protected(ProvEngine *self, const gchar *name)
{
	const ProvParamDef *def = prov_params_lookup(self->params, name);

	if (def != NULL && prov_param_def_is_secret(def))
		return TRUE;
	return g_str_has_prefix(name, "Profile_Rule") || g_str_equal(name, "Upgrade_Rule") ||
	       g_str_equal(name, "Custom_CA_Rule");
}

/*
 * R32: the devices let plain TFTP or HTTP change rules, keys and passwords,
 * and operators bootstrap that way; by default that stays allowed with a
 * warning. In hardened mode the whole profile is refused (per R1).
 */
static gboolean
prov_engine_check_protected(ProvEngine *self,
			    ProvEngineRun *run,
			    ProvParamsTransaction *transaction)
{
	const gchar *const *changed = prov_params_transaction_get_changed(transaction);
	g_autoptr(GString) names = g_string_new(NULL);
	g_autoptr(GError) error = NULL;
	const gchar *rule_name = prov_rule_result_get_name(run->rule_result);

	if (g_strcmp0(run->scheme, "https") == 0)
		return TRUE;
	for (guint i = 0; changed[i] != NULL; i++) {
		if (!prov_engine_is_protected(self, changed[i]))
			continue;
		g_string_append_printf(names, "%s%s", names->len > 0 ? ", " : "", changed[i]);
	}
	if (names->len == 0)
		return TRUE;
	if (!prov_config_get_hardened_mode(self->config)) {
		g_warning("rule %s: a profile fetched over %s without TLS changes %s", rule_name,
			  run->scheme, names->str);
		return TRUE;
	}
	g_set_error(&error, PROV_ERROR, PROV_ERROR_INSECURE_TRANSPORT,
		    "profile fetched over %s without TLS would change %s: refused in hardened mode",
		    run->scheme, names->str);
	g_warning("rule %s: %s", rule_name, error->message);
	prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_RESTRICTED_DOMAIN, error);
	return FALSE;
}

/* R6: the result reports success only after the state is durable */
static gboolean
prov_engine_commit(ProvEngine *self, ProvEngineRun *run, ProvParamsTransaction *transaction)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) restart = g_ptr_array_new();
	const gchar *const *changed;

	if (!prov_params_transaction_commit(transaction, &error)) {
		prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_APPLY);
		prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_INTERNAL, error);
		return FALSE;
	}
	prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_APPLY);
	changed = prov_params_transaction_get_changed(transaction);
	for (guint i = 0; changed[i] != NULL; i++) {
		const ProvParamDef *def = prov_params_lookup(self->params, changed[i]);

		if (def != NULL && prov_param_def_needs_restart(def))
			g_ptr_array_add(restart, (gpointer)changed[i]);
	}
	g_ptr_array_add(restart, NULL);
	prov_resync_result_add_restart_required(run->result, (const gchar *const *)restart->pdata);
	prov_rule_result_set_counts(run->rule_result,
				    prov_params_transaction_get_n_applied(transaction),
				    prov_params_transaction_get_n_unchanged(transaction),
				    prov_params_transaction_get_n_skipped(transaction));
	prov_rule_result_set_changed(run->rule_result, changed);
	prov_rule_result_set_status(run->rule_result,
				    prov_params_transaction_is_unchanged(transaction)
					? PROV_RULE_RESULT_STATUS_UNCHANGED
					: PROV_RULE_RESULT_STATUS_SUCCESS);
	return TRUE;
}

/* decode, parse and apply as one transaction: FALSE with the rule result failed */
static gboolean
prov_engine_rule_apply(ProvEngine *self, ProvEngineRun *run, GBytes *data)
{
	g_autoptr(GBytes) decoded = NULL;
	g_autoptr(ProvProfile) profile = NULL;
	g_autoptr(ProvParamsTransaction) transaction = NULL;

	prov_rule_result_set_bytes(run->rule_result, g_bytes_get_size(data));
	decoded = prov_engine_decode(self, run, data);
	if (decoded == NULL)
		return FALSE;
	profile = prov_engine_parse_profile(self, run, decoded);
	if (profile == NULL) {
		prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_PARSE);
		return FALSE;
	}
	transaction = prov_engine_build_transaction(self, run, profile);
	prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_PARSE);
	if (transaction == NULL || !prov_engine_check_protected(self, run, transaction))
		return FALSE;
	return prov_engine_commit(self, run, transaction);
}

/*
 * Reference 2.4: Debug_Level 1-3 adds a line per rule that only the debug
 * server gets: level 1 the status and size, 2 the decoders and counts, 3
 * the timings (us), with the keys of the rule record in LastResult. The URL
 * is the one results show (credentials redacted, secrets unexpanded: R42)
 * and comes last, so that a cut at the size cap shortens it, not the figures.
 */
static void
prov_engine_debug_rule(ProvEngine *self, ProvRuleResult *rule)
{
	static const struct {
		const gchar *key;
		ProvRuleResultTiming timing;
	} timings[] = {
	    {"fetch-time", PROV_RULE_RESULT_TIMING_FETCH},
	    {"decode-time", PROV_RULE_RESULT_TIMING_DECODE},
	    {"parse-time", PROV_RULE_RESULT_TIMING_PARSE},
	    {"apply-time", PROV_RULE_RESULT_TIMING_APPLY},
	    {"duration", PROV_RULE_RESULT_TIMING_TOTAL},
	};
	g_autoptr(GString) line = NULL;
	const gchar *url = prov_rule_result_get_url(rule);
	guint64 level = 0;

	if (!g_ascii_string_to_unsigned(prov_engine_get_value(self, "Debug_Level"), 10, 1, 3,
					&level, NULL))
		return;
	line = g_string_new(NULL);
	g_string_append_printf(line, "rule %s status=%s bytes=%" G_GUINT64_FORMAT,
			       prov_rule_result_get_name(rule),
			       prov_rule_result_status_to_string(prov_rule_result_get_status(rule)),
			       prov_rule_result_get_bytes(rule));
	if (level >= 2) {
		const gchar *const *decoders = prov_rule_result_get_decoders(rule);
		g_autofree gchar *joined =
		    decoders != NULL ? g_strjoinv(",", (gchar **)decoders) : g_strdup("");

		g_string_append_printf(
		    line,
		    " decoded-bytes=%" G_GUINT64_FORMAT
		    " decoders=%s applied=%u unchanged=%u skipped=%u",
		    prov_rule_result_get_decoded_bytes(rule), joined[0] != '\0' ? joined : "none",
		    prov_rule_result_get_n_applied(rule), prov_rule_result_get_n_unchanged(rule),
		    prov_rule_result_get_n_skipped(rule));
	}
	for (guint i = 0; level >= 3 && i < G_N_ELEMENTS(timings); i++)
		g_string_append_printf(line, " %s=%" G_GUINT64_FORMAT, timings[i].key,
				       prov_rule_result_get_timing(rule, timings[i].timing));
	g_string_append_printf(line, " url=%s", url != NULL && url[0] != '\0' ? url : "none");
	prov_syslog_send_debug(self->syslog, line->str);
}

static void
prov_engine_rule_publish(ProvEngine *self, ProvEngineRun *run)
{
	prov_rule_result_add_timing(run->rule_result, PROV_RULE_RESULT_TIMING_TOTAL,
				    prov_engine_now(self) - run->rule_start);
	prov_engine_debug_rule(self, run->rule_result);
	prov_resync_result_add_rule(run->result, run->rule_result);
	g_signal_emit(self, signals[SIGNAL_RULE_FINISHED], 0, run->id, run->rule_result);
}

/* a rule that succeeded, changed nothing, was forgiven a file-not-found, or was empty */
static void
prov_engine_rule_done(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);

	if (prov_rule_result_get_status(run->rule_result) != PROV_RULE_RESULT_STATUS_EMPTY) {
		prov_engine_set_err(self, "");
		prov_syslog_log_resync(self->syslog, self->params, self->macro,
				       PROV_SYSLOG_MESSAGE_SUCCESS);
	}
	g_debug("rule %s: %s", prov_rule_result_get_name(run->rule_result),
		prov_rule_result_status_to_string(prov_rule_result_get_status(run->rule_result)));
	prov_engine_rule_publish(self, run);
	prov_engine_run_next_rule(g_steal_pointer(&task));
}

/* reference 5.3: the first failure ends the sequence; the retry starts again at Profile_Rule */
static void
prov_engine_rule_failed(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);
	const gchar *name = prov_rule_result_get_name(run->rule_result);
	g_autofree gchar *message = NULL;

	/* reference 5.4: Resync_Fails_On_FNF = No turns file-not-found (only) into success */
	if (run->not_found && !prov_engine_get_bool(self, "Resync_Fails_On_FNF", TRUE)) {
		prov_rule_result_set_status(run->rule_result, PROV_RULE_RESULT_STATUS_NOT_FOUND);
		prov_engine_rule_done(g_steal_pointer(&task));
		return;
	}
	prov_engine_set_err(self, prov_rule_result_get_error(run->rule_result));
	prov_syslog_log_resync(self->syslog, self->params, self->macro,
			       PROV_SYSLOG_MESSAGE_FAILURE);
	/* the detail may name a decode failure precisely: the debug log and D-Bus only (R34) */
	g_debug("rule %s: %s", name, prov_rule_result_get_message(run->rule_result));
	prov_engine_rule_publish(self, run);
	message = g_strdup_printf("%s: %s", name, prov_rule_result_get_message(run->rule_result));
	prov_engine_run_finish(task, PROV_RESYNC_STATUS_FAILED, self->err, message);
}

static void
prov_engine_fetch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = NULL;
	const gchar *final_uri;

	data = prov_transport_fetch_finish(PROV_TRANSPORT(source), res, &error);
	prov_engine_add_timing(self, run, PROV_RULE_RESULT_TIMING_FETCH);
	final_uri = prov_fetch_context_get_final_uri(run->fetch_ctx);
	if (final_uri != NULL) {
		g_autofree gchar *redacted = prov_uri_to_string_redacted(final_uri);

		prov_rule_result_set_final_url(run->rule_result, redacted);
	}
	if (g_cancellable_is_cancelled(run->cancellable)) {
		g_debug("resync %" G_GUINT64_FORMAT ": cancelled during the fetch", run->id);
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_CANCELLED, NULL, "cancelled");
		return;
	}
	if (data == NULL) {
		run->not_found = g_error_matches(error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
		prov_engine_rule_fail(run, prov_engine_classify_fetch_error(error, run->scheme),
				      error);
		prov_engine_rule_failed(g_steal_pointer(&task));
		return;
	}
	if (!prov_engine_rule_apply(self, run, data)) {
		prov_engine_rule_failed(g_steal_pointer(&task));
		return;
	}
	prov_engine_rule_done(g_steal_pointer(&task));
}

/* the kept copies of reference 6.2.1 belong to the state directory, when there is one */
static gchar *
prov_engine_dup_state_dir(ProvEngine *self)
{
	const gchar *state_path = prov_params_get_state_path(self->params);

	return state_path != NULL ? g_path_get_dirname(state_path) : NULL;
}

static ProvFetchContext *
prov_engine_new_fetch_context(ProvEngine *self,
			      const ProvRuleAlternative *alternative,
			      GError **error)
{
	const gchar *anchors[] = {self->custom_ca != NULL ? self->custom_ca_path : NULL, NULL};
	g_autofree gchar *state_dir = prov_engine_dup_state_dir(self);
	g_autoptr(ProvFetchContext) ctx = NULL;

	ctx = prov_fetch_new_context_full(self->config, self->params, self->macro, alternative,
					  anchors, error);
	if (ctx == NULL)
		return NULL;
	if (state_dir != NULL) {
		g_autofree gchar *cache = g_build_filename(state_dir, PROV_ENGINE_CACHE_DIR, NULL);

		if (g_mkdir_with_parents(cache, 0700) == 0)
			prov_fetch_context_set_cache_directory(ctx, cache);
		else
			g_debug("no kept copies: %s: %s", cache, g_strerror(errno));
	}
	return g_steal_pointer(&ctx);
}

/* the request message, then the fetch; failures before the fetch end the rule here */
static void
prov_engine_rule_fetch(GTask *task_in, const gchar *server_ip)
{
	g_autoptr(GTask) task = task_in;
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	prov_engine_set_fetch_variables(self, run, server_ip);
	prov_syslog_log_resync(self->syslog, self->params, self->macro,
			       PROV_SYSLOG_MESSAGE_REQUEST);
	g_info("rule %s: fetching %s", prov_rule_result_get_name(run->rule_result),
	       prov_rule_result_get_url(run->rule_result));
	if (!prov_engine_host_is_allowed(self, run->host)) {
		g_set_error(&error, PROV_ERROR, PROV_ERROR_RESTRICTED_DOMAIN,
			    "%s is outside Restricted_Access_Domains", run->host);
		prov_engine_rule_fail(run, PROV_RULE_RESULT_ERROR_RESTRICTED_DOMAIN, error);
		prov_engine_rule_failed(g_steal_pointer(&task));
		return;
	}
	run->transport = prov_fetch_create_transport(self->loader, self->config, run->url, &error);
	if (run->transport == NULL) {
		prov_engine_rule_fail(
		    run,
		    g_error_matches(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT)
			? PROV_RULE_RESULT_ERROR_UNSUPPORTED_SCHEME
			: PROV_RULE_RESULT_ERROR_INTERNAL,
		    error);
		prov_engine_rule_failed(g_steal_pointer(&task));
		return;
	}
	run->fetch_ctx = prov_engine_new_fetch_context(self, run->alternative, &error);
	if (run->fetch_ctx == NULL) {
		prov_engine_rule_fail(run, prov_engine_classify_fetch_error(error, run->scheme),
				      error);
		prov_engine_rule_failed(g_steal_pointer(&task));
		return;
	}
	run->phase_start = prov_engine_now(self);
	prov_transport_fetch_url_async(run->transport, run->url, run->fetch_ctx, run->cancellable,
				       prov_engine_fetch_cb, g_steal_pointer(&task));
}

static void
prov_engine_resolve_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *server_ip = NULL;
	GList *addresses;

	addresses = g_resolver_lookup_by_name_finish(G_RESOLVER(source), res, &error);
	if (g_cancellable_is_cancelled(run->cancellable)) {
		g_resolver_free_addresses(addresses);
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_CANCELLED, NULL, "cancelled");
		return;
	}
	/* reference 3.3 PROPOSED: $SERVIP is the host text when the lookup fails; the
	 * transport's own lookup then reports the failure */
	if (addresses != NULL)
		server_ip = g_inet_address_to_string(G_INET_ADDRESS(addresses->data));
	else
		g_debug("rule %s: %s", prov_rule_result_get_name(run->rule_result), error->message);
	g_resolver_free_addresses(addresses);
	prov_engine_rule_fetch(g_steal_pointer(&task), server_ip != NULL ? server_ip : run->host);
}

/* $SERVIP is the address the request goes to (reference 5.6, S-7) */
static void
prov_engine_rule_resolve(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvEngineRun *run = g_task_get_task_data(task);
	g_autoptr(GResolver) resolver = NULL;

	if (run->host[0] == '\0' || g_hostname_is_ip_address(run->host)) {
		prov_engine_rule_fetch(g_steal_pointer(&task), run->host);
		return;
	}
	resolver = g_resolver_get_default();
	g_resolver_lookup_by_name_async(resolver, run->host, run->cancellable,
					prov_engine_resolve_cb, g_steal_pointer(&task));
}

static void
prov_engine_run_next_rule(GTask *task_in)
{
	g_autoptr(GTask) task = task_in;
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineRun *run = g_task_get_task_data(task);
	guint n_rules = run->one_shot != NULL ? 1 : G_N_ELEMENTS(prov_engine_rule_names);
	g_autofree gchar *text = NULL;
	const gchar *name;

	prov_engine_run_clear_rule(run);
	if (g_cancellable_is_cancelled(run->cancellable)) {
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_CANCELLED, NULL, "cancelled");
		return;
	}
	if (run->index >= n_rules) {
		prov_engine_run_finish(task, PROV_RESYNC_STATUS_SUCCESS, NULL, NULL);
		return;
	}
	name =
	    run->one_shot != NULL ? PROV_RULE_RESULT_ONE_SHOT : prov_engine_rule_names[run->index];
	/* reference 5.3 PROPOSED: re-read, so that profile A may set Profile_Rule_B */
	text = g_strdup(run->one_shot != NULL ? run->one_shot : prov_engine_get_value(self, name));
	run->index++;
	run->rule_result = prov_rule_result_new(name);
	run->rule_start = prov_engine_now(self);
	run->phase_start = run->rule_start;
	switch (prov_engine_rule_prepare(self, run, text)) {
	case PROV_ENGINE_STEP_EMPTY:
		prov_engine_rule_done(g_steal_pointer(&task));
		break;
	case PROV_ENGINE_STEP_FAILED:
		prov_engine_rule_failed(g_steal_pointer(&task));
		break;
	case PROV_ENGINE_STEP_FETCH:
		prov_engine_rule_resolve(g_steal_pointer(&task));
		break;
	default:
		g_assert_not_reached();
	}
}

static void
prov_engine_set_custom_ca(ProvEngine *self, GTlsCertificate *certificate)
{
	g_set_object(&self->custom_ca, certificate);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_CUSTOM_CA_STATUS]);
}

static void
prov_engine_set_custom_ca_status(ProvEngine *self, gboolean succeeded)
{
	g_autoptr(GDateTime) when =
	    g_date_time_new_from_unix_utc(prov_clock_get_real_time(self->clock) / G_USEC_PER_SEC);

	self->custom_ca_failed = !succeeded;
	g_free(self->custom_ca_status);
	self->custom_ca_status = prov_tls_custom_ca_status(succeeded, when);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_CUSTOM_CA_STATUS]);
}

/* reference 9.3: clearing Custom_CA_Rule removes the custom CA */
static void
prov_engine_custom_ca_remove(ProvEngine *self)
{
	if (self->custom_ca_path != NULL && g_unlink(self->custom_ca_path) != 0 && errno != ENOENT)
		g_warning("custom CA %s: cannot remove: %s", self->custom_ca_path,
			  g_strerror(errno));
	self->custom_ca_failed = FALSE;
	if (self->custom_ca != NULL)
		prov_engine_set_custom_ca(self, NULL);
}

/* the CA installed by an earlier run of the daemon is trusted until a new one arrives */
static void
prov_engine_custom_ca_load(ProvEngine *self)
{
	g_autofree gchar *data = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GPtrArray) certificates = NULL;
	g_autoptr(GError) error = NULL;
	gsize length = 0;

	if (self->custom_ca_path == NULL)
		return;
	if (prov_engine_text_is_blank(prov_engine_get_value(self, "Custom_CA_Rule"))) {
		prov_engine_custom_ca_remove(self);
		return;
	}
	if (!g_file_get_contents(self->custom_ca_path, &data, &length, &error)) {
		g_debug("custom CA: %s", error->message);
		return;
	}
	bytes = g_bytes_new_take(g_steal_pointer(&data), length);
	certificates = prov_tls_certificates_new_from_bytes(bytes, &error);
	if (certificates == NULL) {
		g_warning("custom CA %s: %s", self->custom_ca_path, error->message);
		return;
	}
	prov_engine_set_custom_ca(self, g_ptr_array_index(certificates, 0));
}

static void
prov_engine_custom_ca_complete(ProvEngine *self, gboolean succeeded)
{
	g_autoptr(GPtrArray) waiters = NULL;

	g_clear_object(&self->custom_ca_cancellable);
	/* the parameter changed while the old rule was fetched: fetch the new one */
	if (self->custom_ca_again) {
		self->custom_ca_again = FALSE;
		prov_engine_custom_ca_start(self);
		return;
	}
	waiters = g_steal_pointer(&self->custom_ca_waiters);
	self->custom_ca_waiters = g_ptr_array_new_with_free_func(g_object_unref);
	for (guint i = 0; i < waiters->len; i++)
		g_task_return_boolean(g_ptr_array_index(waiters, i), succeeded);
}

static void
prov_engine_custom_ca_failed(ProvEngine *self, const gchar *reason)
{
	/* reference 9.3: a failed download keeps the previous custom CA */
	g_warning("custom CA: %s", reason);
	prov_engine_set_custom_ca_status(self, FALSE);
	prov_engine_custom_ca_complete(self, FALSE);
}

/* `--key` decrypts a CA file as it does a profile; the rest of the pipeline wants XML */
static GBytes *
prov_engine_custom_ca_decrypt(ProvEngine *self,
			      const ProvRuleAlternative *alternative,
			      GBytes *data,
			      GError **error)
{
	g_autoptr(ProvDecodeContext) ctx = NULL;
	const gchar *const *formats;

	if (prov_rule_alternative_get_key(alternative) == NULL)
		return g_bytes_ref(data);
	ctx = prov_engine_new_decode_context(self, alternative);
	/* open them first: a module refused as it opens would drop its formats mid-loop */
	prov_plugin_loader_load_all(self->loader, PROV_PLUGIN_KIND_DECODER);
	formats = prov_plugin_loader_get_names(self->loader, PROV_PLUGIN_KIND_DECODER);
	for (guint i = 0; formats[i] != NULL; i++) {
		ProvPlugin *plugin =
		    prov_plugin_loader_lookup(self->loader, PROV_PLUGIN_KIND_DECODER, formats[i]);
		ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
		g_autoptr(ProvDecoder) decoder = NULL;

		if (!prov_plugin_get_decoder_stage(plugin, formats[i], &stage) ||
		    stage != PROV_DECODER_STAGE_ENCRYPTION)
			continue;
		decoder = prov_plugin_loader_create_decoder(self->loader, formats[i], NULL);
		if (decoder != NULL && prov_decoder_probe(decoder, data))
			return prov_decoder_decode(decoder, data, ctx, error);
	}
	g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "a key was given but the data is not encrypted");
	return NULL;
}

static gboolean
prov_engine_custom_ca_install(ProvEngine *self, GBytes *data, GError **error)
{
	g_autoptr(GPtrArray) certificates = prov_tls_certificates_new_from_bytes(data, error);
	g_autofree gchar *pem = NULL;

	if (certificates == NULL)
		return FALSE;
	if (self->custom_ca_path == NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_STATE,
				    "no state directory to keep the custom CA in");
		return FALSE;
	}
	pem = prov_tls_certificates_to_pem(certificates);
	if (!g_file_set_contents_full(self->custom_ca_path, pem, -1, G_FILE_SET_CONTENTS_CONSISTENT,
				      0644, error))
		return FALSE;
	prov_engine_set_custom_ca(self, g_ptr_array_index(certificates, 0));
	return TRUE;
}

typedef struct {
	ProvRule *rule;
	const ProvRuleAlternative *alternative;
	ProvFetchContext *ctx;
} ProvEngineCustomCa;

static void
prov_engine_custom_ca_data_free(ProvEngineCustomCa *data)
{
	g_clear_object(&data->rule);
	g_clear_object(&data->ctx);
	g_free(data);
}

static void
prov_engine_custom_ca_fetch_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineCustomCa *data = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) fetched = NULL;
	g_autoptr(GBytes) decrypted = NULL;

	fetched = prov_transport_fetch_finish(PROV_TRANSPORT(source), res, &error);
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_debug("custom CA: download cancelled");
		prov_engine_custom_ca_complete(self, FALSE);
		return;
	}
	if (fetched != NULL)
		decrypted = prov_engine_custom_ca_decrypt(self, data->alternative, fetched, &error);
	if (decrypted == NULL || !prov_engine_custom_ca_install(self, decrypted, &error)) {
		prov_engine_custom_ca_failed(self, error->message);
		return;
	}
	g_info("custom CA installed from Custom_CA_Rule");
	prov_engine_set_custom_ca_status(self, TRUE);
	prov_engine_custom_ca_complete(self, TRUE);
}

/* reference 9.3 PROPOSED: rule syntax as Profile_Rule; --uid/--pwd honoured, --key decrypts */
static void
prov_engine_custom_ca_start(ProvEngine *self)
{
	const gchar *text = prov_engine_get_value(self, "Custom_CA_Rule");
	g_autoptr(GError) error = NULL;
	g_autoptr(GTask) task = NULL;
	g_autoptr(ProvTransport) transport = NULL;
	g_autofree gchar *url = NULL;
	ProvEngineCustomCa *data;

	if (prov_engine_text_is_blank(text)) {
		prov_engine_custom_ca_remove(self);
		prov_engine_custom_ca_complete(self, TRUE);
		return;
	}
	data = g_new0(ProvEngineCustomCa, 1);
	self->custom_ca_cancellable = g_cancellable_new();
	task = g_task_new(self, self->custom_ca_cancellable, NULL, NULL);
	g_task_set_task_data(task, data, (GDestroyNotify)prov_engine_custom_ca_data_free);
	data->rule = prov_engine_parse_rule(self, text, &error);
	if (data->rule != NULL)
		data->alternative = prov_rule_select(
		    data->rule,
		    prov_device_get_software_version(prov_config_get_device(self->config)));
	if (data->alternative == NULL) {
		prov_engine_custom_ca_failed(
		    self, error != NULL ? error->message : "no alternative's condition holds");
		return;
	}
	url = prov_fetch_build_url_for_server(data->alternative,
					      prov_engine_get_default_server(self), &error);
	if (url != NULL)
		transport = prov_fetch_create_transport(self->loader, self->config, url, &error);
	if (transport != NULL)
		data->ctx = prov_engine_new_fetch_context(self, data->alternative, &error);
	if (data->ctx == NULL) {
		prov_engine_custom_ca_failed(self, error->message);
		return;
	}
	prov_transport_fetch_url_async(transport, url, data->ctx, self->custom_ca_cancellable,
				       prov_engine_custom_ca_fetch_cb, g_steal_pointer(&task));
}

/* callers that need the CA wait for the download in flight rather than start another */
static void
prov_engine_custom_ca_refresh_async(ProvEngine *self,
				    GCancellable *cancellable,
				    GAsyncReadyCallback callback,
				    gpointer user_data)
{
	GTask *task = g_task_new(self, cancellable, callback, user_data);

	g_task_set_source_tag(task, prov_engine_custom_ca_refresh_async);
	g_ptr_array_add(self->custom_ca_waiters, task);
	if (self->custom_ca_cancellable == NULL)
		prov_engine_custom_ca_start(self);
}

static void
prov_engine_custom_ca_refreshed_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_task_propagate_boolean(G_TASK(res), NULL);
}

/* a new Custom_CA_Rule replaces a download of the old one */
static void
prov_engine_custom_ca_changed(ProvEngine *self)
{
	if (self->custom_ca_cancellable != NULL) {
		self->custom_ca_again = TRUE;
		g_cancellable_cancel(self->custom_ca_cancellable);
		return;
	}
	prov_engine_custom_ca_refresh_async(self, NULL, prov_engine_custom_ca_refreshed_cb, NULL);
}

/**
 * prov_engine_dup_custom_ca_status:
 * @self: a #ProvEngine
 *
 * Returns: (transfer full): "Custom CA Provisioning Status" of reference
 *   9.3: `Last provisioning succeeded on MM/DD/YYYY HH:MM:SS`, `Last
 *   provisioning failed on …`, or empty before the first attempt
 *
 * Since: 0.1
 */
gchar *
prov_engine_dup_custom_ca_status(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return g_strdup(self->custom_ca_status != NULL ? self->custom_ca_status : "");
}

/**
 * prov_engine_dup_custom_ca_info:
 * @self: a #ProvEngine
 *
 * Returns: (transfer full): "Custom CA Info" of reference 9.3: `Installed -
 *   CN` of the first certificate, or `Not Installed`
 *
 * Since: 0.1
 */
gchar *
prov_engine_dup_custom_ca_info(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return prov_tls_custom_ca_info(self->custom_ca);
}

static void
prov_engine_append_element(GString *out, const gchar *name, const gchar *ua, const gchar *value)
{
	g_autofree gchar *escaped = g_markup_escape_text(value, -1);

	if (ua != NULL)
		g_string_append_printf(out, "  <%s ua=\"%s\">%s</%s>\n", name, ua, escaped, name);
	else
		g_string_append_printf(out, "  <%s>%s</%s>\n", name, escaped, name);
}

/*
 * reference 9.1 PROPOSED: every parameter in schema order with its ua, as a
 * flat profile the server could send back; secrets are left out (trap 28).
 * @names: with --delta, the names changed since the last report; NULL for all
 */
static GBytes *
prov_engine_build_report(ProvEngine *self, GHashTable *names)
{
	g_autoptr(GPtrArray) defs = prov_params_get_definitions(self->params);
	GString *out = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n");

	for (guint i = 0; i < defs->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(defs, i);
		const gchar *name = prov_param_def_get_name(def);

		if (prov_param_def_is_secret(def) ||
		    (names != NULL && !g_hash_table_contains(names, name)))
			continue;
		prov_engine_append_element(
		    out, prov_param_def_get_export_name(def),
		    prov_access_to_string(prov_params_get_access(self->params, name)),
		    prov_params_get_value(self->params, name));
	}
	g_string_append(out, "</flat-profile>\n");
	return g_string_free_to_bytes(out);
}

/* reference 9.1 `--status`: the device's status page, as far as provisiond keeps one */
static GBytes *
prov_engine_build_status_report(ProvEngine *self)
{
	ProvDevice *device = prov_config_get_device(self->config);
	GString *out = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<status>\n");
	g_autofree gchar *prvst = g_strdup_printf("%d", self->prvst);
	g_autofree gchar *ca_status = prov_engine_dup_custom_ca_status(self);
	g_autofree gchar *ca_info = prov_engine_dup_custom_ca_info(self);
	const gchar *last =
	    self->last_result != NULL
		? prov_resync_status_to_string(prov_resync_result_get_status(self->last_result))
		: "";

	prov_engine_append_element(out, "Product_Name", NULL, prov_device_get_product_name(device));
	prov_engine_append_element(out, "Serial_Number", NULL, prov_device_get_serial(device));
	prov_engine_append_element(out, "MAC_Address", NULL, prov_device_get_mac(device));
	prov_engine_append_element(out, "Software_Version", NULL,
				   prov_device_get_software_version(device));
	prov_engine_append_element(out, "Provisioning_State", NULL, prvst);
	prov_engine_append_element(out, "Provisioning_Error", NULL, self->err);
	prov_engine_append_element(out, "Last_Resync_Status", NULL, last);
	prov_engine_append_element(out, "Custom_CA_Status", NULL, ca_status);
	prov_engine_append_element(out, "Custom_CA_Info", NULL, ca_info);
	g_string_append(out, "</status>\n");
	return g_string_free_to_bytes(out);
}

/* reference 9.1: `--key` encrypts the report exactly like an encrypted profile */
static GBytes *
prov_engine_encrypt_report(ProvEngine *self,
			   const ProvRuleAlternative *alternative,
			   GBytes *report,
			   GError **error)
{
	g_autoptr(ProvDecodeContext) ctx = prov_engine_new_decode_context(self, alternative);
	const gchar *const *formats;

	/* open them first: a module refused as it opens would drop its formats mid-loop */
	prov_plugin_loader_load_all(self->loader, PROV_PLUGIN_KIND_DECODER);
	formats = prov_plugin_loader_get_names(self->loader, PROV_PLUGIN_KIND_DECODER);
	for (guint i = 0; formats[i] != NULL; i++) {
		ProvPlugin *plugin =
		    prov_plugin_loader_lookup(self->loader, PROV_PLUGIN_KIND_DECODER, formats[i]);
		ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
		g_autoptr(ProvDecoder) decoder = NULL;

		if (!prov_plugin_get_decoder_stage(plugin, formats[i], &stage) ||
		    stage != PROV_DECODER_STAGE_ENCRYPTION)
			continue;
		decoder = prov_plugin_loader_create_decoder(self->loader, formats[i], NULL);
		if (decoder != NULL && prov_decoder_can_encode(decoder))
			return prov_decoder_encode(decoder, report, ctx, error);
	}
	g_set_error_literal(error, PROV_ERROR, PROV_ERROR_FAILED,
			    "--key: no decoder plugin can encrypt the report");
	return NULL;
}

typedef struct {
	ProvRule *rule;
	ProvTransport *transport;
	ProvFetchContext *ctx;
	/* the changes this report carries, forgotten once it is delivered */
	GPtrArray *reported;
} ProvEngineReport;

static void
prov_engine_report_free(ProvEngineReport *report)
{
	g_clear_object(&report->rule);
	g_clear_object(&report->transport);
	g_clear_object(&report->ctx);
	g_clear_pointer(&report->reported, g_ptr_array_unref);
	g_free(report);
}

static void
prov_engine_report_upload_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvEngine *self = g_task_get_source_object(task);
	ProvEngineReport *report = g_task_get_task_data(task);
	g_autoptr(GError) error = NULL;

	if (!prov_transport_upload_finish(PROV_TRANSPORT(source), res, &error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	/* reference 9.1: each --delta report holds only what changed since the previous one */
	for (guint i = 0; i < report->reported->len; i++)
		g_hash_table_remove(self->report_delta, g_ptr_array_index(report->reported, i));
	g_task_return_boolean(task, TRUE);
}

static const ProvRuleAlternative *
prov_engine_report_select(ProvEngine *self, ProvEngineReport *report, GError **error)
{
	g_autofree gchar *expanded =
	    prov_macro_expand_rule(self->macro, prov_engine_get_value(self, "Report_Rule"));
	const ProvRuleAlternative *alternative;

	/* reference 9.1 PROPOSED: the trailing `;` of the 88-AG-REP examples is ignored */
	g_strstrip(expanded);
	while (g_str_has_suffix(expanded, ";"))
		expanded[strlen(expanded) - 1] = '\0';
	if (prov_engine_text_is_blank(expanded)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "Report_Rule is empty: nowhere to report to");
		return NULL;
	}
	report->rule = prov_rule_new_from_string(expanded, error);
	if (report->rule == NULL) {
		g_prefix_error(error, "Report_Rule: ");
		return NULL;
	}
	alternative = prov_rule_select(
	    report->rule, prov_device_get_software_version(prov_config_get_device(self->config)));
	if (alternative == NULL || !prov_rule_alternative_has_url(alternative)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "Report_Rule: no alternative with a URL holds");
		return NULL;
	}
	return alternative;
}

static GBytes *
prov_engine_report_content(ProvEngine *self,
			   ProvEngineReport *report,
			   const ProvRuleAlternative *alternative,
			   GError **error)
{
	g_autoptr(GBytes) body = NULL;
	GHashTableIter iter;
	gpointer name;

	g_hash_table_iter_init(&iter, self->report_delta);
	while (g_hash_table_iter_next(&iter, &name, NULL))
		g_ptr_array_add(report->reported, g_strdup(name));
	if (prov_rule_alternative_get_status(alternative))
		body = prov_engine_build_status_report(self);
	else
		body = prov_engine_build_report(
		    self, prov_rule_alternative_get_delta(alternative) ? self->report_delta : NULL);
	if (prov_rule_alternative_get_key(alternative) == NULL)
		return g_steal_pointer(&body);
	return prov_engine_encrypt_report(self, alternative, body, error);
}

/**
 * prov_engine_report_async:
 * @self: a #ProvEngine
 * @cancellable: (nullable): cancels the upload
 * @callback: called once, when the report is delivered or failed
 * @user_data: data for @callback
 *
 * Uploads a configuration report to `Report_Rule` (reference 9.1): a flat
 * profile with every parameter in schema order and its `ua`, secrets left
 * out; with `--delta` only the parameters changed since the last delivered
 * report; with `--status` the status data; with `--key` encrypted like an
 * encrypted profile (openssl `enc` format). TFTP writes it (WRQ); HTTP and
 * HTTPS send it with `HTTP_Report_Method` (POST or PUT). One attempt, no
 * retry.
 *
 * Since: 0.1
 */
void
prov_engine_report_async(ProvEngine *self,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GUri) uri = NULL;
	g_autofree gchar *url = NULL;
	ProvEngineReport *report = g_new0(ProvEngineReport, 1);
	const ProvRuleAlternative *alternative;

	g_return_if_fail(PROV_IS_ENGINE(self));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, prov_engine_report_async);
	report->reported = g_ptr_array_new_with_free_func(g_free);
	g_task_set_task_data(task, report, (GDestroyNotify)prov_engine_report_free);
	alternative = prov_engine_report_select(self, report, &error);
	if (alternative != NULL)
		url = prov_fetch_build_url_for_server(alternative,
						      prov_engine_get_default_server(self), &error);
	if (url != NULL)
		report->transport =
		    prov_fetch_create_transport(self->loader, self->config, url, &error);
	if (report->transport != NULL && !prov_transport_can_upload(report->transport))
		g_set_error(&error, PROV_ERROR, PROV_ERROR_FAILED,
			    "the %s transport cannot upload reports",
			    prov_rule_alternative_get_scheme(alternative));
	if (error == NULL)
		report->ctx = prov_engine_new_fetch_context(self, alternative, &error);
	if (report->ctx != NULL)
		body = prov_engine_report_content(self, report, alternative, &error);
	if (body == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	prov_fetch_context_set_post_body(report->ctx, NULL);
	prov_fetch_context_set_upload_method(report->ctx,
					     prov_engine_get_value(self, "HTTP_Report_Method"));
	prov_fetch_context_set_content_type(report->ctx,
					    prov_rule_alternative_get_key(alternative) != NULL
						? "application/octet-stream"
						: "text/xml");
	uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, &error);
	if (uri == NULL) {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					"Report_Rule: invalid URL");
		return;
	}
	{
		g_autofree gchar *redacted = prov_uri_to_string_redacted(url);

		g_info("report to %s", redacted);
	}
	prov_transport_upload_async(report->transport, uri, report->ctx, body, cancellable,
				    prov_engine_report_upload_cb, g_steal_pointer(&task));
}

/**
 * prov_engine_report_finish:
 * @self: a #ProvEngine
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Completes prov_engine_report_async().
 *
 * Returns: %TRUE when the report was delivered
 *
 * Since: 0.1
 */
gboolean
prov_engine_report_finish(ProvEngine *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	return g_task_propagate_boolean(G_TASK(result), error);
}

/* R23: at most PROV_ENGINE_TRIGGER_RATE accepted triggers per source host and second */
static gboolean
prov_engine_rate_allows(ProvEngine *self, const gchar *source, GError **error)
{
	gint64 now = prov_engine_now(self);
	ProvEngineRate *rate;

	rate = g_hash_table_lookup(self->trigger_rates, source);
	if (rate != NULL && now - rate->window_start >= G_USEC_PER_SEC) {
		rate->window_start = now;
		rate->count = 0;
	}
	if (rate == NULL || rate->count < PROV_ENGINE_TRIGGER_RATE)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
		    "more than %u requests per second from one source", PROV_ENGINE_TRIGGER_RATE);
	return FALSE;
}

static gboolean
prov_engine_rate_is_stale(gpointer key, gpointer value, gpointer user_data)
{
	const ProvEngineRate *rate = value;

	return *(const gint64 *)user_data - rate->window_start >= G_USEC_PER_SEC;
}

static void
prov_engine_rate_count(ProvEngine *self, const gchar *source)
{
	gint64 now = prov_engine_now(self);
	ProvEngineRate *rate;

	if (g_hash_table_size(self->trigger_rates) >= PROV_ENGINE_TRIGGER_SOURCES_MAX)
		g_hash_table_foreach_remove(self->trigger_rates, prov_engine_rate_is_stale, &now);
	rate = g_hash_table_lookup(self->trigger_rates, source);
	if (rate == NULL) {
		rate = g_new0(ProvEngineRate, 1);
		rate->window_start = now;
		g_hash_table_insert(self->trigger_rates, g_strdup(source), rate);
	}
	rate->count++;
}

static void
prov_engine_report_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (!prov_engine_report_finish(PROV_ENGINE(source), res, &error))
		g_warning("report: %s", error->message);
}

typedef struct {
	ProvEngine *self;
	gchar *key;
	gchar *rule;
	gchar *source;
	gint64 last_start;
	guint timer_id;
} ProvEngineHoldoff;

static void
prov_engine_holdoff_free(ProvEngineHoldoff *holdoff)
{
	if (holdoff->timer_id != 0)
		prov_clock_remove(holdoff->self->clock, holdoff->timer_id);
	g_free(holdoff->key);
	g_free(holdoff->rule);
	g_free(holdoff->source);
	g_free(holdoff);
}

static gboolean
prov_engine_holdoff_is_idle(gpointer key, gpointer value, gpointer user_data)
{
	const ProvEngineHoldoff *holdoff = value;

	return holdoff->timer_id == 0 &&
	       *(const gint64 *)user_data - holdoff->last_start >= PROV_ENGINE_TRIGGER_HOLDOFF;
}

/* the hold-off ended: the requests that joined it become one resync */
static gboolean
prov_engine_holdoff_expired_cb(gpointer user_data)
{
	ProvEngineHoldoff *holdoff = user_data;
	ProvEngine *self = holdoff->self;
	g_autoptr(GError) error = NULL;

	holdoff->timer_id = 0;
	holdoff->last_start = prov_clock_get_monotonic_time(self->clock);
	if (!prov_engine_request_resync(self, holdoff->rule, holdoff->source, NULL, &error))
		g_message("deferred trigger resync: %s", error->message);
	return G_SOURCE_REMOVE;
}

/*
 * R23: 1,000 valid triggers in 10 s cause at most two resyncs, one running
 * and one coalesced: the rate limit alone would still let ten a second through
 */
static gboolean
prov_engine_request_trigger_resync(ProvEngine *self,
				   const gchar *rule,
				   const gchar *source,
				   const gchar *source_host,
				   GError **error)
{
	gint64 now = prov_clock_get_monotonic_time(self->clock);
	g_autofree gchar *key = g_strconcat(rule != NULL ? rule : "", "\n",
					    source_host != NULL ? source_host : "", NULL);
	ProvEngineHoldoff *holdoff = g_hash_table_lookup(self->trigger_holdoffs, key);

	if (holdoff != NULL && holdoff->timer_id != 0)
		return TRUE;
	if (holdoff != NULL && now - holdoff->last_start < PROV_ENGINE_TRIGGER_HOLDOFF) {
		/* a bad rule is refused now, not when the hold-off ends */
		if (!prov_engine_is_enabled(self)) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_DISABLED,
					    "Provision_Enable is No: resyncs are disabled");
			return FALSE;
		}
		if (rule != NULL && !prov_engine_check_one_shot(self, rule, error))
			return FALSE;
		g_debug("trigger resync deferred by the hold-off");
		holdoff->timer_id = prov_clock_add_timeout(
		    self->clock, holdoff->last_start + PROV_ENGINE_TRIGGER_HOLDOFF - now,
		    prov_engine_holdoff_expired_cb, holdoff, NULL);
		return TRUE;
	}
	if (holdoff == NULL) {
		if (g_hash_table_size(self->trigger_holdoffs) >= PROV_ENGINE_TRIGGER_DEFERRED_MAX)
			g_hash_table_foreach_remove(self->trigger_holdoffs,
						    prov_engine_holdoff_is_idle, &now);
		if (g_hash_table_size(self->trigger_holdoffs) >= PROV_ENGINE_TRIGGER_DEFERRED_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "%u different trigger requests already wait",
				    PROV_ENGINE_TRIGGER_DEFERRED_MAX);
			return FALSE;
		}
		holdoff = g_new0(ProvEngineHoldoff, 1);
		holdoff->self = self;
		holdoff->key = g_strdup(key);
		holdoff->rule = g_strdup(rule);
		holdoff->source = g_strdup(source);
		g_hash_table_insert(self->trigger_holdoffs, holdoff->key, holdoff);
	}
	if (!prov_engine_request_resync(self, rule, source, NULL, error))
		return FALSE;
	holdoff->last_start = now;
	return TRUE;
}

/* reference 7: what an authenticated remote trigger may ask for */
static gboolean
prov_engine_host_act(ProvEngine *self,
		     ProvTriggerAction action,
		     const gchar *argument,
		     const gchar *source,
		     GError **error)
{
	g_autofree gchar *reason = NULL;

	switch (action) {
	case PROV_TRIGGER_ACTION_RESYNC: {
		g_autofree gchar *source_host = prov_engine_source_to_host(source);

		return prov_engine_request_trigger_resync(
		    self, argument != NULL && argument[0] != '\0' ? argument : NULL, source,
		    source_host, error);
	}
	case PROV_TRIGGER_ACTION_REBOOT:
	case PROV_TRIGGER_ACTION_RESTART:
		/* provisiond never reboots the system itself: whoever listens decides when */
		reason = argument != NULL && argument[0] != '\0'
			     ? g_strdup(argument)
			     : g_strdup_printf("%s requested by %s",
					       prov_trigger_action_to_string(action),
					       source != NULL ? source : "a trigger");
		g_info("%s", reason);
		g_signal_emit(self, signals[SIGNAL_REBOOT_REQUESTED], 0, reason);
		return TRUE;
	case PROV_TRIGGER_ACTION_REPORT:
		if (prov_engine_text_is_blank(prov_engine_get_value(self, "Report_Rule"))) {
			g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					    "Report_Rule is empty: nowhere to report to");
			return FALSE;
		}
		prov_engine_report_async(self, NULL, prov_engine_report_done_cb, NULL);
		return TRUE;
	default:
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT, "unknown action %d",
			    action);
		return FALSE;
	}
}

static gboolean
prov_engine_host_request(ProvTriggerHost *host,
			 ProvTriggerAction action,
			 const gchar *argument,
			 const gchar *source,
			 GError **error)
{
	ProvEngine *self = PROV_ENGINE(host);
	g_autofree gchar *source_host = prov_engine_source_to_host(source);
	/* the host, not its port: a caller cannot buy a new budget with a new socket */
	const gchar *key = source_host != NULL ? source_host : "";

	if (!prov_engine_rate_allows(self, key, error))
		return FALSE;
	if (!prov_engine_host_act(self, action, argument, source, error))
		return FALSE;
	prov_engine_rate_count(self, key);
	return TRUE;
}

static ProvConfig *
prov_engine_host_get_config(ProvTriggerHost *host)
{
	return PROV_ENGINE(host)->config;
}

static ProvParams *
prov_engine_host_get_params(ProvTriggerHost *host)
{
	return PROV_ENGINE(host)->params;
}

static void
prov_engine_trigger_host_iface_init(ProvTriggerHostInterface *iface)
{
	iface->request = prov_engine_host_request;
	iface->get_config = prov_engine_host_get_config;
	iface->get_params = prov_engine_host_get_params;
}

/* a trigger registered as NAME (or NAME-trigger) runs when the config has `[NAME-trigger]` */
static gchar *
prov_engine_trigger_group(const gchar *name)
{
	if (g_str_has_suffix(name, "-trigger"))
		return g_strdup(name);
	return g_strconcat(name, "-trigger", NULL);
}

static void
prov_engine_start_triggers(ProvEngine *self)
{
	const gchar *const *names =
	    prov_plugin_loader_get_names(self->loader, PROV_PLUGIN_KIND_TRIGGER);
	GKeyFile *key_file = prov_config_get_key_file(self->config);

	for (guint i = 0; names[i] != NULL; i++) {
		g_autofree gchar *group = prov_engine_trigger_group(names[i]);
		g_autoptr(ProvTrigger) trigger = NULL;
		g_autoptr(GError) error = NULL;

		if (key_file == NULL || !g_key_file_has_group(key_file, group)) {
			g_debug("trigger %s: no [%s] group, not started", names[i], group);
			continue;
		}
		trigger = prov_plugin_loader_create_trigger(self->loader, names[i], &error);
		if (trigger == NULL ||
		    !prov_trigger_start(trigger, PROV_TRIGGER_HOST(self), &error)) {
			/* the daemon keeps running without the channel, as without a plugin */
			g_warning("trigger %s: %s", names[i], error->message);
			continue;
		}
		g_info("trigger %s started", names[i]);
		g_ptr_array_add(self->triggers, g_steal_pointer(&trigger));
		g_ptr_array_add(self->trigger_names, g_strdup(names[i]));
	}
}

static void
prov_engine_stop_triggers(ProvEngine *self)
{
	for (guint i = 0; i < self->triggers->len; i++)
		prov_trigger_stop(g_ptr_array_index(self->triggers, i));
	g_ptr_array_set_size(self->triggers, 0);
	g_ptr_array_set_size(self->trigger_names, 0);
}

/**
 * prov_engine_start:
 * @self: a #ProvEngine
 *
 * Starts the engine as at boot: the scheduler (with `Resync_On_Reset` the
 * first resync follows after the random delay), the custom CA download of
 * `Custom_CA_Rule`, and each trigger plugin whose config group
 * (`[http-trigger]`, `[sip-trigger]`) is present. Requests queued before
 * run now.
 *
 * Since: 0.1
 */
void
prov_engine_start(ProvEngine *self)
{
	g_return_if_fail(PROV_IS_ENGINE(self));

	if (self->started)
		return;
	self->started = TRUE;
	if (!self->scheduler_started) {
		self->scheduler_started = TRUE;
		prov_scheduler_start(self->scheduler);
	}
	prov_engine_custom_ca_load(self);
	if (!prov_engine_text_is_blank(prov_engine_get_value(self, "Custom_CA_Rule")))
		prov_engine_custom_ca_refresh_async(self, NULL, prov_engine_custom_ca_refreshed_cb,
						    NULL);
	prov_engine_start_triggers(self);
	if (self->triggers->len > 0)
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_TRIGGERS]);
	if (self->deferred && self->run_task == NULL) {
		self->deferred = FALSE;
		prov_engine_start_scheduled(self, self->deferred_prvst);
	}
	prov_engine_update_state(self);
}

/**
 * prov_engine_stop:
 * @self: a #ProvEngine
 *
 * Stops the triggers and cancels the running resync and custom CA
 * download. A cancelled resync ends with status "cancelled": profiles it
 * had already committed stay applied, nothing else changes. Resyncs that
 * fall due while stopped wait for prov_engine_start().
 *
 * Since: 0.1
 */
void
prov_engine_stop(ProvEngine *self)
{
	g_return_if_fail(PROV_IS_ENGINE(self));

	self->started = FALSE;
	/* deferred trigger resyncs die with the triggers that asked for them */
	g_hash_table_remove_all(self->trigger_holdoffs);
	if (self->triggers->len > 0) {
		prov_engine_stop_triggers(self);
		g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_TRIGGERS]);
	}
	if (self->run_task != NULL) {
		ProvEngineRun *run = g_task_get_task_data(self->run_task);
		/* the resync may end inside the cancellation and take its data along */
		g_autoptr(GCancellable) cancellable = g_object_ref(run->cancellable);

		g_debug("resync %" G_GUINT64_FORMAT ": cancelling", run->id);
		g_cancellable_cancel(cancellable);
	}
	if (self->custom_ca_cancellable != NULL) {
		g_autoptr(GCancellable) cancellable = g_object_ref(self->custom_ca_cancellable);

		self->custom_ca_again = FALSE;
		g_cancellable_cancel(cancellable);
	}
}

/**
 * prov_engine_set_busy:
 * @self: a #ProvEngine
 * @busy: whether a line is in use
 *
 * Tells the scheduler (reference 5.2.4) and keeps the engine's state
 * ("pending" while a due resync waits) up to date.
 *
 * Since: 0.1
 */
void
prov_engine_set_busy(ProvEngine *self, gboolean busy)
{
	g_return_if_fail(PROV_IS_ENGINE(self));
	prov_scheduler_set_busy(self->scheduler, busy);
	prov_engine_update_state(self);
}

/**
 * prov_engine_get_state:
 * @self: a #ProvEngine
 *
 * Returns: whether a resync runs, waits, or neither
 *
 * Since: 0.1
 */
ProvEngineState
prov_engine_get_state(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), PROV_ENGINE_STATE_IDLE);
	return self->state;
}

/**
 * prov_engine_get_prvst:
 * @self: a #ProvEngine
 *
 * Returns: `$PRVST`: the cause of the current or last resync that ran
 *   (reference 5.5); 0 before the first
 *
 * Since: 0.1
 */
gint
prov_engine_get_prvst(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), 0);
	return self->prvst;
}

/**
 * prov_engine_get_err:
 * @self: a #ProvEngine
 *
 * Returns: `$ERR`: the outcome text of the last fetch (reference 5.5),
 *   empty after a success
 *
 * Since: 0.1
 */
const gchar *
prov_engine_get_err(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->err;
}

/**
 * prov_engine_dup_provisioning_state:
 * @self: a #ProvEngine
 *
 * Returns: (transfer floating): the D-Bus `ProvisioningState` record:
 *   "prvst" (i), "err" (s) and "history" (aa{sv}, newest first)
 *
 * Since: 0.1
 */
GVariant *
prov_engine_dup_provisioning_state(ProvEngine *self)
{
	GVariantBuilder builder;
	GVariantBuilder history;

	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);

	g_variant_builder_init(&history, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < self->history->len; i++)
		g_variant_builder_add_value(&history, prov_resync_result_to_history_variant(
							  g_ptr_array_index(self->history, i)));
	g_variant_builder_init(&builder, G_VARIANT_TYPE_VARDICT);
	g_variant_builder_add(&builder, "{sv}", "prvst", g_variant_new_int32(self->prvst));
	g_variant_builder_add(&builder, "{sv}", "err", g_variant_new_string(self->err));
	g_variant_builder_add(&builder, "{sv}", "history", g_variant_builder_end(&history));
	return g_variant_builder_end(&builder);
}

/**
 * prov_engine_get_last_result:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none) (nullable): the outcome of the last resync,
 *   %NULL before the first
 *
 * Since: 0.1
 */
ProvResyncResult *
prov_engine_get_last_result(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->last_result;
}

/**
 * prov_engine_get_history:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none) (element-type ProvResyncResult): the last three
 *   results, newest first (reference 5.5)
 *
 * Since: 0.1
 */
GPtrArray *
prov_engine_get_history(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->history;
}

/**
 * prov_engine_get_last_success_time:
 * @self: a #ProvEngine
 *
 * Returns: the wall time in microseconds of the end of the last successful
 *   resync, 0 before the first
 *
 * Since: 0.1
 */
gint64
prov_engine_get_last_success_time(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), 0);
	return self->last_success_time;
}

/**
 * prov_engine_get_next_resync_time:
 * @self: a #ProvEngine
 *
 * Returns: the wall time in microseconds (whole seconds) when the next
 *   scheduled resync is due, 0 when none is scheduled
 *
 * Since: 0.1
 */
gint64
prov_engine_get_next_resync_time(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), 0);
	return self->next_resync_time;
}

/**
 * prov_engine_get_default_server:
 * @self: a #ProvEngine
 *
 * Returns: (nullable): the server of a rule without a host: the one set
 *   with prov_engine_set_default_server(), else `[daemon] DefaultServer`,
 *   else %NULL
 *
 * Since: 0.1
 */
const gchar *
prov_engine_get_default_server(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	if (self->default_server != NULL)
		return self->default_server;
	return prov_config_get_daemon_value(self->config, "DefaultServer");
}

/**
 * prov_engine_set_default_server:
 * @self: a #ProvEngine
 * @server: (nullable): `host` or `host:port` (`[v6]:port` for IPv6), as
 *   DHCP option 66, 150 or 160 gives it; %NULL or empty returns to
 *   `[daemon] DefaultServer`
 * @error: return location for a #GError
 *
 * Sets the server that a rule without a host fetches from, as a DHCP hook
 * learns it; #ProvEngine:default-server is notified.
 *
 * Returns: %FALSE with %PROV_ERROR_INVALID_ARGUMENT when @server is malformed
 *
 * Since: 0.1
 */
gboolean
prov_engine_set_default_server(ProvEngine *self, const gchar *server, GError **error)
{
	g_autofree gchar *host = NULL;
	g_autofree gchar *value = NULL;
	guint16 port = 0;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(PROV_IS_ENGINE(self), FALSE);

	value = g_strstrip(g_strdup(server != NULL ? server : ""));
	if (!prov_syslog_parse_host_port(value, &host, &port, &error_local)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "default server %s is not host[:port]", value);
		return FALSE;
	}
	if (value[0] == '\0')
		g_clear_pointer(&value, g_free);
	if (g_strcmp0(value, self->default_server) == 0)
		return TRUE;
	g_free(self->default_server);
	self->default_server = g_steal_pointer(&value);
	g_object_notify_by_pspec(G_OBJECT(self), properties[PROP_DEFAULT_SERVER]);
	return TRUE;
}

/**
 * prov_engine_get_config:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the configuration
 *
 * Since: 0.1
 */
ProvConfig *
prov_engine_get_config(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->config;
}

/**
 * prov_engine_get_params:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the parameters
 *
 * Since: 0.1
 */
ProvParams *
prov_engine_get_params(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->params;
}

/**
 * prov_engine_get_macro:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the macro expander, with the state variables
 *   of reference 5.5 ($PRVST, $ERR, $PRVTMR, $SCHEME, ...)
 *
 * Since: 0.1
 */
ProvMacro *
prov_engine_get_macro(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->macro;
}

/**
 * prov_engine_get_scheduler:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the scheduler
 *
 * Since: 0.1
 */
ProvScheduler *
prov_engine_get_scheduler(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->scheduler;
}

/**
 * prov_engine_get_syslog:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the syslog client
 *
 * Since: 0.1
 */
ProvSyslog *
prov_engine_get_syslog(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->syslog;
}

/**
 * prov_engine_get_plugin_loader:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none): the plugin loader
 *
 * Since: 0.1
 */
ProvPluginLoader *
prov_engine_get_plugin_loader(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->loader;
}

/**
 * prov_engine_get_triggers:
 * @self: a #ProvEngine
 *
 * Returns: (transfer none) (element-type ProvTrigger): the triggers that
 *   started
 *
 * Since: 0.1
 */
GPtrArray *
prov_engine_get_triggers(ProvEngine *self)
{
	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);
	return self->triggers;
}

/**
 * prov_engine_dup_triggers_variant:
 * @self: a #ProvEngine
 *
 * The D-Bus `Triggers` property: one `a{sv}` record per started trigger,
 * "name" (s, the name the plugin registered it under) and "addresses" (as,
 * prov_trigger_dup_addresses()). The #ProvEngine:triggers property is
 * notified when triggers start or stop.
 *
 * Returns: (transfer floating): the `aa{sv}` records
 *
 * Since: 0.1
 */
GVariant *
prov_engine_dup_triggers_variant(ProvEngine *self)
{
	GVariantBuilder builder;

	g_return_val_if_fail(PROV_IS_ENGINE(self), NULL);

	g_variant_builder_init(&builder, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < self->triggers->len; i++) {
		g_auto(GStrv) addresses =
		    prov_trigger_dup_addresses(g_ptr_array_index(self->triggers, i));

		g_variant_builder_open(&builder, G_VARIANT_TYPE("a{sv}"));
		g_variant_builder_add(
		    &builder, "{sv}", "name",
		    g_variant_new_string(g_ptr_array_index(self->trigger_names, i)));
		g_variant_builder_add(&builder, "{sv}", "addresses",
				      g_variant_new_strv((const gchar *const *)addresses, -1));
		g_variant_builder_close(&builder);
	}
	return g_variant_builder_end(&builder);
}

static void
prov_engine_configure_syslog(ProvEngine *self)
{
	g_autoptr(GError) error = NULL;

	if (!prov_syslog_configure(self->syslog, self->params, self->macro, &error))
		g_warning("syslog: %s", error->message);
}

static void
prov_engine_params_changed_cb(ProvParams *params, GStrv names, gpointer user_data)
{
	ProvEngine *self = PROV_ENGINE(user_data);
	gboolean syslog = FALSE;
	gboolean custom_ca = FALSE;

	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		g_hash_table_add(self->report_delta, g_strdup(names[i]));
		if (g_str_equal(names[i], "Syslog_Server") ||
		    g_str_equal(names[i], "Debug_Server") ||
		    g_str_equal(names[i], "Syslog_Identifier"))
			syslog = TRUE;
		else if (g_str_equal(names[i], "Custom_CA_Rule"))
			custom_ca = TRUE;
	}
	if (syslog)
		prov_engine_configure_syslog(self);
	/* reference 9.3: the download runs whenever the parameter changes */
	if (custom_ca && self->started)
		prov_engine_custom_ca_changed(self);
	prov_engine_update_state(self);
}

static void
prov_engine_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	ProvEngine *self = PROV_ENGINE(object);

	switch (prop_id) {
	case PROP_STATE:
		g_value_set_enum(value, self->state);
		break;
	case PROP_LAST_RESULT:
		g_value_set_object(value, self->last_result);
		break;
	case PROP_NEXT_RESYNC_TIME:
		g_value_set_int64(value, self->next_resync_time);
		break;
	case PROP_LAST_SUCCESS_TIME:
		g_value_set_int64(value, self->last_success_time);
		break;
	case PROP_DEFAULT_SERVER:
		g_value_set_string(value, prov_engine_get_default_server(self));
		break;
	case PROP_CUSTOM_CA_STATUS:
		g_value_take_string(value, prov_engine_dup_custom_ca_status(self));
		break;
	case PROP_TRIGGERS:
		g_value_take_variant(value, prov_engine_dup_triggers_variant(self));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
prov_engine_dispose(GObject *object)
{
	ProvEngine *self = PROV_ENGINE(object);

	prov_engine_stop_triggers(self);
	if (self->resync_due_id != 0) {
		g_signal_handler_disconnect(self->scheduler, self->resync_due_id);
		self->resync_due_id = 0;
	}
	if (self->params_changed_id != 0) {
		g_signal_handler_disconnect(self->params, self->params_changed_id);
		self->params_changed_id = 0;
	}
	/* the macro may outlive the engine in a caller's hands */
	if (self->macro_lookup_id != 0) {
		prov_macro_remove_lookup(self->macro, self->macro_lookup_id);
		self->macro_lookup_id = 0;
	}
	g_clear_object(&self->scheduler);
	g_clear_object(&self->syslog);
	g_clear_object(&self->macro);
	g_clear_object(&self->last_result);
	g_clear_object(&self->custom_ca);
	g_clear_object(&self->custom_ca_cancellable);
	g_clear_object(&self->loader);
	g_clear_object(&self->params);
	g_clear_object(&self->config);
	g_clear_object(&self->clock);
	G_OBJECT_CLASS(prov_engine_parent_class)->dispose(object);
}

static void
prov_engine_finalize(GObject *object)
{
	ProvEngine *self = PROV_ENGINE(object);

	g_ptr_array_unref(self->triggers);
	g_ptr_array_unref(self->trigger_names);
	g_hash_table_unref(self->trigger_rates);
	g_hash_table_unref(self->trigger_holdoffs);
	g_queue_free_full(self->queue, (GDestroyNotify)prov_engine_request_free);
	g_ptr_array_unref(self->history);
	g_ptr_array_unref(self->custom_ca_waiters);
	g_hash_table_unref(self->report_delta);
	g_free(self->err);
	g_free(self->default_server);
	g_free(self->custom_ca_path);
	g_free(self->custom_ca_status);
	G_OBJECT_CLASS(prov_engine_parent_class)->finalize(object);
}

static void
prov_engine_class_init(ProvEngineClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->get_property = prov_engine_get_property;
	object_class->dispose = prov_engine_dispose;
	object_class->finalize = prov_engine_finalize;

	/**
	 * ProvEngine:state:
	 *
	 * Whether a resync runs, waits for idle lines, or neither.
	 *
	 * Since: 0.1
	 */
	properties[PROP_STATE] =
	    g_param_spec_enum("state", NULL, NULL, PROV_TYPE_ENGINE_STATE, PROV_ENGINE_STATE_IDLE,
			      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:last-result:
	 *
	 * The outcome of the last resync, %NULL before the first.
	 *
	 * Since: 0.1
	 */
	properties[PROP_LAST_RESULT] = g_param_spec_object(
	    "last-result", NULL, NULL, PROV_TYPE_RESYNC_RESULT,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:next-resync-time:
	 *
	 * Wall time in microseconds of the next scheduled resync, 0 when none.
	 *
	 * Since: 0.1
	 */
	properties[PROP_NEXT_RESYNC_TIME] =
	    g_param_spec_int64("next-resync-time", NULL, NULL, 0, G_MAXINT64, 0,
			       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:last-success-time:
	 *
	 * Wall time in microseconds of the end of the last successful resync.
	 *
	 * Since: 0.1
	 */
	properties[PROP_LAST_SUCCESS_TIME] =
	    g_param_spec_int64("last-success-time", NULL, NULL, 0, G_MAXINT64, 0,
			       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:default-server:
	 *
	 * The server of a rule without a host; set with
	 * prov_engine_set_default_server().
	 *
	 * Since: 0.1
	 */
	properties[PROP_DEFAULT_SERVER] = g_param_spec_string(
	    "default-server", NULL, NULL, NULL,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:custom-ca-status:
	 *
	 * The "Custom CA Provisioning Status" of reference 9.3. It is also
	 * notified when the "Custom CA Info" (prov_engine_dup_custom_ca_info())
	 * changes.
	 *
	 * Since: 0.1
	 */
	properties[PROP_CUSTOM_CA_STATUS] = g_param_spec_string(
	    "custom-ca-status", NULL, NULL, NULL,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	/**
	 * ProvEngine:triggers:
	 *
	 * The started triggers and their bound addresses, as
	 * prov_engine_dup_triggers_variant() returns them; notified when
	 * prov_engine_start() starts triggers and prov_engine_stop() stops them.
	 *
	 * Since: 0.1
	 */
	properties[PROP_TRIGGERS] = g_param_spec_variant(
	    "triggers", NULL, NULL, G_VARIANT_TYPE("aa{sv}"), NULL,
	    G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, PROP_LAST, properties);

	/**
	 * ProvEngine::resync-started:
	 * @self: the #ProvEngine
	 * @id: the number of the resync
	 * @prvst: its cause (reference 5.1)
	 * @rule: the one-shot rule with credentials masked, or the empty string
	 *
	 * Emitted when a resync passes its gates and its first rule starts; a
	 * skipped resync only emits #ProvEngine::resync-finished.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RESYNC_STARTED] =
	    g_signal_new("resync-started", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT64, G_TYPE_INT, G_TYPE_STRING);
	/**
	 * ProvEngine::rule-finished:
	 * @self: the #ProvEngine
	 * @id: the number of the resync
	 * @result: the outcome of the rule
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RULE_FINISHED] =
	    g_signal_new("rule-finished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, PROV_TYPE_RULE_RESULT);
	/**
	 * ProvEngine::resync-finished:
	 * @self: the #ProvEngine
	 * @id: the number of the resync
	 * @result: its outcome, also #ProvEngine:last-result
	 *
	 * Emitted once for every resync, whatever its status.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RESYNC_FINISHED] =
	    g_signal_new("resync-finished", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, PROV_TYPE_RESYNC_RESULT);
	/**
	 * ProvEngine::restart-required:
	 * @self: the #ProvEngine
	 * @names: (array zero-terminated=1): the changed parameters that take
	 *   effect after a restart (reference 1.5 step 6)
	 *
	 * Emitted at the end of a resync that changed such parameters.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RESTART_REQUIRED] =
	    g_signal_new("restart-required", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
	/**
	 * ProvEngine::reboot-requested:
	 * @self: the #ProvEngine
	 * @reason: what asked for it, such as `sip check-sync;reboot=true`
	 *
	 * A remote trigger asked for a reboot or a restart of the voice
	 * application; provisiond never does either itself.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_REBOOT_REQUESTED] =
	    g_signal_new("reboot-requested", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL,
			 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
prov_engine_init(ProvEngine *self)
{
	self->triggers = g_ptr_array_new_with_free_func(g_object_unref);
	self->trigger_names = g_ptr_array_new_with_free_func(g_free);
	self->trigger_rates = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->trigger_holdoffs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
						       (GDestroyNotify)prov_engine_holdoff_free);
	self->queue = g_queue_new();
	self->next_id = 1;
	self->history = g_ptr_array_new_with_free_func(g_object_unref);
	self->err = g_strdup("");
	self->attempt_time = -1;
	self->custom_ca_waiters = g_ptr_array_new_with_free_func(g_object_unref);
	self->report_delta = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
}

/* reference 3.3: $CCERT tells whether the device has a client certificate */
static void
prov_engine_init_macro(ProvEngine *self)
{
	gboolean has_certificate =
	    prov_config_get_daemon_value(self->config, "DeviceCertificate") != NULL;

	self->macro = prov_macro_new();
	prov_macro_set_params(self->macro, self->params);
	prov_macro_set_device(self->macro, prov_config_get_device(self->config));
	prov_macro_set_variable(self->macro, "CCERT",
				has_certificate ? "Installed" : "Not Installed");
	prov_macro_set_variable(self->macro, "ERR", "");
	self->macro_lookup_id =
	    prov_macro_add_lookup(self->macro, prov_engine_macro_lookup_cb, self, NULL);
}

/**
 * prov_engine_new:
 * @config: the daemon's configuration
 * @params: the parameters, with the state file loaded
 *   (prov_params_new_for_config())
 * @loader: (nullable): the plugins; %NULL for none
 * @clock: (nullable): the clock of every timer; %NULL for the real one
 *
 * Creates the engine with its macro expander, scheduler and syslog client.
 * Nothing happens before prov_engine_start().
 *
 * Returns: (transfer full): a new #ProvEngine
 *
 * Since: 0.1
 */
ProvEngine *
prov_engine_new(ProvConfig *config, ProvParams *params, ProvPluginLoader *loader, ProvClock *clock)
{
	ProvEngine *self;
	g_autofree gchar *state_dir = NULL;

	g_return_val_if_fail(PROV_IS_CONFIG(config), NULL);
	g_return_val_if_fail(PROV_IS_PARAMS(params), NULL);
	g_return_val_if_fail(loader == NULL || PROV_IS_PLUGIN_LOADER(loader), NULL);
	g_return_val_if_fail(clock == NULL || PROV_IS_CLOCK(clock), NULL);

	self = g_object_new(PROV_TYPE_ENGINE, NULL);
	self->config = g_object_ref(config);
	self->params = g_object_ref(params);
	self->loader = loader != NULL ? g_object_ref(loader) : prov_plugin_loader_new();
	self->clock = clock != NULL ? g_object_ref(clock) : prov_clock_new();
	self->created_time = prov_engine_now(self);
	prov_engine_init_macro(self);
	self->scheduler = prov_scheduler_new(self->params, self->macro, self->clock);
	self->resync_due_id = g_signal_connect(self->scheduler, "resync-due",
					       G_CALLBACK(prov_engine_resync_due_cb), self);
	self->syslog = prov_syslog_new(self->clock);
	/* reference 5.6, R44: [daemon] SyslogFormat and SyslogMaxSize, checked by the config */
	prov_syslog_set_format(self->syslog, prov_config_get_syslog_format(config));
	prov_syslog_set_max_size(self->syslog, prov_config_get_syslog_max_size(config), NULL);
	prov_engine_configure_syslog(self);
	/* after the scheduler's handler, so that the next resync time is already new */
	self->params_changed_id = g_signal_connect(self->params, "changed",
						   G_CALLBACK(prov_engine_params_changed_cb), self);
	state_dir = prov_engine_dup_state_dir(self);
	if (state_dir != NULL)
		self->custom_ca_path =
		    g_build_filename(state_dir, PROV_ENGINE_CUSTOM_CA_FILE, NULL);
	return self;
}
