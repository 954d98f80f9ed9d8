/*  trustmark.c - the trust-list high-water mark; see trustmark.h. */
#include <string.h>

#include <xiecha/bytes.h>

#include "node/log.h"
#include "node/trustmark.h"
#include "xiecha/text.h"

/*  meta[name], which must be exactly size bytes.  Returns 0,
    XC_ENOTFOUND or XC_ESTORE. */
static int
s_meta_get (xc_store_t *store, MDB_txn *txn, const char *name, size_t size,
            MDB_val *val)
{
    int rc = xc_store_meta_get (store, txn, name, size, val);
    return rc == XC_EMALFORMED ? XC_ESTORE : rc;
}

int
xc_trustmark_get (xc_store_t *store, xc_trustmark_t *mark)
{
    memset (mark, 0, sizeof *mark);
    if (!store || !xc_store_has (store, XC_DB_META))
        return 0;
    MDB_txn *txn;
    if (xc_store_read (store, &txn) != 0)
        return XC_ESTORE;
    MDB_val val;
    int rc = s_meta_get (store, txn, XC_TRUSTMARK_SERIAL_KEY, 8, &val);
    if (rc == 0)
        mark->serial = xc_get_u64 (val.mv_data);
    if (rc == 0 || rc == XC_ENOTFOUND)
        rc = s_meta_get (store, txn, XC_TRUSTMARK_DIGEST_KEY,
                         8 + XC_HASH_LEN, &val);
    if (rc == 0 && mark->serial
        && xc_get_u64 (val.mv_data) == mark->serial) {
        mark->known = true;
        memcpy (mark->digest, (uint8_t *) val.mv_data + 8, XC_HASH_LEN);
    }
    mdb_txn_abort (txn);
    return rc == 0 || rc == XC_ENOTFOUND ? 0 : XC_ESTORE;
}

typedef struct {
    xc_store_t *store;
    const xc_trust_t *trust;
} s_write_t;

/*  Write fn: the list's serial and digest, in one transaction. */
static int
s_mark_write (MDB_txn *txn, void *arg)
{
    s_write_t *w = arg;
    MDB_dbi meta = xc_store_dbi (w->store, XC_DB_META);
    uint8_t serial[8], digest[8 + XC_HASH_LEN];
    xc_put_u64 (serial, xc_trust_serial (w->trust));
    memcpy (digest, serial, 8);
    xc_trust_digest (w->trust, digest + 8);
    MDB_val skey = {sizeof XC_TRUSTMARK_SERIAL_KEY - 1,
                    (void *) XC_TRUSTMARK_SERIAL_KEY};
    MDB_val dkey = {sizeof XC_TRUSTMARK_DIGEST_KEY - 1,
                    (void *) XC_TRUSTMARK_DIGEST_KEY};
    MDB_val sval = {sizeof serial, serial}, dval = {sizeof digest, digest};
    int rc = mdb_put (txn, meta, &skey, &sval, 0);
    if (rc == MDB_SUCCESS)
        rc = mdb_put (txn, meta, &dkey, &dval, 0);
    return xc_store_rc (rc);
}

int
xc_trustmark_record (xc_store_t *store, const xc_trust_t *trust,
                     const xc_trustmark_t *stored)
{
    uint64_t serial = xc_trust_serial (trust);
    if (!store || !serial || serial < stored->serial
        || (serial == stored->serial && stored->known))
        return 0;
    s_write_t w = {store, trust};
    int rc = xc_store_write (store, s_mark_write, &w);
    if (rc == 0 && serial == stored->serial)
        xc_info ("trust list serial %llu: digest recorded beside %s (the "
                 "store predates %s)", (unsigned long long) serial,
                 XC_TRUSTMARK_SERIAL_KEY, XC_TRUSTMARK_DIGEST_KEY);
    return rc;
}

int
xc_trustmark_judge (const xc_trustmark_t *mark, const xc_trust_t *trust,
                    const char *path, bool *same, char *why, size_t why_len)
{
    uint64_t serial = xc_trust_serial (trust);
    *same = false;
    if (serial < mark->serial)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("trust list %s: serial %llu is older than serial "
                         "%llu this node has already used (a replayed list?)"),
                       path, (unsigned long long) serial,
                       (unsigned long long) mark->serial);
    if (!serial || serial > mark->serial || !mark->known)
        return 0;
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (trust, digest);
    if (memcmp (digest, mark->digest, XC_HASH_LEN) == 0) {
        *same = true;
        return 0;
    }
    char hex[2 * XC_HASH_LEN + 1], used[2 * XC_HASH_LEN + 1];
    xc_hex (digest, XC_HASH_LEN, hex);
    xc_hex (mark->digest, XC_HASH_LEN, used);
    return xc_why (why, why_len, XC_ECONFIG,
                   _("trust list %s: serial %llu (sha256 %s) differs from the "
                     "list of serial %llu this node has already used (sha256 "
                     "%s): a changed list needs a higher serial (a replayed "
                     "or re-signed list?)"), path, (unsigned long long) serial,
                   hex, (unsigned long long) mark->serial, used);
}

void
xc_trustmark_merge (xc_trustmark_t *mark, const xc_trust_t *trust)
{
    uint64_t serial = xc_trust_serial (trust);
    if (serial > mark->serial || (serial == mark->serial && !mark->known)) {
        mark->serial = serial;
        mark->known = serial != 0;
        xc_trust_digest (trust, mark->digest);
    }
}
