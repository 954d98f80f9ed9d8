/*  query.h - "does this person receive aid with you?", decided.

      residence side      xc_query_client: a township terminal asks; the
                          request is validated (request.h rules, IDs
                          hashed to subject refs, local policy) and a
                          Query is sealed for the registration node.
                          xc_query_sent: it is logged, with whatever
                          decides it.
                          xc_query_answer: the certificate that came back
                          must bind to exactly the query we sent.
                          xc_query_deadline: none came in time.
      registration side   xc_query_issue: a checked, fresh, never-seen
                          Query (intake.h) is looked up in the index and
                          answered with a signed Certificate.

    Conventions of outcome.h: 0 when decided, the refusal in *out;
    otherwise a store error.  Nothing returned is sent before the
    caller's transaction commits. */
#ifndef XIECHAD_QUERY_H
#define XIECHAD_QUERY_H

#include <lmdb.h>
#include <stdint.h>

#include <xiecha/auditentry.h>

#include "decide/outcome.h"
#include "node/node.h"

/*  A query this node sent as residence node and awaits an answer for. */
typedef struct {
    uint8_t msg_id[XC_MSGID_LEN];   /* the query's id */
    uint8_t digest[XC_HASH_LEN];    /* SHA-256 of its signed bytes */
    char home[7];                   /* the registration node asked */
    uint8_t (*refs)[XC_REF_LEN];    /* [ref_count] subjects, in order;
                                       owned, up to limits/query_subjects */
    size_t ref_count;
    int relation;                   /* XIECHA__RELATION__* */
    uint64_t sent_at;               /* UTC ms */
    uint8_t *envelope;              /* the sealed query; owned */
    size_t envelope_len;
    /*  Who asked (store/audit.h xc_audit_actor_set): the entries of its
        answer, or of its deadline, name them too. */
    char actor[XC_AUDIT_ACTOR_MAX + 1];
    /*  Its SENT entry is in the log (xc_query_sent), or in the write
        transaction under way: whoever rolls that back clears it. */
    bool logged;
} xc_pending_t;

/*  Residence side: a township terminal's query.  On success (out->code
    0) fills *pending with the sealed query to send to pending->home.
    When the registration county is this node, the answer is decided
    here at once and *local_cert is set (caller frees), with no network
    traffic. */
int xc_query_client (xc_node_t *node, MDB_txn *txn,
                     const Xiecha__QueryRequest *req, uint64_t now,
                     xc_pending_t *pending, uint8_t **local_cert,
                     size_t *local_cert_len, xc_outcome_t *out);

/*  Registration side: a Query that passed intake.  *reply is the signed
    Certificate (caller frees), remembered under the query's id so a
    retry gets these very bytes. */
int xc_query_issue (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                    size_t len, const xc_opened_t *op, uint64_t now,
                    uint8_t **reply, size_t *reply_len, xc_outcome_t *out);

/*  Residence side: whether an answer that passed intake's common checks
    (signature, clock, recipient) answers pending: from the node asked,
    and a signed error or a certificate bound to exactly our query (same
    id, digest, requester, subjects in order; not expired), by the one
    certificate validator (xc_cert_check, client.h).  pending NULL (a
    late answer) binds to nothing: a certificate must still keep the
    validator's field rules, anything else passes.  Returns 0 or the
    refusal's XC_E* with why.  intake.c calls it. */
int xc_query_check_answer (const xc_node_t *node, const xc_opened_t *op,
                           const xc_pending_t *pending, uint64_t now,
                           char *why, size_t why_len);

/*  The note of the RECEIVED entry of a certificate: one that answers a
    waiting query and is handed to its terminal right after the commit
    (the only certificates the monthly report counts as received), or
    one that came after the deadline and reaches no one. */
#define XC_QUERY_NOTE_HANDED "certificate handed to the terminal"
#define XC_QUERY_NOTE_LATE "late answer (query had timed out)"

/*  Residence side: the SENT entry of pending, its envelope byte for
    byte.  Written in the transaction that first decides something about
    the query (its answer, a refusal of an answer to it, its deadline,
    the node stopping), never on its own: the residence node logs a
    query where it acts on it, and acts only once that is durable
    (doc/FORMATS.md 8, "When a query is logged").  The registration
    node's log holds the query durably before it answers. */
int xc_query_sent (xc_node_t *node, MDB_txn *txn, const xc_pending_t *p,
                   uint64_t now);

/*  Residence side: a checked answer to pending (NULL when it came after
    the deadline, or after another answer to it: it is still logged).
    out->code is 0 for a certificate, XC_EREFUSED for a signed error. */
int xc_query_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                     size_t len, const xc_opened_t *op,
                     const xc_pending_t *pending, uint64_t now,
                     xc_outcome_t *out);

/*  Residence side: a pending query reached its deadline unanswered;
    sent 0: it never left, for want of a connection, and never will.  A
    query that left and is not logged yet (p->logged) is logged first. */
int xc_query_deadline (xc_node_t *node, MDB_txn *txn, xc_pending_t *p,
                       int sent, uint64_t now);

/*  Residence side: a pending query ends unanswered for another reason
    (why: the node stopped); sent and the logging as for
    xc_query_deadline. */
int xc_query_abandoned (xc_node_t *node, MDB_txn *txn, xc_pending_t *p,
                        int sent, uint64_t now, const char *why);

/*  Frees what a pending query owns (not the struct); harmless twice. */
void xc_pending_free (xc_pending_t *pending);

#endif
