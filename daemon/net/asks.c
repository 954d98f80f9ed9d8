/*  asks.c - outbound queries and their deadlines; see asks.h.

    Reading order: xc_asks_send (a query leaves), xc_asks_answer (its
    answer reaches the terminal), s_deadline (none came in time), then the
    dealers. */
#include "net/asks.h"
#include "net/clients.h"
#include "net/send.h"
#include "node/log.h"

#define S_HANDSHAKE_MS 5000

/*  A query of ours in flight: who asked, and when to give up. */
struct _xc_ask_t {
    xc_pending_t p;            /* what was sent, for binding the answer */
    zframe_t *client;          /* routing id of the asking terminal */
    uint8_t request_id[32];    /* the terminal's request id, echoed back */
    size_t request_id_len;
    int timer;                 /* zloop timer of the deadline; -1 fired */
    xc_asks_t *owner;
};

struct _xc_asks_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed */
    xc_clients_t *clients;     /* replies to terminals; borrowed */
    zloop_reader_fn *on_answer;  /* reader of every dealer */
    void *arg;
    zhashx_t *dealers;         /* home code -> zsock_t * DEALER */
    zhashx_t *waits;           /* query id hex -> xc_ask_t * */
};

static void
s_dealer_free (void **item)
{
    zsock_destroy ((zsock_t **) item);
}

xc_asks_t *
xc_asks_new (xc_node_t *node, zloop_t *loop, xc_clients_t *clients,
             zloop_reader_fn *on_answer, void *arg)
{
    xc_asks_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->clients = clients;
    self->on_answer = on_answer;
    self->arg = arg;
    self->dealers = zhashx_new ();
    self->waits = zhashx_new ();
    if (!self->dealers || !self->waits) {
        xc_asks_destroy (&self);
        return NULL;
    }
    zhashx_set_destructor (self->dealers, s_dealer_free);
    return self;
}

static void
s_forget (xc_asks_t *self, xc_ask_t *w)
{
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_delete (self->waits, hex);
    if (w->timer >= 0)
        zloop_timer_end (self->loop, w->timer);
    zframe_destroy (&w->client);
    xc_pending_free (&w->p);
    free (w);
}

void
xc_asks_destroy (xc_asks_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_asks_t *self = *self_p;
    if (self->waits) {
        for (xc_ask_t *w = zhashx_first (self->waits); w;
             w = zhashx_first (self->waits))
            s_forget (self, w);
        zhashx_destroy (&self->waits);
    }
    zhashx_destroy (&self->dealers);
    free (self);
    *self_p = NULL;
}

/* --------------------------------------------------------------------------
   A query leaves, its answer arrives
   -------------------------------------------------------------------------- */

static int s_deadline (zloop_t *loop, int timer_id, void *arg);

int
xc_asks_send (xc_asks_t *self, xc_pending_t *pending, zframe_t *client,
              const ProtobufCBinaryData *request_id)
{
    zsock_t *dealer = xc_asks_dealer (self, pending->home);
    xc_ask_t *w = calloc (1, sizeof *w);
    if (!dealer || !w
        || xc_send (dealer, NULL, pending->envelope,
                    pending->envelope_len) != 0) {
        free (w);
        return XC_EUNREACHABLE;
    }
    self->node->queries_sent++;
    w->p = *pending;
    memset (pending, 0, sizeof *pending);   /* ownership moved */
    w->client = zframe_dup (client);
    w->request_id_len = request_id->len < sizeof w->request_id
                            ? request_id->len : sizeof w->request_id;
    if (w->request_id_len)   /* an empty id's data is NULL */
        memcpy (w->request_id, request_id->data, w->request_id_len);
    w->owner = self;
    w->timer = zloop_timer (self->loop,
                            (size_t) self->node->config.query_deadline_ms, 1,
                            s_deadline, w);
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_insert (self->waits, hex, w);
    return 0;
}

xc_ask_t *
xc_asks_find (xc_asks_t *self, const ProtobufCBinaryData *msg_id)
{
    if (msg_id->len != XC_MSGID_LEN)
        return NULL;
    char hex[33];
    xc_hex (msg_id->data, XC_MSGID_LEN, hex);
    return zhashx_lookup (self->waits, hex);
}

const xc_pending_t *
xc_ask_pending (const xc_ask_t *ask)
{
    return &ask->p;
}

void
xc_asks_answer (xc_asks_t *self, xc_ask_t *w, const xc_outcome_t *out,
                const uint8_t *cert, size_t cert_len, uint64_t now)
{
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    if (out->code == 0)
        xc_clients_cert (self->clients, w->client, &rid, cert, cert_len, &w->p,
                         now);
    else
        xc_clients_error (self->clients, w->client, &rid, out->code,
                          out->why);
    s_forget (self, w);
}

typedef struct {
    xc_node_t *node;
    xc_ask_t *w;
    uint64_t now;
} s_deadline_t;

static int
s_deadline_write (MDB_txn *txn, void *arg)
{
    s_deadline_t *d = arg;
    return xc_query_deadline (d->node, txn, &d->w->p, d->now);
}

/*  The registration node did not answer in time: record it, tell the
    terminal (exit 3 in the CLI), forget the query. */
static int
s_deadline (zloop_t *loop, int timer_id, void *arg)
{
    xc_ask_t *w = arg;
    xc_asks_t *self = w->owner;
    s_deadline_t d = {self->node, w, xc_now_ms ()};
    int rc = xc_store_write (self->node->store, s_deadline_write, &d);
    if (rc)
        xc_err_rc (rc, "deadline not recorded");
    const xc_trust_node_t *n = xc_trust_node (self->node->trust, w->p.home);
    char why[400];
    snprintf (why, sizeof why, "registration node %s (%s) did not answer "
              "within %d ms", w->p.home, n ? n->endpoint : "?",
              self->node->config.query_deadline_ms);
    xc_warn ("%s", why);
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    xc_clients_error (self->clients, w->client, &rid, XC_EUNREACHABLE, why);
    w->timer = -1;   /* a one-shot timer ends itself */
    s_forget (self, w);
    return 0;
}

/* --------------------------------------------------------------------------
   Outbound DEALERs, one per registration node, created on first use
   -------------------------------------------------------------------------- */

zsock_t *
xc_asks_dealer (xc_asks_t *self, const char *home)
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
    zloop_reader (self->loop, d, self->on_answer, self->arg);
    zhashx_insert (self->dealers, home, d);
    xc_info ("connecting to %s at %s", home, n->endpoint);
    return d;
}

size_t
xc_asks_peers (const xc_asks_t *self)
{
    return zhashx_size (self->dealers);
}

const char *
xc_asks_home (xc_asks_t *self, zsock_t *sock)
{
    for (zsock_t *d = zhashx_first (self->dealers); d;
         d = zhashx_next (self->dealers))
        if (d == sock)
            return zhashx_cursor (self->dealers);
    return NULL;
}
