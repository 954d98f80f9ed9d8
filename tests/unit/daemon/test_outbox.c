/*  test_outbox.c - notices waiting for their ack (outbox.h): every field
    back as it was put, the value layout on disk, replacing an item (the
    PENDING -> REJECTED step, with its note), the three states, notes at
    and over their limit, each in id order and its early stop, not-found
    codes, a store reopened, envelopes of megabytes (also in a map that
    must grow), and stored values that are not an outbox item.

    Real LMDB files in mkdtemp directories, no mocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/error.h>

#include "store/outbox.h"
#include "store/store.h"

/*  Undefined behaviour found by the sanitizer fails the test instead of
    scrolling past in its log. */
const char *__ubsan_default_options (void);
const char *
__ubsan_default_options (void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

#define MIB ((size_t) 1 << 20)
#define FIXED 28   /* bytes before the envelope in a stored value */

typedef struct {
    char dir[64];          /* fresh mkdtemp directory */
    xc_store_t *store;     /* opened in dir */
} fixture_t;

static xc_store_t *
s_open (const char *dir, size_t map_size)
{
    char why[256] = "";
    xc_store_t *s = xc_store_new (dir, map_size, why, sizeof why);
    if (!s)
        fail_msg ("xc_store_new %s: %s", dir, why);
    return s;
}

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    snprintf (f->dir, sizeof f->dir, "/tmp/xc-outbox-XXXXXX");
    assert_non_null (mkdtemp (f->dir));
    f->store = s_open (f->dir, 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    char path[PATH_MAX];
    xc_store_destroy (&f->store);
    snprintf (path, sizeof path, "%s/data.mdb", f->dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", f->dir);
    unlink (path);
    int rc = rmdir (f->dir);
    free (f);
    return rc;
}

/* --------------------------------------------------------------------------
   Items and write work
   -------------------------------------------------------------------------- */

/*  An item with every field set from seed; env is malloc'd (free with
    xc_outbox_item_free). */
static void
s_item (xc_outbox_item_t *it, int seed, size_t env_len)
{
    memset (it, 0, sizeof *it);
    for (int i = 0; i < 16; i++)
        it->id[i] = (uint8_t) (seed * 17 + i);
    snprintf (it->home, sizeof it->home, "%06d", 341000 + seed % 1000);
    it->kind = (uint8_t) (1 + seed % 3);
    it->state = XC_OUTBOX_PENDING;
    //  Every byte of the time differs, so a byte-order slip shows.
    it->created_at = 0x0102030405060708ull + (uint64_t) seed;
    it->env_len = env_len;
    it->env = malloc (env_len ? env_len : 1);
    assert_non_null (it->env);
    for (size_t i = 0; i < env_len; i++)
        it->env[i] = (uint8_t) (seed + i * 13);
    snprintf (it->note, sizeof it->note, "note %d", seed);
}

static void
s_assert_item_equal (const xc_outbox_item_t *got,
                     const xc_outbox_item_t *want)
{
    assert_memory_equal (got->id, want->id, 16);
    assert_string_equal (got->home, want->home);
    assert_int_equal (got->kind, want->kind);
    assert_int_equal (got->state, want->state);
    assert_int_equal (got->created_at, want->created_at);
    assert_int_equal (got->env_len, want->env_len);
    if (want->env_len)
        assert_memory_equal (got->env, want->env, want->env_len);
    assert_string_equal (got->note, want->note);
}

typedef struct {
    xc_store_t *store;
    const xc_outbox_item_t *items;
    size_t n;
    const uint8_t *del_id;     /* deleted after the puts, if set */
    int del_rc;                /* what the delete returned */
    int calls;
} s_put_t;

static int
s_put_fn (MDB_txn *txn, void *arg)
{
    s_put_t *p = arg;
    p->calls++;
    for (size_t i = 0; i < p->n; i++) {
        int rc = xc_outbox_put (p->store, txn, &p->items[i]);
        if (rc)
            return rc;
    }
    if (p->del_id)
        p->del_rc = xc_outbox_del (p->store, txn, p->del_id);
    return 0;
}

static void
s_put (xc_store_t *s, const xc_outbox_item_t *items, size_t n)
{
    s_put_t p = {.store = s, .items = items, .n = n};
    assert_int_equal (xc_store_write (s, s_put_fn, &p), 0);
}

/*  xc_outbox_del in its own write transaction; returns its code. */
static int
s_del (xc_store_t *s, const uint8_t id[16])
{
    s_put_t p = {.store = s, .del_id = id};
    assert_int_equal (xc_store_write (s, s_put_fn, &p), 0);
    return p.del_rc;
}

/*  xc_outbox_get in its own read transaction; returns its code. */
static int
s_get (xc_store_t *s, const uint8_t id[16], xc_outbox_item_t *it)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    int rc = xc_outbox_get (s, txn, id, it);
    mdb_txn_abort (txn);
    return rc;
}

typedef struct {
    xc_store_t *store;
    const void *key;
    size_t key_len;
    const void *val;
    size_t val_len;
} s_raw_t;

static int
s_raw_fn (MDB_txn *txn, void *arg)
{
    s_raw_t *r = arg;
    MDB_val k = {r->key_len, (void *) r->key}, v = {r->val_len,
                                                    (void *) r->val};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (r->store, XC_DB_OUTBOX),
                                 &k, &v, 0));
}

