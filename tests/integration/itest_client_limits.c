/*  itest_client_limits.c - what one terminal may cost its node, against
    real daemons: a raw ZeroMQ DEALER on Ding'an's client socket sends
    requests and never reads, while a well-behaved terminal goes on
    asking.

    Ding'an lets a terminal have 16 requests outstanding.  Tunxi lets
    Ding'an ask freely, so what is measured is Ding'an's handling of its
    terminals, not Tunxi's of its peers.  The deadline for answers is
    long (20 s): the good terminal must be answered, however slowly a
    loaded test machine runs the flood. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

#define S_OUTSTANDING 16
#define S_FLOOD 200000
#define S_DURING 20            /* good queries measured during it */

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    /* ASan keeps freed memory in quarantine (256 MiB by default), which
       would be read as the node's own; the daemons get a small one. */
    char asan[512];
    const char *was = getenv ("ASAN_OPTIONS");
    snprintf (asan, sizeof asan, "%s%squarantine_size_mb=8",
              was ? was : "", was && *was ? ":" : "");
    setenv ("ASAN_OPTIONS", asan, 1);
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = true,
                       .deadline_ms = 20000,
                       .limits = "    client_outstanding = 16\n"
                                 "    peer_messages_per_s = 1000000\n"
                                 "    peer_messages_burst = 1000000\n"
                                 "    peer_subjects_per_s = 1000000\n"
                                 "    peer_subjects_burst = 1000000\n"};
    fed = xt_fed_new_opts (&o);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/* --------------------------------------------------------------------------
   Helpers
   -------------------------------------------------------------------------- */

/*  A raw DEALER on node's client socket, as any local program can open. */
static zsock_t *
s_raw_terminal (size_t node)
{
    zsock_t *d = zsock_new (ZMQ_DEALER);
    assert_non_null (d);
    zsock_set_linger (d, 0);
    zsock_set_sndtimeo (d, 30000);
    assert_int_equal (zsock_connect (d, "%s", fed->nodes[node].socket), 0);
    return d;
}

/*  A packed query request about a fresh person registered at home;
    caller frees. */
static uint8_t *
s_query_request (const char *home, size_t *len)
{
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = (char *) xt_id_next (home);
    p.name = "Applicant";
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__QueryRequest q = XIECHA__QUERY_REQUEST__INIT;
    q.home_county = (char *) home;
    q.applicant = &p;
    q.n_programs = 1;
    q.programs = &dibao;
    uint8_t rid[16];
    xc_random (rid, sizeof rid);
    Xiecha__ClientRequest r = XIECHA__CLIENT_REQUEST__INIT;
    r.request_id = (ProtobufCBinaryData) {sizeof rid, rid};
    r.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    r.query = &q;
    *len = xiecha__client_request__get_packed_size (&r);
    uint8_t *out = malloc (*len);
    assert_non_null (out);
    xiecha__client_request__pack (&r, out);
    return out;
}

/*  A well-behaved terminal asks Ding'an about someone registered at
    Tunxi and must get a certificate; returns how long it took (ms). */
static int64_t
s_good_query (xc_client_t *c)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id_next ("341002"), "Good"},
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a = {0};
    char why[512] = "";
    int64_t t0 = zclock_mono ();
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    int64_t took = zclock_mono () - t0;
    if (rc)
        fail_msg ("the good terminal's query failed after %lld ms: %s",
                  (long long) took, why);
    assert_string_equal (a.opened.msg->header->sender, "341002");
    assert_int_equal (a.cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    xc_answer_free (&a);
    return took;
}

/*  "VmRSS" or "VmHWM" of pid, in KiB. */
static uint64_t
s_vm (pid_t pid, const char *what)
{
    char path[64], line[256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    uint64_t kib = 0;
    size_t n = strlen (what);
    while (fgets (line, sizeof line, f))
        if (strncmp (line, what, n) == 0 && line[n] == ':')
            kib = strtoull (line + n + 1, NULL, 10);
    fclose (f);
    return kib;
}

/*  Requests node Ding'an answered busy, once that stops growing: what
    a terminal sent may still wait in the node's queue after it left. */
static uint64_t
s_busy_settled (void)
{
    uint64_t last = UINT64_MAX;
    for (int i = 0; i < 120; i++) {
        Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
        uint64_t busy = st->clients_busy;
        xiecha__status_reply__free_unpacked (st, NULL);
        if (busy == last)
            return busy;
        last = busy;
        zclock_sleep (500);
    }
    fail_msg ("the node's busy count never settled");
    return 0;
}

static int
s_cmp (const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return (x > y) - (x < y);
}

/* --------------------------------------------------------------------------
   Busy
   -------------------------------------------------------------------------- */

/*  100 queries at once to a registration node that never answers (the
    rogue runs no daemon): the first 16 wait for their deadline (20 s);
    the other 84 hear "busy" at once, their work not done, while the 16
    still wait.  The terminal shows in status, at the limit. */
static void
test_over_the_limit_is_busy (void **state)
{
    zsock_t *t = s_raw_terminal (DINGAN);
    for (int i = 0; i < 100; i++) {
        size_t len;
        uint8_t *req = s_query_request (XT_ROGUE, &len);
        assert_int_equal (zsock_send (t, "b", req, len), 0);
        free (req);
    }
    zpoller_t *p = zpoller_new (t, NULL);
    for (int i = 0; i < 100 - S_OUTSTANDING; i++) {
        assert_non_null (zpoller_wait (p, 10000));
        zframe_t *f = zframe_recv (t);
        Xiecha__ClientReply *r = xiecha__client_reply__unpack (
            NULL, zframe_size (f), zframe_data (f));
        assert_non_null (r);
        assert_int_equal (r->code, XC_EBUSY);
        xt_assert_has (r->message, "busy: 16 requests");
        xt_assert_has (r->message, "retry");
        xiecha__client_reply__free_unpacked (r, NULL);
        zframe_destroy (&f);
    }
    zpoller_destroy (&p);

    Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
    assert_int_equal (st->limits->client_outstanding, S_OUTSTANDING);
    assert_int_equal (st->clients_busy, 100 - S_OUTSTANDING);
    assert_int_equal (st->clients_at_limit, 1);
    zsock_destroy (&t);
    assert_true (st->n_top_clients >= 1);
    assert_true (st->top_clients[0]->busy >= 100 - S_OUTSTANDING);
    xiecha__status_reply__free_unpacked (st, NULL);
    const char *args[] = {"status", "--json", NULL};
    char out[8192];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"client_outstanding\": 16");
    xt_assert_has (out, "\"busy\": ");
}

