/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvConfig"

#include "config.h"

#include <gio/gio.h>

#include "prov-config.h"
#include "prov-error.h"
#include "prov-syslog.h"

/* the [daemon] keys of DESIGN.md's command-line contract */
static const gchar *const prov_config_daemon_keys[] = {
    "StateDirectory", "PluginDirectory", "SchemaDirectory",  "DeviceCertificate",
    "DeviceKey",      "CAFile",		 "BehaviourProfile", "DefaultServer",
    "HardenedMode",   "SyslogFormat",	 "SyslogMaxSize",    NULL,
};

static const gchar *const prov_config_limits_keys[] = {
    "FetchMax",	     "DecodedMax",     "MaxAssignments", "MaxDepth",
    "MaxNameLength", "MaxValueLength", "MaxAttributes",	 NULL,
};

/**
 * ProvConfig:
 *
 * The daemon's configuration file, a #GKeyFile: the device identity in
 * `[device]` (a #ProvDevice), the `[daemon]` settings (directories, TLS
 * material, behaviour profile, `HardenedMode`, syslog framing), the caps of
 * `[limits]` (#ProvLimits), factory parameter values in `[parameters]`, and
 * the groups of the triggers (`[http-trigger]`, `[sip-trigger]`), which each
 * trigger reads itself. Unknown keys in the groups the core owns are
 * refused, so that a misspelt setting does not pass unnoticed.
 *
 * Since: 0.1
 */
struct _ProvConfig {
	GObject parent_instance;
	GKeyFile *key_file;
	ProvDevice *device;
	ProvLimits limits;
	ProvBehaviour behaviour;
	gboolean hardened_mode;
	ProvSyslogFormat syslog_format;
	gsize syslog_max_size;
	GHashTable *daemon_values;
	GPtrArray *parameter_overrides;
};

G_DEFINE_TYPE(ProvConfig, prov_config, G_TYPE_OBJECT)

/*
 * a mistyped key would otherwise be ignored silently and the setting the
 * operator meant would never take effect, so the groups we own are checked
 */
static gboolean
prov_config_check_keys(GKeyFile *key_file,
		       const gchar *group,
		       const gchar *const *known,
		       GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(key_file, group, NULL, NULL);

	if (keys == NULL)
		return TRUE;
	for (guint i = 0; keys[i] != NULL; i++) {
		if (!g_strv_contains(known, keys[i])) {
			g_autofree gchar *list = g_strjoinv(", ", (gchar **)known);

			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[%s] unknown key %s (known: %s)", group, keys[i], list);
			return FALSE;
		}
	}
	return TRUE;
}

/* R32: a typo must not leave a device that the operator meant to harden in the lax mode */
static gboolean
prov_config_parse_hardened_mode(GHashTable *daemon_values, gboolean *hardened_mode, GError **error)
{
	const gchar *text = g_hash_table_lookup(daemon_values, "HardenedMode");

	*hardened_mode = FALSE;
	if (text == NULL || text[0] == '\0')
		return TRUE;
	if (g_strcmp0(text, "true") == 0 || g_strcmp0(text, "1") == 0) {
		*hardened_mode = TRUE;
		return TRUE;
	}
	if (g_strcmp0(text, "false") == 0 || g_strcmp0(text, "0") == 0)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
		    "[daemon] HardenedMode: %s is not true or false", text);
	return FALSE;
}

/* reference 5.6 and R44: the framing of the syslog datagrams and their size cap */
static gboolean
prov_config_parse_syslog(GHashTable *daemon_values,
			 ProvSyslogFormat *format,
			 gsize *max_size,
			 GError **error)
{
	const gchar *text = g_hash_table_lookup(daemon_values, "SyslogFormat");
	guint64 size = PROV_SYSLOG_DEFAULT_MAX_SIZE;

	*format = PROV_SYSLOG_FORMAT_RFC3164;
	*max_size = PROV_SYSLOG_DEFAULT_MAX_SIZE;
	if (text != NULL && text[0] != '\0' && !prov_syslog_format_from_string(text, format)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[daemon] SyslogFormat: %s is not rfc3164 or rfc5424", text);
		return FALSE;
	}
	text = g_hash_table_lookup(daemon_values, "SyslogMaxSize");
	if (text != NULL && text[0] != '\0' &&
	    !g_ascii_string_to_unsigned(text, 10, PROV_SYSLOG_MIN_SIZE, PROV_SYSLOG_MAX_SIZE, &size,
					NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
			    "[daemon] SyslogMaxSize: %s is not a number from %u to %u", text,
			    (guint)PROV_SYSLOG_MIN_SIZE, (guint)PROV_SYSLOG_MAX_SIZE);
		return FALSE;
	}
	*max_size = (gsize)size;
	return TRUE;
}

