/*  client_call.c - what every client API call shares: the connection to
    the own node's client socket, one request and one reply over it, and
    the people a query or a notice carries.  The calls themselves live in
    client_query.c, client_import.c, client_notice.c, client_manage.c and
    client_audit.c; xc_client_status, a bare round trip, is here.

    A request is one frame holding a packed ClientRequest with a random
    request_id; the node answers one frame holding a ClientReply with the
    same id.  A reply with another id is a leftover of an earlier request
    that timed out, and is dropped.  Nothing here signs or verifies: the
    local hop is protected by the socket (IPC file mode, or CURVE on TCP),
    and the node has verified the certificate before handing it over. */
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include <czmq.h>

#include "xiecha/text.h"
#include "xiecha/xiecha.h"
#include "client_call.h"

#define XC_CLIENT_TIMEOUT 10000         /* default bound per call, ms */
#define XC_CLIENT_LINGER 200            /* lets a last ABORT leave on exit */
/*  What the node's client socket takes (net/transport.c): a request of
    10,000 people with names fits in an eighth of it. */
#define XC_CLIENT_MAXREQUEST (8 * 1024 * 1024)
#define XC_REQUEST_ID_LEN 16

// ---- The connection --------------------------------------------------------

struct _xc_client_t {
    zsock_t *sock;        /* DEALER connected to the node's client socket */
    zpoller_t *poller;    /* waits on sock with a deadline */
    char *endpoint;       /* as given, for messages */
    int timeout_ms;       /* bound on one request/reply round trip */
    int cause;            /* the last failed call's cause (xc_client_cause) */
    bool curve;           /* a terminal over CURVE (for messages) */
};

/*  The terminal's keys on sock, before it connects. */
static int
s_curve (zsock_t *sock, const xc_client_config_t *config, char *why,
         size_t why_len)
{
    uint8_t key[32];
    if (strlen (config->server_key) != 40
        || !zmq_z85_decode (key, config->server_key))
        return xc_why (why, why_len, XC_ECONFIG, _("server_key: not a "
                         "40-character Z85 CURVE key"));
    zcert_t *cert = zcert_load (config->secret_key);
    if (!cert || zcert_secret_txt (cert)[0] == '\0'
        || strspn (zcert_secret_txt (cert), "0") == 40) {
        zcert_destroy (&cert);
        return xc_why (why, why_len, XC_EKEY, _("secret_key %s: cannot read "
                         "a CURVE secret key (xiecha keygen --terminal)"),
                       config->secret_key);
    }
    zcert_apply (cert, sock);
    zcert_destroy (&cert);
    zsock_set_curve_serverkey (sock, config->server_key);
    return 0;
}

static xc_client_t *
s_open (const char *endpoint, const xc_client_config_t *config,
        int timeout_ms, char *why, size_t why_len)
{
    if (!endpoint || !*endpoint) {
        xc_why (why, why_len, XC_EINVAL, _("endpoint: missing"));
        return NULL;
    }
    xc_client_t *self = (xc_client_t *) calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
        return NULL;
    }
    self->timeout_ms = timeout_ms > 0 ? timeout_ms : XC_CLIENT_TIMEOUT;
    self->endpoint = strdup (endpoint);
    self->sock = zsock_new (ZMQ_DEALER);
    if (!self->endpoint || !self->sock) {
        xc_why (why, why_len, XC_EIO, _("cannot create a ZeroMQ socket"));
        goto fail;
    }
    //  Options first: libzmq copies them into each connection when it is
    //  made, so setting them after connect would not apply.
    zsock_set_linger (self->sock, XC_CLIENT_LINGER);
    //  A reply may carry a certificate of as many subjects as any node
    //  may answer (wire.h), and a little more.
    zsock_set_maxmsgsize (self->sock, (int) (xc_wire_message_max (
                                          XC_SUBJECTS_CEILING)
                                      + XC_MAX_MESSAGE));
    zsock_set_sndtimeo (self->sock, self->timeout_ms);
    self->curve = config != NULL;
    if (config && s_curve (self->sock, config, why, why_len) != 0)
        goto fail;
    if (zsock_connect (self->sock, "%s", endpoint) != 0) {
        xc_why (why, why_len, XC_EINVAL, _("endpoint %s: cannot connect (%s)"),
                endpoint, zmq_strerror (zmq_errno ()));
        goto fail;
    }
    self->poller = zpoller_new (self->sock, NULL);
    if (!self->poller) {
        xc_why (why, why_len, XC_EIO, _("cannot create a poller"));
        goto fail;
    }
    return self;
fail:
    xc_client_destroy (&self);
    return NULL;
}

