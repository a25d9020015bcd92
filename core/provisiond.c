/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * provisiond: runs the provisioning engine in a main loop and exports it on
 * D-Bus as org.provisiond.Provisioning1 (DESIGN.md, "The daemon and its
 * clients").
 */

#define G_LOG_DOMAIN "Provisiond"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "prov-clock.h"
#include "prov-config.h"
#include "prov-dbus-authority.h"
#include "prov-dbus-daemon.h"
#include "prov-device.h"
#include "prov-engine.h"
#include "prov-error.h"
#include "prov-log.h"
#include "prov-params.h"
#include "prov-plugin-loader.h"
#ifdef PROV_ENABLE_TEST_API
#include "prov-dbus-test-api.h"
#endif

#define PROV_DAEMON_CONFIG_NAME	     "provisiond.conf"
#define PROV_DAEMON_SYSTEM_STATE_DIR "/var/lib/provisiond"

typedef struct {
	/* options */
	gboolean session;
	gchar *config_path;
	gchar *state_dir;
	gchar *plugin_dir;
	guint verbosity;
	gchar *log_domains;
	gchar *bus_address;
	gboolean version;
	gchar *test_clock;

	GMainLoop *loop;
	ProvConfig *config;
	ProvParams *params;
	ProvPluginLoader *loader;
	ProvClock *clock;
	ProvEngine *engine;
	GDBusConnection *connection;
	ProvDBusAuthority *authority;
	ProvDBusDaemon *daemon;
#ifdef PROV_ENABLE_TEST_API
	ProvDBusTestApi *test_api;
#endif
	guint owner_id;
	/* the name owner's data is released only after a main context iteration */
	gboolean owner_released;
	gboolean name_acquired;
	gboolean engine_started;
	gboolean flushed;
	gint exit_status;
} ProvDaemon;

static void
prov_daemon_clear(ProvDaemon *self)
{
	if (self->owner_id != 0)
		g_bus_unown_name(self->owner_id);
#ifdef PROV_ENABLE_TEST_API
	g_clear_object(&self->test_api);
#endif
	g_clear_object(&self->daemon);
	g_clear_object(&self->authority);
	g_clear_object(&self->engine);
	g_clear_object(&self->clock);
	g_clear_object(&self->loader);
	g_clear_object(&self->params);
	g_clear_object(&self->config);
	g_clear_object(&self->connection);
	g_clear_pointer(&self->loop, g_main_loop_unref);
	g_free(self->config_path);
	g_free(self->state_dir);
	g_free(self->plugin_dir);
	g_free(self->log_domains);
	g_free(self->bus_address);
	g_free(self->test_clock);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvDaemon, prov_daemon_clear)

static gboolean
prov_daemon_verbose_cb(const gchar *option_name,
		       const gchar *value,
		       gpointer user_data,
		       GError **error)
{
	ProvDaemon *self = user_data;

	self->verbosity++;
	return TRUE;
}

static gboolean
prov_daemon_parse_options(ProvDaemon *self, gint *argc, gchar ***argv, GError **error)
{
	const GOptionEntry entries[] = {
	    {"session", 0, 0, G_OPTION_ARG_NONE, &self->session,
	     "Run for the user: session bus, no authorisation, state in the user's directories",
	     NULL},
	    {"config", 0, 0, G_OPTION_ARG_FILENAME, &self->config_path, "The configuration file",
	     "FILE"},
	    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, &self->state_dir,
	     "Where the parameters are stored", "DIR"},
	    {"plugin-dir", 0, 0, G_OPTION_ARG_FILENAME, &self->plugin_dir,
	     "Load plugins from DIR (a ':'-separated list) instead of the configured directories",
	     "DIR"},
	    {"verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, prov_daemon_verbose_cb,
	     "Log resync milestones; twice (-vv) also debug detail", NULL},
	    {"log-domains", 0, 0, G_OPTION_ARG_STRING, &self->log_domains,
	     "Apply the verbosity to these log domains only (debug if no -v is given)",
	     "DOMAIN,..."},
	    {"bus-address", 0, 0, G_OPTION_ARG_STRING, &self->bus_address,
	     "Connect to the message bus at ADDRESS; authorisation is enforced as on the system "
	     "bus unless --session is given too",
	     "ADDRESS"},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &self->version, "Print the version and exit",
	     NULL},
#ifdef PROV_ENABLE_TEST_API
	    {"test-clock", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &self->test_clock,
	     "TEST ONLY: run on a manual clock starting at SECONDS since the epoch, moved through "
	     "org.provisiond.Test1",
	     "SECONDS"},
#endif
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GOptionGroup) group = g_option_group_new("provisiond", "provisiond options",
							   "provisiond options", self, NULL);

	g_option_context_set_summary(
	    context,
	    "The provisioning engine of a device, on D-Bus as " PROV_DBUS_DAEMON_BUS_NAME ".");
	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(context, g_steal_pointer(&group));
	if (!g_option_context_parse(context, argc, argv, error))
		return FALSE;
	if (*argc > 1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "unexpected argument %s",
			    (*argv)[1]);
		return FALSE;
	}
	return TRUE;
}

