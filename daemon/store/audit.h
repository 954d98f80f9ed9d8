/*  audit.h - the append-only, hash-linked audit log.

    Each entry records one thing the node saw or did: a message received
    or sent (with its bytes exactly as on the wire), refused or repeated
    (its kept record: digest, length and a bounded prefix), or a local
    decision.  Entry n carries SHA-256 of entry n-1, so removing, changing
    or reordering any entry breaks the chain from there on.  Entries are
    appended inside the caller's write transaction, together with the state
    change they describe.

    Entry layout: xiecha/auditentry.h (all integers big-endian):
        u8  format (1, or 2 with an actor)   u8 kind   u16 note_len
        u32 data_len      u64 time_ms        u8[32] prev_hash
        char[6] peer      u16 actor_len (zero in format 1)
        note (note_len bytes, UTF-8)   data (data_len bytes)
        actor (actor_len bytes, UTF-8: terminal, township, operator)
    peer is NUL-padded when shorter than 6 and all zero when none.
    The entry hash is SHA-256 of the whole entry. */
#ifndef XIECHAD_AUDIT_H
#define XIECHAD_AUDIT_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xiecha/auditentry.h>
#include <xiecha/checkpoint.h>
#include <xiecha/merkle.h>

#include "store/store.h"

/*  The kinds (xc_audit_kind_t) and XC_AUDIT_HEADER are public:
    xiecha/auditentry.h. */

/*  What a REFUSED or DUPLICATE entry keeps of a message (its data), so
    that a peer cannot make the log grow by a message's full size (up to
    limits/max_message_bytes) with each one it sends:
        char[8]  "XCKEPT1\0"
        u32      length of the message as received
        u8[32]   SHA-256 of the message as received
        u8       relation, u8 program: as its header claimed (0: none;
                 what the monthly report counts it under)
        prefix   its first min(length, prefix_max) bytes, the whole of any
                 message that fits
    A store written before kept the whole message instead; such data
    does not begin with the magic (an envelope begins with a field tag,
    and 'X' is none of its fields). */
#define XC_AUDIT_KEPT_MAGIC "XCKEPT1"
#define XC_AUDIT_KEPT_HEADER 46

typedef struct {
    uint32_t len;            /* of the message */
    uint8_t digest[32];      /* SHA-256 of the message */
    uint8_t relation, program;
    const uint8_t *prefix;   /* into the entry's data */
    size_t prefix_len;
} xc_audit_kept_t;

/*  A SUMMARY entry's data: u64 refused, u64 duplicates (messages only
    counted), u64 the minute's start (UTC ms). */
#define XC_AUDIT_SUMMARY_LEN 24

/*  A decoded entry.  note and data point into the LMDB value and are only
    valid while the transaction lives; copy them out if needed. */
typedef struct {
    uint64_t seq;            /* 1-based position in the log */
    uint8_t kind;
    uint64_t time_ms;
    uint8_t prev_hash[32];
    char peer[7];            /* NUL-terminated, empty when none */
    const char *note;
    size_t note_len;
    const uint8_t *data;
    size_t data_len;
    const char *actor;       /* who caused it (auditentry.h); NULL: none */
    size_t actor_len;
    const uint8_t *raw;      /* the whole entry as stored */
    size_t len;
    uint8_t hash[32];        /* SHA-256 of this entry */
} xc_audit_entry_t;

/*  Sets the actor (xiecha/auditentry.h, at most XC_AUDIT_ACTOR_MAX
    bytes, longer is cut) of every entry this thread appends from now
    on; NULL or "" clears it, and entries are format 1 again.  The
    request table (net/requests.c) sets it around each client request's
    decision and clears it after, the one place attribution is made. */
void xc_audit_actor_set (const char *actor);

/*  The actor set now ("" when none). */
const char *xc_audit_actor (void);

