/*  rosters.h - per program, the date of this node's last roster snapshot.

    A certificate is only as true as the roster behind it: the node keeps,
    for each program, the as-of date of the last full snapshot it imported
    (xiecha import --as-of), so that every certificate can carry it and
    the node can refuse to certify NOT_RECEIVING from a roster that is
    missing or too old (decide/roster.h).  While a snapshot is applied
    (in slices, decide/roster.h) its date is kept as `applying`; a node
    that stopped half-way finds it there at start.

    Record: key = program (1 byte); value = u32 as_of, u32 applying
    (big-endian).  A program never imported has no record. */
#ifndef XIECHAD_ROSTERS_H
#define XIECHAD_ROSTERS_H

#include <lmdb.h>
#include <stdint.h>

#include "store/store.h"

typedef struct {
    uint8_t program;     /* XIECHA__PROGRAM__* */
    uint32_t as_of;      /* YYYYMMDD of the last complete snapshot; 0 none */
    uint32_t applying;   /* YYYYMMDD of a snapshot begun and not finished
                            (being applied, or interrupted); 0 none */
} xc_roster_date_t;

/*  Reads program's record into *out (zeros but the program when there is
    none).  Returns 0 or XC_ESTORE (also for a record of another size). */
int xc_rosters_get (xc_store_t *store, MDB_txn *txn, int program,
                    xc_roster_date_t *out);

/*  Writes d.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_rosters_put (xc_store_t *store, MDB_txn *txn,
                    const xc_roster_date_t *d);

#endif
