/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDBusDaemon"

#include "config.h"

#include <string.h>

#include "prov-dbus-daemon.h"
#include "prov-dbus-generated.h"
#include "prov-error.h"
#include "prov-log.h"
#include "prov-params-transaction.h"
#include "prov-resync-result.h"

/**
 * ProvDBusDaemon:
 *
 * The D-Bus face of a #ProvEngine: it owns the exported
 * org.provisiond.Provisioning1 skeleton, answers its methods, mirrors the
 * engine's state into its properties and forwards the engine's events as
 * signals. Every method call completes exactly once; calls that change
 * anything or read secrets are authorised first by a #ProvDBusAuthority,
 * asynchronously, so the main context never waits for polkit.
 *
 * Since: 0.1
 */
struct _ProvDBusDaemon {
	GObject parent_instance;
	ProvEngine *engine;
	ProvParams *params;
	ProvDBusAuthority *authority;
	ProvDBusProvisioning1 *skeleton;
	/* cancels the authorisation checks in flight when the daemon stops */
	GCancellable *cancellable;
	guint n_pending;
	/* the record of the last result, built once (see prov_dbus_daemon_dup_result_record()) */
	ProvResyncResult *record_result;
	GVariant *record;
};

G_DEFINE_TYPE(ProvDBusDaemon, prov_dbus_daemon, G_TYPE_OBJECT)

/* what a method does once the authority has decided */
typedef void (*ProvDBusDaemonAuthorisedFunc)(ProvDBusDaemon *self,
					     GDBusMethodInvocation *invocation,
					     gboolean authorised);

typedef struct {
	ProvDBusDaemon *self;
	/* owned: completing it consumes it */
	GDBusMethodInvocation *invocation;
	ProvDBusDaemonAuthorisedFunc func;
	/* a refusal fails the call; otherwise func learns the decision (secret reads) */
	gboolean required;
} ProvDBusDaemonCall;

/*
 * a GError for a D-Bus reply: the core's and D-Bus's own domains travel as
 * they are (both are registered); anything else becomes the nearest
 * PROV_ERROR code, because an unregistered domain would reach the caller as
 * an opaque org.gtk.GDBus.UnmappedGError name
 */
static GError *
prov_dbus_daemon_convert_error(const GError *error)
{
	ProvError code = PROV_ERROR_FAILED;

	if (error->domain == PROV_ERROR || error->domain == G_DBUS_ERROR)
		return g_error_copy(error);
	if (error->domain == G_IO_ERROR) {
		switch (error->code) {
		case G_IO_ERROR_INVALID_ARGUMENT:
		case G_IO_ERROR_INVALID_DATA:
			code = PROV_ERROR_INVALID_ARGUMENT;
			break;
		case G_IO_ERROR_NOT_FOUND:
			code = PROV_ERROR_NOT_FOUND;
			break;
		case G_IO_ERROR_TIMED_OUT:
			code = PROV_ERROR_TIMED_OUT;
			break;
		case G_IO_ERROR_HOST_NOT_FOUND:
			code = PROV_ERROR_HOST_NOT_FOUND;
			break;
		case G_IO_ERROR_HOST_UNREACHABLE:
		case G_IO_ERROR_NETWORK_UNREACHABLE:
		case G_IO_ERROR_CONNECTION_REFUSED:
			code = PROV_ERROR_UNREACHABLE;
			break;
		case G_IO_ERROR_NO_SPACE:
		case G_IO_ERROR_READ_ONLY:
			code = PROV_ERROR_STATE;
			break;
		default:
			break;
		}
	}
	return g_error_new_literal(PROV_ERROR, code, error->message);
}

static void
prov_dbus_daemon_return_error(GDBusMethodInvocation *invocation, const GError *error)
{
	g_dbus_method_invocation_take_error(invocation, prov_dbus_daemon_convert_error(error));
}

/*
 * the caller, for the log: a peer-to-peer connection (the fuzz target's)
 * has no bus name, and a NULL for "%s" is undefined behaviour in C
 */
static const gchar *
prov_dbus_daemon_get_caller(GDBusMethodInvocation *invocation)
{
	const gchar *sender = g_dbus_method_invocation_get_sender(invocation);

	return sender != NULL ? sender : "a peer without a bus name";
}

static const ProvLimits *
prov_dbus_daemon_get_limits(ProvDBusDaemon *self)
{
	return prov_config_get_limits(prov_engine_get_config(self->engine));
}

/* an argument quoted in an error message: escaped and short, whatever a caller sent */
static gchar *
prov_dbus_daemon_quote(const gchar *text)
{
	g_autofree gchar *head = g_utf8_substring(text, 0, MIN(g_utf8_strlen(text, -1), 64));

	return g_strescape(head, NULL);
}

static gboolean
prov_dbus_daemon_check_length(const gchar *what, gsize len, gsize max, GError **error)
{
	if (len <= max)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
		    "%s: %" G_GSIZE_FORMAT " bytes exceed the limit of %" G_GSIZE_FORMAT " bytes",
		    what, len, max);
	return FALSE;
}

/* a parameter name from a caller: not empty, not oversized, declared by the schema */
static const ProvParamDef *
prov_dbus_daemon_lookup_name(ProvDBusDaemon *self, const gchar *name, gsize len, GError **error)
{
	const ProvLimits *limits = prov_dbus_daemon_get_limits(self);
	const ProvParamDef *def;
	g_autofree gchar *quoted = NULL;

	if (len == 0) {
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "empty parameter name");
		return NULL;
	}
	if (len > limits->max_name_length) {
		quoted = prov_dbus_daemon_quote(name);
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "parameter name \"%s...\": %" G_GSIZE_FORMAT
			    " bytes exceed the limit of %u bytes",
			    quoted, len, limits->max_name_length);
		return NULL;
	}
	def = prov_params_lookup(self->params, name);
	if (def == NULL) {
		quoted = prov_dbus_daemon_quote(name);
		g_set_error(error, PROV_ERROR, PROV_ERROR_UNKNOWN_PARAMETER,
			    "%s: unknown parameter", quoted);
		return NULL;
	}
	return def;
}

