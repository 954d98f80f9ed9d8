/*  conflicts.c - conflicts found, told and resolved; see conflicts.h.

    Reading order: the overlap rule, s_tell (a conflict recorded and
    told to the other payer, through its CONFLICT notice), then the
    three ways a registration node meets one. */
#include <string.h>

#include "decide/apply.h"
#include "decide/conflicts.h"
#include "decide/sealed.h"
#include "node/log.h"
#include "store/conflicts.h"

int
xc_period_overlap (uint32_t since_a, uint32_t until_a, uint32_t since_b,
                   uint32_t until_b)
{
    return (until_a == 0 || since_b <= until_a)
           && (until_b == 0 || since_a <= until_b);
}

/*  Seals c as a CONFLICT notice to c->other, queues it and records c
    through it (xc_apply_conflict: the one way the table changes, also
    in the replay).  A node no longer in the trust list cannot be told:
    the conflict is recorded and the gap logged. */
static int
s_tell (xc_node_t *node, MDB_txn *txn, const xc_conflict_t *c, uint64_t now)
{
    Xiecha__Conflict k = XIECHA__CONFLICT__INIT;
    k.roster_since = c->roster_since;
    k.roster_until = c->roster_until;
    k.other_since = c->other_since;
    k.other_until = c->other_until;
    k.found = c->found;
    k.resolved = c->resolved;
    ProtobufCBinaryData subject = {XC_REF_LEN, (uint8_t *) c->ref};
    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    n.kind = XIECHA__NOTICE_KIND__CONFLICT;
    n.n_subjects = 1;
    n.subjects = &subject;
    n.program = c->program;
    n.conflict = &k;
    int rc = xc_apply_conflict (node->store, txn, &n, c->registration,
                                c->other);
    if (rc || !xc_trust_node (node->trust, c->other)) {
        if (rc == 0)
            xc_warn ("conflict with %s recorded but not told: not in the "
                     "trust list", c->other);
        return rc;
    }
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    xc_outbox_item_t item = {0};
    rc = xc_node_seal (node, &msg, XIECHA__MSG_TYPE__MSG_NOTICE, c->other,
                       NULL, now, &item.env, &item.env_len);
    char note[200], since[11], other[11];
    xc_date_text (c->roster_since, since);
    xc_date_text (c->other_since, other);
    snprintf (note, sizeof note, "conflict %s: %s paid by %s (roster, since "
              "%s) and %s (notice, since %s)%s", c->resolved ? "resolved"
              : "found", xc_program_name (c->program), c->registration,
              since, c->other, other, c->resolved ? "" : "; told to the "
              "other payer");
    if (rc == 0)
        rc = xc_sealed_queue (node, txn, &item, c->other,
                           XIECHA__NOTICE_KIND__CONFLICT, now, note);
    if (rc == 0) {
        node->outbox_grew = 1;
        xc_info ("%s", note);
    }
    xc_outbox_item_free (&item);
    return rc;
}

/*  The earliest end of two periods that are not both open: the day the
    double payment stopped; 0 while both run. */
static uint32_t
s_ended (uint32_t until_a, uint32_t until_b)
{
    if (!until_a || !until_b)
        return until_a ? until_a : until_b;
    return until_a < until_b ? until_a : until_b;
}

/*  A conflict between this node's roster enrollment and other's, unless
    that enrollment of other's is in one already. */
static int
s_found (xc_node_t *node, MDB_txn *txn, const uint8_t *ref, int program,
         uint32_t since, uint32_t until, const xc_enrollment_t *theirs,
         uint64_t now, uint64_t *found)
{
    const char *me = node->config.code;
    xc_conflict_t c;
    int rc = xc_conflicts_find (node->store, txn, ref, program, me,
                                theirs->node, theirs->since, &c);
    if (rc != XC_ENOTFOUND)
        return rc;
    memset (&c, 0, sizeof c);
    memcpy (c.ref, ref, XC_REF_LEN);
    c.program = (uint8_t) program;
    snprintf (c.registration, sizeof c.registration, "%s", me);
    snprintf (c.other, sizeof c.other, "%s", theirs->node);
    c.found = xc_node_today (node, now);
    c.roster_since = since;
    c.roster_until = until;
    c.other_since = theirs->since;
    c.other_until = theirs->until;
    c.resolved = s_ended (until, theirs->until);
    if (found)
        (*found)++;
    return s_tell (node, txn, &c, now);
}

int
xc_conflicts_roster (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                     int program, uint32_t since, uint32_t until,
                     const xc_enrollment_t *list, size_t n, uint64_t now,
                     uint64_t *found)
{
    const char *me = node->config.code;
    for (size_t i = 0; i < n; i++) {
        const xc_enrollment_t *e = &list[i];
        if (e->program != program || e->source != XC_SOURCE_NOTICE
            || strncmp (e->node, me, 6) == 0
            || !xc_period_overlap (since, until, e->since, e->until))
            continue;
        int rc = s_found (node, txn, ref, program, since, until, e, now,
                          found);
        if (rc)
            return rc;
    }
    return 0;
}

int
xc_conflicts_notice (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                     int program, const char *other, uint32_t since,
                     const xc_enrollment_t *list, size_t n, uint64_t now)
{
    const char *me = node->config.code;
    if (strcmp (other, me) == 0)
        return 0;   /* same county: one payer, whatever the path */
    xc_enrollment_t theirs = {.program = (uint8_t) program,
                              .source = XC_SOURCE_NOTICE, .since = since};
    snprintf (theirs.node, sizeof theirs.node, "%s", other);
    for (size_t i = 0; i < n; i++) {
        const xc_enrollment_t *e = &list[i];
        if (e->program != program || e->source != XC_SOURCE_ROSTER
            || strncmp (e->node, me, 6) != 0
            || !xc_period_overlap (e->since, e->until, since, 0))
            continue;
        int rc = s_found (node, txn, ref, program, e->since, e->until,
                          &theirs, now, NULL);
        if (rc)
            return rc;
    }
    return 0;
}

typedef struct {
    const char *me;
    const char *other;     /* NULL: any (this node's enrollment ended) */
    uint32_t date;
    xc_conflict_t ended[8];
    size_t count;
} s_resolve_t;

/*  Collects the open conflicts to resolve (not resolved in the walk:
    the record changes under the cursor otherwise). */
static int
s_to_resolve (const xc_conflict_t *c, void *arg)
{
    s_resolve_t *r = arg;
    if (c->resolved || strcmp (c->registration, r->me) != 0
        || (r->other && strcmp (c->other, r->other) != 0))
        return 0;
    if (r->count == sizeof r->ended / sizeof r->ended[0])
        return 1;   /* the rest the next end resolves */
    r->ended[r->count++] = *c;
    return 0;
}

int
xc_conflicts_resolve (xc_node_t *node, MDB_txn *txn, const uint8_t *ref,
                      int program, const char *other, uint32_t date,
                      uint64_t now)
{
    s_resolve_t r = {.me = node->config.code, .other = other, .date = date};
    int rc = xc_conflicts_each (node->store, txn, ref, program, s_to_resolve,
                                &r);
    rc = rc > 0 ? 0 : rc;
    for (size_t i = 0; rc == 0 && i < r.count; i++) {
        xc_conflict_t *c = &r.ended[i];
        if (other)
            c->other_until = date;
        else
            c->roster_until = date;
        c->resolved = date;
        rc = s_tell (node, txn, c, now);
    }
    return rc;
}
