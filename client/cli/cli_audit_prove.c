/*  cli_audit_prove.c - xiecha audit prove: show that a certificate is in
    the own node's audit log under a signed checkpoint.

      xiecha audit prove --cert FILE --trust TRUST [--json] [-s|-c]

    The node answers with the raw SENT entry, its hash, the latest signed
    checkpoint after it and an RFC 9162 inclusion proof; every part is
    checked here offline, with the trust list alone:
      - the entry is a SENT entry whose data is the file's envelope,
      - SHA-256 of the entry is the claimed entry hash,
      - the checkpoint signature holds (xc_checkpoint_verify),
      - the proof puts that hash at the entry's index in the tree of the
        checkpoint's size and root (xc_merkle_inclusion_verify). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/armor.h>
#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/merkle.h>

#include "cli.h"

#define MAX_CERT_FILE (1024 * 1024)
#define S_ENTRY_HEADER 56      /* daemon/audit.h XC_AUDIT_HEADER */
#define S_KIND_SENT 3          /* daemon/audit.h XC_AUDIT_SENT */

static void
s_help (void)
{
    printf (
        "Usage: xiecha audit prove --cert FILE --trust TRUSTFILE [--json]\n"
        "                          [-s ENDPOINT | -c CONFIG] "
        "[--timeout MS]\n"
        "\n"
        "Asks the own node where the certificate in FILE (armored) sits in\n"
        "its audit log and checks the answer offline: the sent entry holds\n"
        "the envelope byte for byte, its hash, the signed checkpoint after\n"
        "it (trust list) and the Merkle inclusion proof under that\n"
        "checkpoint.  Prints where the certificate is, or INVALID: why.\n"
        "\n"
        "  -C, --cert FILE        the certificate (armored)\n"
        "  -T, --trust FILE       the trust list (ZPL)\n"
        "  -j, --json             machine-readable output\n"
        CLI_NODE_HELP
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the certificate is in the log under a valid checkpoint\n"
        "  1  not in the log, no checkpoint yet, or the proof is invalid\n"
        "  2  bad input (options, unreadable file, bad trust list)\n");
}

/*  Checks the reply against the envelope.  Returns 0 with *cp filled, or
    XC_ESIG/XC_EMALFORMED with why. */
static int
s_check (const Xiecha__AuditProveReply *r, const uint8_t *env, size_t len,
         const xc_trust_t *trust, xc_checkpoint_t *cp, char *why,
         size_t why_len)
{
    const ProtobufCBinaryData *e = &r->entry;
    if (r->seq == 0)
        return xc_why (why, why_len, XC_EMALFORMED, "entry number is 0");
    if (e->len < S_ENTRY_HEADER || e->data[0] != 1)
        return xc_why (why, why_len, XC_EMALFORMED, "entry is malformed");
    uint64_t note_len = xc_get_u16 (e->data + 2);
    uint64_t data_len = xc_get_u32 (e->data + 4);
    if (e->len != S_ENTRY_HEADER + note_len + data_len)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "entry length does not match its header");
    if (e->data[1] != S_KIND_SENT)
        return xc_why (why, why_len, XC_ESIG,
                       "entry %llu is not a sent entry",
                       (unsigned long long) r->seq);
    if (data_len != len
        || memcmp (e->data + S_ENTRY_HEADER + note_len, env, len) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       "entry %llu does not contain this certificate",
                       (unsigned long long) r->seq);
    uint8_t hash[XC_HASH_LEN];
    xc_sha256 (e->data, e->len, hash);
    if (r->entry_hash.len != XC_HASH_LEN
        || memcmp (hash, r->entry_hash.data, XC_HASH_LEN) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       "entry hash does not match SHA-256 of the entry");
    char cwhy[512] = "";
    int rc = xc_checkpoint_verify (r->checkpoint.data, r->checkpoint.len,
                                   trust, cp, cwhy, sizeof cwhy);
    if (rc)
        return xc_why (why, why_len, rc == XC_EMALFORMED ? rc : XC_ESIG,
                       "checkpoint: %s", *cwhy ? cwhy : "invalid");
    if (r->seq > cp->tree_size)
        return xc_why (why, why_len, XC_ESIG,
                       "checkpoint of size %llu does not cover entry %llu",
                       (unsigned long long) cp->tree_size,
                       (unsigned long long) r->seq);
    if (r->n_proof > XC_MERKLE_MAX_PROOF)
        return xc_why (why, why_len, XC_EMALFORMED, "proof too long");
    uint8_t proof[XC_MERKLE_MAX_PROOF][32];
    for (size_t i = 0; i < r->n_proof; i++) {
        if (r->proof[i].len != 32)
            return xc_why (why, why_len, XC_EMALFORMED,
                           "proof hash %zu is not 32 bytes", i);
        memcpy (proof[i], r->proof[i].data, 32);
    }
    if (xc_merkle_inclusion_verify (hash, r->seq - 1, cp->tree_size,
                                    (const uint8_t (*)[32]) proof,
                                    r->n_proof, cp->root))
        return xc_why (why, why_len, XC_ESIG,
                       "inclusion proof does not match the checkpoint root");
    return 0;
}

int
cli_audit_prove (int argc, char **argv)
{
    static const struct option opts[] = {
        { "cert", required_argument, NULL, 'C' },
        { "trust", required_argument, NULL, 'T' },
        { "json", no_argument, NULL, 'j' },
        { "socket", required_argument, NULL, 's' },
        { "config", required_argument, NULL, 'c' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "audit prove", *cert = NULL, *trust_path = NULL;
    const char *sock = NULL, *config = NULL;
    int timeout_ms = 0, c;
    bool json = false;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":C:T:js:c:t:h", opts, NULL))
           != -1) {
        switch (c) {
        case 'C': cert = optarg; break;
        case 'T': trust_path = optarg; break;
        case 'j': json = true; break;
        case 's': sock = optarg; break;
        case 'c': config = optarg; break;
        case 't':
            if (cli_parse_timeout (optarg, &timeout_ms))
                return cli_usage_error (cmd, "--timeout: '%s' is not a "
                                        "number of ms (1..3600000)", optarg);
            break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (cmd, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (cmd, "unexpected argument '%s'", argv[optind]);
    if (!cert)
        return cli_usage_error (cmd, "--cert is required");
    if (!trust_path)
        return cli_usage_error (cmd, "--trust is required");
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
    xc_trust_t *trust = xc_trust_load (trust_path, why, sizeof why);
    if (!trust) {
        free (env);
        return cli_usage_error (cmd, "--trust %s: %s", trust_path, why);
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
    rc = s_check (r, env, env_len, trust, &cp, why, sizeof why);
    char signed_at[32] = "";
    if (rc == 0)
        xc_time_iso (cp.time_ms, signed_at);
    if (json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "cert", cert);
        cli_json_bool (&j, "valid", rc == 0);
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
