/*  answers.c - door 3, answers on our dealers; see answers.h. */
#include "decide/intake.h"
#include "net/answers.h"
#include "node/log.h"

typedef struct {
    xc_node_t *node;
    xc_asks_t *asks;
    xc_delivery_t *delivery;
    xc_item_t *items;
    size_t count;
    uint64_t now;
    const char *home;   /* the registration node the dealer talks to */
} s_batch_t;

/*  Opens each answer and finds the query it answers, before the
    transaction.  The dealer it came on says which registration node
    sent it (home): our CURVE client accepts only that node's server
    key. */
static void
s_open (s_batch_t *b, xc_item_t *it)
{
    snprintf (it->peer, sizeof it->peer, "%s", b->home ? b->home : "");
    zframe_t *f = zmsg_first (it->msg);
    if (zmsg_size (it->msg) != 1
        || xc_envelope_open (zframe_data (f), zframe_size (f), &it->opened,
                             it->out.why, sizeof it->out.why) != 0) {
        xc_opened_free (&it->opened);
        it->out.code = XC_EMALFORMED;
        return;
    }
    it->ask = xc_asks_find (b->asks, &it->opened.msg->header->in_reply_to);
}

/*  One answer, in its own nested transaction.  An answer that did not
    even open is audited as refused; why it did not open stays in out. */
static int
s_one (MDB_txn *txn, xc_item_t *it, void *arg)
{
    s_batch_t *b = arg;
    zframe_t *f = zmsg_first (it->msg);
    const char *peer = it->peer[0] ? it->peer : NULL;
    if (!it->opened.msg)
        return xc_intake_unopened (b->node, txn, f ? zframe_data (f) : NULL,
                                   f ? zframe_size (f) : 0, peer,
                                   it->out.why, b->now);
    memset (&it->out, 0, sizeof it->out);
    return xc_intake_answer (b->node, txn, zframe_data (f), zframe_size (f),
                             peer, &it->opened,
                             it->ask ? xc_ask_pending (it->ask) : NULL,
                             b->now, &it->out, &it->settled);
}

static int
s_write (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    return xc_batch_nest (txn, b->items, b->count, s_one, b);
}

/*  After the commit.  A refused answer leaves the query waiting: the
    genuine answer may still come before the deadline.  The query is
    looked up again, not taken from the item: an earlier answer of the
    same batch (a peer that answers twice) may have ended it. */
static void
s_done (s_batch_t *b, xc_item_t *it)
{
    if (!it->opened.msg || it->failed)
        return;
    const ProtobufCBinaryData *irt = &it->opened.msg->header->in_reply_to;
    xc_ask_t *ask = it->ask ? xc_asks_find (b->asks, irt) : NULL;
    zframe_t *f = zmsg_first (it->msg);
    if (ask && (it->out.code == 0 || it->out.code == XC_EREFUSED
                || it->out.code == XC_EROSTER))
        xc_asks_answer (b->asks, ask, &it->out, zframe_data (f),
                        zframe_size (f), b->now);
    else if (!it->ask && it->settled)
        xc_delivery_settled (b->delivery, irt, &it->out, zframe_data (f),
                             zframe_size (f));
}

void
xc_answers_batch (xc_node_t *node, xc_asks_t *asks, xc_delivery_t *delivery,
                  xc_item_t *items, size_t count, uint64_t now,
                  const char *home)
{
    s_batch_t b = {node, asks, delivery, items, count, now, home};
    for (size_t i = 0; i < count; i++)
        s_open (&b, &items[i]);
    int rc = xc_store_write (node->store, s_write, &b);
    if (rc)
        xc_err_rc (rc, "answer batch of %zu not stored", count);
    for (size_t i = 0; rc == 0 && i < count; i++)
        s_done (&b, &items[i]);
}
