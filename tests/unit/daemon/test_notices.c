/*  test_notices.c - enrollments, terminations and emergency aid reported
    back to the registration place, applied there exactly once
    (decide/notices.h, through decide/intake.h; store/outbox.h,
    store/seen.h, decide/apply.h, office/replay.h).

    Two real nodes share a temporary directory (tests/lib/xt_local.h): A ("469021",
    the residence node, where terminals report decisions) and B
    ("341002", the registration node, which keeps the index of who is
    paid what).  Envelopes travel between them as byte buffers handed
    from one node's handler to the other's, each call inside its node's
    write transaction, as transport does it.  Every answer A receives is
    a real envelope signed by B (or, to be refused, by A) with the keys
    of the trust list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "decide/apply.h"
#include "decide/households.h"
#include "decide/intake.h"
#include "decide/notices.h"
#include "decide/roster.h"
#include "xt_local.h"
#include "node/node.h"
#include "office/replay.h"
#include "store/audit.h"
#include "store/conflicts.h"
#include "store/index.h"
#include "store/outbox.h"
#include "store/seen.h"

#define CODE_A "469021"
#define CODE_B "341002"
#define DAY_MS (24ull * 3600 * 1000)
#define HOUR_MS (3600ull * 1000)

/*  One ID per test, so that the tests of the group, which share one
    federation, do not see each other's subjects. */
#define ID_QUEUE "341002197001010117"
#define ID_REFUSE "341002197001010133"
#define ID_EARLY "34100219700101015X"
#define ID_ONCE "341002197001010176"
#define ID_REPLAY "341002197001010192"
#define ID_CONFLICT "341002197001010213"
#define ID_TERM "34100219700101023X"
#define ID_STALE "341002197001010256"
#define ID_DIGEST "341002197001010272"
#define ID_TYPE "341002197001010299"
#define ID_LOCAL "34100219700101031X"
#define ID_AID "341002197001010336"
#define ID_REBUILD "341002197001010352"
#define ID_MEMBER "341002197001010379"
#define ID_BARE "341002197001010395"
#define ID_UNDO "341002197001010416"
#define ID_FULL "341002196606061238"

#define SINCE 20240301u

/* --------------------------------------------------------------------------
   The federation on disk (tests/lib/xt_local.c)
   -------------------------------------------------------------------------- */

static int
s_setup (void **state)
{
    xt_pair_t *f = xt_pair_new ("notices", CODE_A, CODE_B);
    xt_rosters_fresh (f->b, 0);   /* B may say NOT_RECEIVING */
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_destroy ((xt_pair_t **) state);
    return 0;
}

/* --------------------------------------------------------------------------
   Requests and references
   -------------------------------------------------------------------------- */

/*  A terminal's NoticeRequest and the storage it points into. */
typedef struct {
    Xiecha__NoticeRequest req;
    Xiecha__Person people[2];
    Xiecha__Person *members[1];
} s_nreq_t;

static Xiecha__NoticeRequest *
s_nreq (s_nreq_t *r, int kind, const char *home, int program,
        const char *applicant, const char *member, uint32_t start,
        uint32_t end)
{
    memset (r, 0, sizeof *r);
    xiecha__notice_request__init (&r->req);
    xiecha__person__init (&r->people[0]);
    r->people[0].id_number = (char *) applicant;
    r->people[0].name = "Wang Fang";
    r->req.applicant = &r->people[0];
    r->req.kind = (Xiecha__NoticeKind) kind;
    r->req.home_county = (char *) home;
    r->req.program = (Xiecha__Program) program;
    r->req.start_date = start;
    r->req.end_date = end;
    if (kind == XIECHA__NOTICE_KIND__TERMINATION)
        r->req.reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    if (member) {
        xiecha__person__init (&r->people[1]);
        r->people[1].id_number = (char *) member;
        r->people[1].name = "Li Na";
        r->members[0] = &r->people[1];
        r->req.members = r->members;
        r->req.n_members = 1;
    }
    return &r->req;
}

static Xiecha__NoticeRequest *
s_enrollment (s_nreq_t *r, const char *id)
{
    return s_nreq (r, XIECHA__NOTICE_KIND__ENROLLMENT, CODE_B,
                   XIECHA__PROGRAM__DIBAO, id, NULL, SINCE, 0);
}

/* --------------------------------------------------------------------------
   Write functions: one handler call inside one transaction
   -------------------------------------------------------------------------- */

typedef struct {
    xc_node_t *node;
    const Xiecha__NoticeRequest *req;
    uint64_t now;
    xc_outbox_item_t *item;
    xc_outcome_t *out;
    int fail;               /* returned after the handler, to abort */
} s_client_t;

static int
s_client_fn (MDB_txn *txn, void *arg)
{
    s_client_t *c = arg;
    xc_outbox_item_free (c->item);   /* a rerun after map growth */
    int rc = xc_notice_client (c->node, txn, c->req, c->now, c->item, c->out);
    return rc ? rc : c->fail;
}

/*  A terminal reports req to node; *item holds the queued notice (free
    it with xc_outbox_item_free). */
static void
s_client (xc_node_t *node, const Xiecha__NoticeRequest *req, uint64_t now,
          xc_outbox_item_t *item, xc_outcome_t *out)
{
    memset (item, 0, sizeof *item);
    s_client_t c = {node, req, now, item, out, 0};
    assert_int_equal (xc_store_write (node->store, s_client_fn, &c), 0);
}

/*  As s_client, and the notice must have been queued for B. */
static void
s_queued (xc_node_t *node, const Xiecha__NoticeRequest *req, uint64_t now,
          xc_outbox_item_t *item)
{
    xc_outcome_t out;
    s_client (node, req, now, item, &out);
    if (out.code != 0)
        fail_msg ("the node refused the terminal's notice: %s", out.why);
    assert_int_equal (item->state, XC_OUTBOX_PENDING);
    assert_non_null (item->env);
}

typedef struct {
    xc_node_t *node;
    const uint8_t *bytes;
    size_t len;
    uint64_t now;
    uint8_t *reply;
    size_t reply_len;
    xc_outcome_t *out;
} s_peer_t;

static int
s_peer_fn (MDB_txn *txn, void *arg)
{
    s_peer_t *p = arg;
    free (p->reply);
    p->reply = NULL;
    return xc_intake_peer (p->node, txn, p->bytes, p->len, NULL, p->now,
                           &p->reply, &p->reply_len, p->out);
}

/*  node receives bytes from a peer; returns its reply (caller frees). */
static uint8_t *
s_peer (xc_node_t *node, const uint8_t *bytes, size_t len, uint64_t now,
        size_t *reply_len, xc_outcome_t *out)
{
    s_peer_t p = {node, bytes, len, now, NULL, 0, out};
    assert_int_equal (xc_store_write (node->store, s_peer_fn, &p), 0);
    *reply_len = p.reply_len;
    return p.reply;
}

typedef struct {
    xc_node_t *node;
    const uint8_t *bytes;
    size_t len;
    const xc_opened_t *op;
    uint64_t now;
    xc_outcome_t *out;
    int settled;
} s_answer_t;

