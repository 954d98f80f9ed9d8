/*  itest_checkin_policy.c - household check-ins and the residence
    policy, end to end through the real CLI.  Ding'an 469021 enrolls
    households registered at Tunxi 341002 (another province) and at
    Lingshui 469028 (same province): `xiecha due` lists the other-province
    household once its quarterly check-in is missed, forgets it after
    `xiecha checkin`, and lists it again once recorded absent for over 3
    months; the same-province household never needs a quarterly
    check-in.
    Lingshui runs the city residence policy: a query it forbids is
    refused with exit 1 before anything reaches the registration node. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <unistd.h>

#include "xt_fed.h"
#include "decide/households.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    xt_fed_policy (fed, LINGSHUI, "city-residence-months.zpl");
    for (size_t i = 0; i < 3; i++)
        xt_fed_start (fed, i);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Today minus days, as YYYYMMDD. */
static uint32_t
s_days_ago (int days)
{
    return xc_date_of_days (xc_date_days (xc_zone_date (xc_now_ms ()))
                            - days);
}

/*  Enrolls id at Ding'an for DIBAO since start, and waits for the ack so
    that the registration node's answer cannot undo it later. */
static void
s_enroll (const char *id, const char *home, uint32_t start)
{
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                     .home_county = home,
                     .applicant = {id, "Applicant"},
                     .program = XIECHA__PROGRAM__DIBAO,
                     .start_date = start,
                     .wait_ms = 5000};
    xc_notice_result_t res;
    char why[512];
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    if (xc_client_notice (c, &n, &res, why, sizeof why) != 0)
        fail_msg ("enroll: %s", why);
    xc_client_destroy (&c);
    assert_true (res.delivered);
}

/*  `xiecha due --json` at Ding'an; returns the line of id's household
    (its JSON object, in out), or NULL when it is not listed. */
static const char *
s_due_entry (const char *id, char *out, size_t len)
{
    uint8_t ref[XC_REF_LEN];
    char hex[2 * XC_REF_LEN + 1];
    xt_fed_ref (fed, id, ref);
    xc_hex (ref, XC_REF_LEN, hex);
    const char *args[] = {"due", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, len, args), 0);
    assert_non_null (strstr (out, "\"total\""));
    char *at = strstr (out, hex);
    if (!at)
        return NULL;
    char *end = strchr (at, '}');
    if (end)
        *end = '\0';
    return at;
}

static int
s_checkin (const char *id, const char *date, int absent)
{
    const char *args[10] = {"checkin", "--id", id, "--name", "Applicant"};
    size_t n = 5;
    if (date) {
        args[n++] = "--date";
        args[n++] = date;
    }
    if (absent)
        args[n++] = "--absent";
    args[n] = NULL;
    return xt_fed_cli (fed, DINGAN, NULL, 0, args);
}

static void
s_date_arg (uint32_t ymd, char *out)
{
    snprintf (out, 11, "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100,
              ymd % 100);
}

static void
test_other_province_household_checks_in_quarterly (void **state)
{
    static char out[1 << 16];
    const char *id = xt_id_next ("341002");
    s_enroll (id, "341002", s_days_ago (125));
    const char *entry = s_due_entry (id, out, sizeof out);
    assert_non_null (entry);
    assert_non_null (strstr (entry, "check-in overdue"));
    assert_non_null (strstr (entry, "\"home\": \"341002\""));

    assert_int_equal (s_checkin (id, NULL, 0), 0);
    assert_null (s_due_entry (id, out, sizeof out));

    /* The family left the day after its enrollment, over 3 months ago. */
    char left[11];
    s_date_arg (s_days_ago (124), left);
    assert_int_equal (s_checkin (id, left, 1), 0);
    entry = s_due_entry (id, out, sizeof out);
    assert_non_null (entry);
    assert_non_null (strstr (entry, "absent over 3 months: aid should stop"));

    /* Seen again today: present, checked in, not due. */
    assert_int_equal (s_checkin (id, NULL, 0), 0);
    assert_null (s_due_entry (id, out, sizeof out));
}

static void
test_same_province_household_has_no_quarterly_checkin (void **state)
{
    static char out[1 << 16];
    const char *id = xt_id_next ("341002");
    s_enroll (id, "469028", s_days_ago (400));
    assert_null (s_due_entry (id, out, sizeof out));
    /* Absence counts for every household, whatever its origin. */
    char left[11];
    s_date_arg (s_days_ago (200), left);
    assert_int_equal (s_checkin (id, left, 1), 0);
    assert_non_null (s_due_entry (id, out, sizeof out));
}

static void
test_checkin_refusals (void **state)
{
    const char *id = xt_id_next ("341002");
    /* Never enrolled here: the node refuses, exit 1. */
    assert_int_equal (s_checkin (id, NULL, 0), 1);
    /* Bad input: exit 2, before anything is sent. */
    assert_int_equal (s_checkin (id, "2026-02-30", 0), 2);
    const char *bad[] = {"due", "--as-of", "yesterday", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, bad), 2);
}

/*  Lingshui's city policy: DIBAO needs 6 months of residence, TEMP 3
    (waived in an emergency). */
static void
test_policy_refuses_before_asking (void **state)
{
    const char *id = xt_id_next ("341002"), *member = xt_id_next ("341002");
    char member_arg[64];
    snprintf (member_arg, sizeof member_arg, "%s:Member:12", member);
    uint64_t home_before = xt_fed_audit_entries (fed, TUNXI);
    const char *refused[] = {"query", "--id", id, "--name", "Applicant",
                             "--home", "341002", "--program", "dibao",
                             "--residence-months", "2", NULL};
    assert_int_equal (xt_fed_cli (fed, LINGSHUI, NULL, 0, refused), 1);
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), home_before);

    const char *allowed[] = {"query", "--id", id, "--name", "Applicant",
                             "--home", "341002", "--program", "dibao",
                             "--residence-months", "7", "--permit-months",
                             "12", "--member", member_arg, NULL};
    assert_int_equal (xt_fed_cli (fed, LINGSHUI, NULL, 0, allowed), 0);
    assert_true (xt_fed_audit_entries (fed, TUNXI) > home_before);

    const char *emergency[] = {"query", "--id", id, "--name", "Applicant",
                               "--home", "341002", "--program", "temp",
                               "--emergency", NULL};
    assert_int_equal (xt_fed_cli (fed, LINGSHUI, NULL, 0, emergency), 0);
    const char *no_emergency[] = {"query", "--id", id, "--name", "Applicant",
                                  "--home", "341002", "--program", "temp",
                                  NULL};
    assert_int_equal (xt_fed_cli (fed, LINGSHUI, NULL, 0, no_emergency), 1);

    const char *bad[] = {"query", "--id", id, "--name", "Applicant",
                         "--home", "341002", "--program", "temp",
                         "--residence-months", "many", NULL};
    assert_int_equal (xt_fed_cli (fed, LINGSHUI, NULL, 0, bad), 2);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_other_province_household_checks_in_quarterly),
        cmocka_unit_test (test_same_province_household_has_no_quarterly_checkin),
        cmocka_unit_test (test_checkin_refusals),
        cmocka_unit_test (test_policy_refuses_before_asking),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
