/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * A plugin module that works: a `test` transport that serves a profile
 * naming the path it was asked for, and a `test` trigger. Compiled with
 * PROV_TEST_SAME_NAME it is a second module that claims the name `good`.
 */

#include "config.h"

#include <gio/gio.h>
#include <prov-plugin.h>
#include <prov-transport.h>
#include <prov-trigger.h>

#define PROV_TYPE_TEST_GOOD_TRANSPORT (prov_test_good_transport_get_type())
G_DECLARE_FINAL_TYPE(
    ProvTestGoodTransport, prov_test_good_transport, PROV, TEST_GOOD_TRANSPORT, GObject)

struct _ProvTestGoodTransport {
	GObject parent_instance;
};

static void
prov_test_good_transport_iface_init(ProvTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvTestGoodTransport,
			prov_test_good_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT,
					      prov_test_good_transport_iface_init))

static void
prov_test_good_transport_fetch_async(ProvTransport *transport,
				     GUri *uri,
				     ProvFetchContext *ctx,
				     GCancellable *cancellable,
				     GAsyncReadyCallback callback,
				     gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(transport, cancellable, callback, user_data);
	g_autofree gchar *text =
	    g_strdup_printf("<flat-profile><GPP_A>%s</GPP_A></flat-profile>", g_uri_get_path(uri));
	/* measured first: the order in which arguments are evaluated is unspecified */
	gsize length = strlen(text);

	if (length > prov_fetch_context_get_size_max(ctx)) {
		g_task_return_new_error(task, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
					"fetched size exceeds the limit");
		return;
	}
	g_task_return_pointer(task, g_bytes_new_take(g_steal_pointer(&text), length),
			      (GDestroyNotify)g_bytes_unref);
}

static GBytes *
prov_test_good_transport_fetch_finish(ProvTransport *transport,
				      GAsyncResult *result,
				      GError **error)
{
	g_return_val_if_fail(g_task_is_valid(result, transport), NULL);
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
prov_test_good_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_test_good_transport_fetch_async;
	iface->fetch_finish = prov_test_good_transport_fetch_finish;
}

static void
prov_test_good_transport_class_init(ProvTestGoodTransportClass *klass)
{
}

static void
prov_test_good_transport_init(ProvTestGoodTransport *self)
{
}

#define PROV_TYPE_TEST_GOOD_TRIGGER (prov_test_good_trigger_get_type())
G_DECLARE_FINAL_TYPE(ProvTestGoodTrigger, prov_test_good_trigger, PROV, TEST_GOOD_TRIGGER, GObject)

struct _ProvTestGoodTrigger {
	GObject parent_instance;
	ProvTriggerHost *host;
};

static void
prov_test_good_trigger_iface_init(ProvTriggerInterface *iface);

G_DEFINE_TYPE_WITH_CODE(ProvTestGoodTrigger,
			prov_test_good_trigger,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER, prov_test_good_trigger_iface_init))

/* a trigger that fires once as soon as it starts, as if a caller had asked */
static gboolean
prov_test_good_trigger_start(ProvTrigger *trigger, ProvTriggerHost *host, GError **error)
{
	ProvTestGoodTrigger *self = PROV_TEST_GOOD_TRIGGER(trigger);

	g_set_object(&self->host, host);
	return prov_trigger_host_request(host, PROV_TRIGGER_ACTION_RESYNC, "test:///started",
					 "loopback", error);
}

static void
prov_test_good_trigger_stop(ProvTrigger *trigger)
{
	ProvTestGoodTrigger *self = PROV_TEST_GOOD_TRIGGER(trigger);

	g_clear_object(&self->host);
}

static void
prov_test_good_trigger_iface_init(ProvTriggerInterface *iface)
{
	iface->start = prov_test_good_trigger_start;
	iface->stop = prov_test_good_trigger_stop;
}

static void
prov_test_good_trigger_dispose(GObject *object)
{
	ProvTestGoodTrigger *self = PROV_TEST_GOOD_TRIGGER(object);

	g_clear_object(&self->host);
	G_OBJECT_CLASS(prov_test_good_trigger_parent_class)->dispose(object);
}

static void
prov_test_good_trigger_class_init(ProvTestGoodTriggerClass *klass)
{
	G_OBJECT_CLASS(klass)->dispose = prov_test_good_trigger_dispose;
}

static void
prov_test_good_trigger_init(ProvTestGoodTrigger *self)
{
}

static void
prov_test_good_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "test", PROV_TYPE_TEST_GOOD_TRANSPORT);
	prov_plugin_add_trigger(plugin, "test", PROV_TYPE_TEST_GOOD_TRIGGER);
}

PROV_PLUGIN_DEFINE(good, prov_test_good_register)
