/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-xml.h"

/*
 * Tokenizes a whole document into a compact trace: S(name) with [attr=value]
 * and / when self-closing, E(name), T"text" with escapes, C"cdata". Errors
 * end the trace with "!" and are returned through @error.
 */
static gchar *
prov_xml_test_trace_with(const gchar *data, gsize length, const ProvLimits *limits, GError **error)
{
	g_auto(ProvXmlReader) reader = {0};
	g_autoptr(GString) trace = g_string_new(NULL);

	prov_xml_reader_init(&reader, data, length, limits);
	for (;;) {
		ProvXmlToken token = prov_xml_reader_next(&reader, error);
		g_autofree gchar *text = NULL;
		g_autofree gchar *escaped = NULL;

		if (trace->len > 0 && token != PROV_XML_TOKEN_END_DOCUMENT)
			g_string_append_c(trace, ' ');
		switch (token) {
		case PROV_XML_TOKEN_START_ELEMENT:
			g_string_append_printf(trace, "S(%.*s", (gint)reader.name.length,
					       reader.name.data);
			for (guint i = 0; i < reader.n_attributes; i++)
				g_string_append_printf(trace, "[%.*s=%.*s]",
						       (gint)reader.attributes[i].name.length,
						       reader.attributes[i].name.data,
						       (gint)reader.attributes[i].value.length,
						       reader.attributes[i].value.data);
			g_string_append(trace, reader.self_closing ? "/)" : ")");
			break;
		case PROV_XML_TOKEN_END_ELEMENT:
			g_string_append_printf(trace, "E(%.*s%s)", (gint)reader.name.length,
					       reader.name.data, reader.self_closing ? "/" : "");
			break;
		case PROV_XML_TOKEN_TEXT:
		case PROV_XML_TOKEN_CDATA:
			text = g_strndup(reader.text.data, reader.text.length);
			escaped = g_strescape(text, NULL);
			g_string_append_printf(trace, "%c\"%s\"",
					       token == PROV_XML_TOKEN_TEXT ? 'T' : 'C', escaped);
			break;
		case PROV_XML_TOKEN_END_DOCUMENT:
			return g_string_free(g_steal_pointer(&trace), FALSE);
		case PROV_XML_TOKEN_ERROR:
		default:
			g_string_append_c(trace, '!');
			return g_string_free(g_steal_pointer(&trace), FALSE);
		}
	}
}

static gchar *
prov_xml_test_trace(const gchar *data, GError **error)
{
	return prov_xml_test_trace_with(data, strlen(data), NULL, error);
}

static void
prov_xml_test_assert_trace(const gchar *data, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = prov_xml_test_trace(data, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(trace, ==, expected);
}

/* fails with @code and exactly @message (which carries LINE:COLUMN) */
static void
prov_xml_test_assert_error_with(
    const gchar *data, gsize length, const ProvLimits *limits, gint code, const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = prov_xml_test_trace_with(data, length, limits, &error);

	g_assert_error(error, PROV_ERROR, code);
	g_assert_true(g_str_has_suffix(trace, "!"));
	g_assert_cmpstr(error->message, ==, message);
}

static void
prov_xml_test_assert_error(const gchar *data, gint code, const gchar *message)
{
	prov_xml_test_assert_error_with(data, strlen(data), NULL, code, message);
}

static void
prov_xml_test_tokens(void)
{
	prov_xml_test_assert_trace("<a>x</a>", "S(a) T\"x\" E(a)");
	prov_xml_test_assert_trace("<a/>", "S(a/) E(a/)");
	/* reference 1.2 rule 5: the two forms must stay apart */
	prov_xml_test_assert_trace("<r><a/><a></a><a> </a></r>",
				   "S(r) S(a/) E(a/) S(a) E(a) S(a) T\" \" E(a) E(r)");
	prov_xml_test_assert_trace("<a b=\"1\" c='2' d = \"x y\" ></a>",
				   "S(a[b=1][c=2][d=x y]) E(a)");
	prov_xml_test_assert_trace("<a b=\"it's\" c='say \"hi\"'/>",
				   "S(a[b=it's][c=say \"hi\"]/) E(a/)");
	prov_xml_test_assert_trace("<a\n\tb='1'\r\n/>", "S(a[b=1]/) E(a/)");
	prov_xml_test_assert_trace("<ns:a xml:lang=\"en\" _x.y-z='1'/>",
				   "S(ns:a[xml:lang=en][_x.y-z=1]/) E(ns:a/)");
	prov_xml_test_assert_trace("<a>x<b>y</b>z</a>", "S(a) T\"x\" S(b) T\"y\" E(b) T\"z\" E(a)");
	prov_xml_test_assert_trace("<a>&amp;&#38;</a>", "S(a) T\"&amp;&#38;\" E(a)");
	prov_xml_test_assert_trace("<a>x > y</a>", "S(a) T\"x > y\" E(a)");
	prov_xml_test_assert_trace("<a>]] ]></a>", "S(a) T\"]] ]>\" E(a)");
	prov_xml_test_assert_trace("<a b='1'></a >", "S(a[b=1]) E(a)");
	/* names are case-sensitive and may be long up to the cap */
	prov_xml_test_assert_trace("<A><a/></A>", "S(A) S(a/) E(a/) E(A)");
	prov_xml_test_assert_trace("<Auth_Resync-Reboot_1_>Yes</Auth_Resync-Reboot_1_>",
				   "S(Auth_Resync-Reboot_1_) T\"Yes\" E(Auth_Resync-Reboot_1_)");
	prov_xml_test_assert_trace("<ä>ü</ä>", "S(ä) T\"\\303\\274\" E(ä)");
}

static void
prov_xml_test_skipped(void)
{
	/* reference 1.2 rule 2: declaration, PIs and comments anywhere are dropped */
	prov_xml_test_assert_trace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- head -->\n"
				   "<?php echo 1; ?><a><!-- in --><?pi x?>x<!---->y</a>\n"
				   "<!-- tail --><?tail?>\n",
				   "S(a) T\"x\" T\"y\" E(a)");
	prov_xml_test_assert_trace("\xef\xbb\xbf<?xml version=\"1.0\"?><a/>", "S(a/) E(a/)");
	prov_xml_test_assert_trace("  \r\n\t<a/>\n\n", "S(a/) E(a/)");
	prov_xml_test_assert_trace("<a><!-- - -></x> <y> --></a>", "S(a) E(a)");
	prov_xml_test_assert_trace("<?xml-stylesheet href=\"a\"?><a/>", "S(a/) E(a/)");
}

