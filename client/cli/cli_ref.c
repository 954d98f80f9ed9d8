/*  cli_ref.c - subject refs of ID numbers, on the client (cli_ref.h). */
#include <czmq.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "cli_ref.h"
#include "xiecha/text.h"

int
cli_config_value (const char *config, const char *key, char *out,
                  size_t out_len, char *why, size_t why_len)
{
    zconfig_t *root = cli_config_read (config, why, why_len);
    if (!root)
        return XC_EINVAL;
    const char *value = zconfig_get (root, key, "");
    int rc = (size_t) snprintf (out, out_len, "%s", value) >= out_len
                 ? xc_why (why, why_len, XC_EINVAL, _("%s: %s: too long"),
                           config, key)
                 : 0;
    zconfig_destroy (&root);
    return rc;
}

/*  trust/salt of a node config, resolved against its directory. */
static int
s_salt_path (const char *config, char *out, size_t out_len, char *why,
             size_t why_len)
{
    char path[PATH_MAX];
    int rc = cli_config_value (config, "trust/salt", path, sizeof path, why,
                               why_len);
    if (rc == 0 && !*path)
        rc = xc_why (why, why_len, XC_EINVAL, _("%s: trust/salt is not set"),
                     config);
    if (rc)
        return rc;
    char copy[PATH_MAX];
    snprintf (copy, sizeof copy, "%s", config);
    if ((size_t) snprintf (out, out_len, "%s%s%s",
                           *path == '/' ? "" : dirname (copy),
                           *path == '/' ? "" : "/", path) >= out_len)
        return xc_why (why, why_len, XC_EINVAL, _("%s: trust/salt: path too "
                       "long"), config);
    return 0;
}

int
cli_salt_load (const char *salt_file, const char *config, cli_salt_t *salt,
               char *why, size_t why_len)
{
    char path[PATH_MAX];
    if (salt_file && *salt_file)
        snprintf (path, sizeof path, "%s", salt_file);
    else if (!config || !*config)
        return xc_why (why, why_len, XC_EINVAL, "%s", _("the network salt "
                       "is needed to match ID numbers: give --salt FILE or "
                       "-c NODECONFIG"));
    else {
        int rc = s_salt_path (config, path, sizeof path, why, why_len);
        if (rc)
            return rc;
    }
    salt->salt_len = 0;
    return xc_salt_load (path, salt->salt, &salt->salt_len, why, why_len);
}

int
cli_ref_of (const cli_salt_t *salt, const char *id, const char *field,
            uint8_t ref[XC_REF_LEN], char *why, size_t why_len)
{
    char norm[XC_ID_LEN + 1];
    int rc = xc_id_normalize (id, field, norm, why, why_len);
    if (rc == 0)
        xc_subject_ref (salt->salt, salt->salt_len, norm, ref);
    explicit_bzero (norm, sizeof norm);
    return rc;
}

/* --------------------------------------------------------------------------
   xiecha ref: the subject ref of an ID, so a case worker can find a person
   in output that shows refs only (due, outbox, conflicts, audit logs)
   -------------------------------------------------------------------------- */

#define S_CMD "ref"

static void
s_ref_help (void)
{
    printf ("%s", _(
        "Usage: xiecha ref --id ID [--id ID]... (-c CONFIG | --salt FILE)\n"
        "                  [--json]\n"
        "\n"
        "Prints the subject reference of each ID number: HMAC-SHA256 of the\n"
        "ID under the network salt, the only name nodes, certificates and\n"
        "audit logs give a person.  Computed here, with the salt of the own\n"
        "node's config (trust/salt) or --salt; the ID is sent nowhere and\n"
        "stored nowhere.  Tables show the first 12 hex characters.\n"
        "\n"
        "  -i, --id ID            an ID number (repeatable)\n"
        "  -c, --config FILE      the own node's config (its trust/salt)\n"
        "  -S, --salt FILE        the network salt (hex)\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"
        "Exit status:\n"
        "  0  printed\n"
        "  2  bad input (options, an ID number that is not one, no salt)\n"));
}

int
cli_ref_main (int argc, char **argv)
{
    static const struct option opts[] = {
        { "id", required_argument, NULL, 'i' },
        { "config", required_argument, NULL, 'c' },
        { "salt", required_argument, NULL, 'S' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *ids[XC_MAX_HOUSEHOLD], *config = NULL, *salt_file = NULL;
    size_t n = 0;
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":i:c:S:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (n == XC_MAX_HOUSEHOLD)
                return cli_usage_error (S_CMD, _("--id: at most %d"),
                                        XC_MAX_HOUSEHOLD);
            ids[n++] = optarg;
            break;
        case 'c': config = optarg; break;
        case 'S': salt_file = optarg; break;
        case 'j': json = true; break;
        case 'h': s_ref_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (S_CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (S_CMD, _("unexpected argument '%s'"),
                                argv[optind]);
    if (n == 0)
        return cli_usage_error (S_CMD, "%s", _("--id is required"));
    cli_salt_t salt;
    char why[512];
    if (cli_salt_load (salt_file, config, &salt, why, sizeof why) != 0)
        return cli_usage_error (S_CMD, "%s", why);
    uint8_t refs[XC_MAX_HOUSEHOLD][XC_REF_LEN];
    for (size_t i = 0; i < n; i++)   /* all checked before anything prints */
        if (cli_ref_of (&salt, ids[i], "--id", refs[i], why, sizeof why))
            return cli_usage_error (S_CMD, "%s", why);
    cli_json_t j;
    if (json) {
        cli_json_init (&j, stdout);
        cli_json_array (&j, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        char hex[2 * XC_REF_LEN + 1], norm[XC_ID_LEN + 1], masked[19];
        xc_hex (refs[i], XC_REF_LEN, hex);
        xc_id_normalize (ids[i], NULL, norm, NULL, 0);
        cli_mask_id (norm, masked);
        explicit_bzero (norm, sizeof norm);
        if (json) {
            cli_json_object (&j, NULL);
            cli_json_str (&j, "id_masked", masked);
            cli_json_str (&j, "subject_ref", hex);
            cli_json_end (&j);
        }
        else
            printf ("%s  %s\n", masked, hex);
    }
    if (json)
        cli_json_end (&j);
    return CLI_EXIT_OK;
}
