/*  itest_household.c - a household is one thing everywhere: terminate,
    checkin and due agree on it, at real daemons.

    Ding'an 469021 enrolls households registered at Tunxi 341002 (another
    province, so they check in quarterly) and reports it there.  Ending
    the applicant ends the members too, at Tunxi and in Ding'an's own
    dynamic management; ending a member ends the household as a check-in
    by a member checks it in; --member-only ends one person, and the
    others stay one household, listed once by `due`.  (Before:
    `terminate --id A` after `enroll --id A --member B` ended only A; B
    stayed RECEIVING and `due` listed a new "household" keyed on B.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;
static char s_since[11], s_end[11], s_later[11];

static void
s_date (int days_from_today, char out[11])
{
    int64_t today = xc_date_days (xc_zone_date (xc_now_ms ()));
    xc_date_text (xc_date_of_days (today + days_from_today), out);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 3000);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    s_date (-30, s_since);
    s_date (-1, s_end);
    s_date (100, s_later);   /* past a quarter without a check-in */
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  "ID:NAME" for --member. */
static const char *
s_member (const char *id)
{
    static char buf[4][64];
    static int next;
    char *b = buf[next++ % 4];
    snprintf (b, 64, "%s:家人", id);
    return b;
}

/*  Ding'an enrolls head with up to two members in DIBAO, acknowledged. */
static void
s_enroll (const char *head, const char *m1, const char *m2)
{
    const char *args[20] = {"enroll", "--id", head, "--name", "户主",
                            "--home", "341002", "--program", "dibao",
                            "--since", s_since, "--json"};
    size_t n = 12;
    for (const char *const *m = (const char *[]) {m1, m2, NULL}; *m; m++) {
        args[n++] = "--member";
        args[n++] = s_member (*m);
    }
    args[n] = NULL;
    char out[4096];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"delivered\": true");
}

/*  xiecha terminate of id (with --member-only when alone); returns how
    many people the acknowledged notice covers. */
static unsigned
s_terminate (const char *id, int alone)
{
    const char *args[] = {"terminate", "--id", id, "--name", "某人",
                          "--home", "341002", "--program", "dibao", "--end",
                          s_end, "--reason", "moved_away", "--json",
                          alone ? "--member-only" : NULL, NULL};
    char out[4096];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"delivered\": true");
    const char *n = strstr (out, "\"subjects\": ");
    assert_non_null (n);
    return (unsigned) strtoul (n + strlen ("\"subjects\": "), NULL, 10);
}

/*  Tunxi's word on id's DIBAO, asked from Ding'an. */
static int
s_status (const char *id)
{
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {id, "某人"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512];
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    int status = a.cert->results[0]->status;
    xc_answer_free (&a);
    return status;
}

/*  Ding'an's due listing a quarter on: the total, JSON in out. */
static unsigned
s_due (char *out, size_t out_len)
{
    const char *args[] = {"due", "--as-of", s_later, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, out_len, args), 0);
    const char *n = strstr (out, "\"total\": ");
    assert_non_null (n);
    return (unsigned) strtoul (n + strlen ("\"total\": "), NULL, 10);
}

static const char *
s_ref_hex (const char *id, char hex[2 * XC_REF_LEN + 1])
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, id, ref);
    xc_hex (ref, XC_REF_LEN, hex);
    return hex;
}

static void
test_applicant_ends_the_household (void **state)
{
    char a[XT_ID_SIZE], b[XT_ID_SIZE], out[16384];
    snprintf (a, sizeof a, "%s", xt_id_next ("341002"));
    snprintf (b, sizeof b, "%s", xt_id_next ("341002"));
    s_enroll (a, b, NULL);
    assert_int_equal (s_status (b), XIECHA__STATUS__RECEIVING);
    unsigned before = s_due (out, sizeof out);
    assert_int_equal (s_terminate (a, 0), 2);
    assert_int_equal (s_status (a), XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (s_status (b), XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (s_due (out, sizeof out), before - 1);
    char hex[2 * XC_REF_LEN + 1];
    if (strstr (out, s_ref_hex (b, hex)))
        fail_msg ("the member is listed as a household of its own: %s", out);
}

static void
test_member_only_keeps_one_household (void **state)
{
    char c[XT_ID_SIZE], d[XT_ID_SIZE], e[XT_ID_SIZE], out[16384];
    char hex[2 * XC_REF_LEN + 1];
    snprintf (c, sizeof c, "%s", xt_id_next ("341002"));
    snprintf (d, sizeof d, "%s", xt_id_next ("341002"));
    snprintf (e, sizeof e, "%s", xt_id_next ("341002"));
    s_enroll (c, d, e);
    unsigned before = s_due (out, sizeof out);

    /* The applicant alone, explicitly: the members stay, one household. */
    assert_int_equal (s_terminate (c, 1), 1);
    assert_int_equal (s_status (c), XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (s_status (d), XIECHA__STATUS__RECEIVING);
    assert_int_equal (s_status (e), XIECHA__STATUS__RECEIVING);
    assert_int_equal (s_due (out, sizeof out), before);
    int listed = (strstr (out, s_ref_hex (d, hex)) != NULL)
                 + (strstr (out, s_ref_hex (e, hex)) != NULL);
    if (listed != 1)
        fail_msg ("the two members left are listed %d times: %s", listed,
                  out);

    /* A check-in by a member is the household's... */
    const char *ci[] = {"checkin", "--id", e, "--name", "家人", "--json",
                        NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, ci), 0);
    /* ...and so is a termination by a member. */
    assert_int_equal (s_terminate (e, 0), 2);
    assert_int_equal (s_status (d), XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (s_status (e), XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (s_due (out, sizeof out), before - 1);
    const char *gone[] = {"checkin", "--id", d, "--name", "家人", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, gone), 1);
}

/*  What the household terminations did to both indexes is what their
    audit logs say: a replay rebuilds each exactly. */
static void
test_replay_matches (void **state)
{
    const char *args[] = {"audit", "replay", "--json", NULL};
    char out[16384];
    for (size_t i = 0; i < fed->count; i++) {
        assert_int_equal (xt_fed_cli (fed, (int) i, out, sizeof out, args),
                          0);
        xt_assert_has (out, "\"matches\": true");
    }
}

/*  --member-only belongs to terminate alone. */
static void
test_member_only_is_for_terminate (void **state)
{
    const char *args[] = {"enroll", "--id", xt_id_next ("341002"), "--name",
                          "某人", "--home", "341002", "--program", "dibao",
                          "--since", s_since, "--member-only", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, args), 2);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_applicant_ends_the_household),
        cmocka_unit_test (test_member_only_keeps_one_household),
        cmocka_unit_test (test_replay_matches),
        cmocka_unit_test (test_member_only_is_for_terminate),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
