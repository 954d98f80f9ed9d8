/*  test_division.c - the division rule (relation, level, parent, city)
    for every kind of code, and the division table: the shipped file, the
    official two-column form, and every way a table is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/xiecha.h"

#define SHIPPED SRC_DIR "/data/divisions.tsv"

#define COUNTY XIECHA__RELATION__SAME_COUNTY
#define CITY XIECHA__RELATION__SAME_CITY
#define PROVINCE XIECHA__RELATION__SAME_PROVINCE
#define OTHER XIECHA__RELATION__OTHER_PROVINCE

/*  The relation both ways round: it is symmetric. */
static void
s_relation (const char *a, const char *b, int want)
{
    if (xc_relation_of (a, b) != want || xc_relation_of (b, a) != want)
        fail_msg ("relation %s %s: %s / %s, want %s", a, b,
                  xc_relation_name (xc_relation_of (a, b)),
                  xc_relation_name (xc_relation_of (b, a)),
                  xc_relation_name (want));
}

/* ---- the rule, one test per kind of code ------------------------------- */

/*  Ordinary counties PPCCDD: the city is PPCC. */
static void
test_ordinary_counties (void **state)
{
    s_relation ("341002", "341002", COUNTY);
    s_relation ("341002", "341003", CITY);        /* 屯溪区, 黄山区 */
    s_relation ("341002", "341000", CITY);        /* and 黄山市 itself */
    s_relation ("341002", "340705", PROVINCE);    /* 铜官区, 铜陵市 */
    s_relation ("341002", "469021", OTHER);
    s_relation ("460105", "460202", PROVINCE);    /* 海口 and 三亚 */
    s_relation ("460105", "460108", CITY);
}

/*  Municipalities: every district and county is one city, Chongqing's
    5002xx counties with its 5001xx districts. */
static void
test_municipality_districts (void **state)
{
    s_relation ("110101", "110105", CITY);
    s_relation ("110105", "110000", CITY);
    s_relation ("120112", "120101", CITY);
    s_relation ("310115", "310151", CITY);
    s_relation ("500103", "500231", CITY);        /* 渝中区, 垫江县 */
    s_relation ("500229", "500243", CITY);
    s_relation ("500103", "110105", OTHER);
    s_relation ("110105", "120101", OTHER);       /* 北京, 天津 */
}

/*  Province-administered county-level units (city part 90) belong to
    no city: two of one province are SAME_PROVINCE. */
static void
test_province_administered_counties (void **state)
{
    s_relation ("469021", "469028", PROVINCE);    /* 定安, 陵水 */
    s_relation ("469021", "469025", PROVINCE);
    s_relation ("469021", "460100", PROVINCE);    /* and 海口市 */
    s_relation ("469021", "460105", PROVINCE);
    s_relation ("429004", "429005", PROVINCE);    /* 仙桃, 潜江 */
    s_relation ("429021", "420106", PROVINCE);    /* 神农架, 武昌区 */
    s_relation ("419001", "410800", PROVINCE);    /* 济源, 焦作 */
    s_relation ("659001", "659008", PROVINCE);    /* 石河子, 可克达拉 */
    s_relation ("659001", "650100", PROVINCE);
    s_relation ("469021", "429004", OTHER);
}

/*  Provinces (a hub like 460000), Hong Kong, Macao and Taiwan. */
static void
test_provincial_level (void **state)
{
    s_relation ("460000", "469021", PROVINCE);
    s_relation ("460000", "460100", PROVINCE);
    s_relation ("460000", "460000", COUNTY);
    s_relation ("810000", "820000", OTHER);
    s_relation ("710000", "469021", OTHER);
}

static void
test_not_codes (void **state)
{
    const char *bad[] = {NULL, "", "46902", "4690211", "46902a", "000000",
                         "100000", "830000", "910000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal (xc_relation_of (bad[i], "469021"),
                          XIECHA__RELATION__RELATION_UNSPECIFIED);
        assert_int_equal (xc_division_level (bad[i]), XC_DIVISION_NONE);
    }
}

/*  fn (code) returns rc and, when want is set, writes want. */
static void
s_up (int (*fn) (const char *, char[7]), const char *code, int rc,
      const char *want)
{
    char out[7] = "";
    assert_int_equal (fn (code, out), rc);
    if (want)
        assert_string_equal (out, want);
}

