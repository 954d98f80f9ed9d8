/*  test_index.c - the subject index and the store under it: roundtrip,
    replace, history, active dates, limits, atomicity, map growth and
    durability across close/open. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>

#include "xt_local.h"
#include "store/index.h"
#include "store/store.h"

typedef struct {
    char dir[64];       /* fresh mkdtemp directory */
    xc_store_t *store;  /* store opened in dir */
} fixture_t;

static int
s_setup_sized (void **state, size_t map_size)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->store = xt_store_new (f->dir, sizeof f->dir, "index", map_size);
    *state = f;
    return 0;
}

static int
s_setup (void **state)
{
    return s_setup_sized (state, 0);
}

static int
s_setup_tiny (void **state)
{
    //  64 KiB: 16 pages, a few already used by the meta pages and the
    //  named databases, so a few hundred records overflow it.
    return s_setup_sized (state, 64 << 10);
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xc_store_destroy (&f->store);
    assert_null (f->store);
    xc_store_destroy (&f->store); //  harmless twice
    xt_store_destroy (&f->store, f->dir);
    free (f);
    return 0;
}

static void
s_ref (uint8_t ref[32], uint32_t n)
{
    memset (ref, 0xA5, 32);
    xc_put_u32 (ref, n);
}

static xc_enrollment_t
s_enr (uint8_t program, uint32_t since, uint32_t until, const char *node)
{
    xc_enrollment_t e;
    memset (&e, 0, sizeof e);
    e.program = program;
    e.since = since;
    e.until = until;
    snprintf (e.node, sizeof e.node, "%s", node);
    return e;
}

//  Write work: add enrollments e[n] to refs first .. first+subjects-1,
//  then return fail (0 to commit).  Counts its runs.
typedef struct {
    xc_store_t *store;
    uint32_t first;
    uint32_t subjects;
    const xc_enrollment_t *e;
    size_t n;
    int fail;
    int runs;
    int last_rc;
} add_work_t;

static int
s_add_fn (MDB_txn *txn, void *arg)
{
    add_work_t *w = arg;
    w->runs++;
    for (uint32_t s = 0; s < w->subjects; s++) {
        uint8_t ref[32];
        s_ref (ref, w->first + s);
        for (size_t i = 0; i < w->n; i++) {
            int rc = xc_index_add (w->store, txn, ref, &w->e[i]);
            if (rc != 0)
                return w->last_rc = rc;
        }
    }
    return w->fail;
}

static int
s_add (xc_store_t *store, uint32_t subject, const xc_enrollment_t *e)
{
    add_work_t w = { store, subject, 1, e, 1, 0, 0, 0 };
    return xc_store_write (store, s_add_fn, &w);
}

static size_t
s_get (xc_store_t *store, uint32_t subject, xc_enrollment_t out[XC_INDEX_MAX])
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (store, &txn), 0);
    uint8_t ref[32];
    s_ref (ref, subject);
    size_t n = 99;
    assert_int_equal (xc_index_get (store, txn, ref, out, XC_INDEX_MAX, &n),
                      0);
    mdb_txn_abort (txn);
    return n;
}

static uint64_t
s_count (xc_store_t *store)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (store, &txn), 0);
    uint64_t n = 99;
    assert_int_equal (xc_index_count (store, txn, &n), 0);
    mdb_txn_abort (txn);
    return n;
}

static void
s_assert_enr (const xc_enrollment_t *a, const xc_enrollment_t *b)
{
    assert_int_equal (a->program, b->program);
    assert_int_equal (a->since, b->since);
    assert_int_equal (a->until, b->until);
    assert_string_equal (a->node, b->node);
}

