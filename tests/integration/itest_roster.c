/*  itest_roster.c - a certificate tells the truth: roster snapshots at
    the registration node, their dates in every certificate, conflicts
    surfaced on both paying nodes.  Ding'an 469021 and Lingshui 469028
    are residence nodes, Tunxi 341002 the registration node; nobody has
    a roster until a test imports one (no_rosters), through the real
    CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 3, .deadline_ms = 3000,
                       .rogue = false, .no_rosters = true};
    fed = xt_fed_new_opts (&o);
    /* the network's rule, in the list every node and verifier holds */
    FILE *trust = fopen (fed->trust, "a");
    assert_non_null (trust);
    fprintf (trust, "    max_roster_age_days = 40\n");
    assert_int_equal (fclose (trust), 0);
    for (size_t i = 0; i < 3; i++) {
        xt_fed_config_append (fed, i, "    retry_max_ms = 400\n");
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

/* --------------------------------------------------------------------------
   Helpers
   -------------------------------------------------------------------------- */

/*  The UTC date days ago, "YYYY-MM-DD" (one of 8 static buffers), and as
    YYYYMMDD. */
static uint32_t
s_day (int days_ago)
{
    return xc_date_of_days (xc_date_days (xc_zone_date (xc_now_ms ()))
                            - days_ago);
}

static const char *
s_date (int days_ago)
{
    static char bufs[8][11];
    static int next;
    char *b = bufs[next++ % 8];
    xc_date_text (s_day (days_ago), b);
    return b;
}

/*  Runs `xiecha ARGS... -c <node>` with its stdout in out (may be NULL);
    returns the exit status. */
static int
s_cli (size_t node, char *out, size_t len, const char *const *args)
{
    return xt_fed_cli (fed, (int) node, out, len, args);
}

/*  Imports csv (written to a file named name) at Tunxi with extra
    options (NULL-terminated); returns the exit status, stdout in out. */
static int
s_import (const char *name, const char *csv, char *out, size_t len, ...)
{
    const char *args[12] = {"import", xt_fed_write (fed, name, csv), "--json"};
    size_t n = 3;
    va_list ap;
    va_start (ap, len);
    for (const char *a; n < 11 && (a = va_arg (ap, const char *));)
        args[n++] = a;
    va_end (ap);
    args[n] = NULL;
    return s_cli (TUNXI, out, len, args);
}

/*  A query from node to Tunxi about id and one program. */
static int
s_query (size_t node, const char *id, int program, xc_answer_t *a, char *why)
{
    const int programs[] = {program};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {id, "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, node);
    memset (a, 0, sizeof *a);
    int rc = xc_client_query (c, &q, a, why, 512);
    xc_client_destroy (&c);
    return rc;
}

/*  The status of id for program at Tunxi, asked from Ding'an; fails
    unless a certificate came. */
static int
s_status (const char *id, int program)
{
    xc_answer_t a;
    char why[512] = "";
    if (s_query (DINGAN, id, program, &a, why) != 0)
        fail_msg ("query: %s", why);
    int status = a.cert->results[0]->status;
    xc_answer_free (&a);
    return status;
}

/*  An enrollment of id in program from start, or its termination on end,
    reported by node to Tunxi; waits for the ack. */
static int
s_notice (size_t node, int kind, const char *id, int program, uint32_t start,
          uint32_t end, char *why)
{
    xc_notice_t n = {.kind = kind,
                     .home_county = "341002",
                     .applicant = {id, "Applicant"},
                     .program = program,
                     .start_date = start,
                     .end_date = end,
                     .reason = XIECHA__TERMINATION_REASON__MOVED_AWAY,
                     .wait_ms = 5000};
    xc_notice_result_t res;
    xc_client_t *c = xt_fed_client (fed, node);
    int rc = xc_client_notice (c, &n, &res, why, 512);
    xc_client_destroy (&c);
    if (rc == 0 && !res.delivered)
        fail_msg ("notice queued but not acknowledged in 5 s");
    return rc;
}

/*  The conflict of ref and program in node's listing, or NULL; *list
    keeps it (free with xiecha__conflicts_reply__free_unpacked). */
static const Xiecha__ConflictItem *
s_conflict (size_t node, const uint8_t *ref, int program,
            Xiecha__ConflictsReply **list)
{
    xc_client_t *c = xt_fed_client (fed, node);
    char why[512] = "";
    if (xc_client_conflicts (c, list, why, sizeof why) != 0)
        fail_msg ("conflicts: %s", why);
    xc_client_destroy (&c);
    for (size_t i = 0; i < (*list)->n_items; i++) {
        const Xiecha__ConflictItem *it = (*list)->items[i];
        if ((int) it->program == program && it->subject.len == XC_REF_LEN
            && memcmp (it->subject.data, ref, XC_REF_LEN) == 0)
            return it;
    }
    return NULL;
}

/*  Waits up to 30 s (store-and-forward) for node to list the conflict of
    id and program, resolved (or still open) as asked; fails otherwise. */
static void
s_wait_conflict (size_t node, const char *id, int program, int resolved,
                 Xiecha__Conflict *out)
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, id, ref);
    for (int i = 0; i < 300; i++) {
        Xiecha__ConflictsReply *list = NULL;
        const Xiecha__ConflictItem *it = s_conflict (node, ref, program,
                                                     &list);
        int done = it && (it->conflict->resolved != 0) == (resolved != 0);
        if (done) {
            assert_string_equal (it->registration, "341002");
            *out = *it->conflict;
        }
        xiecha__conflicts_reply__free_unpacked (list, NULL);
        if (done)
            return;
        usleep (100 * 1000);
    }
    fail_msg ("node %s does not list the conflict as %s", fed->nodes[node].code,
              resolved ? "resolved" : "open");
}

