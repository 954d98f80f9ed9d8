/*  requests.c - the client request table and the phases of a client
    batch; see requests.h.

    Reading order: the table (s_kinds, after the functions its rows
    name), then xc_requests_batch at the bottom, which walks a batch
    through the phases: parse and answer what needs no write, one write
    transaction for the rest, then the after-commit step of each. */
#include "decide/households.h"
#include "decide/notices.h"
#include "decide/query.h"
#include "decide/roster.h"
#include "net/clients.h"
#include "net/requests.h"
#include "node/log.h"
#include "office/jobs.h"
#include "store/audit.h"
#include "store/index.h"

#define S_IMPORTS_MAX 8
#define S_IMPORT_IDLE_MS (10 * 60 * 1000)

struct _xc_requests_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed */
    zsock_t *client;           /* the client socket; borrowed */
    xc_asks_t *asks;           /* outbound queries; borrowed */
    xc_delivery_t *delivery;   /* notice schedule; borrowed */
    xc_worker_t *worker;       /* back office; borrowed */
    zhashx_t *imports;         /* import id hex -> xc_roster_t * */
    int sweep;                 /* timer dropping abandoned imports */
};

typedef enum { S_READ, S_STAGED, S_WRITE, S_OFFICE } s_phase_t;

typedef struct {
    int body_case;             /* XIECHA__CLIENT_REQUEST__BODY_* */
    const char *name;
    s_phase_t phase;
    /*  READ: answers.  STAGED: stages, sets it->write when the step
        must be stored. */
    void (*before) (xc_requests_t *self, xc_item_t *it);
    /*  WRITE: decides inside a nested transaction; returns a store
        error only (outcome.h). */
    int (*write) (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                  uint64_t now);
    /*  After the batch: rc is 0 when the item's decision committed. */
    void (*after) (xc_requests_t *self, xc_item_t *it, int rc,
                   uint64_t now);
    xc_job_fn *job;            /* OFFICE: run in the worker thread */
    /*  Adds to the node's data: refused while the data disk is full
        (store.h xc_store_short), so that the reserve left is for
        answering peers and queries. */
    int grows;
} s_kind_t;

/* --------------------------------------------------------------------------
   Replies
   -------------------------------------------------------------------------- */

static zframe_t *
s_to (const xc_item_t *it)
{
    return zmsg_first (it->msg);
}

static const ProtobufCBinaryData *
s_rid (const xc_item_t *it)
{
    static const ProtobufCBinaryData none = {0, NULL};
    return it->req ? &it->req->request_id : &none;
}

static void
s_error (xc_requests_t *self, xc_item_t *it, int code, const char *why)
{
    xc_clients_error (self->client, s_to (it), s_rid (it), code, 0, why);
}

static void
s_reply (xc_requests_t *self, xc_item_t *it, Xiecha__ClientReply *r)
{
    xc_clients_send (self->client, s_to (it), s_rid (it), r);
}

/*  The common start of every after step: a message that could not be
    stored, or was refused, hears so.  Returns 1 when it did. */
static int
s_failed (xc_requests_t *self, xc_item_t *it, int rc)
{
    if (rc) {
        char what[400], why[480];
        snprintf (why, sizeof why, "not stored (%s); nothing was sent",
                  xc_store_describe (rc, what, sizeof what));
        s_error (self, it, rc, why);
        return 1;
    }
    if (it->out.code) {
        s_error (self, it, it->out.code, it->out.why);
        return 1;
    }
    return 0;
}

/* --------------------------------------------------------------------------
   Read-only requests: status, audit check, outbox, due
   -------------------------------------------------------------------------- */

/*  The integrity state as the wire says it; strings point into st. */
static void
s_integrity (const xc_node_t *node, xc_integrity_state_t *st,
             Xiecha__IntegrityStatus *out)
{
    xiecha__integrity_status__init (out);
    out->start_from = st->start_from;
    out->start_to = st->start_to;
    out->start_checkpoint = st->start_checkpoint;
    out->busy = st->busy;
    out->run = st->run;
    out->finished = st->finished;
    out->phase = (char *) (st->phase ? st->phase : "");
    out->done = st->done;
    out->total = st->total;
    out->result = (char *) xc_integrity_result_name (st->result);
    out->started_at = st->started_ms;
    out->finished_at = st->finished_ms;
    out->entries = st->entries;
    out->subjects = st->subjects;
    out->bad_entry = st->bad_entry;
    out->what = st->what;
    out->failures = st->failures;
    out->interval_s = (uint32_t) node->config.scrub_interval_s;
}

