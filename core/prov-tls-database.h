/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"

G_BEGIN_DECLS

#define PROV_TYPE_TLS_DATABASE (prov_tls_database_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvTlsDatabase, prov_tls_database, PROV, TLS_DATABASE, GTlsDatabase)

PROV_API ProvTlsDatabase *
prov_tls_database_new(const gchar *const *anchor_files, GError **error);

PROV_API const gchar *const *
prov_tls_database_get_anchor_files(ProvTlsDatabase *self);

G_END_DECLS
