/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvRule"

#include "config.h"

#include <string.h>

#include "prov-condition-private.h"
#include "prov-error.h"
#include "prov-rule-private.h"
#include "prov-rule.h"

/* what prov_rule_to_string() and prov_rule_alternative_to_string() print for a credential */
#define PROV_RULE_REDACTED "********"

/* a recorded unknown option name is cut here: it is for a person to read, not to keep */
#define PROV_RULE_OPTION_NAME_MAX 64

/* RFC 1035 2.3.4 */
#define PROV_RULE_HOST_MAX 255

struct _ProvRuleAlternative {
	guint index;
	gsize pos;
	ProvCondition *condition;
	GPtrArray *assignment_names;
	GPtrArray *assignment_values;
	gboolean has_assignments;
	gboolean has_options;
	gchar *key;
	gchar *uid;
	gchar *pwd;
	gchar post;
	gchar alias;
	gboolean delta;
	gboolean status;
	ProvRuleKdf kdf;
	guint kdf_iterations;
	GPtrArray *unknown_options;
	gchar *url;
	gchar *scheme;
	gchar *host;
	guint16 port;
	gboolean port_explicit;
	gchar *path;
	gchar *query;
	gchar *path_and_query;
};

/**
 * ProvRule:
 *
 * A parsed profile rule (reference 4): its `|`-separated alternatives,
 * each with an optional condition, assignments, `[--options]` (`--key`,
 * `--alias`, `--uid`, `--pwd`, `--post`, `--kdf`) and URL. The text is parsed
 * after macro expansion; prov_rule_select() picks the alternative whose
 * condition holds. A rule that starts with `#` is commented out.
 *
 * Since: 0.1
 */
struct _ProvRule {
	GObject parent_instance;
	gboolean commented;
	GPtrArray *alternatives;
};

G_DEFINE_FINAL_TYPE(ProvRule, prov_rule, G_TYPE_OBJECT)

typedef struct {
	const gchar *text;
	gsize len;
	gsize pos;
} ProvRuleParser;

static const gchar *const prov_rule_kdf_names[] = {"auto", "md5", "sha256", "pbkdf2"};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_rule_kdf_names) == PROV_RULE_KDF_LAST);

/**
 * prov_rule_kdf_to_string:
 * @kdf: a #ProvRuleKdf
 *
 * Returns: (transfer none): the `--kdf` spelling (`auto` for no option), or
 * %NULL for a value out of range
 *
 * Since: 0.1
 */
const gchar *
prov_rule_kdf_to_string(ProvRuleKdf kdf)
{
	if ((guint)kdf >= PROV_RULE_KDF_LAST)
		return NULL;
	return prov_rule_kdf_names[kdf];
}

/**
 * prov_rule_kdf_from_string:
 * @text: `md5`, `sha256`, `pbkdf2` or `pbkdf2:ITER`, as `--kdf` takes it in a
 *   rule and on the provtool command line
 * @kdf: (out): the key derivation
 * @iterations: (out) (optional): the PBKDF2 iteration count
 *   (%PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS without `:ITER`), 0 for the others
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %PROV_ERROR_INVALID_ARGUMENT when @text is none of
 * these, or the iteration count is not from 1 to
 * %PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS
 *
 * Since: 0.1
 */
gboolean
prov_rule_kdf_from_string(const gchar *text, ProvRuleKdf *kdf, guint *iterations, GError **error)
{
	guint64 count = 0;

	g_return_val_if_fail(text != NULL, FALSE);
	g_return_val_if_fail(kdf != NULL, FALSE);

	if (g_strcmp0(text, "md5") == 0 || g_strcmp0(text, "sha256") == 0) {
		*kdf = text[0] == 'm' ? PROV_RULE_KDF_MD5 : PROV_RULE_KDF_SHA256;
		if (iterations != NULL)
			*iterations = 0;
		return TRUE;
	}
	if (g_strcmp0(text, "pbkdf2") == 0) {
		count = PROV_RULE_KDF_PBKDF2_DEFAULT_ITERATIONS;
	} else if (g_str_has_prefix(text, "pbkdf2:")) {
		const gchar *number = text + strlen("pbkdf2:");

		if (!g_ascii_isdigit(number[0]) ||
		    !g_ascii_string_to_unsigned(number, 10, 1, PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS,
						&count, NULL)) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "the pbkdf2 iteration count must be a number from 1 to %u",
				    (guint)PROV_RULE_KDF_PBKDF2_MAX_ITERATIONS);
			return FALSE;
		}
	} else {
		g_set_error_literal(
		    error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
		    "the key derivation must be md5, sha256, pbkdf2 or pbkdf2:ITER");
		return FALSE;
	}
	*kdf = PROV_RULE_KDF_PBKDF2;
	if (iterations != NULL)
		*iterations = (guint)count;
	return TRUE;
}

/* credentials: do not leave them behind in freed memory */
static void
prov_rule_secret_free(gchar *value)
{
	if (value == NULL)
		return;
	for (volatile gchar *p = value; *p != '\0'; p++)
		*p = '\0';
	g_free(value);
}

static void
prov_rule_alternative_free(ProvRuleAlternative *alternative)
{
	g_clear_pointer(&alternative->condition, prov_condition_unref);
	g_ptr_array_unref(alternative->assignment_names);
	g_ptr_array_unref(alternative->assignment_values);
	prov_rule_secret_free(alternative->key);
	prov_rule_secret_free(alternative->uid);
	prov_rule_secret_free(alternative->pwd);
	g_ptr_array_unref(alternative->unknown_options);
	g_free(alternative->url);
	g_free(alternative->scheme);
	g_free(alternative->host);
	g_free(alternative->path);
	g_free(alternative->query);
	g_free(alternative->path_and_query);
	g_free(alternative);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvRuleAlternative, prov_rule_alternative_free)

