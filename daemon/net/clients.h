/*  clients.h - replies to township terminals on the client socket, and
    how much each terminal has asked that is not answered yet.

    Every reply is [routing id][ClientReply] with the request's id echoed,
    so a terminal matches it to what it asked.

    Every request a terminal (a routing id) sends is outstanding from
    xc_clients_begin until its one reply leaves through this module
    (xc_clients_send and the helpers below, or xc_clients_forward for the
    back office's).  A terminal with limits/client_outstanding requests
    outstanding is answered "busy, retry" at once, without the work: a
    query waiting for its registration node, a notice waiting for its
    ack or an audit job holds memory and a timer until it ends, and no
    terminal may hold an unbounded share of them.  The socket's own high
    water marks (limits/client_hwm, transport.c) bound what queues for a
    terminal that sends without reading: libzmq stops reading from it,
    and drops the replies it does not take. */
#ifndef XIECHAD_CLIENTS_H
#define XIECHAD_CLIENTS_H

#include <czmq.h>

#include "decide/query.h"
#include "net/reactor.h"
#include "xiecha/xiecha.h"

typedef struct _xc_clients_t xc_clients_t;

#define XC_CLIENTS_TOP 8   /* busiest terminals kept for status */

/*  A terminal refused as busy, for status. */
typedef struct {
    char id[33];             /* routing id, hex (first 16 bytes) */
    uint64_t busy;           /* requests answered "busy" */
} xc_clients_top_t;

/*  sock (borrowed) is the client socket; max the outstanding requests a
    terminal may have; reactor (borrowed, may be NULL) is told of every
    send on sock, which may come from any handler or timer (reactor.h).
    Returns NULL when out of memory. */
xc_clients_t *xc_clients_new (zsock_t *sock, int max,
                              xc_reactor_t *reactor);

/*  Frees it and sets *self_p to NULL; harmless twice. */
void xc_clients_destroy (xc_clients_t **self_p);

/*  A request from to arrived: counts it outstanding.  Returns 0, or
    XC_EBUSY (counted as well) when to already had max outstanding; the
    caller answers it busy, which ends it like any reply. */
int xc_clients_begin (xc_clients_t *self, zframe_t *to);

/*  Sends reply to the terminal whose routing id is to, echoing
    request_id; one of its requests is answered. */
void xc_clients_send (xc_clients_t *self, zframe_t *to,
                      const ProtobufCBinaryData *request_id,
                      Xiecha__ClientReply *reply);

/*  An error reply: code, cause (XC_EANSWER: why the answer was refused;
    else 0) and why (xc_strerror (code) when NULL). */
void xc_clients_error (xc_clients_t *self, zframe_t *to,
                       const ProtobufCBinaryData *request_id, int code,
                       int cause, const char *why);

/*  A certificate for the query pending, now elapsed since it was sent. */
void xc_clients_cert (xc_clients_t *self, zframe_t *to,
                      const ProtobufCBinaryData *request_id,
                      const uint8_t *cert, size_t len,
                      const xc_pending_t *pending, uint64_t now);

/*  A notice's state: queued (delivered 0), or acknowledged (delivered 1,
    with the ack envelope when the registration node sent one); subjects
    is how many people it covers. */
void xc_clients_notice (xc_clients_t *self, zframe_t *to,
                        const ProtobufCBinaryData *request_id,
                        const uint8_t *notice_id, uint32_t subjects,
                        int delivered, const uint8_t *ack, size_t ack_len);

/*  A reply built elsewhere (the back office), [routing id][ClientReply]:
    sent on and destroyed (*msg NULL).  One of malformed shape is only
    counted as answered: its terminal times out. */
void xc_clients_forward (xc_clients_t *self, zmsg_t **msg);

/*  For status, asked by the terminal asker (whose own request, being
    answered, is not counted): terminals with requests outstanding, how
    many of them are at the limit, requests answered busy since start,
    and up to XC_CLIENTS_TOP terminals refused most (returns how
    many). */
size_t xc_clients_stats (const xc_clients_t *self, zframe_t *asker,
                         uint64_t *terminals, uint64_t *at_limit,
                         uint64_t *busy, xc_clients_top_t *top);

#endif
