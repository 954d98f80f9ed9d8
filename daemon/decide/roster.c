/*  roster.c - roster imports and what a certificate may say from them;
    see roster.h.

    Reading order: staging (BEGIN, rows), sealing (sort, duplicates, the
    date), the slices (one person's changes, the index walk that finds
    every person a snapshot must see, the audit entry), roster close, and
    freshness. */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <xiecha/request.h>

#include "decide/apply.h"
#include "decide/conflicts.h"
#include "decide/roster.h"
#include "node/log.h"
#include "store/audit.h"
#include "store/index.h"
#include "store/rosters.h"

#define S_SLICE_PEOPLE 8192    /* people per slice at most */
#define S_SLICE_MS 25          /* ... or this long, whichever comes first */
#define S_SLICE_CHANGES 30000  /* ~1.3 MiB of changes per audit entry */
#define S_BUCKETS 65536        /* of the rows' sort: first two ref bytes */

/*  One staged row: what the index needs, and its line for messages. */
typedef struct {
    uint8_t ref[XC_REF_LEN];
    uint32_t since;
    uint32_t until;
    uint32_t line;
    uint8_t program;
} s_row_t;

/*  Where a slice leaves off: the committed progress, or the slice's
    own until it commits. */
typedef struct {
    size_t pos;                 /* next staged row */
    uint8_t last[XC_REF_LEN];   /* last subject of the index walked */
    int walked;                 /* last is set */
    int index_done;             /* the walk reached the index's end */
    int begun;                  /* a slice committed (BEGIN written) */
    int done;
    uint32_t slices;
    xc_roster_summary_t sum;
} s_progress_t;

struct _xc_roster_t {
    s_row_t *rows;              /* staged rows, their own mapping */
    size_t count;               /* rows used */
    size_t alloc;               /* rows mapped */
    uint64_t touched;           /* last activity, UTC ms */
    xc_refgen_t *refgen;        /* HMAC keyed with the network salt */
    int delta;                  /* a delta, not a snapshot */
    uint32_t as_of;             /* the snapshot's date; a delta's today */
    unsigned declared;          /* programs BEGIN named; 0: the rows' */
    int sealed;
    s_progress_t at;            /* committed */
    s_progress_t next;          /* the slice being written */
    uint8_t *changes;           /* the slice's roster change entry */
    size_t n_changes;
    uint64_t slice_started;     /* monotonic ms, for S_SLICE_MS */
    size_t slice_people;
    struct {                    /* xc_roster_sort, in steps */
        size_t *start;          /* first row of each bucket, and the end */
        size_t *next;           /* next row to settle in each bucket */
        unsigned bucket;        /* next step: permute 0..B-1, sort B..2B-1 */
        int done;
    } sort;
};

/* --------------------------------------------------------------------------
   Staging
   -------------------------------------------------------------------------- */

/*  Staging lives in mappings of its own, so a million rows (48 MB) go
    back to the system when the import ends instead of staying in the
    allocator's arena for the life of the node. */
