/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvExecute"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-execute.h"
#include "prov-xml.h"

#define PROV_EXECUTE_ROOT_SUFFIX "Execute"
#define PROV_EXECUTE_ITEM	 "ExecuteItem"
/* how much of a refused URL or name a message quotes */
#define PROV_EXECUTE_QUOTE_MAX 64

/**
 * ProvExecute:
 *
 * The parser of Cisco XML Execute objects (reference 7.2), which remote
 * triggers receive in an HTTP POST to `/CGI/Execute` or in a SIP NOTIFY
 * with `Event: XML-Service`. It reads the object with #ProvXmlReader within
 * the #ProvLimits caps and %PROV_EXECUTE_MAX_SIZE, and accepts only
 * `Resync:[rule]` and `Reboot` items (R21): a trigger acts on the items of
 * an accepted object, and on nothing of a refused one. It is fuzzed
 * (`tests/fuzz/fuzz-execute.c`).
 *
 * Since: 0.1
 */
struct _ProvExecute {
	GObject parent_instance;
	ProvLimits limits;
	gchar *root_name;
	GArray *items;
	GPtrArray *strings;
	gchar *refused_url;
};

G_DEFINE_FINAL_TYPE(ProvExecute, prov_execute, G_TYPE_OBJECT)

/*
 * The phone user-interface URIs of reference 7.2 (URI-NOTES): they act on a
 * screen and keypad, which provisiond does not have, so they are refused by
 * name rather than as unknown.
 */
static const gchar *const prov_execute_ui_schemes[] = {
    "Key",     "SoftKey",	   "Init",   "Dial",	   "EditDial",	  "Play",
    "Device",  "QueryStringParam", "RTPRx",  "RTPTx",	   "RTPMRx",	  "RTPMTx",
    "Display", "Vibrate",	   "Notify", "SendDigits", "Application",
};

