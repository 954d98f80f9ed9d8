/*  auditfile.c - writing and verifying audit exports (xiecha/auditfile.h).

    The verifier does not link the daemon: it decodes entries itself from
    the documented layout, and signs nothing, so an auditor can run it
    with only the export and the trust list.  Its cost is the envelopes'
    Ed25519 verifications; they run on a pool of threads, batch by batch,
    while one thread keeps the walk that must go in order (chain, hashes,
    Merkle roots). */
#include <xiecha/auditfile.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xiecha/auditentry.h>
#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>
#include <xiecha/wire.h>
#include <xiecha/text.h>

#include "verify_pool.h"
#define S_MAX_LEVELS 64

static int
s_reserve (xc_auditfile_t *self, size_t more)
{
    if (self->len + more <= self->cap)
        return 0;
    size_t cap = self->cap ? self->cap * 2 : 4096;
    while (cap < self->len + more)
        cap *= 2;
    uint8_t *p = realloc (self->data, cap);
    if (!p)
        return XC_ENOMEM;
    self->data = p;
    self->cap = cap;
    return 0;
}

int
xc_auditfile_init (xc_auditfile_t *self, uint64_t total, uint64_t from,
                   uint64_t to)
{
    memset (self, 0, sizeof *self);
    if (s_reserve (self, XC_AUDITFILE_HEADER) != 0)
        return XC_ENOMEM;
    memcpy (self->data, XC_AUDITFILE_MAGIC, 8);
    xc_put_u64 (self->data + 8, total);
    xc_put_u64 (self->data + 16, from);
    xc_put_u64 (self->data + 24, to);
    self->len = XC_AUDITFILE_HEADER;
    return 0;
}

int
xc_auditfile_add (xc_auditfile_t *self, uint64_t seq, const uint8_t *entry,
                  size_t len, int full)
{
    if (s_reserve (self, 13 + (full ? len : 32)) != 0)
        return XC_ENOMEM;
    uint8_t *p = self->data + self->len;
    xc_put_u64 (p, seq);
    p[8] = full ? 1 : 0;
    if (full) {
        xc_put_u32 (p + 9, (uint32_t) len);
        memcpy (p + 13, entry, len);
        self->len += 13 + len;
    }
    else {
        xc_sha256 (entry, len, p + 9);
        self->len += 9 + 32;
    }
    return 0;
}

void
xc_auditfile_free (xc_auditfile_t *self)
{
    free (self->data);
    memset (self, 0, sizeof *self);
}

/* --------------------------------------------------------------------------
   Verification
   -------------------------------------------------------------------------- */

/*  The walk's state: a cursor over the file and what is known so far. */
typedef struct {
    const uint8_t *buf;
    size_t len, pos;
    const xc_trust_t *trust;
    uint8_t (*hashes)[32];       /* entry hashes 1..entries */
    /*  Merkle subtree cache: level h holds the roots of the aligned
        perfect subtrees of 2^h leaves, tree[level[h] + i] covering leaves
        i * 2^h .. (i + 1) * 2^h - 1; filled up to `cached` leaves. */
    uint8_t (*tree)[32];
    uint64_t level[S_MAX_LEVELS];
    uint64_t cached;
    uint64_t last_cp_size;       /* tree size of the previous checkpoint */
    uint8_t last_cp_root[32];
    char node[7];                /* node of the first checkpoint */
    xc_auditfile_report_t *r;
    /*  With a pool: envelopes of the batch, checked when it is walked
        (cap XC_AUDITFILE_BATCH); NULL: each checked where it is met. */
    xc_vjob_t *jobs;
    size_t n_jobs;
} s_walk_t;

/*  Records a failure at seq; returns code. */
static int
s_fail (s_walk_t *w, uint64_t seq, int code, const char *why)
{
    w->r->bad_seq = seq;
    snprintf (w->r->why, sizeof w->r->why, _("entry %llu: %s"),
              (unsigned long long) seq, why);
    return code;
}

static void
s_count_peer (xc_auditfile_report_t *r, const char *peer)
{
    for (size_t i = 0; i < r->n_peers; i++)
        if (strcmp (r->peers[i].code, peer) == 0) {
            r->peers[i].count++;
            return;
        }
    //  More distinct peers than slots: the summary is only a summary.
    if (r->n_peers < XC_AUDITFILE_PEERS) {
        snprintf (r->peers[r->n_peers].code, 7, "%s", peer);
        r->peers[r->n_peers++].count = 1;
    }
}

