/*  cli_audit_prove.c - xiecha audit prove: show that a certificate is in
    the own node's audit log under a signed checkpoint, and save the proof
    as a bundle anyone can check offline.

      xiecha audit prove --cert FILE --trust TRUST [--size N] [--out PROOF]
                         [--json] [-s|-c]

    The node answers with the raw SENT entry, its hash, the latest signed
    checkpoint after it (or the one of size N) and an RFC 9162 inclusion
    proof; that answer is made into a proof bundle (xiecha/proof.h) and
    checked here offline, with the trust list alone, as `xiecha proof
    verify` checks the saved bundle. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xiecha/armor.h>
#include <xiecha/checkpoint.h>

#include "cli.h"
#include "cli_anchor.h"

static void
s_help (void)
{
    printf (
        "%s%s%s%s%s",
        _("Usage: xiecha audit prove --cert FILE --trust TRUSTFILE [--size N]\n"
        "                          [--root HEX | --root-file FILE]\n"
        "                          [--out PROOF] [--json]\n"
        "                          [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Asks the own node where the certificate in FILE (armored) sits in\n"
        "its audit log and checks the answer offline: the sent entry holds\n"
        "the envelope byte for byte, its hash, the signed checkpoint after\n"
        "it (trust list) and the Merkle inclusion proof under that\n"
        "checkpoint.  Prints where the certificate is, or INVALID: why,\n"
        "then the hashes (entry, leaf, path, root) and the checkpoint, so\n"
        "the proof can be checked from the output.  With --out the proof\n"
        "is saved as one armored bundle (-----BEGIN XIECHA PROOF-----) that\n"
        "'xiecha proof verify' checks with the trust list alone.\n"
        "The trust list is checked first: its root signature and its\n"
        "validity period now (root and list default to -c CONFIG's).\n"
        "\n"
        "  -C, --cert FILE        the certificate (armored)\n"),
        cli_anchor_help (),
        _("  -n, --size N           prove under the checkpoint of tree size N\n"
        "                         (an older one; default the latest)\n"
        "  -o, --out PROOF        save the proof bundle (not overwritten)\n"
        "  -j, --json             machine-readable output\n"),
        cli_node_help (),
        _("  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the certificate is in the log under a valid checkpoint\n"
        "  1  the certificate does not open (a field twice, unknown\n"
        "     fields: named), not in the log, no such checkpoint yet, the\n"
        "     proof is invalid or not saved\n"
        "  2  bad input (options, unreadable file, a trust list that\n"
        "     cannot be loaded, is not signed by the root key or has\n"
        "     expired)\n"));
}

typedef struct {
    const char *cert, *out, *sock, *config;
    cli_anchor_t anchor;       /* -T, --root, --root-file, --insecure-... */
    uint64_t size;
    int timeout_ms;
    bool json;
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "cert", required_argument, NULL, 'C' },
        { "trust", required_argument, NULL, 'T' },
        { "size", required_argument, NULL, 'n' },
        { "out", required_argument, NULL, 'o' },
        { "json", no_argument, NULL, 'j' },
        { "socket", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { "client-config", required_argument, NULL, 'K' },
        CLI_ANCHOR_LONGOPTS,
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "audit prove";
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":C:T:n:o:js:c:t:h", opts, NULL))
           != -1) {
        if (cli_anchor_option (&a->anchor, c, optarg))
            continue;
        switch (c) {
        case 'C': a->cert = optarg; break;
        case 'T': a->anchor.trust = optarg; break;
        case 'K': cli_set_client_config (optarg); break;
        case 'n':
            a->size = strtoull (optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-' || a->size == 0)
                return cli_usage_error (cmd,
                                        _("--size: '%s' is not a tree size "
                                          "(1, 2, ...)"), optarg);
            break;
        case 'o': a->out = optarg; break;
        case 'j': a->json = true; break;
        case 's': a->sock = optarg; break;
        case 'c': a->config = optarg; break;
        case 't':
            if (cli_parse_timeout (optarg, &a->timeout_ms))
                return cli_usage_error (cmd,
                                        _("--timeout: '%s' is not a number of "
                                          "ms (1..3600000)"), optarg);
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd,
                                _("unexpected argument '%s'"), argv[optind]);
    if (!a->cert)
        return cli_usage_error (cmd, "%s", _("--cert is required"));
    a->anchor.config = a->config;
    int status = cli_zone_use (cmd, a->config);
    return status != 0 ? status : -1;
}

/*  Saves the bundle armored at a->out; never over an existing file. */
static int
s_save (const s_args_t *a, const uint8_t *bundle, size_t len, char *why,
        size_t why_len)
{
    return cli_write_armored (a->out, XC_ARMOR_PROOF, bundle, len, false, why,
                              why_len);
}

static void
s_print (const s_args_t *a, const xc_proof_bundle_t *b, int rc,
         const char *why, uint64_t seq)
{
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "cert", a->cert);
        cli_json_bool (&j, "valid", rc == 0);
        cli_anchor_json (&j, &a->anchor);
        cli_json_str (&j, "reason", rc ? why : NULL);
        cli_json_str (&j, "out", rc == 0 ? a->out : NULL);
        if (b->entry)
            cli_proof_show (b, &j);
        else
            cli_json_uint (&j, "entry", seq);
        if (b->entry)
            cli_json_uint (&j, "proof_len", b->path_len);
        cli_json_end (&j);
        return;
    }
    if (rc == 0) {
        char signed_at[32];
        cli_local_time (b->cp.time_ms, signed_at);
        printf (_("certificate is entry %llu of node %s's log, included under "
                  "checkpoint of size %llu (signed %s)\n"),
                (unsigned long long) b->seq, b->cp.node,
                (unsigned long long) b->cp.tree_size, signed_at);
    }
    else
        printf (_("INVALID: %s\n"), why);
    if (b->entry)
        cli_proof_show (b, NULL);
    if (rc == 0 && a->out)
    {
        cli_pad (stdout, _("saved"), 13);
        printf ("%s\n", a->out);
    }
}

