/*  test_store.c - the store's contract (store.h): a write function runs
    in one transaction that commits when it returns 0 and leaves nothing
    behind when it fails; a full map is doubled and the same work run
    again from the start, up to 8 times; a reopened store has headroom
    (its data fills at most half the map); read transactions are read
    only; the open rules (one open per process, read-only opens, never
    across fork()); a map grown by another process is adopted; and a
    growth waits for a reader in another thread that bracketed its read
    with xc_store_share_begin/end.

    Real LMDB files in mkdtemp directories, no mocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/error.h>

#include "store/store.h"

/*  Undefined behaviour found by the sanitizer fails the test instead of
    scrolling past in its log. */
const char *__ubsan_default_options (void);
const char *
__ubsan_default_options (void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

#define KIB ((size_t) 1024)
#define MIB (1024 * KIB)

/*  A value of 4000 bytes plus its page header fits one overflow page of
    4 KiB, so a batch of n such values needs a little over n pages. */
#define VAL_SIZE 4000

/*  The map sizes below assume LMDB's page is the usual 4 KiB (it is the
    OS page); elsewhere those tests skip rather than mislead. */
static void
s_need_4k_pages (void)
{
    if (sysconf (_SC_PAGESIZE) != 4096)
        skip ();
}

/* --------------------------------------------------------------------------
   Scratch directories
   -------------------------------------------------------------------------- */

static void
s_mkdir (char *dir, size_t size)
{
    snprintf (dir, size, "/tmp/xc-store-XXXXXX");
    assert_non_null (mkdtemp (dir));
}

/*  Removes the store's two files and dir; anything else left in dir fails
    the test. */
static void
s_rmdir (const char *dir)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    assert_int_equal (rmdir (dir), 0);
}

static xc_store_t *
s_open (const char *dir, size_t map_size)
{
    char why[256] = "";
    xc_store_t *s = xc_store_new (dir, map_size, why, sizeof why);
    if (!s)
        fail_msg ("xc_store_new %s: %s", dir, why);
    return s;
}

/* --------------------------------------------------------------------------
   Write work: a batch of values "k/<n>" in XC_DB_META
   -------------------------------------------------------------------------- */

typedef struct {
    xc_store_t *store;
    int first, count;      /* keys first .. first + count - 1 */
    size_t size;           /* bytes per value */
    int calls;             /* times the function ran */
    int efull_calls;       /* the first this many calls return XC_EFULL
                              after their writes, as if the map were full */
    int fail_with;         /* then return this (0: commit) */
    void (*hook) (void *); /* called at the start of each call, if set */
    void *hook_arg;
} s_batch_t;

static void
s_key (char *buf, size_t size, int n)
{
    snprintf (buf, size, "k/%06d", n);
}

/*  The bytes of value n: a pattern that differs per key and per byte. */
static void
s_fill (uint8_t *v, size_t size, int n)
{
    for (size_t j = 0; j < size; j++)
        v[j] = (uint8_t) (n * 31 + j * 7 + 1);
}

static int
s_batch_fn (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    b->calls++;
    if (b->hook)
        b->hook (b->hook_arg);
    MDB_dbi dbi = xc_store_dbi (b->store, XC_DB_META);
    //  Which attempt wrote: only the one that commits may be visible.
    char mark[32];
    snprintf (mark, sizeof mark, "attempt/%d", b->calls);
    MDB_val mk = {strlen (mark), mark}, mv = {1, "x"};
    int rc = mdb_put (txn, dbi, &mk, &mv, 0);
    for (int i = 0; rc == MDB_SUCCESS && i < b->count; i++) {
        char key[32];
        s_key (key, sizeof key, b->first + i);
        MDB_val k = {strlen (key), key}, v = {b->size, NULL};
        rc = mdb_put (txn, dbi, &k, &v, MDB_RESERVE);
        if (rc == MDB_SUCCESS)
            s_fill (v.mv_data, b->size, b->first + i);
    }
    if (rc != MDB_SUCCESS)
        return xc_store_rc (rc);
    if (b->calls <= b->efull_calls)
        return XC_EFULL;
    return b->fail_with;
}

/*  Whether key is in XC_DB_META, in a fresh read transaction. */
static int
s_has (xc_store_t *s, const char *key)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    MDB_val k = {strlen (key), (void *) key}, v;
    int rc = mdb_get (txn, xc_store_dbi (s, XC_DB_META), &k, &v);
    mdb_txn_abort (txn);
    assert_true (rc == MDB_SUCCESS || rc == MDB_NOTFOUND);
    return rc == MDB_SUCCESS;
}

