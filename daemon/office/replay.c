/*  replay.c - the subject index, the roster dates and the conflicts
    rebuilt from the audit log (replay.h).  Every change is made by the
    same rules the live decisions use (decide/apply.h), so a replay that
    reports differences on an untouched node means a log or a store that
    was altered. */
#include "office/replay.h"

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

typedef struct {
    xc_store_t *live;
    MDB_txn *live_txn;
    xc_store_t *scratch;
    const char *code;
    xc_replay_report_t *report;
    s_queued_t *queued;
    size_t n_queued, cap_queued;
    char *why;
    size_t why_len;
} s_replay_t;

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

static int
s_rebuild (MDB_txn *txn, void *arg)
{
    s_replay_t *self = arg;
    self->n_queued = 0;
    self->report->entries = 0;
    self->report->replayed = 0;
    uint64_t n;
    uint8_t head[32];
    int rc = xc_audit_head (self->live, self->live_txn, &n, head);
    for (uint64_t seq = 1; rc == 0 && seq <= n; seq++) {
        xc_audit_entry_t e;
        rc = xc_audit_get (self->live, self->live_txn, seq, &e);
        if (rc)
            break;
        self->report->entries++;
        int changed = 0;
        rc = s_entry_replay (self, txn, &e, &changed);
        self->report->replayed += (uint64_t) changed;
    }
    return rc;
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

/*  Walks one database of both stores in key order; subjects counts the
    index's records. */
static int
s_compare_db (s_replay_t *self, MDB_txn *scratch_txn, xc_db_t db,
              s_describe_fn *describe, int subjects)
{
    if (!xc_store_has (self->live, db))
        return 0;   /* an older store: nothing there, nothing to rebuild */
    MDB_cursor *a = NULL, *b = NULL;
    int rc = mdb_cursor_open (self->live_txn, xc_store_dbi (self->live, db),
                              &a);
    if (rc == 0)
        rc = mdb_cursor_open (scratch_txn, xc_store_dbi (self->scratch, db),
                              &b);
    if (rc) {
        if (a)
            mdb_cursor_close (a);
        return XC_ESTORE;
    }
    MDB_val ka, va, kb, vb;
    int ra = mdb_cursor_get (a, &ka, &va, MDB_FIRST);
    int rb = mdb_cursor_get (b, &kb, &vb, MDB_FIRST);
    xc_replay_report_t *r = self->report;
    while ((ra == 0 || rb == 0) && rc == 0) {
        int cmp;
        if (ra)
            cmp = 1;
        else if (rb)
            cmp = -1;
        else {
            size_t n = ka.mv_size < kb.mv_size ? ka.mv_size : kb.mv_size;
            cmp = memcmp (ka.mv_data, kb.mv_data, n);
            if (cmp == 0 && ka.mv_size != kb.mv_size)
                cmp = ka.mv_size < kb.mv_size ? -1 : 1;
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
    mdb_cursor_close (a);
    mdb_cursor_close (b);
    return rc;
}

/*  The index, the roster dates and the conflicts, each walked in key
    order in both stores. */
static int
s_compare (s_replay_t *self, MDB_txn *scratch_txn)
{
    int rc = s_compare_db (self, scratch_txn, XC_DB_INDEX, s_describe_index,
                           1);
    if (rc == 0)
        rc = s_compare_db (self, scratch_txn, XC_DB_ROSTERS,
                           s_describe_roster, 0);
    if (rc == 0)
        rc = s_compare_db (self, scratch_txn, XC_DB_CONFLICTS,
                           s_describe_conflict, 0);
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

int
xc_replay (xc_store_t *live, MDB_txn *txn, const char *code,
           const char *scratch_parent, xc_replay_report_t *report, char *why,
           size_t why_len)
{
    memset (report, 0, sizeof *report);
    char dir[4200];
    snprintf (dir, sizeof dir, "%s/replay-XXXXXX", scratch_parent);
    if (!mkdtemp (dir))
        return xc_why (why, why_len, XC_ESTORE,
                       "cannot create a scratch directory under %s",
                       scratch_parent);
    s_replay_t self = {.live = live, .live_txn = txn, .code = code,
                       .report = report, .why = why, .why_len = why_len};
    char swhy[256] = "";
    self.scratch = xc_store_new (dir, 0, swhy, sizeof swhy);
    int rc = self.scratch ? 0 : xc_why (why, why_len, XC_ESTORE,
                                        "scratch store: %s", swhy);
    if (rc == 0) {
        if (why)
            why[0] = '\0';
        rc = xc_store_write (self.scratch, s_rebuild, &self);
        if (rc && why && !why[0])
            xc_why (why, why_len, rc, "replay failed: %s",
                    xc_strerror (rc));
    }
    MDB_txn *stxn = NULL;
    if (rc == 0 && (rc = xc_store_read (self.scratch, &stxn)) == 0) {
        rc = s_compare (&self, stxn);
        mdb_txn_abort (stxn);
        if (rc)
            xc_why (why, why_len, rc, "cannot compare the indexes");
    }
    free (self.queued);
    xc_store_destroy (&self.scratch);
    s_remove_env (dir);
    return rc;
}
