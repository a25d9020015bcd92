/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Replays a fuzz target's corpus without libFuzzer, so that the normal test
 * run (and its sanitizer build) checks every saved input with any compiler.
 * Arguments are files or directories of inputs.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint
prov_fuzz_replay_path(const gchar *path)
{
	g_autoptr(GDir) dir = NULL;
	g_autofree gchar *contents = NULL;
	gsize length = 0;
	const gchar *name;
	guint count = 0;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GError) error = NULL;

		if (!g_file_get_contents(path, &contents, &length, &error))
			g_error("%s", error->message);
		LLVMFuzzerTestOneInput((const uint8_t *)contents, length);
		return 1;
	}
	dir = g_dir_open(path, 0, NULL);
	if (dir == NULL)
		return 0;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		count += prov_fuzz_replay_path(child);
	}
	return count;
}

int
main(int argc, char **argv)
{
	guint count = 0;

	for (int i = 1; i < argc; i++)
		count += prov_fuzz_replay_path(argv[i]);
	if (count == 0) {
		g_printerr("no corpus inputs found\n");
		return 1;
	}
	g_print("replayed %u inputs\n", count);
	return 0;
}
