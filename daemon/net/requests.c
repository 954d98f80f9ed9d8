/*  requests.c - the client request table and the phases of a client
    batch; see requests.h.

    Reading order: the table (s_kinds, after the functions its rows
    name), then xc_requests_batch at the bottom, which walks a batch
    through the phases: parse and answer what needs no write, one write
    transaction for the rest, then the after-commit step of each. */
#include "decide/audit_seal.h"
#include "decide/households.h"
#include "decide/notices.h"
#include "decide/query.h"
#include "decide/refusal.h"
#include "decide/roster.h"
#include "net/clients.h"
#include "net/imports.h"
#include "net/observe.h"
#include "net/requests.h"
#include "node/log.h"
#include "node/reload.h"
#include "office/jobs.h"
#include "store/audit.h"
#include "store/conflicts.h"
#include "store/index.h"
#include "store/rosters.h"

#define S_CONFLICTS_MAX 10000   /* listed at most; the count says more */

struct _xc_requests_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed */
    xc_clients_t *clients;     /* replies to terminals; borrowed */
    xc_asks_t *asks;           /* outbound queries; borrowed */
    xc_delivery_t *delivery;   /* notice schedule; borrowed */
    xc_worker_t *worker;       /* back office; borrowed */
    xc_imports_t *imports;     /* roster imports (imports.h) */
};

#define S_BODY(x) XIECHA__CLIENT_REQUEST__BODY_##x

typedef enum { S_READ, S_WRITE, S_OFFICE } s_phase_t;

typedef struct {
    int body_case;             /* XIECHA__CLIENT_REQUEST__BODY_* */
    const char *name;
    s_phase_t phase;
    /*  READ: answers (an import step: imports.h, whose COMMIT runs in
        slices of its own). */
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
    /*  The role a terminal needs for it (xiecha/terminal.h XC_ROLE_*;
        admin has them all, and so has the local admin over IPC); the
        node checks it for every request (node/access.h). */
    unsigned role;
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
    xc_clients_error (self->clients, s_to (it), s_rid (it), code, 0, why);
}

static void
s_reply (xc_requests_t *self, xc_item_t *it, Xiecha__ClientReply *r)
{
    xc_clients_send (self->clients, s_to (it), s_rid (it), r);
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
   Read-only requests: status, audit check, outbox, due, conflicts
   -------------------------------------------------------------------------- */

#define S_PROGRAMS XIECHA__PROGRAM__TEMP   /* DIBAO .. TEMP */

/*  Every program's roster date, as `xiecha status` shows it. */
static void
s_status_rosters (xc_node_t *node, MDB_txn *txn, Xiecha__RosterDate *dates,
                  Xiecha__RosterDate **ptrs)
{
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++) {
        Xiecha__RosterDate *d = &dates[p - 1];
        xiecha__roster_date__init (d);
        xc_roster_date_t r;
        xc_rosters_get (node->store, txn, p, &r);
        d->program = p;
        d->as_of = r.as_of;
        d->interrupted = r.applying && !(node->rosters_applying & (1u << p));
        ptrs[p - 1] = d;
    }
}

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

/*  The limits as configured, for status. */
static void
s_status_limits (const xc_config_t *c, Xiecha__LimitsStatus *l)
{
    l->peer_messages_per_s = (uint32_t) c->peer_messages_per_s;
    l->peer_messages_burst = (uint32_t) c->peer_messages_burst;
    l->peer_subjects_per_s = (uint32_t) c->peer_subjects_per_s;
    l->peer_subjects_burst = (uint32_t) c->peer_subjects_burst;
    l->audit_refused_per_minute = (uint32_t) c->audit_refused_per_minute;
    l->audit_refused_prefix_bytes = (uint32_t) c->audit_refused_prefix_bytes;
    l->audit_bound_per_peer_hour = xc_refusal_bound (c);
    l->client_outstanding = (uint32_t) c->client_outstanding;
    l->client_hwm = (uint32_t) c->client_hwm;
    l->terminal_queries_per_minute = (uint32_t) c->terminal_queries_per_minute;
    l->terminal_queries_burst = (uint32_t) c->terminal_queries_burst;
}

