/*  delivery.c - the outbox's delivery schedule; see delivery.h.

    Reading order: xc_delivery_queue (a notice leaves), s_retry_tick
    (it leaves again), xc_delivery_settled (its ack came), then the
    waits and the listing. */
#include "decide/notices.h"
#include "net/clients.h"
#include "net/delivery.h"
#include "node/log.h"

#define S_RETRY_TICK_MS 100
#define S_RETRY_FIRST_MS 500
#define S_LIST_MAX 1000

/*  A notice in the outbox, as the retry timer sees it. */
typedef struct {
    uint8_t id[XC_MSGID_LEN];  /* the notice's msg_id */
    char home[7];              /* where it goes */
    uint8_t *env;              /* the sealed notice; owned */
    size_t env_len;
    uint32_t attempts;         /* sends since start-up */
    uint64_t next_at;          /* UTC ms of the next send */
} s_retry_t;

/*  A terminal waiting for a notice's ack (xiecha enroll --wait). */
typedef struct {
    zframe_t *client;          /* routing id of the terminal */
    uint8_t request_id[32];    /* echoed back */
    size_t request_id_len;
    uint8_t id[XC_MSGID_LEN];  /* the notice */
    uint32_t subjects;         /* people it covers */
    int timer;                 /* zloop timer of the wait, -1 when fired */
    xc_delivery_t *owner;
} s_wait_t;

struct _xc_delivery_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed */
    xc_clients_t *clients;     /* replies to terminals; borrowed */
    xc_asks_t *asks;           /* the dealers; borrowed */
    zhashx_t *retries;         /* notice id hex -> s_retry_t * */
    zhashx_t *waits;           /* notice id hex -> s_wait_t * */
    int timer;                 /* the retry tick */
};

static int s_retry_tick (zloop_t *loop, int timer_id, void *arg);
static void s_connected (const char *home, void *arg);

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

xc_delivery_t *
xc_delivery_new (xc_node_t *node, zloop_t *loop, xc_clients_t *clients,
                 xc_asks_t *asks)
{
    xc_delivery_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->clients = clients;
    self->asks = asks;
    self->retries = zhashx_new ();
    self->waits = zhashx_new ();
    self->timer = -1;
    if (!self->retries || !self->waits) {
        xc_delivery_destroy (&self);
        return NULL;
    }
    zhashx_set_destructor (self->retries, s_retry_free);
    self->timer = zloop_timer (loop, S_RETRY_TICK_MS, 0, s_retry_tick, self);
    xc_asks_on_connect (asks, s_connected, self);
    return self;
}

static void
s_wait_end (xc_delivery_t *self, s_wait_t *w)
{
    char hex[33];
    xc_hex (w->id, XC_MSGID_LEN, hex);
    zhashx_delete (self->waits, hex);
    if (w->timer >= 0)
        zloop_timer_end (self->loop, w->timer);
    zframe_destroy (&w->client);
    free (w);
}

void
xc_delivery_destroy (xc_delivery_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_delivery_t *self = *self_p;
    if (self->waits) {
        for (s_wait_t *w = zhashx_first (self->waits); w;
             w = zhashx_first (self->waits))
            s_wait_end (self, w);
        zhashx_destroy (&self->waits);
    }
    zhashx_destroy (&self->retries);
    if (self->timer >= 0)
        zloop_timer_end (self->loop, self->timer);
    free (self);
    *self_p = NULL;
}

/* --------------------------------------------------------------------------
   The schedule
   -------------------------------------------------------------------------- */

/*  Exponential backoff with jitter, so a registration node coming back
    from an outage is not hit by every residence node at the same moment. */
static uint64_t
s_backoff (const xc_delivery_t *self, uint32_t attempts)
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

/*  A home without a connection now gets the notice as soon as it has
    one (s_connected), not only at the next backoff step. */
static void
s_send (xc_delivery_t *self, s_retry_t *r, uint64_t now)
{
    xc_asks_post (self->asks, r->home, r->env, r->env_len);
    r->attempts++;
    r->next_at = now + s_backoff (self, r->attempts);
}

/*  The asks' connect hook: home is connected; its notices go now. */
static void
s_connected (const char *home, void *arg)
{
    xc_delivery_t *self = arg;
    uint64_t now = xc_now_ms ();
    for (s_retry_t *r = zhashx_first (self->retries); r;
         r = zhashx_next (self->retries))
        if (strcmp (r->home, home) == 0)
            s_send (self, r, now);
}

