/*  test_audit.c - the hash-linked audit log: append and read back, the
    chain and its head, atomicity with the state change it records, and
    detection of changed, deleted and reordered entries and a forged head;
    the bounded tail a start checks, from the last checkpoint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>

#include "store/audit.h"
#include "store/seen.h"
#include "store/store.h"

#define N_ENTRIES 20

typedef struct {
    char dir[64];       /* fresh mkdtemp directory */
    xc_store_t *store;  /* store opened in dir */
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    strcpy (f->dir, "/tmp/xc-audit-XXXXXX");
    assert_non_null (mkdtemp (f->dir));
    char why[256] = "";
    f->store = xc_store_new (f->dir, 0, why, sizeof why);
    if (!f->store)
        fail_msg ("xc_store_new: %s", why);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xc_store_destroy (&f->store);
    char path[128];
    snprintf (path, sizeof path, "%s/data.mdb", f->dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", f->dir);
    unlink (path);
    assert_int_equal (rmdir (f->dir), 0);
    free (f);
    return 0;
}

//  The fields of entry i (1-based) of the test log.
static int
s_kind (uint64_t i)
{
    return (int) (i % 8) + 1;
}

static uint64_t
s_time (uint64_t i)
{
    return 1700000000000ULL + i * 1000 + 7;
}

static void
s_note (uint64_t i, char *note, size_t len)
{
    if (i % 5 == 0)
        note[0] = '\0';  //  appended with note NULL
    else
        snprintf (note, len, "note %llu: 已核查", (unsigned long long) i);
}

static size_t
s_data (uint64_t i, uint8_t *data)
{
    size_t len = (i % 4) * 100; //  0, 100, 200, 300 bytes
    for (size_t j = 0; j < len; j++)
        data[j] = (uint8_t) (i * 31 + j);
    return len;
}

static const char *
s_peer (uint64_t i)
{
    return i % 3 == 0 ? NULL : (i % 3 == 1 ? "469025" : "4600");
}

typedef struct {
    xc_store_t *store;
    uint64_t first;     /* index of the first entry to append */
    uint64_t n;         /* how many */
    int fail;           /* returned after appending: 0 commits */
    uint64_t last_seq;  /* seq of the last append */
} append_work_t;

static int
s_append_fn (MDB_txn *txn, void *arg)
{
    append_work_t *w = arg;
    for (uint64_t i = w->first; i < w->first + w->n; i++) {
        char note[64];
        uint8_t data[300];
        s_note (i, note, sizeof note);
        size_t len = s_data (i, data);
        int rc = xc_audit_append (w->store, txn, s_kind (i), s_peer (i),
                                  s_time (i), *note ? note : NULL,
                                  len ? data : NULL, len, &w->last_seq);
        if (rc != 0)
            return rc;
        assert_int_equal (w->last_seq, i);
    }
    return w->fail;
}

static void
s_fill (fixture_t *f)
{
    append_work_t w = { f->store, 1, N_ENTRIES, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_append_fn, &w), 0);
    assert_int_equal (w.last_seq, N_ENTRIES);
}

//  Runs xc_audit_check; returns its code and fills bad and why.
static int
s_check (fixture_t *f, uint64_t *bad, char *why, size_t why_len)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    why[0] = '\0';
    int rc = xc_audit_check (f->store, txn, bad, why, why_len);
    mdb_txn_abort (txn);
    return rc;
}

static void
s_assert_bad (fixture_t *f, uint64_t want_seq, const char *want_why)
{
    uint64_t bad = 0;
    char why[256];
    assert_int_equal (s_check (f, &bad, why, sizeof why), XC_EMALFORMED);
    assert_string_equal (why, want_why);
    assert_int_equal (bad, want_seq);
}

static void
s_assert_good (fixture_t *f)
{
    uint64_t bad = 99;
    char why[256];
    int rc = s_check (f, &bad, why, sizeof why);
    if (rc != 0)
        fail_msg ("check: %d %s", rc, why);
    assert_int_equal (bad, 0);
}