static ProvRuleAlternative *
prov_rule_alternative_new(guint index, gsize pos)
{
	ProvRuleAlternative *alternative = g_new0(ProvRuleAlternative, 1);

	alternative->index = index;
	alternative->pos = pos;
	alternative->assignment_names = g_ptr_array_new_with_free_func(g_free);
	alternative->assignment_values = g_ptr_array_new_with_free_func(g_free);
	alternative->unknown_options = g_ptr_array_new_null_terminated(1, g_free, TRUE);
	alternative->kdf = PROV_RULE_KDF_AUTO;
	return alternative;
}

static void
prov_rule_parser_skip_space(ProvRuleParser *parser)
{
	while (parser->pos < parser->len && prov_rule_is_space(parser->text[parser->pos]))
		parser->pos++;
}

static gboolean
prov_rule_parser_at(ProvRuleParser *parser, gchar c)
{
	return parser->pos < parser->len && parser->text[parser->pos] == c;
}

static gboolean
prov_rule_is_name_start(gchar c)
{
	return g_ascii_isalpha(c) || c == '_';
}

static gboolean
prov_rule_is_name_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '-' || c == '.';
}

/* reference 4.5: `NAME = "value" ;`, with a lone a..p standing for GPP_A..GPP_P */
static gboolean
prov_rule_parse_assignments(
    ProvRuleAlternative *alternative, const gchar *text, gsize start, gsize end, GError **error)
{
	gsize pos = start;

	for (;;) {
		gsize name_start;
		g_autofree gchar *name = NULL;
		g_autoptr(GString) value = g_string_new(NULL);

		while (pos < end && prov_rule_is_space(text[pos]))
			pos++;
		if (pos >= end)
			break;
		name_start = pos;
		if (!prov_rule_is_name_start(text[pos])) {
			prov_rule_set_syntax_error(error, pos, "expected a parameter name");
			return FALSE;
		}
		while (pos < end && prov_rule_is_name_char(text[pos]))
			pos++;
		name = g_strndup(text + name_start, pos - name_start);
		if (strlen(name) == 1 && name[0] >= 'a' && name[0] <= 'p') {
			g_free(name);
			name = g_strdup_printf("GPP_%c", g_ascii_toupper(text[name_start]));
		}
		while (pos < end && prov_rule_is_space(text[pos]))
			pos++;
		if (pos >= end || text[pos] != '=') {
			prov_rule_set_syntax_error(error, pos,
						   "expected '=' after the parameter name");
			return FALSE;
		}
		pos++;
		while (pos < end && prov_rule_is_space(text[pos]))
			pos++;
		if (pos >= end || text[pos] != '"') {
			prov_rule_set_syntax_error(error, pos, "expected a quoted value");
			return FALSE;
		}
		if (!prov_rule_read_quoted(text, end, &pos, value, error))
			return FALSE;
		while (pos < end && prov_rule_is_space(text[pos]))
			pos++;
		if (pos >= end || text[pos] != ';') {
			prov_rule_set_syntax_error(error, pos, "expected ';' after the value");
			return FALSE;
		}
		pos++;
		g_ptr_array_add(alternative->assignment_names, g_steal_pointer(&name));
		g_ptr_array_add(alternative->assignment_values,
				g_string_free(g_steal_pointer(&value), FALSE));
	}
	alternative->has_assignments = TRUE;
	return TRUE;
}

static gboolean
prov_rule_token_is(ProvRuleParser *parser, gsize start, const gchar *word)
{
	gsize word_len = strlen(word);

	return parser->pos - start == word_len && memcmp(parser->text + start, word, word_len) == 0;
}

/* ARG of reference 4.1: QUOTED or BARE, both with `\NNN` octal escapes (4.2) */
static gchar *
prov_rule_parse_argument(ProvRuleParser *parser, const gchar *option, GError **error)
{
	g_autoptr(GString) value = g_string_new(NULL);
	gboolean ok;

	prov_rule_parser_skip_space(parser);
	if (parser->pos >= parser->len || parser->text[parser->pos] == ']') {
		g_autofree gchar *reason = g_strdup_printf("option %s needs an argument", option);

		prov_rule_set_syntax_error(error, parser->pos, reason);
		return NULL;
	}
	if (parser->text[parser->pos] == '"')
		ok = prov_rule_read_quoted(parser->text, parser->len, &parser->pos, value, error);
	else
		ok = prov_rule_read_bare(parser->text, parser->len, &parser->pos, value, error);
	if (!ok) {
		prov_rule_secret_free(g_string_free(g_steal_pointer(&value), FALSE));
		return NULL;
	}
	return g_string_free(g_steal_pointer(&value), FALSE);
}

static gboolean
prov_rule_parse_credential(ProvRuleParser *parser,
			   const gchar *option,
			   gchar **target,
			   GError **error)
{
	gsize start;
	gchar *value;

	prov_rule_parser_skip_space(parser);
	start = parser->pos;
	value = prov_rule_parse_argument(parser, option, error);
	if (value == NULL)
		return FALSE;
	/* R31: there is no such thing as an empty passphrase */
	if (g_strcmp0(option, "--key") == 0 && value[0] == '\0') {
		g_free(value);
		prov_rule_set_syntax_error(error, start,
					   "option --key needs a non-empty passphrase");
		return FALSE;
	}
	/* reference 4.1 does not say; the last one wins, as with repeated parameters */
	prov_rule_secret_free(*target);
	*target = value;
	return TRUE;
}

