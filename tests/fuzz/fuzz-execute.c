/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Fuzzes ProvExecute, the XML Execute parser that remote triggers feed with
 * request bodies (R21, R28), with the default caps and with tiny ones,
 * checking the contract: a refusal keeps no item and names its position; an
 * accepted object holds 1 to 3 allow-listed items whose strings are valid
 * UTF-8 within the caps.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-execute.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const gchar *
prov_fuzz_execute_skip_space(const gchar *text)
{
	while (g_ascii_isspace(*text))
		text++;
	return text;
}

static void
prov_fuzz_execute_check(const gchar *data, gsize length, const ProvLimits *limits)
{
	g_autoptr(ProvExecute) execute = prov_execute_new(limits);
	g_autoptr(GError) error = NULL;
	guint n_items;

	if (!prov_execute_parse(execute, data, length, &error)) {
		guint line = 0;
		guint column = 0;

		g_assert_true(g_error_matches(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE) ||
			      g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED) ||
			      g_error_matches(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE));
		g_assert_cmpint(sscanf(error->message, "%u:%u: ", &line, &column), ==, 2);
		g_assert_true(g_utf8_validate(error->message, -1, NULL));
		g_assert_null(strchr(error->message, '\n'));
		g_assert_cmpuint(prov_execute_get_n_items(execute), ==, 0);
		g_assert_null(prov_execute_get_root_name(execute));
		g_assert_false(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_RESYNC));
		g_assert_false(prov_execute_has_action(execute, PROV_TRIGGER_ACTION_REBOOT));
		return;
	}
	g_assert_cmpuint(length, <=, PROV_EXECUTE_MAX_SIZE);
	g_assert_true(g_str_has_suffix(prov_execute_get_root_name(execute), "Execute"));
	g_assert_null(prov_execute_get_refused_url(execute));
	n_items = prov_execute_get_n_items(execute);
	g_assert_cmpuint(n_items, >=, 1);
	g_assert_cmpuint(n_items, <=, PROV_EXECUTE_MAX_ITEMS);
	for (guint i = 0; i < n_items; i++) {
		const ProvExecuteItem *item = prov_execute_get_item(execute, i);

		g_assert_true(g_utf8_validate(item->url, -1, NULL));
		g_assert_cmpuint(strlen(item->url), <=, PROV_EXECUTE_MAX_URL_LENGTH);
		g_assert_cmpuint(strlen(item->url), <=, limits->max_value_length);
		g_assert_cmpuint(item->priority, <=, 2);
		g_assert_cmpuint(item->line, >=, 1);
		g_assert_cmpuint(item->column, >=, 1);
		g_assert_true(prov_execute_has_action(execute, item->action));
		switch (item->action) {
		case PROV_TRIGGER_ACTION_RESYNC:
			if (item->rule != NULL) {
				gsize rule_length = strlen(item->rule);

				g_assert_cmpuint(rule_length, >, 0);
				g_assert_false(g_ascii_isspace(item->rule[0]));
				g_assert_false(g_ascii_isspace(item->rule[rule_length - 1]));
				g_assert_nonnull(strstr(item->url, item->rule));
			}
			g_assert_cmpint(g_ascii_strncasecmp(prov_fuzz_execute_skip_space(item->url),
							    "Resync:", strlen("Resync:")),
					==, 0);
			break;
		case PROV_TRIGGER_ACTION_REBOOT:
			g_assert_null(item->rule);
			g_assert_cmpint(g_ascii_strncasecmp(prov_fuzz_execute_skip_space(item->url),
							    "Reboot", strlen("Reboot")),
					==, 0);
			break;
		default:
			g_assert_not_reached();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProvLimits defaults;
	ProvLimits tiny;

	prov_limits_init(&defaults);
	prov_limits_init(&tiny);
	tiny.max_depth = 2;
	tiny.max_name_length = 12;
	tiny.max_value_length = 24;
	tiny.max_attributes = 2;

	prov_fuzz_execute_check((const gchar *)data, size, &defaults);
	prov_fuzz_execute_check((const gchar *)data, size, &tiny);
	return 0;
}
