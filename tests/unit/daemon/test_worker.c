/*  test_worker.c - the back-office thread (worker.h): real jobs,
    [routing id][ClientRequest], over a real node and store, answered
    [routing id][ClientReply] in arrival order: audit export pages that
    concatenate to a file the offline verifier accepts, a monthly report
    that verifies and counts the right month, a replay that finds an index
    change made behind the log's back, an inclusion proof that checks
    against its signed checkpoint, and the refusals (bad ranges, bad
    months, empty or unknown envelopes, a request that is not back
    office, bytes that are not a request); the queue limit; destroy.

    The node is built by hand, as test_audit_export.c does: a store in a
    mkdtemp directory, a fresh signing key, the config fields the worker
    reads.  No sockets but the worker's own pipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <czmq.h>

#include <xiecha/auditfile.h>
#include <xiecha/checkpoint.h>
#include <xiecha/error.h>
#include <xiecha/merkle.h>
#include <xiecha/report.h>

#include "decide/audit_seal.h"
#include "net/worker.h"
#include "node/node.h"
#include "office/export_page.h"
#include "store/audit.h"
#include "store/index.h"
#include "store/store.h"
#include <xiecha/xiecha.pb-c.h>

/*  Undefined behaviour found by the sanitizer fails the test instead of
    scrolling past in its log. */
const char *__ubsan_default_options (void);
const char *
__ubsan_default_options (void)
{
    return "halt_on_error=1:print_stacktrace=1";
}

#define CODE "469021"
#define JAN_2020 1577836800000ULL   /* 2020-01-01T00:00:00Z */
#define FEB_2020 1580515200000ULL   /* 2020-02-01T00:00:00Z */
#define PAGE 3                      /* limits/export_page_entries */
#define PEER "341002"                /* another province */

typedef struct {
    xc_node_t node;          /* by hand: store, signer, config */
    xc_trust_t *trust;       /* lists the node's key */
    xc_worker_t *worker;
    uint64_t entries;        /* in the log after s_setup */
    uint8_t *cert;           /* a certificate this node signed and sent */
    size_t cert_len;
    uint64_t sent_seq;       /* the SENT entry holding it */
} fixture_t;

/* --------------------------------------------------------------------------
   The node and its log
   -------------------------------------------------------------------------- */

static xc_trust_t *
s_trust (xc_key_t *key)
{
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], text[1024], why[256] = "";
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    zcert_t *curve = zcert_new ();
    assert_non_null (curve);
    snprintf (text, sizeof text,
              "trust\n    version = 1\n    node\n        code = \"" CODE "\"\n"
              "        name = \"Node " CODE "\"\n"
              "        endpoint = \"tcp://127.0.0.1:1\"\n"
              "        curve = \"%s\"\n        key\n"
              "            public = \"%s\"\n",
              zcert_public_txt (curve), hex);
    zcert_destroy (&curve);
    xc_trust_t *t = xc_trust_load_text (text, "test", why, sizeof why);
    if (!t)
        fail_msg ("trust: %s", why);
    return t;
}

typedef struct {
    fixture_t *f;
    int kind;
    uint64_t time;
    const char *note;
    const void *data;
    size_t len;
    int count;               /* entries appended, all alike */
} s_add_t;

static int
s_add_fn (MDB_txn *txn, void *arg)
{
    s_add_t *a = arg;
    int rc = 0;
    for (int i = 0; rc == 0 && i < a->count; i++)
        rc = xc_audit_append (a->f->node.store, txn, a->kind, NULL, a->time,
                              a->note, a->data, a->len, NULL);
    return rc;
}

/*  count entries alike, in one transaction. */
static void
s_add (fixture_t *f, int kind, uint64_t time, const char *note,
       const void *data, size_t len, int count)
{
    s_add_t a = {f, kind, time, note, data, len, count};
    assert_int_equal (xc_store_write (f->node.store, s_add_fn, &a), 0);
}

/*  A certificate from this node to PEER: one subject, NOT_RECEIVING
    DIBAO, sealed with the node's key (*out: caller frees). */
