/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * S-3 (automatic resync) through the daemon, under its test clock: the
 * daemon runs with --test-clock, and org.provisiond.Test1 moves time
 * (AdvanceClock), simulates boots (Reboot) and tells the schedule
 * (GetSchedule, GetTime). Transfers are real: tftpd-hpa on a loopback high
 * port, stopped and restarted for the error-retry part.
 */

#include "config.h"

#include "prov-integration-harness.h"

/* 2026-01-01 00:00:00 UTC */
#define PROV_IT_WALL 1767225600
#define PROV_IT_S    ((gint64)G_USEC_PER_SEC)

#define PROV_IT_PREFIX "<134>" PROV_IT_PN " " PROV_IT_MAC_COLON " -- "

typedef struct {
	ProvItDaemon *daemon;
	ProvItSyslog *syslog;
	gchar *url;
	gchar *request;
	gchar *success;
	gchar *failure;
} ProvItFixture;

static void
prov_it_fixture_set_up(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *server = NULL;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	fixture->syslog = prov_it_syslog_new();
	server = prov_it_syslog_get_server(fixture->syslog);
	fixture->url = prov_it_tftp_url("/basic.txt");
	fixture->request = g_strconcat(PROV_IT_PREFIX "Requesting resync ", fixture->url, NULL);
	fixture->success = g_strconcat(PROV_IT_PREFIX "Successful resync ", fixture->url, NULL);
	fixture->failure = g_strdup(PROV_IT_PREFIX "Resync failed: tftp_get failed");
	fixture->daemon = prov_it_daemon_new();
	prov_it_daemon_set_test_clock(fixture->daemon, PROV_IT_WALL);
	/* reference S-3's Given, the seed's profile values */
	prov_it_daemon_set_factory(fixture->daemon, "Profile_Rule", fixture->url);
	prov_it_daemon_set_factory(fixture->daemon, "Resync_Periodic", "30");
	prov_it_daemon_set_factory(fixture->daemon, "Resync_On_Reset", "Yes");
	prov_it_daemon_set_factory(fixture->daemon, "Resync_Random_Delay", "2");
	prov_it_daemon_set_factory(fixture->daemon, "Resync_Error_Retry_Delay", "30");
	prov_it_daemon_set_factory(fixture->daemon, "Syslog_Server", server);
	prov_it_daemon_start(fixture->daemon);
}

static void
prov_it_fixture_tear_down(ProvItFixture *fixture, gconstpointer user_data)
{
	if (fixture->daemon == NULL)
		return;
	prov_it_daemon_stop(fixture->daemon);
	g_clear_pointer(&fixture->daemon, prov_it_daemon_free);
	g_clear_pointer(&fixture->syslog, prov_it_syslog_free);
	g_free(fixture->url);
	g_free(fixture->request);
	g_free(fixture->success);
	g_free(fixture->failure);
	/* a test that stopped the server leaves it running for the next */
	prov_it_tftp_stop();
	prov_it_tftp_start();
}

static gint64
prov_it_now(ProvItFixture *fixture)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	gint64 monotonic = 0;

	reply = prov_it_daemon_call(fixture->daemon, PROV_IT_TEST_IFACE, "GetTime", NULL, &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(xx)", &monotonic, NULL);
	return monotonic;
}

/* the next scheduled resync relative to now, or -1 when none is scheduled */
static gint64
prov_it_schedule(ProvItFixture *fixture, gint *cause)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;
	gint64 next = 0;

	reply =
	    prov_it_daemon_call(fixture->daemon, PROV_IT_TEST_IFACE, "GetSchedule", NULL, &error);
	g_assert_no_error(error);
	g_variant_get(reply, "(xi)", &next, cause);
	if (next < 0)
		return -1;
	return next - prov_it_now(fixture);
}

static void
prov_it_advance(ProvItFixture *fixture, gint64 microseconds)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = prov_it_daemon_call(fixture->daemon, PROV_IT_TEST_IFACE, "AdvanceClock",
				    g_variant_new("(x)", microseconds), &error);
	g_assert_no_error(error);
}

/* moving to just before the deadline starts nothing; the deadline itself one resync */
static GVariant *
prov_it_advance_to_resync(ProvItFixture *fixture, gint64 delay, gint expected_cause)
{
	GVariant *result;
	gint cause = 0;

	g_assert_cmpint(delay, >=, 0);
	prov_it_daemon_clear_signals(fixture->daemon);
	if (delay > 0) {
		prov_it_advance(fixture, delay - 1);
		prov_it_daemon_flush(fixture->daemon);
		g_assert_cmpuint(prov_it_daemon_count_signals(fixture->daemon, "ResyncStarted"), ==,
				 0);
	}
	prov_it_advance(fixture, delay > 0 ? 1 : 0);
	result = prov_it_daemon_wait_next_resync(fixture->daemon, &cause, PROV_IT_TIMEOUT_MS);
	g_assert_nonnull(result);
	g_assert_cmpint(cause, ==, expected_cause);
	prov_it_daemon_clear_signals(fixture->daemon);
	return result;
}

