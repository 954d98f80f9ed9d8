/*  test_merkle.c - RFC 9162 tree hashing, inclusion and consistency
    proofs: hand-built small roots, every proof for n = 1..9, and
    tampered proofs that must fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/bytes.h"
#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/merkle.h"

#define N_MAX 9

static uint8_t s_leaves[N_MAX][32];

static int
s_setup (void **state)
{
    //  Distinct, recognisable leaf values: leaf i = SHA-256 of byte i.
    for (uint8_t i = 0; i < N_MAX; i++)
        xc_sha256 (&i, 1, s_leaves[i]);
    return 0;
}

static void
s_lh (int i, uint8_t out[32])
{
    uint8_t buf[33];
    buf[0] = 0x00;
    memcpy (buf + 1, s_leaves[i], 32);
    xc_sha256 (buf, sizeof buf, out);
}

static void
s_nh (const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    uint8_t buf[65];
    buf[0] = 0x01;
    memcpy (buf + 1, l, 32);
    memcpy (buf + 33, r, 32);
    xc_sha256 (buf, sizeof buf, out);
}

static void
test_small_roots (void **state)
{
    uint8_t got[32], want[32], l0[32], l1[32], l2[32], n01[32];
    xc_merkle_root (s_leaves, 0, got);
    xc_sha256 ("", 0, want);
    assert_memory_equal (got, want, 32);

    s_lh (0, l0);
    xc_merkle_root (s_leaves, 1, got);
    assert_memory_equal (got, l0, 32);

    s_lh (1, l1);
    s_nh (l0, l1, n01);
    xc_merkle_root (s_leaves, 2, got);
    assert_memory_equal (got, n01, 32);

    //  n = 3 splits 2 + 1: the lone third leaf is not duplicated.
    s_lh (2, l2);
    s_nh (n01, l2, want);
    xc_merkle_root (s_leaves, 3, got);
    assert_memory_equal (got, want, 32);
}

static void
test_inclusion_all (void **state)
{
    uint8_t root[32], proof[XC_MERKLE_MAX_PROOF][32];
    size_t len;
    for (uint64_t n = 1; n <= N_MAX; n++) {
        xc_merkle_root (s_leaves, n, root);
        for (uint64_t i = 0; i < n; i++) {
            assert_int_equal (xc_merkle_inclusion_proof (
                                  s_leaves, n, i, proof,
                                  XC_MERKLE_MAX_PROOF, &len),
                              0);
            assert_int_equal (xc_merkle_inclusion_verify (
                                  s_leaves[i], i, n, proof, len, root),
                              0);
            //  Wrong leaf, wrong index and a flipped bit all fail.
            assert_int_equal (xc_merkle_inclusion_verify (
                                  s_leaves[(i + 1) % N_MAX], i, n, proof,
                                  len, root),
                              XC_ESIG);
            if (n > 1)
                assert_int_equal (xc_merkle_inclusion_verify (
                                      s_leaves[i], (i + 1) % n, n, proof,
                                      len, root),
                                  XC_ESIG);
            //  An index outside the tree fails.  (A larger size may
            //  legitimately share the path shape - e.g. leaf 0 of 3 and
            //  of 4 - which is why checkpoints sign the size with the
            //  root.)
            assert_int_equal (xc_merkle_inclusion_verify (
                                  s_leaves[i], i, i, proof, len, root),
                              XC_ESIG);
            if (len > 0) {
                proof[len - 1][5] ^= 0x20;
                assert_int_equal (xc_merkle_inclusion_verify (
                                      s_leaves[i], i, n, proof, len, root),
                                  XC_ESIG);
                //  A truncated path cannot reach the root either.
                proof[len - 1][5] ^= 0x20;
                assert_int_equal (xc_merkle_inclusion_verify (
                                      s_leaves[i], i, n, proof, len - 1,
                                      root),
                                  XC_ESIG);
            }
        }
    }
}

static void
test_inclusion_hand (void **state)
{
    //  Leaf 2 of 3: the path is just the root of leaves 0..1.
    uint8_t l0[32], l1[32], n01[32], proof[XC_MERKLE_MAX_PROOF][32];
    size_t len;
    s_lh (0, l0);
    s_lh (1, l1);
    s_nh (l0, l1, n01);
    assert_int_equal (xc_merkle_inclusion_proof (s_leaves, 3, 2, proof,
                                                 XC_MERKLE_MAX_PROOF, &len),
                      0);
    assert_int_equal (len, 1);
    assert_memory_equal (proof[0], n01, 32);
    assert_int_equal (xc_merkle_inclusion_proof (s_leaves, 3, 3, proof,
                                                 XC_MERKLE_MAX_PROOF, &len),
                      XC_EINVAL);
}

static void
test_consistency_all (void **state)
{
    uint8_t rm[32], rn[32], proof[XC_MERKLE_MAX_PROOF][32];
    size_t len;
    for (uint64_t n = 1; n <= N_MAX; n++) {
        xc_merkle_root (s_leaves, n, rn);
        for (uint64_t m = 1; m <= n; m++) {
            xc_merkle_root (s_leaves, m, rm);
            assert_int_equal (xc_merkle_consistency_proof (
                                  s_leaves, n, m, proof,
                                  XC_MERKLE_MAX_PROOF, &len),
                              0);
            assert_int_equal (xc_merkle_consistency_verify (m, n, rm, rn,
                                                            proof, len),
                              0);
            if (m == n)
                continue;
            //  Swapped roots, wrong old size and a flipped byte fail.
            assert_int_equal (xc_merkle_consistency_verify (m, n, rn, rm,
                                                            proof, len),
                              XC_ESIG);
            for (size_t j = 0; j < len; j++) {
                proof[j][0] ^= 1;
                assert_int_equal (xc_merkle_consistency_verify (
                                      m, n, rm, rn, proof, len),
                                  XC_ESIG);
                proof[j][0] ^= 1;
            }
            uint8_t other[32];
            memcpy (other, rm, 32);
            other[31] ^= 0x80;
            assert_int_equal (xc_merkle_consistency_verify (m, n, other, rn,
                                                            proof, len),
                              XC_ESIG);
        }
    }
}

static void
test_consistency_rewritten_history (void **state)
{
    //  A log whose third entry was changed after a checkpoint at 4 cannot
    //  prove consistency with that checkpoint.
    uint8_t alt[N_MAX][32], r4[32], r7[32], proof[XC_MERKLE_MAX_PROOF][32];
    size_t len;
    memcpy (alt, s_leaves, sizeof alt);
    alt[2][0] ^= 0xff;
    xc_merkle_root (s_leaves, 4, r4);
    xc_merkle_root (alt, 7, r7);
    assert_int_equal (xc_merkle_consistency_proof (alt, 7, 4, proof,
                                                   XC_MERKLE_MAX_PROOF, &len),
                      0);
    assert_int_equal (xc_merkle_consistency_verify (4, 7, r4, r7, proof, len),
                      XC_ESIG);
    assert_int_equal (xc_merkle_consistency_proof (s_leaves, 3, 4, proof,
                                                   XC_MERKLE_MAX_PROOF, &len),
                      XC_EINVAL);
}

/*  The compact range must give the recursive root after every append,
    across several powers of two, and survive an encode/decode round
    trip at every size; a wrong length must be refused. */
