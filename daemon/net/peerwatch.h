/*  peerwatch.h - whether each registration node we talk to is connected:
    a libzmq socket monitor on every dealer (asks.h) and on the peer
    socket, read by the reactor.  Each CURVE handshake that succeeds and
    each disconnect is a log line (event=peer_connect, peer_disconnect)
    and sets xiecha_peer_connected{peer}, which `xiecha status` shows as
    the peer's reachability. */
#ifndef XIECHAD_PEERWATCH_H
#define XIECHAD_PEERWATCH_H

#include <czmq.h>

#include "net/reactor.h"
#include "node/node.h"

typedef struct _xc_peerwatch_t xc_peerwatch_t;

/*  node and reactor are borrowed; the monitors' sockets are ours, read
    by the reactor.  Returns NULL when out of memory. */
xc_peerwatch_t *xc_peerwatch_new (xc_node_t *node, xc_reactor_t *reactor);

/*  Watches sock, talking to peer ("" for the peer socket, whose
    connections come from many nodes: its lines say door=peers).  A
    failure to watch costs only the log lines and the gauge. */
void xc_peerwatch_add (xc_peerwatch_t *self, zsock_t *sock,
                       const char *peer);

/*  Ends every monitor; call before the watched sockets and the reactor
    go. */
void xc_peerwatch_destroy (xc_peerwatch_t **self_p);

#endif
