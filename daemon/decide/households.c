/*  households.c - check-ins and absences of households enrolled here.

    Reading order: the LMDB record, then the three decisions (a notice
    queued, a check-in, the due listing); the calendar is xiecha/date.h. */
#include <stdlib.h>
#include <string.h>

#include "xiecha/bytes.h"
#include "xiecha/division.h"
#include "xiecha/request.h"
#include "decide/households.h"
#include "store/audit.h"
#include "store/index.h"

#define S_FORMAT 1
#define S_VALUE_LEN 52

/* --------------------------------------------------------------------------
   The record
   -------------------------------------------------------------------------- */

int
xc_households_put (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                   const xc_household_t *h)
{
    uint8_t v[S_VALUE_LEN] = {S_FORMAT};
    memcpy (v + 1, h->home, 6);
    v[7] = h->program;
    xc_put_u32 (v + 8, h->since);
    xc_put_u32 (v + 12, h->last_checkin);
    xc_put_u32 (v + 16, h->absent_since);
    memcpy (v + 20, h->head, XC_REF_LEN);
    MDB_val key = {XC_REF_LEN, (void *) ref}, val = {sizeof v, v};
    return xc_store_rc (mdb_put (txn, xc_store_dbi (store, XC_DB_HOUSEHOLDS),
                                 &key, &val, 0));
}

/*  Decodes a value into *h (a copy: LMDB's page may go with the txn). */
static int
s_decode (const MDB_val *key, const MDB_val *val, xc_household_t *h)
{
    const uint8_t *p = val->mv_data;
    memset (h, 0, sizeof *h);
    if (key->mv_size != XC_REF_LEN || val->mv_size != S_VALUE_LEN
        || p[0] != S_FORMAT)
        return XC_EMALFORMED;
    memcpy (h->home, p + 1, 6);
    h->program = p[7];
    h->since = xc_get_u32 (p + 8);
    h->last_checkin = xc_get_u32 (p + 12);
    h->absent_since = xc_get_u32 (p + 16);
    memcpy (h->head, p + 20, XC_REF_LEN);
    return 0;
}

int
xc_households_get (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                   xc_household_t *h)
{
    MDB_val key = {XC_REF_LEN, (void *) ref}, val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_HOUSEHOLDS), &key, &val);
    return rc ? xc_store_rc (rc) : s_decode (&key, &val, h);
}

int
xc_households_del (xc_store_t *store, MDB_txn *txn, const uint8_t *ref)
{
    MDB_val key = {XC_REF_LEN, (void *) ref};
    return xc_store_rc (mdb_del (txn, xc_store_dbi (store, XC_DB_HOUSEHOLDS),
                                 &key, NULL));
}

int
xc_households_each (xc_store_t *store, MDB_txn *txn, xc_households_fn *fn,
                    void *arg)
{
    MDB_cursor *cur;
    int rc = mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_HOUSEHOLDS),
                              &cur);
    if (rc)
        return xc_store_rc (rc);
    MDB_val key, val;
    int op = MDB_FIRST;
    rc = 0;
    while (rc == 0 && mdb_cursor_get (cur, &key, &val, op) == 0) {
        op = MDB_NEXT;
        xc_household_t h;
        rc = s_decode (&key, &val, &h);
        if (rc == 0)
            rc = fn (key.mv_data, &h, arg);
    }
    mdb_cursor_close (cur);
    return rc;
}

/* --------------------------------------------------------------------------
   A notice was queued (or refused): follow the enrollment
   -------------------------------------------------------------------------- */

/*  The subjects of one household: the records sharing a head (and, when
    program is set, enrolled in it). */
typedef struct {
    const uint8_t *head;
    int program;               /* 0: any */
    uint8_t refs[XC_MAX_HOUSEHOLD][XC_REF_LEN];
    size_t count;
} s_members_t;

static int
s_member (const uint8_t *ref, const xc_household_t *h, void *arg)
{
    s_members_t *m = arg;
    if (memcmp (h->head, m->head, XC_REF_LEN) == 0
        && (!m->program || h->program == m->program)
        && m->count < XC_MAX_HOUSEHOLD)
        memcpy (m->refs[m->count++], ref, XC_REF_LEN);
    return 0;
}

/*  The members of head's household (program 0: in any program) into a
    fresh *m (caller frees). */
static int
s_members (xc_store_t *store, MDB_txn *txn, const uint8_t *head, int program,
           s_members_t **m)
{
    *m = calloc (1, sizeof **m);
    if (!*m)
        return XC_ENOMEM;
    (*m)->head = head;
    (*m)->program = program;
    return xc_households_each (store, txn, s_member, *m);
}

