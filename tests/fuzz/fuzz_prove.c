/*  fuzz_prove.c - a certificate's proof bundle, `xiecha audit prove`'s
    reply from the node, checked offline (xc_proof_verify, client.h):
    the audit entry, its hash, the signed checkpoint and the Merkle
    inclusion proof.

    Input: records [trust list (ZPL)] [packed AuditProveReply]
    [certificate envelope].  The last record is also taken as the bytes
    of a saved proof bundle (xiecha/proof.h, xc_proof_bundle_verify). */
#include <stdlib.h>
#include <string.h>

#include <xiecha/xiecha.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xc_trust_t *trust;
    xf_rec_t r[2];
    if (!xf_with_trust (data, size, &trust, r, 2))
        return 0;
    Xiecha__AuditProveReply *reply =
        trust ? xiecha__audit_prove_reply__unpack (NULL, r[0].len, r[0].data)
              : NULL;
    if (reply) {
        xc_checkpoint_t cp;
        memset (&cp, 0, sizeof cp);
        char why[512];
        xf_say ("proof verify",
                xc_proof_verify (reply, r[1].data, r[1].len, trust, &cp, why,
                                 sizeof why), why);
        xiecha__audit_prove_reply__free_unpacked (reply, NULL);
    }
    xc_proof_bundle_t *b = trust ? malloc (sizeof *b) : NULL;
    if (b) {
        char why[512];
        xf_say ("proof bundle",
                xc_proof_bundle_verify (r[1].data, r[1].len, trust,
                                        1780000000000ULL, b, why,
                                        sizeof why), why);
        free (b);
    }
    xc_trust_destroy (&trust);
    return 0;
}
