/*  client.c - the client API: one request, one reply, over the node's
    client socket.

    A request is one frame holding a packed ClientRequest with a random
    request_id; the node answers one frame holding a ClientReply with the
    same id.  A reply with another id is a leftover of an earlier request
    that timed out, and is dropped.  Nothing here signs or verifies: the
    local hop is protected by the socket (IPC file mode, or CURVE on TCP),
    and the node has verified the certificate before handing it over. */
#include <stdlib.h>
#include <string.h>

#include <czmq.h>

#include "xiecha/request.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

#define XC_CLIENT_TIMEOUT 10000         /* default bound per call, ms */
#define XC_CLIENT_COMMIT_TIMEOUT 60000  /* an import commit rewrites the index */
#define XC_CLIENT_ABORT_TIMEOUT 1000    /* best effort: do not hang on it */
#define XC_CLIENT_LINGER 200            /* lets a last ABORT leave on exit */
#define XC_CLIENT_MAXMSG (8 * 1024 * 1024)
#define XC_REQUEST_ID_LEN 16
#define XC_IMPORT_CHUNK 2000            /* rows per ROWS message (~70 KB) */

struct _xc_client_t {
    zsock_t *sock;        /* DEALER connected to the node's client socket */
    zpoller_t *poller;    /* waits on sock with a deadline */
    char *endpoint;       /* as given, for messages */
    int timeout_ms;       /* bound on one request/reply round trip */
};

/*  One roster row as staged in memory: compact, so 100k rows cost a few
    MB, and with no pointers, so the array can grow by realloc. */
typedef struct {
    char id[XC_ID_LEN + 1];  /* normalised ID number */
    uint8_t program;         /* XIECHA__PROGRAM__* */
    uint32_t since;          /* YYYYMMDD */
    uint32_t until;          /* YYYYMMDD, 0 while open */
    uint32_t line;           /* source line, echoed by the node in errors */
} s_row_t;

struct _xc_import_t {
    xc_client_t *client;  /* not owned: must outlive the import */
    s_row_t *rows;        /* rows added so far */
    size_t count;         /* rows used */
    size_t capacity;      /* rows allocated */
};

xc_client_t *
xc_client_new (const char *endpoint, int timeout_ms, char *why,
               size_t why_len)
{
    if (!endpoint || !*endpoint) {
        xc_why (why, why_len, XC_EINVAL, "endpoint: missing");
        return NULL;
    }
    xc_client_t *self = (xc_client_t *) calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        return NULL;
    }
    self->timeout_ms = timeout_ms > 0 ? timeout_ms : XC_CLIENT_TIMEOUT;
    self->endpoint = strdup (endpoint);
    self->sock = zsock_new (ZMQ_DEALER);
    if (!self->endpoint || !self->sock) {
        xc_why (why, why_len, XC_EIO, "cannot create a ZeroMQ socket");
        goto fail;
    }
    //  Options first: libzmq copies them into each connection when it is
    //  made, so setting them after connect would not apply.
    zsock_set_linger (self->sock, XC_CLIENT_LINGER);
    zsock_set_maxmsgsize (self->sock, XC_CLIENT_MAXMSG);
    zsock_set_sndtimeo (self->sock, self->timeout_ms);
    if (zsock_connect (self->sock, "%s", endpoint) != 0) {
        xc_why (why, why_len, XC_EINVAL, "endpoint %s: cannot connect (%s)",
                endpoint, zmq_strerror (zmq_errno ()));
        goto fail;
    }
    self->poller = zpoller_new (self->sock, NULL);
    if (!self->poller) {
        xc_why (why, why_len, XC_EIO, "cannot create a poller");
        goto fail;
    }
    return self;
fail:
    xc_client_destroy (&self);
    return NULL;
}

void
xc_client_destroy (xc_client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_client_t *self = *self_p;
    zpoller_destroy (&self->poller);
    zsock_destroy (&self->sock);
    free (self->endpoint);
    free (self);
    *self_p = NULL;
}