int
xc_households_members (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                       int program, uint8_t (*refs)[XC_REF_LEN],
                       size_t *count, size_t max)
{
    xc_household_t h;
    int rc = xc_households_get (store, txn, ref, &h);
    if (rc == XC_ENOTFOUND || (rc == 0 && h.program != program))
        return 0;
    s_members_t *m = NULL;
    if (rc == 0)
        rc = s_members (store, txn, h.head, program, &m);
    for (size_t i = 0; rc == 0 && i < m->count; i++) {
        size_t k = 0;
        while (k < *count && memcmp (refs[k], m->refs[i], XC_REF_LEN) != 0)
            k++;
        if (k < *count)
            continue;   /* named already */
        if (*count == max)
            rc = XC_ETOOBIG;
        else
            memcpy (refs[(*count)++], m->refs[i], XC_REF_LEN);
    }
    free (m);
    return rc;
}

/*  A head whose record went while members stayed (it was ended alone):
    the first member left heads them, so `due` and check-ins still see
    one household, not one per member. */
static int
s_rehead (xc_store_t *store, MDB_txn *txn, const uint8_t *old_head)
{
    s_members_t *m = NULL;
    int rc = s_members (store, txn, old_head, 0, &m);
    for (size_t i = 0; rc == 0 && i < m->count; i++) {
        xc_household_t h;
        rc = xc_households_get (store, txn, m->refs[i], &h);
        if (rc == 0) {
            memcpy (h.head, m->refs[0], XC_REF_LEN);
            rc = xc_households_put (store, txn, m->refs[i], &h);
        }
    }
    free (m);
    return rc;
}

/*  The open enrollment date of program paid by this node, for restoring
    a record whose termination the home node refused. */
static uint32_t
s_open_since (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
              int program, const char *me)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0;
    if (xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &n) != 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (list[i].program == program && list[i].until == 0
            && strncmp (list[i].node, me, 6) == 0)
            return list[i].since;
    return 0;
}

/*  Adds (or, undoing an enrollment, removes) one subject's record; a
    head removed while members stay is handed on (s_rehead). */
static int
s_noticed_one (xc_store_t *store, MDB_txn *txn, int enroll, int program,
               const char *home, uint32_t since, const uint8_t *ref,
               const uint8_t *head)
{
    xc_household_t h;
    int rc = xc_households_get (store, txn, ref, &h);
    if (rc && rc != XC_ENOTFOUND)
        return rc;
    int have = rc == 0;
    if (!enroll) {   /* only that program's record goes; another stays */
        if (!have || h.program != program)
            return 0;
        rc = xc_households_del (store, txn, ref);
        if (rc == 0 && memcmp (h.head, ref, XC_REF_LEN) == 0)
            rc = s_rehead (store, txn, ref);
        return rc;
    }
    memset (&h, 0, sizeof h);
    snprintf (h.home, sizeof h.home, "%s", home);
    h.program = (uint8_t) program;
    h.since = since;
    h.last_checkin = since;   /* approval is the first contact */
    memcpy (h.head, head, XC_REF_LEN);
    return xc_households_put (store, txn, ref, &h);
}

int
xc_households_noticed (xc_node_t *node, MDB_txn *txn, int kind, int program,
                       const char *home, uint32_t date,
                       const ProtobufCBinaryData *subjects, size_t count,
                       int undo)
{
    if (kind != XIECHA__NOTICE_KIND__ENROLLMENT
        && kind != XIECHA__NOTICE_KIND__TERMINATION)
        return 0;   /* emergency aid is a one-off grant */
    int enroll = (kind == XIECHA__NOTICE_KIND__ENROLLMENT) != (undo != 0);
    for (size_t i = 0; i < count; i++) {
        const uint8_t *ref = subjects[i].data;
        uint32_t since = date;
        if (enroll && undo) {
            /* A refused termination: the enrollment is open again. */
            since = s_open_since (node->store, txn, ref, program,
                                  node->config.code);
            if (since == 0)
                continue;
        }
        int rc = s_noticed_one (node->store, txn, enroll, program, home,
                                since, ref, subjects[0].data);
        if (rc)
            return rc;
    }
    return 0;
}

/* --------------------------------------------------------------------------
   A check-in
   -------------------------------------------------------------------------- */


/*  What only the node can check of a check-in's date (request.h has
    checked it is a date, and not in the future): not before the
    household's enrollment here. */
static int
s_check_date (uint32_t date, const xc_household_t *h, char *why,
              size_t why_len)
{
    char text[11], since[11];
    if (date >= h->since)
        return 0;
    xc_date_text (date, text);
    xc_date_text (h->since, since);
    return xc_why (why, why_len, XC_EINVAL, "date: %s is before the "
                   "household's enrollment here (%s)", text, since);
}

