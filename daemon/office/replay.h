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
    uint64_t differences;       /* records that differ (all of them) */
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
