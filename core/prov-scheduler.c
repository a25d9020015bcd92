/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvScheduler"

#include "config.h"

#include <string.h>

#include "prov-condition.h"
#include "prov-schedule.h"
#include "prov-scheduler.h"

/* a Resync_At timer that fires this far from its wall-clock target met a clock step */
#define PROV_SCHEDULER_WALL_TOLERANCE (60 * G_USEC_PER_SEC)

typedef enum {
	PROV_SCHEDULER_DUE_NONE,
	PROV_SCHEDULER_DUE_BOOT,
	PROV_SCHEDULER_DUE_PERIODIC,
	PROV_SCHEDULER_DUE_AT,
	PROV_SCHEDULER_DUE_RETRY,
	PROV_SCHEDULER_DUE_REQUEST,
	PROV_SCHEDULER_DUE_TRIGGER,
	/* a resync held back by a busy line: runs now, busy or not */
	PROV_SCHEDULER_DUE_PENDING,
} ProvSchedulerDue;

typedef enum {
	PROV_SCHEDULER_RESULT_NONE,
	PROV_SCHEDULER_RESULT_SUCCESS,
	PROV_SCHEDULER_RESULT_FAILURE,
} ProvSchedulerResult;

/**
 * ProvScheduler:
 *
 * Decides when the next resync is due: `Resync_On_Reset` with
 * `Resync_Random_Delay` after boot, `Resync_Periodic` after a success,
 * `Resync_Error_Retry_Delay` after a failure, `Resync_At` with its random
 * window, and `Resync_Trigger_1`/`_2` (reference 5.2). It keeps exactly one
 * timer on its #ProvClock, so that tests advance time instead of sleeping,
 * and emits #ProvScheduler::resync-due.
 *
 * Since: 0.1
 */
struct _ProvScheduler {
	GObject parent_instance;
	ProvParams *params;
	ProvMacro *macro;
	ProvClock *clock;
	GRand *rand;
	gulong changed_id;
	guint timer_id;
	gboolean started;
	gboolean running;
	gboolean busy;
	gboolean pending;
	gboolean follow_up;
	gint pending_prvst;
	ProvSchedulerDue next_kind;
	gint next_prvst;
	gint64 next_deadline;
	gint64 at_wall_target;
	guint retry_position;
	guint periodic_position;
	ProvSchedulerResult last_result;
	gint64 next_tick;
	gint64 last_trigger_resync;
};

G_DEFINE_TYPE(ProvScheduler, prov_scheduler, G_TYPE_OBJECT)

enum { SIGNAL_RESYNC_DUE, SIGNAL_LAST };

static guint signals[SIGNAL_LAST] = {0};

static void
prov_scheduler_reschedule(ProvScheduler *self);

static const gchar *
prov_scheduler_get_value(ProvScheduler *self, const gchar *name)
{
	const gchar *value = prov_params_get_value(self->params, name);

	return value != NULL ? value : "";
}

static gboolean
prov_scheduler_get_bool(ProvScheduler *self, const gchar *name, gboolean fallback)
{
	g_autofree gchar *value = g_strstrip(g_strdup(prov_scheduler_get_value(self, name)));

	if (value[0] == '\0')
		return fallback;
	return g_ascii_strcasecmp(value, "yes") == 0 || g_ascii_strcasecmp(value, "true") == 0 ||
	       g_ascii_strcasecmp(value, "on") == 0 || g_strcmp0(value, "1") == 0;
}

static guint
prov_scheduler_get_uint(ProvScheduler *self, const gchar *name, guint fallback)
{
	g_autofree gchar *value = g_strstrip(g_strdup(prov_scheduler_get_value(self, name)));
	guint64 number = 0;

	if (!g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT32, &number, NULL))
		return fallback;
	return (guint)number;
}

/* reference 2.5: invalid syntax means the parameter's default, with a warning */
static ProvSchedule *
prov_scheduler_get_schedule(ProvScheduler *self, const gchar *name)
{
	g_autoptr(GError) error = NULL;
	ProvSchedule *schedule;
	const ProvParamDef *def;

	schedule = prov_schedule_new_from_string(prov_scheduler_get_value(self, name), &error);
	if (schedule != NULL)
		return schedule;
	g_warning("%s: %s; using the default", name, error->message);
	def = prov_params_lookup(self->params, name);
	if (def != NULL) {
		schedule = prov_schedule_new_from_string(prov_param_def_get_default(def), NULL);
		if (schedule != NULL)
			return schedule;
	}
	return prov_schedule_new_from_string("", NULL);
}

