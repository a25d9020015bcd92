/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * PROV_KEY_MIN_LENGTH:
 *
 * The shortest passphrase `provtool encode` accepts without
 * `--allow-weak-key` (R31), in characters.
 *
 * Since: 0.1
 */
#define PROV_KEY_MIN_LENGTH 12

PROV_API gboolean
prov_key_check_strength(const gchar *key, GError **error);

G_END_DECLS