static gboolean
prov_dbus_daemon_is_secret_set(ProvDBusDaemon *self, const ProvParamDef *def)
{
	const gchar *value;

	if (!prov_param_def_is_secret(def))
		return FALSE;
	value = prov_params_get_value(self->params, prov_param_def_get_name(def));
	return value != NULL && value[0] != '\0';
}

/* a secret reads as the empty string for a caller who may not read secrets (XML) */
static const gchar *
prov_dbus_daemon_get_value(ProvDBusDaemon *self, const ProvParamDef *def, gboolean show_secrets)
{
	const gchar *value = prov_params_get_value(self->params, prov_param_def_get_name(def));

	if (value == NULL || (prov_param_def_is_secret(def) && !show_secrets))
		return "";
	return value;
}

static void
prov_dbus_daemon_authorise_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	ProvDBusDaemonCall *call = user_data;
	g_autoptr(ProvDBusDaemon) self = call->self;
	GDBusMethodInvocation *invocation = call->invocation;
	ProvDBusDaemonAuthorisedFunc func = call->func;
	gboolean required = call->required;
	g_autoptr(GError) error = NULL;
	gboolean authorised;

	g_free(call);
	self->n_pending--;
	authorised = prov_dbus_authority_check_finish(PROV_DBUS_AUTHORITY(source), res, &error);
	if (!authorised && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_debug("%s: call cancelled, the daemon stops",
			g_dbus_method_invocation_get_method_name(invocation));
		g_dbus_method_invocation_return_error_literal(
		    invocation, PROV_ERROR, PROV_ERROR_FAILED, "provisiond is shutting down");
		return;
	}
	if (!authorised && required) {
		g_dbus_method_invocation_return_gerror(invocation, error);
		return;
	}
	func(self, invocation, authorised);
}

/*
 * Asks the authority, then runs func. A call that changes something may
 * make polkit ask the caller to authenticate; a secret read does that only
 * when the caller allowed it, since a refusal merely hides the secrets.
 */
static void
prov_dbus_daemon_authorise(ProvDBusDaemon *self,
			   GDBusMethodInvocation *invocation,
			   ProvDBusAction action,
			   gboolean required,
			   ProvDBusDaemonAuthorisedFunc func)
{
	ProvDBusDaemonCall *call = g_new0(ProvDBusDaemonCall, 1);
	GDBusMessage *message = g_dbus_method_invocation_get_message(invocation);
	ProvDBusAuthorityFlags flags = PROV_DBUS_AUTHORITY_FLAGS_NONE;

	if (required || (g_dbus_message_get_flags(message) &
			 G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION) != 0)
		flags |= PROV_DBUS_AUTHORITY_FLAGS_ALLOW_INTERACTION;
	call->self = g_object_ref(self);
	call->invocation = invocation;
	call->func = func;
	call->required = required;
	self->n_pending++;
	prov_dbus_authority_check_async(
	    self->authority, g_dbus_method_invocation_get_sender(invocation), action, flags,
	    self->cancellable, prov_dbus_daemon_authorise_cb, call);
}

/* Resync */

static void
prov_dbus_daemon_resync_authorised(ProvDBusDaemon *self,
				   GDBusMethodInvocation *invocation,
				   gboolean authorised)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *source = NULL;
	const gchar *rule = NULL;
	gsize len = 0;
	guint64 id = 0;

	g_variant_get_child(g_dbus_method_invocation_get_parameters(invocation), 0, "&s", &rule);
	len = strlen(rule);
	/* a one-shot rule is a Profile_Rule value, and meets the same cap */
	if (!prov_dbus_daemon_check_length(
		"rule", len, prov_dbus_daemon_get_limits(self)->max_value_length, &error)) {
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	source = g_strdup_printf("D-Bus %s", prov_dbus_daemon_get_caller(invocation));
	/*
	 * a bus caller has no host address for a one-shot URL without a server
	 * to fall back on (reference 7.1): such a URL uses the default server
	 */
	if (!prov_engine_request_resync(self->engine, len > 0 ? rule : NULL, NULL, &id, &error)) {
		g_info("resync requested by %s refused: %s", source, error->message);
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_info("resync %" G_GUINT64_FORMAT " requested by %s%s", id, source,
	       len > 0 ? " with a one-shot rule" : "");
	prov_dbus_provisioning1_complete_resync(self->skeleton, invocation, id);
}

static gboolean
prov_dbus_daemon_handle_resync(ProvDBusProvisioning1 *skeleton,
			       GDBusMethodInvocation *invocation,
			       const gchar *rule,
			       gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	/* a one-shot URL is as powerful as setting Profile_Rule */
	prov_dbus_daemon_authorise(self, invocation,
				   rule[0] == '\0' ? PROV_DBUS_ACTION_RESYNC
						   : PROV_DBUS_ACTION_CONFIGURE,
				   TRUE, prov_dbus_daemon_resync_authorised);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* GetParameters */

static gboolean
prov_dbus_daemon_check_names(ProvDBusDaemon *self,
			     GVariant *names,
			     gboolean *needs_secrets,
			     GError **error)
{
	const ProvLimits *limits = prov_dbus_daemon_get_limits(self);
	gsize n_names = g_variant_n_children(names);

	if (n_names > limits->max_assignments) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "%" G_GSIZE_FORMAT " names exceed the limit of %u", n_names,
			    limits->max_assignments);
		return FALSE;
	}
	for (gsize i = 0; i < n_names; i++) {
		g_autoptr(GVariant) child = g_variant_get_child_value(names, i);
		gsize len = 0;
		const gchar *name = g_variant_get_string(child, &len);
		const ProvParamDef *def = prov_dbus_daemon_lookup_name(self, name, len, error);

		if (def == NULL)
			return FALSE;
		/* set or not: an answer that differs by it would tell whether a secret is set */
		if (needs_secrets != NULL && prov_param_def_is_secret(def))
			*needs_secrets = TRUE;
	}
	return TRUE;
}