/*  The roster dates in a certificate, as "DIBAO=20261130 TEKUN=0". */
static void
s_rosters_text (const Xiecha__Certificate *c, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->n_rosters && used < len; i++)
        used += (size_t) snprintf (out + used, len - used, "%s%s=%u",
                                   i ? " " : "",
                                   xc_program_name (c->rosters[i]->program),
                                   (unsigned) c->rosters[i]->as_of);
}

/* --------------------------------------------------------------------------
   Freshness
   -------------------------------------------------------------------------- */

/*  A node with no roster of a program certifies nobody NOT_RECEIVING of
    it: a signed refusal naming program and node, exit 6 in the CLI. */
static void
test_empty_roster_refused (void **state)
{
    const char *id = xt_id_next ("341002");
    xc_answer_t a;
    char why[512] = "";
    assert_int_equal (s_query (DINGAN, id, XIECHA__PROGRAM__DIBAO, &a, why),
                      XC_EROSTER);
    assert_string_equal (why, "341002 cannot answer for DIBAO: it holds no "
                              "roster of DIBAO");
    char out[4096];
    const char *args[] = {"query", "--id", id, "--name", "X", "--home",
                          "341002", "--program", "dibao", "--json", NULL};
    assert_int_equal (s_cli (DINGAN, out, sizeof out, args), 6);
    xt_assert_has (out, "\"code\": \"XC_EROSTER\"");
    xt_assert_has (out, "no roster of DIBAO");
    /* status says so too */
    const char *st[] = {"status", NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, st), 0);
    xt_assert_has (out, "minimum living allowance (dibao) no roster: cannot "
                        "certify NOT_RECEIVING");
}

/*  A roster older than the trust list allows (40 days in this one) is
    refused with its date; RECEIVING can still be said from it; an older
    snapshot than the last is refused; a fresh one answers again, and
    every certificate names the roster it rests on. */
