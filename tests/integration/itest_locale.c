/*  itest_locale.c - the case workers' commands in Chinese and in English,
    through real daemons and the real CLI run as a child with LC_ALL.

    Ding'an 469021 (Hainan) asks Tunxi 341002 (Anhui): another province.
    Each command runs once with LC_ALL=C.UTF-8 and once with
    LC_ALL=zh_CN.UTF-8 (the build's catalogue, XIECHA_LOCALEDIR): the
    Chinese run must show the documents' names (最低生活保障, 未享受,
    跨省), places from the division table with their codes, translated
    labels, errors and verdicts with the exit status unchanged; --json is
    byte for byte the same in both; and the tables line up by display
    width, the second column at one terminal column in every row
    (xc_text_width).  A missing translation fails here: the Chinese
    texts are looked for, not merely the absence of English. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xt_fed.h"
#include "xt_id.h"
#include "xt_sys.h"
#include "xiecha/text.h"
#include "xiecha/zone.h"

enum { DINGAN = 0, TUNXI = 1 };

#define S_OUT 32768
#define S_ZH "zh_CN.UTF-8"
#define S_EN "C.UTF-8"

static xt_fed_t *fed;
static char s_cert[4096];   /* the certificate query saved */
static char s_month[8];     /* this month, YYYY-MM (Beijing time) */
static char s_ids[4][XT_ID_SIZE];   /* enrolled at Ding'an from Tunxi */

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    //  A short deadline: the unreachable query gives up in 2 s.
    xt_fed_opts_t o = {.codes = codes, .count = 2, .deadline_ms = 2000};
    fed = xt_fed_new_opts (&o);
    char why[256];
    if (xc_zone_use (XC_ZONE_DEFAULT, why, sizeof why) != 0)
        fail_msg ("%s", why);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    char date[11];
    xc_date_text (xc_zone_date (xc_now_ms ()), date);
    snprintf (s_month, sizeof s_month, "%.7s", date);
    return 0;
}

static int
s_teardown (void **state)
{
    unsetenv ("LC_ALL");
    xt_fed_destroy (&fed);
    return 0;
}

/*  The CLI at node (-1: none) under locale; its stdout in out.  Returns
    the exit status. */
static int
s_run (const char *locale, int node, char *out, const char *const *args)
{
    setenv ("LC_ALL", locale, 1);
    int rc = xt_fed_cli (fed, node, out, S_OUT, args);
    setenv ("LC_ALL", S_EN, 1);
    return rc;
}

/*  The same, failing unless the exit status is want. */
static void
s_ok (const char *locale, int node, char *out, int want,
      const char *const *args)
{
    int rc = s_run (locale, node, out, args);
    if (rc != want)
        fail_msg ("LC_ALL=%s xiecha %s %s: exit %d, want %d: %s", locale,
                  args[0], args[1] ? args[1] : "", rc, want, out);
}

/*  The CLI (no node) under locale: its stderr in err.  Returns the exit
    status. */
static int
s_stderr (const char *locale, char *err, const char *const *args)
{
    char path[PATH_MAX], *argv[32];
    snprintf (path, sizeof path, "%s/stderr.txt", fed->root);
    unlink (path);
    size_t n = 0;
    argv[n++] = getenv ("XIECHA");
    for (; args[n - 1] && n < 31; n++)
        argv[n] = (char *) args[n - 1];
    argv[n] = NULL;
    setenv ("LC_ALL", locale, 1);
    pid_t pid = xt_spawn (argv, -1, path);
    setenv ("LC_ALL", S_EN, 1);
    int status = 0;
    xt_child_wait (pid, -1, &status);
    FILE *f = fopen (path, "r");
    size_t got = f ? fread (err, 1, S_OUT - 1, f) : 0;
    err[got] = '\0';
    if (f)
        fclose (f);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

/*  The terminal column where the second cell of line starts: after the
    first cell (no blanks in it) and the blanks that pad it; 0 when the
    line has one cell only. */
static size_t
s_second_column (const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && line[i] != ' ')
        i++;
    while (i < len && line[i] == ' ')
        i++;
    if (i == len)
        return 0;
    char prefix[512];
    snprintf (prefix, sizeof prefix, "%.*s", (int) i, line);
    return xc_text_width (prefix);
}

/*  The table that starts at the line beginning with head in out: the
    header and the rows rows below it (0: every line until a blank one)
    have their second cell at the same display column. */
