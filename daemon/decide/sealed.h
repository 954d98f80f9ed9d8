/*  sealed.h - what leaves this node sealed, recorded before it leaves.

    An answer to a peer's message is remembered under the message's id
    in the same transaction as its audit entry, so a retry gets these
    very bytes (xc_sealed_answer, xc_sealed_error).  A notice waits in the
    outbox for the recipient's signed ack (store/outbox.h): a terminal's
    enrollment, termination or emergency aid (decide/notices.h), and the
    conflict notices this node sends of its own accord
    (decide/conflicts.h) queue the same way (xc_sealed_queue). */
#ifndef XIECHAD_SEALED_H
#define XIECHAD_SEALED_H

#include <lmdb.h>
#include <stdint.h>

#include "node/node.h"
#include "store/outbox.h"

/*  The id (and, when digest is not NULL, the digest) of a sealed
    envelope, read back from its own bytes.  Returns 0 or XC_EINTERNAL. */
int xc_sealed_id (const uint8_t *env, size_t len, uint8_t id[XC_MSGID_LEN],
                uint8_t digest[XC_HASH_LEN]);

/*  Puts item (its env the sealed notice; its id, home and kind are
    filled here) in the outbox as PENDING for home, with a SENT audit
    entry noted note, in the caller's transaction.  Returns 0 or a store
    error. */
int xc_sealed_queue (xc_node_t *node, MDB_txn *txn, xc_outbox_item_t *item,
                   const char *home, int kind, uint64_t now,
                   const char *note);

/*  Seals msg as the answer (type) to the peer message op, audits it as
    SENT with note and remembers it under op's id.  *reply is the caller's.
    Returns 0 or a store error. */
int xc_sealed_answer (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op,
                    Xiecha__Signed *msg, Xiecha__MsgType type,
                    const char *note, uint64_t now, uint8_t **reply,
                    size_t *reply_len);

/*  xc_sealed_answer of a signed Error: code (an XC_E*, sent as its wire
    code), why, and the digest of op's signed bytes. */
int xc_sealed_error (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op,
                   int code, const char *why, uint64_t now, uint8_t **reply,
                   size_t *reply_len);

#endif
