/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The tftp transport against the servers operators run: tftpd-hpa (R15:
 * no windowsize) and atftpd (windowsize, RFC 7440), each started here on a
 * free loopback port with a served directory of its own, probed until it
 * answers, and stopped by its PID. A missing server skips its cases; with
 * neither, the test exits 77. The lossy cases go through a relay in this
 * process that drops, duplicates and reorders datagrams (R13, R14).
 *
 * tftpd-hpa runs with --secure (chroot to the served directory), which is
 * what maps the devices' "/basic.txt" (reference 6.1) to ROOT/basic.txt;
 * chroot needs root, so without root tftpd-hpa is skipped. atftpd joins the
 * directory and the name itself, with or without the slash.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <prov-error.h>
#include <prov-fetch-context.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "prov-tftp-packet.h"
#include "prov-tftp-transport-private.h"

/* reference 8.3.1: basic.txt */
static const gchar prov_tftp_it_basic_txt[] =
    "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n";

#define PROV_TFTP_IT_FETCH_MAX	       (64 * 1024 * 1024)
#define PROV_TFTP_IT_PROBES	       100
#define PROV_TFTP_IT_PROBE_INTERVAL_MS 20
#define PROV_TFTP_IT_ROLLOVER_SIZE     (40 * 1024 * 1024)

typedef struct {
	const gchar *name;
	gchar *program;
	gchar *skip;
	GSubprocess *process;
	gboolean exited;
	guint16 port;
	gboolean has_windowsize;
	/* what the server reports for a file it may not read */
	gint unreadable_code;
	gchar *log;
} ProvTftpItServer;

static gchar *prov_tftp_it_root = NULL;
/* the servers' PIDs, for the handler that stops them when an assertion aborts the test */
static volatile pid_t prov_tftp_it_pids[2] = {0, 0};
static ProvTftpItServer prov_tftp_it_servers[] = {
    /* ERROR 0 "Permission denied" */
    {.name = "tftpd-hpa", .unreadable_code = PROV_ERROR_PROTOCOL},
    /* ERROR 1: atftpd does not tell the two apart */
    {.name = "atftpd", .has_windowsize = TRUE, .unreadable_code = PROV_ERROR_NOT_FOUND},
};

static GBytes *
prov_tftp_it_pattern(gsize size, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *data = g_malloc(size + 1);

	for (gsize i = 0; i < size; i++)
		data[i] = (guint8)g_rand_int_range(rand, 0, 256);
	return g_bytes_new_take(data, size);
}

static void
prov_tftp_it_write(const gchar *name, GBytes *data, gint mode)
{
	g_autofree gchar *path = g_build_filename(prov_tftp_it_root, name, NULL);
	g_autoptr(GError) error = NULL;

	g_file_set_contents(path, g_bytes_get_data(data, NULL), (gssize)g_bytes_get_size(data),
			    &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
}

static GBytes *
prov_tftp_it_read(const gchar *name)
{
	g_autofree gchar *path = g_build_filename(prov_tftp_it_root, name, NULL);
	g_autoptr(GError) error = NULL;
	gchar *contents = NULL;
	gsize length = 0;

	if (!g_file_get_contents(path, &contents, &length, &error))
		return NULL;
	return g_bytes_new_take(contents, length);
}

static GBytes *
prov_tftp_it_expected(const gchar *name)
{
	GBytes *data = prov_tftp_it_read(name);

	g_assert_nonnull(data);
	return data;
}

/* a port the kernel just handed out, so free for the server a moment later */
static guint16
prov_tftp_it_free_port(void)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GError) error = NULL;

	socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP,
			      &error);
	g_assert_no_error(error);
	g_assert_true(g_socket_bind(socket, any_port, FALSE, &error));
	local = g_socket_get_local_address(socket, &error);
	g_assert_no_error(error);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
}

typedef struct {
	gboolean done;
	GBytes *bytes;
	gboolean uploaded;
	GError *error;
} ProvTftpItResult;

static void
prov_tftp_it_fetch_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTftpItResult *outcome = user_data;

	outcome->bytes =
	    prov_transport_fetch_finish(PROV_TRANSPORT(source), result, &outcome->error);
	outcome->done = TRUE;
}

static void
prov_tftp_it_upload_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTftpItResult *outcome = user_data;

	outcome->uploaded =
	    prov_transport_upload_finish(PROV_TRANSPORT(source), result, &outcome->error);
	outcome->done = TRUE;
}

static gchar *
prov_tftp_it_url(ProvTftpItServer *server, const gchar *path)
{
	return g_strdup_printf("tftp://127.0.0.1:%u%s", server->port, path);
}

