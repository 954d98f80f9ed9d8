/*  cli_trust_edit.c - xiecha trust add-key / revoke-key: edits a trust
    list in place, at the level of its text.

        trust add-key LIST --node CODE --public HEX
                      [--not-before ISO] [--not-after ISO]
        trust revoke-key LIST --key KEYID --at ISO
                      [--reason retired|compromised]
                      [--trusted-checkpoint SIZE:ROOT]

    Both edit the list's text through cli_tlist (comments and layout
    stay; the change is committed only when the edited list loads and
    holds it): add-key inserts a `key` block after the last line of that
    node's section; revoke-key replaces the `revoked_at` line of that
    key's block or inserts one after the block's last line, and sets
    revoked_reason (always written, so the list says what was meant) and
    trusted_checkpoint the same way.  A signed
    list (LIST.sig present, or a serial) must then be re-signed: the old
    signature no longer matches the bytes. */
#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_tlist.h"

#define CMD "trust"

typedef struct {
    const char *action;       /* add-key or revoke-key */
    const char *list;         /* LIST */
    const char *node;         /* --node */
    const char *pub;          /* --public */
    const char *key;          /* --key */
    const char *not_before;   /* --not-before, as given */
    const char *not_after;    /* --not-after */
    const char *at;           /* --at */
    const char *reason;       /* --reason, as given */
    const char *checkpoint;   /* --trusted-checkpoint, as given */
    bool json;                /* --json */
} s_args_t;

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha trust add-key LIST --node CODE --public HEX\n"
        "                    [--not-before ISO] [--not-after ISO] [--json]\n"
        "       xiecha trust revoke-key LIST --key KEYID --at ISO\n"
        "                    [--reason retired|compromised]\n"
        "                    [--trusted-checkpoint SIZE:ROOT] [--json]\n"
        "\n"
        "add-key adds an Ed25519 public key to a node of the trust list\n"
        "(a `key` block at the end of the node's section); revoke-key sets\n"
        "revoked_at and revoked_reason of a key.  A retired key (superseded)\n"
        "keeps what it signed before --at: every time a message asserts\n"
        "must be before it.  A compromised key keeps nothing, whatever time\n"
        "it claims (its thief writes the times): except what a proof bundle\n"
        "shows under --trusted-checkpoint, the last checkpoint of its node\n"
        "from before the compromise (tree size and Merkle root, as an audit\n"
        "export or `audit prove` shows them).  The file keeps its comments\n"
        "and layout, is\n"
        "replaced atomically and only when the result still loads.  Times\n"
        "are kept to the second.  A signed list must be re-signed after,\n"
        "with a higher serial (xiecha trust sign LIST --key ROOT --bump).\n"
        "\n"
        "  -n, --node CODE        add-key: the node the key speaks for\n"
        "  -p, --public HEX       add-key: the public key, 64 hex\n"
        "  -b, --not-before ISO   add-key: valid from\n"
        "  -a, --not-after ISO    add-key: valid until\n"
        "  -k, --key KEYID        revoke-key: the key id (trust show)\n"
        "  -t, --at ISO           revoke-key: the revocation instant\n"
        "  -r, --reason WHY       revoke-key: retired or compromised\n"
        "                         (default compromised, the safe reading)\n"
        "  -c, --trusted-checkpoint SIZE:ROOT\n"
        "                         revoke-key, compromised only: tree size and\n"
        "                         root (64 hex) of the last checkpoint held\n"
        "                         from before the compromise\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
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
        { "reason", required_argument, NULL, 'r' },
        { "trusted-checkpoint", required_argument, NULL, 'c' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":n:p:b:a:k:t:r:c:jh", opts, NULL))
           != -1) {
        switch (c) {
        case 'n': a->node = optarg; break;
        case 'p': a->pub = optarg; break;
        case 'b': a->not_before = optarg; break;
        case 'a': a->not_after = optarg; break;
        case 'k': a->key = optarg; break;
        case 't': a->at = optarg; break;
        case 'r': a->reason = optarg; break;
        case 'c': a->checkpoint = optarg; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error (CMD, "%s",
                                _("which action? (add-key, revoke-key)"));
    a->action = argv[optind++];
    if (optind < argc)
        a->list = argv[optind++];
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    if (!a->list)
        return cli_usage_error (CMD, _("%s needs LIST"), a->action);
    bool add = strcmp (a->action, "add-key") == 0;
    if (add) {
        if (!a->node || !a->pub)
            return cli_usage_error (CMD, "%s",
                                    _("add-key needs --node and --public"));
        if (a->key || a->at || a->reason || a->checkpoint)
            return cli_usage_error (CMD, "%s",
                                    _("--key, --at, --reason and "
                                      "--trusted-checkpoint go with "
                                      "revoke-key"));
    }
    else {
        if (!a->key || !a->at)
            return cli_usage_error (CMD, "%s",
                                    _("revoke-key needs --key and --at"));
        if (a->node || a->pub || a->not_before || a->not_after)
            return cli_usage_error (CMD, "%s",
                                    _("--node, --public, --not-before and "
                                      "--not-after go with add-key"));
        if (!a->reason)
            a->reason = "compromised";
        if (strcmp (a->reason, "retired") != 0
            && strcmp (a->reason, "compromised") != 0)
            return cli_usage_error (CMD, _("--reason: '%s' is not retired or "
                                           "compromised"), a->reason);
        if (a->checkpoint && strcmp (a->reason, "compromised") != 0)
            return cli_usage_error (CMD, "%s",
                                    _("--trusted-checkpoint goes with "
                                      "--reason compromised (a retired key "
                                      "keeps what it made before --at)"));
    }
    return -1;
}

/*  What an edit must have done, checked on the edited list. */
typedef struct {
    const char *id;         /* the key added or revoked */
    const char *node;       /* add-key: the node it must belong to */
    uint64_t revoked_at;    /* revoke-key: the instant it must carry */
    const char *reason;     /* revoke-key: and the reason */
} s_expect_t;

static int
s_check_edit (const xc_trust_t *t, void *arg, char *why, size_t why_len)
{
    const s_expect_t *e = arg;
    const xc_trust_key_t *k = xc_trust_key (t, e->id);
    if (!k || (e->node && strcmp (k->node, e->node) != 0)
        || (e->revoked_at && k->revoked_at != e->revoked_at)
        || (e->reason
            && strcmp (xc_trust_reason_name (k->revoked_reason), e->reason)))
        return xc_why (why, why_len, XC_ECONFIG, "%s",
                       _("the edit did not take (layout not understood)"));
    return 0;
}

static int
s_report (const s_args_t *a, const char *id, const char *node,
          const char *at)
{
    const char *cp = a->checkpoint;
    char local[32];
    bool resign = cli_tlist_resign_hint (a->list, a->json);
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "list", a->list);
        cli_json_str (&j, "action", a->action);
        cli_json_str (&j, "key_id", id);
        if (node)
            cli_json_str (&j, "node", node);
        if (at) {
            cli_json_str (&j, "revoked_at", at);
            cli_json_str (&j, "revoked_reason", a->reason);
            cli_json_str (&j, "trusted_checkpoint", cp);
        }
        cli_json_bool (&j, "resign_needed", resign);
        cli_json_end (&j);
    }
    else if (at && cp)
        printf (_("%s: key %s revoked at %s (%s), trusted checkpoint %s\n"),
                a->list, id, cli_tlist_local (at, local),
                cli_tlist_reason_text (a->reason), cp);
    else if (at)
        printf (_("%s: key %s revoked at %s (%s)\n"), a->list, id,
                cli_tlist_local (at, local),
                cli_tlist_reason_text (a->reason));
    else
        printf (_("%s: key %s added to node %s\n"), a->list, id, node);
    return CLI_EXIT_OK;
}