/*  Counts a full entry under its actor, when it names one. */
static void
s_count_actor (xc_auditfile_report_t *r, const xc_auditentry_t *e)
{
    xc_actor_t who;
    if (!e->actor || xc_actor_split (e->actor, e->actor_len, &who) != 0)
        return;
    r->attributed++;
    int kind = e->kind < XC_AUDITFILE_KINDS ? e->kind : 0;
    for (size_t i = 0; i < r->n_actors; i++)
        if (strcmp (r->actors[i].who.terminal, who.terminal) == 0
            && strcmp (r->actors[i].who.township, who.township) == 0) {
            r->actors[i].count++;
            r->actors[i].kinds[kind]++;
            return;
        }
    if (r->n_actors < XC_AUDITFILE_ACTORS) {
        xc_auditfile_actor_t *a = &r->actors[r->n_actors++];
        a->who = who;
        a->count = 1;
        a->kinds[kind] = 1;
    }
}

/*  Extends the subtree cache to the first n leaves: each leaf and each
    completed perfect subtree is hashed once over the whole walk. */
static void
s_cache_to (s_walk_t *w, uint64_t n)
{
    for (; w->cached < n; w->cached++) {
        uint64_t i = w->cached;
        xc_merkle_leaf_hash (w->hashes[i], 32, w->tree[w->level[0] + i]);
        for (int h = 1; h < S_MAX_LEVELS && ((i + 1) & ((1ULL << h) - 1)) == 0;
             h++) {
            uint64_t j = (i + 1) >> h;   /* subtrees of 2^h now complete */
            xc_merkle_node_hash (w->tree[w->level[h - 1] + 2 * (j - 1)],
                                 w->tree[w->level[h - 1] + 2 * (j - 1) + 1],
                                 w->tree[w->level[h] + j - 1]);
        }
    }
}

