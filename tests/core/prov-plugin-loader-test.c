/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/* the plugins defined here are linked into the test, as single-binary images do */
#define PROV_PLUGIN_STATIC

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "prov-config.h"
#include "prov-decode-pipeline.h"
#include "prov-error.h"
#include "prov-plugin-loader.h"
#include "prov-test-log.h"
#include "prov-trigger-host.h"

/* a decoder for the static plugins: TRANSFER stage, "UP:" followed by text to upper-case */
#define PROV_TYPE_TEST_UPPER_DECODER (prov_test_upper_decoder_get_type())
G_DECLARE_FINAL_TYPE(
    ProvTestUpperDecoder, prov_test_upper_decoder, PROV, TEST_UPPER_DECODER, GObject)

struct _ProvTestUpperDecoder {
	GObject parent_instance;
};

static gboolean
prov_test_upper_decoder_probe(ProvDecoder *decoder, GBytes *data)
{
	return g_bytes_get_size(data) >= 3 && memcmp(g_bytes_get_data(data, NULL), "UP:", 3) == 0;
}

static GBytes *
prov_test_upper_decoder_decode(ProvDecoder *decoder,
			       GBytes *data,
			       ProvDecodeContext *ctx,
			       GError **error)
{
	gsize length = 0;
	const gchar *text = g_bytes_get_data(data, &length);
	gchar *upper = g_ascii_strup(text + 3, (gssize)length - 3);

	return g_bytes_new_take(upper, length - 3);
}

static void
prov_test_upper_decoder_iface_init(ProvDecoderInterface *iface)
{
	iface->probe = prov_test_upper_decoder_probe;
	iface->decode = prov_test_upper_decoder_decode;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestUpperDecoder,
			prov_test_upper_decoder,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_DECODER,
					      prov_test_upper_decoder_iface_init))

static void
prov_test_upper_decoder_class_init(ProvTestUpperDecoderClass *klass)
{
}

static void
prov_test_upper_decoder_init(ProvTestUpperDecoder *self)
{
}

static void
prov_test_upper_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "upper", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(upper, prov_test_upper_register)

