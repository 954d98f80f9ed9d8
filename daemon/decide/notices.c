/*  notices.c - enrollment, termination and emergency-aid notices.

    Reading order: the residence side first (xc_notice_client, then
    xc_notice_answer), then the registration side (xc_notice_apply). */
#include <string.h>

#include <xiecha/request.h>

#include "decide/apply.h"
#include "decide/households.h"
#include "decide/notices.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/index.h"
#include "store/outbox.h"
#include "store/seen.h"

const char *
xc_notice_kind_name (int kind)
{
    switch (kind) {
    case XIECHA__NOTICE_KIND__ENROLLMENT: return "ENROLLMENT";
    case XIECHA__NOTICE_KIND__TERMINATION: return "TERMINATION";
    case XIECHA__NOTICE_KIND__EMERGENCY_AID: return "EMERGENCY_AID";
    default: return "?";
    }
}

static const char *
s_field (size_t i, char *buf, size_t len)
{
    if (i == 0)
        return "applicant";
    snprintf (buf, len, "members[%zu]", i - 1);
    return buf;
}

/* --------------------------------------------------------------------------
   Residence side: a terminal reports a decision
   -------------------------------------------------------------------------- */

/*  No home_county: the applicant holds a residence permit or a
    foreigner's ID and has no registration county (the request rules
    allow it only then), so this node records the notice itself, as for
    someone registered here. */
static int
s_recorded_here (const Xiecha__NoticeRequest *r)
{
    return !r->home_county || !*r->home_county;
}

/*  The request rules (xiecha/request.h, the same the client library
    applies), then what only the node knows: the trust list. */
static int
s_check_request (xc_node_t *node, const Xiecha__NoticeRequest *r,
                 uint64_t now, char *why, size_t why_len)
{
    int rc = xc_request_check_notice (r, now, why, why_len);
    if (rc == 0 && !s_recorded_here (r)
        && !xc_trust_node (node->trust, r->home_county))
        rc = xc_why (why, why_len, XC_EINVAL,
                     "home_county: '%s' is not a node in the trust list",
                     r->home_county);
    return rc;
}

typedef struct {
    uint8_t refs[XC_MAX_SUBJECTS][XC_REF_LEN];
    ProtobufCBinaryData subjects[XC_MAX_SUBJECTS];
    size_t count;
} s_subjects_t;

/*  The subject refs of applicant and members (request.h has checked the
    count, the IDs and that no one is listed twice). */
static int
s_collect (xc_node_t *node, const Xiecha__NoticeRequest *r, s_subjects_t *s,
           char *why, size_t why_len)
{
    s->count = r->n_members + 1;
    for (size_t i = 0; i < s->count; i++) {
        char buf[32], field[48];
        snprintf (field, sizeof field, "%s.id_number",
                  s_field (i, buf, sizeof buf));
        int rc = xc_node_subject (node, i ? r->members[i - 1] : r->applicant,
                                  field, s->refs[i], why, why_len);
        if (rc)
            return rc;
        s->subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, s->refs[i]};
    }
    return 0;
}

/*  A household is one thing everywhere: as a check-in by any member is
    the household's, so a termination of any member ends the household's
    enrollment in that program, unless the case worker asked to end only
    the people named (member_only).  Adds the other members to s. */
static int
s_household (xc_node_t *node, MDB_txn *txn, const Xiecha__NoticeRequest *r,
             s_subjects_t *s, xc_outcome_t *out)
{
    if (r->kind != XIECHA__NOTICE_KIND__TERMINATION || r->member_only)
        return 0;
    size_t named = s->count;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < named; i++)
        rc = xc_households_members (node->store, txn, s->refs[i], r->program,
                                    s->refs, &s->count, XC_MAX_SUBJECTS);
    if (rc == XC_ETOOBIG)
        return xc_outcome_set (out, XC_EINVAL, "members: the households of "
                               "the people named have more than %d members; "
                               "end them one household at a time",
                               XC_MAX_SUBJECTS);
    for (size_t i = named; rc == 0 && i < s->count; i++)
        s->subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, s->refs[i]};
    return rc;
}

uint32_t
xc_notice_count (const uint8_t *env, size_t len)
{
    xc_opened_t op = {0};
    uint32_t n = 0;
    if (env && xc_envelope_open (env, len, &op, NULL, 0) == 0
        && op.msg->body_case == XIECHA__SIGNED__BODY_NOTICE)
        n = (uint32_t) op.msg->notice->n_subjects;
    xc_opened_free (&op);
    return n;
}

typedef struct {
    xc_store_t *store;
    const Xiecha__Notice *n;
    const char *payer;
} s_apply_t;

