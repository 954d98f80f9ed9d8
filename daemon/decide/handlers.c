/*  handlers.c - where messages are decided.

    Two sides of one conversation live here:

      registration side   xc_handle_peer: a Query arrives from a residence
                          node; checked, looked up in the index, answered
                          with a signed Certificate (or a signed Error).
      residence side      xc_handle_client_query: a township terminal asks;
                          IDs are validated and hashed, a Query is signed.
                          xc_handle_answer: the certificate comes back and
                          must be bound to exactly the query we sent.

    Every outcome, good or bad, leaves an audit entry in the caller's
    transaction. */
#include <limits.h>
#include <string.h>

#include "store/audit.h"
#include "decide/handlers.h"
#include "store/index.h"
#include "node/log.h"
#include "decide/notices.h"
#include "store/seen.h"

/* --------------------------------------------------------------------------
   Shared helpers
   -------------------------------------------------------------------------- */

static int
s_outcome (xc_outcome_t *out, int code, const char *why)
{
    out->code = code;
    snprintf (out->why, sizeof out->why, "%s", why ? why : "");
    return 0;
}

/*  Seals a Signed message from this node to recipient.  The header's id
    buffer lives on this stack frame only until sealing is done. */
int
xc_handle_seal (xc_node_t *node, Xiecha__Signed *msg, Xiecha__MsgType type,
        const char *recipient, const ProtobufCBinaryData *in_reply_to,
        uint64_t now, uint8_t **out, size_t *out_len)
{
    Xiecha__Header header = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&header, id, type, node->config.code, recipient, now);
    if (in_reply_to)
        header.in_reply_to = *in_reply_to;
    msg->header = &header;
    const xc_signer_t *s = xc_node_signer (node);
    int rc = xc_envelope_seal (msg, s->key, s->id, out, out_len);
    msg->header = NULL;
    return rc;
}

/*  Checks created-at against our clock, saying by how much it was off:
    opaque clock refusals cost operators days elsewhere. */
int
xc_handle_check_time (const xc_node_t *node, uint64_t created, uint64_t now,
                      char *why, size_t why_len)
{
    /* Unsigned on purpose: created_at comes from a peer and may be any
       64-bit value; signed subtraction could overflow. */
    int behind = created < now;
    uint64_t off = behind ? now - created : created - now;
    uint64_t skew = (uint64_t) node->config.clock_skew_ms;
    if (off <= skew)
        return 0;
    char iso[32];
    xc_time_iso (created, iso);
    return xc_why (why, why_len, behind ? XC_ESTALE : XC_EFUTURE,
                   "header.created_at %s is %.1f s %s this node's clock "
                   "(tolerance %.0f s)", iso, (double) off / 1000.0,
                   behind ? "behind" : "ahead of", (double) skew / 1000.0);
}

void
xc_handle_redact (char *text)
{
    /* Runs of 4+ digits could be part of an ID (a birth date, a check
       sequence); the audit log is for ever, so they never enter it. */
    for (char *p = text; *p;) {
        size_t n = strspn (p, "0123456789");
        if (n >= 4)
            memset (p, '#', n);
        p += n ? n : 1;
    }
}

/* --------------------------------------------------------------------------
   Registration side
   -------------------------------------------------------------------------- */

/*  Refuses a peer message: audit entry with the bytes exactly as received,
    and a signed Error back when the header told us who sent it. */
static int
s_refuse_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
               size_t len, const xc_opened_t *op, const char *peer, int code,
               const char *why, uint64_t now, uint8_t **reply,
               size_t *reply_len, xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg ? op->msg->header : NULL;
    const char *sender = h && xc_code_valid (h->sender) ? h->sender : peer;
    char note[600];
    snprintf (note, sizeof note, "%s: %s", xc_errcode_name (
              xc_errcode_from_xc (code)), why);
    int rc = xc_audit_append (node->store, txn, XC_AUDIT_REFUSED, sender, now,
                              note, bytes, len, NULL);
    if (rc)
        return rc;
    s_outcome (out, code, why);
    xc_warn ("refused message from %s: %s", sender ? sender : "?", note);
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
    rc = xc_handle_seal (node, &msg, XIECHA__MSG_TYPE__MSG_ERROR, sender,
                 &h->msg_id, now, reply, reply_len);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, sender, now,
                              "error", *reply, *reply_len, NULL);
    return rc;
}

