/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include "prov-param-def-private.h"
#include "prov-params.h"

G_BEGIN_DECLS

/* one parameter's part of a commit; NULL value or UNSET access leaves that part alone */
typedef struct {
	const ProvParamDef *def;
	const gchar *value;
	ProvAccess access;
} ProvParamsChange;

gboolean
prov_params_commit_changes(ProvParams *self,
			   const ProvParamsChange *changes,
			   guint n_changes,
			   const gchar *const *names,
			   GError **error);

/*
 * The steps of one durable state write, in the order R3 demands. BACKUP
 * (hard-linking the current file as the last good copy) is best effort: a
 * failure there is logged at debug level and the write goes on.
 */
typedef enum {
	PROV_PARAMS_IO_STEP_NONE,
	PROV_PARAMS_IO_STEP_BACKUP,
	PROV_PARAMS_IO_STEP_OPEN,
	PROV_PARAMS_IO_STEP_WRITE,
	PROV_PARAMS_IO_STEP_FSYNC,
	PROV_PARAMS_IO_STEP_RENAME,
	PROV_PARAMS_IO_STEP_FSYNC_DIR,
	PROV_PARAMS_IO_STEP_LAST
} ProvParamsIoStep;

/*
 * FAIL: the step's system call is not made and fails with EIO; the normal
 * error path runs (temporary file removed, old state kept).
 * CRASH: the step runs (WRITE writes only the first half), then the commit
 * stops at once, leaving the files as a killed process would; the
 * ProvParams must then be dropped and the state loaded into a fresh one.
 */
typedef enum {
	PROV_PARAMS_IO_FAULT_FAIL,
	PROV_PARAMS_IO_FAULT_CRASH,
} ProvParamsIoFault;

void
prov_params_inject_io_fault(ProvParams *self, ProvParamsIoStep step, ProvParamsIoFault fault);
guint
prov_params_get_n_state_writes(ProvParams *self);
guint64
prov_params_get_serial(ProvParams *self);

G_END_DECLS