//  Sends one packed request; returns 0 or XC_E*.
static int
s_send (xc_client_t *self, const Xiecha__ClientRequest *req, char *why,
        size_t why_len)
{
    size_t len = xiecha__client_request__get_packed_size (req);
    if (len > XC_CLIENT_MAXMSG)
        return xc_why (why, why_len, XC_ETOOBIG,
                       "request of %zu bytes exceeds %d", len,
                       XC_CLIENT_MAXMSG);
    zframe_t *frame = zframe_new (NULL, len);
    if (!frame)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    xiecha__client_request__pack (req, zframe_data (frame));
    if (zframe_send (&frame, self->sock, 0) != 0) {
        zframe_destroy (&frame);
        return xc_why (why, why_len, XC_ETIMEOUT,
                       "node at %s did not take the request within %d ms",
                       self->endpoint, self->timeout_ms);
    }
    return 0;
}

//  Waits until the deadline for the reply carrying request_id, dropping
//  stale ones.  On success *reply is owned by the caller.
static int
s_recv (xc_client_t *self, const uint8_t *request_id, int timeout_ms,
        Xiecha__ClientReply **reply, char *why, size_t why_len)
{
    int64_t deadline = zclock_mono () + timeout_ms;
    while (true) {
        int64_t left = deadline - zclock_mono ();
        if (left <= 0)
            break;
        void *which = zpoller_wait (self->poller, (int) left);
        if (!which) {
            if (zpoller_terminated (self->poller))
                return xc_why (why, why_len, XC_EIO, "interrupted");
            continue;   // timed out: the loop condition ends it
        }
        //  The reply is one frame; take the last so an empty delimiter
        //  frame from a REQ-style peer would not confuse us.
        zmsg_t *msg = zmsg_recv (self->sock);
        if (!msg)
            continue;
        zframe_t *frame = zmsg_last (msg);
        Xiecha__ClientReply *r = frame
            ? xiecha__client_reply__unpack (NULL, zframe_size (frame),
                                            zframe_data (frame))
            : NULL;
        zmsg_destroy (&msg);
        if (r && r->request_id.len == XC_REQUEST_ID_LEN
            && memcmp (r->request_id.data, request_id, XC_REQUEST_ID_LEN) == 0) {
            *reply = r;
            return 0;
        }
        //  Unparsable or an answer to an earlier request: not ours.
        if (r)
            xiecha__client_reply__free_unpacked (r, NULL);
    }
    return xc_why (why, why_len, XC_ETIMEOUT,
                   "node at %s did not answer within %d ms", self->endpoint,
                   timeout_ms);
}

//  One round trip.  Stamps req with a fresh request_id, and turns a
//  refusal by the node (code != 0) into its code and message.  On success
//  the reply's body matches `expect` and *reply is the caller's.
static int
s_call (xc_client_t *self, Xiecha__ClientRequest *req, int timeout_ms,
        Xiecha__ClientReply__BodyCase expect, Xiecha__ClientReply **reply,
        char *why, size_t why_len)
{
    uint8_t request_id[XC_REQUEST_ID_LEN];
    xc_random (request_id, sizeof request_id);
    req->request_id.data = request_id;
    req->request_id.len = sizeof request_id;
    *reply = NULL;

    int rc = s_send (self, req, why, why_len);
    if (rc == 0)
        rc = s_recv (self, request_id, timeout_ms, reply, why, why_len);
    req->request_id.data = NULL;
    req->request_id.len = 0;
    if (rc)
        return rc;

    Xiecha__ClientReply *r = *reply;
    if (r->code != 0) {
        //  Only codes we know travel on; anything else is a node bug.
        rc = r->code < 0 && xc_error_name (r->code) ? r->code : XC_EINTERNAL;
        xc_why (why, why_len, rc, "%s",
                r->message && *r->message ? r->message : xc_strerror (rc));
    }
    else if (r->body_case != expect)
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     "node at %s answered with the wrong reply type %d",
                     self->endpoint, (int) r->body_case);
    if (rc) {
        xiecha__client_reply__free_unpacked (r, NULL);
        *reply = NULL;
    }
    return rc;
}

//  s_call for the API calls kept in files of their own.
int
xc_client_call (xc_client_t *self, Xiecha__ClientRequest *req,
                Xiecha__ClientReply__BodyCase expect,
                Xiecha__ClientReply **reply, char *why, size_t why_len)
{
    return s_call (self, req, self->timeout_ms, expect, reply, why, why_len);
}

//  The people of a query or notice as the request carries them: the
//  applicant, then the members, in one block, pointing at the caller's
//  strings until s_people_normalize points their IDs at norm.
typedef struct {
    Xiecha__Person **list;   /* count pointers, then count structs */
    size_t count;            /* 1 + members */
    char norm[XC_MAX_SUBJECTS][XC_ID_LEN + 1];  /* normal forms, once checked */
} s_people_t;

