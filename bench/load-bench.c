/*  load-bench.c - does a node go on answering queries while an auditor
    reads its whole audit log?

    Reports, monthly statistics, audit export pages, replay and proofs run
    in the daemon's back-office thread (daemon/worker.h) so that the
    reactor stays free for queries and notices.  This program measures
    what that buys, on one machine in one run:

      1. generates a residence node's history before the node starts: N
         audit entries written into 469021's own LMDB by the daemon's own
         modules (xc_node_new, then xc_query_client for each SENT
         query and xc_intake_answer for each RECEIVED certificate, which
         341002's key signs as its handlers would; a checkpoint by
         xc_audit_seal_append every --every entries; START first, a final
         checkpoint and STOP last, as xiechad's main does);
      2. starts both daemons and imports a roster at 341002;
      3. idle: sequential verified queries at 469021 (the baseline);
      4. export load: another client fetches the whole log back to back
         (xc_client_audit_export_to, every page, discarded) for at least
         --rounds exports and --queries answered queries, while the query
         client goes on; then idle again; then the same load with
         xc_client_audit_replay, and idle once more.  Each load phase is
         compared with the mean of the idle phases on either side, so a
         machine whose load drifts (others build here) tilts neither way;
      5. one more export, kept, checked offline with xc_auditfile_verify.

    A sampler thread watches 469021's LMDB map size meanwhile: the daemon
    grows its map only when no read transaction is open in the process
    (store.h), so a growth that falls into a back-office job holds the
    reactor until that job ends, and shows as one slow query.

    It prints query p50/p99 under each load against idle, the export and
    replay rates in entries/s, and the export's page times: the stall a
    query would see if a page ran on the reactor (bench/onloop.patch
    builds a daemon that does exactly that, to measure it).  Nothing here
    asserts on timing; the exit status is 1 when a query, an export, a
    replay, the offline check or a daemon failed. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <czmq.h>

#include "xiecha/xiecha.h"
#include "xiecha/auditfile.h"

#include "store/audit.h"
#include "decide/audit_seal.h"
#include "node/config.h"
#include "decide/intake.h"
#include "decide/query.h"
#include "node/node.h"

#include "common.h"

#define S_DEADLINE_MS 5000        /* limits/query_deadline_ms of the nodes */
#define S_QUERY_TIMEOUT_MS 15000  /* above the deadline: see its answer */
#define S_LOAD_TIMEOUT_MS 600000  /* one export page or one whole replay */
#define S_WARMUP 20               /* queries before timing: CURVE handshake */
#define S_ROSTER 1000             /* DIBAO rows imported at 341002 */
#define S_BATCH 4000              /* entries per write txn while generating */
#define S_MAX_ROUNDS 10000        /* a cap for very short logs */
#define S_MORE_S 30.0             /* rounds beyond --rounds: for this long */
#define S_SAMPLE_MS 10            /* map size sampling period */

enum { S_EXPORT = 0, S_REPLAY = 1, S_LOADS };
static const char *const s_load_name[S_LOADS] = {"export", "replay"};

/* ---- options and results ------------------------------------------------ */

typedef struct {
    const char *xiechad;   /* daemon binary */
    const char *tmpdir;    /* where the federation lives */
    size_t entries;        /* audit entries generated at 469021 */
    size_t every;          /* a checkpoint every this many entries */
    size_t queries;        /* per idle phase */
    size_t rounds;         /* exports (replays) per load phase */
    size_t page_entries;   /* limits/export_page_entries; 0: default */
    bool load_first;       /* no idle phase before the first load */
    bool load[S_LOADS];    /* which load phases run */
    bool verify;           /* check one export offline at the end */
    bool keep;
    bool json;
} s_opts_t;

/*  The machine while a phase ran: /proc/loadavg (1 min) at both ends. */
typedef struct {
    double before, after;
} s_loadavg_t;

/*  A change of 469021's LMDB map size, as the sampler saw it: at most
    S_SAMPLE_MS after the commit that needed it. */
typedef struct {
    double at;             /* s since the phase began */
    size_t from, to;       /* bytes */
} s_grow_t;

#define S_MAX_GROW 8

typedef struct {
    xb_lat_t lat;          /* answered queries */
    size_t failed;
    char first_error[320];
    s_loadavg_t la;
    double t0;             /* xb_now () when the phase began */
    double slow_at;        /* the slowest query began, s since t0 */
    s_grow_t grow[S_MAX_GROW];  /* map growths during the phase */
    size_t n_grow;
} s_qphase_t;

/*  One load phase: queries while the audit work runs. */
typedef struct {
    bool ran;
    int idle_before;       /* r->idle[] index of the idle phase just
                              before (-1: none, --load-first) */
    int idle_after;        /* and just after */
    s_qphase_t q;
    size_t rounds;         /* completed */
    double *round_s;       /* each round's time; [rounds] */
    double median_s;       /* of round_s */
    double total_s;        /* first request to last reply */
    uint64_t entries;      /* per round: the pinned log size / replayed */
    uint64_t bytes;        /* export: file bytes per round */
    size_t pages;          /* export: pages per round */
    xb_lat_t page;         /* export: client-side time of each page */
    uint64_t differences;  /* replay: live vs rebuilt index */
    bool failed;
    char error[320];
    size_t map_before, map_after;    /* LMDB map of 469021, bytes */
    size_t file_before, file_after;  /* its data.mdb, bytes */
} s_lphase_t;

typedef struct {
    int cores;
    uint64_t entries;      /* in the log when the node started */
    uint64_t pairs, checkpoints;
    double gen_s;
    size_t data_bytes;     /* data.mdb after generation */
    size_t map_gen;        /* 469021's map after generation */
    size_t map_started;    /* and once the daemon started, before warm-up */
    size_t map_warm;       /* and after the warm-up queries */
    s_qphase_t idle[S_LOADS + 1];  /* before, between and after the loads */
    int n_idle;                    /* idle phases that ran */
    s_lphase_t load[S_LOADS];
    double fsync_rate[2];          /* fdatasync/s at the start and end */
    bool verified;         /* the final export checked offline */
    double verify_fetch_s, verify_s;
    uint64_t verify_entries;
    char verify_error[320];
    bool daemons_clean;
    size_t log_errors, log_warnings;
} s_report_t;

