/*  transport.c - where messages enter and leave.

    Reading order: xc_transport_new binds everything; s_peer_ready,
    s_client_ready and s_answer_ready are the three doors messages come
    in by; each builds a batch, runs it through the handlers in one write
    transaction (s_*_batch), and sends the results after the commit. */
#include <czmq.h>

#include "store/audit.h"
#include "decide/audit_seal.h"
#include "decide/handlers.h"
#include "decide/households.h"
#include "store/index.h"
#include "node/log.h"
#include "decide/notices.h"
#include "store/outbox.h"
#include "node/reload.h"
#include "decide/roster.h"
#include "net/transport.h"
#include "net/worker.h"

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_ZAP_DOMAIN "xiecha"
#define S_CLIENT_MAX_MESSAGE (8 * 1024 * 1024)
#define S_HANDSHAKE_MS 5000
#define S_IMPORT_IDLE_MS (10 * 60 * 1000)
#define S_RETRY_TICK_MS 100
#define S_RETRY_FIRST_MS 500

/*  A query of ours in flight: who asked, and when to give up. */
typedef struct {
    xc_pending_t p;            /* what was sent, for binding the answer */
    zframe_t *client;          /* routing id of the asking client */
    uint8_t request_id[32];    /* the client's request id, echoed back */
    size_t request_id_len;
    int timer;                 /* zloop timer id of the deadline */
    xc_transport_t *owner;     /* the transport that waits */
} s_wait_t;

/*  A notice in the outbox, as the retry timer sees it.  The outbox in
    LMDB is the truth; this is its schedule, rebuilt at start-up. */
typedef struct {
    uint8_t id[XC_MSGID_LEN];  /* the notice's msg_id */
    char home[7];              /* where it goes */
    uint8_t *env;              /* the sealed notice; owned */
    size_t env_len;
    uint8_t kind;              /* XIECHA__NOTICE_KIND__* */
    uint64_t created_at;       /* UTC ms queued */
    uint32_t attempts;         /* sends since start-up */
    uint64_t next_at;          /* UTC ms of the next send */
} s_retry_t;

/*  A client waiting for a notice's ack (xiecha enroll --wait). */
typedef struct {
    zframe_t *client;          /* routing id of the client */
    uint8_t request_id[32];    /* echoed back */
    size_t request_id_len;
    uint8_t id[XC_MSGID_LEN];  /* the notice */
    int timer;                 /* zloop timer of the wait, -1 when fired */
    xc_transport_t *owner;
} s_nwait_t;

struct _xc_transport_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* the reactor */
    zsock_t *peer;             /* ROUTER for peers, CURVE server */
    zsock_t *client;           /* ROUTER for township clients */
    zsock_t *zap;              /* ZAP handler */
    zhashx_t *dealers;          /* home code -> zsock_t * DEALER */
    zhashx_t *waits;            /* query id hex -> s_wait_t * */
    zhashx_t *imports;          /* import id hex -> xc_roster_t * */
    zhashx_t *retries;          /* notice id hex -> s_retry_t * */
    zhashx_t *nwaits;           /* notice id hex -> s_nwait_t * */
    xc_worker_t *worker;        /* back office thread (worker.h) */
};

/*  One message of a batch and what became of it. */
typedef struct {
    zmsg_t *msg;               /* as received: routing id + payload */
    char peer[7];              /* CURVE-authenticated node, or "" */
    uint8_t *reply;            /* envelope to send back, owned */
    size_t reply_len;
    xc_outcome_t out;
    /* client batches only */
    Xiecha__ClientRequest *req;
    xc_pending_t pending;      /* a query to send, when out.code == 0 */
    xc_outbox_item_t notice;   /* a notice queued, when out.code == 0 */
    uint8_t checkin_ref[XC_REF_LEN];  /* a check-in's subject, when ok */
    xc_opened_t opened;        /* answer batches: the parsed envelope */
    s_wait_t *wait;            /* answer batches: the matching query */
    int settled;               /* answer batches: a notice left pending */
} s_item_t;

typedef struct {
    xc_transport_t *self;
    s_item_t *items;
    size_t count;
    uint64_t now;
} s_batch_t;

static void s_client_send (xc_transport_t *self, zframe_t *to,
                           const ProtobufCBinaryData *request_id,
                           Xiecha__ClientReply *reply);

/* --------------------------------------------------------------------------
   Batches: drain a socket, then one transaction for all of it
   -------------------------------------------------------------------------- */

/*  Reads what is waiting, up to limits/batch_max messages, into a fresh
    array (caller frees with s_items_free).  The array grows as needed, so
    a lone message costs one small allocation, not a batch_max one. */
static s_item_t *
s_drain (xc_transport_t *self, zsock_t *sock, size_t *count)
{
    size_t n = 0, alloc = 0, max = (size_t) self->node->config.batch_max;
    s_item_t *items = NULL;
    while (n < max && (zsock_events (sock) & ZMQ_POLLIN)) {
        if (n == alloc) {
            size_t want = alloc ? alloc * 2 : 8;
            s_item_t *grown = realloc (items, want * sizeof *items);
            if (!grown)
                break;
            items = grown;
            alloc = want;
        }
        zmsg_t *msg = zmsg_recv (sock);
        if (!msg)
            break;
        memset (&items[n], 0, sizeof items[n]);
        items[n].msg = msg;
        zframe_t *first = zmsg_first (msg);
        const char *uid = first ? zframe_meta (first, "User-Id") : NULL;
        snprintf (items[n].peer, sizeof items[n].peer, "%s", uid ? uid : "");
        n++;
    }
    *count = n;
    return items;
}

static void
s_items_free (s_item_t *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        zmsg_destroy (&items[i].msg);
        free (items[i].reply);
        if (items[i].req)
            xiecha__client_request__free_unpacked (items[i].req, NULL);
        xc_pending_clear (&items[i].pending);
        xc_outbox_item_clear (&items[i].notice);
        xc_opened_free (&items[i].opened);
    }
    free (items);
}

