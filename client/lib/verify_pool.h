/*  verify_pool.h - a fixed pool of threads that runs one check over many
    byte strings: the envelope signatures of an audit export
    (auditfile.c), which are independent of each other and cost almost
    all of its verification.  Private to libxiecha.

    The caller fills an array of jobs and runs it; the pool's threads and
    the caller's own take jobs from a shared counter until none is left,
    and the run returns when every job has its result.  Between runs the
    threads sleep on a condition variable. */
#ifndef XIECHA_VERIFY_POOL_H
#define XIECHA_VERIFY_POOL_H

#include <stddef.h>
#include <stdint.h>

/*  The check: 0 when data[len] passes.  Called from several threads at
    once, so it may only read arg. */
typedef int (xc_vpool_fn) (const uint8_t *data, size_t len,
                           const void *arg);

typedef struct {
    const uint8_t *data;   /* borrowed */
    size_t len;
    int rc;                /* the check's result, set by the run */
} xc_vjob_t;

typedef struct _xc_vpool_t xc_vpool_t;

/*  A pool for `threads` threads in all: threads - 1 started here, and the
    caller's, which takes part in each run.  fn and arg are borrowed for
    the pool's life.  NULL when out of memory or a thread cannot start. */
xc_vpool_t *xc_vpool_new (unsigned threads, xc_vpool_fn *fn,
                          const void *arg);

/*  Runs fn over jobs[0..n), setting each rc; returns when all are done. */
void xc_vpool_run (xc_vpool_t *self, xc_vjob_t *jobs, size_t n);

/*  Stops and joins the threads, frees the pool, sets *self_p to NULL;
    harmless twice. */
void xc_vpool_destroy (xc_vpool_t **self_p);

#endif
