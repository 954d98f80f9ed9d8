/*  xiecha-bench.c - how fast is a verified cross-jurisdiction query, and
    what bounds it?

    One run on one machine measures:
      1. baselines: Ed25519 sign and verify through xc_sign/xc_verify (the
         code the daemon signs with) next to OpenSSL's and libsodium's
         own, measured interleaved (ed25519.h), fdatasync in the working directory
         (every synced LMDB commit waits for one), and a raw ZeroMQ
         DEALER<->ROUTER round trip over TCP on loopback, with and without
         CURVE;
      2. a real two-node federation: two xiechad processes in a temporary
         directory with their own keys, trust list, salt and configs; a
         roster imported at the registration node through the client API;
      3. verified queries through the client API at the residence node:
         sequential latency, then throughput with K concurrent clients;
      4. enrollment notices: sequential delivery latency (queued, sent,
         applied at the registration node, acked), then K clients queueing
         notices at once and the time until the outbox is empty; a sample
         of the enrolled is queried afterwards;
    and prints the ratios that say where a query's (and a notice's) time
    goes.

    Nothing here asserts on timing: figures differ by machine.  A query
    that fails or answers the wrong status is counted and reported. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <czmq.h>

#include "xiecha/xiecha.h"

#include "common.h"
#include "ed25519.h"
#include "probe.h"

#define S_RESIDENCE XB_RESIDENCE   /* Ding'an County, Hainan: asks */
#define S_HOME XB_HOME             /* Tunxi District, Anhui: answers */
#define S_PAYLOAD 200          /* bytes: about a signed query's size */
#define S_SAMPLES 8            /* certificates per client verified offline */
#define S_WARMUP 20            /* queries before timing: CURVE handshake */
#define S_DEADLINE_MS 5000     /* limits/query_deadline_ms of the nodes */
#define S_CLIENT_TIMEOUT_MS 15000  /* above the deadline: see its answer */
#define S_MAX_CLIENTS 256
#define S_NOTICE_WAIT_MS 10000 /* latency phase: wait this long for the ack */
#define S_DRAIN_MS 120000      /* throughput phase: outbox must empty by then */
#define S_POLL_MS 10           /* outbox_pending polling period */
#define S_CHECK_EVERY 100      /* query one enrolled person in this many */
#define S_IDS XT_IDS           /* distinct numbers xt_id_make can make */

/* ---- options and results ------------------------------------------------ */

typedef struct {
    const char *xiechad;   /* daemon binary */
    const char *tmpdir;    /* where the federation lives */
    size_t queries;        /* per query phase */
    int clients;           /* concurrent clients in the throughput phase */
    size_t round_trips;    /* raw ZeroMQ round trips per variant */
    size_t roster;         /* rows imported at the registration node */
    size_t notices;        /* per notice phase; 0: no notice phases */
    double crypto_s;       /* seconds per crypto and fsync baseline */
    bool json;
    bool keep;             /* keep the temporary directory */
} s_opts_t;

typedef struct {
    int clients;
    xb_lat_t lat;
    size_t sampled, verified;   /* offline certificate verification */
    char first_error[320];
    xb_cost_t cost;             /* flushes, CPU, load per query (probe.h) */
} s_phase_t;

/*  The notice phases.  Enrollee j (0 <= j < 2 * count) is person
    xt_id_make (XB_HOME, base + j): [0, count) in the latency phase, [count,
    2 * count) in the throughput phase, each enrolled exactly once. */
typedef struct {
    size_t count;          /* notices per phase */
    size_t base;           /* first s_make_id number, above all queries' */
    xb_lat_t deliver;       /* latency phase: call to delivered reply */
    size_t undelivered;    /* latency phase: queued, no ack within wait */
    xb_lat_t queue;         /* throughput phase: call to queued reply; rate
                              is queued / (first send to last reply) */
    int clients;
    double drain_s;        /* first send to outbox_pending == 0 */
    double delivered_rate; /* queued notices / drain_s */
    bool drained;          /* the outbox emptied within S_DRAIN_MS */
    uint64_t max_pending;  /* highest outbox_pending seen while queueing */
    uint64_t left_pending; /* outbox_pending when we stopped waiting */
    size_t rejected;       /* REJECTED items in the outbox afterwards */
    size_t checked, check_failed, check_skipped;  /* final queries */
    char first_error[320];
} s_notices_t;

typedef struct {
    xb_ed25519_t ed;       /* node and packaged Ed25519 rates */
    double sign_rate, verify_rate, fsync_rate;   /* sign/verify: the node's */
    double commit_us;      /* a synced LMDB commit shaped like a query's:
                              the mean of the two below */
    double commit_before_us, commit_after_us;   /* around the sequential
                                                   phase */
    double loadavg;        /* 1-minute load average at the end */
    char fs_type[16];
    xb_lat_t zmq_plain, zmq_curve;
    size_t roster_rows;
    uint64_t roster_subjects;
    double import_s;
    s_phase_t seq, conc;
    s_notices_t nt;
    uint64_t home_answered, home_refused, res_sent, res_refused;
    bool daemons_clean;    /* both exited 0 on SIGTERM */
    int cores;
} s_report_t;

/* ---- small helpers ------------------------------------------------------ */

