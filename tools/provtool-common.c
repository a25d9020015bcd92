/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvTool"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prov-error.h"
#include "prov-params.h"
#include "provtool.h"

void
prov_tool_clear(ProvTool *self)
{
	g_free(self->config_path);
	g_strfreev(self->set);
	g_strfreev(self->device);
	g_strfreev(self->schema_dirs);
	g_free(self->alias_map);
	g_free(self->state_dir);
	g_clear_object(&self->config);
	g_clear_object(&self->params);
	g_clear_object(&self->macro);
}

const GOptionEntry prov_tool_config_entries[] = {
    {"config", 'c', 0, G_OPTION_ARG_FILENAME, NULL, N_("Read the daemon's config file FILE"),
     N_("FILE")},
    {"verbose", 'v', 0, G_OPTION_ARG_NONE, NULL, N_("Say more about what happens"), NULL},
    {NULL},
};

const GOptionEntry prov_tool_set_entries[] = {
    {"set", 's', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
     N_("Give parameter NAME the value VALUE (repeatable)"), N_("NAME=VALUE")},
    {"device", 'd', 0, G_OPTION_ARG_STRING_ARRAY, NULL,
     N_("Set a device identity key: MAC, Serial, ProductName, ProductSeries, "
	"SoftwareVersion, HardwareVersion, Manufacturer or IP (repeatable)"),
     N_("KEY=VALUE")},
    {NULL},
};

const GOptionEntry prov_tool_profile_entries[] = {
    {"schema-dir", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
     N_("Also read parameter definitions from DIR (repeatable)"), N_("DIR")},
    {"alias-map", 0, 0, G_OPTION_ARG_STRING, NULL,
     N_("Parse as a rule with --alias would, with this alias map"), N_("TEXT")},
    {NULL},
};

/* where the shared options of the tables in provtool.h store their value */
static gpointer
prov_tool_option_field(ProvTool *self, const gchar *name)
{
	const struct {
		const gchar *name;
		gpointer field;
	} fields[] = {
	    {"config", &self->config_path},
	    {"verbose", &self->verbose},
	    {"set", &self->set},
	    {"device", &self->device},
	    {"schema-dir", &self->schema_dirs},
	    {"alias-map", &self->alias_map},
	    {"state-dir", &self->state_dir},
	    {"redact", &self->redact},
	    {"all", &self->all},
	};

	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		if (g_strcmp0(fields[i].name, name) == 0)
			return fields[i].field;
	}
	g_assert_not_reached();
}

/* GOptionEntry tables are const templates; each command binds them to its ProvTool */
static void
prov_tool_bind_entries(ProvTool *self, const GOptionEntry *templates, GArray *entries)
{
	for (guint i = 0; templates[i].long_name != NULL; i++) {
		GOptionEntry entry = templates[i];

		/* a command's own options come with their storage */
		if (entry.arg_data == NULL)
			entry.arg_data = prov_tool_option_field(self, entry.long_name);
		g_array_append_val(entries, entry);
	}
}

static gboolean
prov_tool_split_assignment(const gchar *text, gchar **name, gchar **value, GError **error)
{
	const gchar *equals = strchr(text, '=');

	if (equals == NULL || equals == text) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "--set %s: expected NAME=VALUE", text);
		return FALSE;
	}
	*name = g_strndup(text, equals - text);
	*value = g_strdup(equals + 1);
	return TRUE;
}

/*
 * Loads, in order: the config file, the built-in schema, the config's and
 * the command line's schema directories, the config's factory values, the
 * stored state (with --state-dir), then --set and --device.
 */
gboolean
prov_tool_setup(ProvTool *self, GError **error)
{
	ProvDevice *device;

	self->config = prov_config_new();
	if (self->config_path != NULL &&
	    !prov_config_load_file(self->config, self->config_path, error))
		return FALSE;

	/* the daemon builds its parameters the same way */
	self->params = prov_params_new_for_config_full(
	    self->config, (const gchar *const *)self->schema_dirs, self->state_dir, error);
	if (self->params == NULL) {
		if (self->config_path != NULL &&
		    g_error_matches(*error, PROV_ERROR, PROV_ERROR_CONFIG))
			g_prefix_error(error, "%s: ", self->config_path);
		return FALSE;
	}

	/* --set is a what-if for this run only: it never reaches the state file */
	for (guint i = 0; self->set != NULL && self->set[i] != NULL; i++) {
		g_autofree gchar *name = NULL;
		g_autofree gchar *value = NULL;

		if (!prov_tool_split_assignment(self->set[i], &name, &value, error))
			return FALSE;
		if (!prov_params_set_factory_value(self->params, name, value, error)) {
			g_prefix_error(error, "--set ");
			return FALSE;
		}
	}

	device = prov_config_get_device(self->config);
	for (guint i = 0; self->device != NULL && self->device[i] != NULL; i++) {
		if (!prov_device_set_from_assignment(device, self->device[i], error)) {
			g_prefix_error(error, "--device: ");
			return FALSE;
		}
	}
	prov_device_fill_from_system(device);

	self->macro = prov_macro_new();
	prov_macro_set_params(self->macro, self->params);
	prov_macro_set_device(self->macro, device);
	return TRUE;
}

