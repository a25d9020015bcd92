/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-condition.h"

G_BEGIN_DECLS

/* parses text[start, end) so that error columns count from the start of the whole rule */
ProvCondition *
prov_condition_new_from_range(const gchar *text, gsize start, gsize end, GError **error);

G_END_DECLS
