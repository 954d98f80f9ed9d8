/*  itest_attribution.c - who did what, against real daemons: Ding'an
    (469021) serves a township terminal over TCP+CURVE (cw-1, township
    469021100) and its local administrator over IPC; Tunxi (341002) is
    the registration node they ask and report to.

    The terminal's query and enrollment are named in Ding'an's audit log
    (terminal, township, operator), in its export, in the offline
    verifier's summary and in `audit list` filtered by terminal and by
    township, and so is the local administrator's export of the log; Ding'an's monthly report counts them under the township.
    The township code, and not the operator, reaches Tunxi: its log
    notes it and its report counts the certificate issued and the
    enrollment applied under it.  A query whose township lies outside
    its sender's county is refused. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"
#include "xt_term.h"

enum { DINGAN = 0, TUNXI = 1 };

#define TOWNSHIP "469021100"

static xt_fed_t *fed;
static char cw[PATH_MAX], month[8];

/*  Runs the CLI, failing with its output unless it exits 0. */
static void
s_cli (int node, char *out, size_t len, const char *const *args)
{
    int rc = xt_fed_cli (fed, node, out, len, args);
    if (rc != 0)
        fail_msg ("xiecha %s %s: exit %d: %s", args[0], args[1], rc, out);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = true};
    fed = xt_fed_new_opts (&o);
    xt_term_enable (fed, DINGAN);
    xt_term_add (fed, DINGAN, "cw-1", "caseworker", cw);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    //  The month of the reports, in the nodes' zone (Beijing, UTC+8).
    char iso[32];
    xc_time_iso (xc_now_ms () + 8 * 3600 * 1000ull, iso);
    snprintf (month, sizeof month, "%.7s", iso);

    char out[4096], today[11];
    xc_date_text (xc_date_from_ms (xc_now_ms () + 8 * 3600 * 1000ull), today);
    const char *id = xt_id_next ("341002");
    const char *query[] = {"query", "--client-config", cw, "--id", id,
                           "--name", "Wang Fang", "--home", "341002",
                           "--program", "dibao", "--json", NULL};
    const char *enroll[] = {"enroll", "--client-config", cw, "--id", id,
                            "--name", "Wang Fang", "--home", "341002",
                            "--program", "dibao", "--since", today,
                            "--json", NULL};
    const char *local[] = {"query", "--id", xt_id_next ("341002"), "--name",
                           "Li Lei", "--home", "341002", "--program",
                           "tekun", "--json", NULL};
    if (xt_fed_cli (fed, -1, out, sizeof out, query) != 0
        || xt_fed_cli (fed, -1, out, sizeof out, enroll) != 0
        || !strstr (out, "\"delivered\": true")
        || xt_fed_cli (fed, DINGAN, out, sizeof out, local) != 0) {
        fprintf (stderr, "setup: %s\n", out);
        return -1;
    }
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Node i's log exported to <root>/name; returns the path. */
static const char *
s_export (size_t i, const char *name)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    char out[4096];
    const char *args[] = {"audit", "export", "--out", path, NULL};
    s_cli ((int) i, out, sizeof out, args);
    return path;
}

/*  `audit list FILE` with the trust anchor, opt val (opt NULL: none) and
    --json; returns its exit status, its stdout in out. */
static int
s_list (const char *path, const char *opt, const char *val, bool json,
        char *out, size_t len)
{
    const char *args[12] = {"audit", "list", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed)};
    size_t n = 7;
    if (opt) {
        args[n++] = opt;
        args[n++] = val;
    }
    if (json)
        args[n++] = "--json";
    return xt_fed_cli (fed, -1, out, len, args);
}

