/*  restore.h - a node started on a copy of its store says so in its log.

    A store restored from a backup is behind what its node last signed:
    the entries written after the backup are gone, and the log goes on
    from the backup's last entry.  Whoever holds an export, a checkpoint
    or a proof of the lost entries would see the history fork without a
    word.  So before anything else at start the node appends a RESTORE
    entry (kind 11, xiecha/auditentry.h): the gap is itself in the log,
    under the next checkpoint.

    How the node knows:
    - the operator says so: xiechad --restored-from FILE.  FILE must be
      the backup the store was installed from, byte for byte (the same
      SHA-256 as data.mdb: nothing was served from it since); otherwise
      the node refuses to start, naming both.
    - the store says so: meta "store.home" holds the device and inode of
      the data file the node last served from (set by --init, and at the
      first start of an older store).  A data file that is another file
      -- installed from a backup, copied to a new disk -- is a copy.  A
      copy written over the old data.mdb in place keeps its inode and is
      noticed only with --restored-from; xiechad(8) says to install the
      backup as a new file.

    RESTORE data, XC_AUDIT_RESTORE_LEN bytes, integers big-endian:
        0   u8       format (1)
        1   u8       how: 1 the operator said so, 2 the node noticed
        2   u64      entries in the restored log before this one
        10  u64      time_ms of the last of them
        18  u64      the last checkpoint entry among them (0: none)
        26  u8[32]   SHA-256 of the backup file (zeros: not given)
    The note says the same in words. */
#ifndef XIECHAD_RESTORE_H
#define XIECHAD_RESTORE_H

#include <stdint.h>

#include "store/store.h"
#include "xiecha/auditentry.h"

#define XC_RESTORE_FORMAT 1
#define XC_RESTORE_HOME_KEY "store.home"

enum { XC_RESTORE_SAID = 1, XC_RESTORE_NOTICED = 2 };

/*  Records inside txn that the data file in dir is this store's own. */
int xc_restore_home (xc_store_t *store, MDB_txn *txn, const char *dir);

/*  At start, before the start entry: appends the RESTORE entry when the
    operator gave restored_from (may be NULL) or the store is a copy, and
    marks the data file as the store's own.  Sets *recorded.  Returns 0,
    XC_EINVAL with why (restored_from unreadable or not the store's
    contents), or a store error. */
int xc_restore_start (xc_store_t *store, const char *dir,
                      const char *restored_from, uint64_t now, int *recorded,
                      char *why, size_t why_len);

#endif
