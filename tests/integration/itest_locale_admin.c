/*  itest_locale_admin.c - the back-office commands in both languages,
    against real files and daemons: Ding'an (469021) with a township
    terminal whose township and operator have Chinese names, and Tunxi
    (341002) that it asks.

    Each command runs twice, its environment LC_ALL=C.UTF-8 and then
    LC_ALL=zh_CN.UTF-8 (the build's catalogue, XIECHA_LOCALEDIR): the
    English texts are those scripts and the other tests read, the
    Chinese ones are really Chinese (有效, 未覆盖, 用法, a Chinese error
    with the English run's exit status), --json is the same bytes in
    both but for the human message of an error, and the tables that hold
    Chinese keep their columns: the second column of every row starts at
    the same display column (xc_text_width, CJK = 2).  Without the
    translations the Chinese checks fail. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>
#include <xiecha/text.h>

#include "xt_fed.h"
#include "xt_term.h"

enum { DINGAN = 0, TUNXI = 1 };

#define EN "C.UTF-8"
#define ZH "zh_CN.UTF-8"

static xt_fed_t *fed;

/*  What one run of the CLI left. */
typedef struct {
    int status;            /* exit status */
    char out[1 << 16];     /* stdout */
    char err[8192];        /* stderr */
} s_run_t;

/*  Runs xiecha args (NULL-terminated) under locale, as a case worker's
    shell would start it: stdout and stderr into r. */
static void
s_run (const char *locale, const char *const *args, s_run_t *r)
{
    char err_path[PATH_MAX], *argv[32];
    snprintf (err_path, sizeof err_path, "%s/stderr.txt", fed->root);
    unlink (err_path);
    size_t n = 0;
    argv[n++] = (char *) getenv ("XIECHA");
    for (; args[n - 1] && n < 31; n++)
        argv[n] = (char *) args[n - 1];
    argv[n] = NULL;
    setenv ("LC_ALL", locale, 1);
    int fd[2];
    assert_int_equal (pipe2 (fd, O_CLOEXEC), 0);
    pid_t pid = xt_spawn (argv, fd[1], err_path);
    close (fd[1]);
    size_t used = 0;
    ssize_t got;
    while ((got = read (fd[0], r->out + used, sizeof r->out - 1 - used)) > 0
           || (got < 0 && errno == EINTR))
        used += got > 0 ? (size_t) got : 0;
    r->out[used] = '\0';
    close (fd[0]);
    int status = 0;
    xt_child_wait (pid, -1, &status);
    setenv ("LC_ALL", EN, 1);
    r->status = WIFEXITED (status) ? WEXITSTATUS (status) : 128;
    FILE *f = fopen (err_path, "r");
    size_t len = f ? fread (r->err, 1, sizeof r->err - 1, f) : 0;
    r->err[len] = '\0';
    if (f)
        fclose (f);
}

/*  The same command in English and in Chinese; both exit with status. */
static void
s_both (const char *const *args, int status, s_run_t *en, s_run_t *zh)
{
    s_run (EN, args, en);
    s_run (ZH, args, zh);
    if (en->status != status || zh->status != status)
        fail_msg ("xiecha %s %s: exit %d (English), %d (Chinese), not %d:\n"
                  "%s%s\n%s%s", args[0], args[1], en->status, zh->status,
                  status, en->out, en->err, zh->out, zh->err);
}

/*  text without its lines holding key ("error", "reason": the human
    message, the one part of --json that follows the language). */
static void
s_without (const char *text, const char *key, char *out, size_t len)
{
    size_t n = 0;
    for (const char *line = text; *line && n + 1 < len;) {
        const char *end = strchr (line, '\n');
        size_t l = end ? (size_t) (end - line) + 1 : strlen (line);
        if (!memmem (line, l, key, strlen (key)) && n + l < len) {
            memcpy (out + n, line, l);
            n += l;
        }
        line += l;
    }
    out[n] = '\0';
}