static GBytes *
prov_tftp_it_fetch(ProvTftpTransport *transport,
		   ProvTftpItServer *server,
		   const gchar *path,
		   GError **error)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autofree gchar *url = prov_tftp_it_url(server, path);
	ProvTftpItResult outcome = {0};

	prov_fetch_context_set_size_max(ctx, PROV_TFTP_IT_FETCH_MAX);
	prov_transport_fetch_url_async(PROV_TRANSPORT(transport), url, ctx, NULL,
				       prov_tftp_it_fetch_cb, &outcome);
	while (!outcome.done)
		g_main_context_iteration(NULL, TRUE);
	if (outcome.error != NULL)
		g_propagate_error(error, outcome.error);
	return outcome.bytes;
}

static gboolean
prov_tftp_it_timeout_cb(gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
	return G_SOURCE_REMOVE;
}

/* runs the main loop for @ms: the pause between two readiness probes */
static void
prov_tftp_it_iterate_for(guint ms)
{
	gboolean expired = FALSE;

	g_timeout_add(ms, prov_tftp_it_timeout_cb, &expired);
	while (!expired)
		g_main_context_iteration(NULL, TRUE);
}

/* a failed assertion aborts; the servers must not outlive the test (async-signal-safe) */
static void
prov_tftp_it_fatal_handler(int signal_number)
{
	for (guint i = 0; i < G_N_ELEMENTS(prov_tftp_it_pids); i++) {
		if (prov_tftp_it_pids[i] > 0)
			kill(prov_tftp_it_pids[i], SIGKILL);
	}
	signal(signal_number, SIG_DFL);
	raise(signal_number);
}

static void
prov_tftp_it_exited_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	ProvTftpItServer *server = user_data;

	g_subprocess_wait_finish(G_SUBPROCESS(source), result, NULL);
	server->exited = TRUE;
	prov_tftp_it_pids[server - prov_tftp_it_servers] = 0;
}

static gchar *
prov_tftp_it_find(const gchar *program, const gchar *unpacked)
{
	g_autofree gchar *path = g_find_program_in_path(program);
	g_autofree gchar *sbin = g_build_filename("/usr/sbin", program, NULL);

	if (path != NULL)
		return g_steal_pointer(&path);
	if (g_file_test(sbin, G_FILE_TEST_IS_EXECUTABLE))
		return g_steal_pointer(&sbin);
	if (unpacked != NULL && g_file_test(unpacked, G_FILE_TEST_IS_EXECUTABLE))
		return g_strdup(unpacked);
	return NULL;
}