/*  Who costs the node most: peers refused most, terminals answered busy
    most.  The arrays are the caller's, XC_STATUS_TOP long. */
#define XC_STATUS_TOP 8
#define S_TERMINALS_TOP 16
typedef struct {
    xc_access_load_t terms[S_TERMINALS_TOP];
    Xiecha__TerminalLoad term_msgs[S_TERMINALS_TOP];
    Xiecha__TerminalLoad *term_ptrs[S_TERMINALS_TOP];
    xc_limits_peer_t peers[XC_STATUS_TOP];
    Xiecha__PeerLoad peer_msgs[XC_STATUS_TOP];
    Xiecha__PeerLoad *peer_ptrs[XC_STATUS_TOP];
    xc_clients_top_t clients[XC_CLIENTS_TOP];
    Xiecha__ClientLoad client_msgs[XC_CLIENTS_TOP];
    Xiecha__ClientLoad *client_ptrs[XC_CLIENTS_TOP];
} s_loads_t;

static void
s_status_loads (xc_requests_t *self, xc_item_t *it, Xiecha__StatusReply *s,
                s_loads_t *l)
{
    xc_limits_totals (self->node->limits, &s->throttled, &s->unkept);
    s->n_top_peers = xc_limits_top (self->node->limits, l->peers,
                                    XC_STATUS_TOP);
    for (size_t i = 0; i < s->n_top_peers; i++) {
        Xiecha__PeerLoad *p = &l->peer_msgs[i];
        xiecha__peer_load__init (p);
        p->node = l->peers[i].peer;
        p->refused = l->peers[i].refused;
        p->throttled = l->peers[i].throttled;
        p->duplicates = l->peers[i].duplicates;
        p->unkept = l->peers[i].unkept;
        l->peer_ptrs[i] = p;
    }
    s->top_peers = l->peer_ptrs;
    s->n_top_clients = xc_clients_stats (self->clients, s_to (it),
                                         &s->clients_open,
                                         &s->clients_at_limit,
                                         &s->clients_busy, l->clients);
    for (size_t i = 0; i < s->n_top_clients; i++) {
        Xiecha__ClientLoad *c = &l->client_msgs[i];
        xiecha__client_load__init (c);
        c->terminal = l->clients[i].id;
        c->busy = l->clients[i].busy;
        l->client_ptrs[i] = c;
    }
    s->top_clients = l->client_ptrs;
    xc_access_t *access = self->node->access;
    s->terminals_listed = (uint32_t) xc_terminals_size (xc_access_list (access));
    s->n_terminals = xc_access_loads (access, l->terms, S_TERMINALS_TOP,
                                      &s->terminals_throttled,
                                      &s->terminals_denied);
    for (size_t i = 0; i < s->n_terminals; i++) {
        Xiecha__TerminalLoad *t = &l->term_msgs[i];
        xiecha__terminal_load__init (t);
        t->id = l->terms[i].id;
        t->township = l->terms[i].township;
        t->requests = l->terms[i].requests;
        t->queries = l->terms[i].queries;
        t->throttled = l->terms[i].throttled;
        t->denied = l->terms[i].denied;
        t->unaudited = l->terms[i].unaudited;
        l->term_ptrs[i] = t;
    }
    s->terminals = l->term_ptrs;
}

/*  The peers status shows: every node of the trust list we have a
    connection to or a signed message from (peerwatch.h, intake.h). */
typedef struct {
    Xiecha__PeerState *states;
    Xiecha__PeerState **ptrs;
} s_peers_t;

