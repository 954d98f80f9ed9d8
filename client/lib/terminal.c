/*  terminal.c - the node's terminal list (xiecha/terminal.h).

    One table of fields (s_fields) says how each line of a terminal is
    read; a terminal then passes the rules that need all of it (window,
    township under the county), and the list the rules over all of them
    (ids and keys unique).  O(n log n) with n at most XC_TERMINALS_MAX. */
#include <czmq.h>

#include "xiecha/date.h"
#include "xiecha/division.h"
#include "xiecha/error.h"
#include "xiecha/terminal.h"
#include "xiecha/text.h"

#define S_MAX_FILE (4 * 1024 * 1024)

struct _xc_terminals_t {
    xc_terminal_t *list;       /* sorted by id */
    size_t count;
    xc_terminal_t **by_curve;  /* the same, sorted by CURVE key */
};

static const char *const s_role_names[] = {"caseworker", "roster", "auditor",
                                           "admin"};
#define S_ROLES (sizeof s_role_names / sizeof s_role_names[0])

const char *
xc_role_name (unsigned role)
{
    for (size_t i = 0; i < S_ROLES; i++)
        if (role == 1u << i)
            return s_role_names[i];
    return "?";
}

int
xc_roles_parse (const char *text, unsigned *roles, char *why, size_t why_len)
{
    *roles = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn (p, ",");
        size_t i = 0;
        while (i < S_ROLES && !(strlen (s_role_names[i]) == len
                                && strncmp (p, s_role_names[i], len) == 0))
            i++;
        if (i == S_ROLES)
            return xc_why (why, why_len, XC_EINVAL, _("role '%.*s' is none of "
                             "caseworker, roster, auditor, admin"), (int) len,
                           p);
        *roles |= 1u << i;
        p += len + (p[len] == ',');
    }
    if (!*roles)
        return xc_why (why, why_len, XC_EINVAL, _("no role given (caseworker, "
                         "roster, auditor, admin)"));
    return 0;
}

void
xc_roles_text (unsigned roles, char *out, size_t len)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < S_ROLES; i++)
        if (roles & (1u << i) && at < len)
            at += (size_t) snprintf (out + at, len - at, "%s%s",
                                     at ? "," : "", s_role_names[i]);
}

bool
xc_terminal_id_valid (const char *text)
{
    size_t len = strlen (text);
    if (len == 0 || len > XC_TERMINAL_ID_MAX)
        return false;
    return strspn (text, "abcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

int
xc_terminal_admitted (const xc_terminal_t *t, uint64_t now, char *why,
                      size_t why_len)
{
    char at[32];
    if (t->revoked)
        return xc_why (why, why_len, XC_EROLE, _("terminal %s is revoked in "
                         "the node's terminal list"), t->id);
    if (t->not_before && now < t->not_before) {
        xc_time_iso (t->not_before, at);
        return xc_why (why, why_len, XC_EROLE, _("terminal %s is not valid "
                         "before %s"), t->id, at);
    }
    if (t->not_after && now >= t->not_after) {
        xc_time_iso (t->not_after, at);
        return xc_why (why, why_len, XC_EROLE, _("terminal %s expired at %s"),
                       t->id, at);
    }
    return 0;
}

/* --------------------------------------------------------------------------
   One terminal
   -------------------------------------------------------------------------- */

typedef struct {
    const char *name;   /* file that is read, for messages */
    const char *county;
    char *why;
    size_t why_len;
} s_ctx_t;

static int
s_fail (s_ctx_t *ctx, const xc_terminal_t *t, size_t n, const char *field,
        const char *rule)
{
    if (t->id[0])
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: terminal %s: %s: %s"), ctx->name, t->id, field,
                       rule);
    return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                   _("%s: terminal #%zu: %s: %s"), ctx->name, n, field, rule);
}

/*  Text without control characters (it reaches logs and terminals),
    fitting dst[cap]. */
static int
s_text (char *dst, size_t cap, const char *v)
{
    size_t len = strlen (v);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) v[i] < 0x20 || v[i] == 0x7f)
            return -1;
    if (len >= cap)
        return -1;
    memcpy (dst, v, len + 1);
    return 0;
}

typedef int (s_read_fn) (xc_terminal_t *t, const char *v);

static int
s_id (xc_terminal_t *t, const char *v)
{
    return xc_terminal_id_valid (v) ? s_text (t->id, sizeof t->id, v) : -1;
}

static int
s_township (xc_terminal_t *t, const char *v)
{
    if (strlen (v) != 9 || strspn (v, "0123456789") != 9)
        return -1;
    return s_text (t->township, sizeof t->township, v);
}

static int
s_township_name (xc_terminal_t *t, const char *v)
{
    return s_text (t->township_name, sizeof t->township_name, v);
}

