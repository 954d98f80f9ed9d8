/*  asks.h - the queries this node has asked of registration nodes and
    awaits answers to: the outbound DEALER per registration node, and the
    deadline of each query.

    A query leaves (xc_asks_send) only after the transaction that
    recorded it committed.  Its answer comes back on the dealer, through
    the door the transport gave xc_asks_new (transport.c, answers), which
    finds the waiting query (xc_asks_find) and, once the answer is
    committed, hands the outcome to the terminal that asked
    (xc_asks_answer).  A query whose deadline passes first is recorded as
    unanswered and its terminal told XC_EUNREACHABLE. */
#ifndef XIECHAD_ASKS_H
#define XIECHAD_ASKS_H

#include <czmq.h>

#include "decide/outcome.h"
#include "decide/query.h"
#include "net/batch.h"
#include "net/clients.h"
#include "node/node.h"

typedef struct _xc_asks_t xc_asks_t;

/*  node and loop are borrowed; clients is where replies to terminals
    go (borrowed); on_answer(loop, dealer, arg) is registered as the
    reader of every dealer.  Returns NULL when out of memory. */
xc_asks_t *xc_asks_new (xc_node_t *node, zloop_t *loop,
                        xc_clients_t *clients, zloop_reader_fn *on_answer,
                        void *arg);

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

/*  Registration nodes connected so far. */
size_t xc_asks_peers (const xc_asks_t *self);

/*  Sends *pending's query and starts its deadline; takes what pending
    owns (cleared).  client and request_id say whom to answer.  Returns
    0, or XC_EUNREACHABLE (nothing sent, pending left to the caller). */
int xc_asks_send (xc_asks_t *self, xc_pending_t *pending, zframe_t *client,
                  const ProtobufCBinaryData *request_id);

/*  The waiting query whose id is msg_id, or NULL. */
xc_ask_t *xc_asks_find (xc_asks_t *self, const ProtobufCBinaryData *msg_id);

/*  What the waiting query sent, to bind its answer to. */
const xc_pending_t *xc_ask_pending (const xc_ask_t *ask);

/*  Tells the asking terminal out (with the certificate cert when
    out->code is 0) and forgets the query. */
void xc_asks_answer (xc_asks_t *self, xc_ask_t *ask, const xc_outcome_t *out,
                     const uint8_t *cert, size_t cert_len, uint64_t now);

#endif
