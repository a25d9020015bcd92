/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The D-Bus method handlers of ProvDBusDaemon (R43), driven through a real
 * GDBus peer-to-peer connection pair over a socketpair, so that GDBus's own
 * argument checks run before the handlers as they do on a bus. The engine
 * behind the daemon has no plugins and is never started: a one-shot rule
 * with a URL is refused for want of a transport, the stored rules only
 * queue, and the default resolver fails every lookup, so nothing leaves the
 * process.
 *
 * Input: up to FUZZ_DBUS_MAX_CALLS records, each a method selector, a mode
 * byte, a 2-byte big-endian payload length and the payload. In raw mode the
 * payload is a serialised GVariant of a type chosen by the mode (the right
 * one or a wrong one, or a type string that starts the payload); otherwise
 * the payload is split at NUL bytes into strings made valid UTF-8, which
 * become well-typed arguments (a piece 01 XX [YY] names the schema's
 * parameter XX - 1 + 255 * (YY - 1), a piece 02 XX a useful token),
 * optionally oversized.
 *
 * Invariants: each call gets exactly one reply and the connection stays
 * open; an error reply has a D-Bus or provisiond error name (never
 * org.gtk.GDBus.UnmappedGError) and, from provisiond, a short message; a
 * refused call and a successful read change nothing (parameters, state
 * file, engine, exported properties); a call whose arguments do not match
 * the method's signature is refused by GDBus before any handler runs; a
 * successful reply has the method's signature; no authorisation is left
 * pending; no log message formats a NULL string. Between inputs a changed
 * engine is replaced by a fresh one (the old one must be finalized), so
 * that inputs replay alike.
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "prov-dbus-daemon.h"
#include "prov-engine.h"
#include "prov-log.h"
#include "prov-params.h"

#define FUZZ_DBUS_MAX_CALLS   8
#define FUZZ_DBUS_HEADER_LEN  4
#define FUZZ_DBUS_INTERFACE   "org.provisiond.Provisioning1"
#define FUZZ_DBUS_OTHER_PATH  "/org/provisiond/Provisioning1/Other"
#define FUZZ_DBUS_DENIED_PATH "/org/provisiond/Provisioning1/Unprivileged"
#define FUZZ_DBUS_TIMEOUT_MS  30000
#define FUZZ_DBUS_WALL_START  (G_GINT64_CONSTANT(1767225600) * G_USEC_PER_SEC)
#define FUZZ_DBUS_MESSAGE_MAX 4096
/* a longer type string could nest deeper than D-Bus allows (32), which GDBus treats as fatal */
#define FUZZ_DBUS_TYPE_MAX 32

/* mode byte */
#define FUZZ_DBUS_MODE_RAW	   0x01
#define FUZZ_DBUS_MODE_TYPE_SHIFT  1	/* raw: 4 bits of type index */
#define FUZZ_DBUS_MODE_SIZE_SHIFT  1	/* typed: 2 bits of oversize */
#define FUZZ_DBUS_MODE_MANY	   0x08 /* typed: more array elements than the cap */
#define FUZZ_DBUS_MODE_DENIED_PATH 0x40
#define FUZZ_DBUS_MODE_OTHER_PATH  0x80
#define FUZZ_DBUS_PIECE_NAME	   0x01
#define FUZZ_DBUS_PIECE_TOKEN	   0x02

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
	const gchar *interface;
	const gchar *member; /* NULL: a name from the input, normally unknown */
	const gchar *in;
	const gchar *out;
	/* whether success may change the state */
	gboolean writes;
} FuzzDBusMethod;

static const FuzzDBusMethod fuzz_dbus_methods[] = {
    {FUZZ_DBUS_INTERFACE, "Resync", "(s)", "(t)", TRUE},
    {FUZZ_DBUS_INTERFACE, "GetParameters", "(as)", "(a{ss})", FALSE},
    {FUZZ_DBUS_INTERFACE, "SetParameters", "(a{ss})", "()", TRUE},
    {FUZZ_DBUS_INTERFACE, "ListParameters", "(s)", "(aa{sv})", FALSE},
    {FUZZ_DBUS_INTERFACE, "ListPlugins", "()", "(aa{sv})", FALSE},
    {FUZZ_DBUS_INTERFACE, "SetBusy", "(b)", "()", TRUE},
    {FUZZ_DBUS_INTERFACE, "SetLogLevel", "(ss)", "()", TRUE},
    {FUZZ_DBUS_INTERFACE, "SetDefaultServer", "(s)", "()", TRUE},
    {"org.freedesktop.DBus.Properties", "Get", "(ss)", "(v)", FALSE},
    {"org.freedesktop.DBus.Properties", "GetAll", "(s)", "(a{sv})", FALSE},
    {"org.freedesktop.DBus.Properties", "Set", "(ssv)", "()", TRUE},
    {"org.freedesktop.DBus.Introspectable", "Introspect", "()", "(s)", FALSE},
    {"org.freedesktop.DBus.Peer", "Ping", "()", "()", FALSE},
    {FUZZ_DBUS_INTERFACE, NULL, "(as)", NULL, FALSE},
};

/* raw mode: index 0 is the method's own signature, the last one comes from the input */
static const gchar *const fuzz_dbus_types[] = {
    NULL,      "()",  "(s)", "(as)", "(a{ss})", "(b)",	    "(ss)",	"(ssv)",
    "(a{sv})", "(t)", "(v)", "(ay)", "(sas)",	"(a{sas})", "(aa{sv})", NULL,
};

