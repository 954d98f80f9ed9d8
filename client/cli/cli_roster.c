/*  cli_roster.c - reading a roster file (cli_roster.h).  The whole file
    is checked before anything is sent, so a bad row never leaves half a
    roster behind. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <czmq.h>

#include "cli_roster.h"

#define MAX_COLUMNS 8     /* more than 5 is an error; stop counting here */

void
cli_roster_bad (cli_roster_t *r, uint32_t line, const char *fmt, ...)
{
    if (r->bad < CLI_ROSTER_SHOWN) {
        char text[512];
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (text, sizeof text, fmt, ap);
        va_end (ap);
        r->shown[r->bad] = zsys_sprintf ("%s:%u: %s", r->file,
                                         (unsigned) line, text);
    }
    r->bad++;
}

//  Splits one CSV line in place into fields (RFC 4180 quoting, without
//  line breaks inside quotes).  Returns the number of fields, or -1 for
//  an unterminated quote.
static int
s_split (char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (true) {
        char *out = p, *start = p;
        if (*p == '"') {
            //  Quoted: "" stands for one quote; copy down over the quotes.
            p++;
            while (true) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                }
                else if (*p == '"') {
                    p++;
                    break;
                }
                else
                    *out++ = *p++;
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ',' && *p != '\0')
                return -1;
        }
        else {
            while (*p != ',' && *p != '\0')
                p++;
            out = p;
        }
        char end = *p;
        *out = '\0';
        if (n < max)
            fields[n] = start;
        n++;
        if (end == '\0')
            return n;
        p++;
    }
}

//  Trims blanks at both ends, in place.
static char *
s_trim (char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t len = strlen (s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    return s;
}

//  Checks one data line and adds it to the import.
static void
s_row (xc_import_t *imp, cli_roster_t *r, char *text, uint32_t line)
{
    char *f[MAX_COLUMNS];
    int n = s_split (text, f, MAX_COLUMNS);
    if (n < 0) {
        cli_roster_bad (r, line, "a quoted field is not closed");
        return;
    }
    if (n < 4 || n > 5) {
        cli_roster_bad (r, line, "expected 4 or 5 columns "
               "(id_number,name,program,since[,until]), found %d", n);
        return;
    }
    for (int i = 0; i < n; i++)
        f[i] = s_trim (f[i]);
    if (!*f[1]) {
        cli_roster_bad (r, line, "name: missing");
        return;
    }
    int program = xc_program_parse (f[2]);
    if (program == 0) {
        cli_roster_bad (r, line, "program: unknown program '%s' (dibao, tekun, "
               "low_income, dibao_edge, temp)", f[2]);
        return;
    }
    uint32_t since = 0, until = 0;
    if (xc_date_parse (f[3], &since) != 0) {
        cli_roster_bad (r, line, "since: '%s' is not a date (YYYY-MM-DD)", f[3]);
        return;
    }
    if (n == 5 && *f[4] && xc_date_parse (f[4], &until) != 0) {
        cli_roster_bad (r, line, "until: '%s' is not a date (YYYY-MM-DD)", f[4]);
        return;
    }
    char why[256];
    if (xc_import_add (imp, f[0], program, since, until, line, why,
                       sizeof why) != 0)
        cli_roster_bad (r, line, "%s", why);
}

int
cli_roster_read (FILE *f, xc_import_t *imp, cli_roster_t *r)
{
    char *text = NULL;
    size_t cap = 0;
    ssize_t len;
    uint32_t line = 0;
    while ((len = getline (&text, &cap, f)) >= 0) {
        line++;
        while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        char *p = text;
        if (line == 1 && strncmp (p, "\xef\xbb\xbf", 3) == 0)
            p += 3;   // a BOM, as spreadsheets write it
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        bool first = !r->header_checked;
        r->header_checked = true;
        if (first && strncmp (p, "id_number", 9) == 0)
            continue;
        s_row (imp, r, p, line);
    }
    int err = ferror (f) ? errno : 0;
    free (text);
    return err;
}

void
cli_roster_free (cli_roster_t *r)
{
    for (size_t i = 0; i < CLI_ROSTER_SHOWN; i++)
        zstr_free (&r->shown[i]);
}
