/*  delivery.h - notices on their way to registration nodes: the outbox's
    retry schedule, and the terminals waiting for an ack.

    The outbox in LMDB is the truth (store/outbox.h); this is its
    schedule, rebuilt from it at start (xc_delivery_load), so nothing
    queued is forgotten across restarts.  A notice is sent at once when
    its transaction commits (xc_delivery_queue), again with exponential
    backoff and jitter until an ack or a final refusal is committed
    (xc_delivery_settled), and a terminal that asked to wait
    (--wait) hears the ack, the refusal, or that the notice is safe in
    the outbox but not yet acknowledged. */
#ifndef XIECHAD_DELIVERY_H
#define XIECHAD_DELIVERY_H

#include <czmq.h>

#include "decide/outcome.h"
#include "net/asks.h"
#include "node/node.h"
#include "store/outbox.h"

typedef struct _xc_delivery_t xc_delivery_t;

/*  node and loop are borrowed; asks gives the dealers notices go out
    on; clients is where replies to terminals go.  Starts the retry
    timer.  Returns NULL when out of memory. */
xc_delivery_t *xc_delivery_new (xc_node_t *node, zloop_t *loop,
                                xc_clients_t *clients, xc_asks_t *asks);

/*  Forgets the schedule and the waiting terminals (the outbox stays)
    and sets *self_p to NULL; harmless twice. */
void xc_delivery_destroy (xc_delivery_t **self_p);

/*  Schedules every PENDING notice of the outbox.  Returns 0 or a store
    error. */
int xc_delivery_load (xc_delivery_t *self);

/*  A notice whose queueing committed: takes item's envelope (cleared),
    sends it at once and, with wait_ms, keeps the terminal (client,
    request_id) waiting that long for the ack; without, tells it the
    notice is queued. */
void xc_delivery_queue (xc_delivery_t *self, xc_outbox_item_t *item,
                        zframe_t *client,
                        const ProtobufCBinaryData *request_id,
                        uint32_t wait_ms);

/*  An answer that settled notice_id (acked, or refused for good) was
    committed: stop sending, and tell a terminal still waiting: the
    refusal out, or the ack envelope. */
void xc_delivery_settled (xc_delivery_t *self,
                          const ProtobufCBinaryData *notice_id,
                          const xc_outcome_t *out, const uint8_t *ack,
                          size_t ack_len);

/*  After a commit: when a decision queued a notice no terminal waits
    for (node->outbox_grew: a conflict notice), schedules the outbox's
    pending notices not yet scheduled, and clears the flag.  O(outbox)
    then, nothing otherwise. */
void xc_delivery_catch_up (xc_delivery_t *self);

/*  Notices scheduled (pending in the outbox). */
size_t xc_delivery_pending (const xc_delivery_t *self);

/*  Lists the outbox, with each pending notice's attempts and next
    attempt, into a reply for the terminal (client, request_id). */
void xc_delivery_list (xc_delivery_t *self, zframe_t *client,
                       const ProtobufCBinaryData *request_id);

#endif
