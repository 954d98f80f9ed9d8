/*  itest_presets.c - the corrected rules of the county preset
    (config/policy/county-permit-12m.zpl, from
    dingan-county-residence-application-pilot.txt 三（一）), through a
    real Ding'an 469021 running it and the real CLI.

    TEMP is applied for with the residence permit, like every other
    program (三（一）1; it was exempt); a household registered in another
    province may apply for TEMP only while Ding'an pays it 低保, 特困供养
    or 低收入 support (三（一）2; it could apply for everything).  A query
    the policy refuses never reaches the registration node. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;
static char today[11];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 3000);
    xt_fed_policy (fed, DINGAN, "county-permit-12m.zpl");
    for (size_t i = 0; i < 3; i++)
        xt_fed_start (fed, i);
    xc_date_text (xc_zone_date (xc_now_ms ()), today);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Asks Ding'an for TEMP about id, registered in home, with the permit
    held for permit months (NULL: none) and, if emergency, at the place
    of an emergency; returns the exit status, the JSON in out. */
static int
s_temp_query (const char *id, const char *home, const char *permit,
              int emergency, char *out, size_t len)
{
    const char *args[14] = {"query", "--id", id, "--name", "Applicant",
                            "--home", home, "--program", "temp", "--json"};
    size_t n = 10;
    if (permit) {
        args[n++] = "--permit-months";
        args[n++] = permit;
    }
    if (emergency)
        args[n++] = "--emergency";
    args[n] = NULL;
    return xt_fed_cli (fed, DINGAN, out, len, args);
}

/*  三（一）1: an in-province household applies for TEMP with the permit
    (every member's, 12 months). */
static void
test_temp_needs_the_permit (void **state)
{
    static char out[16384];
    const char *id = xt_id_next ("469028");
    uint64_t lingshui = xt_fed_audit_entries (fed, LINGSHUI);
    assert_int_equal (s_temp_query (id, "469028", NULL, 0, out, sizeof out),
                      1);
    xt_assert_has (out, "rule permit/required: TEMP needs a residence "
                        "permit");
    assert_int_equal (s_temp_query (id, "469028", "11", 0, out, sizeof out),
                      1);
    xt_assert_has (out, "rule permit/months");
    assert_int_equal (xt_fed_audit_entries (fed, LINGSHUI), lingshui);

    assert_int_equal (s_temp_query (id, "469028", "12", 0, out, sizeof out),
                      0);
    xt_assert_has (out, "\"status\": \"NOT_RECEIVING\"");
    assert_true (xt_fed_audit_entries (fed, LINGSHUI) > lingshui);
    /* 急难: emergency TEMP is granted first, permit or not. */
    assert_int_equal (s_temp_query (id, "469028", NULL, 1, out, sizeof out),
                      0);
}

/*  三（一）2: an other-province household applies for TEMP only as a
    recipient of DIBAO, TEKUN or LOW_INCOME here. */
static void
test_other_province_temp_only_for_recipients (void **state)
{
    static char out[16384];
    const char *id = xt_id_next ("341002");
    uint64_t tunxi = xt_fed_audit_entries (fed, TUNXI);
    assert_int_equal (s_temp_query (id, "341002", "12", 0, out, sizeof out),
                      1);
    xt_assert_has (out, "rule out_of_province/when_enrolled: a household "
                        "registered in another province may apply for TEMP "
                        "only while it receives DIBAO, TEKUN, LOW_INCOME, "
                        "DIBAO_EDGE here; it receives none");
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), tunxi);

    /* DIBAO it may apply for; once Ding'an pays it, TEMP too. */
    const char *dibao[] = {"query", "--id", id, "--name", "Applicant",
                           "--home", "341002", "--program", "dibao",
                           "--permit-months", "12", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, dibao), 0);
    const char *enroll[] = {"enroll", "--id", id, "--name", "Applicant",
                            "--home", "341002", "--program", "dibao",
                            "--since", today, "--wait", "10000", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, enroll), 0);
    xt_assert_has (out, "delivered: acknowledged by 341002");
    assert_int_equal (s_temp_query (id, "341002", "12", 0, out, sizeof out),
                      0);
    xt_assert_has (out, "\"relation\": \"OTHER_PROVINCE\"");
    /* Still with the permit. */
    assert_int_equal (s_temp_query (id, "341002", NULL, 0, out, sizeof out),
                      1);
    xt_assert_has (out, "rule permit/required");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_temp_needs_the_permit),
        cmocka_unit_test (test_other_province_temp_only_for_recipients),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
