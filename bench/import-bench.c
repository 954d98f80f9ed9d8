/*  import-bench.c - how fast does a registration node take a county's
    roster snapshot, what memory does it keep afterwards, and how long do
    queries wait while it is applied?

    One run on a real two-node federation (tests/lib/xt_fed.h): residence
    node 469021 and registration node 341002, real daemons, real LMDB:
      1. baseline: fdatasync of a 4 KiB page in the federation's
         directory (a synced LMDB commit waits for it);
      2. a CSV of --rows DIBAO recipients (valid IDs, xt_id_make) is
         written, and `xiecha import FILE` (the real CLI: read, check,
         send, commit) runs against 341002 while one client thread asks
         469021 to query 341002 without pause, half about people in the
         roster, half about others;
      3. the same file again: a monthly snapshot in which nothing changed;
      4. the same file without its last tenth: the missing are closed.
    For each import: wall time of the CLI, rows/s, the queries answered
    during it and their latency (p50, p99 and the longest: the longest
    stall a case worker saw), the registration daemon's resident memory
    before, at its peak and after (VmRSS, VmHWM from /proc).

    Nothing here asserts on timing.  The exit status is 1 when an import
    or a query fails or a daemon does not stop cleanly. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xiecha/xiecha.h"

#include "common.h"

typedef struct {
    size_t rows;
    const char *tmpdir;
    const char *xiechad;
    bool keep;
    bool json;
} s_opts_t;

/*  One import and what the queries beside it saw. */
typedef struct {
    const char *what;
    size_t rows;
    double wall_s;
    char summary[512];        /* the CLI's --json line */
    xb_lat_t queries;         /* answered while it ran */
    size_t failed;
    char first_failure[256];
    size_t rss_before_kb, rss_after_kb, hwm_kb;
    size_t anon_before_kb, anon_after_kb;   /* RssAnon: the allocator's */
} s_phase_t;

/*  The querying thread: runs until told to stop, keeps every latency. */
typedef struct {
    atomic_bool stop;
    double *lat_us;
    size_t n, cap;
    size_t failed;
    char first_failure[256];
    size_t roster_rows;       /* ids below this are in the roster */
} s_asker_t;

static void *
s_asker_run (void *arg)
{
    s_asker_t *a = arg;
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, 30000);
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    for (size_t i = 0; !atomic_load (&a->stop); i++) {
        char id[XT_ID_SIZE];
        xt_id_make (XB_HOME, i % 2 ? a->roster_rows + i : i % a->roster_rows,
                    id);
        xc_query_t q = {.home_county = XB_HOME, .applicant = {id, "A"},
                        .programs = programs, .program_count = 1};
        xc_answer_t ans;
        char why[512] = "";
        double t0 = xb_now ();
        int rc = xc_client_query (c, &q, &ans, why, sizeof why);
        double us = (xb_now () - t0) * 1e6;
        if (rc == 0)
            xc_answer_free (&ans);
        else if (a->failed++ == 0)
            snprintf (a->first_failure, sizeof a->first_failure, "%s", why);
        if (a->n == a->cap) {
            a->cap = a->cap ? 2 * a->cap : 4096;
            a->lat_us = realloc (a->lat_us, a->cap * sizeof *a->lat_us);
            if (!a->lat_us)
                xt_fail ("out of memory");
        }
        a->lat_us[a->n++] = us;
    }
    xc_client_destroy (&c);
    return NULL;
}

/*  VmRSS, VmHWM and RssAnon of pid, in kB.  RssAnon leaves out the
    store's file pages that LMDB maps (they count in VmRSS once read and
    belong to the page cache): it is what the allocator holds. */
static void
s_memory (pid_t pid, size_t *rss, size_t *hwm, size_t *anon)
{
    char path[64], line[256];
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
    FILE *f = fopen (path, "r");
    *rss = *hwm = *anon = 0;
    while (f && fgets (line, sizeof line, f)) {
        sscanf (line, "VmRSS: %zu", rss);
        sscanf (line, "VmHWM: %zu", hwm);
        sscanf (line, "RssAnon: %zu", anon);
    }
    if (f)
        fclose (f);
}

/*  The roster file <root>/name, its path in path[PATH_MAX]: rows
    recipients, one line each. */
