/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvError"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "prov-error.h"

#define PROV_DBUS_ERROR_PREFIX "org.provisiond.Provisioning1.Error."

static const GDBusErrorEntry prov_error_entries[] = {
    {PROV_ERROR_FAILED, PROV_DBUS_ERROR_PREFIX "Failed"},
    {PROV_ERROR_INVALID_ARGUMENT, PROV_DBUS_ERROR_PREFIX "InvalidArgument"},
    {PROV_ERROR_CORRUPT_FILE, PROV_DBUS_ERROR_PREFIX "CorruptFile"},
    {PROV_ERROR_LIMIT_EXCEEDED, PROV_DBUS_ERROR_PREFIX "LimitExceeded"},
    {PROV_ERROR_UNKNOWN_PARAMETER, PROV_DBUS_ERROR_PREFIX "UnknownParameter"},
    {PROV_ERROR_INVALID_VALUE, PROV_DBUS_ERROR_PREFIX "InvalidValue"},
    {PROV_ERROR_READ_ONLY, PROV_DBUS_ERROR_PREFIX "ReadOnly"},
    {PROV_ERROR_RULE_SYNTAX, PROV_DBUS_ERROR_PREFIX "RuleSyntax"},
    {PROV_ERROR_SCHEMA, PROV_DBUS_ERROR_PREFIX "Schema"},
    {PROV_ERROR_STATE, PROV_DBUS_ERROR_PREFIX "State"},
    {PROV_ERROR_CONFIG, PROV_DBUS_ERROR_PREFIX "Config"},
    {PROV_ERROR_NOT_FOUND, PROV_DBUS_ERROR_PREFIX "NotFound"},
    {PROV_ERROR_TIMED_OUT, PROV_DBUS_ERROR_PREFIX "TimedOut"},
    {PROV_ERROR_UNREACHABLE, PROV_DBUS_ERROR_PREFIX "Unreachable"},
    {PROV_ERROR_HOST_NOT_FOUND, PROV_DBUS_ERROR_PREFIX "HostNotFound"},
    {PROV_ERROR_PROTOCOL, PROV_DBUS_ERROR_PREFIX "Protocol"},
    {PROV_ERROR_UPLOAD_REFUSED, PROV_DBUS_ERROR_PREFIX "UploadRefused"},
    {PROV_ERROR_TRUNCATED, PROV_DBUS_ERROR_PREFIX "Truncated"},
    {PROV_ERROR_AUTH_FAILED, PROV_DBUS_ERROR_PREFIX "AuthFailed"},
    {PROV_ERROR_REDIRECT, PROV_DBUS_ERROR_PREFIX "Redirect"},
    {PROV_ERROR_TLS_EXPIRED, PROV_DBUS_ERROR_PREFIX "TlsExpired"},
    {PROV_ERROR_TLS_WRONG_HOST, PROV_DBUS_ERROR_PREFIX "TlsWrongHost"},
    {PROV_ERROR_TLS_UNKNOWN_CA, PROV_DBUS_ERROR_PREFIX "TlsUnknownCa"},
    {PROV_ERROR_TLS_CLOCK_NOT_SET, PROV_DBUS_ERROR_PREFIX "TlsClockNotSet"},
    {PROV_ERROR_TLS_FAILED, PROV_DBUS_ERROR_PREFIX "TlsFailed"},
    {PROV_ERROR_INSECURE_KEY, PROV_DBUS_ERROR_PREFIX "InsecureKey"},
    {PROV_ERROR_DISABLED, PROV_DBUS_ERROR_PREFIX "Disabled"},
    {PROV_ERROR_RESTRICTED_DOMAIN, PROV_DBUS_ERROR_PREFIX "RestrictedDomain"},
    {PROV_ERROR_BUSY, PROV_DBUS_ERROR_PREFIX "Busy"},
    {PROV_ERROR_INSECURE_TRANSPORT, PROV_DBUS_ERROR_PREFIX "InsecureTransport"},
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_error_entries) == PROV_ERROR_LAST);

/**
 * prov_error_to_string:
 * @code: a #ProvError
 *
 * Returns: (transfer none): the CamelCase name of @code, as used in D-Bus
 * error names, or %NULL for a code out of range
 *
 * Since: 0.1
 */
const gchar *
prov_error_to_string(ProvError code)
{
	if ((guint)code >= PROV_ERROR_LAST)
		return NULL;
	return prov_error_entries[code].dbus_error_name + strlen(PROV_DBUS_ERROR_PREFIX);
}

/**
 * prov_error_quark:
 *
 * Returns: the quark of the core's error domain, registered with D-Bus so
 * that each code travels as `org.provisiond.Provisioning1.Error.<Code>`
 *
 * Since: 0.1
 */
GQuark
prov_error_quark(void)
{
	static gsize quark = 0;

	g_dbus_error_register_error_domain("prov-error-quark", &quark, prov_error_entries,
					   G_N_ELEMENTS(prov_error_entries));
	return (GQuark)quark;
}
