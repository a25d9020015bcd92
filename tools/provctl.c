/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * provctl: the command-line client of provisiond. Everything goes through
 * the D-Bus API (data/org.provisiond.Provisioning1.xml); provctl keeps no
 * state and decides nothing the daemon does not decide, so the daemon's
 * authorisation and redaction of secrets apply to it as to any client.
 */

#define G_LOG_DOMAIN "ProvCtl"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "provctl.h"

static gboolean
prov_ctl_no_arguments(ProvCtl *self, gint argc, GError **error)
{
	if (argc == 1)
		return TRUE;
	return prov_ctl_usage_error(error, _("%s takes no arguments"), self->command);
}

/* status */

static void
prov_ctl_add_field(ProvCtlTable *table, const gchar *label, const gchar *value)
{
	const gchar *cells[] = {label, value};

	prov_ctl_table_add_row(table, cells);
}

static void
prov_ctl_add_time_field(ProvCtlTable *table,
			GVariant *properties,
			const gchar *property,
			const gchar *label,
			const gchar *if_zero)
{
	gint64 time = 0;
	g_autofree gchar *text = NULL;

	prov_ctl_lookup_int64(properties, property, &time);
	if (time == 0) {
		prov_ctl_add_field(table, label, if_zero);
		return;
	}
	text = prov_ctl_format_time(time);
	prov_ctl_add_field(table, label, text);
}

static void
prov_ctl_add_rule_fields(ProvCtlTable *table, GVariant *rule)
{
	g_autofree gchar *name = g_strdup_printf("  %s", prov_ctl_lookup_string(rule, "name"));
	g_autofree gchar *outcome = prov_ctl_format_rule_outcome(rule);
	const gchar *status = prov_ctl_lookup_string(rule, "status");
	const gchar *url = prov_ctl_lookup_string(rule, "url");
	const gchar *final_url = prov_ctl_lookup_string(rule, "final-url");
	g_autoptr(GVariant) decoders = NULL;
	g_autoptr(GVariant) changed = NULL;

	prov_ctl_add_field(table, name, outcome);
	if (g_strcmp0(status, "empty") == 0)
		return;
	if (final_url[0] != '\0' && g_strcmp0(final_url, url) != 0) {
		g_autofree gchar *escaped = prov_ctl_escape(final_url);
		g_autofree gchar *text = g_strdup_printf(_("final URL: %s"), escaped);

		prov_ctl_add_field(table, "", text);
	}
	decoders = g_variant_lookup_value(rule, "decoders", G_VARIANT_TYPE_STRING_ARRAY);
	if (decoders != NULL && g_variant_n_children(decoders) > 0) {
		g_autofree gchar *list = prov_ctl_format_value(decoders);
		g_autofree gchar *decoded =
		    prov_ctl_format_bytes(prov_ctl_lookup_uint64(rule, "decoded-bytes"));
		g_autofree gchar *text =
		    g_strdup_printf(_("decoded by %1$s to %2$s"), list, decoded);

		prov_ctl_add_field(table, "", text);
	}
	if (g_strcmp0(status, "failed") != 0) {
		g_autofree gchar *counts = prov_ctl_format_rule_counts(rule);

		prov_ctl_add_field(table, "", counts);
	}
	changed = g_variant_lookup_value(rule, "changed", G_VARIANT_TYPE_STRING_ARRAY);
	if (changed != NULL && g_variant_n_children(changed) > 0) {
		g_autofree gchar *list = prov_ctl_format_value(changed);
		g_autofree gchar *text = g_strdup_printf(_("changed: %s"), list);

		prov_ctl_add_field(table, "", text);
	}
}

