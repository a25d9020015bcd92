/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvCtl"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "provctl.h"

G_DEFINE_QUARK(prov - ctl - error - quark, prov_ctl_error)

void
prov_ctl_clear(ProvCtl *self)
{
	g_free(self->bus_address);
	g_free(self->group);
	g_clear_object(&self->proxy);
	g_clear_object(&self->connection);
}

const GOptionEntry prov_ctl_global_entries[] = {
    {"session", 0, 0, G_OPTION_ARG_NONE, NULL,
     N_("Talk to provisiond on the session bus instead of the system bus"), NULL},
    {"bus-address", 0, 0, G_OPTION_ARG_STRING, NULL,
     N_("Talk to provisiond on the bus at ADDRESS (for tests)"), N_("ADDRESS")},
    {"json", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print JSON instead of text"), NULL},
    {NULL},
};

/* where the options of the tables store their value */
static gpointer
prov_ctl_option_field(ProvCtl *self, const gchar *name)
{
	const struct {
		const gchar *name;
		gpointer field;
	} fields[] = {
	    {"session", &self->session},
	    {"bus-address", &self->bus_address},
	    {"json", &self->json},
	    {"no-wait", &self->no_wait},
	    {"timeout", &self->timeout},
	    {"group", &self->group},
	    {"descriptions", &self->descriptions},
	};

	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (g_strcmp0(fields[i].name, name) == 0)
			return fields[i].field;
	}
	g_assert_not_reached();
}

static void
prov_ctl_bind_entries(ProvCtl *self, const GOptionEntry *templates, GArray *entries)
{
	for (guint i = 0; templates != NULL && templates[i].long_name != NULL; i++) {
		GOptionEntry entry = templates[i];

		entry.arg_data = prov_ctl_option_field(self, entry.long_name);
		g_array_append_val(entries, entry);
	}
}

const gchar *
prov_ctl_exit_status_description(void)
{
	return _("Exit status:\n"
		 "  0  success\n"
		 "  1  failure: the reason is printed on standard error, or with --json as\n"
		 "     {\"error\": {\"name\": …, \"message\": …}} on standard output\n"
		 "  2  usage error");
}

/**
 * prov_ctl_option_context_new:
 * @entries: (nullable): the command's own options
 * @global: whether to add the options every command takes
 *
 * Returns: (transfer full): a context whose options store into @self
 */
GOptionContext *
prov_ctl_option_context_new(ProvCtl *self,
			    const gchar *parameter_string,
			    const gchar *summary,
			    const GOptionEntry *entries,
			    gboolean global)
{
	GOptionContext *context = g_option_context_new(parameter_string);
	g_autoptr(GArray) bound = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));

	prov_ctl_bind_entries(self, entries, bound);
	if (global)
		prov_ctl_bind_entries(self, prov_ctl_global_entries, bound);
	g_option_context_set_summary(context, summary);
	g_option_context_set_description(context, prov_ctl_exit_status_description());
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	/* the group copies the entries */
	g_option_context_add_main_entries(context, (const GOptionEntry *)bound->data,
					  GETTEXT_PACKAGE);
	return context;
}

/**
 * prov_ctl_parse_options:
 * @entries: (nullable): the command's own options; the global ones are added
 *
 * Parses the options of one command, in any order among its arguments.
 * `--help` prints the command's help and exits with 0.
 */
gboolean
prov_ctl_parse_options(ProvCtl *self,
		       const gchar *parameter_string,
		       const gchar *summary,
		       const GOptionEntry *entries,
		       gint *argc,
		       gchar ***argv,
		       GError **error)
{
	g_autoptr(GOptionContext) context =
	    prov_ctl_option_context_new(self, parameter_string, summary, entries, TRUE);

	if (!g_option_context_parse(context, argc, argv, error))
		return FALSE;
	/* "--" lets a one-shot rule begin with an option: resync -- "--key … url" */
	for (gint i = 1; i < *argc; i++) {
		if (g_strcmp0((*argv)[i], "--") != 0)
			continue;
		memmove(&(*argv)[i], &(*argv)[i + 1], (*argc - i) * sizeof(gchar *));
		(*argc)--;
		break;
	}
	if (self->bus_address != NULL && self->session)
		return prov_ctl_usage_error(error, _("--session and --bus-address exclude each "
						     "other"));
	return TRUE;
}

gboolean
prov_ctl_usage_error(GError **error, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_USAGE, message);
	return FALSE;
}

ProvCtlBus
prov_ctl_get_bus(ProvCtl *self)
{
	if (self->bus_address != NULL)
		return PROV_CTL_BUS_ADDRESS;
	return self->session ? PROV_CTL_BUS_SESSION : PROV_CTL_BUS_SYSTEM;
}

