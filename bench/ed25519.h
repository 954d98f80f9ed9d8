/*  ed25519.h - the node's Ed25519 next to the implementations Debian
    packages, measured in the same run.

    The node signs and verifies through xc_sign / xc_verify
    (client/lib/crypto.c); the issue-15 rule is that it stays within 10 %
    of the fastest packaged implementation.  So the benchmarks measure it
    and each candidate over the same signed input (the envelope context,
    its NUL and a payload), each used the fastest way its API allows, in
    16 interleaved slices and per CPU second of the measuring thread, so
    that a neighbour's load on the shared machine neither counts nor
    falls on one of them more than on another. */
#ifndef XIECHA_BENCH_ED25519_H
#define XIECHA_BENCH_ED25519_H

#include <stddef.h>

/*  The implementations measured: the node's, then the packaged ones. */
enum { XB_ED_NODE, XB_ED_OPENSSL, XB_ED_SODIUM, XB_ED_COUNT };

typedef struct {
    const char *name;      /* "xc_sign/xc_verify", "OpenSSL EVP", ... */
    double sign_rate;      /* signatures per CPU second, one thread */
    double verify_rate;    /* verifications per CPU second (all succeed) */
} xb_ed_rate_t;

typedef struct {
    xb_ed_rate_t impl[XB_ED_COUNT];
    int fastest;           /* the packaged implementation (not the node)
                              with the highest signature ceiling */
    int identical;         /* OpenSSL and libsodium made the same signature
                              bytes from one seed (Ed25519 is deterministic) */
    char node_library[64]; /* what is behind xc_sign (xc_sign_library) */
} xb_ed25519_t;

/*  Measures every implementation for about `seconds` per operation, over
    payload bytes under XC_CTX_ENVELOPE.  xt_fail on any failure. */
void xb_ed25519_measure (double seconds, size_t payload, xb_ed25519_t *out);

/*  1 / (2/sign + 2/verify): queries per second if the two signatures and
    two verifications of a query (Query, Certificate) were its only cost,
    on one core. */
double xb_ed_ceiling (const xb_ed_rate_t *r);

#endif
