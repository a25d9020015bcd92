/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "prov-dbus-authority.h"
#include "prov-test-log.h"

/*
 * A private bus (GTestDBus) with three connections: the daemon's, a
 * caller's, and a fake polkit that answers CheckAuthorization as each test
 * tells it and records what it was asked (R41: the subject must be the
 * caller's bus name, never a PID).
 */

#define PROV_TEST_POLKIT_XML                                                                       \
	"<node><interface name='org.freedesktop.PolicyKit1.Authority'>"                            \
	"<method name='CheckAuthorization'>"                                                       \
	"<arg name='subject' direction='in' type='(sa{sv})'/>"                                     \
	"<arg name='action_id' direction='in' type='s'/>"                                          \
	"<arg name='details' direction='in' type='a{ss}'/>"                                        \
	"<arg name='flags' direction='in' type='u'/>"                                              \
	"<arg name='cancellation_id' direction='in' type='s'/>"                                    \
	"<arg name='result' direction='out' type='(bba{ss})'/>"                                    \
	"</method></interface></node>"

typedef enum {
	PROV_TEST_POLKIT_GRANT,
	PROV_TEST_POLKIT_REFUSE,
	PROV_TEST_POLKIT_CHALLENGE,
	PROV_TEST_POLKIT_FAIL,
} ProvTestPolkitAnswer;

typedef struct {
	GTestDBus *bus;
	GDBusConnection *daemon;
	GDBusConnection *caller;
	GDBusConnection *polkit;
	guint polkit_object_id;
	guint polkit_name_id;
	ProvTestPolkitAnswer answer;
	guint n_checks;
	gchar *subject_kind;
	gchar *subject_name;
	gboolean subject_has_pid;
	gchar *action_id;
	guint32 flags;
} ProvTestAuthority;

typedef struct {
	gboolean done;
	gboolean authorised;
	GError *error;
} ProvTestAuthorityResult;

static void
prov_test_authority_polkit_method_cb(GDBusConnection *connection,
				     const gchar *sender,
				     const gchar *object_path,
				     const gchar *interface_name,
				     const gchar *method_name,
				     GVariant *parameters,
				     GDBusMethodInvocation *invocation,
				     gpointer user_data)
{
	ProvTestAuthority *fixture = user_data;
	g_autoptr(GVariant) subject_details = NULL;
	g_autoptr(GVariant) details = NULL;
	g_autoptr(GVariant) pid = NULL;
	g_autoptr(GVariant) pidfd = NULL;
	const gchar *kind = NULL;
	const gchar *action_id = NULL;
	const gchar *cancellation_id = NULL;
	guint32 flags = 0;

	g_variant_get(parameters, "((&s@a{sv})&s@a{ss}u&s)", &kind, &subject_details, &action_id,
		      &details, &flags, &cancellation_id);
	fixture->n_checks++;
	g_free(fixture->subject_kind);
	fixture->subject_kind = g_strdup(kind);
	g_free(fixture->subject_name);
	fixture->subject_name = NULL;
	g_variant_lookup(subject_details, "name", "s", &fixture->subject_name);
	pid = g_variant_lookup_value(subject_details, "pid", NULL);
	pidfd = g_variant_lookup_value(subject_details, "pidfd", NULL);
	fixture->subject_has_pid = pid != NULL || pidfd != NULL;
	g_free(fixture->action_id);
	fixture->action_id = g_strdup(action_id);
	fixture->flags = flags;

	switch (fixture->answer) {
	case PROV_TEST_POLKIT_GRANT:
		g_dbus_method_invocation_return_value(
		    invocation, g_variant_new_parsed("((true, false, @a{ss} {}),)"));
		break;
	case PROV_TEST_POLKIT_REFUSE:
		g_dbus_method_invocation_return_value(
		    invocation, g_variant_new_parsed("((false, false, @a{ss} {}),)"));
		break;
	case PROV_TEST_POLKIT_CHALLENGE:
		g_dbus_method_invocation_return_value(
		    invocation, g_variant_new_parsed("((false, true, @a{ss} {}),)"));
		break;
	case PROV_TEST_POLKIT_FAIL:
		g_dbus_method_invocation_return_dbus_error(
		    invocation, "org.freedesktop.PolicyKit1.Error.Failed", "the fake polkit fails");
		break;
	}
}

