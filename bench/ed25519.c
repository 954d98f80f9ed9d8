/*  ed25519.c - Ed25519 rates of the node and of the packaged libraries
    (ed25519.h).

    The only place outside client/lib/crypto.c that calls OpenSSL's or
    libsodium's Ed25519 directly: it measures them as candidates, it
    never signs anything the project keeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "xiecha/crypto.h"

#include "common.h"
#include "ed25519.h"

#define S_SLICES 16  /* interleaved slices per implementation and op */
#define S_BLOCK 32   /* operations between two looks at the clock */

/*  Everything one measurement needs: the same seed, payload and signed
    input for every implementation. */
typedef struct {
    uint8_t seed[32];
    const uint8_t *payload;       /* payload bytes, owned by input */
    size_t payload_len;
    uint8_t *input;               /* XC_CTX_ENVELOPE, NUL, payload; owned */
    size_t input_len;
    xc_key_t *node;               /* the node's key; owned */
    EVP_PKEY *ossl;               /* the same seed in OpenSSL; owned */
    EVP_MD_CTX *ossl_ctx;         /* reused: re-initialised per operation */
    uint8_t sodium_pk[32], sodium_sk[64];
    uint8_t sig[XB_ED_COUNT][XC_SIG_LEN];   /* each one's signature */
} s_bench_t;

/* ---- one operation of each ----------------------------------------- */

static int
s_sign (s_bench_t *b, int impl)
{
    size_t len = XC_SIG_LEN;
    switch (impl) {
    case XB_ED_NODE:
        return xc_sign (b->node, XC_CTX_ENVELOPE, b->payload, b->payload_len,
                        b->sig[impl]);
    case XB_ED_OPENSSL:
        return EVP_DigestSignInit (b->ossl_ctx, NULL, NULL, NULL, b->ossl) == 1
                       && EVP_DigestSign (b->ossl_ctx, b->sig[impl], &len,
                                          b->input, b->input_len) == 1
                   ? 0 : -1;
    default:
        return crypto_sign_detached (b->sig[impl], NULL, b->input,
                                     b->input_len, b->sodium_sk);
    }
}

static int
s_verify (s_bench_t *b, int impl)
{
    switch (impl) {
    case XB_ED_NODE:
        return xc_verify (b->node, XC_CTX_ENVELOPE, b->payload,
                          b->payload_len, b->sig[impl], XC_SIG_LEN);
    case XB_ED_OPENSSL:
        return EVP_DigestVerifyInit (b->ossl_ctx, NULL, NULL, NULL, b->ossl)
                           == 1
                       && EVP_DigestVerify (b->ossl_ctx, b->sig[impl],
                                            XC_SIG_LEN, b->input,
                                            b->input_len) == 1
                   ? 0 : -1;
    default:
        return crypto_sign_verify_detached (b->sig[impl], b->input,
                                            b->input_len, b->sodium_pk);
    }
}

/* ---- setup ---------------------------------------------------------- */

static void
s_setup (s_bench_t *b, size_t payload)
{
    memset (b, 0, sizeof *b);
    if (sodium_init () < 0)
        xt_fail ("sodium_init failed");
    xc_random (b->seed, sizeof b->seed);
    b->input_len = sizeof XC_CTX_ENVELOPE + payload;
    b->input = malloc (b->input_len);
    if (!b->input)
        xt_fail ("out of memory");
    memcpy (b->input, XC_CTX_ENVELOPE, sizeof XC_CTX_ENVELOPE);
    xc_random (b->input + sizeof XC_CTX_ENVELOPE, payload);
    b->payload = b->input + sizeof XC_CTX_ENVELOPE;
    b->payload_len = payload;

    b->node = xc_key_generate ();
    b->ossl = EVP_PKEY_new_raw_private_key (EVP_PKEY_ED25519, NULL, b->seed,
                                            sizeof b->seed);
    b->ossl_ctx = EVP_MD_CTX_new ();
    if (!b->node || !b->ossl || !b->ossl_ctx
        || crypto_sign_seed_keypair (b->sodium_pk, b->sodium_sk, b->seed) != 0)
        xt_fail ("cannot make the Ed25519 keys");
}

static void
s_teardown (s_bench_t *b)
{
    xc_key_destroy (&b->node);
    EVP_MD_CTX_free (b->ossl_ctx);
    EVP_PKEY_free (b->ossl);
    sodium_memzero (b->sodium_sk, sizeof b->sodium_sk);
    free (b->input);
}

/* ---- the measurement ----------------------------------------------- */

/*  Seconds of CPU this thread has used: the rates are per CPU second, so
    time the scheduler gives a neighbour on the shared machine is not
    charged to whichever implementation was running then. */
static double
s_cpu_now (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/*  Runs op of impl in blocks until `seconds` of CPU pass; adds to ops and
    time. */
static void
s_slice (s_bench_t *b, int impl, int (*op) (s_bench_t *, int),
         double seconds, double *ops, double *spent)
{
    size_t n = 0;
    double start = s_cpu_now (), now = start;
    while (now - start < seconds) {
        for (int i = 0; i < S_BLOCK; i++)
            if (op (b, impl) != 0)
                xt_fail ("Ed25519 operation failed");
        n += S_BLOCK;
        now = s_cpu_now ();
    }
    *ops += (double) n;
    *spent += now - start;
}

double
xb_ed_ceiling (const xb_ed_rate_t *r)
{
    return 1.0 / (2.0 / r->sign_rate + 2.0 / r->verify_rate);
}

void
xb_ed25519_measure (double seconds, size_t payload, xb_ed25519_t *out)
{
    static const char *names[XB_ED_COUNT] = {"xc_sign/xc_verify",
                                             "OpenSSL EVP", "libsodium"};
    s_bench_t b;
    s_setup (&b, payload);
    memset (out, 0, sizeof *out);
    snprintf (out->node_library, sizeof out->node_library, "%s",
              xc_sign_library ());

    /* One signature each first: verify then measures success. */
    for (int i = 0; i < XB_ED_COUNT; i++)
        if (s_sign (&b, i) != 0)
            xt_fail ("Ed25519 sign failed");
    out->identical = memcmp (b.sig[XB_ED_OPENSSL], b.sig[XB_ED_SODIUM],
                             XC_SIG_LEN) == 0;

    double ops[XB_ED_COUNT][2] = {{0}}, spent[XB_ED_COUNT][2] = {{0}};
    double slice = seconds / S_SLICES;
    for (int s = 0; s < S_SLICES; s++)
        for (int i = 0; i < XB_ED_COUNT; i++) {
            s_slice (&b, i, s_sign, slice, &ops[i][0], &spent[i][0]);
            s_slice (&b, i, s_verify, slice, &ops[i][1], &spent[i][1]);
        }
    for (int i = 0; i < XB_ED_COUNT; i++) {
        out->impl[i].name = names[i];
        out->impl[i].sign_rate = ops[i][0] / spent[i][0];
        out->impl[i].verify_rate = ops[i][1] / spent[i][1];
    }
    out->fastest = XB_ED_OPENSSL;
    for (int i = XB_ED_OPENSSL + 1; i < XB_ED_COUNT; i++)
        if (xb_ed_ceiling (&out->impl[i])
            > xb_ed_ceiling (&out->impl[out->fastest]))
            out->fastest = i;
    s_teardown (&b);
}
