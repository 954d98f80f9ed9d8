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

//  Checks one person's fields and writes the normalised ID.
static int
s_check_person (const xc_person_t *p, const char *field, char *norm,
                char *why, size_t why_len)
{
    char name[48];
    snprintf (name, sizeof name, "%s.id_number", field);
    int rc = xc_id_normalize (p->id_number, name, norm, why, why_len);
    if (rc)
        return rc;
    if (!p->name || !*p->name)
        return xc_why (why, why_len, XC_EINVAL, "%s.name: missing", field);
    return 0;
}

//  Checks the applicant and members, each a different person, and the
//  registration county.  norms[i] receives person i's ID (0: applicant).
static int
s_check_household (const xc_person_t *applicant, const xc_person_t *members,
                   size_t member_count, const char *home_county,
                   char (*norms)[XC_ID_LEN + 1], char *why, size_t why_len)
{
    if (member_count + 1 > XC_MAX_SUBJECTS)
        return xc_why (why, why_len, XC_EINVAL,
                       "members: at most %d household members",
                       XC_MAX_SUBJECTS - 1);
    if (member_count && !members)
        return xc_why (why, why_len, XC_EINVAL, "members: missing");
    int rc = s_check_person (applicant, "applicant", norms[0], why, why_len);
    for (size_t i = 0; rc == 0 && i < member_count; i++) {
        char field[32];
        snprintf (field, sizeof field, "members[%zu]", i);
        rc = s_check_person (&members[i], field, norms[i + 1], why, why_len);
        for (size_t j = 0; rc == 0 && j <= i; j++)
            if (strcmp (norms[j], norms[i + 1]) == 0)
                rc = xc_why (why, why_len, XC_EINVAL,
                             "%s.id_number: same person as %s", field,
                             j ? "another member" : "the applicant");
    }
    if (rc)
        return rc;
    if (!home_county || !xc_code_valid (home_county))
        return xc_why (why, why_len, XC_EINVAL,
                       "home_county: '%s' is not a division code (6 digits, "
                       "province 11..82)",
                       home_county ? home_county : "");
    return 0;
}

//  Fills people[0..member_count] from the normalised IDs and the caller's
//  names, and ptrs[i] = &people[i]; nothing to free.
static void
s_fill_people (const xc_person_t *applicant, const xc_person_t *members,
               size_t member_count, char (*norms)[XC_ID_LEN + 1],
               Xiecha__Person *people, Xiecha__Person **ptrs)
{
    for (size_t i = 0; i <= member_count; i++) {
        const xc_person_t *p = i ? &members[i - 1] : applicant;
        xiecha__person__init (&people[i]);
        people[i].id_number = norms[i];
        people[i].name = (char *) p->name;
        people[i].has_permit = p->has_permit != 0;
        people[i].permit_months = p->permit_months;
        ptrs[i] = &people[i];
    }
}