/*  The township of the actor set now, into out ("" when none or the
    local administrator): what a query or notice made for that request
    carries, signed, to the registration node (Query.township,
    Notice.township), so the message and the entry name one township. */
void xc_audit_actor_township (char out[10]);

/*  Appends an entry.  peer may be NULL; note may be NULL.  On success sets
    *seq (if not NULL).  Returns 0, XC_ETOOBIG (note > 65535), XC_EFULL or
    XC_ESTORE. */
int xc_audit_append (xc_store_t *store, MDB_txn *txn, xc_audit_kind_t kind,
                     const char *peer, uint64_t time_ms, const char *note,
                     const uint8_t *data, size_t data_len, uint64_t *seq);

/*  Appends a REFUSED or DUPLICATE entry whose data is the kept record
    (above) of bytes[len], its prefix at most prefix_max bytes.  Returns
    as xc_audit_append, or XC_ENOMEM. */
int xc_audit_keep (xc_store_t *store, MDB_txn *txn, xc_audit_kind_t kind,
                   const char *peer, uint64_t time_ms, const char *note,
                   const uint8_t *bytes, size_t len, size_t prefix_max,
                   uint8_t relation, uint8_t program);

/*  Reads a kept record from an entry's data (k->prefix points into it).
    Returns 0, or XC_EMALFORMED when data is not one (an older store's
    whole message). */
int xc_audit_kept (const uint8_t *data, size_t len, xc_audit_kept_t *k);

/*  Appends a SUMMARY entry for peer: refused and duplicates counted in
    the minute from since.  Returns as xc_audit_append. */
int xc_audit_summary (xc_store_t *store, MDB_txn *txn, const char *peer,
                      uint64_t time_ms, const char *note, uint64_t refused,
                      uint64_t duplicates, uint64_t since);

/*  Reads a SUMMARY entry's counts.  Returns 0 or XC_EMALFORMED. */
int xc_audit_summary_counts (const xc_audit_entry_t *e, uint64_t *refused,
                             uint64_t *duplicates);

/*  Records a refused client request as a DECISION entry noted
    "<what> refused: <why>", every run of four or more digits in why
    blotted out with '#': a refusal may quote the input (an ID's birth
    date, say), and the log is kept for ever.  No data.  Returns as
    xc_audit_append. */
int xc_audit_refusal (xc_store_t *store, MDB_txn *txn, uint64_t time_ms,
                      const char *what, const char *why);

/*  The number of entries and the hash of the last (zeros when empty). */
int xc_audit_head (xc_store_t *store, MDB_txn *txn, uint64_t *count,
                   uint8_t hash[32]);

/*  The sequence of the last checkpoint entry, from "audit.sealed"
    (O(1)); 0 when the log has none.  Returns 0, XC_EMALFORMED or
    XC_ESTORE. */
int xc_audit_sealed (xc_store_t *store, MDB_txn *txn, uint64_t *seq);

/*  The number of entries and the RFC 9162 Merkle root over their hashes,
    from the stored compact range: O(log n).  Returns 0 or XC_ESTORE. */
int xc_audit_root (xc_store_t *store, MDB_txn *txn, uint64_t *count,
                   uint8_t root[32]);

/*  Reads entry seq.  Returns 0, XC_ENOTFOUND, XC_EMALFORMED or
    XC_ESTORE. */
int xc_audit_get (xc_store_t *store, MDB_txn *txn, uint64_t seq,
                  xc_audit_entry_t *entry);

/*  Walks the whole log checking every link and the stored head.  Returns
    0, or XC_EMALFORMED with *bad_seq and why naming the first bad entry,
    e.g. "entry 5 missing", "entry 7: malformed", "entry 17: prev_hash
    does not match hash of entry 16", "head says 40 entries, log has 39",
    "head hash does not match hash of entry 40".  A changed entry k breaks
    the link k -> k+1, so it is reported at k+1 (or at the head when k is
    the last); the chain cannot tell which side of a link was altered.
    For a head/log count mismatch *bad_seq is the first sequence they
    disagree on.  O(N): one SHA-256 per entry.  Returns XC_ESTORE on an
    LMDB failure. */