static void
s_progress (const s_opts_t *o, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

static void
s_progress (const s_opts_t *o, const char *fmt, ...)
{
    (void) o;   /* room for a --quiet option */
    va_list ap;
    va_start (ap, fmt);
    fputs ("xiecha-bench: ", stderr);
    vfprintf (stderr, fmt, ap);
    fputc ('\n', stderr);
    va_end (ap);
}

/* ---- baseline: Ed25519 -------------------------------------------------- */

/*  The node's xc_sign/xc_verify and the packaged implementations, in one
    interleaved measurement (ed25519.h); the node's rates are the ones the
    signature ceiling is computed from. */
static void
s_bench_crypto (const s_opts_t *o, s_report_t *r)
{
    s_progress (o, "Ed25519 sign/verify: node, OpenSSL, libsodium, %.1f s "
                "each", o->crypto_s);
    xb_ed25519_measure (o->crypto_s, S_PAYLOAD, &r->ed);
    r->sign_rate = r->ed.impl[XB_ED_NODE].sign_rate;
    r->verify_rate = r->ed.impl[XB_ED_NODE].verify_rate;
}

/* ---- baseline: fdatasync ------------------------------------------------ */

/*  A synced LMDB commit is bounded by the disk's flush rate; measure it
    where the nodes' data will live. */
static void
s_bench_fsync (const s_opts_t *o, const char *dir, s_report_t *r)
{
    struct statfs sf;
    snprintf (r->fs_type, sizeof r->fs_type, "?");
    if (statfs (dir, &sf) == 0)
        snprintf (r->fs_type, sizeof r->fs_type, "%s",
                  sf.f_type == 0x01021994 ? "tmpfs"
                  : sf.f_type == 0xEF53   ? "ext4"
                  : sf.f_type == 0x58465342 ? "xfs"
                  : sf.f_type == 0x9123683E ? "btrfs" : "other");
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/fsync.probe", dir);
    int fd = open (path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        xt_fail ("%s: %s", path, strerror (errno));
    s_progress (o, "fdatasync on %s (%s), %.1f s", dir, r->fs_type,
                o->crypto_s);
    char page[4096];
    memset (page, 0x5a, sizeof page);
    size_t ops = 0;
    double start = xb_now (), now = start;
    while (now - start < o->crypto_s) {
        if (pwrite (fd, page, sizeof page, (off_t) (ops % 16) * 4096) < 0
            || fdatasync (fd) != 0)
            xt_fail ("%s: %s", path, strerror (errno));
        ops++;
        now = xb_now ();
    }
    r->fsync_rate = (double) ops / (now - start);
    close (fd);
    unlink (path);
}

/*  The commit baseline right before and right after the sequential
    phase, half the time each: the disk's speed drifts by the minute on a
    shared machine, and the floor must be the one the phase saw. */
static void
s_bench_commit (const s_opts_t *o, const char *dir, double *us)
{
    s_progress (o, "synced LMDB commits on %s, %.1f s", dir,
                o->crypto_s / 2);
    *us = xb_lmdb_commit_us (dir, o->crypto_s / 2);
}

/*  The durable commits a query's critical path needs: the registration
    node's (the certificate, before it leaves) and the residence node's
    (the query and its answer, before the terminal hears of them).  See
    doc/FORMATS.md 8, "When a query is logged". */
#define S_FLOOR_COMMITS 2

/*  The design floor of a sequential query, from this run's baselines:
    those commits, one CURVE round trip between the nodes, and the
    2 signatures and 2 verifications on the path. */
static double
s_floor_us (const s_report_t *r)
{
    return S_FLOOR_COMMITS * r->commit_us + r->zmq_curve.p50_us
           + 2e6 / r->sign_rate + 2e6 / r->verify_rate;
}

/* ---- baseline: raw ZeroMQ round trip ------------------------------------ */

/*  Echo server: ROUTER on an ephemeral loopback port; a CURVE server when
    args is a certificate.  Sends its port to the pipe, then echoes every
    message until the pipe speaks ($TERM). */
static void
s_echo_actor (zsock_t *pipe, void *args)
{
    zcert_t *cert = (zcert_t *) args;
    zsock_t *router = zsock_new (ZMQ_ROUTER);
    if (cert) {
        zcert_apply (cert, router);
        zsock_set_curve_server (router, 1);
    }
    int port = router ? zsock_bind (router, "tcp://127.0.0.1:*") : -1;
    zsock_signal (pipe, 0);
    zsock_send (pipe, "i", port);
    zpoller_t *poller = zpoller_new (pipe, router, NULL);
    while (port > 0) {
        void *which = zpoller_wait (poller, -1);
        if (which != router)
            break;
        zmsg_t *msg = zmsg_recv (router);
        if (msg)
            zmsg_send (&msg, router);
    }
    zpoller_destroy (&poller);
    zsock_destroy (&router);
}

/*  One DEALER, n sequential round trips of S_PAYLOAD bytes after a short
    warm-up (connection and CURVE handshake are not what we measure). */
static void
s_bench_zmq (const s_opts_t *o, bool curve, xb_lat_t *out)
{
    s_progress (o, "ZeroMQ round trips, %s, %zu", curve ? "CURVE" : "plain",
                o->round_trips);
    zcert_t *server = curve ? zcert_new () : NULL;
    zcert_t *client = curve ? zcert_new () : NULL;
    zactor_t *echo = zactor_new (s_echo_actor, server);
    int port = -1;
    zsock_recv (echo, "i", &port);
    if (port <= 0)
        xt_fail ("echo server could not bind");
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    if (curve) {
        zcert_apply (client, dealer);
        zsock_set_curve_serverkey (dealer, zcert_public_txt (server));
    }
    zsock_set_rcvtimeo (dealer, 5000);
    zsock_set_linger (dealer, 0);
    zsock_connect (dealer, "tcp://127.0.0.1:%d", port);
    void *h = zsock_resolve (dealer);

    uint8_t buf[S_PAYLOAD], back[S_PAYLOAD + 16];
    xc_random (buf, sizeof buf);
    size_t warm = o->round_trips / 10 + 10, n = o->round_trips;
    double *lat = calloc (n, sizeof *lat);
    size_t ok = 0, failed = 0;
    double start = 0;
    for (size_t i = 0; i < warm + n; i++) {
        if (i == warm)
            start = xb_now ();
        double t0 = xb_now ();
        if (zmq_send (h, buf, sizeof buf, 0) != (int) sizeof buf
            || zmq_recv (h, back, sizeof back, 0) != (int) sizeof buf) {
            failed += i >= warm;
            continue;
        }
        if (i >= warm)
            lat[ok++] = (xb_now () - t0) * 1e6;
    }
    xb_lat_fill (out, lat, ok, xb_now () - start);
    out->failed = failed;
    free (lat);
    zsock_destroy (&dealer);
    zactor_destroy (&echo);
    zcert_destroy (&server);
    zcert_destroy (&client);
}

/* ---- people ------------------------------------------------------------- */

/*  Query number i asks about a roster member when i is even (RECEIVING)
    and about someone never enrolled when odd (NOT_RECEIVING), so both
    paths of the index lookup are exercised. */
static int
s_person (const s_opts_t *o, size_t i, char id[XC_ID_LEN + 1])
{
    if (i % 2 == 0) {
        xt_id_make (XB_HOME, (i / 2) % o->roster, id);
        return XIECHA__STATUS__RECEIVING;
    }
    xt_id_make (XB_HOME, o->roster + i, id);
    return XIECHA__STATUS__NOT_RECEIVING;
}

/*  The roster of the registration node: o->roster DIBAO recipients, sent
    through the client API in one import. */
static void
s_import (const s_opts_t *o, s_report_t *r)
{
    s_progress (o, "importing %zu roster rows at %s", o->roster, S_HOME);
    double t0 = xb_now ();
    r->roster_subjects = xb_import (o->roster);
    r->import_s = xb_now () - t0;
    r->roster_rows = o->roster;
}

/* ---- queries ------------------------------------------------------------ */

typedef struct {
    const s_opts_t *o;
    size_t first, count;       /* query numbers [first, first + count) */
    pthread_barrier_t *start;  /* NULL: start at once */
    double *lat;               /* latency of each answered query, µs */
    size_t ok, failed;
    char first_error[320];
    uint8_t *sample[S_SAMPLES];   /* certificates kept to verify offline */
    size_t sample_len[S_SAMPLES];
    size_t samples;
} s_worker_t;

/*  Is this answer a certificate from the registration node, for us, with
    the status we expect?  Returns NULL or what was wrong. */
static const char *
s_check (const xc_answer_t *a, int expect)
{
    const Xiecha__Signed *m = a->opened.msg;
    if (!m || !m->header || m->header->type != XIECHA__MSG_TYPE__MSG_CERTIFICATE
        || m->body_case != XIECHA__SIGNED__BODY_CERTIFICATE || !a->cert)
        return "answer is not a certificate";
    if (strcmp (m->header->sender, S_HOME) != 0)
        return "certificate not signed by the registration node";
    if (strcmp (a->cert->requester, S_RESIDENCE) != 0)
        return "certificate names another requester";
    if (a->cert->n_results != 1 || !a->cert->results[0])
        return "certificate does not hold exactly one result";
    if ((int) a->cert->results[0]->status != expect)
        return expect == XIECHA__STATUS__RECEIVING
                   ? "expected RECEIVING, got another status"
                   : "expected NOT_RECEIVING, got another status";
    if (a->relation != XIECHA__RELATION__OTHER_PROVINCE)
        return "relation is not OTHER_PROVINCE";
    return NULL;
}

static void
s_worker_fail (s_worker_t *w, size_t i, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_worker_fail (s_worker_t *w, size_t i, const char *fmt, ...)
{
    if (w->failed++ == 0) {
        int len = snprintf (w->first_error, sizeof w->first_error,
                            "query %zu: ", i);
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (w->first_error + len, sizeof w->first_error - (size_t) len,
                   fmt, ap);
        va_end (ap);
    }
}

static void
s_query_one (s_worker_t *w, xc_client_t *c, size_t i)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO,
                                   XIECHA__PROGRAM__TEKUN};
    char id[XC_ID_LEN + 1], why[256] = "";
    int expect = s_person (w->o, i, id);
    xc_query_t q = {.home_county = S_HOME,
                    .applicant = {.id_number = id, .name = "Applicant"},
                    .programs = programs,
                    .program_count = 2};
    xc_answer_t a;
    memset (&a, 0, sizeof a);
    double t0 = xb_now ();
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    double us = (xb_now () - t0) * 1e6;
    const char *bad = rc == 0 ? s_check (&a, expect) : NULL;
    if (rc != 0)
        s_worker_fail (w, i, "%s: %s", xc_strerror (rc), why);
    else if (bad)
        s_worker_fail (w, i, "%s", bad);
    else {
        w->lat[w->ok++] = us;
        if (w->samples < S_SAMPLES && (w->sample[w->samples] = malloc (
                                           a.certificate_len))) {
            memcpy (w->sample[w->samples], a.certificate, a.certificate_len);
            w->sample_len[w->samples++] = a.certificate_len;
        }
    }
    xc_answer_free (&a);
}

static void *
s_worker_run (void *arg)
{
    s_worker_t *w = (s_worker_t *) arg;
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, S_CLIENT_TIMEOUT_MS);
    if (w->start)
        pthread_barrier_wait (w->start);
    for (size_t i = w->first; i < w->first + w->count; i++)
        s_query_one (w, c, i);
    xc_client_destroy (&c);
    return NULL;
}

