/*  client_call.h - what the files of libxiecha's client API share
    (client_call.c): one request/reply round trip with the own node, and
    the people a query or notice carries.  Not installed: township systems
    use the calls in client.h. */
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

/*  xc_client_call waiting timeout_ms instead (an import commit, a notice
    whose ack the node holds the reply for). */
int xc_client_call_within (xc_client_t *self, Xiecha__ClientRequest *req,
                           int timeout_ms,
                           Xiecha__ClientReply__BodyCase expect,
                           Xiecha__ClientReply **reply, char *why,
                           size_t why_len);

/*  The client's bound on one round trip, ms, and its endpoint as given
    (for messages). */
int xc_client_timeout (const xc_client_t *self);
const char *xc_client_endpoint (const xc_client_t *self);

/*  The people of a query or notice as the request carries them: the
    applicant, then the members, pointing at the caller's strings until
    xc_people_normalize points their IDs at norm. */
typedef struct {
    Xiecha__Person **list;   /* count pointers (one block with the structs) */
    size_t count;            /* 1 + members */
    char (*norm)[XC_ID_LEN + 1];  /* [count] normal forms, checked */
} xc_people_t;

/*  Builds the people from the caller's structs: XC_EINVAL ("members:
    missing") when member_count is set without members, XC_ENOMEM.  The
    rules are the request's (xiecha/request.h), checked on the request
    these people go into.  Call xc_people_clear in any case. */
int xc_people_init (xc_people_t *self, const xc_person_t *applicant,
                    const xc_person_t *members, size_t member_count,
                    char *why, size_t why_len);

/*  Once the request passed its check (request.h): puts
    each ID in its normal form, the form sent. */
int xc_people_normalize (xc_people_t *self, char *why, size_t why_len);

/*  Frees the block and wipes the normalised IDs; harmless twice. */
void xc_people_clear (xc_people_t *self);

#endif
