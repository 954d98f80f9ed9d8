/*  fuzz_envelope.c - envelope open and verify (xiecha/wire.h), the
    strict decoding every message from outside passes first.

    Input: records [trust list (ZPL)] [envelope bytes].  The envelope is
    opened whatever the list; verified when the list loads. */
#include <stdlib.h>

#include <xiecha/wire.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xc_trust_t *trust;
    xf_rec_t env;
    if (!xf_with_trust (data, size, &trust, &env, 1))
        return 0;
    char why[512];
    xc_opened_t op = {0};
    int rc = xc_envelope_open (env.data, env.len, &op, why, sizeof why);
    xf_say ("open", rc, why);
    if (rc == 0 && trust)
        xf_say ("verify", xc_envelope_verify (&op, trust, why, sizeof why),
                why);
    xc_opened_free (&op);
    xc_trust_destroy (&trust);
    return 0;
}
