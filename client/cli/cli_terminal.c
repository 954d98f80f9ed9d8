/*  cli_terminal.c - xiecha terminal add|revoke|list: the node admin's
    edits of the terminal list (node/terminals, xiecha/terminal.h).

    The file is edited as text, so comments and layout stay, and replaced
    atomically only when the result loads by the daemon's own rules
    (libxiecha's loader, with the node's county).  The node takes the
    change on SIGHUP, as it takes a new trust list: this command does not
    signal it, since the admin may edit the list where the node does not
    run (a configuration repository) and decides when it applies; it says
    how. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <czmq.h>

#include "cli.h"

#define CMD "terminal"
#define S_MAX_FILE (4 * 1024 * 1024)
#define S_RELOAD_HINT                                                        \
    "the node takes it on SIGHUP: systemctl reload xiechad (or kill -HUP "   \
    "the xiechad process)"

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha terminal add -c NODE.zpl --id ID --township CODE\n"
        "                       --township-name NAME --operator NAME\n"
        "                       --curve KEY --roles ROLE[,ROLE...]\n"
        "                       [--not-before ISO] [--not-after ISO] [--json]\n"
        "       xiecha terminal revoke -c NODE.zpl --id ID [--json]\n"
        "       xiecha terminal list -c NODE.zpl [--json]\n"
        "\n"
        "Edits the node's terminal list, the file node/terminals of the node\n"
        "config names (created by the first add), and replaces it only when\n"
        "the result is a valid list.  The running node applies it on SIGHUP\n"
        "(systemctl reload xiechad); a revoked terminal is refused from then\n"
        "on, on open connections too.\n"
        "\n"
        "  -c, --config FILE      the node config (node/code, node/terminals)\n"
        "  -i, --id ID            the terminal's id: 1..32 of a-z 0-9 . _ -\n"
        "  -T, --township CODE    its 9-digit township (乡镇/街道) code, under\n"
        "                         the node's county\n"
        "  -N, --township-name N  the township's name\n"
        "  -o, --operator NAME    the case worker or system using it\n"
        "  -k, --curve KEY        its CURVE public key (xiecha keygen\n"
        "                         --terminal on the terminal)\n"
        "  -r, --roles LIST       caseworker (query, enroll, terminate,\n"
        "                         emergency, checkin, due, outbox), roster\n"
        "                         (import, roster, conflicts), auditor (audit,\n"
        "                         report), admin (status, everything)\n"
        "  -b, --not-before ISO   valid from (YYYY-MM-DDTHH:MM:SSZ)\n"
        "  -a, --not-after ISO    valid until\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"),
        cli_exit_help ());
}

typedef struct {
    const char *verb;
    const char *config;        /* -c */
    const char *id, *township, *township_name, *operator_name, *curve;
    const char *roles, *not_before, *not_after;
    bool json;
    char county[7];            /* node/code */
    char path[PATH_MAX];       /* node/terminals, resolved */
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "id", required_argument, NULL, 'i' },
        { "township", required_argument, NULL, 'T' },
        { "township-name", required_argument, NULL, 'N' },
        { "operator", required_argument, NULL, 'o' },
        { "curve", required_argument, NULL, 'k' },
        { "roles", required_argument, NULL, 'r' },
        { "not-before", required_argument, NULL, 'b' },
        { "not-after", required_argument, NULL, 'a' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 2;   /* past "terminal VERB" */
    while ((c = getopt_long (argc, argv, ":c:i:T:N:o:k:r:b:a:jh", opts,
                             NULL)) != -1) {
        switch (c) {
        case 'c': a->config = optarg; break;
        case 'i': a->id = optarg; break;
        case 'T': a->township = optarg; break;
        case 'N': a->township_name = optarg; break;
        case 'o': a->operator_name = optarg; break;
        case 'k': a->curve = optarg; break;
        case 'r': a->roles = optarg; break;
        case 'b': a->not_before = optarg; break;
        case 'a': a->not_after = optarg; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    if (!a->config)
        return cli_usage_error (CMD, "%s",
                                _("-c/--config NODE.zpl is required"));
    bool add = streq (a->verb, "add");
    if (!add && (a->township || a->township_name || a->operator_name
                 || a->curve || a->roles || a->not_before || a->not_after))
        return cli_usage_error (CMD, _("%s takes --id only"), a->verb);
    if (!streq (a->verb, "list") && !a->id)
        return cli_usage_error (CMD, _("%s needs --id"), a->verb);
    if (add && !(a->township && a->township_name && a->operator_name
                 && a->curve && a->roles))
        return cli_usage_error (CMD, "%s", _("add needs --township, "
                                             "--township-name, --operator, "
                                             "--curve and --roles"));
    return -1;
}

/*  node/code and node/terminals (relative to the config) of the node. */
static int
s_node (s_args_t *a, char *why, size_t why_len)
{
    zchunk_t *chunk = zchunk_slurp (a->config, 65536);
    zconfig_t *root = chunk ? zconfig_chunk_load (chunk) : NULL;
    zchunk_destroy (&chunk);
    if (!root)
        return xc_why (why, why_len, XC_EINVAL,
                       _("--config %s: cannot read or parse the "
                         "file"), a->config);
    const char *code = zconfig_get (root, "node/code", "");
    const char *list = zconfig_get (root, "node/terminals", "");
    int rc = 0;
    char dir[PATH_MAX];
    snprintf (dir, sizeof dir, "%s", a->config);
    if (!xc_code_valid (code))
        rc = xc_why (why, why_len, XC_ECONFIG,
                     _("%s: node/code: missing or not a 6-digit "
                       "code"), a->config);
    else if (!*list)
        rc = xc_why (why, why_len, XC_ECONFIG,
                     _("%s: node/terminals is not set: name the terminal list "
                       "file there first"),
                     a->config);
    else if ((size_t) snprintf (a->path, sizeof a->path, "%s%s%s",
                                *list == '/' ? "" : dirname (dir),
                                *list == '/' ? "" : "/", list)
             >= sizeof a->path)
        rc = xc_why (why, why_len, XC_ECONFIG,
                     _("%s: node/terminals: too long"), a->config);
    snprintf (a->county, sizeof a->county, "%s", code);
    zconfig_destroy (&root);
    return rc;
}

/*  The list's text, or a header when the file is not there yet (add
    only).  Caller frees *text. */
static int
s_read (const s_args_t *a, bool may_be_new, char **text, char *why,
        size_t why_len)
{
    size_t len;
    if (may_be_new && access (a->path, F_OK) != 0 && errno == ENOENT) {
        *text = zsys_sprintf ("#   Terminal list of node %s (node/terminals):"
                              " edited by `xiecha terminal`,\n#   reloaded "
                              "by the node on SIGHUP.\n", a->county);
        return *text ? 0 : xc_why (why, why_len, XC_ENOMEM, "%s",
                                   _("out of memory"));
    }
    return cli_read_file (a->path, S_MAX_FILE, text, &len, why, why_len);
}

/*  Writes text in place of the list once it loads; *out (may be NULL)
    gets the loaded list, the caller's. */
static int
s_commit (const s_args_t *a, const char *text, xc_terminals_t **out,
          char *why, size_t why_len)
{
    xc_terminals_t *list = xc_terminals_load_text (text, a->path, a->county,
                                                   why, why_len);
    if (!list)
        return XC_EINVAL;
    int rc = cli_write_file (a->path, text, strlen (text), 0640, true, why,
                             why_len);
    if (rc == 0 && out)
        *out = list;
    else
        xc_terminals_destroy (&list);
    return rc;
}

static int
s_done (const s_args_t *a, const char *action, size_t count)
{
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "file", a->path);
        cli_json_str (&j, "id", a->id);
        cli_json_str (&j, "action", action);
        cli_json_uint (&j, "terminals", count);
        cli_json_str (&j, "reload", S_RELOAD_HINT);
        cli_json_end (&j);
    }
    else
        printf (strcmp (action, "added") == 0
                    ? _("terminal %s added in %s (%zu terminals); %s\n")
                : strcmp (action, "revoked") == 0
                    ? _("terminal %s revoked in %s (%zu terminals); %s\n")
                    : _("terminal %s was revoked already in %s (%zu "
                        "terminals); %s\n"),
                a->id, a->path, count, _(S_RELOAD_HINT));
    return CLI_EXIT_OK;
}