static void
s_certificate (fixture_t *f, uint64_t created, uint8_t **out, size_t *len)
{
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    Xiecha__Header hdr;
    uint8_t msg_id[XC_MSGID_LEN], qid[XC_MSGID_LEN], qdigest[XC_HASH_LEN],
        subject[XC_REF_LEN];
    xc_header_init (&hdr, msg_id, XIECHA__MSG_TYPE__MSG_CERTIFICATE, CODE,
                    PEER, created);
    msg.header = &hdr;
    memset (qid, 0x33, sizeof qid);
    memset (qdigest, 0x44, sizeof qdigest);
    memset (subject, 0xa1, sizeof subject);
    Xiecha__SubjectResult result = XIECHA__SUBJECT_RESULT__INIT;
    result.subject = (ProtobufCBinaryData) {sizeof subject, subject};
    result.status = XIECHA__STATUS__NOT_RECEIVING;
    Xiecha__SubjectResult *results[1] = {&result};
    Xiecha__Program programs[1] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Certificate cert = XIECHA__CERTIFICATE__INIT;
    cert.query_id = (ProtobufCBinaryData) {sizeof qid, qid};
    cert.query_digest = (ProtobufCBinaryData) {sizeof qdigest, qdigest};
    cert.requester = PEER;
    cert.results = results;
    cert.n_results = 1;
    cert.programs = programs;
    cert.n_programs = 1;
    cert.issued_at = created;
    cert.valid_until = created + 86400000;
    cert.relation = XIECHA__RELATION__OTHER_PROVINCE;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &cert;
    assert_int_equal (xc_envelope_seal (&msg, f->node.signers[0].key,
                                        f->node.signers[0].id, out, len), 0);
}

/*  The log, in one transaction: 1 start, 2-4 refused (January), 5 the
    certificate sent (January), 6 checkpoint over 1..5, 7 refused
    (February), 8 decision, 9 checkpoint over 1..8, 10 stop. */
static int
s_fill_fn (MDB_txn *txn, void *arg)
{
    fixture_t *f = arg;
    xc_store_t *s = f->node.store;
    int rc = xc_audit_append (s, txn, XC_AUDIT_START, NULL, JAN_2020,
                              "started", NULL, 0, NULL);
    for (int i = 0; rc == 0 && i < 3; i++)
        rc = xc_audit_append (s, txn, XC_AUDIT_REFUSED, NULL,
                              JAN_2020 + 1000 + i, "bad signature",
                              (const uint8_t *) "junk", 4, NULL);
    if (rc == 0)
        rc = xc_audit_append (s, txn, XC_AUDIT_SENT, PEER, JAN_2020 + 2000,
                              "certificate", f->cert, f->cert_len,
                              &f->sent_seq);
    if (rc == 0)
        rc = xc_audit_seal_append (&f->node, txn, JAN_2020 + 3000, 0, NULL);
    if (rc == 0)
        rc = xc_audit_append (s, txn, XC_AUDIT_REFUSED, NULL,
                              FEB_2020 + 1000, "bad signature",
                              (const uint8_t *) "junk", 4, NULL);
    if (rc == 0)
        rc = xc_audit_append (s, txn, XC_AUDIT_DECISION, NULL,
                              FEB_2020 + 2000, "decided", NULL, 0, NULL);
    if (rc == 0)
        rc = xc_audit_seal_append (&f->node, txn, FEB_2020 + 3000, 0, NULL);
    if (rc == 0)
        rc = xc_audit_append (s, txn, XC_AUDIT_STOP, NULL, FEB_2020 + 4000,
                              "stopped", NULL, 0, NULL);
    return rc;
}

