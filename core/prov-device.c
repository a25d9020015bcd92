/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDevice"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "prov-device.h"
#include "prov-error.h"

typedef enum {
	PROV_DEVICE_KEY_MAC,
	PROV_DEVICE_KEY_SERIAL,
	PROV_DEVICE_KEY_PRODUCT_NAME,
	PROV_DEVICE_KEY_PRODUCT_SERIES,
	PROV_DEVICE_KEY_SOFTWARE_VERSION,
	PROV_DEVICE_KEY_HARDWARE_VERSION,
	PROV_DEVICE_KEY_MANUFACTURER,
	PROV_DEVICE_KEY_IP,
	PROV_DEVICE_KEY_LAST
} ProvDeviceKey;

static const gchar *const prov_device_keys[] = {
    [PROV_DEVICE_KEY_MAC] = PROV_DEVICE_MAC,
    [PROV_DEVICE_KEY_SERIAL] = PROV_DEVICE_SERIAL,
    [PROV_DEVICE_KEY_PRODUCT_NAME] = PROV_DEVICE_PRODUCT_NAME,
    [PROV_DEVICE_KEY_PRODUCT_SERIES] = PROV_DEVICE_PRODUCT_SERIES,
    [PROV_DEVICE_KEY_SOFTWARE_VERSION] = PROV_DEVICE_SOFTWARE_VERSION,
    [PROV_DEVICE_KEY_HARDWARE_VERSION] = PROV_DEVICE_HARDWARE_VERSION,
    [PROV_DEVICE_KEY_MANUFACTURER] = PROV_DEVICE_MANUFACTURER,
    [PROV_DEVICE_KEY_IP] = PROV_DEVICE_IP,
    NULL,
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_device_keys) == PROV_DEVICE_KEY_LAST + 1);

/*
 * identity strings travel in User-Agent headers, syslog lines and URLs, so
 * they are limited to printable ASCII of a sane length: a CR or LF here would
 * let a config file inject headers
 */
#define PROV_DEVICE_VALUE_MAX 128

/**
 * ProvDevice:
 *
 * The identity of the device: MAC, serial, product name and series,
 * software and hardware version, manufacturer and IP address. Macros read it
 * (`$MA`, `$SN`, `$PN`, …), and so do the User-Agent and the syslog
 * templates. It comes from the `[device]` group of the config file or
 * `--device`, with fallbacks from the system. Every value is printable ASCII
 * of bounded length, because it travels in HTTP headers and syslog lines.
 *
 * Since: 0.1
 */
struct _ProvDevice {
	GObject parent_instance;
	gchar *values[PROV_DEVICE_KEY_LAST];
	/* ProductSeries derived from ProductName unless set explicitly */
	gchar *derived_series;
};

G_DEFINE_TYPE(ProvDevice, prov_device, G_TYPE_OBJECT)

static gint
prov_device_key_from_string(const gchar *key)
{
	for (guint i = 0; i < PROV_DEVICE_KEY_LAST; i++) {
		if (g_strcmp0(prov_device_keys[i], key) == 0)
			return (gint)i;
	}
	return -1;
}

/* accepts 000e08012345, 00:0e:08:01:23:45 and 00-0E-08-01-23-45 */
static gchar *
prov_device_normalize_mac(const gchar *text)
{
	g_autoptr(GString) mac = g_string_sized_new(12);
	gsize len = strlen(text);
	gchar separator = '\0';

	if (len == 17) {
		separator = text[2];
		if (separator != ':' && separator != '-')
			return NULL;
	} else if (len != 12) {
		return NULL;
	}
	for (gsize i = 0; i < len; i++) {
		if (separator != '\0' && i % 3 == 2) {
			if (text[i] != separator)
				return NULL;
			continue;
		}
		if (!g_ascii_isxdigit(text[i]))
			return NULL;
		g_string_append_c(mac, g_ascii_tolower(text[i]));
	}
	return g_string_free(g_steal_pointer(&mac), FALSE);
}

static gboolean
prov_device_value_is_printable(const gchar *value)
{
	for (const gchar *p = value; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return FALSE;
	}
	return TRUE;
}

/* reference 3.3: PSN defaults to the digits of the model (ATA192-MPP → 192) */
static gchar *
prov_device_derive_series(const gchar *product_name)
{
	const gchar *start = product_name;
	const gchar *end;

	while (*start != '\0' && !g_ascii_isdigit(*start))
		start++;
	end = start;
	while (g_ascii_isdigit(*end))
		end++;
	return g_strndup(start, end - start);
}

