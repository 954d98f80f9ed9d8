/*  transport.c - where messages enter and leave.

    Reading order: xc_transport_new binds everything; the three doors
    messages come in by follow:

      s_peer_ready     envelopes from other nodes (registration side):
                       each goes to decide/intake.h in one write
                       transaction for the batch; answers after commit
      s_client_ready   township terminals: the batch goes to the request
                       table (requests.h)
      s_answer_ready   answers on our dealers (residence side): the
                       batch goes to answers.h, which opens them, has
                       decide/intake.h check and decide them, then hands
                       each to the waiting query (asks.h) or the notice
                       schedule (delivery.h)

    and ZAP (who may open a CURVE session) and the timers after them
    (checkpoints, the scrub of the store).
    Each door drains up to limits/batch_max messages (batch.h), decides
    them all in ONE write transaction, and sends only after the commit.
    The doors are read by the reactor (reactor.h), which calls a door
    only when its socket signalled or is left due; the timers are the
    loop's. */
#include <czmq.h>
#include <errno.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decide/audit_seal.h"
#include "decide/intake.h"
#include "decide/refusal.h"
#include "net/answers.h"
#include "net/asks.h"
#include "net/batch.h"
#include "net/delivery.h"
#include "net/metrics_http.h"
#include "net/observe.h"
#include "net/peerwatch.h"
#include "net/reactor.h"
#include "net/requests.h"
#include "net/send.h"
#include "net/transport.h"
#include "net/worker.h"
#include "node/log.h"
#include "node/reload.h"
#include "store/audit.h"

#define S_ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define S_ZAP_DOMAIN "xiecha"          /* the peer socket: trust list */
#define S_ZAP_TERMINALS "terminals"    /* terminal_bind: node/terminals */
#define S_CLIENT_MAX_MESSAGE (8 * 1024 * 1024)
#define S_HANDSHAKE_MS 5000
#define S_SPACE_TICK_MS 1000

struct _xc_transport_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* the timers, and the reactor's poll */
    xc_reactor_t *reactor;     /* reads every socket; destroyed last */
    zsock_t *peer;             /* ROUTER for peers, CURVE server */
    zsock_t *client;           /* ROUTER for township terminals */
    xc_clients_t *clients;     /* replies to them, what each has open */
    zsock_t *zap;              /* ZAP handler */
    xc_asks_t *asks;           /* outbound queries and dealers */
    xc_delivery_t *delivery;   /* the outbox's schedule */
    xc_worker_t *worker;       /* back office thread */
    xc_requests_t *requests;   /* the client request table */
    bool short_said;           /* the log says the disk is full */
    xc_metrics_http_t *http;   /* metrics/bind, or NULL (off) */
    xc_peerwatch_t *watch;     /* connections of the peer sockets */
    xc_observe_args_t observe; /* what the metrics tick reads */
};

typedef struct {
    xc_transport_t *self;
    xc_item_t *items;
    size_t count;
    uint64_t now;
    zsock_t *sock;             /* the socket the batch came on */
} s_batch_t;

/* --------------------------------------------------------------------------
   Door 1: peers (registration side)
   -------------------------------------------------------------------------- */

/*  One envelope, in its own nested transaction (batch.h). */
static int
s_peer_one (MDB_txn *txn, xc_item_t *it, void *arg)
{
    s_batch_t *b = arg;
    xc_node_t *node = b->self->node;
    const char *peer = it->peer[0] ? it->peer : NULL;
    free (it->reply);
    it->reply = NULL;
    memset (&it->out, 0, sizeof it->out);
    zframe_t *payload = xc_batch_payload (it);
    if (!payload) {
        /* Frames are our only framing: anything else is malformed. */
        static const char why[] = "envelope must be exactly one frame";
        xc_outcome_set (&it->out, XC_EMALFORMED, "%s", why);
        return xc_refusal_audit (node, txn, peer, b->now, XC_EMALFORMED,
                                 "message", why, NULL, 0, NULL, NULL);
    }
    return xc_intake_peer (node, txn, zframe_data (payload),
                           zframe_size (payload), peer, b->now, &it->reply,
                           &it->reply_len, &it->out);
}

static int
s_peer_batch (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    return xc_batch_nest (txn, b->items, b->count, s_peer_one, b);
}

/*  The metrics of one peer message decided: answered, or refused by
    reason (the wire's name of it). */
