/*  replay_client.c - asking the own node to replay its audit log into a
    scratch index and compare (daemon/replay.h). */
#include <stdlib.h>

#include "client_call.h"
#include "xiecha/error.h"
#include "xiecha/xiecha.h"

int
xc_client_audit_replay (xc_client_t *self, Xiecha__AuditReplayReply **out,
                        char *why, size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *out = NULL;
    Xiecha__AuditReplayRequest ar = XIECHA__AUDIT_REPLAY_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY;
    req.audit_replay = &ar;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req,
                             XIECHA__CLIENT_REPLY__BODY_AUDIT_REPLAY, &reply,
                             why, why_len);
    if (rc)
        return rc;
    //  Detach the body so freeing the reply leaves it alive.
    *out = reply->audit_replay;
    reply->audit_replay = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out)
        return xc_why (why, why_len, XC_EMALFORMED, "replay reply is empty");
    return 0;
}
