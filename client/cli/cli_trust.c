/*  cli_trust.c - xiecha trust: the network's root key and the signed
    trust list.

        trust root-keygen --out KEY      new root key; prints its public hex
        trust verify LIST --root HEX     checks LIST.sig, the list and its
                                         validity period (now or --at)
        trust show LIST                  nodes and keys with their windows

    The commands that make and change a list live in cli_trust_node.c
    (create, add-node, remove-node) and cli_trust_edit.c (add-key,
    revoke-key); sign, which may raise the serial first, in
    cli_trust_sign.c.

    The root key signs nothing but trust lists and should live offline;
    nodes only ever see its public half (trust/root in their config). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_tlist.h"

#define CMD "trust"

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha trust root-keygen --out KEY [--force] [--json]\n"
        "       xiecha trust sign LIST --key KEY [--bump | --serial N]\n"
        "                    [--next-update ISO | --valid-days D] [--json]\n"
        "                    (see xiecha trust sign --help)\n"
        "       xiecha trust verify LIST (--root HEX | --root-file FILE)\n"
        "                           [--min-serial N] [--at TIME]\n"
        "                    [--json]\n"
        "       xiecha trust show LIST [--json]\n"
        "       xiecha trust create|add-node|remove-node LIST ...\n"
        "                    (see xiecha trust create --help)\n"
        "       xiecha trust add-key|revoke-key LIST ...\n"
        "                    (see xiecha trust add-key --help)\n"
        "\n"
        "root-keygen writes a new Ed25519 root key (PEM, mode 0600) and\n"
        "prints its public key: put that in every node's trust/root.\n"
        "sign writes LIST.sig (root key id and signature over the exact\n"
        "bytes of LIST); the list must carry serial, issued and next_update.\n"
        "A changed list needs a higher serial: sign --bump raises it.\n"
        "verify checks LIST.sig against the root public key, the list, and\n"
        "that it is valid (issued .. next_update) now or at --at: a list\n"
        "past its next_update fails (exit 1), as offline verifiers refuse\n"
        "it;\n"
        "show prints the nodes and their keys with validity windows.\n"
        "create begins a new list; add-node, remove-node, add-key and\n"
        "revoke-key change one in place (then sign it with --bump).\n"
        "\n"
        "  -o, --out KEY          root-keygen: where the private key goes\n"
        "  -r, --root HEX         verify: the root public key, 64 hex\n"
        "      --root-file FILE   verify: the same, read from FILE (one\n"
        "                         line of hex, as the offline verifiers\n"
        "                         take it)\n"
        "  -m, --min-serial N     verify: refuse a serial below N\n"
        "  -a, --at TIME          verify: check the validity period at this\n"
        "                         ISO 8601 time instead of now\n"
        "  -f, --force            root-keygen: replace an existing file\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"),
        cli_exit_help ());
}

typedef struct {
    const char *action;    /* root-keygen, verify, show */
    const char *list;      /* LIST operand */
    const char *out;       /* -o */
    const char *root;      /* -r, or the text of --root-file */
    char root_text[2 * XC_PUBKEY_LEN + 1];
    uint64_t min_serial;   /* -m */
    uint64_t at_ms;        /* -a, 0: now */
    bool force;            /* -f */
    bool json;             /* -j */
} s_args_t;

/*  Which options each action takes, so a stray one is an error rather
    than silently ignored. */
static int
s_check_args (s_args_t *a)
{
    bool keygen = strcmp (a->action, "root-keygen") == 0;
    bool verify = strcmp (a->action, "verify") == 0;
    if (!keygen && !verify && strcmp (a->action, "show") != 0)
        return cli_usage_error (CMD, _("unknown action '%s' (root-keygen, "
                                       "create, add-node, remove-node, "
                                       "add-key, revoke-key, sign, "
                                       "verify, show; the action comes "
                                       "first)"), a->action);
    if (keygen != !a->list)
        return cli_usage_error (CMD, keygen ? "root-keygen takes no LIST"
                                            : "%s needs LIST", a->action);
    if (keygen != !!a->out || (a->force && !keygen))
        return cli_usage_error (CMD, "%s", _("--out and --force go with "
                                             "root-keygen only, which needs "
                                             "--out"));
    if (verify != !!a->root || ((a->min_serial || a->at_ms) && !verify))
        return cli_usage_error (CMD, "%s", _("--root, --min-serial and --at "
                                             "go with verify only, which "
                                             "needs --root"));
    return -1;
}