static void
prov_ctl_set_not_running_error(ProvCtl *self, GError **error)
{
	switch (prov_ctl_get_bus(self)) {
	case PROV_CTL_BUS_SYSTEM:
		g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NOT_RUNNING,
				    _("provisiond is not running on the system bus"));
		break;
	case PROV_CTL_BUS_SESSION:
		g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NOT_RUNNING,
				    _("provisiond is not running on the session bus"));
		break;
	case PROV_CTL_BUS_ADDRESS:
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NOT_RUNNING,
			    _("provisiond is not running on the bus at %s"), self->bus_address);
		break;
	}
}

void
prov_ctl_set_vanished_error(ProvCtl *self, GError **error)
{
	switch (prov_ctl_get_bus(self)) {
	case PROV_CTL_BUS_SYSTEM:
		g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_DISCONNECTED,
				    _("provisiond left the system bus"));
		break;
	case PROV_CTL_BUS_SESSION:
		g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_DISCONNECTED,
				    _("provisiond left the session bus"));
		break;
	case PROV_CTL_BUS_ADDRESS:
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_DISCONNECTED,
			    _("provisiond left the bus at %s"), self->bus_address);
		break;
	}
}

void
prov_ctl_set_closed_error(ProvCtl *self, GError **error)
{
	g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_DISCONNECTED,
			    _("the connection to the bus was closed"));
}

static gboolean
prov_ctl_open_bus(ProvCtl *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (self->bus_address != NULL) {
		self->connection = g_dbus_connection_new_for_address_sync(
		    self->bus_address,
		    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
			G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
		    NULL, NULL, &error_local);
	} else {
		self->connection = g_bus_get_sync(
		    self->session ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM, NULL, &error_local);
	}
	if (self->connection != NULL) {
		/* a bus that goes away ends provctl with a message, not silently */
		g_dbus_connection_set_exit_on_close(self->connection, FALSE);
		return TRUE;
	}

	g_dbus_error_strip_remote_error(error_local);
	switch (prov_ctl_get_bus(self)) {
	case PROV_CTL_BUS_SYSTEM:
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NO_BUS,
			    _("cannot connect to the system bus: %s"), error_local->message);
		break;
	case PROV_CTL_BUS_SESSION:
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NO_BUS,
			    _("cannot connect to the session bus: %s"), error_local->message);
		break;
	case PROV_CTL_BUS_ADDRESS:
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_NO_BUS,
			    _("cannot connect to the bus at %1$s: %2$s"), self->bus_address,
			    error_local->message);
		break;
	}
	return FALSE;
}

/**
 * prov_ctl_connect:
 * @flags: what the proxy needs: signals, cached properties
 *
 * Connects to the bus and to provisiond on it. provctl never starts the
 * daemon through bus activation: a status or a resync that silently starts
 * a stopped daemon would hide that it was not running.
 */
gboolean
prov_ctl_connect(ProvCtl *self, GDBusProxyFlags flags, GError **error)
{
	g_autofree gchar *owner = NULL;

	if (!prov_ctl_open_bus(self, error))
		return FALSE;
	self->proxy = prov_dbus_provisioning1_proxy_new_sync(
	    self->connection, flags | G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, PROV_CTL_BUS_NAME,
	    PROV_CTL_OBJECT_PATH, NULL, error);
	if (self->proxy == NULL)
		return FALSE;
	owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(self->proxy));
	if (owner == NULL) {
		prov_ctl_set_not_running_error(self, error);
		return FALSE;
	}
	return TRUE;
}

static gboolean
prov_ctl_error_is_gone(const GError *error)
{
	return g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
	       g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER);
}

/**
 * prov_ctl_call:
 * @parameters: (transfer floating) (nullable): the arguments
 * @reply_type: (nullable): the expected type of the reply
 *
 * Calls a method of provisiond (or, with a dotted @method, of another
 * interface of its object). Polkit may ask the user to authenticate.
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
GVariant *
prov_ctl_call(ProvCtl *self,
	      const gchar *method,
	      GVariant *parameters,
	      const GVariantType *reply_type,
	      gint timeout_ms,
	      GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GVariant) reply = NULL;

	reply = g_dbus_proxy_call_sync(G_DBUS_PROXY(self->proxy), method, parameters,
				       G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION,
				       timeout_ms, NULL, &error_local);
	if (reply == NULL) {
		/* the daemon left between the name lookup and the call */
		if (prov_ctl_error_is_gone(error_local))
			prov_ctl_set_not_running_error(self, error);
		else
			g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (reply_type != NULL && !g_variant_is_of_type(reply, reply_type)) {
		g_set_error(error, PROV_CTL_ERROR, PROV_CTL_ERROR_FAILED,
			    _("provisiond answered %1$s with the unexpected type %2$s"), method,
			    g_variant_get_type_string(reply));
		return NULL;
	}
	return g_steal_pointer(&reply);
}

