/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * What one fetch of a rule needs besides the bytes: the URL, the fetch
 * context built from the config, the device and the rule's options, and the
 * transport for the URL's scheme. provtool fetch and the engine share it, so
 * that a rule tried with provtool is fetched exactly as the daemon would.
 */

#define G_LOG_DOMAIN "ProvFetch"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-fetch.h"
#include "prov-tls-database.h"
#include "prov-tls.h"

/* `host`, `host:port`, `[v6]`, `[v6]:port` or a bare IPv6 address; port 0 when none is given */
static gboolean
prov_fetch_split_server(const gchar *server, gchar **host, guint *port)
{
	const gchar *colon;
	guint64 number = 0;

	*host = NULL;
	*port = 0;
	if (server[0] == '[') {
		const gchar *close = strchr(server, ']');

		if (close == NULL || close == server + 1)
			return FALSE;
		*host = g_strndup(server + 1, (gsize)(close - server - 1));
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] != '\0' && colon == NULL) {
			g_clear_pointer(host, g_free);
			return FALSE;
		}
	} else {
		colon = strchr(server, ':');
		/* several colons without brackets: a bare IPv6 address */
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;
		*host =
		    colon != NULL ? g_strndup(server, (gsize)(colon - server)) : g_strdup(server);
	}
	if (colon != NULL &&
	    !g_ascii_string_to_unsigned(colon + 1, 10, 1, G_MAXUINT16, &number, NULL)) {
		g_clear_pointer(host, g_free);
		return FALSE;
	}
	*port = (guint)number;
	return (*host)[0] != '\0';
}

/* the URL of an alternative without a host, at @server; the rule's own port wins */
static gchar *
prov_fetch_build_url_at(const ProvRuleAlternative *alternative, const gchar *server, GError **error)
{
	g_autofree gchar *host = NULL;
	guint port = 0;
	GString *url;

	if (!prov_fetch_split_server(server, &host, &port)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "the default server %s is not host[:port]", server);
		return NULL;
	}
	if (prov_rule_alternative_has_explicit_port(alternative))
		port = prov_rule_alternative_get_port(alternative);
	url = g_string_new(prov_rule_alternative_get_scheme(alternative));
	g_string_append(url, "://");
	if (strchr(host, ':') != NULL)
		g_string_append_printf(url, "[%s]", host);
	else
		g_string_append(url, host);
	if (port != 0)
		g_string_append_printf(url, ":%u", port);
	g_string_append(url, prov_rule_alternative_get_path_and_query(alternative));
	return g_string_free(url, FALSE);
}

/**
 * prov_fetch_build_url_for_server:
 * @alternative: the selected alternative of a macro-expanded rule
 * @default_server: (nullable): `host[:port]` that stands in for a missing
 *   host: `DefaultServer`, or for a one-shot rule of a remote trigger the
 *   requesting host (reference 7.1)
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the URL to fetch, or %NULL with @error set when
 *   the alternative has no URL, or names no host and @default_server is
 *   %NULL, empty or malformed
 *
 * Since: 0.1
 */
gchar *
prov_fetch_build_url_for_server(const ProvRuleAlternative *alternative,
				const gchar *default_server,
				GError **error)
{
	g_return_val_if_fail(alternative != NULL, NULL);

	if (!prov_rule_alternative_has_url(alternative)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the rule has no URL: nothing to fetch");
		return NULL;
	}
	if (prov_rule_alternative_get_host(alternative) != NULL)
		return prov_rule_alternative_build_url(alternative, NULL);
	if (default_server == NULL || default_server[0] == '\0') {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the rule's URL names no server and no [daemon] DefaultServer "
				    "is set");
		return NULL;
	}
	return prov_fetch_build_url_at(alternative, default_server, error);
}

/**
 * prov_fetch_build_url:
 * @alternative: the selected alternative of a macro-expanded rule
 * @config: the config, whose `[daemon] DefaultServer` stands in for a
 *   missing host
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the URL to fetch, or %NULL with @error set when
 *   the alternative has no URL, or names no host and no `DefaultServer` is
 *   configured
 *
 * Since: 0.1
 */