static void
prov_dbus_daemon_get_parameters_authorised(ProvDBusDaemon *self,
					   GDBusMethodInvocation *invocation,
					   gboolean authorised)
{
	g_autoptr(GVariant) names = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GError) error = NULL;
	GVariantBuilder values;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(@as)", &names);
	/* the names were checked before the authorisation; the schema never changes */
	if (!prov_dbus_daemon_check_names(self, names, NULL, &error)) {
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_variant_builder_init(&values, G_VARIANT_TYPE("a{ss}"));
	for (gsize i = 0; i < g_variant_n_children(names); i++) {
		const gchar *name = NULL;
		const ProvParamDef *def;

		g_variant_get_child(names, i, "&s", &name);
		if (!g_hash_table_add(seen, (gpointer)name))
			continue;
		def = prov_params_lookup(self->params, name);
		g_variant_builder_add(&values, "{ss}", name,
				      prov_dbus_daemon_get_value(self, def, authorised));
	}
	prov_dbus_provisioning1_complete_get_parameters(self->skeleton, invocation,
							g_variant_builder_end(&values));
}

static gboolean
prov_dbus_daemon_handle_get_parameters(ProvDBusProvisioning1 *skeleton,
				       GDBusMethodInvocation *invocation,
				       const gchar *const *names_unused,
				       gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);
	g_autoptr(GVariant) names = NULL;
	g_autoptr(GError) error = NULL;
	gboolean needs_secrets = FALSE;

	/* the GVariant, not the strv: it carries each string's length */
	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(@as)", &names);
	if (!prov_dbus_daemon_check_names(self, names, &needs_secrets, &error)) {
		prov_dbus_daemon_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	/*
	 * R41: naming a secret is a secret read, refused without read-secrets;
	 * ListParameters, which names none, only redacts them (R42)
	 */
	if (needs_secrets)
		prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_READ_SECRETS, TRUE,
					   prov_dbus_daemon_get_parameters_authorised);
	else
		prov_dbus_daemon_get_parameters_authorised(self, invocation, FALSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* SetParameters */

static gboolean
prov_dbus_daemon_name_is_profile_rule(const gchar *name)
{
	return g_strcmp0(name, "Profile_Rule") == 0 || g_strcmp0(name, "Profile_Rule_B") == 0 ||
	       g_strcmp0(name, "Profile_Rule_C") == 0 || g_strcmp0(name, "Profile_Rule_D") == 0;
}

/*
 * reference 1.2 rule 6, as for a profile value: each CR LF, lone CR or lone
 * LF becomes a space, then leading and trailing spaces and tabs go, so that
 * a value pasted from a profile or padded by a web form (reference S-4) is
 * stored as the devices store it
 */
static gchar *
prov_dbus_daemon_normalize_value(const gchar *value, gsize len)
{
	g_autoptr(GString) out = g_string_sized_new(len);
	gsize start = 0;
	gsize end;

	for (gsize i = 0; i < len; i++) {
		if (value[i] == '\r') {
			if (i + 1 < len && value[i + 1] == '\n')
				i++;
			g_string_append_c(out, ' ');
		} else if (value[i] == '\n') {
			g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, value[i]);
		}
	}
	end = out->len;
	while (start < end && (out->str[start] == ' ' || out->str[start] == '\t'))
		start++;
	while (end > start && (out->str[end - 1] == ' ' || out->str[end - 1] == '\t'))
		end--;
	return g_strndup(out->str + start, end - start);
}

/*
 * every value is checked before anything changes: names, sizes (R43), then
 * types, in one strict transaction (R1, R7)
 */
static ProvParamsTransaction *
prov_dbus_daemon_build_transaction(ProvDBusDaemon *self, GVariant *values, GError **error)
{
	const ProvLimits *limits = prov_dbus_daemon_get_limits(self);
	g_autoptr(ProvParamsTransaction) transaction = prov_params_transaction_new(self->params);
	gsize n_values = g_variant_n_children(values);

	if (n_values > limits->max_assignments) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "%" G_GSIZE_FORMAT " values exceed the limit of %u", n_values,
			    limits->max_assignments);
		return NULL;
	}
	for (gsize i = 0; i < n_values; i++) {
		g_autoptr(GVariant) name_variant = NULL;
		g_autoptr(GVariant) value_variant = NULL;
		g_autoptr(GVariant) entry = g_variant_get_child_value(values, i);
		const gchar *name;
		gsize name_len = 0;
		gsize value_len = 0;
		const ProvParamDef *def;

		name_variant = g_variant_get_child_value(entry, 0);
		value_variant = g_variant_get_child_value(entry, 1);
		name = g_variant_get_string(name_variant, &name_len);
		g_variant_get_string(value_variant, &value_len);
		def = prov_dbus_daemon_lookup_name(self, name, name_len, error);
		if (def == NULL)
			return NULL;
		if (!prov_dbus_daemon_check_length(prov_param_def_get_name(def), value_len,
						   limits->max_value_length, error))
			return NULL;
	}

	prov_params_transaction_set_strict(transaction, TRUE);
	for (gsize i = 0; i < n_values; i++) {
		g_autoptr(GVariant) value_variant = NULL;
		g_autofree gchar *value = NULL;
		const gchar *name = NULL;
		const gchar *raw;
		gsize len = 0;

		g_variant_get_child(values, i, "{&s@s}", &name, &value_variant);
		raw = g_variant_get_string(value_variant, &len);
		value = prov_dbus_daemon_normalize_value(raw, len);
		if (!prov_params_transaction_set(transaction, name, value, PROV_ACCESS_UNSET, NULL,
						 0, 0, error))
			return NULL;
	}
	return g_steal_pointer(&transaction);
}

