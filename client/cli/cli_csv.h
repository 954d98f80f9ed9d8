/*  cli_csv.h - the one reader of every CSV file xiecha takes in (the
    roster of `xiecha import`, the applicants of `xiecha query --batch`).

    The files come out of spreadsheets, mostly Excel on a Chinese
    Windows machine, so the reader takes what those write:

      encoding  UTF-8 with or without BOM; GB18030 (GBK is a subset):
                a file that is not valid UTF-8 but decodes as GB18030 is
                GB18030; or forced (cli_csv_new's encoding "utf-8",
                "gb18030", "gbk").  UTF-16 is refused with a hint.
      lines     LF, CRLF or CR; blank lines, rows of empty cells and
                lines starting with '#' are skipped
      quotes    RFC 4180: "" in a quoted cell is one quote; a quoted
                cell may hold line breaks
      header    a first row naming any known column is a header: the
                columns are found by name, in any order, other columns
                ignored; without one the columns are positional, in the
                order the caller lists them
      cells     ID numbers, dates, codes and programs with full-width
                digits and letters (０-９, Ｘ) folded and blanks removed;
                dates 2018-12-04, 2018/12/4, 2018.12.4, 20181204,
                2018年12月4日; programs by their Chinese names
                (最低生活保障/低保, 特困人员救助供养/特困供养/特困, 低收入家庭,
                低保边缘家庭, 临时救助) or ids (dibao, ...)

    Every complaint is one line in the user's language naming file,
    line, column header (as the file spells it) and rule:

        roster.csv:7: 身份证号码 “46902119900101123”：应为18位，实为17位

    An ID number Excel turned into a number (4.69021E+17, or 17 digits
    with the final X lost) is refused as such: its digits are gone. */
#ifndef XIECHA_CLI_CSV_H
#define XIECHA_CLI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xiecha/xiecha.h>

#define CLI_CSV_MAX_COLUMNS 8
#define CLI_CSV_MAX_BYTES (512u << 20)   /* a file larger is refused */

/*  A column the caller wants. */
typedef struct {
    const char *name;      /* English name: a header name, and the name
                              messages use when the file has no header */
    const char *aliases;   /* more header names, '|'-separated, the
                              Chinese name people know first */
    bool required;         /* a header must name it; positional files
                              must have at least the required ones */
} cli_csv_column_t;

/*  The columns more than one kind of file has, with the header names
    people use for them. */
#define CLI_CSV_ID_COLUMN                                                   \
    {"id_number", "身份证号码|身份证号|公民身份号码|公民身份证号码|身份证|"      \
     "证件号码|id", true}
#define CLI_CSV_NAME_COLUMN {"name", "姓名|名字", true}
#define CLI_CSV_PROGRAM_COLUMN(required)                                    \
    {"program", "救助类别|救助类型|救助项目|类别", required}

typedef struct _cli_csv_t cli_csv_t;

/*  Reads the file at path ("-": stdin) whole, decodes it (encoding NULL
    or "auto": detected) and reads its first row to see whether it is a
    header.  Returns the reader, or NULL with why ("FILE: ...", or
    "FILE:LINE: ..." for a header without a required column). */
cli_csv_t *cli_csv_new (const char *path, const char *encoding,
                        const cli_csv_column_t *columns, size_t count,
                        char *why, size_t why_len);

/*  The same over bytes in memory; name is the file's name in messages. */
cli_csv_t *cli_csv_new_mem (const char *name, const char *data, size_t len,
                            const char *encoding,
                            const cli_csv_column_t *columns, size_t count,
                            char *why, size_t why_len);

void cli_csv_destroy (cli_csv_t **self_p);

/*  Checks an --encoding value.  Returns 0 or -1. */
int cli_csv_encoding_check (const char *encoding);

/*  "UTF-8" or "GB18030": what the file was read as. */
const char *cli_csv_encoding (const cli_csv_t *self);

/*  Moves to the next data row.  Returns 1 for a row, 0 at the end, -1
    for a row that cannot be split into cells (an unclosed quote, a
    count of cells a positional file cannot have) with why, after which
    the next call goes on with the following row. */
int cli_csv_next (cli_csv_t *self, char *why, size_t why_len);

/*  The line the current row starts on. */
uint32_t cli_csv_line (const cli_csv_t *self);

/*  Whether the file has column col (an index into the caller's list). */
bool cli_csv_has (const cli_csv_t *self, size_t col);

/*  The cell of column col in the current row, blanks trimmed; "" when
    empty or absent.  Valid until the next cli_csv_next. */
const char *cli_csv_cell (const cli_csv_t *self, size_t col);

/*  The cell folded as codes are: full-width forms to ASCII, every blank
    removed, into out[len] (cut to fit). */
const char *cli_csv_folded (const cli_csv_t *self, size_t col, char *out,
                            size_t len);

/*  The cells, checked.  Each returns 0, or -1 with why ("FILE:LINE:
    HEADER “value”: rule").  An empty cell is "missing" for an ID number,
    a program and a code; a date that is empty gives *ymd = 0. */
int cli_csv_id (const cli_csv_t *self, size_t col, char norm[XC_ID_LEN + 1],
                char *why, size_t why_len);
int cli_csv_date (const cli_csv_t *self, size_t col, uint32_t *ymd,
                  char *why, size_t why_len);
int cli_csv_program (const cli_csv_t *self, size_t col, int *program,
                     char *why, size_t why_len);
int cli_csv_code (const cli_csv_t *self, size_t col,
                  char code[XC_CODE_LEN + 1], char *why, size_t why_len);

/*  A complaint about column col of the current row in that form, rule
    already translated; echo false leaves the value out (a name).
    Returns -1. */
int cli_csv_bad (const cli_csv_t *self, size_t col, bool echo, char *why,
                 size_t why_len, const char *rule);

/*  A program by a name people write: the id (dibao, DIBAO, low-income)
    or a Chinese name (最低生活保障, 低保, 特困, ...).  0 when unknown. */
int cli_csv_program_parse (const char *text);

#endif