static void
prov_ctl_add_last_result(ProvCtlTable *table, GVariant *properties)
{
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *cause_text = NULL;
	g_autofree gchar *started = NULL;
	g_autofree gchar *when = NULL;
	gint64 id = 0;
	gint64 cause = 0;
	gint64 start_time = 0;
	gboolean one_shot = FALSE;

	result = g_variant_lookup_value(properties, "LastResult", G_VARIANT_TYPE_VARDICT);
	if (result == NULL || !prov_ctl_lookup_int64(result, "id", &id)) {
		prov_ctl_add_field(table, _("Last resync:"), _("none yet"));
		return;
	}
	summary = prov_ctl_format_resync_summary((guint64)id, result);
	prov_ctl_add_field(table, _("Last resync:"), summary);

	prov_ctl_lookup_int64(result, "cause", &cause);
	prov_ctl_lookup_int64(result, "start-time", &start_time);
	g_variant_lookup(result, "one-shot", "b", &one_shot);
	cause_text = prov_ctl_format_cause((gint)cause);
	started = prov_ctl_format_time(start_time / G_USEC_PER_SEC);
	if (one_shot)
		when =
		    g_strdup_printf(_("started %1$s (%2$s, one-shot rule)"), started, cause_text);
	else
		when = g_strdup_printf(_("started %1$s (%2$s)"), started, cause_text);
	prov_ctl_add_field(table, "", when);

	rules = g_variant_lookup_value(result, "rules", G_VARIANT_TYPE("aa{sv}"));
	for (gsize i = 0; rules != NULL && i < g_variant_n_children(rules); i++) {
		g_autoptr(GVariant) rule = g_variant_get_child_value(rules, i);

		prov_ctl_add_rule_fields(table, rule);
	}
}

static void
prov_ctl_add_provisioning_state(ProvCtlTable *table, GVariant *properties)
{
	g_autoptr(GVariant) state = NULL;
	g_autoptr(GVariant) history = NULL;
	g_autofree gchar *cause_text = NULL;
	g_autofree gchar *prvst = NULL;
	const gchar *err;
	gint64 cause = 0;
	guint status_width = 0;
	gsize n_history;

	state = g_variant_lookup_value(properties, "ProvisioningState", G_VARIANT_TYPE_VARDICT);
	if (state == NULL)
		return;
	if (prov_ctl_lookup_int64(state, "prvst", &cause)) {
		cause_text = prov_ctl_format_cause((gint)cause);
		prvst = g_strdup_printf("%d (%s)", (gint)cause, cause_text);
		prov_ctl_add_field(table, _("PRVST:"), prvst);
	}
	err = prov_ctl_lookup_string(state, "err");
	prov_ctl_add_field(table, _("$ERR:"), err[0] != '\0' ? err : _("none"));

	history = g_variant_lookup_value(state, "history", G_VARIANT_TYPE("aa{sv}"));
	n_history = history != NULL ? g_variant_n_children(history) : 0;
	if (n_history == 0) {
		prov_ctl_add_field(table, _("History:"), _("none"));
		return;
	}
	for (gsize i = 0; i < n_history; i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(history, i);
		const gchar *status = prov_ctl_lookup_string(entry, "status");

		status_width =
		    MAX(status_width, prov_ctl_display_width(prov_ctl_format_status(status)));
	}
	for (gsize i = 0; i < n_history; i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(history, i);
		g_autoptr(GString) text = g_string_new(NULL);
		g_autofree gchar *time_text = NULL;
		g_autofree gchar *reason = NULL;
		const gchar *status =
		    prov_ctl_format_status(prov_ctl_lookup_string(entry, "status"));
		gint64 time = 0;

		prov_ctl_lookup_int64(entry, "time", &time);
		time_text = prov_ctl_format_time(time);
		reason = prov_ctl_escape(prov_ctl_lookup_string(entry, "reason"));
		g_string_append_printf(text, "%s  %s", time_text, status);
		if (reason[0] != '\0') {
			for (guint w = prov_ctl_display_width(status); w < status_width; w++)
				g_string_append_c(text, ' ');
			g_string_append_printf(text, "  %s", reason);
		}
		prov_ctl_add_field(table, i == 0 ? _("History:") : "", text->str);
	}
}

static void
prov_ctl_add_custom_ca(ProvCtlTable *table, GVariant *properties)
{
	g_autoptr(GVariant) custom_ca = NULL;
	const gchar *info;
	const gchar *status;

	custom_ca = g_variant_lookup_value(properties, "CustomCAStatus", G_VARIANT_TYPE("a{ss}"));
	info = prov_ctl_lookup_string(custom_ca, "info");
	status = prov_ctl_lookup_string(custom_ca, "status");
	prov_ctl_add_field(table, _("Custom CA:"), info[0] != '\0' ? info : _("unknown"));
	if (status[0] != '\0')
		prov_ctl_add_field(table, "", status);
}

