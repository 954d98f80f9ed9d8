/*  peerwatch.c - socket monitors of our peer connections.  See
    peerwatch.h. */
#include <errno.h>

#include "net/peerwatch.h"
#include "node/log.h"

typedef struct {
    zsock_t *pair;             /* the monitor's receiving end */
    zsock_t *watched;          /* borrowed */
    char peer[7];              /* "" : the peer socket */
    xc_peerwatch_t *owner;
} s_watch_t;

struct _xc_peerwatch_t {
    xc_node_t *node;           /* borrowed */
    xc_reactor_t *reactor;     /* reads the monitors; borrowed */
    zlistx_t *watches;         /* s_watch_t * */
    unsigned next;             /* for unique inproc endpoints */
};

static void
s_watch_free (void **item)
{
    s_watch_t *w = *item;
    if (!w)
        return;
    xc_reactor_reader_end (w->owner->reactor, w->pair);
    zmq_socket_monitor (zsock_resolve (w->watched), NULL, 0);
    zsock_destroy (&w->pair);
    free (w);
    *item = NULL;
}

xc_peerwatch_t *
xc_peerwatch_new (xc_node_t *node, xc_reactor_t *reactor)
{
    xc_peerwatch_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->reactor = reactor;
    self->watches = zlistx_new ();
    if (!self->watches) {
        free (self);
        return NULL;
    }
    zlistx_set_destructor (self->watches, s_watch_free);
    return self;
}

void
xc_peerwatch_destroy (xc_peerwatch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zlistx_destroy (&(*self_p)->watches);
    free (*self_p);
    *self_p = NULL;
}

/*  One monitor event: [u16 event, u32 value] [endpoint]. */
static void
s_event (s_watch_t *w, zmsg_t *msg)
{
    zframe_t *f = zmsg_first (msg);
    if (!f || zframe_size (f) < 2)
        return;
    uint16_t event;
    memcpy (&event, zframe_data (f), sizeof event);
    char *where = zframe_strdup (zmsg_next (msg));
    bool up = event == ZMQ_EVENT_HANDSHAKE_SUCCEEDED;
    if (up || event == ZMQ_EVENT_DISCONNECTED) {
        const char *name = up ? "peer_connect" : "peer_disconnect";
        if (w->peer[0]) {
            xc_log_event (XC_LOG_INFO, name,
                          XC_KV ("peer", w->peer, "endpoint",
                                 where ? where : "?"), NULL);
            xc_metrics_gauge (w->owner->node->metrics,
                              "xiecha_peer_connected", up ? 1 : 0, "peer",
                              w->peer, NULL);
        }
        else
            xc_log_event (XC_LOG_DEBUG, name,
                          XC_KV ("door", "peers", "endpoint",
                                 where ? where : "?"), NULL);
    }
    free (where);
}

/*  Every event waiting, to the receive that finds none (reactor.h). */
static int
s_events (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    zmsg_t *msg;
    while ((msg = zmsg_recv_nowait (sock))) {
        s_event (arg, msg);
        zmsg_destroy (&msg);
    }
    return zmq_errno () == EAGAIN ? XC_REACTOR_DRAINED : 0;
}

void
xc_peerwatch_add (xc_peerwatch_t *self, zsock_t *sock, const char *peer)
{
    s_watch_t *w = self ? calloc (1, sizeof *w) : NULL;
    if (!w)
        return;
    char endpoint[64];
    snprintf (endpoint, sizeof endpoint, "inproc://xiecha-peerwatch-%p-%u",
              (void *) self, self->next++);
    char endpoint_c[80];
    snprintf (endpoint_c, sizeof endpoint_c, ">%s", endpoint);
    w->owner = self;
    w->watched = sock;
    snprintf (w->peer, sizeof w->peer, "%s", peer ? peer : "");
    if (zmq_socket_monitor (zsock_resolve (sock), endpoint,
                            ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                                | ZMQ_EVENT_DISCONNECTED) != 0
        || !(w->pair = zsock_new_pair (endpoint_c))) {
        free (w);
        return;
    }
    if (xc_reactor_reader (self->reactor, w->pair, s_events, w) != 0) {
        zmq_socket_monitor (zsock_resolve (sock), NULL, 0);
        zsock_destroy (&w->pair);
        free (w);
        return;
    }
    zlistx_add_end (self->watches, w);
    if (w->peer[0])
        xc_metrics_gauge (self->node->metrics, "xiecha_peer_connected", 0,
                          "peer", w->peer, NULL);
}