static gboolean
prov_tftp_it_start(ProvTftpItServer *server)
{
	g_autoptr(GSubprocessLauncher) launcher =
	    g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDERR_MERGE);
	g_autoptr(ProvTftpTransport) probe = prov_tftp_transport_new();
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	gboolean root = getuid() == 0;
	ProvTftpTiming timing;

	if (g_str_equal(server->name, "tftpd-hpa")) {
		server->program = prov_tftp_it_find("in.tftpd", NULL);
		if (server->program != NULL && !root)
			server->skip = g_strdup("tftpd-hpa needs root for --secure (chroot)");
	} else {
		server->program =
		    prov_tftp_it_find("atftpd", PROV_TEST_ATFTPD_ROOT "/usr/sbin/atftpd");
	}
	if (server->program == NULL)
		server->skip =
		    g_strdup_printf("%s is not installed (tools/install-deps)", server->name);
	if (server->skip != NULL)
		return FALSE;

	server->port = prov_tftp_it_free_port();
	server->log = g_build_filename(
	    prov_tftp_it_root, "..",
	    g_str_equal(server->name, "atftpd") ? "atftpd.log" : "tftpd-hpa.log", NULL);
	g_ptr_array_add(argv, g_strdup(server->program));
	if (g_str_equal(server->name, "tftpd-hpa")) {
		/* foreground; --secure maps "/x" to ROOT/x; --create for the WRQ tests */
		g_ptr_array_add(argv, g_strdup("--foreground"));
		g_ptr_array_add(argv, g_strdup("--address"));
		g_ptr_array_add(argv, g_strdup_printf("127.0.0.1:%u", server->port));
		g_ptr_array_add(argv, g_strdup("--secure"));
		g_ptr_array_add(argv, g_strdup("--create"));
		g_ptr_array_add(argv, g_strdup("--user"));
		g_ptr_array_add(argv, g_strdup("nobody"));
	} else {
		struct group *group = getgrgid(getgid());

		g_ptr_array_add(argv, g_strdup("--daemon"));
		g_ptr_array_add(argv, g_strdup("--no-fork"));
		g_ptr_array_add(argv, g_strdup("--port"));
		g_ptr_array_add(argv, g_strdup_printf("%u", server->port));
		g_ptr_array_add(argv, g_strdup("--bind-address"));
		g_ptr_array_add(argv, g_strdup("127.0.0.1"));
		g_ptr_array_add(argv, g_strdup("--user"));
		g_ptr_array_add(argv, g_strdup(root ? "nobody" : g_get_user_name()));
		g_ptr_array_add(argv, g_strdup("--group"));
		g_ptr_array_add(argv, g_strdup(root || group == NULL ? "nogroup" : group->gr_name));
		g_ptr_array_add(argv, g_strdup("--logfile"));
		g_ptr_array_add(argv, g_strdup("-"));
	}
	g_ptr_array_add(argv, g_strdup(prov_tftp_it_root));
	g_ptr_array_add(argv, NULL);
	g_subprocess_launcher_set_stdout_file_path(launcher, server->log);
	server->process =
	    g_subprocess_launcher_spawnv(launcher, (const gchar *const *)argv->pdata, &error);
	if (server->process == NULL) {
		server->skip = g_strdup_printf("cannot start %s: %s", server->name, error->message);
		return FALSE;
	}
	g_subprocess_wait_async(server->process, NULL, prov_tftp_it_exited_cb, server);
	prov_tftp_it_pids[server - prov_tftp_it_servers] =
	    (pid_t)g_ascii_strtoll(g_subprocess_get_identifier(server->process), NULL, 10);

	/* ready when a real RRQ for a known file succeeds; bounded, never a blind wait */
	prov_tftp_transport_get_timing(probe, &timing);
	timing.initial_ms = 50;
	timing.max_retries = 2;
	timing.deadline_ms = 1000;
	prov_tftp_transport_set_timing(probe, &timing);
	for (guint i = 0; i < PROV_TFTP_IT_PROBES && !server->exited; i++) {
		g_autoptr(GBytes) bytes = NULL;

		g_clear_error(&error);
		bytes = prov_tftp_it_fetch(probe, server, "/basic.txt", &error);
		if (bytes != NULL) {
			g_test_message("%s ready on port %u after %u probes", server->name,
				       server->port, i + 1);
			return TRUE;
		}
		prov_tftp_it_iterate_for(PROV_TFTP_IT_PROBE_INTERVAL_MS);
	}
	server->skip = g_strdup_printf("%s did not answer on port %u: %s", server->name,
				       server->port, error != NULL ? error->message : "it exited");
	return FALSE;
}

static void
prov_tftp_it_stop(ProvTftpItServer *server)
{
	const gchar *identifier;
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

	if (server->process == NULL)
		return;
	identifier = g_subprocess_get_identifier(server->process);
	if (identifier != NULL && !server->exited)
		kill((pid_t)g_ascii_strtoll(identifier, NULL, 10), SIGTERM);
	prov_tftp_it_pids[server - prov_tftp_it_servers] = 0;
	while (!server->exited && g_get_monotonic_time() < deadline)
		prov_tftp_it_iterate_for(10);
	if (!server->exited) {
		g_subprocess_force_exit(server->process);
		while (!server->exited)
			g_main_context_iteration(NULL, TRUE);
	}
	g_clear_object(&server->process);
}

static ProvTftpTransport *
prov_tftp_it_transport_new(guint block_size, guint window_size)
{
	ProvTftpTransport *transport = prov_tftp_transport_new();

	g_object_set(transport, "block-size", block_size, "window-size", window_size, NULL);
	return transport;
}

static gboolean
prov_tftp_it_skip(ProvTftpItServer *server)
{
	if (server->skip == NULL)
		return FALSE;
	g_test_skip(server->skip);
	return TRUE;
}

static void
prov_tftp_it_assert_file(ProvTftpItServer *server,
			 guint block_size,
			 guint window_size,
			 const gchar *name)
{
	g_autoptr(ProvTftpTransport) transport =
	    prov_tftp_it_transport_new(block_size, window_size);
	g_autofree gchar *path = g_strconcat("/", name, NULL);
	g_autoptr(GBytes) expected = prov_tftp_it_expected(name);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = prov_tftp_it_fetch(transport, server, path, &error);

	g_assert_no_error(error);
	g_assert_nonnull(bytes);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			g_bytes_get_data(expected, NULL), g_bytes_get_size(expected));
}

/* S-1: the seed's profile, as the device asks for it */
static void
prov_tftp_it_basic(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_transport_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (prov_tftp_it_skip(server))
		return;
	bytes = prov_tftp_it_fetch(transport, server, "/basic.txt", &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			prov_tftp_it_basic_txt, strlen(prov_tftp_it_basic_txt));
}

static void
prov_tftp_it_sizes(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	const gchar *names[] = {"size-0.bin", "size-511.bin", "size-512.bin", "size-513.bin"};

	if (prov_tftp_it_skip(server))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		prov_tftp_it_assert_file(server, 512, 0, names[i]);
}