static void
prov_dbus_daemon_set_parameters_authorised(ProvDBusDaemon *self,
					   GDBusMethodInvocation *invocation,
					   gboolean authorised)
{
	g_autoptr(GVariant) values = NULL;
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	g_autoptr(GPtrArray) restart = g_ptr_array_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *joined = NULL;
	const gchar *sender = prov_dbus_daemon_get_caller(invocation);
	const gchar *const *changed;
	gboolean rule_changed = FALSE;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(@a{ss})", &values);
	transaction = prov_dbus_daemon_build_transaction(self, values, &error);
	/* R6: the reply follows the durable write, which commit does before returning */
	if (transaction == NULL || !prov_params_transaction_commit(transaction, &error)) {
		g_info("parameters from %s refused: %s", sender, error->message);
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}

	changed = prov_params_transaction_get_changed(transaction);
	for (guint i = 0; changed != NULL && changed[i] != NULL; i++) {
		const ProvParamDef *def = prov_params_lookup(self->params, changed[i]);

		if (def != NULL && prov_param_def_needs_restart(def))
			g_ptr_array_add(restart, (gpointer)changed[i]);
		rule_changed |= prov_dbus_daemon_name_is_profile_rule(changed[i]);
	}
	if (changed != NULL && changed[0] != NULL) {
		joined = g_strjoinv(" ", (gchar **)changed);
		g_info("parameters set by %s: %s", sender, joined);
	}
	if (restart->len > 0) {
		g_ptr_array_add(restart, NULL);
		prov_dbus_provisioning1_emit_restart_required(self->skeleton,
							      (const gchar *const *)restart->pdata);
	}
	/* reference S-4 (PROPOSED): a new Profile_Rule is tried at once, without a reboot */
	if (rule_changed) {
		g_autoptr(GError) error_resync = NULL;
		guint64 id = 0;

		if (prov_engine_request_resync(self->engine, NULL, NULL, &id, &error_resync))
			g_info("resync %" G_GUINT64_FORMAT " follows the new profile rules", id);
		else
			g_info("no resync follows the new profile rules: %s",
			       error_resync->message);
	}
	prov_dbus_provisioning1_complete_set_parameters(self->skeleton, invocation);
}

static gboolean
prov_dbus_daemon_handle_set_parameters(ProvDBusProvisioning1 *skeleton,
				       GDBusMethodInvocation *invocation,
				       GVariant *values,
				       gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_CONFIGURE, TRUE,
				   prov_dbus_daemon_set_parameters_authorised);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ListParameters */

/*
 * a group argument names a schema group ("Provisioning/CA_Settings"), a
 * leading part of one ("Provisioning"), or a schema file ("gpp" for
 * gpp.json), all compared without regard to case
 */
static gboolean
prov_dbus_daemon_group_matches(const ProvParamDef *def, const gchar *group)
{
	const gchar *def_group = prov_param_def_get_group(def);
	const gchar *source = prov_param_def_get_source(def);
	gsize len = strlen(group);

	if (len == 0)
		return TRUE;
	if (def_group != NULL && g_ascii_strncasecmp(def_group, group, len) == 0 &&
	    (def_group[len] == '\0' || def_group[len] == '/'))
		return TRUE;
	if (source != NULL) {
		g_autofree gchar *base = g_path_get_basename(source);

		if (g_str_has_suffix(base, ".json"))
			base[strlen(base) - strlen(".json")] = '\0';
		if (g_ascii_strcasecmp(base, group) == 0)
			return TRUE;
	}
	return FALSE;
}

static GPtrArray *
prov_dbus_daemon_list_definitions(ProvDBusDaemon *self,
				  const gchar *group,
				  gboolean *needs_secrets,
				  GError **error)
{
	g_autoptr(GPtrArray) all = prov_params_get_definitions(self->params);
	g_autoptr(GPtrArray) matching = g_ptr_array_new();

	if (!prov_dbus_daemon_check_length("group", strlen(group),
					   PROV_DBUS_DAEMON_SHORT_STRING_MAX, error))
		return NULL;
	for (guint i = 0; i < all->len; i++) {
		const ProvParamDef *def = g_ptr_array_index(all, i);

		if (!prov_dbus_daemon_group_matches(def, group))
			continue;
		g_ptr_array_add(matching, (gpointer)def);
		if (needs_secrets != NULL && prov_dbus_daemon_is_secret_set(self, def))
			*needs_secrets = TRUE;
	}
	/* a misspelt group would otherwise look like an empty one */
	if (matching->len == 0 && group[0] != '\0') {
		g_autofree gchar *quoted = prov_dbus_daemon_quote(group);

		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "group \"%s\": no parameter belongs to it", quoted);
		return NULL;
	}
	return g_steal_pointer(&matching);
}

static GVariant *
prov_dbus_daemon_parameter_to_variant(ProvDBusDaemon *self,
				      const ProvParamDef *def,
				      gboolean show_secrets)
{
	const gchar *name = prov_param_def_get_name(def);
	const gchar *const *choices = prov_param_def_get_values(def);
	const gchar *group = prov_param_def_get_group(def);
	const gchar *description = prov_param_def_get_description(def);
	GVariantDict dict;

	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert(&dict, "name", "s", name);
	g_variant_dict_insert(&dict, "value", "s",
			      prov_dbus_daemon_get_value(self, def, show_secrets));
	g_variant_dict_insert(&dict, "default", "s", prov_param_def_get_default(def));
	g_variant_dict_insert(&dict, "type", "s",
			      prov_param_type_to_string(prov_param_def_get_param_type(def)));
	g_variant_dict_insert(&dict, "access", "s",
			      prov_access_to_string(prov_params_get_access(self->params, name)));
	g_variant_dict_insert(&dict, "group", "s", group != NULL ? group : "");
	g_variant_dict_insert(&dict, "secret", "b", prov_param_def_is_secret(def));
	g_variant_dict_insert(&dict, "restart", "b", prov_param_def_needs_restart(def));
	g_variant_dict_insert(&dict, "description", "s", description != NULL ? description : "");
	if (prov_param_def_get_param_type(def) == PROV_PARAM_TYPE_ENUM)
		g_variant_dict_insert_value(&dict, "choices",
					    g_variant_new_strv(choices, choices != NULL ? -1 : 0));
	return g_variant_dict_end(&dict);
}

