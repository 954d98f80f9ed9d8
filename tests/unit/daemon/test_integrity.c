/*  test_integrity.c - a node's store, judged at start (node/integrity.h,
    identity.h: whose it is, its audit tail, its last checkpoint's
    signature) and scrubbed whole (office/scrub.h), on two nodes opened
    in this process as xiechad opens them (xt_pair), with real LMDB files
    and real signatures.

    The scrub's steps run in this thread, the store's owner, which the
    worker thread does in the daemon: safe here because every write of
    a test comes between two steps, never while one holds its read
    transaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xiecha/checkpoint.h>

#include "decide/audit_seal.h"
#include "decide/roster.h"
#include "node/identity.h"
#include "office/scrub.h"
#include "store/audit.h"
#include "store/index.h"
#include "xt_local.h"

static int
s_setup (void **state)
{
    *state = xt_pair_new ("integrity", "469021", "341002");
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_t *f = *state;
    xt_pair_destroy (&f);
    return 0;
}

/*  Node a closed and opened again as a start opens it; NULL with why
    when refused. */
static xc_node_t *
s_restart (xt_pair_t *f, char *why, size_t why_len)
{
    xc_node_destroy (&f->a);
    xc_config_t cfg;
    assert_int_equal (xc_config_load (f->fed->nodes[0].config, &cfg, why,
                                      why_len), 0);
    f->a = xc_node_new (&cfg, XC_NODE_RUN, why, why_len);
    return f->a;
}

typedef struct {
    xc_node_t *node;           /* whose log */
    xc_key_t *key;             /* signs the checkpoint */
    const char *key_id;
    const char *code;          /* the node it says */
} forged_t;

/*  Write fn: a checkpoint over the whole log with a true root, signed
    as told. */
static int
s_forged_fn (MDB_txn *txn, void *arg)
{
    forged_t *w = arg;
    xc_checkpoint_t cp = {.time_ms = xc_now_ms ()};
    int rc = xc_audit_root (w->node->store, txn, &cp.tree_size, cp.root);
    snprintf (cp.node, sizeof cp.node, "%s", w->code);
    snprintf (cp.key_id, sizeof cp.key_id, "%s", w->key_id);
    uint8_t data[XC_CHECKPOINT_LEN];
    if (rc == 0)
        rc = xc_checkpoint_sign (&cp, w->key, data);
    if (rc == 0)
        rc = xc_audit_append (w->node->store, txn, XC_AUDIT_CHECKPOINT, NULL,
                              cp.time_ms, NULL, data, sizeof data, NULL);
    return rc;
}

/*  Node a's last checkpoint signed with node b's key in b's name: a
    listed key, of another node. */
static void
s_checkpoint_of_b (xt_pair_t *f)
{
    const xc_signer_t *b = xc_node_signer (f->b);
    forged_t w = {f->a, b->key, b->id, "341002"};
    assert_int_equal (xc_store_write (f->a->store, s_forged_fn, &w), 0);
}

static void
s_assert_has (const char *text, const char *needle)
{
    if (!strstr (text, needle))
        fail_msg ("'%s' does not say '%s'", text, needle);
}

/* --------------------------------------------------------------------------
   At start
   -------------------------------------------------------------------------- */

/*  A sound checkpoint is verified and named; one signed by a key the
    trust list does not hold, or for another node, refuses the start. */
