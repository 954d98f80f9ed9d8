/*  cli_tlist.c - a trust list held as lines of text; see cli_tlist.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_tlist.h"

struct _cli_tlist_t {
    char **line;           /* each line without its '\n'; owned */
    size_t n;              /* lines in use */
    size_t cap;            /* lines allocated */
    bool final_newline;    /* the file ended with '\n' */
};

void
cli_tlist_destroy (cli_tlist_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    cli_tlist_t *self = *self_p;
    for (size_t i = 0; i < self->n; i++)
        free (self->line[i]);
    free (self->line);
    free (self);
    *self_p = NULL;
}

/*  Takes ownership of text (even on failure). */
static int
s_insert_owned (cli_tlist_t *self, size_t at, char *text)
{
    if (!text)
        return XC_ENOMEM;
    if (self->n == self->cap) {
        size_t cap = self->cap ? 2 * self->cap : 64;
        char **line = realloc (self->line, cap * sizeof *line);
        if (!line) {
            free (text);
            return XC_ENOMEM;
        }
        self->line = line;
        self->cap = cap;
    }
    memmove (self->line + at + 1, self->line + at,
             (self->n - at) * sizeof *self->line);
    self->line[at] = text;
    self->n++;
    return 0;
}

cli_tlist_t *
cli_tlist_load (const char *path, char *why, size_t why_len)
{
    FILE *f = fopen (path, "r");
    if (!f) {
        xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
        return NULL;
    }
    cli_tlist_t *self = calloc (1, sizeof *self);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    if (self)
        self->final_newline = true;
    while (self && (got = getline (&line, &cap, f)) > 0) {
        self->final_newline = line[got - 1] == '\n';
        if (self->final_newline)
            line[got - 1] = '\0';
        if (s_insert_owned (self, self->n, strdup (line)) != 0)
            cli_tlist_destroy (&self);
    }
    free (line);
    fclose (f);
    if (!self)
        xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    return self;
}

size_t
cli_tlist_size (const cli_tlist_t *self)
{
    return self->n;
}

const char *
cli_tlist_line (const cli_tlist_t *self, size_t i)
{
    return i < self->n ? self->line[i] : NULL;
}

int
cli_tlist_insert (cli_tlist_t *self, size_t at, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start (ap, fmt);
    int len = vasprintf (&text, fmt, ap);
    va_end (ap);
    return s_insert_owned (self, at, len < 0 ? NULL : text);
}

int
cli_tlist_replace (cli_tlist_t *self, size_t i, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start (ap, fmt);
    int len = vasprintf (&text, fmt, ap);
    va_end (ap);
    if (len < 0)
        return XC_ENOMEM;
    free (self->line[i]);
    self->line[i] = text;
    return 0;
}

void
cli_tlist_remove (cli_tlist_t *self, size_t from, size_t to)
{
    if (to > self->n)
        to = self->n;
    if (from >= to)
        return;
    for (size_t i = from; i < to; i++)
        free (self->line[i]);
    memmove (self->line + from, self->line + to,
             (self->n - to) * sizeof *self->line);
    self->n -= to - from;
}

/*  Copies up to stop into buf[len] (cut to fit); returns where it
    stopped. */
static const char *
s_take (const char *p, const char *stops, char quote, char *buf, size_t len)
{
    size_t n = 0;
    while (*p && (quote ? *p != quote : !strchr (stops, *p))) {
        if (n + 1 < len)
            buf[n++] = *p;
        p++;
    }
    buf[n] = '\0';
    return p;
}

int
cli_tlist_split (const char *line, int *depth, char *name, size_t name_len,
                 char *value, size_t value_len)
{
    size_t sp = strspn (line, " ");
    if (!line[sp] || line[sp] == '#' || line[sp] == '\r')
        return -1;
    *depth = (int) (sp / 4);
    const char *p = s_take (line + sp, " =#\r", 0, name, name_len);
    value[0] = '\0';
    p += strspn (p, " ");
    if (*p != '=')
        return 0;
    p++;
    p += strspn (p, " ");
    char quote = (*p == '"' || *p == '\'') ? *p++ : 0;
    s_take (p, " #\r", quote, value, value_len);
    return 0;
}

