/*  test_csv.c - the one CSV reader (client/cli/cli_csv.h): encodings
    (UTF-8 with and without BOM, GB18030 written here with iconv,
    --encoding), line ends, quotes, a Chinese header in any order, every
    date form, full-width digits and Ｘ, and each refusal naming file,
    line, column and rule. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_csv.h"
#include "xt_id.h"

enum { ID, NAME, PROGRAM, SINCE, UNTIL, COLUMNS };

static const cli_csv_column_t s_columns[COLUMNS] = {
    CLI_CSV_ID_COLUMN,
    CLI_CSV_NAME_COLUMN,
    CLI_CSV_PROGRAM_COLUMN (true),
    {"since", "开始日期", true},
    {"until", "结束日期", false},
};

static char s_why[1024];

static cli_csv_t *
s_open (const char *text, const char *encoding)
{
    s_why[0] = '\0';
    return cli_csv_new_mem ("roster.csv", text, strlen (text), encoding,
                            s_columns, COLUMNS, s_why, sizeof s_why);
}

/*  text in GB18030, as Excel on a Chinese Windows machine saves it;
    caller frees. */
static char *
s_gb (const char *text, size_t *len)
{
    iconv_t cd = iconv_open ("GB18030", "UTF-8");
    assert_true (cd != (iconv_t) -1);
    size_t left = strlen (text), room = left * 2 + 1;
    char *out = calloc (1, room + 1), *in = (char *) text, *o = out;
    assert_true (iconv (cd, &in, &left, &o, &room) != (size_t) -1);
    iconv_close (cd);
    *len = (size_t) (o - out);
    return out;
}

static const char *
s_id (void)
{
    static char id[XT_ID_SIZE];
    xt_id_make ("469021", 7, id);
    return id;
}

/*  The first row of text as "id|name|program|since|until". */
static void
s_row_is (const char *text, const char *encoding, const char *expect)
{
    cli_csv_t *csv = s_open (text, encoding);
    if (!csv)
        fail_msg ("%s", s_why);
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 1);
    char got[512], id[XC_ID_LEN + 1] = "";
    int program = 0;
    uint32_t since = 0, until = 0;
    if (cli_csv_id (csv, ID, id, s_why, sizeof s_why)
        || cli_csv_program (csv, PROGRAM, &program, s_why, sizeof s_why)
        || cli_csv_date (csv, SINCE, &since, s_why, sizeof s_why)
        || cli_csv_date (csv, UNTIL, &until, s_why, sizeof s_why))
        fail_msg ("%s", s_why);
    snprintf (got, sizeof got, "%s|%s|%s|%u|%u", id,
              cli_csv_cell (csv, NAME), xc_program_name (program),
              (unsigned) since, (unsigned) until);
    assert_string_equal (got, expect);
    cli_csv_destroy (&csv);
}

/*  The message about the first data row (or the file) of text. */
static const char *
s_refused (const char *text, const char *encoding)
{
    cli_csv_t *csv = s_open (text, encoding);
    if (!csv)
        return s_why;
    int rc = cli_csv_next (csv, s_why, sizeof s_why);
    if (rc == 1) {
        char id[XC_ID_LEN + 1];
        int program;
        uint32_t d;
        if (cli_csv_id (csv, ID, id, s_why, sizeof s_why) == 0
            && cli_csv_program (csv, PROGRAM, &program, s_why,
                                sizeof s_why) == 0
            && cli_csv_date (csv, SINCE, &d, s_why, sizeof s_why) == 0
            && cli_csv_date (csv, UNTIL, &d, s_why, sizeof s_why) == 0)
            fail_msg ("accepted: %s", text);
    }
    else
        assert_int_equal (rc, -1);
    cli_csv_destroy (&csv);
    return s_why;
}

static char *
s_text (const char *fmt, ...)
{
    static char bufs[32][2048];
    static int next;
    char *b = bufs[next++ % 32];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (b, sizeof bufs[0], fmt, ap);
    va_end (ap);
    return b;
}