static void
prov_test_late_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "late", PROV_DECODER_STAGE_COMPRESSION,
				PROV_TYPE_TEST_UPPER_DECODER);
	prov_plugin_add_decoder(plugin, "early", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(late, prov_test_late_register)

static void
prov_test_middle_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "middle", PROV_DECODER_STAGE_ENCRYPTION,
				PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(middle, prov_test_middle_register)

static void
prov_test_bad_scheme_register(ProvPlugin *plugin)
{
	prov_plugin_add_transport(plugin, "Bad Scheme", PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(bad_scheme, prov_test_bad_scheme_register)

static void
prov_test_twice_register(ProvPlugin *plugin)
{
	prov_plugin_add_decoder(plugin, "twice", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_TEST_UPPER_DECODER);
	prov_plugin_add_decoder(plugin, "twice", PROV_DECODER_STAGE_TRANSFER,
				PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(twice, prov_test_twice_register)

static void
prov_test_wrong_interface_register(ProvPlugin *plugin)
{
	/* a decoder type registered as a transport */
	prov_plugin_add_transport(plugin, "upper", PROV_TYPE_TEST_UPPER_DECODER);
}

PROV_PLUGIN_DEFINE(wrong_interface, prov_test_wrong_interface_register)

/* the engine side of a trigger, recording what it was asked */
#define PROV_TYPE_TEST_HOST (prov_test_host_get_type())
G_DECLARE_FINAL_TYPE(ProvTestHost, prov_test_host, PROV, TEST_HOST, GObject)

struct _ProvTestHost {
	GObject parent_instance;
	ProvConfig *config;
	GPtrArray *requests;
};

static gboolean
prov_test_host_request(ProvTriggerHost *host,
		       ProvTriggerAction action,
		       const gchar *argument,
		       const gchar *source,
		       GError **error)
{
	ProvTestHost *self = PROV_TEST_HOST(host);

	g_ptr_array_add(self->requests,
			g_strdup_printf("%s %s from %s", prov_trigger_action_to_string(action),
					argument, source));
	return TRUE;
}

static ProvConfig *
prov_test_host_get_config(ProvTriggerHost *host)
{
	return PROV_TEST_HOST(host)->config;
}

static void
prov_test_host_iface_init(ProvTriggerHostInterface *iface)
{
	iface->request = prov_test_host_request;
	iface->get_config = prov_test_host_get_config;
}

G_DEFINE_TYPE_WITH_CODE(ProvTestHost,
			prov_test_host,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(PROV_TYPE_TRIGGER_HOST, prov_test_host_iface_init))

static void
prov_test_host_finalize(GObject *object)
{
	ProvTestHost *self = PROV_TEST_HOST(object);

	g_object_unref(self->config);
	g_ptr_array_unref(self->requests);
	G_OBJECT_CLASS(prov_test_host_parent_class)->finalize(object);
}

static void
prov_test_host_class_init(ProvTestHostClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = prov_test_host_finalize;
}

static void
prov_test_host_init(ProvTestHost *self)
{
	self->config = prov_config_new();
	self->requests = g_ptr_array_new_with_free_func(g_free);
}

typedef struct {
	gchar *dir;
	ProvPluginLoader *loader;
} ProvLoaderFixture;

static gchar *
prov_loader_test_module(const gchar *name)
{
	g_autofree gchar *file = g_strdup_printf("libprov-test-%s.%s", name, G_MODULE_SUFFIX);

	return g_test_build_filename(G_TEST_BUILT, "loader", file, NULL);
}

/* links the named test module into the fixture's directory as @file */
static gchar *
prov_loader_fixture_link(ProvLoaderFixture *fixture, const gchar *name, const gchar *file)
{
	g_autofree gchar *target = prov_loader_test_module(name);
	gchar *link = g_build_filename(fixture->dir, file, NULL);

	g_assert_true(g_file_test(target, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpint(symlink(target, link), ==, 0);
	return link;
}

/* links the named test modules into the fixture's directory, as a plugin directory */
static gchar *
prov_loader_fixture_add(ProvLoaderFixture *fixture, const gchar *name)
{
	g_autofree gchar *file = g_strdup_printf("libprov-test-%s.%s", name, G_MODULE_SUFFIX);

	return prov_loader_fixture_link(fixture, name, file);
}

/* links the manifest meson generated for the named test module beside it */
static void
prov_loader_fixture_add_manifest(ProvLoaderFixture *fixture, const gchar *name)
{
	g_autofree gchar *file = g_strdup_printf("libprov-test-%s.plugin", name);
	g_autofree gchar *target = g_test_build_filename(G_TEST_BUILT, "loader", file, NULL);
	g_autofree gchar *link = g_build_filename(fixture->dir, file, NULL);

	g_assert_true(g_file_test(target, G_FILE_TEST_IS_REGULAR));
	g_assert_cmpint(symlink(target, link), ==, 0);
}

static gchar *
prov_loader_fixture_write(ProvLoaderFixture *fixture, const gchar *file, const gchar *contents)
{
	gchar *path = g_build_filename(fixture->dir, file, NULL);

	g_assert_true(g_file_set_contents(path, contents, -1, NULL));
	return path;
}

/* whether the process has the module's file mapped, by whichever link it was opened */
static gboolean
prov_loader_module_is_mapped(const gchar *path)
{
	g_autofree gchar *real = realpath(path, NULL);
	g_autofree gchar *maps = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_nonnull(real);
	g_assert_true(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
	lines = g_strsplit(maps, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_suffix(lines[i], real))
			return TRUE;
	}
	return FALSE;
}

static void
prov_loader_fixture_setup(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	fixture->dir = g_dir_make_tmp("prov-plugin-loader-XXXXXX", &error);
	g_assert_no_error(error);
	fixture->loader = prov_plugin_loader_new();
	g_unsetenv(PROV_PLUGIN_DIR_ENV);
}

static void
prov_loader_fixture_teardown(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GDir) dir = g_dir_open(fixture->dir, 0, NULL);
	const gchar *name;

	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fixture->dir, name, NULL);

		g_unlink(path);
	}
	g_rmdir(fixture->dir);
	g_free(fixture->dir);
	g_object_unref(fixture->loader);
	g_unsetenv(PROV_PLUGIN_DIR_ENV);
	prov_test_log_assert_empty();
}

static void
prov_loader_assert_refused(ProvPluginLoader *loader, const gchar *filename, const gchar *reason)
{
	GPtrArray *refused = prov_plugin_loader_get_refused(loader);
	g_autofree gchar *warning =
	    g_strdup_printf("ProvPluginLoader: plugin %s refused: %s*", filename, reason);

	for (guint i = 0; i < refused->len; i++) {
		ProvPlugin *plugin = g_ptr_array_index(refused, i);

		if (g_strcmp0(prov_plugin_get_filename(plugin), filename) != 0)
			continue;
		g_test_message("refused %s: %s", filename, prov_plugin_get_refusal(plugin));
		g_assert_true(g_str_has_prefix(prov_plugin_get_refusal(plugin), reason));
		/* the operator sees the file and the reason in the log */
		g_assert_true(prov_test_log_take(warning));
		return;
	}
	g_error("%s was not refused", filename);
}

static void
prov_loader_assert_good_works(ProvPluginLoader *loader)
{
	GPtrArray *plugins = prov_plugin_loader_get_plugins(loader);
	ProvPlugin *good = prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_TRANSPORT, "test");
	const gchar *const *schemes;

	g_assert_nonnull(good);
	g_assert_true(g_ptr_array_find(plugins, good, NULL));
	g_assert_cmpstr(prov_plugin_get_name(good), ==, "good");
	g_assert_cmpstr(prov_plugin_get_version(good), ==, PACKAGE_VERSION);
	g_assert_null(prov_plugin_get_refusal(good));
	schemes = prov_plugin_get_names(good, PROV_PLUGIN_KIND_TRANSPORT);
	g_assert_cmpstrv(schemes, ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_get_names(good, PROV_PLUGIN_KIND_TRIGGER),
			 ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_get_names(good, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){NULL}));
	/* RFC 3986 3.1: schemes compare without case */
	g_assert_true(prov_plugin_loader_lookup(loader, PROV_PLUGIN_KIND_TRANSPORT, "TEST") ==
		      good);
	g_assert_true(prov_plugin_loader_lookup_type(loader, PROV_PLUGIN_KIND_TRANSPORT, "Test") !=
		      G_TYPE_INVALID);
}

static void
prov_loader_fetch_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	GAsyncResult **out = user_data;

	*out = g_object_ref(result);
}

static GBytes *
prov_loader_fetch(ProvTransport *transport, const gchar *url, GError **error)
{
	g_autoptr(ProvFetchContext) ctx = prov_fetch_context_new();
	g_autoptr(GAsyncResult) result = NULL;

	prov_transport_fetch_url_async(transport, url, ctx, NULL, prov_loader_fetch_cb, &result);
	while (result == NULL)
		g_main_context_iteration(NULL, TRUE);
	return prov_transport_fetch_finish(transport, result, error);
}

/* user_data: whether the module has its manifest beside it */
static void
prov_loader_test_good(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	gboolean lazy = GPOINTER_TO_INT(user_data);
	g_autofree gchar *path = prov_loader_fixture_add(fixture, "good");
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(ProvTrigger) trigger = NULL;
	g_autoptr(ProvTestHost) host = g_object_new(PROV_TYPE_TEST_HOST, NULL);
	g_autoptr(GBytes) bytes = NULL;
	ProvPlugin *good;

	if (lazy)
		prov_loader_fixture_add_manifest(fixture, "good");
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	good = g_ptr_array_index(prov_plugin_loader_get_plugins(fixture->loader), 0);
	/* a module without a manifest is opened as its directory is scanned */
	g_assert_cmpint(prov_plugin_is_loaded(good), ==, !lazy);
	prov_loader_assert_good_works(fixture->loader);
	/* lookup_type() is a first use */
	g_assert_true(prov_plugin_is_loaded(good));
	g_assert_cmpstr(prov_plugin_get_filename(good), ==, path);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 0);
	g_assert_cmpstrv(prov_plugin_loader_get_directories(fixture->loader),
			 ((const gchar *[]){fixture->dir, NULL}));
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT),
			 ((const gchar *[]){"test", NULL}));

	/* the module's transport works through the interface */
	transport = prov_plugin_loader_create_transport(fixture->loader, "test", &error);
	g_assert_no_error(error);
	bytes = prov_loader_fetch(transport, "test:///hello.xml", &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			"<flat-profile><GPP_A>/hello.xml</GPP_A></flat-profile>", 54);
	g_clear_pointer(&bytes, g_bytes_unref);
	bytes = prov_loader_fetch(transport, "no scheme at all", &error);
	g_assert_null(bytes);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(prov_transport_can_upload(transport));

	/* and its trigger reaches the engine side */
	trigger = prov_plugin_loader_create_trigger(fixture->loader, "test", &error);
	g_assert_no_error(error);
	g_assert_true(prov_trigger_start(trigger, PROV_TRIGGER_HOST(host), &error));
	g_assert_no_error(error);
	prov_trigger_stop(trigger);
	g_assert_cmpuint(host->requests->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(host->requests, 0), ==,
			"resync test:///started from loopback");

	/* nothing provides what was not registered */
	g_assert_null(prov_plugin_loader_create_transport(fixture->loader, "tftp", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
	g_assert_cmpstr(error->message, ==, "no plugin provides the scheme tftp");
	g_clear_error(&error);
	g_assert_null(prov_plugin_loader_create_decoder(fixture->loader, "gzip", &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);

	/* a file loads once, however often it is named */
	g_assert_true(prov_plugin_loader_load_file(fixture->loader, path, NULL));
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, NULL));
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 1);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 0);
}

