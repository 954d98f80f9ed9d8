/*  cli_trust_edit.c - xiecha trust add-key / revoke-key: edits a trust
    list in place, at the level of its text.

        trust add-key LIST --node CODE --public HEX
                      [--not-before ISO] [--not-after ISO]
        trust revoke-key LIST --key KEYID --at ISO

    The file is edited line by line, not re-serialised by zconfig, so
    comments, blank lines and the order of everything stay as they were:
    add-key inserts a `key` block after the last line of that node's
    section; revoke-key replaces the `revoked_at` line of that key's block
    or inserts one after the block's last line.  The result is written to
    a temporary file next to LIST and loaded with xc_trust_load; only when
    it parses (and holds the change) does it replace LIST (rename).  A
    signed list (LIST.sig present, or a serial) must then be re-signed:
    the old signature no longer matches the bytes. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define CMD "trust"

int cli_trust_edit_main (int argc, char **argv);

typedef struct {
    const char *action;       /* add-key or revoke-key */
    const char *list;         /* LIST */
    const char *node;         /* --node */
    const char *pub;          /* --public */
    const char *key;          /* --key */
    const char *not_before;   /* --not-before, as given */
    const char *not_after;    /* --not-after */
    const char *at;           /* --at */
    bool json;                /* --json */
} s_args_t;

/*  The file as lines, each without its '\n'. */
typedef struct {
    char **line;
    size_t n, cap;
    bool final_newline;       /* the file ended with '\n' */
} s_lines_t;

static void
s_help (void)
{
    printf (
        "Usage: xiecha trust add-key LIST --node CODE --public HEX\n"
        "                    [--not-before ISO] [--not-after ISO] [--json]\n"
        "       xiecha trust revoke-key LIST --key KEYID --at ISO [--json]\n"
        "\n"
        "add-key adds an Ed25519 public key to a node of the trust list\n"
        "(a `key` block at the end of the node's section); revoke-key sets\n"
        "revoked_at of a key.  The file keeps its comments and layout, is\n"
        "replaced atomically and only when the result still loads.  Times\n"
        "are kept to the second.  A signed list must be re-signed after\n"
        "(xiecha trust sign LIST --key ROOT), with a higher serial.\n"
        "\n"
        "  -n, --node CODE        add-key: the node the key speaks for\n"
        "  -p, --public HEX       add-key: the public key, 64 hex\n"
        "  -b, --not-before ISO   add-key: valid from\n"
        "  -a, --not-after ISO    add-key: valid until\n"
        "  -k, --key KEYID        revoke-key: the key id (trust show)\n"
        "  -t, --at ISO           revoke-key: the revocation instant\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n" CLI_EXIT_HELP);
}

static int
s_fail (const s_args_t *a, int rc, const char *why)
{
    int code = cli_exit_code (rc);
    if (a->json)
        cli_json_error (rc, why, code);
    else
        cli_error (CMD, "%s", why);
    return code;
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "node", required_argument, NULL, 'n' },
        { "public", required_argument, NULL, 'p' },
        { "not-before", required_argument, NULL, 'b' },
        { "not-after", required_argument, NULL, 'a' },
        { "key", required_argument, NULL, 'k' },
        { "at", required_argument, NULL, 't' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":n:p:b:a:k:t:jh", opts, NULL))
           != -1) {
        switch (c) {
        case 'n': a->node = optarg; break;
        case 'p': a->pub = optarg; break;
        case 'b': a->not_before = optarg; break;
        case 'a': a->not_after = optarg; break;
        case 'k': a->key = optarg; break;
        case 't': a->at = optarg; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error (CMD, "which action? (add-key, revoke-key)");
    a->action = argv[optind++];
    if (optind < argc)
        a->list = argv[optind++];
    if (optind < argc)
        return cli_usage_error (CMD, "unexpected argument '%s'", argv[optind]);
    if (!a->list)
        return cli_usage_error (CMD, "%s needs LIST", a->action);
    bool add = strcmp (a->action, "add-key") == 0;
    if (add) {
        if (!a->node || !a->pub)
            return cli_usage_error (CMD, "add-key needs --node and --public");
        if (a->key || a->at)
            return cli_usage_error (CMD, "--key and --at go with revoke-key");
    }
    else {
        if (!a->key || !a->at)
            return cli_usage_error (CMD, "revoke-key needs --key and --at");
        if (a->node || a->pub || a->not_before || a->not_after)
            return cli_usage_error (CMD, "--node, --public, --not-before and "
                                    "--not-after go with add-key");
    }
    return -1;
}

/*  ISO (any form cli_parse_iso takes) to the list's form, whole seconds. */
static int
s_list_time (const char *opt, const char *text, char out[32], uint64_t *ms)
{
    if (cli_parse_iso (text, ms) != 0)
        return cli_usage_error (CMD, "%s: '%s' is not an ISO 8601 time", opt,
                                text);
    *ms = *ms / 1000 * 1000;
    xc_time_iso (*ms, out);
    out[19] = 'Z';
    out[20] = '\0';
    return -1;
}

static void
s_lines_free (s_lines_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        free (l->line[i]);
    free (l->line);
    memset (l, 0, sizeof *l);
}

static int
s_lines_insert (s_lines_t *l, size_t at, const char *text)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **line = realloc (l->line, cap * sizeof *line);
        if (!line)
            return -1;
        l->line = line;
        l->cap = cap;
    }
    char *copy = strdup (text);
    if (!copy)
        return -1;
    memmove (l->line + at + 1, l->line + at, (l->n - at) * sizeof *l->line);
    l->line[at] = copy;
    l->n++;
    return 0;
}