static void
test_start_verifies_last_checkpoint (void **state)
{
    xt_pair_t *f = *state;
    char why[1024] = "";
    assert_non_null (s_restart (f, why, sizeof why));
    assert_int_equal (f->a->integrity.s.start_from, 1);
    assert_int_equal (f->a->integrity.s.start_to, 1);   /* --init's entry */
    assert_int_equal (f->a->integrity.s.start_checkpoint, 0);
    assert_int_equal (xc_store_write (f->a->store, xc_audit_seal_final, f->a),
                      0);
    if (!s_restart (f, why, sizeof why))
        fail_msg ("refused a sound store: %s", why);
    assert_int_equal (f->a->integrity.s.start_checkpoint, 2);

    xc_key_t *stranger = xc_key_generate ();
    assert_non_null (stranger);
    forged_t w = {f->a, stranger, "0123456789abcdef", "469021"};
    assert_int_equal (xc_store_write (f->a->store, s_forged_fn, &w), 0);
    xc_key_destroy (&stranger);
    assert_null (s_restart (f, why, sizeof why));
    s_assert_has (why, "audit entry 3, the last checkpoint: ");
    s_assert_has (why, "0123456789abcdef");
    s_assert_has (why, "restore node/data_dir");
}

static void
test_start_refuses_checkpoint_of_another_node (void **state)
{
    xt_pair_t *f = *state;
    s_checkpoint_of_b (f);
    char why[1024] = "";
    assert_null (s_restart (f, why, sizeof why));
    s_assert_has (why, "the last checkpoint: signed for node 341002");
}

/*  Whose store: none recorded, another node's. */
static void
test_identity (void **state)
{
    xt_pair_t *f = *state;
    char why[1024] = "";
    xc_identity_t id = {0};
    assert_int_equal (xc_identity_judge (XC_ENOTFOUND, &id, "469021", "/d",
                                         why, sizeof why), XC_ESTORE);
    s_assert_has (why, "store /d records no node identity");
    //  Node b's store judged for node a.
    xc_integrity_t in;
    xc_integrity_init (&in);
    assert_int_equal (xc_integrity_check_start (&in, f->b->store, "/b",
                                                "469021", f->a->trust, why,
                                                sizeof why), XC_ESTORE);
    s_assert_has (why, "store /b belongs to node 341002 (created ");
    s_assert_has (why, xc_node_signer (f->b)->id);
    s_assert_has (why, "not to node 469021");
    assert_int_equal (xc_integrity_check_start (&in, f->b->store, "/b",
                                                "341002", f->b->trust, why,
                                                sizeof why), 0);
    xc_integrity_destroy (&in);
}

/*  --init never replaces a store. */
static void
test_init_refuses_a_store (void **state)
{
    xt_pair_t *f = *state;
    char why[1024] = "";
    xc_config_t cfg;
    assert_int_equal (xc_config_load (f->fed->nodes[0].config, &cfg, why,
                                      sizeof why), 0);
    assert_null (xc_node_new (&cfg, XC_NODE_INIT, why, sizeof why));
    s_assert_has (why, "already holds a store (data.mdb)");
}

/* --------------------------------------------------------------------------
   The scrub
   -------------------------------------------------------------------------- */

/*  A roster of count people from first, imported at node as a delta is
    (decide/roster.h): index rows and their audit entries. */
static void
s_import (xc_node_t *node, size_t first, size_t count)
{
    Xiecha__RosterRow *rows = calloc (count, sizeof *rows);
    Xiecha__RosterRow **ptrs = calloc (count, sizeof *ptrs);
    char (*ids)[XT_ID_SIZE] = calloc (count, XT_ID_SIZE);
    assert_true (rows && ptrs && ids);
    for (size_t i = 0; i < count; i++) {
        xiecha__roster_row__init (&rows[i]);
        xt_id_make ("469021", first + i, ids[i]);
        rows[i].id_number = ids[i];
        rows[i].program = XIECHA__PROGRAM__DIBAO;
        rows[i].since = 20240101;
        rows[i].line = (uint32_t) i + 2;
        ptrs[i] = &rows[i];
    }
    Xiecha__ImportRequest delta = XIECHA__IMPORT_REQUEST__INIT;
    delta.step = XIECHA__IMPORT_REQUEST__STEP__BEGIN;
    delta.delta = 1;
    char why[400] = "";
    if (xt_import (node, &delta, ptrs, count, NULL, why, sizeof why) != 0)
        fail_msg ("rows refused: %s", why);
    free (ids);
    free (ptrs);
    free (rows);
}

