/*  fuzz_answer.c - answers to the residence node's waiting query and
    pending notices, through the answer door (net/answers.h) exactly as
    the node runs it: opened, matched to the waiting query (asks.h),
    checked and decided in one write transaction (decide/intake.h,
    query.h, notices.h), then handed to the query's terminal or the
    notice schedule (delivery.h).

    Each input meets A with its query to B waiting (a fresh asks with
    the fixture's query in it), its three notices scheduled (a fresh
    delivery loaded from the outbox) and a terminal waiting for the ack
    of the first.

    Input: byte 0, bits 0-1: how each record becomes an envelope from B
    to A (xf_node.h); bits 2-4: what XF_FIX puts in in_reply_to: 0 the
    record's own, 1 the waiting query's id, 2-4 notice 0-2's id.  Then
    the records: one batch of answers. */
#include <stdlib.h>
#include <string.h>

#include "net/answers.h"
#include "xf.h"
#include "xf_node.h"

static int
s_unused (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    return 0;
}

static uint8_t *
s_copy (const uint8_t *bytes, size_t len)
{
    uint8_t *copy = malloc (len ? len : 1);
    if (!copy)
        abort ();
    memcpy (copy, bytes, len);
    return copy;
}

/*  The fixture's query waiting again, and a terminal waiting for the
    ack of notice 0 (xiecha enroll --wait): copies, since asks and
    delivery take what they are given. */
static void
s_wait (xc_asks_t *asks, xc_delivery_t *delivery, const xf_fixture_t *fx)
{
    zframe_t *terminal = zframe_from ("terminal");
    ProtobufCBinaryData rid = {4, (uint8_t *) "rid1"};
    xc_pending_t query = fx->query;
    query.envelope = s_copy (fx->query.envelope, fx->query.envelope_len);
    query.refs = NULL;   /* the fixture's; the envelope holds them too */
    query.ref_count = 0;
    if (xc_asks_send (asks, &query, terminal, &rid) != 0)
        xc_pending_free (&query);
    xc_outbox_item_t notice = fx->notices[0];
    notice.env = s_copy (notice.env, notice.env_len);
    xc_delivery_queue (delivery, &notice, terminal, &rid, 60000);
    xc_outbox_item_free (&notice);
    zframe_destroy (&terminal);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    xf_fixture_t *fx = xf_fixture ();
    xc_node_t *a = fx->pair->a;
    zloop_t *loop = zloop_new ();
    xc_reactor_t *reactor = loop ? xc_reactor_new (loop) : NULL;
    xc_clients_t *clients = reactor ? xc_clients_new (
        fx->client, a->config.client_outstanding, reactor) : NULL;
    xc_asks_t *asks = clients ? xc_asks_new (a, loop, reactor, clients,
                                             s_unused, NULL)
                              : NULL;
    xc_delivery_t *delivery =
        asks ? xc_delivery_new (a, loop, clients, asks) : NULL;
    if (!loop || !asks || !delivery || xc_delivery_load (delivery) != 0)
        abort ();
    s_wait (asks, delivery, fx);
    xf_input_begin ();

    ProtobufCBinaryData ids[XF_NOTICES + 1];
    ids[0] = (ProtobufCBinaryData) {XC_MSGID_LEN, fx->query.msg_id};
    for (int i = 0; i < XF_NOTICES; i++)
        ids[i + 1] = (ProtobufCBinaryData) {XC_MSGID_LEN,
                                            fx->notices[i].id};
    int which = data[0] >> 2 & 7;
    const ProtobufCBinaryData *irt =
        which >= 1 && which <= XF_NOTICES + 1 ? &ids[which - 1] : NULL;

    size_t count;
    xc_item_t *items = xf_items (data + 1, size - 1, data[0], fx->pair->b,
                                 XF_CODE_A, irt, NULL, NULL, &count);
    if (count)
        xc_answers_batch (a, asks, delivery, items, count, XF_NOW, NULL);
    xf_report ("answer", items, count);
    xc_batch_free (items, count);
    xc_delivery_destroy (&delivery);
    xc_asks_destroy (&asks);
    xc_clients_destroy (&clients);
    xc_reactor_destroy (&reactor);
    zloop_destroy (&loop);
    return 0;
}