static int
s_lines_read (const char *path, s_lines_t *l, char *why, size_t why_len)
{
    FILE *f = fopen (path, "r");
    if (!f)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    l->final_newline = true;
    while ((got = getline (&line, &cap, f)) > 0) {
        l->final_newline = line[got - 1] == '\n';
        if (l->final_newline)
            line[got - 1] = '\0';
        if (s_lines_insert (l, l->n, line) != 0) {
            rc = xc_why (why, why_len, XC_ENOMEM, "out of memory");
            break;
        }
    }
    free (line);
    fclose (f);
    return rc;
}

/*  Splits one ZPL line: depth (4 spaces a level), name and value (quotes
    removed).  Returns 0 for a content line, -1 for blank or comment. */
static int
s_zpl_line (const char *line, int *depth, char *name, size_t name_len,
            char *value, size_t value_len)
{
    size_t sp = 0;
    while (line[sp] == ' ')
        sp++;
    if (!line[sp] || line[sp] == '#' || line[sp] == '\r')
        return -1;
    *depth = (int) (sp / 4);
    const char *p = line + sp;
    size_t n = 0;
    while (*p && *p != ' ' && *p != '=' && *p != '#' && *p != '\r') {
        if (n + 1 < name_len)
            name[n++] = *p;
        p++;
    }
    name[n] = '\0';
    value[0] = '\0';
    while (*p == ' ')
        p++;
    if (*p != '=')
        return 0;
    p++;
    while (*p == ' ')
        p++;
    char quote = (*p == '"' || *p == '\'') ? *p++ : 0;
    n = 0;
    while (*p && (quote ? *p != quote : (*p != ' ' && *p != '#'
                                         && *p != '\r'))) {
        if (n + 1 < value_len)
            value[n++] = *p;
        p++;
    }
    value[n] = '\0';
    return 0;
}

/*  End (exclusive) of the section opened at line `start` at `depth`: the
    index after its last content line. */
static size_t
s_section_end (const s_lines_t *l, size_t start, int depth)
{
    size_t last = start;
    char name[64], value[256];
    int d;
    for (size_t i = start + 1; i < l->n; i++) {
        if (s_zpl_line (l->line[i], &d, name, sizeof name, value,
                        sizeof value) != 0)
            continue;
        if (d <= depth)
            break;
        last = i;
    }
    return last + 1;
}

/*  Finds the `node` section whose code is `code`; its line index. */
static int
s_find_node (const s_lines_t *l, const char *code, size_t *at)
{
    char name[64], value[256];
    int d;
    for (size_t i = 0; i < l->n; i++) {
        if (s_zpl_line (l->line[i], &d, name, sizeof name, value,
                        sizeof value) != 0
            || d != 1 || strcmp (name, "node") != 0)
            continue;
        size_t end = s_section_end (l, i, 1);
        for (size_t j = i + 1; j < end; j++) {
            int dj;
            if (s_zpl_line (l->line[j], &dj, name, sizeof name, value,
                            sizeof value) == 0
                && dj == 2 && strcmp (name, "code") == 0
                && strcmp (value, code) == 0) {
                *at = i;
                return 0;
            }
        }
    }
    return -1;
}

/*  Finds the `key` section whose public key has id `id`. */
static int
s_find_key (const s_lines_t *l, const char *id, size_t *at)
{
    char name[64], value[256];
    int d;
    for (size_t i = 0; i < l->n; i++) {
        if (s_zpl_line (l->line[i], &d, name, sizeof name, value,
                        sizeof value) != 0
            || d != 2 || strcmp (name, "key") != 0)
            continue;
        size_t end = s_section_end (l, i, 2);
        for (size_t j = i + 1; j < end; j++) {
            int dj;
            uint8_t pub[XC_PUBKEY_LEN];
            char kid[XC_KEY_ID_LEN + 1];
            if (s_zpl_line (l->line[j], &dj, name, sizeof name, value,
                            sizeof value) == 0
                && dj == 3 && strcmp (name, "public") == 0
                && strlen (value) == 2 * XC_PUBKEY_LEN
                && xc_unhex (value, pub, sizeof pub) == 0) {
                xc_key_id (pub, kid);
                if (strcasecmp (kid, id) == 0) {
                    *at = i;
                    return 0;
                }
            }
        }
    }
    return -1;
}

