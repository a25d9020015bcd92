/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#define G_LOG_DOMAIN "ProvLog"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "prov-error.h"
#include "prov-log.h"

/*
 * The daemon's log filter. GLib's default writer takes its verbosity from
 * G_MESSAGES_DEBUG; the daemon's comes from -v/-vv, --log-domains= and the
 * D-Bus SetLogLevel method instead (STYLE.md section 10), and may change while
 * it runs, from the main thread, while other threads log: hence the lock.
 */
static GMutex prov_log_mutex;
static ProvLogLevel prov_log_level = PROV_LOG_LEVEL_MESSAGE;
static gchar **prov_log_domains = NULL;
static gboolean prov_log_to_journal = FALSE;

static const gchar *const prov_log_level_names[] = {
    [PROV_LOG_LEVEL_WARNING] = "warning",
    [PROV_LOG_LEVEL_MESSAGE] = "message",
    [PROV_LOG_LEVEL_INFO] = "info",
    [PROV_LOG_LEVEL_DEBUG] = "debug",
};

G_STATIC_ASSERT(G_N_ELEMENTS(prov_log_level_names) == PROV_LOG_LEVEL_LAST);

/**
 * prov_log_level_to_string:
 * @level: a #ProvLogLevel
 *
 * Returns: (transfer none): the name of @level, as SetLogLevel takes it
 *
 * Since: 0.1
 */
const gchar *
prov_log_level_to_string(ProvLogLevel level)
{
	if ((guint)level >= PROV_LOG_LEVEL_LAST)
		return NULL;
	return prov_log_level_names[level];
}

/**
 * prov_log_level_from_string:
 * @text: `warning`, `message`, `info` or `debug`
 * @level: (out): the level
 *
 * Returns: %TRUE if @text names a level
 *
 * Since: 0.1
 */
