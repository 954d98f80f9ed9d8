/*  audit.c - the append-only, hash-linked audit log.

    Entry offsets (see xiecha/auditentry.h):  0 format, 1 kind, 2
    note_len, 4 data_len, 8 time_ms, 16 prev_hash, 48 peer, 54 actor_len
    (zero in format 1), 56 note, 56 + note_len data, then the actor.

    The head (u64 count, u8[32] hash of the last entry) lives in the meta
    database under "audit.head" and is rewritten in the same transaction
    as each append, so an append costs two B-tree writes and one SHA-256
    over the entry, and the log never disagrees with its head after a
    crash.

    "audit.sealed" holds the sequence of the last checkpoint entry and
    the compact range over the entries it covers (u64 seq, then the
    range as xc_merkle_frontier_encode writes it), rewritten with each
    checkpoint: a start can then check the last checkpoint's root and
    that the entries after it lead to the stored range, reading only the
    tail (xc_audit_check_tail).

    Beside it, "audit.frontier" holds the compact Merkle range over the
    entry hashes (xiecha/merkle.h), rewritten with every append, so a
    checkpoint's root costs O(log n) instead of a pass over the log.  A
    store written before the range existed (or any range whose size
    disagrees with the head) is rebuilt from the log once, on the next
    append or root. */
#include "store/audit.h"
#include "xiecha/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>

#define XC_AUDIT_HEAD_KEY "audit.head"
#define XC_AUDIT_HEAD_LEN 40 /* u64 count + hash */
#define XC_AUDIT_FRONTIER_KEY "audit.frontier"
#define XC_AUDIT_SEALED_KEY "audit.sealed"

/*  The actor of this thread's appends (audit.h xc_audit_actor_set):
    per thread, because only the reactor writes and a request's decision
    runs on it from start to end; the back office's thread never sets
    one. */
static _Thread_local char s_actor[XC_AUDIT_ACTOR_MAX + 1];

void
xc_audit_actor_set (const char *actor)
{
    snprintf (s_actor, sizeof s_actor, "%s", actor ? actor : "");
}

const char *
xc_audit_actor (void)
{
    return s_actor;
}

void
xc_audit_actor_township (char out[10])
{
    xc_actor_t a;
    out[0] = '\0';
    if (xc_actor_split (s_actor, strlen (s_actor), &a) == 0
        && strlen (a.township) == 9)
        memcpy (out, a.township, 10);
}

static MDB_val
s_head_key (void)
{
    MDB_val key = { sizeof XC_AUDIT_HEAD_KEY - 1, (void *) XC_AUDIT_HEAD_KEY };
    return key;
}

int
xc_audit_head (xc_store_t *store, MDB_txn *txn, uint64_t *count,
               uint8_t hash[32])
{
    MDB_val key = s_head_key (), val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_META), &key, &val);
    if (rc == MDB_NOTFOUND) {
        *count = 0;
        memset (hash, 0, 32);
        return 0;
    }
    if (rc != MDB_SUCCESS)
        return XC_ESTORE;
    if (val.mv_size != XC_AUDIT_HEAD_LEN)
        return XC_EMALFORMED;
    *count = xc_get_u64 (val.mv_data);
    memcpy (hash, (const uint8_t *) val.mv_data + 8, 32);
    return 0;
}

static int
s_write_head (xc_store_t *store, MDB_txn *txn, uint64_t count,
              const uint8_t hash[32])
{
    uint8_t buf[XC_AUDIT_HEAD_LEN];
    xc_put_u64 (buf, count);
    memcpy (buf + 8, hash, 32);
    MDB_val key = s_head_key (), val = { sizeof buf, buf };
    return xc_store_rc (
        mdb_put (txn, xc_store_dbi (store, XC_DB_META), &key, &val, 0));
}

static MDB_val
s_frontier_key (void)
{
    MDB_val key = { sizeof XC_AUDIT_FRONTIER_KEY - 1,
                     (void *) XC_AUDIT_FRONTIER_KEY };
    return key;
}

/*  Recomputes the range from the entries themselves: one pass, one
    SHA-256 per entry.  The log must hold exactly count entries. */