/*  Verifies the kept certificates offline with the trust list, as any
    third party could: signature, issuer key, validity window. */
static void
s_verify_samples (s_worker_t *w, const xc_trust_t *trust, s_phase_t *ph)
{
    for (size_t k = 0; k < w->samples; k++) {
        xc_opened_t opened;
        memset (&opened, 0, sizeof opened);
        char why[256] = "";
        ph->sampled++;
        int rc = xc_cert_verify (w->sample[k], w->sample_len[k], trust,
                                 xc_now_ms (), &opened, why, sizeof why);
        if (rc == 0)
            ph->verified++;
        else if (!ph->first_error[0])
            snprintf (ph->first_error, sizeof ph->first_error,
                      "offline verification: %s", why);
        xc_opened_free (&opened);
        free (w->sample[k]);
    }
}

/*  Gathers the workers' latencies (each wrote into its own slice), and
    checks a sample of certificates offline. */
static void
s_phase_summary (s_worker_t *w, int clients, double *lat, double wall,
                 s_phase_t *ph)
{
    char why[256] = "";
    xc_trust_t *trust = xc_trust_load (xb_fed->trust, why, sizeof why);
    if (!trust)
        xt_fail ("trust list: %s", why);
    size_t n = 0, failed = 0;
    ph->clients = clients;
    for (int k = 0; k < clients; k++) {
        memmove (lat + n, w[k].lat, w[k].ok * sizeof *lat);
        n += w[k].ok;
        failed += w[k].failed;
        if (w[k].failed && !ph->first_error[0])
            snprintf (ph->first_error, sizeof ph->first_error, "%s",
                      w[k].first_error);
        s_verify_samples (&w[k], trust, ph);
    }
    xb_lat_fill (&ph->lat, lat, n, wall);
    ph->lat.failed = failed;
    xc_trust_destroy (&trust);
}

/*  Runs `clients` workers over queries [first, first + total), all
    starting together; fills ph with latency, rate and failures. */
static void
s_query_phase (const s_opts_t *o, int clients, size_t first, size_t total,
               s_phase_t *ph)
{
    s_worker_t *w = calloc ((size_t) clients, sizeof *w);
    pthread_t *tid = calloc ((size_t) clients, sizeof *tid);
    double *lat = calloc (total, sizeof *lat);
    pthread_barrier_t start;
    pthread_barrier_init (&start, NULL, (unsigned) clients + 1);
    size_t next = first;
    for (int k = 0; k < clients; k++) {
        size_t share = total / (size_t) clients
                       + ((size_t) k < total % (size_t) clients);
        w[k] = (s_worker_t) {.o = o, .first = next, .count = share,
                             .start = &start, .lat = lat + (next - first)};
        next += share;
        if (pthread_create (&tid[k], NULL, s_worker_run, &w[k]) != 0)
            xt_fail ("pthread_create failed");
    }
    xb_probe_t before, after;
    xb_probe_take (&before);
    pthread_barrier_wait (&start);
    double t0 = xb_now ();
    for (int k = 0; k < clients; k++)
        pthread_join (tid[k], NULL);
    double wall = xb_now () - t0;
    xb_probe_take (&after);
    xb_probe_cost (&before, &after, total, &ph->cost);
    s_phase_summary (w, clients, lat, wall, ph);
    pthread_barrier_destroy (&start);
    free (lat);
    free (tid);
    free (w);
}

/* ---- notices ------------------------------------------------------------ */

typedef struct {
    const s_opts_t *o;
    const s_notices_t *nt;
    size_t first, count;       /* enrollees [first, first + count) */
    int wait_ms;               /* 0: return once queued */
    uint32_t today;            /* start date, YYYYMMDD */
    pthread_barrier_t *start;  /* NULL: start at once */
    atomic_int *done;          /* workers finished; NULL: nobody counts */
    double *lat;               /* per successful call, µs */
    uint8_t *accepted;         /* per enrollee: 1 once the node queued it */
    size_t ok, failed, undelivered;
    double end;                /* xb_now () after the last reply */
    char first_error[320];
} s_nworker_t;

static void
s_nworker_fail (s_nworker_t *w, size_t j, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

static void
s_nworker_fail (s_nworker_t *w, size_t j, const char *fmt, ...)
{
    if (w->failed++ == 0) {
        int len = snprintf (w->first_error, sizeof w->first_error,
                            "notice %zu: ", j);
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (w->first_error + len, sizeof w->first_error - (size_t) len,
                   fmt, ap);
        va_end (ap);
    }
}

/*  One ENROLLMENT of a fresh person in DIBAO from today, paid here and
    registered at S_HOME.  With wait_ms the reply must say delivered. */
static void
s_notice_one (s_nworker_t *w, xc_client_t *c, size_t j)
{
    char id[XC_ID_LEN + 1], why[256] = "";
    xt_id_make (XB_HOME, w->nt->base + j, id);
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                     .home_county = S_HOME,
                     .applicant = {.id_number = id, .name = "Enrollee"},
                     .program = XIECHA__PROGRAM__DIBAO,
                     .start_date = w->today,
                     .wait_ms = w->wait_ms};
    xc_notice_result_t res;
    double t0 = xb_now ();
    int rc = xc_client_notice (c, &n, &res, why, sizeof why);
    double us = (xb_now () - t0) * 1e6;
    if (rc != 0) {
        s_nworker_fail (w, j, "%s: %s", xc_strerror (rc), why);
        return;
    }
    w->accepted[j] = 1;
    if (w->wait_ms && !res.delivered) {
        w->undelivered++;
        s_nworker_fail (w, j, "queued but not delivered within %d ms",
                        w->wait_ms);
        return;
    }
    w->lat[w->ok++] = us;
}

