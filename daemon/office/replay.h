/*  replay.h - rebuilds the subject index from the audit log alone and
    compares it with the live index.

    The log holds everything that ever changed the index:
      - IMPORT entries: packed rows (ref32 program8 since32 until32), paid
        by this node (roster.c);
      - RECEIVED entries noted "... applied": a notice envelope applied at
        this node as the registration place (notices.c, xc_notice_apply);
      - SENT entries holding a notice this node sealed: the residence
        side's own index change when the notice was queued;
      - RECEIVED entries noted "notice refused by the registration node"
        with a terminal error: the undo of that queued notice.
    They are re-applied in log order into a scratch LMDB environment
    (mkdtemp under the data directory, removed afterwards), then both
    indexes are walked side by side. */
#ifndef XIECHAD_REPLAY_H
#define XIECHAD_REPLAY_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

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
    uint64_t differences;       /* subjects that differ (all of them) */
    size_t n_diffs;             /* the first XC_REPLAY_MAX_DIFFS */
    xc_replay_diff_t diffs[XC_REPLAY_MAX_DIFFS];
} xc_replay_report_t;

/*  Replays the log of live (read through txn, which stays open) into a
    scratch environment created under scratch_parent and compares.  code is
    this node's division code (the payer of imported rows and queued
    notices).  Fills *report (zeroed first).  Returns 0 (whether or not
    the indexes match), XC_ENOMEM, XC_EMALFORMED (an entry that should
    hold a notice does not) or XC_ESTORE, with why. */
int xc_replay (xc_store_t *live, MDB_txn *txn, const char *code,
               const char *scratch_parent, xc_replay_report_t *report,
               char *why, size_t why_len);

/*  Enrollments as text: "DIBAO 20240101-open 469021; ...". */
void xc_replay_describe (const uint8_t *value, size_t len, char *out,
                         size_t out_len);

#endif
