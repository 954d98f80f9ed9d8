/*  integrity.h - what the node knows of its store's soundness: the
    check it made at start, and the back office's scrubs (office/scrub.h)
    since, for `xiecha status` and `xiecha audit check`.

    At start (xc_integrity_check_start) a node refuses to serve from a
    store that is not its own or whose audit log's tail fails: cheap,
    bounded by the entries since the last checkpoint.  The whole log and
    the index are the scrub's, on the worker thread, on a schedule
    (limits/scrub_interval_s) and on demand.

    The state is written by the worker thread and read by the reactor,
    so every access goes through the lock. */
#ifndef XIECHAD_INTEGRITY_H
#define XIECHAD_INTEGRITY_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "xiecha/xiecha.h"

/*  The start's walk covers at least the last this many entries, also
    when the last checkpoint is nearer. */
#define XC_INTEGRITY_TAIL 64

typedef enum {
    XC_SCRUB_NONE = 0,          /* none finished since start */
    XC_SCRUB_OK,                /* the log and the index are sound */
    XC_SCRUB_FAILED,            /* they are not: the alarm */
    XC_SCRUB_ERROR              /* the scrub could not run to its end */
} xc_scrub_result_t;

typedef struct {
    /*  The check at start. */
    uint64_t start_from, start_to;   /* audit entries walked */
    uint64_t start_checkpoint;       /* checkpoint entry verified; 0: none */
    /*  Scrubs. */
    bool busy;                       /* one is asked for or running */
    uint64_t run;                    /* scrubs asked for since start */
    uint64_t finished;               /* number of the last one finished */
    const char *phase;               /* of the running one: "log", "index" */
    uint64_t done, total;            /* its progress in that phase */
    /*  The last one finished. */
    int result;                      /* xc_scrub_result_t */
    uint64_t started_ms, finished_ms;
    uint64_t entries, subjects;      /* entries and subjects it checked */
    uint64_t bad_entry;              /* failed: first bad entry, or 0 */
    char what[400];                  /* failed or error: what */
    uint64_t failures;               /* scrubs failed since start */
} xc_integrity_state_t;

typedef struct {
    pthread_mutex_t lock;
    xc_integrity_state_t s;
} xc_integrity_t;

void xc_integrity_init (xc_integrity_t *self);
void xc_integrity_destroy (xc_integrity_t *self);

/*  A copy of the state. */
void xc_integrity_get (xc_integrity_t *self, xc_integrity_state_t *out);

/*  Asks for a scrub.  Returns the number of the scrub that will answer:
    a new one (*fresh true: the caller starts it), or the one already
    asked for or running. */
uint64_t xc_integrity_ask (xc_integrity_t *self, bool *fresh);

/*  The running scrub is in phase, done of total. */
void xc_integrity_progress (xc_integrity_t *self, const char *phase,
                            uint64_t done, uint64_t total);

/*  The running scrub has finished with result (what: why, for FAILED
    and ERROR; bad_entry: the first bad entry or 0). */
void xc_integrity_finish (xc_integrity_t *self, xc_scrub_result_t result,
                          uint64_t started_ms, uint64_t entries,
                          uint64_t subjects, uint64_t bad_entry,
                          const char *what);

/*  A result's name: "none", "ok", "FAILED", "error". */
const char *xc_integrity_result_name (int result);

/*  The check at start, in one read transaction: the store in dir must
    record node code as its owner (identity.h), hold a non-empty audit
    log whose tail passes xc_audit_check_tail, and whose last checkpoint
    is signed by a key of this node in trust.  Records what it walked in
    self.  Returns 0, or XC_ESTORE / XC_EMALFORMED / XC_ESIG with why
    naming the store and the first bad entry. */
int xc_integrity_check_start (xc_integrity_t *self, xc_store_t *store,
                              const char *dir, const char *code,
                              const xc_trust_t *trust, char *why,
                              size_t why_len);

#endif