static void
s_assert_aligned (const char *out, const char *head, size_t rows)
{
    const char *at = strstr (out, head);
    if (!at || (at != out && at[-1] != '\n'))
        fail_msg ("no table headed '%s' in:\n%s", head, out);
    size_t want = 0, seen = 0;
    for (const char *line = at; *line && *line != '\n'
                                && (!rows || seen <= rows); seen++) {
        const char *end = strchr (line, '\n');
        size_t len = end ? (size_t) (end - line) : strlen (line);
        size_t col = s_second_column (line, len);
        if (line == at)
            want = col;
        else if (col != want)
            fail_msg ("column %zu, not %zu as in the header, in '%.*s':\n%s",
                      col, want, (int) len, line, out);
        line = end ? end + 1 : line + len;
    }
    assert_true (want > 0);
    if (rows && seen != rows + 1)
        fail_msg ("%zu rows under '%s', not %zu:\n%s", seen - 1, head, rows,
                  out);
}

/*  Each line of out that begins with a label (no leading blank) has its
    value at terminal column 13 (cli_label), for the labels given. */
static void
s_assert_labels (const char *out, const char *const *labels)
{
    for (size_t k = 0; labels[k]; k++) {
        char needle[128];
        snprintf (needle, sizeof needle, "\n%s  ", labels[k]);
        const char *at = strstr (out, needle);
        if (!at && strncmp (out, needle + 1, strlen (needle + 1)) == 0)
            at = out - 1;
        if (!at)
            fail_msg ("no line labelled '%s' in:\n%s", labels[k], out);
        const char *v = at + 1 + strlen (labels[k]);
        while (*v == ' ')
            v++;
        char prefix[256];
        snprintf (prefix, sizeof prefix, "%.*s", (int) (v - at - 1), at + 1);
        if (xc_text_width (prefix) != 13)
            fail_msg ("value of '%s' at column %zu, not 13:\n%s", labels[k],
                      xc_text_width (prefix), out);
    }
}

/*  Runs args with --json under both locales: the same exit status and
    the same bytes. */
static void
s_assert_json_same (int node, const char *const *args)
{
    static char en[S_OUT], zh[S_OUT];
    int rc = s_run (S_EN, node, en, args);
    s_ok (S_ZH, node, zh, rc, args);
    if (strcmp (en, zh) != 0)
        fail_msg ("--json differs by locale:\n%s\n----\n%s", en, zh);
}

/* ---- tests ---------------------------------------------------------------- */

static void
test_help (void **state)
{
    static char out[S_OUT];
    const char *args[] = {"query", "--help", NULL};
    s_ok (S_EN, -1, out, 0, args);
    xt_assert_has (out, "Usage: xiecha query");
    xt_assert_has (out, "Exit status:");
    s_ok (S_ZH, -1, out, 0, args);
    xt_assert_has (out, "用法：xiecha query");
    xt_assert_has (out, "申请人的18位身份证号码");
    xt_assert_has (out, "退出状态：");
    xt_assert_has (out, "节点的客户端端点");   /* cli_node_help */
    assert_null (strstr (out, "Usage:"));
    const char *top[] = {"--help", NULL};
    s_ok (S_ZH, -1, out, 0, top);
    xt_assert_has (out, "用法：xiecha 命令");
}

