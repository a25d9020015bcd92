/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvClock"

#include "config.h"

#include "prov-clock.h"

typedef struct {
	guint id;
	guint64 seq;
	gint64 deadline;
	gint64 delay;
	GSourceFunc func;
	gpointer user_data;
	GDestroyNotify notify;
	GSource *source;
	gboolean dispatching;
	gboolean removed;
} ProvClockTimeout;

struct _ProvClock {
	GObject parent_instance;
	gboolean manual;
	gint64 manual_monotonic;
	gint64 wall_offset;
	GTimeZone *timezone;
	GHashTable *timeouts; /* id -> ProvClockTimeout */
	guint next_id;
	guint64 next_seq;
};

G_DEFINE_TYPE(ProvClock, prov_clock, G_TYPE_OBJECT)

static void
prov_clock_timeout_free(ProvClockTimeout *timeout)
{
	if (timeout->source != NULL) {
		g_source_destroy(timeout->source);
		g_source_unref(timeout->source);
	}
	if (timeout->notify != NULL)
		timeout->notify(timeout->user_data);
	g_free(timeout);
}

/**
 * prov_clock_get_monotonic_time:
 * @self: a #ProvClock
 *
 * Returns: the monotonic time in microseconds; it never steps with the wall clock
 *
 * Since: 0.1
 */
gint64
prov_clock_get_monotonic_time(ProvClock *self)
{
	g_return_val_if_fail(PROV_IS_CLOCK(self), 0);
	if (self->manual)
		return self->manual_monotonic;
	return g_get_monotonic_time();
}

/**
 * prov_clock_get_real_time:
 * @self: a #ProvClock
 *
 * Returns: the wall time in microseconds since the epoch
 *
 * Since: 0.1
 */
gint64
prov_clock_get_real_time(ProvClock *self)
{
	g_return_val_if_fail(PROV_IS_CLOCK(self), 0);
	if (self->manual)
		return self->manual_monotonic + self->wall_offset;
	return g_get_real_time();
}

/**
 * prov_clock_get_timezone:
 * @self: a #ProvClock
 *
 * Returns: (transfer none): the zone that time-of-day schedules use: local
 *   time for the real clock, UTC for a manual one unless set
 *
 * Since: 0.1
 */
GTimeZone *
prov_clock_get_timezone(ProvClock *self)
{
	g_return_val_if_fail(PROV_IS_CLOCK(self), NULL);
	return self->timezone;
}

/**
 * prov_clock_set_timezone:
 * @self: a #ProvClock
 * @timezone: the zone for time-of-day schedules
 *
 * Since: 0.1
 */
void
prov_clock_set_timezone(ProvClock *self, GTimeZone *timezone)
{
	g_return_if_fail(PROV_IS_CLOCK(self));
	g_return_if_fail(timezone != NULL);
	g_time_zone_ref(timezone);
	g_clear_pointer(&self->timezone, g_time_zone_unref);
	self->timezone = timezone;
}

/* runs one timeout; returns FALSE when it no longer exists afterwards */
static gboolean
prov_clock_fire(ProvClock *self, ProvClockTimeout *timeout)
{
	guint id = timeout->id;
	gboolean again;

	timeout->dispatching = TRUE;
	again = timeout->func(timeout->user_data);
	timeout->dispatching = FALSE;
	if (again && !timeout->removed) {
		timeout->deadline = prov_clock_get_monotonic_time(self) + timeout->delay;
		timeout->seq = self->next_seq++;
		if (timeout->source != NULL)
			g_source_set_ready_time(timeout->source, timeout->deadline);
		return TRUE;
	}
	/* the source must not be destroyed by the free while it dispatches */
	if (timeout->source != NULL) {
		g_source_destroy(timeout->source);
		g_clear_pointer(&timeout->source, g_source_unref);
	}
	g_hash_table_remove(self->timeouts, GUINT_TO_POINTER(id));
	return FALSE;
}

typedef struct {
	ProvClock *clock; /* unowned: the clock destroys its sources before it goes */
	guint id;
} ProvClockSourceData;