/*  --root-file: the root key's hex, one line, as every offline verifier
    reads it (cli_anchor.h). */
static int
s_root_file (const char *path, s_args_t *a)
{
    char *text = NULL, why[512];
    size_t len = 0;
    if (cli_read_file (path, 4096, &text, &len, why, sizeof why) != 0) {
        cli_usage_error (CMD, _("--root-file %s"), why);
        return -1;
    }
    size_t n = strspn (text, "0123456789abcdefABCDEF");
    int bad = n != 2 * XC_PUBKEY_LEN || strspn (text + n, " \t\r\n")
                                             != len - n;
    snprintf (a->root_text, sizeof a->root_text, "%.*s", (int) n, text);
    free (text);
    if (bad) {
        cli_usage_error (CMD, _("--root-file %s: not one line of 64 hex "
                                "characters"), path);
        return -1;
    }
    a->root = a->root_text;
    return 0;
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' },
        { "root", required_argument, NULL, 'r' },
        { "root-file", required_argument, NULL, 'R' },
        { "min-serial", required_argument, NULL, 'm' },
        { "at", required_argument, NULL, 'a' },
        { "force", no_argument, NULL, 'f' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":o:r:m:a:fjh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'r': a->root = optarg; break;
        case 'R':
            if (s_root_file (optarg, a) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'm':
            a->min_serial = strtoull (optarg, &end, 10);
            if (*optarg < '0' || *optarg > '9' || *end)
                return cli_usage_error (CMD,
                                        _("--min-serial: '%s' is not a "
                                          "number"), optarg);
            break;
        case 'a':
            if (cli_parse_iso (optarg, &a->at_ms) != 0 || !a->at_ms)
                return cli_usage_error (CMD,
                                        _("--at: '%s' is not an ISO 8601 time "
                                          "(2026-11-23T08:00:00Z)"), optarg);
            break;
        case 'f': a->force = true; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error (CMD, "%s", _("which action? (root-keygen, "
                                             "create, add-node, remove-node, "
                                             "add-key, revoke-key, sign, "
                                             "verify, show; see --help)"));
    a->action = argv[optind++];
    if (optind < argc)
        a->list = argv[optind++];
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    return s_check_args (a);
}

/*  Prints the failure for people or machines; returns the exit code. */
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
s_root_keygen (const s_args_t *a)
{
    char why[512];
    if (!a->force && access (a->out, F_OK) == 0) {
        snprintf (why, sizeof why, _("%s exists (use --force to replace it)"),
                  a->out);
        return s_fail (a, XC_EINVAL, why);
    }
    xc_key_t *key = xc_key_generate ();
    if (!key)
        return s_fail (a, XC_EKEY, _("cannot generate a key"));
    int rc = xc_key_save (key, a->out);
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], id[XC_KEY_ID_LEN + 1];
    xc_key_public (key, pub);
    xc_key_destroy (&key);
    if (rc) {
        snprintf (why, sizeof why, _("%s: cannot write the key"), a->out);
        return s_fail (a, rc, why);
    }
    xc_hex (pub, sizeof pub, hex);
    xc_key_id (pub, id);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "key_file", a->out);
        cli_json_str (&j, "public", hex);
        cli_json_str (&j, "key_id", id);
        cli_json_end (&j);
    }
    else
        printf ("%s\n", hex);
    return CLI_EXIT_OK;
}

/*  A time of the list for people: local, or "-" for none. */
static void
s_local (uint64_t ms, char *out)
{
    if (ms)
        cli_local_time (ms, out);
    else
        strcpy (out, "-");
}

/*  The display width of the widest node name, for the name column. */
static size_t
s_name_width (const xc_trust_t *t)
{
    size_t w = 0;
    for (size_t i = 0; i < xc_trust_size (t); i++) {
        size_t n = xc_text_width (xc_trust_at (t, i)->name);
        w = n > w ? n : w;
    }
    return w + 2;
}

