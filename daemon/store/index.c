/*  index.c - the subject index: subject ref -> enrollments.

    A value is an array of packed 16-byte records, written byte by byte
    so the file reads the same on any host:

        offset  0 u8 program      1 u8 reserved (0)
                2 u32 since       6 u32 until        (big-endian)
               10 char node[6]    (NUL-padded)

    Adding an enrollment rewrites the whole value: at most XC_INDEX_MAX
    records (512 bytes), so a copy is cheaper than anything cleverer. */
#include "store/index.h"

#include <string.h>

#include <xiecha/bytes.h>
#include <xiecha/crypto.h>
#include <xiecha/error.h>

#define XC_INDEX_REC 16 /* bytes per packed enrollment */

static void
s_pack (const xc_enrollment_t *e, uint8_t *p)
{
    memset (p, 0, XC_INDEX_REC);
    p[0] = e->program;
    xc_put_u32 (p + 2, e->since);
    xc_put_u32 (p + 6, e->until);
    //  A code shorter than 6 is NUL-padded; node[] is NUL-terminated.
    memcpy (p + 10, e->node, strnlen (e->node, 6));
}

static void
s_unpack (const uint8_t *p, xc_enrollment_t *e)
{
    memset (e, 0, sizeof *e);
    e->program = p[0];
    e->since = xc_get_u32 (p + 2);
    e->until = xc_get_u32 (p + 6);
    memcpy (e->node, p + 10, 6);
    e->node[6] = '\0';
}

/*  The key for ref: the 32 bytes of the subject ref. */
static MDB_val
s_key (const uint8_t *ref)
{
    MDB_val key = { XC_REF_LEN, (void *) ref };
    return key;
}

int
xc_index_get (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
              xc_enrollment_t *out, size_t max, size_t *count)
{
    *count = 0;
    MDB_val key = s_key (ref), val;
    int rc = mdb_get (txn, xc_store_dbi (store, XC_DB_INDEX), &key, &val);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc != MDB_SUCCESS)
        return XC_ESTORE;
    //  A value that is not whole records was not written by us.
    if (val.mv_size % XC_INDEX_REC != 0
        || val.mv_size / XC_INDEX_REC > XC_INDEX_MAX)
        return XC_ESTORE;
    size_t n = val.mv_size / XC_INDEX_REC;
    if (n > max)
        n = max;
    //  Copy out now: val dies with the transaction.
    const uint8_t *p = val.mv_data;
    for (size_t i = 0; i < n; i++)
        s_unpack (p + i * XC_INDEX_REC, &out[i]);
    *count = n;
    return 0;
}

/*  Same program, node and since date: the same enrollment, re-imported. */
static int
s_same (const xc_enrollment_t *a, const xc_enrollment_t *b)
{
    return a->program == b->program && a->since == b->since
           && strncmp (a->node, b->node, 6) == 0;
}

int
xc_index_add (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
              const xc_enrollment_t *e)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0;
    int rc = xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &n);
    if (rc != 0)
        return rc;
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (s_same (&list[i], e))
            at = i;
    if (at == XC_INDEX_MAX)
        return XC_ETOOBIG;
    list[at] = *e;
    if (at == n)
        n++;

    uint8_t buf[XC_INDEX_MAX * XC_INDEX_REC];
    for (size_t i = 0; i < n; i++)
        s_pack (&list[i], buf + i * XC_INDEX_REC);
    MDB_val key = s_key (ref), val = { n * XC_INDEX_REC, buf };
    return xc_store_rc (
        mdb_put (txn, xc_store_dbi (store, XC_DB_INDEX), &key, &val, 0));
}

int
xc_index_remove (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
                 const xc_enrollment_t *e)
{
    xc_enrollment_t list[XC_INDEX_MAX];
    size_t n = 0, kept = 0;
    int rc = xc_index_get (store, txn, ref, list, XC_INDEX_MAX, &n);
    if (rc != 0)
        return rc;
    uint8_t buf[XC_INDEX_MAX * XC_INDEX_REC];
    for (size_t i = 0; i < n; i++)
        if (!s_same (&list[i], e))
            s_pack (&list[i], buf + kept++ * XC_INDEX_REC);
    if (kept == n)
        return XC_ENOTFOUND;
    MDB_val key = s_key (ref), val = {kept * XC_INDEX_REC, buf};
    MDB_dbi dbi = xc_store_dbi (store, XC_DB_INDEX);
    return xc_store_rc (kept ? mdb_put (txn, dbi, &key, &val, 0)
                             : mdb_del (txn, dbi, &key, NULL));
}

int
xc_enrollment_active (const xc_enrollment_t *e, uint32_t date)
{
    return e->since <= date && (e->until == 0 || date <= e->until);
}

int
xc_index_count (xc_store_t *store, MDB_txn *txn, uint64_t *count)
{
    //  O(1): LMDB keeps the entry count in the database record.
    MDB_stat st;
    if (mdb_stat (txn, xc_store_dbi (store, XC_DB_INDEX), &st) != MDB_SUCCESS)
        return XC_ESTORE;
    *count = st.ms_entries;
    return 0;
}
