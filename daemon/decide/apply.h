/*  apply.h - how each recorded decision changes the subject index: the
    one home of those rules, used by the live decisions (notices.c,
    roster.c) and by the audit replay (office/replay.c), which rebuilds
    the index from the log alone.  A change here is a change to both,
    which is the point.

    What in the audit log changed the index, and how it is told:
      - IMPORT entries: packed roster rows (XC_APPLY_ROW_BYTES each),
        paid by this node;
      - RECEIVED entries whose note ends XC_APPLY_NOTE_APPLIED: a notice
        applied here as the registration place;
      - SENT entries holding a notice this node sealed: the residence
        side's own change when it queued the notice;
      - RECEIVED entries noted XC_APPLY_NOTE_REJECTED with an error that
        is final (xc_errcode_final, xiecha/error.h): the undo of that
        queued notice. */
#ifndef XIECHAD_APPLY_H
#define XIECHAD_APPLY_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/index.h"
#include "xiecha/xiecha.h"

/*  A roster row in the log: ref32 program8 since32 until32. */
#define XC_APPLY_ROW_BYTES (XC_REF_LEN + 9)

#define XC_APPLY_NOTE_APPLIED " applied"
#define XC_APPLY_NOTE_REJECTED "notice refused by the registration node"

/*  The index entry notice n creates for payer (for a TERMINATION, the
    one it looks for): an emergency grant is a one-off on its day. */
xc_enrollment_t xc_apply_entry (const Xiecha__Notice *n, const char *payer);

/*  The open enrollment of program paid by payer that began by end, if
    any.  Returns 0 with *found, XC_ENOTFOUND or a store error. */
int xc_apply_find_open (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                        int program, const char *payer, uint32_t end,
                        xc_enrollment_t *found);

/*  Applies notice n paid by payer: an ENROLLMENT or EMERGENCY_AID adds
    its entry for every subject; a TERMINATION closes the open one (a
    subject with none is skipped: the live paths refuse such a notice
    before writing).  Returns 0 or an index/store error. */
int xc_apply_notice (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                     const char *payer);

/*  Undoes xc_apply_notice of a notice payer queued and the registration
    node finally refused: added entries go, a closed one reopens. */
int xc_apply_undo (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                   const char *payer);

/*  Packs one roster row for the log. */
void xc_apply_row_pack (uint8_t *p, const uint8_t *ref, uint8_t program,
                        uint32_t since, uint32_t until);

/*  Applies len bytes of packed rows paid by payer.  Returns 0,
    XC_EMALFORMED (not whole rows) or an index/store error. */
int xc_apply_rows (xc_store_t *store, MDB_txn *txn, const uint8_t *rows,
                   size_t len, const char *payer);

#endif