/*  Looks one subject up and fills its result with the enrollments that
    are active today in the programs asked about. */
/*  Room for one subject's answer; enrollment node strings are copied in
    because index values must not outlive the transaction. */
typedef struct {
    Xiecha__SubjectResult res;
    Xiecha__Enrollment slots[XC_INDEX_MAX];
    Xiecha__Enrollment *ptrs[XC_INDEX_MAX];
    char nodes[XC_INDEX_MAX][7];
} s_result_t;

static int
s_lookup (xc_node_t *node, MDB_txn *txn, const ProtobufCBinaryData *ref,
          const Xiecha__Query *q, uint32_t today, s_result_t *r)
{
    Xiecha__SubjectResult *res = &r->res;
    xc_enrollment_t found[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, ref->data, found, XC_INDEX_MAX,
                           &count);
    if (rc)
        return rc;
    xiecha__subject_result__init (res);
    res->subject = *ref;
    res->enrollments = r->ptrs;
    res->n_enrollments = 0;
    for (size_t i = 0; i < count; i++) {
        int asked = 0;
        for (size_t p = 0; p < q->n_programs; p++)
            asked |= (int) q->programs[p] == found[i].program;
        if (!asked || !xc_enrollment_active (&found[i], today))
            continue;
        size_t n = res->n_enrollments++;
        Xiecha__Enrollment *e = &r->slots[n];
        xiecha__enrollment__init (e);
        e->program = found[i].program;
        e->since = found[i].since;
        e->until = found[i].until;
        memcpy (r->nodes[n], found[i].node, sizeof r->nodes[n]);
        e->node = r->nodes[n];
        r->ptrs[n] = e;
    }
    res->status = res->n_enrollments ? XIECHA__STATUS__RECEIVING
                                     : XIECHA__STATUS__NOT_RECEIVING;
    return 0;
}

/*  The decision itself: one index probe per subject, then a signed
    Certificate bound to the query by its id and digest. */
static int
s_issue (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op, uint64_t now,
         uint8_t **cert, size_t *cert_len)
{
    const Xiecha__Header *h = op->msg->header;
    const Xiecha__Query *q = op->msg->query;
    s_result_t *r = calloc (q->n_subjects, sizeof *r);
    Xiecha__SubjectResult **res_ptrs = calloc (q->n_subjects, sizeof *res_ptrs);
    int rc = r && res_ptrs ? 0 : XC_ENOMEM;
    uint32_t today = xc_date_from_ms (now);
    for (size_t i = 0; rc == 0 && i < q->n_subjects; i++) {
        rc = s_lookup (node, txn, &q->subjects[i], q, today, &r[i]);
        res_ptrs[i] = &r[i].res;
    }
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = h->msg_id;
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, (uint8_t *) op->digest};
    c.requester = h->sender;
    c.n_results = q->n_subjects;
    c.results = res_ptrs;
    c.n_programs = q->n_programs;
    c.programs = q->programs;
    c.issued_at = now;
    c.valid_until = now + (uint64_t) node->config.certificate_valid_s * 1000;
    c.relation = q->relation;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &c;
    if (rc == 0)
        rc = xc_handle_seal (node, &msg, XIECHA__MSG_TYPE__MSG_CERTIFICATE, h->sender,
                     &h->msg_id, now, cert, cert_len);
    free (res_ptrs);
    free (r);
    return rc;
}

/*  Content checks that need to know who we are: addressed to us, a
    query or a notice, and a query's relation is the one the codes imply. */
static int
s_check_incoming (const xc_node_t *node, const xc_opened_t *op, char *why,
                  size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    if (strcmp (h->recipient, node->config.code) != 0)
        return xc_why (why, why_len, XC_ERECIPIENT,
                       "header.recipient: addressed to %s, this node is %s",
                       h->recipient, node->config.code);
    if (h->type == XIECHA__MSG_TYPE__MSG_NOTICE)
        return 0;
    if (h->type != XIECHA__MSG_TYPE__MSG_QUERY)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: a peer socket takes queries and "
                       "notices, not answers");
    int rel = xc_relation_of (h->sender, node->config.code);
    if ((int) op->msg->query->relation != rel)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "query.relation: says %s but %s and %s are %s",
                       xc_relation_name (op->msg->query->relation), h->sender,
                       node->config.code, xc_relation_name (rel));
    return 0;
}