//  Everything the node would refuse, refused here before anything is
//  sent, with the field named.  norms[i] receives person i's ID.
static int
s_check_query (const xc_query_t *q, char (*norms)[XC_ID_LEN + 1],
               char *why, size_t why_len)
{
    int rc = s_check_household (&q->applicant, q->members, q->member_count,
                                q->home_county, norms, why, why_len);
    if (rc)
        return rc;
    if (q->program_count == 0 || !q->programs)
        return xc_why (why, why_len, XC_EINVAL,
                       "programs: at least one program is required");
    for (size_t i = 0; i < q->program_count; i++) {
        int p = q->programs[i];
        if (p < XIECHA__PROGRAM__DIBAO || p > XIECHA__PROGRAM__TEMP)
            return xc_why (why, why_len, XC_EINVAL,
                           "programs[%zu]: unknown program %d", i, p);
        for (size_t j = 0; j < i; j++)
            if (q->programs[j] == p)
                return xc_why (why, why_len, XC_EINVAL,
                               "programs[%zu]: %s listed twice", i,
                               xc_program_name (p));
    }
    return 0;
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

    char norms[XC_MAX_SUBJECTS][XC_ID_LEN + 1];
    int rc = s_check_query (query, norms, why, why_len);
    if (rc)
        return rc;

    //  The request points at caller strings and stack copies: nothing to
    //  free but the member array.
    size_t members = query->member_count;
    Xiecha__Person people[XC_MAX_SUBJECTS];
    Xiecha__Person *member_ptrs[XC_MAX_SUBJECTS];
    s_fill_people (&query->applicant, query->members, members, norms, people,
                   member_ptrs);
    //  s_check_query refused unknown and repeated programs: at most 5.
    Xiecha__Program programs[XIECHA__PROGRAM__TEMP];
    for (size_t i = 0; i < query->program_count; i++)
        programs[i] = (Xiecha__Program) query->programs[i];

    Xiecha__QueryRequest qr = XIECHA__QUERY_REQUEST__INIT;
    qr.home_county = (char *) query->home_county;
    qr.applicant = &people[0];
    qr.n_members = members;
    qr.members = members ? &member_ptrs[1] : NULL;
    qr.n_programs = query->program_count;
    qr.programs = programs;
    qr.residence_months = query->residence_months;
    qr.emergency = query->emergency != 0;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    req.query = &qr;

    Xiecha__ClientReply *reply = NULL;
    rc = s_call (self, &req, self->timeout_ms, XIECHA__CLIENT_REPLY__BODY_QUERY,
                 &reply, why, why_len);
    if (rc == 0)
        rc = s_fill_answer (self, reply->query, members + 1, answer, why,
                            why_len);
    if (reply)
        xiecha__client_reply__free_unpacked (reply, NULL);
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

//  A YYYYMMDD integer that is a real calendar date.
static bool
s_date_valid (uint32_t yyyymmdd)
{
    char text[16];
    uint32_t back = 0;
    snprintf (text, sizeof text, "%08u", (unsigned) yyyymmdd);
    return yyyymmdd >= 19000101 && yyyymmdd <= 99991231
           && xc_date_parse (text, &back) == 0 && back == yyyymmdd;
}

int
xc_import_add (xc_import_t *self, const char *id_number, int program,
               uint32_t since, uint32_t until, uint32_t line, char *why,
               size_t why_len)
{
    if (!self)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    s_row_t row = { .program = (uint8_t) program, .since = since,
                    .until = until, .line = line };
    int rc = xc_id_normalize (id_number, "id_number", row.id, why, why_len);
    if (rc)
        return rc;
    if (program < XIECHA__PROGRAM__DIBAO || program > XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EINVAL,
                       "program: unknown program %d", program);
    if (!s_date_valid (since))
        return xc_why (why, why_len, XC_EINVAL,
                       "since: %u is not a calendar date", (unsigned) since);
    if (until && !s_date_valid (until))
        return xc_why (why, why_len, XC_EINVAL,
                       "until: %u is not a calendar date", (unsigned) until);
    if (until && until < since)
        return xc_why (why, why_len, XC_EINVAL,
                       "until: %04u-%02u-%02u is before since %04u-%02u-%02u",
                       until / 10000, until / 100 % 100, until % 100,
                       since / 10000, since / 100 % 100, since % 100);
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
#define XC_NOTICE_WAIT_MAX 3600000   /* ms; the reply is held this long */
#define XC_NOTICE_WAIT_MARGIN 5000   /* ms for the node beyond wait_ms */
#define XC_AID_REASON_MAX 64         /* bytes of the category text */
#define XC_AMOUNT_BANDS 5

//  A date field that must be set and be a real calendar date.
static int
s_check_date (uint32_t date, const char *field, char *why, size_t why_len)
{
    if (date == 0)
        return xc_why (why, why_len, XC_EINVAL, "%s: missing", field);
    if (!s_date_valid (date))
        return xc_why (why, why_len, XC_EINVAL,
                       "%s: %u is not a calendar date", field,
                       (unsigned) date);
    return 0;
}

//  Everything the node would refuse as bad input, refused here with the
//  field named.  *program receives the program to send (TEMP for
//  emergency aid when the caller left it 0).
static int
s_check_notice (const xc_notice_t *n, char (*norms)[XC_ID_LEN + 1],
                int *program, char *why, size_t why_len)
{
    if (n->kind < XIECHA__NOTICE_KIND__ENROLLMENT
        || n->kind > XIECHA__NOTICE_KIND__EMERGENCY_AID)
        return xc_why (why, why_len, XC_EINVAL, "kind: unknown notice kind %d",
                       n->kind);
    int rc = s_check_household (&n->applicant, n->members, n->member_count,
                                n->home_county, norms, why, why_len);
    if (rc)
        return rc;

    *program = n->program;
    if (n->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        if (*program == XIECHA__PROGRAM__PROGRAM_UNSPECIFIED)
            *program = XIECHA__PROGRAM__TEMP;
        if (*program != XIECHA__PROGRAM__TEMP)
            return xc_why (why, why_len, XC_EINVAL,
                           "program: emergency aid is always TEMP, got %s",
                           xc_program_name (*program));
    }
    else if (*program == XIECHA__PROGRAM__PROGRAM_UNSPECIFIED)
        return xc_why (why, why_len, XC_EINVAL, "program: missing");
    else if (*program < XIECHA__PROGRAM__DIBAO
             || *program > XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EINVAL, "program: unknown program %d",
                       *program);

    if (n->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        rc = s_check_date (n->end_date, "end_date", why, why_len);
        if (rc)
            return rc;
        if (n->reason == XIECHA__TERMINATION_REASON__REASON_UNSPECIFIED)
            return xc_why (why, why_len, XC_EINVAL, "reason: missing");
        if (n->reason < XIECHA__TERMINATION_REASON__MOVED_AWAY
            || n->reason > XIECHA__TERMINATION_REASON__OTHER)
            return xc_why (why, why_len, XC_EINVAL,
                           "reason: unknown termination reason %d", n->reason);
    }
    else {
        rc = s_check_date (n->start_date, "start_date", why, why_len);
        if (rc)
            return rc;
    }

    if (n->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        if (n->amount_band < 1 || n->amount_band > XC_AMOUNT_BANDS)
            return xc_why (why, why_len, XC_EINVAL,
                           "amount_band: %u is not a band (1..%d)",
                           (unsigned) n->amount_band, XC_AMOUNT_BANDS);
        if (!n->aid_reason || !*n->aid_reason)
            return xc_why (why, why_len, XC_EINVAL, "aid_reason: missing");
        if (strlen (n->aid_reason) > XC_AID_REASON_MAX)
            return xc_why (why, why_len, XC_EINVAL,
                           "aid_reason: longer than %d bytes",
                           XC_AID_REASON_MAX);
    }

    if (n->wait_ms < 0 || n->wait_ms > XC_NOTICE_WAIT_MAX)
        return xc_why (why, why_len, XC_EINVAL,
                       "wait_ms: %d is not 0..%d ms", n->wait_ms,
                       XC_NOTICE_WAIT_MAX);
    return 0;
}

int
xc_client_notice (xc_client_t *self, const xc_notice_t *notice,
                  xc_notice_result_t *result, char *why, size_t why_len)
{
    if (!self || !notice || !result)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    memset (result, 0, sizeof *result);

    char norms[XC_MAX_SUBJECTS][XC_ID_LEN + 1];
    int program = 0;
    int rc = s_check_notice (notice, norms, &program, why, why_len);
    if (rc)
        return rc;

    //  As for a query: caller strings and stack copies, nothing to free.
    //  Only the fields of this kind are sent.
    size_t members = notice->member_count;
    Xiecha__Person people[XC_MAX_SUBJECTS];
    Xiecha__Person *member_ptrs[XC_MAX_SUBJECTS];
    s_fill_people (&notice->applicant, notice->members, members, norms, people,
                   member_ptrs);
    Xiecha__NoticeRequest nr = XIECHA__NOTICE_REQUEST__INIT;
    nr.kind = (Xiecha__NoticeKind) notice->kind;
    nr.home_county = (char *) notice->home_county;
    nr.applicant = &people[0];
    nr.n_members = members;
    nr.members = members ? &member_ptrs[1] : NULL;
    nr.program = (Xiecha__Program) program;
    if (notice->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        nr.end_date = notice->end_date;
        nr.reason = (Xiecha__TerminationReason) notice->reason;
    }
    else
        nr.start_date = notice->start_date;
    if (notice->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        nr.amount_band = notice->amount_band;
        nr.aid_reason = (char *) notice->aid_reason;
    }
    nr.wait_ms = (uint32_t) notice->wait_ms;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_NOTICE;
    req.notice = &nr;

    //  The node holds the reply up to wait_ms for the ack: give it that
    //  and a margin, never less than the client's own bound.
    int timeout_ms = notice->wait_ms + XC_NOTICE_WAIT_MARGIN;
    if (timeout_ms < self->timeout_ms)
        timeout_ms = self->timeout_ms;
    Xiecha__ClientReply *reply = NULL;
    rc = s_call (self, &req, timeout_ms, XIECHA__CLIENT_REPLY__BODY_NOTICE,
                 &reply, why, why_len);
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
