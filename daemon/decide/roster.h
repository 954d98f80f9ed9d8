/*  roster.h - a roster import, staged in memory and committed whole.

    The client sends the rows of one file in chunks; each row is checked
    and hashed as it arrives (the plain ID is dropped at once), and the
    whole import lands in one write transaction at commit, so a file with
    a bad row, or a client that disappears half-way, leaves the index
    exactly as it was. */
#ifndef XIECHAD_ROSTER_H
#define XIECHAD_ROSTER_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "node/node.h"

#define XC_ROSTER_MAX_ROWS 10000000  /* ten million rows per import */

typedef struct _xc_roster_t xc_roster_t;

/*  Creates an empty staged import.  Returns NULL on allocation failure. */
xc_roster_t *xc_roster_new (void);

/*  Frees it and sets *self_p to NULL; harmless twice. */
void xc_roster_destroy (xc_roster_t **self_p);

/*  Checks and stages rows (ID, program, since <= until, dates real).
    Nothing is staged from a chunk with a bad row.  Returns 0, XC_EINVAL
    with why naming the source line and field, or XC_ETOOBIG. */
int xc_roster_stage (xc_roster_t *self, const xc_node_t *node,
                     Xiecha__RosterRow *const *rows, size_t n, char *why,
                     size_t why_len);

/*  Rows staged so far. */
size_t xc_roster_rows (const xc_roster_t *self);

/*  Time of the last stage call (UTC ms), to expire abandoned imports. */
uint64_t xc_roster_touched (const xc_roster_t *self);

/*  Writes every staged row into the index, with audit entries holding the
    rows (subject refs only) so the index can be rebuilt from the log.
    Returns 0 or a store error; the caller's transaction decides. */
int xc_roster_commit (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                      uint64_t now);

#endif
