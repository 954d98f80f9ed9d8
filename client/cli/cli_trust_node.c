/*  cli_trust_node.c - xiecha trust create / add-node / remove-node: a new
    trust list, and its nodes.

        trust create LIST [--serial N] [--next-update ISO]
        trust add-node LIST --code CODE --name NAME --endpoint EP
                       --curve KEY --public HEX
                       [--not-before ISO] [--not-after ISO]
        trust remove-node LIST --code CODE

    create writes a list with the header a signed list needs and no node
    yet, and never replaces a file.  add-node and remove-node edit the
    list's text through cli_tlist, as add-key does: comments and layout
    stay, and the change is committed only when the edited list loads and
    holds it.

    The network salt is deliberately not part of the list: the list goes
    to auditors and anyone verifying certificates offline, while subject
    refs are only as private as the salt (an ID number has few enough
    possible values to try them all). */
#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "cli_tlist.h"

#define CMD "trust"

/*  A list is due for replacement this long after it is issued, unless
    --next-update says otherwise: a month, as the example in trust.h. */
#define S_DEFAULT_VALIDITY_MS (30ULL * 24 * 3600 * 1000)

typedef struct {
    const char *action;        /* create, add-node or remove-node */
    const char *list;          /* LIST */
    const char *code;          /* --code */
    const char *name;          /* --name */
    const char *endpoint;      /* --endpoint */
    const char *curve;         /* --curve, Z85 or hex as given */
    const char *pub;           /* --public */
    const char *not_before;    /* --not-before, as given */
    const char *not_after;     /* --not-after */
    const char *serial;        /* --serial */
    const char *next_update;   /* --next-update */
    bool json;                 /* --json */
} s_args_t;

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha trust create LIST [--serial N] [--next-update ISO]\n"
        "                    [--json]\n"
        "       xiecha trust add-node LIST --code CODE --name NAME\n"
        "                    --endpoint tcp://HOST:PORT --curve KEY\n"
        "                    --public HEX [--not-before ISO]\n"
        "                    [--not-after ISO] [--json]\n"
        "       xiecha trust remove-node LIST --code CODE [--json]\n"
        "\n"
        "create writes a new trust list with no node yet: its header\n"
        "(serial 1 unless --serial; issued now; next_update from\n"
        "--next-update, or 30 days on) under a comment saying what comes\n"
        "next.  It never replaces an existing file.  The network salt is\n"
        "not part of the list, which auditors see: make it once with\n"
        "xiecha keygen --salt FILE.\n"
        "add-node appends a node with its first signing key; remove-node\n"
        "deletes a node's section with all its keys, so what the node\n"
        "signed no longer verifies with the new list (revoke-key --reason\n"
        "retired ends a key and keeps its past valid).  Both keep the file's\n"
        "comments and layout and replace it atomically, only when the\n"
        "result still loads.  A signed list must then be signed again with a higher\n"
        "serial (xiecha trust sign LIST --key ROOT --bump).\n"
        "\n"
        "  -C, --code CODE        the node's 6-digit division code\n"
        "  -n, --name NAME        add-node: display name, under 96 bytes\n"
        "  -e, --endpoint EP      add-node: peer endpoint, tcp://HOST:PORT\n"
        "  -z, --curve KEY        add-node: CURVE public key, 40 Z85\n"
        "                         characters (curve_public in keygen\n"
        "                         --json) or 64 hex\n"
        "  -p, --public HEX       add-node: Ed25519 signing key, 64 hex\n"
        "  -b, --not-before ISO   add-node: that key valid from\n"
        "  -a, --not-after ISO    add-node: that key valid until\n"
        "  -s, --serial N         create: the first serial (1)\n"
        "  -u, --next-update ISO  create: when a newer list is due\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "A bad field, an unknown code or an existing LIST (create) exits\n"
        "2; a change the list refuses (code, signing key or CURVE key\n"
        "already listed) exits 1.\n"
        "\n"),
        cli_exit_help ());
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