size_t
cli_tlist_section_end (const cli_tlist_t *self, size_t start, int depth)
{
    size_t last = start;
    char name[64], value[256];
    int d;
    for (size_t i = start + 1; i < self->n; i++) {
        if (cli_tlist_split (self->line[i], &d, name, sizeof name, value,
                             sizeof value) != 0)
            continue;
        if (d <= depth)
            break;
        last = i;
    }
    return last + 1;
}

/*  Whether line i is a content line at depth named name; its value into
    value[256]. */
static bool
s_is (const cli_tlist_t *self, size_t i, int depth, const char *name,
      char value[256])
{
    char n[64];
    int d;
    return cli_tlist_split (self->line[i], &d, n, sizeof n, value, 256) == 0
           && d == depth && strcmp (n, name) == 0;
}

int
cli_tlist_find_trust (const cli_tlist_t *self, size_t *at)
{
    char value[256];
    for (size_t i = 0; i < self->n; i++)
        if (s_is (self, i, 0, "trust", value)) {
            *at = i;
            return 0;
        }
    return -1;
}

int
cli_tlist_find_node (const cli_tlist_t *self, const char *code, size_t *at)
{
    char value[256];
    for (size_t i = 0; i < self->n; i++) {
        if (!s_is (self, i, 1, "node", value))
            continue;
        size_t end = cli_tlist_section_end (self, i, 1);
        for (size_t j = i + 1; j < end; j++)
            if (s_is (self, j, 2, "code", value) && strcmp (value, code) == 0) {
                *at = i;
                return 0;
            }
    }
    return -1;
}

/*  Whether the `key` section at line i has a public key of id id. */
static bool
s_key_has_id (const cli_tlist_t *self, size_t i, const char *id)
{
    char value[256], kid[XC_KEY_ID_LEN + 1];
    uint8_t pub[XC_PUBKEY_LEN];
    size_t end = cli_tlist_section_end (self, i, 2);
    for (size_t j = i + 1; j < end; j++)
        if (s_is (self, j, 3, "public", value)
            && strlen (value) == 2 * XC_PUBKEY_LEN
            && xc_unhex (value, pub, sizeof pub) == 0) {
            xc_key_id (pub, kid);
            if (strcasecmp (kid, id) == 0)
                return true;
        }
    return false;
}

int
cli_tlist_find_key (const cli_tlist_t *self, const char *id, size_t *at)
{
    char value[256];
    for (size_t i = 0; i < self->n; i++)
        if (s_is (self, i, 2, "key", value) && s_key_has_id (self, i, id)) {
            *at = i;
            return 0;
        }
    return -1;
}

/*  Where the value of line (a "name = value" line) begins and ends, so
    that what follows it, a comment, stays when it is replaced.  Returns
    -1 when the line has no '='. */
static int
s_value_span (const char *line, size_t *from, size_t *to)
{
    const char *p = strchr (line, '=');
    if (!p)
        return -1;
    p++;
    p += strspn (p, " ");
    *from = (size_t) (p - line);
    if (*p == '"' || *p == '\'') {
        const char *close = strchr (p + 1, *p);
        p = close ? close + 1 : p + strlen (p);
    }
    else
        p += strcspn (p, " #\r");
    *to = (size_t) (p - line);
    return 0;
}

int
cli_tlist_set_field (cli_tlist_t *self, size_t section, int depth,
                     const char *name, const char *value, size_t *after)
{
    char old[256];
    size_t end = cli_tlist_section_end (self, section, depth);
    for (size_t i = section + 1; i < end; i++) {
        if (!s_is (self, i, depth + 1, name, old))
            continue;
        *after = i;
        size_t from, to;
        const char *line = self->line[i];
        if (s_value_span (line, &from, &to) != 0)
            return cli_tlist_replace (self, i, "%*s%s = %s",
                                      (depth + 1) * 4, "", name, value);
        return cli_tlist_replace (self, i, "%.*s%s%s", (int) from, line,
                                  value, line + to);
    }
    int rc = cli_tlist_insert (self, *after + 1, "%*s%s = %s",
                               (depth + 1) * 4, "", name, value);
    if (rc == 0)
        (*after)++;
    return rc;
}

