/*  index.c - the subject index: subject ref -> enrollments.

    A value is an array of packed 16-byte records, written byte by byte
    so the file reads the same on any host:

        offset  0 u8 program      1 u8 source (index.h; 0 roster)
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
    p[1] = e->source;
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
    e->source = p[1];
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

/*  Same program, source, node and since date: the same enrollment,
    told again. */
static int
s_same (const xc_enrollment_t *a, const xc_enrollment_t *b)
{
    return a->program == b->program && a->source == b->source
           && a->since == b->since && strncmp (a->node, b->node, 6) == 0;
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
    return xc_index_set (store, txn, ref, list, n);
}

int
xc_index_set (xc_store_t *store, MDB_txn *txn, const uint8_t *ref,
              const xc_enrollment_t *list, size_t n)
{
    if (n > XC_INDEX_MAX)
        return XC_ETOOBIG;
    uint8_t buf[XC_INDEX_MAX * XC_INDEX_REC];
    for (size_t i = 0; i < n; i++)
        s_pack (&list[i], buf + i * XC_INDEX_REC);
    MDB_val key = s_key (ref), val = {n * XC_INDEX_REC, buf};
    MDB_dbi dbi = xc_store_dbi (store, XC_DB_INDEX);
    if (n)
        return xc_store_rc (mdb_put (txn, dbi, &key, &val, 0));
    int rc = mdb_del (txn, dbi, &key, NULL);
    return rc == MDB_NOTFOUND ? 0 : xc_store_rc (rc);
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
    for (size_t i = 0; i < n; i++)
        if (!s_same (&list[i], e))
            list[kept++] = list[i];
    if (kept == n)
        return XC_ENOTFOUND;
    return xc_index_set (store, txn, ref, list, kept);
}

int
xc_index_walk (xc_store_t *store, MDB_txn *txn, const uint8_t *after,
               xc_index_walk_fn *fn, void *arg)
{
    MDB_cursor *cur = NULL;
    if (mdb_cursor_open (txn, xc_store_dbi (store, XC_DB_INDEX), &cur))
        return XC_ESTORE;
    MDB_val key = {0, NULL}, val;
    if (after)
        key = s_key (after);
    int mrc = mdb_cursor_get (cur, &key, &val, after ? MDB_SET_RANGE
                                                     : MDB_FIRST);
    if (mrc == 0 && after && key.mv_size == XC_REF_LEN
        && memcmp (key.mv_data, after, XC_REF_LEN) == 0)
        mrc = mdb_cursor_get (cur, &key, &val, MDB_NEXT);
    int rc = 0;
    for (; rc == 0 && mrc == 0;
         mrc = mdb_cursor_get (cur, &key, &val, MDB_NEXT)) {
        if (key.mv_size != XC_REF_LEN || val.mv_size % XC_INDEX_REC
            || val.mv_size / XC_INDEX_REC > XC_INDEX_MAX) {
            rc = XC_ESTORE;   /* not written by us */
            break;
        }
        xc_enrollment_t list[XC_INDEX_MAX];
        size_t n = val.mv_size / XC_INDEX_REC;
        for (size_t i = 0; i < n; i++)
            s_unpack ((const uint8_t *) val.mv_data + i * XC_INDEX_REC,
                      &list[i]);
        uint8_t ref[XC_REF_LEN];
        memcpy (ref, key.mv_data, XC_REF_LEN);
        rc = fn (ref, list, n, arg);
    }
    if (rc == 0 && mrc != MDB_NOTFOUND)
        rc = XC_ESTORE;
    mdb_cursor_close (cur);
    return rc;
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