static void *
s_nworker_run (void *arg)
{
    s_nworker_t *w = (s_nworker_t *) arg;
    /* The client must outwait the node's hold on the reply. */
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES,
                                       S_CLIENT_TIMEOUT_MS + w->wait_ms);
    if (w->start)
        pthread_barrier_wait (w->start);
    for (size_t j = w->first; j < w->first + w->count; j++)
        s_notice_one (w, c, j);
    w->end = xb_now ();
    if (w->done)
        atomic_fetch_add (w->done, 1);
    xc_client_destroy (&c);
    return NULL;
}

/*  outbox_pending of the residence node, or -1 with the reason shown. */
static int64_t
s_outbox_pending (xc_client_t *c)
{
    Xiecha__StatusReply *st = NULL;
    char why[256] = "";
    int64_t pending = -1;
    if (xc_client_status (c, &st, why, sizeof why) == 0 && st)
        pending = (int64_t) st->outbox_pending;
    else
        fprintf (stderr, "xiecha-bench: status of %s: %s\n", S_RESIDENCE,
                 why);
    if (st)
        xiecha__status_reply__free_unpacked (st, NULL);
    return pending;
}

/*  Polls until the outbox is empty or until_s (xb_now () time) passes.
    Returns the time it was seen empty, or 0; *last gets the final count. */
static double
s_outbox_drain (xc_client_t *c, double until_s, uint64_t *last)
{
    for (;;) {
        int64_t pending = s_outbox_pending (c);
        double now = xb_now ();
        *last = pending < 0 ? 0 : (uint64_t) pending;
        if (pending == 0)
            return now;
        if (now >= until_s)
            return 0;
        usleep (S_POLL_MS * 1000);
    }
}

/*  (a) Delivery latency: one client, one notice at a time, each call
    held by the node until the home node's signed ack is committed. */
static void
s_notice_latency (const s_opts_t *o, s_notices_t *nt, uint8_t *accepted,
                  uint32_t today)
{
    double *lat = calloc (nt->count, sizeof *lat);
    if (!lat)
        xt_fail ("out of memory");
    s_nworker_t w = {.o = o, .nt = nt, .first = 0, .count = nt->count,
                     .wait_ms = S_NOTICE_WAIT_MS, .today = today, .lat = lat,
                     .accepted = accepted};
    double t0 = xb_now ();
    s_nworker_run (&w);
    xb_lat_fill (&nt->deliver, lat, w.ok, w.end - t0);
    nt->deliver.failed = w.failed;
    nt->undelivered = w.undelivered;
    if (w.failed)
        snprintf (nt->first_error, sizeof nt->first_error, "%s",
                  w.first_error);
    free (lat);
}

/*  (b) Outbox throughput: K clients queue their share with wait_ms = 0
    (each reply means the notice is committed in the outbox), while this
    thread polls outbox_pending; the phase ends when every client is done
    and the outbox is empty. */
static void
s_notice_throughput (const s_opts_t *o, s_notices_t *nt, uint8_t *accepted,
                     uint32_t today)
{
    int clients = o->clients;
    s_nworker_t *w = calloc ((size_t) clients, sizeof *w);
    pthread_t *tid = calloc ((size_t) clients, sizeof *tid);
    double *lat = calloc (nt->count, sizeof *lat);
    if (!w || !tid || !lat)
        xt_fail ("out of memory");
    xc_client_t *poll = xt_fed_client_ms (xb_fed, XB_RES, 5000);
    atomic_int done = 0;
    pthread_barrier_t start;
    pthread_barrier_init (&start, NULL, (unsigned) clients + 1);
    size_t next = nt->count;
    for (int k = 0; k < clients; k++) {
        size_t share = nt->count / (size_t) clients
                       + ((size_t) k < nt->count % (size_t) clients);
        w[k] = (s_nworker_t) {.o = o, .nt = nt, .first = next,
                              .count = share, .wait_ms = 0, .today = today,
                              .start = &start, .done = &done,
                              .lat = lat + (next - nt->count),
                              .accepted = accepted};
        next += share;
        if (pthread_create (&tid[k], NULL, s_nworker_run, &w[k]) != 0)
            xt_fail ("pthread_create failed");
    }
    pthread_barrier_wait (&start);
    double t0 = xb_now (), t_end = 0;
    /* While the clients queue: watch the backlog grow. */
    while (atomic_load (&done) < clients) {
        int64_t pending = s_outbox_pending (poll);
        if (pending > 0 && (uint64_t) pending > nt->max_pending)
            nt->max_pending = (uint64_t) pending;
        usleep (S_POLL_MS * 1000);
    }
    for (int k = 0; k < clients; k++)
        pthread_join (tid[k], NULL);
    t_end = s_outbox_drain (poll, t0 + S_DRAIN_MS / 1000.0,
                            &nt->left_pending);
    double queued_at = t0;
    size_t n = 0, failed = 0;
    for (int k = 0; k < clients; k++) {
        queued_at = w[k].end > queued_at ? w[k].end : queued_at;
        memmove (lat + n, w[k].lat, w[k].ok * sizeof *lat);
        n += w[k].ok;
        failed += w[k].failed;
        if (w[k].failed && !nt->first_error[0])
            snprintf (nt->first_error, sizeof nt->first_error, "%s",
                      w[k].first_error);
    }
    xb_lat_fill (&nt->queue, lat, n, queued_at - t0);
    nt->queue.failed = failed;
    nt->clients = clients;
    nt->drained = t_end > 0;
    nt->drain_s = nt->drained ? t_end - t0 : 0;
    nt->delivered_rate = nt->drained && nt->drain_s > 0
                             ? (double) n / nt->drain_s : 0;
    xc_client_destroy (&poll);
    pthread_barrier_destroy (&start);
    free (lat);
    free (tid);
    free (w);
}

/*  Notices the registration node refused for good stay in the outbox as
    REJECTED (they no longer count as pending): count them. */
static void
s_notice_rejected (s_notices_t *nt)
{
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, 5000);
    Xiecha__OutboxReply *ob = NULL;
    char why[256] = "";
    if (xc_client_outbox (c, &ob, why, sizeof why) == 0 && ob) {
        for (size_t i = 0; i < ob->n_items; i++)
            if (ob->items[i] && ob->items[i]->state
                && strcmp (ob->items[i]->state, "REJECTED") == 0) {
                nt->rejected++;
                if (!nt->first_error[0])
                    snprintf (nt->first_error, sizeof nt->first_error,
                              "rejected: %s", ob->items[i]->note
                                                  ? ob->items[i]->note : "");
            }
    }
    else
        fprintf (stderr, "xiecha-bench: outbox of %s: %s\n", S_RESIDENCE,
                 why);
    if (ob)
        xiecha__outbox_reply__free_unpacked (ob, NULL);
    xc_client_destroy (&c);
}

/*  Did the registration node apply them?  One query per S_CHECK_EVERY
    enrollees must come back RECEIVING, with an open DIBAO enrollment paid
    by S_RESIDENCE since today.  Enrollees whose notice was never queued
    are skipped: they already count as failed notices. */