static gboolean
prov_rule_parse_letter(ProvRuleParser *parser, const gchar *option, gchar *target, GError **error)
{
	gsize start;
	g_autofree gchar *value = NULL;

	prov_rule_parser_skip_space(parser);
	start = parser->pos;
	value = prov_rule_parse_argument(parser, option, error);
	if (value == NULL)
		return FALSE;
	if (strlen(value) != 1 || value[0] < 'a' || value[0] > 'p') {
		g_autofree gchar *reason =
		    g_strdup_printf("option %s needs a letter from a to p", option);

		prov_rule_set_syntax_error(error, start, reason);
		return FALSE;
	}
	*target = value[0];
	return TRUE;
}

/* DESIGN.md: `--kdf md5|sha256|pbkdf2[:ITER]` */
static gboolean
prov_rule_parse_kdf(ProvRuleParser *parser, ProvRuleAlternative *alternative, GError **error)
{
	gsize start;
	g_autofree gchar *value = NULL;
	g_autoptr(GError) error_local = NULL;

	prov_rule_parser_skip_space(parser);
	start = parser->pos;
	value = prov_rule_parse_argument(parser, "--kdf", error);
	if (value == NULL)
		return FALSE;
	if (!prov_rule_kdf_from_string(value, &alternative->kdf, &alternative->kdf_iterations,
				       &error_local)) {
		g_autofree gchar *reason =
		    g_strdup_printf("option --kdf: %s", error_local->message);

		prov_rule_set_syntax_error(error, start, reason);
		return FALSE;
	}
	return TRUE;
}

/*
 * reference 4.1: unknown options are ignored with a warning. Their arity is
 * unknown, so the words up to the next `--` option go with them. Only the
 * leading name characters are logged and kept: a mistyped `--key=…` must not
 * put its passphrase into the log.
 */
static gboolean
prov_rule_skip_unknown_option(ProvRuleParser *parser,
			      ProvRuleAlternative *alternative,
			      gsize start,
			      GError **error)
{
	gsize name_len = 0;
	g_autofree gchar *name = NULL;

	while (start + name_len < parser->pos && name_len < PROV_RULE_OPTION_NAME_MAX &&
	       (g_ascii_isalnum(parser->text[start + name_len]) ||
		parser->text[start + name_len] == '-' || parser->text[start + name_len] == '_'))
		name_len++;
	name = g_strndup(parser->text + start, name_len);
	g_warning("rule: ignoring unknown option %s at column %" G_GSIZE_FORMAT, name, start + 1);
	g_ptr_array_add(alternative->unknown_options, g_steal_pointer(&name));
	for (;;) {
		gsize word = 0;

		prov_rule_parser_skip_space(parser);
		if (parser->pos >= parser->len || parser->text[parser->pos] == ']')
			return TRUE;
		word = parser->pos;
		if (parser->text[word] == '"') {
			if (!prov_rule_skip_quoted(parser->text, parser->len, &parser->pos)) {
				prov_rule_set_syntax_error(error, word,
							   "unterminated quoted string");
				return FALSE;
			}
			continue;
		}
		if (parser->len - word >= 2 && parser->text[word] == '-' &&
		    parser->text[word + 1] == '-')
			return TRUE;
		while (parser->pos < parser->len &&
		       !prov_rule_is_space(parser->text[parser->pos]) &&
		       parser->text[parser->pos] != ']')
			parser->pos++;
	}
}

/* reference 4.1 and 4.2: `[ option* ]`, several options sharing one pair of brackets */
static gboolean
prov_rule_parse_options(ProvRuleParser *parser, ProvRuleAlternative *alternative, GError **error)
{
	gsize open = parser->pos++;

	alternative->has_options = TRUE;
	for (;;) {
		gsize start;
		gboolean ok = TRUE;

		prov_rule_parser_skip_space(parser);
		if (parser->pos >= parser->len) {
			prov_rule_set_syntax_error(error, open, "missing ']'");
			return FALSE;
		}
		if (prov_rule_parser_at(parser, ']')) {
			parser->pos++;
			return TRUE;
		}
		start = parser->pos;
		while (parser->pos < parser->len &&
		       !prov_rule_is_space(parser->text[parser->pos]) &&
		       parser->text[parser->pos] != ']')
			parser->pos++;
		if (parser->pos - start < 3 || parser->text[start] != '-' ||
		    parser->text[start + 1] != '-') {
			prov_rule_set_syntax_error(error, start,
						   "expected an option such as --key");
			return FALSE;
		}
		if (prov_rule_token_is(parser, start, "--key"))
			ok = prov_rule_parse_credential(parser, "--key", &alternative->key, error);
		else if (prov_rule_token_is(parser, start, "--uid"))
			ok = prov_rule_parse_credential(parser, "--uid", &alternative->uid, error);
		else if (prov_rule_token_is(parser, start, "--pwd"))
			ok = prov_rule_parse_credential(parser, "--pwd", &alternative->pwd, error);
		else if (prov_rule_token_is(parser, start, "--post"))
			ok = prov_rule_parse_letter(parser, "--post", &alternative->post, error);
		else if (prov_rule_token_is(parser, start, "--alias"))
			ok = prov_rule_parse_letter(parser, "--alias", &alternative->alias, error);
		else if (prov_rule_token_is(parser, start, "--delta"))
			alternative->delta = TRUE;
		else if (prov_rule_token_is(parser, start, "--status"))
			alternative->status = TRUE;
		else if (prov_rule_token_is(parser, start, "--kdf"))
			ok = prov_rule_parse_kdf(parser, alternative, error);
		else
			ok = prov_rule_skip_unknown_option(parser, alternative, start, error);
		if (!ok)
			return FALSE;
	}
}