static int
s_apply_fn (MDB_txn *txn, void *arg)
{
    s_apply_t *a = arg;
    return xc_apply_notice (a->store, txn, a->n, a->payer);
}

/*  Applies n in a nested transaction: a subject whose index record is
    full (XC_INDEX_MAX enrollments) makes it a refusal of this notice,
    with nothing of it written, never a failure of the batch. */
static int
s_apply_refusing_full (xc_store_t *store, MDB_txn *txn,
                       const Xiecha__Notice *n, const char *payer,
                       xc_outcome_t *out)
{
    s_apply_t a = {store, n, payer};
    int rc = xc_store_nest (txn, s_apply_fn, &a);
    if (rc != XC_ETOOBIG)
        return rc;
    return xc_outcome_set (out, XC_ETOOBIG, "subjects: a person's index "
                           "record holds at most %d enrollments; this %s "
                           "%s does not fit", XC_INDEX_MAX,
                           xc_program_name (n->program),
                           xc_notice_kind_name (n->kind));
}

/*  The local index records what this node pays.  Every check runs before
    any write, so a refused request changes nothing: a refusal goes to
    *out, the return is a store error only. */
static int
s_local_apply (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
               const s_subjects_t *s, xc_outcome_t *out)
{
    const char *me = node->config.code;
    for (size_t i = 0; n->kind == XIECHA__NOTICE_KIND__TERMINATION
                       && i < s->count; i++) {
        xc_enrollment_t found;
        int rc = xc_apply_find_open (node->store, txn, s->refs[i], n->program,
                                     me, n->end_date, &found);
        if (rc != XC_ENOTFOUND) {
            if (rc)
                return rc;
            continue;
        }
        char buf[32];
        /* An open enrollment that starts after the end date is a typo in
           the date, not a missing enrollment: say which. */
        rc = xc_apply_find_open (node->store, txn, s->refs[i], n->program, me,
                                 UINT32_MAX, &found);
        if (rc == 0)
            return xc_outcome_set (out, XC_EINVAL, "end_date: %u is before "
                                   "the start of %s's %s enrollment (%u)",
                                   n->end_date, s_field (i, buf, sizeof buf),
                                   xc_program_name (n->program), found.since);
        if (rc != XC_ENOTFOUND)
            return rc;
        return xc_outcome_set (out, XC_ENOTENROLLED, "%s: no open %s "
                               "enrollment at this node to end",
                               s_field (i, buf, sizeof buf),
                               xc_program_name (n->program));
    }
    return s_apply_refusing_full (node->store, txn, n, me, out);
}

static int
s_seal_notice (xc_node_t *node, const Xiecha__NoticeRequest *r,
               s_subjects_t *s, uint64_t now, xc_outbox_item_t *item)
{
    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    n.kind = r->kind;
    n.n_subjects = s->count;
    n.subjects = s->subjects;
    n.program = r->program;
    n.start_date = r->kind == XIECHA__NOTICE_KIND__TERMINATION ? 0
                                                               : r->start_date;
    n.end_date = r->kind == XIECHA__NOTICE_KIND__TERMINATION ? r->end_date : 0;
    n.reason = r->kind == XIECHA__NOTICE_KIND__TERMINATION ? r->reason : 0;
    n.amount_band = r->amount_band;
    n.aid_reason = r->aid_reason ? r->aid_reason : "";
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    int rc = xc_node_seal (node, &msg, XIECHA__MSG_TYPE__MSG_NOTICE,
                             r->home_county, NULL, now, &item->env,
                             &item->env_len);
    return rc;
}

/*  The id of a sealed envelope, read back from its own bytes. */
static int
s_envelope_id (const uint8_t *env, size_t len, uint8_t id[XC_MSGID_LEN],
               uint8_t digest[XC_HASH_LEN])
{
    xc_opened_t op = {0};
    int rc = xc_envelope_open (env, len, &op, NULL, 0);
    if (rc == 0) {
        memcpy (id, op.msg->header->msg_id.data, XC_MSGID_LEN);
        if (digest)
            memcpy (digest, op.digest, XC_HASH_LEN);
    }
    xc_opened_free (&op);
    return rc ? XC_EINTERNAL : 0;
}

/*  Same county, or no registration county at all: this node is the
    registration place; apply it here.  note says which, in the audit. */
