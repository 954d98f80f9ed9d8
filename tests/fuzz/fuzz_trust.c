/*  fuzz_trust.c - the trust list (xiecha/trust.h): parsed from text, and
    every node and key read back as the node and the CLI read them.

    Input: the text of a list. */
#include <stdlib.h>

#include <xiecha/trust.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xf_rec_t r = {data, size};
    xc_trust_t *trust = xf_trust (&r);
    if (!trust)
        return 0;
    uint8_t digest[XC_HASH_LEN];
    xc_trust_digest (trust, digest);
    char why[512];
    for (size_t i = 0; i < xc_trust_key_count (trust); i++) {
        const xc_trust_key_t *k = xc_trust_key_at (trust, i);
        xc_trust_key_check (k, XF_NOW, why, sizeof why);
        if (xc_trust_key (trust, k->id) != k
            || !xc_trust_node (trust, k->node))
            abort ();   /* a key must find itself and its node */
    }
    for (size_t i = 0; i < xc_trust_size (trust); i++) {
        const xc_trust_node_t *n = xc_trust_at (trust, i);
        if (xc_trust_node (trust, n->code) != n
            || !xc_trust_has_curve (trust, n->curve))
            abort ();
    }
    xc_trust_destroy (&trust);
    return 0;
}
