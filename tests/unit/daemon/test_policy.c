/*  test_policy.c - every preset rule, its boundaries, and bad files that
    must be refused naming the key.

    Presets are read from the source tree: $XIECHA_SRC/config/policy when
    the environment names the tree, else SRC_DIR/config/policy when the
    build defines SRC_DIR, else ../config/policy (run from the build dir). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node/policy.h"
#include "xiecha/wire.h"

#define DIBAO XIECHA__PROGRAM__DIBAO
#define TEKUN XIECHA__PROGRAM__TEKUN
#define LOW_INCOME XIECHA__PROGRAM__LOW_INCOME
#define DIBAO_EDGE XIECHA__PROGRAM__DIBAO_EDGE
#define TEMP XIECHA__PROGRAM__TEMP
#define SAME_COUNTY XIECHA__RELATION__SAME_COUNTY
#define SAME_CITY XIECHA__RELATION__SAME_CITY
#define SAME_PROVINCE XIECHA__RELATION__SAME_PROVINCE
#define OTHER_PROVINCE XIECHA__RELATION__OTHER_PROVINCE

static char s_dir[64];
static char s_path[128];
static char s_why[512];

/*  -- helpers ---------------------------------------------------------- */

static void
s_preset_path (const char *file, char *out, size_t len)
{
    const char *root = getenv ("XIECHA_SRC");
#ifdef SRC_DIR
    if (!root || !*root)
        root = SRC_DIR;
#endif
    if (root && *root)
        snprintf (out, len, "%s/config/policy/%s", root, file);
    else
        snprintf (out, len, "../config/policy/%s", file);
}

static void
s_load_preset (const char *file, xc_policy_t *p)
{
    char path[PATH_MAX];
    s_preset_path (file, path, sizeof path);
    int rc = xc_policy_load (path, p, s_why, sizeof s_why);
    if (rc)
        fail_msg ("%s: %s", path, s_why);
}

/*  Writes text to the scratch file and loads it. */
static int
s_load_text (const char *text, xc_policy_t *p)
{
    FILE *f = fopen (s_path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
    s_why[0] = '\0';
    return xc_policy_load (s_path, p, s_why, sizeof s_why);
}

/*  A case that passes every rule of every preset unless a test changes
    one field: lived here and held permits for ten years. */
static xc_policy_case_t
s_case (int program, int relation)
{
    xc_policy_case_t c = {
        .program = program, .relation = relation, .residence_months = 120,
        .permit_months = 120, .members_permit_months = 120,
        .emergency = 0, .enrolled_programs = 0};
    return c;
}

static int
s_check (const xc_policy_t *p, const xc_policy_case_t *c)
{
    s_why[0] = '\0';
    return xc_policy_check (p, c, s_why, sizeof s_why);
}

/*  Asserts a refusal whose why names the rule. */
static void
s_refused (const xc_policy_t *p, const xc_policy_case_t *c, const char *rule)
{
    assert_int_equal (s_check (p, c), XC_EPOLICY_CODE);
    if (!strstr (s_why, rule))
        fail_msg ("why '%s' does not name rule '%s'", s_why, rule);
}

static void
s_allowed (const xc_policy_t *p, const xc_policy_case_t *c)
{
    if (s_check (p, c) != 0)
        fail_msg ("refused: %s", s_why);
}

/*  Asserts a load error that names the key (and optionally more). */
static void
s_bad_file (const char *text, const char *key, const char *also)
{
    xc_policy_t p;
    xc_policy_default (&p);
    assert_int_equal (s_load_text (text, &p), XC_ECONFIG);
    if (!strstr (s_why, key) || (also && !strstr (s_why, also)))
        fail_msg ("why '%s' lacks '%s' / '%s'", s_why, key, also ? also : "");
    /* a bad file leaves the policy as it was */
    assert_string_equal (p.name, "default");
}

static int
s_setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-policy-XXXXXX");
    assert_non_null (mkdtemp (s_dir));
    snprintf (s_path, sizeof s_path, "%s/policy.zpl", s_dir);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    unlink (s_path);
    rmdir (s_dir);
    return 0;
}

/*  -- default ---------------------------------------------------------- */

