/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <string.h>

#include "prov-alias-map.h"
#include "prov-error.h"
#include "prov-profile.h"
#include "prov-test-log.h"

/* the seed's basic.txt (reference 8.3.1 and S-1), byte for byte */
static const gchar prov_profile_test_basic_txt[] = "<flat-profile>\n"
						   "  <GPP_A> 12345678\n"
						   "  </GPP_A>\n"
						   "</flat-profile>\n";

static const gchar prov_profile_test_customer[] = "<customer-account>\n"
						  "  <SIP-number> 17775551234</SIP-number>\n"
						  "  <SIP-password> 512835907884</SIP-password>\n"
						  "</customer-account>\n";

/* GPP_A of S-15, typed on one line */
static const gchar prov_profile_test_customer_map[] =
    "/customer-account/SIP-number = /flat-profile/User_ID_1_ ;"
    "/customer-account/SIP-password = /flat-profile/Password_1_ ;";

static const gchar prov_profile_test_cpe[] =
    "<CPE><SIP-Credentials><name>J. Smith</name><number>14085551234</number>\n"
    "<auth-secret>732091751563sfd</auth-secret></SIP-Credentials></CPE>";

/* each line of @expected is a warning of the alias map, and there is no other */
static void
prov_profile_test_assert_warnings(const gchar *expected)
{
	g_auto(GStrv) lines = g_strsplit(expected, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		g_autofree gchar *pattern = NULL;

		if (lines[i][0] == '\0')
			continue;
		pattern = g_strdup_printf("ProvAliasMap: %s", lines[i]);
		g_test_message("expecting warning %s", pattern);
		g_assert_true(prov_test_log_take(pattern));
	}
	prov_test_log_assert_empty();
}

/*
 * The assignments as text: NAME=VALUE, or NAME unchanged for a
 * self-closing element, then " ua=LEVEL" or " ua!=TEXT" for an invalid one;
 * entries joined by " | ".
 */
static gchar *
prov_profile_test_describe(ProvProfile *profile)
{
	GPtrArray *assignments = prov_profile_get_assignments(profile);
	GString *text = g_string_new(NULL);

	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);

		if (i > 0)
			g_string_append(text, " | ");
		g_string_append(text, assignment->name);
		if (assignment->value != NULL)
			g_string_append_printf(text, "=%s", assignment->value);
		else
			g_string_append(text, " unchanged");
		if (assignment->access != PROV_ACCESS_UNSET)
			g_string_append_printf(text, " ua=%s",
					       prov_access_to_string(assignment->access));
		if (assignment->invalid_access != NULL)
			g_string_append_printf(text, " ua!=%s", assignment->invalid_access);
	}
	return g_string_free(text, FALSE);
}

static gchar *
prov_profile_test_parse_with(const gchar *data,
			     gsize length,
			     const gchar *alias_map,
			     const ProvLimits *limits,
			     GError **error)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(limits);

	prov_profile_set_alias_map(profile, alias_map);
	prov_profile_test_assert_warnings("");
	if (!prov_profile_parse(profile, data, length, error)) {
		g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
		g_assert_cmpuint(prov_profile_get_error_line(profile), >, 0);
		g_assert_cmpuint(prov_profile_get_error_column(profile), >, 0);
		return NULL;
	}
	g_assert_cmpuint(prov_profile_get_error_line(profile), ==, 0);
	return prov_profile_test_describe(profile);
}

static void
prov_profile_test_assert(const gchar *data, const gchar *alias_map, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *result =
	    prov_profile_test_parse_with(data, strlen(data), alias_map, NULL, &error);

	g_assert_no_error(error);
	g_assert_cmpstr(result, ==, expected);
}

/* the parse fails with @code, @message (with its LINE:COLUMN), and leaves nothing */
static void
prov_profile_test_assert_error_with(const gchar *data,
				    gsize length,
				    const gchar *alias_map,
				    const ProvLimits *limits,
				    gint code,
				    const gchar *message)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *result =
	    prov_profile_test_parse_with(data, length, alias_map, limits, &error);

	g_assert_null(result);
	g_assert_error(error, PROV_ERROR, code);
	g_assert_cmpstr(error->message, ==, message);
}

static void
prov_profile_test_assert_error(const gchar *data, gint code, const gchar *message)
{
	prov_profile_test_assert_error_with(data, strlen(data), NULL, NULL, code, message);
}

