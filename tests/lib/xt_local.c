/*  xt_local.c - scratch stores and two opened nodes (xt_local.h). */
#include "xt_local.h"
#include "store/audit.h"
#include "store/seen.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

xc_store_t *
xt_store_new (char *dir, size_t dir_size, const char *name, size_t map_size)
{
    xt_tmpdir_new (dir, dir_size, NULL, name);
    char why[256] = "";
    xc_store_t *store = xc_store_new (dir, map_size, why, sizeof why);
    if (!store)
        xt_fail ("xc_store_new: %s", why);
    return store;
}

void
xt_store_destroy (xc_store_t **store_p, const char *dir)
{
    xc_store_destroy (store_p);
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", dir);
    unlink (path);
    //  rmdir, not a recursive remove: a stray file is worth a failure.
    xt_tmpdir_forget (dir);
    if (rmdir (dir) != 0)
        xt_fail ("rmdir %s: %s", dir, strerror (errno));
}

/*  Opened as xiechad --init would make it: config file first, then
    the node with its new store. */
static xc_node_t *
s_node_open (const xt_node_t *n)
{
    char why[512] = "";
    xc_config_t cfg;
    if (xc_config_load (n->config, &cfg, why, sizeof why) != 0)
        xt_fail ("config %s: %s", n->config, why);
    xc_node_t *node = xc_node_new (&cfg, XC_NODE_INIT, why, sizeof why);
    if (!node)
        xt_fail ("node %s: %s", n->code, why);
    return node;
}

xt_pair_t *
xt_pair_new (const char *name, const char *code_a, const char *code_b)
{
    xt_pair_t *self = calloc (1, sizeof *self);
    if (!self)
        xt_fail ("out of memory");
    const char *codes[] = {code_a, code_b};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .name = name};
    self->fed = xt_fed_new_opts (&o);
    self->a = s_node_open (&self->fed->nodes[0]);
    self->b = s_node_open (&self->fed->nodes[1]);
    return self;
}

void
xt_pair_destroy (xt_pair_t **self_p)
{
    xt_pair_t *self = *self_p;
    if (!self)
        return;
    *self_p = NULL;
    xc_node_destroy (&self->a);
    xc_node_destroy (&self->b);
    xt_fed_destroy (&self->fed);
    free (self);
}

typedef struct {
    xc_store_t *store;
    const uint8_t *ref;
    const xc_enrollment_t *e;
} s_forge_t;

static int
s_forge (MDB_txn *txn, void *arg)
{
    s_forge_t *f = arg;
    return xc_index_add (f->store, txn, f->ref, f->e);
}

void
xt_index_forge (xc_store_t *store, const uint8_t ref[XC_REF_LEN],
                const xc_enrollment_t *e)
{
    s_forge_t f = {store, ref, e};
    int rc = xc_store_write (store, s_forge, &f);
    if (rc)
        xt_fail ("forging an index record: %s", xc_strerror (rc));
}

void
xt_audit_at (xc_node_t *node, uint64_t back, xt_audit_entry_t *e)
{
    MDB_txn *txn;
    uint8_t head[32];
    memset (e, 0, sizeof *e);
    if (xc_store_read (node->store, &txn) != 0)
        xt_fail ("node %s: cannot read its store", node->config.code);
    int rc = xc_audit_head (node->store, txn, &e->count, head);
    xc_audit_entry_t entry;
    if (rc == 0)
        rc = e->count > back ? xc_audit_get (node->store, txn,
                                             e->count - back, &entry)
                             : XC_ENOTFOUND;
    if (rc == 0) {
        e->kind = entry.kind;
        memcpy (e->peer, entry.peer, sizeof e->peer);
        snprintf (e->note, sizeof e->note, "%.*s", (int) entry.note_len,
                  entry.note);
        xc_sha256 (entry.data, entry.data_len, e->data_hash);
        e->data_len = entry.data_len;
        xc_audit_kept_t *k = &e->kept_record;
        e->kept = xc_audit_kept (entry.data, entry.data_len, k) == 0;
        if (e->kept)
            xc_sha256 (k->prefix, k->prefix_len, e->kept_prefix_hash);
        k->prefix = NULL;   /* it lived in the transaction */
    }
    mdb_txn_abort (txn);
    if (rc)
        xt_fail ("node %s: no audit entry %llu back: %s", node->config.code,
                 (unsigned long long) back, xc_strerror (rc));
}

uint64_t
xt_audit_count (xc_node_t *node)
{
    xt_audit_entry_t e;
    MDB_txn *txn;
    uint8_t head[32];
    memset (&e, 0, sizeof e);
    if (xc_store_read (node->store, &txn) != 0)
        xt_fail ("node %s: cannot read its store", node->config.code);
    int rc = xc_audit_head (node->store, txn, &e.count, head);
    mdb_txn_abort (txn);
    if (rc)
        xt_fail ("node %s: no audit head: %s", node->config.code,
                 xc_strerror (rc));
    return e.count;
}

void
xt_audit_assert_data (const xt_audit_entry_t *e, const uint8_t *bytes,
                      size_t len)
{
    uint8_t want[XC_HASH_LEN];
    xc_sha256 (bytes, len, want);
    if (e->data_len != len || memcmp (e->data_hash, want, XC_HASH_LEN) != 0)
        xt_fail ("audit entry %llu: data of %zu bytes is not the %zu "
                 "bytes expected", (unsigned long long) e->count,
                 e->data_len, len);
}

