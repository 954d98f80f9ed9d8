/*  observe.h - what the node's store and parts say about it now, for the
    metrics snapshot and `xiecha status` alike (one reading, two views).

    Reactor only: reads the store in a read transaction and the parts'
    in-memory state; the snapshot it publishes is what the metrics
    thread serves (node/metrics.h). */
#ifndef XIECHAD_OBSERVE_H
#define XIECHAD_OBSERVE_H

#include <czmq.h>
#include <lmdb.h>

#include "net/asks.h"
#include "net/delivery.h"
#include "node/node.h"

typedef struct {
    uint64_t audit_entries;
    uint64_t checkpoint_at;      /* UTC ms of the last checkpoint; 0 none */
    uint64_t outbox_depth;       /* notices waiting for their ack */
    uint64_t outbox_oldest_at;   /* created_at of the oldest; 0 none */
    uint64_t subjects;
    uint64_t conflicts_open;
} xc_observed_t;

/*  Fills o from the store (all of it survives a restart). */
void xc_observe_store (xc_node_t *node, MDB_txn *txn, xc_observed_t *o);

/*  The zloop timer that sets every gauge and publishes the snapshot;
    arg is an xc_observe_args_t that outlives the loop. */
typedef struct {
    xc_node_t *node;
    xc_asks_t *asks;
} xc_observe_args_t;
int xc_observe_tick (zloop_t *loop, int timer_id, void *arg);

/*  Records the time and batch size of one write transaction. */
void xc_observe_commit (xc_node_t *node, size_t count, uint64_t started_us);

/*  Microseconds on the monotonic clock, for xc_observe_commit. */
uint64_t xc_observe_clock_us (void);

#endif
