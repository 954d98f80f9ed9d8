/*  test_intake.c - peer intake and the query decisions (decide/intake.h, decide/query.h), with no network at all.

    Two real nodes share a temporary directory: A ("469021", the residence
    node) and B ("341002", the registration node), each with its own keys,
    config and LMDB store, both listed in one trust list.  Messages travel
    between them as plain byte buffers handed from one handler to the
    other, each call inside its node's write transaction, as transport
    would do it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/audit.h"
#include "xt_local.h"
#include "decide/intake.h"
#include "decide/query.h"
#include "store/index.h"
#include "node/node.h"
#include "store/seen.h"

#define CODE_A "469021"
#define CODE_B "341002"
#define HOUR_MS (3600ull * 1000)

/*  Every valid ID number used below; none may ever reach a data file. */
#define ID_ROUND "11010519491231002X"
#define ID_RECV "341002198001010015"
#define ID_PAST "341002198505050029"
#define ID_OTHER "341002199003150032"
#define ID_DUP "341002197511200041"
#define ID_LOCAL "469021198808080050"
#define ID_BIND "341002200002290063"
#define ID_ATOM "341002196606060075"
#define ID_POLICY "341002197007070081"
#define ID_BADSUM "110105194912310021"   /* ID_ROUND with a wrong check */
#define ID_BADDATE "341002198002300012"  /* born on 30 February */

static const char *const s_all_ids[] = {
    ID_ROUND, ID_RECV, ID_PAST, ID_OTHER, ID_DUP, ID_LOCAL, ID_BIND,
    ID_ATOM, ID_BADSUM, ID_BADDATE,
};

/* --------------------------------------------------------------------------
   The federation on disk (tests/lib/xt_local.h)
   -------------------------------------------------------------------------- */