static void
test_default_allows_everything (void **state)
{
    (void) state;
    xc_policy_t p;
    xc_policy_default (&p);
    for (int prog = DIBAO; prog <= TEMP; prog++)
        for (int rel = SAME_COUNTY; rel <= OTHER_PROVINCE; rel++) {
            xc_policy_case_t c = {prog, rel, 0, -1, -1, 0, 0};
            s_allowed (&p, &c);
        }
    assert_int_equal (p.emergency_temp_bypass, 1);
}

static void
test_default_preset_matches_builtin (void **state)
{
    (void) state;
    xc_policy_t file, builtin;
    s_load_preset ("default.zpl", &file);
    xc_policy_default (&builtin);
    /* everything but the source text must agree */
    memset (file.source, 0, sizeof file.source);
    memset (builtin.source, 0, sizeof builtin.source);
    assert_memory_equal (&file, &builtin, sizeof file);
}

/*  -- city-residence-months.zpl --------------------------------------- */

/*  need months pass, need - 1 fail naming the rule. */
static void
s_boundary (const xc_policy_t *p, int program, int need, const char *rule)
{
    xc_policy_case_t c = s_case (program, SAME_CITY);
    c.residence_months = need;
    s_allowed (p, &c);
    c.residence_months = need - 1;
    s_refused (p, &c, rule);
}

static void
test_city_residence_boundaries (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("city-residence-months.zpl", &p);
    s_boundary (&p, TEMP, 3, "rule residence/temp_months");
    s_boundary (&p, DIBAO, 6, "rule residence/dibao_months");
    s_boundary (&p, TEKUN, 12, "rule residence/tekun_months");
}

static void
test_city_why_names_policy_and_numbers (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("city-residence-months.zpl", &p);
    xc_policy_case_t c = s_case (DIBAO, OTHER_PROVINCE);
    c.residence_months = 4;
    assert_int_equal (s_check (&p, &c), XC_EPOLICY_CODE);
    assert_string_equal (s_why,
                         "policy 'city residence months': rule "
                         "residence/dibao_months: DIBAO needs 6 months of "
                         "residence, household has 4");
}

static void
test_city_silent_programs_and_permit (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("city-residence-months.zpl", &p);
    /* no minimum for LOW_INCOME / DIBAO_EDGE, no permit for anything */
    for (int prog = DIBAO; prog <= TEMP; prog++) {
        xc_policy_case_t c = s_case (prog, SAME_PROVINCE);
        c.permit_months = c.members_permit_months = -1;
        if (prog == LOW_INCOME || prog == DIBAO_EDGE)
            c.residence_months = 0;
        s_allowed (&p, &c);
    }
}

/*  -- county-permit-12m.zpl ------------------------------------------- */

static void
test_county_permit_programs (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("county-permit-12m.zpl", &p);
    const int needs[] = {DIBAO, TEKUN, LOW_INCOME, DIBAO_EDGE, TEMP};
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++) {
        xc_policy_case_t c = s_case (needs[i], SAME_CITY);
        c.residence_months = 0;
        c.permit_months = c.members_permit_months = 12;
        s_allowed (&p, &c);
        c.permit_months = -1;
        s_refused (&p, &c, "rule permit/required");
    }
}

static void
test_county_permit_months_boundary (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("county-permit-12m.zpl", &p);
    xc_policy_case_t c = s_case (DIBAO, SAME_PROVINCE);
    c.permit_months = 11;
    s_refused (&p, &c, "rule permit/months");
    assert_non_null (strstr (s_why, "held 12 months"));
    assert_non_null (strstr (s_why, "held it 11"));
    c.permit_months = 12;
    s_allowed (&p, &c);
}

static void
test_county_every_member_needs_permit (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("county-permit-12m.zpl", &p);
    xc_policy_case_t c = s_case (TEKUN, SAME_CITY);
    c.members_permit_months = -1;        /* one member holds none */
    s_refused (&p, &c, "rule permit/all_members");
    assert_non_null (strstr (s_why, "a member has none"));
    c.members_permit_months = 11;        /* one member held it too briefly */
    s_refused (&p, &c, "rule permit/all_members");
    c.members_permit_months = 12;
    s_allowed (&p, &c);
    c.members_permit_months = INT_MAX;   /* applicant lives alone */
    s_allowed (&p, &c);
}