static void
s_notice_check (const s_opts_t *o, s_notices_t *nt, const uint8_t *accepted,
                uint32_t today)
{
    (void) o;
    static const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, S_CLIENT_TIMEOUT_MS);
    for (size_t j = 0; j < 2 * nt->count; j += S_CHECK_EVERY) {
        if (!accepted[j]) {
            nt->check_skipped++;
            continue;
        }
        char id[XC_ID_LEN + 1], why[256] = "";
        xt_id_make (XB_HOME, nt->base + j, id);
        xc_query_t q = {.home_county = S_HOME,
                        .applicant = {.id_number = id, .name = "Enrollee"},
                        .programs = programs,
                        .program_count = 1};
        xc_answer_t a;
        memset (&a, 0, sizeof a);
        nt->checked++;
        int rc = xc_client_query (c, &q, &a, why, sizeof why);
        const char *bad = rc ? NULL : s_check (&a, XIECHA__STATUS__RECEIVING);
        if (rc == 0 && !bad) {
            const Xiecha__SubjectResult *res = a.cert->results[0];
            bad = "RECEIVING, but no open DIBAO enrollment paid by "
                  S_RESIDENCE " since today";
            for (size_t e = 0; e < res->n_enrollments; e++) {
                const Xiecha__Enrollment *en = res->enrollments[e];
                if (en && en->program == XIECHA__PROGRAM__DIBAO
                    && en->node && strcmp (en->node, S_RESIDENCE) == 0
                    && en->since == today && en->until == 0)
                    bad = NULL;
            }
        }
        if (rc || bad) {
            if (nt->check_failed++ == 0 && !nt->first_error[0])
                snprintf (nt->first_error, sizeof nt->first_error,
                          "check of enrollee %zu: %s%s%s", j,
                          rc ? xc_strerror (rc) : bad, rc ? ": " : "",
                          rc ? why : "");
        }
        xc_answer_free (&a);
    }
    xc_client_destroy (&c);
}

/*  Both notice phases and the check.  The outbox must be empty between
    the phases, so a late delivery of the first does not count in the
    second. */
static void
s_notice_phases (const s_opts_t *o, s_notices_t *nt)
{
    nt->count = o->notices;
    nt->base = o->roster + S_WARMUP + 2 * o->queries;
    uint8_t *accepted = calloc (2 * nt->count, 1);
    if (!accepted)
        xt_fail ("out of memory");
    uint32_t today = xc_date_from_ms (xc_now_ms ());
    s_progress (o, "%zu enrollment notices, one at a time, waiting for the "
                "ack", nt->count);
    s_notice_latency (o, nt, accepted, today);
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, 5000);
    uint64_t left = 0;
    if (s_outbox_drain (c, xb_now () + S_DRAIN_MS / 1000.0, &left) == 0)
        fprintf (stderr, "xiecha-bench: outbox still holds %" PRIu64
                 " notices after the latency phase\n", left);
    xc_client_destroy (&c);
    s_progress (o, "%zu enrollment notices queued by %d concurrent clients, "
                "until the outbox is empty", nt->count, o->clients);
    s_notice_throughput (o, nt, accepted, today);
    s_notice_rejected (nt);
    s_progress (o, "checking every %dth enrollee at %s", S_CHECK_EVERY,
                S_HOME);
    s_notice_check (o, nt, accepted, today);
    free (accepted);
}

static bool
s_notices_failed (const s_notices_t *nt)
{
    return nt->count
           && (nt->deliver.failed || nt->queue.failed || !nt->drained
               || nt->rejected || nt->check_failed);
}

/* ---- after the run: counters, logs -------------------------------------- */

static void
s_node_counters (size_t i, uint64_t *answered, uint64_t *sent,
                 uint64_t *refused)
{
    xc_client_t *c = xt_fed_client_ms (xb_fed, i, 5000);
    Xiecha__StatusReply *st = NULL;
    char why[256] = "";
    if (xc_client_status (c, &st, why, sizeof why) == 0 && st) {
        *answered = st->queries_answered;
        *sent = st->queries_sent;
        *refused = st->refused;
    }
    else
        fprintf (stderr, "xiecha-bench: status of %s: %s\n",
                 xb_fed->nodes[i].code, why);
    if (st)
        xiecha__status_reply__free_unpacked (st, NULL);
    xc_client_destroy (&c);
}

/* ---- the report --------------------------------------------------------- */

/*  Queries per second if signatures were the only cost: each query is
    signed and verified twice network-wide (Query, Certificate), all on
    one core. */
static double
s_ceiling (const s_report_t *r)
{
    return xb_ed_ceiling (&r->ed.impl[XB_ED_NODE]);
}

/*  The node's signature ceiling over the fastest packaged one's: the
    issue-15 rule wants at least 0.9. */
static double
s_ed_ratio (const s_report_t *r)
{
    return s_ceiling (r) / xb_ed_ceiling (&r->ed.impl[r->ed.fastest]);
}

static void
s_text_lat (const char *what, const xb_lat_t *l, const char *unit)
{
    printf ("  %-34s p50 %8.1f us  p99 %8.1f us  max %8.1f us  %9.0f %s"
            "  (%zu ok, %zu failed)\n",
            what, l->p50_us, l->p99_us, l->max_us, l->rate, unit, l->n,
            l->failed);
}

static void
s_text_phase (const char *what, const s_phase_t *ph)
{
    char label[64];
    snprintf (label, sizeof label, "%s, %d client%s", what, ph->clients,
              ph->clients == 1 ? "" : "s");
    s_text_lat (label, &ph->lat, "q/s");
    if (ph->first_error[0])
        printf ("    first failure: %s\n", ph->first_error);
}

/*  The notice phases, after the queries. */
static void
s_text_notices (const s_notices_t *nt)
{
    printf ("\nEnrollment notices through xc_client_notice (%zu per phase, "
            "each person once)\n", nt->count);
    char label[64];
    snprintf (label, sizeof label, "delivery, 1 client (wait %d s)",
              S_NOTICE_WAIT_MS / 1000);
    s_text_lat (label, &nt->deliver, "n/s");
    if (nt->undelivered)
        printf ("    of the failed, queued but not delivered in time: %zu\n",
                nt->undelivered);
    snprintf (label, sizeof label, "queueing (wait 0), %d client%s",
              nt->clients, nt->clients == 1 ? "" : "s");
    s_text_lat (label, &nt->queue, "n/s");
    if (nt->drained)
        printf ("  %-34s %9.0f n/s  (%zu queued, outbox empty after %.2f s; "
                "backlog peak %" PRIu64 ")\n",
                "delivered end to end", nt->delivered_rate, nt->queue.n,
                nt->drain_s, nt->max_pending);
    else
        printf ("  %-34s outbox NOT empty after %d s: %" PRIu64
                " pending\n", "delivered end to end", S_DRAIN_MS / 1000,
                nt->left_pending);
    printf ("  rejected by %s: %zu; check queries at %s: %zu, failed %zu"
            "%s\n", S_HOME, nt->rejected, S_HOME, nt->checked,
            nt->check_failed, nt->check_skipped ? " (some skipped)" : "");
    if (nt->first_error[0])
        printf ("    first failure: %s\n", nt->first_error);
}

/*  What a phase's queries cost, counted at each node (probe.h). */
static void
s_text_cost (const s_phase_t *ph)
{
    const xb_cost_t *c = &ph->cost;
    printf ("  per query, %d client%s:", ph->clients,
            ph->clients == 1 ? "" : "s");
    if (c->counted)
        printf (" flushes %s %.2f, %s %.2f (synced commits %.2f, %.2f);",
                S_RESIDENCE, c->flushes[XB_RES], S_HOME, c->flushes[XB_REG],
                c->commits[XB_RES], c->commits[XB_REG]);
    else
        printf (" flushes not counted (libxcflushcount.so not found);");
    printf (" CPU %s %.0f us, %s %.0f us; machine busy %.0f %%, "
            "iowait %.0f %%\n", S_RESIDENCE, c->cpu_us[XB_RES], S_HOME,
            c->cpu_us[XB_REG], c->busy_pct, c->iowait_pct);
}