static int
s_raw_del_fn (MDB_txn *txn, void *arg)
{
    s_raw_t *r = arg;
    MDB_val k = {r->key_len, (void *) r->key};
    return xc_store_rc (mdb_del (txn, xc_store_dbi (r->store, XC_DB_OUTBOX),
                                 &k, NULL));
}

/*  Stores bytes under key in the outbox database, behind the module. */
static void
s_raw_put (xc_store_t *s, const void *key, size_t key_len, const void *val,
           size_t val_len)
{
    s_raw_t r = {s, key, key_len, val, val_len};
    assert_int_equal (xc_store_write (s, s_raw_fn, &r), 0);
}

/*  A copy of the stored value for id; caller frees. */
static uint8_t *
s_raw_get (xc_store_t *s, const uint8_t id[16], size_t *len)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    MDB_val k = {16, (void *) id}, v;
    assert_int_equal (mdb_get (txn, xc_store_dbi (s, XC_DB_OUTBOX), &k, &v),
                      MDB_SUCCESS);
    uint8_t *copy = malloc (v.mv_size ? v.mv_size : 1);
    assert_non_null (copy);
    memcpy (copy, v.mv_data, v.mv_size);
    *len = v.mv_size;
    mdb_txn_abort (txn);
    return copy;
}

/*  What xc_outbox_each saw: items copied out, env included. */
typedef struct {
    xc_outbox_item_t items[64];
    size_t n;
    int stop_at;               /* return stop_rc from this call (1-based) */
    int stop_rc;
} s_seen_t;

static int
s_each_fn (const xc_outbox_item_t *item, void *arg)
{
    s_seen_t *seen = arg;
    assert_true (seen->n < 64);
    xc_outbox_item_t *c = &seen->items[seen->n++];
    *c = *item;
    c->env = malloc (item->env_len ? item->env_len : 1);
    assert_non_null (c->env);
    memcpy (c->env, item->env, item->env_len);
    if (seen->stop_at && (int) seen->n == seen->stop_at)
        return seen->stop_rc;
    return 0;
}

static int
s_each (xc_store_t *s, s_seen_t *seen)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (s, &txn), 0);
    int rc = xc_outbox_each (s, txn, s_each_fn, seen);
    mdb_txn_abort (txn);
    return rc;
}

static void
s_seen_clear (s_seen_t *seen)
{
    for (size_t i = 0; i < seen->n; i++)
        xc_outbox_item_free (&seen->items[i]);
    seen->n = 0;
}

/* --------------------------------------------------------------------------
   Tests
   -------------------------------------------------------------------------- */

/*  Every field comes back as it was put, and the envelope is a copy of
    its own: it outlives the transaction and the store. */
