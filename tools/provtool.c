/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

/*
 * provtool: the offline profile tool. Everything here runs without a daemon
 * or a network: expanding macros, resolving rules, checking and applying
 * profiles against the parameter schema.
 */

#define G_LOG_DOMAIN "ProvTool"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "prov-config.h"
#include "prov-device.h"
#include "prov-error.h"
#include "prov-macro.h"
#include "prov-params-transaction.h"
#include "prov-params.h"
#include "prov-profile.h"
#include "prov-rule.h"
#include "provtool.h"

static gboolean
prov_tool_expand(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autofree gchar *expanded = NULL;
	const GOptionEntry *tables[] = {prov_tool_set_entries, prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(&self, _("TEXT"),
				     _("Print TEXT with its macros expanded for the device."),
				     tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 1, "expand [OPTION…] TEXT", error) ||
	    !prov_tool_setup(&self, error))
		return FALSE;
	/* the rule form, so that $SA…$SD expand only inside --key/--uid/--pwd */
	expanded = prov_macro_expand_rule(self.macro, argv[1]);
	g_print("%s\n", expanded);
	return TRUE;
}

/*
 * the labels of `provtool rule`: padded to the widest in the user's language,
 * by display width, and to 10 columns at least
 */
static const gchar *const prov_tool_rule_labels[] = {
    N_("assigns"),   N_("key"),	   N_("kdf"),	  N_("user"),	  N_("password"), N_("post"),
    N_("alias map"), N_("report"), N_("ignored"), N_("url"),	  N_("server"),	  N_("scheme"),
    N_("port"),	     N_("path"),   N_("result"),  N_("expanded"), N_("selected"),
};