static void
s_write_csv (const char *name, size_t rows, char *path)
{
    snprintf (path, PATH_MAX, "%s/%s", xb_fed->root, name);
    FILE *f = fopen (path, "w");
    if (!f)
        xt_fail ("%s: %s", path, strerror (errno));
    fprintf (f, "id_number,name,program,since,until\n");
    for (size_t i = 0; i < rows; i++) {
        char id[XT_ID_SIZE];
        xt_id_make (XB_HOME, i, id);
        fprintf (f, "%s,Recipient %zu,dibao,2024-03-01\n", id, i);
    }
    if (fclose (f) != 0)
        xt_fail ("%s: %s", path, strerror (errno));
}

/*  One import through the CLI with the asker running beside it. */
static void
s_phase (const char *what, const char *file, size_t rows, size_t roster,
         s_phase_t *ph)
{
    memset (ph, 0, sizeof *ph);
    ph->what = what;
    ph->rows = rows;
    pid_t pid = xb_fed->nodes[XB_REG].pid;
    size_t hwm;
    s_memory (pid, &ph->rss_before_kb, &hwm, &ph->anon_before_kb);
    s_asker_t a = {.roster_rows = roster ? roster : 1};
    pthread_t t;
    if (pthread_create (&t, NULL, s_asker_run, &a) != 0)
        xt_fail ("cannot start the query thread");
    xb_progress ("%s: importing %zu rows", what, rows);
    const char *args[] = {"import", file, "--json", NULL};
    double t0 = xb_now ();
    int status = xt_fed_cli (xb_fed, XB_REG, ph->summary, sizeof ph->summary,
                             args);
    ph->wall_s = xb_now () - t0;
    atomic_store (&a.stop, true);
    pthread_join (t, NULL);
    if (status != 0)
        xt_fail ("%s: xiecha import exited %d: %s", what, status, ph->summary);
    char *nl = strchr (ph->summary, '\n');
    for (; nl; nl = strchr (nl, '\n'))
        *nl = ' ';
    s_memory (pid, &ph->rss_after_kb, &ph->hwm_kb, &ph->anon_after_kb);
    ph->failed = a.failed;
    snprintf (ph->first_failure, sizeof ph->first_failure, "%s",
              a.first_failure);
    xb_lat_fill (&ph->queries, a.lat_us, a.n, ph->wall_s);
    free (a.lat_us);
}

static void
s_print_phase (const s_phase_t *p)
{
    printf ("%s: %zu rows in %.2f s (%.0f rows/s)\n", p->what, p->rows,
            p->wall_s, p->wall_s > 0 ? (double) p->rows / p->wall_s : 0);
    printf ("  import said   %s\n", p->summary);
    printf ("  queries meanwhile  %zu answered, %zu failed; p50 %.1f ms, "
            "p99 %.1f ms, longest %.1f ms\n", p->queries.n, p->failed,
            p->queries.p50_us / 1000, p->queries.p99_us / 1000,
            p->queries.max_us / 1000);
    if (p->failed)
        printf ("  first failure  %s\n", p->first_failure);
    printf ("  341002 memory  resident %.1f MB before, %.1f MB peak, %.1f MB "
            "after; of it anonymous (allocator) %.1f MB before, %.1f MB "
            "after\n", (double) p->rss_before_kb / 1024,
            (double) p->hwm_kb / 1024, (double) p->rss_after_kb / 1024,
            (double) p->anon_before_kb / 1024,
            (double) p->anon_after_kb / 1024);
}

static void
s_json_phase (const s_phase_t *p, bool last)
{
    printf ("    {\"what\": \"%s\", \"rows\": %zu, \"wall_s\": %.3f, "
            "\"queries\": %zu, \"failed\": %zu, \"p50_ms\": %.2f, "
            "\"p99_ms\": %.2f, \"longest_ms\": %.2f, \"rss_before_kb\": %zu, "
            "\"hwm_kb\": %zu, \"rss_after_kb\": %zu, \"anon_before_kb\": %zu, "
            "\"anon_after_kb\": %zu}%s\n", p->what, p->rows,
            p->wall_s, p->queries.n, p->failed, p->queries.p50_us / 1000,
            p->queries.p99_us / 1000, p->queries.max_us / 1000,
            p->rss_before_kb, p->hwm_kb, p->rss_after_kb, p->anon_before_kb,
            p->anon_after_kb, last ? "" : ",");
}

