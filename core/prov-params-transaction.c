/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvParamsTransaction"

#include "config.h"

#include <string.h>

#include "prov-error.h"
#include "prov-params-private.h"
#include "prov-params-transaction.h"

#define prov_params_transaction_debug(...)                                                         \
	G_STMT_START                                                                               \
	{                                                                                          \
		if (!g_log_writer_default_would_drop(G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))             \
			g_debug(__VA_ARGS__);                                                      \
	}                                                                                          \
	G_STMT_END

typedef enum {
	PROV_PARAMS_TRANSACTION_OPEN,
	PROV_PARAMS_TRANSACTION_COMMITTED,
	PROV_PARAMS_TRANSACTION_ABORTED,
} ProvParamsTransactionState;

/* one parameter of the transaction, merged over all its assignments */
typedef struct {
	const ProvParamDef *def;
	const gchar *value;
	ProvAccess access;
} ProvParamsRecord;

/* where a definition's record is: its position in records plus one, 0 for none */
typedef struct {
	const ProvParamDef *def;
	guint position;
} ProvParamsSlot;

/*
 * Every assignment of a profile looks its definition up here, and nearly
 * every one adds it: for 100 000 assignments a GHashTable (three arrays to
 * touch, a GHashFunc call per probe, a rehash at every doubling) cost more
 * than the lookup of the name itself. Open addressing over one array of
 * slots, Fibonacci hashing of the pointer, kept at most half full.
 */
typedef struct {
	ProvParamsSlot *slots;
	gsize mask;
	gsize used;
} ProvParamsIndex;

static gsize
prov_params_index_hash(const ProvParamDef *def, gsize mask)
{
	return (gsize)(((guint64)GPOINTER_TO_SIZE(def) * G_GUINT64_CONSTANT(0x9e3779b97f4a7c15)) >>
		       32) &
	       mask;
}

static ProvParamsSlot *
prov_params_index_find(ProvParamsIndex *index, const ProvParamDef *def)
{
	gsize i = prov_params_index_hash(def, index->mask);

	while (index->slots[i].def != NULL && index->slots[i].def != def)
		i = (i + 1) & index->mask;
	return &index->slots[i];
}

static void
prov_params_index_grow(ProvParamsIndex *index)
{
	ProvParamsSlot *old = index->slots;
	gsize old_size = index->mask + 1;

	index->mask = old_size * 2 - 1;
	index->slots = g_new0(ProvParamsSlot, old_size * 2);
	for (gsize i = 0; i < old_size; i++) {
		if (old[i].def != NULL)
			*prov_params_index_find(index, old[i].def) = old[i];
	}
	g_free(old);
}

static guint
prov_params_index_lookup(ProvParamsIndex *index, const ProvParamDef *def)
{
	return prov_params_index_find(index, def)->position;
}

static void
prov_params_index_add(ProvParamsIndex *index, const ProvParamDef *def, guint position)
{
	ProvParamsSlot *slot;

	if ((index->used + 1) * 2 > index->mask + 1)
		prov_params_index_grow(index);
	slot = prov_params_index_find(index, def);
	slot->def = def;
	slot->position = position;
	index->used++;
}

/**
 * ProvParamsTransaction:
 *
 * A set of assignments that a #ProvParams applies as one: the assignments
 * of one profile, of one D-Bus SetParameters call, or of one rule's
 * `( assignments )!`. It is built with prov_params_transaction_set() and
 * ends with a commit or an abort.
 *
 * Since: 0.1
 */
struct _ProvParamsTransaction {
	GObject parent_instance;
	ProvParams *params;
	gboolean strict;
	ProvParamsTransactionState state;
	/* the first invalid assignment; it dooms the whole transaction (R1) */
	GError *error;
	GStringChunk *strings;
	GArray *records;
	ProvParamsIndex record_index;
	guint n_assignments;
	guint n_skipped;
	/* the outcome of the last validate or commit, against the values of computed_serial */
	gboolean computed;
	guint64 computed_serial;
	GArray *changes;
	guint n_applied;
	guint n_unchanged;
	gboolean restart_required;
	GPtrArray *changed;
};

