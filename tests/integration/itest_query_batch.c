/*  itest_query_batch.c - spreadsheets in, through real daemons: a roster
    saved by Excel on a Chinese Windows machine (GBK, Chinese header in
    its own order, 2018/12/4 dates, 低保) is imported at Tunxi 341002 and
    the people on it are RECEIVING from the right day; then `xiecha query
    --batch` at Ding'an 469021 asks about seven households at once: one
    with a bad row, one registered in Lingshui 469028 (down), one in a
    county with no node.  The others are answered; the results CSV, the
    certificates (each verifies with `cert verify`), the summary and the
    exit status say so. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt_fed.h"
#include "xt_id.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;
static char s_ids[10][XT_ID_SIZE];   /* people registered in Tunxi */

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 3, .deadline_ms = 3000,
                       .no_rosters = true};
    fed = xt_fed_new_opts (&o);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);   // Lingshui stays down
    for (size_t i = 0; i < 10; i++)
        xt_id_make ("341002", 500 + i, s_ids[i]);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  text in GBK, as Excel saves "CSV" on a Chinese Windows machine. */
static const char *
s_gbk (const char *name, const char *text)
{
    static char out[8192];
    iconv_t cd = iconv_open ("GBK", "UTF-8");
    assert_true (cd != (iconv_t) -1);
    char *in = (char *) text, *o = out;
    size_t left = strlen (text), room = sizeof out - 1;
    assert_true (iconv (cd, &in, &left, &o, &room) != (size_t) -1);
    iconv_close (cd);
    *o = '\0';
    return xt_fed_write (fed, name, out);
}

/*  The certificate of id's query about program at Tunxi from Ding'an:
    the status, and the since of its first enrollment. */
static int
s_status (const char *id, int program, uint32_t *since)
{
    const int programs[] = {program};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {id, "王芳"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a;
    char why[512];
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc != 0)
        fail_msg ("query: %s", why);
    const Xiecha__SubjectResult *r = a.cert->results[0];
    int status = r->status;
    *since = r->n_enrollments ? r->enrollments[0]->since : 0;
    xc_answer_free (&a);
    return status;
}

/*  A GBK roster with one bad row (an ID Excel cut to 17 digits) is
    refused whole, naming file, line and column; the good one is taken
    and its people receive from the day the sheet says. */