/* a test case run in a process of its own, where no module was opened before */
static gboolean
prov_loader_run_in_subprocess(void)
{
	if (g_test_subprocess())
		return FALSE;
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_test_trap_assert_passed();
	return TRUE;
}

static void
prov_loader_test_lazy(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *good = NULL;
	g_autofree gchar *decoders = NULL;
	g_autofree gchar *wrong_api = NULL;
	g_autofree gchar *future = NULL;
	g_autofree gchar *copy = NULL;
	g_autofree gchar *reason = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvTransport) transport = NULL;
	g_autoptr(ProvTrigger) trigger = NULL;
	g_autoptr(GBytes) bytes = NULL;
	GPtrArray *plugins;
	ProvPlugin *plugin;
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;

	if (prov_loader_run_in_subprocess())
		return;
	good = prov_loader_fixture_add(fixture, "good");
	prov_loader_fixture_add_manifest(fixture, "good");
	/* no manifest: opened as the directory is scanned */
	decoders = prov_loader_fixture_add(fixture, "decoders");
	/* a manifest for a future API is not read past its version, and its module not opened */
	wrong_api = prov_loader_fixture_add(fixture, "wrong-api");
	future = prov_loader_fixture_write(fixture, "libprov-test-wrong-api.plugin",
					   "[Plugin]\nModule=libprov-test-wrong-api.so\n"
					   "APIVersion=2\nName=Not Read\nStages=new\n");
	/* a second manifest of the same module is refused, in name order */
	copy = prov_loader_fixture_write(fixture, "libprov-test-other.plugin",
					 "[Plugin]\nModule=libprov-test-good.so\nAPIVersion=1\n"
					 "Name=other\nVersion=1\nTransports=other\n");

	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	plugins = prov_plugin_loader_get_plugins(fixture->loader);
	g_assert_cmpuint(plugins->len, ==, 2);
	g_assert_true(prov_plugin_is_loaded(g_ptr_array_index(plugins, 0)));
	g_assert_true(prov_loader_module_is_mapped(decoders));

	/* listing and lookup answer from the manifest, and leave the module closed */
	plugin = prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "TEST");
	g_assert_true(plugin == g_ptr_array_index(plugins, 1));
	g_assert_cmpstr(prov_plugin_get_name(plugin), ==, "good");
	g_assert_cmpstr(prov_plugin_get_version(plugin), ==, PACKAGE_VERSION);
	g_assert_cmpstr(prov_plugin_get_filename(plugin), ==, good);
	g_assert_null(prov_plugin_get_refusal(plugin));
	g_assert_cmpstrv(prov_plugin_get_names(plugin, PROV_PLUGIN_KIND_TRANSPORT),
			 ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_get_names(plugin, PROV_PLUGIN_KIND_TRIGGER),
			 ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT),
			 ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_TRIGGER),
			 ((const gchar *[]){"test", NULL}));
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){"lazy-early", "lazy-late", NULL}));
	g_assert_false(prov_plugin_get_decoder_stage(plugin, "test", &stage));
	g_assert_cmpuint(prov_plugin_lookup(plugin, PROV_PLUGIN_KIND_TRANSPORT, "test"), ==,
			 G_TYPE_INVALID);
	g_assert_false(prov_plugin_is_loaded(plugin));
	g_assert_false(prov_loader_module_is_mapped(good));

	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 2);
	reason = g_strdup_printf("its manifest %s declares plugin API version 2, this is version 1",
				 future);
	prov_loader_assert_refused(fixture->loader, wrong_api, reason);
	g_assert_false(prov_loader_module_is_mapped(wrong_api));
	g_clear_pointer(&reason, g_free);
	reason = g_strdup_printf("its module libprov-test-good.so is already described by %s/"
				 "libprov-test-good.plugin",
				 fixture->dir);
	prov_loader_assert_refused(fixture->loader, copy, reason);
	g_assert_null(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "other"));

	/* the first use opens it, and the module works */
	transport = prov_plugin_loader_create_transport(fixture->loader, "Test", &error);
	g_assert_no_error(error);
	g_assert_true(prov_plugin_is_loaded(plugin));
	g_assert_true(prov_loader_module_is_mapped(good));
	g_assert_cmpstr(G_OBJECT_TYPE_NAME(transport), ==, "ProvTestGoodTransport");
	g_assert_cmpstr(g_type_name(prov_plugin_lookup(plugin, PROV_PLUGIN_KIND_TRIGGER, "test")),
			==, "ProvTestGoodTrigger");
	bytes = prov_loader_fetch(transport, "test:///lazy.xml", &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes),
			"<flat-profile><GPP_A>/lazy.xml</GPP_A></flat-profile>", 53);
	trigger = prov_plugin_loader_create_trigger(fixture->loader, "test", &error);
	g_assert_no_error(error);
	g_assert_true(prov_plugin_loader_get_plugins(fixture->loader) == plugins);
	g_assert_cmpuint(plugins->len, ==, 2);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 2);

	/* nothing is read or refused twice */
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, NULL));
	g_assert_cmpuint(plugins->len, ==, 2);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 2);
}

