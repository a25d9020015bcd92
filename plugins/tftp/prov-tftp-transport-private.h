/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-tftp-transport.h"

G_BEGIN_DECLS

/*
 * The retransmission timing, in milliseconds. The defaults follow reference
 * 6.1; tests shrink them so that loss, back-off and deadlines run in a
 * fraction of a second.
 */
typedef struct {
	/* the timeout before a round trip has been measured */
	guint initial_ms;
	/* the bounds of the timeout derived from the measured round trip */
	guint min_ms;
	guint max_ms;
	/* retransmissions of one packet before the peer counts as gone, once the back-off reached
	 * max_ms */
	guint max_retries;
	/* 0: the fetch context's timeout and inactivity timeout (seconds) */
	guint deadline_ms;
	guint inactivity_ms;
} ProvTftpTiming;

void
prov_tftp_transport_get_timing(ProvTftpTransport *self, ProvTftpTiming *timing);
void
prov_tftp_transport_set_timing(ProvTftpTransport *self, const ProvTftpTiming *timing);

G_END_DECLS
