/*  itest_audit.c - audit checkpoints and exports from real daemons: the
    periodic checkpoint (limits/checkpoint_interval_s = 1) and the one
    on clean shutdown, `xiecha audit export` over the client socket and
    `xiecha audit verify` offline with the trust list alone, which passes
    for the real log (envelopes included) and fails, naming the entry,
    for a changed byte and a truncated file.  TUNXI exports in pages of
    two entries (limits/export_page_entries = 2): the pages make one
    valid file, progress goes to stderr, and a failed export leaves no
    file behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    xt_fed_config_append (fed, DINGAN, "    checkpoint_interval_s = 1\n");
    xt_fed_config_append (fed, TUNXI, "    export_page_entries = 2\n");
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id ("34100219800101123"), "Applicant"},
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
    //  Long enough for at least one periodic checkpoint after the query.
    usleep (2500 * 1000);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

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

static int
s_verify (const char *path, char *out, size_t out_len)
{
    const char *args[] = {"audit", "verify", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed),
                          "--json", NULL};
    return xt_fed_cli (fed, -1, out, out_len, args);
}

static void
test_export_verifies (void **state)
{
    char out[16384];
    const char *path = s_export ("audit-1.bin");
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"checkpoint\": ");
    xt_assert_has (out, "\"sent\": 1");
    xt_assert_has (out, "\"received\": 1");
    xt_assert_has (out, "\"envelopes\": 2");
    xt_assert_has (out, "\"341002\": 2");
    const char *human[] = {"audit", "verify", path, "--trust", fed->trust,
                           "--root", xt_fed_anchor (fed),
                           NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, human), 0);
    xt_assert_has (out, "VALID\n");
    xt_assert_has (out, "peer         341002       2");
}

static void
test_shutdown_checkpoint (void **state)
{
    //  After a clean stop the entry before the stop mark is a checkpoint
    //  covering everything before it; a restart adds a start mark.
    xt_fed_stop (fed, DINGAN, 0);
    xt_fed_start (fed, DINGAN);
    char out[16384];
    const char *path = s_export ("audit-2.bin");
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"stop\": 1");
    xt_assert_has (out, "\"start\": 2");
    //  The verifier reports the last checkpoint's coverage: every entry
    //  but that checkpoint, the stop, the new start and the export's own
    //  request (requests.c enters who exports the log).
    char want[64];
    const char *t = strstr (out, "\"total\": ");
    assert_non_null (t);
    unsigned long long total = strtoull (t + 9, NULL, 10);
    snprintf (want, sizeof want, "\"covered\": %llu", total - 4);
    xt_assert_has (out, want);
    //  The stop mark, the new start and the export's request come after
    //  it: the chain alone.
    xt_assert_has (out, "\"uncovered\": 3");
}

static void
test_tampered_export_fails (void **state)
{
    char out[16384];
    const char *path = s_export ("audit-3.bin");
    FILE *f = fopen (path, "r+");
    assert_non_null (f);
    //  Entry 1 starts at 32 + 13; its note starts 56 later.
    fseek (f, 32 + 13 + 56, SEEK_SET);
    int ch = fgetc (f);
    fseek (f, 32 + 13 + 56, SEEK_SET);
    fputc (ch ^ 1, f);
    fclose (f);
    assert_int_equal (s_verify (path, out, sizeof out), 1);
    xt_assert_has (out, "\"valid\": false");
    xt_assert_has (out, "\"bad_entry\": 2");
    xt_assert_has (out, "prev_hash does not match hash of entry 1");

    path = s_export ("audit-4.bin");
    assert_int_equal (truncate (path, 32 + 60), 0);
    assert_int_equal (s_verify (path, out, sizeof out), 1);
    xt_assert_has (out, "file truncated");
    const char *nofile[] = {"audit", "verify", "/nonexistent", "--trust",
                            fed->trust,
                            "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, nofile), 2);
}

static unsigned long long
s_json_uint (const char *out, const char *key)
{
    const char *t = strstr (out, key);
    if (!t)
        fail_msg ("no %s in:\n%s", key, out);
    return strtoull (t + strlen (key), NULL, 10);
}

static void
test_paged_export (void **state)
{
    char out[16384], path[PATH_MAX];
    snprintf (path, sizeof path, "%s/paged.bin", fed->root);
    const char *args[] = {"audit", "export", "--out", path, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    unsigned long long entries = s_json_uint (out, "\"entries\": ");
    unsigned long long pages = s_json_uint (out, "\"pages\": ");
    assert_true (entries >= 3);   /* start, query received, certificate sent */
    assert_int_equal (pages, (entries + 1) / 2);
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    assert_int_equal (s_json_uint (out, "\"total\": "), entries);

    //  --progress reports on stderr even when it is not a terminal.
    char cmd[3 * PATH_MAX], err[PATH_MAX], text[4096] = "";
    snprintf (err, sizeof err, "%s/progress.txt", fed->root);
    snprintf (cmd, sizeof cmd,
              "'%s' audit export --out '%s' --progress -c '%s' 2>'%s' "
              ">/dev/null", getenv ("XIECHA"), path,
              fed->nodes[TUNXI].config, err);
    assert_int_equal (system (cmd), 0);
    FILE *f = fopen (err, "r");
    assert_non_null (f);
    text[fread (text, 1, sizeof text - 1, f)] = '\0';
    fclose (f);
    xt_assert_has (text, "exported entries ");
    xt_assert_has (text, "(100%)");

    //  A failed export creates nothing under the name.
    snprintf (path, sizeof path, "%s/no-such-dir/x.bin", fed->root);
    const char *bad[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, bad), 2);
    struct stat st;
    assert_int_not_equal (stat (path, &st), 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_export_verifies),
        cmocka_unit_test (test_shutdown_checkpoint),
        cmocka_unit_test (test_tampered_export_fails),
        cmocka_unit_test (test_paged_export),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
