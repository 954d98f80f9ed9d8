/*  asks.c - outbound queries and their deadlines; see asks.h.

    Reading order: xc_asks_send (a query leaves, or waits for its
    connection), s_writable (the connection came), xc_asks_answer (its
    answer reaches the terminal), s_deadline (none came in time), then the
    dealers. */
#include "net/asks.h"
#include "net/clients.h"
#include "node/log.h"
#include "store/audit.h"

#define S_HANDSHAKE_MS 5000

/*  One registration node: its DEALER, and the queries that wait for the
    DEALER to be connected.  The DEALER is ZMQ_IMMEDIATE: it queues
    nothing for a peer that is not connected, so a query never leaves
    after its asker gave up (it would be answered and counted for no
    one). */
typedef struct {
    zsock_t *sock;             /* the DEALER */
    char home[7];              /* the node it connects to */
    zlistx_t *unsent;          /* xc_ask_t *, oldest first, not yet sent */
    bool notify;               /* a notice waits for the connection */
    bool polling;              /* the writer is registered (reactor.h) */
    xc_asks_t *owner;
} s_peer_t;

/*  A query of ours in flight: who asked, and when to give up. */
struct _xc_ask_t {
    xc_pending_t p;            /* what was sent, for binding the answer */
    zframe_t *client;          /* routing id of the asking terminal */
    uint8_t request_id[32];    /* the terminal's request id, echoed back */
    size_t request_id_len;
    int timer;                 /* zloop timer of the deadline; -1 fired */
    s_peer_t *peer;            /* the registration node's dealer */
    void *queued;              /* its handle in peer->unsent; NULL: sent */
    bool taken;                /* an answer of this batch ends it */
    bool was_logged;           /* p.logged before a write that the store
                                  may run again (it grew the map) */
    xc_asks_t *owner;
};

struct _xc_asks_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed: the deadlines' timers */
    xc_reactor_t *reactor;     /* reads the dealers; borrowed */
    xc_clients_t *clients;     /* replies to terminals; borrowed */
    xc_reactor_fn *on_answer;  /* reader of every dealer */
    void *arg;
    xc_asks_connect_fn *on_connect;  /* notices wait for a connection */
    void *connect_arg;
    xc_asks_dealer_fn *on_dealer;    /* peerwatch.h */
    void *dealer_arg;
    zhashx_t *dealers;         /* home code -> s_peer_t * */
    zhashx_t *waits;           /* query id hex -> xc_ask_t * */
};

static void s_poll (s_peer_t *peer, bool on);

static void
s_peer_free (void **item)
{
    s_peer_t *peer = *item;
    if (!peer)
        return;
    s_poll (peer, false);
    zlistx_destroy (&peer->unsent);
    xc_reactor_reader_end (peer->owner->reactor, peer->sock);
    zsock_destroy (&peer->sock);
    free (peer);
    *item = NULL;
}

xc_asks_t *
xc_asks_new (xc_node_t *node, zloop_t *loop, xc_reactor_t *reactor,
             xc_clients_t *clients, xc_reactor_fn *on_answer, void *arg)
{
    xc_asks_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->reactor = reactor;
    self->clients = clients;
    self->on_answer = on_answer;
    self->arg = arg;
    self->dealers = zhashx_new ();
    self->waits = zhashx_new ();
    if (!self->dealers || !self->waits) {
        xc_asks_destroy (&self);
        return NULL;
    }
    zhashx_set_destructor (self->dealers, s_peer_free);
    return self;
}

void
xc_asks_on_connect (xc_asks_t *self, xc_asks_connect_fn *fn, void *arg)
{
    self->on_connect = fn;
    self->connect_arg = arg;
}

