/*  test_roster.c - roster imports in the node's own modules
    (decide/roster.h): the node's own checks of a whole import, deltas,
    one enrollment closed, the rows' date bounds, an import that stopped
    half-way, and the freshness rule.  B (341002) is the registration
    node; every import is logged and replayed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decide/roster.h"
#include "office/replay.h"
#include "store/index.h"
#include "store/rosters.h"
#include "xt_local.h"

#define CODE_A "469021"
#define CODE_B "341002"

static int
s_setup (void **state)
{
    *state = xt_pair_new ("roster", CODE_A, CODE_B);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_destroy ((xt_pair_t **) state);
    return 0;
}

/* --------------------------------------------------------------------------
   Helpers
   -------------------------------------------------------------------------- */

/*  Rows of the tests, with their storage. */
typedef struct {
    Xiecha__RosterRow rows[16];
    Xiecha__RosterRow *ptrs[16];
    size_t n;
} s_rows_t;

static void
s_row (s_rows_t *r, const char *id, int program, uint32_t since,
       uint32_t until, uint32_t line)
{
    Xiecha__RosterRow *row = &r->rows[r->n];
    xiecha__roster_row__init (row);
    row->id_number = (char *) id;
    row->program = (Xiecha__Program) program;
    row->since = since;
    row->until = until;
    row->line = line;
    r->ptrs[r->n++] = row;
}

/*  A BEGIN: a snapshot as of as_of of programs (0: the rows'), or a
    delta. */
static Xiecha__ImportRequest *
s_begin (Xiecha__ImportRequest *b, Xiecha__Program *programs, int delta,
         uint32_t as_of, int program)
{
    xiecha__import_request__init (b);
    b->step = XIECHA__IMPORT_REQUEST__STEP__BEGIN;
    b->delta = delta;
    b->as_of = as_of;
    if (program) {
        programs[0] = (Xiecha__Program) program;
        b->programs = programs;
        b->n_programs = 1;
    }
    return b;
}

/*  The record of id at node. */
static size_t
s_record (xt_pair_t *f, xc_node_t *node, const char *id,
          xc_enrollment_t *list)
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, id, ref);
    MDB_txn *txn;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    size_t n = 0;
    assert_int_equal (xc_index_get (node->store, txn, ref, list, XC_INDEX_MAX,
                                    &n), 0);
    mdb_txn_abort (txn);
    return n;
}

static uint32_t
s_today (int days_ago)
{
    return xc_date_of_days (xc_date_days (xc_zone_date (xc_now_ms ()))
                            - days_ago);
}

/*  Whether node may say NOT_RECEIVING of program now; why when not. */
static int
s_fresh (xc_node_t *node, int program, uint32_t *as_of, char *why)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_roster_fresh (node, txn, program, xc_now_ms (), as_of, why,
                              300);
    mdb_txn_abort (txn);
    return rc;
}

/* --------------------------------------------------------------------------
   Tests
   -------------------------------------------------------------------------- */

/*  The node checks the whole import itself, whatever the client did:
    two rows of one person and program are refused with both lines, and
    nothing of the file is applied. */
static void
test_node_refuses_duplicates (void **state)
{
    xt_pair_t *f = *state;
    const char *id = xt_id ("34100219810101001");
    s_rows_t r = {0};
    s_row (&r, xt_id ("34100219810101002"), XIECHA__PROGRAM__DIBAO, 20250101,
           0, 2);
    s_row (&r, id, XIECHA__PROGRAM__DIBAO, 20250101, 0, 3);
    s_row (&r, id, XIECHA__PROGRAM__TEKUN, 20250101, 0, 5);
    s_row (&r, id, XIECHA__PROGRAM__DIBAO, 20250301, 0, 7);
    char why[400] = "";
    assert_int_equal (xt_import (f->b, NULL, r.ptrs, r.n, NULL, why,
                                 sizeof why), XC_EINVAL);
    assert_string_equal (why, "line 7: same person and program (DIBAO) as "
                              "line 3; nothing was imported");
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_record (f, f->b, id, list), 0);
    uint32_t as_of;
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__DIBAO, &as_of, why),
                      XC_EROSTER);
    assert_int_equal (as_of, 0);
    assert_string_equal (why, "cannot answer for DIBAO: it holds no roster "
                              "of DIBAO");
}

/*  A delta adds, corrects (a new since replaces the open enrollment) and
    closes; it sets no roster date. */
