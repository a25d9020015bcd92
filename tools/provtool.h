/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/* what every provtool command shares: its options, and the setup they drive */

#include <glib.h>

#include "prov-config.h"
#include "prov-macro.h"
#include "prov-params.h"

/* what the command-line options of every command build up */
typedef struct {
	gchar *config_path;
	gchar **set;
	gchar **device;
	gchar **schema_dirs;
	gchar *alias_map;
	gchar *state_dir;
	gboolean redact;
	gboolean all;
	gboolean verbose;

	ProvConfig *config;
	ProvParams *params;
	ProvMacro *macro;
} ProvTool;

void
prov_tool_clear(ProvTool *self);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvTool, prov_tool_clear)

/* option tables bound by name to ProvTool's fields; entries with arg_data set keep it */
extern const GOptionEntry prov_tool_config_entries[];
extern const GOptionEntry prov_tool_set_entries[];
extern const GOptionEntry prov_tool_profile_entries[];

gboolean
prov_tool_parse_options(ProvTool *self,
			const gchar *usage,
			const gchar *summary,
			const GOptionEntry *const *tables,
			gint *argc,
			gchar ***argv,
			GError **error);
gboolean
prov_tool_expect_arguments(gint argc, gint expected, const gchar *usage, GError **error);
gboolean
prov_tool_setup(ProvTool *self, GError **error);
void
prov_tool_write_stdout(GString *text);
GBytes *
prov_tool_load_input(const gchar *path, gsize max, const gchar *limit, GError **error);
gboolean
prov_tool_write_output(const gchar *path, GBytes *data, GError **error);

/* formatting for people: translated labels line up by display width, not bytes */
gchar *
prov_tool_format_bytes(guint64 bytes);
guint
prov_tool_display_width(const gchar *text);
void
prov_tool_append_padded(GString *out, const gchar *text, guint width);

/* the commands; each returns FALSE with @error set on failure */
gboolean
prov_tool_encode(gint argc, gchar **argv, GError **error);
gboolean
prov_tool_decode(gint argc, gchar **argv, GError **error);
gboolean
prov_tool_plugins(gint argc, gchar **argv, GError **error);
gboolean
prov_tool_fetch(gint argc, gchar **argv, GError **error);
