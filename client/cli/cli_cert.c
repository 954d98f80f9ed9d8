/*  cli_cert.c - xiecha cert verify: check a saved certificate offline.

    Needs the armored file and the trust list, nothing else: no node, no
    network.  The check is xc_cert_verify, the same code the daemon
    trusts. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_anchor.h"
#include "cli_qr.h"
#include "cli_ref.h"
#include "cli_text.h"
#include "xiecha/text.h"

#define CMD "cert verify"
#define MAX_CERT_FILE (1024 * 1024)

static void
s_help (void)
{
    printf ("%s", _(
        "Usage: xiecha cert verify FILE|--qr IMAGE --trust TRUSTFILE\n"
        "                          (--root HEX | --root-file FILE | -c CONFIG)\n"
        "                          [--id ID [--salt FILE]] [--at TIME] [--json]\n"
        "\n"
        "Verifies a certificate saved with `xiecha query --out` offline,\n"
        "starting from the network's root key: the trust list's signature\n"
        "and validity period at TIME, then the envelope, the signature by\n"
        "a key of the issuing node, that key at every time the certificate\n"
        "asserts (created, issued, valid until: inside its window, before\n"
        "its retirement, never a key revoked as compromised), a lifetime\n"
        "within the list's max_cert_lifetime_days, the roster date behind\n"
        "each program checked (present, and no older than the list's\n"
        "max_roster_age_days where a subject is NOT_RECEIVING), and the\n"
        "validity window at TIME (default now).\n"
        "Prints VALID or INVALID: <why>, then what the certificate says.\n"
        "With --qr the certificate is read from the QR code of a printed\n"
        "one (`xiecha cert print`), scanned or photographed (PNG, PGM or\n"
        "PPM); with --id it must also be about that ID number (matched by\n"
        "subject ref with the network salt; the ID goes nowhere).\n"
        "\n"));
    printf ("%s", cli_anchor_help ());
    printf ("%s", _(
        "  -c, --config FILE      a node config: its trust/root and\n"
        "                         trust/list are the defaults, its\n"
        "                         trust/salt the salt for --id\n"
        "  -q, --qr IMAGE         read the certificate from a scan\n"
        "  -i, --id ID            the certificate must be about this person\n"
        "  -S, --salt FILE        the network salt (hex), for --id\n"
        "  -a, --at TIME          check validity at this ISO 8601 time,\n"
        "                         e.g. 2026-11-23T08:00:00Z or 2026-11-23\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the certificate is valid\n"
        "  1  the certificate is invalid (bad signature, unknown key,\n"
        "     expired, a NOT_RECEIVING without a fresh roster), or not\n"
        "     about the --id given\n"
        "  2  bad input (unreadable file or image, no armor block, no QR\n"
        "     code, a trust list that cannot be loaded, is not signed by\n"
        "     the root key or is not valid at TIME)\n"));
}

typedef struct {
    const char *file;    /* the armored certificate */
    cli_anchor_t anchor; /* -T, -c, --root, --root-file, --insecure-... */
    const char *qr;      /* -q: or the image of a printed one */
    const char *id;      /* -i */
    const char *salt;    /* -S */
    uint64_t at_ms;      /* -a, or now */
    bool json;           /* -j */
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "trust", required_argument, NULL, 'T' },
        { "config", required_argument, NULL, 'c' },
        { "qr", required_argument, NULL, 'q' },
        { "id", required_argument, NULL, 'i' },
        { "salt", required_argument, NULL, 'S' },
        CLI_ANCHOR_LONGOPTS,
        { "at", required_argument, NULL, 'a' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    bool at = false;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":T:c:q:i:S:a:jh", opts, NULL))
           != -1) {
        if (cli_anchor_option (&a->anchor, c, optarg))
            continue;
        switch (c) {
        case 'T': a->anchor.trust = optarg; break;
        case 'c': a->anchor.config = optarg; break;
        case 'q': a->qr = optarg; break;
        case 'i': a->id = optarg; break;
        case 'S': a->salt = optarg; break;
        case 'j': a->json = true; break;
        case 'a':
            if (cli_parse_iso (optarg, &a->at_ms) != 0)
                return cli_usage_error (CMD, _("--at: '%s' is not an ISO "
                                        "8601 time (2026-11-23T08:00:00Z)"),
                                        optarg);
            at = true;
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind >= argc && !a->qr)
        return cli_usage_error (CMD, "%s", _("FILE or --qr IMAGE is required"));
    if (optind < argc && a->qr)
        return cli_usage_error (CMD, "%s",
                                _("FILE and --qr exclude each other"));
    if (optind + 1 < argc)
        return cli_usage_error (CMD, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    a->file = a->qr ? a->qr : argv[optind];
    if (!at)
        a->at_ms = xc_now_ms ();
    return cli_zone_next (CMD, a->anchor.config);
}

static void
s_print_human (const xc_opened_t *o, const xc_trust_t *trust, int rc,
               const char *why)
{
    cli_verdict (rc, why);
    if (!o->msg || o->msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE)
        return;
    const Xiecha__Certificate *cert = o->msg->certificate;
    const char *issuer = o->msg->header->sender;
    const xc_trust_node_t *node = xc_trust_node (trust, issuer);
    char when[32];
    char place[CLI_PLACE_LEN];
    cli_label (_("issuer"));
    printf ("%s%s%s%s\n", cli_place (issuer, place, sizeof place),
            node ? " (" : "", node ? node->name : "", node ? ")" : "");
    cli_label (_("key id"));
    printf ("%s\n", o->env->key_id);
    cli_label (_("requester"));
    printf ("%s\n", cli_place (cert->requester, place, sizeof place));
    cli_label (_("relation"));
    printf ("%s\n", xc_relation_title (cert->relation));
    cli_label (_("issued"));
    printf ("%s\n", cli_local_time (cert->issued_at, when));
    cli_label (_("valid until"));
    printf ("%s\n", cli_local_time (cert->valid_until, when));
    cli_label (_("programs"));
    for (size_t i = 0; i < cert->n_programs; i++)
        printf ("%s%s", i ? _(", ") : "",
                xc_program_title (cert->programs[i]));
    printf ("\n");
    for (size_t i = 0; i < cert->n_rosters; i++) {
        char text[256];
        cli_roster_line (cert->rosters[i], text, sizeof text);
        cli_label (i ? "" : _("roster"));
        printf ("%s\n", text);
    }
    //  Thousands (a batch, xiecha query --members): counts, then only
    //  those receiving aid; --json lists every one.
    bool summary = cli_results_summary (cert, XC_MAX_HOUSEHOLD);
    for (size_t i = 0; i < cert->n_results; i++) {
        const Xiecha__SubjectResult *r = cert->results[i];
        if (summary && r->status != XIECHA__STATUS__RECEIVING)
            continue;
        char ref[2 * XC_REF_LEN + 1] = "", label[64];
        if (r->subject.len == XC_REF_LEN)
            xc_hex (r->subject.data, XC_REF_LEN, ref);
        //  A prefix is enough to tell subjects apart on screen.
        snprintf (label, sizeof label, _("subject %zu"), i);
        cli_label (label);
        printf ("%.16s…  %s\n", ref, xc_status_title (r->status));
        for (size_t k = 0; k < r->n_enrollments; k++) {
            char text[320];
            cli_enrollment_line (r->enrollments[k], text, sizeof text);
            printf ("               %s\n", text);
        }
    }
}

static void
s_json_cert (cli_json_t *j, const xc_opened_t *o, const xc_trust_t *trust)
{
    const Xiecha__Certificate *cert = o->msg->certificate;
    const xc_trust_node_t *node = xc_trust_node (trust,
                                                 o->msg->header->sender);
    char iso[32], hex[129] = "";
    cli_json_place (j, "issuer", o->msg->header->sender);
    cli_json_str (j, "issuer_name", node ? node->name : NULL);
    cli_json_str (j, "key_id", o->env->key_id);
    cli_json_place (j, "requester", cert->requester);
    cli_json_str (j, "relation", xc_relation_name (cert->relation));
    size_t qlen = cert->query_id.len < 64 ? cert->query_id.len : 64;
    xc_hex (cert->query_id.data, qlen, hex);
    cli_json_str (j, "query_id", hex);
    xc_time_iso (cert->issued_at, iso);
    cli_json_str (j, "issued_at", iso);
    xc_time_iso (cert->valid_until, iso);
    cli_json_str (j, "valid_until", iso);
    cli_json_array (j, "programs");
    for (size_t i = 0; i < cert->n_programs; i++)
        cli_json_str (j, NULL, xc_program_name (cert->programs[i]));
    cli_json_end (j);
    cli_json_rosters (j, "rosters", cert->rosters, cert->n_rosters);
    cli_json_array (j, "subjects");
    for (size_t i = 0; i < cert->n_results; i++) {
        const Xiecha__SubjectResult *r = cert->results[i];
        char ref[2 * XC_REF_LEN + 1] = "";
        if (r->subject.len == XC_REF_LEN)
            xc_hex (r->subject.data, XC_REF_LEN, ref);
        cli_json_object (j, NULL);
        cli_json_str (j, "subject_ref", ref);
        cli_json_str (j, "status", xc_status_name (r->status));
        cli_json_enrollments (j, "enrollments", r->enrollments,
                              r->n_enrollments);
        cli_json_end (j);
    }
    cli_json_end (j);
}

static void
s_print_json (const s_args_t *a, const xc_opened_t *o,
              const xc_trust_t *trust, int rc, const char *why)
{
    char iso[32];
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "file", a->file);
    cli_json_bool (&j, "valid", rc == 0);
    cli_json_str (&j, "reason", rc ? why : NULL);
    xc_time_iso (a->at_ms, iso);
    cli_json_str (&j, "checked_at", iso);
    cli_anchor_json (&j, &a->anchor);
    if (o->msg && o->msg->body_case == XIECHA__SIGNED__BODY_CERTIFICATE)
        s_json_cert (&j, o, trust);
    cli_json_end (&j);
}