static void
s_print_text (const s_opts_t *o, const s_report_t *r, const char *date)
{
    double ceiling = s_ceiling (r);
    const s_notices_t *nt = &r->nt;
    printf ("xiecha-bench %s  %s  %d cores  data on %s\n\n", XIECHA_VERSION,
            date, r->cores, r->fs_type);
    printf ("Baselines\n");
    printf ("  %-34s %9.0f /s\n", "Ed25519 sign (xc_sign, 200 B)",
            r->sign_rate);
    printf ("  %-34s %9.0f /s\n", "Ed25519 verify (xc_verify, 200 B)",
            r->verify_rate);
    printf ("    the node's is %s; packaged, same input, same run:\n",
            r->ed.node_library);
    for (int i = XB_ED_OPENSSL; i < XB_ED_COUNT; i++)
        printf ("    %-32s sign %9.0f /s  verify %9.0f /s%s\n",
                r->ed.impl[i].name, r->ed.impl[i].sign_rate,
                r->ed.impl[i].verify_rate,
                i == r->ed.fastest ? "  (fastest)" : "");
    printf ("    OpenSSL and libsodium signatures identical: %s\n",
            r->ed.identical ? "yes" : "NO");
    printf ("  %-34s %9.0f /s\n", "fdatasync (4 KiB rewrite)", r->fsync_rate);
    printf ("  %-34s %9.0f /s  (%.0f us each: %.0f before the sequential "
            "phase, %.0f after)\n", "synced LMDB commit, query-shaped",
            1e6 / r->commit_us, r->commit_us, r->commit_before_us,
            r->commit_after_us);
    s_text_lat ("ZeroMQ round trip, TCP", &r->zmq_plain, "rt/s");
    s_text_lat ("ZeroMQ round trip, TCP+CURVE", &r->zmq_curve, "rt/s");
    printf ("\nFederation %s (residence) -> %s (registration): roster of "
            "%zu rows (%" PRIu64 " subjects) imported in %.2f s\n",
            S_RESIDENCE, S_HOME, r->roster_rows, r->roster_subjects,
            r->import_s);
    printf ("Verified queries through xc_client_query\n");
    s_text_phase ("sequential", &r->seq);
    s_text_phase ("concurrent", &r->conc);
    printf ("  certificates verified offline: %zu/%zu\n",
            r->seq.verified + r->conc.verified,
            r->seq.sampled + r->conc.sampled);
    printf ("  node counters: %s answered %" PRIu64 ", refused %" PRIu64
            "; %s sent %" PRIu64 ", refused %" PRIu64 "; clean stop: %s\n",
            S_HOME, r->home_answered, r->home_refused, S_RESIDENCE,
            r->res_sent, r->res_refused, r->daemons_clean ? "yes" : "NO");
    s_text_cost (&r->seq);
    s_text_cost (&r->conc);
    printf ("  load average (1 min) at the end: %.2f\n", r->loadavg);
    if (nt->count)
        s_text_notices (nt);
    printf ("\nRatios\n");
    printf ("  %-52s %8.0f us\n", "design floor of a query (see README)",
            s_floor_us (r));
    printf ("    = %d x commit %.0f + CURVE round trip %.0f + 2 x sign %.0f "
            "+ 2 x verify %.0f\n", S_FLOOR_COMMITS, r->commit_us,
            r->zmq_curve.p50_us, 1e6 / r->sign_rate, 1e6 / r->verify_rate);
    printf ("  %-52s %8.2f x\n", "sequential query p50 / design floor",
            r->seq.lat.p50_us / s_floor_us (r));
    printf ("  %-52s %8.1f x\n", "query p50 / ZeroMQ CURVE round-trip p50",
            r->zmq_curve.p50_us > 0 ? r->seq.lat.p50_us / r->zmq_curve.p50_us
                                    : 0);
    printf ("  %-52s %8.1f\n", "fdatasync periods in a query p50",
            r->seq.lat.p50_us * r->fsync_rate / 1e6);
    printf ("  %-52s %8.0f q/s\n", "signature ceiling 1/(2/sign + 2/verify)",
            ceiling);
    const xb_ed_rate_t *fast = &r->ed.impl[r->ed.fastest];
    printf ("  %-52s %8.3f\n", "node Ed25519 ceiling / fastest packaged's",
            s_ed_ratio (r));
    printf ("  %-52s %8.3f / %.3f\n", "node sign, verify / fastest packaged's",
            r->sign_rate / fast->sign_rate,
            r->verify_rate / fast->verify_rate);
    printf ("  %-52s %8.1f %%\n", "concurrent throughput / ceiling",
            100.0 * r->conc.lat.rate / ceiling);
    printf ("  %-52s %8.2f x\n", "group commit: concurrent / sequential q/s",
            r->seq.lat.rate > 0 ? r->conc.lat.rate / r->seq.lat.rate : 0);
    if (nt->count) {
        printf ("  %-52s %8.1f x\n", "notice delivery p50 / query p50",
                r->seq.lat.p50_us > 0
                    ? nt->deliver.p50_us / r->seq.lat.p50_us : 0);
        printf ("  %-52s %8.1f\n",
                "fdatasync periods in a notice delivery p50 (3 commits)",
                nt->deliver.p50_us * r->fsync_rate / 1e6);
        printf ("  %-52s %8.3f (0.333: 3 unshared)\n",
                "delivered notices/s / fdatasync/s",
                r->fsync_rate > 0 ? nt->delivered_rate / r->fsync_rate : 0);
    }
    (void) o;
}

static void
s_json_lat (const char *name, const xb_lat_t *l, const char *tail)
{
    printf ("  \"%s\": {\"ok\": %zu, \"failed\": %zu, \"wall_s\": %.3f, "
            "\"p50_us\": %.1f, \"p99_us\": %.1f, \"max_us\": %.1f, "
            "\"per_s\": %.1f%s}",
            name, l->n, l->failed, l->wall_s, l->p50_us, l->p99_us,
            l->max_us, l->rate, tail);
}

/*  Escapes what could break a JSON string (error texts). */
static void
s_json_str (const char *s, char *out, size_t len)
{
    size_t j = 0;
    for (; *s && j + 7 < len; s++) {
        unsigned char ch = (unsigned char) *s;
        if (ch == '"' || ch == '\\')
            j += (size_t) snprintf (out + j, len - j, "\\%c", ch);
        else if (ch < 0x20)
            j += (size_t) snprintf (out + j, len - j, "\\u%04x", ch);
        else
            out[j++] = (char) ch;
    }
    out[j] = '\0';
}

