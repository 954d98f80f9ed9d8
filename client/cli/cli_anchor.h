/*  cli_anchor.h - where every offline verifier starts: the network's root
    key, and the trust list it signed.

    `cert verify`, `report verify`, `audit verify` and `audit prove` trust
    the keys of a trust list to judge what they check, so a list anyone
    could have edited would let them call a forgery VALID.  Each of them
    takes the same options, parsed here, and loads the list through
    cli_anchor_load: LIST.sig must verify under the root key and the list
    must be valid (issued..next_update) at the time checked, before any
    key in it is used.

        --trust LIST                 the list (default: trust/list of -c)
        --root HEX                   the root public key, 64 hex
        --root-file FILE             a file holding it (one line of hex,
                                     as `xiecha trust root-keygen` prints)
        -c, --config FILE            a node config: its trust/root and
                                     trust/list are the defaults
        --insecure-unsigned-trust    use the list unchecked, with a loud
                                     warning on stderr and "insecure":
                                     true in --json */
#ifndef XIECHA_CLI_ANCHOR_H
#define XIECHA_CLI_ANCHOR_H

#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

/*  getopt_long values of the long-only options (outside any short
    option's range). */
#define CLI_OPT_ROOT 0x101
#define CLI_OPT_ROOT_FILE 0x102
#define CLI_OPT_INSECURE 0x103

/*  Their entries in a getopt_long table (needs <getopt.h>); --trust and
    --config stay in each command's table, with their short forms. */
#define CLI_ANCHOR_LONGOPTS                                                  \
    { "root", required_argument, NULL, CLI_OPT_ROOT },                       \
    { "root-file", required_argument, NULL, CLI_OPT_ROOT_FILE },             \
    { "insecure-unsigned-trust", no_argument, NULL, CLI_OPT_INSECURE }

/*  For --help: the trust-anchor options, translated. */
const char *cli_anchor_help (void);

/*  The options as given. */
typedef struct {
    const char *trust;        /* --trust */
    const char *root;         /* --root */
    const char *root_file;    /* --root-file */
    const char *config;       /* -c: the node config for the defaults */
    bool insecure;            /* --insecure-unsigned-trust */
} cli_anchor_t;

/*  Takes c (a getopt_long value, its argument in optarg) when it is one
    of CLI_ANCHOR_LONGOPTS.  Returns true when taken. */
bool cli_anchor_option (cli_anchor_t *self, int c, const char *arg);

/*  Loads the trust list for cmd, checked as above at `at` (UTC ms: now,
    or the command's --at).  With insecure, loads it unchecked after the
    warning.  Returns NULL after reporting the failure (stderr, and the
    error object on stdout with json) with *status the exit code:
    CLI_EXIT_USAGE for every reason (no root, unreadable list, signature
    missing or wrong, list expired), as for any input that cannot be
    used; the command then judges nothing. */
xc_trust_t *cli_anchor_load (const char *cmd, const cli_anchor_t *self,
                             uint64_t at, bool json, int *status);

/*  "insecure": true|false, inside the command's --json object. */
void cli_anchor_json (cli_json_t *j, const cli_anchor_t *self);

#endif