//  Reads the file and takes the certificate out of its armor.  Returns 0
//  or an exit status (bad input).
static int
s_load (const s_args_t *a, uint8_t **bytes, size_t *len)
{
    char *text = NULL, why[512];
    if (a->qr) {   /* the QR code holds the envelope itself, unarmored */
        if (cli_qr_read (a->qr, bytes, len, why, sizeof why) != 0)
            return cli_usage_error (CMD, "--qr %s", why);
        return 0;
    }
    size_t text_len = 0;
    int rc = cli_read_file (a->file, MAX_CERT_FILE, &text, &text_len, why,
                            sizeof why);
    if (rc)
        return cli_usage_error (CMD, "%s", why);
    rc = xc_armor_decode (text, text_len, XC_ARMOR_CERTIFICATE, bytes, len,
                          why, sizeof why);
    free (text);
    if (rc)
        return cli_usage_error (CMD, "%s: %s", a->file, why);
    return 0;
}

/*  --id: whether the certificate is about that ID number; *rc becomes
    XC_EINVAL with why when it is not.  Returns 0, or an exit status (bad
    input: no salt, a malformed ID). */
static int
s_about (const s_args_t *a, const xc_opened_t *o, int *rc, char *why,
         size_t why_len)
{
    cli_salt_t salt;
    uint8_t ref[XC_REF_LEN];
    char err[512];
    if (cli_salt_load (a->salt, a->anchor.config, &salt, err, sizeof err) != 0
        || cli_ref_of (&salt, a->id, "--id", ref, err, sizeof err) != 0)
        return cli_usage_error (CMD, "--id: %s", err);
    const Xiecha__Certificate *c = o->msg->certificate;
    for (size_t i = 0; i < c->n_results; i++)
        if (c->results[i]->subject.len == XC_REF_LEN
            && memcmp (c->results[i]->subject.data, ref, XC_REF_LEN) == 0)
            return 0;
    char norm[XC_ID_LEN + 1], masked[19];
    xc_id_normalize (a->id, NULL, norm, NULL, 0);
    cli_mask_id (norm, masked);
    explicit_bzero (norm, sizeof norm);
    *rc = xc_why (why, why_len, XC_EINVAL, _("the certificate is not about "
                  "%s (none of its %zu subjects)"), masked, c->n_results);
    return 0;
}