G_DEFINE_TYPE(ProvParamsTransaction, prov_params_transaction, G_TYPE_OBJECT)

/**
 * prov_params_transaction_set_strict:
 * @self: a #ProvParamsTransaction
 * @strict: whether a parameter may be assigned twice with different values
 *
 * In strict mode, as D-Bus SetParameters uses it, naming one parameter twice
 * (by its name or an alias) with different values or access levels is an
 * error that fails the transaction (R7). Profiles are not strict: there
 * the last assignment wins (reference 1.2 rule 4).
 *
 * Since: 0.1
 */
void
prov_params_transaction_set_strict(ProvParamsTransaction *self, gboolean strict)
{
	g_return_if_fail(PROV_IS_PARAMS_TRANSACTION(self));
	self->strict = strict;
}

static gboolean
prov_params_transaction_check_open(ProvParamsTransaction *self, GError **error)
{
	if (self->state == PROV_PARAMS_TRANSACTION_OPEN)
		return TRUE;
	g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT, "the transaction is %s",
		    self->state == PROV_PARAMS_TRANSACTION_COMMITTED ? "committed" : "aborted");
	return FALSE;
}

static gboolean
prov_params_transaction_fail(
    ProvParamsTransaction *self, guint line, guint column, GError **error_local, GError **error)
{
	if (line > 0)
		g_prefix_error(error_local, "%u:%u: ", line, column);
	if (self->error == NULL)
		self->error = g_error_copy(*error_local);
	g_propagate_error(error, g_steal_pointer(error_local));
	return FALSE;
}

/**
 * prov_params_transaction_set:
 * @self: a #ProvParamsTransaction
 * @name: a parameter name or alias
 * @value: (nullable): the new value, or %NULL to leave the value as it is
 *   (a self-closing element, reference 1.2 rule 5)
 * @access: the new access level, or %PROV_ACCESS_UNSET to keep it
 * @invalid_access: (nullable): the text of a `ua` attribute that is not
 *   `na`, `ro` or `rw`, or %NULL
 * @line: the line of the assignment in its profile, or 0 when there is none
 * @column: its column
 * @error: return location for a #GError, or %NULL
 *
 * Adds one assignment. An unknown @name is skipped and counted, never an
 * error. For a known one, an @invalid_access or a @value that does not fit
 * the type is %PROV_ERROR_INVALID_VALUE, with a message
 * `LINE:COLUMN: Name: why` (`Name: why` when @line is 0) that never quotes
 * a secret value; it fails the whole transaction (R1), so commit will refuse.
 *
 * Booleans and enums are stored in their canonical spelling. A @value of
 * exactly two double quotes means the empty string (reference 1.2 rule 11).
 * When a name is assigned again, the later value and level win (R7).
 *
 * Returns: %TRUE if the assignment was accepted or skipped
 *
 * Since: 0.1
 */
