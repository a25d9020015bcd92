/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * The SIP NOTIFY trigger's message handling (R24, R28) on arbitrary bytes,
 * as a datagram and as a TCP stream: framing with its caps and
 * Content-Length, libosip2's parse of the header section, the Event and
 * Authorization parameters, the digest, and the responses built from what
 * was echoed. Every response must itself frame as one whole SIP response.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "prov-error.h"
#include "prov-sip-digest.h"
#include "prov-sip-message.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* what the trigger sends must read back as one response, nothing after it */
static void
fuzz_sip_check_response(ProvSipEcho *echo)
{
	const gchar *headers[] = {"WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", "
				  "algorithm=MD5, qop=\"auth\"",
				  NULL};
	g_autoptr(GBytes) response = NULL;
	g_autoptr(GError) error = NULL;
	ProvSipFrame frame;
	gsize len = 0;
	const guint8 *bytes;

	prov_sip_echo_set_received(echo, "192.0.2.1", TRUE, "198.51.100.7", 5060);
	response = prov_sip_response_build(echo, 401, "0123abcd", headers);
	bytes = g_bytes_get_data(response, &len);
	/* no header value may end the header section early or smuggle a line */
	g_assert_null(memchr(bytes, '\0', len));
	if (prov_sip_frame_scan(bytes, len, FALSE, &frame, &error) == PROV_SIP_FRAME_COMPLETE) {
		g_assert_true(frame.is_response);
		g_assert_cmpuint(frame.body_len, ==, 0);
		g_assert_cmpuint(frame.total_len, ==, len);
	} else {
		/* only the caps may refuse it: a request near the caps echoes a lot */
		g_assert_error(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED);
	}
}

static void
fuzz_sip_message(const guint8 *data, const ProvSipFrame *frame)
{
	g_autoptr(ProvSipMessage) message = NULL;
	g_autoptr(GError) error = NULL;

	message = prov_sip_message_parse(data, frame, &error);
	if (message == NULL) {
		g_autoptr(ProvSipEcho) echo = NULL;

		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
		echo = prov_sip_echo_new_from_frame(data, frame);
		if (echo != NULL)
			fuzz_sip_check_response(echo);
		return;
	}
	g_assert_no_error(error);
	g_assert_nonnull(message->method);
	g_assert_nonnull(message->request_uri);
	g_assert_cmpuint(g_bytes_get_size(message->body), ==, frame->body_len);
	for (guint i = 0; i < message->events->len; i++) {
		g_autofree gchar *package = NULL;
		g_autoptr(GHashTable) params = NULL;

		if (prov_sip_event_parse(g_ptr_array_index(message->events, i), &package, &params,
					 NULL))
			g_assert_nonnull(package);
	}
	for (guint i = 0; i < message->authorizations->len; i++) {
		const ProvSipAuthorization *authorization =
		    g_ptr_array_index(message->authorizations, i);
		g_autofree gchar *expected = NULL;

		if (!prov_sip_authorization_validate(authorization, NULL))
			continue;
		expected = prov_sip_digest_compute(authorization->username, authorization->realm,
						   "password", message->method, authorization->uri,
						   authorization->nonce, authorization->nc,
						   authorization->cnonce, authorization->qop);
		g_assert_cmpuint(strlen(expected), ==, 32);
		prov_sip_digest_equal(expected, authorization->response);
		g_assert_true(prov_sip_message_find_authorization(message, authorization->realm) !=
			      NULL);
	}
	fuzz_sip_check_response(message->echo);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ProvSipFrame frame;
	ProvSipFrameStatus status;
	gsize offset = 0;

	/* a datagram */
	status = prov_sip_frame_scan(data, size, FALSE, &frame, NULL);
	if (status == PROV_SIP_FRAME_COMPLETE) {
		g_assert_cmpuint(frame.total_len, ==, size);
		fuzz_sip_message(data, &frame);
	} else if (status == PROV_SIP_FRAME_INVALID) {
		g_autoptr(ProvSipEcho) echo = prov_sip_echo_new_from_frame(data, &frame);

		if (echo != NULL)
			fuzz_sip_check_response(echo);
	}

	/* a stream: each whole message in turn, as the TCP listener consumes them */
	while (offset < size) {
		g_autoptr(GError) error = NULL;

		status = prov_sip_frame_scan(data + offset, size - offset, TRUE, &frame, &error);
		if (status != PROV_SIP_FRAME_COMPLETE) {
			g_assert_true(status == PROV_SIP_FRAME_INCOMPLETE || error != NULL);
			break;
		}
		g_assert_cmpuint(frame.total_len, >, 0);
		g_assert_cmpuint(frame.total_len, <=, size - offset);
		g_assert_cmpuint(frame.header_len, <=, PROV_SIP_HEADER_SECTION_MAX);
		g_assert_cmpuint(frame.body_len, <=, PROV_SIP_BODY_MAX);
		if (!frame.is_response && !frame.is_ack)
			fuzz_sip_message(data + offset, &frame);
		offset += frame.total_len;
	}
	return 0;
}