static void *
s_map (void *old, size_t old_bytes, size_t bytes)
{
    void *p = old ? mremap (old, old_bytes, bytes, MREMAP_MAYMOVE)
                  : mmap (NULL, bytes, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static size_t
s_changes_bytes (void)
{
    return XC_APPLY_ROSTER_HEAD + (size_t) S_SLICE_CHANGES
                                      * XC_APPLY_CHANGE_BYTES;
}

/*  A snapshot not older than the last of each program it names: the
    same rule at BEGIN (early) and at COMMIT (what counts). */
static int
s_check_date (xc_node_t *node, MDB_txn *txn, uint32_t as_of,
              unsigned programs, char *why, size_t why_len)
{
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++) {
        if (!(programs & (1u << p)))
            continue;
        xc_roster_date_t d;
        if (xc_rosters_get (node->store, txn, p, &d))
            return xc_why (why, why_len, XC_ESTORE,
                           "cannot read the roster dates");
        if (as_of >= d.as_of)
            continue;
        char mine[11], last[11];
        xc_date_text (as_of, mine);
        xc_date_text (d.as_of, last);
        return xc_why (why, why_len, XC_EINVAL, "as_of: %s is older than "
                       "the last snapshot of %s (%s); an older snapshot "
                       "would undo newer facts", mine, xc_program_name (p),
                       last);
    }
    return 0;
}

/*  The same check in its own read transaction. */
static int
s_check_date_now (xc_node_t *node, uint32_t as_of, unsigned programs,
                  char *why, size_t why_len)
{
    MDB_txn *txn = NULL;
    if (xc_store_read (node->store, &txn))
        return xc_why (why, why_len, XC_ESTORE, "cannot read the store");
    int rc = s_check_date (node, txn, as_of, programs, why, why_len);
    mdb_txn_abort (txn);
    return rc;
}

xc_roster_t *
xc_roster_new (xc_node_t *node, const Xiecha__ImportRequest *begin,
               uint64_t now, int *code, char *why, size_t why_len)
{
    *code = xc_request_check_import (begin, now, why, why_len);
    if (*code)
        return NULL;
    xc_roster_t *self = calloc (1, sizeof *self);
    if (self)
        self->refgen = xc_refgen_new (node->salt, node->salt_len);
    if (!self || !self->refgen) {
        *code = xc_why (why, why_len, XC_ENOMEM, "roster: out of memory");
        xc_roster_destroy (&self);
        return NULL;
    }
    self->touched = xc_now_ms ();
    self->delta = begin->delta;
    self->as_of = begin->as_of ? begin->as_of : xc_node_today (node, now);
    for (size_t i = 0; i < begin->n_programs; i++)
        self->declared |= 1u << begin->programs[i];
    if (!self->delta)
        *code = s_check_date_now (node, self->as_of, self->declared, why,
                                  why_len);
    if (*code)
        xc_roster_destroy (&self);
    return self;
}

void
xc_roster_destroy (xc_roster_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_roster_t *self = *self_p;
    if (self->rows)
        munmap (self->rows, self->alloc * sizeof *self->rows);
    if (self->changes)
        munmap (self->changes, s_changes_bytes ());
    free (self->sort.start);
    free (self->sort.next);
    xc_refgen_destroy (&self->refgen);
    free (self);
    *self_p = NULL;
    /* The rows came through protobuf-c in thousands of small chunks:
       give back what the allocator kept of them. */
    malloc_trim (0);
}

static int
s_grow (xc_roster_t *self, size_t want, char *why, size_t why_len)
{
    if (want <= self->alloc)
        return 0;
    size_t alloc = self->alloc ? self->alloc : 16384;
    while (alloc < want)
        alloc *= 2;
    s_row_t *rows = s_map (self->rows, self->alloc * sizeof *rows,
                           alloc * sizeof *rows);
    if (!rows)
        return xc_why (why, why_len, XC_ENOMEM, "roster: out of memory");
    self->rows = rows;
    self->alloc = alloc;
    return 0;
}

/*  A row's dates, bounded so that no roster holds an enrollment dated
    far away: it began at most limits/date_future_days after the
    snapshot's date (a delta's: today), and a planned end lies at most
    S_UNTIL_AHEAD_DAYS after it. */
#define S_UNTIL_AHEAD_DAYS 366   /* approved aid runs to its yearly re-check */

static int
s_check_row_dates (const xc_roster_t *self, const xc_node_t *node,
                   const Xiecha__RosterRow *r, char *why, size_t why_len)
{
    int64_t day = xc_date_days (self->as_of);
    uint32_t latest = xc_date_of_days (day + node->config.date_future_days);
    uint32_t last_end = xc_date_of_days (day + S_UNTIL_AHEAD_DAYS);
    int bad_since = r->since > latest, bad_until = r->until > last_end;
    if (!bad_since && !bad_until)
        return 0;
    char text[11], bound[11], date[11];
    xc_date_text (bad_since ? r->since : r->until, text);
    xc_date_text (bad_since ? latest : last_end, bound);
    xc_date_text (self->as_of, date);
    return xc_why (why, why_len, XC_EINVAL, "line %u: %s: %s is after %s "
                   "(the %s's date %s and %s): a roster says what is paid, "
                   "not what may be", r->line, bad_since ? "since" : "until",
                   text, bound, self->delta ? "delta" : "snapshot", date,
                   bad_since ? "limits/date_future_days" : "a year");
}

/*  The row rules (xiecha/request.h), prefixed with the row's line, then
    the subject ref; the plain ID lives only in this call. */
static int
s_check_row (xc_roster_t *self, const xc_node_t *node,
             const Xiecha__RosterRow *r, s_row_t *out, char *why,
             size_t why_len)
{
    char inner[400], norm[XC_ID_LEN + 1];
    if (xc_request_check_row (r, inner, sizeof inner) != 0
        || xc_id_normalize (r->id_number, "id_number", norm, inner,
                            sizeof inner) != 0)
        return xc_why (why, why_len, XC_EINVAL, "line %u: %s", r->line,
                       inner);
    if (self->declared && !(self->declared & (1u << r->program)))
        return xc_why (why, why_len, XC_EINVAL, "line %u: program: %s is "
                       "not one of the programs this snapshot covers",
                       r->line, xc_program_name (r->program));
    int rc = s_check_row_dates (self, node, r, why, why_len);
    if (rc)
        return rc;
    xc_refgen_ref (self->refgen, norm, out->ref);
    explicit_bzero (norm, sizeof norm);
    out->program = (uint8_t) r->program;
    out->since = r->since;
    out->until = r->until;
    out->line = r->line;
    return 0;
}

int
xc_roster_stage (xc_roster_t *self, const xc_node_t *node,
                 Xiecha__RosterRow *const *rows, size_t n, char *why,
                 size_t why_len)
{
    self->touched = xc_now_ms ();
    if (self->sealed)
        return xc_why (why, why_len, XC_EINVAL, "roster: rows after COMMIT");
    if (self->count + n > XC_ROSTER_MAX_ROWS)
        return xc_why (why, why_len, XC_ETOOBIG,
                       "roster: more than %d rows in one import",
                       XC_ROSTER_MAX_ROWS);
    int rc = s_grow (self, self->count + n, why, why_len);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = s_check_row (self, node, rows[i], &self->rows[self->count + i],
                          why, why_len);
    if (rc == 0)
        self->count += n;   /* else unchanged: the chunk is not staged */
    return rc;
}

size_t
xc_roster_rows (const xc_roster_t *self)
{
    return self->count;
}

uint64_t
xc_roster_touched (const xc_roster_t *self)
{
    return self->touched;
}

/* --------------------------------------------------------------------------
   Sealing
   -------------------------------------------------------------------------- */

/*  Person, then program: the index's key order, so the slices walk the
    index and the rows side by side; ties (duplicates) by line. */
static int
s_row_cmp (const void *a, const void *b)
{
    const s_row_t *x = a, *y = b;
    int c = memcmp (x->ref, y->ref, XC_REF_LEN);
    if (c == 0)
        c = (int) x->program - (int) y->program;
    if (c == 0)
        c = x->line < y->line ? -1 : x->line > y->line;
    return c;
}

/*  The first two bytes of a row's ref, its bucket: refs are HMACs under
    a secret salt, so a million rows fill 65536 buckets evenly. */
static unsigned
s_bucket (const s_row_t *r)
{
    return (unsigned) r->ref[0] << 8 | r->ref[1];
}

/*  Puts the rows of bucket b where they belong, swapping the strangers
    into theirs (American flag sort): every swap settles one row, so all
    buckets take n swaps, most of them in the first buckets (a stranger
    swapped in is as random as the one swapped out).  Stops at until
    (monotonic ms) and returns 0 (next[] says where it was); 1 when
    bucket b is done. */
static int
s_sort_permute (xc_roster_t *self, unsigned b, int64_t until)
{
    s_row_t *rows = self->rows;
    size_t *next = self->sort.next;
    for (unsigned swaps = 1; next[b] < self->sort.start[b + 1]; swaps++) {
        size_t i = next[b];
        unsigned k = s_bucket (&rows[i]);
        if (k == b) {
            next[b]++;
            continue;
        }
        s_row_t t = rows[i];
        rows[i] = rows[next[k]];
        rows[next[k]++] = t;
        if (swaps % 4096 == 0 && zclock_mono () >= until)
            return 0;
    }
    return 1;
}

/*  Sorts bucket b: insertion for the few rows a bucket holds, qsort for
    a bucket that is not small (many rows of one person, say), never a
    quadratic sort. */
static void
s_sort_bucket (xc_roster_t *self, unsigned b)
{
    s_row_t *rows = self->rows;
    size_t from = self->sort.start[b], n = self->sort.start[b + 1] - from;
    if (n > 32) {
        qsort (rows + from, n, sizeof *rows, s_row_cmp);
        return;
    }
    for (size_t i = from + 1; i < from + n; i++) {
        s_row_t t = rows[i];
        size_t j = i;
        for (; j > from && s_row_cmp (&rows[j - 1], &t) > 0; j--)
            rows[j] = rows[j - 1];
        rows[j] = t;
    }
}

int
xc_roster_sort (xc_roster_t *self)
{
    if (self->sort.done)
        return 1;
    if (!self->sort.start) {   /* the counting pass: sequential, quick */
        self->sort.start = calloc (S_BUCKETS + 1, sizeof *self->sort.start);
        self->sort.next = malloc (S_BUCKETS * sizeof *self->sort.next);
        if (!self->sort.start || !self->sort.next)
            return XC_ENOMEM;
        for (size_t i = 0; i < self->count; i++)
            self->sort.start[s_bucket (&self->rows[i]) + 1]++;
        for (unsigned b = 0; b < S_BUCKETS; b++)
            self->sort.start[b + 1] += self->sort.start[b];
        memcpy (self->sort.next, self->sort.start,
                S_BUCKETS * sizeof *self->sort.next);
        return 0;
    }
    int64_t until = zclock_mono () + S_SLICE_MS;
    for (; self->sort.bucket < 2 * S_BUCKETS; self->sort.bucket++) {
        unsigned b = self->sort.bucket;
        if (b % 256 == 0 && zclock_mono () >= until)
            return 0;   /* the rest at the next call */
        if (b >= S_BUCKETS)
            s_sort_bucket (self, b - S_BUCKETS);
        else if (!s_sort_permute (self, b, until))
            return 0;
    }
    free (self->sort.start);
    free (self->sort.next);
    self->sort.start = self->sort.next = NULL;
    self->sort.done = 1;
    return 1;
}

int
xc_roster_seal (xc_roster_t *self, xc_node_t *node, char *why,
                size_t why_len)
{
    int sorted;
    while ((sorted = xc_roster_sort (self)) == 0)
        ;
    if (sorted < 0)
        return xc_why (why, why_len, XC_ENOMEM, "roster: out of memory");
    unsigned rows_programs = 0;
    for (size_t i = 0; i < self->count; i++) {
        const s_row_t *r = &self->rows[i];
        rows_programs |= 1u << r->program;
        if (i && memcmp (r->ref, r[-1].ref, XC_REF_LEN) == 0
            && r->program == r[-1].program)
            return xc_why (why, why_len, XC_EINVAL, "line %u: same person "
                           "and program (%s) as line %u; nothing was "
                           "imported", r->line, xc_program_name (r->program),
                           r[-1].line);
    }
    unsigned programs = self->delta ? 0 : self->declared ? self->declared
                                                         : rows_programs;
    if (self->count == 0 && !programs)
        return xc_why (why, why_len, XC_EINVAL, "roster: no rows%s", self->delta
                       ? "" : ", and no programs named: a snapshot of what?");
    int rc = self->delta ? 0 : s_check_date_now (node, self->as_of, programs,
                                                 why, why_len);
    if (rc)
        return rc;
    self->changes = s_map (NULL, 0, s_changes_bytes ());
    if (!self->changes)
        return xc_why (why, why_len, XC_ENOMEM, "roster: out of memory");
    self->sealed = 1;
    self->at.sum.rows = self->count;
    self->at.sum.as_of = self->delta ? 0 : self->as_of;
    self->at.sum.delta = self->delta;
    self->at.sum.programs = programs;
    node->rosters_applying |= programs;
    return 0;
}

/* --------------------------------------------------------------------------
   A slice: one person at a time
   -------------------------------------------------------------------------- */

/*  Still paid on date: open, or ending after it. */
static int
s_paid_after (const xc_enrollment_t *e, uint32_t date)
{
    return e->until == 0 || e->until > date;
}

/*  The roster enrollment of this node a row speaks of: the one of its
    program that began on its since, else the one still paid at the
    date (a corrected since), not matched by another row.  -1: none. */
static int
s_match (const xc_roster_t *self, const char *me, const xc_enrollment_t *list,
         size_t n, const s_row_t *r, const int *matched)
{
    int paid = -1;
    for (size_t i = 0; i < n; i++) {
        const xc_enrollment_t *e = &list[i];
        if (matched[i] || e->program != r->program
            || e->source != XC_SOURCE_ROSTER || strncmp (e->node, me, 6))
            continue;
        if (e->since == r->since)
            return (int) i;
        if (paid < 0 && s_paid_after (e, self->as_of))
            paid = (int) i;
    }
    return paid;
}

/*  One person's changes, made in memory first so that a record that
    would overflow refuses the person's rows, never half of them. */
typedef struct {
    uint8_t program;
    uint32_t old_since, since, until;
} s_change_t;

static void
s_add (s_change_t *c, size_t *n, uint8_t program, uint32_t old_since,
       uint32_t since, uint32_t until)
{
    c[*n] = (s_change_t) {program, old_since, since, until};
    (*n)++;
}

/*  What a person's rows (and, for a snapshot, the absence of one) change
    in list[n]: into c (room for n + nrows), counted in sum. */
static size_t
s_changes_of (const xc_roster_t *self, const char *me,
              const xc_enrollment_t *list, size_t n, const s_row_t *rows,
              size_t nrows, s_change_t *c, xc_roster_summary_t *sum)
{
    int matched[XC_INDEX_MAX] = {0};
    size_t k = 0;
    for (size_t j = 0; j < nrows; j++) {
        const s_row_t *r = &rows[j];
        int m = s_match (self, me, list, n, r, matched);
        if (m >= 0)
            matched[m] = 1;
        if (m < 0) {
            s_add (c, &k, r->program, 0, r->since, r->until);
            sum->added++;
        }
        else if (list[m].since != r->since || list[m].until != r->until) {
            s_add (c, &k, r->program, list[m].since, r->since, r->until);
            sum->changed++;
        }
        else
            sum->unchanged++;
    }
    for (size_t i = 0; !self->delta && i < n; i++) {
        const xc_enrollment_t *e = &list[i];
        if (matched[i] || e->source != XC_SOURCE_ROSTER
            || strncmp (e->node, me, 6) || !(sum->programs & (1u << e->program))
            || !s_paid_after (e, self->as_of))
            continue;
        s_add (c, &k, e->program, e->since, e->since, self->as_of);
        sum->closed++;
    }
    return k;
}

/*  A person's conflicts: each row against other payers' notices, and
    each enrollment this change ends resolves the conflicts it was in. */
static int
s_conflicts_of (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                const uint8_t *ref, const xc_enrollment_t *list, size_t n,
                const s_row_t *rows, size_t nrows, const s_change_t *c,
                size_t k, uint64_t now)
{
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < nrows; j++)
        rc = xc_conflicts_roster (node, txn, ref, rows[j].program,
                                  rows[j].since, rows[j].until, list, n, now,
                                  &self->next.sum.conflicts);
    for (size_t j = 0; rc == 0 && j < k; j++)
        if (c[j].until)
            rc = xc_conflicts_resolve (node, txn, ref, c[j].program, NULL,
                                       c[j].until, now);
    return rc;
}