static void
prov_ctl_add_device(ProvCtlTable *table, GVariant *properties)
{
	/* the documented keys first, in the order of the D-Bus API, then any others */
	static const gchar *const known[] = {"MAC",
					     "Serial",
					     "ProductName",
					     "ProductSeries",
					     "SoftwareVersion",
					     "HardwareVersion",
					     "Manufacturer",
					     "IP",
					     NULL};
	g_autoptr(GVariant) device = NULL;
	g_autoptr(GPtrArray) keys = g_ptr_array_new();
	GVariantIter iter;
	const gchar *key;
	const gchar *value;
	guint key_width = 0;

	device = g_variant_lookup_value(properties, "Device", G_VARIANT_TYPE("a{ss}"));
	for (guint i = 0; device != NULL && known[i] != NULL; i++) {
		if (prov_ctl_lookup_string(device, known[i])[0] != '\0')
			g_ptr_array_add(keys, (gpointer)known[i]);
	}
	if (device != NULL) {
		g_variant_iter_init(&iter, device);
		while (g_variant_iter_next(&iter, "{&s&s}", &key, &value)) {
			if (value[0] != '\0' && !g_strv_contains(known, key))
				g_ptr_array_add(keys, (gpointer)key);
		}
	}
	if (keys->len == 0) {
		prov_ctl_add_field(table, _("Device:"), _("unknown"));
		return;
	}
	for (guint i = 0; i < keys->len; i++)
		key_width = MAX(key_width, prov_ctl_display_width(g_ptr_array_index(keys, i)));
	for (guint i = 0; i < keys->len; i++) {
		const gchar *name = g_ptr_array_index(keys, i);
		g_autofree gchar *escaped = prov_ctl_escape(prov_ctl_lookup_string(device, name));
		g_autofree gchar *text =
		    g_strdup_printf("%-*s  %s", (gint)key_width, name, escaped);

		prov_ctl_add_field(table, i == 0 ? _("Device:") : "", text);
	}
}

static void
prov_ctl_add_triggers(ProvCtlTable *table, GVariant *properties)
{
	g_autoptr(GVariant) triggers = NULL;
	gsize n;

	triggers = g_variant_lookup_value(properties, "Triggers", G_VARIANT_TYPE("aa{sv}"));
	n = triggers != NULL ? g_variant_n_children(triggers) : 0;
	if (n == 0) {
		prov_ctl_add_field(table, _("Triggers:"), _("none"));
		return;
	}
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) trigger = g_variant_get_child_value(triggers, i);
		g_autofree gchar *text = prov_ctl_format_trigger(trigger);

		prov_ctl_add_field(table, i == 0 ? _("Triggers:") : "", text);
	}
}

static void
prov_ctl_print_status(GVariant *properties)
{
	g_autoptr(ProvCtlTable) table = prov_ctl_table_new(2);
	g_autoptr(GString) out = g_string_new(NULL);
	const gchar *default_server = prov_ctl_lookup_string(properties, "DefaultServer");
	gboolean busy = FALSE;

	prov_ctl_add_field(table, _("State:"),
			   prov_ctl_format_status(prov_ctl_lookup_string(properties, "State")));
	g_variant_lookup(properties, "Busy", "b", &busy);
	prov_ctl_add_field(table, _("Busy:"), busy ? _("yes, a line is busy") : _("no"));
	prov_ctl_add_time_field(table, properties, "NextResyncTime", _("Next resync:"),
				_("none scheduled"));
	prov_ctl_add_time_field(table, properties, "LastSuccessTime", _("Last success:"),
				_("never"));
	prov_ctl_add_last_result(table, properties);
	prov_ctl_add_provisioning_state(table, properties);
	prov_ctl_add_custom_ca(table, properties);
	prov_ctl_add_field(table, _("Default server:"),
			   default_server[0] != '\0' ? default_server : _("none"));
	prov_ctl_add_device(table, properties);
	prov_ctl_add_triggers(table, properties);
	prov_ctl_add_field(table, _("Version:"), prov_ctl_lookup_string(properties, "Version"));
	prov_ctl_table_print(table, out);
	fputs(out->str, stdout);
}

