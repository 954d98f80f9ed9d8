/*  identity.h - whose store this is.

    xiechad --init records, in the meta database of a new store, the
    node it was made for:
      "node.identity"   char[6] code | char[16] key id | u64 created_ms
    (big-endian; the key is the signing key at creation, kept for the
    operator: keys rotate, the code does not).  A node refuses to serve
    from a store without it -- a store nobody initialised is an empty or
    lost one, not a first start -- and from a store of another code: a
    data_dir pointed at the wrong node's files would answer for that
    node's people. */
#ifndef XIECHAD_IDENTITY_H
#define XIECHAD_IDENTITY_H

#include <stdint.h>

#include "store/store.h"
#include "xiecha/xiecha.h"

#define XC_IDENTITY_KEY "node.identity"

typedef struct {
    char code[7];                    /* division code, NUL-terminated */
    char key_id[XC_KEY_ID_LEN + 1];  /* signing key id at creation */
    uint64_t created_ms;             /* UTC ms */
} xc_identity_t;

/*  Reads the identity.  Returns 0, XC_ENOTFOUND (none recorded),
    XC_EMALFORMED or XC_ESTORE. */
int xc_identity_get (xc_store_t *store, MDB_txn *txn, xc_identity_t *id);

/*  Records id inside txn.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_identity_put (xc_store_t *store, MDB_txn *txn,
                     const xc_identity_t *id);

/*  Whether the store in dir, holding found (rc: what xc_identity_get
    returned), may serve node code.  Returns 0, or XC_ESTORE with why
    naming dir, what was found and what to do. */
int xc_identity_judge (int rc, const xc_identity_t *found, const char *code,
                       const char *dir, char *why, size_t why_len);

#endif