static int
s_apply_locally (xc_node_t *node, MDB_txn *txn, xc_outbox_item_t *item,
                 const char *note, uint64_t now, xc_outcome_t *out)
{
    xc_opened_t op = {0};
    uint8_t *reply = NULL;
    size_t reply_len = 0;
    int rc = xc_envelope_open (item->env, item->env_len, &op, NULL, 0);
    if (rc == 0) {
        /* The client is told the id of what was recorded. */
        memcpy (item->id, op.msg->header->msg_id.data, XC_MSGID_LEN);
        rc = xc_audit_append (node->store, txn, XC_AUDIT_DECISION,
                              node->config.code, now, note, item->env,
                              item->env_len, NULL);
    }
    if (rc == 0)
        rc = xc_notice_apply (node, txn, item->env, item->env_len, &op, now,
                              &reply, &reply_len, out);
    item->state = XC_OUTBOX_LOCAL;   /* nothing to send */
    free (reply);
    xc_opened_free (&op);
    return rc;
}

/*  Queues the sealed notice for the registration node, with what this
    node now pays and the audit entry, all in the caller's transaction. */
static int
s_queue (xc_node_t *node, MDB_txn *txn, const Xiecha__NoticeRequest *req,
         const s_subjects_t *s, uint64_t now, xc_outbox_item_t *item)
{
    int rc = s_envelope_id (item->env, item->env_len, item->id, NULL);
    if (rc == 0) {
        snprintf (item->home, sizeof item->home, "%s", req->home_county);
        item->kind = (uint8_t) req->kind;
        item->state = XC_OUTBOX_PENDING;
        item->created_at = now;
        rc = xc_outbox_put (node->store, txn, item);
    }
    if (rc == 0)   /* dynamic management follows what this node pays */
        rc = xc_households_noticed (node, txn, req->kind, req->program,
                                    req->home_county, req->start_date,
                                    s->subjects, s->count, 0);
    if (rc)
        return rc;
    char note[160];
    snprintf (note, sizeof note, "%s %s of %zu subject(s) queued for %s",
              xc_notice_kind_name (req->kind), xc_program_name (req->program),
              s->count, req->home_county);
    return xc_audit_append (node->store, txn, XC_AUDIT_SENT, req->home_county,
                            now, note, item->env, item->env_len, NULL);
}

int
xc_notice_client (xc_node_t *node, MDB_txn *txn,
                  const Xiecha__NoticeRequest *req, uint64_t now,
                  xc_outbox_item_t *item, xc_outcome_t *out)
{
    memset (item, 0, sizeof *item);
    memset (out, 0, sizeof *out);
    s_subjects_t *s = calloc (1, sizeof *s);
    if (!s)
        return XC_ENOMEM;
    char why[400];
    int rc = 0, code = s_check_request (node, req, now, why, sizeof why);
    const char *local = "same county: notice applied locally";
    Xiecha__NoticeRequest here;
    if (code == 0 && s_recorded_here (req)) {
        here = *req;
        here.home_county = node->config.code;
        req = &here;
        local = "no registration county (residence permit or foreigner's "
                "ID): notice recorded here";
    }
    if (code == 0)
        code = s_collect (node, req, s, why, sizeof why);
    if (code)
        xc_outcome_set (out, code, "%s", why);
    else
        rc = s_household (node, txn, req, s, out);
    if (rc == 0 && !out->code)
        rc = s_seal_notice (node, req, s, now, item);
    if (rc == 0 && !out->code
        && strcmp (req->home_county, node->config.code) == 0) {
        rc = s_apply_locally (node, txn, item, local, now, out);
        goto done;
    }
    if (rc == 0 && !out->code) {
        Xiecha__Notice n = XIECHA__NOTICE__INIT;
        n.kind = req->kind;
        n.program = req->program;
        n.start_date = req->start_date;
        n.end_date = req->end_date;
        n.n_subjects = s->count;
        n.subjects = s->subjects;
        rc = s_local_apply (node, txn, &n, s, out);
    }
    if (rc == 0 && out->code) {   /* a refusal is a local decision */
        xc_outbox_item_free (item);
        rc = xc_audit_refusal (node->store, txn, now, "client notice",
                               out->why);
    }
    else if (rc == 0)
        rc = s_queue (node, txn, req, s, now, item);
done:
    if (rc)
        xc_outbox_item_free (item);
    free (s);
    return rc;
}

/* --------------------------------------------------------------------------
   Residence side: the home node answers a notice
   -------------------------------------------------------------------------- */

/*  Undoes the local index change of a notice the home node refused, so
    this node does not go on believing it pays someone it may not. */