gchar *
prov_fetch_build_url(const ProvRuleAlternative *alternative, ProvConfig *config, GError **error)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	g_return_val_if_fail(PROV_IS_CONFIG(config), NULL);

	return prov_fetch_build_url_for_server(
	    alternative, prov_config_get_daemon_value(config, "DefaultServer"), error);
}

/**
 * prov_uri_to_string_redacted:
 * @url: (nullable): a URL
 *
 * What logs, results and D-Bus show of a URL: without user information
 * (R42). A text that does not parse as a URL is shown up to its first `@`
 * only when it has none.
 *
 * Returns: (transfer full): the URL without credentials; empty for %NULL
 *
 * Since: 0.1
 */
gchar *
prov_uri_to_string_redacted(const gchar *url)
{
	g_autoptr(GUri) uri = NULL;

	if (url == NULL)
		return g_strdup("");
	uri = g_uri_parse(url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_HAS_PASSWORD, NULL);
	if (uri == NULL)
		return g_strdup(strchr(url, '@') == NULL ? url : "(invalid URL)");
	if (g_uri_get_userinfo(uri) == NULL)
		return g_strdup(url);
	return g_uri_to_string_partial(uri, G_URI_HIDE_USERINFO);
}

/* reference 6.2.2: HTTP_User_Agent_Name replaces the whole header, macros expanded */
static gchar *
prov_fetch_dup_user_agent(ProvConfig *config, ProvParams *params, ProvMacro *macro)
{
	const gchar *name = prov_params_get_value(params, "HTTP_User_Agent_Name");
	g_autofree gchar *expanded = NULL;

	if (name != NULL && name[0] != '\0')
		expanded = prov_macro_expand(macro, name, PROV_MACRO_FLAGS_NONE);
	return prov_device_dup_user_agent(prov_config_get_device(config),
					  prov_config_get_behaviour(config), expanded);
}

/*
 * `[daemon] CAFile` and the custom CA of reference 9.3 trusted beside the
 * system roots, and the device's own certificate
 */
static gboolean
prov_fetch_set_tls(ProvFetchContext *ctx,
		   ProvConfig *config,
		   const gchar *const *extra_anchor_files,
		   GError **error)
{
	const gchar *ca_file = prov_config_get_daemon_value(config, "CAFile");
	const gchar *cert_file = prov_config_get_daemon_value(config, "DeviceCertificate");
	const gchar *key_file = prov_config_get_daemon_value(config, "DeviceKey");
	g_autoptr(GPtrArray) anchors = g_ptr_array_new();
	g_autoptr(ProvTlsDatabase) database = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;

	if (ca_file != NULL)
		g_ptr_array_add(anchors, (gpointer)ca_file);
	for (guint i = 0; extra_anchor_files != NULL && extra_anchor_files[i] != NULL; i++)
		g_ptr_array_add(anchors, (gpointer)extra_anchor_files[i]);
	g_ptr_array_add(anchors, NULL);
	if (anchors->len > 1) {
		database = prov_tls_database_new((const gchar *const *)anchors->pdata, error);
		if (database == NULL) {
			g_prefix_error(error, "CAFile: ");
			return FALSE;
		}
		prov_fetch_context_set_tls_database(ctx, G_TLS_DATABASE(database));
	}
	if ((cert_file == NULL) != (key_file == NULL)) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "DeviceCertificate and DeviceKey go together: one is missing");
		return FALSE;
	}
	if (cert_file != NULL) {
		certificate = prov_tls_certificate_new_from_files(cert_file, key_file, error);
		if (certificate == NULL)
			return FALSE;
		prov_fetch_context_set_tls_certificate(ctx, certificate);
	}
	return TRUE;
}

/* reference 4.2: `--post x` sends the macro-expanded GPP_x as text/plain */
static gboolean
prov_fetch_set_post_body(
    ProvFetchContext *ctx, ProvParams *params, ProvMacro *macro, gchar letter, GError **error)
{
	g_autofree gchar *name = g_strdup_printf("GPP_%c", g_ascii_toupper(letter));
	const gchar *template = prov_params_get_value(params, name);
	g_autofree gchar *body = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (template == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_UNKNOWN_PARAMETER,
			    "--post %c: no parameter %s", letter, name);
		return FALSE;
	}
	body = prov_macro_expand_full(macro, template, PROV_MACRO_FLAGS_NONE, error);
	if (body == NULL) {
		g_prefix_error(error, "--post %c: ", letter);
		return FALSE;
	}
	bytes = g_bytes_new_take(body, strlen(body));
	body = NULL;

	prov_fetch_context_set_post_body(ctx, bytes);
	prov_fetch_context_set_content_type(ctx, "text/plain");
	return TRUE;
}