/* 100 KB at the default blksize 1428, timed (best of 5) */
static void
prov_tftp_it_profile(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	gint64 best = G_MAXINT64;

	if (prov_tftp_it_skip(server))
		return;
	for (guint i = 0; i < 5; i++) {
		gint64 started = g_get_monotonic_time();

		prov_tftp_it_assert_file(server, 1428, 0, "profile-100k.bin");
		best = MIN(best, g_get_monotonic_time() - started);
	}
	g_test_message("%s: 100 KB at blksize 1428 in %" G_GINT64_FORMAT " us", server->name, best);
}

/* RFC 2348: every size the server accepts, from the smallest to the largest */
static void
prov_tftp_it_block_sizes(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	const guint sizes[] = {8, 9, 511, 512, 513, 1024, 1428, 1468, 4096, 8192, 32768, 65464};

	if (prov_tftp_it_skip(server))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		gint64 started = g_get_monotonic_time();

		prov_tftp_it_assert_file(server, sizes[i], 0, "profile-100k.bin");
		g_test_message("%s: 100 KB at blksize %u in %" G_GINT64_FORMAT " us", server->name,
			       sizes[i], g_get_monotonic_time() - started);
	}
}

/* RFC 7440 against atftpd; tftpd-hpa leaves the option out of its OACK (window 1) */
static void
prov_tftp_it_window_sizes(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	const guint windows[] = {1, 4, 16};

	if (prov_tftp_it_skip(server))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(windows); i++) {
		gint64 started = g_get_monotonic_time();

		prov_tftp_it_assert_file(server, 1428, windows[i], "profile-100k.bin");
		prov_tftp_it_assert_file(server, 512, windows[i], "size-513.bin");
		g_test_message("%s: 100 KB at blksize 1428, windowsize %u in %" G_GINT64_FORMAT
			       " us",
			       server->name, windows[i], g_get_monotonic_time() - started);
	}
}

/* R16: 40 MB at blksize 512 is 81920 blocks, so the block number rolls over */
static void
prov_tftp_it_rollover(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	guint window = server->has_windowsize ? 16 : 0;
	gint64 started;

	if (prov_tftp_it_skip(server))
		return;
	started = g_get_monotonic_time();
	prov_tftp_it_assert_file(server, 512, window, "rollover-40m.bin");
	g_test_message("%s: 40 MB at blksize 512, windowsize %u in %" G_GINT64_FORMAT " ms",
		       server->name, MAX(window, 1), (g_get_monotonic_time() - started) / 1000);
}

/* reference 5.4: "file not found" is its own kind, for Resync_Fails_On_FNF */
static void
prov_tftp_it_not_found(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_transport_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (prov_tftp_it_skip(server))
		return;
	bytes = prov_tftp_it_fetch(transport, server, "/missing.cfg", &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_NOT_FOUND);
}

/* a file the server may not read: the failure the server reports */
static void
prov_tftp_it_access_violation(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_transport_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (prov_tftp_it_skip(server))
		return;
	if (getuid() != 0) {
		g_test_skip("the servers run as this user and can read every file here");
		return;
	}
	bytes = prov_tftp_it_fetch(transport, server, "/secret.cfg", &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, server->unreadable_code);
	g_test_message("%s: %s", server->name, error->message);
}

/* reference 9.1: Report_Rule over TFTP writes with WRQ */
static void
prov_tftp_it_upload(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	const guint windows[] = {0, 4};

	if (prov_tftp_it_skip(server))
		return;
	for (guint i = 0; i < G_N_ELEMENTS(windows); i++) {
		g_autoptr(ProvTftpTransport) transport =
		    prov_tftp_it_transport_new(512, windows[i]);
		g_autoptr(GBytes) report = prov_tftp_it_pattern(5000 + 512 * i, 3 + i);
		g_autofree gchar *name =
		    g_strdup_printf("upload/%s-report-%u.xml", server->name, windows[i]);
		g_autofree gchar *path = g_strconcat("/", name, NULL);
		g_autofree gchar *url = prov_tftp_it_url(server, path);
		g_autoptr(GUri) uri = g_uri_parse(url, G_URI_FLAGS_ENCODED, NULL);
		g_autoptr(GBytes) written = NULL;
		ProvTftpItResult outcome = {0};

		prov_transport_upload_async(PROV_TRANSPORT(transport), uri, ctx, report, NULL,
					    prov_tftp_it_upload_cb, &outcome);
		while (!outcome.done)
			g_main_context_iteration(NULL, TRUE);
		g_assert_no_error(outcome.error);
		g_assert_true(outcome.uploaded);
		/* atftpd acknowledges the last block before it closes the file: poll, bounded */
		for (guint attempt = 0; attempt < 100; attempt++) {
			g_clear_pointer(&written, g_bytes_unref);
			written = prov_tftp_it_read(name);
			if (written != NULL && g_bytes_equal(written, report))
				break;
			prov_tftp_it_iterate_for(10);
		}
		g_assert_nonnull(written);
		g_assert_cmpmem(g_bytes_get_data(written, NULL), g_bytes_get_size(written),
				g_bytes_get_data(report, NULL), g_bytes_get_size(report));
	}
}