/*  Which options each action takes, so a stray one is an error rather
    than silently ignored. */
static int
s_check_args (const s_args_t *a)
{
    bool create = strcmp (a->action, "create") == 0;
    bool add = strcmp (a->action, "add-node") == 0;
    bool node_opts = a->name || a->endpoint || a->curve || a->pub
                     || a->not_before || a->not_after;
    if (!a->list)
        return cli_usage_error (CMD, _("%s needs LIST"), a->action);
    if (!create && (a->serial || a->next_update))
        return cli_usage_error (CMD, "%s", _("--serial and --next-update go "
                                             "with create"));
    if (create && a->code)
        return cli_usage_error (CMD, "%s", _("create takes no --code: add "
                                             "nodes with add-node"));
    if (!create && !a->code)
        return cli_usage_error (CMD, _("%s needs --code"), a->action);
    if (!add && node_opts)
        return cli_usage_error (CMD, "%s", _("--name, --endpoint, --curve, "
                                             "--public, --not-before and "
                                             "--not-after go with add-node"));
    if (add && !(a->name && a->endpoint && a->curve && a->pub))
        return cli_usage_error (CMD, "%s", _("add-node needs --name, "
                                             "--endpoint, --curve and "
                                             "--public"));
    return -1;
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "code", required_argument, NULL, 'C' },
        { "name", required_argument, NULL, 'n' },
        { "endpoint", required_argument, NULL, 'e' },
        { "curve", required_argument, NULL, 'z' },
        { "public", required_argument, NULL, 'p' },
        { "not-before", required_argument, NULL, 'b' },
        { "not-after", required_argument, NULL, 'a' },
        { "serial", required_argument, NULL, 's' },
        { "next-update", required_argument, NULL, 'u' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":C:n:e:z:p:b:a:s:u:jh", opts, NULL))
           != -1) {
        switch (c) {
        case 'C': a->code = optarg; break;
        case 'n': a->name = optarg; break;
        case 'e': a->endpoint = optarg; break;
        case 'z': a->curve = optarg; break;
        case 'p': a->pub = optarg; break;
        case 'b': a->not_before = optarg; break;
        case 'a': a->not_after = optarg; break;
        case 's': a->serial = optarg; break;
        case 'u': a->next_update = optarg; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error (CMD, "%s", _("which action? (create, "
                                             "add-node, remove-node)"));
    a->action = argv[optind++];
    if (optind < argc)
        a->list = argv[optind++];
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    return s_check_args (a);
}

// ---- create ---------------------------------------------------------------

/*  The new list: what to do next, then the header a signed list needs. */
static char *
s_create_text (uint64_t serial, const char *issued, const char *next)
{
    return zsys_sprintf (
        "# Trust list begun with `xiecha trust create` at %s.\n"
        "# It lists no node yet.  Next (LIST is this file):\n"
        "#   1. every node makes its keys:\n"
        "#        xiecha keygen --code CODE --dir DIR --json\n"
        "#   2. add every node (curve_public and public_key of step 1):\n"
        "#        xiecha trust add-node LIST --code CODE --name NAME \\\n"
        "#            --endpoint tcp://HOST:PORT --curve Z85 --public HEX\n"
        "#   3. sign it with the network's root key (made once with\n"
        "#      `xiecha trust root-keygen --out ROOT`, kept offline):\n"
        "#        xiecha trust sign LIST --key ROOT\n"
        "#   4. give LIST and LIST.sig to every node, with the root's public\n"
        "#      key as trust/root in its config.\n"
        "# Every later change: edit with xiecha trust add-node, remove-node,\n"
        "# add-key or revoke-key, sign again with a higher `serial` below\n"
        "# (xiecha trust sign LIST --key ROOT --bump: nodes refuse a list\n"
        "# older than one they have used, or of the same serial with other\n"
        "# bytes), then `kill -HUP` each node to reload it.\n"
        "# The network salt is not kept here (auditors see this list; the\n"
        "# salt must stay with the nodes): `xiecha keygen --salt FILE`.\n"
        "trust\n"
        "    version = 1\n"
        "    serial = %llu\n"
        "    issued = \"%s\"\n"
        "    next_update = \"%s\"\n",
        issued, (unsigned long long) serial, issued, next);
}

/*  --serial: a positive integer, as trust.c reads it. */
static int
s_parse_serial (const char *text, uint64_t *serial)
{
    if (!text) {
        *serial = 1;
        return -1;
    }
    char *end = NULL;
    errno = 0;
    *serial = strtoull (text, &end, 10);
    if (*text < '1' || *text > '9' || *end || errno)
        return cli_usage_error (CMD, _("--serial: '%s' is not a positive "
                                       "integer"), text);
    return -1;
}

static void
s_create_report (const s_args_t *a, uint64_t serial, const char *issued,
                 const char *next)
{
    if (!a->json) {
        char at[32], due[32];
        printf (_("%s: new trust list, serial %llu, issued %s, next update "
                  "%s; no nodes yet\n"), a->list, (unsigned long long) serial,
                cli_tlist_local (issued, at), cli_tlist_local (next, due));
        printf (_("next: xiecha trust add-node %s --code CODE ... (the "
                  "comment at the top of the list says what follows)\n"),
                a->list);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "list", a->list);
    cli_json_str (&j, "action", a->action);
    cli_json_uint (&j, "serial", serial);
    cli_json_str (&j, "issued", issued);
    cli_json_str (&j, "next_update", next);
    cli_json_uint (&j, "nodes", 0);
    cli_json_end (&j);
}

/*  The header from the options: serial, issued (now) and next_update.
    Returns -1 when good, else the exit code (message printed). */
static int
s_create_header (const s_args_t *a, uint64_t *serial, char issued[32],
                 char next[32])
{
    uint64_t now = xc_now_ms () / 1000 * 1000, next_ms = 0;
    int rc = s_parse_serial (a->serial, serial);
    if (rc >= 0)
        return rc;
    cli_tlist_iso (now, issued);
    if (!a->next_update) {
        cli_tlist_iso (now + S_DEFAULT_VALIDITY_MS, next);
        return -1;
    }
    rc = cli_tlist_time ("--next-update", a->next_update, next, &next_ms);
    if (rc >= 0)
        return rc;
    if (next_ms <= now)
        return cli_usage_error (CMD, _("--next-update: %s is not later "
                                       "than now (%s), when the list is "
                                       "issued"), next,
                                issued);
    return -1;
}

static int
s_create (const s_args_t *a)
{
    char why[1024], issued[32], next[32];
    uint64_t serial;
    int rc = s_create_header (a, &serial, issued, next);
    if (rc >= 0)
        return rc;
    /* lstat, so that a dangling symlink counts as taken too. */
    struct stat st;
    if (lstat (a->list, &st) == 0) {
        snprintf (why, sizeof why, _("%s exists: create never replaces a list "
                                     "(change it with add-node/remove-node, "
                                     "or move it away)"),
                  a->list);
        return s_fail (a, XC_EINVAL, why);
    }
    char *text = s_create_text (serial, issued, next);
    if (!text)
        return s_fail (a, XC_ENOMEM, _("out of memory"));
    /* Not overwriting: cli_write_file links the temp file into place,
       which fails if LIST appeared meanwhile. */
    rc = cli_write_file (a->list, text, strlen (text), 0644, false, why,
                         sizeof why);
    zstr_free (&text);
    if (rc)
        return s_fail (a, rc, why);
    s_create_report (a, serial, issued, next);
    return CLI_EXIT_OK;
}

// ---- add-node ---------------------------------------------------------------

/*  Whether host[0..len) may name a peer: an IPv6 address in brackets,
    or a name or IPv4 address of printable ASCII without a wildcard. */
static bool
s_host_ok (const char *host, size_t len)
{
    if (len > 2 && host[0] == '[' && host[len - 1] == ']')
        return strspn (host + 1, "0123456789abcdefABCDEF:.") == len - 2;
    if (len == 0)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char) host[i];
        if (ch <= ' ' || ch >= 0x7f || strchr ("\"'#*/\\[]:", ch))
            return false;
    }
    return true;
}

