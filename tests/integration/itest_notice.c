/*  itest_notice.c - enrollments flow back to the registration place and
    nothing is lost when a node dies.  Ding'an 469021 and Lingshui 469028
    are residence nodes; Tunxi 341002 is the registration node.  The home
    node is stopped, killed with SIGKILL in a loop, and the residence node
    killed between the client's commit and delivery; every notice must
    arrive exactly once, and the audit chain must stay intact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <unistd.h>

#include "store/audit.h"
#include "xt_fed.h"
#include "store/store.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    for (size_t i = 0; i < 3; i++) {
        //  Every restart of a killed Tunxi meets the whole backlog at
        //  once: the soak loop (tests/soak, XT_KILLS) sends more than the
        //  default peer burst.  The limiter has its own test
        //  (itest_peer_limits); here it would only turn retries into
        //  refusals.
        xt_fed_config_append (fed, i, "    retry_max_ms = 400\n"
                              "    peer_messages_per_s = 100000\n"
                              "    peer_messages_burst = 100000\n"
                              "    peer_subjects_per_s = 100000\n"
                              "    peer_subjects_burst = 100000\n");
        xt_fed_start (fed, i);
    }
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  A notice of id to Tunxi from node: an enrollment from start, or a
    termination on 2026-11-01. */
static int
s_notice_from (size_t node, int kind, const char *id, int program,
               uint32_t start, int wait_ms, xc_notice_result_t *res,
               char *why)
{
    xc_notice_t n = {.kind = kind,
                     .home_county = "341002",
                     .applicant = {id, "Applicant"},
                     .program = program,
                     .start_date = start,
                     .end_date = 20261101,
                     .reason = XIECHA__TERMINATION_REASON__MOVED_AWAY,
                     .amount_band = 2,
                     .aid_reason = "illness",
                     .wait_ms = wait_ms};
    xc_client_t *c = xt_fed_client (fed, node);
    int rc = xc_client_notice (c, &n, res, why, 512);
    xc_client_destroy (&c);
    return rc;
}

static int
s_notice (size_t node, int kind, const char *id, int program, int wait_ms,
          xc_notice_result_t *res, char *why)
{
    return s_notice_from (node, kind, id, program, 20260101, wait_ms, res,
                          why);
}

/*  Asks Tunxi from node about id (xt_fed_status_of). */
static int
s_status_of (size_t node, const char *id, int program, char *payer,
             size_t *enrollments)
{
    return xt_fed_status_of (fed, node, "341002", id, program, payer,
                             enrollments);
}

/*  Waits up to 30 s for node's outbox to drain. */
static void
s_drain (size_t node)
{
    for (int i = 0; i < 300 && xt_fed_outbox_pending (fed, node); i++)
        usleep (100 * 1000);
    assert_int_equal (xt_fed_outbox_pending (fed, node), 0);
}

static void
test_enroll_then_query_elsewhere_sees_receiving (void **state)
{
    const char *id = xt_id_next ("341002");
    xc_notice_result_t res;
    char why[512] = "", payer[7];
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__DIBAO, 5000, &res, why), 0);
    assert_true (res.delivered);
    assert_int_equal (s_status_of (LINGSHUI, id, XIECHA__PROGRAM__DIBAO, payer,
                                   NULL), XIECHA__STATUS__RECEIVING);
    assert_string_equal (payer, "469021");

    /* A second county cannot enroll the same person in the same program. */
    int rc = s_notice (LINGSHUI, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                       XIECHA__PROGRAM__DIBAO, 5000, &res, why);
    assert_int_equal (rc, XC_ECONFLICT);
    assert_non_null (strstr (why, "469021"));
    assert_int_equal (xt_fed_outbox_pending (fed, LINGSHUI), 0);

    /* Terminated at Ding'an: the registration place answers NOT_RECEIVING,
       and the history stays (an ended enrollment is not active). */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__TERMINATION, id,
                                XIECHA__PROGRAM__DIBAO, 5000, &res, why), 0);
    assert_true (res.delivered);
    assert_int_equal (s_status_of (LINGSHUI, id, XIECHA__PROGRAM__DIBAO, NULL,
                                   NULL), XIECHA__STATUS__NOT_RECEIVING);
    /* Not from a day Ding'an paid (periods, not days)... */
    assert_int_equal (s_notice_from (LINGSHUI, XIECHA__NOTICE_KIND__ENROLLMENT,
                                     id, XIECHA__PROGRAM__DIBAO, 20261101,
                                     5000, &res, why), XC_ECONFLICT);
    assert_non_null (strstr (why, "until 2026-11-01"));
    /* ... but from the day after Ding'an's last, Lingshui may enroll. */
    assert_int_equal (s_notice_from (LINGSHUI, XIECHA__NOTICE_KIND__ENROLLMENT,
                                     id, XIECHA__PROGRAM__DIBAO, 20261102,
                                     5000, &res, why), 0);
    assert_int_equal (s_status_of (DINGAN, id, XIECHA__PROGRAM__DIBAO, payer,
                                   NULL), XIECHA__STATUS__RECEIVING);
    assert_string_equal (payer, "469028");
}