static int
s_operator (xc_terminal_t *t, const char *v)
{
    return *v ? s_text (t->operator_name, sizeof t->operator_name, v) : -1;
}

static int
s_curve (xc_terminal_t *t, const char *v)
{
    uint8_t key[32];
    if (strlen (v) != 40 || !zmq_z85_decode (key, v))
        return -1;
    return s_text (t->curve, sizeof t->curve, v);
}

static int
s_roles (xc_terminal_t *t, const char *v)
{
    char why[128];
    return xc_roles_parse (v, &t->roles, why, sizeof why) ? -1 : 0;
}

static int
s_not_before (xc_terminal_t *t, const char *v)
{
    return *v ? xc_time_parse (v, &t->not_before) : 0;
}

static int
s_not_after (xc_terminal_t *t, const char *v)
{
    return *v ? xc_time_parse (v, &t->not_after) : 0;
}

static int
s_revoked (xc_terminal_t *t, const char *v)
{
    t->revoked = streq (v, "1");
    return streq (v, "0") || streq (v, "1") ? 0 : -1;
}

static const struct {
    const char *name;
    s_read_fn *read;
    bool required;
    const char *rule;
} s_fields[] = {
    {"id", s_id, true, "1..32 of a-z 0-9 . _ -"},
    {"township", s_township, true, "a 9-digit township code"},
    {"township_name", s_township_name, true, "text, under 96 bytes"},
    {"operator", s_operator, true, "the operator's or system's name, under "
                                   "96 bytes"},
    {"curve", s_curve, true, "a 40-character Z85 CURVE public key "
                             "(xiecha keygen --terminal)"},
    {"roles", s_roles, true, "a comma-separated list of caseworker, "
                             "roster, auditor, admin"},
    {"not_before", s_not_before, false, "YYYY-MM-DDTHH:MM:SSZ"},
    {"not_after", s_not_after, false, "YYYY-MM-DDTHH:MM:SSZ"},
    {"revoked", s_revoked, false, "0 or 1"},
};
#define S_FIELDS (sizeof s_fields / sizeof s_fields[0])

static int
s_parse_one (s_ctx_t *ctx, zconfig_t *section, size_t n, xc_terminal_t *t)
{
    memset (t, 0, sizeof *t);
    unsigned seen = 0;
    //  The id first, so every later message names the terminal.
    const char *id = zconfig_get (section, "id", NULL);
    if (id && s_id (t, id) != 0)
        return s_fail (ctx, t, n, "id", s_fields[0].rule);
    for (zconfig_t *c = zconfig_child (section); c; c = zconfig_next (c)) {
        size_t f = 0;
        while (f < S_FIELDS && !streq (s_fields[f].name, zconfig_name (c)))
            f++;
        if (f == S_FIELDS)
            return s_fail (ctx, t, n, zconfig_name (c), _("unknown field"));
        if (seen & (1u << f))
            return s_fail (ctx, t, n, s_fields[f].name, _("given twice"));
        seen |= 1u << f;
        const char *v = zconfig_value (c) ? zconfig_value (c) : "";
        if (s_fields[f].read (t, v) != 0)
            return s_fail (ctx, t, n, s_fields[f].name, s_fields[f].rule);
    }
    for (size_t f = 0; f < S_FIELDS; f++)
        if (s_fields[f].required && !(seen & (1u << f)))
            return s_fail (ctx, t, n, s_fields[f].name, _("missing"));
    if (!xc_township_in (t->township, ctx->county)) {
        char rule[96];
        snprintf (rule, sizeof rule, "%s is not a township of this node's "
                  "county %s", t->township, ctx->county);
        return s_fail (ctx, t, n, "township", rule);
    }
    if (t->not_before && t->not_after && t->not_before >= t->not_after)
        return s_fail (ctx, t, n, "not_after", _("must be later than "
                         "not_before"));
    return 0;
}

/* --------------------------------------------------------------------------
   The list
   -------------------------------------------------------------------------- */

static int
s_by_id (const void *a, const void *b)
{
    return strcmp (((const xc_terminal_t *) a)->id,
                   ((const xc_terminal_t *) b)->id);
}

static int
s_by_curve (const void *a, const void *b)
{
    return strcmp ((*(xc_terminal_t *const *) a)->curve,
                   (*(xc_terminal_t *const *) b)->curve);
}

