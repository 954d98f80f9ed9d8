/*  test_date.c - calendar dates and UTC times (xiecha/date.h): which
    YYYYMMDD integers are dates, parsing and formatting, the clock, and
    arithmetic on whole days (month ends, leap years, the 92-day quarter,
    3 calendar months) as the daemon's dynamic management uses it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "xiecha/date.h"
#include "xiecha/error.h"

/* 2026-01-01T00:00:00Z: a fixed "today" so clock tests do not age. */
#define FAKE_NOW "1767225600000"

static int
s_setup (void **state)
{
    setenv ("XIECHA_FAKE_NOW_MS", FAKE_NOW, 1);
    return 0;
}

static int
s_teardown (void **state)
{
    unsetenv ("XIECHA_FAKE_NOW_MS");
    return 0;
}

static void
test_date_parse (void **state)
{
    uint32_t d = 0;
    assert_int_equal (xc_date_parse ("2024-02-29", &d), 0);
    assert_int_equal (d, 20240229);
    assert_int_equal (xc_date_parse ("20231231", &d), 0);
    assert_int_equal (d, 20231231);
    assert_int_equal (xc_date_parse ("2023-02-29", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse ("20231301", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse ("2023-1-01", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse ("2023/01/01", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse ("2023010", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse ("", &d), XC_EINVAL);
    assert_int_equal (xc_date_parse (NULL, &d), XC_EINVAL);
}


static void
test_time_format (void **state)
{
    char out[32];
    xc_time_iso (0, out);
    assert_string_equal (out, "1970-01-01T00:00:00.000Z");
    xc_time_iso (1700000000123ULL, out);
    assert_string_equal (out, "2023-11-14T22:13:20.123Z");
    assert_int_equal (xc_date_from_ms (1700000000123ULL), 20231114);
    assert_int_equal (xc_date_from_ms (0), 19700101);
    char day[11];
    xc_date_text (20240229, day);
    assert_string_equal (day, "2024-02-29");
    xc_date_text (10101, day);
    assert_string_equal (day, "0001-01-01");
    xc_date_text (0, day);
    assert_string_equal (day, "0000-00-00");
}


static void
test_clock (void **state)
{
    assert_int_equal (xc_now_ms (), 1767225600000ULL);
    setenv ("XIECHA_FAKE_NOW_MS", "42", 1);
    assert_int_equal (xc_now_ms (), 42);
    unsetenv ("XIECHA_FAKE_NOW_MS");
    uint64_t now = xc_now_ms ();
    assert_true (now > 1700000000000ULL);     /* a real clock */
    setenv ("XIECHA_FAKE_NOW_MS", FAKE_NOW, 1);
}

/*  xc_date_valid and xc_date_parse agree on which dates exist. */
static void
test_parse_agrees_with_valid (void **state)
{
    for (uint32_t ymd = 19991200; ymd < 20010300; ymd++) {
        char text[16];
        uint32_t back = 0;
        snprintf (text, sizeof text, "%08u", (unsigned) ymd);
        int parsed = xc_date_parse (text, &back) == 0;
        assert_int_equal (parsed, xc_date_valid (ymd));
        if (parsed)
            assert_int_equal (back, ymd);
    }
    assert_false (xc_date_valid (99991232));
    assert_false (xc_date_valid (100000101));   /* year 10000 */
    assert_true (xc_date_valid (10101));        /* 0001-01-01 */
}

/* --------------------------------------------------------------------------
   Arithmetic on whole days
   -------------------------------------------------------------------------- */

static void
test_date_valid (void **state)
{
    assert_true (xc_date_valid (20240229));    /* divisible by 4 */
    assert_false (xc_date_valid (20230229));
    assert_false (xc_date_valid (19000229));   /* century, not by 400 */
    assert_true (xc_date_valid (20000229));    /* by 400 */
    assert_true (xc_date_valid (20241231));
    assert_false (xc_date_valid (20240431));
    assert_false (xc_date_valid (20241301));
    assert_false (xc_date_valid (20240100));
    assert_false (xc_date_valid (0));
}

/*  Checked against the C library's own calendar, not against itself. */
static void
test_date_days_match_timegm (void **state)
{
    assert_int_equal (xc_date_days (19700101), 0);
    assert_int_equal (xc_date_days (19691231), -1);
    for (int64_t n = -40000; n < 40000; n += 7) {
        time_t t = (time_t) (n * 86400);
        struct tm tm;
        assert_non_null (gmtime_r (&t, &tm));
        uint32_t ymd = (uint32_t) ((tm.tm_year + 1900) * 10000
                                   + (tm.tm_mon + 1) * 100 + tm.tm_mday);
        assert_int_equal (xc_date_days (ymd), n);
        assert_int_equal (xc_date_of_days (n), ymd);
    }
    assert_int_equal (xc_date_of_days (xc_date_days (10101)), 10101);
    assert_int_equal (xc_date_of_days (xc_date_days (99991231)), 99991231);
}

static void
test_date_diff_across_february (void **state)
{
    assert_int_equal (xc_date_diff (20240228, 20240301), 2);   /* leap */
    assert_int_equal (xc_date_diff (20230228, 20230301), 1);
    assert_int_equal (xc_date_diff (19000228, 19000301), 1);
    assert_int_equal (xc_date_diff (20000228, 20000301), 2);
    assert_int_equal (xc_date_diff (20241231, 20250101), 1);
    assert_int_equal (xc_date_diff (20250101, 20241231), -1);
    assert_int_equal (xc_date_diff (20240101, 20250101), 366);
}

/*  The quarterly check-in: 92 days is the longest quarter (Jul-Sep,
    Oct-Dec); overdue means more than that. */
static void
test_92_days (void **state)
{
    assert_int_equal (xc_date_diff (20250101, 20250403), 92);
    assert_int_equal (xc_date_diff (20240101, 20240402), 92);   /* leap */
    assert_int_equal (xc_date_diff (20250701, 20251001), 92);
    assert_int_equal (xc_date_of_days (xc_date_days (20251115) + 92),
                      20260215);
}

static void
test_add_months_clamps_to_month_end (void **state)
{
    assert_int_equal (xc_date_add_months (20251130, 3), 20260228);
    assert_int_equal (xc_date_add_months (20231130, 3), 20240229);
    assert_int_equal (xc_date_add_months (20240131, 1), 20240229);
    assert_int_equal (xc_date_add_months (20250131, 1), 20250228);
    assert_int_equal (xc_date_add_months (20991231, 2), 21000228);
    assert_int_equal (xc_date_add_months (20241215, 3), 20250315);
    assert_int_equal (xc_date_add_months (20241031, 12), 20251031);
    assert_int_equal (xc_date_add_months (20240331, -1), 20240229);
    assert_int_equal (xc_date_add_months (20250115, -13), 20231215);
    assert_int_equal (xc_date_add_months (20250531, 0), 20250531);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_date_valid),
        cmocka_unit_test (test_date_parse),
        cmocka_unit_test (test_parse_agrees_with_valid),
        cmocka_unit_test (test_time_format),
        cmocka_unit_test (test_clock),
        cmocka_unit_test (test_date_days_match_timegm),
        cmocka_unit_test (test_date_diff_across_february),
        cmocka_unit_test (test_92_days),
        cmocka_unit_test (test_add_months_clamps_to_month_end),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