static int
s_local_undo (xc_node_t *node, MDB_txn *txn, const xc_outbox_item_t *item)
{
    xc_opened_t op = {0};
    int rc = xc_envelope_open (item->env, item->env_len, &op, NULL, 0);
    if (rc)
        return XC_EINTERNAL;
    const Xiecha__Notice *n = op.msg->notice;
    rc = xc_apply_undo (node->store, txn, n, node->config.code);
    if (rc == 0)
        rc = xc_households_noticed (node, txn, n->kind, n->program,
                                    item->home, n->start_date, n->subjects,
                                    n->n_subjects, 1);
    xc_opened_free (&op);
    return rc;
}

/*  Past intake's checks (signature, clock, recipient): the answer must
    come from the node the notice went to and, an ack, name its digest. */
static int
s_check_answer (const xc_opened_t *op, const xc_outbox_item_t *item,
                char *why, size_t why_len)
{
    const Xiecha__Header *h = op->msg->header;
    if (strcmp (h->sender, item->home) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       "header.sender: answer from %s to a notice sent to %s",
                       h->sender, item->home);
    if (h->type == XIECHA__MSG_TYPE__MSG_ERROR)
        return 0;
    if (h->type != XIECHA__MSG_TYPE__MSG_ACK)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: a notice is answered by an ack or an "
                       "error, not by type %d", (int) h->type);
    uint8_t id[XC_MSGID_LEN], digest[XC_HASH_LEN];
    int rc = s_envelope_id (item->env, item->env_len, id, digest);
    if (rc == 0 && memcmp (op->msg->ack->notice_digest.data, digest,
                           XC_HASH_LEN) != 0)
        rc = xc_why (why, why_len, XC_EBINDING,
                     "ack.notice_digest: not the digest of our notice");
    return rc;
}

/*  The registration node refused the notice.  For good (xc_errcode_final):
    kept as REJECTED, the local change undone, *settled.  Otherwise
    (clock, trust list) it stays pending and is sent again. */
static int
s_rejected (xc_node_t *node, MDB_txn *txn, xc_outbox_item_t *item,
            const Xiecha__Error *e, xc_outcome_t *out, int *settled)
{
    xc_outcome_set (out, xc_errcode_to_xc (e->code),
                    "%s refused the notice: %s", item->home, e->message);
    /* Errors that no retry can cure end the notice's journey. */
    if (!xc_errcode_final (e->code)) {
        xc_warn ("%s; will retry", out->why);
        return 0;
    }
    *settled = 1;
    item->state = XC_OUTBOX_REJECTED;
    snprintf (item->note, sizeof item->note, "%s", out->why);
    int rc = xc_outbox_put (node->store, txn, item);
    if (rc == 0)
        rc = s_local_undo (node, txn, item);
    xc_warn ("%s", out->why);
    return rc;
}

int
xc_notice_answer (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                  size_t len, const xc_opened_t *op, uint64_t now,
                  xc_outcome_t *out, int *settled)
{
    const Xiecha__Header *h = op->msg->header;
    xc_outbox_item_t item = {0};
    memset (out, 0, sizeof *out);
    *settled = 0;
    int rc = xc_outbox_get (node->store, txn, h->in_reply_to.data, &item);
    if (rc && rc != XC_ENOTFOUND)
        return rc;
    int found = rc == 0 && item.state == XC_OUTBOX_PENDING;
    rc = 0;
    char why[400];
    int code = found ? s_check_answer (op, &item, why, sizeof why) : 0;
    const char *note = "ack";
    if (code) {
        xc_outcome_set (out, code, "%s", why);
        char refused[460];
        snprintf (refused, sizeof refused, "notice answer refused: %s", why);
        xc_warn ("notice answer from %s refused: %s", h->sender, why);
        rc = xc_audit_append (node->store, txn, XC_AUDIT_REFUSED, h->sender,
                              now, refused, bytes, len, NULL);
        goto done;
    }
    if (!found)
        note = "answer to nothing pending (late or duplicate)";
    else if (h->type == XIECHA__MSG_TYPE__MSG_ACK) {
        rc = xc_outbox_del (node->store, txn, item.id);
        *settled = 1;
    }
    else {
        note = XC_APPLY_NOTE_REJECTED;
        rc = s_rejected (node, txn, &item, op->msg->error, out, settled);
    }
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED, h->sender,
                              now, note, bytes, len, NULL);
done:
    xc_outbox_item_free (&item);
    return rc;
}

/* --------------------------------------------------------------------------
   Registration side: apply exactly once
   -------------------------------------------------------------------------- */

/*  Conflicts are decided, not ignored: someone already receiving this
    program from another node cannot be enrolled by a second one.  A
    refusal goes to *out; the return is a store error only. */