static gboolean
prov_ctl_status(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) properties = NULL;

	if (!prov_ctl_parse_options(self, "",
				    _("Show provisiond's state, its schedule, the outcome of the "
				      "last resync rule by rule, the provisioning state and "
				      "history, the device identity and the remote-trigger "
				      "listeners."),
				    NULL, &argc, &argv, error) ||
	    !prov_ctl_no_arguments(self, argc, error) ||
	    !prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;
	/* GetAll rather than the proxy's cache: its failure is reported, not hidden */
	reply = prov_ctl_call(self, "org.freedesktop.DBus.Properties.GetAll",
			      g_variant_new("(s)", PROV_CTL_INTERFACE), G_VARIANT_TYPE("(a{sv})"),
			      -1, error);
	if (reply == NULL)
		return FALSE;
	properties = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(json_object) root = prov_ctl_variant_to_json(properties);

		prov_ctl_print_json(root);
		return TRUE;
	}
	prov_ctl_print_status(properties);
	return TRUE;
}

/* get */

static gboolean
prov_ctl_get(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) values = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GHashTable) printed = g_hash_table_new(g_str_hash, g_str_equal);
	GVariantBuilder names;
	GVariantIter iter;
	const gchar *name;
	const gchar *value;

	if (!prov_ctl_parse_options(self, _("NAME…"),
				    _("Print the value of each parameter NAME: the value alone for "
				      "one name, NAME=VALUE lines for several. Secret values read "
				      "as empty unless the caller may read secrets."),
				    NULL, &argc, &argv, error))
		return FALSE;
	if (argc < 2)
		return prov_ctl_usage_error(error, _("get needs at least one NAME"));
	if (!prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;

	g_variant_builder_init(&names, G_VARIANT_TYPE_STRING_ARRAY);
	for (gint i = 1; i < argc; i++)
		g_variant_builder_add(&names, "s", argv[i]);
	reply = prov_ctl_call(self, "GetParameters", g_variant_new("(as)", &names),
			      G_VARIANT_TYPE("(a{ss})"), -1, error);
	if (reply == NULL)
		return FALSE;
	values = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(json_object) root = prov_ctl_variant_to_json(values);

		prov_ctl_print_json(root);
		return TRUE;
	}
	if (argc == 2 && g_variant_n_children(values) == 1) {
		g_variant_get_child(values, 0, "{&s&s}", NULL, &value);
		g_print("%s\n", value);
		return TRUE;
	}
	/* in the order asked for; names the daemon spelled otherwise (aliases) follow */
	for (gint i = 1; i < argc; i++) {
		if (!g_variant_lookup(values, argv[i], "&s", &value))
			continue;
		g_string_append_printf(out, "%s=%s\n", argv[i], value);
		g_hash_table_add(printed, argv[i]);
	}
	g_variant_iter_init(&iter, values);
	while (g_variant_iter_next(&iter, "{&s&s}", &name, &value)) {
		if (!g_hash_table_contains(printed, name))
			g_string_append_printf(out, "%s=%s\n", name, value);
	}
	fputs(out->str, stdout);
	return TRUE;
}

/* set */

/*
 * Values given to set may be secrets: an error message that quotes one is
 * shown with it masked. Short values are left alone, since masking "1" or
 * "No" would mangle the rest of the message and reveals nothing.
 */
static void
prov_ctl_mask_values(GError *error, GPtrArray *values)
{
	for (guint i = 0; i < values->len; i++) {
		const gchar *value = g_ptr_array_index(values, i);
		g_autoptr(GString) message = NULL;

		if (strlen(value) < 4 || strstr(error->message, value) == NULL)
			continue;
		message = g_string_new(error->message);
		g_string_replace(message, value, "********", 0);
		g_free(error->message);
		error->message = g_string_free(g_steal_pointer(&message), FALSE);
	}
}

