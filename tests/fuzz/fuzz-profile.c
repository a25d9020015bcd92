/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * Fuzzes ProvXml, ProvAliasMap and ProvProfile, including its legacy
 * plain-text syntax (R28). The input is a
 * profile; when it contains a NUL, the bytes before it are an alias map and
 * the bytes after it the profile. Each profile is read by the tokenizer
 * alone, and parsed without and with an alias map, with the default caps and
 * with tiny ones, checking the contract: a failure leaves no assignment and
 * names its position; a success yields names, values and access levels that
 * are valid UTF-8 and within the caps.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "prov-alias-map.h"
#include "prov-error.h"
#include "prov-profile.h"
#include "prov-xml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* used when the input carries no map of its own: the reference's examples */
static const gchar prov_fuzz_profile_map[] =
    "/customer-account/SIP-number = /flat-profile/User_ID_1_ ;"
    "/customer-account/SIP-password = /flat-profile/Password_1_ ;"
    "/CPE/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;"
    "/auth-secret = /flat-profile/Password_1_ ;"
    "/flat-profile/GPP_A = /flat-profile/GPP_B ;"
    "/a = /flat-profile/A ;/a/b = /flat-profile/B ;";

/* malformed alias entries are expected here; their warnings would only be noise */
static GLogWriterOutput
prov_fuzz_profile_writer(GLogLevelFlags level,
			 const GLogField *fields,
			 gsize n_fields,
			 gpointer user_data)
{
	for (gsize i = 0; i < n_fields; i++) {
		if (g_strcmp0(fields[i].key, "GLIB_DOMAIN") == 0 &&
		    g_strcmp0(fields[i].value, "ProvAliasMap") == 0 &&
		    (level & G_LOG_LEVEL_MASK) == G_LOG_LEVEL_WARNING)
			return G_LOG_WRITER_HANDLED;
	}
	return g_log_writer_default(level, fields, n_fields, user_data);
}

static gboolean
prov_fuzz_profile_is_name(const gchar *name)
{
	return name != NULL && g_utf8_validate(name, -1, NULL) &&
	       prov_xml_name_is_valid(name, strlen(name));
}

static void
prov_fuzz_profile_check_tokens(const gchar *data, gsize length, const ProvLimits *limits)
{
	g_auto(ProvXmlReader) reader = {0};
	g_autoptr(GError) error = NULL;
	ProvXmlToken token;

	prov_xml_reader_init(&reader, data, length, limits);
	while ((token = prov_xml_reader_next(&reader, &error)) != PROV_XML_TOKEN_END_DOCUMENT) {
		if (token == PROV_XML_TOKEN_ERROR) {
			guint line = 0;
			guint column = 0;
			g_autofree gchar *prefix = NULL;

			g_assert_true(
			    g_error_matches(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE) ||
			    g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED));
			g_assert_true(prov_xml_reader_get_error_position(&reader, &line, &column));
			prefix = g_strdup_printf("%u:%u: ", line, column);
			g_assert_true(g_str_has_prefix(error->message, prefix));
			g_assert_true(g_utf8_validate(error->message, -1, NULL));
			return;
		}
		g_assert_cmpuint(reader.offset, <=, length);
		switch (token) {
		case PROV_XML_TOKEN_START_ELEMENT:
			g_assert_cmpuint(reader.depth, >=, 1);
			g_assert_cmpuint(reader.depth, <=, limits->max_depth);
			g_assert_cmpuint(reader.n_attributes, <=, limits->max_attributes);
			g_assert_true(prov_xml_name_is_valid(reader.name.data, reader.name.length));
			g_assert_cmpuint(reader.name.length, <=, limits->max_name_length);
			for (guint i = 0; i < reader.n_attributes; i++) {
				const ProvXmlAttribute *attribute = &reader.attributes[i];
				g_autofree gchar *value = NULL;

				g_assert_cmpuint(attribute->name.length, <=,
						 limits->max_name_length);
				g_assert_cmpuint(attribute->value.length, <=,
						 limits->max_value_length);
				value = prov_xml_unescape_dup(attribute->value.data,
							      attribute->value.length, NULL);
				g_assert_nonnull(value);
				g_assert_true(g_utf8_validate(value, -1, NULL));
			}
			break;
		case PROV_XML_TOKEN_END_ELEMENT:
			g_assert_cmpuint(reader.depth, >=, 1);
			break;
		case PROV_XML_TOKEN_TEXT:
		case PROV_XML_TOKEN_CDATA:
			g_assert_cmpuint(reader.text.length, <=, limits->max_value_length);
			g_assert_true(reader.text.data >= data &&
				      reader.text.data + reader.text.length <= data + length);
			if (token == PROV_XML_TOKEN_TEXT) {
				g_autofree gchar *value = prov_xml_unescape_dup(
				    reader.text.data, reader.text.length, NULL);

				g_assert_nonnull(value);
				g_assert_true(g_utf8_validate(value, -1, NULL));
				g_assert_true(
				    reader.text_has_references ==
				    (memchr(reader.text.data, '&', reader.text.length) != NULL));
			}
			break;
		default:
			g_assert_not_reached();
		}
	}
	/* a document that ends well-formed was valid UTF-8 throughout */
	g_assert_true(g_utf8_validate_len(data, length, NULL));
}