static void
s_head (fixture_t *f, uint64_t *count, uint8_t hash[32])
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_head (f->store, txn, count, hash), 0);
    mdb_txn_abort (txn);
}

static void
test_empty (void **state)
{
    fixture_t *f = *state;
    uint64_t count = 99;
    uint8_t hash[32], zero[32] = { 0 };
    s_head (f, &count, hash);
    assert_int_equal (count, 0);
    assert_memory_equal (hash, zero, 32);
    s_assert_good (f);

    MDB_txn *txn;
    xc_audit_entry_t e;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, 1, &e), XC_ENOTFOUND);
    mdb_txn_abort (txn);
}

static void
test_append_and_get (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    //  A second transaction continues the same chain.
    append_work_t w = { f->store, N_ENTRIES + 1, 3, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_append_fn, &w), 0);
    uint64_t total = N_ENTRIES + 3;
    s_assert_good (f);

    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    uint8_t prev[32] = { 0 };
    for (uint64_t i = 1; i <= total; i++) {
        xc_audit_entry_t e;
        assert_int_equal (xc_audit_get (f->store, txn, i, &e), 0);
        char note[64];
        uint8_t data[300];
        s_note (i, note, sizeof note);
        size_t len = s_data (i, data);
        assert_int_equal (e.seq, i);
        assert_int_equal (e.kind, s_kind (i));
        assert_true (e.time_ms == s_time (i));
        assert_string_equal (e.peer, s_peer (i) ? s_peer (i) : "");
        assert_int_equal (e.note_len, strlen (note));
        assert_memory_equal (e.note, note, e.note_len);
        assert_int_equal (e.data_len, len);
        if (len)
            assert_memory_equal (e.data, data, len);
        assert_memory_equal (e.prev_hash, prev, 32);

        //  The hash is SHA-256 of the stored bytes, laid out as audit.h
        //  says.
        uint8_t key[8] = { 0 };
        key[7] = (uint8_t) i;
        MDB_val k = { 8, key }, v;
        assert_int_equal (
            mdb_get (txn, xc_store_dbi (f->store, XC_DB_AUDIT), &k, &v), 0);
        const uint8_t *raw = v.mv_data;
        assert_int_equal (v.mv_size, XC_AUDIT_HEADER + e.note_len + len);
        assert_int_equal (raw[0], 1);
        assert_int_equal (raw[1], s_kind (i));
        assert_int_equal (xc_get_u16 (raw + 2), e.note_len);
        assert_int_equal (xc_get_u32 (raw + 4), len);
        assert_memory_equal (raw + 16, prev, 32);
        uint8_t h[32];
        xc_sha256 (raw, v.mv_size, h);
        assert_memory_equal (e.hash, h, 32);
        memcpy (prev, e.hash, 32);
    }
    uint64_t count;
    uint8_t hash[32];
    assert_int_equal (xc_audit_head (f->store, txn, &count, hash), 0);
    assert_int_equal (count, total);
    assert_memory_equal (hash, prev, 32);
    mdb_txn_abort (txn);
}

static void
test_kind_names (void **state)
{
    (void) state;
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_START), "start");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_RECEIVED), "received");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_SENT), "sent");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_REFUSED), "refused");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_DECISION), "decision");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_IMPORT), "import");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_DUPLICATE),
                         "duplicate");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_STOP), "stop");
    assert_string_equal (xc_audit_kind_name (XC_AUDIT_SUMMARY), "summary");
    assert_string_equal (xc_audit_kind_name (0), "unknown");
    assert_string_equal (xc_audit_kind_name (99), "unknown");
}

typedef struct {
    xc_store_t *store;
    const uint8_t *bytes;
    size_t len, prefix_max;
} keep_work_t;

static int
s_keep_fn (MDB_txn *txn, void *arg)
{
    keep_work_t *w = arg;
    int rc = xc_audit_keep (w->store, txn, XC_AUDIT_DUPLICATE, "469025",
                            s_time (1), "kept", w->bytes, w->len,
                            w->prefix_max, 4, 5);
    if (rc == 0)
        rc = xc_audit_summary (w->store, txn, NULL, s_time (2), "summary",
                               12, 3, s_time (0));
    return rc;
}

