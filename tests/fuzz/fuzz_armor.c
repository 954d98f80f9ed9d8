/*  fuzz_armor.c - the PEM-style armor of certificates and reports
    (xiecha/armor.h): whatever decodes must encode and decode again to
    the same bytes.

    Input: the text of a file. */
#include <stdlib.h>
#include <string.h>

#include <xiecha/armor.h>
#include <xiecha/report.h>

#include "xf.h"

static void
s_label (const uint8_t *data, size_t size, const char *label)
{
    char why[256];
    uint8_t *bytes = NULL, *again = NULL;
    size_t len = 0, again_len = 0;
    char *text = NULL;
    if (xc_armor_decode ((const char *) data, size, label, &bytes, &len, why,
                         sizeof why) == 0) {
        if (xc_armor_encode (label, bytes, len, &text) != 0
            || xc_armor_decode (text, strlen (text), label, &again,
                                &again_len, why, sizeof why) != 0
            || again_len != len || memcmp (again, bytes, len) != 0)
            abort ();   /* the armor does not round-trip */
    }
    free (bytes);
    free (again);
    free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    s_label (data, size, XC_ARMOR_CERTIFICATE);
    s_label (data, size, XC_ARMOR_REPORT);
    return 0;
}
