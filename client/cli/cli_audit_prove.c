/*  cli_audit_prove.c - xiecha audit prove: show that a certificate is in
    the own node's audit log under a signed checkpoint.

      xiecha audit prove --cert FILE --trust TRUST [--json] [-s|-c]

    The node answers with the raw SENT entry, its hash, the latest signed
    checkpoint after it and an RFC 9162 inclusion proof; every part is
    checked here offline, with the trust list alone:
    by xc_proof_verify (client.h). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/armor.h>
#include <xiecha/checkpoint.h>

#include "cli.h"
#include "cli_anchor.h"

#define MAX_CERT_FILE (1024 * 1024)

static void
s_help (void)
{
    printf (
        "Usage: xiecha audit prove --cert FILE --trust TRUSTFILE\n"
        "                          [--root HEX | --root-file FILE] [--json]\n"
        "                          [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Asks the own node where the certificate in FILE (armored) sits in\n"
        "its audit log and checks the answer offline: the sent entry holds\n"
        "the envelope byte for byte, its hash, the signed checkpoint after\n"
        "it (trust list) and the Merkle inclusion proof under that\n"
        "checkpoint.  Prints where the certificate is, or INVALID: why.\n"
        "The trust list is checked first: its root signature and its\n"
        "validity period now (root and list default to -c CONFIG's).\n"
        "\n"
        "  -C, --cert FILE        the certificate (armored)\n"
        CLI_ANCHOR_HELP
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the certificate is in the log under a valid checkpoint\n"
        "  1  the certificate does not open (a field twice, unknown\n"
        "     fields: named), not in the log, no checkpoint yet, or the\n"
        "     proof is invalid\n"
        "  2  bad input (options, unreadable file, a trust list that\n"
        "     cannot be loaded, is not signed by the root key or has\n"
        "     expired)\n");
}

//  The verdict on a certificate that does not open.
static int
s_invalid (const char *cert, bool json, const char *why)
{
    if (json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "cert", cert);
        cli_json_bool (&j, "valid", false);
        cli_json_str (&j, "reason", why);
        cli_json_end (&j);
    }
    else
        printf ("INVALID: %s\n", why);
    return CLI_EXIT_FAIL;
}

int
cli_audit_prove (int argc, char **argv)
{
    static const struct option opts[] = {
        { "cert", required_argument, NULL, 'C' },
        { "trust", required_argument, NULL, 'T' },
        CLI_ANCHOR_LONGOPTS,
        { "json", no_argument, NULL, 'j' },
        { "socket", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "client-config", required_argument, NULL, 'K' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "audit prove", *cert = NULL;
    const char *sock = NULL, *config = NULL;
    cli_anchor_t anchor = {0};
    int timeout_ms = 0, c;
    bool json = false;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":C:T:js:c:t:h", opts, NULL))
           != -1) {
        if (cli_anchor_option (&anchor, c, optarg))
            continue;
        switch (c) {
        case 'C': cert = optarg; break;
        case 'T': anchor.trust = optarg; break;
        case 'j': json = true; break;
        case 's': sock = optarg; break;
        case 'c': config = optarg; break;
        case 't':
            if (cli_parse_timeout (optarg, &timeout_ms))
                return cli_usage_error (cmd, "--timeout: '%s' is not a "
                                        "number of ms (1..3600000)", optarg);
            break;
        case 'K': cli_set_client_config (optarg); break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd, "unexpected argument '%s'", argv[optind]);
    if (!cert)
        return cli_usage_error (cmd, "--cert is required");
    anchor.config = config;
    char *text = NULL, why[1024] = "";
    size_t text_len = 0, env_len = 0;
    uint8_t *env = NULL;
    if (cli_read_file (cert, MAX_CERT_FILE, &text, &text_len, why,
                       sizeof why))
        return cli_usage_error (cmd, "%s", why);
    int rc = xc_armor_decode (text, text_len, XC_ARMOR_CERTIFICATE, &env,
                              &env_len, why, sizeof why);
    free (text);
    if (rc)
        return cli_usage_error (cmd, "--cert %s: %s", cert, why);
    //  The node looks for these bytes in its log; bytes with two
    //  readings (a shadow field) are refused first, naming the field,
    //  as cert verify refuses them, not reported as "not in the log".
    xc_opened_t opened = {0};
    rc = xc_envelope_open (env, env_len, &opened, why, sizeof why);
    xc_opened_free (&opened);
    if (rc) {
        free (env);
        return s_invalid (cert, json, why);
    }
    int status = CLI_EXIT_USAGE;
    xc_trust_t *trust = cli_anchor_load (cmd, &anchor, xc_now_ms (), json,
                                         &status);
    if (!trust) {
        free (env);
        return status;
    }
    xc_client_t *client = cli_connect (cmd, sock, config, timeout_ms);
    if (!client) {
        free (env);
        xc_trust_destroy (&trust);
        return CLI_EXIT_USAGE;
    }
    Xiecha__AuditProveReply *r = NULL;
    rc = xc_client_audit_prove (client, env, env_len, &r, why, sizeof why);
    xc_client_destroy (&client);
    if (rc) {
        free (env);
        xc_trust_destroy (&trust);
        int exit_code = cli_exit_code (rc);
        if (json)
            cli_json_error (rc, why, exit_code);
        else
            cli_error (cmd, "%s", why);
        return exit_code;
    }
    xc_checkpoint_t cp;
    memset (&cp, 0, sizeof cp);
    rc = xc_proof_verify (r, env, env_len, trust, &cp, why, sizeof why);
    char signed_at[32] = "";
    if (rc == 0)
        xc_time_iso (cp.time_ms, signed_at);
    if (json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "cert", cert);
        cli_json_bool (&j, "valid", rc == 0);
        cli_anchor_json (&j, &anchor);
        cli_json_str (&j, "reason", rc ? why : NULL);
        cli_json_uint (&j, "entry", r->seq);
        if (rc == 0) {
            char root[65];
            xc_hex (cp.root, 32, root);
            cli_json_str (&j, "node", cp.node);
            cli_json_uint (&j, "tree_size", cp.tree_size);
            cli_json_str (&j, "root", root);
            cli_json_uint (&j, "signed_ms", cp.time_ms);
            cli_json_str (&j, "signed", signed_at);
            cli_json_uint (&j, "proof_len", r->n_proof);
        }
        cli_json_end (&j);
    }
    else if (rc == 0)
        printf ("certificate is entry %llu of node %s's log, included under "
                "checkpoint of size %llu (signed %s)\n",
                (unsigned long long) r->seq, cp.node,
                (unsigned long long) cp.tree_size, signed_at);
    else
        printf ("INVALID: %s\n", why);
    xiecha__audit_prove_reply__free_unpacked (r, NULL);
    free (env);
    xc_trust_destroy (&trust);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}