/* minutes after midnight for a valid HHmm from 0000 to 2400, else -1 */
static gint
prov_scheduler_parse_hhmm(const gchar *text)
{
	g_autofree gchar *value = g_strstrip(g_strdup(text));
	gint hours;
	gint minutes;

	if (strlen(value) != 4)
		return -1;
	for (guint i = 0; i < 4; i++) {
		if (!g_ascii_isdigit(value[i]))
			return -1;
	}
	hours = (value[0] - '0') * 10 + (value[1] - '0');
	minutes = (value[2] - '0') * 10 + (value[3] - '0');
	if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0))
		return -1;
	return hours * 60 + minutes;
}

static gboolean
prov_scheduler_is_enabled(ProvScheduler *self)
{
	return prov_scheduler_get_bool(self, "Provision_Enable", TRUE);
}

static gboolean
prov_scheduler_has_triggers(ProvScheduler *self)
{
	for (guint n = 1; n <= 2; n++) {
		g_autofree gchar *name = g_strdup_printf("Resync_Trigger_%u", n);
		g_autofree gchar *value =
		    g_strstrip(g_strdup(prov_scheduler_get_value(self, name)));

		if (value[0] != '\0' && value[0] != '#')
			return TRUE;
	}
	return FALSE;
}

/* returns how many triggers are set and usable; *any_true tells if one holds */
static guint
prov_scheduler_evaluate_triggers(ProvScheduler *self, gboolean *any_true)
{
	g_autofree gchar *swver = prov_macro_lookup(self->macro, "SWVER");
	guint n_set = 0;

	*any_true = FALSE;
	for (guint n = 1; n <= 2; n++) {
		g_autofree gchar *name = g_strdup_printf("Resync_Trigger_%u", n);
		g_autofree gchar *expanded = NULL;
		g_autoptr(ProvCondition) condition = NULL;
		g_autoptr(GError) error = NULL;

		expanded = prov_macro_expand(self->macro, prov_scheduler_get_value(self, name),
					     PROV_MACRO_FLAGS_NONE);
		if (!prov_condition_parse_trigger(expanded, &condition, &error)) {
			g_warning("%s: %s; ignored", name, error->message);
			continue;
		}
		if (condition == NULL)
			continue;
		n_set++;
		if (prov_condition_evaluate(condition, swver))
			*any_true = TRUE;
	}
	return n_set;
}

/**
 * prov_scheduler_triggers_allow:
 * @self: a #ProvScheduler
 * @prvst: the cause of a resync that is due
 *
 * The gate of reference 4.6 in the mpp profile: a boot or periodic resync
 * (PRVST 0 or 1) runs only when no `Resync_Trigger_1`/`_2` is set or one of
 * those set holds. Explicit requests (-1) and retries (2) are never gated,
 * and neither is anything in the spa profile, where triggers are causes.
 *
 * Returns: %FALSE when the resync must be skipped
 *
 * Since: 0.1
 */
gboolean
prov_scheduler_triggers_allow(ProvScheduler *self, gint prvst)
{
	gboolean any_true = FALSE;

	g_return_val_if_fail(PROV_IS_SCHEDULER(self), TRUE);

	if (prov_params_get_behaviour(self->params) != PROV_BEHAVIOUR_MPP ||
	    (prvst != 0 && prvst != 1))
		return TRUE;
	return prov_scheduler_evaluate_triggers(self, &any_true) == 0 || any_true;
}

static void
prov_scheduler_set_next(ProvScheduler *self, ProvSchedulerDue kind, gint prvst, gint64 deadline)
{
	self->next_kind = kind;
	self->next_prvst = prvst;
	self->next_deadline = deadline;
}

static void
prov_scheduler_clear_next(ProvScheduler *self)
{
	prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_NONE, 0, -1);
}

/**
 * prov_scheduler_compute_boot_delay:
 * @self: a #ProvScheduler
 *
 * Draws a boot delay: uniform on [0, 20 s × `Resync_Random_Delay`]
 * (reference 5.2.1), from the scheduler's random source.
 *
 * Returns: the delay in microseconds
 *
 * Since: 0.1
 */