static int
s_answer_fn (MDB_txn *txn, void *arg)
{
    s_answer_t *a = arg;
    return xc_intake_answer (a->node, txn, a->bytes, a->len, NULL, a->op, NULL,
                             a->now, a->out, &a->settled);
}

/*  node receives an answer on a dealer that answers no pending query,
    opened the way transport opens it.  Returns *settled. */
static int
s_answer (xc_node_t *node, const uint8_t *bytes, size_t len, uint64_t now,
          xc_outcome_t *out)
{
    xc_opened_t op = {0};
    char why[400] = "";
    if (xc_envelope_open (bytes, len, &op, why, sizeof why) != 0)
        fail_msg ("answer does not open: %s", why);
    s_answer_t a = {node, bytes, len, &op, now, out, -1};
    assert_int_equal (xc_store_write (node->store, s_answer_fn, &a), 0);
    xc_opened_free (&op);
    assert_true (a.settled == 0 || a.settled == 1);
    return a.settled;
}

/*  Imports one roster row (id paid program since..until, 0 open) at
    node, as `xiecha import --delta` does: logged, so a replay sees it
    too. */
static void
s_import (xc_node_t *node, const char *id, int program, uint32_t since,
          uint32_t until)
{
    xt_import_row (node, id, program, since, until);
}

/* --------------------------------------------------------------------------
   Reading back
   -------------------------------------------------------------------------- */

/*  The index entries of id at node. */
static size_t
s_index (xt_pair_t *f, xc_node_t *node, const char *id,
         xc_enrollment_t list[XC_INDEX_MAX])
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, id, ref);
    MDB_txn *txn;
    size_t count = 0;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_index_get (node->store, txn, ref, list, XC_INDEX_MAX, &count);
    mdb_txn_abort (txn);
    assert_int_equal (rc, 0);
    return count;
}

static void
s_assert_entry (const xc_enrollment_t *e, int program, uint32_t since,
                uint32_t until, const char *payer)
{
    assert_int_equal (e->program, program);
    assert_int_equal (e->since, since);
    assert_int_equal (e->until, until);
    assert_string_equal (e->node, payer);
}

/*  The outbox item of id at node: its rc, and *item (env malloc'd). */
static int
s_outbox (xc_node_t *node, const uint8_t id[16], xc_outbox_item_t *item)
{
    MDB_txn *txn;
    memset (item, 0, sizeof *item);
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_outbox_get (node->store, txn, id, item);
    mdb_txn_abort (txn);
    return rc;
}

static int
s_household (xt_pair_t *f, xc_node_t *node, const char *id,
             xc_household_t *h)
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, id, ref);
    MDB_txn *txn;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_households_get (node->store, txn, ref, h);
    mdb_txn_abort (txn);
    return rc;
}

/*  What a node's state is, other than its log: a SHA-256 over every key
    and value of the index, seen ids, outbox and household databases. */
typedef struct {
    uint8_t db[4][XC_HASH_LEN];
} s_state_t;

static const xc_db_t s_state_dbs[4] = {XC_DB_INDEX, XC_DB_SEEN, XC_DB_OUTBOX,
                                       XC_DB_HOUSEHOLDS};

static void
s_state (xc_node_t *node, s_state_t *s)
{
    MDB_txn *txn;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    for (int i = 0; i < 4; i++) {
        MDB_cursor *cur;
        assert_int_equal (mdb_cursor_open (txn, xc_store_dbi (node->store,
                                                              s_state_dbs[i]),
                                           &cur), 0);
        size_t cap = 4096, used = 0;
        uint8_t *buf = malloc (cap);
        assert_non_null (buf);
        MDB_val key, val;
        int op = MDB_FIRST;
        while (mdb_cursor_get (cur, &key, &val, op) == 0) {
            op = MDB_NEXT;
            size_t need = used + 16 + key.mv_size + val.mv_size;
            while (need > cap)
                cap *= 2;
            buf = realloc (buf, cap);
            assert_non_null (buf);
            memcpy (buf + used, &key.mv_size, 8);
            memcpy (buf + used + 8, &val.mv_size, 8);
            memcpy (buf + used + 16, key.mv_data, key.mv_size);
            memcpy (buf + used + 16 + key.mv_size, val.mv_data, val.mv_size);
            used = need;
        }
        mdb_cursor_close (cur);
        xc_sha256 (buf, used, s->db[i]);
        free (buf);
    }
    mdb_txn_abort (txn);
}

static void
s_assert_state (xc_node_t *node, const s_state_t *before)
{
    static const char *const names[4] = {"index", "seen", "outbox",
                                         "households"};
    s_state_t now;
    s_state (node, &now);
    for (int i = 0; i < 4; i++)
        if (memcmp (now.db[i], before->db[i], XC_HASH_LEN) != 0)
            fail_msg ("node %s: the %s database changed", node->config.code,
                      names[i]);
}

/*  The digest of a notice's signed bytes (what an ack must name). */
static void
s_digest_of (const uint8_t *env, size_t len, uint8_t digest[XC_HASH_LEN])
{
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (env, len, &op, NULL, 0), 0);
    memcpy (digest, op.digest, XC_HASH_LEN);
    xc_opened_free (&op);
}

/* --------------------------------------------------------------------------
   Envelopes of the tests' own making, with the nodes' real keys
   -------------------------------------------------------------------------- */

/*  from seals an Ack of digest, in reply to id, for to. */
static uint8_t *
s_seal_ack (xc_node_t *from, const char *to, const uint8_t id[16],
            const uint8_t digest[XC_HASH_LEN], uint64_t now, size_t *len)
{
    Xiecha__Ack ack = XIECHA__ACK__INIT;
    ack.notice_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                               (uint8_t *) digest};
    ack.outcome = "recorded";
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ACK;
    msg.ack = &ack;
    ProtobufCBinaryData irt = {XC_MSGID_LEN, (uint8_t *) id};
    uint8_t *out = NULL;
    assert_int_equal (xc_node_seal (from, &msg, XIECHA__MSG_TYPE__MSG_ACK, to,
                                    &irt, now, &out, len), 0);
    return out;
}

/*  from seals an Error of wire code, in reply to id, for to. */
static uint8_t *
s_seal_error (xc_node_t *from, const char *to, const uint8_t id[16],
              int code, uint64_t now, size_t *len)
{
    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = (Xiecha__ErrorCode) code;
    err.message = "header.created_at: too old";
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    msg.error = &err;
    ProtobufCBinaryData irt = {XC_MSGID_LEN, (uint8_t *) id};
    uint8_t *out = NULL;
    assert_int_equal (xc_node_seal (from, &msg, XIECHA__MSG_TYPE__MSG_ERROR,
                                    to, &irt, now, &out, len), 0);
    return out;
}

