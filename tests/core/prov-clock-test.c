/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-clock.h"

typedef struct {
	ProvClock *clock;
	GArray *fired; /* of gint: tags */
	GArray *times; /* of gint64: monotonic time at firing */
} ProvClockTestRecord;

typedef struct {
	ProvClockTestRecord *record;
	gint tag;
	gint repeat;
} ProvClockTestItem;

static gboolean
prov_clock_test_fire_cb(gpointer user_data)
{
	ProvClockTestItem *item = user_data;
	gint64 now = prov_clock_get_monotonic_time(item->record->clock);

	g_array_append_val(item->record->fired, item->tag);
	g_array_append_val(item->record->times, now);
	if (item->repeat > 0) {
		item->repeat--;
		return G_SOURCE_CONTINUE;
	}
	return G_SOURCE_REMOVE;
}

static ProvClockTestItem *
prov_clock_test_item_new(ProvClockTestRecord *record, gint tag, gint repeat)
{
	ProvClockTestItem *item = g_new0(ProvClockTestItem, 1);

	item->record = record;
	item->tag = tag;
	item->repeat = repeat;
	return item;
}

static void
prov_clock_test_manual_order(void)
{
	g_autoptr(ProvClock) clock =
	    prov_clock_new_manual(G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC);
	g_autoptr(GArray) fired = g_array_new(FALSE, FALSE, sizeof(gint));
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(gint64));
	ProvClockTestRecord record = {clock, fired, times};
	gint64 start = prov_clock_get_monotonic_time(clock);
	guint removed;

	prov_clock_add_timeout(clock, 3 * G_USEC_PER_SEC, prov_clock_test_fire_cb,
			       prov_clock_test_item_new(&record, 3, 0), g_free);
	prov_clock_add_timeout(clock, 1 * G_USEC_PER_SEC, prov_clock_test_fire_cb,
			       prov_clock_test_item_new(&record, 1, 0), g_free);
	removed = prov_clock_add_timeout(clock, 2 * G_USEC_PER_SEC, prov_clock_test_fire_cb,
					 prov_clock_test_item_new(&record, 99, 0), g_free);
	prov_clock_add_timeout(clock, 2 * G_USEC_PER_SEC, prov_clock_test_fire_cb,
			       prov_clock_test_item_new(&record, 2, 0), g_free);
	g_assert_cmpuint(prov_clock_get_n_timeouts(clock), ==, 4);
	g_assert_true(prov_clock_remove(clock, removed));
	g_assert_false(prov_clock_remove(clock, removed));
	g_assert_cmpint(prov_clock_get_next_deadline(clock), ==, start + G_USEC_PER_SEC);

	prov_clock_advance(clock, 1 * G_USEC_PER_SEC - 1);
	g_assert_cmpuint(fired->len, ==, 0);
	prov_clock_advance(clock, 10 * G_USEC_PER_SEC);
	g_assert_cmpuint(fired->len, ==, 3);
	for (guint i = 0; i < 3; i++) {
		g_assert_cmpint(g_array_index(fired, gint, i), ==, (gint)i + 1);
		g_assert_cmpint(g_array_index(times, gint64, i), ==,
				start + (gint64)(i + 1) * G_USEC_PER_SEC);
	}
	g_assert_cmpint(prov_clock_get_monotonic_time(clock), ==, start + 11 * G_USEC_PER_SEC - 1);
	g_assert_cmpuint(prov_clock_get_n_timeouts(clock), ==, 0);
	g_assert_cmpint(prov_clock_get_next_deadline(clock), ==, -1);
}

static void
prov_clock_test_manual_repeat(void)
{
	g_autoptr(ProvClock) clock = prov_clock_new_manual(0);
	g_autoptr(GArray) fired = g_array_new(FALSE, FALSE, sizeof(gint));
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(gint64));
	ProvClockTestRecord record = {clock, fired, times};
	gint64 start = prov_clock_get_monotonic_time(clock);

	prov_clock_add_timeout(clock, 10, prov_clock_test_fire_cb,
			       prov_clock_test_item_new(&record, 7, 2), g_free);
	prov_clock_advance(clock, 100);
	g_assert_cmpuint(fired->len, ==, 3);
	g_assert_cmpint(g_array_index(times, gint64, 0), ==, start + 10);
	g_assert_cmpint(g_array_index(times, gint64, 1), ==, start + 20);
	g_assert_cmpint(g_array_index(times, gint64, 2), ==, start + 30);
	g_assert_cmpuint(prov_clock_get_n_timeouts(clock), ==, 0);
}