static void
s_fill_log (fixture_t *f)
{
    s_certificate (f, JAN_2020 + 2000, &f->cert, &f->cert_len);
    assert_int_equal (xc_store_write (f->node.store, s_fill_fn, f), 0);
    f->entries = 10;
}

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    xc_config_t *c = &f->node.config;
    snprintf (c->data_dir, sizeof c->data_dir, "/tmp/xc-worker-XXXXXX");
    assert_non_null (mkdtemp (c->data_dir));
    char why[256] = "";
    f->node.store = xc_store_new (c->data_dir, 0, why, sizeof why);
    if (!f->node.store)
        fail_msg ("store: %s", why);
    strcpy (c->code, CODE);
    strcpy (c->name, "Node " CODE);
    c->export_page_entries = PAGE;
    f->node.signers[0].key = xc_key_generate ();
    assert_non_null (f->node.signers[0].key);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (f->node.signers[0].key, pub);
    xc_key_id (pub, f->node.signers[0].id);
    f->trust = s_trust (f->node.signers[0].key);
    s_fill_log (f);
    f->worker = xc_worker_new (&f->node, NULL);
    assert_non_null (f->worker);
    //  A safety net against a hung worker, not a timed assertion: a reply
    //  that never comes fails the test instead of hanging it.
    zsock_set_rcvtimeo (xc_worker_sock (f->worker), 20000);
    *state = f;
    return 0;
}

/*  Only the store's two files may be left: replay's scratch store is gone. */
static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xc_worker_destroy (&f->worker);
    xc_store_destroy (&f->node.store);
    xc_key_destroy (&f->node.signers[0].key);
    xc_trust_destroy (&f->trust);
    free (f->cert);
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/data.mdb", f->node.config.data_dir);
    unlink (path);
    snprintf (path, sizeof path, "%s/lock.mdb", f->node.config.data_dir);
    unlink (path);
    int rc = rmdir (f->node.config.data_dir);
    free (f);
    return rc;
}

/* --------------------------------------------------------------------------
   Jobs and replies
   -------------------------------------------------------------------------- */

/*  [routing id][packed req] with request_id "req-<n>" and routing id
    "\0client-<n>" (ROUTER ids start with a zero byte). */
static zmsg_t *
s_job (Xiecha__ClientRequest *req, int n)
{
    char rid[32], route[32];
    int rid_len = snprintf (rid, sizeof rid, "req-%d", n);
    int route_len = snprintf (route + 1, sizeof route - 1, "client-%d", n) + 1;
    route[0] = '\0';
    req->request_id = (ProtobufCBinaryData) {(size_t) rid_len,
                                             (uint8_t *) rid};
    zmsg_t *msg = zmsg_new ();
    assert_non_null (msg);
    assert_int_equal (zmsg_addmem (msg, route, (size_t) route_len), 0);
    size_t len = xiecha__client_request__get_packed_size (req);
    zframe_t *body = zframe_new (NULL, len);
    assert_non_null (body);
    xiecha__client_request__pack (req, zframe_data (body));
    assert_int_equal (zmsg_append (msg, &body), 0);
    req->request_id = (ProtobufCBinaryData) {0, NULL};
    return msg;
}

/*  The job the request table (net/requests.c) names for a request. */
static xc_job_fn *
s_job_fn (const Xiecha__ClientRequest *req)
{
    switch (req->body_case) {
    case XIECHA__CLIENT_REQUEST__BODY_REPORT: return xc_jobs_report;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT: return xc_jobs_export;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY: return xc_jobs_replay;
    case XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE: return xc_jobs_prove;
    default: return NULL;
    }
}

static void
s_submit (fixture_t *f, Xiecha__ClientRequest *req, int n)
{
    zmsg_t *msg = s_job (req, n);
    assert_int_equal (xc_worker_submit (f->worker, &msg, s_job_fn (req)), 0);
    assert_null (msg);                             /* taken */
}

/*  The next reply, checked to be for job n; caller frees. */
static Xiecha__ClientReply *
s_reply (fixture_t *f, int n)
{
    zmsg_t *msg = xc_worker_recv (f->worker);
    if (!msg)
        fail_msg ("no reply for job %d", n);
    assert_int_equal (zmsg_size (msg), 2);
    char route[32];
    int route_len = snprintf (route + 1, sizeof route - 1, "client-%d", n) + 1;
    route[0] = '\0';
    zframe_t *id = zmsg_first (msg);
    assert_int_equal (zframe_size (id), route_len);
    assert_memory_equal (zframe_data (id), route, route_len);
    zframe_t *body = zmsg_next (msg);
    Xiecha__ClientReply *r = xiecha__client_reply__unpack (
        NULL, zframe_size (body), zframe_data (body));
    assert_non_null (r);
    char rid[32];
    int rid_len = snprintf (rid, sizeof rid, "req-%d", n);
    assert_int_equal (r->request_id.len, rid_len);
    assert_memory_equal (r->request_id.data, rid, rid_len);
    zmsg_destroy (&msg);
    return r;
}