static void
test_roundtrip (void **state)
{
    fixture_t *f = *state;
    xc_enrollment_t e = s_enr (1, 20200101, 20231231, "469025");
    assert_int_equal (s_add (f->store, 7, &e), 0);

    xc_enrollment_t out[XC_INDEX_MAX];
    assert_int_equal (s_get (f->store, 7, out), 1);
    s_assert_enr (&out[0], &e);
    assert_int_equal (s_get (f->store, 8, out), 0); //  unknown subject

    //  The disk format is explicit big-endian, independent of the host.
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    uint8_t ref[32];
    s_ref (ref, 7);
    MDB_val key = { 32, ref }, val;
    assert_int_equal (
        mdb_get (txn, xc_store_dbi (f->store, XC_DB_INDEX), &key, &val), 0);
    //  program, reserved, since 20200101, until 20231231, node.
    const uint8_t want[16] = { 1,    0,    0x01, 0x34, 0x3a, 0xa5, 0x01, 0x34,
                               0xb4, 0x3f, '4',  '6',  '9',  '0',  '2',  '5' };
    assert_int_equal (val.mv_size, 16);
    assert_memory_equal (val.mv_data, want, 16);
    mdb_txn_abort (txn);

    //  data.mdb is for the node's user only.
    char path[128];
    struct stat st;
    snprintf (path, sizeof path, "%s/data.mdb", f->dir);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
}

static void
test_replace_and_history (void **state)
{
    fixture_t *f = *state;
    xc_enrollment_t a = s_enr (1, 20200101, 0, "469025");
    assert_int_equal (s_add (f->store, 1, &a), 0);
    //  Same program, node and since: replaced (the roster was re-imported
    //  with an end date).
    xc_enrollment_t a2 = s_enr (1, 20200101, 20221231, "469025");
    assert_int_equal (s_add (f->store, 1, &a2), 0);
    assert_int_equal (s_add (f->store, 1, &a2), 0); //  idempotent
    xc_enrollment_t out[XC_INDEX_MAX];
    assert_int_equal (s_get (f->store, 1, out), 1);
    s_assert_enr (&out[0], &a2);

    //  A new spell of the same program, another node, another program:
    //  all kept next to the ended one.
    xc_enrollment_t b = s_enr (1, 20230601, 0, "469025");
    xc_enrollment_t c = s_enr (1, 20200101, 0, "460100");
    xc_enrollment_t d = s_enr (5, 20200101, 0, "469025");
    assert_int_equal (s_add (f->store, 1, &b), 0);
    assert_int_equal (s_add (f->store, 1, &c), 0);
    assert_int_equal (s_add (f->store, 1, &d), 0);
    assert_int_equal (s_get (f->store, 1, out), 4);
    s_assert_enr (&out[0], &a2);
    s_assert_enr (&out[1], &b);
    s_assert_enr (&out[2], &c);
    s_assert_enr (&out[3], &d);
    assert_false (xc_enrollment_active (&out[0], 20230701));
    assert_true (xc_enrollment_active (&out[1], 20230701));

    //  Replacing a middle entry keeps its place.
    xc_enrollment_t b2 = s_enr (1, 20230601, 20240131, "469025");
    assert_int_equal (s_add (f->store, 1, &b2), 0);
    assert_int_equal (s_get (f->store, 1, out), 4);
    s_assert_enr (&out[1], &b2);
    s_assert_enr (&out[2], &c);

    //  A short max copies only that many.
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    uint8_t ref[32];
    s_ref (ref, 1);
    size_t n = 0;
    assert_int_equal (xc_index_get (f->store, txn, ref, out, 2, &n), 0);
    assert_int_equal (n, 2);
    mdb_txn_abort (txn);
}

static void
test_active (void **state)
{
    (void) state;
    xc_enrollment_t open = s_enr (1, 20200101, 0, "469025");
    assert_false (xc_enrollment_active (&open, 20191231));
    assert_true (xc_enrollment_active (&open, 20200101));
    assert_true (xc_enrollment_active (&open, 29991231));

    xc_enrollment_t ended = s_enr (1, 20200101, 20201231, "469025");
    assert_false (xc_enrollment_active (&ended, 20191231));
    assert_true (xc_enrollment_active (&ended, 20200101));
    assert_true (xc_enrollment_active (&ended, 20201231));
    assert_false (xc_enrollment_active (&ended, 20210101));

    xc_enrollment_t day = s_enr (5, 20240229, 20240229, "469025");
    assert_false (xc_enrollment_active (&day, 20240228));
    assert_true (xc_enrollment_active (&day, 20240229));
    assert_false (xc_enrollment_active (&day, 20240301));
}