static void
test_bad_notices_are_refused_and_change_nothing (void **state)
{
    const char *id = xt_id_next ("341002");
    xc_notice_result_t res;
    char why[512] = "";
    /* Termination of someone never enrolled here. */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__TERMINATION, id,
                                XIECHA__PROGRAM__DIBAO, 0, &res, why),
                      XC_ENOTENROLLED);
    /* An end date before the enrollment's start is named as such. */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__TEKUN, 5000, &res, why), 0);
    xc_notice_t t = {.kind = XIECHA__NOTICE_KIND__TERMINATION,
                     .home_county = "341002",
                     .applicant = {id, "A"},
                     .program = XIECHA__PROGRAM__TEKUN,
                     .end_date = 20250101,
                     .reason = XIECHA__TERMINATION_REASON__DEATH};
    xc_client_t *tc = xt_fed_client (fed, DINGAN);
    assert_int_equal (xc_client_notice (tc, &t, &res, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "end_date"));
    xc_client_destroy (&tc);
    /* Unknown program, future date beyond tolerance: refused before any
       send, by the client and (were it bypassed) by the node. */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                9, 0, &res, why), XC_EINVAL);
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                     .home_county = "341002",
                     .applicant = {id, "A"},
                     .program = XIECHA__PROGRAM__DIBAO,
                     .start_date = xc_zone_date (xc_now_ms ()
                                                    + 40ULL * 86400000)};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    assert_int_equal (xc_client_notice (c, &n, &res, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "start_date"));
    xc_client_destroy (&c);
    assert_int_equal (xt_fed_outbox_pending (fed, DINGAN), 0);
    assert_int_equal (s_status_of (LINGSHUI, id, XIECHA__PROGRAM__DIBAO, NULL,
                                   NULL), XIECHA__STATUS__NOT_RECEIVING);
}

static void
test_emergency_aid_registered_afterwards (void **state)
{
    const char *id = xt_id_next ("341002");
    xc_notice_result_t res;
    char why[512] = "";
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__EMERGENCY_AID, id,
                                XIECHA__PROGRAM__TEMP, 5000, &res, why), 0);
    assert_true (res.delivered);
}

static void
test_home_down_notices_delivered_once_on_return (void **state)
{
    const char *ids[5];
    xc_notice_result_t res;
    char why[512];
    xt_fed_stop (fed, TUNXI, 0);
    for (int i = 0; i < 5; i++) {
        ids[i] = xt_id_next ("341002");
        assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT,
                                    ids[i], XIECHA__PROGRAM__TEKUN, 0, &res,
                                    why), 0);
        assert_false (res.delivered);
    }
    assert_int_equal (xt_fed_outbox_pending (fed, DINGAN), 5);
    sleep (1);   /* several retries go nowhere */
    xt_fed_start (fed, TUNXI);
    s_drain (DINGAN);
    for (int i = 0; i < 5; i++) {
        size_t n = 0;
        assert_int_equal (s_status_of (LINGSHUI, ids[i], XIECHA__PROGRAM__TEKUN,
                                       NULL, &n), XIECHA__STATUS__RECEIVING);
        assert_int_equal (n, 1);
    }
}

static void
test_residence_killed_before_delivery_delivers_after_restart (void **state)
{
    xc_notice_result_t res;
    char why[512];
    const char *id = xt_id_next ("341002");
    xt_fed_stop (fed, TUNXI, 0);   /* so the notice cannot leave yet */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__LOW_INCOME, 0, &res, why), 0);
    xt_fed_stop (fed, DINGAN, 1);  /* kill -9 after the client's commit */
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, DINGAN);
    s_drain (DINGAN);
    assert_int_equal (s_status_of (LINGSHUI, id, XIECHA__PROGRAM__LOW_INCOME,
                                   NULL, NULL), XIECHA__STATUS__RECEIVING);
}

/*  Counts the notices from `from` that Tunxi's log says it applied, and
    checks the hash chain; the node must be stopped. */