static int
s_frontier_rebuild (xc_store_t *store, MDB_txn *txn, uint64_t count,
                    xc_merkle_frontier_t *f)
{
    xc_merkle_frontier_init (f);
    MDB_cursor *cur = NULL;
    if (mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_AUDIT), &cur)
        != MDB_SUCCESS)
        return XC_ESTORE;
    MDB_val key, val;
    int mrc = mdb_cursor_get (cur, &key, &val, MDB_FIRST);
    for (; mrc == MDB_SUCCESS && f->size < count;
         mrc = mdb_cursor_get (cur, &key, &val, MDB_NEXT)) {
        uint8_t hash[32];
        xc_sha256 (val.mv_data, val.mv_size, hash);
        xc_merkle_frontier_append (f, hash);
    }
    mdb_cursor_close (cur);
    if (mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
        return XC_ESTORE;
    return f->size == count ? 0 : XC_ESTORE;
}

/*  The range over the first count entries: the stored one when it has
    that size, else rebuilt. */
static int
s_frontier_load (xc_store_t *store, MDB_txn *txn, uint64_t count,
                 xc_merkle_frontier_t *f)
{
    MDB_val key = s_frontier_key (), val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_META), &key, &val);
    if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND)
        return XC_ESTORE;
    if (rc == MDB_SUCCESS
        && xc_merkle_frontier_decode (f, val.mv_data, val.mv_size) == 0
        && f->size == count)
        return 0;
    return s_frontier_rebuild (store, txn, count, f);
}

static int
s_frontier_write (xc_store_t *store, MDB_txn *txn,
                  const xc_merkle_frontier_t *f)
{
    uint8_t buf[XC_MERKLE_FRONTIER_MAX];
    MDB_val key = s_frontier_key ();
    MDB_val val = { xc_merkle_frontier_encode (f, buf), buf };
    return xc_store_rc (
        mdb_put (txn, xc_store_dbi (store, XC_DB_META), &key, &val, 0));
}

/*  The last checkpoint: its sequence and the range it covers. */
static int
s_sealed_write (xc_store_t *store, MDB_txn *txn, uint64_t seq,
                const xc_merkle_frontier_t *covered)
{
    uint8_t buf[8 + XC_MERKLE_FRONTIER_MAX];
    xc_put_u64 (buf, seq);
    size_t len = 8 + xc_merkle_frontier_encode (covered, buf + 8);
    return xc_store_meta_put (store, txn, XC_AUDIT_SEALED_KEY, buf, len);
}

/*  Reads the sealed record: *seq 0 when there is none yet.  Returns 0,
    XC_EMALFORMED or XC_ESTORE. */
static int
s_sealed_read (xc_store_t *store, MDB_txn *txn, uint64_t *seq,
               xc_merkle_frontier_t *covered)
{
    MDB_val val;
    *seq = 0;
    int rc = xc_store_meta_get (store, txn, XC_AUDIT_SEALED_KEY, 0, &val);
    if (rc == XC_ENOTFOUND)
        return 0;
    if (rc != 0)
        return rc;
    if (val.mv_size < 8
        || xc_merkle_frontier_decode (covered, (uint8_t *) val.mv_data + 8,
                                      val.mv_size - 8) != 0)
        return XC_EMALFORMED;
    *seq = xc_get_u64 (val.mv_data);
    return *seq >= 1 && covered->size == *seq - 1 ? 0 : XC_EMALFORMED;
}

int
xc_audit_sealed (xc_store_t *store, MDB_txn *txn, uint64_t *seq)
{
    xc_merkle_frontier_t covered;
    return s_sealed_read (store, txn, seq, &covered);
}

int
xc_audit_root (xc_store_t *store, MDB_txn *txn, uint64_t *count,
               uint8_t root[32])
{
    uint8_t hash[32];
    int rc = xc_audit_head (store, txn, count, hash);
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    xc_merkle_frontier_t f;
    rc = s_frontier_load (store, txn, *count, &f);
    if (rc == 0)
        xc_merkle_frontier_root (&f, root);
    return rc;
}

