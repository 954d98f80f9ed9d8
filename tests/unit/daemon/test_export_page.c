/*  test_export_page.c - signed checkpoints in the live log, exports, and
    the offline verifier: a clean export verifies (fully and partially),
    and a flipped byte, a dropped entry, two swapped entries, a truncated
    file, a forged checkpoint and a bad envelope are each reported at the
    right entry with the right reason.  An export ends under a checkpoint
    (xc_audit_seal_export): the whole log's is sealed, an old range's ends
    at a later checkpoint, and entries after the last checkpoint are
    reported not covered.  Every verdict is the same on one thread and on
    several, report and all, also for a log of many batches with a bad
    envelope or a bad link in the middle. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <czmq.h>

#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/error.h>
#include <xiecha/wire.h>

#include "store/audit.h"
#include "office/export_page.h"
#include "decide/audit_seal.h"
#include "xt_local.h"
#include "node/node.h"
#include "store/store.h"

#define T0 1780000000000ULL   /* inside the key's validity below */

typedef struct {
    char dir[64];
    xc_node_t node;
    xc_trust_t *trust;
    xc_auditfile_t file;      /* full export of the standard log */
} fixture_t;

typedef struct {
    fixture_t *f;
    int kind;
    const char *peer;
    uint64_t time;
    const char *note;
    const uint8_t *data;
    size_t data_len;
} s_add_t;

static int
s_add_write (MDB_txn *txn, void *arg)
{
    s_add_t *a = arg;
    if (a->kind == XC_AUDIT_CHECKPOINT)
        return xc_audit_seal_append (&a->f->node, txn, a->time, 1, NULL);
    return xc_audit_append (a->f->node.store, txn, a->kind, a->peer, a->time,
                            a->note, a->data, a->data_len, NULL);
}

static void
s_add (fixture_t *f, int kind, const char *peer, uint64_t t, const char *note)
{
    s_add_t a = {f, kind, peer, t, note, NULL, 0};
    assert_int_equal (xc_store_write (f->node.store, s_add_write, &a), 0);
}

static xc_trust_t *
s_trust (xc_key_t *key)
{
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], text[1024], why[256] = "";
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    zcert_t *curve = zcert_new ();
    snprintf (text, sizeof text,
              "trust\n    version = 1\n    node\n        code = \"469021\"\n"
              "        name = \"A\"\n        endpoint = \"tcp://127.0.0.1:1\"\n"
              "        curve = \"%s\"\n        key\n"
              "            public = \"%s\"\n"
              "            not_before = \"2026-01-01T00:00:00Z\"\n"
              "            not_after = \"2028-01-01T00:00:00Z\"\n",
              zcert_public_txt (curve), hex);
    zcert_destroy (&curve);
    xc_trust_t *t = xc_trust_load_text (text, "test", why, sizeof why);
    if (!t)
        fail_msg ("trust: %s", why);
    return t;
}

/*  The standard log: 1 start, 2-4 decisions (peer 341002 on 3), 5
    checkpoint over 1..4, 6 decision, 7 checkpoint over 1..6, 8 stop. */
static void
s_fill_log (fixture_t *f)
{
    s_add (f, XC_AUDIT_START, NULL, T0, "started");
    s_add (f, XC_AUDIT_DECISION, NULL, T0 + 1, "first");
    s_add (f, XC_AUDIT_DECISION, "341002", T0 + 2, "second");
    s_add (f, XC_AUDIT_DECISION, NULL, T0 + 3, "third");
    s_add (f, XC_AUDIT_CHECKPOINT, NULL, T0 + 4, NULL);
    s_add (f, XC_AUDIT_CHECKPOINT, NULL, T0 + 5, NULL);   /* nothing new */
    s_add (f, XC_AUDIT_DECISION, NULL, T0 + 6, "fourth");
    s_add (f, XC_AUDIT_CHECKPOINT, NULL, T0 + 7, NULL);
    s_add (f, XC_AUDIT_STOP, NULL, T0 + 8, "stopped");
}

