/*  query.c - queries, decided; see query.h.

    Reading order: the registration side first (xc_query_issue: one index
    probe per subject, one signed certificate), then the residence side
    (xc_query_client, xc_query_answer, xc_query_deadline). */
#include <limits.h>
#include <string.h>

#include <xiecha/division.h>
#include <xiecha/request.h>

#include "decide/query.h"
#include "decide/roster.h"
#include "decide/sealed.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/index.h"
#include "store/seen.h"

/* --------------------------------------------------------------------------
   Registration side
   -------------------------------------------------------------------------- */

/*  Room for one subject's answer; enrollment node strings are copied in
    because index values must not outlive the transaction. */
typedef struct {
    Xiecha__SubjectResult res;
    Xiecha__Enrollment slots[XC_INDEX_MAX];
    Xiecha__Enrollment *ptrs[XC_INDEX_MAX];
    char nodes[XC_INDEX_MAX][7];
} s_result_t;

/*  Looks one subject up and fills its result with the enrollments that
    are active today in the programs asked about. */
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

/*  A certificate is only as true as the roster behind it: each program
    checked carries its roster date, and a program whose roster is
    missing, too old or interrupted may be answered only where every
    subject receives it (from a notice, say): anything else would say
    NOT_RECEIVING without a roster to say it from.  Returns 0 with the
    dates in dates[], XC_EROSTER with why, or a store error. */
static int
s_rosters (xc_node_t *node, MDB_txn *txn, const Xiecha__Query *q,
           const s_result_t *r, uint64_t now, Xiecha__RosterDate *dates,
           Xiecha__RosterDate **ptrs, char *why, size_t why_len)
{
    for (size_t p = 0; p < q->n_programs; p++) {
        xiecha__roster_date__init (&dates[p]);
        dates[p].program = q->programs[p];
        ptrs[p] = &dates[p];
        char stale[300];
        int rc = xc_roster_fresh (node, txn, q->programs[p], now,
                                  &dates[p].as_of, stale, sizeof stale);
        if (rc != XC_EROSTER) {
            if (rc)
                return rc;
            continue;
        }
        for (size_t i = 0; i < q->n_subjects; i++)
            if (!xc_cert_receives (&r[i].res, q->programs[p]))
                return xc_why (why, why_len, XC_EROSTER, "%s", stale);
    }
    return 0;
}

/*  Signs the certificate c answering the query op only when the one
    validator every verifier runs passes it: a node that would emit a
    certificate verifiers refuse answers with a signed ERR_INTERNAL
    instead, and says so in its log. */
static int
s_sign_checked (xc_node_t *node, const xc_opened_t *op,
                Xiecha__Certificate *c, uint64_t now, uint8_t **cert,
                size_t *cert_len, xc_outcome_t *out)
{
    const Xiecha__Header *qh = op->msg->header;
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_node_header (node, &h, id, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                    qh->sender, &qh->msg_id, now);
    char why[400];
    if (xc_cert_check (&h, c, op, node->trust, why, sizeof why) != 0) {
        xc_err ("certificate for %s not issued, it would be invalid: %s",
                qh->sender, why);
        return xc_outcome_set (out, XC_EINTERNAL, "this node's certificate "
                               "would be invalid: %s", why);
    }
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = c;
    return xc_node_sign (node, &msg, cert, cert_len);
}

/*  The decision itself: one index probe per subject, the rosters behind
    the answer, then a signed Certificate bound to the query by its id
    and digest.  A query the rosters cannot answer is refused in *out
    (XC_EROSTER), with no certificate. */
static int
s_issue (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op, uint64_t now,
         uint8_t **cert, size_t *cert_len, xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg->header;
    const Xiecha__Query *q = op->msg->query;
    s_result_t *r = calloc (q->n_subjects, sizeof *r);
    Xiecha__SubjectResult **res_ptrs = calloc (q->n_subjects, sizeof *res_ptrs);
    Xiecha__RosterDate *dates = calloc (q->n_programs, sizeof *dates);
    Xiecha__RosterDate **date_ptrs = calloc (q->n_programs, sizeof *date_ptrs);
    int rc = r && res_ptrs && dates && date_ptrs ? 0 : XC_ENOMEM;
    uint32_t today = xc_node_today (node, now);
    for (size_t i = 0; rc == 0 && i < q->n_subjects; i++) {
        rc = s_lookup (node, txn, &q->subjects[i], q, today, &r[i]);
        res_ptrs[i] = &r[i].res;
    }
    char why[400];
    if (rc == 0)
        rc = s_rosters (node, txn, q, r, now, dates, date_ptrs, why,
                        sizeof why);
    if (rc == XC_EROSTER)
        rc = xc_outcome_set (out, XC_EROSTER, "%s", why);
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = h->msg_id;
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, (uint8_t *) op->digest};
    c.requester = h->sender;
    c.n_results = q->n_subjects;
    c.results = res_ptrs;
    c.n_programs = q->n_programs;
    c.programs = q->programs;
    c.issued_at = now;
    c.valid_until = xc_node_cert_until (node, now);
    c.relation = q->relation;
    c.n_rosters = q->n_programs;
    c.rosters = date_ptrs;
    if (rc == 0 && !out->code)
        rc = s_sign_checked (node, op, &c, now, cert, cert_len, out);
    free (date_ptrs);
    free (dates);
    free (res_ptrs);
    free (r);
    return rc;
}

