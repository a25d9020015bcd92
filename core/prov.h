/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

/* the whole public API of libprov: `#include <prov.h>` with `pkg-config prov-1` */

#include "prov-alias-map.h"
#include "prov-clock.h"
#include "prov-condition.h"
#include "prov-config.h"
#include "prov-decode-context.h"
#include "prov-decode-pipeline.h"
#include "prov-decoder.h"
#include "prov-device.h"
#include "prov-engine.h"
#include "prov-enums.h"
#include "prov-error.h"
#include "prov-execute.h"
#include "prov-fetch-context.h"
#include "prov-fetch.h"
#include "prov-key.h"
#include "prov-limits.h"
#include "prov-macro.h"
#include "prov-param-def.h"
#include "prov-params-transaction.h"
#include "prov-params.h"
#include "prov-plugin-loader.h"
#include "prov-plugin.h"
#include "prov-profile.h"
#include "prov-resync-result.h"
#include "prov-rule-result.h"
#include "prov-rule.h"
#include "prov-schedule.h"
#include "prov-scheduler.h"
#include "prov-syslog.h"
#include "prov-tls-database.h"
#include "prov-tls.h"
#include "prov-transport.h"
#include "prov-trigger-host.h"
#include "prov-trigger.h"
#include "prov-xml.h"
