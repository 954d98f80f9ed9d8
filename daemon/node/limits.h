/*  limits.h - what one peer may cost this node, counted in memory.

    Per peer (the node ZAP authenticated for the connection on the peer
    socket, or the registration node one of our dealers talks to):

      messages   a token bucket: limits/peer_messages_per_s sustained,
                 limits/peer_messages_burst at once; every message takes
                 one, before its signature is checked (that is the cost
                 a flood would impose)
      subjects   a token bucket of index lookups: a query of n subjects
                 takes n (limits/peer_subjects_per_s, _burst); this is
                 what keeps a trusted node from walking a county's whole
                 ID space, up to limits/query_subjects a query (the burst
                 holds at least one such query, config.c)
      audit      a budget of limits/audit_refused_per_minute refused or
                 repeated messages a minute that get audit entries of
                 their own; beyond it they are only counted, and the
                 counts go into one summary entry when the minute is over
                 (decide/refusal.h writes it)

    Buckets start full and refill continuously; a refusal says how long
    until the tokens it lacked are back, so the peer can retry then.  A
    budget minute starts with the first refusal after the last one ended
    and lasts at least 60 s (until the summary is written), so no hour
    holds more than 61 of them.

    Nothing here is stored: after a restart every peer starts afresh,
    which costs one burst and one budget at most.  Peers are few (ZAP
    admits only the trust list), so the table holds at most
    XC_LIMITS_PEERS of them; beyond that (only a caller naming peers from
    unverified headers gets there) the rest share the entry "*".  Times
    are UTC ms from the caller, so tests need no clock; a clock that
    steps back refills nothing and ends the minute.  Reactor thread
    only. */
#ifndef XIECHAD_LIMITS_H
#define XIECHAD_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#include "node/config.h"

#define XC_LIMITS_PEERS 4096
#define XC_LIMITS_WINDOW_MS 60000   /* the audit budget's minute */
#define XC_LIMITS_CODES 32          /* XC_* codes 0 .. -31 counted apart */

typedef struct _xc_limits_t xc_limits_t;

typedef enum {
    XC_LIMIT_MESSAGES = 0,
    XC_LIMIT_SUBJECTS = 1
} xc_limit_t;

/*  What one peer sent beyond its audit budget in one minute. */
typedef struct {
    char peer[7];            /* "" when unknown */
    uint64_t since, until;   /* the minute: first refusal .. its end */
    uint64_t refused;        /* refused messages only counted */
    uint64_t duplicates;     /* repeated messages only counted */
    uint64_t codes[XC_LIMITS_CODES];  /* by -code; [0] duplicates */
} xc_limits_over_t;

/*  One peer's counters since start, for status. */
typedef struct {
    char peer[7];
    uint64_t refused;        /* its messages refused, for any reason */
    uint64_t throttled;      /* of which over a rate (XC_ERATE) */
    uint64_t duplicates;     /* repeated messages answered from cache */
    uint64_t unkept;         /* refused or repeated beyond the budget */
} xc_limits_peer_t;

/*  A token bucket: burst tokens at most, refilled at rate tokens per
    period_ms, kept in units of 1/period_ms of a token (exact, no
    floating point).  The caller passes the same rate, burst and period
    every time. */
typedef struct {
    uint64_t units;          /* tokens x period_ms */
    uint64_t at;             /* when last refilled, UTC ms */
} xc_bucket_t;

/*  A full bucket at now. */
void xc_bucket_init (xc_bucket_t *b, uint64_t burst, uint64_t period_ms,
                     uint64_t now);

/*  Refills b to now and takes n tokens.  Returns 0 when it did, else
    how many ms until n are there (UINT64_MAX: n exceeds burst, never);
    a refusal takes nothing. */
uint64_t xc_bucket_take (xc_bucket_t *b, uint64_t rate, uint64_t burst,
                         uint64_t period_ms, uint64_t n, uint64_t now);

/*  The limits config names.  Returns NULL when out of memory. */
xc_limits_t *xc_limits_new (const xc_config_t *config);

/*  Frees it and sets *self_p to NULL; harmless twice. */
void xc_limits_destroy (xc_limits_t **self_p);

/*  Takes n tokens from peer's bucket which, at now.  Returns 0, or
    XC_ERATE with why naming the limit and how long to wait ("retry in
    N ms"); the refusal is counted as throttled.  A peer without an
    entry (out of memory) is let through: our trouble, not its. */
int xc_limits_take (xc_limits_t *self, const char *peer, xc_limit_t which,
                    uint64_t n, uint64_t now, char *why, size_t why_len);

/*  Counts one refused (code < 0) or repeated (code 0) message of peer
    (NULL or "": unknown) at now.  Returns 1 when it may have audit
    entries of its own, 0 when it is beyond the budget and only
    counted. */
int xc_limits_keep (xc_limits_t *self, const char *peer, int code,
                    uint64_t now);

/*  Receives a minute's counts beyond the budget; returns 0 to go on, or
    an error, which stops the walk and leaves that peer's counts for the
    next one. */
typedef int (xc_limits_over_fn) (const xc_limits_over_t *over, void *arg);

/*  Ends every budget minute that is over at now (every one, when all),
    calling fn for those with counts beyond the budget.  Returns 0 or
    what fn returned. */
int xc_limits_flush (xc_limits_t *self, uint64_t now, int all,
                     xc_limits_over_fn *fn, void *arg);

/*  1 when xc_limits_flush (now, all) would call its fn: a summary is
    due.  O(peers), no allocation, so a timer may ask often. */
int xc_limits_due (const xc_limits_t *self, uint64_t now, int all);

/*  Up to max peers with refusals, most refused first, into out.
    Returns how many. */
size_t xc_limits_top (const xc_limits_t *self, xc_limits_peer_t *out,
                      size_t max);

/*  Totals since start: messages throttled, and refused or repeated
    messages beyond a budget. */
void xc_limits_totals (const xc_limits_t *self, uint64_t *throttled,
                       uint64_t *unkept);

#endif