/*  from seals a Query about ref for to, in reply to id (NULL: none). */
static uint8_t *
s_seal_query (xc_node_t *from, const char *to, const uint8_t *id,
              const uint8_t ref[XC_REF_LEN], uint64_t now, size_t *len)
{
    ProtobufCBinaryData subject = {XC_REF_LEN, (uint8_t *) ref};
    Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 1;
    q.subjects = &subject;
    q.n_programs = 1;
    q.programs = programs;
    q.relation = XIECHA__RELATION__OTHER_PROVINCE;
    q.deadline = now + 3000;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    ProtobufCBinaryData irt = {XC_MSGID_LEN, (uint8_t *) id};
    uint8_t *out = NULL;
    assert_int_equal (xc_node_seal (from, &msg, XIECHA__MSG_TYPE__MSG_QUERY,
                                    to, id ? &irt : NULL, now, &out, len), 0);
    return out;
}

/*  A notice about ref as from would seal it, but with the header of the
    test's choosing: msg id (NULL: random), created_at, in_reply_to. */
typedef struct {
    int kind;
    uint32_t start_date;
    uint32_t end_date;
    const uint8_t *msg_id;
    const uint8_t *in_reply_to;
} s_craft_t;

static uint8_t *
s_craft_notice (xc_node_t *from, const char *to, const s_craft_t *c,
                const uint8_t ref[XC_REF_LEN], uint64_t now, size_t *len)
{
    ProtobufCBinaryData subject = {XC_REF_LEN, (uint8_t *) ref};
    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    n.kind = (Xiecha__NoticeKind) c->kind;
    n.n_subjects = 1;
    n.subjects = &subject;
    n.program = XIECHA__PROGRAM__DIBAO;
    n.start_date = c->start_date;
    n.end_date = c->end_date;
    if (c->kind == XIECHA__NOTICE_KIND__TERMINATION)
        n.reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_NOTICE, from->config.code,
                    to, now);
    if (c->msg_id)
        memcpy (id, c->msg_id, XC_MSGID_LEN);
    if (c->in_reply_to)
        h.in_reply_to = (ProtobufCBinaryData) {XC_MSGID_LEN,
                                               (uint8_t *) c->in_reply_to};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    const xc_signer_t *s = xc_node_signer (from);
    uint8_t *out = NULL;
    assert_int_equal (xc_envelope_seal (&msg, s->key, s->id, &out, len), 0);
    return out;
}

/* --------------------------------------------------------------------------
   Conversations
   -------------------------------------------------------------------------- */

/*  B's answer to a notice of A's, checked to be B's signed Ack of it. */
static void
s_assert_ack (xt_pair_t *f, const xc_outbox_item_t *item,
              const uint8_t *reply, size_t reply_len)
{
    assert_non_null (reply);
    xc_opened_t op;
    xt_open_verified (f->a, reply, reply_len, &op);
    const Xiecha__Header *h = op.msg->header;
    assert_int_equal (h->type, XIECHA__MSG_TYPE__MSG_ACK);
    assert_string_equal (h->sender, CODE_B);
    assert_string_equal (h->recipient, CODE_A);
    assert_int_equal (h->in_reply_to.len, XC_MSGID_LEN);
    assert_memory_equal (h->in_reply_to.data, item->id, XC_MSGID_LEN);
    uint8_t digest[XC_HASH_LEN];
    s_digest_of (item->env, item->env_len, digest);
    assert_int_equal (op.msg->ack->notice_digest.len, XC_HASH_LEN);
    assert_memory_equal (op.msg->ack->notice_digest.data, digest,
                         XC_HASH_LEN);
    xc_opened_free (&op);
}

/*  B's answer, checked to be B's signed Error of wire code about item. */
static void
s_assert_error (xt_pair_t *f, const uint8_t id[16], const uint8_t *env,
                size_t env_len, const uint8_t *reply, size_t reply_len,
                int wire_code, const char *needle)
{
    assert_non_null (reply);
    xc_opened_t op;
    xt_open_verified (f->a, reply, reply_len, &op);
    const Xiecha__Header *h = op.msg->header;
    assert_int_equal (h->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_string_equal (h->sender, CODE_B);
    assert_string_equal (h->recipient, CODE_A);
    assert_memory_equal (h->in_reply_to.data, id, XC_MSGID_LEN);
    assert_int_equal (op.msg->error->code, wire_code);
    xt_assert_has (op.msg->error->message, needle);
    uint8_t digest[XC_HASH_LEN];
    s_digest_of (env, env_len, digest);
    assert_int_equal (op.msg->error->request_digest.len, XC_HASH_LEN);
    assert_memory_equal (op.msg->error->request_digest.data, digest,
                         XC_HASH_LEN);
    xc_opened_free (&op);
}

/*  Asserts that item is still PENDING at A, with the same envelope. */
static void
s_assert_pending (xt_pair_t *f, const xc_outbox_item_t *item)
{
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item->id, &stored), 0);
    assert_int_equal (stored.state, XC_OUTBOX_PENDING);
    assert_int_equal (stored.env_len, item->env_len);
    assert_memory_equal (stored.env, item->env, item->env_len);
    xc_outbox_item_free (&stored);
}

/*  The whole journey of an enrollment of id: A queues it, B applies it
    and acks, A settles it.  *item keeps the notice. */
static void
s_enroll_round (xt_pair_t *f, const char *id, uint64_t now,
                xc_outbox_item_t *item)
{
    s_nreq_t r;
    s_queued (f->a, s_enrollment (&r, id), now, item);
    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->b, item->env, item->env_len, now, &len, &out);
    if (out.code != 0)
        fail_msg ("B refused the notice: %s", out.why);
    s_assert_ack (f, item, ack, len);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    free (ack);
}

/* --------------------------------------------------------------------------
   1. Residence side: the terminal's notice
   -------------------------------------------------------------------------- */

/*  Index change, outbox entry and audit entry are written together, and
    an aborted transaction leaves none of them. */