static gboolean
prov_ctl_set(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error_local = NULL;
	GVariantBuilder builder;

	if (!prov_ctl_parse_options(self, _("NAME=VALUE…"),
				    _("Set the parameters as one transaction: every value is "
				      "checked first, and one bad value or unknown name changes "
				      "nothing. Changing a Profile_Rule starts a resync."),
				    NULL, &argc, &argv, error))
		return FALSE;
	if (argc < 2)
		return prov_ctl_usage_error(error, _("set needs at least one NAME=VALUE"));
	/* every argument is checked before anything is sent */
	for (gint i = 1; i < argc; i++) {
		const gchar *equals = strchr(argv[i], '=');

		/* the argument has no '=', so it holds no value to keep quiet about */
		if (equals == NULL)
			return prov_ctl_usage_error(error, _("“%s” is not NAME=VALUE"), argv[i]);
		if (equals == argv[i])
			return prov_ctl_usage_error(
			    error, _("argument %d has no parameter name before “=”"), i);
		g_ptr_array_add(names, g_strndup(argv[i], equals - argv[i]));
		g_ptr_array_add(values, g_strdup(equals + 1));
	}
	if (!prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	for (guint i = 0; i < names->len; i++)
		g_variant_builder_add(&builder, "{ss}", g_ptr_array_index(names, i),
				      g_ptr_array_index(values, i));
	reply = prov_ctl_call(self, "SetParameters", g_variant_new("(a{ss})", &builder),
			      G_VARIANT_TYPE_UNIT, PROV_CTL_LONG_TIMEOUT_MS, &error_local);
	if (reply == NULL) {
		prov_ctl_mask_values(error_local, values);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (self->json) {
		g_autoptr(json_object) root = json_object_new_object();
		json_object *array = json_object_new_array();

		for (guint i = 0; i < names->len; i++)
			json_object_array_add(array,
					      json_object_new_string(g_ptr_array_index(names, i)));
		json_object_object_add(root, "set", array);
		prov_ctl_print_json(root);
	}
	return TRUE;
}

/* list */

static const GOptionEntry prov_ctl_list_entries[] = {
    {"group", 'g', 0, G_OPTION_ARG_STRING, NULL,
     N_("List only the parameters of GROUP (for example Provisioning/Configuration_Profile)"),
     N_("GROUP")},
    {"descriptions", 'd', 0, G_OPTION_ARG_NONE, NULL,
     N_("Print each parameter's description below it, in your language where a translation "
	"exists"),
     NULL},
    {NULL},
};

static gchar *
prov_ctl_format_flags(GVariant *parameter)
{
	g_autoptr(GPtrArray) flags = g_ptr_array_new();
	/* TRANSLATORS: a flag of a parameter: its value is a secret */
	const gchar *secret_label = _("secret");
	/* TRANSLATORS: a flag of a parameter: a change takes effect after a restart */
	const gchar *restart_label = _("restart");
	gboolean secret = FALSE;
	gboolean restart = FALSE;

	g_variant_lookup(parameter, "secret", "b", &secret);
	g_variant_lookup(parameter, "restart", "b", &restart);
	if (secret)
		g_ptr_array_add(flags, (gpointer)secret_label);
	if (restart)
		g_ptr_array_add(flags, (gpointer)restart_label);
	g_ptr_array_add(flags, NULL);
	return g_strjoinv(", ", (gchar **)flags->pdata);
}

static gboolean
prov_ctl_list(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) parameters = NULL;
	g_autoptr(ProvCtlTable) table = prov_ctl_table_new(4);
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *group = NULL;
	gsize n;

	if (!prov_ctl_parse_options(self, "",
				    _("List the parameters, group by group, with their access (na, "
				      "ro, rw), flags (secret, restart) and value."),
				    prov_ctl_list_entries, &argc, &argv, error) ||
	    !prov_ctl_no_arguments(self, argc, error) ||
	    !prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;
	reply = prov_ctl_call(self, "ListParameters",
			      g_variant_new("(s)", self->group != NULL ? self->group : ""),
			      G_VARIANT_TYPE("(aa{sv})"), -1, error);
	if (reply == NULL)
		return FALSE;
	parameters = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(json_object) root = prov_ctl_variant_to_json(parameters);

		prov_ctl_print_json(root);
		return TRUE;
	}

	n = g_variant_n_children(parameters);
	if (n == 0 && self->group != NULL) {
		g_printerr(_("provctl: no parameters in group “%s”\n"), self->group);
		return TRUE;
	}
	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) parameter = g_variant_get_child_value(parameters, i);
		g_autofree gchar *name =
		    g_strdup_printf("  %s", prov_ctl_lookup_string(parameter, "name"));
		g_autofree gchar *value =
		    prov_ctl_escape(prov_ctl_lookup_string(parameter, "value"));
		g_autofree gchar *flags = prov_ctl_format_flags(parameter);
		const gchar *parameter_group = prov_ctl_lookup_string(parameter, "group");
		/* the value last: long ones (templates, rules) do not push the others away */
		const gchar *cells[] = {name, prov_ctl_lookup_string(parameter, "access"), flags,
					value};

		/* schema order keeps a group's parameters together; a heading where it starts */
		if (group == NULL || g_strcmp0(group, parameter_group) != 0) {
			g_autofree gchar *heading = g_strdup_printf("%s:", parameter_group);

			if (group != NULL)
				prov_ctl_table_add_line(table, "");
			prov_ctl_table_add_line(table, heading);
			g_free(group);
			group = g_strdup(parameter_group);
		}
		prov_ctl_table_add_row(table, cells);
		if (self->descriptions) {
			g_autofree gchar *description = prov_ctl_translate_description(
			    prov_ctl_lookup_string(parameter, "description"));
			g_autofree gchar *escaped = prov_ctl_escape(description);
			g_autofree gchar *line = g_strdup_printf("      %s", escaped);

			if (escaped[0] != '\0')
				prov_ctl_table_add_line(table, line);
		}
	}
	prov_ctl_table_print(table, out);
	fputs(out->str, stdout);
	return TRUE;
}