G_STATIC_ASSERT(G_N_ELEMENTS(fuzz_dbus_types) == 16);

static const gchar *const fuzz_dbus_tokens[] = {
    FUZZ_DBUS_INTERFACE,
    "org.freedesktop.DBus.Properties",
    "State",
    "LastResult",
    "LastSuccessTime",
    "NextResyncTime",
    "ProvisioningState",
    "CustomCAStatus",
    "Device",
    "Version",
    "Busy",
    "DefaultServer",
    "Triggers",
    "warning",
    "message",
    "info",
    "debug",
    "ProvEngine",
    "ProvEngine ProvDBusDaemon ProvPluginTftp",
    "provisioning",
    "gpp",
    "lines",
    "Provisioning",
    "System/Optional_Network_Configuration",
    "192.168.1.200",
    "192.168.1.200:69",
    "[::1]:8080",
    "::1",
    "server.example:0",
    "server.example:65536",
    "tftp://192.168.1.200/basic.txt",
    "http://admin:secret@192.168.1.200/$MA.xml",
    "/ata$PSN.cfg",
    "($GPP_A eq \"1\")? [--key $SA] http://server.example/a.cfg | (GPP_C = \"c\";)!",
    "[--uid admin --pwd secret]https://server.example/p.xml",
    "(GPP_B = \"x\";)!",
    "($A eq \"\")? (Line_Enable_1_ = \"No\";)! [--alias b --post a] https://h/p? | /x",
    "# commented out",
    "Yes",
    "No",
    "86400",
    "\r\n",
    " \t",
};

typedef struct {
	gchar *state_dir;
	ProvConfig *config;
	ProvPluginLoader *loader;
	ProvClock *clock;
	ProvParams *params;
	ProvEngine *engine;
	ProvDBusAuthority *authority;
	ProvDBusDaemon *daemon;
	/* the same engine for a caller who may change nothing and read no secret */
	ProvDBusAuthority *authority_denied;
	ProvDBusDaemon *daemon_denied;
	GDBusConnection *server;
	GDBusConnection *client;
	ProvLogLevel log_level;
	GPtrArray *names;
	/* of the state after a reset, and of the state now */
	gchar *digest;
	gchar *current;
	guint n_handled;
	gboolean input_has_null;
	/* the serials answered so far: written by GDBus's worker thread */
	GMutex mutex;
	GHashTable *answered;
} FuzzDBus;

static FuzzDBus *fuzz = NULL;

static const gchar fuzz_dbus_config[] = "[device]\n"
					"MAC=000e08abcdef\n"
					"Serial=88012BA01234\n"
					"ProductName=ATA192-MPP\n"
					"SoftwareVersion=11-1-0MPP-19\n"
					"IP=192.168.1.100\n"
					"[daemon]\n"
					"BehaviourProfile=mpp\n";

/* a resolver that answers every name with "not found": no lookup leaves the process */

#define FUZZ_TYPE_DBUS_RESOLVER (fuzz_dbus_resolver_get_type())
G_DECLARE_FINAL_TYPE(FuzzDBusResolver, fuzz_dbus_resolver, FUZZ, DBUS_RESOLVER, GResolver)

struct _FuzzDBusResolver {
	GResolver parent_instance;
};

G_DEFINE_TYPE(FuzzDBusResolver, fuzz_dbus_resolver, G_TYPE_RESOLVER)

static GList *
fuzz_dbus_resolver_lookup_by_name(GResolver *resolver,
				  const gchar *hostname,
				  GCancellable *cancellable,
				  GError **error)
{
	g_set_error(error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
		    "%s: no lookups in the fuzzer", hostname);
	return NULL;
}

static void
fuzz_dbus_resolver_lookup_by_name_async(GResolver *resolver,
					const gchar *hostname,
					GCancellable *cancellable,
					GAsyncReadyCallback callback,
					gpointer user_data)
{
	g_autoptr(GTask) task = g_task_new(resolver, cancellable, callback, user_data);

	g_task_return_new_error(task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
				"%s: no lookups in the fuzzer", hostname);
}

static GList *
fuzz_dbus_resolver_lookup_by_name_finish(GResolver *resolver, GAsyncResult *result, GError **error)
{
	return g_task_propagate_pointer(G_TASK(result), error);
}

static GList *
fuzz_dbus_resolver_lookup_by_name_with_flags(GResolver *resolver,
					     const gchar *hostname,
					     GResolverNameLookupFlags flags,
					     GCancellable *cancellable,
					     GError **error)
{
	return fuzz_dbus_resolver_lookup_by_name(resolver, hostname, cancellable, error);
}

static void
fuzz_dbus_resolver_lookup_by_name_with_flags_async(GResolver *resolver,
						   const gchar *hostname,
						   GResolverNameLookupFlags flags,
						   GCancellable *cancellable,
						   GAsyncReadyCallback callback,
						   gpointer user_data)
{
	fuzz_dbus_resolver_lookup_by_name_async(resolver, hostname, cancellable, callback,
						user_data);
}