/* ---- small helpers ------------------------------------------------------ */

static double
s_div (double a, double b)
{
    return b > 0 ? a / b : 0;
}

/*  The map size and file size of a node's environment, read from another
    process as LMDB allows (read-only, no lock taken for long).  Tells
    whether the node had to grow its map during a phase: growing waits
    until the back office has ended its read transaction. */
static void
s_env_size (const xt_node_t *n, size_t *map, size_t *file)
{
    char dir[PATH_MAX + 16], path[PATH_MAX + 32];
    snprintf (dir, sizeof dir, "%s/data", n->dir);
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    struct stat st;
    *file = stat (path, &st) == 0 ? (size_t) st.st_size : 0;
    *map = 0;
    MDB_env *env = NULL;
    MDB_envinfo info;
    if (mdb_env_create (&env) == 0 && mdb_env_set_maxdbs (env, 16) == 0
        && mdb_env_open (env, dir, MDB_RDONLY | MDB_NOTLS, 0600) == 0
        && mdb_env_info (env, &info) == 0)
        *map = info.me_mapsize;
    if (env)
        mdb_env_close (env);
}

/* ---- 1. the node's history ---------------------------------------------- */

typedef struct {
    xc_node_t *res;        /* 469021, store open */
    xc_node_t *reg;        /* 341002: its keys seal the certificates */
    size_t target;         /* entries wanted */
    size_t every;
    uint64_t person;       /* next applicant number */
    uint64_t pairs, checkpoints;  /* committed */
    char why[400];
} s_gen_t;

/*  The certificate 341002's handlers would issue (handlers.c s_issue)
    for a query about people it has no enrollments for: one
    NOT_RECEIVING result per subject, bound to the query. */
static int
s_gen_cert (s_gen_t *g, const xc_pending_t *p, uint64_t now, uint8_t **cert,
            size_t *cert_len)
{
    static Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO,
                                         XIECHA__PROGRAM__TEKUN};
    Xiecha__SubjectResult res[XC_MAX_HOUSEHOLD];
    Xiecha__SubjectResult *ptrs[XC_MAX_HOUSEHOLD];
    if (p->ref_count > XC_MAX_HOUSEHOLD)   /* it asks about one person */
        return XC_EINVAL;
    for (size_t i = 0; i < p->ref_count; i++) {
        xiecha__subject_result__init (&res[i]);
        res[i].subject = (ProtobufCBinaryData) {XC_REF_LEN,
                                                (uint8_t *) p->refs[i]};
        res[i].status = XIECHA__STATUS__NOT_RECEIVING;
        ptrs[i] = &res[i];
    }
    ProtobufCBinaryData qid = {XC_MSGID_LEN, (uint8_t *) p->msg_id};
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = qid;
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN,
                                            (uint8_t *) p->digest};
    c.requester = (char *) XB_RESIDENCE;
    c.n_results = p->ref_count;
    c.results = ptrs;
    c.n_programs = 2;
    c.programs = programs;
    c.issued_at = now;
    c.valid_until = now + 86400000ULL;
    c.relation = p->relation;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &c;
    return xc_node_seal (g->reg, &msg, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                           XB_RESIDENCE, &qid, now, cert, cert_len);
}

/*  One query as 469021's transport handles it: the client's request
    (SENT query), then 341002's certificate (RECEIVED). */
static int
s_gen_pair (s_gen_t *g, MDB_txn *txn, uint64_t now)
{
    static Xiecha__Program programs[] = {XIECHA__PROGRAM__DIBAO,
                                         XIECHA__PROGRAM__TEKUN};
    char id[XC_ID_LEN + 1];
    xt_id_make (XB_HOME, S_ROSTER + g->person++ % (XT_IDS - S_ROSTER), id);
    Xiecha__Person a = XIECHA__PERSON__INIT;
    a.id_number = id;
    a.name = "张三";
    a.name = (char *) "Applicant";
    Xiecha__QueryRequest req = XIECHA__QUERY_REQUEST__INIT;
    req.home_county = (char *) XB_HOME;
    req.applicant = &a;
    req.n_programs = 2;
    req.programs = programs;
    xc_pending_t p;
    uint8_t *local = NULL, *cert = NULL;
    size_t local_len = 0, cert_len = 0;
    xc_outcome_t out = {0};
    int rc = xc_query_client (g->res, txn, &req, now, &p, &local,
                                     &local_len, &out);
    if (rc == 0 && out.code)
        rc = xc_why (g->why, sizeof g->why, out.code, "query: %s", out.why);
    if (rc == 0)
        rc = s_gen_cert (g, &p, now, &cert, &cert_len);
    xc_opened_t op = {0};
    if (rc == 0)
        rc = xc_envelope_open (cert, cert_len, &op, g->why, sizeof g->why);
    if (rc == 0)
        rc = xc_intake_answer (g->res, txn, cert, cert_len, NULL, &op, &p, now,
                               &out, &(int) {0});
    if (rc == 0 && out.code)
        rc = xc_why (g->why, sizeof g->why, out.code, "certificate: %s",
                     out.why);
    xc_opened_free (&op);
    free (cert);
    free (local);
    xc_pending_free (&p);
    return rc;
}

/*  Write fn: appends about S_BATCH entries.  A retry after a map
    doubling starts again from the committed counts (g->pairs and
    g->checkpoints only move after a commit, in s_generate). */
