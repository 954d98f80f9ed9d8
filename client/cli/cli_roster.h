/*  cli_roster.h - the roster file `xiecha import` reads, through the CSV
    reader (cli_csv.h: UTF-8 or GB18030, a header in Chinese or English
    in any column order, or none):

        身份证号码,姓名,救助类别,开始日期[,结束日期]
        id_number,name,program,since[,until]

    program a name (低保, 特困, ... or dibao, tekun, low_income,
    dibao_edge, temp), dates in the forms cli_csv_date takes, until empty
    while open.  The name is checked for presence and dropped: the node
    keeps only subject refs.  Its own file so the fuzz target of roster
    files (tests/fuzz) reads them with this very code. */
#ifndef XIECHA_CLI_ROSTER_H
#define XIECHA_CLI_ROSTER_H

#include <stdbool.h>
#include <stdio.h>

#include <xiecha/xiecha.h>

#include "cli_csv.h"

#define CLI_ROSTER_SHOWN 20   /* bad rows described; the rest counted */

/*  The columns of a roster, in their order without a header. */
#define CLI_ROSTER_COLUMNS 5
extern const cli_csv_column_t cli_roster_columns[CLI_ROSTER_COLUMNS];

/*  What reading a file found. */
typedef struct {
    const char *file;                  /* its name, for messages */
    char *shown[CLI_ROSTER_SHOWN];     /* first bad-row messages, owned */
    size_t bad;                        /* bad rows in all */
} cli_roster_t;

/*  Reads every row of csv (made with cli_roster_columns), checks it and
    adds each good row to imp (xc_import_add); a bad row is counted in
    r->bad and, among the first CLI_ROSTER_SHOWN, described ("FILE:LINE:
    COLUMN “value”: what is wrong"). */
void cli_roster_read (cli_csv_t *csv, xc_import_t *imp, cli_roster_t *r);

/*  Counts a bad row at line and, among the first CLI_ROSTER_SHOWN,
    describes it ("FILE:LINE: ..."): also what only the whole file shows,
    such as two rows of one person and program. */
void cli_roster_bad (cli_roster_t *r, uint32_t line, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/*  Frees the messages; r can be read again after. */
void cli_roster_free (cli_roster_t *r);

#endif