/*  Checks that values first .. first + count - 1 are there, byte for
    byte, and that first + count is not. */
static void
s_expect_values (xc_store_t *s, int first, int count, size_t size)
{
    uint8_t *want = malloc (size);
    assert_non_null (want);
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    MDB_dbi dbi = xc_store_dbi (s, XC_DB_META);
    for (int i = first; i <= first + count; i++) {
        char key[32];
        s_key (key, sizeof key, i);
        MDB_val k = {strlen (key), key}, v;
        int rc = mdb_get (txn, dbi, &k, &v);
        if (i == first + count) {
            assert_int_equal (rc, MDB_NOTFOUND);
            break;
        }
        if (rc != MDB_SUCCESS)
            fail_msg ("value %d: %s", i, mdb_strerror (rc));
        assert_int_equal (v.mv_size, size);
        s_fill (want, size, i);
        assert_memory_equal (v.mv_data, want, size);
    }
    mdb_txn_abort (txn);
    free (want);
}

/*  Pages in use and the map size, as LMDB itself reports them. */
static void
s_env_usage (xc_store_t *s, size_t *used, size_t *map)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    MDB_env *env = mdb_txn_env (txn);
    MDB_envinfo info;
    MDB_stat st;
    assert_int_equal (mdb_env_info (env, &info), MDB_SUCCESS);
    assert_int_equal (mdb_env_stat (env, &st), MDB_SUCCESS);
    mdb_txn_abort (txn);
    *used = (info.me_last_pgno + 1) * (size_t) st.ms_psize;
    *map = info.me_mapsize;
}

static int
s_is_doubling (size_t size, size_t base)
{
    while (size > base && size % 2 == 0)
        size /= 2;
    return size == base;
}

/* --------------------------------------------------------------------------
   The write contract
   -------------------------------------------------------------------------- */

static void
test_write_commits (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 0);
    s_batch_t b = {.store = s, .first = 1, .count = 3, .size = 100};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    assert_int_equal (b.calls, 1);
    s_expect_values (s, 1, 3, 100);
    assert_true (s_has (s, "attempt/1"));
    //  Synchronous: what was committed is in the file, and is there again
    //  after a reopen.
    xc_store_destroy (&s);
    assert_null (s);
    s = s_open (dir, 0);
    s_expect_values (s, 1, 3, 100);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  Three messages of one batch, each nested (xc_store_nest): the middle
    one fails with an error of its own, so its writes alone are undone
    and the others commit; a store failure (XC_EFULL) in a nested run is
    passed up and, rerun after growth, the batch commits whole. */
typedef struct {
    s_batch_t parts[3];
    int efull_once;        /* the third part reports XC_EFULL once */
} s_nested_t;

static int
s_nested_fn (MDB_txn *txn, void *arg)
{
    s_nested_t *n = arg;
    for (int i = 0; i < 3; i++) {
        int rc = xc_store_nest (txn, s_batch_fn, &n->parts[i]);
        if (i == 2 && n->efull_once && rc == 0) {
            n->efull_once = 0;
            rc = XC_EFULL;
        }
        if (xc_store_failed (rc))
            return rc;
    }
    return 0;
}

static void
test_nest_fails_alone (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 0);
    s_nested_t n = {
        {{.store = s, .first = 1, .count = 2, .size = 50},
         {.store = s, .first = 10, .count = 2, .size = 50,
          .fail_with = XC_EINVAL},
         {.store = s, .first = 20, .count = 2, .size = 50}},
        1};
    assert_int_equal (xc_store_write (s, s_nested_fn, &n), 0);
    s_expect_values (s, 1, 2, 50);
    s_expect_values (s, 20, 2, 50);
    char key[32];
    s_key (key, sizeof key, 10);
    assert_false (s_has (s, key));
    //  The batch ran twice (XC_EFULL once), each part each time.
    assert_int_equal (n.parts[0].calls, 2);
    assert_int_equal (n.parts[2].calls, 2);
    assert_true (xc_store_failed (XC_EFULL) && xc_store_failed (XC_ESTORE));
    assert_false (xc_store_failed (XC_EINVAL) || xc_store_failed (0));
    xc_store_destroy (&s);
    s_rmdir (dir);
}