/*  Submits req as job n and returns its reply. */
static Xiecha__ClientReply *
s_ask (fixture_t *f, Xiecha__ClientRequest *req, int n)
{
    s_submit (f, req, n);
    return s_reply (f, n);
}

static void
s_expect_error (Xiecha__ClientReply *r, int code, const char *why)
{
    assert_int_equal (r->code, code);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY__NOT_SET);
    if (!r->message || !strstr (r->message, why))
        fail_msg ("want \"%s\" in the message, got \"%s\"", why,
                  r->message ? r->message : "(none)");
    xiecha__client_reply__free_unpacked (r, NULL);
}

static Xiecha__ClientRequest
s_export_req (Xiecha__AuditExportRequest *ar)
{
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_EXPORT;
    req.audit_export = ar;
    return req;
}

/* --------------------------------------------------------------------------
   Tests
   -------------------------------------------------------------------------- */

/*  An export in pages of PAGE records, through the worker: the pages
    chain by cursor, pin the log size, and concatenate to exactly the
    file the export module builds directly, which verifies offline. */
static void
test_export (void **state)
{
    fixture_t *f = *state;
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    uint8_t *file = NULL;
    size_t len = 0;
    int pages = 0;
    do {
        Xiecha__ClientRequest req = s_export_req (&ar);
        Xiecha__ClientReply *r = s_ask (f, &req, pages);
        assert_int_equal (r->code, 0);
        assert_int_equal (r->body_case,
                          XIECHA__CLIENT_REPLY__BODY_AUDIT_EXPORT);
        assert_int_equal (r->audit_export->total, f->entries);
        assert_true (r->audit_export->file.len > 0);
        file = realloc (file, len + r->audit_export->file.len);
        assert_non_null (file);
        memcpy (file + len, r->audit_export->file.data,
                r->audit_export->file.len);
        len += r->audit_export->file.len;
        ar.total = r->audit_export->total;
        ar.cursor = r->audit_export->next;
        xiecha__client_reply__free_unpacked (r, NULL);
        pages++;
        assert_true (pages <= 10);
    } while (ar.cursor);
    //  Ten records in pages of three.
    assert_int_equal (pages, 4);

    //  The same pages built here, in one read transaction.
    xc_auditfile_t direct = {0};
    xc_export_page_t page = {.max_records = PAGE};
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    do {
        xc_auditfile_t chunk;
        uint64_t next = 0;
        assert_int_equal (xc_export_page_read (f->node.store, txn, &page,
                                                &chunk, &next), 0);
        direct.data = realloc (direct.data, direct.len + chunk.len);
        assert_non_null (direct.data);
        memcpy (direct.data + direct.len, chunk.data, chunk.len);
        direct.len += chunk.len;
        direct.cap = direct.len;
        xc_auditfile_free (&chunk);
        page.cursor = next;
    } while (page.cursor);
    mdb_txn_abort (txn);
    assert_int_equal (len, direct.len);
    assert_memory_equal (file, direct.data, len);
    xc_auditfile_free (&direct);

    //  The worker exports what it is asked, up to the log's end here:
    //  sealing first is the request table's step (itest_audit), so the
    //  entries after the last checkpoint are reported not covered.
    xc_auditfile_report_t rep;
    assert_int_equal (xc_auditfile_verify (file, len, f->trust, &rep),
                      XC_EUNCOVERED);
    assert_int_equal (rep.uncovered_from, rep.covered + 2);
    assert_int_equal (rep.bad_seq, rep.uncovered_from);
    assert_int_equal (rep.entries, f->entries);
    assert_int_equal (rep.full, f->entries);
    assert_int_equal (rep.checkpoints, 2);
    assert_int_equal (rep.covered, 8);
    assert_int_equal (rep.kinds[XC_AUDIT_REFUSED], 4);
    assert_int_equal (rep.envelopes, 1);
    free (file);
}

