/*  apply.c - index changes of recorded decisions; see apply.h. */
#include <stdio.h>
#include <string.h>

#include <xiecha/bytes.h>

#include "decide/apply.h"

xc_enrollment_t
xc_apply_entry (const Xiecha__Notice *n, const char *payer)
{
    xc_enrollment_t e = {.program = (uint8_t) n->program,
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
        if (list[i].program == program && strncmp (list[i].node, payer, 6) == 0
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
                && strncmp (list[j].node, payer, 6) == 0) {
                list[j].until = 0;
                rc = xc_index_add (store, txn, ref, &list[j]);
                break;
            }
    }
    return rc;
}

void
xc_apply_row_pack (uint8_t *p, const uint8_t *ref, uint8_t program,
                   uint32_t since, uint32_t until)
{
    memcpy (p, ref, XC_REF_LEN);
    p[XC_REF_LEN] = program;
    xc_put_u32 (p + XC_REF_LEN + 1, since);
    xc_put_u32 (p + XC_REF_LEN + 5, until);
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