static void
prov_fuzz_profile_check_parse(
    const gchar *data, gsize length, const gchar *map, const ProvLimits *limits, gboolean spc)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(limits);
	g_autoptr(GError) error = NULL;
	GPtrArray *assignments;
	gboolean ok;

	prov_profile_set_alias_map(profile, map);
	if (spc)
		ok = prov_profile_parse_spc_text(profile, data, length, &error);
	else
		ok = prov_profile_parse(profile, data, length, &error);
	if (!ok) {
		g_autofree gchar *prefix =
		    g_strdup_printf("%u:%u: ", prov_profile_get_error_line(profile),
				    prov_profile_get_error_column(profile));

		g_assert_true(g_error_matches(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE) ||
			      g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED));
		g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
		g_assert_cmpuint(prov_profile_get_error_line(profile), >=, 1);
		g_assert_cmpuint(prov_profile_get_error_column(profile), >=, 1);
		g_assert_true(g_str_has_prefix(error->message, prefix));
		return;
	}
	assignments = prov_profile_get_assignments(profile);
	g_assert_cmpuint(assignments->len, <=, limits->max_assignments);
	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);

		g_assert_true(prov_fuzz_profile_is_name(assignment->name));
		g_assert_cmpuint(assignment->line, >=, 1);
		g_assert_cmpuint(assignment->column, >=, 1);
		g_assert_cmpint(assignment->access, <, PROV_ACCESS_LAST);
		if (assignment->invalid_access != NULL) {
			g_assert_cmpint(assignment->access, ==, PROV_ACCESS_UNSET);
			g_assert_true(g_utf8_validate(assignment->invalid_access, -1, NULL));
		}
		if (assignment->value != NULL && spc) {
			g_assert_true(g_utf8_validate(assignment->value, -1, NULL));
			g_assert_cmpuint(strlen(assignment->value), <=, limits->max_value_length);
			g_assert_null(strchr(assignment->value, '"'));
		} else if (assignment->value != NULL) {
			gsize value_length = strlen(assignment->value);

			g_assert_true(g_utf8_validate(assignment->value, -1, NULL));
			g_assert_cmpuint(value_length, <=, limits->max_value_length);
			/* reference 1.2 rule 6: no line ends, nothing to trim */
			g_assert_null(strpbrk(assignment->value, "\r\n"));
			if (value_length > 0) {
				g_assert_true(assignment->value[0] != ' ' &&
					      assignment->value[0] != '\t');
				g_assert_true(assignment->value[value_length - 1] != ' ' &&
					      assignment->value[value_length - 1] != '\t');
			}
			g_assert_cmpstr(assignment->value, !=, "\"\"");
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gsize initialised = 0;
	const gchar *text = (const gchar *)data;
	const gchar *nul = memchr(data, '\0', size);
	g_autofree gchar *map = NULL;
	const gchar *document = text;
	gsize length = size;
	ProvLimits defaults;
	ProvLimits tiny;

	if (g_once_init_enter(&initialised)) {
		g_log_set_writer_func(prov_fuzz_profile_writer, NULL, NULL);
		g_once_init_leave(&initialised, 1);
	}

	prov_limits_init(&defaults);
	prov_limits_init(&tiny);
	tiny.max_depth = 3;
	tiny.max_name_length = 8;
	tiny.max_value_length = 16;
	tiny.max_attributes = 2;
	tiny.max_assignments = 4;
	tiny.decoded_max = 4096;

	if (nul != NULL) {
		map = g_strndup(text, (gsize)(nul - text));
		document = nul + 1;
		length = size - (gsize)(nul - text) - 1;
	} else {
		map = g_strdup(prov_fuzz_profile_map);
	}

	prov_fuzz_profile_check_tokens(document, length, &defaults);
	prov_fuzz_profile_check_tokens(document, length, &tiny);
	prov_fuzz_profile_check_parse(document, length, NULL, &defaults, FALSE);
	prov_fuzz_profile_check_parse(document, length, map, &defaults, FALSE);
	prov_fuzz_profile_check_parse(document, length, map, &tiny, FALSE);
	prov_fuzz_profile_check_parse(document, length, NULL, &tiny, TRUE);

	/* the alias map on its own: never more than 30 entries, every one usable */
	{
		g_autoptr(ProvAliasMap) alias_map = prov_alias_map_new(map);

		g_assert_cmpuint(prov_alias_map_get_n_entries(alias_map), <=,
				 PROV_ALIAS_MAP_MAX_ENTRIES);
		for (guint i = 0; i < prov_alias_map_get_n_entries(alias_map); i++) {
			const gchar *source = prov_alias_map_get_source(alias_map, i);
			const gchar *target = prov_alias_map_get_target(alias_map, i);
			const gchar *match;

			g_assert_true(source[0] == '/');
			g_assert_true(prov_xml_name_is_valid(target, strlen(target)));
			/* an entry's own source matches it or an earlier, equally long one */
			match = prov_alias_map_match_path(alias_map, source);
			g_assert_nonnull(match);
		}
	}
	return 0;
}
