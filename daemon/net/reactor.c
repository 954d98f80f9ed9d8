/*  reactor.c - a turn for the sockets that signalled; see reactor.h.

    Reading order: s_turn (what a turn does), s_serve (one socket in it),
    then registration.  A socket to look at goes on the look queue, once;
    the turn empties the queue, and a socket found readable whose handler
    already ran in this turn goes on the due list for the next turn.
    Both are lists through the entries themselves, so a turn allocates
    nothing. */
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "net/reactor.h"

#define S_EVENTS 64   /* per epoll_wait; the rest wake the loop again */

typedef struct _s_entry_t s_entry_t;
struct _s_entry_t {
    zsock_t *sock;             /* borrowed from its owner */
    xc_reactor_fn *reader;     /* never NULL */
    void *reader_arg;
    xc_reactor_fn *writer;     /* NULL when none */
    void *writer_arg;
    uint64_t served;           /* the turn its handlers last ran */
    bool looking;              /* on the look queue */
    bool due;                  /* on the due list */
    bool dead;                 /* reader_end came; freed after the turn */
    s_entry_t *next_look;      /* look queue */
    s_entry_t *next_due;       /* due list */
    s_entry_t *next_dead;      /* entries to free */
};

struct _xc_reactor_t {
    zloop_t *loop;             /* borrowed */
    int epfd;                  /* every entry's ZMQ_FD, and kick */
    int kick;                  /* eventfd: "look again" */
    bool kicked;               /* kick written, not read yet */
    zhashx_t *entries;         /* zsock_t * -> s_entry_t *, owned */
    s_entry_t *look, *look_tail;  /* to look at, in order */
    s_entry_t *due;            /* readable, served this turn already */
    s_entry_t *dead;           /* forgotten, not freed yet */
    uint64_t turn;             /* turns taken */
    bool in_turn;              /* a turn runs: no kick needed */
};

/* --------------------------------------------------------------------------
   The look queue, the due list and the kick
   -------------------------------------------------------------------------- */

/*  Makes the loop wake for a turn: at most one write until it is read. */
static void
s_kick (xc_reactor_t *self)
{
    if (self->kicked)
        return;
    uint64_t one = 1;
    if (write (self->kick, &one, sizeof one) == (ssize_t) sizeof one)
        self->kicked = true;
}

static void
s_unkick (xc_reactor_t *self)
{
    uint64_t value;
    if (read (self->kick, &value, sizeof value) == (ssize_t) sizeof value
        || errno == EAGAIN)
        self->kicked = false;
}

/*  Puts e on the look queue; outside a turn, wakes the loop for one. */
static void
s_look (xc_reactor_t *self, s_entry_t *e)
{
    if (e->dead || e->looking)
        return;
    e->looking = true;
    e->next_look = NULL;
    if (self->look_tail)
        self->look_tail->next_look = e;
    else
        self->look = e;
    self->look_tail = e;
    if (!self->in_turn)
        s_kick (self);
}

static s_entry_t *
s_pop (xc_reactor_t *self)
{
    s_entry_t *e = self->look;
    if (!e)
        return NULL;
    self->look = e->next_look;
    if (!self->look)
        self->look_tail = NULL;
    e->looking = false;
    return e;
}

static void
s_due (xc_reactor_t *self, s_entry_t *e)
{
    if (e->due)
        return;
    e->due = true;
    e->next_due = self->due;
    self->due = e;
}

/* --------------------------------------------------------------------------
   A turn
   -------------------------------------------------------------------------- */

/*  One look at e: its handlers run when it is ready and they did not run
    in this turn yet; else a ready e is due for the next turn.  A handler
    that may have left something (any return but DRAINED, or a writer)
    gets its socket looked at once more, after the others queued. */
static int
s_serve (xc_reactor_t *self, s_entry_t *e)
{
    int events = zsock_events (e->sock);
    bool in = (events & ZMQ_POLLIN) != 0;
    bool out = (events & ZMQ_POLLOUT) && e->writer;
    if (!in && !out)
        return 0;   /* the signal is armed again */
    if (e->served == self->turn) {
        s_due (self, e);
        return 0;
    }
    e->served = self->turn;
    int rc = out ? e->writer (self, e->sock, e->writer_arg) : 0;
    if (in && rc != -1 && !e->dead)
        rc = e->reader (self, e->sock, e->reader_arg);
    if (out || rc != XC_REACTOR_DRAINED)
        s_look (self, e);
    return rc == -1 ? -1 : 0;
}

static void
s_free_dead (xc_reactor_t *self)
{
    while (self->dead) {
        s_entry_t *e = self->dead;
        self->dead = e->next_dead;
        free (e);
    }
}

/*  The loop saw the epoll set readable: a socket signalled, or the kick.
    Signalled sockets and those due are queued, then the queue is served
    until it is empty; what is still due then kicks the next turn. */