static gboolean
prov_clock_source_cb(gpointer user_data)
{
	ProvClockSourceData *data = user_data;
	ProvClockTimeout *timeout =
	    g_hash_table_lookup(data->clock->timeouts, GUINT_TO_POINTER(data->id));

	if (timeout == NULL)
		return G_SOURCE_REMOVE;
	return prov_clock_fire(data->clock, timeout) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
prov_clock_source_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	(void)source;
	return callback(user_data);
}

static GSourceFuncs prov_clock_source_funcs = {
    .dispatch = prov_clock_source_dispatch,
};

/**
 * prov_clock_add_timeout:
 * @self: a #ProvClock
 * @delay_us: microseconds from now on the monotonic clock; negative means now
 * @func: called when the timeout is due; %G_SOURCE_CONTINUE re-arms it
 *   @delay_us later
 * @user_data: passed to @func
 * @notify: (nullable): frees @user_data when the timeout goes
 *
 * Returns: an id for prov_clock_remove(), never 0
 *
 * Since: 0.1
 */
guint
prov_clock_add_timeout(
    ProvClock *self, gint64 delay_us, GSourceFunc func, gpointer user_data, GDestroyNotify notify)
{
	ProvClockTimeout *timeout;

	g_return_val_if_fail(PROV_IS_CLOCK(self), 0);
	g_return_val_if_fail(func != NULL, 0);

	timeout = g_new0(ProvClockTimeout, 1);
	timeout->id = ++self->next_id;
	if (timeout->id == 0)
		timeout->id = ++self->next_id;
	timeout->seq = self->next_seq++;
	timeout->delay = MAX(delay_us, 0);
	timeout->deadline = prov_clock_get_monotonic_time(self) + timeout->delay;
	timeout->func = func;
	timeout->user_data = user_data;
	timeout->notify = notify;
	g_hash_table_insert(self->timeouts, GUINT_TO_POINTER(timeout->id), timeout);

	if (!self->manual) {
		ProvClockSourceData *data = g_new0(ProvClockSourceData, 1);

		data->clock = self;
		data->id = timeout->id;
		/* a plain source with a ready time: GLib's timeout sources round to
		 * milliseconds, and both run on the monotonic clock */
		timeout->source = g_source_new(&prov_clock_source_funcs, sizeof(GSource));
		g_source_set_name(timeout->source, "ProvClock timeout");
		g_source_set_ready_time(timeout->source, timeout->deadline);
		g_source_set_callback(timeout->source, prov_clock_source_cb, data, g_free);
		g_source_attach(timeout->source, g_main_context_get_thread_default());
	}
	return timeout->id;
}

/**
 * prov_clock_remove:
 * @self: a #ProvClock
 * @id: an id from prov_clock_add_timeout()
 *
 * Returns: %TRUE if the timeout existed
 *
 * Since: 0.1
 */
gboolean
prov_clock_remove(ProvClock *self, guint id)
{
	ProvClockTimeout *timeout;

	g_return_val_if_fail(PROV_IS_CLOCK(self), FALSE);
	timeout = g_hash_table_lookup(self->timeouts, GUINT_TO_POINTER(id));
	if (timeout == NULL || timeout->removed)
		return FALSE;
	if (timeout->dispatching) {
		/* prov_clock_fire() frees it once the callback returns */
		timeout->removed = TRUE;
		return TRUE;
	}
	g_hash_table_remove(self->timeouts, GUINT_TO_POINTER(id));
	return TRUE;
}

/**
 * prov_clock_get_n_timeouts:
 * @self: a #ProvClock
 *
 * Returns: the number of armed timeouts
 *
 * Since: 0.1
 */
guint
prov_clock_get_n_timeouts(ProvClock *self)
{
	g_return_val_if_fail(PROV_IS_CLOCK(self), 0);
	return g_hash_table_size(self->timeouts);
}

static ProvClockTimeout *
prov_clock_find_earliest(ProvClock *self)
{
	GHashTableIter iter;
	gpointer value;
	ProvClockTimeout *best = NULL;

	g_hash_table_iter_init(&iter, self->timeouts);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		ProvClockTimeout *timeout = value;

		if (timeout->removed)
			continue;
		if (best == NULL || timeout->deadline < best->deadline ||
		    (timeout->deadline == best->deadline && timeout->seq < best->seq))
			best = timeout;
	}
	return best;
}

/**
 * prov_clock_get_next_deadline:
 * @self: a #ProvClock
 *
 * Returns: the monotonic time of the earliest armed timeout, or -1
 *
 * Since: 0.1
 */