static gboolean
prov_rule_is_host_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '-' || c == '.' || c == '_';
}

static gboolean
prov_rule_is_scheme(const gchar *text, gsize len)
{
	if (len == 0 || !g_ascii_isalpha(text[0]))
		return FALSE;
	for (gsize i = 1; i < len; i++) {
		if (!g_ascii_isalnum(text[i]) && text[i] != '+' && text[i] != '-' && text[i] != '.')
			return FALSE;
	}
	return TRUE;
}

static guint16
prov_rule_default_port(const gchar *scheme)
{
	if (g_strcmp0(scheme, "tftp") == 0)
		return 69;
	if (g_strcmp0(scheme, "http") == 0)
		return 80;
	if (g_strcmp0(scheme, "https") == 0)
		return 443;
	return 0;
}

/* `host`, `host:port`, `[v6]` or `[v6]:port`; an empty authority means "no server" */
static gboolean
prov_rule_parse_authority(ProvRuleAlternative *alternative,
			  const gchar *authority,
			  gsize pos,
			  GError **error)
{
	g_autofree gchar *host = NULL;
	const gchar *port = NULL;

	if (authority[0] == '\0')
		return TRUE;
	if (authority[0] == '[') {
		const gchar *close = strchr(authority, ']');

		if (close == NULL) {
			prov_rule_set_syntax_error(error, pos,
						   "missing ']' after the IPv6 address");
			return FALSE;
		}
		host = g_strndup(authority + 1, (gsize)(close - authority - 1));
		if (strchr(host, ':') == NULL || !g_hostname_is_ip_address(host)) {
			prov_rule_set_syntax_error(error, pos, "invalid IPv6 address");
			return FALSE;
		}
		if (close[1] == ':') {
			port = close + 2;
		} else if (close[1] != '\0') {
			prov_rule_set_syntax_error(error, pos,
						   "expected ':' after the IPv6 address");
			return FALSE;
		}
	} else {
		const gchar *colon = strchr(authority, ':');

		host = g_strndup(authority,
				 colon != NULL ? (gsize)(colon - authority) : strlen(authority));
		if (colon != NULL) {
			port = colon + 1;
			if (strchr(port, ':') != NULL) {
				prov_rule_set_syntax_error(error, pos,
							   "an IPv6 address must be in brackets");
				return FALSE;
			}
		}
		if (host[0] == '\0') {
			prov_rule_set_syntax_error(error, pos, "missing host before the port");
			return FALSE;
		}
		if (strlen(host) > PROV_RULE_HOST_MAX) {
			prov_rule_set_syntax_error(error, pos, "host name is too long");
			return FALSE;
		}
		for (const gchar *p = host; *p != '\0'; p++) {
			if (!prov_rule_is_host_char(*p)) {
				prov_rule_set_syntax_error(error, pos,
							   "invalid character in the host name");
				return FALSE;
			}
		}
	}
	if (port != NULL) {
		guint64 number = 0;

		if (!g_ascii_isdigit(port[0]) ||
		    !g_ascii_string_to_unsigned(port, 10, 1, G_MAXUINT16, &number, NULL)) {
			prov_rule_set_syntax_error(error, pos,
						   "the port must be a number from 1 to 65535");
			return FALSE;
		}
		alternative->port = (guint16)number;
		alternative->port_explicit = TRUE;
	}
	alternative->host = g_steal_pointer(&host);
	return TRUE;
}

/*
 * reference 4.3 looks for a host before the first `/` only when the text
 * there has a `.` or `:` or is `localhost`, so `192.168.1.130/profiles/init.cfg`
 * has a host and `/$MA.cfg` does not. A URL cannot start with `[`: there the
 * grammar opens the option list, so an IPv6 host needs a scheme
 * (`tftp://[2001:db8::1]/x.cfg`).
 */
static gboolean
prov_rule_looks_like_host(const gchar *text, gsize len)
{
	if (len == 0)
		return FALSE;
	if (memchr(text, '.', len) != NULL || memchr(text, ':', len) != NULL)
		return TRUE;
	return len == strlen("localhost") && g_ascii_strncasecmp(text, "localhost", len) == 0;
}

