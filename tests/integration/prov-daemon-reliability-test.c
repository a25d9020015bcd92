/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Requirements R1 (all or nothing), R2 (crash consistency), R5 (idempotent
 * apply) and R6 (acknowledge after persist) through the daemon: profiles of
 * 2,000 parameters served by tftpd-hpa, SIGKILL at varying points of a
 * resync, and the state file read back with json-c as well as through a
 * restarted daemon. The 2,000 parameters are a vendor schema
 * ([daemon] SchemaDirectory) declared by the test.
 */

#include "config.h"

#include <json.h>
#include <string.h>
#include <sys/stat.h>

#include "prov-integration-harness.h"

#define PROV_IT_N_VALUES 2000
/*
 * bounded: each iteration restarts the daemon and applies 2,000 values,
 * which the sanitizers make a second's work; two rounds of the kill points
 * there
 */
#if defined(__SANITIZE_ADDRESS__)
#define PROV_IT_R2_ITERATIONS 14
#else
#define PROV_IT_R2_ITERATIONS 100
#endif

static gchar *prov_it_schema_dir = NULL;
static gchar **prov_it_value_names = NULL;

static void
prov_it_make_schema(void)
{
	g_autofree gchar *schema = NULL;

	if (prov_it_schema_dir != NULL)
		return;
	schema = g_strdup_printf("{\n  \"version\": 1,\n"
				 "  \"defaults\": {\"group\": \"Test/Bulk\", \"access\": \"rw\"},\n"
				 "  \"parameters\": [\n"
				 "    {\"name\": \"IT_Value_{n}_\", \"type\": \"string\", "
				 "\"range\": [1, %d],\n"
				 "     \"description\": \"A value of the integration tests.\"}\n"
				 "  ]\n}\n",
				 PROV_IT_N_VALUES);
	prov_it_write("vendor-schema/integration.json", schema, -1);
	prov_it_schema_dir = prov_it_path("vendor-schema");
	prov_it_value_names = g_new0(gchar *, PROV_IT_N_VALUES + 1);
	for (guint i = 0; i < PROV_IT_N_VALUES; i++)
		prov_it_value_names[i] = g_strdup_printf("IT_Value_%u_", i + 1);
}

/* a profile of every IT_Value_n_ = PREFIX-n, and a bad line before line BAD_AT when > 0 */
static void
prov_it_publish_bulk(const gchar *name, const gchar *prefix, guint bad_at)
{
	g_autoptr(GString) profile = g_string_new("<flat-profile>\n");

	for (guint i = 1; i <= PROV_IT_N_VALUES; i++) {
		if (i == bad_at)
			/* Debug_Level is a uint from 0 to 3 */
			g_string_append(profile, "  <Debug_Level>7</Debug_Level>\n");
		g_string_append_printf(profile, "  <IT_Value_%u_>%s-%u</IT_Value_%u_>\n", i, prefix,
				       i, i);
	}
	g_string_append(profile, "  <GPP_A>");
	g_string_append(profile, prefix);
	g_string_append(profile, "</GPP_A>\n</flat-profile>\n");
	prov_it_publish(name, profile->str, (gssize)profile->len);
}

static ProvItDaemon *
prov_it_start(void)
{
	ProvItDaemon *daemon = prov_it_daemon_new();

	prov_it_make_schema();
	prov_it_daemon_set_config(daemon, "daemon", "SchemaDirectory", prov_it_schema_dir);
	prov_it_daemon_start(daemon);
	return daemon;
}

/* which set the daemon holds: the prefix of every IT_Value_n_, "" for none; never a mixture */
static gchar *
prov_it_values_set(GHashTable *values)
{
	g_autofree gchar *prefix = NULL;

	for (guint i = 0; i < PROV_IT_N_VALUES; i++) {
		const gchar *value = g_hash_table_lookup(values, prov_it_value_names[i]);
		g_autofree gchar *this_prefix = NULL;
		g_autofree gchar *suffix = g_strdup_printf("-%u", i + 1);

		if (value == NULL)
			value = "";
		if (value[0] == '\0') {
			this_prefix = g_strdup("");
		} else {
			g_assert_true(g_str_has_suffix(value, suffix));
			this_prefix = g_strndup(value, strlen(value) - strlen(suffix));
		}
		if (prefix == NULL)
			prefix = g_steal_pointer(&this_prefix);
		else if (g_strcmp0(prefix, this_prefix) != 0)
			g_error("a mixture: %s has prefix \"%s\", IT_Value_1_ \"%s\"",
				prov_it_value_names[i], this_prefix, prefix);
	}
	return g_steal_pointer(&prefix);
}