static void
prov_loader_test_lazy_decoders(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *decoders = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvDecodePipeline) pipeline = NULL;
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) input = g_bytes_new_static("LAZY:<a/>", 9);
	g_autoptr(GBytes) output = NULL;
	ProvPlugin *plugin;
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;

	if (prov_loader_run_in_subprocess())
		return;
	decoders = prov_loader_fixture_add(fixture, "decoders");
	prov_loader_fixture_add_manifest(fixture, "decoders");
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	g_assert_true(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(upper), &error));
	g_assert_true(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(middle), &error));
	g_assert_no_error(error);

	/* the manifest's stages order the list as the module's would, before it is opened */
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){"lazy-early", "upper", "middle", "lazy-late", NULL}));
	plugin = prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_DECODER, "lazy-late");
	g_assert_cmpstr(prov_plugin_get_name(plugin), ==, "decoders");
	g_assert_true(prov_plugin_get_decoder_stage(plugin, "lazy-late", &stage));
	g_assert_cmpint(stage, ==, PROV_DECODER_STAGE_COMPRESSION);
	g_assert_cmpstrv(prov_plugin_get_names(plugin, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){"lazy-late", "lazy-early", NULL}));
	g_assert_false(prov_plugin_is_loaded(plugin));
	g_assert_false(prov_loader_module_is_mapped(decoders));
	/* static plugins are part of the program */
	g_assert_true(prov_plugin_is_loaded(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_DECODER, "upper")));

	/* the pipeline tries every decoder: it opens them all */
	pipeline = prov_decode_pipeline_new_from_loader(fixture->loader);
	g_assert_true(prov_plugin_is_loaded(plugin));
	g_assert_true(prov_loader_module_is_mapped(decoders));
	output = prov_decode_pipeline_decode(pipeline, input, ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), "<a/>", 4);
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx),
			 ((const gchar *[]){"lazy-early", NULL}));
	g_assert_cmpstr(g_type_name(prov_plugin_loader_lookup_type(
			    fixture->loader, PROV_PLUGIN_KIND_DECODER, "lazy-late")),
			==, "ProvTestLazyDecoder");
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 0);
}

static GObject *
prov_loader_create(ProvPluginLoader *loader, ProvPluginKind kind, const gchar *name, GError **error)
{
	switch (kind) {
	case PROV_PLUGIN_KIND_TRANSPORT:
		return G_OBJECT(prov_plugin_loader_create_transport(loader, name, error));
	case PROV_PLUGIN_KIND_DECODER:
		return G_OBJECT(prov_plugin_loader_create_decoder(loader, name, error));
	default:
		return G_OBJECT(prov_plugin_loader_create_trigger(loader, name, error));
	}
}

#define PROV_LOADER_MANIFEST_HEAD "[Plugin]\nModule=libprov-test-case.so\nAPIVersion=1\n"