static void
test_client_queues_in_one_txn (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_QUEUE, ref);
    s_nreq_t r;
    s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT, CODE_B,
            XIECHA__PROGRAM__DIBAO, ID_QUEUE, ID_MEMBER, SINCE, 0);

    /* Decided, then the batch aborts: nothing of it is left. */
    s_state_t before;
    s_state (f->a, &before);
    uint64_t count = xt_audit_count (f->a);
    xc_outbox_item_t item = {0};
    xc_outcome_t out;
    s_client_t c = {f->a, &r.req, now, &item, &out, XC_EINTERNAL};
    assert_int_equal (xc_store_write (f->a->store, s_client_fn, &c),
                      XC_EINTERNAL);
    assert_int_equal (out.code, 0);
    assert_non_null (item.env);
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), XC_ENOTFOUND);
    xc_outbox_item_free (&item);
    s_assert_state (f->a, &before);
    assert_int_equal (xt_audit_count (f->a), count);

    /* Committed: all three. */
    s_queued (f->a, &r.req, now, &item);
    assert_string_equal (item.home, CODE_B);
    assert_int_equal (item.kind, XIECHA__NOTICE_KIND__ENROLLMENT);
    assert_int_equal (item.created_at, now);

    xc_opened_t op;   /* the notice B will get */
    xt_open_verified (f->b, item.env, item.env_len, &op);
    const Xiecha__Header *h = op.msg->header;
    assert_int_equal (h->type, XIECHA__MSG_TYPE__MSG_NOTICE);
    assert_string_equal (h->sender, CODE_A);
    assert_string_equal (h->recipient, CODE_B);
    assert_memory_equal (h->msg_id.data, item.id, XC_MSGID_LEN);
    const Xiecha__Notice *n = op.msg->notice;
    assert_int_equal (n->kind, XIECHA__NOTICE_KIND__ENROLLMENT);
    assert_int_equal (n->program, XIECHA__PROGRAM__DIBAO);
    assert_int_equal (n->start_date, SINCE);
    assert_int_equal (n->n_subjects, 2);
    assert_memory_equal (n->subjects[0].data, ref, XC_REF_LEN);
    xc_opened_free (&op);

    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_QUEUE, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);
    assert_int_equal (s_index (f, f->a, ID_MEMBER, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);

    assert_int_equal (s_outbox (f->a, item.id, &stored), 0);
    assert_int_equal (stored.state, XC_OUTBOX_PENDING);
    assert_string_equal (stored.home, CODE_B);
    assert_int_equal (stored.env_len, item.env_len);
    assert_memory_equal (stored.env, item.env, item.env_len);
    xc_outbox_item_free (&stored);

    xc_household_t hh;
    assert_int_equal (s_household (f, f->a, ID_MEMBER, &hh), 0);
    assert_string_equal (hh.home, CODE_B);
    assert_int_equal (hh.since, SINCE);
    assert_memory_equal (hh.head, ref, XC_REF_LEN);

    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, count + 1);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    assert_string_equal (e.peer, CODE_B);
    xt_assert_has (e.note, "queued for " CODE_B);
    xt_audit_assert_data (&e, item.env, item.env_len);
    xc_outbox_item_free (&item);
}

/*  A refused request writes nothing but its refusal to the log. */
static void
s_expect_client_refusal (xt_pair_t *f, const Xiecha__NoticeRequest *req,
                         uint64_t now, int code, const char *needle)
{
    s_state_t before;
    s_state (f->a, &before);
    uint64_t count = xt_audit_count (f->a);
    xc_outbox_item_t item;
    xc_outcome_t out;
    s_client (f->a, req, now, &item, &out);
    assert_int_equal (out.code, code);
    xt_assert_has (out.why, needle);
    assert_null (item.env);
    s_assert_state (f->a, &before);
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, count + 1);
    assert_int_equal (e.kind, XC_AUDIT_DECISION);
    xt_assert_has (e.note, "client notice refused");
    assert_int_equal (e.data_len, 0);
}

static void
test_client_refusals_change_nothing (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    /* 30 February */
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_REFUSE, NULL, 20250230, 0),
                             now, XC_EINVAL, "start_date");
    /* ten days ahead */
    uint32_t ahead = xc_zone_date (now + 10 * DAY_MS);
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_REFUSE, NULL, ahead, 0),
                             now, XC_EINVAL, "in the future");
    /* a termination with no date at all */
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_REFUSE, NULL, 0, 0),
                             now, XC_EINVAL, "end_date");
    /* nothing open to end */
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_REFUSE, NULL, 0, 20240601),
                             now, XC_ENOTENROLLED, "no open DIBAO");
    /* the same person twice in one household */
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_REFUSE, ID_REFUSE, SINCE, 0),
                             now, XC_EINVAL, "members[0].id_number");
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_REFUSE, list), 0);
}

/*  An end date before the start of the open enrollment is a typo, and
    says so; the enrollment stays open. */
static void
test_client_end_before_start (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_EARLY), now, &item);
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_EARLY, NULL, 0, SINCE - 100),
                             now, XC_EINVAL, "before the start");
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_EARLY, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);
    xc_outbox_item_free (&item);
}

/*  Same county: applied here at once, nothing to send. */
static void
test_same_county_applied_locally (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    uint64_t b_count = xt_audit_count (f->b);
    s_nreq_t r;
    xc_outbox_item_t item, stored;
    xc_outcome_t out;
    s_client (f->a, s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT, CODE_A,
                            XIECHA__PROGRAM__TEKUN, ID_LOCAL, NULL, SINCE, 0),
              now, &item, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (item.state, XC_OUTBOX_LOCAL);
    assert_int_equal (s_outbox (f->a, item.id, &stored), XC_ENOTFOUND);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_LOCAL, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__TEKUN, SINCE, 0, CODE_A);
    xt_audit_entry_t e;
    xt_audit_at (f->a, 2, &e);
    assert_int_equal (e.kind, XC_AUDIT_DECISION);
    xt_assert_has (e.note, "same county");
    xt_audit_assert_data (&e, item.env, item.env_len);
    xt_audit_at (f->a, 1, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    xt_assert_has (e.note, XC_APPLY_NOTE_APPLIED);
    xt_audit_assert_data (&e, item.env, item.env_len);
    assert_int_equal (xt_audit_count (f->b), b_count);   /* B never heard */
    xc_outbox_item_free (&item);
}

/* --------------------------------------------------------------------------
   2. Registration side: applied exactly once
   -------------------------------------------------------------------------- */

static void
test_applied_once_and_acked (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_ONCE), now, &item);

    uint64_t count = xt_audit_count (f->b);
    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    xt_assert_has (out.why, XC_APPLY_NOTE_APPLIED);
    s_assert_ack (f, &item, ack, len);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->b, ID_ONCE, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);
    assert_int_equal (xt_seen (f->b, CODE_A, item.id), 0);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.count, count + 2);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    assert_string_equal (e.peer, CODE_A);
    xt_audit_assert_data (&e, item.env, item.env_len);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    xt_audit_assert_data (&e, ack, len);

    /* Redelivered, later (A never heard the ack): the very same ack,
       and no second entry. */
    s_state_t before;
    s_state (f->b, &before);
    size_t len2;
    uint8_t *again = s_peer (f->b, item.env, item.env_len, now + HOUR_MS,
                             &len2, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (len2, len);
    assert_memory_equal (again, ack, len);
    s_assert_state (f->b, &before);
    assert_int_equal (s_index (f, f->b, ID_ONCE, list), 1);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.count, count + 3);
    assert_int_equal (e.kind, XC_AUDIT_DUPLICATE);
    assert_string_equal (e.peer, CODE_A);
    xt_audit_assert_kept (&e, item.env, item.env_len);
    free (again);

    /* A takes the ack: the notice is settled and leaves the outbox. */
    count = xt_audit_count (f->a);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), XC_ENOTFOUND);
    assert_int_equal (s_index (f, f->a, ID_ONCE, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, count + 1);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    assert_string_equal (e.peer, CODE_B);
    assert_string_equal (e.note, "ack");
    xt_audit_assert_data (&e, ack, len);

    /* The second copy of the ack finds nothing pending. */
    s_state (f->a, &before);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 0);
    assert_int_equal (out.code, 0);
    s_assert_state (f->a, &before);
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, count + 2);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    xt_assert_has (e.note, "nothing pending");
    xt_audit_assert_data (&e, ack, len);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  The same id from the same sender with other signed bytes is a replay;
    it changes nothing, and the first message's answer stays the one a
    retry gets. */