gboolean
prov_tool_parse_options(ProvTool *self,
			const gchar *usage,
			const gchar *summary,
			const GOptionEntry *const *tables,
			gint *argc,
			gchar ***argv,
			GError **error)
{
	g_autoptr(GOptionContext) context = g_option_context_new(usage);
	g_autoptr(GArray) entries = g_array_new(TRUE, TRUE, sizeof(GOptionEntry));

	for (guint i = 0; tables[i] != NULL; i++)
		prov_tool_bind_entries(self, tables[i], entries);
	g_option_context_set_summary(context, summary);
	g_option_context_set_translation_domain(context, GETTEXT_PACKAGE);
	g_option_context_add_main_entries(context, (const GOptionEntry *)entries->data,
					  GETTEXT_PACKAGE);
	return g_option_context_parse(context, argc, argv, error);
}

gboolean
prov_tool_expect_arguments(gint argc, gint expected, const gchar *usage, GError **error)
{
	if (argc - 1 == expected)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT, "usage: provtool %s", usage);
	return FALSE;
}

void
prov_tool_write_stdout(GString *text)
{
	fwrite(text->str, 1, text->len, stdout);
	fflush(stdout);
}

/* a pipe or device has no size to check first: read at most one byte past the cap */
static GBytes *
prov_tool_read_stream(gint fd, const gchar *path, gsize max, const gchar *limit, GError **error)
{
	g_autoptr(GByteArray) data = g_byte_array_new();
	guint8 buffer[65536];

	for (;;) {
		gssize n = read(fd, buffer, sizeof(buffer));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
				    "%s: cannot read: %s", path, g_strerror(errno));
			return NULL;
		}
		if (n == 0)
			break;
		if (data->len + (gsize)n > max) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
				    "%s: more than %" G_GSIZE_FORMAT " bytes, the limit (%s)", path,
				    max, limit);
			return NULL;
		}
		g_byte_array_append(data, buffer, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&data));
}

/**
 * prov_tool_load_input:
 * @path: a file, or `-` for standard input
 * @max: the most bytes accepted
 * @limit: the config key of @max, for the error message
 * @error: return location for a #GError
 *
 * A regular file is mapped, not copied, and refused by its size before a
 * byte is read; anything else is read up to @max.
 *
 * Returns: (transfer full): the contents, or %NULL with @error set
 */
GBytes *
prov_tool_load_input(const gchar *path, gsize max, const gchar *limit, GError **error)
{
	g_autoptr(GMappedFile) mapped = NULL;
	struct stat info;
	gint fd;
	gboolean is_stdin = g_strcmp0(path, "-") == 0;

	fd = is_stdin ? STDIN_FILENO : g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size == 0) {
		GBytes *bytes = prov_tool_read_stream(fd, path, max, limit, error);

		if (!is_stdin)
			close(fd);
		return bytes;
	}
	if ((guint64)info.st_size > max) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "%s: %" G_GUINT64_FORMAT " bytes exceed the limit of %" G_GSIZE_FORMAT
			    " bytes (%s)",
			    path, (guint64)info.st_size, max, limit);
		if (!is_stdin)
			close(fd);
		return NULL;
	}
	mapped = g_mapped_file_new_from_fd(fd, FALSE, error);
	if (!is_stdin)
		close(fd);
	if (mapped == NULL) {
		g_prefix_error(error, "%s: ", path);
		return NULL;
	}
	return g_mapped_file_get_bytes(mapped);
}

static gboolean
prov_tool_write_in_place(const gchar *path, const gchar *bytes, gsize length, GError **error)
{
	FILE *stream = fopen(path, "w");
	gboolean written;

	if (stream == NULL) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	written = length == 0 || fwrite(bytes, 1, length, stream) == length;
	if (fclose(stream) != 0)
		written = FALSE;
	if (!written) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* OUT is written whole (temporary file, then rename) or not at all; `-` is standard output */
gboolean
prov_tool_write_output(const gchar *path, GBytes *data, GError **error)
{
	gsize length = 0;
	const gchar *bytes = g_bytes_get_data(data, &length);

	if (g_strcmp0(path, "-") == 0) {
		if ((length > 0 && fwrite(bytes, 1, length, stdout) != length) ||
		    fflush(stdout) != 0) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
				    "standard output: %s", g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	/* a device or pipe such as /dev/null is written in place: a rename would replace it */
	if (g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return prov_tool_write_in_place(path, bytes, length, error);
	return g_file_set_contents_full(path, bytes != NULL ? bytes : "", (gssize)length,
					G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/* "1 byte", "2 bytes": the same message as provctl's */
gchar *
prov_tool_format_bytes(guint64 bytes)
{
	g_autofree gchar *number = g_strdup_printf("%" G_GUINT64_FORMAT, bytes);

	return g_strdup_printf(ngettext("%s byte", "%s bytes", (gulong)MIN(bytes, G_MAXULONG)),
			       number);
}

/* the columns @text takes on a terminal: CJK characters take two */
guint
prov_tool_display_width(const gchar *text)
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
prov_tool_append_padded(GString *out, const gchar *text, guint width)
{
	g_string_append(out, text);
	for (guint i = prov_tool_display_width(text); i < width; i++)
		g_string_append_c(out, ' ');
}