static int
s_setup (void **state)
{
    xt_pair_t *f = xt_pair_new ("handlers", CODE_A, CODE_B);
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

/*  A client QueryRequest and the storage it points into. */
typedef struct {
    Xiecha__QueryRequest req;
    Xiecha__Person people[2];
    Xiecha__Person *members[1];
    Xiecha__Program programs[1];
} s_req_t;

static const Xiecha__QueryRequest *
s_req (s_req_t *r, const char *home, int program, const char *applicant,
       const char *member)
{
    memset (r, 0, sizeof *r);
    xiecha__query_request__init (&r->req);
    xiecha__person__init (&r->people[0]);
    r->people[0].id_number = (char *) applicant;
    r->people[0].name = "张三";
    r->req.applicant = &r->people[0];
    r->req.home_county = (char *) home;
    r->programs[0] = (Xiecha__Program) program;
    r->req.programs = r->programs;
    r->req.n_programs = 1;
    if (member) {
        xiecha__person__init (&r->people[1]);
        r->people[1].id_number = (char *) member;
        r->people[1].name = "张三";
        r->members[0] = &r->people[1];
        r->req.members = r->members;
        r->req.n_members = 1;
    }
    return &r->req;
}

/* --------------------------------------------------------------------------
   Write functions: one handler call inside one transaction
   -------------------------------------------------------------------------- */

typedef struct {
    xc_node_t *node;
    const Xiecha__QueryRequest *req;
    uint64_t now;
    xc_pending_t *pending;
    uint8_t *local;
    size_t local_len;
    xc_outcome_t *out;
} s_ask_t;

static int
s_ask_fn (MDB_txn *txn, void *arg)
{
    s_ask_t *a = arg;
    /* A retry after map growth starts over: nothing may leak from the
       first run. */
    xc_pending_free (a->pending);
    free (a->local);
    a->local = NULL;
    return xc_query_client (a->node, txn, a->req, a->now, a->pending,
                                   &a->local, &a->local_len, a->out);
}

/*  A asks; returns the local certificate, if any (caller frees). */
static uint8_t *
s_ask (xc_node_t *node, const Xiecha__QueryRequest *req, uint64_t now,
       xc_pending_t *pending, size_t *local_len, xc_outcome_t *out)
{
    memset (pending, 0, sizeof *pending);
    s_ask_t a = {node, req, now, pending, NULL, 0, out};
    assert_int_equal (xc_store_write (node->store, s_ask_fn, &a), 0);
    if (local_len)
        *local_len = a.local_len;
    return a.local;
}

typedef struct {
    xc_node_t *node;
    const uint8_t *bytes;
    size_t len;
    uint64_t now;
    uint8_t *reply;
    size_t reply_len;
    xc_outcome_t *out;
    int fail;               /* returned after the handler, to abort */
} s_peer_t;

static int
s_peer_fn (MDB_txn *txn, void *arg)
{
    s_peer_t *p = arg;
    free (p->reply);
    p->reply = NULL;
    int rc = xc_intake_peer (p->node, txn, p->bytes, p->len, NULL, p->now,
                             &p->reply, &p->reply_len, p->out);
    return rc ? rc : p->fail;
}

/*  B receives bytes; returns its reply (caller frees), NULL if none. */
static uint8_t *
s_peer (xc_node_t *node, const uint8_t *bytes, size_t len, uint64_t now,
        size_t *reply_len, xc_outcome_t *out)
{
    s_peer_t p = {node, bytes, len, now, NULL, 0, out, 0};
    assert_int_equal (xc_store_write (node->store, s_peer_fn, &p), 0);
    *reply_len = p.reply_len;
    return p.reply;
}

typedef struct {
    xc_node_t *node;
    const uint8_t *bytes;
    size_t len;
    const xc_opened_t *op;
    xc_pending_t *pending;
    uint64_t now;
    xc_outcome_t *out;
} s_answer_t;

static int
s_answer_fn (MDB_txn *txn, void *arg)
{
    s_answer_t *a = arg;
    int settled = 0;
    return xc_intake_answer (a->node, txn, a->bytes, a->len, NULL, a->op,
                             a->pending, a->now, a->out, &settled);
}

/*  A receives an answer to pending, opened the way transport opens it. */
static void
s_answer (xc_node_t *node, const uint8_t *bytes, size_t len,
          xc_pending_t *pending, uint64_t now, xc_outcome_t *out)
{
    xc_opened_t op;
    char why[400] = "";
    if (xc_envelope_open (bytes, len, &op, why, sizeof why) != 0)
        fail_msg ("answer does not open: %s", why);
    s_answer_t a = {node, bytes, len, &op, pending, now, out};
    assert_int_equal (xc_store_write (node->store, s_answer_fn, &a), 0);
    xc_opened_free (&op);
}

typedef struct {
    xc_node_t *node;
    uint8_t ref[XC_REF_LEN];
    xc_enrollment_t e;
} s_enroll_t;

static int
s_enroll_fn (MDB_txn *txn, void *arg)
{
    s_enroll_t *en = arg;
    return xc_index_add (en->node->store, txn, en->ref, &en->e);
}

/*  Puts an enrollment of id into node's index, paid by node itself. */
static void
s_enroll (xt_pair_t *f, xc_node_t *node, const char *id, int program,
          uint32_t since, uint32_t until)
{
    s_enroll_t en = {.node = node};
    xt_fed_ref (f->fed, id, en.ref);
    en.e.program = (uint8_t) program;
    en.e.since = since;
    en.e.until = until;
    snprintf (en.e.node, sizeof en.e.node, "%s", node->config.code);
    assert_int_equal (xc_store_write (node->store, s_enroll_fn, &en), 0);
}

/* --------------------------------------------------------------------------
   Reading back: the audit log, the seen database, envelopes
   -------------------------------------------------------------------------- */

/* --------------------------------------------------------------------------
   Conversations
   -------------------------------------------------------------------------- */

/*  One query from A to B and B's reply, both outcomes checked to be 0. */
typedef struct {
    xc_pending_t pending;
    uint8_t *reply;
    size_t reply_len;
} s_conv_t;

static void
s_converse (xt_pair_t *f, const Xiecha__QueryRequest *req, uint64_t now,
            s_conv_t *c)
{
    xc_outcome_t out;
    uint8_t *local = s_ask (f->a, req, now, &c->pending, NULL, &out);
    if (out.code != 0)
        fail_msg ("A refused the client query: %s", out.why);
    assert_null (local);
    assert_non_null (c->pending.envelope);
    c->reply = s_peer (f->b, c->pending.envelope, c->pending.envelope_len,
                       now, &c->reply_len, &out);
    if (out.code != 0)
        fail_msg ("B refused the query: %s", out.why);
    assert_non_null (c->reply);
}

static void
s_conv_clear (s_conv_t *c)
{
    xc_pending_free (&c->pending);
    free (c->reply);
    c->reply = NULL;
}

/*  The certificate in a conversation's reply, verified by A. */
static const Xiecha__Certificate *
s_cert (xt_pair_t *f, const s_conv_t *c, xc_opened_t *op)
{
    xt_open_verified (f->a, c->reply, c->reply_len, op);
    assert_int_equal (op->msg->header->type, XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    assert_non_null (op->msg->certificate);
    return op->msg->certificate;
}

/*  What a hand-made query from A looks like. */
typedef struct {
    const char *recipient;
    uint64_t created_at;
    int relation;
    const uint8_t *msg_id;  /* NULL: random */
    const uint8_t *ref;
    uint64_t deadline;      /* query.deadline; 0: created_at + 3 s */
} s_craft_t;

/*  Seals a query of A's own making with A's key, bypassing the handler. */
static void
s_craft (xc_node_t *from, const s_craft_t *c, uint8_t **out, size_t *len)
{
    ProtobufCBinaryData subject = {XC_REF_LEN, (uint8_t *) c->ref};
    Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 1;
    q.subjects = &subject;
    q.n_programs = 1;
    q.programs = programs;
    q.relation = (Xiecha__Relation) c->relation;
    q.deadline = c->deadline ? c->deadline : c->created_at + 3000;
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_QUERY, from->config.code,
                    c->recipient, c->created_at);
    if (c->msg_id)
        memcpy (id, c->msg_id, XC_MSGID_LEN);
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    assert_int_equal (xc_envelope_seal (&msg, from->signers[0].key, from->signers[0].id,
                                        out, len), 0);
}

/*  B refuses a crafted query: a signed Error back to A naming the code,
    bound to the refused message, and both logged. */
static void
s_expect_refusal (xt_pair_t *f, const s_craft_t *c, int xc_code,
                  int wire_code, const char *needle)
{
    uint8_t *bytes;
    size_t len, reply_len;
    s_craft (f->a, c, &bytes, &len);
    uint64_t before = xt_audit_count (f->b);
    xc_outcome_t out;
    uint8_t *reply = s_peer (f->b, bytes, len, xc_now_ms (), &reply_len, &out);
    assert_int_equal (out.code, xc_code);
    xt_assert_has (out.why, needle);
    assert_non_null (reply);

    xc_opened_t op, sent;
    xt_open_verified (f->a, reply, reply_len, &op);
    assert_int_equal (xc_envelope_open (bytes, len, &sent, NULL, 0), 0);
    const Xiecha__Header *h = op.msg->header;
    assert_int_equal (h->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_string_equal (h->sender, CODE_B);
    assert_string_equal (h->recipient, CODE_A);
    assert_memory_equal (h->in_reply_to.data, sent.msg->header->msg_id.data,
                         XC_MSGID_LEN);
    assert_int_equal (op.msg->error->code, wire_code);
    xt_assert_has (op.msg->error->message, needle);
    assert_int_equal (op.msg->error->request_digest.len, XC_HASH_LEN);
    assert_memory_equal (op.msg->error->request_digest.data, sent.digest,
                         XC_HASH_LEN);

    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.count, before + 2);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    assert_string_equal (e.peer, CODE_A);
    xt_audit_assert_kept (&e, bytes, len);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    xt_audit_assert_data (&e, reply, reply_len);
    xc_opened_free (&op);
    xc_opened_free (&sent);
    free (reply);
    free (bytes);
}

/* --------------------------------------------------------------------------
   1. Round trip
   -------------------------------------------------------------------------- */

static void
test_round_trip (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = xc_now_ms ();
    s_req_t r;
    s_conv_t c = {0};
    s_converse (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_ROUND, NULL),
                now, &c);
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    assert_string_equal (c.pending.home, CODE_B);
    assert_int_equal (c.pending.relation, XIECHA__RELATION__OTHER_PROVINCE);
    assert_int_equal (c.pending.ref_count, 1);
    assert_memory_equal (c.pending.refs[0], ref, XC_REF_LEN);

    /* A logs nothing while the query is out: it goes in with its answer
       (query.h xc_query_sent), so leaving costs A no synced commit. */
    uint64_t before = xt_audit_count (f->a);
    assert_false (c.pending.logged);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 0, &e);   /* B logged the certificate it sent */
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    xt_audit_assert_data (&e, c.reply, c.reply_len);

    xc_opened_t op;
    const Xiecha__Certificate *cert = s_cert (f, &c, &op);
    assert_string_equal (op.msg->header->sender, CODE_B);
    assert_string_equal (op.msg->header->recipient, CODE_A);
    assert_string_equal (cert->requester, CODE_A);
    assert_memory_equal (cert->query_id.data, c.pending.msg_id, XC_MSGID_LEN);
    assert_memory_equal (cert->query_digest.data, c.pending.digest,
                         XC_HASH_LEN);
    assert_int_equal (cert->n_results, 1);
    assert_memory_equal (cert->results[0]->subject.data, ref, XC_REF_LEN);
    assert_int_equal (cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (cert->results[0]->n_enrollments, 0);
    assert_int_equal (cert->relation, XIECHA__RELATION__OTHER_PROVINCE);
    assert_true (cert->valid_until > now);
    xc_opened_free (&op);

    xc_outcome_t out;
    s_answer (f->a, c.reply, c.reply_len, &c.pending, now, &out);
    if (out.code != 0)
        fail_msg ("A refused a good certificate: %s", out.why);
    /* Then, in one commit: the query it sent, byte for byte, and the
       answer it took. */
    assert_int_equal (xt_audit_count (f->a), before + 2);
    assert_true (c.pending.logged);
    xt_audit_at (f->a, 1, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    assert_string_equal (e.peer, CODE_B);
    xt_audit_assert_data (&e, c.pending.envelope, c.pending.envelope_len);
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    assert_string_equal (e.peer, CODE_B);
    xt_audit_assert_data (&e, c.reply, c.reply_len);
    /* A second answer to the same query does not log it again. */
    s_answer (f->a, c.reply, c.reply_len, &c.pending, now, &out);
    assert_int_equal (xt_audit_count (f->a), before + 3);
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    s_conv_clear (&c);
}

/* --------------------------------------------------------------------------
   2. RECEIVING, and what does not count
   -------------------------------------------------------------------------- */

/*  Asks B about applicant (and member) for program; hands back the
    certificate, after checking that A accepts it. */
static void
s_status (xt_pair_t *f, const char *applicant, const char *member,
          int program, s_conv_t *c, xc_opened_t *op,
          const Xiecha__Certificate **cert)
{
    s_req_t r;
    uint64_t now = xc_now_ms ();
    s_converse (f, s_req (&r, CODE_B, program, applicant, member), now, c);
    *cert = s_cert (f, c, op);
    xc_outcome_t out;
    s_answer (f->a, c->reply, c->reply_len, &c->pending, now, &out);
    if (out.code != 0)
        fail_msg ("A refused a good certificate: %s", out.why);
}

static void
test_receiving (void **state)
{
    xt_pair_t *f = *state;
    s_enroll (f, f->b, ID_RECV, XIECHA__PROGRAM__DIBAO, 20240301, 0);
    s_conv_t c = {0};
    xc_opened_t op;
    const Xiecha__Certificate *cert;
    s_status (f, ID_RECV, NULL, XIECHA__PROGRAM__DIBAO, &c, &op, &cert);
    assert_int_equal (cert->n_results, 1);
    const Xiecha__SubjectResult *res = cert->results[0];
    assert_int_equal (res->status, XIECHA__STATUS__RECEIVING);
    assert_int_equal (res->n_enrollments, 1);
    assert_int_equal (res->enrollments[0]->program, XIECHA__PROGRAM__DIBAO);
    assert_int_equal (res->enrollments[0]->since, 20240301);
    assert_int_equal (res->enrollments[0]->until, 0);
    assert_string_equal (res->enrollments[0]->node, CODE_B);
    xc_opened_free (&op);
    s_conv_clear (&c);
}

static void
test_ended_enrollment_is_not_receiving (void **state)
{
    xt_pair_t *f = *state;
    s_enroll (f, f->b, ID_PAST, XIECHA__PROGRAM__DIBAO, 20200101, 20230101);
    s_conv_t c = {0};
    xc_opened_t op;
    const Xiecha__Certificate *cert;
    s_status (f, ID_PAST, NULL, XIECHA__PROGRAM__DIBAO, &c, &op, &cert);
    assert_int_equal (cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (cert->results[0]->n_enrollments, 0);
    xc_opened_free (&op);
    s_conv_clear (&c);
}

static void
test_other_program_is_not_receiving (void **state)
{
    xt_pair_t *f = *state;
    s_enroll (f, f->b, ID_OTHER, XIECHA__PROGRAM__TEKUN, 20240301, 0);
    s_conv_t c = {0};
    xc_opened_t op;
    const Xiecha__Certificate *cert;
    s_status (f, ID_OTHER, NULL, XIECHA__PROGRAM__DIBAO, &c, &op, &cert);
    assert_int_equal (cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (cert->n_programs, 1);
    assert_int_equal (cert->programs[0], XIECHA__PROGRAM__DIBAO);
    xc_opened_free (&op);
    s_conv_clear (&c);
    /* Asked about the program it is, the same subject receives. */
    s_status (f, ID_OTHER, NULL, XIECHA__PROGRAM__TEKUN, &c, &op, &cert);
    assert_int_equal (cert->results[0]->status, XIECHA__STATUS__RECEIVING);
    xc_opened_free (&op);
    s_conv_clear (&c);
}

/*  A household: one result per subject, in the order asked. */
static void
test_household_results_in_order (void **state)
{
    xt_pair_t *f = *state;
    s_conv_t c = {0};
    xc_opened_t op;
    const Xiecha__Certificate *cert;
    s_status (f, ID_PAST, ID_RECV, XIECHA__PROGRAM__DIBAO, &c, &op, &cert);
    uint8_t ref[XC_REF_LEN];
    assert_int_equal (cert->n_results, 2);
    xt_fed_ref (f->fed, ID_PAST, ref);
    assert_memory_equal (cert->results[0]->subject.data, ref, XC_REF_LEN);
    assert_int_equal (cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    xt_fed_ref (f->fed, ID_RECV, ref);
    assert_memory_equal (cert->results[1]->subject.data, ref, XC_REF_LEN);
    assert_int_equal (cert->results[1]->status, XIECHA__STATUS__RECEIVING);
    xc_opened_free (&op);
    s_conv_clear (&c);
}

/* --------------------------------------------------------------------------
   3. Retries and replays
   -------------------------------------------------------------------------- */

static void
test_duplicate_gets_same_bytes (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_conv_t c = {0};
    s_converse (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_DUP, NULL),
                xc_now_ms (), &c);
    uint64_t before = xt_audit_count (f->b);
    /* Even if the index changed meanwhile, a retry gets the stored answer. */
    s_enroll (f, f->b, ID_DUP, XIECHA__PROGRAM__DIBAO, 20240301, 0);
    xc_outcome_t out;
    size_t len;
    uint8_t *again = s_peer (f->b, c.pending.envelope, c.pending.envelope_len,
                             xc_now_ms () + 1000, &len, &out);
    assert_int_equal (out.code, 0);
    assert_non_null (again);
    assert_int_equal (len, c.reply_len);
    assert_memory_equal (again, c.reply, len);

    xt_audit_entry_t e;
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.count, before + 1);
    assert_int_equal (e.kind, XC_AUDIT_DUPLICATE);
    assert_string_equal (e.peer, CODE_A);
    xt_audit_assert_kept (&e, c.pending.envelope, c.pending.envelope_len);
    free (again);
    s_conv_clear (&c);
}

static void
test_same_id_other_bytes_is_replay (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN], id[XC_MSGID_LEN];
    xt_fed_ref (f->fed, ID_DUP, ref);
    xc_random (id, sizeof id);
    uint64_t now = xc_now_ms ();
    s_craft_t c = {CODE_B, now, XIECHA__RELATION__OTHER_PROVINCE, id, ref};
    uint8_t *bytes;
    size_t len, reply_len;
    s_craft (f->a, &c, &bytes, &len);
    xc_outcome_t out;
    uint8_t *reply = s_peer (f->b, bytes, len, now, &reply_len, &out);
    assert_int_equal (out.code, 0);
    free (reply);
    free (bytes);
    c.created_at = now + 1;     /* other signed bytes, same id */
    s_expect_refusal (f, &c, XC_EREPLAY, XIECHA__ERROR_CODE__ERR_REPLAY,
                      "header.msg_id");
}

/* --------------------------------------------------------------------------
   4. Binding: A takes only the answer to what it asked
   -------------------------------------------------------------------------- */

static void
s_expect_answer_refused (xt_pair_t *f, const uint8_t *bytes, size_t len,
                         xc_pending_t *pending, int code,
                         const char *needle)
{
    uint64_t before = xt_audit_count (f->a);
    /* A query not yet in A's log goes in with the first answer to it,
       refused or not (intake.h): SENT, then the refusal. */
    uint64_t added = pending && !pending->logged ? 2 : 1;
    xc_outcome_t out;
    s_answer (f->a, bytes, len, pending, xc_now_ms (), &out);
    /* The terminal waiting for it hears why, as XC_EANSWER. */
    assert_int_equal (out.code, pending ? XC_EANSWER : code);
    assert_int_equal (out.cause, pending ? code : 0);
    xt_assert_has (out.why, needle);
    if (pending)
        xt_assert_has (out.why, "the answer of " CODE_B " was refused by "
                       "this node");
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, before + added);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    assert_string_equal (e.peer, CODE_B);
    xt_assert_has (e.note, "answer refused");
    if (added == 2) {
        xt_audit_entry_t q;
        xt_audit_at (f->a, 1, &q);
        assert_int_equal (q.kind, XC_AUDIT_SENT);
        xt_audit_assert_data (&q, pending->envelope, pending->envelope_len);
        assert_true (pending->logged);
    }
    xt_audit_assert_kept (&e, bytes, len);
}

