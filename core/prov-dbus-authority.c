/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDBusAuthority"

#include "config.h"

#include "prov-dbus-authority.h"

#define PROV_POLKIT_NAME      "org.freedesktop.PolicyKit1"
#define PROV_POLKIT_PATH      "/org/freedesktop/PolicyKit1/Authority"
#define PROV_POLKIT_INTERFACE "org.freedesktop.PolicyKit1.Authority"

/* CheckAuthorization's flags (polkit's PolkitCheckAuthorizationFlags) */
#define PROV_POLKIT_ALLOW_USER_INTERACTION 1u

/*
 * an interactive check waits for the caller to type a password into their
 * authentication agent; a person needs more than D-Bus's default 25 s
 */
#define PROV_POLKIT_INTERACTIVE_TIMEOUT_MS (5 * 60 * 1000)

/**
 * ProvDBusAuthority:
 *
 * Decides whether a D-Bus caller may do a #ProvDBusAction. On a bus where
 * authorisation is enforced (the system bus, or a private bus the daemon
 * treats as one), polkit is asked over D-Bus with the caller's unique bus
 * name as the subject (`system-bus-name`, never a PID: R41); when no polkit
 * serves the bus, only uid 0 is authorised. Where it is not enforced (the
 * session bus, which admits the user alone), every caller is.
 *
 * Since: 0.1
 */
struct _ProvDBusAuthority {
	GObject parent_instance;
	GDBusConnection *connection;
	gboolean enforcing;
};

G_DEFINE_TYPE(ProvDBusAuthority, prov_dbus_authority, G_TYPE_OBJECT)

typedef struct {
	gchar *sender;
	ProvDBusAction action;
} ProvDBusAuthorityCheck;

static void
prov_dbus_authority_check_free(ProvDBusAuthorityCheck *check)
{
	g_free(check->sender);
	g_free(check);
}

static const gchar *const prov_dbus_action_ids[] = {
    [PROV_DBUS_ACTION_RESYNC] = "org.provisiond.provisioning1.resync",
    [PROV_DBUS_ACTION_CONFIGURE] = "org.provisiond.provisioning1.configure",
    [PROV_DBUS_ACTION_READ_SECRETS] = "org.provisiond.provisioning1.read-secrets",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_dbus_action_ids) == PROV_DBUS_ACTION_LAST);

/**
 * prov_dbus_action_to_string:
 * @action: a #ProvDBusAction
 *
 * Returns: (transfer none): the polkit action id of @action
 *
 * Since: 0.1
 */
const gchar *
prov_dbus_action_to_string(ProvDBusAction action)
{
	if ((guint)action >= PROV_DBUS_ACTION_LAST)
		return NULL;
	return prov_dbus_action_ids[action];
}

/**
 * prov_dbus_authority_get_enforcing:
 * @self: a #ProvDBusAuthority
 *
 * Returns: whether callers are checked at all
 *
 * Since: 0.1
 */
gboolean
prov_dbus_authority_get_enforcing(ProvDBusAuthority *self)
{
	g_return_val_if_fail(PROV_IS_DBUS_AUTHORITY(self), TRUE);
	return self->enforcing;
}

static void
prov_dbus_authority_return_denied(GTask *task, const gchar *reason)
{
	ProvDBusAuthorityCheck *check = g_task_get_task_data(task);

	g_info("authorisation: %s refused for %s: %s", prov_dbus_action_ids[check->action],
	       check->sender, reason);
	g_task_return_new_error(task, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
				"%s: not authorised (%s)", prov_dbus_action_ids[check->action],
				reason);
}

static void
prov_dbus_authority_unix_user_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GError) error = NULL;
	ProvDBusAuthorityCheck *check = g_task_get_task_data(task);
	guint32 uid = G_MAXUINT32;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* the caller may have left the bus already: nobody to authorise */
		prov_dbus_authority_return_denied(task, error->message);
		return;
	}
	g_variant_get(reply, "(u)", &uid);
	if (uid != 0) {
		g_autofree gchar *reason =
		    g_strdup_printf("uid %u is not root, and polkit is not available", uid);

		prov_dbus_authority_return_denied(task, reason);
		return;
	}
	g_debug("authorisation: %s granted to %s (uid 0)", prov_dbus_action_ids[check->action],
		check->sender);
	g_task_return_boolean(task, TRUE);
}

static void
prov_dbus_authority_check_unix_user(ProvDBusAuthority *self, GTask *task)
{
	ProvDBusAuthorityCheck *check = g_task_get_task_data(task);

	g_dbus_connection_call(self->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
			       "org.freedesktop.DBus", "GetConnectionUnixUser",
			       g_variant_new("(s)", check->sender), G_VARIANT_TYPE("(u)"),
			       G_DBUS_CALL_FLAGS_NONE, -1, g_task_get_cancellable(task),
			       prov_dbus_authority_unix_user_cb, task);
}

