/*  config.c - the configuration schema and its one checker.

    Knot-style: each key is one row of s_schema with its type, default and
    bounds, so the rules live in one place and `xiechad --check` names the
    exact key that is wrong. */
#include <czmq.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xiecha/error.h"
#include "xiecha/id.h"

typedef enum { T_CODE, T_TEXT, T_PATH, T_ENDPOINT, T_INT } s_type_t;

typedef struct {
    const char *key;       /* ZPL path */
    s_type_t type;
    size_t offset;         /* into xc_config_t */
    size_t size;           /* for strings: buffer size */
    const char *def;       /* default, NULL = required */
    long min, max;         /* for T_INT */
    const char *meaning;
} s_key_t;

#define STR(f) offsetof (xc_config_t, f), sizeof (((xc_config_t *) 0)->f)
#define INT(f) offsetof (xc_config_t, f), 0

static const s_key_t s_schema[] = {
    {"node/code", T_CODE, STR (code), NULL, 0, 0,
     "this node's 6-digit division code (GB/T 2260)"},
    {"node/name", T_TEXT, STR (name), "", 0, 0, "display name"},
    {"node/data_dir", T_PATH, STR (data_dir), NULL, 0, 0,
     "directory of the LMDB environment (created if missing)"},
    {"node/peer_bind", T_ENDPOINT, STR (peer_bind), NULL, 0, 0,
     "endpoint of the peer ROUTER (CURVE server), e.g. tcp://0.0.0.0:7101"},
    {"node/client_bind", T_ENDPOINT, STR (client_bind), "ipc://client.sock",
     0, 0, "endpoint of the client ROUTER for township terminals"},
    {"keys/signing", T_PATH, STR (signing_key), NULL, 0, 0,
     "Ed25519 private key, PEM (xiecha keygen)"},
    {"keys/curve", T_PATH, STR (curve_cert), NULL, 0, 0,
     "CURVE certificate; the secret is read from FILE_secret"},
    {"trust/list", T_PATH, STR (trust_list), NULL, 0, 0, "trust list file"},
    {"trust/salt", T_PATH, STR (salt), NULL, 0, 0,
     "network salt for subject refs, hex"},
    {"trust/root", T_TEXT, STR (trust_root), "", 0, 0,
     "root Ed25519 public key, 64 hex; when set the trust list must be "
     "signed by it (LIST.sig)"},
    {"policy/file", T_PATH, STR (policy), "", 0, 0,
     "eligibility policy preset (config/policy/*.zpl); empty = permissive"},
    {"limits/query_deadline_ms", T_INT, INT (query_deadline_ms), "3000", 100,
     120000, "how long to wait for the registration node"},
    {"limits/clock_skew_ms", T_INT, INT (clock_skew_ms), "300000", 1000,
     86400000, "how far a peer's created-at may be from our clock"},
    {"limits/certificate_valid_s", T_INT, INT (certificate_valid_s), "86400",
     60, 31 * 86400, "how long an issued certificate stays valid"},
    {"limits/max_message_bytes", T_INT, INT (max_message_bytes), "262144",
     4096, 16 * 1024 * 1024, "largest peer message accepted"},
    {"limits/batch_max", T_INT, INT (batch_max), "256", 1, 65536,
     "messages handled per write transaction (group commit)"},
    {"limits/retry_max_ms", T_INT, INT (retry_max_ms), "30000", 100,
     3600000, "longest pause between deliveries of an unacknowledged notice"},
    {"limits/checkpoint_interval_s", T_INT, INT (checkpoint_interval_s), "300",
     1, 86400, "how often to sign an audit checkpoint when the log grew"},
};
#define S_KEYS (sizeof s_schema / sizeof s_schema[0])

void
xc_config_resolve (const char *dir, const char *value, char *out,
                   size_t out_len)
{
    if (strncmp (value, "ipc://", 6) == 0) {
        const char *p = value + 6;
        if (*p == '/' || *p == '@' || *dir == '\0')
            snprintf (out, out_len, "%s", value);
        else
            snprintf (out, out_len, "ipc://%s/%s", dir, p);
    }
    else if (strstr (value, "://") || value[0] == '/' || *dir == '\0')
        snprintf (out, out_len, "%s", value);
    else
        snprintf (out, out_len, "%s/%s", dir, value);
}

