/*  imports.c - roster imports at the client door; see imports.h.

    Reading order: the replies, the steps (BEGIN, ROWS, ABORT, COMMIT),
    then the slices, which the loop's timer runs one at a time. */
#include "decide/roster.h"
#include "net/clients.h"
#include "net/imports.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/index.h"

#define S_STAGED_MAX 8
#define S_IDLE_MS (10 * 60 * 1000)

struct _xc_imports_t {
    xc_node_t *node;           /* borrowed */
    zloop_t *loop;             /* borrowed */
    xc_clients_t *clients;     /* replies to terminals; borrowed */
    xc_delivery_t *delivery;   /* borrowed */
    zhashx_t *staged;          /* import id hex -> xc_roster_t * (owned) */
    int sweep;                 /* timer dropping idle staged imports */
    /* the import being applied, one at a time */
    xc_roster_t *applying;     /* owned; NULL when none */
    int sealed;                /* sorted and checked: slices may run */
    uint8_t id[16];            /* its import id */
    zframe_t *to;              /* routing id of the terminal that sent COMMIT */
    uint8_t rid[32];           /* its request id, echoed */
    size_t rid_len;
    char actor[XC_AUDIT_ACTOR_MAX + 1];  /* who sent COMMIT (access.h):
                                  its slices' entries name them */
    int timer;                 /* the slice timer; -1 when none */
};

/* --------------------------------------------------------------------------
   Replies
   -------------------------------------------------------------------------- */

static void
s_reply_to (xc_imports_t *self, zframe_t *to, const ProtobufCBinaryData *rid,
            Xiecha__ImportReply *ir)
{
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_IMPORT;
    r.import = ir;
    xc_clients_send (self->clients, to, rid, &r);
}

static void
s_reply (xc_imports_t *self, xc_item_t *it, const uint8_t *id, uint64_t rows)
{
    Xiecha__ImportReply ir = XIECHA__IMPORT_REPLY__INIT;
    ir.import_id = (ProtobufCBinaryData) {16, (uint8_t *) id};
    ir.rows = rows;
    s_reply_to (self, zmsg_first (it->msg), &it->req->request_id, &ir);
}

static void
s_error (xc_imports_t *self, xc_item_t *it, int code, const char *why)
{
    xc_clients_error (self->clients, zmsg_first (it->msg),
                      &it->req->request_id, code, 0, why);
}

/* --------------------------------------------------------------------------
   Staged imports
   -------------------------------------------------------------------------- */

/*  The staged import a request names, or NULL (hex is filled when the id
    has the right length). */
static xc_roster_t *
s_find (xc_imports_t *self, const Xiecha__ImportRequest *im, char hex[33])
{
    hex[0] = '\0';
    if (im->import_id.len != 16)
        return NULL;
    xc_hex (im->import_id.data, 16, hex);
    return zhashx_lookup (self->staged, hex);
}

static void
s_drop (xc_imports_t *self, const char *hex)
{
    xc_roster_t *r = zhashx_lookup (self->staged, hex);
    zhashx_delete (self->staged, hex);
    xc_roster_destroy (&r);
}

static void
s_begin (xc_imports_t *self, xc_item_t *it)
{
    if (zhashx_size (self->staged) >= S_STAGED_MAX) {
        s_error (self, it, XC_ETOOBIG, "too many imports under way");
        return;
    }
    char why[400];
    int code = 0;
    xc_roster_t *r = xc_roster_new (self->node, it->req->import, xc_now_ms (),
                                    &code, why, sizeof why);
    if (!r) {
        s_error (self, it, code, why);
        return;
    }
    uint8_t id[16];
    char hex[33];
    xc_random (id, sizeof id);
    xc_hex (id, 16, hex);
    zhashx_insert (self->staged, hex, r);
    s_reply (self, it, id, 0);
}

/*  Abandoned imports hold memory; drop them after ten idle minutes. */
static int
s_sweep (zloop_t *loop, int timer_id, void *arg)
{
    xc_imports_t *self = arg;
    uint64_t now = xc_now_ms ();
    zlistx_t *keys = zhashx_keys (self->staged);
    for (char *k = zlistx_first (keys); k; k = zlistx_next (keys))
        if (now - xc_roster_touched (zhashx_lookup (self->staged, k))
            > S_IDLE_MS) {
            xc_warn ("roster import %s abandoned; discarded", k);
            s_drop (self, k);
        }
    zlistx_destroy (&keys);
    return 0;
}