static void
test_delta_adds_corrects_closes (void **state)
{
    xt_pair_t *f = *state;
    const char *id = xt_id ("34100219820202001");
    Xiecha__ImportRequest b;
    Xiecha__Program p[1];
    char why[400] = "";
    xc_roster_summary_t sum;
    s_rows_t r = {0};
    s_row (&r, id, XIECHA__PROGRAM__TEMP, 20250101, 0, 2);
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 1, 0, 0), r.ptrs, 1,
                                 &sum, why, sizeof why), 0);
    assert_int_equal (sum.added, 1);
    r.n = 0;
    s_row (&r, id, XIECHA__PROGRAM__TEMP, 20250201, 0, 2);
    assert_int_equal (xt_import (f->b, &b, r.ptrs, 1, &sum, why, sizeof why),
                      0);
    assert_int_equal (sum.changed, 1);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_record (f, f->b, id, list), 1);
    assert_int_equal (list[0].since, 20250201);
    assert_int_equal (list[0].until, 0);
    assert_int_equal (list[0].source, XC_SOURCE_ROSTER);
    r.n = 0;
    s_row (&r, id, XIECHA__PROGRAM__TEMP, 20250201, 20250630, 2);
    assert_int_equal (xt_import (f->b, &b, r.ptrs, 1, &sum, why, sizeof why),
                      0);
    assert_int_equal (sum.changed, 1);
    assert_int_equal (s_record (f, f->b, id, list), 1);
    assert_int_equal (list[0].until, 20250630);
    /* the same again: unchanged */
    assert_int_equal (xt_import (f->b, &b, r.ptrs, 1, &sum, why, sizeof why),
                      0);
    assert_int_equal (sum.unchanged, 1);
    uint32_t as_of;
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__TEMP, &as_of, why),
                      XC_EROSTER);
}

/*  A row's since at most limits/date_future_days (7) after the
    snapshot's date, its until at most a year; never 9999. */
static void
test_row_dates_bounded (void **state)
{
    xt_pair_t *f = *state;
    const char *id = xt_id ("34100219830303001");
    Xiecha__ImportRequest b;
    Xiecha__Program p[1];
    char why[400] = "", want[300], date[11], bound[11];
    s_rows_t r = {0};
    s_row (&r, id, XIECHA__PROGRAM__DIBAO, s_today (-8), 0, 4);
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 1, 0, 0), r.ptrs, 1,
                                 NULL, why, sizeof why), XC_EINVAL);
    xc_date_text (s_today (-8), date);
    xc_date_text (s_today (-7), bound);
    snprintf (want, sizeof want, "line 4: since: %s is after %s", date, bound);
    xt_assert_has (why, want);
    r.n = 0;
    s_row (&r, id, XIECHA__PROGRAM__DIBAO, 20250101, 99991231, 6);
    assert_int_equal (xt_import (f->b, &b, r.ptrs, 1, NULL, why, sizeof why),
                      XC_EINVAL);
    xt_assert_has (why, "line 6: until: 9999-12-31 is after");
    /* a snapshot dated ahead of today is refused at BEGIN */
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 0, s_today (-3), 0),
                                 r.ptrs, 0, NULL, why, sizeof why),
                      XC_EINVAL);
    xt_assert_has (why, "as_of: ");
    xt_assert_has (why, "is in the future");
}

typedef struct {
    xc_node_t *node;
    const Xiecha__RosterRequest *req;
    xc_roster_view_t view;
    xc_outcome_t out;
} s_request_t;

static int
s_request_fn (MDB_txn *txn, void *arg)
{
    s_request_t *r = arg;
    return xc_roster_request (r->node, txn, r->req, xc_now_ms (), &r->view,
                              &r->out);
}

/*  One roster request at node, in its own transaction as requests.c
    runs it; the outcome in *out. */
static void
s_request (xc_node_t *node, const Xiecha__RosterRequest *req,
           xc_outcome_t *out)
{
    s_request_t r = {.node = node, .req = req};
    assert_int_equal (xc_store_write (node->store, s_request_fn, &r), 0);
    *out = r.out;
}

/*  xiecha roster close: ends this node's own roster enrollment, not one
    of a notice; says when the date is before its start, or when there
    is none still paid. */
static void
test_roster_close (void **state)
{
    xt_pair_t *f = *state;
    const char *id = xt_id ("34100219840404001");
    xt_import_row (f->b, id, XIECHA__PROGRAM__TEKUN, 20240101, 0);
    Xiecha__RosterRequest req = XIECHA__ROSTER_REQUEST__INIT;
    req.action = XIECHA__ROSTER_REQUEST__ACTION__CLOSE;
    req.id_number = (char *) id;
    req.program = XIECHA__PROGRAM__TEKUN;
    req.until = 20231231;
    xc_outcome_t out;
    s_request (f->b, &req, &out);
    assert_int_equal (out.code, XC_EINVAL);
    assert_string_equal (out.why, "until: 2023-12-31 is before the "
                                  "enrollment's start (2024-01-01)");
    req.until = 0;   /* today */
    s_request (f->b, &req, &out);
    assert_int_equal (out.code, 0);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_record (f, f->b, id, list), 1);
    assert_int_equal (list[0].until, s_today (0));
    s_request (f->b, &req, &out);
    assert_int_equal (out.code, XC_ENOTENROLLED);
    xt_assert_has (out.why, "TEKUN: no enrollment of this node's roster "
                            "paid after");
    req.action = XIECHA__ROSTER_REQUEST__ACTION__SHOW;
    s_request (f->b, &req, &out);
    assert_int_equal (out.code, 0);
}

/*  The node stopped after the first slice of a snapshot: what was applied
    stays, and until a snapshot of the program is imported again the
    node says it cannot answer, naming the interrupted date. */
