/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * ProvEngine: the flow of one resync (reference 5.3-5.5) against in-memory
 * plugins linked into the test: a transport that serves files per URL,
 * fails with given codes, holds a fetch until released, records requests
 * and uploads; two decoders with the magic "ENC:" (needs --key secret) and
 * "ZIP:"; a trigger. Time is a manual clock; syslog goes to a UDP socket
 * on 127.0.0.1 that the test reads.
 */

#include "config.h"

#define PROV_PLUGIN_STATIC

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include "prov-engine.h"
#include "prov-error.h"
#include "prov-fetch.h"
#include "prov-params-private.h"
#include "prov-plugin-loader.h"
#include "prov-plugin.h"
#include "prov-test-log.h"
#include "prov-test-params.h"
#include "prov-tls-database.h"

#define PROV_TEST_WALL_START (G_GINT64_CONSTANT(1767225600) * G_USEC_PER_SEC)

/* reference 8.3.1: the 61-byte basic.txt of the seed */
#define PROV_TEST_BASIC_TXT "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n"
#define PROV_TEST_BASIC2_TXT                                                                       \
	"<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n  <GPP_B>ABCD</GPP_B>\n</flat-profile>\n"

#define PROV_TEST_CA_PEM                                                                           \
	"-----BEGIN CERTIFICATE-----\n"                                                            \
	"MIIBvjCCAWSgAwIBAgITP+JtcHxEIEr07cONcCCPfkJWijAKBggqhkjOPQQDAjA0\n"                       \
	"MRkwFwYDVQQKDBBwcm92aXNpb25kIHRlc3RzMRcwFQYDVQQDDA5UZXN0IEN1c3Rv\n"                       \
	"bSBDQTAgFw0yNjExMjgxMDIzMDNaGA8yMTI2MTEwNDEwMjMwM1owNDEZMBcGA1UE\n"                       \
	"CgwQcHJvdmlzaW9uZCB0ZXN0czEXMBUGA1UEAwwOVGVzdCBDdXN0b20gQ0EwWTAT\n"                       \
	"BgcqhkjOPQIBBggqhkjOPQMBBwNCAARzjGbLHOVm07OV3HtNmKIlD/GQISchHRB4\n"                       \
	"If2fthEFseQgYF10aOTcQ12IB3ER+eczQAe+wFULOyYN2FBLbgLOo1MwUTAdBgNV\n"                       \
	"HQ4EFgQU9sb55l8qg2ZHyE6nB2bC96OOUkcwHwYDVR0jBBgwFoAU9sb55l8qg2ZH\n"                       \
	"yE6nB2bC96OOUkcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAm\n"                       \
	"SZEN54z5qkEIVoAHqVYQW7qNRIzAnQ9rja41lnXRrgIhAL2zaO3WJunqiKHmBdpd\n"                       \
	"KO8/nO5IhxcFSyXGMRXgl5MO\n"                                                               \
	"-----END CERTIFICATE-----\n"

#define PROV_TEST_CA2_PEM                                                                          \
	"-----BEGIN CERTIFICATE-----\n"                                                            \
	"MIIBjTCCATOgAwIBAgIUQC47f004mWQdj6Urm3XqiUsdD4kwCgYIKoZIzj0EAwIw\n"                       \
	"GzEZMBcGA1UEAwwQU2Vjb25kIEN1c3RvbSBDQTAgFw0yNjExMjgxMDIzMDNaGA8y\n"                       \
	"MTI2MTEwNDEwMjMwM1owGzEZMBcGA1UEAwwQU2Vjb25kIEN1c3RvbSBDQTBZMBMG\n"                       \
	"ByqGSM49AgEGCCqGSM49AwEHA0IABBjMX2loBmO3WIhR3zanfUGJS67xgDXXy5wP\n"                       \
	"Cn7pB+Y+EaKpgcin3higscTAclmTs9tWI1dIBCpuA4TgwfdyHFSjUzBRMB0GA1Ud\n"                       \
	"DgQWBBRmBmPC0YtHYddfg4YQ+XIiSL5UPTAfBgNVHSMEGDAWgBRmBmPC0YtHYddf\n"                       \
	"g4YQ+XIiSL5UPTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQDx\n"                       \
	"OpRHR4Z6S05VHrCxvrUkh5OWmhlfOl+QxIt94A7s1AIgEhIEPZsw+E6x+ZNS8MCp\n"                       \
	"NooNqpVenVs3rDu/Wvd21kg=\n"                                                               \
	"-----END CERTIFICATE-----\n"

/* the in-memory servers, shared by every transport instance the engine creates */
typedef struct {
	GBytes *data;
	gint error_code;
	gboolean hold;
} ProvTestFile;

typedef struct {
	GTask *task;
	GBytes *data;
	GCancellable *cancellable;
	gulong handler;
	gboolean done;
} ProvTestHeld;

typedef struct {
	gchar *url;
	gchar *method;
	gchar *content_type;
	GBytes *data;
} ProvTestUpload;

static GHashTable *prov_test_files = NULL;
static GPtrArray *prov_test_requests = NULL;
static GPtrArray *prov_test_user_agents = NULL;
static GPtrArray *prov_test_contexts = NULL;
static GPtrArray *prov_test_held = NULL;
static GPtrArray *prov_test_uploads = NULL;
static ProvTriggerHost *prov_test_trigger_host = NULL;

static void
prov_test_file_free(ProvTestFile *file)
{
	g_clear_pointer(&file->data, g_bytes_unref);
	g_free(file);
}

static void
prov_test_held_free(ProvTestHeld *held)
{
	if (held->handler != 0)
		g_cancellable_disconnect(held->cancellable, held->handler);
	g_clear_object(&held->cancellable);
	g_clear_pointer(&held->data, g_bytes_unref);
	g_clear_object(&held->task);
	g_free(held);
}

static void
prov_test_upload_free(ProvTestUpload *upload)
{
	g_free(upload->url);
	g_free(upload->method);
	g_free(upload->content_type);
	g_bytes_unref(upload->data);
	g_free(upload);
}

static void
prov_test_servers_reset(void)
{
	g_clear_pointer(&prov_test_files, g_hash_table_unref);
	g_clear_pointer(&prov_test_requests, g_ptr_array_unref);
	g_clear_pointer(&prov_test_user_agents, g_ptr_array_unref);
	g_clear_pointer(&prov_test_contexts, g_ptr_array_unref);
	g_clear_pointer(&prov_test_held, g_ptr_array_unref);
	g_clear_pointer(&prov_test_uploads, g_ptr_array_unref);
	prov_test_files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
						(GDestroyNotify)prov_test_file_free);
	prov_test_requests = g_ptr_array_new_with_free_func(g_free);
	prov_test_user_agents = g_ptr_array_new_with_free_func(g_free);
	prov_test_contexts = g_ptr_array_new_with_free_func(g_object_unref);
	prov_test_held = g_ptr_array_new_with_free_func((GDestroyNotify)prov_test_held_free);
	prov_test_uploads = g_ptr_array_new_with_free_func((GDestroyNotify)prov_test_upload_free);
}

static void
prov_test_servers_free(void)
{
	g_clear_pointer(&prov_test_files, g_hash_table_unref);
	g_clear_pointer(&prov_test_requests, g_ptr_array_unref);
	g_clear_pointer(&prov_test_user_agents, g_ptr_array_unref);
	g_clear_pointer(&prov_test_contexts, g_ptr_array_unref);
	g_clear_pointer(&prov_test_held, g_ptr_array_unref);
	g_clear_pointer(&prov_test_uploads, g_ptr_array_unref);
}

static void
prov_test_serve(const gchar *url, const gchar *text)
{
	ProvTestFile *file = g_new0(ProvTestFile, 1);

	file->data = g_bytes_new(text, strlen(text));
	g_hash_table_replace(prov_test_files, g_strdup(url), file);
}

static void
prov_test_serve_held(const gchar *url, const gchar *text)
{
	prov_test_serve(url, text);
	((ProvTestFile *)g_hash_table_lookup(prov_test_files, url))->hold = TRUE;
}

static void
prov_test_fail(const gchar *url, ProvError code)
{
	ProvTestFile *file = g_new0(ProvTestFile, 1);

	file->error_code = code;
	g_hash_table_replace(prov_test_files, g_strdup(url), file);
}

/* the requests so far, joined with spaces, for one comparison */
static gchar *
prov_test_requests_joined(void)
{
	g_autoptr(GPtrArray) copy = g_ptr_array_new();

	for (guint i = 0; i < prov_test_requests->len; i++)
		g_ptr_array_add(copy, g_ptr_array_index(prov_test_requests, i));
	g_ptr_array_add(copy, NULL);
	return g_strjoinv(" ", (gchar **)copy->pdata);
}

static void
prov_test_held_cancelled_cb(GCancellable *cancellable, gpointer user_data)
{
	ProvTestHeld *held = user_data;

	if (held->done)
		return;
	held->done = TRUE;
	g_task_return_new_error(held->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
}

/* returns every held fetch's data; later fetches are no longer held */
static void
prov_test_release_held(void)
{
	GHashTableIter iter;
	gpointer file;

	g_hash_table_iter_init(&iter, prov_test_files);
	while (g_hash_table_iter_next(&iter, NULL, &file))
		((ProvTestFile *)file)->hold = FALSE;
	for (guint i = 0; i < prov_test_held->len; i++) {
		ProvTestHeld *held = g_ptr_array_index(prov_test_held, i);

		if (held->done)
			continue;
		held->done = TRUE;
		g_task_return_pointer(held->task, g_bytes_ref(held->data),
				      (GDestroyNotify)g_bytes_unref);
	}
}

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
	g_autofree gchar *url = g_uri_to_string(uri);
	ProvTestFile *file = g_hash_table_lookup(prov_test_files, url);

	g_ptr_array_add(prov_test_requests, g_strdup(url));
	g_ptr_array_add(prov_test_user_agents, g_strdup(prov_fetch_context_get_user_agent(ctx)));
	g_ptr_array_add(prov_test_contexts, g_object_ref(ctx));
	if (file == NULL) {
		g_task_return_new_error(task, PROV_ERROR, PROV_ERROR_NOT_FOUND,
					"%s: file not found", url);
		return;
	}
	if (file->data == NULL) {
		g_task_return_new_error(task, PROV_ERROR, file->error_code, "%s: injected failure",
					url);
		return;
	}
	if (file->hold) {
		ProvTestHeld *held = g_new0(ProvTestHeld, 1);

		held->task = g_steal_pointer(&task);
		held->data = g_bytes_ref(file->data);
		g_ptr_array_add(prov_test_held, held);
		if (cancellable != NULL) {
			held->cancellable = g_object_ref(cancellable);
			held->handler = g_cancellable_connect(
			    cancellable, G_CALLBACK(prov_test_held_cancelled_cb), held, NULL);
		}
		return;
	}
	g_task_return_pointer(task, g_bytes_ref(file->data), (GDestroyNotify)g_bytes_unref);
}

static GBytes *
prov_test_transport_fetch_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static void
prov_test_transport_upload_async(ProvTransport *transport,
				 GUri *uri,
				 ProvFetchContext *ctx,
				 GBytes *data,
				 GCancellable *cancellable,
				 GAsyncReadyCallback callback,
				 gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(transport, cancellable, callback, user_data);
	ProvTestUpload *upload = g_new0(ProvTestUpload, 1);

	upload->url = g_uri_to_string(uri);
	upload->method = g_strdup(prov_fetch_context_get_upload_method(ctx));
	upload->content_type = g_strdup(prov_fetch_context_get_content_type(ctx));
	upload->data = g_bytes_ref(data);
	g_ptr_array_add(prov_test_uploads, upload);
	g_task_return_boolean(task, TRUE);
}