//  Builds the people from the caller's structs; the rules are checked on
//  the request (xiecha/request.h), not here.
static int
s_people_init (s_people_t *self, const xc_person_t *applicant,
               const xc_person_t *members, size_t member_count, char *why,
               size_t why_len)
{
    memset (self, 0, sizeof *self);
    if (member_count && !members)
        return xc_why (why, why_len, XC_EINVAL, "members: missing");
    size_t one = sizeof (Xiecha__Person *) + sizeof (Xiecha__Person);
    if (member_count >= SIZE_MAX / one)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    self->count = member_count + 1;
    self->list = (Xiecha__Person **) calloc (self->count, one);
    if (!self->list)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    Xiecha__Person *person = (Xiecha__Person *) (self->list + self->count);
    for (size_t i = 0; i < self->count; i++) {
        const xc_person_t *p = i ? &members[i - 1] : applicant;
        xiecha__person__init (&person[i]);
        person[i].id_number = (char *) p->id_number;
        person[i].name = (char *) p->name;
        person[i].has_permit = p->has_permit != 0;
        person[i].permit_months = p->permit_months;
        self->list[i] = &person[i];
    }
    return 0;
}

//  Once the request passed its check (so count <= XC_MAX_SUBJECTS): sends
//  each ID in its normal form.
static int
s_people_normalize (s_people_t *self, char *why, size_t why_len)
{
    for (size_t i = 0; i < self->count; i++) {
        Xiecha__Person *p = self->list[i];
        int rc = xc_id_normalize (p->id_number, "id_number", self->norm[i],
                                  why, why_len);
        if (rc)
            return rc;
        p->id_number = self->norm[i];
    }
    return 0;
}

static void
s_people_clear (s_people_t *self)
{
    free (self->list);
    explicit_bzero (self->norm, sizeof self->norm);
    self->list = NULL;
    self->count = 0;
}

//  Takes the certificate out of a query reply into the answer.
static int
s_fill_answer (xc_client_t *self, const Xiecha__QueryReply *qr,
               size_t subjects, xc_answer_t *answer, char *why,
               size_t why_len)
{
    if (!qr || qr->certificate.len == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "node at %s answered without a certificate",
                       self->endpoint);
    //  Our own copy: the reply is freed, the answer lives on.
    answer->certificate = (uint8_t *) malloc (qr->certificate.len);
    if (!answer->certificate)
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    memcpy (answer->certificate, qr->certificate.data, qr->certificate.len);
    answer->certificate_len = qr->certificate.len;
    int rc = xc_envelope_open (answer->certificate, answer->certificate_len,
                               &answer->opened, why, why_len);
    if (rc)
        return rc;
    const Xiecha__Signed *msg = answer->opened.msg;
    if (msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE
        || !msg->certificate)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "certificate: envelope does not carry a certificate");
    //  Callers print results in query order: the count must match.
    if (msg->certificate->n_results != subjects)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "certificate: %zu results for %zu subjects",
                       msg->certificate->n_results, subjects);
    answer->cert = msg->certificate;
    answer->relation = (int) qr->relation;
    answer->elapsed_ms = qr->elapsed_ms;
    return 0;
}