static void
prov_dbus_daemon_list_parameters_authorised(ProvDBusDaemon *self,
					    GDBusMethodInvocation *invocation,
					    gboolean authorised)
{
	g_autoptr(GPtrArray) defs = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *group = NULL;
	GVariantBuilder records;

	g_variant_get_child(g_dbus_method_invocation_get_parameters(invocation), 0, "&s", &group);
	defs = prov_dbus_daemon_list_definitions(self, group, NULL, &error);
	if (defs == NULL) {
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	g_variant_builder_init(&records, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < defs->len; i++)
		g_variant_builder_add_value(&records,
					    prov_dbus_daemon_parameter_to_variant(
						self, g_ptr_array_index(defs, i), authorised));
	prov_dbus_provisioning1_complete_list_parameters(self->skeleton, invocation,
							 g_variant_builder_end(&records));
}

static gboolean
prov_dbus_daemon_handle_list_parameters(ProvDBusProvisioning1 *skeleton,
					GDBusMethodInvocation *invocation,
					const gchar *group,
					gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);
	g_autoptr(GPtrArray) defs = NULL;
	g_autoptr(GError) error = NULL;
	gboolean needs_secrets = FALSE;

	defs = prov_dbus_daemon_list_definitions(self, group, &needs_secrets, &error);
	if (defs == NULL) {
		prov_dbus_daemon_return_error(invocation, error);
		return G_DBUS_METHOD_INVOCATION_HANDLED;
	}
	if (needs_secrets)
		prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_READ_SECRETS, FALSE,
					   prov_dbus_daemon_list_parameters_authorised);
	else
		prov_dbus_daemon_list_parameters_authorised(self, invocation, FALSE);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* ListPlugins */

static GVariant *
prov_dbus_daemon_plugin_to_variant(ProvPlugin *plugin)
{
	static const struct {
		const gchar *key;
		ProvPluginKind kind;
	} kinds[] = {
	    {"transports", PROV_PLUGIN_KIND_TRANSPORT},
	    {"decoders", PROV_PLUGIN_KIND_DECODER},
	    {"triggers", PROV_PLUGIN_KIND_TRIGGER},
	};
	const gchar *name = prov_plugin_get_name(plugin);
	const gchar *file = prov_plugin_get_filename(plugin);
	const gchar *refusal = prov_plugin_get_refusal(plugin);
	GVariantDict dict;

	g_variant_dict_init(&dict, NULL);
	g_variant_dict_insert(&dict, "name", "s", name != NULL ? name : "");
	g_variant_dict_insert(&dict, "file", "s", file != NULL ? file : "");
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		const gchar *const *names = prov_plugin_get_names(plugin, kinds[i].kind);

		g_variant_dict_insert_value(&dict, kinds[i].key,
					    g_variant_new_strv(names, names != NULL ? -1 : 0));
	}
	g_variant_dict_insert(&dict, "loaded", "b", refusal == NULL);
	g_variant_dict_insert(&dict, "resident", "b", prov_plugin_is_loaded(plugin));
	g_variant_dict_insert(&dict, "error", "s", refusal != NULL ? refusal : "");
	return g_variant_dict_end(&dict);
}

static gboolean
prov_dbus_daemon_handle_list_plugins(ProvDBusProvisioning1 *skeleton,
				     GDBusMethodInvocation *invocation,
				     gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);
	ProvPluginLoader *loader = prov_engine_get_plugin_loader(self->engine);
	GPtrArray *lists[] = {prov_plugin_loader_get_plugins(loader),
			      prov_plugin_loader_get_refused(loader)};
	GVariantBuilder records;

	g_variant_builder_init(&records, G_VARIANT_TYPE("aa{sv}"));
	for (guint i = 0; i < G_N_ELEMENTS(lists); i++) {
		for (guint j = 0; lists[i] != NULL && j < lists[i]->len; j++)
			g_variant_builder_add_value(&records, prov_dbus_daemon_plugin_to_variant(
								  g_ptr_array_index(lists[i], j)));
	}
	prov_dbus_provisioning1_complete_list_plugins(skeleton, invocation,
						      g_variant_builder_end(&records));
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* SetBusy */

static void
prov_dbus_daemon_set_busy_authorised(ProvDBusDaemon *self,
				     GDBusMethodInvocation *invocation,
				     gboolean authorised)
{
	ProvScheduler *scheduler = prov_engine_get_scheduler(self->engine);
	gboolean busy = FALSE;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(b)", &busy);
	prov_engine_set_busy(self->engine, busy);
	prov_dbus_provisioning1_set_busy(self->skeleton, prov_scheduler_get_busy(scheduler));
	g_debug("lines %s, says %s", busy ? "busy" : "idle",
		prov_dbus_daemon_get_caller(invocation));
	prov_dbus_provisioning1_complete_set_busy(self->skeleton, invocation);
}

static gboolean
prov_dbus_daemon_handle_set_busy(ProvDBusProvisioning1 *skeleton,
				 GDBusMethodInvocation *invocation,
				 gboolean busy,
				 gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_CONFIGURE, TRUE,
				   prov_dbus_daemon_set_busy_authorised);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* SetLogLevel */

static void
prov_dbus_daemon_set_log_level_authorised(ProvDBusDaemon *self,
					  GDBusMethodInvocation *invocation,
					  gboolean authorised)
{
	g_auto(GStrv) domains = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *level_text = NULL;
	const gchar *domains_text = NULL;
	ProvLogLevel level = PROV_LOG_LEVEL_MESSAGE;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s&s)", &level_text,
		      &domains_text);
	if (!prov_log_level_from_string(level_text, &level)) {
		g_autofree gchar *quoted = prov_dbus_daemon_quote(level_text);

		g_dbus_method_invocation_return_error(
		    invocation, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
		    "log level \"%s\": not warning, message, info or debug", quoted);
		return;
	}
	if (!prov_dbus_daemon_check_length("log domains", strlen(domains_text),
					   PROV_DBUS_DAEMON_SHORT_STRING_MAX, &error) ||
	    !prov_log_parse_domains(domains_text, &domains, &error)) {
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	prov_log_set_level(level, (const gchar *const *)domains);
	g_message("log level %s%s%s, set by %s", level_text, domains != NULL ? " for " : "",
		  domains != NULL ? domains_text : "", prov_dbus_daemon_get_caller(invocation));
	prov_dbus_provisioning1_complete_set_log_level(self->skeleton, invocation);
}

static gboolean
prov_dbus_daemon_handle_set_log_level(ProvDBusProvisioning1 *skeleton,
				      GDBusMethodInvocation *invocation,
				      const gchar *level,
				      const gchar *domains,
				      gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_CONFIGURE, TRUE,
				   prov_dbus_daemon_set_log_level_authorised);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* SetDefaultServer */

