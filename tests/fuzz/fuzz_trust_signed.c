/*  fuzz_trust_signed.c - a signed trust list and its signature file, as
    a node with trust/root loads them (xc_trust_load_signed, trust.h):
    LIST.sig parsed, the signature checked against the root key, then
    the list parsed and its header (serial, issued, next_update) read.

    Input: records [list (ZPL)] [LIST.sig] [root public key, 32 bytes].
    With an empty third record the target signs the list itself with a
    root key of its own (xc_trust_sign) and ignores the second: mutations
    of the list then get past the signature to the parser. */
#include <stdlib.h>
#include <string.h>

#include <xiecha/error.h>
#include <xiecha/trust.h>

#include "xf.h"

static xc_key_t *s_root;

static void
s_root_free (void)
{
    xc_key_destroy (&s_root);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xf_rec_t r[3];
    if (xf_records (data, size, r, 3) != 3
        || (r[2].len != XC_PUBKEY_LEN && r[2].len != 0))
        return 0;
    if (!s_root) {
        if (!(s_root = xc_key_generate ()))
            abort ();
        atexit (s_root_free);
    }
    char why[512];
    uint8_t pub[XC_PUBKEY_LEN];
    if (r[2].len) {
        memcpy (pub, r[2].data, sizeof pub);
        xf_file ("trust.zpl.sig", r[1].data, r[1].len);
    }
    const char *path = xf_file ("trust.zpl", r[0].data, r[0].len);
    if (!r[2].len) {
        xc_key_public (s_root, pub);
        if (xc_trust_sign (path, s_root, why, sizeof why) != 0)
            abort ();
    }
    xc_trust_t *trust = xc_trust_load_signed (path, pub, 0, why, sizeof why);
    xf_say ("load signed", trust ? 0 : XC_ESIG, why);
    if (trust && (xc_trust_serial (trust) == 0 || xc_trust_issued (trust) == 0
                  || xc_trust_next_update (trust) == 0))
        abort ();   /* a signed list carries its header */
    xc_trust_destroy (&trust);
    return 0;
}
