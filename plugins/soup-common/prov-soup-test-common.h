/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <libsoup/soup.h>
#include <prov-transport.h>

G_BEGIN_DECLS

/* runs the main context until the transport is done; never sleeps */
GBytes *
prov_soup_test_fetch(ProvTransport *transport,
		     const gchar *url,
		     ProvFetchContext *ctx,
		     GCancellable *cancellable,
		     GError **error);
gboolean
prov_soup_test_upload(ProvTransport *transport,
		      const gchar *url,
		      ProvFetchContext *ctx,
		      GBytes *data,
		      GError **error);

/* a SoupServer on 127.0.0.1 and a free port */
guint16
prov_soup_test_server_listen(SoupServer *server, gboolean https);

/*
 * A server that speaks raw bytes, for what a well-behaved HTTP server
 * cannot produce: a body cut short, a server that stops sending, one that
 * drips. It answers every connection with @response once it has read the
 * request head; then it closes, holds the connection open, or sends
 * @drip one byte every @drip_interval_ms.
 */
typedef enum {
	PROV_SOUP_TEST_RAW_CLOSE,
	PROV_SOUP_TEST_RAW_HOLD,
	PROV_SOUP_TEST_RAW_DRIP,
} ProvSoupTestRawMode;

typedef struct _ProvSoupTestRaw ProvSoupTestRaw;

ProvSoupTestRaw *
prov_soup_test_raw_new(ProvSoupTestRawMode mode, const gchar *response, gsize response_len);
void
prov_soup_test_raw_set_drip(ProvSoupTestRaw *raw, guint interval_ms);
guint16
prov_soup_test_raw_get_port(ProvSoupTestRaw *raw);
const gchar *
prov_soup_test_raw_get_request(ProvSoupTestRaw *raw);
gsize
prov_soup_test_raw_get_dripped(ProvSoupTestRaw *raw);
void
prov_soup_test_raw_free(ProvSoupTestRaw *raw);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvSoupTestRaw, prov_soup_test_raw_free)

/* a port on 127.0.0.1 that nothing listens on */
guint16
prov_soup_test_closed_port(void);

G_END_DECLS
