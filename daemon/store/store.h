/*  store.h - the node's one LMDB environment and its named databases.

    Every state change and its audit entry commit in the same write
    transaction.  Work is handed to xc_store_write as a function so that,
    when the map fills up, the store can abort, grow the map and run the
    same work again from the start: write functions must have no effect
    outside the transaction until xc_store_write returns 0. */
#ifndef XIECHAD_STORE_H
#define XIECHAD_STORE_H

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _xc_store_t xc_store_t;

/*  The named databases. */
typedef enum {
    XC_DB_INDEX = 0,  /* subject ref (32) -> packed enrollments */
    XC_DB_SEEN,       /* sender (6) + msg id (16) -> digest (32) + answer */
    XC_DB_AUDIT,      /* sequence (u64 big-endian) -> entry */
    XC_DB_META,       /* name -> value (audit head, counters) */
    XC_DB_OUTBOX,     /* notice id (16) -> notice awaiting its ack */
    XC_DB_HOUSEHOLDS, /* subject ref (32) -> household check-in record */
    XC_DB_ROSTERS,    /* program (1) -> its snapshot date (rosters.h) */
    XC_DB_CONFLICTS,  /* conflict key (50) -> conflict (conflicts.h) */
    XC_DB_COUNT
} xc_db_t;

/*  Opens the environment in directory dir, which must exist, creating
    it when dir holds no data file yet (scratch stores, tests, xiechad
    --init; a node's daemon uses xc_store_open), with an initial map of
    map_size bytes (0 = 64 MiB), doubled at open until the data fills at
    most half of it, so that a restarted node does not grow at its first
    commit.  Runs mdb_reader_check to clear stale readers.  An existing
    data file is checked as xc_store_open checks it.  Returns NULL with
    why. */
xc_store_t *xc_store_new (const char *dir, size_t map_size, char *why,
                          size_t why_len);

/*  Opens the existing environment in dir, as xc_store_new, but creates
    nothing: refused, with why naming the path and what is wrong, when
    data.mdb is missing, empty (0 bytes: LMDB would take it for a new
    environment), not an LMDB file (zeroed, overwritten), or shorter
    than the pages its metadata counts (truncated: touching the missing
    pages through the map would kill the process with SIGBUS).  The size
    is checked before any page beyond the two meta pages is touched. */
xc_store_t *xc_store_open (const char *dir, size_t map_size, char *why,
                           size_t why_len);

/*  Whether dir holds an environment (its data file): lets a caller that
    must create nothing tell "no store yet" from a store it cannot open. */
bool xc_store_exists (const char *dir);

/*  Opens the existing environment in dir read-only, for xiechad --check,
    which may run while the node's daemon does: LMDB lets other processes
    read beside the one writer (each reader takes a slot in the lock file,
    and neither waits for the other), and the same-process rule above
    still holds.  Creates nothing and clears no stale readers; a database
    missing from an older store is simply absent (xc_store_has).
    xc_store_write fails on it.  The data file is checked as by
    xc_store_open.  Returns NULL with why. */
xc_store_t *xc_store_open_rdonly (const char *dir, char *why,
                                  size_t why_len);

/*  Closes the environment and sets *self_p to NULL; harmless twice. */
void xc_store_destroy (xc_store_t **self_p);

/*  The handle of a named database; only for one that exists (see
    xc_store_has). */
MDB_dbi xc_store_dbi (xc_store_t *self, xc_db_t db);

/*  Whether the named database exists: always in a store from
    xc_store_new, which creates them all; not always in one from
    xc_store_open_rdonly. */
bool xc_store_has (xc_store_t *self, xc_db_t db);

/*  A unit of write work.  Returns 0 to commit, a negative code to abort.
    Return XC_EFULL when an LMDB call failed with MDB_MAP_FULL. */
typedef int (xc_write_fn) (MDB_txn *txn, void *arg);

/*  Runs fn inside one write transaction and commits it (synchronously:
    nothing is acknowledged before the data is on disk).  On XC_EFULL the
    map is doubled and fn runs again, up to 8 times.  Growing remaps the
    file, so no read transaction of this process may be open during a
    write.  Returns 0, or fn's error (XC_EFULL when still full after the
    last doubling), XC_ENOSPC (the disk is full: a write(2) of the
    commit failed; nothing of fn's work is kept) or XC_ESTORE, the cause
    in xc_store_cause.  After a commit it tops up the reserve
    (xc_store_set_reserve). */
int xc_store_write (xc_store_t *self, xc_write_fn *fn, void *arg);

