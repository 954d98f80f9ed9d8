/*  fuzz_roster.c - a roster file as `xiecha import FILE` reads it
    (client/cli/cli_roster.h, cli_csv.h): decoded, split and quoted, each row checked
    (ID, program, dates) and staged for the node.

    Input: the file's bytes. */
#include <stdio.h>
#include <stdlib.h>

#include "cli_roster.h"
#include "xf.h"

/*  An import needs a client; nothing is sent: rows are only staged. */
static xc_client_t *s_client;

static void
s_client_free (void)
{
    xc_client_destroy (&s_client);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
    char why[256];
    if (!s_client) {
        s_client = xc_client_new ("inproc://xf-roster", 1000, why,
                                  sizeof why);
        if (!s_client)
            abort ();
        atexit (s_client_free);
    }
    xc_import_t *imp = xc_import_new (s_client);
    if (!imp)
        abort ();
    cli_csv_t *csv = cli_csv_new_mem ("roster.csv", (const char *) data,
                                      size, NULL, cli_roster_columns,
                                      CLI_ROSTER_COLUMNS, why, sizeof why);
    if (!csv)
        xf_say ("file", XC_EINVAL, why);
    cli_roster_t r = {.file = "roster.csv"};
    if (csv)
        cli_roster_read (csv, imp, &r);
    for (size_t i = 0; i < r.bad && i < CLI_ROSTER_SHOWN; i++)
        xf_say ("row", XC_EINVAL, r.shown[i]);
    cli_roster_free (&r);
    cli_csv_destroy (&csv);
    xc_import_destroy (&imp);
    return 0;
}
