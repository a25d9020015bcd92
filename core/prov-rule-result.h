/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * ProvRuleResultStatus:
 * @PROV_RULE_RESULT_STATUS_SUCCESS: the profile was fetched and applied and
 *   changed something
 * @PROV_RULE_RESULT_STATUS_UNCHANGED: the profile was fetched and applied and
 *   changed nothing (R5)
 * @PROV_RULE_RESULT_STATUS_NOT_FOUND: the server had no such file and
 *   `Resync_Fails_On_FNF` = No counted that as success
 * @PROV_RULE_RESULT_STATUS_FAILED: the rule failed and stopped the resync
 * @PROV_RULE_RESULT_STATUS_EMPTY: the rule is blank, commented out, no
 *   alternative holds, or the chosen alternative has no URL
 * @PROV_RULE_RESULT_STATUS_LAST: the number of values
 *
 * The outcome of one rule of a resync, as the "status" key of a rule record
 * on D-Bus spells it.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_RULE_RESULT_STATUS_SUCCESS,
	PROV_RULE_RESULT_STATUS_UNCHANGED,
	PROV_RULE_RESULT_STATUS_NOT_FOUND,
	PROV_RULE_RESULT_STATUS_FAILED,
	PROV_RULE_RESULT_STATUS_EMPTY,
	PROV_RULE_RESULT_STATUS_LAST
} ProvRuleResultStatus;

/**
 * ProvRuleResultTiming:
 * @PROV_RULE_RESULT_TIMING_FETCH: the transport's work, redirects included
 * @PROV_RULE_RESULT_TIMING_DECODE: decryption and decompression
 * @PROV_RULE_RESULT_TIMING_PARSE: the flat-profile parser and the checks of
 *   every value
 * @PROV_RULE_RESULT_TIMING_APPLY: the commit, durable write included (R6)
 * @PROV_RULE_RESULT_TIMING_TOTAL: the whole rule, from macro expansion on
 * @PROV_RULE_RESULT_TIMING_LAST: the number of values
 *
 * The phases of one rule whose monotonic durations the result keeps.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_RULE_RESULT_TIMING_FETCH,
	PROV_RULE_RESULT_TIMING_DECODE,
	PROV_RULE_RESULT_TIMING_PARSE,
	PROV_RULE_RESULT_TIMING_APPLY,
	PROV_RULE_RESULT_TIMING_TOTAL,
	PROV_RULE_RESULT_TIMING_LAST
} ProvRuleResultTiming;

/**
 * PROV_RULE_RESULT_ONE_SHOT:
 *
 * The name of the rule result of a one-shot rule.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ONE_SHOT "one-shot"

/**
 * PROV_RULE_RESULT_ERROR_FILE_NOT_FOUND:
 *
 * `file not found`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The server has no such file: TFTP error 1, HTTP 404 or 410. With
 * `Resync_Fails_On_FNF` = `No` the rule counts as a success.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_FILE_NOT_FOUND "file not found"

/**
 * PROV_RULE_RESULT_ERROR_CORRUPT_FILE:
 *
 * `corrupt file`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The profile could not be used: a decode failure (wrong or missing
 * key, bad gzip), XML that is not well-formed, an invalid value, a
 * body over the size caps. Every such failure reads the same outside the
 * device (R34); the detail is in the debug log.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_CORRUPT_FILE "corrupt file"

/**
 * PROV_RULE_RESULT_ERROR_TFTP_GET_FAILED:
 *
 * `tftp_get failed`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * A TFTP transfer failed other than by "file not found": no answer, a
 * TFTP error, a refused option.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_TFTP_GET_FAILED "tftp_get failed"

/**
 * PROV_RULE_RESULT_ERROR_HTTP_GET_FAILED:
 *
 * `http_get failed`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * An HTTP fetch failed: connection refused or timed out, a status other
 * than 200, 304, 404 or 410, a refused redirect, a truncated body.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_HTTP_GET_FAILED "http_get failed"

/**
 * PROV_RULE_RESULT_ERROR_HTTPS_GET_FAILED:
 *
 * `https_get failed`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * An HTTPS fetch failed, including every TLS handshake and certificate
 * failure (unknown CA, expired, wrong host, clock not set, client
 * certificate refused).
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_HTTPS_GET_FAILED "https_get failed"

/**
 * PROV_RULE_RESULT_ERROR_DNS_LOOKUP_FAILED:
 *
 * `dns lookup failed`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The server's name does not resolve.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_DNS_LOOKUP_FAILED "dns lookup failed"

/**
 * PROV_RULE_RESULT_ERROR_UNSUPPORTED_SCHEME:
 *
 * `unsupported scheme`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * No transport plugin serves the URL's scheme.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_UNSUPPORTED_SCHEME "unsupported scheme"

/**
 * PROV_RULE_RESULT_ERROR_RULE_SYNTAX:
 *
 * `rule syntax error`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The rule, after macro expansion, cannot be parsed.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_RULE_SYNTAX "rule syntax error"

/**
 * PROV_RULE_RESULT_ERROR_RESTRICTED_DOMAIN:
 *
 * `restricted domain`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The URL's host is outside `Restricted_Access_Domains`, or, in hardened
 * mode (R32), a profile fetched without TLS would change protected
 * parameters.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_RESTRICTED_DOMAIN "restricted domain"

/**
 * PROV_RULE_RESULT_ERROR_AUTH_FAILED:
 *
 * `auth failed`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * The server still asked for credentials (HTTP 401 or 407) after the
 * allowed retries.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_AUTH_FAILED "auth failed"

/**
 * PROV_RULE_RESULT_ERROR_INTERNAL:
 *
 * `internal error`: one word of the `$ERR` vocabulary of reference 5.5, fixed so
 * that tests and operators' scripts may match it exactly.
 *
 * A failure of the device itself, such as the state file not being
 * writable.
 *
 * Since: 0.1
 */