gint64
prov_scheduler_compute_boot_delay(ProvScheduler *self)
{
	gint64 span;

	g_return_val_if_fail(PROV_IS_SCHEDULER(self), 0);
	span = (gint64)prov_scheduler_get_uint(self, "Resync_Random_Delay", 2) *
	       PROV_SCHEDULER_RANDOM_DELAY_UNIT * G_USEC_PER_SEC;
	if (span == 0)
		return 0;
	return (gint64)(g_rand_double(self->rand) * (gdouble)(span + 1));
}

/**
 * prov_scheduler_compute_resync_at:
 * @self: a #ProvScheduler
 * @wall_time_us: the current wall time
 *
 * Draws the next `Resync_At__HHmm_` moment after @wall_time_us: the next
 * HH:mm in the clock's time zone plus a uniform offset in [0, d) minutes,
 * d = (`Resync_At_Random_Delay` + 30) / 60 with values below 600 acting as
 * 600 (reference 2.1). `2400` is midnight at the end of the day.
 *
 * Returns: the wall time in microseconds, or -1 when the parameter is not a
 *   valid time
 *
 * Since: 0.1
 */
gint64
prov_scheduler_compute_resync_at(ProvScheduler *self, gint64 wall_time_us)
{
	g_autoptr(GDateTime) utc = NULL;
	g_autoptr(GDateTime) local = NULL;
	g_autoptr(GDateTime) midnight = NULL;
	g_autoptr(GDateTime) target = NULL;
	GTimeZone *timezone;
	gint minutes;
	guint spread;
	gint64 target_us;
	gint64 window_us;

	g_return_val_if_fail(PROV_IS_SCHEDULER(self), -1);
	minutes = prov_scheduler_parse_hhmm(prov_scheduler_get_value(self, "Resync_At__HHmm_"));
	if (minutes < 0)
		return -1;
	spread = MAX(prov_scheduler_get_uint(self, "Resync_At_Random_Delay", 600), 600);
	window_us = (gint64)((spread + 30) / 60) * 60 * G_USEC_PER_SEC;

	timezone = prov_clock_get_timezone(self->clock);
	utc = g_date_time_new_from_unix_utc(wall_time_us / G_USEC_PER_SEC);
	if (utc == NULL)
		return -1;
	local = g_date_time_to_timezone(utc, timezone);
	for (gint day = 0; day <= 1; day++) {
		g_autoptr(GDateTime) base = NULL;

		g_clear_pointer(&midnight, g_date_time_unref);
		g_clear_pointer(&target, g_date_time_unref);
		midnight = g_date_time_new(timezone, g_date_time_get_year(local),
					   g_date_time_get_month(local),
					   g_date_time_get_day_of_month(local), 0, 0, 0);
		base = g_date_time_add_days(midnight, day);
		target = g_date_time_add_minutes(base, minutes);
		target_us = g_date_time_to_unix(target) * G_USEC_PER_SEC;
		if (target_us > wall_time_us)
			break;
	}
	return target_us + (gint64)(g_rand_double(self->rand) * (gdouble)window_us);
}

static void
prov_scheduler_arm_periodic(ProvScheduler *self)
{
	g_autoptr(ProvSchedule) schedule = NULL;
	gint64 now = prov_clock_get_monotonic_time(self->clock);
	gint64 wall = prov_clock_get_real_time(self->clock);
	gint64 at = prov_scheduler_compute_resync_at(self, wall);
	gint64 delay;

	/* reference 2.1: a valid Resync_At__HHmm_ replaces the periodic timer */
	if (at >= 0) {
		prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_AT, 1, now + (at - wall));
		self->at_wall_target = at;
		return;
	}
	schedule = prov_scheduler_get_schedule(self, "Resync_Periodic");
	delay = prov_schedule_get_delay_us(schedule, self->periodic_position, self->rand);
	if (delay < 0) {
		prov_scheduler_clear_next(self);
		return;
	}
	self->periodic_position++;
	prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_PERIODIC, 1, now + delay);
}

