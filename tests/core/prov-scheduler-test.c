/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-error.h"
#include "prov-params-transaction.h"
#include "prov-schedule.h"
#include "prov-scheduler.h"
#include "prov-test-params.h"

#define SEC G_GINT64_CONSTANT(1000000)
/* 2026-01-01T10:00:00Z */
#define PROV_SCHEDULER_TEST_WALL (G_GINT64_CONSTANT(1767261600) * SEC)
#define PROV_SCHEDULER_TEST_YEAR (G_GINT64_CONSTANT(365) * 24 * 3600 * SEC)
/* chi-square critical value for 19 degrees of freedom at p = 0.01 */
#define PROV_SCHEDULER_TEST_CHI2_19 36.191

typedef struct {
	ProvParams *params;
	ProvMacro *macro;
	ProvClock *clock;
	ProvScheduler *scheduler;
	GArray *times;	/* of gint64: monotonic time of each resync-due */
	GArray *prvsts; /* of gint */
	gint result;	/* -1: the test finishes by hand; else the automatic result */
} Fixture;

static void
prov_scheduler_test_due_cb(ProvScheduler *scheduler, gint prvst, gpointer user_data)
{
	Fixture *fixture = user_data;
	gint64 now = prov_clock_get_monotonic_time(fixture->clock);

	g_assert_true(prov_scheduler_is_running(scheduler));
	g_array_append_val(fixture->times, now);
	g_array_append_val(fixture->prvsts, prvst);
	if (fixture->result >= 0)
		prov_scheduler_resync_finished(scheduler, fixture->result != 0);
}

static void
fixture_setup_behaviour(Fixture *fixture, ProvBehaviour behaviour)
{
	g_autoptr(GError) error = NULL;

	fixture->params = prov_params_new(behaviour);
	g_assert_true(prov_params_load_schema_dir(fixture->params, prov_test_schema_dir(), &error));
	g_assert_no_error(error);
	fixture->macro = prov_macro_new();
	prov_macro_set_params(fixture->macro, fixture->params);
	fixture->clock = prov_clock_new_manual(PROV_SCHEDULER_TEST_WALL);
	fixture->scheduler = prov_scheduler_new(fixture->params, fixture->macro, fixture->clock);
	prov_scheduler_set_seed(fixture->scheduler, 4242);
	fixture->times = g_array_new(FALSE, FALSE, sizeof(gint64));
	fixture->prvsts = g_array_new(FALSE, FALSE, sizeof(gint));
	fixture->result = 1;
	g_signal_connect(fixture->scheduler, "resync-due", G_CALLBACK(prov_scheduler_test_due_cb),
			 fixture);
}

static void
fixture_setup(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	fixture_setup_behaviour(fixture, PROV_BEHAVIOUR_MPP);
}

static void
fixture_setup_spa(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	fixture_setup_behaviour(fixture, PROV_BEHAVIOUR_SPA);
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	g_clear_object(&fixture->scheduler);
	/* the scheduler leaves no timer behind */
	g_assert_cmpuint(prov_clock_get_n_timeouts(fixture->clock), ==, 0);
	g_clear_object(&fixture->clock);
	g_clear_object(&fixture->macro);
	g_clear_object(&fixture->params);
	g_array_unref(fixture->times);
	g_array_unref(fixture->prvsts);
}

static gint64
fixture_now(Fixture *fixture)
{
	return prov_clock_get_monotonic_time(fixture->clock);
}

static gint64
fixture_time(Fixture *fixture, guint i)
{
	g_assert_cmpuint(i, <, fixture->times->len);
	return g_array_index(fixture->times, gint64, i);
}

static gint
fixture_prvst(Fixture *fixture, guint i)
{
	g_assert_cmpuint(i, <, fixture->prvsts->len);
	return g_array_index(fixture->prvsts, gint, i);
}

/* starts with no boot delay: the boot resync happens at once */
static void
fixture_boot_now(Fixture *fixture)
{
	prov_test_params_set(fixture->params, "Resync_Random_Delay", "0");
	prov_scheduler_start(fixture->scheduler);
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	g_assert_cmpint(fixture_prvst(fixture, 0), ==, 0);
}