static gboolean
prov_config_load_key_file(ProvConfig *self, GKeyFile *key_file, GError **error)
{
	g_autoptr(ProvDevice) device = prov_device_new();
	g_autoptr(GHashTable) daemon_values =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	g_autoptr(GPtrArray) overrides = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) daemon_keys = NULL;
	g_auto(GStrv) parameter_keys = NULL;
	ProvLimits limits;
	ProvBehaviour behaviour = PROV_BEHAVIOUR_MPP;
	gboolean hardened_mode = FALSE;
	ProvSyslogFormat syslog_format = PROV_SYSLOG_FORMAT_RFC3164;
	gsize syslog_max_size = PROV_SYSLOG_DEFAULT_MAX_SIZE;
	g_autoptr(GError) error_local = NULL;

	if (!prov_config_check_keys(key_file, "daemon", prov_config_daemon_keys, error) ||
	    !prov_config_check_keys(key_file, "limits", prov_config_limits_keys, error))
		return FALSE;
	if (!prov_device_load_from_key_file(device, key_file, &error_local)) {
		/* one code for every mistake in the file, whichever module found it */
		g_set_error_literal(error, PROV_ERROR, PROV_ERROR_CONFIG, error_local->message);
		return FALSE;
	}
	prov_limits_init(&limits);
	if (!prov_limits_load_from_key_file(&limits, key_file, error))
		return FALSE;

	daemon_keys = g_key_file_get_keys(key_file, "daemon", NULL, NULL);
	for (guint i = 0; daemon_keys != NULL && daemon_keys[i] != NULL; i++) {
		gchar *value = g_key_file_get_string(key_file, "daemon", daemon_keys[i], NULL);

		g_hash_table_insert(daemon_values, g_strdup(daemon_keys[i]),
				    g_strstrip(value != NULL ? value : g_strdup("")));
	}
	if (g_hash_table_contains(daemon_values, "BehaviourProfile")) {
		const gchar *text = g_hash_table_lookup(daemon_values, "BehaviourProfile");

		if (!prov_behaviour_from_string(text, &behaviour)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_CONFIG,
				    "[daemon] BehaviourProfile: %s is not mpp or spa", text);
			return FALSE;
		}
	}
	if (!prov_config_parse_hardened_mode(daemon_values, &hardened_mode, error) ||
	    !prov_config_parse_syslog(daemon_values, &syslog_format, &syslog_max_size, error))
		return FALSE;

	/* kept as NAME=VALUE in file order; the parameter model validates them */
	parameter_keys = g_key_file_get_keys(key_file, "parameters", NULL, NULL);
	for (guint i = 0; parameter_keys != NULL && parameter_keys[i] != NULL; i++) {
		g_autofree gchar *value =
		    g_key_file_get_string(key_file, "parameters", parameter_keys[i], NULL);

		g_ptr_array_add(overrides, g_strdup_printf("%s=%s", parameter_keys[i],
							   value != NULL ? value : ""));
	}

	g_clear_pointer(&self->key_file, g_key_file_unref);
	self->key_file = g_key_file_ref(key_file);
	g_set_object(&self->device, device);
	self->limits = limits;
	self->behaviour = behaviour;
	self->hardened_mode = hardened_mode;
	self->syslog_format = syslog_format;
	self->syslog_max_size = syslog_max_size;
	g_clear_pointer(&self->daemon_values, g_hash_table_unref);
	self->daemon_values = g_steal_pointer(&daemon_values);
	g_clear_pointer(&self->parameter_overrides, g_ptr_array_unref);
	self->parameter_overrides = g_steal_pointer(&overrides);
	return TRUE;
}

/**
 * prov_config_load_file:
 * @self: a #ProvConfig
 * @path: a GKeyFile config, as DESIGN.md describes it
 * @error: return location for a #GError
 *
 * Loads the whole file or nothing: on error the previous configuration
 * stays in effect, and the message names the file, group and key.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_config_load_file(ProvConfig *self, const gchar *path, GError **error)
{
	g_autoptr(GKeyFile) key_file = g_key_file_new();

	g_return_val_if_fail(PROV_IS_CONFIG(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);

	if (!g_key_file_load_from_file(key_file, path, G_KEY_FILE_NONE, error) ||
	    !prov_config_load_key_file(self, key_file, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	return TRUE;
}

/**
 * prov_config_load_data:
 * @self: a #ProvConfig
 * @data: the text of a config file
 * @length: the length of @data, or -1 when it is NUL-terminated
 * @error: return location for a #GError
 *
 * Like prov_config_load_file(), from memory.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_config_load_data(ProvConfig *self, const gchar *data, gssize length, GError **error)
{
	g_autoptr(GKeyFile) key_file = g_key_file_new();

	g_return_val_if_fail(PROV_IS_CONFIG(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);

	if (!g_key_file_load_from_data(key_file, data, length, G_KEY_FILE_NONE, error))
		return FALSE;
	return prov_config_load_key_file(self, key_file, error);
}

/**
 * prov_config_get_device:
 * @self: a #ProvConfig
 *
 * Returns: (transfer none): the identity of the `[device]` group; callers
 * may add `--device` overrides and system fallbacks to it
 *
 * Since: 0.1
 */
ProvDevice *
prov_config_get_device(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), NULL);
	return self->device;
}

