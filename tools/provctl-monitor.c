/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/* provctl monitor: one line per signal and per PropertiesChanged, as they come */

#define G_LOG_DOMAIN "ProvCtl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "provctl.h"

#define PROV_CTL_RULE_NAME_WIDTH (sizeof("Profile_Rule_B") - 1)

typedef struct {
	ProvCtl *ctl;
	GMainLoop *loop;
	GError *error;
} ProvCtlMonitor;

static void
prov_ctl_monitor_print(ProvCtlMonitor *monitor,
		       const gchar *signal_name,
		       json_object *args,
		       const gchar *text)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autoptr(json_object) owned_args = args;

	if (monitor->ctl->json) {
		g_autoptr(json_object) root = json_object_new_object();
		g_autofree gchar *time = g_date_time_format_iso8601(now);

		json_object_object_add(root, "time", json_object_new_string(time));
		json_object_object_add(root, "signal", json_object_new_string(signal_name));
		json_object_object_add(root, "args", g_steal_pointer(&owned_args));
		prov_ctl_print_json_line(root);
	} else {
		g_autofree gchar *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

		/* a pipe is block-buffered: each event reaches the reader as it happens */
		printf("%s.%03d  %s\n", stamp, g_date_time_get_microsecond(now) / 1000, text);
		fflush(stdout);
	}
}

/* the arguments by their names in the introspection data */
static json_object *
prov_ctl_monitor_args_to_json(const gchar *signal_name, GVariant *parameters)
{
	GDBusSignalInfo *info = g_dbus_interface_info_lookup_signal(
	    prov_dbus_provisioning1_interface_info(), signal_name);
	json_object *args = json_object_new_object();
	gsize n_names = 0;

	while (info != NULL && info->args != NULL && info->args[n_names] != NULL)
		n_names++;
	for (gsize i = 0; i < g_variant_n_children(parameters); i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(parameters, i);
		g_autofree gchar *fallback = g_strdup_printf("arg%" G_GSIZE_FORMAT, i);

		json_object_object_add(args, i < n_names ? info->args[i]->name : fallback,
				       prov_ctl_variant_to_json(child));
	}
	return args;
}

static gchar *
prov_ctl_monitor_join_names(GVariant *names)
{
	g_autofree const gchar **strings = g_variant_get_strv(names, NULL);
	g_autofree gchar *joined = g_strjoinv(", ", (gchar **)strings);

	return prov_ctl_escape(joined);
}

/* a signal newer than this provctl, or with arguments it does not expect */
static gchar *
prov_ctl_monitor_describe_other(const gchar *signal_name, GVariant *parameters)
{
	g_autofree gchar *printed = g_variant_print(parameters, FALSE);

	return g_strdup_printf("%s %s", signal_name, printed);
}

static gchar *
prov_ctl_monitor_describe_signal(const gchar *signal_name, GVariant *parameters)
{
	if (g_str_equal(signal_name, "ResyncStarted") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(tis)"))) {
		guint64 id = 0;
		gint cause = 0;
		const gchar *rule = NULL;
		g_autofree gchar *id_text = NULL;
		g_autofree gchar *cause_text = NULL;
		g_autofree gchar *escaped = NULL;

		g_variant_get(parameters, "(ti&s)", &id, &cause, &rule);
		id_text = g_strdup_printf("%" G_GUINT64_FORMAT, id);
		cause_text = prov_ctl_format_cause(cause);
		if (rule[0] == '\0')
			return g_strdup_printf(_("resync %1$s started (%2$s)"), id_text,
					       cause_text);
		escaped = prov_ctl_escape(rule);
		return g_strdup_printf(_("resync %1$s started (%2$s), one-shot rule %3$s"), id_text,
				       cause_text, escaped);
	}
	if (g_str_equal(signal_name, "RuleFinished") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ta{sv})"))) {
		guint64 id = 0;
		g_autoptr(GVariant) result = NULL;
		g_autofree gchar *id_text = NULL;
		g_autofree gchar *line = NULL;

		g_variant_get(parameters, "(t@a{sv})", &id, &result);
		id_text = g_strdup_printf("%" G_GUINT64_FORMAT, id);
		line = prov_ctl_format_rule_line(result, PROV_CTL_RULE_NAME_WIDTH);
		/* TRANSLATORS: a resync's number, then one rule's outcome */
		return g_strdup_printf(_("resync %1$s: %2$s"), id_text, line);
	}
	if (g_str_equal(signal_name, "ResyncFinished") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(ta{sv})"))) {
		guint64 id = 0;
		g_autoptr(GVariant) result = NULL;

		g_variant_get(parameters, "(t@a{sv})", &id, &result);
		return prov_ctl_format_resync_summary(id, result);
	}
	if (g_str_equal(signal_name, "ParametersChanged") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(as)"))) {
		g_autoptr(GVariant) names = g_variant_get_child_value(parameters, 0);
		g_autofree gchar *joined = prov_ctl_monitor_join_names(names);

		return g_strdup_printf(_("parameters changed: %s"), joined);
	}
	if (g_str_equal(signal_name, "RestartRequired") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(as)"))) {
		g_autoptr(GVariant) names = g_variant_get_child_value(parameters, 0);
		g_autofree gchar *joined = prov_ctl_monitor_join_names(names);

		return g_strdup_printf(_("a restart is required for: %s"), joined);
	}
	if (g_str_equal(signal_name, "RebootRequested") &&
	    g_variant_is_of_type(parameters, G_VARIANT_TYPE("(s)"))) {
		const gchar *reason = NULL;
		g_autofree gchar *escaped = NULL;

		g_variant_get(parameters, "(&s)", &reason);
		escaped = prov_ctl_escape(reason);
		return g_strdup_printf(_("reboot requested: %s"), escaped);
	}
	return prov_ctl_monitor_describe_other(signal_name, parameters);
}

