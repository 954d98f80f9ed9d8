/*  test_replay.c - the index rebuilt from the audit log: an import that
    went through the log replays to the same index; an index change made
    behind the log's back is reported as a difference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>

#include "store/audit.h"
#include "xt_local.h"
#include "store/index.h"
#include "office/replay.h"
#include "store/store.h"

typedef struct {
    char dir[64];
    xc_store_t *store;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->store = xt_store_new (f->dir, sizeof f->dir, "replay", 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xt_store_destroy (&f->store, f->dir);   /* the scratch dir is gone */
    free (f);
    return 0;
}

/*  Three rows, logged as roster.c does and added to the index. */
static int
s_import (MDB_txn *txn, void *arg)
{
    fixture_t *f = arg;
    uint8_t rows[3 * 41];
    for (int i = 0; i < 3; i++) {
        uint8_t *p = rows + i * 41;
        memset (p, 0xa0 + i, 32);
        p[32] = 1;
        uint32_t since = 20240101 + i, until = i == 2 ? 20241231 : 0;
        xc_put_u32 (p + 33, since);
        xc_put_u32 (p + 37, until);
        xc_enrollment_t e = {.program = 1, .since = since, .until = until};
        strcpy (e.node, "469021");
        int rc = xc_index_add (f->store, txn, p, &e);
        if (rc)
            return rc;
    }
    return xc_audit_append (f->store, txn, XC_AUDIT_IMPORT, NULL, 1000,
                            "roster import rows 1-3 of 3", rows, sizeof rows,
                            NULL);
}

/*  An enrollment nobody logged. */
static int
s_sneak (MDB_txn *txn, void *arg)
{
    fixture_t *f = arg;
    uint8_t ref[32];
    memset (ref, 0xee, sizeof ref);
    xc_enrollment_t e = {.program = 2, .since = 20240301};
    strcpy (e.node, "469021");
    int rc = xc_index_add (f->store, txn, ref, &e);
    memset (ref, 0xa1, sizeof ref);
    e.program = 1;
    e.since = 20240102;
    e.until = 20240601;   /* ends an imported one early */
    return rc ? rc : xc_index_add (f->store, txn, ref, &e);
}

static void
s_replay (fixture_t *f, xc_replay_report_t *r)
{
    MDB_txn *txn = NULL;
    char why[256] = "";
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    int rc = xc_replay (f->store, txn, "469021", f->dir, r, why, sizeof why);
    mdb_txn_abort (txn);
    if (rc)
        fail_msg ("xc_replay: %s", why);
}

static void
test_replay_matches (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (xc_store_write (f->store, s_import, f), 0);
    xc_replay_report_t *r = calloc (1, sizeof *r);
    s_replay (f, r);
    assert_int_equal (r->entries, 1);
    assert_int_equal (r->replayed, 1);
    assert_int_equal (r->live_subjects, 3);
    assert_int_equal (r->rebuilt_subjects, 3);
    assert_int_equal (r->differences, 0);
    free (r);
}

static void
test_replay_finds_unlogged_change (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (xc_store_write (f->store, s_import, f), 0);
    assert_int_equal (xc_store_write (f->store, s_sneak, f), 0);
    xc_replay_report_t *r = calloc (1, sizeof *r);
    s_replay (f, r);
    assert_int_equal (r->live_subjects, 4);
    assert_int_equal (r->rebuilt_subjects, 3);
    assert_int_equal (r->differences, 2);
    assert_int_equal (r->n_diffs, 2);
    //  Key order: 0xa1.. before 0xee..
    assert_int_equal (r->diffs[0].ref[0], 0xa1);
    assert_string_equal (r->diffs[0].live,
                         "DIBAO 20240102-20240601 469021");
    assert_string_equal (r->diffs[0].rebuilt, "DIBAO 20240102-open 469021");
    assert_int_equal (r->diffs[1].ref[0], 0xee);
    assert_string_equal (r->diffs[1].rebuilt, "");
    assert_non_null (strstr (r->diffs[1].live, "20240301-open 469021"));
    free (r);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_replay_matches, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_replay_finds_unlogged_change,
                                         s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