/*  One person: rows[nrows] (may be none) against the record list[n]
    (may be empty); the changes go to the slice's entry. */
static int
s_person (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
          const uint8_t *ref, const xc_enrollment_t *list, size_t n,
          const s_row_t *rows, size_t nrows, uint64_t now)
{
    const char *me = node->config.code;
    /* a record's entries, each closed at most once, and a row per
       program (sealing made them unique) */
    s_change_t c[XC_INDEX_MAX + XIECHA__PROGRAM__TEMP];
    xc_roster_summary_t sum = self->next.sum;
    size_t k = s_changes_of (self, me, list, n, rows, nrows, c, &sum);
    xc_enrollment_t after[XC_INDEX_MAX];
    size_t an = n;
    memcpy (after, list, n * sizeof *list);
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < k; j++)
        rc = xc_apply_change (after, &an, c[j].program, c[j].old_since,
                              c[j].since, c[j].until, me);
    if (rc == XC_ETOOBIG) {
        xc_warn ("roster: a person's index record holds at most %d "
                 "enrollments; %zu row(s) of one person not applied",
                 XC_INDEX_MAX, nrows);
        self->next.sum.refused += nrows;
        return 0;
    }
    self->next.sum = sum;
    uint8_t *p = self->changes + XC_APPLY_ROSTER_HEAD
                 + self->n_changes * XC_APPLY_CHANGE_BYTES;
    for (size_t j = 0; j < k; j++, p += XC_APPLY_CHANGE_BYTES)
        xc_apply_change_pack (p, ref, c[j].program, c[j].old_since,
                              c[j].since, c[j].until);
    self->n_changes += k;
    self->slice_people++;
    return s_conflicts_of (self, node, txn, ref, list, n, rows, nrows, c, k,
                           now);
}