static void
s_status_peers (xc_node_t *node, Xiecha__StatusReply *s, s_peers_t *p)
{
    size_t n = xc_trust_size (node->trust);
    p->states = calloc (n ? n : 1, sizeof *p->states);
    p->ptrs = calloc (n ? n : 1, sizeof *p->ptrs);
    if (!p->states || !p->ptrs)
        return;
    for (size_t i = 0; i < n; i++) {
        const xc_trust_node_t *t = xc_trust_at (node->trust, i);
        Xiecha__PeerState *ps = &p->states[s->n_peer_states];
        xiecha__peer_state__init (ps);
        double up = 0, off = 0;
        ps->contacted = xc_metrics_get (node->metrics,
                                        "xiecha_peer_connected", &up,
                                        "peer", t->code, NULL) == 0;
        ps->connected = up > 0;
        ps->offset_known = xc_metrics_get (
            node->metrics, "xiecha_peer_clock_offset_seconds", &off, "peer",
            t->code, NULL) == 0;
        ps->clock_offset_ms = (int64_t) (off * 1000.0);
        ps->node = (char *) t->code;
        if (ps->contacted || ps->offset_known)
            p->ptrs[s->n_peer_states++] = ps;
    }
    s->peer_states = p->ptrs;
}

/*  What status adds for monitoring: the trust list, the key, the
    outbox's oldest notice, the last checkpoint and import, the peers. */
static void
s_status_watch (xc_node_t *node, Xiecha__StatusReply *s, s_peers_t *p)
{
    s->trust_serial = xc_trust_serial (node->trust);
    s->trust_next_update = xc_trust_next_update (node->trust);
    s->active_key = (char *) xc_node_signer (node)->id;
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn) == 0) {
        xc_observed_t o;
        xc_observe_store (node, txn, &o);
        s->outbox_oldest_at = o.outbox_oldest_at;
        s->checkpoint_at = o.checkpoint_at;
        mdb_txn_abort (txn);
    }
    double at = 0;
    if (xc_metrics_get (node->metrics, "xiecha_last_import_seconds", &at,
                        NULL) == 0)
        s->last_import_at = (uint64_t) (at * 1000.0);
    s_status_peers (node, s, p);
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
    Xiecha__RosterDate dates[S_PROGRAMS], *ptrs[S_PROGRAMS];
    uint8_t head[32] = {0};
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn) == 0) {
        xc_index_count (node->store, txn, &s.subjects);
        xc_audit_head (node->store, txn, &s.audit_entries, head);
        s_status_rosters (node, txn, dates, ptrs);
        s.n_rosters = S_PROGRAMS;
        s.rosters = ptrs;
        xc_conflicts_count_open (node->store, txn, &s.conflicts_open);
        mdb_txn_abort (txn);
    }
    s.max_roster_age_days = xc_trust_max_roster_age (node->trust);
    s.today = xc_node_today (node, xc_now_ms ());
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
    Xiecha__LimitsStatus limits = XIECHA__LIMITS_STATUS__INIT;
    s_status_limits (&node->config, &limits);
    s.limits = &limits;
    s_loads_t loads;
    s_status_loads (self, it, &s, &loads);
    s_peers_t peers = {NULL, NULL};
    s_status_watch (node, &s, &peers);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_STATUS;
    r.status = &s;
    s_reply (self, it, &r);
    free (peers.states);
    free (peers.ptrs);
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

/*  One conflict of the listing, with room for its strings. */
typedef struct {
    Xiecha__ConflictItem item;
    Xiecha__Conflict conflict;
    uint8_t ref[XC_REF_LEN];
    char registration[7], other[7];
} s_conflict_row_t;

typedef struct {
    s_conflict_row_t *rows;
    Xiecha__ConflictItem **ptrs;
    size_t count;
} s_conflict_list_t;

static int
s_conflict_one (const xc_conflict_t *c, void *arg)
{
    s_conflict_list_t *l = arg;
    if (l->count == S_CONFLICTS_MAX)
        return 1;
    s_conflict_row_t *r = &l->rows[l->count];
    xiecha__conflict_item__init (&r->item);
    xiecha__conflict__init (&r->conflict);
    memcpy (r->ref, c->ref, XC_REF_LEN);
    memcpy (r->registration, c->registration, 7);
    memcpy (r->other, c->other, 7);
    r->item.subject = (ProtobufCBinaryData) {XC_REF_LEN, r->ref};
    r->item.program = c->program;
    r->item.registration = r->registration;
    r->item.other = r->other;
    r->conflict.roster_since = c->roster_since;
    r->conflict.roster_until = c->roster_until;
    r->conflict.other_since = c->other_since;
    r->conflict.other_until = c->other_until;
    r->conflict.found = c->found;
    r->conflict.resolved = c->resolved;
    r->item.conflict = &r->conflict;
    l->ptrs[l->count++] = &r->item;
    return 0;
}