int
xc_client_query (xc_client_t *self, const xc_query_t *query,
                 xc_answer_t *answer, char *why, size_t why_len)
{
    if (!self || !query || !answer)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    memset (answer, 0, sizeof *answer);

    //  The request points at caller strings, the people block and the
    //  program array.
    s_people_t people;
    int rc = s_people_init (&people, &query->applicant, query->members,
                            query->member_count, why, why_len);
    if (rc)
        return rc;
    size_t n_programs = query->programs ? query->program_count : 0;
    Xiecha__Program *programs = NULL;
    if (n_programs
        && !(programs = (Xiecha__Program *) calloc (n_programs,
                                                    sizeof *programs))) {
        s_people_clear (&people);
        return xc_why (why, why_len, XC_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n_programs; i++)
        programs[i] = (Xiecha__Program) query->programs[i];

    Xiecha__QueryRequest qr = XIECHA__QUERY_REQUEST__INIT;
    qr.home_county = (char *) query->home_county;
    qr.applicant = people.list[0];
    qr.n_members = query->member_count;
    qr.members = query->member_count ? people.list + 1 : NULL;
    qr.n_programs = n_programs;
    qr.programs = programs;
    qr.residence_months = query->residence_months;
    qr.emergency = query->emergency != 0;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    req.query = &qr;

    //  Everything the node would refuse as bad input, refused here before
    //  anything is sent.
    rc = xc_request_check_query (&qr, why, why_len);
    if (rc == 0)
        rc = s_people_normalize (&people, why, why_len);
    Xiecha__ClientReply *reply = NULL;
    if (rc == 0)
        rc = s_call (self, &req, self->timeout_ms,
                     XIECHA__CLIENT_REPLY__BODY_QUERY, &reply, why, why_len);
    if (rc == 0)
        rc = s_fill_answer (self, reply->query, people.count, answer, why,
                            why_len);
    if (reply)
        xiecha__client_reply__free_unpacked (reply, NULL);
    free (programs);
    s_people_clear (&people);
    if (rc)
        xc_answer_free (answer);
    return rc;
}

void
xc_answer_free (xc_answer_t *answer)
{
    if (!answer)
        return;
    xc_opened_free (&answer->opened);
    free (answer->certificate);
    memset (answer, 0, sizeof *answer);
}

int
xc_client_status (xc_client_t *self, Xiecha__StatusReply **status, char *why,
                  size_t why_len)
{
    if (!self || !status)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *status = NULL;
    Xiecha__StatusRequest sr = XIECHA__STATUS_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_STATUS;
    req.status = &sr;
    Xiecha__ClientReply *reply = NULL;
    int rc = s_call (self, &req, self->timeout_ms,
                     XIECHA__CLIENT_REPLY__BODY_STATUS, &reply, why, why_len);
    if (rc)
        return rc;
    if (!reply->status) {
        xiecha__client_reply__free_unpacked (reply, NULL);
        return xc_why (why, why_len, XC_EMALFORMED, "status reply is empty");
    }
    //  Detach the body so freeing the reply leaves it to the caller;
    //  protobuf-c frees a oneof member only when body_case selects it.
    *status = reply->status;
    reply->status = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    return 0;
}

// ---- Roster import --------------------------------------------------------

xc_import_t *
xc_import_new (xc_client_t *client)
{
    if (!client)
        return NULL;
    xc_import_t *self = (xc_import_t *) calloc (1, sizeof *self);
    if (self)
        self->client = client;
    return self;
}

void
xc_import_destroy (xc_import_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->rows);
    free (*self_p);
    *self_p = NULL;
}

int
xc_import_add (xc_import_t *self, const char *id_number, int program,
               uint32_t since, uint32_t until, uint32_t line, char *why,
               size_t why_len)
{
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    Xiecha__RosterRow r = XIECHA__ROSTER_ROW__INIT;
    r.id_number = (char *) id_number;
    r.program = (Xiecha__Program) program;
    r.since = since;
    r.until = until;
    r.line = line;
    int rc = xc_request_check_row (&r, why, why_len);
    if (rc)
        return rc;
    s_row_t row = { .program = (uint8_t) program, .since = since,
                    .until = until, .line = line };
    rc = xc_id_normalize (id_number, "id_number", row.id, why, why_len);
    if (rc)
        return rc;
    if (self->count == self->capacity) {
        size_t cap = self->capacity ? self->capacity * 2 : 1024;
        s_row_t *rows = (s_row_t *) realloc (self->rows, cap * sizeof *rows);
        if (!rows)
            return xc_why (why, why_len, XC_ENOMEM, "out of memory");
        self->rows = rows;
        self->capacity = cap;
    }
    self->rows[self->count++] = row;
    return 0;
}

uint64_t
xc_import_rows (xc_import_t *self)
{
    return self ? self->count : 0;
}