static const GDBusInterfaceVTable prov_test_authority_polkit_vtable = {
    prov_test_authority_polkit_method_cb,
    NULL,
    NULL,
    {NULL},
};

static GDBusConnection *
prov_test_authority_connect(ProvTestAuthority *fixture)
{
	g_autoptr(GError) error = NULL;
	GDBusConnection *connection = g_dbus_connection_new_for_address_sync(
	    g_test_dbus_get_bus_address(fixture->bus),
	    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
		G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
	    NULL, NULL, &error);

	g_assert_no_error(error);
	return connection;
}

static void
prov_test_authority_setup(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autofree gchar *dbus_daemon = g_find_program_in_path("dbus-daemon");

	if (dbus_daemon == NULL) {
		g_test_skip("dbus-daemon is not installed");
		return;
	}
	fixture->bus = g_test_dbus_new(G_TEST_DBUS_NONE);
	g_test_dbus_up(fixture->bus);
	fixture->daemon = prov_test_authority_connect(fixture);
	fixture->caller = prov_test_authority_connect(fixture);
}

static void
prov_test_authority_teardown(ProvTestAuthority *fixture, gconstpointer user_data)
{
	if (fixture->bus == NULL)
		return;
	if (fixture->polkit_object_id != 0)
		g_dbus_connection_unregister_object(fixture->polkit, fixture->polkit_object_id);
	if (fixture->polkit_name_id != 0)
		g_bus_unown_name(fixture->polkit_name_id);
	g_clear_object(&fixture->polkit);
	g_clear_object(&fixture->caller);
	g_clear_object(&fixture->daemon);
	g_test_dbus_down(fixture->bus);
	g_clear_object(&fixture->bus);
	g_free(fixture->subject_kind);
	g_free(fixture->subject_name);
	g_free(fixture->action_id);
}

static void
prov_test_authority_name_acquired_cb(GDBusConnection *connection,
				     const gchar *name,
				     gpointer user_data)
{
	*(gboolean *)user_data = TRUE;
}

static void
prov_test_authority_start_polkit(ProvTestAuthority *fixture, ProvTestPolkitAnswer answer)
{
	g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml(PROV_TEST_POLKIT_XML, NULL);
	g_autoptr(GError) error = NULL;
	gboolean acquired = FALSE;

	fixture->answer = answer;
	fixture->polkit = prov_test_authority_connect(fixture);
	fixture->polkit_object_id = g_dbus_connection_register_object(
	    fixture->polkit, "/org/freedesktop/PolicyKit1/Authority", info->interfaces[0],
	    &prov_test_authority_polkit_vtable, fixture, NULL, &error);
	g_assert_no_error(error);
	fixture->polkit_name_id = g_bus_own_name_on_connection(
	    fixture->polkit, "org.freedesktop.PolicyKit1", G_BUS_NAME_OWNER_FLAGS_NONE,
	    prov_test_authority_name_acquired_cb, NULL, &acquired, NULL);
	while (!acquired)
		g_main_context_iteration(NULL, TRUE);
}

static void
prov_test_authority_done_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ProvTestAuthorityResult *result = user_data;

	result->authorised =
	    prov_dbus_authority_check_finish(PROV_DBUS_AUTHORITY(source), res, &result->error);
	result->done = TRUE;
}

