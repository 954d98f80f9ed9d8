/*  cli_ref.h - who a subject is, computed on the case worker's machine.

    Certificates, notices and logs name people by subject ref only
    (HMAC of the ID number under the network salt).  A command that must
    say which ref belongs to an ID number the user typed computes it here,
    from the salt of the own node's config, and never stores or sends
    the ID. */
#ifndef XIECHA_CLI_REF_H
#define XIECHA_CLI_REF_H

#include <stddef.h>
#include <stdint.h>

#include "xiecha/xiecha.h"

typedef struct {
    uint8_t salt[64];
    size_t salt_len;
} cli_salt_t;

/*  The value of key (e.g. "node/timezone") in the node config file,
    "" when it is not set.  Returns 0, or XC_EINVAL with why. */
int cli_config_value (const char *config, const char *key, char *out,
                      size_t out_len, char *why, size_t why_len);

/*  Loads the network salt: salt_file when given, else trust/salt of the
    node config (a relative path taken from the config's directory, as
    the daemon does).  Returns 0, or XC_EINVAL / XC_EIO with why naming
    the option or file. */
int cli_salt_load (const char *salt_file, const char *config,
                   cli_salt_t *salt, char *why, size_t why_len);

/*  The subject ref of the ID number id (any accepted form: normalised
    first).  Returns 0, or XC_EINVAL with why naming field. */
int cli_ref_of (const cli_salt_t *salt, const char *id, const char *field,
                uint8_t ref[XC_REF_LEN], char *why, size_t why_len);

/*  xiecha ref: prints the subject ref of each --id. */
int cli_ref_main (int argc, char **argv);

#endif
