/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * provtool fetch: one rule fetched and decoded as the engine does it, with
 * the same plugins, config, caps and User-Agent, so that an operator can test
 * a provisioning server from a script.
 */

#define G_LOG_DOMAIN "ProvTool"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "prov-decode-pipeline.h"
#include "prov-error.h"
#include "prov-fetch.h"
#include "prov-plugin-loader.h"
#include "prov-rule.h"
#include "provtool.h"

typedef struct {
	GMainLoop *loop;
	GBytes *data;
	GError *error;
} ProvToolFetch;

static void
prov_tool_fetch_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvToolFetch *fetch = user_data;

	fetch->data = prov_transport_fetch_finish(PROV_TRANSPORT(source), result, &fetch->error);
	g_main_loop_quit(fetch->loop);
}

/* the transport's errors are asynchronous: the fetch runs on a main loop of its own */
static GBytes *
prov_tool_fetch_run(ProvTransport *transport,
		    const gchar *url,
		    ProvFetchContext *ctx,
		    GError **error)
{
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GMainLoop) loop = g_main_loop_new(context, FALSE);
	ProvToolFetch fetch = {loop, NULL, NULL};

	g_main_context_push_thread_default(context);
	prov_transport_fetch_url_async(transport, url, ctx, NULL, prov_tool_fetch_done_cb, &fetch);
	g_main_loop_run(loop);
	g_main_context_pop_thread_default(context);
	if (fetch.data == NULL) {
		g_propagate_error(error, fetch.error);
		return NULL;
	}
	return fetch.data;
}

/* the rule's --key and --kdf, with the config's caps and behaviour profile */
static ProvDecodeContext *
prov_tool_fetch_decode_context(ProvTool *self, const ProvRuleAlternative *alternative)
{
	ProvDecodeContext *ctx = prov_decode_context_new();
	const gchar *key = prov_rule_alternative_get_key(alternative);
	guint iterations = 0;
	ProvRuleKdf kdf = prov_rule_alternative_get_kdf(alternative, &iterations);

	prov_decode_context_set_limits(ctx, prov_config_get_limits(self->config));
	prov_decode_context_set_behaviour(ctx, prov_config_get_behaviour(self->config));
	if (key != NULL)
		prov_decode_context_set_key(ctx, key, -1);
	if (kdf != PROV_RULE_KDF_AUTO)
		prov_decode_context_set_kdf(ctx, kdf, iterations);
	return ctx;
}

/*
 * URL: reason, once: some transports name the URL in their messages already;
 * Resync_Fails_On_FNF's case reads "file not found" as the devices log it
 */
static void
prov_tool_fetch_describe_error(const gchar *url, const GError *error_local, GError **error)
{
	const gchar *detail = error_local->message;
	gsize url_length = strlen(url);

	if (strncmp(detail, url, url_length) == 0 && g_str_has_prefix(detail + url_length, ": "))
		detail += url_length + 2;
	if (g_error_matches(error_local, PROV_ERROR, PROV_ERROR_NOT_FOUND) &&
	    strstr(detail, "file not found") == NULL)
		g_set_error(error, error_local->domain, error_local->code, "%s: file not found: %s",
			    url, detail);
	else
		g_set_error(error, error_local->domain, error_local->code, "%s: %s", url, detail);
}

/* the rule of the command line, macro-expanded and resolved for the device */
static ProvRule *
prov_tool_fetch_parse_rule(ProvTool *self, const gchar *text, GError **error)
{
	g_autofree gchar *expanded = prov_macro_expand_rule(self->macro, text);
	g_autoptr(ProvRule) rule = prov_rule_new_from_string(expanded, error);

	if (rule == NULL) {
		g_prefix_error(error, "rule: ");
		return NULL;
	}
	if (prov_rule_is_empty(rule)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    prov_rule_is_commented(rule)
					? "the rule is commented out: nothing to fetch"
					: "the rule is empty: nothing to fetch");
		return NULL;
	}
	return g_steal_pointer(&rule);
}

gboolean
prov_tool_fetch(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autoptr(ProvRule) rule = NULL;
	g_autoptr(ProvPluginLoader) loader = NULL;
	g_autoptr(ProvFetchContext) ctx = NULL;
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *url = NULL;
	const ProvRuleAlternative *alternative;
	gboolean raw = FALSE;
	const GOptionEntry fetch_entries[] = {
	    {"raw", 0, 0, G_OPTION_ARG_NONE, &raw,
	     N_("Write the fetched bytes as they are, without decoding"), NULL},
	    {NULL},
	};
	const GOptionEntry *tables[] = {fetch_entries, prov_tool_set_entries,
					prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(
		&self, _("RULE OUT"),
		_("Fetch what RULE resolves to for the device, as the daemon would (macros, "
		  "options, alternatives, the config's [limits], TLS material and User-Agent), "
		  "decode it with the rule's --key unless --raw is given, and write it to OUT "
		  "(- for standard output)."),
		tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 2, "fetch [OPTION…] RULE OUT", error) ||
	    !prov_tool_setup(&self, error))
		return FALSE;

	rule = prov_tool_fetch_parse_rule(&self, argv[1], error);
	if (rule == NULL)
		return FALSE;
	alternative = prov_rule_select(
	    rule, prov_device_get_software_version(prov_config_get_device(self.config)));
	if (alternative == NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "no alternative's condition holds: nothing to fetch");
		return FALSE;
	}
	url = prov_fetch_build_url(alternative, self.config, error);
	if (url == NULL)
		return FALSE;
	ctx = prov_fetch_new_context(self.config, self.params, self.macro, alternative, error);
	if (ctx == NULL)
		return FALSE;
	loader = prov_plugin_loader_new();
	prov_plugin_loader_load_default(loader, self.config);
	transport = prov_fetch_create_transport(loader, self.config, url, error);
	if (transport == NULL)
		return FALSE;
	if (self.verbose)
		g_printerr(_("%1$s: User-Agent %2$s\n"), url,
			   prov_fetch_context_get_user_agent(ctx));

	data = prov_tool_fetch_run(transport, url, ctx, &error_local);
	if (data == NULL) {
		prov_tool_fetch_describe_error(url, error_local, error);
		return FALSE;
	}
	if (self.verbose) {
		g_autofree gchar *size = prov_tool_format_bytes(g_bytes_get_size(data));

		/* TRANSLATORS: URL: N bytes fetched */
		g_printerr(_("%1$s: %2$s fetched\n"), url, size);
	}
	if (!raw) {
		g_autoptr(ProvDecodePipeline) pipeline =
		    prov_decode_pipeline_new_from_loader(loader);
		g_autoptr(ProvDecodeContext) decode_ctx =
		    prov_tool_fetch_decode_context(&self, alternative);
		GBytes *decoded = prov_decode_pipeline_decode(pipeline, data, decode_ctx, error);

		if (decoded == NULL) {
			g_prefix_error(error, "%s: ", url);
			return FALSE;
		}
		g_bytes_unref(data);
		data = decoded;
	}
	return prov_tool_write_output(argv[2], data, error);
}
