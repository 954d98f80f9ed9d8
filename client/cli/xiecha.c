/*  xiecha.c - the xiecha command: finds the command and hands over.

    Each command lives in its own cli_*.c and parses its own options, so
    this file stays a table. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_ref.h"
#include "xiecha/text.h"
#include "xiecha/zone.h"

typedef struct {
    const char *name;                 /* as typed */
    int (*main_fn) (int, char **);    /* gets argv from the command name */
    const char *summary;              /* one line for xiecha --help */
} s_command_t;

static const s_command_t s_commands[] = {
    { "query", cli_query_main,
      N_ ("ask the registration county whether an applicant receives aid") },
    { "import", cli_import_main,
      N_ ("load this county's roster of enrollments into the node") },
    { "keygen", cli_keygen_main,
      N_ ("create a node's keys, a terminal's CURVE key pair, or a salt") },
    { "cert", cli_cert_main, N_ ("verify a saved certificate offline, or print it") },
    { "status", cli_status_main, N_ ("show the node's state and counters") },
    { "reload", cli_reload_main,
      N_ ("make the node read its trust list, terminals and policy again") },
    { "backup", cli_backup_main,
      N_ ("copy the node's store, consistent and sealed, into a file") },
    { "enroll", cli_enroll_main,
      N_ ("report an enrollment made here to the registration county") },
    { "terminate", cli_terminate_main,
      N_ ("report the end of an enrollment made here") },
    { "emergency", cli_emergency_main,
      N_ ("report temporary aid granted here first") },
    { "outbox", cli_outbox_main,
      N_ ("list notices not yet acknowledged by their registration county") },
    { "report", cli_report_main,
      N_ ("monthly statistics under the node's seal; verify a saved report") },
    { "audit", cli_audit_main,
      N_ ("export the node's audit log; verify an export offline") },
    { "proof", cli_proof_main,
      N_ ("verify a certificate's proof bundle offline") },
    { "checkin", cli_checkin_main,
      N_ ("record a household's check-in here, or that it has left") },
    { "trust", cli_trust_main,
      N_ ("make the root key; create, edit, sign, verify or show a trust list") },
    { "due", cli_due_main,
      N_ ("list households overdue for check-in or absent over 3 months") },
    { "roster", cli_roster_main,
      N_ ("show one person's enrollments here; close one of this roster's") },
    { "conflicts", cli_conflicts_main,
      N_ ("list people two counties pay the same program, open and resolved") },
    { "ref", cli_ref_main,
      N_ ("the subject ref of an ID number, computed here (find a person)") },
    { "terminal", cli_terminal_main,
      N_ ("add, revoke or list the township terminals this node admits") },
};

static void
s_usage (FILE *out)
{
    fprintf (out,
             _("Usage: xiecha COMMAND [options]\n"
               "       xiecha COMMAND --help\n"
               "\n"
               "Cross-jurisdiction verification of social-assistance "
               "enrollment (xiecha %s).\n"
               "\nCommands:\n"),
             XIECHA_VERSION);
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++)
        fprintf (out, "  %-9s %s\n", s_commands[i].name,
                 _(s_commands[i].summary));
    fprintf (out, "%s\n%s%s",
             _("\nEvery command takes --json for machine-readable output.\n"),
             cli_exit_help (), _("\nSee xiecha(1).\n"));
}

int
main (int argc, char **argv)
{
    xc_text_init ();
    //  Times shown to people are Beijing time unless a command's node
    //  config names another zone (cli_zone_use).  Without zone data
    //  (no tzdata) the command still runs: it says so, in UTC.
    char why[256];
    if (xc_zone_use (XC_ZONE_DEFAULT, why, sizeof why) != 0)
        fprintf (stderr, _("xiecha: warning: %s; times are shown in UTC\n"),
                 why);
    if (argc < 2) {
        s_usage (stderr);
        return CLI_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp (cmd, "--help") == 0 || strcmp (cmd, "-h") == 0
        || strcmp (cmd, "help") == 0) {
        s_usage (stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp (cmd, "--version") == 0 || strcmp (cmd, "-V") == 0) {
        printf ("xiecha %s\n", XIECHA_VERSION);
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++)
        if (strcmp (cmd, s_commands[i].name) == 0)
            return s_commands[i].main_fn (argc - 1, argv + 1);
    cli_error (NULL, _("unknown command '%s'; try 'xiecha --help'"), cmd);
    return CLI_EXIT_USAGE;
}