static void
test_put_get (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t it, got;
    s_item (&it, 5, 300);
    s_put (f->store, &it, 1);
    memset (&got, 0xee, sizeof got);
    assert_int_equal (s_get (f->store, it.id, &got), 0);
    s_assert_item_equal (&got, &it);
    xc_store_destroy (&f->store);           /* the map is gone */
    assert_memory_equal (got.env, it.env, it.env_len);
    f->store = s_open (f->dir, 0);
    xc_outbox_item_free (&got);
    assert_null (got.env);
    assert_int_equal (got.env_len, 0);
    xc_outbox_item_free (&got);            /* harmless twice */
    xc_outbox_item_free (&it);
}

/*  The value layout of outbox.h, byte for byte. */
static void
test_layout (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t it;
    s_item (&it, 7, 5);
    it.state = XC_OUTBOX_REJECTED;
    it.kind = 2;
    snprintf (it.note, sizeof it.note, "why");
    s_put (f->store, &it, 1);
    size_t len;
    uint8_t *v = s_raw_get (f->store, it.id, &len);
    assert_int_equal (len, FIXED + 5 + 3);
    assert_int_equal (v[0], 1);                    /* format */
    assert_int_equal (v[1], 2);                    /* kind */
    assert_int_equal (v[2], XC_OUTBOX_REJECTED);   /* state */
    assert_int_equal (v[3], 0);
    assert_memory_equal (v + 4, it.home, 6);
    assert_int_equal (v[10], 0);
    assert_int_equal (v[11], 0);
    const uint8_t when[8] = {1, 2, 3, 4, 5, 6, 7, 8 + 7};
    assert_memory_equal (v + 12, when, 8);         /* big-endian */
    const uint8_t env_len[4] = {0, 0, 0, 5};
    assert_memory_equal (v + 20, env_len, 4);
    const uint8_t zero[4] = {0};
    assert_memory_equal (v + 24, zero, 4);         /* reserved */
    assert_memory_equal (v + FIXED, it.env, 5);
    assert_memory_equal (v + FIXED + 5, "why", 3); /* no terminator */
    free (v);
    xc_outbox_item_free (&it);
}

static void
test_not_found (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t it, got = {0};
    s_item (&it, 1, 10);
    assert_int_equal (s_get (f->store, it.id, &got), XC_ENOTFOUND);
    assert_int_equal (s_del (f->store, it.id), XC_ENOTFOUND);
    s_put (f->store, &it, 1);
    uint8_t other[16];
    memcpy (other, it.id, 16);
    other[15] ^= 1;
    assert_int_equal (s_get (f->store, other, &got), XC_ENOTFOUND);
    assert_int_equal (s_del (f->store, other), XC_ENOTFOUND);
    assert_int_equal (s_del (f->store, it.id), 0);
    assert_int_equal (s_get (f->store, it.id, &got), XC_ENOTFOUND);
    assert_int_equal (s_del (f->store, it.id), XC_ENOTFOUND);
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, 0);
    xc_outbox_item_free (&it);
}

/*  A put under an id already there replaces the item, as the home node's
    refusal turns PENDING into REJECTED with a note; nothing of the
    longer old value survives into the new one. */
static void
test_replace (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t it, got;
    s_item (&it, 3, 400);
    it.note[0] = '\0';
    s_put (f->store, &it, 1);
    it.state = XC_OUTBOX_REJECTED;
    it.env_len = 40;
    snprintf (it.note, sizeof it.note, "341003 refused the notice: "
              "subject not enrolled");
    s_put (f->store, &it, 1);
    assert_int_equal (s_get (f->store, it.id, &got), 0);
    s_assert_item_equal (&got, &it);
    xc_outbox_item_free (&got);
    size_t len;
    free (s_raw_get (f->store, it.id, &len));
    assert_int_equal (len, FIXED + 40 + strlen (it.note));
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, 1);
    assert_int_equal (seen.items[0].state, XC_OUTBOX_REJECTED);
    s_seen_clear (&seen);
    xc_outbox_item_free (&it);
}

/*  The states keep their values (they are on disk), and each item keeps
    its own. */
