/*  make-ed25519.c - writes tests/vectors/ed25519.txt, the Ed25519 edge
    cases of doc/FORMATS.md section 1.1.

        make-ed25519 > ed25519.txt

    Each vector is a public key, a payload and a signature over
    XC_CTX_ENVELOPE "\0" payload, with the verdict xiecha gives it and, for
    the record, the verdicts of libsodium's crypto_sign_verify_detached
    alone and of OpenSSL's EVP Ed25519 (xc_verify before issue 15).  The
    verdicts are written by hand in the table below, from doc/FORMATS.md
    and from what the libraries were seen to do; `meson test unit.crypto`
    checks all three against the libraries, and `meson test
    vectors-ed25519-fresh` that the committed file is what this program
    writes.

    The edge cases need signatures no honest signer makes: a forger's R
    and S for keys of small or mixed order, R = identity with S = k·a.
    They are made here with libsodium's group and scalar arithmetic
    (crypto_core_ed25519_*), from fixed labels, so every run writes the
    same bytes.  Notation: B the base point, L its order, a the signer's
    secret scalar and A = [a]B, k = SHA-512 (R ‖ A ‖ M) mod L, T8 a point
    of order 8; a signature is R ‖ S and the cofactorless equation that
    libsodium and OpenSSL check is R = [S]B − [k]A (byte for byte, R as
    the verifier encodes it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define S_CTX "xiecha/v1 envelope" /* XC_CTX_ENVELOPE */

/* A point of order 8, canonically encoded (main checks its order). */
static const uint8_t s_order8[32] = {
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
    0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
    0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a};

/* L, little-endian. */
static const uint8_t s_order_l[32] = {
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
    0xa2, 0xde, 0xf9, 0xde, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10};

/* The identity (0, 1), canonically: y = 1, sign bit 0. */
static const uint8_t s_identity[32] = {1};

typedef struct {
    uint8_t pub[32];
    uint8_t payload[64];
    size_t payload_len;
    uint8_t sig[65];
    size_t sig_len;
} s_vector_t;

static void
s_die (const char *what)
{
    fprintf (stderr, "make-ed25519: %s\n", what);
    exit (1);
}

/* ---- scalars and points ------------------------------------------------ */

/*  A scalar mod L from SHA-512 of label and a counter. */
static void
s_scalar (const char *label, unsigned counter, uint8_t out[32])
{
    uint8_t h[64];
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init (&st);
    crypto_hash_sha512_update (&st, (const uint8_t *) label, strlen (label));
    crypto_hash_sha512_update (&st, (const uint8_t *) &counter,
                               sizeof counter);
    crypto_hash_sha512_final (&st, h);
    crypto_core_ed25519_scalar_reduce (out, h);
}

/*  k = SHA-512 (R ‖ A ‖ context ‖ 0 ‖ payload) mod L, as a verifier
    computes it over the bytes it was given. */
static void
s_challenge (const uint8_t r[32], const uint8_t a[32], const s_vector_t *v,
             uint8_t k[32])
{
    uint8_t h[64];
    crypto_hash_sha512_state st;
    crypto_hash_sha512_init (&st);
    crypto_hash_sha512_update (&st, r, 32);
    crypto_hash_sha512_update (&st, a, 32);
    crypto_hash_sha512_update (&st, (const uint8_t *) S_CTX,
                               sizeof S_CTX);   /* with its NUL */
    crypto_hash_sha512_update (&st, v->payload, v->payload_len);
    crypto_hash_sha512_final (&st, h);
    crypto_core_ed25519_scalar_reduce (k, h);
}

/*  [n]B; n = 0 gives the identity (libsodium refuses to return it). */
static void
s_base (const uint8_t n[32], uint8_t out[32])
{
    if (crypto_scalarmult_ed25519_base_noclamp (out, n) != 0)
        memcpy (out, s_identity, 32);
}

static void
s_add (const uint8_t p[32], const uint8_t q[32], uint8_t out[32])
{
    if (crypto_core_ed25519_add (out, p, q) != 0)
        s_die ("point addition failed");
}