static void
prov_clock_test_wall_step(void)
{
	g_autoptr(ProvClock) clock =
	    prov_clock_new_manual(G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC);
	g_autoptr(GArray) fired = g_array_new(FALSE, FALSE, sizeof(gint));
	g_autoptr(GArray) times = g_array_new(FALSE, FALSE, sizeof(gint64));
	ProvClockTestRecord record = {clock, fired, times};
	gint64 monotonic = prov_clock_get_monotonic_time(clock);
	gint64 year = (gint64)365 * 24 * 3600 * G_USEC_PER_SEC;

	prov_clock_add_timeout(clock, 5 * G_USEC_PER_SEC, prov_clock_test_fire_cb,
			       prov_clock_test_item_new(&record, 1, 0), g_free);
	prov_clock_step_wall(clock, year);
	g_assert_cmpint(prov_clock_get_real_time(clock), ==,
			G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC + year);
	g_assert_cmpint(prov_clock_get_monotonic_time(clock), ==, monotonic);
	prov_clock_step_wall(clock, -2 * year);
	prov_clock_advance(clock, 4 * G_USEC_PER_SEC);
	g_assert_cmpuint(fired->len, ==, 0);
	prov_clock_advance(clock, G_USEC_PER_SEC);
	g_assert_cmpuint(fired->len, ==, 1);
	g_assert_cmpint(prov_clock_get_real_time(clock), ==,
			G_GINT64_CONSTANT(1700000000) * G_USEC_PER_SEC - year + 5 * G_USEC_PER_SEC);
}

static gboolean
prov_clock_test_quit_cb(gpointer user_data)
{
	gboolean *done = user_data;

	*done = TRUE;
	return G_SOURCE_REMOVE;
}

static gboolean
prov_clock_test_remove_self_cb(gpointer user_data)
{
	ProvClockTestRecord *record = user_data;
	gint tag = 5;

	g_array_append_val(record->fired, tag);
	/* removing itself from inside the callback must be safe */
	g_assert_true(prov_clock_remove(record->clock, 1));
	return G_SOURCE_CONTINUE;
}

static void
prov_clock_test_real(void)
{
	g_autoptr(ProvClock) clock = prov_clock_new();
	g_autoptr(GArray) fired = g_array_new(FALSE, FALSE, sizeof(gint));
	ProvClockTestRecord record = {clock, fired, NULL};
	gboolean done = FALSE;
	gint64 start = g_get_monotonic_time();
	guint id;

	g_assert_false(prov_clock_is_manual(clock));
	id = prov_clock_add_timeout(clock, 0, prov_clock_test_remove_self_cb, &record, NULL);
	g_assert_cmpuint(id, ==, 1);
	prov_clock_add_timeout(clock, 2000, prov_clock_test_quit_cb, &done, NULL);
	while (!done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 2000);
	g_assert_cmpuint(fired->len, ==, 1);
	g_assert_cmpuint(prov_clock_get_n_timeouts(clock), ==, 0);

	/* a removed timeout never fires */
	done = FALSE;
	id = prov_clock_add_timeout(clock, 0, prov_clock_test_quit_cb, &done, NULL);
	g_assert_true(prov_clock_remove(clock, id));
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_false(done);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/clock/manual-order", prov_clock_test_manual_order);
	g_test_add_func("/prov/clock/manual-repeat", prov_clock_test_manual_repeat);
	g_test_add_func("/prov/clock/wall-step", prov_clock_test_wall_step);
	g_test_add_func("/prov/clock/real", prov_clock_test_real);
	return g_test_run();
}