static size_t
s_applied_in_log (const char *from, const char *program)
{
    char dir[PATH_MAX], why[256], needle[64];
    snprintf (dir, sizeof dir, "%s/data", fed->nodes[TUNXI].dir);
    snprintf (needle, sizeof needle, "%s of 1 subject(s) from %s applied",
              program, from);
    xc_store_t *store = xc_store_new (dir, 0, why, sizeof why);
    assert_non_null (store);
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (store, &txn), 0);
    uint64_t bad = 0, count = 0;
    uint8_t head[32];
    if (xc_audit_check (store, txn, &bad, why, sizeof why) != 0)
        fail_msg ("audit chain broken at %llu: %s", (unsigned long long) bad,
                  why);
    assert_int_equal (xc_audit_head (store, txn, &count, head), 0);
    size_t applied = 0;
    for (uint64_t seq = 1; seq <= count; seq++) {
        xc_audit_entry_t e;
        assert_int_equal (xc_audit_get (store, txn, seq, &e), 0);
        if (e.kind == XC_AUDIT_RECEIVED && e.note_len < sizeof needle + 32
            && memmem (e.note, e.note_len, needle, strlen (needle)))
            applied++;
    }
    mdb_txn_abort (txn);
    xc_store_destroy (&store);
    return applied;
}

static void
test_home_killed_in_a_loop_nothing_lost_nothing_twice (void **state)
{
    /* 20 kills here; tests/soak/ runs the same test with XT_KILLS=200+. */
    enum { PER_ROUND = 2, MAX_KILLS = 5000 };
    int KILLS = getenv ("XT_KILLS") ? atoi (getenv ("XT_KILLS")) : 20;
    assert_true (KILLS > 0 && KILLS <= MAX_KILLS);
    const char **ids = calloc ((size_t) KILLS * PER_ROUND, sizeof *ids);
    char (*store)[19] = calloc ((size_t) KILLS * PER_ROUND, sizeof *store);
    size_t before = 0, sent = 0;
    xt_fed_stop (fed, TUNXI, 0);
    before = s_applied_in_log ("469028", "DIBAO_EDGE");
    xt_fed_start (fed, TUNXI);
    for (int k = 0; k < KILLS; k++) {
        xc_notice_result_t res;
        char why[512];
        for (int j = 0; j < PER_ROUND; j++) {
            snprintf (store[sent], sizeof store[sent], "%s",
                      xt_id_next ("341002"));
            ids[sent] = store[sent];
            assert_int_equal (s_notice (LINGSHUI,
                                        XIECHA__NOTICE_KIND__ENROLLMENT,
                                        ids[sent], XIECHA__PROGRAM__DIBAO_EDGE,
                                        0, &res, why), 0);
            sent++;
        }
        usleep ((useconds_t) (k % 5) * 40 * 1000);   /* kill at varied points */
        xt_fed_stop (fed, TUNXI, 1);
        xt_fed_start (fed, TUNXI);
    }
    s_drain (LINGSHUI);
    for (size_t i = 0; i < sent; i++) {
        size_t n = 0;
        assert_int_equal (s_status_of (DINGAN, ids[i],
                                       XIECHA__PROGRAM__DIBAO_EDGE, NULL, &n),
                          XIECHA__STATUS__RECEIVING);
        assert_int_equal (n, 1);
    }
    xt_fed_stop (fed, TUNXI, 0);
    /* Each notice applied exactly once: redeliveries were acked from the
       seen ids, never applied again. */
    assert_int_equal (s_applied_in_log ("469028", "DIBAO_EDGE") - before, sent);
    xt_fed_start (fed, TUNXI);
    if (getenv ("XT_KILLS"))
        printf ("soak: %d SIGKILLs of the home node, %zu notices, each "
                "applied exactly once, audit chain intact\n", KILLS, sent);
    free (ids);
    free (store);
}

/*  After all of the above (conflicts, terminations, kills), every node's
    index is exactly what its audit log says. */
static void
test_audit_replay_matches_live_index (void **state)
{
    for (int i = 0; i < 3; i++) {
        char out[4096];
        const char *args[] = {"audit", "replay", NULL};
        int rc = xt_fed_cli (fed, i, out, sizeof out, args);
        if (rc != 0 || !strstr (out, "index matches the log"))
            fail_msg ("node %s: replay exit %d: %s", fed->nodes[i].code, rc,
                      out);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_enroll_then_query_elsewhere_sees_receiving),
        cmocka_unit_test (test_bad_notices_are_refused_and_change_nothing),
        cmocka_unit_test (test_emergency_aid_registered_afterwards),
        cmocka_unit_test (test_home_down_notices_delivered_once_on_return),
        cmocka_unit_test (test_residence_killed_before_delivery_delivers_after_restart),
        cmocka_unit_test (test_home_killed_in_a_loop_nothing_lost_nothing_twice),
        cmocka_unit_test (test_audit_replay_matches_live_index),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
