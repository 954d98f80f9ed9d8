/*  batch.h - the messages one loop turn drained from a socket, and what
    became of each.

    A door (transport.c) drains up to limits/batch_max messages into an
    array of items, decides all of them in one write transaction (one
    synced commit for the lot: group commit), and only then sends what
    the items say.  Each message is decided in a transaction nested in
    the batch's (xc_store_nest), so one that cannot be stored fails alone
    and the rest commit. */
#ifndef XIECHAD_BATCH_H
#define XIECHAD_BATCH_H

#include <czmq.h>
#include <lmdb.h>

#include "decide/outcome.h"
#include "decide/query.h"
#include "decide/roster.h"
#include "node/access.h"
#include "store/outbox.h"

typedef struct _xc_ask_t xc_ask_t;

/*  One message of a batch and what became of it. */
typedef struct {
    zmsg_t *msg;               /* as received: [routing id] payload */
    char peer[7];              /* CURVE-authenticated node, or "" */
    char user[XC_TERMINAL_ID_MAX + 1];  /* the ZAP User-Id whole: on the
                                  client socket a terminal's id, "" over
                                  IPC */
    uint8_t *reply;            /* envelope to send back, owned */
    size_t reply_len;
    xc_outcome_t out;          /* the decision (outcome.h) */
    int failed;                /* not stored: this message's store error */
    /* client requests (requests.c) */
    Xiecha__ClientRequest *req;  /* parsed; NULL once answered */
    xc_who_t who;              /* who asked (node/access.h): the one place
                                  a request's terminal, township and
                                  operator are known, for attribution */
    xc_outcome_t denied;       /* refused by access.h, to be audited */
    const void *denied_kind;   /* the row of what it asked for */
    const void *kind;          /* its row in the request table */
    int write;                 /* needs the write transaction */
    xc_pending_t pending;      /* a query to send, when out.code == 0 */
    xc_outbox_item_t notice;   /* a notice queued, when out.code == 0 */
    uint8_t checkin_ref[XC_REF_LEN];  /* a check-in's subject, when ok */
    uint32_t checkin_date;     /* and the date recorded */
    xc_roster_view_t *roster;  /* a roster show or close's answer, owned */
    uint64_t sealed;           /* a backup's checkpoint entry, when ok */
    /* answers on a dealer (transport.c) */
    xc_opened_t opened;        /* the parsed envelope */
    xc_ask_t *ask;             /* the query it answers, if one waits */
    int took;                  /* it ends that query (transport.c) */
    xc_pending_t *logged;      /* the query whose SENT entry it wrote */
    int settled;               /* a notice left the pending state */
} xc_item_t;

/*  Reads what is waiting on sock, up to max messages, into a fresh
    array (caller frees with xc_batch_free).  The array grows as needed,
    so a lone message costs one small allocation, not a batch_max one.
    Receives never wait: the reading ends at max or at the first receive
    that finds nothing, which re-arms the socket's signal (reactor.h);
    *drained says it ended so.  Returns NULL with *count 0 when nothing
    was read. */
xc_item_t *xc_batch_drain (zsock_t *sock, size_t max, size_t *count,
                           bool *drained);

/*  What one item's decision is: fn (txn, item, arg) in a transaction
    nested in the batch's.  Returns a store error only (outcome.h). */
typedef int (xc_batch_fn) (MDB_txn *txn, xc_item_t *item, void *arg);

/*  Runs fn for every item in its own nested transaction (store.h
    xc_store_nest), inside the batch's txn.  An item whose decision could
    not be stored gets item->failed and its writes undone, alone; a
    failure of the store itself (xc_store_failed) is returned at once to
    abort the whole batch.  Returns 0 or that failure. */
int xc_batch_nest (MDB_txn *txn, xc_item_t *items, size_t count,
                   xc_batch_fn *fn, void *arg);

/*  The same for the items with write set only (the client door's): a
    nested transaction costs LMDB a fresh dirty list (megabytes of
    address space), which a batch of 256 status requests and one query
    must not pay 256 times. */
int xc_batch_nest_writes (MDB_txn *txn, xc_item_t *items, size_t count,
                          xc_batch_fn *fn, void *arg);

/*  Frees the items, everything they own, and the array. */
void xc_batch_free (xc_item_t *items, size_t count);

/*  The payload frame of a [routing id][payload] message, or NULL when it
    has another shape (our only framing: anything else is malformed). */
zframe_t *xc_batch_payload (const xc_item_t *it);

#endif