/*  Fills the fixed header of an entry at p. */
static void
s_fill_header (uint8_t *p, uint8_t kind, size_t note_len, size_t data_len,
               size_t actor_len, uint64_t time_ms, const uint8_t prev[32],
               const char *peer)
{
    memset (p, 0, XC_AUDIT_HEADER);
    p[0] = actor_len ? XC_AUDIT_FORMAT_ACTOR : XC_AUDIT_FORMAT;
    p[1] = kind;
    xc_put_u16 (p + 54, (uint16_t) actor_len);
    xc_put_u16 (p + 2, (uint16_t) note_len);
    xc_put_u32 (p + 4, (uint32_t) data_len);
    xc_put_u64 (p + 8, time_ms);
    memcpy (p + 16, prev, 32);
    if (peer)
        memcpy (p + 48, peer, strnlen (peer, 6));
}

int
xc_audit_append (xc_store_t *store, MDB_txn *txn, xc_audit_kind_t kind,
                 const char *peer, uint64_t time_ms, const char *note,
                 const uint8_t *data, size_t data_len, uint64_t *seq)
{
    size_t note_len = note ? strlen (note) : 0;
    /* A checkpoint is the node's own act, whoever's request made it
       sign one (an export's seal): its entry stays format 1, all of it
       signed (auditfile.h). */
    size_t actor_len = kind == XC_AUDIT_CHECKPOINT ? 0 : strlen (s_actor);
    if (note_len > UINT16_MAX || data_len > UINT32_MAX)
        return XC_ETOOBIG;
    if (data_len > 0 && !data)
        return XC_EINVAL;
    uint64_t count;
    uint8_t hash[32];
    int rc = xc_audit_head (store, txn, &count, hash);
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    xc_merkle_frontier_t frontier;
    rc = s_frontier_load (store, txn, count, &frontier);
    if (rc != 0)
        return rc;

    uint8_t key_buf[8];
    xc_put_u64 (key_buf, count + 1);
    MDB_val key = { sizeof key_buf, key_buf };
    MDB_val val = { XC_AUDIT_HEADER + note_len + data_len + actor_len,
                    NULL };
    //  MDB_RESERVE: build the entry in place, sparing a copy of the
    //  envelope.  MDB_APPEND: big-endian keys sort in sequence order, so
    //  appending skips the B-tree search, and LMDB refuses (KEYEXIST) if
    //  a higher sequence already exists instead of overwriting it.
    rc = mdb_put (txn, xc_store_dbi (store, XC_DB_AUDIT), &key, &val,
                  MDB_APPEND | MDB_RESERVE);
    if (rc != MDB_SUCCESS)
        return xc_store_rc (rc);
    uint8_t *p = val.mv_data;
    s_fill_header (p, (uint8_t) kind, note_len, data_len, actor_len, time_ms,
                   hash, peer);
    if (note_len)
        memcpy (p + XC_AUDIT_HEADER, note, note_len);
    if (data_len)
        memcpy (p + XC_AUDIT_HEADER + note_len, data, data_len);
    if (actor_len)
        memcpy (p + XC_AUDIT_HEADER + note_len + data_len, s_actor,
                actor_len);
    //  Hash before the next write: it may move the reserved space.
    xc_sha256 (p, val.mv_size, hash);
    rc = s_write_head (store, txn, count + 1, hash);
    if (rc == 0 && kind == XC_AUDIT_CHECKPOINT)
        rc = s_sealed_write (store, txn, count + 1, &frontier);
    if (rc == 0) {
        xc_merkle_frontier_append (&frontier, hash);
        rc = s_frontier_write (store, txn, &frontier);
    }
    if (rc == 0 && seq)
        *seq = count + 1;
    return rc;
}

/*  Decodes the entry bytes in val into *entry.  Returns 0 or
    XC_EMALFORMED. */
static int
s_decode (const MDB_val *val, xc_audit_entry_t *entry)
{
    xc_auditentry_t a;
    if (xc_auditentry_parse (val->mv_data, val->mv_size, &a) != 0)
        return XC_EMALFORMED;
    entry->kind = a.kind;
    entry->time_ms = a.time_ms;
    memcpy (entry->prev_hash, a.prev_hash, 32);
    memcpy (entry->peer, a.peer, 7);
    entry->note = a.note;
    entry->note_len = a.note_len;
    entry->data = a.data;
    entry->data_len = a.data_len;
    entry->actor = a.actor;
    entry->actor_len = a.actor_len;
    entry->raw = val->mv_data;
    entry->len = val->mv_size;
    xc_sha256 (val->mv_data, val->mv_size, entry->hash);
    return 0;
}

