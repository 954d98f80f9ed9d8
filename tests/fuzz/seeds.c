/*  seeds.c - writes the seed corpora: a handful of valid inputs per
    target, made by the real code from the fuzz fixture (xf_node.h), so
    they stay valid when a format changes.

        fuzz-seeds CORPUS_DIR SOURCE_DIR

    writes CORPUS_DIR/<target>/<name> for every target (the directories
    must exist; make-seeds.sh empties and fills tests/fuzz/corpus).
    SOURCE_DIR is the source tree, for the example configs and policy
    presets.  Everything is the same in every run but the keys, made
    afresh each time: the seeds of the offline checks carry the trust
    list their signatures verify against, and a raw envelope of the
    peer and answer seeds fails its signature in another run (as it
    should: it tests the refusal). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "office/jobs.h"
#include "xf.h"
#include "xf_node.h"

static const char *s_out;    /* CORPUS_DIR */
static const char *s_src;    /* SOURCE_DIR */
static xf_fixture_t *s_fx;

/*  A seed of one target: byte head (if head >= 0), then records. */
typedef struct {
    zchunk_t *chunk;
} s_seed_t;

static void
s_begin (s_seed_t *s, int head)
{
    s->chunk = zchunk_new (NULL, 0);
    if (head >= 0) {
        uint8_t h = (uint8_t) head;
        zchunk_extend (s->chunk, &h, 1);
    }
}

static void
s_add (s_seed_t *s, const void *data, size_t len)
{
    xf_record_put (s->chunk, data, len);
}

static void
s_end (s_seed_t *s, const char *target, const char *name)
{
    char dir[4096];
    snprintf (dir, sizeof dir, "%s/%s", s_out, target);
    xf_seed (dir, name, zchunk_data (s->chunk), zchunk_size (s->chunk));
    zchunk_destroy (&s->chunk);
}

/*  The signed bytes of env, as one record of s. */
static void
s_add_signed (s_seed_t *s, const uint8_t *env, size_t len)
{
    size_t n;
    uint8_t *bytes = xf_signed_of (env, len, &n);
    s_add (s, bytes, n);
    free (bytes);
}

/*  The signed bytes of env under a new message id (tag), so that the
    node, which saw env while the fixture was built, decides it afresh. */
static void s_add_packed (s_seed_t *s, const ProtobufCMessage *m);
static void
s_add_renamed (s_seed_t *s, const uint8_t *env, size_t len, uint8_t tag)
{
    size_t n;
    uint8_t *bytes = xf_signed_of (env, len, &n);
    Xiecha__Signed *msg = xiecha__signed__unpack (NULL, n, bytes);
    if (!msg || !msg->header || msg->header->msg_id.len != XC_MSGID_LEN)
        abort ();
    memset (msg->header->msg_id.data, tag, XC_MSGID_LEN);
    s_add_packed (s, &msg->base);
    xiecha__signed__free_unpacked (msg, NULL);
    free (bytes);
}

/*  A packed protobuf message as one record of s. */
static void
s_add_packed (s_seed_t *s, const ProtobufCMessage *m)
{
    size_t n = protobuf_c_message_get_packed_size (m);
    uint8_t *buf = malloc (n ? n : 1);
    if (!buf)
        abort ();
    protobuf_c_message_pack (m, buf);
    s_add (s, buf, n);
    free (buf);
}

/* --------------------------------------------------------------------------
   peer: messages from A to B
   -------------------------------------------------------------------------- */

/*  The fixture's query naming the most subjects a query may, and one
    more (refused by the decoder). */
static void
s_query_sizes (void)
{
    const xc_pending_t *q = &s_fx->query;
    s_seed_t s;
    for (size_t n = XF_MAX_SUBJECTS; n <= XF_MAX_SUBJECTS + 1; n++) {
        size_t len;
        uint8_t *bytes = xf_signed_of (q->envelope, q->envelope_len, &len);
        Xiecha__Signed *m = xiecha__signed__unpack (NULL, len, bytes);
        if (!m || m->body_case != XIECHA__SIGNED__BODY_QUERY)
            abort ();
        memset (m->header->msg_id.data, (int) (0x40 + n), XC_MSGID_LEN);
        uint8_t refs[XF_MAX_SUBJECTS + 1][XC_REF_LEN];
        ProtobufCBinaryData subjects[XF_MAX_SUBJECTS + 1];
        for (size_t i = 0; i < n; i++) {
            if (i < m->query->n_subjects)
                memcpy (refs[i], m->query->subjects[i].data, XC_REF_LEN);
            else
                memset (refs[i], (int) i, XC_REF_LEN);
            subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, refs[i]};
        }
        ProtobufCBinaryData *saved = m->query->subjects;
        size_t saved_n = m->query->n_subjects;
        m->query->subjects = subjects;
        m->query->n_subjects = n;
        s_begin (&s, XF_SIGN | 4);
        s_add_packed (&s, &m->base);
        s_end (&s, "peer", n == XF_MAX_SUBJECTS ? "query-most"
                                                : "query-too-many");
        m->query->subjects = saved;
        m->query->n_subjects = saved_n;
        xiecha__signed__free_unpacked (m, NULL);
        free (bytes);
    }
}

