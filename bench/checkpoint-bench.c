/*  checkpoint-bench.c - what does a checkpoint cost now that the audit
    log keeps a compact Merkle range beside its head, and what does
    keeping it cost each append?

    One run on one machine, through the daemon's own modules on a real
    LMDB environment in a temporary directory:
      1. baselines: SHA-256 of one entry-sized buffer (xc_sha256: the one
         hash every append pays anyway), and fdatasync of a 4 KiB page
         in the same directory (every synced commit waits for one);
      2. appends: --appends entries through xc_audit_append (head and
         range) and through s_append_head_only, the same append without
         the range (audit.c before the range was added), each into a
         fresh store in write transactions of --batch entries, --rounds
         times, alternating which goes first;
      3. a log of --entries entries written by xc_audit_append, then one
         checkpoint root three ways, each --rounds times:
           xc_audit_root           head + stored range: O(log n)
           from the log            read every entry, hash it, then
                                   xc_merkle_root: what checkpoint.c did
                                   before the range (O(n))
           xc_merkle_root alone    over the n entry hashes already in
                                   memory: the hashing part of that
         and checks that all three agree.

    Ratios, not thresholds: nothing here asserts on timing.  The exit
    status is 1 only when the roots disagree or a store call fails. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <lmdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xiecha/xiecha.h"
#include "xiecha/bytes.h"
#include "xiecha/merkle.h"

#include "store/audit.h"
#include "store/store.h"

#include "common.h"

#define S_ENTRY_DATA 300   /* bytes of data per entry: about an envelope */
#define S_MAX_ROUNDS 32

typedef struct {
    const char *tmpdir;
    size_t entries;        /* log size for the root phase */
    size_t appends;        /* per append round */
    size_t batch;          /* appends per write transaction */
    size_t rounds;
    bool json;
} s_opts_t;

typedef struct {
    double sha_per_s;      /* SHA-256 of one entry */
    double fsync_per_s;
    size_t entry_bytes;    /* one appended entry */
    double with_s[S_MAX_ROUNDS], without_s[S_MAX_ROUNDS];  /* in txns */
    double with_med, without_med;   /* median seconds per round */
    double with_all_s[S_MAX_ROUNDS], without_all_s[S_MAX_ROUNDS];
    double with_all_med, without_all_med;   /* commits included */
    double build_s;        /* the --entries log */
    double root_us[S_MAX_ROUNDS], scan_s[S_MAX_ROUNDS], merkle_s[S_MAX_ROUNDS];
    double root_med_us, scan_med, merkle_med;
    bool roots_agree;
} s_report_t;

static char s_dir[PATH_MAX];

/* ---- helpers ------------------------------------------------------------ */

static void
s_rm_store (const char *dir)
{
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    rmdir (dir);
}

static xc_store_t *
s_store (int i)
{
    char sub[PATH_MAX + 16], why[256] = "";
    snprintf (sub, sizeof sub, "%s/s%d", s_dir, i);
    s_rm_store (sub);
    if (mkdir (sub, 0700) != 0)
        xt_fail ("%s: %s", sub, strerror (errno));
    xc_store_t *st = xc_store_new (sub, 0, why, sizeof why);
    if (!st)
        xt_fail ("%s", why);
    return st;
}

