/*  notices.c - enrollment, termination and emergency-aid notices.

    Reading order: the residence side first (xc_notice_client, then
    xc_notice_answer), then the registration side (xc_notice_apply). */
#include <string.h>

#include <xiecha/request.h>

#include "decide/apply.h"
#include "decide/conflicts.h"
#include "decide/households.h"
#include "decide/notices.h"
#include "decide/refusal.h"
#include "decide/sealed.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/index.h"
#include "store/outbox.h"

const char *
xc_notice_kind_name (int kind)
{
    switch (kind) {
    case XIECHA__NOTICE_KIND__ENROLLMENT: return "ENROLLMENT";
    case XIECHA__NOTICE_KIND__TERMINATION: return "TERMINATION";
    case XIECHA__NOTICE_KIND__EMERGENCY_AID: return "EMERGENCY_AID";
    case XIECHA__NOTICE_KIND__CONFLICT: return "CONFLICT";
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

/*  A notice's date may lie at most limits/date_past_days before the day
    it was made and limits/date_future_days after: no node can squat on a
    person with an enrollment dated far away (periods are compared, so an
    open enrollment from 1900 would block everyone for ever).  made is
    the notice's created_at: a notice that waited out an outage in an
    outbox is judged by when it was made. */
static int
s_check_date_bounds (const xc_node_t *node, uint32_t date, const char *field,
                     uint64_t made, char *why, size_t why_len)
{
    int64_t day = xc_date_days (xc_node_today (node, made));
    int64_t earliest = day - node->config.date_past_days;
    int64_t latest = day + node->config.date_future_days;
    int64_t d = xc_date_days (date);
    if (d >= earliest && d <= latest)
        return 0;
    char text[11], bound[11];
    xc_date_text (date, text);
    xc_date_text (xc_date_of_days (d < earliest ? earliest : latest), bound);
    return xc_why (why, why_len, XC_EINVAL, "%s: %s is %s %s (limits/%s)",
                   field, text, d < earliest ? "before" : "after", bound,
                   d < earliest ? "date_past_days" : "date_future_days");
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
    applies), then what only the node knows: the trust list and the date
    bounds the registration node will apply too. */
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
    int end = r->kind == XIECHA__NOTICE_KIND__TERMINATION;
    if (rc == 0)
        rc = s_check_date_bounds (node, end ? r->end_date : r->start_date,
                                  end ? "end_date" : "start_date", now, why,
                                  why_len);
    return rc;
}

typedef struct {
    uint8_t refs[XC_MAX_HOUSEHOLD][XC_REF_LEN];
    ProtobufCBinaryData subjects[XC_MAX_HOUSEHOLD];
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
                                    s->refs, &s->count, XC_MAX_HOUSEHOLD);
    if (rc == XC_ETOOBIG)
        return xc_outcome_set (out, XC_EINVAL, "members: the households of "
                               "the people named have more than %d members; "
                               "end them one household at a time",
                               XC_MAX_HOUSEHOLD);
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
    /* The township that approved it, fed back to the registration
       place; never the operator. */
    char township[10];
    xc_audit_actor_township (township);
    n.township = township;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    int rc = xc_node_seal (node, &msg, XIECHA__MSG_TYPE__MSG_NOTICE,
                             r->home_county, NULL, now, &item->env,
                             &item->env_len);
    return rc;
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
    char note[160];
    snprintf (note, sizeof note, "%s %s of %zu subject(s) queued for %s",
              xc_notice_kind_name (req->kind), xc_program_name (req->program),
              s->count, req->home_county);
    int rc = xc_sealed_queue (node, txn, item, req->home_county, req->kind,
                              now, note);
    if (rc == 0)   /* dynamic management follows what this node pays */
        rc = xc_households_noticed (node, txn, req->kind, req->program,
                                    req->home_county, req->start_date,
                                    s->subjects, s->count, 0);
    return rc;
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
    int rc = xc_sealed_id (item->env, item->env_len, id, digest);
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
                  size_t len, const char *peer, const xc_opened_t *op,
                  uint64_t now, xc_outcome_t *out, int *settled)
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
        char refused[XC_REFUSAL_NOTE_MAX];
        snprintf (refused, sizeof refused, "notice answer refused: %s", why);
        rc = xc_refusal_audit (node, txn, peer, now, code, "notice answer",
                               refused, bytes, len, op, NULL);
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

/*  Someone already paid this program after another node's notice, in a
    period that overlaps the new one's, cannot be enrolled by a second
    one: refused, and the residence county resolves it with the payer
    first.  One this node's own roster pays can: the roster states what
    this county pays and the notice what the other does, so both stand
    and the conflict is surfaced once the notice applies (conflicts.h).
    A refusal goes to *out; the return is a store error only. */
static int
s_check_enrollment (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
                    size_t i, const char *sender, xc_outcome_t *out)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, n->subjects[i].data, list,
                           XC_INDEX_MAX, &count);
    for (size_t j = 0; rc == 0 && j < count; j++) {
        const xc_enrollment_t *e = &list[j];
        if (e->program != n->program || e->source != XC_SOURCE_NOTICE
            || strncmp (e->node, sender, 6) == 0
            || !xc_period_overlap (n->start_date, 0, e->since, e->until))
            continue;
        char since[11], until[11] = "", start[11];
        xc_date_text (e->since, since);
        if (e->until)
            xc_date_text (e->until, until);
        xc_date_text (n->start_date, start);
        return xc_outcome_set (out, XC_ECONFLICT, "subjects[%zu] already "
                               "receives %s paid by %s from %s%s%s, a period "
                               "the enrollment from %s overlaps", i,
                               xc_program_name (n->program), e->node, since,
                               e->until ? " until " : "", until, start);
    }
    return rc;
}