static void
prov_profile_test_basic(void)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
	g_autoptr(GError) error = NULL;
	const ProvAssignment *assignment;

	/* S-1: the leading space and the line break are removed */
	g_assert_true(prov_profile_parse(profile, prov_profile_test_basic_txt,
					 strlen(prov_profile_test_basic_txt), &error));
	g_assert_no_error(error);
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 1);
	assignment = g_ptr_array_index(prov_profile_get_assignments(profile), 0);
	g_assert_cmpstr(assignment->name, ==, "GPP_A");
	g_assert_cmpstr(assignment->value, ==, "12345678");
	g_assert_cmpint(assignment->access, ==, PROV_ACCESS_UNSET);
	g_assert_null(assignment->invalid_access);
	g_assert_cmpuint(assignment->line, ==, 2);
	g_assert_cmpuint(assignment->column, ==, 3);

	/* reference 1.2's first example */
	prov_profile_test_assert(
	    "<flat-profile>\n"
	    "  <Resync_On_Reset> Yes </Resync_On_Reset>\n"
	    "  <Resync_Periodic> 7200 </Resync_Periodic>\n"
	    "  <Profile_Rule> tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg "
	    "</Profile_Rule>\n"
	    "</flat-profile>\n",
	    NULL,
	    "Resync_On_Reset=Yes | Resync_Periodic=7200 | "
	    "Profile_Rule=tftp://prov.telco.com:6900/cisco/config/CP_xxxx_MPP.cfg");

	/* S-14: basic2.txt, and a rule value with a trailing line break */
	prov_profile_test_assert("<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n"
				 "  <GPP_B>ABCD</GPP_B>\n</flat-profile>\n",
				 NULL, "GPP_A=12345678 | GPP_B=ABCD");
	prov_profile_test_assert("<flat-profile><Profile_Rule_B>tftp://192.168.1.200/basic2.txt\n"
				 "</Profile_Rule_B></flat-profile>",
				 NULL, "Profile_Rule_B=tftp://192.168.1.200/basic2.txt");
	/* S-2: a parameter of the seed's own snippet */
	prov_profile_test_assert("<flat-profile><Syslog_Server_IP>192.168.1.210</Syslog_Server_IP>"
				 "</flat-profile>",
				 NULL, "Syslog_Server_IP=192.168.1.210");
	/* reference 1.1: names are kept as written, case and all */
	prov_profile_test_assert("<flat-profile><Resync_At__HHmm_ ua=\"na\">0959</Resync_At__HHmm_>"
				 "<Auth_Resync-Reboot_1_>Yes</Auth_Resync-Reboot_1_>"
				 "<Phone-UI-User-Mode>No</Phone-UI-User-Mode>"
				 "<gpp_a>x</gpp_a></flat-profile>",
				 NULL,
				 "Resync_At__HHmm_=0959 ua=na | Auth_Resync-Reboot_1_=Yes | "
				 "Phone-UI-User-Mode=No | gpp_a=x");
}

static void
prov_profile_test_values(void)
{
	/* rule 7 */
	prov_profile_test_assert(
	    "<flat-profile><Dial_Plan_1_>(S0 &lt;:18005551212&gt;)</Dial_Plan_1_></flat-profile>",
	    NULL, "Dial_Plan_1_=(S0 <:18005551212>)");
	prov_profile_test_assert("<flat-profile><A>&#40;&#x2e;&amp;&apos;&quot;</A></flat-profile>",
				 NULL, "A=(.&'\"");
	/* rule 6, exactly */
	prov_profile_test_assert("<flat-profile><A>OU=x,\nL=y,\nS=z\n</A></flat-profile>", NULL,
				 "A=OU=x, L=y, S=z");
	prov_profile_test_assert("<flat-profile><A>a\r\nb\rc\n\nd</A></flat-profile>", NULL,
				 "A=a b c  d");
	prov_profile_test_assert("<flat-profile><A> \t a  \t b \t </A></flat-profile>", NULL,
				 "A=a  \t b");
	prov_profile_test_assert("<flat-profile><A>\r\n\t x\r\n</A></flat-profile>", NULL, "A=x");
	/* the rule applies after decoding: coded line ends and tabs go too */
	prov_profile_test_assert("<flat-profile><A>&#9;a&#13;&#10;b&#10;</A></flat-profile>", NULL,
				 "A=a b");
	/* other whitespace is not trimmed */
	prov_profile_test_assert("<flat-profile><A>\xc2\xa0x\xc2\xa0</A></flat-profile>", NULL,
				 "A=\xc2\xa0x\xc2\xa0");
	/* CDATA is literal, and pieces around comments join */
	prov_profile_test_assert("<flat-profile><A><![CDATA[ <b>&amp; ]]></A></flat-profile>", NULL,
				 "A=<b>&amp;");
	prov_profile_test_assert("<flat-profile><A> x<!-- note -->y <?pi?>z </A></flat-profile>",
				 NULL, "A=xy z");
	prov_profile_test_assert("<flat-profile><A>a&lt;<![CDATA[\n]]>&gt;b</A></flat-profile>",
				 NULL, "A=a< >b");
	/* rule 11 */
	prov_profile_test_assert("<flat-profile><A>\"\"</A><B> \"\" </B><C>\"\"\"</C>"
				 "<D>&quot;&quot;</D><E>'\"\"'</E></flat-profile>",
				 NULL, "A= | B= | C=\"\"\" | D= | E='\"\"'");
	prov_profile_test_assert("<flat-profile><A>\xe6\x97\xa5\xe6\x9c\xac</A></flat-profile>",
				 NULL, "A=\xe6\x97\xa5\xe6\x9c\xac");
}

static void
prov_profile_test_empty_forms(void)
{
	/* rule 5: self-closing keeps, open/close empties */
	prov_profile_test_assert("<flat-profile>\n"
				 "  <GPP_A></GPP_A>\n"
				 "  <GPP_B/>\n"
				 "  <GPP_C>  \n  </GPP_C>\n"
				 "  <GPP_D />\n"
				 "  <Profile_Rule_B />\n"
				 "  <GPP_E><!-- nothing --></GPP_E>\n"
				 "</flat-profile>",
				 NULL,
				 "GPP_A= | GPP_B unchanged | GPP_C= | GPP_D unchanged | "
				 "Profile_Rule_B unchanged | GPP_E=");
	/* reference 1.3: only the access level changes */
	prov_profile_test_assert(
	    "<flat-profile><Dial_Plan_1_ ua=\"ro\"/>"
	    "<Speed_Dial_2_Name ua=\"rw\"/></flat-profile>",
	    NULL, "Dial_Plan_1_ unchanged ua=ro | Speed_Dial_2_Name unchanged ua=rw");
}

