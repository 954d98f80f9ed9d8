/*  merkle.h - RFC 9162 Merkle tree hashing over audit entry hashes.

    The leaves are 32-byte values (audit entry hashes, in log order).
    Leaf hash = SHA-256(0x00 || leaf), node hash = SHA-256(0x01 || l || r),
    and a tree of n > 1 leaves splits at k, the largest power of two below
    n (RFC 9162 section 2.1.1).  The root of the empty tree is SHA-256 of
    the empty string.  Proofs are arrays of 32-byte hashes in the order of
    RFC 9162 sections 2.1.3 and 2.1.4 (from the leaf side up). */
#ifndef XIECHA_MERKLE_H
#define XIECHA_MERKLE_H

#include <stddef.h>
#include <stdint.h>

/* Enough for any tree of up to 2^64 leaves. */
#define XC_MERKLE_MAX_PROOF 128

/*  SHA-256(0x00 || data). */
void xc_merkle_leaf_hash (const uint8_t *data, size_t len, uint8_t out[32]);

/*  SHA-256(0x01 || left || right). */
void xc_merkle_node_hash (const uint8_t left[32], const uint8_t right[32],
                          uint8_t out[32]);

/*  The root over leaves[0..n).  n may be 0. */
void xc_merkle_root (const uint8_t (*leaves)[32], uint64_t n,
                     uint8_t out[32]);

/*  The audit path for leaf index in a tree of n leaves.  Writes up to cap
    hashes to proof and sets *len.  Returns 0 or XC_EINVAL (index >= n or
    cap too small). */
int xc_merkle_inclusion_proof (const uint8_t (*leaves)[32], uint64_t n,
                               uint64_t index, uint8_t (*proof)[32],
                               size_t cap, size_t *len);

/*  Checks that leaf (the 32-byte leaf value, not its leaf hash) sits at
    index in the tree of n leaves with the given root.  Returns 0 or
    XC_ESIG when the proof does not hold. */
int xc_merkle_inclusion_verify (const uint8_t leaf[32], uint64_t index,
                                uint64_t n, const uint8_t (*proof)[32],
                                size_t len, const uint8_t root[32]);

/*  The consistency proof between the first m leaves and all n
    (0 < m <= n; empty when m == n).  Returns 0 or XC_EINVAL. */
int xc_merkle_consistency_proof (const uint8_t (*leaves)[32], uint64_t n,
                                 uint64_t m, uint8_t (*proof)[32],
                                 size_t cap, size_t *len);

/*  Checks that the tree of m leaves with root_m is a prefix of the tree
    of n leaves with root_n.  m == 0 is trivially consistent; m == n
    needs an empty proof and equal roots.  Returns 0 or XC_ESIG. */
int xc_merkle_consistency_verify (uint64_t m, uint64_t n,
                                  const uint8_t root_m[32],
                                  const uint8_t root_n[32],
                                  const uint8_t (*proof)[32], size_t len);

/*  A compact range (RFC 9162 "frontier"): the roots of the perfect
    subtrees a tree of `size` leaves splits into, largest first, one per
    set bit of size.  It is all a log needs to keep to know its root:
    appending a leaf costs amortised one node hash, the root at most 63,
    where recomputing it from the leaves costs 2n hashes and 32 bytes of
    memory per leaf. */
typedef struct {
    uint64_t size;                /* leaves appended */
    uint8_t node[64][32];         /* popcount(size) subtree roots */
} xc_merkle_frontier_t;

/*  The bytes xc_merkle_frontier_encode writes at most: u64 size and 64
    roots. */
#define XC_MERKLE_FRONTIER_MAX (8 + 64 * 32)

/*  An empty range. */
void xc_merkle_frontier_init (xc_merkle_frontier_t *self);

/*  Appends a leaf (the 32-byte leaf value, not its leaf hash). */
void xc_merkle_frontier_append (xc_merkle_frontier_t *self,
                                const uint8_t leaf[32]);

/*  The root of the tree so far; equal to xc_merkle_root over the same
    leaves. */
void xc_merkle_frontier_root (const xc_merkle_frontier_t *self,
                              uint8_t out[32]);

/*  Serialises to buf (at least XC_MERKLE_FRONTIER_MAX bytes): u64 size,
    big-endian, then the roots.  Returns the length written. */
size_t xc_merkle_frontier_encode (const xc_merkle_frontier_t *self,
                                  uint8_t *buf);

/*  Parses what encode wrote.  Returns 0 or XC_EMALFORMED when the length
    does not match the size's number of roots. */
int xc_merkle_frontier_decode (xc_merkle_frontier_t *self,
                               const uint8_t *buf, size_t len);

#endif