static void
test_levels_parents_cities (void **state)
{
    assert_int_equal (xc_division_level ("460000"), XC_DIVISION_PROVINCE);
    assert_int_equal (xc_division_level ("460100"), XC_DIVISION_PREFECTURE);
    assert_int_equal (xc_division_level ("469000"), XC_DIVISION_GROUP);
    assert_int_equal (xc_division_level ("500200"), XC_DIVISION_GROUP);
    assert_int_equal (xc_division_level ("110100"), XC_DIVISION_GROUP);
    assert_int_equal (xc_division_level ("469021"), XC_DIVISION_COUNTY);
    assert_int_equal (xc_division_level ("810000"), XC_DIVISION_PROVINCE);

    s_up (xc_division_parent, "341002", 0, "341000");
    s_up (xc_division_parent, "341000", 0, "340000");
    s_up (xc_division_parent, "469021", 0, "460000");
    s_up (xc_division_parent, "469000", 0, "460000");
    s_up (xc_division_parent, "500231", 0, "500000");
    s_up (xc_division_parent, "110105", 0, "110000");
    s_up (xc_division_parent, "460000", XC_ENOTFOUND, NULL);
    s_up (xc_division_parent, "46000", XC_EINVAL, NULL);

    s_up (xc_division_city, "341002", 0, "341000");
    s_up (xc_division_city, "341000", 0, "341000");
    s_up (xc_division_city, "500231", 0, "500000");
    s_up (xc_division_city, "110000", 0, "110000");
    s_up (xc_division_city, "469021", XC_ENOTFOUND, NULL);
    s_up (xc_division_city, "460000", XC_ENOTFOUND, NULL);
    s_up (xc_division_city, "x", XC_EINVAL, NULL);

    assert_true (xc_division_mainland ("469021"));
    assert_true (xc_division_mainland ("650100"));
    assert_false (xc_division_mainland ("710000"));
    assert_false (xc_division_mainland ("810000"));
    assert_false (xc_division_mainland ("820000"));
    assert_false (xc_division_mainland ("160000"));
    assert_true (xc_division_municipality ("500229"));
    assert_false (xc_division_municipality ("460100"));
    assert_string_equal (xc_division_level_name (XC_DIVISION_GROUP),
                         "group");
    assert_string_equal (xc_division_level_name (9), "?");
}

/* ---- the table ------------------------------------------------------------ */

/*  The shipped table loads, holds every provincial-level division and
    the places of the policy documents, with their Chinese names. */
static void
test_shipped_table (void **state)
{
    char why[512] = "";
    xc_divisions_t *t = xc_divisions_load (SHIPPED, why, sizeof why);
    if (!t)
        fail_msg ("%s", why);
    const char *provinces[] = {
        "110000", "120000", "130000", "140000", "150000", "210000",
        "220000", "230000", "310000", "320000", "330000", "340000",
        "350000", "360000", "370000", "410000", "420000", "430000",
        "440000", "450000", "460000", "500000", "510000", "520000",
        "530000", "540000", "610000", "620000", "630000", "640000",
        "650000", "710000", "810000", "820000"};
    assert_int_equal (sizeof provinces / sizeof provinces[0], 34);
    for (size_t i = 0; i < 34; i++) {
        const xc_division_t *d = xc_divisions_find (t, provinces[i]);
        assert_non_null (d);
        assert_int_equal (d->level, XC_DIVISION_PROVINCE);
    }
    assert_string_equal (xc_divisions_find (t, "469021")->name, "定安县");
    assert_string_equal (xc_divisions_find (t, "469028")->name,
                         "陵水黎族自治县");
    assert_string_equal (xc_divisions_find (t, "341002")->name, "屯溪区");
    assert_string_equal (xc_divisions_find (t, "341000")->name, "黄山市");
    assert_string_equal (xc_divisions_find (t, "500231")->name, "垫江县");
    assert_string_equal (xc_divisions_find (t, "429021")->name,
                         "神农架林区");
    assert_null (xc_divisions_find (t, "469099"));
    assert_null (xc_divisions_find (t, "4690211"));
    assert_null (xc_divisions_find (t, "46902"));
    assert_true (xc_divisions_size (t) > 200);

    assert_int_equal (xc_divisions_check (t, "469021", why, sizeof why), 0);
    assert_int_equal (xc_divisions_check (t, "469099", why, sizeof why),
                      XC_ENOTFOUND);
    assert_string_equal (why, "469099 is not in the division table");
    assert_int_equal (xc_divisions_check (t, "469000", why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "469000 groups the units of a province"));
    assert_int_equal (xc_divisions_check (NULL, "469099", why, sizeof why),
                      0);
    assert_int_equal (xc_divisions_check (NULL, "4690", why, sizeof why),
                      XC_EINVAL);
    xc_divisions_destroy (&t);
    assert_null (t);
    xc_divisions_destroy (&t);
}

