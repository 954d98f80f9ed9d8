/*  audit_export.h - builds an audit export (xiecha/auditfile.h) from the
    live log: entries from..to in full, every checkpoint in full, and the
    hash of every other entry so the checkpoints' Merkle roots can be
    recomputed offline. */
#ifndef XIECHAD_AUDIT_EXPORT_H
#define XIECHAD_AUDIT_EXPORT_H

#include <lmdb.h>
#include <stdint.h>

#include <xiecha/auditfile.h>

#include "store.h"

/*  Fills *out (freed by the caller with xc_auditfile_free, also on error).
    to = 0 means up to the last entry; from = 0 means 1.  Returns 0,
    XC_EINVAL (from > to), XC_ENOMEM or XC_ESTORE. */
int xc_audit_export (xc_store_t *store, MDB_txn *txn, uint64_t from,
                     uint64_t to, xc_auditfile_t *out);

#endif
