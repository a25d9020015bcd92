/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-error.h"
#include "prov-key.h"

static void
prov_key_test_strength(void)
{
	const struct {
		const gchar *key;
		const gchar *message;
	} cases[] = {
	    {"", "the key is empty"},
	    /* R31: the published examples, in any case */
	    {"MyOwnSecret", "the key is a published example passphrase"},
	    {"myownsecret", "the key is a published example passphrase"},
	    {"SECRET", "the key is a published example passphrase"},
	    {"password", "the key is a published example passphrase"},
	    {"Cisco", "the key is a published example passphrase"},
	    {"admin", "the key is a published example passphrase"},
	    {"short", "the key is shorter than 12 characters"},
	    {"elevenchars", "the key is shorter than 12 characters"},
	    /* characters, not bytes: 11 characters in 33 bytes */
	    {"鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵", "the key is shorter than 12 characters"},
	    {"twelve chars", NULL},
	    {"鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵鍵", NULL},
	    {"MyOwnSecret!", NULL},
	    {"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		gboolean ok = prov_key_check_strength(cases[i].key, &error);

		g_test_message("key %u", i);
		if (cases[i].message == NULL) {
			g_assert_no_error(error);
			g_assert_true(ok);
			continue;
		}
		g_assert_false(ok);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
		g_assert_cmpstr(error->message, ==, cases[i].message);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/key/strength", prov_key_test_strength);
	return g_test_run();
}
