/*  xf_node.c - the fuzz targets' two-node fixture (xf_node.h).

    Reading order: the wrapped calls that make it deterministic and keep
    its stores unchanged, then the fixture built from real decisions, then
    the envelopes a target makes of its records. */
#include "xf_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/audit_seal.h"
#include "decide/households.h"
#include "decide/intake.h"
#include "decide/notices.h"
#include "decide/roster.h"
#include "node/log.h"

/* --------------------------------------------------------------------------
   Wrapped calls (-Wl,--wrap=NAME: the program's calls of NAME reach
   __wrap_NAME, which may call the original as __real_NAME)
   -------------------------------------------------------------------------- */

void __wrap_xc_random (void *buf, size_t len);
void __real_xc_header_init (Xiecha__Header *h, uint8_t *id_buf,
                            Xiecha__MsgType type, const char *sender,
                            const char *recipient, uint64_t now_ms);
void __wrap_xc_header_init (Xiecha__Header *h, uint8_t *id_buf,
                            Xiecha__MsgType type, const char *sender,
                            const char *recipient, uint64_t now_ms);
int __real_mdb_env_open (MDB_env *env, const char *path, unsigned flags,
                         mdb_mode_t mode);
int __wrap_mdb_env_open (MDB_env *env, const char *path, unsigned flags,
                         mdb_mode_t mode);
int __real_mdb_txn_begin (MDB_env *env, MDB_txn *parent, unsigned flags,
                          MDB_txn **txn);
int __wrap_mdb_txn_begin (MDB_env *env, MDB_txn *parent, unsigned flags,
                          MDB_txn **txn);
int __real_mdb_txn_commit (MDB_txn *txn);
int __wrap_mdb_txn_commit (MDB_txn *txn);

/*  The fixture's two environments, and the top-level write transaction
    open in each (LMDB allows one at a time).  Only the reactor's thread
    writes; the worker thread only reads, and never touches these. */
static struct {
    MDB_env *env;
    MDB_txn *top;
} s_envs[2];
static int s_building;     /* environments opened now are the fixture's */
static int s_dry;          /* their commits are aborts */
static uint64_t s_draws;   /* xc_random's counter */

/*  SHA-256 of the counter: repeatable, and distinct per draw. */
void
__wrap_xc_random (void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        uint8_t block[XC_HASH_LEN], counter[8];
        for (int i = 0; i < 8; i++)
            counter[i] = (uint8_t) (s_draws >> (56 - 8 * i));
        s_draws++;
        xc_sha256 (counter, sizeof counter, block);
        size_t n = len < sizeof block ? len : sizeof block;
        memcpy (p, block, n);
        p += n;
        len -= n;
    }
}

/*  The library draws the message id itself; it is drawn again here. */
void
__wrap_xc_header_init (Xiecha__Header *h, uint8_t *id_buf,
                       Xiecha__MsgType type, const char *sender,
                       const char *recipient, uint64_t now_ms)
{
    __real_xc_header_init (h, id_buf, type, sender, recipient, now_ms);
    __wrap_xc_random (id_buf, XC_MSGID_LEN);
}

int
__wrap_mdb_env_open (MDB_env *env, const char *path, unsigned flags,
                     mdb_mode_t mode)
{
    int rc = __real_mdb_env_open (env, path, flags, mode);
    for (size_t i = 0; rc == 0 && s_building && i < 2; i++)
        if (!s_envs[i].env) {
            s_envs[i].env = env;
            break;
        }
    return rc;
}

static int
s_env_index (MDB_env *env)
{
    for (int i = 0; i < 2; i++)
        if (env && s_envs[i].env == env)
            return i;
    return -1;
}

int
__wrap_mdb_txn_begin (MDB_env *env, MDB_txn *parent, unsigned flags,
                      MDB_txn **txn)
{
    int rc = __real_mdb_txn_begin (env, parent, flags, txn);
    int i = s_env_index (env);
    if (rc == 0 && i >= 0 && !parent && !(flags & MDB_RDONLY))
        s_envs[i].top = *txn;
    return rc;
}

