/*  audit_client.c - fetching an audit export from the own node.  The
    file is checked offline with xc_auditfile_verify; nothing here trusts
    it. */
#include <stdlib.h>
#include <string.h>

#include "client_call.h"
#include "xiecha/error.h"
#include "xiecha/xiecha.h"

/*  One page: the request carries back what the previous reply said. */
static int
s_page (xc_client_t *self, uint64_t from, uint64_t to, uint64_t total,
        uint64_t cursor, Xiecha__ClientReply **reply, char *why,
        size_t why_len)
{
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    ar.from = from;
    ar.to = to;
    ar.total = total;
    ar.cursor = cursor;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT;
    req.audit_export = &ar;
    int rc = xc_client_call (self, &req,
                             XIECHA__CLIENT_REPLY__BODY_AUDIT_EXPORT, reply,
                             why, why_len);
    if (rc == 0 && (!(*reply)->audit_export
                    || (*reply)->audit_export->file.len == 0)) {
        xiecha__client_reply__free_unpacked (*reply, NULL);
        *reply = NULL;
        rc = xc_why (why, why_len, XC_EMALFORMED, "audit export page is "
                     "empty");
    }
    return rc;
}

/*  A page must move forward and stay within the size the first pinned;
    anything else would loop for ever or splice two exports. */
static int
s_page_check (const Xiecha__AuditExportReply *er, uint64_t total,
              uint64_t cursor, char *why, size_t why_len)
{
    if (cursor && er->total != total)
        return xc_why (why, why_len, XC_EMALFORMED, "audit export: page "
                       "says %llu entries, the first said %llu",
                       (unsigned long long) er->total,
                       (unsigned long long) total);
    if (er->next && (er->next <= cursor || er->next > er->total))
        return xc_why (why, why_len, XC_EMALFORMED, "audit export: next "
                       "page %llu does not follow %llu",
                       (unsigned long long) er->next,
                       (unsigned long long) cursor);
    return 0;
}

int
xc_client_audit_export_to (xc_client_t *self, uint64_t from, uint64_t to,
                           xc_export_sink_fn *sink, void *arg, char *why,
                           size_t why_len)
{
    if (!self || !sink)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    if (to && from > to)
        return xc_why (why, why_len, XC_EINVAL, "from: after to");
    uint64_t total = 0, cursor = 0;
    int rc;
    do {
        Xiecha__ClientReply *reply = NULL;
        rc = s_page (self, from, to, total, cursor, &reply, why, why_len);
        if (rc)
            break;
        const Xiecha__AuditExportReply *er = reply->audit_export;
        rc = s_page_check (er, total, cursor, why, why_len);
        if (rc == 0) {
            total = er->total;
            //  Records before the next page's cursor are now written.
            uint64_t done = er->next ? er->next - 1 : total;
            rc = sink (er->file.data, er->file.len, done, total, arg);
            if (rc)
                xc_why (why, why_len, rc, "audit export: not saved");
            cursor = er->next;
        }
        xiecha__client_reply__free_unpacked (reply, NULL);
    } while (rc == 0 && cursor);
    return rc;
}