xc_client_t *
xc_client_new (const char *endpoint, int timeout_ms, char *why,
               size_t why_len)
{
    return s_open (endpoint, NULL, timeout_ms, why, why_len);
}

xc_client_t *
xc_client_new_terminal (const xc_client_config_t *config, int timeout_ms,
                        char *why, size_t why_len)
{
    return s_open (config->endpoint, config, timeout_ms, why, why_len);
}

/*  key of root into out[len]; 0, or XC_ECONFIG naming file and key. */
static int
s_config_text (zconfig_t *root, const char *path, const char *key,
               char *out, size_t len, char *why, size_t why_len)
{
    const char *v = zconfig_get (root, key, NULL);
    if (!v || !*v)
        return xc_why (why, why_len, XC_ECONFIG, _("%s: %s: missing"), path,
                       key);
    if ((size_t) snprintf (out, len, "%s", v) >= len)
        return xc_why (why, why_len, XC_ECONFIG, _("%s: %s: too long"), path,
                       key);
    return 0;
}

int
xc_client_config_load (const char *path, xc_client_config_t *config,
                       char *why, size_t why_len)
{
    memset (config, 0, sizeof *config);
    /* Read as text: zconfig_load leaks on a file that is not ZPL. */
    zchunk_t *chunk = zchunk_slurp (path, 65536);
    zconfig_t *root = chunk ? zconfig_chunk_load (chunk) : NULL;
    zchunk_destroy (&chunk);
    if (!root)
        return xc_why (why, why_len, XC_ECONFIG, _("%s: cannot read or parse "
                         "the client configuration"), path);
    char key[sizeof config->secret_key];
    int rc = s_config_text (root, path, "client/endpoint", config->endpoint,
                            sizeof config->endpoint, why, why_len);
    rc = rc ? rc : s_config_text (root, path, "client/server_key",
                                  config->server_key,
                                  sizeof config->server_key, why, why_len);
    rc = rc ? rc : s_config_text (root, path, "client/secret_key", key,
                                  sizeof key, why, why_len);
    zconfig_destroy (&root);
    if (rc)
        return rc;
    //  Relative to the file, as the daemon reads its own paths.
    char copy[sizeof config->secret_key];
    snprintf (copy, sizeof copy, "%s", path);
    const char *dir = dirname (copy);
    int n = key[0] == '/' ? snprintf (config->secret_key,
                                      sizeof config->secret_key, "%s", key)
                          : snprintf (config->secret_key,
                                      sizeof config->secret_key, "%s/%s",
                                      dir, key);
    if (n < 0 || (size_t) n >= sizeof config->secret_key)
        return xc_why (why, why_len, XC_ECONFIG, _("%s: client/secret_key: "
                         "too long"), path);
    return 0;
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
    if (len > XC_CLIENT_MAXREQUEST)
        return xc_why (why, why_len, XC_ETOOBIG,
                       _("request of %zu bytes exceeds %d"), len,
                       XC_CLIENT_MAXREQUEST);
    zframe_t *frame = zframe_new (NULL, len);
    if (!frame)
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    xiecha__client_request__pack (req, zframe_data (frame));
    if (zframe_send (&frame, self->sock, 0) != 0) {
        zframe_destroy (&frame);
        return xc_why (why, why_len, XC_ETIMEOUT,
                       _("node at %s did not take the request within %d ms"),
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
                return xc_why (why, why_len, XC_EIO, _("interrupted"));
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
                   _("node at %s did not answer within %d ms%s"), self->endpoint,
                   timeout_ms, self->curve ? " (is this terminal's key in "
                   "the node's terminal list, valid and not revoked, and "
                   "server_key the node's CURVE key?)" : "");
}

//  One round trip.  Stamps req with a fresh request_id, and turns a
//  refusal by the node (code != 0) into its code and message.  On success
//  the reply's body matches `expect` and *reply is the caller's.
int
xc_client_call_within (xc_client_t *self, Xiecha__ClientRequest *req,
                       int timeout_ms, Xiecha__ClientReply__BodyCase expect,
                       Xiecha__ClientReply **reply, char *why,
                       size_t why_len)
{
    uint8_t request_id[XC_REQUEST_ID_LEN];
    xc_random (request_id, sizeof request_id);
    req->request_id.data = request_id;
    req->request_id.len = sizeof request_id;
    *reply = NULL;
    self->cause = 0;

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
        self->cause = r->cause < 0 && xc_error_name (r->cause) ? r->cause : 0;
    }
    else if (r->body_case != expect)
        rc = xc_why (why, why_len, XC_EMALFORMED,
                     _("node at %s answered with the wrong reply type %d"),
                     self->endpoint, (int) r->body_case);
    if (rc) {
        xiecha__client_reply__free_unpacked (r, NULL);
        *reply = NULL;
    }
    return rc;
}