/*  The lines joined as the file will hold them; caller frees. */
static char *
s_text (const cli_tlist_t *self, size_t *len)
{
    size_t total = 1;
    for (size_t i = 0; i < self->n; i++)
        total += strlen (self->line[i]) + 1;
    char *text = malloc (total), *p = text;
    if (!text)
        return NULL;
    for (size_t i = 0; i < self->n; i++) {
        size_t n = strlen (self->line[i]);
        memcpy (p, self->line[i], n);
        p += n;
        if (i + 1 < self->n || self->final_newline)
            *p++ = '\n';
    }
    *p = '\0';
    *len = (size_t) (p - text);
    return text;
}

/*  Loads text as a list and runs check; the bytes checked are the bytes
    written, since both come from the same buffer. */
static int
s_check (const char *text, const char *path, cli_tlist_check_fn *check,
         void *arg, char *why, size_t why_len)
{
    char inner[512];
    xc_trust_t *t = xc_trust_load_text (text, path, inner, sizeof inner);
    if (!t)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("the edited list would not load (%s); %s left "
                         "unchanged"), inner, path);
    int rc = check ? check (t, arg, inner, sizeof inner) : 0;
    xc_trust_destroy (&t);
    if (rc)
        return xc_why (why, why_len, rc,
                       _("%s; %s left unchanged"), inner, path);
    return 0;
}

int
cli_tlist_commit (const cli_tlist_t *self, const char *path,
                  cli_tlist_check_fn *check, void *arg, char *why,
                  size_t why_len)
{
    size_t len = 0;
    char *text = s_text (self, &len);
    if (!text)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    int rc = s_check (text, path, check, arg, why, why_len);
    /* Keep the list's mode: it is public, but an operator may have
       narrowed it. */
    struct stat st;
    unsigned mode = stat (path, &st) == 0 ? (unsigned) (st.st_mode & 07777)
                                          : 0644;
    if (rc == 0)
        rc = cli_write_file (path, text, len, mode, true, why, why_len);
    free (text);
    return rc;
}

bool
cli_tlist_signed (const char *path)
{
    char sig[4096];
    snprintf (sig, sizeof sig, "%s.sig", path);
    if (access (sig, F_OK) == 0)
        return true;
    char why[256];
    xc_trust_t *t = xc_trust_load (path, why, sizeof why);
    bool serial = t && xc_trust_serial (t);
    xc_trust_destroy (&t);
    return serial;
}

bool
cli_tlist_resign_hint (const char *path, bool json)
{
    char sig[4096];
    snprintf (sig, sizeof sig, "%s.sig", path);
    bool was_signed = access (sig, F_OK) == 0;
    bool resign = was_signed || cli_tlist_signed (path);
    if (!resign || json)
        return resign;
    if (was_signed)
        fprintf (stderr, _("xiecha trust: %s changed since it was signed: "
                           "sign it again with a higher serial (xiecha "
                           "trust sign %s --key ROOT --bump) before nodes "
                           "load it\n"), path, path);
    else
        fprintf (stderr, _("xiecha trust: %s carries a serial: sign it "
                           "(xiecha trust sign %s --key ROOT) before nodes "
                           "load it\n"), path,
                 path);
    return resign;
}

int
cli_tlist_time (const char *opt, const char *text, char out[32],
                uint64_t *ms)
{
    if (cli_parse_iso (text, ms) != 0)
        return cli_usage_error ("trust", _("%s: '%s' is not an ISO 8601 time"),
                                opt, text);
    *ms = *ms / 1000 * 1000;
    cli_tlist_iso (*ms, out);
    return -1;
}

void
cli_tlist_iso (uint64_t ms, char out[32])
{
    /* xc_time_iso writes "...:SS.mmmZ"; the list takes whole seconds. */
    xc_time_iso (ms, out);
    out[19] = 'Z';
    out[20] = '\0';
}

const char *
cli_tlist_local (const char *iso, char out[32])
{
    uint64_t ms;
    if (cli_parse_iso (iso, &ms) == 0)
        return cli_local_time (ms, out);
    snprintf (out, 32, "%s", iso);
    return out;
}

const char *
cli_tlist_reason_text (const char *name)
{
    if (strcmp (name, "retired") == 0)
        return _("retired");
    if (strcmp (name, "compromised") == 0)
        return _("compromised");
    return name;
}
