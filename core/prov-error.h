/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

#include "prov-api.h"

G_BEGIN_DECLS

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
	PROV_ERROR_LAST
} ProvError;

PROV_API GQuark
prov_error_quark(void);

PROV_API const gchar *
prov_error_to_string(ProvError code);

G_END_DECLS