typedef struct {
    s_gen_t *g;
    uint64_t pairs, checkpoints;   /* this batch */
    bool last;                     /* end like a clean shutdown */
} s_batch_t;

static int
s_gen_batch (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    s_gen_t *g = b->g;
    b->pairs = b->checkpoints = 0;
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (g->res->store, txn, &n, head);
    uint64_t stop = n + S_BATCH;
    if (rc == 0 && n == 1)   /* only the entry of --init: start it */
        rc = xc_audit_append (g->res->store, txn, XC_AUDIT_START, NULL,
                              xc_now_ms (), "xiechad " XIECHA_VERSION
                              " started", NULL, 0, NULL);
    //  Two below the target: the final checkpoint and STOP make it.
    while (rc == 0 && n + 2 < g->target && n < stop) {
        uint64_t now = xc_now_ms ();
        if (g->every
            && n + 1 >= (g->checkpoints + b->checkpoints + 1) * g->every) {
            int appended = 0;
            rc = xc_audit_seal_append (g->res, txn, now, 1, &appended);
            b->checkpoints += (uint64_t) appended;
        }
        else {
            rc = s_gen_pair (g, txn, now);
            b->pairs++;
        }
        if (rc == 0)
            rc = xc_audit_head (g->res->store, txn, &n, head);
    }
    b->last = n + 2 >= g->target;
    if (rc == 0 && b->last) {
        rc = xc_audit_seal_append (g->res, txn, xc_now_ms (), 0, NULL);
        b->checkpoints++;
    }
    if (rc == 0 && b->last)
        rc = xc_audit_append (g->res->store, txn, XC_AUDIT_STOP, NULL,
                              xc_now_ms (), "xiechad stopped", NULL, 0, NULL);
    return rc;
}

/*  A node as xiechad --init makes it, its new store open (the daemon
    started later serves from it). */
static xc_node_t *
s_open_node (const xt_node_t *n)
{
    xc_config_t cfg;
    char why[512] = "";
    if (xc_config_load (n->config, &cfg, why, sizeof why) != 0)
        xt_fail ("%s", why);
    xc_node_t *node = xc_node_new (&cfg, XC_NODE_INIT, why, sizeof why);
    if (!node)
        xt_fail ("node %s: %s", n->code, why);
    return node;
}

static void
s_generate (const s_opts_t *o, s_report_t *r)
{
    xb_progress ("writing %zu audit entries into %s's store", o->entries,
                 XB_RESIDENCE);
    s_gen_t g = {.res = s_open_node (&xb_fed->nodes[XB_RES]),
                 .reg = s_open_node (&xb_fed->nodes[XB_REG]),
                 .target = o->entries, .every = o->every};
    double t0 = xb_now ();
    size_t next_progress = 100000;
    for (bool last = false; !last;) {
        s_batch_t b = {.g = &g};
        int rc = xc_store_write (g.res->store, s_gen_batch, &b);
        if (rc)
            xt_fail ("generating the log: %s (%s)", xc_strerror (rc), g.why);
        g.pairs += b.pairs;
        g.checkpoints += b.checkpoints;
        last = b.last;
        if (2 * g.pairs >= next_progress) {
            xb_progress ("  %" PRIu64 " entries, %.1f s", 2 * g.pairs,
                         xb_now () - t0);
            next_progress += 100000;
        }
    }
    r->gen_s = xb_now () - t0;
    MDB_txn *txn = NULL;
    uint8_t head[32];
    if (xc_store_read (g.res->store, &txn) != 0
        || xc_audit_head (g.res->store, txn, &r->entries, head) != 0)
        xt_fail ("cannot read the generated log's head");
    mdb_txn_abort (txn);
    r->pairs = g.pairs;
    r->checkpoints = g.checkpoints;
    xc_node_destroy (&g.res);
    xc_node_destroy (&g.reg);
    s_env_size (&xb_fed->nodes[XB_RES], &r->map_gen, &r->data_bytes);
}

/* ---- the map sampler ---------------------------------------------------- */

/*  Polls 469021's map size while a phase runs.  The daemon grows its map
    (xc_store_write, on MDB_MAP_FULL) only once no read transaction is
    open in the process: a growth that falls into a back-office job
    holds the reactor until the job's read transaction ends. */
typedef struct {
    s_qphase_t *ph;
    atomic_bool stop;
    pthread_t tid;
} s_sampler_t;

static void *
s_sampler_run (void *arg)
{
    s_sampler_t *sm = arg;
    size_t map, file, last;
    s_env_size (&xb_fed->nodes[XB_RES], &last, &file);
    while (!atomic_load (&sm->stop)) {
        usleep (S_SAMPLE_MS * 1000);
        s_env_size (&xb_fed->nodes[XB_RES], &map, &file);
        if (map && last && map != last && sm->ph->n_grow < S_MAX_GROW)
            sm->ph->grow[sm->ph->n_grow++] = (s_grow_t) {
                xb_now () - sm->ph->t0, last, map};
        last = map ? map : last;
    }
    return NULL;
}

static void
s_sampler_start (s_sampler_t *sm, s_qphase_t *ph)
{
    sm->ph = ph;
    atomic_init (&sm->stop, false);
    if (pthread_create (&sm->tid, NULL, s_sampler_run, sm) != 0)
        xt_fail ("pthread_create failed");
}

static void
s_sampler_stop (s_sampler_t *sm)
{
    atomic_store (&sm->stop, true);
    pthread_join (sm->tid, NULL);
}

/* ---- queries ------------------------------------------------------------ */

/*  Runs sequential queries at 469021 until count are done, or, with
    stop, until *stop is set.  Query i asks about a roster member when
    even (RECEIVING) and someone never enrolled when odd. */
typedef struct {
    size_t first, count;   /* count: at most this many */
    atomic_bool *stop;     /* NULL: run count queries */
    atomic_size_t *answered;  /* NULL, or counts answered queries */
    double *lat;           /* µs per answered query; grows */
    size_t ok, cap;
    double slow_us;        /* the slowest so far */
    s_qphase_t *ph;
    double t0, t1;
} s_qrun_t;

