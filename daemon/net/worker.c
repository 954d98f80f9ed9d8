/*  worker.c - the back office thread (worker.h).

    A job enters in s_job with the function the request table named for
    it (office/jobs.h), runs in s_run with its own read transaction, and
    leaves as a packed ClientReply on the pipe.  A scrub (office/scrub.h)
    goes in steps between the jobs: while one runs, the thread looks at
    the pipe without waiting, takes a job when there is one and else
    makes the next step.  Nothing here writes the store. */
#include "net/worker.h"

#include <xiecha/error.h>

#include "node/log.h"
#include "office/scrub.h"

#define S_SCRUB "SCRUB"            /* the pipe's word for "begin a scrub" */

struct _xc_worker_t {
    zactor_t *actor;
    size_t queued;             /* submitted, reply not yet received */
    xc_node_t *node;           /* borrowed; read by the thread */
    xc_reactor_t *reactor;     /* reads our pipe; borrowed, or NULL */
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

/*  The next message: waiting for it when no scrub runs, else only when
    one is there already.  *none: nothing was there. */
static zmsg_t *
s_next (zsock_t *pipe, bool scrubbing, bool *none)
{
    *none = scrubbing && !(zsock_events (pipe) & ZMQ_POLLIN);
    return *none ? NULL : zmsg_recv (pipe);
}

static void
s_actor (zsock_t *pipe, void *arg)
{
    xc_worker_t *self = arg;
    xc_scrub_t *scrub = NULL;
    zsock_signal (pipe, 0);
    while (true) {
        bool none;
        zmsg_t *msg = s_next (pipe, scrub != NULL, &none);
        if (none) {
            if (self->stopping || !xc_scrub_step (scrub))
                xc_scrub_destroy (&scrub);
            continue;
        }
        if (!msg)
            break;                       /* interrupted */
        if (zmsg_size (msg) == 1) {
            //  "$TERM" from zactor_destroy, or the word for a scrub.
            char *word = zmsg_popstr (msg);
            bool begin = word && streq (word, S_SCRUB);
            zstr_free (&word);
            zmsg_destroy (&msg);
            if (!begin)
                break;
            if (!scrub && !self->stopping)
                scrub = xc_scrub_new (self->node);
            continue;
        }
        //  The stop message waits behind the queued jobs: once destroy
        //  has begun, they are dropped rather than run (their terminals
        //  time out), so a stop waits for the job in hand only.
        if (!self->stopping)
            s_job (self->node, pipe, msg);
        zmsg_destroy (&msg);
    }
    xc_scrub_destroy (&scrub);
}

/* --------------------------------------------------------------------------
   The reactor's side
   -------------------------------------------------------------------------- */

xc_worker_t *
xc_worker_new (xc_node_t *node, xc_reactor_t *reactor)
{
    xc_worker_t *self = calloc (1, sizeof *self);
    if (self) {
        self->node = node;
        self->reactor = reactor;
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
    int rc = zmsg_send (msg, self->actor);
    xc_reactor_sent (self->reactor, zactor_sock (self->actor));
    if (rc != 0)
        return XC_EIO;
    self->queued++;
    return 0;
}

uint64_t
xc_worker_scrub (xc_worker_t *self)
{
    bool fresh;
    uint64_t run = xc_integrity_ask (&self->node->integrity, &fresh);
    //  A word on the pipe the scrub's steps look at between themselves.
    int rc = fresh ? zstr_send (self->actor, S_SCRUB) : 0;
    if (fresh)
        xc_reactor_sent (self->reactor, zactor_sock (self->actor));
    if (rc != 0)
        xc_integrity_finish (&self->node->integrity, XC_SCRUB_ERROR,
                             xc_now_ms (), 0, 0, 0,
                             "cannot reach the worker thread");
    return run;
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