/* --------------------------------------------------------------------------
   Door 1: peers (registration side)
   -------------------------------------------------------------------------- */

static int
s_peer_batch (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    for (size_t i = 0; i < b->count; i++) {
        s_item_t *it = &b->items[i];
        free (it->reply);
        it->reply = NULL;
        zframe_t *payload = zmsg_next (it->msg);
        if (zmsg_size (it->msg) != 2 || !payload) {
            /* Frames are our only framing: anything else is malformed. */
            static const char why[] = "envelope must be exactly one frame";
            int rc = xc_audit_append (b->self->node->store, txn,
                                      XC_AUDIT_REFUSED, it->peer[0] ? it->peer
                                      : NULL, b->now, why, NULL, 0, NULL);
            if (rc)
                return rc;
            it->out.code = XC_EMALFORMED;
            continue;
        }
        int rc = xc_handle_peer (b->self->node, txn, zframe_data (payload),
                                 zframe_size (payload),
                                 it->peer[0] ? it->peer : NULL, b->now,
                                 &it->reply, &it->reply_len, &it->out);
        zmsg_first (it->msg);
        if (rc)
            return rc;
    }
    return 0;
}

static int
s_peer_ready (zloop_t *loop, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    xc_node_t *node = self->node;
    size_t count = 0;
    s_item_t *items = s_drain (self, sock, &count);
    if (!items)
        return 0;
    s_batch_t b = {self, items, count, xc_now_ms ()};
    int rc = xc_store_write (node->store, s_peer_batch, &b);
    if (rc) {
        /* Nothing was committed, so nothing may be answered: the senders'
           deadlines run out and they retry or report. */
        xc_err ("peer batch of %zu not stored: %s", b.count, xc_strerror (rc));
        s_items_free (items, b.count);
        return 0;
    }
    for (size_t i = 0; i < b.count; i++) {
        s_item_t *it = &items[i];
        if (it->out.code == 0)
            node->queries_answered++;
        else
            node->refused++;
        if (!it->reply)
            continue;
        zframe_t *id = zframe_dup (zmsg_first (it->msg));
        zmsg_t *out = zmsg_new ();
        zmsg_append (out, &id);
        zmsg_addmem (out, it->reply, it->reply_len);
        zmsg_send (&out, sock);
    }
    s_items_free (items, b.count);
    return 0;
}

/* --------------------------------------------------------------------------
   Door 2: township clients (residence side)
   -------------------------------------------------------------------------- */

static void
s_reply_code (xc_transport_t *self, s_item_t *it, int code, const char *why)
{
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.code = code;
    r.message = (char *) (why ? why : xc_strerror (code));
    ProtobufCBinaryData none = {0, NULL};
    s_client_send (self, zmsg_first (it->msg),
                   it->req ? &it->req->request_id : &none, &r);
}

static void
s_reply_cert (xc_transport_t *self, zframe_t *to,
              const ProtobufCBinaryData *request_id, const uint8_t *cert,
              size_t len, const xc_pending_t *p, uint64_t now)
{
    Xiecha__QueryReply q = XIECHA__QUERY_REPLY__INIT;
    q.certificate = (ProtobufCBinaryData) {len, (uint8_t *) cert};
    q.relation = p->relation;
    q.query_id = (ProtobufCBinaryData) {XC_MSGID_LEN, (uint8_t *) p->msg_id};
    q.elapsed_ms = (uint32_t) (now - p->sent_at);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_QUERY;
    r.query = &q;
    s_client_send (self, to, request_id, &r);
}

/*  Writes that a client's request needs: queries and import commits. */
static int
s_client_batch (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    xc_node_t *node = b->self->node;
    for (size_t i = 0; i < b->count; i++) {
        s_item_t *it = &b->items[i];
        if (!it->req)
            continue;
        int rc = 0;
        if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_QUERY) {
            xc_pending_clear (&it->pending);
            free (it->reply);
            it->reply = NULL;
            rc = xc_handle_client_query (node, txn, it->req->query, b->now,
                                         &it->pending, &it->reply,
                                         &it->reply_len, &it->out);
        }
        else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_NOTICE) {
            xc_outbox_item_clear (&it->notice);
            rc = xc_notice_client (node, txn, it->req->notice, b->now,
                                   &it->notice, &it->out);
        }
        else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_CHECKIN)
            rc = xc_households_checkin (node, txn, it->req->checkin, b->now,
                                        it->checkin_ref, &it->out);
        else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_IMPORT
                 && it->req->import->step
                        == XIECHA__IMPORT_REQUEST__STEP__COMMIT) {
            char hex[33];
            xc_hex (it->req->import->import_id.data, 16, hex);
            xc_roster_t *r = zhashx_lookup (b->self->imports, hex);
            rc = xc_roster_commit (r, node, txn, b->now);
        }
        if (rc)
            return rc;
    }
    return 0;
}

/*  Sends a query to its registration node and starts its deadline. */
static int s_deadline (zloop_t *loop, int timer_id, void *arg);
static zsock_t *s_dealer (xc_transport_t *self, const char *home);

/* --------------------------------------------------------------------------
   Notices: the outbox's delivery schedule
   -------------------------------------------------------------------------- */

/*  Exponential backoff with jitter, so a registration node coming back
    from an outage is not hit by every residence node at the same moment. */
static uint64_t
s_backoff (const xc_transport_t *self, uint32_t attempts)
{
    uint64_t wait = S_RETRY_FIRST_MS;
    for (uint32_t i = 1; i < attempts && wait < (uint64_t) INT32_MAX; i++)
        wait *= 2;
    if (wait > (uint64_t) self->node->config.retry_max_ms)
        wait = (uint64_t) self->node->config.retry_max_ms;
    uint16_t r;
    xc_random (&r, sizeof r);
    return wait / 2 + wait * r / 65536;   /* 0.5 .. 1.5 x */
}