static void
prov_profile_test_access(void)
{
	prov_profile_test_assert(
	    "<flat-profile><A ua=\"na\">1</A><B ua='ro'>2</B><C ua=\"rw\">3</C>"
	    "<D>4</D></flat-profile>",
	    NULL, "A=1 ua=na | B=2 ua=ro | C=3 ua=rw | D=4");
	/* rule 9: the vendor's unquoted form */
	prov_profile_test_assert("<flat-profile><Dial_Plan_1_ ua=na>x</Dial_Plan_1_>"
				 "<GPP_B ua=rw/></flat-profile>",
				 NULL, "Dial_Plan_1_=x ua=na | GPP_B unchanged ua=rw");
	/* an invalid ua does not fail the parse: the parameter model decides (R1) */
	prov_profile_test_assert("<flat-profile><A ua=\"RW\">1</A><B ua=\"\">2</B>"
				 "<C ua=\"r&amp;w\"/><D ua=\" rw\">4</D></flat-profile>",
				 NULL, "A=1 ua!=RW | B=2 ua!= | C unchanged ua!=r&w | D=4 ua!= rw");
	/* references in ua are decoded like any attribute value */
	prov_profile_test_assert("<flat-profile><A ua=\"&#114;o\">1</A></flat-profile>", NULL,
				 "A=1 ua=ro");
	/* the group attribute of device exports and other attributes are ignored */
	prov_profile_test_assert(
	    "<flat-profile><Resync_On_Reset group=\"Provisioning/Configuration_Profile\" "
	    "ua=\"na\" x=\"y\">Yes</Resync_On_Reset></flat-profile>",
	    NULL, "Resync_On_Reset=Yes ua=na");
	prov_profile_test_assert("<flat-profile ua=\"na\" device=\"x\"><A>1</A></flat-profile>",
				 NULL, "A=1");
}

static void
prov_profile_test_wrappers(void)
{
	/* rule 1: the wrapper may sit anywhere; only its content counts */
	prov_profile_test_assert("<top-level><generator><GPP_A>no</GPP_A></generator>"
				 "<flat-profile device=\"x\"><GPP_A>yes</GPP_A></flat-profile>"
				 "<GPP_B>no</GPP_B></top-level>",
				 NULL, "GPP_A=yes");
	prov_profile_test_assert("<device><flat-profile><GPP_A>1</GPP_A></flat-profile></device>",
				 NULL, "GPP_A=1");
	prov_profile_test_assert_error("<device>\n  <GPP_A>1</GPP_A>\n</device>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:1: no flat-profile element: parameters are only read "
				       "inside <flat-profile>");
	prov_profile_test_assert_error("<?xml version=\"1.0\"?>\n<!-- x -->\n  <a/>",
				       PROV_ERROR_CORRUPT_FILE,
				       "3:3: no flat-profile element: parameters are only read "
				       "inside <flat-profile>");
	/* several wrappers concatenate in document order; duplicates stay for "last wins" */
	prov_profile_test_assert("<root><flat-profile><A>1</A><B>2</B></flat-profile>"
				 "<other><A>x</A></other>"
				 "<flat-profile><A>3</A></flat-profile></root>",
				 NULL, "A=1 | B=2 | A=3");
	prov_profile_test_assert("<flat-profile><A>1</A><A/><A>2</A></flat-profile>", NULL,
				 "A=1 | A unchanged | A=2");
	prov_profile_test_assert("<flat-profile/>", NULL, "");
	prov_profile_test_assert("<flat-profile>\n</flat-profile>", NULL, "");
	/* text directly inside the wrapper is not a value */
	prov_profile_test_assert("<flat-profile>stray<A>1</A>text</flat-profile>", NULL, "A=1");
}

static void
prov_profile_test_containers(void)
{
	/* the ATA MPP router-configuration block */
	prov_profile_test_assert(
	    "<flat-profile>\n"
	    "  <router-configuration>\n"
	    "    <WAN_Interface>\n"
	    "      <Connection_Type>DHCP</Connection_Type>\n"
	    "      <MTU>1500</MTU>\n"
	    "    </WAN_Interface>\n"
	    "    <LAN_Setup><Local_DHCP_Server ua=\"rw\">Yes</Local_DHCP_Server>"
	    "</LAN_Setup>\n"
	    "  </router-configuration>\n"
	    "  <GPP_A>1</GPP_A>\n"
	    "</flat-profile>",
	    NULL,
	    "Connection_Type=DHCP | MTU=1500 | Local_DHCP_Server=Yes ua=rw | "
	    "GPP_A=1");
	/* mixed content: an element with element children is a container, its text lost */
	prov_profile_test_assert("<flat-profile><A>text<B>1</B>more</A><C><D/></C></flat-profile>",
				 NULL, "B=1 | D unchanged");
	/* ua on a container is not an assignment */
	prov_profile_test_assert("<flat-profile><A ua=\"na\"><B>1</B></A></flat-profile>", NULL,
				 "B=1");
}