gboolean
prov_params_transaction_set(ProvParamsTransaction *self,
			    const gchar *name,
			    const gchar *value,
			    ProvAccess access,
			    const gchar *invalid_access,
			    guint line,
			    guint column,
			    GError **error)
{
	g_autoptr(GError) error_local = NULL;
	const ProvParamDef *def;
	const gchar *canonical = NULL;
	ProvParamsRecord *record;
	guint position;

	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), FALSE);
	g_return_val_if_fail(name != NULL, FALSE);
	g_return_val_if_fail(access < PROV_ACCESS_LAST, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!prov_params_transaction_check_open(self, error))
		return FALSE;
	def = prov_params_lookup(self->params, name);
	if (def == NULL) {
		self->n_skipped++;
		prov_params_transaction_debug("%u:%u: unknown parameter %.256s skipped", line,
					      column, name);
		return TRUE;
	}
	self->n_assignments++;
	self->computed = FALSE;
	if (invalid_access != NULL) {
		g_autofree gchar *escaped = g_strescape(invalid_access, NULL);

		error_local = g_error_new(PROV_ERROR, PROV_ERROR_INVALID_VALUE,
					  "%s: invalid ua value \"%.64s\" (na, ro or rw)",
					  def->name, escaped);
		return prov_params_transaction_fail(self, line, column, &error_local, error);
	}
	if (value != NULL) {
		if (strcmp(value, "\"\"") == 0)
			value = "";
		canonical = prov_param_def_canonicalize(def, value, &error_local);
		if (canonical == NULL)
			return prov_params_transaction_fail(self, line, column, &error_local,
							    error);
	}

	position = prov_params_index_lookup(&self->record_index, def);
	if (position == 0) {
		ProvParamsRecord added = {def, NULL, access};

		if (canonical != NULL)
			added.value = g_string_chunk_insert(self->strings, canonical);
		g_array_append_val(self->records, added);
		prov_params_index_add(&self->record_index, def, self->records->len);
		return TRUE;
	}
	record = &g_array_index(self->records, ProvParamsRecord, position - 1);
	if (self->strict && ((canonical != NULL && record->value != NULL &&
			      strcmp(canonical, record->value) != 0) ||
			     (access != PROV_ACCESS_UNSET && record->access != PROV_ACCESS_UNSET &&
			      access != record->access))) {
		error_local = g_error_new(PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
					  "%s: given twice with different values", def->name);
		return prov_params_transaction_fail(self, line, column, &error_local, error);
	}
	/* an assignment without a value (self-closing) keeps the value an earlier one gave */
	if (canonical != NULL && (record->value == NULL || strcmp(record->value, canonical) != 0))
		record->value = g_string_chunk_insert(self->strings, canonical);
	if (access != PROV_ACCESS_UNSET)
		record->access = access;
	return TRUE;
}

static void
prov_params_transaction_compute(ProvParamsTransaction *self)
{
	self->n_applied = 0;
	self->n_unchanged = 0;
	self->restart_required = FALSE;
	g_array_set_size(self->changes, 0);
	g_ptr_array_set_size(self->changed, 0);
	for (guint i = 0; i < self->records->len; i++) {
		const ProvParamsRecord *record = &g_array_index(self->records, ProvParamsRecord, i);
		const ProvParamDef *def = record->def;
		ProvParamsChange change = {def, NULL, PROV_ACCESS_UNSET};

		if (record->value != NULL &&
		    strcmp(record->value, prov_param_def_get_effective_value(def)) != 0)
			change.value = record->value;
		if (record->access != PROV_ACCESS_UNSET &&
		    record->access != prov_param_def_get_effective_access(def))
			change.access = record->access;
		if (change.value == NULL && change.access == PROV_ACCESS_UNSET) {
			self->n_unchanged++;
			continue;
		}
		g_array_append_val(self->changes, change);
		g_ptr_array_add(self->changed, (gpointer)def->name);
		self->n_applied++;
		self->restart_required |= def->restart;
	}
	g_ptr_array_add(self->changed, NULL);
	self->computed = TRUE;
	self->computed_serial = prov_params_get_serial(self->params);
}

/**
 * prov_params_transaction_validate:
 * @self: a #ProvParamsTransaction
 * @error: return location for a #GError, or %NULL
 *
 * Works out what a commit would change, without writing anything or
 * changing any value: the counts, the changed names and the final list
 * (prov_params_transaction_foreach()) are then available. This is the
 * path of `provtool check`. The transaction stays open.
 *
 * Returns: %TRUE when every assignment was valid; otherwise the first error
 *
 * Since: 0.1
 */
gboolean
prov_params_transaction_validate(ProvParamsTransaction *self, GError **error)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (self->error != NULL) {
		g_propagate_error(error, g_error_copy(self->error));
		return FALSE;
	}
	if (self->state == PROV_PARAMS_TRANSACTION_ABORTED)
		return prov_params_transaction_check_open(self, error);
	prov_params_transaction_compute(self);
	return TRUE;
}

