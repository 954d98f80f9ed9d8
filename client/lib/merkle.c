/*  merkle.c - RFC 9162 Merkle tree hashing, proofs and their checks.

    Generation follows the recursive definitions of RFC 9162 2.1.1-2.1.4
    (MTH, PATH, SUBPROOF); verification follows the iterative algorithms
    of 2.1.3.2 and 2.1.4.2, so the two sides are written independently
    and a bug in one is unlikely to be mirrored in the other. */
#include <xiecha/merkle.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <xiecha/bytes.h>
#include <xiecha/error.h>

/*  SHA-256 of prefix byte || a || b (b may be NULL). */
static void
s_hash2 (uint8_t prefix, const uint8_t *a, size_t a_len, const uint8_t *b,
         size_t b_len, uint8_t out[32])
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    unsigned int out_len = 32;
    //  Allocation failure here leaves nothing safe to return.
    if (!ctx || !EVP_DigestInit_ex (ctx, EVP_sha256 (), NULL)
        || !EVP_DigestUpdate (ctx, &prefix, 1)
        || !EVP_DigestUpdate (ctx, a, a_len)
        || (b && !EVP_DigestUpdate (ctx, b, b_len))
        || !EVP_DigestFinal_ex (ctx, out, &out_len))
        abort ();
    EVP_MD_CTX_free (ctx);
}

void
xc_merkle_leaf_hash (const uint8_t *data, size_t len, uint8_t out[32])
{
    s_hash2 (0x00, data, len, NULL, 0, out);
}

void
xc_merkle_node_hash (const uint8_t left[32], const uint8_t right[32],
                     uint8_t out[32])
{
    s_hash2 (0x01, left, 32, right, 32, out);
}

/*  The largest power of two strictly below n (n >= 2). */
static uint64_t
s_split (uint64_t n)
{
    uint64_t k = 1;
    while (k << 1 < n)
        k <<= 1;
    return k;
}

/*  MTH over leaves[0..n), n >= 1.  Recursion depth is log2(n). */
static void
s_mth (const uint8_t (*leaves)[32], uint64_t n, uint8_t out[32])
{
    if (n == 1) {
        xc_merkle_leaf_hash (leaves[0], 32, out);
        return;
    }
    uint64_t k = s_split (n);
    uint8_t l[32], r[32];
    s_mth (leaves, k, l);
    s_mth (leaves + k, n - k, r);
    xc_merkle_node_hash (l, r, out);
}

void
xc_merkle_root (const uint8_t (*leaves)[32], uint64_t n, uint8_t out[32])
{
    if (n == 0) {
        EVP_Digest ("", 0, out, NULL, EVP_sha256 (), NULL);
        return;
    }
    s_mth (leaves, n, out);
}

/*  Appends hash to proof; returns -1 when full. */
static int
s_push (uint8_t (*proof)[32], size_t cap, size_t *len, const uint8_t h[32])
{
    if (*len >= cap)
        return -1;
    memcpy (proof[(*len)++], h, 32);
    return 0;
}

/*  PATH(m, D[0..n)), RFC 9162 2.1.3.1. */
static int
s_path (const uint8_t (*leaves)[32], uint64_t n, uint64_t m,
        uint8_t (*proof)[32], size_t cap, size_t *len)
{
    if (n == 1)
        return 0;
    uint64_t k = s_split (n);
    uint8_t h[32];
    if (m < k) {
        if (s_path (leaves, k, m, proof, cap, len) != 0)
            return -1;
        s_mth (leaves + k, n - k, h);
    }
    else {
        if (s_path (leaves + k, n - k, m - k, proof, cap, len) != 0)
            return -1;
        s_mth (leaves, k, h);
    }
    return s_push (proof, cap, len, h);
}

int
xc_merkle_inclusion_proof (const uint8_t (*leaves)[32], uint64_t n,
                           uint64_t index, uint8_t (*proof)[32], size_t cap,
                           size_t *len)
{
    *len = 0;
    if (index >= n)
        return XC_EINVAL;
    return s_path (leaves, n, index, proof, cap, len) == 0 ? 0 : XC_EINVAL;
}

/*  SUBPROOF(m, D[0..n), b), RFC 9162 2.1.4.1. */
static int
s_subproof (const uint8_t (*leaves)[32], uint64_t n, uint64_t m, int b,
            uint8_t (*proof)[32], size_t cap, size_t *len)
{
    uint8_t h[32];
    if (m == n) {
        if (b)
            return 0;
        s_mth (leaves, n, h);
        return s_push (proof, cap, len, h);
    }
    uint64_t k = s_split (n);
    if (m <= k) {
        if (s_subproof (leaves, k, m, b, proof, cap, len) != 0)
            return -1;
        s_mth (leaves + k, n - k, h);
    }
    else {
        if (s_subproof (leaves + k, n - k, m - k, 0, proof, cap, len) != 0)
            return -1;
        s_mth (leaves, k, h);
    }
    return s_push (proof, cap, len, h);
}