static void
test_same_id_other_bytes_is_replay (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    uint8_t ref[XC_REF_LEN], id[XC_MSGID_LEN];
    xt_fed_ref (f->fed, ID_REPLAY, ref);
    xc_random (id, sizeof id);
    s_craft_t c = {XIECHA__NOTICE_KIND__ENROLLMENT, SINCE, 0, id, NULL};
    size_t len, alen;
    uint8_t *first = s_craft_notice (f->a, CODE_B, &c, ref, now, &len);
    xc_outcome_t out;
    uint8_t *ack = s_peer (f->b, first, len, now, &alen, &out);
    assert_int_equal (out.code, 0);

    c.start_date = SINCE + 1;           /* other bytes, the same id */
    size_t len2, rlen;
    uint8_t *second = s_craft_notice (f->a, CODE_B, &c, ref, now, &len2);
    s_state_t before;
    s_state (f->b, &before);
    uint64_t count = xt_audit_count (f->b);
    uint8_t *err = s_peer (f->b, second, len2, now, &rlen, &out);
    assert_int_equal (out.code, XC_EREPLAY);
    xt_assert_has (out.why, "header.msg_id");
    s_assert_error (f, id, second, len2, err, rlen,
                    XIECHA__ERROR_CODE__ERR_REPLAY, "already used");
    s_assert_state (f->b, &before);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->b, ID_REPLAY, list), 1);
    assert_int_equal (list[0].since, SINCE);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.count, count + 2);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    xt_audit_assert_kept (&e, second, len2);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    xt_audit_assert_data (&e, err, rlen);

    size_t len3;
    uint8_t *again = s_peer (f->b, first, len, now, &len3, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (len3, alen);
    assert_memory_equal (again, ack, alen);
    free (again);
    free (err);
    free (second);
    free (ack);
    free (first);
}

/*  Someone already paid DIBAO after another node's notice (here B's own,
    a same-county enrollment) in an overlapping period cannot be enrolled
    in it by A: refused, the refusal kept for redeliveries; A keeps its
    notice as REJECTED and takes back its own index change. */
static void
test_conflict_refused_and_undone (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    xc_outcome_t local;
    s_client (f->b, s_nreq (&r, XIECHA__NOTICE_KIND__ENROLLMENT, CODE_B,
                            XIECHA__PROGRAM__DIBAO, ID_CONFLICT, NULL,
                            20230101, 0), now, &item, &local);
    assert_int_equal (local.code, 0);
    assert_int_equal (item.state, XC_OUTBOX_LOCAL);
    xc_outbox_item_free (&item);
    s_queued (f->a, s_enrollment (&r, ID_CONFLICT), now, &item);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_CONFLICT, list), 1);
    xc_household_t hh;
    assert_int_equal (s_household (f, f->a, ID_CONFLICT, &hh), 0);

    uint64_t count = xt_audit_count (f->b);
    xc_outcome_t out;
    size_t len;
    uint8_t *err = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, XC_ECONFLICT);
    s_assert_error (f, item.id, item.env, item.env_len, err, len,
                    XIECHA__ERROR_CODE__ERR_CONFLICT,
                    "already receives DIBAO paid by " CODE_B);
    assert_int_equal (s_index (f, f->b, ID_CONFLICT, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, 20230101, 0, CODE_B);
    assert_int_equal (xt_seen (f->b, CODE_A, item.id), 0);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.count, count + 2);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    xt_audit_assert_kept (&e, item.env, item.env_len);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    xt_audit_assert_data (&e, err, len);

    /* Redelivered: the same signed error, byte for byte. */
    s_state_t before;
    s_state (f->b, &before);
    size_t len2;
    uint8_t *again = s_peer (f->b, item.env, item.env_len, now + 1000, &len2,
                             &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (len2, len);
    assert_memory_equal (again, err, len);
    s_assert_state (f->b, &before);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_DUPLICATE);
    free (again);

    /* A: refused for good. */
    assert_int_equal (s_answer (f->a, err, len, now, &out), 1);
    assert_int_equal (out.code, XC_ECONFLICT);
    xt_assert_has (out.why, CODE_B " refused the notice");
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), 0);
    assert_int_equal (stored.state, XC_OUTBOX_REJECTED);
    xt_assert_has (stored.note, "already receives DIBAO");
    assert_int_equal (stored.env_len, item.env_len);
    assert_memory_equal (stored.env, item.env, item.env_len);
    xc_outbox_item_free (&stored);
    assert_int_equal (s_index (f, f->a, ID_CONFLICT, list), 0);
    assert_int_equal (s_household (f, f->a, ID_CONFLICT, &hh), XC_ENOTFOUND);
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    assert_string_equal (e.note, XC_APPLY_NOTE_REJECTED);
    xt_audit_assert_data (&e, err, len);

    /* The error again: nothing pending, nothing undone twice. */
    s_state (f->a, &before);
    assert_int_equal (s_answer (f->a, err, len, now, &out), 0);
    assert_int_equal (out.code, 0);
    s_assert_state (f->a, &before);
    free (err);
    xc_outbox_item_free (&item);
}

typedef struct {
    xc_conflict_t *c;
    size_t n, max;
} s_list_t;

static int
s_conflict_one (const xc_conflict_t *c, void *arg)
{
    s_list_t *l = arg;
    if (l->n < l->max)
        l->c[l->n++] = *c;
    return 0;
}

/*  The conflicts of node, in key order, into c[max]; returns how many. */
static size_t
s_conflicts (xc_node_t *node, xc_conflict_t *c, size_t max)
{
    s_list_t l = {c, 0, max};
    MDB_txn *txn;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_conflicts_each (node->store, txn, NULL, 0, s_conflict_one,
                                &l);
    mdb_txn_abort (txn);
    assert_int_equal (rc, 0);
    return l.n;
}

/*  The outbox's pending CONFLICT notice, taken out into *item. */
static int
s_pending_conflict (const xc_outbox_item_t *it, void *arg)
{
    xc_outbox_item_t *item = arg;
    if (it->kind != XIECHA__NOTICE_KIND__CONFLICT
        || it->state != XC_OUTBOX_PENDING)
        return 0;
    *item = *it;
    item->env = malloc (it->env_len);
    memcpy (item->env, it->env, it->env_len);
    return 1;
}

/*  B's CONFLICT notice for A, delivered: A records it and acks, B takes
    the ack. */
