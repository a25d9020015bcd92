/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-decode-context.h"

G_BEGIN_DECLS

/* what the decode pipeline does with the context between stages */
void
prov_decode_context_set_output_max(ProvDecodeContext *self, gsize output_max);
void
prov_decode_context_clear_formats(ProvDecodeContext *self);
void
prov_decode_context_add_format(ProvDecodeContext *self, const gchar *format);

G_END_DECLS