static gboolean
prov_rule_parse_url(
    ProvRuleAlternative *alternative, const gchar *text, gsize start, gsize end, GError **error)
{
	g_autofree gchar *url = g_strndup(text + start, end - start);
	g_autofree gchar *authority = NULL;
	const gchar *separator = strstr(url, "://");
	const gchar *rest = url;
	const gchar *path;
	const gchar *question;
	gboolean known;

	for (gsize i = start; i < end; i++) {
		if ((guchar)text[i] < 0x20 || text[i] == 0x7f) {
			prov_rule_set_syntax_error(error, i, "control character in the URL");
			return FALSE;
		}
	}
	if (separator != NULL && prov_rule_is_scheme(url, (gsize)(separator - url))) {
		alternative->scheme = g_ascii_strdown(url, separator - url);
		rest = separator + 3;
		path = rest + strcspn(rest, "/?");
		authority = g_strndup(rest, (gsize)(path - rest));
	} else {
		const gchar *slash = strchr(rest, '/');
		gsize before = slash != NULL ? (gsize)(slash - rest) : strlen(rest);

		/* reference 4.3: no scheme means TFTP */
		alternative->scheme = g_strdup("tftp");
		if (before > 0 && !prov_rule_looks_like_host(rest, before)) {
			prov_rule_set_syntax_error(error, start, "the path must start with '/'");
			return FALSE;
		}
		authority = g_strndup(rest, before);
		path = rest + before;
	}
	if (strchr(authority, '@') != NULL) {
		/* reference 4.3: credentials in a URL end up in logs; --uid and --pwd exist for
		 * them */
		prov_rule_set_syntax_error(
		    error, start, "user information is not allowed in a URL; use --uid and --pwd");
		return FALSE;
	}
	known = prov_rule_default_port(alternative->scheme) != 0;
	/* an unknown scheme (`gds://`) is kept so that the engine fails it as unsupported */
	if (known && path[0] != '/') {
		prov_rule_set_syntax_error(error, start,
					   path[0] == '\0' ? "missing path in the URL"
							   : "the path must start with '/'");
		return FALSE;
	}
	if (!prov_rule_parse_authority(alternative, authority, start, error))
		return FALSE;
	if (!alternative->port_explicit)
		alternative->port = prov_rule_default_port(alternative->scheme);
	question = strchr(path, '?');
	if (question != NULL) {
		alternative->path = g_strndup(path, (gsize)(question - path));
		alternative->query = g_strdup(question + 1);
	} else {
		alternative->path = g_strdup(path);
	}
	alternative->path_and_query = g_strdup(path);
	alternative->url = g_steal_pointer(&url);
	return TRUE;
}

/* condition and assignment groups: only their closing `)` tells which one a group is */
static gboolean
prov_rule_parse_groups(ProvRuleParser *parser, ProvRuleAlternative *alternative, GError **error)
{
	while (prov_rule_parser_at(parser, '(')) {
		gsize open = parser->pos;
		gsize close = 0;

		if (!prov_rule_find_group_end(parser->text, parser->len, open, &close, error))
			return FALSE;
		parser->pos = close + 1;
		prov_rule_parser_skip_space(parser);
		if (prov_rule_parser_at(parser, '?')) {
			if (alternative->condition != NULL) {
				prov_rule_set_syntax_error(error, open,
							   "an alternative has only one condition");
				return FALSE;
			}
			if (alternative->has_assignments) {
				prov_rule_set_syntax_error(
				    error, open, "the condition must come before the assignments");
				return FALSE;
			}
			alternative->condition =
			    prov_condition_new_from_range(parser->text, open + 1, close, error);
			if (alternative->condition == NULL)
				return FALSE;
		} else if (prov_rule_parser_at(parser, '!')) {
			if (alternative->has_assignments) {
				prov_rule_set_syntax_error(
				    error, open, "an alternative has only one assignment list");
				return FALSE;
			}
			if (!prov_rule_parse_assignments(alternative, parser->text, open + 1, close,
							 error))
				return FALSE;
		} else {
			prov_rule_set_syntax_error(error, parser->pos,
						   "expected '?' or '!' after ')'");
			return FALSE;
		}
		parser->pos++;
		prov_rule_parser_skip_space(parser);
	}
	return TRUE;
}

/* alternative := [ condition ] [ assignments ] [ options ] [ url ] (reference 4.1) */
static ProvRuleAlternative *
prov_rule_parse_alternative(ProvRuleParser *parser, guint index, GError **error)
{
	g_autoptr(ProvRuleAlternative) alternative = NULL;

	prov_rule_parser_skip_space(parser);
	alternative = prov_rule_alternative_new(index, parser->pos);
	if (!prov_rule_parse_groups(parser, alternative, error))
		return NULL;
	if (prov_rule_parser_at(parser, '[')) {
		if (!prov_rule_parse_options(parser, alternative, error))
			return NULL;
		prov_rule_parser_skip_space(parser);
	}
	if (prov_rule_parser_at(parser, '(')) {
		prov_rule_set_syntax_error(
		    error, parser->pos,
		    "a condition or an assignment list must come before the options");
		return NULL;
	}
	if (prov_rule_parser_at(parser, '[')) {
		prov_rule_set_syntax_error(error, parser->pos,
					   "an alternative has only one option list");
		return NULL;
	}
	/*
	 * a URL runs to whitespace or `|`: RFC 3986 has no raw `|` in a URL, so
	 * the separator of alternatives never needs to be told apart from one
	 */
	if (parser->pos < parser->len && !prov_rule_parser_at(parser, '|')) {
		gsize start = parser->pos;

		while (parser->pos < parser->len &&
		       !prov_rule_is_space(parser->text[parser->pos]) &&
		       parser->text[parser->pos] != '|')
			parser->pos++;
		if (!prov_rule_parse_url(alternative, parser->text, start, parser->pos, error))
			return NULL;
		prov_rule_parser_skip_space(parser);
	}
	if (parser->pos < parser->len && !prov_rule_parser_at(parser, '|')) {
		prov_rule_set_syntax_error(error, parser->pos,
					   alternative->url != NULL
					       ? "expected '|' or the end of the rule after the URL"
					       : "expected '|' or the end of the rule");
		return NULL;
	}
	return g_steal_pointer(&alternative);
}

/**
 * prov_rule_is_empty:
 * @self: a #ProvRule
 *
 * Returns: whether the rule is blank or commented out, so that it is
 * skipped without a fetch
 *
 * Since: 0.1
 */
gboolean
prov_rule_is_empty(ProvRule *self)
{
	g_return_val_if_fail(PROV_IS_RULE(self), FALSE);
	return self->alternatives->len == 0;
}

/**
 * prov_rule_is_commented:
 * @self: a #ProvRule
 *
 * Returns: whether the first non-blank character of the rule is `#`
 *
 * Since: 0.1
 */
