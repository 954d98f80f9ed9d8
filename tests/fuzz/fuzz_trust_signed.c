/*  fuzz_trust_signed.c - a signed trust list and its signature file, as
    a node with trust/root loads them (xc_trust_load_signed, trust.h):
    LIST.sig parsed, the signature checked against the root key, then
    the list parsed and its header (serial, issued, next_update) read.

    Input: records [list (ZPL)] [LIST.sig] [root public key, 32 bytes]. */
#include <stdlib.h>
#include <string.h>

#include <xiecha/error.h>
#include <xiecha/trust.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xf_rec_t r[3];
    if (xf_records (data, size, r, 3) != 3 || r[2].len != XC_PUBKEY_LEN)
        return 0;
    xf_file ("trust.zpl.sig", r[1].data, r[1].len);
    const char *path = xf_file ("trust.zpl", r[0].data, r[0].len);
    char why[512];
    xc_trust_t *trust = xc_trust_load_signed (path, r[2].data, 0, why,
                                              sizeof why);
    xf_say ("load signed", trust ? 0 : XC_ESIG, why);
    if (trust && (xc_trust_serial (trust) == 0 || xc_trust_issued (trust) == 0
                  || xc_trust_next_update (trust) == 0))
        abort ();   /* a signed list carries its header */
    xc_trust_destroy (&trust);
    return 0;
}
