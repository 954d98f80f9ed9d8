/*  itest_audit.c - audit checkpoints and exports from real daemons: the
    periodic checkpoint (limits/checkpoint_interval_s = 1) and the one
    on clean shutdown, `xiecha audit export` over the client socket and
    `xiecha audit verify` offline with the trust list alone, which passes
    for the real log (envelopes included) and fails, naming the entry,
    for a changed byte and a truncated file.  TUNXI exports in pages of
    two entries (limits/export_page_entries = 2): the pages make one
    valid file, progress goes to stderr, and a failed export leaves no
    file behind.

    An export's length is signed: every export ends at a checkpoint (the
    node signs one when its range reaches past the last), an old range
    ends at the later checkpoint that covers it, and a file cut after a
    checkpoint, cut before the first, or emptied is never VALID (exit 7
    naming the entries not covered, or exit 1); a header whose from/to
    are not the entries held in full is INVALID. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>

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

/*  DINGAN's export of entries from..to (NULL: all) into <root>/name. */
static const char *
s_export_range (const char *name, const char *from, const char *to)
{
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    char out[4096];
    const char *all[] = {"audit", "export", "--out", path, NULL};
    const char *range[] = {"audit", "export", "--from", from, "--to", to,
                           "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out,
                                  from ? range : all), 0);
    return path;
}

static const char *
s_export (const char *name)
{
    return s_export_range (name, NULL, NULL);
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
    //  The stop mark and the new start came after the shutdown's
    //  checkpoint: the export sealed them under one of its own, its last
    //  entry, which covers all the others.
    char want[64];
    const char *t = strstr (out, "\"total\": ");
    assert_non_null (t);
    unsigned long long total = strtoull (t + 9, NULL, 10);
    snprintf (want, sizeof want, "\"covered\": %llu", total - 1);
    xt_assert_has (out, want);
    xt_assert_has (out, "\"uncovered\": 0");
}

/*  An export file in memory, and where its records are. */
typedef struct {
    uint8_t *buf;
    size_t len;
    uint64_t total;
    size_t at[256];            /* offset of record seq (1-based) */
    int kind[256];             /* its kind when full, else 0 */
} s_file_t;

static void
s_load (const char *path, s_file_t *f)
{
    memset (f, 0, sizeof *f);
    FILE *in = fopen (path, "r");
    assert_non_null (in);
    fseek (in, 0, SEEK_END);
    f->len = (size_t) ftell (in);
    rewind (in);
    f->buf = malloc (f->len);
    assert_non_null (f->buf);
    assert_int_equal (fread (f->buf, 1, f->len, in), f->len);
    fclose (in);
    f->total = xc_get_u64 (f->buf + 8);
    assert_true (f->total > 0 && f->total < 256);
    size_t pos = XC_AUDITFILE_HEADER;
    for (uint64_t seq = 1; seq <= f->total + 1; seq++) {
        f->at[seq] = pos;
        if (seq > f->total)
            break;
        const uint8_t *p = f->buf + pos;
        f->kind[seq] = p[8] ? p[13 + 1] : 0;
        pos += p[8] ? 13 + (size_t) xc_get_u32 (p + 9) : 41;
    }
    assert_int_equal (pos, f->len);
}

/*  Writes the first keep records of f to path with a header that says
    so, as someone who cut the file would. */
static void
s_save_cut (const s_file_t *f, uint64_t keep, const char *path)
{
    uint8_t *b = malloc (f->at[keep + 1]);
    assert_non_null (b);
    memcpy (b, f->buf, f->at[keep + 1]);
    xc_put_u64 (b + 8, keep);
    if (xc_get_u64 (b + 24) > keep)
        xc_put_u64 (b + 24, keep);
    FILE *out = fopen (path, "w");
    assert_non_null (out);
    assert_int_equal (fwrite (b, 1, f->at[keep + 1], out), f->at[keep + 1]);
    fclose (out);
    free (b);
}

/*  The first checkpoint that another kind of entry follows (a stop's
    checkpoint may follow a periodic one at once). */
static uint64_t
s_first_checkpoint (const s_file_t *f)
{
    for (uint64_t seq = 1; seq < f->total; seq++)
        if (f->kind[seq] == 9 && f->kind[seq + 1] != 9)
            return seq;
    fail_msg ("no checkpoint followed by an entry in the export");
    return 0;
}

static void
test_export_ends_sealed (void **state)
{
    //  Whatever came last in the log, the export's last entry is a
    //  checkpoint, and every entry is covered.
    char out[16384];
    const char *path = s_export ("sealed.bin");
    s_file_t f;
    s_load (path, &f);
    assert_int_equal (f.kind[f.total], 9);
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"covered_all\": true");
    xt_assert_has (out, "\"uncovered\": 0");
    //  At once again: who exports is itself on record (its request's
    //  entry), so that entry and one checkpoint over it are all that is
    //  new, and the export again ends covered.
    const char *again = s_export ("sealed-2.bin");
    s_file_t g;
    s_load (again, &g);
    assert_int_equal (g.total, f.total + 2);
    assert_int_equal (g.kind[g.total], 9);
    assert_int_equal (g.kind[g.total - 1], 5);   /* DECISION: requested */
    free (f.buf);
    free (g.buf);
}

