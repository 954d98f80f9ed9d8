/*  test_reactor.c - the reactor (daemon/net/reactor.h) over real inproc
    PAIR sockets and a real zloop: a handler runs only for a socket that
    signalled, even when another holds a message whose signal was
    consumed; a socket its handler read only part of is served on the
    next turn without a new message, its handler once a turn; and a
    message whose signal a send swallowed is still read when the send is
    reported with xc_reactor_sent, from a timer and from another
    socket's handler.

    Each pair is [a] registered with the reactor and [b], the test's end,
    never registered.  The loops end by a handler returning -1 or, where
    the point is that a handler does NOT run, by a one-shot timer: the
    tests assert what was read, never how long it took. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <czmq.h>

#include "net/reactor.h"

const char *__ubsan_default_options (void);
const char *
__ubsan_default_options (void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

#define PAIRS 3
#define CALLS 8

typedef struct _fixture_t fixture_t;

/*  One registered socket and what its handler saw. */
typedef struct {
    zsock_t *a;                /* registered */
    zsock_t *b;                /* the test's end */
    size_t calls;              /* handler runs */
    uint64_t turns[CALLS];     /* the turn of each run */
    char got[CALLS][16];       /* what each run read */
    size_t per_call;           /* messages a run reads; 0: all */
    const char *stop_on;       /* return -1 once this is read */
    fixture_t *f;
} s_pair_t;

struct _fixture_t {
    zloop_t *loop;
    xc_reactor_t *reactor;
    s_pair_t pairs[PAIRS];
    bool report;               /* s_swallow reports its send */
};

static int
s_read (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    s_pair_t *p = arg;
    assert_ptr_equal (sock, p->a);
    assert_true (p->calls < CALLS);
    size_t call = p->calls++;
    p->turns[call] = xc_reactor_turns (reactor);
    p->got[call][0] = '\0';
    bool stop = false;
    for (size_t n = 0; !p->per_call || n < p->per_call; n++) {
        char *s = zstr_recv_nowait (sock);
        if (!s)
            return stop ? -1 : XC_REACTOR_DRAINED;
        snprintf (p->got[call], sizeof p->got[call], "%s", s);
        stop = stop || (p->stop_on && streq (s, p->stop_on));
        zstr_free (&s);
    }
    return stop ? -1 : 0;   /* read only part: the reactor looks again */
}

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->loop = zloop_new ();
    assert_non_null (f->loop);
    f->reactor = xc_reactor_new (f->loop);
    assert_non_null (f->reactor);
    for (int i = 0; i < PAIRS; i++) {
        s_pair_t *p = &f->pairs[i];
        char endpoint[64];
        snprintf (endpoint, sizeof endpoint, "inproc://test-reactor-%p-%d",
                  (void *) f, i);
        p->a = zsock_new_pair (NULL);
        p->b = zsock_new_pair (NULL);
        assert_non_null (p->a);
        assert_non_null (p->b);
        assert_int_equal (zsock_bind (p->a, "%s", endpoint), 0);
        assert_int_equal (zsock_connect (p->b, "%s", endpoint), 0);
        p->f = f;
        assert_int_equal (xc_reactor_reader (f->reactor, p->a, s_read, p),
                          0);
    }
    assert_int_equal (xc_reactor_reader (f->reactor, f->pairs[0].a, s_read,
                                         &f->pairs[0]), -1);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    for (int i = 0; i < PAIRS; i++) {
        xc_reactor_reader_end (f->reactor, f->pairs[i].a);
        zsock_destroy (&f->pairs[i].a);
        zsock_destroy (&f->pairs[i].b);
    }
    xc_reactor_destroy (&f->reactor);
    xc_reactor_destroy (&f->reactor);   /* harmless twice */
    zloop_destroy (&f->loop);
    free (f);
    return 0;
}

static int
s_stop (zloop_t *loop, int timer_id, void *arg)
{
    return -1;
}