static void
prov_xml_test_cdata(void)
{
	prov_xml_test_assert_trace("<a><![CDATA[<x>&amp;]]]]></a>", "S(a) C\"<x>&amp;]]\" E(a)");
	prov_xml_test_assert_trace("<a>1<![CDATA[]]>2</a>", "S(a) T\"1\" C\"\" T\"2\" E(a)");
	prov_xml_test_assert_error("<![CDATA[x]]><a/>", PROV_ERROR_CORRUPT_FILE,
				   "1:1: CDATA section outside the root element");
	prov_xml_test_assert_error("<a><![CDATA[x]]</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: CDATA section is not terminated by ']]>'");
}

static void
prov_xml_test_unquoted(void)
{
	/* reference 1.2 rule 9: the vendors' examples, exactly */
	prov_xml_test_assert_trace("<Dial_Plan_1_ ua=na/>",
				   "S(Dial_Plan_1_[ua=na]/) E(Dial_Plan_1_/)");
	prov_xml_test_assert_trace(
	    "<ExecuteItem URL=Resync:tftp://h/basic.txt/>",
	    "S(ExecuteItem[URL=Resync:tftp://h/basic.txt]/) E(ExecuteItem/)");
	prov_xml_test_assert_trace("<a ua=na>1</a>", "S(a[ua=na]) T\"1\" E(a)");
	prov_xml_test_assert_trace("<a b=x/y c=1 />", "S(a[b=x/y][c=1]/) E(a/)");
	prov_xml_test_assert_trace("<a b=x/ c=1/>", "S(a[b=x/][c=1]/) E(a/)");
	prov_xml_test_assert_trace("<a b=&amp;x/>", "S(a[b=&amp;x]/) E(a/)");
	prov_xml_test_assert_error("<a b=/>", PROV_ERROR_CORRUPT_FILE,
				   "1:6: attribute b has no value after '=', found '/'");
	prov_xml_test_assert_error("<a b= >", PROV_ERROR_CORRUPT_FILE,
				   "1:7: attribute b has no value after '=', found '>'");
	prov_xml_test_assert_error("<a b=`x`/>", PROV_ERROR_CORRUPT_FILE,
				   "1:6: attribute b has no value after '=', found '`'");
	prov_xml_test_assert_error(
	    "<a b=x=y/>", PROV_ERROR_CORRUPT_FILE,
	    "1:7: expected whitespace, '>' or '/>' in start tag <a>, found '='");
}

static void
prov_xml_test_unescape(void)
{
	static const struct {
		const gchar *raw;
		const gchar *decoded;
	} good[] = {
	    {"", ""},
	    {"plain", "plain"},
	    {"&amp;&lt;&gt;&apos;&quot;", "&<>'\""},
	    {"(S0 &lt;:18005551212&gt;)", "(S0 <:18005551212>)"},
	    {"&#40;&#x2e;&#X;", NULL},
	    {"&#40;&#x2e;", "(."},
	    {"&#233;&#x20AC;&#x1F600;", "é€😀"},
	    {"&#9;&#10;&#13;", "\t\n\r"},
	    {"&#xD7FF;&#xE000;&#xFFFD;&#x10FFFF;",
	     "\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbd\xf4\x8f\xbf\xbf"},
	    {"&#0000065;", "A"},
	};
	static const struct {
		const gchar *raw;
		const gchar *message;
	} bad[] = {
	    {"&foo;", "undefined entity &foo;: only &amp; &lt; &gt; &apos; &quot; and character "
		      "references are allowed"},
	    {"&AMP;", NULL},
	    {"a & b", "'&' does not start a reference (write &amp; for a literal '&')"},
	    {"&amp", "reference &amp is not terminated by ';'"},
	    {"&#;", "malformed character reference &#"},
	    {"&#x;", "malformed character reference &#x"},
	    {"&#12", "reference &#12 is not terminated by ';'"},
	    {"&#0;", "character reference &#0; is not an allowed XML character"},
	    {"&#x1;", NULL},
	    {"&#xD800;", NULL},
	    {"&#xDFFF;", NULL},
	    {"&#xFFFE;", NULL},
	    {"&#xFFFF;", NULL},
	    {"&#x110000;", NULL},
	    {"&#99999999999999999999;", NULL},
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *decoded = NULL;

		decoded = prov_xml_unescape_dup(good[i].raw, strlen(good[i].raw), &error);
		if (good[i].decoded == NULL) {
			g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
			continue;
		}
		g_assert_no_error(error);
		g_assert_cmpstr(decoded, ==, good[i].decoded);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *decoded = NULL;

		decoded = prov_xml_unescape_dup(bad[i].raw, strlen(bad[i].raw), &error);
		g_assert_null(decoded);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
		if (bad[i].message != NULL)
			g_assert_cmpstr(error->message, ==, bad[i].message);
	}
}