static void
s_retry_free (void **item)
{
    s_retry_t *r = *item;
    if (r) {
        free (r->env);
        free (r);
        *item = NULL;
    }
}

static void
s_retry_send (xc_transport_t *self, s_retry_t *r, uint64_t now)
{
    zsock_t *dealer = s_dealer (self, r->home);
    if (dealer)
        zsock_send (dealer, "b", r->env, r->env_len);
    r->attempts++;
    r->next_at = now + s_backoff (self, r->attempts);
}

/*  Takes the notice's envelope into the schedule and sends it at once. */
static s_retry_t *
s_retry_add (xc_transport_t *self, xc_outbox_item_t *item, uint64_t now)
{
    s_retry_t *r = calloc (1, sizeof *r);
    if (!r)
        return NULL;
    memcpy (r->id, item->id, XC_MSGID_LEN);
    memcpy (r->home, item->home, sizeof r->home);
    r->env = item->env;
    r->env_len = item->env_len;
    item->env = NULL;
    item->env_len = 0;
    r->kind = item->kind;
    r->created_at = item->created_at;
    char hex[33];
    xc_hex (r->id, XC_MSGID_LEN, hex);
    zhashx_update (self->retries, hex, r);
    s_retry_send (self, r, now);
    return r;
}

static int
s_retry_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    uint64_t now = xc_now_ms ();
    for (s_retry_t *r = zhashx_first (self->retries); r;
         r = zhashx_next (self->retries))
        if (r->next_at <= now)
            s_retry_send (self, r, now);
    return 0;
}

static int
s_retry_load_one (const xc_outbox_item_t *item, void *arg)
{
    xc_transport_t *self = arg;
    if (item->state != XC_OUTBOX_PENDING)
        return 0;
    xc_outbox_item_t copy = *item;
    copy.env = malloc (item->env_len);
    if (!copy.env)
        return XC_ENOMEM;
    memcpy (copy.env, item->env, item->env_len);
    return s_retry_add (self, &copy, xc_now_ms ()) ? 0 : XC_ENOMEM;
}

/*  After a restart the outbox in LMDB is all there is: every pending
    notice is scheduled again, so nothing queued is ever forgotten. */
static int
s_retry_load (xc_transport_t *self)
{
    MDB_txn *txn = NULL;
    int rc = xc_store_read (self->node->store, &txn);
    if (rc)
        return rc;
    rc = xc_outbox_each (self->node->store, txn, s_retry_load_one, self);
    mdb_txn_abort (txn);
    if (zhashx_size (self->retries))
        xc_info ("%zu notices pending in the outbox; delivering",
                 zhashx_size (self->retries));
    return rc;
}

static void
s_notice_reply (xc_transport_t *self, zframe_t *to,
                const ProtobufCBinaryData *request_id, const uint8_t *id,
                int delivered, const uint8_t *ack, size_t ack_len)
{
    Xiecha__NoticeReply n = XIECHA__NOTICE_REPLY__INIT;
    n.notice_id = (ProtobufCBinaryData) {XC_MSGID_LEN, (uint8_t *) id};
    n.delivered = delivered;
    n.ack = (ProtobufCBinaryData) {ack_len, (uint8_t *) ack};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_NOTICE;
    r.notice = &n;
    s_client_send (self, to, request_id, &r);
}

static void
s_nwait_destroy (xc_transport_t *self, s_nwait_t *w)
{
    char hex[33];
    xc_hex (w->id, XC_MSGID_LEN, hex);
    zhashx_delete (self->nwaits, hex);
    if (w->timer >= 0)
        zloop_timer_end (self->loop, w->timer);
    zframe_destroy (&w->client);
    free (w);
}

/*  The wait ran out: the notice is safe in the outbox, only not yet
    acknowledged.  The client hears exactly that. */
static int
s_nwait_expired (zloop_t *loop, int timer_id, void *arg)
{
    s_nwait_t *w = arg;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    s_notice_reply (w->owner, w->client, &rid, w->id, 0, NULL, 0);
    w->timer = -1;
    s_nwait_destroy (w->owner, w);
    return 0;
}

static void
s_dispatch_notice (xc_transport_t *self, s_item_t *it)
{
    const ProtobufCBinaryData *rid = &it->req->request_id;
    zframe_t *to = zmsg_first (it->msg);
    if (it->out.code) {
        s_reply_code (self, it, it->out.code, it->out.why);
        return;
    }
    if (it->notice.state == XC_OUTBOX_LOCAL) {
        s_notice_reply (self, to, rid, it->notice.id, 1, NULL, 0);
        return;
    }
    uint8_t id[XC_MSGID_LEN];
    memcpy (id, it->notice.id, sizeof id);
    if (!s_retry_add (self, &it->notice, xc_now_ms ()))
        xc_err ("notice kept in the outbox but not scheduled (no memory)");
    uint32_t wait_ms = it->req->notice->wait_ms;
    s_nwait_t *w = wait_ms ? calloc (1, sizeof *w) : NULL;
    if (!w) {
        s_notice_reply (self, to, rid, id, 0, NULL, 0);
        return;
    }
    w->client = zframe_dup (to);
    w->request_id_len = rid->len < sizeof w->request_id ? rid->len
                                                        : sizeof w->request_id;
    memcpy (w->request_id, rid->data, w->request_id_len);
    memcpy (w->id, id, sizeof id);
    w->owner = self;
    w->timer = zloop_timer (self->loop, wait_ms, 1, s_nwait_expired, w);
    char hex[33];
    xc_hex (id, XC_MSGID_LEN, hex);
    zhashx_update (self->nwaits, hex, w);
}

/*  An ack (or a final refusal) was committed: stop sending, and tell a
    client that is still waiting. */