static void
test_states (void **state)
{
    fixture_t *f = *state;
    assert_int_equal (XC_OUTBOX_PENDING, 0);
    assert_int_equal (XC_OUTBOX_REJECTED, 1);
    assert_int_equal (XC_OUTBOX_LOCAL, 2);
    const int states[3] = {XC_OUTBOX_PENDING, XC_OUTBOX_REJECTED,
                           XC_OUTBOX_LOCAL};
    xc_outbox_item_t items[3];
    for (int i = 0; i < 3; i++) {
        s_item (&items[i], 10 + i, 20);
        items[i].state = (uint8_t) states[i];
    }
    s_put (f->store, items, 3);
    for (int i = 0; i < 3; i++) {
        xc_outbox_item_t got;
        assert_int_equal (s_get (f->store, items[i].id, &got), 0);
        assert_int_equal (got.state, states[i]);
        s_assert_item_equal (&got, &items[i]);
        xc_outbox_item_free (&got);
        size_t len;
        uint8_t *v = s_raw_get (f->store, items[i].id, &len);
        assert_int_equal (v[2], states[i]);
        free (v);
        xc_outbox_item_free (&items[i]);
    }
}

/*  Notes: none, the longest that fits (255 bytes), and a buffer with no
    terminator at all, which is cut at 255 like a longer note would be. */
static void
test_note (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t items[3], got;
    for (int i = 0; i < 3; i++)
        s_item (&items[i], 20 + i, 10);
    items[0].note[0] = '\0';
    memset (items[1].note, 'n', 255);
    items[1].note[255] = '\0';
    memset (items[2].note, 'x', sizeof items[2].note);   /* unterminated */
    s_put (f->store, items, 3);

    assert_int_equal (s_get (f->store, items[0].id, &got), 0);
    assert_string_equal (got.note, "");
    xc_outbox_item_free (&got);
    assert_int_equal (s_get (f->store, items[1].id, &got), 0);
    assert_string_equal (got.note, items[1].note);
    xc_outbox_item_free (&got);
    assert_int_equal (s_get (f->store, items[2].id, &got), 0);
    assert_int_equal (strlen (got.note), 255);
    assert_memory_equal (got.note, items[2].note, 255);
    assert_int_equal (got.env_len, 10);
    assert_memory_equal (got.env, items[2].env, 10);  /* note not in env */
    xc_outbox_item_free (&got);
    for (int i = 0; i < 3; i++)
        xc_outbox_item_free (&items[i]);
}

/*  Each visits every item once, in id order (bytewise), whatever the
    order of the puts, with the envelope valid during the call. */
static void
test_each_order (void **state)
{
    fixture_t *f = *state;
    enum { N = 40 };
    xc_outbox_item_t items[N];
    for (int i = 0; i < N; i++) {
        s_item (&items[i], i, (size_t) (i * 7) % 50);
        //  Ids out of order, differing first in their leading byte.
        items[i].id[0] = (uint8_t) ((i * 37 + 11) % 256);
    }
    s_put (f->store, items, N);
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, N);
    for (size_t i = 1; i < seen.n; i++)
        assert_true (memcmp (seen.items[i - 1].id, seen.items[i].id, 16) < 0);
    for (size_t i = 0; i < seen.n; i++) {
        int match = -1;
        for (int j = 0; j < N && match < 0; j++)
            if (memcmp (items[j].id, seen.items[i].id, 16) == 0)
                match = j;
        assert_true (match >= 0);
        s_assert_item_equal (&seen.items[i], &items[match]);
    }
    s_seen_clear (&seen);

    //  A non-zero return stops the walk and comes back as it is.
    seen.stop_at = 3;
    seen.stop_rc = 42;
    assert_int_equal (s_each (f->store, &seen), 42);
    assert_int_equal (seen.n, 3);
    s_seen_clear (&seen);
    seen.stop_at = 1;
    seen.stop_rc = XC_ENOMEM;
    assert_int_equal (s_each (f->store, &seen), XC_ENOMEM);
    assert_int_equal (seen.n, 1);
    s_seen_clear (&seen);
    for (int i = 0; i < N; i++)
        xc_outbox_item_free (&items[i]);
}

/*  Puts and a delete in one transaction, then a restart: what committed
    is all there, the deleted item is not. */