static void
test_answer_to_other_query_refused (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_conv_t first = {0}, second = {0};
    s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_BIND, NULL);
    s_converse (f, &r.req, xc_now_ms (), &first);
    s_converse (f, &r.req, xc_now_ms (), &second);
    /* Same person, same program: only the id and digest tell them apart. */
    s_expect_answer_refused (f, first.reply, first.reply_len, &second.pending,
                             XC_EBINDING, "certificate.query_id");
    xc_outcome_t out;
    s_answer (f->a, second.reply, second.reply_len, &second.pending,
              xc_now_ms (), &out);
    assert_int_equal (out.code, 0);
    s_conv_clear (&first);
    s_conv_clear (&second);
}

static void
test_broken_signature_refused (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_conv_t c = {0};
    s_converse (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_BIND, NULL),
                xc_now_ms (), &c);
    xc_opened_t op;
    assert_int_equal (xc_envelope_open (c.reply, c.reply_len, &op, NULL, 0),
                      0);
    uint8_t *sig = memmem (c.reply, c.reply_len, op.env->signature.data,
                           XC_SIG_LEN);
    xc_opened_free (&op);
    assert_non_null (sig);
    uint8_t *bad = malloc (c.reply_len);
    assert_non_null (bad);
    memcpy (bad, c.reply, c.reply_len);
    bad[(size_t) (sig - c.reply) + 17] ^= 0x01;
    s_expect_answer_refused (f, bad, c.reply_len, &c.pending, XC_ESIG,
                             "signature");
    /* The genuine bytes still bind to the same pending query. */
    xc_outcome_t out;
    s_answer (f->a, c.reply, c.reply_len, &c.pending, xc_now_ms (), &out);
    assert_int_equal (out.code, 0);
    free (bad);
    s_conv_clear (&c);
}