static void
s_notice_settled (xc_transport_t *self, s_item_t *it)
{
    char hex[33];
    xc_hex (it->opened.msg->header->in_reply_to.data, XC_MSGID_LEN, hex);
    zhashx_delete (self->retries, hex);
    s_nwait_t *w = zhashx_lookup (self->nwaits, hex);
    if (!w)
        return;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    if (it->out.code) {
        Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
        r.code = it->out.code;
        r.message = it->out.why;
        s_client_send (self, w->client, &rid, &r);
    }
    else {
        zframe_t *f = zmsg_first (it->msg);
        s_notice_reply (self, w->client, &rid, w->id, 1, zframe_data (f),
                        zframe_size (f));
    }
    s_nwait_destroy (self, w);
}

typedef struct {
    xc_transport_t *self;
    Xiecha__OutboxItem *items;
    Xiecha__OutboxItem **ptrs;
    char (*homes)[7];
    uint8_t (*ids)[XC_MSGID_LEN];
    char (*notes)[256];
    size_t count, alloc;
} s_listing_t;

static int
s_outbox_item (const xc_outbox_item_t *item, void *arg)
{
    s_listing_t *l = arg;
    if (l->count == l->alloc)
        return 1;   /* listing is capped; the count says how many */
    Xiecha__OutboxItem *o = &l->items[l->count];
    xiecha__outbox_item__init (o);
    memcpy (l->homes[l->count], item->home, 7);
    o->home = l->homes[l->count];
    o->kind = item->kind;
    o->created_at = item->created_at;
    memcpy (l->ids[l->count], item->id, XC_MSGID_LEN);
    o->notice_id = (ProtobufCBinaryData) {XC_MSGID_LEN, l->ids[l->count]};
    memcpy (l->notes[l->count], item->note, sizeof item->note);
    o->note = l->notes[l->count];
    o->state = item->state == XC_OUTBOX_PENDING ? "PENDING" : "REJECTED";
    char hex[33];
    xc_hex (item->id, XC_MSGID_LEN, hex);
    s_retry_t *r = zhashx_lookup (l->self->retries, hex);
    if (r) {
        o->attempts = r->attempts;
        o->next_attempt_at = r->next_at;
    }
    l->ptrs[l->count++] = o;
    return 0;
}

static void
s_outbox_list (xc_transport_t *self, s_item_t *it)
{
    s_listing_t l = {self, NULL, NULL, NULL, NULL, NULL, 0, 1000};
    l.items = calloc (l.alloc, sizeof *l.items);
    l.ptrs = calloc (l.alloc, sizeof *l.ptrs);
    l.homes = calloc (l.alloc, sizeof *l.homes);
    l.ids = calloc (l.alloc, sizeof *l.ids);
    l.notes = calloc (l.alloc, sizeof *l.notes);
    MDB_txn *txn = NULL;
    int rc = l.items && l.ptrs && l.homes && l.ids && l.notes ? xc_store_read (self->node->store,
                                                           &txn) : XC_ENOMEM;
    if (rc == 0) {
        rc = xc_outbox_each (self->node->store, txn, s_outbox_item, &l);
        rc = rc > 0 ? 0 : rc;
        mdb_txn_abort (txn);
    }
    if (rc)
        s_reply_code (self, it, rc, "cannot read the outbox");
    else {
        Xiecha__OutboxReply o = XIECHA__OUTBOX_REPLY__INIT;
        o.n_items = l.count;
        o.items = l.ptrs;
        Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
        r.body_case = XIECHA__CLIENT_REPLY__BODY_OUTBOX;
        r.outbox = &o;
        s_client_send (self, zmsg_first (it->msg), &it->req->request_id, &r);
    }
    free (l.items);
    free (l.ptrs);
    free (l.homes);
    free (l.ids);
    free (l.notes);
}

static void
s_dispatch_query (xc_transport_t *self, s_item_t *it, uint64_t now)
{
    if (it->out.code) {
        s_reply_code (self, it, it->out.code, it->out.why);
        return;
    }
    if (it->reply) {   /* same county: answered locally */
        s_reply_cert (self, zmsg_first (it->msg), &it->req->request_id,
                      it->reply, it->reply_len, &it->pending, now);
        return;
    }
    zsock_t *dealer = s_dealer (self, it->pending.home);
    s_wait_t *w = calloc (1, sizeof *w);
    if (!dealer || !w
        || zsock_send (dealer, "b", it->pending.envelope,
                       it->pending.envelope_len) != 0) {
        free (w);
        s_reply_code (self, it, XC_EUNREACHABLE,
                      "registration node cannot be reached (send queue full)");
        return;
    }
    self->node->queries_sent++;
    w->p = it->pending;
    memset (&it->pending, 0, sizeof it->pending);   /* ownership moved */
    w->client = zframe_dup (zmsg_first (it->msg));
    w->request_id_len = it->req->request_id.len < sizeof w->request_id
                            ? it->req->request_id.len : sizeof w->request_id;
    memcpy (w->request_id, it->req->request_id.data, w->request_id_len);
    w->owner = self;
    w->timer = zloop_timer (self->loop,
                            (size_t) self->node->config.query_deadline_ms, 1,
                            s_deadline, w);
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_insert (self->waits, hex, w);
}

static void
s_status (xc_transport_t *self, s_item_t *it)
{
    xc_node_t *node = self->node;
    Xiecha__StatusReply s = XIECHA__STATUS_REPLY__INIT;
    uint8_t head[32] = {0};
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn) == 0) {
        xc_index_count (node->store, txn, &s.subjects);
        xc_audit_head (node->store, txn, &s.audit_entries, head);
        mdb_txn_abort (txn);
    }
    s.code = node->config.code;
    s.name = node->config.name;
    s.started_at = node->started_at;
    s.queries_answered = node->queries_answered;
    s.queries_sent = node->queries_sent;
    s.refused = node->refused;
    s.peers = (uint32_t) zhashx_size (self->dealers);
    s.version = XIECHA_VERSION;
    s.audit_head = (ProtobufCBinaryData) {32, head};
    s.outbox_pending = zhashx_size (self->retries);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_STATUS;
    r.status = &s;
    s_client_send (self, zmsg_first (it->msg), &it->req->request_id, &r);
}