int
xc_query_issue (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                size_t len, const xc_opened_t *op, uint64_t now,
                uint8_t **reply, size_t *reply_len, xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg->header;
    memset (out, 0, sizeof *out);
    //  The asking township, as the query carries it signed (wire.c
    //  checked it lies in the sender's county), in the note too.
    char note[64] = "query";
    if (*op->msg->query->township)
        snprintf (note, sizeof note, "query from township %s",
                  op->msg->query->township);
    int rc = xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED, h->sender,
                              now, note, bytes, len, NULL);
    if (rc == 0)
        rc = s_issue (node, txn, op, now, reply, reply_len, out);
    if (rc == 0 && out->code) {   /* signed, audited, kept for a retry */
        xc_log_event (XC_LOG_WARN, "refused",
                      XC_KV ("door", "peer", "peer", h->sender, "reason",
                             xc_errcode_name (xc_errcode_from_xc (
                                 out->code))),
                      "query from %s: %s", h->sender, out->why);
        return xc_sealed_error (node, txn, op, out->code, out->why, now, reply,
                              reply_len);
    }
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, h->sender, now,
                              "certificate", *reply, *reply_len, NULL);
    if (rc == 0)
        rc = xc_seen_put (node->store, txn, h->sender, h->msg_id.data,
                          op->digest, *reply, *reply_len);
    if (rc == 0)
        xc_outcome_set (out, 0, "certificate issued");
    return rc;
}

/* --------------------------------------------------------------------------
   Residence side
   -------------------------------------------------------------------------- */

/*  The request rules (xiecha/request.h, the same the client library
    applies), then what only the node knows: the trust list and the
    subject refs. */