static void
s_qfail (s_qrun_t *q, size_t i, int rc, const char *why)
{
    if (q->ph->failed++ == 0)
        snprintf (q->ph->first_error, sizeof q->ph->first_error,
                  "query %zu: %s: %s", i, xc_strerror (rc), why);
}

static void
s_query_one (s_qrun_t *q, xc_client_t *c, size_t i)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO,
                                   XIECHA__PROGRAM__TEKUN};
    char id[XC_ID_LEN + 1], why[256] = "";
    bool member = i % 2 == 0;
    xt_id_make (XB_HOME, member ? i / 2 % S_ROSTER : S_ROSTER + i, id);
    xc_query_t query = {.home_county = XB_HOME,
                        .applicant = {.id_number = id, .name = "Applicant"},
                        .programs = programs, .program_count = 2};
    xc_answer_t a;
    memset (&a, 0, sizeof a);
    double t0 = xb_now ();
    int rc = xc_client_query (c, &query, &a, why, sizeof why);
    double us = (xb_now () - t0) * 1e6;
    int want = member ? XIECHA__STATUS__RECEIVING
                      : XIECHA__STATUS__NOT_RECEIVING;
    if (rc == 0 && (!a.cert || a.cert->n_results != 1
                    || (int) a.cert->results[0]->status != want)) {
        rc = XC_EMALFORMED;
        snprintf (why, sizeof why, "not the certificate expected");
    }
    if (rc)
        s_qfail (q, i, rc, why);
    else {
        if (q->ok == q->cap) {
            q->cap = q->cap ? 2 * q->cap : 1024;
            q->lat = realloc (q->lat, q->cap * sizeof *q->lat);
            if (!q->lat)
                xt_fail ("out of memory");
        }
        if (q->ok == 0 || us > q->slow_us) {
            q->slow_us = us;
            q->ph->slow_at = t0 - q->ph->t0;
        }
        q->lat[q->ok++] = us;
        if (q->answered)
            atomic_fetch_add (q->answered, 1);
    }
    xc_answer_free (&a);
}

static void *
s_query_run (void *arg)
{
    s_qrun_t *q = arg;
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, S_QUERY_TIMEOUT_MS);
    q->t0 = xb_now ();
    for (size_t i = q->first; i < q->first + q->count; i++) {
        if (q->stop && atomic_load (q->stop))
            break;
        s_query_one (q, c, i);
    }
    q->t1 = xb_now ();
    xc_client_destroy (&c);
    return NULL;
}

static void
s_qrun_done (s_qrun_t *q)
{
    xb_lat_fill (&q->ph->lat, q->lat, q->ok, q->t1 - q->t0);
    free (q->lat);
}

static void
s_idle (const s_opts_t *o, size_t first, s_qphase_t *ph)
{
    xb_progress ("%zu sequential queries, no audit work", o->queries);
    ph->la.before = xb_loadavg ();
    ph->t0 = xb_now ();
    s_sampler_t sm;
    s_sampler_start (&sm, ph);
    s_qrun_t q = {.first = first, .count = o->queries, .ph = ph};
    s_query_run (&q);
    s_qrun_done (&q);
    s_sampler_stop (&sm);
    ph->la.after = xb_loadavg ();
}

/* ---- audit load --------------------------------------------------------- */

typedef struct {
    const s_opts_t *o;
    int kind;
    s_lphase_t *ph;
    atomic_bool started;   /* the first request is about to go */
    atomic_bool done;
    atomic_size_t answered;  /* queries answered meanwhile */
    double last;           /* xb_now () of the last request or page */
    double *page_us;       /* client-side time of each page */
    size_t n_pages, cap_pages;
    uint64_t bytes;
} s_load_t;

/*  Export sink: the page is counted and dropped.  The time since the
    previous page (or the request of the first) is what the back office,
    the transfer and this client took for it. */
static int
s_export_sink (const uint8_t *chunk, size_t len, uint64_t done,
               uint64_t total, void *arg)
{
    s_load_t *l = arg;
    double now = xb_now ();
    if (l->n_pages == l->cap_pages) {
        l->cap_pages = l->cap_pages ? 2 * l->cap_pages : 256;
        l->page_us = realloc (l->page_us, l->cap_pages * sizeof *l->page_us);
        if (!l->page_us)
            return XC_ENOMEM;
    }
    l->page_us[l->n_pages++] = (now - l->last) * 1e6;
    l->last = now;
    l->bytes += len;
    l->ph->entries = total;
    return 0;
}

static int
s_load_round (s_load_t *l, xc_client_t *c, char *why, size_t why_len)
{
    s_lphase_t *ph = l->ph;
    if (l->kind == S_EXPORT) {
        uint64_t bytes = l->bytes;
        size_t pages = l->n_pages;
        int rc = xc_client_audit_export_to (c, 0, 0, s_export_sink, l, why,
                                            why_len);
        ph->bytes = l->bytes - bytes;
        ph->pages = l->n_pages - pages;
        return rc;
    }
    Xiecha__AuditReplayReply *rep = NULL;
    int rc = xc_client_audit_replay (c, &rep, why, why_len);
    if (rc == 0) {
        ph->entries = rep->entries;
        ph->differences = rep->differences;
    }
    if (rep)
        xiecha__audit_replay_reply__free_unpacked (rep, NULL);
    return rc;
}