static int
s_cmp (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double
s_median (const double *v, size_t n)
{
    double tmp[S_MAX_ROUNDS];
    memcpy (tmp, v, n * sizeof *v);
    qsort (tmp, n, sizeof *tmp, s_cmp);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static double
s_div (double a, double b)
{
    return b > 0 ? a / b : 0;
}

/* ---- baselines ---------------------------------------------------------- */

static double
s_sha_rate (size_t len)
{
    uint8_t *buf = malloc (len), out[32];
    if (!buf)
        xt_fail ("out of memory");
    xc_random (buf, len);
    size_t ops = 0;
    double start = xb_now (), now = start;
    while (now - start < 0.5) {
        for (int i = 0; i < 256; i++)
            xc_sha256 (buf, len, out);
        buf[0] = out[0];
        ops += 256;
        now = xb_now ();
    }
    free (buf);
    return (double) ops / (now - start);
}

/* ---- appends ------------------------------------------------------------ */

/*  xc_audit_append as audit.c had it before the range (commit 2f76deb):
    read the head, reserve and fill the entry in place with MDB_APPEND,
    hash it, rewrite the head.  Kept here, and only here, as the
    baseline; the entry layout is audit.h's. */
static int
s_append_head_only (xc_store_t *store, MDB_txn *txn, const char *note,
                    const uint8_t *data, size_t data_len)
{
    uint64_t count;
    uint8_t hash[32];
    int rc = xc_audit_head (store, txn, &count, hash);
    if (rc)
        return rc;
    size_t note_len = strlen (note);
    uint8_t key_buf[8], head[40];
    xc_put_u64 (key_buf, count + 1);
    MDB_val key = {sizeof key_buf, key_buf};
    MDB_val val = {XC_AUDIT_HEADER + note_len + data_len, NULL};
    rc = mdb_put (txn, xc_store_dbi (store, XC_DB_AUDIT), &key, &val,
                  MDB_APPEND | MDB_RESERVE);
    if (rc)
        return xc_store_rc (rc);
    uint8_t *p = val.mv_data;
    memset (p, 0, XC_AUDIT_HEADER);
    p[0] = 1;
    p[1] = XC_AUDIT_SENT;
    xc_put_u16 (p + 2, (uint16_t) note_len);
    xc_put_u32 (p + 4, (uint32_t) data_len);
    memcpy (p + 16, hash, 32);
    memcpy (p + 48, "341002", 6);
    memcpy (p + XC_AUDIT_HEADER, note, note_len);
    memcpy (p + XC_AUDIT_HEADER + note_len, data, data_len);
    xc_sha256 (p, val.mv_size, hash);
    memcpy (head, key_buf, 8);
    memcpy (head + 8, hash, 32);
    MDB_val hkey = {sizeof "audit.head" - 1, (void *) "audit.head"};
    MDB_val hval = {sizeof head, head};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (store, XC_DB_META),
                                 &hkey, &hval, 0));
}

typedef struct {
    xc_store_t *store;
    size_t n;              /* appends in this transaction */
    bool with_range;       /* xc_audit_append, else the baseline */
    const uint8_t *data;
    double in_txn_s;       /* time spent appending, commits excluded */
} s_append_t;

static int
s_append_batch (MDB_txn *txn, void *arg)
{
    s_append_t *a = arg;
    double t0 = xb_now ();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < a->n; i++)
        rc = a->with_range
                 ? xc_audit_append (a->store, txn, XC_AUDIT_SENT, "341002",
                                    1780000000000ULL, "query", a->data,
                                    S_ENTRY_DATA, NULL)
                 : s_append_head_only (a->store, txn, "query", a->data,
                                       S_ENTRY_DATA);
    a->in_txn_s += xb_now () - t0;
    return rc;
}

/*  n appends into store in transactions of batch.  Returns the seconds
    spent appending inside the transactions: the synced commits wait for
    the disk, which others share, and cost the same either way (the head
    already dirties the meta page the range lives on).  *all_s gets the
    time with the commits. */
static double
s_appends (xc_store_t *store, size_t n, size_t batch, bool with_range,
           const uint8_t *data, double *all_s)
{
    double t0 = xb_now (), in_txn = 0;
    for (size_t done = 0; done < n; done += batch) {
        s_append_t a = {store, n - done < batch ? n - done : batch,
                        with_range, data, 0};
        int rc = xc_store_write (store, s_append_batch, &a);
        if (rc)
            xt_fail ("append: %s", xc_strerror (rc));
        in_txn += a.in_txn_s;
    }
    if (all_s)
        *all_s = xb_now () - t0;
    return in_txn;
}

