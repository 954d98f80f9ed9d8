/*  worker.c - the back office thread (worker.h).

    A job enters in s_job with the function the request table named for
    it (office/jobs.h), runs in s_run with its own read transaction, and
    leaves as a packed ClientReply on the pipe.  Nothing here writes the
    store. */
#include "net/worker.h"

#include <xiecha/error.h>

#include "node/log.h"

struct _xc_worker_t {
    zactor_t *actor;
    size_t queued;             /* submitted, reply not yet received */
    xc_node_t *node;           /* borrowed; read by the thread */
    _Atomic int stopping;      /* set by destroy: skip the queued jobs */
};

/* --------------------------------------------------------------------------
   The thread
   -------------------------------------------------------------------------- */

/*  Runs job for req in one read transaction, bracketed so that the
    reactor never remaps the file under it (store.h). */
static zframe_t *
s_run (xc_node_t *node, xc_job_fn *job, const Xiecha__ClientRequest *req)
{
    xc_store_share_begin (node->store);
    MDB_txn *txn = NULL;
    zframe_t *f;
    if (xc_store_read (node->store, &txn) != 0)
        f = xc_jobs_error (req, XC_ESTORE, "cannot read the audit log");
    else
        f = job (node, txn, req);
    if (txn)
        mdb_txn_abort (txn);
    xc_store_share_end (node->store);
    return f;
}

/*  msg is [routing id][ClientRequest][job], already checked by the
    reactor.  The routing id goes back with the reply, which is the whole
    answer. */
static void
s_job (xc_node_t *node, zsock_t *pipe, zmsg_t *msg)
{
    zframe_t *id = zmsg_pop (msg);
    zframe_t *body = zmsg_pop (msg);
    xc_job_fn *job = NULL;
    zframe_t *fn = zmsg_pop (msg);
    if (fn && zframe_size (fn) == sizeof job)
        memcpy (&job, zframe_data (fn), sizeof job);
    zframe_destroy (&fn);
    Xiecha__ClientRequest *req =
        body ? xiecha__client_request__unpack (NULL, zframe_size (body),
                                               zframe_data (body))
             : NULL;
    zframe_t *reply = NULL;
    if (req && job)
        reply = s_run (node, job, req);
    else
        xc_err ("worker: job without a ClientRequest or a function");
    zmsg_t *out = zmsg_new ();
    zmsg_append (out, &id);
    if (reply)
        zmsg_append (out, &reply);
    //  Always answer, even with only the id: the reactor counts replies.
    zmsg_send (&out, pipe);
    if (req)
        xiecha__client_request__free_unpacked (req, NULL);
    zframe_destroy (&body);
    zframe_destroy (&id);
}

static void
s_actor (zsock_t *pipe, void *arg)
{
    xc_worker_t *self = arg;
    zsock_signal (pipe, 0);
    while (true) {
        zmsg_t *msg = zmsg_recv (pipe);
        if (!msg)
            break;                       /* interrupted */
        if (zmsg_size (msg) == 1) {      /* "$TERM" from zactor_destroy */
            zmsg_destroy (&msg);
            break;
        }
        //  The stop message waits behind the queued jobs: once destroy
        //  has begun, they are dropped rather than run (their terminals
        //  time out), so a stop waits for the job in hand only.
        if (!self->stopping)
            s_job (self->node, pipe, msg);
        zmsg_destroy (&msg);
    }
}

/* --------------------------------------------------------------------------
   The reactor's side
   -------------------------------------------------------------------------- */

xc_worker_t *
xc_worker_new (xc_node_t *node)
{
    xc_worker_t *self = calloc (1, sizeof *self);
    if (self) {
        self->node = node;
        self->actor = zactor_new (s_actor, self);
    }
    if (!self || !self->actor) {
        free (self);
        return NULL;
    }
    return self;
}

void
xc_worker_destroy (xc_worker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    (*self_p)->stopping = 1;
    zactor_destroy (&(*self_p)->actor);
    free (*self_p);
    *self_p = NULL;
}

int
xc_worker_submit (xc_worker_t *self, zmsg_t **msg, xc_job_fn *job)
{
    if (self->queued >= XC_WORKER_QUEUE)
        return XC_EFULL;
    if (zmsg_addmem (*msg, &job, sizeof job) != 0)
        return XC_ENOMEM;
    if (zmsg_send (msg, self->actor) != 0)
        return XC_EIO;
    self->queued++;
    return 0;
}

zsock_t *
xc_worker_sock (xc_worker_t *self)
{
    return zactor_sock (self->actor);
}

zmsg_t *
xc_worker_recv (xc_worker_t *self)
{
    zmsg_t *msg = zmsg_recv (self->actor);
    if (msg && self->queued > 0)
        self->queued--;
    return msg;
}