static void
test_write_error_aborts (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 0);
    s_batch_t ok = {.store = s, .first = 1, .count = 2, .size = 50};
    assert_int_equal (xc_store_write (s, s_batch_fn, &ok), 0);
    //  The function wrote three values, then refused: its error comes back,
    //  it ran once (only XC_EFULL is retried), and none of its writes is
    //  visible, now or after a reopen; earlier commits are untouched.
    s_batch_t bad = {.store = s, .first = 3, .count = 3, .size = 50,
                     .fail_with = XC_EINVAL};
    assert_int_equal (xc_store_write (s, s_batch_fn, &bad), XC_EINVAL);
    assert_int_equal (bad.calls, 1);
    s_expect_values (s, 1, 2, 50);
    bad.fail_with = XC_ESTORE;
    bad.calls = 0;
    assert_int_equal (xc_store_write (s, s_batch_fn, &bad), XC_ESTORE);
    assert_int_equal (bad.calls, 1);
    xc_store_destroy (&s);
    s = s_open (dir, 0);
    s_expect_values (s, 1, 2, 50);
    //  The store still writes after a refusal.
    s_batch_t more = {.store = s, .first = 3, .count = 1, .size = 50};
    assert_int_equal (xc_store_write (s, s_batch_fn, &more), 0);
    s_expect_values (s, 1, 3, 50);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  XC_EFULL from the function: the map is doubled and the work runs again
    from the start, in a new transaction: what the failed attempts wrote
    is gone. */
static void
test_write_efull_retries (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 1 * MIB);
    assert_int_equal (xc_store_map_size (s), 1 * MIB);
    s_batch_t b = {.store = s, .first = 1, .count = 2, .size = 10,
                   .efull_calls = 2};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    assert_int_equal (b.calls, 3);
    assert_int_equal (xc_store_map_size (s), 4 * MIB);
    assert_false (s_has (s, "attempt/1"));
    assert_false (s_has (s, "attempt/2"));
    assert_true (s_has (s, "attempt/3"));
    s_expect_values (s, 1, 2, 10);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  Still full after the eighth doubling: XC_EFULL, nothing written, and
    the store goes on working. */
static void
test_write_efull_gives_up (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 1 * MIB);
    s_batch_t b = {.store = s, .first = 1, .count = 1, .size = 10,
                   .efull_calls = 1000};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), XC_EFULL);
    assert_int_equal (b.calls, 9);               /* first try + 8 retries */
    assert_int_equal (xc_store_map_size (s), 256 * MIB);
    for (int i = 1; i <= 9; i++) {
        char mark[32];
        snprintf (mark, sizeof mark, "attempt/%d", i);
        assert_false (s_has (s, mark));
    }
    s_expect_values (s, 1, 0, 10);
    s_batch_t ok = {.store = s, .first = 1, .count = 1, .size = 10};
    assert_int_equal (xc_store_write (s, s_batch_fn, &ok), 0);
    s_expect_values (s, 1, 1, 10);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  A real MDB_MAP_FULL: a batch far larger than a 64 KiB map commits
    after the store doubled the map as often as it needed, every value
    intact; after a reopen (asking for the same tiny map) the data is
    still there and fills at most half the map, so the first commit after
    the restart does not have to grow. */
static void
test_map_full_grows (void **state)
{
    (void) state;
    s_need_4k_pages ();
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 64 * KIB);
    size_t map0 = xc_store_map_size (s);
    assert_int_equal (map0, 64 * KIB);
    s_batch_t b = {.store = s, .first = 1, .count = 100, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    assert_true (b.calls > 1);                    /* it had to grow */
    assert_true (b.calls <= 9);
    size_t grown = xc_store_map_size (s);
    assert_true (grown >= 100 * VAL_SIZE);
    assert_true (s_is_doubling (grown, map0));
    size_t used, map;
    s_env_usage (s, &used, &map);
    assert_int_equal (map, grown);                 /* tracked, not guessed */
    assert_false (s_has (s, "attempt/1"));
    s_expect_values (s, 1, 100, VAL_SIZE);

    //  A second batch into the grown map, then a restart.
    s_batch_t b2 = {.store = s, .first = 101, .count = 100,
                    .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b2), 0);
    xc_store_destroy (&s);

    s = s_open (dir, 64 * KIB);
    s_expect_values (s, 1, 200, VAL_SIZE);
    s_env_usage (s, &used, &map);
    assert_true (used >= 200 * VAL_SIZE);
    assert_int_equal (map, xc_store_map_size (s));
    if (map < 2 * used)
        fail_msg ("headroom: %zu bytes of data in a map of %zu", used, map);
    size_t reopened = map;
    s_batch_t small = {.store = s, .first = 201, .count = 1,
                       .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &small), 0);
    assert_int_equal (small.calls, 1);
    assert_int_equal (xc_store_map_size (s), reopened);
    xc_store_destroy (&s);

    //  A map asked for that is already large enough is kept as it is.
    s = s_open (dir, 64 * MIB);
    assert_int_equal (xc_store_map_size (s), 64 * MIB);
    s_expect_values (s, 1, 201, VAL_SIZE);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  A real MDB_MAP_FULL that eight doublings of a 16 KiB map (4 MiB) do
    not cure: XC_EFULL, none of the batch visible, the store usable. */
