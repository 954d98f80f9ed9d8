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

/*  The answers to one query, sized by its count: one result per
    subject, and one pool of the enrollments they list (most subjects
    list none, so a result does not keep XC_INDEX_MAX slots of its own).
    Enrollment node strings are copied in because index values must not
    outlive the transaction; pointers into the pool are made once it has
    stopped growing (s_answers_link). */
typedef struct {
    Xiecha__Enrollment e;
    char node[7];
} s_enrollment_t;

typedef struct {
    size_t count;                  /* subjects */
    Xiecha__SubjectResult *res;    /* [count] */
    Xiecha__SubjectResult **ptrs;  /* [count], into res */
    size_t *first;                 /* [count]: its first in pool */
    s_enrollment_t *pool;          /* [used] of [room] */
    size_t used, room;
    Xiecha__Enrollment **pool_ptrs;  /* [used], once linked */
} s_answers_t;

static int
s_answers_init (s_answers_t *a, size_t count)
{
    memset (a, 0, sizeof *a);
    a->count = count;
    a->res = calloc (count, sizeof *a->res);
    a->ptrs = calloc (count, sizeof *a->ptrs);
    a->first = calloc (count, sizeof *a->first);
    return a->res && a->ptrs && a->first ? 0 : XC_ENOMEM;
}

static void
s_answers_free (s_answers_t *a)
{
    free (a->res);
    free (a->ptrs);
    free (a->first);
    free (a->pool);
    free (a->pool_ptrs);
    memset (a, 0, sizeof *a);
}

/*  Room for n more enrollments; doubling, so O(total) over a query. */
static int
s_answers_room (s_answers_t *a, size_t n)
{
    if (a->used + n <= a->room)
        return 0;
    size_t room = a->room ? a->room : 64;
    while (room < a->used + n)
        room *= 2;
    s_enrollment_t *more = realloc (a->pool, room * sizeof *more);
    if (!more)
        return XC_ENOMEM;
    a->pool = more;
    a->room = room;
    return 0;
}

/*  Points every result at its enrollments, now that the pool stays. */
static int
s_answers_link (s_answers_t *a)
{
    a->pool_ptrs = calloc (a->used ? a->used : 1, sizeof *a->pool_ptrs);
    if (!a->pool_ptrs)
        return XC_ENOMEM;
    for (size_t k = 0; k < a->used; k++) {
        a->pool[k].e.node = a->pool[k].node;
        a->pool_ptrs[k] = &a->pool[k].e;
    }
    for (size_t i = 0; i < a->count; i++) {
        a->res[i].enrollments = a->res[i].n_enrollments
                                    ? a->pool_ptrs + a->first[i] : NULL;
        a->ptrs[i] = &a->res[i];
    }
    return 0;
}

/*  Looks subject i up and adds the enrollments that are active today in
    the programs asked about to its result. */
static int
s_lookup (xc_node_t *node, MDB_txn *txn, const Xiecha__Query *q, size_t i,
          uint32_t today, s_answers_t *a)
{
    xc_enrollment_t found[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, q->subjects[i].data, found,
                           XC_INDEX_MAX, &count);
    if (rc == 0)
        rc = s_answers_room (a, count);
    if (rc)
        return rc;
    Xiecha__SubjectResult *res = &a->res[i];
    xiecha__subject_result__init (res);
    res->subject = q->subjects[i];
    a->first[i] = a->used;
    for (size_t k = 0; k < count; k++) {
        int asked = 0;
        for (size_t p = 0; p < q->n_programs; p++)
            asked |= (int) q->programs[p] == found[k].program;
        if (!asked || !xc_enrollment_active (&found[k], today))
            continue;
        s_enrollment_t *e = &a->pool[a->used++];
        xiecha__enrollment__init (&e->e);
        e->e.program = found[k].program;
        e->e.since = found[k].since;
        e->e.until = found[k].until;
        memcpy (e->node, found[k].node, sizeof e->node);
        res->n_enrollments++;
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
           const s_answers_t *a, uint64_t now, Xiecha__RosterDate *dates,
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
            if (!xc_cert_receives (&a->res[i], q->programs[p]))
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
    int rc = xc_node_sign (node, &msg, cert, cert_len);
    /* The asker accepts its query's budget (wire.h); only subjects with
       many enrollments each get past it. */
    size_t most = xc_wire_message_max (c->n_results);
    if (rc == 0 && *cert_len > most) {
        size_t len = *cert_len;
        free (*cert);
        *cert = NULL;
        *cert_len = 0;
        return xc_outcome_set (out, XC_ETOOBIG, "certificate: %zu bytes for "
                               "%zu subjects, over the %zu bytes a query of "
                               "as many may take; ask about fewer subjects "
                               "at once", len, c->n_results, most);
    }
    return rc;
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
    s_answers_t a;
    int rc = s_answers_init (&a, q->n_subjects);
    Xiecha__RosterDate *dates = calloc (q->n_programs, sizeof *dates);
    Xiecha__RosterDate **date_ptrs = calloc (q->n_programs, sizeof *date_ptrs);
    if (!dates || !date_ptrs)
        rc = XC_ENOMEM;
    uint32_t today = xc_node_today (node, now);
    for (size_t i = 0; rc == 0 && i < q->n_subjects; i++)
        rc = s_lookup (node, txn, q, i, today, &a);
    if (rc == 0)
        rc = s_answers_link (&a);
    char why[400];
    if (rc == 0)
        rc = s_rosters (node, txn, q, &a, now, dates, date_ptrs, why,
                        sizeof why);
    if (rc == XC_EROSTER)
        rc = xc_outcome_set (out, XC_EROSTER, "%s", why);
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = h->msg_id;
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, (uint8_t *) op->digest};
    c.requester = h->sender;
    c.n_results = q->n_subjects;
    c.results = a.ptrs;
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
    s_answers_free (&a);
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
    p->ref_count = req->n_members + 1;
    p->refs = calloc (p->ref_count, sizeof *p->refs);
    if (!p->refs)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
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
    ProtobufCBinaryData *subjects = calloc (p->ref_count, sizeof *subjects);
    if (!subjects)
        return XC_ENOMEM;
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
    free (subjects);
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
    if (rc || out->code) {   /* a refusal is a local decision, audited */
        xc_pending_free (p);
        return rc ? rc : xc_audit_refusal (node->store, txn, now,
                                           "client query", out->why);
    }
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
    free (p->refs);
    p->refs = NULL;
    p->ref_count = 0;
    free (p->envelope);
    p->envelope = NULL;
    p->envelope_len = 0;
}
