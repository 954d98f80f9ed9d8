/*  apply.h - how each recorded decision changes the subject index: the
    one home of those rules, used by the live decisions (notices.c,
    roster.c) and by the audit replay (office/replay.c), which rebuilds
    the index from the log alone.  A change here is a change to both,
    which is the point.

    What in the audit log changed the index, and how it is told:
      - IMPORT entries: roster changes (below), paid by this node; in
        logs from before snapshots, packed rows (XC_APPLY_ROW_BYTES
        each) added as they were;
      - RECEIVED entries whose note ends XC_APPLY_NOTE_APPLIED: a notice
        applied here as the registration place;
      - SENT entries holding a notice this node sealed: the residence
        side's own change when it queued the notice;
      - RECEIVED entries noted XC_APPLY_NOTE_REJECTED with an error that
        is final (xc_errcode_final, xiecha/error.h): the undo of that
        queued notice.
    Conflicts (store/conflicts.h) are told by CONFLICT notices: a SENT
    one this node sealed (it found the conflict) or a RECEIVED one noted
    applied (it was told); roster dates (store/rosters.h) by the flags
    of roster change entries.

    A roster change entry (IMPORT, data):
        "XCR1"  u8 mode  u8 flags  u8 programs  u8 0  u32 as_of  u32 n
        n x (ref32 program8 old_since32 since32 until32)
    Each change sets this node's roster enrollment of ref and program
    that began on old_since (or, with old_since 0, the one that begins
    on since, else a new one) to since..until.  flags BEGIN marks the
    snapshot's programs (bit 1 << program) as being applied at as_of;
    FINISH makes as_of their roster date and clears the mark. */
#ifndef XIECHAD_APPLY_H
#define XIECHAD_APPLY_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/index.h"
#include "xiecha/xiecha.h"

/*  A roster row in logs from before snapshots: ref32 program8 since32
    until32. */
#define XC_APPLY_ROW_BYTES (XC_REF_LEN + 9)

/*  Roster change entries (above). */
#define XC_APPLY_ROSTER_HEAD 16
#define XC_APPLY_CHANGE_BYTES (XC_REF_LEN + 13)

typedef enum {
    XC_ROSTER_SNAPSHOT = 1,   /* xiecha import (a full snapshot) */
    XC_ROSTER_DELTA = 2,      /* xiecha import --delta */
    XC_ROSTER_CLOSE = 3       /* xiecha roster close */
} xc_roster_mode_t;

enum {
    XC_ROSTER_BEGIN = 1,      /* the snapshot's programs: applying as_of */
    XC_ROSTER_FINISH = 2      /* ... now their roster date */
};

/*  The header of a roster change entry. */
typedef struct {
    uint8_t mode;             /* xc_roster_mode_t */
    uint8_t flags;            /* XC_ROSTER_BEGIN | XC_ROSTER_FINISH */
    uint8_t programs;         /* bit 1 << program */
    uint32_t as_of;           /* YYYYMMDD */
    uint32_t count;           /* changes that follow */
} xc_roster_head_t;

#define XC_APPLY_NOTE_APPLIED " applied"
#define XC_APPLY_NOTE_REJECTED "notice refused by the registration node"

/*  The index entry notice n creates for payer (for a TERMINATION, the
    one it looks for): an emergency grant is a one-off on its day. */
xc_enrollment_t xc_apply_entry (const Xiecha__Notice *n, const char *payer);

/*  The open enrollment of program paid by payer after a notice (a
    roster's are the roster's to end) that began by end, if any.
    Returns 0 with *found, XC_ENOTFOUND or a store error. */
int xc_apply_find_open (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                        int program, const char *payer, uint32_t end,
                        xc_enrollment_t *found);

/*  Applies notice n paid by payer: an ENROLLMENT or EMERGENCY_AID adds
    its entry for every subject; a TERMINATION closes the open one (a
    subject with none is skipped: the live paths refuse such a notice
    before writing); a CONFLICT changes no index (xc_apply_conflict).
    Returns 0 or an index/store error. */
int xc_apply_notice (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                     const char *payer);

/*  Undoes xc_apply_notice of a notice payer queued and the registration
    node finally refused: added entries go, a closed one reopens. */
int xc_apply_undo (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                   const char *payer);

/*  Applies len bytes of packed rows (logs from before snapshots) paid
    by payer.  Returns 0, XC_EMALFORMED (not whole rows) or an
    index/store error. */
int xc_apply_rows (xc_store_t *store, MDB_txn *txn, const uint8_t *rows,
                   size_t len, const char *payer);

/*  Packs a roster change entry's header into p[XC_APPLY_ROSTER_HEAD],
    and one change into p[XC_APPLY_CHANGE_BYTES]. */
void xc_apply_head_pack (uint8_t *p, const xc_roster_head_t *h);
void xc_apply_change_pack (uint8_t *p, const uint8_t *ref, uint8_t program,
                           uint32_t old_since, uint32_t since,
                           uint32_t until);

/*  1 when data is a roster change entry (tag, and a length that fits
    its count), else 0 (a log from before snapshots). */
int xc_apply_is_roster (const uint8_t *data, size_t len);

/*  Applies a roster change entry of payer: every change, then the
    flags' roster dates.  Returns 0, XC_EMALFORMED or an index/store
    error (XC_ETOOBIG: a change found the record full; the live path
    never logs one). */
int xc_apply_roster (xc_store_t *store, MDB_txn *txn, const uint8_t *data,
                     size_t len, const char *payer);

/*  One change of payer's roster enrollment (as in an entry) applied to
    list[*n] in memory: what xc_apply_roster does to each record, for
    the live path to see the result before it writes.  Returns 0 or
    XC_ETOOBIG. */
int xc_apply_change (xc_enrollment_t *list, size_t *n, uint8_t program,
                     uint32_t old_since, uint32_t since, uint32_t until,
                     const char *payer);

/*  Applies a notice as sealed by its sender (msg's header): a CONFLICT
    records the conflict between sender and recipient, any other kind is
    xc_apply_notice paid by the sender.  The replay's way in. */
int xc_apply_message (xc_store_t *store, MDB_txn *txn,
                      const Xiecha__Signed *msg);

/*  Records the conflict CONFLICT notice n tells, found by registration
    with other (the notice's sender and recipient).  Returns 0,
    XC_EMALFORMED (no conflict in it) or a store error. */
int xc_apply_conflict (xc_store_t *store, MDB_txn *txn,
                       const Xiecha__Notice *n, const char *registration,
                       const char *other);

#endif
