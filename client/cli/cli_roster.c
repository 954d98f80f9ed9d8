/*  cli_roster.c - reading a roster file (cli_roster.h).  The whole file
    is checked before anything is sent, so a bad row never leaves half a
    roster behind. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <czmq.h>

#include "xiecha/text.h"
#include "cli_roster.h"

enum { S_ID, S_NAME, S_PROGRAM, S_SINCE, S_UNTIL };

const cli_csv_column_t cli_roster_columns[CLI_ROSTER_COLUMNS] = {
    CLI_CSV_ID_COLUMN,
    CLI_CSV_NAME_COLUMN,
    CLI_CSV_PROGRAM_COLUMN (true),
    {"since", "开始日期|起始日期|享受开始日期|纳入日期|开始时间", true},
    {"until", "结束日期|终止日期|截止日期|停止日期|结束时间", false},
};

//  Keeps a whole message ("FILE:LINE: ...") among the first shown.
static void
s_keep (cli_roster_t *r, const char *text)
{
    if (r->bad < CLI_ROSTER_SHOWN)
        r->shown[r->bad] = strdup (text);
    r->bad++;
}

void
cli_roster_bad (cli_roster_t *r, uint32_t line, const char *fmt, ...)
{
    char text[512], whole[640];
    va_list ap;
    va_start (ap, fmt);
    vsnprintf (text, sizeof text, fmt, ap);
    va_end (ap);
    snprintf (whole, sizeof whole, "%s:%u: %s", r->file, (unsigned) line,
              text);
    s_keep (r, whole);
}

//  Checks the current row and adds it to the import.  Returns 0 or -1
//  with why.
static int
s_row (cli_csv_t *csv, xc_import_t *imp, char *why, size_t why_len)
{
    char id[XC_ID_LEN + 1];
    int program = 0;
    uint32_t since = 0, until = 0;
    if (cli_csv_id (csv, S_ID, id, why, why_len)
        || (!*cli_csv_cell (csv, S_NAME)
            && cli_csv_bad (csv, S_NAME, false, why, why_len, _("missing")))
        || cli_csv_program (csv, S_PROGRAM, &program, why, why_len)
        || cli_csv_date (csv, S_SINCE, &since, why, why_len)
        || (!since && cli_csv_bad (csv, S_SINCE, false, why, why_len,
                                   _("missing")))
        || cli_csv_date (csv, S_UNTIL, &until, why, why_len))
        return -1;
    char text[256];
    if (xc_import_add (imp, id, program, since, until, cli_csv_line (csv),
                       text, sizeof text) == 0)
        return 0;
    snprintf (why, why_len, "%s", text);
    return 1;
}

void
cli_roster_read (cli_csv_t *csv, xc_import_t *imp, cli_roster_t *r)
{
    char why[640];
    int rc;
    while ((rc = cli_csv_next (csv, why, sizeof why)) != 0) {
        if (rc > 0 && (rc = s_row (csv, imp, why, sizeof why)) == 0)
            continue;
        if (rc > 0)   // the library's rule, without file and line
            cli_roster_bad (r, cli_csv_line (csv), "%s", why);
        else
            s_keep (r, why);
    }
}

void
cli_roster_free (cli_roster_t *r)
{
    for (size_t i = 0; i < CLI_ROSTER_SHOWN; i++) {
        free (r->shown[i]);
        r->shown[i] = NULL;
    }
}
