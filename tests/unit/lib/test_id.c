/*  test_id.c - ID numbers and division codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/error.h"
#include "xiecha/id.h"

#include "xt_id.h"

/* 2026-01-01T00:00:00Z: a fixed "today" so date tests do not age. */
#define FAKE_NOW "1767225600000"

/*  Builds an ID from its first 17 characters with the right check
    character, computed independently of the library (tests/lib). */
static void
s_make_id (const char *first17, char *id)
{
    memcpy (id, xt_id (first17), XT_ID_SIZE);
}

/*  The ID made from first17 is refused, saying want. */
static void
s_refused (const char *first17, const char *want)
{
    char id[19], norm[XC_ID_LEN + 1], why[256] = "";
    s_make_id (first17, id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    if (!strstr (why, want))
        fail_msg ("%s: '%s' does not say '%s'", id, why, want);
}

/*  The ID made from first17 is valid, of kind, and refused with any
    other check character: the checksum is GB 11643's. */
static void
s_valid_kind (const char *first17, int kind)
{
    char id[19], norm[XC_ID_LEN + 1], why[256] = "";
    s_make_id (first17, id);
    if (xc_id_normalize (id, "f", norm, why, sizeof why) != 0)
        fail_msg ("%s: %s", id, why);
    assert_string_equal (norm, id);
    assert_int_equal (xc_id_kind (norm), kind);
    norm[17] = norm[17] == '0' ? '1' : '0';
    assert_int_equal (xc_id_normalize (norm, "f", id, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "check character"));
}

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
test_known_valid (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("11010519491231002X", "a", norm, why,
                                       sizeof why), 0);
    assert_string_equal (norm, "11010519491231002X");

    char id[19];
    s_make_id ("44052419800101001", id);
    assert_int_equal (xc_id_normalize (id, "a", norm, why, sizeof why), 0);
    assert_string_equal (norm, id);
}

static void
test_helper_matches_known (void **state)
{
    /* The test's own MOD 11-2 agrees with published examples. */
    char id[19];
    s_make_id ("11010519491231002", id);
    assert_string_equal (id, "11010519491231002X");
    s_make_id ("44052418800101001", id);
    assert_string_equal (id, "440524188001010014");
}

static void
test_lowercase_x (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("11010519491231002x", "a", norm, why,
                                       sizeof why), 0);
    assert_string_equal (norm, "11010519491231002X");
}

static void
test_whitespace_trimmed (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize (" \t11010519491231002x \r\n", "a",
                                       norm, why, sizeof why), 0);
    assert_string_equal (norm, "11010519491231002X");
    /* Inner blanks are not trimmed: they change the length. */
    assert_int_equal (xc_id_normalize ("110105 19491231002X", "a", norm,
                                       why, sizeof why), XC_EINVAL);
}

static void
test_bad_checksum (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("110105194912310023",
                                       "applicant.id_number", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "applicant.id_number: check character is '3' "
                              "but should be 'X'");
    assert_int_equal (xc_id_normalize ("440524198001010015", "m", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_non_null (strstr (why, "check character is '5'"));
}

static void
test_bad_dates (void **state)
{
    char id[19], norm[XC_ID_LEN + 1], why[256] = "";
    s_make_id ("11010519990230001", id);
    assert_int_equal (xc_id_normalize (id, "applicant.id_number", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "applicant.id_number: date of birth 19990230 "
                              "is not a calendar date");
    s_make_id ("11010519991301001", id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "f: date of birth 19991301 is not a calendar "
                              "date");
    s_make_id ("11010519990100001", id);      /* day 0 */
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    s_make_id ("11010519000229001", id);      /* 1900 was not leap */
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    s_make_id ("11010520000229001", id);      /* 2000 was */
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why), 0);
    s_make_id ("11010519960229001", id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why), 0);
}

static void
test_before_1900 (void **state)
{
    /* A textbook example with a correct check character, but the header
       contract refuses years before 1900. */
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("440524188001010014", "f", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "f: date of birth 18800101 is before 1900");
}

static void
test_future_birth (void **state)
{
    char id[19], norm[XC_ID_LEN + 1], why[256] = "";
    s_make_id ("11010520260102001", id);      /* the day after "today" */
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "f: date of birth 20260102 is after today "
                              "(20260101)");
    s_make_id ("11010520260101001", id);      /* born today: fine */
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why), 0);
}

