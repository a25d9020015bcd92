/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/* provctl resync: request a resync and follow it to its end through the signals */

#define G_LOG_DOMAIN "ProvCtl"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "provctl.h"

/* the longest stored rule name; one-shot rules are shorter */
#define PROV_CTL_RULE_NAME_WIDTH (sizeof("Profile_Rule_B") - 1)

typedef struct {
	ProvCtl *ctl;
	GMainLoop *loop;
	guint64 id;
	gchar *id_text;
	GVariant *result;
	GError *error;
} ProvCtlResync;

static void
prov_ctl_resync_clear(ProvCtlResync *resync)
{
	g_clear_pointer(&resync->loop, g_main_loop_unref);
	g_clear_pointer(&resync->id_text, g_free);
	g_clear_pointer(&resync->result, g_variant_unref);
	g_clear_error(&resync->error);
}

/* shared with the signal sources, which outlive the command (see below) */
static void
prov_ctl_resync_unref(ProvCtlResync *resync)
{
	g_rc_box_release_full(resync, (GDestroyNotify)prov_ctl_resync_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvCtlResync, prov_ctl_resync_unref)

static void
prov_ctl_resync_fail(ProvCtlResync *resync, GError *error)
{
	if (resync->error == NULL)
		resync->error = error;
	else
		g_error_free(error);
	g_main_loop_quit(resync->loop);
}

static void
prov_ctl_resync_started_cb(
    ProvDBusProvisioning1 *proxy, guint64 id, gint cause, const gchar *rule, gpointer user_data)
{
	ProvCtlResync *resync = user_data;
	g_autofree gchar *cause_text = NULL;

	/* a coalesced request is served by a later resync than the one running */
	if (id != resync->id || resync->ctl->json)
		return;
	cause_text = prov_ctl_format_cause(cause);
	if (rule[0] != '\0') {
		g_autofree gchar *escaped = prov_ctl_escape(rule);

		g_print(_("resync %1$s started (%2$s), one-shot rule %3$s\n"), resync->id_text,
			cause_text, escaped);
	} else {
		g_print(_("resync %1$s started (%2$s)\n"), resync->id_text, cause_text);
	}
	fflush(stdout);
}

static void
prov_ctl_rule_finished_cb(ProvDBusProvisioning1 *proxy,
			  guint64 id,
			  GVariant *result,
			  gpointer user_data)
{
	ProvCtlResync *resync = user_data;
	g_autofree gchar *line = NULL;

	if (id != resync->id || resync->ctl->json)
		return;
	line = prov_ctl_format_rule_line(result, PROV_CTL_RULE_NAME_WIDTH);
	g_print("  %s\n", line);
	fflush(stdout);
}

static void
prov_ctl_resync_finished_cb(ProvDBusProvisioning1 *proxy,
			    guint64 id,
			    GVariant *result,
			    gpointer user_data)
{
	ProvCtlResync *resync = user_data;

	if (id != resync->id || resync->result != NULL)
		return;
	resync->result = g_variant_ref(result);
	g_main_loop_quit(resync->loop);
}

static void
prov_ctl_resync_owner_cb(GObject *object, GParamSpec *pspec, gpointer user_data)
{
	ProvCtlResync *resync = user_data;
	g_autofree gchar *owner = g_dbus_proxy_get_name_owner(G_DBUS_PROXY(object));
	GError *error = NULL;

	/* a daemon that left forgot the resync: a successor would never report it */
	if (owner != NULL || resync->result != NULL)
		return;
	prov_ctl_set_vanished_error(resync->ctl, &error);
	g_prefix_error(&error, _("resync %s: "), resync->id_text);
	prov_ctl_resync_fail(resync, error);
}

static void
prov_ctl_resync_closed_cb(GDBusConnection *connection,
			  gboolean remote_peer_vanished,
			  GError *closed_error,
			  gpointer user_data)
{
	ProvCtlResync *resync = user_data;
	GError *error = NULL;

	prov_ctl_set_closed_error(resync->ctl, &error);
	g_prefix_error(&error, _("resync %s: "), resync->id_text);
	prov_ctl_resync_fail(resync, error);
}

static gboolean
prov_ctl_resync_timeout_cb(gpointer user_data)
{
	ProvCtlResync *resync = user_data;

	prov_ctl_resync_fail(resync, g_error_new(PROV_CTL_ERROR, PROV_CTL_ERROR_TIMED_OUT,
						 ngettext("resync %1$s did not finish within %2$d "
							  "second",
							  "resync %1$s did not finish within %2$d "
							  "seconds",
							  resync->ctl->timeout),
						 resync->id_text, resync->ctl->timeout));
	/* removed with the others once the loop has stopped */
	return G_SOURCE_CONTINUE;
}

static gboolean
prov_ctl_resync_interrupt_cb(gpointer user_data)
{
	ProvCtlResync *resync = user_data;

	prov_ctl_resync_fail(resync, g_error_new(PROV_CTL_ERROR, PROV_CTL_ERROR_FAILED,
						 _("interrupted; resync %s goes on in provisiond"),
						 resync->id_text));
	return G_SOURCE_CONTINUE;
}

/* the outcome: the JSON record, or a summary on success and an error otherwise */
static gboolean
prov_ctl_resync_report(ProvCtlResync *resync, GError **error)
{
	const gchar *status = prov_ctl_lookup_string(resync->result, "status");
	g_autofree gchar *summary = NULL;

	if (resync->ctl->json) {
		g_autoptr(json_object) root = prov_ctl_variant_to_json(resync->result);

		json_object_object_add(root, "id", json_object_new_uint64(resync->id));
		prov_ctl_print_json(root);
	}
	summary = prov_ctl_format_resync_summary(resync->id, resync->result);
	/* per-rule "not-found" (forgiven) and "unchanged" count as a successful resync */
	if (g_strcmp0(status, "success") != 0) {
		g_set_error_literal(error, PROV_CTL_ERROR, PROV_CTL_ERROR_RESYNC_FAILED, summary);
		return FALSE;
	}
	if (!resync->ctl->json)
		g_print("%s\n", summary);
	return TRUE;
}

static const GOptionEntry prov_ctl_resync_entries[] = {
    {"no-wait", 0, 0, G_OPTION_ARG_NONE, NULL,
     N_("Print the number of the resync once it is queued, without waiting for it"), NULL},
    {"timeout", 't', 0, G_OPTION_ARG_INT, NULL,
     N_("Give up waiting after SECONDS (default: wait as long as provisiond runs)"), N_("SECONDS")},
    {NULL},
};

gboolean
prov_ctl_resync(ProvCtl *self, gint argc, gchar **argv, GError **error)
{
	g_autoptr(ProvCtlResync) resync = g_rc_box_new0(ProvCtlResync);
	g_autoptr(GVariant) reply = NULL;
	const gchar *rule;
	gulong handlers[4];
	gulong closed_handler;
	guint timeout_source = 0;
	gint call_timeout = PROV_CTL_LONG_TIMEOUT_MS;

	if (!prov_ctl_parse_options(
		self, _("[RULE]"),
		_("Ask provisiond to resync now, with the stored Profile_Rule, _B, _C and _D, or "
		  "once with RULE (the syntax of Profile_Rule; Profile_Rule itself is not "
		  "changed; write -- before a RULE that starts with an option), and print each "
		  "rule's outcome as it finishes. Succeeds only when the resync does."),
		prov_ctl_resync_entries, &argc, &argv, error))
		return FALSE;
	if (argc > 2)
		return prov_ctl_usage_error(error, _("resync takes at most one RULE"));
	if (self->timeout < 0)
		return prov_ctl_usage_error(error, _("--timeout needs a positive number of "
						     "seconds"));
	rule = argc == 2 ? argv[1] : "";
	/*
	 * the signals are subscribed with the proxy, before the request: a fast
	 * resync may finish before the reply to Resync arrives
	 */
	if (!prov_ctl_connect(self, G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES, error))
		return FALSE;

	resync->ctl = self;
	resync->loop = g_main_loop_new(NULL, FALSE);
	handlers[0] = g_signal_connect(self->proxy, "resync-started",
				       G_CALLBACK(prov_ctl_resync_started_cb), resync);
	handlers[1] = g_signal_connect(self->proxy, "rule-finished",
				       G_CALLBACK(prov_ctl_rule_finished_cb), resync);
	handlers[2] = g_signal_connect(self->proxy, "resync-finished",
				       G_CALLBACK(prov_ctl_resync_finished_cb), resync);
	handlers[3] = g_signal_connect(self->proxy, "notify::g-name-owner",
				       G_CALLBACK(prov_ctl_resync_owner_cb), resync);
	closed_handler = g_signal_connect(self->connection, "closed",
					  G_CALLBACK(prov_ctl_resync_closed_cb), resync);

	if (self->timeout > 0)
		call_timeout = MIN(call_timeout, self->timeout * 1000);
	/* signals that arrive meanwhile wait in the main context until the loop runs */
	reply = prov_ctl_call(self, "Resync", g_variant_new("(s)", rule), G_VARIANT_TYPE("(t)"),
			      call_timeout, error);
	if (reply != NULL) {
		g_variant_get(reply, "(t)", &resync->id);
		resync->id_text = g_strdup_printf("%" G_GUINT64_FORMAT, resync->id);
	}
	if (reply != NULL && self->no_wait) {
		if (self->json) {
			g_autoptr(json_object) root = json_object_new_object();

			json_object_object_add(root, "id", json_object_new_uint64(resync->id));
			prov_ctl_print_json(root);
		} else {
			g_print("%s\n", resync->id_text);
		}
	} else if (reply != NULL) {
		if (self->timeout > 0)
			timeout_source = g_timeout_add_seconds((guint)self->timeout,
							       prov_ctl_resync_timeout_cb, resync);
		/*
		 * kept until the process ends: removing them would restore the
		 * default action, and a second signal (timeout(1) sends two) would
		 * kill provctl on its way out
		 */
		g_unix_signal_add_full(G_PRIORITY_DEFAULT, SIGINT, prov_ctl_resync_interrupt_cb,
				       g_rc_box_acquire(resync),
				       (GDestroyNotify)prov_ctl_resync_unref);
		g_unix_signal_add_full(G_PRIORITY_DEFAULT, SIGTERM, prov_ctl_resync_interrupt_cb,
				       g_rc_box_acquire(resync),
				       (GDestroyNotify)prov_ctl_resync_unref);
		g_main_loop_run(resync->loop);
	}

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_handler_disconnect(self->proxy, handlers[i]);
	g_signal_handler_disconnect(self->connection, closed_handler);
	if (timeout_source != 0)
		g_source_remove(timeout_source);
	if (reply == NULL)
		return FALSE;
	if (self->no_wait)
		return TRUE;
	if (resync->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&resync->error));
		return FALSE;
	}
	return prov_ctl_resync_report(resync, error);
}
