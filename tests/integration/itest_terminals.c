/*  itest_terminals.c - township terminals over TCP with CURVE, against
    real daemons: Ding'an (469021) serves terminals on a loopback port,
    each with its own key pair made by `xiecha keygen --terminal` and
    listed by `xiecha terminal add`; Tunxi (341002) is the registration
    node they ask about.

    A terminal queries and enrolls; a key in no list cannot connect;
    each role's allowed and refused requests, the refusals audited; a
    revoked terminal is cut off after SIGHUP, on its open connection
    too, while the node goes on; the query rate refuses and recovers;
    --check refuses a plain TCP client endpoint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"
#include "xt_term.h"

enum { DINGAN = 0, TUNXI = 1 };

#define S_BURST 3

static xt_fed_t *fed;
static char cw[PATH_MAX], ro[PATH_MAX], au[PATH_MAX], ad[PATH_MAX];
static char rev[PATH_MAX], rate[PATH_MAX];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = false,
                       .limits = "    terminal_queries_per_minute = 60\n"
                                 "    terminal_queries_burst = 3\n"};
    fed = xt_fed_new_opts (&o);
    xt_term_enable (fed, DINGAN);
    //  The local admin group: the test's own, so the chown is allowed.
    struct group *g = getgrgid (getgid ());
    assert_non_null (g);
    char ipc[256];
    snprintf (ipc, sizeof ipc, "    client_ipc_group = \"%s\"\n"
              "    client_ipc_mode = 0660\n", g->gr_name);
    xt_fed_config_node (fed, DINGAN, ipc);
    xt_term_add (fed, DINGAN, "cw-1", "caseworker", cw);
    xt_term_add (fed, DINGAN, "roster-1", "roster", ro);
    xt_term_add (fed, DINGAN, "audit-1", "auditor", au);
    xt_term_add (fed, DINGAN, "admin-1", "admin", ad);
    xt_term_add (fed, DINGAN, "cw-revoked", "caseworker", rev);
    xt_term_add (fed, DINGAN, "cw-rate", "caseworker", rate);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/* --------------------------------------------------------------------------
   Helpers
   -------------------------------------------------------------------------- */

/*  A query about a fresh person registered at Tunxi; returns the code,
    why into why[512]. */
static int
s_query (xc_client_t *c, char *why)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id_next ("341002"), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a = {0};
    why[0] = '\0';
    int rc = xc_client_query (c, &q, &a, why, 512);
    if (rc == 0)
        assert_int_equal (a.cert->results[0]->status,
                          XIECHA__STATUS__NOT_RECEIVING);
    xc_answer_free (&a);
    return rc;
}

static int
s_status_rc (xc_client_t *c, char *why)
{
    Xiecha__StatusReply *st = NULL;
    int rc = xc_client_status (c, &st, why, 512);
    if (st)
        xiecha__status_reply__free_unpacked (st, NULL);
    return rc;
}

/*  The terminal's counters in Ding'an's status (asked over IPC). */
static Xiecha__TerminalLoad *
s_load_of (Xiecha__StatusReply *st, const char *id)
{
    for (size_t i = 0; i < st->n_terminals; i++)
        if (strcmp (st->terminals[i]->id, id) == 0)
            return st->terminals[i];
    return NULL;
}

/* --------------------------------------------------------------------------
   Tests
   -------------------------------------------------------------------------- */

static void
test_terminal_queries_and_enrolls_over_curve (void **state)
{
    char why[512], out[4096];
    xc_client_t *c = xt_term_client (cw, 20000);
    int rc = s_query (c, why);
    if (rc)
        fail_msg ("query over TCP+CURVE: %s", why);
    xc_client_destroy (&c);

    //  The CLI with --client-config: no socket options.
    const char *id = xt_id_next ("341002");
    const char *query[] = {"query", "--client-config", cw, "--id", id,
                           "--name", "Wang Fang", "--home", "341002",
                           "--program", "dibao", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, query), 0);
    xt_assert_has (out, "NOT_RECEIVING");
    char today[11];
    xc_date_text (xc_date_from_ms (xc_now_ms ()), today);
    const char *enroll[] = {"enroll", "--client-config", cw, "--id", id,
                            "--name", "Wang Fang", "--home", "341002",
                            "--program", "dibao", "--since", today,
                            "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, enroll), 0);
    xt_assert_has (out, "\"delivered\": true");

    Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
    Xiecha__TerminalLoad *t = s_load_of (st, "cw-1");
    assert_non_null (t);
    assert_string_equal (t->township, "469021100");
    assert_int_equal (t->queries, 2);
    assert_true (t->requests >= 3);
    assert_true (st->terminals_listed == 6);
    xiecha__status_reply__free_unpacked (st, NULL);
}