static void
prov_scheduler_arm_retry(ProvScheduler *self)
{
	g_autoptr(ProvSchedule) schedule =
	    prov_scheduler_get_schedule(self, "Resync_Error_Retry_Delay");
	gint64 delay = prov_schedule_get_delay_us(schedule, self->retry_position, self->rand);

	/* reference 2.1 PROPOSED: 0 means no automatic retry */
	if (delay < 0) {
		prov_scheduler_clear_next(self);
		return;
	}
	self->retry_position++;
	prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_RETRY, 2,
				prov_clock_get_monotonic_time(self->clock) + delay);
}

static void
prov_scheduler_begin(ProvScheduler *self, gint prvst)
{
	self->running = TRUE;
	self->pending = FALSE;
	prov_scheduler_clear_next(self);
	prov_scheduler_reschedule(self);
	g_debug("resync due with PRVST %d", prvst);
	g_signal_emit(self, signals[SIGNAL_RESYNC_DUE], 0, prvst);
}

static void
prov_scheduler_fire(ProvScheduler *self, ProvSchedulerDue kind, gint prvst)
{
	if (!prov_scheduler_is_enabled(self)) {
		g_debug("resync with PRVST %d dropped: Provision_Enable is off", prvst);
		return;
	}
	if (kind == PROV_SCHEDULER_DUE_PENDING) {
		prov_scheduler_begin(self, prvst);
		return;
	}
	/* reference 4.6, mpp gate mode: explicit requests and retries ignore the triggers */
	if ((kind == PROV_SCHEDULER_DUE_BOOT || kind == PROV_SCHEDULER_DUE_PERIODIC ||
	     kind == PROV_SCHEDULER_DUE_AT) &&
	    !prov_scheduler_triggers_allow(self, prvst)) {
		g_info("resync with PRVST %d suppressed: no trigger holds", prvst);
		if (kind != PROV_SCHEDULER_DUE_BOOT)
			prov_scheduler_arm_periodic(self);
		return;
	}
	/* reference 5.2.4: never start while a line is busy, unless forced */
	if (self->busy) {
		guint forced = prov_scheduler_get_uint(self, "Forced_Resync_Delay", 14400);

		self->pending = TRUE;
		self->pending_prvst = prvst;
		if (forced > 0) {
			prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_PENDING, prvst,
						prov_clock_get_monotonic_time(self->clock) +
						    (gint64)forced * G_USEC_PER_SEC);
		} else {
			prov_scheduler_clear_next(self);
		}
		g_debug("resync with PRVST %d pending: a line is busy", prvst);
		return;
	}
	prov_scheduler_begin(self, prvst);
}

static void
prov_scheduler_tick(ProvScheduler *self)
{
	gint64 now = prov_clock_get_monotonic_time(self->clock);
	gboolean any_true = FALSE;

	/* reference 4.6 loop guard */
	if (self->last_trigger_resync >= 0 &&
	    now - self->last_trigger_resync < PROV_SCHEDULER_TRIGGER_GUARD * G_USEC_PER_SEC)
		return;
	if (prov_scheduler_evaluate_triggers(self, &any_true) == 0 || !any_true)
		return;
	self->last_trigger_resync = now;
	prov_scheduler_fire(self, PROV_SCHEDULER_DUE_TRIGGER, 1);
}

static void
prov_scheduler_handle_due(ProvScheduler *self)
{
	ProvSchedulerDue kind = self->next_kind;
	gint prvst = self->next_prvst;

	prov_scheduler_clear_next(self);
	if (kind == PROV_SCHEDULER_DUE_AT) {
		gint64 wall = prov_clock_get_real_time(self->clock);

		/* the wall clock stepped since arming: Resync_At is a time of day */
		if (ABS(wall - self->at_wall_target) > PROV_SCHEDULER_WALL_TOLERANCE) {
			g_debug("wall clock stepped; rescheduling Resync_At");
			prov_scheduler_arm_periodic(self);
			return;
		}
	}
	prov_scheduler_fire(self, kind, prvst);
}

static gboolean
prov_scheduler_timer_cb(gpointer user_data)
{
	g_autoptr(ProvScheduler) self = g_object_ref(PROV_SCHEDULER(user_data));
	gint64 now = prov_clock_get_monotonic_time(self->clock);

	self->timer_id = 0;
	if (self->next_kind != PROV_SCHEDULER_DUE_NONE && now >= self->next_deadline) {
		prov_scheduler_handle_due(self);
	} else if (self->next_tick >= 0 && now >= self->next_tick) {
		self->next_tick = now + PROV_SCHEDULER_TRIGGER_INTERVAL * G_USEC_PER_SEC;
		prov_scheduler_tick(self);
	}
	prov_scheduler_reschedule(self);
	return G_SOURCE_REMOVE;
}