static void
prov_dbus_daemon_set_default_server_authorised(ProvDBusDaemon *self,
					       GDBusMethodInvocation *invocation,
					       gboolean authorised)
{
	g_autoptr(GError) error = NULL;
	const gchar *server = NULL;
	const gchar *current;

	g_variant_get(g_dbus_method_invocation_get_parameters(invocation), "(&s)", &server);
	if (!prov_dbus_daemon_check_length("server", strlen(server),
					   PROV_DBUS_DAEMON_SHORT_STRING_MAX, &error) ||
	    !prov_engine_set_default_server(self->engine, server, &error)) {
		prov_dbus_daemon_return_error(invocation, error);
		return;
	}
	current = prov_engine_get_default_server(self->engine);
	prov_dbus_provisioning1_set_default_server(self->skeleton, current != NULL ? current : "");
	g_info("default server %s, set by %s", server[0] != '\0' ? server : "cleared",
	       prov_dbus_daemon_get_caller(invocation));
	prov_dbus_provisioning1_complete_set_default_server(self->skeleton, invocation);
}

static gboolean
prov_dbus_daemon_handle_set_default_server(ProvDBusProvisioning1 *skeleton,
					   GDBusMethodInvocation *invocation,
					   const gchar *server,
					   gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_daemon_authorise(self, invocation, PROV_DBUS_ACTION_CONFIGURE, TRUE,
				   prov_dbus_daemon_set_default_server_authorised);
	return G_DBUS_METHOD_INVOCATION_HANDLED;
}

/* properties and signals */

static GVariant *
prov_dbus_daemon_build_device(ProvDBusDaemon *self)
{
	ProvDevice *device = prov_config_get_device(prov_engine_get_config(self->engine));
	const gchar *const *keys = prov_device_get_keys();
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	for (guint i = 0; keys[i] != NULL; i++) {
		const gchar *value = device != NULL ? prov_device_get(device, keys[i]) : NULL;

		g_variant_builder_add(&builder, "{ss}", keys[i], value != NULL ? value : "");
	}
	return g_variant_builder_end(&builder);
}

static GVariant *
prov_dbus_daemon_build_custom_ca_status(ProvDBusDaemon *self)
{
	g_autofree gchar *status = prov_engine_dup_custom_ca_status(self->engine);
	g_autofree gchar *info = prov_engine_dup_custom_ca_info(self->engine);
	GVariantBuilder builder;

	g_variant_builder_init(&builder, G_VARIANT_TYPE("a{ss}"));
	g_variant_builder_add(&builder, "{ss}", "status", status != NULL ? status : "");
	g_variant_builder_add(&builder, "{ss}", "info", info != NULL ? info : "Not Installed");
	return g_variant_builder_end(&builder);
}

/*
 * The end of a resync needs the record of its result three times: for
 * LastResult on its notify, again in the full sync before ResyncFinished,
 * and as the signal's argument. A finished result does not change, so the
 * record is built once; the result is held, so that another result at the
 * same address cannot be mistaken for it. The same record also makes the
 * skeleton's comparison with the stored LastResult cheap (serialised once).
 */
static GVariant *
prov_dbus_daemon_dup_result_record(ProvDBusDaemon *self, ProvResyncResult *result)
{
	if (result != self->record_result) {
		g_set_object(&self->record_result, result);
		g_clear_pointer(&self->record, g_variant_unref);
		self->record = g_variant_ref_sink(prov_resync_result_to_variant(result));
	}
	return g_variant_ref(self->record);
}

static GVariant *
prov_dbus_daemon_build_last_result(ProvDBusDaemon *self)
{
	ProvResyncResult *result = prov_engine_get_last_result(self->engine);

	if (result == NULL)
		return g_variant_ref_sink(g_variant_new("a{sv}", NULL));
	return prov_dbus_daemon_dup_result_record(self, result);
}

static GVariant *
prov_dbus_daemon_build_provisioning_state(ProvDBusDaemon *self)
{
	return prov_engine_dup_provisioning_state(self->engine);
}

/* the engine notifies "triggers" as they start and stop; the daemon syncs on every notify */
static GVariant *
prov_dbus_daemon_build_triggers(ProvDBusDaemon *self)
{
	return prov_engine_dup_triggers_variant(self->engine);
}

/* microseconds, as the engine counts, to the seconds of the D-Bus properties */
static gint64
prov_dbus_daemon_to_seconds(gint64 time_us)
{
	return time_us > 0 ? time_us / G_USEC_PER_SEC : 0;
}

static void
prov_dbus_daemon_sync_properties(ProvDBusDaemon *self)
{
	ProvDBusProvisioning1 *skeleton = self->skeleton;
	const gchar *server = prov_engine_get_default_server(self->engine);
	g_autoptr(GVariant) last_result = prov_dbus_daemon_build_last_result(self);

	prov_dbus_provisioning1_set_state(
	    skeleton, prov_engine_state_to_string(prov_engine_get_state(self->engine)));
	prov_dbus_provisioning1_set_last_result(skeleton, last_result);
	prov_dbus_provisioning1_set_last_success_time(
	    skeleton, prov_dbus_daemon_to_seconds(prov_engine_get_last_success_time(self->engine)));
	prov_dbus_provisioning1_set_next_resync_time(
	    skeleton, prov_dbus_daemon_to_seconds(prov_engine_get_next_resync_time(self->engine)));
	prov_dbus_provisioning1_set_provisioning_state(
	    skeleton, prov_dbus_daemon_build_provisioning_state(self));
	prov_dbus_provisioning1_set_custom_castatus(skeleton,
						    prov_dbus_daemon_build_custom_ca_status(self));
	prov_dbus_provisioning1_set_busy(
	    skeleton, prov_scheduler_get_busy(prov_engine_get_scheduler(self->engine)));
	prov_dbus_provisioning1_set_default_server(skeleton, server != NULL ? server : "");
	prov_dbus_provisioning1_set_triggers(skeleton, prov_dbus_daemon_build_triggers(self));
	/* the engine may complete the identity from the system (the address) as it runs */
	prov_dbus_provisioning1_set_device(skeleton, prov_dbus_daemon_build_device(self));
}