/*  A kept record holds length, digest, tags and at most prefix_max bytes
    (all of a shorter message); anything else (an older store's whole
    envelope, or a short one) is not taken for one.  A summary's counts
    read back; other kinds have none. */
static void
test_kept_and_summary (void **state)
{
    fixture_t *f = *state;
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t) i;
    keep_work_t w = {f->store, msg, sizeof msg, 100};
    assert_int_equal (xc_store_write (f->store, s_keep_fn, &w), 0);
    w.prefix_max = 1000;
    assert_int_equal (xc_store_write (f->store, s_keep_fn, &w), 0);
    MDB_txn *txn;
    xc_audit_entry_t e;
    xc_audit_kept_t k;
    uint8_t digest[32];
    xc_sha256 (msg, sizeof msg, digest);
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, 1, &e), 0);
    assert_int_equal (xc_audit_kept (e.data, e.data_len, &k), 0);
    assert_int_equal (k.len, sizeof msg);
    assert_memory_equal (k.digest, digest, 32);
    assert_int_equal (k.relation, 4);
    assert_int_equal (k.program, 5);
    assert_int_equal (k.prefix_len, 100);
    assert_memory_equal (k.prefix, msg, 100);
    uint64_t refused, duplicates;
    assert_int_equal (xc_audit_summary_counts (&e, &refused, &duplicates),
                      XC_EMALFORMED);
    assert_int_equal (xc_audit_get (f->store, txn, 2, &e), 0);
    assert_int_equal (e.kind, XC_AUDIT_SUMMARY);
    assert_int_equal (e.peer[0], '\0');
    assert_int_equal (xc_audit_summary_counts (&e, &refused, &duplicates), 0);
    assert_int_equal (refused, 12);
    assert_int_equal (duplicates, 3);
    assert_int_equal (xc_audit_get (f->store, txn, 3, &e), 0);
    assert_int_equal (xc_audit_kept (e.data, e.data_len, &k), 0);
    assert_int_equal (k.prefix_len, sizeof msg);
    uint64_t bad = 0;
    char why[128];
    assert_int_equal (xc_audit_check (f->store, txn, &bad, why, sizeof why),
                      0);
    mdb_txn_abort (txn);
    assert_int_equal (xc_audit_kept (msg, sizeof msg, &k), XC_EMALFORMED);
    assert_int_equal (xc_audit_kept ((const uint8_t *) "XCKEPT1", 8, &k),
                      XC_EMALFORMED);
}

//  Appends one entry and records a seen id, then returns fail.
typedef struct {
    xc_store_t *store;
    int fail;
} state_work_t;

static int
s_state_fn (MDB_txn *txn, void *arg)
{
    state_work_t *w = arg;
    static const uint8_t id[16] = { 1, 2, 3 };
    static const uint8_t digest[32] = { 9 };
    int rc = xc_seen_put (w->store, txn, "469025", id, digest,
                          (const uint8_t *) "answer", 6);
    if (rc == 0)
        rc = xc_audit_append (w->store, txn, XC_AUDIT_DUPLICATE, "469025",
                              s_time (99), "answered", NULL, 0, NULL);
    return rc ? rc : w->fail;
}