static void
prov_xml_test_unescape_allocates_only_for_references(void)
{
	const gchar *plain = "no references here";
	const gchar *coded = "x &lt; y";
	g_autofree gchar *allocated = NULL;
	g_autoptr(GError) error = NULL;
	ProvXmlSlice decoded = {0};

	g_assert_true(prov_xml_unescape(plain, strlen(plain), &decoded, &allocated, &error));
	g_assert_null(allocated);
	g_assert_true(decoded.data == plain);
	g_assert_cmpuint(decoded.length, ==, strlen(plain));

	g_assert_true(prov_xml_unescape(coded, strlen(coded), &decoded, &allocated, &error));
	g_assert_nonnull(allocated);
	g_assert_true(decoded.data == allocated);
	g_assert_cmpstr(allocated, ==, "x < y");
	g_assert_cmpuint(decoded.length, ==, 5);
	g_clear_pointer(&allocated, g_free);

	g_assert_false(prov_xml_unescape("&bad;", 5, &decoded, &allocated, &error));
	g_assert_null(allocated);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
}

static void
prov_xml_test_references_checked_while_reading(void)
{
	prov_xml_test_assert_error(
	    "<a>\n x &foo; y</a>", PROV_ERROR_CORRUPT_FILE,
	    "2:4: undefined entity &foo;: only &amp; &lt; &gt; &apos; &quot; "
	    "and character references are allowed");
	prov_xml_test_assert_error("<a>&#0;</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: character reference &#0; is not an allowed XML character");
	prov_xml_test_assert_error("<a>&#xD800;</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: character reference &#xD800; is not an allowed XML "
				   "character");
	prov_xml_test_assert_error("<a>&#x110000;</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: character reference &#x110000; is not an allowed XML "
				   "character");
	prov_xml_test_assert_error("<a>AT&T</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:6: reference &T is not terminated by ';'");
	prov_xml_test_assert_error("<a>a & b</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:6: '&' does not start a reference (write &amp; for a literal "
				   "'&')");
	prov_xml_test_assert_error("<a b=\"&lt;&nbsp;\"/>", PROV_ERROR_CORRUPT_FILE,
				   "1:11: undefined entity &nbsp;: only &amp; &lt; &gt; &apos; "
				   "&quot; and character references are allowed");
	/* CDATA is literal: no reference there */
	prov_xml_test_assert_trace("<a><![CDATA[&foo;]]></a>", "S(a) C\"&foo;\" E(a)");
	/* comments are not parsed for references */
	prov_xml_test_assert_trace("<a><!-- &foo; --></a>", "S(a) E(a)");
}

static void
prov_xml_test_dtd_refused(void)
{
	/* R27 */
	static const gchar billion_laughs[] =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    "]>\n"
	    "<flat-profile><GPP_A>&lol9;</GPP_A></flat-profile>\n";
	g_autoptr(GString) quadratic = g_string_new("<!DOCTYPE d [<!ENTITY a \"");

	prov_xml_test_assert_error(billion_laughs, PROV_ERROR_CORRUPT_FILE,
				   "2:1: document type declarations (<!DOCTYPE) are not allowed");
	prov_xml_test_assert_error("<!DOCTYPE flat-profile SYSTEM \"x.dtd\"><flat-profile/>",
				   PROV_ERROR_CORRUPT_FILE,
				   "1:1: document type declarations (<!DOCTYPE) are not allowed");
	prov_xml_test_assert_error("<a><!DOCTYPE a></a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: document type declarations (<!DOCTYPE) are not allowed");
	prov_xml_test_assert_error("<!ENTITY a \"b\"><a/>", PROV_ERROR_CORRUPT_FILE,
				   "1:1: entity declarations (<!ENTITY) are not allowed");
	prov_xml_test_assert_error("<a><!ENTITY x \"y\"></a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: entity declarations (<!ENTITY) are not allowed");
	prov_xml_test_assert_error("<a><!ELEMENT a ANY></a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: unexpected '<!': only comments and CDATA sections may "
				   "start with '<!'");
	prov_xml_test_assert_error("<a>&lol9;</a>", PROV_ERROR_CORRUPT_FILE,
				   "1:4: undefined entity &lol9;: only &amp; &lt; &gt; &apos; "
				   "&quot; and character references are allowed");

	/* quadratic blow-up: one large entity referenced many times */
	for (guint i = 0; i < 10000; i++)
		g_string_append_c(quadratic, 'x');
	g_string_append(quadratic, "\">]><a>");
	for (guint i = 0; i < 10000; i++)
		g_string_append(quadratic, "&a;");
	g_string_append(quadratic, "</a>");
	prov_xml_test_assert_error_with(quadratic->str, quadratic->len, NULL,
					PROV_ERROR_CORRUPT_FILE,
					"1:1: document type declarations (<!DOCTYPE) are not "
					"allowed");
}