/*
 * A resync notifies its state, times and result five or six times, and a
 * full sync rebuilds and compares every record (LastResult, the history of
 * ProvisioningState, Device) each time: most of the daemon's own cost of a
 * resync. A notify refreshes what it names; ProvisioningState moves with the
 * state and the result (prvst at the start, err and history at the end). Any
 * other notify, and the sync before ResyncFinished, still refresh them all.
 */
static void
prov_dbus_daemon_engine_notify_cb(GObject *engine, GParamSpec *pspec, gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);
	ProvDBusProvisioning1 *skeleton = self->skeleton;
	const gchar *name = g_param_spec_get_name(pspec);

	if (g_str_equal(name, "state")) {
		prov_dbus_provisioning1_set_state(
		    skeleton, prov_engine_state_to_string(prov_engine_get_state(self->engine)));
		prov_dbus_provisioning1_set_busy(
		    skeleton, prov_scheduler_get_busy(prov_engine_get_scheduler(self->engine)));
		prov_dbus_provisioning1_set_provisioning_state(
		    skeleton, prov_dbus_daemon_build_provisioning_state(self));
	} else if (g_str_equal(name, "next-resync-time")) {
		prov_dbus_provisioning1_set_next_resync_time(
		    skeleton,
		    prov_dbus_daemon_to_seconds(prov_engine_get_next_resync_time(self->engine)));
	} else if (g_str_equal(name, "last-success-time")) {
		prov_dbus_provisioning1_set_last_success_time(
		    skeleton,
		    prov_dbus_daemon_to_seconds(prov_engine_get_last_success_time(self->engine)));
	} else if (g_str_equal(name, "last-result")) {
		g_autoptr(GVariant) last_result = prov_dbus_daemon_build_last_result(self);

		prov_dbus_provisioning1_set_last_result(skeleton, last_result);
		prov_dbus_provisioning1_set_provisioning_state(
		    skeleton, prov_dbus_daemon_build_provisioning_state(self));
	} else {
		prov_dbus_daemon_sync_properties(self);
	}
}

static void
prov_dbus_daemon_resync_started_cb(
    ProvEngine *engine, guint64 id, gint prvst, const gchar *rule, gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_provisioning1_emit_resync_started(self->skeleton, id, prvst,
						    rule != NULL ? rule : "");
}

static void
prov_dbus_daemon_rule_finished_cb(ProvEngine *engine,
				  guint64 id,
				  ProvRuleResult *result,
				  gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_provisioning1_emit_rule_finished(self->skeleton, id,
						   prov_rule_result_to_variant(result));
}

static void
prov_dbus_daemon_resync_finished_cb(ProvEngine *engine,
				    guint64 id,
				    ProvResyncResult *result,
				    gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	g_autoptr(GVariant) record = NULL;

	/* the properties first, so that a client reacting to the signal reads the new state */
	prov_dbus_daemon_sync_properties(self);
	record = prov_dbus_daemon_dup_result_record(self, result);
	prov_dbus_provisioning1_emit_resync_finished(self->skeleton, id, record);
}

static void
prov_dbus_daemon_restart_required_cb(ProvEngine *engine,
				     const gchar *const *names,
				     gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_provisioning1_emit_restart_required(self->skeleton, names);
}

static void
prov_dbus_daemon_reboot_requested_cb(ProvEngine *engine, const gchar *reason, gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_provisioning1_emit_reboot_requested(self->skeleton, reason != NULL ? reason : "");
}

static void
prov_dbus_daemon_params_changed_cb(ProvParams *params,
				   const gchar *const *names,
				   gpointer user_data)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(user_data);

	prov_dbus_provisioning1_emit_parameters_changed(self->skeleton, names);
}

static void
prov_dbus_daemon_connect_skeleton(ProvDBusDaemon *self)
{
	static const struct {
		const gchar *signal;
		GCallback callback;
	} handlers[] = {
	    {"handle-resync", G_CALLBACK(prov_dbus_daemon_handle_resync)},
	    {"handle-get-parameters", G_CALLBACK(prov_dbus_daemon_handle_get_parameters)},
	    {"handle-set-parameters", G_CALLBACK(prov_dbus_daemon_handle_set_parameters)},
	    {"handle-list-parameters", G_CALLBACK(prov_dbus_daemon_handle_list_parameters)},
	    {"handle-list-plugins", G_CALLBACK(prov_dbus_daemon_handle_list_plugins)},
	    {"handle-set-busy", G_CALLBACK(prov_dbus_daemon_handle_set_busy)},
	    {"handle-set-log-level", G_CALLBACK(prov_dbus_daemon_handle_set_log_level)},
	    {"handle-set-default-server", G_CALLBACK(prov_dbus_daemon_handle_set_default_server)},
	};

	for (guint i = 0; i < G_N_ELEMENTS(handlers); i++)
		g_signal_connect(self->skeleton, handlers[i].signal, handlers[i].callback, self);
}

static void
prov_dbus_daemon_disconnect_engine(ProvDBusDaemon *self)
{
	if (self->engine != NULL)
		g_signal_handlers_disconnect_by_data(self->engine, self);
	if (self->params != NULL)
		g_signal_handlers_disconnect_by_data(self->params, self);
	g_clear_object(&self->params);
	g_clear_object(&self->engine);
}

/**
 * prov_dbus_daemon_set_engine:
 * @self: a #ProvDBusDaemon
 * @engine: the engine to export from now on
 *
 * Replaces the engine behind the interface, as a simulated reboot does
 * (the test-only org.provisiond.Test1.Reboot): the properties follow the
 * new engine at once.
 *
 * Since: 0.1
 */
