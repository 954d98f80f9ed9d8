/*  auditfile.h - exported audit logs and their offline verification.

    File layout (integers big-endian):
        char[8]  magic "XCAUDIT1"
        u64      total     records in the file: entries 1..total
        u64      from, to  the range exported in full (1-based, inclusive;
                           1 <= from <= to <= total)
        then `total` records in sequence order:
        u64      seq
        u8       full      1: the entry bytes follow, 0: only their hash
        full=1:  u32 len, then the entry exactly as stored (daemon/audit.h)
        full=0:  u8[32] SHA-256 of the entry
    Entries in from..to and every checkpoint (kind 9) are full; the others
    are present by hash only, which is all the Merkle roots of the signed
    checkpoints need, so a partial export stays verifiable against them.

    An export's length is signed: the node's export ends at its log's
    last checkpoint entry, and when entries of the range come after that
    checkpoint it signs and appends a new one first (xiecha audit export),
    so entry `total` is a checkpoint covering 1..total-1.  A range of old
    entries (to below the last checkpoint) ends at the last checkpoint,
    made later than the range: its entries are verified under that
    checkpoint's root, the entries after `to` present by hash only.

    Coverage.  Checkpoint entry n covers entries 1..n-1 through its Merkle
    root, and itself through its signature: its entry must carry no note
    and no peer and the checkpoint's own time, so that nothing in it is
    unsigned but the link to entry n-1, which the root covers.  Entries
    after the last checkpoint are vouched for by nobody (the file could
    have been cut there, its header rewritten): they are "not covered".

    Entry layout (xiecha/auditentry.h): u8 format (1, or 2 with an
    actor), u8 kind, u16 note_len, u32 data_len, u64 time_ms, u8[32]
    prev_hash, char[6] peer, u16 actor_len (zero in format 1), note,
    data, actor. */
#ifndef XIECHA_AUDITFILE_H
#define XIECHA_AUDITFILE_H

#include <stddef.h>
#include <stdint.h>

#include "auditentry.h"
#include "trust.h"

#define XC_AUDITFILE_MAGIC "XCAUDIT1"
#define XC_AUDITFILE_HEADER 32
#define XC_AUDITFILE_KINDS 16
#define XC_AUDITFILE_PEERS 64
#define XC_AUDITFILE_ACTORS 64

/*  A growing export: the header, then records appended in order. */
typedef struct {
    uint8_t *data;
    size_t len, cap;
} xc_auditfile_t;

/*  Starts a file in *self (zeroed first).  Returns 0 or XC_ENOMEM. */
int xc_auditfile_init (xc_auditfile_t *self, uint64_t total, uint64_t from,
                       uint64_t to);

/*  Appends the record for entry seq: its bytes when full, else its hash.
    Returns 0 or XC_ENOMEM. */
int xc_auditfile_add (xc_auditfile_t *self, uint64_t seq,
                      const uint8_t *entry, size_t len, int full);

/*  Frees the buffer; harmless twice. */
void xc_auditfile_free (xc_auditfile_t *self);

typedef struct {
    char code[7];
    uint64_t count;
} xc_auditfile_peer_t;

/*  One actor's full entries, per kind (auditentry.h). */
typedef struct {
    xc_actor_t who;
    uint64_t count;
    uint64_t kinds[XC_AUDITFILE_KINDS];
} xc_auditfile_actor_t;

/*  What the verifier saw. */
typedef struct {
    uint64_t total;          /* entries the header announces */
    uint64_t from, to;       /* range exported in full */
    uint64_t entries;        /* records read */
    uint64_t full;           /* of which full */
    uint64_t checkpoints;    /* signed checkpoints verified */
    uint64_t covered;        /* entries covered by the last checkpoint */
    /*  Entries under no signed checkpoint (XC_EUNCOVERED): from..to,
        both 0 when every entry is covered. */
    uint64_t uncovered_from, uncovered_to;
    char node[7];            /* node that signed the checkpoints */
    uint64_t envelopes;      /* sent/received envelopes verified */
    uint64_t first_ms, last_ms;   /* time range of full entries */
    uint64_t kinds[XC_AUDITFILE_KINDS];
    xc_auditfile_peer_t peers[XC_AUDITFILE_PEERS];
    size_t n_peers;
    uint64_t attributed;     /* full entries naming an actor */
    xc_auditfile_actor_t actors[XC_AUDITFILE_ACTORS];  /* the first ones */
    size_t n_actors;
    uint64_t restores;       /* RESTORE entries (auditentry.h) */
    uint64_t restored_at;    /* the last of them, 0 when none: the log
                                goes on there from a copy of the store */
    uint64_t bad_seq;        /* first bad entry, 0 when none */
    char why[400];           /* and why */
} xc_auditfile_report_t;

