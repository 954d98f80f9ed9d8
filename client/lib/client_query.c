/*  client_query.c - the client API's query: the applicant's household
    and programs go to the own node, which checks its local policy, asks
    the registration county and hands back that county's signed
    certificate, kept here as bytes and parsed (xc_answer_t). */
#include <stdlib.h>
#include <string.h>

#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

//  Takes the certificate out of a query reply into the answer.
static int
s_fill_answer (xc_client_t *self, const Xiecha__QueryReply *qr,
               size_t subjects, xc_answer_t *answer, char *why,
               size_t why_len)
{
    if (!qr || qr->certificate.len == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("node at %s answered without a certificate"),
                       xc_client_endpoint (self));
    //  Our own copy: the reply is freed, the answer lives on.
    answer->certificate = (uint8_t *) malloc (qr->certificate.len);
    if (!answer->certificate)
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    memcpy (answer->certificate, qr->certificate.data, qr->certificate.len);
    answer->certificate_len = qr->certificate.len;
    int rc = xc_envelope_open (answer->certificate, answer->certificate_len,
                               &answer->opened, why, why_len);
    if (rc)
        return rc;
    const Xiecha__Signed *msg = answer->opened.msg;
    if (msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE
        || !msg->certificate)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate: envelope does not carry a certificate"));
    //  Callers print results in query order: the count must match.
    if (msg->certificate->n_results != subjects)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate: %zu results for %zu subjects"),
                       msg->certificate->n_results, subjects);
    answer->cert = msg->certificate;
    answer->relation = (int) qr->relation;
    answer->elapsed_ms = qr->elapsed_ms;
    return 0;
}

int
xc_client_query (xc_client_t *self, const xc_query_t *query,
                 xc_answer_t *answer, char *why, size_t why_len)
{
    if (!self || !query || !answer)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    memset (answer, 0, sizeof *answer);

    //  The request points at caller strings, the people block and the
    //  program array.
    xc_people_t people;
    int rc = xc_people_init (&people, &query->applicant, query->members,
                             query->member_count, why, why_len);
    if (rc)
        return rc;
    size_t n_programs = query->programs ? query->program_count : 0;
    Xiecha__Program *programs = NULL;
    if (n_programs
        && !(programs = (Xiecha__Program *) calloc (n_programs,
                                                    sizeof *programs))) {
        xc_people_clear (&people);
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    }
    for (size_t i = 0; i < n_programs; i++)
        programs[i] = (Xiecha__Program) query->programs[i];

    Xiecha__QueryRequest qr = XIECHA__QUERY_REQUEST__INIT;
    qr.home_county = (char *) query->home_county;
    qr.applicant = people.list[0];
    qr.n_members = query->member_count;
    qr.members = query->member_count ? people.list + 1 : NULL;
    qr.n_programs = n_programs;
    qr.programs = programs;
    qr.residence_months = query->residence_months;
    qr.emergency = query->emergency != 0;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    req.query = &qr;

    //  Everything the node would refuse as bad input, refused here before
    //  anything is sent.
    rc = xc_request_check_query (&qr, why, why_len);
    if (rc == 0)
        rc = xc_people_normalize (&people, why, why_len);
    Xiecha__ClientReply *reply = NULL;
    if (rc == 0)
        rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_QUERY,
                             &reply, why, why_len);
    if (rc == 0)
        rc = s_fill_answer (self, reply->query, people.count, answer, why,
                            why_len);
    if (reply)
        xiecha__client_reply__free_unpacked (reply, NULL);
    free (programs);
    xc_people_clear (&people);
    if (rc)
        xc_answer_free (answer);
    return rc;
}

void
xc_answer_free (xc_answer_t *answer)
{
    if (!answer)
        return;
    xc_opened_free (&answer->opened);
    free (answer->certificate);
    memset (answer, 0, sizeof *answer);
}