/**
 * prov_device_set:
 * @self: a #ProvDevice
 * @key: an identity key such as `MAC` or `Serial` (see prov_device_get_keys())
 * @value: the value; a MAC may be written with `:` or `-` separators
 * @error: return location for a #GError
 *
 * Sets one identity value after validating it. On error nothing changes.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_device_set(ProvDevice *self, const gchar *key, const gchar *value, GError **error)
{
	gint index;
	g_autofree gchar *normalized = NULL;

	g_return_val_if_fail(PROV_IS_DEVICE(self), FALSE);
	g_return_val_if_fail(key != NULL, FALSE);
	g_return_val_if_fail(value != NULL, FALSE);

	index = prov_device_key_from_string(key);
	if (index < 0) {
		g_autofree gchar *known = g_strjoinv(", ", (gchar **)prov_device_keys);

		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "unknown device key %s (known: %s)", key, known);
		return FALSE;
	}
	if (strlen(value) > PROV_DEVICE_VALUE_MAX || !prov_device_value_is_printable(value)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "device %s: value must be printable ASCII of at most %d characters",
			    key, PROV_DEVICE_VALUE_MAX);
		return FALSE;
	}
	switch (index) {
	case PROV_DEVICE_KEY_MAC:
		normalized = prov_device_normalize_mac(value);
		if (normalized == NULL) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "device MAC: %s is not 12 hexadecimal digits", value);
			return FALSE;
		}
		break;
	case PROV_DEVICE_KEY_IP:
		if (value[0] != '\0' && !g_hostname_is_ip_address(value)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "device IP: %s is not an IPv4 or IPv6 address", value);
			return FALSE;
		}
		normalized = g_strdup(value);
		break;
	default:
		normalized = g_strdup(value);
		break;
	}
	g_free(self->values[index]);
	self->values[index] = g_steal_pointer(&normalized);
	if (index == PROV_DEVICE_KEY_PRODUCT_NAME) {
		g_free(self->derived_series);
		self->derived_series = prov_device_derive_series(value);
	}
	return TRUE;
}

/**
 * prov_device_set_from_assignment:
 * @self: a #ProvDevice
 * @assignment: `KEY=VALUE`, as the `--device` option takes it
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_device_set_from_assignment(ProvDevice *self, const gchar *assignment, GError **error)
{
	const gchar *equals;
	g_autofree gchar *key = NULL;

	g_return_val_if_fail(PROV_IS_DEVICE(self), FALSE);
	g_return_val_if_fail(assignment != NULL, FALSE);

	equals = strchr(assignment, '=');
	if (equals == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "device setting %s is not KEY=VALUE", assignment);
		return FALSE;
	}
	key = g_strndup(assignment, equals - assignment);
	return prov_device_set(self, key, equals + 1, error);
}

/**
 * prov_device_load_from_key_file:
 * @self: a #ProvDevice
 * @key_file: a config file with an optional `[device]` group
 * @error: return location for a #GError
 *
 * Reads every key of the `[device]` group. An unknown key or an invalid value
 * is an error naming the key, and then nothing changes.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_device_load_from_key_file(ProvDevice *self, GKeyFile *key_file, GError **error)
{
	g_auto(GStrv) keys = NULL;
	g_autoptr(ProvDevice) staged = prov_device_new();

	g_return_val_if_fail(PROV_IS_DEVICE(self), FALSE);
	g_return_val_if_fail(key_file != NULL, FALSE);

	keys = g_key_file_get_keys(key_file, "device", NULL, NULL);
	if (keys == NULL)
		return TRUE;
	for (guint i = 0; i < PROV_DEVICE_KEY_LAST; i++)
		staged->values[i] = g_strdup(self->values[i]);
	staged->derived_series = g_strdup(self->derived_series);
	for (guint i = 0; keys[i] != NULL; i++) {
		g_autofree gchar *value = g_key_file_get_string(key_file, "device", keys[i], NULL);

		if (value == NULL)
			value = g_strdup("");
		if (!prov_device_set(staged, keys[i], value, error)) {
			g_prefix_error(error, "[device] ");
			return FALSE;
		}
	}
	for (guint i = 0; i < PROV_DEVICE_KEY_LAST; i++) {
		g_free(self->values[i]);
		self->values[i] = g_steal_pointer(&staged->values[i]);
	}
	g_free(self->derived_series);
	self->derived_series = g_steal_pointer(&staged->derived_series);
	return TRUE;
}

/* the first interface in name order with a real address, as a stable choice */
static gchar *
prov_device_find_system_mac(void)
{
	g_autoptr(GDir) dir = g_dir_open("/sys/class/net", 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const gchar *name;

	if (dir == NULL)
		return NULL;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (g_strcmp0(name, "lo") != 0)
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree gchar *path = g_build_filename(
		    "/sys/class/net", (const gchar *)g_ptr_array_index(names, i), "address", NULL);
		g_autofree gchar *contents = NULL;
		g_autofree gchar *mac = NULL;

		if (!g_file_get_contents(path, &contents, NULL, NULL))
			continue;
		g_strstrip(contents);
		mac = prov_device_normalize_mac(contents);
		if (mac != NULL && g_strcmp0(mac, "000000000000") != 0)
			return g_steal_pointer(&mac);
	}
	return NULL;
}