/*  A check-in moves last_checkin forward (a late entry of an older visit
    never moves it back) and ends an absence that began on or before it;
    an absence report keeps the earliest known date of leaving. */
static void
s_apply (xc_household_t *h, uint32_t date, int absent)
{
    if (absent) {
        if (h->absent_since == 0 || date < h->absent_since)
            h->absent_since = date;
        return;
    }
    if (date > h->last_checkin)
        h->last_checkin = date;
    if (h->absent_since && date >= h->absent_since)
        h->absent_since = 0;
}

/*  Records the check-in for every member; *count says how many. */
static int
s_record (xc_store_t *store, MDB_txn *txn, const xc_household_t *h,
          uint32_t date, int absent, size_t *count)
{
    s_members_t *m = NULL;
    int rc = s_members (store, txn, h->head, 0, &m);
    if (!m)
        return rc;
    for (size_t i = 0; rc == 0 && i < m->count; i++) {
        xc_household_t one;
        rc = xc_households_get (store, txn, m->refs[i], &one);
        if (rc == 0) {
            s_apply (&one, date, absent);
            rc = xc_households_put (store, txn, m->refs[i], &one);
        }
    }
    *count = m->count;
    free (m);
    return rc;
}

int
xc_households_checkin (xc_node_t *node, MDB_txn *txn,
                       const Xiecha__CheckinRequest *req, uint64_t now,
                       uint8_t ref[XC_REF_LEN], uint32_t *recorded,
                       xc_outcome_t *out)
{
    memset (out, 0, sizeof *out);
    char why[400];
    xc_household_t h;
    uint32_t date = req->date ? req->date : xc_node_today (node, now);
    *recorded = date;
    int code = xc_request_check_checkin (req, now, why, sizeof why);
    if (code == 0)
        code = xc_node_subject (node, req->applicant, "applicant.id_number",
                                ref, why, sizeof why);
    if (code == 0) {
        code = xc_households_get (node->store, txn, ref, &h);
        if (code == XC_ENOTFOUND)
            code = xc_why (why, sizeof why, XC_ENOTFOUND,
                           "applicant: no household enrolled here");
        else if (code)
            return code;   /* a store error */
    }
    if (code == 0)
        code = s_check_date (date, &h, why, sizeof why);
    if (code) {   /* a refusal is a local decision, audited */
        xc_outcome_set (out, code, "%s", why);
        return xc_audit_refusal (node->store, txn, now, "client check-in",
                                 why);
    }
    size_t members = 0;
    int rc = s_record (node->store, txn, &h, date, req->absent, &members);
    if (rc)
        return rc;
    char text[11], note[160];
    xc_date_text (date, text);
    snprintf (note, sizeof note, "%s of a household registered at %s "
              "(%zu subject(s)) recorded for %s",
              req->absent ? "absence" : "check-in", h.home, members, text);
    xc_outcome_set (out, 0, "%s", note);
    /* The head's ref as data: traceable to the household, no ID. */
    return xc_audit_append (node->store, txn, XC_AUDIT_DECISION,
                            node->config.code, now, note, h.head, XC_REF_LEN,
                            NULL);
}

/* --------------------------------------------------------------------------
   The due listing
   -------------------------------------------------------------------------- */

/*  One copy of each reason, so a reason is told by its pointer. */
static const char s_absent[] = XC_DUE_ABSENT;
static const char s_overdue[] = XC_DUE_OVERDUE;

typedef struct {
    uint8_t ref[XC_REF_LEN];
    xc_household_t h;
    const char *reason;   /* s_absent or s_overdue */
} s_due_t;

typedef struct {
    xc_node_t *node;
    MDB_txn *txn;
    uint32_t as_of;
    s_due_t *items;
    size_t count, alloc;
} s_listing_t;

/*  Why a household is due, or NULL.  An absence over the limit outranks a
    missed check-in: the family is gone, aid must stop. */
static const char *
s_reason (const s_listing_t *l, const xc_household_t *h)
{
    if (h->absent_since
        && l->as_of > xc_date_add_months (h->absent_since, XC_ABSENT_MONTHS))
        return s_absent;
    if (xc_relation_of (l->node->config.code, h->home)
            == XIECHA__RELATION__OTHER_PROVINCE
        && xc_date_diff (h->last_checkin, l->as_of) > XC_CHECKIN_DAYS)
        return s_overdue;
    return NULL;
}

/*  The head stands for its household; a member is listed on its own only
    once the head's record is gone (the applicant's aid ended alone). */
