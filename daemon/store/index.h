/*  index.h - the subject index: subject ref -> enrollments.

    One record per subject; its value is an array of fixed-size packed
    enrollments (program, source, since, until, paying node), so a lookup
    is one B-tree probe.  History is kept: an enrollment that ended keeps
    its `until` date and stops counting as active after it.

    The source says which path owns an enrollment: a roster snapshot of
    this node (import, roster close) or a notice (enroll, terminate,
    emergency aid; this node's own or a peer's).  A snapshot replaces
    only what rosters made, a termination ends only what a notice made. */
#ifndef XIECHAD_INDEX_H
#define XIECHAD_INDEX_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define XC_INDEX_MAX 32  /* enrollments kept per subject */

typedef enum {
    XC_SOURCE_ROSTER = 0,  /* a roster import of the paying node (this one) */
    XC_SOURCE_NOTICE = 1   /* an enrollment or emergency-aid notice */
} xc_source_t;

typedef struct {
    uint8_t program;   /* XIECHA__PROGRAM__* */
    uint8_t source;    /* xc_source_t */
    uint32_t since;    /* YYYYMMDD */
    uint32_t until;    /* YYYYMMDD, 0 while open */
    char node[7];      /* paying node code, NUL-terminated */
} xc_enrollment_t;

/*  Copies the enrollments of ref (32 bytes) into out[max], at most max of
    them, in the order they were first added, and sets *count to the number
    copied.  Returns 0 (count may be 0 when the subject is unknown) or
    XC_ESTORE (also when the stored value is not whole records). */
int xc_index_get (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                  xc_enrollment_t *out, size_t max, size_t *count);

/*  Adds an enrollment to ref.  An existing entry with the same program,
    source, node and since date is replaced (so a redelivered notice is
    idempotent).  Returns 0, XC_ETOOBIG when the subject already holds
    XC_INDEX_MAX entries, XC_EFULL or XC_ESTORE. */
int xc_index_add (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                  const xc_enrollment_t *e);

/*  Replaces ref's whole record with list[n] (n <= XC_INDEX_MAX; 0
    removes the subject).  Returns 0, XC_ETOOBIG, XC_EFULL or XC_ESTORE. */
int xc_index_set (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                  const xc_enrollment_t *list, size_t n);

/*  Removes the entry with e's program, source, node and since date (used only to
    undo a local enrollment the registration node refused).  Returns 0,
    XC_ENOTFOUND, XC_EFULL or XC_ESTORE. */
int xc_index_remove (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                     const xc_enrollment_t *e);

/*  Calls fn for every subject after the 32-byte key `after` (NULL: from
    the first) in key order, with its enrollments, until fn returns
    non-zero, which is passed on.  The index must not change during the
    walk (write elsewhere, or after it).  O(subjects walked): LMDB reads
    the leaves in order.  Returns 0 at the end, fn's return or
    XC_ESTORE. */
typedef int (xc_index_walk_fn) (const uint8_t *ref,
                                const xc_enrollment_t *list, size_t n,
                                void *arg);
int xc_index_walk (xc_store_t *store, MDB_txn *txn, const uint8_t *after,
                   xc_index_walk_fn *fn, void *arg);

/*  Returns 1 if e is active on date (YYYYMMDD): since <= date and
    (until == 0 or date <= until). */
int xc_enrollment_active (const xc_enrollment_t *e, uint32_t date);

/*  Number of subjects in the index. */
int xc_index_count (xc_store_t *store, MDB_txn *txn, uint64_t *count);

#endif