static void
test_stale_roster_refused_with_date (void **state)
{
    const char *paid = xt_id_next ("341002"), *other = xt_id_next ("341002");
    char csv[256], out[8192];
    snprintf (csv, sizeof csv, "%s,Paid,tekun,2020-05-01\n", paid);
    assert_int_equal (s_import ("tekun-old.csv", csv, out, sizeof out,
                                "--as-of", s_date (41), NULL), 0);
    xt_assert_has (out, "\"added\": 1");

    xc_answer_t a;
    char why[512] = "", want[200];
    assert_int_equal (s_query (DINGAN, other, XIECHA__PROGRAM__TEKUN, &a, why),
                      XC_EROSTER);
    snprintf (want, sizeof want, "341002 cannot answer for TEKUN: its roster "
              "is from %s, older than 40 days", s_date (41));
    assert_string_equal (why, want);
    /* RECEIVING needs no fresh roster */
    assert_int_equal (s_query (DINGAN, paid, XIECHA__PROGRAM__TEKUN, &a, why),
                      0);
    assert_int_equal (a.cert->results[0]->status, XIECHA__STATUS__RECEIVING);
    xc_answer_free (&a);

    /* a snapshot older than the last one is refused, nothing changes */
    assert_int_equal (s_import ("tekun-older.csv", csv, out, sizeof out,
                                "--as-of", s_date (42), NULL), 2);
    xt_assert_has (out, "is older than the last snapshot of TEKUN");

    /* fresh: NOT_RECEIVING again, with the date in the certificate */
    assert_int_equal (s_import ("tekun.csv", csv, out, sizeof out, "--as-of",
                                s_date (2), NULL), 0);
    xt_assert_has (out, "\"unchanged\": 1");
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/tekun-cert.pem", fed->root);
    const char *args[] = {"query", "--id", other, "--name", "X", "--home",
                          "341002", "--program", "tekun", "--out", path,
                          NULL};
    assert_int_equal (s_cli (DINGAN, out, sizeof out, args), 0);
    snprintf (want, sizeof want, "roster       extreme-poverty support as of %s", s_date (2));
    xt_assert_has (out, want);
    xt_assert_has (out, "not receiving");
    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            NULL};
    assert_int_equal (s_cli (-1, out, sizeof out, verify), 0);
    xt_assert_has (out, "VALID");
    xt_assert_has (out, want);
    assert_int_equal (s_query (DINGAN, other, XIECHA__PROGRAM__TEKUN, &a, why),
                      0);
    s_rosters_text (a.cert, why, sizeof why);
    snprintf (want, sizeof want, "TEKUN=%u", (unsigned) s_day (2));
    assert_string_equal (why, want);
    xc_answer_free (&a);
}

/* --------------------------------------------------------------------------
   Snapshots
   -------------------------------------------------------------------------- */

/*  A person missing from this month's snapshot stops being paid: the
    enrollment is closed on the snapshot's date, and its history stays;
    a corrected since replaces the open enrollment instead of adding a
    second one. */
static void
test_snapshot_closes_missing_and_keeps_history (void **state)
{
    const char *gone = xt_id_next ("341002"), *stays = xt_id_next ("341002");
    char csv[512], out[8192];
    snprintf (csv, sizeof csv, "id_number,name,program,since,until\n"
              "%s,Gone,dibao,2024-03-01\n%s,Stays,dibao,2025-01-01\n", gone,
              stays);
    assert_int_equal (s_import ("dibao-1.csv", csv, out, sizeof out,
                                "--as-of", s_date (10), NULL), 0);
    assert_int_equal (s_status (gone, XIECHA__PROGRAM__DIBAO),
                      XIECHA__STATUS__RECEIVING);

    /* next month: without the first, with the second's start corrected */
    snprintf (csv, sizeof csv, "%s,Stays,dibao,2025-02-01\n", stays);
    assert_int_equal (s_import ("dibao-2.csv", csv, out, sizeof out,
                                "--as-of", s_date (1), NULL), 0);
    xt_assert_has (out, "\"closed\": 1");
    xt_assert_has (out, "\"changed\": 1");
    assert_int_equal (s_status (gone, XIECHA__PROGRAM__DIBAO),
                      XIECHA__STATUS__NOT_RECEIVING);

    char want[120];
    const char *show[] = {"roster", "show", "--id", gone, NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, show), 0);
    snprintf (want, sizeof want, "minimum living allowance (dibao) since 2024-03-01 "
              "until %s at 341002",
              s_date (1));
    xt_assert_has (out, want);   /* closed, not deleted */
    const char *show2[] = {"roster", "show", "--id", stays, NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, show2), 0);
    xt_assert_has (out, "minimum living allowance (dibao) since 2025-02-01 "
                        "at 341002");
    assert_null (strstr (out, "2025-01-01"));   /* replaced, not added */
}

/*  Two rows of one person and program: refused with both lines, and
    nothing of the file is imported. */