static gboolean
prov_test_transport_upload_finish(ProvTransport *transport, GAsyncResult *result, GError **error)
{
	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
prov_test_transport_iface_init(ProvTransportInterface *iface)
{
	iface->fetch_async = prov_test_transport_fetch_async;
	iface->fetch_finish = prov_test_transport_fetch_finish;
	iface->upload_async = prov_test_transport_upload_async;
	iface->upload_finish = prov_test_transport_upload_finish;
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

/* "ENC:" data decrypts with the key "secret" only; encoding prepends the magic */
#define PROV_TYPE_TEST_CRYPT (prov_test_crypt_get_type())
G_DECLARE_FINAL_TYPE(ProvTestCrypt, prov_test_crypt, PROV, TEST_CRYPT, GObject)

struct _ProvTestCrypt {
	GObject parent_instance;
};

static gboolean
prov_test_has_magic(GBytes *data, const gchar *magic)
{
	gsize length = 0;
	const gchar *bytes = g_bytes_get_data(data, &length);

	return length >= strlen(magic) && memcmp(bytes, magic, strlen(magic)) == 0;
}

static gboolean
prov_test_crypt_probe(ProvDecoder *decoder, GBytes *data)
{
	return prov_test_has_magic(data, "ENC:");
}

static GBytes *
prov_test_crypt_decode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	gsize length = 0;
	const guint8 *key = prov_decode_context_get_key(ctx, &length);

	if (key == NULL || length != 6 || memcmp(key, "secret", 6) != 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE, "bad padding");
		return NULL;
	}
	return g_bytes_new_from_bytes(data, 4, g_bytes_get_size(data) - 4);
}

static GBytes *
prov_test_crypt_encode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	GByteArray *out = g_byte_array_new();

	if (!prov_decode_context_has_key(ctx)) {
		g_byte_array_unref(out);
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT, "no key");
		return NULL;
	}
	g_byte_array_append(out, (const guint8 *)"ENC:", 4);
	g_byte_array_append(out, g_bytes_get_data(data, NULL), (guint)g_bytes_get_size(data));
	return g_byte_array_free_to_bytes(out);
}

static void
prov_test_crypt_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_test_crypt_probe;
	iface->decode = prov_test_crypt_decode;
	iface->encode = prov_test_crypt_encode;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestCrypt,
			prov_test_crypt,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_test_crypt_iface_init))

static void
prov_test_crypt_class_init(ProvTestCryptClass *klass)
{
}

static void
prov_test_crypt_init(ProvTestCrypt *self)
{
}

/* "ZIP:" data decompresses to what follows the magic */
#define PROV_TYPE_TEST_ZIP (prov_test_zip_get_type())
G_DECLARE_FINAL_TYPE(ProvTestZip, prov_test_zip, PROV, TEST_ZIP, GObject)

struct _ProvTestZip {
	GObject parent_instance;
};

static gboolean
prov_test_zip_probe(ProvDecoder *decoder, GBytes *data)
{
	return prov_test_has_magic(data, "ZIP:");
}

static GBytes *
prov_test_zip_decode(ProvDecoder *decoder, GBytes *data, ProvDecodeContext *ctx, GError **error)
{
	return g_bytes_new_from_bytes(data, 4, g_bytes_get_size(data) - 4);
}

static void
prov_test_zip_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_test_zip_probe;
	iface->decode = prov_test_zip_decode;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestZip,
			prov_test_zip,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER, prov_test_zip_iface_init))

static void
prov_test_zip_class_init(ProvTestZipClass *klass)
{
}

static void
prov_test_zip_init(ProvTestZip *self)
{
}

/* a trigger that only remembers the host it was started with */
#define PROV_TYPE_TEST_TRIGGER (prov_test_trigger_get_type())
G_DECLARE_FINAL_TYPE(ProvTestTrigger, prov_test_trigger, PROV, TEST_TRIGGER, GObject)

struct _ProvTestTrigger {
	GObject parent_instance;
};

static gboolean
prov_test_trigger_start(ProvTrigger *trigger, ProvTriggerHost *host, GError **error)
{
	prov_test_trigger_host = host;
	return TRUE;
}

static void
prov_test_trigger_stop(ProvTrigger *trigger)
{
	prov_test_trigger_host = NULL;
}

static gchar **
prov_test_trigger_dup_addresses(ProvTrigger *trigger)
{
	const gchar *addresses[] = {"192.0.2.1:8080", NULL};

	return g_strdupv((gchar **)addresses);
}

static void
prov_test_trigger_iface_init(ProvTriggerInterface *iface)
{
	iface->start = prov_test_trigger_start;
	iface->stop = prov_test_trigger_stop;
	iface->dup_addresses = prov_test_trigger_dup_addresses;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestTrigger,
			prov_test_trigger,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER, prov_test_trigger_iface_init))

static void
prov_test_trigger_class_init(ProvTestTriggerClass *klass)
{
}

static void
prov_test_trigger_init(ProvTestTrigger *self)
{
}

static void
prov_test_plugin_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "tftp", PROV_TYPE_TEST_TRANSPORT);
	prov_plugin_add_transport(plugin, "http", PROV_TYPE_TEST_TRANSPORT);
	prov_plugin_add_transport(plugin, "https", PROV_TYPE_TEST_TRANSPORT);
	prov_plugin_add_decoder(plugin, "fakecrypt", PROV_DECODER_STAGE_ENCRYPTION,
				PROV_TYPE_TEST_CRYPT);
	prov_plugin_add_decoder(plugin, "fakezip", PROV_DECODER_STAGE_COMPRESSION,
				PROV_TYPE_TEST_ZIP);
	prov_plugin_add_trigger(plugin, "http", PROV_TYPE_TEST_TRIGGER);
}

PROV_PLUGIN_DEFINE(enginetest, prov_test_plugin_register)

typedef struct {
	gchar *state_dir;
	ProvConfig *config;
	ProvParams *params;
	ProvPluginLoader *loader;
	ProvClock *clock;
	ProvEngine *engine;
	GSocket *syslog;
	guint16 syslog_port;
	GPtrArray *started;
	GPtrArray *rules;
	GPtrArray *finished;
	GPtrArray *restart;
	GPtrArray *reboots;
	guint n_changed;
} Fixture;

static const gchar prov_test_base_config[] = "[device]\n"
					     "MAC=000e08abcdef\n"
					     "Serial=88012BA01234\n"
					     "ProductName=ATA192-MPP\n"
					     "SoftwareVersion=11-1-0MPP-19\n"
					     "HardwareVersion=4\n"
					     "Manufacturer=Cisco\n"
					     "IP=192.168.1.100\n"
					     "[daemon]\n"
					     "BehaviourProfile=mpp\n";

/* sets NAME, VALUE, ... (NULL-terminated) as one committed transaction */
static void
prov_test_set(Fixture *fixture, const gchar *name, ...)
{
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(fixture->params);
	g_autoptr(GError) error = NULL;
	va_list args;

	va_start(args, name);
	for (const gchar *n = name; n != NULL; n = va_arg(args, const gchar *)) {
		const gchar *value = va_arg(args, const gchar *);

		g_assert_true(prov_params_transaction_set(transaction, n, value, PROV_ACCESS_UNSET,
							  NULL, 0, 0, &error));
		g_assert_no_error(error);
	}
	va_end(args);
	g_assert_true(prov_params_transaction_commit(transaction, &error));
	g_assert_no_error(error);
}

static GSocket *
prov_test_syslog_listen(guint16 *port)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) bound = NULL;
	g_autoptr(GSocket) socket = NULL;

	socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
			      &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any, FALSE, &error));
	g_assert_no_error(error);
	bound = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	*port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(bound));
	g_socket_set_timeout(socket, 5);
	return g_steal_pointer(&socket);
}

/* the datagrams already sent: a loopback send arrives before the call returns */
static gchar *
prov_test_socket_receive(GSocket *socket)
{
	gchar buffer[4096];
	gssize len;

	if (!g_socket_condition_timed_wait(socket, G_IO_IN, 0, NULL, NULL))
		return NULL;
	len = g_socket_receive(socket, buffer, sizeof(buffer) - 1, NULL, NULL);
	g_assert_cmpint(len, >, 0);
	buffer[len] = '\0';
	return g_strdup(buffer);
}

static gchar *
prov_test_syslog_receive(Fixture *fixture)
{
	return prov_test_socket_receive(fixture->syslog);
}

static void
prov_test_syslog_expect(Fixture *fixture, const gchar *const *lines)
{
	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree gchar *line = prov_test_syslog_receive(fixture);

		g_assert_cmpstr(line, ==, lines[i]);
	}
	g_assert_null(prov_test_syslog_receive(fixture));
}

static void
prov_test_started_cb(
    ProvEngine *engine, guint64 id, gint prvst, const gchar *rule, Fixture *fixture)
{
	g_ptr_array_add(fixture->started,
			g_strdup_printf("%" G_GUINT64_FORMAT " %d %s", id, prvst, rule));
}

static void
prov_test_rule_finished_cb(ProvEngine *engine, guint64 id, ProvRuleResult *rule, Fixture *fixture)
{
	g_ptr_array_add(fixture->rules, g_object_ref(rule));
}

static void
prov_test_finished_cb(ProvEngine *engine, guint64 id, ProvResyncResult *result, Fixture *fixture)
{
	g_assert_cmpuint(id, ==, prov_resync_result_get_id(result));
	g_ptr_array_add(fixture->finished, g_object_ref(result));
}

static void
prov_test_restart_cb(ProvEngine *engine, GStrv names, Fixture *fixture)
{
	g_ptr_array_add(fixture->restart, g_strjoinv(",", names));
}

static void
prov_test_reboot_cb(ProvEngine *engine, const gchar *reason, Fixture *fixture)
{
	g_ptr_array_add(fixture->reboots, g_strdup(reason));
}

static void
prov_test_changed_cb(ProvParams *params, GStrv names, Fixture *fixture)
{
	fixture->n_changed++;
}

static void
prov_test_setup(Fixture *fixture, gconstpointer user_data)
{
	const gchar *extra_config = user_data;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *config_text = NULL;
	g_autofree gchar *syslog_server = NULL;

	prov_test_servers_reset();
	fixture->state_dir = g_dir_make_tmp("prov-engine-test-XXXXXX", &error);
	g_assert_no_error(error);
	config_text = g_strconcat(prov_test_base_config, extra_config, NULL);
	fixture->config = prov_config_new();
	g_assert_true(prov_config_load_data(fixture->config, config_text, -1, &error));
	g_assert_no_error(error);
	fixture->params = prov_params_new_for_config(fixture->config, fixture->state_dir, &error);
	g_assert_no_error(error);
	fixture->syslog = prov_test_syslog_listen(&fixture->syslog_port);
	syslog_server = g_strdup_printf("127.0.0.1:%u", fixture->syslog_port);
	/* no boot resync unless a test asks for one; no rule unless a test sets one */
	prov_test_set(fixture, "Resync_On_Reset", "No", "Profile_Rule", "", "Syslog_Server",
		      syslog_server, NULL);

	fixture->loader = prov_plugin_loader_new();
	g_assert_true(prov_plugin_loader_add_static(fixture->loader,
						    PROV_PLUGIN_DESCRIPTOR(enginetest), &error));
	g_assert_no_error(error);
	fixture->clock = prov_clock_new_manual(PROV_TEST_WALL_START);
	fixture->engine =
	    prov_engine_new(fixture->config, fixture->params, fixture->loader, fixture->clock);
	prov_scheduler_set_seed(prov_engine_get_scheduler(fixture->engine), 42);

	fixture->started = g_ptr_array_new_with_free_func(g_free);
	fixture->rules = g_ptr_array_new_with_free_func(g_object_unref);
	fixture->finished = g_ptr_array_new_with_free_func(g_object_unref);
	fixture->restart = g_ptr_array_new_with_free_func(g_free);
	fixture->reboots = g_ptr_array_new_with_free_func(g_free);
	g_signal_connect(fixture->engine, "resync-started", G_CALLBACK(prov_test_started_cb),
			 fixture);
	g_signal_connect(fixture->engine, "rule-finished", G_CALLBACK(prov_test_rule_finished_cb),
			 fixture);
	g_signal_connect(fixture->engine, "resync-finished", G_CALLBACK(prov_test_finished_cb),
			 fixture);
	g_signal_connect(fixture->engine, "restart-required", G_CALLBACK(prov_test_restart_cb),
			 fixture);
	g_signal_connect(fixture->engine, "reboot-requested", G_CALLBACK(prov_test_reboot_cb),
			 fixture);
	g_signal_connect(fixture->params, "changed", G_CALLBACK(prov_test_changed_cb), fixture);
}