static void
fuzz_dbus_resolver_class_init(FuzzDBusResolverClass *klass)
{
	GResolverClass *resolver_class = G_RESOLVER_CLASS(klass);

	resolver_class->lookup_by_name = fuzz_dbus_resolver_lookup_by_name;
	resolver_class->lookup_by_name_async = fuzz_dbus_resolver_lookup_by_name_async;
	resolver_class->lookup_by_name_finish = fuzz_dbus_resolver_lookup_by_name_finish;
	resolver_class->lookup_by_name_with_flags = fuzz_dbus_resolver_lookup_by_name_with_flags;
	resolver_class->lookup_by_name_with_flags_async =
	    fuzz_dbus_resolver_lookup_by_name_with_flags_async;
	resolver_class->lookup_by_name_with_flags_finish = fuzz_dbus_resolver_lookup_by_name_finish;
}

static void
fuzz_dbus_resolver_init(FuzzDBusResolver *self)
{
}

/*
 * The log costs time and says nothing here; a critical is a bug, a warning
 * worth seeing. Whatever the level, no message may have formatted a NULL
 * string (glibc writes "(null)"; elsewhere it crashes): a peer-to-peer
 * caller has no bus name to log. An input that holds the text itself may
 * see it quoted back.
 */
static GLogWriterOutput
fuzz_dbus_log_writer(GLogLevelFlags log_level,
		     const GLogField *fields,
		     gsize n_fields,
		     gpointer user_data)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (!fuzz->input_has_null && g_str_equal(fields[i].key, "MESSAGE") &&
		    fields[i].length < 0 && strstr(fields[i].value, "(null)") != NULL) {
			g_printerr("fuzz-dbus: a NULL string in the log: %s\n",
				   (const gchar *)fields[i].value);
			abort();
		}
	}
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
		return G_LOG_WRITER_HANDLED;
	g_log_writer_standard_streams(log_level, fields, n_fields, user_data);
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0)
		abort();
	return G_LOG_WRITER_HANDLED;
}

static void
fuzz_dbus_remove_contents(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(path, name, NULL);

		if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
		    !g_file_test(child, G_FILE_TEST_IS_SYMLINK)) {
			fuzz_dbus_remove_contents(child);
			g_rmdir(child);
		} else {
			g_unlink(child);
		}
	}
}

static void
fuzz_dbus_cleanup(void)
{
	if (fuzz == NULL || fuzz->state_dir == NULL)
		return;
	fuzz_dbus_remove_contents(fuzz->state_dir);
	g_rmdir(fuzz->state_dir);
}

/* every change is written with fsync (R6): on tmpfs that costs nothing, elsewhere much */
static gchar *
fuzz_dbus_make_state_dir(void)
{
	g_autoptr(GError) error = NULL;
	gchar *dir = NULL;

	if (g_file_test("/dev/shm", G_FILE_TEST_IS_DIR)) {
		g_autofree gchar *template = g_strdup("/dev/shm/prov-fuzz-dbus-XXXXXX");

		if (g_mkdtemp(template) != NULL)
			return g_steal_pointer(&template);
	}
	dir = g_dir_make_tmp("prov-fuzz-dbus-XXXXXX", &error);
	g_assert_no_error(error);
	return dir;
}

/* parameter values and access levels, the state file, what the engine keeps, the properties */
static gchar *
fuzz_dbus_digest(void)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_MD5);
	g_autoptr(GPtrArray) defs = prov_params_get_definitions(fuzz->params);
	g_autofree gchar *state = NULL;
	g_autofree gchar *engine = NULL;
	const gchar *state_path = prov_params_get_state_path(fuzz->params);
	const gchar *server = prov_engine_get_default_server(fuzz->engine);
	gsize state_len = 0;

	for (guint i = 0; i < defs->len; i++) {
		const gchar *name = prov_param_def_get_name(g_ptr_array_index(defs, i));
		const gchar *value = prov_params_get_value(fuzz->params, name);
		guint8 access = (guint8)prov_params_get_access(fuzz->params, name);

		g_checksum_update(checksum, (const guchar *)name, (gssize)strlen(name) + 1);
		if (value != NULL)
			g_checksum_update(checksum, (const guchar *)value,
					  (gssize)strlen(value) + 1);
		g_checksum_update(checksum, &access, 1);
	}
	if (state_path != NULL && g_file_get_contents(state_path, &state, &state_len, NULL))
		g_checksum_update(checksum, (const guchar *)state, (gssize)state_len);
	engine =
	    g_strdup_printf("%d %d %s %s %u", (gint)prov_engine_get_state(fuzz->engine),
			    prov_scheduler_get_busy(prov_engine_get_scheduler(fuzz->engine)),
			    server != NULL ? server : "(none)", prov_engine_get_err(fuzz->engine),
			    prov_params_get_n_definitions(fuzz->params));
	g_checksum_update(checksum, (const guchar *)engine, -1);
	if (fuzz->daemon != NULL) {
		g_autoptr(GVariant) properties = g_dbus_interface_skeleton_get_properties(
		    prov_dbus_daemon_get_skeleton(fuzz->daemon));
		g_autofree gchar *text = g_variant_print(properties, FALSE);

		g_checksum_update(checksum, (const guchar *)text, -1);
	}
	return g_strdup(g_checksum_get_string(checksum));
}

