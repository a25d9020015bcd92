/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

#include "prov-api.h"
#include "prov-config.h"
#include "prov-fetch-context.h"
#include "prov-macro.h"
#include "prov-params.h"
#include "prov-plugin-loader.h"
#include "prov-rule.h"
#include "prov-transport.h"

G_BEGIN_DECLS

PROV_API gchar *
prov_fetch_build_url(const ProvRuleAlternative *alternative, ProvConfig *config, GError **error);
PROV_API gchar *
prov_fetch_build_url_for_server(const ProvRuleAlternative *alternative,
				const gchar *default_server,
				GError **error);
PROV_API gchar *
prov_uri_to_string_redacted(const gchar *url);
PROV_API ProvFetchContext *
prov_fetch_new_context_full(ProvConfig *config,
			    ProvParams *params,
			    ProvMacro *macro,
			    const ProvRuleAlternative *alternative,
			    const gchar *const *extra_anchor_files,
			    GError **error);
PROV_API ProvFetchContext *
prov_fetch_new_context(ProvConfig *config,
		       ProvParams *params,
		       ProvMacro *macro,
		       const ProvRuleAlternative *alternative,
		       GError **error);
PROV_API ProvTransport *
prov_fetch_create_transport(ProvPluginLoader *loader,
			    ProvConfig *config,
			    const gchar *url,
			    GError **error);

G_END_DECLS