static const gchar *
prov_ctl_error_local_name(const GError *error)
{
	static const gchar *const names[] = {
	    [PROV_CTL_ERROR_FAILED] = "org.provisiond.provctl.Error.Failed",
	    [PROV_CTL_ERROR_USAGE] = "org.provisiond.provctl.Error.Usage",
	    [PROV_CTL_ERROR_NO_BUS] = "org.provisiond.provctl.Error.NoBus",
	    [PROV_CTL_ERROR_NOT_RUNNING] = "org.provisiond.provctl.Error.NotRunning",
	    [PROV_CTL_ERROR_DISCONNECTED] = "org.provisiond.provctl.Error.Disconnected",
	    [PROV_CTL_ERROR_TIMED_OUT] = "org.provisiond.provctl.Error.TimedOut",
	    [PROV_CTL_ERROR_RESYNC_FAILED] = "org.provisiond.provctl.Error.ResyncFailed",
	};

	if (error->domain == PROV_CTL_ERROR && error->code >= 0 &&
	    error->code < PROV_CTL_ERROR_LAST)
		return names[error->code];
	if (error->domain == G_OPTION_ERROR)
		return names[PROV_CTL_ERROR_USAGE];
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
		return names[PROV_CTL_ERROR_TIMED_OUT];
	return names[PROV_CTL_ERROR_FAILED];
}

static gboolean
prov_ctl_error_is_usage(const GError *error)
{
	return error->domain == G_OPTION_ERROR ||
	       g_error_matches(error, PROV_CTL_ERROR, PROV_CTL_ERROR_USAGE);
}

/* the polkit action that would allow what the command asked for */
static const gchar *
prov_ctl_polkit_action(ProvCtl *self)
{
	if (g_strcmp0(self->command, "resync") == 0)
		return "org.provisiond.provisioning1.resync";
	if (g_strcmp0(self->command, "get") == 0 || g_strcmp0(self->command, "list") == 0)
		return "org.provisiond.provisioning1.read-secrets";
	return "org.provisiond.provisioning1.configure";
}

static gboolean
prov_ctl_error_is_denied(const gchar *name)
{
	return g_strcmp0(name, "org.freedesktop.DBus.Error.AccessDenied") == 0 ||
	       g_strcmp0(name, "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired") ==
		   0 ||
	       g_strcmp0(name, "org.freedesktop.PolicyKit1.Error.NotAuthorized") == 0;
}

/**
 * prov_ctl_report_error:
 *
 * Prints @error as the last thing provctl says: "provctl: reason" on
 * standard error, or with --json an error object on standard output and
 * nothing else.
 *
 * Returns: the exit status: 2 for a usage error, 1 otherwise
 */
gint
prov_ctl_report_error(ProvCtl *self, const GError *error)
{
	g_autoptr(GError) copy = g_error_copy(error);
	g_autofree gchar *remote_name = g_dbus_error_get_remote_error(copy);
	const gchar *name = remote_name;
	gint status = prov_ctl_error_is_usage(error) ? 2 : 1;

	/* a failed resync's JSON result was its whole output */
	if (self->json && g_error_matches(error, PROV_CTL_ERROR, PROV_CTL_ERROR_RESYNC_FAILED))
		return status;
	if (remote_name != NULL)
		g_dbus_error_strip_remote_error(copy);
	else
		name = prov_ctl_error_local_name(copy);

	if (self->json) {
		g_autoptr(json_object) root = json_object_new_object();
		json_object *object = json_object_new_object();

		json_object_object_add(object, "name", json_object_new_string(name));
		json_object_object_add(object, "message", json_object_new_string(copy->message));
		json_object_object_add(root, "error", object);
		/* one line, so that it ends monitor's stream of one object per line too */
		prov_ctl_print_json_line(root);
		return status;
	}

	if (remote_name != NULL) {
		const gchar *dot = strrchr(remote_name, '.');

		/* the last component names the error well enough: UnknownParameter */
		g_printerr("provctl: %s (%s)\n", copy->message,
			   dot != NULL ? dot + 1 : remote_name);
	} else {
		g_printerr("provctl: %s\n", copy->message);
	}
	if (prov_ctl_error_is_denied(remote_name)) {
		g_printerr(_("provctl: this needs privileges: run provctl as root, or let polkit "
			     "allow the action %s\n"),
			   prov_ctl_polkit_action(self));
	}
	if (status == 2 && self->command != NULL)
		g_printerr(_("Run 'provctl %s --help' for its usage.\n"), self->command);
	else if (status == 2)
		g_printerr(_("Run 'provctl --help' for the usage.\n"));
	return status;
}

/* JSON */

static json_object *
prov_ctl_dict_to_json(GVariant *value)
{
	json_object *object = json_object_new_object();
	gsize n = g_variant_n_children(value);

	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) entry = g_variant_get_child_value(value, i);
		g_autoptr(GVariant) key = g_variant_get_child_value(entry, 0);
		g_autoptr(GVariant) child = g_variant_get_child_value(entry, 1);
		g_autofree gchar *printed = NULL;
		const gchar *name;

		if (g_variant_is_of_type(key, G_VARIANT_TYPE_STRING) ||
		    g_variant_is_of_type(key, G_VARIANT_TYPE_OBJECT_PATH)) {
			name = g_variant_get_string(key, NULL);
		} else {
			printed = g_variant_print(key, FALSE);
			name = printed;
		}
		json_object_object_add(object, name, prov_ctl_variant_to_json(child));
	}
	return object;
}