gboolean
prov_rule_is_commented(ProvRule *self)
{
	g_return_val_if_fail(PROV_IS_RULE(self), FALSE);
	return self->commented;
}

/**
 * prov_rule_get_n_alternatives:
 * @self: a #ProvRule
 *
 * Returns: the number of alternatives; 0 for an empty or commented rule
 *
 * Since: 0.1
 */
guint
prov_rule_get_n_alternatives(ProvRule *self)
{
	g_return_val_if_fail(PROV_IS_RULE(self), 0);
	return self->alternatives->len;
}

/**
 * prov_rule_get_alternative:
 * @self: a #ProvRule
 * @index: from 0 to prov_rule_get_n_alternatives() - 1
 *
 * Returns: (transfer none): the alternative, owned by @self
 *
 * Since: 0.1
 */
const ProvRuleAlternative *
prov_rule_get_alternative(ProvRule *self, guint index)
{
	g_return_val_if_fail(PROV_IS_RULE(self), NULL);
	g_return_val_if_fail(index < self->alternatives->len, NULL);
	return g_ptr_array_index(self->alternatives, index);
}

/**
 * prov_rule_select:
 * @self: a #ProvRule
 * @swver: (nullable): the software version, for the legacy condition form
 *
 * Picks the first alternative whose condition holds or that has none
 * (reference 4.1). A condition error (4.4) is logged as a warning and counts
 * as false.
 *
 * Returns: (transfer none) (nullable): the selected alternative, or %NULL
 * when none is: the rule is then skipped, which is not a failure
 *
 * Since: 0.1
 */
const ProvRuleAlternative *
prov_rule_select(ProvRule *self, const gchar *swver)
{
	g_return_val_if_fail(PROV_IS_RULE(self), NULL);

	for (guint i = 0; i < self->alternatives->len; i++) {
		const ProvRuleAlternative *alternative = g_ptr_array_index(self->alternatives, i);
		gboolean result = FALSE;
		g_autoptr(GError) error = NULL;

		if (alternative->condition == NULL)
			return alternative;
		if (!prov_condition_evaluate_full(alternative->condition, swver, &result, &error)) {
			g_warning("condition error in alternative %u: %s", i + 1, error->message);
			continue;
		}
		if (result)
			return alternative;
	}
	return NULL;
}

/**
 * prov_rule_to_string:
 * @self: a #ProvRule
 *
 * Prints the parsed rule, alternatives joined by ` | `, each as
 * prov_rule_alternative_to_string() does (credentials replaced by
 * `********`); a commented rule prints as `#`.
 *
 * Returns: (transfer full): the rule text, safe to log
 *
 * Since: 0.1
 */
gchar *
prov_rule_to_string(ProvRule *self)
{
	g_autoptr(GString) out = g_string_new(NULL);

	g_return_val_if_fail(PROV_IS_RULE(self), NULL);

	if (self->commented)
		return g_strdup("#");
	for (guint i = 0; i < self->alternatives->len; i++) {
		g_autofree gchar *text =
		    prov_rule_alternative_to_string(g_ptr_array_index(self->alternatives, i));

		if (i > 0)
			g_string_append(out, " | ");
		g_string_append(out, text);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/**
 * prov_rule_alternative_get_index:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: the position of @alternative in its rule, from 0
 *
 * Since: 0.1
 */
guint
prov_rule_alternative_get_index(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, 0);
	return alternative->index;
}

/**
 * prov_rule_alternative_get_condition:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the condition, or %NULL when the
 * alternative has none
 *
 * Since: 0.1
 */
ProvCondition *
prov_rule_alternative_get_condition(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->condition;
}

/**
 * prov_rule_alternative_get_n_assignments:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: the number of assignments of `( … )!`, in rule order
 *
 * Since: 0.1
 */
guint
prov_rule_alternative_get_n_assignments(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, 0);
	return alternative->assignment_names->len;
}

/**
 * prov_rule_alternative_get_assignment_name:
 * @alternative: a #ProvRuleAlternative
 * @index: an assignment index
 *
 * Returns: (transfer none): the parameter name; a lone letter `a`…`p` is
 * returned as `GPP_A`…`GPP_P`
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_assignment_name(const ProvRuleAlternative *alternative, guint index)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	g_return_val_if_fail(index < alternative->assignment_names->len, NULL);
	return g_ptr_array_index(alternative->assignment_names, index);
}

/**
 * prov_rule_alternative_get_assignment_value:
 * @alternative: a #ProvRuleAlternative
 * @index: an assignment index
 *
 * Returns: (transfer none): the value with quotes and escapes removed; it
 * was macro-expanded with the rule and must not be expanded again
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_assignment_value(const ProvRuleAlternative *alternative, guint index)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	g_return_val_if_fail(index < alternative->assignment_values->len, NULL);
	return g_ptr_array_index(alternative->assignment_values, index);
}

/**
 * prov_rule_alternative_get_key:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the `--key` passphrase, unquoted and
 * unescaped, never empty; never log it
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_key(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->key;
}

/**
 * prov_rule_alternative_get_uid:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the `--uid` user name
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_uid(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->uid;
}

/**
 * prov_rule_alternative_get_pwd:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the `--pwd` password; never log it
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_pwd(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->pwd;
}

/**
 * prov_rule_alternative_get_post:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: the `--post` letter `a`…`p` (the body is GPP_A…GPP_P), or `\0`
 *
 * Since: 0.1
 */
gchar
prov_rule_alternative_get_post(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, '\0');
	return alternative->post;
}