static void
s_bench_appends (const s_opts_t *o, s_report_t *r, const uint8_t *data)
{
    xb_progress ("%zu appends with and without the range, %zu rounds",
                 o->appends, o->rounds);
    for (size_t i = 0; i < o->rounds; i++) {
        //  Alternate the order so a drift in the machine's load does not
        //  always favour the same side.
        for (int k = 0; k < 2; k++) {
            bool with = (i + (size_t) k) % 2 == 0;
            xc_store_t *st = s_store (with ? 0 : 1);
            double all;
            double s = s_appends (st, o->appends, o->batch, with, data, &all);
            (with ? r->with_s : r->without_s)[i] = s;
            (with ? r->with_all_s : r->without_all_s)[i] = all;
            xc_store_destroy (&st);
        }
    }
    r->with_med = s_median (r->with_s, o->rounds);
    r->without_med = s_median (r->without_s, o->rounds);
    r->with_all_med = s_median (r->with_all_s, o->rounds);
    r->without_all_med = s_median (r->without_all_s, o->rounds);
}

/* ---- checkpoint roots --------------------------------------------------- */

/*  What checkpoint.c did before the range: every entry read and hashed
    (xc_audit_get hashes as it decodes), then the root over all hashes. */
static double
s_root_from_log (xc_store_t *st, MDB_txn *txn, uint64_t n,
                 uint8_t (*leaves)[32], uint8_t root[32])
{
    double t0 = xb_now ();
    for (uint64_t i = 0; i < n; i++) {
        xc_audit_entry_t e;
        if (xc_audit_get (st, txn, i + 1, &e) != 0)
            xt_fail ("entry %" PRIu64 " unreadable", i + 1);
        memcpy (leaves[i], e.hash, 32);
    }
    xc_merkle_root ((const uint8_t (*)[32]) leaves, n, root);
    return xb_now () - t0;
}

static void
s_bench_roots (const s_opts_t *o, s_report_t *r, const uint8_t *data)
{
    xb_progress ("writing a log of %zu entries", o->entries);
    xc_store_t *st = s_store (2);
    s_appends (st, o->entries, o->batch, true, data, &r->build_s);
    uint8_t (*leaves)[32] = malloc (o->entries * 32);
    if (!leaves)
        xt_fail ("out of memory");
    MDB_txn *txn = NULL;
    if (xc_store_read (st, &txn) != 0)
        xt_fail ("cannot read the store");
    xb_progress ("one checkpoint root three ways, %zu rounds", o->rounds);
    uint8_t a[32], b[32], c[32];
    uint64_t n = 0;
    r->roots_agree = true;
    for (size_t i = 0; i < o->rounds; i++) {
        //  xc_audit_root is microseconds: time a block of calls.
        const int calls = 1000;
        double t0 = xb_now ();
        for (int k = 0; k < calls; k++)
            if (xc_audit_root (st, txn, &n, a) != 0)
                xt_fail ("xc_audit_root failed");
        r->root_us[i] = (xb_now () - t0) * 1e6 / calls;
        r->scan_s[i] = s_root_from_log (st, txn, n, leaves, b);
        t0 = xb_now ();
        xc_merkle_root ((const uint8_t (*)[32]) leaves, n, c);
        r->merkle_s[i] = xb_now () - t0;
        r->roots_agree &= n == o->entries && !memcmp (a, b, 32)
                          && !memcmp (a, c, 32);
    }
    mdb_txn_abort (txn);
    free (leaves);
    xc_store_destroy (&st);
    r->root_med_us = s_median (r->root_us, o->rounds);
    r->scan_med = s_median (r->scan_s, o->rounds);
    r->merkle_med = s_median (r->merkle_s, o->rounds);
}

/* ---- report ------------------------------------------------------------- */

static void
s_print_rounds (const char *label, const double *v, size_t n, double scale,
                const char *unit)
{
    printf ("  %-30s", label);
    for (size_t i = 0; i < n; i++)
        printf (" %.3g", v[i] * scale);
    printf (" %s\n", unit);
}