static void
s_json_phase (const char *name, const s_phase_t *ph)
{
    char err[700], tail[1400];
    s_json_str (ph->first_error, err, sizeof err);
    snprintf (tail, sizeof tail,
              ", \"clients\": %d, \"offline_verified\": %zu, "
              "\"offline_sampled\": %zu, \"first_error\": \"%s\",\n"
              "    \"flushes_counted\": %s, \"flushes_per_query\": "
              "{\"residence\": %.3f, \"registration\": %.3f}, "
              "\"synced_commits_per_query\": {\"residence\": %.3f, "
              "\"registration\": %.3f},\n    \"cpu_us_per_query\": "
              "{\"residence\": %.1f, \"registration\": %.1f}, "
              "\"machine_busy_pct\": %.1f, \"machine_iowait_pct\": %.1f",
              ph->clients, ph->verified, ph->sampled, err,
              ph->cost.counted ? "true" : "false",
              ph->cost.flushes[XB_RES], ph->cost.flushes[XB_REG],
              ph->cost.commits[XB_RES], ph->cost.commits[XB_REG],
              ph->cost.cpu_us[XB_RES], ph->cost.cpu_us[XB_REG],
              ph->cost.busy_pct, ph->cost.iowait_pct);
    s_json_lat (name, &ph->lat, tail);
}

static void
s_json_notices (const s_report_t *r)
{
    const s_notices_t *nt = &r->nt;
    if (!nt->count) {
        printf ("  \"notices\": null,\n");
        return;
    }
    char err[700], tail[200];
    s_json_str (nt->first_error, err, sizeof err);
    printf ("  \"notices\": {\"per_phase\": %zu, \"wait_ms\": %d,\n",
            nt->count, S_NOTICE_WAIT_MS);
    snprintf (tail, sizeof tail, ", \"undelivered\": %zu", nt->undelivered);
    s_json_lat ("delivery", &nt->deliver, tail);
    printf (",\n");
    snprintf (tail, sizeof tail, ", \"clients\": %d", nt->clients);
    s_json_lat ("queueing", &nt->queue, tail);
    printf (",\n  \"drained\": %s, \"drain_s\": %.3f, "
            "\"delivered_per_s\": %.1f, \"backlog_peak\": %" PRIu64
            ", \"left_pending\": %" PRIu64 ", \"rejected\": %zu,\n"
            "  \"checked\": %zu, \"check_failed\": %zu, "
            "\"check_skipped\": %zu, \"first_error\": \"%s\"},\n",
            nt->drained ? "true" : "false", nt->drain_s, nt->delivered_rate,
            nt->max_pending, nt->left_pending, nt->rejected, nt->checked,
            nt->check_failed, nt->check_skipped, err);
    printf ("  \"ratio_notice_p50_to_query_p50\": %.2f,\n"
            "  \"ratio_delivered_per_s_to_fdatasync_per_s\": %.4f,\n",
            r->seq.lat.p50_us > 0 ? nt->deliver.p50_us / r->seq.lat.p50_us
                                  : 0,
            r->fsync_rate > 0 ? nt->delivered_rate / r->fsync_rate : 0);
}

static void
s_print_json (const s_opts_t *o, const s_report_t *r, const char *date)
{
    double ceiling = s_ceiling (r);
    printf ("{\n  \"version\": \"%s\", \"date\": \"%s\", \"cores\": %d, "
            "\"fs\": \"%s\",\n", XIECHA_VERSION, date, r->cores, r->fs_type);
    printf ("  \"ed25519_sign_per_s\": %.1f, \"ed25519_verify_per_s\": %.1f,"
            " \"fdatasync_per_s\": %.1f,\n"
            "  \"lmdb_commit_us\": %.1f, \"lmdb_commit_before_us\": %.1f, "
            "\"lmdb_commit_after_us\": %.1f, \"design_floor_us\": %.1f, "
            "\"floor_commits\": %d, \"loadavg\": %.2f,\n",
            r->sign_rate, r->verify_rate, r->fsync_rate, r->commit_us,
            r->commit_before_us, r->commit_after_us,
            s_floor_us (r), S_FLOOR_COMMITS, r->loadavg);
    printf ("  \"ed25519_library\": \"%s\", \"ed25519_packaged\": [",
            r->ed.node_library);
    for (int i = XB_ED_OPENSSL; i < XB_ED_COUNT; i++)
        printf ("%s{\"name\": \"%s\", \"sign_per_s\": %.1f, "
                "\"verify_per_s\": %.1f}", i > XB_ED_OPENSSL ? ", " : "",
                r->ed.impl[i].name, r->ed.impl[i].sign_rate,
                r->ed.impl[i].verify_rate);
    printf ("],\n  \"ed25519_fastest_packaged\": \"%s\", "
            "\"ed25519_identical\": %s,\n"
            "  \"ratio_node_ceiling_to_fastest_packaged\": %.4f,\n",
            r->ed.impl[r->ed.fastest].name,
            r->ed.identical ? "true" : "false", s_ed_ratio (r));
    s_json_lat ("zmq_plain", &r->zmq_plain, "");
    printf (",\n");
    s_json_lat ("zmq_curve", &r->zmq_curve, "");
    printf (",\n  \"roster_rows\": %zu, \"roster_subjects\": %" PRIu64
            ", \"import_s\": %.3f,\n",
            r->roster_rows, r->roster_subjects, r->import_s);
    s_json_phase ("query_sequential", &r->seq);
    printf (",\n");
    s_json_phase ("query_concurrent", &r->conc);
    printf (",\n  \"home_answered\": %" PRIu64 ", \"home_refused\": %" PRIu64
            ", \"residence_sent\": %" PRIu64 ", \"residence_refused\": %"
            PRIu64 ", \"clean_stop\": %s,\n",
            r->home_answered, r->home_refused, r->res_sent, r->res_refused,
            r->daemons_clean ? "true" : "false");
    s_json_notices (r);
    printf ("  \"ratio_query_p50_to_design_floor\": %.3f,\n",
            r->seq.lat.p50_us / s_floor_us (r));
    printf ("  \"ratio_query_p50_to_curve_rtt_p50\": %.2f,\n"
            "  \"signature_ceiling_per_s\": %.1f,\n"
            "  \"ceiling_fraction\": %.4f,\n"
            "  \"group_commit_speedup\": %.3f\n}\n",
            r->zmq_curve.p50_us > 0 ? r->seq.lat.p50_us / r->zmq_curve.p50_us
                                    : 0,
            ceiling, r->conc.lat.rate / ceiling,
            r->seq.lat.rate > 0 ? r->conc.lat.rate / r->seq.lat.rate : 0);
    (void) o;
}

/* ---- options ------------------------------------------------------------ */

static void
s_usage (FILE *f)
{
    fprintf (f,
"Usage: xiecha-bench [OPTIONS]\n"
"Measures verified xiecha queries and enrollment notices end to end on a\n"
"real two-node federation (two xiechad processes in a temporary directory)\n"
"next to the baselines that bound them: Ed25519 sign/verify, fdatasync,\n"
"and a raw ZeroMQ round trip with and without CURVE.  Progress goes to\n"
"stderr, the report to stdout.  Exit status 1 when anything failed (a\n"
"query, a notice, a daemon).\n\n"
"  --xiechad PATH     the daemon (default: $XIECHAD, else ../daemon/xiechad\n"
"                     next to this program in the build tree)\n"
"  --queries N        queries per phase, sequential and concurrent (2000)\n"
"  --clients K        concurrent clients, one thread each (8, max %d)\n"
"  --round-trips N    raw ZeroMQ round trips per variant (10000)\n"
"  --roster N         roster rows imported at the registration node (1000)\n"
"  --notices N        enrollment notices per notice phase, delivery latency\n"
"                     and outbox throughput (1000)\n"
"  --no-notices       skip the notice phases\n"
"  --seconds S        duration of each crypto and fsync baseline (1.0;\n"
"                     Ed25519: CPU seconds per operation and library)\n"
"  --tmpdir DIR       where the federation lives ($TMPDIR or /tmp)\n"
"  --quick            small counts for a smoke run\n"
"  --keep             keep the temporary directory (logs, data)\n"
"  --json             machine-readable report\n"
"  -h, --help         this text\n", S_MAX_CLIENTS);
}