static void
test_english_roster (void **state)
{
    (void) state;
    char *expect = s_text ("%s|Wang Fang|DIBAO|20181204|0", s_id ());
    //  The format of before: positional, optional English header.
    s_row_is (s_text ("%s,Wang Fang,dibao,2018-12-04\n", s_id ()), NULL,
              expect);
    s_row_is (s_text ("id_number,name,program,since,until\n"
                      "# a comment, \"unclosed\n\n"
                      "%s,\"Wang Fang\",dibao,2018-12-04,\n",
                      s_id ()), NULL, expect);
}

static void
test_bom (void **state)
{
    (void) state;
    char *expect = s_text ("%s|王芳|DIBAO|20181204|20191231", s_id ());
    const char *body = s_text ("身份证号码,姓名,救助类别,开始日期,结束日期\n"
                               "%s,王芳,低保,2018-12-04,2019-12-31\n",
                               s_id ());
    s_row_is (body, NULL, expect);
    s_row_is (s_text ("\xef\xbb\xbf%s", body), NULL, expect);
    cli_csv_t *csv = s_open (s_text ("\xef\xbb\xbf%s", body), NULL);
    assert_string_equal (cli_csv_encoding (csv), "UTF-8");
    cli_csv_destroy (&csv);
}

static void
test_gb18030 (void **state)
{
    (void) state;
    size_t len;
    char *gb = s_gb (s_text ("身份证号码,姓名,救助类别,开始日期\r\n"
                             "%s,王芳,特困人员救助供养,2018/12/4\r\n",
                             s_id ()), &len);
    for (int forced = 0; forced < 3; forced++) {
        const char *enc = forced == 0 ? NULL : forced == 1 ? "gbk"
                                                           : "gb18030";
        cli_csv_t *csv = cli_csv_new_mem ("roster.csv", gb, len, enc,
                                          s_columns, COLUMNS, s_why,
                                          sizeof s_why);
        if (!csv)
            fail_msg ("%s", s_why);
        assert_string_equal (cli_csv_encoding (csv), "GB18030");
        assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 1);
        assert_string_equal (cli_csv_cell (csv, NAME), "王芳");
        int program = 0;
        assert_int_equal (cli_csv_program (csv, PROGRAM, &program, s_why,
                                           sizeof s_why), 0);
        assert_int_equal (program, XIECHA__PROGRAM__TEKUN);
        cli_csv_destroy (&csv);
    }
    //  Forced UTF-8, the same bytes are refused, with the line.
    cli_csv_t *csv = cli_csv_new_mem ("roster.csv", gb, len, "utf-8",
                                      s_columns, COLUMNS, s_why,
                                      sizeof s_why);
    assert_null (csv);
    assert_non_null (strstr (s_why, "roster.csv:1: not UTF-8"));
    free (gb);
    //  Neither UTF-8 nor GB18030.
    assert_non_null (strstr (s_refused ("id_number,name\n\x81\x20,x\n", NULL),
                             "roster.csv:2: neither UTF-8 nor GB18030"));
    //  Valid UTF-8 forced as GB18030 reads as GB18030 or is refused;
    //  a GB18030 file never reads as UTF-8 by itself.
    assert_null (s_open ("\xff\xfei\0d\0", NULL));
    assert_non_null (strstr (s_why, "UTF-16"));
}

static void
test_line_ends (void **state)
{
    (void) state;
    char *expect = s_text ("%s|Li \"Lei\"\nJr|TEMP|20181204|0", s_id ());
    s_row_is (s_text ("id_number,name,program,since\r\n"
                      "%s,\"Li \"\"Lei\"\"\r\nJr\",temp,20181204\r\n",
                      s_id ()), NULL, expect);
    s_row_is (s_text ("id_number,name,program,since\r"
                      "%s,\"Li \"\"Lei\"\"\rJr\",temp,20181204\r", s_id ()),
              NULL, expect);
    //  Lines count across a cell's line break.
    cli_csv_t *csv = s_open (s_text ("id_number,name,program,since\n"
                                     "%s,\"a\nb\",temp,20181204\n"
                                     "%s,c,temp,20181204\n", s_id (),
                                     s_id ()), NULL);
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 1);
    assert_int_equal (cli_csv_line (csv), 2);
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 1);
    assert_int_equal (cli_csv_line (csv), 4);
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 0);
    cli_csv_destroy (&csv);
}