/* --------------------------------------------------------------------------
   add
   -------------------------------------------------------------------------- */

/*  One `key = value` line of the new section, quoted. */
static int
s_line (char **text, const char *key, const char *value, char *why,
        size_t why_len)
{
    char quoted[512];
    if (cli_zpl_quote (value, quoted, sizeof quoted) != 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("--%s: cannot hold both kinds of quotes or a line "
                         "break"), key);
    char *grown = zsys_sprintf ("%s    %s = %s\n", *text, key, quoted);
    if (!grown)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    free (*text);
    *text = grown;
    return 0;
}

static int
s_add (s_args_t *a, char *why, size_t why_len)
{
    char *text = NULL;
    int rc = s_read (a, true, &text, why, why_len);
    if (rc)
        return rc;
    size_t len = strlen (text);
    char *grown = zsys_sprintf ("%s%sterminal\n", text,
                                len && text[len - 1] != '\n' ? "\n" : "");
    free (text);
    text = grown;
    const char *fields[][2] = {
        {"id", a->id}, {"township", a->township},
        {"township_name", a->township_name}, {"operator", a->operator_name},
        {"curve", a->curve}, {"roles", a->roles},
        {"not_before", a->not_before}, {"not_after", a->not_after}};
    rc = text ? 0 : xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    for (size_t i = 0; rc == 0 && i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i][1])
            rc = s_line (&text, fields[i][0], fields[i][1], why, why_len);
    xc_terminals_t *list = NULL;
    if (rc == 0)
        rc = s_commit (a, text, &list, why, why_len);
    free (text);
    if (rc == 0)
        s_done (a, "added", xc_terminals_size (list));
    xc_terminals_destroy (&list);
    return rc;
}