static void
test_old_range (void **state)
{
    //  Entries 1..2 were covered long ago: the export of that range ends
    //  at the log's last checkpoint, made later, and verifies under it;
    //  it signs nothing new.
    char out[16384];
    s_file_t all;
    s_load (s_export ("before-old.bin"), &all);
    const char *path = s_export_range ("old.bin", "1", "2");
    s_file_t f;
    s_load (path, &f);
    assert_int_equal (f.total, all.total);
    assert_int_equal (f.kind[f.total], 9);
    assert_int_equal (xc_get_u64 (f.buf + 24), 2);
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    free (f.buf);
    free (all.buf);
}

static void
test_cut_exports (void **state)
{
    char out[16384], cut[PATH_MAX];
    s_file_t f;
    s_load (s_export ("to-cut.bin"), &f);
    uint64_t cp = s_first_checkpoint (&f);
    assert_true (cp > 1 && cp < f.total);
    snprintf (cut, sizeof cut, "%s/cut.bin", fed->root);

    //  Cut one entry after a checkpoint: every byte checks, but the last
    //  entry is signed by nobody.
    s_save_cut (&f, cp + 1, cut);
    assert_int_equal (s_verify (cut, out, sizeof out), 7);
    char want[128];
    snprintf (want, sizeof want, "entries %llu..%llu are not covered",
              (unsigned long long) cp + 1, (unsigned long long) cp + 1);
    xt_assert_has (out, want);
    xt_assert_has (out, "\"valid\": false");
    xt_assert_has (out, "\"covered_all\": false");
    snprintf (want, sizeof want, "\"uncovered_from\": %llu",
              (unsigned long long) cp + 1);
    xt_assert_has (out, want);
    const char *human[] = {"audit", "verify", cut, "--trust", fed->trust,
                           "--root", xt_fed_anchor (fed),
                           NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, human), 7);
    xt_assert_has (out, "NOT COVERED: entries ");

    //  Cut before the first checkpoint: nothing in it is signed.
    for (cp = 1; f.kind[cp] != 9; cp++)
        ;
    s_save_cut (&f, cp - 1, cut);
    assert_int_equal (s_verify (cut, out, sizeof out), 7);
    snprintf (want, sizeof want, "entries 1..%llu are not covered by a "
              "signed checkpoint: the export holds none",
              (unsigned long long) cp - 1);
    xt_assert_has (out, want);

    //  No entries at all.
    s_save_cut (&f, 0, cut);
    assert_int_equal (s_verify (cut, out, sizeof out), 1);
    xt_assert_has (out, "holds no entries");
    free (f.buf);
}

static void
test_header_range_checked (void **state)
{
    char out[16384];
    const char *path = s_export_range ("range.bin", "2", "3");
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    s_file_t f;
    s_load (path, &f);
    FILE *w = fopen (path, "r+");
    assert_non_null (w);
    //  from = 1: entry 1 is only a hash, so the header lies.
    uint8_t v[8];
    xc_put_u64 (v, 1);
    fseek (w, 16, SEEK_SET);
    fwrite (v, 1, 8, w);
    fflush (w);
    assert_int_equal (s_verify (path, out, sizeof out), 1);
    xt_assert_has (out, "entry 1: only a hash, inside the exported range "
                   "1..3");
    //  from = 3: entry 2 is in full outside the range.
    xc_put_u64 (v, 3);
    fseek (w, 16, SEEK_SET);
    fwrite (v, 1, 8, w);
    fflush (w);
    assert_int_equal (s_verify (path, out, sizeof out), 1);
    xt_assert_has (out, "entry 2: in full, outside the exported range "
                   "3..3");
    //  to beyond the entries held.
    xc_put_u64 (v, 2);
    fseek (w, 16, SEEK_SET);
    fwrite (v, 1, 8, w);
    xc_put_u64 (v, f.total + 1);
    fseek (w, 24, SEEK_SET);
    fwrite (v, 1, 8, w);
    fclose (w);
    assert_int_equal (s_verify (path, out, sizeof out), 1);
    xt_assert_has (out, "is not within the");
    free (f.buf);
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

static void
test_paged_export (void **state)
{
    char out[16384], path[PATH_MAX];
    snprintf (path, sizeof path, "%s/paged.bin", fed->root);
    const char *args[] = {"audit", "export", "--out", path, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    unsigned long long entries = xt_json_uint (out, "\"entries\": ");
    unsigned long long pages = xt_json_uint (out, "\"pages\": ");
    assert_true (entries >= 3);   /* start, query received, certificate sent */
    assert_int_equal (pages, (entries + 1) / 2);
    assert_int_equal (s_verify (path, out, sizeof out), 0);
    xt_assert_has (out, "\"valid\": true");
    assert_int_equal (xt_json_uint (out, "\"total\": "), entries);

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
        cmocka_unit_test (test_export_ends_sealed),
        cmocka_unit_test (test_old_range),
        cmocka_unit_test (test_cut_exports),
        cmocka_unit_test (test_header_range_checked),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