static void
prov_ctl_monitor_signal_cb(GDBusProxy *proxy,
			   const gchar *sender_name,
			   const gchar *signal_name,
			   GVariant *parameters,
			   gpointer user_data)
{
	ProvCtlMonitor *monitor = user_data;
	g_autofree gchar *text = NULL;

	if (monitor->ctl->json) {
		prov_ctl_monitor_print(monitor, signal_name,
				       prov_ctl_monitor_args_to_json(signal_name, parameters),
				       NULL);
		return;
	}
	text = prov_ctl_monitor_describe_signal(signal_name, parameters);
	prov_ctl_monitor_print(monitor, signal_name, NULL, text);
}

static gchar *
prov_ctl_monitor_format_time(GVariant *value, const gchar *if_zero)
{
	if (!g_variant_is_of_type(value, G_VARIANT_TYPE_INT64))
		return prov_ctl_format_value(value);
	if (g_variant_get_int64(value) == 0)
		return g_strdup(if_zero);
	return prov_ctl_format_time(g_variant_get_int64(value));
}

static gchar *
prov_ctl_monitor_format_property(const gchar *name, GVariant *value)
{
	if (g_str_equal(name, "NextResyncTime"))
		return prov_ctl_monitor_format_time(value, _("none scheduled"));
	if (g_str_equal(name, "LastSuccessTime"))
		return prov_ctl_monitor_format_time(value, _("never"));
	if (g_str_equal(name, "State") && g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
		return g_strdup(prov_ctl_format_status(g_variant_get_string(value, NULL)));
	if (g_str_equal(name, "LastResult") &&
	    g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		gint64 id = 0;

		if (!prov_ctl_lookup_int64(value, "id", &id))
			return g_strdup(_("none yet"));
		return prov_ctl_format_resync_summary((guint64)id, value);
	}
	if (g_str_equal(name, "ProvisioningState") &&
	    g_variant_is_of_type(value, G_VARIANT_TYPE_VARDICT)) {
		gint64 prvst = 0;
		const gchar *err = prov_ctl_lookup_string(value, "err");
		g_autofree gchar *escaped = prov_ctl_escape(err);

		prov_ctl_lookup_int64(value, "prvst", &prvst);
		return g_strdup_printf("PRVST %d, $ERR %s", (gint)prvst,
				       err[0] != '\0' ? escaped : _("none"));
	}
	if (g_str_equal(name, "Triggers") && g_variant_is_of_type(value, G_VARIANT_TYPE("aa{sv}")))
		return prov_ctl_format_triggers(value);
	return prov_ctl_format_value(value);
}

static void
prov_ctl_monitor_properties_cb(GDBusProxy *proxy,
			       GVariant *changed,
			       const gchar *const *invalidated,
			       gpointer user_data)
{
	ProvCtlMonitor *monitor = user_data;
	g_autofree gchar *owner = g_dbus_proxy_get_name_owner(proxy);
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *joined = NULL;
	g_autofree gchar *text = NULL;
	GVariantIter iter;
	const gchar *name;
	GVariant *value;

	/* the proxy drops its cache when the daemon leaves; that is not a change */
	if (owner == NULL)
		return;
	if (monitor->ctl->json) {
		json_object *args = json_object_new_object();
		json_object *names = json_object_new_array();

		json_object_object_add(args, "changed", prov_ctl_variant_to_json(changed));
		for (guint i = 0; invalidated != NULL && invalidated[i] != NULL; i++)
			json_object_array_add(names, json_object_new_string(invalidated[i]));
		json_object_object_add(args, "invalidated", names);
		prov_ctl_monitor_print(monitor, "PropertiesChanged", args, NULL);
		return;
	}
	g_variant_iter_init(&iter, changed);
	while (g_variant_iter_loop(&iter, "{&sv}", &name, &value)) {
		g_autofree gchar *formatted = prov_ctl_monitor_format_property(name, value);

		g_ptr_array_add(parts, g_strdup_printf("%s: %s", name, formatted));
	}
	for (guint i = 0; invalidated != NULL && invalidated[i] != NULL; i++)
		g_ptr_array_add(parts, g_strdup_printf(_("%s: invalidated"), invalidated[i]));
	if (parts->len == 0)
		return;
	g_ptr_array_add(parts, NULL);
	joined = g_strjoinv("; ", (gchar **)parts->pdata);
	text = g_strdup_printf(_("properties changed: %s"), joined);
	prov_ctl_monitor_print(monitor, "PropertiesChanged", NULL, text);
}

static void
prov_ctl_monitor_owner_cb(GObject *object, GParamSpec *pspec, gpointer user_data)
{
	ProvCtlMonitor *monitor = user_data;
	g_autofree gchar *owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(object));

	if (owner != NULL || monitor->error != NULL)
		return;
	prov_ctl_set_vanished_error(monitor->ctl, &monitor->error);
	g_main_loop_quit(monitor->loop);
}