int
__wrap_mdb_txn_commit (MDB_txn *txn)
{
    int i = s_env_index (mdb_txn_env (txn));
    if (i < 0 || s_envs[i].top != txn)
        return __real_mdb_txn_commit (txn);
    s_envs[i].top = NULL;
    if (!s_dry)
        return __real_mdb_txn_commit (txn);
    mdb_txn_abort (txn);
    return MDB_SUCCESS;
}

void
xf_input_begin (void)
{
    s_draws = 1ull << 32;
}

/* --------------------------------------------------------------------------
   The fixture, built from real decisions
   -------------------------------------------------------------------------- */

static xf_fixture_t s_fx;

typedef int (s_step_fn) (xc_node_t *node, MDB_txn *txn, void *arg);
typedef struct {
    s_step_fn *fn;
    xc_node_t *node;
    void *arg;
    xc_outcome_t out;
} s_step_t;

static int
s_step_write (MDB_txn *txn, void *arg)
{
    s_step_t *s = arg;
    memset (&s->out, 0, sizeof s->out);
    return s->fn (s->node, txn, s);
}

/*  Runs fn in one committed write transaction of node; fails unless it
    was stored and decided without refusal (unless refusal is wanted). */
static void
s_step (xc_node_t *node, s_step_fn *fn, void *arg, int refusal)
{
    s_step_t s = {fn, node, arg, {0}};
    int rc = xc_store_write (node->store, s_step_write, &s);
    if (rc)
        xt_fail ("fixture: node %s: %s", node->config.code, xc_strerror (rc));
    if (!refusal && s.out.code)
        xt_fail ("fixture: node %s refused: %s", node->config.code,
                 s.out.why);
}

/*  A roster of one row per ID. */
typedef struct {
    const char *ids[3];
    Xiecha__Program programs[3];
    uint32_t since[3], until[3];
    size_t n;
} s_roster_t;

/*  Imports r at node as a snapshot of its programs as of today (the
    clock is XF_NOW), so that node may certify NOT_RECEIVING of them:
    through the node's own modules, in transactions of their own
    (decide/roster.h, xt_local.h). */
static void
s_roster (xc_node_t *node, const s_roster_t *r)
{
    Xiecha__RosterRow rows[3], *ptrs[3];
    for (size_t i = 0; i < r->n; i++) {
        xiecha__roster_row__init (&rows[i]);
        rows[i].id_number = (char *) r->ids[i];
        rows[i].program = r->programs[i];
        rows[i].since = r->since[i];
        rows[i].until = r->until[i];
        rows[i].line = (uint32_t) i + 1;
        ptrs[i] = &rows[i];
    }
    char why[400] = "";
    if (xt_import (node, NULL, ptrs, r->n, NULL, why, sizeof why) != 0)
        xt_fail ("fixture: roster: %s", why);
}

static int
s_query_fn (xc_node_t *node, MDB_txn *txn, void *arg)
{
    s_step_t *s = arg;
    Xiecha__Person people[2];
    Xiecha__Person *members[1] = {&people[1]};
    Xiecha__Program programs[2] = {XIECHA__PROGRAM__DIBAO,
                                   XIECHA__PROGRAM__TEKUN};
    for (int i = 0; i < 2; i++) {
        xiecha__person__init (&people[i]);
        people[i].name = "Wang Fang";
    }
    people[0].id_number = XF_ID_PAID;
    people[1].id_number = XF_ID_NONE;
    Xiecha__QueryRequest req = XIECHA__QUERY_REQUEST__INIT;
    req.home_county = XF_CODE_B;
    req.applicant = &people[0];
    req.members = members;
    req.n_members = 1;
    req.programs = programs;
    req.n_programs = 2;
    req.residence_months = 12;
    uint8_t *local = NULL;
    size_t local_len = 0;
    xc_pending_free (&s_fx.query);
    int rc = xc_query_client (node, txn, &req, XF_NOW, &s_fx.query, &local,
                              &local_len, &s->out);
    free (local);
    return rc;
}