/*  The rows of one person starting at next.pos: how many. */
static size_t
s_run (const xc_roster_t *self, size_t pos)
{
    size_t end = pos;
    while (end < self->count
           && memcmp (self->rows[end].ref, self->rows[pos].ref,
                      XC_REF_LEN) == 0)
        end++;
    return end - pos;
}

/*  Whether the slice is full: people, time, or room in its entry. */
static int
s_slice_full (const xc_roster_t *self)
{
    return self->slice_people >= S_SLICE_PEOPLE
           || self->n_changes + 2 * XC_INDEX_MAX > S_SLICE_CHANGES
           || (uint64_t) zclock_mono () - self->slice_started >= S_SLICE_MS;
}

/*  The next person of the rows, with the record the index has. */
static int
s_next_rows (xc_roster_t *self, xc_node_t *node, MDB_txn *txn, uint64_t now)
{
    const s_row_t *r = &self->rows[self->next.pos];
    size_t nrows = s_run (self, self->next.pos);
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0;
    int rc = xc_index_get (node->store, txn, r->ref, list, XC_INDEX_MAX, &n);
    if (rc == 0)
        rc = s_person (self, node, txn, r->ref, list, n, r, nrows, now);
    self->next.pos += nrows;
    return rc;
}

typedef struct {
    xc_roster_t *self;
    xc_node_t *node;
    MDB_txn *txn;
    uint64_t now;
} s_walk_t;