static json_object *
prov_ctl_container_to_json(GVariant *value)
{
	json_object *array = json_object_new_array();
	gsize n = g_variant_n_children(value);

	for (gsize i = 0; i < n; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(value, i);

		json_object_array_add(array, prov_ctl_variant_to_json(child));
	}
	return array;
}

/**
 * prov_ctl_variant_to_json:
 *
 * Converts any D-Bus value: dictionaries become objects, arrays and tuples
 * arrays, integers of every width numbers (64-bit ones too, never strings),
 * variants their content.
 *
 * Returns: (transfer full) (nullable): the JSON value; %NULL is JSON null
 */
json_object *
prov_ctl_variant_to_json(GVariant *value)
{
	switch (g_variant_classify(value)) {
	case G_VARIANT_CLASS_BOOLEAN:
		return json_object_new_boolean(g_variant_get_boolean(value));
	case G_VARIANT_CLASS_BYTE:
		return json_object_new_int64(g_variant_get_byte(value));
	case G_VARIANT_CLASS_INT16:
		return json_object_new_int64(g_variant_get_int16(value));
	case G_VARIANT_CLASS_UINT16:
		return json_object_new_int64(g_variant_get_uint16(value));
	case G_VARIANT_CLASS_INT32:
		return json_object_new_int64(g_variant_get_int32(value));
	case G_VARIANT_CLASS_UINT32:
		return json_object_new_int64(g_variant_get_uint32(value));
	case G_VARIANT_CLASS_HANDLE:
		return json_object_new_int64(g_variant_get_handle(value));
	case G_VARIANT_CLASS_INT64:
		return json_object_new_int64(g_variant_get_int64(value));
	case G_VARIANT_CLASS_UINT64:
		return json_object_new_uint64(g_variant_get_uint64(value));
	case G_VARIANT_CLASS_DOUBLE:
		return json_object_new_double(g_variant_get_double(value));
	case G_VARIANT_CLASS_STRING:
	case G_VARIANT_CLASS_OBJECT_PATH:
	case G_VARIANT_CLASS_SIGNATURE:
		return json_object_new_string(g_variant_get_string(value, NULL));
	case G_VARIANT_CLASS_VARIANT: {
		g_autoptr(GVariant) inner = g_variant_get_variant(value);

		return prov_ctl_variant_to_json(inner);
	}
	case G_VARIANT_CLASS_MAYBE: {
		g_autoptr(GVariant) inner = g_variant_get_maybe(value);

		return inner != NULL ? prov_ctl_variant_to_json(inner) : NULL;
	}
	case G_VARIANT_CLASS_ARRAY:
		if (g_variant_type_is_dict_entry(g_variant_type_element(g_variant_get_type(value))))
			return prov_ctl_dict_to_json(value);
		return prov_ctl_container_to_json(value);
	case G_VARIANT_CLASS_TUPLE:
	case G_VARIANT_CLASS_DICT_ENTRY:
		return prov_ctl_container_to_json(value);
	}
	g_assert_not_reached();
}