static int
s_check_notice (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
                const char *sender, uint64_t now, xc_outcome_t *out)
{
    uint32_t today = xc_date_from_ms (now);
    for (size_t i = 0; i < n->n_subjects; i++) {
        const uint8_t *ref = n->subjects[i].data;
        if (n->kind == XIECHA__NOTICE_KIND__TERMINATION) {
            xc_enrollment_t e;
            int rc = xc_apply_find_open (node->store, txn, ref, n->program,
                                         sender, n->end_date, &e);
            if (rc == XC_ENOTFOUND)
                return xc_outcome_set (out, XC_ENOTENROLLED, "subjects[%zu]: "
                                       "no open %s enrollment paid by %s to "
                                       "end", i, xc_program_name (n->program),
                                       sender);
            if (rc)
                return rc;
            continue;
        }
        if (n->kind != XIECHA__NOTICE_KIND__ENROLLMENT)
            continue;   /* emergency aid comes first, by policy */
        xc_enrollment_t list[XC_INDEX_MAX];
        size_t count = 0;
        int rc = xc_index_get (node->store, txn, ref, list, XC_INDEX_MAX,
                               &count);
        if (rc)
            return rc;
        for (size_t j = 0; j < count; j++)
            if (list[j].program == n->program
                && xc_enrollment_active (&list[j], today)
                && strncmp (list[j].node, sender, 6) != 0)
                return xc_outcome_set (out, XC_ECONFLICT, "subjects[%zu] "
                                       "already receives %s paid by %s since "
                                       "%04u-%02u-%02u", i,
                                       xc_program_name (n->program),
                                       list[j].node, list[j].since / 10000,
                                       list[j].since / 100 % 100,
                                       list[j].since % 100);
    }
    return 0;
}

/*  Answers with a signed body and remembers it under the notice's id, so a
    redelivery gets these very bytes again. */
static int
s_answer (xc_node_t *node, MDB_txn *txn, const xc_opened_t *op,
          Xiecha__Signed *msg, Xiecha__MsgType type, const char *note,
          uint64_t now, uint8_t **reply, size_t *reply_len)
{
    const Xiecha__Header *h = op->msg->header;
    int rc = xc_node_seal (node, msg, type, h->sender, &h->msg_id, now,
                           reply, reply_len);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_SENT, h->sender, now,
                              note, *reply, *reply_len, NULL);
    if (rc == 0)
        rc = xc_seen_put (node->store, txn, h->sender, h->msg_id.data,
                          op->digest, *reply, *reply_len);
    return rc;
}

int
xc_notice_apply (xc_node_t *node, MDB_txn *txn, const uint8_t *bytes,
                 size_t len, const xc_opened_t *op, uint64_t now,
                 uint8_t **reply, size_t *reply_len, xc_outcome_t *out)
{
    const Xiecha__Notice *n = op->msg->notice;
    const char *sender = op->msg->header->sender;
    char note[600];
    memset (out, 0, sizeof *out);
    int rc = s_check_notice (node, txn, n, sender, now, out);
    if (rc == 0 && !out->code)
        rc = s_apply_refusing_full (node->store, txn, n, sender, out);
    if (rc)
        return rc;
    if (out->code == 0)
        snprintf (note, sizeof note, "%s %s of %zu subject(s) from %s%s",
                  xc_notice_kind_name (n->kind), xc_program_name (n->program),
                  n->n_subjects, sender, XC_APPLY_NOTE_APPLIED);
    else
        snprintf (note, sizeof note, "%s from %s refused: %s",
                  xc_notice_kind_name (n->kind), sender, out->why);
    rc = xc_audit_append (node->store, txn, out->code ? XC_AUDIT_REFUSED
                          : XC_AUDIT_RECEIVED, sender, now, note, bytes, len,
                          NULL);
    if (rc)
        return rc;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    if (out->code) {
        Xiecha__Error err = XIECHA__ERROR__INIT;
        err.code = xc_errcode_from_xc (out->code);
        err.message = out->why;
        err.request_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                                    (uint8_t *) op->digest};
        msg.body_case = XIECHA__SIGNED__BODY_ERROR;
        msg.error = &err;
        return s_answer (node, txn, op, &msg, XIECHA__MSG_TYPE__MSG_ERROR,
                         "error", now, reply, reply_len);
    }
    xc_outcome_set (out, 0, "%s", note);
    Xiecha__Ack ack = XIECHA__ACK__INIT;
    ack.notice_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                               (uint8_t *) op->digest};
    ack.outcome = note;
    msg.body_case = XIECHA__SIGNED__BODY_ACK;
    msg.ack = &ack;
    return s_answer (node, txn, op, &msg, XIECHA__MSG_TYPE__MSG_ACK, "ack",
                     now, reply, reply_len);
}