/*  tcp://HOST:PORT: a peer endpoint other nodes connect to. */
static bool
s_endpoint_ok (const char *ep)
{
    if (strncmp (ep, "tcp://", 6) != 0 || strlen (ep) >= 256)
        return false;
    const char *host = ep + 6, *colon = strrchr (host, ':');
    if (!colon || !s_host_ok (host, (size_t) (colon - host)))
        return false;
    const char *port = colon + 1;
    size_t digits = strspn (port, "0123456789");
    if (digits == 0 || digits > 5 || port[digits])
        return false;
    long n = strtol (port, NULL, 10);
    return n >= 1 && n <= 65535;
}

/*  The CURVE key as the list holds it, Z85, from Z85 or hex. */
static int
s_curve_z85 (const char *in, char out[41])
{
    uint8_t raw[32];
    size_t len = strlen (in);
    if (len == 40 && zmq_z85_decode (raw, in)) {
        memcpy (out, in, 41);
        return 0;
    }
    if (len == 64 && xc_unhex (in, raw, sizeof raw) == 0
        && zmq_z85_encode (out, raw, sizeof raw))
        return 0;
    return -1;
}

static bool
s_name_ok (const char *name, char *quoted, size_t len)
{
    size_t n = strlen (name);
    if (n == 0 || n >= sizeof ((xc_trust_node_t *) 0)->name)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char) name[i] < 0x20 || name[i] == 0x7f)
            return false;
    return cli_zpl_quote (name, quoted, len) == 0;
}