/* plugins */

/* the names under @key, or NULL when there are none */
static gchar *
prov_ctl_format_provided(GVariant *plugin, const gchar *key)
{
	g_autoptr(GVariant) names = NULL;

	names = g_variant_lookup_value(plugin, key, G_VARIANT_TYPE_STRING_ARRAY);
	if (names == NULL || g_variant_n_children(names) == 0)
		return NULL;
	return prov_ctl_format_value(names);
}

static gboolean
prov_ctl_plugins(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) plugins = NULL;
	g_autoptr(ProvCtlTable) table = prov_ctl_table_new(4);
	g_autoptr(GString) out = g_string_new(NULL);
	/* TRANSLATORS: the column headings of the plugin table */
	const gchar *header[] = {C_("column", "NAME"), C_("column", "STATUS"),
				 C_("column", "PROVIDES"), C_("column", "FILE")};

	if (!prov_ctl_parse_options(self, "",
				    _("List the plugin modules provisiond loaded, what each "
				      "provides, and the modules it refused with the reason."),
				    NULL, &argc, &argv, error) ||
	    !prov_ctl_no_arguments(self, argc, error) ||
	    !prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;
	reply = prov_ctl_call(self, "ListPlugins", NULL, G_VARIANT_TYPE("(aa{sv})"), -1, error);
	if (reply == NULL)
		return FALSE;
	plugins = g_variant_get_child_value(reply, 0);
	if (self->json) {
		g_autoptr(json_object) root = prov_ctl_variant_to_json(plugins);

		prov_ctl_print_json(root);
		return TRUE;
	}

	prov_ctl_table_add_row(table, header);
	for (gsize i = 0; i < g_variant_n_children(plugins); i++) {
		g_autoptr(GVariant) plugin = g_variant_get_child_value(plugins, i);
		g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);
		g_autofree gchar *provides = NULL;
		g_autofree gchar *transports = NULL;
		g_autofree gchar *decoders = NULL;
		g_autofree gchar *triggers = NULL;
		const gchar *plugin_error = prov_ctl_lookup_string(plugin, "error");
		gboolean loaded = FALSE;
		const gchar *cells[4];

		g_variant_lookup(plugin, "loaded", "b", &loaded);
		transports = prov_ctl_format_provided(plugin, "transports");
		decoders = prov_ctl_format_provided(plugin, "decoders");
		triggers = prov_ctl_format_provided(plugin, "triggers");
		if (transports != NULL)
			g_ptr_array_add(parts, g_strdup_printf(_("transports: %s"), transports));
		if (decoders != NULL)
			g_ptr_array_add(parts, g_strdup_printf(_("decoders: %s"), decoders));
		if (triggers != NULL)
			g_ptr_array_add(parts, g_strdup_printf(_("triggers: %s"), triggers));
		g_ptr_array_add(parts, NULL);
		provides = g_strjoinv("; ", (gchar **)parts->pdata);
		cells[0] = prov_ctl_lookup_string(plugin, "name");
		/* TRANSLATORS: the status of a plugin module */
		cells[1] = loaded ? _("loaded") : _("refused");
		cells[2] = provides;
		cells[3] = prov_ctl_lookup_string(plugin, "file");
		prov_ctl_table_add_row(table, cells);
		if (!loaded && plugin_error[0] != '\0') {
			g_autofree gchar *escaped = prov_ctl_escape(plugin_error);
			g_autofree gchar *line = g_strdup_printf(_("  refused: %s"), escaped);

			prov_ctl_table_add_line(table, line);
		}
	}
	prov_ctl_table_print(table, out);
	fputs(out->str, stdout);
	return TRUE;
}