static void
prov_ctl_print_json_flags(json_object *object, gint flags)
{
	const gchar *text = json_object_to_json_string_ext(
	    object, flags | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);

	fputs(text, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

void
prov_ctl_print_json(json_object *object)
{
	prov_ctl_print_json_flags(object, JSON_C_TO_STRING_PRETTY);
}

/* one object per line, for monitor: a reader can split the stream on newlines */
void
prov_ctl_print_json_line(json_object *object)
{
	prov_ctl_print_json_flags(object, JSON_C_TO_STRING_PLAIN);
}

/* formatting for people */

gchar *
prov_ctl_format_time(gint64 unix_seconds)
{
	g_autoptr(GDateTime) time = g_date_time_new_from_unix_local(unix_seconds);

	if (time == NULL)
		return g_strdup_printf("%" G_GINT64_FORMAT, unix_seconds);
	return g_date_time_format(time, "%Y-%m-%d %H:%M:%S %Z");
}

gchar *
prov_ctl_format_duration(guint64 microseconds)
{
	guint64 seconds = microseconds / G_USEC_PER_SEC;

	if (microseconds < 10000)
		return g_strdup_printf(_("%.1f ms"), microseconds / 1000.0);
	if (seconds < 60)
		return g_strdup_printf(_("%.2f s"), microseconds / (gdouble)G_USEC_PER_SEC);
	if (seconds < 3600)
		return g_strdup_printf(_("%1$u min %2$02u s"), (guint)(seconds / 60),
				       (guint)(seconds % 60));
	return g_strdup_printf(_("%1$u h %2$02u min"), (guint)MIN(seconds / 3600, G_MAXUINT),
			       (guint)(seconds / 60 % 60));
}

gchar *
prov_ctl_format_bytes(guint64 bytes)
{
	g_autofree gchar *number = g_strdup_printf("%" G_GUINT64_FORMAT, bytes);

	return g_strdup_printf(ngettext("%s byte", "%s bytes", (gulong)MIN(bytes, G_MAXULONG)),
			       number);
}

/* reference 5.1: PRVST */
gchar *
prov_ctl_format_cause(gint cause)
{
	switch (cause) {
	case -1:
		return g_strdup(_("explicit request"));
	case 0:
		return g_strdup(_("boot"));
	case 1:
		return g_strdup(_("periodic or Resync_At"));
	case 2:
		return g_strdup(_("error retry"));
	default:
		return g_strdup_printf(_("cause %d"), cause);
	}
}

static const struct {
	const gchar *status;
	const gchar *label;
} prov_ctl_status_labels[] = {
    {"success", N_("success")},
    {"unchanged", N_("unchanged")},
    /* TRANSLATORS: a rule whose file was not found, counted as success */
    {"not-found", N_("not found (ok)")},
    {"failed", N_("failed")},
    /* TRANSLATORS: a rule that is blank, commented out or whose conditions all fail */
    {"empty", N_("empty")},
    {"skipped", N_("skipped")},
    {"cancelled", N_("cancelled")},
    {"idle", N_("idle")},
    /* TRANSLATORS: a resync is due and waits for the lines to be idle */
    {"pending", N_("pending")},
    {"resyncing", N_("resyncing")},
};

/* the statuses of the D-Bus API, as people read them; unknown ones as they are */
const gchar *
prov_ctl_format_status(const gchar *status)
{
	for (guint i = 0; i < G_N_ELEMENTS(prov_ctl_status_labels); i++) {
		if (g_strcmp0(prov_ctl_status_labels[i].status, status) == 0)
			return _(prov_ctl_status_labels[i].label);
	}
	return status;
}

/* the widest rule status, so that progress lines printed one by one line up */
static guint
prov_ctl_status_width(void)
{
	guint width = 0;

	for (guint i = 0; i < G_N_ELEMENTS(prov_ctl_status_labels); i++)
		width = MAX(width, prov_ctl_display_width(_(prov_ctl_status_labels[i].label)));
	return width;
}

/* control characters in values would break the lines of a table */
gchar *
prov_ctl_escape(const gchar *text)
{
	GString *out = g_string_sized_new(strlen(text));

	for (const gchar *p = text; *p != '\0'; p++) {
		if (*p == '\n')
			g_string_append(out, "\\n");
		else if (*p == '\r')
			g_string_append(out, "\\r");
		else if (*p == '\t')
			g_string_append(out, "\\t");
		else if ((guchar)*p < 0x20 || *p == 0x7f)
			g_string_append_printf(out, "\\x%02x", (guchar)*p);
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

/* @text with every number that is exactly @number (not part of a longer one) as {n} */
static gchar *
prov_ctl_number_to_placeholder(const gchar *text, const gchar *number)
{
	GString *out = g_string_sized_new(strlen(text) + 8);
	gsize number_length = strlen(number);

	for (const gchar *p = text; *p != '\0';) {
		gsize length = strspn(p, "0123456789");

		if (length == 0) {
			g_string_append_c(out, *p++);
			continue;
		}
		if (length == number_length && strncmp(p, number, length) == 0)
			g_string_append(out, "{n}");
		else
			g_string_append_len(out, p, (gssize)length);
		p += length;
	}
	return g_string_free(out, FALSE);
}

/**
 * prov_ctl_translate_description:
 * @description: a parameter's description as the daemon sends it, in English
 *
 * The schema's descriptions are in the provisiond gettext domain
 * (tools/extract-schema-strings extracts them). An instance of a template
 * arrives with its index in place of {n} ("Enables line 2."), which the
 * catalogue does not know: when the text has no translation, each number in
 * it is tried as the index, and the template's translation gets it back.
 * Descriptions from a vendor's schema stay as they are.
 *
 * Returns: (transfer full): the description in the user's language where the
 *   catalogue has it, or @description
 */
gchar *
prov_ctl_translate_description(const gchar *description)
{
	const gchar *translated;

	if (description[0] == '\0')
		return g_strdup("");
	translated = g_dgettext(GETTEXT_PACKAGE, description);
	if (translated != description)
		return g_strdup(translated);
	for (const gchar *p = description; *p != '\0';) {
		gsize length = strspn(p, "0123456789");
		g_autofree gchar *number = NULL;
		g_autofree gchar *template = NULL;

		if (length == 0) {
			p++;
			continue;
		}
		number = g_strndup(p, length);
		p += length;
		template = prov_ctl_number_to_placeholder(description, number);
		translated = g_dgettext(GETTEXT_PACKAGE, template);
		if (translated != template) {
			g_autoptr(GString) instance = g_string_new(translated);

			g_string_replace(instance, "{n}", number, 0);
			return g_string_free(g_steal_pointer(&instance), FALSE);
		}
	}
	return g_strdup(description);
}

gchar *
prov_ctl_format_value(GVariant *value)
{
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_VARIANT)) {
		g_autoptr(GVariant) inner = g_variant_get_variant(value);

		return prov_ctl_format_value(inner);
	}
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING))
		return prov_ctl_escape(g_variant_get_string(value, NULL));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_BOOLEAN))
		return g_strdup(g_variant_get_boolean(value) ? _("yes") : _("no"));
	if (g_variant_is_of_type(value, G_VARIANT_TYPE_STRING_ARRAY)) {
		g_autofree const gchar **strings = g_variant_get_strv(value, NULL);
		g_autofree gchar *joined = g_strjoinv(", ", (gchar **)strings);

		return prov_ctl_escape(joined);
	}
	return g_variant_print(value, FALSE);
}

