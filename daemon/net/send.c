/*  send.c - one message out on a socket; see send.h. */
#include "net/send.h"

#include <xiecha/error.h>

int
xc_send (zsock_t *sock, zframe_t *to, const void *data, size_t len)
{
    //  A failed zmq_msg_init_size leaves body half-made: it is never
    //  closed (closing is what crashes), only dropped.
    zmq_msg_t body;
    if (zmq_msg_init_size (&body, len) != 0)
        return XC_ENOMEM;
    if (len)
        memcpy (zmq_msg_data (&body), data, len);
    void *s = zsock_resolve (sock);
    //  A routing id is at most 33 bytes here (ROUTERs make 5): sent
    //  from our buffer in the message itself, without an allocation.
    if ((to && zmq_send (s, zframe_data (to), zframe_size (to), ZMQ_SNDMORE)
                   < 0)
        || zmq_msg_send (&body, s, 0) < 0) {
        zmq_msg_close (&body);
        return XC_EIO;
    }
    return 0;
}
