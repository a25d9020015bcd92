/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The conformance test for transport plugins (STYLE.md 8), built once per
 * plugin: the loader scans the plugin directories as the daemon does
 * (PROV_PLUGIN_DIR; the module's own build directory when it is not set),
 * and the plugin under test must be the one selected for its scheme, with
 * the type Prov<Scheme>Transport, export only its descriptor, and answer a
 * fetch that cannot succeed with an engine error kind, through the
 * callback, within the context's deadline.
 *
 *   prov-transport-conformance-SCHEME MODULE
 */

#include "config.h"

#include "prov-error.h"
#include "prov-plugin-loader.h"

static const gchar *prov_conformance_module = NULL;

/* "tftp" -> "ProvTftpTransport", unless the build names the type */
static gchar *
prov_conformance_type_name(void)
{
#ifdef PROV_CONFORMANCE_TYPE
	return g_strdup(PROV_CONFORMANCE_TYPE);
#else
	g_autofree gchar *scheme = g_strdup(PROV_CONFORMANCE_SCHEME);

	scheme[0] = g_ascii_toupper(scheme[0]);
	return g_strconcat("Prov", scheme, "Transport", NULL);
#endif
}

static void
prov_conformance_test_selected(void)
{
	g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *module_dir = g_path_get_dirname(prov_conformance_module);
	g_autofree gchar *type_name = prov_conformance_type_name();
	ProvPlugin *plugin;
	gboolean scanned = FALSE;

	g_assert_nonnull(g_getenv(PROV_PLUGIN_DIR_ENV));
	prov_plugin_loader_load_default(loader, NULL);
	for (guint i = 0; prov_plugin_loader_get_directories(loader)[i] != NULL; i++)
		scanned |= g_str_equal(prov_plugin_loader_get_directories(loader)[i], module_dir);
	g_assert_true(scanned);

	plugin =
	    prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_TRANSPORT, PROV_CONFORMANCE_SCHEME);
	g_assert_nonnull(plugin);
	g_assert_cmpstr(prov_plugin_get_filename(plugin), ==, prov_conformance_module);
	g_assert_cmpstr(prov_plugin_get_name(plugin), ==, PROV_CONFORMANCE_SCHEME);
	g_assert_cmpstr(prov_plugin_get_version(plugin), ==, PACKAGE_VERSION);
	g_assert_cmpstrv(prov_plugin_get_names(plugin, PROV_PLUGIN_KIND_TRANSPORT),
			 ((const gchar *[]){PROV_CONFORMANCE_SCHEME, NULL}));
	/* the build puts a manifest beside the module: it is opened on first use (R46) */
	g_assert_false(prov_plugin_is_loaded(plugin));

	transport = prov_plugin_loader_create_transport(loader, PROV_CONFORMANCE_SCHEME, &error);
	g_assert_no_error(error);
	/* and it agrees with its manifest */
	g_assert_true(prov_plugin_is_loaded(plugin));
	g_assert_cmpuint(prov_plugin_loader_get_refused(loader)->len, ==, 0);
	g_assert_true(PROV_IS_TRANSPORT(transport));
	g_assert_cmpstr(G_OBJECT_TYPE_NAME(transport), ==, type_name);
	g_assert_true(prov_plugin_loader_lookup_type(loader, PROV_PLUGIN_KIND_TRANSPORT,
						     PROV_CONFORMANCE_SCHEME) ==
		      G_OBJECT_TYPE(transport));
}

static void
prov_conformance_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

/* a port on 127.0.0.1 that nothing listens on */
static guint16
prov_conformance_closed_port(void)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GError) error = NULL;

	socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
}

/* a fetch that cannot succeed fails through the callback with an engine error kind */
static void
prov_conformance_test_unreachable(void)
{
	g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *url = g_strdup_printf(PROV_CONFORMANCE_SCHEME "://127.0.0.1:%u/basic.txt",
						prov_conformance_closed_port());

	prov_plugin_loader_load_default(loader, NULL);
	transport = prov_plugin_loader_create_transport(loader, PROV_CONFORMANCE_SCHEME, &error);
	g_assert_no_error(error);
	prov_fetch_context_set_timeout(ctx, 2);
	prov_fetch_context_set_inactivity_timeout(ctx, 2);
	prov_transport_fetch_url_async(transport, url, ctx, NULL, prov_conformance_done_cb,
				       &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	bytes = prov_transport_fetch_finish(transport, result, &error);
	g_assert_null(bytes);
	g_assert_nonnull(error);
	g_test_message("%s", error->message);
	g_assert_true(g_error_matches(error, PROV_ERROR, PROV_ERROR_UNREACHABLE) ||
		      g_error_matches(error, PROV_ERROR, PROV_ERROR_TIMED_OUT));
}

static void
prov_conformance_test_exports(void)
{
	g_autoptr(GError) error = NULL;
	GModule *module = g_module_open_full(prov_conformance_module, G_MODULE_BIND_LOCAL, &error);
	gpointer symbol = NULL;

	/* only the descriptor is exported: the plugin's own functions stay hidden */
	g_assert_no_error(error);
	g_assert_true(g_module_symbol(module, PROV_PLUGIN_DESCRIPTOR_SYMBOL, &symbol));
	g_assert_false(g_module_symbol(
	    module, "prov_" PROV_CONFORMANCE_SCHEME "_transport_get_type", &symbol));
	g_module_close(module);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (argc != 2) {
		g_printerr("usage: %s MODULE\n", argv[0]);
		return 2;
	}
	prov_conformance_module = argv[1];
	if (g_getenv(PROV_PLUGIN_DIR_ENV) == NULL || g_getenv(PROV_PLUGIN_DIR_ENV)[0] == '\0') {
		g_autofree gchar *module_dir = g_path_get_dirname(prov_conformance_module);

		g_setenv(PROV_PLUGIN_DIR_ENV, module_dir, TRUE);
	}

	g_test_add_func("/prov/transport-conformance/" PROV_CONFORMANCE_SCHEME "/selected",
			prov_conformance_test_selected);
	g_test_add_func("/prov/transport-conformance/" PROV_CONFORMANCE_SCHEME "/unreachable",
			prov_conformance_test_unreachable);
	g_test_add_func("/prov/transport-conformance/" PROV_CONFORMANCE_SCHEME "/exports",
			prov_conformance_test_exports);
	return g_test_run();
}