/*  Requests that read the whole log go to the back office thread
    (worker.h); its reply comes back through s_worker_ready. */
static void
s_to_worker (xc_transport_t *self, s_item_t *it)
{
    zmsg_t *job = zmsg_dup (it->msg);
    int rc = job ? xc_worker_submit (self->worker, &job) : XC_ENOMEM;
    if (rc == XC_EFULL)
        s_reply_code (self, it, rc, "the node is busy with audit requests "
                      "(16 queued); try again shortly");
    else if (rc)
        s_reply_code (self, it, rc, "cannot queue the request");
    zmsg_destroy (&job);
}

/*  A back-office reply: [routing id][ClientReply] on to the client.  A
    job that could not even build a reply sends the id alone; that
    client's own timeout then tells it. */
static int
s_worker_ready (zloop_t *loop, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    zmsg_t *msg = xc_worker_recv (self->worker);
    if (msg && zmsg_size (msg) == 2)
        zmsg_send (&msg, self->client);
    zmsg_destroy (&msg);
    return 0;
}

static void
s_import_reply (xc_transport_t *self, s_item_t *it, const uint8_t *id,
                uint64_t rows, uint64_t subjects)
{
    Xiecha__ImportReply ir = XIECHA__IMPORT_REPLY__INIT;
    ir.import_id = (ProtobufCBinaryData) {16, (uint8_t *) id};
    ir.rows = rows;
    ir.subjects = subjects;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_IMPORT;
    r.import = &ir;
    s_client_send (self, zmsg_first (it->msg), &it->req->request_id, &r);
}

/*  Import steps that only touch memory: BEGIN, ROWS, ABORT.  A bad
    chunk discards the whole import, so nothing half-checked can be
    committed later. */
static int
s_import_stage (xc_transport_t *self, s_item_t *it)
{
    Xiecha__ImportRequest *im = it->req->import;
    char hex[33] = "", why[400];
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__BEGIN) {
        uint8_t id[16];
        xc_random (id, sizeof id);
        xc_hex (id, 16, hex);
        xc_roster_t *r = xc_roster_new ();
        if (!r || zhashx_size (self->imports) >= 8) {
            xc_roster_destroy (&r);
            s_reply_code (self, it, XC_ETOOBIG, "too many imports under way");
            return 1;
        }
        zhashx_insert (self->imports, hex, r);
        s_import_reply (self, it, id, 0, 0);
        return 1;
    }
    xc_roster_t *r = NULL;
    if (im->import_id.len == 16) {
        xc_hex (im->import_id.data, 16, hex);
        r = zhashx_lookup (self->imports, hex);
    }
    if (!r) {
        s_reply_code (self, it, XC_EINVAL,
                      "import_id: no such import under way (expired?)");
        return 1;
    }
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__COMMIT)
        return 0;   /* needs the write transaction */
    int rc = XC_EINVAL;
    snprintf (why, sizeof why, "import step: unknown");
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__ROWS)
        rc = xc_roster_stage (r, self->node, im->rows, im->n_rows, why,
                              sizeof why);
    if (rc || im->step == XIECHA__IMPORT_REQUEST__STEP__ABORT) {
        zhashx_delete (self->imports, hex);
        if (rc)
            s_reply_code (self, it, rc, why);
        else
            s_import_reply (self, it, im->import_id.data, 0, 0);
        return 1;
    }
    s_import_reply (self, it, im->import_id.data, xc_roster_rows (r), 0);
    return 1;
}

/*  Dynamic management (households.c): the due listing needs only a read
    transaction; a check-in is answered once its batch has committed. */
static void
s_due (xc_transport_t *self, s_item_t *it)
{
    Xiecha__DueReply d;
    char why[400];
    MDB_txn *txn = NULL;
    int rc = xc_store_read (self->node->store, &txn);
    if (rc == 0) {
        rc = xc_households_due (self->node, txn, it->req->due->as_of,
                                xc_now_ms (), &d, why, sizeof why);
        mdb_txn_abort (txn);
    }
    else
        snprintf (why, sizeof why, "cannot read the households");
    if (rc) {
        s_reply_code (self, it, rc, why);
        return;
    }
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_DUE;
    r.due = &d;
    s_client_send (self, zmsg_first (it->msg), &it->req->request_id, &r);
    xc_households_due_free (&d);
}

static void
s_dispatch_checkin (xc_transport_t *self, s_item_t *it)
{
    if (it->out.code) {
        s_reply_code (self, it, it->out.code, it->out.why);
        return;
    }
    Xiecha__CheckinReply c = XIECHA__CHECKIN_REPLY__INIT;
    c.subject = (ProtobufCBinaryData) {XC_REF_LEN, it->checkin_ref};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_CHECKIN;
    r.checkin = &c;
    s_client_send (self, zmsg_first (it->msg), &it->req->request_id, &r);
}

/*  First pass, before any transaction: parse, answer what needs no
    write (status, import staging), leave the rest for the batch. */
static void
s_client_parse (xc_transport_t *self, s_item_t *it)
{
    zframe_t *payload = zmsg_size (it->msg) == 2 ? zmsg_last (it->msg) : NULL;
    if (payload)
        it->req = xiecha__client_request__unpack (NULL, zframe_size (payload),
                                                  zframe_data (payload));
    if (!it->req || it->req->body_case == 0) {
        s_reply_code (self, it, XC_EMALFORMED,
                      "request: not a ClientRequest message");
        if (it->req)
            xiecha__client_request__free_unpacked (it->req, NULL);
        it->req = NULL;
        return;
    }
    int done = 0;
    if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_STATUS) {
        s_status (self, it);
        done = 1;
    }
    else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_IMPORT)
        done = s_import_stage (self, it);
    else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_OUTBOX) {
        s_outbox_list (self, it);
        done = 1;
    }
    else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_DUE) {
        s_due (self, it);
        done = 1;
    }
    else if (xc_worker_handles (it->req->body_case)) {
        s_to_worker (self, it);
        done = 1;
    }
    if (done) {
        xiecha__client_request__free_unpacked (it->req, NULL);
        it->req = NULL;
    }
}

