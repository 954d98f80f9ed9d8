/*  test_limits.c - token buckets and audit budgets per peer
    (daemon/node/limits.c), on a clock the test sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "node/limits.h"
#include "xiecha/error.h"

#define T0 1700000000000ULL   /* a UTC ms the test starts at */

static xc_limits_t *
s_new (int msg_rate, int msg_burst, int subj_rate, int subj_burst,
       int budget)
{
    xc_config_t c;
    memset (&c, 0, sizeof c);
    c.peer_messages_per_s = msg_rate;
    c.peer_messages_burst = msg_burst;
    c.peer_subjects_per_s = subj_rate;
    c.peer_subjects_burst = subj_burst;
    c.audit_refused_per_minute = budget;
    xc_limits_t *l = xc_limits_new (&c);
    assert_non_null (l);
    return l;
}

/*  The burst passes at once, the next is refused with when to retry,
    and the rate refills it: 10 a second is one every 100 ms. */
static void
test_bucket_burst_then_rate (void **state)
{
    xc_limits_t *l = s_new (10, 5, 100, 64, 20);
    char why[256];
    for (int i = 0; i < 5; i++)
        assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1,
                                          T0, why, sizeof why), 0);
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), XC_ERATE);
    assert_non_null (strstr (why, "10 messages a second (burst 5) for "
                                  "460000: retry in 100 ms"));
    /* Another peer has its own bucket. */
    assert_int_equal (xc_limits_take (l, "469021", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), 0);
    /* 99 ms refill 0.99 of a token: still refused, retry in 1 ms. */
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1,
                                      T0 + 99, why, sizeof why), XC_ERATE);
    assert_non_null (strstr (why, "retry in 1 ms"));
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1,
                                      T0 + 100, why, sizeof why), 0);
    /* An hour of quiet refills the burst, no more. */
    uint64_t later = T0 + 3600 * 1000;
    for (int i = 0; i < 5; i++)
        assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1,
                                          later, why, sizeof why), 0);
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1,
                                      later, why, sizeof why), XC_ERATE);
    /* A clock that steps back refills nothing. */
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), XC_ERATE);
    uint64_t throttled, unkept;
    xc_limits_totals (l, &throttled, &unkept);
    assert_int_equal (throttled, 4);
    assert_int_equal (unkept, 0);
    xc_limits_destroy (&l);
    xc_limits_destroy (&l);   /* harmless twice */
    assert_null (l);
}

/*  Subject lookups are taken per subject: a full query of 64 from a
    burst of 100 leaves 36, so the next full one waits; one larger than
    the burst can never pass and says so. */
static void
test_subjects_by_count (void **state)
{
    xc_limits_t *l = s_new (50, 200, 10, 100, 20);
    char why[256];
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_SUBJECTS, 64, T0,
                                      why, sizeof why), 0);
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_SUBJECTS, 64, T0,
                                      why, sizeof why), XC_ERATE);
    assert_non_null (strstr (why, "10 subject lookups a second (burst 100)"));
    assert_non_null (strstr (why, "retry in 2800 ms"));   /* 28 at 10/s */
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_SUBJECTS, 36, T0,
                                      why, sizeof why), 0);
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_SUBJECTS, 101,
                                      T0 + 3600 * 1000, why, sizeof why),
                      XC_ERATE);
    assert_non_null (strstr (why, "at most 100 at once"));
    /* The message bucket is apart. */
    assert_int_equal (xc_limits_take (l, "460000", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), 0);
    xc_limits_destroy (&l);
}

typedef struct {
    xc_limits_over_t got[4];
    int calls;
} s_sink_t;

static int
s_sink (const xc_limits_over_t *over, void *arg)
{
    s_sink_t *s = arg;
    assert_true (s->calls < 4);
    s->got[s->calls++] = *over;
    return 0;
}

/*  Three kept a minute; the rest only counted, by code, until the
    minute is over; then one summary, and the next minute keeps three
    again. */