/* --------------------------------------------------------------------------
   Applying: one slice per timer tick
   -------------------------------------------------------------------------- */

static void
s_end (xc_imports_t *self)
{
    if (self->timer >= 0)
        zloop_timer_end (self->loop, self->timer);
    self->timer = -1;
    xc_roster_destroy (&self->applying);
    zframe_destroy (&self->to);
}

/*  The last slice committed: the terminal hears what the import did. */
static void
s_done (xc_imports_t *self)
{
    xc_roster_summary_t s;
    xc_roster_summary (self->applying, &s);
    Xiecha__ImportReply ir = XIECHA__IMPORT_REPLY__INIT;
    ir.import_id = (ProtobufCBinaryData) {16, self->id};
    ir.rows = s.rows;
    ir.added = s.added;
    ir.changed = s.changed;
    ir.closed = s.closed;
    ir.unchanged = s.unchanged;
    ir.conflicts = s.conflicts;
    ir.as_of = s.as_of;
    ir.not_applied = s.refused;
    MDB_txn *txn = NULL;
    if (xc_store_read (self->node->store, &txn) == 0) {
        xc_index_count (self->node->store, txn, &ir.subjects);
        mdb_txn_abort (txn);
    }
    xc_metrics_gauge (self->node->metrics, "xiecha_last_import_seconds",
                      (double) xc_now_ms () / 1000.0, NULL);
    xc_log_event (XC_LOG_INFO, "import",
                  XC_KV ("kind", s.delta ? "delta" : "snapshot"),
                  "roster %s committed: %llu rows, %llu added, %llu changed, "
             "%llu closed, %llu unchanged, %llu conflicts%s; index holds "
             "%llu subjects", s.delta ? "delta" : "snapshot",
             (unsigned long long) s.rows, (unsigned long long) s.added,
             (unsigned long long) s.changed, (unsigned long long) s.closed,
             (unsigned long long) s.unchanged,
             (unsigned long long) s.conflicts,
             s.refused ? " (rows of full records not applied)" : "",
             (unsigned long long) ir.subjects);
    ProtobufCBinaryData rid = {self->rid_len, self->rid};
    s_reply_to (self, self->to, &rid, &ir);
}

typedef struct {
    xc_imports_t *self;
    uint64_t now;
} s_slice_t;

static int
s_slice_write (MDB_txn *txn, void *arg)
{
    s_slice_t *s = arg;
    xc_audit_actor_set (s->self->actor);
    int rc = xc_roster_slice (s->self->applying, s->self->node, txn, s->now);
    xc_audit_actor_set (NULL);
    return rc;
}

/*  The ticks before the first slice: the rows sorted a step at a time,
    then sealed (checked whole), or refused. */
static void
s_seal_tick (xc_imports_t *self)
{
    char why[400];
    int rc = xc_roster_sort (self->applying);
    if (rc == 0)
        return;   /* more sorting at the next tick */
    rc = rc < 0 ? xc_why (why, sizeof why, rc, "roster: out of memory")
                : xc_roster_seal (self->applying, self->node, why,
                                  sizeof why);
    if (rc == 0) {
        self->sealed = 1;
        return;
    }
    ProtobufCBinaryData rid = {self->rid_len, self->rid};
    xc_clients_error (self->clients, self->to, &rid, rc, 0, why);
    s_end (self);
}

static int
s_slice_tick (zloop_t *loop, int timer_id, void *arg)
{
    xc_imports_t *self = arg;
    /* zloop removes an ended timer only at the end of a loop turn that
       did not stop to rebuild its poll set (a new dealer, say): a timer
       ended so may fire once more, and is not ours any longer. */
    if (timer_id != self->timer || !self->applying)
        return 0;
    if (!self->sealed) {
        s_seal_tick (self);
        return 0;
    }
    s_slice_t s = {self, xc_now_ms ()};
    int rc = xc_store_write (self->node->store, s_slice_write, &s);
    xc_delivery_catch_up (self->delivery);
    if (rc == 0 && !xc_roster_next (self->applying, self->node))
        return 0;   /* the next slice at the next tick */
    if (rc == 0)
        s_done (self);
    else {
        char what[400], why[600];
        snprintf (why, sizeof why, "roster import stopped part-way (%s): "
                  "what was applied stays, and its programs are not "
                  "certified NOT_RECEIVING until it is imported again",
                  xc_store_describe (rc, what, sizeof what));
        xc_err ("%s", why);
        xc_roster_abandon (self->applying, self->node);
        ProtobufCBinaryData rid = {self->rid_len, self->rid};
        xc_clients_error (self->clients, self->to, &rid, rc, 0, why);
    }
    s_end (self);
    return 0;
}

