/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-transport.h>

G_BEGIN_DECLS

#define PROV_TYPE_HTTP_TRANSPORT (prov_http_transport_get_type())
G_DECLARE_FINAL_TYPE(ProvHttpTransport, prov_http_transport, PROV, HTTP_TRANSPORT, GObject)

ProvHttpTransport *
prov_http_transport_new(void);

G_END_DECLS
