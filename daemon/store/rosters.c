/*  rosters.c - per program snapshot dates; see rosters.h. */
#include "store/rosters.h"

#include <string.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>

#define S_VALUE 8   /* u32 as_of, u32 applying */

int
xc_rosters_get (xc_store_t *store, MDB_txn *txn, int program,
                xc_roster_date_t *out)
{
    memset (out, 0, sizeof *out);
    out->program = (uint8_t) program;
    if (!xc_store_has (store, XC_DB_ROSTERS))
        return 0;   /* a read-only store from before rosters: none */
    uint8_t k = (uint8_t) program;
    MDB_val key = {1, &k}, val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_ROSTERS), &key, &val);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc != MDB_SUCCESS || val.mv_size != S_VALUE)
        return XC_ESTORE;
    out->as_of = xc_get_u32 (val.mv_data);
    out->applying = xc_get_u32 ((const uint8_t *) val.mv_data + 4);
    return 0;
}

int
xc_rosters_put (xc_store_t *store, MDB_txn *txn, const xc_roster_date_t *d)
{
    uint8_t k = d->program, v[S_VALUE];
    xc_put_u32 (v, d->as_of);
    xc_put_u32 (v + 4, d->applying);
    MDB_val key = {1, &k}, val = {S_VALUE, v};
    return xc_store_rc (
        mdb_put (txn, xc_store_dbi (store, XC_DB_ROSTERS), &key, &val, 0));
}