static int
s_check_request (xc_node_t *node, const Xiecha__QueryRequest *req,
                 xc_pending_t *p, char *why, size_t why_len)
{
    int rc = xc_request_check_query (req, why, why_len);
    if (rc)
        return rc;
    if (!xc_trust_node (node->trust, req->home_county))
        return xc_why (why, why_len, XC_EINVAL,
                       "home_county: no node %s in the trust list",
                       req->home_county);
    rc = xc_node_subject (node, req->applicant, "applicant.id_number",
                          p->refs[0], why, why_len);
    for (size_t i = 0; rc == 0 && i < req->n_members; i++) {
        char field[48];
        snprintf (field, sizeof field, "members[%zu].id_number", i);
        rc = xc_node_subject (node, req->members[i], field, p->refs[i + 1],
                              why, why_len);
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
    a query the policy forbids produces no network traffic at all.  A
    refusal goes to *out; the return is a store error only. */
static int
s_check_policy (xc_node_t *node, MDB_txn *txn,
                const Xiecha__QueryRequest *req, const xc_pending_t *p,
                uint64_t now, xc_outcome_t *out)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, p->refs[0], list, XC_INDEX_MAX,
                           &count);
    if (rc)
        return rc;
    uint32_t today = xc_node_today (node, now);
    uint32_t enrolled = 0;   /* what this node pays the applicant today */
    for (size_t i = 0; i < count; i++)
        if (strncmp (list[i].node, node->config.code, 6) == 0
            && list[i].program < XC_POLICY_PROGRAMS
            && xc_enrollment_active (&list[i], today))
            enrolled |= 1u << list[i].program;
    const Xiecha__Person *a = req->applicant;
    xc_policy_case_t c = {
        .relation = xc_relation_of (node->config.code, req->home_county),
        .residence_months = (int) req->residence_months,
        .permit_months = a->has_permit ? (int) a->permit_months : -1,
        .members_permit_months = s_members_permit (req),
        .emergency = req->emergency,
        .enrolled_programs = enrolled};
    for (size_t i = 0; i < req->n_programs; i++) {
        c.program = req->programs[i];
        char why[400];
        rc = xc_policy_check (&node->policy, &c, why, sizeof why);
        if (rc)
            return xc_outcome_set (out, rc == XC_EPOLICY_CODE ? XC_EPOLICY
                                   : rc, "%s", why);
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
    /* Signed, so the registration node can refuse to answer a query
       whose asker has given up (intake.c). */
    q.deadline = now + (uint64_t) node->config.query_deadline_ms;
    /* Which township asks, for the registration county's log and
       report; never the operator, who stays in our own log. */
    char township[10];
    xc_audit_actor_township (township);
    q.township = township;
    snprintf (p->actor, sizeof p->actor, "%s", xc_audit_actor ());
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    int rc = xc_node_seal (node, &msg, XIECHA__MSG_TYPE__MSG_QUERY, p->home, NULL,
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
                  uint64_t now, uint8_t **cert, size_t *cert_len,
                  xc_outcome_t *out)
{
    xc_opened_t op = {0};
    int rc = xc_envelope_open (p->envelope, p->envelope_len, &op, NULL, 0);
    if (rc == 0)
        rc = s_issue (node, txn, &op, now, cert, cert_len, out);
    if (rc == 0 && out->code) {   /* this node's roster cannot answer */
        char why[sizeof out->why];
        snprintf (why, sizeof why, "%s", out->why);
        xc_outcome_set (out, out->code, "%s %s", node->config.code, why);
        rc = xc_audit_refusal (node->store, txn, now, "same-county query",
                               out->why);
    }
    else if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_DECISION,
                              node->config.code, now,
                              "same county: certificate issued locally",
                              *cert, *cert_len, NULL);
    xc_opened_free (&op);
    return rc;
}

int
xc_query_client (xc_node_t *node, MDB_txn *txn,
                 const Xiecha__QueryRequest *req, uint64_t now,
                 xc_pending_t *p, uint8_t **local_cert,
                 size_t *local_cert_len, xc_outcome_t *out)
{
    memset (p, 0, sizeof *p);
    memset (out, 0, sizeof *out);
    *local_cert = NULL;
    char why[400];
    int code = s_check_request (node, req, p, why, sizeof why);
    int rc = 0;
    if (code)
        xc_outcome_set (out, code, "%s", why);
    else
        rc = s_check_policy (node, txn, req, p, now, out);
    if (rc || out->code)   /* a refusal is a local decision, audited */
        return rc ? rc : xc_audit_refusal (node->store, txn, now,
                                           "client query", out->why);
    snprintf (p->home, sizeof p->home, "%s", req->home_county);
    p->relation = xc_relation_of (node->config.code, p->home);
    p->sent_at = now;
    rc = s_seal_query (node, req, now, p);
    //  Same county: decided here and now, so logged here and now.  A
    //  query to another node is logged with its answer or its deadline
    //  (xc_query_sent): what decides it is durable before anyone hears
    //  of it, and the query costs no synced commit before it leaves.
    if (rc == 0 && strcmp (p->home, node->config.code) == 0) {
        rc = xc_query_sent (node, txn, p, now);
        p->logged = rc == 0;
        if (rc == 0)
            rc = s_answer_locally (node, txn, p, now, local_cert,
                                   local_cert_len, out);
    }
    if (rc || out->code) {
        xc_pending_free (p);
        free (*local_cert);
        *local_cert = NULL;
        return rc;
    }
    return xc_outcome_set (out, 0, "query sent");
}

/*  A certificate is only ours if it answers exactly the query we sent
    (xc_cert_check with the query, opened again from the bytes that went
    out) and has not expired. */
static int
s_check_binding (const xc_node_t *node, const Xiecha__Header *h,
                 const Xiecha__Certificate *c, const xc_pending_t *p,
                 uint64_t now, char *why, size_t why_len)
{
    xc_opened_t query = {0};
    int rc = xc_envelope_open (p->envelope, p->envelope_len, &query, NULL, 0);
    if (rc == 0)
        rc = xc_cert_check (h, c, &query, node->trust, why, why_len);
    else
        rc = xc_why (why, why_len, XC_EINTERNAL, "our own query does not "
                     "open");
    xc_opened_free (&query);
    if (rc == 0 && c->valid_until <= now)
        rc = xc_why (why, why_len, XC_ESTALE,
                     "certificate.valid_until: already expired");
    return rc;
}

/*  Past intake's checks (signature, clock, recipient): an answer must
    come from the node asked and be a certificate bound to our query, or
    a signed error. */
int
xc_query_check_answer (const xc_node_t *node, const xc_opened_t *op,
                       const xc_pending_t *p, uint64_t now, char *why,
                       size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    if (!p && h->type == XIECHA__MSG_TYPE__MSG_CERTIFICATE) {
        /* a late one is logged as received: held to every rule too */
        int rc = xc_cert_check (h, op->msg->certificate, NULL, node->trust,
                                why, why_len);
        return rc ? rc : xc_cert_check_times (op, node->trust, why, why_len);
    }
    if (!p)
        return 0;
    if (strcmp (h->sender, p->home) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "header.sender: answer from %s to a query sent to %s",
                       h->sender, p->home);
    if (h->type == XIECHA__MSG_TYPE__MSG_ERROR)
        return 0;
    if (h->type != XIECHA__MSG_TYPE__MSG_CERTIFICATE)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: an answer must be a certificate or error");
    int rc = s_check_binding (node, h, op->msg->certificate, p, now, why,
                              why_len);
    return rc ? rc : xc_cert_check_times (op, node->trust, why, why_len);
}

int
xc_query_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                 size_t len, const xc_opened_t *op,
                 const xc_pending_t *pending, uint64_t now,
                 xc_outcome_t *out)
{
    const Xiecha__Header *h = op->msg->header;
    const char *note = !pending ? XC_QUERY_NOTE_LATE
                       : h->type == XIECHA__MSG_TYPE__MSG_ERROR
                           ? "error" : XC_QUERY_NOTE_HANDED;
    if (pending && h->type == XIECHA__MSG_TYPE__MSG_ERROR) {
        const Xiecha__Error *e = op->msg->error;
        /* A roster that cannot answer is its own case for the terminal:
           the registration node answered, and said why not. */
        if (xc_errcode_to_xc (e->code) == XC_EROSTER)
            xc_outcome_set (out, XC_EROSTER, "%s %s", h->sender, e->message);
        else
            xc_outcome_set (out, XC_EREFUSED, "%s refused the query: %s: %s",
                            h->sender, xc_errcode_name (e->code),
                            e->message);
    }
    else
        xc_outcome_set (out, 0, "%s", note);
    return xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED, h->sender,
                            now, note, bytes, len, NULL);
}