/* a fresh engine on a fresh state directory, as after a factory reset */
static void
fuzz_dbus_reset(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) defs = NULL;
	ProvEngine *old_engine = fuzz->engine;
	ProvParams *old_params = fuzz->params;

	fuzz_dbus_remove_contents(fuzz->state_dir);
	fuzz->params = prov_params_new_for_config(fuzz->config, fuzz->state_dir, &error);
	g_assert_no_error(error);
	g_clear_object(&fuzz->clock);
	fuzz->clock = prov_clock_new_manual(FUZZ_DBUS_WALL_START);
	fuzz->engine = prov_engine_new(fuzz->config, fuzz->params, fuzz->loader, fuzz->clock);
	if (fuzz->daemon != NULL) {
		prov_dbus_daemon_set_engine(fuzz->daemon, fuzz->engine);
		prov_dbus_daemon_set_engine(fuzz->daemon_denied, fuzz->engine);
	}
	/* the daemon lets go of a replaced engine at once: nothing of it may pile up */
	if (old_engine != NULL) {
		g_object_add_weak_pointer(G_OBJECT(old_engine), (gpointer *)&old_engine);
		g_object_add_weak_pointer(G_OBJECT(old_params), (gpointer *)&old_params);
		g_object_unref(old_engine);
		g_object_unref(old_params);
		g_assert_null(old_engine);
		g_assert_null(old_params);
	}
	g_clear_pointer(&fuzz->names, g_ptr_array_unref);
	fuzz->names = g_ptr_array_new_with_free_func(g_free);
	defs = prov_params_get_definitions(fuzz->params);
	for (guint i = 0; i < defs->len; i++)
		g_ptr_array_add(fuzz->names,
				g_strdup(prov_param_def_get_name(g_ptr_array_index(defs, i))));
	g_free(fuzz->digest);
	fuzz->digest = fuzz_dbus_digest();
	g_free(fuzz->current);
	fuzz->current = g_strdup(fuzz->digest);
}

static void
fuzz_dbus_connection_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GDBusConnection **connection = user_data;
	g_autoptr(GError) error = NULL;

	*connection = g_dbus_connection_new_finish(res, &error);
	g_assert_no_error(error);
}

/* counts the replies per serial, as they arrive, before GDBus matches them to calls */
static GDBusMessage *
fuzz_dbus_filter_cb(GDBusConnection *connection,
		    GDBusMessage *message,
		    gboolean incoming,
		    gpointer user_data)
{
	GDBusMessageType type = g_dbus_message_get_message_type(message);
	guint32 serial = g_dbus_message_get_reply_serial(message);
	gboolean again;

	if (!incoming ||
	    (type != G_DBUS_MESSAGE_TYPE_METHOD_RETURN && type != G_DBUS_MESSAGE_TYPE_ERROR))
		return message;
	g_mutex_lock(&fuzz->mutex);
	again = !g_hash_table_add(fuzz->answered, GUINT_TO_POINTER(serial));
	g_mutex_unlock(&fuzz->mutex);
	if (again) {
		g_printerr("fuzz-dbus: a second reply to call %u\n", serial);
		abort();
	}
	return message;
}

/* counts the calls that reached the skeleton, that is, passed GDBus's checks */
static gboolean
fuzz_dbus_authorize_method_cb(GDBusInterfaceSkeleton *skeleton,
			      GDBusMethodInvocation *invocation,
			      gpointer user_data)
{
	fuzz->n_handled++;
	return TRUE;
}

static void
fuzz_dbus_connect(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *guid = g_dbus_generate_guid();
	GIOStream *streams[2] = {NULL, NULL};
	gint fds[2] = {-1, -1};

	g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
	for (guint i = 0; i < 2; i++) {
		g_autoptr(GSocket) socket = g_socket_new_from_fd(fds[i], &error);

		g_assert_no_error(error);
		streams[i] = G_IO_STREAM(g_socket_connection_factory_create_connection(socket));
	}
	g_dbus_connection_new(streams[0], guid, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER, NULL,
			      NULL, fuzz_dbus_connection_cb, &fuzz->server);
	g_dbus_connection_new(streams[1], NULL, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT, NULL,
			      NULL, fuzz_dbus_connection_cb, &fuzz->client);
	while (fuzz->server == NULL || fuzz->client == NULL)
		g_main_context_iteration(NULL, TRUE);
	g_object_unref(streams[0]);
	g_object_unref(streams[1]);
	g_dbus_connection_add_filter(fuzz->client, fuzz_dbus_filter_cb, NULL, NULL);
}

static void
fuzz_dbus_init(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GResolver) resolver = g_object_new(FUZZ_TYPE_DBUS_RESOLVER, NULL);

	g_log_set_writer_func(fuzz_dbus_log_writer, NULL, NULL);
#ifdef PROV_FUZZ_SCHEMA_DIR
	/* the libFuzzer binary runs outside the test environment */
	if (g_getenv("PROV_SCHEMA_DIR") == NULL)
		g_setenv("PROV_SCHEMA_DIR", PROV_FUZZ_SCHEMA_DIR, TRUE);