static void
prov_ctl_monitor_closed_cb(GDBusConnection *connection,
			   gboolean remote_peer_vanished,
			   GError *closed_error,
			   gpointer user_data)
{
	ProvCtlMonitor *monitor = user_data;

	if (monitor->error == NULL)
		prov_ctl_set_closed_error(monitor->ctl, &monitor->error);
	g_main_loop_quit(monitor->loop);
}

static gboolean
prov_ctl_monitor_stop_cb(gpointer user_data)
{
	g_main_loop_quit(user_data);
	return G_SOURCE_CONTINUE;
}

gboolean
prov_ctl_monitor(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	ProvCtlMonitor monitor = {self, NULL, NULL};
	gulong handlers[3];
	gulong closed_handler;

	if (!prov_ctl_parse_options(self, "",
				    _("Print provisiond's signals (resync started, rule and resync "
				      "finished, parameters changed, restart required, reboot "
				      "requested) and property changes as they happen, one line "
				      "each with a timestamp, until interrupted or until "
				      "provisiond leaves the bus. With --json, one JSON object per "
				      "line."),
				    NULL, &argc, &argv, error))
		return FALSE;
	if (argc != 1)
		return prov_ctl_usage_error(error, _("%s takes no arguments"), self->command);
	/* the proxy loads the properties: only then does it report their changes */
	if (!prov_ctl_connect(self, G_DBUS_PROXY_FLAGS_GET_INVALIDATED_PROPERTIES, error))
		return FALSE;

	monitor.loop = g_main_loop_new(NULL, FALSE);
	handlers[0] = g_signal_connect(self->proxy, "g-signal",
				       G_CALLBACK(prov_ctl_monitor_signal_cb), &monitor);
	handlers[1] = g_signal_connect(self->proxy, "g-properties-changed",
				       G_CALLBACK(prov_ctl_monitor_properties_cb), &monitor);
	handlers[2] = g_signal_connect(self->proxy, "notify::g-name-owner",
				       G_CALLBACK(prov_ctl_monitor_owner_cb), &monitor);
	closed_handler = g_signal_connect(self->connection, "closed",
					  G_CALLBACK(prov_ctl_monitor_closed_cb), &monitor);
	/*
	 * kept until the process ends: removing them would restore the default
	 * action, and a second signal (timeout(1) sends two) would kill provctl
	 * on its way out
	 */
	g_unix_signal_add_full(G_PRIORITY_DEFAULT, SIGINT, prov_ctl_monitor_stop_cb,
			       g_main_loop_ref(monitor.loop), (GDestroyNotify)g_main_loop_unref);
	g_unix_signal_add_full(G_PRIORITY_DEFAULT, SIGTERM, prov_ctl_monitor_stop_cb,
			       g_main_loop_ref(monitor.loop), (GDestroyNotify)g_main_loop_unref);
	/* the match rules are in place once the proxy exists: a reader may act on this */
	g_printerr(_("provctl: following provisiond; press Ctrl+C to stop\n"));
	g_main_loop_run(monitor.loop);

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_handler_disconnect(self->proxy, handlers[i]);
	g_signal_handler_disconnect(self->connection, closed_handler);
	g_main_loop_unref(monitor.loop);
	if (monitor.error != NULL) {
		g_propagate_error(error, monitor.error);
		return FALSE;
	}
	return TRUE;
}