/*  xiecha conflicts: every conflict this node found or was told of,
    open and resolved. */
static void
s_conflicts (xc_requests_t *self, xc_item_t *it)
{
    s_conflict_list_t l = {calloc (S_CONFLICTS_MAX, sizeof *l.rows),
                           calloc (S_CONFLICTS_MAX, sizeof *l.ptrs), 0};
    MDB_txn *txn = NULL;
    int rc = l.rows && l.ptrs ? xc_store_read (self->node->store, &txn)
                              : XC_ENOMEM;
    if (rc == 0) {
        rc = xc_conflicts_each (self->node->store, txn, NULL, 0,
                                s_conflict_one, &l);
        rc = rc > 0 ? 0 : rc;
        mdb_txn_abort (txn);
    }
    if (rc)
        s_error (self, it, rc, "cannot read the conflicts");
    else {
        Xiecha__ConflictsReply c = XIECHA__CONFLICTS_REPLY__INIT;
        c.n_items = l.count;
        c.items = l.ptrs;
        Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
        r.body_case = XIECHA__CLIENT_REPLY__BODY_CONFLICTS;
        r.conflicts = &c;
        s_reply (self, it, &r);
    }
    free (l.rows);
    free (l.ptrs);
}

/*  Roster import steps: imports.h answers them. */
static void
s_import (xc_requests_t *self, xc_item_t *it)
{
    xc_imports_step (self->imports, it);
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
        xc_clients_cert (self->clients, s_to (it), s_rid (it), it->reply,
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
        xc_clients_notice (self->clients, s_to (it), s_rid (it),
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
                                  it->checkin_ref, &it->checkin_date,
                                  &it->out);
}

static void
s_checkin_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    Xiecha__CheckinReply c = XIECHA__CHECKIN_REPLY__INIT;
    c.subject = (ProtobufCBinaryData) {XC_REF_LEN, it->checkin_ref};
    c.date = it->checkin_date;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_CHECKIN;
    r.checkin = &c;
    s_reply (self, it, &r);
}

static int
s_roster_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    free (it->roster);
    it->roster = calloc (1, sizeof *it->roster);
    if (!it->roster)
        return XC_ENOMEM;
    return xc_roster_request (self->node, txn, it->req->roster, now,
                              it->roster, &it->out);
}

static void
s_roster_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    xc_roster_view_t *v = it->roster;
    Xiecha__Enrollment slots[XC_INDEX_MAX], *eptrs[XC_INDEX_MAX];
    for (size_t i = 0; i < v->n; i++) {
        xiecha__enrollment__init (&slots[i]);
        slots[i].program = v->list[i].program;
        slots[i].since = v->list[i].since;
        slots[i].until = v->list[i].until;
        slots[i].node = v->list[i].node;
        eptrs[i] = &slots[i];
    }
    Xiecha__RosterDate dates[S_PROGRAMS], *dptrs[S_PROGRAMS];
    for (int p = 0; p < S_PROGRAMS; p++) {
        xiecha__roster_date__init (&dates[p]);
        dates[p].program = v->dates[p].program;
        dates[p].as_of = v->dates[p].as_of;
        dptrs[p] = &dates[p];
    }
    Xiecha__RosterReply rr = XIECHA__ROSTER_REPLY__INIT;
    rr.subject = (ProtobufCBinaryData) {XC_REF_LEN, v->ref};
    rr.n_enrollments = v->n;
    rr.enrollments = eptrs;
    rr.n_rosters = S_PROGRAMS;
    rr.rosters = dptrs;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_ROSTER;
    r.roster = &rr;
    s_reply (self, it, &r);
}

/* --------------------------------------------------------------------------
   Back-office requests: recorded, then handed to the worker
   -------------------------------------------------------------------------- */

