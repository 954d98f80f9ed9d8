/*  proof.h - proof bundles: one self-contained file showing that a
    certificate sits in its issuing node's audit log under a signed
    checkpoint, checkable offline with the trust list alone.

    Armor (armor.h): the bytes below in base64, 64 columns, between

        -----BEGIN XIECHA PROOF-----
        -----END XIECHA PROOF-----

    Bytes, integers big-endian, nothing after the last field:
        char[8]  magic "XCPROOF1"
        u64      seq          the entry's position in the log, 1-based;
                              its leaf index is seq - 1
        u32      entry_len    1 .. 16 MiB
        u8[]     entry        the SENT audit entry (kind 3) exactly as
                              the log holds it (layout: auditfile.h);
                              its data is the certificate envelope, byte
                              for byte, as `xiecha cert verify` reads it
        u8[135]  checkpoint   the signed checkpoint (checkpoint.h) the
                              proof is made under; tree_size >= seq
        u8       path_len     0 .. 64
        u8[32]   path[]       the RFC 9162 inclusion path of the leaf in
                              the tree of tree_size leaves, leaf side
                              first (merkle.h)

    The leaf is the entry hash, SHA-256 (entry), as in the log's Merkle
    tree; its leaf hash is SHA-256 (0x00 || entry hash).

    What verification checks (xc_proof_bundle_verify):
      1. the layout above, strictly (lengths, no trailing bytes), and the
         entry: format 1, kind SENT, lengths as its header says;
      2. the certificate (the entry's data): xc_cert_verify with the trust
         list; one expired since is still valid as a proof (expired set);
      3. the checkpoint: signed by a key of the certificate's issuing node
         valid at its time (xc_checkpoint_verify), covering seq;
      4. the path leads from the leaf at seq - 1 to the checkpoint's root.
    Compromised keys: when the key that signed the certificate is revoked
    as compromised (trust.h), nothing it signed is believed on its own
    word, the certificate's time included.  The bundle is then accepted
    only when the checkpoint's (tree_size, root) is exactly the key's
    trusted_checkpoint in the trust list, which the root vouches for: the
    certificate existed before the compromise.  Its signature must still
    verify with that key, and the certificate's own rules still hold; the
    checkpoint's signature is not needed (the list vouches for its root).
    A bundle may be made under an older checkpoint for that (`xiecha audit
    prove --size N`). */
#ifndef XIECHA_PROOF_H
#define XIECHA_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "checkpoint.h"
#include "trust.h"

#define XC_ARMOR_PROOF "XIECHA PROOF"
#define XC_PROOF_MAGIC "XCPROOF1"
#define XC_PROOF_MAX_PATH 64
#define XC_PROOF_MAX_ENTRY (16u * 1024 * 1024)

/*  A decoded bundle.  entry and cert point into the bytes decoded. */
typedef struct {
    uint64_t seq;
    const uint8_t *entry;            /* the SENT audit entry */
    size_t entry_len;
    const uint8_t *cert;             /* its data: the certificate envelope */
    size_t cert_len;
    uint8_t checkpoint[XC_CHECKPOINT_LEN];   /* as signed */
    xc_checkpoint_t cp;              /* decoded */
    uint8_t path[XC_PROOF_MAX_PATH][32];
    size_t path_len;
    uint8_t entry_hash[32];          /* the leaf: SHA-256 (entry) */
    uint8_t leaf_hash[32];           /* SHA-256 (0x00 || entry_hash) */
    /*  Set by xc_proof_bundle_verify: */
    int expired;                     /* the certificate's valid_until has
                                        passed (still a valid proof) */
    int compromised;                 /* its key is revoked as compromised:
                                        accepted under the trust list's
                                        trusted_checkpoint */
} xc_proof_bundle_t;

/*  Writes the bundle's bytes to *out (caller frees).  Returns 0,
    XC_EINVAL (path longer than XC_PROOF_MAX_PATH, empty or oversized
    entry) or XC_ENOMEM. */
int xc_proof_bundle_encode (uint64_t seq, const uint8_t *entry,
                            size_t entry_len,
                            const uint8_t checkpoint[XC_CHECKPOINT_LEN],
                            const uint8_t (*path)[32], size_t path_len,
                            uint8_t **out, size_t *out_len);

/*  Parses bytes[len] (unarmored) into *b, checking the layout and the
    entry's shape but no signature; computes the hashes.  Returns 0 or
    XC_EMALFORMED with why naming the field. */
int xc_proof_bundle_decode (const uint8_t *bytes, size_t len,
                            xc_proof_bundle_t *b, char *why,
                            size_t why_len);

/*  Decodes and verifies (above) with the trust list, the certificate's
    time judged against now_ms.  Returns 0 with *b filled; XC_EMALFORMED,
    XC_ESIG, XC_EUNKNOWN or the certificate's code with why. */
int xc_proof_bundle_verify (const uint8_t *bytes, size_t len,
                            const xc_trust_t *trust, uint64_t now_ms,
                            xc_proof_bundle_t *b, char *why,
                            size_t why_len);

#endif
