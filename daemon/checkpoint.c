/*  checkpoint.c - computing and appending signed audit checkpoints. */
#include "checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/checkpoint.h>
#include <xiecha/error.h>
#include <xiecha/id.h>
#include <xiecha/merkle.h>

#include "audit.h"

/*  Reads the hashes of entries 1..n into a fresh array.  O(n) reads and
    hashes, and 32 bytes of memory per entry: acceptable while logs hold
    millions of entries at most; a persisted compact range (RFC 9162
    "frontier") would make each checkpoint O(log n) when that stops being
    true. */
static int
s_leaves (xc_store_t *store, MDB_txn *txn, uint64_t n, uint8_t (**out)[32])
{
    *out = NULL;
    uint8_t (*leaves)[32] = malloc ((size_t) (n ? n : 1) * 32);
    if (!leaves)
        return XC_ENOMEM;
    for (uint64_t i = 0; i < n; i++) {
        xc_audit_entry_t e;
        int rc = xc_audit_get (store, txn, i + 1, &e);
        if (rc != 0) {
            free (leaves);
            return rc == XC_ENOTFOUND || rc == XC_EMALFORMED ? XC_ESTORE
                                                              : rc;
        }
        memcpy (leaves[i], e.hash, 32);
    }
    *out = leaves;
    return 0;
}

/*  True when the last of n entries is a checkpoint: nothing to cover. */
static int
s_last_is_checkpoint (xc_store_t *store, MDB_txn *txn, uint64_t n)
{
    xc_audit_entry_t e;
    return n > 0 && xc_audit_get (store, txn, n, &e) == 0
           && e.kind == XC_AUDIT_CHECKPOINT;
}

int
xc_checkpoint_append (xc_node_t *node, MDB_txn *txn, uint64_t now,
                      int only_if_grown, int *appended)
{
    if (appended)
        *appended = 0;
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (node->store, txn, &n, head);
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    if (only_if_grown && (n == 0 || s_last_is_checkpoint (node->store, txn, n)))
        return 0;
    uint8_t (*leaves)[32];
    rc = s_leaves (node->store, txn, n, &leaves);
    if (rc != 0)
        return rc;
    xc_checkpoint_t cp = {.tree_size = n, .time_ms = now};
    xc_merkle_root (leaves, n, cp.root);
    free (leaves);
    snprintf (cp.node, sizeof cp.node, "%s", node->config.code);
    snprintf (cp.key_id, sizeof cp.key_id, "%s", node->key_id);
    uint8_t data[XC_CHECKPOINT_LEN];
    rc = xc_checkpoint_sign (&cp, node->sign_key, data);
    if (rc != 0)
        return rc == XC_EINVAL ? XC_EKEY : rc;
    rc = xc_audit_append (node->store, txn, XC_AUDIT_CHECKPOINT, NULL, now,
                          NULL, data, sizeof data, NULL);
    if (rc == 0 && appended)
        *appended = 1;
    return rc;
}

int
xc_checkpoint_write_tick (MDB_txn *txn, void *arg)
{
    return xc_checkpoint_append (arg, txn, xc_now_ms (), 1, NULL);
}

int
xc_checkpoint_write_final (MDB_txn *txn, void *arg)
{
    return xc_checkpoint_append (arg, txn, xc_now_ms (), 0, NULL);
}