/*  `xiecha audit check`: asks for a scrub when told to, and says at once
    how things stand; the terminal polls until its scrub has finished. */
static void
s_audit_check (xc_requests_t *self, xc_item_t *it)
{
    if (it->req->audit_check->start)
        xc_worker_scrub (self->worker);
    xc_integrity_state_t st;
    xc_integrity_get (&self->node->integrity, &st);
    Xiecha__IntegrityStatus is;
    s_integrity (self->node, &st, &is);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_AUDIT_CHECK;
    r.audit_check = &is;
    s_reply (self, it, &r);
}

static void
s_status (xc_requests_t *self, xc_item_t *it)
{
    xc_node_t *node = self->node;
    Xiecha__StatusReply s = XIECHA__STATUS_REPLY__INIT;
    xc_integrity_state_t st;
    Xiecha__IntegrityStatus is;
    xc_integrity_get (&node->integrity, &st);
    s_integrity (node, &st, &is);
    s.integrity = &is;
    uint8_t head[32] = {0};
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn) == 0) {
        xc_index_count (node->store, txn, &s.subjects);
        xc_audit_head (node->store, txn, &s.audit_entries, head);
        mdb_txn_abort (txn);
    }
    s.code = node->config.code;
    s.name = node->config.name;
    s.started_at = node->started_at;
    s.queries_answered = node->queries_answered;
    s.queries_sent = node->queries_sent;
    s.refused = node->refused;
    s.peers = (uint32_t) xc_asks_peers (self->asks);
    s.version = XIECHA_VERSION;
    s.audit_head = (ProtobufCBinaryData) {32, head};
    s.outbox_pending = xc_delivery_pending (self->delivery);
    s.disk_full = xc_store_short (node->store);
    s.disk_reserve = xc_store_reserve (node->store);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_STATUS;
    r.status = &s;
    s_reply (self, it, &r);
}

static void
s_outbox (xc_requests_t *self, xc_item_t *it)
{
    xc_delivery_list (self->delivery, s_to (it), s_rid (it));
}

/*  Dynamic management (households.h): the due listing needs only a read
    transaction. */
static void
s_due (xc_requests_t *self, xc_item_t *it)
{
    Xiecha__DueReply d;
    char why[400];
    MDB_txn *txn = NULL;
    int rc = xc_store_read (self->node->store, &txn);
    if (rc == 0) {
        rc = xc_households_due (self->node, txn, it->req->due->as_of,
                                xc_now_ms (), &d, why, sizeof why);
        mdb_txn_abort (txn);
    }
    else
        snprintf (why, sizeof why, "cannot read the households");
    if (rc) {
        s_error (self, it, rc, why);
        return;
    }
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_DUE;
    r.due = &d;
    s_reply (self, it, &r);
    xc_households_due_free (&d);
}

/* --------------------------------------------------------------------------
   Roster imports: staged in memory, committed whole
   -------------------------------------------------------------------------- */

static void
s_import_reply (xc_requests_t *self, xc_item_t *it, const uint8_t *id,
                uint64_t rows, uint64_t subjects)
{
    Xiecha__ImportReply ir = XIECHA__IMPORT_REPLY__INIT;
    ir.import_id = (ProtobufCBinaryData) {16, (uint8_t *) id};
    ir.rows = rows;
    ir.subjects = subjects;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_IMPORT;
    r.import = &ir;
    s_reply (self, it, &r);
}

/*  The staged import a request names, or NULL (hex is filled when the id
    has the right length). */
static xc_roster_t *
s_import_find (xc_requests_t *self, const Xiecha__ImportRequest *im,
               char hex[33])
{
    hex[0] = '\0';
    if (im->import_id.len != 16)
        return NULL;
    xc_hex (im->import_id.data, 16, hex);
    return zhashx_lookup (self->imports, hex);
}

