/*  index.h - the subject index: subject ref -> enrollments.

    One record per subject; its value is an array of fixed-size packed
    enrollments (program, since, until, paying node), so a lookup is one
    B-tree probe.  History is kept: an enrollment that ended keeps its
    `until` date and stops counting as active after it. */
#ifndef XIECHAD_INDEX_H
#define XIECHAD_INDEX_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define XC_INDEX_MAX 32  /* enrollments kept per subject */

typedef struct {
    uint8_t program;   /* XIECHA__PROGRAM__* */
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
    node and since date is replaced (so re-importing a roster is
    idempotent).  Returns 0, XC_ETOOBIG when the subject already holds
    XC_INDEX_MAX entries, XC_EFULL or XC_ESTORE. */
int xc_index_add (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                  const xc_enrollment_t *e);

/*  Removes the entry with e's program, node and since date (used only to
    undo a local enrollment the registration node refused).  Returns 0,
    XC_ENOTFOUND, XC_EFULL or XC_ESTORE. */
int xc_index_remove (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                     const xc_enrollment_t *e);

/*  Returns 1 if e is active on date (YYYYMMDD): since <= date and
    (until == 0 or date <= until). */
int xc_enrollment_active (const xc_enrollment_t *e, uint32_t date);

/*  Number of subjects in the index. */
int xc_index_count (xc_store_t *store, MDB_txn *txn, uint64_t *count);

#endif