/*  One key line under its node. */
static void
s_show_key (const xc_trust_key_t *key)
{
    char a[32], b[32];
    s_local (key->not_before, a);
    s_local (key->not_after, b);
    printf (_("    key %s  valid %s .. %s"), key->id, a, b);
    if (key->revoked_at) {
        s_local (key->revoked_at, a);
        printf (_("  REVOKED at %s (%s)"), a,
                cli_tlist_reason_text (
                    xc_trust_reason_name (key->revoked_reason)));
    }
    if (key->trusted_size) {
        char root[2 * XC_HASH_LEN + 1];
        xc_hex (key->trusted_root, XC_HASH_LEN, root);
        printf (_("  trusted checkpoint %llu:%s"),
                (unsigned long long) key->trusted_size, root);
    }
    printf ("\n");
}

static void
s_show_text (const xc_trust_t *t, const char *list)
{
    char a[32], b[32];
    printf (_("%s: %zu nodes, %zu keys"), list, xc_trust_size (t),
            xc_trust_key_count (t));
    if (xc_trust_serial (t)) {
        s_local (xc_trust_issued (t), a);
        s_local (xc_trust_next_update (t), b);
        printf (_(", serial %llu, issued %s, next update %s"),
                (unsigned long long) xc_trust_serial (t), a, b);
    }
    printf (_(", NOT_RECEIVING from rosters of at most %u days, certificates "
              "valid at most %u days\n"),
            xc_trust_max_roster_age (t), xc_trust_max_cert_lifetime (t));
    //  Node names may be Chinese: the name column is padded by display
    //  width, so endpoints line up.
    size_t width = s_name_width (t);
    for (size_t i = 0; i < xc_trust_size (t); i++) {
        const xc_trust_node_t *n = xc_trust_at (t, i);
        printf ("%s  ", n->code);
        cli_pad (stdout, n->name, width);
        printf (_("%s  curve %s\n"), n->endpoint, n->curve);
        for (size_t k = 0; k < xc_trust_key_count (t); k++) {
            const xc_trust_key_t *key = xc_trust_key_at (t, k);
            if (strcmp (key->node, n->code) == 0)
                s_show_key (key);
        }
    }
}

static void
s_json_window (cli_json_t *j, const char *name, uint64_t ms)
{
    char iso[32];
    if (!ms) {
        cli_json_null (j, name);
        return;
    }
    xc_time_iso (ms, iso);
    cli_json_str (j, name, iso);
}

/*  revoked_reason and trusted_checkpoint of a key, null when none. */
static void
s_json_reason (cli_json_t *j, const xc_trust_key_t *key)
{
    char cp[24 + 2 * XC_HASH_LEN];
    if (key->revoked_reason)
        cli_json_str (j, "revoked_reason",
                      xc_trust_reason_name (key->revoked_reason));
    else
        cli_json_null (j, "revoked_reason");
    if (!key->trusted_size) {
        cli_json_null (j, "trusted_checkpoint");
        return;
    }
    int n = snprintf (cp, sizeof cp, "%llu:",
                      (unsigned long long) key->trusted_size);
    xc_hex (key->trusted_root, XC_HASH_LEN, cp + n);
    cli_json_str (j, "trusted_checkpoint", cp);
}

/*  The list as JSON, inside an object already opened. */
static void
s_show_json (cli_json_t *j, const xc_trust_t *t)
{
    if (xc_trust_serial (t))
        cli_json_uint (j, "serial", xc_trust_serial (t));
    else
        cli_json_null (j, "serial");
    s_json_window (j, "issued", xc_trust_issued (t));
    s_json_window (j, "next_update", xc_trust_next_update (t));
    cli_json_uint (j, "max_roster_age_days", xc_trust_max_roster_age (t));
    cli_json_uint (j, "max_cert_lifetime_days",
                   xc_trust_max_cert_lifetime (t));
    cli_json_array (j, "nodes");
    for (size_t i = 0; i < xc_trust_size (t); i++) {
        const xc_trust_node_t *n = xc_trust_at (t, i);
        cli_json_object (j, NULL);
        cli_json_str (j, "code", n->code);
        cli_json_str (j, "name", n->name);
        cli_json_str (j, "endpoint", n->endpoint);
        cli_json_str (j, "curve", n->curve);
        cli_json_array (j, "keys");
        for (size_t k = 0; k < xc_trust_key_count (t); k++) {
            const xc_trust_key_t *key = xc_trust_key_at (t, k);
            if (strcmp (key->node, n->code) != 0)
                continue;
            char hex[2 * XC_PUBKEY_LEN + 1];
            xc_hex (key->pub, sizeof key->pub, hex);
            cli_json_object (j, NULL);
            cli_json_str (j, "id", key->id);
            cli_json_str (j, "public", hex);
            s_json_window (j, "not_before", key->not_before);
            s_json_window (j, "not_after", key->not_after);
            s_json_window (j, "revoked_at", key->revoked_at);
            s_json_reason (j, key);
            cli_json_end (j);
        }
        cli_json_end (j);
        cli_json_end (j);
    }
    cli_json_end (j);
}

