/*  conflicts.h - two payers of one program to one person in overlapping
    periods: found, surfaced and resolved, never hidden.

    Only the registration node can see both payers: its own roster
    (decide/roster.h) and the enrollment notices other nodes sent it
    (decide/notices.h).  When the two overlap, it records the conflict
    and tells the other payer with a signed CONFLICT notice, delivered
    store-and-forward like every notice; the other payer records what it
    was told (xc_notice_apply).  When one side's enrollment ends (the
    other's termination notice arrives, or this node's roster closes its
    own), the conflict is resolved on that date and the other payer is
    told again.  Every record is made through the CONFLICT notice itself
    (decide/apply.h, xc_apply_conflict), so the audit replay rebuilds
    the same table.

    Periods, not days: an enrollment is since..until (until 0: open),
    and two overlap when neither ends before the other begins. */
#ifndef XIECHAD_DECIDE_CONFLICTS_H
#define XIECHAD_DECIDE_CONFLICTS_H

#include <lmdb.h>
#include <stdint.h>

#include "node/node.h"
#include "store/index.h"

/*  1 when since_a..until_a and since_b..until_b share a day (until 0:
    open), else 0. */
int xc_period_overlap (uint32_t since_a, uint32_t until_a, uint32_t since_b,
                       uint32_t until_b);

/*  This node's roster pays ref `program` since..until; list[n] is the
    person's record.  Every other node's notice enrollment of the program
    that overlaps it and has no conflict yet becomes one: recorded, told
    to that node, audited.  *found counts them (may be NULL).  Returns 0
    or a store error. */
int xc_conflicts_roster (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                         int program, uint32_t since, uint32_t until,
                         const xc_enrollment_t *list, size_t n, uint64_t now,
                         uint64_t *found);

/*  other's enrollment notice of ref `program` from since was applied
    here; list[n] is the record before it.  Every roster enrollment of
    this node it overlaps becomes a conflict as above.  Returns 0 or a
    store error. */
int xc_conflicts_notice (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                         int program, const char *other, uint32_t since,
                         const xc_enrollment_t *list, size_t n, uint64_t now);

/*  One side's enrollment of ref `program` ended on date: other's (its
    termination), or, with other NULL, this node's roster enrollment.
    The open conflicts it was part of are resolved on date, each told to
    its other payer.  Returns 0 or a store error. */
int xc_conflicts_resolve (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                          int program, const char *other, uint32_t date,
                          uint64_t now);

#endif