static gboolean
prov_daemon_setup_logging(ProvDaemon *self, GError **error)
{
	g_auto(GStrv) domains = NULL;
	ProvLogLevel level = PROV_LOG_LEVEL_MESSAGE;

	if (!prov_log_parse_domains(self->log_domains, &domains, error)) {
		g_prefix_error(error, "--log-domains: ");
		return FALSE;
	}
	if (self->verbosity == 1)
		level = PROV_LOG_LEVEL_INFO;
	else if (self->verbosity >= 2 || (self->verbosity == 0 && domains != NULL))
		level = PROV_LOG_LEVEL_DEBUG;
	prov_log_set_level(level, (const gchar *const *)domains);
	return TRUE;
}

/* an explicit --config must exist; the default one is optional */
static gchar *
prov_daemon_find_config(ProvDaemon *self)
{
	const gchar *configuration_directory = g_getenv("CONFIGURATION_DIRECTORY");
	g_autofree gchar *path = NULL;

	if (self->config_path != NULL)
		return g_strdup(self->config_path);
	if (self->session) {
		path = g_build_filename(g_get_user_config_dir(), "provisiond",
					PROV_DAEMON_CONFIG_NAME, NULL);
	} else if (configuration_directory != NULL && g_path_is_absolute(configuration_directory)) {
		/* systemd's ConfigurationDirectory=: the first of a ':'-separated list */
		g_auto(GStrv) parts = g_strsplit(configuration_directory, ":", 2);

		path = g_build_filename(parts[0], PROV_DAEMON_CONFIG_NAME, NULL);
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			g_clear_pointer(&path, g_free);
	}
	if (path == NULL && !self->session)
		path = g_build_filename(PROV_SYSCONFDIR, PROV_DAEMON_CONFIG_NAME, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return NULL;
	return g_steal_pointer(&path);
}

static gboolean
prov_daemon_load_config(ProvDaemon *self, GError **error)
{
	g_autofree gchar *path = prov_daemon_find_config(self);

	self->config = prov_config_new();
	if (path == NULL) {
		g_debug("no configuration file; using the defaults");
	} else {
		/* the config's own errors name the file */
		if (!prov_config_load_file(self->config, path, error))
			return FALSE;
		g_debug("configuration %s", path);
	}
	/* DESIGN.md: what the [device] group leaves out comes from the system */
	prov_device_fill_from_system(prov_config_get_device(self->config));
	return TRUE;
}

static gchar *
prov_daemon_find_state_dir(ProvDaemon *self)
{
	const gchar *configured = prov_config_get_daemon_value(self->config, "StateDirectory");
	const gchar *systemd = g_getenv("STATE_DIRECTORY");

	if (self->state_dir != NULL)
		return g_strdup(self->state_dir);
	if (configured != NULL && configured[0] != '\0')
		return g_strdup(configured);
	if (systemd != NULL && g_path_is_absolute(systemd)) {
		/* StateDirectory= with several entries gives a ':'-separated list */
		g_auto(GStrv) parts = g_strsplit(systemd, ":", 2);

		return g_strdup(parts[0]);
	}
	if (self->session)
		return g_build_filename(g_get_user_state_dir(), "provisiond", NULL);
	return g_strdup(PROV_DAEMON_SYSTEM_STATE_DIR);
}

static gboolean
prov_daemon_load_params(ProvDaemon *self, GError **error)
{
	g_autofree gchar *found = prov_daemon_find_state_dir(self);
	/* absolute: the custom CA in it becomes a TLS anchor file, which GIO wants absolute */
	g_autofree gchar *state_dir = g_canonicalize_filename(found, NULL);

	/* the state holds secrets: only the daemon's user may read it */
	if (g_mkdir_with_parents(state_dir, 0700) != 0) {
		gint saved_errno = errno;

		g_set_error(error, PROV_ERROR, PROV_ERROR_STATE, "state directory %s: %s",
			    state_dir, g_strerror(saved_errno));
		return FALSE;
	}
	self->params = prov_params_new_for_config(self->config, state_dir, error);
	if (self->params == NULL)
		return FALSE;
	g_debug("state directory %s", state_dir);
	return TRUE;
}

static gboolean
prov_daemon_load_plugins(ProvDaemon *self, GError **error)
{
	g_auto(GStrv) directories = NULL;

	self->loader = prov_plugin_loader_new();
	if (self->plugin_dir == NULL) {
		prov_plugin_loader_load_default(self->loader, self->config);
		return TRUE;
	}
	directories = g_strsplit(self->plugin_dir, ":", -1);
	for (guint i = 0; directories[i] != NULL; i++) {
		if (directories[i][0] == '\0')
			continue;
		if (!prov_plugin_loader_load_directory(self->loader, directories[i], error)) {
			g_prefix_error(error, "--plugin-dir: ");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
prov_daemon_create_clock(ProvDaemon *self, GError **error)
{
	gint64 seconds = 0;

	if (self->test_clock == NULL) {
		self->clock = prov_clock_new();
		return TRUE;
	}
	if (!g_ascii_string_to_signed(self->test_clock, 10, 0, G_MAXINT64 / G_USEC_PER_SEC,
				      &seconds, error)) {
		g_prefix_error(error, "--test-clock: ");
		return FALSE;
	}
	g_message("TEST ONLY: manual clock at %" G_GINT64_FORMAT
		  " s; org.provisiond.Test1 moves it",
		  seconds);
	self->clock = prov_clock_new_manual(seconds * G_USEC_PER_SEC);
	return TRUE;
}

static void
prov_daemon_quit(ProvDaemon *self, gint exit_status)
{
	if (self->exit_status == 0)
		self->exit_status = exit_status;
	g_main_loop_quit(self->loop);
}

static void
prov_daemon_name_acquired_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	ProvDaemon *self = user_data;

	self->name_acquired = TRUE;
	g_info("owning %s on the bus", name);
	/* only now: a resync's signals must reach clients that found the daemon by name */
	if (!self->engine_started) {
		prov_engine_start(self->engine);
		self->engine_started = TRUE;
		prov_dbus_daemon_refresh_properties(self->daemon);
	}
}

static void
prov_daemon_name_lost_cb(GDBusConnection *connection, const gchar *name, gpointer user_data)
{
	ProvDaemon *self = user_data;

	if (connection == NULL || g_dbus_connection_is_closed(connection))
		g_printerr("provisiond: the connection to the bus closed\n");
	else if (self->name_acquired)
		g_printerr("provisiond: lost the bus name %s\n", name);
	else
		g_printerr("provisiond: the bus name %s is already taken (is another provisiond "
			   "running?)\n",
			   name);
	prov_daemon_quit(self, EXIT_FAILURE);
}

static void
prov_daemon_owner_released_cb(gpointer user_data)
{
	ProvDaemon *self = user_data;

	self->owner_released = TRUE;
}

#ifdef PROV_ENABLE_TEST_API
/*
 * TEST ONLY: a device keeps across a reboot what is on disk and nothing
 * else, so the engine is replaced, on the same parameters and clock; the
 * old one finishes cancelling its resync on its own
 */
static void
prov_daemon_test_reboot_cb(ProvDBusTestApi *test_api, gpointer user_data)
{
	ProvDaemon *self = user_data;

	prov_engine_stop(self->engine);
	g_object_unref(self->engine);
	self->engine = prov_engine_new(self->config, self->params, self->loader, self->clock);
	prov_dbus_daemon_set_engine(self->daemon, self->engine);
	prov_dbus_test_api_set_engine(test_api, self->engine);
	prov_engine_start(self->engine);
	prov_dbus_daemon_refresh_properties(self->daemon);
}
#endif

static gboolean
prov_daemon_export(ProvDaemon *self, GError **error)
{
	/* --bus-address without --session stands for the system bus: authorised calls */
	self->authority = prov_dbus_authority_new(self->connection, !self->session);
	self->daemon = prov_dbus_daemon_new(self->engine, self->authority);
	if (!prov_dbus_daemon_export(self->daemon, self->connection, PROV_DBUS_DAEMON_OBJECT_PATH,
				     error))
		return FALSE;
#ifdef PROV_ENABLE_TEST_API
	if (self->test_clock != NULL) {
		self->test_api = prov_dbus_test_api_new(self->engine, self->clock);
		g_signal_connect(self->test_api, "reboot", G_CALLBACK(prov_daemon_test_reboot_cb),
				 self);
		if (!prov_dbus_test_api_export(self->test_api, self->connection,
					       PROV_DBUS_DAEMON_OBJECT_PATH, error))
			return FALSE;
	}
#endif
	/* the object is there before anyone can find the name */
	self->owner_id = g_bus_own_name_on_connection(
	    self->connection, PROV_DBUS_DAEMON_BUS_NAME, G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
	    prov_daemon_name_acquired_cb, prov_daemon_name_lost_cb, self,
	    prov_daemon_owner_released_cb);
	return TRUE;
}

static void
prov_daemon_bus_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ProvDaemon *self = user_data;
	g_autoptr(GError) error = NULL;

	if (self->bus_address != NULL)
		self->connection = g_dbus_connection_new_for_address_finish(res, &error);
	else
		self->connection = g_bus_get_finish(res, &error);
	if (self->connection == NULL) {
		g_printerr("provisiond: cannot connect to the %s bus: %s\n",
			   self->bus_address != NULL ? "given"
			   : self->session	     ? "session"
						     : "system",
			   error->message);
		prov_daemon_quit(self, EXIT_FAILURE);
		return;
	}
	/* a closed connection ends in name-lost, which exits with an error */
	g_dbus_connection_set_exit_on_close(self->connection, FALSE);
	if (!prov_daemon_export(self, &error)) {
		g_printerr("provisiond: cannot export %s: %s\n", PROV_DBUS_DAEMON_OBJECT_PATH,
			   error->message);
		prov_daemon_quit(self, EXIT_FAILURE);
	}
}

static void
prov_daemon_connect(ProvDaemon *self)
{
	if (self->bus_address != NULL) {
		g_dbus_connection_new_for_address(
		    self->bus_address,
		    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		    NULL, NULL, prov_daemon_bus_cb, self);
		return;
	}
	g_bus_get(self->session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM, NULL, prov_daemon_bus_cb,
		  self);
}

static gboolean
prov_daemon_signal_cb(gpointer user_data)
{
	ProvDaemon *self = user_data;

	g_message("stopping");
	prov_daemon_quit(self, EXIT_SUCCESS);
	return G_SOURCE_CONTINUE;
}

static void
prov_daemon_flush_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ProvDaemon *self = user_data;
	g_autoptr(GError) error = NULL;

	if (!g_dbus_connection_flush_finish(G_DBUS_CONNECTION(source), res, &error))
		g_debug("flushing the bus connection: %s", error->message);
	self->flushed = TRUE;
}

/*
 * Committed parameters are already durable (R6), so stopping loses nothing:
 * the running resync is cancelled, the object and the name are withdrawn,
 * and the replies already queued still go out.
 */
static void
prov_daemon_shutdown(ProvDaemon *self)
{
	if (self->engine_started)
		prov_engine_stop(self->engine);
#ifdef PROV_ENABLE_TEST_API
	if (self->test_api != NULL)
		prov_dbus_test_api_unexport(self->test_api);
#endif
	if (self->daemon != NULL) {
		prov_dbus_daemon_unexport(self->daemon);
		/* the cancelled authorisation checks answer their callers */
		while (prov_dbus_daemon_get_n_pending(self->daemon) > 0)
			g_main_context_iteration(NULL, TRUE);
	}
	if (self->owner_id != 0) {
		g_bus_unown_name(self->owner_id);
		self->owner_id = 0;
		while (!self->owner_released)
			g_main_context_iteration(NULL, TRUE);
	}
	if (self->connection != NULL && !g_dbus_connection_is_closed(self->connection)) {
		g_dbus_connection_flush(self->connection, NULL, prov_daemon_flush_cb, self);
		while (!self->flushed)
			g_main_context_iteration(NULL, TRUE);
	}
	/* callbacks the above made ready, such as the name owner's cleanup */
	while (g_main_context_iteration(NULL, FALSE))
		;
}

gint
main(gint argc, gchar **argv)
{
	g_auto(ProvDaemon) self = {0};
	g_autoptr(GError) error = NULL;
	guint sigterm_id;
	guint sigint_id;

	setlocale(LC_ALL, "");
	prov_log_install_writer();

	if (!prov_daemon_parse_options(&self, &argc, &argv, &error)) {
		g_printerr("provisiond: %s\n", error->message);
		return EXIT_FAILURE;
	}
	if (self.version) {
		g_print("provisiond %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (!prov_daemon_setup_logging(&self, &error) || !prov_daemon_load_config(&self, &error) ||
	    !prov_daemon_load_params(&self, &error) || !prov_daemon_load_plugins(&self, &error) ||
	    !prov_daemon_create_clock(&self, &error)) {
		g_printerr("provisiond: %s\n", error->message);
		return EXIT_FAILURE;
	}
	self.engine = prov_engine_new(self.config, self.params, self.loader, self.clock);
	self.loop = g_main_loop_new(NULL, FALSE);

	sigterm_id = g_unix_signal_add(SIGTERM, prov_daemon_signal_cb, &self);
	sigint_id = g_unix_signal_add(SIGINT, prov_daemon_signal_cb, &self);
	prov_daemon_connect(&self);
	g_main_loop_run(self.loop);
	prov_daemon_shutdown(&self);
	g_source_remove(sigterm_id);
	g_source_remove(sigint_id);
	return self.exit_status;
}
