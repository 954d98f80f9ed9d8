/*  scrub.h - the back office re-verifies the whole store: every link of
    the audit chain, every checkpoint (it covers exactly the entries
    before it, with their Merkle root, and is signed by a key of this
    node), the stored head and range, and the subject index against the
    index the log alone rebuilds (replay.h).  What the start cannot
    afford (node/integrity.h), on a schedule (limits/scrub_interval_s)
    and on demand (`xiecha audit check`).

    It runs on the worker thread (net/worker.h) in steps, each in a read
    transaction of its own over at most XC_SCRUB_STEP entries (and
    XC_SCRUB_STEP_BYTES of them) or subjects, bracketed by xc_store_share_begin/end: the reactor never
    waits longer than a step to grow the map, and the worker answers the
    other back-office requests between steps.  The log only grows, so
    what a step checked stays checked.  The index is compared range by
    range, each once the rebuilt index has caught up with the log as that
    step's transaction sees it, so each range is compared at one moment.

    Progress and the outcome go to node->integrity; the outcome also to
    the log: an error line naming what failed (the alarm), a warning when
    the scrub could not finish (no room for its scratch copy, say). */
#ifndef XIECHAD_SCRUB_H
#define XIECHAD_SCRUB_H

#include <stdbool.h>

#include "node/node.h"

#define XC_SCRUB_STEP 4096     /* entries or subjects per step */
#define XC_SCRUB_STEP_BYTES ((size_t) 8 << 20)  /* entry bytes per step */

typedef struct _xc_scrub_t xc_scrub_t;

/*  Begins the scrub xc_integrity_ask numbered: a scratch store under
    node/data_dir and the trust list read again from trust/list (the
    reactor's may be swapped by a reload meanwhile).  node is borrowed.
    On failure the outcome (an error) is already recorded and NULL
    returned. */
xc_scrub_t *xc_scrub_new (xc_node_t *node);

/*  One step.  Returns true while there is more to do; false once the
    outcome is recorded. */
bool xc_scrub_step (xc_scrub_t *self);

/*  Frees it and its scratch store and sets *self_p to NULL; harmless
    twice.  A scrub destroyed before its end records an error. */
void xc_scrub_destroy (xc_scrub_t **self_p);

#endif