static void
prov_scheduler_test_schedule_parse(void)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(1);
	g_autoptr(ProvSchedule) list = NULL;
	g_autoptr(ProvSchedule) empty = NULL;
	g_autoptr(ProvSchedule) zero = NULL;
	g_autoptr(ProvSchedule) zero_list = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *invalid[] = {"abc", "1+2+3", "1,,2", "-5", "10+", "+5", "99999999999", "1 2"};

	list = prov_schedule_new_from_string(" 1800 , 3600,7200 ,\t14400 + 3600 ", &error);
	g_assert_no_error(error);
	g_assert_false(prov_schedule_is_disabled(list));
	g_assert_cmpuint(prov_schedule_get_n_elements(list), ==, 4);
	g_assert_cmpuint(prov_schedule_get_seconds(list, 0), ==, 1800);
	g_assert_cmpuint(prov_schedule_get_seconds(list, 3), ==, 14400);
	g_assert_cmpuint(prov_schedule_get_random(list, 3), ==, 3600);
	/* the last element repeats */
	g_assert_cmpuint(prov_schedule_get_seconds(list, 100), ==, 14400);
	g_assert_cmpint(prov_schedule_get_delay_us(list, 1, rand), ==, 3600 * SEC);
	for (guint i = 0; i < 1000; i++) {
		gint64 delay = prov_schedule_get_delay_us(list, 7, rand);

		g_assert_cmpint(delay, >=, 14400 * SEC);
		g_assert_cmpint(delay, <=, (14400 + 3600) * SEC);
	}

	empty = prov_schedule_new_from_string("  ", &error);
	g_assert_no_error(error);
	g_assert_true(prov_schedule_is_disabled(empty));
	g_assert_cmpint(prov_schedule_get_delay_us(empty, 0, rand), ==, -1);
	zero = prov_schedule_new_from_string(" 0 ", &error);
	g_assert_no_error(error);
	g_assert_true(prov_schedule_is_disabled(zero));
	zero_list = prov_schedule_new_from_string("0,30", &error);
	g_assert_no_error(error);
	g_assert_false(prov_schedule_is_disabled(zero_list));
	g_assert_cmpint(prov_schedule_get_delay_us(zero_list, 0, rand), ==, 0);
	g_assert_cmpint(prov_schedule_get_delay_us(zero_list, 5, rand), ==, 30 * SEC);

	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		g_autoptr(ProvSchedule) bad = prov_schedule_new_from_string(invalid[i], &error);

		g_assert_null(bad);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE);
		g_clear_error(&error);
	}
}

static void
prov_scheduler_test_boot_delay(Fixture *fixture, gconstpointer user_data)
{
	gint64 start = fixture_now(fixture);
	gint64 next;

	(void)user_data;
	prov_scheduler_start(fixture->scheduler);
	next = prov_scheduler_get_next_time(fixture->scheduler);
	g_assert_cmpint(next - start, >=, 0);
	g_assert_cmpint(next - start, <=, 40 * SEC);
	g_assert_cmpint(prov_scheduler_get_next_prvst(fixture->scheduler), ==, 0);
	prov_clock_advance(fixture->clock, next - start - 1);
	g_assert_cmpuint(fixture->times->len, ==, 0);
	prov_clock_advance(fixture->clock, 1);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	g_assert_cmpint(fixture_prvst(fixture, 0), ==, 0);
	g_assert_cmpint(fixture_time(fixture, 0), ==, next);
}

static gdouble
prov_scheduler_test_chi_square(const guint *bins, guint n_bins, guint n_samples)
{
	gdouble expected = (gdouble)n_samples / n_bins;
	gdouble chi2 = 0;

	for (guint i = 0; i < n_bins; i++)
		chi2 += ((gdouble)bins[i] - expected) * ((gdouble)bins[i] - expected) / expected;
	return chi2;
}

/* R9: 10 000 boot delays are uniform on [0, 20·N] s */
static void
prov_scheduler_test_jitter_uniform(Fixture *fixture, gconstpointer user_data)
{
	guint bins[20] = {0};
	gint64 span = 3 * 20 * SEC;
	gint64 max = 0;
	gdouble chi2;

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Random_Delay", "3");
	for (guint i = 0; i < 10000; i++) {
		gint64 delay = prov_scheduler_compute_boot_delay(fixture->scheduler);

		g_assert_cmpint(delay, >=, 0);
		g_assert_cmpint(delay, <=, span);
		max = MAX(max, delay);
		bins[MIN(delay * 20 / span, 19)]++;
	}
	chi2 = prov_scheduler_test_chi_square(bins, 20, 10000);
	g_test_message("boot delay chi-square %.2f", chi2);
	g_assert_cmpfloat(chi2, <, PROV_SCHEDULER_TEST_CHI2_19);
	/* the whole range is used, not a fraction of it (seconds taken as units) */
	g_assert_cmpint(max, >, span * 95 / 100);

	prov_test_params_set(fixture->params, "Resync_Random_Delay", "0");
	g_assert_cmpint(prov_scheduler_compute_boot_delay(fixture->scheduler), ==, 0);
}