static void
s_deliver_conflict (xt_pair_t *f, uint64_t now)
{
    xc_outbox_item_t item = {0};
    MDB_txn *txn;
    assert_int_equal (xc_store_read (f->b->store, &txn), 0);
    assert_int_equal (xc_outbox_each (f->b->store, txn, s_pending_conflict,
                                      &item), 1);
    mdb_txn_abort (txn);
    assert_string_equal (item.home, CODE_A);
    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->a, item.env, item.env_len, now, &len, &out);
    if (out.code)
        fail_msg ("A refused B's conflict notice: %s", out.why);
    assert_int_equal (s_answer (f->b, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  Someone B's own roster pays DIBAO can be enrolled by A all the same:
    the roster says what B pays, the notice what A pays, and both are
    facts.  So the notice is applied and acked, and the conflict is
    surfaced: recorded at B, told to A by a signed CONFLICT notice, which
    A records too.  A's termination resolves it on both sides. */
static void
test_roster_conflict_surfaced (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    const char *id = xt_id ("34100219700101043");
    s_import (f->b, id, XIECHA__PROGRAM__DIBAO, 20230101, 0);
    xc_outbox_item_t item;
    s_enroll_round (f, id, now, &item);
    xc_outbox_item_free (&item);

    xc_conflict_t c[4];
    assert_int_equal (s_conflicts (f->b, c, 4), 1);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, id, ref);
    assert_memory_equal (c[0].ref, ref, XC_REF_LEN);
    assert_int_equal (c[0].program, XIECHA__PROGRAM__DIBAO);
    assert_string_equal (c[0].registration, CODE_B);
    assert_string_equal (c[0].other, CODE_A);
    assert_int_equal (c[0].roster_since, 20230101);
    assert_int_equal (c[0].other_since, SINCE);
    assert_int_equal (c[0].found, xc_zone_date (now));
    assert_int_equal (c[0].resolved, 0);
    assert_int_equal (s_conflicts (f->a, c, 4), 0);
    s_deliver_conflict (f, now);
    xc_conflict_t told[4];
    assert_int_equal (s_conflicts (f->a, told, 4), 1);
    assert_memory_equal (&told[0], &c[0], sizeof c[0]);

    /* A ends its enrollment: B resolves the conflict and tells A. */
    s_nreq_t r;
    s_queued (f->a, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION, CODE_B,
                            XIECHA__PROGRAM__DIBAO, id, NULL, 0,
                            xc_zone_date (now)), now, &item);
    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    free (ack);
    xc_outbox_item_free (&item);
    assert_int_equal (s_conflicts (f->b, c, 4), 1);
    assert_int_equal (c[0].resolved, xc_zone_date (now));
    assert_int_equal (c[0].other_until, xc_zone_date (now));
    s_deliver_conflict (f, now);
    assert_int_equal (s_conflicts (f->a, told, 4), 1);
    assert_memory_equal (&told[0], &c[0], sizeof c[0]);

    /* A CONFLICT notice about someone A does not pay is refused. */
    const char *stranger = xt_id ("34100219700101045");
    s_import (f->b, stranger, XIECHA__PROGRAM__DIBAO, 20230101, 0);
    Xiecha__Conflict k = XIECHA__CONFLICT__INIT;
    k.roster_since = 20230101;
    k.other_since = SINCE;
    k.found = xc_zone_date (now);
    uint8_t sref[XC_REF_LEN];
    xt_fed_ref (f->fed, stranger, sref);
    ProtobufCBinaryData subject = {XC_REF_LEN, sref};
    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    n.kind = XIECHA__NOTICE_KIND__CONFLICT;
    n.n_subjects = 1;
    n.subjects = &subject;
    n.program = XIECHA__PROGRAM__DIBAO;
    n.conflict = &k;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    uint8_t *env = NULL;
    size_t env_len = 0;
    assert_int_equal (xc_node_seal (f->b, &msg, XIECHA__MSG_TYPE__MSG_NOTICE,
                                    CODE_A, NULL, now, &env, &env_len), 0);
    uint8_t *err = s_peer (f->a, env, env_len, now, &len, &out);
    assert_int_equal (out.code, XC_ENOTENROLLED);
    xt_assert_has (out.why, "the conflict is not its");
    assert_int_equal (s_conflicts (f->a, told, 4), 1);
    free (err);
    free (env);
}

/*  A termination closes the open enrollment on both sides. */
static void
test_termination_closes (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    xc_outbox_item_t item;
    s_enroll_round (f, ID_TERM, now, &item);
    xc_outbox_item_free (&item);
    xc_household_t hh;
    assert_int_equal (s_household (f, f->a, ID_TERM, &hh), 0);

    s_nreq_t r;
    s_queued (f->a, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION, CODE_B,
                            XIECHA__PROGRAM__DIBAO, ID_TERM, NULL, 0,
                            20240601),
              now, &item);
    assert_int_equal (item.kind, XIECHA__NOTICE_KIND__TERMINATION);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_TERM, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 20240601, CODE_A);
    assert_int_equal (s_household (f, f->a, ID_TERM, &hh), XC_ENOTFOUND);

    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    s_assert_ack (f, &item, ack, len);
    assert_int_equal (s_index (f, f->b, ID_TERM, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 20240601, CODE_A);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), XC_ENOTFOUND);
    free (ack);
    xc_outbox_item_free (&item);

    /* Nothing is open any more, at A ... */
    s_expect_client_refusal (f, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION,
                                        CODE_B, XIECHA__PROGRAM__DIBAO,
                                        ID_TERM, NULL, 0, 20240701),
                             now, XC_ENOTENROLLED, "no open DIBAO");

    /* ... nor at B, which refuses a second termination for good. */
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_TERM, ref);
    s_craft_t c = {XIECHA__NOTICE_KIND__TERMINATION, 0, 20240701, NULL, NULL};
    size_t nlen;
    uint8_t *notice = s_craft_notice (f->a, CODE_B, &c, ref, now, &nlen);
    xc_opened_t op;
    xt_open_verified (f->b, notice, nlen, &op);
    s_state_t before;
    s_state (f->b, &before);
    uint8_t *err = s_peer (f->b, notice, nlen, now, &len, &out);
    assert_int_equal (out.code, XC_ENOTENROLLED);
    s_assert_error (f, op.msg->header->msg_id.data, notice, nlen, err, len,
                    XIECHA__ERROR_CODE__ERR_NOT_ENROLLED,
                    "no open DIBAO enrollment paid by " CODE_A);
    assert_int_equal (s_index (f, f->b, ID_TERM, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 20240601, CODE_A);
    assert_int_equal (xt_seen (f->b, CODE_A, op.msg->header->msg_id.data), 0);
    xc_opened_free (&op);
    free (err);
    free (notice);
}

/*  A termination the registration node refuses for good (it never heard
    of the enrollment yet) is undone at A: the enrollment is open again
    and its household record back. */
