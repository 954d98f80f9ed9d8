/*  replay.c - the subject index, the roster dates and the conflicts
    rebuilt from the audit log (replay.h).  Every change is made by the
    same rules the live decisions use (decide/apply.h), so a replay that
    reports differences on an untouched node means a log or a store that
    was altered. */
#include "office/replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xiecha/bytes.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>
#include <xiecha/wire.h>

#include "decide/apply.h"
#include "store/audit.h"
#include "store/conflicts.h"
#include "store/index.h"

#define S_INDEX_REC 16                 /* index.c: bytes per enrollment */

/*  A notice this node queued: where in the log, to undo it later. */
typedef struct {
    uint8_t id[XC_MSGID_LEN];
    uint64_t seq;
} s_queued_t;

struct _xc_replay_t {
    char dir[4200];              /* the scratch environment's directory */
    xc_store_t *scratch;         /* the rebuilt index; owned */
    char code[7];                /* this node: payer of imports, notices */
    xc_replay_report_t report;   /* counted as the replay goes */
    s_queued_t *queued;          /* notices this node queued, log order */
    size_t n_queued, cap_queued;
    /*  The entry in hand: where it is read, where the error goes. */
    xc_store_t *live;
    MDB_txn *live_txn;
    char *why;
    size_t why_len;
    /*  The comparison: the key it goes on from. */
    uint8_t key[XC_REPLAY_KEY_MAX];
    size_t key_len;
    bool comparing;              /* a first step was made */
    size_t phase;                /* what is compared: s_compared[phase] */
};

typedef xc_replay_t s_replay_t;

static int
s_ends_with (const char *s, size_t len, const char *tail)
{
    size_t n = strlen (tail);
    return len >= n && memcmp (s + len - n, tail, n) == 0;
}

static int
s_import (s_replay_t *self, MDB_txn *txn, const xc_audit_entry_t *e)
{
    int rc = xc_apply_is_roster (e->data, e->data_len)
                 ? xc_apply_roster (self->scratch, txn, e->data, e->data_len,
                                    self->code)
                 : xc_apply_rows (self->scratch, txn, e->data, e->data_len,
                                  self->code);
    if (rc == XC_EMALFORMED)
        return xc_why (self->why, self->why_len, XC_EMALFORMED,
                       "entry %llu: import data is not whole rows",
                       (unsigned long long) e->seq);
    return rc;
}

static int
s_remember (s_replay_t *self, const Xiecha__Header *h, uint64_t seq)
{
    if (h->msg_id.len != XC_MSGID_LEN)
        return XC_EMALFORMED;
    if (self->n_queued == self->cap_queued) {
        size_t cap = self->cap_queued ? self->cap_queued * 2 : 64;
        s_queued_t *grown = realloc (self->queued, cap * sizeof *grown);
        if (!grown)
            return XC_ENOMEM;
        self->queued = grown;
        self->cap_queued = cap;
    }
    memcpy (self->queued[self->n_queued].id, h->msg_id.data, XC_MSGID_LEN);
    self->queued[self->n_queued++].seq = seq;
    return 0;
}

/*  A refusal of a queued notice: find the notice (latest first) and undo
    its index change; *changed says whether there was one. */
static int
s_refused (s_replay_t *self, MDB_txn *txn, const xc_opened_t *answer,
           int *changed)
{
    const Xiecha__Header *h = answer->msg->header;
    if (answer->msg->body_case != XIECHA__SIGNED__BODY_ERROR
        || !xc_errcode_final (answer->msg->error->code)
        || h->in_reply_to.len != XC_MSGID_LEN)
        return 0;
    for (size_t i = self->n_queued; i-- > 0;) {
        if (memcmp (self->queued[i].id, h->in_reply_to.data, XC_MSGID_LEN))
            continue;
        xc_audit_entry_t e;
        int rc = xc_audit_get (self->live, self->live_txn,
                               self->queued[i].seq, &e);
        if (rc)
            return rc;
        xc_opened_t op = {0};
        rc = xc_envelope_open (e.data, e.data_len, &op, NULL, 0);
        if (rc == 0 && op.msg->body_case == XIECHA__SIGNED__BODY_NOTICE)
            rc = xc_apply_undo (self->scratch, txn, op.msg->notice,
                                self->code);
        xc_opened_free (&op);
        *changed = rc == 0;
        return rc;
    }
    return 0;
}

