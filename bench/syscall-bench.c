/*  syscall-bench.c - system calls per sequential verified query, at each
    node of the benchmarks' two-node federation, by name.

    Starts residence node 469021 and registration node 341002 (common.h),
    warms the connections, then counts with `perf stat` attached to each
    daemon while one client asks --queries verified queries one after
    another: total, and getpid, poll, epoll_wait, read, write, recvfrom,
    sendto, fdatasync, pwrite64 and the rest named below, each per query,
    for all the daemon's threads and for its main thread (the reactor)
    alone.  Then the same count over an idle second, to show what the
    timers add.

    Why perf: it counts the kernel's syscall tracepoints in the kernel,
    without stopping the daemon at each call as strace's ptrace does, so
    the counted daemon runs at its own pace and nothing is lost or
    sampled: the counts are exact.  perf's control FIFOs (--control, -D
    -1) open and close the window around the queries, so start-up,
    warm-up and shutdown are not counted.  It needs perf (the linux-perf
    package, deploy/packages.sh) and the right to read tracepoints:
    root, or kernel.perf_event_paranoid at -1.

    Prints a table, or with --raw one line a name: name, then per query
    residence all, residence main, registration all, registration main
    (bench/syscalls.sh joins two runs so).  Exit status 1 when a query
    failed, perf could not count, or a daemon did not stop cleanly.
    Nothing here asserts on the counts. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

/*  The names counted, each a tracepoint syscalls:sys_enter_<name>; the
    total is raw_syscalls:sys_enter, and "other" what none of these is. */
static const char *const s_names[] = {
    "getpid", "poll", "ppoll", "epoll_wait", "epoll_pwait", "read", "write",
    "recvfrom", "sendto", "recvmsg", "sendmsg", "getsockopt", "futex",
    "fdatasync", "fsync", "msync", "pwrite64", "pread64", "mmap", "munmap",
    "madvise", "mprotect", "brk", "clock_nanosleep", "openat", "close"};
#define S_NAMES (sizeof s_names / sizeof s_names[0])
#define S_ROWS (S_NAMES + 2)   /* + total, other */

typedef struct {
    size_t queries;            /* --queries */
    const char *tmpdir;
    const char *xiechad;
    const char *perf;          /* --perf, else $PERF, else perf */
    bool raw;
    bool keep;
} s_opts_t;

/*  One perf stat attached to one daemon. */
typedef struct {
    pid_t target;              /* the daemon */
    pid_t perf;                /* perf stat */
    char out[PATH_MAX];        /* its CSV */
    char ctl[PATH_MAX], ack[PATH_MAX];  /* its control FIFOs */
    int ctl_fd, ack_fd;
    double all[S_ROWS];        /* counts: all threads */
    double main[S_ROWS];       /* the main thread */
} s_count_t;

/* --------------------------------------------------------------------------
   perf stat, attached and driven through its control FIFOs
   -------------------------------------------------------------------------- */

static void
s_events (char *buf, size_t len)
{
    size_t at = (size_t) snprintf (buf, len, "raw_syscalls:sys_enter");
    for (size_t i = 0; i < S_NAMES && at < len; i++)
        at += (size_t) snprintf (buf + at, len - at,
                                 ",syscalls:sys_enter_%s", s_names[i]);
}

static void
s_perf_start (s_count_t *c, const char *perf, const char *dir,
              const char *tag)
{
    snprintf (c->out, sizeof c->out, "%s/perf-%s.csv", dir, tag);
    snprintf (c->ctl, sizeof c->ctl, "%s/perf-%s.ctl", dir, tag);
    snprintf (c->ack, sizeof c->ack, "%s/perf-%s.ack", dir, tag);
    if (mkfifo (c->ctl, 0600) != 0 || mkfifo (c->ack, 0600) != 0)
        xt_fail ("mkfifo in %s: %s", dir, strerror (errno));
    char events[2048], pid[16], control[2 * PATH_MAX + 16];
    s_events (events, sizeof events);
    snprintf (pid, sizeof pid, "%d", (int) c->target);
    snprintf (control, sizeof control, "fifo:%s,%s", c->ctl, c->ack);
    c->perf = fork ();
    if (c->perf < 0)
        xt_fail ("fork: %s", strerror (errno));
    if (c->perf == 0) {
        int null = open ("/dev/null", O_WRONLY);
        dup2 (null, STDOUT_FILENO);
        dup2 (null, STDERR_FILENO);
        execlp (perf, perf, "stat", "--per-thread", "-x", ",", "-o", c->out,
                "-D", "-1", "--control", control, "-e", events, "-p", pid,
                (char *) NULL);
        _exit (127);
    }
    //  perf opens the control FIFO for reading once it is counting
    //  (disabled): until then a writer's open fails with ENXIO.
    c->ack_fd = open (c->ack, O_RDONLY | O_NONBLOCK);
    for (int tries = 0; (c->ctl_fd = open (c->ctl, O_WRONLY | O_NONBLOCK)) < 0;
         tries++) {
        int status;
        if (tries > 1000 || waitpid (c->perf, &status, WNOHANG) == c->perf)
            xt_fail ("%s stat did not start on pid %s (is linux-perf "
                     "installed, and may this user read tracepoints?)",
                     perf, pid);
        usleep (10 * 1000);
    }
}