static gboolean
prov_test_remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR))
			prov_test_remove_tree(child);
		else
			g_unlink(child);
	}
	return g_rmdir(path) == 0;
}

static void
prov_test_teardown(Fixture *fixture, gconstpointer user_data)
{
	prov_engine_stop(fixture->engine);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_signal_handlers_disconnect_by_data(fixture->params, fixture);
	g_assert_finalize_object(fixture->engine);
	g_clear_object(&fixture->loader);
	g_clear_object(&fixture->clock);
	g_clear_object(&fixture->params);
	g_clear_object(&fixture->config);
	g_clear_object(&fixture->syslog);
	g_ptr_array_unref(fixture->started);
	g_ptr_array_unref(fixture->rules);
	g_ptr_array_unref(fixture->finished);
	g_ptr_array_unref(fixture->restart);
	g_ptr_array_unref(fixture->reboots);
	g_assert_true(prov_test_remove_tree(fixture->state_dir));
	g_free(fixture->state_dir);
	prov_test_servers_free();
	prov_test_log_assert_empty();
}

static void
prov_test_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

/* one resync run directly, to its end */
static ProvResyncResult *
prov_test_resync(Fixture *fixture, gint prvst, const gchar *rule)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	ProvResyncResult *resync;

	prov_engine_resync_async(fixture->engine, prvst, rule, NULL, prov_test_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	resync = prov_engine_resync_finish(fixture->engine, result, &error);
	g_assert_no_error(error);
	g_assert_nonnull(resync);
	return resync;
}

/* lets the scheduler's due timers fire until @n resyncs have finished */
static void
prov_test_wait_finished(Fixture *fixture, guint n)
{
	for (;;) {
		prov_clock_advance(fixture->clock, 0);
		if (fixture->finished->len >= n)
			break;
		g_main_context_iteration(NULL, TRUE);
	}
}

static ProvRuleResult *
prov_test_rule(ProvResyncResult *result, const gchar *name)
{
	ProvRuleResult *rule = prov_resync_result_lookup_rule(result, name);

	g_assert_nonnull(rule);
	return rule;
}

static const gchar *
prov_test_value(Fixture *fixture, const gchar *name)
{
	return prov_params_get_value(fixture->params, name);
}

/* reference 5.3: A, B, C, D in order; an empty rule does not stop the others */
static void
prov_test_rule_order(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(ProvResyncResult) again = NULL;
	g_autofree gchar *requests = NULL;
	GPtrArray *rules;

	prov_test_serve("tftp://192.168.1.200/a.xml",
			"<flat-profile><GPP_A>a</GPP_A></flat-profile>");
	prov_test_serve("tftp://192.168.1.200/c.xml",
			"<flat-profile><GPP_C>c</GPP_C></flat-profile>");
	prov_test_serve("tftp://192.168.1.200/d.xml",
			"<flat-profile><GPP_D>d</GPP_D></flat-profile>");
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/a.xml", "Profile_Rule_C",
		      "tftp://192.168.1.200/c.xml", "Profile_Rule_D",
		      "# tftp://192.168.1.200/commented.xml", NULL);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==, "tftp://192.168.1.200/a.xml tftp://192.168.1.200/c.xml");
	rules = prov_resync_result_get_rules(result);
	g_assert_cmpuint(rules->len, ==, 4);
	g_assert_cmpstr(prov_rule_result_get_name(g_ptr_array_index(rules, 0)), ==, "Profile_Rule");
	g_assert_cmpstr(prov_rule_result_get_name(g_ptr_array_index(rules, 3)), ==,
			"Profile_Rule_D");
	g_assert_cmpint(prov_rule_result_get_status(prov_test_rule(result, "Profile_Rule_B")), ==,
			PROV_RULE_RESULT_STATUS_EMPTY);
	g_assert_cmpint(prov_rule_result_get_status(prov_test_rule(result, "Profile_Rule_D")), ==,
			PROV_RULE_RESULT_STATUS_EMPTY);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "a");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_C"), ==, "c");
	g_assert_cmpuint(fixture->rules->len, ==, 4);
	g_assert_cmpuint(fixture->started->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fixture->started, 0), ==, "1 1 ");

	/* an empty Profile_Rule does not stop B-D (reference 5.3, DOC) */
	g_ptr_array_set_size(prov_test_requests, 0);
	prov_test_set(fixture, "Profile_Rule", "", "Profile_Rule_D", "tftp://192.168.1.200/d.xml",
		      NULL);
	again = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(again), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_clear_pointer(&requests, g_free);
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==, "tftp://192.168.1.200/c.xml tftp://192.168.1.200/d.xml");
	g_assert_cmpint(prov_rule_result_get_status(prov_test_rule(again, "Profile_Rule")), ==,
			PROV_RULE_RESULT_STATUS_EMPTY);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_D"), ==, "d");
	g_assert_cmpuint(prov_resync_result_get_id(again), ==, 2);
}

/* reference 5.3: the first failure ends the resync; nothing later is fetched */
static void
prov_test_first_failure(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autofree gchar *requests = NULL;
	ProvRuleResult *rule;

	prov_test_fail("tftp://192.168.1.200/a.xml", PROV_ERROR_TIMED_OUT);
	prov_test_serve("tftp://192.168.1.200/b.xml", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/a.xml", "Profile_Rule_B",
		      "tftp://192.168.1.200/b.xml", NULL);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_FAILED);
	g_assert_cmpstr(prov_resync_result_get_error(result), ==, "tftp_get failed");
	g_assert_cmpstr(prov_engine_get_err(fixture->engine), ==, "tftp_get failed");
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==, "tftp://192.168.1.200/a.xml");
	g_assert_cmpuint(prov_resync_result_get_rules(result)->len, ==, 1);
	rule = prov_test_rule(result, "Profile_Rule");
	g_assert_true(prov_rule_result_is_failed(rule));
	g_assert_cmpint(prov_rule_result_get_error_code(rule), ==, PROV_ERROR_TIMED_OUT);
	g_assert_nonnull(strstr(prov_resync_result_get_message(result), "injected failure"));
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "");
	prov_test_syslog_expect(
	    fixture,
	    (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			      "tftp://192.168.1.200:69/a.xml",
			      "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: tftp_get failed",
			      NULL});
}

/* reference 5.4, S-14: Resync_Fails_On_FNF decides whether file-not-found stops the resync */
static void
prov_test_not_found(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) fails = NULL;
	g_autoptr(ProvResyncResult) forgiven = NULL;
	g_autofree gchar *requests = NULL;
	ProvRuleResult *rule;

	prov_test_serve("tftp://192.168.1.200/basic2.txt", PROV_TEST_BASIC2_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/basic.txt", "Profile_Rule_B",
		      "tftp://192.168.1.200/basic2.txt\n", NULL);
	fails = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(fails), ==, PROV_RESYNC_STATUS_FAILED);
	g_assert_cmpstr(prov_resync_result_get_error(fails), ==, "file not found");
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==, "tftp://192.168.1.200/basic.txt");
	prov_test_syslog_expect(
	    fixture,
	    (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			      "tftp://192.168.1.200:69/basic.txt",
			      "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: file not "
			      "found",
			      NULL});

	prov_test_set(fixture, "Resync_Fails_On_FNF", "No", NULL);
	forgiven = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(forgiven), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpstr(prov_resync_result_get_error(forgiven), ==, "");
	rule = prov_test_rule(forgiven, "Profile_Rule");
	g_assert_cmpint(prov_rule_result_get_status(rule), ==, PROV_RULE_RESULT_STATUS_NOT_FOUND);
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "file not found");
	g_assert_cmpint(prov_rule_result_get_status(prov_test_rule(forgiven, "Profile_Rule_B")), ==,
			PROV_RULE_RESULT_STATUS_SUCCESS);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_B"), ==, "ABCD");
	g_assert_cmpstr(prov_engine_get_err(fixture->engine), ==, "");
	/* S-14 negative: success line for A (nothing applied), then B */
	prov_test_syslog_expect(
	    fixture, (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/basic2.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic2.txt",
				       NULL});
}

/* S-14: two rules, two fetches in order, four syslog lines in order */
static void
prov_test_s14(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autofree gchar *requests = NULL;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_serve("tftp://192.168.1.200/basic2.txt", PROV_TEST_BASIC2_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/basic.txt", "Profile_Rule_B",
		      "tftp://192.168.1.200/basic2.txt\n", NULL);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==,
			"tftp://192.168.1.200/basic.txt tftp://192.168.1.200/basic2.txt");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_B"), ==, "ABCD");
	prov_test_syslog_expect(
	    fixture, (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/basic2.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic2.txt",
				       NULL});
}

/* S-1, S-2: a one-shot rule; Profile_Rule untouched, PRVST -1, exactly two syslog lines */
static void
prov_test_one_shot(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(ProvResyncResult) quiet = NULL;
	g_autofree gchar *prvst = NULL;
	ProvRuleResult *rule;

	prov_test_set(fixture, "Profile_Rule", "/ata$PSN.cfg", NULL);
	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_true(prov_resync_result_is_one_shot(result));
	g_assert_cmpint(prov_resync_result_get_prvst(result), ==, -1);
	g_assert_cmpint(prov_engine_get_prvst(fixture->engine), ==, -1);
	prvst = prov_macro_expand(prov_engine_get_macro(fixture->engine), "$PRVST",
				  PROV_MACRO_FLAGS_NONE);
	g_assert_cmpstr(prvst, ==, "-1");
	rule = prov_test_rule(result, "one-shot");
	g_assert_cmpuint(prov_resync_result_get_rules(result)->len, ==, 1);
	g_assert_cmpstr(prov_rule_result_get_url(rule), ==, "tftp://192.168.1.200/basic.txt");
	g_assert_cmpstr(prov_rule_result_get_transport(rule), ==, "tftp");
	g_assert_cmpuint(prov_rule_result_get_bytes(rule), ==, 61);
	g_assert_cmpuint(prov_rule_result_get_n_applied(rule), ==, 1);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_B"), ==, "");
	g_assert_cmpstr(prov_test_value(fixture, "Profile_Rule"), ==, "/ata$PSN.cfg");
	g_assert_cmpuint(prov_test_requests->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fixture->started, 0), ==,
			"1 -1 tftp://192.168.1.200/basic.txt");
	prov_test_syslog_expect(
	    fixture, (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       NULL});

	/* S-2 variant: an empty request template sends only the success line */
	prov_test_set(fixture, "Log_Resync_Request_Msg", "", NULL);
	quiet = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	g_assert_cmpint(prov_resync_result_get_status(quiet), ==, PROV_RESYNC_STATUS_SUCCESS);
	prov_test_syslog_expect(
	    fixture, (const gchar *[]){"<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/basic.txt",
				       NULL});
}