static void
prov_profile_test_alias(void)
{
	/* reference 10 and S-15 */
	prov_profile_test_assert(prov_profile_test_customer, prov_profile_test_customer_map,
				 "User_ID_1_=17775551234 | Password_1_=512835907884");
	/* the same map typed over several lines */
	prov_profile_test_assert(
	    prov_profile_test_customer,
	    "\n  /customer-account/SIP-number=/flat-profile/User_ID_1_;\r\n"
	    "\t/customer-account/SIP-password\n=\n/flat-profile/Password_1_\n;\n",
	    "User_ID_1_=17775551234 | Password_1_=512835907884");
	/* without --alias the same document has no parameters and is corrupt */
	prov_profile_test_assert_error(prov_profile_test_customer, PROV_ERROR_CORRUPT_FILE,
				       "1:1: no flat-profile element: parameters are only read "
				       "inside <flat-profile>");
	/* with --alias and an empty map it is valid and yields nothing (S-15 trap) */
	prov_profile_test_assert(prov_profile_test_customer, "", "");
	prov_profile_test_assert(prov_profile_test_customer, "   ", "");

	/* suffix matching, from the CPE example */
	prov_profile_test_assert(prov_profile_test_cpe,
				 "/CPE/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;",
				 "Display_Name_1_=J. Smith");
	prov_profile_test_assert(prov_profile_test_cpe,
				 "/SIP-Credentials/name = /flat-profile/Display_Name_1_ ;",
				 "Display_Name_1_=J. Smith");
	prov_profile_test_assert(prov_profile_test_cpe,
				 "/auth-secret = /flat-profile/Password_1_ ;"
				 "/SIP-Credentials/number = /flat-profile/User_ID_1_ ;",
				 "User_ID_1_=14085551234 | Password_1_=732091751563sfd");
	/* whole names only, and the path must really end there */
	prov_profile_test_assert(prov_profile_test_cpe,
				 "/ame = /flat-profile/X ;/Credentials/name = /flat-profile/Y ;"
				 "/CPE = /flat-profile/Z ;/SIP-Credentials = /flat-profile/W ;"
				 "/CPE/name = /flat-profile/V ;",
				 "");

	/* the longest suffix wins; among equals the first */
	prov_profile_test_assert("<a><b><c>1</c></b><x><c>2</c></x></a>",
				 "/c = /flat-profile/Short ;/b/c = /flat-profile/Long ;"
				 "/c = /flat-profile/Later ;/a/x/c = /flat-profile/Full ;",
				 "Long=1 | Full=2");
	prov_profile_test_assert(
	    "<a><c>1</c></a>", "/c = /flat-profile/First ;/c = /flat-profile/Second ;", "First=1");

	/* only leaves are mapped; a matched container is recursed into */
	prov_profile_test_assert("<a><b><c>1</c></b></a>",
				 "/a/b = /flat-profile/B ;/c = /flat-profile/C ;", "C=1");

	/* canonical names inside flat-profile still count; ua is honoured; values follow
	 * the usual rules */
	prov_profile_test_assert("<root><customer><num ua=\"ro\"> 1&amp;2\n</num><pw/></customer>"
				 "<flat-profile><GPP_A>a</GPP_A><num>3</num></flat-profile></root>",
				 "/customer/num = /flat-profile/User_ID_1_ ;"
				 "/pw = /flat-profile/Password_1_ ;",
				 "User_ID_1_=1&2 ua=ro | Password_1_ unchanged | GPP_A=a | num=3");
	/* an alias may also rename an element inside flat-profile */
	prov_profile_test_assert("<flat-profile><Old>1</Old><Other>2</Other></flat-profile>",
				 "/flat-profile/Old = /flat-profile/New ;", "New=1 | Other=2");
	/* a root that is itself a leaf */
	prov_profile_test_assert("<number>5</number>", "/number = /flat-profile/User_ID_1_ ;",
				 "User_ID_1_=5");
}

