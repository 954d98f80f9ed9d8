/*  answers.h - door 3: answers that came back on our dealers (residence
    side), decided as one batch.

    The transport drains a dealer into a batch (batch.h) and hands it
    here.  Each answer is opened and matched to the query that waits for
    it (asks.h) before the write transaction; checked and decided in it
    (decide/intake.h xc_intake_answer), each in its own nested
    transaction; and only once the batch committed handed on: to the
    waiting query's terminal (xc_asks_answer) or to the notice schedule
    (xc_delivery_settled).  The fuzz target of answers (tests/fuzz)
    drives this same function. */
#ifndef XIECHAD_ANSWERS_H
#define XIECHAD_ANSWERS_H

#include <stddef.h>
#include <stdint.h>

#include "net/asks.h"
#include "net/batch.h"
#include "net/delivery.h"
#include "node/node.h"

/*  Decides items (each [payload], as a dealer receives it) at now, as
    sent by home (the registration node of the dealer they came on; NULL
    when unknown): refusals are audited under it.  All borrowed; the items keep what became of each (out, settled, failed)
    for the caller, which frees them. */
void xc_answers_batch (xc_node_t *node, xc_asks_t *asks,
                       xc_delivery_t *delivery, xc_item_t *items,
                       size_t count, uint64_t now, const char *home);

#endif
