/*  client_call.h - libxiecha's one request/reply round trip, for the
    client API calls that live outside client.c (client_manage.c).  Not
    installed: township systems use the calls in client.h. */
#ifndef XIECHA_CLIENT_CALL_H
#define XIECHA_CLIENT_CALL_H

#include "xiecha/xiecha.h"

/*  Sends req with a fresh request_id and waits (the client's timeout) for
    its reply.  A refusal by the node becomes its code, with the node's
    message in why; on success the reply's body is `expect` and *reply is
    the caller's (xiecha__client_reply__free_unpacked). */
int xc_client_call (xc_client_t *self, Xiecha__ClientRequest *req,
                    Xiecha__ClientReply__BodyCase expect,
                    Xiecha__ClientReply **reply, char *why, size_t why_len);

#endif