static void
prov_profile_test_alias_map(void)
{
	g_autoptr(ProvAliasMap) map = NULL;
	g_autoptr(GString) text = g_string_new(NULL);

	map = prov_alias_map_new(prov_profile_test_customer_map);
	g_assert_cmpuint(prov_alias_map_get_n_entries(map), ==, 2);
	g_assert_cmpstr(prov_alias_map_get_source(map, 0), ==, "/customer-account/SIP-number");
	g_assert_cmpstr(prov_alias_map_get_target(map, 0), ==, "User_ID_1_");
	g_assert_cmpstr(prov_alias_map_get_source(map, 1), ==, "/customer-account/SIP-password");
	g_assert_cmpstr(prov_alias_map_get_target(map, 1), ==, "Password_1_");
	g_assert_cmpstr(prov_alias_map_match_path(map, "/customer-account/SIP-number"), ==,
			"User_ID_1_");
	g_assert_cmpstr(prov_alias_map_match_path(map, "/x/customer-account/SIP-number"), ==,
			"User_ID_1_");
	g_assert_null(prov_alias_map_match_path(map, "/SIP-number"));
	g_assert_null(prov_alias_map_match_path(map, "/customer-account"));
	g_assert_null(prov_alias_map_match_path(map, "/customer-account/SIP-numbers"));
	g_clear_pointer(&map, prov_alias_map_free);

	map = prov_alias_map_new(NULL);
	g_assert_cmpuint(prov_alias_map_get_n_entries(map), ==, 0);
	g_assert_null(prov_alias_map_match_path(map, "/a"));
	g_clear_pointer(&map, prov_alias_map_free);

	map = prov_alias_map_new(";; ; \n");
	g_assert_cmpuint(prov_alias_map_get_n_entries(map), ==, 0);
	g_clear_pointer(&map, prov_alias_map_free);

	/* malformed entries are skipped with a warning; the good ones around them stay */
	map = prov_alias_map_new("a/b = /flat-profile/X ;/ok = /flat-profile/Good ;"
				 "/c = /other/Y ;/d /flat-profile/Z ;/e = /flat-profile/ ;"
				 "/f = /flat-profile/A/B ;/g//h = /flat-profile/C ;"
				 "/i = /flat-profile/D E ;/1x = /flat-profile/F ;"
				 "/j = /flat-profile/G;/k = /flat-profile/H");
	prov_profile_test_assert_warnings(
	    "alias map: entry 1 \"a/b = /flat-profile/X\" skipped: the source path does not "
	    "start with '/'\n"
	    "alias map: entry 3 \"/c = /other/Y\" skipped: the target does not start with "
	    "/flat-profile/\n"
	    "alias map: entry 4 \"/d /flat-profile/Z\" skipped: '=' is missing after the source "
	    "path\n"
	    "alias map: entry 5 \"/e = /flat-profile/\" skipped: the target is not /flat-profile/ "
	    "followed by a parameter name\n"
	    "alias map: entry 6 \"/f = /flat-profile/A/B\" skipped: the target has more than one "
	    "name after /flat-profile/\n"
	    "alias map: entry 7 \"/g//h = /flat-profile/C\" skipped: a source path component is "
	    "not an element name\n"
	    "alias map: entry 8 \"/i = /flat-profile/D E\" skipped: unexpected text after the "
	    "target\n"
	    "alias map: entry 9 \"/1x = /flat-profile/F\" skipped: a source path component is not "
	    "an element name\n"
	    "alias map: entry 11 \"/k = /flat-profile/H\" skipped: the entry does not end with "
	    "';'\n");
	g_assert_cmpuint(prov_alias_map_get_n_entries(map), ==, 2);
	g_assert_cmpstr(prov_alias_map_match_path(map, "/x/ok"), ==, "Good");
	g_assert_cmpstr(prov_alias_map_match_path(map, "/j"), ==, "G");
	g_clear_pointer(&map, prov_alias_map_free);

	/* at most 30 are honoured */
	for (guint i = 1; i <= 33; i++)
		g_string_append_printf(text, "/e%u = /flat-profile/P%u ;", i, i);
	map = prov_alias_map_new(text->str);
	prov_profile_test_assert_warnings("alias map: 3 entries beyond the first 30 ignored\n");
	g_assert_cmpuint(prov_alias_map_get_n_entries(map), ==, PROV_ALIAS_MAP_MAX_ENTRIES);
	g_assert_cmpstr(prov_alias_map_match_path(map, "/e30"), ==, "P30");
	g_assert_null(prov_alias_map_match_path(map, "/e31"));
}

static void
prov_profile_test_alias_map_replaced(void)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *result = NULL;

	prov_profile_set_alias_map(profile, prov_profile_test_customer_map);
	g_assert_true(prov_profile_parse(profile, prov_profile_test_customer,
					 strlen(prov_profile_test_customer), &error));
	/* the assignments own their names: replacing the map leaves them intact */
	prov_profile_set_alias_map(profile, "/SIP-number = /flat-profile/Other ;");
	result = prov_profile_test_describe(profile);
	g_assert_cmpstr(result, ==, "User_ID_1_=17775551234 | Password_1_=512835907884");
	/* and back to no --alias */
	prov_profile_set_alias_map(profile, NULL);
	g_assert_false(prov_profile_parse(profile, prov_profile_test_customer,
					  strlen(prov_profile_test_customer), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
}

static void
prov_profile_test_failure_leaves_nothing(void)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
	g_autoptr(GError) error = NULL;
	const gchar *bad = "<flat-profile>\n  <A>1</A>\n  <B>2</C>\n</flat-profile>";
	const ProvAssignment *assignment;

	g_assert_true(prov_profile_parse(profile, prov_profile_test_basic_txt,
					 strlen(prov_profile_test_basic_txt), &error));
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 1);

	/* R1: nothing of a failed profile is left, not even what came before the error */
	g_assert_false(prov_profile_parse(profile, bad, strlen(bad), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE);
	g_assert_cmpstr(error->message, ==,
			"3:7: end tag </C> does not match start tag <B> at 3:3");
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
	g_assert_cmpuint(prov_profile_get_error_line(profile), ==, 3);
	g_assert_cmpuint(prov_profile_get_error_column(profile), ==, 7);
	g_clear_error(&error);

	/* a later success resets the error position */
	g_assert_true(prov_profile_parse(profile, prov_profile_test_basic_txt,
					 strlen(prov_profile_test_basic_txt), &error));
	g_assert_cmpuint(prov_profile_get_error_line(profile), ==, 0);
	g_assert_cmpuint(prov_profile_get_error_column(profile), ==, 0);
	assignment = g_ptr_array_index(prov_profile_get_assignments(profile), 0);
	g_assert_cmpstr(assignment->value, ==, "12345678");
}

