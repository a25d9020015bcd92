/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The schedule parser (reference 2.5), the syslog host:port parser and the
 * syslog framing (R44): whatever the input, a schedule gives delays within
 * its bounds, and a datagram stays within the size cap with no C0 control.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "prov-schedule.h"
#include "prov-syslog.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_schedule_check(const gchar *text)
{
	g_autoptr(ProvSchedule) schedule = prov_schedule_new_from_string(text, NULL);
	g_autoptr(GRand) rand = g_rand_new_with_seed(7);

	if (schedule == NULL)
		return;
	for (guint i = 0; i <= prov_schedule_get_n_elements(schedule); i++) {
		gint64 delay = prov_schedule_get_delay_us(schedule, i, rand);
		gint64 low = (gint64)prov_schedule_get_seconds(schedule, i) * G_USEC_PER_SEC;
		gint64 high = low + (gint64)prov_schedule_get_random(schedule, i) * G_USEC_PER_SEC;

		if (prov_schedule_is_disabled(schedule)) {
			g_assert_cmpint(delay, ==, -1);
			continue;
		}
		g_assert_cmpint(delay, >=, low);
		g_assert_cmpint(delay, <=, high);
	}
}

static void
fuzz_schedule_check_syslog(const gchar *text)
{
	g_autoptr(ProvClock) clock = prov_clock_new_manual(0);
	g_autoptr(ProvSyslog) syslog = prov_syslog_new(clock);
	g_autoptr(GBytes) datagram = NULL;
	g_autofree gchar *host = NULL;
	guint16 port = 0;
	gsize len = 0;
	const guchar *bytes;

	if (prov_syslog_parse_host_port(text, &host, &port, NULL))
		g_assert_cmpuint(port, >, 0);
	prov_syslog_set_identifier(syslog, text);
	prov_syslog_set_max_size(syslog, PROV_SYSLOG_MIN_SIZE + strlen(text) % 200, NULL);
	datagram = prov_syslog_format_datagram(syslog, text);
	bytes = g_bytes_get_data(datagram, &len);
	g_assert_cmpuint(len, <=, prov_syslog_get_max_size(syslog));
	for (gsize i = 0; i < len; i++)
		g_assert_true(bytes[i] >= 0x20 && bytes[i] != 0x7f);
	g_assert_true(g_utf8_validate((const gchar *)bytes, (gssize)len, NULL));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree gchar *text = NULL;

	/* the parsers take C strings: stop at an embedded NUL as a caller would */
	if (size > 4096)
		return 0;
	text = g_strndup((const gchar *)data, size);
	fuzz_schedule_check(text);
	fuzz_schedule_check_syslog(text);
	return 0;
}
