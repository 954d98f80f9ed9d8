/*  client_audit.c - the client API of the back office (daemon/office):
    the own node's monthly statistics under its electronic seal, its
    audit log as an export file, a replay of that log against the live
    index, and the proof that a certificate sits in the log.  What comes
    back is checked offline by the caller (xc_report_verify,
    xc_auditfile_verify, the prove reply against the checkpoint); nothing
    here trusts it. */
#include <stdlib.h>
#include <string.h>

#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

// ---- Monthly report ---------------------------------------------------------

int
xc_client_report (xc_client_t *self, const char *month,
                  uint8_t **signed_report, size_t *len, char *why,
                  size_t why_len)
{
    if (!self || !signed_report || !len)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *signed_report = NULL;
    *len = 0;
    //  Checked here too, so a typo never costs a round trip.
    int rc = xc_report_month (month, NULL, NULL, why, why_len);
    if (rc)
        return rc;
    Xiecha__ReportRequest rr = XIECHA__REPORT_REQUEST__INIT;
    rr.month = (char *) month;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_REPORT;
    req.report = &rr;
    Xiecha__ClientReply *reply = NULL;
    rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_REPORT,
                         &reply, why, why_len);
    if (rc)
        return rc;
    const ProtobufCBinaryData *b = reply->report
                                       ? &reply->report->signed_report : NULL;
    if (!b || b->len == 0)
        rc = xc_why (why, why_len, XC_EMALFORMED, _("report reply is empty"));
    else if (!(*signed_report = malloc (b->len)))
        rc = xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    else {
        memcpy (*signed_report, b->data, b->len);
        *len = b->len;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}

// ---- Audit export -----------------------------------------------------------

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
        rc = xc_why (why, why_len, XC_EMALFORMED, _("audit export page is "
                       "empty"));
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
        return xc_why (why, why_len, XC_EMALFORMED, _("audit export: page "
                         "says %llu entries, the first said %llu"),
                       (unsigned long long) er->total,
                       (unsigned long long) total);
    if (er->next && (er->next <= cursor || er->next > er->total))
        return xc_why (why, why_len, XC_EMALFORMED, _("audit export: next "
                         "page %llu does not follow %llu"),
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
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    if (to && from > to)
        return xc_why (why, why_len, XC_EINVAL, _("from: after to"));
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
                xc_why (why, why_len, rc, _("audit export: not saved"));
            cursor = er->next;
        }
        xiecha__client_reply__free_unpacked (reply, NULL);
    } while (rc == 0 && cursor);
    return rc;
}

// ---- Audit replay -----------------------------------------------------------

int
xc_client_audit_replay (xc_client_t *self, Xiecha__AuditReplayReply **out,
                        char *why, size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
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
        return xc_why (why, why_len, XC_EMALFORMED, _("replay reply is empty"));
    return 0;
}

// ---- Integrity check --------------------------------------------------------

int
xc_client_audit_check (xc_client_t *self, bool start,
                       Xiecha__IntegrityStatus **out, char *why,
                       size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *out = NULL;
    Xiecha__AuditCheckRequest ar = XIECHA__AUDIT_CHECK_REQUEST__INIT;
    ar.start = start;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_CHECK;
    req.audit_check = &ar;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req,
                             XIECHA__CLIENT_REPLY__BODY_AUDIT_CHECK, &reply,
                             why, why_len);
    if (rc)
        return rc;
    //  Detached as in xc_client_audit_replay.
    *out = reply->audit_check;
    reply->audit_check = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("audit check reply is empty"));
    return 0;
}

// ---- Inclusion proof --------------------------------------------------------

int
xc_client_audit_prove (xc_client_t *self, const uint8_t *envelope,
                       size_t len, Xiecha__AuditProveReply **out, char *why,
                       size_t why_len)
{
    return xc_client_audit_prove_at (self, envelope, len, 0, out, why,
                                     why_len);
}

int
xc_client_audit_prove_at (xc_client_t *self, const uint8_t *envelope,
                          size_t len, uint64_t tree_size,
                          Xiecha__AuditProveReply **out, char *why,
                          size_t why_len)
{
    if (!self || !envelope || !len || !out)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *out = NULL;
    Xiecha__AuditProveRequest ar = XIECHA__AUDIT_PROVE_REQUEST__INIT;
    ar.envelope = (ProtobufCBinaryData) {len, (uint8_t *) envelope};
    ar.tree_size = tree_size;
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
        return xc_why (why, why_len, XC_EMALFORMED, _("prove reply is empty"));
    return 0;
}
