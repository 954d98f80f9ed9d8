/*  cli_keygen.c - xiecha keygen: a node's keys, a terminal's CURVE key
    pair, or a network salt.

    A node needs an Ed25519 signing key (sign.key, PKCS#8 PEM) and a
    CURVE certificate for its peer socket (curve.cert and
    curve.cert_secret).  The command prints the trust-list entry that
    makes the node known to the others. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <czmq.h>

#include "cli.h"

#define CMD "keygen"
#define SALT_LEN 32

static void
s_help (void)
{
    printf (
        "%s%s",
        _("Usage: xiecha keygen --code CODE --dir DIR [--name NAME]\n"
        "                     [--endpoint ENDPOINT] [--force] [--json]\n"
        "       xiecha keygen --terminal --dir DIR [--force] [--json]\n"
        "       xiecha keygen --salt FILE [--force] [--json]\n"
        "\n"
        "The first form creates DIR (mode 0700) with the node's signing key\n"
        "DIR/sign.key and CURVE certificate DIR/curve.cert (secret half in\n"
        "DIR/curve.cert_secret, mode 0600), and prints the node's entry for\n"
        "the trust list on stdout, indented to paste under `trust`.\n"
        "The second form, on a township terminal, writes its CURVE key pair\n"
        "DIR/terminal.cert and DIR/terminal.cert_secret (mode 0600) and\n"
        "prints its public key for the node's admin (xiecha terminal add\n"
        "--curve KEY); the terminal's client.zpl names the secret file.\n"
        "The third form writes a new 32-byte network salt as hex (mode 0600).\n"
        "\n"
        "  -C, --code CODE        the node's 6-digit division code\n"
        "  -d, --dir DIR          where the keys go\n"
        "  -n, --name NAME        display name for the trust list\n"
        "  -e, --endpoint EP      peer endpoint for the trust list\n"
        "                         (e.g. tcp://10.1.2.3:7101)\n"
        "  -T, --terminal         a terminal's key pair instead\n"
        "  -S, --salt FILE        write a network salt instead\n"
        "  -f, --force            replace existing keys or salt\n"
        "  -j, --json             machine-readable output\n"
        "  -h, --help             this text\n"
        "\n"),
        cli_exit_help ());
}

typedef struct {
    const char *code;      /* -C */
    const char *dir;       /* -d */
    const char *name;      /* -n */
    const char *endpoint;  /* -e */
    const char *salt;      /* -S */
    bool terminal;         /* -T */
    bool force;            /* -f */
    bool json;             /* -j */
} s_args_t;