/*
 * the setters the D-Bus API has beyond parameters; @parameters is floating,
 * and @echo (transfer full) is what --json prints on success
 */

static gboolean
prov_ctl_call_setter(
    ProvCtl *self, const gchar *method, GVariant *parameters, json_object *echo, GError **error)
{
	g_autoptr(GVariant) owned = g_variant_ref_sink(parameters);
	g_autoptr(json_object) root = echo;
	g_autoptr(GVariant) reply = NULL;

	if (!prov_ctl_connect(self,
			      G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
				  G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS,
			      error))
		return FALSE;
	reply = prov_ctl_call(self, method, owned, G_VARIANT_TYPE_UNIT, PROV_CTL_LONG_TIMEOUT_MS,
			      error);
	if (reply == NULL)
		return FALSE;
	if (self->json)
		prov_ctl_print_json(root);
	return TRUE;
}

static gboolean
prov_ctl_set_busy(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	json_object *echo;
	gboolean busy;

	if (!prov_ctl_parse_options(self, _("yes|no"),
				    _("Tell provisiond whether a line is busy. While it is, a due "
				      "resync waits for idle, or at most Forced_Resync_Delay "
				      "seconds."),
				    NULL, &argc, &argv, error))
		return FALSE;
	if (argc != 2)
		return prov_ctl_usage_error(error, _("set-busy needs yes or no"));
	if (g_strv_contains((const gchar *const[]){"yes", "true", "1", NULL}, argv[1]))
		busy = TRUE;
	else if (g_strv_contains((const gchar *const[]){"no", "false", "0", NULL}, argv[1]))
		busy = FALSE;
	else
		return prov_ctl_usage_error(error, _("set-busy needs yes or no, not “%s”"),
					    argv[1]);
	echo = json_object_new_object();
	json_object_object_add(echo, "busy", json_object_new_boolean(busy));
	return prov_ctl_call_setter(self, "SetBusy", g_variant_new("(b)", busy), echo, error);
}

static gboolean
prov_ctl_set_log_level(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *domains = NULL;
	json_object *echo;

	if (!prov_ctl_parse_options(self, _("LEVEL [DOMAIN…]"),
				    _("Change the verbosity of provisiond's own log: LEVEL is "
				      "warning, message, info or debug; debug may name log domains "
				      "(ProvEngine, ProvPluginTftp, …)."),
				    NULL, &argc, &argv, error))
		return FALSE;
	if (argc < 2)
		return prov_ctl_usage_error(error, _("set-log-level needs a LEVEL"));
	domains = g_strjoinv(" ", argv + 2);
	echo = json_object_new_object();
	json_object_object_add(echo, "level", json_object_new_string(argv[1]));
	json_object_object_add(echo, "domains", json_object_new_string(domains));
	return prov_ctl_call_setter(self, "SetLogLevel", g_variant_new("(ss)", argv[1], domains),
				    echo, error);
}

