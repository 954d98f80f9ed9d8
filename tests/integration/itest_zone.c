/*  itest_zone.c - a node counts its days in Beijing time (node/timezone).

    The clock, the one thing outside the system, is set for every
    process of the test (XIECHA_FAKE_NOW_MS, inherited by the daemons and
    the CLI) to 2026-12-01T20:00Z: 04:00 on 2 December in Beijing.
    Ding'an 469021 keeps the default zone, Tunxi 341002 is set to UTC, so
    one setting is seen to move every "today": the roster date of the
    first start, `due`, `checkin`'s default date and the month of a
    report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

#define NOW "1796155200000"   /* 2026-12-01T20:00:00Z */

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    setenv ("XIECHA_FAKE_NOW_MS", NOW, 1);
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    xt_fed_config_node (fed, TUNXI, "    timezone = \"UTC\"\n");
    for (size_t i = 0; i < 2; i++)
        xt_fed_start (fed, i);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    unsetenv ("XIECHA_FAKE_NOW_MS");
    return 0;
}

/*  The first start's empty snapshot is dated the node's today. */
static void
test_roster_dated_local_today (void **state)
{
    char out[16384];
    const char *args[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"as_of\": \"2026-12-02\"");
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    xt_assert_has (out, "\"as_of\": \"2026-12-01\"");
    assert_null (strstr (out, "2026-12-02"));
}

/*  `due` without --as-of is as of the node's today. */
static void
test_due_as_of_local_today (void **state)
{
    char out[4096];
    const char *args[] = {"due", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"as_of\": \"2026-12-02\"");
    const char *human[] = {"due", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, human), 0);
    xt_assert_has (out, "2026-12-01");
}

/*  The month of a report is the node's: December has begun in Beijing
    (its first instant is 2026-11-30T16:00Z), and the report says so
    under its seal; a UTC node's December begins 8 hours later. */
static void
test_report_month_local (void **state)
{
    char out[16384];
    const char *dec[] = {"report", "monthly", "--month", "2026-12", "--json",
                         NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, dec), 0);
    xt_assert_has (out, "\"timezone\": \"Asia/Shanghai\"");
    xt_assert_has (out, "\"period_from\": \"2026-11-30T16:00:00.000Z\"");
    xt_assert_has (out, "\"period_to\": \"2026-12-31T16:00:00.000Z\"");
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, dec), 0);
    xt_assert_has (out, "\"timezone\": \"UTC\"");
    xt_assert_has (out, "\"period_from\": \"2026-12-01T00:00:00.000Z\"");
    /* January has not begun anywhere */
    const char *jan[] = {"report", "monthly", "--month", "2027-01", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, jan), 2);
}

/*  A zone this machine has no data for stops --check, naming it. */
static void
test_unknown_zone_refused (void **state)
{
    char path[512], out[4096];
    snprintf (path, sizeof path, "%s", xt_fed_write (fed, "bad-zone.zpl",
              "node\n    code = \"469021\"\n    timezone = \"Asia/Beijing\"\n"));
    const char *args[] = {"--check", NULL};
    assert_int_not_equal (xt_fed_xiechad_config (fed, path, args, out,
                                                 sizeof out), 0);
    xt_assert_has (out, "node/timezone: no zone Asia/Beijing");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_roster_dated_local_today),
        cmocka_unit_test (test_due_as_of_local_today),
        cmocka_unit_test (test_report_month_local),
        cmocka_unit_test (test_unknown_zone_refused),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
