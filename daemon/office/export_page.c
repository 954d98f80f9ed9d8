/*  export_page.c - the live log as an export file, page by page.  The
    whole file is O(n) in entries: every entry is read, since the
    checkpoints need all their hashes. */
#include "office/export_page.h"

#include <string.h>

#include <xiecha/error.h>

#include "store/audit.h"

/*  Checks the request against the log and pins its size.  Returns 0 or
    XC_EINVAL. */
static int
s_pin (xc_store_t *store, MDB_txn *txn, xc_export_page_t *page)
{
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (store, txn, &n, head);
    if (rc != 0)
        return rc == XC_EMALFORMED ? XC_ESTORE : rc;
    if (page->cursor == 0 && page->total == 0)
        page->total = n;
    else if (page->total > n || page->cursor > page->total)
        return XC_EINVAL;
    uint64_t to = page->to ? page->to : page->total;
    if (page->from && page->from > to && page->total > 0)
        return XC_EINVAL;
    return 0;
}

int
xc_export_page_read (xc_store_t *store, MDB_txn *txn,
                      xc_export_page_t *page, xc_auditfile_t *out,
                      uint64_t *next)
{
    memset (out, 0, sizeof *out);
    *next = 0;
    int rc = s_pin (store, txn, page);
    if (rc != 0)
        return rc;
    uint64_t from = page->from ? page->from : 1;
    uint64_t to = page->to && page->to < page->total ? page->to
                                                     : page->total;
    uint64_t seq = page->cursor ? page->cursor : 1;
    if (page->cursor == 0
        && xc_auditfile_init (out, page->total, from, to) != 0)
        return XC_ENOMEM;
    uint32_t max_records = page->max_records ? page->max_records
                                             : XC_EXPORT_PAGE_RECORDS;
    size_t max_bytes = page->max_bytes ? page->max_bytes
                                       : XC_EXPORT_PAGE_BYTES;
    for (uint32_t records = 0; seq <= page->total; seq++, records++) {
        //  Always at least one record, so every page makes progress.
        if (records > 0
            && (records == max_records || out->len >= max_bytes)) {
            *next = seq;
            break;
        }
        xc_audit_entry_t e;
        rc = xc_audit_get (store, txn, seq, &e);
        if (rc != 0)
            return rc == XC_ENOTFOUND || rc == XC_EMALFORMED ? XC_ESTORE : rc;
        int full = (seq >= from && seq <= to) || e.kind == XC_AUDIT_CHECKPOINT;
        rc = xc_auditfile_add (out, seq, e.raw, e.len, full);
        if (rc != 0)
            return rc;
    }
    return 0;
}