static void
test_interrupted_snapshot (void **state)
{
    xt_pair_t *f = *state;
    enum { N = 10000 };   /* more than one slice */
    static char ids[N][XT_ID_SIZE];
    static Xiecha__RosterRow rows[N];
    static Xiecha__RosterRow *ptrs[N];
    for (size_t i = 0; i < N; i++) {
        xt_id_make (CODE_B, 500000 + i, ids[i]);
        xiecha__roster_row__init (&rows[i]);
        rows[i].id_number = ids[i];
        rows[i].program = XIECHA__PROGRAM__DIBAO_EDGE;
        rows[i].since = 20250101;
        rows[i].line = (uint32_t) i + 2;
        ptrs[i] = &rows[i];
    }
    Xiecha__ImportRequest b;
    Xiecha__Program p[1];
    char why[400] = "";
    int code = 0;
    xc_roster_t *roster = xc_roster_new (f->b, s_begin (&b, p, 0, 0, 0),
                                         xc_now_ms (), &code, why,
                                         sizeof why);
    assert_non_null (roster);
    assert_int_equal (xc_roster_stage (roster, f->b, ptrs, N, why,
                                       sizeof why), 0);
    assert_int_equal (xc_roster_seal (roster, f->b, why, sizeof why), 0);
    uint32_t as_of;
    /* while this process applies it, the old state answers (none here) */
    assert_int_equal (xt_import_slice (f->b, roster), 0);
    assert_int_equal (xc_roster_next (roster, f->b), 0);   /* not done */
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__DIBAO_EDGE, &as_of, why),
                      XC_EROSTER);
    xt_assert_has (why, "holds no roster");
    /* it stops here, as a node that stops */
    xc_roster_abandon (roster, f->b);
    xc_roster_destroy (&roster);
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__DIBAO_EDGE, &as_of, why),
                      XC_EROSTER);
    char want[200], date[11];
    xc_date_text (s_today (0), date);
    snprintf (want, sizeof want, "cannot answer for DIBAO_EDGE: its snapshot "
              "of DIBAO_EDGE as of %s was interrupted and must be imported "
              "again", date);
    assert_string_equal (why, want);
    /* What the first slice applied stays (each change is audited); which
       people it reached depends on subject refs (salted) and on how long
       the slice ran (25 ms at most), so count them all. */
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t applied = 0;
    for (size_t i = 0; i < N; i++)
        applied += s_record (f, f->b, ids[i], list) > 0;
    assert_true (applied >= 1);
    assert_true (applied < N);

    /* imported again, whole: fresh */
    xc_roster_summary_t sum;
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 0, 0, 0), ptrs, N,
                                 &sum, why, sizeof why), 0);
    assert_int_equal (sum.added + sum.unchanged, N);
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__DIBAO_EDGE, &as_of, why),
                      0);
    assert_int_equal (as_of, s_today (0));
}

/*  A roster older than the trust list's max_roster_age_days (45 by
    default) cannot say NOT_RECEIVING; one of exactly 45 days can. */
static void
test_freshness_limit (void **state)
{
    xt_pair_t *f = *state;
    Xiecha__ImportRequest b;
    Xiecha__Program p[1];
    char why[400] = "", want[200], date[11];
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 0, s_today (46),
                                                XIECHA__PROGRAM__LOW_INCOME),
                                 NULL, 0, NULL, why, sizeof why), 0);
    uint32_t as_of;
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__LOW_INCOME, &as_of,
                               why), XC_EROSTER);
    xc_date_text (s_today (46), date);
    snprintf (want, sizeof want, "cannot answer for LOW_INCOME: its roster "
              "is from %s, older than 45 days", date);
    assert_string_equal (why, want);
    assert_int_equal (as_of, s_today (46));
    assert_int_equal (xt_import (f->b, s_begin (&b, p, 0, s_today (45),
                                                XIECHA__PROGRAM__LOW_INCOME),
                                 NULL, 0, NULL, why, sizeof why), 0);
    assert_int_equal (s_fresh (f->b, XIECHA__PROGRAM__LOW_INCOME, &as_of,
                               why), 0);
}

/*  Everything above, rebuilt from B's log: index and roster dates. */
static void
test_replay_exact (void **state)
{
    xt_pair_t *f = *state;
    static xc_replay_report_t r;
    MDB_txn *txn;
    char why[256] = "";
    assert_int_equal (xc_store_read (f->b->store, &txn), 0);
    int rc = xc_replay (f->b->store, txn, CODE_B, f->fed->root, &r, why,
                        sizeof why);
    mdb_txn_abort (txn);
    assert_int_equal (rc, 0);
    if (r.differences)
        fail_msg ("%llu differences: %s / %s",
                  (unsigned long long) r.differences, r.diffs[0].live,
                  r.diffs[0].rebuilt);
    assert_true (r.live_subjects > 10000);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_node_refuses_duplicates),
        cmocka_unit_test (test_delta_adds_corrects_closes),
        cmocka_unit_test (test_row_dates_bounded),
        cmocka_unit_test (test_roster_close),
        cmocka_unit_test (test_interrupted_snapshot),
        cmocka_unit_test (test_freshness_limit),
        cmocka_unit_test (test_replay_exact),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