/*  The pages of an export, each read in its own transaction as the
    daemon does, concatenated into *out; max_records 0 is the default. */
static int
s_export_sized (fixture_t *f, uint64_t from, uint64_t to, uint64_t total,
                uint32_t max_records, xc_auditfile_t *out, int *pages)
{
    xc_export_page_t page = {.from = from, .to = to, .total = total,
                             .max_records = max_records};
    memset (out, 0, sizeof *out);
    *pages = 0;
    int rc = 0;
    do {
        MDB_txn *txn;
        assert_int_equal (xc_store_read (f->node.store, &txn), 0);
        xc_auditfile_t chunk;
        uint64_t next = 0;
        rc = xc_export_page_read (f->node.store, txn, &page, &chunk, &next);
        mdb_txn_abort (txn);
        if (rc == 0) {
            uint8_t *p = realloc (out->data, out->len + chunk.len);
            assert_non_null (p);
            memcpy (p + out->len, chunk.data, chunk.len);
            out->data = p;
            out->len += chunk.len;
            out->cap = out->len;
            (*pages)++;
        }
        xc_auditfile_free (&chunk);
        page.cursor = next;
    } while (rc == 0 && page.cursor);
    return rc;
}

static int
s_export_pages (fixture_t *f, uint64_t from, uint64_t to,
                uint32_t max_records, xc_auditfile_t *out, int *pages)
{
    return s_export_sized (f, from, to, 0, max_records, out, pages);
}

/*  As the office reads it alone: up to the log's last entry. */
static int
s_export (fixture_t *f, uint64_t from, uint64_t to, xc_auditfile_t *out)
{
    int pages;
    return s_export_pages (f, from, to, 0, out, &pages);
}

typedef struct {
    fixture_t *f;
    uint64_t to, total;
} s_seal_t;

static int
s_seal_write (MDB_txn *txn, void *arg)
{
    s_seal_t *a = arg;
    return xc_audit_seal_export (&a->f->node, txn, T0 + 100, a->to,
                                 &a->total);
}

/*  As the daemon makes it: sealed first, then read up to the total the
    seal pinned (requests.c). */
static int
s_export_sealed (fixture_t *f, uint64_t from, uint64_t to,
                 xc_auditfile_t *out, uint64_t *total)
{
    s_seal_t a = {f, to, 0};
    assert_int_equal (xc_store_write (f->node.store, s_seal_write, &a), 0);
    *total = a.total;
    int pages;
    return s_export_sized (f, from, to, a.total, 0, out, &pages);
}

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->node.store = xt_store_new (f->dir, sizeof f->dir, "auditx", 0);
    f->node.signers[0].key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (f->node.signers[0].key, pub);
    xc_key_id (pub, f->node.signers[0].id);
    strcpy (f->node.config.code, "469021");
    f->trust = s_trust (f->node.signers[0].key);
    s_fill_log (f);
    assert_int_equal (s_export (f, 0, 0, &f->file), 0);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xc_auditfile_free (&f->file);
    xt_store_destroy (&f->node.store, f->dir);
    xc_key_destroy (&f->node.signers[0].key);
    xc_trust_destroy (&f->trust);
    free (f);
    return 0;
}

/*  Offset of the record for entry seq in buf (1-based). */
static size_t
s_offset (const uint8_t *buf, uint64_t seq)
{
    size_t pos = XC_AUDITFILE_HEADER;
    for (uint64_t i = 1; i < seq; i++) {
        const uint8_t *p = buf + pos;
        if (p[8] == 0)
            pos += 41;
        else
            pos += 13 + (size_t) xc_get_u32 (p + 9);
    }
    return pos;
}

/*  Verifies on one thread and on three: the same code and the same
    report to the byte.  Returns the code. */
static int
s_verify (const fixture_t *f, const uint8_t *buf, size_t len,
          xc_auditfile_report_t *r)
{
    xc_auditfile_report_t *many = calloc (1, sizeof *many);
    assert_non_null (many);
    int rc = xc_auditfile_verify (buf, len, f->trust, r);
    assert_int_equal (xc_auditfile_verify_threads (buf, len, f->trust, many,
                                                   3, NULL, NULL), rc);
    assert_memory_equal (r, many, sizeof *r);
    free (many);
    return rc;
}

