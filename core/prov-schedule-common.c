/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvSchedule"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-schedule.h"

/* a schedule longer than this is a typo or an attack, not a configuration */
#define PROV_SCHEDULE_MAX_ELEMENTS 64

typedef struct {
	guint seconds;
	guint random;
} ProvScheduleElement;

struct _ProvSchedule {
	GArray *elements; /* of ProvScheduleElement; empty when disabled */
};

static gboolean
prov_schedule_parse_number(const gchar *text, guint *value, GError **error)
{
	g_autofree gchar *stripped = g_strstrip(g_strdup(text));
	guint64 number = 0;

	if (!g_ascii_string_to_unsigned(stripped, 10, 0, G_MAXUINT32, &number, NULL)) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
			    "invalid schedule number '%s'", stripped);
		return FALSE;
	}
	*value = (guint)number;
	return TRUE;
}

/**
 * prov_schedule_new_from_string:
 * @text: (nullable): the schedule, e.g. `1800,3600,7200,14400+3600`
 * @error: return location for a %PROV_ERROR_INVALID_VALUE
 *
 * Whitespace around numbers, `,` and `+` is ignored.
 *
 * Returns: (transfer full): the schedule, or %NULL on a syntax error
 *
 * Since: 0.1
 */
ProvSchedule *
prov_schedule_new_from_string(const gchar *text, GError **error)
{
	g_autoptr(GArray) elements = g_array_new(FALSE, TRUE, sizeof(ProvScheduleElement));
	g_auto(GStrv) parts = NULL;
	g_autofree gchar *stripped = g_strstrip(g_strdup(text != NULL ? text : ""));
	ProvSchedule *self;

	if (stripped[0] != '\0') {
		parts = g_strsplit(stripped, ",", -1);
		if (g_strv_length(parts) > PROV_SCHEDULE_MAX_ELEMENTS) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
				    "schedule has more than %u elements",
				    (guint)PROV_SCHEDULE_MAX_ELEMENTS);
			return NULL;
		}
		for (guint i = 0; parts[i] != NULL; i++) {
			ProvScheduleElement element = {0, 0};
			const gchar *plus = strchr(parts[i], '+');
			g_autofree gchar *seconds = NULL;

			if (plus != NULL && strchr(plus + 1, '+') != NULL) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
					    "invalid schedule element '%s'", parts[i]);
				return NULL;
			}
			seconds = plus != NULL ? g_strndup(parts[i], plus - parts[i])
					       : g_strdup(parts[i]);
			if (!prov_schedule_parse_number(seconds, &element.seconds, error))
				return NULL;
			if (plus != NULL &&
			    !prov_schedule_parse_number(plus + 1, &element.random, error))
				return NULL;
			g_array_append_val(elements, element);
		}
	}

	/* reference 2.5: a lone 0 disables, while 0 inside a list means immediately */
	if (elements->len == 1) {
		ProvScheduleElement *only = &g_array_index(elements, ProvScheduleElement, 0);

		if (only->seconds == 0 && only->random == 0)
			g_array_set_size(elements, 0);
	}

	self = g_new0(ProvSchedule, 1);
	self->elements = g_steal_pointer(&elements);
	return self;
}

/**
 * prov_schedule_free:
 * @self: (nullable): a #ProvSchedule
 *
 * Since: 0.1
 */
void
prov_schedule_free(ProvSchedule *self)
{
	if (self == NULL)
		return;
	g_array_unref(self->elements);
	g_free(self);
}

/**
 * prov_schedule_is_disabled:
 * @self: a #ProvSchedule
 *
 * Returns: %TRUE for an empty schedule or a lone `0`
 *
 * Since: 0.1
 */
gboolean
prov_schedule_is_disabled(const ProvSchedule *self)
{
	g_return_val_if_fail(self != NULL, TRUE);
	return self->elements->len == 0;
}

/**
 * prov_schedule_get_n_elements:
 * @self: a #ProvSchedule
 *
 * Returns: the number of elements, 0 when disabled
 *
 * Since: 0.1
 */
guint
prov_schedule_get_n_elements(const ProvSchedule *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->elements->len;
}

static const ProvScheduleElement *
prov_schedule_get_element(const ProvSchedule *self, guint position)
{
	if (self->elements->len == 0)
		return NULL;
	/* the last element repeats forever */
	position = MIN(position, self->elements->len - 1);
	return &g_array_index(self->elements, ProvScheduleElement, position);
}

/**
 * prov_schedule_get_seconds:
 * @self: a #ProvSchedule
 * @position: 0 for the first element; past the end, the last one
 *
 * Returns: the fixed part of the element, 0 when disabled
 *
 * Since: 0.1
 */
guint
prov_schedule_get_seconds(const ProvSchedule *self, guint position)
{
	const ProvScheduleElement *element;

	g_return_val_if_fail(self != NULL, 0);
	element = prov_schedule_get_element(self, position);
	return element != NULL ? element->seconds : 0;
}

/**
 * prov_schedule_get_random:
 * @self: a #ProvSchedule
 * @position: 0 for the first element; past the end, the last one
 *
 * Returns: the `+RANDOM` bound of the element in seconds, 0 without one
 *
 * Since: 0.1
 */
guint
prov_schedule_get_random(const ProvSchedule *self, guint position)
{
	const ProvScheduleElement *element;

	g_return_val_if_fail(self != NULL, 0);
	element = prov_schedule_get_element(self, position);
	return element != NULL ? element->random : 0;
}

/**
 * prov_schedule_get_delay_us:
 * @self: a #ProvSchedule
 * @position: 0 for the first element; past the end, the last one
 * @rand: the random source for the `+RANDOM` part
 *
 * Returns: the delay in microseconds, SECONDS plus a uniform extra in
 *   [0, RANDOM] seconds; -1 when the schedule is disabled
 *
 * Since: 0.1
 */
gint64
prov_schedule_get_delay_us(const ProvSchedule *self, guint position, GRand *rand)
{
	const ProvScheduleElement *element;
	gint64 delay;

	g_return_val_if_fail(self != NULL, -1);
	g_return_val_if_fail(rand != NULL, -1);
	element = prov_schedule_get_element(self, position);
	if (element == NULL)
		return -1;
	delay = (gint64)element->seconds * G_USEC_PER_SEC;
	if (element->random > 0) {
		gint64 span = (gint64)element->random * G_USEC_PER_SEC + 1;

		delay += (gint64)(g_rand_double(rand) * (gdouble)span);
	}
	return delay;
}
