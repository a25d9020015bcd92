/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-enums.h"
#include "prov-param-def.h"
#include "prov-params.h"

G_BEGIN_DECLS

#define PROV_TYPE_PARAMS_TRANSACTION (prov_params_transaction_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(
    ProvParamsTransaction, prov_params_transaction, PROV, PARAMS_TRANSACTION, GObject)

/**
 * ProvParamsTransactionFunc:
 * @def: the parameter
 * @value: its final value: the last one assigned, or the current value when
 *   the transaction only changes its access level
 * @access: its final access level
 * @user_data: the data given to prov_params_transaction_foreach()
 *
 * Called once per parameter of a transaction. @value is the real value even
 * for a secret @def; whatever prints it must check prov_param_def_is_secret().
 *
 * Since: 0.1
 */
typedef void (*ProvParamsTransactionFunc)(const ProvParamDef *def,
					  const gchar *value,
					  ProvAccess access,
					  gpointer user_data);

PROV_API void
prov_params_transaction_set_strict(ProvParamsTransaction *self, gboolean strict);
PROV_API gboolean
prov_params_transaction_set(ProvParamsTransaction *self,
			    const gchar *name,
			    const gchar *value,
			    ProvAccess access,
			    const gchar *invalid_access,
			    guint line,
			    guint column,
			    GError **error);
PROV_API gboolean
prov_params_transaction_validate(ProvParamsTransaction *self, GError **error);
PROV_API gboolean
prov_params_transaction_commit(ProvParamsTransaction *self, GError **error);
PROV_API void
prov_params_transaction_abort(ProvParamsTransaction *self);

PROV_API ProvParams *
prov_params_transaction_get_params(ProvParamsTransaction *self);
PROV_API guint
prov_params_transaction_get_n_assignments(ProvParamsTransaction *self);
PROV_API guint
prov_params_transaction_get_n_parameters(ProvParamsTransaction *self);
PROV_API guint
prov_params_transaction_get_n_applied(ProvParamsTransaction *self);
PROV_API guint
prov_params_transaction_get_n_unchanged(ProvParamsTransaction *self);
PROV_API guint
prov_params_transaction_get_n_skipped(ProvParamsTransaction *self);
PROV_API gboolean
prov_params_transaction_is_unchanged(ProvParamsTransaction *self);
PROV_API gboolean
prov_params_transaction_get_restart_required(ProvParamsTransaction *self);
PROV_API const gchar *const *
prov_params_transaction_get_changed(ProvParamsTransaction *self);
PROV_API void
prov_params_transaction_foreach(ProvParamsTransaction *self,
				ProvParamsTransactionFunc func,
				gpointer user_data);

PROV_API ProvParamsTransaction *
prov_params_transaction_new(ProvParams *params);

G_END_DECLS