/*  三（一）1: TEMP is applied for with the permit too (it was exempt). */
static void
test_county_temp_needs_permit (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("county-permit-12m.zpl", &p);
    xc_policy_case_t c = {TEMP, SAME_PROVINCE, 0, -1, -1, 0, 0};
    s_refused (&p, &c, "rule permit/required: TEMP needs a residence "
                       "permit");
    c.permit_months = 12;
    s_refused (&p, &c, "rule permit/all_members");
    c.members_permit_months = 12;
    s_allowed (&p, &c);
    /* 急难: the national rule still grants emergency TEMP first. */
    c = (xc_policy_case_t) {TEMP, SAME_PROVINCE, 0, -1, -1, 1, 0};
    s_allowed (&p, &c);
}

/*  三（一）2: an other-province household applies for DIBAO, TEKUN and
    LOW_INCOME, and for TEMP only as a recipient of one of them here. */
static void
test_county_other_province_temp_only_when_enrolled (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("county-permit-12m.zpl", &p);
    const int open[] = {DIBAO, TEKUN, LOW_INCOME, DIBAO_EDGE};
    for (size_t i = 0; i < sizeof open / sizeof open[0]; i++) {
        xc_policy_case_t c = s_case (open[i], OTHER_PROVINCE);
        s_allowed (&p, &c);
    }
    xc_policy_case_t c = s_case (TEMP, OTHER_PROVINCE);
    s_refused (&p, &c, "rule out_of_province/when_enrolled");
    assert_string_equal (s_why,
                         "policy 'county permit 12 months': rule "
                         "out_of_province/when_enrolled: a household "
                         "registered in another province may apply for "
                         "TEMP only while it receives DIBAO, TEKUN, "
                         "LOW_INCOME, DIBAO_EDGE here; it receives none");
    c.enrolled_programs = 1u << TEMP;   /* an earlier TEMP opens nothing */
    s_refused (&p, &c, "rule out_of_province/when_enrolled");
    c.enrolled_programs = 1u << DIBAO;
    s_allowed (&p, &c);
    c.enrolled_programs = 1u << LOW_INCOME;
    s_allowed (&p, &c);
    c.permit_months = -1;               /* and still with the permit */
    s_refused (&p, &c, "rule permit/required");
    /* In-province households need no enrollment for TEMP. */
    c = s_case (TEMP, SAME_PROVINCE);
    s_allowed (&p, &c);
}

/*  -- emergency, same county, out of province -------------------------- */

static void
test_emergency_bypass (void **state)
{
    (void) state;
    xc_policy_t p;
    s_load_preset ("city-residence-months.zpl", &p);
    p.out_of_province_programs = 0;     /* bypass skips this rule too */
    p.out_of_province_when_enrolled = 0;
    xc_policy_case_t c = {TEMP, OTHER_PROVINCE, 0, -1, -1, 1, 0};
    s_allowed (&p, &c);
    assert_non_null (strstr (s_why, "emergency/temp_bypass"));
    /* only TEMP is granted first; DIBAO waits for the ordinary rules */
    c.program = DIBAO;
    s_refused (&p, &c, "rule out_of_province/allowed");
    /* with the bypass off, the emergency TEMP meets the 3-month rule */
    p.out_of_province_programs = XC_POLICY_ALL_PROGRAMS;
    p.emergency_temp_bypass = 0;
    c.program = TEMP;
    s_refused (&p, &c, "rule residence/temp_months");
}

static void
test_same_county_needs_no_residence_rule (void **state)
{
    (void) state;
    const char *presets[] = {"city-residence-months.zpl",
                             "county-permit-12m.zpl"};
    for (size_t i = 0; i < 2; i++) {
        xc_policy_t p;
        s_load_preset (presets[i], &p);
        for (int prog = DIBAO; prog <= TEMP; prog++) {
            xc_policy_case_t c = {prog, SAME_COUNTY, 0, -1, -1, 0, 0};
            s_allowed (&p, &c);
            assert_non_null (strstr (s_why, "registered in this county"));
        }
    }
}

