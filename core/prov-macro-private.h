/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-macro.h"

G_BEGIN_DECLS

/*
 * A lazy source of values (parameters, device identity) that the expander
 * consults for a known name that prov_macro_set_variable() has not set.
 * Sources are asked in the order they were added; the first non-%NULL answer
 * wins. @name is a known macro name (`A`, `SA`, `UID2`, `MA`, …); the return
 * value is (transfer full), %NULL for "no value here".
 */
typedef gchar *(*ProvMacroLookupFunc)(const gchar *name, gpointer user_data);

guint
prov_macro_add_lookup(ProvMacro *self,
		      ProvMacroLookupFunc func,
		      gpointer user_data,
		      GDestroyNotify destroy);
void
prov_macro_remove_lookup(ProvMacro *self, guint id);

G_END_DECLS