static void
s_peer_seeds (void)
{
    const xc_pending_t *q = &s_fx->query;
    s_seed_t s;
    /* How (bits 0-1) and the connection's node (bits 2-3, 1 = A). */
    static const struct {
        int head;
        const char *name;
    } hows[] = {
        {XF_SIGN | 4, "sign"}, {XF_FIX | 4, "fix"}, {XF_SIGN, "no-zap"},
        {XF_SIGN | 8, "zap-b"}, {XF_FIX_AT | 4, "fix-at"},
    };
    for (size_t i = 0; i < sizeof hows / sizeof hows[0]; i++) {
        char name[64];
        snprintf (name, sizeof name, "query-%s", hows[i].name);
        s_begin (&s, hows[i].head);
        s_add_renamed (&s, q->envelope, q->envelope_len, 0x51);
        s_end (&s, "peer", name);
    }
    for (int i = 0; i < XF_NOTICES; i++) {
        char name[64];
        snprintf (name, sizeof name, "notice-%d", i);
        s_begin (&s, XF_SIGN | 4);
        s_add_renamed (&s, s_fx->notices[i].env, s_fx->notices[i].env_len,
                       (uint8_t) (0x61 + i));
        s_end (&s, "peer", name);
    }
    /* A's termination of the enrollment notice 0 made. */
    size_t n;
    uint8_t *bytes = xf_signed_of (s_fx->notices[0].env,
                                   s_fx->notices[0].env_len, &n);
    Xiecha__Signed *msg = xiecha__signed__unpack (NULL, n, bytes);
    if (!msg || msg->body_case != XIECHA__SIGNED__BODY_NOTICE)
        abort ();
    memset (msg->header->msg_id.data, 0x69, XC_MSGID_LEN);
    msg->notice->kind = XIECHA__NOTICE_KIND__TERMINATION;
    msg->notice->start_date = 0;
    msg->notice->end_date = 20260110;
    msg->notice->reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    s_begin (&s, XF_SIGN | 4);
    s_add_packed (&s, &msg->base);
    s_end (&s, "peer", "termination");
    xiecha__signed__free_unpacked (msg, NULL);
    free (bytes);
    s_query_sizes ();
    /* Seen while the fixture was built: retries, answered from cache. */
    s_begin (&s, XF_SIGN | 4);
    s_add_signed (&s, q->envelope, q->envelope_len);
    s_add_signed (&s, s_fx->notices[0].env, s_fx->notices[0].env_len);
    s_end (&s, "peer", "retries");
    /* A batch: the same query twice, then notices, all new. */
    s_begin (&s, XF_FIX | 4);
    s_add_renamed (&s, q->envelope, q->envelope_len, 0x52);
    s_add_renamed (&s, q->envelope, q->envelope_len, 0x52);
    for (int i = 0; i < XF_NOTICES; i++)
        s_add_renamed (&s, s_fx->notices[i].env, s_fx->notices[i].env_len,
                       (uint8_t) (0x71 + i));
    s_end (&s, "peer", "batch");
    /* Not what a peer socket takes: answers. */
    s_begin (&s, XF_FIX | 4);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_add_signed (&s, s_fx->answers[0], s_fx->answer_lens[0]);
    s_end (&s, "peer", "answers");
    /* The envelope itself: its key is this run's, so it opens but will
       not verify in another. */
    s_begin (&s, XF_RAW | 4);
    s_add (&s, q->envelope, q->envelope_len);
    s_end (&s, "peer", "raw-query");
}

/* --------------------------------------------------------------------------
   answer: answers from B to A
   -------------------------------------------------------------------------- */

