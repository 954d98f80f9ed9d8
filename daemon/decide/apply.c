/*  apply.c - index changes of recorded decisions; see apply.h. */
#include <stdio.h>
#include <string.h>

#include <xiecha/bytes.h>

#include "decide/apply.h"
#include "store/conflicts.h"
#include "store/rosters.h"

#define S_ROSTER_TAG "XCR1"

xc_enrollment_t
xc_apply_entry (const Xiecha__Notice *n, const char *payer)
{
    xc_enrollment_t e = {.program = (uint8_t) n->program,
                         .source = XC_SOURCE_NOTICE,
                         .since = n->start_date};
    if (n->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID)
        e.until = n->start_date;
    snprintf (e.node, sizeof e.node, "%s", payer);
    return e;
}

int
xc_apply_find_open (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                    int program, const char *payer, uint32_t end,
                    xc_enrollment_t *found)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0;
    int rc = xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &n);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (list[i].program == program && list[i].source == XC_SOURCE_NOTICE
            && strncmp (list[i].node, payer, 6) == 0
            && list[i].until == 0 && list[i].since <= end) {
            *found = list[i];
            return 0;
        }
    return XC_ENOTFOUND;
}

int
xc_apply_notice (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                 const char *payer)
{
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT)
        return 0;   /* a finding about two payers, not a payment */
    for (size_t i = 0; i < n->n_subjects; i++) {
        if (n->subjects[i].len != XC_REF_LEN)
            return XC_EMALFORMED;
        const uint8_t *ref = n->subjects[i].data;
        xc_enrollment_t e = xc_apply_entry (n, payer);
        if (n->kind == XIECHA__NOTICE_KIND__TERMINATION) {
            int rc = xc_apply_find_open (store, txn, ref, n->program, payer,
                                         n->end_date, &e);
            if (rc == XC_ENOTFOUND)
                continue;
            if (rc)
                return rc;
            e.until = n->end_date;
        }
        int rc = xc_index_add (store, txn, ref, &e);
        if (rc)
            return rc;
    }
    return 0;
}

int
xc_apply_undo (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
               const char *payer)
{
    int rc = 0;
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT)
        return 0;   /* the conflict stays found: it changed no index */
    for (size_t i = 0; rc == 0 && i < n->n_subjects; i++) {
        const uint8_t *ref = n->subjects[i].data;
        if (n->kind != XIECHA__NOTICE_KIND__TERMINATION) {
            xc_enrollment_t e = xc_apply_entry (n, payer);
            rc = xc_index_remove (store, txn, ref, &e);
            rc = rc == XC_ENOTFOUND ? 0 : rc;
            continue;
        }
        xc_enrollment_t list[XC_INDEX_MAX];
        size_t count = 0;
        rc = xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &count);
        for (size_t j = 0; rc == 0 && j < count; j++)
            if (list[j].program == n->program && list[j].until == n->end_date
                && list[j].source == XC_SOURCE_NOTICE
                && strncmp (list[j].node, payer, 6) == 0) {
                list[j].until = 0;
                rc = xc_index_add (store, txn, ref, &list[j]);
                break;
            }
    }
    return rc;
}

int
xc_apply_rows (xc_store_t *store, MDB_txn *txn, const uint8_t *rows,
               size_t len, const char *payer)
{
    if (len % XC_APPLY_ROW_BYTES)
        return XC_EMALFORMED;
    for (size_t off = 0; off < len; off += XC_APPLY_ROW_BYTES) {
        const uint8_t *p = rows + off;
        xc_enrollment_t e = {.program = p[XC_REF_LEN],
                             .since = xc_get_u32 (p + XC_REF_LEN + 1),
                             .until = xc_get_u32 (p + XC_REF_LEN + 5)};
        snprintf (e.node, sizeof e.node, "%s", payer);
        int rc = xc_index_add (store, txn, p, &e);
        if (rc)
            return rc;
    }
    return 0;
}

/* --------------------------------------------------------------------------
   Roster changes
   -------------------------------------------------------------------------- */

void
xc_apply_head_pack (uint8_t *p, const xc_roster_head_t *h)
{
    memcpy (p, S_ROSTER_TAG, 4);
    p[4] = h->mode;
    p[5] = h->flags;
    p[6] = h->programs;
    p[7] = 0;
    xc_put_u32 (p + 8, h->as_of);
    xc_put_u32 (p + 12, h->count);
}

void
xc_apply_change_pack (uint8_t *p, const uint8_t *ref, uint8_t program,
                      uint32_t old_since, uint32_t since, uint32_t until)
{
    memcpy (p, ref, XC_REF_LEN);
    p[XC_REF_LEN] = program;
    xc_put_u32 (p + XC_REF_LEN + 1, old_since);
    xc_put_u32 (p + XC_REF_LEN + 5, since);
    xc_put_u32 (p + XC_REF_LEN + 9, until);
}

int
xc_apply_is_roster (const uint8_t *data, size_t len)
{
    return len >= XC_APPLY_ROSTER_HEAD && memcmp (data, S_ROSTER_TAG, 4) == 0
           && len == XC_APPLY_ROSTER_HEAD
                         + (size_t) xc_get_u32 (data + 12)
                               * XC_APPLY_CHANGE_BYTES;
}

