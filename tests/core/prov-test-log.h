/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

/*
 * Captures the warnings of the core's log domains, so that a test can assert
 * the warnings a behaviour requires ("condition error", unknown options).
 * With G_LOG_USE_STRUCTURED, g_test_expect_message() does not see
 * g_warning() in GLib 2.74, and g_test_init() would make it fatal.
 */

static GPtrArray *prov_test_log_messages = NULL;

static gchar *
prov_test_log_field(const GLogField *field)
{
	if (field->length < 0)
		return g_strdup(field->value);
	return g_strndup(field->value, (gsize)field->length);
}

static GLogWriterOutput
prov_test_log_writer_cb(GLogLevelFlags log_level,
			const GLogField *fields,
			gsize n_fields,
			gpointer user_data)
{
	g_autofree gchar *domain = NULL;
	g_autofree gchar *message = NULL;

	if ((log_level & G_LOG_LEVEL_MASK) != G_LOG_LEVEL_WARNING)
		return g_log_writer_default(log_level, fields, n_fields, user_data);
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0)
			domain = prov_test_log_field(&fields[i]);
		else if (g_strcmp0(fields[i].key, "MESSAGE") == 0)
			message = prov_test_log_field(&fields[i]);
	}
	if (domain == NULL || !g_str_has_prefix(domain, "Prov"))
		return g_log_writer_default(log_level, fields, n_fields, user_data);
	g_test_message("captured warning %s: %s", domain, message);
	g_ptr_array_add(prov_test_log_messages, g_strdup_printf("%s: %s", domain, message));
	return G_LOG_WRITER_HANDLED;
}

static inline void
prov_test_log_init(void)
{
	prov_test_log_messages = g_ptr_array_new_with_free_func(g_free);
	g_log_set_writer_func(prov_test_log_writer_cb, NULL, NULL);
}

/* removes the first captured warning that matches @pattern (a g_pattern_match_simple() glob) */
static inline gboolean
prov_test_log_take(const gchar *pattern)
{
	for (guint i = 0; i < prov_test_log_messages->len; i++) {
		if (g_pattern_match_simple(pattern, g_ptr_array_index(prov_test_log_messages, i))) {
			g_ptr_array_remove_index(prov_test_log_messages, i);
			return TRUE;
		}
	}
	return FALSE;
}

static inline guint
prov_test_log_count(void)
{
	return prov_test_log_messages->len;
}

static inline void
prov_test_log_assert_empty(void)
{
	for (guint i = 0; i < prov_test_log_messages->len; i++)
		g_test_message("unexpected warning %s",
			       (const gchar *)g_ptr_array_index(prov_test_log_messages, i));
	g_assert_cmpuint(prov_test_log_messages->len, ==, 0);
}
