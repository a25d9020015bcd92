/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/* what the provctl commands share: options, the bus, errors, JSON and formatting */

#include <gio/gio.h>
#include <json-c/json.h>

#include "prov-dbus-generated.h"

#define PROV_CTL_BUS_NAME    "org.provisiond.Provisioning1"
#define PROV_CTL_OBJECT_PATH "/org/provisiond/Provisioning1"
#define PROV_CTL_INTERFACE   "org.provisiond.Provisioning1"

/* polkit may ask for a password: calls that change anything wait that long */
#define PROV_CTL_LONG_TIMEOUT_MS (10 * 60 * 1000)

#define PROV_CTL_ERROR (prov_ctl_error_quark())

/* provctl's own failures, as opposed to the errors the daemon returns */
typedef enum {
	PROV_CTL_ERROR_FAILED,
	PROV_CTL_ERROR_USAGE,
	PROV_CTL_ERROR_NO_BUS,
	PROV_CTL_ERROR_NOT_RUNNING,
	PROV_CTL_ERROR_DISCONNECTED,
	PROV_CTL_ERROR_TIMED_OUT,
	/* the outcome was printed already (the JSON result of a failed resync) */
	PROV_CTL_ERROR_RESYNC_FAILED,
	PROV_CTL_ERROR_LAST
} ProvCtlError;

typedef enum {
	PROV_CTL_BUS_SYSTEM,
	PROV_CTL_BUS_SESSION,
	PROV_CTL_BUS_ADDRESS,
} ProvCtlBus;

typedef struct {
	/* options shared by every command */
	gboolean session;
	gchar *bus_address;
	gboolean json;
	/* options of some commands */
	gboolean no_wait;
	gint timeout;
	gchar *group;
	gboolean descriptions;

	const gchar *command;
	GDBusConnection *connection;
	ProvDBusProvisioning1 *proxy;
} ProvCtl;

void
prov_ctl_clear(ProvCtl *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvCtl, prov_ctl_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(json_object, json_object_put)

GQuark
prov_ctl_error_quark(void);

/* options: tables bound by name to ProvCtl's fields */
extern const GOptionEntry prov_ctl_global_entries[];
GOptionContext *
prov_ctl_option_context_new(ProvCtl *self,
			    const gchar *parameter_string,
			    const gchar *summary,
			    const GOptionEntry *entries,
			    gboolean global);
gboolean
prov_ctl_parse_options(ProvCtl *self,
		       const gchar *parameter_string,
		       const gchar *summary,
		       const GOptionEntry *entries,
		       gint *argc,
		       gchar ***argv,
		       GError **error);
gboolean
prov_ctl_usage_error(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
const gchar *
prov_ctl_exit_status_description(void);

/* the bus */
gboolean
prov_ctl_connect(ProvCtl *self, GDBusProxyFlags flags, GError **error);
GVariant *
prov_ctl_call(ProvCtl *self,
	      const gchar *method,
	      GVariant *parameters,
	      const GVariantType *reply_type,
	      gint timeout_ms,
	      GError **error);
ProvCtlBus
prov_ctl_get_bus(ProvCtl *self);
void
prov_ctl_set_vanished_error(ProvCtl *self, GError **error);
void
prov_ctl_set_closed_error(ProvCtl *self, GError **error);

/* reporting */
gint
prov_ctl_report_error(ProvCtl *self, const GError *error);

/* JSON */
json_object *
prov_ctl_variant_to_json(GVariant *value);
void
prov_ctl_print_json(json_object *object);
void
prov_ctl_print_json_line(json_object *object);

/* formatting for people */
gchar *
prov_ctl_format_time(gint64 unix_seconds);
gchar *
prov_ctl_format_duration(guint64 microseconds);
gchar *
prov_ctl_format_bytes(guint64 bytes);
gchar *
prov_ctl_format_cause(gint cause);
const gchar *
prov_ctl_format_status(const gchar *status);
gchar *
prov_ctl_format_value(GVariant *value);
gchar *
prov_ctl_escape(const gchar *text);
gchar *
prov_ctl_translate_description(const gchar *description);
const gchar *
prov_ctl_lookup_string(GVariant *dict, const gchar *key);
gboolean
prov_ctl_lookup_int64(GVariant *dict, const gchar *key, gint64 *out);
guint64
prov_ctl_lookup_uint64(GVariant *dict, const gchar *key);
gchar *
prov_ctl_format_rule_outcome(GVariant *rule);
gchar *
prov_ctl_format_rule_line(GVariant *rule, guint name_width);
gchar *
prov_ctl_format_rule_counts(GVariant *rule);
gchar *
prov_ctl_format_trigger(GVariant *trigger);
gchar *
prov_ctl_format_triggers(GVariant *triggers);
gchar *
prov_ctl_format_resync_summary(guint64 id, GVariant *result);

/* a table whose columns are aligned by display width */
typedef struct _ProvCtlTable ProvCtlTable;
ProvCtlTable *
prov_ctl_table_new(guint n_columns);
void
prov_ctl_table_free(ProvCtlTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvCtlTable, prov_ctl_table_free)
void
prov_ctl_table_add_row(ProvCtlTable *table, const gchar *const *cells);
void
prov_ctl_table_add_line(ProvCtlTable *table, const gchar *text);
void
prov_ctl_table_print(ProvCtlTable *table, GString *out);
guint
prov_ctl_display_width(const gchar *text);

/* the commands that follow signals */
gboolean
prov_ctl_resync(ProvCtl *self, gint argc, gchar **argv, GError **error);
gboolean
prov_ctl_monitor(ProvCtl *self, gint argc, gchar **argv, GError **error);