static void
prov_xml_test_malformed(void)
{
	static const struct {
		const gchar *data;
		const gchar *message;
	} cases[] = {
	    {"", "1:1: no root element: the document has no elements"},
	    {"  \n <!-- only -->\n", "3:1: no root element: the document has no elements"},
	    {"<a>", "1:4: unexpected end of document: element <a> started at 1:1 is not closed"},
	    {"<a>\n  <b>\n</a>", "3:1: end tag </a> does not match start tag <b> at 2:3"},
	    {"<a><b></bc></a>", "1:7: end tag </bc> does not match start tag <b> at 1:4"},
	    {"<a><bc></b></a>", "1:8: end tag </b> does not match start tag <bc> at 1:4"},
	    {"</a>", "1:1: end tag </a> without a matching start tag"},
	    {"<a></a></a>", "1:8: end tag </a> without a matching start tag"},
	    {"<a/><b/>",
	     "1:5: element <b> after the end of the root element (started at 1:1): a document has "
	     "exactly one root"},
	    {"x<a/>", "1:1: text before the root element"},
	    {"<a/>x", "1:5: text after the end of the root element"},
	    {"<a/>\n &amp;", "2:2: text after the end of the root element"},
	    {"<", "1:1: unexpected end of document after '<'"},
	    {"<a", "1:1: start tag <a> is not closed by '>'"},
	    {"<a b='1'", "1:1: start tag <a> is not closed by '>'"},
	    {"<a b='1></a>", "1:6: value of attribute b has no closing quote"},
	    {"<a b></a>", "1:5: expected '=' after attribute name b, found '>'"},
	    {"<a b 'x'></a>", "1:6: expected '=' after attribute name b, found '''"},
	    {"<a/ >", "1:4: expected '>' in start tag <a>, found a space"},
	    {"<a b=\"1\"c=\"2\"/>",
	     "1:9: expected whitespace, '>' or '/>' in start tag <a>, found 'c'"},
	    {"<a 1b='x'/>",
	     "1:4: expected an attribute name, '>' or '/>' in start tag <a>, found '1'"},
	    {"<a b='1' b='2'/>", "1:10: duplicate attribute b"},
	    {"<a x=\"<\"/>", "1:7: '<' is not allowed in an attribute value"},
	    {"<1a/>", "1:2: expected an element name after '<', found '1'"},
	    {"< a/>", "1:2: expected an element name after '<', found a space"},
	    {"<a></ a>", "1:6: expected an element name after '</', found a space"},
	    {"<a></a", "1:7: expected '>' to close end tag </a>, found end of document"},
	    {"<a></a b>", "1:8: expected '>' to close end tag </a>, found 'b'"},
	    {"<a><!-- x -- y --></a>", "1:11: '--' is not allowed inside a comment"},
	    {"<a><!-- x ---></a>", "1:11: '--' is not allowed inside a comment"},
	    {"<a><!-- x </a>", "1:4: comment is not terminated by '-->'"},
	    {"<a>]]></a>", "1:4: ']]>' is not allowed in text"},
	    {"<a><?pi </a>", "1:4: processing instruction is not terminated by '?>'"},
	    {"<a><? x?></a>", "1:6: processing instruction without a target name"},
	    {"<a><?pi/?></a>", "1:8: expected whitespace or '?>' after the processing instruction "
			       "target"},
	    {" <?xml version=\"1.0\"?><a/>",
	     "1:2: the XML declaration is only allowed at the very start of the document"},
	    {"<?xml version=\"1.0\"?><?xml version=\"1.0\"?><a/>",
	     "1:22: the XML declaration is only allowed at the very start of the document"},
	    {"<a><?XML x?></a>",
	     "1:4: the XML declaration is only allowed at the very start of the document"},
	    {"<a><!x></a>",
	     "1:4: unexpected '<!': only comments and CDATA sections may start with '<!'"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("case %u: %s", i, cases[i].data);
		prov_xml_test_assert_error(cases[i].data, PROV_ERROR_CORRUPT_FILE,
					   cases[i].message);
	}
}

static void
prov_xml_test_invalid_utf8(void)
{
	static const struct {
		const gchar *data;
		const gchar *message;
	} cases[] = {
	    {"<a>\xc0\x80</a>", "1:4: invalid UTF-8: overlong encoding (byte 0xc0)"},
	    {"<a>\xc1\xbf</a>", "1:4: invalid UTF-8: overlong encoding (byte 0xc1)"},
	    {"<a>\xe0\x80\xaf</a>", "1:4: invalid UTF-8: overlong encoding"},
	    {"<a>\xf0\x80\x80\xaf</a>", "1:4: invalid UTF-8: overlong encoding"},
	    {"<a>\xed\xa0\x80</a>", "1:4: invalid UTF-8: encoded surrogate code point"},
	    {"<a>\xed\xbf\xbf</a>", "1:4: invalid UTF-8: encoded surrogate code point"},
	    {"<a>\xf4\x90\x80\x80</a>", "1:4: invalid UTF-8: code point above U+10FFFF"},
	    {"<a>\xf5\x80\x80\x80</a>", "1:4: invalid UTF-8: byte 0xf5 never occurs in UTF-8"},
	    {"<a>\xff</a>", "1:4: invalid UTF-8: byte 0xff never occurs in UTF-8"},
	    {"<a>\x80</a>", "1:4: invalid UTF-8: unexpected continuation byte 0x80"},
	    {"<a>\xe2\x82</a>", "1:4: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a>\xe2\x82x</a>", "1:4: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a>x</a>\xe2\x82", "1:9: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a>\xc3", "1:4: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a b='\xc3\x28'/>", "1:7: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a\xc3\x28/>", "1:3: invalid UTF-8: incomplete multi-byte sequence"},
	    {"<a><!-- \xff --></a>", "1:9: invalid UTF-8: byte 0xff never occurs in UTF-8"},
	    {"<a>\xef\xbf\xbe</a>", "1:4: character U+FFFE is not allowed in XML"},
	    {"<a>\xef\xbf\xbf</a>", "1:4: character U+FFFF is not allowed in XML"},
	    {"<a>\x01</a>", "1:4: character U+0001 is not allowed in XML"},
	    {"<a>\x1b[0m</a>", "1:4: character U+001B is not allowed in XML"},
	    {"<a>\x7f\x0c</a>", "1:5: character U+000C is not allowed in XML"},
	    {"\xef\xbb<a/>", "1:1: invalid UTF-8: incomplete multi-byte sequence"},
	};
	g_autoptr(GString) late = g_string_new("<a>");

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_test_message("case %u", i);
		prov_xml_test_assert_error(cases[i].data, PROV_ERROR_CORRUPT_FILE,
					   cases[i].message);
	}
	/* NUL is a byte like any other to the reader: refused as a character */
	prov_xml_test_assert_error_with("<a>\0</a>", 8, NULL, PROV_ERROR_CORRUPT_FILE,
					"1:4: character U+0000 is not allowed in XML");

	/* past the validation window, and inside a long run of plain ASCII */
	for (guint i = 0; i < 6000; i++)
		g_string_append(late, "<b>xxxxxxxxxxxxx</b>\n");
	g_string_append(late, "<c>\xed\xa0\x80</c></a>");
	prov_xml_test_assert_error_with(late->str, late->len, NULL, PROV_ERROR_CORRUPT_FILE,
					"6001:4: invalid UTF-8: encoded surrogate code point");

	/* valid multi-byte text of every length passes */
	prov_xml_test_assert_trace("<a>\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbd\xf0\x90\x80\x80"
				   "\xf4\x8f\xbf\xbf</a>",
				   "S(a) T\"\\302\\200\\337\\277\\340\\240\\200\\357\\277\\275\\360"
				   "\\220\\200\\200\\364\\217\\277\\277\" E(a)");
}

