/*  households.h - dynamic management of households enrolled here whose
    registration place is elsewhere: the residence side stops aid when the
    family has left for more than 3 months (停发;
    docs/policy-documents/city-residence-application-scheme.txt, line 21),
    and households from other provinces check in quarterly
    (dingan-county-residence-application-pilot.txt, line 20).

    One record per subject ref, written in the transaction that queues the
    ENROLLMENT notice and removed by the TERMINATION's.  Every member of a
    household carries the ref of the household's applicant (its head), so
    one check-in by any member updates them all, and `due` lists each
    household once.

    Value layout (big-endian, 52 bytes):
        u8 format (1)  char home[6]  u8 program
        u32 since      u32 last_checkin   u32 absent_since (0: present)
        u8 head[32]    subject ref of the household's applicant
    Only refs and dates: no ID digit is ever stored. */
#ifndef XIECHAD_HOUSEHOLDS_H
#define XIECHAD_HOUSEHOLDS_H

#include <lmdb.h>
#include <stdint.h>

#include "xiecha/date.h"

#include "decide/outcome.h"
#include "node/node.h"
#include "store/store.h"

/*  Quarterly check-in: overdue after this many days without one. */
#define XC_CHECKIN_DAYS 92
/*  停发: aid stops once the family has been gone this many months. */
#define XC_ABSENT_MONTHS 3
/*  Items in one due listing (~100 bytes each, under the 8 MiB reply). */
#define XC_DUE_MAX 50000

#define XC_DUE_OVERDUE "check-in overdue"
#define XC_DUE_ABSENT "absent over 3 months: aid should stop"

typedef struct {
    char home[7];            /* registration county, NUL-terminated */
    uint8_t program;         /* XIECHA__PROGRAM__* enrolled here */
    uint32_t since;          /* YYYYMMDD of the enrollment */
    uint32_t last_checkin;   /* YYYYMMDD of the latest check-in */
    uint32_t absent_since;   /* YYYYMMDD the family left; 0 while present */
    uint8_t head[XC_REF_LEN];  /* ref of the household's applicant */
} xc_household_t;

/* ---- The store ------------------------------------------------------------ */

/*  Stores (or replaces) ref's record.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_households_put (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                       const xc_household_t *h);

/*  Copies ref's record out.  Returns 0, XC_ENOTFOUND, XC_EMALFORMED or
    XC_ESTORE. */
int xc_households_get (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                       xc_household_t *h);

/*  Removes ref's record.  Returns 0, XC_ENOTFOUND or XC_ESTORE. */
int xc_households_del (xc_store_t *store, MDB_txn *txn, const uint8_t *ref);

/*  Calls fn for every record in ref order.  Stops at the first non-zero
    return and passes it on (positive values are the caller's). */
typedef int (xc_households_fn) (const uint8_t *ref, const xc_household_t *h,
                                void *arg);
int xc_households_each (xc_store_t *store, MDB_txn *txn,
                        xc_households_fn *fn, void *arg);

/* ---- Decisions --------------------------------------------------------- */

/*  Residence side, from xc_notice_client once a notice to home is queued:
    an ENROLLMENT records every subject (subjects[0] is the applicant and
    the head; last_checkin = start_date); a TERMINATION removes the
    records of that program, and when it ended a head alone (a
    member-only termination) the members left get the first of them (in
    ref order) as their head, so they stay one household; an emergency
    grant is a
    one-off and records nothing.  undo reverses it, for a notice the home node refused (a
    restored record takes the reopened enrollment's start as since and
    last check-in).  Returns 0 or a store error. */
int xc_households_noticed (xc_node_t *node, MDB_txn *txn, int kind,
                           int program, const char *home, uint32_t date,
                           const ProtobufCBinaryData *subjects, size_t count,
                           int undo);

/*  The household of ref in program, for a termination that ends it as
    one: appends to refs (*count used of max) every subject recorded here
    with the same head and program that is not there yet.  Nothing when
    ref has no record of program.  O(records): the records are keyed by
    subject, not by head, as for a check-in.  Returns 0, XC_ETOOBIG when
    more than max, or a store error. */
int xc_households_members (xc_store_t *store, MDB_txn *txn,
                           const uint8_t *ref, int program,
                           uint8_t (*refs)[XC_REF_LEN], size_t *count,
                           size_t max);

/*  A terminal's check-in (or absence report, req->absent) for a household
    enrolled here; date 0 means today.  Records it for every member and
    appends a DECISION audit entry (refs and dates only).  Returns 0 with
    out->code 0 and ref set to the subject, or with out->code XC_EINVAL
    (bad ID or date) or XC_ENOTFOUND (no household enrolled here), also
    audited; or a store error, which aborts the batch. */
int xc_households_checkin (xc_node_t *node, MDB_txn *txn,
                           const Xiecha__CheckinRequest *req, uint64_t now,
                           uint8_t ref[XC_REF_LEN], uint32_t *date,
                           xc_outcome_t *out);

/*  The households due for action as of as_of (YYYYMMDD; 0 = today from
    now): other-province households whose last check-in is more than
    XC_CHECKIN_DAYS days old, and households of any origin absent for
    more than XC_ABSENT_MONTHS calendar months.  One item per household,
    absences first, then oldest first.  Fills *reply (free with
    xc_households_due_free).  Returns 0, XC_EINVAL with why for a bad
    as_of, or a store error. */
int xc_households_due (xc_node_t *node, MDB_txn *txn, uint32_t as_of,
                       uint64_t now, Xiecha__DueReply *reply, char *why,
                       size_t why_len);

/*  Frees what xc_households_due allocated in reply (not reply itself). */
void xc_households_due_free (Xiecha__DueReply *reply);

#endif