/*  COMMIT: sorted and sealed by the first ticks, then applied by the
    slices; one import at a time. */
static void
s_commit (xc_imports_t *self, xc_item_t *it, xc_roster_t *r, const char *hex)
{
    if (self->applying) {
        s_error (self, it, XC_EBUSY, "another roster import is being "
                 "applied; commit again when it is done");
        return;
    }
    zhashx_delete (self->staged, hex);   /* ours now, not the table's */
    self->applying = r;
    self->sealed = 0;
    memcpy (self->id, it->req->import->import_id.data, 16);
    xc_access_actor (&it->who, self->actor, sizeof self->actor);
    self->to = zframe_dup (zmsg_first (it->msg));
    const ProtobufCBinaryData *rid = &it->req->request_id;
    self->rid_len = rid->len < sizeof self->rid ? rid->len : sizeof self->rid;
    if (self->rid_len)
        memcpy (self->rid, rid->data, self->rid_len);
    self->timer = zloop_timer (self->loop, 1, 0, s_slice_tick, self);
}

void
xc_imports_step (xc_imports_t *self, xc_item_t *it)
{
    Xiecha__ImportRequest *im = it->req->import;
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__BEGIN) {
        s_begin (self, it);
        return;
    }
    char hex[33], why[400] = "import step: unknown";
    xc_roster_t *r = s_find (self, im, hex);
    if (!r) {
        s_error (self, it, XC_EINVAL,
                 "import_id: no such import under way (expired?)");
        return;
    }
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__COMMIT) {
        s_commit (self, it, r, hex);
        return;
    }
    int rc = im->step == XIECHA__IMPORT_REQUEST__STEP__ABORT ? 0 : XC_EINVAL;
    if (im->step == XIECHA__IMPORT_REQUEST__STEP__ROWS)
        rc = xc_roster_stage (r, self->node, im->rows, im->n_rows, why,
                              sizeof why);
    if (rc == 0 && im->step == XIECHA__IMPORT_REQUEST__STEP__ROWS) {
        s_reply (self, it, im->import_id.data, xc_roster_rows (r));
        return;
    }
    /* ABORT, or a bad chunk: the whole import goes, so nothing half
       checked can be committed later. */
    s_drop (self, hex);
    if (rc)
        s_error (self, it, rc, why);
    else
        s_reply (self, it, im->import_id.data, 0);
}

/* --------------------------------------------------------------------------
   Set-up and tear-down
   -------------------------------------------------------------------------- */

xc_imports_t *
xc_imports_new (xc_node_t *node, zloop_t *loop, xc_clients_t *clients,
                xc_delivery_t *delivery)
{
    xc_imports_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->node = node;
    self->loop = loop;
    self->clients = clients;
    self->delivery = delivery;
    self->timer = -1;
    self->staged = zhashx_new ();
    if (!self->staged) {
        free (self);
        return NULL;
    }
    self->sweep = zloop_timer (loop, 60 * 1000, 0, s_sweep, self);
    return self;
}

void
xc_imports_destroy (xc_imports_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_imports_t *self = *self_p;
    if (self->applying) {
        xc_warn ("stopping during a roster import: it resumes nowhere; "
                 "import it again");
        xc_roster_abandon (self->applying, self->node);
        s_end (self);
    }
    zlistx_t *keys = zhashx_keys (self->staged);
    for (char *k = keys ? zlistx_first (keys) : NULL; k;
         k = zlistx_next (keys))
        s_drop (self, k);
    zlistx_destroy (&keys);
    zhashx_destroy (&self->staged);
    if (self->sweep >= 0)
        zloop_timer_end (self->loop, self->sweep);
    free (self);
    *self_p = NULL;
}
