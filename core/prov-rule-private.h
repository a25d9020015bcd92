/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The lexical pieces of reference 4.1 that the rule parser, the condition
 * parser and the macro expander (which must find --key arguments before the
 * rule is parsed) share, so that all three agree on where a quoted string or
 * a parenthesised group ends. Positions are byte offsets into @text; errors
 * name the 1-based column and never quote the text, because it may hold a
 * passphrase.
 */

gboolean
prov_rule_is_space(gchar c);
gboolean
prov_rule_skip_quoted(const gchar *text, gsize len, gsize *pos);
gboolean
prov_rule_read_quoted(const gchar *text, gsize len, gsize *pos, GString *value, GError **error);
gboolean
prov_rule_read_bare(const gchar *text, gsize len, gsize *pos, GString *value, GError **error);
gboolean
prov_rule_find_group_end(const gchar *text, gsize len, gsize open, gsize *close, GError **error);
void
prov_rule_append_quoted(GString *out, const gchar *value);
void
prov_rule_set_syntax_error(GError **error, gsize pos, const gchar *reason);

G_END_DECLS