static void
test_refused_termination_reopens (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t enrol, term;
    s_queued (f->a, s_enrollment (&r, ID_UNDO), now, &enrol);
    s_queued (f->a, s_nreq (&r, XIECHA__NOTICE_KIND__TERMINATION, CODE_B,
                            XIECHA__PROGRAM__DIBAO, ID_UNDO, NULL, 0,
                            20240601),
              now, &term);
    xc_household_t hh;
    assert_int_equal (s_household (f, f->a, ID_UNDO, &hh), XC_ENOTFOUND);

    /* The termination overtakes the enrollment. */
    xc_outcome_t out;
    size_t len;
    uint8_t *err = s_peer (f->b, term.env, term.env_len, now, &len, &out);
    assert_int_equal (out.code, XC_ENOTENROLLED);
    s_assert_error (f, term.id, term.env, term.env_len, err, len,
                    XIECHA__ERROR_CODE__ERR_NOT_ENROLLED, "no open DIBAO");
    assert_int_equal (s_answer (f->a, err, len, now, &out), 1);
    assert_int_equal (out.code, XC_ENOTENROLLED);
    free (err);

    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, term.id, &stored), 0);
    assert_int_equal (stored.state, XC_OUTBOX_REJECTED);
    xc_outbox_item_free (&stored);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_UNDO, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__DIBAO, SINCE, 0, CODE_A);
    assert_int_equal (s_household (f, f->a, ID_UNDO, &hh), 0);
    assert_int_equal (hh.since, SINCE);
    assert_string_equal (hh.home, CODE_B);
    s_assert_pending (f, &enrol);

    /* The enrollment still goes through. */
    uint8_t *ack = s_peer (f->b, enrol.env, enrol.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    free (ack);
    xc_outbox_item_free (&enrol);
    xc_outbox_item_free (&term);
}

/*  Emergency aid: a one-off grant on its day. */
static void
test_emergency_aid (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_nreq (&r, XIECHA__NOTICE_KIND__EMERGENCY_AID, CODE_B,
            XIECHA__PROGRAM__TEMP, ID_AID, NULL, 20240310, 0);
    r.req.amount_band = 2;
    r.req.aid_reason = "illness";
    s_queued (f->a, &r.req, now, &item);
    xc_outcome_t out;
    size_t len;
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    s_assert_ack (f, &item, ack, len);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->b, ID_AID, list), 1);
    s_assert_entry (&list[0], XIECHA__PROGRAM__TEMP, 20240310, 20240310,
                    CODE_A);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  A person whose index record is full (XC_INDEX_MAX enrollments): one
    more notice is refused with a signed ERR_TOO_BIG naming the limit,
    nothing of it is written, and the residence side takes the refusal as
    final and undoes its own change.  (Once this aborted the whole batch
    of every peer, again and again.) */
static void
test_full_record_refused (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    /* one-day grants of the past: each its own enrollment (an open one
       would be replaced, keyed by person and program) */
    for (int i = 0; i < XC_INDEX_MAX; i++) {
        uint32_t day = 20200101 + 100 * (uint32_t) (i % 12)
                       + (uint32_t) (i / 12);
        s_import (f->b, ID_FULL, XIECHA__PROGRAM__TEMP, day, day);
    }
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->b, ID_FULL, list), XC_INDEX_MAX);

    s_nreq_t r;
    xc_outbox_item_t item;
    s_nreq (&r, XIECHA__NOTICE_KIND__EMERGENCY_AID, CODE_B,
            XIECHA__PROGRAM__TEMP, ID_FULL, NULL, 20240310, 0);
    r.req.amount_band = 2;
    r.req.aid_reason = "fire";
    s_queued (f->a, &r.req, now, &item);
    xc_outcome_t out;
    size_t len;
    uint8_t *err = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, XC_ETOOBIG);
    s_assert_error (f, item.id, item.env, item.env_len, err, len,
                    XIECHA__ERROR_CODE__ERR_TOO_BIG, "at most 32");
    assert_int_equal (s_index (f, f->b, ID_FULL, list), XC_INDEX_MAX);
    for (int i = 0; i < XC_INDEX_MAX; i++)
        assert_string_equal (list[i].node, CODE_B);

    assert_int_equal (s_answer (f->a, err, len, now, &out), 1);
    assert_int_equal (out.code, XC_ETOOBIG);
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), 0);
    assert_int_equal (stored.state, XC_OUTBOX_REJECTED);
    xc_outbox_item_free (&stored);
    assert_int_equal (s_index (f, f->a, ID_FULL, list), 0);
    free (err);
    xc_outbox_item_free (&item);
}

/* --------------------------------------------------------------------------
   3. Residence side: answers that must not settle a notice
   -------------------------------------------------------------------------- */

/*  A refuses answer: out.code is code, nothing but a REFUSED entry with
    the answer's bytes is written, the notice stays pending. */
static void
s_expect_answer_refused (xt_pair_t *f, const xc_outbox_item_t *item,
                         const uint8_t *bytes, size_t len, uint64_t now,
                         int code, const char *needle)
{
    s_state_t before;
    s_state (f->a, &before);
    uint64_t count = xt_audit_count (f->a);
    xc_outcome_t out;
    assert_int_equal (s_answer (f->a, bytes, len, now, &out), 0);
    assert_int_equal (out.code, code);
    xt_assert_has (out.why, needle);
    s_assert_state (f->a, &before);
    s_assert_pending (f, item);
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, count + 1);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    xt_audit_assert_kept (&e, bytes, len);
}

/*  A refusal a retry may cure leaves the notice pending and the local
    change in place; the retry then goes through. */
static void
test_non_final_error_stays_pending (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_STALE), now, &item);

    /* A signed ERR_STALE from B. */
    s_state_t before;
    s_state (f->a, &before);
    size_t len;
    uint8_t *stale = s_seal_error (f->b, CODE_A, item.id,
                                   XIECHA__ERROR_CODE__ERR_STALE, now, &len);
    xc_outcome_t out;
    assert_int_equal (s_answer (f->a, stale, len, now, &out), 0);
    assert_int_equal (out.code, XC_ESTALE);
    xt_assert_has (out.why, CODE_B " refused the notice");
    s_assert_state (f->a, &before);
    s_assert_pending (f, &item);
    xc_enrollment_t list[XC_INDEX_MAX];
    assert_int_equal (s_index (f, f->a, ID_STALE, list), 1);
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    xt_audit_assert_data (&e, stale, len);
    free (stale);

    /* A real one: B's clock an hour behind sees the notice from the
       future, refuses it with ERR_FUTURE, and remembers nothing. */
    uint64_t then = now - HOUR_MS;
    uint8_t *future = s_peer (f->b, item.env, item.env_len, then, &len, &out);
    assert_int_equal (out.code, XC_EFUTURE);
    s_assert_error (f, item.id, item.env, item.env_len, future, len,
                    XIECHA__ERROR_CODE__ERR_FUTURE, "ahead of");
    assert_int_equal (xt_seen (f->b, CODE_A, item.id), XC_ENOTFOUND);
    assert_int_equal (s_index (f, f->b, ID_STALE, list), 0);
    assert_int_equal (s_answer (f->a, future, len, then, &out), 0);
    assert_int_equal (out.code, XC_EFUTURE);
    s_assert_state (f->a, &before);
    free (future);

    /* Sent again once the clocks agree: applied and settled. */
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    s_assert_ack (f, &item, ack, len);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    xc_outbox_item_t stored;
    assert_int_equal (s_outbox (f->a, item.id, &stored), XC_ENOTFOUND);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  An ack must name the digest of the very notice it acks. */