int xc_audit_check (xc_store_t *store, MDB_txn *txn, uint64_t *bad_seq,
                    char *why, size_t why_len);

/*  A walk along the chain that can stop and go on in a later
    transaction (the log only grows, so entries 1..next-1 stay as they
    were): the state after entry next - 1.  The one set of link rules,
    used by xc_audit_check, the start's tail check and the back office's
    scrub. */
typedef struct {
    uint64_t next;                 /* the next sequence to read */
    uint8_t prev[32];              /* hash of entry next-1; zero at 1 */
    /*  With merkle: the range over entries 1..next-1, so that each
        checkpoint entry is checked to cover exactly the entries before
        it with their root. */
    bool merkle;
    xc_merkle_frontier_t frontier;
} xc_audit_walk_t;

/*  A walk from entry 1. */
void xc_audit_walk_init (xc_audit_walk_t *w, bool merkle);

/*  Called with each entry that passed, in order; valid while the
    transaction lives.  A negative return stops the walk with that code;
    XC_AUDIT_WALK_PAUSE stops it after this entry without one (a budget
    spent: the walk goes on from there another time). */
#define XC_AUDIT_WALK_PAUSE 1
typedef int (xc_audit_visit_fn) (const xc_audit_entry_t *e, void *arg);

/*  Reads the entries from w->next while their sequence is at most to,
    and at most max of them (0: no limit), checking each as
    xc_audit_check does (and, with w->merkle, each checkpoint's size and
    root; its signature is the caller's, in visit), then calls visit
    (may be NULL).  *ended says the log ended within the walk (no entry
    after the last read).  Returns 0 with w past the last entry read,
    XC_EMALFORMED with *bad_seq and why, visit's code (*bad_seq its
    entry), or XC_ESTORE. */
int xc_audit_walk (xc_store_t *store, MDB_txn *txn, xc_audit_walk_t *w,
                   uint64_t to, uint64_t max, xc_audit_visit_fn *visit,
                   void *arg, bool *ended, uint64_t *bad_seq, char *why,
                   size_t why_len);

/*  After a walk that ended in txn: the stored head must count the
    entries walked and hash to the last, and with w->merkle the stored
    range (when it has their number) must be theirs.  Returns 0,
    XC_EMALFORMED with *bad_seq and why, or XC_ESTORE. */
int xc_audit_walk_end (xc_store_t *store, MDB_txn *txn,
                       const xc_audit_walk_t *w, uint64_t *bad_seq,
                       char *why, size_t why_len);

/*  What the start's check read. */
typedef struct {
    uint64_t from, to;             /* entries walked */
    uint64_t sealed;               /* last checkpoint's entry; 0: none */
    uint8_t checkpoint[XC_CHECKPOINT_LEN];  /* its bytes, when sealed */
} xc_audit_tail_t;

/*  The check a node makes at start, in time bounded by the entries
    written since its last checkpoint: every link from the last
    checkpoint on, and over at least the last window entries; that
    checkpoint covers exactly the entries before it with the root the
    store recorded beside it ("audit.sealed"), and that root extended by
    the entries after it gives the stored range and head.  With no
    checkpoint yet, the whole log is walked.  The checkpoint's signature
    needs the trust list: the caller checks tail->checkpoint.  Entries
    before the walk are left to the back office's scrub.  Returns 0,
    XC_EMALFORMED with *bad_seq and why, or XC_ESTORE. */
int xc_audit_check_tail (xc_store_t *store, MDB_txn *txn, uint64_t window,
                         xc_audit_tail_t *tail, uint64_t *bad_seq,
                         char *why, size_t why_len);

/*  A short name for a kind ("received", ...). */
const char *xc_audit_kind_name (int kind);

#endif
