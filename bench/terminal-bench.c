/*  terminal-bench.c - what CURVE costs on the client leg: the same node,
    the same run, one terminal over IPC (the local admin's socket) and
    one over TCP with CURVE (node/terminal_bind, a listed key).

    Starts residence node 469021 with a terminal endpoint on a free
    loopback port and a terminal listed by the real CLI (xiecha keygen
    --terminal, xiecha terminal add), and registration node 341002.  Two
    kinds of sequential round trips, each taken alternately by the two
    terminals (IPC, TCP+CURVE, IPC, ...), so that a machine whose load
    drifts (others build here) tilts neither:

      status   the client leg alone: the node answers from memory
      query    a verified query end to end: client leg, the node's
               signature, the peer leg to 341002 (CURVE already), its
               lookup and signature, the answer's verification

    Prints p50/p99 of each and the TCP+CURVE / IPC ratio of the p50s.
    The terminal's query rate is set out of reach.  Nothing here asserts
    on timing; the exit status is 1 when a call failed or a daemon did
    not stop cleanly. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "xt_term.h"

typedef struct {
    size_t rounds;             /* --rounds: per kind and terminal */
    const char *tmpdir;
    const char *xiechad;
    bool keep;
} s_opts_t;

typedef int (s_call_fn) (xc_client_t *c, char *why, size_t why_len);

static int
s_status (xc_client_t *c, char *why, size_t why_len)
{
    Xiecha__StatusReply *st = NULL;
    int rc = xc_client_status (c, &st, why, why_len);
    if (st)
        xiecha__status_reply__free_unpacked (st, NULL);
    return rc;
}

static int
s_query (xc_client_t *c, char *why, size_t why_len)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = XB_HOME,
                    .applicant = {xt_id_next (XB_HOME), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a = {0};
    int rc = xc_client_query (c, &q, &a, why, why_len);
    xc_answer_free (&a);
    return rc;
}

/*  rounds calls of fn by each client, alternately; latencies into l[0]
    (ipc) and l[1] (curve). */
static void
s_phase (xc_client_t *c[2], s_call_fn *fn, size_t rounds, xb_lat_t l[2])
{
    double *v[2] = {calloc (rounds, sizeof (double)),
                    calloc (rounds, sizeof (double))};
    double wall[2] = {0, 0};
    size_t n[2] = {0, 0};
    if (!v[0] || !v[1])
        xt_fail ("out of memory");
    for (size_t i = 0; i < 2 * rounds; i++) {
        int k = (int) (i & 1);
        char why[512];
        double t0 = xb_now ();
        if (fn (c[k], why, sizeof why) != 0)
            xt_fail ("%s call %zu failed: %s", k ? "TCP+CURVE" : "IPC",
                     i / 2, why);
        double took = xb_now () - t0;
        v[k][n[k]++] = took * 1e6;
        wall[k] += took;
    }
    for (int k = 0; k < 2; k++) {
        xb_lat_fill (&l[k], v[k], n[k], wall[k]);
        free (v[k]);
    }
}

static void
s_report (const char *what, const xb_lat_t l[2])
{
    printf ("%-7s IPC        p50 %8.1f us  p99 %8.1f us  (%zu)\n", what,
            l[0].p50_us, l[0].p99_us, l[0].n);
    printf ("%-7s TCP+CURVE  p50 %8.1f us  p99 %8.1f us  (%zu)\n", what,
            l[1].p50_us, l[1].p99_us, l[1].n);
    printf ("%-7s TCP+CURVE / IPC p50: %.2f; difference %.1f us\n", what,
            l[0].p50_us > 0 ? l[1].p50_us / l[0].p50_us : 0,
            l[1].p50_us - l[0].p50_us);
}

static void
s_parse (int argc, char **argv, s_opts_t *o)
{
    static const struct option opts[] = {
        {"rounds", required_argument, NULL, 'r'},
        {"quick", no_argument, NULL, 'q'},
        {"tmpdir", required_argument, NULL, 'T'},
        {"xiechad", required_argument, NULL, 'x'},
        {"keep", no_argument, NULL, 'k'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': o->rounds = xb_count (optarg, "--rounds", 1); break;
        case 'q': o->rounds = 100; break;
        case 'T': o->tmpdir = optarg; break;
        case 'x': o->xiechad = optarg; break;
        case 'k': o->keep = true; break;
        default:
            xt_fail ("usage: xiecha-terminal-bench [--rounds N] [--quick] "
                     "[--tmpdir DIR] [--xiechad PATH] [--keep]");
        }
    }
}

int
main (int argc, char **argv)
{
    s_opts_t o = {.rounds = 1000};
    s_parse (argc, argv, &o);
    xb_fed_create (o.tmpdir, 10000,
                   "    terminal_queries_per_minute = 600000\n"
                   "    terminal_queries_burst = 100000\n"
                   "    peer_messages_per_s = 1000000\n"
                   "    peer_messages_burst = 1000000\n"
                   "    peer_subjects_per_s = 1000000\n"
                   "    peer_subjects_burst = 1000000\n",
                   o.xiechad, o.keep);
    const char *endpoint = xt_term_enable (xb_fed, XB_RES);
    char zpl[PATH_MAX];
    xt_term_add (xb_fed, XB_RES, "bench-1", "caseworker,admin", zpl);
    xt_fed_start (xb_fed, XB_RES);
    xt_fed_start (xb_fed, XB_REG);
    xb_progress ("terminal %s, %zu rounds per kind and terminal, load %.2f",
                 endpoint, o.rounds, xb_loadavg ());
    xc_client_t *c[2] = {xt_fed_client (xb_fed, XB_RES),
                         xt_term_client (zpl, 10000)};
    xb_lat_t status[2], query[2];
    s_phase (c, s_status, 50, status);   /* warm both connections */
    s_phase (c, s_status, o.rounds, status);
    s_phase (c, s_query, o.rounds, query);
    for (int k = 0; k < 2; k++)
        xc_client_destroy (&c[k]);
    printf ("client leg: IPC vs TCP+CURVE (loopback), sequential, one run; "
            "load %.2f\n", xb_loadavg ());
    s_report ("status", status);
    s_report ("query", query);
    xt_fed_destroy (&xb_fed);
    return 0;
}