/**
 * prov_rule_alternative_get_alias:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: the `--alias` letter `a`…`p` (the map is in GPP_A…GPP_P), or `\0`
 *
 * Since: 0.1
 */
gchar
prov_rule_alternative_get_alias(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, '\0');
	return alternative->alias;
}

/**
 * prov_rule_alternative_get_delta:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: whether `--delta` was given (Report_Rule)
 *
 * Since: 0.1
 */
gboolean
prov_rule_alternative_get_delta(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, FALSE);
	return alternative->delta;
}

/**
 * prov_rule_alternative_get_status:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: whether `--status` was given (Report_Rule)
 *
 * Since: 0.1
 */
gboolean
prov_rule_alternative_get_status(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, FALSE);
	return alternative->status;
}

/**
 * prov_rule_alternative_get_kdf:
 * @alternative: a #ProvRuleAlternative
 * @iterations: (out) (optional): the PBKDF2 iteration count, 0 for the
 *   other derivations
 *
 * Returns: the key derivation pinned with `--kdf`, or %PROV_RULE_KDF_AUTO
 *
 * Since: 0.1
 */
ProvRuleKdf
prov_rule_alternative_get_kdf(const ProvRuleAlternative *alternative, guint *iterations)
{
	g_return_val_if_fail(alternative != NULL, PROV_RULE_KDF_AUTO);
	if (iterations != NULL)
		*iterations = alternative->kdf_iterations;
	return alternative->kdf;
}

/**
 * prov_rule_alternative_get_unknown_options:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (array zero-terminated=1): the names of the
 * options that were ignored, possibly none
 *
 * Since: 0.1
 */
const gchar *const *
prov_rule_alternative_get_unknown_options(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return (const gchar *const *)alternative->unknown_options->pdata;
}

/**
 * prov_rule_alternative_has_url:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: whether the alternative fetches anything; one with only a
 * condition or assignments does not
 *
 * Since: 0.1
 */
gboolean
prov_rule_alternative_has_url(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, FALSE);
	return alternative->url != NULL;
}

/**
 * prov_rule_alternative_get_url:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the URL as written in the rule
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_url(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->url;
}

/**
 * prov_rule_alternative_get_scheme:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the scheme in lower case, `tftp` when
 * the URL has none; other schemes than tftp, http and https are kept as
 * written so that the engine can fail them as unsupported
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_scheme(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->scheme;
}

/**
 * prov_rule_alternative_get_host:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the host (an IPv6 address without
 * its brackets), or %NULL when the URL names none and the default
 * provisioning server applies
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_host(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->host;
}

/**
 * prov_rule_alternative_get_port:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: the port given in the URL, else the scheme's default (69, 80,
 * 443); 0 for an unknown scheme without one
 *
 * Since: 0.1
 */
guint16
prov_rule_alternative_get_port(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, 0);
	return alternative->port;
}

/**
 * prov_rule_alternative_has_explicit_port:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: whether the URL names its port
 *
 * Since: 0.1
 */
gboolean
prov_rule_alternative_has_explicit_port(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, FALSE);
	return alternative->port_explicit;
}

/**
 * prov_rule_alternative_get_path:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the path without the query, starting
 * with `/` for tftp, http and https
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_path(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->path;
}

/**
 * prov_rule_alternative_get_query:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the text after `?`, which may be
 * empty (`reflect.pl?` keeps its `?`), or %NULL when the URL has no `?`
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_query(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->query;
}

/**
 * prov_rule_alternative_get_path_and_query:
 * @alternative: a #ProvRuleAlternative
 *
 * Returns: (transfer none) (nullable): the path with `?query` when present,
 * as the value of `$PATH` (reference 3.3), the HTTP request target and the
 * TFTP file name
 *
 * Since: 0.1
 */
const gchar *
prov_rule_alternative_get_path_and_query(const ProvRuleAlternative *alternative)
{
	g_return_val_if_fail(alternative != NULL, NULL);
	return alternative->path_and_query;
}

/**
 * prov_rule_alternative_build_url:
 * @alternative: a #ProvRuleAlternative
 * @default_host: (nullable): the host to use when the URL names none: the
 *   DHCP-learnt server for configured rules, the requesting host for a
 *   one-shot web resync (reference 7.1); a host or address without port
 *
 * Returns: (transfer full) (nullable): `scheme://host[:port]/path[?query]`,
 * with the port only when the rule gave it; %NULL when the alternative has
 * no URL, or neither it nor @default_host names a host
 *
 * Since: 0.1
 */
gchar *
prov_rule_alternative_build_url(const ProvRuleAlternative *alternative, const gchar *default_host)
{
	const gchar *host;
	GString *out;

	g_return_val_if_fail(alternative != NULL, NULL);

	if (alternative->url == NULL)
		return NULL;
	host = alternative->host != NULL ? alternative->host : default_host;
	if (host == NULL)
		return NULL;
	out = g_string_new(alternative->scheme);
	g_string_append(out, "://");
	if (strchr(host, ':') != NULL && host[0] != '[')
		g_string_append_printf(out, "[%s]", host);
	else
		g_string_append(out, host);
	if (alternative->port_explicit)
		g_string_append_printf(out, ":%u", alternative->port);
	g_string_append(out, alternative->path_and_query);
	return g_string_free(out, FALSE);
}

static void
prov_rule_append_option(GString *options, const gchar *option, const gchar *value)
{
	if (options->len > 0)
		g_string_append_c(options, ' ');
	g_string_append(options, option);
	if (value != NULL) {
		g_string_append_c(options, ' ');
		g_string_append(options, value);
	}
}