static gboolean
prov_scheduler_ticks_active(ProvScheduler *self)
{
	return self->started && !self->running && !self->pending &&
	       prov_params_get_behaviour(self->params) == PROV_BEHAVIOUR_SPA &&
	       prov_scheduler_is_enabled(self) && prov_scheduler_has_triggers(self);
}

/* keeps exactly one timer armed, at the earlier of the next resync and, in
 * spa cause mode, the next trigger check */
static void
prov_scheduler_reschedule(ProvScheduler *self)
{
	gint64 now = prov_clock_get_monotonic_time(self->clock);
	gint64 deadline = G_MAXINT64;

	if (self->timer_id != 0) {
		prov_clock_remove(self->clock, self->timer_id);
		self->timer_id = 0;
	}
	if (self->next_kind != PROV_SCHEDULER_DUE_NONE)
		deadline = self->next_deadline;
	if (prov_scheduler_ticks_active(self)) {
		if (self->next_tick < 0)
			self->next_tick = now + PROV_SCHEDULER_TRIGGER_INTERVAL * G_USEC_PER_SEC;
		deadline = MIN(deadline, self->next_tick);
	} else {
		self->next_tick = -1;
	}
	if (deadline == G_MAXINT64)
		return;
	self->timer_id = prov_clock_add_timeout(self->clock, MAX(deadline - now, 0),
						prov_scheduler_timer_cb, self, NULL);
}

static void
prov_scheduler_rearm_after_result(ProvScheduler *self)
{
	if (self->last_result == PROV_SCHEDULER_RESULT_SUCCESS)
		prov_scheduler_arm_periodic(self);
	else if (self->last_result == PROV_SCHEDULER_RESULT_FAILURE)
		prov_scheduler_arm_retry(self);
}

static void
prov_scheduler_params_changed_cb(ProvParams *params, GStrv names, gpointer user_data)
{
	ProvScheduler *self = PROV_SCHEDULER(user_data);
	gboolean rules = FALSE;
	gboolean periodic = FALSE;
	gboolean retry = FALSE;
	gboolean enable = FALSE;

	(void)params;
	for (guint i = 0; names != NULL && names[i] != NULL; i++) {
		if (g_str_has_prefix(names[i], "Profile_Rule"))
			rules = TRUE;
		else if (g_str_equal(names[i], "Resync_Periodic") ||
			 g_str_equal(names[i], "Resync_At__HHmm_") ||
			 g_str_equal(names[i], "Resync_At_Random_Delay"))
			periodic = TRUE;
		else if (g_str_equal(names[i], "Resync_Error_Retry_Delay"))
			retry = TRUE;
		else if (g_str_equal(names[i], "Provision_Enable"))
			enable = TRUE;
	}
	/* reference 2.5: the list position resets after a change of the parameter */
	if (periodic)
		self->periodic_position = 0;
	if (retry)
		self->retry_position = 0;
	/* a change while a resync runs is that resync applying its profile;
	 * prov_scheduler_resync_finished() re-arms from the new values */
	if (!self->started || self->running)
		return;
	if (enable) {
		if (!prov_scheduler_is_enabled(self)) {
			self->pending = FALSE;
			prov_scheduler_clear_next(self);
		} else if (self->next_kind == PROV_SCHEDULER_DUE_NONE) {
			prov_scheduler_rearm_after_result(self);
		}
	}
	if (!self->pending && prov_scheduler_is_enabled(self)) {
		/* reference S-4 PROPOSED: a new Profile_Rule* resyncs at once */
		if (rules)
			prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_REQUEST, -1,
						prov_clock_get_monotonic_time(self->clock));
		else if (periodic && (self->next_kind == PROV_SCHEDULER_DUE_PERIODIC ||
				      self->next_kind == PROV_SCHEDULER_DUE_AT))
			prov_scheduler_arm_periodic(self);
		else if (retry && self->next_kind == PROV_SCHEDULER_DUE_RETRY)
			prov_scheduler_arm_retry(self);
	}
	prov_scheduler_reschedule(self);
}

