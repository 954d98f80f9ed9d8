/*  fuzz_auditfile.c - an audit export file verified offline, as `xiecha
    audit verify FILE --trust LIST` does (xc_auditfile_verify,
    xiecha/auditfile.h): records, hash chain, checkpoints, Merkle roots
    and every envelope's signature.

    Input: records [trust list (ZPL)] [export file]. */
#include <stdlib.h>
#include <string.h>

#include <xiecha/auditfile.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xc_trust_t *trust;
    xf_rec_t file;
    if (!xf_with_trust (data, size, &trust, &file, 1))
        return 0;
    if (trust) {
        xc_auditfile_report_t report;
        memset (&report, 0, sizeof report);
        xf_say ("audit verify",
                xc_auditfile_verify (file.data, file.len, trust, &report),
                report.why);
    }
    xc_trust_destroy (&trust);
    return 0;
}
