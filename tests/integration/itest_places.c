/*  itest_places.c - relations between places and people without a
    mainland resident ID, through real daemons and the real CLI.

    Ding'an 469021 and Lingshui 469028 are counties Hainan administers
    directly (city part 90): they belong to no city, so a query between
    them is SAME_PROVINCE (it was SAME_CITY); Tunxi 341002 is another
    province.  Certificates name the places in Chinese from the division
    table.  The holder of a residence permit for Hong Kong, Macao or
    Taiwan residents, or of a foreigner's permanent residence ID, has no
    registration county: no query is made for them, and emergency TEMP
    aid for them is recorded at the residence node itself, which then
    answers for it like any enrollment it pays. */
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

/*  Runs the CLI at node (-1: no node) and fails unless it exits with
    want. */
static void
s_cli (int node, int want, char *out, size_t len, const char *const *args)
{
    int rc = xt_fed_cli (fed, node, out, len, args);
    if (rc != want)
        fail_msg ("xiecha %s %s: exit %d, want %d: %s", args[0],
                  args[1] ? args[1] : "", rc, want, out ? out : "");
}

/* ---- relations ------------------------------------------------------------ */

static void
test_province_administered_counties_are_same_province (void **state)
{
    static char out[16384];
    const char *id = xt_id_next ("469021");
    const char *args[] = {"query", "--id", id, "--name", "Applicant",
                          "--home", "469021", "--program", "dibao",
                          "--json", NULL};
    s_cli (LINGSHUI, 0, out, sizeof out, args);
    xt_assert_has (out, "\"relation\": \"SAME_PROVINCE\"");
    xt_assert_has (out, "\"issuer\": \"469021\"");
    xt_assert_has (out, "\"issuer_division\": \"定安县\"");
    xt_assert_has (out, "\"requester_division\": \"陵水黎族自治县\"");

    const char *human[] = {"query", "--id", id, "--name", "Applicant",
                           "--home", "469021", "--program", "dibao", NULL};
    s_cli (LINGSHUI, 0, out, sizeof out, human);
    xt_assert_has (out, "from 469021 定安县 to 469028 陵水黎族自治县 "
                        "(same province)");
}

static void
test_other_province_named (void **state)
{
    static char out[16384];
    const char *id = xt_id_next ("341002");
    const char *cert = xt_fed_write (fed, "tunxi.cert", "");
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s", cert);
    const char *args[] = {"query", "--id", id, "--name", "Applicant",
                          "--home", "341002", "--program", "dibao",
                          "--out", path, "--json", NULL};
    s_cli (DINGAN, 0, out, sizeof out, args);
    xt_assert_has (out, "\"relation\": \"OTHER_PROVINCE\"");
    xt_assert_has (out, "\"issuer_division\": \"屯溪区\"");

    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            "--json", NULL};
    s_cli (-1, 0, out, sizeof out, verify);
    xt_assert_has (out, "\"issuer_division\": \"屯溪区\"");
    xt_assert_has (out, "\"requester_division\": \"定安县\"");
    const char *status[] = {"status", NULL};
    s_cli (TUNXI, 0, out, sizeof out, status);
    xt_assert_has (out, "341002 屯溪区");
}

/*  A node's code is a unit: a group row of the official list is none;
    a code the (partial) table does not list is only warned about. */
static void
test_group_code_is_no_node (void **state)
{
    char dir[PATH_MAX];
    snprintf (dir, sizeof dir, "%s/group-keys", fed->root);
    const char *group[] = {"keygen", "--code", "469000", "--dir", dir, NULL};
    s_cli (-1, 2, NULL, 0, group);
    const char *unlisted[] = {"keygen", "--code", "469099", "--dir", dir,
                              NULL};
    s_cli (-1, 0, NULL, 0, unlisted);
}

/* ---- people without a mainland resident ID --------------------------------- */

/*  A valid number that starts with prefix (its first 6 characters:
    810000, 830000, or 9 + province + country), born in the 1960s or
    1970s, distinct per call. */
static const char *
s_other_id (const char *prefix)
{
    static unsigned seq;
    char first[18];
    snprintf (first, sizeof first, "%.6s19%02u%02u%02u%03u", prefix,
              60 + seq % 20, 1 + seq % 12, 1 + seq % 28, seq % 1000);
    seq++;
    return xt_id (first);
}

/*  Emergency TEMP for id at Ding'an, no --home: recorded there, nothing
    sent to anyone. */
