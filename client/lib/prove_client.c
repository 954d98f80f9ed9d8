/*  prove_client.c - asking the own node where a certificate it sent sits
    in its audit log (daemon/prove.h).  The reply is checked offline by the
    caller; nothing here trusts it. */
#include <stdlib.h>

#include "client_call.h"
#include "xiecha/error.h"
#include "xiecha/xiecha.h"

int
xc_client_audit_prove (xc_client_t *self, const uint8_t *envelope,
                       size_t len, Xiecha__AuditProveReply **out, char *why,
                       size_t why_len)
{
    if (!self || !envelope || !len || !out)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *out = NULL;
    Xiecha__AuditProveRequest ar = XIECHA__AUDIT_PROVE_REQUEST__INIT;
    ar.envelope = (ProtobufCBinaryData) {len, (uint8_t *) envelope};
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE;
    req.audit_prove = &ar;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req,
                             XIECHA__CLIENT_REPLY__BODY_AUDIT_PROVE, &reply,
                             why, why_len);
    if (rc)
        return rc;
    //  Detach the body so freeing the reply leaves it alive.
    *out = reply->audit_prove;
    reply->audit_prove = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out)
        return xc_why (why, why_len, XC_EMALFORMED, "prove reply is empty");
    return 0;
}
