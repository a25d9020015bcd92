/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include "prov-error.h"
#include "prov-transport.h"

/* a transport that answers with the URI it was given, and cannot upload */
#define PROV_TYPE_TEST_TRANSPORT (prov_test_transport_get_type())
G_DECLARE_FINAL_TYPE(ProvTestTransport, prov_test_transport, PROV, TEST_TRANSPORT, GObject)

struct _ProvTestTransport {
	GObject parent_instance;
};

static void
prov_test_transport_fetch_async(ProvTransport *transport,
				GUri *uri,
				ProvFetchContext *ctx,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(transport, cancellable, callback, user_data);
	g_autofree gchar *text = g_strdup_printf("%s %s %s", g_uri_get_scheme(uri),
						 g_uri_get_host(uri), g_uri_get_path(uri));

	gsize length = strlen(text);

	/* the length first: the order in which arguments are evaluated is unspecified */
	g_task_return_pointer(task, g_bytes_new_take(g_steal_pointer(&text), length),
			      (GDestroyNotify)g_bytes_unref);
}

static GBytes *
prov_test_transport_fetch_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
prov_test_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_test_transport_fetch_async;
	iface->fetch_finish = prov_test_transport_fetch_finish;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestTransport,
			prov_test_transport,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRANSPORT, prov_test_transport_iface_init))

static void
prov_test_transport_class_init(ProvTestTransportClass *klass)
{
}

static void
prov_test_transport_init(ProvTestTransport *self)
{
}

static void
prov_test_transport_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

static GAsyncResult *
prov_test_transport_wait(GAsyncResult **result)
{
	while (*result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return *result;
}

static void
prov_test_transport_fetch(void)
{
	g_autoptr(ProvTransport) transport = g_object_new(PROV_TYPE_TEST_TRANSPORT, NULL);
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GAsyncResult) bad_result = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri =
	    g_uri_parse("tftp://prov.example/a%20b.cfg", G_URI_FLAGS_ENCODED, NULL);

	prov_transport_fetch_async(transport, uri, ctx, NULL, prov_test_transport_done_cb, &result);
	bytes = prov_transport_fetch_finish(transport, prov_test_transport_wait(&result), &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			"tftp prov.example /a%20b.cfg", 28);
	g_clear_object(&result);
	g_clear_pointer(&bytes, g_bytes_unref);

	/* a URL as text is parsed, percent-encoding kept */
	prov_transport_fetch_url_async(transport, "http://prov.example/x%2Fy.xml", ctx, NULL,
				       prov_test_transport_done_cb, &result);
	bytes = prov_transport_fetch_finish(transport, prov_test_transport_wait(&result), &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			"http prov.example /x%2Fy.xml", 28);

	/* a URL that does not parse fails through the callback, without repeating the URL */
	prov_transport_fetch_url_async(transport, "http://user:s3cret@[bad/", ctx, NULL,
				       prov_test_transport_done_cb, &bad_result);
	g_assert_null(
	    prov_transport_fetch_finish(transport, prov_test_transport_wait(&bad_result), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_cmpstr(error->message, ==, "invalid URL");
}

static void
prov_test_transport_upload(void)
{
	g_autoptr(ProvTransport) transport = g_object_new(PROV_TYPE_TEST_TRANSPORT, NULL);
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GUri) uri = g_uri_parse("tftp://prov.example/report.xml", G_URI_FLAGS_NONE, NULL);
	g_autoptr(GBytes) data = g_bytes_new_static("<report/>", 9);

	g_assert_false(prov_transport_can_upload(transport));
	prov_transport_upload_async(transport, uri, ctx, data, NULL, prov_test_transport_done_cb,
				    &result);
	g_assert_false(
	    prov_transport_upload_finish(transport, prov_test_transport_wait(&result), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "the tftp transport cannot upload");
}

static void
prov_test_transport_context(void)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	ProvLimits limits;

	/* R35 and R17 defaults */
	g_assert_cmpuint(prov_fetch_context_get_timeout(ctx), ==, 60);
	g_assert_cmpuint(prov_fetch_context_get_inactivity_timeout(ctx), ==, 30);
	g_assert_cmpuint(prov_fetch_context_get_size_max(ctx), ==, 1024 * 1024);
	g_assert_null(prov_fetch_context_get_user_agent(ctx));
	g_assert_null(prov_fetch_context_get_username(ctx));
	g_assert_null(prov_fetch_context_get_password(ctx));
	g_assert_null(prov_fetch_context_get_tls_certificate(ctx));
	g_assert_null(prov_fetch_context_get_tls_database(ctx));

	prov_fetch_context_set_user_agent(ctx, "Cisco/SPA112-1.4.1 (88755A123456)");
	g_assert_cmpstr(prov_fetch_context_get_user_agent(ctx), ==,
			"Cisco/SPA112-1.4.1 (88755A123456)");
	prov_fetch_context_set_timeout(ctx, 5);
	prov_fetch_context_set_inactivity_timeout(ctx, 2);
	g_assert_cmpuint(prov_fetch_context_get_timeout(ctx), ==, 5);
	g_assert_cmpuint(prov_fetch_context_get_inactivity_timeout(ctx), ==, 2);
	prov_limits_init(&limits);
	limits.fetch_max = 4096;
	prov_fetch_context_set_limits(ctx, &limits);
	g_assert_cmpuint(prov_fetch_context_get_size_max(ctx), ==, 4096);
	prov_fetch_context_set_size_max(ctx, 10);
	g_assert_cmpuint(prov_fetch_context_get_size_max(ctx), ==, 10);
	prov_fetch_context_set_credentials(ctx, "admin", "s3cret");
	g_assert_cmpstr(prov_fetch_context_get_username(ctx), ==, "admin");
	g_assert_cmpstr(prov_fetch_context_get_password(ctx), ==, "s3cret");
	prov_fetch_context_set_credentials(ctx, NULL, NULL);
	g_assert_null(prov_fetch_context_get_username(ctx));
	g_assert_null(prov_fetch_context_get_password(ctx));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	g_test_add_func("/prov/transport/fetch", prov_test_transport_fetch);
	g_test_add_func("/prov/transport/upload", prov_test_transport_upload);
	g_test_add_func("/prov/transport/context", prov_test_transport_context);
	return g_test_run();
}
