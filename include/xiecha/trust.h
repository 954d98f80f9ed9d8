/*  trust.h - the trust list: which nodes exist, where they listen, and
    which keys speak for them.

    The file is ZPL (CZMQ zconfig), one `node` section per node:

        trust
            version = 1
            node
                code = "469021"
                name = "Ding'an County"
                endpoint = "tcp://127.0.0.1:7101"
                curve = "<Z85 CURVE public key, 40 characters>"
                key
                    public = "<Ed25519 public key, 64 hex characters>"
                    not_before = "2026-01-01T00:00:00Z"   # optional
                    not_after = "2027-01-01T00:00:00Z"    # optional

    A node may list several keys (rotation); a key belongs to exactly one
    node.  The list is read-only once loaded. */
#ifndef XIECHA_TRUST_H
#define XIECHA_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

typedef struct _xc_trust_t xc_trust_t;

typedef struct {
    char code[7];          /* division code */
    char name[96];         /* display name, UTF-8 */
    char endpoint[256];    /* peer endpoint, e.g. tcp://127.0.0.1:7101 */
    char curve[41];        /* Z85 CURVE public key */
} xc_trust_node_t;

typedef struct {
    char id[XC_KEY_ID_LEN + 1];   /* key id, hex */
    char node[7];                 /* owning node code */
    uint8_t pub[XC_PUBKEY_LEN];   /* raw Ed25519 public key */
    uint64_t not_before;          /* UTC ms, 0 = no lower bound */
    uint64_t not_after;           /* UTC ms, 0 = no upper bound */
    xc_key_t *key;                /* owned by the trust list */
} xc_trust_key_t;

/*  Loads and checks a trust list.  Returns NULL and fills why (naming the
    node and field) on any error: missing file, bad code, bad key, a key
    listed twice, a node listed twice. */
xc_trust_t *xc_trust_load (const char *path, char *why, size_t why_len);

/*  Destroys the list and sets *self_p to NULL. */
void xc_trust_destroy (xc_trust_t **self_p);

/*  Number of nodes, and the i-th node (0 <= i < size). */
size_t xc_trust_size (const xc_trust_t *self);
const xc_trust_node_t *xc_trust_at (const xc_trust_t *self, size_t i);

/*  The node with this code, or NULL.  Valid while the list lives. */
const xc_trust_node_t *xc_trust_node (const xc_trust_t *self,
                                      const char *code);

/*  The key with this id, or NULL.  Valid while the list lives. */
const xc_trust_key_t *xc_trust_key (const xc_trust_t *self, const char *id);

/*  Returns 1 if the Z85 CURVE public key belongs to a listed node. */
int xc_trust_has_curve (const xc_trust_t *self, const char *z85);

#endif