/* --------------------------------------------------------------------------
   revoke
   -------------------------------------------------------------------------- */

/*  Whether line (up to its end) is `    key = value` for this value,
    quoted or not, with an optional comment. */
static bool
s_field_is (const char *line, const char *key, const char *value)
{
    const char *p = line + strspn (line, " ");
    size_t k = strlen (key), v = strlen (value);
    if (p == line || strncmp (p, key, k) != 0)
        return false;
    p += k;
    p += strspn (p, " ");
    if (*p++ != '=')
        return false;
    p += strspn (p, " ");
    char q = *p == '"' || *p == '\'' ? *p++ : 0;
    if (strncmp (p, value, v) != 0)
        return false;
    p += v;
    if (q && *p++ != q)
        return false;
    p += strspn (p, " ");
    return *p == '\n' || *p == '\0' || *p == '#';
}

/*  The text with `revoked = 1` in id's section: the revoked line made
    so, or one added after the id line.  NULL when id's line is not
    found (or out of memory). */
static char *
s_revoked_text (const char *text, const char *id)
{
    const char *id_line = NULL, *revoked = NULL;
    bool in = false;
    for (const char *l = text; *l; l = strchr (l, '\n') ? strchr (l, '\n') + 1
                                                         : l + strlen (l)) {
        if (*l != ' ' && *l != '\n' && *l != '#') {
            if (id_line)
                break;   /* the next section */
            in = strncmp (l, "terminal", 8) == 0;
            revoked = NULL;
            continue;
        }
        if (in && s_field_is (l, "id", id))
            id_line = l;
        if (in && (s_field_is (l, "revoked", "0")
                   || s_field_is (l, "revoked", "1")))
            revoked = l;
    }
    if (!id_line)
        return NULL;
    const char *at = revoked ? revoked : strchr (id_line, '\n');
    if (!at)
        return zsys_sprintf ("%s\n    revoked = 1\n", text);
    const char *rest = revoked ? strchr (revoked, '\n') : at;
    return zsys_sprintf ("%.*s%s    revoked = 1%s", (int) (at - text), text,
                         revoked ? "" : "\n", rest ? rest : "\n");
}

static int
s_revoke (s_args_t *a, char *why, size_t why_len)
{
    char *text = NULL;
    int rc = s_read (a, false, &text, why, why_len);
    xc_terminals_t *list = rc ? NULL
                              : xc_terminals_load_text (text, a->path,
                                                        a->county, why,
                                                        why_len);
    const xc_terminal_t *t = list ? xc_terminals_find (list, a->id) : NULL;
    if (!rc && !list)
        rc = XC_EINVAL;
    else if (list && !t)
        rc = xc_why (why, why_len, XC_ENOTFOUND, _("%s: no terminal %s"),
                     a->path, a->id);
    else if (t && t->revoked) {
        s_done (a, "was revoked already", xc_terminals_size (list));
        xc_terminals_destroy (&list);
        free (text);
        return 0;
    }
    xc_terminals_destroy (&list);
    char *edited = rc ? NULL : s_revoked_text (text, a->id);
    if (!rc && !edited)
        rc = xc_why (why, why_len, XC_EINVAL,
                     _("%s: cannot find the line `id = \"%s\"` to "
                       "edit"), a->path, a->id);
    if (rc == 0)
        rc = s_commit (a, edited, &list, why, why_len);
    if (rc == 0 && !xc_terminals_find (list, a->id)->revoked)
        rc = xc_why (why, why_len, XC_EINTERNAL,
                     _("%s: terminal %s is still not "
                       "revoked"), a->path, a->id);
    if (rc == 0)
        s_done (a, "revoked", xc_terminals_size (list));
    xc_terminals_destroy (&list);
    free (edited);
    free (text);
    return rc;
}

/* --------------------------------------------------------------------------
   list
   -------------------------------------------------------------------------- */

/*  A terminal's state: the stable name (--json), and for people its
    translation (s_state_text). */
static const char *
s_state (const xc_terminal_t *t, uint64_t now)
{
    if (t->revoked)
        return "revoked";
    if (t->not_before && now < t->not_before)
        return "not yet valid";
    if (t->not_after && now >= t->not_after)
        return "expired";
    return "valid";
}