static void
test_gbk_roster (void **state)
{
    char out[16384], csv[4096];
    snprintf (csv, sizeof csv,
              "序号,姓名,公民身份号码,救助类别,开始日期,结束日期\r\n"
              "1,王芳,%s,低保,2018/12/4,\r\n"
              "2,李雷,%.17s,特困供养,2019年1月5日,\r\n", s_ids[0], s_ids[1]);
    const char *bad = s_gbk ("bad.csv", csv);
    const char *imp_bad[] = {"import", bad, "--program", "dibao,tekun",
                             "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, imp_bad), 2);
    xt_assert_has (out, "bad.csv:3: 公民身份号码 “");
    xt_assert_has (out, "nothing was imported");
    uint32_t since = 0;

    snprintf (csv, sizeof csv,
              "序号,姓名,公民身份号码,救助类别,开始日期,结束日期\r\n"
              "1,王芳,%s,低保,2018/12/4,\r\n"
              "2,李雷,%s,特困供养,2019年1月5日,\r\n", s_ids[0], s_ids[1]);
    const char *good = s_gbk ("roster.csv", csv);
    const char *imp[] = {"import", good, "--program", "dibao,tekun",
                         "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, imp), 0);
    xt_assert_has (out, "\"rows\": 2");
    assert_int_equal (s_status (s_ids[0], XIECHA__PROGRAM__DIBAO, &since),
                      XIECHA__STATUS__RECEIVING);
    assert_int_equal (since, 20181204);
    assert_int_equal (s_status (s_ids[1], XIECHA__PROGRAM__TEKUN, &since),
                      XIECHA__STATUS__RECEIVING);
    assert_int_equal (since, 20190105);
}

/*  The whole of a file, NUL-ended (static). */
static const char *
s_slurp (const char *path)
{
    static char buf[16384];
    FILE *f = fopen (path, "rb");
    assert_non_null (f);
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    fclose (f);
    buf[n] = '\0';
    return buf;
}

/*  The line of the results naming the masked id (static), or fails. */
static const char *
s_result_of (const char *results, const char *id)
{
    static char line[1024];
    char masked[32];
    snprintf (masked, sizeof masked, "%.6s********%s", id, id + 14);
    const char *at = strstr (results, masked);
    if (!at)
        fail_msg ("no row of %s in:\n%s", masked, results);
    size_t n = strcspn (at, "\r");
    snprintf (line, sizeof line, "%.*s", (int) n, at);
    return line;
}

static void
test_batch (void **state)
{
    char csv[4096], out[32768], dir[PATH_MAX], lingshui[XT_ID_SIZE],
        beijing[XT_ID_SIZE];
    xt_id_make ("469028", 1, lingshui);
    xt_id_make ("110101", 1, beijing);
    //  Households: 1 = ids 0 (head, receiving) and 2; 2 = id 1
    //  (receiving, alone); 3 = id 3; 4 = id 4 and a mangled ID (bad);
    //  5 = Lingshui, down; 6 = a county with no node; 7 = ids 5 and 6.
    snprintf (csv, sizeof csv,
              "\xef\xbb\xbf身份证号码,姓名,户主身份证号码,户籍地\r\n"
              "%s,王小芳,%s,341002\r\n"
              "%s,王芳,%s,341002屯溪区\r\n"
              "%s,李雷,,341002\r\n"
              "%s,张三,,３４１００２\r\n"
              "%s,赵四,H4,341002\r\n"
              "4.69021E+17,赵五,H4,341002\r\n"
              "%s,钱六,,469028\r\n"
              "%s,孙七,,110101\r\n"
              "%s,周八,H7,341002\r\n"
              "%s,吴九,H7,341002\r\n",
              s_ids[2], s_ids[0], s_ids[0], s_ids[0], s_ids[1], s_ids[3],
              s_ids[4], lingshui, beijing, s_ids[5], s_ids[6]);
    const char *file = xt_fed_write (fed, "applicants.csv", csv);
    snprintf (dir, sizeof dir, "%s/batch-out", fed->root);
    const char *args[] = {"query", "--batch", file, "--out-dir", dir,
                          "--programs", "dibao,tekun", "--jobs", "3",
                          "--json", NULL};
    int rc = xt_fed_cli (fed, DINGAN, out, sizeof out, args);
    //  The worst of the failed households: 3, Lingshui did not answer.
    assert_int_equal (rc, 3);
    xt_assert_has (out, "\"households\": 7");
    xt_assert_has (out, "\"answered\": 4");
    xt_assert_has (out, "\"households_failed\": 3");
    xt_assert_has (out, "\"people\": 10");
    xt_assert_has (out, "\"receiving\": 2");
    xt_assert_has (out, "\"not_receiving\": 4");
    xt_assert_has (out, "\"failed\": 4");
    xt_assert_has (out, "\"exit\": 3");
    xt_assert_has (out, "applicants.csv:7: 身份证号码 “4.69021E+17”");

    char path[PATH_MAX + 32];
    snprintf (path, sizeof path, "%s/results.csv", dir);
    const char *results = s_slurp (path);
    const char *header = "\xef\xbb\xbf" "ID number,name,household,"
        "registration place,minimum living allowance (dibao),"
        "extreme-poverty support,certificate file,error\r\n";
    if (strncmp (results, header, strlen (header)))
        fail_msg ("results.csv starts:\n%.200s", results);
    size_t rows = 0;
    for (const char *p = results; (p = strstr (p, "\r\n")); p += 2)
        rows++;
    assert_int_equal (rows, 11);   // the header and 10 people
    xt_assert_has (s_result_of (results, s_ids[0]), ",王芳,1,341002 屯溪区,"
                   "receiving,not receiving,household-001.pem,");
    xt_assert_has (s_result_of (results, s_ids[2]), ",王小芳,1,341002 屯溪区,"
                   "not receiving,not receiving,household-001.pem,");
    xt_assert_has (s_result_of (results, s_ids[1]), ",李雷,2,341002 屯溪区,"
                   "not receiving,receiving,household-002.pem,");
    xt_assert_has (s_result_of (results, s_ids[4]), "line 7 is bad");
    xt_assert_has (s_result_of (results, lingshui), ",,,");
    assert_null (strstr (s_result_of (results, lingshui), ".pem"));
    xt_assert_has (s_result_of (results, beijing), "110101");

    //  Every certificate written verifies offline.
    const char *pems[] = {"household-001.pem", "household-002.pem",
                          "household-003.pem", "household-007.pem"};
    for (size_t i = 0; i < 4; i++) {
        snprintf (path, sizeof path, "%s/%s", dir, pems[i]);
        const char *verify[] = {"cert", "verify", path, "--trust",
                                fed->trust, "--root", xt_fed_anchor (fed),
                                NULL};
        assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
        xt_assert_has (out, "VALID");
    }
    snprintf (path, sizeof path, "%s/household-004.pem", dir);
    assert_int_not_equal (access (path, F_OK), 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_gbk_roster),
        cmocka_unit_test (test_batch),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