//  One import step with the given rows; returns the reply's ImportReply
//  through *reply (caller frees the ClientReply *holder).
static int
s_import_step (xc_import_t *self, Xiecha__ImportRequest__Step step,
               const ProtobufCBinaryData *import_id, size_t first,
               size_t n, int timeout_ms, Xiecha__ClientReply **holder,
               char *why, size_t why_len)
{
    //  On the heap: a chunk is ~128 KB of structs, too much for the
    //  stack of a thread in a program that links us.
    Xiecha__RosterRow *rows = NULL;
    Xiecha__RosterRow **ptrs = NULL;
    if (n) {
        rows = (Xiecha__RosterRow *) malloc (n * sizeof *rows);
        ptrs = (Xiecha__RosterRow **) malloc (n * sizeof *ptrs);
        if (!rows || !ptrs) {
            free (rows);
            free (ptrs);
            return xc_why (why, why_len, XC_ENOMEM, "out of memory");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const s_row_t *r = &self->rows[first + i];
        xiecha__roster_row__init (&rows[i]);
        rows[i].id_number = (char *) r->id;
        rows[i].program = (Xiecha__Program) r->program;
        rows[i].since = r->since;
        rows[i].until = r->until;
        rows[i].line = r->line;
        ptrs[i] = &rows[i];
    }
    Xiecha__ImportRequest ir = XIECHA__IMPORT_REQUEST__INIT;
    ir.step = step;
    if (import_id)
        ir.import_id = *import_id;
    ir.n_rows = n;
    ir.rows = n ? ptrs : NULL;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_IMPORT;
    req.import = &ir;
    int rc = s_call (self->client, &req, timeout_ms,
                     XIECHA__CLIENT_REPLY__BODY_IMPORT, holder, why, why_len);
    free (rows);
    free (ptrs);
    if (rc == 0 && !(*holder)->import) {
        xiecha__client_reply__free_unpacked (*holder, NULL);
        *holder = NULL;
        rc = xc_why (why, why_len, XC_EMALFORMED, "import reply is empty");
    }
    return rc;
}

//  Sends the staged rows in chunks after BEGIN.  *staged follows the node.
static int
s_import_rows (xc_import_t *self, const ProtobufCBinaryData *import_id,
               xc_progress_fn *progress, void *arg, char *why,
               size_t why_len)
{
    for (size_t sent = 0; sent < self->count;) {
        size_t n = self->count - sent;
        if (n > XC_IMPORT_CHUNK)
            n = XC_IMPORT_CHUNK;
        Xiecha__ClientReply *reply = NULL;
        int rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__ROWS,
                                import_id, sent, n, self->client->timeout_ms,
                                &reply, why, why_len);
        if (rc)
            return rc;
        uint64_t staged = reply->import->rows;
        xiecha__client_reply__free_unpacked (reply, NULL);
        sent += n;
        //  A node that lost rows must not get to commit the rest.
        if (staged != sent)
            return xc_why (why, why_len, XC_EMALFORMED,
                           "node staged %llu rows, %zu were sent",
                           (unsigned long long) staged, sent);
        if (progress)
            progress (sent, self->count, arg);
    }
    return 0;
}

int
xc_import_commit (xc_import_t *self, xc_progress_fn *progress, void *arg,
                  uint64_t *subjects, char *why, size_t why_len)
{
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    xc_client_t *client = self->client;
    Xiecha__ClientReply *reply = NULL;
    ProtobufCBinaryData import_id = { 0, NULL };

    int rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__BEGIN, NULL, 0,
                            0, client->timeout_ms, &reply, why, why_len);
    if (rc)
        return rc;   // nothing staged: nothing to abort
    import_id.len = reply->import->import_id.len;
    import_id.data = (uint8_t *) malloc (import_id.len ? import_id.len : 1);
    if (import_id.data)
        memcpy (import_id.data, reply->import->import_id.data, import_id.len);
    xiecha__client_reply__free_unpacked (reply, NULL);
    reply = NULL;
    if (!import_id.data) {
        rc = xc_why (why, why_len, XC_ENOMEM, "out of memory");
        goto abort;
    }
    if (import_id.len == 0) {
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     "node answered BEGIN without an import id");
        goto abort;
    }
    rc = s_import_rows (self, &import_id, progress, arg, why, why_len);
    if (rc)
        goto abort;

    int commit_timeout = client->timeout_ms > XC_CLIENT_COMMIT_TIMEOUT
                             ? client->timeout_ms
                             : XC_CLIENT_COMMIT_TIMEOUT;
    rc = s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__COMMIT, &import_id,
                        0, 0, commit_timeout, &reply, why, why_len);
    if (rc)
        goto abort;
    if (reply->import->rows != self->count)
        //  Committed already: report, but there is nothing left to abort.
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     "node committed %llu rows, %zu were sent",
                     (unsigned long long) reply->import->rows, self->count);
    if (subjects)
        *subjects = reply->import->subjects;
    xiecha__client_reply__free_unpacked (reply, NULL);
    free (import_id.data);
    return rc;