static void
prov_profile_test_positions(void)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
	const gchar *data = "<flat-profile>\r\n"
			    "\t<A>1</A> <B/>\r\n"
			    "  <!-- é -->  <C>\n"
			    "3</C></flat-profile>";
	GPtrArray *assignments;
	static const guint expected[][2] = {{2, 2}, {2, 11}, {3, 15}};

	g_assert_true(prov_profile_parse(profile, data, strlen(data), NULL));
	assignments = prov_profile_get_assignments(profile);
	g_assert_cmpuint(assignments->len, ==, G_N_ELEMENTS(expected));
	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);

		g_assert_cmpuint(assignment->line, ==, expected[i][0]);
		g_assert_cmpuint(assignment->column, ==, expected[i][1]);
	}
}

static gchar *
prov_profile_test_generate(guint count, const gchar *prefix, const gchar *suffix)
{
	GString *text = g_string_new(prefix);

	g_string_append(text, "<flat-profile>\n");
	for (guint i = 1; i <= count; i++)
		g_string_append_printf(text, "  <P_%06u ua=\"rw\">value &amp; %u</P_%06u>\n", i, i,
				       i);
	g_string_append(text, "</flat-profile>\n");
	g_string_append(text, suffix);
	return g_string_free(text, FALSE);
}

static void
prov_profile_test_many(void)
{
	g_autofree gchar *at_cap = prov_profile_test_generate(20000, "", "");
	g_autofree gchar *over_cap = prov_profile_test_generate(20001, "", "");
	g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
	g_autoptr(GError) error = NULL;
	GPtrArray *assignments;
	const ProvAssignment *last;

	g_assert_true(prov_profile_parse(profile, at_cap, strlen(at_cap), &error));
	g_assert_no_error(error);
	assignments = prov_profile_get_assignments(profile);
	g_assert_cmpuint(assignments->len, ==, 20000);
	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);
		g_autofree gchar *name = g_strdup_printf("P_%06u", i + 1);
		g_autofree gchar *value = g_strdup_printf("value & %u", i + 1);

		g_assert_cmpstr(assignment->name, ==, name);
		g_assert_cmpstr(assignment->value, ==, value);
		g_assert_cmpint(assignment->access, ==, PROV_ACCESS_RW);
		g_assert_cmpuint(assignment->line, ==, i + 2);
	}
	last = g_ptr_array_index(assignments, 19999);
	g_assert_cmpstr(last->name, ==, "P_020000");

	/* R26: the 20 001st assignment fails the profile where it starts */
	g_assert_false(prov_profile_parse(profile, over_cap, strlen(over_cap), &error));
	g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpstr(error->message, ==,
			"20002:3: more than 20000 assignments in one profile (MaxAssignments)");
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
	g_clear_error(&error);

	/* the arena is reused: a small profile after a large one is still right */
	g_assert_true(prov_profile_parse(profile, prov_profile_test_basic_txt,
					 strlen(prov_profile_test_basic_txt), &error));
	g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 1);
	last = g_ptr_array_index(prov_profile_get_assignments(profile), 0);
	g_assert_cmpstr(last->value, ==, "12345678");
}

static void
prov_profile_test_limits(void)
{
	ProvLimits limits;
	g_autofree gchar *value = NULL;
	g_autofree gchar *text = NULL;

	prov_limits_init(&limits);
	limits.max_assignments = 2;
	prov_profile_test_assert_error_with("<flat-profile><A/><B/><C/></flat-profile>", 41, NULL,
					    &limits, PROV_ERROR_LIMIT_EXCEEDED,
					    "1:23: more than 2 assignments in one profile "
					    "(MaxAssignments)");
	/* elements that are not assignments do not count */
	g_assert_cmpstr((text = prov_profile_test_parse_with(
			     "<r><x/><y/><z/><flat-profile><A/><B><C/></B></flat-profile></r>", 63,
			     NULL, &limits, NULL)),
			==, "A unchanged | C unchanged");

	/* a value split by comments or CDATA is capped as a whole */
	prov_limits_init(&limits);
	limits.max_value_length = 10;
	prov_profile_test_assert_error_with(
	    "<flat-profile><A>12345<!---->678901</A></flat-profile>", 54, NULL, &limits,
	    PROV_ERROR_LIMIT_EXCEEDED,
	    "1:30: value of <A> exceeds the limit of 10 bytes "
	    "(MaxValueLength)");
	g_clear_pointer(&text, g_free);
	g_assert_cmpstr((text = prov_profile_test_parse_with(
			     "<flat-profile><A>12345<![CDATA[67890]]></A></flat-profile>", 58, NULL,
			     &limits, NULL)),
			==, "A=1234567890");

	/* a huge value, at the default cap of 64 KiB */
	value = g_strnfill(70000, 'v');
	g_clear_pointer(&text, g_free);
	text = g_strdup_printf("<flat-profile>\n<A>%s</A></flat-profile>", value);
	prov_profile_test_assert_error_with(text, strlen(text), NULL, NULL,
					    PROV_ERROR_LIMIT_EXCEEDED,
					    "2:4: text exceeds the limit of 65536 bytes "
					    "(MaxValueLength)");
}

static gchar *
prov_profile_test_fill(const gchar *head, gchar fill, gsize count, const gchar *tail)
{
	GString *text = g_string_sized_new(count + 64);

	g_string_append(text, head);
	for (gsize i = 0; i < count; i++)
		g_string_append_c(text, fill);
	g_string_append(text, tail);
	return g_string_free(text, FALSE);
}