static void
s_import_begin (xc_requests_t *self, xc_item_t *it)
{
    uint8_t id[16];
    char hex[33];
    xc_random (id, sizeof id);
    xc_hex (id, 16, hex);
    xc_roster_t *r = zhashx_size (self->imports) < S_IMPORTS_MAX
                         ? xc_roster_new () : NULL;
    if (!r) {
        s_error (self, it, XC_ETOOBIG, "too many imports under way");
        return;
    }
    zhashx_insert (self->imports, hex, r);
    s_import_reply (self, it, id, 0, 0);
}

/*  BEGIN, ROWS and ABORT touch only memory; COMMIT goes on to the write.
    A bad chunk discards the whole import, so nothing half-checked can be
    committed later. */
static void
s_import_stage (xc_requests_t *self, xc_item_t *it)
{
    Xiecha__ImportRequest *im = it->req->import;
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__BEGIN) {
        s_import_begin (self, it);
        return;
    }
    char hex[33], why[400] = "import step: unknown";
    xc_roster_t *r = s_import_find (self, im, hex);
    if (!r) {
        s_error (self, it, XC_EINVAL,
                 "import_id: no such import under way (expired?)");
        return;
    }
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__COMMIT) {
        it->write = 1;
        return;
    }
    int rc = im->step == XIECHA__IMPORT_REQUEST__STEP__ABORT ? 0 : XC_EINVAL;
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__ROWS)
        rc = xc_roster_stage (r, self->node, im->rows, im->n_rows, why,
                              sizeof why);
    if (rc == 0 && im->step == XIECHA__IMPORT_REQUEST__STEP__ROWS) {
        s_import_reply (self, it, im->import_id.data, xc_roster_rows (r), 0);
        return;
    }
    zhashx_delete (self->imports, hex);
    if (rc)
        s_error (self, it, rc, why);
    else
        s_import_reply (self, it, im->import_id.data, 0, 0);
}

/*  An ABORT or a bad chunk of the same batch may have dropped the
    import since its COMMIT was staged: that is a refusal, not a crash. */
static int
s_import_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    char hex[33];
    xc_roster_t *r = s_import_find (self, it->req->import, hex);
    if (!r)
        return xc_outcome_set (&it->out, XC_EINVAL, "import_id: the import "
                               "was aborted or discarded before its commit");
    return xc_roster_commit (r, self->node, txn, now);
}

static void
s_import_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    char hex[33];
    xc_roster_t *r = s_import_find (self, it->req->import, hex);
    uint64_t rows = r ? xc_roster_rows (r) : 0, subjects = 0;
    if (hex[0])
        zhashx_delete (self->imports, hex);
    if (it->out.code) {
        s_error (self, it, it->out.code, it->out.why);
        return;
    }
    if (rc) {
        char what[400], why[480];
        snprintf (why, sizeof why, "import not stored (%s); index unchanged",
                  xc_store_describe (rc, what, sizeof what));
        s_error (self, it, rc, why);
        return;
    }
    MDB_txn *txn = NULL;
    if (xc_store_read (self->node->store, &txn) == 0) {
        xc_index_count (self->node->store, txn, &subjects);
        mdb_txn_abort (txn);
    }
    xc_info ("roster import committed: %llu rows, index holds %llu subjects",
             (unsigned long long) rows, (unsigned long long) subjects);
    s_import_reply (self, it, it->req->import->import_id.data, rows,
                    subjects);
}

/*  Abandoned imports hold memory; drop them after ten idle minutes. */
static int
s_sweep (zloop_t *loop, int timer_id, void *arg)
{
    xc_requests_t *self = arg;
    uint64_t now = xc_now_ms ();
    zlistx_t *keys = zhashx_keys (self->imports);
    for (char *k = zlistx_first (keys); k; k = zlistx_next (keys)) {
        xc_roster_t *r = zhashx_lookup (self->imports, k);
        if (now - xc_roster_touched (r) > S_IMPORT_IDLE_MS) {
            xc_warn ("roster import %s abandoned; discarded", k);
            zhashx_delete (self->imports, k);
        }
    }
    zlistx_destroy (&keys);
    return 0;
}

/* --------------------------------------------------------------------------
   Queries, notices, check-ins: decided in the write transaction
   -------------------------------------------------------------------------- */

static int
s_query_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
               uint64_t now)
{
    return xc_query_client (self->node, txn, it->req->query, now,
                            &it->pending, &it->reply, &it->reply_len,
                            &it->out);
}