static void
prov_dbus_authority_polkit_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	g_autoptr(GTask) task = G_TASK(user_data);
	ProvDBusAuthority *self = g_task_get_source_object(task);
	ProvDBusAuthorityCheck *check = g_task_get_task_data(task);
	g_autoptr(GVariant) reply = NULL;
	g_autoptr(GVariant) details = NULL;
	g_autoptr(GError) error = NULL;
	gboolean authorised = FALSE;
	gboolean challenge = FALSE;

	reply = g_dbus_connection_call_finish(G_DBUS_CONNECTION(source), res, &error);
	if (reply == NULL) {
		/*
		 * nobody owns the name and nothing can activate it: polkit does
		 * not run on this bus, so root alone is authorised
		 */
		if (g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
		    g_error_matches(error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
			g_debug("authorisation: no polkit on the bus (%s); checking for uid 0",
				error->message);
			prov_dbus_authority_check_unix_user(self, g_steal_pointer(&task));
			return;
		}
		if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_task_return_error(task, g_steal_pointer(&error));
			return;
		}
		/* a polkit that fails is no reason to let a caller through */
		g_warning("authorisation: polkit check of %s for %s failed: %s",
			  prov_dbus_action_ids[check->action], check->sender, error->message);
		prov_dbus_authority_return_denied(task, "the polkit check failed");
		return;
	}
	g_variant_get(reply, "((bb@a{ss}))", &authorised, &challenge, &details);
	if (!authorised) {
		prov_dbus_authority_return_denied(
		    task, challenge ? "authentication is required; retry with interactive "
				      "authorisation through an authentication agent"
				    : "polkit refused");
		return;
	}
	g_debug("authorisation: %s granted to %s by polkit", prov_dbus_action_ids[check->action],
		check->sender);
	g_task_return_boolean(task, TRUE);
}

/**
 * prov_dbus_authority_check_async:
 * @self: a #ProvDBusAuthority
 * @sender: (nullable): the caller's unique bus name
 * @action: what the caller asks to do
 * @flags: #ProvDBusAuthorityFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the decision
 * @user_data: data for @callback
 *
 * Decides without blocking whether @sender may do @action. A caller without
 * a bus name (a peer-to-peer connection) is refused where authorisation is
 * enforced.
 *
 * Since: 0.1
 */
void
prov_dbus_authority_check_async(ProvDBusAuthority *self,
				const gchar *sender,
				ProvDBusAction action,
				ProvDBusAuthorityFlags flags,
				GCancellable *cancellable,
				GAsyncReadyCallback callback,
				gpointer user_data)
{
	g_autoptr(GTask) task = NULL;
	ProvDBusAuthorityCheck *check;
	GVariantBuilder subject_details;
	GVariantBuilder details;
	gboolean interactive = (flags & PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION) != 0;

	g_return_if_fail(PROV_IS_DBUS_AUTHORITY(self));
	g_return_if_fail(action < PROV_DBUS_ACTION_LAST);

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, prov_dbus_authority_check_async);
	check = g_new0(ProvDBusAuthorityCheck, 1);
	check->sender = g_strdup(sender != NULL ? sender : "(no bus name)");
	check->action = action;
	g_task_set_task_data(task, check, (GDestroyNotify)prov_dbus_authority_check_free);

	if (!self->enforcing) {
		g_task_return_boolean(task, TRUE);
		return;
	}
	if (sender == NULL || sender[0] != ':') {
		prov_dbus_authority_return_denied(task, "the caller has no unique bus name");
		return;
	}

	g_variant_builder_init(&subject_details, G_VARIANT_TYPE("a{sv}"));
	g_variant_builder_add(&subject_details, "{sv}", "name", g_variant_new_string(sender));
	g_variant_builder_init(&details, G_VARIANT_TYPE("a{ss}"));
	g_dbus_connection_call(
	    self->connection, PROV_POLKIT_NAME, PROV_POLKIT_PATH, PROV_POLKIT_INTERFACE,
	    "CheckAuthorization",
	    g_variant_new("((sa{sv})sa{ss}us)", "system-bus-name", &subject_details,
			  prov_dbus_action_ids[action], &details,
			  interactive ? PROV_POLKIT_ALLOW_USER_INTERACTION : 0u, ""),
	    G_VARIANT_TYPE("((bba{ss}))"), G_DBUS_CALL_FLAGS_NONE,
	    interactive ? PROV_POLKIT_INTERACTIVE_TIMEOUT_MS : -1, cancellable,
	    prov_dbus_authority_polkit_cb, g_steal_pointer(&task));
}

/**
 * prov_dbus_authority_check_finish:
 * @self: a #ProvDBusAuthority
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the caller is authorised; otherwise %FALSE with
 *   %G_DBUS_ERROR_ACCESS_DENIED saying why (or %G_IO_ERROR_CANCELLED)
 *
 * Since: 0.1
 */
gboolean
prov_dbus_authority_check_finish(ProvDBusAuthority *self, GAsyncResult *result, GError **error)
{
	g_return_val_if_fail(PROV_IS_DBUS_AUTHORITY(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(result, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	return g_task_propagate_boolean(G_TASK(result), error);
}

static void
prov_dbus_authority_dispose(GObject *object)
{
	ProvDBusAuthority *self = PROV_DBUS_AUTHORITY(object);

	g_clear_object(&self->connection);
	G_OBJECT_CLASS(prov_dbus_authority_parent_class)->dispose(object);
}

static void
prov_dbus_authority_class_init(ProvDBusAuthorityClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_dbus_authority_dispose;
}

static void
prov_dbus_authority_init(ProvDBusAuthority *self)
{
	self->enforcing = TRUE;
}

/**
 * prov_dbus_authority_new:
 * @connection: the bus the callers come from
 * @enforcing: %FALSE on a session bus, where every caller is the user
 *
 * Returns: (transfer full): a new #ProvDBusAuthority
 *
 * Since: 0.1
 */
ProvDBusAuthority *
prov_dbus_authority_new(GDBusConnection *connection, gboolean enforcing)
{
	ProvDBusAuthority *self;

	g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), NULL);

	self = g_object_new(PROV_TYPE_DBUS_AUTHORITY, NULL);
	self->connection = g_object_ref(connection);
	self->enforcing = enforcing;
	return self;
}