void
prov_dbus_daemon_set_engine(ProvDBusDaemon *self, ProvEngine *engine)
{
	g_return_if_fail(PROV_IS_DBUS_DAEMON(self));
	g_return_if_fail(PROV_IS_ENGINE(engine));

	g_object_ref(engine);
	prov_dbus_daemon_disconnect_engine(self);
	self->engine = engine;
	self->params = g_object_ref(prov_engine_get_params(engine));
	g_signal_connect(self->engine, "notify", G_CALLBACK(prov_dbus_daemon_engine_notify_cb),
			 self);
	g_signal_connect(self->engine, "resync-started",
			 G_CALLBACK(prov_dbus_daemon_resync_started_cb), self);
	g_signal_connect(self->engine, "rule-finished",
			 G_CALLBACK(prov_dbus_daemon_rule_finished_cb), self);
	g_signal_connect(self->engine, "resync-finished",
			 G_CALLBACK(prov_dbus_daemon_resync_finished_cb), self);
	g_signal_connect(self->engine, "restart-required",
			 G_CALLBACK(prov_dbus_daemon_restart_required_cb), self);
	g_signal_connect(self->engine, "reboot-requested",
			 G_CALLBACK(prov_dbus_daemon_reboot_requested_cb), self);
	g_signal_connect(self->params, "changed", G_CALLBACK(prov_dbus_daemon_params_changed_cb),
			 self);
	prov_dbus_daemon_sync_properties(self);
}

/**
 * prov_dbus_daemon_refresh_properties:
 * @self: a #ProvDBusDaemon
 *
 * Reads every property from the engine again, for changes the engine does
 * not notify (its triggers start with prov_engine_start()); clients see a
 * PropertiesChanged signal for those that differ.
 *
 * Since: 0.1
 */
void
prov_dbus_daemon_refresh_properties(ProvDBusDaemon *self)
{
	g_return_if_fail(PROV_IS_DBUS_DAEMON(self));
	prov_dbus_daemon_sync_properties(self);
}

/**
 * prov_dbus_daemon_export:
 * @self: a #ProvDBusDaemon
 * @connection: the bus
 * @object_path: where, normally %PROV_DBUS_DAEMON_OBJECT_PATH
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the interface is exported
 *
 * Since: 0.1
 */
gboolean
prov_dbus_daemon_export(ProvDBusDaemon *self,
			GDBusConnection *connection,
			const gchar *object_path,
			GError **error)
{
	g_return_val_if_fail(PROV_IS_DBUS_DAEMON(self), FALSE);
	g_return_val_if_fail(G_IS_DBUS_CONNECTION(connection), FALSE);
	g_return_val_if_fail(g_variant_is_object_path(object_path), FALSE);

	return g_dbus_interface_skeleton_export(G_DBUS_INTERFACE_SKELETON(self->skeleton),
						connection, object_path, error);
}

/**
 * prov_dbus_daemon_unexport:
 * @self: a #ProvDBusDaemon
 *
 * Withdraws the interface and cancels the authorisation checks in flight;
 * their calls then fail with a "shutting down" error, once the main context
 * runs again (prov_dbus_daemon_get_n_pending() says when all have).
 *
 * Since: 0.1
 */
void
prov_dbus_daemon_unexport(ProvDBusDaemon *self)
{
	GDBusInterfaceSkeleton *skeleton;

	g_return_if_fail(PROV_IS_DBUS_DAEMON(self));

	skeleton = G_DBUS_INTERFACE_SKELETON(self->skeleton);
	if (g_dbus_interface_skeleton_get_connection(skeleton) != NULL)
		g_dbus_interface_skeleton_unexport(skeleton);
	g_cancellable_cancel(self->cancellable);
}

/**
 * prov_dbus_daemon_get_n_pending:
 * @self: a #ProvDBusDaemon
 *
 * Returns: the number of method calls that wait for an authorisation decision
 *
 * Since: 0.1
 */
guint
prov_dbus_daemon_get_n_pending(ProvDBusDaemon *self)
{
	g_return_val_if_fail(PROV_IS_DBUS_DAEMON(self), 0);
	return self->n_pending;
}

/**
 * prov_dbus_daemon_get_skeleton:
 * @self: a #ProvDBusDaemon
 *
 * Returns: (transfer none): the org.provisiond.Provisioning1 skeleton
 *
 * Since: 0.1
 */
GDBusInterfaceSkeleton *
prov_dbus_daemon_get_skeleton(ProvDBusDaemon *self)
{
	g_return_val_if_fail(PROV_IS_DBUS_DAEMON(self), NULL);
	return G_DBUS_INTERFACE_SKELETON(self->skeleton);
}

static void
prov_dbus_daemon_dispose(GObject *object)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(object);

	if (self->skeleton != NULL) {
		prov_dbus_daemon_unexport(self);
		g_signal_handlers_disconnect_by_data(self->skeleton, self);
	}
	prov_dbus_daemon_disconnect_engine(self);
	g_clear_object(&self->skeleton);
	g_clear_object(&self->authority);
	G_OBJECT_CLASS(prov_dbus_daemon_parent_class)->dispose(object);
}

static void
prov_dbus_daemon_finalize(GObject *object)
{
	ProvDBusDaemon *self = PROV_DBUS_DAEMON(object);

	g_object_unref(self->cancellable);
	g_clear_object(&self->record_result);
	g_clear_pointer(&self->record, g_variant_unref);
	G_OBJECT_CLASS(prov_dbus_daemon_parent_class)->finalize(object);
}

static void
prov_dbus_daemon_class_init(ProvDBusDaemonClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_dbus_daemon_dispose;
	object_class->finalize = prov_dbus_daemon_finalize;
}

static void
prov_dbus_daemon_init(ProvDBusDaemon *self)
{
	self->cancellable = g_cancellable_new();
}

/**
 * prov_dbus_daemon_new:
 * @engine: the engine to export
 * @authority: who decides what callers may do
 *
 * Returns: (transfer full): a new #ProvDBusDaemon, its properties filled
 *   from @engine; export it with prov_dbus_daemon_export()
 *
 * Since: 0.1
 */
ProvDBusDaemon *
prov_dbus_daemon_new(ProvEngine *engine, ProvDBusAuthority *authority)
{
	ProvDBusDaemon *self;

	g_return_val_if_fail(PROV_IS_ENGINE(engine), NULL);
	g_return_val_if_fail(PROV_IS_DBUS_AUTHORITY(authority), NULL);

	self = g_object_new(PROV_TYPE_DBUS_DAEMON, NULL);
	self->authority = g_object_ref(authority);
	self->skeleton = prov_dbus_provisioning1_skeleton_new();
	prov_dbus_provisioning1_set_version(self->skeleton, PACKAGE_VERSION);
	prov_dbus_daemon_connect_skeleton(self);
	prov_dbus_daemon_set_engine(self, engine);
	return self;
}