/*  A CONFLICT notice comes from the registration node of someone this
    node pays after its own notice: anything else is not ours to list. */
static int
s_check_conflict (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
                  xc_outcome_t *out)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t count = 0;
    int rc = xc_index_get (node->store, txn, n->subjects[0].data, list,
                           XC_INDEX_MAX, &count);
    for (size_t j = 0; rc == 0 && j < count; j++)
        if (list[j].program == n->program
            && list[j].source == XC_SOURCE_NOTICE
            && strncmp (list[j].node, node->config.code, 6) == 0)
            return 0;
    return rc ? rc : xc_outcome_set (out, XC_ENOTENROLLED, "subjects[0]: "
                                     "%s pays no %s to this person by "
                                     "notice; the conflict is not its",
                                     node->config.code,
                                     xc_program_name (n->program));
}

/*  Every check before any write, so a refused notice changes nothing.
    A refusal goes to *out; the return is a store error only. */
static int
s_check_notice (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
                const char *sender, uint64_t made, xc_outcome_t *out)
{
    char why[300];
    int end = n->kind == XIECHA__NOTICE_KIND__TERMINATION;
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT)
        return s_check_conflict (node, txn, n, out);
    if (s_check_date_bounds (node, end ? n->end_date : n->start_date,
                             end ? "notice.end_date" : "notice.start_date",
                             made, why, sizeof why))
        return xc_outcome_set (out, XC_EINVAL, "%s", why);
    for (size_t i = 0; i < n->n_subjects; i++) {
        const uint8_t *ref = n->subjects[i].data;
        int rc = 0;
        if (end) {
            xc_enrollment_t e;
            rc = xc_apply_find_open (node->store, txn, ref, n->program,
                                     sender, n->end_date, &e);
            if (rc == XC_ENOTFOUND)
                return xc_outcome_set (out, XC_ENOTENROLLED, "subjects[%zu]: "
                                       "no open %s enrollment paid by %s to "
                                       "end", i, xc_program_name (n->program),
                                       sender);
        }
        else if (n->kind == XIECHA__NOTICE_KIND__ENROLLMENT)
            rc = s_check_enrollment (node, txn, n, i, sender, out);
        /* emergency aid comes first, by policy: never refused here */
        if (rc || out->code)
            return rc;
    }
    return 0;
}

/*  What an applied notice means for conflicts (conflicts.h): an
    enrollment may overlap this node's roster, a termination resolves
    the conflicts its enrollment was in. */
static int
s_conflicts_after (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
                   const char *sender, uint64_t now)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n->n_subjects; i++) {
        const uint8_t *ref = n->subjects[i].data;
        if (n->kind == XIECHA__NOTICE_KIND__TERMINATION)
            rc = xc_conflicts_resolve (node, txn, ref, n->program, sender,
                                       n->end_date, now);
        if (n->kind != XIECHA__NOTICE_KIND__ENROLLMENT)
            continue;
        xc_enrollment_t list[XC_INDEX_MAX];
        size_t count = 0;
        rc = xc_index_get (node->store, txn, ref, list, XC_INDEX_MAX, &count);
        if (rc == 0)
            rc = xc_conflicts_notice (node, txn, ref, n->program, sender,
                                      n->start_date, list, count, now);
    }
    return rc;
}

/*  Applies a checked notice: a conflict is recorded as told, anything
    else changes the index; then its conflicts. */
static int
s_apply (xc_node_t *node, MDB_txn *txn, const Xiecha__Notice *n,
         const char *sender, uint64_t now, xc_outcome_t *out)
{
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT)
        return xc_apply_conflict (node->store, txn, n, sender,
                                  node->config.code);
    int rc = s_apply_refusing_full (node->store, txn, n, sender, out);
    if (rc == 0 && !out->code)
        rc = s_conflicts_after (node, txn, n, sender, now);
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
    int rc = s_check_notice (node, txn, n, sender,
                             op->msg->header->created_at, out);
    if (rc == 0 && !out->code)
        rc = s_apply (node, txn, n, sender, now, out);
    if (rc)
        return rc;
    //  The reporting township, as the notice carries it signed.
    char township[32] = "";
    if (n->township && *n->township)
        snprintf (township, sizeof township, ", township %s", n->township);
    if (out->code == 0)
        snprintf (note, sizeof note, "%s %s of %zu subject(s) from %s%s%s",
                  xc_notice_kind_name (n->kind), xc_program_name (n->program),
                  n->n_subjects, sender, township, XC_APPLY_NOTE_APPLIED);
    else
        snprintf (note, sizeof note, "%s from %s refused: %s",
                  xc_notice_kind_name (n->kind), sender, out->why);
    rc = out->code ? xc_refusal_decided (node, txn, sender, now, note, bytes,
                                         len, op)
                   : xc_audit_append (node->store, txn, XC_AUDIT_RECEIVED,
                                      sender, now, note, bytes, len, NULL);
    if (rc)
        return rc;
    if (out->code)
        return xc_sealed_error (node, txn, op, out->code, out->why, now, reply,
                              reply_len);
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    xc_outcome_set (out, 0, "%s", note);
    Xiecha__Ack ack = XIECHA__ACK__INIT;
    ack.notice_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                               (uint8_t *) op->digest};
    ack.outcome = note;
    msg.body_case = XIECHA__SIGNED__BODY_ACK;
    msg.ack = &ack;
    return xc_sealed_answer (node, txn, op, &msg, XIECHA__MSG_TYPE__MSG_ACK,
                           "ack", now, reply, reply_len);
}