/* R11: refused before sending */
static void
prov_tftp_it_long_name(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_it_transport_new(512, 0);
	g_autofree gchar *name = g_strnfill(599, 'n');
	g_autofree gchar *path = g_strconcat("/", name, NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;

	if (prov_tftp_it_skip(server))
		return;
	bytes = prov_tftp_it_fetch(transport, server, path, &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
}

/*
 * A lossy path (R13, R14): a relay between the client and the real server
 * that drops, duplicates and reorders datagrams in both directions, drawn
 * from a seeded generator. The client sends its request to the relay's
 * front socket; each transfer ID the server answers from gets a mirror
 * socket of its own towards the client, so the client's TID rules see what
 * they would see without the relay.
 */
typedef struct {
	GSocket *socket;
	GSource *source;
	GSocketAddress *tid;
	gpointer relay;
} ProvTftpItMirror;

typedef struct {
	GRand *rand;
	gdouble loss;
	gdouble duplicate;
	gdouble reorder;
	GSocket *front;
	GSource *front_source;
	GSocket *back;
	GSource *back_source;
	GSocketAddress *server;
	GSocketAddress *client;
	/* server TID port -> ProvTftpItMirror */
	GHashTable *mirrors;
	/* one held datagram per direction: it leaves after the next one */
	GBytes *held[2];
	GSocket *held_socket[2];
	GSocketAddress *held_to[2];
	guint forwarded;
	guint dropped;
	guint duplicated;
	guint reordered;
} ProvTftpItRelay;

static GSocket *
prov_tftp_it_relay_socket(GSource **source, GSocketSourceFunc func, gpointer user_data)
{
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GError) error = NULL;
	GSocket *socket = g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
				       G_SOCKET_PROTOCOL_UDP, &error);

	g_assert_no_error(error);
	g_socket_set_blocking(socket, FALSE);
	g_assert_true(g_socket_bind(socket, any_port, FALSE, &error));
	*source = g_socket_create_source(socket, G_IO_IN, NULL);
	g_source_set_callback(*source, G_SOURCE_FUNC(func), user_data, NULL);
	g_source_attach(*source, NULL);
	return socket;
}

static void
prov_tftp_it_relay_send(GSocket *socket, GSocketAddress *to, GBytes *datagram)
{
	g_socket_send_to(socket, to, g_bytes_get_data(datagram, NULL), g_bytes_get_size(datagram),
			 NULL, NULL);
}

/* @direction: 0 towards the server, 1 towards the client */
static void
prov_tftp_it_relay_forward(ProvTftpItRelay *self,
			   guint direction,
			   GSocket *socket,
			   GSocketAddress *to,
			   const gchar *data,
			   gsize len)
{
	g_autoptr(GBytes) datagram = g_bytes_new(data, len);
	gdouble draw = g_rand_double(self->rand);

	self->forwarded++;
	if (draw < self->loss) {
		self->dropped++;
		return;
	}
	if (draw < self->loss + self->reorder && self->held[direction] == NULL) {
		self->reordered++;
		self->held[direction] = g_steal_pointer(&datagram);
		self->held_socket[direction] = g_object_ref(socket);
		self->held_to[direction] = g_object_ref(to);
		return;
	}
	prov_tftp_it_relay_send(socket, to, datagram);
	if (draw < self->loss + self->reorder + self->duplicate) {
		self->duplicated++;
		prov_tftp_it_relay_send(socket, to, datagram);
	}
	if (self->held[direction] != NULL) {
		g_autoptr(GBytes) held = g_steal_pointer(&self->held[direction]);
		g_autoptr(GSocket) held_socket = g_steal_pointer(&self->held_socket[direction]);
		g_autoptr(GSocketAddress) held_to = g_steal_pointer(&self->held_to[direction]);

		prov_tftp_it_relay_send(held_socket, held_to, held);
	}
}

static gboolean
prov_tftp_it_relay_mirror_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpItMirror *mirror = user_data;
	ProvTftpItRelay *self = mirror->relay;
	gchar buffer[PROV_TFTP_DATAGRAM_MAX];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		gssize len =
		    g_socket_receive_from(socket, &from, buffer, sizeof(buffer), NULL, NULL);

		if (len < 0)
			return G_SOURCE_CONTINUE;
		prov_tftp_it_relay_forward(self, 0, self->back, mirror->tid, buffer, (gsize)len);
	}
}

