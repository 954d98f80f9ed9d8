/*  itest_abandoned.c - a query that gave up at its deadline is never
    answered later, and only certificates that reached a case worker
    count.

    Ding'an 469021 asks Tunxi 341002 while Tunxi is down (never started,
    then killed), and while it hangs (SIGSTOP).  Each time the case
    worker gets exit 3.  When Tunxi is back, nothing of those queries may
    reach it (the dealer queues nothing for a peer that is not
    connected), and what did reach it, held up while it hung, is refused
    for its signed deadline, not answered.  The monthly reports of both
    nodes count exactly the certificates the case workers got.  (Before:
    the queued queries were delivered when Tunxi came back, answered, and
    counted in both reports.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

#define S_DEADLINE_MS 2000

static xt_fed_t *fed;
static char s_month[8];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 2,
                       .deadline_ms = S_DEADLINE_MS,
                       .limits = "    deadline_grace_ms = 0\n"};
    fed = xt_fed_new_opts (&o);
    xt_fed_start (fed, DINGAN);
    char iso[32];
    xc_time_iso (xc_now_ms (), iso);
    snprintf (s_month, sizeof s_month, "%.7s", iso);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  xiecha query from Ding'an to Tunxi; the exit status, JSON in out. */
static int
s_query (char *out, size_t out_len)
{
    const char *args[] = {"query", "--id", xt_id ("34100219800101123"),
                          "--name", "王芳", "--home", "341002", "--program",
                          "dibao", "--json", NULL};
    return xt_fed_cli (fed, DINGAN, out, out_len, args);
}

static void
s_expect_unreachable (const char *needle)
{
    char out[8192];
    int status = s_query (out, sizeof out);
    if (status != 3)
        fail_msg ("exit %d, not 3: %s", status, out);
    xt_assert_has (out, "\"code\": \"XC_EUNREACHABLE\"");
    xt_assert_has (out, needle);
}

static void
s_expect_certificate (void)
{
    char out[8192];
    int status = s_query (out, sizeof out);
    if (status != 0)
        fail_msg ("exit %d: %s", status, out);
    xt_assert_has (out, "NOT_RECEIVING");
}

/*  The total of kind in node's monthly report (0 when it has no row). */
static unsigned long
s_total (size_t node, const char *kind)
{
    char out[32768], key[64];
    const char *args[] = {"report", "monthly", "--month", s_month, "--json",
                          NULL};
    assert_int_equal (xt_fed_cli (fed, (int) node, out, sizeof out, args), 0);
    const char *totals = strstr (out, "\"totals\"");
    assert_non_null (totals);
    snprintf (key, sizeof key, "\"%s\": ", kind);
    const char *at = strstr (totals, key);
    return at ? strtoul (at + strlen (key), NULL, 10) : 0;
}

static void
s_expect_counts (unsigned long issued, unsigned long received)
{
    assert_int_equal (s_total (TUNXI, "CERTIFICATE_ISSUED"), issued);
    assert_int_equal (s_total (DINGAN, "CERTIFICATE_RECEIVED"), received);
}

/*  Tunxi never started: the query finds no connection, is dropped at
    the deadline, and is not delivered when Tunxi starts. */
static void
test_down_from_the_start (void **state)
{
    s_expect_unreachable ("could not be reached within 2000 ms");
    xt_fed_start (fed, TUNXI);
    s_expect_certificate ();   /* the dropped one would have come first */
    s_expect_counts (1, 1);
    /* The dropped one never left: Ding'an's log holds it as a decision
       ("not sent: no connection"), not as a query sent. */
    assert_int_equal (s_total (DINGAN, "QUERY_SENT"), 1);
}

/*  Tunxi killed while connected: the same. */
static void
test_killed_while_connected (void **state)
{
    xt_fed_stop (fed, TUNXI, 1);
    char out[8192];
    assert_int_equal (s_query (out, sizeof out), 3);
    xt_fed_start (fed, TUNXI);
    s_expect_certificate ();
    s_expect_counts (2, 2);
}

/*  Tunxi hangs while connected: the query reaches its socket but is
    read only after the deadline, and refused for it, not answered. */
static void
test_hung_node_refuses_what_came_too_late (void **state)
{
    int refused = xt_fed_log_count (fed, TUNXI, "query.deadline");
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGSTOP), 0);
    uint64_t asked = xc_now_ms ();
    s_expect_unreachable ("did not answer within 2000 ms");
    /* Past the deadline by any reckoning of Tunxi's (grace 0). */
    while (xc_now_ms () < asked + S_DEADLINE_MS + 1000)
        zclock_sleep (100);
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGCONT), 0);
    for (int i = 0; i < 100 && xt_fed_log_count (fed, TUNXI,
                                                 "query.deadline")
                                   == refused;
         i++)
        zclock_sleep (100);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "query.deadline"),
                      refused + 1);
    assert_true (xt_fed_log_count (fed, TUNXI, "the asking node has given "
                                   "up") >= 1);
    s_expect_certificate ();   /* after the refusal's answer came back */
    s_expect_counts (3, 3);
    assert_true (s_total (TUNXI, "REFUSED") >= 1);
}

/*  Ding'an's count of queries that left. */
static unsigned long long
s_sent (void)
{
    char st[8192];
    const char *args[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, st, sizeof st, args), 0);
    return xt_json_uint (st, "\"queries_sent\": ");
}

typedef struct {
    int status;
    char out[8192];
} s_asked_t;

static void *
s_ask_thread (void *arg)
{
    s_asked_t *a = arg;
    a->status = s_query (a->out, sizeof a->out);
    return NULL;
}

/*  Ding'an stops while a query waits for its answer (Tunxi hangs): the
    terminal hears why, and Ding'an's log holds the query and that it
    was abandoned: a query leaves without a commit of its own, so its
    entries must be written when the node gives up on it. */
static void
test_stop_with_a_query_in_flight (void **state)
{
    unsigned long long sent = s_sent ();
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGSTOP), 0);
    s_asked_t a = {0};
    pthread_t t;
    assert_int_equal (pthread_create (&t, NULL, s_ask_thread, &a), 0);
    //  The query is out once Ding'an counted it sent.
    for (int i = 0; i < 200 && s_sent () == sent; i++)
        zclock_sleep (10);
    assert_int_equal (s_sent (), sent + 1);
    assert_int_equal (xt_fed_term (fed, DINGAN), 0);
    pthread_join (t, NULL);
    if (a.status != 3)
        fail_msg ("exit %d, not 3: %s", a.status, a.out);
    xt_assert_has (a.out, "the node stopped before the answer came");
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGCONT), 0);

    xt_fed_start (fed, DINGAN);
    xt_fed_audit_check (fed, DINGAN);
    char path[PATH_MAX], out[1 << 18];
    snprintf (path, sizeof path, "%s/dingan-stopped.bin", fed->root);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, exp), 0);
    const char *list[] = {"audit", "list", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, list), 0);
    const char *gave_up = strstr (out, "the node stopped before the answer "
                                  "came");
    assert_non_null (gave_up);
    //  Its query is the entry just before: what left, byte for byte.
    const char *stop = strstr (gave_up, "\"kind\": \"stop\"");
    assert_non_null (stop);
    s_expect_certificate ();   /* and Ding'an serves again */
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_down_from_the_start),
        cmocka_unit_test (test_killed_while_connected),
        cmocka_unit_test (test_hung_node_refuses_what_came_too_late),
        cmocka_unit_test (test_stop_with_a_query_in_flight),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