/*  A signed Error from B to A answering irt (16 bytes), for digest. */
static void
s_add_error (s_seed_t *s, const uint8_t *irt, const uint8_t *digest,
             Xiecha__ErrorCode code)
{
    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = code;
    err.message = "query.subjects: refused";
    err.request_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                                (uint8_t *) digest};
    uint8_t id[XC_MSGID_LEN];
    memset (id, 0xe7, sizeof id);
    Xiecha__Header h = XIECHA__HEADER__INIT;
    h.version = XC_PROTOCOL_VERSION;
    h.type = XIECHA__MSG_TYPE__MSG_ERROR;
    h.msg_id = (ProtobufCBinaryData) {sizeof id, id};
    h.sender = XF_CODE_B;
    h.recipient = XF_CODE_A;
    h.created_at = XF_NOW;
    h.hop_limit = 8;
    h.in_reply_to = (ProtobufCBinaryData) {XC_MSGID_LEN, (uint8_t *) irt};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    msg.error = &err;
    s_add_packed (s, &msg.base);
}

static void
s_answer_seeds (void)
{
    const xc_pending_t *q = &s_fx->query;
    s_seed_t s;
    s_begin (&s, XF_SIGN);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_end (&s, "answer", "cert");
    s_begin (&s, XF_FIX | 1 << 2);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_end (&s, "answer", "cert-fix");
    s_begin (&s, XF_SIGN);
    s_add_error (&s, q->msg_id, q->digest, XIECHA__ERROR_CODE__ERR_MALFORMED);
    s_end (&s, "answer", "error");
    /* A query answered twice in one batch, and an error then a
       certificate: the batches that crashed A once. */
    s_begin (&s, XF_SIGN);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_end (&s, "answer", "cert-twice");
    s_begin (&s, XF_SIGN);
    s_add_error (&s, q->msg_id, q->digest, XIECHA__ERROR_CODE__ERR_INTERNAL);
    s_add_signed (&s, s_fx->cert, s_fx->cert_len);
    s_end (&s, "answer", "error-then-cert");
    for (int i = 0; i < XF_NOTICES; i++) {
        char name[64];
        snprintf (name, sizeof name, "notice-%d", i);
        s_begin (&s, XF_SIGN);
        s_add_signed (&s, s_fx->answers[i], s_fx->answer_lens[i]);
        s_end (&s, "answer", name);
    }
    /* A notice answered with a query (the type confusion once), and a
       notice's ack bound to the waiting query. */
    s_begin (&s, XF_FIX | (2 << 2));
    s_add_signed (&s, q->envelope, q->envelope_len);
    s_end (&s, "answer", "notice-with-query");
    s_begin (&s, XF_FIX | (1 << 2));
    s_add_signed (&s, s_fx->answers[0], s_fx->answer_lens[0]);
    s_end (&s, "answer", "ack-for-query");
    s_begin (&s, XF_RAW);
    s_add (&s, s_fx->cert, s_fx->cert_len);
    s_end (&s, "answer", "raw-cert");
}

/* --------------------------------------------------------------------------
   request: terminals' requests
   -------------------------------------------------------------------------- */

typedef struct {
    Xiecha__ClientRequest req;
    Xiecha__Person people[2];
    Xiecha__Person *members[1];
    Xiecha__Program programs[2];
    Xiecha__QueryRequest query;
    Xiecha__NoticeRequest notice;
    Xiecha__CheckinRequest checkin;
    Xiecha__ImportRequest import;
    Xiecha__RosterRow rows[2];
    Xiecha__RosterRow *row_ptrs[2];
    Xiecha__StatusRequest status;
    Xiecha__OutboxRequest outbox;
    Xiecha__DueRequest due;
    Xiecha__ReportRequest report;
    Xiecha__AuditExportRequest export_;
    Xiecha__AuditReplayRequest replay;
    Xiecha__AuditProveRequest prove;
} s_req_t;

static Xiecha__ClientRequest *
s_req (s_req_t *r, int body_case)
{
    memset (r, 0, sizeof *r);
    xiecha__client_request__init (&r->req);
    r->req.request_id = (ProtobufCBinaryData) {4, (uint8_t *) "req1"};
    r->req.body_case = body_case;
    for (int i = 0; i < 2; i++) {
        xiecha__person__init (&r->people[i]);
        r->people[i].name = "Zhang San";
    }
    r->members[0] = &r->people[1];
    return &r->req;
}