static void
test_wrong_length (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("11010519491231002", "applicant."
                                       "id_number", norm, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "applicant.id_number: must be 18 characters, "
                              "got 17");
    assert_int_equal (xc_id_normalize ("11010519491231002X1", "f", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "f: must be 18 characters, got 19");
    assert_int_equal (xc_id_normalize ("", "f", norm, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "f: must be 18 characters, got 0");
    assert_int_equal (xc_id_normalize ("   ", "f", norm, why, sizeof why),
                      XC_EINVAL);
    assert_int_equal (xc_id_normalize (NULL, "f", norm, why, sizeof why),
                      XC_EINVAL);
}

static void
test_non_digit (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("1101051949123100AX", "f", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "f: character 17 is 'A', must be a digit");
    /* X is only allowed as the check character. */
    assert_int_equal (xc_id_normalize ("X10105194912310021", "f", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_int_equal (xc_id_normalize ("11010519491231002Y", "f", norm, why,
                                       sizeof why), XC_EINVAL);
    assert_string_equal (why, "f: character 18 is 'Y', must be a digit or "
                              "'X'");
    assert_int_equal (xc_id_normalize ("1101051949\x01""231002X", "f", norm,
                                       why, sizeof why), XC_EINVAL);
    assert_non_null (strstr (why, "0x01"));
}

static void
test_area_code (void **state)
{
    char id[19], norm[XC_ID_LEN + 1], why[256] = "";
    s_make_id ("00000019491231002", id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "area code 000000"));
    s_make_id ("99010519491231002", id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    s_make_id ("10010519491231002", id);
    assert_int_equal (xc_id_normalize (id, "f", norm, why, sizeof why),
                      XC_EINVAL);
    /* Taiwan 71 keeps no mainland register; 16 is no province. */
    s_refused ("71010519491231002", "area code 710105 is not in a province "
                                    "of the mainland");
    s_refused ("16010519491231002", "area code 160105 is not in a province");
    /* 81/82/83 are residence permits, whose area is always PP0000. */
    s_refused ("82010519491231002", "f: area code 820105: a Macao residence "
                                    "permit number starts 820000");
}

/*  港澳台居民居住证: 810000, 820000, 830000, then birth, order, check. */
static void
test_residence_permits (void **state)
{
    s_valid_kind ("81000019900101001", XC_ID_HK_PERMIT);
    s_valid_kind ("82000019851231002", XC_ID_MO_PERMIT);
    s_valid_kind ("83000020000229003", XC_ID_TW_PERMIT);
    for (int k = XC_ID_HK_PERMIT; k <= XC_ID_TW_PERMIT; k++)
        assert_false (xc_id_kind_has_home (k));
    s_refused ("83010019900101001", "f: area code 830100: a Taiwan residence "
                                    "permit number starts 830000");
    s_refused ("81000019901301001", "date of birth 19901301");
    assert_string_equal (xc_id_kind_name (XC_ID_HK_PERMIT),
                         "Hong Kong residence permit");
}

/*  外国人永久居留身份证 (2023): 9, issuing province, country code,
    birth, order, check. */
static void
test_foreigner_permanent_residence (void **state)
{
    s_valid_kind ("91184019800101001", XC_ID_FOREIGNER);  /* 北京, 840 USA */
    s_valid_kind ("94639219751130002", XC_ID_FOREIGNER);  /* 海南, 392 Japan */
    assert_false (xc_id_kind_has_home (XC_ID_FOREIGNER));
    assert_string_equal (xc_id_kind_name (XC_ID_FOREIGNER),
                         "foreigner's permanent residence ID");
    s_refused ("98184019800101001", "characters 2-3; 81 is none");
    s_refused ("91100019800101001", "000 is none");
    s_refused ("91184018800101001", "before 1900");
}

static void
test_kind (void **state)
{
    assert_int_equal (xc_id_kind ("11010519491231002X"), XC_ID_RESIDENT);
    assert_true (xc_id_kind_has_home (XC_ID_RESIDENT));
    assert_int_equal (xc_id_kind ("71010519491231002X"), 0);
    assert_int_equal (xc_id_kind ("1101051949123100"), 0);
    assert_int_equal (xc_id_kind (NULL), 0);
    assert_string_equal (xc_id_kind_name (0), "?");
}

static void
test_null_field_and_why (void **state)
{
    char norm[XC_ID_LEN + 1], why[256] = "";
    assert_int_equal (xc_id_normalize ("123", NULL, norm, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "id_number: must be 18 characters, got 3");
    /* why may be NULL */
    assert_int_equal (xc_id_normalize ("123", NULL, norm, NULL, 0),
                      XC_EINVAL);
    /* a short buffer truncates, never overflows */
    char tiny[8];
    assert_int_equal (xc_id_normalize ("123", "field", norm, tiny,
                                       sizeof tiny), XC_EINVAL);
    assert_string_equal (tiny, "field: ");
}

static void
test_code_valid (void **state)
{
    assert_true (xc_code_valid ("469025"));
    assert_true (xc_code_valid ("110000"));
    assert_true (xc_code_valid ("820000"));
    assert_false (xc_code_valid ("830000"));
    assert_false (xc_code_valid ("100000"));
    assert_false (xc_code_valid ("000000"));
    assert_false (xc_code_valid ("46902"));
    assert_false (xc_code_valid ("4690255"));
    assert_false (xc_code_valid ("46902a"));
    assert_false (xc_code_valid (""));
    assert_false (xc_code_valid (NULL));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_known_valid),
        cmocka_unit_test (test_helper_matches_known),
        cmocka_unit_test (test_lowercase_x),
        cmocka_unit_test (test_whitespace_trimmed),
        cmocka_unit_test (test_bad_checksum),
        cmocka_unit_test (test_bad_dates),
        cmocka_unit_test (test_before_1900),
        cmocka_unit_test (test_future_birth),
        cmocka_unit_test (test_wrong_length),
        cmocka_unit_test (test_non_digit),
        cmocka_unit_test (test_area_code),
        cmocka_unit_test (test_residence_permits),
        cmocka_unit_test (test_foreigner_permanent_residence),
        cmocka_unit_test (test_kind),
        cmocka_unit_test (test_null_field_and_why),
        cmocka_unit_test (test_code_valid),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
