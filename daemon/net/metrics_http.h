/*  metrics_http.h - the metrics endpoint: GET /metrics over HTTP/1.1,
    served by libmicrohttpd in its own thread (metrics/bind).

    The thread only reads the snapshot the reactor publishes
    (node/metrics.h); it holds no lock while it talks to a client, so a
    slow or hostile scraper costs that thread, never the reactor.  It
    serves nothing else: no request changes the node. */
#ifndef XIECHAD_METRICS_HTTP_H
#define XIECHAD_METRICS_HTTP_H

#include <stddef.h>

#include "node/metrics.h"

typedef struct _xc_metrics_http_t xc_metrics_http_t;

/*  Starts serving metrics on bind.  NULL with why (cannot bind, bad
    address). */
xc_metrics_http_t *xc_metrics_http_new (xc_metrics_t *metrics,
                                        const char *bind, char *why,
                                        size_t why_len);

/*  Stops the thread, closes the socket; harmless twice. */
void xc_metrics_http_destroy (xc_metrics_http_t **self_p);

#endif