static const char *
s_state_text (const char *state)
{
    static const char *const names[][2] = {
        {"revoked", N_("revoked")}, {"not yet valid", N_("not yet valid")},
        {"expired", N_("expired")}, {"valid", N_("valid")}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp (state, names[i][0]) == 0)
            return _(names[i][1]);
    return state;
}

static void
s_list_json (const xc_terminals_t *list, uint64_t now)
{
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_array (&j, "terminals");
    for (size_t i = 0; i < xc_terminals_size (list); i++) {
        const xc_terminal_t *t = xc_terminals_at (list, i);
        char roles[64], from[32], until[32];
        xc_roles_text (t->roles, roles, sizeof roles);
        xc_time_iso (t->not_before, from);
        xc_time_iso (t->not_after, until);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "id", t->id);
        cli_json_str (&j, "township", t->township);
        cli_json_str (&j, "township_name", t->township_name);
        cli_json_str (&j, "operator", t->operator_name);
        cli_json_str (&j, "curve", t->curve);
        cli_json_str (&j, "roles", roles);
        cli_json_str (&j, "not_before", t->not_before ? from : NULL);
        cli_json_str (&j, "not_after", t->not_after ? until : NULL);
        cli_json_bool (&j, "revoked", t->revoked);
        cli_json_str (&j, "state", s_state (t, now));
        cli_json_end (&j);
    }
    cli_json_end (&j);
    cli_json_end (&j);
}

/*  The cells of terminal i's row (ID, TOWNSHIP, NAME, OPERATOR, ROLES,
    STATE), or of the header for i == SIZE_MAX; roles into roles[64]. */
static void
s_cells (const xc_terminals_t *list, size_t i, uint64_t now,
         char roles[64], const char *cells[6])
{
    if (i == SIZE_MAX) {
        const char *head[] = {_("ID"), _("TOWNSHIP"), _("NAME"),
                              _("OPERATOR"), _("ROLES"), _("STATE")};
        memcpy (cells, head, sizeof head);
        return;
    }
    const xc_terminal_t *t = xc_terminals_at (list, i);
    xc_roles_text (t->roles, roles, 64);
    const char *row[] = {t->id, t->township, t->township_name,
                         t->operator_name, roles,
                         s_state_text (s_state (t, now))};
    memcpy (cells, row, sizeof row);
}

/*  The list as a table; names may be Chinese, so every column is
    padded by display width (cli_pad) to its widest cell. */
static void
s_list_text (const xc_terminals_t *list, const char *path, uint64_t now)
{
    size_t n = xc_terminals_size (list), width[6] = {0};
    char roles[64];
    const char *cells[6];
    //  i = SIZE_MAX is the header; i++ wraps it to the first row.
    for (size_t i = SIZE_MAX; i == SIZE_MAX || i < n; i++) {
        s_cells (list, i, now, roles, cells);
        for (size_t c = 0; c < 6; c++) {
            size_t w = xc_text_width (cells[c]) + 2;
            width[c] = w > width[c] ? w : width[c];
        }
    }
    printf (_("%zu terminals in %s\n"), n, path);
    for (size_t i = SIZE_MAX; i == SIZE_MAX || i < n; i++) {
        s_cells (list, i, now, roles, cells);
        for (size_t c = 0; c < 5; c++)
            cli_pad (stdout, cells[c], width[c]);
        printf ("%s\n", cells[5]);
    }
}

static int
s_list (s_args_t *a, char *why, size_t why_len)
{
    xc_terminals_t *list = xc_terminals_load (a->path, a->county, why,
                                              why_len);
    if (!list)
        return XC_EINVAL;
    uint64_t now = xc_now_ms ();
    if (a->json)
        s_list_json (list, now);
    else
        s_list_text (list, a->path, now);
    xc_terminals_destroy (&list);
    return 0;
}

int
cli_terminal_main (int argc, char **argv)
{
    if (argc < 2 || streq (argv[1], "--help") || streq (argv[1], "-h")) {
        s_help ();
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    s_args_t a;
    memset (&a, 0, sizeof a);
    a.verb = argv[1];
    if (!streq (a.verb, "add") && !streq (a.verb, "revoke")
        && !streq (a.verb, "list"))
        return cli_usage_error (CMD, _("unknown action '%s' (add, revoke, "
                                       "list)"), a.verb);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    char why[1024];
    int rc = s_node (&a, why, sizeof why);
    if (rc == 0)
        rc = streq (a.verb, "add")      ? s_add (&a, why, sizeof why)
             : streq (a.verb, "revoke") ? s_revoke (&a, why, sizeof why)
                                        : s_list (&a, why, sizeof why);
    return rc ? cli_failed (CMD, a.json, rc, why) : CLI_EXIT_OK;
}