/*  Inserts a `key` block at line at, inside a node section. */
static int
s_insert_key (cli_tlist_t *l, size_t at, const char *hex, const char *nb,
              const char *na)
{
    int rc = cli_tlist_insert (l, at++, "        key");
    rc = rc ? rc : cli_tlist_insert (l, at++, "            public = \"%s\"",
                                     hex);
    if (rc == 0 && *nb)
        rc = cli_tlist_insert (l, at++, "            not_before = \"%s\"", nb);
    if (rc == 0 && *na)
        rc = cli_tlist_insert (l, at++, "            not_after = \"%s\"", na);
    return rc;
}

static int
s_add_key (const s_args_t *a)
{
    char why[1024], nb[32] = "", na[32] = "", id[XC_KEY_ID_LEN + 1];
    char hex[2 * XC_PUBKEY_LEN + 1];
    uint64_t ms;
    uint8_t pub[XC_PUBKEY_LEN];
    int rc;
    if (strlen (a->pub) != 2 * XC_PUBKEY_LEN
        || xc_unhex (a->pub, pub, sizeof pub) != 0)
        return cli_usage_error (CMD, "%s",
                                _("--public: must be 64 hex characters"));
    if (a->not_before
        && (rc = cli_tlist_time ("--not-before", a->not_before, nb, &ms)) >= 0)
        return rc;
    if (a->not_after
        && (rc = cli_tlist_time ("--not-after", a->not_after, na, &ms)) >= 0)
        return rc;
    xc_key_id (pub, id);
    xc_hex (pub, sizeof pub, hex);

    cli_tlist_t *l = cli_tlist_load (a->list, why, sizeof why);
    size_t at = 0;
    rc = l ? 0 : XC_EIO;
    if (rc == 0 && cli_tlist_find_node (l, a->node, &at) != 0)
        rc = xc_why (why, sizeof why, XC_EINVAL, _("%s: no node with code %s"),
                     a->list, a->node);
    if (rc == 0 && s_insert_key (l, cli_tlist_section_end (l, at, 1), hex,
                                 nb, na) != 0)
        rc = xc_why (why, sizeof why, XC_ENOMEM, "%s", _("out of memory"));
    s_expect_t expect = {id, a->node, 0, NULL};
    if (rc == 0)
        rc = cli_tlist_commit (l, a->list, s_check_edit, &expect, why,
                               sizeof why);
    cli_tlist_destroy (&l);
    if (rc)
        return s_fail (a, rc, why);
    return s_report (a, id, a->node, NULL);
}

