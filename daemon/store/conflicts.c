/*  conflicts.c - conflict records; see conflicts.h. */
#include "store/conflicts.h"

#include <string.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>

#define S_KEY (XC_REF_LEN + 1 + 6 + 6 + 4)   /* 49 */
#define S_PREFIX (XC_REF_LEN + 1)            /* one person and program */
#define S_VALUE 20

static void
s_key (const xc_conflict_t *c, uint8_t k[S_KEY])
{
    memset (k, 0, S_KEY);
    memcpy (k, c->ref, XC_REF_LEN);
    k[XC_REF_LEN] = c->program;
    memcpy (k + S_PREFIX, c->registration, strnlen (c->registration, 6));
    memcpy (k + S_PREFIX + 6, c->other, strnlen (c->other, 6));
    xc_put_u32 (k + S_PREFIX + 12, c->found);
}

/*  The record of a key and value; 0, or XC_ESTORE for a record that is
    not ours. */
static int
s_unpack (const MDB_val *key, const MDB_val *val, xc_conflict_t *c)
{
    if (key->mv_size != S_KEY || val->mv_size != S_VALUE)
        return XC_ESTORE;
    const uint8_t *k = key->mv_data, *v = val->mv_data;
    memset (c, 0, sizeof *c);
    memcpy (c->ref, k, XC_REF_LEN);
    c->program = k[XC_REF_LEN];
    memcpy (c->registration, k + S_PREFIX, 6);
    memcpy (c->other, k + S_PREFIX + 6, 6);
    c->found = xc_get_u32 (k + S_PREFIX + 12);
    c->roster_since = xc_get_u32 (v);
    c->roster_until = xc_get_u32 (v + 4);
    c->other_since = xc_get_u32 (v + 8);
    c->other_until = xc_get_u32 (v + 12);
    c->resolved = xc_get_u32 (v + 16);
    return 0;
}

int
xc_conflicts_put (xc_store_t *store, MDB_txn *txn, const xc_conflict_t *c)
{
    uint8_t k[S_KEY], v[S_VALUE];
    s_key (c, k);
    xc_put_u32 (v, c->roster_since);
    xc_put_u32 (v + 4, c->roster_until);
    xc_put_u32 (v + 8, c->other_since);
    xc_put_u32 (v + 12, c->other_until);
    xc_put_u32 (v + 16, c->resolved);
    MDB_val key = {S_KEY, k}, val = {S_VALUE, v};
    return xc_store_rc (
        mdb_put (txn, xc_store_dbi (store, XC_DB_CONFLICTS), &key, &val, 0));
}

int
xc_conflicts_each (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                   int program, xc_conflict_fn *fn, void *arg)
{
    if (!xc_store_has (store, XC_DB_CONFLICTS))
        return 0;
    MDB_cursor *cur = NULL;
    if (mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_CONFLICTS), &cur))
        return XC_ESTORE;
    uint8_t prefix[S_PREFIX];
    MDB_val key = {0, NULL}, val;
    int op = MDB_FIRST;
    if (ref) {
        memcpy (prefix, ref, XC_REF_LEN);
        prefix[XC_REF_LEN] = (uint8_t) program;
        key = (MDB_val) {S_PREFIX, prefix};
        op = MDB_SET_RANGE;
    }
    int rc = 0, mrc;
    while (rc == 0 && (mrc = mdb_cursor_get (cur, &key, &val, op)) == 0) {
        op = MDB_NEXT;
        if (ref && (key.mv_size < S_PREFIX
                    || memcmp (key.mv_data, prefix, S_PREFIX) != 0))
            break;
        xc_conflict_t c;
        rc = s_unpack (&key, &val, &c);
        if (rc == 0)
            rc = fn (&c, arg);
    }
    if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
        rc = XC_ESTORE;
    mdb_cursor_close (cur);
    return rc;
}

typedef struct {
    const char *registration, *other;
    uint32_t other_since;
    xc_conflict_t *out;
} s_find_t;

static int
s_find_one (const xc_conflict_t *c, void *arg)
{
    s_find_t *f = arg;
    if (c->other_since != f->other_since
        || strcmp (c->registration, f->registration) != 0
        || strcmp (c->other, f->other) != 0)
        return 0;
    *f->out = *c;
    return 1;
}

int
xc_conflicts_find (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                   int program, const char *registration, const char *other,
                   uint32_t other_since, xc_conflict_t *out)
{
    s_find_t f = {registration, other, other_since, out};
    int rc = xc_conflicts_each (store, txn, ref, program, s_find_one, &f);
    return rc == 1 ? 0 : rc ? rc : XC_ENOTFOUND;
}

static int
s_count_open (const xc_conflict_t *c, void *arg)
{
    *(uint64_t *) arg += c->resolved == 0;
    return 0;
}

int
xc_conflicts_count_open (xc_store_t *store, MDB_txn *txn, uint64_t *count)
{
    *count = 0;
    return xc_conflicts_each (store, txn, NULL, 0, s_count_open, count);
}