/*  A certificate is only as true as the roster behind it: one that
    says NOT_RECEIVING without the roster date of the program, properly
    signed by B all the same, does not reach the terminal. */
static void
test_certificate_without_roster_dates_refused (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_conv_t c = {0};
    s_converse (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_BIND, NULL),
                xc_now_ms (), &c);
    xc_opened_t op;
    assert_int_equal (xc_envelope_open (c.reply, c.reply_len, &op, NULL, 0),
                      0);
    Xiecha__Certificate *cert = op.msg->certificate;
    assert_int_equal (cert->n_rosters, 1);
    assert_int_equal (cert->rosters[0]->program, XIECHA__PROGRAM__DIBAO);
    assert_int_equal (cert->rosters[0]->as_of, xc_zone_date (xc_now_ms ()));
    cert->n_rosters = 0;   /* B signs what it likes; A checks */
    uint8_t *bad = NULL;
    size_t bad_len = 0;
    Xiecha__Signed msg = *op.msg;
    msg.header = NULL;
    assert_int_equal (xc_node_seal (f->b, &msg,
                                    XIECHA__MSG_TYPE__MSG_CERTIFICATE, CODE_A,
                                    &op.msg->header->in_reply_to,
                                    xc_now_ms (), &bad, &bad_len), 0);
    cert->n_rosters = 1;
    xc_opened_free (&op);
    s_expect_answer_refused (f, bad, bad_len, &c.pending, XC_EMALFORMED,
                             "certificate.rosters: 0 roster dates for 1 "
                             "programs checked");
    free (bad);
    /* The genuine one, with its date, binds. */
    xc_outcome_t out;
    s_answer (f->a, c.reply, c.reply_len, &c.pending, xc_now_ms (), &out);
    assert_int_equal (out.code, 0);
    s_conv_clear (&c);
}