/* R1, R34: a bad value or bad XML applies nothing; outside, every decode failure is alike */
static void
prov_test_corrupt(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) bad_value = NULL;
	g_autoptr(ProvResyncResult) bad_xml = NULL;
	g_autoptr(ProvResyncResult) bad_key = NULL;
	guint n_changed = fixture->n_changed;
	guint n_writes = prov_params_get_n_state_writes(fixture->params);
	ProvRuleResult *rule;

	prov_test_serve("tftp://192.168.1.200/value.xml",
			"<flat-profile>\n"
			"  <GPP_A>applied?</GPP_A>\n"
			"  <Resync_Periodic>soon</Resync_Periodic>\n"
			"</flat-profile>\n");
	bad_value = prov_test_resync(fixture, -1, "tftp://192.168.1.200/value.xml");
	g_assert_cmpint(prov_resync_result_get_status(bad_value), ==, PROV_RESYNC_STATUS_FAILED);
	g_assert_cmpstr(prov_resync_result_get_error(bad_value), ==, "corrupt file");
	rule = prov_test_rule(bad_value, "one-shot");
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "corrupt file");
	g_assert_cmpuint(prov_rule_result_get_line(rule), ==, 3);
	g_assert_cmpuint(prov_rule_result_get_column(rule), ==, 3);
	g_assert_true(g_str_has_prefix(prov_rule_result_get_message(rule), "3:3: "));
	g_assert_nonnull(strstr(prov_rule_result_get_message(rule), "Resync_Periodic"));
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "");
	g_assert_cmpuint(fixture->n_changed, ==, n_changed);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, n_writes);

	prov_test_serve("tftp://192.168.1.200/xml.xml",
			"<flat-profile>\n<GPP_A>x</GPP_B>\n</flat-profile>\n");
	bad_xml = prov_test_resync(fixture, -1, "tftp://192.168.1.200/xml.xml");
	rule = prov_test_rule(bad_xml, "one-shot");
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "corrupt file");
	g_assert_cmpuint(prov_rule_result_get_line(rule), ==, 2);
	g_assert_cmpuint(prov_rule_result_get_column(rule), >, 0);

	/* R34: a wrong key reads exactly like bad XML off the device */
	prov_test_serve("tftp://192.168.1.200/enc.cfg",
			"ENC:<flat-profile><GPP_A>x</GPP_A></flat-profile>");
	bad_key = prov_test_resync(fixture, -1, "[--key wrong] tftp://192.168.1.200/enc.cfg");
	rule = prov_test_rule(bad_key, "one-shot");
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "corrupt file");
	g_assert_nonnull(strstr(prov_rule_result_get_message(rule), "bad padding"));
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "");
	g_assert_cmpuint(fixture->n_changed, ==, n_changed);
	prov_test_syslog_expect(
	    fixture, (const gchar *[]){
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			 "tftp://192.168.1.200:69/value.xml",
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: corrupt file",
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			 "tftp://192.168.1.200:69/xml.xml",
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: corrupt file",
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			 "tftp://192.168.1.200:69/enc.cfg",
			 "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: corrupt file", NULL});
}

/* R33: a profile bound to another device is refused whole */
static void
prov_test_device_binding(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) mine = NULL;
	g_autoptr(ProvResyncResult) other = NULL;
	g_autoptr(ProvResyncResult) serial = NULL;
	ProvRuleResult *rule;

	prov_test_serve("tftp://192.168.1.200/mine.xml",
			"<flat-profile><Device_MAC>00:0E:08:AB:CD:EF</Device_MAC>"
			"<Device_Serial>88012BA01234</Device_Serial><GPP_A>mine</GPP_A>"
			"</flat-profile>");
	prov_test_serve("tftp://192.168.1.200/other.xml",
			"<flat-profile><GPP_A>other</GPP_A>\n"
			"<Device_MAC>000e08000001</Device_MAC></flat-profile>");
	prov_test_serve("tftp://192.168.1.200/serial.xml",
			"<flat-profile><GPP_A>other</GPP_A><Device_Serial>X</Device_Serial>"
			"</flat-profile>");
	mine = prov_test_resync(fixture, -1, "tftp://192.168.1.200/mine.xml");
	g_assert_cmpint(prov_resync_result_get_status(mine), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "mine");

	other = prov_test_resync(fixture, -1, "tftp://192.168.1.200/other.xml");
	rule = prov_test_rule(other, "one-shot");
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "corrupt file");
	g_assert_cmpuint(prov_rule_result_get_line(rule), ==, 2);
	g_assert_nonnull(strstr(prov_rule_result_get_message(rule), "bound to another device"));
	serial = prov_test_resync(fixture, -1, "tftp://192.168.1.200/serial.xml");
	g_assert_cmpint(prov_resync_result_get_status(serial), ==, PROV_RESYNC_STATUS_FAILED);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "mine");
}

/* the decoders that ran, in order; the sizes before and after */
static void
prov_test_decoders(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	const gchar *profile = "ENC:ZIP:<flat-profile><GPP_E>e</GPP_E></flat-profile>";
	ProvRuleResult *rule;

	prov_test_serve("tftp://192.168.1.200/enc.cfg", profile);
	result = prov_test_resync(fixture, -1, "[--key secret] tftp://192.168.1.200/enc.cfg");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	rule = prov_test_rule(result, "one-shot");
	g_assert_cmpstrv(prov_rule_result_get_decoders(rule),
			 ((const gchar *[]){"fakecrypt", "fakezip", NULL}));
	g_assert_cmpuint(prov_rule_result_get_bytes(rule), ==, strlen(profile));
	g_assert_cmpuint(prov_rule_result_get_decoded_bytes(rule), ==, strlen(profile) - 8);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_E"), ==, "e");
	/* the one-shot rule in the signal has its key masked (R42) */
	g_assert_null(strstr(g_ptr_array_index(fixture->started, 0), "secret"));
	g_assert_nonnull(strstr(g_ptr_array_index(fixture->started, 0), "********"));
	g_assert_null(strstr(prov_resync_result_get_rule(result), "secret"));
}

/* R5: the same profile again changes nothing, writes nothing, signals nothing */
static void
prov_test_idempotent(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) first = NULL;
	g_autoptr(ProvResyncResult) second = NULL;
	guint n_changed;
	guint n_writes;
	ProvRuleResult *rule;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/basic.txt", NULL);
	first = prov_test_resync(fixture, 1, NULL);
	rule = prov_test_rule(first, "Profile_Rule");
	g_assert_cmpint(prov_rule_result_get_status(rule), ==, PROV_RULE_RESULT_STATUS_SUCCESS);
	g_assert_cmpstrv(prov_rule_result_get_changed(rule), ((const gchar *[]){"GPP_A", NULL}));
	n_changed = fixture->n_changed;
	n_writes = prov_params_get_n_state_writes(fixture->params);

	second = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(second), ==, PROV_RESYNC_STATUS_SUCCESS);
	rule = prov_test_rule(second, "Profile_Rule");
	g_assert_cmpint(prov_rule_result_get_status(rule), ==, PROV_RULE_RESULT_STATUS_UNCHANGED);
	g_assert_cmpuint(prov_rule_result_get_n_applied(rule), ==, 0);
	g_assert_cmpuint(prov_rule_result_get_n_unchanged(rule), ==, 1);
	g_assert_cmpstrv(prov_rule_result_get_changed(rule), ((const gchar *[]){NULL}));
	g_assert_cmpuint(fixture->n_changed, ==, n_changed);
	g_assert_cmpuint(prov_params_get_n_state_writes(fixture->params), ==, n_writes);
}

/* reference 5.5: $PRVST and $ERR are there for the rules; 4.5: assignments before the fetch */
static void
prov_test_state_macros(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) failed = NULL;
	g_autoptr(ProvResyncResult) retry = NULL;
	g_autofree gchar *requests = NULL;

	prov_test_set(fixture, "Profile_Rule",
		      "(GPP_C = \"st$PRVST\";)! tftp://192.168.1.200/a-$PRVST.xml", NULL);
	failed = prov_test_resync(fixture, 0, NULL);
	g_assert_cmpstr(prov_resync_result_get_error(failed), ==, "file not found");
	/* the assignment took effect although the fetch failed (reference 4.5 PROPOSED) */
	g_assert_cmpstr(prov_test_value(fixture, "GPP_C"), ==, "st0");

	prov_test_serve("tftp://192.168.1.200/err-file.xml", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/err-$(ERR:0:4).xml", NULL);
	retry = prov_test_resync(fixture, 2, NULL);
	g_assert_cmpint(prov_resync_result_get_status(retry), ==, PROV_RESYNC_STATUS_SUCCESS);
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==,
			"tftp://192.168.1.200/a-0.xml tftp://192.168.1.200/err-file.xml");
	g_assert_cmpstr(prov_engine_get_err(fixture->engine), ==, "");
}

/* reference 5.3 PROPOSED: profile A may change Profile_Rule_B before B runs */
static void
prov_test_reread(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autofree gchar *requests = NULL;

	prov_test_serve("tftp://192.168.1.200/a.xml",
			"<flat-profile><Profile_Rule_B>tftp://192.168.1.200/b2.xml</Profile_Rule_B>"
			"</flat-profile>");
	prov_test_serve("tftp://192.168.1.200/b2.xml", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "https://192.168.1.200/a.xml", "Profile_Rule_B",
		      "tftp://192.168.1.200/b1.xml", NULL);
	prov_test_serve("https://192.168.1.200/a.xml",
			"<flat-profile><Profile_Rule_B>tftp://192.168.1.200/b2.xml</Profile_Rule_B>"
			"</flat-profile>");
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==, "https://192.168.1.200/a.xml tftp://192.168.1.200/b2.xml");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
}