static void
s_expect (fixture_t *f, const uint8_t *buf, size_t len, uint64_t bad,
          const char *why)
{
    xc_auditfile_report_t r;
    assert_int_not_equal (s_verify (f, buf, len, &r), 0);
    if (r.bad_seq != bad || !strstr (r.why, why))
        fail_msg ("want entry %llu \"%s\", got entry %llu \"%s\"",
                  (unsigned long long) bad, why,
                  (unsigned long long) r.bad_seq, r.why);
}

/*  A private copy of the export to tamper with. */
static uint8_t *
s_copy (const fixture_t *f)
{
    uint8_t *b = malloc (f->file.len);
    assert_non_null (b);
    memcpy (b, f->file.data, f->file.len);
    return b;
}

static void
test_clean (void **state)
{
    //  Read alone, the office's export ends at the stop mark, after the
    //  last checkpoint: every check holds but entry 8 is signed by none.
    fixture_t *f = *state;
    xc_auditfile_report_t r;
    assert_int_equal (s_verify (f, f->file.data, f->file.len, &r),
                      XC_EUNCOVERED);
    assert_int_equal (r.uncovered_from, 8);
    assert_int_equal (r.uncovered_to, 8);
    assert_non_null (strstr (r.why, "entries 8..8 are not covered by a "
                             "signed checkpoint (the last, entry 7, covers "
                             "1..6)"));
    assert_int_equal (r.entries, 8);
    assert_int_equal (r.full, 8);
    assert_int_equal (r.checkpoints, 2);   /* the no-growth one was skipped */
    assert_int_equal (r.covered, 6);
    assert_int_equal (r.kinds[XC_AUDIT_DECISION], 4);
    assert_int_equal (r.first_ms, T0);
    assert_int_equal (r.last_ms, T0 + 8);
    assert_int_equal (r.n_peers, 1);
    assert_string_equal (r.peers[0].code, "341002");
    //  Sealed as the daemon exports: a checkpoint over 1..8 at 9.
    xc_auditfile_t p;
    uint64_t total = 0;
    assert_int_equal (s_export_sealed (f, 0, 0, &p, &total), 0);
    assert_int_equal (total, 9);
    assert_int_equal (s_verify (f, p.data, p.len, &r), 0);
    assert_int_equal (r.entries, 9);
    assert_int_equal (r.checkpoints, 3);
    assert_int_equal (r.covered, 8);
    assert_int_equal (r.uncovered_from, 0);
    xc_auditfile_free (&p);
}

/*  Which entry an export ends at, and when the node signs for it. */
static void
test_seal_export (void **state)
{
    fixture_t *f = *state;
    xc_auditfile_t p;
    uint64_t total = 0;
    //  Entries 1..3 lie under checkpoint 5 and 7: the export ends at 7,
    //  the last, and nothing is appended.
    assert_int_equal (s_export_sealed (f, 1, 3, &p, &total), 0);
    assert_int_equal (total, 7);
    xc_auditfile_report_t r;
    assert_int_equal (s_verify (f, p.data, p.len, &r), 0);
    assert_int_equal (r.total, 7);
    assert_int_equal (r.to, 3);
    xc_auditfile_free (&p);
    //  Up to 7 itself: the checkpoint signs itself in.
    assert_int_equal (s_export_sealed (f, 7, 7, &p, &total), 0);
    assert_int_equal (total, 7);
    xc_auditfile_free (&p);
    //  Up to 8, the stop mark after it: a checkpoint is signed at 9.
    assert_int_equal (s_export_sealed (f, 8, 8, &p, &total), 0);
    assert_int_equal (total, 9);
    assert_int_equal (s_verify (f, p.data, p.len, &r), 0);
    xc_auditfile_free (&p);
    //  And then no more: the log ends at a checkpoint.
    assert_int_equal (s_export_sealed (f, 0, 0, &p, &total), 0);
    assert_int_equal (total, 9);
    xc_auditfile_free (&p);
    //  A range past the log is the whole log.
    assert_int_equal (s_export_sealed (f, 0, 50, &p, &total), 0);
    assert_int_equal (total, 9);
    xc_auditfile_free (&p);
}

