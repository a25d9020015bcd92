/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-params-transaction.h"
#include "prov-params.h"

/* the shipped schema: PROV_SCHEMA_DIR from the test environment, else data/params */
static inline const gchar *
prov_test_schema_dir(void)
{
	static gchar *dir = NULL;

	if (dir == NULL) {
		const gchar *env = g_getenv("PROV_SCHEMA_DIR");

		dir = env != NULL
			  ? g_strdup(env)
			  : g_test_build_filename(G_TEST_DIST, "..", "data", "params", NULL);
	}
	return dir;
}

/* sets one parameter as a profile would, through a committed transaction */
static inline void
prov_test_params_set(ProvParams *params, const gchar *name, const gchar *value)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(params);
	g_autoptr(GError) error = NULL;

	prov_params_transaction_set(transaction, name, value, PROV_ACCESS_UNSET, NULL, 1, 1,
				    &error);
	g_assert_no_error(error);
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
}