static void *
s_load_run (void *arg)
{
    s_load_t *l = arg;
    s_lphase_t *ph = l->ph;
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, S_LOAD_TIMEOUT_MS);
    char why[256] = "";
    double t0 = xb_now ();
    atomic_store (&l->started, true);
    //  At least --rounds, and on until --queries were answered meanwhile,
    //  so a short log still gives as many latency samples as idle; but
    //  not for ever when queries crawl (a daemon built with onloop.patch).
    for (size_t r = 0; !ph->failed && r < S_MAX_ROUNDS
                       && (r < l->o->rounds
                           || (atomic_load (&l->answered) < l->o->queries
                               && xb_now () - t0 < S_MORE_S));
         r++) {
        double start = l->last = xb_now ();
        int rc = s_load_round (l, c, why, sizeof why);
        if (rc) {
            ph->failed = true;
            snprintf (ph->error, sizeof ph->error, "%s round %zu: %s: %s",
                      s_load_name[l->kind], r + 1, xc_strerror (rc), why);
            break;
        }
        double *grown = realloc (ph->round_s,
                                 (ph->rounds + 1) * sizeof *grown);
        if (!grown)
            xt_fail ("out of memory");
        ph->round_s = grown;
        ph->round_s[ph->rounds++] = xb_now () - start;
    }
    ph->total_s = xb_now () - t0;
    atomic_store (&l->done, true);
    xc_client_destroy (&c);
    return NULL;
}

/*  Queries from first on, for as long as the load thread works. */
static void
s_load_phase (const s_opts_t *o, int kind, size_t first, s_lphase_t *ph)
{
    xb_progress ("queries while %zu %s%s of the whole log run back to back",
                 o->rounds, s_load_name[kind], o->rounds == 1 ? "" : "s");
    ph->ran = true;
    ph->q.la.before = xb_loadavg ();
    s_env_size (&xb_fed->nodes[XB_RES], &ph->map_before, &ph->file_before);
    s_load_t l = {.o = o, .kind = kind, .ph = ph};
    atomic_init (&l.started, false);
    atomic_init (&l.done, false);
    atomic_init (&l.answered, 0);
    s_qrun_t q = {.first = first, .count = SIZE_MAX - first,
                  .stop = &l.done, .answered = &l.answered, .ph = &ph->q};
    ph->q.t0 = xb_now ();
    s_sampler_t sm;
    s_sampler_start (&sm, &ph->q);
    pthread_t tid;
    if (pthread_create (&tid, NULL, s_load_run, &l) != 0)
        xt_fail ("pthread_create failed");
    while (!atomic_load (&l.started))
        usleep (100);
    s_query_run (&q);
    pthread_join (tid, NULL);
    s_qrun_done (&q);
    s_sampler_stop (&sm);
    xb_lat_fill (&ph->page, l.page_us, l.n_pages, ph->total_s);
    if (ph->rounds) {
        //  The median round, from a sorted copy (round_s keeps its order).
        double *v = malloc (ph->rounds * sizeof *v);
        xb_lat_t m;
        if (!v)
            xt_fail ("out of memory");
        memcpy (v, ph->round_s, ph->rounds * sizeof *v);
        xb_lat_fill (&m, v, ph->rounds, 0);
        ph->median_s = m.p50_us;
        free (v);
    }
    free (l.page_us);
    s_env_size (&xb_fed->nodes[XB_RES], &ph->map_after, &ph->file_after);
    ph->q.la.after = xb_loadavg ();
}

/* ---- 5. one export, checked offline ------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t len, cap;
} s_buf_t;

static int
s_keep_sink (const uint8_t *chunk, size_t len, uint64_t done, uint64_t total,
             void *arg)
{
    s_buf_t *b = arg;
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 20;
        while (cap < b->len + len)
            cap *= 2;
        uint8_t *p = realloc (b->data, cap);
        if (!p)
            return XC_ENOMEM;
        b->data = p;
        b->cap = cap;
    }
    memcpy (b->data + b->len, chunk, len);
    b->len += len;
    return 0;
}

static void
s_verify_export (s_report_t *r)
{
    xb_progress ("one more export, checked offline with the trust list");
    xc_client_t *c = xt_fed_client_ms (xb_fed, XB_RES, S_LOAD_TIMEOUT_MS);
    s_buf_t b = {0};
    char why[256] = "";
    double t0 = xb_now ();
    int rc = xc_client_audit_export_to (c, 0, 0, s_keep_sink, &b, why,
                                        sizeof why);
    r->verify_fetch_s = xb_now () - t0;
    xc_client_destroy (&c);
    xc_trust_t *trust = rc ? NULL : xc_trust_load (xb_fed->trust, why,
                                                   sizeof why);
    if (rc || !trust) {
        snprintf (r->verify_error, sizeof r->verify_error, "%s", why);
        free (b.data);
        return;
    }
    xc_auditfile_report_t rep;
    memset (&rep, 0, sizeof rep);
    t0 = xb_now ();
    rc = xc_auditfile_verify (b.data, b.len, trust, &rep);
    r->verify_s = xb_now () - t0;
    r->verify_entries = rep.entries;
    r->verified = rc == 0;
    if (rc)
        snprintf (r->verify_error, sizeof r->verify_error, "%s", rep.why);
    xc_trust_destroy (&trust);
    free (b.data);
}

/* ---- the report --------------------------------------------------------- */

/*  The idle phases just before and after a load phase, averaged, so
    that a machine whose load drifts during the run (others build here
    too) does not tilt the ratio one way. */
static double
s_idle_ref (const s_report_t *r, const s_lphase_t *ph, bool p99)
{
    const s_qphase_t *b = &r->idle[ph->idle_after];
    const s_qphase_t *a = ph->idle_before >= 0 ? &r->idle[ph->idle_before]
                                               : b;
    return p99 ? (a->lat.p99_us + b->lat.p99_us) / 2
               : (a->lat.p50_us + b->lat.p50_us) / 2;
}

