/*  limits.c - token buckets and audit budgets per peer; see limits.h.

    A bucket of tokens refilling r per period keeps them in units of
    1/period, so it gains exactly r units a millisecond and needs no
    floating point. */
#include <czmq.h>

#include "node/limits.h"
#include "xiecha/error.h"

typedef struct {
    xc_bucket_t buckets[2];     /* by xc_limit_t */
    uint64_t kept;             /* with entries of their own this minute */
    xc_limits_over_t over;     /* this minute: since (0: none) and beyond */
    xc_limits_peer_t total;    /* since start, for status */
} s_peer_t;

struct _xc_limits_t {
    uint64_t rate[2];          /* tokens a second, by xc_limit_t */
    uint64_t burst[2];         /* tokens at once */
    uint64_t budget;           /* entries of their own a minute */
    zhashx_t *peers;           /* code -> s_peer_t * */
    uint64_t throttled;        /* totals */
    uint64_t unkept;
};

static const char *const s_names[2] = {"messages", "subject lookups"};

static void
s_peer_free (void **item)
{
    free (*item);
    *item = NULL;
}

xc_limits_t *
xc_limits_new (const xc_config_t *c)
{
    xc_limits_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    self->rate[XC_LIMIT_MESSAGES] = (uint64_t) c->peer_messages_per_s;
    self->burst[XC_LIMIT_MESSAGES] = (uint64_t) c->peer_messages_burst;
    self->rate[XC_LIMIT_SUBJECTS] = (uint64_t) c->peer_subjects_per_s;
    self->burst[XC_LIMIT_SUBJECTS] = (uint64_t) c->peer_subjects_burst;
    self->budget = (uint64_t) c->audit_refused_per_minute;
    self->peers = zhashx_new ();
    if (!self->peers) {
        free (self);
        return NULL;
    }
    zhashx_set_destructor (self->peers, s_peer_free);
    return self;
}

void
xc_limits_destroy (xc_limits_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    zhashx_destroy (&(*self_p)->peers);
    free (*self_p);
    *self_p = NULL;
}

/*  The entry of peer, made (with full buckets) on first sight; NULL when
    out of memory. */
static s_peer_t *
s_peer (xc_limits_t *self, const char *peer, uint64_t now)
{
    const char *key = peer ? peer : "";
    s_peer_t *p = zhashx_lookup (self->peers, key);
    if (p)
        return p;
    if (zhashx_size (self->peers) >= XC_LIMITS_PEERS) {
        key = "*";
        if ((p = zhashx_lookup (self->peers, key)))
            return p;
    }
    p = calloc (1, sizeof *p);
    if (!p)
        return NULL;
    for (int i = 0; i < 2; i++)
        xc_bucket_init (&p->buckets[i], self->burst[i], 1000, now);
    snprintf (p->total.peer, sizeof p->total.peer, "%s", key);
    memcpy (p->over.peer, p->total.peer, sizeof p->over.peer);
    if (zhashx_insert (self->peers, key, p) != 0) {
        free (p);
        return NULL;
    }
    return p;
}

void
xc_bucket_init (xc_bucket_t *b, uint64_t burst, uint64_t period_ms,
                uint64_t now)
{
    *b = (xc_bucket_t) {burst * period_ms, now};
}

uint64_t
xc_bucket_take (xc_bucket_t *b, uint64_t rate, uint64_t burst,
                uint64_t period_ms, uint64_t n, uint64_t now)
{
    if (now > b->at) {
        uint64_t room = burst * period_ms - b->units;
        uint64_t gain = (now - b->at) * rate;
        b->units += gain < room ? gain : room;
    }
    b->at = now;
    if (n > burst)
        return UINT64_MAX;
    if (b->units >= n * period_ms) {
        b->units -= n * period_ms;
        return 0;
    }
    uint64_t lack = n * period_ms - b->units;
    return (lack + rate - 1) / rate;
}