static void
s_add_query (s_seed_t *s, const char *home, const char *id,
             const char *member, Xiecha__Program program)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r, XIECHA__CLIENT_REQUEST__BODY_QUERY);
    xiecha__query_request__init (&r.query);
    r.query.home_county = (char *) home;
    r.people[0].id_number = (char *) id;
    r.people[1].id_number = (char *) member;
    r.query.applicant = &r.people[0];
    if (member) {
        r.query.members = r.members;
        r.query.n_members = 1;
    }
    r.programs[0] = program;
    r.query.programs = r.programs;
    r.query.n_programs = 1;
    r.query.residence_months = 7;
    c->query = &r.query;
    s_add_packed (s, &c->base);
}

static void
s_add_notice (s_seed_t *s, Xiecha__NoticeKind kind, const char *id,
              Xiecha__Program program, uint32_t start, uint32_t end,
              uint32_t wait_ms)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r,
                                      XIECHA__CLIENT_REQUEST__BODY_NOTICE);
    xiecha__notice_request__init (&r.notice);
    r.notice.kind = kind;
    r.notice.home_county = XF_CODE_B;
    r.people[0].id_number = (char *) id;
    r.notice.applicant = &r.people[0];
    r.notice.program = program;
    r.notice.start_date = start;
    r.notice.end_date = end;
    r.notice.wait_ms = wait_ms;
    if (kind == XIECHA__NOTICE_KIND__TERMINATION)
        r.notice.reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    if (kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        r.notice.amount_band = 3;
        r.notice.aid_reason = "fire";
    }
    c->notice = &r.notice;
    s_add_packed (s, &c->base);
}

static void
s_add_checkin (s_seed_t *s, uint32_t date, int absent)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r,
                                      XIECHA__CLIENT_REQUEST__BODY_CHECKIN);
    xiecha__checkin_request__init (&r.checkin);
    r.people[0].id_number = XF_ID_ENROLLED;
    r.checkin.applicant = &r.people[0];
    r.checkin.date = date;
    r.checkin.absent = absent;
    c->checkin = &r.checkin;
    s_add_packed (s, &c->base);
}

/*  An import step; id NULL for BEGIN; rows from ids (n of them). */
static void
s_add_import (s_seed_t *s, Xiecha__ImportRequest__Step step,
              const uint8_t *id, const char *const *ids, size_t n)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r,
                                      XIECHA__CLIENT_REQUEST__BODY_IMPORT);
    xiecha__import_request__init (&r.import);
    r.import.step = step;
    if (id)
        r.import.import_id = (ProtobufCBinaryData) {16, (uint8_t *) id};
    for (size_t i = 0; i < n && i < 2; i++) {
        xiecha__roster_row__init (&r.rows[i]);
        r.rows[i].id_number = (char *) ids[i];
        r.rows[i].program = XIECHA__PROGRAM__DIBAO;
        r.rows[i].since = 20250101;
        r.rows[i].line = (uint32_t) i + 2;
        r.row_ptrs[i] = &r.rows[i];
    }
    r.import.rows = r.row_ptrs;
    r.import.n_rows = n;
    c->import = &r.import;
    s_add_packed (s, &c->base);
}

/*  A request with an empty body of the given kind (status, outbox,
    replay) or the fields set below. */
static void
s_add_simple (s_seed_t *s, int body_case)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r, body_case);
    xiecha__status_request__init (&r.status);
    xiecha__outbox_request__init (&r.outbox);
    xiecha__due_request__init (&r.due);
    xiecha__report_request__init (&r.report);
    xiecha__audit_export_request__init (&r.export_);
    xiecha__audit_replay_request__init (&r.replay);
    xiecha__audit_prove_request__init (&r.prove);
    c->status = &r.status;    /* the union: one pointer for all */
    switch (body_case) {
    case XIECHA__CLIENT_REQUEST__BODY_OUTBOX: c->outbox = &r.outbox; break;
    case XIECHA__CLIENT_REQUEST__BODY_DUE:
        r.due.as_of = 20260601;
        c->due = &r.due;
        break;
    case XIECHA__CLIENT_REQUEST__BODY_REPORT:
        r.report.month = "2026-01";
        c->report = &r.report;
        break;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT:
        c->audit_export = &r.export_;
        break;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY:
        c->audit_replay = &r.replay;
        break;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE:
        r.prove.envelope = (ProtobufCBinaryData) {s_fx->cert_len,
                                                  s_fx->cert};
        c->audit_prove = &r.prove;
        break;
    default: break;
    }
    s_add_packed (s, &c->base);
}

/*  A query of the largest household a query may carry: the applicant
    and XF_MAX_SUBJECTS - 1 members (one more is refused). */