static void
s_import_done (xc_transport_t *self, s_item_t *it, int rc)
{
    char hex[33];
    xc_hex (it->req->import->import_id.data, 16, hex);
    xc_roster_t *r = zhashx_lookup (self->imports, hex);
    uint64_t rows = r ? xc_roster_rows (r) : 0, subjects = 0;
    zhashx_delete (self->imports, hex);
    if (rc) {
        s_reply_code (self, it, rc, "import not stored; index unchanged");
        return;
    }
    MDB_txn *txn = NULL;
    if (xc_store_read (self->node->store, &txn) == 0) {
        xc_index_count (self->node->store, txn, &subjects);
        mdb_txn_abort (txn);
    }
    xc_info ("roster import committed: %llu rows, index holds %llu subjects",
             (unsigned long long) rows, (unsigned long long) subjects);
    s_import_reply (self, it, it->req->import->import_id.data, rows, subjects);
}

static int
s_client_ready (zloop_t *loop, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    size_t count = 0;
    s_item_t *items = s_drain (self, sock, &count);
    if (!items)
        return 0;
    s_batch_t b = {self, items, count, xc_now_ms ()};
    for (size_t i = 0; i < b.count; i++)
        s_client_parse (self, &items[i]);
    int rc = xc_store_write (self->node->store, s_client_batch, &b);
    if (rc)
        xc_err ("client batch of %zu not stored: %s", b.count,
                xc_strerror (rc));
    for (size_t i = 0; i < b.count; i++) {
        s_item_t *it = &items[i];
        if (!it->req)
            continue;
        if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_IMPORT)
            s_import_done (self, it, rc);
        else if (rc)
            s_reply_code (self, it, rc, "not stored; nothing was sent");
        else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_NOTICE)
            s_dispatch_notice (self, it);
        else if (it->req->body_case == XIECHA__CLIENT_REQUEST__BODY_CHECKIN)
            s_dispatch_checkin (self, it);
        else
            s_dispatch_query (self, it, b.now);
    }
    s_items_free (items, b.count);
    return 0;
}

/* --------------------------------------------------------------------------
   Door 3: answers from registration nodes (residence side)
   -------------------------------------------------------------------------- */

static int
s_answer_batch (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    xc_node_t *node = b->self->node;
    for (size_t i = 0; i < b->count; i++) {
        s_item_t *it = &b->items[i];
        zframe_t *f = zmsg_first (it->msg);
        int rc;
        if (!it->opened.msg) {
            char note[600];
            snprintf (note, sizeof note, "answer refused: %s", it->out.why);
            rc = xc_audit_append (node->store, txn, XC_AUDIT_REFUSED, NULL,
                                  b->now, note, f ? zframe_data (f) : NULL,
                                  f ? zframe_size (f) : 0, NULL);
        }
        else if (!it->wait && it->opened.msg->header->type
                                  != XIECHA__MSG_TYPE__MSG_CERTIFICATE)
            rc = xc_notice_answer (node, txn, zframe_data (f), zframe_size (f),
                                   &it->opened, b->now, &it->out,
                                   &it->settled);
        else
            rc = xc_handle_answer (node, txn, zframe_data (f), zframe_size (f),
                                   &it->opened, it->wait ? &it->wait->p : NULL,
                                   b->now, &it->out);
        if (rc)
            return rc;
    }
    return 0;
}

static void
s_wait_destroy (xc_transport_t *self, s_wait_t *w)
{
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_delete (self->waits, hex);
    if (w->timer >= 0)
        zloop_timer_end (self->loop, w->timer);
    zframe_destroy (&w->client);
    xc_pending_clear (&w->p);
    free (w);
}

static void
s_answer_client (xc_transport_t *self, s_item_t *it, uint64_t now)
{
    s_wait_t *w = it->wait;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    if (it->out.code == 0) {
        zframe_t *f = zmsg_first (it->msg);
        s_reply_cert (self, w->client, &rid, zframe_data (f), zframe_size (f),
                      &w->p, now);
    }
    else {
        Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
        r.code = it->out.code;
        r.message = it->out.why;
        s_client_send (self, w->client, &rid, &r);
    }
    s_wait_destroy (self, w);
}

static int
s_answer_ready (zloop_t *loop, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    size_t count = 0;
    s_item_t *items = s_drain (self, sock, &count);
    if (!items)
        return 0;
    s_batch_t b = {self, items, count, xc_now_ms ()};
    for (size_t i = 0; i < b.count; i++) {
        s_item_t *it = &items[i];
        zframe_t *f = zmsg_first (it->msg);
        if (zmsg_size (it->msg) != 1
            || xc_envelope_open (zframe_data (f), zframe_size (f),
                                 &it->opened, it->out.why,
                                 sizeof it->out.why) != 0) {
            xc_opened_free (&it->opened);
            it->out.code = XC_EMALFORMED;
            continue;
        }
        const ProtobufCBinaryData *irt = &it->opened.msg->header->in_reply_to;
        char hex[33];
        if (irt->len == XC_MSGID_LEN) {
            xc_hex (irt->data, XC_MSGID_LEN, hex);
            it->wait = zhashx_lookup (self->waits, hex);
        }
    }
    int rc = xc_store_write (self->node->store, s_answer_batch, &b);
    if (rc)
        xc_err ("answer batch of %zu not stored: %s", b.count,
                xc_strerror (rc));
    for (size_t i = 0; rc == 0 && i < b.count; i++) {
        /* A refused answer leaves the query waiting: the genuine answer
           may still come before the deadline. */
        s_item_t *it = &items[i];
        if (it->wait && (it->out.code == 0 || it->out.code == XC_EREFUSED))
            s_answer_client (self, it, b.now);
        else if (it->settled)
            s_notice_settled (self, it);
    }
    s_items_free (items, b.count);
    return 0;
}

