/*  audit_client.c - fetching an audit export from the own node.  The
    file is checked offline with xc_auditfile_verify; nothing here trusts
    it. */
#include <stdlib.h>
#include <string.h>

#include "client_call.h"
#include "xiecha/error.h"
#include "xiecha/xiecha.h"

int
xc_client_audit_export (xc_client_t *self, uint64_t from, uint64_t to,
                        uint8_t **file, size_t *len, char *why,
                        size_t why_len)
{
    if (!self || !file || !len)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *file = NULL;
    *len = 0;
    if (to && from > to)
        return xc_why (why, why_len, XC_EINVAL, "from: after to");
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    ar.from = from;
    ar.to = to;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT;
    req.audit_export = &ar;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req,
                             XIECHA__CLIENT_REPLY__BODY_AUDIT_EXPORT, &reply,
                             why, why_len);
    if (rc)
        return rc;
    const ProtobufCBinaryData *b = reply->audit_export
                                       ? &reply->audit_export->file : NULL;
    if (!b || b->len == 0)
        rc = xc_why (why, why_len, XC_EMALFORMED, "audit export is empty");
    else if (!(*file = malloc (b->len)))
        rc = xc_why (why, why_len, XC_ENOMEM, "out of memory");
    else {
        memcpy (*file, b->data, b->len);
        *len = b->len;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}