static void
test_export_refused (void **state)
{
    fixture_t *f = *state;
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    ar.from = 5;
    ar.to = 2;
    Xiecha__ClientRequest req = s_export_req (&ar);
    s_expect_error (s_ask (f, &req, 1), XC_EINVAL, "from is after to");
    Xiecha__AuditExportRequest beyond = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    beyond.total = f->entries + 5;
    beyond.cursor = 2;
    req = s_export_req (&beyond);
    s_expect_error (s_ask (f, &req, 2), XC_EINVAL, "beyond the log");
}

/*  The report for January 2020, built and signed by the worker over the
    live log: it verifies with the trust list, names this node and the
    log head it counted to, and counts January's three refusals (not
    February's). */
static void
test_report (void **state)
{
    fixture_t *f = *state;
    Xiecha__ReportRequest rr = XIECHA__REPORT_REQUEST__INIT;
    rr.month = "2020-01";
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_REPORT;
    req.report = &rr;
    Xiecha__ClientReply *r = s_ask (f, &req, 7);
    assert_int_equal (r->code, 0);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_REPORT);
    Xiecha__Report *rep = NULL;
    char why[256] = "";
    if (xc_report_verify (r->report->signed_report.data,
                          r->report->signed_report.len, f->trust, &rep, why,
                          sizeof why) != 0)
        fail_msg ("report does not verify: %s", why);
    assert_string_equal (rep->node, CODE);
    assert_string_equal (rep->month, "2020-01");
    assert_int_equal (rep->audit_entries, f->entries);
    uint64_t n;
    uint8_t head[32];
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_audit_head (f->node.store, txn, &n, head), 0);
    mdb_txn_abort (txn);
    assert_int_equal (rep->audit_head.len, 32);
    assert_memory_equal (rep->audit_head.data, head, 32);
    //  January: three refusals, and the certificate issued (one DIBAO
    //  check, its subject not receiving), to another province.
    uint64_t refused = 0, issued = 0, not_receiving = 0;
    for (size_t i = 0; i < rep->n_rows; i++) {
        const Xiecha__ReportRow *row = rep->rows[i];
        if (strcmp (row->kind, "REFUSED") == 0)
            refused += row->count;
        else if (strcmp (row->kind, "CERTIFICATE_ISSUED") == 0
                 && row->program == XIECHA__PROGRAM__DIBAO
                 && row->relation == XIECHA__RELATION__OTHER_PROVINCE)
            issued += row->count;
        else if (strcmp (row->kind, "SUBJECT_NOT_RECEIVING") == 0
                 && row->program == XIECHA__PROGRAM__DIBAO
                 && row->relation == XIECHA__RELATION__OTHER_PROVINCE)
            not_receiving += row->count;
        else
            fail_msg ("unexpected row %s", row->kind);
    }
    assert_int_equal (refused, 3);
    assert_int_equal (issued, 1);
    assert_int_equal (not_receiving, 1);
    xiecha__report__free_unpacked (rep, NULL);
    xiecha__client_reply__free_unpacked (r, NULL);

    rr.month = "2020-13";
    s_expect_error (s_ask (f, &req, 8), XC_EINVAL, "month");
    rr.month = "9999-01";
    s_expect_error (s_ask (f, &req, 9), XC_EINVAL, "has not begun");
}

typedef struct {
    xc_store_t *store;
    uint8_t ref[32];
} s_index_t;

static int
s_index_fn (MDB_txn *txn, void *arg)
{
    s_index_t *x = arg;
    xc_enrollment_t e = {.program = XIECHA__PROGRAM__DIBAO,
                         .since = 20200101, .until = 0};
    strcpy (e.node, CODE);
    return xc_index_add (x->store, txn, x->ref, &e);
}