static void
test_frontier_matches_root (void **state)
{
    (void) state;
    enum { N = 300 };
    static uint8_t leaves[N][32];
    for (int i = 0; i < N; i++) {
        uint8_t b[2];
        xc_put_u16 (b, (uint16_t) i);
        xc_sha256 (b, 2, leaves[i]);
    }
    xc_merkle_frontier_t f, g;
    xc_merkle_frontier_init (&f);
    uint8_t want[32], got[32], buf[XC_MERKLE_FRONTIER_MAX];
    xc_merkle_frontier_root (&f, got);
    xc_merkle_root (leaves, 0, want);
    assert_memory_equal (got, want, 32);
    for (uint64_t n = 1; n <= N; n++) {
        xc_merkle_frontier_append (&f, leaves[n - 1]);
        assert_int_equal (f.size, n);
        xc_merkle_root (leaves, n, want);
        xc_merkle_frontier_root (&f, got);
        assert_memory_equal (got, want, 32);
        size_t len = xc_merkle_frontier_encode (&f, buf);
        assert_int_equal (xc_merkle_frontier_decode (&g, buf, len), 0);
        xc_merkle_frontier_root (&g, got);
        assert_memory_equal (got, want, 32);
        assert_int_equal (xc_merkle_frontier_decode (&g, buf, len - 1),
                          XC_EMALFORMED);
    }
    assert_int_equal (xc_merkle_frontier_decode (&g, buf, 7), XC_EMALFORMED);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_small_roots),
        cmocka_unit_test (test_inclusion_hand),
        cmocka_unit_test (test_inclusion_all),
        cmocka_unit_test (test_consistency_all),
        cmocka_unit_test (test_consistency_rewritten_history),
        cmocka_unit_test (test_frontier_matches_root),
    };
    return cmocka_run_group_tests (tests, s_setup, NULL);
}
