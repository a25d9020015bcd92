/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvCondition"

#include "config.h"

#include <string.h>

#include "prov-condition-private.h"
#include "prov-error.h"
#include "prov-rule-private.h"
#include "prov-version-private.h"

typedef enum {
	PROV_CONDITION_OP_EQ,
	PROV_CONDITION_OP_NE,
	PROV_CONDITION_OP_LT,
	PROV_CONDITION_OP_LE,
	PROV_CONDITION_OP_GT,
	PROV_CONDITION_OP_GE,
	PROV_CONDITION_OP_LAST
} ProvConditionOp;

static const gchar *const prov_condition_op_names[] = {"eq", "ne", "lt", "le", "gt", "ge"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_condition_op_names) == PROV_CONDITION_OP_LAST);

/* reference 4.4, literal typing rules 1-3; SWVER is the left side of the legacy form */
typedef enum {
	PROV_CONDITION_OPERAND_STRING,
	PROV_CONDITION_OPERAND_INTEGER,
	PROV_CONDITION_OPERAND_VERSION,
	PROV_CONDITION_OPERAND_SWVER,
	PROV_CONDITION_OPERAND_LAST
} ProvConditionOperandKind;

typedef struct {
	ProvConditionOperandKind kind;
	gchar *text;
	gint64 integer;
	ProvVersion *version;
} ProvConditionOperand;

typedef struct {
	ProvConditionOperand left;
	ProvConditionOperand right;
	ProvConditionOp op;
	gsize pos;
} ProvConditionComparison;

struct _ProvCondition {
	gatomicrefcount ref_count;
	GArray *comparisons;
};

G_DEFINE_BOXED_TYPE(ProvCondition, prov_condition, prov_condition_ref, prov_condition_unref)

typedef enum {
	PROV_CONDITION_TOKEN_END,
	PROV_CONDITION_TOKEN_STRING,
	PROV_CONDITION_TOKEN_WORD,
	PROV_CONDITION_TOKEN_OP,
	PROV_CONDITION_TOKEN_AND,
	PROV_CONDITION_TOKEN_LAST
} ProvConditionTokenKind;

typedef struct {
	ProvConditionTokenKind kind;
	gsize pos;
	gchar *text;
	ProvConditionOp op;
} ProvConditionToken;

typedef struct {
	const gchar *text;
	gsize pos;
	gsize end;
} ProvConditionLexer;

static void
prov_condition_operand_clear(ProvConditionOperand *operand)
{
	g_clear_pointer(&operand->text, g_free);
	g_clear_pointer(&operand->version, prov_version_free);
}

static void
prov_condition_comparison_clear(gpointer data)
{
	ProvConditionComparison *comparison = data;

	prov_condition_operand_clear(&comparison->left);
	prov_condition_operand_clear(&comparison->right);
}