/*  Runs the loop until a handler returns -1, or for at most ms. */
static void
s_run (fixture_t *f, size_t ms)
{
    int timer = zloop_timer (f->loop, ms, 1, s_stop, NULL);
    assert_true (timer >= 0);
    zloop_start (f->loop);
    zloop_timer_end (f->loop, timer);
}

/*  The first turn looks at every socket just registered; none holds
    anything, so no handler runs. */
static void
s_settle (fixture_t *f)
{
    uint64_t before = xc_reactor_turns (f->reactor);
    while (xc_reactor_turns (f->reactor) == before)
        s_run (f, 50);
    for (int i = 0; i < PAIRS; i++)
        assert_int_equal (f->pairs[i].calls, 0);
}

/*  Whether a's ZMQ_FD signals now, asked of the kernel alone (poll
    consumes nothing; ZMQ_EVENTS would). */
static bool
s_signals (zsock_t *a)
{
    struct pollfd pfd = {zsock_fd (a), POLLIN, 0};
    return poll (&pfd, 1, 0) == 1;
}

/* --------------------------------------------------------------------------
   Only sockets that signalled
   -------------------------------------------------------------------------- */

/*  Pair 0 holds a message whose signal the test consumed (a look at
    ZMQ_EVENTS); pairs 1 and 2 get one each.  The turn serves 1 and 2
    only: the reactor never asked pair 0, as zloop would have.  Reported,
    pair 0 is served on the next turn. */
static void
test_only_signalled (void **state)
{
    fixture_t *f = *state;
    s_settle (f);
    s_pair_t *p = f->pairs;
    assert_int_equal (zstr_send (p[0].b, "zero"), 0);
    assert_true (s_signals (p[0].a));
    assert_true (zsock_events (p[0].a) & ZMQ_POLLIN);
    assert_false (s_signals (p[0].a));   /* readable, and silent */
    p[1].stop_on = "one";
    p[2].stop_on = "two";
    assert_int_equal (zstr_send (p[1].b, "one"), 0);
    assert_int_equal (zstr_send (p[2].b, "two"), 0);
    s_run (f, 10000);
    assert_int_equal (p[0].calls, 0);
    assert_int_equal (p[1].calls, 1);
    assert_int_equal (p[2].calls, 1);
    assert_string_equal (p[1].got[0], "one");
    assert_string_equal (p[2].got[0], "two");
    assert_int_equal (p[1].turns[0], p[2].turns[0]);   /* one turn */
    assert_true (zsock_events (p[0].a) & ZMQ_POLLIN);  /* still there */

    p[0].stop_on = "zero";
    xc_reactor_sent (f->reactor, p[0].a);
    s_run (f, 10000);
    assert_int_equal (p[0].calls, 1);
    assert_string_equal (p[0].got[0], "zero");
    assert_int_equal (p[1].calls, 1);
    assert_int_equal (p[2].calls, 1);
}

/* --------------------------------------------------------------------------
   Left due
   -------------------------------------------------------------------------- */

/*  Three messages, one signal; the handler reads one a run, as a door
    stops at limits/batch_max.  It is served on three turns, once each,
    with nothing sent meanwhile. */
static void
test_left_due (void **state)
{
    fixture_t *f = *state;
    s_settle (f);
    s_pair_t *p = &f->pairs[0];
    p->per_call = 1;
    p->stop_on = "3";
    assert_int_equal (zstr_send (p->b, "1"), 0);
    assert_int_equal (zstr_send (p->b, "2"), 0);
    assert_int_equal (zstr_send (p->b, "3"), 0);
    s_run (f, 10000);
    assert_int_equal (p->calls, 3);
    assert_string_equal (p->got[0], "1");
    assert_string_equal (p->got[1], "2");
    assert_string_equal (p->got[2], "3");
    assert_true (p->turns[0] < p->turns[1]);
    assert_true (p->turns[1] < p->turns[2]);
    assert_int_equal (f->pairs[1].calls, 0);
    assert_int_equal (f->pairs[2].calls, 0);
}

/* --------------------------------------------------------------------------
   A send that swallows a signal
   -------------------------------------------------------------------------- */

