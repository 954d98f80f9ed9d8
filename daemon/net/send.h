/*  send.h - one message out on a socket, failing cleanly when memory is
    short.

    CZMQ builds a frame with zframe_new, and when libzmq cannot allocate
    a body of more than 33 bytes, zframe_new closes the half-made message,
    which crashes inside libzmq (CZMQ 4.2.1 with libzmq 4.3.4: a NULL
    read, not an abort; found by tests/fault).  So every envelope and
    reply the node sends goes through here instead of zmsg_addmem,
    zframe_new or zsock_send "b": the body is allocated first, and only
    when that succeeded is anything handed to the socket, so a shortage
    costs that one message (its peer or terminal retries, and gets the
    stored answer), never a half-sent one. */
#ifndef XIECHAD_SEND_H
#define XIECHAD_SEND_H

#include <czmq.h>

/*  Sends [to][data] on a ROUTER, or [data] alone when to is NULL (a
    DEALER).  Returns 0, XC_ENOMEM (nothing was sent) or XC_EIO (the
    socket refused it). */
int xc_send (zsock_t *sock, zframe_t *to, const void *data, size_t len);

#endif