int
xc_client_cause (const xc_client_t *self)
{
    return self ? self->cause : 0;
}

int
xc_client_call (xc_client_t *self, Xiecha__ClientRequest *req,
                Xiecha__ClientReply__BodyCase expect,
                Xiecha__ClientReply **reply, char *why, size_t why_len)
{
    return xc_client_call_within (self, req, self->timeout_ms, expect, reply,
                                  why, why_len);
}

int
xc_client_timeout (const xc_client_t *self)
{
    return self->timeout_ms;
}

const char *
xc_client_endpoint (const xc_client_t *self)
{
    return self->endpoint;
}

// ---- The people of a request -----------------------------------------------

//  One block: count pointers, then the count structs they point at.
int
xc_people_init (xc_people_t *self, const xc_person_t *applicant,
                const xc_person_t *members, size_t member_count, char *why,
                size_t why_len)
{
    memset (self, 0, sizeof *self);
    if (member_count && !members)
        return xc_why (why, why_len, XC_EINVAL, _("members: missing"));
    size_t one = sizeof (Xiecha__Person *) + sizeof (Xiecha__Person);
    if (member_count >= SIZE_MAX / one)
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    self->count = member_count + 1;
    self->list = (Xiecha__Person **) calloc (self->count, one);
    self->norm = calloc (self->count, sizeof *self->norm);
    if (!self->list || !self->norm)
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
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

int
xc_people_normalize (xc_people_t *self, char *why, size_t why_len)
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

void
xc_people_clear (xc_people_t *self)
{
    free (self->list);
    if (self->norm)
        explicit_bzero (self->norm, self->count * sizeof *self->norm);
    free (self->norm);
    self->list = NULL;
    self->norm = NULL;
    self->count = 0;
}

// ---- Status ----------------------------------------------------------------

int
xc_client_status (xc_client_t *self, Xiecha__StatusReply **status, char *why,
                  size_t why_len)
{
    if (!self || !status)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *status = NULL;
    Xiecha__StatusRequest sr = XIECHA__STATUS_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_STATUS;
    req.status = &sr;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_STATUS,
                             &reply, why, why_len);
    if (rc)
        return rc;
    if (!reply->status) {
        xiecha__client_reply__free_unpacked (reply, NULL);
        return xc_why (why, why_len, XC_EMALFORMED, _("status reply is empty"));
    }
    //  Detach the body so freeing the reply leaves it to the caller;
    //  protobuf-c frees a oneof member only when body_case selects it.
    *status = reply->status;
    reply->status = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    return 0;
}

int
xc_client_reload (xc_client_t *self, Xiecha__ReloadReply **out, char *why,
                  size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *out = NULL;
    Xiecha__ReloadRequest rr = XIECHA__RELOAD_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_RELOAD;
    req.reload = &rr;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_RELOAD,
                             &reply, why, why_len);
    if (rc)
        return rc;
    *out = reply->reload;
    reply->reload = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out || !(*out)->trust || !(*out)->terminals || !(*out)->policy) {
        xiecha__reload_reply__free_unpacked (*out, NULL);
        *out = NULL;
        return xc_why (why, why_len, XC_EMALFORMED, "reload reply is "
                       "incomplete");
    }
    return 0;
}

int
xc_client_backup (xc_client_t *self, Xiecha__BackupReply **out, char *why,
                  size_t why_len)
{
    if (!self || !out)
        return xc_why (why, why_len, XC_EINVAL, "missing argument");
    *out = NULL;
    Xiecha__BackupRequest br = XIECHA__BACKUP_REQUEST__INIT;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_BACKUP;
    req.backup = &br;
    Xiecha__ClientReply *reply = NULL;
    int rc = xc_client_call (self, &req, XIECHA__CLIENT_REPLY__BODY_BACKUP,
                             &reply, why, why_len);
    if (rc)
        return rc;
    *out = reply->backup;
    reply->backup = NULL;
    reply->body_case = XIECHA__CLIENT_REPLY__BODY__NOT_SET;
    xiecha__client_reply__free_unpacked (reply, NULL);
    if (!*out || !(*out)->data_dir || !(*out)->data_dir[0]
        || !(*out)->checkpoint_entry) {
        xiecha__backup_reply__free_unpacked (*out, NULL);
        *out = NULL;
        return xc_why (why, why_len, XC_EMALFORMED, "backup reply is "
                       "incomplete");
    }
    return 0;
}