static void
prov_condition_token_clear(ProvConditionToken *token)
{
	g_clear_pointer(&token->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ProvConditionToken, prov_condition_token_clear)

/**
 * prov_condition_ref:
 * @self: a #ProvCondition
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
ProvCondition *
prov_condition_ref(ProvCondition *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_ref_count_inc(&self->ref_count);
	return self;
}

/**
 * prov_condition_unref:
 * @self: (transfer full): a #ProvCondition
 *
 * Since: 0.1
 */
void
prov_condition_unref(ProvCondition *self)
{
	g_return_if_fail(self != NULL);
	if (!g_atomic_ref_count_dec(&self->ref_count))
		return;
	g_array_unref(self->comparisons);
	g_free(self);
}

static gboolean
prov_condition_is_operator_char(gchar c)
{
	return c == '=' || c == '!' || c == '<' || c == '>';
}

/* the word and symbol spellings of reference 4.4; `<` and `>` exist only outside XML */
static gboolean
prov_condition_lexer_next(ProvConditionLexer *lexer, ProvConditionToken *token, GError **error)
{
	const gchar *text = lexer->text;
	gsize start;

	while (lexer->pos < lexer->end && prov_rule_is_space(text[lexer->pos]))
		lexer->pos++;
	start = lexer->pos;
	token->pos = start;
	token->text = NULL;
	if (start >= lexer->end) {
		token->kind = PROV_CONDITION_TOKEN_END;
		return TRUE;
	}
	if (text[start] == '"') {
		g_autoptr(GString) value = g_string_new(NULL);

		if (!prov_rule_read_quoted(text, lexer->end, &lexer->pos, value, error))
			return FALSE;
		token->kind = PROV_CONDITION_TOKEN_STRING;
		token->text = g_string_free(g_steal_pointer(&value), FALSE);
		return TRUE;
	}
	if (prov_condition_is_operator_char(text[start])) {
		gboolean equals_next = start + 1 < lexer->end && text[start + 1] == '=';

		token->kind = PROV_CONDITION_TOKEN_OP;
		lexer->pos++;
		switch (text[start]) {
		case '=':
			token->op = PROV_CONDITION_OP_EQ;
			break;
		case '!':
			/* a lone `!` is the legacy spelling of `!=` */
			token->op = PROV_CONDITION_OP_NE;
			break;
		case '<':
			token->op = equals_next ? PROV_CONDITION_OP_LE : PROV_CONDITION_OP_LT;
			break;
		default:
			token->op = equals_next ? PROV_CONDITION_OP_GE : PROV_CONDITION_OP_GT;
			break;
		}
		if (text[start] != '=' && equals_next)
			lexer->pos++;
		return TRUE;
	}
	while (lexer->pos < lexer->end && !prov_rule_is_space(text[lexer->pos]) &&
	       text[lexer->pos] != '"' && !prov_condition_is_operator_char(text[lexer->pos]))
		lexer->pos++;
	token->text = g_strndup(text + start, lexer->pos - start);
	token->kind = PROV_CONDITION_TOKEN_WORD;
	if (g_strcmp0(token->text, "and") == 0 || g_strcmp0(token->text, "AND") == 0) {
		token->kind = PROV_CONDITION_TOKEN_AND;
		return TRUE;
	}
	for (guint i = 0; i < PROV_CONDITION_OP_LAST; i++) {
		if (g_strcmp0(token->text, prov_condition_op_names[i]) == 0) {
			token->kind = PROV_CONDITION_TOKEN_OP;
			token->op = i;
			break;
		}
	}
	return TRUE;
}

static gboolean
prov_condition_is_integer_text(const gchar *text)
{
	const gchar *p = text;

	if (*p == '-')
		p++;
	if (*p == '\0')
		return FALSE;
	for (; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
	}
	return TRUE;
}

/*
 * typing rules 1-3: quoted is a string, -?[0-9]+ an integer, anything else a
 * version; an integer too large for 64 bits is read as a version, which then
 * fails as one (a condition error rather than a wrapped number)
 */
static gboolean
prov_condition_take_operand(ProvConditionToken *token,
			    ProvConditionOperand *operand,
			    GError **error)
{
	if (token->kind != PROV_CONDITION_TOKEN_STRING &&
	    token->kind != PROV_CONDITION_TOKEN_WORD) {
		prov_rule_set_syntax_error(error, token->pos, "expected an operand");
		return FALSE;
	}
	operand->text = g_steal_pointer(&token->text);
	if (token->kind == PROV_CONDITION_TOKEN_STRING) {
		operand->kind = PROV_CONDITION_OPERAND_STRING;
		return TRUE;
	}
	if (prov_condition_is_integer_text(operand->text) &&
	    g_ascii_string_to_signed(operand->text, 10, G_MININT64, G_MAXINT64, &operand->integer,
				     NULL)) {
		operand->kind = PROV_CONDITION_OPERAND_INTEGER;
		return TRUE;
	}
	operand->kind = PROV_CONDITION_OPERAND_VERSION;
	operand->version = prov_version_new_from_string(operand->text, NULL);
	return TRUE;
}

static gboolean
prov_condition_parse_comparison(ProvConditionLexer *lexer,
				ProvConditionComparison *comparison,
				GError **error)
{
	g_auto(ProvConditionToken) first = {0};
	g_auto(ProvConditionToken) op = {0};
	g_auto(ProvConditionToken) right = {0};

	if (!prov_condition_lexer_next(lexer, &first, error))
		return FALSE;
	comparison->pos = first.pos;
	if (first.kind == PROV_CONDITION_TOKEN_END) {
		prov_rule_set_syntax_error(error, first.pos, "expected a comparison");
		return FALSE;
	}
	if (first.kind == PROV_CONDITION_TOKEN_OP) {
		/* legacy firmware (< 2.0.6): `op operand` compares $SWVER */
		comparison->left.kind = PROV_CONDITION_OPERAND_SWVER;
		comparison->op = first.op;
	} else {
		if (!prov_condition_take_operand(&first, &comparison->left, error))
			return FALSE;
		if (!prov_condition_lexer_next(lexer, &op, error))
			return FALSE;
		if (op.kind != PROV_CONDITION_TOKEN_OP) {
			prov_rule_set_syntax_error(error, op.pos, "expected an operator");
			return FALSE;
		}
		comparison->op = op.op;
	}
	if (!prov_condition_lexer_next(lexer, &right, error))
		return FALSE;
	return prov_condition_take_operand(&right, &comparison->right, error);
}

ProvCondition *
prov_condition_new_from_range(const gchar *text, gsize start, gsize end, GError **error)
{
	g_autoptr(GArray) comparisons = NULL;
	ProvConditionLexer lexer = {text, start, end};
	ProvCondition *self;

	comparisons = g_array_new(FALSE, TRUE, sizeof(ProvConditionComparison));
	g_array_set_clear_func(comparisons, prov_condition_comparison_clear);
	for (;;) {
		ProvConditionComparison comparison = {0};
		g_auto(ProvConditionToken) next = {0};

		if (!prov_condition_parse_comparison(&lexer, &comparison, error)) {
			prov_condition_comparison_clear(&comparison);
			return NULL;
		}
		g_array_append_val(comparisons, comparison);
		if (!prov_condition_lexer_next(&lexer, &next, error))
			return NULL;
		if (next.kind == PROV_CONDITION_TOKEN_END)
			break;
		if (next.kind != PROV_CONDITION_TOKEN_AND) {
			/* there is no `or` and no `not` (reference 4.4): `|` alternatives do that
			 */
			prov_rule_set_syntax_error(error, next.pos, "expected 'and'");
			return NULL;
		}
	}
	self = g_new0(ProvCondition, 1);
	g_atomic_ref_count_init(&self->ref_count);
	self->comparisons = g_steal_pointer(&comparisons);
	return self;
}

/**
 * prov_condition_new_from_string:
 * @text: an expanded cond-expr, without the `( )?` of a rule
 * @error: return location for a #GError
 *
 * Parses `comparison ( and comparison )*` of reference 4.4. An operand that
 * is not a valid version is not a syntax error: it makes evaluation fail
 * (the "condition error" of the reference).
 *
 * Returns: (transfer full): the condition, or %NULL with
 * %PROV_ERROR_RULE_SYNTAX naming the column
 *
 * Since: 0.1
 */
ProvCondition *
prov_condition_new_from_string(const gchar *text, GError **error)
{
	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	return prov_condition_new_from_range(text, 0, strlen(text), error);
}

/**
 * prov_condition_parse_trigger:
 * @text: the expanded value of `Resync_Trigger_1` or `_2`
 * @condition: (out) (transfer full) (nullable): the condition, or %NULL
 *   when the trigger is not set
 * @error: return location for a #GError
 *
 * Reference 4.6: a trigger is a bare cond-expr; an empty value, or one whose
 * first non-blank character is `#`, means the trigger is not set.
 *
 * Returns: %FALSE with %PROV_ERROR_RULE_SYNTAX when the trigger cannot be
 * parsed
 *
 * Since: 0.1
 */
gboolean
prov_condition_parse_trigger(const gchar *text, ProvCondition **condition, GError **error)
{
	const gchar *p = text;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(condition != NULL, FALSE);

	*condition = NULL;
	while (prov_rule_is_space(*p))
		p++;
	if (*p == '\0' || *p == '#')
		return TRUE;
	*condition = prov_condition_new_from_string(text, error);
	return *condition != NULL;
}

/**
 * prov_condition_get_n_comparisons:
 * @self: a #ProvCondition
 *
 * Returns: the number of comparisons joined by `and`
 *
 * Since: 0.1
 */
guint
prov_condition_get_n_comparisons(ProvCondition *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->comparisons->len;
}

static gboolean
prov_condition_apply_op(ProvConditionOp op, gint cmp)
{
	switch (op) {
	case PROV_CONDITION_OP_EQ:
		return cmp == 0;
	case PROV_CONDITION_OP_NE:
		return cmp != 0;
	case PROV_CONDITION_OP_LT:
		return cmp < 0;
	case PROV_CONDITION_OP_LE:
		return cmp <= 0;
	case PROV_CONDITION_OP_GT:
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

/* typing rule 4: an integer is the version integer.0.0; a negative one is no version */
static ProvVersion *
prov_condition_operand_to_version(const ProvConditionOperand *operand,
				  const gchar *swver,
				  ProvVersion **owned)
{
	switch (operand->kind) {
	case PROV_CONDITION_OPERAND_SWVER:
		if (swver == NULL)
			return NULL;
		*owned = prov_version_new_from_string(swver, NULL);
		return *owned;
	case PROV_CONDITION_OPERAND_INTEGER:
		*owned = prov_version_new_from_string(operand->text, NULL);
		return *owned;
	default:
		return operand->version;
	}
}

static gboolean
prov_condition_compare(const ProvConditionComparison *comparison,
		       const gchar *swver,
		       gboolean *result,
		       GError **error)
{
	const ProvConditionOperand *left = &comparison->left;
	const ProvConditionOperand *right = &comparison->right;
	g_autoptr(ProvVersion) left_owned = NULL;
	g_autoptr(ProvVersion) right_owned = NULL;
	ProvVersion *left_version;
	ProvVersion *right_version;
	gboolean left_string = left->kind == PROV_CONDITION_OPERAND_STRING;
	gboolean right_string = right->kind == PROV_CONDITION_OPERAND_STRING;
	gboolean equality =
	    comparison->op == PROV_CONDITION_OP_EQ || comparison->op == PROV_CONDITION_OP_NE;

	if (left_string && right_string) {
		if (!equality) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
				    "column %" G_GSIZE_FORMAT
				    ": strings can only be compared with eq or ne",
				    comparison->pos + 1);
			return FALSE;
		}
		*result = prov_condition_apply_op(comparison->op, strcmp(left->text, right->text));
		return TRUE;
	}
	/* typing rule 4: a string never equals a number or a version, nor orders with one */
	if (left_string || right_string) {
		*result = comparison->op == PROV_CONDITION_OP_NE;
		return TRUE;
	}
	if (left->kind == PROV_CONDITION_OPERAND_INTEGER &&
	    right->kind == PROV_CONDITION_OPERAND_INTEGER) {
		gint cmp = (left->integer > right->integer) - (left->integer < right->integer);

		*result = prov_condition_apply_op(comparison->op, cmp);
		return TRUE;
	}
	left_version = prov_condition_operand_to_version(left, swver, &left_owned);
	if (left_version == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
			    "column %" G_GSIZE_FORMAT ": %s is not a version", comparison->pos + 1,
			    left->kind == PROV_CONDITION_OPERAND_SWVER ? "the software version"
								       : "the left operand");
		return FALSE;
	}
	right_version = prov_condition_operand_to_version(right, swver, &right_owned);
	if (right_version == NULL) {
		g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE,
			    "column %" G_GSIZE_FORMAT ": the right operand is not a version",
			    comparison->pos + 1);
		return FALSE;
	}
	*result = prov_condition_apply_op(comparison->op,
					  prov_version_compare(left_version, right_version));
	return TRUE;
}