/*  A signed Error that answers our query is a refusal, not a failure. */
static void
test_signed_error_is_refusal (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    xc_pending_t p;
    xc_outcome_t out;
    uint64_t now = xc_now_ms ();
    uint8_t *local = s_ask (f->a, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                         ID_BIND, NULL), now, &p, NULL, &out);
    assert_null (local);
    /* B sees it an hour later than it was made: stale. */
    size_t len;
    uint8_t *err = s_peer (f->b, p.envelope, p.envelope_len, now + HOUR_MS,
                           &len, &out);
    assert_int_equal (out.code, XC_ESTALE);
    /* A reads it at B's time: B's clock stamped the Error. */
    s_answer (f->a, err, len, &p, now + HOUR_MS, &out);
    assert_int_equal (out.code, XC_EREFUSED);
    xt_assert_has (out.why, "ERR_STALE");
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    xt_audit_assert_data (&e, err, len);
    free (err);
    xc_pending_free (&p);
}

/* --------------------------------------------------------------------------
   5. B refuses what is not a proper query for it
   -------------------------------------------------------------------------- */

static void
test_wrong_recipient (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    s_craft_t c = {"469028", xc_now_ms (), XIECHA__RELATION__SAME_CITY, NULL,
                   ref};
    s_expect_refusal (f, &c, XC_ERECIPIENT,
                      XIECHA__ERROR_CODE__ERR_WRONG_RECIPIENT,
                      "header.recipient");
}

