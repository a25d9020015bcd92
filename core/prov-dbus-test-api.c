/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDBusTestApi"

#include "config.h"

#include "prov-dbus-test-api.h"
#include "prov-dbus-test-generated.h"
#include "prov-error.h"

/**
 * ProvDBusTestApi:
 *
 * TEST ONLY: org.provisiond.Test1 (data/org.provisiond.Test1.xml), which
 * moves the manual #ProvClock of a daemon started with `--test-clock` and
 * simulates reboots, so that scheduler scenarios run through the daemon
 * without sleeping (reference S-3). It is built only with tests enabled and
 * exported only with that option; its methods are not authorised.
 *
 * Since: 0.1
 */
struct _ProvDBusTestApi {
	GObject parent_instance;
	ProvEngine *engine;
	ProvClock *clock;
	ProvDBusTest1 *skeleton;
	GSource *due_source;
};

/*
 * A manual clock fires its timeouts only inside prov_clock_advance(), but
 * one armed with no delay (an explicit resync request, a follow-up) is due
 * at once and fires at once on the real clock. This source runs such due
 * timeouts whenever the main context iterates, without moving time; it
 * never wakes the loop by itself, so it does not poll.
 */
typedef struct {
	GSource source;
	ProvClock *clock;
} ProvDBusTestApiDueSource;

static gboolean
prov_dbus_test_api_due_check(GSource *source)
{
	ProvClock *clock = ((ProvDBusTestApiDueSource *)source)->clock;
	gint64 deadline = prov_clock_get_next_deadline(clock);

	return deadline >= 0 && deadline <= prov_clock_get_monotonic_time(clock);
}

static gboolean
prov_dbus_test_api_due_prepare(GSource *source, gint *timeout)
{
	*timeout = -1;
	return prov_dbus_test_api_due_check(source);
}

static gboolean
prov_dbus_test_api_due_dispatch(GSource *source, GSourceFunc callback, gpointer user_data)
{
	prov_clock_advance(((ProvDBusTestApiDueSource *)source)->clock, 0);
	return G_SOURCE_CONTINUE;
}

static GSourceFuncs prov_dbus_test_api_due_funcs = {
    prov_dbus_test_api_due_prepare,
    prov_dbus_test_api_due_check,
    prov_dbus_test_api_due_dispatch,
    NULL,
    NULL,
    NULL,
};

G_DEFINE_TYPE(ProvDBusTestApi, prov_dbus_test_api, G_TYPE_OBJECT)

enum { SIGNAL_REBOOT, SIGNAL_LAST };

static guint signals[SIGNAL_LAST] = {0};

