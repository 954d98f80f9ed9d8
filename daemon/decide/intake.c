/*  intake.c - where a peer's message is checked; see intake.h.

    Reading order: xc_intake_peer (the registration side's door into the
    decisions) with its table of what a peer may send, then
    xc_intake_answer (the residence side's). */
#include <string.h>

#include "xiecha/division.h"
#include "decide/intake.h"
#include "decide/notices.h"
#include "decide/query.h"
#include "decide/refusal.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/seen.h"

/*  What a peer may send us, and how each is decided.  Queries must be
    fresh; notices may be old: store-and-forward means a notice can wait
    in an outbox through a long outage, and replays of it are caught by
    the seen ids, kept for ever, not by the clock. */
typedef int (s_decide_fn) (xc_node_t *node, MDB_txn *txn,
                           const uint8_t *bytes, size_t len,
                           const xc_opened_t *op, uint64_t now,
                           uint8_t **reply, size_t *reply_len,
                           xc_outcome_t *out);
static const struct {
    Xiecha__MsgType type;
    int may_be_old;            /* exempt from the "stale" clock window */
    s_decide_fn *decide;
} s_kinds[] = {
    {XIECHA__MSG_TYPE__MSG_QUERY, 0, xc_query_issue},
    {XIECHA__MSG_TYPE__MSG_NOTICE, 1, xc_notice_apply},
};

/*  The sender's clock as its signed created_at shows it against ours
    (metric xiecha_peer_clock_offset_seconds; `xiecha status` shows it):
    positive when its clock runs ahead, plus the time in flight. */
static void
s_clock (const xc_node_t *node, const Xiecha__Header *h, uint64_t now)
{
    double off = ((double) h->created_at - (double) now) / 1000.0;
    xc_metrics_gauge (node->metrics, "xiecha_peer_clock_offset_seconds", off,
                      "peer", h->sender, NULL);
}

static int
s_kind (Xiecha__MsgType type)
{
    for (size_t i = 0; i < sizeof s_kinds / sizeof s_kinds[0]; i++)
        if (s_kinds[i].type == type)
            return (int) i;
    return -1;
}

/* --------------------------------------------------------------------------
   Registration side
   -------------------------------------------------------------------------- */

/*  Refuses a peer message: audited as refusal.h says (the kept record
    of the bytes as received, within the peer's budget), and a signed
    Error back when the header told us who sent it. */
static int
s_refuse_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
               size_t len, const xc_opened_t *op, const char *peer, int code,
               const char *why, uint64_t now, uint8_t **reply,
               size_t *reply_len, xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg ? op->msg->header : NULL;
    /* The connection says who sent it; the header only claims. */
    const char *sender = peer ? peer
                              : h && xc_code_valid (h->sender) ? h->sender
                                                               : NULL;
    char note[XC_REFUSAL_NOTE_MAX];
    snprintf (note, sizeof note, "%s: %s", xc_errcode_name (
              xc_errcode_from_xc (code)), why);
    int kept;
    int rc = xc_refusal_audit (node, txn, sender, now, code, "message", note,
                               bytes, len, op, &kept);
    if (rc)
        return rc;
    xc_outcome_set (out, code, "%s", why);
    if (!h || !sender)
        return 0;

    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = xc_errcode_from_xc (code);
    err.message = (char *) why;
    if (op->msg)
        err.request_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                                    (uint8_t *) op->digest};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    msg.error = &err;
    /* Only a well-formed id is echoed: an error must be an envelope
       our own decoder accepts, of a size we choose. */
    const ProtobufCBinaryData *irt =
        h->msg_id.len == XC_MSGID_LEN ? &h->msg_id : NULL;
    rc = xc_node_seal (node, &msg, XIECHA__MSG_TYPE__MSG_ERROR, sender, irt,
                       now, reply, reply_len);
    if (rc == 0 && kept)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, sender, now,
                              "error", *reply, *reply_len, NULL);
    return rc;
}

/*  Content checks that need to know who we are: from the node the
    connection belongs to, addressed to us, a kind a peer may send, fresh
    as that kind must be, a query still awaited by its asker (its signed
    deadline not passed) and its relation the one the codes imply. */