static void
prov_xml_test_positions(void)
{
	const gchar *data = "ab\ncd\r\nef\rgh\n\xc3\xa9x\xe2\x82\xacy";
	g_auto(ProvXmlReader) reader = {0};
	static const struct {
		gsize offset;
		guint line;
		guint column;
	} expected[] = {
	    {0, 1, 1}, {1, 1, 2},  {2, 1, 3},  {3, 2, 1},  {5, 2, 3},  {7, 3, 1},
	    {9, 3, 3}, {10, 4, 1}, {13, 5, 1}, {15, 5, 2}, {16, 5, 3}, {19, 5, 4},
	};

	prov_xml_reader_init(&reader, data, strlen(data), NULL);
	for (guint i = 0; i < G_N_ELEMENTS(expected); i++) {
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(&reader, expected[i].offset, &line, &column);
		g_assert_cmpuint(line, ==, expected[i].line);
		g_assert_cmpuint(column, ==, expected[i].column);
	}
	/* asking backwards restarts from the top */
	for (guint i = G_N_ELEMENTS(expected); i > 0; i--) {
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(&reader, expected[i - 1].offset, &line, &column);
		g_assert_cmpuint(line, ==, expected[i - 1].line);
		g_assert_cmpuint(column, ==, expected[i - 1].column);
	}
	/* the same with only LF line ends, which take the fast path */
	prov_xml_reader_clear(&reader);
	data = "<a>\n  <b>\xc3\xa9\xc3\xa9</b>\n  <c>\n</a>";
	prov_xml_reader_init(&reader, data, strlen(data), NULL);
	{
		guint line = 0;
		guint column = 0;

		prov_xml_reader_get_position(&reader, 6, &line, &column);
		g_assert_cmpuint(line, ==, 2);
		g_assert_cmpuint(column, ==, 3);
		prov_xml_reader_get_position(&reader, 13, &line, &column);
		g_assert_cmpuint(line, ==, 2);
		g_assert_cmpuint(column, ==, 8);
		prov_xml_reader_get_position(&reader, 20, &line, &column);
		g_assert_cmpuint(line, ==, 3);
		g_assert_cmpuint(column, ==, 3);
	}

	prov_xml_test_assert_error("<a>\r\n<b>\r\n</a>", PROV_ERROR_CORRUPT_FILE,
				   "3:1: end tag </a> does not match start tag <b> at 2:1");
	prov_xml_test_assert_error("<a>\r<b>\r</a>", PROV_ERROR_CORRUPT_FILE,
				   "3:1: end tag </a> does not match start tag <b> at 2:1");
	prov_xml_test_assert_error("<a>\xe2\x82\xac\xe2\x82\xac<b></a>", PROV_ERROR_CORRUPT_FILE,
				   "1:9: end tag </a> does not match start tag <b> at 1:6");
}

static void
prov_xml_test_error_is_sticky(void)
{
	const gchar *data = "<a><b></a>";
	g_auto(ProvXmlReader) reader = {0};
	g_autoptr(GError) error = NULL;
	guint line = 0;
	guint column = 0;

	prov_xml_reader_init(&reader, data, strlen(data), NULL);
	g_assert_false(prov_xml_reader_get_error_position(&reader, &line, &column));
	g_assert_cmpint(prov_xml_reader_next(&reader, NULL), ==, PROV_XML_TOKEN_START_ELEMENT);
	g_assert_cmpint(prov_xml_reader_next(&reader, NULL), ==, PROV_XML_TOKEN_START_ELEMENT);
	g_assert_cmpint(prov_xml_reader_next(&reader, &error), ==, PROV_XML_TOKEN_ERROR);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_clear_error(&error);
	g_assert_cmpint(prov_xml_reader_next(&reader, &error), ==, PROV_XML_TOKEN_ERROR);
	g_assert_cmpstr(error->message, ==,
			"1:7: end tag </a> does not match start tag <b> at 1:4");
	g_assert_true(prov_xml_reader_get_error_position(&reader, &line, &column));
	g_assert_cmpuint(line, ==, 1);
	g_assert_cmpuint(column, ==, 7);
	g_assert_cmpint(prov_xml_reader_next(&reader, NULL), ==, PROV_XML_TOKEN_ERROR);

	/* the end stays the end */
	prov_xml_reader_clear(&reader);
	prov_xml_reader_init(&reader, "<a/>", 4, NULL);
	while (prov_xml_reader_next(&reader, NULL) != PROV_XML_TOKEN_END_DOCUMENT)
		;
	g_assert_cmpint(prov_xml_reader_next(&reader, NULL), ==, PROV_XML_TOKEN_END_DOCUMENT);
}