static void
s_forget (xc_asks_t *self, xc_ask_t *w)
{
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_delete (self->waits, hex);
    if (w->timer >= 0)
        zloop_timer_end (self->loop, w->timer);
    if (w->queued)   /* never sent, and now never will be */
        zlistx_delete (w->peer->unsent, w->queued);
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
   A query leaves, or waits for its connection
   -------------------------------------------------------------------------- */

static int s_deadline (zloop_t *loop, int timer_id, void *arg);
static s_peer_t *s_peer (xc_asks_t *self, const char *home);

/*  Hands bytes to the DEALER without blocking: -1 while it has no
    connection to hand them to (ZMQ_IMMEDIATE), its queue is full, or
    memory is short.  zmq_send, not CZMQ's frames (net/send.h): a body
    libzmq could not allocate is dropped, never closed half-made, and the
    query waits for the next POLLOUT as when there is no connection. */
static int
s_transmit (s_peer_t *peer, const uint8_t *bytes, size_t len)
{
    int rc = zmq_send (zsock_resolve (peer->sock), bytes, len, ZMQ_DONTWAIT);
    xc_reactor_sent (peer->owner->reactor, peer->sock);
    return rc == (int) len ? 0 : -1;
}

static void
s_sent (xc_asks_t *self, xc_ask_t *w)
{
    w->queued = NULL;
    self->node->queries_sent++;
    xc_metrics_count (self->node->metrics, "xiecha_queries_sent_total", 1,
                      "peer", w->p.home, NULL);
}

int
xc_asks_send (xc_asks_t *self, xc_pending_t *pending, zframe_t *client,
              const ProtobufCBinaryData *request_id)
{
    s_peer_t *peer = s_peer (self, pending->home);
    xc_ask_t *w = peer ? calloc (1, sizeof *w) : NULL;
    if (!w)
        return XC_EUNREACHABLE;
    w->p = *pending;
    memset (pending, 0, sizeof *pending);   /* ownership moved */
    w->client = zframe_dup (client);
    w->request_id_len = request_id->len < sizeof w->request_id
                            ? request_id->len : sizeof w->request_id;
    if (w->request_id_len)   /* an empty id's data is NULL */
        memcpy (w->request_id, request_id->data, w->request_id_len);
    w->owner = self;
    w->peer = peer;
    if (s_transmit (peer, w->p.envelope, w->p.envelope_len) == 0)
        s_sent (self, w);
    else {   /* sent when the connection comes, if before the deadline */
        w->queued = zlistx_add_end (peer->unsent, w);
        s_poll (peer, true);
    }
    w->timer = zloop_timer (self->loop,
                            (size_t) self->node->config.query_deadline_ms, 1,
                            s_deadline, w);
    char hex[33];
    xc_hex (w->p.msg_id, XC_MSGID_LEN, hex);
    zhashx_insert (self->waits, hex, w);
    return 0;
}

int
xc_asks_post (xc_asks_t *self, const char *home, const uint8_t *bytes,
              size_t len)
{
    s_peer_t *peer = s_peer (self, home);
    if (!peer)
        return XC_EUNREACHABLE;
    if (s_transmit (peer, bytes, len) == 0)
        return 0;
    peer->notify = true;
    s_poll (peer, true);
    return XC_EUNREACHABLE;
}

/*  POLLOUT on a DEALER: a connection is there.  Sends the queries that
    waited for it, oldest first, then tells the notice schedule. */
static int
s_writable (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    s_peer_t *peer = arg;
    xc_asks_t *self = peer->owner;
    for (xc_ask_t *w = zlistx_first (peer->unsent); w;
         w = zlistx_first (peer->unsent)) {
        if (s_transmit (peer, w->p.envelope, w->p.envelope_len) != 0)
            return 0;   /* full again: the next POLLOUT goes on */
        zlistx_delete (peer->unsent, w->queued);
        s_sent (self, w);
    }
    if (peer->notify) {
        peer->notify = false;
        if (self->on_connect)
            self->on_connect (peer->home, self->connect_arg);
    }
    if (!peer->notify)
        s_poll (peer, false);
    return 0;
}

/*  A writer only while something waits: a connected DEALER is
    always writable, and would wake the loop on every turn. */
static void
s_poll (s_peer_t *peer, bool on)
{
    if (peer->polling == on || !peer->sock)
        return;
    xc_reactor_t *reactor = peer->owner->reactor;
    if (on && xc_reactor_writer (reactor, peer->sock, s_writable, peer) != 0)
        return;
    if (!on)
        xc_reactor_writer_end (reactor, peer->sock);
    peer->polling = on;
}

/* --------------------------------------------------------------------------
   Its answer arrives
   -------------------------------------------------------------------------- */

xc_ask_t *
xc_asks_find (xc_asks_t *self, const ProtobufCBinaryData *msg_id)
{
    if (msg_id->len != XC_MSGID_LEN)
        return NULL;
    char hex[33];
    xc_hex (msg_id->data, XC_MSGID_LEN, hex);
    return zhashx_lookup (self->waits, hex);
}

xc_pending_t *
xc_ask_pending (xc_ask_t *ask)
{
    return ask->taken ? NULL : &ask->p;
}

void
xc_ask_take (xc_ask_t *ask, bool taken)
{
    ask->taken = taken;
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
                          out->cause, out->why);
    s_forget (self, w);
}