int
xc_audit_get (xc_store_t *store, MDB_txn *txn, uint64_t seq,
              xc_audit_entry_t *entry)
{
    uint8_t key_buf[8];
    xc_put_u64 (key_buf, seq);
    MDB_val key = { sizeof key_buf, key_buf }, val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_AUDIT), &key, &val);
    if (rc != MDB_SUCCESS)
        return xc_store_rc (rc);
    memset (entry, 0, sizeof *entry);
    entry->seq = seq;
    return s_decode (&val, entry);
}

/*  With the range tracked, a checkpoint entry must cover exactly the
    entries before it, with their root.  The signature is the caller's:
    it needs the trust list. */
static int
s_check_checkpoint (const xc_audit_walk_t *w, const xc_audit_entry_t *e,
                    char *why, size_t why_len)
{
    xc_checkpoint_t cp;
    uint8_t root[32];
    if (xc_checkpoint_decode (e->data, e->data_len, &cp) != 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("entry %llu: checkpoint is malformed"),
                       (unsigned long long) e->seq);
    if (cp.tree_size != e->seq - 1)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("entry %llu: checkpoint covers %llu entries, not the "
                         "%llu before it"), (unsigned long long) e->seq,
                       (unsigned long long) cp.tree_size,
                       (unsigned long long) e->seq - 1);
    xc_merkle_frontier_root (&w->frontier, root);
    if (memcmp (root, cp.root, 32) != 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("entry %llu: checkpoint root does not match the "
                         "entries before it"), (unsigned long long) e->seq);
    return 0;
}

/*  Checks one entry found under key, the one w expects next, and moves
    w past it.  Returns 0 or XC_EMALFORMED with why. */
static int
s_check_entry (xc_audit_walk_t *w, const MDB_val *key, const MDB_val *val,
               xc_audit_entry_t *e, char *why, size_t why_len)
{
    uint64_t want = w->next;
    if (key->mv_size != 8)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("entry %llu: key is %zu bytes, not 8"),
                       (unsigned long long) want, key->mv_size);
    if (xc_get_u64 (key->mv_data) != want)
        return xc_why (why, why_len, XC_EMALFORMED, _("entry %llu missing"),
                       (unsigned long long) want);
    memset (e, 0, sizeof *e);
    e->seq = want;
    if (s_decode (val, e) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("entry %llu: malformed"),
                       (unsigned long long) want);
    if (memcmp (e->prev_hash, w->prev, 32) != 0) {
        if (want == 1)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("entry 1: prev_hash is not zero"));
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("entry %llu: prev_hash does not match hash of entry "
                         "%llu"),
                       (unsigned long long) want,
                       (unsigned long long) want - 1);
    }
    if (w->merkle && e->kind == XC_AUDIT_CHECKPOINT) {
        int rc = s_check_checkpoint (w, e, why, why_len);
        if (rc)
            return rc;
    }
    memcpy (w->prev, e->hash, 32);
    if (w->merkle)
        xc_merkle_frontier_append (&w->frontier, e->hash);
    w->next++;
    return 0;
}

void
xc_audit_walk_init (xc_audit_walk_t *w, bool merkle)
{
    memset (w, 0, sizeof *w);
    w->next = 1;
    w->merkle = merkle;
    xc_merkle_frontier_init (&w->frontier);
}

