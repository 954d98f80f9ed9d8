/*  test_seen.c - seen message ids: unknown ids, the stored digest and
    answer byte for byte (also empty and large), and scoping by sender. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/error.h>

#include "xt_local.h"
#include "store/seen.h"
#include "store/store.h"

typedef struct {
    char dir[64];       /* fresh mkdtemp directory */
    xc_store_t *store;  /* store opened in dir */
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->store = xt_store_new (f->dir, sizeof f->dir, "seen", 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xt_store_destroy (&f->store, f->dir);
    free (f);
    return 0;
}

typedef struct {
    xc_store_t *store;
    const char *sender;
    uint8_t id[16];
    uint8_t digest[32];
    const uint8_t *answer;
    size_t answer_len;
} put_work_t;

static int
s_put_fn (MDB_txn *txn, void *arg)
{
    put_work_t *w = arg;
    return xc_seen_put (w->store, txn, w->sender, w->id, w->digest,
                        w->answer, w->answer_len);
}

static void
s_put (fixture_t *f, const char *sender, uint8_t idb, uint8_t digb,
       const uint8_t *answer, size_t len)
{
    put_work_t w = { f->store, sender, { 0 }, { 0 }, answer, len };
    memset (w.id, idb, 16);
    memset (w.digest, digb, 32);
    assert_int_equal (xc_store_write (f->store, s_put_fn, &w), 0);
}

//  Looks up (sender, id of idb bytes); returns the code, fills the rest.
static int
s_get (fixture_t *f, const char *sender, uint8_t idb, uint8_t digest[32],
       uint8_t **answer, size_t *len)
{
    uint8_t id[16];
    memset (id, idb, 16);
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    int rc = xc_seen_get (f->store, txn, sender, id, digest, answer, len);
    mdb_txn_abort (txn);
    return rc;
}

static void
test_not_found (void **state)
{
    fixture_t *f = *state;
    uint8_t digest[32];
    uint8_t *answer = (uint8_t *) "sentinel";
    size_t len = 99;
    assert_int_equal (s_get (f, "469025", 1, digest, &answer, &len),
                      XC_ENOTFOUND);
    assert_null (answer);
    assert_int_equal (len, 0);
}

static void
test_roundtrip (void **state)
{
    fixture_t *f = *state;
    uint8_t answer[300];
    for (size_t i = 0; i < sizeof answer; i++)
        answer[i] = (uint8_t) (i * 7 + 1);
    s_put (f, "469025", 1, 0xD1, answer, sizeof answer);

    uint8_t digest[32], want[32], *got = NULL;
    size_t len = 0;
    assert_int_equal (s_get (f, "469025", 1, digest, &got, &len), 0);
    memset (want, 0xD1, 32);
    assert_memory_equal (digest, want, 32);
    assert_int_equal (len, sizeof answer);
    assert_non_null (got);
    assert_memory_equal (got, answer, len);
    free (got);

    //  The key is the 6-byte sender then the 16-byte id: 22 bytes.
    uint8_t key[22];
    memcpy (key, "469025", 6);
    memset (key + 6, 1, 16);
    MDB_txn *txn;
    MDB_val k = { sizeof key, key }, v;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (
        mdb_get (txn, xc_store_dbi (f->store, XC_DB_SEEN), &k, &v), 0);
    assert_int_equal (v.mv_size, 32 + sizeof answer);
    assert_memory_equal (v.mv_data, want, 32);
    mdb_txn_abort (txn);
}

static void
test_empty_answer (void **state)
{
    fixture_t *f = *state;
    s_put (f, "469025", 2, 0xE2, NULL, 0);
    uint8_t digest[32], want[32], *got = (uint8_t *) "sentinel";
    size_t len = 99;
    assert_int_equal (s_get (f, "469025", 2, digest, &got, &len), 0);
    memset (want, 0xE2, 32);
    assert_memory_equal (digest, want, 32);
    assert_int_equal (len, 0);
    assert_null (got);
}

static void
test_large_answer (void **state)
{
    fixture_t *f = *state;
    //  Bigger than a page: stored on LMDB overflow pages.
    size_t n = 100000;
    uint8_t *answer = malloc (n);
    assert_non_null (answer);
    for (size_t i = 0; i < n; i++)
        answer[i] = (uint8_t) (i ^ (i >> 8));
    s_put (f, "460000", 3, 0x33, answer, n);
    uint8_t digest[32], *got = NULL;
    size_t len = 0;
    assert_int_equal (s_get (f, "460000", 3, digest, &got, &len), 0);
    assert_int_equal (len, n);
    assert_memory_equal (got, answer, n);
    free (got);
    free (answer);
}

static void
test_scoped_by_sender (void **state)
{
    fixture_t *f = *state;
    s_put (f, "469025", 4, 0xAA, (const uint8_t *) "from-469025", 11);
    uint8_t digest[32], want[32], *got = NULL;
    size_t len = 0;
    //  Same id, another sender: never seen.
    assert_int_equal (s_get (f, "460100", 4, digest, &got, &len),
                      XC_ENOTFOUND);
    //  Same sender, another id: never seen.
    assert_int_equal (s_get (f, "469025", 5, digest, &got, &len),
                      XC_ENOTFOUND);

    s_put (f, "460100", 4, 0xBB, (const uint8_t *) "from-460100", 11);
    assert_int_equal (s_get (f, "469025", 4, digest, &got, &len), 0);
    memset (want, 0xAA, 32);
    assert_memory_equal (digest, want, 32);
    assert_int_equal (len, 11);
    assert_memory_equal (got, "from-469025", 11);
    free (got);
    assert_int_equal (s_get (f, "460100", 4, digest, &got, &len), 0);
    memset (want, 0xBB, 32);
    assert_memory_equal (digest, want, 32);
    assert_memory_equal (got, "from-460100", 11);
    free (got);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_not_found, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_roundtrip, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_empty_answer, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_large_answer, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_scoped_by_sender, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