static gboolean
prov_test_authority_check(ProvDBusAuthority *authority,
			  const gchar *sender,
			  ProvDBusAction action,
			  ProvDBusAuthorityFlags flags,
			  GError **error)
{
	ProvTestAuthorityResult result = {FALSE, FALSE, NULL};

	prov_dbus_authority_check_async(authority, sender, action, flags, NULL,
					prov_test_authority_done_cb, &result);
	while (!result.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_true(result.authorised == (result.error == NULL));
	if (result.error != NULL)
		g_propagate_error(error, result.error);
	return result.authorised;
}

static void
prov_test_authority_action_ids(void)
{
	g_assert_cmpstr(prov_dbus_action_to_string(PROV_DBUS_ACTION_RESYNC), ==,
			"org.provisiond.provisioning1.resync");
	g_assert_cmpstr(prov_dbus_action_to_string(PROV_DBUS_ACTION_CONFIGURE), ==,
			"org.provisiond.provisioning1.configure");
	g_assert_cmpstr(prov_dbus_action_to_string(PROV_DBUS_ACTION_READ_SECRETS), ==,
			"org.provisiond.provisioning1.read-secrets");
	g_assert_null(prov_dbus_action_to_string(PROV_DBUS_ACTION_LAST));
}

/* the session bus admits the user alone: nothing is asked, not even polkit */
static void
prov_test_authority_not_enforcing(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;

	if (fixture->bus == NULL)
		return;
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_REFUSE);
	authority = prov_dbus_authority_new(fixture->daemon, FALSE);
	g_assert_false(prov_dbus_authority_get_enforcing(authority));
	g_assert_true(prov_test_authority_check(
	    authority, g_dbus_connection_get_unique_name(fixture->caller),
	    PROV_DBUS_ACTION_CONFIGURE, PROV_DBUS_AUTHORITY_FLAGS_NONE, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(fixture->n_checks, ==, 0);
}

static void
prov_test_authority_polkit_grants(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *caller = NULL;

	if (fixture->bus == NULL)
		return;
	caller = g_dbus_connection_get_unique_name(fixture->caller);
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_GRANT);
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	g_assert_true(prov_test_authority_check(authority, caller, PROV_DBUS_ACTION_CONFIGURE,
						PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION,
						&error));
	g_assert_no_error(error);
	g_assert_cmpuint(fixture->n_checks, ==, 1);
	/* R41: the caller's bus name, never a PID */
	g_assert_cmpstr(fixture->subject_kind, ==, "system-bus-name");
	g_assert_cmpstr(fixture->subject_name, ==, caller);
	g_assert_false(fixture->subject_has_pid);
	g_assert_cmpstr(fixture->action_id, ==, "org.provisiond.provisioning1.configure");
	g_assert_cmpuint(fixture->flags, ==, 1);

	g_assert_true(prov_test_authority_check(authority, caller, PROV_DBUS_ACTION_READ_SECRETS,
						PROV_DBUS_AUTHORITY_FLAGS_NONE, &error));
	g_assert_cmpstr(fixture->action_id, ==, "org.provisiond.provisioning1.read-secrets");
	g_assert_cmpuint(fixture->flags, ==, 0);
}

static void
prov_test_authority_polkit_refuses(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;

	if (fixture->bus == NULL)
		return;
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_REFUSE);
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	g_assert_false(prov_test_authority_check(
	    authority, g_dbus_connection_get_unique_name(fixture->caller), PROV_DBUS_ACTION_RESYNC,
	    PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION, &error));
	g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
	g_assert_nonnull(strstr(error->message, "org.provisiond.provisioning1.resync"));
	g_assert_cmpuint(fixture->n_checks, ==, 1);
}

static void
prov_test_authority_polkit_challenges(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;

	if (fixture->bus == NULL)
		return;
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_CHALLENGE);
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	g_assert_false(prov_test_authority_check(
	    authority, g_dbus_connection_get_unique_name(fixture->caller),
	    PROV_DBUS_ACTION_READ_SECRETS, PROV_DBUS_AUTHORITY_FLAGS_NONE, &error));
	g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
	g_assert_nonnull(strstr(error->message, "authentication is required"));
}