/*  The honest key of a label: seed SHA-256 (label), secret scalar a
    (RFC 8032 5.1.5: SHA-512 of the seed, clamped, here reduced mod L). */
typedef struct {
    uint8_t seed[32];
    uint8_t sk[64];      /* libsodium's seed ‖ A */
    uint8_t pub[32];
    uint8_t a[32];
} s_key_t;

static void
s_key (const char *label, s_key_t *k)
{
    crypto_hash_sha256 (k->seed, (const uint8_t *) label, strlen (label));
    if (crypto_sign_seed_keypair (k->pub, k->sk, k->seed) != 0)
        s_die ("keypair");
    uint8_t h[64], wide[64] = {0}, check[32];
    crypto_hash_sha512 (h, k->seed, 32);
    h[0] &= 248;
    h[31] &= 127;
    h[31] |= 64;
    memcpy (wide, h, 32);
    crypto_core_ed25519_scalar_reduce (k->a, wide);
    s_base (k->a, check);
    if (memcmp (check, k->pub, 32) != 0)
        s_die ("secret scalar does not give the public key");
}

/* ---- the vectors ------------------------------------------------------- */

static void
s_payload (s_vector_t *v, const char *name)
{
    v->payload_len = (size_t) snprintf ((char *) v->payload,
                                        sizeof v->payload,
                                        "ed25519 vector %s", name);
}

/*  An honest signature by key over v's payload. */
static void
s_sign (const s_key_t *key, s_vector_t *v)
{
    uint8_t msg[128];
    memcpy (msg, S_CTX, sizeof S_CTX);
    memcpy (msg + sizeof S_CTX, v->payload, v->payload_len);
    crypto_sign_detached (v->sig, NULL, msg, sizeof S_CTX + v->payload_len,
                          key->sk);
    memcpy (v->pub, key->pub, 32);
    v->sig_len = 64;
}

/*  A forgery for a small-order A (its bytes in v->pub): R = [S]B for a
    made-up S, which satisfies R = [S]B − [k]A whenever [k]A is the
    identity: always for the identity, for k ≡ 0 mod ord(A) otherwise.
    Tries S until that holds (1 in 8 for an order-8 A). */
static void
s_forge_small (s_vector_t *v, const char *label, unsigned order)
{
    for (unsigned i = 0; i < 1000; i++) {
        uint8_t s[32], r[32], k[32];
        s_scalar (label, i, s);
        s_base (s, r);
        s_challenge (r, v->pub, v, k);
        if (k[0] % order != 0)
            continue;
        memcpy (v->sig, r, 32);
        memcpy (v->sig + 32, s, 32);
        v->sig_len = 64;
        return;
    }
    s_die ("no forgery found");
}

/*  R given (a small-order encoding), S = k·a: then [S]B − [k]A is the
    identity, which a verifier that compares points rather than bytes
    takes for R. */
static void
s_sign_small_r (const s_key_t *key, s_vector_t *v, const uint8_t r[32])
{
    uint8_t k[32], s[32];
    memcpy (v->pub, key->pub, 32);
    s_challenge (r, v->pub, v, k);
    crypto_core_ed25519_scalar_mul (s, k, key->a);
    memcpy (v->sig, r, 32);
    memcpy (v->sig + 32, s, 32);
    v->sig_len = 64;
}

/*  R = [r]B + T8, S = r + k·a: [S]B − [k]A = [r]B, which is not R, but
    [8]R = [8]([S]B − [k]A): a cofactored verifier accepts it. */
static void
s_sign_mixed_r (const s_key_t *key, s_vector_t *v, const char *label)
{
    uint8_t r[32], rb[32], rr[32], k[32], ka[32], s[32];
    s_scalar (label, 0, r);
    s_base (r, rb);
    s_add (rb, s_order8, rr);
    memcpy (v->pub, key->pub, 32);
    s_challenge (rr, v->pub, v, k);
    crypto_core_ed25519_scalar_mul (ka, k, key->a);
    crypto_core_ed25519_scalar_add (s, r, ka);
    memcpy (v->sig, rr, 32);
    memcpy (v->sig + 32, s, 32);
    v->sig_len = 64;
}