/*  A node to add, its fields checked and in the list's forms. */
typedef struct {
    const char *code;
    const char *name;
    const char *endpoint;
    char quoted_name[128];           /* name as a ZPL value */
    char curve[41];                  /* Z85 */
    char pub[2 * XC_PUBKEY_LEN + 1]; /* hex, lower case */
    char id[XC_KEY_ID_LEN + 1];      /* of pub */
    char not_before[32];             /* "" when not given */
    char not_after[32];
} s_node_t;

static int
s_key_fields (const s_args_t *a, s_node_t *n)
{
    uint8_t pub[XC_PUBKEY_LEN];
    if (strlen (a->pub) != 2 * XC_PUBKEY_LEN
        || xc_unhex (a->pub, pub, sizeof pub) != 0)
        return cli_usage_error (CMD, "%s", _("--public: must be 64 hex "
                                             "characters (an Ed25519 public "
                                             "key)"));
    xc_key_t *key = xc_key_from_public (pub);
    if (!key)
        return cli_usage_error (CMD, "%s", _("--public: not a usable Ed25519 "
                                             "public key"));
    xc_key_destroy (&key);
    xc_hex (pub, sizeof pub, n->pub);
    xc_key_id (pub, n->id);
    uint64_t nb = 0, na = 0;
    int rc;
    if (a->not_before && (rc = cli_tlist_time ("--not-before", a->not_before,
                                               n->not_before, &nb)) >= 0)
        return rc;
    if (a->not_after && (rc = cli_tlist_time ("--not-after", a->not_after,
                                              n->not_after, &na)) >= 0)
        return rc;
    if (nb && na && na <= nb)
        return cli_usage_error (CMD, "%s", _("--not-after: must be later than "
                                             "--not-before"));
    return -1;
}