static int
s_parse (int argc, char **argv, s_args_t *a)
{
    static const struct option opts[] = {
        { "code", required_argument, NULL, 'C' },
        { "dir", required_argument, NULL, 'd' },
        { "name", required_argument, NULL, 'n' },
        { "endpoint", required_argument, NULL, 'e' },
        { "salt", required_argument, NULL, 'S' },
        { "terminal", no_argument, NULL, 'T' },
        { "force", no_argument, NULL, 'f' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int c;
    optind = 1;
    while ((c = getopt_long (argc, argv, ":C:d:n:e:S:Tfjh", opts, NULL))
           != -1) {
        switch (c) {
        case 'C': a->code = optarg; break;
        case 'd': a->dir = optarg; break;
        case 'n': a->name = optarg; break;
        case 'e': a->endpoint = optarg; break;
        case 'S': a->salt = optarg; break;
        case 'T': a->terminal = true; break;
        case 'f': a->force = true; break;
        case 'j': a->json = true; break;
        case 'h': s_help (); return CLI_EXIT_OK;
        default: return cli_bad_option (CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error (CMD,
                                _("unexpected argument '%s'"), argv[optind]);
    if (a->terminal) {
        if (a->code || a->name || a->endpoint || a->salt || !a->dir)
            return cli_usage_error (CMD, "%s",
                                    _("--terminal takes --dir DIR only (and "
                                      "--force, --json)"));
        return -1;
    }
    if (a->salt) {
        if (a->code || a->dir || a->name || a->endpoint)
            return cli_usage_error (CMD, "%s",
                                    _("--salt does not go with --code, --dir, "
                                      "--name or --endpoint"));
        return -1;
    }
    if (!a->code || !a->dir)
        return cli_usage_error (CMD, "%s", _("--code and --dir are required "
                                             "(or --salt FILE)"));
    return cli_node_code (CMD, a->code);
}

//  mkdir -p: parents 0755 (less the umask), the leaf 0700 as it holds
//  secrets.  An existing leaf keeps its mode.
static int
s_mkdir_p (const char *dir, char *why, size_t why_len)
{
    char *path = strdup (dir);
    if (!path)
        return xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
    int rc = 0;
    for (char *p = path + 1; *p && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir (path, 0755) != 0 && errno != EEXIST)
            rc = xc_why (why, why_len, XC_EIO, "%s: %s", path,
                         strerror (errno));
        *p = '/';
    }
    if (rc == 0 && mkdir (path, 0700) != 0 && errno != EEXIST)
        rc = xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
    struct stat st;
    if (rc == 0 && (stat (path, &st) != 0 || !S_ISDIR (st.st_mode)))
        rc = xc_why (why, why_len, XC_EIO, _("%s: not a directory"), path);
    free (path);
    return rc;
}

//  The trust-list entry, indented to sit under `trust`.
static char *
s_trust_entry (const s_args_t *a, const char *curve, const char *pub_hex)
{
    char name[512], endpoint[512];
    if (cli_zpl_quote (a->name ? a->name : a->code, name, sizeof name) != 0)
        return NULL;
    if (a->endpoint && cli_zpl_quote (a->endpoint, endpoint, sizeof endpoint))
        return NULL;
    return zsys_sprintf ("    node\n"
                         "        code = \"%s\"\n"
                         "        name = %s\n"
                         "        %sendpoint = %s\n"
                         "        curve = \"%s\"\n"
                         "        key\n"
                         "            public = \"%s\"\n",
                         a->code, name, a->endpoint ? "" : "# ",
                         a->endpoint ? endpoint : "\"tcp://HOST:PORT\"",
                         curve, pub_hex);
}

//  Refuses to replace keys without --force, before anything is written,
//  so a refused run leaves the directory as it was.
static int
s_check_free (const s_args_t *a, const char *key_path,
              const char *cert_path)
{
    const char *paths[] = { key_path, cert_path };
    for (size_t i = 0; i < 2 && !a->force; i++)
        if (access (paths[i], F_OK) == 0)
            return cli_usage_error (CMD, _("%s exists; use --force to replace "
                                           "it"), paths[i]);
    return 0;
}

//  Writes the CURVE certificate, the secret half readable by us only.
static int
s_save_curve (zcert_t *cert, const char *path, char *why, size_t why_len)
{
    //  zcert_save creates files under the umask: tighten it first so the
    //  secret is never readable by others, even for a moment.
    mode_t old = umask (077);
    int rc = zcert_save (cert, path);
    umask (old);
    char *secret = zsys_sprintf ("%s_secret", path);
    if (rc != 0 || !secret || chmod (secret, 0600) != 0 || chmod (path, 0644)) {
        zstr_free (&secret);
        return xc_why (why, why_len, XC_EIO, _("%s: cannot write (%s)"), path,
                       strerror (errno));
    }
    zstr_free (&secret);
    return 0;
}

static void
s_print (const s_args_t *a, const char *key_path, const char *cert_path,
         const char *key_id, const char *pub_hex, const char *curve,
         const char *entry)
{
    if (!a->json) {
        //  Notes to stderr, the entry alone to stdout, so that
        //  `xiecha keygen ... >> trust.zpl` appends a valid section.
        fprintf (stderr, _("signing key  %s (key id %s)\n"), key_path, key_id);
        fprintf (stderr,
                 _("CURVE cert   %s (secret in %s_secret)\n"), cert_path,
                 cert_path);
        fprintf (stderr, a->endpoint
                             ? _("trust-list entry for %s follows\n")
                             : _("trust-list entry for %s follows; set its "
                                 "endpoint before use\n"), a->code);
        fputs (entry, stdout);
        return;
    }
    char secret[1024];
    snprintf (secret, sizeof secret, "%s_secret", cert_path);
    cli_json_t j;
    cli_json_init (&j, stdout);
    cli_json_object (&j, NULL);
    cli_json_str (&j, "code", a->code);
    cli_json_str (&j, "name", a->name ? a->name : a->code);
    cli_json_str (&j, "endpoint", a->endpoint);
    cli_json_str (&j, "sign_key", key_path);
    cli_json_str (&j, "key_id", key_id);
    cli_json_str (&j, "public_key", pub_hex);
    cli_json_str (&j, "curve_cert", cert_path);
    cli_json_str (&j, "curve_secret", secret);
    cli_json_str (&j, "curve_public", curve);
    cli_json_str (&j, "trust_entry", entry);
    cli_json_end (&j);
}

static int
s_node_keys (const s_args_t *a)
{
    char key_path[1024], cert_path[1024], why[512];
    if ((size_t) snprintf (key_path, sizeof key_path, "%s/sign.key", a->dir)
            >= sizeof key_path
        || (size_t) snprintf (cert_path, sizeof cert_path, "%s/curve.cert",
                              a->dir) >= sizeof cert_path)
        return cli_usage_error (CMD, "%s", _("--dir: path too long"));
    if (a->name && cli_zpl_quote (a->name, why, sizeof why) != 0)
        return cli_usage_error (CMD, "%s", _("--name: cannot hold both kinds "
                                             "of quotes or a line break"));
    if (a->endpoint && cli_zpl_quote (a->endpoint, why, sizeof why) != 0)
        return cli_usage_error (CMD, "%s", _("--endpoint: cannot hold both "
                                             "kinds of quotes or a line "
                                             "break"));
    int status = s_check_free (a, key_path, cert_path);
    if (status)
        return status;
    if (s_mkdir_p (a->dir, why, sizeof why) != 0) {
        cli_error (CMD, "%s", why);
        return CLI_EXIT_FAIL;
    }

    status = CLI_EXIT_FAIL;
    char *entry = NULL;
    zcert_t *cert = NULL;
    xc_key_t *key = xc_key_generate ();
    if (!key) {
        cli_error (CMD, "%s", _("cannot generate an Ed25519 key"));
        goto done;
    }
    int rc = xc_key_save (key, key_path);
    if (rc) {
        cli_error (CMD, "%s: %s", key_path, xc_strerror (rc));
        goto done;
    }
    cert = zcert_new ();
    if (!cert) {
        cli_error (CMD, "%s", _("cannot generate a CURVE key pair"));
        goto done;
    }
    zcert_set_meta (cert, "node", "%s", a->code);
    if (s_save_curve (cert, cert_path, why, sizeof why) != 0) {
        cli_error (CMD, "%s", why);
        goto done;
    }
    uint8_t pub[XC_PUBKEY_LEN];
    char pub_hex[2 * XC_PUBKEY_LEN + 1], key_id[XC_KEY_ID_LEN + 1];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, pub_hex);
    xc_key_id (pub, key_id);
    entry = s_trust_entry (a, zcert_public_txt (cert), pub_hex);
    if (!entry) {
        cli_error (CMD, "%s", _("out of memory"));
        goto done;
    }
    s_print (a, key_path, cert_path, key_id, pub_hex, zcert_public_txt (cert),
             entry);
    status = CLI_EXIT_OK;
done:
    zstr_free (&entry);
    zcert_destroy (&cert);
    xc_key_destroy (&key);
    return status;
}

static int
s_salt (const s_args_t *a)
{
    uint8_t salt[SALT_LEN];
    char line[2 * SALT_LEN + 2], why[512];
    xc_random (salt, sizeof salt);
    xc_hex (salt, sizeof salt, line);
    strcat (line, "\n");
    int rc = cli_write_file (a->salt, line, strlen (line), 0600, a->force, why,
                             sizeof why);
    memset (salt, 0, sizeof salt);
    memset (line, 0, sizeof line);
    if (rc) {
        cli_error (CMD, "%s", why);
        return cli_exit_code (rc);
    }
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "salt_file", a->salt);
        cli_json_uint (&j, "bytes", SALT_LEN);
        cli_json_end (&j);
    }
    else
        printf (_("wrote a %d-byte network salt to %s\nEvery node of the "
                  "network needs this same file.\n"),
                SALT_LEN, a->salt);
    return CLI_EXIT_OK;
}

/*  A terminal's CURVE key pair: the public half goes to the node's
    admin, the secret stays on the terminal. */
static int
s_terminal_keys (const s_args_t *a)
{
    char cert_path[1024], why[512];
    if ((size_t) snprintf (cert_path, sizeof cert_path, "%s/terminal.cert",
                           a->dir) >= sizeof cert_path)
        return cli_usage_error (CMD, "%s", _("--dir: path too long"));
    if (!a->force && access (cert_path, F_OK) == 0)
        return cli_usage_error (CMD, _("%s exists; use --force to replace it"),
                                cert_path);
    zcert_t *cert = NULL;
    int rc = s_mkdir_p (a->dir, why, sizeof why);
    if (rc == 0 && !(cert = zcert_new ()))
        rc = xc_why (why, sizeof why, XC_ENOMEM,
                     "%s", _("cannot generate a CURVE key pair"));
    if (rc == 0)
        rc = s_save_curve (cert, cert_path, why, sizeof why);
    if (rc) {
        zcert_destroy (&cert);
        return cli_failed (CMD, a->json, rc, why);
    }
    if (a->json) {
        cli_json_t j;
        cli_json_init (&j, stdout);
        cli_json_object (&j, NULL);
        cli_json_str (&j, "curve_public", zcert_public_txt (cert));
        cli_json_str (&j, "curve_cert", cert_path);
        snprintf (why, sizeof why, "%s_secret", cert_path);
        cli_json_str (&j, "curve_secret", why);
        cli_json_end (&j);
    }
    else {
        fprintf (stderr, _("CURVE key pair %s (secret in %s_secret); give the "
                           "public key below to the node's admin, and name "
                           "the secret file as client/secret_key in "
                           "client.zpl\n"), cert_path,
                 cert_path);
        printf ("%s\n", zcert_public_txt (cert));
    }
    zcert_destroy (&cert);
    return CLI_EXIT_OK;
}

int
cli_keygen_main (int argc, char **argv)
{
    s_args_t a;
    memset (&a, 0, sizeof a);
    int status = s_parse (argc, argv, &a);
    if (status >= 0)
        return status;
    if (a.terminal)
        return s_terminal_keys (&a);
    return a.salt ? s_salt (&a) : s_node_keys (&a);
}