int
xc_limits_take (xc_limits_t *self, const char *peer, xc_limit_t which,
                uint64_t n, uint64_t now, char *why, size_t why_len)
{
    s_peer_t *p = s_peer (self, peer, now);
    if (!p)
        return 0;
    uint64_t rate = self->rate[which], burst = self->burst[which];
    uint64_t wait = xc_bucket_take (&p->buckets[which], rate, burst, 1000, n,
                                    now);
    if (wait == 0)
        return 0;
    p->total.throttled++;
    self->throttled++;
    if (n > burst)
        return xc_why (why, why_len, XC_ERATE, "%llu %s in one message; "
                       "this node allows %s at most %llu at once",
                       (unsigned long long) n, s_names[which], p->total.peer,
                       (unsigned long long) burst);
    return xc_why (why, why_len, XC_ERATE, "over the limit of %llu %s a "
                   "second (burst %llu) for %s: retry in %llu ms",
                   (unsigned long long) rate, s_names[which],
                   (unsigned long long) burst, p->total.peer,
                   (unsigned long long) wait);
}

static int
s_minute_over (const s_peer_t *p, uint64_t now)
{
    return now < p->over.since
           || now - p->over.since >= XC_LIMITS_WINDOW_MS;
}

/*  Starts the next minute (since 0: it begins with the next refusal). */
static void
s_minute_reset (s_peer_t *p)
{
    char peer[7];
    memcpy (peer, p->over.peer, sizeof peer);
    memset (&p->over, 0, sizeof p->over);
    memcpy (p->over.peer, peer, sizeof peer);
    p->kept = 0;
}

int
xc_limits_keep (xc_limits_t *self, const char *peer, int code, uint64_t now)
{
    s_peer_t *p = s_peer (self, peer, now);
    if (!p)
        return 1;
    if (code)
        p->total.refused++;
    else
        p->total.duplicates++;
    /* A minute that ended with nothing beyond needs no summary. */
    if (p->over.since && s_minute_over (p, now)
        && !p->over.refused && !p->over.duplicates)
        s_minute_reset (p);
    if (!p->over.since)
        p->over.since = now ? now : 1;
    if (p->kept < self->budget) {
        p->kept++;
        return 1;
    }
    int slot = code < 0 && -code < XC_LIMITS_CODES ? -code : 0;
    if (code && slot == 0)
        slot = XC_LIMITS_CODES - 1;   /* a code beyond the table */
    p->over.codes[slot]++;
    if (code)
        p->over.refused++;
    else
        p->over.duplicates++;
    p->total.unkept++;
    self->unkept++;
    return 0;
}

int
xc_limits_flush (xc_limits_t *self, uint64_t now, int all,
                 xc_limits_over_fn *fn, void *arg)
{
    for (s_peer_t *p = zhashx_first (self->peers); p;
         p = zhashx_next (self->peers)) {
        if (!p->over.since || !(all || s_minute_over (p, now)))
            continue;
        if (p->over.refused || p->over.duplicates) {
            p->over.until = now;
            int rc = fn (&p->over, arg);
            if (rc)
                return rc;
        }
        s_minute_reset (p);
    }
    return 0;
}

int
xc_limits_due (const xc_limits_t *self, uint64_t now, int all)
{
    zhashx_t *peers = self->peers;
    for (s_peer_t *p = zhashx_first (peers); p; p = zhashx_next (peers))
        if ((p->over.refused || p->over.duplicates)
            && (all || s_minute_over (p, now)))
            return 1;
    return 0;
}

static int
s_more (const xc_limits_peer_t *a, const xc_limits_peer_t *b)
{
    return a->refused + a->duplicates > b->refused + b->duplicates;
}

size_t
xc_limits_top (const xc_limits_t *self, xc_limits_peer_t *out, size_t max)
{
    //  O(peers x max): both are small (the trust list, a status page).
    size_t n = 0;
    zhashx_t *peers = self->peers;
    for (s_peer_t *p = zhashx_first (peers); p; p = zhashx_next (peers)) {
        if (!p->total.refused && !p->total.duplicates)
            continue;
        size_t at = n < max ? n++ : max;
        while (at > 0 && s_more (&p->total, &out[at - 1])) {
            if (at < max)
                out[at] = out[at - 1];
            at--;
        }
        if (at < max)
            out[at] = p->total;
    }
    return n;
}

void
xc_limits_totals (const xc_limits_t *self, uint64_t *throttled,
                  uint64_t *unkept)
{
    *throttled = self->throttled;
    *unkept = self->unkept;
}
