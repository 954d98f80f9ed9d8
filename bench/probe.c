/*  probe.c - flushes, CPU and load of a benchmark phase; see probe.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "flushcount.h"
#include "probe.h"

static const xb_flush_counts_t *s_counts[XB_PROBE_NODES];

static const char *
s_library (char *buf, size_t len)
{
    const char *env = getenv ("XB_FLUSHCOUNT");
    if (env)
        return access (env, R_OK) == 0 ? env : NULL;
    char exe[PATH_MAX];
    ssize_t n = readlink ("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    snprintf (buf, len, "%s/libxcflushcount.so", dirname (exe));
    return access (buf, R_OK) == 0 ? buf : NULL;
}

/*  The counter file, mapped read-only here; the daemon writes it. */
static const xb_flush_counts_t *
s_map (const char *path)
{
    int fd = open (path, O_RDWR | O_CREAT, 0600);
    if (fd < 0 || ftruncate (fd, sizeof (xb_flush_counts_t)) != 0)
        xt_fail ("%s: %s", path, strerror (errno));
    void *m = mmap (NULL, sizeof (xb_flush_counts_t), PROT_READ, MAP_SHARED,
                    fd, 0);
    close (fd);
    return m == MAP_FAILED ? NULL : m;
}

void
xb_probe_spawn (size_t i)
{
    char lib[PATH_MAX + 32], path[PATH_MAX + 32];
    const char *so = i < XB_PROBE_NODES ? s_library (lib, sizeof lib) : NULL;
    if (so) {
        snprintf (path, sizeof path, "%s/flushes-%zu", xb_fed->root, i);
        s_counts[i] = s_map (path);
        setenv (XB_FLUSH_COUNTS_ENV, path, 1);
        setenv ("LD_PRELOAD", so, 1);
    }
    xt_fed_spawn (xb_fed, i);
    unsetenv ("LD_PRELOAD");
    unsetenv (XB_FLUSH_COUNTS_ENV);
}

/*  CPU seconds of every thread of pid, live or ended (/proc/PID/stat
    counts the ended ones too). */
