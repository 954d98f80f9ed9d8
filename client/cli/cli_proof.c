/*  cli_proof.c - xiecha proof verify: a proof bundle checked offline.

      xiecha proof verify PROOF --trust TRUST [--cert FILE] [--json]

    The bundle (xiecha/proof.h, written by `xiecha audit prove --out`)
    holds the certificate, the audit entry holding it, the checkpoint and
    the inclusion path, so nothing but the trust list is needed; a verb of
    its own rather than an option of `cert verify`, since the bundle is
    the whole case and a certificate file beside it adds nothing but the
    question whether it is the same one (--cert asks it).  The hashes are
    shown so that anyone can redo the check by hand. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <xiecha/armor.h>
#include <xiecha/proof.h>

#include "cli.h"
#include "cli_anchor.h"

#define S_MAX_FILE (64u * 1024 * 1024)

static void
s_help (void)
{
    printf (
        "%s%s%s",
        _("Usage: xiecha proof verify PROOF --trust TRUSTFILE (--root HEX |\n"
        "                           --root-file FILE | -c CONFIG)\n"
        "                           [--cert FILE] [--json]\n"
        "\n"
        "Checks a proof bundle (-----BEGIN XIECHA PROOF-----, written by\n"
        "'xiecha audit prove --out') offline with the trust list alone:\n"
        "the certificate it holds is valid (expired since is allowed: the\n"
        "proof is of what was issued), its bytes are the audit entry at\n"
        "the leaf, the checkpoint is signed by a key of the issuing node\n"
        "and covers the entry, and the inclusion path leads from the leaf\n"
        "to the checkpoint's root.  When the issuing key is revoked as\n"
        "compromised, only a bundle under the key's trusted_checkpoint in\n"
        "the trust list is accepted.  Prints VALID or INVALID: why, then\n"
        "the hashes: leaf, path, root, checkpoint.\n"
        "\n"),
        cli_anchor_help (),
        _("  -c, --config FILE      a node config: its trust/root and\n"
        "                         trust/list are the defaults\n"
        "  -C, --cert FILE        also require the bundle to be about this\n"
        "                         certificate (armored), byte for byte\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  the proof holds\n"
        "  1  it does not\n"
        "  2  bad input (options, unreadable file, no proof block, a\n"
        "     trust list that cannot be loaded, is not signed by the root\n"
        "     key or has expired)\n"));
}

void
cli_proof_show (const xc_proof_bundle_t *b, cli_json_t *j)
{
    char leaf[65], entry[65], root[65], at[32], hex[65];
    char cp[2 * XC_CHECKPOINT_LEN + 1];
    xc_hex (b->entry_hash, 32, entry);
    xc_hex (b->leaf_hash, 32, leaf);
    xc_hex (b->cp.root, 32, root);
    xc_hex (b->checkpoint, XC_CHECKPOINT_LEN, cp);
    xc_time_iso (b->cp.time_ms, at);
    char local[32];
    cli_local_time (b->cp.time_ms, local);
    if (j) {
        cli_json_uint (j, "entry", b->seq);
        cli_json_uint (j, "leaf_index", b->seq - 1);
        cli_json_str (j, "entry_hash", entry);
        cli_json_str (j, "leaf_hash", leaf);
        cli_json_array (j, "path");
        for (size_t i = 0; i < b->path_len; i++) {
            xc_hex (b->path[i], 32, hex);
            cli_json_str (j, NULL, hex);
        }
        cli_json_end (j);
        cli_json_str (j, "node", b->cp.node);
        cli_json_uint (j, "tree_size", b->cp.tree_size);
        cli_json_str (j, "root", root);
        cli_json_str (j, "key_id", b->cp.key_id);
        cli_json_uint (j, "signed_ms", b->cp.time_ms);
        cli_json_str (j, "signed", at);
        cli_json_str (j, "checkpoint", cp);
        cli_json_bool (j, "cert_expired", b->expired);
        cli_json_bool (j, "key_compromised", b->compromised);
        return;
    }
    cli_pad (stdout, _("entry"), 13);
    printf (_("%llu (leaf index %llu) of node %s's log\n"),
            (unsigned long long) b->seq, (unsigned long long) b->seq - 1,
            b->cp.node);
    cli_pad (stdout, _("entry hash"), 13);
    printf ("%s\n", entry);
    cli_pad (stdout, _("leaf hash"), 13);
    printf ("%s\n", leaf);
    for (size_t i = 0; i < b->path_len; i++) {
        xc_hex (b->path[i], 32, hex);
        printf ("path[%zu]%*s %s\n", i, i < 10 ? 5 : 4, "", hex);
    }
    cli_pad (stdout, _("root"), 13);
    printf ("%s\n", root);
    cli_pad (stdout, _("checkpoint"), 13);
    printf (_("tree size %llu, signed %s by key %s\n"),
            (unsigned long long) b->cp.tree_size, local, b->cp.key_id);
    printf ("%13s%s\n", "", cp);
    if (b->expired) {
        cli_pad (stdout, _("note"), 13);
        fputs (_("the certificate has expired since\n"), stdout);
    }
    if (b->compromised) {
        cli_pad (stdout, _("note"), 13);
        fputs (_("its key was revoked as compromised; accepted under the "
                 "trust\n             list's trusted checkpoint\n"),
               stdout);
    }
}

/*  The armored file at path, decoded under label into *out. */
int
cli_read_armored (const char *path, const char *label, uint8_t **out,
                  size_t *len, char *why, size_t why_len)
{
    char *text = NULL;
    size_t text_len = 0;
    int rc = cli_read_file (path, S_MAX_FILE, &text, &text_len, why,
                            why_len);
    char awhy[512] = "";
    if (rc == 0
        && (rc = xc_armor_decode (text, text_len, label, out, len, awhy,
                                  sizeof awhy)) != 0)
        xc_why (why, why_len, rc, "%s: %s", path, awhy);
    free (text);
    return rc;
}