/*  Takes the notice's envelope into the schedule and sends it at once. */
static s_retry_t *
s_schedule (xc_delivery_t *self, xc_outbox_item_t *item, uint64_t now)
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
    char hex[33];
    xc_hex (r->id, XC_MSGID_LEN, hex);
    zhashx_update (self->retries, hex, r);
    s_send (self, r, now);
    return r;
}

static int
s_retry_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_delivery_t *self = arg;
    uint64_t now = xc_now_ms ();
    for (s_retry_t *r = zhashx_first (self->retries); r;
         r = zhashx_next (self->retries))
        if (r->next_at <= now)
            s_send (self, r, now);
    return 0;
}

static int
s_load_one (const xc_outbox_item_t *item, void *arg)
{
    xc_delivery_t *self = arg;
    if (item->state != XC_OUTBOX_PENDING)
        return 0;
    xc_outbox_item_t copy = *item;
    copy.env = malloc (item->env_len);
    if (!copy.env)
        return XC_ENOMEM;
    memcpy (copy.env, item->env, item->env_len);
    if (s_schedule (self, &copy, xc_now_ms ()))
        return 0;
    free (copy.env);
    return XC_ENOMEM;
}

int
xc_delivery_load (xc_delivery_t *self)
{
    MDB_txn *txn = NULL;
    int rc = xc_store_read (self->node->store, &txn);
    if (rc)
        return rc;
    rc = xc_outbox_each (self->node->store, txn, s_load_one, self);
    mdb_txn_abort (txn);
    if (zhashx_size (self->retries))
        xc_info ("%zu notices pending in the outbox; delivering",
                 zhashx_size (self->retries));
    return rc;
}

static int
s_catch_up_one (const xc_outbox_item_t *item, void *arg)
{
    xc_delivery_t *self = arg;
    char hex[33];
    xc_hex (item->id, XC_MSGID_LEN, hex);
    if (zhashx_lookup (self->retries, hex))
        return 0;   /* scheduled already */
    return s_load_one (item, self);
}

void
xc_delivery_catch_up (xc_delivery_t *self)
{
    if (!self->node->outbox_grew)
        return;
    self->node->outbox_grew = 0;
    MDB_txn *txn = NULL;
    int rc = xc_store_read (self->node->store, &txn);
    if (rc == 0) {
        rc = xc_outbox_each (self->node->store, txn, s_catch_up_one, self);
        mdb_txn_abort (txn);
    }
    if (rc)
        xc_warn ("new notices in the outbox not scheduled (%s); they go at "
                 "the next start", xc_strerror (rc));
}

size_t
xc_delivery_pending (const xc_delivery_t *self)
{
    return zhashx_size (self->retries);
}

/* --------------------------------------------------------------------------
   Terminals that wait
   -------------------------------------------------------------------------- */

/*  The wait ran out: the notice is safe in the outbox, only not yet
    acknowledged.  The terminal hears exactly that. */
static int
s_wait_expired (zloop_t *loop, int timer_id, void *arg)
{
    s_wait_t *w = arg;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    xc_clients_notice (w->owner->clients, w->client, &rid, w->id, w->subjects,
                       0, NULL, 0);
    w->timer = -1;
    s_wait_end (w->owner, w);
    return 0;
}

void
xc_delivery_queue (xc_delivery_t *self, xc_outbox_item_t *item,
                   zframe_t *client, const ProtobufCBinaryData *rid,
                   uint32_t wait_ms)
{
    uint8_t id[XC_MSGID_LEN];
    memcpy (id, item->id, sizeof id);
    uint32_t subjects = xc_notice_count (item->env, item->env_len);
    xc_metrics_count (self->node->metrics, "xiecha_notices_queued_total", 1,
                      "peer", item->home, NULL);
    if (!s_schedule (self, item, xc_now_ms ()))
        xc_err ("notice kept in the outbox but not scheduled (no memory)");
    s_wait_t *w = wait_ms ? calloc (1, sizeof *w) : NULL;
    if (!w) {
        xc_clients_notice (self->clients, client, rid, id, subjects, 0, NULL,
                           0);
        return;
    }
    w->subjects = subjects;
    w->client = zframe_dup (client);
    w->request_id_len = rid->len < sizeof w->request_id ? rid->len
                                                        : sizeof w->request_id;
    if (w->request_id_len)   /* an empty id's data is NULL */
        memcpy (w->request_id, rid->data, w->request_id_len);
    memcpy (w->id, id, sizeof id);
    w->owner = self;
    w->timer = zloop_timer (self->loop, wait_ms, 1, s_wait_expired, w);
    char hex[33];
    xc_hex (id, XC_MSGID_LEN, hex);
    zhashx_update (self->waits, hex, w);
}