/*  Checks every field, naming the first bad one; fills n. */
static int
s_node_fields (const s_args_t *a, s_node_t *n)
{
    memset (n, 0, sizeof *n);
    n->code = a->code;
    n->name = a->name;
    n->endpoint = a->endpoint;
    int rc = cli_node_code (CMD, a->code);
    if (rc >= 0)
        return rc;
    if (!s_name_ok (a->name, n->quoted_name, sizeof n->quoted_name))
        return cli_usage_error (CMD, "%s", _("--name: must be 1 to 95 bytes "
                                             "of text, without control "
                                             "characters or both kinds of "
                                             "quotes"));
    if (!s_endpoint_ok (a->endpoint))
        return cli_usage_error (CMD, _("--endpoint: '%s' is not "
                                       "tcp://HOST:PORT (a host the other "
                                       "nodes can reach, not *; port "
                                       "1..65535; IPv6 in brackets)"),
                                a->endpoint);
    if (s_curve_z85 (a->curve, n->curve) != 0)
        return cli_usage_error (CMD, "%s", _("--curve: must be a CURVE "
                                             "public key, 40 Z85 or 64 hex "
                                             "characters"));
    return s_key_fields (a, n);
}

/*  The node's section, inserted at line at. */
static int
s_insert_node (cli_tlist_t *l, size_t at, const s_node_t *n)
{
    int rc = cli_tlist_insert (l, at++, "    node");
    rc = rc ? rc : cli_tlist_insert (l, at++, "        code = \"%s\"", n->code);
    rc = rc ? rc : cli_tlist_insert (l, at++, "        name = %s",
                                     n->quoted_name);
    rc = rc ? rc : cli_tlist_insert (l, at++, "        endpoint = \"%s\"",
                                     n->endpoint);
    rc = rc ? rc : cli_tlist_insert (l, at++, "        curve = \"%s\"",
                                     n->curve);
    rc = rc ? rc : cli_tlist_insert (l, at++, "        key");
    rc = rc ? rc : cli_tlist_insert (l, at++, "            public = \"%s\"",
                                     n->pub);
    if (rc == 0 && n->not_before[0])
        rc = cli_tlist_insert (l, at++, "            not_before = \"%s\"",
                               n->not_before);
    if (rc == 0 && n->not_after[0])
        rc = cli_tlist_insert (l, at++, "            not_after = \"%s\"",
                               n->not_after);
    return rc;
}

/*  The edited list must hold the node as given, with its key. */
static int
s_check_added (const xc_trust_t *t, void *arg, char *why, size_t why_len)
{
    const s_node_t *n = arg;
    const xc_trust_node_t *got = xc_trust_node (t, n->code);
    const xc_trust_key_t *key = xc_trust_key (t, n->id);
    if (!got || strcmp (got->name, n->name) != 0
        || strcmp (got->endpoint, n->endpoint) != 0
        || strcmp (got->curve, n->curve) != 0 || !key
        || strcmp (key->node, n->code) != 0)
        return xc_why (why, why_len, XC_ECONFIG, "%s",
                       _("the edit did not take (layout not understood)"));
    return 0;
}

static void
s_added_report (const s_args_t *a, const s_node_t *n)
{
    bool resign = cli_tlist_resign_hint (a->list, a->json);
    if (!a->json) {
        printf (_("%s: node %s (%s) added, endpoint %s, key %s\n"), a->list,
                n->code, n->name, n->endpoint, n->id);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "list", a->list);
    cli_json_str (&j, "action", a->action);
    cli_json_str (&j, "code", n->code);
    cli_json_str (&j, "name", n->name);
    cli_json_str (&j, "endpoint", n->endpoint);
    cli_json_str (&j, "curve", n->curve);
    cli_json_str (&j, "key_id", n->id);
    cli_json_bool (&j, "resign_needed", resign);
    cli_json_end (&j);
}