int
xc_apply_change (xc_enrollment_t *list, size_t *n, uint8_t program,
                 uint32_t old_since, uint32_t since, uint32_t until,
                 const char *payer)
{
    uint32_t match = old_since ? old_since : since;
    size_t at = *n;
    for (size_t i = 0; i < *n; i++)
        if (list[i].program == program && list[i].source == XC_SOURCE_ROSTER
            && list[i].since == match && strncmp (list[i].node, payer, 6) == 0)
            at = i;
    if (at == XC_INDEX_MAX)
        return XC_ETOOBIG;
    if (at == *n) {
        memset (&list[at], 0, sizeof list[at]);
        list[at].program = program;
        list[at].source = XC_SOURCE_ROSTER;
        snprintf (list[at].node, sizeof list[at].node, "%s", payer);
        (*n)++;
    }
    list[at].since = since;
    list[at].until = until;
    return 0;
}

/*  The flags of a roster entry: the snapshot's programs marked as being
    applied, or given their new date. */
static int
s_apply_dates (xc_store_t *store, MDB_txn *txn, const xc_roster_head_t *h)
{
    for (int p = XIECHA__PROGRAM__DIBAO; p <= XIECHA__PROGRAM__TEMP; p++) {
        if (!(h->programs & (1u << p)) || !h->flags)
            continue;
        xc_roster_date_t d;
        int rc = xc_rosters_get (store, txn, p, &d);
        if (rc)
            return rc;
        if (h->flags & XC_ROSTER_BEGIN)
            d.applying = h->as_of;
        if (h->flags & XC_ROSTER_FINISH) {
            d.as_of = h->as_of;
            d.applying = 0;
        }
        rc = xc_rosters_put (store, txn, &d);
        if (rc)
            return rc;
    }
    return 0;
}

int
xc_apply_roster (xc_store_t *store, MDB_txn *txn, const uint8_t *data,
                 size_t len, const char *payer)
{
    if (!xc_apply_is_roster (data, len))
        return XC_EMALFORMED;
    xc_roster_head_t h = {.mode = data[4], .flags = data[5],
                          .programs = data[6],
                          .as_of = xc_get_u32 (data + 8),
                          .count = xc_get_u32 (data + 12)};
    const uint8_t *c = data + XC_APPLY_ROSTER_HEAD;
    int rc = 0;
    /* Changes of one person are consecutive (the live path sorts by
       ref): one read and one write per person. */
    for (uint32_t i = 0; rc == 0 && i < h.count;) {
        const uint8_t *ref = c + (size_t) i * XC_APPLY_CHANGE_BYTES;
        xc_enrollment_t list[XC_INDEX_MAX];
        size_t n = 0;
        rc = xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &n);
        for (; rc == 0 && i < h.count; i++) {
            const uint8_t *p = c + (size_t) i * XC_APPLY_CHANGE_BYTES;
            if (memcmp (p, ref, XC_REF_LEN) != 0)
                break;
            rc = xc_apply_change (list, &n, p[XC_REF_LEN],
                                  xc_get_u32 (p + XC_REF_LEN + 1),
                                  xc_get_u32 (p + XC_REF_LEN + 5),
                                  xc_get_u32 (p + XC_REF_LEN + 9), payer);
        }
        if (rc == 0)
            rc = xc_index_set (store, txn, ref, list, n);
    }
    return rc ? rc : s_apply_dates (store, txn, &h);
}

/* --------------------------------------------------------------------------
   Conflicts
   -------------------------------------------------------------------------- */

int
xc_apply_conflict (xc_store_t *store, MDB_txn *txn, const Xiecha__Notice *n,
                   const char *registration, const char *other)
{
    const Xiecha__Conflict *k = n->conflict;
    if (n->kind != XIECHA__NOTICE_KIND__CONFLICT || !k || n->n_subjects != 1
        || n->subjects[0].len != XC_REF_LEN)
        return XC_EMALFORMED;
    xc_conflict_t c = {.program = (uint8_t) n->program,
                       .found = k->found,
                       .roster_since = k->roster_since,
                       .roster_until = k->roster_until,
                       .other_since = k->other_since,
                       .other_until = k->other_until,
                       .resolved = k->resolved};
    memcpy (c.ref, n->subjects[0].data, XC_REF_LEN);
    snprintf (c.registration, sizeof c.registration, "%s", registration);
    snprintf (c.other, sizeof c.other, "%s", other);
    return xc_conflicts_put (store, txn, &c);
}

int
xc_apply_message (xc_store_t *store, MDB_txn *txn, const Xiecha__Signed *msg)
{
    const Xiecha__Header *h = msg->header;
    const Xiecha__Notice *n = msg->notice;
    if (n->kind == XIECHA__NOTICE_KIND__CONFLICT)
        return xc_apply_conflict (store, txn, n, h->sender, h->recipient);
    return xc_apply_notice (store, txn, n, h->sender);
}