/**
 * prov_condition_evaluate_full:
 * @self: a #ProvCondition
 * @swver: (nullable): the software version (`$SWVER`) for the legacy form
 *   `op operand`; %NULL if unknown
 * @result: (out): whether the condition holds
 * @error: return location for a #GError
 *
 * Evaluates every comparison, so that a malformed operand is reported even
 * when an earlier comparison is already false.
 *
 * Returns: %FALSE with %PROV_ERROR_INVALID_VALUE when an operand that must
 * be a version is not one, or strings are ordered: reference 4.4 calls this
 * a "condition error", and the condition counts as false
 *
 * Since: 0.1
 */
gboolean
prov_condition_evaluate_full(ProvCondition *self,
			     const gchar *swver,
			     gboolean *result,
			     GError **error)
{
	gboolean all = TRUE;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(result != NULL, FALSE);

	*result = FALSE;
	for (guint i = 0; i < self->comparisons->len; i++) {
		const ProvConditionComparison *comparison =
		    &g_array_index(self->comparisons, ProvConditionComparison, i);
		gboolean value = FALSE;

		if (!prov_condition_compare(comparison, swver, &value, error))
			return FALSE;
		all = all && value;
	}
	*result = all;
	return TRUE;
}

/**
 * prov_condition_evaluate:
 * @self: a #ProvCondition
 * @swver: (nullable): the software version for the legacy form
 *
 * Like prov_condition_evaluate_full(), but a condition error is logged as
 * the warning `condition error` and counts as false (reference 4.4).
 *
 * Returns: whether the condition holds
 *
 * Since: 0.1
 */