static void
s_text_q (const char *what, const s_qphase_t *q)
{
    printf ("  %-24s p50 %7.0f us  p99 %7.0f us  max %7.0f us  %5.0f q/s  "
            "(%zu ok, %zu failed)  load %.2f-%.2f\n",
            what, q->lat.p50_us, q->lat.p99_us, q->lat.max_us, q->lat.rate,
            q->lat.n, q->failed, q->la.before, q->la.after);
    if (q->first_error[0])
        printf ("    first failure: %s\n", q->first_error);
    if (q->n_grow == 0)
        return;
    printf ("    slowest query from +%.2f s to +%.2f s; map grown", q->slow_at,
            q->slow_at + q->lat.max_us / 1e6);
    for (size_t i = 0; i < q->n_grow; i++)
        printf ("%s %.0f -> %.0f MiB (seen +%.2f s)", i ? "," : "",
                q->grow[i].from / 1048576.0, q->grow[i].to / 1048576.0,
                q->grow[i].at);
    printf ("\n");
}

static void
s_text_load (const s_report_t *r, int kind)
{
    const s_lphase_t *ph = &r->load[kind];
    printf ("under %s load: %zu %s%s of %" PRIu64 " entries, back to back\n",
            s_load_name[kind], ph->rounds, s_load_name[kind],
            ph->rounds == 1 ? "" : "s", ph->entries);
    s_text_q ("queries meanwhile", &ph->q);
    printf ("  %-24s p50 %.2fx  p99 %.2fx\n", "against idle around it",
            s_div (ph->q.lat.p50_us, s_idle_ref (r, ph, false)),
            s_div (ph->q.lat.p99_us, s_idle_ref (r, ph, true)));
    printf ("  %-24s", s_load_name[kind]);
    for (size_t i = 0; i < ph->rounds && i < 8; i++)
        printf (" %.2f", ph->round_s[i]);
    printf ("%s s; median %.2f s = %.0f entries/s\n",
            ph->rounds > 8 ? " ..." : "", ph->median_s,
            s_div ((double) ph->entries, ph->median_s));
    if (kind == S_EXPORT && ph->rounds)
        printf ("  %-24s %.1f MB in %zu pages; page p50 %.0f ms, p99 %.0f "
                "ms, max %.0f ms\n", "each export",
                (double) ph->bytes / 1e6, ph->pages, ph->page.p50_us / 1e3,
                ph->page.p99_us / 1e3, ph->page.max_us / 1e3);
    if (kind == S_REPLAY)
        printf ("  %-24s %" PRIu64 "\n", "index differences",
                ph->differences);
    printf ("  %-24s map %.0f -> %.0f MiB, data.mdb %.0f -> %.0f MiB\n",
            "469021 store", ph->map_before / 1048576.0,
            ph->map_after / 1048576.0, ph->file_before / 1048576.0,
            ph->file_after / 1048576.0);
    if (ph->failed)
        printf ("  FAILED: %s\n", ph->error);
}

static void
s_print_text (const s_opts_t *o, const s_report_t *r, const char *date)
{
    printf ("xiecha-load-bench  %s  (%d cores)\n", date, r->cores);
    printf ("log of %s: %" PRIu64 " entries (%" PRIu64 " queries, %" PRIu64
            " checkpoints), %.0f MiB data.mdb, written in %.1f s "
            "(%.0f entries/s)\n",
            XB_RESIDENCE, r->entries, r->pairs, r->checkpoints,
            r->data_bytes / 1048576.0, r->gen_s,
            s_div ((double) r->entries, r->gen_s));
    printf ("469021's LMDB map (as its meta page says): %.0f MiB after "
            "writing the log, %.0f MiB once started", r->map_gen / 1048576.0,
            r->map_started / 1048576.0);
    if (o->load_first)
        printf ("; no warm-up (--load-first)\n");
    else
        printf (", %.0f MiB after %d warm-up queries\n",
                r->map_warm / 1048576.0, S_WARMUP);
    printf ("fdatasync in the federation's directory: %.0f /s at the start, "
            "%.0f /s at the end\n", r->fsync_rate[0], r->fsync_rate[1]);
    printf ("sequential verified queries at %s, one client\n", XB_RESIDENCE);
    for (int i = 0; i < r->n_idle; i++) {
        char name[32];
        snprintf (name, sizeof name, "idle %d", i + 1);
        s_text_q (name, &r->idle[i]);
    }
    for (int k = 0; k < S_LOADS; k++)
        if (r->load[k].ran)
            s_text_load (r, k);
    const s_lphase_t *e = &r->load[S_EXPORT];
    if (e->ran && e->rounds) {
        printf ("if the export ran on the reactor (estimates, not "
                "measured here):\n");
        printf ("  %-24s %.0f ms (the longest page)\n",
                "paged: a query waits up to", e->page.max_us / 1e3);
        printf ("  %-24s %.2f s (one whole export, median)\n",
                "unpaged: it waits up to", e->median_s);
    }
    if (o->verify)
        printf ("offline check of one export: %s, %" PRIu64 " entries, "
                "fetched in %.2f s, verified in %.2f s%s%s\n",
                r->verified ? "ok" : "FAILED", r->verify_entries,
                r->verify_fetch_s, r->verify_s, r->verify_error[0] ? ": " : "",
                r->verify_error);
    printf ("daemons: %s; their logs: %zu error and %zu warning lines\n",
            r->daemons_clean ? "both exited 0 on SIGTERM"
                             : "NOT both exited 0 on SIGTERM",
            r->log_errors, r->log_warnings);
}

static void
s_json_q (const char *name, const s_qphase_t *q, const char *tail)
{
    printf ("\"%s\": {\"ok\": %zu, \"failed\": %zu, \"p50_us\": %.1f, "
            "\"p99_us\": %.1f, \"max_us\": %.1f, \"q_per_s\": %.1f, "
            "\"loadavg\": [%.2f, %.2f], \"slowest_at_s\": %.3f, "
            "\"map_growths\": [",
            name, q->lat.n, q->failed, q->lat.p50_us, q->lat.p99_us,
            q->lat.max_us, q->lat.rate, q->la.before, q->la.after,
            q->slow_at);
    for (size_t i = 0; i < q->n_grow; i++)
        printf ("%s{\"seen_at_s\": %.3f, \"from\": %zu, \"to\": %zu}",
                i ? ", " : "", q->grow[i].at, q->grow[i].from, q->grow[i].to);
    printf ("]}%s", tail);
}

