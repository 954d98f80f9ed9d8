/*  clients.c - replies to township terminals; see clients.h.

    The table holds only terminals with requests outstanding (an entry
    goes when its count reaches 0), so it is as large as the work in
    flight, which the limit bounds per terminal. */
#include "net/clients.h"
#include "net/send.h"

/*  A reply that cannot be built or sent (no memory) is dropped: the
    terminal's own timeout then tells it, and what was stored stays. */
struct _xc_clients_t {
    zsock_t *sock;             /* the client socket; borrowed */
    xc_reactor_t *reactor;     /* told of our sends; borrowed, or NULL */
    uint32_t max;              /* outstanding requests a terminal may have */
    zhashx_t *open;            /* routing id hex -> uint32_t * outstanding */
    uint64_t busy;             /* requests answered busy */
    xc_clients_top_t top[XC_CLIENTS_TOP];  /* refused most, roughly */
};

static void
s_count_free (void **item)
{
    free (*item);
    *item = NULL;
}

xc_clients_t *
xc_clients_new (zsock_t *sock, int max, xc_reactor_t *reactor)
{
    xc_clients_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->sock = sock;
    self->reactor = reactor;
    self->max = max > 0 ? (uint32_t) max : 1;
    self->open = zhashx_new ();
    if (!self->open) {
        free (self);
        return NULL;
    }
    zhashx_set_destructor (self->open, s_count_free);
    return self;
}

void
xc_clients_destroy (xc_clients_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zhashx_destroy (&(*self_p)->open);
    free (*self_p);
    *self_p = NULL;
}

/*  The table's key for a routing id: its hex, whole (a ROUTER's ids are
    at most 255 bytes). */
static void
s_key (zframe_t *to, char key[511])
{
    size_t len = to ? zframe_size (to) : 0;
    if (len > 255)
        len = 255;
    xc_hex (len ? zframe_data (to) : NULL, len, key);
}

/*  The busiest terminals, space-saving style: one not in the list takes
    the place of the least busy and inherits its count, so a steady
    offender cannot be pushed out by passing ones. */
static void
s_top_add (xc_clients_t *self, const char *key)
{
    xc_clients_top_t *least = &self->top[0];
    for (int i = 0; i < XC_CLIENTS_TOP; i++) {
        xc_clients_top_t *t = &self->top[i];
        if (t->busy && strncmp (t->id, key, sizeof t->id - 1) == 0) {
            t->busy++;
            return;
        }
        if (t->busy < least->busy)
            least = t;
    }
    snprintf (least->id, sizeof least->id, "%s", key);
    least->busy++;
}

int
xc_clients_begin (xc_clients_t *self, zframe_t *to)
{
    char key[511];
    s_key (to, key);
    uint32_t *n = zhashx_lookup (self->open, key);
    if (!n) {
        n = calloc (1, sizeof *n);
        if (!n || zhashx_insert (self->open, key, n) != 0) {
            free (n);
            return 0;   /* not counted: our trouble, not the terminal's */
        }
    }
    (*n)++;   /* a busy answer ends it too */
    if (*n <= self->max)
        return 0;
    self->busy++;
    s_top_add (self, key);
    return XC_EBUSY;
}

/*  One of to's requests is answered. */
static void
s_end (xc_clients_t *self, zframe_t *to)
{
    char key[511];
    s_key (to, key);
    uint32_t *n = zhashx_lookup (self->open, key);
    if (n && --*n == 0)
        zhashx_delete (self->open, key);
}

void
xc_clients_send (xc_clients_t *self, zframe_t *to,
                 const ProtobufCBinaryData *request_id,
                 Xiecha__ClientReply *reply)
{
    s_end (self, to);
    reply->request_id = *request_id;
    size_t len = xiecha__client_reply__get_packed_size (reply);
    uint8_t *body = malloc (len ? len : 1);
    if (!body)
        return;
    xiecha__client_reply__pack (reply, body);
    xc_send (self->sock, to, body, len);
    xc_reactor_sent (self->reactor, self->sock);
    free (body);
}

void
xc_clients_forward (xc_clients_t *self, zmsg_t **msg)
{
    zframe_t *to = *msg ? zmsg_first (*msg) : NULL;
    if (to)
        s_end (self, to);
    if (*msg && zmsg_size (*msg) == 2) {
        zmsg_send (msg, self->sock);
        xc_reactor_sent (self->reactor, self->sock);
    }
    zmsg_destroy (msg);
}

void
xc_clients_error (xc_clients_t *self, zframe_t *to,
                  const ProtobufCBinaryData *request_id, int code,
                  int cause, const char *why)
{
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.code = code;
    r.cause = cause;
    r.message = (char *) (why ? why : xc_strerror (code));
    xc_clients_send (self, to, request_id, &r);
}

void
xc_clients_cert (xc_clients_t *self, zframe_t *to,
                 const ProtobufCBinaryData *request_id, const uint8_t *cert,
                 size_t len, const xc_pending_t *p, uint64_t now)
{
    Xiecha__QueryReply q = XIECHA__QUERY_REPLY__INIT;
    q.certificate = (ProtobufCBinaryData) {len, (uint8_t *) cert};
    q.relation = p->relation;
    q.query_id = (ProtobufCBinaryData) {XC_MSGID_LEN, (uint8_t *) p->msg_id};
    q.elapsed_ms = (uint32_t) (now - p->sent_at);
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_QUERY;
    r.query = &q;
    xc_clients_send (self, to, request_id, &r);
}

void
xc_clients_notice (xc_clients_t *self, zframe_t *to,
                   const ProtobufCBinaryData *request_id,
                   const uint8_t *notice_id, uint32_t subjects,
                   int delivered, const uint8_t *ack, size_t ack_len)
{
    Xiecha__NoticeReply n = XIECHA__NOTICE_REPLY__INIT;
    n.notice_id = (ProtobufCBinaryData) {XC_MSGID_LEN, (uint8_t *) notice_id};
    n.subjects = subjects;
    n.delivered = delivered;
    n.ack = (ProtobufCBinaryData) {ack_len, (uint8_t *) ack};
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.body_case = XIECHA__CLIENT_REPLY__BODY_NOTICE;
    r.notice = &n;
    xc_clients_send (self, to, request_id, &r);
}

size_t
xc_clients_stats (const xc_clients_t *self, zframe_t *asker,
                  uint64_t *terminals, uint64_t *at_limit, uint64_t *busy,
                  xc_clients_top_t *top)
{
    char mine[511];
    s_key (asker, mine);
    *terminals = *at_limit = 0;
    zhashx_t *open = self->open;
    for (uint32_t *n = zhashx_first (open); n; n = zhashx_next (open)) {
        uint32_t others = *n - (strcmp (zhashx_cursor (open), mine) == 0);
        *terminals += others > 0;
        *at_limit += others >= self->max;
    }
    *busy = self->busy;
    size_t count = 0;
    for (int i = 0; i < XC_CLIENTS_TOP; i++) {
        if (!self->top[i].busy)
            continue;
        size_t at = count++;   /* busiest first */
        for (; at > 0 && top[at - 1].busy < self->top[i].busy; at--)
            top[at] = top[at - 1];
        top[at] = self->top[i];
    }
    return count;
}