static void
test_out_of_province (void **state)
{
    (void) state;
    xc_policy_t p;
    xc_policy_default (&p);
    snprintf (p.name, sizeof p.name, "strict");
    p.out_of_province_programs = 1u << TEMP;
    xc_policy_case_t c = s_case (DIBAO, OTHER_PROVINCE);
    s_refused (&p, &c, "rule out_of_province/when_enrolled");
    assert_string_equal (s_why,
                         "policy 'strict': rule out_of_province/"
                         "when_enrolled: a household registered in another "
                         "province may apply for DIBAO only while it "
                         "receives any program here; it receives none");
    c.enrolled_programs = 1u << TEKUN;  /* once enrolled, it may apply */
    s_allowed (&p, &c);
    p.out_of_province_when_enrolled = 1u << TEKUN;
    s_refused (&p, &c, "rule out_of_province/allowed");
    assert_string_equal (s_why,
                         "policy 'strict': rule out_of_province/allowed: a "
                         "household registered in another province may "
                         "apply for TEMP; DIBAO is not among them");
    c = s_case (TEMP, OTHER_PROVINCE);
    s_allowed (&p, &c);
    c = s_case (DIBAO, SAME_PROVINCE); /* only other provinces */
    s_allowed (&p, &c);
}

static void
test_bad_case_is_einval (void **state)
{
    (void) state;
    xc_policy_t p;
    xc_policy_default (&p);
    xc_policy_case_t c = s_case (0, SAME_CITY);
    assert_int_equal (s_check (&p, &c), XC_EINVAL);
    assert_non_null (strstr (s_why, "program 0"));
    c.program = 6;
    assert_int_equal (s_check (&p, &c), XC_EINVAL);
    c = s_case (DIBAO, 0);
    assert_int_equal (s_check (&p, &c), XC_EINVAL);
    c = s_case (DIBAO, SAME_CITY);
    c.residence_months = -1;
    assert_int_equal (s_check (&p, &c), XC_EINVAL);
    c = s_case (DIBAO, SAME_CITY);
    c.permit_months = -2;
    assert_int_equal (s_check (&p, &c), XC_EINVAL);
    assert_int_equal (xc_policy_check (&p, NULL, NULL, 0), XC_EINVAL);
    /* NULL why is allowed */
    c = s_case (DIBAO, SAME_CITY);
    assert_int_equal (xc_policy_check (&p, &c, NULL, 0), 0);
}

/*  -- the file format -------------------------------------------------- */

static void
test_brief_example_loads (void **state)
{
    (void) state;
    xc_policy_t p;
    assert_int_equal (s_load_text (
        "policy\n"
        "    name = \"X city\"\n"
        "    source = \"example\"\n"
        "    residence\n"
        "        temp_months = 3\n"
        "        dibao_months = 6\n"
        "        tekun_months = 12\n"
        "        low_income_months = 0\n"
        "        dibao_edge_months = 0\n"
        "    permit\n"
        "        required = \"dibao, Tekun\"\n"
        "        months = 12\n"
        "        all_members = 1\n"
        "    out_of_province\n"
        "        allowed = \"temp\"\n"
        "        when_enrolled = \"dibao\"\n"
        "        enrolled_in = \"tekun, low-income\"\n"
        "    emergency\n"
        "        temp_bypass = 0\n", &p), 0);
    assert_string_equal (p.name, "X city");
    assert_int_equal (p.min_residence_months[TEKUN], 12);
    assert_int_equal (p.permit_required[DIBAO], 1);
    assert_int_equal (p.permit_required[TEKUN], 1);
    assert_int_equal (p.permit_required[TEMP], 0);
    assert_int_equal (p.permit_months[DIBAO], 12);
    assert_int_equal (p.permit_all_members, 1);
    assert_int_equal (p.out_of_province_programs, 1u << TEMP);
    assert_int_equal (p.out_of_province_when_enrolled, 1u << DIBAO);
    assert_int_equal (p.out_of_province_enrolled_in,
                      (1u << TEKUN) | (1u << LOW_INCOME));
    assert_int_equal (p.emergency_temp_bypass, 0);
}

static void
test_only_name_is_required (void **state)
{
    (void) state;
    xc_policy_t p, def;
    assert_int_equal (s_load_text ("policy\n    name = \"n\"\n", &p), 0);
    xc_policy_default (&def);
    assert_int_equal (p.out_of_province_programs, def.out_of_province_programs);
    assert_int_equal (p.out_of_province_when_enrolled,
                      def.out_of_province_when_enrolled);
    assert_int_equal (p.out_of_province_enrolled_in,
                      def.out_of_province_enrolled_in);
    assert_int_equal (p.emergency_temp_bypass, 1);
    s_bad_file ("policy\n    source = \"s\"\n", "policy/name", "required");
}