/*  A snapshot sees every person of the index, to close what it does not
    list: the index and the sorted rows are walked side by side, so the
    people only in the rows (new ones) come in order between. */
static int
s_walk_one (const uint8_t *ref, const xc_enrollment_t *list, size_t n,
            void *arg)
{
    s_walk_t *w = arg;
    xc_roster_t *self = w->self;
    int rc = 0;
    while (rc == 0 && self->next.pos < self->count
           && memcmp (self->rows[self->next.pos].ref, ref, XC_REF_LEN) < 0)
        rc = s_next_rows (self, w->node, w->txn, w->now);
    const s_row_t *r = self->next.pos < self->count
                           ? &self->rows[self->next.pos] : NULL;
    size_t nrows = r && memcmp (r->ref, ref, XC_REF_LEN) == 0
                       ? s_run (self, self->next.pos) : 0;
    if (rc == 0)
        rc = s_person (self, w->node, w->txn, ref, list, n, nrows ? r : NULL,
                       nrows, w->now);
    self->next.pos += nrows;
    memcpy (self->next.last, ref, XC_REF_LEN);
    self->next.walked = 1;
    return rc ? rc : s_slice_full (self);
}

/*  The slice's audit entry, written through the replay's own function. */
static int
s_write_entry (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
               uint64_t now)
{
    const xc_roster_summary_t *s = &self->next.sum;
    xc_roster_head_t h = {
        .mode = self->delta ? XC_ROSTER_DELTA : XC_ROSTER_SNAPSHOT,
        .programs = (uint8_t) s->programs,
        .as_of = s->as_of,
        .count = (uint32_t) self->n_changes};
    if (!self->delta && !self->at.begun)
        h.flags |= XC_ROSTER_BEGIN;
    if (!self->delta && self->next.done)
        h.flags |= XC_ROSTER_FINISH;
    if (!h.count && !h.flags)
        return 0;   /* a slice that changed nothing leaves no entry */
    xc_apply_head_pack (self->changes, &h);
    size_t len = XC_APPLY_ROSTER_HEAD + self->n_changes
                                            * XC_APPLY_CHANGE_BYTES;
    int rc = xc_apply_roster (node->store, txn, self->changes, len,
                              node->config.code);
    char note[300], date[11];
    xc_date_text (s->as_of, date);
    snprintf (note, sizeof note, "roster %s%s%s, slice %u: %zu changes%s; "
              "so far %llu added, %llu changed, %llu closed, %llu unchanged "
              "of %llu rows, %llu conflicts", self->delta ? "delta" :
              "snapshot as of ", self->delta ? "" : date,
              h.flags & XC_ROSTER_BEGIN ? " (begun)" : "",
              self->next.slices + 1, self->n_changes,
              h.flags & XC_ROSTER_FINISH ? " (complete)" : "",
              (unsigned long long) s->added, (unsigned long long) s->changed,
              (unsigned long long) s->closed,
              (unsigned long long) s->unchanged,
              (unsigned long long) s->rows,
              (unsigned long long) s->conflicts);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_IMPORT, NULL, now,
                              note, self->changes, len, NULL);
    return rc;
}