const gchar *
prov_ctl_lookup_string(GVariant *dict, const gchar *key)
{
	const gchar *value = NULL;

	if (dict == NULL || !g_variant_lookup(dict, key, "&s", &value))
		return "";
	return value;
}

/* the integer keys of records, whatever their width */
gboolean
prov_ctl_lookup_int64(GVariant *dict, const gchar *key, gint64 *out)
{
	g_autoptr(GVariant) value = NULL;

	if (dict == NULL)
		return FALSE;
	value = g_variant_lookup_value(dict, key, NULL);
	if (value == NULL)
		return FALSE;
	switch (g_variant_classify(value)) {
	case G_VARIANT_CLASS_BYTE:
		*out = g_variant_get_byte(value);
		return TRUE;
	case G_VARIANT_CLASS_INT16:
		*out = g_variant_get_int16(value);
		return TRUE;
	case G_VARIANT_CLASS_UINT16:
		*out = g_variant_get_uint16(value);
		return TRUE;
	case G_VARIANT_CLASS_INT32:
		*out = g_variant_get_int32(value);
		return TRUE;
	case G_VARIANT_CLASS_UINT32:
		*out = g_variant_get_uint32(value);
		return TRUE;
	case G_VARIANT_CLASS_INT64:
		*out = g_variant_get_int64(value);
		return TRUE;
	case G_VARIANT_CLASS_UINT64:
		*out = (gint64)MIN(g_variant_get_uint64(value), (guint64)G_MAXINT64);
		return TRUE;
	default:
		return FALSE;
	}
}

guint64
prov_ctl_lookup_uint64(GVariant *dict, const gchar *key)
{
	gint64 value = 0;

	if (!prov_ctl_lookup_int64(dict, key, &value) || value < 0)
		return 0;
	return (guint64)value;
}

static void
prov_ctl_append_padded(GString *out, const gchar *text, guint width)
{
	g_string_append(out, text);
	for (guint i = prov_ctl_display_width(text); i < width; i++)
		g_string_append_c(out, ' ');
}

/* "error: detail", as one reason */
static gchar *
prov_ctl_format_reason(GVariant *record)
{
	const gchar *error = prov_ctl_lookup_string(record, "error");
	const gchar *message = prov_ctl_lookup_string(record, "message");
	gint64 line = 0;
	gint64 column = 0;
	g_autofree gchar *reason = NULL;

	if (error[0] == '\0')
		reason = g_strdup(message);
	else if (message[0] == '\0' || g_strcmp0(error, message) == 0)
		reason = g_strdup(error);
	else
		reason = g_strdup_printf("%s: %s", error, message);
	if (prov_ctl_lookup_int64(record, "line", &line) && line > 0 &&
	    prov_ctl_lookup_int64(record, "column", &column)) {
		g_autofree gchar *with_position = g_strdup_printf(
		    _("%1$s (line %2$u, column %3$u)"), reason, (guint)MIN(line, G_MAXUINT),
		    (guint)MIN(MAX(column, 0), G_MAXUINT));

		g_free(reason);
		reason = g_steal_pointer(&with_position);
	}
	return prov_ctl_escape(reason);
}

/* status, URL, bytes, time, and the reason of a failure */
gchar *
prov_ctl_format_rule_outcome(GVariant *rule)
{
	GString *out = g_string_new(NULL);
	const gchar *status = prov_ctl_lookup_string(rule, "status");
	const gchar *url = prov_ctl_lookup_string(rule, "url");
	g_autofree gchar *duration =
	    prov_ctl_format_duration(prov_ctl_lookup_uint64(rule, "duration"));

	if (g_strcmp0(status, "empty") == 0) {
		g_string_append(out, prov_ctl_format_status(status));
		return g_string_free(out, FALSE);
	}
	prov_ctl_append_padded(out, prov_ctl_format_status(status), prov_ctl_status_width());
	if (url[0] != '\0') {
		g_autofree gchar *escaped = prov_ctl_escape(url);

		g_string_append_printf(out, "  %s", escaped);
	}
	if (g_strcmp0(status, "failed") == 0) {
		g_autofree gchar *reason = prov_ctl_format_reason(rule);

		g_string_append_printf(out, "  %s", duration);
		if (reason[0] != '\0')
			g_string_append_printf(out, "  %s", reason);
	} else {
		g_autofree gchar *bytes =
		    prov_ctl_format_bytes(prov_ctl_lookup_uint64(rule, "bytes"));

		g_string_append_printf(out, "  %s  %s", bytes, duration);
	}
	return g_string_free(out, FALSE);
}

