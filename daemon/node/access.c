/*  access.c - the terminal list, roles and rates per request; see
    access.h. */
#include <czmq.h>

#include "node/access.h"
#include "node/limits.h"
#include "xiecha/error.h"

#define S_MINUTE_MS 60000

/*  What one terminal did since start. */
typedef struct {
    xc_access_load_t load;
    xc_bucket_t queries;       /* its query bucket */
    uint64_t minute;           /* start of its audit minute, UTC ms */
    uint64_t kept;             /* refusals audited in that minute */
} s_state_t;

struct _xc_access_t {
    char path[PATH_MAX];       /* node/terminals, or "" */
    char county[7];            /* node/code */
    xc_terminals_t *list;      /* NULL when none is configured */
    uint64_t rate, burst;      /* queries a minute, at once */
    uint64_t budget;           /* refusals audited a minute per terminal */
    zhashx_t *states;          /* terminal id -> s_state_t * */
    uint64_t throttled;        /* totals */
    uint64_t denied;
};

static void
s_state_free (void **item)
{
    free (*item);
    *item = NULL;
}

xc_access_t *
xc_access_new (const xc_config_t *c, char *why, size_t why_len)
{
    xc_access_t *self = calloc (1, sizeof *self);
    if (!self || !(self->states = zhashx_new ())) {
        free (self);
        xc_why (why, why_len, XC_ENOMEM, "out of memory");
        return NULL;
    }
    zhashx_set_destructor (self->states, s_state_free);
    snprintf (self->path, sizeof self->path, "%s", c->terminals);
    snprintf (self->county, sizeof self->county, "%s", c->code);
    self->rate = (uint64_t) c->terminal_queries_per_minute;
    self->burst = (uint64_t) c->terminal_queries_burst;
    self->budget = (uint64_t) c->audit_refused_per_minute;
    if (self->path[0]
        && !(self->list = xc_terminals_load (self->path, self->county, why,
                                             why_len)))
        xc_access_destroy (&self);
    return self;
}

void
xc_access_destroy (xc_access_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    xc_terminals_destroy (&(*self_p)->list);
    zhashx_destroy (&(*self_p)->states);
    free (*self_p);
    *self_p = NULL;
}

int
xc_access_reload (xc_access_t *self, size_t *count, char *why,
                  size_t why_len)
{
    *count = 0;
    if (!self->path[0])
        return 0;
    xc_terminals_t *list = xc_terminals_load (self->path, self->county, why,
                                              why_len);
    if (!list)
        return XC_ECONFIG;
    xc_terminals_destroy (&self->list);
    self->list = list;
    *count = xc_terminals_size (list);
    return 0;
}

const xc_terminals_t *
xc_access_list (const xc_access_t *self)
{
    return self->list;
}

const char *
xc_access_admit (xc_access_t *self, const char *z85, uint64_t now, char *why,
                 size_t why_len)
{
    const xc_terminal_t *t = xc_terminals_by_curve (self->list, z85);
    if (!t) {
        xc_why (why, why_len, XC_EROLE, "key %s is not in the terminal list",
                z85);
        return NULL;
    }
    return xc_terminal_admitted (t, now, why, why_len) == 0 ? t->id : NULL;
}

/*  The counters of id, made on first sight; NULL when out of memory
    (then nothing is counted, and the terminal is not throttled: our
    trouble, not its). */
static s_state_t *
s_state (xc_access_t *self, const char *id, uint64_t now)
{
    s_state_t *s = zhashx_lookup (self->states, id);
    if (s)
        return s;
    s = calloc (1, sizeof *s);
    if (!s)
        return NULL;
    snprintf (s->load.id, sizeof s->load.id, "%s", id);
    xc_bucket_init (&s->queries, self->burst, S_MINUTE_MS, now);
    if (zhashx_insert (self->states, id, s) != 0) {
        free (s);
        return NULL;
    }
    return s;
}