static gboolean
prov_dbus_test_api_handle_advance_clock(ProvDBusTest1 *skeleton,
					GDBusMethodInvocation *invocation,
					gint64 microseconds,
					gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	if (microseconds < 0) {
		g_dbus_method_invocation_return_error(
		    invocation, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
		    "AdvanceClock: %" G_GINT64_FORMAT " us is negative; time only moves forward",
		    microseconds);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	g_debug("test clock: advancing %" G_GINT64_FORMAT " us", microseconds);
	prov_clock_advance(self->clock, microseconds);
	prov_dbus_test1_complete_advance_clock(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_step_wall_clock(ProvDBusTest1 *skeleton,
					  GDBusMethodInvocation *invocation,
					  gint64 microseconds,
					  gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	g_debug("test clock: stepping the wall clock %" G_GINT64_FORMAT " us", microseconds);
	prov_clock_step_wall(self->clock, microseconds);
	prov_dbus_test1_complete_step_wall_clock(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_get_time(ProvDBusTest1 *skeleton,
				   GDBusMethodInvocation *invocation,
				   gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	prov_dbus_test1_complete_get_time(skeleton, invocation,
					  prov_clock_get_monotonic_time(self->clock),
					  prov_clock_get_real_time(self->clock));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_get_next_deadline(ProvDBusTest1 *skeleton,
					    GDBusMethodInvocation *invocation,
					    gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	prov_dbus_test1_complete_get_next_deadline(skeleton, invocation,
						   prov_clock_get_next_deadline(self->clock));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_get_schedule(ProvDBusTest1 *skeleton,
				       GDBusMethodInvocation *invocation,
				       gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);
	ProvScheduler *scheduler = prov_engine_get_scheduler(self->engine);

	prov_dbus_test1_complete_get_schedule(skeleton, invocation,
					      prov_scheduler_get_next_time(scheduler),
					      prov_scheduler_get_next_prvst(scheduler));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_set_random_seed(ProvDBusTest1 *skeleton,
					  GDBusMethodInvocation *invocation,
					  guint32 seed,
					  gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	prov_scheduler_set_seed(prov_engine_get_scheduler(self->engine), seed);
	prov_dbus_test1_complete_set_random_seed(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
prov_dbus_test_api_handle_reboot(ProvDBusTest1 *skeleton,
				 GDBusMethodInvocation *invocation,
				 gpointer user_data)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(user_data);

	g_message("TEST ONLY: simulated reboot");
	/* the program replaces the engine, and calls prov_dbus_test_api_set_engine() */
	g_signal_emit(self, signals[SIGNAL_REBOOT], 0);
	prov_dbus_test1_complete_reboot(skeleton, invocation);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/**
 * prov_dbus_test_api_set_engine:
 * @self: a #ProvDBusTestApi
 * @engine: the engine that replaced the previous one
 *
 * Since: 0.1
 */
void
prov_dbus_test_api_set_engine(ProvDBusTestApi *self, ProvEngine *engine)
{
	g_return_if_fail(PROV_IS_DBUS_TEST_API(self));
	g_return_if_fail(PROV_IS_ENGINE(engine));
	g_set_object(&self->engine, engine);
}

/**
 * prov_dbus_test_api_export:
 * @self: a #ProvDBusTestApi
 * @connection: the bus
 * @object_path: the daemon's object path
 * @error: return location for a #GError
 *
 * Returns: %TRUE when org.provisiond.Test1 is exported
 *
 * Since: 0.1
 */
gboolean
prov_dbus_test_api_export(ProvDBusTestApi *self,
			  GDBusConnection *connection,
			  const gchar *object_path,
			  GError **error)
{
	g_return_val_if_fail(PROV_IS_DBUS_TEST_API(self), FALSE);

	return g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(self->skeleton),
						connection, object_path, error);
}

/**
 * prov_dbus_test_api_unexport:
 * @self: a #ProvDBusTestApi
 *
 * Since: 0.1
 */
void
prov_dbus_test_api_unexport(ProvDBusTestApi *self)
{
	GDBusInterfaceSkeleton *skeleton;

	g_return_if_fail(PROV_IS_DBUS_TEST_API(self));

	skeleton = G_DBUS_INTERFACE_SKELETON(self->skeleton);
	if (g_dbus_interface_skeleton_get_connection(skeleton) != NULL)
		g_dbus_interface_skeleton_unexport(skeleton);
}

static void
prov_dbus_test_api_dispose(GObject *object)
{
	ProvDBusTestApi *self = PROV_DBUS_TEST_API(object);

	if (self->due_source != NULL) {
		g_source_destroy(self->due_source);
		g_clear_pointer(&self->due_source, g_source_unref);
	}
	if (self->skeleton != NULL) {
		prov_dbus_test_api_unexport(self);
		g_signal_handlers_disconnect_by_data(self->skeleton, self);
	}
	g_clear_object(&self->skeleton);
	g_clear_object(&self->engine);
	g_clear_object(&self->clock);
	G_OBJECT_CLASS(prov_dbus_test_api_parent_class)->dispose(object);
}

static void
prov_dbus_test_api_class_init(ProvDBusTestApiClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_dbus_test_api_dispose;

	/**
	 * ProvDBusTestApi::reboot:
	 * @self: the #ProvDBusTestApi
	 *
	 * Reboot() was called: the program simulates a boot by replacing the
	 * engine with a new one on the same parameters, configuration, plugins
	 * and clock, as a device keeps only what is on disk. A stopped
	 * #ProvEngine cannot run its boot path again.
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_REBOOT] = g_signal_new("reboot", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST,
					      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
prov_dbus_test_api_init(ProvDBusTestApi *self)
{
}

/**
 * prov_dbus_test_api_new:
 * @engine: the engine under test
 * @clock: its clock, a manual one (prov_clock_new_manual())
 *
 * Returns: (transfer full): a new #ProvDBusTestApi
 *
 * Since: 0.1
 */
ProvDBusTestApi *
prov_dbus_test_api_new(ProvEngine *engine, ProvClock *clock)
{
	ProvDBusTestApi *self;

	g_return_val_if_fail(PROV_IS_ENGINE(engine), NULL);
	g_return_val_if_fail(PROV_IS_CLOCK(clock) && prov_clock_is_manual(clock), NULL);

	self = g_object_new(PROV_TYPE_DBUS_TEST_API, NULL);
	self->engine = g_object_ref(engine);
	self->clock = g_object_ref(clock);
	self->skeleton = prov_dbus_test1_skeleton_new();
	self->due_source =
	    g_source_new(&prov_dbus_test_api_due_funcs, sizeof(ProvDBusTestApiDueSource));
	((ProvDBusTestApiDueSource *)self->due_source)->clock = self->clock;
	g_source_set_name(self->due_source, "ProvClock due timeouts (test)");
	g_source_attach(self->due_source, g_main_context_get_thread_default());
	g_signal_connect(self->skeleton, "handle-advance-clock",
			 G_CALLBACK(prov_dbus_test_api_handle_advance_clock), self);
	g_signal_connect(self->skeleton, "handle-step-wall-clock",
			 G_CALLBACK(prov_dbus_test_api_handle_step_wall_clock), self);
	g_signal_connect(self->skeleton, "handle-get-time",
			 G_CALLBACK(prov_dbus_test_api_handle_get_time), self);
	g_signal_connect(self->skeleton, "handle-get-next-deadline",
			 G_CALLBACK(prov_dbus_test_api_handle_get_next_deadline), self);
	g_signal_connect(self->skeleton, "handle-get-schedule",
			 G_CALLBACK(prov_dbus_test_api_handle_get_schedule), self);
	g_signal_connect(self->skeleton, "handle-set-random-seed",
			 G_CALLBACK(prov_dbus_test_api_handle_set_random_seed), self);
	g_signal_connect(self->skeleton, "handle-reboot",
			 G_CALLBACK(prov_dbus_test_api_handle_reboot), self);
	return self;
}
