/*  asks.h - the queries this node has asked of registration nodes and
    awaits answers to: the outbound DEALER per registration node, and the
    deadline of each query.

    A query leaves (xc_asks_send) only after the transaction that
    recorded it committed, and only on a connection: the DEALERs queue
    nothing for a peer that is not connected (ZMQ_IMMEDIATE), so a query
    waits here, in the open, for its connection until its deadline, and
    is dropped unsent then.  Its answer comes back on the dealer, through
    the door the transport gave xc_asks_new (transport.c, answers), which
    finds the waiting query (xc_asks_find) and, once the answer is
    committed, hands the outcome to the terminal that asked
    (xc_asks_answer): a certificate, the registration node's signed
    refusal, or this node's refusal of the answer (XC_EANSWER).  A query
    whose deadline passes first is recorded as unanswered (or unsent) and
    its terminal told XC_EUNREACHABLE. */
#ifndef XIECHAD_ASKS_H
#define XIECHAD_ASKS_H

#include <czmq.h>

#include "decide/outcome.h"
#include "decide/query.h"
#include "net/batch.h"
#include "net/clients.h"
#include "net/reactor.h"
#include "node/node.h"

typedef struct _xc_asks_t xc_asks_t;

/*  node, loop (the deadlines' timers) and reactor are borrowed; clients
    is where replies to terminals go (borrowed); on_answer (reactor,
    dealer, arg) is registered as the reader of every dealer (reactor.h),
    and every send on a dealer is reported to the reactor.  Returns NULL
    when out of memory. */
xc_asks_t *xc_asks_new (xc_node_t *node, zloop_t *loop,
                        xc_reactor_t *reactor, xc_clients_t *clients,
                        xc_reactor_fn *on_answer, void *arg);

/*  Closes the dealers, forgets every waiting query (their terminals time
    out) and sets *self_p to NULL; harmless twice. */
void xc_asks_destroy (xc_asks_t **self_p);

/*  The DEALER to home, connected on first use (CURVE client with home's
    key from the trust list).  NULL when home is not in the list or the
    socket cannot be made. */
zsock_t *xc_asks_dealer (xc_asks_t *self, const char *home);

/*  The registration node a dealer of ours talks to, or NULL when sock is
    none of them.  O(dealers). */
const char *xc_asks_home (xc_asks_t *self, zsock_t *sock);

/*  Sends bytes (a notice) to home now.  Returns 0, or XC_EUNREACHABLE
    when home has no connection now: then the connect hook is called once
    it has one. */
int xc_asks_post (xc_asks_t *self, const char *home, const uint8_t *bytes,
                  size_t len);

/*  The connect hook: fn (home, arg) once home, to which xc_asks_post
    could not send, is connected. */
typedef void (xc_asks_connect_fn) (const char *home, void *arg);
void xc_asks_on_connect (xc_asks_t *self, xc_asks_connect_fn *fn, void *arg);

/*  The dealer hook: fn (home, sock, arg) once for each dealer made
    (peerwatch.h watches it). */
typedef void (xc_asks_dealer_fn) (const char *home, zsock_t *sock,
                                  void *arg);
void xc_asks_on_dealer (xc_asks_t *self, xc_asks_dealer_fn *fn, void *arg);

/*  Registration nodes connected so far. */
size_t xc_asks_peers (const xc_asks_t *self);

/*  Sends *pending's query, or keeps it until home is connected, and
    starts its deadline; takes what pending owns (cleared).  client and
    request_id say whom to answer.  Returns 0, or XC_EUNREACHABLE (home
    not in the trust list or out of memory: pending left to the
    caller). */
int xc_asks_send (xc_asks_t *self, xc_pending_t *pending, zframe_t *client,
                  const ProtobufCBinaryData *request_id);

/*  The waiting query whose id is msg_id, or NULL. */
xc_ask_t *xc_asks_find (xc_asks_t *self, const ProtobufCBinaryData *msg_id);

/*  What the waiting query sent, to bind its answer to; NULL once an
    earlier answer of the same batch took it (xc_ask_take), so a peer
    that answers twice is heard once.  The answer's transaction may
    mark it logged (query.h). */
xc_pending_t *xc_ask_pending (xc_ask_t *ask);

/*  Marks ask as ended by an answer of the batch being decided (taken),
    or not after all (the batch was not stored). */
void xc_ask_take (xc_ask_t *ask, bool taken);

/*  The node stops: every query still waiting is logged (its SENT entry,
    and a decision that it was abandoned) in one transaction, its
    terminal is told, and it is forgotten.  The log never holds an
    answer's absence without the query it concerns. */
void xc_asks_abandon (xc_asks_t *self);

/*  Tells the asking terminal out (with the certificate cert when
    out->code is 0; out->cause with XC_EANSWER) and forgets the query. */
void xc_asks_answer (xc_asks_t *self, xc_ask_t *ask, const xc_outcome_t *out,
                     const uint8_t *cert, size_t cert_len, uint64_t now);

#endif