static void
prov_loader_test_manifest_mismatch(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	const struct {
		const gchar *module;
		const gchar *manifest;
		ProvPluginKind kind;
		/* what to create first, or NULL to open all of the kind */
		const gchar *name;
		const gchar *reason;
	} cases[] = {
	    {"good", "Name=renamed\nVersion=" PACKAGE_VERSION "\nTransports=test\nTriggers=test\n",
	     PROV_PLUGIN_KIND_TRANSPORT, "test",
	     "its manifest libprov-test-case.plugin names plugin renamed, the module good"},
	    {"good", "Name=good\nVersion=9.9\nTransports=test\nTriggers=test\n",
	     PROV_PLUGIN_KIND_TRIGGER, "test",
	     "its manifest libprov-test-case.plugin says version 9.9, the module " PACKAGE_VERSION},
	    {"good", "Name=good\nVersion=" PACKAGE_VERSION "\nTransports=test\n",
	     PROV_PLUGIN_KIND_TRANSPORT, "test",
	     "its manifest libprov-test-case.plugin declares no triggers, the module registers "
	     "triggers test"},
	    {"good", "Name=good\nVersion=" PACKAGE_VERSION "\nTransports=other\nTriggers=test\n",
	     PROV_PLUGIN_KIND_TRANSPORT, "other",
	     "its manifest libprov-test-case.plugin declares transports other, the module "
	     "registers transports test"},
	    {"good",
	     "Name=good\nVersion=" PACKAGE_VERSION "\nTransports=test\nTriggers=test;more\n",
	     PROV_PLUGIN_KIND_TRIGGER, "more",
	     "its manifest libprov-test-case.plugin declares triggers test, more, the module "
	     "registers triggers test"},
	    {"decoders",
	     "Name=decoders\nVersion=" PACKAGE_VERSION
	     "\nDecoders=lazy-late:transfer;lazy-early:transfer\n",
	     PROV_PLUGIN_KIND_DECODER, NULL,
	     "its manifest libprov-test-case.plugin declares decoders lazy-late (transfer), "
	     "lazy-early (transfer), the module registers decoders lazy-late (compression), "
	     "lazy-early (transfer)"},
	    {"decoders",
	     "Name=decoders\nVersion=" PACKAGE_VERSION
	     "\nDecoders=lazy-early:transfer;lazy-late:compression\n",
	     PROV_PLUGIN_KIND_DECODER, "lazy-late",
	     "its manifest libprov-test-case.plugin declares decoders lazy-early (transfer), "
	     "lazy-late (compression), the module registers decoders lazy-late (compression), "
	     "lazy-early (transfer)"},
	    /* the manifest cannot vouch for the module's API version */
	    {"wrong-api", "Name=wrong-api\nVersion=9.9\nTransports=future\n",
	     PROV_PLUGIN_KIND_TRANSPORT, "future",
	     "built for plugin API version 2, this is version 1"},
	    {"failing", "Name=failing\nVersion=" PACKAGE_VERSION "\nTransports=failing\n",
	     PROV_PLUGIN_KIND_TRANSPORT, "failing",
	     "register function failed: the test library is missing"},
	    {"bad-type", "Name=bad_type\nVersion=" PACKAGE_VERSION "\nTransports=bad\n",
	     PROV_PLUGIN_KIND_TRANSPORT, NULL,
	     "register function failed: transport bad: type GObject is not an instantiable "
	     "ProvTransport"},
	    {"not-plugin", "Name=not-plugin\nVersion=1\nDecoders=none:transfer\n",
	     PROV_PLUGIN_KIND_DECODER, "none",
	     "not a provisiond plugin (no prov_plugin_descriptor symbol)"},
	    {"unresolved", "Name=unresolved\nVersion=1\nTriggers=unresolved\n",
	     PROV_PLUGIN_KIND_TRIGGER, NULL, "it cannot be opened: "},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
		g_autofree gchar *module = NULL;
		g_autofree gchar *contents =
		    g_strconcat(PROV_LOADER_MANIFEST_HEAD, cases[i].manifest, NULL);
		g_autofree gchar *manifest = NULL;
		g_autofree gchar *first = NULL;
		g_autofree gchar *message = NULL;
		g_autoptr(GObject) object = NULL;
		g_autoptr(GError) error = NULL;
		const gchar *const *names;
		ProvPlugin *plugin;

		g_test_message("case %u: %s", i, cases[i].reason);
		module = prov_loader_fixture_link(fixture, cases[i].module, "libprov-test-case.so");
		manifest = prov_loader_fixture_write(fixture, "libprov-test-case.plugin", contents);
		g_assert_true(prov_plugin_loader_load_directory(loader, fixture->dir, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(prov_plugin_loader_get_plugins(loader)->len, ==, 1);
		g_assert_cmpuint(prov_plugin_loader_get_refused(loader)->len, ==, 0);
		plugin = g_ptr_array_index(prov_plugin_loader_get_plugins(loader), 0);
		g_assert_false(prov_plugin_is_loaded(plugin));
		names = prov_plugin_loader_get_names(loader, cases[i].kind);
		first = g_strdup(names[0]);
		g_assert_nonnull(first);

		if (cases[i].name != NULL) {
			/* the lookup that needed the module fails, saying why */
			object = prov_loader_create(loader, cases[i].kind, cases[i].name, &error);
			g_assert_null(object);
			g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
			message = g_strdup_printf("plugin %s refused: %s", module, cases[i].reason);
			g_assert_true(g_str_has_prefix(error->message, message));
			g_clear_error(&error);
		} else {
			prov_plugin_loader_load_all(loader, cases[i].kind);
		}
		prov_loader_assert_refused(loader, module, cases[i].reason);
		g_assert_true(g_ptr_array_index(prov_plugin_loader_get_refused(loader), 0) ==
			      plugin);
		g_assert_false(prov_plugin_is_loaded(plugin));
		g_assert_cmpuint(prov_plugin_loader_get_plugins(loader)->len, ==, 0);
		for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++) {
			g_assert_null(prov_plugin_loader_get_names(loader, kind)[0]);
			g_assert_null(prov_plugin_get_names(plugin, kind)[0]);
		}
		/* a caller going through the list it had can finish */
		g_assert_cmpstr(names[0], ==, first);
		g_assert_null(prov_plugin_loader_lookup(loader, cases[i].kind, first));
		g_assert_cmpuint(prov_plugin_loader_lookup_type(loader, cases[i].kind, first), ==,
				 G_TYPE_INVALID);
		object = prov_loader_create(loader, cases[i].kind, first, &error);
		g_assert_null(object);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
		g_assert_true(g_str_has_prefix(error->message, "no plugin provides the "));
		g_clear_error(&error);
		g_assert_cmpint(g_unlink(module), ==, 0);
		g_assert_cmpint(g_unlink(manifest), ==, 0);
		/*
		 * the dynamic linker hands out a module opened before for the same path, and
		 * a refused one may stay resident: the next case's module goes elsewhere
		 */
		g_assert_cmpint(g_rmdir(fixture->dir), ==, 0);
		g_free(fixture->dir);
		fixture->dir = g_dir_make_tmp("prov-plugin-loader-XXXXXX", &error);
		g_assert_no_error(error);
	}
}

#define PROV_LOADER_MANIFEST_GOOD "[Plugin]\nModule=libprov-test-good.so\nAPIVersion=1\n"

static void
prov_loader_test_malformed_manifest(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	const struct {
		const gchar *file;
		const gchar *contents;
		const gchar *reason;
	} cases[] = {
	    {"libprov-test-missing.plugin",
	     "[Plugin]\nModule=libprov-test-missing.so\nAPIVersion=1\nName=missing\nVersion=1\n"
	     "Transports=missing\n",
	     "its module libprov-test-missing.so is missing"},
	    {"libprov-test-text.plugin", "this is not a key file\n", "malformed manifest: "},
	    {"libprov-test-group.plugin", "[Module]\nName=good\n", "malformed manifest: "},
	    {"libprov-test-no-module.plugin",
	     "[Plugin]\nAPIVersion=1\nName=good\nVersion=1\nTransports=test\n",
	     "malformed manifest: "},
	    {"libprov-test-path.plugin", "[Plugin]\nModule=../libprov-test-good.so\nAPIVersion=1\n",
	     "malformed manifest: Module=../libprov-test-good.so is not a *.so file name"},
	    {"libprov-test-api.plugin", PROV_LOADER_MANIFEST_GOOD "APIVersion=one\n",
	     "malformed manifest: APIVersion=one is not a version number"},
	    {"libprov-test-name.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=Bad Name\nVersion=1\nTransports=test\n",
	     "malformed manifest: Name=Bad Name is not a valid plugin name"},
	    {"libprov-test-version.plugin", PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=\n",
	     "malformed manifest: Version is empty"},
	    {"libprov-test-scheme.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=1\nTransports=Bad Scheme\n",
	     "malformed manifest: Transports: transport name \"Bad Scheme\" is not valid"},
	    {"libprov-test-stage.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=1\nDecoders=gzip\n",
	     "malformed manifest: Decoders: decoder gzip has no stage"},
	    {"libprov-test-stage-name.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=1\nDecoders=gzip:later\n",
	     "malformed manifest: Decoders: decoder gzip:later has no stage"},
	    {"libprov-test-twice.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=1\nTriggers=test;test\n",
	     "malformed manifest: Triggers: trigger test declared twice"},
	    {"libprov-test-nothing.plugin",
	     PROV_LOADER_MANIFEST_GOOD "Name=good\nVersion=1\nTransports=\nDecoders= ; \n",
	     "malformed manifest: it declares no transport, decoder or trigger"},
	};
	g_autofree gchar *good = prov_loader_fixture_add(fixture, "good");
	g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GError) error = NULL;
	ProvPlugin *plugin;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_ptr_array_add(
		    paths, prov_loader_fixture_write(fixture, cases[i].file, cases[i].contents));

	/* each is reported and ignored: the module they name is opened as one without */
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==,
			 G_N_ELEMENTS(cases));
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		prov_loader_assert_refused(fixture->loader, g_ptr_array_index(paths, i),
					   cases[i].reason);
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 1);
	plugin = g_ptr_array_index(prov_plugin_loader_get_plugins(fixture->loader), 0);
	g_assert_cmpstr(prov_plugin_get_filename(plugin), ==, good);
	g_assert_true(prov_plugin_is_loaded(plugin));
	prov_loader_assert_good_works(fixture->loader);
	g_assert_null(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "missing"));

	/* a directory scanned again reports nothing twice */
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, NULL));
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==,
			 G_N_ELEMENTS(cases));
}