static void
test_log_export_and_verifier_name_the_terminal (void **state)
{
    static char out[1 << 16];
    const char *path = s_export (DINGAN, "dingan.audit");
    const char *json[] = {"audit", "verify", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    s_cli (-1, out, sizeof out, json);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"terminal\": \"cw-1\"");
    xt_assert_has (out, "\"township\": \"" TOWNSHIP "\"");
    xt_assert_has (out, "\"operator\": \"Operator of cw-1\"");
    xt_assert_has (out, "\"terminal\": \"ipc\"");
    const char *human[] = {"audit", "verify", path, "--trust", fed->trust,
                           "--root", xt_fed_anchor (fed), NULL};
    s_cli (-1, out, sizeof out, human);
    xt_assert_has (out, "actor        cw-1 (township " TOWNSHIP
                   ", Operator of cw-1)");
    xt_assert_has (out, "actor        ipc (township -, local administrator)");

    //  One terminal's actions: its query sent, the certificate it got,
    //  its notice; nothing of the local administrator's.
    assert_int_equal (s_list (path, "--terminal", "cw-1", true, out,
                              sizeof out), 0);
    xt_assert_has (out, "\"kind\": \"sent\"");
    xt_assert_has (out, "\"kind\": \"received\"");
    xt_assert_has (out, "\"note\": \"query\"");
    xt_assert_has (out, "\"operator\": \"Operator of cw-1\"");
    assert_null (strstr (out, "\"terminal\": \"ipc\""));
    assert_null (strstr (out, "\"listed\": 0"));
    //  One township's, in text.
    assert_int_equal (s_list (path, "--township", TOWNSHIP, false, out,
                              sizeof out), 0);
    xt_assert_has (out, "cw-1");
    xt_assert_has (out, "Operator of cw-1");
    assert_null (strstr (out, "local administrator"));
    assert_int_equal (s_list (path, "--township", "469021999", true, out,
                              sizeof out), 0);
    xt_assert_has (out, "\"listed\": 0");
    //  The local administrator's: its query, and the export itself (who
    //  reads the log is audited too, before the first page pins it).
    assert_int_equal (s_list (path, "--terminal", "ipc", true, out,
                              sizeof out), 0);
    xt_assert_has (out, "\"note\": \"audit export requested: entries 1..");
    xt_assert_has (out, "\"operator\": \"local administrator\"");
    assert_null (strstr (out, "cw-1"));
    //  A township that is no code is bad input, in JSON too.
    assert_int_equal (s_list (path, "--township", "4690", true, out,
                              sizeof out), 2);
}

static void
test_monthly_report_counts_per_township (void **state)
{
    static char out[1 << 15];
    const char *args[] = {"report", "monthly", "--month", month, "--json",
                          NULL};
    s_cli (DINGAN, out, sizeof out, args);
    xt_assert_has (out, "\"township\": \"" TOWNSHIP "\"");
    const char *t = strstr (out, "\"townships\"");
    assert_non_null (t);
    xt_assert_has (t, "\"" TOWNSHIP "\": {");
    xt_assert_has (t, "\"QUERY_SENT\": 1");
    xt_assert_has (t, "\"ENROLLMENT_SENT\": 1");
    //  The local administrator's query counts under no township.
    xt_assert_has (out, "\"township\": null");
    const char *human[] = {"report", "monthly", "--month", month, NULL};
    s_cli (DINGAN, out, sizeof out, human);
    xt_assert_has (out, "per township");
}

static void
test_township_reaches_the_registration_node (void **state)
{
    static char out[1 << 16];
    const char *args[] = {"report", "monthly", "--month", month, "--json",
                          NULL};
    s_cli (TUNXI, out, sizeof out, args);
    const char *t = strstr (out, "\"townships\"");
    assert_non_null (t);
    xt_assert_has (t, "\"" TOWNSHIP "\": {");
    xt_assert_has (t, "\"CERTIFICATE_ISSUED\": 1");
    xt_assert_has (t, "\"ENROLLMENT_APPLIED\": 1");
    //  Its log notes the township; the operator's name never left
    //  Ding'an.
    const char *path = s_export (TUNXI, "tunxi.audit");
    assert_int_equal (s_list (path, NULL, NULL, false, out, sizeof out), 0);
    xt_assert_has (out, "query from township " TOWNSHIP);
    xt_assert_has (out, "township " TOWNSHIP " applied");
    assert_null (strstr (out, "Operator of"));
    assert_null (strstr (out, "cw-1"));
}

static void
test_township_outside_the_county_refused (void **state)
{
    uint8_t ref[XC_REF_LEN] = {1};
    ProtobufCBinaryData subject = {XC_REF_LEN, ref};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 1;
    q.subjects = &subject;
    q.n_programs = 1;
    q.programs = &dibao;
    q.relation = xc_relation_of (XT_ROGUE, "341002");
    q.deadline = xc_now_ms () + 10000;
    q.township = (char *) TOWNSHIP;   /* Ding'an's, not the rogue's */
    Xiecha__Signed s = XIECHA__SIGNED__INIT;
    s.body_case = XIECHA__SIGNED__BODY_QUERY;
    s.query = &q;
    zframe_t *env = xt_fed_rogue_seal (fed, &s, XIECHA__MSG_TYPE__MSG_QUERY,
                                       "341002", NULL, 0, NULL, NULL);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, zframe_data (env), zframe_size (env),
                               5000);
    zframe_destroy (&env);
    assert_non_null (f);
    char why[256];
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    xt_assert_has (op.msg->error->message, "query.township");
    xt_assert_has (op.msg->error->message, "county 460000");
    xc_opened_free (&op);
    zframe_destroy (&f);
    zsock_destroy (&peer);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_log_export_and_verifier_name_the_terminal),
        cmocka_unit_test (test_monthly_report_counts_per_township),
        cmocka_unit_test (test_township_reaches_the_registration_node),
        cmocka_unit_test (test_township_outside_the_county_refused),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
