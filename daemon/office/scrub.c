/*  scrub.c - the whole store, step by step; see scrub.h.

    Phases: LOG walks the chain from entry 1 (xc_audit_walk, tracking
    the Merkle range), checking each checkpoint's signature and feeding
    every entry to the replay; INDEX first lets the replay catch up with
    what the log gained since, then compares a range of the index, and
    after the last range checks the head and the stored range in the
    same transaction. */
#include "office/scrub.h"

#include <stdio.h>
#include <string.h>

#include <xiecha/checkpoint.h>
#include <xiecha/error.h>

#include "node/log.h"
#include "office/replay.h"
#include "store/audit.h"
#include "store/index.h"

typedef enum { S_LOG, S_INDEX, S_DONE } s_phase_t;

struct _xc_scrub_t {
    xc_node_t *node;           /* borrowed */
    xc_trust_t *trust;         /* this scrub's copy of the list */
    xc_replay_t *replay;       /* the rebuilt index */
    xc_audit_walk_t walk;      /* the chain so far */
    s_phase_t phase;
    uint64_t started_ms;
    /*  Set by the step that ends the scrub. */
    xc_scrub_result_t result;
    uint64_t bad_entry;
    char what[400];
};

/* --------------------------------------------------------------------------
   A step's transaction
   -------------------------------------------------------------------------- */

typedef struct {
    xc_scrub_t *self;
    MDB_txn *txn;              /* the step's read transaction */
    bool ended;                /* the walk reached the end of the log */
    bool broken;               /* a failure of the store's content */
    size_t bytes;              /* read in this step */
    xc_audit_walk_t start;     /* the walk before this write */
    xc_replay_mark_t mark;     /* the replay before this write */
} s_step_t;

/*  A checkpoint that passed the chain rules must be signed by a key of
    this node. */
static int
s_visit (const xc_audit_entry_t *e, void *arg)
{
    s_step_t *st = arg;
    xc_scrub_t *self = st->self;
    if (e->kind == XC_AUDIT_CHECKPOINT) {
        xc_checkpoint_t cp;
        char inner[256] = "";
        int rc = xc_checkpoint_verify (e->data, e->data_len, self->trust,
                                       &cp, inner, sizeof inner);
        if (rc == 0 && strcmp (cp.node, self->node->config.code) != 0)
            rc = xc_why (inner, sizeof inner, XC_ESIG, "signed for node %s",
                         cp.node);
        if (rc) {
            st->broken = true;
            return xc_why (self->what, sizeof self->what, rc,
                           "entry %llu: checkpoint: %s",
                           (unsigned long long) e->seq, inner);
        }
    }
    return 0;
}

typedef struct {
    s_step_t *st;
    MDB_txn *stxn;
} s_feed_t;

/*  Each entry that passed the chain rules: its signature if it is a
    checkpoint, then into the rebuilt index. */
static int
s_feed (const xc_audit_entry_t *e, void *arg)
{
    s_feed_t *f = arg;
    int rc = s_visit (e, f->st);
    if (rc)
        return rc;
    xc_scrub_t *self = f->st->self;
    rc = xc_replay_entry (self->replay, f->stxn, self->node->store,
                          f->st->txn, e, self->what, sizeof self->what);
    //  An entry that should hold a notice and does not is the log's
    //  fault; anything else (memory, the scratch disk) the scrub's.
    f->st->broken = rc == XC_EMALFORMED;
    f->st->bytes += e->len;
    if (rc == 0 && f->st->bytes >= XC_SCRUB_STEP_BYTES)
        return XC_AUDIT_WALK_PAUSE;
    return rc;
}

/*  Scratch write fn: up to XC_SCRUB_STEP more entries, from the state
    this write began with (it runs again when the scratch map grew). */