/*  The largest power of two strictly below n (n >= 2). */
static uint64_t
s_split (uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

/*  MTH over cached leaves off .. off + n - 1 (n >= 1), RFC 9162 2.1.1.
    In its recursion every left part is an aligned perfect subtree, so
    this costs O(log n) hashes with the cache. */
static void
s_mth (const s_walk_t *w, uint64_t off, uint64_t n, uint8_t out[32])
{
    if ((n & (n - 1)) == 0 && off % n == 0) {
        int h = 0;
        while ((1ULL << h) < n)
            h++;
        memcpy (out, w->tree[w->level[h] + (off >> h)], 32);
        return;
    }
    uint64_t k = s_split (n);
    uint8_t l[32], r[32];
    s_mth (w, off, k, l);
    s_mth (w, off + k, n - k, r);
    xc_merkle_node_hash (l, r, out);
}

/*  SUBPROOF(m, D[off .. off + n), b), RFC 9162 2.1.4.1, from the cache;
    the same proof xc_merkle_consistency_proof builds from the leaves. */
static int
s_subproof (const s_walk_t *w, uint64_t off, uint64_t n, uint64_t m, int b,
            uint8_t (*proof)[32], size_t cap, size_t *len)
{
    uint8_t h[32];
    if (m == n) {
        if (b)
            return 0;
        s_mth (w, off, n, h);
    }
    else {
        uint64_t k = s_split (n);
        int rc = m <= k
                     ? s_subproof (w, off, k, m, b, proof, cap, len)
                     : s_subproof (w, off + k, n - k, m - k, 0, proof, cap,
                                   len);
        if (rc != 0)
            return rc;
        if (m <= k)
            s_mth (w, off + k, n - k, h);
        else
            s_mth (w, off, k, h);
    }
    if (*len >= cap)
        return XC_EINVAL;
    memcpy (proof[(*len)++], h, 32);
    return 0;
}

/*  Checks a checkpoint entry at seq (its data in data[len]).  The root
    and the consistency proof come from the subtree cache, which is
    extended to the entries before the checkpoint: O(n) hashes over the
    whole file plus O(log^2 n) per checkpoint, where recomputing both
    from all hashes at every checkpoint was O(n * checkpoints). */
static int
s_check_checkpoint (s_walk_t *w, uint64_t seq, const uint8_t *e,
                    const uint8_t *data, size_t len)
{
    char why[300], msg[360];
    xc_checkpoint_t cp;
    int rc = xc_checkpoint_verify (data, len, w->trust, &cp, why, sizeof why);
    if (rc != 0)
        return s_fail (w, seq, rc, why);
    //  The entry around the signed record adds nothing unsigned (the
    //  node writes none of these), or the last checkpoint's entry, which
    //  no root covers, could carry words nobody signed.
    static const uint8_t no_peer[6];
    if (e[0] != XC_AUDIT_FORMAT || xc_get_u16 (e + 2) != 0
        || memcmp (e + 48, no_peer, 6) != 0
        || xc_get_u64 (e + 8) != cp.time_ms)
        return s_fail (w, seq, XC_EMALFORMED, _("checkpoint entry carries a "
                         "note, a peer, an actor or a time other than the "
                         "checkpoint's"));
    //  One log, one node: a checkpoint signed by another node (even
    //  validly) was spliced in from elsewhere.
    if (w->node[0] && strcmp (w->node, cp.node) != 0) {
        snprintf (msg, sizeof msg, _("checkpoint by node %s, earlier ones by "
                    "%s"), cp.node, w->node);
        return s_fail (w, seq, XC_EMALFORMED, msg);
    }
    memcpy (w->node, cp.node, sizeof w->node);
    memcpy (w->r->node, cp.node, sizeof w->r->node);
    //  A checkpoint covers exactly the entries before it.
    if (cp.tree_size != seq - 1) {
        snprintf (msg, sizeof msg, _("checkpoint covers %llu entries, not %llu"),
                  (unsigned long long) cp.tree_size,
                  (unsigned long long) seq - 1);
        return s_fail (w, seq, XC_EMALFORMED, msg);
    }
    uint8_t root[32];
    s_cache_to (w, cp.tree_size);
    if (cp.tree_size == 0)
        xc_merkle_root ((const uint8_t (*)[32]) w->hashes, 0, root);
    else
        s_mth (w, 0, cp.tree_size, root);
    if (memcmp (root, cp.root, 32) != 0)
        return s_fail (w, seq, XC_ESIG,
                       _("checkpoint root does not match the entries before "
                         "it"));
    if (w->last_cp_size > 0) {
        uint8_t proof[XC_MERKLE_MAX_PROOF][32];
        size_t plen = 0;
        //  As xc_merkle_consistency_proof: empty when the sizes are equal.
        rc = w->last_cp_size > cp.tree_size ? XC_EINVAL
             : w->last_cp_size == cp.tree_size
                 ? 0
                 : s_subproof (w, 0, cp.tree_size, w->last_cp_size, 1, proof,
                               XC_MERKLE_MAX_PROOF, &plen);
        if (rc == 0)
            rc = xc_merkle_consistency_verify (w->last_cp_size, cp.tree_size,
                                               w->last_cp_root, cp.root,
                                               (const uint8_t (*)[32]) proof,
                                               plen);
        if (rc != 0)
            return s_fail (w, seq, XC_ESIG,
                           _("checkpoint not consistent with the previous one"));
    }
    w->last_cp_size = cp.tree_size;
    memcpy (w->last_cp_root, cp.root, 32);
    w->r->checkpoints++;
    w->r->covered = cp.tree_size;
    return 0;
}

/*  The pool's check (verify_pool.h): opens and verifies one envelope;
    arg is the trust list. */
static int
s_envelope_ok (const uint8_t *data, size_t len, const void *arg)
{
    char why[300];
    xc_opened_t o = {0};
    int rc = xc_envelope_open (data, len, &o, why, sizeof why);
    if (rc == 0)
        rc = xc_envelope_verify (&o, arg, why, sizeof why);
    xc_opened_free (&o);
    return rc;
}

/*  Opens and verifies an envelope stored in a sent/received entry, or,
    with a pool, leaves it to the batch's run. */
static int
s_check_envelope (s_walk_t *w, uint64_t seq, const uint8_t *data, size_t len)
{
    if (w->jobs) {
        w->jobs[w->n_jobs++] = (xc_vjob_t) {data, len, 0};
        return 0;
    }
    char why[300], msg[360];
    xc_opened_t o = {0};
    int rc = xc_envelope_open (data, len, &o, why, sizeof why);
    if (rc == 0)
        rc = xc_envelope_verify (&o, w->trust, why, sizeof why);
    xc_opened_free (&o);
    if (rc != 0) {
        snprintf (msg, sizeof msg, _("envelope: %s"), why);
        return s_fail (w, seq, rc, msg);
    }
    w->r->envelopes++;
    return 0;
}

/*  Checks a full entry e[len] at seq and leaves its hash in out. */

/*  A restore (auditentry.h): the log goes on from a copy of the store.
    Its data says how many entries the copy held; in format 1 that must
    be the entries before it, or the entry lies about where the gap is. */
static int
s_check_restore (s_walk_t *w, uint64_t seq, const xc_auditentry_t *a)
{
    if (a->data_len == XC_AUDIT_RESTORE_LEN && a->data[0] == 1
        && xc_get_u64 (a->data + 2) != seq - 1)
        return s_fail (w, seq, XC_EMALFORMED, _("restore entry names another "
                       "entry as the copy's last"));
    w->r->restores++;
    w->r->restored_at = seq;
    return 0;
}

static int
s_check_full (s_walk_t *w, uint64_t seq, const uint8_t *e, size_t len,
              uint8_t out[32])
{
    xc_auditentry_t a;
    if (xc_auditentry_parse (e, len, &a) != 0)
        return s_fail (w, seq, XC_EMALFORMED, _("malformed"));
    static const uint8_t zero[32];
    const uint8_t *prev = seq == 1 ? zero : w->hashes[seq - 2];
    if (memcmp (a.prev_hash, prev, 32) != 0) {
        char msg[120];
        snprintf (msg, sizeof msg, _("prev_hash does not match hash of entry "
                    "%llu"), (unsigned long long) seq - 1);
        return s_fail (w, seq, XC_EMALFORMED,
                       seq == 1 ? _("prev_hash is not zero") : msg);
    }
    xc_sha256 (e, len, out);
    xc_auditfile_report_t *r = w->r;
    uint64_t t = a.time_ms;
    if (r->full == 0 || t < r->first_ms)
        r->first_ms = t;
    if (t > r->last_ms)
        r->last_ms = t;
    r->full++;
    r->kinds[a.kind < XC_AUDITFILE_KINDS ? a.kind : 0]++;
    if (a.peer[0])
        s_count_peer (r, a.peer);
    s_count_actor (r, &a);
    if (a.kind == XC_AUDIT_CHECKPOINT)
        return s_check_checkpoint (w, seq, e, a.data, a.data_len);
    if (a.kind == XC_AUDIT_RESTORE)
        return s_check_restore (w, seq, &a);
    if (a.kind == XC_AUDIT_RECEIVED || a.kind == XC_AUDIT_SENT)
        return s_check_envelope (w, seq, a.data, a.data_len);
    return 0;
}

/*  True when a record for seq appears at or after pos: tells a reordered
    entry from a dropped one.  Only run on failure. */
static int
s_later (const s_walk_t *w, size_t pos, uint64_t seq)
{
    while (w->len - pos >= 41) {
        const uint8_t *p = w->buf + pos;
        if (xc_get_u64 (p) == seq)
            return 1;
        size_t step = p[8] == 0 ? 41 : 13 + (size_t) xc_get_u32 (p + 9);
        if (p[8] > 1 || w->len - pos < step)
            return 0;
        pos += step;
    }
    return 0;
}

/*  Reads and checks the record for entry want. */
static int
s_record (s_walk_t *w, uint64_t want)
{
    const uint8_t *p = w->buf + w->pos;
    size_t left = w->len - w->pos;
    if (left < 9 || (p[8] == 0 && left < 41) || (p[8] == 1 && left < 13))
        return s_fail (w, want, XC_EMALFORMED, _("file truncated"));
    uint64_t seq = xc_get_u64 (p);
    if (seq > want && !s_later (w, w->pos, want))
        return s_fail (w, want, XC_EMALFORMED, _("missing"));
    if (seq != want) {
        char msg[80];
        snprintf (msg, sizeof msg, _("out of order (found entry %llu)"),
                  (unsigned long long) seq);
        return s_fail (w, want, XC_EMALFORMED, msg);
    }
    uint8_t *h = w->hashes[want - 1];
    if (p[8] == 0 && want >= w->r->from && want <= w->r->to) {
        char msg[120];
        snprintf (msg, sizeof msg, _("only a hash, inside the exported range "
                    "%llu..%llu"), (unsigned long long) w->r->from,
                  (unsigned long long) w->r->to);
        return s_fail (w, want, XC_EMALFORMED, msg);
    }
    if (p[8] == 0) {
        memcpy (h, p + 9, 32);
        w->pos += 41;
        return 0;
    }
    if (p[8] != 1)
        return s_fail (w, want, XC_EMALFORMED, _("bad record flag"));
    size_t elen = xc_get_u32 (p + 9);
    if (left - 13 < elen)
        return s_fail (w, want, XC_EMALFORMED, _("file truncated"));
    w->pos += 13 + elen;
    //  Outside from..to only checkpoints come in full: anything else
    //  means the header's range is not the one the records hold.
    if ((want < w->r->from || want > w->r->to) && elen > 1
        && p[13 + 1] != XC_AUDIT_CHECKPOINT) {
        char msg[120];
        snprintf (msg, sizeof msg, _("in full, outside the exported range "
                    "%llu..%llu"), (unsigned long long) w->r->from,
                  (unsigned long long) w->r->to);
        return s_fail (w, want, XC_EMALFORMED, msg);
    }
    return s_check_full (w, want, p + 13, elen, h);
}

static int
s_header (s_walk_t *w)
{
    xc_auditfile_report_t *r = w->r;
    if (w->len < XC_AUDITFILE_HEADER
        || memcmp (w->buf, XC_AUDITFILE_MAGIC, 8) != 0) {
        snprintf (r->why, sizeof r->why, "not an audit export");
        return XC_EMALFORMED;
    }
    r->total = xc_get_u64 (w->buf + 8);
    r->from = xc_get_u64 (w->buf + 16);
    r->to = xc_get_u64 (w->buf + 24);
    //  Nothing in an empty export is signed; a node's export is never
    //  empty (it ends with a checkpoint).
    if (r->total == 0) {
        snprintf (r->why, sizeof r->why, "the export holds no entries, so "
                  "nothing in it is signed");
        return XC_EMALFORMED;
    }
    if (r->from < 1 || r->from > r->to || r->to > r->total) {
        snprintf (r->why, sizeof r->why, "header: range %llu..%llu is not "
                  "within the %llu entries the export holds",
                  (unsigned long long) r->from, (unsigned long long) r->to,
                  (unsigned long long) r->total);
        return XC_EMALFORMED;
    }
    //  Every record is at least 41 bytes: a larger count is a lie, and
    //  refusing it bounds the allocation below by the file size.
    if (r->total > (w->len - XC_AUDITFILE_HEADER) / 9 + 1) {
        r->bad_seq = (w->len - XC_AUDITFILE_HEADER) / 41 + 1;
        snprintf (r->why, sizeof r->why,
                  "file truncated: header announces %llu entries",
                  (unsigned long long) r->total);
        return XC_EMALFORMED;
    }
    w->hashes = malloc ((size_t) (r->total ? r->total : 1) * 32);
    //  The subtree cache: total >> h roots at level h, under 2 * total.
    uint64_t cells = 0;
    for (int h = 0; h < S_MAX_LEVELS; h++) {
        w->level[h] = cells;
        cells += r->total >> h;
    }
    w->tree = malloc ((size_t) (cells ? cells : 1) * 32);
    return w->hashes && w->tree ? 0 : XC_ENOMEM;
}

/*  After a walk that held: entries after the last checkpoint entry
    (covered + 1) are under no signature. */
static int
s_coverage (xc_auditfile_report_t *r)
{
    uint64_t sealed = r->checkpoints ? r->covered + 1 : 0;
    if (sealed >= r->total)
        return 0;
    r->uncovered_from = sealed + 1;
    r->uncovered_to = r->total;
    r->bad_seq = r->uncovered_from;
    if (sealed == 0)
        snprintf (r->why, sizeof r->why, "entries 1..%llu are not covered "
                  "by a signed checkpoint: the export holds none",
                  (unsigned long long) r->total);
    else
        snprintf (r->why, sizeof r->why, "entries %llu..%llu are not "
                  "covered by a signed checkpoint (the last, entry %llu, "
                  "covers 1..%llu)", (unsigned long long) r->uncovered_from,
                  (unsigned long long) r->total, (unsigned long long) sealed,
                  (unsigned long long) r->covered);
    return XC_EUNCOVERED;
}

/*  Walks records seq .. last (both included), counting them; returns at
    the first failure. */
static int
s_walk (s_walk_t *w, uint64_t seq, uint64_t last, xc_progress_fn *progress,
        void *arg)
{
    xc_auditfile_report_t *r = w->r;
    int rc = 0;
    for (; rc == 0 && seq <= last; seq++) {
        rc = s_record (w, seq);
        if (rc == 0)
            r->entries++;
        if (progress && (seq % XC_AUDITFILE_PROGRESS_EVERY == 0
                         || seq == r->total))
            progress (r->entries, r->total, arg);
    }
    return rc;
}

/*  One batch with the pool: walked here with its envelopes collected,
    then checked on every thread.  When anything in it failed, the batch
    is walked again from its start with each envelope checked in turn,
    so that the report is the one thread's to the byte. */
static int
s_batch (s_walk_t *w, xc_vpool_t *pool, uint64_t seq, uint64_t last,
         xc_progress_fn *progress, void *arg)
{
    s_walk_t saved = *w;
    xc_auditfile_report_t saved_r = *w->r;
    w->n_jobs = 0;
    int rc = s_walk (w, seq, last, NULL, NULL);
    xc_vpool_run (pool, w->jobs, w->n_jobs);
    bool failed = rc != 0;
    for (size_t i = 0; i < w->n_jobs && !failed; i++)
        failed = w->jobs[i].rc != 0;
    if (!failed) {
        w->r->envelopes += w->n_jobs;
        //  Batches end on multiples of the progress period (4096 divides
        //  65536), so the calls fall where one thread's do.
        if (progress && (last % XC_AUDITFILE_PROGRESS_EVERY == 0
                         || last == w->r->total))
            progress (w->r->entries, w->r->total, arg);
        return 0;
    }
    xc_vjob_t *jobs = w->jobs;
    *w = saved;
    *w->r = saved_r;
    w->jobs = NULL;
    rc = s_walk (w, seq, last, progress, arg);
    w->jobs = jobs;
    return rc;
}

static unsigned
s_threads (unsigned threads)
{
    if (threads)
        return threads;
    long n = sysconf (_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned) n : 1;
}

int
xc_auditfile_verify (const uint8_t *buf, size_t len, const xc_trust_t *trust,
                     xc_auditfile_report_t *report)
{
    return xc_auditfile_verify_threads (buf, len, trust, report, 1, NULL,
                                        NULL);
}

int
xc_auditfile_verify_progress (const uint8_t *buf, size_t len,
                              const xc_trust_t *trust,
                              xc_auditfile_report_t *report,
                              xc_progress_fn *progress, void *arg)
{
    return xc_auditfile_verify_threads (buf, len, trust, report, 1, progress,
                                        arg);
}

int
xc_auditfile_verify_threads (const uint8_t *buf, size_t len,
                             const xc_trust_t *trust,
                             xc_auditfile_report_t *report, unsigned threads,
                             xc_progress_fn *progress, void *arg)
{
    memset (report, 0, sizeof *report);
    s_walk_t w = {.buf = buf, .len = len, .pos = XC_AUDITFILE_HEADER,
                  .trust = trust, .r = report};
    xc_vpool_t *pool = NULL;
    int rc = s_header (&w);
    threads = s_threads (threads);
    if (rc == 0 && threads > 1) {
        w.jobs = malloc (XC_AUDITFILE_BATCH * sizeof *w.jobs);
        pool = w.jobs ? xc_vpool_new (threads, s_envelope_ok, trust) : NULL;
        if (!pool)
            rc = XC_ENOMEM;
    }
    for (uint64_t seq = 1; rc == 0 && seq <= report->total;
         seq += XC_AUDITFILE_BATCH) {
        uint64_t last = report->total - seq < XC_AUDITFILE_BATCH
                            ? report->total
                            : seq + XC_AUDITFILE_BATCH - 1;
        rc = pool ? s_batch (&w, pool, seq, last, progress, arg)
                  : s_walk (&w, seq, last, progress, arg);
    }
    if (rc == 0 && w.pos != len) {
        report->bad_seq = report->total + 1;
        snprintf (report->why, sizeof report->why,
                  "%zu bytes after the last entry", len - w.pos);
        rc = XC_EMALFORMED;
    }
    if (rc == 0)
        rc = s_coverage (report);
    xc_vpool_destroy (&pool);
    free (w.jobs);
    free (w.hashes);
    free (w.tree);
    return rc;
}
