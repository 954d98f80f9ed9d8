/*  transport.h - where messages enter and leave: ZeroMQ sockets, the ZAP
    handler, timers, and the group-commit loop.

    Sockets:
      peer    ROUTER, CURVE server; ZAP admits only trust-list CURVE keys
      client  ROUTER for township terminals (IPC by default)
      dealer  one DEALER per registration node asked, created on demand
      zap     REP on inproc://zeromq.zap.01, answering libzmq's ZAP requests

    Each loop turn drains up to limits/batch_max messages from a socket,
    hands them all to the handlers inside ONE write transaction, commits,
    and only then sends the answers. */
#ifndef XIECHAD_TRANSPORT_H
#define XIECHAD_TRANSPORT_H

#include "node/node.h"

typedef struct _xc_transport_t xc_transport_t;

/*  Binds the sockets.  Returns NULL with why (e.g. address in use). */
xc_transport_t *xc_transport_new (xc_node_t *node, char *why,
                                  size_t why_len);

/*  Runs until SIGINT or SIGTERM.  Returns 0. */
int xc_transport_run (xc_transport_t *self);

/*  Closes every socket and sets *self_p to NULL; harmless twice. */
void xc_transport_destroy (xc_transport_t **self_p);

#endif