static void
prov_tool_print_field(const gchar *label, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
prov_tool_print_field(const gchar *label, const gchar *format, ...)
{
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree gchar *value = NULL;
	guint width = 10;
	va_list args;

	for (guint i = 0; i < G_N_ELEMENTS(prov_tool_rule_labels); i++)
		width = MAX(width, prov_tool_display_width(_(prov_tool_rule_labels[i])));
	va_start(args, format);
	value = g_strdup_vprintf(format, args);
	va_end(args);
	prov_tool_append_padded(out, label, width);
	g_string_append_printf(out, " %s\n", value);
	g_print("%s", out->str);
}

static void
prov_tool_print_rule_alternative(ProvTool *self, const ProvRuleAlternative *alternative)
{
	const gchar *default_server = prov_config_get_daemon_value(self->config, "DefaultServer");
	const gchar *const *unknown = prov_rule_alternative_get_unknown_options(alternative);
	guint iterations = 0;
	ProvRuleKdf kdf = prov_rule_alternative_get_kdf(alternative, &iterations);

	for (guint i = 0; i < prov_rule_alternative_get_n_assignments(alternative); i++) {
		prov_tool_print_field(i == 0 ? _("assigns") : "", "%s = \"%s\"",
				      prov_rule_alternative_get_assignment_name(alternative, i),
				      prov_rule_alternative_get_assignment_value(alternative, i));
	}
	/* keys and passwords are never printed, only whether they are there */
	if (prov_rule_alternative_get_key(alternative) != NULL)
		prov_tool_print_field(_("key"), "%s", _("set (decrypts with AES-256-CBC)"));
	if (kdf == PROV_RULE_KDF_PBKDF2)
		prov_tool_print_field(
		    _("kdf"), ngettext("%1$s, %2$u iteration", "%1$s, %2$u iterations", iterations),
		    prov_rule_kdf_to_string(kdf), iterations);
	else if (kdf != PROV_RULE_KDF_AUTO)
		prov_tool_print_field(_("kdf"), "%s", prov_rule_kdf_to_string(kdf));
	if (prov_rule_alternative_get_uid(alternative) != NULL)
		prov_tool_print_field(_("user"), "%s", prov_rule_alternative_get_uid(alternative));
	if (prov_rule_alternative_get_pwd(alternative) != NULL)
		prov_tool_print_field(_("password"), "%s", _("set"));
	if (prov_rule_alternative_get_post(alternative) != '\0')
		prov_tool_print_field(_("post"), "GPP_%c",
				      g_ascii_toupper(prov_rule_alternative_get_post(alternative)));
	if (prov_rule_alternative_get_alias(alternative) != '\0')
		prov_tool_print_field(
		    _("alias map"), "GPP_%c",
		    g_ascii_toupper(prov_rule_alternative_get_alias(alternative)));
	if (prov_rule_alternative_get_delta(alternative))
		prov_tool_print_field(_("report"), "%s", "--delta");
	if (prov_rule_alternative_get_status(alternative))
		prov_tool_print_field(_("report"), "%s", "--status");
	for (guint i = 0; unknown != NULL && unknown[i] != NULL; i++)
		prov_tool_print_field(_("ignored"), "%s", unknown[i]);

	if (!prov_rule_alternative_has_url(alternative)) {
		prov_tool_print_field(_("url"), "%s", _("none: the assignments only"));
		return;
	}
	if (prov_rule_alternative_get_host(alternative) == NULL && default_server == NULL) {
		prov_tool_print_field(
		    _("server"), "%s",
		    _("none in the rule: DefaultServer (DHCP option 66) is used"));
	} else {
		g_autofree gchar *url =
		    prov_rule_alternative_build_url(alternative, default_server);

		prov_tool_print_field(_("url"), "%s", url);
		prov_tool_print_field(_("server"), "%s",
				      prov_rule_alternative_get_host(alternative) != NULL
					  ? prov_rule_alternative_get_host(alternative)
					  : default_server);
	}
	prov_tool_print_field(_("scheme"), "%s", prov_rule_alternative_get_scheme(alternative));
	prov_tool_print_field(_("port"), "%u", prov_rule_alternative_get_port(alternative));
	prov_tool_print_field(_("path"), "%s",
			      prov_rule_alternative_get_path_and_query(alternative));
}

static gboolean
prov_tool_rule(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autofree gchar *expanded = NULL;
	g_autofree gchar *shown = NULL;
	g_autoptr(ProvRule) rule = NULL;
	const ProvRuleAlternative *alternative;
	const GOptionEntry *tables[] = {prov_tool_set_entries, prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(&self, _("RULE"),
				     _("Show what a Profile_Rule resolves to for the device: the "
				       "selected alternative, its options and its URL."),
				     tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 1, "rule [OPTION…] RULE", error) ||
	    !prov_tool_setup(&self, error))
		return FALSE;

	expanded = prov_macro_expand_rule(self.macro, argv[1]);
	rule = prov_rule_new_from_string(expanded, error);
	if (rule == NULL) {
		/* the rule's messages name a column and never quote a credential */
		g_prefix_error(error, "rule: ");
		return FALSE;
	}
	/* printed from the parsed rule, so literal keys and passwords are masked too */
	if (prov_rule_is_empty(rule)) {
		prov_tool_print_field(_("result"), "%s",
				      prov_rule_is_commented(rule)
					  ? _("commented out: the rule is skipped")
					  : _("empty: the rule is skipped"));
		return TRUE;
	}
	shown = prov_rule_to_string(rule);
	prov_tool_print_field(_("expanded"), "%s", shown);
	alternative = prov_rule_select(
	    rule, prov_device_get_software_version(prov_config_get_device(self.config)));
	if (alternative == NULL) {
		prov_tool_print_field(_("result"), "%s",
				      _("no alternative's condition holds: the rule is skipped"));
		return TRUE;
	}
	prov_tool_print_field(_("selected"), "%u / %u",
			      prov_rule_alternative_get_index(alternative) + 1,
			      prov_rule_get_n_alternatives(rule));
	prov_tool_print_rule_alternative(&self, alternative);
	return TRUE;
}

/*
 * reference 1.4: operators migrating SPC sources can check them too; an XML
 * profile starts with '<' once a BOM and whitespace are skipped
 */
static gboolean
prov_tool_parse_profile(ProvProfile *profile, const gchar *data, gsize length, GError **error)
{
	gsize i = 0;

	if (length >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < length && g_ascii_isspace(data[i]))
		i++;
	if (i < length && data[i] != '<')
		return prov_profile_parse_spc_text(profile, data, length, error);
	return prov_profile_parse(profile, data, length, error);
}

static gboolean
prov_tool_read_profile(ProvTool *self,
		       const gchar *path,
		       ProvParamsTransaction *transaction,
		       GError **error)
{
	g_autoptr(GBytes) data = NULL;
	g_autoptr(ProvProfile) profile = NULL;
	const ProvLimits *limits = prov_config_get_limits(self->config);
	GPtrArray *assignments;
	gsize length = 0;
	const gchar *contents;

	/* R25: the parser never sees more than the decoded cap */
	data = prov_tool_load_input(path, limits->decoded_max, "DecodedMax", error);
	if (data == NULL)
		return FALSE;
	contents = g_bytes_get_data(data, &length);

	profile = prov_profile_new(limits);
	prov_profile_set_alias_map(profile, self->alias_map);
	if (!prov_tool_parse_profile(profile, contents != NULL ? contents : "", length, error)) {
		/* the profile's messages begin LINE:COLUMN, so this reads FILE:LINE:COLUMN */
		g_prefix_error(error, "%s:", path);
		return FALSE;
	}
	assignments = prov_profile_get_assignments(profile);
	for (guint i = 0; i < assignments->len; i++) {
		const ProvAssignment *assignment = g_ptr_array_index(assignments, i);

		if (!prov_params_transaction_set(transaction, assignment->name, assignment->value,
						 assignment->access, assignment->invalid_access,
						 assignment->line, assignment->column, error)) {
			g_prefix_error(error, "%s:", path);
			return FALSE;
		}
	}
	if (!prov_params_transaction_validate(transaction, error)) {
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	if (self->verbose) {
		g_printerr(
		    _("%1$s: %2$u assignments, %3$u parameters, %4$u unknown names skipped\n"),
		    path, prov_params_transaction_get_n_assignments(transaction),
		    prov_params_transaction_get_n_parameters(transaction),
		    prov_params_transaction_get_n_skipped(transaction));
	}
	return TRUE;
}

#define PROV_TOOL_PRINT_BLOCK (64 * 1024)

typedef struct {
	GString *out;
	gboolean redact;
} ProvToolPrint;

static void
prov_tool_print_final_cb(const ProvParamDef *def,
			 const gchar *value,
			 ProvAccess access,
			 gpointer user_data)
{
	ProvToolPrint *print = user_data;

	g_string_append(print->out, prov_param_def_get_name(def));
	g_string_append_c(print->out, '=');
	if (print->redact && prov_param_def_is_secret(def) && value[0] != '\0')
		g_string_append(print->out, "********");
	else
		g_string_append(print->out, value);
	g_string_append_c(print->out, '\n');
	/* written in blocks: neither a call per line nor a second copy of a large profile */
	if (print->out->len >= PROV_TOOL_PRINT_BLOCK) {
		prov_tool_write_stdout(print->out);
		g_string_truncate(print->out, 0);
	}
}

static const GOptionEntry prov_tool_check_entries[] = {
    {"redact", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print secret values as ********"), NULL},
    {NULL},
};

static gboolean
prov_tool_check(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	g_autoptr(GString) out = NULL;
	ProvToolPrint print;
	const GOptionEntry *tables[] = {prov_tool_check_entries, prov_tool_profile_entries,
					prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(
		&self, _("PROFILE"),
		_("Parse PROFILE (flat-profile XML, or the plain-text SPC source syntax) and "
		  "check it against the parameter schema without applying it. Prints one "
		  "NAME=VALUE line per parameter with its final value, or the first error as "
		  "FILE:LINE:COLUMN: reason."),
		tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 1, "check [OPTION…] PROFILE", error) ||
	    !prov_tool_setup(&self, error))
		return FALSE;

	transaction = prov_params_transaction_new(self.params);
	if (!prov_tool_read_profile(&self, argv[1], transaction, error))
		return FALSE;
	out = g_string_sized_new(PROV_TOOL_PRINT_BLOCK + 4096);
	print.out = out;
	print.redact = self.redact;
	prov_params_transaction_foreach(transaction, prov_tool_print_final_cb, &print);
	prov_tool_write_stdout(out);
	return TRUE;
}

static const GOptionEntry prov_tool_state_entries[] = {
    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
     N_("Keep the parameter values in DIR/state.json"), N_("DIR")},
    {NULL},
};

static gboolean
prov_tool_require_state_dir(ProvTool *self, GError **error)
{
	if (self->state_dir != NULL)
		return TRUE;
	g_set_error_literal(error, PROV_ERROR, PROV_ERROR_INVALID_ARGUMENT,
			    "--state-dir is required");
	return FALSE;
}

static gboolean
prov_tool_apply(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autoptr(ProvParamsTransaction) transaction = NULL;
	const gchar *const *changed;
	const GOptionEntry *tables[] = {prov_tool_state_entries, prov_tool_profile_entries,
					prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(&self, _("PROFILE"),
				     _("Apply PROFILE to the parameters kept in the state "
				       "directory, as one transaction: all of it or nothing."),
				     tables, &argc, &argv, error) ||
	    !prov_tool_expect_arguments(argc, 1, "apply --state-dir DIR [OPTION…] PROFILE",
					error) ||
	    !prov_tool_require_state_dir(&self, error) || !prov_tool_setup(&self, error))
		return FALSE;

	transaction = prov_params_transaction_new(self.params);
	if (!prov_tool_read_profile(&self, argv[1], transaction, error) ||
	    !prov_params_transaction_commit(transaction, error))
		return FALSE;

	if (prov_params_transaction_is_unchanged(transaction)) {
		guint n_unchanged = prov_params_transaction_get_n_unchanged(transaction);

		g_print(ngettext("%1$s: unchanged (%2$u parameter already has this value)\n",
				 "%1$s: unchanged (%2$u parameters already have these values)\n",
				 n_unchanged),
			argv[1], n_unchanged);
		return TRUE;
	}
	changed = prov_params_transaction_get_changed(transaction);
	for (guint i = 0; changed[i] != NULL; i++)
		g_print("%s=%s\n", changed[i],
			prov_params_get_display_value(self.params, changed[i]));
	g_printerr(_("%1$s: %2$u changed, %3$u unchanged, %4$u unknown names skipped\n"), argv[1],
		   prov_params_transaction_get_n_applied(transaction),
		   prov_params_transaction_get_n_unchanged(transaction),
		   prov_params_transaction_get_n_skipped(transaction));
	if (prov_params_transaction_get_restart_required(transaction))
		g_printerr(_("%s: a changed parameter takes effect after a restart\n"), argv[1]);
	return TRUE;
}

static const GOptionEntry prov_tool_show_entries[] = {
    {"state-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
     N_("Read the parameter values from DIR/state.json"), N_("DIR")},
    {"all", 'a', 0, G_OPTION_ARG_NONE, NULL,
     N_("List every parameter, not only those that differ from their default"), NULL},
    {NULL},
};

static gboolean
prov_tool_show(gint argc, gchar **argv, GError **error)
{
	g_auto(ProvTool) self = {0};
	g_autoptr(GString) out = g_string_new(NULL);
	const GOptionEntry *tables[] = {prov_tool_show_entries, prov_tool_profile_entries,
					prov_tool_config_entries, NULL};

	if (!prov_tool_parse_options(&self, _("[NAME…]"),
				     _("Print parameter values as NAME=VALUE lines; secret values "
				       "are shown as ********."),
				     tables, &argc, &argv, error) ||
	    !prov_tool_setup(&self, error))
		return FALSE;

	if (argc > 1) {
		/* check every name first, so that a typo prints nothing half-way */
		for (gint i = 1; i < argc; i++) {
			if (prov_params_lookup(self.params, argv[i]) == NULL) {
				g_set_error(error, PROV_ERROR, PROV_ERROR_UNKNOWN_PARAMETER,
					    "unknown parameter %s", argv[i]);
				return FALSE;
			}
		}
		for (gint i = 1; i < argc; i++) {
			const ProvParamDef *def = prov_params_lookup(self.params, argv[i]);
			const gchar *name = prov_param_def_get_name(def);

			if (argc == 2)
				g_string_append_printf(
				    out, "%s\n", prov_params_get_display_value(self.params, name));
			else
				g_string_append_printf(
				    out, "%s=%s\n", name,
				    prov_params_get_display_value(self.params, name));
		}
	} else {
		GPtrArray *definitions = prov_params_get_definitions(self.params);

		for (guint i = 0; i < definitions->len; i++) {
			const ProvParamDef *def = g_ptr_array_index(definitions, i);
			const gchar *name = prov_param_def_get_name(def);
			const gchar *value = prov_params_get_value(self.params, name);

			if (!self.all && g_strcmp0(value, prov_param_def_get_default(def)) == 0)
				continue;
			g_string_append_printf(out, "%s=%s\n", name,
					       prov_params_get_display_value(self.params, name));
		}
	}
	prov_tool_write_stdout(out);
	return TRUE;
}

typedef struct {
	const gchar *name;
	gboolean (*run)(gint argc, gchar **argv, GError **error);
	const gchar *summary;
} ProvToolCommand;

static const ProvToolCommand prov_tool_commands[] = {
    {"expand", prov_tool_expand, N_("Expand the macros in a text for the device")},
    {"rule", prov_tool_rule, N_("Show what a rule resolves to")},
    {"check", prov_tool_check, N_("Check a profile against the schema")},
    {"apply", prov_tool_apply, N_("Apply a profile to a state directory")},
    {"show", prov_tool_show, N_("Print parameter values")},
    {"encode", prov_tool_encode, N_("Compress and encrypt a profile as servers publish it")},
    {"decode", prov_tool_decode, N_("Decode a fetched profile as the device does")},
    {"plugins", prov_tool_plugins, N_("List the plugins and the refused modules")},
    {"fetch", prov_tool_fetch, N_("Fetch and decode what a rule resolves to")},
};

static void
prov_tool_print_usage(FILE *stream)
{
	fprintf(stream, "%s\n\n%s\n", _("Usage: provtool COMMAND [OPTION…]"), _("Commands:"));
	for (guint i = 0; i < G_N_ELEMENTS(prov_tool_commands); i++)
		fprintf(stream, "  %-8s %s\n", prov_tool_commands[i].name,
			_(prov_tool_commands[i].summary));
	fprintf(stream, "\n%s\n", _("Run 'provtool COMMAND --help' for the options of a command."));
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *prgname = NULL;
	const gchar *localedir;

	setlocale(LC_ALL, "");
	/* PROV_LOCALEDIR: the catalogues of an uninstalled build (meson devenv sets it) */
	localedir = g_getenv("PROV_LOCALEDIR");
	bindtextdomain(GETTEXT_PACKAGE,
		       localedir != NULL && localedir[0] != '\0' ? localedir : PROV_LOCALEDIR);
	bind_textdomain_codeset(GETTEXT_PACKAGE, "UTF-8");
	textdomain(GETTEXT_PACKAGE);

	if (argc < 2) {
		prov_tool_print_usage(stderr);
		return 2;
	}
	if (g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0 ||
	    g_strcmp0(argv[1], "help") == 0) {
		prov_tool_print_usage(stdout);
		return 0;
	}
	if (g_strcmp0(argv[1], "--version") == 0) {
		g_print("provtool %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (guint i = 0; i < G_N_ELEMENTS(prov_tool_commands); i++) {
		if (g_strcmp0(argv[1], prov_tool_commands[i].name) != 0)
			continue;
		/* "provtool check" in --help output */
		prgname = g_strdup_printf("provtool %s", argv[1]);
		g_set_prgname(prgname);
		if (!prov_tool_commands[i].run(argc - 1, argv + 1, &error)) {
			/* FILE:LINE:COLUMN: reason stands alone, as compilers write it */
			if (g_error_matches(error, PROV_ERROR, PROV_ERROR_CORRUPT_FILE) ||
			    g_error_matches(error, PROV_ERROR, PROV_ERROR_LIMIT_EXCEEDED) ||
			    g_error_matches(error, PROV_ERROR, PROV_ERROR_INVALID_VALUE))
				g_printerr("%s\n", error->message);
			else
				g_printerr("provtool %s: %s\n", argv[1], error->message);
			return 1;
		}
		return 0;
	}
	g_printerr(_("provtool: unknown command %s\n"), argv[1]);
	prov_tool_print_usage(stderr);
	return 2;
}