static void
test_atomic_with_state (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    uint64_t count0, count;
    uint8_t hash0[32], hash[32];
    s_head (f, &count0, hash0);

    state_work_t w = { f->store, XC_EREPLAY };
    assert_int_equal (xc_store_write (f->store, s_state_fn, &w), XC_EREPLAY);
    s_head (f, &count, hash);
    assert_int_equal (count, count0);
    assert_memory_equal (hash, hash0, 32);
    s_assert_good (f);
    MDB_txn *txn;
    static const uint8_t id[16] = { 1, 2, 3 };
    uint8_t digest[32], *answer = NULL;
    size_t len = 0;
    xc_audit_entry_t e;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, count0 + 1, &e),
                      XC_ENOTFOUND);
    assert_int_equal (
        xc_seen_get (f->store, txn, "469025", id, digest, &answer, &len),
        XC_ENOTFOUND);
    mdb_txn_abort (txn);

    //  The same work committed: both the entry and the state are there.
    w.fail = 0;
    assert_int_equal (xc_store_write (f->store, s_state_fn, &w), 0);
    s_head (f, &count, hash);
    assert_int_equal (count, count0 + 1);
    s_assert_good (f);
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, count0 + 1, &e), 0);
    assert_int_equal (e.kind, XC_AUDIT_DUPLICATE);
    assert_memory_equal (e.prev_hash, hash0, 32);
    assert_int_equal (
        xc_seen_get (f->store, txn, "469025", id, digest, &answer, &len), 0);
    mdb_txn_abort (txn);
    assert_int_equal (len, 6);
    free (answer);
}

//  Tampering, done the way an attacker with the file would: raw puts and
//  deletes in the store's own environment.
typedef enum { FLIP, DELETE, SET_HEAD, PUT_RAW } tamper_op_t;

typedef struct {
    xc_store_t *store;
    tamper_op_t op;
    uint64_t seq;      /* entry to change or delete */
    size_t offset;     /* FLIP: byte to flip */
    uint64_t count;    /* SET_HEAD: count to store */
    uint8_t hash[32];  /* SET_HEAD: hash to store */
    const void *raw;   /* PUT_RAW: bytes to store under seq */
    size_t raw_len;
} tamper_t;

static int
s_tamper_fn (MDB_txn *txn, void *arg)
{
    tamper_t *t = arg;
    MDB_dbi audit = xc_store_dbi (t->store, XC_DB_AUDIT);
    uint8_t kbuf[8];
    xc_put_u64 (kbuf, t->seq);
    MDB_val key = { 8, kbuf }, val;
    if (t->op == DELETE)
        return xc_store_rc (mdb_del (txn, audit, &key, NULL));
    if (t->op == PUT_RAW) {
        val.mv_size = t->raw_len;
        val.mv_data = (void *) t->raw;
        return xc_store_rc (mdb_put (txn, audit, &key, &val, 0));
    }
    if (t->op == SET_HEAD) {
        uint8_t head[40];
        xc_put_u64 (head, t->count);
        memcpy (head + 8, t->hash, 32);
        MDB_val hk = { 10, "audit.head" }, hv = { 40, head };
        return xc_store_rc (
            mdb_put (txn, xc_store_dbi (t->store, XC_DB_META), &hk, &hv, 0));
    }
    int rc = mdb_get (txn, audit, &key, &val);
    if (rc != 0)
        return xc_store_rc (rc);
    //  Copy before writing: val points into the map.
    uint8_t *copy = malloc (val.mv_size);
    assert_non_null (copy);
    memcpy (copy, val.mv_data, val.mv_size);
    copy[t->offset] ^= 0x01;
    val.mv_data = copy;
    rc = mdb_put (txn, audit, &key, &val, 0);
    free (copy);
    return xc_store_rc (rc);
}

static void
s_tamper (fixture_t *f, tamper_t *t)
{
    t->store = f->store;
    assert_int_equal (xc_store_write (f->store, s_tamper_fn, t), 0);
}