static void
test_stale_query (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    s_craft_t c = {CODE_B, xc_now_ms () - HOUR_MS,
                   XIECHA__RELATION__OTHER_PROVINCE, NULL, ref};
    s_expect_refusal (f, &c, XC_ESTALE, XIECHA__ERROR_CODE__ERR_STALE,
                      "behind");
}

/*  A query whose signed deadline passed beyond the grace: its asker has
    given up, so it is refused, not answered (and counted as issued for
    no one).  Within the clock tolerance of its created_at all the same. */
static void
test_query_past_its_deadline (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    uint64_t created = xc_now_ms () - 60000;
    s_craft_t c = {CODE_B, created, XIECHA__RELATION__OTHER_PROVINCE, NULL,
                   ref, created + 3000};
    s_expect_refusal (f, &c, XC_ESTALE, XIECHA__ERROR_CODE__ERR_STALE,
                      "the asking node has given up");
    c.deadline = created - 1;
    s_expect_refusal (f, &c, XC_EMALFORMED, XIECHA__ERROR_CODE__ERR_MALFORMED,
                      "query.deadline: not after header.created_at");
}

static void
test_relation_mismatch (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    s_craft_t c = {CODE_B, xc_now_ms (), XIECHA__RELATION__SAME_PROVINCE,
                   NULL, ref};
    s_expect_refusal (f, &c, XC_EMALFORMED, XIECHA__ERROR_CODE__ERR_MALFORMED,
                      "query.relation");
}

/*  Regression (was a bug): the clock check in
    (now xc_node_check_time, daemon/node/node.c) computed `(int64_t) created - (int64_t) now` and then
    `-off`, both signed arithmetic on a peer-supplied uint64.  A signed
    query with created_at >= 2^63 overflows (undefined behaviour, UBSan
    reports it); created_at = now + 2^63 makes off == INT64_MIN, so the
    message is refused as ERR_STALE "-9223372036854776.0 s behind" instead
    of ERR_FUTURE.  Fixed: the check now compares unsigned. */

static void
test_absurd_created_at_is_future (void **state)
{
    xt_pair_t *f = *state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (f->fed, ID_ROUND, ref);
    s_craft_t c = {CODE_B, xc_now_ms () + (1ull << 63),
                   XIECHA__RELATION__OTHER_PROVINCE, NULL, ref};
    s_expect_refusal (f, &c, XC_EFUTURE, XIECHA__ERROR_CODE__ERR_FUTURE,
                      "ahead of");
    c.created_at = (1ull << 63) + 5;
    s_expect_refusal (f, &c, XC_EFUTURE, XIECHA__ERROR_CODE__ERR_FUTURE,
                      "ahead of");
}

/* --------------------------------------------------------------------------
   6. Client input errors: refused, logged without the ID, nothing sealed
   -------------------------------------------------------------------------- */

static void
s_expect_client_refusal (xt_pair_t *f, const Xiecha__QueryRequest *req,
                         const char *needle)
{
    uint64_t before = xt_audit_count (f->a);
    xc_pending_t p;
    xc_outcome_t out;
    size_t len = 0;
    uint8_t *local = s_ask (f->a, req, xc_now_ms (), &p, &len, &out);
    assert_int_equal (out.code, XC_EINVAL);
    xt_assert_has (out.why, needle);
    assert_null (p.envelope);
    assert_null (local);
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.count, before + 1);
    assert_int_equal (e.kind, XC_AUDIT_DECISION);
    xt_assert_has (e.note, "refused");
    xt_assert_has (e.note, needle);
    assert_int_equal (e.data_len, 0);
    /* Not even the first 17 characters of an ID the request named. */
    assert_null (strstr (e.note, "11010519491231002"));
    assert_null (strstr (e.note, "34100219800101001"));
}

