/*  fed.h - the benchmarks' two-node federation: files, daemons, cleanup.

    Shared by xiecha-bench (queries and notices) and xiecha-load-bench
    (queries while the audit log is exported or replayed).  A federation
    lives in one mkdtemp directory: fresh Ed25519 and CURVE keys for
    residence node 469021 (Ding'an, Hainan) and registration node 341002
    (Tunxi, Anhui), a trust list, a network salt and one config per node.
    The daemons are real xiechad processes on free loopback ports.

    There is one federation per process, in the global xb_fed, so that the
    atexit and signal paths can find the children: they are stopped and
    the directory removed on a normal exit, on SIGINT/SIGTERM/SIGHUP/
    SIGQUIT and on crash signals (the handler makes only async-signal-safe
    calls).  The daemons also get PR_SET_PDEATHSIG, so even kill -9 of the
    benchmark takes them down. */
#ifndef XIECHA_BENCH_FED_H
#define XIECHA_BENCH_FED_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "xiecha/xiecha.h"

#define XB_RESIDENCE "469021"  /* Ding'an County, Hainan: asks */
#define XB_HOME "341002"       /* Tunxi District, Anhui: answers */
#define XB_IDS 20160000        /* distinct numbers xb_make_id can make */

enum { XB_RES = 0, XB_REG = 1 };

typedef struct {
    char code[7];
    char dir[PATH_MAX];
    char config[PATH_MAX + 16];
    char endpoint[64];          /* peer endpoint */
    char socket[PATH_MAX + 32]; /* client endpoint */
    char log[PATH_MAX + 16];    /* the daemon's stderr */
    volatile pid_t pid;         /* 0 when not running */
} xb_node_t;

typedef struct {
    char root[PATH_MAX];
    char trust[PATH_MAX + 16];
    char salt[PATH_MAX + 16];
    xb_node_t nodes[2];         /* [XB_RES] residence, [XB_REG] registration */
    bool keep;                  /* leave root behind at exit */
} xb_fed_t;

extern xb_fed_t xb_fed;

/*  Names the program in messages ("xiecha-bench"); call first. */
void xb_init (const char *prog);

/*  Monotonic seconds. */
double xb_now (void);

/*  Prints "prog: " and the message to stderr. */
void xb_progress (const char *fmt, ...) __attribute__ ((format (printf, 1, 2)));

/*  Prints "prog: error: " and the message, then exit(1): the atexit
    cleanup stops the daemons. */
void xb_die (const char *fmt, ...)
    __attribute__ ((format (printf, 1, 2), noreturn));

/*  Writes a file; returns 0 or -1. */
int xb_writef (const char *path, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  A count option: an integer >= min and <= 10^8, else xb_die. */
size_t xb_count (const char *arg, const char *name, size_t min);

/*  The daemon: $XIECHAD, else ../daemon/xiechad next to this program in
    the build tree; NULL when neither exists. */
const char *xb_default_xiechad (void);

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

/*  Registers the atexit and signal cleanup. */
void xb_install_cleanup (void);

/*  Keys, trust list, salt and configs for both nodes in a new directory
    under tmpdir.  limits is appended to each config's limits section
    (ZPL lines indented by 4, each ending in a newline) and may be "". */
void xb_fed_create (const char *tmpdir, int deadline_ms, const char *limits);

/*  Starts the daemon of n (fork, exec, stderr to n->log). */
void xb_node_start (const char *xiechad, xb_node_t *n);

/*  Waits until n answers status; xb_die after 10 s or if it dies. */
void xb_node_wait (xb_node_t *n);

/*  SIGTERM, then SIGKILL after 5 s.  Returns true when it exited 0. */
bool xb_node_stop (xb_node_t *n);

/*  True while n runs; says so on stderr when it has exited. */
bool xb_alive (xb_node_t *n);

/*  The last lines of n's log, to stderr. */
void xb_log_tail (const xb_node_t *n, int lines);

/*  Counts error and warning lines in n's log and echoes the first ten. */
void xb_log_scan (const xb_node_t *n, size_t *errors, size_t *warnings);

/*  A client of n's client socket; xb_die on failure. */
xc_client_t *xb_client (const xb_node_t *n, int timeout_ms);

/*  A valid 18-character ID number registered at XB_HOME, distinct for
    every seq < XB_IDS. */
void xb_make_id (size_t seq, char id[XC_ID_LEN + 1]);

/*  Imports rows DIBAO recipients xb_make_id (0 .. rows-1) at the
    registration node in one import; returns the index's subjects. */
uint64_t xb_import (size_t rows);

#endif
