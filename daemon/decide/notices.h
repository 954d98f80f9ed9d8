/*  notices.h - enrollments, terminations and emergency aid reported back
    to the registration place, so one person cannot draw aid twice.

      residence side   xc_notice_client: a terminal reports a decision; the
                       local index, the audit entry and the outbox entry
                       are written in one transaction.
                       xc_notice_answer: the home node's ack (or signed
                       refusal) takes the notice out of the outbox.
      registration     xc_notice_apply: applied to the index exactly once;
      side             a redelivered notice gets the same ack again.

    Conventions of outcome.h: 0 when decided, the refusal in *out;
    otherwise a store error. */
#ifndef XIECHAD_NOTICES_H
#define XIECHAD_NOTICES_H

#include <lmdb.h>
#include <stdint.h>

#include "decide/outcome.h"
#include "node/node.h"
#include "store/outbox.h"

/*  Registration side: a notice that passed intake (intake.h).
    Sets *reply to a signed Ack, or a signed Error (conflict, not
    enrolled) that is also remembered so a redelivery gets it again. */
int xc_notice_apply (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                     size_t len, const xc_opened_t *op, uint64_t now,
                     uint8_t **reply, size_t *reply_len, xc_outcome_t *out);

/*  Residence side: a terminal's notice.  On success *item holds the
    queued notice (its env owned by the caller) for transport to send
    after commit; when the registration county is this node the notice is
    applied here at once and item->state is not PENDING (nothing to send).
    out->code is XC_EINVAL/XC_ENOTENROLLED for bad input. */
int xc_notice_client (xc_node_t *node, MDB_txn *txn,
                      const Xiecha__NoticeRequest *req, uint64_t now,
                      xc_outbox_item_t *item, xc_outcome_t *out);

/*  Residence side: an answer that passed intake (intake.h) and answers
    no pending query: a notice's Ack or Error.  Returns with out->code 0
    (acked: removed from the outbox), XC_ECONFLICT/XC_ENOTENROLLED/... (the
    registration node refused it), or another code when the answer itself
    was refused (not from the node the notice went to, not an ack or
    error, an ack of other bytes).  *settled is 1 when the notice left
    the pending state (acked, or refused for good: kept as REJECTED and
    the local index change undone), 0 otherwise (late or duplicate
    answer, a refused answer, or a refusal a retry may cure). */
int xc_notice_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                      size_t len, const char *peer, const xc_opened_t *op,
                      uint64_t now, xc_outcome_t *out, int *settled);

/*  How many people the sealed notice env covers; 0 when it does not
    open. */
uint32_t xc_notice_count (const uint8_t *env, size_t len);

/*  Name of a notice kind ("ENROLLMENT", ...). */
const char *xc_notice_kind_name (int kind);

#endif
