/*  fuzz_policy.c - an eligibility policy preset (ZPL) as a node loads it
    (xc_policy_load, daemon/node/policy.h), then decided over a few
    cases of every program and relation.

    Input: the file's bytes. */
#include <limits.h>

#include "node/policy.h"
#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    const char *path = xf_file ("policy.zpl", data, size);
    xc_policy_t p;
    char why[1024];
    int rc = xc_policy_load (path, &p, why, sizeof why);
    xf_say ("policy", rc, why);
    if (rc)
        return 0;
    for (int program = 1; program < XC_POLICY_PROGRAMS; program++)
        for (int relation = 1; relation <= 4; relation++) {
            xc_policy_case_t c = {program, relation, 6, 12, INT_MAX, 0, 0};
            xc_policy_check (&p, &c, why, sizeof why);
            c.emergency = 1;
            c.permit_months = -1;
            c.members_permit_months = 0;
            xc_policy_check (&p, &c, why, sizeof why);
        }
    return 0;
}
