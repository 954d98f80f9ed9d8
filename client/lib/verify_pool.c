/*  verify_pool.c - the pool of checking threads (verify_pool.h). */
#include "verify_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

struct _xc_vpool_t {
    xc_vpool_fn *fn;            /* the check */
    const void *arg;            /* its argument; borrowed */
    pthread_t *threads;         /* the helpers: count - 1 of them */
    unsigned helpers;           /* started and not yet joined */
    pthread_mutex_t mu;         /* guards what follows, up to `next` */
    pthread_cond_t go;          /* a run started, or stop */
    pthread_cond_t done;        /* a helper finished its part of a run */
    uint64_t round;             /* runs started */
    unsigned finished;          /* helpers done with this round */
    bool stop;
    xc_vjob_t *jobs;            /* the run's jobs; borrowed */
    size_t n;
    atomic_size_t next;         /* the next job to take */
};

/*  Takes and runs jobs until none is left. */
static void
s_drain (xc_vpool_t *self)
{
    size_t i;
    while ((i = atomic_fetch_add (&self->next, 1)) < self->n)
        self->jobs[i].rc = self->fn (self->jobs[i].data, self->jobs[i].len,
                                     self->arg);
}

static void *
s_helper (void *arg)
{
    xc_vpool_t *self = arg;
    uint64_t seen = 0;
    pthread_mutex_lock (&self->mu);
    for (;;) {
        while (self->round == seen && !self->stop)
            pthread_cond_wait (&self->go, &self->mu);
        if (self->stop)
            break;
        seen = self->round;
        pthread_mutex_unlock (&self->mu);
        s_drain (self);
        pthread_mutex_lock (&self->mu);
        self->finished++;
        pthread_cond_signal (&self->done);
    }
    pthread_mutex_unlock (&self->mu);
    return NULL;
}

xc_vpool_t *
xc_vpool_new (unsigned threads, xc_vpool_fn *fn, const void *arg)
{
    xc_vpool_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->fn = fn;
    self->arg = arg;
    pthread_mutex_init (&self->mu, NULL);
    pthread_cond_init (&self->go, NULL);
    pthread_cond_init (&self->done, NULL);
    atomic_init (&self->next, 0);
    unsigned want = threads > 1 ? threads - 1 : 0;
    self->threads = calloc (want ? want : 1, sizeof *self->threads);
    if (!self->threads) {
        xc_vpool_destroy (&self);
        return NULL;
    }
    for (; self->helpers < want; self->helpers++)
        if (pthread_create (&self->threads[self->helpers], NULL, s_helper,
                            self) != 0) {
            xc_vpool_destroy (&self);
            return NULL;
        }
    return self;
}

void
xc_vpool_run (xc_vpool_t *self, xc_vjob_t *jobs, size_t n)
{
    pthread_mutex_lock (&self->mu);
    self->jobs = jobs;
    self->n = n;
    atomic_store (&self->next, 0);
    self->finished = 0;
    self->round++;
    pthread_cond_broadcast (&self->go);
    pthread_mutex_unlock (&self->mu);
    s_drain (self);
    pthread_mutex_lock (&self->mu);
    while (self->finished < self->helpers)
        pthread_cond_wait (&self->done, &self->mu);
    pthread_mutex_unlock (&self->mu);
}

void
xc_vpool_destroy (xc_vpool_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_vpool_t *self = *self_p;
    pthread_mutex_lock (&self->mu);
    self->stop = true;
    pthread_cond_broadcast (&self->go);
    pthread_mutex_unlock (&self->mu);
    for (unsigned i = 0; i < self->helpers; i++)
        pthread_join (self->threads[i], NULL);
    free (self->threads);
    pthread_cond_destroy (&self->go);
    pthread_cond_destroy (&self->done);
    pthread_mutex_destroy (&self->mu);
    free (self);
    *self_p = NULL;
}