static int
s_verify (int argc, char **argv)
{
    static const struct option opts[] = {
        { "trust", required_argument, NULL, 'T' },
        { "config", required_argument, NULL, 'c' },
        CLI_ANCHOR_LONGOPTS,
        { "cert", required_argument, NULL, 'C' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *cmd = "proof verify", *cert = NULL;
    cli_anchor_t anchor = {0};
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":T:c:C:jh", opts, NULL)) != -1) {
        if (cli_anchor_option (&anchor, c, optarg))
            continue;
        switch (c) {
        case 'T': anchor.trust = optarg; break;
        case 'c': anchor.config = optarg; break;
        case 'C': cert = optarg; break;
        case 'j': json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (cmd, c, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error (cmd, "%s", _("PROOF is required"));
    if (optind + 1 < argc)
        return cli_usage_error (cmd, _("unexpected argument '%s'"),
                                argv[optind + 1]);
    int status = cli_zone_use (cmd, anchor.config);
    if (status != 0)
        return status;
    const char *path = argv[optind];
    char why[1024] = "";
    uint8_t *bytes = NULL, *env = NULL;
    size_t len = 0, env_len = 0;
    if (cli_read_armored (path, XC_ARMOR_PROOF, &bytes, &len, why,
                          sizeof why))
        return cli_usage_error (cmd, "%s", why);
    if (cert && cli_read_armored (cert, XC_ARMOR_CERTIFICATE, &env, &env_len,
                                  why, sizeof why)) {
        free (bytes);
        return cli_usage_error (cmd, _("--cert: %s"), why);
    }
    status = CLI_EXIT_USAGE;
    xc_trust_t *trust = cli_anchor_load (cmd, &anchor, xc_now_ms (), json,
                                         &status);
    if (!trust) {
        free (bytes);
        free (env);
        return status;
    }
    xc_proof_bundle_t *b = calloc (1, sizeof *b);
    int rc = b ? xc_proof_bundle_verify (bytes, len, trust, xc_now_ms (), b,
                                         why, sizeof why)
               : XC_ENOMEM;
    if (rc == 0 && env && (env_len != b->cert_len
                           || memcmp (env, b->cert, env_len) != 0))
        rc = xc_why (why, sizeof why, XC_ESIG,
                     _("the bundle is about another certificate than "
                       "%s"), cert);
    //  The hashes are shown once the layout held, verdict either way.
    bool decoded = b && b->entry;
    if (json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "proof", path);
        cli_json_bool (&j, "valid", rc == 0);
        cli_anchor_json (&j, &anchor);
        cli_json_str (&j, "reason", rc ? why : NULL);
        if (decoded)
            cli_proof_show (b, &j);
        cli_json_end (&j);
    }
    else {
        if (rc == 0)
            printf (_("VALID: the certificate is entry %llu of node %s's log, "
                      "under its checkpoint of size %llu\n"),
                    (unsigned long long) b->seq, b->cp.node,
                    (unsigned long long) b->cp.tree_size);
        else
            printf (_("INVALID: %s\n"), why);
        if (decoded)
            cli_proof_show (b, NULL);
    }
    free (b);
    free (bytes);
    free (env);
    xc_trust_destroy (&trust);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

int
cli_proof_main (int argc, char **argv)
{
    if (argc < 2 || strcmp (argv[1], "-h") == 0
        || strcmp (argv[1], "--help") == 0) {
        s_help ();
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp (argv[1], "verify") == 0)
        return s_verify (argc - 1, argv + 1);
    return cli_usage_error ("proof", _("unknown subcommand '%s' (verify)"),
                            argv[1]);
}