static gboolean
prov_tftp_it_relay_front_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpItRelay *self = user_data;
	gchar buffer[PROV_TFTP_DATAGRAM_MAX];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		gssize len =
		    g_socket_receive_from(socket, &from, buffer, sizeof(buffer), NULL, NULL);

		if (len < 0)
			return G_SOURCE_CONTINUE;
		g_set_object(&self->client, from);
		prov_tftp_it_relay_forward(self, 0, self->back, self->server, buffer, (gsize)len);
	}
}

static void
prov_tftp_it_mirror_free(ProvTftpItMirror *mirror)
{
	g_source_destroy(mirror->source);
	g_source_unref(mirror->source);
	g_object_unref(mirror->socket);
	g_object_unref(mirror->tid);
	g_free(mirror);
}

static gboolean
prov_tftp_it_relay_back_cb(GSocket *socket, GIOCondition condition, gpointer user_data)
{
	ProvTftpItRelay *self = user_data;
	gchar buffer[PROV_TFTP_DATAGRAM_MAX];

	for (;;) {
		g_autoptr(GSocketAddress) from = NULL;
		gssize len =
		    g_socket_receive_from(socket, &from, buffer, sizeof(buffer), NULL, NULL);
		guint port;
		ProvTftpItMirror *mirror;

		if (len < 0)
			return G_SOURCE_CONTINUE;
		if (self->client == NULL)
			continue;
		port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(from));
		mirror = g_hash_table_lookup(self->mirrors, GUINT_TO_POINTER(port));
		if (mirror == NULL) {
			mirror = g_new0(ProvTftpItMirror, 1);
			mirror->relay = self;
			mirror->tid = g_object_ref(from);
			mirror->socket = prov_tftp_it_relay_socket(
			    &mirror->source, prov_tftp_it_relay_mirror_cb, mirror);
			g_hash_table_insert(self->mirrors, GUINT_TO_POINTER(port), mirror);
		}
		prov_tftp_it_relay_forward(self, 1, mirror->socket, self->client, buffer,
					   (gsize)len);
	}
}

static ProvTftpItRelay *
prov_tftp_it_relay_new(
    ProvTftpItServer *server, guint32 seed, gdouble loss, gdouble duplicate, gdouble reorder)
{
	ProvTftpItRelay *self = g_new0(ProvTftpItRelay, 1);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);

	self->rand = g_rand_new_with_seed(seed);
	self->loss = loss;
	self->duplicate = duplicate;
	self->reorder = reorder;
	self->server = g_inet_socket_address_new(loopback, server->port);
	self->mirrors =
	    g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)prov_tftp_it_mirror_free);
	self->front =
	    prov_tftp_it_relay_socket(&self->front_source, prov_tftp_it_relay_front_cb, self);
	self->back =
	    prov_tftp_it_relay_socket(&self->back_source, prov_tftp_it_relay_back_cb, self);
	return self;
}

static void
prov_tftp_it_relay_free(ProvTftpItRelay *self)
{
	g_hash_table_unref(self->mirrors);
	g_source_destroy(self->front_source);
	g_source_unref(self->front_source);
	g_source_destroy(self->back_source);
	g_source_unref(self->back_source);
	g_object_unref(self->front);
	g_object_unref(self->back);
	g_object_unref(self->server);
	g_clear_object(&self->client);
	for (guint i = 0; i < 2; i++) {
		g_clear_pointer(&self->held[i], g_bytes_unref);
		g_clear_object(&self->held_socket[i]);
		g_clear_object(&self->held_to[i]);
	}
	g_rand_free(self->rand);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvTftpItRelay, prov_tftp_it_relay_free)

static GBytes *
prov_tftp_it_fetch_relayed(ProvTftpItRelay *relay, guint window_size, GError **error)
{
	g_autoptr(ProvTftpTransport) transport = prov_tftp_it_transport_new(1428, window_size);
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GSocketAddress) front = g_socket_get_local_address(relay->front, NULL);
	g_autofree gchar *url =
	    g_strdup_printf("tftp://127.0.0.1:%u/profile-100k.bin",
			    g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(front)));
	ProvTftpItResult outcome = {0};

	prov_transport_fetch_url_async(PROV_TRANSPORT(transport), url, ctx, NULL,
				       prov_tftp_it_fetch_cb, &outcome);
	while (!outcome.done)
		g_main_context_iteration(NULL, TRUE);
	if (outcome.error != NULL)
		g_propagate_error(error, outcome.error);
	return outcome.bytes;
}