static void
s_add_household (s_seed_t *s, size_t members)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r, XIECHA__CLIENT_REQUEST__BODY_QUERY);
    xiecha__query_request__init (&r.query);
    Xiecha__Person people[XF_MAX_SUBJECTS + 1];
    Xiecha__Person *ptrs[XF_MAX_SUBJECTS];
    char ids[XF_MAX_SUBJECTS + 1][XT_ID_SIZE];
    for (size_t i = 0; i <= members; i++) {
        xiecha__person__init (&people[i]);
        xt_id_make (XF_CODE_B, 1000 + i, ids[i]);
        people[i].id_number = ids[i];
        people[i].name = "Zhang San";
        if (i)
            ptrs[i - 1] = &people[i];
    }
    r.query.home_county = XF_CODE_B;
    r.query.applicant = &people[0];
    r.query.members = ptrs;
    r.query.n_members = members;
    r.programs[0] = XIECHA__PROGRAM__TEKUN;
    r.query.programs = r.programs;
    r.query.n_programs = 1;
    r.query.residence_months = 24;
    c->query = &r.query;
    s_add_packed (s, &c->base);
}

static void
s_request_seeds (void)
{
    s_seed_t s;
    /* At A, the residence node (byte 0 = 0). */
    s_begin (&s, 0);
    s_add_query (&s, XF_CODE_B, XF_ID_PAID, XF_ID_NONE,
                 XIECHA__PROGRAM__DIBAO);
    s_end (&s, "request", "a-query");
    s_begin (&s, 0);
    s_add_query (&s, XF_CODE_A, XF_ID_LOCAL, NULL, XIECHA__PROGRAM__DIBAO);
    s_end (&s, "request", "a-query-local");
    s_begin (&s, 0);
    s_add_household (&s, XF_MAX_SUBJECTS - 1);
    s_add_household (&s, XF_MAX_SUBJECTS);
    s_end (&s, "request", "a-query-household");
    s_begin (&s, 0);
    s_add_notice (&s, XIECHA__NOTICE_KIND__ENROLLMENT, XF_ID_NONE,
                  XIECHA__PROGRAM__DIBAO_EDGE, 20260101, 0, 0);
    s_add_notice (&s, XIECHA__NOTICE_KIND__TERMINATION, XF_ID_ENROLLED,
                  XIECHA__PROGRAM__LOW_INCOME, 0, 20260110, 500);
    s_add_notice (&s, XIECHA__NOTICE_KIND__EMERGENCY_AID, XF_ID_NONE,
                  XIECHA__PROGRAM__TEMP, 20260112, 0, 0);
    s_end (&s, "request", "a-notices");
    s_begin (&s, 0);
    s_add_checkin (&s, 20260110, 0);
    s_add_checkin (&s, 20260111, 1);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_DUE);
    s_end (&s, "request", "a-checkin-due");
    s_begin (&s, 0);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_STATUS);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_OUTBOX);
    s_end (&s, "request", "a-status-outbox");

    /* At B, the registration node (byte 0 = 1).  The first BEGIN of a
       batch gets the first random draw of the input as its id. */
    uint8_t id[16];
    xf_input_begin ();
    xc_random (id, sizeof id);
    static const char *const rows[] = {XF_ID_NONE, XF_ID_ENDED};
    s_begin (&s, 1);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__BEGIN, NULL, NULL, 0);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__ROWS, id, rows, 2);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__COMMIT, id, NULL, 0);
    s_end (&s, "request", "b-import");
    s_begin (&s, 1);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__BEGIN, NULL, NULL, 0);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__COMMIT, id, NULL, 0);
    s_add_import (&s, XIECHA__IMPORT_REQUEST__STEP__ABORT, id, NULL, 0);
    s_end (&s, "request", "b-import-commit-abort");
    s_begin (&s, 1);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_REPORT);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT);
    s_end (&s, "request", "b-report-export");
    s_begin (&s, 1);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY);
    s_add_simple (&s, XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE);
    s_end (&s, "request", "b-replay-prove");
}


/* --------------------------------------------------------------------------
   The offline checks: each input carries the trust list it is checked
   against, the fixture's, so the signatures hold in every run
   -------------------------------------------------------------------------- */

/*  A file's bytes (fails unless it reads).  Caller frees. */
static char *
s_slurp (const char *path, size_t *len)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        xt_fail ("cannot read %s", path);
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    size_t got;
    do {
        if (*len == cap && !(buf = realloc (buf, cap = cap * 2 + 4096)))
            abort ();
        got = fread (buf + *len, 1, cap - *len, f);
        *len += got;
    } while (got);
    fclose (f);
    buf[*len < cap ? *len : cap - 1] = '\0';
    return buf;
}