static void
s_json_load (const s_report_t *r, int kind)
{
    const s_lphase_t *ph = &r->load[kind];
    printf (" \"%s\": {\"rounds_s\": [", s_load_name[kind]);
    for (size_t i = 0; i < ph->rounds; i++)
        printf ("%s%.3f", i ? ", " : "", ph->round_s[i]);
    printf ("], \"median_s\": %.3f, \"entries\": %" PRIu64
            ", \"entries_per_s\": %.0f, \"failed\": %s,\n", ph->median_s,
            ph->entries, s_div ((double) ph->entries, ph->median_s),
            ph->failed ? "true" : "false");
    if (kind == S_EXPORT)
        printf ("   \"bytes\": %" PRIu64 ", \"pages\": %zu, "
                "\"page_p50_us\": %.0f, \"page_p99_us\": %.0f, "
                "\"page_max_us\": %.0f,\n", ph->bytes, ph->pages,
                ph->page.p50_us, ph->page.p99_us, ph->page.max_us);
    else
        printf ("   \"differences\": %" PRIu64 ",\n", ph->differences);
    printf ("   \"map_bytes\": [%zu, %zu], \"data_mdb_bytes\": [%zu, %zu],\n",
            ph->map_before, ph->map_after, ph->file_before, ph->file_after);
    printf ("   \"ratio_p50_to_idle\": %.3f, \"ratio_p99_to_idle\": %.3f,\n   ",
            s_div (ph->q.lat.p50_us, s_idle_ref (r, ph, false)),
            s_div (ph->q.lat.p99_us, s_idle_ref (r, ph, true)));
    s_json_q ("queries", &ph->q, "},\n");
}

static void
s_print_json (const s_opts_t *o, const s_report_t *r, const char *date)
{
    printf ("{\"date\": \"%s\", \"cores\": %d,\n", date, r->cores);
    printf (" \"log\": {\"entries\": %" PRIu64 ", \"queries\": %" PRIu64
            ", \"checkpoints\": %" PRIu64 ", \"data_mdb_bytes\": %zu, "
            "\"generate_s\": %.3f, \"map_bytes\": [%zu, %zu, %zu]},\n",
            r->entries, r->pairs, r->checkpoints, r->data_bytes, r->gen_s,
            r->map_gen, r->map_started, r->map_warm);
    printf (" \"fdatasync_per_s\": [%.0f, %.0f],\n", r->fsync_rate[0],
            r->fsync_rate[1]);
    printf (" \"idle\": [");
    for (int i = 0; i < r->n_idle; i++) {
        printf ("%s{", i ? ",\n   " : "");
        s_json_q ("queries", &r->idle[i], "}");
    }
    printf ("],\n");
    for (int k = 0; k < S_LOADS; k++)
        if (r->load[k].ran)
            s_json_load (r, k);
    if (o->verify)
        printf (" \"verify\": {\"ok\": %s, \"entries\": %" PRIu64
                ", \"fetch_s\": %.3f, \"verify_s\": %.3f},\n",
                r->verified ? "true" : "false", r->verify_entries,
                r->verify_fetch_s, r->verify_s);
    printf (" \"daemons_clean\": %s}\n", r->daemons_clean ? "true" : "false");
}

/* ---- options ------------------------------------------------------------ */

static void
s_usage (FILE *f)
{
    fprintf (f,
"Usage: xiecha-load-bench [OPTIONS]\n"
"Measures query latency at a node while its whole audit log is exported or\n"
"replayed, against the same node idle, on a real two-node federation.\n"
"Progress goes to stderr, the report to stdout.\n\n"
"  --xiechad PATH     the daemon (default: $XIECHAD, else ../daemon/xiechad\n"
"                     next to this program in the build tree)\n"
"  --entries N        audit entries written at 469021 before it starts\n"
"                     (200000; 1000000 for the big run)\n"
"  --every N          a signed checkpoint every N entries (10000)\n"
"  --queries N        queries per idle phase (1000)\n"
"  --rounds N         at least N exports (replays) per load phase, back to\n"
"                     back, and more, for up to 30 s, until --queries\n"
"                     were answered meanwhile (3)\n"
"  --only LOAD        export or replay: run only that load phase\n"
"  --page-entries N   limits/export_page_entries of the nodes (default:\n"
"                     the daemon's)\n"
"  --load-first       no warm-up and no idle phase before the first load:\n"
"                     it starts while 469021's LMDB map is as tight as a\n"
"                     restart leaves it\n"
"  --no-verify        skip the final export's offline check\n"
"  --tmpdir DIR       where the federation lives ($TMPDIR or /tmp)\n"
"  --quick            10000 entries, 150 queries, 1 round\n"
"  --keep             keep the temporary directory (logs, data)\n"
"  --json             machine-readable report\n"
"  -h, --help         this text\n");
}

