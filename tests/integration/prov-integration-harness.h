/*
 * SPDX-License-Identifier: LGPL-2.1-or-later
 * Copyright 2026 The provisiond authors
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The integration harness (STYLE.md 8): a private dbus-daemon, tftpd-hpa and
 * nginx on loopback high ports, a UDP syslog listener inside the test, and
 * provisiond from the build tree on the private bus. Every wait has a
 * deadline and runs the test's main loop; nothing sleeps.
 */

/* the fixture of reference 11 */
#define PROV_IT_PN	  "ATA192-MPP"
#define PROV_IT_MAC	  "000e08abcdef"
#define PROV_IT_MAC_COLON "00:0e:08:ab:cd:ef"
#define PROV_IT_SERIAL	  "88012BA01234"
/* reference 8.3.1: the 61-byte basic.txt */
#define PROV_IT_BASIC "<flat-profile>\n  <GPP_A> 12345678\n  </GPP_A>\n</flat-profile>\n"

#define PROV_IT_BUS_NAME    "org.provisiond.Provisioning1"
#define PROV_IT_OBJECT_PATH "/org/provisiond/Provisioning1"
#define PROV_IT_INTERFACE   "org.provisiond.Provisioning1"
#define PROV_IT_TEST_IFACE  "org.provisiond.Test1"

/* generous: the sanitizer build is several times slower */
#define PROV_IT_TIMEOUT_MS 30000

typedef enum {
	PROV_IT_NEED_TFTP = 1 << 0,
	PROV_IT_NEED_NGINX = 1 << 1,
} ProvItNeeds;

typedef enum {
	PROV_IT_PORT_HTTP,
	/* server.pem, issued by certs/ca.pem ("Test Provisioning CA") */
	PROV_IT_PORT_HTTPS,
	/* server.pem, and a client certificate from certs/client-ca.pem is required */
	PROV_IT_PORT_HTTPS_CLIENT,
	/* unknown.pem, issued by a CA nobody trusts */
	PROV_IT_PORT_HTTPS_UNKNOWN,
	/* custom-server.pem, issued by certs/custom-ca.pem ("Test Custom CA", S-11) */
	PROV_IT_PORT_HTTPS_CUSTOM,
	PROV_IT_PORT_LAST
} ProvItPort;

/* process-wide servers: FALSE means a prerequisite is missing (exit 77) */
gboolean
prov_it_set_up(ProvItNeeds needs);
gint
prov_it_run(void);

gboolean
prov_it_is_root(void);
gboolean
prov_it_has_tftp(void);
gboolean
prov_it_skip_without_tftp(void);
gboolean
prov_it_skip_without_provctl(void);
const gchar *
prov_it_get_dir(void);
gchar *
prov_it_path(const gchar *relative);
void
prov_it_write(const gchar *relative, const gchar *contents, gssize length);
void
prov_it_sh(const gchar *format, ...) G_GNUC_PRINTF(1, 2);

/* the directory that tftpd and nginx both serve */
void
prov_it_publish(const gchar *name, const gchar *contents, gssize length);
void
prov_it_unpublish(const gchar *name);
gchar *
prov_it_served_path(const gchar *name);

guint16
prov_it_get_port(ProvItPort port);
guint16
prov_it_get_tftp_port(void);
gchar *
prov_it_tftp_url(const gchar *path);
gchar *
prov_it_http_url(ProvItPort port, const gchar *host, const gchar *path);
void
prov_it_tftp_start(void);
void
prov_it_tftp_stop(void);

void
prov_it_access_log_truncate(void);
gchar *
prov_it_access_log_wait(const gchar *needle);

GDBusConnection *
prov_it_get_bus(void);
const gchar *
prov_it_get_bus_address(void);

typedef gboolean (*ProvItCondition)(gpointer user_data);
gboolean
prov_it_wait_until(ProvItCondition condition, gpointer user_data, guint timeout_ms);

/* a program run to its end, bounded; returns its wait status */
gint
prov_it_spawn(const gchar *const *argv,
	      const gchar *const *extra_env,
	      gboolean unprivileged,
	      gchar **out,
	      gchar **err);

/* the UDP syslog server of S-2 */
typedef struct _ProvItSyslog ProvItSyslog;

