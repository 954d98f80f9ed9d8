/*  cli_text.h - how the case workers' commands put things to people:
    labelled lines and table cells that line up with Chinese in them,
    the VALID / INVALID verdict, and a person found by ID number.

    The texts are translated where they are written (include/xiecha/
    text.h); what is here only lays them out, the same in every
    language. */
#ifndef XIECHA_CLI_TEXT_H
#define XIECHA_CLI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xiecha/xiecha.h"

/*  Terminal columns of the label before a value ("valid until  "). */
#define CLI_LABEL_WIDTH 13

/*  Prints label (already translated) padded to CLI_LABEL_WIDTH columns
    on stdout, for a "label value" line; the value follows. */
void cli_label (const char *label);

/*  Prints "VALID" or "INVALID: why" (translated), with a newline. */
void cli_verdict (int rc, const char *why);

/*  "45s", "3m12s", "2h05m" or "3d04h" (translated units) into out[32]. */
const char *cli_duration (uint64_t seconds, char *out);

/*  One enrollment for people: "minimum living allowance (dibao) since
    2024-03-01 [until 2024-09-30] at 469028 陵水黎族自治县" (the program's
    title, translated), into out[len].  Replaces cli.c's
    cli_enrollment_text for the commands here. */
void cli_enrollment_line (const Xiecha__Enrollment *e, char *out,
                          size_t len);

/*  A roster date for people: "<program> as of 2026-11-30" or
    "<program> no roster", and when a newer snapshot was interrupted. */
void cli_roster_line (const Xiecha__RosterDate *d, char *out, size_t len);

/*  A certificate of more than list_max subjects (a batch, xiecha query
    --members) is shown as counts, then only those receiving aid:
    prints the "subjects" line and returns true; else prints nothing
    and returns false (every subject is listed).  --json lists all. */
bool cli_results_summary (const Xiecha__Certificate *cert, size_t list_max);

/*  cli_zone_use (cmd, config) for a parser's chain: returns -1 to go
    on (the zone is set), else the exit status. */
int cli_zone_next (const char *cmd, const char *config);

/*  A person to find by ID number (--id ID [--salt FILE]): the subject
    ref, computed here with the network salt (--salt, or trust/salt of
    the node config -c); the ID is sent and stored nowhere. */
typedef struct {
    const char *id;       /* --id, NULL: every person */
    const char *salt;     /* --salt */
    uint8_t ref[XC_REF_LEN];
} cli_who_t;

/*  Computes who->ref when who->id is set.  Returns -1 to go on, else
    CLI_EXIT_USAGE after saying what is missing (no salt) or wrong. */
int cli_who_load (const char *cmd, cli_who_t *who, const char *config);

/*  The options of a listing that talks to a node and may be narrowed to
    one person: the node options, --id, --salt and --help (help prints
    it), no arguments; then the zone of -c and who's ref.  Returns -1 to
    go on, else the exit status. */
int cli_who_parse (const char *cmd, void (*help) (void), int argc,
                   char **argv, cli_node_args_t *a, cli_who_t *who);

/*  Whether subject (a ref as the node sent it) is the person; always
    true when no --id was given. */
bool cli_who_is (const cli_who_t *who, const ProtobufCBinaryData *subject);

/*  The --encoding option of a command that reads a CSV file
    (cli_csv.h): sets *out to arg and returns -1 to go on, or says what
    is wrong and returns CLI_EXIT_USAGE.  Here rather than in cli_csv.c,
    which stands alone in its own tests. */
int cli_csv_encoding_option (const char *cmd, const char *arg,
                             const char **out);

#endif