static void s_rechain (uint8_t *b, uint64_t seq, uint64_t total);

/*  The checkpoint entry holds nothing unsigned: a note, a peer or a time
    of its own in it is refused. */
static void
test_checkpoint_entry_shape (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    size_t e7 = s_offset (b, 7) + 13;
    b[e7 + 48] = '3';                  /* a peer */
    s_rechain (b, 8, 8);
    s_expect (f, b, f->file.len, 7, "checkpoint entry carries a note, a "
              "peer, an actor or a time other than the checkpoint's");
    memcpy (b, f->file.data, f->file.len);
    b[e7 + 15] ^= 1;                   /* its time */
    s_rechain (b, 8, 8);
    s_expect (f, b, f->file.len, 7, "checkpoint entry carries");
    free (b);
}

static void
test_partial (void **state)
{
    //  Entries 3..3 in full, the rest by hash, checkpoints in full: still
    //  verifies, and a forged hash of an entry outside the range breaks
    //  the checkpoint root over it.
    fixture_t *f = *state;
    xc_auditfile_t p;
    int pages;
    assert_int_equal (s_export_sized (f, 3, 3, 7, 0, &p, &pages), 0);
    xc_auditfile_report_t r;
    assert_int_equal (s_verify (f, p.data, p.len, &r), 0);
    assert_int_equal (r.full, 3);
    assert_int_equal (r.checkpoints, 2);
    p.data[s_offset (p.data, 1) + 9] ^= 1;
    //  Entry 2 is not in full, so nothing links to entry 1 before the
    //  checkpoint over it.
    s_expect (f, p.data, p.len, 5, "checkpoint root does not match");
    p.data[s_offset (p.data, 1) + 9] ^= 1;
    p.data[s_offset (p.data, 6) + 9] ^= 1;
    //  Entry 7 (a checkpoint, always in full) links to entry 6's hash.
    s_expect (f, p.data, p.len, 7, "prev_hash does not match hash of entry 6");
    xc_auditfile_free (&p);
    assert_int_equal (s_export (f, 5, 2, &p), XC_EINVAL);
    xc_auditfile_free (&p);
}

/*  Any page size gives the same file byte for byte, entries appended
    between pages do not enter it (the first page pinned the size), and a
    page asking beyond the log is refused. */
static void
test_pages (void **state)
{
    fixture_t *f = *state;
    for (uint32_t size = 1; size <= 9; size++) {
        xc_auditfile_t p;
        int pages = 0;
        assert_int_equal (s_export_pages (f, 2, 6, size, &p, &pages), 0);
        xc_auditfile_t one;
        int one_pages = 0;
        assert_int_equal (s_export_pages (f, 2, 6, 100, &one, &one_pages), 0);
        assert_int_equal (one_pages, 1);
        assert_int_equal (pages, (8 + size - 1) / size);
        assert_int_equal (p.len, one.len);
        assert_memory_equal (p.data, one.data, p.len);
        xc_auditfile_free (&p);
        xc_auditfile_free (&one);
    }
    //  First page of two records, then the log grows, then the rest.
    xc_export_page_t page = {.max_records = 2};
    MDB_txn *txn;
    xc_auditfile_t chunk;
    uint64_t next = 0;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_export_page_read (f->node.store, txn, &page,
                                            &chunk, &next), 0);
    mdb_txn_abort (txn);
    xc_auditfile_free (&chunk);
    assert_int_equal (page.total, 8);
    assert_int_equal (next, 3);
    s_add (f, XC_AUDIT_DECISION, NULL, T0 + 9, "after the first page");
    page.cursor = next;
    page.max_records = 0;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_export_page_read (f->node.store, txn, &page,
                                            &chunk, &next), 0);
    assert_int_equal (next, 0);
    assert_int_equal (page.total, 8);
    xc_auditfile_free (&chunk);
    page.total = 10;
    assert_int_equal (xc_export_page_read (f->node.store, txn, &page,
                                            &chunk, &next), XC_EINVAL);
    page.total = 8;
    page.cursor = 9;
    assert_int_equal (xc_export_page_read (f->node.store, txn, &page,
                                            &chunk, &next), XC_EINVAL);
    mdb_txn_abort (txn);
    xc_auditfile_free (&chunk);
}