static void
s_count_peer (xc_node_t *node, const xc_item_t *it)
{
    const char *peer = it->peer[0] ? it->peer : "unknown";
    if (it->out.code == 0 && !it->failed)
        xc_metrics_count (node->metrics, "xiecha_queries_answered_total", 1,
                          "peer", peer, NULL);
    else
        xc_metrics_count (node->metrics, "xiecha_peer_refused_total", 1,
                          "peer", peer, "reason",
                          it->failed ? "ERR_INTERNAL"
                                     : xc_errcode_name (xc_errcode_from_xc (
                                           it->out.code)), NULL);
}

/*  Returns 0: the replies go out on the door's own socket, which the
    reactor must look at again after them. */
static int
s_peer_ready (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    xc_node_t *node = self->node;
    size_t count = 0;
    bool drained;
    xc_item_t *items = xc_batch_drain (
        sock, (size_t) node->config.batch_max, &count, &drained);
    if (!items)
        return drained ? XC_REACTOR_DRAINED : 0;
    s_batch_t b = {self, items, count, xc_now_ms (), sock};
    uint64_t t0 = xc_observe_clock_us ();
    int rc = xc_store_write (node->store, s_peer_batch, &b);
    xc_observe_commit (node, count, t0);
    if (rc) {
        /* Nothing was committed, so nothing may be answered: the senders'
           deadlines run out and they retry or report. */
        xc_err_rc (rc, "peer batch of %zu not stored", count);
        xc_batch_free (items, count);
        return 0;
    }
    xc_delivery_catch_up (self->delivery);   /* conflict notices */
    for (size_t i = 0; i < count; i++) {
        xc_item_t *it = &items[i];
        if (it->out.code == 0 && !it->failed)
            node->queries_answered++;
        else
            node->refused++;
        s_count_peer (node, it);
        if (it->reply && !it->failed)
            xc_send (sock, zmsg_first (it->msg), it->reply, it->reply_len);
    }
    xc_batch_free (items, count);
    return 0;
}

/* --------------------------------------------------------------------------
   Door 2: township terminals (residence side)
   -------------------------------------------------------------------------- */

/*  The replies go through clients.h, which reports each send to the
    reactor: the door itself says only whether it read to the end. */
static int
s_client_ready (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    size_t count = 0;
    bool drained;
    xc_item_t *items = xc_batch_drain (
        sock, (size_t) self->node->config.batch_max, &count, &drained);
    if (items)
        xc_requests_batch (self->requests, items, count);
    xc_batch_free (items, count);
    return drained ? XC_REACTOR_DRAINED : 0;
}

/*  A back-office reply: [routing id][ClientReply] on to the terminal.  A
    job that could not even build a reply sends the id alone; that
    terminal's own timeout then tells it. */
static int
s_worker_ready (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    //  Readable, so the first receive does not wait; the rest are asked
    //  for, to the look that finds none, and at most a batch's worth.
    int max = self->node->config.batch_max;
    for (int n = 0; n < max; n++) {
        if (n > 0 && !(zsock_events (sock) & ZMQ_POLLIN))
            return XC_REACTOR_DRAINED;
        zmsg_t *msg = xc_worker_recv (self->worker);
        xc_clients_forward (self->clients, &msg);
    }
    return 0;
}

/* --------------------------------------------------------------------------
   Door 3: answers from registration nodes (residence side): answers.h
   -------------------------------------------------------------------------- */

/*  What answers.h sends goes through clients.h and asks.h, which report
    their sends to the reactor. */
static int
s_answer_ready (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    xc_transport_t *self = arg;
    size_t count = 0;
    bool drained;
    xc_item_t *items = xc_batch_drain (
        sock, (size_t) self->node->config.batch_max, &count, &drained);
    if (items)
        xc_answers_batch (self->node, self->asks, self->delivery, items,
                          count, xc_now_ms (),
                          xc_asks_home (self->asks, sock));
    xc_batch_free (items, count);
    return drained ? XC_REACTOR_DRAINED : 0;
}

/* --------------------------------------------------------------------------
   ZAP: who may open a CURVE session with the peer socket
   -------------------------------------------------------------------------- */

/*  A peer's key: it must belong to a trust-list node, which is named as
    the User-Id so the message's origin on the wire is known to the
    decisions.  Returns the node's code or NULL. */