/* R9: Resync_At_Random_Delay spreads the daily time uniformly */
static void
prov_scheduler_test_resync_at_uniform(Fixture *fixture, gconstpointer user_data)
{
	gint64 wall = PROV_SCHEDULER_TEST_WALL;
	/* 2026-01-02T09:59:00Z: 0959 has passed on 2026-01-01 at 10:00 */
	gint64 base = wall + (24 * 3600 - 60) * SEC;
	gint64 window = 10 * 60 * SEC;
	guint bins[20] = {0};
	gdouble chi2;

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_At__HHmm_", "0959");
	for (guint i = 0; i < 10000; i++) {
		gint64 at = prov_scheduler_compute_resync_at(fixture->scheduler, wall);

		g_assert_cmpint(at, >=, base);
		g_assert_cmpint(at, <, base + window);
		bins[(at - base) * 20 / window]++;
	}
	chi2 = prov_scheduler_test_chi_square(bins, 20, 10000);
	g_test_message("Resync_At chi-square %.2f", chi2);
	g_assert_cmpfloat(chi2, <, PROV_SCHEDULER_TEST_CHI2_19);
}

static void
prov_scheduler_test_resync_at_window(Fixture *fixture, gconstpointer user_data)
{
	gint64 wall = PROV_SCHEDULER_TEST_WALL;
	struct {
		const gchar *hhmm;
		const gchar *spread;
		gint64 base;   /* seconds after the wall time */
		gint64 window; /* minutes */
	} cases[] = {
	    {"1030", "600", 30 * 60, 10},
	    {"1030", "100", 30 * 60, 10}, /* below 600 acts as 600 */
	    {"1030", "1800", 30 * 60, 30},
	    {"1030", "1829", 30 * 60, 30}, /* (1829 + 30) / 60 = 30 */
	    {"1030", "1830", 30 * 60, 31},
	    {"1000", "600", 24 * 3600, 10}, /* now exactly: tomorrow */
	    {"2400", "600", 14 * 3600, 10},
	    {"0000", "600", 14 * 3600, 10},
	};
	/* the schema rejects malformed times before they are stored */
	const gchar *invalid[] = {""};

	(void)user_data;
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		gint64 lowest = G_MAXINT64;
		gint64 highest = 0;

		prov_test_params_set(fixture->params, "Resync_At__HHmm_", cases[i].hhmm);
		prov_test_params_set(fixture->params, "Resync_At_Random_Delay", cases[i].spread);
		for (guint j = 0; j < 2000; j++) {
			gint64 offset = prov_scheduler_compute_resync_at(fixture->scheduler, wall) -
					wall - cases[i].base * SEC;

			lowest = MIN(lowest, offset);
			highest = MAX(highest, offset);
		}
		g_assert_cmpint(lowest, >=, 0);
		g_assert_cmpint(highest, <, cases[i].window * 60 * SEC);
		g_assert_cmpint(highest, >, (cases[i].window - 1) * 60 * SEC);
	}
	for (guint i = 0; i < G_N_ELEMENTS(invalid); i++) {
		prov_test_params_set(fixture->params, "Resync_At__HHmm_", invalid[i]);
		g_assert_cmpint(prov_scheduler_compute_resync_at(fixture->scheduler, wall), ==, -1);
	}
}

