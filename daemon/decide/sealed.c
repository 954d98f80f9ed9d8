/*  sealed.c - sealed answers and queued notices; see sealed.h. */
#include <string.h>

#include "decide/sealed.h"
#include "store/audit.h"
#include "store/seen.h"

int
xc_sealed_id (const uint8_t *env, size_t len, uint8_t id[XC_MSGID_LEN],
            uint8_t digest[XC_HASH_LEN])
{
    xc_opened_t op = {0};
    int rc = xc_envelope_open (env, len, &op, NULL, 0);
    if (rc == 0) {
        memcpy (id, op.msg->header->msg_id.data, XC_MSGID_LEN);
        if (digest)
            memcpy (digest, op.digest, XC_HASH_LEN);
    }
    xc_opened_free (&op);
    return rc ? XC_EINTERNAL : 0;
}

int
xc_sealed_queue (xc_node_t *node, MDB_txn *txn, xc_outbox_item_t *item,
               const char *home, int kind, uint64_t now, const char *note)
{
    int rc = xc_sealed_id (item->env, item->env_len, item->id, NULL);
    if (rc)
        return rc;
    snprintf (item->home, sizeof item->home, "%s", home);
    item->kind = (uint8_t) kind;
    item->state = XC_OUTBOX_PENDING;
    item->created_at = now;
    rc = xc_outbox_put (node->store, txn, item);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, home, now,
                              note, item->env, item->env_len, NULL);
    return rc;
}

int
xc_sealed_answer (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op,
                Xiecha__Signed *msg, Xiecha__MsgType type, const char *note,
                uint64_t now, uint8_t **reply, size_t *reply_len)
{
    const Xiecha__Header *h = op->msg->header;
    int rc = xc_node_seal (node, msg, type, h->sender, &h->msg_id, now,
                           reply, reply_len);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, h->sender, now,
                              note, *reply, *reply_len, NULL);
    if (rc == 0)
        rc = xc_seen_put (node->store, txn, h->sender, h->msg_id.data,
                          op->digest, *reply, *reply_len);
    return rc;
}

int
xc_sealed_error (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op,
               int code, const char *why, uint64_t now, uint8_t **reply,
               size_t *reply_len)
{
    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = xc_errcode_from_xc (code);
    err.message = (char *) why;
    err.request_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                                (uint8_t *) op->digest};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    msg.error = &err;
    return xc_sealed_answer (node, txn, op, &msg, XIECHA__MSG_TYPE__MSG_ERROR,
                           "error", now, reply, reply_len);
}
