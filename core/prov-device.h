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

/* the identity keys, as the [device] group and --device write them */
#define PROV_DEVICE_MAC		     "MAC"
#define PROV_DEVICE_SERIAL	     "Serial"
#define PROV_DEVICE_PRODUCT_NAME     "ProductName"
#define PROV_DEVICE_PRODUCT_SERIES   "ProductSeries"
#define PROV_DEVICE_SOFTWARE_VERSION "SoftwareVersion"
#define PROV_DEVICE_HARDWARE_VERSION "HardwareVersion"
#define PROV_DEVICE_MANUFACTURER     "Manufacturer"
#define PROV_DEVICE_IP		     "IP"

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