static void
test_flip_byte (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    s_assert_good (f);
    //  A byte of entry 7's note: its hash changes, so the link 7 -> 8
    //  breaks.
    tamper_t t = { .op = FLIP, .seq = 7, .offset = XC_AUDIT_HEADER + 2 };
    s_tamper (f, &t);
    s_assert_bad (f, 8, "entry 8: prev_hash does not match hash of entry 7");
    //  Flip it back: whole again.
    s_tamper (f, &t);
    s_assert_good (f);
    //  The time of the last entry: only the head can catch it.
    t = (tamper_t) { .op = FLIP, .seq = N_ENTRIES, .offset = 15 };
    s_tamper (f, &t);
    s_assert_bad (f, N_ENTRIES, "head hash does not match hash of entry 20");
    s_tamper (f, &t);
    //  The prev_hash of entry 12 itself.
    t = (tamper_t) { .op = FLIP, .seq = 12, .offset = 16 + 31 };
    s_tamper (f, &t);
    s_assert_bad (f, 12, "entry 12: prev_hash does not match hash of entry 11");
    s_tamper (f, &t);
    //  Entry 1 must start from zeros.
    t = (tamper_t) { .op = FLIP, .seq = 1, .offset = 16 };
    s_tamper (f, &t);
    s_assert_bad (f, 1, "entry 1: prev_hash is not zero");
    s_tamper (f, &t);
    //  The format byte of entry 5: it no longer parses.
    t = (tamper_t) { .op = FLIP, .seq = 5, .offset = 0 };
    s_tamper (f, &t);
    s_assert_bad (f, 5, "entry 5: malformed");
    s_tamper (f, &t);
    //  The data length of entry 3: lengths disagree with the size.
    t = (tamper_t) { .op = FLIP, .seq = 3, .offset = 7 };
    s_tamper (f, &t);
    s_assert_bad (f, 3, "entry 3: malformed");
    MDB_txn *txn;
    xc_audit_entry_t e;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_get (f->store, txn, 3, &e), XC_EMALFORMED);
    mdb_txn_abort (txn);
    s_tamper (f, &t);
    s_assert_good (f);
}

static void
test_delete (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    tamper_t t = { .op = DELETE, .seq = 5 };
    s_tamper (f, &t);
    s_assert_bad (f, 5, "entry 5 missing");
}

static void
test_delete_last (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    tamper_t t = { .op = DELETE, .seq = N_ENTRIES };
    s_tamper (f, &t);
    s_assert_bad (f, N_ENTRIES, "head says 20 entries, log has 19");
}

static void
test_reorder (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    //  Swap entries 9 and 10.
    MDB_txn *txn;
    uint8_t k[8];
    MDB_val key = { 8, k }, v;
    uint8_t e9[512], e10[512];
    size_t l9, l10;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    xc_put_u64 (k, 9);
    assert_int_equal (
        mdb_get (txn, xc_store_dbi (f->store, XC_DB_AUDIT), &key, &v), 0);
    memcpy (e9, v.mv_data, l9 = v.mv_size);
    xc_put_u64 (k, 10);
    assert_int_equal (
        mdb_get (txn, xc_store_dbi (f->store, XC_DB_AUDIT), &key, &v), 0);
    memcpy (e10, v.mv_data, l10 = v.mv_size);
    mdb_txn_abort (txn);
    tamper_t t = { .op = PUT_RAW, .seq = 9, .raw = e10, .raw_len = l10 };
    s_tamper (f, &t);
    t = (tamper_t) { .op = PUT_RAW, .seq = 10, .raw = e9, .raw_len = l9 };
    s_tamper (f, &t);
    s_assert_bad (f, 9, "entry 9: prev_hash does not match hash of entry 8");
}

static void
test_forged_head (void **state)
{
    fixture_t *f = *state;
    s_fill (f);
    uint64_t count;
    uint8_t hash[32];
    s_head (f, &count, hash);

    //  A head claiming more than the log holds.
    tamper_t t = { .op = SET_HEAD, .count = count + 1 };
    memcpy (t.hash, hash, 32);
    s_tamper (f, &t);
    s_assert_bad (f, N_ENTRIES + 1, "head says 21 entries, log has 20");

    //  A head hiding the last entry: it is also never overwritten.
    t.count = count - 1;
    s_tamper (f, &t);
    s_assert_bad (f, N_ENTRIES, "head says 19 entries, log has 20");
    append_work_t w = { f->store, N_ENTRIES, 1, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_append_fn, &w), XC_ESTORE);

    //  The right count with another hash.
    t.count = count;
    t.hash[0] ^= 0x80;
    s_tamper (f, &t);
    s_assert_bad (f, N_ENTRIES, "head hash does not match hash of entry 20");

    t.hash[0] ^= 0x80;
    s_tamper (f, &t);
    s_assert_good (f);
}

