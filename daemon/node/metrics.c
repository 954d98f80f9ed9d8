/*  metrics.c - series of the node's metrics and their text.  See
    metrics.h for who may call what. */
#include <arpa/inet.h>
#include <czmq.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>

#include "node/metrics.h"

typedef enum { S_COUNTER, S_GAUGE, S_HISTOGRAM } s_type_t;

#define S_BUCKETS_MAX 16

typedef struct {
    const char *name;
    s_type_t type;
    const char *help;
    const double *buckets;      /* histograms: upper bounds, ascending */
    size_t n_buckets;
} s_family_t;

static const double s_commit_buckets[] = {0.0005, 0.001, 0.0025, 0.005,
                                          0.01, 0.025, 0.05, 0.1, 0.25,
                                          0.5, 1, 2.5};
static const double s_batch_buckets[] = {1, 2, 4, 8, 16, 32, 64, 128, 256,
                                         512, 1024, 4096};
#define S_HIST(b) b, sizeof b / sizeof b[0]

/*  The one list of what a node measures (xiechad(8) names them too). */
static const s_family_t s_families[] = {
    {"xiecha_start_time_seconds", S_GAUGE,
     "when this process started (counters _total start at 0 then)"},
    {"xiecha_queries_sent_total", S_COUNTER,
     "queries sent as residence node, by registration node"},
    {"xiecha_queries_answered_total", S_COUNTER,
     "peer messages answered as registration node, by peer"},
    {"xiecha_peer_refused_total", S_COUNTER,
     "peer messages refused, by peer and reason"},
    {"xiecha_answers_refused_total", S_COUNTER,
     "answers to our queries and notices that are refusals or that we "
     "refused, by peer and reason"},
    {"xiecha_notices_queued_total", S_COUNTER,
     "notices put in the outbox, by registration node"},
    {"xiecha_notices_delivered_total", S_COUNTER,
     "notices acknowledged by their registration node, by peer"},
    {"xiecha_notices_rejected_total", S_COUNTER,
     "notices refused by their registration node, by peer"},
    {"xiecha_rate_limit_refusals_total", S_COUNTER,
     "messages or queries refused over a rate, by door (peer, terminal)"},
    {"xiecha_terminal_requests_total", S_COUNTER,
     "client requests, by the role their kind needs and outcome"},
    {"xiecha_commit_seconds", S_HISTOGRAM,
     "time of one write transaction of a batch", S_HIST (s_commit_buckets)},
    {"xiecha_batch_size", S_HISTOGRAM,
     "messages decided in one write transaction", S_HIST (s_batch_buckets)},
    {"xiecha_outbox_depth", S_GAUGE, "notices waiting for their ack"},
    {"xiecha_outbox_oldest_age_seconds", S_GAUGE,
     "age of the oldest notice waiting for its ack (0: none)"},
    {"xiecha_audit_entries", S_GAUGE, "entries in the audit log"},
    {"xiecha_audit_checkpoint_age_seconds", S_GAUGE,
     "age of the last signed checkpoint (-1: none yet)"},
    {"xiecha_subjects", S_GAUGE, "subjects in the index"},
    {"xiecha_conflicts_open", S_GAUGE, "conflicts not yet resolved"},
    {"xiecha_roster_age_days", S_GAUGE,
     "days since the program's last roster snapshot (-1: none)"},
    {"xiecha_last_import_seconds", S_GAUGE,
     "when this process last committed a roster import (Unix time)"},
    {"xiecha_trust_serial", S_GAUGE, "serial of the trust list in use"},
    {"xiecha_trust_next_update_seconds", S_GAUGE,
     "when the trust list is due for replacement (Unix time)"},
    {"xiecha_peer_clock_offset_seconds", S_GAUGE,
     "peer's created_at minus our clock at arrival, last message"},
    {"xiecha_peer_connected", S_GAUGE,
     "1 when our connection to the registration node is up"},
    {"xiecha_disk_full", S_GAUGE,
     "1 while the disk reserve cannot be kept"},
};
#define S_FAMILIES (sizeof s_families / sizeof s_families[0])

typedef struct {
    size_t family;              /* index into s_families */
    char *labels;               /* 'k="v",k="v"' or "" */
    double value;               /* counter, gauge; histogram: sum */
    uint64_t count;             /* histogram */
    uint64_t buckets[S_BUCKETS_MAX];
} s_series_t;

struct _xc_metrics_t {
    pthread_mutex_t lock;       /* series and snapshot */
    zhashx_t *series;           /* "family{labels}" -> s_series_t */
    char *snapshot;
    size_t snapshot_len;
};

