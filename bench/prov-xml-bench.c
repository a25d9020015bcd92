/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * In-process parse throughput of the same flat profile through ProvXml
 * (tokens only), ProvProfile (assignments), GMarkup and expat: the best of
 * N runs of each, in MB/s (10^6 bytes per second). Not a test: numbers
 * depend on the machine. See bench/README.md.
 *
 *   prov-xml-bench [-n RUNS] FILE...
 */

#include "config.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prov-profile.h"
#include "prov-xml.h"

typedef gboolean (*ProvBenchFunc)(const gchar *data, gsize length, guint64 *count, GError **error);

/* a count of what each parser saw, so no work can be optimised away and runs agree */
typedef struct {
	guint64 elements;
	guint64 text_bytes;
} ProvBenchCounts;

static gdouble
prov_bench_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (gdouble)now.tv_sec + (gdouble)now.tv_nsec / 1e9;
}

static ProvLimits
prov_bench_limits(gsize length)
{
	ProvLimits limits;

	/* the benchmark files are larger than the default caps on purpose */
	prov_limits_init(&limits);
	limits.decoded_max = MAX(limits.decoded_max, length);
	limits.max_assignments = G_MAXUINT;
	return limits;
}

static gboolean
prov_bench_prov_xml(const gchar *data, gsize length, guint64 *count, GError **error)
{
	g_auto(ProvXmlReader) reader = {0};
	ProvLimits limits = prov_bench_limits(length);
	ProvXmlToken token;

	prov_xml_reader_init(&reader, data, length, &limits);
	*count = 0;
	while ((token = prov_xml_reader_next(&reader, error)) != PROV_XML_TOKEN_END_DOCUMENT) {
		if (token == PROV_XML_TOKEN_ERROR)
			return FALSE;
		if (token == PROV_XML_TOKEN_START_ELEMENT)
			(*count)++;
	}
	return TRUE;
}

static ProvProfile *prov_bench_profile;

static gboolean
prov_bench_prov_profile(const gchar *data, gsize length, guint64 *count, GError **error)
{
	if (!prov_profile_parse(prov_bench_profile, data, length, error))
		return FALSE;
	*count = prov_profile_get_assignments(prov_bench_profile)->len;
	return TRUE;
}

static void
prov_bench_markup_start(GMarkupParseContext *context,
			const gchar *element_name,
			const gchar **attribute_names,
			const gchar **attribute_values,
			gpointer user_data,
			GError **error)
{
	guint64 *count = user_data;

	(*count)++;
}

static void
prov_bench_markup_text(GMarkupParseContext *context,
		       const gchar *text,
		       gsize text_len,
		       gpointer user_data,
		       GError **error)
{
}

static gboolean
prov_bench_gmarkup(const gchar *data, gsize length, guint64 *count, GError **error)
{
	static const GMarkupParser parser = {
	    .start_element = prov_bench_markup_start,
	    .text = prov_bench_markup_text,
	};
	g_autoptr(GMarkupParseContext) context = NULL;

	*count = 0;
	context = g_markup_parse_context_new(&parser, 0, count, NULL);
	return g_markup_parse_context_parse(context, data, (gssize)length, error) &&
	       g_markup_parse_context_end_parse(context, error);
}

static void XMLCALL
prov_bench_expat_start(void *user_data, const XML_Char *name, const XML_Char **attributes)
{
	guint64 *count = user_data;

	(*count)++;
}

static void XMLCALL
prov_bench_expat_end(void *user_data, const XML_Char *name)
{
}

static void XMLCALL
prov_bench_expat_text(void *user_data, const XML_Char *text, int length)
{
}

static gboolean
prov_bench_expat(const gchar *data, gsize length, guint64 *count, GError **error)
{
	XML_Parser parser = XML_ParserCreate("UTF-8");
	gboolean ok;

	*count = 0;
	XML_SetUserData(parser, count);
	XML_SetElementHandler(parser, prov_bench_expat_start, prov_bench_expat_end);
	XML_SetCharacterDataHandler(parser, prov_bench_expat_text);
	ok = XML_Parse(parser, data, (int)length, XML_TRUE) == XML_STATUS_OK;
	if (!ok)
		g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "expat: %lu:%lu: %s",
			    (gulong)XML_GetCurrentLineNumber(parser),
			    (gulong)XML_GetCurrentColumnNumber(parser),
			    XML_ErrorString(XML_GetErrorCode(parser)));
	XML_ParserFree(parser);
	return ok;
}

static gboolean
prov_bench_run(const gchar *label,
	       ProvBenchFunc func,
	       const gchar *data,
	       gsize length,
	       guint runs,
	       gdouble *best_mbps)
{
	gdouble best = G_MAXDOUBLE;
	guint64 count = 0;

	for (guint i = 0; i < runs; i++) {
		g_autoptr(GError) error = NULL;
		gdouble start = prov_bench_now();
		gdouble elapsed;

		if (!func(data, length, &count, &error)) {
			g_printerr("%s: %s\n", label, error->message);
			return FALSE;
		}
		elapsed = prov_bench_now() - start;
		best = MIN(best, elapsed);
	}
	*best_mbps = (gdouble)length / best / 1e6;
	g_print("  %-26s %10.3f ms %10.0f MB/s   (%" G_GUINT64_FORMAT " %s)\n", label, best * 1000,
		*best_mbps, count, func == prov_bench_prov_profile ? "assignments" : "elements");
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GOptionContext) options = g_option_context_new("FILE...");
	g_autoptr(GError) error = NULL;
	gint runs = 20;
	GOptionEntry entries[] = {
	    {"runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Runs of each parser (best is kept)", "N"},
	    {NULL},
	};
	gboolean ok = TRUE;

	g_option_context_add_main_entries(options, entries, NULL);
	g_option_context_set_summary(options,
				     "Parse throughput of ProvXml, ProvProfile, GMarkup and expat "
				     "on the same files.");
	if (!g_option_context_parse(options, &argc, &argv, &error) || argc < 2 || runs < 1) {
		g_printerr("%s\n", error != NULL ? error->message
						 : "usage: prov-xml-bench [-n RUNS] FILE...");
		return 2;
	}

	for (gint i = 1; i < argc; i++) {
		g_autofree gchar *data = NULL;
		gsize length = 0;
		gdouble xml = 0;
		gdouble profile = 0;
		gdouble markup = 0;
		gdouble expat = 0;
		ProvLimits limits;

		if (!g_file_get_contents(argv[i], &data, &length, &error)) {
			g_printerr("%s\n", error->message);
			return 1;
		}
		limits = prov_bench_limits(length);
		prov_bench_profile = prov_profile_new(&limits);
		g_print("%s: %" G_GSIZE_FORMAT " bytes, best of %d runs\n", argv[i], length, runs);
		ok = prov_bench_run("ProvXml (tokens)", prov_bench_prov_xml, data, length,
				    (guint)runs, &xml) &&
		     prov_bench_run("ProvProfile (assignments)", prov_bench_prov_profile, data,
				    length, (guint)runs, &profile) &&
		     prov_bench_run("GMarkup", prov_bench_gmarkup, data, length, (guint)runs,
				    &markup) &&
		     prov_bench_run("expat", prov_bench_expat, data, length, (guint)runs, &expat) &&
		     ok;
		if (xml > 0 && markup > 0 && expat > 0)
			g_print("  ProvXml is %.1fx GMarkup and %.1fx expat; ProvProfile is %.1fx "
				"GMarkup and %.1fx expat\n",
				xml / markup, xml / expat, profile / markup, profile / expat);
		g_clear_object(&prov_bench_profile);
	}
	return ok ? 0 : 1;
}