int
xc_merkle_consistency_proof (const uint8_t (*leaves)[32], uint64_t n,
                             uint64_t m, uint8_t (*proof)[32], size_t cap,
                             size_t *len)
{
    *len = 0;
    if (m == 0 || m > n)
        return XC_EINVAL;
    if (m == n)
        return 0;
    return s_subproof (leaves, n, m, 1, proof, cap, len) == 0 ? 0
                                                               : XC_EINVAL;
}

int
xc_merkle_inclusion_verify (const uint8_t leaf[32], uint64_t index,
                            uint64_t n, const uint8_t (*proof)[32],
                            size_t len, const uint8_t root[32])
{
    if (index >= n)
        return XC_ESIG;
    uint64_t fn = index, sn = n - 1;
    uint8_t r[32];
    xc_merkle_leaf_hash (leaf, 32, r);
    for (size_t i = 0; i < len; i++) {
        if (sn == 0)
            return XC_ESIG;
        if ((fn & 1) || fn == sn) {
            xc_merkle_node_hash (proof[i], r, r);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        }
        else
            xc_merkle_node_hash (r, proof[i], r);
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp (r, root, 32) == 0 ? 0 : XC_ESIG;
}

int
xc_merkle_consistency_verify (uint64_t m, uint64_t n,
                              const uint8_t root_m[32],
                              const uint8_t root_n[32],
                              const uint8_t (*proof)[32], size_t len)
{
    if (m > n)
        return XC_ESIG;
    if (m == 0)
        return len == 0 ? 0 : XC_ESIG;
    if (m == n)
        return len == 0 && memcmp (root_m, root_n, 32) == 0 ? 0 : XC_ESIG;
    if (len == 0)
        return XC_ESIG;
    //  When m is a power of two its root is a node of the big tree and
    //  RFC 9162 leaves it out of the proof: start from it.
    size_t i = 0;
    uint8_t fr[32], sr[32];
    if ((m & (m - 1)) == 0)
        memcpy (fr, root_m, 32);
    else
        memcpy (fr, proof[i++], 32);
    memcpy (sr, fr, 32);
    uint64_t fn = m - 1, sn = n - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; i < len; i++) {
        if (sn == 0)
            return XC_ESIG;
        if ((fn & 1) || fn == sn) {
            xc_merkle_node_hash (proof[i], fr, fr);
            xc_merkle_node_hash (proof[i], sr, sr);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        }
        else
            xc_merkle_node_hash (sr, proof[i], sr);
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp (fr, root_m, 32) == 0
                   && memcmp (sr, root_n, 32) == 0
               ? 0
               : XC_ESIG;
}

/* --------------------------------------------------------------------------
   Compact range
   -------------------------------------------------------------------------- */

/*  Number of roots a range of n leaves holds. */
static size_t
s_popcount (uint64_t n)
{
    size_t c = 0;
    for (; n; n &= n - 1)
        c++;
    return c;
}

void
xc_merkle_frontier_init (xc_merkle_frontier_t *self)
{
    memset (self, 0, sizeof *self);
}

/*  Like a binary counter: the new leaf is a subtree of one; while the
    lowest bit of size is set, the last root is a subtree of the same
    height, and the two merge into one of twice the size. */
void
xc_merkle_frontier_append (xc_merkle_frontier_t *self,
                           const uint8_t leaf[32])
{
    uint8_t carry[32];
    xc_merkle_leaf_hash (leaf, 32, carry);
    size_t top = s_popcount (self->size);
    for (uint64_t n = self->size; n & 1; n >>= 1) {
        top--;
        xc_merkle_node_hash (self->node[top], carry, carry);
    }
    memcpy (self->node[top], carry, 32);
    self->size++;
}

/*  RFC 9162 splits at the largest power of two, so the root is the
    roots folded from the right: H(r0, H(r1, ... H(rk-1, rk))). */
void
xc_merkle_frontier_root (const xc_merkle_frontier_t *self, uint8_t out[32])
{
    size_t k = s_popcount (self->size);
    if (k == 0) {
        xc_merkle_root (NULL, 0, out);
        return;
    }
    uint8_t acc[32];
    memcpy (acc, self->node[k - 1], 32);
    for (size_t i = k - 1; i-- > 0;)
        xc_merkle_node_hash (self->node[i], acc, acc);
    memcpy (out, acc, 32);
}

size_t
xc_merkle_frontier_encode (const xc_merkle_frontier_t *self, uint8_t *buf)
{
    xc_put_u64 (buf, self->size);
    size_t k = s_popcount (self->size);
    memcpy (buf + 8, self->node, k * 32);
    return 8 + k * 32;
}

int
xc_merkle_frontier_decode (xc_merkle_frontier_t *self, const uint8_t *buf,
                           size_t len)
{
    if (len < 8)
        return XC_EMALFORMED;
    uint64_t size = xc_get_u64 (buf);
    size_t k = s_popcount (size);
    if (len != 8 + k * 32)
        return XC_EMALFORMED;
    xc_merkle_frontier_init (self);
    self->size = size;
    memcpy (self->node, buf + 8, k * 32);
    return 0;
}