/*  Sets field to the quoted value in the `key` block at line at:
    replaces its line if there is one (keeping its indentation), else
    adds one at the end. */
static int
s_set_key_field (cli_tlist_t *l, size_t at, const char *field,
                 const char *value)
{
    size_t end = cli_tlist_section_end (l, at, 2);
    for (size_t i = at + 1; i < end; i++) {
        char name[64], old[256];
        int d;
        const char *line = cli_tlist_line (l, i);
        if (cli_tlist_split (line, &d, name, sizeof name, old,
                             sizeof old) == 0
            && d == 3 && strcmp (name, field) == 0)
            return cli_tlist_replace (l, i, "%.*s%s = \"%s\"",
                                      (int) strspn (line, " "), line, field,
                                      value);
    }
    return cli_tlist_insert (l, end, "            %s = \"%s\"", field,
                             value);
}

/*  The revocation lines: instant, reason, and the checkpoint when one
    is given (an old one stays only with compromised, where the list
    allows it). */
static int
s_set_revoked (cli_tlist_t *l, size_t at, const s_args_t *a,
               const char *iso)
{
    int rc = s_set_key_field (l, at, "revoked_at", iso);
    if (rc == 0)
        rc = s_set_key_field (l, at, "revoked_reason", a->reason);
    if (rc == 0 && a->checkpoint)
        rc = s_set_key_field (l, at, "trusted_checkpoint", a->checkpoint);
    return rc;
}

static int
s_revoke_key (const s_args_t *a)
{
    char why[1024], iso[32], id[XC_KEY_ID_LEN + 1];
    uint64_t ms;
    int rc = cli_tlist_time ("--at", a->at, iso, &ms);
    if (rc >= 0)
        return rc;
    if (strlen (a->key) != XC_KEY_ID_LEN)
        return cli_usage_error (CMD, _("--key: a key id is %d hex characters"),
                                XC_KEY_ID_LEN);
    /* Key ids are lower-case hex, as xc_trust_key looks them up. */
    for (size_t i = 0; i <= XC_KEY_ID_LEN; i++)
        id[i] = (char) tolower ((unsigned char) a->key[i]);

    cli_tlist_t *l = cli_tlist_load (a->list, why, sizeof why);
    size_t at = 0;
    rc = l ? 0 : XC_EIO;
    if (rc == 0 && cli_tlist_find_key (l, id, &at) != 0)
        rc = xc_why (why, sizeof why, XC_EINVAL, _("%s: no key with id %s"),
                     a->list, a->key);
    if (rc == 0 && s_set_revoked (l, at, a, iso) != 0)
        rc = xc_why (why, sizeof why, XC_ENOMEM, "%s", _("out of memory"));
    s_expect_t expect = {id, NULL, ms, a->reason};
    if (rc == 0)
        rc = cli_tlist_commit (l, a->list, s_check_edit, &expect, why,
                               sizeof why);
    cli_tlist_destroy (&l);
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