static void
s_series_free (void **item)
{
    s_series_t *s = *item;
    if (s) {
        free (s->labels);
        free (s);
    }
    *item = NULL;
}

xc_metrics_t *
xc_metrics_new (void)
{
    xc_metrics_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->series = zhashx_new ();
    if (!self->series) {
        free (self);
        return NULL;
    }
    zhashx_set_destructor (self->series, s_series_free);
    pthread_mutex_init (&self->lock, NULL);
    return self;
}

void
xc_metrics_destroy (xc_metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_metrics_t *self = *self_p;
    zhashx_destroy (&self->series);
    pthread_mutex_destroy (&self->lock);
    free (self->snapshot);
    free (self);
    *self_p = NULL;
}

static int
s_family (const char *name)
{
    for (size_t i = 0; i < S_FAMILIES; i++)
        if (streq (s_families[i].name, name))
            return (int) i;
    return -1;
}

/*  'k="v",...' from key, value pairs, values escaped as the format says
    (backslash, double quote, newline); "" when none.  NULL: no memory. */
static char *
s_labels (va_list ap)
{
    char buf[512];
    size_t len = 0;
    buf[0] = '\0';
    const char *key;
    while ((key = va_arg (ap, const char *)) != NULL) {
        const char *v = va_arg (ap, const char *);
        if (len + strlen (key) + 8 >= sizeof buf)
            break;     /* cut: the labels a node makes are short */
        len += (size_t) snprintf (buf + len, sizeof buf - len, "%s%s=\"",
                                  len ? "," : "", key);
        for (; v && *v && len + 4 < sizeof buf; v++) {
            if (*v == '\\' || *v == '"' || *v == '\n')
                buf[len++] = '\\';
            buf[len++] = *v == '\n' ? 'n' : *v;
        }
        if (len + 2 >= sizeof buf)
            break;
        buf[len++] = '"';
        buf[len] = '\0';
    }
    return strdup (buf);
}

/*  The series of family{labels}, made when new if make; NULL for an unknown
    family or no memory.  Lock held. */
static s_series_t *
s_get (xc_metrics_t *self, const char *family, bool make, va_list ap)
{
    int f = s_family (family);
    char *labels = f < 0 ? NULL : s_labels (ap);
    if (!labels)
        return NULL;
    char key[640];
    snprintf (key, sizeof key, "%s{%s}", family, labels);
    s_series_t *s = zhashx_lookup (self->series, key);
    if (s || !make) {
        free (labels);
        return s;
    }
    s = calloc (1, sizeof *s);
    if (!s || zhashx_insert (self->series, key, s) != 0) {
        free (s);
        free (labels);
        return NULL;
    }
    s->family = (size_t) f;
    s->labels = labels;
    return s;
}

/*  Adds v to the series, or sets it to v. */
static void
s_update (xc_metrics_t *self, const char *family, bool add, double v,
          va_list ap)
{
    pthread_mutex_lock (&self->lock);
    s_series_t *s = s_get (self, family, true, ap);
    if (s)
        s->value = add ? s->value + v : v;
    pthread_mutex_unlock (&self->lock);
}

void
xc_metrics_count (xc_metrics_t *self, const char *family, uint64_t n, ...)
{
    if (!self)
        return;
    va_list ap;
    va_start (ap, n);
    s_update (self, family, true, (double) n, ap);
    va_end (ap);
}

void
xc_metrics_gauge (xc_metrics_t *self, const char *family, double value, ...)
{
    if (!self)
        return;
    va_list ap;
    va_start (ap, value);
    s_update (self, family, false, value, ap);
    va_end (ap);
}

/*  s_get for a family without labels. */
static s_series_t *
s_get_plain (xc_metrics_t *self, const char *family, ...)
{
    va_list ap;
    va_start (ap, family);
    s_series_t *s = s_get (self, family, true, ap);
    va_end (ap);
    return s;
}

void
xc_metrics_observe (xc_metrics_t *self, const char *family, double value)
{
    if (!self)
        return;
    pthread_mutex_lock (&self->lock);
    s_series_t *s = s_get_plain (self, family, NULL);
    if (s && s_families[s->family].type == S_HISTOGRAM) {
        const s_family_t *f = &s_families[s->family];
        for (size_t i = 0; i < f->n_buckets; i++)
            if (value <= f->buckets[i])
                s->buckets[i]++;
        s->count++;
        s->value += value;
    }
    pthread_mutex_unlock (&self->lock);
}

