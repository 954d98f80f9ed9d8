/*  fuzz_peer.c - every peer message kind through the registration node's
    peer intake and its decisions (decide/intake.h: queries, notices,
    and whatever else a peer may send), a batch at a time as the peer
    door (net/transport.c, door 1) runs one: each envelope in its own
    nested transaction of one write transaction.

    Input: byte 0, bits 0-1: how each record becomes an envelope from A
    to B (xf_node.h XF_RAW .. XF_FIX_AT); bits 2-3: the connection's
    authenticated node (ZAP's user id): 0 none, 1 and 3 A, 2 B (not the
    signer).  Then the records, one message each, all in one batch. */
#include <stdlib.h>

#include "decide/intake.h"
#include "net/batch.h"
#include "xf.h"
#include "xf_node.h"

static const char *const s_peers[4] = {NULL, XF_CODE_A, XF_CODE_B,
                                       XF_CODE_A};

typedef struct {
    xc_node_t *node;
    xc_item_t *items;
    size_t count;
} s_batch_t;

static int
s_one (MDB_txn *txn, xc_item_t *it, void *arg)
{
    s_batch_t *b = arg;
    zframe_t *payload = xc_batch_payload (it);
    free (it->reply);
    it->reply = NULL;
    return xc_intake_peer (b->node, txn, zframe_data (payload),
                           zframe_size (payload),
                           it->peer[0] ? it->peer : NULL, XF_NOW,
                           &it->reply, &it->reply_len, &it->out);
}

static int
s_write (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    return xc_batch_nest (txn, b->items, b->count, s_one, b);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    xf_fixture_t *fx = xf_fixture ();
    xf_input_begin ();
    size_t count;
    xc_item_t *items = xf_items (data + 1, size - 1, data[0], fx->pair->a,
                                 XF_CODE_B, NULL, "peer",
                                 s_peers[data[0] >> 2 & 3], &count);
    s_batch_t b = {fx->pair->b, items, count};
    if (count)
        xc_store_write (b.node->store, s_write, &b);
    xf_report ("peer", items, count);
    xc_batch_free (items, count);
    return 0;
}
