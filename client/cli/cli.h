/*  cli.h - helpers shared by the xiecha commands, and their entry points.

    The CLI is a thin layer over libxiecha: each command parses options,
    calls the library, and prints the result for people or, with --json,
    for machines.  Everything that more than one command needs is here. */
#ifndef XIECHA_CLI_H
#define XIECHA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xiecha/auditfile.h"
#include "xiecha/text.h"
#include "xiecha/xiecha.h"

// ---- Exit codes (documented in every --help and in xiecha(1)) -----------

#define CLI_EXIT_OK 0           /* answered / done */
#define CLI_EXIT_FAIL 1         /* anything else, also an invalid cert */
#define CLI_EXIT_USAGE 2        /* bad input: options, files, fields */
#define CLI_EXIT_UNREACHABLE 3  /* no answer of the registration node came
                                   in time (XC_EUNREACHABLE) */
#define CLI_EXIT_ANSWER 4       /* an answer came, and the own node refused
                                   it: clock, signature, key, binding
                                   (XC_EANSWER) */
#define CLI_EXIT_REFUSED 5      /* the registration node refused with a
                                   signed error (XC_EREFUSED) */
#define CLI_EXIT_ROSTER 6       /* it answered that its roster cannot say
                                   (XC_EROSTER, a signed error too) */
#define CLI_EXIT_UNCOVERED 7    /* audit verify: every signature holds, but
                                   entries are under no signed checkpoint
                                   (XC_EUNCOVERED) */
#define CLI_EXIT_ROLE 8         /* the own node refused this terminal: a
                                   role it lacks, or revoked (XC_EROLE) */

/*  For --help, translated (include/xiecha/text.h): the exit statuses
    every --help ends with, and the options of every command that talks
    to a node. */
const char *cli_exit_help (void);
const char *cli_node_help (void);

/*  Every time xiecha shows a person is local time with its offset
    ("2026-12-02 12:00:00 +08:00"); --json keeps UTC (RFC 3339, Z).  The
    zone is Beijing time (XC_ZONE_DEFAULT) from the start of main, or the
    node/timezone of a node config: cli_zone_use (cmd, config) switches
    to it (config NULL: nothing to do) and returns 0, or prints what is
    wrong with the config or zone and returns CLI_EXIT_USAGE. */
int cli_zone_use (const char *cmd, const char *config);

/*  ms as the local time above, into out[32]. */
const char *cli_local_time (uint64_t ms, char *out);

/*  Writes text and then blanks up to width terminal columns (at least
    one blank after text): a table column that lines up with Chinese in
    it, where printf's "%-12s" counts bytes (xc_text_width). */
void cli_pad (FILE *out, const char *text, size_t width);

/*  Maps an XC_E* code to the exit status. */
int cli_exit_code (int xc_code);

/*  Prints "xiecha CMD: message" to stderr; returns CLI_EXIT_USAGE. */
int cli_usage_error (const char *cmd, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  Prints "xiecha CMD: message" to stderr. */
void cli_error (const char *cmd, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));

/*  Reports a getopt failure ('?' or ':' from an optstring starting with
    ':'); returns CLI_EXIT_USAGE. */
int cli_bad_option (const char *cmd, int c, char **argv);

// ---- Option values ------------------------------------------------------

/*  Parses a timeout in ms (1..3600000).  Returns 0 or -1. */
int cli_parse_timeout (const char *text, int *ms);

/*  Parses ISO 8601 "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with "Z",
    "+HH:MM", "-HH:MM" or no zone (UTC) into UTC ms.  Returns 0 or -1. */
int cli_parse_iso (const char *text, uint64_t *ms);

/*  Masks an ID number: first 6 + "********" + last 4, into out[19]. */
void cli_mask_id (const char *id, char *out);

/*  Adds each program of a comma-separated list (modified in place) to
    programs[*count], once each; at most XIECHA__PROGRAM__TEMP in all.
    Returns 0, or CLI_EXIT_USAGE after naming option and the bad name. */
int cli_parse_programs (const char *cmd, const char *option, char *list,
                        int *programs, size_t *count);

/*  A county as people read it: the code and its Chinese name from the
    division table ("469021 定安县"), or the code alone when the table
    does not name it; written into out[len] and returned. */
#define CLI_PLACE_LEN 112   /* code, a blank, a name, the NUL */
const char *cli_place (const char *code, char *out, size_t len);

/*  Checks the --code of a node for cmd: a division code of a unit (not
    a group row such as 469000).  Returns -1 to go on, with a warning on
    stderr when the division table does not list it; else prints the
    error and returns CLI_EXIT_USAGE. */
int cli_node_code (const char *cmd, const char *code);

/*  A program's name in human output: the identifier (DIBAO) in English,
    which scripts and tests grep, the documents' name (最低生活保障) in
    Chinese. */
const char *cli_program_text (int program);

// ---- Endpoint discovery --------------------------------------------------

/*  Reads a node config file as ZPL (CZMQ's zconfig_t; caller destroys
    it with zconfig_destroy).  Returns NULL with why ("--config FILE:
    cannot read or parse the file"). */