/**
 * prov_ctl_format_rule_line:
 * @rule: a rule record (LastResult's "rules", RuleFinished)
 * @name_width: the width to pad the rule name to
 *
 * One line per rule: name, status, URL, bytes, time, and the reason of a
 * failure.
 */
gchar *
prov_ctl_format_rule_line(GVariant *rule, guint name_width)
{
	GString *out = g_string_new(NULL);
	g_autofree gchar *outcome = prov_ctl_format_rule_outcome(rule);

	prov_ctl_append_padded(out, prov_ctl_lookup_string(rule, "name"), name_width);
	g_string_append_printf(out, "  %s", outcome);
	return g_string_free(out, FALSE);
}

static gchar *
prov_ctl_format_count_list(guint64 applied, guint64 unchanged, guint64 skipped)
{
	g_autofree gchar *applied_text = NULL;
	g_autofree gchar *unchanged_text = NULL;
	g_autofree gchar *skipped_text = NULL;

	applied_text = g_strdup_printf(ngettext("%u parameter changed", "%u parameters changed",
						(gulong)MIN(applied, G_MAXUINT)),
				       (guint)MIN(applied, G_MAXUINT));
	unchanged_text = g_strdup_printf(
	    ngettext("%u unchanged", "%u unchanged", (gulong)MIN(unchanged, G_MAXUINT)),
	    (guint)MIN(unchanged, G_MAXUINT));
	skipped_text =
	    g_strdup_printf(ngettext("%u unknown name skipped", "%u unknown names skipped",
				     (gulong)MIN(skipped, G_MAXUINT)),
			    (guint)MIN(skipped, G_MAXUINT));
	/* TRANSLATORS: a list of the three counts above */
	return g_strdup_printf(_("%1$s, %2$s, %3$s"), applied_text, unchanged_text, skipped_text);
}

gchar *
prov_ctl_format_rule_counts(GVariant *rule)
{
	return prov_ctl_format_count_list(prov_ctl_lookup_uint64(rule, "applied"),
					  prov_ctl_lookup_uint64(rule, "unchanged"),
					  prov_ctl_lookup_uint64(rule, "skipped"));
}

/* the sums of the rules' counters */
static gchar *
prov_ctl_format_counts(GVariant *result)
{
	g_autoptr(GVariant) rules = NULL;
	guint64 applied = 0;
	guint64 unchanged = 0;
	guint64 skipped = 0;

	rules = g_variant_lookup_value(result, "rules", G_VARIANT_TYPE("aa{sv}"));
	for (gsize i = 0; rules != NULL && i < g_variant_n_children(rules); i++) {
		g_autoptr(GVariant) rule = g_variant_get_child_value(rules, i);

		applied += prov_ctl_lookup_uint64(rule, "applied");
		unchanged += prov_ctl_lookup_uint64(rule, "unchanged");
		skipped += prov_ctl_lookup_uint64(rule, "skipped");
	}
	return prov_ctl_format_count_list(applied, unchanged, skipped);
}

/**
 * prov_ctl_format_resync_summary:
 * @result: a resync record (ResyncFinished, LastResult)
 *
 * One sentence on how the resync ended.
 */
gchar *
prov_ctl_format_resync_summary(guint64 id, GVariant *result)
{
	g_autofree gchar *number = g_strdup_printf("%" G_GUINT64_FORMAT, id);
	g_autofree gchar *duration =
	    prov_ctl_format_duration(prov_ctl_lookup_uint64(result, "duration"));
	g_autofree gchar *reason = prov_ctl_format_reason(result);
	const gchar *status = prov_ctl_lookup_string(result, "status");

	if (g_strcmp0(status, "success") == 0) {
		g_autofree gchar *counts = prov_ctl_format_counts(result);

		return g_strdup_printf(_("resync %1$s succeeded in %2$s: %3$s"), number, duration,
				       counts);
	}
	if (g_strcmp0(status, "failed") == 0)
		return g_strdup_printf(_("resync %1$s failed after %2$s: %3$s"), number, duration,
				       reason);
	if (g_strcmp0(status, "cancelled") == 0)
		return g_strdup_printf(_("resync %1$s was cancelled after %2$s"), number, duration);
	if (g_strcmp0(status, "skipped") == 0)
		return g_strdup_printf(_("resync %1$s was skipped: %2$s"), number, reason);
	return g_strdup_printf(_("resync %1$s ended with status “%2$s”: %3$s"), number, status,
			       reason);
}

