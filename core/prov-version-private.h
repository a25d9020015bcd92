/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Firmware versions as rule conditions and Downgrade_Rev_Limit compare them
 * (reference 4.4). Two spellings are understood:
 *
 *  - SPA: `major[.minor[.build]]` plus an optional suffix, either in
 *    parentheses (`2.0.6(b)`, `2.0.3(0412s)`) or glued on (`7.4.8a`); missing
 *    numbers are 0, so the integer `7` is the version `7.0.0`;
 *  - MPP: `[model.]major-minor-micro[-build]`, where micro may carry a tail
 *    (`sip7832.11-3-2MPP0001-609`, `sip7832.11-0-1MPP-312`, `11-1-0MPP-19`);
 *    the model prefix and a trailing `.loads` are ignored.
 *
 * Ordering: the three numbers, then the suffix (SPA suffix or MPP micro tail;
 * none sorts first), then the build (none sorts first); suffixes and builds
 * compare with digit runs taken as numbers.
 */
typedef struct _ProvVersion ProvVersion;

ProvVersion *
prov_version_new_from_string(const gchar *text, GError **error);
void
prov_version_free(ProvVersion *version);
gint
prov_version_compare(const ProvVersion *a, const ProvVersion *b);
gboolean
prov_version_compare_strings(const gchar *a, const gchar *b, gint *result, GError **error);
gint
prov_version_compare_natural(const gchar *a, const gchar *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvVersion, prov_version_free)

G_END_DECLS