gboolean
prov_condition_evaluate(ProvCondition *self, const gchar *swver)
{
	gboolean result = FALSE;
	g_autoptr(GError) error = NULL;

	g_return_val_if_fail(self != NULL, FALSE);

	if (!prov_condition_evaluate_full(self, swver, &result, &error)) {
		g_warning("condition error: %s", error->message);
		return FALSE;
	}
	return result;
}

static void
prov_condition_append_operand(GString *out, const ProvConditionOperand *operand)
{
	if (operand->kind == PROV_CONDITION_OPERAND_STRING)
		prov_rule_append_quoted(out, operand->text);
	else
		g_string_append(out, operand->text);
}

/**
 * prov_condition_to_string:
 * @self: a #ProvCondition
 *
 * Prints the condition with the word spelling of each operator (`!` and
 * `!=` become `ne`, `<` becomes `lt`, ...), so the text fits in XML as it
 * is; the legacy form keeps its missing left operand. The result parses
 * back to an equal condition.
 *
 * Returns: (transfer full): the condition text
 *
 * Since: 0.1
 */
gchar *
prov_condition_to_string(ProvCondition *self)
{
	g_autoptr(GString) out = g_string_new(NULL);

	g_return_val_if_fail(self != NULL, NULL);

	for (guint i = 0; i < self->comparisons->len; i++) {
		const ProvConditionComparison *comparison =
		    &g_array_index(self->comparisons, ProvConditionComparison, i);

		if (i > 0)
			g_string_append(out, " and ");
		if (comparison->left.kind != PROV_CONDITION_OPERAND_SWVER) {
			prov_condition_append_operand(out, &comparison->left);
			g_string_append_c(out, ' ');
		}
		g_string_append(out, prov_condition_op_names[comparison->op]);
		g_string_append_c(out, ' ');
		prov_condition_append_operand(out, &comparison->right);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}