static void
prov_loader_test_refused(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	const struct {
		const gchar *module;
		const gchar *reason;
	} cases[] = {
	    {"wrong-api", "built for plugin API version 2, this is version 1"},
	    {"failing", "register function failed: the test library is missing"},
	    {"empty", "register function failed: the register function registered nothing"},
	    {"bad-type", "register function failed: transport bad: type GObject is not an "
			 "instantiable ProvTransport"},
	    {"not-plugin", "not a provisiond plugin (no prov_plugin_descriptor symbol)"},
	    {"unresolved", "it cannot be opened: "},
	};
	g_autofree gchar *good = prov_loader_fixture_add(fixture, "good");
	g_autofree gchar *garbage = g_build_filename(fixture->dir, "libgarbage.so", NULL);
	g_autofree gchar *ignored = g_build_filename(fixture->dir, "README", NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *refused;

	g_assert_nonnull(good);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++)
		g_free(prov_loader_fixture_add(fixture, cases[i].module));
	g_assert_true(g_file_set_contents(garbage, "this is not an ELF file", -1, NULL));
	g_assert_true(g_file_set_contents(ignored, "not a module", -1, NULL));

	/* every refusal is reported, and the good plugin still loads */
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	prov_loader_assert_good_works(fixture->loader);
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 1);
	refused = prov_plugin_loader_get_refused(fixture->loader);
	g_assert_cmpuint(refused->len, ==, G_N_ELEMENTS(cases) + 1);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree gchar *path = NULL;
		g_autofree gchar *file =
		    g_strdup_printf("libprov-test-%s.%s", cases[i].module, G_MODULE_SUFFIX);

		path = g_build_filename(fixture->dir, file, NULL);
		prov_loader_assert_refused(fixture->loader, path, cases[i].reason);
	}
	prov_loader_assert_refused(fixture->loader, garbage, "it cannot be opened: ");
	/* what failed to register left nothing in the registry */
	g_assert_null(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "failing"));
	g_assert_null(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "bad"));
	for (guint i = 0; i < refused->len; i++) {
		ProvPlugin *plugin = g_ptr_array_index(refused, i);

		for (guint kind = 0; kind < PROV_PLUGIN_KIND_LAST; kind++)
			g_assert_null(prov_plugin_get_names(plugin, kind)[0]);
	}

	/* load_file() says the same as the log */
	{
		g_autoptr(ProvPluginLoader) loader = prov_plugin_loader_new();
		g_autofree gchar *path = prov_loader_test_module("not-plugin");

		g_assert_false(prov_plugin_loader_load_file(loader, path, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
		g_assert_true(g_str_has_prefix(error->message, "plugin "));
		g_assert_nonnull(strstr(error->message, "not a provisiond plugin"));
		g_assert_true(prov_test_log_take("*libprov-test-not-plugin.so refused*"));
	}
}

static void
prov_loader_test_duplicate_scheme(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *good = prov_loader_test_module("good");
	g_autofree gchar *duplicate = prov_loader_test_module("duplicate");
	g_autofree gchar *same_name = prov_loader_test_module("same-name");
	g_autofree gchar *reason = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_plugin_loader_load_file(fixture->loader, good, &error));
	g_assert_no_error(error);
	g_assert_false(prov_plugin_loader_load_file(fixture->loader, duplicate, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
	g_clear_error(&error);
	reason = g_strdup_printf("scheme test is already provided by plugin good (%s)", good);
	prov_loader_assert_refused(fixture->loader, duplicate, reason);
	/* the refused plugin's other scheme is not half-registered */
	g_assert_null(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "other"));
	prov_loader_assert_good_works(fixture->loader);

	/* a second module with the same plugin name never runs its register function */
	g_assert_false(prov_plugin_loader_load_file(fixture->loader, same_name, NULL));
	g_clear_pointer(&reason, g_free);
	reason = g_strdup_printf("a plugin named good is already loaded from %s", good);
	prov_loader_assert_refused(fixture->loader, same_name, reason);
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 1);
}