static int
s_verify (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;

    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[1024];
    if ((status = s_load (&a, &bytes, &len)) != 0)
        return status;
    xc_trust_t *trust = cli_anchor_load (CMD, &a.anchor, a.at_ms, a.json,
                                         &status);
    if (!trust) {
        free (bytes);
        return status;
    }
    xc_opened_t opened;
    memset (&opened, 0, sizeof opened);
    int rc = xc_cert_verify (bytes, len, trust, a.at_ms, &opened, why,
                             sizeof why);
    if (rc == 0 && a.id && (status = s_about (&a, &opened, &rc, why,
                                              sizeof why)) != 0) {
        xc_opened_free (&opened);
        xc_trust_destroy (&trust);
        free (bytes);
        return status;
    }
    //  Details only for a certificate that verified (or merely expired):
    //  what an unverified one claims must not look like a finding.
    xc_opened_t none;
    memset (&none, 0, sizeof none);
    const xc_opened_t *shown = rc == 0 || rc == XC_ESTALE ? &opened : &none;
    if (a.json)
        s_print_json (&a, shown, trust, rc, why);
    else
        s_print_human (shown, trust, rc, why);
    xc_opened_free (&opened);
    xc_trust_destroy (&trust);
    free (bytes);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int
cli_cert_main (int argc, char **argv)
{
    if (argc >= 2 && strcmp (argv[1], "verify") == 0)
        return s_verify (argc - 1, argv + 1);
    if (argc >= 2 && strcmp (argv[1], "print") == 0)
        return cli_cert_print_main (argc - 1, argv + 1);
    if (argc >= 2
        && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0)) {
        s_help ();
        return CLI_EXIT_OK;
    }
    return cli_usage_error ("cert", _("%s; the commands are "
                            "'xiecha cert verify FILE --trust TRUSTFILE "
                            "--root HEX' and 'xiecha cert print FILE --out "
                            "OUT.pdf ...'"),
                            argc >= 2 ? _("unknown subcommand") :
                                        _("missing subcommand"));
}