struct _zconfig_t *cli_config_read (const char *path, char *why,
                                    size_t why_len);

/*  The node's client endpoint: socket if set, else node/client_bind from
    the config file (a relative ipc:// path is taken relative to the
    config file's directory, as the daemon does), else $XIECHA_SOCKET.
    Returns 0 or XC_EINVAL/XC_ECONFIG with why. */
int cli_endpoint (const char *socket, const char *config, char *out,
                  size_t out_len, char *why, size_t why_len);

/*  --client-config FILE for cli_connect (one per process); the commands
    with option tables of their own call it for the option. */
void cli_set_client_config (const char *path);

/*  Connects a client for cmd from -s/-c values; prints the error and
    returns NULL (exit CLI_EXIT_USAGE) when there is no endpoint. */
xc_client_t *cli_connect (const char *cmd, const char *socket,
                           const char *config, int timeout_ms);

// ---- Talking to a node ----------------------------------------------------

/*  The options of every command that talks to a node (cli_node_help),
    and --json. */
typedef struct {
    const char *socket;   /* -s */
    const char *config;   /* -c */
    int timeout_ms;       /* -t */
    bool json;            /* -j */
} cli_node_args_t;

/*  Their entries in a getopt_long table (needs <getopt.h>). */
#define CLI_NODE_LONGOPTS                                                    \
    { "json", no_argument, NULL, 'j' },                                      \
    { "socket", required_argument, NULL, 's' },                              \
    { "config", required_argument, NULL, 'c' },                              \
    { "timeout", required_argument, NULL, 't' },                             \
    { "client-config", required_argument, NULL, 'K' }

/*  For the default case of a command's getopt_long switch: takes c when
    it is -j, -s, -c, -t or --client-config (value in optarg; the last is
    kept for cli_connect), else reports it as
    cli_bad_option does.  Returns -1 to go on, else the exit status
    (CLI_EXIT_USAGE: a bad --timeout, or no such option). */
int cli_node_option (cli_node_args_t *a, const char *cmd, int c,
                     char **argv);

/*  The whole parser of a command that takes the node options, --help
    and nothing else; help prints its --help text.  Returns -1 to go on,
    else the exit status. */
int cli_node_parse (const char *cmd, void (*help) (void), int argc,
                    char **argv, cli_node_args_t *a);

/*  Reports a failed call, "xiecha CMD: why" on stderr and with json the
    error object on stdout as well; returns the exit status for rc. */
int cli_failed (const char *cmd, bool json, int rc, const char *why);

/*  cli_failed with the cause the node gave (xc_client_cause), shown in
    the error object. */
int cli_failed_cause (const char *cmd, bool json, int rc, int cause,
                      const char *why);

// ---- Files ----------------------------------------------------------------

/*  Writes data to path atomically (temp file in the same directory,
    fsync, rename) with mode.  When overwrite is false and path exists,
    fails with XC_EINVAL and leaves it alone.  Returns 0 or XC_E* with
    why. */
int cli_write_file (const char *path, const void *data, size_t len,
                    unsigned mode, bool overwrite, char *why,
                    size_t why_len);

/*  The mode of a file a person asked for (a certificate, an export, a
    results table): 0666 less the umask.  The umask is read once, under
    pthread_once: reading it means setting it (umask(2)), which would
    race between the threads of a batch. */
unsigned cli_public_mode (void);

/*  Armors data under label (xiecha/armor.h) and writes it to path as
    cli_write_file does, with cli_public_mode.  Returns 0 or XC_E*. */
int cli_write_armored (const char *path, const char *label,
                       const uint8_t *data, size_t len, bool overwrite,
                       char *why, size_t why_len);

/*  Reads a whole file (at most max bytes) into *out, NUL-terminated;
    caller frees.  Returns 0 or XC_EIO/XC_ETOOBIG with why. */
int cli_read_file (const char *path, size_t max, char **out, size_t *len,
                   char *why, size_t why_len);

/*  Quotes a ZPL value into out[len].  ZPL has no escapes: a value may
    hold single quotes inside double quotes or the reverse, never both,
    nor a line break.  Returns 0, or -1 when it cannot be quoted or does
    not fit. */
int cli_zpl_quote (const char *value, char *out, size_t len);

// ---- JSON writer ------------------------------------------------------------

#define CLI_JSON_DEPTH 16

/*  A streaming JSON writer: values are written as they come, with
    commas and indentation placed for the caller.  Strings are escaped
    and invalid UTF-8 replaced, so the output is always valid JSON. */
typedef struct {
    FILE *out;                    /* where the text goes */
    int depth;                    /* open objects and arrays */
    bool first[CLI_JSON_DEPTH];   /* nothing written yet at this depth */
    char kind[CLI_JSON_DEPTH];    /* '{' or '[' opened at this depth */
} cli_json_t;

void cli_json_init (cli_json_t *j, FILE *out);
/*  key is the member name inside an object, NULL inside an array or at
    the top level. */