/* user_data: whether the modules have their manifests beside them */
static void
prov_loader_test_duplicate_order(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	gboolean lazy = GPOINTER_TO_INT(user_data);
	g_autofree gchar *good = prov_loader_fixture_add(fixture, "good");
	g_autofree gchar *duplicate = prov_loader_fixture_add(fixture, "duplicate");
	ProvPlugin *plugin;

	g_assert_nonnull(good);
	g_assert_nonnull(duplicate);
	if (lazy) {
		prov_loader_fixture_add_manifest(fixture, "good");
		prov_loader_fixture_add_manifest(fixture, "duplicate");
	}
	/* a directory loads in name order, so the same module wins a conflict every time */
	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, NULL));
	plugin = prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "test");
	g_assert_cmpstr(prov_plugin_get_name(plugin), ==, "duplicate");
	/* with manifests, the conflict is found before either module is opened */
	g_assert_cmpint(prov_plugin_is_loaded(plugin), ==, !lazy);
	g_assert_nonnull(
	    prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_TRANSPORT, "other"));
	prov_loader_assert_refused(fixture->loader, good, "scheme test is already provided by");
}

static void
prov_loader_test_empty_directory(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;

	g_assert_true(prov_plugin_loader_load_directory(fixture->loader, fixture->dir, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 0);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 0);
	g_assert_null(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_DECODER)[0]);
}

static void
prov_loader_test_missing_directory(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autofree gchar *missing = g_build_filename(fixture->dir, "missing", NULL);
	g_autofree gchar *list = NULL;
	g_autofree gchar *good = prov_loader_fixture_add(fixture, "good");
	g_autoptr(GError) error = NULL;

	g_assert_nonnull(good);
	g_assert_false(prov_plugin_loader_load_directory(fixture->loader, missing, &error));
	g_assert_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_assert_true(g_str_has_prefix(error->message, "plugin directory: "));
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 0);

	/* in a list, a missing directory is a warning and the others still load */
	list = g_strdup_printf("%s:%s", missing, fixture->dir);
	g_setenv(PROV_PLUGIN_DIR_ENV, list, TRUE);
	prov_plugin_loader_load_default(fixture->loader, NULL);
	g_assert_true(prov_test_log_take("ProvPluginLoader: plugin directory: *missing*"));
	prov_loader_assert_good_works(fixture->loader);
}

static void
prov_loader_test_default_directories(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autoptr(ProvConfig) config = prov_config_new();
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) dirs = NULL;

	dirs = prov_plugin_loader_get_default_directories(NULL);
	g_assert_cmpstrv(dirs, ((const gchar *[]){PROV_PLUGINDIR, NULL}));
	g_clear_pointer(&dirs, g_strfreev);

	g_assert_true(
	    prov_config_load_data(config, "[daemon]\nPluginDirectory=/opt/a:/opt/b\n", -1, &error));
	g_assert_no_error(error);
	dirs = prov_plugin_loader_get_default_directories(config);
	g_assert_cmpstrv(dirs, ((const gchar *[]){"/opt/a", "/opt/b", NULL}));
	g_clear_pointer(&dirs, g_strfreev);

	/* PROV_PLUGIN_DIR wins over the config; empty parts are skipped */
	g_setenv(PROV_PLUGIN_DIR_ENV, "/build/gzip::/build/aes: ", TRUE);
	dirs = prov_plugin_loader_get_default_directories(config);
	g_assert_cmpstrv(dirs, ((const gchar *[]){"/build/gzip", "/build/aes", NULL}));
	g_clear_pointer(&dirs, g_strfreev);

	/* an empty PROV_PLUGIN_DIR is as good as none */
	g_setenv(PROV_PLUGIN_DIR_ENV, "", TRUE);
	dirs = prov_plugin_loader_get_default_directories(config);
	g_assert_cmpstrv(dirs, ((const gchar *[]){"/opt/a", "/opt/b", NULL}));
}