static void
test_duplicate_rows_refused_with_lines (void **state)
{
    const char *twice = xt_id_next ("341002"), *fine = xt_id_next ("341002");
    char csv[512], out[8192];
    snprintf (csv, sizeof csv, "id_number,name,program,since\n"
              "%s,Twice,low_income,2025-01-01\n%s,Fine,low_income,2025-01-01\n"
              "%s,Twice,low-income,2025-06-01\n", twice, fine, twice);
    assert_int_equal (s_import ("dup.csv", csv, out, sizeof out, NULL), 2);
    xt_assert_has (out, "dup.csv:4: same person and program (LOW_INCOME) as "
                        "line 2");
    xt_assert_has (out, "nothing was imported");
    const char *show[] = {"roster", "show", "--id", fine, NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, show), 0);
    xt_assert_has (out, "enrollments  none");
    xt_assert_has (out, "low-income family no roster");
}

/* --------------------------------------------------------------------------
   Conflicts
   -------------------------------------------------------------------------- */

/*  Ding'an enrolled a person; Tunxi's own roster then pays the same
    program: the import goes through and the conflict is surfaced on both
    nodes, counted in both monthly reports, and resolved by Ding'an's
    termination. */
static void
test_import_vs_notice_conflict_listed_and_resolved (void **state)
{
    const char *id = xt_id_next ("341002");
    char why[512] = "", csv[256], out[8192];
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__DIBAO_EDGE, s_day (20), 0,
                                why), 0);
    snprintf (csv, sizeof csv, "%s,Both,dibao_edge,2025-09-01\n", id);
    assert_int_equal (s_import ("edge.csv", csv, out, sizeof out, NULL), 0);
    xt_assert_has (out, "\"conflicts\": 1");

    Xiecha__Conflict c;
    s_wait_conflict (TUNXI, id, XIECHA__PROGRAM__DIBAO_EDGE, 0, &c);
    assert_int_equal (c.roster_since, 20250901);
    assert_int_equal (c.other_since, s_day (20));
    assert_int_equal (c.found, s_day (0));
    s_wait_conflict (DINGAN, id, XIECHA__PROGRAM__DIBAO_EDGE, 0, &c);
    const char *list[] = {"conflicts", NULL};
    assert_int_equal (s_cli (DINGAN, out, sizeof out, list), 0);
    xt_assert_has (out, "marginal-dibao family ");
    xt_assert_has (out, " 341002  2025-09-01..open");
    xt_assert_has (out, "469021 ");

    /* both monthly reports count it */
    char month[8];
    snprintf (month, sizeof month, "%.7s", s_date (0));
    for (size_t node = DINGAN; node <= TUNXI; node += TUNXI - DINGAN) {
        const char *report[] = {"report", "monthly", "--month", month,
                                "--json", NULL};
        assert_int_equal (s_cli (node, out, sizeof out, report), 0);
        xt_assert_has (out, "\"kind\": \"CONFLICT_FOUND\"");
    }

    /* Ding'an ends its enrollment: resolved on both sides, still listed */
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__TERMINATION, id,
                                XIECHA__PROGRAM__DIBAO_EDGE, 0, s_day (0),
                                why), 0);
    s_wait_conflict (TUNXI, id, XIECHA__PROGRAM__DIBAO_EDGE, 1, &c);
    assert_int_equal (c.resolved, s_day (0));
    s_wait_conflict (DINGAN, id, XIECHA__PROGRAM__DIBAO_EDGE, 1, &c);
    assert_int_equal (c.resolved, s_day (0));
    assert_int_equal (c.other_until, s_day (0));
}

/*  Tunxi's roster pays a person; Lingshui enrolls the same person in the
    same program: acknowledged (both are facts), surfaced on both, and
    resolved when Tunxi's roster closes its enrollment. */
