/*  metrics_http.c - GET /metrics from the last snapshot.  See
    metrics_http.h. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/metrics_http.h"
#include "xiecha/error.h"

#define S_CONNECTIONS 16      /* scrapers at once; more wait in the kernel */
#define S_TIMEOUT_S 10        /* an idle connection is closed */

struct _xc_metrics_http_t {
    struct MHD_Daemon *daemon;
    xc_metrics_t *metrics;    /* borrowed */
};

static enum MHD_Result
s_reply (struct MHD_Connection *conn, unsigned status, char *body,
         size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer (
        len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free (body);
        return MHD_NO;
    }
    MHD_add_response_header (r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result rc = MHD_queue_response (conn, status, r);
    MHD_destroy_response (r);
    return rc;
}

static enum MHD_Result
s_text (struct MHD_Connection *conn, unsigned status, const char *text)
{
    char *body = strdup (text);
    return body ? s_reply (conn, status, body, strlen (body),
                           "text/plain; charset=utf-8")
                : MHD_NO;
}

/*  One request: GET /metrics only.  Any request body is refused
    unread (upload_data is never taken). */
static enum MHD_Result
s_handle (void *cls, struct MHD_Connection *conn, const char *url,
          const char *method, const char *version, const char *upload_data,
          size_t *upload_data_size, void **req_cls)
{
    xc_metrics_http_t *self = cls;
    if (strcmp (method, MHD_HTTP_METHOD_GET) != 0
        && strcmp (method, MHD_HTTP_METHOD_HEAD) != 0)
        return s_text (conn, MHD_HTTP_METHOD_NOT_ALLOWED,
                       "only GET /metrics\n");
    if (strcmp (url, "/metrics") != 0)
        return s_text (conn, MHD_HTTP_NOT_FOUND, "only GET /metrics\n");
    size_t len = 0;
    char *body = xc_metrics_snapshot (self->metrics, &len);
    if (!body)
        return s_text (conn, MHD_HTTP_SERVICE_UNAVAILABLE,
                       "no snapshot yet\n");
    return s_reply (conn, MHD_HTTP_OK, body, len,
                    "text/plain; version=0.0.4; charset=utf-8");
}

xc_metrics_http_t *
xc_metrics_http_new (xc_metrics_t *metrics, const char *bind, char *why,
                     size_t why_len)
{
    struct sockaddr_in sa;
    if (xc_metrics_bind (bind, &sa) != 0) {
        xc_why (why, why_len, XC_ECONFIG, "metrics/bind: '%s' is not "
                "HOST:PORT", bind);
        return NULL;
    }
    xc_metrics_http_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        return NULL;
    }
    self->metrics = metrics;
    self->daemon = MHD_start_daemon (
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        s_handle, self, MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned) S_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned) S_TIMEOUT_S,
        MHD_OPTION_END);
    if (!self->daemon) {
        xc_why (why, why_len, XC_EIO, "metrics/bind: cannot serve HTTP on "
                "%s (in use, or not an address of this host)", bind);
        free (self);
        return NULL;
    }
    return self;
}

void
xc_metrics_http_destroy (xc_metrics_http_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    MHD_stop_daemon ((*self_p)->daemon);
    free (*self_p);
    *self_p = NULL;
}