static Xiecha__Person
s_person (const char *id)
{
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = (char *) id;
    p.name = "Li Na";
    return p;
}

/*  A notice from A's terminal: kind, person, program. */
typedef struct {
    int kind;
    const char *id;
    Xiecha__Program program;
    uint32_t start, end;
    xc_outbox_item_t *item;
} s_notice_t;

static int
s_notice_fn (xc_node_t *node, MDB_txn *txn, void *arg)
{
    s_step_t *s = arg;
    const s_notice_t *n = s->arg;
    Xiecha__Person p = s_person (n->id);
    Xiecha__NoticeRequest req = XIECHA__NOTICE_REQUEST__INIT;
    req.kind = (Xiecha__NoticeKind) n->kind;
    req.home_county = XF_CODE_B;
    req.applicant = &p;
    req.program = n->program;
    req.start_date = n->start;
    req.end_date = n->end;
    if (n->kind == XIECHA__NOTICE_KIND__TERMINATION)
        req.reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    if (n->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        req.amount_band = 2;
        req.aid_reason = "illness";
    }
    xc_outbox_item_free (n->item);
    return xc_notice_client (node, txn, &req, XF_NOW, n->item, &s->out);
}

/*  B's intake of an envelope from A; *reply is B's answer. */
typedef struct {
    const uint8_t *bytes;
    size_t len;
    uint8_t **reply;
    size_t *reply_len;
} s_peer_t;

static int
s_peer_fn (xc_node_t *node, MDB_txn *txn, void *arg)
{
    s_step_t *s = arg;
    const s_peer_t *p = s->arg;
    free (*p->reply);
    *p->reply = NULL;
    int rc = xc_intake_peer (node, txn, p->bytes, p->len, XF_CODE_A, XF_NOW,
                             p->reply, p->reply_len, &s->out);
    /* B's refusal of the termination is still an answer to keep. */
    s->out.code = 0;
    return rc;
}

static int
s_checkin_fn (xc_node_t *node, MDB_txn *txn, void *arg)
{
    s_step_t *s = arg;
    Xiecha__Person p = s_person (XF_ID_ENROLLED);
    Xiecha__CheckinRequest req = XIECHA__CHECKIN_REQUEST__INIT;
    req.applicant = &p;
    req.date = 20260105;
    uint8_t ref[XC_REF_LEN];
    uint32_t date;
    return xc_households_checkin (node, txn, &req, XF_NOW, ref, &date,
                                  &s->out);
}

static int
s_seal_fn (xc_node_t *node, MDB_txn *txn, void *arg)
{
    return xc_audit_seal_append (node, txn, XF_NOW, 0, NULL);
}

static void
s_peer (xc_node_t *b, const uint8_t *bytes, size_t len, uint8_t **reply,
        size_t *reply_len)
{
    s_peer_t p = {bytes, len, reply, reply_len};
    s_step (b, s_peer_fn, &p, 0);
    if (!*reply)
        xt_fail ("fixture: node %s did not answer", b->config.code);
}