/*  Asserts that A's refusal of req left a note without needle. */
static void
s_expect_note_without (xt_pair_t *f, const Xiecha__QueryRequest *req,
                const char *needle)
{
    s_expect_client_refusal (f, req, "applicant.id_number");
    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    if (strstr (e.note, needle))
        fail_msg ("audit note '%s' holds '%s'", e.note, needle);
}

/*  Regression (was a bug): the policy's "already enrolled here" was
    judged at the wall clock, not at the `now` the request is decided at.
    A household from another province enrolled here in 2020 may ask for
    DIBAO while that enrollment is active, and not after it ended. */
static void
test_policy_judged_at_now (void **state)
{
    xt_pair_t *f = *state;
    s_enroll (f, f->a, ID_POLICY, XIECHA__PROGRAM__DIBAO, 20200101, 20200601);
    xc_policy_t saved = f->a->policy;
    snprintf (f->a->policy.name, sizeof f->a->policy.name, "test");
    f->a->policy.out_of_province_programs = 1u << XIECHA__PROGRAM__TEMP;
    s_req_t r;
    const Xiecha__QueryRequest *req = s_req (&r, CODE_B,
                                             XIECHA__PROGRAM__DIBAO,
                                             ID_POLICY, NULL);
    xc_pending_t p;
    xc_outcome_t out;
    const uint64_t march_2020 = 1583020800000ULL;   /* 2020-03-01Z */
    const uint64_t jan_2021 = 1609459200000ULL;     /* 2021-01-01Z */
    free (s_ask (f->a, req, march_2020, &p, NULL, &out));
    xc_pending_free (&p);
    assert_int_equal (out.code, 0);
    free (s_ask (f->a, req, jan_2021, &p, NULL, &out));
    xc_pending_free (&p);
    assert_int_equal (out.code, XC_EPOLICY);
    xt_assert_has (out.why, "out_of_province");
    f->a->policy = saved;
}

static void
test_client_bad_checksum (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_expect_client_refusal (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                       ID_BADSUM, NULL),
                             "applicant.id_number");
    s_expect_client_refusal (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                       ID_RECV, ID_BADSUM),
                             "members[0].id_number");
}

/*  Regression (was a leak): the refusal note copied the ID
    validator's message verbatim into the audit log on disk, and for a bad
    date of birth that message quotes the 8 birth-date digits of the ID
    ("date of birth 19800230 is not a calendar date"), usually a typo of
    the person's real ID.  Fixed: digit runs are redacted from notes. */
static void
test_client_refusal_note_holds_no_id_digits (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_expect_note_without (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                     ID_BADDATE, NULL), "19800230");
}

static void
test_client_unknown_home (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_expect_client_refusal (f, s_req (&r, "110101", XIECHA__PROGRAM__DIBAO,
                                       ID_ROUND, NULL), "home_county");
    s_expect_client_refusal (f, s_req (&r, "nowhere", XIECHA__PROGRAM__DIBAO,
                                       ID_ROUND, NULL), "home_county");
}

static void
test_client_member_is_applicant (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_expect_client_refusal (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                       ID_ROUND, ID_ROUND),
                             "same person as the applicant");
    /* The same ID written with a lower-case check character and blanks
       is still the same person. */
    s_expect_client_refusal (f, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                       ID_ROUND, " 11010519491231002x "),
                             "same person as the applicant");
}

static void
test_client_no_program (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO, ID_ROUND, NULL);
    r.req.n_programs = 0;
    s_expect_client_refusal (f, &r.req, "programs");
    s_req (&r, CODE_B, 42, ID_ROUND, NULL);
    s_expect_client_refusal (f, &r.req, "programs[0]");
}

/* --------------------------------------------------------------------------
   7. Same county: decided at once, no network
   -------------------------------------------------------------------------- */

