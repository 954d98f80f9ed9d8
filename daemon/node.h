/*  node.h - everything one running node owns: its configuration, keys,
    trust list, salt and store, plus the counters `xiecha status` shows.

    Built once at start-up by xc_node_new, which fails with a message
    naming the file at fault; handlers and transport borrow it. */
#ifndef XIECHAD_NODE_H
#define XIECHAD_NODE_H

#include <czmq.h>
#include <stdint.h>

#include "config.h"
#include "policy.h"
#include "store.h"
#include "xiecha/xiecha.h"

typedef struct {
    xc_config_t config;          /* as loaded, paths resolved */
    xc_key_t *sign_key;          /* Ed25519 private key */
    char key_id[XC_KEY_ID_LEN + 1];  /* its id in the trust list */
    zcert_t *curve;              /* CURVE key pair for peer sockets */
    xc_trust_t *trust;           /* the trust list */
    uint8_t salt[64];            /* network salt for subject refs */
    size_t salt_len;
    xc_store_t *store;           /* the LMDB environment */
    xc_policy_t policy;          /* eligibility rules for our applicants */
    uint64_t started_at;         /* UTC ms */
    uint64_t queries_answered;   /* certificates issued as home node */
    uint64_t queries_sent;       /* queries sent as residence node */
    uint64_t refused;            /* messages refused */
    uint64_t auth_failures;      /* CURVE handshakes denied by ZAP */
} xc_node_t;

/*  Loads keys, trust list and salt named by config and opens the store
    (check_only: do not open the store).  Checks that this node is in the
    trust list with this signing key and CURVE key, so a node cannot start
    with keys its peers will not accept.  Returns NULL with why. */
xc_node_t *xc_node_new (const xc_config_t *config, int check_only, char *why,
                        size_t why_len);

/*  Frees everything and sets *self_p to NULL; harmless twice. */
void xc_node_destroy (xc_node_t **self_p);

#endif
