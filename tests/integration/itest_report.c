/*  itest_report.c - monthly statistics from real daemons, sealed, saved
    by the real CLI and verified offline with the trust list alone.

    Ding'an 469021 asks Tunxi 341002 (other province) and reports an
    enrollment to it; Lingshui 469028 asks Ding'an (same province: both
    are counties Hainan administers directly, of no city).  Each node's
    report for the current month must show exactly that, and one
    changed character in the saved file must make it INVALID.  (A run
    that straddles midnight at the end of a month would split the counts;
    the traffic takes well under a second.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;
static char s_month[8];   /* the nodes' current month, YYYY-MM */

static void
s_query (size_t node, const char *home, int program, const char *id)
{
    const int programs[] = {program};
    xc_query_t q = {.home_county = home,
                    .applicant = {id, "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, node);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query from node %zu to %s: %s", node, home, why);
    xc_answer_free (&a);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    for (size_t i = 0; i < 3; i++)
        xt_fed_start (fed, i);
    char today[11];
    xc_date_text (xc_zone_date (xc_now_ms ()), today);
    snprintf (s_month, sizeof s_month, "%.7s", today);

    s_query (DINGAN, "341002", XIECHA__PROGRAM__DIBAO,
             xt_id ("34100219800101123"));
    s_query (LINGSHUI, "469021", XIECHA__PROGRAM__TEMP,
             xt_id ("46902119900202123"));
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                     .home_county = "341002",
                     .applicant = {xt_id ("34100219850505123"), "Applicant"},
                     .program = XIECHA__PROGRAM__DIBAO,
                     .start_date = xc_zone_date (xc_now_ms ()),
                     .wait_ms = 5000};
    xc_notice_result_t res;
    char why[512] = "";
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    int rc = xc_client_notice (c, &n, &res, why, sizeof why);
    xc_client_destroy (&c);
    if (rc || !res.delivered)
        fail_msg ("enrollment not acknowledged: %s", rc ? why : "timeout");
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  report monthly --out FILE --json on node; returns the file's path. */
static const char *
s_monthly (size_t node, char *out, size_t out_len)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/report-%s.txt", fed->root,
              fed->nodes[node].code);
    const char *args[] = {"report", "monthly", "--month", s_month, "--out",
                          path, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, (int) node, out, out_len, args), 0);
    return path;
}

static int
s_verify (const char *path, char *out, size_t out_len, int json)
{
    const char *args[] = {"report", "verify", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed),
                          json ? "--json" : NULL, NULL};
    return xt_fed_cli (fed, -1, out, out_len, args);
}

static void
test_residence_node_report_verifies (void **state)
{
    char out[16384];
    const char *path = s_monthly (DINGAN, out, sizeof out);
    xt_assert_has (out, "\"node\": \"469021\"");
    xt_assert_has (out, "\"QUERY_SENT\": 1");
    xt_assert_has (out, "\"CERTIFICATE_RECEIVED\": 1");
    xt_assert_has (out, "\"ENROLLMENT_SENT\": 1");
    /* Lingshui's query made Ding'an a registration node.  Both are
       counties Hainan administers directly (4690xx): one province, no
       city, so SAME_PROVINCE (it was counted SAME_CITY before). */
    xt_assert_has (out, "\"CERTIFICATE_ISSUED\": 1");
    xt_assert_has (out, "\"relation\": \"SAME_PROVINCE\"");
    assert_null (strstr (out, "SAME_CITY"));

    assert_int_equal (s_verify (path, out, sizeof out, 1), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"ENROLLMENT_SENT\": 1");
    assert_int_equal (s_verify (path, out, sizeof out, 0), 0);
    xt_assert_has (out, "VALID\n");
    xt_assert_has (out, "ENROLLMENT_SENT");
}

static void
test_registration_node_report_verifies (void **state)
{
    char out[16384];
    const char *path = s_monthly (TUNXI, out, sizeof out);
    xt_assert_has (out, "\"CERTIFICATE_ISSUED\": 1");
    xt_assert_has (out, "\"SUBJECT_NOT_RECEIVING\": 1");
    xt_assert_has (out, "\"ENROLLMENT_APPLIED\": 1");
    xt_assert_has (out, "\"relation\": \"OTHER_PROVINCE\"");
    assert_null (strstr (out, "QUERY_SENT"));
    assert_int_equal (s_verify (path, out, sizeof out, 1), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"ENROLLMENT_APPLIED\": 1");
}

/*  One changed character in the armored body: INVALID, exit 1, and
    nothing of what the file claims is shown. */
static void
test_changed_character_is_invalid (void **state)
{
    char out[16384];
    const char *path = s_monthly (TUNXI, out, sizeof out);
    FILE *f = fopen (path, "r+");
    assert_non_null (f);
    /* "-----BEGIN XIECHA REPORT-----\n" is 30 characters: 40 is body. */
    fseek (f, 40, SEEK_SET);
    int ch = fgetc (f);
    fseek (f, 40, SEEK_SET);
    fputc (ch == 'A' ? 'B' : 'A', f);
    fclose (f);
    assert_int_equal (s_verify (path, out, sizeof out, 0), 1);
    xt_assert_has (out, "INVALID: ");
    assert_null (strstr (out, "ENROLLMENT_APPLIED"));
    assert_int_equal (s_verify (path, out, sizeof out, 1), 1);
    xt_assert_has (out, "\"valid\": false");
}

static void
test_bad_input_exits_2 (void **state)
{
    char out[4096];
    const char *bad_month[] = {"report", "monthly", "--month", "2026-13",
                               NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, bad_month), 2);
    const char *no_month[] = {"report", "monthly", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, no_month), 2);
    const char *not_begun[] = {"report", "monthly", "--month", "9999-12",
                               NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, not_begun), 2);
    const char *not_armored = xt_fed_write (fed, "junk.txt",
                                            "no report here\n");
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s", not_armored);
    assert_int_equal (s_verify (path, out, sizeof out, 0), 2);
    const char *help[] = {"report", "--help", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, help), 0);
    xt_assert_has (out, "Exit status");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_residence_node_report_verifies),
        cmocka_unit_test (test_registration_node_report_verifies),
        cmocka_unit_test (test_changed_character_is_invalid),
        cmocka_unit_test (test_bad_input_exits_2),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