#endif
	g_resolver_set_default(resolver);

	fuzz = g_new0(FuzzDBus, 1);
	g_mutex_init(&fuzz->mutex);
	fuzz->answered = g_hash_table_new(NULL, NULL);
	fuzz->log_level = prov_log_get_level();
	fuzz->state_dir = fuzz_dbus_make_state_dir();
	atexit(fuzz_dbus_cleanup);
	fuzz->config = prov_config_new();
	g_assert_true(prov_config_load_data(fuzz->config, fuzz_dbus_config, -1, &error));
	g_assert_no_error(error);
	fuzz->loader = prov_plugin_loader_new();
	fuzz_dbus_reset();

	fuzz_dbus_connect();
	fuzz->authority = prov_dbus_authority_new(fuzz->server, FALSE);
	fuzz->daemon = prov_dbus_daemon_new(fuzz->engine, fuzz->authority);
	g_signal_connect(prov_dbus_daemon_get_skeleton(fuzz->daemon), "g-authorize-method",
			 G_CALLBACK(fuzz_dbus_authorize_method_cb), NULL);
	g_assert_true(prov_dbus_daemon_export(fuzz->daemon, fuzz->server,
					      PROV_DBUS_DAEMON_OBJECT_PATH, &error));
	g_assert_no_error(error);
	/* enforcing, on a connection without bus names: every caller is refused */
	fuzz->authority_denied = prov_dbus_authority_new(fuzz->server, TRUE);
	fuzz->daemon_denied = prov_dbus_daemon_new(fuzz->engine, fuzz->authority_denied);
	g_signal_connect(prov_dbus_daemon_get_skeleton(fuzz->daemon_denied), "g-authorize-method",
			 G_CALLBACK(fuzz_dbus_authorize_method_cb), NULL);
	g_assert_true(prov_dbus_daemon_export(fuzz->daemon_denied, fuzz->server,
					      FUZZ_DBUS_DENIED_PATH, &error));
	g_assert_no_error(error);
	/* from now on the digest covers the exported properties too */
	g_free(fuzz->digest);
	fuzz->digest = fuzz_dbus_digest();
	g_free(fuzz->current);
	fuzz->current = g_strdup(fuzz->digest);
}

/* a piece of a typed payload: a schema name, a token, or the bytes as valid UTF-8 */
static gchar *
fuzz_dbus_piece(const guint8 *bytes, gsize len)
{
	g_autofree gchar *rest = NULL;

	/* pieces hold no NUL: index bytes count from 1 */
	if (len >= 2 && bytes[0] == FUZZ_DBUS_PIECE_NAME) {
		guint index = bytes[1] - 1u + (len >= 3 ? 255u * (bytes[2] - 1u) : 0u);

		if (len > 3)
			rest = g_utf8_make_valid((const gchar *)bytes + 3, (gssize)len - 3);
		return g_strconcat(g_ptr_array_index(fuzz->names, index % fuzz->names->len), rest,
				   NULL);
	}
	if (len >= 2 && bytes[0] == FUZZ_DBUS_PIECE_TOKEN) {
		rest = g_utf8_make_valid((const gchar *)bytes + 2, (gssize)len - 2);
		return g_strconcat(fuzz_dbus_tokens[bytes[1] % G_N_ELEMENTS(fuzz_dbus_tokens)],
				   rest, NULL);
	}
	return g_utf8_make_valid((const gchar *)bytes, (gssize)len);
}

static GPtrArray *
fuzz_dbus_split(const guint8 *data, gsize size)
{
	GPtrArray *pieces = g_ptr_array_new_with_free_func(g_free);
	gsize start = 0;

	for (gsize i = 0; i <= size; i++) {
		if (i < size && data[i] != '\0')
			continue;
		g_ptr_array_add(pieces, fuzz_dbus_piece(data + start, i - start));
		start = i + 1;
	}
	return pieces;
}

/* R43: past the short-string cap, the value cap, and 1 MiB */
static void
fuzz_dbus_oversize(GPtrArray *pieces, guint8 mode)
{
	static const gsize sizes[] = {0, PROV_DBUS_DAEMON_SHORT_STRING_MAX + 1, 64 * 1024 + 1,
				      1024 * 1024};
	gsize target = sizes[(mode >> FUZZ_DBUS_MODE_SIZE_SHIFT) & 0x03];
	const gchar *last = g_ptr_array_index(pieces, pieces->len - 1);
	GString *big;

	if (target == 0)
		return;
	big = g_string_sized_new(target + 8);
	while (big->len < target)
		g_string_append(big, last[0] != '\0' ? last : "A");
	g_free(g_ptr_array_steal_index(pieces, pieces->len - 1));
	g_ptr_array_add(pieces, g_string_free(big, FALSE));
}

/* more elements than [limits] MaxAssignments lets through, each short: a few MiB in all */
static void
fuzz_dbus_multiply(GPtrArray *pieces)
{
	guint max = prov_config_get_limits(fuzz->config)->max_assignments;
	guint n = pieces->len;

	while (pieces->len <= 2 * max + 1) {
		const gchar *piece = g_ptr_array_index(pieces, pieces->len % n);

		g_ptr_array_add(pieces,
				g_utf8_substring(piece, 0, MIN(g_utf8_strlen(piece, -1), 16)));
	}
}

static const gchar *
fuzz_dbus_piece_at(GPtrArray *pieces, guint index)
{
	return index < pieces->len ? g_ptr_array_index(pieces, index) : "";
}

