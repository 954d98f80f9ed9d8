/*  fuzz_cert.c - `xiecha cert verify FILE --trust LIST`: the armored
    file decoded (xiecha/armor.h), the certificate verified offline at
    XF_NOW (xc_cert_verify, client.h), and what the command shows of it
    formatted.

    Input: records [trust list (ZPL)] [certificate file (armored)]. */
#include <stdio.h>
#include <stdlib.h>

#include <xiecha/xiecha.h>

#include "xf.h"

/*  What the command prints of a certificate, into a buffer. */
static void
s_show (const xc_opened_t *o, const xc_trust_t *trust)
{
    if (!o->msg || o->msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE)
        return;
    const Xiecha__Certificate *cert = o->msg->certificate;
    const xc_trust_node_t *node = xc_trust_node (trust,
                                                 o->msg->header->sender);
    char line[512], iso[32], since[11], until[11];
    snprintf (line, sizeof line, "%s %s %s %s", node ? node->name : "",
              o->env->key_id, cert->requester,
              xc_relation_name (cert->relation));
    xc_time_iso (cert->issued_at, iso);
    xc_time_iso (cert->valid_until, iso);
    for (size_t i = 0; i < cert->n_programs; i++)
        snprintf (line, sizeof line, "%s", xc_program_name (cert->programs[i]));
    for (size_t i = 0; i < cert->n_results; i++) {
        const Xiecha__SubjectResult *r = cert->results[i];
        snprintf (line, sizeof line, "%s", xc_status_name (r->status));
        for (size_t k = 0; k < r->n_enrollments; k++) {
            const Xiecha__Enrollment *e = r->enrollments[k];
            xc_date_text (e->since, since);
            xc_date_text (e->until, until);
            snprintf (line, sizeof line, "%s since %s until %s at %s",
                      xc_program_name (e->program), since, until, e->node);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    xc_trust_t *trust;
    xf_rec_t file;
    if (!xf_with_trust (data, size, &trust, &file, 1))
        return 0;
    uint8_t *env = NULL;
    size_t len = 0;
    if (trust && xf_unarmor (&file, XC_ARMOR_CERTIFICATE, &env, &len) == 0) {
        char why[512];
        xc_opened_t op = {0};
        int rc = xc_cert_verify (env, len, trust, XF_NOW, &op, why,
                                 sizeof why);
        xf_say ("cert verify", rc, why);
        if (rc == 0 || rc == XC_ESTALE)
            s_show (&op, trust);
        xc_opened_free (&op);
    }
    free (env);
    xc_trust_destroy (&trust);
    return 0;
}
