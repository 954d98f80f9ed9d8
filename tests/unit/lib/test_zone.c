/*  test_zone.c - the node's local time (zone.h): which names are zones,
    and Beijing time's days and months against UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/xiecha.h"

#define DEC1_UTC 1796083200000ull   /* 2026-12-01T00:00:00Z */
#define HOUR (3600ull * 1000)

static void
s_refused (const char *zone, const char *needle)
{
    char why[512] = "";
    assert_int_equal (xc_zone_check (zone, why, sizeof why), XC_EINVAL);
    if (!strstr (why, needle) || strncmp (why, "node/timezone: ", 15) != 0)
        fail_msg ("zone '%s' refused with '%s'", zone, why);
}

/*  Names that are not zones, or that would leave the zone directory. */
static void
test_names_checked (void **state)
{
    s_refused ("", "not a time zone name");
    s_refused ("../../etc/passwd", "not a time zone name");
    s_refused ("/etc/localtime", "not a time zone name");
    s_refused ("Asia//Shanghai", "not a time zone name");
    s_refused ("Asia/.hidden", "not a time zone name");
    s_refused ("Asia/Shang hai", "not a time zone name");
    s_refused ("Asia/Beijing", "no zone Asia/Beijing");
    s_refused ("Asia", "is not time zone data");   /* a directory */
    assert_int_equal (xc_zone_check ("Asia/Shanghai", NULL, 0), 0);
    assert_int_equal (xc_zone_check ("UTC", NULL, 0), 0);
    /* a refused zone changes nothing */
    assert_int_equal (xc_zone_use ("Asia/Shanghai", NULL, 0), 0);
    assert_int_equal (xc_zone_use ("Asia/Beijing", NULL, 0), XC_EINVAL);
    assert_string_equal (xc_zone_name (), "Asia/Shanghai");
}

/*  At 2026-12-01T20:00Z it is 04:00 on 2 December in Beijing; the day
    began at 16:00Z the day before. */
static void
test_beijing_time (void **state)
{
    assert_int_equal (xc_zone_use ("Asia/Shanghai", NULL, 0), 0);
    assert_int_equal (xc_zone_date (DEC1_UTC + 20 * HOUR), 20261202);
    assert_int_equal (xc_zone_date (DEC1_UTC - 8 * HOUR - 1), 20261130);
    assert_int_equal (xc_zone_date (DEC1_UTC - 8 * HOUR), 20261201);
    assert_int_equal (xc_zone_day_start (20261202), DEC1_UTC + 16 * HOUR);
    char text[32];
    xc_zone_time (DEC1_UTC + 20 * HOUR, text);
    assert_string_equal (text, "2026-12-02 04:00:00 +08:00");
    uint64_t from, to;
    assert_int_equal (xc_report_month ("2027-01", &from, &to, NULL, 0), 0);
    assert_int_equal (from, DEC1_UTC + (31 * 24 - 8) * HOUR);
    assert_int_equal (to - from, 31 * 24 * HOUR);
}

/*  The same instants in UTC: one setting moves every day. */
static void
test_utc (void **state)
{
    assert_int_equal (xc_zone_use ("UTC", NULL, 0), 0);
    assert_int_equal (xc_zone_date (DEC1_UTC + 20 * HOUR), 20261201);
    assert_int_equal (xc_zone_day_start (20261202), DEC1_UTC + 24 * HOUR);
    char text[32];
    xc_zone_time (DEC1_UTC + 20 * HOUR, text);
    assert_string_equal (text, "2026-12-01 20:00:00 +00:00");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_names_checked),
        cmocka_unit_test (test_beijing_time),
        cmocka_unit_test (test_utc),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