void
xc_delivery_settled (xc_delivery_t *self, const ProtobufCBinaryData *notice_id,
                     const xc_outcome_t *out, const uint8_t *ack,
                     size_t ack_len)
{
    if (notice_id->len != XC_MSGID_LEN)
        return;
    char hex[33];
    xc_hex (notice_id->data, XC_MSGID_LEN, hex);
    s_retry_t *r = zhashx_lookup (self->retries, hex);
    if (r)
        xc_metrics_count (self->node->metrics,
                          out->code ? "xiecha_notices_rejected_total"
                                    : "xiecha_notices_delivered_total", 1,
                          "peer", r->home, NULL);
    zhashx_delete (self->retries, hex);
    s_wait_t *w = zhashx_lookup (self->waits, hex);
    if (!w)
        return;
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    if (out->code)
        xc_clients_error (self->clients, w->client, &rid, out->code, 0,
                          out->why);
    else
        xc_clients_notice (self->clients, w->client, &rid, w->id, w->subjects,
                           1, ack, ack_len);
    s_wait_end (self, w);
}

/* --------------------------------------------------------------------------
   The listing (xiecha outbox)
   -------------------------------------------------------------------------- */

typedef struct {
    xc_delivery_t *self;
    Xiecha__OutboxItem *items;
    Xiecha__OutboxItem **ptrs;
    char (*homes)[7];
    uint8_t (*ids)[XC_MSGID_LEN];
    char (*notes)[256];
    size_t count, alloc;
} s_listing_t;

/*  The subject refs of the queued notice, so a case worker can find a
    person's notices (xiecha outbox --id); copies, owned by o (freed by the
    listing).  A notice that does not open lists none. */
static void
s_list_subjects (Xiecha__OutboxItem *o, const xc_outbox_item_t *item)
{
    xc_opened_t op;
    memset (&op, 0, sizeof op);
    if (xc_envelope_open (item->env, item->env_len, &op, NULL, 0) == 0
        && op.msg->body_case == XIECHA__SIGNED__BODY_NOTICE) {
        const Xiecha__Notice *n = op.msg->notice;
        o->subjects = calloc (n->n_subjects ? n->n_subjects : 1,
                              sizeof *o->subjects + XC_REF_LEN);
        uint8_t *refs = o->subjects
                            ? (uint8_t *) (o->subjects + n->n_subjects)
                            : NULL;
        for (size_t i = 0; refs && i < n->n_subjects; i++)
            if (n->subjects[i].len == XC_REF_LEN) {
                memcpy (refs + i * XC_REF_LEN, n->subjects[i].data,
                        XC_REF_LEN);
                o->subjects[o->n_subjects++] = (ProtobufCBinaryData) {
                    XC_REF_LEN, refs + i * XC_REF_LEN};
            }
    }
    xc_opened_free (&op);
}

static int
s_list_one (const xc_outbox_item_t *item, void *arg)
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
    s_list_subjects (o, item);
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

void
xc_delivery_list (xc_delivery_t *self, zframe_t *client,
                  const ProtobufCBinaryData *rid)
{
    s_listing_t l = {self, NULL, NULL, NULL, NULL, NULL, 0, S_LIST_MAX};
    l.items = calloc (l.alloc, sizeof *l.items);
    l.ptrs = calloc (l.alloc, sizeof *l.ptrs);
    l.homes = calloc (l.alloc, sizeof *l.homes);
    l.ids = calloc (l.alloc, sizeof *l.ids);
    l.notes = calloc (l.alloc, sizeof *l.notes);
    MDB_txn *txn = NULL;
    int rc = l.items && l.ptrs && l.homes && l.ids && l.notes
                 ? xc_store_read (self->node->store, &txn) : XC_ENOMEM;
    if (rc == 0) {
        rc = xc_outbox_each (self->node->store, txn, s_list_one, &l);
        rc = rc > 0 ? 0 : rc;
        mdb_txn_abort (txn);
    }
    if (rc)
        xc_clients_error (self->clients, client, rid, rc, 0,
                          "cannot read the outbox");
    else {
        Xiecha__OutboxReply o = XIECHA__OUTBOX_REPLY__INIT;
        o.n_items = l.count;
        o.items = l.ptrs;
        Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
        r.body_case = XIECHA__CLIENT_REPLY__BODY_OUTBOX;
        r.outbox = &o;
        xc_clients_send (self->clients, client, rid, &r);
    }
    for (size_t i = 0; i < l.count; i++)
        free (l.items[i].subjects);
    free (l.items);
    free (l.ptrs);
    free (l.homes);
    free (l.ids);
    free (l.notes);
}
