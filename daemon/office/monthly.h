/*  monthly.h - monthly statistics computed from the audit log and sealed
    with the node's signing key (the row kinds are listed in
    include/xiecha/report.h; verification is xc_report_verify there).

    The audit log is the only source: it already holds every message sent,
    received and refused, byte for byte, so the statistics can be
    recomputed by anyone holding an export of the log, and cannot disagree
    with it. */
#ifndef XIECHAD_MONTHLY_H
#define XIECHAD_MONTHLY_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "node/node.h"

/*  Counts the entries of the UTC month (YYYY-MM) in the log as seen by
    txn (a read transaction is enough), and seals the result: *signed_report
    is a serialized SignedReport (caller frees with free()).  A month that
    has not begun at now is refused; the current month gives the counts so
    far.  Returns 0; XC_EINVAL with why naming "month"; XC_ESTORE,
    XC_ENOMEM or XC_EKEY otherwise. */
int xc_monthly_build (xc_node_t *node, MDB_txn *txn, const char *month,
                     uint64_t now, uint8_t **signed_report, size_t *len,
                     char *why, size_t why_len);

#endif