typedef struct {
    xc_node_t *node;
    int n;
    const uint8_t *data;       /* each entry's data, or NULL */
    size_t len;
} notes_t;

static int
s_notes_fn (MDB_txn *txn, void *arg)
{
    notes_t *w = arg;
    int rc = 0;
    for (int i = 0; rc == 0 && i < w->n; i++)
        rc = xc_audit_append (w->node->store, txn, XC_AUDIT_DECISION, NULL,
                              xc_now_ms (), "a decision", w->data, w->len,
                              NULL);
    return rc;
}

/*  n more audit entries at node, each with len bytes of data. */
static void
s_entries (xc_node_t *node, int n, size_t len)
{
    uint8_t *data = len ? calloc (1, len) : NULL;
    notes_t w = {node, n, data, len};
    assert_int_equal (xc_store_write (node->store, s_notes_fn, &w), 0);
    free (data);
}

static void
s_notes (xc_node_t *node, int n)
{
    s_entries (node, n, 0);
}

/*  Runs a scrub of node a to its end; between steps, when given, calls
    meanwhile once (in the phase named) and returns the final state. */
static xc_integrity_state_t
s_scrub (xt_pair_t *f, const char *phase, void (*meanwhile) (xt_pair_t *))
{
    bool fresh;
    uint64_t run = xc_integrity_ask (&f->a->integrity, &fresh);
    assert_true (fresh);
    xc_scrub_t *scrub = xc_scrub_new (f->a);
    assert_non_null (scrub);
    int steps = 0;
    bool called = false;
    while (xc_scrub_step (scrub)) {
        steps++;
        xc_integrity_state_t st;
        xc_integrity_get (&f->a->integrity, &st);
        if (meanwhile && !called && st.phase && strcmp (st.phase, phase) == 0
            && st.done > 0) {
            meanwhile (f);
            called = true;
        }
    }
    xc_scrub_destroy (&scrub);
    assert_true (!meanwhile || called);
    xc_integrity_state_t st;
    xc_integrity_get (&f->a->integrity, &st);
    assert_false (st.busy);
    assert_int_equal (st.finished, run);
    return st;
}

static void
s_grow_log (xt_pair_t *f)
{
    s_notes (f->a, 2 * XC_SCRUB_STEP);
    s_import (f->a, 100000, 10);
}

static void
s_grow_index (xt_pair_t *f)
{
    s_import (f->a, 200000, 3000);
    s_notes (f->a, 100);
}

/*  A sound store stays sound while the log and the index grow under the
    scrub, in both phases: each range is compared once the rebuilt index
    has caught up. */
static void
test_scrub_sound_while_growing (void **state)
{
    xt_pair_t *f = *state;
    s_import (f->a, 0, 2 * XC_SCRUB_STEP + 100);
    s_notes (f->a, XC_SCRUB_STEP + 7);
    assert_int_equal (xc_store_write (f->a->store, xc_audit_seal_final, f->a),
                      0);
    xc_integrity_state_t st = s_scrub (f, "log", s_grow_log);
    if (st.result != XC_SCRUB_OK)
        fail_msg ("scrub: %s", st.what);
    assert_int_equal (st.entries, xt_audit_count (f->a));
    assert_int_equal (st.subjects, 2 * XC_SCRUB_STEP + 110);
    st = s_scrub (f, "index", s_grow_index);
    if (st.result != XC_SCRUB_OK)
        fail_msg ("scrub: %s", st.what);
    assert_int_equal (st.entries, xt_audit_count (f->a));
    assert_true (st.subjects >= 2 * XC_SCRUB_STEP + 110);
    assert_int_equal (st.failures, 0);
}

/*  Large entries (a refused message is kept whole): a step stops at
    XC_SCRUB_STEP_BYTES, well before XC_SCRUB_STEP entries, so no read
    transaction lasts for a gigabyte. */