/**
 * prov_fetch_new_context_full:
 * @config: the config: device identity, behaviour profile, `[limits]` and
 *   the TLS material of `[daemon]`
 * @params: the parameters, for `HTTP_User_Agent_Name` and `--post` bodies
 * @macro: the macro expander of the device
 * @alternative: the selected alternative of the macro-expanded rule
 * @extra_anchor_files: (nullable) (array zero-terminated=1): PEM files of CA
 *   certificates trusted besides the system roots and `CAFile`, such as
 *   the custom CA of reference 9.3
 * @error: return location for a #GError
 *
 * The fetch context of one rule: the device's User-Agent (reference 6.2.2),
 * the fetch cap of `[limits]`, the default deadline and inactivity timeout
 * (R35), `CAFile` and @extra_anchor_files as trust anchors beside the
 * system roots, `DeviceCertificate`/`DeviceKey` as the client certificate,
 * the rule's `--uid`/`--pwd`, and with `--post x` the expanded GPP_x as a
 * text/plain body.
 *
 * Returns: (transfer full): the context, or %NULL with @error set when the
 *   TLS material cannot be read or the `--post` parameter is unknown
 *
 * Since: 0.1
 */
ProvFetchContext *
prov_fetch_new_context_full(ProvConfig *config,
			    ProvParams *params,
			    ProvMacro *macro,
			    const ProvRuleAlternative *alternative,
			    const gchar *const *extra_anchor_files,
			    GError **error)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autofree gchar *user_agent = NULL;

	g_return_val_if_fail(PROV_IS_CONFIG(config), NULL);
	g_return_val_if_fail(PROV_IS_PARAMS(params), NULL);
	g_return_val_if_fail(PROV_IS_MACRO(macro), NULL);
	g_return_val_if_fail(alternative != NULL, NULL);

	user_agent = prov_fetch_dup_user_agent(config, params, macro);
	prov_fetch_context_set_user_agent(ctx, user_agent);
	prov_fetch_context_set_limits(ctx, prov_config_get_limits(config));
	prov_fetch_context_set_timeout(ctx, PROV_FETCH_CONTEXT_DEFAULT_TIMEOUT);
	prov_fetch_context_set_inactivity_timeout(ctx,
						  PROV_FETCH_CONTEXT_DEFAULT_INACTIVITY_TIMEOUT);
	if (!prov_fetch_set_tls(ctx, config, extra_anchor_files, error))
		return NULL;
	if (prov_rule_alternative_get_uid(alternative) != NULL ||
	    prov_rule_alternative_get_pwd(alternative) != NULL)
		prov_fetch_context_set_credentials(ctx, prov_rule_alternative_get_uid(alternative),
						   prov_rule_alternative_get_pwd(alternative));
	if (prov_rule_alternative_get_post(alternative) != '\0' &&
	    !prov_fetch_set_post_body(ctx, params, macro,
				      prov_rule_alternative_get_post(alternative), error))
		return NULL;
	return g_steal_pointer(&ctx);
}

/**
 * prov_fetch_new_context:
 * @config: the config: device identity, behaviour profile, `[limits]` and
 *   the TLS material of `[daemon]`
 * @params: the parameters, for `HTTP_User_Agent_Name` and `--post` bodies
 * @macro: the macro expander of the device
 * @alternative: the selected alternative of the macro-expanded rule
 * @error: return location for a #GError
 *
 * Like prov_fetch_new_context_full(), with no trust anchors besides the
 * system roots and `CAFile`.
 *
 * Returns: (transfer full): the context, or %NULL with @error set when the
 *   TLS material cannot be read or the `--post` parameter is unknown
 *
 * Since: 0.1
 */
ProvFetchContext *
prov_fetch_new_context(ProvConfig *config,
		       ProvParams *params,
		       ProvMacro *macro,
		       const ProvRuleAlternative *alternative,
		       GError **error)
{
	return prov_fetch_new_context_full(config, params, macro, alternative, NULL, error);
}