/*  A = [a]B + T8, the key's owner signing with R = [r]B and S = r + k·a
    for an r that makes k ≡ 0 mod 8: then [k]T8 vanishes and the
    cofactorless equation holds. */
static void
s_sign_mixed_a (const s_key_t *key, s_vector_t *v, const char *label)
{
    s_add (key->pub, s_order8, v->pub);
    for (unsigned i = 0; i < 1000; i++) {
        uint8_t r[32], rb[32], k[32], ka[32], s[32];
        s_scalar (label, i, r);
        s_base (r, rb);
        s_challenge (rb, v->pub, v, k);
        if (k[0] % 8 != 0)
            continue;
        crypto_core_ed25519_scalar_mul (ka, k, key->a);
        crypto_core_ed25519_scalar_add (s, r, ka);
        memcpy (v->sig, rb, 32);
        memcpy (v->sig + 32, s, 32);
        v->sig_len = 64;
        return;
    }
    s_die ("no mixed-order signature found");
}

/*  A non-canonical encoding of a point of large order: y = p + j for the
    first j in 2..18 that is the y of a curve point (only y < 19 has a
    second encoding below 2^255). */
static void
s_noncanonical_large (uint8_t out[32])
{
    for (unsigned j = 2; j < 19; j++) {
        uint8_t canon[32] = {(uint8_t) j}, sum[32];
        if (crypto_core_ed25519_add (sum, canon, s_identity) != 0)
            continue;    /* not on the curve */
        memset (out, 0xff, 32);
        out[0] = (uint8_t) (0xed + j);
        out[31] = 0x7f;
        return;
    }
    s_die ("no curve point with y < 19");
}

static void
s_hex (const uint8_t *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        printf ("%02x", b[i]);
}

static void
s_print (const char *name, const s_vector_t *v, const char *xiecha,
         const char *sodium, const char *openssl)
{
    printf ("%s | ", name);
    s_hex (v->pub, 32);
    printf (" | ");
    s_hex (v->payload, v->payload_len);
    printf (" | ");
    s_hex (v->sig, v->sig_len);
    printf (" | %s | %s | %s\n", xiecha, sodium, openssl);
}