/*  The official list's form: code and name only, spaces or tabs, CRLF
    line ends, a byte-order mark, groups listed or not. */
static void
test_official_two_columns (void **state)
{
    const char text[] = "\xef\xbb\xbf"
                        "460000 海南省\r\n"
                        "460100\t海口市\r\n"
                        "460105    秀英区\r\n"
                        "469001 五指山市\r\n"
                        "\r\n"
                        "500000 重庆市\n"
                        "500200 县\n"
                        "500229 城口县";
    char why[512] = "";
    xc_divisions_t *t = xc_divisions_parse (text, sizeof text - 1, "list",
                                            why, sizeof why);
    if (!t)
        fail_msg ("%s", why);
    assert_int_equal (xc_divisions_size (t), 7);
    assert_string_equal (xc_divisions_find (t, "460105")->name, "秀英区");
    assert_int_equal (xc_divisions_find (t, "500200")->level,
                      XC_DIVISION_GROUP);
    assert_string_equal (xc_divisions_find (t, "500229")->name, "城口县");
    xc_divisions_destroy (&t);
}

/*  text must be refused with a message holding want. */
static void
s_refused (const char *text, const char *want)
{
    char why[512] = "";
    xc_divisions_t *t = xc_divisions_parse (text, strlen (text), "t.tsv",
                                            why, sizeof why);
    if (t) {
        xc_divisions_destroy (&t);
        fail_msg ("accepted: %s", text);
    }
    if (!strstr (why, want))
        fail_msg ("'%s' does not say '%s'", why, want);
}

static void
test_bad_tables (void **state)
{
    s_refused ("46000 海南省\n", "t.tsv:1: '46000' is not a division code");
    s_refused ("460000 海南省\n990000 x\n",
               "t.tsv:2: '990000' is not a division code");
    s_refused ("460000\n", "t.tsv:1: 460000 has no name");
    s_refused ("460000 海南省 province\n", "expected code, name");
    s_refused ("460000 海南省 province - x\n", "expected code, name");
    s_refused ("460000 海南省 county -\n",
               "t.tsv:1: 460000 is a province by its code, not 'county'");
    s_refused ("460000 海南省 province -\n469021 定安县 county 469000\n",
               "t.tsv:2: the parent of 469021 is 460000 by its code, not "
               "'469000'");
    s_refused ("460000 海南省\n469021 定安县\n460000 Hainan\n",
               "t.tsv:3: 460000 is listed twice (lines 1 and 3)");
    s_refused ("469021 定安县\n",
               "t.tsv:1: 469021 定安县 belongs to 460000, which is not "
               "listed");
    s_refused ("460000 海南省\n341002 屯溪区\n",
               "341002 屯溪区 belongs to 341000");
    s_refused ("460000 海\x01南\n", "holds control byte 0x01");
    char long_name[256] = "460000 ";
    memset (long_name + 7, 'x', 120);
    s_refused (long_name, "the name of 460000 is 120 bytes, at most 96");

    char why[512] = "";
    assert_null (xc_divisions_load ("/nonexistent/divisions.tsv", why,
                                    sizeof why));
    assert_non_null (strstr (why, "/nonexistent/divisions.tsv: cannot read"));
    /* An empty table loads: it lists nothing. */
    xc_divisions_t *t = xc_divisions_parse ("# none\n", 7, "e", why,
                                            sizeof why);
    assert_non_null (t);
    assert_int_equal (xc_divisions_size (t), 0);
    assert_null (xc_divisions_find (t, "460000"));
    xc_divisions_destroy (&t);
}

/*  The process's table comes from $XIECHA_DIVISIONS (set by main). */
static void
test_default_table (void **state)
{
    assert_string_equal (xc_divisions_default_path (), SHIPPED);
    char why[256] = "";
    assert_non_null (xc_divisions_default (why, sizeof why));
    assert_string_equal (xc_division_name ("469021"), "定安县");
    assert_null (xc_division_name ("469099"));
    assert_null (xc_division_name (NULL));
}

int
main (void)
{
    setenv ("XIECHA_DIVISIONS", SHIPPED, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_ordinary_counties),
        cmocka_unit_test (test_municipality_districts),
        cmocka_unit_test (test_province_administered_counties),
        cmocka_unit_test (test_provincial_level),
        cmocka_unit_test (test_not_codes),
        cmocka_unit_test (test_levels_parents_cities),
        cmocka_unit_test (test_shipped_table),
        cmocka_unit_test (test_official_two_columns),
        cmocka_unit_test (test_bad_tables),
        cmocka_unit_test (test_default_table),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
