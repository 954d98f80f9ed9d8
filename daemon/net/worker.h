/*  worker.h - the back office: client requests that read the whole audit
    log run here, in a thread of their own, so the reactor goes on
    answering queries and delivering notices while an auditor's request
    takes seconds.

    Which requests: those the request table (requests.c) marks as back
    office, each with its job (office/jobs.h): monthly reports, audit
    export pages, replay and certificate proofs.  All of them only read the node's store, each in its own read
    transaction (a consistent snapshot, however long it runs), bracketed
    by xc_store_share_begin/end so the reactor never remaps the file
    under it.

    The reactor hands over the client's message as it came in, [routing
    id][ClientRequest]; the worker answers [routing id][ClientReply] on
    the same pipe, and the reactor sends that on to the client.  Jobs run
    one at a time in arrival order; at most XC_WORKER_QUEUE wait, beyond
    that the reactor refuses at once instead of queueing without bound.

    The scrub of the whole store runs here too, in steps between the
    jobs (xc_worker_scrub). */
#ifndef XIECHAD_WORKER_H
#define XIECHAD_WORKER_H

#include <czmq.h>

#include "net/reactor.h"
#include "node/node.h"
#include "office/jobs.h"

#define XC_WORKER_QUEUE 16

typedef struct _xc_worker_t xc_worker_t;

/*  Starts the thread.  node is borrowed and must outlive the worker; the
    worker reads node->store and node->config, which do not change while
    the daemon runs, and signs with xc_node_signer (node.h), whose keys
    live as long as the node.  reactor (borrowed, may be NULL) is told of
    each send on the pipe (reactor.h), which reads the pipe's replies.
    Returns NULL if the thread cannot start. */
xc_worker_t *xc_worker_new (xc_node_t *node, xc_reactor_t *reactor);

/*  Stops the thread after the job in hand: jobs still queued are
    dropped, not run, and replies not yet forwarded too (their clients
    time out).  Frees it and sets *self_p to NULL; harmless twice. */
void xc_worker_destroy (xc_worker_t **self_p);

/*  Queues job for a request: *msg is [routing id][ClientRequest] and is
    taken.  Returns 0, or XC_EFULL when XC_WORKER_QUEUE jobs already wait
    (*msg is left to the caller). */
int xc_worker_submit (xc_worker_t *self, zmsg_t **msg, xc_job_fn *job);

/*  Asks for a scrub of the whole store (office/scrub.h), which the
    thread then makes step by step between its jobs, unless one is asked
    for or running already.  Returns the number of the scrub that will
    answer (node->integrity tells when it has). */
uint64_t xc_worker_scrub (xc_worker_t *self);

/*  The reactor's end of the pipe: readable when a reply is ready. */
zsock_t *xc_worker_sock (xc_worker_t *self);

/*  Receives one reply, [routing id][ClientReply], for the client socket,
    waiting for it; NULL when interrupted. */
zmsg_t *xc_worker_recv (xc_worker_t *self);

#endif