static void
s_print_text (const s_opts_t *o, const s_report_t *r, const char *date,
              double la0, double la1)
{
    double with_rate = s_div ((double) o->appends, r->with_med);
    double without_rate = s_div ((double) o->appends, r->without_med);
    double extra_us = (r->with_med - r->without_med) * 1e6
                      / (double) o->appends;
    printf ("xiecha-checkpoint-bench  %s  (%ld cores, load %.2f-%.2f)\n",
            date, sysconf (_SC_NPROCESSORS_ONLN), la0, la1);
    printf ("baselines\n");
    printf ("  %-30s %10.0f /s (%.2f us)\n", "SHA-256 of one entry",
            r->sha_per_s, s_div (1e6, r->sha_per_s));
    printf ("  %-30s %10.0f /s (%.0f us)\n", "fdatasync", r->fsync_per_s,
            s_div (1e6, r->fsync_per_s));
    printf ("appends (%zu per round, %zu per transaction, %zu B entries)\n",
            o->appends, o->batch, r->entry_bytes);
    s_print_rounds ("with the range, s", r->with_s, o->rounds, 1, "");
    s_print_rounds ("head only (before), s", r->without_s, o->rounds, 1, "");
    printf ("  %-30s %10.0f /s\n", "with the range (median)", with_rate);
    printf ("  %-30s %10.0f /s\n", "head only (median)", without_rate);
    printf ("  %-30s %10.0f /s with, %.0f /s without\n",
            "commits included (median)",
            s_div ((double) o->appends, r->with_all_med),
            s_div ((double) o->appends, r->without_all_med));
    printf ("  %-30s %10.3f\n", "ratio with / without", s_div (with_rate,
                                                                without_rate));
    printf ("  %-30s %10.2f us = %.2f SHA-256 of an entry = %.4f "
            "fdatasync\n", "range cost per append", extra_us,
            extra_us * r->sha_per_s / 1e6, extra_us * r->fsync_per_s / 1e6);
    printf ("checkpoint root at n = %zu (log written in %.1f s, %.0f "
            "appends/s)\n", o->entries, r->build_s,
            s_div ((double) o->entries, r->build_s));
    s_print_rounds ("xc_audit_root, us", r->root_us, o->rounds, 1, "");
    s_print_rounds ("from the log (before), s", r->scan_s, o->rounds, 1, "");
    s_print_rounds ("xc_merkle_root alone, s", r->merkle_s, o->rounds, 1, "");
    printf ("  %-30s %10.1f us\n", "xc_audit_root (median)", r->root_med_us);
    printf ("  %-30s %10.3f s\n", "from the log (median)", r->scan_med);
    printf ("  %-30s %10.3f s\n", "xc_merkle_root alone (median)",
            r->merkle_med);
    printf ("  %-30s %10.0fx\n", "from the log / xc_audit_root",
            s_div (r->scan_med * 1e6, r->root_med_us));
    printf ("  %-30s %10.0fx\n", "merkle_root / xc_audit_root",
            s_div (r->merkle_med * 1e6, r->root_med_us));
    printf ("  %-30s %s\n", "the three roots",
            r->roots_agree ? "agree" : "DISAGREE");
    fflush (stdout);
}

static void
s_print_json (const s_opts_t *o, const s_report_t *r, const char *date,
              double la0, double la1)
{
    double with_rate = s_div ((double) o->appends, r->with_med);
    double without_rate = s_div ((double) o->appends, r->without_med);
    printf ("{\"date\": \"%s\", \"cores\": %ld, \"loadavg\": [%.2f, %.2f],\n",
            date, sysconf (_SC_NPROCESSORS_ONLN), la0, la1);
    printf (" \"sha256_entry_per_s\": %.0f, \"fdatasync_per_s\": %.0f,\n",
            r->sha_per_s, r->fsync_per_s);
    printf (" \"appends\": {\"n\": %zu, \"batch\": %zu, \"entry_bytes\": %zu, "
            "\"with_range_per_s\": %.0f, \"head_only_per_s\": %.0f, "
            "\"ratio\": %.4f, \"range_us_per_append\": %.3f,\n"
            "   \"with_commits\": {\"with_range_per_s\": %.0f, "
            "\"head_only_per_s\": %.0f}},\n",
            o->appends, o->batch, r->entry_bytes, with_rate, without_rate,
            s_div (with_rate, without_rate),
            (r->with_med - r->without_med) * 1e6 / (double) o->appends,
            s_div ((double) o->appends, r->with_all_med),
            s_div ((double) o->appends, r->without_all_med));
    printf (" \"root\": {\"n\": %zu, \"audit_root_us\": %.2f, "
            "\"from_log_s\": %.4f, \"merkle_root_s\": %.4f, "
            "\"ratio_from_log\": %.0f, \"ratio_merkle_root\": %.0f, "
            "\"agree\": %s}}\n", o->entries, r->root_med_us, r->scan_med,
            r->merkle_med, s_div (r->scan_med * 1e6, r->root_med_us),
            s_div (r->merkle_med * 1e6, r->root_med_us),
            r->roots_agree ? "true" : "false");
}