/* --------------------------------------------------------------------------
   None came in time
   -------------------------------------------------------------------------- */

typedef struct {
    xc_node_t *node;
    xc_ask_t *w;
    uint64_t now;
} s_deadline_t;

/*  The query's last entries (query.h), under its asker's name. */
static int
s_end_write (MDB_txn *txn, xc_node_t *node, xc_ask_t *w, uint64_t now,
             const char *abandoned)
{
    int sent = w->queued == NULL;
    w->p.logged = w->was_logged;   /* a run again starts afresh */
    xc_audit_actor_set (w->p.actor);
    int rc = abandoned
                 ? xc_query_abandoned (node, txn, &w->p, sent, now, abandoned)
                 : xc_query_deadline (node, txn, &w->p, sent, now);
    xc_audit_actor_set (NULL);
    return rc;
}

static int
s_deadline_write (MDB_txn *txn, void *arg)
{
    s_deadline_t *d = arg;
    return s_end_write (txn, d->node, d->w, d->now, NULL);
}

/*  No answer in time: record it, tell the terminal (exit 3 in the CLI),
    forget the query.  A query that never found its connection is
    dropped unsent: it must not reach the registration node after its
    asker was told it is unreachable. */
static int
s_deadline (zloop_t *loop, int timer_id, void *arg)
{
    xc_ask_t *w = arg;
    xc_asks_t *self = w->owner;
    s_deadline_t d = {self->node, w, xc_now_ms ()};
    w->was_logged = w->p.logged;
    int rc = xc_store_write (self->node->store, s_deadline_write, &d);
    if (rc)
        xc_err_rc (rc, "deadline not recorded");
    const xc_trust_node_t *n = xc_trust_node (self->node->trust, w->p.home);
    char why[400];
    if (w->queued)
        snprintf (why, sizeof why, "registration node %s (%s) could not be "
                  "reached within %d ms: no connection (the node is down or "
                  "does not accept this node's CURVE key); the query was "
                  "not sent", w->p.home, n ? n->endpoint : "?",
                  self->node->config.query_deadline_ms);
    else
        snprintf (why, sizeof why, "registration node %s (%s) did not "
                  "answer within %d ms", w->p.home, n ? n->endpoint : "?",
                  self->node->config.query_deadline_ms);
    xc_warn ("%s", why);
    ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
    xc_clients_error (self->clients, w->client, &rid, XC_EUNREACHABLE, 0,
                      why);
    w->timer = -1;   /* a one-shot timer ends itself */
    s_forget (self, w);
    return 0;
}

/* --------------------------------------------------------------------------
   The node stops with queries in flight
   -------------------------------------------------------------------------- */

#define S_ABANDONED "the node stopped before the answer came"

static int
s_abandon_write (MDB_txn *txn, void *arg)
{
    s_deadline_t *d = arg;
    xc_asks_t *self = d->w->owner;
    for (xc_ask_t *w = zhashx_first (self->waits); w;
         w = zhashx_next (self->waits)) {
        int rc = s_end_write (txn, d->node, w, d->now, S_ABANDONED);
        if (rc)
            return rc;
    }
    return 0;
}