static char *s_trust_text;     /* the fixture's list */
static size_t s_trust_len;

/*  A seed of records [the fixture's trust list] [data...]. */
static void
s_with_trust (const char *target, const char *name, const void *a,
              size_t a_len, const void *b, size_t b_len)
{
    s_seed_t s;
    s_begin (&s, -1);
    s_add (&s, s_trust_text, s_trust_len);
    s_add (&s, a, a_len);
    if (b)
        s_add (&s, b, b_len);
    s_end (&s, target, name);
}

/*  A back-office job of node for req, its ClientReply unpacked (caller
    frees). */
static Xiecha__ClientReply *
s_job (xc_node_t *node, xc_job_fn *job, const Xiecha__ClientRequest *req)
{
    MDB_txn *txn;
    if (xc_store_read (node->store, &txn) != 0)
        xt_fail ("cannot read the store");
    zframe_t *f = job (node, txn, req);
    mdb_txn_abort (txn);
    Xiecha__ClientReply *r =
        f ? xiecha__client_reply__unpack (NULL, zframe_size (f),
                                          zframe_data (f))
          : NULL;
    zframe_destroy (&f);
    if (!r || r->code != 0)
        xt_fail ("job failed: %s", r ? r->message : "no reply");
    return r;
}

static void
s_envelope_seeds (void)
{
    const xc_pending_t *q = &s_fx->query;
    s_with_trust ("envelope", "query", q->envelope, q->envelope_len, NULL, 0);
    s_with_trust ("envelope", "cert", s_fx->cert, s_fx->cert_len, NULL, 0);
    for (int i = 0; i < XF_NOTICES; i++) {
        char name[32];
        snprintf (name, sizeof name, "notice-%d", i);
        s_with_trust ("envelope", name, s_fx->notices[i].env,
                      s_fx->notices[i].env_len, NULL, 0);
        snprintf (name, sizeof name, "answer-%d", i);
        s_with_trust ("envelope", name, s_fx->answers[i],
                      s_fx->answer_lens[i], NULL, 0);
    }
}

static void
s_armor_seeds (char **cert_text, char **report_text)
{
    if (xc_armor_encode (XC_ARMOR_CERTIFICATE, s_fx->cert, s_fx->cert_len,
                         cert_text) != 0)
        xt_fail ("cannot armor the certificate");
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r, XIECHA__CLIENT_REQUEST__BODY_REPORT);
    xiecha__report_request__init (&r.report);
    r.report.month = "2026-01";
    c->report = &r.report;
    Xiecha__ClientReply *reply = s_job (s_fx->pair->b, xc_jobs_report, c);
    if (xc_armor_encode (XC_ARMOR_REPORT, reply->report->signed_report.data,
                         reply->report->signed_report.len, report_text) != 0)
        xt_fail ("cannot armor the report");
    xiecha__client_reply__free_unpacked (reply, NULL);
    char dir[4096];
    snprintf (dir, sizeof dir, "%s/armor", s_out);
    xf_seed (dir, "cert", *cert_text, strlen (*cert_text));
    xf_seed (dir, "report", *report_text, strlen (*report_text));
    char *text = zsys_sprintf ("saved by xiecha query --out\r\n%s\ntrailer",
                               *cert_text);
    xf_seed (dir, "cert-in-text", text, strlen (text));
    zstr_free (&text);
}

static void
s_cert_seeds (const char *cert_text, const char *report_text)
{
    s_with_trust ("cert", "cert", cert_text, strlen (cert_text), NULL, 0);
    s_with_trust ("report", "report", report_text, strlen (report_text), NULL,
                  0);
}

static void
s_prove_seeds (void)
{
    s_req_t r;
    Xiecha__ClientRequest *c = s_req (&r,
                                      XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE);
    xiecha__audit_prove_request__init (&r.prove);
    r.prove.envelope = (ProtobufCBinaryData) {s_fx->cert_len, s_fx->cert};
    c->audit_prove = &r.prove;
    Xiecha__ClientReply *reply = s_job (s_fx->pair->b, xc_jobs_prove, c);
    size_t n = xiecha__audit_prove_reply__get_packed_size (reply->audit_prove);
    uint8_t *bytes = malloc (n);
    if (!bytes)
        abort ();
    xiecha__audit_prove_reply__pack (reply->audit_prove, bytes);
    s_with_trust ("prove", "cert", bytes, n, s_fx->cert, s_fx->cert_len);
    free (bytes);
    xiecha__client_reply__free_unpacked (reply, NULL);
}