static void
test_reopen (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t items[4];
    for (int i = 0; i < 4; i++)
        s_item (&items[i], 30 + i, 64 + i);
    items[2].state = XC_OUTBOX_REJECTED;
    s_put_t p = {.store = f->store, .items = items, .n = 4,
                 .del_id = items[1].id};
    assert_int_equal (xc_store_write (f->store, s_put_fn, &p), 0);
    assert_int_equal (p.del_rc, 0);
    xc_store_destroy (&f->store);
    f->store = s_open (f->dir, 0);
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, 3);
    for (int i = 0; i < 4; i++) {
        xc_outbox_item_t got;
        int rc = s_get (f->store, items[i].id, &got);
        if (i == 1)
            assert_int_equal (rc, XC_ENOTFOUND);
        else {
            assert_int_equal (rc, 0);
            s_assert_item_equal (&got, &items[i]);
            xc_outbox_item_free (&got);
        }
        xc_outbox_item_free (&items[i]);
    }
    s_seen_clear (&seen);
}

/*  Envelopes of megabytes, one in a store whose 1 MiB map must grow:
    xc_outbox_put's XC_EFULL lets xc_store_write grow and retry. */
static void
test_large (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t big, got;
    s_item (&big, 40, 2 * MIB + 3);
    s_put (f->store, &big, 1);
    assert_int_equal (s_get (f->store, big.id, &got), 0);
    s_assert_item_equal (&got, &big);
    xc_outbox_item_free (&got);

    char dir[64], path[PATH_MAX];
    snprintf (dir, sizeof dir, "/tmp/xc-outbox-XXXXXX");
    assert_non_null (mkdtemp (dir));
    xc_store_t *small = s_open (dir, 1 * MIB);
    s_put_t p = {.store = small, .items = &big, .n = 1};
    assert_int_equal (xc_store_write (small, s_put_fn, &p), 0);
    assert_true (p.calls > 1);
    assert_true (xc_store_map_size (small) > 2 * MIB);
    assert_int_equal (s_get (small, big.id, &got), 0);
    s_assert_item_equal (&got, &big);
    xc_outbox_item_free (&got);
    xc_store_destroy (&small);
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    assert_int_equal (rmdir (dir), 0);
    xc_outbox_item_free (&big);
}

/*  An empty envelope is stored and read back as empty (got.env is still
    a buffer of its own, so clearing it is always right), also from an
    item whose envelope was cleared (env NULL, env_len 0). */
static void
test_empty_envelope (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t it, got;
    s_item (&it, 50, 0);
    s_put (f->store, &it, 1);
    assert_int_equal (s_get (f->store, it.id, &got), 0);
    s_assert_item_equal (&got, &it);
    assert_non_null (got.env);
    xc_outbox_item_free (&got);
    size_t len;
    free (s_raw_get (f->store, it.id, &len));
    assert_int_equal (len, FIXED + strlen (it.note));

    xc_outbox_item_free (&it);
    assert_null (it.env);
    it.id[0] ^= 0xff;
    s_put (f->store, &it, 1);
    assert_int_equal (s_get (f->store, it.id, &got), 0);
    s_assert_item_equal (&got, &it);
    xc_outbox_item_free (&got);
}

/*  A value header for env_len, format 1. */
static void
s_header (uint8_t *v, uint32_t env_len)
{
    memset (v, 0, FIXED);
    v[0] = 1;
    v[1] = 1;
    memcpy (v + 4, "341002", 6);
    v[20] = (uint8_t) (env_len >> 24);
    v[21] = (uint8_t) (env_len >> 16);
    v[22] = (uint8_t) (env_len >> 8);
    v[23] = (uint8_t) env_len;
}

/*  Values that are not an outbox item are reported as XC_EMALFORMED, and
    leave nothing to free; the smallest valid value and an over-long note
    are read safely. */