static void
s_query_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    if (it->reply) {   /* same county: answered locally */
        xc_clients_cert (self->client, s_to (it), s_rid (it), it->reply,
                         it->reply_len, &it->pending, now);
        return;
    }
    if (xc_asks_send (self->asks, &it->pending, s_to (it), s_rid (it)) != 0)
        s_error (self, it, XC_EUNREACHABLE,
                 "registration node cannot be reached (no dealer for it)");
}

static int
s_notice_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    return xc_notice_client (self->node, txn, it->req->notice, now,
                             &it->notice, &it->out);
}

static void
s_notice_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    if (it->notice.state == XC_OUTBOX_LOCAL)
        xc_clients_notice (self->client, s_to (it), s_rid (it),
                           it->notice.id,
                           xc_notice_count (it->notice.env,
                                            it->notice.env_len), 1, NULL, 0);
    else
        xc_delivery_queue (self->delivery, &it->notice, s_to (it),
                           s_rid (it), it->req->notice->wait_ms);
}

static int
s_checkin_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                 uint64_t now)
{
    return xc_households_checkin (self->node, txn, it->req->checkin, now,
                                  it->checkin_ref, &it->out);
}

static void
s_checkin_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    Xiecha__CheckinReply c = XIECHA__CHECKIN_REPLY__INIT;
    c.subject = (ProtobufCBinaryData) {XC_REF_LEN, it->checkin_ref};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_CHECKIN;
    r.checkin = &c;
    s_reply (self, it, &r);
}

/* --------------------------------------------------------------------------
   The table
   -------------------------------------------------------------------------- */

#define S_BODY(x) XIECHA__CLIENT_REQUEST__BODY_##x
static const s_kind_t s_kinds[] = {
    {S_BODY (STATUS), "status", S_READ, s_status, NULL, NULL, NULL, 0},
    {S_BODY (OUTBOX), "outbox", S_READ, s_outbox, NULL, NULL, NULL, 0},
    {S_BODY (DUE), "due", S_READ, s_due, NULL, NULL, NULL, 0},
    {S_BODY (AUDIT_CHECK), "audit check", S_READ, s_audit_check, NULL, NULL,
     NULL, 0},
    {S_BODY (IMPORT), "import", S_STAGED, s_import_stage, s_import_write,
     s_import_after, NULL, 1},
    {S_BODY (QUERY), "query", S_WRITE, NULL, s_query_write, s_query_after,
     NULL, 0},
    {S_BODY (NOTICE), "notice", S_WRITE, NULL, s_notice_write,
     s_notice_after, NULL, 1},
    {S_BODY (CHECKIN), "checkin", S_WRITE, NULL, s_checkin_write,
     s_checkin_after, NULL, 1},
    {S_BODY (REPORT), "report", S_OFFICE, NULL, NULL, NULL, xc_jobs_report,
     0},
    {S_BODY (AUDIT_EXPORT), "audit export", S_OFFICE, NULL, NULL, NULL,
     xc_jobs_export, 0},
    {S_BODY (AUDIT_REPLAY), "audit replay", S_OFFICE, NULL, NULL, NULL,
     xc_jobs_replay, 0},
    {S_BODY (AUDIT_PROVE), "audit prove", S_OFFICE, NULL, NULL, NULL,
     xc_jobs_prove, 0},
};

static const s_kind_t *
s_kind_of (int body_case)
{
    for (size_t i = 0; i < sizeof s_kinds / sizeof s_kinds[0]; i++)
        if (s_kinds[i].body_case == body_case)
            return &s_kinds[i];
    return NULL;
}

/* --------------------------------------------------------------------------
   A batch
   -------------------------------------------------------------------------- */

/*  Requests that read the whole log go to the back office thread
    (worker.h); its reply comes back through the transport. */
static void
s_to_worker (xc_requests_t *self, xc_item_t *it, const s_kind_t *k)
{
    zmsg_t *job = zmsg_dup (it->msg);
    int rc = job ? xc_worker_submit (self->worker, &job, k->job) : XC_ENOMEM;
    if (rc == XC_EFULL)
        s_error (self, it, rc, "the node is busy with audit requests "
                 "(16 queued); try again shortly");
    else if (rc)
        s_error (self, it, rc, "cannot queue the request");
    zmsg_destroy (&job);
}