/* the state file as json-c reads it: it must load, and hold one whole set */
static gchar *
prov_it_state_file_set(ProvItDaemon *daemon)
{
	g_autofree gchar *path = prov_it_daemon_get_state_path(daemon);
	g_autofree gchar *contents = NULL;
	g_autoptr(GHashTable) values = g_hash_table_new(g_str_hash, g_str_equal);
	json_object *root;
	json_object *members = NULL;
	gsize len = 0;
	gchar *set;

	if (!g_file_get_contents(path, &contents, &len, NULL))
		return g_strdup("");
	root = json_tokener_parse(contents);
	if (root == NULL)
		g_error("the state file does not load (%" G_GSIZE_FORMAT " bytes)", len);
	g_assert_true(json_object_object_get_ex(root, "values", &members));
	for (guint i = 0; i < PROV_IT_N_VALUES; i++) {
		json_object *value = NULL;

		if (json_object_object_get_ex(members, prov_it_value_names[i], &value))
			g_hash_table_insert(values, prov_it_value_names[i],
					    (gpointer)json_object_get_string(value));
	}
	set = prov_it_values_set(values);
	json_object_put(root);
	return set;
}

static gchar *
prov_it_daemon_set_of(ProvItDaemon *daemon)
{
	g_autoptr(GHashTable) values =
	    prov_it_daemon_get_many(daemon, (const gchar *const *)prov_it_value_names);

	return prov_it_values_set(values);
}

typedef struct {
	struct stat before;
	gchar *contents;
} ProvItStateStamp;

static void
prov_it_stamp(ProvItDaemon *daemon, ProvItStateStamp *stamp)
{
	g_autofree gchar *path = prov_it_daemon_get_state_path(daemon);

	g_assert_cmpint(stat(path, &stamp->before), ==, 0);
	g_assert_true(g_file_get_contents(path, &stamp->contents, NULL, NULL));
}

/* not written: the same inode, modification time and bytes */
static void
prov_it_assert_unwritten(ProvItDaemon *daemon, ProvItStateStamp *stamp)
{
	g_autofree gchar *path = prov_it_daemon_get_state_path(daemon);
	g_autofree gchar *contents = NULL;
	struct stat after;

	g_assert_cmpint(stat(path, &after), ==, 0);
	g_assert_cmpuint(after.st_ino, ==, stamp->before.st_ino);
	g_assert_cmpint(after.st_mtim.tv_sec, ==, stamp->before.st_mtim.tv_sec);
	g_assert_cmpint(after.st_mtim.tv_nsec, ==, stamp->before.st_mtim.tv_nsec);
	g_assert_true(g_file_get_contents(path, &contents, NULL, NULL));
	g_assert_cmpstr(contents, ==, stamp->contents);
	g_clear_pointer(&stamp->contents, g_free);
}

/* R1: one bad value among 2,000 changes nothing, signals nothing, and names line:column */
static void
prov_it_test_r1(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *bad = prov_it_tftp_url("/r1-bad.xml");
	g_autofree gchar *good = prov_it_tftp_url("/r1-good.xml");
	g_autofree gchar *set = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *gpp_a = NULL;
	g_autoptr(GVariant) result = NULL;
	g_autoptr(GVariant) rule = NULL;
	g_autoptr(GVariant) changed = NULL;
	g_autoptr(GVariantIter) names = NULL;
	ProvItStateStamp stamp = {0};
	const gchar *message = NULL;
	guint64 line;
	guint64 column;

	if (prov_it_skip_without_tftp())
		return;
	/* line 1 is <flat-profile>, lines 2 to 1001 the first 1,000 values */
	prov_it_publish_bulk("r1-bad.xml", "r1", 1001);
	prov_it_publish_bulk("r1-good.xml", "r1", 0);
	daemon = prov_it_start();
	/* a state file to watch */
	prov_it_daemon_set(daemon, "GPP_A", "before", NULL);
	prov_it_stamp(daemon, &stamp);
	prov_it_daemon_clear_signals(daemon);

	result = prov_it_daemon_resync(daemon, bad);
	text = g_variant_print(result, TRUE);
	g_test_message("%s", text);
	g_assert_cmpstr(prov_it_result_get_string(result, "status"), ==, "failed");
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpuint(prov_it_result_get_uint(rule, "applied"), ==, 0);
	line = prov_it_result_get_uint(rule, "line");
	column = prov_it_result_get_uint(rule, "column");
	g_assert_cmpuint(line, ==, 1002);
	/* the element starts at column 3 and its value "7" is at column 16 */
	g_assert_cmpuint(column, >=, 3);
	g_assert_cmpuint(column, <=, 16);
	message = prov_it_result_get_string(rule, "message");
	g_assert_nonnull(strstr(message, "Debug_Level"));
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ParametersChanged"), ==, 0);
	prov_it_assert_unwritten(daemon, &stamp);
	set = prov_it_daemon_set_of(daemon);
	g_assert_cmpstr(set, ==, "");
	gpp_a = prov_it_daemon_get(daemon, "GPP_A");
	g_assert_cmpstr(gpp_a, ==, "before");
	g_clear_pointer(&set, g_free);
	g_clear_pointer(&result, g_variant_unref);
	g_clear_pointer(&rule, g_variant_unref);

	/* without the bad line: everything, and one signal naming each change once */
	result = prov_it_daemon_resync(daemon, good);
	prov_it_assert_success(result);
	rule = prov_it_result_get_rule(result, 0);
	g_assert_cmpuint(prov_it_result_get_uint(rule, "applied"), ==, PROV_IT_N_VALUES + 1);
	set = prov_it_daemon_set_of(daemon);
	g_assert_cmpstr(set, ==, "r1");
	prov_it_daemon_flush(daemon);
	g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ParametersChanged"), ==, 1);
	changed = prov_it_daemon_take_signal(daemon, "ParametersChanged", 0);
	g_variant_get(changed, "(as)", &names);
	g_assert_cmpuint(g_variant_iter_n_children(names), ==, PROV_IT_N_VALUES + 1);
	prov_it_daemon_stop(daemon);
}