static int
s_check_incoming (const xc_node_t *node, const xc_opened_t *op,
                  const char *peer, uint64_t now, char *why, size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    /* ZAP authenticated the connection as peer: a message signed in
       another node's name is not that node's, whatever its signature
       (relays, when they come, will say so explicitly). */
    if (peer && strcmp (peer, h->sender) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "header.sender: signed as %s on the connection of %s",
                       h->sender, peer);
    if (strcmp (h->recipient, node->config.code) != 0)
        return xc_why (why, why_len, XC_ERECIPIENT,
                       "header.recipient: addressed to %s, this node is %s",
                       h->recipient, node->config.code);
    int k = s_kind (h->type);
    if (k < 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: a peer socket takes queries and "
                       "notices, not answers");
    if (!(s_kinds[k].may_be_old && h->created_at <= now)) {
        s_clock (node, h, now);
        int rc = xc_node_check_time (node, h->created_at, now, why, why_len);
        if (rc)
            return rc;
    }
    if (h->type != XIECHA__MSG_TYPE__MSG_QUERY)
        return 0;
    /* Here, not in the decoder: logs hold queries from before the
       deadline was signed, and must still open. */
    int rc = xc_node_check_deadline (node, op->msg->query->deadline,
                                     h->created_at, now, why, why_len);
    if (rc)
        return rc;
    int rel = xc_relation_of (h->sender, node->config.code);
    if ((int) op->msg->query->relation != rel)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "query.relation: says %s but %s and %s are %s",
                       xc_relation_name (op->msg->query->relation), h->sender,
                       node->config.code, xc_relation_name (rel));
    return 0;
}

/*  A message id seen before: the very same bytes are a retry and get the
    very same answer; other bytes under a used id are a replay.  *seen
    says whether it was. */
static int
s_seen_before (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
               size_t len, const xc_opened_t *op, const char *peer,
               uint64_t now, uint8_t **reply, size_t *reply_len,
               xc_outcome_t *out, int *seen)
{
    const Xiecha__Header *h = op->msg->header;
    uint8_t digest[XC_HASH_LEN];
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    *seen = 0;
    int rc = xc_seen_get (node->store, txn, h->sender, h->msg_id.data, digest,
                          &answer, &answer_len);
    if (rc == XC_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    *seen = 1;
    if (memcmp (digest, op->digest, XC_HASH_LEN) != 0) {
        free (answer);
        char idhex[2 * XC_MSGID_LEN + 1];
        xc_hex (h->msg_id.data, XC_MSGID_LEN, idhex);
        char why[160];
        snprintf (why, sizeof why, "header.msg_id %s was already used by %s "
                  "for a different message", idhex, h->sender);
        return s_refuse_peer (node, txn, bytes, len, op, peer, XC_EREPLAY,
                              why, now, reply, reply_len, out);
    }
    rc = xc_refusal_duplicate (node, txn, peer ? peer : h->sender, now,
                               bytes, len, op);
    if (rc) {
        free (answer);
        return rc;
    }
    *reply = answer;
    *reply_len = answer_len;
    return xc_outcome_set (out, 0, "duplicate");
}

/*  What a new message will cost: a query takes one index lookup per
    subject from the peer's bucket (limits.h), so a trusted node cannot
    walk the ID space faster than that. */
static int
s_check_lookups (xc_node_t *node, const xc_opened_t *op, const char *peer,
                 uint64_t now, char *why, size_t why_len)
{
    if (!peer || op->msg->body_case != XIECHA__SIGNED__BODY_QUERY)
        return 0;
    return xc_limits_take (node->limits, peer, XC_LIMIT_SUBJECTS,
                           op->msg->query->n_subjects, now, why, why_len);
}

int
xc_intake_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                size_t len, const char *peer, uint64_t now, uint8_t **reply,
                size_t *reply_len, xc_outcome_t *out)
{
    char why[400] = "";
    xc_opened_t op = {0};
    *reply = NULL;
    /* Every message costs a token before its signature costs a check;
       it is still opened, for the header the refusal answers. */
    int code = peer ? xc_limits_take (node->limits, peer, XC_LIMIT_MESSAGES,
                                      1, now, why, sizeof why) : 0;
    int opened = xc_envelope_open (bytes, len, &op, code ? NULL : why,
                                   sizeof why);
    if (code == 0)
        code = opened;
    if (code == 0)
        code = xc_envelope_verify (&op, node->trust, why, sizeof why);
    if (code == 0)
        code = s_check_incoming (node, &op, peer, now, why, sizeof why);
    int rc = 0, seen = 0;
    if (code == 0)
        rc = s_seen_before (node, txn, bytes, len, &op, peer, now, reply,
                            reply_len, out, &seen);
    if (rc == 0 && !code && !seen)
        code = s_check_lookups (node, &op, peer, now, why, sizeof why);
    if (rc == 0 && code)
        rc = s_refuse_peer (node, txn, bytes, len, &op, peer, code, why, now,
                            reply, reply_len, out);
    else if (rc == 0 && !seen)
        rc = s_kinds[s_kind (op.msg->header->type)].decide (
            node, txn, bytes, len, &op, now, reply, reply_len, out);
    if (rc) {
        free (*reply);
        *reply = NULL;
    }
    xc_opened_free (&op);
    return rc;
}

