/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvDecodeContext"

#include "config.h"

#include <string.h>

#include "prov-decode-context-private.h"

/**
 * ProvDecodeContext:
 *
 * What a #ProvDecoder needs besides the bytes: the rule's `--key`
 * passphrase (reference 8.4), the key derivation pinned with `--kdf`, the
 * behaviour profile (which digest to try first, reference 8.3) and the
 * output caps of requirement R17. After a decode it lists the formats that
 * ran, for the resync result. One context serves one profile.
 *
 * Since: 0.1
 */
struct _ProvDecodeContext {
	GObject parent_instance;
	guint8 *key;
	gsize key_length;
	ProvRuleKdf kdf;
	guint kdf_iterations;
	ProvBehaviour behaviour;
	gsize stage_max;
	gsize total_max;
	gsize output_max;
	GPtrArray *formats;
};

G_DEFINE_TYPE(ProvDecodeContext, prov_decode_context, G_TYPE_OBJECT)

/* the passphrase must not outlive its use in freed heap memory (reference 8.3 step 3) */
static void
prov_decode_context_clear_key(ProvDecodeContext *self)
{
	if (self->key == NULL)
		return;
	explicit_bzero(self->key, self->key_length);
	g_clear_pointer(&self->key, g_free);
	self->key_length = 0;
}

/**
 * prov_decode_context_set_key:
 * @self: a #ProvDecodeContext
 * @key: (nullable): the passphrase, used byte for byte; %NULL for none
 * @length: bytes in @key, or -1 when it is NUL-terminated
 *
 * Copies the passphrase of the rule's `--key`, after macro expansion
 * (`$SA`..`$SD`) and quote removal. The copy is wiped when it is replaced
 * or the context is freed. An empty key is kept as given: the decode
 * pipeline refuses it (R31).
 *
 * Since: 0.1
 */
void
prov_decode_context_set_key(ProvDecodeContext *self, const gchar *key, gssize length)
{
	g_return_if_fail(PROV_IS_DECODE_CONTEXT(self));

	prov_decode_context_clear_key(self);
	if (key == NULL)
		return;
	self->key_length = length < 0 ? strlen(key) : (gsize)length;
	/* one spare NUL byte so that the key never needs a second copy to be a C string */
	self->key = g_malloc0(self->key_length + 1);
	memcpy(self->key, key, self->key_length);
}

/**
 * prov_decode_context_get_key:
 * @self: a #ProvDecodeContext
 * @length: (out) (optional): bytes in the key
 *
 * Returns: (transfer none) (nullable): the passphrase (followed by a NUL
 * byte), or %NULL when the rule has no `--key`; never log it
 *
 * Since: 0.1
 */
const guint8 *
prov_decode_context_get_key(ProvDecodeContext *self, gsize *length)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), NULL);

	if (length != NULL)
		*length = self->key_length;
	return self->key;
}

/**
 * prov_decode_context_has_key:
 * @self: a #ProvDecodeContext
 *
 * Returns: %TRUE when a key (possibly empty) was set
 *
 * Since: 0.1
 */
gboolean
prov_decode_context_has_key(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), FALSE);

	return self->key != NULL;
}

/**
 * prov_decode_context_set_kdf:
 * @self: a #ProvDecodeContext
 * @kdf: the derivation pinned with `--kdf`, or %PROV_RULE_KDF_AUTO to detect it
 * @iterations: the PBKDF2 iteration count; 0 for the default
 *
 * Since: 0.1
 */
void
prov_decode_context_set_kdf(ProvDecodeContext *self, ProvRuleKdf kdf, guint iterations)
{
	g_return_if_fail(PROV_IS_DECODE_CONTEXT(self));
	g_return_if_fail((guint)kdf < PROV_RULE_KDF_LAST);

	self->kdf = kdf;
	if (kdf != PROV_RULE_KDF_PBKDF2)
		self->kdf_iterations = 0;
	else if (iterations == 0)
		self->kdf_iterations = PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS;
	else
		self->kdf_iterations = iterations;
}

/**
 * prov_decode_context_get_kdf:
 * @self: a #ProvDecodeContext
 * @iterations: (out) (optional): the PBKDF2 iteration count, 0 for the other derivations
 *
 * Returns: the pinned key derivation, or %PROV_RULE_KDF_AUTO
 *
 * Since: 0.1
 */
ProvRuleKdf
prov_decode_context_get_kdf(ProvDecodeContext *self, guint *iterations)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), PROV_RULE_KDF_AUTO);

	if (iterations != NULL)
		*iterations = self->kdf_iterations;
	return self->kdf;
}

/**
 * prov_decode_context_set_behaviour:
 * @self: a #ProvDecodeContext
 * @behaviour: the behaviour profile; it decides which digest the AES decoder
 *   tries first when the derivation is detected (spa: MD5, mpp: SHA-256)
 *
 * Since: 0.1
 */