static void
test_query_and_certificate (void **state)
{
    static char out[S_OUT];
    snprintf (s_cert, sizeof s_cert, "%s/locale-cert.pem", fed->root);
    const char *id = xt_id ("34100219800101123");
    const char *args[] = {"query", "--id", id, "--name", "王芳", "--home",
                          "341002", "--program", "dibao", "--out", s_cert,
                          NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    xt_assert_has (out, "from 341002 屯溪区 to 469021 定安县 (other province)");
    xt_assert_has (out, "minimum living allowance (dibao)");
    xt_assert_has (out, "not receiving");
    xt_assert_has (out, " +08:00\n");   /* Beijing time by default */
    const char *en_labels[] = {"certificate", "issued", "valid until",
                               "programs", "applicant", NULL};
    s_assert_labels (out, en_labels);

    s_ok (S_ZH, DINGAN, out, 0, args);
    xt_assert_has (out, "由 341002 屯溪区 出具给 469021 定安县（跨省）");
    xt_assert_has (out, "最低生活保障");
    xt_assert_has (out, "未享受");
    xt_assert_has (out, "证明已保存到");
    const char *zh_labels[] = {"证明", "签发时间", "有效期至", "救助类别",
                               "申请人", NULL};
    s_assert_labels (out, zh_labels);

    //  cert verify: the verdict, the names, the relation.
    const char *verify[] = {"cert", "verify", s_cert, "--trust",
                            fed->trust, "--root",
                            xt_fed_anchor (fed), NULL};
    s_ok (S_EN, -1, out, 0, verify);
    xt_assert_has (out, "VALID\n");
    xt_assert_has (out, "issuer       341002 屯溪区");
    s_ok (S_ZH, -1, out, 0, verify);
    xt_assert_has (out, "有效\n");
    xt_assert_has (out, "341002 屯溪区");
    xt_assert_has (out, "跨省");
    xt_assert_has (out, "最低生活保障");
    xt_assert_has (out, "未享受");
    const char *labels[] = {"出具节点", "密钥编号", "两地关系", NULL};
    s_assert_labels (out, labels);

    //  --id of someone else: INVALID, 无效, exit 1 in both.
    const char *other = xt_id ("34100219800101124");
    const char *wrong[] = {"cert", "verify", s_cert, "--trust",
                           fed->trust, "--root", xt_fed_anchor (fed),
                           "--id", other, NULL};
    s_ok (S_EN, DINGAN, out, 1, wrong);
    xt_assert_has (out, "INVALID: the certificate is not about 341002");
    s_ok (S_ZH, DINGAN, out, 1, wrong);
    xt_assert_has (out, "无效：证明与 341002");

    //  One instant for both runs (the output says when it checked), a
    //  minute into the certificate's life: never before the trust list.
    char at[32];
    xc_time_iso ((xc_now_ms () + 60000) / 1000 * 1000, at);
    const char *json[] = {"cert", "verify", s_cert, "--trust",
                          fed->trust, "--root", xt_fed_anchor (fed),
                          "--at", at, "--json", NULL};
    s_assert_json_same (-1, json);
}

static void
test_errors_keep_their_exit_status (void **state)
{
    static char err[S_OUT];
    //  A usage error: exit 2 in both, said in the user's language.
    const char *bad[] = {"cert", "verify", "x.pem", "--at", "soon",
                         "--trust", "t", NULL};
    assert_int_equal (s_stderr (S_EN, err, bad), 2);
    xt_assert_has (err, "--at: 'soon' is not an ISO 8601 time");
    assert_int_equal (s_stderr (S_ZH, err, bad), 2);
    xt_assert_has (err, "--at：“soon”不是 ISO 8601 时间");
    //  --id without any salt: what is missing, exit 2.
    const char *id = xt_id ("34100219800101131");
    const char *nosalt[] = {"due", "--id", id, NULL};
    assert_int_equal (s_stderr (S_EN, err, nosalt), 2);
    xt_assert_has (err, "the network salt is needed to match ID numbers");
    assert_int_equal (s_stderr (S_ZH, err, nosalt), 2);
    xt_assert_has (err, "比对身份证号码需要全网盐值");
    const char *outbox[] = {"outbox", "--id", id, NULL};
    assert_int_equal (s_stderr (S_ZH, err, outbox), 2);
    xt_assert_has (err, "全网盐值");
    const char *conflicts[] = {"conflicts", "--id", id, NULL};
    assert_int_equal (s_stderr (S_ZH, err, conflicts), 2);
    xt_assert_has (err, "全网盐值");
}

static void
test_status_labels_line_up (void **state)
{
    static char out[S_OUT];
    const char *args[] = {"status", NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    xt_assert_has (out, "node         469021 定安县");
    const char *en[] = {"node", "version", "uptime", "queries", "disk",
                        "conflicts", NULL};
    s_assert_labels (out, en);
    s_ok (S_ZH, DINGAN, out, 0, args);
    xt_assert_has (out, "469021 定安县");
    xt_assert_has (out, "+08:00");
    const char *zh[] = {"节点", "版本", "运行时间", "查询", "磁盘",
                        "重复享受", "名册", NULL};
    s_assert_labels (out, zh);
    xt_assert_has (out, "最低生活保障");
}

/*  Enrolls s_ids[i] at Ding'an (registered at Tunxi) in DIBAO since
    2026-01-01; wait_ms 0 when Tunxi is down. */
static void
s_enroll (size_t i, const char *wait_ms)
{
    static char out[S_OUT];
    const char *args[] = {"enroll", "--id", s_ids[i], "--name", "李明",
                          "--home", "341002", "--program", "dibao",
                          "--since", "2026-01-01", "--wait", wait_ms, NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
}

static void
test_due_table_and_id (void **state)
{
    static char out[S_OUT];
    for (size_t i = 0; i < 2; i++) {
        snprintf (s_ids[i], sizeof s_ids[i], "%s", xt_id_next ("341002"));
        s_enroll (i, "5000");
    }
    const char *args[] = {"due", "--as-of", "2026-12-20", NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    s_assert_aligned (out, "SUBJECT", 2);
    xt_assert_has (out, "minimum living allowance (dibao)");
    xt_assert_has (out, "check-in overdue");
    s_ok (S_ZH, DINGAN, out, 0, args);
    s_assert_aligned (out, "对象编号", 2);
    xt_assert_has (out, "最低生活保障");
    xt_assert_has (out, "逾期未报到");
    xt_assert_has (out, "2 户截至 2026-12-20 到期");

    //  --id: the one household, by the ref computed here.
    const char *one[] = {"due", "--as-of", "2026-12-20", "--id", s_ids[1],
                         NULL};
    s_ok (S_ZH, DINGAN, out, 0, one);
    s_assert_aligned (out, "对象编号", 1);
    uint8_t ref[XC_REF_LEN];
    char hex[2 * XC_REF_LEN + 1];
    xt_fed_ref (fed, s_ids[1], ref);
    xc_hex (ref, XC_REF_LEN, hex);
    hex[12] = '\0';
    xt_assert_has (out, hex);
    const char *json[] = {"due", "--as-of", "2026-12-20", "--json", NULL};
    s_assert_json_same (DINGAN, json);
    const char *json_id[] = {"due", "--as-of", "2026-12-20", "--id",
                             s_ids[0], "--json", NULL};
    s_ok (S_EN, DINGAN, out, 0, json_id);
    xt_assert_has (out, "\"total\": 1");
    //  No salt anywhere: a clear error, exit 2.
}

static void
test_conflicts (void **state)
{
    static char out[S_OUT];
    const char *args[] = {"conflicts", NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    xt_assert_has (out, "no conflicts");
    s_ok (S_ZH, DINGAN, out, 0, args);
    xt_assert_has (out, "没有重复享受");
    const char *json[] = {"conflicts", "--id", s_ids[0], "--json", NULL};
    s_assert_json_same (DINGAN, json);
}

static void
test_report_table (void **state)
{
    static char out[S_OUT];
    const char *args[] = {"report", "monthly", "--month", s_month, NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    s_assert_aligned (out, "KIND", 0);
    xt_assert_has (out, "QUERY_SENT");
    xt_assert_has (out, "other province");
    s_ok (S_ZH, DINGAN, out, 0, args);
    s_assert_aligned (out, "种类", 0);
    xt_assert_has (out, "发出查询");
    xt_assert_has (out, "最低生活保障");
    xt_assert_has (out, "跨省");
    xt_assert_has (out, "469021 定安县");
    const char *labels[] = {"节点", "月份", "生成时间", "签章", NULL};
    s_assert_labels (out, labels);
}

/*  Last: stops Tunxi.  Notices wait in the outbox; a query is
    unreachable (exit 3 in both languages). */
static void
test_outbox_and_unreachable (void **state)
{
    static char out[S_OUT];
    xt_fed_stop (fed, TUNXI, 0);
    for (size_t i = 2; i < 4; i++) {
        snprintf (s_ids[i], sizeof s_ids[i], "%s", xt_id_next ("341002"));
        s_enroll (i, "0");
    }
    const char *args[] = {"outbox", NULL};
    s_ok (S_EN, DINGAN, out, 0, args);
    s_assert_aligned (out, "ID", 2);
    xt_assert_has (out, "enrollment");
    xt_assert_has (out, "2 notices pending");
    s_ok (S_ZH, DINGAN, out, 0, args);
    s_assert_aligned (out, "编号", 2);
    xt_assert_has (out, "纳入救助");
    xt_assert_has (out, "2 条告知待确认");
    const char *one[] = {"outbox", "--id", s_ids[3], NULL};
    s_ok (S_ZH, DINGAN, out, 0, one);
    s_assert_aligned (out, "编号", 1);
    xt_assert_has (out, "1 条告知待确认");
    const char *json[] = {"outbox", "--id", s_ids[2], "--json", NULL};
    s_ok (S_EN, DINGAN, out, 0, json);
    xt_assert_has (out, "\"state\": \"PENDING\"");

    const char *id = xt_id ("34100219800101140");
    const char *query[] = {"query", "--id", id, "--name", "王芳", "--home",
                           "341002", "--program", "dibao", "--json", NULL};
    static char en[S_OUT];
    s_ok (S_EN, DINGAN, en, 3, query);
    xt_assert_has (en, "\"code\": \"XC_EUNREACHABLE\"");
    s_ok (S_ZH, DINGAN, out, 3, query);
    xt_assert_has (out, "\"code\": \"XC_EUNREACHABLE\"");
    xt_assert_has (out, "\"exit\": 3");
}

int
main (void)
{
    //  The children get LC_ALL from s_run; the test's own texts are
    //  English and never looked at.
    setenv ("LC_ALL", S_EN, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_help),
        cmocka_unit_test (test_query_and_certificate),
        cmocka_unit_test (test_errors_keep_their_exit_status),
        cmocka_unit_test (test_status_labels_line_up),
        cmocka_unit_test (test_due_table_and_id),
        cmocka_unit_test (test_conflicts),
        cmocka_unit_test (test_report_table),
        cmocka_unit_test (test_outbox_and_unreachable),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