static void
s_usage (FILE *f)
{
    fprintf (f,
"Usage: xiecha-import-bench [OPTIONS]\n"
"Imports a roster snapshot of --rows rows through the real CLI into a\n"
"registration node of a real two-node federation, three times (new, the\n"
"same again, a tenth missing), while a client queries without pause;\n"
"reports each import's time, the queries' latency during it (the longest\n"
"is the longest stall) and the node's memory, next to the fdatasync rate.\n"
"\n"
"  --rows N        roster rows (1000000; --quick: 100000)\n"
"  --quick         a smoke run\n"
"  --tmpdir DIR    where the federation lives ($TMPDIR or /tmp)\n"
"  --xiechad PATH  the daemon ($XIECHAD, else the build tree's)\n"
"  --keep          keep the directory\n"
"  --json          machine-readable report\n"
"  -h, --help      this text\n");
}

int
main (int argc, char **argv)
{
    xt_cleanup_install ();
    static const struct option opts[] = {
        {"rows", 1, 0, 'n'}, {"quick", 0, 0, 'Q'}, {"tmpdir", 1, 0, 't'},
        {"xiechad", 1, 0, 'x'}, {"keep", 0, 0, 'k'}, {"json", 0, 0, 'j'},
        {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    const char *tmp = getenv ("TMPDIR");
    s_opts_t o = {.tmpdir = tmp && *tmp ? tmp : "/tmp"};
    bool quick = false;
    int c;
    while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o.rows = xb_count (optarg, "--rows", 10); break;
        case 'Q': quick = true; break;
        case 't': o.tmpdir = optarg; break;
        case 'x': o.xiechad = optarg; break;
        case 'k': o.keep = true; break;
        case 'j': o.json = true; break;
        case 'h': s_usage (stdout); return 0;
        default: s_usage (stderr); return 2;
        }
    }
    if (optind < argc) {
        s_usage (stderr);
        return 2;
    }
    if (!o.rows)
        o.rows = quick ? 100000 : 1000000;

    xb_fed_create (o.tmpdir, 3000, "", o.xiechad, o.keep);
    double la0 = xb_loadavg ();
    double fsync = xb_fdatasync_rate (xb_fed->root, 1.0);
    xb_progress ("writing %zu rows of roster", o.rows);
    char full[PATH_MAX], part[PATH_MAX];
    s_write_csv ("roster.csv", o.rows, full);
    s_write_csv ("roster-90.csv", o.rows - o.rows / 10, part);
    xt_fed_start (xb_fed, XB_RES);
    xt_fed_start (xb_fed, XB_REG);

    s_phase_t ph[3];
    s_phase ("new snapshot", full, o.rows, o.rows, &ph[0]);
    s_phase ("same snapshot again", full, o.rows, o.rows, &ph[1]);
    s_phase ("a tenth missing", part, o.rows - o.rows / 10, o.rows, &ph[2]);
    double la1 = xb_loadavg ();
    int clean = xt_fed_term (xb_fed, XB_RES) == 0
                && xt_fed_term (xb_fed, XB_REG) == 0;

    char date[32];
    xc_time_iso (xc_now_ms (), date);
    size_t failed = ph[0].failed + ph[1].failed + ph[2].failed;
    if (o.json) {
        printf ("{\n  \"date\": \"%s\", \"rows\": %zu, \"fdatasync_per_s\": "
                "%.0f, \"loadavg\": [%.2f, %.2f],\n  \"phases\": [\n", date,
                o.rows, fsync, la0, la1);
        for (int i = 0; i < 3; i++)
            s_json_phase (&ph[i], i == 2);
        printf ("  ],\n  \"failed_queries\": %zu, \"clean_stop\": %s\n}\n",
                failed, clean ? "true" : "false");
    }
    else {
        printf ("Roster import at 341002, %s (load %.2f .. %.2f)\n", date,
                la0, la1);
        printf ("fdatasync (4 KiB rewrite)  %.0f /s\n", fsync);
        for (int i = 0; i < 3; i++)
            s_print_phase (&ph[i]);
        printf ("daemons stopped %s\n", clean ? "cleanly" : "UNCLEANLY");
    }
    xt_fed_destroy (&xb_fed);
    return failed || !clean ? 1 : 0;
}