void
prov_decode_context_set_behaviour(ProvDecodeContext *self, ProvBehaviour behaviour)
{
	g_return_if_fail(PROV_IS_DECODE_CONTEXT(self));
	g_return_if_fail((guint)behaviour < PROV_BEHAVIOUR_LAST);

	self->behaviour = behaviour;
}

/**
 * prov_decode_context_get_behaviour:
 * @self: a #ProvDecodeContext
 *
 * Returns: the behaviour profile, %PROV_BEHAVIOUR_MPP unless set
 *
 * Since: 0.1
 */
ProvBehaviour
prov_decode_context_get_behaviour(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), PROV_BEHAVIOUR_MPP);

	return self->behaviour;
}

/**
 * prov_decode_context_set_limits:
 * @self: a #ProvDecodeContext
 * @limits: the configured caps
 *
 * Takes the caps of R17 from the `[limits]` group: each stage may produce
 * at most `DecodedMax` bytes, and all stages together at most
 * `DecodedMax` + `FetchMax`. Decryption never produces more than it was
 * given, so a profile within `FetchMax` when fetched and within
 * `DecodedMax` when decompressed always fits both caps.
 *
 * Since: 0.1
 */
void
prov_decode_context_set_limits(ProvDecodeContext *self, const ProvLimits *limits)
{
	g_return_if_fail(PROV_IS_DECODE_CONTEXT(self));
	g_return_if_fail(limits != NULL);

	self->stage_max = limits->decoded_max;
	self->total_max = limits->decoded_max + limits->fetch_max;
	self->output_max = self->stage_max;
}

/**
 * prov_decode_context_get_stage_max:
 * @self: a #ProvDecodeContext
 *
 * Returns: the bytes one decoder may produce (`DecodedMax`)
 *
 * Since: 0.1
 */
gsize
prov_decode_context_get_stage_max(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), 0);

	return self->stage_max;
}

/**
 * prov_decode_context_get_total_max:
 * @self: a #ProvDecodeContext
 *
 * Returns: the bytes all stages of one decode may produce together
 *
 * Since: 0.1
 */
gsize
prov_decode_context_get_total_max(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), 0);

	return self->total_max;
}

/**
 * prov_decode_context_get_output_max:
 * @self: a #ProvDecodeContext
 *
 * What the decoder running now may produce: the per-stage cap, lowered by
 * what the earlier stages used of the total. A decoder checks it while it
 * streams, before its output grows past it, and fails with an error that
 * says the decoded size exceeds the limit.
 *
 * Returns: the output cap in bytes
 *
 * Since: 0.1
 */
gsize
prov_decode_context_get_output_max(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), 0);

	return self->output_max;
}

void
prov_decode_context_set_output_max(ProvDecodeContext *self, gsize output_max)
{
	self->output_max = output_max;
}

/**
 * prov_decode_context_get_formats:
 * @self: a #ProvDecodeContext
 *
 * Returns: (transfer none) (array zero-terminated=1): the formats of the
 * decoders that ran in the last decode, outermost first
 *
 * Since: 0.1
 */
const gchar *const *
prov_decode_context_get_formats(ProvDecodeContext *self)
{
	g_return_val_if_fail(PROV_IS_DECODE_CONTEXT(self), NULL);

	return (const gchar *const *)self->formats->pdata;
}

void
prov_decode_context_clear_formats(ProvDecodeContext *self)
{
	g_ptr_array_set_size(self->formats, 0);
	g_ptr_array_add(self->formats, NULL);
}

void
prov_decode_context_add_format(ProvDecodeContext *self, const gchar *format)
{
	/* keep the array NULL-terminated for prov_decode_context_get_formats() */
	g_ptr_array_insert(self->formats, (gint)self->formats->len - 1, g_strdup(format));
}

static void
prov_decode_context_finalize(GObject *object)
{
	ProvDecodeContext *self = PROV_DECODE_CONTEXT(object);

	prov_decode_context_clear_key(self);
	g_clear_pointer(&self->formats, g_ptr_array_unref);
	G_OBJECT_CLASS(prov_decode_context_parent_class)->finalize(object);
}

static void
prov_decode_context_class_init(ProvDecodeContextClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_decode_context_finalize;
}

static void
prov_decode_context_init(ProvDecodeContext *self)
{
	ProvLimits limits;

	prov_limits_init(&limits);
	self->kdf = PROV_RULE_KDF_AUTO;
	self->behaviour = PROV_BEHAVIOUR_MPP;
	self->formats = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(self->formats, NULL);
	prov_decode_context_set_limits(self, &limits);
}

/**
 * prov_decode_context_new:
 *
 * Returns: (transfer full): a context without a key, with the default caps
 *   and automatic key derivation
 *
 * Since: 0.1
 */
ProvDecodeContext *
prov_decode_context_new(void)
{
	return g_object_new(PROV_TYPE_DECODE_CONTEXT, NULL);
}