/* S-3: periodic resyncs only after the first success, 30 s apart, PRVST 1 */
static void
prov_scheduler_test_periodic_after_success(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", "0");
	fixture->result = 0;
	fixture_boot_now(fixture);
	/* the boot resync failed and 0 means no retry: nothing more, not even periodic */
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);
	g_assert_cmpuint(prov_clock_get_n_timeouts(fixture->clock), ==, 0);
	prov_clock_advance(fixture->clock, 3600 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1);

	/* an explicit request succeeds; the 30 s cadence starts from its end */
	fixture->result = 1;
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, -1);
	prov_clock_advance(fixture->clock, 60 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	for (guint i = 2; i < 4; i++) {
		g_assert_cmpint(fixture_prvst(fixture, i), ==, 1);
		g_assert_cmpint(fixture_time(fixture, i) - fixture_time(fixture, i - 1), ==,
				30 * SEC);
	}
	/* exactly one timer is armed at any time */
	g_assert_cmpuint(prov_clock_get_n_timeouts(fixture->clock), ==, 1);
}

/* S-3: a boot delay in [0, 40] s, then periodic only once the boot resync succeeded */
static void
prov_scheduler_test_s3(Fixture *fixture, gconstpointer user_data)
{
	gint64 start = fixture_now(fixture);

	(void)user_data;
	prov_test_params_set(fixture->params, "Profile_Rule", "tftp://192.168.1.200/basic.txt");
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "Resync_On_Reset", "Yes");
	prov_test_params_set(fixture->params, "Resync_Random_Delay", "2");
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", " 30 ");
	prov_scheduler_start(fixture->scheduler);
	prov_clock_advance(fixture->clock, 40 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	g_assert_cmpint(fixture_prvst(fixture, 0), ==, 0);
	g_assert_cmpint(fixture_time(fixture, 0) - start, <=, 40 * SEC);

	/* two per minute with PRVST 1 */
	prov_clock_advance(fixture->clock, 60 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 3);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, 1);
	g_assert_cmpint(fixture_prvst(fixture, 2), ==, 1);
	g_assert_cmpint(fixture_time(fixture, 1) - fixture_time(fixture, 0), ==, 30 * SEC);

	/* the server stops: retries 30 s apart with PRVST 2, no periodic meanwhile */
	fixture->result = 0;
	prov_clock_advance(fixture->clock, 30 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	g_assert_cmpint(fixture_prvst(fixture, 3), ==, 1);
	prov_clock_advance(fixture->clock, 90 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 7);
	for (guint i = 4; i < 7; i++) {
		g_assert_cmpint(fixture_prvst(fixture, i), ==, 2);
		g_assert_cmpint(fixture_time(fixture, i) - fixture_time(fixture, i - 1), ==,
				30 * SEC);
	}
	/* the server is back: success, then the periodic cadence again */
	fixture->result = 1;
	prov_clock_advance(fixture->clock, 90 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 10);
	g_assert_cmpint(fixture_prvst(fixture, 7), ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 8), ==, 1);
	g_assert_cmpint(fixture_prvst(fixture, 9), ==, 1);
	g_assert_cmpint(fixture_time(fixture, 9) - fixture_time(fixture, 8), ==, 30 * SEC);
}

/* R8: attempt times follow the list exactly; the last element repeats */
static void
prov_scheduler_test_retry_list(Fixture *fixture, gconstpointer user_data)
{
	const gint64 expected[] = {60, 120, 240, 480, 480, 480};

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", "60, 120,240 ,480");
	fixture->result = 0;
	fixture_boot_now(fixture);
	prov_clock_advance(fixture->clock, 1860 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1 + G_N_ELEMENTS(expected));
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		g_assert_cmpint(fixture_prvst(fixture, i + 1), ==, 2);
		g_assert_cmpint(fixture_time(fixture, i + 1) - fixture_time(fixture, i), ==,
				expected[i] * SEC);
	}

	/* a success resets the position */
	fixture->result = 1;
	prov_clock_advance(fixture->clock, 480 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 8);
	fixture->result = 0;
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler) - fixture_now(fixture), ==,
			60 * SEC);
	prov_clock_advance(fixture->clock, 60 * SEC);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler) - fixture_now(fixture), ==,
			120 * SEC);
	/* so does a change of the parameter */
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", "70,500");
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler) - fixture_now(fixture), ==,
			70 * SEC);
}

