/*  cli_trust_sign.c - xiecha trust sign: signs a trust list with the
    network's root key, raising its serial first when asked.

        trust sign LIST --key KEY [--bump | --serial N]
                   [--next-update ISO | --valid-days D]

    A node refuses a list older than one it has used, and a list of the
    same serial with other bytes (an old list signed again would undo a
    revocation), so every change needs a higher serial.  --bump and
    --serial write it, with issued set to now and next_update as given
    (or kept), into the list's text through cli_tlist: comments and
    layout stay, and the list is replaced atomically, only when the
    edited list loads with that header.  Then LIST.sig is written (also
    atomically) and checked against the root's public half. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_tlist.h"

#define CMD "trust"

/*  --valid-days at most: a century keeps now + D days far from overflow
    and is longer than any list should live. */
#define S_MAX_VALID_DAYS 36500
#define S_DAY_MS (24ULL * 3600 * 1000)

typedef struct {
    const char *list;          /* LIST */
    const char *key;           /* --key: the root private key */
    const char *serial;        /* --serial, as given */
    bool bump;                 /* --bump */
    const char *next_update;   /* --next-update, as given */
    const char *valid_days;    /* --valid-days, as given */
    bool json;                 /* --json */
} s_args_t;

/*  The header of the list as signed. */
typedef struct {
    bool raised;               /* --bump or --serial wrote it */
    uint64_t old_serial;       /* the serial before (0: none) */
    uint64_t serial;           /* the serial signed */
    uint64_t issued;           /* UTC ms */
    uint64_t next_update;      /* UTC ms */
    char issued_iso[32];       /* "YYYY-MM-DDTHH:MM:SSZ" */
    char next_iso[32];
} s_header_t;

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha trust sign LIST --key KEY [--bump | --serial N]\n"
        "                    [--next-update ISO | --valid-days D] [--json]\n"
        "\n"
        "sign writes LIST.sig: the root key's id and its signature over the\n"
        "exact bytes of LIST, which must carry serial, issued and\n"
        "next_update and list at least one node.\n"
        "Nodes refuse a list older than one they have used, and a list of\n"
        "the same serial with other bytes, so a changed list needs a higher\n"
        "serial: --bump raises it by one, --serial N sets it to N (higher\n"
        "than the list's).  Either also sets issued to now and next_update\n"
        "to --next-update, or --valid-days after now, or leaves it when it\n"
        "is still ahead.  The header lines are changed in the list's text\n"
        "(comments and layout stay) and the list replaced atomically before\n"
        "it is signed.  Signing the same bytes again is harmless: nodes take\n"
        "it as no change.\n"
        "\n"
        "  -k, --key KEY          the root private key (trust root-keygen)\n"
        "  -b, --bump             serial + 1, issued now\n"
        "  -s, --serial N         serial N (> the list's), issued now\n"
        "  -u, --next-update ISO  with --bump/--serial: when a newer list\n"
        "                         is due\n"
        "  -d, --valid-days D     with --bump/--serial: next_update D days\n"
        "                         after now (1..36500)\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "A bad option, a serial not above the list's or a next_update not\n"
        "after now exits 2, LIST unchanged; a list that cannot be signed\n"
        "(no node, header missing) exits 1.\n"
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

/*  Options that go together, so a stray one is an error rather than
    silently ignored. */