static void
test_malformed (void **state)
{
    fixture_t *f = *state;
    uint8_t id[16] = {0x10}, v[FIXED + 400];
    xc_outbox_item_t got;

    //  Shorter than the fixed part.
    s_header (v, 0);
    s_raw_put (f->store, id, 16, v, FIXED - 1);
    memset (&got, 0xee, sizeof got);
    assert_int_equal (s_get (f->store, id, &got), XC_EMALFORMED);
    xc_outbox_item_free (&got);
    //  An unknown format.
    v[0] = 2;
    s_raw_put (f->store, id, 16, v, FIXED + 4);
    assert_int_equal (s_get (f->store, id, &got), XC_EMALFORMED);
    xc_outbox_item_free (&got);
    //  An envelope longer than the value: by one byte, and by far.
    s_header (v, 5);
    s_raw_put (f->store, id, 16, v, FIXED + 4);
    assert_int_equal (s_get (f->store, id, &got), XC_EMALFORMED);
    xc_outbox_item_free (&got);
    s_header (v, 0xffffffffu);
    s_raw_put (f->store, id, 16, v, FIXED + 4);
    assert_int_equal (s_get (f->store, id, &got), XC_EMALFORMED);
    xc_outbox_item_free (&got);

    //  The fixed part alone is an item with no envelope and no note.
    s_header (v, 0);
    s_raw_put (f->store, id, 16, v, FIXED);
    assert_int_equal (s_get (f->store, id, &got), 0);
    assert_int_equal (got.env_len, 0);
    assert_string_equal (got.note, "");
    assert_string_equal (got.home, "341002");
    xc_outbox_item_free (&got);
    //  A stored note longer than the item's buffer is cut, terminated.
    s_header (v, 4);
    memset (v + FIXED, 'e', 4);
    memset (v + FIXED + 4, 'n', 396);
    s_raw_put (f->store, id, 16, v, FIXED + 400);
    assert_int_equal (s_get (f->store, id, &got), 0);
    assert_int_equal (got.env_len, 4);
    assert_memory_equal (got.env, "eeee", 4);
    assert_int_equal (strlen (got.note), sizeof got.note - 1);
    xc_outbox_item_free (&got);
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, 1);
    assert_int_equal (strlen (seen.items[0].note), sizeof got.note - 1);
    s_seen_clear (&seen);
}

/*  Each does not pass a bad value off as an item: a key that is not a
    16-byte id, or a bad value after a good item, ends the walk with
    XC_EMALFORMED (the good item before it was seen). */
static void
test_each_malformed (void **state)
{
    fixture_t *f = *state;
    xc_outbox_item_t good;
    s_item (&good, 60, 8);
    good.id[0] = 0x01;                        /* first in id order */
    s_put (f->store, &good, 1);
    uint8_t v[FIXED];
    s_header (v, 0);
    uint8_t bad_key[15] = {0x02};
    s_raw_put (f->store, bad_key, sizeof bad_key, v, FIXED);
    s_seen_t seen = {0};
    assert_int_equal (s_each (f->store, &seen), XC_EMALFORMED);
    assert_int_equal (seen.n, 1);
    s_assert_item_equal (&seen.items[0], &good);
    s_seen_clear (&seen);

    //  The short key gone, a 16-byte id whose value has a bad format.
    s_raw_t gone = {f->store, bad_key, sizeof bad_key, NULL, 0};
    assert_int_equal (xc_store_write (f->store, s_raw_del_fn, &gone), 0);
    uint8_t bad_id[16] = {0x02};
    v[0] = 9;
    s_raw_put (f->store, bad_id, 16, v, FIXED);
    assert_int_equal (s_each (f->store, &seen), XC_EMALFORMED);
    assert_int_equal (seen.n, 1);
    s_assert_item_equal (&seen.items[0], &good);
    s_seen_clear (&seen);
    //  The module can still remove the bad value, and then all is well.
    assert_int_equal (s_del (f->store, bad_id), 0);
    assert_int_equal (s_each (f->store, &seen), 0);
    assert_int_equal (seen.n, 1);
    s_seen_clear (&seen);
    xc_outbox_item_free (&good);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_put_get, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_layout, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_not_found, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_replace, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_states, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_note, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_each_order, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_reopen, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_large, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_empty_envelope, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_malformed, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_each_malformed, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