static gboolean
prov_ctl_set_default_server(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	json_object *echo;

	if (!prov_ctl_parse_options(
		self, _("SERVER"),
		_("Set the provisioning server of rules without a host (host or "
		  "host:port, as DHCP option 66 gives it); an empty SERVER "
		  "clears it."),
		NULL, &argc, &argv, error))
		return FALSE;
	if (argc != 2)
		return prov_ctl_usage_error(error, _("set-default-server needs one SERVER"));
	echo = json_object_new_object();
	json_object_object_add(echo, "default-server", json_object_new_string(argv[1]));
	return prov_ctl_call_setter(self, "SetDefaultServer", g_variant_new("(s)", argv[1]), echo,
				    error);
}

/* the command line */

typedef struct {
	const gchar *name;
	gboolean (*run)(ProvCtl *self, gint argc, gchar **argv, GError **error);
	const gchar *summary;
} ProvCtlCommand;

static const ProvCtlCommand prov_ctl_commands[] = {
    {"status", prov_ctl_status, N_("Show the state, the schedule and the last result")},
    {"resync", prov_ctl_resync, N_("Resync now, with the stored rules or a one-shot RULE")},
    {"get", prov_ctl_get, N_("Print parameter values")},
    {"set", prov_ctl_set, N_("Set parameter values in one transaction")},
    {"list", prov_ctl_list, N_("List the parameters with their values and access")},
    {"monitor", prov_ctl_monitor, N_("Follow provisiond's signals and property changes")},
    {"plugins", prov_ctl_plugins, N_("List the plugins and the refused modules")},
    {"set-busy", prov_ctl_set_busy, N_("Tell provisiond whether a line is busy")},
    {"set-log-level", prov_ctl_set_log_level, N_("Change the verbosity of provisiond's log")},
    {"set-default-server", prov_ctl_set_default_server,
     N_("Set the server of rules without a host")},
};

static gchar *
prov_ctl_commands_summary(void)
{
	GString *out = g_string_new(_("Commands:"));

	for (guint i = 0; i < G_N_ELEMENTS(prov_ctl_commands); i++)
		g_string_append_printf(out, "\n  %-20s %s", prov_ctl_commands[i].name,
				       _(prov_ctl_commands[i].summary));
	g_string_append_printf(out, "\n\n%s",
			       _("Run 'provctl COMMAND --help' for the options of a command."));
	return g_string_free(out, FALSE);
}

static gboolean
prov_ctl_run(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autofree gchar *summary = prov_ctl_commands_summary();
	g_autoptr(GOptionContext) context = prov_ctl_option_context_new(
	    self, _("COMMAND [OPTION…]"), summary, prov_ctl_global_entries, FALSE);
	g_autofree gchar *prgname = NULL;

	/* the options before the command are provctl's; those after it, the command's */
	g_option_context_set_strict_posix(context, TRUE);
	if (!g_option_context_parse(context, &argc, &argv, error))
		return FALSE;
	if (argc < 2)
		return prov_ctl_usage_error(error, _("no command given"));

	for (guint i = 0; i < G_N_ELEMENTS(prov_ctl_commands); i++) {
		if (g_strcmp0(argv[1], prov_ctl_commands[i].name) != 0)
			continue;
		self->command = prov_ctl_commands[i].name;
		/* "provctl resync" in --help output */
		prgname = g_strdup_printf("provctl %s", self->command);
		g_set_prgname(prgname);
		return prov_ctl_commands[i].run(self, argc - 1, argv + 1, error);
	}
	return prov_ctl_usage_error(error, _("unknown command “%s”"), argv[1]);
}

int
main(int argc, char **argv)
{
	g_auto(ProvCtl) self = {0};
	g_autoptr(GError) error = NULL;
	const gchar *localedir;

	setlocale(LC_ALL, "");
	/* PROV_LOCALEDIR: the catalogues of an uninstalled build (meson devenv sets it) */
	localedir = g_getenv("PROV_LOCALEDIR");
	bindtextdomain(GETTEXT_PACKAGE,
		       localedir != NULL && localedir[0] != '\0' ? localedir : PROV_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);
	g_set_prgname("provctl");

	/* known before parsing, so that a usage error is JSON too */
	for (gint i = 1; i < argc && g_strcmp0(argv[i], "--") != 0; i++) {
		if (g_strcmp0(argv[i], "--json") == 0)
			self.json = TRUE;
	}
	if (!prov_ctl_run(&self, argc, argv, &error))
		return prov_ctl_report_error(&self, error);
	return 0;
}