static GVariant *
fuzz_dbus_typed_body(const gchar *signature, guint8 mode, const guint8 *data, gsize size)
{
	g_autoptr(GPtrArray) pieces = fuzz_dbus_split(data, size);
	GVariantBuilder builder;

	if ((mode & FUZZ_DBUS_MODE_MANY) != 0 &&
	    (g_str_equal(signature, "(as)") || g_str_equal(signature, "(a{ss})")))
		fuzz_dbus_multiply(pieces);
	fuzz_dbus_oversize(pieces, mode);
	if (g_str_equal(signature, "()"))
		return g_variant_new("()");
	if (g_str_equal(signature, "(b)"))
		return g_variant_new("(b)", size > 0 && (data[0] & 1) != 0);
	if (g_str_equal(signature, "(s)"))
		return g_variant_new("(s)", fuzz_dbus_piece_at(pieces, 0));
	if (g_str_equal(signature, "(ss)"))
		return g_variant_new("(ss)", fuzz_dbus_piece_at(pieces, 0),
				     fuzz_dbus_piece_at(pieces, 1));
	if (g_str_equal(signature, "(ssv)"))
		return g_variant_new("(ssv)", fuzz_dbus_piece_at(pieces, 0),
				     fuzz_dbus_piece_at(pieces, 1),
				     g_variant_new_string(fuzz_dbus_piece_at(pieces, 2)));
	if (g_str_equal(signature, "(as)")) {
		g_variant_builder_init(&builder, G_VARIANT_TYPE("as"));
		for (guint i = 0; i < pieces->len; i++)
			g_variant_builder_add(&builder, "s", g_ptr_array_index(pieces, i));
		return g_variant_new("(as)", &builder);
	}
	g_assert_cmpstr(signature, ==, "(a{ss})");
	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	for (guint i = 0; i < pieces->len; i += 2)
		g_variant_builder_add(&builder, "{ss}", fuzz_dbus_piece_at(pieces, i),
				      fuzz_dbus_piece_at(pieces, i + 1));
	return g_variant_new("(a{ss})", &builder);
}

/* untrusted serialised data of the chosen type, in normal form, as a tuple (not floating) */
static GVariant *
fuzz_dbus_raw_body(const gchar *signature, guint8 mode, const guint8 *data, gsize size)
{
	guint index = (mode >> FUZZ_DBUS_MODE_TYPE_SHIFT) & 0x0f;
	g_autofree gchar *type_string = NULL;
	g_autoptr(GVariantType) type = NULL;
	g_autoptr(GVariant) value = NULL;
	g_autoptr(GVariant) normal = NULL;
	GBytes *bytes;

	if (index == G_N_ELEMENTS(fuzz_dbus_types) - 1) {
		const guint8 *end =
		    size > 0 ? memchr(data, ';', MIN(size, (gsize)FUZZ_DBUS_TYPE_MAX)) : NULL;

		if (end == NULL)
			return NULL;
		type_string = g_strndup((const gchar *)data, (gsize)(end - data));
		size -= (gsize)(end - data) + 1;
		data = end + 1;
		if (!g_variant_type_string_is_valid(type_string))
			return NULL;
	} else {
		type_string = g_strdup(index == 0 ? signature : fuzz_dbus_types[index]);
	}
	type = g_variant_type_new(type_string);
	if (!g_variant_type_is_definite(type))
		return NULL;
	/* a copy: the data must be aligned for the type */
	bytes = g_bytes_new(data, size);
	value = g_variant_ref_sink(g_variant_new_from_bytes(type, bytes, FALSE));
	g_bytes_unref(bytes);
	/* a full reference when value is already normal, else a new one: take either */
	normal = g_variant_take_ref(g_variant_get_normal_form(value));
	if (g_variant_is_of_type(normal, G_VARIANT_TYPE_TUPLE))
		return g_steal_pointer(&normal);
	return g_variant_ref_sink(g_variant_new_tuple(&normal, 1));
}

static void
fuzz_dbus_reply_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	GDBusMessage **reply = user_data;
	g_autoptr(GError) error = NULL;

	*reply = g_dbus_connection_send_message_with_reply_finish(G_DBUS_CONNECTION(source), res,
								  &error);
	/* a timeout or a closed connection: the daemon hung or GDBus gave up on it */
	g_assert_no_error(error);
}

static gboolean
fuzz_dbus_error_name_is_known(const gchar *name)
{
	return g_str_has_prefix(name, "org.freedesktop.DBus.Error.") ||
	       g_str_has_prefix(name, "org.provisiond.Provisioning1.Error.");
}

static void
fuzz_dbus_check_error(GDBusMessage *reply)
{
	const gchar *name = g_dbus_message_get_error_name(reply);
	GVariant *body = g_dbus_message_get_body(reply);
	const gchar *text = NULL;

	/* an unregistered GError domain would travel as org.gtk.GDBus.UnmappedGError.… */
	g_assert_nonnull(name);
	if (!fuzz_dbus_error_name_is_known(name)) {
		g_printerr("fuzz-dbus: error name %s\n", name);
		g_assert_not_reached();
	}
	g_assert_nonnull(body);
	g_assert_true(g_variant_is_of_type(body, G_VARIANT_TYPE("(s)")));
	g_variant_get(body, "(&s)", &text);
	g_assert_cmpstr(text, !=, "");
	/*
	 * the daemon's messages quote what the caller sent, shortened: never a
	 * megabyte back (GDBus's own, such as "No such interface", quote in full)
	 */
	if (g_str_has_prefix(name, "org.provisiond."))
		g_assert_cmpuint(strlen(text), <=, FUZZ_DBUS_MESSAGE_MAX);
}

/* R42: a caller who may not read secrets gets the empty string for them */
static void
fuzz_dbus_check_value(const gchar *name, const gchar *value, gboolean denied)
{
	const ProvParamDef *def = prov_params_lookup(fuzz->params, name);
	const gchar *stored = prov_params_get_value(fuzz->params, name);

	g_assert_nonnull(def);
	if (denied && prov_param_def_is_secret(def))
		g_assert_cmpstr(value, ==, "");
	else
		g_assert_cmpstr(value, ==, stored != NULL ? stored : "");
}

