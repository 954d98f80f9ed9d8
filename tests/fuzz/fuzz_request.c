/*  fuzz_request.c - township terminals' requests of every kind, through
    the request table (net/requests.h) as a node sees a batch of them:
    parsed, answered at once or staged, decided in one write transaction,
    then each request's after-commit step; back-office kinds run in the
    node's worker thread, which this waits for.

    Each input meets a fresh request table (no import under way), a
    fresh asks and a delivery loaded from the outbox, over the fixture's
    stores (xf_node.h).

    Input: byte 0, bit 0: the node the terminals ask (0 A, 1 B).  Then
    the records, one packed ClientRequest each, from terminals t0, t1, ...
    in one batch. */
#include <stdio.h>
#include <stdlib.h>

#include "net/requests.h"
#include "xf.h"
#include "xf_node.h"

static const char s_sentinel[] = "xf-sentinel";

static zframe_t *
s_sentinel_job (xc_node_t *node, MDB_txn *txn,
                const Xiecha__ClientRequest *req)
{
    return zframe_new ("", 0);
}

/*  Jobs run in arrival order, so once a job queued after the batch's
    has answered, all of theirs have. */
static void
s_drain (xc_worker_t *worker)
{
    zmsg_t *job = zmsg_new ();
    zmsg_addstr (job, s_sentinel);
    zmsg_addmem (job, "", 0);
    while (xc_worker_submit (worker, &job, s_sentinel_job) == XC_EFULL) {
        zmsg_t *reply = xc_worker_recv (worker);
        zmsg_destroy (&reply);
    }
    zmsg_destroy (&job);
    while (1) {
        zmsg_t *reply = xc_worker_recv (worker);
        if (!reply)
            abort ();
        int last = zframe_streq (zmsg_first (reply), s_sentinel);
        zmsg_destroy (&reply);
        if (last)
            return;
    }
}

static int
s_unused (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    return 0;
}

/*  One worker thread per node for the whole run, as in a daemon. */
static xc_worker_t *s_workers[2];

static void
s_workers_stop (void)
{
    xc_worker_destroy (&s_workers[0]);
    xc_worker_destroy (&s_workers[1]);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    xf_fixture_t *fx = xf_fixture ();
    int which = data[0] & 1;
    xc_node_t *node = which ? fx->pair->b : fx->pair->a;
    if (!s_workers[0] && !s_workers[1])
        atexit (s_workers_stop);   /* before the fixture goes */
    if (!s_workers[which] && !(s_workers[which] = xc_worker_new (node, NULL)))
        abort ();
    zloop_t *loop = zloop_new ();
    xc_reactor_t *reactor = loop ? xc_reactor_new (loop) : NULL;
    xc_clients_t *clients = reactor ? xc_clients_new (
        fx->client, node->config.client_outstanding, reactor) : NULL;
    xc_asks_t *asks = clients ? xc_asks_new (node, loop, reactor, clients,
                                             s_unused, NULL)
                              : NULL;
    xc_delivery_t *delivery =
        asks ? xc_delivery_new (node, loop, clients, asks) : NULL;
    xc_requests_t *requests = delivery ? xc_requests_new (
        node, loop, clients, asks, delivery, s_workers[which]) : NULL;
    if (!requests || xc_delivery_load (delivery) != 0)
        abort ();
    xf_input_begin ();

    size_t n;
    xc_item_t *items = xf_items (data + 1, size - 1, 0, NULL, NULL, NULL,
                                 "t", NULL, &n);
    if (n)
        xc_requests_batch (requests, items, n);
    s_drain (s_workers[which]);
    xf_report ("request", items, n);
    xc_batch_free (items, n);
    xc_requests_destroy (&requests);
    xc_delivery_destroy (&delivery);
    xc_asks_destroy (&asks);
    xc_clients_destroy (&clients);
    xc_reactor_destroy (&reactor);
    zloop_destroy (&loop);
    return 0;
}