static void
test_too_big (void **state)
{
    fixture_t *f = *state;
    char *big = malloc (65537);
    assert_non_null (big);
    memset (big, 'x', 65536);
    big[65536] = '\0';
    MDB_txn *txn = NULL;
    //  Checked before touching the database, so a read txn is enough to
    //  show nothing was written.
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    assert_int_equal (xc_audit_append (f->store, txn, XC_AUDIT_DECISION,
                                       NULL, 1, big, NULL, 0, NULL),
                      XC_ETOOBIG);
    mdb_txn_abort (txn);
    free (big);
}

/*  The root from the stored compact range, checked against the
    recursive root over the entry hashes read back one by one. */
static void
s_assert_root (fixture_t *f, uint64_t want_n)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    uint8_t (*leaves)[32] = calloc (want_n + 1, 32);
    assert_non_null (leaves);
    for (uint64_t i = 1; i <= want_n; i++) {
        xc_audit_entry_t e;
        assert_int_equal (xc_audit_get (f->store, txn, i, &e), 0);
        memcpy (leaves[i - 1], e.hash, 32);
    }
    uint64_t n = 0;
    uint8_t got[32], want[32];
    assert_int_equal (xc_audit_root (f->store, txn, &n, got), 0);
    mdb_txn_abort (txn);
    assert_int_equal (n, want_n);
    xc_merkle_root ((const uint8_t (*)[32]) leaves, want_n, want);
    free (leaves);
    assert_memory_equal (got, want, 32);
}

typedef struct {
    xc_store_t *store;
    const void *value;      /* NULL: delete the range */
    size_t len;
} frontier_work_t;

static int
s_frontier_fn (MDB_txn *txn, void *arg)
{
    frontier_work_t *w = arg;
    MDB_val key = { 14, (void *) "audit.frontier" };
    MDB_val val = { w->len, (void *) w->value };
    MDB_dbi meta = xc_store_dbi (w->store, XC_DB_META);
    return w->value ? mdb_put (txn, meta, &key, &val, 0)
                    : mdb_del (txn, meta, &key, NULL);
}

/*  The range follows every append across batches; a store without one
    (written before it existed) or with one that disagrees with the head
    gets it rebuilt from the log, and appends go on from there. */
static void
test_root (void **state)
{
    fixture_t *f = *state;
    s_assert_root (f, 0);
    uint64_t next = 1;
    for (uint64_t batch = 1; batch <= 9; batch++) {
        append_work_t w = { f->store, next, batch * 3, 0, 0 };
        assert_int_equal (xc_store_write (f->store, s_append_fn, &w), 0);
        next += batch * 3;
        s_assert_root (f, next - 1);
    }
    frontier_work_t gone = { f->store, NULL, 0 };
    assert_int_equal (xc_store_write (f->store, s_frontier_fn, &gone), 0);
    s_assert_root (f, next - 1);
    uint8_t stale[8 + 32] = { 0, 0, 0, 0, 0, 0, 0, 1 };
    frontier_work_t bad = { f->store, stale, sizeof stale };
    assert_int_equal (xc_store_write (f->store, s_frontier_fn, &bad), 0);
    s_assert_root (f, next - 1);
    append_work_t w = { f->store, next, 5, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_append_fn, &w), 0);
    s_assert_root (f, next + 4);
    s_assert_good (f);
}

/* --------------------------------------------------------------------------
   The tail a start checks (xc_audit_check_tail)
   -------------------------------------------------------------------------- */

typedef struct {
    xc_store_t *store;
    xc_key_t *key;
    uint64_t seq;              /* the checkpoint entry appended */
} seal_work_t;

/*  Write fn: a checkpoint over the whole log, as the daemon signs it. */
static int
s_seal_fn (MDB_txn *txn, void *arg)
{
    seal_work_t *w = arg;
    xc_checkpoint_t cp = {.time_ms = s_time (0)};
    int rc = xc_audit_root (w->store, txn, &cp.tree_size, cp.root);
    assert_int_equal (rc, 0);
    snprintf (cp.node, sizeof cp.node, "469025");
    snprintf (cp.key_id, sizeof cp.key_id, "0123456789abcdef");
    uint8_t data[XC_CHECKPOINT_LEN];
    assert_int_equal (xc_checkpoint_sign (&cp, w->key, data), 0);
    return xc_audit_append (w->store, txn, XC_AUDIT_CHECKPOINT, NULL,
                            s_time (0), NULL, data, sizeof data, &w->seq);
}

