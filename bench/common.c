/*  common.c - what the benchmarks share besides the harness (common.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

extern char *program_invocation_short_name;

xt_fed_t *xb_fed;

double
xb_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

void
xb_progress (const char *fmt, ...)
{
    va_list ap;
    va_start (ap, fmt);
    fprintf (stderr, "%s: ", program_invocation_short_name);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
}

size_t
xb_count (const char *arg, const char *name, size_t min)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull (arg, &end, 10);
    if (errno || *end || arg[0] == '-' || v < min || v > 100000000ULL)
        xt_fail ("%s: not a count >= %zu: '%s'", name, min, arg);
    return (size_t) v;
}

static int
s_cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

void
xb_lat_fill (xb_lat_t *l, double *v, size_t n, double wall_s)
{
    l->n = n;
    l->wall_s = wall_s;
    l->rate = wall_s > 0 ? (double) n / wall_s : 0;
    if (!n)
        return;
    qsort (v, n, sizeof *v, s_cmp_double);
    l->p50_us = v[(size_t) ceil (0.50 * (double) n) - 1];
    l->p99_us = v[(size_t) ceil (0.99 * (double) n) - 1];
    l->max_us = v[n - 1];
}

void
xb_fed_create (const char *tmpdir, int deadline_ms, const char *limits,
               const char *xiechad, bool keep)
{
    const char *codes[] = {XB_RESIDENCE, XB_HOME};
    //  The benchmarks measure how fast a node answers, not its limiter:
    //  the peer rate limits (50 messages/s by default) are lifted, or
    //  every phase past the burst would be refused ERR_RATE_LIMITED.
    char all[1024];
    snprintf (all, sizeof all, "    peer_messages_per_s = 1000000\n"
              "    peer_messages_burst = 1000000\n"
              "    peer_subjects_per_s = 1000000\n"
              "    peer_subjects_burst = 1000000\n%s", limits ? limits : "");
    xt_fed_opts_t o = {.codes = codes, .count = 2, .deadline_ms = deadline_ms,
                       .limits = all, .tmpdir = tmpdir,
                       .xiechad = xiechad, .keep = keep};
    xb_fed = xt_fed_new_opts (&o);
}

uint64_t
xb_import (size_t rows)
{
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_REG, 60000);
    xc_import_t *imp = xc_import_new (c);
    char why[256] = "", id[XT_ID_SIZE];
    if (!imp)
        xt_fail ("xc_import_new failed");
    for (size_t i = 0; i < rows; i++) {
        xt_id_make (XB_HOME, i, id);
        if (xc_import_add (imp, id, XIECHA__PROGRAM__DIBAO, 20240301, 0,
                           (uint32_t) i + 2, why, sizeof why) != 0)
            xt_fail ("roster row %zu: %s", i, why);
    }
    uint64_t subjects = 0;
    int rc = xc_import_commit (imp, NULL, NULL, &subjects, why, sizeof why);
    if (rc != 0)
        xt_fail ("roster import: %s (%s)", why, xc_strerror (rc));
    xc_import_destroy (&imp);
    xc_client_destroy (&c);
    return subjects;
}

double
xb_fdatasync_rate (const char *dir, double seconds)
{
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/fsync.probe", dir);
    int fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        xt_fail ("%s: %s", path, strerror (errno));
    char page[4096];
    memset (page, 0x5a, sizeof page);
    size_t ops = 0;
    double start = xb_now (), now = start;
    while (now - start < seconds) {
        if (pwrite (fd, page, sizeof page, (off_t) (ops % 16) * 4096) < 0
            || fdatasync (fd) != 0)
            xt_fail ("%s: %s", path, strerror (errno));
        ops++;
        now = xb_now ();
    }
    close (fd);
    unlink (path);
    return (double) ops / (now - start);
}

double
xb_loadavg (void)
{
    double la = -1;
    FILE *f = fopen ("/proc/loadavg", "r");
    if (f && fscanf (f, "%lf", &la) != 1)
        la = -1;
    if (f)
        fclose (f);
    return la;
}