/*  Entries in the data directory other than the store's two files. */
static int
s_strays (const char *dir)
{
    DIR *d = opendir (dir);
    assert_non_null (d);
    int n = 0;
    for (struct dirent *e = readdir (d); e; e = readdir (d))
        if (strcmp (e->d_name, ".") && strcmp (e->d_name, "..")
            && strcmp (e->d_name, "data.mdb") && strcmp (e->d_name, "lock.mdb"))
            n++;
    closedir (d);
    return n;
}

/*  An enrollment added behind the log's back: the replay the worker runs
    reports it as the one difference, and leaves no scratch store. */
static void
test_replay (void **state)
{
    fixture_t *f = *state;
    s_index_t x = {.store = f->node.store};
    memset (x.ref, 0x5a, sizeof x.ref);
    assert_int_equal (xc_store_write (f->node.store, s_index_fn, &x), 0);
    Xiecha__AuditReplayRequest ar = XIECHA__AUDIT_REPLAY_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_REPLAY;
    req.audit_replay = &ar;
    Xiecha__ClientReply *r = s_ask (f, &req, 3);
    assert_int_equal (r->code, 0);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_AUDIT_REPLAY);
    Xiecha__AuditReplayReply *rep = r->audit_replay;
    assert_int_equal (rep->entries, f->entries);
    assert_int_equal (rep->replayed, 0);
    assert_int_equal (rep->live_subjects, 1);
    assert_int_equal (rep->rebuilt_subjects, 0);
    assert_int_equal (rep->differences, 1);
    assert_int_equal (rep->n_diffs, 1);
    assert_int_equal (rep->diffs[0]->subject.len, 32);
    assert_memory_equal (rep->diffs[0]->subject.data, x.ref, 32);
    assert_non_null (strstr (rep->diffs[0]->live, "DIBAO"));
    assert_string_equal (rep->diffs[0]->rebuilt, "");
    xiecha__client_reply__free_unpacked (r, NULL);
    assert_int_equal (s_strays (f->node.config.data_dir), 0);
}

/*  The SENT entry holding the envelope, its hash, and an inclusion proof
    that holds under the latest signed checkpoint (9, over 1..8). */
static void
test_prove (void **state)
{
    fixture_t *f = *state;
    Xiecha__AuditProveRequest pr = XIECHA__AUDIT_PROVE_REQUEST__INIT;
    pr.envelope = (ProtobufCBinaryData) {f->cert_len, f->cert};
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_AUDIT_PROVE;
    req.audit_prove = &pr;
    Xiecha__ClientReply *r = s_ask (f, &req, 4);
    assert_int_equal (r->code, 0);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_AUDIT_PROVE);
    Xiecha__AuditProveReply *p = r->audit_prove;
    assert_int_equal (p->seq, f->sent_seq);

    xc_audit_entry_t e;
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_audit_get (f->node.store, txn, f->sent_seq, &e), 0);
    assert_int_equal (p->entry_hash.len, 32);
    assert_memory_equal (p->entry_hash.data, e.hash, 32);
    assert_int_equal (p->entry.len, XC_AUDIT_HEADER + e.note_len
                                        + e.data_len);
    assert_int_equal (e.data_len, f->cert_len);
    assert_memory_equal (p->entry.data + p->entry.len - e.data_len, f->cert,
                         f->cert_len);
    mdb_txn_abort (txn);

    xc_checkpoint_t cp;
    char why[256] = "";
    if (xc_checkpoint_verify (p->checkpoint.data, p->checkpoint.len,
                              f->trust, &cp, why, sizeof why) != 0)
        fail_msg ("checkpoint: %s", why);
    assert_int_equal (cp.tree_size, 8);
    assert_true (p->n_proof > 0 && p->n_proof <= XC_MERKLE_MAX_PROOF);
    uint8_t (*proof)[32] = calloc (p->n_proof, 32);
    assert_non_null (proof);
    for (size_t i = 0; i < p->n_proof; i++) {
        assert_int_equal (p->proof[i].len, 32);
        memcpy (proof[i], p->proof[i].data, 32);
    }
    assert_int_equal (xc_merkle_inclusion_verify (e.hash, f->sent_seq - 1,
                                                  cp.tree_size,
                                                  (const uint8_t (*)[32])
                                                      proof,
                                                  p->n_proof, cp.root), 0);
    //  And not for another entry.
    uint8_t other[32];
    memcpy (other, e.hash, 32);
    other[0] ^= 1;
    assert_int_not_equal (xc_merkle_inclusion_verify (
                              other, f->sent_seq - 1, cp.tree_size,
                              (const uint8_t (*)[32]) proof, p->n_proof,
                              cp.root), 0);
    free (proof);
    xiecha__client_reply__free_unpacked (r, NULL);

    pr.envelope = (ProtobufCBinaryData) {0, NULL};
    s_expect_error (s_ask (f, &req, 5), XC_EINVAL, "envelope is empty");
    pr.envelope = (ProtobufCBinaryData) {5, (uint8_t *) "other"};
    s_expect_error (s_ask (f, &req, 6), XC_ENOTFOUND, "not in this node's log");
}