/*  Checks an export offline: the header (at least one entry, from..to
    within them, full records exactly in from..to and at checkpoints),
    record order and completeness, the hash chain wherever both sides of
    a link are present, each checkpoint's signature (key of its node
    valid at its time), its tree size and Merkle root over the entries
    before it, consistency with the previous checkpoint, and every
    sent/received envelope's signature.  Fills *report; returns 0 when
    all holds and every entry is covered by a checkpoint (above);
    XC_EMALFORMED / XC_ESIG / XC_EUNKNOWN with report->bad_seq and
    report->why naming the first bad entry; XC_EUNCOVERED when all holds
    but entries uncovered_from..uncovered_to are under no checkpoint
    (bad_seq is uncovered_from, why says so).  One thread: as
    xc_auditfile_verify_threads with threads 1. */
int xc_auditfile_verify (const uint8_t *buf, size_t len,
                         const xc_trust_t *trust,
                         xc_auditfile_report_t *report);

/*  Told how far a long run has come: done of total records. */
typedef void (xc_progress_fn) (uint64_t done, uint64_t total, void *arg);

/*  Records between two progress calls. */
#define XC_AUDITFILE_PROGRESS_EVERY 65536

/*  xc_auditfile_verify, calling progress (may be NULL) every
    XC_AUDITFILE_PROGRESS_EVERY records and after the last. */
int xc_auditfile_verify_progress (const uint8_t *buf, size_t len,
                                  const xc_trust_t *trust,
                                  xc_auditfile_report_t *report,
                                  xc_progress_fn *progress, void *arg);

/*  Records walked between two meetings of the threads. */
#define XC_AUDITFILE_BATCH 4096

/*  xc_auditfile_verify_progress with the envelope signatures checked on
    `threads` threads (this one and threads - 1 started here; 0: as many
    as the machine has CPUs online).  This thread walks a batch of
    XC_AUDITFILE_BATCH records (chain, hashes, checkpoints), then all
    threads verify the batch's envelopes.  The result is the same as on
    one thread, report included: a batch in which anything fails is
    walked again on this thread alone, which stops at the first bad entry
    with the counts up to it.  Returns as xc_auditfile_verify, or
    XC_ENOMEM when the threads cannot start. */
int xc_auditfile_verify_threads (const uint8_t *buf, size_t len,
                                 const xc_trust_t *trust,
                                 xc_auditfile_report_t *report,
                                 unsigned threads, xc_progress_fn *progress,
                                 void *arg);

/*  One full entry of an export, for listings. */
typedef struct {
    uint64_t seq;
    xc_auditentry_t e;
} xc_auditfile_item_t;

typedef int (xc_auditfile_each_fn) (const xc_auditfile_item_t *item,
                                    void *arg);

/*  Calls fn with each full entry of an export that xc_auditfile_verify
    accepted, in order (entries by hash only are skipped); a non-zero
    return of fn stops the walk with it.  Returns 0, fn's code, or
    XC_EMALFORMED for a file that does not parse. */
int xc_auditfile_each (const uint8_t *buf, size_t len,
                       xc_auditfile_each_fn *fn, void *arg);

/*  Whether an entry's actor matches: terminal (NULL: any) and township
    (NULL: any); with both NULL, any entry that has an actor. */
int xc_auditfile_actor_is (const xc_auditentry_t *e, const char *terminal,
                           const char *township);

#endif