static void
test_map_full_gives_up (void **state)
{
    (void) state;
    s_need_4k_pages ();
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 16 * KIB);
    assert_int_equal (xc_store_map_size (s), 16 * KIB);
    s_batch_t b = {.store = s, .first = 1, .count = 1100, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), XC_EFULL);
    assert_int_equal (b.calls, 9);
    assert_int_equal (xc_store_map_size (s), 4 * MIB);
    s_expect_values (s, 1, 0, VAL_SIZE);
    s_batch_t ok = {.store = s, .first = 1, .count = 10, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &ok), 0);
    assert_int_equal (ok.calls, 1);
    s_expect_values (s, 1, 10, VAL_SIZE);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/* --------------------------------------------------------------------------
   Reads
   -------------------------------------------------------------------------- */

static void
test_read (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 0);
    s_batch_t b = {.store = s, .first = 1, .count = 1, .size = 8};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);

    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    assert_non_null (txn);
    MDB_dbi dbi = xc_store_dbi (s, XC_DB_META);
    MDB_val k = {8, "k/000001"}, v;
    assert_int_equal (mdb_get (txn, dbi, &k, &v), MDB_SUCCESS);
    assert_int_equal (v.mv_size, 8);
    //  Read only.
    MDB_val nk = {3, "new"}, nv = {1, "x"};
    assert_int_not_equal (mdb_put (txn, dbi, &nk, &nv, 0), MDB_SUCCESS);
    //  Absent keys map to XC_ENOTFOUND.
    assert_int_equal (xc_store_rc (mdb_get (txn, dbi, &nk, &v)),
                      XC_ENOTFOUND);
    //  Every named database is there in a new store.
    for (int db = 0; db < XC_DB_COUNT; db++) {
        assert_true (xc_store_has (s, db));
        MDB_stat st;
        assert_int_equal (mdb_stat (txn, xc_store_dbi (s, db), &st),
                          MDB_SUCCESS);
    }
    mdb_txn_abort (txn);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

static void
test_rc (void **state)
{
    (void) state;
    assert_int_equal (xc_store_rc (MDB_SUCCESS), XC_OK);
    assert_int_equal (xc_store_rc (MDB_NOTFOUND), XC_ENOTFOUND);
    assert_int_equal (xc_store_rc (MDB_MAP_FULL), XC_EFULL);
    assert_int_equal (xc_store_rc (MDB_CORRUPTED), XC_ESTORE);
    assert_int_equal (xc_store_rc (MDB_TXN_FULL), XC_ESTORE);
    assert_int_equal (xc_store_rc (EACCES), XC_ESTORE);
    //  A full disk is its own code, and every failure keeps its cause
    //  with the errno's name, for the log and the terminal.
    assert_int_equal (xc_store_rc (EDQUOT), XC_ENOSPC);
    assert_int_equal (xc_store_rc (ENOSPC), XC_ENOSPC);
    assert_true (xc_store_failed (XC_ENOSPC));
    assert_string_equal (xc_store_cause (),
                         "No space left on device (ENOSPC)");
    char what[256];
    assert_string_equal (xc_store_describe (XC_ENOSPC, what, sizeof what),
                         "the node's data disk is full: No space left on "
                         "device (ENOSPC)");
    xc_store_rc (EIO);
    assert_string_equal (xc_store_describe (XC_ESTORE, what, sizeof what),
                         "storage failure: Input/output error (EIO)");
    //  A refusal of one message is not a store failure: no cause added.
    assert_string_equal (xc_store_describe (XC_EINVAL, what, sizeof what),
                         "invalid input");
}