static int
s_check_args (const s_args_t *a)
{
    if (!a->list)
        return cli_usage_error (CMD, "%s", _("sign needs LIST"));
    if (!a->key)
        return cli_usage_error (CMD, "%s",
                                _("sign needs --key (the root private key)"));
    if (a->bump && a->serial)
        return cli_usage_error (CMD, "%s", _("--bump and --serial: give one"));
    if (a->next_update && a->valid_days)
        return cli_usage_error (CMD, "%s",
                                _("--next-update and --valid-days: give one"));
    /* A new next_update is a change of the list, which needs a new
       serial, or nodes on the old list would refuse it. */
    if ((a->next_update || a->valid_days) && !a->bump && !a->serial)
        return cli_usage_error (CMD, "%s", _("--next-update and --valid-days "
                                             "go with --bump or --serial (a "
                                             "changed list needs a higher "
                                             "serial)"));
    return -1;
}

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "key", required_argument, NULL, 'k' },
        { "bump", no_argument, NULL, 'b' },
        { "serial", required_argument, NULL, 's' },
        { "next-update", required_argument, NULL, 'u' },
        { "valid-days", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":k:bs:u:d:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'k': a->key = optarg; break;
        case 'b': a->bump = true; break;
        case 's': a->serial = optarg; break;
        case 'u': a->next_update = optarg; break;
        case 'd': a->valid_days = optarg; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    /* getopt moved the operands last: the action, then LIST. */
    if (optind == argc || strcmp (argv[optind], "sign") != 0)
        return cli_usage_error (CMD, "%s", _("the action comes first: xiecha "
                                             "trust sign LIST --key KEY"));
    if (++optind < argc)
        a->list = argv[optind++];
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    return s_check_args (a);
}

/*  A whole number in 1..max, as trust.c reads a serial.  Returns -1 when
    good, else the exit code (message printed). */
static int
s_parse_count (const char *opt, const char *text, uint64_t max,
               uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull (text, &end, 10);
    if (*text < '1' || *text > '9' || *end || errno || n > max)
        return cli_usage_error (CMD, _("%s: '%s' is not a whole number from 1 "
                                       "to %llu"), opt, text,
                                (unsigned long long) max);
    *out = n;
    return -1;
}

/*  The new serial: above the list's, by one for --bump. */
static int
s_new_serial (const s_args_t *a, s_header_t *h)
{
    if (a->bump) {
        if (h->old_serial == UINT64_MAX)
            return cli_usage_error (CMD, _("--bump: serial %llu is the "
                                           "largest there is"),
                                    (unsigned long long) h->old_serial);
        h->serial = h->old_serial + 1;
        return -1;
    }
    int rc = s_parse_count ("--serial", a->serial, UINT64_MAX, &h->serial);
    if (rc >= 0)
        return rc;
    if (h->serial <= h->old_serial)
        return cli_usage_error (CMD, _("--serial %llu: must be greater than "
                                       "the serial of %s, %llu (nodes refuse "
                                       "an older list, and another list of "
                                       "the same serial)"),
                                (unsigned long long) h->serial, a->list,
                                (unsigned long long) h->old_serial);
    return -1;
}

/*  next_update: given, D days on, or the list's own while still ahead. */
static int
s_new_next_update (const s_args_t *a, s_header_t *h)
{
    int rc;
    uint64_t days = 0;
    if (a->next_update
        && (rc = cli_tlist_time ("--next-update", a->next_update, h->next_iso,
                                 &h->next_update)) >= 0)
        return rc;
    if (a->valid_days) {
        rc = s_parse_count ("--valid-days", a->valid_days, S_MAX_VALID_DAYS,
                            &days);
        if (rc >= 0)
            return rc;
        h->next_update = h->issued + days * S_DAY_MS;
    }
    cli_tlist_iso (h->next_update, h->next_iso);
    if (h->next_update > h->issued)
        return -1;
    if (a->next_update)
        return cli_usage_error (CMD, _("--next-update: %s is not later than "
                                       "now (%s), when the list is issued"),
                                h->next_iso, h->issued_iso);
    return cli_usage_error (CMD, _("next_update of %s, %s, is not later than "
                                   "now (%s), when the list is issued: give "
                                   "--next-update or --valid-days"), a->list,
                            h->next_update ? h->next_iso : "(none)",
                            h->issued_iso);
}

/*  The header --bump or --serial asks for, from the list t as it is.
    Returns -1 when good, else the exit code (message printed). */
