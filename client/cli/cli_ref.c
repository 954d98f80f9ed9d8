/*  cli_ref.c - subject refs of ID numbers, on the client (cli_ref.h). */
#include <czmq.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>

#include "cli.h"
#include "cli_ref.h"

int
cli_config_value (const char *config, const char *key, char *out,
                  size_t out_len, char *why, size_t why_len)
{
    zconfig_t *root = cli_config_read (config, why, why_len);
    if (!root)
        return XC_EINVAL;
    const char *value = zconfig_get (root, key, "");
    int rc = (size_t) snprintf (out, out_len, "%s", value) >= out_len
                 ? xc_why (why, why_len, XC_EINVAL, "%s: %s: too long",
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
        rc = xc_why (why, why_len, XC_EINVAL, "%s: trust/salt is not set",
                     config);
    if (rc)
        return rc;
    char copy[PATH_MAX];
    snprintf (copy, sizeof copy, "%s", config);
    if ((size_t) snprintf (out, out_len, "%s%s%s",
                           *path == '/' ? "" : dirname (copy),
                           *path == '/' ? "" : "/", path) >= out_len)
        return xc_why (why, why_len, XC_EINVAL, "%s: trust/salt: path too "
                       "long", config);
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
        return xc_why (why, why_len, XC_EINVAL, "the network salt is "
                       "needed to match ID numbers: give --salt FILE or "
                       "-c NODECONFIG");
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
