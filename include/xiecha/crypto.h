/*  crypto.h - the one leaf module for signatures, hashes and subject refs.

    The daemon and the offline verifier sign and verify through these same
    functions.  Every signature covers a context string (domain separation)
    followed by the bytes, so a signature of one kind can never be replayed
    as another. */
#ifndef XIECHA_CRYPTO_H
#define XIECHA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define XC_PUBKEY_LEN 32
#define XC_SIG_LEN 64
#define XC_HASH_LEN 32
#define XC_REF_LEN 32
#define XC_MSGID_LEN 16
#define XC_KEY_ID_LEN 16 /* hex characters */

/* Signature contexts; the trailing NUL is part of what is signed. */
#define XC_CTX_ENVELOPE "xiecha/v1 envelope"
#define XC_CTX_CHECKPOINT "xiecha/v1 checkpoint"
#define XC_CTX_TRUST_LIST "xiecha/v1 trust-list"
#define XC_CTX_REPORT "xiecha/v1 report"

/*  An Ed25519 key: a key pair, or a public key alone. */
typedef struct _xc_key_t xc_key_t;

/*  Creates a fresh key pair.  Returns NULL on failure. */
xc_key_t *xc_key_generate (void);

/*  Loads a private key from a PEM (PKCS#8) file.  Returns NULL and fills
    why when the file is missing, unreadable or not an Ed25519 key. */
xc_key_t *xc_key_load (const char *path, char *why, size_t why_len);

/*  Writes the private key as PEM with mode 0600, atomically (temp file and
    rename).  Returns 0, XC_EIO or XC_EKEY. */
int xc_key_save (xc_key_t *self, const char *path);

/*  Wraps a raw 32-byte public key.  Returns NULL when it is not a usable
    key under doc/FORMATS.md 1.1 (a non-canonical encoding, not on the
    curve, of small or mixed order) or out of memory: a key no honest
    signer can have never reaches xc_verify. */
xc_key_t *xc_key_from_public (const uint8_t pub[XC_PUBKEY_LEN]);

/*  Destroys the key and sets *self_p to NULL; harmless twice. */
void xc_key_destroy (xc_key_t **self_p);

/*  Copies out the raw public key. */
void xc_key_public (xc_key_t *self, uint8_t pub[XC_PUBKEY_LEN]);

/*  The key id: the first 8 bytes of SHA-256(public key) in lower-case hex,
    written to id[XC_KEY_ID_LEN + 1]. */
void xc_key_id (const uint8_t pub[XC_PUBKEY_LEN], char *id);

/*  Signs context + '\0' + msg.  Returns 0 or XC_EKEY (no private half). */
int xc_sign (xc_key_t *self, const char *context, const uint8_t *msg,
             size_t len, uint8_t sig[XC_SIG_LEN]);

/*  Verifies a signature made by xc_sign.  Returns 0, XC_ESIG (it does not
    verify: also S >= L, a small-order or non-canonical R, a length other
    than XC_SIG_LEN; doc/FORMATS.md 1.1) or XC_ENOMEM.  Thread-safe: the
    key is only read. */
int xc_verify (xc_key_t *self, const char *context, const uint8_t *msg,
               size_t len, const uint8_t *sig, size_t sig_len);

/*  The library behind xc_sign and xc_verify and its version, such as
    "libsodium 1.0.18", for reports.  Static; never NULL. */
const char *xc_sign_library (void);

/*  SHA-256 of data. */
void xc_sha256 (const void *data, size_t len, uint8_t out[XC_HASH_LEN]);

/*  The subject ref: HMAC-SHA256(salt, normalized ID number). */
void xc_subject_ref (const uint8_t *salt, size_t salt_len,
                     const char *norm_id, uint8_t out[XC_REF_LEN]);

/*  The same HMAC for many IDs under one salt (a roster import hashes a
    million), keyed once: xc_subject_ref's result, several times faster.
    Not thread-safe: one per thread.  NULL when out of memory. */
typedef struct _xc_refgen_t xc_refgen_t;
xc_refgen_t *xc_refgen_new (const uint8_t *salt, size_t salt_len);
void xc_refgen_destroy (xc_refgen_t **self_p);
void xc_refgen_ref (xc_refgen_t *self, const char *norm_id,
                    uint8_t out[XC_REF_LEN]);

/*  Cryptographically random bytes; aborts if the system RNG fails, since
    nothing safe can continue without it. */
void xc_random (void *buf, size_t len);

/*  Lower-case hex of len bytes into out[2 * len + 1]. */
void xc_hex (const uint8_t *bytes, size_t len, char *out);

/*  Parses exactly 2 * len hex characters into bytes.  Returns 0 or
    XC_EINVAL. */
int xc_unhex (const char *hex, uint8_t *bytes, size_t len);

/*  Reads a salt file: one line of hex, at least 16 bytes decoded.
    Returns 0 and fills salt[*salt_len] (capacity 64), or XC_EIO/XC_EINVAL
    with why. */
int xc_salt_load (const char *path, uint8_t *salt, size_t *salt_len,
                  char *why, size_t why_len);

#endif