/*  One entry: 0 or an error; *changed says whether it changed the
    rebuilt index. */
static int
s_entry_replay (s_replay_t *self, MDB_txn *txn, const xc_audit_entry_t *e,
                int *changed)
{
    *changed = 0;
    if (e->kind == XC_AUDIT_IMPORT) {
        int rc = s_import (self, txn, e);
        *changed = rc == 0;
        return rc;
    }
    int applied = e->kind == XC_AUDIT_RECEIVED
                  && s_ends_with (e->note, e->note_len,
                                  XC_APPLY_NOTE_APPLIED);
    int refused = e->kind == XC_AUDIT_RECEIVED
                  && e->note_len == strlen (XC_APPLY_NOTE_REJECTED)
                  && memcmp (e->note, XC_APPLY_NOTE_REJECTED,
                             e->note_len) == 0;
    int sent = e->kind == XC_AUDIT_SENT;
    if (!applied && !refused && !sent)
        return 0;
    xc_opened_t op = {0};
    int rc = xc_envelope_open (e->data, e->data_len, &op, NULL, 0);
    if (rc) {
        xc_opened_free (&op);
        //  Sent bytes of other kinds are envelopes too; a failure to open
        //  one that should hold a notice is a broken log.
        return sent ? 0 : xc_why (self->why, self->why_len, XC_EMALFORMED,
                                  "entry %llu: not an envelope",
                                  (unsigned long long) e->seq);
    }
    const Xiecha__Header *h = op.msg->header;
    /* body is a oneof (a union): test the case, never the pointer. */
    int notice = op.msg->body_case == XIECHA__SIGNED__BODY_NOTICE;
    if (applied && notice) {
        rc = xc_apply_message (self->scratch, txn, op.msg);
        *changed = rc == 0;
    }
    else if (applied)
        rc = xc_why (self->why, self->why_len, XC_EMALFORMED,
                     "entry %llu: applied entry without a notice",
                     (unsigned long long) e->seq);
    else if (sent && notice && strcmp (h->sender, self->code) == 0) {
        rc = xc_apply_message (self->scratch, txn, op.msg);
        if (rc == 0)
            rc = s_remember (self, h, e->seq);
        *changed = rc == 0;
    }
    else if (refused)
        rc = s_refused (self, txn, &op, changed);
    xc_opened_free (&op);
    return rc;
}

int
xc_replay_entry (xc_replay_t *self, MDB_txn *stxn, xc_store_t *live,
                 MDB_txn *txn, const xc_audit_entry_t *e, char *why,
                 size_t why_len)
{
    self->live = live;
    self->live_txn = txn;
    self->why = why;
    self->why_len = why_len;
    int changed = 0;
    int rc = s_entry_replay (self, stxn, e, &changed);
    if (rc == 0) {
        self->report.entries++;
        self->report.replayed += (uint64_t) changed;
    }
    return rc;
}

xc_replay_mark_t
xc_replay_mark (const xc_replay_t *self)
{
    return (xc_replay_mark_t) {self->n_queued, self->report.entries,
                               self->report.replayed};
}

void
xc_replay_rewind (xc_replay_t *self, xc_replay_mark_t mark)
{
    self->n_queued = mark.n_queued;
    self->report.entries = mark.entries;
    self->report.replayed = mark.replayed;
}

xc_store_t *
xc_replay_scratch (xc_replay_t *self)
{
    return self->scratch;
}