/* ---- main --------------------------------------------------------------- */

static void
s_usage (FILE *f)
{
    fprintf (f,
"Usage: xiecha-checkpoint-bench [OPTIONS]\n"
"Times one audit checkpoint root from the stored Merkle range against\n"
"recomputing it from every entry, and the range's cost per append, on a\n"
"real LMDB store in a temporary directory.\n\n"
"  --entries N   log size for the checkpoint root (1000000)\n"
"  --appends N   appends per round, with and without the range (100000)\n"
"  --batch N     appends per write transaction (1000); the times are\n"
"                taken inside the transactions, commits apart\n"
"  --rounds N    repetitions of each measurement (3, max %d)\n"
"  --tmpdir DIR  where the stores live ($TMPDIR or /tmp)\n"
"  --quick       100000 entries, 20000 appends\n"
"  --json        machine-readable report\n"
"  -h, --help    this text\n", S_MAX_ROUNDS);
}

int
main (int argc, char **argv)
{
    xt_cleanup_install ();
    static const struct option opts[] = {
        {"entries", 1, 0, 'n'}, {"appends", 1, 0, 'a'}, {"batch", 1, 0, 'b'},
        {"rounds", 1, 0, 'r'}, {"tmpdir", 1, 0, 't'}, {"quick", 0, 0, 'Q'},
        {"json", 0, 0, 'j'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    const char *tmp = getenv ("TMPDIR");
    s_opts_t o = {.tmpdir = tmp && *tmp ? tmp : "/tmp", .batch = 1000,
                  .rounds = 3};
    size_t entries = 0, appends = 0;
    bool quick = false;
    int c;
    while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': entries = xb_count (optarg, "--entries", 2); break;
        case 'a': appends = xb_count (optarg, "--appends", 1); break;
        case 'b': o.batch = xb_count (optarg, "--batch", 1); break;
        case 'r': o.rounds = xb_count (optarg, "--rounds", 1); break;
        case 't': o.tmpdir = optarg; break;
        case 'Q': quick = true; break;
        case 'j': o.json = true; break;
        case 'h': s_usage (stdout); return 0;
        default: s_usage (stderr); return 2;
        }
    }
    if (optind < argc) {
        s_usage (stderr);
        return 2;
    }
    if (o.rounds > S_MAX_ROUNDS)
        xt_fail ("--rounds: at most %d", S_MAX_ROUNDS);
    o.entries = entries ? entries : quick ? 100000 : 1000000;
    o.appends = appends ? appends : quick ? 20000 : 100000;

    //  The stores are hundreds of MB: xt_tmpdir_new removes them at exit
    //  and on a signal.
    xt_tmpdir_new (s_dir, sizeof s_dir, o.tmpdir, "xiecha-checkpoint");

    double la0 = xb_loadavg ();
    s_report_t r;
    memset (&r, 0, sizeof r);
    r.entry_bytes = XC_AUDIT_HEADER + strlen ("query") + S_ENTRY_DATA;
    xb_progress ("baselines: SHA-256 of %zu B, fdatasync in %s",
                 r.entry_bytes, s_dir);
    r.sha_per_s = s_sha_rate (r.entry_bytes);
    r.fsync_per_s = xb_fdatasync_rate (s_dir, 0.5);
    uint8_t data[S_ENTRY_DATA];
    xc_random (data, sizeof data);
    s_bench_appends (&o, &r, data);
    s_bench_roots (&o, &r, data);
    double la1 = xb_loadavg ();

    char date[32];
    xc_time_iso (xc_now_ms (), date);
    if (o.json)
        s_print_json (&o, &r, date, la0, la1);
    else
        s_print_text (&o, &r, date, la0, la1);
    return r.roots_agree ? 0 : 1;
}