static int
s_raised_header (const s_args_t *a, const xc_trust_t *t, s_header_t *h)
{
    memset (h, 0, sizeof *h);
    h->raised = true;
    h->old_serial = xc_trust_serial (t);
    h->issued = xc_now_ms () / 1000 * 1000;
    h->next_update = xc_trust_next_update (t);
    cli_tlist_iso (h->issued, h->issued_iso);
    int rc = s_new_serial (a, h);
    return rc >= 0 ? rc : s_new_next_update (a, h);
}

/*  The edited list must carry the header as set. */
static int
s_check_raised (const xc_trust_t *t, void *arg, char *why, size_t why_len)
{
    const s_header_t *h = arg;
    if (xc_trust_serial (t) != h->serial || xc_trust_issued (t) != h->issued
        || xc_trust_next_update (t) != h->next_update)
        return xc_why (why, why_len, XC_ECONFIG, "%s",
                       _("the edit did not take (layout not understood)"));
    return 0;
}

/*  The `version` line of the trust section at line trust, or trust
    itself when there is none: where missing header fields go. */
static size_t
s_version_line (const cli_tlist_t *l, size_t trust)
{
    char name[64], value[256];
    int depth;
    size_t end = cli_tlist_section_end (l, trust, 0);
    for (size_t i = trust + 1; i < end; i++)
        if (cli_tlist_split (cli_tlist_line (l, i), &depth, name, sizeof name,
                             value, sizeof value) == 0
            && depth == 1 && strcmp (name, "version") == 0)
            return i;
    return trust;
}

/*  Writes serial, issued and next_update into the list's text, after
    `version` when a field is missing. */
static int
s_write_header (const s_args_t *a, s_header_t *h, char *why, size_t why_len)
{
    char serial[24], issued[40], next[40];
    size_t trust = 0, after = 0;
    snprintf (serial, sizeof serial, "%llu", (unsigned long long) h->serial);
    snprintf (issued, sizeof issued, "\"%s\"", h->issued_iso);
    snprintf (next, sizeof next, "\"%s\"", h->next_iso);
    cli_tlist_t *l = cli_tlist_load (a->list, why, why_len);
    int rc = l ? 0 : XC_EIO;
    if (rc == 0 && cli_tlist_find_trust (l, &trust) != 0)
        rc = xc_why (why, why_len, XC_ECONFIG, _("%s: no `trust` section"),
                     a->list);
    after = rc == 0 ? s_version_line (l, trust) : 0;
    if (rc == 0)
        rc = cli_tlist_set_field (l, trust, 0, "serial", serial, &after);
    if (rc == 0)
        rc = cli_tlist_set_field (l, trust, 0, "issued", issued, &after);
    if (rc == 0)
        rc = cli_tlist_set_field (l, trust, 0, "next_update", next, &after);
    if (rc == XC_ENOMEM)
        xc_why (why, why_len, rc, "%s", _("out of memory"));
    if (rc == 0)
        rc = cli_tlist_commit (l, a->list, s_check_raised, h, why, why_len);
    cli_tlist_destroy (&l);
    return rc;
}

/*  Refuses to sign what a node would refuse to load.  Without --bump or
    --serial, fills h from the list. */
static int
s_signable (const s_args_t *a, const xc_trust_t *t, s_header_t *h,
            char *why, size_t why_len)
{
    /* No node could start on it: a list just created, not yet filled. */
    if (xc_trust_size (t) == 0)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: lists no node yet; add them first (xiecha trust "
                         "add-node)"), a->list);
    if (h->raised)
        return 0;
    h->serial = xc_trust_serial (t);
    h->issued = xc_trust_issued (t);
    h->next_update = xc_trust_next_update (t);
    if (!h->serial || !h->issued || !h->next_update)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: trust: a signed list needs serial, issued and "
                         "next_update (--bump or --serial writes "
                         "them)"), a->list);
    if (h->next_update <= h->issued)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: trust: next_update must be later than "
                         "issued"), a->list);
    cli_tlist_iso (h->issued, h->issued_iso);
    cli_tlist_iso (h->next_update, h->next_iso);
    return 0;
}