/*  "enable" or "disable", and perf's ack. */
static void
s_perf_say (s_count_t *c, const char *what)
{
    char line[16];
    int len = snprintf (line, sizeof line, "%s\n", what);
    if (write (c->ctl_fd, line, (size_t) len) != len)
        xt_fail ("perf control: %s", strerror (errno));
    struct pollfd pfd = {c->ack_fd, POLLIN, 0};
    char ack[16] = "";
    if (poll (&pfd, 1, 10000) != 1 || read (c->ack_fd, ack, sizeof ack) < 3
        || strncmp (ack, "ack", 3) != 0)
        xt_fail ("perf did not acknowledge '%s'", what);
}

static int
s_row (const char *event)
{
    if (strcmp (event, "raw_syscalls:sys_enter") == 0)
        return 0;
    const char *p = "syscalls:sys_enter_";
    if (strncmp (event, p, strlen (p)) != 0)
        return -1;
    for (size_t i = 0; i < S_NAMES; i++)
        if (strcmp (event + strlen (p), s_names[i]) == 0)
            return (int) i + 1;
    return -1;
}

/*  One CSV line of perf stat --per-thread -x ,: comm-tid,count,unit,
    event,...; a thread's comm may hold '-', its tid follows the last. */
static void
s_parse_line (s_count_t *c, char *line)
{
    char *f[4];
    char *save = NULL;
    for (int i = 0; i < 4; i++)
        if (!(f[i] = strtok_r (i ? NULL : line, ",", &save)))
            return;
    //  An empty unit makes strtok skip a field: the event is then f[2].
    const char *event = strchr (f[2], ':') ? f[2] : f[3];
    char *dash = strrchr (f[0], '-');
    int row = s_row (event);
    if (!dash || row < 0 || f[1][0] == '<')
        return;
    double n = atof (f[1]);
    c->all[row] += n;
    if (atoi (dash + 1) == (int) c->target)
        c->main[row] += n;
}

static void
s_perf_stop (s_count_t *c)
{
    close (c->ctl_fd);
    close (c->ack_fd);
    kill (c->perf, SIGINT);
    int status;
    //  perf writes its counts, then ends by the signal it was given.
    if (waitpid (c->perf, &status, 0) != c->perf
        || !(WIFEXITED (status)
             || (WIFSIGNALED (status) && WTERMSIG (status) == SIGINT)))
        xt_fail ("perf stat ended badly (status %d)", status);
    FILE *f = fopen (c->out, "r");
    if (!f)
        xt_fail ("perf wrote no %s", c->out);
    memset (c->all, 0, sizeof c->all);
    memset (c->main, 0, sizeof c->main);
    char line[512];
    while (fgets (line, sizeof line, f))
        if (line[0] != '#' && strchr (line, ','))
            s_parse_line (c, line);
    fclose (f);
    unlink (c->ctl);
    unlink (c->ack);
    if (c->all[0] <= 0)
        xt_fail ("perf counted no system call at pid %d: see %s",
                 (int) c->target, c->out);
    double named = 0;
    double named_main = 0;
    for (size_t i = 1; i <= S_NAMES; i++) {
        named += c->all[i];
        named_main += c->main[i];
    }
    c->all[S_ROWS - 1] = c->all[0] - named;
    c->main[S_ROWS - 1] = c->main[0] - named_main;
}

/* --------------------------------------------------------------------------
   The queries
   -------------------------------------------------------------------------- */

static void
s_query (xc_client_t *c, size_t i)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = XB_HOME,
                    .applicant = {xt_id_next (XB_HOME), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a = {0};
    char why[512];
    if (xc_client_query (c, &q, &a, why, sizeof why) != 0)
        xt_fail ("query %zu failed: %s", i, why);
    xc_answer_free (&a);
}

/*  Counts at both nodes while queries are asked, then idle_s seconds
    pass; returns the seconds counted. */
static double
s_window (s_count_t c[2], const char *perf, const char *tag,
          xc_client_t *client, size_t queries, double idle_s)
{
    for (int k = 0; k < 2; k++) {
        char name[32];
        snprintf (name, sizeof name, "%s-%d", tag, k);
        s_perf_start (&c[k], perf, xb_fed->root, name);
    }
    for (int k = 0; k < 2; k++)
        s_perf_say (&c[k], "enable");
    double t0 = xb_now ();
    for (size_t i = 0; i < queries; i++)
        s_query (client, i);
    if (idle_s > 0)
        usleep ((useconds_t) (idle_s * 1e6));
    double took = xb_now () - t0;
    for (int k = 0; k < 2; k++)
        s_perf_say (&c[k], "disable");
    for (int k = 0; k < 2; k++)
        s_perf_stop (&c[k]);
    return took;
}