static int
s_turn (zloop_t *loop, zmq_pollitem_t *item, void *arg)
{
    xc_reactor_t *self = arg;
    self->turn++;
    self->in_turn = true;
    struct epoll_event ev[S_EVENTS];
    int n = epoll_wait (self->epfd, ev, S_EVENTS, 0);
    for (int i = 0; i < n; i++) {
        if (ev[i].data.ptr)
            s_look (self, ev[i].data.ptr);
        else
            s_unkick (self);
    }
    s_entry_t *due = self->due;
    self->due = NULL;
    for (; due; due = due->next_due) {
        due->due = false;
        s_look (self, due);
    }
    int rc = 0;
    for (s_entry_t *e = s_pop (self); e; e = s_pop (self))
        if (!e->dead && s_serve (self, e) == -1)
            rc = -1;
    //  The due list may hold entries forgotten since they were put there.
    s_entry_t **at = &self->due;
    while (*at) {
        if ((*at)->dead)
            *at = (*at)->next_due;
        else
            at = &(*at)->next_due;
    }
    self->in_turn = false;
    if (self->due)
        s_kick (self);
    s_free_dead (self);
    return rc;
}

/* --------------------------------------------------------------------------
   Set-up and registration
   -------------------------------------------------------------------------- */

static size_t
s_hash (const void *key)
{
    uintptr_t p = (uintptr_t) key;
    return (size_t) (p ^ (p >> 7) ^ (p >> 17));
}

static int
s_compare (const void *a, const void *b)
{
    return a < b ? -1 : a > b;
}

xc_reactor_t *
xc_reactor_new (zloop_t *loop)
{
    xc_reactor_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->loop = loop;
    self->epfd = epoll_create1 (EPOLL_CLOEXEC);
    self->kick = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
    self->entries = zhashx_new ();
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    zmq_pollitem_t item = {NULL, self->epfd, ZMQ_POLLIN, 0};
    if (self->epfd < 0 || self->kick < 0 || !self->entries
        || epoll_ctl (self->epfd, EPOLL_CTL_ADD, self->kick, &ev) != 0
        || zloop_poller (loop, &item, s_turn, self) != 0) {
        xc_reactor_destroy (&self);
        return NULL;
    }
    zhashx_set_key_hasher (self->entries, s_hash);
    zhashx_set_key_comparator (self->entries, s_compare);
    zhashx_set_key_duplicator (self->entries, NULL);
    zhashx_set_key_destructor (self->entries, NULL);
    return self;
}

void
xc_reactor_destroy (xc_reactor_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_reactor_t *self = *self_p;
    if (self->epfd >= 0) {
        zmq_pollitem_t item = {NULL, self->epfd, ZMQ_POLLIN, 0};
        zloop_poller_end (self->loop, &item);
        close (self->epfd);
    }
    if (self->kick >= 0)
        close (self->kick);
    if (self->entries) {
        for (s_entry_t *e = zhashx_first (self->entries); e;
             e = zhashx_next (self->entries))
            free (e);
        zhashx_destroy (&self->entries);
    }
    s_free_dead (self);
    free (self);
    *self_p = NULL;
}

int
xc_reactor_reader (xc_reactor_t *self, zsock_t *sock, xc_reactor_fn *fn,
                   void *arg)
{
    if (zhashx_lookup (self->entries, sock))
        return -1;
    s_entry_t *e = calloc (1, sizeof *e);
    if (!e)
        return -1;
    e->sock = sock;
    e->reader = fn;
    e->reader_arg = arg;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = e};
    if (epoll_ctl (self->epfd, EPOLL_CTL_ADD, zsock_fd (sock), &ev) != 0
        || zhashx_insert (self->entries, sock, e) != 0) {
        epoll_ctl (self->epfd, EPOLL_CTL_DEL, zsock_fd (sock), NULL);
        free (e);
        return -1;
    }
    s_look (self, e);   /* it may hold messages, whose signal is gone */
    return 0;
}

void
xc_reactor_reader_end (xc_reactor_t *self, zsock_t *sock)
{
    s_entry_t *e = self ? zhashx_lookup (self->entries, sock) : NULL;
    if (!e)
        return;
    epoll_ctl (self->epfd, EPOLL_CTL_DEL, zsock_fd (sock), NULL);
    zhashx_delete (self->entries, sock);
    //  The queue, the due list or this turn's events may still point at
    //  it: freed once no turn does.
    if (!self->in_turn && !e->looking && !e->due) {
        free (e);
        return;
    }
    e->dead = true;
    e->next_dead = self->dead;
    self->dead = e;
}

int
xc_reactor_writer (xc_reactor_t *self, zsock_t *sock, xc_reactor_fn *fn,
                   void *arg)
{
    s_entry_t *e = zhashx_lookup (self->entries, sock);
    if (!e)
        return -1;
    e->writer = fn;
    e->writer_arg = arg;
    s_look (self, e);   /* it may be writable already */
    return 0;
}

void
xc_reactor_writer_end (xc_reactor_t *self, zsock_t *sock)
{
    s_entry_t *e = self ? zhashx_lookup (self->entries, sock) : NULL;
    if (e)
        e->writer = NULL;
}

void
xc_reactor_sent (xc_reactor_t *self, zsock_t *sock)
{
    s_entry_t *e = self ? zhashx_lookup (self->entries, sock) : NULL;
    if (e)
        s_look (self, e);
}

uint64_t
xc_reactor_turns (const xc_reactor_t *self)
{
    return self->turn;
}