static void
test_unlisted_key_cannot_connect (void **state)
{
    char stranger[PATH_MAX], why[512];
    xt_term_stranger (fed, DINGAN, stranger);
    int before = xt_fed_log_count (fed, DINGAN, "terminal handshake from");
    xc_client_t *c = xt_term_client (stranger, 1500);
    assert_int_equal (s_status_rc (c, why), XC_ETIMEOUT);
    xt_assert_has (why, "terminal list");
    xc_client_destroy (&c);
    assert_true (xt_fed_log_count (fed, DINGAN, "terminal handshake from")
                 > before);
}

/*  One refused request of a terminal: code XC_EROLE naming the role,
    and one more audit entry at the node. */
static void
s_refused (const char *zpl, int (*call) (xc_client_t *, char *),
           const char *role)
{
    uint64_t entries = xt_fed_audit_entries (fed, DINGAN);
    char why[512];
    xc_client_t *c = xt_term_client (zpl, 20000);
    assert_int_equal (call (c, why), XC_EROLE);
    xc_client_destroy (&c);
    char needs[64];
    snprintf (needs, sizeof needs, "needs the role %s", role);
    xt_assert_has (why, needs);
    assert_true (xt_fed_audit_entries (fed, DINGAN) > entries);
}

static int
s_conflicts_rc (xc_client_t *c, char *why)
{
    Xiecha__ConflictsReply *r = NULL;
    int rc = xc_client_conflicts (c, &r, why, 512);
    if (r)
        xiecha__conflicts_reply__free_unpacked (r, NULL);
    return rc;
}

static int
s_audit_check_rc (xc_client_t *c, char *why)
{
    Xiecha__IntegrityStatus *r = NULL;
    int rc = xc_client_audit_check (c, false, &r, why, 512);
    if (r)
        xiecha__integrity_status__free_unpacked (r, NULL);
    return rc;
}

static int
s_allowed (const char *zpl, int (*call) (xc_client_t *, char *))
{
    char why[512];
    xc_client_t *c = xt_term_client (zpl, 20000);
    int rc = call (c, why);
    if (rc)
        print_error ("refused: %s\n", why);
    xc_client_destroy (&c);
    return rc;
}

static void
test_roles_allow_and_refuse (void **state)
{
    //  caseworker: queries (above); not status, conflicts, audit.
    s_refused (cw, s_status_rc, "admin");
    s_refused (cw, s_conflicts_rc, "roster");
    s_refused (cw, s_audit_check_rc, "auditor");
    //  roster: conflicts; not queries.
    assert_int_equal (s_allowed (ro, s_conflicts_rc), 0);
    s_refused (ro, s_query, "caseworker");
    //  auditor: audit check; not conflicts nor status.
    assert_int_equal (s_allowed (au, s_audit_check_rc), 0);
    s_refused (au, s_conflicts_rc, "roster");
    s_refused (au, s_status_rc, "admin");
    //  admin: everything.
    assert_int_equal (s_allowed (ad, s_status_rc), 0);
    assert_int_equal (s_allowed (ad, s_conflicts_rc), 0);
    assert_int_equal (s_allowed (ad, s_audit_check_rc), 0);
    assert_int_equal (s_allowed (ad, s_query), 0);
    //  The CLI says it with its own exit status and code.
    char out[2048];
    const char *status[] = {"status", "--client-config", ro, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, status), 8);
    xt_assert_has (out, "\"code\": \"XC_EROLE\"");
    Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
    assert_true (st->terminals_denied >= 6);
    xiecha__status_reply__free_unpacked (st, NULL);
    assert_true (xt_fed_log_count (fed, DINGAN, "refused conflicts of "
                                   "terminal cw-1") == 1);
}

static void
test_revoked_terminal_cut_off_after_sighup (void **state)
{
    char why[512], out[1024];
    xc_client_t *c = xt_term_client (rev, 20000);
    assert_int_equal (s_query (c, why), 0);
    pid_t pid = fed->nodes[DINGAN].pid;
    const char *args[] = {"terminal", "revoke", "--id", "cw-revoked", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "revoked");
    xt_term_reload (fed, DINGAN);
    //  The open session: refused by the check of every request.
    assert_int_equal (s_query (c, why), XC_EROLE);
    xt_assert_has (why, "cw-revoked is revoked");
    xc_client_destroy (&c);
    //  A new one: ZAP refuses the handshake.
    c = xt_term_client (rev, 1500);
    assert_int_equal (s_status_rc (c, why), XC_ETIMEOUT);
    xc_client_destroy (&c);
    assert_true (xt_fed_alive (fed, DINGAN));
    assert_int_equal (fed->nodes[DINGAN].pid, pid);
    //  Others go on, on the reloaded list.
    c = xt_term_client (cw, 20000);
    assert_int_equal (s_query (c, why), 0);
    xc_client_destroy (&c);
}