static void
test_count (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (s_count (f->store), 0);
    xc_enrollment_t a = s_enr (1, 20200101, 0, "469025");
    xc_enrollment_t b = s_enr (2, 20200101, 0, "469025");
    assert_int_equal (s_add (f->store, 1, &a), 0);
    assert_int_equal (s_add (f->store, 1, &b), 0);
    assert_int_equal (s_add (f->store, 2, &a), 0);
    assert_int_equal (s_add (f->store, 3, &a), 0);
    assert_int_equal (s_count (f->store), 3); //  subjects, not enrollments
}

static void
test_max (void **state)
{
    fixture_t *f = *state;
    xc_enrollment_t e[XC_INDEX_MAX];
    for (int i = 0; i < XC_INDEX_MAX; i++)
        e[i] = s_enr (6, 20200101 + (uint32_t) i, 20200101 + (uint32_t) i,
                      "469025");
    add_work_t w = { f->store, 1, 1, e, XC_INDEX_MAX, 0, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_add_fn, &w), 0);

    xc_enrollment_t extra = s_enr (6, 20210101, 0, "469025");
    assert_int_equal (s_add (f->store, 1, &extra), XC_ETOOBIG);
    //  Replacing one of the XC_INDEX_MAX still works when full.
    xc_enrollment_t again = s_enr (6, 20200105, 20200110, "469025");
    assert_int_equal (s_add (f->store, 1, &again), 0);

    xc_enrollment_t out[XC_INDEX_MAX];
    assert_int_equal (s_get (f->store, 1, out), XC_INDEX_MAX);
    s_assert_enr (&out[4], &again);
    s_assert_enr (&out[XC_INDEX_MAX - 1], &e[XC_INDEX_MAX - 1]);
}

static void
test_atomic (void **state)
{
    fixture_t *f = *state;
    xc_enrollment_t e = s_enr (1, 20200101, 0, "469025");
    //  Adds to 10 subjects, then fails: nothing of it may remain.
    add_work_t w = { f->store, 1, 10, &e, 1, XC_EINVAL, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_add_fn, &w), XC_EINVAL);
    assert_int_equal (w.runs, 1); //  only XC_EFULL is retried
    xc_enrollment_t out[XC_INDEX_MAX];
    for (uint32_t s = 1; s <= 10; s++)
        assert_int_equal (s_get (f->store, s, out), 0);
    assert_int_equal (s_count (f->store), 0);
}

static void
s_assert_subjects (xc_store_t *store, uint32_t subjects,
                   const xc_enrollment_t *e, size_t n)
{
    assert_int_equal (s_count (store), subjects);
    MDB_txn *txn;
    assert_int_equal (xc_store_read (store, &txn), 0);
    for (uint32_t s = 0; s < subjects; s++) {
        uint8_t ref[32];
        s_ref (ref, s);
        xc_enrollment_t out[XC_INDEX_MAX];
        size_t got = 0;
        assert_int_equal (
            xc_index_get (store, txn, ref, out, XC_INDEX_MAX, &got), 0);
        assert_int_equal (got, n);
        for (size_t i = 0; i < n; i++)
            s_assert_enr (&out[i], &e[i]);
    }
    mdb_txn_abort (txn);
}