/**
 * prov_config_get_limits:
 * @self: a #ProvConfig
 *
 * Returns: (transfer none): the caps, defaults overridden by `[limits]`
 *
 * Since: 0.1
 */
const ProvLimits *
prov_config_get_limits(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), NULL);
	return &self->limits;
}

/**
 * prov_config_get_behaviour:
 * @self: a #ProvConfig
 *
 * Returns: the behaviour profile of `[daemon] BehaviourProfile`, `mpp` by default
 *
 * Since: 0.1
 */
ProvBehaviour
prov_config_get_behaviour(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), PROV_BEHAVIOUR_MPP);
	return self->behaviour;
}

/**
 * prov_config_get_hardened_mode:
 * @self: a #ProvConfig
 *
 * Returns: `[daemon] HardenedMode`: whether a profile fetched without TLS
 *   is refused when it would change rules, keys or credentials (R32);
 *   %FALSE by default
 *
 * Since: 0.1
 */
gboolean
prov_config_get_hardened_mode(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), FALSE);
	return self->hardened_mode;
}

/**
 * prov_config_get_syslog_format:
 * @self: a #ProvConfig
 *
 * Returns: the framing of syslog datagrams, `[daemon] SyslogFormat`:
 *   %PROV_SYSLOG_FORMAT_RFC3164 unless the file says `rfc5424`
 *
 * Since: 0.1
 */
ProvSyslogFormat
prov_config_get_syslog_format(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), PROV_SYSLOG_FORMAT_RFC3164);
	return self->syslog_format;
}

/**
 * prov_config_get_syslog_max_size:
 * @self: a #ProvConfig
 *
 * Returns: the largest syslog datagram in octets, `[daemon] SyslogMaxSize`:
 *   from %PROV_SYSLOG_MIN_SIZE to %PROV_SYSLOG_MAX_SIZE, 480 by default (R44)
 *
 * Since: 0.1
 */
gsize
prov_config_get_syslog_max_size(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), PROV_SYSLOG_DEFAULT_MAX_SIZE);
	return self->syslog_max_size;
}

/**
 * prov_config_get_daemon_value:
 * @self: a #ProvConfig
 * @key: a key of the `[daemon]` group, such as `StateDirectory`
 *
 * Returns: (transfer none) (nullable): the value with surrounding
 * whitespace removed, or %NULL when the file does not set it
 *
 * Since: 0.1
 */
const gchar *
prov_config_get_daemon_value(ProvConfig *self, const gchar *key)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), NULL);
	return g_hash_table_lookup(self->daemon_values, key);
}

/**
 * prov_config_get_parameter_overrides:
 * @self: a #ProvConfig
 *
 * Returns: (transfer none) (element-type utf8): the `[parameters]` group as
 * `NAME=VALUE` strings in file order: factory values applied before the
 * stored state
 *
 * Since: 0.1
 */
GPtrArray *
prov_config_get_parameter_overrides(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), NULL);
	return self->parameter_overrides;
}

/**
 * prov_config_get_key_file:
 * @self: a #ProvConfig
 *
 * Returns: (transfer none): the whole file, for the groups that plugins own
 * (`[http-trigger]`, `[sip-trigger]`, ...)
 *
 * Since: 0.1
 */
GKeyFile *
prov_config_get_key_file(ProvConfig *self)
{
	g_return_val_if_fail(PROV_IS_CONFIG(self), NULL);
	return self->key_file;
}

static void
prov_config_dispose(GObject *object)
{
	ProvConfig *self = PROV_CONFIG(object);

	g_clear_object(&self->device);
	G_OBJECT_CLASS(prov_config_parent_class)->dispose(object);
}

static void
prov_config_finalize(GObject *object)
{
	ProvConfig *self = PROV_CONFIG(object);

	g_clear_pointer(&self->key_file, g_key_file_unref);
	g_clear_pointer(&self->daemon_values, g_hash_table_unref);
	g_clear_pointer(&self->parameter_overrides, g_ptr_array_unref);
	G_OBJECT_CLASS(prov_config_parent_class)->finalize(object);
}

static void
prov_config_class_init(ProvConfigClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_config_dispose;
	object_class->finalize = prov_config_finalize;
}

static void
prov_config_init(ProvConfig *self)
{
	self->key_file = g_key_file_new();
	self->device = prov_device_new();
	prov_limits_init(&self->limits);
	self->behaviour = PROV_BEHAVIOUR_MPP;
	self->syslog_format = PROV_SYSLOG_FORMAT_RFC3164;
	self->syslog_max_size = PROV_SYSLOG_DEFAULT_MAX_SIZE;
	self->daemon_values = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	self->parameter_overrides = g_ptr_array_new_with_free_func(g_free);
}

/**
 * prov_config_new:
 *
 * Returns: (transfer full): a configuration with every default in place
 *
 * Since: 0.1
 */
ProvConfig *
prov_config_new(void)
{
	return g_object_new(PROV_TYPE_CONFIG, NULL);
}