static const char *
s_zap_peer (xc_transport_t *self, const char *z85, const char *address)
{
    for (size_t i = 0; i < xc_trust_size (self->node->trust); i++) {
        const xc_trust_node_t *n = xc_trust_at (self->node->trust, i);
        if (streq (n->curve, z85))
            return n->code;
    }
    xc_log_event (XC_LOG_WARN, "refused",
                  XC_KV ("door", "curve", "address", address, "reason",
                         "ERR_UNKNOWN_SENDER"),
                  "CURVE handshake from %s refused: key %s is not in the "
                  "trust list", address, z85[0] ? z85 : "?");
    return NULL;
}

/*  A terminal's key: listed in node/terminals, valid and not revoked;
    its id is the User-Id every request it sends carries (access.h). */
static const char *
s_zap_terminal (xc_transport_t *self, const char *z85, const char *address)
{
    char why[256];
    const char *id = xc_access_admit (self->node->access, z85, xc_now_ms (),
                                      why, sizeof why);
    if (!id)
        xc_log_event (XC_LOG_WARN, "refused",
                      XC_KV ("door", "terminal", "address", address),
                      "terminal handshake from %s refused: %s", address, why);
    return id;
}

/*  libzmq asks us about every CURVE handshake, of both sockets: one
    handler, a domain each.  One request a turn (REP): the reactor looks
    again after the reply. */
static int
s_zap_ready (xc_reactor_t *reactor, zsock_t *sock, void *arg)
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

    const char *user = NULL;
    char z85[41] = "";
    if (mechanism && streq (mechanism, "CURVE") && key
        && zframe_size (key) == 32 && domain) {
        zmq_z85_encode (z85, zframe_data (key), 32);
        const char *from = address ? address : "?";
        if (streq (domain, S_ZAP_TERMINALS))
            user = s_zap_terminal (self, z85, from);
        else if (streq (domain, S_ZAP_DOMAIN))
            user = s_zap_peer (self, z85, from);
    }
    if (!user)
        self->node->auth_failures++;
    zsock_send (sock, "ssssss", version ? version : "1.0",
                request_id ? request_id : "", user ? "200" : "400",
                user ? "OK" : "key not admitted", user ? user : "", "");
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

/*  The IPC socket's group and mode (node/client_ipc_group, _mode): who
    on this host is the local administrator.  The umask made it 0600. */
static int
s_ipc_access (const xc_config_t *c, char *why, size_t why_len)
{
    const char *path = c->client_bind + strlen ("ipc://");
    if (*path == '@')
        return 0;   /* abstract: no file */
    if (c->client_ipc_group[0]) {
        struct group *g = getgrnam (c->client_ipc_group);
        if (!g)
            return xc_why (why, why_len, XC_ECONFIG, "node/client_ipc_group: "
                           "no group '%s' on this host", c->client_ipc_group);
        if (chown (path, (uid_t) -1, g->gr_gid) != 0)
            return xc_why (why, why_len, XC_EIO, "node/client_ipc_group: "
                           "cannot give %s to group %s: %s", path,
                           c->client_ipc_group, strerror (errno));
    }
    if (chmod (path, (mode_t) c->client_ipc_mode) != 0)
        return xc_why (why, why_len, XC_EIO, "node/client_ipc_mode: cannot "
                       "set %s to %04o: %s", path, c->client_ipc_mode,
                       strerror (errno));
    return 0;
}

/*  The terminals' endpoint, on the same ROUTER as the IPC one: libzmq
    takes the security options into each endpoint when it is bound, so
    IPC stays plain (the local admin, no ZAP, no User-Id) and this one is
    a CURVE server with the node's key whose ZAP domain admits only
    node/terminals.  One socket, so every reply path (clients.h) serves
    both. */
static int
s_bind_terminals (xc_transport_t *self, char *why, size_t why_len)
{
    const xc_config_t *c = &self->node->config;
    if (!c->terminal_bind[0])
        return 0;
    zcert_apply (self->node->curve, self->client);
    zsock_set_curve_server (self->client, 1);
    zsock_set_zap_domain (self->client, S_ZAP_TERMINALS);
    zsock_set_handshake_ivl (self->client, S_HANDSHAKE_MS);
    if (zsock_bind (self->client, "%s", c->terminal_bind) < 0)
        return xc_why (why, why_len, XC_EIO,
                       "node/terminal_bind: cannot bind %s: %s",
                       c->terminal_bind, zmq_strerror (zmq_errno ()));
    return 0;
}

