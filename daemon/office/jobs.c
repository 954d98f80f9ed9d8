/*  jobs.c - the back office's jobs; see jobs.h.  Nothing here writes
    the store. */
#include <xiecha/checkpoint.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>

#include "office/export_page.h"
#include "office/jobs.h"
#include "office/monthly.h"
#include "office/prove.h"
#include "office/replay.h"

/* --------------------------------------------------------------------------
   Replies
   -------------------------------------------------------------------------- */

/*  Packs a reply echoing the request id; NULL only when out of memory. */
static zframe_t *
s_pack (const Xiecha__ClientRequest *req, Xiecha__ClientReply *r)
{
    r->request_id = req->request_id;
    zframe_t *f = zframe_new (NULL, xiecha__client_reply__get_packed_size (r));
    if (f)
        xiecha__client_reply__pack (r, zframe_data (f));
    return f;
}

zframe_t *
xc_jobs_error (const Xiecha__ClientRequest *req, int code, const char *why)
{
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.code = code;
    r.message = (char *) (why && *why ? why : xc_strerror (code));
    return s_pack (req, &r);
}

/* --------------------------------------------------------------------------
   The four jobs: each gets a read transaction over the live store
   -------------------------------------------------------------------------- */

/*  Monthly statistics over the log, signed with the node's key. */
zframe_t *
xc_jobs_report (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[400] = "";
    int rc = xc_monthly_build (node, txn, req->report->month, xc_now_ms (),
                              &bytes, &len, why, sizeof why);
    if (rc)
        return xc_jobs_error (req, rc, why);
    Xiecha__ReportReply rr = XIECHA__REPORT_REPLY__INIT;
    rr.signed_report = (ProtobufCBinaryData) {len, bytes};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_REPORT;
    r.report = &rr;
    zframe_t *f = s_pack (req, &r);
    free (bytes);
    return f;
}

/*  One page of an audit export (export_page.h). */
zframe_t *
xc_jobs_export (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    const Xiecha__AuditExportRequest *ar = req->audit_export;
    xc_export_page_t page = {.from = ar->from, .to = ar->to,
                             .total = ar->total, .cursor = ar->cursor,
                             .max_records =
                                 (uint32_t) node->config.export_page_entries};
    xc_auditfile_t file;
    uint64_t next = 0;
    int rc = xc_export_page_read (node->store, txn, &page, &file, &next);
    if (rc) {
        xc_auditfile_free (&file);
        return xc_jobs_error (req, rc,
                        rc != XC_EINVAL ? "cannot read the audit log"
                        : ar->cursor ? "audit_export: total or cursor is "
                                       "beyond the log"
                                     : "audit_export: from is after to");
    }
    Xiecha__AuditExportReply er = XIECHA__AUDIT_EXPORT_REPLY__INIT;
    er.file = (ProtobufCBinaryData) {file.len, file.data};
    er.total = page.total;
    er.next = next;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_AUDIT_EXPORT;
    r.audit_export = &er;
    zframe_t *f = s_pack (req, &r);
    xc_auditfile_free (&file);
    return f;
}

/*  The index rebuilt from the log in a scratch store, compared with the
    live one; the first XC_REPLAY_MAX_DIFFS differences go back. */
zframe_t *
xc_jobs_replay (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    xc_replay_report_t *rep = calloc (1, sizeof *rep);
    char why[400] = "";
    int rc = rep ? xc_replay (node->store, txn, node->config.code,
                              node->config.data_dir, rep, why, sizeof why)
                 : XC_ENOMEM;
    if (rc) {
        free (rep);
        return xc_jobs_error (req, rc, *why ? why : "replay failed");
    }
    Xiecha__AuditReplayDiff diffs[XC_REPLAY_MAX_DIFFS];
    Xiecha__AuditReplayDiff *ptrs[XC_REPLAY_MAX_DIFFS];
    for (size_t i = 0; i < rep->n_diffs; i++) {
        xiecha__audit_replay_diff__init (&diffs[i]);
        diffs[i].subject = (ProtobufCBinaryData) {32, rep->diffs[i].ref};
        diffs[i].live = rep->diffs[i].live;
        diffs[i].rebuilt = rep->diffs[i].rebuilt;
        ptrs[i] = &diffs[i];
    }
    Xiecha__AuditReplayReply ar = XIECHA__AUDIT_REPLAY_REPLY__INIT;
    ar.entries = rep->entries;
    ar.replayed = rep->replayed;
    ar.live_subjects = rep->live_subjects;
    ar.rebuilt_subjects = rep->rebuilt_subjects;
    ar.differences = rep->differences;
    ar.n_diffs = rep->n_diffs;
    ar.diffs = ptrs;
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_AUDIT_REPLAY;
    r.audit_replay = &ar;
    zframe_t *f = s_pack (req, &r);
    free (rep);
    return f;
}

/*  Where a certificate this node sent sits in its log, with an inclusion
    proof under the latest checkpoint. */
zframe_t *
xc_jobs_prove (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    const ProtobufCBinaryData *env = &req->audit_prove->envelope;
    if (env->len == 0)
        return xc_jobs_error (req, XC_EINVAL, "audit_prove: envelope is empty");
    xc_prove_t *p = calloc (1, sizeof *p);
    char why[200] = "";
    int rc = p ? xc_prove (node->store, txn, env->data, env->len,
                           req->audit_prove->tree_size, p, why, sizeof why)
               : XC_ENOMEM;
    if (rc) {
        if (p)
            xc_prove_free (p);
        free (p);
        return xc_jobs_error (req, rc, *why ? why : "cannot read the audit log");
    }
    ProtobufCBinaryData proof[XC_MERKLE_MAX_PROOF];
    for (size_t i = 0; i < p->proof_len; i++)
        proof[i] = (ProtobufCBinaryData) {32, p->proof[i]};
    Xiecha__AuditProveReply ar = XIECHA__AUDIT_PROVE_REPLY__INIT;
    ar.seq = p->seq;
    ar.entry_hash = (ProtobufCBinaryData) {32, p->entry_hash};
    ar.checkpoint = (ProtobufCBinaryData) {XC_CHECKPOINT_LEN, p->checkpoint};
    ar.n_proof = p->proof_len;
    ar.proof = proof;
    ar.entry = (ProtobufCBinaryData) {p->entry_len, p->entry};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_AUDIT_PROVE;
    r.audit_prove = &ar;
    zframe_t *f = s_pack (req, &r);
    xc_prove_free (p);
    free (p);
    return f;
}