static int
s_set_int (const s_key_t *k, const char *v, xc_config_t *cfg, char *why,
           size_t why_len)
{
    char *end = NULL;
    long n = strtol (v, &end, 10);
    if (*v == '\0' || *end != '\0')
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: %s: '%s' is not an integer", cfg->path, k->key, v);
    if (n < k->min || n > k->max)
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: %s: %ld is outside %ld..%ld", cfg->path, k->key,
                       n, k->min, k->max);
    *(int *) ((char *) cfg + k->offset) = (int) n;
    return 0;
}

static int
s_set (const s_key_t *k, const char *v, const char *dir, xc_config_t *cfg,
       char *why, size_t why_len)
{
    char *dst = (char *) cfg + k->offset;
    switch (k->type) {
    case T_INT:
        return s_set_int (k, v, cfg, why, why_len);
    case T_CODE:
        if (!xc_code_valid (v))
            return xc_why (why, why_len, XC_ECONFIG,
                           "%s: %s: '%s' is not a 6-digit division code",
                           cfg->path, k->key, v);
        break;
    case T_ENDPOINT:
        if (!strstr (v, "://"))
            return xc_why (why, why_len, XC_ECONFIG,
                           "%s: %s: '%s' is not an endpoint (tcp://HOST:PORT "
                           "or ipc://PATH)", cfg->path, k->key, v);
        break;
    default:
        break;
    }
    if (strlen (v) >= k->size)
        return xc_why (why, why_len, XC_ECONFIG, "%s: %s: longer than %zu bytes",
                       cfg->path, k->key, k->size - 1);
    if ((k->type != T_PATH && k->type != T_ENDPOINT) || *v == '\0') {
        snprintf (dst, k->size, "%s", v);
        return 0;
    }
    /* A path cut short would name another file: refuse it. */
    char full[PATH_MAX + 16];
    xc_config_resolve (dir, v, full, sizeof full);
    if (strlen (full) >= k->size)
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: %s: resolved path longer than %zu bytes",
                       cfg->path, k->key, k->size - 1);
    snprintf (dst, k->size, "%s", full);
    return 0;
}

/*  Walks every leaf in the tree so that a misspelt key is an error rather
    than a silently ignored line. */
static int
s_check_unknown (zconfig_t *node, const char *prefix, const char *file,
                 char *why, size_t why_len)
{
    for (zconfig_t *c = zconfig_child (node); c; c = zconfig_next (c)) {
        char path[256];
        snprintf (path, sizeof path, "%s%s%s", prefix, *prefix ? "/" : "",
                  zconfig_name (c));
        if (zconfig_child (c)) {
            int rc = s_check_unknown (c, path, file, why, why_len);
            if (rc)
                return rc;
            continue;
        }
        size_t i;
        for (i = 0; i < S_KEYS; i++)
            if (streq (s_schema[i].key, path))
                break;
        if (i == S_KEYS)
            return xc_why (why, why_len, XC_ECONFIG,
                           "%s: unknown key '%s' (xiechad --help lists them)",
                           file, path);
    }
    return 0;
}

int
xc_config_load (const char *path, xc_config_t *cfg, char *why, size_t why_len)
{
    memset (cfg, 0, sizeof *cfg);
    snprintf (cfg->path, sizeof cfg->path, "%s", path);
    if (access (path, R_OK) != 0)
        return xc_why (why, why_len, XC_ECONFIG, "%s: cannot read: %s", path,
                       strerror (errno));
    zconfig_t *root = zconfig_load (path);
    if (!root)
        return xc_why (why, why_len, XC_ECONFIG,
                       "%s: not valid ZPL (indent by 4 spaces, key = value)",
                       path);
    char copy[PATH_MAX];
    snprintf (copy, sizeof copy, "%s", path);
    const char *dir = dirname (copy);

    int rc = s_check_unknown (root, "", path, why, why_len);
    for (size_t i = 0; rc == 0 && i < S_KEYS; i++) {
        const s_key_t *k = &s_schema[i];
        const char *v = zconfig_get (root, k->key, k->def);
        if (!v)
            rc = xc_why (why, why_len, XC_ECONFIG, "%s: %s: required (%s)",
                         path, k->key, k->meaning);
        else
            rc = s_set (k, v, dir, cfg, why, why_len);
    }
    zconfig_destroy (&root);
    return rc;
}

void
xc_config_print_schema (void)
{
    for (size_t i = 0; i < S_KEYS; i++) {
        const s_key_t *k = &s_schema[i];
        printf ("  %-26s %s", k->key, k->meaning);
        if (k->type == T_INT)
            printf (" [%ld..%ld, default %s]", k->min, k->max, k->def);
        else if (k->def && *k->def)
            printf (" [default %s]", k->def);
        else if (!k->def)
            printf (" [required]");
        printf ("\n");
    }
}