/**
 * prov_scheduler_set_seed:
 * @self: a #ProvScheduler
 * @seed: the seed of the random source for delays and windows
 *
 * Since: 0.1
 */
void
prov_scheduler_set_seed(ProvScheduler *self, guint32 seed)
{
	g_return_if_fail(PROV_IS_SCHEDULER(self));
	g_rand_set_seed(self->rand, seed);
}

/**
 * prov_scheduler_start:
 * @self: a #ProvScheduler
 *
 * Starts scheduling, as at boot: with `Resync_On_Reset` the first resync
 * (PRVST 0) follows after the random boot delay.
 *
 * Since: 0.1
 */
void
prov_scheduler_start(ProvScheduler *self)
{
	g_return_if_fail(PROV_IS_SCHEDULER(self));
	g_return_if_fail(!self->started);

	self->started = TRUE;
	if (prov_scheduler_is_enabled(self) &&
	    prov_scheduler_get_bool(self, "Resync_On_Reset", TRUE)) {
		gint64 delay = prov_scheduler_compute_boot_delay(self);

		prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_BOOT, 0,
					prov_clock_get_monotonic_time(self->clock) + delay);
	}
	prov_scheduler_reschedule(self);
}

/**
 * prov_scheduler_request_resync:
 * @self: a #ProvScheduler
 *
 * Asks for an explicit resync (PRVST -1): it ignores the triggers, waits for
 * idle lines like any other (reference 5.2.4), and is coalesced into one
 * follow-up when a resync is running.
 *
 * Returns: %FALSE when `Provision_Enable` forbids resyncs
 *
 * Since: 0.1
 */
gboolean
prov_scheduler_request_resync(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), FALSE);

	if (!prov_scheduler_is_enabled(self))
		return FALSE;
	if (self->running) {
		self->follow_up = TRUE;
		return TRUE;
	}
	if (self->pending)
		return TRUE;
	prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_REQUEST, -1,
				prov_clock_get_monotonic_time(self->clock));
	prov_scheduler_reschedule(self);
	return TRUE;
}

/**
 * prov_scheduler_resync_finished:
 * @self: a #ProvScheduler
 * @success: whether the resync succeeded
 *
 * Takes the result of the resync that #ProvScheduler::resync-due started:
 * a success arms the periodic (or `Resync_At`) timer and resets the retry
 * position; a failure arms the retry timer with the next element of
 * `Resync_Error_Retry_Delay`, replacing any periodic one.
 *
 * Since: 0.1
 */
void
prov_scheduler_resync_finished(ProvScheduler *self, gboolean success)
{
	g_return_if_fail(PROV_IS_SCHEDULER(self));
	g_return_if_fail(self->running);

	self->running = FALSE;
	if (success) {
		self->last_result = PROV_SCHEDULER_RESULT_SUCCESS;
		self->retry_position = 0;
	} else {
		self->last_result = PROV_SCHEDULER_RESULT_FAILURE;
	}
	if (prov_scheduler_is_enabled(self))
		prov_scheduler_rearm_after_result(self);
	else
		prov_scheduler_clear_next(self);
	if (self->follow_up) {
		self->follow_up = FALSE;
		prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_REQUEST, -1,
					prov_clock_get_monotonic_time(self->clock));
	}
	prov_scheduler_reschedule(self);
}

/**
 * prov_scheduler_set_busy:
 * @self: a #ProvScheduler
 * @busy: whether a line is in use
 *
 * When the lines become idle, a pending resync runs at once.
 *
 * Since: 0.1
 */
void
prov_scheduler_set_busy(ProvScheduler *self, gboolean busy)
{
	g_return_if_fail(PROV_IS_SCHEDULER(self));

	self->busy = busy;
	if (busy || !self->pending)
		return;
	prov_scheduler_set_next(self, PROV_SCHEDULER_DUE_PENDING, self->pending_prvst,
				prov_clock_get_monotonic_time(self->clock));
	prov_scheduler_reschedule(self);
}

/**
 * prov_scheduler_get_busy:
 * @self: a #ProvScheduler
 *
 * Returns: the busy state last set
 *
 * Since: 0.1
 */
gboolean
prov_scheduler_get_busy(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), FALSE);
	return self->busy;
}