/* R23, reference 5.1: requests coalesce; one-shot rules queue four deep, in order */
static void
prov_test_coalesce(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	guint64 id = 0;
	guint64 again = 0;
	guint64 running = 0;
	g_autofree gchar *requests = NULL;

	prov_test_serve_held("tftp://192.168.1.200/a.xml", PROV_TEST_BASIC_TXT);
	prov_test_serve("tftp://192.168.1.200/1.xml", PROV_TEST_BASIC_TXT);
	prov_test_serve("tftp://192.168.1.200/2.xml", PROV_TEST_BASIC_TXT);
	prov_test_serve("tftp://192.168.1.200/3.xml", PROV_TEST_BASIC_TXT);
	prov_test_serve("tftp://192.168.1.200/4.xml", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/a.xml", NULL);
	prov_engine_start(fixture->engine);

	g_assert_true(prov_engine_request_resync(fixture->engine, NULL, NULL, &running, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(running, ==, 1);
	g_assert_cmpint(prov_engine_get_state(fixture->engine), ==, PROV_ENGINE_STATE_PENDING);
	prov_clock_advance(fixture->clock, 0);
	while (prov_test_held->len == 0)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpint(prov_engine_get_state(fixture->engine), ==, PROV_ENGINE_STATE_RESYNCING);

	/* 100 requests while one runs: one follow-up (R23) */
	g_assert_true(prov_engine_request_resync(fixture->engine, "", NULL, &id, &error));
	g_assert_cmpuint(id, ==, 2);
	for (guint i = 0; i < 100; i++) {
		g_assert_true(
		    prov_engine_request_resync(fixture->engine, NULL, NULL, &again, &error));
		g_assert_cmpuint(again, ==, 2);
	}
	for (guint i = 1; i <= 4; i++) {
		g_autofree gchar *rule = g_strdup_printf("tftp://192.168.1.200/%u.xml", i);

		g_assert_true(prov_engine_request_resync(fixture->engine, rule, NULL, &id, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(id, ==, 2 + i);
	}
	/* the same one-shot rule again joins its twin */
	g_assert_true(prov_engine_request_resync(fixture->engine, "tftp://192.168.1.200/2.xml",
						 NULL, &id, &error));
	g_assert_cmpuint(id, ==, 4);
	g_assert_false(prov_engine_request_resync(fixture->engine, "tftp://192.168.1.200/5.xml",
						  NULL, &id, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);

	/* refused before queueing: bad syntax, a scheme nobody serves */
	g_assert_false(prov_engine_request_resync(fixture->engine, "(1 eq)? tftp://x.example/y",
						  NULL, &id, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_RULE_SYNTAX);
	g_clear_error(&error);
	g_assert_false(prov_engine_request_resync(fixture->engine, "gds://192.168.1.200/y.cfg",
						  NULL, &id, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	prov_test_release_held();
	prov_test_wait_finished(fixture, 6);
	for (guint i = 0; i < 6; i++)
		g_assert_cmpuint(prov_resync_result_get_id(g_ptr_array_index(fixture->finished, i)),
				 ==, i + 1);
	g_assert_false(prov_resync_result_is_one_shot(g_ptr_array_index(fixture->finished, 1)));
	g_assert_true(prov_resync_result_is_one_shot(g_ptr_array_index(fixture->finished, 2)));
	requests = prov_test_requests_joined();
	g_assert_cmpstr(requests, ==,
			"tftp://192.168.1.200/a.xml tftp://192.168.1.200/a.xml "
			"tftp://192.168.1.200/1.xml tftp://192.168.1.200/2.xml "
			"tftp://192.168.1.200/3.xml tftp://192.168.1.200/4.xml");
	prov_test_release_held();
	g_assert_cmpint(prov_engine_get_state(fixture->engine), ==, PROV_ENGINE_STATE_IDLE);
}

/* Provision_Enable = No: requests refused, a direct resync skipped, nothing fetched */
static void
prov_test_disabled(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) state = NULL;
	g_autoptr(GVariant) history = NULL;
	g_autoptr(GVariant) entry = NULL;
	const gchar *text = NULL;
	gint64 seconds = 0;
	guint64 id = 0;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Provision_Enable", "No", "Profile_Rule",
		      "tftp://192.168.1.200/basic.txt", NULL);
	g_assert_false(prov_engine_request_resync(fixture->engine, NULL, NULL, &id, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_DISABLED);
	result = prov_test_resync(fixture, -1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SKIPPED);
	g_assert_cmpuint(prov_resync_result_get_rules(result)->len, ==, 0);
	g_assert_cmpuint(prov_test_requests->len, ==, 0);
	g_assert_cmpuint(fixture->started->len, ==, 0);
	g_assert_cmpuint(fixture->finished->len, ==, 1);
	g_assert_true(prov_engine_get_last_result(fixture->engine) == result);
	g_assert_cmpint(prov_engine_get_last_success_time(fixture->engine), ==, 0);
	/* the history says why (reference 5.5) */
	state = g_variant_ref_sink(prov_engine_dup_provisioning_state(fixture->engine));
	history = g_variant_lookup_value(state, "history", G_VARIANT_TYPE("aa{sv}"));
	g_assert_cmpuint(g_variant_n_children(history), ==, 1);
	entry = g_variant_get_child_value(history, 0);
	g_assert_true(g_variant_lookup(entry, "status", "&s", &text));
	g_assert_cmpstr(text, ==, "skipped");
	g_assert_true(g_variant_lookup(entry, "reason", "&s", &text));
	g_assert_cmpstr(text, ==, "Provision_Enable is No");
	g_assert_true(g_variant_lookup(entry, "time", "x", &seconds));
	g_assert_cmpint(seconds, ==, PROV_TEST_WALL_START / G_USEC_PER_SEC);
	g_assert_null(prov_test_syslog_receive(fixture));
}

/* reference 4.6 mpp gate: a boot or periodic resync runs only when a set trigger holds */
static void
prov_test_trigger_gate(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) gated = NULL;
	g_autoptr(ProvResyncResult) request = NULL;
	g_autoptr(ProvResyncResult) open = NULL;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/basic.txt", "Resync_Trigger_1",
		      "$PRVTMR ge 600", NULL);
	gated = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(gated), ==, PROV_RESYNC_STATUS_SKIPPED);
	g_assert_cmpuint(prov_test_requests->len, ==, 0);
	/* explicit requests ignore the triggers */
	request = prov_test_resync(fixture, -1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(request), ==, PROV_RESYNC_STATUS_SUCCESS);
	prov_clock_advance(fixture->clock, 600 * G_USEC_PER_SEC);
	open = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(open), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpuint(prov_test_requests->len, ==, 2);
}

/* reference 5.2, S-3: success arms the periodic timer; failure the retry, with PRVST 2 */
static void
prov_test_scheduler(Fixture *fixture, gconstpointer user_data)
{
	ProvScheduler *scheduler = prov_engine_get_scheduler(fixture->engine);
	g_autoptr(GError) error = NULL;
	gint64 start = prov_clock_get_monotonic_time(fixture->clock);
	guint64 id = 0;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/basic.txt", "Resync_Periodic",
		      "30", "Resync_Error_Retry_Delay", "30", NULL);
	prov_engine_start(fixture->engine);
	g_assert_cmpint(prov_engine_get_next_resync_time(fixture->engine), ==, 0);
	g_assert_true(prov_engine_request_resync(fixture->engine, NULL, NULL, &id, &error));
	prov_test_wait_finished(fixture, 1);
	g_assert_cmpint(prov_resync_result_get_status(g_ptr_array_index(fixture->finished, 0)), ==,
			PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpint(prov_scheduler_get_next_time(scheduler), ==, start + 30 * G_USEC_PER_SEC);
	g_assert_cmpint(prov_scheduler_get_next_prvst(scheduler), ==, 1);
	g_assert_cmpint(prov_engine_get_next_resync_time(fixture->engine), ==,
			PROV_TEST_WALL_START + 30 * G_USEC_PER_SEC);
	g_assert_cmpint(prov_engine_get_last_success_time(fixture->engine), ==,
			PROV_TEST_WALL_START);

	/* the periodic resync, then a failing one */
	prov_clock_advance(fixture->clock, 30 * G_USEC_PER_SEC);
	prov_test_wait_finished(fixture, 2);
	g_assert_cmpint(prov_resync_result_get_prvst(g_ptr_array_index(fixture->finished, 1)), ==,
			1);
	prov_test_fail("tftp://192.168.1.200/basic.txt", PROV_ERROR_TIMED_OUT);
	prov_clock_advance(fixture->clock, 30 * G_USEC_PER_SEC);
	prov_test_wait_finished(fixture, 3);
	g_assert_cmpint(prov_resync_result_get_status(g_ptr_array_index(fixture->finished, 2)), ==,
			PROV_RESYNC_STATUS_FAILED);
	g_assert_cmpint(prov_scheduler_get_next_prvst(scheduler), ==, 2);
	g_assert_cmpint(prov_scheduler_get_next_time(scheduler), ==, start + 90 * G_USEC_PER_SEC);

	/* the retry succeeds and the periodic cadence resumes */
	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	prov_clock_advance(fixture->clock, 30 * G_USEC_PER_SEC);
	prov_test_wait_finished(fixture, 4);
	g_assert_cmpint(prov_resync_result_get_prvst(g_ptr_array_index(fixture->finished, 3)), ==,
			2);
	g_assert_cmpint(prov_resync_result_get_status(g_ptr_array_index(fixture->finished, 3)), ==,
			PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpint(prov_scheduler_get_next_prvst(scheduler), ==, 1);
	g_assert_cmpint(prov_scheduler_get_next_time(scheduler), ==, start + 120 * G_USEC_PER_SEC);
	/* the history keeps the last three, newest first */
	g_assert_cmpuint(prov_engine_get_history(fixture->engine)->len, ==, 3);
	g_assert_true(g_ptr_array_index(prov_engine_get_history(fixture->engine), 0) ==
		      g_ptr_array_index(fixture->finished, 3));
	g_assert_true(g_ptr_array_index(prov_engine_get_history(fixture->engine), 2) ==
		      g_ptr_array_index(fixture->finished, 1));
}

static gchar **
prov_test_variant_keys(GVariant *dict)
{
	GVariantIter iter;
	const gchar *key;
	GPtrArray *keys = g_ptr_array_new();

	g_variant_iter_init(&iter, dict);
	while (g_variant_iter_next(&iter, "{&sv}", &key, NULL))
		g_ptr_array_add(keys, g_strdup(key));
	g_ptr_array_add(keys, NULL);
	return (gchar **)g_ptr_array_free(keys, FALSE);
}

/* the a{sv} records carry exactly the keys of the D-Bus interface's documentation */
static void
prov_test_variants(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(GVariant) resync = NULL;
	g_autoptr(GVariant) rule = NULL;
	g_autoptr(GVariant) rules = NULL;
	g_autoptr(GVariant) state = NULL;
	g_autoptr(GVariant) history = NULL;
	g_autoptr(GVariant) line = NULL;
	g_auto(GStrv) resync_keys = NULL;
	g_auto(GStrv) rule_keys = NULL;
	g_auto(GStrv) state_keys = NULL;
	const gchar *status = NULL;
	guint64 bytes = 0;

	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	resync = g_variant_ref_sink(prov_resync_result_to_variant(result));
	g_assert_true(g_variant_is_of_type(resync, G_VARIANT_TYPE("a{sv}")));
	resync_keys = prov_test_variant_keys(resync);
	g_assert_cmpstrv(resync_keys,
			 ((const gchar *[]){"id", "cause", "one-shot", "status", "error", "message",
					    "start-time", "duration", "rules", NULL}));
	g_assert_true(g_variant_lookup(resync, "id", "t", &bytes));
	g_assert_cmpuint(bytes, ==, 1);
	g_assert_true(g_variant_lookup(resync, "status", "&s", &status));
	g_assert_cmpstr(status, ==, "success");
	rules = g_variant_lookup_value(resync, "rules", G_VARIANT_TYPE("aa{sv}"));
	g_assert_cmpuint(g_variant_n_children(rules), ==, 1);
	rule = g_variant_get_child_value(rules, 0);
	rule_keys = prov_test_variant_keys(rule);
	g_assert_cmpstrv(rule_keys, ((const gchar *[]){
					"name",	      "url",	     "final-url",     "transport",
					"status",     "bytes",	     "decoded-bytes", "decoders",
					"applied",    "unchanged",   "skipped",	      "changed",
					"error",      "message",     "line",	      "column",
					"fetch-time", "decode-time", "parse-time",    "apply-time",
					"duration",   NULL}));
	g_assert_true(g_variant_lookup(rule, "bytes", "t", &bytes));
	g_assert_cmpuint(bytes, ==, 61);
	g_assert_true(g_variant_lookup(rule, "final-url", "&s", &status));
	g_assert_cmpstr(status, ==, "tftp://192.168.1.200/basic.txt");
	line = g_variant_lookup_value(rule, "line", NULL);
	g_assert_true(g_variant_is_of_type(line, G_VARIANT_TYPE_UINT32));

	state = g_variant_ref_sink(prov_engine_dup_provisioning_state(fixture->engine));
	state_keys = prov_test_variant_keys(state);
	g_assert_cmpstrv(state_keys, ((const gchar *[]){"prvst", "err", "history", NULL}));
	history = g_variant_lookup_value(state, "history", G_VARIANT_TYPE("aa{sv}"));
	g_assert_cmpuint(g_variant_n_children(history), ==, 1);
}

/* reference 9.3, S-11: Custom_CA_Rule at start, on change, on clearing */
static void
prov_test_custom_ca(Fixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *status = NULL;
	g_autofree gchar *info = NULL;
	g_autofree gchar *path = g_build_filename(fixture->state_dir, "custom-ca.pem", NULL);
	g_autoptr(ProvResyncResult) result = NULL;
	ProvFetchContext *ctx;
	GTlsDatabase *database;

	info = prov_engine_dup_custom_ca_info(fixture->engine);
	g_assert_cmpstr(info, ==, "Not Installed");
	status = prov_engine_dup_custom_ca_status(fixture->engine);
	g_assert_cmpstr(status, ==, "");

	prov_test_serve("http://192.168.1.200/custom-ca.pem", PROV_TEST_CA_PEM);
	prov_test_set(fixture, "Custom_CA_Rule", "http://192.168.1.200/custom-ca.pem", NULL);
	prov_engine_start(fixture->engine);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_pointer(&status, g_free);
	g_clear_pointer(&info, g_free);
	status = prov_engine_dup_custom_ca_status(fixture->engine);
	info = prov_engine_dup_custom_ca_info(fixture->engine);
	g_assert_true(g_regex_match_simple(
	    "^Last provisioning succeeded on [01][0-9]/[0-3][0-9]/20[0-9][0-9] "
	    "[0-2][0-9]:[0-5][0-9]:[0-5][0-9]$",
	    status, 0, 0));
	g_assert_cmpstr(info, ==, "Installed - Test Custom CA");
	g_assert_true(g_file_test(path, G_FILE_TEST_IS_REGULAR));

	/* the custom CA is a trust anchor of https fetches */
	prov_test_serve("https://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "https://192.168.1.200/basic.txt");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	ctx = g_ptr_array_index(prov_test_contexts, prov_test_contexts->len - 1);
	database = prov_fetch_context_get_tls_database(ctx);
	g_assert_true(PROV_IS_TLS_DATABASE(database));
	g_assert_true(
	    g_strv_contains(prov_tls_database_get_anchor_files(PROV_TLS_DATABASE(database)), path));

	/* a failed download keeps the previous CA */
	prov_test_set(fixture, "Custom_CA_Rule", "http://192.168.1.200/missing.pem", NULL);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_pointer(&status, g_free);
	g_clear_pointer(&info, g_free);
	status = prov_engine_dup_custom_ca_status(fixture->engine);
	info = prov_engine_dup_custom_ca_info(fixture->engine);
	g_assert_true(g_str_has_prefix(status, "Last provisioning failed on "));
	g_assert_cmpstr(info, ==, "Installed - Test Custom CA");
	g_assert_true(prov_test_log_take("ProvEngine: custom CA: *file not found*"));

	/* a resync over https retries the failed download first */
	prov_test_serve("http://192.168.1.200/missing.pem", PROV_TEST_CA2_PEM);
	g_clear_object(&result);
	result = prov_test_resync(fixture, -1, "https://192.168.1.200/basic.txt");
	g_clear_pointer(&info, g_free);
	info = prov_engine_dup_custom_ca_info(fixture->engine);
	g_assert_cmpstr(info, ==, "Installed - Second Custom CA");

	/* clearing the parameter removes it */
	prov_test_set(fixture, "Custom_CA_Rule", "", NULL);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_clear_pointer(&info, g_free);
	info = prov_engine_dup_custom_ca_info(fixture->engine);
	g_assert_cmpstr(info, ==, "Not Installed");
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
}

/* reference 9.1: the report leaves secrets out; --delta holds only the new changes */
static void
prov_test_report(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GAsyncResult) result = NULL;
	g_autoptr(GError) error = NULL;
	ProvTestUpload *upload;
	const gchar *body;

	prov_test_set(fixture, "GPP_A", "visible & <escaped>", "GPP_SA", "Sup3rSecretKey",
		      "Password_1_", "line-password", "Report_Rule",
		      "http://192.168.1.200/$MA/report.xml;", NULL);
	prov_engine_report_async(fixture->engine, NULL, prov_test_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(prov_engine_report_finish(fixture->engine, result, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_test_uploads->len, ==, 1);
	upload = g_ptr_array_index(prov_test_uploads, 0);
	g_assert_cmpstr(upload->url, ==, "http://192.168.1.200/000e08abcdef/report.xml");
	g_assert_cmpstr(upload->method, ==, "POST");
	body = g_bytes_get_data(upload->data, NULL);
	g_assert_true(g_str_has_prefix(body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					     "<flat-profile>\n"));
	g_assert_true(g_str_has_suffix(body, "</flat-profile>\n"));
	g_assert_nonnull(strstr(body, "<GPP_A ua=\"na\">visible &amp; &lt;escaped&gt;</GPP_A>"));
	g_assert_nonnull(strstr(body, "<Provision_Enable ua=\"na\">Yes</Provision_Enable>"));
	g_assert_null(strstr(body, "Sup3rSecretKey"));
	g_assert_null(strstr(body, "line-password"));
	g_assert_null(strstr(body, "GPP_SA"));
	g_assert_null(strstr(body, "Password_1_"));

	/* --delta: only what changed since that report; PUT as HTTP_Report_Method says */
	prov_test_set(fixture, "GPP_B", "new", "HTTP_Report_Method", "PUT", "Report_Rule",
		      "[--delta] http://192.168.1.200/delta.xml", NULL);
	g_clear_object(&result);
	prov_engine_report_async(fixture->engine, NULL, prov_test_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(prov_engine_report_finish(fixture->engine, result, &error));
	upload = g_ptr_array_index(prov_test_uploads, 1);
	g_assert_cmpstr(upload->method, ==, "PUT");
	body = g_bytes_get_data(upload->data, NULL);
	g_assert_nonnull(strstr(body, "<GPP_B ua=\"na\">new</GPP_B>"));
	g_assert_nonnull(strstr(body, "<HTTP_Report_Method ua=\"na\">PUT</HTTP_Report_Method>"));
	g_assert_null(strstr(body, "GPP_A"));

	/* --key encrypts with the encryption decoder's encoder, over TFTP (WRQ) */
	prov_test_set(fixture, "Report_Rule", "[--key secret] tftp://192.168.1.200/rep.xml.enc",
		      NULL);
	g_clear_object(&result);
	prov_engine_report_async(fixture->engine, NULL, prov_test_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(prov_engine_report_finish(fixture->engine, result, &error));
	upload = g_ptr_array_index(prov_test_uploads, 2);
	g_assert_cmpstr(upload->url, ==, "tftp://192.168.1.200/rep.xml.enc");
	g_assert_true(g_str_has_prefix(g_bytes_get_data(upload->data, NULL), "ENC:<?xml"));
	g_assert_cmpstr(upload->content_type, ==, "application/octet-stream");

	/* nothing to report to */
	prov_test_set(fixture, "Report_Rule", "", NULL);
	g_clear_object(&result);
	prov_engine_report_async(fixture->engine, NULL, prov_test_done_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(prov_engine_report_finish(fixture->engine, result, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
}

/* R32, default mode: a plain-TFTP profile may change Profile_Rule_B, with a warning */
static void
prov_test_insecure_default(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;

	prov_test_serve("tftp://192.168.1.200/rules.xml",
			"<flat-profile><Profile_Rule_B>tftp://192.168.1.200/b.xml</Profile_Rule_B>"
			"<GPP_SB>k3y</GPP_SB></flat-profile>");
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/rules.xml");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpstr(prov_test_value(fixture, "Profile_Rule_B"), ==,
			"tftp://192.168.1.200/b.xml");
	g_assert_true(prov_test_log_take("ProvEngine: rule one-shot: a profile fetched over tftp "
					 "without TLS changes Profile_Rule_B, GPP_SB"));
}

/* R32, hardened mode: the same profile is refused whole; over https it applies */
static void
prov_test_insecure_hardened(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) refused = NULL;
	g_autoptr(ProvResyncResult) plain = NULL;
	g_autoptr(ProvResyncResult) secure = NULL;
	const gchar *profile =
	    "<flat-profile><GPP_A>a</GPP_A><Profile_Rule_B>tftp://192.168.1.200/b.xml"
	    "</Profile_Rule_B></flat-profile>";
	ProvRuleResult *rule;

	g_assert_true(prov_config_get_hardened_mode(fixture->config));
	prov_test_serve("http://192.168.1.200/rules.xml", profile);
	prov_test_serve("https://192.168.1.200/rules.xml", profile);
	refused = prov_test_resync(fixture, -1, "http://192.168.1.200/rules.xml");
	g_assert_cmpint(prov_resync_result_get_status(refused), ==, PROV_RESYNC_STATUS_FAILED);
	rule = prov_test_rule(refused, "one-shot");
	g_assert_cmpstr(prov_rule_result_get_error(rule), ==, "restricted domain");
	g_assert_cmpint(prov_rule_result_get_error_code(rule), ==, PROV_ERROR_INSECURE_TRANSPORT);
	g_assert_nonnull(strstr(prov_rule_result_get_message(rule), "Profile_Rule_B"));
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "");
	g_assert_cmpstr(prov_test_value(fixture, "Profile_Rule_B"), ==, "");
	g_assert_true(prov_test_log_take("ProvEngine: rule one-shot: profile fetched over http "
					 "without TLS would change Profile_Rule_B: refused in "
					 "hardened mode"));

	/* unprotected parameters still come over plain HTTP */
	prov_test_serve("http://192.168.1.200/plain.xml",
			"<flat-profile><GPP_A>a</GPP_A></flat-profile>");
	plain = prov_test_resync(fixture, -1, "http://192.168.1.200/plain.xml");
	g_assert_cmpint(prov_resync_result_get_status(plain), ==, PROV_RESYNC_STATUS_SUCCESS);

	secure = prov_test_resync(fixture, -1, "https://192.168.1.200/rules.xml");
	g_assert_cmpint(prov_resync_result_get_status(secure), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpstr(prov_test_value(fixture, "Profile_Rule_B"), ==,
			"tftp://192.168.1.200/b.xml");
}

/* stopping cancels the running resync; what was committed before stays */
static void
prov_test_cancel(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GAsyncResult) async = NULL;
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(GError) error = NULL;

	prov_test_serve("tftp://192.168.1.200/a.xml", PROV_TEST_BASIC_TXT);
	prov_test_serve_held("tftp://192.168.1.200/b.xml", PROV_TEST_BASIC2_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/a.xml", "Profile_Rule_B",
		      "tftp://192.168.1.200/b.xml", "Profile_Rule_C", "tftp://192.168.1.200/c.xml",
		      NULL);
	prov_engine_start(fixture->engine);
	prov_engine_resync_async(fixture->engine, -1, NULL, NULL, prov_test_done_cb, &async);
	while (prov_test_held->len == 0)
		g_main_context_iteration(NULL, TRUE);

	/* one at a time */
	{
		g_autoptr(GAsyncResult) busy = NULL;
		g_autoptr(ProvResyncResult) none = NULL;

		prov_engine_resync_async(fixture->engine, -1, NULL, NULL, prov_test_done_cb, &busy);
		while (busy == NULL)
			g_main_context_iteration(NULL, TRUE);
		none = prov_engine_resync_finish(fixture->engine, busy, &error);
		g_assert_null(none);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_BUSY);
		g_clear_error(&error);
	}

	prov_engine_stop(fixture->engine);
	while (async == NULL)
		g_main_context_iteration(NULL, TRUE);
	result = prov_engine_resync_finish(fixture->engine, async, &error);
	g_assert_no_error(error);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_CANCELLED);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_B"), ==, "");
	g_assert_cmpuint(prov_test_requests->len, ==, 2);
	g_assert_cmpint(prov_engine_get_state(fixture->engine), ==, PROV_ENGINE_STATE_IDLE);
}

static void
prov_test_triggers_notify_cb(GObject *object, GParamSpec *pspec, gpointer user_data)
{
	(*(guint *)user_data)++;
}

/* reference 7.1: a trigger named http runs with [http-trigger]; its requests reach the engine */
static void
prov_test_triggers(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GVariant) triggers = NULL;
	g_autoptr(GVariant) record = NULL;
	g_autofree const gchar **addresses = NULL;
	const gchar *name = NULL;
	guint accepted = 0;
	guint notified = 0;
	gulong notify_id;

	prov_test_serve("tftp://192.168.1.50/basic.txt", PROV_TEST_BASIC_TXT);
	g_assert_null(prov_test_trigger_host);
	notify_id = g_signal_connect(fixture->engine, "notify::triggers",
				     G_CALLBACK(prov_test_triggers_notify_cb), &notified);
	prov_engine_start(fixture->engine);
	g_assert_cmpuint(prov_engine_get_triggers(fixture->engine)->len, ==, 1);
	/* the D-Bus Triggers property: the registered name and the bound addresses */
	g_assert_cmpuint(notified, ==, 1);
	triggers = g_variant_ref_sink(prov_engine_dup_triggers_variant(fixture->engine));
	g_assert_cmpstr(g_variant_get_type_string(triggers), ==, "aa{sv}");
	g_assert_cmpuint(g_variant_n_children(triggers), ==, 1);
	record = g_variant_get_child_value(triggers, 0);
	g_assert_true(g_variant_lookup(record, "name", "&s", &name));
	g_assert_cmpstr(name, ==, "http");
	g_assert_true(g_variant_lookup(record, "addresses", "^a&s", &addresses));
	g_assert_cmpstrv(addresses, ((const gchar *[]){"192.0.2.1:8080", NULL}));
	g_assert_true(prov_test_trigger_host == PROV_TRIGGER_HOST(fixture->engine));
	g_assert_true(prov_trigger_host_get_params(prov_test_trigger_host) == fixture->params);
	g_assert_true(prov_trigger_host_get_config(prov_test_trigger_host) == fixture->config);

	/* reference 7.1: a one-shot URL without a server fetches from the requesting host */
	g_assert_true(prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC,
						"/basic.txt", "192.168.1.50:5060", &error));
	g_assert_no_error(error);
	prov_test_wait_finished(fixture, 1);
	g_assert_cmpstr(g_ptr_array_index(prov_test_requests, 0), ==,
			"tftp://192.168.1.50/basic.txt");
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
	g_assert_cmpstr(prov_test_value(fixture, "Profile_Rule"), ==, "");

	g_assert_true(prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_REBOOT,
						"sip check-sync;reboot=true", "192.168.1.50",
						&error));
	g_assert_cmpuint(fixture->reboots->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fixture->reboots, 0), ==, "sip check-sync;reboot=true");

	/* R23: ten accepted requests per second and source host (the resync and the reboot
	 * above count), then 503 territory */
	accepted = 2;
	while (prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC, NULL,
					 "192.168.1.50", &error))
		accepted++;
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);
	g_assert_cmpuint(accepted, ==, 10);
	/* another port of the same host is the same source */
	g_assert_false(prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC,
						 NULL, "192.168.1.50:5061", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);
	/* another source has its own budget; a second later the first has a new one */
	g_assert_true(prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC,
						NULL, "192.168.1.51", &error));
	prov_clock_advance(fixture->clock, G_USEC_PER_SEC);
	g_assert_true(prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC,
						NULL, "192.168.1.50", &error));
	g_assert_no_error(error);

	prov_engine_stop(fixture->engine);
	g_assert_null(prov_test_trigger_host);
	g_assert_cmpuint(prov_engine_get_triggers(fixture->engine)->len, ==, 0);
	g_assert_cmpuint(notified, ==, 2);
	g_signal_handler_disconnect(fixture->engine, notify_id);
	g_clear_pointer(&triggers, g_variant_unref);
	triggers = g_variant_ref_sink(prov_engine_dup_triggers_variant(fixture->engine));
	g_assert_cmpuint(g_variant_n_children(triggers), ==, 0);
}