static double
s_cpu (pid_t pid)
{
    char path[64];
    snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *f = pid > 0 ? fopen (path, "r") : NULL;
    if (!f)
        return 0;
    char line[2048];
    size_t n = fread (line, 1, sizeof line - 1, f);
    fclose (f);
    line[n] = '\0';
    char *p = strrchr (line, ')');   /* the name may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                      "%llu %llu", &ut, &st) != 2)
        return 0;
    return (double) (ut + st) / (double) sysconf (_SC_CLK_TCK);
}

static void
s_machine (xb_probe_t *p)
{
    FILE *f = fopen ("/proc/stat", "r");
    unsigned long long v[10] = {0};
    if (f && fscanf (f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
                     &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
                     &v[7]) == 8) {
        p->total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
        p->iowait = v[4];
        p->busy = p->total - v[3] - v[4];
    }
    if (f)
        fclose (f);
}

void
xb_probe_take (xb_probe_t *p)
{
    memset (p, 0, sizeof *p);
    for (size_t i = 0; i < XB_PROBE_NODES; i++) {
        const xb_flush_counts_t *c = s_counts[i];
        if (c && c->magic == XB_FLUSH_COUNTS_MAGIC) {
            p->commits[i] = __atomic_load_n (&c->dsync_writes,
                                             __ATOMIC_RELAXED);
            p->flushes[i] = p->commits[i] + c->fdatasync + c->fsync
                            + c->msync;
        }
        p->cpu_s[i] = s_cpu (xb_fed->nodes[i].pid);
    }
    s_machine (p);
    p->at = xb_now ();
}

void
xb_probe_cost (const xb_probe_t *a, const xb_probe_t *b, size_t queries,
               xb_cost_t *out)
{
    memset (out, 0, sizeof *out);
    double q = queries ? (double) queries : 1;
    out->counted = s_counts[0] && s_counts[1]
                   && s_counts[0]->magic == XB_FLUSH_COUNTS_MAGIC
                   && s_counts[1]->magic == XB_FLUSH_COUNTS_MAGIC;
    for (size_t i = 0; i < XB_PROBE_NODES; i++) {
        out->flushes[i] = (double) (b->flushes[i] - a->flushes[i]) / q;
        out->commits[i] = (double) (b->commits[i] - a->commits[i]) / q;
        out->cpu_us[i] = (b->cpu_s[i] - a->cpu_s[i]) * 1e6 / q;
    }
    double total = (double) (b->total - a->total);
    if (total > 0) {
        out->busy_pct = 100.0 * (double) (b->busy - a->busy) / total;
        out->iowait_pct = 100.0 * (double) (b->iowait - a->iowait) / total;
    }
}

/* ---- the commit baseline --------------------------------------------- */

static void
s_lmdb_check (int rc, const char *what)
{
    if (rc != MDB_SUCCESS)
        xt_fail ("commit baseline: %s: %s", what, mdb_strerror (rc));
}

double
xb_lmdb_commit_us (const char *dir, double seconds)
{
    char path[PATH_MAX + 32];
    snprintf (path, sizeof path, "%s/commit-probe", dir);
    if (mkdir (path, 0700) != 0)
        xt_fail ("%s: %s", path, strerror (errno));
    MDB_env *env;
    s_lmdb_check (mdb_env_create (&env), "create");
    mdb_env_set_maxdbs (env, 4);
    mdb_env_set_mapsize (env, 256u << 20);
    s_lmdb_check (mdb_env_open (env, path, 0, 0600), "open");
    MDB_txn *txn;
    MDB_dbi log, tree, seen;
    s_lmdb_check (mdb_txn_begin (env, NULL, 0, &txn), "begin");
    s_lmdb_check (mdb_dbi_open (txn, "log", MDB_CREATE, &log), "dbi");
    s_lmdb_check (mdb_dbi_open (txn, "tree", MDB_CREATE, &tree), "dbi");
    s_lmdb_check (mdb_dbi_open (txn, "seen", MDB_CREATE, &seen), "dbi");
    s_lmdb_check (mdb_txn_commit (txn), "commit");
    uint8_t entry[450], small[64];
    memset (entry, 0x5a, sizeof entry);
    memset (small, 0xa5, sizeof small);
    uint64_t n = 0, seq = 0, rnd = 0x9e3779b97f4a7c15ULL;
    double start = xb_now (), now = start;
    while (now - start < seconds) {
        s_lmdb_check (mdb_txn_begin (env, NULL, 0, &txn), "begin");
        //  Two log entries (the query and its answer), each with its
        //  Merkle node, under the next big-endian keys: appends.
        for (int e = 0; e < 2; e++, seq++) {
            uint8_t key[8];
            for (int i = 0; i < 8; i++)
                key[i] = (uint8_t) (seq >> (56 - 8 * i));
            MDB_val k = {sizeof key, key}, v = {sizeof entry, entry};
            MDB_val tv = {32, small};
            s_lmdb_check (mdb_put (txn, log, &k, &v, MDB_APPEND), "put");
            s_lmdb_check (mdb_put (txn, tree, &k, &tv, MDB_APPEND), "put");
        }
        //  The message id remembered at a random place.
        uint8_t rkey[16];
        rnd ^= rnd << 13, rnd ^= rnd >> 7, rnd ^= rnd << 17;
        memcpy (rkey, &rnd, 8);
        memcpy (rkey + 8, &n, 8);
        MDB_val rk = {sizeof rkey, rkey}, rv = {sizeof small, small};
        s_lmdb_check (mdb_put (txn, seen, &rk, &rv, 0), "put");
        s_lmdb_check (mdb_txn_commit (txn), "commit");
        n++;
        now = xb_now ();
    }
    mdb_env_close (env);
    char file[PATH_MAX + 64];
    snprintf (file, sizeof file, "%s/data.mdb", path);
    unlink (file);
    snprintf (file, sizeof file, "%s/lock.mdb", path);
    unlink (file);
    rmdir (path);
    return (now - start) * 1e6 / (double) n;
}
