/*  outbox.c - notices waiting for their ack, in LMDB. */
#include <stdlib.h>
#include <string.h>

#include "store/outbox.h"
#include "xiecha/bytes.h"
#include "xiecha/error.h"

#define S_FIXED 28   /* bytes before the envelope */

int
xc_outbox_put (xc_store_t *store, MDB_txn *txn, const xc_outbox_item_t *item)
{
    size_t note_len = strnlen (item->note, sizeof item->note - 1);
    MDB_val key = {16, (void *) item->id};
    MDB_val val = {S_FIXED + item->env_len + note_len, NULL};
    /* MDB_RESERVE: LMDB hands us the space, saving one copy of the
       envelope. */
    int rc = mdb_put (txn, xc_store_dbi (store, XC_DB_OUTBOX), &key, &val,
                      MDB_RESERVE);
    if (rc)
        return xc_store_rc (rc);
    uint8_t *p = val.mv_data;
    memset (p, 0, S_FIXED);
    p[0] = 1;
    p[1] = item->kind;
    p[2] = item->state;
    memcpy (p + 4, item->home, 6);
    xc_put_u64 (p + 12, item->created_at);
    xc_put_u32 (p + 20, (uint32_t) item->env_len);
    if (item->env_len)   /* a cleared item's env is NULL */
        memcpy (p + S_FIXED, item->env, item->env_len);
    memcpy (p + S_FIXED + item->env_len, item->note, note_len);
    return 0;
}

/*  Decodes a value; env points into it (valid during the txn). */
static int
s_decode (const MDB_val *key, const MDB_val *val, xc_outbox_item_t *item)
{
    const uint8_t *p = val->mv_data;
    memset (item, 0, sizeof *item);
    if (key->mv_size != 16 || val->mv_size < S_FIXED || p[0] != 1)
        return XC_EMALFORMED;
    size_t env_len = xc_get_u32 (p + 20);
    if (S_FIXED + env_len > val->mv_size)
        return XC_EMALFORMED;
    memcpy (item->id, key->mv_data, 16);
    item->kind = p[1];
    item->state = p[2];
    memcpy (item->home, p + 4, 6);
    item->created_at = xc_get_u64 (p + 12);
    item->env = (uint8_t *) p + S_FIXED;
    item->env_len = env_len;
    size_t note_len = val->mv_size - S_FIXED - env_len;
    if (note_len >= sizeof item->note)
        note_len = sizeof item->note - 1;
    memcpy (item->note, p + S_FIXED + env_len, note_len);
    return 0;
}

int
xc_outbox_get (xc_store_t *store, MDB_txn *txn, const uint8_t id[16],
               xc_outbox_item_t *item)
{
    MDB_val key = {16, (void *) id}, val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_OUTBOX), &key, &val);
    if (rc)
        return xc_store_rc (rc);
    rc = s_decode (&key, &val, item);
    if (rc)
        return rc;
    uint8_t *copy = malloc (item->env_len ? item->env_len : 1);
    if (!copy)
        return XC_ENOMEM;
    memcpy (copy, item->env, item->env_len);
    item->env = copy;
    return 0;
}

int
xc_outbox_del (xc_store_t *store, MDB_txn *txn, const uint8_t id[16])
{
    MDB_val key = {16, (void *) id};
    return xc_store_rc (mdb_del (txn, xc_store_dbi (store, XC_DB_OUTBOX), &key,
                                 NULL));
}

int
xc_outbox_each (xc_store_t *store, MDB_txn *txn, xc_outbox_fn *fn, void *arg)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_OUTBOX), &cur);
    if (rc)
        return xc_store_rc (rc);
    MDB_val key, val;
    int op = MDB_FIRST;
    rc = 0;
    while (rc == 0 && mdb_cursor_get (cur, &key, &val, op) == 0) {
        op = MDB_NEXT;
        xc_outbox_item_t item;
        rc = s_decode (&key, &val, &item);
        if (rc == 0)
            rc = fn (&item, arg);
    }
    mdb_cursor_close (cur);
    return rc;
}

void
xc_outbox_item_free (xc_outbox_item_t *item)
{
    free (item->env);
    item->env = NULL;
    item->env_len = 0;
}