static void
test_flip_byte (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    //  The note of entry 2: its hash changes, so entry 3's link breaks.
    b[s_offset (b, 2) + 13 + 56] ^= 0x01;
    s_expect (f, b, f->file.len, 3,
              "prev_hash does not match hash of entry 2");
    free (b);
}

static void
test_flip_checkpoint (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    //  A byte of the signature of the last checkpoint (entry 7, data at
    //  56 past the entry start, no note): entry 8 links to the changed
    //  bytes' hash, so the link breaks first... unless we look at the
    //  signature itself, which is checked before entry 8 is read.
    b[s_offset (b, 7) + 13 + 56 + 100] ^= 0x01;
    s_expect (f, b, f->file.len, 7, "checkpoint signature does not verify");
    free (b);
}

static void
test_drop_entry (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    size_t at = s_offset (b, 4), next = s_offset (b, 5);
    memmove (b + at, b + next, f->file.len - next);
    s_expect (f, b, f->file.len - (next - at), 4, "missing");
    free (b);
}

static void
test_swap_entries (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    size_t a = s_offset (b, 2), m = s_offset (b, 3), e = s_offset (b, 4);
    uint8_t *tmp = malloc (e - a);
    assert_non_null (tmp);
    memcpy (tmp, b + m, e - m);
    memcpy (tmp + (e - m), b + a, m - a);
    memcpy (b + a, tmp, e - a);
    free (tmp);
    s_expect (f, b, f->file.len, 2, "out of order (found entry 3)");
    free (b);
}

static void
test_renumbered_swap (void **state)
{
    //  Swapped and renumbered so the sequence looks right: the chain
    //  still catches it.
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    size_t a = s_offset (b, 2), m = s_offset (b, 3), e = s_offset (b, 4);
    uint8_t *tmp = malloc (e - a);
    assert_non_null (tmp);
    memcpy (tmp, b + m, e - m);
    memcpy (tmp + (e - m), b + a, m - a);
    memcpy (b + a, tmp, e - a);
    free (tmp);
    b[a + 7] = 2;
    b[a + (e - m) + 7] = 3;
    s_expect (f, b, f->file.len, 2,
              "prev_hash does not match hash of entry 1");
    free (b);
}

/*  Re-links the chain after an edit: every entry from seq on gets the
    hash of the entry before it as prev_hash, as a forger with write
    access to the log (but not the node's key) would do.  All records
    must be full. */
static void
s_rechain (uint8_t *b, uint64_t seq, uint64_t total)
{
    for (uint64_t i = seq; i <= total; i++) {
        size_t prev = s_offset (b, i - 1), cur = s_offset (b, i);
        size_t prev_len = cur - prev - 13;
        xc_sha256 (b + prev + 13, prev_len, b + cur + 13 + 16);
    }
}

/*  An entry rewritten with the hash chain made whole again: the chain
    cannot tell, the first checkpoint over it can. */
static void
test_rewritten_with_valid_chain (void **state)
{
    fixture_t *f = *state;
    uint8_t *b = s_copy (f);
    //  Entry 2's note "first" becomes "First"; entries 3..8 re-linked.
    size_t e2 = s_offset (b, 2) + 13;
    assert_int_equal (b[e2 + XC_AUDIT_HEADER], 'f');
    b[e2 + XC_AUDIT_HEADER] = 'F';
    s_rechain (b, 3, 8);
    s_expect (f, b, f->file.len, 5, "checkpoint root does not match");
    //  After the last checkpoint (entry 8, the stop mark) nothing signed
    //  covers an entry: never VALID, and the verifier says which.
    memcpy (b, f->file.data, f->file.len);
    size_t e8 = s_offset (b, 8) + 13;
    b[e8 + XC_AUDIT_HEADER] ^= 0x20;
    xc_auditfile_report_t r;
    assert_int_equal (s_verify (f, b, f->file.len, &r), XC_EUNCOVERED);
    assert_int_equal (r.uncovered_from, 8);
    assert_int_equal (r.covered, 6);
    assert_int_equal (r.entries, 8);
    free (b);
}