static void
test_scrub_steps_by_bytes (void **state)
{
    xt_pair_t *f = *state;
    s_entries (f->a, 64, 256 * 1024);
    bool fresh;
    xc_integrity_ask (&f->a->integrity, &fresh);
    xc_scrub_t *scrub = xc_scrub_new (f->a);
    assert_non_null (scrub);
    assert_true (xc_scrub_step (scrub));
    xc_integrity_state_t st;
    xc_integrity_get (&f->a->integrity, &st);
    assert_string_equal (st.phase, "log");
    assert_true (st.done >= XC_SCRUB_STEP_BYTES / (256 * 1024));
    assert_true (st.done < st.total);
    while (xc_scrub_step (scrub))
        ;
    xc_scrub_destroy (&scrub);
    xc_integrity_get (&f->a->integrity, &st);
    assert_int_equal (st.result, XC_SCRUB_OK);
    assert_int_equal (st.entries, xt_audit_count (f->a));
}

/*  An index record no audit entry accounts for. */
static void
test_scrub_finds_forged_index (void **state)
{
    xt_pair_t *f = *state;
    s_import (f->a, 0, 50);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, xt_id ("46902119900101123"), ref);
    xc_enrollment_t e = {.program = XIECHA__PROGRAM__TEKUN,
                         .since = 20230101, .node = "469021"};
    xt_index_forge (f->a->store, ref, &e);
    xc_integrity_state_t st = s_scrub (f, NULL, NULL);
    assert_int_equal (st.result, XC_SCRUB_FAILED);
    s_assert_has (st.what, "index differs from the log: 1 subject(s)");
    s_assert_has (st.what, "'TEKUN 20230101-open 469021' in the index and "
                           "'(none)' by the log");
    assert_int_equal (st.failures, 1);
}

/*  A checkpoint in the middle of the log, chained in as the node would,
    but signed for another node: the start looks at the last one only,
    the scrub at every one. */
static void
test_scrub_checks_every_checkpoint (void **state)
{
    xt_pair_t *f = *state;
    s_notes (f->a, 10);
    s_checkpoint_of_b (f);
    uint64_t bad = xt_audit_count (f->a);
    s_notes (f->a, 10);
    assert_int_equal (xc_store_write (f->a->store, xc_audit_seal_final, f->a),
                      0);
    char why[1024] = "";
    if (!s_restart (f, why, sizeof why))
        fail_msg ("the start looked past its last checkpoint: %s", why);
    xc_integrity_state_t st = s_scrub (f, NULL, NULL);
    assert_int_equal (st.result, XC_SCRUB_FAILED);
    char want[64];
    snprintf (want, sizeof want, "entry %llu: checkpoint: signed for node "
              "341002", (unsigned long long) bad);
    s_assert_has (st.what, want);
    assert_int_equal (st.bad_entry, bad);
}

/*  The scrub cannot make its scratch copy: an error, not an alarm. */
static void
test_scrub_error_is_no_alarm (void **state)
{
    xt_pair_t *f = *state;
    //  A file where the scratch directory's parent should be.
    snprintf (f->a->config.data_dir, sizeof f->a->config.data_dir,
              "%s/node.zpl", f->fed->nodes[0].dir);
    bool fresh;
    xc_integrity_ask (&f->a->integrity, &fresh);
    assert_null (xc_scrub_new (f->a));
    xc_integrity_state_t st;
    xc_integrity_get (&f->a->integrity, &st);
    assert_int_equal (st.result, XC_SCRUB_ERROR);
    assert_int_equal (st.failures, 0);
    s_assert_has (st.what, "cannot create a scratch directory");
    assert_false (st.busy);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_start_verifies_last_checkpoint,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (
            test_start_refuses_checkpoint_of_another_node, s_setup,
            s_teardown),
        cmocka_unit_test_setup_teardown (test_identity, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_init_refuses_a_store, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_scrub_sound_while_growing,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_scrub_steps_by_bytes, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_scrub_finds_forged_index,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_scrub_checks_every_checkpoint,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_scrub_error_is_no_alarm,
                                         s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