static void
test_header_any_order (void **state)
{
    (void) state;
    //  Shuffled, with variants, a column nobody asked for and blanks.
    s_row_is (s_text ("序号, 开始日期 ,备注,救助类别,公民身份号码,姓名\n"
                      "1,2018年12月4日,,低保边缘家庭,%s, 王芳 \n", s_id ()),
              NULL, s_text ("%s|王芳|DIBAO_EDGE|20181204|0", s_id ()));
    s_row_is (s_text ("name,since,ID_NUMBER,program\n"
                      "Wang,20181204,%s,LOW-INCOME\n", s_id ()), NULL,
              s_text ("%s|Wang|LOW_INCOME|20181204|0", s_id ()));
}

static void
test_dates (void **state)
{
    (void) state;
    const char *forms[] = {"2018-12-04", "2018/12/4", "2018.12.4",
                           "20181204", "2018年12月4日", "２０１８／１２／０４",
                           "2018 - 12 - 04", "2018-12-4"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        s_row_is (s_text ("%s,x,dibao,%s\n", s_id (), forms[i]), NULL,
                  s_text ("%s|x|DIBAO|20181204|0", s_id ()));
}

static void
test_full_width (void **state)
{
    (void) state;
    //  An ID ending in X, written in full-width digits, with a blank.
    char id[XT_ID_SIZE] = "";
    for (size_t seq = 0; id[17] != 'X'; seq++)
        xt_id_make ("469021", seq, id);
    char wide[128] = "";
    for (size_t i = 0; i < 17; i++) {
        strcat (wide, s_text ("\xef\xbc%c", (char) (0x90 + id[i] - '0')));
        if (i == 5)
            strcat (wide, " ");
    }
    strcat (wide, "\xef\xbd\x98");   /* ｘ */
    s_row_is (s_text ("%s,王芳,最低生活保障,2018-12-04\n", wide), NULL,
              s_text ("%s|王芳|DIBAO|20181204|0", id));
    char big[128];
    snprintf (big, sizeof big, "%.17s\xef\xbc\xb8", id);   /* Ｘ */
    s_row_is (s_text ("%s,王芳,最低生活保障,2018-12-04\n", big), NULL,
              s_text ("%s|王芳|DIBAO|20181204|0", id));
}

static void
test_refusals (void **state)
{
    (void) state;
    const char *head = "身份证号码,姓名,救助类别,开始日期,结束日期\n";
    char short_id[XT_ID_SIZE];
    snprintf (short_id, sizeof short_id, "%.17s", s_id ());
    //  17 digits whose X is lost: find one.
    char with_x[XT_ID_SIZE] = "";
    for (size_t seq = 0; with_x[17] != 'X'; seq++)
        xt_id_make ("469021", seq, with_x);
    const struct {
        const char *text;
        const char *says;
    } cases[] = {
        {s_text ("%s\n\n%s,王芳,低保,2018-12-04\n", head, "46902119900101123"),
         "roster.csv:4: 身份证号码 “46902119900101123”: must be 18 "
         "characters, found 17"},
        {s_text ("%s4.69021E+17,王芳,低保,2018-12-04\n", head),
         "roster.csv:2: 身份证号码 “4.69021E+17”: the spreadsheet made a "
         "number of it"},
        {s_text ("%s%.17s,王芳,低保,2018-12-04\n", head, with_x),
         s_text ("roster.csv:2: 身份证号码 “%.17s”: 17 digits: the final X "
                 "is missing", with_x)},
        {s_text ("%s%s,,低保,2018-12-04\n", head, s_id ()), NULL},
        {s_text ("%s%s,王芳,低保户,2018-12-04\n", head, s_id ()),
         "roster.csv:2: 救助类别 “低保户”: unknown program"},
        {s_text ("%s%s,王芳,低保,2018-13-04\n", head, s_id ()),
         "roster.csv:2: 开始日期 “2018-13-04”: no such day"},
        {s_text ("%s%s,王芳,低保,12/04/2018\n", head, s_id ()),
         "roster.csv:2: 开始日期 “12/04/2018”: not a date"},
        {s_text ("%s%s,王芳,低保,43438\n", head, s_id ()),
         "roster.csv:2: 开始日期 “43438”: a spreadsheet's day number"},
        {s_text ("%s%s,王芳,低保,2018-12-04,2019/2/30\n", head, s_id ()),
         "roster.csv:2: 结束日期 “2019/2/30”: no such day"},
        {s_text ("%s%s,\"王芳,低保,2018-12-04\n", head, s_id ()),
         "roster.csv:2: a quoted cell is not closed"},
        {"姓名,救助类别,开始日期\n王芳,低保,2018-12-04\n",
         "roster.csv:1: the header has no column 身份证号码 (id_number)"},
        {s_text ("%s,dibao\n", s_id ()),
         "roster.csv:1: expected 4 to 5 columns "
         "(id_number,name,program,since[,until]), found 2"},
        {s_text ("%s%s,王芳,低保,2018-12-04\n", head, short_id),
         "must be 18 characters"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!cases[i].says)
            continue;   // the name is the caller's rule: below
        const char *why = s_refused (cases[i].text, NULL);
        if (!strstr (why, cases[i].says))
            fail_msg ("case %zu: '%s' lacks '%s'", i, why, cases[i].says);
    }
    //  The bad row does not end the file: the next row is read.
    cli_csv_t *csv = s_open (s_text ("%s%s,\"a\"b,低保,2018-12-04\n"
                                     "%s,c,低保,2018-12-04\n", head, s_id (),
                                     s_id ()), NULL);
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), -1);
    assert_non_null (strstr (s_why, "roster.csv:2: text after the closing "
                             "quote"));
    assert_int_equal (cli_csv_next (csv, s_why, sizeof s_why), 1);
    assert_int_equal (cli_csv_line (csv), 3);
    //  A name is never echoed.
    cli_csv_bad (csv, NAME, false, s_why, sizeof s_why, "missing");
    assert_string_equal (s_why, "roster.csv:3: 姓名: missing");
    cli_csv_destroy (&csv);
}