static void
prov_xml_test_depth_and_attributes_api(void)
{
	const gchar *data = "<a x='1'><b><c ua=\"rw\" group='G'/></b></a>";
	g_auto(ProvXmlReader) reader = {0};
	const ProvXmlAttribute *attribute;
	guint depths[8];
	guint n = 0;

	prov_xml_reader_init(&reader, data, strlen(data), NULL);
	for (;;) {
		ProvXmlToken token = prov_xml_reader_next(&reader, NULL);

		g_assert_cmpint(token, !=, PROV_XML_TOKEN_ERROR);
		if (token == PROV_XML_TOKEN_END_DOCUMENT)
			break;
		if (token == PROV_XML_TOKEN_START_ELEMENT &&
		    prov_xml_slice_equal(&reader.name, "c")) {
			g_assert_cmpuint(reader.offset, ==, 12);
			attribute = prov_xml_reader_find_attribute(&reader, "ua");
			g_assert_nonnull(attribute);
			g_assert_true(prov_xml_slice_equal(&attribute->value, "rw"));
			g_assert_cmpuint(attribute->offset, ==, 15);
			g_assert_null(prov_xml_reader_find_attribute(&reader, "u"));
			g_assert_nonnull(prov_xml_reader_find_attribute(&reader, "group"));
		}
		g_assert_cmpuint(n, <, G_N_ELEMENTS(depths));
		depths[n++] = reader.depth;
	}
	g_assert_cmpuint(n, ==, 6);
	g_assert_cmpuint(depths[0], ==, 1);
	g_assert_cmpuint(depths[1], ==, 2);
	g_assert_cmpuint(depths[2], ==, 3);
	g_assert_cmpuint(depths[3], ==, 3);
	g_assert_cmpuint(depths[4], ==, 2);
	g_assert_cmpuint(depths[5], ==, 1);
}

static gchar *
prov_xml_test_nested(guint depth, gboolean close)
{
	GString *text = g_string_new(NULL);

	for (guint i = 0; i < depth; i++)
		g_string_append(text, "<d>");
	for (guint i = 0; close && i < depth; i++)
		g_string_append(text, "</d>");
	return g_string_free(text, FALSE);
}

static void
prov_xml_test_depth_cap(void)
{
	g_autofree gchar *eight = prov_xml_test_nested(8, TRUE);
	g_autofree gchar *nine = prov_xml_test_nested(9, TRUE);
	g_autofree gchar *deep = prov_xml_test_nested(200, TRUE);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = NULL;
	ProvLimits limits;

	trace = prov_xml_test_trace(eight, &error);
	g_assert_no_error(error);
	prov_xml_test_assert_error(nine, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:25: element nesting exceeds the limit of 8 (MaxDepth)");
	/* a self-closing element counts as one level */
	prov_xml_test_assert_error("<d><d><d><d><d><d><d><d><e/></d></d></d></d></d></d></d></d>",
				   PROV_ERROR_LIMIT_EXCEEDED,
				   "1:25: element nesting exceeds the limit of 8 (MaxDepth)");
	prov_limits_init(&limits);
	limits.max_depth = 2;
	prov_xml_test_assert_error_with("<a>\n  <b>\n    <c/>\n  </b>\n</a>", 27, &limits,
					PROV_ERROR_LIMIT_EXCEEDED,
					"3:5: element nesting exceeds the limit of 2 (MaxDepth)");

	/* a raised cap moves the stack to the heap, and still holds */
	limits.max_depth = 200;
	g_clear_pointer(&trace, g_free);
	trace = prov_xml_test_trace_with(deep, strlen(deep), &limits, &error);
	g_assert_no_error(error);
	limits.max_depth = 199;
	prov_xml_test_assert_error_with(
	    deep, strlen(deep), &limits, PROV_ERROR_LIMIT_EXCEEDED,
	    "1:598: element nesting exceeds the limit of 199 (MaxDepth)");
}

static gchar *
prov_xml_test_repeat(const gchar *head, gchar fill, gsize count, const gchar *tail)
{
	GString *text = g_string_sized_new(count + 64);

	g_string_append(text, head);
	for (gsize i = 0; i < count; i++)
		g_string_append_c(text, fill);
	g_string_append(text, tail);
	return g_string_free(text, FALSE);
}

static void
prov_xml_test_accepts(const gchar *data, const ProvLimits *limits)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = prov_xml_test_trace_with(data, strlen(data), limits, &error);

	g_assert_no_error(error);
	g_assert_nonnull(trace);
}