static void
prov_loader_test_static(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvDecodePipeline) pipeline = NULL;
	g_autoptr(ProvDecodeContext) ctx = prov_decode_context_new();
	g_autoptr(GBytes) input = g_bytes_new_static("UP:<a/>", 7);
	g_autoptr(GBytes) output = NULL;
	ProvPlugin *plugin;
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;

	g_assert_true(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(late), &error));
	g_assert_no_error(error);
	g_assert_true(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(upper), &error));
	g_assert_true(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(middle), &error));
	plugin = prov_plugin_loader_lookup(fixture->loader, PROV_PLUGIN_KIND_DECODER, "upper");
	g_assert_cmpstr(prov_plugin_get_name(plugin), ==, "upper");
	g_assert_null(prov_plugin_get_filename(plugin));
	g_assert_true(prov_plugin_get_decoder_stage(plugin, "upper", &stage));
	g_assert_cmpint(stage, ==, PROV_DECODER_STAGE_TRANSFER);

	/* decoders by stage, then in load order */
	g_assert_cmpstrv(prov_plugin_loader_get_names(fixture->loader, PROV_PLUGIN_KIND_DECODER),
			 ((const gchar *[]){"early", "upper", "middle", "late", NULL}));

	pipeline = prov_decode_pipeline_new_from_loader(fixture->loader);
	output = prov_decode_pipeline_decode(pipeline, input, ctx, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(output, NULL), g_bytes_get_size(output), "<A/>", 4);
	/* the first decoder of the stage that probes the data wins */
	g_assert_cmpstrv(prov_decode_context_get_formats(ctx), ((const gchar *[]){"early", NULL}));

	/* a plugin linked in twice is refused like a module */
	g_assert_false(
	    prov_plugin_loader_add_static(fixture->loader, PROV_PLUGIN_DESCRIPTOR(upper), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
	g_assert_true(prov_test_log_take(
	    "ProvPluginLoader: plugin upper refused: a plugin named upper is already loaded from "
	    "the program itself"));
}

static void
prov_loader_test_register_errors(ProvLoaderFixture *fixture, gconstpointer user_data)
{
	const struct {
		const ProvPluginDescriptor *descriptor;
		const gchar *message;
	} cases[] = {
	    {PROV_PLUGIN_DESCRIPTOR(bad_scheme), "transport name \"Bad Scheme\" is not valid"},
	    {PROV_PLUGIN_DESCRIPTOR(twice), "decoder twice registered twice"},
	    {PROV_PLUGIN_DESCRIPTOR(wrong_interface),
	     "transport upper: type ProvTestUpperDecoder is not an instantiable ProvTransport"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *pattern =
		    g_strdup_printf("*refused: register function failed: %s", cases[i].message);

		g_assert_false(
		    prov_plugin_loader_add_static(fixture->loader, cases[i].descriptor, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_FAILED);
		g_test_message("%s", error->message);
		g_assert_nonnull(strstr(error->message, cases[i].message));
		g_assert_true(prov_test_log_take(pattern));
	}
	g_assert_cmpuint(prov_plugin_loader_get_plugins(fixture->loader)->len, ==, 0);
	g_assert_cmpuint(prov_plugin_loader_get_refused(fixture->loader)->len, ==, 3);
}

static void
prov_loader_test_kinds(void)
{
	ProvPluginKind kind = PROV_PLUGIN_KIND_LAST;
	ProvDecoderStage stage = PROV_DECODER_STAGE_LAST;
	ProvTriggerAction action = PROV_TRIGGER_ACTION_LAST;

	for (guint i = 0; i < PROV_PLUGIN_KIND_LAST; i++) {
		g_assert_true(prov_plugin_kind_from_string(prov_plugin_kind_to_string(i), &kind));
		g_assert_cmpuint(kind, ==, i);
	}
	g_assert_cmpstr(prov_plugin_kind_to_string(PROV_PLUGIN_KIND_DECODER), ==, "decoder");
	g_assert_null(prov_plugin_kind_to_string(PROV_PLUGIN_KIND_LAST));
	g_assert_false(prov_plugin_kind_from_string("codec", &kind));
	for (guint i = 0; i < PROV_DECODER_STAGE_LAST; i++) {
		g_assert_true(
		    prov_decoder_stage_from_string(prov_decoder_stage_to_string(i), &stage));
		g_assert_cmpuint(stage, ==, i);
	}
	g_assert_null(prov_decoder_stage_to_string(PROV_DECODER_STAGE_LAST));
	for (guint i = 0; i < PROV_TRIGGER_ACTION_LAST; i++) {
		g_assert_true(
		    prov_trigger_action_from_string(prov_trigger_action_to_string(i), &action));
		g_assert_cmpuint(action, ==, i);
	}
	g_assert_false(prov_trigger_action_from_string("format", &action));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	g_test_add("/prov/plugin-loader/good", ProvLoaderFixture, GINT_TO_POINTER(FALSE),
		   prov_loader_fixture_setup, prov_loader_test_good, prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/good-manifest", ProvLoaderFixture, GINT_TO_POINTER(TRUE),
		   prov_loader_fixture_setup, prov_loader_test_good, prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/lazy", ProvLoaderFixture, NULL, prov_loader_fixture_setup,
		   prov_loader_test_lazy, prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/lazy-decoders", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_lazy_decoders,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/manifest-mismatch", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_manifest_mismatch,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/malformed-manifest", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_malformed_manifest,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/refused", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_refused,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/duplicate-scheme", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_duplicate_scheme,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/duplicate-order", ProvLoaderFixture, GINT_TO_POINTER(FALSE),
		   prov_loader_fixture_setup, prov_loader_test_duplicate_order,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/duplicate-order-manifest", ProvLoaderFixture,
		   GINT_TO_POINTER(TRUE), prov_loader_fixture_setup,
		   prov_loader_test_duplicate_order, prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/empty-directory", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_empty_directory,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/missing-directory", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_missing_directory,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/default-directories", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_default_directories,
		   prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/static", ProvLoaderFixture, NULL, prov_loader_fixture_setup,
		   prov_loader_test_static, prov_loader_fixture_teardown);
	g_test_add("/prov/plugin-loader/register-errors", ProvLoaderFixture, NULL,
		   prov_loader_fixture_setup, prov_loader_test_register_errors,
		   prov_loader_fixture_teardown);
	g_test_add_func("/prov/plugin-loader/kinds", prov_loader_test_kinds);
	return g_test_run();
}