/*  Runs fn in a transaction nested in txn, the parent a batch's
    xc_store_write gave: fn's writes join the parent when it returns 0
    and are undone alone when it fails, so one message that cannot be
    stored leaves the rest of its batch to commit.  Returns 0; XC_EFULL,
    XC_ENOSPC or XC_ESTORE, which the caller passes up to abort the whole
    batch
    (the first so it grows and reruns); or fn's other error, its writes
    undone, which concerns that message only.  A nested transaction costs
    a page list, no I/O. */
int xc_store_nest (MDB_txn *txn, xc_write_fn *fn, void *arg);

/*  1 when rc is an error of the store itself (XC_EFULL, XC_ENOSPC,
    XC_ESTORE), which aborts a batch, rather than of one message. */
bool xc_store_failed (int rc);

/*  Begins a read-only transaction; keep it short.  Returns 0 or
    XC_ESTORE. End it with mdb_txn_abort. */
int xc_store_read (xc_store_t *self, MDB_txn **txn);

/*  Threads other than the one that opened the store (the worker, see
    worker.h) read only, and bracket each read transaction with these:
    growing the map is legal only while no transaction is open in the
    process, so the owner's xc_store_write waits, when it must grow,
    until the reader has ended.  The owner itself never calls them. */
void xc_store_share_begin (xc_store_t *self);
void xc_store_share_end (xc_store_t *self);

/*  The one mapping of an LMDB return code (or the errno value LMDB
    passes up from write(2) and fsync(2)) to XC_OK, XC_ENOTFOUND,
    XC_EFULL, XC_ENOSPC (ENOSPC, EDQUOT) or XC_ESTORE.  A failure leaves
    its cause for xc_store_cause. */
int xc_store_rc (int mdb_rc);

/*  Why the calling thread's last store call failed, with the errno's
    name and what the store was doing, e.g. "No space left on device
    (ENOSPC) committing in /var/lib/xiecha/data"; "" when that failure
    has no LMDB or system cause.  xc_store_write starts it afresh.
    Valid until the thread's next store call. */
const char *xc_store_cause (void);

/*  What rc means, in buf (len bytes): xc_strerror's text, and for a
    failure of the store (xc_store_failed) its cause, "the node's data
    disk is full: No space left on device (ENOSPC) committing in DIR".
    The one wording of a store failure, for the log (xc_log_rc) and for
    terminals.  Returns buf. */
const char *xc_store_describe (int rc, char *buf, size_t len);

/*  Keeps bytes of disk allocated past the end of the data (fallocate
    with FALLOC_FL_KEEP_SIZE: the file's size stays LMDB's), topped up
    after commits, so that the node can still write what it must (answers
    to peers and their audit entries) when the disk fills up, while it
    refuses, as long as xc_store_short, the work that grows the store.
    0 keeps none; a file system without fallocate keeps none either.
    Tries to allocate it at once. */
void xc_store_set_reserve (xc_store_t *self, size_t bytes);

/*  Tries again to allocate the whole reserve (for a timer while short:
    each try on a full disk allocates up to the whole reserve before it
    fails).  Returns 0 when it is whole (or there is none), XC_ENOSPC
    while the disk has no room for it, or XC_ESTORE; cause in
    xc_store_cause. */
int xc_store_space (xc_store_t *self);

/*  True since the reserve could not be kept (or a commit failed with
    XC_ENOSPC while there is one), until xc_store_space succeeds. */
bool xc_store_short (const xc_store_t *self);

/*  The reserve in bytes (0 when none is kept). */
size_t xc_store_reserve (const xc_store_t *self);
/*  Reads meta[name] into *val, valid while txn lives; it must be exactly
    size bytes (0: any size).  Returns 0, XC_ENOTFOUND (also when the
    store has no meta database: read-only, older), XC_EMALFORMED (other
    size) or XC_ESTORE. */
int xc_store_meta_get (xc_store_t *self, MDB_txn *txn, const char *name,
                       size_t size, MDB_val *val);

/*  Writes meta[name] = bytes.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_store_meta_put (xc_store_t *self, MDB_txn *txn, const char *name,
                       const void *bytes, size_t len);

/*  Current map size in bytes (grows over time). */
size_t xc_store_map_size (xc_store_t *self);

/*  Writes a copy of the environment's data file to fd, compacted (free
    pages left out, as mdb_copy -c), from a read transaction of its own:
    a consistent snapshot while the writer goes on, in this process or
    another (xiecha backup).  The caller syncs and closes fd.  Returns 0,
    or XC_ESTORE / XC_EIO with the cause for xc_store_cause. */
int xc_store_copy (xc_store_t *self, int fd);

/*  The number of records in db inside txn (0 when the database is
    absent).  Returns 0 or XC_ESTORE. */
int xc_store_entries (xc_store_t *self, MDB_txn *txn, xc_db_t db,
                      uint64_t *count);

#endif
