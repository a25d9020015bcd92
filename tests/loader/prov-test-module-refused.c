/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Modules the loader must refuse, one variant per build (meson passes
 * -DPROV_TEST_<VARIANT>): each reason of ProvPluginLoader once.
 */

#include "config.h"

#include <gio/gio.h>
#include <prov-error.h>
#include <prov-plugin.h>
#include <prov-transport.h>

#if defined(PROV_TEST_DUPLICATE)
/* claims `test`, which the good module serves, and a scheme of its own */
#define PROV_TYPE_TEST_DUPLICATE_TRANSPORT (prov_test_duplicate_transport_get_type())
G_DECLARE_FINAL_TYPE(ProvTestDuplicateTransport,
		     prov_test_duplicate_transport,
		     PROV,
		     TEST_DUPLICATE_TRANSPORT,
		     GObject)

struct _ProvTestDuplicateTransport {
	GObject parent_instance;
};

static void
prov_test_duplicate_transport_iface_init(ProvTransportInterface *iface)
{
}

G_DEFINE_TYPE_WITH_CODE(ProvTestDuplicateTransport,
			prov_test_duplicate_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT,
					      prov_test_duplicate_transport_iface_init))

static void
prov_test_duplicate_transport_class_init(ProvTestDuplicateTransportClass *klass)
{
}

static void
prov_test_duplicate_transport_init(ProvTestDuplicateTransport *self)
{
}

static void
prov_test_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "other", PROV_TYPE_TEST_DUPLICATE_TRANSPORT);
	prov_plugin_add_transport(plugin, "test", PROV_TYPE_TEST_DUPLICATE_TRANSPORT);
}

PROV_PLUGIN_DEFINE(duplicate, prov_test_register)

#elif defined(PROV_TEST_WRONG_API)
static void
prov_test_register(ProvPlugin *plugin)
{
	g_assert_not_reached();
}

/* what a module built against a future libprov would carry */
G_MODULE_EXPORT extern const ProvPluginDescriptor prov_plugin_descriptor;
G_MODULE_EXPORT const ProvPluginDescriptor prov_plugin_descriptor = {
    PROV_PLUGIN_API_VERSION + 1, sizeof(ProvPluginDescriptor), "wrong-api", "9.9",
    prov_test_register,		 {NULL, NULL, NULL, NULL},
};

#elif defined(PROV_TEST_FAILING)
static void
prov_test_register(ProvPlugin *plugin)
{
	prov_plugin_set_error(plugin, g_error_new_literal(PROV_ERROR, PROV_ERROR_FAILED,
							  "the test library is missing"));
}

PROV_PLUGIN_DEFINE(failing, prov_test_register)

#elif defined(PROV_TEST_EMPTY)
static void
prov_test_register(ProvPlugin *plugin)
{
}

PROV_PLUGIN_DEFINE(empty, prov_test_register)

#elif defined(PROV_TEST_BAD_TYPE)
static void
prov_test_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "bad", G_TYPE_OBJECT);
}

PROV_PLUGIN_DEFINE(bad_type, prov_test_register)

#elif defined(PROV_TEST_NOT_PLUGIN)
/* an ordinary shared library that happens to sit in the plugin directory */
G_MODULE_EXPORT int
prov_test_not_plugin_answer(void);

G_MODULE_EXPORT int
prov_test_not_plugin_answer(void)
{
	return 42;
}

#elif defined(PROV_TEST_UNRESOLVED)
/* built against a libprov that has a function this one lacks */
void
prov_test_function_that_does_not_exist(void);

static void
prov_test_register(ProvPlugin *plugin)
{
	prov_test_function_that_does_not_exist();
}

PROV_PLUGIN_DEFINE(unresolved, prov_test_register)

#else
#error "define one PROV_TEST_<VARIANT>"
#endif