/*  Writes lines to a temporary file beside path; its name into tmp. */
static int
s_write_tmp (const char *path, const s_lines_t *l, char *tmp, size_t tmp_len,
             char *why, size_t why_len)
{
    snprintf (tmp, tmp_len, "%s.edit-XXXXXX", path);
    int fd = mkstemp (tmp);
    if (fd < 0)
        return xc_why (why, why_len, XC_EIO, "%s: cannot create: %s", tmp,
                       strerror (errno));
    struct stat st;
    if (stat (path, &st) == 0)
        fchmod (fd, st.st_mode & 07777);
    FILE *f = fdopen (fd, "w");
    if (!f) {
        close (fd);
        unlink (tmp);
        return xc_why (why, why_len, XC_EIO, "%s: %s", tmp, strerror (errno));
    }
    for (size_t i = 0; i < l->n; i++) {
        fputs (l->line[i], f);
        if (i + 1 < l->n || l->final_newline)
            fputc ('\n', f);
    }
    int bad = fflush (f) != 0 || fsync (fileno (f)) != 0;
    bad |= fclose (f) != 0;
    if (bad) {
        unlink (tmp);
        return xc_why (why, why_len, XC_EIO, "%s: cannot write", tmp);
    }
    return 0;
}

/*  Loads tmp as a list; checks the change with `check`; renames over
    path.  tmp is removed on any failure. */
static int
s_commit (const s_args_t *a, const char *tmp, const char *id,
          uint64_t revoked_at, char *why, size_t why_len)
{
    char lwhy[512];
    xc_trust_t *t = xc_trust_load (tmp, lwhy, sizeof lwhy);
    int rc = 0;
    if (!t)
        rc = xc_why (why, why_len, XC_ECONFIG, "%s: the edited list would not "
                     "load, left unchanged: %s", a->list, lwhy);
    else {
        const xc_trust_key_t *k = xc_trust_key (t, id);
        if (!k || (a->node && strcmp (k->node, a->node) != 0)
            || (revoked_at && k->revoked_at != revoked_at))
            rc = xc_why (why, why_len, XC_ECONFIG, "%s: the edit did not take "
                         "(layout not understood), left unchanged", a->list);
    }
    xc_trust_destroy (&t);
    if (rc == 0 && rename (tmp, a->list) != 0)
        rc = xc_why (why, why_len, XC_EIO, "%s: cannot replace: %s", a->list,
                     strerror (errno));
    if (rc)
        unlink (tmp);
    return rc;
}

/*  Whether the list is signed (a .sig beside it, or a serial). */
static bool
s_signed (const char *list)
{
    char sig[4096];
    snprintf (sig, sizeof sig, "%s.sig", list);
    if (access (sig, F_OK) == 0)
        return true;
    char why[256];
    xc_trust_t *t = xc_trust_load (list, why, sizeof why);
    bool serial = t && xc_trust_serial (t);
    xc_trust_destroy (&t);
    return serial;
}

static int
s_report (const s_args_t *a, const char *id, const char *node,
          const char *at)
{
    bool resign = s_signed (a->list);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "list", a->list);
        cli_json_str (&j, "action", a->action);
        cli_json_str (&j, "key_id", id);
        if (node)
            cli_json_str (&j, "node", node);
        if (at)
            cli_json_str (&j, "revoked_at", at);
        cli_json_bool (&j, "resign_needed", resign);
        cli_json_end (&j);
    }
    else if (at)
        printf ("%s: key %s revoked at %s\n", a->list, id, at);
    else
        printf ("%s: key %s added to node %s\n", a->list, id, node);
    if (resign)
        fprintf (stderr, "xiecha trust: %s is a signed list: raise its serial "
                 "and re-sign it (xiecha trust sign %s --key ROOT) before "
                 "nodes load it\n", a->list, a->list);
    return CLI_EXIT_OK;
}