#define PROV_RULE_RESULT_ERROR_INTERNAL "internal error"

#define PROV_TYPE_RULE_RESULT (prov_rule_result_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvRuleResult, prov_rule_result, PROV, RULE_RESULT, GObject)

PROV_API const gchar *
prov_rule_result_status_to_string(ProvRuleResultStatus status);
PROV_API gboolean
prov_rule_result_status_from_string(const gchar *text, ProvRuleResultStatus *status);

PROV_API ProvRuleResult *
prov_rule_result_new(const gchar *name);

PROV_API const gchar *
prov_rule_result_get_name(ProvRuleResult *self);
PROV_API const gchar *
prov_rule_result_get_url(ProvRuleResult *self);
PROV_API const gchar *
prov_rule_result_get_final_url(ProvRuleResult *self);
PROV_API const gchar *
prov_rule_result_get_transport(ProvRuleResult *self);
PROV_API ProvRuleResultStatus
prov_rule_result_get_status(ProvRuleResult *self);
PROV_API gboolean
prov_rule_result_is_failed(ProvRuleResult *self);
PROV_API guint64
prov_rule_result_get_bytes(ProvRuleResult *self);
PROV_API guint64
prov_rule_result_get_decoded_bytes(ProvRuleResult *self);
PROV_API const gchar *const *
prov_rule_result_get_decoders(ProvRuleResult *self);
PROV_API guint
prov_rule_result_get_n_applied(ProvRuleResult *self);
PROV_API guint
prov_rule_result_get_n_unchanged(ProvRuleResult *self);
PROV_API guint
prov_rule_result_get_n_skipped(ProvRuleResult *self);
PROV_API const gchar *const *
prov_rule_result_get_changed(ProvRuleResult *self);
PROV_API const gchar *
prov_rule_result_get_error(ProvRuleResult *self);
PROV_API gint
prov_rule_result_get_error_code(ProvRuleResult *self);
PROV_API const gchar *
prov_rule_result_get_message(ProvRuleResult *self);
PROV_API guint
prov_rule_result_get_line(ProvRuleResult *self);
PROV_API guint
prov_rule_result_get_column(ProvRuleResult *self);
PROV_API guint64
prov_rule_result_get_timing(ProvRuleResult *self, ProvRuleResultTiming timing);

PROV_API GVariant *
prov_rule_result_to_variant(ProvRuleResult *self);

G_END_DECLS
