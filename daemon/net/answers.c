/*  answers.c - door 3, answers on our dealers; see answers.h. */
#include <string.h>

#include "decide/intake.h"
#include "net/answers.h"
#include "net/observe.h"
#include "node/log.h"
#include "store/audit.h"

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

/*  Whether the outcome of an answer to a waiting query ends that query:
    a certificate, the registration node's signed refusal, or our refusal
    of an answer that came on the registration node's own connection (a
    refused answer on another connection leaves the query waiting for
    the genuine one). */
static bool
s_ends_ask (const s_batch_t *b, const xc_item_t *it,
            const xc_pending_t *pending)
{
    int code = it->out.code;
    return code == 0 || code == XC_EREFUSED || code == XC_EROSTER
           || (code == XC_EANSWER && b->home
               && strcmp (pending->home, b->home) == 0);
}

/*  One answer, in its own nested transaction.  An answer that did not
    even open is audited as refused; why it did not open stays in out.
    An answer that ends its query takes it, so that a second answer of
    the same batch is decided as a late one: the certificate the terminal
    gets is the one the log says it got. */
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
    xc_pending_t *pending = it->ask ? xc_ask_pending (it->ask) : NULL;
    //  The answer to a terminal's query is entered under its name.
    xc_audit_actor_set (pending ? pending->actor : NULL);
    //  The first answer to a query logs the query too (intake.h).
    bool was = pending && pending->logged;
    int rc = xc_intake_answer (b->node, txn, zframe_data (f),
                               zframe_size (f), peer, &it->opened, pending,
                               b->now, &it->out, &it->settled);
    if (pending && pending->logged && !was)
        it->logged = pending;
    xc_audit_actor_set (NULL);
    if (rc == 0 && pending && s_ends_ask (b, it, pending)) {
        xc_ask_take (it->ask, true);
        it->took = 1;
    }
    return rc;
}

/*  What an item's run did to its query, undone: the run was not stored. */
static void
s_undo (xc_item_t *it)
{
    if (it->took)
        xc_ask_take (it->ask, false);
    if (it->logged)
        it->logged->logged = false;
    it->took = 0;
    it->logged = NULL;
}

/*  The store may run this again (it grew the map): every query taken in
    a run that was not stored is waiting again, and not logged. */
static int
s_write (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    for (size_t i = 0; i < b->count; i++)
        s_undo (&b->items[i]);
    return xc_batch_nest (txn, b->items, b->count, s_one, b);
}

/*  After the commit: the query an answer took is answered with its
    certificate, or why there is none, and forgotten.  An item not stored
    leaves its query waiting, untaken.  ok 0: the batch was not stored at
    all. */
static void
s_done (s_batch_t *b, xc_item_t *it, int ok)
{
    if (!it->opened.msg)
        return;
    const ProtobufCBinaryData *irt = &it->opened.msg->header->in_reply_to;
    zframe_t *f = zmsg_first (it->msg);
    if (!ok || it->failed)
        s_undo (it);
    else if (it->took)
        xc_asks_answer (b->asks, it->ask, &it->out, zframe_data (f),
                        zframe_size (f), b->now);
    else if (ok && !it->failed && !it->ask && it->settled)
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
    uint64_t t0 = xc_observe_clock_us ();
    int rc = xc_store_write (node->store, s_write, &b);
    xc_observe_commit (node, count, t0);
    if (rc)
        xc_err_rc (rc, "answer batch of %zu not stored", count);
    for (size_t i = 0; i < count; i++) {
        if (rc == 0 && items[i].out.code)
            xc_metrics_count (node->metrics, "xiecha_answers_refused_total",
                              1, "peer", home ? home : "unknown", "reason",
                              xc_errcode_name (xc_errcode_from_xc (
                                  items[i].out.code)), NULL);
        s_done (&b, &items[i], rc == 0);
    }
}