/* a polkit that fails lets nobody through */
static void
prov_test_authority_polkit_fails(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;

	if (fixture->bus == NULL)
		return;
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_FAIL);
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	g_assert_false(prov_test_authority_check(
	    authority, g_dbus_connection_get_unique_name(fixture->caller),
	    PROV_DBUS_ACTION_CONFIGURE, PROV_DBUS_AUTHORITY_FLAGS_NONE, &error));
	g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
	g_assert_true(prov_test_log_take("ProvDBusAuthority: authorisation: polkit check*failed*"));
	prov_test_log_assert_empty();
}

/* without polkit on the bus, uid 0 alone is authorised */
static void
prov_test_authority_no_polkit(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;
	gboolean authorised;

	if (fixture->bus == NULL)
		return;
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	authorised = prov_test_authority_check(
	    authority, g_dbus_connection_get_unique_name(fixture->caller),
	    PROV_DBUS_ACTION_CONFIGURE, PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION, &error);
	if (getuid() == 0) {
		g_assert_no_error(error);
		g_assert_true(authorised);
	} else {
		g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
		g_assert_nonnull(strstr(error->message, "is not root"));
		g_assert_false(authorised);
	}
}

/* a caller that left the bus, or one without a unique name, is nobody */
static void
prov_test_authority_unknown_caller(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_gone = NULL;

	if (fixture->bus == NULL)
		return;
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	g_assert_false(prov_test_authority_check(authority, NULL, PROV_DBUS_ACTION_CONFIGURE,
						 PROV_DBUS_AUTHORITY_FLAGS_NONE, &error));
	g_assert_error(error, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
	g_assert_false(prov_test_authority_check(authority, ":1.9999", PROV_DBUS_ACTION_CONFIGURE,
						 PROV_DBUS_AUTHORITY_FLAGS_NONE, &error_gone));
	g_assert_error(error_gone, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED);
}

static void
prov_test_authority_cancelled(ProvTestAuthority *fixture, gconstpointer user_data)
{
	g_autoptr(ProvDBusAuthority) authority = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	ProvTestAuthorityResult result = {FALSE, FALSE, NULL};

	if (fixture->bus == NULL)
		return;
	prov_test_authority_start_polkit(fixture, PROV_TEST_POLKIT_GRANT);
	authority = prov_dbus_authority_new(fixture->daemon, TRUE);
	prov_dbus_authority_check_async(authority,
					g_dbus_connection_get_unique_name(fixture->caller),
					PROV_DBUS_ACTION_CONFIGURE, PROV_DBUS_AUTHORITY_FLAGS_NONE,
					cancellable, prov_test_authority_done_cb, &result);
	g_cancellable_cancel(cancellable);
	while (!result.done)
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(result.authorised);
	g_assert_error(result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&result.error);
}

gint
main(gint argc, gchar **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();

	g_test_add_func("/prov/dbus-authority/action-ids", prov_test_authority_action_ids);
#define PROV_TEST_ADD(path, func)                                                                  \
	g_test_add(path, ProvTestAuthority, NULL, prov_test_authority_setup, func,                 \
		   prov_test_authority_teardown)
	PROV_TEST_ADD("/prov/dbus-authority/not-enforcing", prov_test_authority_not_enforcing);
	PROV_TEST_ADD("/prov/dbus-authority/polkit-grants", prov_test_authority_polkit_grants);
	PROV_TEST_ADD("/prov/dbus-authority/polkit-refuses", prov_test_authority_polkit_refuses);
	PROV_TEST_ADD("/prov/dbus-authority/polkit-challenges",
		      prov_test_authority_polkit_challenges);
	PROV_TEST_ADD("/prov/dbus-authority/polkit-fails", prov_test_authority_polkit_fails);
	PROV_TEST_ADD("/prov/dbus-authority/no-polkit", prov_test_authority_no_polkit);
	PROV_TEST_ADD("/prov/dbus-authority/unknown-caller", prov_test_authority_unknown_caller);
	PROV_TEST_ADD("/prov/dbus-authority/cancelled", prov_test_authority_cancelled);
#undef PROV_TEST_ADD
	return g_test_run();
}