static uint64_t
s_seal (fixture_t *f, xc_key_t *key)
{
    seal_work_t w = {f->store, key, 0};
    assert_int_equal (xc_store_write (f->store, s_seal_fn, &w), 0);
    return w.seq;
}

static void
s_append (fixture_t *f, uint64_t first, uint64_t n)
{
    append_work_t w = { f->store, first, n, 0, 0 };
    assert_int_equal (xc_store_write (f->store, s_append_fn, &w), 0);
}

static int
s_tail (fixture_t *f, xc_audit_tail_t *t, uint64_t *bad, char *why,
        size_t why_len)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->store, &txn), 0);
    why[0] = '\0';
    int rc = xc_audit_check_tail (f->store, txn, 64, t, bad, why, why_len);
    mdb_txn_abort (txn);
    return rc;
}

static void
s_tail_good (fixture_t *f, uint64_t from, uint64_t to, uint64_t sealed)
{
    xc_audit_tail_t t;
    uint64_t bad = 99;
    char why[256];
    int rc = s_tail (f, &t, &bad, why, sizeof why);
    if (rc)
        fail_msg ("tail: %s", why);
    assert_int_equal (t.from, from);
    assert_int_equal (t.to, to);
    assert_int_equal (t.sealed, sealed);
}

static void
s_tail_bad (fixture_t *f, uint64_t want_seq, const char *want_why)
{
    xc_audit_tail_t t;
    uint64_t bad = 0;
    char why[256];
    assert_int_equal (s_tail (f, &t, &bad, why, sizeof why), XC_EMALFORMED);
    if (!strstr (why, want_why))
        fail_msg ("'%s' does not say '%s'", why, want_why);
    assert_int_equal (bad, want_seq);
}

typedef struct {
    xc_store_t *store;
    const char *name;
    size_t offset;             /* byte of meta[name] to flip */
} meta_flip_t;

static int
s_meta_flip_fn (MDB_txn *txn, void *arg)
{
    meta_flip_t *m = arg;
    MDB_val val;
    assert_int_equal (xc_store_meta_get (m->store, txn, m->name, 0, &val), 0);
    uint8_t copy[8 + XC_MERKLE_FRONTIER_MAX];
    assert_true (val.mv_size <= sizeof copy && m->offset < val.mv_size);
    memcpy (copy, val.mv_data, val.mv_size);
    copy[m->offset] ^= 0x01;
    return xc_store_meta_put (m->store, txn, m->name, copy, val.mv_size);
}

static void
s_meta_flip (fixture_t *f, const char *name, size_t offset)
{
    meta_flip_t m = {f->store, name, offset};
    assert_int_equal (xc_store_write (f->store, s_meta_flip_fn, &m), 0);
}

typedef struct {
    xc_store_t *store;
    uint64_t seq;
} forge_work_t;

/*  Write fn: a sealed record naming entry seq, with the true range of
    the entries before it. */
static int
s_forge_sealed_fn (MDB_txn *txn, void *arg)
{
    forge_work_t *w = arg;
    xc_merkle_frontier_t fr;
    xc_merkle_frontier_init (&fr);
    for (uint64_t i = 1; i < w->seq; i++) {
        xc_audit_entry_t e;
        assert_int_equal (xc_audit_get (w->store, txn, i, &e), 0);
        xc_merkle_frontier_append (&fr, e.hash);
    }
    uint8_t buf[8 + XC_MERKLE_FRONTIER_MAX];
    xc_put_u64 (buf, w->seq);
    size_t len = 8 + xc_merkle_frontier_encode (&fr, buf + 8);
    return xc_store_meta_put (w->store, txn, "audit.sealed", buf, len);
}