static void
s_build (xf_fixture_t *fx)
{
    xc_node_t *a = fx->pair->a, *b = fx->pair->b;
    s_roster_t rb = {{XF_ID_PAID, XF_ID_ENDED},
                     {XIECHA__PROGRAM__DIBAO, XIECHA__PROGRAM__TEKUN},
                     {20200101, 20190101}, {0, 20241231}, 2};
    s_roster (b, &rb);
    s_roster_t ra = {{XF_ID_LOCAL}, {XIECHA__PROGRAM__DIBAO}, {20210101},
                     {0}, 1};
    s_roster (a, &ra);

    s_step (a, s_query_fn, NULL, 0);
    s_peer (b, fx->query.envelope, fx->query.envelope_len, &fx->cert,
            &fx->cert_len);

    s_notice_t notices[XF_NOTICES] = {
        {XIECHA__NOTICE_KIND__ENROLLMENT, XF_ID_ENROLLED,
         XIECHA__PROGRAM__LOW_INCOME, 20251201, 0, &fx->notices[0]},
        {XIECHA__NOTICE_KIND__EMERGENCY_AID, XF_ID_AID,
         XIECHA__PROGRAM__TEMP, 20260110, 0, &fx->notices[1]},
        {XIECHA__NOTICE_KIND__ENROLLMENT, XF_ID_PAID,
         XIECHA__PROGRAM__DIBAO, 20251201, 0, &fx->notices[2]},
    };
    for (int i = 0; i < XF_NOTICES; i++) {
        s_step (a, s_notice_fn, &notices[i], 0);
        if (!fx->notices[i].env)
            xt_fail ("fixture: notice %d was not queued", i);
        s_peer (b, fx->notices[i].env, fx->notices[i].env_len,
                &fx->answers[i], &fx->answer_lens[i]);
    }
    s_step (a, s_checkin_fn, NULL, 0);
    s_step (a, s_seal_fn, NULL, 0);
    s_step (b, s_seal_fn, NULL, 0);
}

static void
s_fixture_free (void)
{
    zsock_destroy (&s_fx.client);
    xc_pending_free (&s_fx.query);
    free (s_fx.cert);
    for (int i = 0; i < XF_NOTICES; i++) {
        xc_outbox_item_free (&s_fx.notices[i]);
        free (s_fx.answers[i]);
    }
    s_dry = 0;
    xt_pair_destroy (&s_fx.pair);
    memset (&s_fx, 0, sizeof s_fx);
}

xf_fixture_t *
xf_fixture (void)
{
    if (s_fx.pair)
        return &s_fx;
    xc_log_init ("fuzz", XC_LOG_ERR);
    /* The clock is the one thing tests may fake (xiecha/date.h). */
    char now[32];
    snprintf (now, sizeof now, "%llu", (unsigned long long) XF_NOW);
    setenv ("XIECHA_FAKE_NOW_MS", now, 1);
    s_draws = 0;
    s_building = 1;
    s_fx.pair = xt_pair_new ("fuzz", XF_CODE_A, XF_CODE_B);
    s_building = 0;
    xc_wire_set_max_subjects (XF_MAX_SUBJECTS);
    /* One network salt, the same in every run. */
    xc_node_t *nodes[2] = {s_fx.pair->a, s_fx.pair->b};
    for (int i = 0; i < 2; i++) {
        memset (nodes[i]->salt, 0x5a, 32);
        nodes[i]->salt_len = 32;
    }
    if (!s_envs[0].env || !s_envs[1].env || s_envs[0].env == s_envs[1].env)
        xt_fail ("fixture: the two stores were not both seen opening");
    s_build (&s_fx);
    s_fx.client = zsock_new (ZMQ_ROUTER);
    if (!s_fx.client)
        xt_fail ("fixture: no client socket");
    s_dry = 1;
    atexit (s_fixture_free);
    return &s_fx;
}

/* --------------------------------------------------------------------------
   Envelopes from records
   -------------------------------------------------------------------------- */

static int
s_seal_bytes (xc_node_t *from, const uint8_t *signed_, size_t len,
              uint8_t **out, size_t *out_len)
{
    const xc_signer_t *s = xc_node_signer (from);
    uint8_t sig[XC_SIG_LEN];
    if (xc_sign (s->key, XC_CTX_ENVELOPE, signed_, len, sig) != 0)
        return -1;
    Xiecha__Envelope env = XIECHA__ENVELOPE__INIT;
    env.signed_ = (ProtobufCBinaryData) {len, (uint8_t *) signed_};
    env.signature = (ProtobufCBinaryData) {sizeof sig, sig};
    env.key_id = (char *) s->id;
    *out_len = xiecha__envelope__get_packed_size (&env);
    *out = malloc (*out_len ? *out_len : 1);
    if (!*out)
        return -1;
    xiecha__envelope__pack (&env, *out);
    return 0;
}

