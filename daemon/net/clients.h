/*  clients.h - replies to township terminals on the client socket.

    Every reply is [routing id][ClientReply] with the request's id echoed,
    so a terminal matches it to what it asked. */
#ifndef XIECHAD_CLIENTS_H
#define XIECHAD_CLIENTS_H

#include <czmq.h>

#include "decide/query.h"
#include "xiecha/xiecha.h"

/*  Sends reply to the terminal whose routing id is to, echoing
    request_id. */
void xc_clients_send (zsock_t *sock, zframe_t *to,
                      const ProtobufCBinaryData *request_id,
                      Xiecha__ClientReply *reply);

/*  An error reply: code, cause (XC_EANSWER: why the answer was refused;
    else 0) and why (xc_strerror (code) when NULL). */
void xc_clients_error (zsock_t *sock, zframe_t *to,
                       const ProtobufCBinaryData *request_id, int code,
                       int cause, const char *why);

/*  A certificate for the query pending, now elapsed since it was sent. */
void xc_clients_cert (zsock_t *sock, zframe_t *to,
                      const ProtobufCBinaryData *request_id,
                      const uint8_t *cert, size_t len,
                      const xc_pending_t *pending, uint64_t now);

/*  A notice's state: queued (delivered 0), or acknowledged (delivered 1,
    with the ack envelope when the registration node sent one); subjects
    is how many people it covers. */
void xc_clients_notice (zsock_t *sock, zframe_t *to,
                        const ProtobufCBinaryData *request_id,
                        const uint8_t *notice_id, uint32_t subjects,
                        int delivered, const uint8_t *ack, size_t ack_len);

#endif