/*  Shared by verify and show: prints the loaded list. */
static int
s_print (const s_args_t *a, const xc_trust_t *t, bool verified)
{
    if (!a->json) {
        if (verified)
            printf (_("%s: signature OK (root key %.16s...)\n"), a->list,
                    a->root);
        s_show_text (t, a->list);
        if (!verified && xc_trust_next_update (t)
            && xc_now_ms () > xc_trust_next_update (t))
            fputs (_("warning: next_update has passed: a newer list should "
                     "exist; offline verifiers refuse it\n"), stdout);
        return CLI_EXIT_OK;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "list", a->list);
    if (verified)
        cli_json_bool (&j, "signature_ok", true);
    cli_json_bool (&j, "overdue", xc_trust_next_update (t)
                                  && xc_now_ms () > xc_trust_next_update (t));
    s_show_json (&j, t);
    cli_json_end (&j);
    return CLI_EXIT_OK;
}

static int
s_verify (const s_args_t *a)
{
    uint8_t root[XC_PUBKEY_LEN];
    if (strlen (a->root) != 2 * XC_PUBKEY_LEN
        || xc_unhex (a->root, root, sizeof root) != 0)
        return cli_usage_error (CMD, "%s",
                                _("--root: must be 64 hex characters"));
    char why[512];
    xc_trust_t *t = xc_trust_load_signed (a->list, root, a->min_serial, why,
                                          sizeof why);
    /* Past next_update a list is refused by every offline verifier, so
       it fails here too rather than pass with a warning. */
    int code = XC_ESIG;
    if (t && xc_trust_check_period (t, a->list, a->at_ms ? a->at_ms
                                                        : xc_now_ms (),
                                    why, sizeof why) != 0) {
        code = XC_ESTALE;
        xc_trust_destroy (&t);
    }
    /* A list that fails verification is a failed check (1), not bad
       input. */
    if (!t)
        return a->json ? (cli_json_error (code, why, CLI_EXIT_FAIL),
                          CLI_EXIT_FAIL)
                       : (cli_error (CMD, "%s", why), CLI_EXIT_FAIL);
    int rc = s_print (a, t, true);
    xc_trust_destroy (&t);
    return rc;
}

static int
s_show (const s_args_t *a)
{
    char why[512];
    xc_trust_t *t = xc_trust_load (a->list, why, sizeof why);
    if (!t)
        return s_fail (a, XC_ECONFIG, why);
    int rc = s_print (a, t, false);
    xc_trust_destroy (&t);
    return rc;
}

/*  Whether argv[1] is one of names (NULL-terminated). */
static bool
s_action_in (int argc, char **argv, const char *const *names)
{
    for (size_t i = 0; argc > 1 && names[i]; i++)
        if (strcmp (argv[1], names[i]) == 0)
            return true;
    return false;
}

int
cli_trust_main (int argc, char **argv)
{
    static const char *const edit[] = {"add-key", "revoke-key", NULL};
    static const char *const node[] = {"create", "add-node", "remove-node",
                                       NULL};
    static const char *const sign[] = {"sign", NULL};
    if (s_action_in (argc, argv, edit))
        return cli_trust_edit_main (argc, argv);
    if (s_action_in (argc, argv, node))
        return cli_trust_node_main (argc, argv);
    if (s_action_in (argc, argv, sign))
        return cli_trust_sign_main (argc, argv);
    s_args_t a = {0};
    int rc = s_parse (argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (strcmp (a.action, "root-keygen") == 0)
        return s_root_keygen (&a);
    if (strcmp (a.action, "verify") == 0)
        return s_verify (&a);
    return s_show (&a);
}
