/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>

#include "prov-sip-digest.h"

/* RFC 2617 3.5 */
static void
test_vector_rfc2617(void)
{
	g_autofree gchar *response = prov_sip_digest_compute(
	    "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
	    "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth");

	g_assert_cmpstr(response, ==, "6629fae49393a05397450978507c4ef1");
}

/* a NOTIFY as sipp sends it; the value comes from Python's hashlib */
static void
test_vector_notify(void)
{
	g_autofree gchar *response = prov_sip_digest_compute(
	    "17775551234", "sip.example.com", "s3cret%n", "NOTIFY",
	    "sip:17775551234@192.0.2.10:5060", "0123456789abcdef0123456789abcdef", "00000001",
	    "deadbeef", "auth");

	g_assert_cmpstr(response, ==, "b65cc1058aee5625c799f9139fa33578");
}

static void
test_equal(void)
{
	const gchar *expected = "6629fae49393a05397450978507c4ef1";

	g_assert_true(prov_sip_digest_equal(expected, "6629fae49393a05397450978507c4ef1"));
	/* RFC 2617 asks for lower case; clients that send upper case still match */
	g_assert_true(prov_sip_digest_equal(expected, "6629FAE49393A05397450978507C4EF1"));
	g_assert_false(prov_sip_digest_equal(expected, "6629fae49393a05397450978507c4ef0"));
	g_assert_false(prov_sip_digest_equal(expected, "7629fae49393a05397450978507c4ef1"));
	g_assert_false(prov_sip_digest_equal(expected, "6629fae49393a05397450978507c4ef"));
	g_assert_false(prov_sip_digest_equal(expected, ""));
}

static ProvSipAuthorization *
authorization_new(void)
{
	ProvSipAuthorization *authorization = g_new0(ProvSipAuthorization, 1);

	authorization->username = g_strdup("100");
	authorization->realm = g_strdup("r");
	authorization->nonce = g_strdup("n");
	authorization->uri = g_strdup("sip:100@h");
	authorization->response = g_strdup("6629fae49393a05397450978507c4ef1");
	authorization->qop = g_strdup("auth");
	authorization->nc = g_strdup("00000001");
	authorization->cnonce = g_strdup("c");
	return authorization;
}