typedef struct {
    xc_node_t *node;
    s_wait_t *w;
    uint64_t now;
} s_deadline_t;

static int
s_deadline_write (MDB_txn *txn, void *arg)
{
    s_deadline_t *d = arg;
    return xc_handle_deadline (d->node, txn, &d->w->p, d->now);
}

/*  The registration node did not answer in time: record it, tell the
    client (exit 3 in the CLI), forget the query. */
static int
s_deadline (zloop_t *loop, int timer_id, void *arg)
{
    s_wait_t *w = arg;
    xc_transport_t *self = w->owner;
    s_deadline_t d = {self->node, w, xc_now_ms ()};
    int rc = xc_store_write (self->node->store, s_deadline_write, &d);
    if (rc)
        xc_err ("deadline not recorded: %s", xc_strerror (rc));
    const xc_trust_node_t *n = xc_trust_node (self->node->trust, w->p.home);
    char why[400];
    snprintf (why, sizeof why, "registration node %s (%s) did not answer "
              "within %d ms", w->p.home, n ? n->endpoint : "?",
              self->node->config.query_deadline_ms);
    xc_warn ("%s", why);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.code = XC_EUNREACHABLE;
    r.message = why;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    s_client_send (self, w->client, &rid, &r);
    w->timer = -1;   /* a one-shot timer ends itself */
    s_wait_destroy (self, w);
    return 0;
}

/* --------------------------------------------------------------------------
   Outbound DEALERs, one per registration node, created on first use
   -------------------------------------------------------------------------- */

static zsock_t *
s_dealer (xc_transport_t *self, const char *home)
{
    zsock_t *d = zhashx_lookup (self->dealers, home);
    if (d)
        return d;
    const xc_trust_node_t *n = xc_trust_node (self->node->trust, home);
    if (!n)
        return NULL;
    d = zsock_new (ZMQ_DEALER);
    if (!d)
        return NULL;
    zcert_apply (self->node->curve, d);
    zsock_set_curve_serverkey (d, n->curve);
    zsock_set_maxmsgsize (d, self->node->config.max_message_bytes);
    zsock_set_linger (d, 0);
    zsock_set_sndhwm (d, 10000);
    zsock_set_sndtimeo (d, 0);
    zsock_set_handshake_ivl (d, S_HANDSHAKE_MS);
    if (zsock_connect (d, "%s", n->endpoint) != 0) {
        xc_err ("cannot connect to %s at %s", home, n->endpoint);
        zsock_destroy (&d);
        return NULL;
    }
    zloop_reader (self->loop, d, s_answer_ready, self);
    zhashx_insert (self->dealers, home, d);
    xc_info ("connecting to %s at %s", home, n->endpoint);
    return d;
}

/* --------------------------------------------------------------------------
   ZAP: who may open a CURVE session with the peer socket
   -------------------------------------------------------------------------- */

/*  libzmq asks us about every CURVE handshake.  We admit a key only if it
    belongs to a trust-list node, and name that node as the User-Id so the
    message's origin on the wire is known to the handlers. */
static int
s_zap_ready (zloop_t *loop, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    zmsg_t *req = zmsg_recv (sock);
    if (!req)
        return 0;
    char *version = zmsg_popstr (req);
    char *request_id = zmsg_popstr (req);
    char *domain = zmsg_popstr (req);
    char *address = zmsg_popstr (req);
    zframe_t *identity = zmsg_pop (req);
    char *mechanism = zmsg_popstr (req);
    zframe_t *key = zmsg_pop (req);

    const char *node = NULL;
    char z85[41] = "";
    if (mechanism && streq (mechanism, "CURVE") && key
        && zframe_size (key) == 32) {
        zmq_z85_encode (z85, zframe_data (key), 32);
        for (size_t i = 0; i < xc_trust_size (self->node->trust); i++) {
            const xc_trust_node_t *n = xc_trust_at (self->node->trust, i);
            if (streq (n->curve, z85))
                node = n->code;
        }
    }
    if (!node) {
        self->node->auth_failures++;
        xc_warn ("CURVE handshake from %s refused: key %s is not in the "
                 "trust list", address ? address : "?", z85[0] ? z85 : "?");
    }
    zsock_send (sock, "ssssss", version ? version : "1.0",
                request_id ? request_id : "", node ? "200" : "400",
                node ? "OK" : "key not in trust list", node ? node : "", "");
    zstr_free (&version);
    zstr_free (&request_id);
    zstr_free (&domain);
    zstr_free (&address);
    zstr_free (&mechanism);
    zframe_destroy (&identity);
    zframe_destroy (&key);
    zmsg_destroy (&req);
    return 0;
}

/* --------------------------------------------------------------------------
   Set-up and tear-down
   -------------------------------------------------------------------------- */

static void
s_client_send (xc_transport_t *self, zframe_t *to,
               const ProtobufCBinaryData *request_id,
               Xiecha__ClientReply *reply)
{
    reply->request_id = *request_id;
    size_t len = xiecha__client_reply__get_packed_size (reply);
    zframe_t *body = zframe_new (NULL, len);
    if (!body)
        return;
    xiecha__client_reply__pack (reply, zframe_data (body));
    zmsg_t *out = zmsg_new ();
    zframe_t *id = zframe_dup (to);
    zmsg_append (out, &id);
    zmsg_append (out, &body);
    zmsg_send (&out, self->client);
}