static void
test_ack_of_other_digest_refused (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_DIGEST), now, &item);
    uint8_t digest[XC_HASH_LEN];
    s_digest_of (item.env, item.env_len, digest);
    digest[7] ^= 0x40;
    size_t len;
    uint8_t *ack = s_seal_ack (f->b, CODE_A, item.id, digest, now, &len);
    s_expect_answer_refused (f, &item, ack, len, now, XC_EBINDING,
                             "ack.notice_digest");
    free (ack);

    /* The right digest signed by the wrong node. */
    digest[7] ^= 0x40;
    ack = s_seal_ack (f->a, CODE_A, item.id, digest, now, &len);
    s_expect_answer_refused (f, &item, ack, len, now, XC_EBINDING,
                             "header.sender");
    free (ack);

    /* And B's genuine ack still settles it. */
    xc_outcome_t out;
    ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    assert_int_equal (out.code, 0);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  Regression: a signed message of a kind that is no answer (a query, a
    notice) arriving on a dealer in reply to a pending notice was once
    read as an ack and crashed the node.  It is refused; the notice
    stays pending. */
static void
test_wrong_type_answer_refused (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_TYPE), now, &item);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_TYPE, ref);

    size_t len;
    uint8_t *query = s_seal_query (f->b, CODE_A, item.id, ref, now, &len);
    s_expect_answer_refused (f, &item, query, len, now, XC_EMALFORMED,
                             "header.type");
    free (query);

    s_craft_t c = {XIECHA__NOTICE_KIND__ENROLLMENT, SINCE, 0, NULL, item.id};
    uint8_t *notice = s_craft_notice (f->b, CODE_A, &c, ref, now, &len);
    s_expect_answer_refused (f, &item, notice, len, now, XC_EMALFORMED,
                             "header.type");
    free (notice);

    /* B's real answer still settles it. */
    xc_outcome_t out;
    uint8_t *ack = s_peer (f->b, item.env, item.env_len, now, &len, &out);
    assert_int_equal (out.code, 0);
    assert_int_equal (s_answer (f->a, ack, len, now, &out), 1);
    free (ack);
    xc_outbox_item_free (&item);
}

/*  Regression (was a bug, fixed with this test):
    xc_notice_answer (decide/notices.c) looks the answer up in the outbox
    by header.in_reply_to.data without checking its length, and strict
    decoding lets in_reply_to be empty (wire.c: "must be empty or 16
    bytes").  A signed message with no in_reply_to (any type: query,
    notice, ack, error) from any node of the trust list, arriving on a
    dealer, reaches it through xc_intake_answer (transport passes
    pending NULL: xc_asks_find finds nothing for an empty id) and
    xc_outbox_get hands LMDB a 16-byte key at NULL: mdb_get -> memcmp
    (NULL, ...) -> SIGSEGV, and the node is down.  Fix: in
    xc_notice_answer, before xc_outbox_get, refuse (outcome, REFUSED
    audit entry with the bytes, *settled 0) an answer whose
    h->in_reply_to.len != XC_MSGID_LEN, e.g. XC_EBINDING
    "header.in_reply_to: an answer must name the notice it answers". */
static void
test_answer_without_in_reply_to_refused (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_nreq_t r;
    xc_outbox_item_t item;
    s_queued (f->a, s_enrollment (&r, ID_BARE), now, &item);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_BARE, ref);
    size_t len;
    uint8_t *query = s_seal_query (f->b, CODE_A, NULL, ref, now, &len);
    s_expect_answer_refused (f, &item, query, len, now, XC_EBINDING,
                             "in_reply_to");
    free (query);
    xc_outbox_item_free (&item);
}

/* --------------------------------------------------------------------------
   4. The log tells the whole story
   -------------------------------------------------------------------------- */

static void
s_replay (xc_node_t *node, const xt_pair_t *f, xc_replay_report_t *r)
{
    MDB_txn *txn = NULL;
    char why[256] = "";
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_replay (node->store, txn, node->config.code, f->fed->root, r, why,
                        sizeof why);
    mdb_txn_abort (txn);
    if (rc)
        fail_msg ("xc_replay: %s", why);
    for (size_t i = 0; i < r->n_diffs; i++)
        print_message ("%s differs: live '%s', rebuilt '%s'\n",
                       node->config.code, r->diffs[i].live,
                       r->diffs[i].rebuilt);
}

/*  B's index rebuilt from B's log alone is B's index, one notice more
    after one more notice; and so is A's, refusals and undos included.
    Runs after everything above. */
static void
test_replay_rebuilds_index (void **state)
{
    xt_pair_t *f = *state;
    static xc_replay_report_t reports[2];   /* large: not on the stack */
    xc_replay_report_t *r1 = &reports[0], *r2 = &reports[1];
    s_replay (f->b, f, r1);
    assert_int_equal (r1->differences, 0);

    xc_outbox_item_t item;
    s_enroll_round (f, ID_REBUILD, xc_now_ms (), &item);
    xc_outbox_item_free (&item);
    s_replay (f->b, f, r2);
    assert_int_equal (r2->differences, 0);
    assert_int_equal (r2->replayed, r1->replayed + 1);
    assert_int_equal (r2->live_subjects, r1->live_subjects + 1);
    assert_int_equal (r2->rebuilt_subjects, r2->live_subjects);
    assert_int_equal (r2->entries, r1->entries + 2);   /* received, ack sent */

    memset (r1, 0, sizeof *r1);
    s_replay (f->a, f, r1);
    assert_int_equal (r1->differences, 0);
    assert_true (r1->live_subjects >= 8);
    assert_int_equal (r1->rebuilt_subjects, r1->live_subjects);
}

static void
test_audit_chains_intact (void **state)
{
    xt_pair_t *f = *state;
    xc_node_t *nodes[] = {f->a, f->b};
    for (size_t i = 0; i < 2; i++) {
        MDB_txn *txn;
        uint64_t bad = 0;
        char why[256] = "";
        assert_int_equal (xc_store_read (nodes[i]->store, &txn), 0);
        int rc = xc_audit_check (nodes[i]->store, txn, &bad, why, sizeof why);
        mdb_txn_abort (txn);
        if (rc != 0)
            fail_msg ("audit of %s: %s", nodes[i]->config.code, why);
    }
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_client_queues_in_one_txn),
        cmocka_unit_test (test_client_refusals_change_nothing),
        cmocka_unit_test (test_client_end_before_start),
        cmocka_unit_test (test_same_county_applied_locally),
        cmocka_unit_test (test_applied_once_and_acked),
        cmocka_unit_test (test_same_id_other_bytes_is_replay),
        cmocka_unit_test (test_conflict_refused_and_undone),
        cmocka_unit_test (test_roster_conflict_surfaced),
        cmocka_unit_test (test_termination_closes),
        cmocka_unit_test (test_refused_termination_reopens),
        cmocka_unit_test (test_emergency_aid),
        cmocka_unit_test (test_full_record_refused),
        cmocka_unit_test (test_non_final_error_stays_pending),
        cmocka_unit_test (test_ack_of_other_digest_refused),
        cmocka_unit_test (test_wrong_type_answer_refused),
        cmocka_unit_test (test_answer_without_in_reply_to_refused),
        /* last: they read what the tests above left behind */
        cmocka_unit_test (test_replay_rebuilds_index),
        cmocka_unit_test (test_audit_chains_intact),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