static int
s_add_key (const s_args_t *a)
{
    char why[1024], nb[32] = "", na[32] = "", id[XC_KEY_ID_LEN + 1];
    uint64_t ms;
    uint8_t pub[XC_PUBKEY_LEN];
    int rc;
    if (strlen (a->pub) != 2 * XC_PUBKEY_LEN
        || xc_unhex (a->pub, pub, sizeof pub) != 0)
        return cli_usage_error (CMD, "--public: must be 64 hex characters");
    if (a->not_before
        && (rc = s_list_time ("--not-before", a->not_before, nb, &ms)) >= 0)
        return rc;
    if (a->not_after
        && (rc = s_list_time ("--not-after", a->not_after, na, &ms)) >= 0)
        return rc;
    xc_key_id (pub, id);
    char hex[2 * XC_PUBKEY_LEN + 1];
    xc_hex (pub, sizeof pub, hex);

    s_lines_t l = {0};
    rc = s_lines_read (a->list, &l, why, sizeof why);
    size_t at = 0;
    if (rc == 0 && s_find_node (&l, a->node, &at) != 0)
        rc = xc_why (why, sizeof why, XC_EINVAL, "%s: no node with code %s",
                     a->list, a->node);
    if (rc == 0) {
        size_t end = s_section_end (&l, at, 1);
        char line[160];
        rc = s_lines_insert (&l, end++, "        key");
        snprintf (line, sizeof line, "            public = \"%s\"", hex);
        rc |= s_lines_insert (&l, end++, line);
        if (*nb) {
            snprintf (line, sizeof line, "            not_before = \"%s\"", nb);
            rc |= s_lines_insert (&l, end++, line);
        }
        if (*na) {
            snprintf (line, sizeof line, "            not_after = \"%s\"", na);
            rc |= s_lines_insert (&l, end++, line);
        }
        if (rc)
            rc = xc_why (why, sizeof why, XC_ENOMEM, "out of memory");
    }
    char tmp[4096];
    if (rc == 0)
        rc = s_write_tmp (a->list, &l, tmp, sizeof tmp, why, sizeof why);
    s_lines_free (&l);
    if (rc == 0)
        rc = s_commit (a, tmp, id, 0, why, sizeof why);
    if (rc)
        return s_fail (a, rc, why);
    return s_report (a, id, a->node, NULL);
}

static int
s_revoke_key (const s_args_t *a)
{
    char why[1024], iso[32];
    uint64_t ms;
    int rc = s_list_time ("--at", a->at, iso, &ms);
    if (rc >= 0)
        return rc;
    if (strlen (a->key) != XC_KEY_ID_LEN)
        return cli_usage_error (CMD, "--key: a key id is %d hex characters",
                                XC_KEY_ID_LEN);
    s_lines_t l = {0};
    rc = s_lines_read (a->list, &l, why, sizeof why);
    size_t at = 0;
    if (rc == 0 && s_find_key (&l, a->key, &at) != 0)
        rc = xc_why (why, sizeof why, XC_EINVAL, "%s: no key with id %s",
                     a->list, a->key);
    char line[160];
    snprintf (line, sizeof line, "            revoked_at = \"%s\"", iso);
    if (rc == 0) {
        size_t end = s_section_end (&l, at, 2);
        bool replaced = false;
        for (size_t i = at + 1; i < end; i++) {
            char name[64], value[256];
            int d;
            if (s_zpl_line (l.line[i], &d, name, sizeof name, value,
                            sizeof value) == 0
                && d == 3 && strcmp (name, "revoked_at") == 0) {
                /* Keep the line's own indentation. */
                size_t sp = strspn (l.line[i], " ");
                char *repl = NULL;
                if (asprintf (&repl, "%.*srevoked_at = \"%s\"", (int) sp,
                              l.line[i], iso) < 0) {
                    rc = xc_why (why, sizeof why, XC_ENOMEM, "out of memory");
                    break;
                }
                free (l.line[i]);
                l.line[i] = repl;
                replaced = true;
            }
        }
        if (rc == 0 && !replaced && s_lines_insert (&l, end, line) != 0)
            rc = xc_why (why, sizeof why, XC_ENOMEM, "out of memory");
    }
    char tmp[4096];
    if (rc == 0)
        rc = s_write_tmp (a->list, &l, tmp, sizeof tmp, why, sizeof why);
    s_lines_free (&l);
    char id[XC_KEY_ID_LEN + 1];
    snprintf (id, sizeof id, "%s", a->key);
    for (char *p = id; *p; p++)
        if (*p >= 'A' && *p <= 'F')
            *p = (char) (*p - 'A' + 'a');
    if (rc == 0)
        rc = s_commit (a, tmp, id, ms, why, sizeof why);
    if (rc)
        return s_fail (a, rc, why);
    return s_report (a, id, NULL, iso);
}

int
cli_trust_edit_main (int argc, char **argv)
{
    s_args_t a = {0};
    int rc = s_parse (argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (strcmp (a.action, "add-key") == 0)
        return s_add_key (&a);
    return s_revoke_key (&a);
}