/*  --json of args under both locales: the same bytes, the human error
    message aside. */
static void
s_same_json (const char *const *args, int status)
{
    static s_run_t en, zh;
    static char a[1 << 16], b[1 << 16];
    s_both (args, status, &en, &zh);
    s_without (en.out, "\"error\": ", a, sizeof a);
    s_without (zh.out, "\"error\": ", b, sizeof b);
    s_without (a, "\"reason\": ", en.out, sizeof en.out);
    s_without (b, "\"reason\": ", zh.out, sizeof zh.out);
    assert_true (strlen (en.out) > 2);
    assert_string_equal (en.out, zh.out);
}

/*  The display column where the second column of line starts: after
    leading blanks, the first cell and the blanks after it; -1 when the
    line has one cell. */
static int
s_second_column (const char *line)
{
    size_t i = strspn (line, " ");
    i += strcspn (line + i, " \n");
    if (line[i] != ' ')
        return -1;
    i += strspn (line + i, " ");
    char prefix[512];
    snprintf (prefix, sizeof prefix, "%.*s", (int) i, line);
    return (int) xc_text_width (prefix);
}

/*  Checks that count lines of text from line first on (0-based) all
    have their second column at one display column, and that this table
    holds Chinese.  Returns that column. */
static int
s_aligned (const char *text, size_t first, size_t count)
{
    int col = -1;
    size_t seen = 0;
    bool chinese = false;
    const char *line = text;
    for (size_t i = 0; *line && seen < count; i++) {
        const char *end = strchr (line, '\n');
        if (i >= first) {
            int c = s_second_column (line);
            size_t len = end ? (size_t) (end - line) : strlen (line);
            char copy[1024];
            snprintf (copy, sizeof copy, "%.*s", (int) len, line);
            chinese |= xc_text_width (copy) != strlen (copy);
            if (col < 0)
                col = c;
            if (c != col || c < 0)
                fail_msg ("row %zu of the table: second column at %d, not %d:"
                          "\n%s", i, c, col, text);
            seen++;
        }
        line = end ? end + 1 : line + strlen (line);
    }
    assert_int_equal (seen, count);
    assert_true (chinese);
    return col;
}

