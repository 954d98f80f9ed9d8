/*  cli_anchor.c - the trust anchor of the offline verifiers; see
    cli_anchor.h.

    The order is the point: the root key first (given, read from a file,
    or the node config's), then the list's signature over its exact bytes
    (xc_trust_load_signed parses the bytes it verified), then its validity
    period at the time checked.  Only then is any key of the list used. */
#include <czmq.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#include "cli_anchor.h"

/*  Root public keys are one line of hex; a file much longer is not one. */
#define S_MAX_ROOT_FILE 4096

const char *
cli_anchor_help (void)
{
    return _("  -T, --trust FILE       the trust list (ZPL); default: trust/list of\n"
        "                         -c CONFIG\n"
        "      --root HEX         the network's root public key (64 hex): the\n"
        "                         list's signature LIST.sig must verify under\n"
        "                         it and the list be valid (issued ..\n"
        "                         next_update) at the time checked\n"
        "      --root-file FILE   the same, read from FILE (one line of hex)\n"
        "                         default: trust/root of -c CONFIG\n"
        "      --insecure-unsigned-trust\n"
        "                         use the list without checking its signature\n"
        "                         or validity (warns; \"insecure\": true)\n");
}

bool
cli_anchor_option (cli_anchor_t *self, int c, const char *arg)
{
    switch (c) {
    case CLI_OPT_ROOT: self->root = arg; return true;
    case CLI_OPT_ROOT_FILE: self->root_file = arg; return true;
    case CLI_OPT_INSECURE: self->insecure = true; return true;
    default: return false;
    }
}

/*  What a node config says: trust/root and trust/list (made relative to
    the config file's directory, as the daemon resolves it). */
typedef struct {
    char root[2 * XC_PUBKEY_LEN + 1];
    char list[PATH_MAX];
} s_config_t;

static int
s_read_config (const char *path, s_config_t *out, char *why, size_t why_len)
{
    zconfig_t *config = cli_config_read (path, why, why_len);
    if (!config)
        return XC_EINVAL;
    const char *root = zconfig_get (config, "trust/root", "");
    const char *list = zconfig_get (config, "trust/list", "");
    snprintf (out->root, sizeof out->root, "%s", root);
    char copy[PATH_MAX];
    snprintf (copy, sizeof copy, "%s", path);
    if (*list == '/' || !*list)
        snprintf (out->list, sizeof out->list, "%s", list);
    else
        snprintf (out->list, sizeof out->list, "%s/%s", dirname (copy), list);
    int rc = strlen (root) >= sizeof out->root
                 ? xc_why (why, why_len, XC_ECONFIG,
                           _("%s: trust/root: must be 64 hex "
                             "characters"), path)
                 : 0;
    zconfig_destroy (&config);
    return rc;
}

/*  The 64 hex characters of a root public key into pub, named by where
    they came from. */
static int
s_parse_root (const char *hex, const char *from, uint8_t pub[XC_PUBKEY_LEN],
              char *why, size_t why_len)
{
    if (strlen (hex) != 2 * XC_PUBKEY_LEN
        || xc_unhex (hex, pub, XC_PUBKEY_LEN) != 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: must be 64 hex characters (the root's Ed25519 "
                         "public key)"), from);
    return 0;
}

/*  --root-file: one line of hex, surrounding blanks and newline allowed. */
static int
s_root_file (const char *path, uint8_t pub[XC_PUBKEY_LEN], char *why,
             size_t why_len)
{
    char *text = NULL, from[PATH_MAX + 16];
    size_t len = 0;
    int rc = cli_read_file (path, S_MAX_ROOT_FILE, &text, &len, why,
                            why_len);
    if (rc)
        return rc;
    char *start = text + strspn (text, " \t\r\n");
    size_t n = strcspn (start, " \t\r\n");
    bool rest = start[n + strspn (start + n, " \t\r\n")] != '\0';
    start[n] = '\0';
    snprintf (from, sizeof from, "--root-file %s", path);
    rc = rest ? xc_why (why, why_len, XC_EINVAL,
                        _("%s: must hold one line, the root public key in 64 "
                          "hex"), from)
              : s_parse_root (start, from, pub, why, why_len);
    free (text);
    return rc;
}