const xc_replay_report_t *
xc_replay_report (const xc_replay_t *self)
{
    return &self->report;
}

void
xc_replay_describe (const uint8_t *value, size_t len, char *out,
                    size_t out_len)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t off = 0; off + S_INDEX_REC <= len && used < out_len;
         off += S_INDEX_REC) {
        const uint8_t *p = value + off;
        char node[7] = "", until[16] = "open";
        memcpy (node, p + 10, 6);
        uint32_t u = xc_get_u32 (p + 6);
        if (u)
            snprintf (until, sizeof until, "%u", u);
        int w = snprintf (out + used, out_len - used, "%s%s %u-%s %s%s",
                          off ? "; " : "", xc_program_name (p[0]),
                          xc_get_u32 (p + 2), until, node,
                          p[1] == XC_SOURCE_NOTICE ? " (notice)" : "");
        if (w < 0)
            break;
        used += (size_t) w;
    }
}

/*  A record of the rosters or the conflicts as text, for a difference. */
static void
s_describe_roster (const MDB_val *k, const MDB_val *v, char *out,
                   size_t len)
{
    const uint8_t *p = v->mv_data;
    if (v->mv_size != 8 || k->mv_size != 1) {
        snprintf (out, len, "roster record of %zu bytes", v->mv_size);
        return;
    }
    snprintf (out, len, "roster %s as of %u, applying %u",
              xc_program_name (*(const uint8_t *) k->mv_data),
              xc_get_u32 (p), xc_get_u32 (p + 4));
}

static void
s_describe_conflict (const MDB_val *k, const MDB_val *v, char *out,
                     size_t len)
{
    const uint8_t *key = k->mv_data, *p = v->mv_data;
    if (v->mv_size != 20 || k->mv_size != 49) {
        snprintf (out, len, "conflict record of %zu bytes", v->mv_size);
        return;
    }
    snprintf (out, len, "conflict %s: %.6s roster %u-%u, %.6s notice %u-%u, "
              "found %u, resolved %u", xc_program_name (key[32]), key + 33,
              xc_get_u32 (p), xc_get_u32 (p + 4), key + 39,
              xc_get_u32 (p + 8), xc_get_u32 (p + 12), xc_get_u32 (key + 45),
              xc_get_u32 (p + 16));
}

static void
s_describe_index (const MDB_val *k, const MDB_val *v, char *out, size_t len)
{
    xc_replay_describe (v->mv_data, v->mv_size, out, len);
}

typedef void (s_describe_fn) (const MDB_val *k, const MDB_val *v, char *out,
                              size_t len);

static void
s_differ (xc_replay_report_t *r, const MDB_val *key, const MDB_val *live,
          const MDB_val *rebuilt, s_describe_fn *describe)
{
    r->differences++;
    if (r->n_diffs == XC_REPLAY_MAX_DIFFS)
        return;
    xc_replay_diff_t *d = &r->diffs[r->n_diffs++];
    /* the subject ref for the index and the conflicts (their keys begin
       with it); a roster record's program, at the end */
    size_t n = key->mv_size < 32 ? key->mv_size : 32;
    memcpy (d->ref + 32 - (key->mv_size < 32 ? n : 32), key->mv_data, n);
    if (live)
        describe (key, live, d->live, sizeof d->live);
    if (rebuilt)
        describe (key, rebuilt, d->rebuilt, sizeof d->rebuilt);
}

/*  Where cursor c stands at the start of a step: the first key, or the
    first at or after the key the last step stopped at. */
static int
s_position (xc_replay_t *self, MDB_cursor *c, MDB_val *k, MDB_val *v)
{
    if (!self->comparing)
        return mdb_cursor_get (c, k, v, MDB_FIRST);
    *k = (MDB_val) {self->key_len, self->key};
    return mdb_cursor_get (c, k, v, MDB_SET_RANGE);
}

/*  Remembers the key the next step starts at: the smaller of the two
    the cursors stand on. */
