/*  seen.c - message ids already handled, and what was answered.

    Key: sender code (6 bytes, NUL-padded) + message id (16 bytes).
    Value: SHA-256 of the signed bytes (32) + the answer envelope. */
#include "store/seen.h"

#include <stdlib.h>
#include <string.h>

#include <xiecha/crypto.h>
#include <xiecha/error.h>

#define XC_SEEN_SENDER 6
#define XC_SEEN_KEY (XC_SEEN_SENDER + XC_MSGID_LEN)

static void
s_key (const char *sender, const uint8_t msg_id[16], uint8_t key[XC_SEEN_KEY])
{
    memset (key, 0, XC_SEEN_SENDER);
    memcpy (key, sender, strnlen (sender, XC_SEEN_SENDER));
    memcpy (key + XC_SEEN_SENDER, msg_id, XC_MSGID_LEN);
}

int
xc_seen_get (xc_store_t *store, MDB_txn *txn, const char *sender,
             const uint8_t msg_id[16], uint8_t digest[32], uint8_t **answer,
             size_t *answer_len)
{
    *answer = NULL;
    *answer_len = 0;
    uint8_t kbuf[XC_SEEN_KEY];
    s_key (sender, msg_id, kbuf);
    MDB_val key = { sizeof kbuf, kbuf }, val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_SEEN), &key, &val);
    if (rc != MDB_SUCCESS)
        return xc_store_rc (rc);
    if (val.mv_size < XC_HASH_LEN)
        return XC_ESTORE;
    //  Copy out: val dies with the transaction.
    size_t len = val.mv_size - XC_HASH_LEN;
    uint8_t *copy = NULL;
    if (len) {
        copy = malloc (len);
        if (!copy)
            return XC_ENOMEM;
        memcpy (copy, (const uint8_t *) val.mv_data + XC_HASH_LEN, len);
    }
    memcpy (digest, val.mv_data, XC_HASH_LEN);
    *answer = copy;
    *answer_len = len;
    return 0;
}

int
xc_seen_put (xc_store_t *store, MDB_txn *txn, const char *sender,
             const uint8_t msg_id[16], const uint8_t digest[32],
             const uint8_t *answer, size_t answer_len)
{
    if (answer_len > 0 && !answer)
        return XC_EINVAL;
    uint8_t kbuf[XC_SEEN_KEY];
    s_key (sender, msg_id, kbuf);
    MDB_val key = { sizeof kbuf, kbuf };
    MDB_val val = { XC_HASH_LEN + answer_len, NULL };
    //  MDB_RESERVE: write the value in place rather than joining digest
    //  and answer in a temporary buffer first.
    int rc = mdb_put (txn, xc_store_dbi (store, XC_DB_SEEN), &key, &val,
                      MDB_RESERVE);
    if (rc != MDB_SUCCESS)
        return xc_store_rc (rc);
    memcpy (val.mv_data, digest, XC_HASH_LEN);
    if (answer_len)
        memcpy ((uint8_t *) val.mv_data + XC_HASH_LEN, answer, answer_len);
    return 0;
}
