/*  client_notice.c - the client API's notices: an enrollment, a
    termination or emergency aid reported to the registration county
    through the own node, which queues it durably and delivers it until
    the county acks; and the own node's outbox of notices still waiting. */
#include <stdlib.h>
#include <string.h>

#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

#define XC_NOTICE_ID_LEN 16
#define XC_NOTICE_WAIT_MARGIN 5000   /* ms for the node beyond wait_ms */

int
xc_client_notice (xc_client_t *self, const xc_notice_t *notice,
                  xc_notice_result_t *result, char *why, size_t why_len)
{
    if (!self || !notice || !result)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    memset (result, 0, sizeof *result);
    if (notice->wait_ms < 0)
        return xc_why (why, why_len, XC_EINVAL, _("wait_ms: %d is not 0..%d ms"),
                       notice->wait_ms, XC_NOTICE_WAIT_MAX);

    //  As for a query: caller strings and the people block.  Only the
    //  fields of this kind are sent.
    xc_people_t people;
    int rc = xc_people_init (&people, &notice->applicant, notice->members,
                             notice->member_count, why, why_len);
    if (rc)
        return rc;
    Xiecha__NoticeRequest nr = XIECHA__NOTICE_REQUEST__INIT;
    nr.kind = (Xiecha__NoticeKind) notice->kind;
    nr.home_county = (char *) notice->home_county;
    nr.applicant = people.list[0];
    nr.n_members = notice->member_count;
    nr.members = notice->member_count ? people.list + 1 : NULL;
    nr.program = (Xiecha__Program) notice->program;
    if (notice->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        nr.end_date = notice->end_date;
        nr.reason = (Xiecha__TerminationReason) notice->reason;
        nr.member_only = notice->member_only != 0;
    }
    else
        nr.start_date = notice->start_date;
    if (notice->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        if (nr.program == XIECHA__PROGRAM__PROGRAM_UNSPECIFIED)
            nr.program = XIECHA__PROGRAM__TEMP;   /* the only choice */
        nr.amount_band = notice->amount_band;
        nr.aid_reason = (char *) notice->aid_reason;
    }
    nr.wait_ms = (uint32_t) notice->wait_ms;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_NOTICE;
    req.notice = &nr;

    rc = xc_request_check_notice (&nr, xc_now_ms (), why, why_len);
    if (rc == 0)
        rc = xc_people_normalize (&people, why, why_len);
    Xiecha__ClientReply *reply = NULL;
    if (rc == 0) {
        //  The node holds the reply up to wait_ms for the ack: give it
        //  that and a margin, never less than the client's own bound.
        int timeout_ms = notice->wait_ms + XC_NOTICE_WAIT_MARGIN;
        if (timeout_ms < xc_client_timeout (self))
            timeout_ms = xc_client_timeout (self);
        rc = xc_client_call_within (self, &req, timeout_ms,
                                    XIECHA__CLIENT_REPLY__BODY_NOTICE, &reply,
                                    why, why_len);
    }
    xc_people_clear (&people);
    if (rc)
        return rc;
    const Xiecha__NoticeReply *r = reply->notice;
    if (!r)
        rc = xc_why (why, why_len, XC_EMALFORMED, _("notice reply is empty"));
    else if (r->notice_id.len != XC_NOTICE_ID_LEN)
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("node at %s answered with a notice id of %zu bytes"),
                     xc_client_endpoint (self), r->notice_id.len);
    else {
        memcpy (result->notice_id, r->notice_id.data, XC_NOTICE_ID_LEN);
        result->delivered = r->delivered ? 1 : 0;
        result->subjects = r->subjects;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}

int
xc_client_outbox (xc_client_t *self, Xiecha__OutboxReply **outbox,
                  char *why, size_t why_len)
{
    if (!self || !outbox)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *outbox = NULL;
    Xiecha__OutboxRequest orq = XIECHA__OUTBOX_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_OUTBOX;
    req.outbox = &orq;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_OUTBOX,
                             &reply, why, why_len);
    if (rc)
        return rc;
    if (!reply->outbox) {
        xiecha__client_reply__free_unpacked (reply, NULL);
        return xc_why (why, why_len, XC_EMALFORMED, _("outbox reply is empty"));
    }
    //  Detached as in xc_client_status.
    *outbox = reply->outbox;
    reply->outbox = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    return 0;
}