static void
s_parse (int argc, char **argv, s_opts_t *o)
{
    static const struct option opts[] = {
        {"xiechad", 1, 0, 'x'}, {"entries", 1, 0, 'n'}, {"every", 1, 0, 'e'},
        {"queries", 1, 0, 'q'}, {"rounds", 1, 0, 'r'}, {"only", 1, 0, 'o'},
        {"page-entries", 1, 0, 'p'}, {"load-first", 0, 0, 'L'},
        {"no-verify", 0, 0, 'V'},
        {"tmpdir", 1, 0, 't'}, {"quick", 0, 0, 'Q'}, {"keep", 0, 0, 'K'},
        {"json", 0, 0, 'j'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    const char *tmp = getenv ("TMPDIR");
    *o = (s_opts_t) {.xiechad = xt_default_xiechad (),
                     .tmpdir = tmp && *tmp ? tmp : "/tmp", .every = 10000,
                     .load = {true, true}, .verify = true};
    size_t entries = 0, queries = 0, rounds = 0;
    bool quick = false;
    int c;
    while ((c = getopt_long (argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'x': o->xiechad = optarg; break;
        case 'n': entries = xb_count (optarg, "--entries", 10); break;
        case 'e': o->every = xb_count (optarg, "--every", 2); break;
        case 'q': queries = xb_count (optarg, "--queries", 1); break;
        case 'r': rounds = xb_count (optarg, "--rounds", 1); break;
        case 'p': o->page_entries = xb_count (optarg, "--page-entries", 1);
                  break;
        case 'o':
            if (strcmp (optarg, "export") && strcmp (optarg, "replay"))
                xt_fail ("--only: export or replay, not '%s'", optarg);
            o->load[S_EXPORT] = strcmp (optarg, "export") == 0;
            o->load[S_REPLAY] = strcmp (optarg, "replay") == 0;
            break;
        case 'L': o->load_first = true; break;
        case 'V': o->verify = false; break;
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
    o->entries = entries ? entries : quick ? 10000 : 200000;
    o->queries = queries ? queries : quick ? 150 : 1000;
    o->rounds = rounds ? rounds : quick ? 1 : 3;
    if (o->rounds > S_MAX_ROUNDS)
        xt_fail ("--rounds: at most %d", S_MAX_ROUNDS);
    if (!o->xiechad || access (o->xiechad, X_OK) != 0)
        xt_fail ("xiechad not found: set XIECHAD or pass --xiechad PATH");
}

/* ---- main --------------------------------------------------------------- */

static void
s_fed_up (const s_opts_t *o, s_report_t *r)
{
    xb_progress ("starting %s and %s from %s", XB_RESIDENCE, XB_HOME,
                 o->xiechad);
    for (int i = 0; i < 2; i++)
        xt_fed_spawn (xb_fed, i);
    for (int i = 0; i < 2; i++)
        xt_fed_wait (xb_fed, i);
    xb_progress ("importing %d roster rows at %s", S_ROSTER, XB_HOME);
    xb_import (S_ROSTER);
    size_t file;
    s_env_size (&xb_fed->nodes[XB_RES], &r->map_started, &file);
    //  --load-first: not one write before the load, so the first commit
    //  that needs a page beyond the map (a restart leaves the map at the
    //  data's size) meets a back-office job holding its read txn.
    if (o->load_first)
        return;
    s_qphase_t warm;
    memset (&warm, 0, sizeof warm);
    s_qrun_t q = {.first = 0, .count = S_WARMUP, .ph = &warm};
    s_query_run (&q);
    s_qrun_done (&q);
    s_env_size (&xb_fed->nodes[XB_RES], &r->map_warm, &file);
    if (warm.lat.n == 0) {
        for (int i = 0; i < 2; i++)
            xt_fed_log_tail (xb_fed, i, 20);
        xt_fail ("no warm-up query succeeded: %s", warm.first_error);
    }
}

static void
s_fed_down (s_report_t *r)
{
    for (int i = 0; i < 2; i++)
        xt_fed_log_scan (xb_fed, i, &r->log_errors, &r->log_warnings);
    r->daemons_clean = true;
    for (int i = 0; i < 2; i++)
        if (xt_fed_term (xb_fed, i) != 0) {
            r->daemons_clean = false;
            xt_fed_log_tail (xb_fed, i, 10);
        }
}

static bool
s_failed (const s_opts_t *o, const s_report_t *r)
{
    bool failed = !r->daemons_clean || (o->verify && !r->verified);
    for (int i = 0; i < r->n_idle; i++)
        failed |= r->idle[i].failed > 0;
    for (int k = 0; k < S_LOADS; k++)
        failed |= r->load[k].ran
                  && (r->load[k].failed || r->load[k].q.failed
                      || r->load[k].differences);
    return failed;
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

    char limits[64] = "";
    if (o.page_entries)
        snprintf (limits, sizeof limits, "    export_page_entries = %zu\n",
                  o.page_entries);
    xb_fed_create (o.tmpdir, S_DEADLINE_MS, limits, o.xiechad, o.keep);
    r.fsync_rate[0] = xb_fdatasync_rate (xb_fed->root, 0.5);
    s_generate (&o, &r);
    s_fed_up (&o, &r);

    //  Idle, load, idle, load, idle: each load between two idle phases.
    size_t next = S_WARMUP;
    if (!o.load_first) {
        s_idle (&o, next, &r.idle[r.n_idle++]);
        next += o.queries;
    }
    for (int k = 0; k < S_LOADS; k++) {
        if (!o.load[k])
            continue;
        r.load[k].idle_before = r.n_idle - 1;
        s_load_phase (&o, k, next, &r.load[k]);
        next += r.load[k].q.lat.n + r.load[k].q.failed;
        r.load[k].idle_after = r.n_idle;
        s_idle (&o, next, &r.idle[r.n_idle++]);
        next += o.queries;
    }
    if (o.verify)
        s_verify_export (&r);
    r.fsync_rate[1] = xb_fdatasync_rate (xb_fed->root, 0.5);
    for (int i = 0; i < 2; i++)
        if (!xt_fed_alive (xb_fed, i))
            xt_fed_log_tail (xb_fed, i, 30);
    s_fed_down (&r);

    char date[32];
    xc_time_iso (xc_now_ms (), date);
    if (o.json)
        s_print_json (&o, &r, date);
    else
        s_print_text (&o, &r, date);
    for (int k = 0; k < S_LOADS; k++)
        free (r.load[k].round_s);
    return s_failed (&o, &r) ? 1 : 0;
}