static int
s_index (s_ctx_t *ctx, xc_terminals_t *self)
{
    qsort (self->list, self->count, sizeof *self->list, s_by_id);
    for (size_t i = 0; i < self->count; i++)
        self->by_curve[i] = &self->list[i];
    qsort (self->by_curve, self->count, sizeof *self->by_curve, s_by_curve);
    for (size_t i = 1; i < self->count; i++) {
        if (streq (self->list[i].id, self->list[i - 1].id))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: terminal %s is listed twice"), ctx->name,
                           self->list[i].id);
        if (streq (self->by_curve[i]->curve, self->by_curve[i - 1]->curve))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: terminals %s and %s have the same CURVE "
                             "key: every terminal needs its own"),
                           ctx->name, self->by_curve[i - 1]->id,
                           self->by_curve[i]->id);
    }
    return 0;
}

static int
s_parse (s_ctx_t *ctx, xc_terminals_t *self, zconfig_t *root)
{
    size_t n = 0;
    for (zconfig_t *c = zconfig_child (root); c; c = zconfig_next (c)) {
        if (!streq (zconfig_name (c), "terminal"))
            return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                           _("%s: '%s': only 'terminal' sections belong in a "
                             "terminal list"), ctx->name, zconfig_name (c));
        n++;
    }
    if (n > XC_TERMINALS_MAX)
        return xc_why (ctx->why, ctx->why_len, XC_ECONFIG,
                       _("%s: more than %d terminals"), ctx->name,
                       XC_TERMINALS_MAX);
    self->list = calloc (n ? n : 1, sizeof *self->list);
    self->by_curve = calloc (n ? n : 1, sizeof *self->by_curve);
    if (!self->list || !self->by_curve)
        return xc_why (ctx->why, ctx->why_len, XC_ENOMEM, _("out of memory"));
    for (zconfig_t *c = zconfig_child (root); c; c = zconfig_next (c)) {
        int rc = s_parse_one (ctx, c, self->count + 1,
                              &self->list[self->count]);
        if (rc)
            return rc;
        self->count++;
    }
    return s_index (ctx, self);
}

xc_terminals_t *
xc_terminals_load_text (const char *text, const char *name,
                        const char *county, char *why, size_t why_len)
{
    s_ctx_t ctx = {name, county, why, why_len};
    zconfig_t *root = text ? zconfig_str_load (text) : NULL;
    if (!root) {
        xc_why (why, why_len, XC_ECONFIG, _("%s: not valid ZPL (indent by 4 "
                  "spaces, key = value)"), name);
        return NULL;
    }
    xc_terminals_t *self = calloc (1, sizeof *self);
    int rc = self ? s_parse (&ctx, self, root)
                  : xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    zconfig_destroy (&root);
    if (rc)
        xc_terminals_destroy (&self);
    return self;
}

xc_terminals_t *
xc_terminals_load (const char *path, const char *county, char *why,
                   size_t why_len)
{
    zchunk_t *chunk = zchunk_slurp (path, S_MAX_FILE + 1);
    if (!chunk) {
        xc_why (why, why_len, XC_ECONFIG, _("%s: cannot read the terminal "
                  "list"), path);
        return NULL;
    }
    xc_terminals_t *self = NULL;
    size_t size = zchunk_size (chunk);
    char *text = size > S_MAX_FILE ? NULL : malloc (size + 1);
    if (text) {
        memcpy (text, zchunk_data (chunk), size);
        text[size] = '\0';
        self = xc_terminals_load_text (text, path, county, why, why_len);
    }
    else
        xc_why (why, why_len, XC_ECONFIG, "%s: %s", path,
                size > S_MAX_FILE ? _("larger than 4 MiB") : _("out of memory"));
    free (text);
    zchunk_destroy (&chunk);
    return self;
}

void
xc_terminals_destroy (xc_terminals_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->list);
    free ((*self_p)->by_curve);
    free (*self_p);
    *self_p = NULL;
}

size_t
xc_terminals_size (const xc_terminals_t *self)
{
    return self ? self->count : 0;
}

const xc_terminal_t *
xc_terminals_at (const xc_terminals_t *self, size_t i)
{
    return self && i < self->count ? &self->list[i] : NULL;
}

const xc_terminal_t *
xc_terminals_find (const xc_terminals_t *self, const char *id)
{
    if (!self || !id || strlen (id) > XC_TERMINAL_ID_MAX)
        return NULL;
    xc_terminal_t key;
    snprintf (key.id, sizeof key.id, "%s", id);
    return bsearch (&key, self->list, self->count, sizeof *self->list,
                    s_by_id);
}

const xc_terminal_t *
xc_terminals_by_curve (const xc_terminals_t *self, const char *curve)
{
    if (!self || !curve)
        return NULL;
    xc_terminal_t key, *kp = &key;
    snprintf (key.curve, sizeof key.curve, "%s", curve);
    xc_terminal_t **hit = bsearch (&kp, self->by_curve, self->count,
                                   sizeof *self->by_curve, s_by_curve);
    return hit ? *hit : NULL;
}