static const char *
s_name (size_t row)
{
    return row == 0 ? "total" : row == S_ROWS - 1 ? "other"
                                                  : s_names[row - 1];
}

static void
s_report (const s_opts_t *o, const s_count_t q[2], double took,
          const s_count_t idle[2], double idle_s)
{
    double n = (double) o->queries;
    if (o->raw) {
        for (size_t r = 0; r < S_ROWS; r++)
            printf ("%s\t%.2f\t%.2f\t%.2f\t%.2f\n", s_name (r),
                    q[XB_RES].all[r] / n, q[XB_RES].main[r] / n,
                    q[XB_REG].all[r] / n, q[XB_REG].main[r] / n);
        printf ("idle_per_s\t%.1f\t%.1f\t%.1f\t%.1f\n",
                idle[XB_RES].all[0] / idle_s, idle[XB_RES].main[0] / idle_s,
                idle[XB_REG].all[0] / idle_s, idle[XB_REG].main[0] / idle_s);
        printf ("queries_per_s\t%.0f\n", n / took);
        return;
    }
    printf ("system calls per sequential verified query (%zu queries, "
            "%.0f/s while counted; load %.2f)\n", o->queries, n / took,
            xb_loadavg ());
    printf ("%-16s %12s %12s %12s %12s\n", "", "residence", "", "registr.",
            "");
    printf ("%-16s %12s %12s %12s %12s\n", "syscall", "all threads",
            "main", "all threads", "main");
    for (size_t r = 0; r < S_ROWS; r++) {
        if (r > 0 && r < S_ROWS - 1 && q[XB_RES].all[r] == 0
            && q[XB_REG].all[r] == 0)
            continue;
        printf ("%-16s %12.2f %12.2f %12.2f %12.2f\n", s_name (r),
                q[XB_RES].all[r] / n, q[XB_RES].main[r] / n,
                q[XB_REG].all[r] / n, q[XB_REG].main[r] / n);
    }
    printf ("%-16s %12.1f %12.1f %12.1f %12.1f\n", "idle, per s",
            idle[XB_RES].all[0] / idle_s, idle[XB_RES].main[0] / idle_s,
            idle[XB_REG].all[0] / idle_s, idle[XB_REG].main[0] / idle_s);
}

static void
s_parse (int argc, char **argv, s_opts_t *o)
{
    static const struct option opts[] = {
        {"queries", required_argument, NULL, 'n'},
        {"quick", no_argument, NULL, 'q'},
        {"tmpdir", required_argument, NULL, 'T'},
        {"xiechad", required_argument, NULL, 'x'},
        {"perf", required_argument, NULL, 'p'},
        {"raw", no_argument, NULL, 'r'},
        {"keep", no_argument, NULL, 'k'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'n': o->queries = xb_count (optarg, "--queries", 1); break;
        case 'q': o->queries = 200; break;
        case 'T': o->tmpdir = optarg; break;
        case 'x': o->xiechad = optarg; break;
        case 'p': o->perf = optarg; break;
        case 'r': o->raw = true; break;
        case 'k': o->keep = true; break;
        default:
            xt_fail ("usage: xiecha-syscall-bench [--queries N] [--quick] "
                     "[--tmpdir DIR] [--xiechad PATH] [--perf PATH] [--raw] "
                     "[--keep]");
        }
    }
}

int
main (int argc, char **argv)
{
    s_opts_t o = {.queries = 1000};
    s_parse (argc, argv, &o);
    if (!o.perf)
        o.perf = getenv ("PERF") ? getenv ("PERF") : "perf";
    xb_fed_create (o.tmpdir, 10000,
                   "    terminal_queries_per_minute = 600000\n"
                   "    terminal_queries_burst = 100000\n",
                   o.xiechad, o.keep);
    xt_fed_start (xb_fed, XB_RES);
    xt_fed_start (xb_fed, XB_REG);
    xc_client_t *client = xt_fed_client (xb_fed, XB_RES);
    for (size_t i = 0; i < 50; i++)   /* connections and caches warm */
        s_query (client, i);
    xb_progress ("%zu sequential queries, counted by %s stat; load %.2f",
                 o.queries, o.perf, xb_loadavg ());
    s_count_t q[2] = {{.target = xb_fed->nodes[XB_RES].pid},
                      {.target = xb_fed->nodes[XB_REG].pid}};
    s_count_t idle[2] = {q[0], q[1]};
    double took = s_window (q, o.perf, "queries", client, o.queries, 0);
    double idle_s = 1.0;
    s_window (idle, o.perf, "idle", client, 0, idle_s);
    xc_client_destroy (&client);
    s_report (&o, q, took, idle, idle_s);
    xt_fed_destroy (&xb_fed);
    return 0;
}
