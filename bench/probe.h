/*  probe.h - what a benchmark phase cost, counted: device flushes and
    CPU time of each daemon, the load on the machine, and the synced
    LMDB commit that bounds a durable step.

    The daemons are started with bench/flushcount.c preloaded
    (xb_probe_spawn), each counting into its own file; a phase takes a
    snapshot before and after (xb_probe_take) and divides the
    differences by its queries. */
#ifndef XIECHA_BENCH_PROBE_H
#define XIECHA_BENCH_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XB_PROBE_NODES 2

typedef struct {
    uint64_t flushes[XB_PROBE_NODES];  /* fdatasync + fsync + msync(MS_SYNC)
                                          + O_DSYNC writes */
    uint64_t commits[XB_PROBE_NODES];  /* O_DSYNC writes: LMDB's meta page,
                                          one per synced commit */
    double cpu_s[XB_PROBE_NODES];      /* user + system, every thread */
    uint64_t busy, iowait, total;      /* /proc/stat, all cores, ticks */
    double at;                         /* xb_now () */
} xb_probe_t;

/*  Per query of a phase: b - a over queries. */
typedef struct {
    bool counted;                      /* the flush counter was loaded */
    double flushes[XB_PROBE_NODES];
    double commits[XB_PROBE_NODES];
    double cpu_us[XB_PROBE_NODES];
    double busy_pct, iowait_pct;       /* of all cores, over the phase */
} xb_cost_t;

/*  Starts node i of xb_fed with the flush counter preloaded, when the
    library is found ($XB_FLUSHCOUNT, else libxcflushcount.so next to
    the program); without it the node starts plain and nothing is
    counted. */
void xb_probe_spawn (size_t i);

void xb_probe_take (xb_probe_t *p);
void xb_probe_cost (const xb_probe_t *a, const xb_probe_t *b,
                    size_t queries, xb_cost_t *out);

/*  A synced LMDB commit shaped like a query's: two 450-byte log entries
    appended under the next keys, each with a 32-byte node appended in
    a second database (the Merkle range), and a 64-byte value put at a
    random key of a third (the seen table); LMDB writes the data, syncs,
    then writes and flushes the meta page.  Microseconds per commit,
    over seconds, in an environment made in dir and removed after. */
double xb_lmdb_commit_us (const char *dir, double seconds);

#endif