/*  Whether a request that adds to the node's data meets a full disk.
    An import's ABORT frees memory only and always goes through. */
static bool
s_no_room (xc_requests_t *self, const xc_item_t *it, const s_kind_t *k)
{
    if (!k->grows || !xc_store_short (self->node->store))
        return false;
    return !(k->body_case == S_BODY (IMPORT)
             && it->req->import->step
                    == XIECHA__IMPORT_REQUEST__STEP__ABORT);
}

/*  First pass, before any transaction: parse, answer what needs no
    write, mark the rest.  A request answered here is freed. */
static void
s_parse (xc_requests_t *self, xc_item_t *it)
{
    zframe_t *payload = xc_batch_payload (it);
    if (payload)
        it->req = xiecha__client_request__unpack (NULL, zframe_size (payload),
                                                  zframe_data (payload));
    const s_kind_t *k = it->req ? s_kind_of (it->req->body_case) : NULL;
    if (!k)
        s_error (self, it, XC_EMALFORMED, "request: not a ClientRequest "
                 "message");
    else if (s_no_room (self, it, k))
        s_error (self, it, XC_ENOSPC, "the node's data disk is full: "
                 "imports, notices and check-ins are refused until space is "
                 "freed there (queries and status still work); nothing was "
                 "stored or sent");
    else if (k->phase == S_OFFICE)
        s_to_worker (self, it, k);
    else if (k->phase == S_WRITE)
        it->write = 1;
    else
        k->before (self, it);
    it->kind = k;
    if (!it->write && it->req) {
        xiecha__client_request__free_unpacked (it->req, NULL);
        it->req = NULL;
    }
}

typedef struct {
    xc_requests_t *self;
    xc_item_t *items;
    size_t count;
    uint64_t now;
} s_batch_t;

/*  One request's decision, in its own nested transaction (batch.h).
    Runs again from the start when the map grew, so it resets what a run
    left. */
static int
s_write_one (MDB_txn *txn, xc_item_t *it, void *arg)
{
    s_batch_t *b = arg;
    if (!it->write)
        return 0;
    xc_pending_free (&it->pending);
    xc_outbox_item_free (&it->notice);
    free (it->reply);
    it->reply = NULL;
    memset (&it->out, 0, sizeof it->out);
    const s_kind_t *k = it->kind;
    return k->write (b->self, it, txn, b->now);
}

static int
s_write (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    return xc_batch_nest (txn, b->items, b->count, s_write_one, b);
}

void
xc_requests_batch (xc_requests_t *self, xc_item_t *items, size_t count)
{
    s_batch_t b = {self, items, count, xc_now_ms ()};
    size_t writes = 0;
    for (size_t i = 0; i < count; i++) {
        s_parse (self, &items[i]);
        writes += items[i].write;
    }
    if (writes == 0)
        return;
    int rc = xc_store_write (self->node->store, s_write, &b);
    if (rc)
        xc_err_rc (rc, "client batch of %zu not stored", count);
    for (size_t i = 0; i < count; i++) {
        xc_item_t *it = &items[i];
        if (it->write)
            ((const s_kind_t *) it->kind)->after (self, it,
                                                  rc ? rc : it->failed,
                                                  b.now);
    }
}

/* --------------------------------------------------------------------------
   Set-up and tear-down
   -------------------------------------------------------------------------- */

static void
s_roster_free (void **item)
{
    xc_roster_destroy ((xc_roster_t **) item);
}

xc_requests_t *
xc_requests_new (xc_node_t *node, zloop_t *loop, zsock_t *client,
                 xc_asks_t *asks, xc_delivery_t *delivery,
                 xc_worker_t *worker)
{
    xc_requests_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->client = client;
    self->asks = asks;
    self->delivery = delivery;
    self->worker = worker;
    self->imports = zhashx_new ();
    if (!self->imports) {
        free (self);
        return NULL;
    }
    zhashx_set_destructor (self->imports, s_roster_free);
    self->sweep = zloop_timer (loop, 60 * 1000, 0, s_sweep, self);
    return self;
}

void
xc_requests_destroy (xc_requests_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_requests_t *self = *self_p;
    zhashx_destroy (&self->imports);
    if (self->sweep >= 0)
        zloop_timer_end (self->loop, self->sweep);
    free (self);
    *self_p = NULL;
}
