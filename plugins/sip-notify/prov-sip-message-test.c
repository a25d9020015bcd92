/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#include "config.h"

#include <prov-error.h>
#include <string.h>

#include "prov-sip-message.h"

#define NOTIFY_HEAD                                                                                \
	"NOTIFY sip:100@192.0.2.10:5060 SIP/2.0\r\n"                                               \
	"Via: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-1\r\n"                                     \
	"From: <sip:pbx@192.0.2.1>;tag=abc\r\n"                                                    \
	"To: <sip:100@192.0.2.10>\r\n"                                                             \
	"Call-ID: call-1@192.0.2.1\r\n"                                                            \
	"CSeq: 7 NOTIFY\r\n"                                                                       \
	"Event: check-sync;reboot=false\r\n"

#define NOTIFY NOTIFY_HEAD "Content-Length: 0\r\n\r\n"

static ProvSipFrameStatus
scan(const gchar *text, gsize len, gboolean stream, ProvSipFrame *frame, GError **error)
{
	return prov_sip_frame_scan((const guint8 *)text, len, stream, frame, error);
}

static void
test_frame_datagram(void)
{
	g_autoptr(GError) error = NULL;
	ProvSipFrame frame;

	g_assert_cmpint(scan(NOTIFY, strlen(NOTIFY), FALSE, &frame, &error), ==,
			PROV_SIP_FRAME_COMPLETE);
	g_assert_no_error(error);
	g_assert_cmpuint(frame.skipped, ==, 0);
	g_assert_cmpuint(frame.header_len, ==, strlen(NOTIFY));
	g_assert_cmpuint(frame.body_len, ==, 0);
	g_assert_cmpuint(frame.total_len, ==, strlen(NOTIFY));
	g_assert_false(frame.is_response);
	g_assert_false(frame.is_ack);

	/* RFC 3261 18.3: over UDP Content-Length may be missing, the body is the rest */
	{
		const gchar *text = NOTIFY_HEAD "\r\nhello";

		g_assert_cmpint(scan(text, strlen(text), FALSE, &frame, &error), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_cmpuint(frame.body_len, ==, 5);
	}
	/* LF alone ends lines too, as libosip2 accepts */
	{
		g_autofree gchar *lf = g_strdup(NOTIFY);
		g_auto(GStrv) lines = g_strsplit(lf, "\r\n", -1);
		g_autofree gchar *joined = g_strjoinv("\n", lines);

		g_assert_cmpint(scan(joined, strlen(joined), FALSE, &frame, &error), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_cmpuint(frame.header_len, ==, strlen(joined));
	}
	/* keep-alives */
	g_assert_cmpint(scan("\r\n\r\n", 4, FALSE, &frame, &error), ==, PROV_SIP_FRAME_INCOMPLETE);
	g_assert_cmpuint(frame.skipped, ==, 4);
	g_assert_cmpint(scan("", 0, FALSE, &frame, &error), ==, PROV_SIP_FRAME_INCOMPLETE);
	/* a status line is seen as such */
	{
		const gchar *text = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";

		g_assert_cmpint(scan(text, strlen(text), FALSE, &frame, &error), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_true(frame.is_response);
	}
	g_assert_no_error(error);
}

static void
assert_invalid(const gchar *text, gsize len, gboolean stream, gint code)
{
	g_autoptr(GError) error = NULL;
	ProvSipFrame frame;

	g_assert_cmpint(scan(text, len, stream, &frame, &error), ==, PROV_SIP_FRAME_INVALID);
	g_assert_error(error, PROV_ERROR, code);
}

static void
test_frame_content_length(void)
{
	/* UDP: the length must count exactly the bytes that follow */
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 10\r\n\r\nhello";

		assert_invalid(text, strlen(text), FALSE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 3\r\n\r\nhello";

		assert_invalid(text, strlen(text), FALSE, PROV_ERROR_PROTOCOL);
	}
	/* R24: two messages in one datagram are refused, not half-acted on */
	{
		g_autofree gchar *two = g_strconcat(NOTIFY, NOTIFY, NULL);

		assert_invalid(two, strlen(two), FALSE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 0\r\nl: 0\r\n\r\n";

		assert_invalid(text, strlen(text), FALSE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 0x0\r\n\r\n";

		assert_invalid(text, strlen(text), FALSE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: -1\r\n\r\n";

		assert_invalid(text, strlen(text), FALSE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 99999999999\r\n\r\n";

		assert_invalid(text, strlen(text), TRUE, PROV_ERROR_PROTOCOL);
	}
	{
		const gchar *text = NOTIFY_HEAD "Content-Length: 16385\r\n\r\n";

		/* refused at once, not after 16 KiB of waiting on a stream */
		assert_invalid(text, strlen(text), TRUE, PROV_ERROR_LIMIT_EXCEEDED);
	}
	/* TCP: required */
	assert_invalid(NOTIFY_HEAD "\r\n", strlen(NOTIFY_HEAD "\r\n"), TRUE, PROV_ERROR_PROTOCOL);
	/* the compact form counts */
	{
		const gchar *text = NOTIFY_HEAD "l:5\r\n\r\nhello";
		g_autoptr(GError) error = NULL;
		ProvSipFrame frame;

		g_assert_cmpint(scan(text, strlen(text), TRUE, &frame, &error), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_cmpuint(frame.body_len, ==, 5);
	}
}

static void
test_frame_stream(void)
{
	const gchar *one = NOTIFY_HEAD "Content-Length: 5\r\n\r\nhello";
	g_autofree gchar *stream = g_strconcat("\r\n", one, one, "\r\n", NULL);
	gsize len = strlen(stream);
	g_autoptr(GError) error = NULL;
	ProvSipFrame frame;
	gsize offset;

	/* every prefix of a message waits for more, none is refused */
	for (gsize i = 0; i < strlen(one) + 2; i++) {
		g_assert_cmpint(scan(stream, i, TRUE, &frame, &error), ==,
				PROV_SIP_FRAME_INCOMPLETE);
		g_assert_no_error(error);
	}
	g_assert_cmpint(scan(stream, len, TRUE, &frame, &error), ==, PROV_SIP_FRAME_COMPLETE);
	g_assert_cmpuint(frame.skipped, ==, 2);
	g_assert_cmpuint(frame.body_len, ==, 5);
	g_assert_cmpuint(frame.total_len, ==, 2 + strlen(one));
	offset = frame.total_len;
	g_assert_cmpint(scan(stream + offset, len - offset, TRUE, &frame, &error), ==,
			PROV_SIP_FRAME_COMPLETE);
	g_assert_cmpuint(frame.total_len, ==, strlen(one));
	offset += frame.total_len;
	g_assert_cmpint(scan(stream + offset, len - offset, TRUE, &frame, &error), ==,
			PROV_SIP_FRAME_INCOMPLETE);
	g_assert_cmpuint(frame.skipped, ==, 2);

	/* a header section that never ends is refused at the cap */
	{
		g_autoptr(GString) endless = g_string_new("NOTIFY sip:a@b SIP/2.0\r\n");

		while (endless->len < PROV_SIP_HEADER_SECTION_MAX - 100)
			g_string_append(endless, "X-Padding: 0123456789012345678901234567890\r\n");
		g_assert_cmpint(scan(endless->str, endless->len, TRUE, &frame, &error), ==,
				PROV_SIP_FRAME_INCOMPLETE);
		while (endless->len < PROV_SIP_HEADER_SECTION_MAX + 10)
			g_string_append(endless, "X-Padding: 0123456789012345678901234567890\r\n");
		assert_invalid(endless->str, endless->len, TRUE, PROV_ERROR_LIMIT_EXCEEDED);
		/* a datagram without the empty line */
		assert_invalid(NOTIFY_HEAD, strlen(NOTIFY_HEAD), FALSE, PROV_ERROR_PROTOCOL);
	}
}

static void
test_frame_caps(void)
{
	g_autoptr(GString) text = g_string_new(NULL);

	/* the start line */
	g_string_append(text, "NOTIFY sip:");
	for (guint i = 0; i < PROV_SIP_START_LINE_MAX; i++)
		g_string_append_c(text, 'a');
	g_string_append(text, "@b SIP/2.0\r\nContent-Length: 0\r\n\r\n");
	assert_invalid(text->str, text->len, FALSE, PROV_ERROR_LIMIT_EXCEEDED);

	/* one header field, also when folded over several lines */
	g_string_assign(text, NOTIFY_HEAD "Subject: ");
	for (guint i = 0; i < PROV_SIP_HEADER_LINE_MAX; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\r\nContent-Length: 0\r\n\r\n");
	assert_invalid(text->str, text->len, FALSE, PROV_ERROR_LIMIT_EXCEEDED);
	g_string_assign(text, NOTIFY_HEAD "Subject: x");
	for (guint i = 0; i < PROV_SIP_HEADER_LINE_MAX / 4; i++)
		g_string_append(text, "\r\n xxxx");
	g_string_append(text, "\r\nContent-Length: 0\r\n\r\n");
	assert_invalid(text->str, text->len, FALSE, PROV_ERROR_LIMIT_EXCEEDED);

	/* the number of fields */
	g_string_assign(text, NOTIFY_HEAD);
	for (guint i = 0; i < PROV_SIP_HEADERS_MAX; i++)
		g_string_append(text, "X-A: b\r\n");
	g_string_append(text, "Content-Length: 0\r\n\r\n");
	assert_invalid(text->str, text->len, FALSE, PROV_ERROR_LIMIT_EXCEEDED);
}

static void
test_frame_bytes(void)
{
	const gchar nul[] = NOTIFY_HEAD "Subject: a\0b\r\nContent-Length: 0\r\n\r\n";
	const gchar *bad[] = {
	    NOTIFY_HEAD "Subject: a\x01"
			"b\r\nContent-Length: 0\r\n\r\n",
	    NOTIFY_HEAD "Subject: a\rb\r\nContent-Length: 0\r\n\r\n",
	    NOTIFY_HEAD "Subject: \xff\xfe\r\nContent-Length: 0\r\n\r\n",
	    NOTIFY_HEAD "No colon here\r\nContent-Length: 0\r\n\r\n",
	    NOTIFY_HEAD "Bad Name: x\r\nContent-Length: 0\r\n\r\n",
	    NOTIFY_HEAD ": x\r\nContent-Length: 0\r\n\r\n",
	    "NOTIFY sip:a@b SIP/2.0\r\n continued: x\r\nContent-Length: 0\r\n\r\n",
	    " NOTIFY sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n",
	};

	assert_invalid(nul, sizeof(nul) - 1, FALSE, PROV_ERROR_PROTOCOL);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++)
		assert_invalid(bad[i], strlen(bad[i]), FALSE, PROV_ERROR_PROTOCOL);
}

static ProvSipMessage *
parse(const gchar *text, GError **error)
{
	ProvSipFrame frame;

	g_assert_cmpint(scan(text, strlen(text), FALSE, &frame, NULL), ==, PROV_SIP_FRAME_COMPLETE);
	return prov_sip_message_parse((const guint8 *)text, &frame, error);
}

static void
test_parse_notify(void)
{
	const gchar *text =
	    "NOTIFY sip:100@192.0.2.10:5060;transport=udp SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-1;rport, SIP/2.0/TCP "
	    "198.51.100.1;branch=z9hG4bK-2\r\n"
	    "v: SIP/2.0/UDP 198.51.100.2;branch=z9hG4bK-3\r\n"
	    "f: \"PBX, Inc\" <sip:pbx@192.0.2.1>;tag=abc\r\n"
	    "t: <sip:100@192.0.2.10>\r\n"
	    "i: call-1@192.0.2.1\r\n"
	    "CSeq: 7 NOTIFY\r\n"
	    "o: check-sync;reboot=true\r\n"
	    "Subject: folded\r\n"
	    "  over two lines\r\n"
	    "Authorization: Digest username=\"100\", realm=\"sip.example.com\", "
	    "nonce=\"abc\", uri=\"sip:100@192.0.2.10:5060;transport=udp\", "
	    "response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, qop=auth, "
	    "nc=00000001, cnonce=\"x\\\"y\"\r\n"
	    "c: application/XML\r\n"
	    "l: 8\r\n"
	    "\r\n"
	    "<a/>\r\n\r\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvSipMessage) message = parse(text, &error);
	const ProvSipAuthorization *authorization;

	g_assert_no_error(error);
	g_assert_nonnull(message);
	g_assert_cmpstr(message->method, ==, "NOTIFY");
	g_assert_cmpstr(message->request_uri, ==, "sip:100@192.0.2.10:5060;transport=udp");
	g_assert_cmpstr(message->uri_scheme, ==, "sip");
	g_assert_cmpstr(message->uri_user, ==, "100");
	g_assert_cmpstr(message->uri_host, ==, "192.0.2.10");
	g_assert_cmpstr(message->call_id, ==, "call-1@192.0.2.1");
	g_assert_cmpuint(message->cseq_number, ==, 7);
	g_assert_cmpstr(message->cseq_method, ==, "NOTIFY");
	g_assert_cmpuint(message->events->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(message->events, 0), ==, "check-sync;reboot=true");
	g_assert_cmpstr(message->content_type, ==, "application/xml");
	g_assert_cmpuint(g_bytes_get_size(message->body), ==, 8);
	g_assert_cmpstr(message->via_host, ==, "192.0.2.1");
	g_assert_true(message->via_rport);

	g_assert_cmpuint(message->authorizations->len, ==, 1);
	g_assert_null(prov_sip_message_find_authorization(message, "other"));
	authorization = prov_sip_message_find_authorization(message, "sip.example.com");
	g_assert_nonnull(authorization);
	g_assert_cmpstr(authorization->username, ==, "100");
	g_assert_cmpstr(authorization->nonce, ==, "abc");
	g_assert_cmpstr(authorization->uri, ==, "sip:100@192.0.2.10:5060;transport=udp");
	g_assert_cmpstr(authorization->qop, ==, "auth");
	g_assert_cmpstr(authorization->nc, ==, "00000001");
	g_assert_cmpstr(authorization->cnonce, ==, "x\"y");
	g_assert_cmpstr(authorization->algorithm, ==, "MD5");

	/* the echo keeps every Via in order, from compact and long forms */
	g_assert_cmpuint(message->echo->vias->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(message->echo->vias, 0), ==,
			"SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-1;rport, SIP/2.0/TCP "
			"198.51.100.1;branch=z9hG4bK-2");
	g_assert_cmpstr(g_ptr_array_index(message->echo->vias, 1), ==,
			"SIP/2.0/UDP 198.51.100.2;branch=z9hG4bK-3");
	g_assert_cmpstr(message->echo->from, ==, "\"PBX, Inc\" <sip:pbx@192.0.2.1>;tag=abc");
	g_assert_cmpstr(message->echo->to, ==, "<sip:100@192.0.2.10>");
	g_assert_cmpstr(message->echo->call_id, ==, "call-1@192.0.2.1");
	g_assert_cmpstr(message->echo->cseq, ==, "7 NOTIFY");
}

static void
test_parse_refused(void)
{
	const gchar *bad[] = {
	    /* no Via */
	    "NOTIFY sip:100@h SIP/2.0\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n"
	    "Call-ID: x\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n",
	    /* no CSeq */
	    "NOTIFY sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n",
	    /* CSeq of another method */
	    "NOTIFY sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n"
	    "Content-Length: 0\r\n\r\n",
	    /* CSeq over 2^31 */
	    "NOTIFY sip:100@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 4294967296 NOTIFY\r\n"
	    "Content-Length: 0\r\n\r\n",
	    /* not SIP/2.0 */
	    "NOTIFY sip:100@h SIP/3.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 NOTIFY\r\n"
	    "Content-Length: 0\r\n\r\n",
	    /* no Request-URI */
	    "NOTIFY SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 NOTIFY\r\n"
	    "Content-Length: 0\r\n\r\n",
	    /* a status line */
	    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 NOTIFY\r\n"
	    "Content-Length: 0\r\n\r\n",
	};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(ProvSipMessage) message = parse(bad[i], &error);

		g_test_message("case %u", i);
		g_assert_null(message);
		g_assert_error(error, PROV_ERROR, PROV_ERROR_PROTOCOL);
	}
}

/* R24: format directives in every header are data, from parse to response */
static void
test_parse_format_characters(void)
{
	const gchar *text = "NOTIFY sip:%n%s@h SIP/2.0\r\n"
			    "Via: SIP/2.0/UDP h;branch=z9hG4bK%n%s%x\r\n"
			    "From: \"%n%s%p\" <sip:%s@b>;tag=%n\r\n"
			    "To: <sip:%n@d>\r\n"
			    "Call-ID: %n%s%s%s%s%s\r\n"
			    "CSeq: 1 NOTIFY\r\n"
			    "Event: %n%s\r\n"
			    "User-Agent: %n%n%n%n\r\n"
			    "Content-Length: 0\r\n\r\n";
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvSipMessage) message = parse(text, &error);
	g_autoptr(GBytes) response = NULL;
	g_autofree gchar *response_text = NULL;

	g_assert_no_error(error);
	g_assert_cmpstr(message->call_id, ==, "%n%s%s%s%s%s");
	g_assert_cmpstr(message->request_uri, ==, "sip:%n%s@h");
	g_assert_cmpstr(g_ptr_array_index(message->events, 0), ==, "%n%s");
	response = prov_sip_response_build(message->echo, 400, "t%n", NULL);
	response_text = g_strndup(g_bytes_get_data(response, NULL), g_bytes_get_size(response));
	g_assert_nonnull(strstr(response_text, "\r\nCall-ID: %n%s%s%s%s%s\r\n"));
	g_assert_nonnull(strstr(response_text, "\r\nTo: <sip:%n@d>;tag=t%n\r\n"));
}

static void
test_echo_raw(void)
{
	g_autoptr(GError) error = NULL;
	ProvSipFrame frame;
	/* a header over the cap: refused, but the response can still be built */
	g_autoptr(GString) text = g_string_new(NOTIFY_HEAD "Subject: ");

	for (guint i = 0; i < PROV_SIP_HEADER_LINE_MAX + 10; i++)
		g_string_append_c(text, 'x');
	g_string_append(text, "\r\nContent-Length: 0\r\n\r\n");
	g_assert_cmpint(scan(text->str, text->len, FALSE, &frame, &error), ==,
			PROV_SIP_FRAME_INVALID);
	{
		g_autoptr(ProvSipEcho) echo =
		    prov_sip_echo_new_from_frame((const guint8 *)text->str, &frame);

		g_assert_nonnull(echo);
		g_assert_cmpuint(echo->vias->len, ==, 1);
		g_assert_cmpstr(echo->call_id, ==, "call-1@192.0.2.1");
		g_assert_cmpstr(echo->cseq, ==, "7 NOTIFY");
	}

	/* two Call-IDs, or none: no response */
	{
		const gchar *two = NOTIFY_HEAD "i: other\r\nContent-Length: 0\r\n\r\n";
		const gchar *none =
		    "NOTIFY sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCSeq: 1 NOTIFY\r\n"
		    "Content-Length: 0\r\n\r\n";
		ProvSipFrame frame_two;
		ProvSipFrame frame_none;

		g_assert_cmpint(scan(two, strlen(two), FALSE, &frame_two, NULL), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_null(prov_sip_echo_new_from_frame((const guint8 *)two, &frame_two));
		g_assert_cmpint(scan(none, strlen(none), FALSE, &frame_none, NULL), ==,
				PROV_SIP_FRAME_COMPLETE);
		g_assert_null(prov_sip_echo_new_from_frame((const guint8 *)none, &frame_none));
	}
	/* control characters in the Call-ID: nothing to echo safely */
	{
		const gchar *bad =
		    "NOTIFY sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		    "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: a\x01\r\n"
		    "CSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n";
		ProvSipFrame frame_bad;

		g_assert_cmpint(scan(bad, strlen(bad), FALSE, &frame_bad, NULL), ==,
				PROV_SIP_FRAME_INVALID);
		g_assert_null(prov_sip_echo_new_from_frame((const guint8 *)bad, &frame_bad));
	}
	/* an oversized section: its end is unknown, nothing to echo */
	{
		g_autoptr(GString) endless = g_string_new(NOTIFY_HEAD);

		while (endless->len < PROV_SIP_HEADER_SECTION_MAX + 10)
			g_string_append(endless, "X-Padding: 0123456789012345678901234567890\r\n");
		g_assert_cmpint(scan(endless->str, endless->len, TRUE, &frame, NULL), ==,
				PROV_SIP_FRAME_INVALID);
		g_assert_null(prov_sip_echo_new_from_frame((const guint8 *)endless->str, &frame));
	}
}

static gchar *
build(const ProvSipEcho *echo, guint status, const gchar *tag, const gchar *const *headers)
{
	g_autoptr(GBytes) bytes = prov_sip_response_build(echo, status, tag, headers);

	return g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
}

static void
test_response(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(ProvSipMessage) message = parse(NOTIFY, &error);
	g_autofree gchar *text = NULL;
	const gchar *headers[] = {"Retry-After: 1", NULL};

	g_assert_no_error(error);
	prov_sip_echo_set_received(message->echo, message->via_host, message->via_rport,
				   "203.0.113.5", 40000);
	text = build(message->echo, 503, "t1", headers);
	g_assert_cmpstr(text, ==,
			"SIP/2.0 503 Service Unavailable\r\n"
			"Via: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-1;received=203.0.113.5\r\n"
			"From: <sip:pbx@192.0.2.1>;tag=abc\r\n"
			"To: <sip:100@192.0.2.10>;tag=t1\r\n"
			"Call-ID: call-1@192.0.2.1\r\n"
			"CSeq: 7 NOTIFY\r\n"
			"Retry-After: 1\r\n"
			"Content-Length: 0\r\n\r\n");

	/* RFC 3581: rport gets the source port, received is added even from the same host */
	{
		const gchar *rport =
		    "NOTIFY sip:100@h SIP/2.0\r\n"
		    "Via: SIP/2.0/UDP 192.0.2.1:5061;rport;branch=z9hG4bK-1, SIP/2.0/UDP x\r\n"
		    "From: <sip:a@b>;tag=1\r\nTo: \"a;tag=no\" <sip:c@d;tag=no>;Tag=yes\r\n"
		    "Call-ID: x\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n";
		g_autoptr(ProvSipMessage) other = parse(rport, &error);
		g_autofree gchar *other_text = NULL;

		g_assert_no_error(error);
		prov_sip_echo_set_received(other->echo, other->via_host, other->via_rport,
					   "192.0.2.1", 5062);
		other_text = build(other->echo, 200, "t2", NULL);
		g_assert_nonnull(strstr(other_text, "\r\nVia: SIP/2.0/UDP "
						    "192.0.2.1:5061;rport=5062;branch=z9hG4bK-1;"
						    "received=192.0.2.1, SIP/2.0/UDP x\r\n"));
		/* To has a tag already: none is added */
		g_assert_nonnull(
		    strstr(other_text, "\r\nTo: \"a;tag=no\" <sip:c@d;tag=no>;Tag=yes\r\n"));
	}
	/* the same host and no rport: the Via as it was */
	{
		g_autoptr(ProvSipMessage) same = parse(NOTIFY, &error);
		g_autofree gchar *same_text = NULL;

		prov_sip_echo_set_received(same->echo, same->via_host, same->via_rport, "192.0.2.1",
					   5061);
		same_text = build(same->echo, 200, NULL, NULL);
		g_assert_nonnull(
		    strstr(same_text, "\r\nVia: SIP/2.0/UDP 192.0.2.1:5061;branch=z9hG4bK-1\r\n"));
		g_assert_nonnull(strstr(same_text, "\r\nTo: <sip:100@192.0.2.10>\r\n"));
	}
	g_assert_cmpstr(prov_sip_status_to_reason(489), ==, "Bad Event");
	g_assert_cmpstr(prov_sip_status_to_reason(401), ==, "Unauthorized");
}

static void
test_event(void)
{
	g_autofree gchar *package = NULL;
	g_autoptr(GHashTable) params = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *bad[] = {"",
			      ";reboot=true",
			      "check sync",
			      "check-sync;=x",
			      "check-sync;",
			      "check-sync;;reboot=true",
			      "check-sync;reboot=true;REBOOT=false"};

	g_assert_true(prov_sip_event_parse(" check-sync ; Reboot = \"true\" ;id=4", &package,
					   &params, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(package, ==, "check-sync");
	g_assert_cmpstr(g_hash_table_lookup(params, "reboot"), ==, "true");
	g_assert_cmpstr(g_hash_table_lookup(params, "id"), ==, "4");
	g_clear_pointer(&package, g_free);
	g_clear_pointer(&params, g_hash_table_unref);
	g_assert_true(prov_sip_event_parse("resync;flag", &package, &params, &error));
	g_assert_cmpstr(g_hash_table_lookup(params, "flag"), ==, "");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree gchar *bad_package = NULL;
		g_autoptr(GHashTable) bad_params = NULL;
		g_autoptr(GError) bad_error = NULL;

		g_assert_false(prov_sip_event_parse(bad[i], &bad_package, &bad_params, &bad_error));
		g_assert_error(bad_error, PROV_ERROR, PROV_ERROR_PROTOCOL);
		g_assert_null(bad_package);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prov/sip-message/frame-datagram", test_frame_datagram);
	g_test_add_func("/prov/sip-message/frame-content-length", test_frame_content_length);
	g_test_add_func("/prov/sip-message/frame-stream", test_frame_stream);
	g_test_add_func("/prov/sip-message/frame-caps", test_frame_caps);
	g_test_add_func("/prov/sip-message/frame-bytes", test_frame_bytes);
	g_test_add_func("/prov/sip-message/parse-notify", test_parse_notify);
	g_test_add_func("/prov/sip-message/parse-refused", test_parse_refused);
	g_test_add_func("/prov/sip-message/parse-format-characters", test_parse_format_characters);
	g_test_add_func("/prov/sip-message/echo-raw", test_echo_raw);
	g_test_add_func("/prov/sip-message/response", test_response);
	g_test_add_func("/prov/sip-message/event", test_event);
	return g_test_run();
}
