/*  cli_roster.h - the roster file `xiecha import` reads: CSV, UTF-8,

        id_number,name,program,since[,until]

    program a name (dibao, tekun, low_income, dibao_edge, temp), dates
    YYYY-MM-DD, until empty while open; RFC 4180 quoting without line
    breaks inside quotes.  A first line starting with "id_number" is a
    header; blank lines and lines starting with '#' are skipped, and a
    UTF-8 BOM is allowed.  The name is checked for presence and dropped:
    the node keeps only subject refs.  Its own file so the fuzz target of
    roster files (tests/fuzz) reads them with this very code. */
#ifndef XIECHA_CLI_ROSTER_H
#define XIECHA_CLI_ROSTER_H

#include <stdbool.h>
#include <stdio.h>

#include <xiecha/xiecha.h>

#define CLI_ROSTER_SHOWN 20   /* bad rows described; the rest counted */

/*  What reading a file found. */
typedef struct {
    const char *file;                  /* its name, for messages */
    char *shown[CLI_ROSTER_SHOWN];     /* first bad-row messages, owned */
    size_t bad;                        /* bad rows in all */
    bool header_checked;               /* first data line looked at */
} cli_roster_t;

/*  Reads every line of f, checks it and adds each good row to imp
    (xc_import_add); a bad row is counted in r->bad and, among the
    first CLI_ROSTER_SHOWN, described ("FILE:LINE: field: what is
    wrong").  Returns 0, or the errno of a read error. */
int cli_roster_read (FILE *f, xc_import_t *imp, cli_roster_t *r);

/*  Counts a bad row at line and, among the first CLI_ROSTER_SHOWN,
    describes it ("FILE:LINE: ..."): also what only the whole file shows,
    such as two rows of one person and program. */
void cli_roster_bad (cli_roster_t *r, uint32_t line, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/*  Frees the messages; r can be read again after. */
void cli_roster_free (cli_roster_t *r);

#endif