/*  A reply reaches pair 0 (its ZMQ_FD signals), then a send on pair 0's
    registered socket, outside its handler, processes libzmq's commands
    and so consumes the signal: the reply is readable, the descriptor
    silent.  libzmq processes commands on a send only when about a
    millisecond has passed since it last did (its TSC throttle), hence
    the pause before the send.  Reports the send when f->report. */
static void
s_swallow (fixture_t *f)
{
    s_pair_t *p = &f->pairs[0];
    assert_int_equal (zstr_send (p->b, "reply"), 0);
    assert_true (s_signals (p->a));
    usleep (20 * 1000);
    assert_int_equal (zstr_send (p->a, "request"), 0);
    assert_false (s_signals (p->a));   /* the scene is set */
    if (f->report)
        xc_reactor_sent (f->reactor, p->a);
}

static int
s_swallow_tick (zloop_t *loop, int timer_id, void *arg)
{
    s_swallow (arg);
    return 0;
}

/*  From a timer: outside any turn, the report wakes the loop. */
static void
test_sent_from_timer (void **state)
{
    fixture_t *f = *state;
    s_settle (f);
    f->report = true;
    f->pairs[0].stop_on = "reply";
    assert_true (zloop_timer (f->loop, 1, 1, s_swallow_tick, f) >= 0);
    s_run (f, 3000);
    assert_int_equal (f->pairs[0].calls, 1);
    assert_string_equal (f->pairs[0].got[0], "reply");
    char *request = zstr_recv (f->pairs[0].b);
    assert_string_equal (request, "request");
    zstr_free (&request);
}

/*  Pair 1's handler sends on pair 0, as the dealer's handler answers a
    terminal on the client socket: the report is looked at before the
    turn ends, and pair 0 served in the same turn. */
static int
s_read_and_swallow (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    s_pair_t *p = arg;
    int rc = s_read (reactor, sock, arg);
    s_swallow (p->f);
    return rc;
}

static void
test_sent_from_handler (void **state)
{
    fixture_t *f = *state;
    s_pair_t *p = f->pairs;
    xc_reactor_reader_end (f->reactor, p[1].a);
    assert_int_equal (xc_reactor_reader (f->reactor, p[1].a,
                                         s_read_and_swallow, &p[1]), 0);
    s_settle (f);
    f->report = true;
    p[0].stop_on = "reply";
    assert_int_equal (zstr_send (p[1].b, "go"), 0);
    s_run (f, 3000);
    assert_int_equal (p[1].calls, 1);
    assert_int_equal (p[0].calls, 1);
    assert_string_equal (p[0].got[0], "reply");
    assert_int_equal (p[0].turns[0], p[1].turns[0]);
}

/*  A writer runs, once a turn, on every turn the socket is writable
    while it is registered: a connected PAIR always is.  The second run
    ends it, and the loop. */
static int
s_write (xc_reactor_t *reactor, zsock_t *sock, void *arg)
{
    size_t *runs = arg;
    if (++*runs < 2)
        return 0;
    xc_reactor_writer_end (reactor, sock);
    return -1;
}

static void
test_writer (void **state)
{
    fixture_t *f = *state;
    s_settle (f);
    size_t runs = 0;
    assert_int_equal (xc_reactor_writer (f->reactor, f->pairs[2].a, s_write,
                                         &runs), 0);
    s_run (f, 10000);
    assert_int_equal (runs, 2);
    s_run (f, 50);   /* ended: no third run */
    assert_int_equal (runs, 2);
    zsock_t *stray = zsock_new_pair (NULL);
    assert_non_null (stray);
    assert_int_equal (xc_reactor_writer (f->reactor, stray, s_write, &runs),
                      -1);   /* no reader */
    xc_reactor_sent (f->reactor, stray);   /* not registered: nothing */
    xc_reactor_sent (NULL, stray);
    zsock_destroy (&stray);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_only_signalled, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_left_due, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_sent_from_timer, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_sent_from_handler, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_writer, s_setup, s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
