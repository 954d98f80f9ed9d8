/*  subjects-bench.c - what a query of many subjects costs: batch
    re-verification, one certificate (one signature) for up to
    limits/query_subjects people.

    On a real two-node federation (common.h: 469021 asks, 341002
    answers), with --roster DIBAO recipients imported at 341002, one
    client asks sequentially through the residence node about 1, 100 and
    10,000 subjects a query (--sizes), fresh people each query, one in
    ten of them on the roster; --subjects people a size, in 10 to 1000
    queries (--quick: 20,000 in 2 to 100, a roster of 10,000).  Each answer is checked: a certificate of
    341002 with one result per subject, in order, the roster's people
    RECEIVING and the others NOT_RECEIVING.  For each size it prints
    queries/s, subjects/s and latency p50/p99, and next to them the
    node's Ed25519 verify rate measured in the same run (bench/ed25519.c):
    subjects/s over verifications/s says how far a query's fixed cost
    (two signatures, two verifications, three synced commits) is spread
    over its subjects -- ratios, not absolute claims, on a machine others
    share.  The exit status is 1 when an answer was wrong or a daemon did
    not stop cleanly; nothing asserts on timing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "ed25519.h"

#define S_SIZES_MAX 8
#define S_PAYLOAD 200          /* bytes signed in the Ed25519 baseline */

typedef struct {
    size_t sizes[S_SIZES_MAX]; /* --sizes: subjects a query */
    size_t n_sizes;
    size_t subjects;           /* --subjects: per size, at least */
    size_t min_queries;        /* queries per size, at least */
    size_t max_queries;        /* and at most */
    size_t roster;             /* --roster: recipients at 341002 */
    double crypto_s;           /* Ed25519 seconds per operation */
    const char *tmpdir;
    const char *xiechad;
    bool keep;
} s_opts_t;

typedef struct {
    size_t size;
    xb_lat_t lat;
    double subjects_rate;      /* subjects answered / wall s */
    size_t cert_bytes;         /* the last certificate's */
} s_row_t;

/*  The people of one query: n fresh IDs, every tenth from the roster
    (xt_id_make (XB_HOME, 0 .. roster-1) are its recipients). */
typedef struct {
    char (*ids)[XT_ID_SIZE];
    xc_person_t *members;
    bool *paid;
    size_t room;
    size_t next_paid, next_other;  /* roster seqs, others from roster up */
} s_people_t;

static void
s_people (s_people_t *p, size_t n, size_t roster)
{
    if (n > p->room) {
        free (p->ids);
        free (p->members);
        free (p->paid);
        p->ids = calloc (n, sizeof *p->ids);
        p->members = calloc (n, sizeof *p->members);
        p->paid = calloc (n, sizeof *p->paid);
        if (!p->ids || !p->members || !p->paid)
            xt_fail ("out of memory");
        p->room = n;
    }
    for (size_t i = 0; i < n; i++) {
        p->paid[i] = i % 10 == 9;
        size_t seq = p->paid[i] ? p->next_paid++ % roster
                                : roster + p->next_other++;
        xt_id_make (XB_HOME, seq % XT_IDS, p->ids[i]);
        if (i)
            p->members[i - 1] = (xc_person_t) {.id_number = p->ids[i],
                                               .name = "x"};
    }
}

/*  The certificate answers these people, in order, as the roster says. */
static void
s_check (const xc_answer_t *a, const s_people_t *p, size_t n)
{
    const Xiecha__Certificate *c = a->cert;
    if (strcmp (a->opened.msg->header->sender, XB_HOME) != 0
        || c->n_results != n)
        xt_fail ("certificate from %s with %zu results for %zu subjects",
                 a->opened.msg->header->sender, c->n_results, n);
    for (size_t i = 0; i < n; i++) {
        int want = p->paid[i] ? XIECHA__STATUS__RECEIVING
                              : XIECHA__STATUS__NOT_RECEIVING;
        if ((int) c->results[i]->status != want)
            xt_fail ("subject %zu of %zu: %s, expected %s", i, n,
                     xc_status_name (c->results[i]->status),
                     xc_status_name (want));
    }
}

/*  queries sequential queries of size subjects each. */
static void
s_phase (xc_client_t *c, s_people_t *p, size_t roster, size_t size,
         size_t queries, s_row_t *row)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    double *v = calloc (queries, sizeof *v);
    if (!v)
        xt_fail ("out of memory");
    double wall = 0;
    for (size_t q = 0; q < queries; q++) {
        s_people (p, size, roster);
        xc_query_t query = {.home_county = XB_HOME,
                            .applicant = {p->ids[0], "x"},
                            .members = size > 1 ? p->members : NULL,
                            .member_count = size - 1,
                            .programs = programs,
                            .program_count = 1};
        xc_answer_t a = {0};
        char why[1024];
        double t0 = xb_now ();
        int rc = xc_client_query (c, &query, &a, why, sizeof why);
        double took = xb_now () - t0;
        if (rc)
            xt_fail ("query %zu of %zu subjects: %s", q, size, why);
        s_check (&a, p, size);
        row->cert_bytes = a.certificate_len;
        xc_answer_free (&a);
        v[q] = took * 1e6;
        wall += took;
    }
    row->size = size;
    xb_lat_fill (&row->lat, v, queries, wall);
    row->subjects_rate = row->lat.rate * (double) size;
    free (v);
}