static void
prov_xml_test_limits(void)
{
	g_autofree gchar *name_256 = prov_xml_test_repeat("<", 'n', 256, "/>");
	g_autofree gchar *name_257 = prov_xml_test_repeat("<", 'n', 257, "/>");
	g_autofree gchar *end_257 = prov_xml_test_repeat("<a></", 'n', 257, ">");
	g_autofree gchar *attribute_256 = prov_xml_test_repeat("<a ", 'n', 256, "='1'/>");
	g_autofree gchar *attribute_257 = prov_xml_test_repeat("<a ", 'n', 257, "='1'/>");
	g_autofree gchar *pi_257 = prov_xml_test_repeat("<?", 'n', 257, "?><a/>");
	g_autofree gchar *text_ok = prov_xml_test_repeat("<a>", 'v', 65536, "</a>");
	g_autofree gchar *text_long = prov_xml_test_repeat("<a>", 'v', 65537, "</a>");
	g_autofree gchar *quoted_ok = prov_xml_test_repeat("<a b='", 'v', 65536, "'/>");
	g_autofree gchar *quoted_long = prov_xml_test_repeat("<a b='", 'v', 65537, "'/>");
	g_autofree gchar *unquoted_long = prov_xml_test_repeat("<a b=", 'v', 65537, "/>");
	g_autofree gchar *cdata_ok = prov_xml_test_repeat("<a><![CDATA[", 'v', 65536, "]]></a>");
	g_autofree gchar *cdata_long = prov_xml_test_repeat("<a><![CDATA[", 'v', 65537, "]]></a>");
	g_autoptr(GString) attributes = g_string_new("<a");
	ProvLimits limits;

	prov_limits_init(&limits);
	prov_xml_test_accepts(name_256, NULL);
	prov_xml_test_assert_error(
	    name_257, PROV_ERROR_LIMIT_EXCEEDED,
	    "1:2: element name exceeds the limit of 256 bytes (MaxNameLength)");
	/* an end tag longer than any start tag can be cannot match */
	prov_xml_test_assert_error(
	    end_257, PROV_ERROR_CORRUPT_FILE,
	    "1:4: end tag </nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	    "nnnnnnnnnnnnn…> does not match start tag <a> at 1:1");
	prov_xml_test_accepts(attribute_256, NULL);
	prov_xml_test_assert_error(attribute_257, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:4: attribute name exceeds the limit of 256 bytes "
				   "(MaxNameLength)");
	prov_xml_test_assert_error(pi_257, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:3: processing instruction target exceeds the limit of 256 "
				   "bytes (MaxNameLength)");

	prov_xml_test_accepts(text_ok, NULL);
	prov_xml_test_assert_error(text_long, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:4: text exceeds the limit of 65536 bytes (MaxValueLength)");
	prov_xml_test_accepts(quoted_ok, NULL);
	prov_xml_test_assert_error(quoted_long, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:7: value of attribute b exceeds the limit of 65536 bytes "
				   "(MaxValueLength)");
	prov_xml_test_assert_error(unquoted_long, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:6: value of attribute b exceeds the limit of 65536 bytes "
				   "(MaxValueLength)");
	prov_xml_test_accepts(cdata_ok, NULL);
	prov_xml_test_assert_error(cdata_long, PROV_ERROR_LIMIT_EXCEEDED,
				   "1:4: CDATA section exceeds the limit of 65536 bytes "
				   "(MaxValueLength)");

	/* 16 attributes pass, the 17th is refused where it starts */
	for (guint i = 1; i <= 16; i++)
		g_string_append_printf(attributes, " a%u='%u'", i, i);
	g_string_append(attributes, "/>");
	prov_xml_test_accepts(attributes->str, NULL);
	g_string_truncate(attributes, attributes->len - 2);
	g_string_append(attributes, " a17='17'/>");
	prov_xml_test_assert_error(
	    attributes->str, PROV_ERROR_LIMIT_EXCEEDED,
	    "1:130: element <a> has more than 16 attributes (MaxAttributes)");

	/* R25: the size is checked before anything is read */
	limits.decoded_max = 10;
	prov_xml_test_assert_error_with("<a>1234</a>", 11, &limits, PROV_ERROR_LIMIT_EXCEEDED,
					"1:1: document of 11 bytes exceeds the limit of 10 bytes "
					"(DecodedMax)");
	prov_xml_test_accepts("<a>123</a>", &limits);
	limits.decoded_max = 4 * 1024 * 1024;

	/* every cap is a setting */
	limits.max_name_length = 3;
	limits.max_value_length = 2;
	limits.max_attributes = 1;
	prov_xml_test_assert_error_with("<abcd/>", 7, &limits, PROV_ERROR_LIMIT_EXCEEDED,
					"1:2: element name exceeds the limit of 3 bytes "
					"(MaxNameLength)");
	prov_xml_test_assert_error_with("<a>xyz</a>", 10, &limits, PROV_ERROR_LIMIT_EXCEEDED,
					"1:4: text exceeds the limit of 2 bytes (MaxValueLength)");
	prov_xml_test_assert_error_with("<a b='1' c='2'/>", 16, &limits, PROV_ERROR_LIMIT_EXCEEDED,
					"1:10: element <a> has more than 1 attributes "
					"(MaxAttributes)");
	prov_xml_test_accepts("<abc b='12'>xy</abc>", &limits);
}

static void
prov_xml_test_attribute_flood(void)
{
	g_autoptr(GString) text = g_string_new("<a");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *trace = NULL;
	ProvLimits limits;

	/* beyond 32 attributes duplicates are found by hashing: same verdicts */
	prov_limits_init(&limits);
	limits.max_attributes = 2000;
	for (guint i = 0; i < 2000; i++)
		g_string_append_printf(text, " n%u='%u'", i, i);
	g_string_append(text, "/>");
	trace = prov_xml_test_trace_with(text->str, text->len, &limits, &error);
	g_assert_no_error(error);
	g_assert_true(g_str_has_prefix(trace, "S(a[n0=0][n1=1]"));
	g_assert_true(g_str_has_suffix(trace, "[n1999=1999]/) E(a/)"));

	g_string_truncate(text, text->len - 2);
	g_string_append(text, " n1500='x'/>");
	limits.max_attributes = 3000;
	g_clear_pointer(&trace, g_free);
	trace = prov_xml_test_trace_with(text->str, text->len, &limits, &error);
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_true(g_str_has_suffix(error->message, ": duplicate attribute n1500"));
	g_clear_error(&error);

	/* with the default cap the flood stops at the 17th */
	prov_xml_test_assert_error_with(text->str, text->len, NULL, PROV_ERROR_LIMIT_EXCEEDED,
					"1:128: element <a> has more than 16 attributes "
					"(MaxAttributes)");
}

/* runs the reader to its error; returns how far it had to validate */
static gsize
prov_xml_test_fail_fast(const gchar *data, gsize length, gint code, const gchar *message)
{
	g_auto(ProvXmlReader) reader = {0};
	ProvLimits limits;
	g_autoptr(GError) error = NULL;
	gdouble elapsed;
	gsize validated;

	/* the inputs are larger than DecodedMax on purpose, except where that is the point */
	prov_limits_init(&limits);
	if (length < 16 * 1024 * 1024)
		limits.decoded_max = 16 * 1024 * 1024;
	g_test_timer_start();
	prov_xml_reader_init(&reader, data, length, &limits);
	while (prov_xml_reader_next(&reader, &error) != PROV_XML_TOKEN_ERROR)
		g_assert_cmpint(reader.token, !=, PROV_XML_TOKEN_END_DOCUMENT);
	elapsed = g_test_timer_elapsed();
	g_test_message("failed after %.3f ms, %zu of %zu bytes validated", elapsed * 1000,
		       reader.valid_end, length);
	g_assert_error(error, PROV_ERROR, code);
	g_assert_cmpstr(error->message, ==, message);
	validated = reader.valid_end;
	return validated;
}

static void
prov_xml_test_hostile(void)
{
	gsize window = 64 * 1024;
	g_autofree gchar *long_name = prov_xml_test_repeat("<", 'n', 10 * 1024 * 1024, "/>");
	g_autofree gchar *deep = prov_xml_test_nested(1000 * 1000, FALSE);
	g_autofree gchar *long_text = prov_xml_test_repeat("<a>", 'v', 10 * 1024 * 1024, "</a>");
	g_autofree gchar *long_comment = prov_xml_test_repeat("<a><!--", '-', 1024 * 1024, "></a>");
	g_autofree gchar *huge = NULL;
	gsize huge_length = 30 * 1024 * 1024;

	/* R26: each fails at its cap, having read little more than the cap */
	g_assert_cmpuint(prov_xml_test_fail_fast(long_name, strlen(long_name),
						 PROV_ERROR_LIMIT_EXCEEDED,
						 "1:2: element name exceeds the limit of 256 bytes "
						 "(MaxNameLength)"),
			 <=, window);
	g_assert_cmpuint(prov_xml_test_fail_fast(deep, strlen(deep), PROV_ERROR_LIMIT_EXCEEDED,
						 "1:25: element nesting exceeds the limit of 8 "
						 "(MaxDepth)"),
			 <=, window);
	g_assert_cmpuint(prov_xml_test_fail_fast(long_text, strlen(long_text),
						 PROV_ERROR_LIMIT_EXCEEDED,
						 "1:4: text exceeds the limit of 65536 bytes "
						 "(MaxValueLength)"),
			 <=, window);
	/* a comment may be as long as the document, but "--" inside it fails at once */
	g_assert_cmpuint(prov_xml_test_fail_fast(long_comment, strlen(long_comment),
						 PROV_ERROR_CORRUPT_FILE,
						 "1:8: '--' is not allowed inside a comment"),
			 <=, window);

	/* R25: a 30 MB document is refused before a single byte is looked at */
	huge = g_malloc(huge_length);
	memset(huge, ' ', huge_length);
	g_assert_cmpuint(
	    prov_xml_test_fail_fast(huge, huge_length, PROV_ERROR_LIMIT_EXCEEDED,
				    "1:1: document of 31457280 bytes exceeds the limit "
				    "of 4194304 bytes (DecodedMax)"),
	    ==, 0);
}

static void
prov_xml_test_name_is_valid(void)
{
	g_assert_true(prov_xml_name_is_valid("a", 1));
	g_assert_true(prov_xml_name_is_valid("Resync_At__HHmm_", 16));
	g_assert_true(prov_xml_name_is_valid("SIP-number", 10));
	g_assert_true(prov_xml_name_is_valid("_x.y:z", 6));
	g_assert_false(prov_xml_name_is_valid("", 0));
	g_assert_false(prov_xml_name_is_valid("1a", 2));
	g_assert_false(prov_xml_name_is_valid("-a", 2));
	g_assert_false(prov_xml_name_is_valid("a b", 3));
	g_assert_false(prov_xml_name_is_valid("a/b", 3));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/xml/tokens", prov_xml_test_tokens);
	g_test_add_func("/prov/xml/skipped", prov_xml_test_skipped);
	g_test_add_func("/prov/xml/cdata", prov_xml_test_cdata);
	g_test_add_func("/prov/xml/unquoted", prov_xml_test_unquoted);
	g_test_add_func("/prov/xml/unescape", prov_xml_test_unescape);
	g_test_add_func("/prov/xml/unescape-allocates-only-for-references",
			prov_xml_test_unescape_allocates_only_for_references);
	g_test_add_func("/prov/xml/references-checked-while-reading",
			prov_xml_test_references_checked_while_reading);
	g_test_add_func("/prov/xml/dtd-refused", prov_xml_test_dtd_refused);
	g_test_add_func("/prov/xml/malformed", prov_xml_test_malformed);
	g_test_add_func("/prov/xml/invalid-utf8", prov_xml_test_invalid_utf8);
	g_test_add_func("/prov/xml/positions", prov_xml_test_positions);
	g_test_add_func("/prov/xml/error-is-sticky", prov_xml_test_error_is_sticky);
	g_test_add_func("/prov/xml/depth-and-attributes-api",
			prov_xml_test_depth_and_attributes_api);
	g_test_add_func("/prov/xml/depth-cap", prov_xml_test_depth_cap);
	g_test_add_func("/prov/xml/limits", prov_xml_test_limits);
	g_test_add_func("/prov/xml/attribute-flood", prov_xml_test_attribute_flood);
	g_test_add_func("/prov/xml/hostile", prov_xml_test_hostile);
	g_test_add_func("/prov/xml/name-is-valid", prov_xml_test_name_is_valid);
	return g_test_run();
}
