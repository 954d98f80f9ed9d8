/*  worker.c - the back office thread (worker.h).

    A job enters in s_job, is decided by one of the four s_do_* functions
    below (each the whole story of one request), and leaves as a packed
    ClientReply on the pipe.  Nothing here writes the store. */
#include "net/worker.h"

#include <xiecha/checkpoint.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>

#include "office/export_page.h"
#include "node/log.h"
#include "office/prove.h"
#include "office/replay.h"
#include "office/monthly.h"
#include <xiecha/xiecha.pb-c.h>

struct _xc_worker_t {
    zactor_t *actor;
    size_t queued;             /* submitted, reply not yet received */
};

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

static zframe_t *
s_error (const Xiecha__ClientRequest *req, int code, const char *why)
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
static zframe_t *
s_do_report (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[400] = "";
    int rc = xc_report_build (node, txn, req->report->month, xc_now_ms (),
                              &bytes, &len, why, sizeof why);
    if (rc)
        return s_error (req, rc, why);
    Xiecha__ReportReply rr = XIECHA__REPORT_REPLY__INIT;
    rr.signed_report = (ProtobufCBinaryData) {len, bytes};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_REPORT;
    r.report = &rr;
    zframe_t *f = s_pack (req, &r);
    free (bytes);
    return f;
}

/*  One page of an audit export (audit_export.h). */
static zframe_t *
s_do_export (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    const Xiecha__AuditExportRequest *ar = req->audit_export;
    xc_export_page_t page = {.from = ar->from, .to = ar->to,
                             .total = ar->total, .cursor = ar->cursor,
                             .max_records =
                                 (uint32_t) node->config.export_page_entries};
    xc_auditfile_t file;
    uint64_t next = 0;
    int rc = xc_audit_export_page (node->store, txn, &page, &file, &next);
    if (rc) {
        xc_auditfile_free (&file);
        return s_error (req, rc,
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
static zframe_t *
s_do_replay (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    xc_replay_report_t *rep = calloc (1, sizeof *rep);
    char why[400] = "";
    int rc = rep ? xc_replay (node->store, txn, node->config.code,
                              node->config.data_dir, rep, why, sizeof why)
                 : XC_ENOMEM;
    if (rc) {
        free (rep);
        return s_error (req, rc, *why ? why : "replay failed");
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
static zframe_t *
s_do_prove (xc_node_t *node, MDB_txn *txn, const Xiecha__ClientRequest *req)
{
    const ProtobufCBinaryData *env = &req->audit_prove->envelope;
    if (env->len == 0)
        return s_error (req, XC_EINVAL, "audit_prove: envelope is empty");
    xc_prove_t *p = calloc (1, sizeof *p);
    char why[200] = "";
    int rc = p ? xc_prove (node->store, txn, env->data, env->len, p, why,
                           sizeof why)
               : XC_ENOMEM;
    if (rc) {
        if (p)
            xc_prove_free (p);
        free (p);
        return s_error (req, rc, *why ? why : "cannot read the audit log");
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

/* --------------------------------------------------------------------------
   The thread
   -------------------------------------------------------------------------- */

/*  Runs the job for req in one read transaction. */
static zframe_t *
s_decide (xc_node_t *node, const Xiecha__ClientRequest *req)
{
    xc_store_share_begin (node->store);
    MDB_txn *txn = NULL;
    zframe_t *f;
    if (xc_store_read (node->store, &txn) != 0)
        f = s_error (req, XC_ESTORE, "cannot read the audit log");
    else if (req->body_case == XIECHA__CLIENT_REQUEST__BODY_REPORT)
        f = s_do_report (node, txn, req);
    else if (req->body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT)
        f = s_do_export (node, txn, req);
    else if (req->body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY)
        f = s_do_replay (node, txn, req);
    else if (req->body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE)
        f = s_do_prove (node, txn, req);
    else
        f = s_error (req, XC_EINTERNAL, "worker: not a back-office request");
    if (txn)
        mdb_txn_abort (txn);
    xc_store_share_end (node->store);
    return f;
}

/*  msg is [routing id][ClientRequest], already checked by the reactor.
    The routing id goes back with the reply, which is the whole answer. */
static void
s_job (xc_node_t *node, zsock_t *pipe, zmsg_t *msg)
{
    zframe_t *id = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    Xiecha__ClientRequest *req =
        body ? xiecha__client_request__unpack (NULL, zframe_size (body),
                                               zframe_data (body))
             : NULL;
    zframe_t *reply = NULL;
    if (req)
        reply = s_decide (node, req);
    else
        xc_err ("worker: job is not a ClientRequest");
    zmsg_t *out = zmsg_new ();
    zmsg_append (out, &id);
    if (reply)
        zmsg_append (out, &reply);
    //  Always answer, even with only the id: the reactor counts replies.
    zmsg_send (&out, pipe);
    if (req)
        xiecha__client_request__free_unpacked (req, NULL);
    zframe_destroy (&body);
    zframe_destroy (&id);
}

static void
s_actor (zsock_t *pipe, void *arg)
{
    xc_node_t *node = arg;
    zsock_signal (pipe, 0);
    while (true) {
        zmsg_t *msg = zmsg_recv (pipe);
        if (!msg)
            break;                       /* interrupted */
        if (zmsg_size (msg) == 1) {      /* "$TERM" from zactor_destroy */
            zmsg_destroy (&msg);
            break;
        }
        s_job (node, pipe, msg);
        zmsg_destroy (&msg);
    }
}

/* --------------------------------------------------------------------------
   The reactor's side
   -------------------------------------------------------------------------- */

xc_worker_t *
xc_worker_new (xc_node_t *node)
{
    xc_worker_t *self = calloc (1, sizeof *self);
    if (self)
        self->actor = zactor_new (s_actor, node);
    if (!self || !self->actor) {
        free (self);
        return NULL;
    }
    return self;
}

void
xc_worker_destroy (xc_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zactor_destroy (&(*self_p)->actor);
    free (*self_p);
    *self_p = NULL;
}

bool
xc_worker_handles (int body_case)
{
    return body_case == XIECHA__CLIENT_REQUEST__BODY_REPORT
           || body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT
           || body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY
           || body_case == XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE;
}

int
xc_worker_submit (xc_worker_t *self, zmsg_t **msg)
{
    if (self->queued >= XC_WORKER_QUEUE)
        return XC_EFULL;
    if (zmsg_send (msg, self->actor) != 0)
        return XC_EIO;
    self->queued++;
    return 0;
}

zsock_t *
xc_worker_sock (xc_worker_t *self)
{
    return zactor_sock (self->actor);
}

zmsg_t *
xc_worker_recv (xc_worker_t *self)
{
    zmsg_t *msg = zmsg_recv (self->actor);
    if (msg && self->queued > 0)
        self->queued--;
    return msg;
}