static void
test_truncate (void **state)
{
    fixture_t *f = *state;
    size_t at = s_offset (f->file.data, 6);
    s_expect (f, f->file.data, at + 20, 6, "file truncated");
    //  Cut at a record boundary: the header still announces 8.
    s_expect (f, f->file.data, at, 6, "file truncated");
    s_expect (f, f->file.data, 10, 0, "not an audit export");
}

static void
test_bad_envelope (void **state)
{
    //  A "received" entry whose data is not an envelope.
    fixture_t *f = *state;
    static const uint8_t junk[] = {1, 2, 3, 4};
    s_add_t a = {f, XC_AUDIT_RECEIVED, "341002", T0 + 9, NULL, junk,
                 sizeof junk};
    assert_int_equal (xc_store_write (f->node.store, s_add_write, &a), 0);
    xc_auditfile_t p;
    assert_int_equal (s_export (f, 0, 0, &p), 0);
    s_expect (f, p.data, p.len, 9, "entry 9: envelope:");
    xc_auditfile_free (&p);
}

/*  The signed checkpoint on its own: round trip, key window, node,
    changed content, and a signature made under another context. */
static void
test_checkpoint_lib (void **state)
{
    fixture_t *f = *state;
    xc_checkpoint_t cp = {.tree_size = 3, .time_ms = T0}, got;
    memset (cp.root, 0xab, sizeof cp.root);
    strcpy (cp.node, "469021");
    strcpy (cp.key_id, f->node.signers[0].id);
    uint8_t b[XC_CHECKPOINT_LEN];
    char why[256];
    assert_int_equal (xc_checkpoint_sign (&cp, f->node.signers[0].key, b), 0);
    assert_int_equal (xc_checkpoint_verify (b, sizeof b, f->trust, &got, why,
                                            sizeof why), 0);
    assert_int_equal (got.tree_size, 3);
    assert_memory_equal (got.root, cp.root, 32);
    assert_int_equal (xc_checkpoint_verify (b, sizeof b - 1, f->trust, &got,
                                            why, sizeof why), XC_EMALFORMED);
    b[20] ^= 1;
    assert_int_equal (xc_checkpoint_verify (b, sizeof b, f->trust, &got, why,
                                            sizeof why), XC_ESIG);
    b[20] ^= 1;
    //  Same bytes signed as a report: domain separation refuses it.
    assert_int_equal (xc_sign (f->node.signers[0].key, XC_CTX_REPORT, b,
                               XC_CHECKPOINT_SIGNED, b + XC_CHECKPOINT_SIGNED),
                      0);
    assert_int_equal (xc_checkpoint_verify (b, sizeof b, f->trust, &got, why,
                                            sizeof why), XC_ESIG);
    cp.time_ms = 1700000000000ULL;   /* 2023: before not_before */
    assert_int_equal (xc_checkpoint_sign (&cp, f->node.signers[0].key, b), 0);
    assert_int_equal (xc_checkpoint_verify (b, sizeof b, f->trust, &got, why,
                                            sizeof why), XC_EUNKNOWN);
    cp.time_ms = T0;
    strcpy (cp.node, "341002");
    assert_int_equal (xc_checkpoint_sign (&cp, f->node.signers[0].key, b), 0);
    assert_int_equal (xc_checkpoint_verify (b, sizeof b, f->trust, &got, why,
                                            sizeof why), XC_EUNKNOWN);
    assert_non_null (strstr (why, "belongs to 469021"));
}

