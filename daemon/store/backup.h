/*  backup.h - a consistent copy of a live node's store, and what it holds.

    `xiecha backup` first has the node seal its audit log (a signed
    checkpoint, decide/audit_seal.h), then makes the copy here, in its own
    process beside the running daemon: LMDB lets other processes read
    while the node writes, and the copy comes from one read transaction
    (xc_store_copy), so it is one state of the store that the node really
    was in, the checkpoint included.

    The copy is written as OUT.part/data.mdb, a directory beside OUT
    made mode 0700, the file 0600 (it holds subject refs and the audit
    log), fsynced, described from the copy itself (so the description is
    of what the file holds, not of the live store a moment later), then
    renamed to OUT and the directory synced: a backup file is either
    whole or not there, and never readable by other users.

    A backup file is a data.mdb: restoring is installing it as
    node/data_dir/data.mdb of a stopped node (xiechad(8), BACKUP AND
    RESTORE); the node then records the restore in its log
    (node/restore.h). */
#ifndef XIECHAD_BACKUP_H
#define XIECHAD_BACKUP_H

#include <stdint.h>

#include "store/store.h"

#define XC_BACKUP_PROGRAMS 5   /* Program DIBAO (1) .. TEMP (5) */

/*  What a store (a backup, or a node's own) holds. */
typedef struct {
    uint64_t bytes;            /* size of the data file */
    uint8_t sha256[32];        /* SHA-256 of the data file */
    uint64_t entries;          /* audit entries */
    uint64_t last_ms;          /* UTC ms of the last entry; 0: none */
    uint64_t sealed;           /* the last checkpoint entry; 0: none */
    uint64_t sealed_ms;        /* UTC ms it was signed */
    char node[7];              /* the node that signed it */
    uint64_t subjects;         /* people in the index */
    uint64_t households;       /* households checked in */
    uint64_t outbox;           /* notices awaiting their ack */
    uint64_t conflicts;        /* conflicts recorded */
    uint32_t rosters[XC_BACKUP_PROGRAMS];   /* as-of date per program,
                                               YYYYMMDD; 0: never */
} xc_backup_info_t;

/*  Fills *info (but bytes and sha256) from store inside txn.  Returns 0,
    XC_EMALFORMED (a checkpoint entry that does not decode) or
    XC_ESTORE. */
int xc_backup_describe (xc_store_t *store, MDB_txn *txn,
                        xc_backup_info_t *info);

/*  The size and SHA-256 of the file at path.  Returns 0 or XC_EIO with
    why. */
int xc_backup_hash (const char *path, uint64_t *bytes, uint8_t sha256[32],
                    char *why, size_t why_len);

/*  Copies the store in dir (open in another process or not) to out as
    above and describes the copy in *info.  Refuses an out that exists
    (nothing is overwritten).  Returns 0, or with why: XC_EINVAL (out
    exists, or its directory does not),
    XC_EIO (out's directory, disk full, a write), XC_ESTORE (the store
    cannot be read: permission, damage). */
int xc_backup_make (const char *dir, const char *out, xc_backup_info_t *info,
                    char *why, size_t why_len);

#endif
