/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-trigger.h>

G_BEGIN_DECLS

#define PROV_TYPE_SIP_NOTIFY_TRIGGER (prov_sip_notify_trigger_get_type())
G_DECLARE_FINAL_TYPE(
    ProvSipNotifyTrigger, prov_sip_notify_trigger, PROV, SIP_NOTIFY_TRIGGER, GObject)

ProvSipNotifyTrigger *
prov_sip_notify_trigger_new(void);

G_END_DECLS
