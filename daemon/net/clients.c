/*  clients.c - replies to township terminals; see clients.h. */
#include "net/clients.h"
#include "net/send.h"

/*  A reply that cannot be built or sent (no memory) is dropped: the
    terminal's own timeout then tells it, and what was stored stays. */
void
xc_clients_send (zsock_t *sock, zframe_t *to,
                 const ProtobufCBinaryData *request_id,
                 Xiecha__ClientReply *reply)
{
    reply->request_id = *request_id;
    size_t len = xiecha__client_reply__get_packed_size (reply);
    uint8_t *body = malloc (len ? len : 1);
    if (!body)
        return;
    xiecha__client_reply__pack (reply, body);
    xc_send (sock, to, body, len);
    free (body);
}

void
xc_clients_error (zsock_t *sock, zframe_t *to,
                  const ProtobufCBinaryData *request_id, int code,
                  int cause, const char *why)
{
    Xiecha__ClientReply r = XIECHA__CLIENT_REPLY__INIT;
    r.code = code;
    r.cause = cause;
    r.message = (char *) (why ? why : xc_strerror (code));
    xc_clients_send (sock, to, request_id, &r);
}

void
xc_clients_cert (zsock_t *sock, zframe_t *to,
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
    xc_clients_send (sock, to, request_id, &r);
}

void
xc_clients_notice (zsock_t *sock, zframe_t *to,
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
    xc_clients_send (sock, to, request_id, &r);
}
