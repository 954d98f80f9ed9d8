/*  prove.c - inclusion proofs for sent certificates (prove.h). */
#include <stdlib.h>
#include <string.h>

#include <xiecha/error.h>

#include "store/audit.h"
#include "office/prove.h"

void
xc_prove_free (xc_prove_t *p)
{
    if (!p)
        return;
    free (p->entry);
    p->entry = NULL;
    p->entry_len = 0;
}

static int
s_store_rc (int rc)
{
    return rc == XC_ENOTFOUND || rc == XC_EMALFORMED ? XC_ESTORE : rc;
}

int
xc_prove (xc_store_t *store, MDB_txn *txn, const uint8_t *envelope,
          size_t len, uint64_t tree_size, xc_prove_t *out, char *why,
          size_t why_len)
{
    if (!store || !txn || !out || !envelope || len == 0)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    memset (out, 0, sizeof *out);
    uint64_t n = 0;
    uint8_t head[32];
    int rc = xc_audit_head (store, txn, &n, head);
    if (rc)
        return xc_why (why, why_len, XC_ESTORE, "cannot read the audit log");
    //  Linear scan: the first SENT entry carrying the envelope, then the
    //  last checkpoint after it (it covers the most entries).
    uint64_t found = 0, cp_seq = 0;
    for (uint64_t seq = 1; seq <= n; seq++) {
        xc_audit_entry_t e;
        rc = xc_audit_get (store, txn, seq, &e);
        if (rc)
            return xc_why (why, why_len, s_store_rc (rc),
                           "cannot read audit entry %llu",
                           (unsigned long long) seq);
        if (!found && e.kind == XC_AUDIT_SENT && e.data_len == len
            && memcmp (e.data, envelope, len) == 0) {
            found = seq;
            out->seq = seq;
            memcpy (out->entry_hash, e.hash, 32);
            out->entry_len = e.len;
            if (!(out->entry = malloc (out->entry_len)))
                return xc_why (why, why_len, XC_ENOMEM, "out of memory");
            memcpy (out->entry, e.raw, out->entry_len);
        }
        else if (found && e.kind == XC_AUDIT_CHECKPOINT
                 && e.data_len == XC_CHECKPOINT_LEN
                 && (tree_size == 0 || seq == tree_size + 1)) {
            cp_seq = seq;
            memcpy (out->checkpoint, e.data, XC_CHECKPOINT_LEN);
        }
    }
    if (!found)
        return xc_why (why, why_len, XC_ENOTFOUND,
                       "certificate not in this node's log");
    if (tree_size && !cp_seq)
        return xc_why (why, why_len, XC_ENOTFOUND,
                       "no checkpoint of size %llu covering entry %llu",
                       (unsigned long long) tree_size,
                       (unsigned long long) found);
    xc_checkpoint_t cp;
    if (!cp_seq || xc_checkpoint_decode (out->checkpoint, XC_CHECKPOINT_LEN,
                                         &cp)
        || cp.tree_size < found)
        return xc_why (why, why_len, XC_ENOTFOUND,
                       "no checkpoint covers entry %llu yet",
                       (unsigned long long) found);
    uint8_t (*leaves)[32] = malloc (cp.tree_size * sizeof *leaves);
    if (!leaves)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    for (uint64_t seq = 1; seq <= cp.tree_size; seq++) {
        xc_audit_entry_t e;
        rc = xc_audit_get (store, txn, seq, &e);
        if (rc) {
            free (leaves);
            return xc_why (why, why_len, s_store_rc (rc),
                           "cannot read audit entry %llu",
                           (unsigned long long) seq);
        }
        memcpy (leaves[seq - 1], e.hash, 32);
    }
    rc = xc_merkle_inclusion_proof ((const uint8_t (*)[32]) leaves,
                                    cp.tree_size, found - 1, out->proof,
                                    XC_MERKLE_MAX_PROOF, &out->proof_len);
    free (leaves);
    if (rc)
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot compute the inclusion proof");
    return 0;
}