/*  What a back-office request asked for, as its audit note says it. */
static void
s_office_note (const xc_item_t *it, const char *name, char *out, size_t len)
{
    const Xiecha__ClientRequest *r = it->req;
    if (r->body_case == S_BODY (REPORT))
        snprintf (out, len, "%s requested: month %.7s", name,
                  r->report->month ? r->report->month : "");
    else if (r->body_case == S_BODY (AUDIT_EXPORT))
        snprintf (out, len, "%s requested: entries %llu..%s%llu in full",
                  name, (unsigned long long) (r->audit_export->from
                                              ? r->audit_export->from : 1),
                  r->audit_export->to ? "" : "the last, ",
                  (unsigned long long) r->audit_export->to);
    else
        snprintf (out, len, "%s requested", name);
}

/*  An export's first page: the export ends at a checkpoint covering its
    range (and this request's own entry), appended now when none does
    (audit_seal.h); the size is pinned in the request, which the client
    cannot choose: whatever total it sent is replaced.  Later pages read
    what the first pinned. */
static bool
s_export_later_page (const Xiecha__ClientRequest *req)
{
    return req->body_case == S_BODY (AUDIT_EXPORT)
           && req->audit_export->cursor != 0;
}

static int
s_export_seal (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
               uint64_t now)
{
    Xiecha__AuditExportRequest *ar = it->req->audit_export;
    uint64_t total = 0;
    int rc = xc_audit_seal_export (self->node, txn, now, ar->to, &total);
    ar->total = total;
    return rc;
}

/*  Once the seal committed, the request goes to the back office with its
    pinned size, as any later page does.  Returns 0, or -1 after
    answering the terminal. */
static int
s_export_repack (xc_requests_t *self, xc_item_t *it)
{
    zframe_t *payload = xc_batch_payload (it);
    size_t len = xiecha__client_request__get_packed_size (it->req);
    uint8_t *buf = malloc (len ? len : 1);
    if (!payload || !buf) {
        free (buf);
        s_error (self, it, XC_ENOMEM, "cannot queue the request");
        return -1;
    }
    xiecha__client_request__pack (it->req, buf);
    zframe_reset (payload, buf, len);
    free (buf);
    return 0;
}

/*  Who reads or exports the log, or has reports sealed, is itself a
    thing to audit: the request is entered (with its actor, as every
    request's decision) in the write transaction, and runs once that
    commits.  The later pages of one export are not entered again. */
static int
s_office_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    if (s_export_later_page (it->req))
        return 0;
    char note[200];
    s_office_note (it, ((const s_kind_t *) it->kind)->name, note,
                   sizeof note);
    int rc = xc_audit_append (self->node->store, txn, XC_AUDIT_DECISION,
                              NULL, now, note, NULL, 0, NULL);
    if (rc == 0 && it->req->body_case == S_BODY (AUDIT_EXPORT))
        rc = s_export_seal (self, it, txn, now);
    return rc;
}

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

static void
s_office_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    (void) now;
    if (s_failed (self, it, rc))
        return;
    bool export = it->req->body_case == S_BODY (AUDIT_EXPORT);
    if (export && !s_export_later_page (it->req)
        && s_export_repack (self, it) != 0)
        return;
    if (!s_export_later_page (it->req))
        xc_log_event (XC_LOG_INFO, export ? "export" : "office",
                      XC_KV ("kind", ((const s_kind_t *) it->kind)->name,
                             "terminal", it->who.id[0] ? it->who.id
                                                       : "local"),
                      NULL);
    s_to_worker (self, it, it->kind);
}

/* --------------------------------------------------------------------------
   Reload: the trust list, terminal list and policy read again
   -------------------------------------------------------------------------- */

static void
s_reload_part (const xc_reload_part_t *p, Xiecha__ReloadPart *out)
{
    xiecha__reload_part__init (out);
    out->code = (uint32_t) p->rc;
    out->why = p->rc ? (char *) p->why : "";
    out->changed = p->changed;
    out->configured = p->configured;
}

/*  The ids of list as a protobuf repeated string; *ids is the caller's
    (free it, not the strings: they stay the list's). */
static char **
s_reload_ids (zlist_t *list, size_t *n)
{
    *n = zlist_size (list);
    char **ids = calloc (*n ? *n : 1, sizeof *ids);
    size_t i = 0;
    for (char *id = zlist_first (list); ids && id; id = zlist_next (list))
        ids[i++] = id;
    if (!ids)
        *n = 0;
    return ids;
}