static size_t
s_lines (const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

// ---- the federation ---------------------------------------------------------

/*  A terminal of Ding'an with Chinese names, added with the CLI. */
static void
s_add_terminal (void)
{
    s_run_t *r = calloc (1, sizeof *r);
    char dir[PATH_MAX], key[41];
    snprintf (dir, sizeof dir, "%s/term-zh", fed->nodes[DINGAN].dir);
    const char *keygen[] = {"keygen", "--terminal", "--dir", dir, NULL};
    s_run (EN, keygen, r);
    assert_int_equal (r->status, 0);
    snprintf (key, sizeof key, "%.40s", r->out);
    const char *add[] = {"terminal", "add", "-c", fed->nodes[DINGAN].config,
                         "--id", "dingcheng-1", "--township", "469021100",
                         "--township-name", "定城镇", "--operator", "王芳",
                         "--curve", key, "--roles", "caseworker", NULL};
    s_run (EN, add, r);
    if (r->status != 0)
        fail_msg ("terminal add: %s", r->err);
    free (r);
}

/*  One query of Ding'an to Tunxi: entries in both logs. */
static void
s_query (void)
{
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id_next ("341002"), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    xc_answer_free (&a);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    xt_term_enable (fed, DINGAN);
    s_add_terminal ();
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    xt_fed_anchor (fed);
    s_query ();
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Ding'an's audit log exported to <root>/name. */
static const char *
s_export (const char *name)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    char out[4096];
    const char *args[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    return path;
}

/*  Copies the export at path to cut with only its entries up to and
    one past the first checkpoint that another entry follows, the header
    saying so: every byte checks, the last entry is signed by nobody.
    The record layout is the export's (xiecha/auditfile.h). */
static void
s_cut (const char *path, const char *cut)
{
    FILE *in = fopen (path, "r");
    assert_non_null (in);
    static uint8_t buf[1 << 20];
    size_t len = fread (buf, 1, sizeof buf, in);
    fclose (in);
    uint64_t total = xc_get_u64 (buf + 8), keep = 0;
    size_t pos = XC_AUDITFILE_HEADER;
    int last = 0;
    for (uint64_t seq = 1; seq <= total && !keep; seq++) {
        const uint8_t *p = buf + pos;
        int kind = p[8] ? p[14] : 0;
        pos += p[8] ? 13 + (size_t) xc_get_u32 (p + 9) : 41;
        if (last == 9 && kind != 9)
            keep = seq;
        last = kind;
    }
    assert_true (keep > 0 && pos <= len);
    xc_put_u64 (buf + 8, keep);
    if (xc_get_u64 (buf + 24) > keep)
        xc_put_u64 (buf + 24, keep);
    FILE *out = fopen (cut, "w");
    assert_non_null (out);
    assert_int_equal (fwrite (buf, 1, pos, out), pos);
    fclose (out);
}

// ---- the tests ---------------------------------------------------------------

static void
test_keygen_help (void **state)
{
    static s_run_t en, zh;
    const char *help[] = {"keygen", "--help", NULL};
    s_both (help, 0, &en, &zh);
    xt_assert_has (en.out, "Usage: xiecha keygen --code CODE --dir DIR");
    xt_assert_has (en.out, "Exit status:\n");
    xt_assert_has (zh.out, "用法：xiecha keygen --code 代码 --dir 目录");
    xt_assert_has (zh.out, "第三种形式写入新的 32 字节全网盐值");
    xt_assert_has (zh.out, "退出状态：\n");
    assert_null (strstr (zh.out, "Exit status"));
}

/*  A list with a node of a Chinese name, made from the federation's. */
static const char *
s_list_with_chinese_node (void)
{
    static char list[PATH_MAX];
    static s_run_t r;
    char dir[PATH_MAX], cmd[3 * PATH_MAX];
    snprintf (list, sizeof list, "%s/trust-zh.zpl", fed->root);
    snprintf (dir, sizeof dir, "%s/keys-469022", fed->root);
    snprintf (cmd, sizeof cmd, "cp %s %s", fed->trust, list);
    assert_int_equal (system (cmd), 0);
    const char *keygen[] = {"keygen", "--code", "469022", "--dir", dir,
                            "--json", NULL};
    s_run (EN, keygen, &r);
    assert_int_equal (r.status, 0);
    char curve[64], pub[80];
    const char *c = strstr (r.out, "\"curve_public\": \"");
    const char *p = strstr (r.out, "\"public_key\": \"");
    assert_non_null (c);
    assert_non_null (p);
    snprintf (curve, sizeof curve, "%.40s", c + 17);
    snprintf (pub, sizeof pub, "%.64s", p + 15);
    const char *add[] = {"trust", "add-node", list, "--code", "469022",
                         "--name", "屯昌县", "--endpoint",
                         "tcp://127.0.0.1:1", "--curve", curve, "--public",
                         pub, NULL};
    s_run (EN, add, &r);
    if (r.status != 0)
        fail_msg ("trust add-node: %s", r.err);
    return list;
}

/*  The display column of "tcp://" in each node line of trust show. */
static void
s_endpoints_aligned (const char *text)
{
    int col = -1;
    size_t rows = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr (line, '\n');
        const char *tcp = strstr (line, "tcp://");
        if (strspn (line, "0123456789") == 6 && tcp && (!end || tcp < end)) {
            char prefix[512];
            snprintf (prefix, sizeof prefix, "%.*s", (int) (tcp - line), line);
            int c = (int) xc_text_width (prefix);
            if (col >= 0 && c != col)
                fail_msg ("endpoints at columns %d and %d:\n%s", col, c, text);
            col = c;
            rows++;
        }
        line = end ? end + 1 : line + strlen (line);
    }
    assert_int_equal (rows, 4);
}

static void
test_trust_show (void **state)
{
    static s_run_t en, zh;
    const char *list = s_list_with_chinese_node ();
    const char *show[] = {"trust", "show", list, NULL};
    s_both (show, 0, &en, &zh);
    xt_assert_has (en.out, "4 nodes, 4 keys, serial ");
    xt_assert_has (en.out, "469021  Node 469021");
    xt_assert_has (en.out, "    key ");
    xt_assert_has (zh.out, "4 个节点，4 个密钥，序号 ");
    xt_assert_has (zh.out, "    密钥 ");
    xt_assert_has (zh.out, "有效期");
    xt_assert_has (zh.out, "469022  屯昌县");
    //  Local time, Beijing by default, in both.
    xt_assert_has (en.out, " +08:00");
    xt_assert_has (zh.out, " +08:00");
    s_endpoints_aligned (en.out);
    s_endpoints_aligned (zh.out);
    const char *json[] = {"trust", "show", list, "--json", NULL};
    s_same_json (json, 0);
}

static void
test_trust_verify (void **state)
{
    static s_run_t en, zh;
    const char *root = xt_fed_anchor (fed);
    const char *good[] = {"trust", "verify", fed->trust, "--root", root,
                          NULL};
    s_both (good, 0, &en, &zh);
    xt_assert_has (en.out, ": signature OK (root key ");
    xt_assert_has (zh.out, "：签名正确（根密钥 ");
    const char *good_json[] = {"trust", "verify", fed->trust, "--root", root,
                               "--json", NULL};
    s_same_json (good_json, 0);

    //  Past its next_update: a failed check in both languages.
    const char *late[] = {"trust", "verify", fed->trust, "--root", root,
                          "--at", "2099-01-01T00:00:00Z", NULL};
    s_both (late, 1, &en, &zh);
    assert_string_equal (en.out, "");
    assert_string_equal (zh.out, "");
    xt_assert_has (en.err, "xiecha trust: ");
    const char *late_json[] = {"trust", "verify", fed->trust, "--root", root,
                               "--at", "2099-01-01T00:00:00Z", "--json",
                               NULL};
    s_same_json (late_json, 1);

    //  A bad root key: the same exit status, the error in Chinese.
    const char *bad[] = {"trust", "verify", fed->trust, "--root", "abc",
                         NULL};
    s_both (bad, 2, &en, &zh);
    xt_assert_has (en.err, "xiecha trust: --root: must be 64 hex characters");
    xt_assert_has (zh.err, "xiecha trust: --root：必须是 64 位十六进制字符");
}

/*  `audit VERB FILE` with the trust anchor in both languages, human
    output into en and zh; then with --json, the same bytes in both. */
static void
s_audit (const char *verb, const char *file, int status, s_run_t *en,
         s_run_t *zh)
{
    const char *args[] = {"audit", verb, file, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), NULL, NULL};
    s_both (args, status, en, zh);
    args[7] = "--json";
    s_same_json (args, status);
}