int
main (void)
{
    if (sodium_init () < 0)
        s_die ("sodium_init");
    s_key_t key;
    s_key ("xiecha ed25519 vectors: signer", &key);

    /* The order-8 point really has order 8: [4]T8 is not the identity,
       [8]T8 is. */
    uint8_t t2[32], t4[32], t8[32];
    s_add (s_order8, s_order8, t2);
    s_add (t2, t2, t4);
    s_add (t4, t4, t8);
    if (memcmp (t4, s_identity, 32) == 0 || memcmp (t8, s_identity, 32) != 0)
        s_die ("the order-8 point is not of order 8");

    printf ("# tests/vectors/ed25519.txt - Ed25519 edge cases, written by "
            "make-ed25519.c;\n"
            "# the rules are doc/FORMATS.md section 1.1.\n#\n"
            "#   name | public key | payload | signature | xiecha | "
            "libsodium | openssl\n#\n"
            "# Hex throughout.  The signed message is the context \"" S_CTX
            "\", a NUL byte\n# and the payload (hex 7869656368612f763120656e"
            "76656c6f706500 ‖ payload).\n# xiecha: the verdict of xc_verify "
            "with the key from xc_key_from_public (a\n# key that does not "
            "load is a refusal): what every verifier of xiecha's\n# "
            "signatures must say.  libsodium: crypto_sign_verify_detached "
            "1.0.18\n# alone.  openssl: EVP_DigestVerify of OpenSSL 3.0 "
            "(xc_verify before\n# issue 15).  The last two are facts about "
            "those libraries, kept so that a\n# change in either shows.\n");

    s_vector_t v;
    memset (&v, 0, sizeof v);
    s_payload (&v, "valid");
    s_sign (&key, &v);
    s_print ("valid", &v, "accept", "accept", "accept");

    /* The same signature over another payload. */
    s_vector_t w = v;
    w.payload[w.payload_len - 1] ^= 0x01;
    s_print ("wrong-message", &w, "refuse", "refuse", "refuse");

    /* S + L: the same value mod L, not the canonical encoding. */
    w = v;
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        unsigned sum = w.sig[32 + i] + s_order_l[i] + carry;
        w.sig[32 + i] = (uint8_t) sum;
        carry = sum >> 8;
    }
    s_print ("s-plus-l", &w, "refuse", "refuse", "refuse");

    w = v;
    w.sig_len = 63;
    s_print ("sig-63-bytes", &w, "refuse", "refuse", "refuse");
    w = v;
    w.sig[64] = 0;
    w.sig_len = 65;
    s_print ("sig-65-bytes", &w, "refuse", "refuse", "refuse");

    /* Small-order A: the forger's signature holds for any message under
       the cofactorless equation. */
    memset (&w, 0, sizeof w);
    s_payload (&w, "a-identity");
    memcpy (w.pub, s_identity, 32);
    s_forge_small (&w, "a-identity", 1);
    s_print ("a-identity", &w, "refuse", "refuse", "accept");

    memset (&w, 0, sizeof w);
    s_payload (&w, "a-order-8");
    memcpy (w.pub, s_order8, 32);
    s_forge_small (&w, "a-order-8", 8);
    s_print ("a-order-8", &w, "refuse", "refuse", "accept");

    /* Non-canonical A: the identity as y = p + 1, and as x = -0 (y = 1
       with the sign bit set); both small order too. */
    memset (&w, 0, sizeof w);
    s_payload (&w, "a-identity-y-plus-p");
    memset (w.pub, 0xff, 32);
    w.pub[0] = 0xee;
    w.pub[31] = 0x7f;
    s_forge_small (&w, "a-identity-y-plus-p", 1);
    s_print ("a-identity-y-plus-p", &w, "refuse", "refuse", "accept");

    memset (&w, 0, sizeof w);
    s_payload (&w, "a-identity-negative-zero");
    memcpy (w.pub, s_identity, 32);
    w.pub[31] |= 0x80;
    s_forge_small (&w, "a-identity-negative-zero", 1);
    s_print ("a-identity-negative-zero", &w, "refuse", "refuse", "accept");

    /* Non-canonical A of a large-order point: no forgery is possible
       without its discrete log, so the signature is the valid one; the
       key must be refused as an encoding whatever signature comes. */
    w = v;
    s_noncanonical_large (w.pub);
    s_print ("a-noncanonical", &w, "refuse", "refuse", "refuse");

    /* Mixed-order A (honest key + T8), signature by its owner. */
    memset (&w, 0, sizeof w);
    s_payload (&w, "a-mixed-order");
    s_sign_mixed_a (&key, &w, "a-mixed-order");
    s_print ("a-mixed-order", &w, "refuse", "accept", "accept");

    /* Small-order R with the honest key: R = identity, S = k·a. */
    memset (&w, 0, sizeof w);
    s_payload (&w, "r-identity");
    s_sign_small_r (&key, &w, s_identity);
    s_print ("r-identity", &w, "refuse", "refuse", "accept");

    /* The same with R non-canonical (y = p + 1). */
    memset (&w, 0, sizeof w);
    s_payload (&w, "r-identity-y-plus-p");
    uint8_t r_nc[32];
    memset (r_nc, 0xff, 32);
    r_nc[0] = 0xee;
    r_nc[31] = 0x7f;
    s_sign_small_r (&key, &w, r_nc);
    s_print ("r-identity-y-plus-p", &w, "refuse", "refuse", "refuse");

    /* Mixed-order R: holds only for a cofactored verifier. */
    memset (&w, 0, sizeof w);
    s_payload (&w, "r-mixed-order");
    s_sign_mixed_r (&key, &w, "r-mixed-order");
    s_print ("r-mixed-order", &w, "refuse", "refuse", "refuse");
    return 0;
}
