/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-enums.h"

G_BEGIN_DECLS

#define PROV_TYPE_DEVICE (prov_device_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvDevice, prov_device, PROV, DEVICE, GObject)

/**
 * PROV_DEVICE_MAC:
 *
 * The MAC address: 12 hex digits, without separators. Macros read it as
 * `$MA`, `$MAU` and `$MAC`.
 *
 * The identity key `MAC`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_MAC "MAC"

/**
 * PROV_DEVICE_SERIAL:
 *
 * The serial number (`$SN`), such as `88012BA01234`.
 *
 * The identity key `Serial`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_SERIAL "Serial"

/**
 * PROV_DEVICE_PRODUCT_NAME:
 *
 * The product name (`$PN`), such as `ATA192-MPP`.
 *
 * The identity key `ProductName`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_PRODUCT_NAME "ProductName"

/**
 * PROV_DEVICE_PRODUCT_SERIES:
 *
 * The product series (`$PSN`), such as `192`.
 *
 * The identity key `ProductSeries`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_PRODUCT_SERIES "ProductSeries"

/**
 * PROV_DEVICE_SOFTWARE_VERSION:
 *
 * The software version (`$SWVER`), such as `11-1-0MPP-19`; the User-Agent
 * carries its major and minor number.
 *
 * The identity key `SoftwareVersion`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_SOFTWARE_VERSION "SoftwareVersion"

/**
 * PROV_DEVICE_HARDWARE_VERSION:
 *
 * The hardware version (`$HWVER`).
 *
 * The identity key `HardwareVersion`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_HARDWARE_VERSION "HardwareVersion"

/**
 * PROV_DEVICE_MANUFACTURER:
 *
 * The manufacturer, which starts the User-Agent (`Cisco-…`).
 *
 * The identity key `Manufacturer`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_MANUFACTURER "Manufacturer"

/**
 * PROV_DEVICE_IP:
 *
 * The device's address in its LAN (`$IP`).
 *
 * The identity key `IP`, as the `[device]` group of the config file and
 * `--device` write it.
 *
 * Since: 0.1
 */
#define PROV_DEVICE_IP "IP"

PROV_API ProvDevice *
prov_device_new(void);

PROV_API gboolean
prov_device_set(ProvDevice *self, const gchar *key, const gchar *value, GError **error);
PROV_API gboolean
prov_device_set_from_assignment(ProvDevice *self, const gchar *assignment, GError **error);
PROV_API gboolean
prov_device_load_from_key_file(ProvDevice *self, GKeyFile *key_file, GError **error);
PROV_API void
prov_device_fill_from_system(ProvDevice *self);

PROV_API const gchar *
prov_device_get(ProvDevice *self, const gchar *key);
PROV_API const gchar *const *
prov_device_get_keys(void);

PROV_API const gchar *
prov_device_get_mac(ProvDevice *self);
PROV_API gchar *
prov_device_dup_mac_upper(ProvDevice *self);
PROV_API gchar *
prov_device_dup_mac_colon(ProvDevice *self);
PROV_API const gchar *
prov_device_get_serial(ProvDevice *self);
PROV_API const gchar *
prov_device_get_product_name(ProvDevice *self);
PROV_API const gchar *
prov_device_get_product_series(ProvDevice *self);
PROV_API const gchar *
prov_device_get_software_version(ProvDevice *self);
PROV_API const gchar *
prov_device_get_hardware_version(ProvDevice *self);
PROV_API const gchar *
prov_device_get_manufacturer(ProvDevice *self);
PROV_API const gchar *
prov_device_get_ip(ProvDevice *self);
PROV_API gchar *
prov_device_dup_user_agent(ProvDevice *self, ProvBehaviour behaviour, const gchar *override);

G_END_DECLS