/**
 * prov_params_transaction_commit:
 * @self: a #ProvParamsTransaction
 * @error: return location for a #GError, or %NULL
 *
 * Applies every assignment, or none. The changes are computed against the
 * current values; when there are none, nothing is written and no signal is
 * emitted (R5, prov_params_transaction_is_unchanged()). Otherwise the state
 * file is written durably (R3), then memory changes, then
 * #ProvParams::changed is emitted (R6).
 *
 * An earlier invalid assignment makes this fail with that error. A failed
 * write leaves the state on disk and in memory as it was; the transaction
 * stays open and may be committed again.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
prov_params_transaction_commit(ProvParamsTransaction *self, GError **error)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!prov_params_transaction_check_open(self, error))
		return FALSE;
	if (self->error != NULL) {
		g_propagate_error(error, g_error_copy(self->error));
		return FALSE;
	}
	/*
	 * a validate just before (the engine's hardened-mode check) already
	 * compared every record with the current values: 100 000 comparisons
	 * on a large profile, not worth making twice when nothing moved since
	 */
	if (!self->computed || self->computed_serial != prov_params_get_serial(self->params))
		prov_params_transaction_compute(self);
	if (!prov_params_commit_changes(self->params, (const ProvParamsChange *)self->changes->data,
					self->changes->len,
					(const gchar *const *)self->changed->pdata, error)) {
		self->computed = FALSE;
		return FALSE;
	}
	self->state = PROV_PARAMS_TRANSACTION_COMMITTED;
	g_debug("transaction: %u applied, %u unchanged, %u skipped", self->n_applied,
		self->n_unchanged, self->n_skipped);
	return TRUE;
}

/**
 * prov_params_transaction_abort:
 * @self: a #ProvParamsTransaction
 *
 * Drops the transaction: nothing changes and commit will refuse.
 *
 * Since: 0.1
 */
void
prov_params_transaction_abort(ProvParamsTransaction *self)
{
	g_return_if_fail(PROV_IS_PARAMS_TRANSACTION(self));
	if (self->state == PROV_PARAMS_TRANSACTION_OPEN)
		self->state = PROV_PARAMS_TRANSACTION_ABORTED;
}

/**
 * prov_params_transaction_get_params:
 * @self: a #ProvParamsTransaction
 *
 * Returns: (transfer none): the parameters the transaction applies to
 *
 * Since: 0.1
 */
ProvParams *
prov_params_transaction_get_params(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), NULL);
	return self->params;
}

/**
 * prov_params_transaction_get_n_assignments:
 * @self: a #ProvParamsTransaction
 *
 * Returns: the number of assignments of known parameters, repeats included
 *
 * Since: 0.1
 */
guint
prov_params_transaction_get_n_assignments(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), 0);
	return self->n_assignments;
}

/**
 * prov_params_transaction_get_n_parameters:
 * @self: a #ProvParamsTransaction
 *
 * Returns: the number of distinct known parameters assigned
 *
 * Since: 0.1
 */
guint
prov_params_transaction_get_n_parameters(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), 0);
	return self->records->len;
}

/**
 * prov_params_transaction_get_n_applied:
 * @self: a #ProvParamsTransaction
 *
 * Returns: after validate or commit, the number of parameters whose value
 * or access level changes (or changed)
 *
 * Since: 0.1
 */
guint
prov_params_transaction_get_n_applied(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), 0);
	return self->computed ? self->n_applied : 0;
}

/**
 * prov_params_transaction_get_n_unchanged:
 * @self: a #ProvParamsTransaction
 *
 * Returns: after validate or commit, the number of assigned parameters that
 * already had the assigned value and level
 *
 * Since: 0.1
 */
guint
prov_params_transaction_get_n_unchanged(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), 0);
	return self->computed ? self->n_unchanged : 0;
}

/**
 * prov_params_transaction_get_n_skipped:
 * @self: a #ProvParamsTransaction
 *
 * Returns: the number of assignments of unknown names
 *
 * Since: 0.1
 */
guint
prov_params_transaction_get_n_skipped(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), 0);
	return self->n_skipped;
}

/**
 * prov_params_transaction_is_unchanged:
 * @self: a #ProvParamsTransaction
 *
 * Returns: %TRUE after a validate or commit that found nothing to change:
 * the result a resync reports as "unchanged" (R5)
 *
 * Since: 0.1
 */
gboolean
prov_params_transaction_is_unchanged(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), FALSE);
	return self->computed && self->n_applied == 0;
}

/**
 * prov_params_transaction_get_restart_required:
 * @self: a #ProvParamsTransaction
 *
 * Returns: %TRUE after a validate or commit when a changed parameter needs
 * a restart to take effect (reference 1.5 step 6)
 *
 * Since: 0.1
 */