static void
test_programs (void **state)
{
    (void) state;
    const struct {
        const char *name;
        int program;
    } cases[] = {
        {"最低生活保障", XIECHA__PROGRAM__DIBAO},
        {"低保", XIECHA__PROGRAM__DIBAO},
        {"特困人员救助供养", XIECHA__PROGRAM__TEKUN},
        {"特困供养", XIECHA__PROGRAM__TEKUN},
        {"特困", XIECHA__PROGRAM__TEKUN},
        {"低收入家庭", XIECHA__PROGRAM__LOW_INCOME},
        {"低保边缘家庭", XIECHA__PROGRAM__DIBAO_EDGE},
        {"临时救助", XIECHA__PROGRAM__TEMP},
        {" dibao_edge ", XIECHA__PROGRAM__DIBAO_EDGE},
        {"ＴＥＭＰ", XIECHA__PROGRAM__TEMP},
        {"救助", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal (cli_csv_program_parse (cases[i].name),
                          cases[i].program);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_english_roster),
        cmocka_unit_test (test_bom),
        cmocka_unit_test (test_gb18030),
        cmocka_unit_test (test_line_ends),
        cmocka_unit_test (test_header_any_order),
        cmocka_unit_test (test_dates),
        cmocka_unit_test (test_full_width),
        cmocka_unit_test (test_refusals),
        cmocka_unit_test (test_programs),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
