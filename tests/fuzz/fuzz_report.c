/*  fuzz_report.c - a monthly report file, `xiecha report verify`'s
    input: the armor decoded, the SignedReport verified offline
    (xc_report_verify, xiecha/report.h) and its rows read.

    Input: records [trust list (ZPL)] [report file (armored)]. */
#include <stdio.h>
#include <stdlib.h>

#include <xiecha/xiecha.h>

#include "xf.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xc_trust_t *trust;
    xf_rec_t file;
    if (!xf_with_trust (data, size, &trust, &file, 1))
        return 0;
    char why[512] = "";
    uint8_t *bytes = NULL;
    size_t len = 0;
    Xiecha__Report *report = NULL;
    int rc = trust ? xf_unarmor (&file, XC_ARMOR_REPORT, &bytes, &len)
                   : XC_EINVAL;
    if (rc == 0)
        rc = xc_report_verify (bytes, len, trust, &report, why, sizeof why);
    xf_say ("report verify", rc, why);
    if (rc == 0) {
        char line[256], iso[32];
        xc_time_iso (report->generated_at, iso);
        xc_report_month (report->month, NULL, NULL, why, sizeof why);
        for (size_t i = 0; i < report->n_rows; i++)
            snprintf (line, sizeof line, "%s %s %s %llu",
                      report->rows[i]->kind,
                      xc_program_name (report->rows[i]->program),
                      xc_relation_name (report->rows[i]->relation),
                      (unsigned long long) report->rows[i]->count);
        xiecha__report__free_unpacked (report, NULL);
    }
    free (bytes);
    xc_trust_destroy (&trust);
    return 0;
}