int
xc_audit_walk (xc_store_t *store, MDB_txn *txn, xc_audit_walk_t *w,
               uint64_t to, uint64_t max, xc_audit_visit_fn *visit,
               void *arg, bool *ended, uint64_t *bad_seq, char *why,
               size_t why_len)
{
    //  O(entries and bytes read): one SHA-256 per entry.  A cursor rather
    //  than a get per sequence, so entries beyond the head are seen too.
    *ended = false;
    *bad_seq = 0;
    MDB_cursor *cur = NULL;
    if (mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_AUDIT), &cur)
        != MDB_SUCCESS)
        return XC_ESTORE;
    uint8_t first[8];
    xc_put_u64 (first, w->next);
    MDB_val key = {sizeof first, first}, val;
    int rc = 0, mrc = mdb_cursor_get (cur, &key, &val, MDB_SET_RANGE);
    for (uint64_t n = 0; mrc == MDB_SUCCESS && w->next <= to
                         && (max == 0 || n < max); n++) {
        xc_audit_entry_t e;
        rc = s_check_entry (w, &key, &val, &e, why, why_len);
        if (rc) {
            *bad_seq = w->next;
            break;
        }
        if (visit && (rc = visit (&e, arg)) != 0) {
            *bad_seq = rc == XC_AUDIT_WALK_PAUSE ? 0 : e.seq;
            break;
        }
        mrc = mdb_cursor_get (cur, &key, &val, MDB_NEXT);
    }
    mdb_cursor_close (cur);
    if (rc == XC_AUDIT_WALK_PAUSE)
        return 0;              /* the visitor's budget: not the end */
    if (rc == 0 && mrc != MDB_SUCCESS && mrc != MDB_NOTFOUND)
        rc = XC_ESTORE;
    *ended = rc == 0 && mrc == MDB_NOTFOUND;
    return rc;
}

/*  Compares the stored head with what the walk found: n entries, the last
    hashing to last.  Sets *bad_seq to where they first disagree. */
static int
s_check_head (xc_store_t *store, MDB_txn *txn, uint64_t n,
              const uint8_t last[32], uint64_t *bad_seq, char *why,
              size_t why_len)
{
    uint64_t count;
    uint8_t hash[32];
    int rc = xc_audit_head (store, txn, &count, hash);
    if (rc == XC_EMALFORMED) {
        *bad_seq = n ? n : 1;
        return xc_why (why, why_len, rc, _("head is malformed"));
    }
    if (rc != 0)
        return rc;
    if (count != n) {
        *bad_seq = (count < n ? count : n) + 1;
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("head says %llu entries, log has %llu"),
                       (unsigned long long) count, (unsigned long long) n);
    }
    if (memcmp (hash, last, 32) != 0) {
        *bad_seq = n ? n : 1;
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("head hash does not match hash of entry %llu"),
                       (unsigned long long) n);
    }
    return 0;
}

/*  The stored range is a cache: one of another size is rebuilt from the
    log on the next append, but one of the right size that disagrees
    with the entries would be signed into every later checkpoint. */
static int
s_check_frontier (xc_store_t *store, MDB_txn *txn, const xc_audit_walk_t *w,
                  uint64_t *bad_seq, char *why, size_t why_len)
{
    MDB_val key = s_frontier_key (), val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_META), &key, &val);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc != MDB_SUCCESS)
        return XC_ESTORE;
    xc_merkle_frontier_t stored;
    if (xc_merkle_frontier_decode (&stored, val.mv_data, val.mv_size) != 0
        || stored.size != w->frontier.size)
        return 0;
    uint8_t a[32], b[32];
    xc_merkle_frontier_root (&stored, a);
    xc_merkle_frontier_root (&w->frontier, b);
    if (memcmp (a, b, 32) == 0)
        return 0;
    *bad_seq = w->next - 1;
    return xc_why (why, why_len, XC_EMALFORMED,
                   _("audit.frontier (the range the next checkpoint signs) "
                     "does not match entries 1..%llu"),
                   (unsigned long long) w->frontier.size);
}

int
xc_audit_walk_end (xc_store_t *store, MDB_txn *txn, const xc_audit_walk_t *w,
                   uint64_t *bad_seq, char *why, size_t why_len)
{
    *bad_seq = 0;
    int rc = s_check_head (store, txn, w->next - 1, w->prev, bad_seq, why,
                           why_len);
    if (rc == 0 && w->merkle)
        rc = s_check_frontier (store, txn, w, bad_seq, why, why_len);
    return rc;
}