static void
s_emergency_here (const char *id)
{
    static char out[4096];
    uint64_t tunxi = xt_fed_audit_entries (fed, TUNXI);
    uint64_t lingshui = xt_fed_audit_entries (fed, LINGSHUI);
    const char *args[] = {"emergency", "--id", id, "--name", "Visitor",
                          "--date", today, "--band", "2",
                          "--reason-category", "illness", "--json", NULL};
    s_cli (DINGAN, 0, out, sizeof out, args);
    xt_assert_has (out, "\"home\": null");
    xt_assert_has (out, "\"delivered\": true");
    const char *human[] = {"emergency", "--id", id, "--name", "Visitor",
                           "--date", today, "--band", "1",
                           "--reason-category", "accident", NULL};
    s_cli (DINGAN, 0, out, sizeof out, human);
    xt_assert_has (out, "recorded at this node (no registration county)");
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), tunxi);
    assert_int_equal (xt_fed_audit_entries (fed, LINGSHUI), lingshui);
    const char *outbox[] = {"outbox", "--json", NULL};
    s_cli (DINGAN, 0, out, sizeof out, outbox);
    assert_null (strstr (out, "notice_id"));
}

/*  Lingshui asks Ding'an about a Ding'an household whose member is id:
    the member receives TEMP today, paid by Ding'an. */
static void
s_member_receives_temp (const char *id)
{
    static char out[16384];
    char member[64];
    snprintf (member, sizeof member, "%s:Visitor", id);
    const char *args[] = {"query", "--id", xt_id_next ("469021"), "--name",
                          "Applicant", "--member", member, "--home",
                          "469021", "--program", "temp", "--json", NULL};
    s_cli (LINGSHUI, 0, out, sizeof out, args);
    const char *m = strstr (out, "\"role\": \"member\"");
    assert_non_null (m);
    xt_assert_has (m, "\"status\": \"RECEIVING\"");
    xt_assert_has (m, "\"program\": \"TEMP\"");
    xt_assert_has (m, "\"node\": \"469021\"");
}

static void
test_permit_holders_emergency_recorded_here (void **state)
{
    const char *kinds[] = {"810000", "820000", "830000", "911840",
                           "946392"};
    for (size_t i = 0; i < 5; i++) {
        const char *id = s_other_id (kinds[i]);
        char kept[XT_ID_SIZE];
        snprintf (kept, sizeof kept, "%s", id);
        s_emergency_here (kept);
        s_member_receives_temp (kept);
    }
    char out[4096];
    const char *replay[] = {"audit", "replay", NULL};
    s_cli (DINGAN, 0, out, sizeof out, replay);
    xt_assert_has (out, "index matches the log");
}

static void
test_no_registration_county_refusals (void **state)
{
    static char out[4096];
    const char *id = s_other_id ("830000");
    char kept[XT_ID_SIZE];
    snprintf (kept, sizeof kept, "%s", id);
    uint64_t tunxi = xt_fed_audit_entries (fed, TUNXI);

    /* No query for them: no registration node knows them. */
    const char *query[] = {"query", "--id", kept, "--name", "Visitor",
                           "--home", "341002", "--program", "temp",
                           "--emergency", "--json", NULL};
    s_cli (DINGAN, 2, out, sizeof out, query);
    xt_assert_has (out, "a Taiwan residence permit names no registration "
                        "county");
    /* A home given for them is a mistake, said so. */
    const char *home[] = {"emergency", "--id", kept, "--name", "Visitor",
                          "--home", "341002", "--date", today, "--band",
                          "2", "--reason-category", "illness", "--json",
                          NULL};
    s_cli (DINGAN, 2, out, sizeof out, home);
    xt_assert_has (out, "holds a Taiwan residence permit and has no "
                        "registration county");
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), tunxi);

    /* A resident ID's holder is registered somewhere: --home is needed;
       Hong Kong, Macao and Taiwan are nobody's registration county. */
    const char *resident = xt_id_next ("341002");
    const char *missing[] = {"emergency", "--id", resident, "--name", "A",
                             "--date", today, "--band", "2",
                             "--reason-category", "illness", NULL};
    s_cli (DINGAN, 2, NULL, 0, missing);
    const char *hk[] = {"enroll", "--id", resident, "--name", "A", "--home",
                        "810000", "--program", "dibao", "--since", today,
                        "--json", NULL};
    s_cli (DINGAN, 2, out, sizeof out, hk);
    xt_assert_has (out, "home_county: 810000 is not on the mainland");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (
            test_province_administered_counties_are_same_province),
        cmocka_unit_test (test_other_province_named),
        cmocka_unit_test (test_group_code_is_no_node),
        cmocka_unit_test (test_permit_holders_emergency_recorded_here),
        cmocka_unit_test (test_no_registration_county_refusals),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