static void
s_auditfile_seeds (void)
{
    xc_node_t *nodes[2] = {s_fx->pair->a, s_fx->pair->b};
    for (int i = 0; i < 2; i++) {
        s_req_t r;
        Xiecha__ClientRequest *c =
            s_req (&r, XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT);
        xiecha__audit_export_request__init (&r.export_);
        r.export_.to = i ? 0 : 3;   /* A's: entries 1..3 in full */
        c->audit_export = &r.export_;
        Xiecha__ClientReply *reply = s_job (nodes[i], xc_jobs_export, c);
        if (reply->audit_export->next != 0)
            xt_fail ("the fixture's log does not fit one export page");
        s_with_trust ("auditfile", i ? "b-whole" : "a-partial",
                      reply->audit_export->file.data,
                      reply->audit_export->file.len, NULL, 0);
        xiecha__client_reply__free_unpacked (reply, NULL);
    }
}

static void
s_trust_seeds (void)
{
    char dir[4096], path[4096];
    snprintf (dir, sizeof dir, "%s/trust", s_out);
    xf_seed (dir, "fixture", s_trust_text, s_trust_len);
    snprintf (path, sizeof path, "%s/config/trust.example.zpl", s_src);
    size_t len;
    char *text = s_slurp (path, &len);
    xf_seed (dir, "example", text, len);
    free (text);

    /* Signed: the fixture's list with a header, and its signature. */
    char *list = zsys_sprintf ("trust\n    version = 1\n    serial = 7\n"
                               "    issued = \"2026-01-01T00:00:00Z\"\n"
                               "    next_update = \"2026-02-01T00:00:00Z\"\n%s",
                               strstr (s_trust_text, "    node"));
    xc_key_t *root = xc_key_generate ();
    const char *listed = xf_file ("signed.zpl", (const uint8_t *) list,
                                  strlen (list));
    char why[256], sig_path[4096];
    snprintf (sig_path, sizeof sig_path, "%s", listed);
    if (!root || xc_trust_sign (sig_path, root, why, sizeof why) != 0)
        xt_fail ("cannot sign the list: %s", why);
    strcat (sig_path, ".sig");
    char *sig = s_slurp (sig_path, &len);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (root, pub);
    s_seed_t s;
    s_begin (&s, -1);
    s_add (&s, list, strlen (list));
    s_add (&s, sig, len);
    s_add (&s, pub, sizeof pub);
    s_end (&s, "trust_signed", "signed");
    s_begin (&s, -1);
    s_add (&s, list, strlen (list));
    s_add (&s, "", 0);
    s_add (&s, "", 0);
    s_end (&s, "trust_signed", "signed-here");
    xf_seed (dir, "signed", list, strlen (list));
    free (sig);
    zstr_free (&list);
    xc_key_destroy (&root);
}