static void
test_audit_verify (void **state)
{
    static s_run_t en, zh;
    const char *path = s_export ("valid.audit");
    s_audit ("verify", path, 0, &en, &zh);
    assert_true (strncmp (en.out, "VALID\n", 6) == 0);
    xt_assert_has (en.out, "\nentries      ");
    xt_assert_has (en.out, "\ncheckpoints  ");
    assert_true (strncmp (zh.out, "有效\n", strlen ("有效\n")) == 0);
    xt_assert_has (zh.out, "\n条目         ");
    xt_assert_has (zh.out, "\n检查点       ");
    xt_assert_has (zh.out, "\n操作者       ipc（乡镇（街道）-，");
    //  The summary below the verdict is one table: labels, values.
    assert_int_equal (s_aligned (zh.out, 1, s_lines (zh.out) - 1), 13);

    //  A second export holds the first one's checkpoint and entries
    //  after it; cut one entry after that checkpoint: NOT COVERED.
    s_query ();
    char cut[PATH_MAX];
    snprintf (cut, sizeof cut, "%s/cut.audit", fed->root);
    s_cut (s_export ("more.audit"), cut);
    s_audit ("verify", cut, 7, &en, &zh);
    xt_assert_has (en.out, "NOT COVERED: entries ");
    xt_assert_has (en.out, "\nuncovered    entries ");
    xt_assert_has (zh.out, "未覆盖：");
    xt_assert_has (zh.out, "\n未覆盖       条目 ");
    assert_null (strstr (zh.out, "NOT COVERED"));
    assert_int_equal (s_aligned (zh.out, 1, s_lines (zh.out) - 1), 13);

    //  No trust list: a usage error, in each language.
    const char *no_trust[] = {"audit", "verify", path, NULL};
    s_both (no_trust, 2, &en, &zh);
    xt_assert_has (en.err, "--trust LIST is required");
    xt_assert_has (zh.err, "必须给出 --trust 列表");
}