/*  As SIGHUP does (node/reload.h), answered with what changed.  Only the
    local administrator over IPC may: a terminal with the admin role
    administers terminals' work, not the files of the node's host. */
static void
s_reload (xc_requests_t *self, xc_item_t *it)
{
    if (it->user[0]) {
        s_error (self, it, XC_EROLE, "reload: only the local administrator "
                 "may reload the node (over its IPC socket, "
                 "node/client_bind)");
        return;
    }
    xc_reload_report_t rep;
    xc_reload_all (self->node, &rep);
    Xiecha__ReloadReply rr = XIECHA__RELOAD_REPLY__INIT;
    Xiecha__ReloadPart trust, terminals, policy;
    s_reload_part (&rep.trust, &trust);
    s_reload_part (&rep.terminals, &terminals);
    s_reload_part (&rep.policy, &policy);
    rr.trust = &trust;
    rr.terminals = &terminals;
    rr.policy = &policy;
    rr.serial_old = rep.serial_old;
    rr.serial_new = rep.serial_new;
    rr.terminals_added = s_reload_ids (rep.added, &rr.n_terminals_added);
    rr.terminals_removed = s_reload_ids (rep.removed,
                                         &rr.n_terminals_removed);
    rr.policy_old = rep.policy_old;
    rr.policy_new = rep.policy_new;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_RELOAD;
    r.reload = &rr;
    s_reply (self, it, &r);
    free (rr.terminals_added);
    free (rr.terminals_removed);
    xc_reload_clear (&rep);
}

/* --------------------------------------------------------------------------
   Backup: the log sealed, then copied by the command (store/backup.h)
   -------------------------------------------------------------------------- */

/*  The request and a checkpoint over the whole log, so that the copy the
    command makes next ends under this node's signature.  As reload, for
    the local administrator only: the copy is made from the node's files,
    on its host. */
static int
s_backup_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    if (it->user[0])
        return xc_outcome_set (&it->out, XC_EROLE, "backup: only the local "
                               "administrator may back up the node (over "
                               "its IPC socket, node/client_bind)");
    int rc = xc_audit_append (self->node->store, txn, XC_AUDIT_DECISION,
                              NULL, now, "backup requested", NULL, 0, NULL);
    if (rc == 0)
        rc = xc_audit_seal_append (self->node, txn, now, 0, NULL);
    uint8_t head[32];
    if (rc == 0)
        rc = xc_audit_head (self->node->store, txn, &it->sealed, head);
    return rc;
}

static void
s_backup_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    if (s_failed (self, it, rc))
        return;
    char dir[PATH_MAX];
    if (!realpath (self->node->config.data_dir, dir))
        snprintf (dir, sizeof dir, "%s", self->node->config.data_dir);
    Xiecha__BackupReply br = XIECHA__BACKUP_REPLY__INIT;
    br.checkpoint_entry = it->sealed;
    br.checkpoint_at = now;
    br.data_dir = dir;
    br.node = self->node->config.code;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_BACKUP;
    r.backup = &br;
    s_reply (self, it, &r);
    char seq[24];
    snprintf (seq, sizeof seq, "%llu", (unsigned long long) it->sealed);
    xc_log_event (XC_LOG_INFO, "backup", XC_KV ("checkpoint", seq),
                  "backup: log sealed at entry %s; the command copies the "
                  "store", seq);
}

/* --------------------------------------------------------------------------
   The table
   -------------------------------------------------------------------------- */