static void
s_parse (int argc, char **argv, s_opts_t *o)
{
    static const struct option opts[] = {
        {"xiechad", 1, 0, 'x'}, {"queries", 1, 0, 'q'},
        {"clients", 1, 0, 'k'}, {"round-trips", 1, 0, 'r'},
        {"roster", 1, 0, 'R'}, {"seconds", 1, 0, 's'},
        {"notices", 1, 0, 'n'}, {"no-notices", 0, 0, 'N'},
        {"tmpdir", 1, 0, 't'}, {"quick", 0, 0, 'Q'}, {"keep", 0, 0, 'K'},
        {"json", 0, 0, 'j'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    const char *tmp = getenv ("TMPDIR");
    *o = (s_opts_t) {.xiechad = xt_default_xiechad (),
                     .tmpdir = tmp && *tmp ? tmp : "/tmp", .queries = 2000,
                     .clients = 8, .round_trips = 10000, .roster = 1000,
                     .notices = 1000, .crypto_s = 1.0};
    bool quick = false, no_notices = false;
    size_t queries = 0, round_trips = 0, notices = 0;
    int c;
    while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'x': o->xiechad = optarg; break;
        case 'q': queries = xb_count (optarg, "--queries", 1); break;
        case 'k': o->clients = (int) xb_count (optarg, "--clients", 1); break;
        case 'r': round_trips = xb_count (optarg, "--round-trips", 1); break;
        case 'R': o->roster = xb_count (optarg, "--roster", 1); break;
        case 'n': notices = xb_count (optarg, "--notices", 1); break;
        case 'N': no_notices = true; break;
        case 's': o->crypto_s = atof (optarg); break;
        case 't': o->tmpdir = optarg; break;
        case 'Q': quick = true; break;
        case 'K': o->keep = true; break;
        case 'j': o->json = true; break;
        case 'h': s_usage (stdout); exit (0);
        default: s_usage (stderr); exit (2);
        }
    }
    if (optind < argc) {
        s_usage (stderr);
        exit (2);
    }
    /* --quick sets small defaults; explicit counts still win. */
    if (quick) {
        o->queries = 200;
        o->round_trips = 1000;
        o->roster = o->roster == 1000 ? 100 : o->roster;
        o->crypto_s = 0.2;
        o->notices = 100;
    }
    o->queries = queries ? queries : o->queries;
    o->round_trips = round_trips ? round_trips : o->round_trips;
    o->notices = no_notices ? 0 : notices ? notices : o->notices;
    /* Enrollees come after every person the queries ask about. */
    if (o->notices
        && o->roster + S_WARMUP + 2 * o->queries + 2 * o->notices > S_IDS)
        xt_fail ("--roster, --queries and --notices: more people than the "
                 "%d distinct ID numbers made here", S_IDS);
    if (o->clients > S_MAX_CLIENTS)
        xt_fail ("--clients: at most %d", S_MAX_CLIENTS);
    if (!(o->crypto_s > 0 && o->crypto_s < 600))
        xt_fail ("--seconds: between 0 and 600");
    if (!o->xiechad || access (o->xiechad, X_OK) != 0)
        xt_fail ("xiechad not found: set XIECHAD or pass --xiechad PATH");
}

/* ---- main --------------------------------------------------------------- */

/*  Starts both nodes, imports the roster and warms the peer connection:
    the first query pays for the CURVE handshake, which is not what the
    phases measure. */
static void
s_fed_up (const s_opts_t *o, s_report_t *r)
{
    s_progress (o, "starting %s and %s from %s", S_RESIDENCE, S_HOME,
                o->xiechad);
    for (int i = 0; i < 2; i++)
        xb_probe_spawn ((size_t) i);
    for (int i = 0; i < 2; i++)
        xt_fed_wait (xb_fed, i);
    s_import (o, r);
    s_phase_t warm;
    memset (&warm, 0, sizeof warm);
    s_query_phase (o, 1, 0, S_WARMUP, &warm);
    if (warm.lat.n == 0) {
        for (int i = 0; i < 2; i++)
            xt_fed_log_tail (xb_fed, i, 20);
        xt_fail ("no warm-up query succeeded: %s", warm.first_error);
    }
}

/*  Counters, logs, then a clean stop: a daemon that does not exit 0 on
    SIGTERM is a finding too. */
static void
s_fed_down (const s_opts_t *o, s_report_t *r)
{
    (void) o;
    uint64_t unused = 0;
    s_node_counters (XB_REG, &r->home_answered, &unused, &r->home_refused);
    s_node_counters (XB_RES, &unused, &r->res_sent, &r->res_refused);
    size_t errors = 0, warnings = 0;
    for (int i = 0; i < 2; i++)
        xt_fed_log_scan (xb_fed, i, &errors, &warnings);
    if (errors || warnings)
        fprintf (stderr, "xiecha-bench: daemon logs: %zu error and %zu "
                 "warning lines\n", errors, warnings);
    r->loadavg = xb_loadavg ();
    r->daemons_clean = true;
    for (int i = 0; i < 2; i++)
        if (xt_fed_term (xb_fed, i) != 0) {
            r->daemons_clean = false;
            xt_fed_log_tail (xb_fed, i, 10);
        }
}

int
main (int argc, char **argv)
{
    /* Daemons and files go at exit and on signals, CZMQ's handler off. */
    xt_cleanup_install ();
    s_opts_t o;
    s_parse (argc, argv, &o);
    s_report_t r;
    memset (&r, 0, sizeof r);
    r.cores = (int) sysconf (_SC_NPROCESSORS_ONLN);

    s_bench_crypto (&o, &r);
    xb_fed_create (o.tmpdir, S_DEADLINE_MS, "", o.xiechad, o.keep);
    s_bench_fsync (&o, xb_fed->root, &r);
    s_bench_zmq (&o, false, &r.zmq_plain);
    s_bench_zmq (&o, true, &r.zmq_curve);

    s_fed_up (&o, &r);
    s_progress (&o, "%zu sequential queries", o.queries);
    s_bench_commit (&o, xb_fed->root, &r.commit_before_us);
    s_query_phase (&o, 1, S_WARMUP, o.queries, &r.seq);
    s_bench_commit (&o, xb_fed->root, &r.commit_after_us);
    r.commit_us = (r.commit_before_us + r.commit_after_us) / 2;
    s_progress (&o, "%zu queries from %d concurrent clients", o.queries,
                o.clients);
    s_query_phase (&o, o.clients, S_WARMUP + o.queries, o.queries, &r.conc);
    if (o.notices)
        s_notice_phases (&o, &r.nt);
    for (int i = 0; i < 2; i++)
        if (!xt_fed_alive (xb_fed, i))
            xt_fed_log_tail (xb_fed, i, 30);
    s_fed_down (&o, &r);

    char date[32];
    xc_time_iso (xc_now_ms (), date);
    if (o.json)
        s_print_json (&o, &r, date);
    else
        s_print_text (&o, &r, date);
    bool failed = r.seq.lat.failed || r.conc.lat.failed
                  || r.seq.verified != r.seq.sampled
                  || r.conc.verified != r.conc.sampled || !r.daemons_clean
                  || r.zmq_plain.failed || r.zmq_curve.failed
                  || s_notices_failed (&r.nt);
    return failed ? 1 : 0;
}
