/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <prov-trigger.h>

G_BEGIN_DECLS

/* the name the engine starts it under: the `[http-trigger]` group */
#define PROV_HTTP_TRIGGER_NAME	"http"
#define PROV_HTTP_TRIGGER_GROUP "http-trigger"
/* an Execute object is tiny; a form-encoded one is at most three times larger */
#define PROV_HTTP_TRIGGER_DEFAULT_MAX_BODY_SIZE (16 * 1024)
#define PROV_HTTP_TRIGGER_MIN_MAX_BODY_SIZE	256
#define PROV_HTTP_TRIGGER_MAX_MAX_BODY_SIZE	(1024 * 1024)

#define PROV_TYPE_HTTP_TRIGGER (prov_http_trigger_get_type())
G_DECLARE_FINAL_TYPE(ProvHttpTrigger, prov_http_trigger, PROV, HTTP_TRIGGER, GObject)

ProvHttpTrigger *
prov_http_trigger_new(void);

G_END_DECLS