int
cli_audit_prove (int argc, char **argv)
{
    const char *cmd = "audit prove";
    s_args_t a = {0};
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    char why[1024] = "";
    size_t env_len = 0;
    uint8_t *env = NULL;
    if (cli_read_armored (a.cert, XC_ARMOR_CERTIFICATE, &env, &env_len, why,
                          sizeof why))
        return cli_usage_error (cmd, _("--cert: %s"), why);
    //  The node looks for these bytes in its log; bytes with two
    //  readings (a shadow field) are refused first, naming the field,
    //  as cert verify refuses them, not reported as "not in the log".
    xc_opened_t opened = {0};
    int rc = xc_envelope_open (env, env_len, &opened, why, sizeof why);
    xc_opened_free (&opened);
    if (rc) {
        free (env);
        xc_proof_bundle_t none = {0};
        s_print (&a, &none, rc, why, 0);
        return CLI_EXIT_FAIL;
    }
    status = CLI_EXIT_USAGE;
    xc_trust_t *trust = cli_anchor_load (cmd, &a.anchor, xc_now_ms (),
                                         a.json, &status);
    if (!trust) {
        free (env);
        return status;
    }
    xc_client_t *client = cli_connect (cmd, a.sock, a.config, a.timeout_ms);
    if (!client) {
        free (env);
        xc_trust_destroy (&trust);
        return CLI_EXIT_USAGE;
    }
    Xiecha__AuditProveReply *r = NULL;
    rc = xc_client_audit_prove_at (client, env, env_len, a.size, &r, why,
                                       sizeof why);
    xc_client_destroy (&client);
    if (rc) {
        free (env);
        xc_trust_destroy (&trust);
        return cli_failed (cmd, a.json, rc, why);
    }
    uint8_t *bundle = NULL;
    size_t bundle_len = 0;
    xc_proof_bundle_t *b = calloc (1, sizeof *b);
    rc = b ? xc_proof_reply_verify (r, env, env_len, trust, b, &bundle,
                                    &bundle_len, why, sizeof why)
           : XC_ENOMEM;
    if (rc == 0 && a.out)
        rc = s_save (&a, bundle, bundle_len, why, sizeof why);
    if (b)
        s_print (&a, b, rc, why, r->seq);
    free (b);
    free (bundle);
    xiecha__audit_prove_reply__free_unpacked (r, NULL);
    free (env);
    xc_trust_destroy (&trust);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