void cli_json_object (cli_json_t *j, const char *key);
void cli_json_array (cli_json_t *j, const char *key);
void cli_json_end (cli_json_t *j);   /* closes the innermost; newline at 0 */
void cli_json_str (cli_json_t *j, const char *key, const char *value);
void cli_json_uint (cli_json_t *j, const char *key, uint64_t value);
void cli_json_int (cli_json_t *j, const char *key, int64_t value);
void cli_json_bool (cli_json_t *j, const char *key, bool value);
void cli_json_null (cli_json_t *j, const char *key);
/*  A county: key is the code, as always, and key + "_division" its
    Chinese name from the division table, or null when it has none. */
void cli_json_place (cli_json_t *j, const char *key, const char *code);

/*  Writes s as a JSON string literal (with quotes) to out. */
void cli_json_escape (FILE *out, const char *s);

/*  key: [{"program", "since", "until" (or null), "node"}, ...]. */
void cli_json_enrollments (cli_json_t *j, const char *key,
                           Xiecha__Enrollment *const *enrollments, size_t n);

/*  key: [{"program": "DIBAO", "as_of": "2026-11-30" or null}, ...]. */
void cli_json_rosters (cli_json_t *j, const char *key,
                       Xiecha__RosterDate *const *rosters, size_t n);

/*  {"error": why, "code": "XC_...", "exit": n} on stdout, for --json
    callers whose command failed. */
void cli_json_error (int xc_code, const char *why, int exit_code);

/*  The same with "cause": "XC_..." when cause is not 0 (XC_EANSWER: why
    the answer was refused). */
void cli_json_error_cause (int xc_code, int cause, const char *why,
                           int exit_code);

// ---- Progress line ----------------------------------------------------------

typedef struct {
    bool enabled;         /* draw at all */
    bool drawn;           /* something is on the line: end with newline */
    int64_t last_ms;      /* when it was last drawn, for throttling */
    const char *what;     /* "sending rows" */
} cli_progress_t;

void cli_progress_init (cli_progress_t *p, bool enabled, const char *what);
/*  Redraws "\rsending rows 12000/50000 (24%)" at most every 100 ms, and
    always at done == total. */
void cli_progress_update (cli_progress_t *p, uint64_t done, uint64_t total);
void cli_progress_end (cli_progress_t *p);

// ---- Commands: (argc, argv) start at the command name --------------------

int cli_query_main (int argc, char **argv);
/*  xiecha query --batch (cli_batch.c); argv[0] is "query". */
int cli_batch_main (int argc, char **argv);
int cli_import_main (int argc, char **argv);
int cli_keygen_main (int argc, char **argv);
int cli_cert_main (int argc, char **argv);
int cli_cert_print_main (int argc, char **argv);
int cli_status_main (int argc, char **argv);
int cli_reload_main (int argc, char **argv);
int cli_backup_main (int argc, char **argv);
int cli_enroll_main (int argc, char **argv);
int cli_terminate_main (int argc, char **argv);
int cli_emergency_main (int argc, char **argv);
int cli_outbox_main (int argc, char **argv);
int cli_report_main (int argc, char **argv);
int cli_audit_main (int argc, char **argv);
/*  xiecha audit prove (cli_audit_prove.c); argv[0] is "prove". */
int cli_audit_prove (int argc, char **argv);
/*  xiecha proof verify (cli_proof.c). */
int cli_proof_main (int argc, char **argv);
/*  A verified or decoded proof bundle's hashes and checkpoint: as lines
    on stdout, or into the open JSON object j when j is not NULL. */
void cli_proof_show (const xc_proof_bundle_t *b, cli_json_t *j);
/*  Reads the armored block under label from the file at path into *out
    (caller frees).  Returns 0 or XC_E* with why, which names path. */
int cli_read_armored (const char *path, const char *label, uint8_t **out,
                      size_t *len, char *why, size_t why_len);
/*  xiecha audit list (cli_audit_list.c); argv[0] is "list". */
int cli_audit_list (int argc, char **argv);
/*  The actors of a verified export, for audit verify's summary
    (cli_audit_list.c): one line per actor with its entries per kind,
    or "actors": [{terminal, township, operator, entries, kinds}]. */
void cli_audit_actors_human (const xc_auditfile_report_t *r);
void cli_audit_actors_json (cli_json_t *j, const xc_auditfile_report_t *r);

int cli_checkin_main (int argc, char **argv);
int cli_due_main (int argc, char **argv);
int cli_trust_main (int argc, char **argv);
int cli_roster_main (int argc, char **argv);
int cli_conflicts_main (int argc, char **argv);
int cli_terminal_main (int argc, char **argv);
/*  xiecha trust add-key|revoke-key (cli_trust_edit.c) and
    create|add-node|remove-node (cli_trust_node.c); argv[0] is "trust". */
int cli_trust_edit_main (int argc, char **argv);
int cli_trust_node_main (int argc, char **argv);
/*  xiecha trust sign (cli_trust_sign.c); argv[0] is "trust". */
int cli_trust_sign_main (int argc, char **argv);

/*  Name of a notice kind ("ENROLLMENT", ...) or "?"; in cli_notice.c. */
const char *cli_notice_kind_name (int kind);

#endif