/**
 * prov_device_fill_from_system:
 * @self: a #ProvDevice
 *
 * Fills in what the config file left unset: the MAC of the first network
 * interface that has one, and provisiond's own name and version as product
 * and software version.
 *
 * Since: 0.1
 */
void
prov_device_fill_from_system(ProvDevice *self)
{
	g_return_if_fail(PROV_IS_DEVICE(self));

	if (self->values[PROV_DEVICE_KEY_MAC] == NULL)
		self->values[PROV_DEVICE_KEY_MAC] = prov_device_find_system_mac();
	if (self->values[PROV_DEVICE_KEY_PRODUCT_NAME] == NULL)
		prov_device_set(self, PROV_DEVICE_PRODUCT_NAME, "provisiond", NULL);
	if (self->values[PROV_DEVICE_KEY_MANUFACTURER] == NULL)
		self->values[PROV_DEVICE_KEY_MANUFACTURER] = g_strdup("provisiond");
	if (self->values[PROV_DEVICE_KEY_SOFTWARE_VERSION] == NULL)
		self->values[PROV_DEVICE_KEY_SOFTWARE_VERSION] = g_strdup(PACKAGE_VERSION);
}

/**
 * prov_device_get:
 * @self: a #ProvDevice
 * @key: an identity key
 *
 * Returns: (transfer none): the value, the empty string when unset, or
 * %NULL for an unknown key
 *
 * Since: 0.1
 */
const gchar *
prov_device_get(ProvDevice *self, const gchar *key)
{
	gint index;

	g_return_val_if_fail(PROV_IS_DEVICE(self), NULL);

	index = prov_device_key_from_string(key);
	if (index < 0)
		return NULL;
	if (index == PROV_DEVICE_KEY_PRODUCT_SERIES && self->values[index] == NULL)
		return self->derived_series != NULL ? self->derived_series : "";
	return self->values[index] != NULL ? self->values[index] : "";
}

/**
 * prov_device_get_keys:
 *
 * Returns: (transfer none): the %NULL-terminated list of identity keys
 *
 * Since: 0.1
 */
const gchar *const *
prov_device_get_keys(void)
{
	return prov_device_keys;
}

/**
 * prov_device_get_mac:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the MAC as 12 lower-case hex digits (`$MA`), or
 * the empty string when unknown
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_mac(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_MAC);
}

/**
 * prov_device_dup_mac_upper:
 * @self: a #ProvDevice
 *
 * Returns: (transfer full): the MAC in upper case (`$MAU`)
 *
 * Since: 0.1
 */
gchar *
prov_device_dup_mac_upper(ProvDevice *self)
{
	return g_ascii_strup(prov_device_get_mac(self), -1);
}

/**
 * prov_device_dup_mac_colon:
 * @self: a #ProvDevice
 *
 * Returns: (transfer full): the MAC in lower case with colons (`$MAC`), or
 * the empty string when unknown
 *
 * Since: 0.1
 */
gchar *
prov_device_dup_mac_colon(ProvDevice *self)
{
	const gchar *mac = prov_device_get_mac(self);
	GString *text = g_string_sized_new(17);

	for (guint i = 0; mac[i] != '\0'; i++) {
		if (i > 0 && i % 2 == 0)
			g_string_append_c(text, ':');
		g_string_append_c(text, mac[i]);
	}
	return g_string_free(text, FALSE);
}