gboolean
prov_log_level_from_string(const gchar *text, ProvLogLevel *level)
{
	g_return_val_if_fail(level != NULL, FALSE);

	if (text == NULL)
		return FALSE;
	for (guint i = 0; i < PROV_LOG_LEVEL_LAST; i++) {
		if (strcmp(text, prov_log_level_names[i]) == 0) {
			*level = i;
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean
prov_log_domain_is_valid(const gchar *domain)
{
	gsize len = strlen(domain);

	if (len == 0 || len > PROV_LOG_DOMAIN_LENGTH_MAX)
		return FALSE;
	for (const gchar *p = domain; *p != '\0'; p++) {
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return FALSE;
	}
	return TRUE;
}

/**
 * prov_log_parse_domains:
 * @text: (nullable): log domains separated by spaces or commas; empty,
 *   %NULL or `all` for every domain
 * @domains: (out) (transfer full) (nullable): the domains, or %NULL for all
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %PROV_ERROR_INVALID_ARGUMENT for a name that is
 *   not a log domain, or for more than %PROV_LOG_DOMAINS_MAX of them
 *
 * Since: 0.1
 */
gboolean
prov_log_parse_domains(const gchar *text, gchar ***domains, GError **error)
{
	g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) parts = NULL;

	g_return_val_if_fail(domains != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	*domains = NULL;
	if (text == NULL)
		return TRUE;
	parts = g_strsplit_set(text, " \t,", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (parts[i][0] == '\0')
			continue;
		if (strcmp(parts[i], "all") == 0)
			return TRUE;
		if (!prov_log_domain_is_valid(parts[i])) {
			g_autofree gchar *escaped = g_strescape(parts[i], NULL);

			g_set_error(
			    error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "log domain \"%.64s\" is not a log domain name (letters, digits, "
			    "'_', '-' and '.', at most %u bytes)",
			    escaped, PROV_LOG_DOMAIN_LENGTH_MAX);
			return FALSE;
		}
		if (list->len >= PROV_LOG_DOMAINS_MAX) {
			g_set_error(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
				    "log domains: more than %u names", PROV_LOG_DOMAINS_MAX);
			return FALSE;
		}
		g_ptr_array_add(list, g_strdup(parts[i]));
	}
	if (list->len == 0)
		return TRUE;
	g_ptr_array_add(list, NULL);
	*domains = (gchar **)g_ptr_array_free(g_steal_pointer(&list), FALSE);
	return TRUE;
}

/**
 * prov_log_set_level:
 * @level: the verbosity
 * @domains: (nullable) (array zero-terminated=1): the log domains @level
 *   applies to, or %NULL for all; other domains stay at
 *   %PROV_LOG_LEVEL_MESSAGE
 *
 * Warnings, criticals and errors are always written.
 *
 * Since: 0.1
 */
void
prov_log_set_level(ProvLogLevel level, const gchar *const *domains)
{
	g_return_if_fail(level < PROV_LOG_LEVEL_LAST);

	g_mutex_lock(&prov_log_mutex);
	prov_log_level = level;
	g_strfreev(prov_log_domains);
	prov_log_domains =
	    domains != NULL && domains[0] != NULL ? g_strdupv((gchar **)domains) : NULL;
	g_mutex_unlock(&prov_log_mutex);
	/*
	 * code that guards costly debug formatting with
	 * g_log_writer_default_would_drop() must see debug output as wanted
	 */
	g_log_set_debug_enabled(level == PROV_LOG_LEVEL_DEBUG);
}

/**
 * prov_log_get_level:
 *
 * Returns: the level set last
 *
 * Since: 0.1
 */
ProvLogLevel
prov_log_get_level(void)
{
	ProvLogLevel level;

	g_mutex_lock(&prov_log_mutex);
	level = prov_log_level;
	g_mutex_unlock(&prov_log_mutex);
	return level;
}

static ProvLogLevel
prov_log_level_of_flags(GLogLevelFlags log_level)
{
	if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
		return PROV_LOG_LEVEL_WARNING;
	if ((log_level & G_LOG_LEVEL_MESSAGE) != 0)
		return PROV_LOG_LEVEL_MESSAGE;
	if ((log_level & G_LOG_LEVEL_INFO) != 0)
		return PROV_LOG_LEVEL_INFO;
	return PROV_LOG_LEVEL_DEBUG;
}

/**
 * prov_log_would_write:
 * @log_level: a GLib log level
 * @log_domain: (nullable): the message's log domain
 *
 * Returns: whether the daemon's writer passes such a message on
 *
 * Since: 0.1
 */
gboolean
prov_log_would_write(GLogLevelFlags log_level, const gchar *log_domain)
{
	ProvLogLevel needed = prov_log_level_of_flags(log_level);
	ProvLogLevel threshold;

	if (needed == PROV_LOG_LEVEL_WARNING)
		return TRUE;
	g_mutex_lock(&prov_log_mutex);
	threshold = prov_log_level;
	if (prov_log_domains != NULL &&
	    (log_domain == NULL ||
	     !g_strv_contains((const gchar *const *)prov_log_domains, log_domain)))
		threshold = PROV_LOG_LEVEL_MESSAGE;
	g_mutex_unlock(&prov_log_mutex);
	return needed <= threshold;
}

static GLogWriterOutput
prov_log_writer(GLogLevelFlags log_level,
		const GLogField *fields,
		gsize n_fields,
		gpointer user_data)
{
	const gchar *log_domain = NULL;

	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp(fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0) {
			log_domain = fields[i].value;
			break;
		}
	}
	if (!prov_log_would_write(log_level, log_domain))
		return G_LOG_WRITER_HANDLED;
	/* the journal keeps the structured fields (PROV_RULE and friends) */
	if (prov_log_to_journal &&
	    g_log_writer_journald(log_level, fields, n_fields, user_data) == G_LOG_WRITER_HANDLED)
		return G_LOG_WRITER_HANDLED;
	return g_log_writer_standard_streams(log_level, fields, n_fields, user_data);
}

/**
 * prov_log_install_writer:
 *
 * Makes the daemon's filter the process's log writer: messages go to the
 * journal when stderr is connected to it, otherwise all of them to stderr,
 * so that stdout stays free. Call it once, before anything logs.
 *
 * Since: 0.1
 */
void
prov_log_install_writer(void)
{
	prov_log_to_journal = g_log_writer_is_journald(fileno(stderr));
	g_log_writer_default_set_use_stderr(TRUE);
	g_log_set_writer_func(prov_log_writer, NULL, NULL);
}
