/*  metrics.h - the node's counters, gauges and histograms, and the text
    (Prometheus exposition format 0.0.4) the metrics endpoint serves.

    Ownership and threads: the reactor (and only code it runs) counts,
    sets and observes; every series lives in this object behind one
    mutex, held only for a hash update or for rendering.  The reactor
    renders a snapshot (xc_metrics_publish, once a second from
    net/observe.c); the HTTP thread (net/metrics_http.c) only copies the
    last snapshot (xc_metrics_snapshot) and never holds the lock while
    it writes to a socket, so no HTTP client can stall the reactor.

    Every family is named once in the table in metrics.c (name, type,
    help, buckets); a series of an unknown family is ignored.  Labels are
    NULL-terminated key, value pairs; values are escaped here. */
#ifndef XIECHAD_METRICS_H
#define XIECHAD_METRICS_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

typedef struct _xc_metrics_t xc_metrics_t;

/*  NULL when out of memory. */
xc_metrics_t *xc_metrics_new (void);

void xc_metrics_destroy (xc_metrics_t **self_p);

/*  Adds n to the counter family{labels}.  self may be NULL (a node made
    for --check or a unit test counts nothing). */
void xc_metrics_count (xc_metrics_t *self, const char *family, uint64_t n,
                       ...) __attribute__ ((sentinel));

/*  Sets the gauge family{labels} to value. */
void xc_metrics_gauge (xc_metrics_t *self, const char *family, double value,
                       ...) __attribute__ ((sentinel));

/*  Records one observation in the (unlabelled) histogram family. */
void xc_metrics_observe (xc_metrics_t *self, const char *family,
                         double value);

/*  The value of a counter or gauge series now into *value: what
    `xiecha status` shows beside the endpoint.  Returns 0, or -1 when
    there is no such series (nothing counted or set yet). */
int xc_metrics_get (xc_metrics_t *self, const char *family, double *value,
                    ...) __attribute__ ((sentinel));

/*  Renders every series and keeps the text as the snapshot. */
void xc_metrics_publish (xc_metrics_t *self);

/*  A copy of the last snapshot (caller frees), with its length; NULL
    before the first publish or when out of memory.  Any thread. */
char *xc_metrics_snapshot (xc_metrics_t *self, size_t *len);

/*  Parses metrics/bind, "HOST:PORT" or "PORT" (then 127.0.0.1: off the
    network unless the operator says otherwise), HOST an IPv4 address,
    into *sa.  Returns 0 or -1. */
int xc_metrics_bind (const char *bind, struct sockaddr_in *sa);

#endif