/*  A job without a function, or bytes that are not a ClientRequest, get
    the routing id alone (the reactor counts replies; the client times
    out). */
static void
s_expect_id_only (fixture_t *f, zmsg_t *msg, xc_job_fn *job)
{
    assert_int_equal (xc_worker_submit (f->worker, &msg, job), 0);
    zmsg_t *reply = xc_worker_recv (f->worker);
    assert_non_null (reply);
    assert_int_equal (zmsg_size (reply), 1);
    char *id = zmsg_popstr (reply);
    assert_string_equal (id, "client-x");
    zstr_free (&id);
    zmsg_destroy (&reply);
}

static void
test_not_back_office (void **state)
{
    fixture_t *f = *state;
    Xiecha__StatusRequest st = XIECHA__STATUS_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_STATUS;
    req.status = &st;
    zmsg_t *msg = zmsg_new ();
    zmsg_addstr (msg, "client-x");
    uint8_t body[64];
    size_t len = xiecha__client_request__pack (&req, body);
    zmsg_addmem (msg, body, len);
    s_expect_id_only (f, msg, NULL);

    msg = zmsg_new ();
    zmsg_addstr (msg, "client-x");
    const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    zmsg_addmem (msg, junk, sizeof junk);
    s_expect_id_only (f, msg, xc_jobs_report);

    //  The worker goes on working after both.
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    req = s_export_req (&ar);
    Xiecha__ClientReply *r = s_ask (f, &req, 13);
    assert_int_equal (r->code, 0);
    xiecha__client_reply__free_unpacked (r, NULL);
}

/*  XC_WORKER_QUEUE jobs whose replies have not been received fill the
    queue, however fast the worker is (a reply counts until the reactor
    has received it): the next submit is refused with the job left to
    the caller; once one reply is taken there is room for one more; and
    every job is answered, in the order submitted. */
static void
test_queue_limit (void **state)
{
    fixture_t *f = *state;
    Xiecha__ReportRequest rr = XIECHA__REPORT_REQUEST__INIT;
    rr.month = "2020-01";
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_REPORT;
    req.report = &rr;
    for (int i = 0; i < XC_WORKER_QUEUE; i++)
        s_submit (f, &req, i);
    zmsg_t *extra = s_job (&req, XC_WORKER_QUEUE);
    assert_int_equal (xc_worker_submit (f->worker, &extra, xc_jobs_report), XC_EFULL);
    assert_non_null (extra);                      /* still the caller's */
    assert_int_equal (zmsg_size (extra), 2);
    assert_int_equal (xc_worker_submit (f->worker, &extra, xc_jobs_report), XC_EFULL);

    Xiecha__ClientReply *r = s_reply (f, 0);
    assert_int_equal (r->code, 0);
    xiecha__client_reply__free_unpacked (r, NULL);
    assert_int_equal (xc_worker_submit (f->worker, &extra, xc_jobs_report), 0);
    assert_null (extra);
    zmsg_t *more = s_job (&req, 99);
    assert_int_equal (xc_worker_submit (f->worker, &more, xc_jobs_report), XC_EFULL);

    for (int i = 1; i <= XC_WORKER_QUEUE; i++) {
        r = s_reply (f, i);
        assert_int_equal (r->code, 0);
        assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_REPORT);
        xiecha__client_reply__free_unpacked (r, NULL);
    }
    //  Drained: room again.
    assert_int_equal (xc_worker_submit (f->worker, &more, xc_jobs_report), 0);
    r = s_reply (f, 99);
    xiecha__client_reply__free_unpacked (r, NULL);
}