static void
test_map_full_grows (void **state)
{
    fixture_t *f = *state;
    size_t before = xc_store_map_size (f->store);
    assert_true (before <= 64 << 10);

    //  3000 subjects x (32-byte key + 3 x 16-byte records) in ONE
    //  transaction: about 300 KiB of leaves, several times the map.
    enum { SUBJECTS = 3000 };
    xc_enrollment_t e[3] = { s_enr (1, 20200101, 0, "469025"),
                             s_enr (2, 20210101, 20211231, "469025"),
                             s_enr (5, 20220101, 0, "460100") };
    add_work_t w = { f->store, 0, SUBJECTS, e, 3, 0, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_add_fn, &w), 0);
    assert_true (w.runs > 1);         //  the work really ran again
    assert_int_equal (w.last_rc, XC_EFULL);
    assert_true (xc_store_map_size (f->store) > before);
    s_assert_subjects (f->store, SUBJECTS, e, 3);

    //  Reopened with the tiny map again: the store leaves room (the data
    //  fills at most half the map) instead of growing at the first write.
    xc_store_destroy (&f->store);
    char why[256] = "", data[PATH_MAX];
    f->store = xc_store_new (f->dir, 64 << 10, why, sizeof why);
    if (!f->store)
        fail_msg ("reopen: %s", why);
    snprintf (data, sizeof data, "%s/data.mdb", f->dir);
    struct stat st;
    assert_int_equal (stat (data, &st), 0);
    assert_true (xc_store_map_size (f->store) >= 2 * (size_t) st.st_size);
    s_assert_subjects (f->store, SUBJECTS, e, 3);

    //  Close and reopen (default map): everything acknowledged is there.
    xc_store_destroy (&f->store);
    f->store = xc_store_new (f->dir, 0, why, sizeof why);
    if (!f->store)
        fail_msg ("reopen: %s", why);
    s_assert_subjects (f->store, SUBJECTS, e, 3);
}

//  Always full: the store must stop after 8 doublings.
static int
s_always_full (MDB_txn *txn, void *arg)
{
    (void) txn;
    (*(int *) arg)++;
    return XC_EFULL;
}

/*  A reader in another thread, as the back-office worker reads: holds
    the remap lock and a read transaction until told to finish. */
typedef struct {
    xc_store_t *store;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int reading;        /* the read transaction is open */
    int release;        /* the main thread asks it to end */
    int done;           /* it has ended */
} reader_t;

static void *
s_reader (void *arg)
{
    reader_t *r = arg;
    xc_store_share_begin (r->store);
    MDB_txn *txn = NULL;
    int rc = xc_store_read (r->store, &txn);
    pthread_mutex_lock (&r->lock);
    r->reading = rc == 0 ? 1 : -1;
    pthread_cond_broadcast (&r->cond);
    while (!r->release)
        pthread_cond_wait (&r->cond, &r->lock);
    pthread_mutex_unlock (&r->lock);
    //  Still reading while the writer wants to remap: it must wait.
    usleep (100 * 1000);
    if (txn)
        mdb_txn_abort (txn);
    pthread_mutex_lock (&r->lock);
    r->done = 1;
    pthread_mutex_unlock (&r->lock);
    xc_store_share_end (r->store);
    return NULL;
}

/*  Growing the map while another thread reads would remap under its
    transaction; the write waits for the reader to end instead, then
    grows and commits. */
static void
test_grow_waits_for_reader (void **state)
{
    fixture_t *f = *state;
    size_t before = xc_store_map_size (f->store);
    reader_t r = {.store = f->store};
    pthread_mutex_init (&r.lock, NULL);
    pthread_cond_init (&r.cond, NULL);
    pthread_t t;
    assert_int_equal (pthread_create (&t, NULL, s_reader, &r), 0);
    pthread_mutex_lock (&r.lock);
    while (!r.reading)
        pthread_cond_wait (&r.cond, &r.lock);
    assert_int_equal (r.reading, 1);
    r.release = 1;
    pthread_cond_broadcast (&r.cond);
    pthread_mutex_unlock (&r.lock);

    enum { SUBJECTS = 3000 };
    xc_enrollment_t e[1] = { s_enr (1, 20200101, 0, "469025") };
    add_work_t w = { f->store, 0, SUBJECTS, e, 1, 0, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_add_fn, &w), 0);
    pthread_mutex_lock (&r.lock);
    int reader_done = r.done;
    pthread_mutex_unlock (&r.lock);
    assert_true (xc_store_map_size (f->store) > before);
    assert_true (reader_done);   /* the remap came after the reader */
    pthread_join (t, NULL);
    s_assert_subjects (f->store, SUBJECTS, e, 1);
    pthread_cond_destroy (&r.cond);
    pthread_mutex_destroy (&r.lock);
}