static void
test_notice_vs_snapshot_conflict_resolved_by_roster_close (void **state)
{
    const char *id = xt_id_next ("341002");
    char why[512] = "", csv[256], out[8192];
    snprintf (csv, sizeof csv, "%s,Both,temp,2026-01-01\n", id);
    assert_int_equal (s_import ("temp.csv", csv, out, sizeof out, NULL), 0);
    assert_int_equal (s_notice (LINGSHUI, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__TEMP, s_day (3), 0, why), 0);
    Xiecha__Conflict c;
    s_wait_conflict (TUNXI, id, XIECHA__PROGRAM__TEMP, 0, &c);
    s_wait_conflict (LINGSHUI, id, XIECHA__PROGRAM__TEMP, 0, &c);
    assert_int_equal (c.roster_since, 20260101);
    assert_int_equal (c.other_since, s_day (3));

    const char *close[] = {"roster", "close", "--id", id, "--program", "temp",
                           NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, close), 0);
    xt_assert_has (out, "temporary aid since 2026-01-01 until ");
    s_wait_conflict (TUNXI, id, XIECHA__PROGRAM__TEMP, 1, &c);
    s_wait_conflict (LINGSHUI, id, XIECHA__PROGRAM__TEMP, 1, &c);
    assert_int_equal (c.resolved, s_day (0));
    assert_int_equal (c.roster_until, s_day (0));
    /* nothing left to close */
    assert_int_equal (s_cli (TUNXI, out, sizeof out, close), 1);
}

/*  Periods, not days: Ding'an enrolls a person from tomorrow, and
    Lingshui the same person from today is refused, although only one of
    them pays today. */
static void
test_periods_not_days (void **state)
{
    const char *id = xt_id_next ("341002");
    char why[512] = "";
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__DIBAO, s_day (-1), 0, why),
                      0);
    assert_int_equal (s_notice (LINGSHUI, XIECHA__NOTICE_KIND__ENROLLMENT, id,
                                XIECHA__PROGRAM__DIBAO, s_day (0), 0, why),
                      XC_ECONFLICT);
    xt_assert_has (why, "paid by 469021 from ");
}

/*  The audit log rebuilds each node's index, roster dates and conflicts
    exactly, snapshots and conflicts included. */
static void
test_replay_exact (void **state)
{
    for (size_t node = 0; node < 3; node++) {
        xc_client_t *c = xt_fed_client_ms (fed, node, 60000);
        Xiecha__AuditReplayReply *r = NULL;
        char why[512] = "";
        if (xc_client_audit_replay (c, &r, why, sizeof why) != 0)
            fail_msg ("replay at %s: %s", fed->nodes[node].code, why);
        xc_client_destroy (&c);
        if (r->differences)
            fail_msg ("replay at %s: %llu differences, first %s / %s",
                      fed->nodes[node].code,
                      (unsigned long long) r->differences,
                      r->n_diffs ? r->diffs[0]->live : "",
                      r->n_diffs ? r->diffs[0]->rebuilt : "");
        assert_true (r->live_subjects > 0 || node == LINGSHUI);
        xiecha__audit_replay_reply__free_unpacked (r, NULL);
    }
}

/*  `xiecha ref` computes, on the case worker's side, the subject ref the
    node shows for a person: the same 64 hex characters as `roster show`
    gives for the same ID. */
static void
test_ref_matches_the_node (void **state)
{
    const char *id = xt_id ("34100219770707123");
    char out[8192], node_ref[80] = "", *p;
    const char *show[] = {"roster", "show", "--id", id, "--json", NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, show), 0);
    p = strstr (out, "\"subject_ref\": \"");
    assert_non_null (p);
    snprintf (node_ref, 65, "%s", p + strlen ("\"subject_ref\": \""));
    const char *ref[] = {"ref", "--id", id, NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, ref), 0);
    xt_assert_has (out, node_ref);
    /* a mistyped ID is refused, naming the check character */
    char bad[XC_ID_LEN + 1];
    snprintf (bad, sizeof bad, "%s", id);
    bad[17] = bad[17] == '0' ? '1' : '0';
    const char *wrong[] = {"ref", "--id", bad, NULL};
    assert_int_equal (s_cli (TUNXI, out, sizeof out, wrong), 2);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_empty_roster_refused),
        cmocka_unit_test (test_stale_roster_refused_with_date),
        cmocka_unit_test (test_snapshot_closes_missing_and_keeps_history),
        cmocka_unit_test (test_duplicate_rows_refused_with_lines),
        cmocka_unit_test (test_import_vs_notice_conflict_listed_and_resolved),
        cmocka_unit_test (
            test_notice_vs_snapshot_conflict_resolved_by_roster_close),
        cmocka_unit_test (test_periods_not_days),
        cmocka_unit_test (test_replay_exact),
        cmocka_unit_test (test_ref_matches_the_node),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
