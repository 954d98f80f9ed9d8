/*  audit_export.c - the live log as an export file.  O(n) in entries:
    every entry is read, since the checkpoints need all their hashes. */
#include "audit_export.h"

#include <xiecha/error.h>

#include "audit.h"

int
xc_audit_export (xc_store_t *store, MDB_txn *txn, uint64_t from, uint64_t to,
                 xc_auditfile_t *out)
{
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (store, txn, &n, head);
    if (rc == 0 && xc_auditfile_init (out, n, from, to) != 0)
        rc = XC_ENOMEM;
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    if (from == 0)
        from = 1;
    if (to == 0 || to > n)
        to = n;
    if (from > to && n > 0)
        return XC_EINVAL;
    for (uint64_t seq = 1; seq <= n; seq++) {
        xc_audit_entry_t e;
        rc = xc_audit_get (store, txn, seq, &e);
        if (rc != 0)
            return rc == XC_ENOTFOUND || rc == XC_EMALFORMED ? XC_ESTORE : rc;
        //  note points just past the fixed header inside the stored value
        //  (audit.h), so the raw entry starts XC_AUDIT_HEADER before it.
        const uint8_t *raw = (const uint8_t *) e.note - XC_AUDIT_HEADER;
        size_t len = XC_AUDIT_HEADER + e.note_len + e.data_len;
        int full = (seq >= from && seq <= to) || e.kind == XC_AUDIT_CHECKPOINT;
        rc = xc_auditfile_add (out, seq, raw, len, full);
        if (rc != 0)
            return rc;
    }
    return 0;
}