/*  The root key and the list's path, from the options or the config. */
static int
s_resolve (const cli_anchor_t *self, uint8_t pub[XC_PUBKEY_LEN],
           char *list, size_t list_len, char *why, size_t why_len)
{
    s_config_t config = {{0}};
    if (self->config) {
        int rc = s_read_config (self->config, &config, why, why_len);
        if (rc)
            return rc;
    }
    const char *path = self->trust ? self->trust : config.list;
    if (!*path)
        return xc_why (why, why_len, XC_EINVAL, "%s",
                       _("--trust LIST is required (or -c CONFIG, whose "
                         "trust/list is used)"));
    snprintf (list, list_len, "%s", path);
    if (self->insecure)
        return 0;
    if (self->root && self->root_file)
        return xc_why (why, why_len, XC_EINVAL, "%s",
                       _("--root and --root-file: give one"));
    if (self->root)
        return s_parse_root (self->root, "--root", pub, why, why_len);
    if (self->root_file)
        return s_root_file (self->root_file, pub, why, why_len);
    if (config.root[0]) {
        char from[PATH_MAX + 16];
        snprintf (from, sizeof from, "%s: trust/root", self->config);
        return s_parse_root (config.root, from, pub, why, why_len);
    }
    if (self->config)
        return xc_why (why, why_len, XC_EINVAL, "%s",
                       _("no root key to check the trust list with: give "
                         "--root HEX or --root-file FILE (or -c CONFIG with "
                         "trust/root); --insecure-unsigned-trust uses the "
                         "list unchecked, and the config sets no "
                         "trust/root"));
    return xc_why (why, why_len, XC_EINVAL, "%s",
                   _("no root key to check the trust list with: give "
                     "--root HEX or --root-file FILE (or -c CONFIG with "
                     "trust/root); --insecure-unsigned-trust uses the list "
                     "unchecked"));
}

static void
s_warn_insecure (const char *cmd, const char *list)
{
    fprintf (stderr,
             _("xiecha %s: WARNING: --insecure-unsigned-trust: the trust list "
             "%s is used WITHOUT checking its root signature or validity "
             "period; anyone who could change that file decides what this "
             "check says\n"), cmd, list);
}

/*  The checks in order.  Returns 0 with *out, or an XC_E* code with
    why. */
static int
s_load (const char *cmd, const cli_anchor_t *self, uint64_t at,
        xc_trust_t **out, char *why, size_t why_len)
{
    uint8_t pub[XC_PUBKEY_LEN];
    char list[PATH_MAX], inner[768];
    int rc = s_resolve (self, pub, list, sizeof list, why, why_len);
    if (rc)
        return rc;
    if (self->insecure) {
        s_warn_insecure (cmd, list);
        *out = xc_trust_load (list, inner, sizeof inner);
        return *out ? 0 : xc_why (why, why_len, XC_ECONFIG, _("--trust: %s"),
                                  inner);
    }
    *out = xc_trust_load_signed (list, pub, 0, inner, sizeof inner);
    rc = *out ? xc_trust_check_period (*out, list, at, inner, sizeof inner)
              : XC_ESIG;
    if (rc)
        xc_trust_destroy (out);
    return rc ? xc_why (why, why_len, rc, _("trust list refused: %s"), inner)
              : 0;
}

xc_trust_t *
cli_anchor_load (const char *cmd, const cli_anchor_t *self, uint64_t at,
                 bool json, int *status)
{
    char why[1024];
    xc_trust_t *t = NULL;
    int rc = s_load (cmd, self, at, &t, why, sizeof why);
    if (rc == 0)
        return t;
    *status = CLI_EXIT_USAGE;
    cli_error (cmd, "%s", why);
    if (json)
        cli_json_error (rc, why, *status);
    return NULL;
}

void
cli_anchor_json (cli_json_t *j, const cli_anchor_t *self)
{
    cli_json_bool (j, "insecure", self->insecure);
    if (self->insecure)
        cli_json_str (j, "warning", "--insecure-unsigned-trust: the trust "
                      "list was used without checking its root signature "
                      "or validity period");
}