int
xc_roster_slice (xc_roster_t *self, xc_node_t *node, MDB_txn *txn,
                 uint64_t now)
{
    self->next = self->at;
    self->n_changes = 0;
    self->slice_people = 0;
    self->slice_started = (uint64_t) zclock_mono ();
    int rc = 0;
    if (!self->delta && !self->next.index_done) {
        s_walk_t w = {self, node, txn, now};
        rc = xc_index_walk (node->store, txn,
                            self->next.walked ? self->next.last : NULL,
                            s_walk_one, &w);
        self->next.index_done = rc == 0;
        rc = rc == 1 ? 0 : rc;
    }
    while (rc == 0 && (self->delta || self->next.index_done)
           && self->next.pos < self->count && !s_slice_full (self))
        rc = s_next_rows (self, node, txn, now);
    self->next.done = (self->delta || self->next.index_done)
                      && self->next.pos == self->count;
    if (rc == 0)
        rc = s_write_entry (self, node, txn, now);
    return rc;
}

int
xc_roster_next (xc_roster_t *self, xc_node_t *node)
{
    self->at = self->next;
    self->at.begun = 1;
    self->at.slices++;
    if (self->at.done)
        node->rosters_applying &= ~self->at.sum.programs;
    return self->at.done;
}

void
xc_roster_abandon (xc_roster_t *self, xc_node_t *node)
{
    if (self->sealed)
        node->rosters_applying &= ~self->at.sum.programs;
}