static void
test_validate(void)
{
	gsize fields[] = {
	    G_STRUCT_OFFSET(ProvSipAuthorization, username),
	    G_STRUCT_OFFSET(ProvSipAuthorization, realm),
	    G_STRUCT_OFFSET(ProvSipAuthorization, nonce),
	    G_STRUCT_OFFSET(ProvSipAuthorization, uri),
	    G_STRUCT_OFFSET(ProvSipAuthorization, response),
	    G_STRUCT_OFFSET(ProvSipAuthorization, qop),
	    G_STRUCT_OFFSET(ProvSipAuthorization, nc),
	    G_STRUCT_OFFSET(ProvSipAuthorization, cnonce),
	};
	struct {
		gsize field;
		const gchar *value;
	} bad[] = {
	    {G_STRUCT_OFFSET(ProvSipAuthorization, qop), "auth-int"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, algorithm), "SHA-256"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, algorithm), "MD5-sess"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, nc), "1"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, nc), "0000000g"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, response), "abc"},
	    {G_STRUCT_OFFSET(ProvSipAuthorization, response), "6629fae49393a05397450978507c4efz"},
	};

	{
		g_autoptr(ProvSipAuthorization) good = authorization_new();
		g_autoptr(GError) error = NULL;

		g_assert_true(prov_sip_authorization_validate(good, &error));
		g_assert_no_error(error);
		good->algorithm = g_strdup("md5");
		g_assert_true(prov_sip_authorization_validate(good, &error));
	}
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		g_autoptr(ProvSipAuthorization) missing = authorization_new();
		gchar **slot = G_STRUCT_MEMBER_P(missing, fields[i]);
		g_autoptr(GError) error = NULL;

		g_clear_pointer(slot, g_free);
		g_assert_false(prov_sip_authorization_validate(missing, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
		g_clear_error(&error);
		*slot = g_strdup("");
		g_assert_false(prov_sip_authorization_validate(missing, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(ProvSipAuthorization) wrong = authorization_new();
		gchar **slot = G_STRUCT_MEMBER_P(wrong, bad[i].field);
		g_autoptr(GError) error = NULL;

		g_free(*slot);
		*slot = g_strdup(bad[i].value);
		g_assert_false(prov_sip_authorization_validate(wrong, &error));
		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	}
}

static void
test_random(void)
{
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < 1000; i++) {
		gchar *hex = prov_sip_random_hex(PROV_SIP_NONCE_BYTES);

		g_assert_cmpuint(strlen(hex), ==, 2 * PROV_SIP_NONCE_BYTES);
		g_assert_cmpuint(strspn(hex, "0123456789abcdef"), ==, 2 * PROV_SIP_NONCE_BYTES);
		g_assert_true(g_hash_table_add(seen, hex));
	}
}

static void
test_nonces_single_use(void)
{
	g_autoptr(ProvSipNonces) nonces = prov_sip_nonces_new(60 * G_USEC_PER_SEC);
	g_autofree gchar *nonce = prov_sip_nonces_issue(nonces, "192.0.2.1", "realm", 1, 1000);
	g_autofree gchar *other = prov_sip_nonces_issue(nonces, "192.0.2.1", "realm", 0, 1000);
	guint failures = 99;

	g_assert_nonnull(nonce);
	g_assert_cmpstr(nonce, !=, other);
	g_assert_cmpuint(prov_sip_nonces_get_size(nonces), ==, 2);
	/* another source, or another realm: refused, and the nonce stays for its owner */
	g_assert_false(prov_sip_nonces_take(nonces, nonce, "192.0.2.2", "realm", 2000, &failures));
	g_assert_false(prov_sip_nonces_take(nonces, nonce, "192.0.2.1", "other", 2000, &failures));
	g_assert_false(
	    prov_sip_nonces_take(nonces, "unknown", "192.0.2.1", "realm", 2000, &failures));
	g_assert_cmpuint(failures, ==, 99);
	g_assert_true(prov_sip_nonces_take(nonces, nonce, "192.0.2.1", "realm", 2000, &failures));
	g_assert_cmpuint(failures, ==, 1);
	/* R20: a replay finds it used */
	g_assert_false(prov_sip_nonces_take(nonces, nonce, "192.0.2.1", "realm", 3000, &failures));
	g_assert_cmpuint(prov_sip_nonces_get_size(nonces), ==, 1);
}

static void
test_nonces_expire(void)
{
	g_autoptr(ProvSipNonces) nonces = prov_sip_nonces_new(PROV_SIP_NONCE_LIFETIME);
	g_autofree gchar *nonce = prov_sip_nonces_issue(nonces, "h", "r", 0, 0);
	g_autofree gchar *late = prov_sip_nonces_issue(nonces, "h", "r", 0, 10);
	guint failures = 0;

	g_assert_false(
	    prov_sip_nonces_take(nonces, nonce, "h", "r", PROV_SIP_NONCE_LIFETIME, &failures));
	g_assert_true(
	    prov_sip_nonces_take(nonces, late, "h", "r", PROV_SIP_NONCE_LIFETIME + 9, &failures));
	g_assert_cmpuint(prov_sip_nonces_get_size(nonces), ==, 0);
}

static void
test_nonces_bounded(void)
{
	g_autoptr(ProvSipNonces) nonces = prov_sip_nonces_new(PROV_SIP_NONCE_LIFETIME);
	g_autoptr(GPtrArray) issued = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *victim = prov_sip_nonces_issue(nonces, "victim", "r", 0, 0);
	g_autofree gchar *first = NULL;
	guint failures = 0;

	/* one source fills only its own share */
	for (guint i = 0; i < PROV_SIP_NONCES_PER_SOURCE_MAX + 5; i++)
		g_ptr_array_add(issued, prov_sip_nonces_issue(nonces, "flood", "r", 0, i + 1));
	g_assert_cmpuint(prov_sip_nonces_get_size(nonces), ==, PROV_SIP_NONCES_PER_SOURCE_MAX + 1);
	g_assert_false(prov_sip_nonces_take(nonces, g_ptr_array_index(issued, 0), "flood", "r", 100,
					    &failures));
	g_assert_true(prov_sip_nonces_take(nonces, g_ptr_array_index(issued, issued->len - 1),
					   "flood", "r", 100, &failures));
	g_assert_true(prov_sip_nonces_take(nonces, victim, "victim", "r", 100, &failures));

	/* many sources: the table stays at its cap, the oldest go first */
	first = prov_sip_nonces_issue(nonces, "source-0", "r", 0, 200);
	for (guint i = 1; i < PROV_SIP_NONCES_MAX + 10; i++) {
		g_autofree gchar *source = g_strdup_printf("source-%u", i);
		g_autofree gchar *nonce = prov_sip_nonces_issue(nonces, source, "r", 0, 200 + i);

		g_assert_nonnull(nonce);
		g_assert_cmpuint(prov_sip_nonces_get_size(nonces), <=, PROV_SIP_NONCES_MAX);
	}
	g_assert_cmpuint(prov_sip_nonces_get_size(nonces), ==, PROV_SIP_NONCES_MAX);
	g_assert_false(prov_sip_nonces_take(nonces, first, "source-0", "r", 5000, &failures));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/sip-digest/vector-rfc2617", test_vector_rfc2617);
	g_test_add_func("/prov/sip-digest/vector-notify", test_vector_notify);
	g_test_add_func("/prov/sip-digest/equal", test_equal);
	g_test_add_func("/prov/sip-digest/validate", test_validate);
	g_test_add_func("/prov/sip-digest/random", test_random);
	g_test_add_func("/prov/sip-digest/nonces-single-use", test_nonces_single_use);
	g_test_add_func("/prov/sip-digest/nonces-expire", test_nonces_expire);
	g_test_add_func("/prov/sip-digest/nonces-bounded", test_nonces_bounded);
	return g_test_run();
}
