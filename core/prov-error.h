/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

/**
 * PROV_ERROR:
 *
 * The error domain of the core, with the codes of #ProvError. Plugins with
 * codes of their own define a domain of their own.
 *
 * Since: 0.1
 */
#define PROV_ERROR (prov_error_quark())

/**
 * ProvError:
 * @PROV_ERROR_FAILED: a failure with no more specific code
 * @PROV_ERROR_INVALID_ARGUMENT: a caller passed a malformed argument
 * @PROV_ERROR_CORRUPT_FILE: a profile is not well-formed ("corrupt file")
 * @PROV_ERROR_LIMIT_EXCEEDED: input exceeded a configured cap (R17, R25-R27)
 * @PROV_ERROR_UNKNOWN_PARAMETER: a name that the schema does not declare
 * @PROV_ERROR_INVALID_VALUE: a value that does not fit its parameter's type
 * @PROV_ERROR_READ_ONLY: a parameter that may not be written this way
 * @PROV_ERROR_RULE_SYNTAX: a rule that cannot be parsed ("rule syntax error")
 * @PROV_ERROR_SCHEMA: a schema file that cannot be used
 * @PROV_ERROR_STATE: the state file cannot be read or written
 * @PROV_ERROR_CONFIG: the configuration file cannot be used
 * @PROV_ERROR_NOT_FOUND: the server has no such file (TFTP error 1, HTTP 404
 *   or 410): "file not found", which `Resync_Fails_On_FNF` may forgive
 * @PROV_ERROR_TIMED_OUT: the server did not answer within the timeouts
 * @PROV_ERROR_UNREACHABLE: the server cannot be reached: no route, the
 *   connection or port refused
 * @PROV_ERROR_HOST_NOT_FOUND: the server's name does not resolve
 *   ("dns lookup failed")
 * @PROV_ERROR_PROTOCOL: the server broke the transfer protocol, or reported
 *   an error other than "file not found"
 * @PROV_ERROR_UPLOAD_REFUSED: the server refused an upload (Report_Rule)
 * @PROV_ERROR_TRUNCATED: the transfer ended before the whole body arrived
 *   (R36: Content-Length not reached, chunked body cut off)
 * @PROV_ERROR_AUTH_FAILED: the server still asked for credentials after the
 *   allowed retries, or none were given ("auth failed")
 * @PROV_ERROR_REDIRECT: a redirect was refused: too many hops, or to another
 *   scheme (R37)
 * @PROV_ERROR_TLS_EXPIRED: the server's certificate has expired
 * @PROV_ERROR_TLS_WRONG_HOST: the server's certificate names another host
 * @PROV_ERROR_TLS_UNKNOWN_CA: the server's certificate does not chain to a
 *   trusted CA (system roots, `CAFile`, custom CA)
 * @PROV_ERROR_TLS_CLOCK_NOT_SET: the wall clock is before the server
 *   certificate's notBefore (R39): the clock is not set yet
 * @PROV_ERROR_TLS_FAILED: the TLS handshake failed for another reason (a
 *   certificate refused otherwise, a client certificate required or refused)
 * @PROV_ERROR_INSECURE_KEY: a private key file that others may read (R38)
 * @PROV_ERROR_DISABLED: `Provision_Enable` is No: no resync runs
 * @PROV_ERROR_RESTRICTED_DOMAIN: the URL's host is outside
 *   `Restricted_Access_Domains` ("restricted domain")
 * @PROV_ERROR_BUSY: the operation cannot start now: a resync already runs
 * @PROV_ERROR_INSECURE_TRANSPORT: a profile fetched without TLS would change
 *   protected parameters (rules, keys, credentials) and the daemon runs in
 *   hardened mode (R32); reported as "restricted domain" in `$ERR`
 * @PROV_ERROR_LAST: the number of codes; codes are only appended
 *
 * The core's error codes. Each maps to a D-Bus error name
 * `org.provisiond.Provisioning1.Error.<Code>`.
 *
 * Since: 0.1
 */
typedef enum {
	PROV_ERROR_FAILED,
	PROV_ERROR_INVALID_ARGUMENT,
	PROV_ERROR_CORRUPT_FILE,
	PROV_ERROR_LIMIT_EXCEEDED,
	PROV_ERROR_UNKNOWN_PARAMETER,
	PROV_ERROR_INVALID_VALUE,
	PROV_ERROR_READ_ONLY,
	PROV_ERROR_RULE_SYNTAX,
	PROV_ERROR_SCHEMA,
	PROV_ERROR_STATE,
	PROV_ERROR_CONFIG,
	PROV_ERROR_NOT_FOUND,
	PROV_ERROR_TIMED_OUT,
	PROV_ERROR_UNREACHABLE,
	PROV_ERROR_HOST_NOT_FOUND,
	PROV_ERROR_PROTOCOL,
	PROV_ERROR_UPLOAD_REFUSED,
	PROV_ERROR_TRUNCATED,
	PROV_ERROR_AUTH_FAILED,
	PROV_ERROR_REDIRECT,
	PROV_ERROR_TLS_EXPIRED,
	PROV_ERROR_TLS_WRONG_HOST,
	PROV_ERROR_TLS_UNKNOWN_CA,
	PROV_ERROR_TLS_CLOCK_NOT_SET,
	PROV_ERROR_TLS_FAILED,
	PROV_ERROR_INSECURE_KEY,
	PROV_ERROR_DISABLED,
	PROV_ERROR_RESTRICTED_DOMAIN,
	PROV_ERROR_BUSY,
	PROV_ERROR_INSECURE_TRANSPORT,
	PROV_ERROR_LAST
} ProvError;

PROV_API GQuark
prov_error_quark(void);

PROV_API const gchar *
prov_error_to_string(ProvError code);

G_END_DECLS