void
xc_roster_summary (const xc_roster_t *self, xc_roster_summary_t *out)
{
    *out = self->at.sum;
}

/* --------------------------------------------------------------------------
   One enrollment closed: xiecha roster close
   -------------------------------------------------------------------------- */

int
xc_roster_close (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                 int program, uint32_t until, uint64_t now,
                 xc_outcome_t *out)
{
    const char *me = node->config.code;
    uint32_t today = xc_node_today (node, now);
    until = until ? until : today;
    uint32_t latest = xc_date_of_days (xc_date_days (today)
                                       + node->config.date_future_days);
    char text[11];
    xc_date_text (until, text);
    if (!xc_date_valid (until) || until > latest)
        return xc_outcome_set (out, XC_EINVAL, "until: %s is not a date up "
                               "to today plus limits/date_future_days", text);
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0;
    int rc = xc_index_get (node->store, txn, ref, list, XC_INDEX_MAX, &n);
    const xc_enrollment_t *e = NULL;
    for (size_t i = 0; rc == 0 && i < n && !e; i++)
        if (list[i].program == program && list[i].source == XC_SOURCE_ROSTER
            && strncmp (list[i].node, me, 6) == 0
            && s_paid_after (&list[i], until))
            e = &list[i];
    if (rc || !e)
        return rc ? rc : xc_outcome_set (out, XC_ENOTENROLLED, "%s: no "
                                         "enrollment of this node's roster "
                                         "paid after %s to close",
                                         xc_program_name (program), text);
    if (until < e->since) {
        char since[11];
        xc_date_text (e->since, since);
        return xc_outcome_set (out, XC_EINVAL, "until: %s is before the "
                               "enrollment's start (%s)", text, since);
    }
    uint8_t entry[XC_APPLY_ROSTER_HEAD + XC_APPLY_CHANGE_BYTES];
    xc_roster_head_t h = {.mode = XC_ROSTER_CLOSE, .count = 1};
    xc_apply_head_pack (entry, &h);
    xc_apply_change_pack (entry + XC_APPLY_ROSTER_HEAD, ref, (uint8_t) program,
                          e->since, e->since, until);
    uint32_t since = e->since;
    rc = xc_apply_roster (node->store, txn, entry, sizeof entry, me);
    char note[160], from[11];
    xc_date_text (since, from);
    snprintf (note, sizeof note, "roster close: %s of one person, paid since "
              "%s, ends %s", xc_program_name (program), from, text);
    if (rc == 0)
        rc = xc_audit_append (node->store, txn, XC_AUDIT_IMPORT, NULL, now,
                              note, entry, sizeof entry, NULL);
    if (rc == 0)
        rc = xc_conflicts_resolve (node, txn, ref, program, NULL, until, now);
    if (rc == 0)
        xc_outcome_set (out, 0, "%s", note);
    return rc;
}