static int
s_walk_write (MDB_txn *stxn, void *arg)
{
    s_step_t *st = arg;
    xc_scrub_t *self = st->self;
    self->walk = st->start;
    xc_replay_rewind (self->replay, st->mark);
    st->broken = false;
    st->bytes = 0;
    self->what[0] = '\0';
    s_feed_t f = {st, stxn};
    uint64_t bad = 0;
    int rc = xc_audit_walk (self->node->store, st->txn, &self->walk,
                            UINT64_MAX, XC_SCRUB_STEP, s_feed, &f,
                            &st->ended, &bad, self->what, sizeof self->what);
    if (rc == XC_EMALFORMED && !st->broken && bad == self->walk.next)
        st->broken = true;     /* the chain rules themselves */
    if (rc)
        self->bad_entry = bad;
    return rc;
}

/*  Walks on in txn.  Returns 0 or the error, with the outcome set. */
static int
s_walk (xc_scrub_t *self, MDB_txn *txn, bool *ended)
{
    s_step_t st = {.self = self, .txn = txn, .start = self->walk,
                   .mark = xc_replay_mark (self->replay)};
    int rc = xc_store_write (xc_replay_scratch (self->replay), s_walk_write,
                             &st);
    *ended = st.ended;
    if (rc) {
        self->result = st.broken ? XC_SCRUB_FAILED : XC_SCRUB_ERROR;
        if (!self->what[0])
            snprintf (self->what, sizeof self->what, "scratch store: %s",
                      xc_strerror (rc));
    }
    return rc;
}

/* --------------------------------------------------------------------------
   The phases
   -------------------------------------------------------------------------- */

static void
s_progress (xc_scrub_t *self, MDB_txn *txn)
{
    xc_store_t *store = self->node->store;
    uint64_t total = 0;
    uint8_t head[32];
    if (self->phase == S_LOG) {
        xc_audit_head (store, txn, &total, head);
        xc_integrity_progress (&self->node->integrity, "log",
                               self->walk.next - 1, total);
        return;
    }
    xc_index_count (store, txn, &total);
    xc_integrity_progress (&self->node->integrity, "index",
                           xc_replay_report (self->replay)->live_subjects,
                           total);
}

/*  The index differs: name the first subject that does. */
static void
s_index_failed (xc_scrub_t *self)
{
    const xc_replay_report_t *r = xc_replay_report (self->replay);
    char ref[17];
    xc_hex (r->diffs[0].ref, 8, ref);
    self->result = XC_SCRUB_FAILED;
    snprintf (self->what, sizeof self->what,
              "index differs from the log: %llu subject(s); the first, "
              "%s..., is '%s' in the index and '%s' by the log",
              (unsigned long long) r->differences, ref,
              r->diffs[0].live[0] ? r->diffs[0].live : "(none)",
              r->diffs[0].rebuilt[0] ? r->diffs[0].rebuilt : "(none)");
}

/*  Catch up with the log, then compare a range; after the last range,
    the head and the stored range, in the same transaction. */
static void
s_index_step (xc_scrub_t *self, MDB_txn *txn)
{
    bool ended = false, done = false;
    if (s_walk (self, txn, &ended) != 0) {
        self->phase = S_DONE;
        return;
    }
    if (!ended)
        return;                /* the log grew a lot: catch up first */
    xc_store_t *store = self->node->store;
    if (xc_replay_compare (self->replay, store, txn, XC_SCRUB_STEP, &done)
        != 0) {
        self->result = XC_SCRUB_ERROR;
        snprintf (self->what, sizeof self->what, "cannot compare the index "
                  "with the rebuilt one");
        self->phase = S_DONE;
        return;
    }
    if (!done)
        return;
    self->phase = S_DONE;
    if (xc_replay_report (self->replay)->differences) {
        s_index_failed (self);
        return;
    }
    int rc = xc_audit_walk_end (store, txn, &self->walk, &self->bad_entry,
                                self->what, sizeof self->what);
    self->result = rc == 0 ? XC_SCRUB_OK
                   : rc == XC_EMALFORMED ? XC_SCRUB_FAILED : XC_SCRUB_ERROR;
}