void
xt_audit_assert_kept (const xt_audit_entry_t *e, const uint8_t *bytes,
                      size_t len)
{
    const xc_audit_kept_t *k = &e->kept_record;
    uint8_t want[XC_HASH_LEN], prefix[XC_HASH_LEN];
    xc_sha256 (bytes, len, want);
    if (!e->kept)
        xt_fail ("audit entry %llu: data of %zu bytes is no kept record",
                 (unsigned long long) e->count, e->data_len);
    if (k->len != len || memcmp (k->digest, want, XC_HASH_LEN) != 0)
        xt_fail ("audit entry %llu: keeps a message of %u bytes, not the "
                 "%zu bytes expected", (unsigned long long) e->count,
                 (unsigned) k->len, len);
    xc_sha256 (bytes, k->prefix_len <= len ? k->prefix_len : 0, prefix);
    if (k->prefix_len > len
        || memcmp (prefix, e->kept_prefix_hash, XC_HASH_LEN) != 0)
        xt_fail ("audit entry %llu: its %zu-byte prefix is not the "
                 "message's", (unsigned long long) e->count, k->prefix_len);
}

int
xt_seen (xc_node_t *node, const char *sender, const uint8_t *msg_id)
{
    MDB_txn *txn;
    uint8_t digest[XC_HASH_LEN];
    uint8_t *answer = NULL;
    size_t answer_len = 0;
    if (xc_store_read (node->store, &txn) != 0)
        xt_fail ("node %s: cannot read its store", node->config.code);
    int rc = xc_seen_get (node->store, txn, sender, msg_id, digest, &answer,
                          &answer_len);
    mdb_txn_abort (txn);
    free (answer);
    return rc;
}

void
xt_open_verified (xc_node_t *node, const uint8_t *bytes, size_t len,
                  xc_opened_t *op)
{
    char why[400] = "";
    if (xc_envelope_open (bytes, len, op, why, sizeof why) != 0
        || xc_envelope_verify (op, node->trust, why, sizeof why) != 0)
        xt_fail ("envelope does not open and verify: %s", why);
}

typedef struct {
    xc_roster_t *roster;
    xc_node_t *node;
} s_slice_t;

static int
s_slice_fn (MDB_txn *txn, void *arg)
{
    s_slice_t *s = arg;
    return xc_roster_slice (s->roster, s->node, txn, xc_now_ms ());
}

int
xt_import_slice (xc_node_t *node, xc_roster_t *roster)
{
    s_slice_t s = {roster, node};
    return xc_store_write (node->store, s_slice_fn, &s);
}

int
xt_import (xc_node_t *node, const Xiecha__ImportRequest *begin,
           Xiecha__RosterRow *const *rows, size_t n, xc_roster_summary_t *sum,
           char *why, size_t why_len)
{
    Xiecha__ImportRequest snapshot = XIECHA__IMPORT_REQUEST__INIT;
    snapshot.step = XIECHA__IMPORT_REQUEST__STEP__BEGIN;
    int rc = 0;
    s_slice_t s = {xc_roster_new (node, begin ? begin : &snapshot,
                                  xc_now_ms (), &rc, why, why_len), node};
    if (!s.roster)
        return rc;
    rc = xc_roster_stage (s.roster, node, rows, n, why, why_len);
    if (rc == 0)
        rc = xc_roster_seal (s.roster, node, why, why_len);
    int done = 0;
    while (rc == 0 && !done) {
        rc = xt_import_slice (node, s.roster);
        if (rc == 0)
            done = xc_roster_next (s.roster, node);
        else
            snprintf (why, why_len, "slice: %s", xc_strerror (rc));
    }
    if (rc == 0 && sum)
        xc_roster_summary (s.roster, sum);
    xc_roster_destroy (&s.roster);
    return rc;
}

void
xt_import_row (xc_node_t *node, const char *id, int program, uint32_t since,
               uint32_t until)
{
    Xiecha__RosterRow row = XIECHA__ROSTER_ROW__INIT;
    row.id_number = (char *) id;
    row.program = (Xiecha__Program) program;
    row.since = since;
    row.until = until;
    row.line = 2;
    Xiecha__RosterRow *rows[] = {&row};
    Xiecha__ImportRequest delta = XIECHA__IMPORT_REQUEST__INIT;
    delta.step = XIECHA__IMPORT_REQUEST__STEP__BEGIN;
    delta.delta = 1;
    char why[400] = "";
    if (xt_import (node, &delta, rows, 1, NULL, why, sizeof why) != 0)
        xt_fail ("roster row refused: %s", why);
}

void
xt_rosters_fresh (xc_node_t *node, uint32_t as_of)
{
    Xiecha__Program all[] = {XIECHA__PROGRAM__DIBAO, XIECHA__PROGRAM__TEKUN,
                             XIECHA__PROGRAM__LOW_INCOME,
                             XIECHA__PROGRAM__DIBAO_EDGE,
                             XIECHA__PROGRAM__TEMP};
    Xiecha__ImportRequest snapshot = XIECHA__IMPORT_REQUEST__INIT;
    snapshot.step = XIECHA__IMPORT_REQUEST__STEP__BEGIN;
    snapshot.n_programs = sizeof all / sizeof all[0];
    snapshot.programs = all;
    snapshot.as_of = as_of;
    char why[400] = "";
    if (xt_import (node, &snapshot, NULL, 0, NULL, why, sizeof why) != 0)
        xt_fail ("empty snapshot refused: %s", why);
}
