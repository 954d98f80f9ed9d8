/*  checkpoint.h - signed audit checkpoints (RFC 9162 style tree heads).

    A checkpoint says "the first tree_size entries of node's audit log
    have Merkle root root (xiecha/merkle.h over their entry hashes)", signed
    by the node.  It is stored as the data of an audit entry of kind 9
    (XC_AUDIT_CHECKPOINT), so it covers the entries before itself.

    Byte layout, XC_CHECKPOINT_LEN = 135 bytes, integers big-endian:
        0   u8       format (1)
        1   u64      tree_size       entries covered (1..tree_size)
        9   u8[32]   root            Merkle root over their entry hashes
        41  u64      time_ms         UTC ms when signed
        49  char[6]  node            division code, NUL-padded
        55  char[16] key_id          signing key id, lower-case hex
        71  u8[64]   signature       Ed25519 over XC_CTX_CHECKPOINT "\0"
                                     followed by bytes 0..70
    Fixed size and no optional fields, so there is exactly one encoding of
    each checkpoint and the signed bytes are the stored bytes.

    The daemon signs and the offline verifier (xiecha audit verify) checks
    through these same functions. */
#ifndef XIECHA_CHECKPOINT_H
#define XIECHA_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "trust.h"

#define XC_CHECKPOINT_FORMAT 1
#define XC_CHECKPOINT_SIGNED 71
#define XC_CHECKPOINT_LEN (XC_CHECKPOINT_SIGNED + XC_SIG_LEN)

typedef struct {
    uint64_t tree_size;
    uint8_t root[XC_HASH_LEN];
    uint64_t time_ms;
    char node[7];                    /* NUL-terminated */
    char key_id[XC_KEY_ID_LEN + 1];  /* NUL-terminated */
    uint8_t sig[XC_SIG_LEN];
} xc_checkpoint_t;

/*  Signs *cp with key (filling cp->sig) and writes the encoding to out.
    Returns 0, XC_EINVAL (node or key id of the wrong length) or XC_EKEY. */
int xc_checkpoint_sign (xc_checkpoint_t *cp, xc_key_t *key,
                        uint8_t out[XC_CHECKPOINT_LEN]);

/*  Decodes without checking the signature.  Returns 0 or XC_EMALFORMED. */
int xc_checkpoint_decode (const uint8_t *data, size_t len,
                          xc_checkpoint_t *cp);

/*  Decodes and checks the signature with the trust list: the key must be
    listed, belong to cp->node and be valid at cp->time_ms.  Returns 0,
    XC_EMALFORMED, XC_EUNKNOWN or XC_ESIG, with why. */
int xc_checkpoint_verify (const uint8_t *data, size_t len,
                          const xc_trust_t *trust, xc_checkpoint_t *cp,
                          char *why, size_t why_len);

#endif