static void
test_rate_limit_refuses_and_recovers (void **state)
{
    char why[512];
    xc_client_t *c = xt_term_client (rate, 20000);
    for (int i = 0; i < S_BURST; i++)
        if (s_query (c, why) != 0)
            fail_msg ("query %d of the burst: %s", i + 1, why);
    assert_int_equal (s_query (c, why), XC_ERATE);
    xt_assert_has (why, "cw-rate is over its limit of 60 queries a minute");
    xt_assert_has (why, "retry in");
    //  One token a second comes back: the retry the message names works.
    int rc = XC_ERATE;
    for (int tries = 0; rc == XC_ERATE && tries < 30; tries++) {
        const char *in = strstr (why, "retry in ");
        long ms = in ? strtol (in + 9, NULL, 10) : 1000;
        zclock_sleep ((int) (ms > 0 ? ms : 1) + 20);
        rc = s_query (c, why);
    }
    if (rc)
        fail_msg ("no recovery: %s", why);
    xc_client_destroy (&c);
    Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
    Xiecha__TerminalLoad *t = s_load_of (st, "cw-rate");
    assert_non_null (t);
    assert_true (t->throttled >= 1);
    assert_int_equal (t->queries, S_BURST + 1);
    assert_true (st->limits->terminal_queries_per_minute == 60);
    xiecha__status_reply__free_unpacked (st, NULL);
}

static void
test_ipc_socket_takes_group_and_mode (void **state)
{
    struct stat st;
    const char *path = fed->nodes[DINGAN].socket + strlen ("ipc://");
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0660);
    assert_int_equal (st.st_gid, getgid ());
    //  Tunxi keeps the default: the daemon's user alone.
    path = fed->nodes[TUNXI].socket + strlen ("ipc://");
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
}

/*  A copy of Ding'an's config named name, with the line of key (in the
    node section) set to value, or dropped when value is NULL. */
static const char *
s_config_edit (const char *name, const char *key, const char *value)
{
    zchunk_t *chunk = zchunk_slurp (fed->nodes[DINGAN].config, 0);
    assert_non_null (chunk);
    char *text = strndup ((char *) zchunk_data (chunk), zchunk_size (chunk));
    zchunk_destroy (&chunk);
    char prefix[64], edited[16384];
    snprintf (prefix, sizeof prefix, "    %s = ", key);
    char *line = strstr (text, prefix);
    assert_non_null (line);
    char *end = strchr (line, '\n');
    snprintf (edited, sizeof edited, "%.*s%s%s%s%s", (int) (line - text),
              text, value ? prefix : "", value ? value : "",
              value ? "\n" : "", end + 1);
    free (text);
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", fed->nodes[DINGAN].dir, name);
    xt_writef (path, "%s", edited);
    return path;
}

static void
test_check_refuses_plain_tcp_client_endpoint (void **state)
{
    char out[4096];
    const char *args[] = {"--check", NULL};
    const char *plain = s_config_edit ("plain.zpl", "client_bind",
                                       "\"tcp://127.0.0.1:7399\"");
    assert_int_equal (xt_fed_xiechad_config (fed, plain, args, out,
                                             sizeof out), 1);
    xt_assert_has (out, "node/client_bind");
    xt_assert_has (out, "would be plain");
    //  Nor a terminal endpoint without the list of who may use it.
    const char *bare = s_config_edit ("bare.zpl", "terminals", NULL);
    assert_int_equal (xt_fed_xiechad_config (fed, bare, args, out,
                                             sizeof out), 1);
    xt_assert_has (out, "node/terminal_bind needs node/terminals");
    //  Nor a group that does not exist.
    const char *nogroup = s_config_edit ("nogroup.zpl", "client_ipc_group",
                                         "\"no-such-group-xc\"");
    assert_int_equal (xt_fed_xiechad_config (fed, nogroup, args, out,
                                             sizeof out), 1);
    xt_assert_has (out, "no group 'no-such-group-xc'");
    //  The node's own config passes, naming its terminals.
    assert_int_equal (xt_fed_xiechad_config (fed, fed->nodes[DINGAN].config,
                                             args, out, sizeof out), 0);
    xt_assert_has (out, "6 terminals");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_terminal_queries_and_enrolls_over_curve),
        cmocka_unit_test (test_unlisted_key_cannot_connect),
        cmocka_unit_test (test_roles_allow_and_refuse),
        cmocka_unit_test (test_revoked_terminal_cut_off_after_sighup),
        cmocka_unit_test (test_rate_limit_refuses_and_recovers),
        cmocka_unit_test (test_check_refuses_plain_tcp_client_endpoint),
        cmocka_unit_test (test_ipc_socket_takes_group_and_mode),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