/* R8: the default single value is 3600 s */
static void
prov_scheduler_test_retry_single(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	fixture->result = 0;
	fixture_boot_now(fixture);
	prov_clock_advance(fixture->clock, 3 * 3600 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	for (guint i = 1; i < 4; i++)
		g_assert_cmpint(fixture_time(fixture, i) - fixture_time(fixture, i - 1), ==,
				3600 * SEC);
}

/* R8: `+N` adds an extra within [0, N] */
static void
prov_scheduler_test_retry_random(Fixture *fixture, gconstpointer user_data)
{
	gint64 lowest = G_MAXINT64;
	gint64 highest = 0;

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", "30+10");
	fixture->result = 0;
	fixture_boot_now(fixture);
	prov_clock_advance(fixture->clock, 40 * 1000 * SEC);
	g_assert_cmpuint(fixture->times->len, >=, 1000);
	for (guint i = 1; i < fixture->times->len; i++) {
		gint64 delta = fixture_time(fixture, i) - fixture_time(fixture, i - 1);

		lowest = MIN(lowest, delta);
		highest = MAX(highest, delta);
	}
	g_assert_cmpint(lowest, >=, 30 * SEC);
	g_assert_cmpint(highest, <=, 40 * SEC);
	g_assert_cmpint(lowest, <, 31 * SEC);
	g_assert_cmpint(highest, >, 39 * SEC);
}

/* R9: a wall-clock step of a year either way neither fires early nor delays */
static void
prov_scheduler_test_wall_step(Fixture *fixture, gconstpointer user_data)
{
	const gint64 steps[] = {PROV_SCHEDULER_TEST_YEAR, -2 * PROV_SCHEDULER_TEST_YEAR};

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "Resync_Error_Retry_Delay", "45");
	fixture_boot_now(fixture);
	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		guint n = fixture->times->len;

		prov_clock_step_wall(fixture->clock, steps[i]);
		prov_clock_advance(fixture->clock, 30 * SEC - 1);
		g_assert_cmpuint(fixture->times->len, ==, n);
		prov_clock_advance(fixture->clock, 1);
		g_assert_cmpuint(fixture->times->len, ==, n + 1);
	}
	fixture->result = 0;
	prov_clock_advance(fixture->clock, 30 * SEC);
	prov_clock_step_wall(fixture->clock, PROV_SCHEDULER_TEST_YEAR);
	prov_clock_advance(fixture->clock, 45 * SEC - 1);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	prov_clock_advance(fixture->clock, 1);
	g_assert_cmpuint(fixture->times->len, ==, 5);
	g_assert_cmpint(fixture_prvst(fixture, 4), ==, 2);
}

/* Resync_At replaces the periodic timer, within its window */
static void
prov_scheduler_test_resync_at(Fixture *fixture, gconstpointer user_data)
{
	gint64 wall;
	gint64 next;
	gint64 target;

	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "Resync_At__HHmm_", "1030");
	fixture_boot_now(fixture);
	wall = prov_clock_get_real_time(fixture->clock);
	next = prov_scheduler_get_next_time(fixture->scheduler);
	target = wall + (next - fixture_now(fixture));
	/* 10:30 today, within 10 minutes */
	g_assert_cmpint(target, >=, PROV_SCHEDULER_TEST_WALL + 30 * 60 * SEC);
	g_assert_cmpint(target, <, PROV_SCHEDULER_TEST_WALL + 40 * 60 * SEC);
	prov_clock_advance(fixture->clock, 30 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	prov_clock_advance(fixture->clock, next - fixture_now(fixture));
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, 1);
	/* and the next one is tomorrow */
	next = prov_scheduler_get_next_time(fixture->scheduler);
	g_assert_cmpint(next - fixture_now(fixture), >, 23 * 3600 * SEC);
	g_assert_cmpint(next - fixture_now(fixture), <, 25 * 3600 * SEC);

	/* a wall step before it is due: the time of day wins, no resync at the old moment */
	prov_clock_step_wall(fixture->clock, -6 * 3600 * SEC);
	prov_clock_advance(fixture->clock, next - fixture_now(fixture));
	g_assert_cmpuint(fixture->times->len, ==, 2);
	target = prov_clock_get_real_time(fixture->clock) +
		 (prov_scheduler_get_next_time(fixture->scheduler) - fixture_now(fixture));
	{
		g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc(target / SEC);

		g_assert_cmpint(g_date_time_get_hour(when), ==, 10);
		g_assert_cmpint(g_date_time_get_minute(when), >=, 30);
		g_assert_cmpint(g_date_time_get_minute(when), <, 40);
	}

	/* an unset value falls back to the periodic timer */
	prov_test_params_set(fixture->params, "Resync_At__HHmm_", "");
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler) - fixture_now(fixture), ==,
			30 * SEC);
}

