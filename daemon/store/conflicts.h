/*  conflicts.h - the same person paid the same program by two nodes in
    overlapping periods: what the registration node found (its roster
    against another node's notice) and what the other payer was told.

    Both nodes keep the same record, so `xiecha conflicts` says the same
    on each side; a resolved conflict stays, with the date one side's
    termination ended it.  The rules that find and resolve conflicts are
    decide/conflicts.h's.

    Key (49 bytes): ref32 program8 registration[6] other[6] found32, so
    the conflicts of one person and program are one key range, and a
    pair that conflicts again after a resolution is a new record.
    Value: u32 roster_since, roster_until, other_since, other_until,
    resolved (big-endian). */
#ifndef XIECHAD_CONFLICTS_H
#define XIECHAD_CONFLICTS_H

#include <lmdb.h>
#include <stdint.h>

#include "store/store.h"
#include "xiecha/crypto.h"

typedef struct {
    uint8_t ref[XC_REF_LEN];  /* the person */
    uint8_t program;          /* XIECHA__PROGRAM__* */
    char registration[7];     /* the node whose roster pays */
    char other[7];            /* the node whose notice pays */
    uint32_t found;           /* YYYYMMDD the registration node found it */
    uint32_t roster_since, roster_until;   /* its enrollment (0: open) */
    uint32_t other_since, other_until;     /* the other's (0: open) */
    uint32_t resolved;        /* YYYYMMDD it ended; 0 while open */
} xc_conflict_t;

/*  Stores c, replacing the record of the same key.  Returns 0, XC_EFULL
    or XC_ESTORE. */
int xc_conflicts_put (xc_store_t *store, MDB_txn *txn,
                      const xc_conflict_t *c);

/*  Calls fn for every conflict of ref and program (both NULL/0: every
    conflict) in key order; stops at fn's first non-zero return and
    passes it on.  The record is a copy, valid during the call.  Returns
    0, fn's return or XC_ESTORE. */
typedef int (xc_conflict_fn) (const xc_conflict_t *c, void *arg);
int xc_conflicts_each (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                       int program, xc_conflict_fn *fn, void *arg);

/*  The conflict of ref and program between registration and other's
    enrollment that began on other_since (one conflict per enrollment of
    the other payer, open or resolved), into *out.  Returns 0,
    XC_ENOTFOUND or XC_ESTORE. */
int xc_conflicts_find (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                       int program, const char *registration,
                       const char *other, uint32_t other_since,
                       xc_conflict_t *out);

/*  Conflicts not yet resolved, over the whole table: O(conflicts). */
int xc_conflicts_count_open (xc_store_t *store, MDB_txn *txn,
                             uint64_t *count);

#endif
