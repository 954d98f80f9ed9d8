/*  trust.h - the trust list: which nodes exist, where they listen, and
    which keys speak for them.

    The file is ZPL (CZMQ zconfig), one `node` section per node:

        trust
            version = 1                          # format version, always 1
            serial = 7                           # signed lists only, see below
            issued = "2026-03-01T00:00:00Z"
            next_update = "2026-04-01T00:00:00Z"
            max_roster_age_days = 45             # optional, see below
            node
                code = "469021"
                name = "Ding'an County"
                endpoint = "tcp://127.0.0.1:7101"
                curve = "<Z85 CURVE public key, 40 characters>"
                key
                    public = "<Ed25519 public key, 64 hex characters>"
                    not_before = "2026-01-01T00:00:00Z"   # optional
                    not_after = "2027-01-01T00:00:00Z"    # optional
                    revoked_at = "2026-06-01T00:00:00Z"   # optional

    A node may list several keys (rotation); a key belongs to exactly one
    node.  A list may list no node yet (as `xiecha trust create` writes
    it); no node starts on such a list, since its own code is missing.
    The list is read-only once loaded.

    Revocation.  A key with revoked_at speaks for its node only in what
    it signed before that instant: a message, certificate, report or
    checkpoint made (created_at, generated_at, time) at or after
    revoked_at is refused, while anything made before stays valid, so
    old log entries and certificates still verify.  Unlike not_after,
    which ends a planned rotation, revoked_at says the key may be in
    other hands from then on.

    Roster age.  A registration node certifies NOT_RECEIVING only from a
    roster snapshot no older than max_roster_age_days (1..366, default
    XC_TRUST_MAX_ROSTER_AGE: rosters are reconciled monthly by the
    20th), and every verifier checks certificates against the same
    number.  It is the network's rule, so it is in the list every node
    and every auditor holds, under the root key's signature, rather than
    in each node's own config, where the node that certifies could relax
    it for itself.

    Signed lists.  `version` is the file format and stays 1; the list's
    own version number, which only ever grows, is `serial`, so that an
    old list (with a key since revoked) cannot be replayed as current.
    A signed list must carry serial, issued and next_update.  Its
    signature sits next to it in LIST.sig, one line:

        <root key id, 16 hex> <Ed25519 signature, 128 hex>\n

    made by the network's root key over XC_CTX_TRUST_LIST "\0" followed
    by the exact bytes of the file (xc_sign).  The root key is not in the
    list: every node is configured with it (trust/root). */
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
    uint64_t revoked_at;          /* UTC ms, 0 = not revoked */
    xc_key_t *key;                /* owned by the trust list */
    /*  Why it was revoked (key section: revoked_reason), 0 when it was
        not.  A compromised key invalidates everything it signed, except
        what a proof bundle (proof.h) shows to be a leaf of the tree of
        trusted_size entries with root trusted_root: the last checkpoint
        of its node the root's operators hold from before the compromise
        (trusted_checkpoint = "<size>:<root hex>"; 0 and zeros when the
        list gives none).  Parsed by the trust list's loader (part
        anchor of issue 11); zero-initialised until then. */
    int revoked_reason;           /* XC_REVOKED_*, 0 = not revoked */
    uint64_t trusted_size;
    uint8_t trusted_root[XC_HASH_LEN];
} xc_trust_key_t;

#define XC_REVOKED_RETIRED 1      /* superseded: keeps what it signed before */
#define XC_REVOKED_COMPROMISED 2  /* in other hands: keeps nothing */

/*  Loads and checks a trust list.  Returns NULL and fills why (naming the
    node and field) on any error: missing file, bad code, bad key, a key
    listed twice, a node or CURVE key listed twice.  A list of no node
    loads (xc_trust_size 0). */
xc_trust_t *xc_trust_load (const char *path, char *why, size_t why_len);

/*  Parses a list held in memory (ZPL text); name is used in messages. */
xc_trust_t *xc_trust_load_text (const char *text, const char *name,
                                char *why, size_t why_len);

/*  Loads path after checking path.sig against root_pub.  Returns NULL
    and fills why when the signature file is missing or malformed, the
    list is signed by another key ("signed by key X, not the root key
    Y"), the signature does not match the bytes, the list lacks serial,
    issued or next_update, or serial < min_version.  The list parsed is
    the one verified: the file is read once. */
xc_trust_t *xc_trust_load_signed (const char *path,
                                  const uint8_t root_pub[XC_PUBKEY_LEN],
                                  uint64_t min_version, char *why,
                                  size_t why_len);

/*  Signs the file at path with root (a private key) and writes path.sig
    atomically (temp file and rename).  Returns 0 or XC_EIO/XC_EKEY with
    why. */
int xc_trust_sign (const char *path, xc_key_t *root, char *why,
                   size_t why_len);

/*  The header of a signed list: serial, issued and next_update (UTC ms);
    0 when the list does not give them. */
uint64_t xc_trust_serial (const xc_trust_t *self);
uint64_t xc_trust_issued (const xc_trust_t *self);
uint64_t xc_trust_next_update (const xc_trust_t *self);

#define XC_TRUST_MAX_ROSTER_AGE 45   /* days, when the list does not say */

/*  max_roster_age_days of the list (XC_TRUST_MAX_ROSTER_AGE when it does
    not say, or for NULL). */
unsigned xc_trust_max_roster_age (const xc_trust_t *self);

/*  The SHA-256 of the exact bytes the list was parsed from (the file for
    xc_trust_load and xc_trust_load_signed, whose bytes are the ones the
    signature covers; the text for xc_trust_load_text), as `sha256sum
    LIST` prints it.  Two lists with the same serial are the same list
    only when their digests are equal.  All zero for NULL. */
void xc_trust_digest (const xc_trust_t *self, uint8_t digest[XC_HASH_LEN]);

/*  Number of keys, and the i-th key in key-id order. */
size_t xc_trust_key_count (const xc_trust_t *self);
const xc_trust_key_t *xc_trust_key_at (const xc_trust_t *self, size_t i);

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

/*  Checks that key could sign something made at `at` (UTC ms): inside
    not_before..not_after and before revoked_at.  Returns 0, or
    XC_EUNKNOWN with why: "key X of node Y not valid at T (valid from
    B)", "... (expired B)" or "key X of node Y revoked at R (made at
    T)". */
int xc_trust_key_check (const xc_trust_key_t *key, uint64_t at, char *why,
                        size_t why_len);

/*  Returns 1 if the Z85 CURVE public key belongs to a listed node. */
int xc_trust_has_curve (const xc_trust_t *self, const char *z85);

#endif