/**
 * prov_scheduler_is_running:
 * @self: a #ProvScheduler
 *
 * Returns: %TRUE between #ProvScheduler::resync-due and
 *   prov_scheduler_resync_finished()
 *
 * Since: 0.1
 */
gboolean
prov_scheduler_is_running(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), FALSE);
	return self->running;
}

/**
 * prov_scheduler_is_pending:
 * @self: a #ProvScheduler
 *
 * Returns: %TRUE while a resync that is due waits for the lines to become
 *   idle (reference 5.2.4)
 *
 * Since: 0.1
 */
gboolean
prov_scheduler_is_pending(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), FALSE);
	return self->pending;
}

/**
 * prov_scheduler_get_next_time:
 * @self: a #ProvScheduler
 *
 * Returns: the monotonic time in microseconds of the next scheduled resync,
 *   or -1 when none is scheduled (trigger checks do not count)
 *
 * Since: 0.1
 */
gint64
prov_scheduler_get_next_time(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), -1);
	return self->next_kind != PROV_SCHEDULER_DUE_NONE ? self->next_deadline : -1;
}

/**
 * prov_scheduler_get_next_prvst:
 * @self: a #ProvScheduler
 *
 * Returns: the PRVST the next scheduled resync will carry; meaningful only
 *   while prov_scheduler_get_next_time() is not -1
 *
 * Since: 0.1
 */
gint
prov_scheduler_get_next_prvst(ProvScheduler *self)
{
	g_return_val_if_fail(PROV_IS_SCHEDULER(self), 0);
	return self->next_prvst;
}

static void
prov_scheduler_dispose(GObject *object)
{
	ProvScheduler *self = PROV_SCHEDULER(object);

	if (self->timer_id != 0 && self->clock != NULL) {
		prov_clock_remove(self->clock, self->timer_id);
		self->timer_id = 0;
	}
	if (self->changed_id != 0 && self->params != NULL) {
		g_signal_handler_disconnect(self->params, self->changed_id);
		self->changed_id = 0;
	}
	g_clear_object(&self->params);
	g_clear_object(&self->macro);
	g_clear_object(&self->clock);
	G_OBJECT_CLASS(prov_scheduler_parent_class)->dispose(object);
}

static void
prov_scheduler_finalize(GObject *object)
{
	ProvScheduler *self = PROV_SCHEDULER(object);

	g_rand_free(self->rand);
	G_OBJECT_CLASS(prov_scheduler_parent_class)->finalize(object);
}

static void
prov_scheduler_class_init(ProvSchedulerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_scheduler_dispose;
	object_class->finalize = prov_scheduler_finalize;

	/**
	 * ProvScheduler::resync-due:
	 * @self: the #ProvScheduler
	 * @prvst: the `$PRVST` of the resync: 0 boot, 1 periodic, `Resync_At`
	 *   or trigger, 2 error retry, -1 explicit request
	 *
	 * A resync should start now; the handler reports its end with
	 * prov_scheduler_resync_finished().
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_RESYNC_DUE] =
	    g_signal_new("resync-due", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
			 NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
prov_scheduler_init(ProvScheduler *self)
{
	self->rand = g_rand_new();
	self->next_kind = PROV_SCHEDULER_DUE_NONE;
	self->next_deadline = -1;
	self->next_tick = -1;
	self->last_trigger_resync = -1;
}

/**
 * prov_scheduler_new:
 * @params: the parameters the timers come from
 * @macro: expands the triggers
 * @clock: the clock for all timers
 *
 * Returns: (transfer full): a scheduler; nothing happens before
 *   prov_scheduler_start()
 *
 * Since: 0.1
 */
ProvScheduler *
prov_scheduler_new(ProvParams *params, ProvMacro *macro, ProvClock *clock)
{
	ProvScheduler *self;

	g_return_val_if_fail(PROV_IS_PARAMS(params), NULL);
	g_return_val_if_fail(PROV_IS_MACRO(macro), NULL);
	g_return_val_if_fail(PROV_IS_CLOCK(clock), NULL);

	self = g_object_new(PROV_TYPE_SCHEDULER, NULL);
	self->params = g_object_ref(params);
	self->macro = g_object_ref(macro);
	self->clock = g_object_ref(clock);
	self->changed_id =
	    g_signal_connect(params, "changed", G_CALLBACK(prov_scheduler_params_changed_cb), self);
	return self;
}