/*  The terminal as the list says now, into who; 0 or XC_EROLE. */
static int
s_listed (xc_access_t *self, const char *id, uint64_t now, xc_who_t *who,
          char *why, size_t why_len)
{
    snprintf (who->id, sizeof who->id, "%s", id);
    const xc_terminal_t *t = xc_terminals_find (self->list, id);
    if (!t)
        return xc_why (why, why_len, XC_EROLE, "terminal %s is no longer "
                       "in the node's terminal list", id);
    snprintf (who->township, sizeof who->township, "%s", t->township);
    snprintf (who->operator_name, sizeof who->operator_name, "%s",
              t->operator_name);
    who->roles = t->roles;
    return xc_terminal_admitted (t, now, why, why_len);
}

static int
s_role (const xc_who_t *who, unsigned role, const char *what, char *why,
        size_t why_len)
{
    if (who->roles & (role | XC_ROLE_ADMIN))
        return 0;
    char has[64];
    xc_roles_text (who->roles, has, sizeof has);
    return xc_why (why, why_len, XC_EROLE, "terminal %s may not ask for %s: "
                   "that needs the role %s (it has %s)", who->id, what,
                   xc_role_name (role), has);
}

static int
s_rate (xc_access_t *self, s_state_t *s, uint64_t now, char *why,
        size_t why_len)
{
    uint64_t wait = xc_bucket_take (&s->queries, self->rate, self->burst,
                                    S_MINUTE_MS, 1, now);
    if (wait == 0)
        return 0;
    s->load.throttled++;
    self->throttled++;
    return xc_why (why, why_len, XC_ERATE, "terminal %s is over its limit "
                   "of %llu queries a minute (burst %llu; "
                   "limits/terminal_queries_per_minute): retry in %llu ms",
                   s->load.id, (unsigned long long) self->rate,
                   (unsigned long long) self->burst,
                   (unsigned long long) wait);
}

void
xc_access_actor (const xc_who_t *who, char *out, size_t len)
{
    snprintf (out, len, "%s\t%s\t%s", who->id, who->township,
              who->local ? "local administrator" : who->operator_name);
}

int
xc_access_check (xc_access_t *self, const char *user_id, unsigned role,
                 const char *what, bool query, uint64_t now, xc_who_t *who,
                 char *why, size_t why_len)
{
    memset (who, 0, sizeof *who);
    if (!user_id || !*user_id) {
        who->local = true;
        snprintf (who->id, sizeof who->id, "ipc");
        who->roles = XC_ROLE_ALL;
        return 0;
    }
    s_state_t *s = s_state (self, user_id, now);
    int rc = s_listed (self, user_id, now, who, why, why_len);
    if (rc == 0)
        rc = s_role (who, role, what, why, why_len);
    if (rc) {
        self->denied++;
        if (s)
            s->load.denied++;
        return rc;
    }
    if (!s)
        return 0;
    memcpy (s->load.township, who->township, sizeof s->load.township);
    if (query && (rc = s_rate (self, s, now, why, why_len)) != 0)
        return rc;
    s->load.requests++;
    s->load.queries += query;
    return 0;
}

bool
xc_access_keep (xc_access_t *self, const xc_who_t *who, uint64_t now)
{
    s_state_t *s = who->local ? NULL : zhashx_lookup (self->states, who->id);
    if (!s)
        return true;
    if (now < s->minute || now - s->minute >= S_MINUTE_MS) {
        s->minute = now;
        s->kept = 0;
    }
    if (s->kept < self->budget) {
        s->kept++;
        return true;
    }
    s->load.unaudited++;
    return false;
}

size_t
xc_access_loads (const xc_access_t *self, xc_access_load_t *out, size_t max,
                 uint64_t *throttled, uint64_t *denied)
{
    *throttled = self->throttled;
    *denied = self->denied;
    size_t count = 0;
    for (s_state_t *s = zhashx_first (self->states); s;
         s = zhashx_next (self->states)) {
        uint64_t weight = s->load.queries + s->load.throttled;
        size_t at = count < max ? count++ : max;
        //  Insertion, most queries first; one lighter than all kept goes.
        while (at > 0 && out[at - 1].queries + out[at - 1].throttled < weight) {
            if (at < max)
                out[at] = out[at - 1];
            at--;
        }
        if (at < max)
            out[at] = s->load;
    }
    return count;
}