/* reference 5.2.4: busy lines hold a due resync until idle or Forced_Resync_Delay */
static void
prov_scheduler_test_forced_delay(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "Forced_Resync_Delay", "100");
	fixture_boot_now(fixture);

	/* forced after 100 s while still busy */
	prov_scheduler_set_busy(fixture->scheduler, TRUE);
	g_assert_true(prov_scheduler_get_busy(fixture->scheduler));
	prov_clock_advance(fixture->clock, 30 * SEC + 100 * SEC - 1);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	prov_clock_advance(fixture->clock, 1);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, 1);

	/* idle releases a pending resync at once */
	prov_clock_advance(fixture->clock, 40 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	prov_scheduler_set_busy(fixture->scheduler, FALSE);
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 3);
	g_assert_cmpint(fixture_time(fixture, 2) - fixture_time(fixture, 1), ==, 40 * SEC);

	/* 0: never forced; explicit requests wait too */
	prov_test_params_set(fixture->params, "Forced_Resync_Delay", "0");
	prov_scheduler_set_busy(fixture->scheduler, TRUE);
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 100000 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 3);
	prov_scheduler_set_busy(fixture->scheduler, FALSE);
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	g_assert_cmpint(fixture_prvst(fixture, 3), ==, -1);
}

/* mpp gate mode: a due boot or periodic resync needs one true trigger */
static void
prov_scheduler_test_trigger_gate(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	prov_test_params_set(fixture->params, "GPP_A", "0");
	prov_test_params_set(fixture->params, "Resync_Trigger_1", "$A eq 1");
	prov_test_params_set(fixture->params, "Resync_Random_Delay", "0");
	prov_scheduler_start(fixture->scheduler);
	prov_clock_advance(fixture->clock, 0);
	/* the boot resync was suppressed, so periodic never started */
	g_assert_cmpuint(fixture->times->len, ==, 0);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);

	/* explicit requests ignore the triggers */
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	prov_clock_advance(fixture->clock, 300 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	/* the timer keeps running while suppressed */
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), >, 0);

	prov_test_params_set(fixture->params, "GPP_A", "1");
	prov_clock_advance(fixture->clock, 30 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, 1);

	/* a second, true trigger is enough */
	prov_test_params_set(fixture->params, "GPP_A", "0");
	prov_test_params_set(fixture->params, "Resync_Trigger_2", "1 eq 1");
	prov_clock_advance(fixture->clock, 30 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 3);
}

/* spa cause mode: a true trigger starts a resync, at most one per 60 s */
static void
prov_scheduler_test_trigger_cause(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "0");
	prov_test_params_set(fixture->params, "GPP_A", "0");
	prov_test_params_set(fixture->params, "Resync_Trigger_1", "$A eq 1");
	fixture_boot_now(fixture);
	prov_clock_advance(fixture->clock, 100 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 1);
	/* the one timer is the 10 s trigger check */
	g_assert_cmpuint(prov_clock_get_n_timeouts(fixture->clock), ==, 1);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);

	prov_test_params_set(fixture->params, "GPP_A", "1");
	prov_clock_advance(fixture->clock, 10 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, 1);
	prov_clock_advance(fixture->clock, 200 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 5);
	for (guint i = 2; i < 5; i++) {
		gint64 delta = fixture_time(fixture, i) - fixture_time(fixture, i - 1);

		g_assert_cmpint(delta, >=, 60 * SEC);
		g_assert_cmpint(delta, <=, 70 * SEC);
		g_assert_cmpint(fixture_prvst(fixture, i), ==, 1);
	}
	/* an unset trigger leaves no timer behind */
	prov_test_params_set(fixture->params, "Resync_Trigger_1", "");
	g_assert_cmpuint(prov_clock_get_n_timeouts(fixture->clock), ==, 0);
}