/* `BlockSize` names the property `block-size` */
static gchar *
prov_fetch_property_name(const gchar *key)
{
	g_autoptr(GString) name = g_string_new(NULL);

	for (const gchar *p = key; *p != '\0'; p++) {
		if (g_ascii_isupper(*p) && p != key)
			g_string_append_c(name, '-');
		g_string_append_c(name, g_ascii_tolower(*p));
	}
	return g_string_free(g_steal_pointer(&name), FALSE);
}

/* a key of the scheme's group, e.g. `[tftp] BlockSize`, onto the transport's property */
static gboolean
prov_fetch_set_property(ProvTransport *transport,
			GKeyFile *key_file,
			const gchar *group,
			const gchar *key,
			GError **error)
{
	g_autofree gchar *property = prov_fetch_property_name(key);
	GParamSpec *pspec = g_object_class_find_property(G_OBJECT_GET_CLASS(transport), property);
	g_auto(GValue) value = G_VALUE_INIT;
	g_autoptr(GError) error_local = NULL;

	if (pspec == NULL || (pspec->flags & G_PARAM_WRITABLE) == 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[%s] %s: unknown key", group,
			    key);
		return FALSE;
	}
	g_value_init(&value, pspec->value_type);
	if (pspec->value_type == G_TYPE_UINT) {
		guint64 number = g_key_file_get_uint64(key_file, group, key, &error_local);

		if (error_local == NULL && number > G_MAXUINT)
			number = G_MAXUINT;
		g_value_set_uint(&value, (guint)number);
	} else if (pspec->value_type == G_TYPE_BOOLEAN) {
		g_value_set_boolean(&value,
				    g_key_file_get_boolean(key_file, group, key, &error_local));
	} else if (pspec->value_type == G_TYPE_STRING) {
		g_value_take_string(&value,
				    g_key_file_get_string(key_file, group, key, &error_local));
	} else {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[%s] %s: unknown key", group,
			    key);
		return FALSE;
	}
	if (error_local != NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[%s] %s: %s", group, key,
			    error_local->message);
		return FALSE;
	}
	/* out of range would only be a critical warning and keep the default */
	if (g_param_value_validate(pspec, &value)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG, "[%s] %s: out of range", group,
			    key);
		return FALSE;
	}
	g_object_set_property(G_OBJECT(transport), property, &value);
	return TRUE;
}

/**
 * prov_fetch_create_transport:
 * @loader: the plugin loader
 * @config: the config; its group named after the scheme (`[tftp]`) sets the
 *   transport's properties, `BlockSize` setting `block-size`
 * @url: the URL to fetch
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a transport for the URL's scheme, or %NULL with
 *   @error set when no plugin serves the scheme (`unsupported scheme`) or
 *   the scheme's group has a key the transport does not know
 *
 * Since: 0.1
 */
ProvTransport *
prov_fetch_create_transport(ProvPluginLoader *loader,
			    ProvConfig *config,
			    const gchar *url,
			    GError **error)
{
	g_autofree gchar *scheme = NULL;
	g_autofree gchar *group = NULL;
	g_autoptr(ProvTransport) transport = NULL;
	g_auto(GStrv) keys = NULL;
	GKeyFile *key_file;

	g_return_val_if_fail(PROV_IS_PLUGIN_LOADER(loader), NULL);
	g_return_val_if_fail(PROV_IS_CONFIG(config), NULL);
	g_return_val_if_fail(url != NULL, NULL);

	scheme = g_uri_parse_scheme(url);
	if (scheme == NULL) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the URL has no scheme");
		return NULL;
	}
	if (prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_TRANSPORT, scheme) == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "unsupported scheme %s: no transport plugin serves it", scheme);
		return NULL;
	}
	transport = prov_plugin_loader_create_transport(loader, scheme, error);
	if (transport == NULL)
		return NULL;
	group = g_ascii_strdown(scheme, -1);
	key_file = prov_config_get_key_file(config);
	if (key_file != NULL && g_key_file_has_group(key_file, group))
		keys = g_key_file_get_keys(key_file, group, NULL, NULL);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!prov_fetch_set_property(transport, key_file, group, keys[i], error))
			return NULL;
	}
	return g_steal_pointer(&transport);
}
