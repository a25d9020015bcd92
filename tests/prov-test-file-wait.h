/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>
#include <string.h>

/*
 * Waiting on a server's files (nginx's pid file, an access log line) without
 * polling: a file monitor wakes the test when the file changes, and a
 * deadline bounds the wait. Shared by the integration tests.
 */

typedef struct {
	GMainLoop *loop;
	const gchar *path;
	const gchar *needle; /* NULL: the file only has to exist */
	gchar *found;
} ProvTestFileWait;

/* the last line of the file that contains the needle, or "" for existence */
static gchar *
prov_test_file_wait_find(ProvTestFileWait *wait)
{
	g_autofree gchar *contents = NULL;
	g_auto(GStrv) lines = NULL;

	if (!g_file_get_contents(wait->path, &contents, NULL, NULL))
		return NULL;
	if (wait->needle == NULL)
		return g_strdup("");
	lines = g_strsplit(contents, "\n", -1);
	for (gint i = (gint)g_strv_length(lines) - 1; i >= 0; i--) {
		if (strstr(lines[i], wait->needle) != NULL)
			return g_strdup(lines[i]);
	}
	return NULL;
}

static void
prov_test_file_changed_cb(GFileMonitor *monitor,
			  GFile *file,
			  GFile *other_file,
			  GFileMonitorEvent event,
			  gpointer user_data)
{
	ProvTestFileWait *wait = user_data;

	if (wait->found != NULL)
		return;
	wait->found = prov_test_file_wait_find(wait);
	if (wait->found != NULL)
		g_main_loop_quit(wait->loop);
}

static gboolean
prov_test_file_deadline_cb(gpointer user_data)
{
	g_main_loop_quit(((ProvTestFileWait *)user_data)->loop);
	return G_SOURCE_REMOVE;
}

/*
 * The last line of path holding needle (or "" once path exists), or NULL
 * after timeout_ms; in a context of its own, so nothing else is dispatched
 */
static gchar *
prov_test_wait_file(const gchar *path, const gchar *needle, guint timeout_ms)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GMainLoop) loop = g_main_loop_new(context, FALSE);
	g_autoptr(GFile) file = g_file_new_for_path(path);
	g_autoptr(GFileMonitor) monitor = NULL;
	g_autoptr(GSource) deadline = g_timeout_source_new(timeout_ms);
	ProvTestFileWait wait = {loop, path, needle, NULL};

	g_main_context_push_thread_default(context);
	monitor = g_file_monitor_file(file, G_FILE_MONITOR_NONE, NULL, NULL);
	g_assert_nonnull(monitor);
	/* GIO merges CHANGED events for 800 ms by default: every write matters here */
	g_file_monitor_set_rate_limit(monitor, 0);
	g_signal_connect(monitor, "changed", G_CALLBACK(prov_test_file_changed_cb), &wait);
	g_source_set_callback(deadline, prov_test_file_deadline_cb, &wait, NULL);
	g_source_attach(deadline, context);
	/* the file may have what we wait for before the monitor started */
	wait.found = prov_test_file_wait_find(&wait);
	if (wait.found == NULL)
		g_main_loop_run(loop);
	g_source_destroy(deadline);
	g_file_monitor_cancel(monitor);
	g_main_context_pop_thread_default(context);
	return wait.found;
}