/*  The files of a source directory as seeds of target. */
static void
s_source_seeds (const char *target, const char *subdir, const char *suffix)
{
    char dir[4096], out[4096];
    snprintf (dir, sizeof dir, "%s/%s", s_src, subdir);
    snprintf (out, sizeof out, "%s/%s", s_out, target);
    DIR *d = opendir (dir);
    if (!d)
        xt_fail ("cannot read %s", dir);
    for (struct dirent *e; (e = readdir (d));) {
        size_t n = strlen (e->d_name), k = strlen (suffix);
        if (n < k || strcmp (e->d_name + n - k, suffix) != 0)
            continue;
        char path[8192];
        snprintf (path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = s_slurp (path, &len);
        xf_seed (out, e->d_name, text, len);
        free (text);
    }
    closedir (d);
}

/*  Terminal lists: two terminals with every field, and one that breaks
    a rule of the list (the same key twice). */
static void
s_terminal_seeds (void)
{
    char dir[4096];
    snprintf (dir, sizeof dir, "%s/terminals", s_out);
    static const char good[] =
        "#   terminals of node 469021\n"
        "terminal\n"
        "    id = \"dingcheng-01\"\n"
        "    township = \"469021100\"\n"
        "    township_name = \"定城镇\"\n"
        "    operator = \"Wang Li\"\n"
        "    curve = \"3K36)1#la{f{kP-)lL<k+R9waE[D2G^hA++9U-gb\"\n"
        "    roles = \"caseworker,auditor\"\n"
        "    not_before = \"2026-01-01T00:00:00Z\"\n"
        "    not_after = \"2028-01-01T00:00:00Z\"\n"
        "terminal\n"
        "    id = \"longjiang.sys\"\n"
        "    township = \"469021101\"\n"
        "    township_name = \"龙江镇\"\n"
        "    operator = \"township system\"\n"
        "    curve = \"FIlo6X+^2J<G@9um^0tHtx{Y$--1q0.{tr=K3@H$\"\n"
        "    roles = \"roster,admin\"\n"
        "    revoked = 1\n";
    xf_seed (dir, "good", good, sizeof good - 1);
    static const char twice[] =
        "terminal\n"
        "    id = \"a\"\n"
        "    township = \"469021100\"\n"
        "    township_name = \"x\"\n"
        "    operator = \"y\"\n"
        "    curve = \"3K36)1#la{f{kP-)lL<k+R9waE[D2G^hA++9U-gb\"\n"
        "    roles = \"caseworker\"\n"
        "terminal\n"
        "    id = \"b\"\n"
        "    township = \"469021100\"\n"
        "    township_name = \"x\"\n"
        "    operator = \"y\"\n"
        "    curve = \"3K36)1#la{f{kP-)lL<k+R9waE[D2G^hA++9U-gb\"\n"
        "    roles = \"caseworker\"\n";
    xf_seed (dir, "twice", twice, sizeof twice - 1);
}

static void
s_text_seeds (void)
{
    char dir[4096];
    size_t len;
    /* config: A's own, and the example. */
    char *text = s_slurp (s_fx->pair->fed->nodes[0].config, &len);
    /* Its paths under a fixed root, so the seed is the same every run. */
    char *fixed = zsys_sprintf ("%s", text);
    for (char *at; (at = strstr (fixed, s_fx->pair->fed->root));) {
        char *next = zsys_sprintf ("%.*s/srv/xiecha%s", (int) (at - fixed),
                                   fixed, at + strlen (s_fx->pair->fed->root));
        zstr_free (&fixed);
        fixed = next;
    }
    snprintf (dir, sizeof dir, "%s/config", s_out);
    xf_seed (dir, "fixture-a", fixed, strlen (fixed));
    zstr_free (&fixed);
    free (text);
    s_source_seeds ("config", "config", "node.example.zpl");
    s_source_seeds ("policy", "config/policy", ".zpl");

    snprintf (dir, sizeof dir, "%s/roster", s_out);
    static const char roster[] =
        "\xef\xbb\xbfid_number,name,program,since,until\n"
        "# county roster, January\n"
        XF_ID_PAID ",Wang Fang,dibao,2020-01-01,\n"
        XF_ID_ENDED ",\"Li, Na\",TEKUN,2019-01-01,2024-12-31\r\n"
        "\n"
        "  " XF_ID_NONE " , \"Zhao \"\"Xiao\"\" Ming\" , low-income , "
        "20250301\n";
    xf_seed (dir, "good", roster, sizeof roster - 1);
    static const char bad[] =
        "id_number,name,program,since\n"
        "341002198001010016,Wang Fang,dibao,2020-01-01\n"
        XF_ID_PAID ",,dibao,2020-01-01\n"
        XF_ID_PAID ",Wang,welfare,2020-01-01\n"
        XF_ID_PAID ",Wang,temp,2020-02-30\n"
        XF_ID_PAID ",Wang,temp,2020-01-01,2019-01-01\n"
        XF_ID_PAID ",\"Wang,temp,2020-01-01\n"
        XF_ID_PAID ",Wang,temp\n";
    xf_seed (dir, "bad", bad, sizeof bad - 1);
    s_terminal_seeds ();
}

int
main (int argc, char **argv)
{
    if (argc != 3) {
        fprintf (stderr, "usage: fuzz-seeds CORPUS_DIR SOURCE_DIR\n");
        return 2;
    }
    s_out = argv[1];
    s_src = argv[2];
    s_fx = xf_fixture ();
    s_peer_seeds ();
    s_answer_seeds ();
    s_request_seeds ();
    s_trust_text = s_slurp (s_fx->pair->fed->trust, &s_trust_len);
    s_envelope_seeds ();
    char *cert_text, *report_text;
    s_armor_seeds (&cert_text, &report_text);
    s_cert_seeds (cert_text, report_text);
    free (cert_text);
    free (report_text);
    s_prove_seeds ();
    s_auditfile_seeds ();
    s_trust_seeds ();
    s_text_seeds ();
    free (s_trust_text);
    return 0;
}