/* --------------------------------------------------------------------------
   xiecha roster show | close
   -------------------------------------------------------------------------- */

static int
s_view (xc_node_t *node, MDB_txn *txn, xc_roster_view_t *view)
{
    int rc = xc_index_get (node->store, txn, view->ref, view->list,
                           XC_INDEX_MAX, &view->n);
    for (int p = XIECHA__PROGRAM__DIBAO; rc == 0 && p <= XIECHA__PROGRAM__TEMP;
         p++)
        rc = xc_rosters_get (node->store, txn, p, &view->dates[p - 1]);
    return rc;
}

int
xc_roster_request (xc_node_t *node, MDB_txn *txn,
                   const Xiecha__RosterRequest *req, uint64_t now,
                   xc_roster_view_t *view, xc_outcome_t *out)
{
    memset (out, 0, sizeof *out);
    memset (view, 0, sizeof *view);
    char why[400];
    int code = xc_request_check_roster (req, now, why, sizeof why);
    if (code == 0) {
        Xiecha__Person p = XIECHA__PERSON__INIT;
        p.id_number = req->id_number;
        code = xc_node_subject (node, &p, "id_number", view->ref, why,
                                sizeof why);
    }
    if (code) {
        xc_outcome_set (out, code, "%s", why);
        return xc_audit_refusal (node->store, txn, now, "roster request",
                                 out->why);
    }
    int rc = 0;
    if (req->action == XIECHA__ROSTER_REQUEST__ACTION__CLOSE)
        rc = xc_roster_close (node, txn, view->ref, req->program, req->until,
                              now, out);
    else
        rc = xc_audit_append (node->store, txn, XC_AUDIT_DECISION, NULL, now,
                              "roster show of one person", NULL, 0, NULL);
    if (rc == 0 && out->code)
        rc = xc_audit_refusal (node->store, txn, now, "roster close",
                               out->why);
    return rc ? rc : s_view (node, txn, view);
}

/* --------------------------------------------------------------------------
   Freshness: what a certificate may say
   -------------------------------------------------------------------------- */

int
xc_roster_fresh (xc_node_t *node, MDB_txn *txn, int program, uint64_t now,
                 uint32_t *as_of, char *why, size_t why_len)
{
    xc_roster_date_t d;
    if (xc_rosters_get (node->store, txn, program, &d))
        return XC_ESTORE;
    *as_of = d.as_of;
    const char *name = xc_program_name (program);
    char date[11];
    if (d.applying && !(node->rosters_applying & (1u << program))) {
        xc_date_text (d.applying, date);
        return xc_why (why, why_len, XC_EROSTER, "cannot answer for %s: its "
                       "snapshot of %s as of %s was interrupted and must be "
                       "imported again", name, name, date);
    }
    if (!d.as_of)
        return xc_why (why, why_len, XC_EROSTER, "cannot answer for %s: it "
                       "holds no roster of %s", name, name);
    unsigned max = xc_trust_max_roster_age (node->trust);
    int64_t age = xc_date_diff (d.as_of, xc_node_today (node, now));
    if (age <= (int64_t) max)
        return 0;
    xc_date_text (d.as_of, date);
    return xc_why (why, why_len, XC_EROSTER, "cannot answer for %s: its "
                   "roster is from %s, older than %u days", name, date, max);
}