static void
test_budget_and_summary (void **state)
{
    xc_limits_t *l = s_new (50, 200, 100, 1000, 3);
    for (int i = 0; i < 3; i++)
        assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0 + i), 1);
    for (int i = 0; i < 100; i++)
        assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0 + 10), 0);
    assert_int_equal (xc_limits_keep (l, "460000", XC_ERATE, T0 + 20), 0);
    assert_int_equal (xc_limits_keep (l, "460000", 0, T0 + 30), 0);
    /* Another peer has its own budget. */
    assert_int_equal (xc_limits_keep (l, "469021", XC_ESTALE, T0 + 30), 1);

    s_sink_t s = {0};
    assert_false (xc_limits_due (l, T0 + 59999, 0));
    assert_int_equal (xc_limits_flush (l, T0 + 59999, 0, s_sink, &s), 0);
    assert_int_equal (s.calls, 0);
    assert_true (xc_limits_due (l, T0 + 60000, 0));
    assert_true (xc_limits_due (l, T0 + 10, 1));
    assert_int_equal (xc_limits_flush (l, T0 + 60000, 0, s_sink, &s), 0);
    assert_int_equal (s.calls, 1);
    assert_string_equal (s.got[0].peer, "460000");
    assert_int_equal (s.got[0].refused, 101);
    assert_int_equal (s.got[0].duplicates, 1);
    assert_int_equal (s.got[0].codes[-XC_ESIG], 100);
    assert_int_equal (s.got[0].codes[-XC_ERATE], 1);
    assert_int_equal (s.got[0].codes[0], 1);
    assert_int_equal (s.got[0].since, T0);
    assert_int_equal (s.got[0].until, T0 + 60000);
    assert_false (xc_limits_due (l, T0 + 120000, 0));

    assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0 + 60001), 1);
    uint64_t throttled, unkept;
    xc_limits_totals (l, &throttled, &unkept);
    assert_int_equal (unkept, 102);

    xc_limits_peer_t top[4];
    assert_int_equal (xc_limits_top (l, top, 4), 2);
    assert_string_equal (top[0].peer, "460000");
    assert_int_equal (top[0].refused, 105);
    assert_int_equal (top[0].duplicates, 1);
    assert_int_equal (top[0].unkept, 102);
    assert_string_equal (top[1].peer, "469021");
    assert_int_equal (top[1].refused, 1);
    xc_limits_destroy (&l);
}

/*  A budget of 0 keeps nothing one by one; a minute that ends with
    nothing beyond the budget needs no summary and starts afresh with the
    next refusal; all (shutdown) ends every minute at once. */
static void
test_budget_edges (void **state)
{
    xc_limits_t *l = s_new (50, 200, 100, 1000, 0);
    assert_int_equal (xc_limits_keep (l, NULL, XC_EMALFORMED, T0), 0);
    s_sink_t s = {0};
    assert_int_equal (xc_limits_flush (l, T0 + 1, 1, s_sink, &s), 0);
    assert_int_equal (s.calls, 1);
    assert_string_equal (s.got[0].peer, "");
    assert_int_equal (s.got[0].codes[-XC_EMALFORMED], 1);
    xc_limits_destroy (&l);

    l = s_new (50, 200, 100, 1000, 1);
    assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0), 1);
    assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0 + 61000), 1);
    assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0 + 61001), 0);
    s.calls = 0;
    assert_int_equal (xc_limits_flush (l, T0 + 121000, 0, s_sink, &s), 0);
    assert_int_equal (s.calls, 1);
    assert_int_equal (s.got[0].since, T0 + 61000);
    assert_int_equal (s.got[0].refused, 1);
    xc_limits_destroy (&l);
}

static int
s_refuse (const xc_limits_over_t *over, void *arg)
{
    return XC_ESTORE;
}

/*  A summary that cannot be written keeps its counts for the next try. */
static void
test_flush_failure_keeps_counts (void **state)
{
    xc_limits_t *l = s_new (50, 200, 100, 1000, 0);
    assert_int_equal (xc_limits_keep (l, "460000", XC_ESIG, T0), 0);
    assert_int_equal (xc_limits_flush (l, T0 + 60000, 0, s_refuse, NULL),
                      XC_ESTORE);
    s_sink_t s = {0};
    assert_int_equal (xc_limits_flush (l, T0 + 60001, 0, s_sink, &s), 0);
    assert_int_equal (s.calls, 1);
    assert_int_equal (s.got[0].refused, 1);
    xc_limits_destroy (&l);
}

/*  Names from unverified headers cannot grow the table without bound:
    beyond XC_LIMITS_PEERS they share one entry, "*". */
static void
test_table_is_bounded (void **state)
{
    xc_limits_t *l = s_new (50, 1, 100, 1000, 20);
    char why[256], peer[8];
    for (int i = 0; i < XC_LIMITS_PEERS; i++) {
        snprintf (peer, sizeof peer, "%06d", i);
        assert_int_equal (xc_limits_take (l, peer, XC_LIMIT_MESSAGES, 1, T0,
                                          why, sizeof why), 0);
    }
    assert_int_equal (xc_limits_take (l, "999998", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), 0);
    assert_int_equal (xc_limits_take (l, "999999", XC_LIMIT_MESSAGES, 1, T0,
                                      why, sizeof why), XC_ERATE);
    assert_non_null (strstr (why, "for *"));
    xc_limits_destroy (&l);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_bucket_burst_then_rate),
        cmocka_unit_test (test_subjects_by_count),
        cmocka_unit_test (test_budget_and_summary),
        cmocka_unit_test (test_budget_edges),
        cmocka_unit_test (test_flush_failure_keeps_counts),
        cmocka_unit_test (test_table_is_bounded),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