/* R5: the same bytes again write nothing, signal nothing, and report "unchanged" */
static void
prov_it_test_r5(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	const gchar *names[] = {"r5-bulk.xml", "basic.txt"};

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish_bulk("r5-bulk.xml", "r5", 0);
	prov_it_publish("basic.txt", PROV_IT_BASIC, -1);
	daemon = prov_it_start();
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *path = g_strconcat("/", names[i], NULL);
		g_autofree gchar *url = prov_it_tftp_url(path);
		g_autoptr(GVariant) first = NULL;
		g_autoptr(GVariant) second = NULL;
		g_autoptr(GVariant) rule = NULL;
		ProvItStateStamp stamp = {0};

		first = prov_it_daemon_resync(daemon, url);
		prov_it_assert_success(first);
		prov_it_daemon_flush(daemon);
		g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ParametersChanged"), ==, 1);
		prov_it_stamp(daemon, &stamp);
		prov_it_daemon_clear_signals(daemon);

		second = prov_it_daemon_resync(daemon, url);
		prov_it_assert_success(second);
		rule = prov_it_result_get_rule(second, 0);
		g_assert_cmpstr(prov_it_result_get_string(rule, "status"), ==, "unchanged");
		g_assert_cmpuint(prov_it_result_get_uint(rule, "applied"), ==, 0);
		prov_it_assert_strv(rule, "changed", (const gchar *[]){NULL});
		prov_it_daemon_flush(daemon);
		g_assert_cmpuint(prov_it_daemon_count_signals(daemon, "ParametersChanged"), ==, 0);
		prov_it_assert_unwritten(daemon, &stamp);
		prov_it_daemon_clear_signals(daemon);
	}
	prov_it_daemon_stop(daemon);
}

/* R6: a reply to SetParameters, or a successful ResyncFinished, means on disk */
static void
prov_it_test_r6(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;

	if (prov_it_skip_without_tftp())
		return;
	daemon = prov_it_start();
	for (guint i = 0; i < 5; i++) {
		g_autofree gchar *value = g_strdup_printf("persisted-%u", i);
		g_autofree gchar *secret = g_strdup_printf("secret-%u", i);
		g_autofree gchar *profile =
		    g_strdup_printf("<flat-profile><GPP_D>resync-%u</GPP_D></flat-profile>\n", i);
		g_autofree gchar *name = g_strdup_printf("r6-%u.xml", i);
		g_autofree gchar *path = g_strconcat("/", name, NULL);
		g_autofree gchar *url = prov_it_tftp_url(path);
		g_autofree gchar *expected_d = g_strdup_printf("resync-%u", i);
		g_autoptr(GVariant) result = NULL;
		g_autofree gchar *got = NULL;
		g_autofree gchar *got_secret = NULL;
		g_autofree gchar *got_d = NULL;

		/* killed as soon as the reply is in */
		prov_it_daemon_set(daemon, "GPP_C", value, "GPP_SB", secret, NULL);
		prov_it_daemon_kill(daemon);
		prov_it_daemon_start(daemon);
		got = prov_it_daemon_get(daemon, "GPP_C");
		got_secret = prov_it_daemon_get(daemon, "GPP_SB");
		g_assert_cmpstr(got, ==, value);
		g_assert_cmpstr(got_secret, ==, secret);

		prov_it_publish(name, profile, -1);
		result = prov_it_daemon_resync(daemon, url);
		prov_it_assert_success(result);
		prov_it_daemon_kill(daemon);
		prov_it_daemon_start(daemon);
		got_d = prov_it_daemon_get(daemon, "GPP_D");
		g_assert_cmpstr(got_d, ==, expected_d);
	}
	prov_it_daemon_stop(daemon);
}