#define CASEWORKER XC_ROLE_CASEWORKER
#define ROSTER XC_ROLE_ROSTER
#define AUDITOR XC_ROLE_AUDITOR
#define ADMIN XC_ROLE_ADMIN
static const s_kind_t s_kinds[] = {
    {S_BODY (STATUS), "status", S_READ, s_status, NULL, NULL, NULL, 0, ADMIN},
    {S_BODY (RELOAD), "reload", S_READ, s_reload, NULL, NULL, NULL, 0, ADMIN},
    {S_BODY (OUTBOX), "outbox", S_READ, s_outbox, NULL, NULL, NULL, 0,
     CASEWORKER},
    {S_BODY (DUE), "due", S_READ, s_due, NULL, NULL, NULL, 0, CASEWORKER},
    {S_BODY (AUDIT_CHECK), "audit check", S_READ, s_audit_check, NULL, NULL,
     NULL, 0, AUDITOR},
    {S_BODY (CONFLICTS), "conflicts", S_READ, s_conflicts, NULL, NULL, NULL,
     0, ROSTER},
    {S_BODY (IMPORT), "import", S_READ, s_import, NULL, NULL, NULL, 1,
     ROSTER},
    {S_BODY (QUERY), "query", S_WRITE, NULL, s_query_write, s_query_after,
     NULL, 0, CASEWORKER},
    {S_BODY (NOTICE), "notice", S_WRITE, NULL, s_notice_write,
     s_notice_after, NULL, 1, CASEWORKER},
    {S_BODY (CHECKIN), "checkin", S_WRITE, NULL, s_checkin_write,
     s_checkin_after, NULL, 1, CASEWORKER},
    {S_BODY (ROSTER), "roster", S_WRITE, NULL, s_roster_write,
     s_roster_after, NULL, 1, ROSTER},
    {S_BODY (BACKUP), "backup", S_WRITE, NULL, s_backup_write,
     s_backup_after, NULL, 0, ADMIN},
    {S_BODY (REPORT), "report", S_OFFICE, NULL, s_office_write,
     s_office_after, xc_jobs_report, 0, AUDITOR},
    {S_BODY (AUDIT_EXPORT), "audit export", S_OFFICE, NULL, s_office_write,
     s_office_after, xc_jobs_export, 0, AUDITOR},
    {S_BODY (AUDIT_REPLAY), "audit replay", S_OFFICE, NULL, s_office_write,
     s_office_after, xc_jobs_replay, 0, AUDITOR},
    {S_BODY (AUDIT_PROVE), "audit prove", S_OFFICE, NULL, s_office_write,
     s_office_after, xc_jobs_prove, 0, AUDITOR},
};

/*  A request access.h refused: its refusal is audited in the batch's
    write transaction, then answered. */
static int
s_denied_write (xc_requests_t *self, xc_item_t *it, MDB_txn *txn,
                uint64_t now)
{
    it->out = it->denied;
    if (!xc_access_keep (self->node->access, &it->who, now))
        return 0;
    char what[200];
    snprintf (what, sizeof what, "%s of terminal %s (township %s)",
              ((const s_kind_t *) it->denied_kind)->name, it->who.id,
              it->who.township[0] ? it->who.township : "unknown");
    xc_log_event (XC_LOG_WARN, "refused",
                  XC_KV ("door", "terminal", "terminal", it->who.id,
                         "reason", xc_error_name (it->out.code)
                                       ? xc_error_name (it->out.code) : "?"),
                  "refused %s: %s", what, it->out.why);
    return xc_audit_refusal (self->node->store, txn, now, what, it->out.why);
}

static void
s_denied_after (xc_requests_t *self, xc_item_t *it, int rc, uint64_t now)
{
    s_failed (self, it, rc);
}

static const s_kind_t s_denied = {0, "refused", S_WRITE, NULL,
                                  s_denied_write, s_denied_after, NULL, 0, 0};

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

/*  Whether access.h refuses the request for the one who sent it (a
    role it lacks, a terminal revoked or dropped since it connected, a
    query over its rate); if so, the refusal goes to the write phase to
    be audited.  Fills it->who in any case. */
static bool
s_denies (xc_requests_t *self, xc_item_t *it, const s_kind_t *k)
{
    char why[sizeof it->denied.why];
    int rc = xc_access_check (self->node->access, it->user, k->role, k->name,
                              k->body_case == S_BODY (QUERY), xc_now_ms (),
                              &it->who, why, sizeof why);
    if (rc == 0)
        return false;
    xc_outcome_set (&it->denied, rc, "%s", why);
    it->denied_kind = k;
    it->write = 1;
    return true;
}