static void
prov_profile_test_hostile(void)
{
	g_autofree gchar *long_name =
	    prov_profile_test_fill("<flat-profile><", 'n', 10 * 1024 * 1024, "/></flat-profile>");
	g_autoptr(GString) deep = g_string_new("<flat-profile>");
	g_autoptr(GString) flood = g_string_new("<flat-profile><A");
	g_autofree gchar *huge = g_strnfill(30 * 1024 * 1024, ' ');
	ProvLimits raised;

	/* the inputs are larger than DecodedMax on purpose, except where that is the point */
	prov_limits_init(&raised);
	raised.decoded_max = 16 * 1024 * 1024;

	prov_profile_test_assert_error_with(long_name, strlen(long_name), NULL, &raised,
					    PROV_ERROR_LIMIT_EXCEEDED,
					    "1:16: element name exceeds the limit of 256 bytes "
					    "(MaxNameLength)");
	for (guint i = 0; i < 100000; i++)
		g_string_append(deep, "<d>");
	prov_profile_test_assert_error_with(
	    deep->str, deep->len, NULL, &raised, PROV_ERROR_LIMIT_EXCEEDED,
	    "1:36: element nesting exceeds the limit of 8 (MaxDepth)");
	/* R25 */
	prov_profile_test_assert_error_with(huge, strlen(huge), NULL, NULL,
					    PROV_ERROR_LIMIT_EXCEEDED,
					    "1:1: document of 31457280 bytes exceeds the limit of "
					    "4194304 bytes (DecodedMax)");
	for (guint i = 0; i < 100000; i++)
		g_string_append_printf(flood, " a%u=\"x\"", i);
	g_string_append(flood, "/></flat-profile>");
	prov_profile_test_assert_error_with(flood->str, flood->len, NULL, &raised,
					    PROV_ERROR_LIMIT_EXCEEDED,
					    "1:136: element <A> has more than 16 attributes "
					    "(MaxAttributes)");

	/* R27 */
	prov_profile_test_assert_error(
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
	    "<flat-profile><GPP_A>&lol2;</GPP_A></flat-profile>",
	    PROV_ERROR_CORRUPT_FILE, "2:1: document type declarations (<!DOCTYPE) are not allowed");
	prov_profile_test_assert_error("<flat-profile><!ENTITY x \"y\"><A>&x;</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:15: entity declarations (<!ENTITY) are not allowed");
	prov_profile_test_assert_error("<flat-profile>\n<A>&nbsp;</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "2:4: undefined entity &nbsp;: only &amp; &lt; &gt; &apos; "
				       "&quot; and character references are allowed");
	prov_profile_test_assert_error("<flat-profile><A>&#0;</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:18: character reference &#0; is not an allowed XML "
				       "character");

	/* rule 8: invalid UTF-8 is a corrupt file */
	prov_profile_test_assert_error("<flat-profile><A>\xc0\xaf</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:18: invalid UTF-8: overlong encoding (byte 0xc0)");
	prov_profile_test_assert_error("<flat-profile><A>\xed\xb0\x80</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:18: invalid UTF-8: encoded surrogate code point");
	prov_profile_test_assert_error("<flat-profile><A>x\xe3\x81</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:19: invalid UTF-8: incomplete multi-byte sequence");
	prov_profile_test_assert_error("<flat-profile><A>\xe9t\xe9</A></flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:18: invalid UTF-8: incomplete multi-byte sequence");

	/* rule 9: tags must balance */
	prov_profile_test_assert_error("<flat-profile>\n  <GPP_A>1</GPP_B>\n</flat-profile>",
				       PROV_ERROR_CORRUPT_FILE,
				       "2:11: end tag </GPP_B> does not match start tag <GPP_A> at "
				       "2:3");
	prov_profile_test_assert_error("<flat-profile>\n  <GPP_A>1</GPP_A>\n",
				       PROV_ERROR_CORRUPT_FILE,
				       "3:1: unexpected end of document: element <flat-profile> "
				       "started at 1:1 is not closed");
	prov_profile_test_assert_error("<flat-profile><A>1</A></flat-profile><flat-profile/>",
				       PROV_ERROR_CORRUPT_FILE,
				       "1:38: element <flat-profile> after the end of the root "
				       "element (started at 1:1): a document has exactly one root");
	prov_profile_test_assert_error("", PROV_ERROR_CORRUPT_FILE,
				       "1:1: no root element: the document has no elements");
}

static gchar *
prov_profile_test_spc(const gchar *text, const ProvLimits *limits, GError **error)
{
	g_autoptr(ProvProfile) profile = prov_profile_new(limits);

	if (!prov_profile_parse_spc_text(profile, text, strlen(text), error)) {
		g_assert_cmpuint(prov_profile_get_assignments(profile)->len, ==, 0);
		return NULL;
	}
	return prov_profile_test_describe(profile);
}