/*  Parses rec as a Signed message, makes its header valid, re-encodes. */
static int
s_fix (xc_node_t *from, const char *to, int keep_time,
       const ProtobufCBinaryData *irt, const uint8_t *rec, size_t len,
       uint8_t **out, size_t *out_len)
{
    Xiecha__Signed *msg = xiecha__signed__unpack (NULL, len, rec);
    if (!msg)
        return -1;
    Xiecha__Header fresh = XIECHA__HEADER__INIT, *saved = msg->header;
    Xiecha__Header *h = saved ? saved : &fresh;
    Xiecha__Header copy = *h;
    uint8_t id[XC_MSGID_LEN];
    if (copy.msg_id.len != XC_MSGID_LEN) {
        __wrap_xc_random (id, sizeof id);
        copy.msg_id = (ProtobufCBinaryData) {sizeof id, id};
    }
    copy.version = XC_PROTOCOL_VERSION;
    copy.sender = from->config.code;
    copy.recipient = (char *) to;
    if (!keep_time)
        copy.created_at = XF_NOW;
    if (irt)
        copy.in_reply_to = *irt;
    msg->header = &copy;
    size_t n = xiecha__signed__get_packed_size (msg);
    uint8_t *bytes = malloc (n ? n : 1);
    int rc = -1;
    if (bytes) {
        xiecha__signed__pack (msg, bytes);
        rc = s_seal_bytes (from, bytes, n, out, out_len);
        free (bytes);
    }
    msg->header = saved;
    xiecha__signed__free_unpacked (msg, NULL);
    return rc;
}

int
xf_envelope (int how, xc_node_t *from, const char *to,
             const ProtobufCBinaryData *irt, const uint8_t *rec, size_t len,
             uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    switch (how & 3) {
    case XF_RAW:
        *out = malloc (len ? len : 1);
        if (!*out)
            return -1;
        if (len)
            memcpy (*out, rec, len);
        *out_len = len;
        return 0;
    case XF_SIGN:
        return s_seal_bytes (from, rec, len, out, out_len);
    default:
        return s_fix (from, to, (how & 3) == XF_FIX_AT, irt, rec, len, out,
                      out_len);
    }
}

xc_item_t *
xf_items (const uint8_t *data, size_t size, int how, xc_node_t *from,
          const char *to, const ProtobufCBinaryData *irt,
          const char *routing, const char *peer, size_t *count)
{
    xf_rec_t recs[XF_MAX_RECORDS];
    size_t n = xf_records (data, size, recs, XF_MAX_RECORDS);
    xc_item_t *items = calloc (n ? n : 1, sizeof *items);
    if (!items)
        abort ();
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t *env = NULL;
        size_t len = recs[i].len;
        if (from && xf_envelope (how, from, to, irt, recs[i].data, len, &env,
                                 &len) != 0)
            continue;
        xc_item_t *it = &items[(*count)++];
        it->msg = zmsg_new ();
        if (routing)
            zmsg_addstrf (it->msg, "%s%zu", routing, i);
        zmsg_addmem (it->msg, env ? env : recs[i].data, len);
        snprintf (it->peer, sizeof it->peer, "%s", peer ? peer : "");
        free (env);
    }
    return items;
}

uint8_t *
xf_signed_of (const uint8_t *env, size_t len, size_t *out_len)
{
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, len, env);
    if (!e)
        xt_fail ("xf_signed_of: not an envelope");
    uint8_t *copy = malloc (e->signed_.len ? e->signed_.len : 1);
    if (!copy)
        xt_fail ("out of memory");
    if (e->signed_.len)
        memcpy (copy, e->signed_.data, e->signed_.len);
    *out_len = e->signed_.len;
    xiecha__envelope__free_unpacked (e, NULL);
    return copy;
}

void
xf_report (const char *target, const xc_item_t *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char step[64];
        snprintf (step, sizeof step, "%s: item %zu%s", target, i,
                  items[i].failed ? " (not stored)" : "");
        xf_say (step, items[i].out.code, items[i].out.why);
    }
}