static void
test_audit_list (void **state)
{
    static s_run_t en, zh;
    s_audit ("list", s_export ("list.audit"), 0, &en, &zh);
    xt_assert_has (en.out, "   ENTRY  TIME ");
    xt_assert_has (en.out, " entries listed\n");
    xt_assert_has (zh.out, "    条目  时间 ");
    xt_assert_has (zh.out, "经办人");
    xt_assert_has (zh.out, "已列出 ");
    xt_assert_has (zh.out, " +08:00  ");
    //  Header and rows, the count line aside.
    size_t rows = s_lines (zh.out) - 1;
    assert_true (rows > 3);
    assert_int_equal (s_aligned (zh.out, 0, rows), 10);
}

/*  The display column of each cell of the rows of terminal list (the
    cells hold no blanks): every row's the same. */
static void
s_terminal_columns (const char *text)
{
    int cols[2][8];
    size_t row = 0;
    const char *line = strchr (text, '\n');
    assert_non_null (line);
    for (line++; *line && row < 2; row++) {
        const char *end = strchr (line, '\n');
        size_t i = 0, cell = 0;
        while (line + i < end && cell < 8) {
            char prefix[512];
            snprintf (prefix, sizeof prefix, "%.*s", (int) i, line);
            cols[row][cell++] = (int) xc_text_width (prefix);
            i += strcspn (line + i, " \n");
            i += strspn (line + i, " ");
        }
        assert_int_equal (cell, 6);
        line = end + 1;
    }
    assert_int_equal (row, 2);
    assert_memory_equal (cols[0], cols[1], 6 * sizeof (int));
}

static void
test_terminal_list (void **state)
{
    static s_run_t en, zh;
    const char *list[] = {"terminal", "list", "-c",
                          fed->nodes[DINGAN].config, NULL};
    s_both (list, 0, &en, &zh);
    xt_assert_has (en.out, "1 terminals in ");
    xt_assert_has (en.out, "ID           TOWNSHIP   NAME ");
    xt_assert_has (en.out, "  valid\n");
    xt_assert_has (zh.out, "个终端");
    xt_assert_has (zh.out, "编号         乡镇（街道）");
    xt_assert_has (zh.out, "定城镇");
    xt_assert_has (zh.out, "  有效\n");
    assert_int_equal (s_aligned (zh.out, 1, 2), 13);
    s_terminal_columns (en.out);
    s_terminal_columns (zh.out);
    const char *json[] = {"terminal", "list", "-c",
                          fed->nodes[DINGAN].config, "--json", NULL};
    s_same_json (json, 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_keygen_help),
        cmocka_unit_test (test_trust_show),
        cmocka_unit_test (test_trust_verify),
        cmocka_unit_test (test_audit_verify),
        cmocka_unit_test (test_audit_list),
        cmocka_unit_test (test_terminal_list),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