static void
prov_it_assert_lines(ProvItFixture *fixture, const gchar *first, const gchar *second)
{
	g_autoptr(GPtrArray) lines = prov_it_syslog_take(fixture->syslog);

	g_assert_cmpuint(lines->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(lines, 0), ==, first);
	g_assert_cmpstr(g_ptr_array_index(lines, 1), ==, second);
}

static void
prov_it_assert_prvst(ProvItFixture *fixture, gint expected)
{
	g_autoptr(GVariant) state =
	    prov_it_daemon_get_property(fixture->daemon, "ProvisioningState");
	gint prvst = 99;

	g_assert_true(g_variant_lookup(state, "prvst", "i", &prvst));
	g_assert_cmpint(prvst, ==, expected);
}

/* the boot resync: after a random delay in [0, 2 x 20 s], with PRVST 0 */
static void
prov_it_boot(ProvItFixture *fixture)
{
	g_autoptr(GVariant) result = NULL;
	gint cause = 99;
	gint64 delay = prov_it_schedule(fixture, &cause);

	g_test_message("boot delay %" G_GINT64_FORMAT " us", delay);
	g_assert_cmpint(cause, ==, 0);
	g_assert_cmpint(delay, >=, 0);
	g_assert_cmpint(delay, <=, 40 * PROV_IT_S);
	result = prov_it_advance_to_resync(fixture, delay, 0);
	prov_it_assert_success(result);
	prov_it_assert_prvst(fixture, 0);
	prov_it_assert_lines(fixture, fixture->request, fixture->success);
}

/* periodic resyncs 30 s apart once one has succeeded, each with PRVST 1 */
static void
prov_it_periodic(ProvItFixture *fixture, guint n)
{
	for (guint i = 0; i < n; i++) {
		g_autoptr(GVariant) result = NULL;
		gint cause = 99;

		g_assert_cmpint(prov_it_schedule(fixture, &cause), ==, 30 * PROV_IT_S);
		g_assert_cmpint(cause, ==, 1);
		result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 1);
		prov_it_assert_success(result);
		prov_it_assert_prvst(fixture, 1);
		prov_it_assert_lines(fixture, fixture->request, fixture->success);
	}
}

static void
prov_it_test_periodic(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GVariant) last = NULL;

	if (fixture->daemon == NULL)
		return;
	/* nothing before the boot resync, and no periodic timer yet */
	last = prov_it_daemon_get_property(fixture->daemon, "LastResult");
	g_assert_cmpuint(g_variant_n_children(last), ==, 0);
	prov_it_boot(fixture);
	/* two minutes: four resyncs */
	prov_it_periodic(fixture, 4);
}

/* a reboot runs the boot path again, each time with a delay within the window */
static void
prov_it_test_reboot(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	if (fixture->daemon == NULL)
		return;
	prov_it_boot(fixture);
	prov_it_periodic(fixture, 1);
	for (guint32 seed = 1; seed <= 4; seed++) {
		g_autoptr(GVariant) reply = NULL;
		gint cause = 99;

		reply = prov_it_daemon_call(fixture->daemon, PROV_IT_TEST_IFACE, "SetRandomSeed",
					    g_variant_new("(u)", seed), &error);
		g_assert_no_error(error);
		g_clear_pointer(&reply, g_variant_unref);
		reply = prov_it_daemon_call(fixture->daemon, PROV_IT_TEST_IFACE, "Reboot", NULL,
					    &error);
		g_assert_no_error(error);
		/* the periodic timer of before the reboot is gone: the boot resync is next */
		prov_it_schedule(fixture, &cause);
		g_assert_cmpint(cause, ==, 0);
		prov_it_boot(fixture);
		prov_it_periodic(fixture, 1);
	}
}

/* a failure arms the retry timer only; success brings the periodic one back */
static void
prov_it_test_retry(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GVariant) result = NULL;
	gint cause = 99;

	if (fixture->daemon == NULL)
		return;
	prov_it_boot(fixture);
	prov_it_tftp_stop();
	result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 1);
	g_assert_cmpstr(prov_it_result_get_string(result, "status"), ==, "failed");
	g_assert_cmpstr(prov_it_result_get_string(result, "error"), ==, "tftp_get failed");
	prov_it_assert_lines(fixture, fixture->request, fixture->failure);
	g_clear_pointer(&result, g_variant_unref);

	/* retries 30 s apart with PRVST 2, and no periodic attempt meanwhile */
	for (guint i = 0; i < 3; i++) {
		g_assert_cmpint(prov_it_schedule(fixture, &cause), ==, 30 * PROV_IT_S);
		g_assert_cmpint(cause, ==, 2);
		result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 2);
		g_assert_cmpstr(prov_it_result_get_string(result, "status"), ==, "failed");
		prov_it_assert_prvst(fixture, 2);
		prov_it_assert_lines(fixture, fixture->request, fixture->failure);
		g_clear_pointer(&result, g_variant_unref);
	}

	/* the server is back: the next retry succeeds and the 30 s cadence resumes */
	prov_it_tftp_start();
	g_assert_cmpint(prov_it_schedule(fixture, &cause), ==, 30 * PROV_IT_S);
	g_assert_cmpint(cause, ==, 2);
	result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 2);
	prov_it_assert_success(result);
	prov_it_assert_lines(fixture, fixture->request, fixture->success);
	prov_it_periodic(fixture, 2);
}

