/*  reactor.h - which ZeroMQ sockets to look at, and when: only those
    that signalled.

    zloop keeps the timers and polls ONE descriptor: an epoll set holding
    the ZMQ_FD of every socket registered here, plus an eventfd of ours
    meaning "look again".  zloop polled every socket on every wake, and
    each look at a socket costs libzmq two system calls or more (its
    mailbox check: getpid, then poll); one query woke the loop several
    times over a dozen sockets.  A turn of this reactor asks only the
    sockets whose descriptor signalled, those left due by the turn before
    and those reported sent on, and calls each handler at most once.

    ZMQ_FD is edge-triggered: it signals when commands reach the
    socket's mailbox, and libzmq consumes that signal in ANY operation on
    the socket that processes commands -- a receive, a send, a look at
    ZMQ_EVENTS.  So:

      * after a signal the socket must be read until it has nothing more
        (a receive that finds nothing, EAGAIN) or it stays due: a handler
        that stops early (limits/batch_max) returns 0 and the reactor
        looks at the socket again after it, puts it on the due list when
        it is still readable and writes the eventfd, so the next turn
        serves it without a new message;
      * a send on a registered socket outside that socket's own handler
        (an answer to a terminal from the dealer's handler, a query from
        the client's, anything from a timer) may swallow the signal of a
        message that arrived meanwhile: whoever sends reports it with
        xc_reactor_sent, and the reactor looks at that socket once more
        before it sleeps.  A report inside the turn costs one look at the
        end of it; outside a turn (a timer) it writes the eventfd.

    Ownership: the reactor is owned by its creator (the transport) and
    borrows the zloop, which must outlive it.  Sockets stay their
    creators' (the transport's doors and ZAP, asks.h's dealers,
    peerwatch.h's monitors, worker.h's pipe): the reactor borrows each
    from xc_reactor_reader until xc_reactor_reader_end, which its owner
    calls before it closes the socket.  The reactor knows sockets and
    handlers only, nothing of the messages they carry. */
#ifndef XIECHAD_REACTOR_H
#define XIECHAD_REACTOR_H

#include <czmq.h>

typedef struct _xc_reactor_t xc_reactor_t;

/*  A handler's return when its last operation on sock was a receive
    that found nothing (ZMQ_EVENTS without POLLIN, or EAGAIN) and it sent
    nothing on sock since, except what was reported: the reactor then
    waits for the socket's next signal without looking again.  0 is
    always correct (the reactor looks once more, two system calls); -1
    ends zloop_start, as a zloop handler's -1 does. */
#define XC_REACTOR_DRAINED 1

/*  A reader: called when sock is readable (ZMQ_EVENTS said POLLIN just
    before), at most once per turn.  A writer: called when sock is
    writable, also at most once per turn, while it is registered. */
typedef int (xc_reactor_fn) (xc_reactor_t *reactor, zsock_t *sock,
                             void *arg);

/*  A reactor polled by loop (borrowed; outlives it).  NULL when out of
    descriptors or memory. */
xc_reactor_t *xc_reactor_new (zloop_t *loop);

/*  Ends its poller on the loop, closes its descriptors, frees it and
    sets *self_p to NULL; harmless twice.  Touches no socket: it may come
    after the sockets are closed. */
void xc_reactor_destroy (xc_reactor_t **self_p);

/*  Calls fn (reactor, sock, arg) whenever sock is readable, until
    xc_reactor_reader_end.  fn may receive one message as it likes; any
    further receive must not wait (ZMQ_DONTWAIT, zmsg_recv_nowait, or a
    look at ZMQ_EVENTS first), since it may find nothing.  The socket is
    looked at on the next turn, as it may hold messages already.
    Returns 0, or -1 (out of memory, or sock is registered already). */
int xc_reactor_reader (xc_reactor_t *self, zsock_t *sock, xc_reactor_fn *fn,
                       void *arg);

/*  Forgets sock, reader and writer; safe inside a handler, even sock's
    own, and for a socket not registered. */
void xc_reactor_reader_end (xc_reactor_t *self, zsock_t *sock);

/*  Calls fn (reactor, sock, arg) on every turn in which sock, which has
    a reader, is writable, until xc_reactor_writer_end: for a DEALER
    waiting for its connection.  A connected socket is always writable,
    so register a writer only while something waits.  Returns 0, or -1
    when sock has no reader. */
int xc_reactor_writer (xc_reactor_t *self, zsock_t *sock, xc_reactor_fn *fn,
                       void *arg);
void xc_reactor_writer_end (xc_reactor_t *self, zsock_t *sock);

/*  Something was sent on sock, which may have swallowed its signal: the
    reactor looks at it again (in this turn when inside one, else on a
    turn it wakes for).  Harmless for a socket not registered, and with
    self NULL (a part used without a reactor, as in the unit tests). */
void xc_reactor_sent (xc_reactor_t *self, zsock_t *sock);

/*  Turns taken so far: for the tests, which show that handlers run once
    per turn. */
uint64_t xc_reactor_turns (const xc_reactor_t *self);

#endif