static void
prov_tftp_it_relay_report(ProvTftpItServer *server,
			  ProvTftpItRelay *relay,
			  const gchar *what,
			  gint64 elapsed,
			  const GError *error)
{
	g_test_message("%s, %s: %" G_GINT64_FORMAT " ms, %u datagrams, %u dropped, "
		       "%u duplicated, %u reordered: %s",
		       server->name, what, elapsed / 1000, relay->forwarded, relay->dropped,
		       relay->duplicated, relay->reordered,
		       error != NULL ? error->message : "complete");
}

/*
 * R14: 10% loss both ways (and duplicates): complete and correct within
 * 25 s. A lost DATA waits for the server's own timer (1 s for tftpd-hpa,
 * which never answers a repeated ACK); a lost ACK only for the client's.
 */
static void
prov_tftp_it_lossy(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(GBytes) expected = NULL;

	if (prov_tftp_it_skip(server))
		return;
	expected = prov_tftp_it_expected("profile-100k.bin");
	for (guint32 seed = 1; seed <= 2; seed++) {
		g_autoptr(ProvTftpItRelay) relay =
		    prov_tftp_it_relay_new(server, seed, 0.10, 0.05, 0.0);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = NULL;
		gint64 started = g_get_monotonic_time();
		gint64 elapsed;

		bytes = prov_tftp_it_fetch_relayed(relay, 0, &error);
		elapsed = g_get_monotonic_time() - started;
		prov_tftp_it_relay_report(server, relay, "10% loss", elapsed, error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(bytes, expected));
		g_assert_cmpint(elapsed, <=, 25 * G_USEC_PER_SEC);
	}
}

/* R13: reordering within a window, duplicates and some loss; tftpd-hpa keeps window 1 */
static void
prov_tftp_it_reordered(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpItRelay) relay = NULL;
	g_autoptr(GBytes) expected = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gint64 started;

	if (prov_tftp_it_skip(server))
		return;
	expected = prov_tftp_it_expected("profile-100k.bin");
	relay = prov_tftp_it_relay_new(server, 7, 0.02, 0.10, 0.15);
	started = g_get_monotonic_time();
	bytes = prov_tftp_it_fetch_relayed(relay, 8, &error);
	prov_tftp_it_relay_report(server, relay, "reordered, windowsize 8",
				  g_get_monotonic_time() - started, error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(bytes, expected));
	g_assert_cmpuint(relay->reordered, >, 0);
}

/* R14: at 20% loss a fetch completes or fails cleanly; it never returns other bytes */
static void
prov_tftp_it_very_lossy(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpItRelay) relay = NULL;
	g_autoptr(GBytes) expected = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gint64 started;

	if (prov_tftp_it_skip(server))
		return;
	expected = prov_tftp_it_expected("profile-100k.bin");
	relay = prov_tftp_it_relay_new(server, 20, 0.20, 0.0, 0.0);
	started = g_get_monotonic_time();
	bytes = prov_tftp_it_fetch_relayed(relay, 0, &error);
	prov_tftp_it_relay_report(server, relay, "20% loss", g_get_monotonic_time() - started,
				  error);
	if (bytes != NULL)
		g_assert_true(g_bytes_equal(bytes, expected));
	else
		g_assert_error(error, PROV_ERROR, PROV_ERROR_TIMED_OUT);
	/* the overall deadline (60 s) bounds it */
	g_assert_cmpint(g_get_monotonic_time() - started, <=, 61 * G_USEC_PER_SEC);
}

/* last: the server stopped, its port answers with ICMP and the fetch fails at once */
static void
prov_tftp_it_stopped(gconstpointer data)
{
	ProvTftpItServer *server = (ProvTftpItServer *)data;
	g_autoptr(ProvTftpTransport) transport = prov_tftp_transport_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	gint64 started;

	if (prov_tftp_it_skip(server))
		return;
	prov_tftp_it_stop(server);
	started = g_get_monotonic_time();
	bytes = prov_tftp_it_fetch(transport, server, "/basic.txt", &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_UNREACHABLE);
	g_assert_cmpint(g_get_monotonic_time() - started, <, G_USEC_PER_SEC);
}

static void
prov_tftp_it_add(ProvTftpItServer *server, const gchar *name, GTestDataFunc func)
{
	g_autofree gchar *path =
	    g_strdup_printf("/prov/tftp-integration/%s/%s", server->name, name);

	g_test_add_data_func(path, server, func);
}