static int
s_stands_alone (const s_listing_t *l, const uint8_t *ref,
                const xc_household_t *h, int *alone)
{
    xc_household_t head;
    *alone = 1;
    if (memcmp (ref, h->head, XC_REF_LEN) == 0)
        return 0;
    int rc = xc_households_get (l->node->store, l->txn, h->head, &head);
    if (rc == 0)
        *alone = 0;
    return rc == XC_ENOTFOUND ? 0 : rc;
}

static int
s_due_one (const uint8_t *ref, const xc_household_t *h, void *arg)
{
    s_listing_t *l = arg;
    const char *reason = s_reason (l, h);
    int alone = 0;
    int rc = reason ? s_stands_alone (l, ref, h, &alone) : 0;
    if (rc || !reason || !alone)
        return rc;
    if (l->count == XC_DUE_MAX)
        return 1;   /* capped: the reply must fit the client socket's limit */
    if (l->count == l->alloc) {
        size_t want = l->alloc ? l->alloc * 2 : 64;
        s_due_t *grown = realloc (l->items, want * sizeof *grown);
        if (!grown)
            return XC_ENOMEM;
        l->items = grown;
        l->alloc = want;
    }
    s_due_t *d = &l->items[l->count++];
    memcpy (d->ref, ref, XC_REF_LEN);
    d->h = *h;
    d->reason = reason;
    return 0;
}

/*  Absences first (aid to stop), then missed check-ins; oldest first. */
static int
s_due_cmp (const void *a, const void *b)
{
    const s_due_t *x = a, *y = b;
    int xa = x->reason == s_absent, ya = y->reason == s_absent;
    if (xa != ya)
        return ya - xa;
    uint32_t dx = xa ? x->h.absent_since : x->h.last_checkin;
    uint32_t dy = ya ? y->h.absent_since : y->h.last_checkin;
    if (dx != dy)
        return dx < dy ? -1 : 1;
    return memcmp (x->ref, y->ref, XC_REF_LEN);
}

/*  One allocation per item holds the item and the bytes it points to, so
    freeing is one free per item. */
typedef struct {
    Xiecha__DueItem item;   /* first: the block is freed through it */
    uint8_t ref[XC_REF_LEN];
    char home[7];
} s_block_t;

static int
s_fill (Xiecha__DueReply *reply, const s_due_t *items, size_t count)
{
    reply->items = count ? calloc (count, sizeof *reply->items) : NULL;
    s_block_t *blocks = count ? calloc (count, sizeof *blocks) : NULL;
    if (count && (!reply->items || !blocks)) {
        free (reply->items);
        free (blocks);
        reply->items = NULL;
        return XC_ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        s_block_t *b = &blocks[i];
        xiecha__due_item__init (&b->item);
        memcpy (b->ref, items[i].ref, XC_REF_LEN);
        memcpy (b->home, items[i].h.home, sizeof b->home);
        b->item.subject = (ProtobufCBinaryData) {XC_REF_LEN, b->ref};
        b->item.home = b->home;
        b->item.program = items[i].h.program;
        b->item.since = items[i].h.since;
        b->item.last_checkin = items[i].h.last_checkin;
        b->item.absent_since = items[i].h.absent_since;
        b->item.reason = (char *) items[i].reason;
        reply->items[i] = &b->item;
    }
    reply->n_items = count;
    return 0;
}

int
xc_households_due (xc_node_t *node, MDB_txn *txn, uint32_t as_of,
                   uint64_t now, Xiecha__DueReply *reply, char *why,
                   size_t why_len)
{
    xiecha__due_reply__init (reply);
    Xiecha__DueRequest req = XIECHA__DUE_REQUEST__INIT;
    req.as_of = as_of;
    int rc = xc_request_check_due (&req, why, why_len);
    if (rc)
        return rc;
    if (as_of == 0)
        as_of = xc_node_today (node, now);
    reply->as_of = as_of;
    s_listing_t l = {node, txn, as_of, NULL, 0, 0};
    rc = xc_households_each (node->store, txn, s_due_one, &l);
    if (rc > 0)
        rc = 0;
    if (rc == 0) {
        if (l.count)
            qsort (l.items, l.count, sizeof *l.items, s_due_cmp);
        rc = s_fill (reply, l.items, l.count);
    }
    free (l.items);
    if (rc)
        xc_why (why, why_len, rc, "cannot list the households: %s",
                xc_strerror (rc));
    return rc;
}

void
xc_households_due_free (Xiecha__DueReply *reply)
{
    if (reply->n_items)
        free (reply->items[0]);   /* the block array, through its first */
    free (reply->items);
    reply->items = NULL;
    reply->n_items = 0;
}
