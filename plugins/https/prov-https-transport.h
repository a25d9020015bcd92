/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-transport.h>

G_BEGIN_DECLS

#define PROV_TYPE_HTTPS_TRANSPORT (prov_https_transport_get_type())
G_DECLARE_FINAL_TYPE(ProvHttpsTransport, prov_https_transport, PROV, HTTPS_TRANSPORT, GObject)

ProvHttpsTransport *
prov_https_transport_new(void);

G_END_DECLS