static void
prov_tftp_it_make_root(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *parent = g_dir_make_tmp("prov-tftp-it-XXXXXX", &error);
	g_autofree gchar *upload = NULL;
	g_autoptr(GBytes) basic =
	    g_bytes_new_static(prov_tftp_it_basic_txt, strlen(prov_tftp_it_basic_txt));
	const gsize sizes[] = {0, 511, 512, 513};

	g_assert_no_error(error);
	/* the servers drop to nobody: the served tree must be theirs to read */
	g_assert_cmpint(g_chmod(parent, 0755), ==, 0);
	prov_tftp_it_root = g_build_filename(parent, "root", NULL);
	g_assert_cmpint(g_mkdir(prov_tftp_it_root, 0755), ==, 0);
	g_assert_cmpint(g_chmod(prov_tftp_it_root, 0755), ==, 0);
	upload = g_build_filename(prov_tftp_it_root, "upload", NULL);
	g_assert_cmpint(g_mkdir(upload, 0777), ==, 0);
	g_assert_cmpint(g_chmod(upload, 0777), ==, 0);
	prov_tftp_it_write("basic.txt", basic, 0644);
	for (guint i = 0; i < G_N_ELEMENTS(sizes); i++) {
		g_autofree gchar *name = g_strdup_printf("size-%zu.bin", sizes[i]);
		g_autoptr(GBytes) data = prov_tftp_it_pattern(sizes[i], i);

		prov_tftp_it_write(name, data, 0644);
	}
	{
		g_autoptr(GBytes) data = prov_tftp_it_pattern(100 * 1024, 100);

		prov_tftp_it_write("profile-100k.bin", data, 0644);
	}
	{
		g_autoptr(GBytes) data = prov_tftp_it_pattern(PROV_TFTP_IT_ROLLOVER_SIZE + 123, 40);

		prov_tftp_it_write("rollover-40m.bin", data, 0644);
	}
	prov_tftp_it_write("secret.cfg", basic, 0600);
}

static void
prov_tftp_it_remove_tree(const gchar *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const gchar *name;

		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);

			prov_tftp_it_remove_tree(child);
		}
		g_rmdir(path);
		return;
	}
	g_unlink(path);
}

int
main(int argc, char **argv)
{
	g_autofree gchar *parent = NULL;
	guint started = 0;
	gint status;

	g_test_init(&argc, &argv, NULL);
	signal(SIGABRT, prov_tftp_it_fatal_handler);
	signal(SIGTERM, prov_tftp_it_fatal_handler);
	signal(SIGINT, prov_tftp_it_fatal_handler);
	prov_tftp_it_make_root();
	for (guint i = 0; i < G_N_ELEMENTS(prov_tftp_it_servers); i++) {
		ProvTftpItServer *server = &prov_tftp_it_servers[i];

		if (prov_tftp_it_start(server))
			started++;
		else
			g_printerr("# %s skipped: %s\n", server->name, server->skip);
		prov_tftp_it_add(server, "basic", prov_tftp_it_basic);
		prov_tftp_it_add(server, "sizes", prov_tftp_it_sizes);
		prov_tftp_it_add(server, "profile", prov_tftp_it_profile);
		prov_tftp_it_add(server, "block-sizes", prov_tftp_it_block_sizes);
		prov_tftp_it_add(server, "window-sizes", prov_tftp_it_window_sizes);
		prov_tftp_it_add(server, "rollover", prov_tftp_it_rollover);
		prov_tftp_it_add(server, "not-found", prov_tftp_it_not_found);
		prov_tftp_it_add(server, "access-violation", prov_tftp_it_access_violation);
		prov_tftp_it_add(server, "upload", prov_tftp_it_upload);
		prov_tftp_it_add(server, "long-name", prov_tftp_it_long_name);
		prov_tftp_it_add(server, "lossy", prov_tftp_it_lossy);
		prov_tftp_it_add(server, "reordered", prov_tftp_it_reordered);
		prov_tftp_it_add(server, "very-lossy", prov_tftp_it_very_lossy);
		prov_tftp_it_add(server, "stopped", prov_tftp_it_stopped);
	}
	parent = g_path_get_dirname(prov_tftp_it_root);
	if (started == 0) {
		prov_tftp_it_remove_tree(parent);
		return 77;
	}
	status = g_test_run();
	for (guint i = 0; i < G_N_ELEMENTS(prov_tftp_it_servers); i++) {
		ProvTftpItServer *server = &prov_tftp_it_servers[i];

		prov_tftp_it_stop(server);
		if (status != 0 && server->log != NULL) {
			g_autofree gchar *log = NULL;

			if (g_file_get_contents(server->log, &log, NULL, NULL))
				g_printerr("# %s log:\n%s\n", server->name, log);
		}
		g_free(server->program);
		g_free(server->skip);
		g_free(server->log);
	}
	prov_tftp_it_remove_tree(parent);
	g_free(prov_tftp_it_root);
	return status;
}