static void
prov_profile_test_spc_text(void)
{
	static const struct {
		const gchar *text;
		const gchar *expected;
	} good[] = {
	    /* reference 1.4's example; no mark means no user access */
	    {"Admin_Passwd \"some secret\" ;  Upgrade_Enable \"Yes\" ;",
	     "Admin_Passwd=some secret ua=na | Upgrade_Enable=Yes ua=na"},
	    {"Some_Entry ! ;", "Some_Entry unchanged ua=rw"},
	    {"Proxy[1] \"sip.example.com\";\nLine_Enable[2] ? \"Yes\" ; # second line\n",
	     "Proxy_1_=sip.example.com ua=na | Line_Enable_2_=Yes ua=ro"},
	    {"# header\n\n  GPP_A ! \" a # not a comment \" ; # tail\r\nGPP_A \"\";",
	     "GPP_A= a # not a comment  ua=rw | GPP_A= ua=na"},
	    {"GPP_B\n!\n\"two\nlines\"\n;", "GPP_B=two\nlines ua=rw"},
	    {"Display_Name_1_ \"\xe5\xb1\xb1\xe7\x94\xb0\";",
	     "Display_Name_1_=\xe5\xb1\xb1\xe7\x94\xb0 ua=na"},
	    {"", ""},
	    {"  # only a comment", ""},
	};
	static const struct {
		const gchar *text;
		gint code;
		const gchar *message;
	} bad[] = {
	    {"GPP_A \"x\"", PROV_ERROR_CORRUPT_FILE,
	     "1:10: expected ';' to end the statement for GPP_A, found end of text"},
	    {"GPP_A \"x\" GPP_B;", PROV_ERROR_CORRUPT_FILE,
	     "1:11: expected ';' to end the statement for GPP_A, found 'G'"},
	    {"GPP_A\n  \"x ;", PROV_ERROR_CORRUPT_FILE, "2:3: value of GPP_A has no closing '\"'"},
	    {"GPP_A ;\n\"x\";", PROV_ERROR_CORRUPT_FILE, "2:1: expected a parameter name"},
	    {"1abc;", PROV_ERROR_CORRUPT_FILE, "1:1: expected a parameter name"},
	    {"GPP_A !! ;", PROV_ERROR_CORRUPT_FILE,
	     "1:8: expected ';' to end the statement for GPP_A, found '!'"},
	    {"import base.txt\nGPP_A;", PROV_ERROR_CORRUPT_FILE,
	     "1:1: import is not supported: expand imported files first"},
	    {"GPP_A \"\xc3\x28\";", PROV_ERROR_CORRUPT_FILE, "1:8: invalid UTF-8"},
	    {"GPP_A \"\x01\";", PROV_ERROR_CORRUPT_FILE, "1:8: character U+0001 is not allowed"},
	    {"A;B;C;", PROV_ERROR_LIMIT_EXCEEDED,
	     "1:5: more than 2 assignments in one profile (MaxAssignments)"},
	    {"ABCDEFGHIJ;", PROV_ERROR_LIMIT_EXCEEDED,
	     "1:1: parameter name exceeds the limit of 8 bytes (MaxNameLength)"},
	    {"A \"0123456789\";", PROV_ERROR_LIMIT_EXCEEDED,
	     "1:4: value of A exceeds the limit of 8 bytes (MaxValueLength)"},
	};
	ProvLimits limits;

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *result = prov_profile_test_spc(good[i].text, NULL, &error);

		g_assert_no_error(error);
		g_assert_cmpstr(result, ==, good[i].expected);
	}
	prov_limits_init(&limits);
	limits.max_assignments = 2;
	limits.max_name_length = 8;
	limits.max_value_length = 8;
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *result = prov_profile_test_spc(bad[i].text, &limits, &error);

		g_test_message("case %u: %s", i, bad[i].text);
		g_assert_null(result);
		g_assert_error(error, PROV_ERROR, bad[i].code);
		g_assert_cmpstr(error->message, ==, bad[i].message);
	}
	/* positions of the statements */
	{
		g_autoptr(ProvProfile) profile = prov_profile_new(NULL);
		const gchar *text = "# c\n  A \"1\";\tB;\n";
		const ProvAssignment *assignment;

		g_assert_true(prov_profile_parse_spc_text(profile, text, strlen(text), NULL));
		assignment = g_ptr_array_index(prov_profile_get_assignments(profile), 1);
		g_assert_cmpstr(assignment->name, ==, "B");
		g_assert_cmpuint(assignment->line, ==, 2);
		g_assert_cmpuint(assignment->column, ==, 10);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	prov_test_log_init();
	g_test_add_func("/prov/profile/basic", prov_profile_test_basic);
	g_test_add_func("/prov/profile/values", prov_profile_test_values);
	g_test_add_func("/prov/profile/empty-forms", prov_profile_test_empty_forms);
	g_test_add_func("/prov/profile/access", prov_profile_test_access);
	g_test_add_func("/prov/profile/wrappers", prov_profile_test_wrappers);
	g_test_add_func("/prov/profile/containers", prov_profile_test_containers);
	g_test_add_func("/prov/profile/alias", prov_profile_test_alias);
	g_test_add_func("/prov/profile/alias-map", prov_profile_test_alias_map);
	g_test_add_func("/prov/profile/alias-map-replaced", prov_profile_test_alias_map_replaced);
	g_test_add_func("/prov/profile/failure-leaves-nothing",
			prov_profile_test_failure_leaves_nothing);
	g_test_add_func("/prov/profile/positions", prov_profile_test_positions);
	g_test_add_func("/prov/profile/many", prov_profile_test_many);
	g_test_add_func("/prov/profile/limits", prov_profile_test_limits);
	g_test_add_func("/prov/profile/hostile", prov_profile_test_hostile);
	g_test_add_func("/prov/profile/spc-text", prov_profile_test_spc_text);
	return g_test_run();
}