int
xc_metrics_get (xc_metrics_t *self, const char *family, double *value, ...)
{
    if (!self)
        return -1;
    va_list ap;
    va_start (ap, value);
    pthread_mutex_lock (&self->lock);
    s_series_t *s = s_get (self, family, false, ap);
    if (s)
        *value = s->value;
    pthread_mutex_unlock (&self->lock);
    va_end (ap);
    return s ? 0 : -1;
}

/*  A sample value as the format writes it: integers without a point. */
static void
s_num (double v, char out[40])
{
    if (isinf (v))
        snprintf (out, 40, "%s", v > 0 ? "+Inf" : "-Inf");
    else if (v == floor (v) && fabs (v) < 1e15)
        snprintf (out, 40, "%.0f", v);
    else if (fabs (v) >= 1e6)
        snprintf (out, 40, "%.3f", v);   /* Unix times: to the ms */
    else
        snprintf (out, 40, "%.9g", v);
}

static void
s_histogram (FILE *out, const s_family_t *f, const s_series_t *s)
{
    char num[40];
    for (size_t i = 0; i < f->n_buckets; i++) {
        s_num (f->buckets[i], num);
        fprintf (out, "%s_bucket{le=\"%s\"} %llu\n", f->name, num,
                 (unsigned long long) s->buckets[i]);
    }
    fprintf (out, "%s_bucket{le=\"+Inf\"} %llu\n", f->name,
             (unsigned long long) s->count);
    s_num (s->value, num);
    fprintf (out, "%s_sum %s\n%s_count %llu\n", f->name, num, f->name,
             (unsigned long long) s->count);
}

static int
s_cmp_key (const void *a, const void *b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/*  One family: HELP, TYPE, then its series in key order.  Lock held. */
static void
s_render_family (xc_metrics_t *self, FILE *out, size_t f, char **keys,
                 size_t n)
{
    const s_family_t *fam = &s_families[f];
    static const char *types[] = {"counter", "gauge", "histogram"};
    fprintf (out, "# HELP %s %s\n# TYPE %s %s\n", fam->name, fam->help,
             fam->name, types[fam->type]);
    for (size_t i = 0; i < n; i++) {
        s_series_t *s = zhashx_lookup (self->series, keys[i]);
        if (!s || s->family != f)
            continue;
        if (fam->type == S_HISTOGRAM) {
            s_histogram (out, fam, s);
            continue;
        }
        char num[40];
        s_num (s->value, num);
        if (*s->labels)
            fprintf (out, "%s{%s} %s\n", fam->name, s->labels, num);
        else
            fprintf (out, "%s %s\n", fam->name, num);
    }
}

void
xc_metrics_publish (xc_metrics_t *self)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream (&text, &len);
    if (!out)
        return;
    pthread_mutex_lock (&self->lock);
    size_t n = zhashx_size (self->series), k = 0;
    char **keys = calloc (n ? n : 1, sizeof *keys);
    for (void *s = zhashx_first (self->series); keys && s;
         s = zhashx_next (self->series))
        keys[k++] = (char *) zhashx_cursor (self->series);
    if (keys) {
        qsort (keys, k, sizeof *keys, s_cmp_key);
        for (size_t f = 0; f < S_FAMILIES; f++)
            s_render_family (self, out, f, keys, k);
    }
    free (keys);
    pthread_mutex_unlock (&self->lock);
    if (fclose (out) != 0) {
        free (text);
        return;
    }
    pthread_mutex_lock (&self->lock);
    free (self->snapshot);
    self->snapshot = text;
    self->snapshot_len = len;
    pthread_mutex_unlock (&self->lock);
}

char *
xc_metrics_snapshot (xc_metrics_t *self, size_t *len)
{
    pthread_mutex_lock (&self->lock);
    char *copy = self->snapshot ? malloc (self->snapshot_len + 1) : NULL;
    if (copy) {
        memcpy (copy, self->snapshot, self->snapshot_len + 1);
        *len = self->snapshot_len;
    }
    pthread_mutex_unlock (&self->lock);
    return copy;
}

int
xc_metrics_bind (const char *bind, struct sockaddr_in *sa)
{
    char host[64] = "127.0.0.1";
    const char *colon = strrchr (bind, ':');
    const char *port = colon ? colon + 1 : bind;
    if (colon) {
        size_t n = (size_t) (colon - bind);
        if (n == 0 || n >= sizeof host)
            return -1;
        memcpy (host, bind, n);
        host[n] = '\0';
    }
    char *end = NULL;
    long p = strtol (port, &end, 10);
    if (!*port || *end || p < 1 || p > 65535)
        return -1;
    memset (sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons ((uint16_t) p);
    return inet_pton (AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}
