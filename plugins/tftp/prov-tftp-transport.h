/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-transport.h>

G_BEGIN_DECLS

#define PROV_TYPE_TFTP_TRANSPORT (prov_tftp_transport_get_type())
G_DECLARE_FINAL_TYPE(ProvTftpTransport, prov_tftp_transport, PROV, TFTP_TRANSPORT, GObject)

ProvTftpTransport *
prov_tftp_transport_new(void);

G_END_DECLS
