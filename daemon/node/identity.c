/*  identity.c - whose store this is; see identity.h. */
#include <string.h>

#include <xiecha/bytes.h>

#include "node/identity.h"
#include "xiecha/text.h"

#define S_LEN (6 + XC_KEY_ID_LEN + 8)

int
xc_identity_get (xc_store_t *store, MDB_txn *txn, xc_identity_t *id)
{
    memset (id, 0, sizeof *id);
    MDB_val val;
    int rc = xc_store_meta_get (store, txn, XC_IDENTITY_KEY, S_LEN, &val);
    if (rc)
        return rc;
    const uint8_t *p = val.mv_data;
    memcpy (id->code, p, 6);
    memcpy (id->key_id, p + 6, XC_KEY_ID_LEN);
    id->created_ms = xc_get_u64 (p + 6 + XC_KEY_ID_LEN);
    return strlen (id->code) == 6 ? 0 : XC_EMALFORMED;
}

int
xc_identity_put (xc_store_t *store, MDB_txn *txn, const xc_identity_t *id)
{
    uint8_t buf[S_LEN] = {0};
    memcpy (buf, id->code, strnlen (id->code, 6));
    memcpy (buf + 6, id->key_id, strnlen (id->key_id, XC_KEY_ID_LEN));
    xc_put_u64 (buf + 6 + XC_KEY_ID_LEN, id->created_ms);
    return xc_store_meta_put (store, txn, XC_IDENTITY_KEY, buf, sizeof buf);
}

int
xc_identity_judge (int rc, const xc_identity_t *found, const char *code,
                   const char *dir, char *why, size_t why_len)
{
    if (rc == XC_ENOTFOUND)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s records no node identity: it was not made "
                         "by xiechad --init (an empty or replaced store?)"),
                       dir);
    if (rc)
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s: its node identity (%s) cannot be read: %s"),
                       dir, XC_IDENTITY_KEY, xc_strerror (rc));
    if (strcmp (found->code, code) != 0) {
        char iso[32];
        xc_time_iso (found->created_ms, iso);
        return xc_why (why, why_len, XC_ESTORE,
                       _("store %s belongs to node %s (created %s with key "
                         "%s), not to node %s: is node/data_dir right?"), dir,
                       found->code, iso, found->key_id, code);
    }
    return 0;
}