/**
 * prov_device_get_serial:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the serial number (`$SN`)
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_serial(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_SERIAL);
}

/**
 * prov_device_get_product_name:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the product name (`$PN`)
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_product_name(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_PRODUCT_NAME);
}

/**
 * prov_device_get_product_series:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the product series (`$PSN`): the configured
 * value, or else the first run of digits in the product name
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_product_series(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_PRODUCT_SERIES);
}

/**
 * prov_device_get_software_version:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the software version (`$SWVER`)
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_software_version(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_SOFTWARE_VERSION);
}

/**
 * prov_device_get_hardware_version:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the hardware version (`$HWVER`)
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_hardware_version(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_HARDWARE_VERSION);
}

/**
 * prov_device_get_manufacturer:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the manufacturer, as the User-Agent names it
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_manufacturer(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_MANUFACTURER);
}

/**
 * prov_device_get_ip:
 * @self: a #ProvDevice
 *
 * Returns: (transfer none): the device's LAN address (`$IP`)
 *
 * Since: 0.1
 */
const gchar *
prov_device_get_ip(ProvDevice *self)
{
	return prov_device_get(self, PROV_DEVICE_IP);
}

/*
 * MPP firmware reports `<major>.<minor>` of the running version (reference
 * 6.2.2); its versions read `sip7832.11-3-2MPP0001-609` or `11-1-0MPP-19`
 * (reference 4.4), so a model prefix is skipped and `-` separates too
 */
static gchar *
prov_device_dup_major_minor(const gchar *version)
{
	const gchar *start = version;
	const gchar *dot = strchr(version, '.');
	const gchar *end;

	if (g_str_has_prefix(version, "sip") && dot != NULL)
		start = dot + 1;
	end = start;
	while (g_ascii_isdigit(*end))
		end++;
	/* a version that does not start with a number is sent whole */
	if (end == start)
		return g_strdup(version);
	if ((*end == '.' || *end == '-') && g_ascii_isdigit(end[1])) {
		g_autofree gchar *major = g_strndup(start, end - start);
		const gchar *minor = end + 1;
		const gchar *minor_end = minor;

		while (g_ascii_isdigit(*minor_end))
			minor_end++;
		return g_strdup_printf("%s.%.*s", major, (gint)(minor_end - minor), minor);
	}
	return g_strndup(start, end - start);
}

/**
 * prov_device_dup_user_agent:
 * @self: a #ProvDevice
 * @behaviour: the behaviour profile, which picks the family's format
 * @override: (nullable): `HTTP_User_Agent_Name`, already macro-expanded;
 *   when not empty it is the whole header
 *
 * The HTTP User-Agent of reference 6.2.2: `mpp` sends
 * `<Manufacturer>-<ProductName>/<major.minor> (<MAC>)(<Serial>)`, `spa`
 * sends `<Manufacturer>/<ProductName>-<SoftwareVersion> (<MAC upper>)(<Serial>)`,
 * so that the server's access log names the maker, product, firmware version
 * and serial number.
 *
 * Returns: (transfer full): the User-Agent
 *
 * Since: 0.1
 */
gchar *
prov_device_dup_user_agent(ProvDevice *self, ProvBehaviour behaviour, const gchar *override)
{
	g_autofree gchar *version = NULL;
	g_autofree gchar *mac_upper = NULL;

	g_return_val_if_fail(PROV_IS_DEVICE(self), NULL);

	if (override != NULL && override[0] != '\0')
		return g_strdup(override);
	if (behaviour == PROV_BEHAVIOUR_SPA) {
		mac_upper = prov_device_dup_mac_upper(self);
		return g_strdup_printf("%s/%s-%s (%s)(%s)", prov_device_get_manufacturer(self),
				       prov_device_get_product_name(self),
				       prov_device_get_software_version(self), mac_upper,
				       prov_device_get_serial(self));
	}
	version = prov_device_dup_major_minor(prov_device_get_software_version(self));
	return g_strdup_printf("%s-%s/%s (%s)(%s)", prov_device_get_manufacturer(self),
			       prov_device_get_product_name(self), version,
			       prov_device_get_mac(self), prov_device_get_serial(self));
}

static void
prov_device_finalize(GObject *object)
{
	ProvDevice *self = PROV_DEVICE(object);

	for (guint i = 0; i < PROV_DEVICE_KEY_LAST; i++)
		g_free(self->values[i]);
	g_free(self->derived_series);
	G_OBJECT_CLASS(prov_device_parent_class)->finalize(object);
}

static void
prov_device_class_init(ProvDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_device_finalize;
}

static void
prov_device_init(ProvDevice *self)
{
}

/**
 * prov_device_new:
 *
 * Returns: (transfer full): a device with no identity set
 *
 * Since: 0.1
 */
ProvDevice *
prov_device_new(void)
{
	return g_object_new(PROV_TYPE_DEVICE, NULL);
}