gint64
prov_clock_get_next_deadline(ProvClock *self)
{
	ProvClockTimeout *timeout;

	g_return_val_if_fail(PROV_IS_CLOCK(self), -1);
	timeout = prov_clock_find_earliest(self);
	return timeout != NULL ? timeout->deadline : -1;
}

/**
 * prov_clock_advance:
 * @self: a manual #ProvClock
 * @delta_us: how far to move both clocks, at least 0
 *
 * Moves time forward, firing every timeout that falls due on the way in
 * deadline order (ties in the order they were armed), each with the clock
 * set to its deadline; timeouts armed by callbacks fire too if they fall
 * within @delta_us.
 *
 * Since: 0.1
 */
void
prov_clock_advance(ProvClock *self, gint64 delta_us)
{
	gint64 target;

	g_return_if_fail(PROV_IS_CLOCK(self));
	g_return_if_fail(self->manual);
	g_return_if_fail(delta_us >= 0);

	target = self->manual_monotonic + delta_us;
	for (;;) {
		ProvClockTimeout *timeout = prov_clock_find_earliest(self);

		if (timeout == NULL || timeout->deadline > target)
			break;
		self->manual_monotonic = MAX(self->manual_monotonic, timeout->deadline);
		prov_clock_fire(self, timeout);
	}
	self->manual_monotonic = target;
}

/**
 * prov_clock_step_wall:
 * @self: a manual #ProvClock
 * @delta_us: the step, either way
 *
 * Steps the wall clock alone, as NTP or an administrator would; the
 * monotonic clock and the timeouts are not affected.
 *
 * Since: 0.1
 */
void
prov_clock_step_wall(ProvClock *self, gint64 delta_us)
{
	g_return_if_fail(PROV_IS_CLOCK(self));
	g_return_if_fail(self->manual);
	self->wall_offset += delta_us;
}

/**
 * prov_clock_is_manual:
 * @self: a #ProvClock
 *
 * Returns: %TRUE for a clock from prov_clock_new_manual()
 *
 * Since: 0.1
 */
gboolean
prov_clock_is_manual(ProvClock *self)
{
	g_return_val_if_fail(PROV_IS_CLOCK(self), FALSE);
	return self->manual;
}

static void
prov_clock_dispose(GObject *object)
{
	ProvClock *self = PROV_CLOCK(object);

	g_hash_table_remove_all(self->timeouts);
	G_OBJECT_CLASS(prov_clock_parent_class)->dispose(object);
}

static void
prov_clock_finalize(GObject *object)
{
	ProvClock *self = PROV_CLOCK(object);

	g_hash_table_unref(self->timeouts);
	g_clear_pointer(&self->timezone, g_time_zone_unref);
	G_OBJECT_CLASS(prov_clock_parent_class)->finalize(object);
}

static void
prov_clock_class_init(ProvClockClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_clock_dispose;
	object_class->finalize = prov_clock_finalize;
}

static void
prov_clock_init(ProvClock *self)
{
	self->timeouts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
					       (GDestroyNotify)prov_clock_timeout_free);
}

/**
 * prov_clock_new:
 *
 * Returns: (transfer full): the real clock; timeouts run on the
 *   thread-default main context of the caller of prov_clock_add_timeout()
 *
 * Since: 0.1
 */
ProvClock *
prov_clock_new(void)
{
	ProvClock *self = g_object_new(PROV_TYPE_CLOCK, NULL);

	self->timezone = g_time_zone_new_local();
	return self;
}

/**
 * prov_clock_new_manual:
 * @wall_time_us: the initial wall time, microseconds since the epoch
 *
 * Returns: (transfer full): a clock that moves only with prov_clock_advance()
 *   and prov_clock_step_wall(); its monotonic time starts at one second
 *
 * Since: 0.1
 */
ProvClock *
prov_clock_new_manual(gint64 wall_time_us)
{
	ProvClock *self = g_object_new(PROV_TYPE_CLOCK, NULL);

	self->manual = TRUE;
	self->manual_monotonic = G_USEC_PER_SEC;
	self->wall_offset = wall_time_us - self->manual_monotonic;
	self->timezone = g_time_zone_new_utc();
	return self;
}