/* --------------------------------------------------------------------------
   A terminal that never reads
   -------------------------------------------------------------------------- */

typedef struct {
    zsock_t *terminal;         /* made here, used by the flood's thread */
    uint8_t *query;            /* the request it sends again and again */
    size_t query_len;
    int sent;                  /* requests the flood got out */
    volatile int done;
} s_flood_t;

/*  Queries to the rogue, which never answers: each would wait for its
    deadline (20 s), holding memory and a timer, were it let wait. */
static void *
s_flood (void *arg)
{
    s_flood_t *fl = arg;
    zsock_t *t = fl->terminal;
    for (fl->sent = 0; fl->sent < S_FLOOD; fl->sent++)
        if (zsock_send (t, "b", fl->query, fl->query_len) != 0)
            break;
    fl->done = 1;
    return NULL;
}

/*  200,000 queries from a terminal that never reads the replies, to a
    registration node that never answers.  The node lets 16 wait at a
    time and answers "busy" to the rest without doing them, drops the
    replies the terminal does not take, and its memory stays within a
    bound that 200,000 waiting queries (some 3 KiB each) would break;
    the good terminal's queries to Tunxi are answered meanwhile (their
    latency is said, not judged). */
static void
test_terminal_that_never_reads (void **state)
{
    pid_t pid = fed->nodes[DINGAN].pid;
    xc_client_t *good = xt_fed_client_ms (fed, DINGAN, 30000);
    int64_t before[5];
    for (int i = 0; i < 5; i++)
        before[i] = s_good_query (good);
    uint64_t rss0 = s_vm (pid, "VmRSS"), hwm0 = s_vm (pid, "VmHWM");
    Xiecha__StatusReply *st = xt_fed_status (fed, DINGAN);
    uint64_t busy0 = st->clients_busy;
    xiecha__status_reply__free_unpacked (st, NULL);

    s_flood_t fl = {s_raw_terminal (DINGAN), NULL, 0, 0, 0};
    fl.query = s_query_request (XT_ROGUE, &fl.query_len);
    pthread_t th;
    assert_int_equal (pthread_create (&th, NULL, s_flood, &fl), 0);
    int64_t during[S_DURING];
    int64_t t0 = zclock_mono ();
    int n = 0;
    while (n < S_DURING && (!fl.done || n < 5))
        during[n++] = s_good_query (good);
    assert_int_equal (pthread_join (th, NULL), 0);
    int64_t flood_ms = zclock_mono () - t0;
    free (fl.query);
    assert_int_equal (fl.sent, S_FLOOD);
    s_good_query (good);
    uint64_t rss1 = s_vm (pid, "VmRSS"), hwm1 = s_vm (pid, "VmHWM");
    uint64_t busy = s_busy_settled () - busy0;
    /* Never read: the replies die with the socket, now that the node has
       taken every request. */
    zsock_destroy (&fl.terminal);
    xc_client_destroy (&good);

    qsort (before, 5, sizeof before[0], s_cmp);
    qsort (during, (size_t) n, sizeof during[0], s_cmp);
    fprintf (stderr, "terminal that never reads: %d requests sent in %lld "
             "ms, %llu answered busy; node VmRSS %llu -> %llu KiB, VmHWM "
             "%llu -> %llu KiB; the good terminal's queries: before %lld/%lld/%lld "
             "ms, during (%d) %lld/%lld/%lld ms (min/median/max)\n",
             fl.sent, (long long) flood_ms, (unsigned long long) busy,
             (unsigned long long) rss0, (unsigned long long) rss1,
             (unsigned long long) hwm0, (unsigned long long) hwm1,
             (long long) before[0], (long long) before[2],
             (long long) before[4], n, (long long) during[0],
             (long long) during[n / 2], (long long) during[n - 1]);
    /* 200,000 waiting queries would hold some 600 MiB. */
    assert_true (hwm1 < rss0 + 200 * 1024);
    /* 16 at a time, each until its deadline: the rest were busy. */
    uint64_t rounds = (uint64_t) flood_ms / 20000 + 2;
    assert_true (S_FLOOD - busy <= S_OUTSTANDING * rounds);
    assert_true (xt_fed_alive (fed, DINGAN));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_over_the_limit_is_busy),
        cmocka_unit_test (test_terminal_that_never_reads),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
