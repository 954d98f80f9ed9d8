/*  audit_seal.h - the node seals its audit log: it appends signed checkpoints to its audit log.

    A checkpoint is an audit entry of kind XC_AUDIT_CHECKPOINT (9) whose
    data is the 135-byte signed checkpoint of xiecha/checkpoint.h:

        u8 format (1) | u64 tree_size | u8[32] root | u64 time_ms |
        char[6] node | char[16] key_id | u8[64] Ed25519 signature

    (big-endian; signature over XC_CTX_CHECKPOINT "\0" + the first 71
    bytes).  tree_size is the number of entries before the checkpoint
    entry, and root the RFC 9162 Merkle root (xiecha/merkle.h) over their
    entry hashes, so checkpoint entry n covers entries 1..n-1.

    Appended every limits/checkpoint_interval_s when the log grew since the
    last checkpoint, once on clean shutdown before the stop mark, and
    before an audit export whose range reaches past the last checkpoint,
    so that every export ends under a signature (xiecha/auditfile.h). */
#ifndef XIECHAD_AUDIT_SEAL_H
#define XIECHAD_AUDIT_SEAL_H

#include <lmdb.h>
#include <stdint.h>

#include "node/node.h"

/*  Appends a checkpoint over the whole log inside txn, unless only_if_grown
    and the last entry is already a checkpoint.  Sets *appended (may be
    NULL).  Returns 0, XC_ENOMEM, XC_EKEY or XC_ESTORE. */
int xc_audit_seal_append (xc_node_t *node, MDB_txn *txn, uint64_t now,
                          int only_if_grown, int *appended);

/*  Before an export of entries up to `to` (0, or past the log: all of
    them): the entry the export ends at, in *total.  That is the last
    checkpoint entry when it is at or after `to` (an old range is
    verified under a checkpoint made later); otherwise a checkpoint over
    the whole log is appended inside txn and *total is its entry.
    O(1) reads.  Returns as xc_audit_seal_append. */
int xc_audit_seal_export (xc_node_t *node, MDB_txn *txn, uint64_t now,
                          uint64_t to, uint64_t *total);

/*  xc_write_fn wrappers, arg = xc_node_t *: the periodic one (only when
    the log grew) and the shutdown one (always). */
int xc_audit_seal_tick (MDB_txn *txn, void *arg);
int xc_audit_seal_final (MDB_txn *txn, void *arg);

#endif