static int
s_add_node (const s_args_t *a)
{
    s_node_t n;
    int rc = s_node_fields (a, &n);
    if (rc >= 0)
        return rc;
    char why[1024];
    size_t at = 0;
    cli_tlist_t *l = cli_tlist_load (a->list, why, sizeof why);
    rc = l ? 0 : XC_EIO;
    /* Said here by name; the load check would only say "listed twice". */
    if (rc == 0 && cli_tlist_find_node (l, n.code, &at) == 0)
        rc = xc_why (why, sizeof why, XC_ECONFIG,
                     _("%s: node %s is already listed (line %zu); %s left "
                       "unchanged"), a->list, n.code,
                     at + 1, a->list);
    if (rc == 0 && cli_tlist_find_trust (l, &at) != 0)
        rc = xc_why (why, sizeof why, XC_ECONFIG, _("%s: no `trust` section"),
                     a->list);
    if (rc == 0 && s_insert_node (l, cli_tlist_section_end (l, at, 0), &n))
        rc = xc_why (why, sizeof why, XC_ENOMEM, "%s", _("out of memory"));
    if (rc == 0)
        rc = cli_tlist_commit (l, a->list, s_check_added, &n, why,
                               sizeof why);
    cli_tlist_destroy (&l);
    if (rc)
        return s_fail (a, rc, why);
    s_added_report (a, &n);
    return CLI_EXIT_OK;
}

// ---- remove-node ------------------------------------------------------------

/*  What the section from..to held: the node's name and its keys. */
static size_t
s_section_keys (const cli_tlist_t *l, size_t from, size_t to, char *name,
                size_t name_len)
{
    size_t keys = 0;
    char field[64], value[256];
    int d;
    for (size_t i = from + 1; i < to; i++) {
        if (cli_tlist_split (cli_tlist_line (l, i), &d, field, sizeof field,
                             value, sizeof value) != 0 || d != 2)
            continue;
        keys += strcmp (field, "key") == 0;
        if (strcmp (field, "name") == 0)
            snprintf (name, name_len, "%s", value);
    }
    return keys;
}

static int
s_check_removed (const xc_trust_t *t, void *arg, char *why, size_t why_len)
{
    if (xc_trust_node (t, (const char *) arg))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("the edit did not take (node %s still "
                         "listed)"), (const char *) arg);
    return 0;
}

static void
s_removed_report (const s_args_t *a, const char *name, size_t keys)
{
    bool resign = cli_tlist_resign_hint (a->list, a->json);
    if (!a->json) {
        printf (keys == 1 ? _("%s: node %s (%s) removed with its %zu key\n")
                          : _("%s: node %s (%s) removed with its %zu keys\n"),
                a->list, a->code, name, keys);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "list", a->list);
    cli_json_str (&j, "action", a->action);
    cli_json_str (&j, "code", a->code);
    cli_json_str (&j, "name", name);
    cli_json_uint (&j, "keys_removed", keys);
    cli_json_bool (&j, "resign_needed", resign);
    cli_json_end (&j);
}

static int
s_remove_node (const s_args_t *a)
{
    char why[1024], name[256] = "";
    size_t at = 0, keys = 0;
    cli_tlist_t *l = cli_tlist_load (a->list, why, sizeof why);
    int rc = l ? 0 : XC_EIO;
    if (rc == 0 && cli_tlist_find_node (l, a->code, &at) != 0)
        rc = xc_why (why, sizeof why, XC_EINVAL, _("%s: no node with code %s"),
                     a->list, a->code);
    if (rc == 0) {
        size_t end = cli_tlist_section_end (l, at, 1);
        keys = s_section_keys (l, at, end, name, sizeof name);
        cli_tlist_remove (l, at, end);
        rc = cli_tlist_commit (l, a->list, s_check_removed,
                               (void *) a->code, why, sizeof why);
    }
    cli_tlist_destroy (&l);
    if (rc)
        return s_fail (a, rc, why);
    s_removed_report (a, name, keys);
    return CLI_EXIT_OK;
}

int
cli_trust_node_main (int argc, char **argv)
{
    s_args_t a = {0};
    int rc = s_parse (argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (strcmp (a.action, "create") == 0)
        return s_create (&a);
    if (strcmp (a.action, "add-node") == 0)
        return s_add_node (&a);
    return s_remove_node (&a);
}