typedef struct {
	ProvItDaemon *daemon;
	guint n;
} ProvItSignalWait;

/* N signals of any kind, or the end of the resync */
static gboolean
prov_it_has_signals(gpointer user_data)
{
	ProvItSignalWait *wait = user_data;

	return prov_it_daemon_count_signals(wait->daemon, NULL) >= wait->n ||
	       prov_it_daemon_count_signals(wait->daemon, "ResyncFinished") > 0;
}

/*
 * R2: start applying 2,000 parameters, SIGKILL at a varying point, restart.
 * The points cycle through: as soon as Resync returned, then after the
 * first, second, ... signal of the resync (each with 0 to 2 extra round
 * trips to the daemon first, so that the kill lands at a different moment),
 * up to after ResyncFinished. No sleeps: the signals set the pace.
 */
static void
prov_it_test_r2(void)
{
	g_autoptr(ProvItDaemon) daemon = NULL;
	g_autofree gchar *url_a = prov_it_tftp_url("/r2-a.xml");
	g_autofree gchar *url_b = prov_it_tftp_url("/r2-b.xml");
	g_autofree gchar *current = NULL;
	guint n_old = 0;
	guint n_new = 0;

	if (prov_it_skip_without_tftp())
		return;
	prov_it_publish_bulk("r2-a.xml", "a", 0);
	prov_it_publish_bulk("r2-b.xml", "b", 0);
	daemon = prov_it_start();
	current = g_strdup("");
	for (guint i = 0; i < PROV_IT_R2_ITERATIONS; i++) {
		const gchar *target = g_strcmp0(current, "a") == 0 ? "b" : "a";
		guint point = i % 7;
		guint extra = (i / 7) % 3;
		guint64 id;
		g_autofree gchar *on_disk = NULL;
		g_autofree gchar *loaded = NULL;
		gboolean finished = FALSE;

		prov_it_daemon_clear_signals(daemon);
		id =
		    prov_it_daemon_request_resync(daemon, g_str_equal(target, "a") ? url_a : url_b);
		/* point 0: at once; then after 1 to 5 signals; 6: after ResyncFinished */
		if (point == 6) {
			g_autoptr(GVariant) result =
			    prov_it_daemon_wait_finished(daemon, id, PROV_IT_TIMEOUT_MS);

			g_assert_nonnull(result);
			prov_it_assert_success(result);
			finished = TRUE;
		} else if (point > 0) {
			ProvItSignalWait wait = {daemon, point};

			g_assert_true(
			    prov_it_wait_until(prov_it_has_signals, &wait, PROV_IT_TIMEOUT_MS));
		}
		for (guint j = 0; j < extra; j++)
			prov_it_daemon_flush(daemon);
		prov_it_daemon_kill(daemon);

		on_disk = prov_it_state_file_set(daemon);
		g_assert_true(g_str_equal(on_disk, current) || g_str_equal(on_disk, target));
		if (finished)
			/* R6: reported, so persisted */
			g_assert_cmpstr(on_disk, ==, target);
		prov_it_daemon_start(daemon);
		loaded = prov_it_daemon_set_of(daemon);
		g_assert_cmpstr(loaded, ==, on_disk);
		if (g_str_equal(loaded, target))
			n_new++;
		else
			n_old++;
		g_free(current);
		current = g_steal_pointer(&loaded);
	}
	g_test_message("R2: %u iterations ended with the new set, %u with the old one", n_new,
		       n_old);
	/* the kill points cover both outcomes */
	g_assert_cmpuint(n_new, >, 0);
	g_assert_cmpuint(n_old, >, 0);
	prov_it_daemon_stop(daemon);
}

int
main(int argc, char **argv)
{
	gint result;

	g_test_init(&argc, &argv, NULL);
	if (!prov_it_set_up(PROV_IT_NEED_TFTP))
		return 77;
	g_test_add_func("/prov/daemon/r1-all-or-nothing", prov_it_test_r1);
	g_test_add_func("/prov/daemon/r5-idempotent", prov_it_test_r5);
	g_test_add_func("/prov/daemon/r6-persist-before-reply", prov_it_test_r6);
	g_test_add_func("/prov/daemon/r2-crash-consistency", prov_it_test_r2);
	result = prov_it_run();
	g_free(prov_it_schema_dir);
	g_strfreev(prov_it_value_names);
	return result;
}
