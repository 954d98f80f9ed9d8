/*  batch.c - draining a socket into a batch; see batch.h. */
#include <errno.h>

#include "net/batch.h"
#include "node/log.h"

/*  Receives until one finds nothing (EAGAIN) rather than asking
    ZMQ_EVENTS before each: the answer costs libzmq the same mailbox
    check, and the receive that finds nothing is the one look at the end
    that an edge-triggered signal needs anyway. */
xc_item_t *
xc_batch_drain (zsock_t *sock, size_t max, size_t *count, bool *drained)
{
    size_t n = 0, alloc = 0;
    xc_item_t *items = NULL;
    *drained = false;
    while (n < max) {
        if (n == alloc) {
            size_t want = alloc ? alloc * 2 : 8;
            xc_item_t *grown = realloc (items, want * sizeof *items);
            if (!grown)
                break;
            items = grown;
            alloc = want;
        }
        zmsg_t *msg = zmsg_recv_nowait (sock);
        if (!msg) {
            //  Anything else (EINTR) leaves the socket to be looked at.
            *drained = zmq_errno () == EAGAIN;
            break;
        }
        memset (&items[n], 0, sizeof items[n]);
        items[n].msg = msg;
        /* ZAP's user id rides on the frames libzmq received, not on the
           routing id a ROUTER makes up: read it from the payload. */
        zframe_t *last = zmsg_last (msg);
        const char *uid = last ? zframe_meta (last, "User-Id") : NULL;
        snprintf (items[n].peer, sizeof items[n].peer, "%s", uid ? uid : "");
        snprintf (items[n].user, sizeof items[n].user, "%s", uid ? uid : "");
        n++;
    }
    *count = n;
    if (n == 0) {
        free (items);
        return NULL;
    }
    return items;
}

void
xc_batch_free (xc_item_t *items, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        zmsg_destroy (&items[i].msg);
        free (items[i].reply);
        if (items[i].req)
            xiecha__client_request__free_unpacked (items[i].req, NULL);
        xc_pending_free (&items[i].pending);
        xc_outbox_item_free (&items[i].notice);
        xc_opened_free (&items[i].opened);
        free (items[i].roster);
    }
    free (items);
}

zframe_t *
xc_batch_payload (const xc_item_t *it)
{
    return zmsg_size (it->msg) == 2 ? zmsg_last (it->msg) : NULL;
}

typedef struct {
    xc_item_t *item;
    xc_batch_fn *fn;
    void *arg;
} s_nested_t;

static int
s_nested (MDB_txn *txn, void *arg)
{
    s_nested_t *n = arg;
    return n->fn (txn, n->item, n->arg);
}

static int
s_nest (MDB_txn *txn, xc_item_t *items, size_t count, int writes_only,
        xc_batch_fn *fn, void *arg)
{
    for (size_t i = 0; i < count; i++) {
        if (writes_only && !items[i].write)
            continue;
        s_nested_t n = {&items[i], fn, arg};
        int rc = xc_store_nest (txn, s_nested, &n);
        if (xc_store_failed (rc))
            return rc;
        items[i].failed = rc;
        if (rc)
            xc_err_rc (rc, "message %zu of a batch of %zu not stored",
                       i + 1, count);
    }
    return 0;
}

int
xc_batch_nest (MDB_txn *txn, xc_item_t *items, size_t count,
               xc_batch_fn *fn, void *arg)
{
    return s_nest (txn, items, count, 0, fn, arg);
}

int
xc_batch_nest_writes (MDB_txn *txn, xc_item_t *items, size_t count,
                      xc_batch_fn *fn, void *arg)
{
    return s_nest (txn, items, count, 1, fn, arg);
}