/* R23: 1,000 valid triggers in 10 s cause at most two resyncs, one run and one coalesced */
static void
prov_test_trigger_flood(Fixture *fixture, gconstpointer user_data)
{
	guint accepted = 0;

	prov_test_serve("tftp://192.168.1.50/basic.txt", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.50/basic.txt", NULL);
	prov_engine_start(fixture->engine);
	g_assert_nonnull(prov_test_trigger_host);
	for (guint i = 0; i < 1000; i++) {
		g_autoptr(GError) error = NULL;

		if (prov_trigger_host_request(prov_test_trigger_host, PROV_TRIGGER_ACTION_RESYNC,
					      NULL, "192.168.1.77:5060", &error))
			accepted++;
		else
			g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
		while (g_main_context_iteration(NULL, FALSE))
			;
		prov_clock_advance(fixture->clock, 10 * 1000);
	}
	/*
	 * the rate limit let a hundred through; the hold-off made them one resync at
	 * once and one, for the requests that joined it, when it ended at 10 s
	 */
	g_assert_cmpuint(accepted, ==, 100);
	prov_test_wait_finished(fixture, 2);
	g_assert_cmpint(
	    prov_resync_result_get_start_time(g_ptr_array_index(fixture->finished, 1)) -
		prov_resync_result_get_start_time(g_ptr_array_index(fixture->finished, 0)),
	    ==, 10 * G_USEC_PER_SEC);
	prov_clock_advance(fixture->clock, 60 * G_USEC_PER_SEC);
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_cmpuint(fixture->started->len, ==, 2);
	g_assert_cmpstr(prov_test_value(fixture, "GPP_A"), ==, "12345678");
}

/* without its config group a trigger does not start */
static void
prov_test_triggers_off(Fixture *fixture, gconstpointer user_data)
{
	prov_engine_start(fixture->engine);
	g_assert_cmpuint(prov_engine_get_triggers(fixture->engine)->len, ==, 0);
	g_assert_null(prov_test_trigger_host);
}

/* a rule without a server uses the default server (DHCP option 66) */
static void
prov_test_default_server(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) none = NULL;
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_null(prov_engine_get_default_server(fixture->engine));
	prov_test_set(fixture, "Profile_Rule", "/ata$PSN.cfg", NULL);
	none = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpstr(prov_resync_result_get_error(none), ==, "tftp_get failed");
	g_assert_cmpuint(prov_test_requests->len, ==, 0);

	g_assert_false(prov_engine_set_default_server(fixture->engine, "a b", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_true(prov_engine_set_default_server(fixture->engine, "192.168.1.200:6969", NULL));
	g_assert_cmpstr(prov_engine_get_default_server(fixture->engine), ==, "192.168.1.200:6969");
	prov_test_serve("tftp://192.168.1.200:6969/ata192.cfg", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_assert_cmpstr(g_ptr_array_index(prov_test_requests, 0), ==,
			"tftp://192.168.1.200:6969/ata192.cfg");
	/* S-5: the User-Agent names the product and MAC */
	g_assert_nonnull(strstr(g_ptr_array_index(prov_test_user_agents, 0), "ATA192-MPP"));
	g_assert_nonnull(strstr(g_ptr_array_index(prov_test_user_agents, 0), "000e08abcdef"));
	g_assert_true(prov_engine_set_default_server(fixture->engine, "", NULL));
	g_assert_null(prov_engine_get_default_server(fixture->engine));
}

/* reference 5.4: the $ERR of failures that happen before any fetch */
static void
prov_test_error_kinds(Fixture *fixture, gconstpointer user_data)
{
	const struct {
		const gchar *rule;
		const gchar *restricted;
		const gchar *err;
	} cases[] = {
	    {"(1 eq)? tftp://192.168.1.200/x.cfg", "", "rule syntax error"},
	    {"gds://192.168.1.200/x.cfg", "", "unsupported scheme"},
	    {"tftp://192.168.1.200/x.cfg", "example.com", "restricted domain"},
	    {"http://192.168.1.200/denied.cfg", "", "auth failed"},
	    {"https://192.168.1.200/tls.cfg", "", "https_get failed"},
	    {"http://192.168.1.200/big.cfg", "", "corrupt file"},
	};

	prov_test_fail("http://192.168.1.200/denied.cfg", PROV_ERROR_AUTH_FAILED);
	prov_test_fail("https://192.168.1.200/tls.cfg", PROV_ERROR_TLS_UNKNOWN_CA);
	prov_test_fail("http://192.168.1.200/big.cfg", PROV_ERROR_LIMIT_EXCEEDED);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvResyncResult) result = NULL;
		g_autofree gchar *line = NULL;
		g_autofree gchar *expected = g_strdup_printf(
		    "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: %s", cases[i].err);

		prov_test_set(fixture, "Profile_Rule", cases[i].rule, "Restricted_Access_Domains",
			      cases[i].restricted, NULL);
		result = prov_test_resync(fixture, 1, NULL);
		g_test_message("%s: %s", cases[i].rule, prov_resync_result_get_message(result));
		g_assert_cmpint(prov_resync_result_get_status(result), ==,
				PROV_RESYNC_STATUS_FAILED);
		g_assert_cmpstr(prov_resync_result_get_error(result), ==, cases[i].err);
		/* the failure line is the last one of the resync */
		for (gchar *next = prov_test_syslog_receive(fixture); next != NULL;
		     next = prov_test_syslog_receive(fixture)) {
			g_free(line);
			line = next;
		}
		g_assert_cmpstr(line, ==, expected);
	}
	/* a restricted host is not contacted at all */
	g_assert_cmpuint(prov_test_requests->len, ==, 3);
}

/* a name within Restricted_Access_Domains, or one of its subdomains, is allowed */
static void
prov_test_restricted_domains(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;

	prov_test_serve("tftp://192.168.1.200/x.cfg", PROV_TEST_BASIC_TXT);
	prov_test_set(fixture, "Restricted_Access_Domains", "example.com, 192.168.1.200",
		      "Profile_Rule", "tftp://192.168.1.200/x.cfg", NULL);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
}

/* reference 1.5 step 6: changes that need a restart are announced once per resync */
static void
prov_test_restart_required(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;

	prov_test_serve("tftp://192.168.1.200/a.xml",
			"<flat-profile><User_ID_1_>1001</User_ID_1_><GPP_A>a</GPP_A>"
			"</flat-profile>");
	prov_test_serve("tftp://192.168.1.200/b.xml",
			"<flat-profile><User_ID_1_>1002</User_ID_1_><Proxy_1_>p</Proxy_1_>"
			"</flat-profile>");
	prov_test_set(fixture, "Profile_Rule", "tftp://192.168.1.200/a.xml", "Profile_Rule_B",
		      "tftp://192.168.1.200/b.xml", NULL);
	result = prov_test_resync(fixture, 1, NULL);
	g_assert_cmpstrv(prov_resync_result_get_restart_required(result),
			 ((const gchar *[]){"User_ID_1_", "Proxy_1_", NULL}));
	g_assert_cmpuint(fixture->restart->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fixture->restart, 0), ==, "User_ID_1_,Proxy_1_");
}