/* S-4: a new Profile_Rule* resyncs at once (PRVST -1); the resync's own changes do not */
static void
prov_scheduler_test_rule_change(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_Periodic", "3600");
	fixture_boot_now(fixture);
	prov_test_params_set(fixture->params, "Profile_Rule", "tftp://192.168.1.200/ata$MA.cfg");
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 2);
	g_assert_cmpint(fixture_prvst(fixture, 1), ==, -1);
	prov_test_params_set(fixture->params, "Profile_Rule_C", "http://example.com/c.xml");
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 3);

	/* while a resync runs, a rule change is that resync's profile */
	fixture->result = -1;
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	prov_test_params_set(fixture->params, "Profile_Rule_B", "http://example.com/b.xml");
	/* but explicit requests coalesce into one follow-up */
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 10 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 4);
	fixture->result = 1;
	prov_scheduler_resync_finished(fixture->scheduler, TRUE);
	prov_clock_advance(fixture->clock, 0);
	g_assert_cmpuint(fixture->times->len, ==, 5);
	g_assert_cmpint(fixture_prvst(fixture, 4), ==, -1);
	prov_clock_advance(fixture->clock, 3599 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 5);
	prov_clock_advance(fixture->clock, SEC);
	g_assert_cmpuint(fixture->times->len, ==, 6);
}

static void
prov_scheduler_test_provision_disabled(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Provision_Enable", "No");
	prov_scheduler_start(fixture->scheduler);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);
	g_assert_false(prov_scheduler_request_resync(fixture->scheduler));
	prov_test_params_set(fixture->params, "Profile_Rule", "tftp://192.168.1.200/x.cfg");
	prov_clock_advance(fixture->clock, 3600 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 0);

	/* enabled again: explicit requests work, and periodic follows a success */
	prov_test_params_set(fixture->params, "Provision_Enable", "Yes");
	prov_test_params_set(fixture->params, "Resync_Periodic", "30");
	g_assert_true(prov_scheduler_request_resync(fixture->scheduler));
	prov_clock_advance(fixture->clock, 30 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 2);

	/* disabling drops the armed periodic timer */
	prov_test_params_set(fixture->params, "Provision_Enable", "No");
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);
	prov_clock_advance(fixture->clock, 3600 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 2);
}

static void
prov_scheduler_test_no_reset(Fixture *fixture, gconstpointer user_data)
{
	(void)user_data;
	prov_test_params_set(fixture->params, "Resync_On_Reset", "No");
	prov_scheduler_start(fixture->scheduler);
	g_assert_cmpint(prov_scheduler_get_next_time(fixture->scheduler), ==, -1);
	prov_clock_advance(fixture->clock, 3600 * SEC);
	g_assert_cmpuint(fixture->times->len, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/scheduler/schedule-parse", prov_scheduler_test_schedule_parse);
#define ADD(path, setup, func) g_test_add(path, Fixture, NULL, setup, func, fixture_teardown)
	ADD("/prov/scheduler/boot-delay", fixture_setup, prov_scheduler_test_boot_delay);
	ADD("/prov/scheduler/jitter-uniform", fixture_setup, prov_scheduler_test_jitter_uniform);
	ADD("/prov/scheduler/resync-at-uniform", fixture_setup,
	    prov_scheduler_test_resync_at_uniform);
	ADD("/prov/scheduler/resync-at-window", fixture_setup,
	    prov_scheduler_test_resync_at_window);
	ADD("/prov/scheduler/periodic-after-success", fixture_setup,
	    prov_scheduler_test_periodic_after_success);
	ADD("/prov/scheduler/s3", fixture_setup, prov_scheduler_test_s3);
	ADD("/prov/scheduler/retry-list", fixture_setup, prov_scheduler_test_retry_list);
	ADD("/prov/scheduler/retry-single", fixture_setup, prov_scheduler_test_retry_single);
	ADD("/prov/scheduler/retry-random", fixture_setup, prov_scheduler_test_retry_random);
	ADD("/prov/scheduler/wall-step", fixture_setup, prov_scheduler_test_wall_step);
	ADD("/prov/scheduler/resync-at", fixture_setup, prov_scheduler_test_resync_at);
	ADD("/prov/scheduler/forced-delay", fixture_setup, prov_scheduler_test_forced_delay);
	ADD("/prov/scheduler/trigger-gate", fixture_setup, prov_scheduler_test_trigger_gate);
	ADD("/prov/scheduler/trigger-cause", fixture_setup_spa, prov_scheduler_test_trigger_cause);
	ADD("/prov/scheduler/rule-change", fixture_setup, prov_scheduler_test_rule_change);
	ADD("/prov/scheduler/provision-disabled", fixture_setup,
	    prov_scheduler_test_provision_disabled);
	ADD("/prov/scheduler/no-reset", fixture_setup, prov_scheduler_test_no_reset);
#undef ADD
	return g_test_run();
}