static void
s_stop_at (xc_replay_t *self, int ra, const MDB_val *ka, int rb,
           const MDB_val *kb, int cmp)
{
    const MDB_val *k = ra ? kb : rb ? ka : cmp <= 0 ? ka : kb;
    self->key_len = k->mv_size < sizeof self->key ? k->mv_size
                                                  : sizeof self->key;
    memcpy (self->key, k->mv_data, self->key_len);
}

/*  What is compared, in this order: the index (its keys are the
    subjects counted), the roster dates, the conflicts. */
static const struct {
    xc_db_t db;
    s_describe_fn *describe;
} s_compared[] = {
    {XC_DB_INDEX, s_describe_index},
    {XC_DB_ROSTERS, s_describe_roster},
    {XC_DB_CONFLICTS, s_describe_conflict},
};
#define S_COMPARED (sizeof s_compared / sizeof s_compared[0])

/*  Walks the database of this step's phase in both stores in key order,
    from where the last step stopped, for at most max keys (0: to the
    end); *used says how many it took, *done whether it reached the end
    of both. */
static int
s_compare (xc_replay_t *self, xc_store_t *live, MDB_txn *live_txn,
           MDB_txn *scratch_txn, uint64_t max, uint64_t *used, bool *done)
{
    xc_db_t db = s_compared[self->phase].db;
    s_describe_fn *describe = s_compared[self->phase].describe;
    int subjects = db == XC_DB_INDEX;
    *used = 0;
    *done = false;
    if (!xc_store_has (live, db)) {
        *done = true;   /* an older store: nothing there to rebuild */
        return 0;
    }
    MDB_cursor *a = NULL, *b = NULL;
    int rc = mdb_cursor_open (live_txn, xc_store_dbi (live, db), &a);
    if (rc == 0)
        rc = mdb_cursor_open (scratch_txn, xc_store_dbi (self->scratch, db),
                              &b);
    if (rc) {
        if (a)
            mdb_cursor_close (a);
        return XC_ESTORE;
    }
    MDB_val ka, va, kb, vb;
    int ra = s_position (self, a, &ka, &va);
    int rb = s_position (self, b, &kb, &vb);
    self->comparing = true;
    xc_replay_report_t *r = &self->report;
    int cmp = 0;
    uint64_t n = 0;
    for (; (ra == 0 || rb == 0) && rc == 0; n++) {
        if (ra)
            cmp = 1;
        else if (rb)
            cmp = -1;
        else {
            size_t len = ka.mv_size < kb.mv_size ? ka.mv_size : kb.mv_size;
            cmp = memcmp (ka.mv_data, kb.mv_data, len);
            if (cmp == 0 && ka.mv_size != kb.mv_size)
                cmp = ka.mv_size < kb.mv_size ? -1 : 1;
        }
        if (max && n == max) {
            s_stop_at (self, ra, &ka, rb, &kb, cmp);
            break;
        }
        if (subjects && cmp <= 0)
            r->live_subjects++;
        if (subjects && cmp >= 0)
            r->rebuilt_subjects++;
        if (cmp < 0)
            s_differ (r, &ka, &va, NULL, describe);
        else if (cmp > 0)
            s_differ (r, &kb, NULL, &vb, describe);
        else if (va.mv_size != vb.mv_size
                 || memcmp (va.mv_data, vb.mv_data, va.mv_size) != 0)
            s_differ (r, &ka, &va, &vb, describe);
        if (cmp <= 0)
            ra = mdb_cursor_get (a, &ka, &va, MDB_NEXT);
        if (cmp >= 0)
            rb = mdb_cursor_get (b, &kb, &vb, MDB_NEXT);
        if ((ra && ra != MDB_NOTFOUND) || (rb && rb != MDB_NOTFOUND))
            rc = XC_ESTORE;
    }
    *used = n;
    *done = rc == 0 && ra && rb;
    mdb_cursor_close (a);
    mdb_cursor_close (b);
    return rc;
}