/*  First pass, before any transaction: parse, answer what needs no
    write, mark the rest.  A request answered here is freed.  Every
    request is outstanding from here until its reply (clients.h); one
    over its terminal's limit is answered busy at once, its work not
    done. */
/*  The metrics of a terminal's request (xiecha_terminal_requests_total):
    the role its kind needs, and whether it was taken, denied (role,
    revoked, unlisted) or refused at the door (busy, malformed, disk
    full).  asked is the kind of the request, took what s_parse made of
    it. */
static void
s_count_request (xc_requests_t *self, const s_kind_t *asked,
                 const s_kind_t *took)
{
    const char *outcome = took == &s_denied ? "denied"
                          : took ? "taken" : "refused";
    const char *role = asked ? xc_role_name (asked->role) : NULL;
    xc_metrics_count (self->node->metrics, "xiecha_terminal_requests_total",
                      1, "role", role ? role : "none", "outcome", outcome,
                      NULL);
}

static void
s_parse (xc_requests_t *self, xc_item_t *it)
{
    zframe_t *payload = xc_batch_payload (it);
    if (payload)
        it->req = xiecha__client_request__unpack (NULL, zframe_size (payload),
                                                  zframe_data (payload));
    const s_kind_t *k = it->req ? s_kind_of (it->req->body_case) : NULL;
    if (xc_clients_begin (self->clients, s_to (it)) != 0) {
        char why[200];
        snprintf (why, sizeof why, "busy: %d requests of this terminal are "
                  "still unanswered (limits/client_outstanding); retry when "
                  "their answers are in",
                  self->node->config.client_outstanding);
        s_error (self, it, XC_EBUSY, why);
        k = NULL;
    }
    else if (!k)
        s_error (self, it, XC_EMALFORMED, "request: not a ClientRequest "
                 "message");
    else if (s_denies (self, it, k))
        k = &s_denied;
    else if (s_no_room (self, it, k))
        s_error (self, it, XC_ENOSPC, "the node's data disk is full: "
                 "imports, notices and check-ins are refused until space is "
                 "freed there (queries and status still work); nothing was "
                 "stored or sent");
    else if (k->phase == S_WRITE || k->phase == S_OFFICE)
        it->write = 1;   /* OFFICE: entered, then to the worker (after) */
    else
        k->before (self, it);
    it->kind = k;
    s_count_request (self, it->req ? s_kind_of (it->req->body_case) : NULL,
                     k);
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
    xc_pending_free (&it->pending);
    xc_outbox_item_free (&it->notice);
    free (it->reply);
    it->reply = NULL;
    memset (&it->out, 0, sizeof it->out);
    const s_kind_t *k = it->kind;
    //  Every entry this request's decision appends names who asked.
    char actor[XC_AUDIT_ACTOR_MAX + 1];
    xc_access_actor (&it->who, actor, sizeof actor);
    xc_audit_actor_set (actor);
    int rc = k->write (b->self, it, txn, b->now);
    xc_audit_actor_set (NULL);
    return rc;
}

static int
s_write (MDB_txn *txn, void *arg)
{
    s_batch_t *b = arg;
    return xc_batch_nest_writes (txn, b->items, b->count, s_write_one, b);
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
    uint64_t t0 = xc_observe_clock_us ();
    int rc = xc_store_write (self->node->store, s_write, &b);
    xc_observe_commit (self->node, writes, t0);
    if (rc)
        xc_err_rc (rc, "client batch of %zu not stored", count);
    xc_delivery_catch_up (self->delivery);
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

xc_requests_t *
xc_requests_new (xc_node_t *node, zloop_t *loop, xc_clients_t *clients,
                 xc_asks_t *asks, xc_delivery_t *delivery,
                 xc_worker_t *worker)
{
    xc_requests_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->clients = clients;
    self->asks = asks;
    self->delivery = delivery;
    self->worker = worker;
    self->imports = xc_imports_new (node, loop, clients, delivery);
    if (!self->imports) {
        free (self);
        return NULL;
    }
    return self;
}

void
xc_requests_destroy (xc_requests_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_requests_t *self = *self_p;
    xc_imports_destroy (&self->imports);
    free (self);
    *self_p = NULL;
}