ProvItSyslog *
prov_it_syslog_new(void);
void
prov_it_syslog_free(ProvItSyslog *self);
guint16
prov_it_syslog_get_port(ProvItSyslog *self);
gchar *
prov_it_syslog_get_server(ProvItSyslog *self);
gboolean
prov_it_syslog_wait(ProvItSyslog *self, guint n, guint timeout_ms);
GPtrArray *
prov_it_syslog_take(ProvItSyslog *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvItSyslog, prov_it_syslog_free)

/* one provisiond process, restartable, with the signals it emitted */
typedef struct _ProvItDaemon ProvItDaemon;

ProvItDaemon *
prov_it_daemon_new(void);
void
prov_it_daemon_free(ProvItDaemon *self);
void
prov_it_daemon_set_config(ProvItDaemon *self,
			  const gchar *group,
			  const gchar *key,
			  const gchar *value);
void
prov_it_daemon_set_factory(ProvItDaemon *self, const gchar *name, const gchar *value);
void
prov_it_daemon_set_test_clock(ProvItDaemon *self, gint64 wall_seconds);
void
prov_it_daemon_set_verbosity(ProvItDaemon *self, guint verbosity);
gboolean
prov_it_daemon_set_hosts(ProvItDaemon *self, const gchar *hosts);
const gchar *
prov_it_daemon_get_dir(ProvItDaemon *self);
gchar *
prov_it_daemon_get_state_path(ProvItDaemon *self);
gchar *
prov_it_daemon_get_config_path(ProvItDaemon *self);
GPid
prov_it_daemon_get_pid(ProvItDaemon *self);

void
prov_it_daemon_start(ProvItDaemon *self);
void
prov_it_daemon_stop(ProvItDaemon *self);
void
prov_it_daemon_kill(ProvItDaemon *self);
gboolean
prov_it_daemon_is_running(ProvItDaemon *self);
gchar *
prov_it_daemon_read_log(ProvItDaemon *self);

GVariant *
prov_it_daemon_call(ProvItDaemon *self,
		    const gchar *interface_name,
		    const gchar *method,
		    GVariant *parameters,
		    GError **error);
GVariant *
prov_it_daemon_get_property(ProvItDaemon *self, const gchar *name);
void
prov_it_daemon_set(ProvItDaemon *self, const gchar *name, const gchar *value, ...)
    G_GNUC_NULL_TERMINATED;
gboolean
prov_it_daemon_try_set(ProvItDaemon *self, GVariant *values, GError **error);
gchar *
prov_it_daemon_get(ProvItDaemon *self, const gchar *name);
GHashTable *
prov_it_daemon_get_many(ProvItDaemon *self, const gchar *const *names);
guint64
prov_it_daemon_request_resync(ProvItDaemon *self, const gchar *rule);
GVariant *
prov_it_daemon_resync(ProvItDaemon *self, const gchar *rule);
GVariant *
prov_it_daemon_wait_finished(ProvItDaemon *self, guint64 id, guint timeout_ms);
GVariant *
prov_it_daemon_wait_next_resync(ProvItDaemon *self, gint *cause, guint timeout_ms);

/* signals in order of arrival; a taken one is not returned again; NULL counts all */
GVariant *
prov_it_daemon_take_signal(ProvItDaemon *self, const gchar *member, guint timeout_ms);
guint
prov_it_daemon_count_signals(ProvItDaemon *self, const gchar *member);
void
prov_it_daemon_clear_signals(ProvItDaemon *self);
void
prov_it_daemon_flush(ProvItDaemon *self);

gint
prov_it_daemon_provctl(ProvItDaemon *self,
		       gboolean unprivileged,
		       gchar **out,
		       gchar **err,
		       const gchar *first_arg,
		       ...) G_GNUC_NULL_TERMINATED;

gint
prov_it_daemon_provctlv(
    ProvItDaemon *self, gboolean unprivileged, gchar **out, gchar **err, const gchar *const *args);
gchar *
prov_it_daemon_print_signals(ProvItDaemon *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ProvItDaemon, prov_it_daemon_free)

/* records of LastResult and the rule records in it */
const gchar *
prov_it_result_get_string(GVariant *record, const gchar *key);
guint64
prov_it_result_get_uint(GVariant *record, const gchar *key);
GVariant *
prov_it_result_get_rule(GVariant *result, guint index);
guint
prov_it_result_get_n_rules(GVariant *result);
void
prov_it_assert_strv(GVariant *record, const gchar *key, const gchar *const *expected);
void
prov_it_assert_success(GVariant *result);

G_END_DECLS