/* every name asked for comes back once, with its value as the caller may see it */
static void
fuzz_dbus_check_get_parameters(GVariant *request, GVariant *reply, gboolean denied)
{
	g_autoptr(GVariant) names = g_variant_get_child_value(request, 0);
	g_autoptr(GVariant) values = g_variant_get_child_value(reply, 0);
	g_autoptr(GHashTable) asked = g_hash_table_new(g_str_hash, g_str_equal);

	for (gsize i = 0; i < g_variant_n_children(names); i++) {
		const gchar *name = NULL;
		const gchar *value = NULL;

		g_variant_get_child(names, i, "&s", &name);
		g_hash_table_add(asked, (gpointer)name);
		g_assert_true(g_variant_lookup(values, name, "&s", &value));
		fuzz_dbus_check_value(name, value, denied);
	}
	g_assert_cmpuint(g_variant_n_children(values), ==, g_hash_table_size(asked));
}

/* R41: naming a secret is a secret read, which may be refused whole when not allowed */
static gboolean
fuzz_dbus_names_secret(GVariant *request)
{
	g_autoptr(GVariant) names = g_variant_get_child_value(request, 0);

	for (gsize i = 0; i < g_variant_n_children(names); i++) {
		const gchar *name = NULL;
		const ProvParamDef *def;

		g_variant_get_child(names, i, "&s", &name);
		def = prov_params_lookup(fuzz->params, name);
		if (def != NULL && prov_param_def_is_secret(def))
			return TRUE;
	}
	return FALSE;
}

static void
fuzz_dbus_check_list_parameters(GVariant *reply, gboolean denied)
{
	g_autoptr(GVariant) records = g_variant_get_child_value(reply, 0);

	for (gsize i = 0; i < g_variant_n_children(records); i++) {
		g_autoptr(GVariant) record = g_variant_get_child_value(records, i);
		const gchar *name = NULL;
		const gchar *value = NULL;

		g_assert_true(g_variant_lookup(record, "name", "&s", &name));
		g_assert_true(g_variant_lookup(record, "value", "&s", &value));
		fuzz_dbus_check_value(name, value, denied);
	}
}

static const FuzzDBusMethod *
fuzz_dbus_lookup_member(const gchar *interface, const gchar *member)
{
	for (guint i = 0; i < G_N_ELEMENTS(fuzz_dbus_methods); i++) {
		const FuzzDBusMethod *method = &fuzz_dbus_methods[i];

		if (method->member != NULL && g_str_equal(method->interface, interface) &&
		    g_str_equal(method->member, member))
			return method;
	}
	return NULL;
}