/*  Queries must be fresh.  Notices may be old: store-and-forward means a
    notice can wait in an outbox through a long outage, and replays of it
    are caught by the seen ids, kept for ever, not by the clock. */
static int
s_check_fresh (const xc_node_t *node, const xc_opened_t *op, uint64_t now,
               char *why, size_t why_len)
{
    uint64_t created = op->msg->header->created_at;
    if (op->msg->header->type == XIECHA__MSG_TYPE__MSG_NOTICE
        && created <= now)
        return 0;
    return xc_handle_check_time (node, created, now, why, why_len);
}

/*  A message id seen before: the very same bytes are a retry and get the
    very same answer; other bytes under a used id are a replay. */
static int
s_seen_before (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
               size_t len, const xc_opened_t *op, const char *peer,
               uint64_t now, uint8_t **reply, size_t *reply_len,
               xc_outcome_t *out, int *handled)
{
    const Xiecha__Header *h = op->msg->header;
    uint8_t digest[XC_HASH_LEN];
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    *handled = 0;
    int rc = xc_seen_get (node->store, txn, h->sender, h->msg_id.data, digest,
                          &answer, &answer_len);
    if (rc == XC_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    *handled = 1;
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
    rc = xc_audit_append (node->store, txn, XC_AUDIT_DUPLICATE, h->sender,
                          now, "repeated message answered from cache", bytes,
                          len, NULL);
    if (rc) {
        free (answer);
        return rc;
    }
    *reply = answer;
    *reply_len = answer_len;
    return s_outcome (out, 0, "duplicate");
}

int
xc_handle_peer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                size_t len, const char *peer, uint64_t now, uint8_t **reply,
                size_t *reply_len, xc_outcome_t *out)
{
    char why[400] = "";
    xc_opened_t op = {0};
    *reply = NULL;
    int code = xc_envelope_open (bytes, len, &op, why, sizeof why);
    if (code == 0)
        code = xc_envelope_verify (&op, node->trust, why, sizeof why);
    if (code == 0)
        code = s_check_incoming (node, &op, why, sizeof why);
    if (code == 0)
        code = s_check_fresh (node, &op, now, why, sizeof why);
    int rc = 0;
    if (code) {
        rc = s_refuse_peer (node, txn, bytes, len, &op, peer, code, why, now,
                            reply, reply_len, out);
        goto done;
    }
    int handled = 0;
    rc = s_seen_before (node, txn, bytes, len, &op, peer, now, reply,
                        reply_len, out, &handled);
    if (rc || handled)
        goto done;

    const Xiecha__Header *h = op.msg->header;
    if (h->type == XIECHA__MSG_TYPE__MSG_NOTICE) {
        rc = xc_notice_apply (node, txn, bytes, len, &op, now, reply,
                              reply_len, out);
        goto done;
    }
    rc = xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED, h->sender, now,
                          "query", bytes, len, NULL);
    if (rc == 0)
        rc = s_issue (node, txn, &op, now, reply, reply_len);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, h->sender, now,
                              "certificate", *reply, *reply_len, NULL);
    if (rc == 0)
        rc = xc_seen_put (node->store, txn, h->sender, h->msg_id.data,
                          op.digest, *reply, *reply_len);
    if (rc == 0)
        s_outcome (out, 0, "certificate issued");
done:
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

/*  Validates one person and computes their subject ref.  The plain ID
    lives only on this stack frame. */
int
xc_handle_subject (xc_node_t *node, const Xiecha__Person *p, const char *field,
           uint8_t ref[XC_REF_LEN], char *why, size_t why_len)
{
    char norm[XC_ID_LEN + 1];
    if (!p || !p->id_number)
        return xc_why (why, why_len, XC_EINVAL, "%s: missing", field);
    int rc = xc_id_normalize (p->id_number, field, norm, why, why_len);
    if (rc)
        return rc;
    xc_subject_ref (node->salt, node->salt_len, norm, ref);
    explicit_bzero (norm, sizeof norm);
    return 0;
}