void
xc_asks_abandon (xc_asks_t *self)
{
    xc_ask_t *first = zhashx_first (self->waits);
    if (!first)
        return;
    s_deadline_t d = {self->node, first, xc_now_ms ()};
    for (xc_ask_t *w = first; w; w = zhashx_next (self->waits))
        w->was_logged = w->p.logged;
    int rc = xc_store_write (self->node->store, s_abandon_write, &d);
    if (rc)
        xc_err_rc (rc, "%zu queries in flight at the stop not recorded",
                   zhashx_size (self->waits));
    for (xc_ask_t *w = zhashx_first (self->waits); w;
         w = zhashx_first (self->waits)) {
        ProtobufCBinaryData rid = {w->request_id_len, w->request_id};
        xc_clients_error (self->clients, w->client, &rid, XC_EUNREACHABLE, 0,
                          S_ABANDONED);
        s_forget (self, w);
    }
}

/* --------------------------------------------------------------------------
   Outbound DEALERs, one per registration node, created on first use
   -------------------------------------------------------------------------- */

static zsock_t *
s_dealer_new (xc_asks_t *self, const char *home, const xc_trust_node_t *n)
{
    zsock_t *d = zsock_new (ZMQ_DEALER);
    if (!d)
        return NULL;
    zcert_apply (self->node->curve, d);
    zsock_set_curve_serverkey (d, n->curve);
    zsock_set_maxmsgsize (d, self->node->config.max_message_bytes);
    zsock_set_linger (d, 0);
    zsock_set_sndhwm (d, 10000);
    zsock_set_sndtimeo (d, 0);
    zsock_set_handshake_ivl (d, S_HANDSHAKE_MS);
    zsock_set_immediate (d, 1);
    if (zsock_connect (d, "%s", n->endpoint) != 0) {
        xc_log_event (XC_LOG_ERR, "peer_connect",
                      XC_KV ("peer", home, "ok", "false"),
                      "cannot connect to %s at %s", home, n->endpoint);
        zsock_destroy (&d);
    }
    return d;
}

static s_peer_t *
s_peer (xc_asks_t *self, const char *home)
{
    s_peer_t *peer = zhashx_lookup (self->dealers, home);
    if (peer)
        return peer;
    const xc_trust_node_t *n = xc_trust_node (self->node->trust, home);
    if (!n || !(peer = calloc (1, sizeof *peer)))
        return NULL;
    peer->owner = self;
    snprintf (peer->home, sizeof peer->home, "%s", home);
    peer->unsent = zlistx_new ();
    peer->sock = peer->unsent ? s_dealer_new (self, home, n) : NULL;
    if (!peer->sock) {
        zlistx_destroy (&peer->unsent);
        free (peer);
        return NULL;
    }
    if (xc_reactor_reader (self->reactor, peer->sock, self->on_answer,
                           self->arg) != 0) {
        zlistx_destroy (&peer->unsent);
        zsock_destroy (&peer->sock);
        free (peer);
        return NULL;
    }
    zhashx_insert (self->dealers, home, peer);
    if (self->on_dealer)
        self->on_dealer (home, peer->sock, self->dealer_arg);
    xc_info ("connecting to %s at %s", home, n->endpoint);
    return peer;
}

void
xc_asks_on_dealer (xc_asks_t *self, xc_asks_dealer_fn *fn, void *arg)
{
    self->on_dealer = fn;
    self->dealer_arg = arg;
}

zsock_t *
xc_asks_dealer (xc_asks_t *self, const char *home)
{
    s_peer_t *peer = s_peer (self, home);
    return peer ? peer->sock : NULL;
}

size_t
xc_asks_peers (const xc_asks_t *self)
{
    return zhashx_size (self->dealers);
}

const char *
xc_asks_home (xc_asks_t *self, zsock_t *sock)
{
    for (s_peer_t *peer = zhashx_first (self->dealers); peer;
         peer = zhashx_next (self->dealers))
        if (peer->sock == sock)
            return peer->home;
    return NULL;
}