/* a failed boot resync arms no periodic timer, only the retry (reference 5.2.2) */
static void
prov_it_test_boot_failure(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GVariant) result = NULL;
	gint cause = 99;
	gint64 delay;

	if (fixture->daemon == NULL)
		return;
	prov_it_tftp_stop();
	delay = prov_it_schedule(fixture, &cause);
	g_assert_cmpint(cause, ==, 0);
	result = prov_it_advance_to_resync(fixture, delay, 0);
	g_assert_cmpstr(prov_it_result_get_string(result, "error"), ==, "tftp_get failed");
	prov_it_assert_prvst(fixture, 0);
	prov_it_assert_lines(fixture, fixture->request, fixture->failure);
	g_clear_pointer(&result, g_variant_unref);
	g_assert_cmpint(prov_it_schedule(fixture, &cause), ==, 30 * PROV_IT_S);
	g_assert_cmpint(cause, ==, 2);

	/* the retry starts again with Profile_Rule, and its success starts the periodic timer */
	prov_it_tftp_start();
	result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 2);
	prov_it_assert_success(result);
	prov_it_assert_lines(fixture, fixture->request, fixture->success);
	prov_it_periodic(fixture, 1);
}

/* Resync_Error_Retry_Delay 0: after a failure nothing is scheduled until asked */
static void
prov_it_test_no_retry(ProvItFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) next = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	gint cause = 99;

	if (fixture->daemon == NULL)
		return;
	prov_it_boot(fixture);
	prov_it_daemon_set(fixture->daemon, "Resync_Error_Retry_Delay", "0", NULL);
	prov_it_tftp_stop();
	result = prov_it_advance_to_resync(fixture, 30 * PROV_IT_S, 1);
	g_assert_cmpstr(prov_it_result_get_string(result, "error"), ==, "tftp_get failed");
	prov_it_assert_lines(fixture, fixture->request, fixture->failure);
	g_clear_pointer(&result, g_variant_unref);

	g_assert_cmpint(prov_it_schedule(fixture, &cause), ==, -1);
	next = prov_it_daemon_get_property(fixture->daemon, "NextResyncTime");
	g_assert_cmpint(g_variant_get_int64(next), ==, 0);
	/* a day passes without an attempt */
	prov_it_advance(fixture, 24 * 3600 * PROV_IT_S);
	prov_it_daemon_flush(fixture->daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(fixture->daemon, "ResyncStarted"), ==, 0);
	lines = prov_it_syslog_take(fixture->syslog);
	g_assert_cmpuint(lines->len, ==, 0);

	/* an explicit request still runs, and its success re-arms the periodic timer */
	prov_it_tftp_start();
	result = prov_it_daemon_resync(fixture->daemon, "");
	prov_it_assert_success(result);
	prov_it_assert_prvst(fixture, -1);
	prov_it_assert_lines(fixture, fixture->request, fixture->success);
	prov_it_periodic(fixture, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (!prov_it_set_up(PROV_IT_NEED_TFTP))
		return 77;
	g_test_add("/prov/daemon/s3-periodic", ProvItFixture, NULL, prov_it_fixture_set_up,
		   prov_it_test_periodic, prov_it_fixture_tear_down);
	g_test_add("/prov/daemon/s3-reboot", ProvItFixture, NULL, prov_it_fixture_set_up,
		   prov_it_test_reboot, prov_it_fixture_tear_down);
	g_test_add("/prov/daemon/s3-retry", ProvItFixture, NULL, prov_it_fixture_set_up,
		   prov_it_test_retry, prov_it_fixture_tear_down);
	g_test_add("/prov/daemon/s3-boot-failure", ProvItFixture, NULL, prov_it_fixture_set_up,
		   prov_it_test_boot_failure, prov_it_fixture_tear_down);
	g_test_add("/prov/daemon/s3-no-retry", ProvItFixture, NULL, prov_it_fixture_set_up,
		   prov_it_test_no_retry, prov_it_fixture_tear_down);
	return prov_it_run();
}