static int
s_check_request (xc_node_t *node, const Xiecha__QueryRequest *req,
                 xc_pending_t *p, char *why, size_t why_len)
{
    if (!req->home_county || !xc_code_valid (req->home_county))
        return xc_why (why, why_len, XC_EINVAL,
                       "home_county: '%s' is not a 6-digit division code",
                       req->home_county ? req->home_county : "");
    if (!xc_trust_node (node->trust, req->home_county))
        return xc_why (why, why_len, XC_EINVAL,
                       "home_county: no node %s in the trust list",
                       req->home_county);
    if (req->n_programs == 0)
        return xc_why (why, why_len, XC_EINVAL,
                       "programs: name at least one program");
    for (size_t i = 0; i < req->n_programs; i++)
        if (req->programs[i] < XIECHA__PROGRAM__DIBAO
            || req->programs[i] > XIECHA__PROGRAM__TEMP)
            return xc_why (why, why_len, XC_EINVAL,
                           "programs[%zu]: unknown program %d", i,
                           (int) req->programs[i]);
    if (req->n_members + 1 > XC_MAX_SUBJECTS)
        return xc_why (why, why_len, XC_EINVAL,
                       "members: at most %d household members",
                       XC_MAX_SUBJECTS - 1);
    int rc = xc_handle_subject (node, req->applicant, "applicant.id_number",
                        p->refs[0], why, why_len);
    for (size_t i = 0; rc == 0 && i < req->n_members; i++) {
        char field[48];
        snprintf (field, sizeof field, "members[%zu].id_number", i);
        rc = xc_handle_subject (node, req->members[i], field, p->refs[i + 1], why,
                        why_len);
        for (size_t j = 0; rc == 0 && j <= i; j++)
            if (memcmp (p->refs[j], p->refs[i + 1], XC_REF_LEN) == 0)
                rc = xc_why (why, why_len, XC_EINVAL,
                             "%s: same person as %s", field,
                             j == 0 ? "the applicant" : "an earlier member");
    }
    p->ref_count = req->n_members + 1;
    return rc;
}

/*  Shortest permit holding among the other members: -1 when one holds
    none, INT_MAX when there are no others (the rule is then moot). */
static int
s_members_permit (const Xiecha__QueryRequest *req)
{
    int shortest = INT_MAX;
    for (size_t i = 0; i < req->n_members; i++) {
        const Xiecha__Person *m = req->members[i];
        int months = m->has_permit ? (int) m->permit_months : -1;
        if (months < shortest)
            shortest = months;
    }
    return shortest;
}

/*  Local eligibility rules, applied before anything leaves this node:
    a query the policy forbids produces no network traffic at all. */
static int
s_check_policy (xc_node_t *node, MDB_txn *txn,
                const Xiecha__QueryRequest *req, const xc_pending_t *p,
                char *why, size_t why_len)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, p->refs[0], list, XC_INDEX_MAX,
                           &count);
    if (rc)
        return rc;
    uint32_t today = xc_date_from_ms (xc_now_ms ());
    int enrolled_here = 0;
    for (size_t i = 0; i < count; i++)
        enrolled_here |= strncmp (list[i].node, node->config.code, 6) == 0
                         && xc_enrollment_active (&list[i], today);
    const Xiecha__Person *a = req->applicant;
    xc_policy_case_t c = {
        .relation = xc_relation_of (node->config.code, req->home_county),
        .residence_months = (int) req->residence_months,
        .permit_months = a->has_permit ? (int) a->permit_months : -1,
        .members_permit_months = s_members_permit (req),
        .emergency = req->emergency,
        .enrolled_here = enrolled_here};
    for (size_t i = 0; i < req->n_programs; i++) {
        c.program = req->programs[i];
        rc = xc_policy_check (&node->policy, &c, why, why_len);
        if (rc)
            return rc == XC_EPOLICY_CODE ? XC_EPOLICY : rc;
    }
    return 0;
}