/* at most PROV_EXECUTE_QUOTE_MAX bytes of @text, valid UTF-8, control characters escaped */
static gchar *
prov_execute_quote(const gchar *text, gsize length)
{
	g_autofree gchar *valid = g_utf8_make_valid(text, MIN(length, PROV_EXECUTE_QUOTE_MAX));
	GString *quoted = g_string_new("\"");

	for (const gchar *p = valid; *p != '\0'; p++) {
		if ((guchar)*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			g_string_append_printf(quoted, "\\x%02x", (guchar)*p);
		else
			g_string_append_c(quoted, *p);
	}
	g_string_append(quoted, length > PROV_EXECUTE_QUOTE_MAX ? "\"..." : "\"");
	return g_string_free(quoted, FALSE);
}

static void
prov_execute_reset(ProvExecute *self)
{
	g_clear_pointer(&self->root_name, g_free);
	g_clear_pointer(&self->refused_url, g_free);
	g_array_set_size(self->items, 0);
	g_ptr_array_set_size(self->strings, 0);
}

static const gchar *
prov_execute_keep(ProvExecute *self, gchar *text)
{
	g_ptr_array_add(self->strings, text);
	return text;
}

static void
prov_execute_fail(
    ProvXmlReader *reader, gsize offset, ProvError code, GError **error, const gchar *format, ...)
    G_GNUC_PRINTF(5, 6);

/* the same "LINE:COLUMN: " prefix as the tokenizer's own errors */
static void
prov_execute_fail(
    ProvXmlReader *reader, gsize offset, ProvError code, GError **error, const gchar *format, ...)
{
	g_autofree gchar *message = NULL;
	va_list args;
	guint line = 0;
	guint column = 0;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	prov_xml_reader_get_position(reader, offset, &line, &column);
	g_set_error(error, PROV_ERROR, code, "%u:%u: %s", line, column, message);
}

static gboolean
prov_execute_is_blank(const gchar *data, gsize length)
{
	for (gsize i = 0; i < length; i++) {
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return FALSE;
	}
	return TRUE;
}

/* `Resync:[rule]`, `Reboot`: the allow-list of R21; everything else refuses the object */
static gboolean
prov_execute_classify(
    ProvExecute *self, ProvXmlReader *reader, guint number, ProvExecuteItem *item, GError **error)
{
	g_autofree gchar *url = g_strstrip(g_strdup(item->url));
	const gchar *colon = strchr(url, ':');
	g_autofree gchar *scheme = colon != NULL ? g_strndup(url, (gsize)(colon - url)) : NULL;
	g_autofree gchar *quoted = NULL;

	if (scheme != NULL && g_ascii_strcasecmp(scheme, "Resync") == 0) {
		g_autofree gchar *rule = g_strstrip(g_strdup(colon + 1));

		item->action = PROV_TRIGGER_ACTION_RESYNC;
		item->rule =
		    rule[0] != '\0' ? prov_execute_keep(self, g_steal_pointer(&rule)) : NULL;
		return TRUE;
	}
	if (g_ascii_strcasecmp(url, "Reboot") == 0 ||
	    (scheme != NULL && g_ascii_strcasecmp(scheme, "Reboot") == 0 &&
	     prov_execute_is_blank(colon + 1, strlen(colon + 1)))) {
		item->action = PROV_TRIGGER_ACTION_REBOOT;
		return TRUE;
	}

	self->refused_url = g_strdup(item->url);
	quoted = prov_execute_quote(url, strlen(url));
	if (scheme != NULL && g_ascii_strcasecmp(scheme, "Reboot") == 0) {
		prov_execute_fail(reader, reader->offset, PROV_ERROR_INVALID_VALUE, error,
				  "ExecuteItem %u: URL %s is refused: Reboot takes no argument",
				  number, quoted);
		return FALSE;
	}
	if (scheme != NULL &&
	    (g_ascii_strcasecmp(scheme, "http") == 0 || g_ascii_strcasecmp(scheme, "https") == 0)) {
		prov_execute_fail(
		    reader, reader->offset, PROV_ERROR_INVALID_VALUE, error,
		    "ExecuteItem %u: URL %s is refused: provisiond does not fetch XML "
		    "services; only Resync:[rule] and Reboot act",
		    number, quoted);
		return FALSE;
	}
	for (guint i = 0; scheme != NULL && i < G_N_ELEMENTS(prov_execute_ui_schemes); i++) {
		if (g_ascii_strcasecmp(scheme, prov_execute_ui_schemes[i]) != 0)
			continue;
		prov_execute_fail(
		    reader, reader->offset, PROV_ERROR_INVALID_VALUE, error,
		    "ExecuteItem %u: URL %s is refused: %s: is a phone user-interface "
		    "action and provisiond has no user interface; only Resync:[rule] "
		    "and Reboot act",
		    number, quoted, prov_execute_ui_schemes[i]);
		return FALSE;
	}
	prov_execute_fail(reader, reader->offset, PROV_ERROR_INVALID_VALUE, error,
			  "ExecuteItem %u: unknown URL %s is refused: only Resync:[rule] and "
			  "Reboot act",
			  number, quoted);
	return FALSE;
}

static gboolean
prov_execute_read_item(ProvExecute *self, ProvXmlReader *reader, GError **error)
{
	ProvExecuteItem item = {0};
	guint number = self->items->len + 1;
	gboolean has_url = FALSE;

	if (self->items->len >= PROV_EXECUTE_MAX_ITEMS) {
		prov_execute_fail(reader, reader->offset, PROV_ERROR_LIMIT_EXCEEDED, error,
				  "more than %u ExecuteItem elements", PROV_EXECUTE_MAX_ITEMS);
		return FALSE;
	}
	prov_xml_reader_get_position(reader, reader->offset, &item.line, &item.column);
	for (guint i = 0; i < reader->n_attributes; i++) {
		const ProvXmlAttribute *attribute = &reader->attributes[i];
		g_autofree gchar *value = NULL;

		if (!prov_xml_slice_equal(&attribute->name, "URL") &&
		    !prov_xml_slice_equal(&attribute->name, "Priority")) {
			g_autofree gchar *quoted =
			    prov_execute_quote(attribute->name.data, attribute->name.length);

			prov_execute_fail(reader, attribute->offset, PROV_ERROR_INVALID_VALUE,
					  error,
					  "ExecuteItem %u: unknown attribute %s (only URL and "
					  "Priority)",
					  number, quoted);
			return FALSE;
		}
		if (attribute->value.length > PROV_EXECUTE_MAX_URL_LENGTH) {
			prov_execute_fail(reader, attribute->offset, PROV_ERROR_LIMIT_EXCEEDED,
					  error, "ExecuteItem %u: attribute longer than %u bytes",
					  number, PROV_EXECUTE_MAX_URL_LENGTH);
			return FALSE;
		}
		/* the tokenizer checked the references; UTF-8 may still be unchecked this early */
		value = prov_xml_unescape_dup(attribute->value.data, attribute->value.length, NULL);
		if (value == NULL || !g_utf8_validate(value, -1, NULL)) {
			prov_execute_fail(reader, attribute->offset, PROV_ERROR_CORRUPT_FILE, error,
					  "ExecuteItem %u: attribute value is not valid UTF-8 text",
					  number);
			return FALSE;
		}
		if (prov_xml_slice_equal(&attribute->name, "URL")) {
			item.url = prov_execute_keep(self, g_steal_pointer(&value));
			has_url = TRUE;
			continue;
		}
		if (strlen(value) != 1 || value[0] < '0' || value[0] > '2') {
			g_autofree gchar *quoted = prov_execute_quote(value, strlen(value));

			prov_execute_fail(reader, attribute->offset, PROV_ERROR_INVALID_VALUE,
					  error, "ExecuteItem %u: Priority %s is not 0, 1 or 2",
					  number, quoted);
			return FALSE;
		}
		item.priority = (guint)(value[0] - '0');
	}
	if (!has_url) {
		prov_execute_fail(reader, reader->offset, PROV_ERROR_INVALID_VALUE, error,
				  "ExecuteItem %u has no URL attribute", number);
		return FALSE;
	}
	if (!prov_execute_classify(self, reader, number, &item, error))
		return FALSE;
	g_array_append_val(self->items, item);
	return TRUE;
}

static gboolean
prov_execute_read_element(ProvExecute *self, ProvXmlReader *reader, GError **error)
{
	g_autofree gchar *quoted = NULL;

	if (reader->depth == 1) {
		const gsize suffix = strlen(PROV_EXECUTE_ROOT_SUFFIX);

		/* reference 7.2 (PROPOSED): any root whose name ends in Execute */
		if (reader->name.length >= suffix &&
		    memcmp(reader->name.data + reader->name.length - suffix,
			   PROV_EXECUTE_ROOT_SUFFIX, suffix) == 0) {
			self->root_name = g_strndup(reader->name.data, reader->name.length);
			return TRUE;
		}
		quoted = prov_execute_quote(reader->name.data, reader->name.length);
		prov_execute_fail(reader, reader->offset, PROV_ERROR_CORRUPT_FILE, error,
				  "root element %s is not an Execute object (its name must end "
				  "in Execute)",
				  quoted);
		return FALSE;
	}
	if (reader->depth == 2 && prov_xml_slice_equal(&reader->name, PROV_EXECUTE_ITEM))
		return prov_execute_read_item(self, reader, error);
	quoted = prov_execute_quote(reader->name.data, reader->name.length);
	if (reader->depth == 2)
		prov_execute_fail(reader, reader->offset, PROV_ERROR_CORRUPT_FILE, error,
				  "unexpected element %s in %s: only ExecuteItem elements", quoted,
				  self->root_name);
	else
		prov_execute_fail(reader, reader->offset, PROV_ERROR_CORRUPT_FILE, error,
				  "unexpected element %s inside ExecuteItem %u", quoted,
				  self->items->len);
	return FALSE;
}

/**
 * prov_execute_parse:
 * @self: a #ProvExecute
 * @data: the object, as received (an HTTP body or a SIP NOTIFY body); it
 *   need not be NUL-terminated
 * @length: the number of bytes in @data
 * @error: return location for a #GError
 *
 * Reads a Cisco XML Execute object (reference 7.2): a root element whose
 * name ends in `Execute` (`CiscoIPPhoneExecute`, `CP-8841-3PCCExecute`)
 * holding 1 to %PROV_EXECUTE_MAX_ITEMS `ExecuteItem` elements with a `URL`
 * and an optional `Priority` attribute. Attribute values may be unquoted,
 * as in the vendors' `<ExecuteItem URL=Resync:tftp://h/p.cfg/>` (reference
 * 1.2 rule 9); attributes of the root are ignored.
 *
 * The object is accepted whole or not at all: an item other than
 * `Resync:[rule]` or `Reboot` (R21), an unknown attribute, text or another
 * element refuses it, with a message that names the item, what it holds
 * and why. Nothing of a refused object may be acted on.
 *
 * Returns: %TRUE with the items available; %FALSE with
 *   %PROV_ERROR_CORRUPT_FILE (not a well-formed Execute object),
 *   %PROV_ERROR_LIMIT_EXCEEDED (over a cap: the size
 *   %PROV_EXECUTE_MAX_SIZE, the item count, the #ProvLimits) or
 *   %PROV_ERROR_INVALID_VALUE (an item refused), each message starting with
 *   `LINE:COLUMN: `
 *
 * Since: 0.1
 */
gboolean
prov_execute_parse(ProvExecute *self, const gchar *data, gsize length, GError **error)
{
	g_auto(ProvXmlReader) reader = {0};
	ProvXmlToken token;

	g_return_val_if_fail(PROV_IS_EXECUTE(self), FALSE);
	g_return_val_if_fail(data != NULL || length == 0, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	prov_execute_reset(self);
	if (length > PROV_EXECUTE_MAX_SIZE) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED,
			    "1:1: the Execute object has %" G_GSIZE_FORMAT
			    " bytes, more than the limit of %u",
			    length, PROV_EXECUTE_MAX_SIZE);
		return FALSE;
	}
	prov_xml_reader_init(&reader, data != NULL ? data : "", length, &self->limits);
	while ((token = prov_xml_reader_next(&reader, error)) != PROV_XML_TOKEN_END_DOCUMENT) {
		gboolean ok = TRUE;

		switch (token) {
		case PROV_XML_TOKEN_ERROR:
			ok = FALSE;
			break;
		case PROV_XML_TOKEN_START_ELEMENT:
			ok = prov_execute_read_element(self, &reader, error);
			break;
		case PROV_XML_TOKEN_TEXT:
		case PROV_XML_TOKEN_CDATA:
			if (prov_execute_is_blank(reader.text.data, reader.text.length))
				break;
			prov_execute_fail(&reader, reader.offset, PROV_ERROR_CORRUPT_FILE, error,
					  "unexpected text in %s: only ExecuteItem elements",
					  self->root_name);
			ok = FALSE;
			break;
		default:
			break;
		}
		if (!ok) {
			/* nothing of a refused object may be acted on */
			g_autofree gchar *refused = g_steal_pointer(&self->refused_url);

			prov_execute_reset(self);
			self->refused_url = g_steal_pointer(&refused);
			return FALSE;
		}
	}
	if (self->items->len == 0) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE,
			    "1:1: %s has no ExecuteItem", self->root_name);
		prov_execute_reset(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * prov_execute_get_root_name:
 * @self: a #ProvExecute
 *
 * Returns: (nullable): the root element's name of the last object parsed
 *   (`CP-8841-3PCCExecute`), %NULL when none was accepted
 *
 * Since: 0.1
 */
const gchar *
prov_execute_get_root_name(ProvExecute *self)
{
	g_return_val_if_fail(PROV_IS_EXECUTE(self), NULL);
	return self->root_name;
}

/**
 * prov_execute_get_n_items:
 * @self: a #ProvExecute
 *
 * Returns: the number of items of the last object parsed, 0 after a failure
 *
 * Since: 0.1
 */
guint
prov_execute_get_n_items(ProvExecute *self)
{
	g_return_val_if_fail(PROV_IS_EXECUTE(self), 0);
	return self->items->len;
}

/**
 * prov_execute_get_item:
 * @self: a #ProvExecute
 * @index: an index below prov_execute_get_n_items()
 *
 * Returns: (transfer none): the item, in document order
 *
 * Since: 0.1
 */
const ProvExecuteItem *
prov_execute_get_item(ProvExecute *self, guint index)
{
	g_return_val_if_fail(PROV_IS_EXECUTE(self), NULL);
	g_return_val_if_fail(index < self->items->len, NULL);
	return &g_array_index(self->items, ProvExecuteItem, index);
}

/**
 * prov_execute_has_action:
 * @self: a #ProvExecute
 * @action: a #ProvTriggerAction
 *
 * Returns: whether an item of the last object asks for @action; a channel
 *   checks it to ask for the account an action needs (a reboot needs the
 *   admin account, reference 7.2) before acting on any item
 *
 * Since: 0.1
 */
gboolean
prov_execute_has_action(ProvExecute *self, ProvTriggerAction action)
{
	g_return_val_if_fail(PROV_IS_EXECUTE(self), FALSE);

	for (guint i = 0; i < self->items->len; i++) {
		if (g_array_index(self->items, ProvExecuteItem, i).action == action)
			return TRUE;
	}
	return FALSE;
}

/**
 * prov_execute_get_refused_url:
 * @self: a #ProvExecute
 *
 * Returns: (nullable): after a failed parse, the `URL` of the item that
 *   refused the object (for a per-item status in the answer, reference
 *   7.2); %NULL when the object failed for another reason
 *
 * Since: 0.1
 */
const gchar *
prov_execute_get_refused_url(ProvExecute *self)
{
	g_return_val_if_fail(PROV_IS_EXECUTE(self), NULL);
	return self->refused_url;
}

static void
prov_execute_finalize(GObject *object)
{
	ProvExecute *self = PROV_EXECUTE(object);

	g_free(self->root_name);
	g_free(self->refused_url);
	g_array_unref(self->items);
	g_ptr_array_unref(self->strings);
	G_OBJECT_CLASS(prov_execute_parent_class)->finalize(object);
}

static void
prov_execute_class_init(ProvExecuteClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_execute_finalize;
}

static void
prov_execute_init(ProvExecute *self)
{
	self->items = g_array_new(FALSE, TRUE, sizeof(ProvExecuteItem));
	self->strings = g_ptr_array_new_with_free_func(g_free);
	prov_limits_init(&self->limits);
}

/**
 * prov_execute_new:
 * @limits: (nullable): the caps of the tokenizer (R26), the defaults when
 *   %NULL; the object's own caps (%PROV_EXECUTE_MAX_SIZE, item count, URL
 *   length) apply in addition
 *
 * Returns: (transfer full): a parser for XML Execute objects; one instance
 *   may parse many objects in turn
 *
 * Since: 0.1
 */
ProvExecute *
prov_execute_new(const ProvLimits *limits)
{
	ProvExecute *self = g_object_new(PROV_TYPE_EXECUTE, NULL);

	if (limits != NULL)
		self->limits = *limits;
	return self;
}
