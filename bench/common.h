/*  common.h - what the benchmarks share besides the harness.

    The federation itself -- keys, trust list, salt, configs, daemons,
    cleanup at exit and on signals -- is tests/lib's (xt_fed.h); here is
    the benchmarks' two-node shape of it, their clock, messages, option
    parsing and latency figures.  Failures go through xt_fail, which
    prints "<program>: error: ..." and exits 1; the exit stops the
    daemons and removes the directory. */
#ifndef XIECHA_BENCH_COMMON_H
#define XIECHA_BENCH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xt_fed.h"

#define XB_RESIDENCE "469021"  /* Ding'an County, Hainan: asks */
#define XB_HOME "341002"       /* Tunxi District, Anhui: answers */

enum { XB_RES = 0, XB_REG = 1 };   /* node indexes in xb_fed */

/*  The benchmark's federation, once xb_fed_create has made it. */
extern xt_fed_t *xb_fed;

/*  Monotonic seconds. */
double xb_now (void);

/*  Prints "<program>: " and the message to stderr. */
void xb_progress (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2)));

/*  A count option: an integer >= min and <= 10^8, else xt_fail. */
size_t xb_count (const char *arg, const char *name, size_t min);

/*  Latency figures of one phase. */
typedef struct {
    size_t n;              /* round trips or queries that succeeded */
    size_t failed;
    double wall_s;         /* whole phase, first send to last answer */
    double p50_us, p99_us, max_us;
    double rate;           /* n / wall_s */
} xb_lat_t;

/*  Sorts v (µs) and fills l with nearest-rank percentiles. */
void xb_lat_fill (xb_lat_t *l, double *v, size_t n, double wall_s);

/*  xb_fed: residence node XB_RESIDENCE ([XB_RES]) and registration node
    XB_HOME ([XB_REG]) in a new directory under tmpdir, run by xiechad.
    limits is appended to each config's limits section (ZPL lines
    indented by 4, each ending in a newline) and may be "".  keep leaves
    the directory behind. */
void xb_fed_create (const char *tmpdir, int deadline_ms, const char *limits,
                    const char *xiechad, bool keep);

/*  fdatasync of a 4 KiB page in dir for seconds, per second: a synced
    LMDB commit waits for one (two, with the meta page). */
double xb_fdatasync_rate (const char *dir, double seconds);

/*  The 1-minute load average, -1 when unknown: others share the machine. */
double xb_loadavg (void);

/*  Imports rows DIBAO recipients xt_id_make (XB_HOME, 0 .. rows-1) at the
    registration node in one import; returns the index's subjects. */
uint64_t xb_import (size_t rows);

#endif