abort:
    //  Best effort, with our own why buffer so the first failure's
    //  message survives; the node also drops stale staged imports.
    if (import_id.data && import_id.len) {
        char ignored[64];
        Xiecha__ClientReply *r = NULL;
        if (s_import_step (self, XIECHA__IMPORT_REQUEST__STEP__ABORT,
                           &import_id, 0, 0, XC_CLIENT_ABORT_TIMEOUT, &r,
                           ignored, sizeof ignored) == 0)
            xiecha__client_reply__free_unpacked (r, NULL);
    }
    free (import_id.data);
    return rc;
}

// ---- Notices ----------------------------------------------------------------

#define XC_NOTICE_ID_LEN 16
#define XC_NOTICE_WAIT_MARGIN 5000   /* ms for the node beyond wait_ms */

int
xc_client_notice (xc_client_t *self, const xc_notice_t *notice,
                  xc_notice_result_t *result, char *why, size_t why_len)
{
    if (!self || !notice || !result)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    memset (result, 0, sizeof *result);
    if (notice->wait_ms < 0)
        return xc_why (why, why_len, XC_EINVAL, "wait_ms: %d is not 0..%d ms",
                       notice->wait_ms, XC_NOTICE_WAIT_MAX);

    //  As for a query: caller strings and the people block.  Only the
    //  fields of this kind are sent.
    s_people_t people;
    int rc = s_people_init (&people, &notice->applicant, notice->members,
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
        rc = s_people_normalize (&people, why, why_len);
    Xiecha__ClientReply *reply = NULL;
    if (rc == 0) {
        //  The node holds the reply up to wait_ms for the ack: give it
        //  that and a margin, never less than the client's own bound.
        int timeout_ms = notice->wait_ms + XC_NOTICE_WAIT_MARGIN;
        if (timeout_ms < self->timeout_ms)
            timeout_ms = self->timeout_ms;
        rc = s_call (self, &req, timeout_ms,
                     XIECHA__CLIENT_REPLY__BODY_NOTICE, &reply, why, why_len);
    }
    s_people_clear (&people);
    if (rc)
        return rc;
    const Xiecha__NoticeReply *r = reply->notice;
    if (!r)
        rc = xc_why (why, why_len, XC_EMALFORMED, "notice reply is empty");
    else if (r->notice_id.len != XC_NOTICE_ID_LEN)
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     "node at %s answered with a notice id of %zu bytes",
                     self->endpoint, r->notice_id.len);
    else {
        memcpy (result->notice_id, r->notice_id.data, XC_NOTICE_ID_LEN);
        result->delivered = r->delivered ? 1 : 0;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}

int
xc_client_outbox (xc_client_t *self, Xiecha__OutboxReply **outbox,
                  char *why, size_t why_len)
{
    if (!self || !outbox)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *outbox = NULL;
    Xiecha__OutboxRequest orq = XIECHA__OUTBOX_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_OUTBOX;
    req.outbox = &orq;
    Xiecha__ClientReply *reply = NULL;
    int rc = s_call (self, &req, self->timeout_ms,
                     XIECHA__CLIENT_REPLY__BODY_OUTBOX, &reply, why, why_len);
    if (rc)
        return rc;
    if (!reply->outbox) {
        xiecha__client_reply__free_unpacked (reply, NULL);
        return xc_why (why, why_len, XC_EMALFORMED, "outbox reply is empty");
    }
    //  Detached as in xc_client_status.
    *outbox = reply->outbox;
    reply->outbox = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    return 0;
}

// ---- Monthly report ---------------------------------------------------------

int
xc_client_report (xc_client_t *self, const char *month,
                  uint8_t **signed_report, size_t *len, char *why,
                  size_t why_len)
{
    if (!self || !signed_report || !len)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
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
    rc = s_call (self, &req, self->timeout_ms,
                 XIECHA__CLIENT_REPLY__BODY_REPORT, &reply, why, why_len);
    if (rc)
        return rc;
    const ProtobufCBinaryData *b = reply->report
                                       ? &reply->report->signed_report : NULL;
    if (!b || b->len == 0)
        rc = xc_why (why, why_len, XC_EMALFORMED, "report reply is empty");
    else if (!(*signed_report = malloc (b->len)))
        rc = xc_why (why, why_len, XC_ENOMEM, "out of memory");
    else {
        memcpy (*signed_report, b->data, b->len);
        *len = b->len;
    }
    xiecha__client_reply__free_unpacked (reply, NULL);
    return rc;
}