static void
test_same_county_local (void **state)
{
    xt_pair_t *f = *state;
    s_enroll (f, f->a, ID_LOCAL, XIECHA__PROGRAM__TEMP, 20240301, 0);
    uint64_t b_before = xt_audit_count (f->b);
    s_req_t r;
    xc_pending_t p;
    xc_outcome_t out;
    size_t len = 0;
    uint64_t now = xc_now_ms ();
    uint8_t *cert = s_ask (f->a, s_req (&r, CODE_A, XIECHA__PROGRAM__TEMP,
                                        ID_LOCAL, NULL), now, &p, &len, &out);
    assert_int_equal (out.code, 0);
    assert_non_null (cert);
    assert_int_equal (p.relation, XIECHA__RELATION__SAME_COUNTY);

    xc_opened_t op;
    xt_open_verified (f->a, cert, len, &op);
    assert_string_equal (op.env->key_id, f->a->signers[0].id);
    assert_string_equal (op.msg->header->sender, CODE_A);
    assert_int_equal (op.msg->header->type,
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    const Xiecha__Certificate *c = op.msg->certificate;
    assert_memory_equal (c->query_id.data, p.msg_id, XC_MSGID_LEN);
    assert_int_equal (c->relation, XIECHA__RELATION__SAME_COUNTY);
    assert_int_equal (c->results[0]->status, XIECHA__STATUS__RECEIVING);
    xc_opened_free (&op);

    xt_audit_entry_t e;
    xt_audit_at (f->a, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_DECISION);
    xt_assert_has (e.note, "same county");
    xt_audit_assert_data (&e, cert, len);
    assert_int_equal (xt_audit_count (f->b), b_before);   /* B never heard */
    /* It binds to the query like any certificate would. */
    s_answer (f->a, cert, len, &p, now, &out);
    assert_int_equal (out.code, 0);
    free (cert);
    xc_pending_free (&p);
}

/* --------------------------------------------------------------------------
   8. Atomicity: an aborted transaction leaves no trace
   -------------------------------------------------------------------------- */

static void
test_aborted_batch_leaves_nothing (void **state)
{
    xt_pair_t *f = *state;
    s_req_t r;
    xc_pending_t p;
    xc_outcome_t out;
    uint64_t now = xc_now_ms ();
    assert_null (s_ask (f->a, s_req (&r, CODE_B, XIECHA__PROGRAM__DIBAO,
                                     ID_ATOM, NULL), now, &p, NULL, &out));
    assert_int_equal (out.code, 0);

    uint64_t before = xt_audit_count (f->b);
    s_peer_t w = {f->b, p.envelope, p.envelope_len, now, NULL, 0, &out,
                  XC_EINTERNAL};
    assert_int_equal (xc_store_write (f->b->store, s_peer_fn, &w),
                      XC_EINTERNAL);
    assert_int_equal (out.code, 0);    /* decided, but never committed */
    free (w.reply);
    assert_int_equal (xt_audit_count (f->b), before);
    assert_int_equal (xt_seen (f->b, CODE_A, p.msg_id), XC_ENOTFOUND);

    size_t len;
    uint8_t *reply = s_peer (f->b, p.envelope, p.envelope_len, now, &len,
                             &out);
    assert_int_equal (out.code, 0);
    assert_string_equal (out.why, "certificate issued");
    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.count, before + 2);
    assert_int_equal (e.kind, XC_AUDIT_RECEIVED);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    assert_int_equal (xt_seen (f->b, CODE_A, p.msg_id), 0);
    free (reply);
    xc_pending_free (&p);
}

/* --------------------------------------------------------------------------
   9. Privacy: no ID number on disk, in any form the tests used
   -------------------------------------------------------------------------- */

static void
s_assert_no_ids (const xt_pair_t *f, const char *code)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s/data/data.mdb", f->fed->root, code);
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    assert_int_equal (fseek (file, 0, SEEK_END), 0);
    long size = ftell (file);
    assert_true (size > 0);
    rewind (file);
    uint8_t *buf = malloc ((size_t) size);
    assert_non_null (buf);
    assert_int_equal (fread (buf, 1, (size_t) size, file), (size_t) size);
    fclose (file);
    for (size_t i = 0; i < sizeof s_all_ids / sizeof s_all_ids[0]; i++)
        if (memmem (buf, (size_t) size, s_all_ids[i], XC_ID_LEN - 1))
            fail_msg ("%s holds ID %s", path, s_all_ids[i]);
    free (buf);
}

static void
test_no_id_on_disk (void **state)
{
    xt_pair_t *f = *state;
    assert_true (xt_audit_count (f->a) > 10);
    assert_true (xt_audit_count (f->b) > 10);
    s_assert_no_ids (f, CODE_A);
    s_assert_no_ids (f, CODE_B);
}

/*  And the logs are still whole after everything above. */
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
        cmocka_unit_test (test_round_trip),
        cmocka_unit_test (test_receiving),
        cmocka_unit_test (test_ended_enrollment_is_not_receiving),
        cmocka_unit_test (test_other_program_is_not_receiving),
        cmocka_unit_test (test_household_results_in_order),
        cmocka_unit_test (test_duplicate_gets_same_bytes),
        cmocka_unit_test (test_same_id_other_bytes_is_replay),
        cmocka_unit_test (test_answer_to_other_query_refused),
        cmocka_unit_test (test_broken_signature_refused),
        cmocka_unit_test (test_certificate_without_roster_dates_refused),
        cmocka_unit_test (test_signed_error_is_refusal),
        cmocka_unit_test (test_wrong_recipient),
        cmocka_unit_test (test_stale_query),
        cmocka_unit_test (test_query_past_its_deadline),
        cmocka_unit_test (test_relation_mismatch),
        cmocka_unit_test (test_absurd_created_at_is_future),
        cmocka_unit_test (test_policy_judged_at_now),
        cmocka_unit_test (test_client_bad_checksum),
        cmocka_unit_test (test_client_refusal_note_holds_no_id_digits),
        cmocka_unit_test (test_client_unknown_home),
        cmocka_unit_test (test_client_member_is_applicant),
        cmocka_unit_test (test_client_no_program),
        cmocka_unit_test (test_same_county_local),
        cmocka_unit_test (test_aborted_batch_leaves_nothing),
        cmocka_unit_test (test_audit_chains_intact),
        /* last: scans what all the tests above left on disk */
        cmocka_unit_test (test_no_id_on_disk),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
