/*  seen.h - message ids already handled, and what was answered.

    The key is the sender code plus the message id, so ids are scoped by
    sender.  The value holds SHA-256 of the signed bytes first seen under
    that key and the answer envelope sent back, so a retry of the very same
    message gets the very same answer, byte for byte, while the same id with
    other content is a replay and is refused.  Stored in the same write
    transaction as the audit entry of the answer. */
#ifndef XIECHAD_SEEN_H
#define XIECHAD_SEEN_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/*  Looks up (sender, msg_id).  Returns XC_ENOTFOUND when never seen; 0
    with digest filled and *answer a malloc'd copy of the stored answer
    (caller frees; *answer_len may be 0). */
int xc_seen_get (xc_store_t *store, MDB_txn *txn, const char *sender,
                 const uint8_t msg_id[16], uint8_t digest[32],
                 uint8_t **answer, size_t *answer_len);

/*  Records (sender, msg_id) with the digest of its signed bytes and the
    answer sent.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_seen_put (xc_store_t *store, MDB_txn *txn, const char *sender,
                 const uint8_t msg_id[16], const uint8_t digest[32],
                 const uint8_t *answer, size_t answer_len);

#endif