int
xc_audit_check (xc_store_t *store, MDB_txn *txn, uint64_t *bad_seq,
                char *why, size_t why_len)
{
    xc_audit_walk_t w;
    bool ended;
    xc_audit_walk_init (&w, false);
    int rc = xc_audit_walk (store, txn, &w, UINT64_MAX, 0, NULL, NULL,
                            &ended, bad_seq, why, why_len);
    if (rc == 0)
        rc = xc_audit_walk_end (store, txn, &w, bad_seq, why, why_len);
    return rc;
}

/* --------------------------------------------------------------------------
   The tail, at start
   -------------------------------------------------------------------------- */

/*  Starts w at entry from: the hash of the entry before it is read, not
    checked (the link from it to from is). */
static int
s_walk_seed (xc_store_t *store, MDB_txn *txn, xc_audit_walk_t *w,
             uint64_t from)
{
    xc_audit_walk_init (w, false);
    w->next = from;
    if (from == 1)
        return 0;
    xc_audit_entry_t e;
    int rc = xc_audit_get (store, txn, from - 1, &e);
    if (rc == XC_ENOTFOUND || rc == XC_EMALFORMED)
        return XC_EMALFORMED;
    if (rc == 0)
        memcpy (w->prev, e.hash, 32);
    return rc;
}

typedef struct {
    xc_audit_tail_t *tail;
    bool not_checkpoint;       /* the sealed entry is no checkpoint */
} s_tail_t;

/*  Keeps the bytes of the last checkpoint for the caller's signature
    check (the walk has checked what it covers). */
static int
s_keep_sealed (const xc_audit_entry_t *e, void *arg)
{
    s_tail_t *t = arg;
    if (e->seq != t->tail->sealed)
        return 0;
    if (e->kind != XC_AUDIT_CHECKPOINT || e->data_len != XC_CHECKPOINT_LEN) {
        t->not_checkpoint = true;
        return XC_EMALFORMED;
    }
    memcpy (t->tail->checkpoint, e->data, XC_CHECKPOINT_LEN);
    return 0;
}

int
xc_audit_check_tail (xc_store_t *store, MDB_txn *txn, uint64_t window,
                     xc_audit_tail_t *tail, uint64_t *bad_seq, char *why,
                     size_t why_len)
{
    memset (tail, 0, sizeof *tail);
    *bad_seq = 0;
    uint64_t n;
    uint8_t head[32];
    xc_merkle_frontier_t sealed;
    int rc = xc_audit_head (store, txn, &n, head);
    if (rc == XC_EMALFORMED)
        return xc_why (why, why_len, rc, _("audit.head is malformed"));
    if (rc == 0 && (rc = s_sealed_read (store, txn, &tail->sealed, &sealed))
                       == XC_EMALFORMED)
        return xc_why (why, why_len, rc, _("audit.sealed is malformed"));
    if (rc)
        return rc;
    if (tail->sealed > n) {
        *bad_seq = n + 1;
        return xc_why (why, why_len, XC_EMALFORMED, _("audit.sealed names "
                         "checkpoint entry %llu, the log has %llu entries"),
                       (unsigned long long) tail->sealed,
                       (unsigned long long) n);
    }
    //  From the last checkpoint, or from the start when there is none:
    //  the cost is the entries written since, and at least window.
    uint64_t from = tail->sealed ? tail->sealed : 1;
    uint64_t low = n > window ? n - window + 1 : 1;
    if (low < from)
        from = low;
    tail->from = from;
    xc_audit_walk_t w;
    bool ended;
    rc = s_walk_seed (store, txn, &w, from);
    if (rc == XC_EMALFORMED) {
        *bad_seq = from - 1;
        return xc_why (why, why_len, rc, _("entry %llu missing or malformed"),
                       (unsigned long long) from - 1);
    }
    //  Up to the checkpoint the links alone; from it the range as well,
    //  seeded with what the checkpoint covers.
    uint64_t upto = tail->sealed ? tail->sealed - 1 : 0;
    if (rc == 0 && upto >= from)
        rc = xc_audit_walk (store, txn, &w, upto, 0, NULL, NULL, &ended,
                            bad_seq, why, why_len);
    if (rc == 0) {
        w.merkle = true;
        w.frontier = sealed;
        if (!tail->sealed)
            xc_merkle_frontier_init (&w.frontier);
        s_tail_t t = {tail, false};
        rc = xc_audit_walk (store, txn, &w, UINT64_MAX, 0, s_keep_sealed,
                            &t, &ended, bad_seq, why, why_len);
        if (t.not_checkpoint)
            xc_why (why, why_len, rc, _("audit.sealed names entry %llu, which "
                      "is not a checkpoint"), (unsigned long long) tail->sealed);
    }
    tail->to = w.next - 1;
    if (rc == 0)
        rc = xc_audit_walk_end (store, txn, &w, bad_seq, why, why_len);
    return rc;
}