/*  Entries 9.. of a long log: every third a query from 469021 really
    signed with the fixture's key, the others decisions, a checkpoint
    every 1000, all in one transaction. */
typedef struct {
    fixture_t *f;
    uint64_t n;
} s_long_t;

static int
s_long_write (MDB_txn *txn, void *arg)
{
    s_long_t *a = arg;
    xc_node_t *node = &a->f->node;
    for (uint64_t i = 0; i < a->n; i++) {
        uint64_t t = T0 + 10 + i;
        int rc;
        if (i % 1000 == 999)
            rc = xc_audit_seal_append (node, txn, t, 1, NULL);
        else if (i % 3 == 0) {
            uint8_t id[XC_MSGID_LEN], subj[XC_REF_LEN], *env = NULL;
            size_t len = 0;
            xc_random (subj, sizeof subj);
            Xiecha__Header h;
            xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_QUERY, "469021",
                            "341002", t);
            Xiecha__Query q = XIECHA__QUERY__INIT;
            ProtobufCBinaryData s1 = {sizeof subj, subj};
            Xiecha__Program prog = XIECHA__PROGRAM__DIBAO;
            q.subjects = &s1;
            q.n_subjects = 1;
            q.programs = &prog;
            q.n_programs = 1;
            q.relation = XIECHA__RELATION__OTHER_PROVINCE;
            Xiecha__Signed m = XIECHA__SIGNED__INIT;
            m.header = &h;
            m.body_case = XIECHA__SIGNED__BODY_QUERY;
            m.query = &q;
            rc = xc_envelope_seal (&m, node->signers[0].key,
                                   node->signers[0].id, &env, &len);
            if (rc == 0)
                rc = xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED,
                                      "341002", t, NULL, env, len, NULL);
            free (env);
        }
        else
            rc = xc_audit_append (node->store, txn, XC_AUDIT_DECISION, NULL,
                                  t, "decided", NULL, 0, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

/*  Offset of the first byte of entry seq's data (a full record). */
static size_t
s_data_at (const uint8_t *b, uint64_t seq)
{
    size_t e = s_offset (b, seq) + 13;
    return e + XC_AUDIT_HEADER + xc_get_u16 (b + e + 2);
}

static void
test_threads_many_batches (void **state)
{
    fixture_t *f = *state;
    s_long_t a = {f, 3 * XC_AUDITFILE_BATCH + 500};
    assert_int_equal (xc_store_write (f->node.store, s_long_write, &a), 0);
    xc_auditfile_t p;
    uint64_t total = 0;
    assert_int_equal (s_export_sealed (f, 0, 0, &p, &total), 0);
    xc_auditfile_report_t r;
    assert_int_equal (s_verify (f, p.data, p.len, &r), 0);
    assert_true (r.envelopes > XC_AUDITFILE_BATCH);
    //  An envelope's signature in the third batch, and then also a link
    //  further on in the same batch: the first is what is said.
    uint64_t bad = 2 * XC_AUDITFILE_BATCH + 9 + 1;
    while ((bad - 9) % 3 != 0)
        bad++;
    size_t at = s_data_at (p.data, bad);
    p.data[at + p.data[at + 1] + 2 + 10] ^= 1;   /* in signed, past tag */
    s_expect (f, p.data, p.len, bad, "envelope:");
    p.data[s_offset (p.data, bad + 7) + 13 + 20] ^= 1;   /* prev_hash */
    s_expect (f, p.data, p.len, bad, "envelope:");
    //  The link alone.
    p.data[at + p.data[at + 1] + 2 + 10] ^= 1;
    s_expect (f, p.data, p.len, bad + 7, "prev_hash does not match");
    xc_auditfile_free (&p);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_clean, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_checkpoint_lib, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_partial, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_pages, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_flip_byte, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_flip_checkpoint, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_drop_entry, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_swap_entries, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_renumbered_swap, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_truncate, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_rewritten_with_valid_chain,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_bad_envelope, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_seal_export, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_checkpoint_entry_shape, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_threads_many_batches, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
