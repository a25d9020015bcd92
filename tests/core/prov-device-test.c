/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-device.h"
#include "prov-error.h"

static void
prov_device_test_mac_forms(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();
	g_autofree gchar *upper = NULL;
	g_autofree gchar *colon = NULL;
	const gchar *forms[] = {"000e08012345", "00:0e:08:01:23:45", "00-0E-08-01-23-45"};

	for (guint i = 0; i < G_N_ELEMENTS(forms); i++) {
		g_autoptr(GError) error = NULL;

		g_assert_true(prov_device_set(device, "MAC", forms[i], &error));
		g_assert_no_error(error);
		g_assert_cmpstr(prov_device_get_mac(device), ==, "000e08012345");
	}
	upper = prov_device_dup_mac_upper(device);
	colon = prov_device_dup_mac_colon(device);
	g_assert_cmpstr(upper, ==, "000E08012345");
	g_assert_cmpstr(colon, ==, "00:0e:08:01:23:45");
}

static void
prov_device_test_invalid_values(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();
	const gchar *bad[][2] = {
	    {"MAC", "000e0801234"},  {"MAC", "000e080123456"}, {"MAC", "00:0e:08:01:23-45"},
	    {"MAC", "zz0e08012345"}, {"IP", "192.168.1.300"},  {"Serial", "ab\r\nX-Evil: 1"},
	    {"Colour", "blue"},
	};

	g_assert_true(prov_device_set(device, "MAC", "000e08abcdef", NULL));
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;

		g_assert_false(prov_device_set(device, bad[i][0], bad[i][1], &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
		g_assert_nonnull(strstr(error->message, bad[i][0]));
	}
	/* nothing changed */
	g_assert_cmpstr(prov_device_get_mac(device), ==, "000e08abcdef");
	g_assert_cmpstr(prov_device_get_serial(device), ==, "");
}

static void
prov_device_test_product_series(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();

	g_assert_true(prov_device_set_from_assignment(device, "ProductName=ATA192-MPP", NULL));
	g_assert_cmpstr(prov_device_get_product_series(device), ==, "192");
	g_assert_true(prov_device_set(device, "ProductName", "CP-7832-3PCC", NULL));
	g_assert_cmpstr(prov_device_get_product_series(device), ==, "7832");
	g_assert_true(prov_device_set(device, "ProductSeries", "V03", NULL));
	g_assert_cmpstr(prov_device_get_product_series(device), ==, "V03");
	g_assert_false(prov_device_set_from_assignment(device, "ProductName", NULL));
}

static void
prov_device_test_key_file(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();
	g_autoptr(GKeyFile) good = g_key_file_new();
	g_autoptr(GKeyFile) bad = g_key_file_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(g_key_file_load_from_data(good,
						"[device]\nMAC=000e08abcdef\nSerial=88012BA01234\n"
						"ProductName=ATA192-MPP\nIP=192.168.1.100\n",
						-1, G_KEY_FILE_NONE, NULL));
	g_assert_true(prov_device_load_from_key_file(device, good, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(prov_device_get(device, "Serial"), ==, "88012BA01234");
	g_assert_cmpstr(prov_device_get_ip(device), ==, "192.168.1.100");

	/* one bad key: the whole group is refused and nothing changes */
	g_assert_true(g_key_file_load_from_data(bad, "[device]\nSerial=NEW\nMAC=xyz\n", -1,
						G_KEY_FILE_NONE, NULL));
	g_assert_false(prov_device_load_from_key_file(device, bad, &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT);
	g_assert_true(g_str_has_prefix(error->message, "[device] device MAC"));
	g_assert_cmpstr(prov_device_get_serial(device), ==, "88012BA01234");
	g_assert_cmpstr(prov_device_get_product_series(device), ==, "192");
}

static void
prov_device_test_system_fallbacks(void)
{
	g_autoptr(ProvDevice) device = prov_device_new();

	g_assert_true(prov_device_set(device, "ProductName", "ATA192-MPP", NULL));
	prov_device_fill_from_system(device);
	/* configured values win over the fallbacks */
	g_assert_cmpstr(prov_device_get_product_name(device), ==, "ATA192-MPP");
	g_assert_cmpstr(prov_device_get_software_version(device), ==, PACKAGE_VERSION);
	g_assert_cmpstr(prov_device_get_manufacturer(device), ==, "provisiond");
	g_assert_true(strlen(prov_device_get_mac(device)) == 0 ||
		      strlen(prov_device_get_mac(device)) == 12);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/device/mac-forms", prov_device_test_mac_forms);
	g_test_add_func("/prov/device/invalid-values", prov_device_test_invalid_values);
	g_test_add_func("/prov/device/product-series", prov_device_test_product_series);
	g_test_add_func("/prov/device/key-file", prov_device_test_key_file);
	g_test_add_func("/prov/device/system-fallbacks", prov_device_test_system_fallbacks);
	return g_test_run();
}