/* prov_params_new_for_config: schema, [parameters] factory values, then the stored state */
static void
prov_test_params_for_config(void)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(ProvParams) params = NULL;
	g_autoptr(ProvParams) reloaded = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("prov-engine-test-XXXXXX", &error);
	g_autofree gchar *state_dir = g_build_filename(dir, "state", NULL);
	g_autofree gchar *state_file = g_build_filename(state_dir, "state.json", NULL);

	g_assert_true(prov_config_load_data(
	    config, "[parameters]\nResync_Periodic=600\nGPP_A=factory\n", -1, &error));
	params = prov_params_new_for_config(config, state_dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_state_path(params), ==, state_file);
	g_assert_cmpstr(prov_params_get_value(params, "Resync_Periodic"), ==, "600");
	prov_test_params_set(params, "GPP_A", "stored");
	reloaded = prov_params_new_for_config(config, state_dir, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(prov_params_get_value(reloaded, "GPP_A"), ==, "stored");

	g_clear_object(&config);
	config = prov_config_new();
	g_assert_true(
	    prov_config_load_data(config, "[parameters]\nNo_Such_Parameter=1\n", -1, &error));
	g_assert_null(prov_params_new_for_config(config, NULL, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CONFIG);
	g_assert_true(g_str_has_prefix(error->message, "[parameters] "));
	g_clear_error(&error);
	g_unlink(state_file);
	g_rmdir(state_dir);
	g_assert_true(prov_test_remove_tree(dir));
}

/* ids start at 1 and grow; the state enum is registered for properties */
static void
prov_test_properties(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(ProvResyncResult) last = NULL;
	ProvEngineState state = PROV_ENGINE_STATE_LAST;
	gint64 success = -1;

	g_assert_cmpstr(prov_engine_state_to_string(PROV_ENGINE_STATE_PENDING), ==, "pending");
	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	g_object_get(fixture->engine, "state", &state, "last-result", &last, "last-success-time",
		     &success, NULL);
	g_assert_cmpint(state, ==, PROV_ENGINE_STATE_IDLE);
	g_assert_true(last == result);
	g_assert_cmpint(success, ==, PROV_TEST_WALL_START);
	g_assert_cmpint(prov_resync_result_get_start_time(result), ==, PROV_TEST_WALL_START);
}

/* reference 5.6 and R44: [daemon] SyslogFormat=rfc5424 and SyslogMaxSize reach the syslog */
static void
prov_test_syslog_config(Fixture *fixture, gconstpointer user_data)
{
	static const gchar header[] = "<134>1 2026-01-01T00:00:00.000000Z - provisiond - - - ";
	ProvSyslog *syslog = prov_engine_get_syslog(fixture->engine);
	g_autoptr(ProvResyncResult) result = NULL;
	g_autofree gchar *expected = NULL;
	g_autofree gchar *request = NULL;
	g_autofree gchar *success = NULL;

	g_assert_cmpint(prov_syslog_get_format(syslog), ==, PROV_SYSLOG_FORMAT_RFC5424);
	g_assert_cmpuint(prov_syslog_get_max_size(syslog), ==, 128);
	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);

	/* the request line is longer than 128 octets framed: cut there, never split */
	expected = g_strconcat(header,
			       "ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
			       "tftp://192.168.1.200:69/basic.txt",
			       NULL);
	g_assert_cmpuint(strlen(expected), >, 128);
	expected[128] = '\0';
	request = prov_test_syslog_receive(fixture);
	g_assert_cmpstr(request, ==, expected);
	success = prov_test_syslog_receive(fixture);
	g_assert_nonnull(success);
	g_assert_true(g_str_has_prefix(success, header));
	g_assert_cmpuint(strlen(success), ==, 128);
	g_assert_null(prov_test_syslog_receive(fixture));
}

