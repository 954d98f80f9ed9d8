/*  export_page.h - builds an audit export (xiecha/auditfile.h) from the
    live log, one page at a time: entries from..to in full, every
    checkpoint in full, and the hash of every other entry so the
    checkpoints' Merkle roots can be recomputed offline.

    The pages of one export, concatenated, are the file.  The first page
    pins its size (total: as the request table's seal step set it,
    xc_audit_seal_export, so that it ends at a checkpoint; else the log
    size) and starts with the file header; later pages carry on from a
    cursor.  Entries never change once appended, so
    pages read in different transactions still make one consistent file,
    and no page costs more than its record limit in reads. */
#ifndef XIECHAD_EXPORT_PAGE_H
#define XIECHAD_EXPORT_PAGE_H

#include <lmdb.h>
#include <stdint.h>

#include <xiecha/auditfile.h>

#include "store/store.h"

/*  A page stops at whichever comes first. */
#define XC_EXPORT_PAGE_BYTES (4u * 1024 * 1024)
#define XC_EXPORT_PAGE_RECORDS 32768u

typedef struct {
    uint64_t from, to;     /* range in full; 0: first / last entry */
    uint64_t total;        /* pinned size; 0 on the first page: the log's */
    uint64_t cursor;       /* first record of the page; 0: first page */
    uint32_t max_records;  /* 0: XC_EXPORT_PAGE_RECORDS */
    uint32_t max_bytes;    /* 0: XC_EXPORT_PAGE_BYTES */
} xc_export_page_t;

/*  Fills *out (zeroed first; freed by the caller with xc_auditfile_free,
    also on error) with the page that starts at page->cursor.  On the
    first page without a total sets page->total to the log size.  Sets
    *next to the cursor of the following page, 0 when the file is
    complete.  Returns 0,
    XC_EINVAL (from after to, or a total or cursor beyond the log),
    XC_ENOMEM or XC_ESTORE. */
int xc_export_page_read (xc_store_t *store, MDB_txn *txn,
                          xc_export_page_t *page, xc_auditfile_t *out,
                          uint64_t *next);

#endif
