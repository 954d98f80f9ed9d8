/*  handlers.h - where messages are decided.

    Handlers take a message that transport received and a write
    transaction; they check it, decide, record the decision (audit, seen,
    index) in that transaction, and return what to send.  They never touch
    a socket, so every decision is testable without a network, and nothing
    they return is sent before the transaction commits.

    Return values: 0 when the message was handled (including when it was
    refused: the refusal is an outcome, recorded and answered), or a
    negative store error (XC_EFULL, XC_ESTORE, XC_ENOMEM) that aborts the
    whole batch so it can be retried. */
#ifndef XIECHAD_HANDLERS_H
#define XIECHAD_HANDLERS_H

#include <lmdb.h>
#include <stdint.h>

#include "node/node.h"

/*  What became of one message: code 0 or XC_E*, and why. */
typedef struct {
    int code;
    char why[512];
} xc_outcome_t;

/*  A query this node sent as residence node and awaits an answer for. */
typedef struct {
    uint8_t msg_id[XC_MSGID_LEN];   /* the query's id */
    uint8_t digest[XC_HASH_LEN];    /* SHA-256 of its signed bytes */
    char home[7];                   /* the registration node asked */
    uint8_t refs[XC_MAX_SUBJECTS][XC_REF_LEN];  /* subjects, in order */
    size_t ref_count;
    int relation;                   /* XIECHA__RELATION__* */
    uint64_t sent_at;               /* UTC ms */
    uint8_t *envelope;              /* the sealed query; owned */
    size_t envelope_len;
} xc_pending_t;

/*  Registration side: an envelope from a peer.  peer is the node the
    CURVE handshake authenticated (may be NULL).  *reply is set to the
    envelope to send back (certificate, cached certificate or signed
    error; caller frees) or NULL when nothing can be answered. */
int xc_handle_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                    size_t len, const char *peer, uint64_t now,
                    uint8_t **reply, size_t *reply_len, xc_outcome_t *out);

/*  Residence side: a township terminal's query.  On success fills
    *pending with the sealed query to send to pending->home.  When the
    registration county is this node, the answer is decided here at once
    and *local_cert is set (caller frees), with no network traffic. */
int xc_handle_client_query (xc_node_t *node, MDB_txn *txn,
                            const Xiecha__QueryRequest *req, uint64_t now,
                            xc_pending_t *pending, uint8_t **local_cert,
                            size_t *local_cert_len, xc_outcome_t *out);

/*  Residence side: an answer to a pending query (pending may be NULL when
    it came after the deadline: it is still verified and logged).
    out->code is 0 for a bound, valid certificate; XC_EREFUSED for a
    signed error; another code when the answer was refused. */
int xc_handle_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                      size_t len, const xc_opened_t *opened,
                      const xc_pending_t *pending, uint64_t now,
                      xc_outcome_t *out);

/*  Residence side: a pending query reached its deadline unanswered. */
int xc_handle_deadline (xc_node_t *node, MDB_txn *txn,
                        const xc_pending_t *pending, uint64_t now);

/*  Helpers shared with notices.c.  xc_handle_seal seals msg from this
    node to recipient with a fresh header; xc_handle_check_time checks a
    created-at against the clock and says by how much it is off;
    xc_handle_subject validates one person's ID (field names it) and
    computes the subject ref. */
int xc_handle_seal (xc_node_t *node, Xiecha__Signed *msg, Xiecha__MsgType type,
                    const char *recipient,
                    const ProtobufCBinaryData *in_reply_to, uint64_t now,
                    uint8_t **out, size_t *out_len);
int xc_handle_check_time (const xc_node_t *node, uint64_t created,
                          uint64_t now, char *why, size_t why_len);
int xc_handle_subject (xc_node_t *node, const Xiecha__Person *p,
                       const char *field, uint8_t ref[XC_REF_LEN], char *why,
                       size_t why_len);

/*  Replaces every run of four or more digits in text with '#', so that
    a client refusal's note (which may quote a birth date) carries no part
    of an ID number into the audit log. */
void xc_handle_redact (char *text);

/*  Frees what a pending query owns (not the struct). */
void xc_pending_clear (xc_pending_t *pending);

#endif