gboolean
prov_params_transaction_get_restart_required(ProvParamsTransaction *self)
{
	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), FALSE);
	return self->computed && self->restart_required;
}

/**
 * prov_params_transaction_get_changed:
 * @self: a #ProvParamsTransaction
 *
 * Returns: (transfer none) (array zero-terminated=1): after validate or
 * commit, the canonical names that change, in the order of their first
 * assignment; empty before
 *
 * Since: 0.1
 */
const gchar *const *
prov_params_transaction_get_changed(ProvParamsTransaction *self)
{
	static const gchar *const empty[] = {NULL};

	g_return_val_if_fail(PROV_IS_PARAMS_TRANSACTION(self), empty);
	if (!self->computed)
		return empty;
	return (const gchar *const *)self->changed->pdata;
}

/**
 * prov_params_transaction_foreach:
 * @self: a #ProvParamsTransaction
 * @func: (scope call): called once per parameter
 * @user_data: data for @func
 *
 * Calls @func for each distinct known parameter of the transaction, in the
 * order of its first assignment, with its final value and access level
 * (R7): `provtool check` prints exactly this list.
 *
 * Since: 0.1
 */
void
prov_params_transaction_foreach(ProvParamsTransaction *self,
				ProvParamsTransactionFunc func,
				gpointer user_data)
{
	g_return_if_fail(PROV_IS_PARAMS_TRANSACTION(self));
	g_return_if_fail(func != NULL);

	for (guint i = 0; i < self->records->len; i++) {
		const ProvParamsRecord *record = &g_array_index(self->records, ProvParamsRecord, i);
		const gchar *value = record->value != NULL
					 ? record->value
					 : prov_param_def_get_effective_value(record->def);
		ProvAccess access = record->access != PROV_ACCESS_UNSET
					? record->access
					: prov_param_def_get_effective_access(record->def);

		func(record->def, value, access, user_data);
	}
}

static void
prov_params_transaction_dispose(GObject *object)
{
	ProvParamsTransaction *self = PROV_PARAMS_TRANSACTION(object);

	g_clear_object(&self->params);
	G_OBJECT_CLASS(prov_params_transaction_parent_class)->dispose(object);
}

static void
prov_params_transaction_finalize(GObject *object)
{
	ProvParamsTransaction *self = PROV_PARAMS_TRANSACTION(object);

	g_clear_error(&self->error);
	g_string_chunk_free(self->strings);
	g_array_unref(self->records);
	g_array_unref(self->changes);
	g_free(self->record_index.slots);
	g_ptr_array_unref(self->changed);
	G_OBJECT_CLASS(prov_params_transaction_parent_class)->finalize(object);
}

static void
prov_params_transaction_class_init(ProvParamsTransactionClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = prov_params_transaction_dispose;
	object_class->finalize = prov_params_transaction_finalize;
}

static void
prov_params_transaction_init(ProvParamsTransaction *self)
{
	self->strings = g_string_chunk_new(16 * 1024);
	self->records = g_array_new(FALSE, FALSE, sizeof(ProvParamsRecord));
	self->changes = g_array_new(FALSE, FALSE, sizeof(ProvParamsChange));
	self->record_index.mask = 63;
	self->record_index.slots = g_new0(ProvParamsSlot, self->record_index.mask + 1);
	self->changed = g_ptr_array_new();
	g_ptr_array_add(self->changed, NULL);
}

/**
 * prov_params_transaction_new:
 * @params: the parameters to change
 *
 * Begins a transaction: prov_params_transaction_set() for each assignment,
 * then prov_params_transaction_commit() (or _validate() for a dry run, or
 * _abort()). Nothing changes before the commit.
 *
 * Returns: (transfer full): a new #ProvParamsTransaction
 *
 * Since: 0.1
 */
ProvParamsTransaction *
prov_params_transaction_new(ProvParams *params)
{
	ProvParamsTransaction *self;

	g_return_val_if_fail(PROV_IS_PARAMS(params), NULL);
	self = g_object_new(PROV_TYPE_PARAMS_TRANSACTION, NULL);
	self->params = g_object_ref(params);
	return self;
}