static int
s_seal_query (xc_node_t *node, const Xiecha__QueryRequest *req, uint64_t now,
              xc_pending_t *p)
{
    ProtobufCBinaryData subjects[XC_MAX_SUBJECTS];
    for (size_t i = 0; i < p->ref_count; i++)
        subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, p->refs[i]};
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = p->ref_count;
    q.subjects = subjects;
    q.n_programs = req->n_programs;
    q.programs = req->programs;
    q.relation = p->relation;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    int rc = xc_handle_seal (node, &msg, XIECHA__MSG_TYPE__MSG_QUERY, p->home, NULL,
                     now, &p->envelope, &p->envelope_len);
    if (rc)
        return rc;
    /* Remember id and digest from the sealed bytes themselves: the answer
       must bind to exactly what went out. */
    xc_opened_t op = {0};
    rc = xc_envelope_open (p->envelope, p->envelope_len, &op, NULL, 0);
    if (rc == 0) {
        memcpy (p->msg_id, op.msg->header->msg_id.data, XC_MSGID_LEN);
        memcpy (p->digest, op.digest, XC_HASH_LEN);
    }
    xc_opened_free (&op);
    return rc ? XC_EINTERNAL : 0;
}

/*  Same county: this node is the registration node, so it decides at
    once, through the same code path a peer's query takes. */
static int
s_answer_locally (xc_node_t *node, MDB_txn *txn, const xc_pending_t *p,
                  uint64_t now, uint8_t **cert, size_t *cert_len)
{
    xc_opened_t op = {0};
    int rc = xc_envelope_open (p->envelope, p->envelope_len, &op, NULL, 0);
    if (rc == 0)
        rc = s_issue (node, txn, &op, now, cert, cert_len);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_DECISION,
                              node->config.code, now,
                              "same county: certificate issued locally",
                              *cert, *cert_len, NULL);
    xc_opened_free (&op);
    return rc;
}

int
xc_handle_client_query (xc_node_t *node, MDB_txn *txn,
                        const Xiecha__QueryRequest *req, uint64_t now,
                        xc_pending_t *p, uint8_t **local_cert,
                        size_t *local_cert_len, xc_outcome_t *out)
{
    memset (p, 0, sizeof *p);
    *local_cert = NULL;
    char why[400];
    int code = s_check_request (node, req, p, why, sizeof why);
    if (code == 0)
        code = s_check_policy (node, txn, req, p, why, sizeof why);
    if (code < 0 && code != XC_EINVAL && code != XC_EPOLICY)
        return code;   /* store error: abort the batch */
    if (code) {
        /* The refusal is a local decision; the note never holds an ID. */
        char note[460];
        snprintf (note, sizeof note, "client query refused: %s", why);
        xc_handle_redact (note + strlen ("client query refused: "));
        s_outcome (out, code, why);
        return xc_audit_append (node->store, txn, XC_AUDIT_DECISION, NULL,
                                now, note, NULL, 0, NULL);
    }
    snprintf (p->home, sizeof p->home, "%s", req->home_county);
    p->relation = xc_relation_of (node->config.code, p->home);
    p->sent_at = now;
    int rc = s_seal_query (node, req, now, p);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, p->home, now,
                              "query", p->envelope, p->envelope_len, NULL);
    if (rc == 0 && strcmp (p->home, node->config.code) == 0)
        rc = s_answer_locally (node, txn, p, now, local_cert, local_cert_len);
    if (rc) {
        xc_pending_clear (p);
        return rc;
    }
    return s_outcome (out, 0, "query sent");
}

/*  A certificate is only ours if it answers exactly the query we sent:
    same id, same digest, same subjects in the same order, for us. */