int
xc_query_sent (xc_node_t *node, MDB_txn *txn, const xc_pending_t *p,
               uint64_t now)
{
    return xc_audit_append (node->store, txn, XC_AUDIT_SENT, p->home, now,
                            "query", p->envelope, p->envelope_len, NULL);
}

/*  The entries of a query that ends without an answer: the query, if
    it left and no refused answer logged it already, then why it ends:
    why NULL, its deadline passed; else why it was given up. */
static int
s_unanswered (xc_node_t *node, MDB_txn *txn, xc_pending_t *p, int sent,
              uint64_t now, const char *why)
{
    if (sent && !p->logged) {
        int rc = xc_query_sent (node, txn, p, now);
        if (rc)
            return rc;
        p->logged = true;
    }
    char note[300], idhex[2 * XC_MSGID_LEN + 1];
    xc_hex (p->msg_id, XC_MSGID_LEN, idhex);
    unsigned long long ms = (unsigned long long) (now - p->sent_at);
    if (why)
        snprintf (note, sizeof note, "query %s to %s %s after %llu ms: %s",
                  idhex, p->home, sent ? "unanswered" : "never sent", ms,
                  why);
    else
        snprintf (note, sizeof note, sent ? "query %s to %s unanswered "
                  "after %llu ms" : "query %s to %s not sent: no connection "
                  "within %llu ms; dropped", idhex, p->home, ms);
    return xc_audit_append (node->store, txn, XC_AUDIT_DECISION, p->home, now,
                            note, NULL, 0, NULL);
}

int
xc_query_deadline (xc_node_t *node, MDB_txn *txn, xc_pending_t *p,
                   int sent, uint64_t now)
{
    return s_unanswered (node, txn, p, sent, now, NULL);
}

int
xc_query_abandoned (xc_node_t *node, MDB_txn *txn, xc_pending_t *p,
                    int sent, uint64_t now, const char *why)
{
    return s_unanswered (node, txn, p, sent, now, why);
}

void
xc_pending_free (xc_pending_t *p)
{
    free (p->envelope);
    p->envelope = NULL;
    p->envelope_len = 0;
}
