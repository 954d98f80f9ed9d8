/*  requests.h - what a township terminal may ask of its node, as one
    table.

    Every client request kind is one row (requests.c) that says, for each
    phase of a batch, what to do with it:

      phase   READ     answered at once from a read transaction (status,
                       outbox, due, conflicts), or from memory (roster
                       import steps, imports.h: a COMMIT is applied in
                       slices of its own write transactions)
              WRITE    decided in the batch's write transaction, each in
                       a nested transaction of its own (query, notice,
                       check-in, roster show and close)
              OFFICE   handed to the back-office thread with its job
                       (office/jobs.h): reports, audit export, replay,
                       prove
      write   the decision, inside the transaction
      after   once the batch committed (or failed): send, schedule,
              answer

    The client door (transport.c) drains a batch and calls
    xc_requests_batch; adding a request kind means one row and its
    functions. */
#ifndef XIECHAD_REQUESTS_H
#define XIECHAD_REQUESTS_H

#include <czmq.h>

#include "net/asks.h"
#include "net/batch.h"
#include "net/clients.h"
#include "net/delivery.h"
#include "net/worker.h"
#include "node/node.h"

typedef struct _xc_requests_t xc_requests_t;

/*  Everything borrowed.  Starts the sweep of abandoned imports.  Returns
    NULL when out of memory. */
xc_requests_t *xc_requests_new (xc_node_t *node, zloop_t *loop,
                                xc_clients_t *clients, xc_asks_t *asks,
                                xc_delivery_t *delivery,
                                xc_worker_t *worker);

/*  Drops staged imports and sets *self_p to NULL; harmless twice. */
void xc_requests_destroy (xc_requests_t **self_p);

/*  Decides a batch drained from the client socket: parses each request,
    runs the phases of its kind, commits once, answers every request. */
void xc_requests_batch (xc_requests_t *self, xc_item_t *items, size_t count);

#endif