static void
test_program_lists (void **state)
{
    (void) state;
    xc_policy_t p;
    assert_int_equal (s_load_text ("policy\n    name = \"n\"\n"
                                   "    permit\n        required = \"all\"\n"
                                   "    out_of_province\n        allowed = \"\"\n"
                                   "        when_enrolled = \"\"\n",
                                   &p), 0);
    for (int prog = DIBAO; prog <= TEMP; prog++)
        assert_int_equal (p.permit_required[prog], 1);
    assert_int_equal (p.out_of_province_programs, 0);
    xc_policy_case_t c = s_case (TEMP, OTHER_PROVINCE);
    s_refused (&p, &c, "may apply for none");
}

static void
test_unknown_key_is_named (void **state)
{
    (void) state;
    s_bad_file ("policy\n    name = \"n\"\n    residence\n"
                "        dibao_month = 6\n",
                "unknown key 'policy/residence/dibao_month'", NULL);
    s_bad_file ("policy\n    name = \"n\"\n    emergencies\n"
                "        temp_bypass = 1\n",
                "unknown key 'policy/emergencies/temp_bypass'", NULL);
}

static void
test_out_of_range_is_named (void **state)
{
    (void) state;
    s_bad_file ("policy\n    name = \"n\"\n    residence\n"
                "        tekun_months = 121\n",
                "policy/residence/tekun_months", "121 is outside 0..120");
    s_bad_file ("policy\n    name = \"n\"\n    permit\n        months = -1\n",
                "policy/permit/months", "outside 0..120");
    s_bad_file ("policy\n    name = \"n\"\n    permit\n"
                "        all_members = 2\n",
                "policy/permit/all_members", "outside 0..1");
    s_bad_file ("policy\n    name = \"n\"\n    residence\n"
                "        temp_months = three\n",
                "policy/residence/temp_months", "not an integer");
}

static void
test_unknown_program_is_named (void **state)
{
    (void) state;
    s_bad_file ("policy\n    name = \"n\"\n    permit\n"
                "        required = \"dibao,dibo\"\n",
                "policy/permit/required", "unknown program 'dibo'");
    s_bad_file ("policy\n    name = \"n\"\n    out_of_province\n"
                "        allowed = \"temp,\"\n",
                "policy/out_of_province/allowed", "unknown program ''");
}

static void
test_unreadable_or_not_zpl (void **state)
{
    (void) state;
    xc_policy_t p;
    assert_int_equal (xc_policy_load ("/nonexistent/policy.zpl", &p, s_why,
                                      sizeof s_why), XC_ECONFIG);
    assert_non_null (strstr (s_why, "cannot read"));
    assert_int_equal (xc_policy_load (s_dir, &p, s_why, sizeof s_why),
                      XC_ECONFIG);       /* a directory is not a file */
    s_bad_file ("policy\n  name = \"two-space indent\"\n", s_path,
                "not valid ZPL");
    char long_name[128];
    memset (long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    char text[256];
    snprintf (text, sizeof text, "policy\n    name = \"%s\"\n", long_name);
    s_bad_file (text, "policy/name", "longer than 63 bytes");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_default_allows_everything),
        cmocka_unit_test (test_default_preset_matches_builtin),
        cmocka_unit_test (test_city_residence_boundaries),
        cmocka_unit_test (test_city_why_names_policy_and_numbers),
        cmocka_unit_test (test_city_silent_programs_and_permit),
        cmocka_unit_test (test_county_permit_programs),
        cmocka_unit_test (test_county_permit_months_boundary),
        cmocka_unit_test (test_county_every_member_needs_permit),
        cmocka_unit_test (test_county_temp_needs_permit),
        cmocka_unit_test (test_county_other_province_temp_only_when_enrolled),
        cmocka_unit_test (test_emergency_bypass),
        cmocka_unit_test (test_same_county_needs_no_residence_rule),
        cmocka_unit_test (test_out_of_province),
        cmocka_unit_test (test_bad_case_is_einval),
        cmocka_unit_test (test_brief_example_loads),
        cmocka_unit_test (test_only_name_is_required),
        cmocka_unit_test (test_program_lists),
        cmocka_unit_test (test_unknown_key_is_named),
        cmocka_unit_test (test_out_of_range_is_named),
        cmocka_unit_test (test_unknown_program_is_named),
        cmocka_unit_test (test_unreadable_or_not_zpl),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
