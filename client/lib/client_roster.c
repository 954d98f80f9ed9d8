/*  client_roster.c - the client API of a registration node's roster:
    one person's enrollments (show), the end of one enrollment (close),
    and the conflicts the node found or was told of. */
#include <stdlib.h>
#include <string.h>

#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

/*  One roster request; *out takes the reply's body (may be NULL). */
static int
s_roster (xc_client_t *self, int action, const char *id_number, int program,
          uint32_t until, Xiecha__RosterReply **out, char *why,
          size_t why_len)
{
    if (out)
        *out = NULL;
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    char norm[XC_ID_LEN + 1];
    int rc = xc_id_normalize (id_number, "id_number", norm, why, why_len);
    if (rc)
        return rc;
    Xiecha__RosterRequest rr = XIECHA__ROSTER_REQUEST__INIT;
    rr.action = (Xiecha__RosterRequest__Action) action;
    rr.id_number = norm;   /* sent in its normal form */
    rr.program = (Xiecha__Program) program;
    rr.until = until;
    rc = xc_request_check_roster (&rr, xc_now_ms (), why, why_len);
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_ROSTER;
    req.roster = &rr;
    Xiecha__ClientReply *reply = NULL;
    if (rc == 0)
        rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_ROSTER,
                             &reply, why, why_len);
    explicit_bzero (norm, sizeof norm);
    if (rc)
        return rc;
    //  Detached as in xc_client_due: a oneof member is freed only with
    //  its body_case.
    if (out) {
        *out = reply->roster;
        reply->roster = NULL;
        reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (out && !*out)
        return xc_why (why, why_len, XC_EMALFORMED, _("roster reply is empty"));
    return 0;
}

int
xc_client_roster_show (xc_client_t *self, const char *id_number,
                       Xiecha__RosterReply **reply, char *why,
                       size_t why_len)
{
    return s_roster (self, XIECHA__ROSTER_REQUEST__ACTION__SHOW, id_number, 0,
                     0, reply, why, why_len);
}

int
xc_client_roster_close (xc_client_t *self, const char *id_number,
                        int program, uint32_t until,
                        Xiecha__RosterReply **reply, char *why,
                        size_t why_len)
{
    return s_roster (self, XIECHA__ROSTER_REQUEST__ACTION__CLOSE, id_number,
                     program, until, reply, why, why_len);
}

int
xc_client_conflicts (xc_client_t *self, Xiecha__ConflictsReply **out,
                     char *why, size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *out = NULL;
    Xiecha__ConflictsRequest cr = XIECHA__CONFLICTS_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_CONFLICTS;
    req.conflicts = &cr;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_CONFLICTS,
                             &reply, why, why_len);
    if (rc)
        return rc;
    *out = reply->conflicts;
    reply->conflicts = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out) {   /* an empty listing may arrive as an absent body */
        *out = calloc (1, sizeof **out);
        if (!*out)
            return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        xiecha__conflicts_reply__init (*out);
    }
    return 0;
}