/* "http: 127.0.0.1:8080, [::1]:8080" */
gchar *
prov_ctl_format_trigger(GVariant *trigger)
{
	g_autoptr(GVariant) addresses = NULL;
	g_autofree gchar *joined = NULL;
	g_autofree const gchar **strings = NULL;

	addresses = g_variant_lookup_value(trigger, "addresses", G_VARIANT_TYPE_STRING_ARRAY);
	if (addresses != NULL)
		strings = g_variant_get_strv(addresses, NULL);
	if (strings == NULL || strings[0] == NULL)
		return g_strdup(prov_ctl_lookup_string(trigger, "name"));
	joined = g_strjoinv(", ", (gchar **)strings);
	return g_strdup_printf("%s: %s", prov_ctl_lookup_string(trigger, "name"), joined);
}

/* the Triggers property on one line; "none" when no listener runs */
gchar *
prov_ctl_format_triggers(GVariant *triggers)
{
	g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func(g_free);

	for (gsize i = 0; triggers != NULL && i < g_variant_n_children(triggers); i++) {
		g_autoptr(GVariant) trigger = g_variant_get_child_value(triggers, i);

		g_ptr_array_add(parts, prov_ctl_format_trigger(trigger));
	}
	if (parts->len == 0)
		return g_strdup(_("none"));
	g_ptr_array_add(parts, NULL);
	return g_strjoinv("; ", (gchar **)parts->pdata);
}

/* tables */

typedef struct {
	gchar **cells;
	gchar *line;
} ProvCtlTableRow;

struct _ProvCtlTable {
	guint n_columns;
	GArray *rows;
};

static void
prov_ctl_table_row_clear(gpointer data)
{
	ProvCtlTableRow *row = data;

	g_strfreev(row->cells);
	g_free(row->line);
}

ProvCtlTable *
prov_ctl_table_new(guint n_columns)
{
	ProvCtlTable *table = g_new0(ProvCtlTable, 1);

	table->n_columns = n_columns;
	table->rows = g_array_new(FALSE, TRUE, sizeof(ProvCtlTableRow));
	g_array_set_clear_func(table->rows, prov_ctl_table_row_clear);
	return table;
}

void
prov_ctl_table_free(ProvCtlTable *table)
{
	g_array_unref(table->rows);
	g_free(table);
}

/* @cells: n_columns cells; a NULL cell is empty */
void
prov_ctl_table_add_row(ProvCtlTable *table, const gchar *const *cells)
{
	ProvCtlTableRow row = {NULL, NULL};

	row.cells = g_new0(gchar *, table->n_columns + 1);
	for (guint i = 0; i < table->n_columns; i++)
		row.cells[i] = g_strdup(cells[i] != NULL ? cells[i] : "");
	g_array_append_val(table->rows, row);
}

/* a line of its own, such as a group heading; it does not widen the columns */
void
prov_ctl_table_add_line(ProvCtlTable *table, const gchar *text)
{
	ProvCtlTableRow row = {NULL, g_strdup(text)};

	g_array_append_val(table->rows, row);
}

guint
prov_ctl_display_width(const gchar *text)
{
	guint width = 0;

	if (!g_utf8_validate(text, -1, NULL))
		return (guint)strlen(text);
	for (const gchar *p = text; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iszerowidth(c))
			continue;
		width += g_unichar_iswide(c) ? 2 : 1;
	}
	return width;
}

void
prov_ctl_table_print(ProvCtlTable *table, GString *out)
{
	g_autofree guint *widths = g_new0(guint, table->n_columns);

	for (guint r = 0; r < table->rows->len; r++) {
		ProvCtlTableRow *row = &g_array_index(table->rows, ProvCtlTableRow, r);

		for (guint c = 0; row->cells != NULL && c < table->n_columns; c++)
			widths[c] = MAX(widths[c], prov_ctl_display_width(row->cells[c]));
	}
	for (guint r = 0; r < table->rows->len; r++) {
		ProvCtlTableRow *row = &g_array_index(table->rows, ProvCtlTableRow, r);
		gsize start = out->len;

		if (row->line != NULL) {
			g_string_append_printf(out, "%s\n", row->line);
			continue;
		}
		for (guint c = 0; c < table->n_columns; c++) {
			if (c + 1 < table->n_columns) {
				prov_ctl_append_padded(out, row->cells[c], widths[c]);
				g_string_append(out, "  ");
			} else {
				g_string_append(out, row->cells[c]);
			}
		}
		/* empty cells at the end of a row leave no trailing blanks */
		while (out->len > start && out->str[out->len - 1] == ' ')
			g_string_truncate(out, out->len - 1);
		g_string_append_c(out, '\n');
	}
}