static void
test_growth_is_bounded (void **state)
{
    fixture_t *f = *state;
    size_t before = xc_store_map_size (f->store);
    int runs = 0;
    assert_int_equal (xc_store_write (f->store, s_always_full, &runs),
                      XC_EFULL);
    assert_int_equal (runs, 1 + 8);
    assert_int_equal (xc_store_map_size (f->store), before << 8);
}

static void
test_open_twice_refused (void **state)
{
    fixture_t *f = *state;
    char why[256] = "";
    xc_store_t *second = xc_store_new (f->dir, 0, why, sizeof why);
    assert_null (second);
    assert_non_null (strstr (why, "already open"));

    assert_null (xc_store_new ("/nonexistent/xiecha", 0, why, sizeof why));
    assert_non_null (strstr (why, "/nonexistent/xiecha"));
    assert_non_null (strstr (why, "No such file or directory"));
}

static int
s_put_meta (MDB_txn *txn, void *arg)
{
    MDB_val key = {4, "mark"}, val = {2, "42"};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (arg, XC_DB_META), &key,
                                 &val, 0));
}

//  Read-only, as xiechad --check opens a store: reads what is there,
//  writes nothing, creates nothing.
static void
test_open_rdonly (void **state)
{
    fixture_t *f = *state;
    char why[256] = "";
    assert_int_equal (xc_store_write (f->store, s_put_meta, f->store), 0);
    assert_true (xc_store_exists (f->dir));
    //  Still one open per process, whichever kind.
    assert_null (xc_store_open_rdonly (f->dir, why, sizeof why));
    assert_non_null (strstr (why, "already open"));
    xc_store_destroy (&f->store);

    f->store = xc_store_open_rdonly (f->dir, why, sizeof why);
    if (!f->store)
        fail_msg ("read-only: %s", why);
    for (int db = 0; db < XC_DB_COUNT; db++)
        assert_true (xc_store_has (f->store, (xc_db_t) db));
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    MDB_val key = {4, "mark"}, val;
    assert_int_equal (mdb_get (txn, xc_store_dbi (f->store, XC_DB_META),
                               &key, &val), MDB_SUCCESS);
    assert_memory_equal (val.mv_data, "42", 2);
    mdb_txn_abort (txn);
    assert_int_not_equal (xc_store_write (f->store, s_put_meta, f->store),
                          0);

    //  An empty directory holds no store, and none is made there.
    char empty[80];
    snprintf (empty, sizeof empty, "%s/empty", f->dir);
    assert_int_equal (mkdir (empty, 0700), 0);
    assert_false (xc_store_exists (empty));
    assert_int_equal (rmdir (empty), 0);
}

static void
test_store_rc (void **state)
{
    (void) state;
    assert_int_equal (xc_store_rc (MDB_SUCCESS), XC_OK);
    assert_int_equal (xc_store_rc (MDB_NOTFOUND), XC_ENOTFOUND);
    assert_int_equal (xc_store_rc (MDB_MAP_FULL), XC_EFULL);
    assert_int_equal (xc_store_rc (MDB_KEYEXIST), XC_ESTORE);
    assert_int_equal (xc_store_rc (MDB_CORRUPTED), XC_ESTORE);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_roundtrip, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_replace_and_history, s_setup,
                                         s_teardown),
        cmocka_unit_test (test_active),
        cmocka_unit_test_setup_teardown (test_count, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_max, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_atomic, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_map_full_grows, s_setup_tiny,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_grow_waits_for_reader,
                                         s_setup_tiny, s_teardown),
        cmocka_unit_test_setup_teardown (test_growth_is_bounded,
                                         s_setup_tiny, s_teardown),
        cmocka_unit_test_setup_teardown (test_open_twice_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_open_rdonly, s_setup,
                                         s_teardown),
        cmocka_unit_test (test_store_rc),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