/**
 * prov_rule_alternative_to_string:
 * @alternative: a #ProvRuleAlternative
 *
 * Prints the alternative in the rule syntax, with the values of `--key`,
 * `--uid` and `--pwd` replaced by `********` and unknown options left out.
 * The text parses back to an alternative that prints the same.
 *
 * Returns: (transfer full): the alternative, safe to log
 *
 * Since: 0.1
 */
gchar *
prov_rule_alternative_to_string(const ProvRuleAlternative *alternative)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autoptr(GString) options = g_string_new(NULL);

	g_return_val_if_fail(alternative != NULL, NULL);

	if (alternative->condition != NULL) {
		g_autofree gchar *condition = prov_condition_to_string(alternative->condition);

		g_string_append_printf(out, "(%s)?", condition);
	}
	if (alternative->has_assignments) {
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append_c(out, '(');
		for (guint i = 0; i < alternative->assignment_names->len; i++) {
			g_string_append_printf(
			    out, " %s = ",
			    (const gchar *)g_ptr_array_index(alternative->assignment_names, i));
			prov_rule_append_quoted(
			    out, g_ptr_array_index(alternative->assignment_values, i));
			g_string_append_c(out, ';');
		}
		g_string_append(out, " )!");
	}
	if (alternative->key != NULL)
		prov_rule_append_option(options, "--key", PROV_RULE_REDACTED);
	if (alternative->uid != NULL)
		prov_rule_append_option(options, "--uid", PROV_RULE_REDACTED);
	if (alternative->pwd != NULL)
		prov_rule_append_option(options, "--pwd", PROV_RULE_REDACTED);
	if (alternative->post != '\0') {
		gchar letter[2] = {alternative->post, '\0'};

		prov_rule_append_option(options, "--post", letter);
	}
	if (alternative->alias != '\0') {
		gchar letter[2] = {alternative->alias, '\0'};

		prov_rule_append_option(options, "--alias", letter);
	}
	if (alternative->delta)
		prov_rule_append_option(options, "--delta", NULL);
	if (alternative->status)
		prov_rule_append_option(options, "--status", NULL);
	if (alternative->kdf == PROV_RULE_KDF_PBKDF2) {
		g_autofree gchar *kdf = g_strdup_printf("pbkdf2:%u", alternative->kdf_iterations);

		prov_rule_append_option(options, "--kdf", kdf);
	} else if (alternative->kdf != PROV_RULE_KDF_AUTO) {
		prov_rule_append_option(options, "--kdf",
					prov_rule_kdf_to_string(alternative->kdf));
	}
	if (alternative->has_options) {
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append_printf(out, "[%s]", options->str);
	}
	if (alternative->url != NULL) {
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append(out, alternative->url);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

static void
prov_rule_finalize(GObject *object)
{
	ProvRule *self = PROV_RULE(object);

	g_ptr_array_unref(self->alternatives);
	G_OBJECT_CLASS(prov_rule_parent_class)->finalize(object);
}

static void
prov_rule_class_init(ProvRuleClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->finalize = prov_rule_finalize;
}

static void
prov_rule_init(ProvRule *self)
{
	self->alternatives =
	    g_ptr_array_new_with_free_func((GDestroyNotify)prov_rule_alternative_free);
}

/**
 * prov_rule_new_from_string:
 * @text: a rule after macro expansion (prov_macro_expand_rule())
 * @error: return location for a #GError
 *
 * Parses the rule grammar of reference 4.1: alternatives separated by `|`,
 * each with an optional condition `( … )?`, an optional assignment list
 * `( NAME = "value" ; … )!`, an optional option list `[ … ]` and an optional
 * URL (4.3). A rule whose first non-blank character is `#`, and a blank
 * rule, parse to a rule without alternatives (skipped, not failed).
 *
 * A `|` outside quoted strings, parentheses and brackets always separates
 * alternatives; a URL cannot contain a raw one. Unknown options are ignored
 * with a warning. Values of `--key`, `--uid` and `--pwd` never appear in an
 * error message or a log line.
 *
 * Returns: (transfer full): the rule, or %NULL with %PROV_ERROR_RULE_SYNTAX
 * giving the column (1-based, in bytes) and the reason
 *
 * Since: 0.1
 */
ProvRule *
prov_rule_new_from_string(const gchar *text, GError **error)
{
	g_autoptr(ProvRule) self = NULL;
	ProvRuleParser parser = {text, 0, 0};
	const gchar *invalid = NULL;

	g_return_val_if_fail(text != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(PROV_TYPE_RULE, NULL);
	parser.len = strlen(text);
	prov_rule_parser_skip_space(&parser);
	if (parser.pos >= parser.len)
		return g_steal_pointer(&self);
	if (prov_rule_parser_at(&parser, '#')) {
		self->commented = TRUE;
		return g_steal_pointer(&self);
	}
	if (!g_utf8_validate_len(text, parser.len, &invalid)) {
		prov_rule_set_syntax_error(error, (gsize)(invalid - text), "invalid UTF-8");
		return NULL;
	}
	for (;;) {
		ProvRuleAlternative *alternative =
		    prov_rule_parse_alternative(&parser, self->alternatives->len, error);

		if (alternative == NULL)
			return NULL;
		g_ptr_array_add(self->alternatives, alternative);
		if (parser.pos >= parser.len)
			break;
		/* reference 4.1: only the last alternative may go without a condition */
		if (alternative->condition == NULL) {
			prov_rule_set_syntax_error(
			    error, alternative->pos,
			    "only the last alternative may have no condition");
			return NULL;
		}
		parser.pos++;
	}
	return g_steal_pointer(&self);
}
