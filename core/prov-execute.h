/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib-object.h>

#include "prov-api.h"
#include "prov-limits.h"
#include "prov-trigger-host.h"

G_BEGIN_DECLS

/**
 * PROV_EXECUTE_MAX_ITEMS:
 *
 * The most `ExecuteItem` elements an object may hold: the standard
 * `CiscoIPPhoneExecute` object holds at most three (reference 7.2).
 *
 * Since: 0.1
 */
#define PROV_EXECUTE_MAX_ITEMS 3

/**
 * PROV_EXECUTE_MAX_SIZE:
 *
 * The largest Execute object prov_execute_parse() reads, in bytes. An
 * Execute object is a few hundred bytes; anything this large is not one.
 *
 * Since: 0.1
 */
#define PROV_EXECUTE_MAX_SIZE (16 * 1024)

/**
 * PROV_EXECUTE_MAX_URL_LENGTH:
 *
 * The longest `URL` attribute of one item, in bytes; it carries a whole
 * profile rule after `Resync:`.
 *
 * Since: 0.1
 */
#define PROV_EXECUTE_MAX_URL_LENGTH 2048

/**
 * ProvExecuteItem:
 * @action: %PROV_TRIGGER_ACTION_RESYNC for `Resync:[rule]`,
 *   %PROV_TRIGGER_ACTION_REBOOT for `Reboot`
 * @url: the `URL` attribute as written, entities decoded
 * @rule: (nullable): for a resync, the rule after `Resync:` with
 *   surrounding whitespace removed; %NULL when it is empty (the configured
 *   rules); always %NULL for a reboot. Macros are left unexpanded: the
 *   engine expands them as for any rule.
 * @priority: the `Priority` attribute: 0 (now, the default), 1 (when idle)
 *   or 2 (only if idle)
 * @line: the line of the item's start tag
 * @column: the column of the item's start tag
 *
 * One accepted `ExecuteItem`. The strings belong to the #ProvExecute and
 * live until its next parse or its finalization.
 *
 * Since: 0.1
 */
typedef struct {
	ProvTriggerAction action;
	const gchar *url;
	const gchar *rule;
	guint priority;
	guint line;
	guint column;
} ProvExecuteItem;

#define PROV_TYPE_EXECUTE (prov_execute_get_type())
PROV_API
G_DECLARE_FINAL_TYPE(ProvExecute, prov_execute, PROV, EXECUTE, GObject)

PROV_API ProvExecute *
prov_execute_new(const ProvLimits *limits);
PROV_API gboolean
prov_execute_parse(ProvExecute *self, const gchar *data, gsize length, GError **error);
PROV_API const gchar *
prov_execute_get_root_name(ProvExecute *self);
PROV_API guint
prov_execute_get_n_items(ProvExecute *self);
PROV_API const ProvExecuteItem *
prov_execute_get_item(ProvExecute *self, guint index);
PROV_API gboolean
prov_execute_has_action(ProvExecute *self, ProvTriggerAction action);
PROV_API const gchar *
prov_execute_get_refused_url(ProvExecute *self);

G_END_DECLS