/* R44: without [daemon] keys, RFC 3164 framing and datagrams of at most 480 octets */
static void
prov_test_syslog_default_size(Fixture *fixture, gconstpointer user_data)
{
	ProvSyslog *syslog = prov_engine_get_syslog(fixture->engine);
	g_autoptr(ProvResyncResult) result = NULL;
	g_autoptr(GString) template = g_string_new("$PN ");
	g_autoptr(GString) expected = g_string_new("<134>ATA192-MPP ");
	g_autofree gchar *request = NULL;

	g_assert_cmpint(prov_syslog_get_format(syslog), ==, PROV_SYSLOG_FORMAT_RFC3164);
	g_assert_cmpuint(prov_syslog_get_max_size(syslog), ==, 480);
	for (guint i = 0; i < 600; i++)
		g_string_append_c(template, (gchar)('a' + i % 26));
	prov_test_set(fixture, "Log_Resync_Request_Msg", template->str, "Log_Resync_Success_Msg",
		      "", NULL);
	prov_test_serve("tftp://192.168.1.200/basic.txt", PROV_TEST_BASIC_TXT);
	result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/basic.txt");
	g_assert_cmpint(prov_resync_result_get_status(result), ==, PROV_RESYNC_STATUS_SUCCESS);
	g_string_append(expected, template->str + strlen("$PN "));
	g_string_truncate(expected, 480);
	request = prov_test_syslog_receive(fixture);
	g_assert_cmpstr(request, ==, expected->str);
	g_assert_null(prov_test_syslog_receive(fixture));
}

/* the datagrams the debug server got, each checked for secrets (R42) */
static GPtrArray *
prov_test_debug_receive_all(GSocket *debug)
{
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);

	for (gchar *line = prov_test_socket_receive(debug); line != NULL;
	     line = prov_test_socket_receive(debug)) {
		g_assert_null(strstr(line, "secret"));
		g_ptr_array_add(lines, line);
	}
	return lines;
}

/*
 * reference 2.4: the debug server gets a copy of every syslog message and,
 * from Debug_Level 1, a detail line per rule that the syslog server never
 * gets: 1 status, size and URL; 2 also decoders and counts; 3 also timings
 * (0 on the manual clock). No secret reaches either server (R42).
 */
static void
prov_test_debug_level(Fixture *fixture, gconstpointer user_data)
{
	static const gchar request[] = "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Requesting resync "
				       "tftp://192.168.1.200:69/enc.cfg";
	static const gchar success[] = "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Successful resync "
				       "tftp://192.168.1.200:69/enc.cfg";
	const gchar *profile = "ENC:ZIP:<flat-profile><GPP_E>e</GPP_E></flat-profile>";
	const gchar *rule = "[--key $SA] tftp://192.168.1.200/enc.cfg";
	g_autoptr(GSocket) debug = NULL;
	g_autofree gchar *debug_server = NULL;
	gsize bytes = strlen(profile);
	guint16 port = 0;

	debug = prov_test_syslog_listen(&port);
	debug_server = g_strdup_printf("127.0.0.1:%u", port);
	prov_test_set(fixture, "Debug_Server", debug_server, "GPP_SA", "secret", NULL);
	prov_test_serve("tftp://192.168.1.200/enc.cfg", profile);
	for (guint level = 0; level <= 3; level++) {
		g_autoptr(ProvResyncResult) result = NULL;
		g_autoptr(GPtrArray) lines = NULL;
		g_autofree gchar *level_text = g_strdup_printf("%u", level);
		g_autoptr(GString) detail = NULL;
		gboolean first = level == 0;

		prov_test_set(fixture, "Debug_Level", level_text, NULL);
		result = prov_test_resync(fixture, -1, rule);
		g_assert_cmpint(prov_resync_result_get_status(result), ==,
				PROV_RESYNC_STATUS_SUCCESS);
		/* the syslog server: the two messages, never a detail line */
		prov_test_syslog_expect(fixture, (const gchar *[]){request, success, NULL});
		lines = prov_test_debug_receive_all(debug);
		g_assert_cmpuint(lines->len, ==, level == 0 ? 2 : 3);
		g_assert_cmpstr(g_ptr_array_index(lines, 0), ==, request);
		g_assert_cmpstr(g_ptr_array_index(lines, 1), ==, success);
		if (level == 0)
			continue;
		/* the first resync applied GPP_E, the later ones find it unchanged */
		detail = g_string_new(NULL);
		g_string_append_printf(detail, "<135>rule one-shot status=%s bytes=%zu",
				       first ? "success" : "unchanged", bytes);
		if (level >= 2)
			g_string_append_printf(detail,
					       " decoded-bytes=%zu decoders=fakecrypt,fakezip "
					       "applied=%u unchanged=%u skipped=0",
					       bytes - 8, first ? 1u : 0u, first ? 0u : 1u);
		if (level >= 3)
			g_string_append(detail, " fetch-time=0 decode-time=0 parse-time=0 "
						"apply-time=0 duration=0");
		g_string_append(detail, " url=tftp://192.168.1.200/enc.cfg");
		g_assert_cmpstr(g_ptr_array_index(lines, 2), ==, detail->str);
	}

	/* a failure: its line too, after the failure message */
	{
		g_autoptr(ProvResyncResult) result = NULL;
		g_autoptr(GPtrArray) lines = NULL;

		prov_test_set(fixture, "Debug_Level", "1", NULL);
		result = prov_test_resync(fixture, -1, "tftp://192.168.1.200/missing.cfg");
		g_assert_cmpint(prov_resync_result_get_status(result), ==,
				PROV_RESYNC_STATUS_FAILED);
		lines = prov_test_debug_receive_all(debug);
		g_assert_cmpuint(lines->len, ==, 3);
		g_assert_cmpstr(
		    g_ptr_array_index(lines, 1), ==,
		    "<134>ATA192-MPP 00:0e:08:ab:cd:ef -- Resync failed: file not found");
		g_assert_cmpstr(g_ptr_array_index(lines, 2), ==,
				"<135>rule one-shot status=failed bytes=0 "
				"url=tftp://192.168.1.200/missing.cfg");
		prov_test_syslog_expect(fixture,
					(const gchar *[]){g_ptr_array_index(lines, 0),
							  g_ptr_array_index(lines, 1), NULL});
	}
}

static void
prov_test_add(const gchar *path, void (*func)(Fixture *, gconstpointer), const gchar *extra_config)
{
	g_test_add(path, Fixture, extra_config, prov_test_setup, func, prov_test_teardown);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	prov_test_add("/prov/engine/rule-order", prov_test_rule_order, "");
	prov_test_add("/prov/engine/first-failure", prov_test_first_failure, "");
	prov_test_add("/prov/engine/not-found", prov_test_not_found, "");
	prov_test_add("/prov/engine/s14", prov_test_s14, "");
	prov_test_add("/prov/engine/one-shot", prov_test_one_shot, "");
	prov_test_add("/prov/engine/corrupt", prov_test_corrupt, "");
	prov_test_add("/prov/engine/decoders", prov_test_decoders, "");
	prov_test_add("/prov/engine/device-binding", prov_test_device_binding, "");
	prov_test_add("/prov/engine/idempotent", prov_test_idempotent, "");
	prov_test_add("/prov/engine/state-macros", prov_test_state_macros, "");
	prov_test_add("/prov/engine/reread", prov_test_reread, "");
	prov_test_add("/prov/engine/coalesce", prov_test_coalesce, "");
	prov_test_add("/prov/engine/disabled", prov_test_disabled, "");
	prov_test_add("/prov/engine/trigger-gate", prov_test_trigger_gate, "");
	prov_test_add("/prov/engine/scheduler", prov_test_scheduler, "");
	prov_test_add("/prov/engine/variants", prov_test_variants, "");
	prov_test_add("/prov/engine/custom-ca", prov_test_custom_ca, "");
	prov_test_add("/prov/engine/report", prov_test_report, "");
	prov_test_add("/prov/engine/insecure-default", prov_test_insecure_default, "");
	prov_test_add("/prov/engine/insecure-hardened", prov_test_insecure_hardened,
		      "HardenedMode=true\n");
	prov_test_add("/prov/engine/cancel", prov_test_cancel, "");
	prov_test_add("/prov/engine/triggers", prov_test_triggers,
		      "[http-trigger]\nListen=127.0.0.1:0\n");
	prov_test_add("/prov/engine/trigger-flood", prov_test_trigger_flood,
		      "[http-trigger]\nListen=127.0.0.1:0\n");
	prov_test_add("/prov/engine/triggers-off", prov_test_triggers_off, "");
	prov_test_add("/prov/engine/default-server", prov_test_default_server, "");
	prov_test_add("/prov/engine/error-kinds", prov_test_error_kinds, "");
	prov_test_add("/prov/engine/restricted-domains", prov_test_restricted_domains, "");
	prov_test_add("/prov/engine/restart-required", prov_test_restart_required, "");
	prov_test_add("/prov/engine/properties", prov_test_properties, "");
	prov_test_add("/prov/engine/syslog-config", prov_test_syslog_config,
		      "SyslogFormat=rfc5424\nSyslogMaxSize=128\n");
	prov_test_add("/prov/engine/syslog-default-size", prov_test_syslog_default_size, "");
	prov_test_add("/prov/engine/debug-level", prov_test_debug_level, "");
	g_test_add_func("/prov/engine/params-for-config", prov_test_params_for_config);
	return g_test_run();
}