static void
fuzz_dbus_call(guint8 selector, guint8 mode, const guint8 *payload, gsize len)
{
	const FuzzDBusMethod *method =
	    &fuzz_dbus_methods[selector % G_N_ELEMENTS(fuzz_dbus_methods)];
	gboolean denied = (mode & (FUZZ_DBUS_MODE_OTHER_PATH | FUZZ_DBUS_MODE_DENIED_PATH)) ==
			  FUZZ_DBUS_MODE_DENIED_PATH;
	const gchar *path = (mode & FUZZ_DBUS_MODE_OTHER_PATH) != 0 ? FUZZ_DBUS_OTHER_PATH
			    : denied				    ? FUZZ_DBUS_DENIED_PATH
								    : PROV_DBUS_DAEMON_OBJECT_PATH;
	g_autofree gchar *member = NULL;
	g_autofree gchar *after = NULL;
	g_autofree guchar *blob = NULL;
	g_autoptr(GVariant) body = NULL;
	g_autoptr(GDBusMessage) message = NULL;
	g_autoptr(GDBusMessage) reply = NULL;
	const gchar *signature;
	gsize blob_size = 0;
	guint32 serial = 0;
	guint n_handled = fuzz->n_handled;
	gboolean well_typed;
	gboolean changes;

	if (method->member != NULL) {
		member = g_strdup(method->member);
	} else {
		/* the first piece names the method; a known name makes it that method */
		const guint8 *end = len > 0 ? memchr(payload, '\0', len) : NULL;
		gsize name_len = end != NULL ? (gsize)(end - payload) : len;

		member = g_strndup((const gchar *)payload, name_len);
		if (!g_dbus_is_member_name(member)) {
			g_free(member);
			member = g_strdup("NoSuchMethod");
		}
		payload += MIN(name_len + 1, len);
		len -= MIN(name_len + 1, len);
		if (fuzz_dbus_lookup_member(method->interface, member) != NULL)
			method = fuzz_dbus_lookup_member(method->interface, member);
	}
	if ((mode & FUZZ_DBUS_MODE_RAW) != 0)
		body = fuzz_dbus_raw_body(method->in, mode, payload, len);
	else
		body = g_variant_ref_sink(fuzz_dbus_typed_body(method->in, mode, payload, len));
	if (body == NULL)
		return;
	signature = g_variant_get_type_string(body);
	/* the body's signature without the outer parentheses must be a D-Bus one (no maybe) */
	{
		g_autofree gchar *inner = g_strndup(signature + 1, strlen(signature) - 2);

		if (!g_variant_is_signature(inner))
			return;
	}
	message = g_dbus_message_new_method_call(NULL, path, method->interface, member);
	g_dbus_message_set_body(message, body);
	/* what GDBus still cannot put on the wire is no call */
	blob = g_dbus_message_to_blob(message, &blob_size, G_DBUS_CAPABILITY_FLAGS_NONE, NULL);
	if (blob == NULL)
		return;

	g_dbus_connection_send_message_with_reply(
	    fuzz->client, message, G_DBUS_SEND_MESSAGE_FLAGS_NONE, FUZZ_DBUS_TIMEOUT_MS, &serial,
	    NULL, fuzz_dbus_reply_cb, &reply);
	while (reply == NULL)
		g_main_context_iteration(NULL, TRUE);
	/* what the handlers left for later (idle sources, authorisations) runs now */
	while (g_main_context_iteration(NULL, FALSE))
		;
	g_assert_false(g_dbus_connection_is_closed(fuzz->client));
	g_assert_cmpuint(prov_dbus_daemon_get_n_pending(fuzz->daemon), ==, 0);
	g_assert_cmpuint(prov_dbus_daemon_get_n_pending(fuzz->daemon_denied), ==, 0);
	g_mutex_lock(&fuzz->mutex);
	g_assert_true(g_hash_table_contains(fuzz->answered, GUINT_TO_POINTER(serial)));
	g_mutex_unlock(&fuzz->mutex);

	well_typed = method->member != NULL && g_str_equal(signature, method->in);
	/* R43: wrong types are GDBus's to refuse; the handlers only ever see the right ones */
	if (!well_typed && g_str_equal(method->interface, FUZZ_DBUS_INTERFACE))
		g_assert_cmpuint(fuzz->n_handled, ==, n_handled);

	changes =
	    well_typed && method->writes && g_str_equal(method->interface, FUZZ_DBUS_INTERFACE);
	if (g_dbus_message_get_message_type(reply) == G_DBUS_MESSAGE_TYPE_ERROR) {
		fuzz_dbus_check_error(reply);
		/* a change is authorised first, before its arguments are looked at */
		if (denied && changes)
			g_assert_cmpstr(g_dbus_message_get_error_name(reply), ==,
					"org.freedesktop.DBus.Error.AccessDenied");
		/* and only then: R41, or a secret named by a caller who may not read it */
		if (g_strcmp0(g_dbus_message_get_error_name(reply),
			      "org.freedesktop.DBus.Error.AccessDenied") == 0)
			g_assert_true(denied &&
				      (changes || (well_typed &&
						   g_str_equal(method->member, "GetParameters") &&
						   fuzz_dbus_names_secret(body))));
		/* R43: a refused call changes nothing */
		after = fuzz_dbus_digest();
		g_assert_cmpstr(after, ==, fuzz->current);
		return;
	}
	g_assert_cmpint(g_dbus_message_get_message_type(reply), ==,
			G_DBUS_MESSAGE_TYPE_METHOD_RETURN);
	/* only a known method with the right arguments succeeds, and answers in its signature */
	g_assert_true(well_typed);
	g_assert_false(denied && changes);
	after = fuzz_dbus_digest();
	/* a read changes nothing either */
	if (!method->writes)
		g_assert_cmpstr(after, ==, fuzz->current);
	g_free(fuzz->current);
	fuzz->current = g_steal_pointer(&after);
	if (g_str_equal(method->out, "()")) {
		g_assert_true(g_dbus_message_get_body(reply) == NULL ||
			      g_variant_n_children(g_dbus_message_get_body(reply)) == 0);
		return;
	}
	g_assert_nonnull(g_dbus_message_get_body(reply));
	g_assert_cmpstr(g_variant_get_type_string(g_dbus_message_get_body(reply)), ==, method->out);
	if (g_str_equal(method->member, "GetParameters"))
		fuzz_dbus_check_get_parameters(body, g_dbus_message_get_body(reply), denied);
	if (g_str_equal(method->member, "ListParameters"))
		fuzz_dbus_check_list_parameters(g_dbus_message_get_body(reply), denied);
	if (g_str_equal(method->member, "Resync")) {
		guint64 id = 0;

		g_variant_get(g_dbus_message_get_body(reply), "(t)", &id);
		g_assert_cmpuint(id, >, 0);
	}
}

static gboolean
fuzz_dbus_contains(const guint8 *data, gsize size, const gchar *text)
{
	gsize len = strlen(text);

	for (gsize i = 0; i + len <= size; i++) {
		if (memcmp(data + i, text, len) == 0)
			return TRUE;
	}
	return FALSE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gsize offset = 0;

	if (fuzz == NULL)
		fuzz_dbus_init();
	fuzz->input_has_null = fuzz_dbus_contains(data, size, "(null)");
	g_mutex_lock(&fuzz->mutex);
	g_hash_table_remove_all(fuzz->answered);
	g_mutex_unlock(&fuzz->mutex);

	for (guint i = 0; i < FUZZ_DBUS_MAX_CALLS && (i == 0 || offset < size); i++) {
		guint8 header[FUZZ_DBUS_HEADER_LEN] = {0, 0, 0, 0};
		gsize len;

		for (guint j = 0; j < FUZZ_DBUS_HEADER_LEN && offset < size; j++)
			header[j] = data[offset++];
		len = MIN((gsize)header[2] << 8 | header[3], size - offset);
		fuzz_dbus_call(header[0], header[1], data + offset, len);
		offset += len;
	}

	/* SetLogLevel debug must not slow every later input */
	prov_log_set_level(fuzz->log_level, NULL);
	if (!g_str_equal(fuzz->current, fuzz->digest))
		fuzz_dbus_reset();
	return 0;
}