static int
s_bind (xc_transport_t *self, char *why, size_t why_len)
{
    xc_config_t *c = &self->node->config;
    self->zap = zsock_new (ZMQ_REP);
    if (!self->zap || zsock_bind (self->zap, S_ZAP_ENDPOINT) != 0)
        return xc_why (why, why_len, XC_EIO, "cannot bind ZAP handler");

    self->peer = zsock_new (ZMQ_ROUTER);
    if (!self->peer)
        return xc_why (why, why_len, XC_ENOMEM, "cannot create peer socket");
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
    if (!self->client)
        return xc_why (why, why_len, XC_ENOMEM,
                       "cannot create client socket");
    zsock_set_maxmsgsize (self->client, S_CLIENT_MAX_MESSAGE);
    /* A terminal that sends without reading fills its own queues, not
       the node's memory: the ROUTER stops reading from it at the
       receive mark and drops its replies at the send mark. */
    zsock_set_sndhwm (self->client, c->client_hwm);
    zsock_set_rcvhwm (self->client, c->client_hwm);
    zsock_set_linger (self->client, 1000);
    if (zsock_bind (self->client, "%s", c->client_bind) < 0)
        return xc_why (why, why_len, XC_EIO,
                       "node/client_bind: cannot bind %s: %s", c->client_bind,
                       zmq_strerror (zmq_errno ()));
    int rc = s_ipc_access (c, why, why_len);
    return rc ? rc : s_bind_terminals (self, why, why_len);
}

/*  Signs a checkpoint over the audit log if it grew since the last one.
    A failure is logged and retried next tick: service goes on. */
static int
s_checkpoint_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    int rc = xc_store_write (self->node->store, xc_audit_seal_tick,
                             self->node);
    if (rc)
        xc_log_rc (XC_LOG_WARN, rc, "audit checkpoint not written");
    return 0;
}

/*  The disk reserve (store.h): while the store is short of space, tries
    once a second to allocate it again, so the node takes imports,
    notices and check-ins again as soon as space is freed, without a
    restart.  Says so in the log when either happens. */
static int
s_space_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    xc_store_t *store = self->node->store;
    int rc = xc_store_short (store) ? xc_store_space (store) : 0;
    if (xc_store_short (store) && !self->short_said)
        xc_log_rc (XC_LOG_ERR, rc ? rc : XC_ENOSPC, "the data disk has no "
                   "room for the %zu MiB reserve: refusing imports, notices "
                   "and check-ins until space is freed",
                   xc_store_reserve (store) >> 20);
    else if (!xc_store_short (store) && self->short_said)
        xc_info ("the data disk has room again: taking imports, notices and "
                 "check-ins");
    self->short_said = xc_store_short (store);
    return 0;
}

/*  Asks the back office for a scrub of the whole store; one already
    running (asked for by a terminal) answers for this one too. */
static int
s_scrub_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    xc_worker_scrub (self->worker);
    return 0;
}

/*  Writes the summaries of peers' refusals beyond their audit budget
    whose minute is over (decide/refusal.h).  Asked every second, it
    opens a write transaction only when one is due. */
static int
s_refusals_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_transport_t *self = arg;
    if (xc_limits_due (self->node->limits, xc_now_ms (), 0)
        && xc_store_write (self->node->store, xc_refusal_flush_tick,
                           self->node) != 0)
        xc_warn ("refusal summaries not written; next tick tries again");
    return 0;
}

/*  The parts, each with its state: replies to terminals (clients),
    dealers and waiting queries (asks), the notice schedule (delivery),
    the back office (worker) and the request table (requests), which
    uses them all. */
static int
s_parts (xc_transport_t *self, char *why, size_t why_len)
{
    xc_node_t *node = self->node;
    self->clients = xc_clients_new (self->client,
                                    node->config.client_outstanding,
                                    self->reactor);
    self->asks = self->clients
                     ? xc_asks_new (node, self->loop, self->reactor,
                                    self->clients, s_answer_ready, self)
                     : NULL;
    self->delivery = self->asks ? xc_delivery_new (node, self->loop,
                                                   self->clients, self->asks)
                                : NULL;
    if (!self->delivery)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    self->worker = xc_worker_new (node, self->reactor);
    if (!self->worker)
        return xc_why (why, why_len, XC_EINTERNAL,
                       "cannot start the worker thread");
    self->requests = xc_requests_new (node, self->loop, self->clients,
                                      self->asks, self->delivery,
                                      self->worker);
    if (!self->requests)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    if (xc_delivery_load (self->delivery) != 0)
        return xc_why (why, why_len, XC_ESTORE, "cannot read the outbox");
    return 0;
}

