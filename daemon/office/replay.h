/*  replay.h - rebuilds the subject index, the roster dates and the
    conflicts from the audit log alone and compares them with the live
    ones.

    The log holds everything that ever changed them (decide/apply.h):
      - IMPORT entries: roster changes paid by this node, with the
        snapshot dates (roster.c), or in older logs packed rows;
      - RECEIVED entries noted "... applied": a notice envelope applied at
        this node as the registration place (notices.c, xc_notice_apply);
      - SENT entries holding a notice this node sealed: the residence
        side's own index change when the notice was queued;
      - RECEIVED entries noted "notice refused by the registration node"
        with a terminal error: the undo of that queued notice;
      - CONFLICT notices sent (found here) or applied (told here).
    They are re-applied in log order into a scratch LMDB environment
    (mkdtemp under the data directory, removed afterwards), then each
    database is walked side by side with the live one; a difference is
    reported under the subject ref its key begins with (a roster date's:
    zeros and the program). */
#ifndef XIECHAD_REPLAY_H
#define XIECHAD_REPLAY_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/audit.h"
#include "store/store.h"

#define XC_REPLAY_MAX_DIFFS 100

typedef struct {
    uint8_t ref[32];
    char live[512];       /* enrollments as text, "" when absent */
    char rebuilt[512];
} xc_replay_diff_t;

typedef struct {
    uint64_t entries;           /* audit entries read */
    uint64_t replayed;          /* of which changed the rebuilt index */
    uint64_t live_subjects;
    uint64_t rebuilt_subjects;
    uint64_t differences;       /* records that differ (all of them) */
    size_t n_diffs;             /* the first XC_REPLAY_MAX_DIFFS */
    xc_replay_diff_t diffs[XC_REPLAY_MAX_DIFFS];
} xc_replay_report_t;

/*  Replays the log of live (read through txn, which stays open) into a
    scratch environment created under scratch_parent and compares.  code is
    this node's division code (the payer of imported rows and queued
    notices).  Fills *report (zeroed first).  Returns 0 (whether or not
    the indexes match), XC_ENOMEM, XC_EMALFORMED (an entry that should
    hold a notice does not) or XC_ESTORE, with why.  Holds txn for the
    whole log and index: the request `xiecha audit replay`.  The scrub
    (scrub.h) goes step by step with the functions below instead. */
int xc_replay (xc_store_t *live, MDB_txn *txn, const char *code,
               const char *scratch_parent, xc_replay_report_t *report,
               char *why, size_t why_len);

/* ---- step by step ------------------------------------------------------- */

#define XC_REPLAY_KEY_MAX 64   /* index keys are 32-byte subject refs */

typedef struct _xc_replay_t xc_replay_t;

/*  A rebuild for node code in a new scratch environment under
    scratch_parent.  Opened by the thread that will write it.  Returns
    NULL with why. */
xc_replay_t *xc_replay_new (const char *code, const char *scratch_parent,
                            char *why, size_t why_len);

/*  Removes the scratch environment, frees, sets *self_p to NULL;
    harmless twice. */
void xc_replay_destroy (xc_replay_t **self_p);

/*  The scratch store, whose write transactions take the entries. */
xc_store_t *xc_replay_scratch (xc_replay_t *self);

/*  Re-applies entry e of live's log, read in txn (where an earlier
    notice it undoes is read too), to the rebuilt index inside stxn, a
    write transaction of the scratch store.  Entries must come in log
    order, each once.  Returns 0, XC_ENOMEM, XC_EMALFORMED or a store
    error, with why. */
int xc_replay_entry (xc_replay_t *self, MDB_txn *stxn, xc_store_t *live,
                     MDB_txn *txn, const xc_audit_entry_t *e, char *why,
                     size_t why_len);

/*  What the replay holds in memory, so that a scratch write that runs
    again (its map grew) can start again from the same point. */
typedef struct {
    size_t n_queued;
    uint64_t entries, replayed;
} xc_replay_mark_t;
xc_replay_mark_t xc_replay_mark (const xc_replay_t *self);
void xc_replay_rewind (xc_replay_t *self, xc_replay_mark_t mark);

/*  Compares live's index, then its roster dates, then its conflicts
    (read in txn) with the rebuilt ones, in key order, from where the
    last call stopped (the first key at the first call), for at most max
    keys (0: to the end), counting into the report.  The rebuilt index must then hold every entry of the log as
    txn sees it, so the part compared is compared at one moment.  *done
    when both indexes are through.  Returns 0 or XC_ESTORE. */
int xc_replay_compare (xc_replay_t *self, xc_store_t *live, MDB_txn *txn,
                       uint64_t max, bool *done);

/*  The counts so far. */
const xc_replay_report_t *xc_replay_report (const xc_replay_t *self);

/*  Enrollments as text: "DIBAO 20240101-open 469021; ...". */
void xc_replay_describe (const uint8_t *value, size_t len, char *out,
                         size_t out_len);

#endif