/*  Records the outcome, and raises the alarm when there is one. */
static void
s_finish (xc_scrub_t *self)
{
    const xc_replay_report_t *r = self->replay
                                      ? xc_replay_report (self->replay)
                                      : NULL;
    uint64_t entries = self->walk.next - 1;
    uint64_t subjects = r ? r->live_subjects : 0;
    double s = (double) (xc_now_ms () - self->started_ms) / 1000.0;
    if (self->result == XC_SCRUB_OK)
        xc_info ("integrity: store %s sound: %llu audit entries, %llu "
                 "subjects checked (%.1f s)", self->node->config.data_dir,
                 (unsigned long long) entries,
                 (unsigned long long) subjects, s);
    else if (self->result == XC_SCRUB_FAILED)
        xc_err ("integrity ALARM: store %s is damaged: %s (scrub of %llu "
                "audit entries; restore it from a backup)",
                self->node->config.data_dir, self->what,
                (unsigned long long) entries);
    else
        xc_warn ("integrity: the scrub of store %s did not finish: %s",
                 self->node->config.data_dir, self->what);
    xc_integrity_finish (&self->node->integrity, self->result,
                         self->started_ms, entries, subjects,
                         self->result == XC_SCRUB_FAILED ? self->bad_entry
                                                         : 0,
                         self->what);
}

bool
xc_scrub_step (xc_scrub_t *self)
{
    if (self->phase == S_DONE)
        return false;
    xc_store_t *store = self->node->store;
    xc_store_share_begin (store);
    MDB_txn *txn = NULL;
    if (xc_store_read (store, &txn) != 0) {
        self->result = XC_SCRUB_ERROR;
        snprintf (self->what, sizeof self->what, "cannot read the store");
        self->phase = S_DONE;
    }
    else if (self->phase == S_LOG) {
        bool ended = false;
        if (s_walk (self, txn, &ended) != 0)
            self->phase = S_DONE;
        else if (ended)
            self->phase = S_INDEX;
    }
    else
        s_index_step (self, txn);
    if (txn && self->phase != S_DONE)
        s_progress (self, txn);
    if (txn)
        mdb_txn_abort (txn);
    xc_store_share_end (store);
    if (self->phase == S_DONE)
        s_finish (self);
    return self->phase != S_DONE;
}

/* --------------------------------------------------------------------------
   Begin and end
   -------------------------------------------------------------------------- */

xc_scrub_t *
xc_scrub_new (xc_node_t *node)
{
    xc_scrub_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_integrity_finish (&node->integrity, XC_SCRUB_ERROR, xc_now_ms (),
                             0, 0, 0, "out of memory");
        return NULL;
    }
    self->node = node;
    self->started_ms = xc_now_ms ();
    xc_audit_walk_init (&self->walk, true);
    self->trust = xc_trust_load (node->config.trust_list, self->what,
                                 sizeof self->what);
    if (self->trust)
        self->replay = xc_replay_new (node->config.code,
                                      node->config.data_dir, self->what,
                                      sizeof self->what);
    if (!self->trust || !self->replay) {
        self->result = XC_SCRUB_ERROR;
        self->phase = S_DONE;
        s_finish (self);
        xc_scrub_destroy (&self);
        return NULL;
    }
    xc_integrity_progress (&node->integrity, "log", 0, 0);
    return self;
}

void
xc_scrub_destroy (xc_scrub_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_scrub_t *self = *self_p;
    if (self->phase != S_DONE) {
        self->result = XC_SCRUB_ERROR;
        snprintf (self->what, sizeof self->what, "stopped before its end");
        self->phase = S_DONE;
        s_finish (self);
    }
    xc_replay_destroy (&self->replay);
    xc_trust_destroy (&self->trust);
    free (self);
    *self_p = NULL;
}
