/*  client_manage.c - the client API of dynamic management: check-ins and
    absences of households enrolled at the own node, and the households
    due for action.  Plain IDs travel to the own node only, as for a
    query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

int
xc_client_checkin (xc_client_t *self, const xc_person_t *applicant,
                   uint32_t *date, int absent, char *why, size_t why_len)
{
    if (!self || !applicant || !date)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    Xiecha__Person person = XIECHA__PERSON__INIT;
    person.id_number = (char *) applicant->id_number;
    person.name = (char *) applicant->name;
    Xiecha__CheckinRequest cr = XIECHA__CHECKIN_REQUEST__INIT;
    cr.applicant = &person;
    cr.date = *date;
    cr.absent = absent != 0;
    int rc = xc_request_check_checkin (&cr, xc_now_ms (), why, why_len);
    if (rc)
        return rc;
    //  Sent in its normal form.
    char norm[XC_ID_LEN + 1];
    rc = xc_id_normalize (applicant->id_number, "applicant.id_number", norm,
                          why, why_len);
    if (rc)
        return rc;
    person.id_number = norm;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_CHECKIN;
    req.checkin = &cr;
    Xiecha__ClientReply *reply = NULL;
    rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_CHECKIN,
                         &reply, why, why_len);
    explicit_bzero (norm, sizeof norm);
    if (rc)
        return rc;
    if (!reply->checkin || reply->checkin->subject.len != XC_REF_LEN)
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("check-in reply does not name the subject"));
    else if (!xc_date_valid (reply->checkin->date)
             || (*date && reply->checkin->date != *date))
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("check-in reply does not say the date recorded"));
    else
        *date = reply->checkin->date;
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}

int
xc_client_due (xc_client_t *self, uint32_t as_of, Xiecha__DueReply **due,
               char *why, size_t why_len)
{
    if (!self || !due)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *due = NULL;
    Xiecha__DueRequest dr = XIECHA__DUE_REQUEST__INIT;
    dr.as_of = as_of;
    int rc = xc_request_check_due (&dr, why, why_len);
    if (rc)
        return rc;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_DUE;
    req.due = &dr;
    Xiecha__ClientReply *reply = NULL;
    rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_DUE, &reply,
                         why, why_len);
    if (rc)
        return rc;
    //  Detached as in xc_client_status: protobuf-c frees a oneof member
    //  only when body_case selects it.  An empty listing may arrive as an
    //  absent body.
    *due = reply->due;
    reply->due = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*due) {
        *due = calloc (1, sizeof **due);
        if (!*due)
            return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        xiecha__due_reply__init (*due);
    }
    return 0;
}