const char *
xc_audit_kind_name (int kind)
{
    return xc_auditentry_kind_name (kind);
}

int
xc_audit_refusal (xc_store_t *store, MDB_txn *txn, uint64_t time_ms,
                  const char *what, const char *why)
{
    char note[512];
    int at = snprintf (note, sizeof note, "%s refused: ", what);
    snprintf (note + at, sizeof note - (size_t) at, "%s", why);
    for (char *p = note + at; *p;) {
        size_t n = strspn (p, "0123456789");
        if (n >= 4)
            memset (p, '#', n);
        p += n ? n : 1;
    }
    return xc_audit_append (store, txn, XC_AUDIT_DECISION, NULL, time_ms,
                            note, NULL, 0, NULL);
}

int
xc_audit_keep (xc_store_t *store, MDB_txn *txn, xc_audit_kind_t kind,
               const char *peer, uint64_t time_ms, const char *note,
               const uint8_t *bytes, size_t len, size_t prefix_max,
               uint8_t relation, uint8_t program)
{
    if (len > UINT32_MAX || (len && !bytes))
        return XC_EINVAL;
    size_t prefix = len < prefix_max ? len : prefix_max;
    uint8_t *rec = malloc (XC_AUDIT_KEPT_HEADER + prefix);
    if (!rec)
        return XC_ENOMEM;
    memcpy (rec, XC_AUDIT_KEPT_MAGIC, 8);   /* with its NUL */
    xc_put_u32 (rec + 8, (uint32_t) len);
    xc_sha256 (bytes, len, rec + 12);
    rec[44] = relation;
    rec[45] = program;
    if (prefix)
        memcpy (rec + XC_AUDIT_KEPT_HEADER, bytes, prefix);
    int rc = xc_audit_append (store, txn, kind, peer, time_ms, note, rec,
                              XC_AUDIT_KEPT_HEADER + prefix, NULL);
    free (rec);
    return rc;
}

int
xc_audit_kept (const uint8_t *data, size_t len, xc_audit_kept_t *k)
{
    if (!data || len < XC_AUDIT_KEPT_HEADER
        || memcmp (data, XC_AUDIT_KEPT_MAGIC, 8) != 0)
        return XC_EMALFORMED;
    k->len = xc_get_u32 (data + 8);
    memcpy (k->digest, data + 12, 32);
    k->relation = data[44];
    k->program = data[45];
    k->prefix = data + XC_AUDIT_KEPT_HEADER;
    k->prefix_len = len - XC_AUDIT_KEPT_HEADER;
    return k->prefix_len <= k->len ? 0 : XC_EMALFORMED;
}

int
xc_audit_summary (xc_store_t *store, MDB_txn *txn, const char *peer,
                  uint64_t time_ms, const char *note, uint64_t refused,
                  uint64_t duplicates, uint64_t since)
{
    uint8_t data[XC_AUDIT_SUMMARY_LEN];
    xc_put_u64 (data, refused);
    xc_put_u64 (data + 8, duplicates);
    xc_put_u64 (data + 16, since);
    return xc_audit_append (store, txn, XC_AUDIT_SUMMARY, peer, time_ms, note,
                            data, sizeof data, NULL);
}

int
xc_audit_summary_counts (const xc_audit_entry_t *e, uint64_t *refused,
                         uint64_t *duplicates)
{
    if (e->kind != XC_AUDIT_SUMMARY || e->data_len != XC_AUDIT_SUMMARY_LEN)
        return XC_EMALFORMED;
    *refused = xc_get_u64 (e->data);
    *duplicates = xc_get_u64 (e->data + 8);
    return 0;
}