/*  Destroy with jobs queued and replies never received returns, and is
    harmless twice; a new worker over the same node works. */
static void
test_destroy (void **state)
{
    fixture_t *f = *state;
    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    Xiecha__ClientRequest req = s_export_req (&ar);
    for (int i = 0; i < XC_WORKER_QUEUE; i++)
        s_submit (f, &req, i);
    xc_worker_destroy (&f->worker);
    assert_null (f->worker);
    xc_worker_destroy (&f->worker);
    xc_worker_destroy (NULL);

    f->worker = xc_worker_new (&f->node, NULL);
    assert_non_null (f->worker);
    zsock_set_rcvtimeo (xc_worker_sock (f->worker), 20000);
    Xiecha__ClientReply *r = s_ask (f, &req, 1);
    assert_int_equal (r->code, 0);
    xiecha__client_reply__free_unpacked (r, NULL);
}

/*  The worker reads while the owner writes: exports queued while the
    owner appends to the log (growing the map of a 64 KiB store as it
    goes) each come back whole and verify, each pinned to the log size of
    the snapshot it read.  A smoke test: which reads meet which growths
    depends on scheduling, but no outcome here does. */
static void
test_read_beside_writes (void **state)
{
    fixture_t *f = *state;
    xc_worker_destroy (&f->worker);
    xc_store_destroy (&f->node.store);
    char why[256] = "";
    f->node.store = xc_store_new (f->node.config.data_dir, 64 * 1024, why,
                                  sizeof why);
    if (!f->node.store)
        fail_msg ("store: %s", why);
    size_t map0 = xc_store_map_size (f->node.store);
    f->node.config.export_page_entries = 100000;   /* one page each */
    f->worker = xc_worker_new (&f->node, NULL);
    assert_non_null (f->worker);
    zsock_set_rcvtimeo (xc_worker_sock (f->worker), 20000);

    Xiecha__AuditExportRequest ar = XIECHA__AUDIT_EXPORT_REQUEST__INIT;
    Xiecha__ClientRequest req = s_export_req (&ar);
    static uint8_t blob[3000];
    memset (blob, 0xab, sizeof blob);
    for (int i = 0; i < XC_WORKER_QUEUE; i++) {
        s_submit (f, &req, i);
        s_add (f, XC_AUDIT_DECISION, FEB_2020 + 10000 + i, "bulk", blob,
               sizeof blob, 8);
    }
    uint64_t last = 0;
    for (int i = 0; i < XC_WORKER_QUEUE; i++) {
        Xiecha__ClientReply *r = s_reply (f, i);
        assert_int_equal (r->code, 0);
        assert_int_equal (r->audit_export->next, 0);
        uint64_t total = r->audit_export->total;
        assert_true (total >= f->entries + 8 * (uint64_t) i);
        assert_true (total <= f->entries + 8 * (uint64_t) XC_WORKER_QUEUE);
        assert_true (total >= last);
        last = total;
        xc_auditfile_report_t rep;
        assert_int_equal (xc_auditfile_verify (r->audit_export->file.data,
                                               r->audit_export->file.len,
                                               f->trust, &rep),
                          XC_EUNCOVERED);   /* unsealed, as above */
        assert_int_equal (rep.entries, total);
        xiecha__client_reply__free_unpacked (r, NULL);
    }
    assert_true (xc_store_map_size (f->node.store) > map0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_export, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_export_refused, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_report, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_replay, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_prove, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_not_back_office, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_queue_limit, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_destroy, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_read_beside_writes, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
