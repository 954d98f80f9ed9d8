/*  audit_seal.c - computing and appending signed audit checkpoints. */
#include "decide/audit_seal.h"

#include <stdio.h>
#include <string.h>

#include <xiecha/checkpoint.h>
#include <xiecha/date.h>
#include <xiecha/error.h>

#include "node/log.h"
#include "store/audit.h"

/*  True when the last of n entries is a checkpoint: nothing to cover. */
static int
s_last_is_checkpoint (xc_store_t *store, MDB_txn *txn, uint64_t n)
{
    xc_audit_entry_t e;
    return n > 0 && xc_audit_get (store, txn, n, &e) == 0
           && e.kind == XC_AUDIT_CHECKPOINT;
}

int
xc_audit_seal_append (xc_node_t *node, MDB_txn *txn, uint64_t now,
                      int only_if_grown, int *appended)
{
    if (appended)
        *appended = 0;
    xc_checkpoint_t cp = {.time_ms = now};
    int rc = xc_audit_root (node->store, txn, &cp.tree_size, cp.root);
    if (rc != 0)
        return rc;
    uint64_t n = cp.tree_size;
    if (only_if_grown && (n == 0 || s_last_is_checkpoint (node->store, txn, n)))
        return 0;
    snprintf (cp.node, sizeof cp.node, "%s", node->config.code);
    const xc_signer_t *s = xc_node_signer (node);
    snprintf (cp.key_id, sizeof cp.key_id, "%s", s->id);
    uint8_t data[XC_CHECKPOINT_LEN];
    rc = xc_checkpoint_sign (&cp, s->key, data);
    if (rc != 0)
        return rc == XC_EINVAL ? XC_EKEY : rc;
    rc = xc_audit_append (node->store, txn, XC_AUDIT_CHECKPOINT, NULL, now,
                          NULL, data, sizeof data, NULL);
    if (rc == 0 && appended)
        *appended = 1;
    if (rc == 0)
        xc_log_event (XC_LOG_INFO, "checkpoint",
                      XC_KV ("key", cp.key_id), "audit checkpoint over %llu "
                      "entries signed", (unsigned long long) n);
    return rc;
}

int
xc_audit_seal_export (xc_node_t *node, MDB_txn *txn, uint64_t now,
                      uint64_t to, uint64_t *total)
{
    uint64_t n, sealed;
    uint8_t head[32];
    int rc = xc_audit_head (node->store, txn, &n, head);
    if (rc == 0)
        rc = xc_audit_sealed (node->store, txn, &sealed);
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    uint64_t last = to == 0 || to > n ? n : to;
    if (sealed > 0 && sealed >= last) {
        *total = sealed;
        return 0;
    }
    //  Entries of the range after the last checkpoint: the log's last
    //  entry is no checkpoint then, so this always appends.
    rc = xc_audit_seal_append (node, txn, now, 0, NULL);
    if (rc == 0)
        *total = n + 1;
    return rc;
}

int
xc_audit_seal_tick (MDB_txn *txn, void *arg)
{
    return xc_audit_seal_append (arg, txn, xc_now_ms (), 1, NULL);
}

int
xc_audit_seal_final (MDB_txn *txn, void *arg)
{
    return xc_audit_seal_append (arg, txn, xc_now_ms (), 0, NULL);
}