/*  Abandoned imports hold memory; drop them after ten idle minutes. */
static int
s_sweep (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    uint64_t now = xc_now_ms ();
    zlistx_t *keys = zhashx_keys (self->imports);
    for (char *k = zlistx_first (keys); k; k = zlistx_next (keys)) {
        xc_roster_t *r = zhashx_lookup (self->imports, k);
        if (now - xc_roster_touched (r) > S_IMPORT_IDLE_MS) {
            xc_warn ("roster import %s abandoned; discarded", k);
            zhashx_delete (self->imports, k);
        }
    }
    zlistx_destroy (&keys);
    return 0;
}

static void
s_roster_free (void **item)
{
    xc_roster_destroy ((xc_roster_t **) item);
}

static void
s_dealer_free (void **item)
{
    zsock_destroy ((zsock_t **) item);
}

static int
s_bind (xc_transport_t *self, char *why, size_t why_len)
{
    xc_config_t *c = &self->node->config;
    self->zap = zsock_new (ZMQ_REP);
    if (!self->zap || zsock_bind (self->zap, S_ZAP_ENDPOINT) != 0)
        return xc_why (why, why_len, XC_EIO, "cannot bind ZAP handler");

    self->peer = zsock_new (ZMQ_ROUTER);
    zcert_apply (self->node->curve, self->peer);
    zsock_set_curve_server (self->peer, 1);
    zsock_set_zap_domain (self->peer, S_ZAP_DOMAIN);
    zsock_set_maxmsgsize (self->peer, c->max_message_bytes);
    zsock_set_handshake_ivl (self->peer, S_HANDSHAKE_MS);
    zsock_set_linger (self->peer, 1000);
    if (zsock_bind (self->peer, "%s", c->peer_bind) < 0)
        return xc_why (why, why_len, XC_EIO,
                       "node/peer_bind: cannot bind %s: %s", c->peer_bind,
                       zmq_strerror (zmq_errno ()));

    self->client = zsock_new (ZMQ_ROUTER);
    zsock_set_maxmsgsize (self->client, S_CLIENT_MAX_MESSAGE);
    zsock_set_linger (self->client, 1000);
    if (zsock_bind (self->client, "%s", c->client_bind) < 0)
        return xc_why (why, why_len, XC_EIO,
                       "node/client_bind: cannot bind %s: %s", c->client_bind,
                       zmq_strerror (zmq_errno ()));
    return 0;
}

/*  Signs a checkpoint over the audit log if it grew since the last one.
    A failure is logged and retried next tick: service goes on. */
static int
s_checkpoint_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    if (xc_store_write (self->node->store, xc_checkpoint_write_tick,
                        self->node)
        != 0)
        xc_warn ("audit checkpoint not written");
    return 0;
}

xc_transport_t *
xc_transport_new (xc_node_t *node, char *why, size_t why_len)
{
    xc_transport_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = zloop_new ();
    self->dealers = zhashx_new ();
    self->waits = zhashx_new ();
    self->imports = zhashx_new ();
    self->retries = zhashx_new ();
    self->nwaits = zhashx_new ();
    zhashx_set_destructor (self->dealers, s_dealer_free);
    zhashx_set_destructor (self->imports, s_roster_free);
    zhashx_set_destructor (self->retries, s_retry_free);
    if (s_bind (self, why, why_len) != 0) {
        xc_transport_destroy (&self);
        return NULL;
    }
    self->worker = xc_worker_new (node);
    if (!self->worker) {
        xc_why (why, why_len, XC_EINTERNAL, "cannot start the worker thread");
        xc_transport_destroy (&self);
        return NULL;
    }
    zloop_reader (self->loop, xc_worker_sock (self->worker), s_worker_ready,
                  self);
    zloop_reader (self->loop, self->zap, s_zap_ready, self);
    zloop_reader (self->loop, self->peer, s_peer_ready, self);
    zloop_reader (self->loop, self->client, s_client_ready, self);
    zloop_timer (self->loop, 60 * 1000, 0, s_sweep, self);
    zloop_timer (self->loop, S_RETRY_TICK_MS, 0, s_retry_tick, self);
    zloop_timer (self->loop, XC_RELOAD_TICK_MS, 0, xc_reload_tick, node);
    zloop_timer (self->loop,
                 (size_t) node->config.checkpoint_interval_s * 1000, 0,
                 s_checkpoint_tick, self);
    if (s_retry_load (self) != 0) {
        xc_why (why, why_len, XC_ESTORE, "cannot read the outbox");
        xc_transport_destroy (&self);
    }
    return self;
}

int
xc_transport_run (xc_transport_t *self)
{
    xc_info ("node %s (%s) serving peers on %s, clients on %s",
             self->node->config.code, self->node->config.name,
             self->node->config.peer_bind, self->node->config.client_bind);
    /* zloop returns when CZMQ's SIGINT/SIGTERM handler sets
       zsys_interrupted; handlers never exit the process themselves. */
    unsigned hups = xc_reload_hups ();
    while (zloop_start (self->loop) == 0 && !zsys_interrupted
           && xc_reload_hups () != hups)
        hups = xc_reload_hups ();   /* SIGHUP broke the poll: go on */
    return 0;
}

void
xc_transport_destroy (xc_transport_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_transport_t *self = *self_p;
    xc_worker_destroy (&self->worker);
    if (self->waits) {
        for (s_wait_t *w = zhashx_first (self->waits); w;
             w = zhashx_first (self->waits))
            s_wait_destroy (self, w);
        zhashx_destroy (&self->waits);
    }
    if (self->nwaits) {
        for (s_nwait_t *w = zhashx_first (self->nwaits); w;
             w = zhashx_first (self->nwaits))
            s_nwait_destroy (self, w);
        zhashx_destroy (&self->nwaits);
    }
    zhashx_destroy (&self->retries);
    zhashx_destroy (&self->imports);
    zhashx_destroy (&self->dealers);
    zsock_destroy (&self->client);
    zsock_destroy (&self->peer);
    zsock_destroy (&self->zap);
    zloop_destroy (&self->loop);
    free (self);
    *self_p = NULL;
}
