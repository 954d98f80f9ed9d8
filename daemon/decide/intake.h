/*  intake.h - where a peer's message is checked before anything is
    decided on it.

    Every envelope from another node passes here first, in the write
    transaction of its batch:

      peer socket (registration side)   xc_intake_peer
        open (strict decoding) -> signature with the key valid then ->
        signed by the node the connection is (ZAP's user id) -> addressed
        to us, a kind a peer may send -> fresh (queries only;
        notices are store-and-forward) -> seen before? (a retry gets the
        stored answer byte for byte, other bytes under a used id are a
        replay) -> decide: xc_query_issue (query.h) or xc_notice_apply
        (notices.h), by the table in intake.c.

      dealer sockets (residence side)   xc_intake_answer
        signature, clock, addressed to us -> the pending query's answer
        (xc_query_answer) or a notice's ack or error (xc_notice_answer).

    Conventions of outcome.h: 0 when decided (a refusal is *out, audited
    as refusal.h says, and answered with a signed Error when the header
    says who sent it); otherwise a store error.

    Every message from an authenticated peer first takes a token of its
    message rate, and a new query one of its subject-lookup rate per
    subject (node/limits.h); over either, the refusal is XC_ERATE
    (ERR_RATE_LIMITED, saying when to retry), nothing is looked up and
    the id is not marked seen, so the same message may come again. */
#ifndef XIECHAD_INTAKE_H
#define XIECHAD_INTAKE_H

#include <lmdb.h>
#include <stdbool.h>
#include <stdint.h>

#include "decide/outcome.h"
#include "decide/query.h"
#include "node/node.h"

/*  An envelope from a peer.  peer is the node the CURVE handshake
    authenticated (may be NULL).  *reply is set to the envelope to send
    back (certificate, cached answer or signed error; caller frees) or
    NULL when nothing can be answered. */
int xc_intake_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                    size_t len, const char *peer, uint64_t now,
                    uint8_t **reply, size_t *reply_len, xc_outcome_t *out);

/*  An answer that came back on a dealer, already opened (op), from peer:
    the registration node the dealer talks to (NULL: the header's sender
    is taken for it).  pending
    is the query it answers, when one waits (NULL: a notice's answer, or
    a late one).  An answer to pending that this node refuses is out->code
    XC_EANSWER with out->cause the refusal's XC_E* (clock, signature, key,
    binding), for the terminal that waits.  *settled is set when a notice
    left the outbox's pending state (see xc_notice_answer).  A pending
    query not in the log yet (pending->logged false) gets its SENT entry
    first (query.h xc_query_sent) and pending->logged set, so whatever
    is decided on an answer is decided on a query the log holds, in the
    same commit. */
int xc_intake_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                      size_t len, const char *peer, const xc_opened_t *op,
                      xc_pending_t *pending, uint64_t now,
                      xc_outcome_t *out, int *settled);

/*  An answer from peer (may be NULL) that could not even be opened:
    audited as refused (refusal.h). */
int xc_intake_unopened (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                        size_t len, const char *peer, const char *why,
                        uint64_t now);

#endif