int
xc_replay_compare (xc_replay_t *self, xc_store_t *live, MDB_txn *txn,
                   uint64_t max, bool *done)
{
    MDB_txn *stxn = NULL;
    *done = false;
    int rc = xc_store_read (self->scratch, &stxn);
    while (rc == 0 && self->phase < S_COMPARED) {
        uint64_t used = 0;
        bool phase_done = false;
        rc = s_compare (self, live, txn, stxn, max, &used, &phase_done);
        if (rc || !phase_done)
            break;   /* a step's keys are spent: the rest next time */
        self->phase++;
        self->comparing = false;   /* the next database from its start */
        if (max && used >= max)
            break;   /* this step's keys are spent */
        if (max)
            max -= used;
    }
    if (stxn)
        mdb_txn_abort (stxn);
    *done = rc == 0 && self->phase == S_COMPARED;
    return rc;
}

static void
s_remove_env (const char *dir)
{
    char path[4200];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    rmdir (dir);
}

xc_replay_t *
xc_replay_new (const char *code, const char *scratch_parent, char *why,
               size_t why_len)
{
    xc_replay_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, "replay: out of memory");
        return NULL;
    }
    snprintf (self->code, sizeof self->code, "%s", code);
    snprintf (self->dir, sizeof self->dir, "%s/replay-XXXXXX",
              scratch_parent);
    if (!mkdtemp (self->dir)) {
        xc_why (why, why_len, XC_ESTORE,
                "cannot create a scratch directory under %s: %s",
                scratch_parent, strerror (errno));
        free (self);
        return NULL;
    }
    char swhy[256] = "";
    self->scratch = xc_store_new (self->dir, 0, swhy, sizeof swhy);
    if (!self->scratch) {
        xc_why (why, why_len, XC_ESTORE, "scratch store: %s", swhy);
        xc_replay_destroy (&self);
    }
    return self;
}

void
xc_replay_destroy (xc_replay_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_replay_t *self = *self_p;
    xc_store_destroy (&self->scratch);
    s_remove_env (self->dir);
    free (self->queued);
    free (self);
    *self_p = NULL;
}

typedef struct {
    xc_replay_t *replay;
    xc_store_t *live;
    MDB_txn *txn;
    char *why;
    size_t why_len;
} s_all_t;

/*  Write fn: the whole log in one scratch transaction; from the start
    again when the scratch map grew. */
static int
s_rebuild (MDB_txn *stxn, void *arg)
{
    s_all_t *a = arg;
    xc_replay_rewind (a->replay, (xc_replay_mark_t) {0, 0, 0});
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (a->live, a->txn, &n, head);
    for (uint64_t seq = 1; rc == 0 && seq <= n; seq++) {
        xc_audit_entry_t e;
        rc = xc_audit_get (a->live, a->txn, seq, &e);
        if (rc == 0)
            rc = xc_replay_entry (a->replay, stxn, a->live, a->txn, &e,
                                  a->why, a->why_len);
    }
    return rc;
}

int
xc_replay (xc_store_t *live, MDB_txn *txn, const char *code,
           const char *scratch_parent, xc_replay_report_t *report, char *why,
           size_t why_len)
{
    memset (report, 0, sizeof *report);
    xc_replay_t *self = xc_replay_new (code, scratch_parent, why, why_len);
    if (!self)
        return XC_ESTORE;
    if (why)
        why[0] = '\0';
    s_all_t a = {self, live, txn, why, why_len};
    int rc = xc_store_write (self->scratch, s_rebuild, &a);
    if (rc && why && !why[0])
        xc_why (why, why_len, rc, "replay failed: %s", xc_strerror (rc));
    bool done;
    if (rc == 0 && (rc = xc_replay_compare (self, live, txn, 0, &done)) != 0)
        xc_why (why, why_len, rc, "cannot compare the indexes");
    *report = self->report;
    xc_replay_destroy (&self);
    return rc;
}
