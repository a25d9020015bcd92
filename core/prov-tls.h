/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"

G_BEGIN_DECLS

PROV_API GTlsCertificate *
prov_tls_certificate_new_from_files(const gchar *cert_file, const gchar *key_file, GError **error);

PROV_API GPtrArray *
prov_tls_certificates_new_from_bytes(GBytes *data, GError **error);
PROV_API gchar *
prov_tls_certificates_to_pem(GPtrArray *certificates);
PROV_API gchar *
prov_tls_certificate_dup_common_name(GTlsCertificate *certificate);

PROV_API gchar *
prov_tls_custom_ca_info(GTlsCertificate *certificate);
PROV_API gchar *
prov_tls_custom_ca_status(gboolean succeeded, GDateTime *when);

G_END_DECLS