static size_t
s_parse_sizes (const char *arg, size_t *sizes)
{
    size_t n = 0;
    char *copy = strdup (arg), *save = NULL;
    if (!copy)
        xt_fail ("out of memory");
    for (char *t = strtok_r (copy, ",", &save); t;
         t = strtok_r (NULL, ",", &save)) {
        if (n == S_SIZES_MAX)
            xt_fail ("--sizes: at most %d", S_SIZES_MAX);
        sizes[n++] = xb_count (t, "--sizes", 1);
    }
    free (copy);
    if (!n)
        xt_fail ("--sizes: none");
    return n;
}

static void
s_parse (int argc, char **argv, s_opts_t *o)
{
    static const struct option opts[] = {
        {"sizes", required_argument, NULL, 'S'},
        {"subjects", required_argument, NULL, 'n'},
        {"roster", required_argument, NULL, 'r'},
        {"quick", no_argument, NULL, 'q'},
        {"tmpdir", required_argument, NULL, 'T'},
        {"xiechad", required_argument, NULL, 'x'},
        {"keep", no_argument, NULL, 'k'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long (argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'S': o->n_sizes = s_parse_sizes (optarg, o->sizes); break;
        case 'n': o->subjects = xb_count (optarg, "--subjects", 1); break;
        case 'r': o->roster = xb_count (optarg, "--roster", 1); break;
        case 'q':
            o->subjects = 20000;
            o->min_queries = 2;
            o->max_queries = 100;
            o->roster = 10000;
            o->crypto_s = 0.3;
            break;
        case 'T': o->tmpdir = optarg; break;
        case 'x': o->xiechad = optarg; break;
        case 'k': o->keep = true; break;
        default:
            xt_fail ("usage: xiecha-subjects-bench [--sizes N,N,...] "
                     "[--subjects N] [--roster N] [--quick] [--tmpdir DIR] "
                     "[--xiechad PATH] [--keep]");
        }
    }
}

static void
s_report (const s_opts_t *o, const s_row_t *rows, const xb_ed25519_t *ed)
{
    const xb_ed_rate_t *node = &ed->impl[XB_ED_NODE];
    printf ("queries of many subjects: %s asks %s, one client, sequential; "
            "roster %zu, 1 in 10 asked about on it; load %.2f\n",
            XB_RESIDENCE, XB_HOME, o->roster, xb_loadavg ());
    printf ("Ed25519 (%s, %s), same run: sign %.0f /s, verify %.0f /s; "
            "signature ceiling %.0f q/s\n", node->name, ed->node_library,
            node->sign_rate, node->verify_rate, xb_ed_ceiling (node));
    printf ("%9s %7s %10s %12s %10s %10s %11s %13s %12s\n", "subjects",
            "queries", "queries/s", "subjects/s", "p50 ms", "p99 ms",
            "cert bytes", "subj/s / vfy", "q/s / ceil");
    for (size_t i = 0; i < o->n_sizes; i++) {
        const s_row_t *r = &rows[i];
        printf ("%9zu %7zu %10.1f %12.0f %10.2f %10.2f %11zu %13.3f "
                "%12.3f\n", r->size, r->lat.n, r->lat.rate, r->subjects_rate,
                r->lat.p50_us / 1000, r->lat.p99_us / 1000, r->cert_bytes,
                r->subjects_rate / node->verify_rate,
                r->lat.rate / xb_ed_ceiling (node));
    }
    if (o->n_sizes > 1)
        printf ("subjects/s, largest over smallest size: %.1f\n",
                rows[o->n_sizes - 1].subjects_rate / rows[0].subjects_rate);
}

int
main (int argc, char **argv)
{
    s_opts_t o = {.sizes = {1, 100, 10000}, .n_sizes = 3,
                  .subjects = 200000, .min_queries = 10, .max_queries = 1000,
                  .roster = 100000,
                  .crypto_s = 1.0};
    s_parse (argc, argv, &o);
    xb_ed25519_t ed;
    xb_ed25519_measure (o.crypto_s, S_PAYLOAD, &ed);
    xb_fed_create (o.tmpdir, 60000, "", o.xiechad, o.keep);
    xt_fed_start (xb_fed, XB_RES);
    xt_fed_start (xb_fed, XB_REG);
    xb_progress ("importing %zu recipients at %s", o.roster, XB_HOME);
    xb_import (o.roster);
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, 120000);
    s_people_t people = {0};
    s_row_t warm, rows[S_SIZES_MAX];
    s_phase (c, &people, o.roster, 1, 20, &warm);
    for (size_t i = 0; i < o.n_sizes; i++) {
        size_t queries = o.subjects / o.sizes[i];
        if (queries > o.max_queries)
            queries = o.max_queries;
        if (queries < o.min_queries)
            queries = o.min_queries;
        xb_progress ("%zu queries of %zu subjects", queries, o.sizes[i]);
        s_phase (c, &people, o.roster, o.sizes[i], queries, &rows[i]);
    }
    xc_client_destroy (&c);
    free (people.ids);
    free (people.members);
    free (people.paid);
    s_report (&o, rows, &ed);
    xt_fed_destroy (&xb_fed);
    return 0;
}