/* --------------------------------------------------------------------------
   Opening
   -------------------------------------------------------------------------- */

static void
test_open_rules (void **state)
{
    (void) state;
    char dir[64], why[256], path[PATH_MAX];
    s_mkdir (dir, sizeof dir);

    //  Not a directory, or no such directory.
    snprintf (path, sizeof path, "%s/missing", dir);
    why[0] = '\0';
    assert_null (xc_store_new (path, 0, why, sizeof why));
    assert_true (strlen (why) > 0);
    assert_false (xc_store_exists (dir));

    xc_store_t *s = s_open (dir, 0);
    assert_true (xc_store_exists (dir));
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    why[0] = '\0';
    assert_null (xc_store_new (path, 0, why, sizeof why));
    assert_true (strlen (why) > 0);

    //  Opened once per process: a second open, read-write or read-only,
    //  is refused while the first is open.
    why[0] = '\0';
    assert_null (xc_store_new (dir, 0, why, sizeof why));
    assert_non_null (strstr (why, "already open"));
    why[0] = '\0';
    assert_null (xc_store_open_rdonly (dir, why, sizeof why));
    assert_non_null (strstr (why, "already open"));

    s_batch_t b = {.store = s, .first = 1, .count = 1, .size = 8};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    xc_store_destroy (&s);
    assert_null (s);
    xc_store_destroy (&s);                         /* harmless twice */
    xc_store_destroy (NULL);

    //  Closed, it opens again, with its data.
    s = s_open (dir, 0);
    s_expect_values (s, 1, 1, 8);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

static void
test_rdonly (void **state)
{
    (void) state;
    char dir[64], why[256] = "";
    s_mkdir (dir, sizeof dir);

    //  No store yet: refused, and nothing created.
    assert_null (xc_store_open_rdonly (dir, why, sizeof why));
    assert_true (strlen (why) > 0);
    assert_false (xc_store_exists (dir));
    assert_int_equal (rmdir (dir), 0);             /* still empty */
    assert_int_equal (mkdir (dir, 0700), 0);

    xc_store_t *s = s_open (dir, 0);
    s_batch_t b = {.store = s, .first = 1, .count = 2, .size = 30};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    xc_store_destroy (&s);

    s = xc_store_open_rdonly (dir, why, sizeof why);
    if (!s)
        fail_msg ("xc_store_open_rdonly: %s", why);
    for (int db = 0; db < XC_DB_COUNT; db++)
        assert_true (xc_store_has (s, db));
    s_expect_values (s, 1, 2, 30);
    //  Writes fail, and the work never runs.
    s_batch_t w = {.store = s, .first = 3, .count = 1, .size = 30};
    assert_int_equal (xc_store_write (s, s_batch_fn, &w), XC_ESTORE);
    assert_int_equal (w.calls, 0);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  A store written by an older version, with only some of the named
    databases: read-only, the missing ones are simply absent. */
static void
test_rdonly_older_store (void **state)
{
    (void) state;
    char dir[64], why[256] = "";
    s_mkdir (dir, sizeof dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    assert_int_equal (mdb_env_create (&env), MDB_SUCCESS);
    assert_int_equal (mdb_env_set_maxdbs (env, 4), MDB_SUCCESS);
    assert_int_equal (mdb_env_open (env, dir, 0, 0600), MDB_SUCCESS);
    assert_int_equal (mdb_txn_begin (env, NULL, 0, &txn), MDB_SUCCESS);
    assert_int_equal (mdb_dbi_open (txn, "index", MDB_CREATE, &dbi),
                      MDB_SUCCESS);
    assert_int_equal (mdb_dbi_open (txn, "audit", MDB_CREATE, &dbi),
                      MDB_SUCCESS);
    assert_int_equal (mdb_txn_commit (txn), MDB_SUCCESS);
    mdb_env_close (env);

    xc_store_t *s = xc_store_open_rdonly (dir, why, sizeof why);
    if (!s)
        fail_msg ("xc_store_open_rdonly: %s", why);
    assert_true (xc_store_has (s, XC_DB_INDEX));
    assert_true (xc_store_has (s, XC_DB_AUDIT));
    assert_false (xc_store_has (s, XC_DB_SEEN));
    assert_false (xc_store_has (s, XC_DB_META));
    assert_false (xc_store_has (s, XC_DB_OUTBOX));
    assert_false (xc_store_has (s, XC_DB_HOUSEHOLDS));
    xc_store_destroy (&s);

    //  Opened read-write, the store creates the rest.
    s = s_open (dir, 0);
    for (int db = 0; db < XC_DB_COUNT; db++)
        assert_true (xc_store_has (s, db));
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/* --------------------------------------------------------------------------
   Damaged data files: refused before a page is touched
   -------------------------------------------------------------------------- */

static off_t
s_file_size (const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    return stat (path, &st) == 0 ? st.st_size : -1;
}

/*  Every way of opening an existing store refuses it, saying needle, and
    leaves the file as it was (never made anew). */
static void
s_all_refuse (const char *dir, const char *needle)
{
    off_t size = s_file_size (dir);
    char why[512];
    why[0] = '\0';
    assert_null (xc_store_open (dir, 0, why, sizeof why));
    if (!strstr (why, needle))
        fail_msg ("xc_store_open: '%s' does not say '%s'", why, needle);
    why[0] = '\0';
    assert_null (xc_store_new (dir, 0, why, sizeof why));
    if (!strstr (why, needle))
        fail_msg ("xc_store_new: '%s' does not say '%s'", why, needle);
    why[0] = '\0';
    assert_null (xc_store_open_rdonly (dir, why, sizeof why));
    if (!strstr (why, needle))
        fail_msg ("xc_store_open_rdonly: '%s' does not say '%s'", why,
                  needle);
    assert_int_equal (s_file_size (dir), size);
}

/*  A store of many pages, closed. */
static off_t
s_store_of_pages (const char *dir)
{
    xc_store_t *s = s_open (dir, 0);
    s_batch_t b = {.store = s, .first = 1, .count = 64, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    xc_store_destroy (&s);
    return s_file_size (dir);
}

/*  Shorter than the last page its meta counts: each open used to die of
    SIGBUS at the first touch of a missing page (this test with it). */
static void
test_truncated_refused (void **state)
{
    (void) state;
    char dir[64], path[PATH_MAX];
    s_mkdir (dir, sizeof dir);
    off_t size = s_store_of_pages (dir);
    assert_true (size > 64 * 4096);
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    //  Half, then all but the last page, then just the two meta pages.
    off_t cuts[] = {size / 2, size - 4096, 2 * 4096};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        assert_int_equal (truncate (path, cuts[i]), 0);
        s_all_refuse (dir, "data.mdb is truncated");
    }
    //  Less than the meta pages: LMDB itself finds no environment.
    assert_int_equal (truncate (path, 4096 + 100), 0);
    s_all_refuse (dir, "not an LMDB environment");
    s_rmdir (dir);
}

/*  Zero bytes (LMDB would take it for a new environment and fill it),
    and zeros over the whole file. */
static void
test_empty_and_zeroed_refused (void **state)
{
    (void) state;
    char dir[64], path[PATH_MAX];
    s_mkdir (dir, sizeof dir);
    off_t size = s_store_of_pages (dir);
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen (path, "r+b");
    assert_non_null (f);
    for (off_t at = 0; at < size; at++)
        fputc (0, f);
    fclose (f);
    s_all_refuse (dir, "not an LMDB environment");
    assert_int_equal (truncate (path, 0), 0);
    s_all_refuse (dir, "is empty (0 bytes)");
    s_rmdir (dir);
}

/*  xc_store_open creates nothing: no data file, no store. */
static void
test_open_needs_a_store (void **state)
{
    (void) state;
    char dir[64], why[512] = "", path[PATH_MAX];
    s_mkdir (dir, sizeof dir);
    assert_null (xc_store_open (dir, 0, why, sizeof why));
    assert_non_null (strstr (why, "data.mdb"));
    assert_false (xc_store_exists (dir));
    snprintf (path, sizeof path, "%s/missing", dir);
    assert_null (xc_store_open (path, 0, why, sizeof why));
    assert_int_not_equal (access (path, F_OK), 0);
    //  Once there, it opens with its data.
    s_store_of_pages (dir);
    xc_store_t *s = xc_store_open (dir, 0, why, sizeof why);
    if (!s)
        fail_msg ("xc_store_open: %s", why);
    s_expect_values (s, 1, 64, VAL_SIZE);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  An environment is never used across fork(): in the child, reads and
    writes fail and the write function never runs. */
static void
test_fork (void **state)
{
    (void) state;
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 0);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        s_batch_t b = {.store = s, .first = 1, .count = 1, .size = 8};
        MDB_txn *txn = (MDB_txn *) &b;
        int code = 0;
        if (xc_store_write (s, s_batch_fn, &b) != XC_ESTORE)
            code |= 1;
        if (b.calls != 0)
            code |= 2;
        if (xc_store_read (s, &txn) != XC_ESTORE || txn != NULL)
            code |= 4;
        _exit (code);                  /* no cleanup: not ours to close */
    }
    int status = 0;
    assert_int_equal (waitpid (pid, &status, 0), pid);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);
    //  The parent's store is unharmed.
    s_batch_t b = {.store = s, .first = 1, .count = 1, .size = 8};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    s_expect_values (s, 1, 1, 8);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/*  Another process (here a forked child with an environment of its own,
    as xiecha import or a second tool would have) grows the map and
    writes past our map's end: our next transaction adopts the new size
    instead of failing. */
static void
test_map_resized_elsewhere (void **state)
{
    (void) state;
    s_need_4k_pages ();
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 64 * KIB);
    pid_t pid = fork ();
    assert_true (pid >= 0);
    if (pid == 0) {
        MDB_env *env;
        MDB_txn *txn;
        MDB_dbi dbi;
        int rc = mdb_env_create (&env);
        if (rc == 0)
            rc = mdb_env_set_maxdbs (env, XC_DB_COUNT);
        if (rc == 0)
            rc = mdb_env_set_mapsize (env, 4 * MIB);
        if (rc == 0)
            rc = mdb_env_open (env, dir, 0, 0600);
        if (rc == 0)
            rc = mdb_txn_begin (env, NULL, 0, &txn);
        if (rc == 0)
            rc = mdb_dbi_open (txn, "meta", 0, &dbi);
        for (int i = 1; rc == 0 && i <= 100; i++) {
            char key[32];
            s_key (key, sizeof key, i);
            MDB_val k = {strlen (key), key}, v = {VAL_SIZE, NULL};
            rc = mdb_put (txn, dbi, &k, &v, MDB_RESERVE);
            if (rc == 0)
                s_fill (v.mv_data, VAL_SIZE, i);
        }
        if (rc == 0)
            rc = mdb_txn_commit (txn);
        mdb_env_close (env);
        _exit (rc == 0 ? 0 : 1);
    }
    int status = 0;
    assert_int_equal (waitpid (pid, &status, 0), pid);
    assert_true (WIFEXITED (status));
    assert_int_equal (WEXITSTATUS (status), 0);

    assert_int_equal (xc_store_map_size (s), 64 * KIB);
    s_batch_t b = {.store = s, .first = 101, .count = 1, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    assert_int_equal (b.calls, 1);                 /* adopted, not grown */
    assert_int_equal (xc_store_map_size (s), 4 * MIB);
    s_expect_values (s, 1, 101, VAL_SIZE);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

/* --------------------------------------------------------------------------
   Sharing with a reader thread
   -------------------------------------------------------------------------- */

typedef struct {
    xc_store_t *store;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int holding;             /* the reader has its transaction open */
    int release;             /* the reader may end it */
    atomic_int calls;        /* write attempts begun */
    atomic_int reader_done;  /* the reader has called xc_store_share_end */
    int calls_at_end;        /* attempts begun when the reader ended */
    int done_at_retry;       /* reader_done when the second attempt began */
    int snapshot_ok;         /* the reader's value was intact throughout */
} s_share_t;

static void
s_wait_for (s_share_t *sh, int *flag)
{
    pthread_mutex_lock (&sh->lock);
    while (!*flag)
        pthread_cond_wait (&sh->cond, &sh->lock);
    pthread_mutex_unlock (&sh->lock);
}

static void
s_set (s_share_t *sh, int *flag)
{
    pthread_mutex_lock (&sh->lock);
    *flag = 1;
    pthread_cond_broadcast (&sh->cond);
    pthread_mutex_unlock (&sh->lock);
}

static void *
s_reader (void *arg)
{
    s_share_t *sh = arg;
    uint8_t want[VAL_SIZE];
    s_fill (want, VAL_SIZE, 1);
    xc_store_share_begin (sh->store);
    MDB_txn *txn = NULL;
    int ok = xc_store_read (sh->store, &txn) == 0;
    MDB_val k = {8, "k/000001"}, v = {0, NULL};
    ok = ok && mdb_get (txn, xc_store_dbi (sh->store, XC_DB_META), &k, &v)
                   == MDB_SUCCESS
         && v.mv_size == VAL_SIZE && memcmp (v.mv_data, want, VAL_SIZE) == 0;
    s_set (sh, &sh->holding);
    s_wait_for (sh, &sh->release);
    //  The writer is now past its first attempt, which found the map
    //  full, and must grow.  Give a growth that does not wait for us the
    //  time to happen; one that waits (the contract) cannot, so nothing
    //  below depends on how long this takes.
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep (&pause, NULL);
    sh->calls_at_end = atomic_load (&sh->calls);
    //  Had the map been remapped under us, v would point into a mapping
    //  that may be gone: read it again only when it cannot have been.
    ok = ok && sh->calls_at_end == 1
         && memcmp (v.mv_data, want, VAL_SIZE) == 0;
    sh->snapshot_ok = ok;
    if (txn)
        mdb_txn_abort (txn);
    atomic_store (&sh->reader_done, 1);
    xc_store_share_end (sh->store);
    return NULL;
}

static void
s_writer_hook (void *arg)
{
    s_share_t *sh = arg;
    int n = atomic_fetch_add (&sh->calls, 1) + 1;
    if (n == 1)
        s_set (sh, &sh->release);
    else if (n == 2)
        sh->done_at_retry = atomic_load (&sh->reader_done);
}

static void
test_share_thread (void **state)
{
    (void) state;
    s_need_4k_pages ();
    char dir[64];
    s_mkdir (dir, sizeof dir);
    xc_store_t *s = s_open (dir, 64 * KIB);
    s_batch_t seed = {.store = s, .first = 1, .count = 1, .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &seed), 0);
    size_t map0 = xc_store_map_size (s);

    s_share_t sh = {.store = s};
    pthread_mutex_init (&sh.lock, NULL);
    pthread_cond_init (&sh.cond, NULL);
    pthread_t reader;
    assert_int_equal (pthread_create (&reader, NULL, s_reader, &sh), 0);
    s_wait_for (&sh, &sh.holding);

    //  A batch that cannot fit: the growth must wait for the reader.
    s_batch_t b = {.store = s, .first = 2, .count = 100, .size = VAL_SIZE,
                   .hook = s_writer_hook, .hook_arg = &sh};
    assert_int_equal (xc_store_write (s, s_batch_fn, &b), 0);
    assert_int_equal (pthread_join (reader, NULL), 0);
    assert_true (b.calls >= 2);
    assert_true (xc_store_map_size (s) > map0);
    assert_true (sh.snapshot_ok);
    assert_int_equal (sh.calls_at_end, 1);  /* no retry while it read */
    assert_int_equal (sh.done_at_retry, 1);
    s_expect_values (s, 1, 101, VAL_SIZE);

    //  Once the reader has ended, growing needs no one's leave.
    xc_store_share_begin (s);
    xc_store_share_end (s);
    s_batch_t more = {.store = s, .first = 102, .count = 400,
                      .size = VAL_SIZE};
    assert_int_equal (xc_store_write (s, s_batch_fn, &more), 0);
    assert_true (more.calls >= 2);
    s_expect_values (s, 1, 501, VAL_SIZE);

    pthread_cond_destroy (&sh.cond);
    pthread_mutex_destroy (&sh.lock);
    xc_store_destroy (&s);
    s_rmdir (dir);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_write_commits),
        cmocka_unit_test (test_write_error_aborts),
        cmocka_unit_test (test_nest_fails_alone),
        cmocka_unit_test (test_write_efull_retries),
        cmocka_unit_test (test_write_efull_gives_up),
        cmocka_unit_test (test_map_full_grows),
        cmocka_unit_test (test_map_full_gives_up),
        cmocka_unit_test (test_read),
        cmocka_unit_test (test_rc),
        cmocka_unit_test (test_open_rules),
        cmocka_unit_test (test_rdonly),
        cmocka_unit_test (test_rdonly_older_store),
        cmocka_unit_test (test_truncated_refused),
        cmocka_unit_test (test_empty_and_zeroed_refused),
        cmocka_unit_test (test_open_needs_a_store),
        cmocka_unit_test (test_fork),
        cmocka_unit_test (test_map_resized_elsewhere),
        cmocka_unit_test (test_share_thread),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