static int
s_check_binding (const xc_node_t *node, const Xiecha__Certificate *c,
                 const xc_pending_t *p, uint64_t now, char *why,
                 size_t why_len)
{
    if (c->query_id.len != XC_MSGID_LEN
        || memcmp (c->query_id.data, p->msg_id, XC_MSGID_LEN) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "certificate.query_id: not the id of our query");
    if (memcmp (c->query_digest.data, p->digest, XC_HASH_LEN) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "certificate.query_digest: not the digest of our query");
    if (strcmp (c->requester, node->config.code) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "certificate.requester: issued to %s, not to %s",
                       c->requester, node->config.code);
    if (c->n_results != p->ref_count)
        return xc_why (why, why_len, XC_EBINDING,
                       "certificate.results: %zu results for %zu subjects",
                       c->n_results, p->ref_count);
    for (size_t i = 0; i < c->n_results; i++) {
        const Xiecha__SubjectResult *r = c->results[i];
        if (memcmp (r->subject.data, p->refs[i], XC_REF_LEN) != 0)
            return xc_why (why, why_len, XC_EBINDING,
                           "certificate.results[%zu].subject: not the subject "
                           "we asked about", i);
        if (r->status != XIECHA__STATUS__RECEIVING
            && r->status != XIECHA__STATUS__NOT_RECEIVING)
            return xc_why (why, why_len, XC_EMALFORMED,
                           "certificate.results[%zu].status: missing", i);
    }
    if (c->valid_until <= now)
        return xc_why (why, why_len, XC_ESTALE,
                       "certificate.valid_until: already expired");
    return 0;
}

static int
s_check_answer (const xc_node_t *node, const xc_opened_t *op,
                const xc_pending_t *p, uint64_t now, char *why,
                size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    int rc = xc_envelope_verify (op, node->trust, why, why_len);
    if (rc == 0)
        rc = xc_handle_check_time (node, h->created_at, now, why, why_len);
    if (rc == 0 && strcmp (h->recipient, node->config.code) != 0)
        rc = xc_why (why, why_len, XC_ERECIPIENT,
                     "header.recipient: addressed to %s, this node is %s",
                     h->recipient, node->config.code);
    if (rc || !p)
        return rc;
    if (strcmp (h->sender, p->home) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "header.sender: answer from %s to a query sent to %s",
                       h->sender, p->home);
    if (h->type == XIECHA__MSG_TYPE__MSG_ERROR)
        return 0;
    if (h->type != XIECHA__MSG_TYPE__MSG_CERTIFICATE)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: an answer must be a certificate or error");
    return s_check_binding (node, op->msg->certificate, p, now, why, why_len);
}

int
xc_handle_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                  size_t len, const xc_opened_t *op,
                  const xc_pending_t *pending, uint64_t now,
                  xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg->header;
    char why[400];
    int code = s_check_answer (node, op, pending, now, why, sizeof why);
    if (code) {
        char note[460];
        snprintf (note, sizeof note, "answer refused: %s", why);
        xc_warn ("answer from %s refused: %s", h->sender, why);
        s_outcome (out, code, why);
        return xc_audit_append (node->store, txn, XC_AUDIT_REFUSED, h->sender,
                                now, note, bytes, len, NULL);
    }
    const char *note = !pending ? "late answer (query had timed out)"
                       : h->type == XIECHA__MSG_TYPE__MSG_ERROR
                           ? "error" : "certificate";
    if (pending && h->type == XIECHA__MSG_TYPE__MSG_ERROR) {
        const Xiecha__Error *e = op->msg->error;
        snprintf (why, sizeof why, "%s refused the query: %s: %s", h->sender,
                  xc_errcode_name (e->code), e->message);
        s_outcome (out, XC_EREFUSED, why);
    }
    else
        s_outcome (out, 0, note);
    return xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED, h->sender,
                            now, note, bytes, len, NULL);
}

int
xc_handle_deadline (xc_node_t *node, MDB_txn *txn, const xc_pending_t *p,
                    uint64_t now)
{
    char note[160], idhex[2 * XC_MSGID_LEN + 1];
    xc_hex (p->msg_id, XC_MSGID_LEN, idhex);
    snprintf (note, sizeof note, "query %s to %s unanswered after %llu ms",
              idhex, p->home, (unsigned long long) (now - p->sent_at));
    return xc_audit_append (node->store, txn, XC_AUDIT_DECISION, p->home, now,
                            note, NULL, 0, NULL);
}

void
xc_pending_clear (xc_pending_t *p)
{
    free (p->envelope);
    p->envelope = NULL;
    p->envelope_len = 0;
}