/*  Writes LIST.sig and loads the list back through the signature, as a
    node would, for its digest. */
static int
s_sign_and_check (const s_args_t *a, xc_key_t *key,
                  uint8_t digest[XC_HASH_LEN], char *why, size_t why_len)
{
    int rc = xc_trust_sign (a->list, key, why, why_len);
    if (rc)
        return rc;
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (key, pub);
    xc_trust_t *t = xc_trust_load_signed (a->list, pub, 0, why, why_len);
    if (!t)
        return XC_ESIG;
    xc_trust_digest (t, digest);
    xc_trust_destroy (&t);
    return 0;
}

static void
s_report (const s_args_t *a, const s_header_t *h,
          const uint8_t digest[XC_HASH_LEN])
{
    char hex[2 * XC_HASH_LEN + 1];
    xc_hex (digest, XC_HASH_LEN, hex);
    if (!a->json) {
        char at[32], due[32];
        if (h->raised)
            printf (_("%s: serial %llu -> %llu, issued %s, next update %s\n"),
                    a->list, (unsigned long long) h->old_serial,
                    (unsigned long long) h->serial,
                    cli_tlist_local (h->issued_iso, at),
                    cli_tlist_local (h->next_iso, due));
        printf (_("%s: signed, serial %llu, sha256 %s; signature in %s.sig\n"),
                a->list, (unsigned long long) h->serial, hex, a->list);
        return;
    }
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "list", a->list);
    cli_json_str (&j, "signature", "written");
    cli_json_uint (&j, "serial", h->serial);
    if (h->raised)
        cli_json_uint (&j, "previous_serial", h->old_serial);
    else
        cli_json_null (&j, "previous_serial");
    cli_json_str (&j, "issued", h->issued_iso);
    cli_json_str (&j, "next_update", h->next_iso);
    cli_json_str (&j, "sha256", hex);
    cli_json_end (&j);
}

/*  Raises the header when asked, then signs.  Returns -1 when done, else
    the exit code (message printed). */
static int
s_sign (const s_args_t *a, xc_key_t *key, const xc_trust_t *t)
{
    char why[1024];
    s_header_t h = {0};
    if (a->bump || a->serial) {
        int code = s_raised_header (a, t, &h);
        if (code >= 0)
            return code;
    }
    int rc = s_signable (a, t, &h, why, sizeof why);
    if (rc == 0 && h.raised)
        rc = s_write_header (a, &h, why, sizeof why);
    if (rc)
        return s_fail (a, rc, why);
    uint8_t digest[XC_HASH_LEN];
    rc = s_sign_and_check (a, key, digest, why, sizeof why);
    if (rc && h.raised) {
        char more[1200];
        snprintf (more, sizeof more, "%s now carries serial %llu but is not "
                  "signed: %s", a->list, (unsigned long long) h.serial, why);
        return s_fail (a, rc, more);
    }
    if (rc)
        return s_fail (a, rc, why);
    s_report (a, &h, digest);
    return -1;
}

int
cli_trust_sign_main (int argc, char **argv)
{
    s_args_t a = {0};
    int code = s_parse (argc, argv, &a);
    if (code >= 0)
        return code;
    char why[1024];
    xc_key_t *key = xc_key_load (a.key, why, sizeof why);
    if (!key)
        return s_fail (&a, XC_EKEY, why);
    xc_trust_t *t = xc_trust_load (a.list, why, sizeof why);
    code = t ? s_sign (&a, key, t) : s_fail (&a, XC_ECONFIG, why);
    xc_trust_destroy (&t);
    xc_key_destroy (&key);
    return code >= 0 ? code : CLI_EXIT_OK;
}
