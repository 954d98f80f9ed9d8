/*  roster.h - roster imports: what this county pays, staged, checked
    whole, applied in slices; and what a certificate may say from it.

    The client sends the rows of one file in chunks between BEGIN and
    COMMIT; each row is checked and hashed as it arrives (the plain ID is
    dropped at once).  At COMMIT the rows are sorted by person and
    program, and the whole is checked: two rows of one person and program
    are refused with both lines, and nothing is imported.  Then the
    import is applied in slices of a few thousand people, each its own
    write transaction, so the node answers queries between them:

      snapshot  (the default) everything this node pays in its programs
                as of its date.  Each row sets this node's roster
                enrollment of its person and program (an open enrollment
                is keyed by person and program: a corrected `since`
                replaces it); every roster enrollment of those programs
                still paid at the date and missing from the snapshot is
                closed on that date.  Nothing is deleted, and other
                nodes' notices are untouched.  The last slice makes the
                date the programs' roster date (store/rosters.h); a
                snapshot older than the last one of a program is refused.
      delta     its rows only: adds, corrections and closings (a row
                with `until`); no date.

    Every change is in the audit log, in roster change entries (apply.h,
    one per slice, written by the same function the replay uses), and
    each row that overlaps another node's notice enrollment of the
    program is a conflict, surfaced (conflicts.h).

    A node that stops in the middle keeps the snapshot's programs marked
    as being applied, and does not certify NOT_RECEIVING for them until
    a snapshot is imported again (xc_roster_fresh).

    Conventions of outcome.h where a function decides; the others return
    0 or XC_E* with why. */
#ifndef XIECHAD_ROSTER_H
#define XIECHAD_ROSTER_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "decide/outcome.h"
#include "node/node.h"
#include "store/index.h"
#include "store/rosters.h"

#define XC_ROSTER_MAX_ROWS 10000000  /* ten million rows per import */

typedef struct _xc_roster_t xc_roster_t;

/*  What an import did, so far or in all. */
typedef struct {
    uint64_t rows;        /* rows staged */
    uint64_t added;       /* enrollments added */
    uint64_t changed;     /* corrected (since or until) */
    uint64_t closed;      /* closed as missing from the snapshot */
    uint64_t unchanged;   /* rows as the index already had them */
    uint64_t conflicts;   /* conflicts with other payers found */
    uint64_t refused;     /* rows of people whose record is full */
    uint32_t as_of;       /* the snapshot's date; 0 for a delta */
    int delta;
    unsigned programs;    /* bit 1 << program: what a snapshot covers */
} xc_roster_summary_t;

/*  A staged import as its BEGIN describes it (xc_request_check_import
    rules, then: a snapshot not older than the last one of a program it
    names).  Returns NULL with *code (XC_EINVAL, XC_ENOMEM, XC_ESTORE)
    and why. */
xc_roster_t *xc_roster_new (xc_node_t *node,
                            const Xiecha__ImportRequest *begin, uint64_t now,
                            int *code, char *why, size_t why_len);

/*  Frees it (the rows are in their own mapping, returned to the system
    at once) and sets *self_p to NULL; harmless twice. */
void xc_roster_destroy (xc_roster_t **self_p);

/*  Checks and stages rows: the row rules (xiecha/request.h), a program
    the snapshot covers, dates at most limits/date_future_days after the
    snapshot's (a delta's: today).  Nothing is staged from a chunk with a
    bad row.  Returns 0, XC_EINVAL with why naming the source line and
    field, XC_ETOOBIG or XC_ENOMEM. */
int xc_roster_stage (xc_roster_t *self, const xc_node_t *node,
                     Xiecha__RosterRow *const *rows, size_t n, char *why,
                     size_t why_len);

/*  Rows staged so far. */
size_t xc_roster_rows (const xc_roster_t *self);

/*  Time of the last stage call (UTC ms), to expire abandoned imports. */
uint64_t xc_roster_touched (const xc_roster_t *self);

/*  COMMIT, first: sorts the rows by person and program, about 40 ms of
    it per call, so the loop answers queries between calls even for
    millions of rows.  Returns 1 when sorted, 0 when there is more to do,
    or XC_ENOMEM. */
int xc_roster_sort (xc_roster_t *self);

/*  COMMIT: sorts the rows (all that xc_roster_sort left) and checks the whole:
    no person and program twice ("line 7: same person and program
    (DIBAO) as line 3"), something to import, the date against every
    program's last snapshot.  Marks the programs as being applied by
    this process.  Returns 0, XC_EINVAL with why, or XC_ESTORE. */
int xc_roster_seal (xc_roster_t *self, xc_node_t *node, char *why,
                    size_t why_len);

/*  Applies the next slice in txn: a few thousand people (or 40 ms),
    their changes, the audit entry, their conflicts.  May run again from
    the start when the store grows the map (store.h): nothing moves on
    until xc_roster_next.  Returns 0 or a store error. */
int xc_roster_slice (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                     uint64_t now);

/*  The slice committed: moves on.  Returns 1 when the import is done
    (the programs' applying mark is cleared), else 0. */
int xc_roster_next (xc_roster_t *self, xc_node_t *node);

/*  The import stopped before its end (a store failure): this process no
    longer applies it, so its programs read as interrupted. */
void xc_roster_abandon (xc_roster_t *self, xc_node_t *node);

/*  What it did so far (or in all, once done). */
void xc_roster_summary (const xc_roster_t *self, xc_roster_summary_t *out);

/*  What xiecha roster show and close answer: the person's record (every
    enrollment at this node, history included) and the roster dates. */
typedef struct {
    uint8_t ref[XC_REF_LEN];
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n;
    xc_roster_date_t dates[XIECHA__PROGRAM__TEMP];   /* DIBAO .. TEMP */
} xc_roster_view_t;

/*  A terminal's roster request (xc_request_check_roster rules): SHOW
    audits the look-up; CLOSE is xc_roster_close.  *view is the person's
    record afterwards.  Conventions of outcome.h. */
int xc_roster_request (xc_node_t *node, MDB_txn *txn,
                       const Xiecha__RosterRequest *req, uint64_t now,
                       xc_roster_view_t *view, xc_outcome_t *out);

/*  xiecha roster close: this node's roster enrollment of ref `program`
    still paid after until ends on until (0: today), audited in a roster
    change entry, its conflicts resolved.  out->code XC_EINVAL (a bad
    date) or XC_ENOTENROLLED (none to close). */
int xc_roster_close (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                     int program, uint32_t until, uint64_t now,
                     xc_outcome_t *out);

/*  Whether this node may certify NOT_RECEIVING of program at now: its
    last snapshot of it is no older than the trust list's
    max_roster_age_days, and no snapshot of it was interrupted.  Sets
    *as_of (0: none).  Returns 0; XC_EROSTER with why naming the program
    and the date ("cannot answer for DIBAO: its roster is from
    2026-09-30, older than 45 days"); or XC_ESTORE. */
int xc_roster_fresh (xc_node_t *node, MDB_txn *txn, int program,
                     uint64_t now, uint32_t *as_of, char *why,
                     size_t why_len);

#endif