static void
s_watch_dealer (const char *home, zsock_t *sock, void *arg)
{
    xc_peerwatch_add (arg, sock, home);
}

xc_transport_t *
xc_transport_new (xc_node_t *node, char *why, size_t why_len)
{
    xc_transport_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        return NULL;
    }
    self->node = node;
    self->loop = zloop_new ();
    self->reactor = self->loop ? xc_reactor_new (self->loop) : NULL;
    if (!self->reactor) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        xc_transport_destroy (&self);
        return NULL;
    }
    if (s_bind (self, why, why_len) != 0
        || s_parts (self, why, why_len) != 0) {
        xc_transport_destroy (&self);
        return NULL;
    }
    if (xc_reactor_reader (self->reactor, xc_worker_sock (self->worker),
                           s_worker_ready, self) != 0
        || xc_reactor_reader (self->reactor, self->zap, s_zap_ready, self)
        || xc_reactor_reader (self->reactor, self->peer, s_peer_ready, self)
        || xc_reactor_reader (self->reactor, self->client, s_client_ready,
                              self)) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        xc_transport_destroy (&self);
        return NULL;
    }
    zloop_timer (self->loop, XC_RELOAD_TICK_MS, 0, xc_reload_tick, node);
    zloop_timer (self->loop, S_SPACE_TICK_MS, 0, s_space_tick, self);
    zloop_timer (self->loop,
                 (size_t) node->config.checkpoint_interval_s * 1000, 0,
                 s_checkpoint_tick, self);
    if (node->config.scrub_interval_s > 0)
        zloop_timer (self->loop, (size_t) node->config.scrub_interval_s * 1000,
                     0, s_scrub_tick, self);
    zloop_timer (self->loop, 1000, 0, s_refusals_tick, self);
    self->watch = xc_peerwatch_new (node, self->reactor);
    xc_peerwatch_add (self->watch, self->peer, "");
    xc_asks_on_dealer (self->asks, s_watch_dealer, self->watch);
    self->observe = (xc_observe_args_t) {node, self->asks};
    xc_observe_tick (self->loop, 0, &self->observe);
    zloop_timer (self->loop, 1000, 0, xc_observe_tick, &self->observe);
    if (node->config.metrics_bind[0]
        && !(self->http = xc_metrics_http_new (node->metrics,
                                               node->config.metrics_bind,
                                               why, why_len))) {
        xc_transport_destroy (&self);
        return NULL;
    }
    return self;
}

int
xc_transport_run (xc_transport_t *self)
{
    const xc_config_t *c = &self->node->config;
    xc_info ("node %s (%s) serving peers on %s, clients on %s%s%s (%zu "
             "terminals listed)", c->code, c->name, c->peer_bind,
             c->client_bind, c->terminal_bind[0] ? ", terminals on " : "",
             c->terminal_bind,
             xc_terminals_size (xc_access_list (self->node->access)));
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
    if (self->asks)
        xc_asks_abandon (self->asks);   /* while terminals can hear it */
    xc_metrics_http_destroy (&self->http);
    xc_peerwatch_destroy (&self->watch);
    //  Each socket leaves the reactor before its owner closes it.
    if (self->worker)
        xc_reactor_reader_end (self->reactor, xc_worker_sock (self->worker));
    xc_worker_destroy (&self->worker);
    xc_requests_destroy (&self->requests);
    xc_delivery_destroy (&self->delivery);
    xc_asks_destroy (&self->asks);
    xc_clients_destroy (&self->clients);
    xc_reactor_reader_end (self->reactor, self->client);
    xc_reactor_reader_end (self->reactor, self->peer);
    xc_reactor_reader_end (self->reactor, self->zap);
    zsock_destroy (&self->client);
    zsock_destroy (&self->peer);
    zsock_destroy (&self->zap);
    xc_reactor_destroy (&self->reactor);
    zloop_destroy (&self->loop);
    free (self);
    *self_p = NULL;
}