static void
s_forge_sealed (fixture_t *f, uint64_t seq)
{
    forge_work_t w = {f->store, seq};
    assert_int_equal (xc_store_write (f->store, s_forge_sealed_fn, &w), 0);
}

/*  Without a checkpoint the whole log; with one, from it (and over at
    least the last 64 entries): what lies before is not read, so only
    xc_audit_check sees a change there.  The checkpoint's root must be
    the one recorded beside it, and the entries after it must lead to
    the stored range and head. */
static void
test_tail (void **state)
{
    fixture_t *f = *state;
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    s_fill (f);
    s_tail_good (f, 1, N_ENTRIES, 0);
    assert_int_equal (s_seal (f, key), 21);
    s_append (f, 22, 200);
    assert_int_equal (s_seal (f, key), 222);
    s_append (f, 223, 3);
    //  225 entries, the last checkpoint at 222: the last 64 are 162..225.
    s_tail_good (f, 162, 225, 222);
    //  After a checkpoint far back, from that checkpoint.
    s_append (f, 226, 100);
    s_tail_good (f, 222, 325, 222);

    //  A changed entry before the tail: the start does not see it.
    tamper_t t = { .op = FLIP, .seq = 101, .offset = XC_AUDIT_HEADER + 2 };
    s_tamper (f, &t);
    s_tail_good (f, 222, 325, 222);
    s_assert_bad (f, 102, "entry 102: prev_hash does not match hash of "
                          "entry 101");
    s_tamper (f, &t);
    //  In it: the start does.
    t = (tamper_t) { .op = FLIP, .seq = 301, .offset = XC_AUDIT_HEADER + 2 };
    s_tamper (f, &t);
    s_tail_bad (f, 302, "entry 302: prev_hash does not match hash of entry "
                        "301");
    s_tamper (f, &t);
    //  The entry before the tail is read for its hash only, and the link
    //  from it checked.
    t = (tamper_t) { .op = FLIP, .seq = 221, .offset = XC_AUDIT_HEADER + 2 };
    s_tamper (f, &t);
    s_tail_bad (f, 222, "entry 222: prev_hash does not match hash of entry "
                        "221");
    s_tamper (f, &t);
    s_tail_good (f, 222, 325, 222);

    //  The recorded range of the checkpoint, a byte of its first root.
    s_meta_flip (f, "audit.sealed", 16);
    s_tail_bad (f, 222, "entry 222: checkpoint root does not match the "
                        "entries before it");
    s_meta_flip (f, "audit.sealed", 16);
    //  Its sequence alone: it no longer fits the range.
    s_meta_flip (f, "audit.sealed", 7);
    s_tail_bad (f, 0, "audit.sealed is malformed");
    s_meta_flip (f, "audit.sealed", 7);
    //  Sequence and range of another entry, which is no checkpoint.
    s_forge_sealed (f, 223);
    s_tail_bad (f, 223, "audit.sealed names entry 223, which is not a "
                        "checkpoint");
    s_forge_sealed (f, 222);
    s_tail_good (f, 222, 325, 222);
    //  The range the next checkpoint would sign.
    s_meta_flip (f, "audit.frontier", 8 + 3);
    s_tail_bad (f, 325, "audit.frontier (the range the next checkpoint "
                        "signs) does not match entries 1..325");
    s_meta_flip (f, "audit.frontier", 8 + 3);
    //  A forged head.
    uint64_t count;
    uint8_t hash[32];
    s_head (f, &count, hash);
    t = (tamper_t) { .op = SET_HEAD, .count = count - 1 };
    memcpy (t.hash, hash, 32);
    s_tamper (f, &t);
    s_tail_bad (f, 325, "head says 324 entries, log has 325");
    xc_key_destroy (&key);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_empty, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_append_and_get, s_setup,
                                         s_teardown),
        cmocka_unit_test (test_kind_names),
        cmocka_unit_test_setup_teardown (test_kept_and_summary, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_atomic_with_state, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_flip_byte, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_delete, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_delete_last, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_reorder, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_forged_head, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_too_big, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_root, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_tail, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