/* --------------------------------------------------------------------------
   Residence side
   -------------------------------------------------------------------------- */

int
xc_intake_unopened (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                    size_t len, const char *peer, const char *why,
                    uint64_t now)
{
    char note[XC_REFUSAL_NOTE_MAX];
    snprintf (note, sizeof note, "answer refused: %s", why);
    return xc_refusal_audit (node, txn, peer, now, XC_EMALFORMED, "answer",
                             note, bytes, len, NULL, NULL);
}

/*  What every answer must be, whatever it answers: signed with a key
    valid then, fresh, for us, naming what it answers; and an answer to
    a waiting query must bind to it (query.h). */
static int
s_check_answer (const xc_node_t *node, const xc_opened_t *op,
                const xc_pending_t *pending, uint64_t now, char *why,
                size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    int rc = xc_envelope_verify (op, node->trust, why, why_len);
    if (rc == 0)
        s_clock (node, h, now);
    if (rc == 0)
        rc = xc_node_check_time (node, h->created_at, now, why, why_len);
    if (rc == 0 && strcmp (h->recipient, node->config.code) != 0)
        rc = xc_why (why, why_len, XC_ERECIPIENT,
                     "header.recipient: addressed to %s, this node is %s",
                     h->recipient, node->config.code);
    if (rc == 0 && h->in_reply_to.len != XC_MSGID_LEN)
        rc = xc_why (why, why_len, XC_EBINDING, "header.in_reply_to: an "
                     "answer must name the message it answers");
    if (rc == 0)
        rc = xc_query_check_answer (node, op, pending, now, why, why_len);
    return rc;
}

int
xc_intake_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                  size_t len, const char *peer, const xc_opened_t *op,
                  xc_pending_t *pending, uint64_t now,
                  xc_outcome_t *out, int *settled)
{
    const Xiecha__Header *h = op->msg->header;
    /* The dealer says who answered; the header only claims. */
    const char *from = peer ? peer : h->sender;
    char why[400];
    *settled = 0;
    if (pending && !pending->logged) {
        int rc = xc_query_sent (node, txn, pending, now);
        if (rc)
            return rc;
        pending->logged = true;
    }
    int code = s_check_answer (node, op, pending, now, why, sizeof why);
    if (code) {
        char note[XC_REFUSAL_NOTE_MAX];
        snprintf (note, sizeof note, "answer refused: %s", why);
        /* The terminal waiting for it is told why, not "unreachable":
           its registration node did answer, and the fix (a clock, a
           key, a trust list) is on one side or the other. */
        if (pending) {
            xc_outcome_set (out, XC_EANSWER, "the answer of %s was refused "
                            "by this node (%s): %s", from,
                            xc_error_name (code), why);
            out->cause = code;
        }
        else
            xc_outcome_set (out, code, "%s", why);
        return xc_refusal_audit (node, txn, from, now, code, "answer", note,
                                 bytes, len, op, NULL);
    }
    if (pending || h->type == XIECHA__MSG_TYPE__MSG_CERTIFICATE)
        return xc_query_answer (node, txn, bytes, len, op, pending, now, out);
    return xc_notice_answer (node, txn, bytes, len, from, op, now, out,
                             settled);
}
