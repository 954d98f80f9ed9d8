/*  cli_csv.c - the one reader of CSV files (cli_csv.h): decoding, rows
    and quotes, the header, and the rules of each kind of cell. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xiecha/text.h"
#include "cli_csv.h"

#define S_CELLS_MAX 256   /* cells kept of one row; the rest are dropped */

struct _cli_csv_t {
    char *name;                          /* the file, for messages */
    const char *encoding;                /* "UTF-8" or "GB18030" */
    char *text;                          /* the decoded file, NUL-ended */
    const char *p;                       /* where the next row starts */
    uint32_t next_line;                  /* the line at p */
    const cli_csv_column_t *columns;     /* the caller's */
    size_t count;
    int index[CLI_CSV_MAX_COLUMNS];      /* column -> cell, -1: absent */
    char *header[CLI_CSV_MAX_COLUMNS];   /* as the file names them */
    bool has_header;
    bool pending;                        /* the current row is unread */
    char *row;                           /* cells of the row, unquoted */
    size_t row_cap;
    const char *cells[S_CELLS_MAX];
    size_t n_cells;
    uint32_t line;                       /* where the row starts */
};

// ---- Decoding --------------------------------------------------------------

//  Length of the valid UTF-8 sequence at s (n bytes left), or 0.
static size_t
s_utf8_len (const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (len == 0 || s[0] > 0xf4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    //  Overlong forms, surrogates and beyond U+10FFFF.
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)
        || (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

//  Offset of the first byte that is not UTF-8 (or a NUL), or len.
static size_t
s_utf8_bad (const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n = data[i] ? s_utf8_len ((const unsigned char *) data + i,
                                         len - i) : 0;
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

static uint32_t
s_line_at (const char *data, size_t offset)
{
    uint32_t line = 1;
    for (size_t i = 0; i < offset; i++)
        line += data[i] == '\n';
    return line;
}

//  Decodes GB18030 (a superset of GBK) into a new UTF-8 text.  Returns
//  it, or NULL with *bad the offset that did not decode.
static char *
s_from_gb18030 (const char *data, size_t len, size_t *bad)
{
    iconv_t cd = iconv_open ("UTF-8", "GB18030");
    if (cd == (iconv_t) -1) {
        *bad = 0;
        return NULL;
    }
    size_t cap = len * 2 + 1;   /* 2 bytes never become more than 3, 4 → 4 */
    char *out = malloc (cap);
    char *in = (char *) data, *o = out;
    size_t left = len, room = cap - 1;
    if (out && iconv (cd, &in, &left, &o, &room) == (size_t) -1) {
        *bad = (size_t) (in - data);
        free (out);
        out = NULL;
    }
    iconv_close (cd);
    if (out) {
        *o = '\0';
        //  A NUL decodes to a NUL: refused as UTF-8 would.
        if (strlen (out) != (size_t) (o - out)) {
            *bad = strlen (data) < len ? strlen (data) : 0;
            free (out);
            return NULL;
        }
    }
    return out;
}

int
cli_csv_encoding_check (const char *e)
{
    if (!e || !strcasecmp (e, "auto") || !strcasecmp (e, "utf-8")
        || !strcasecmp (e, "utf8") || !strcasecmp (e, "gb18030")
        || !strcasecmp (e, "gbk"))
        return 0;
    return -1;
}

//  Sets self->text from the file's bytes.  Returns 0 or -1 with why.
static int
s_decode (cli_csv_t *self, const char *data, size_t len, const char *enc,
          char *why, size_t why_len)
{
    bool utf8 = enc && (!strcasecmp (enc, "utf-8") || !strcasecmp (enc,
                                                                   "utf8"));
    bool gb = enc && (!strcasecmp (enc, "gb18030") || !strcasecmp (enc,
                                                                   "gbk"));
    if (len >= 2 && ((data[0] == '\xff' && data[1] == '\xfe')
                     || (data[0] == '\xfe' && data[1] == '\xff'))) {
        snprintf (why, why_len, _("%s: the file is UTF-16 (Excel's "
                  "\"Unicode text\"); save it as \"CSV UTF-8\" or \"CSV\""),
                  self->name);
        return -1;
    }
    if (!gb && len >= 3 && !memcmp (data, "\xef\xbb\xbf", 3)) {
        data += 3;   // the BOM spreadsheets write: UTF-8, said so
        len -= 3;
        utf8 = true;
    }
    size_t bad = s_utf8_bad (data, len);
    if (!gb && bad == len) {
        self->encoding = "UTF-8";
        self->text = malloc (len + 1);
        if (!self->text)
            goto nomem;
        memcpy (self->text, data, len);
        self->text[len] = '\0';
        return 0;
    }
    if (utf8) {
        snprintf (why, why_len, _("%s:%u: not UTF-8 (byte 0x%02x); "
                  "--encoding gb18030 reads a file saved as GBK"),
                  self->name, (unsigned) s_line_at (data, bad),
                  (unsigned char) data[bad]);
        return -1;
    }
    size_t gbad = 0;
    self->text = s_from_gb18030 (data, len, &gbad);
    if (!self->text) {
        if (gb)
            snprintf (why, why_len, _("%s:%u: not GB18030 (byte 0x%02x)"),
                      self->name, (unsigned) s_line_at (data, gbad),
                      gbad < len ? (unsigned char) data[gbad] : 0);
        else
            snprintf (why, why_len, _("%s:%u: neither UTF-8 nor GB18030 "
                      "(byte 0x%02x); save the file as \"CSV UTF-8\""),
                      self->name, (unsigned) s_line_at (data, bad),
                      (unsigned char) data[bad]);
        return -1;
    }
    self->encoding = "GB18030";
    return 0;
nomem:
    snprintf (why, why_len, _("out of memory"));
    return -1;
}

// ---- Rows -------------------------------------------------------------------

static bool
s_blank (char c)
{
    return c == ' ' || c == '\t';
}

//  Room for one more byte of the row.
static int
s_room (cli_csv_t *self, size_t used)
{
    if (used + 1 < self->row_cap)
        return 0;
    size_t cap = self->row_cap ? self->row_cap * 2 : 256;
    char *row = realloc (self->row, cap);
    if (!row)
        return -1;
    self->row = row;
    self->row_cap = cap;
    return 0;
}

//  True at a line break; steps over it (CRLF, LF or CR) and counts it.
static bool
s_eol (cli_csv_t *self, const char **p)
{
    if (**p == '\r') {
        (*p) += (*p)[1] == '\n' ? 2 : 1;
        self->next_line++;
        return true;
    }
    if (**p == '\n') {
        (*p)++;
        self->next_line++;
        return true;
    }
    return false;
}

//  Splits the row at self->p into self->cells (offsets first, pointers
//  after, as the buffer may move).  Returns 0, 1 at the end of the
//  text, or -1 (with *what) for a row that cannot be split; p then
//  stands after it.
static int
s_split (cli_csv_t *self, const char **what)
{
    const char *p = self->p;
    if (*p == '\0')
        return 1;
    self->line = self->next_line;
    size_t used = 0, starts[S_CELLS_MAX], n = 0;
    int rc = 0;
    while (true) {
        size_t start = used;
        const char *q = p;
        while (s_blank (*q))
            q++;
        if (*q == '"') {
            p = q + 1;
            while (true) {
                if (*p == '\0') {
                    *what = _("a quoted cell is not closed");
                    self->p = p;
                    return -1;
                }
                if (*p == '"' && p[1] != '"') {
                    p++;
                    break;
                }
                if (*p == '"')
                    p++;   // "" is one quote
                if (*p == '\r' || *p == '\n') {
                    s_eol (self, &p);   // a line break inside the cell
                    if (s_room (self, used))
                        goto nomem;
                    self->row[used++] = '\n';
                    continue;
                }
                if (s_room (self, used))
                    goto nomem;
                self->row[used++] = *p++;
            }
            while (s_blank (*p))
                p++;
            if (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0' && !rc) {
                *what = _("text after the closing quote of a cell");
                rc = -1;
            }
            while (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0')
                p++;
        }
        else
            while (*p != ',' && *p != '\r' && *p != '\n' && *p != '\0') {
                if (s_room (self, used))
                    goto nomem;
                self->row[used++] = *p++;
            }
        if (s_room (self, used))
            goto nomem;
        self->row[used++] = '\0';
        if (n < S_CELLS_MAX)
            starts[n++] = start;
        if (*p == ',') {
            p++;
            continue;
        }
        s_eol (self, &p);
        break;
    }
    self->p = p;
    self->n_cells = n;
    for (size_t i = 0; i < n; i++)
        self->cells[i] = self->row + starts[i];
    return rc;
nomem:
    *what = _("out of memory");
    self->p = p + strlen (p);
    return -1;
}

//  Trims blanks (and U+3000, the ideographic space) at both ends, in place.
static char *
s_trim (char *s)
{
    while (true) {
        if (s_blank (*s))
            s++;
        else if (!strncmp (s, "\xe3\x80\x80", 3))
            s += 3;
        else
            break;
    }
    size_t len = strlen (s);
    while (true) {
        if (len && s_blank (s[len - 1]))
            len--;
        else if (len >= 3 && !strncmp (s + len - 3, "\xe3\x80\x80", 3))
            len -= 3;
        else
            break;
    }
    s[len] = '\0';
    return s;
}

//  True when every cell is empty, or the first starts with '#'.
static bool
s_skipped (cli_csv_t *self)
{
    for (size_t i = 0; i < self->n_cells; i++)
        self->cells[i] = s_trim ((char *) self->cells[i]);
    if (self->n_cells && self->cells[0][0] == '#')
        return true;
    for (size_t i = 0; i < self->n_cells; i++)
        if (*self->cells[i])
            return false;
    return true;
}

// ---- Cells: folding ------------------------------------------------------

//  Folds s into out[len]: full-width ASCII forms (U+FF01..U+FF5E) to
//  ASCII, every blank (also U+3000 and U+00A0) removed, and a leading
//  apostrophe (Excel's "this is text") dropped.
static const char *
s_fold (const char *s, char *out, size_t len)
{
    size_t o = 0;
    if (*s == '\'')
        s++;
    while (*s && o + 1 < len) {
        const unsigned char *u = (const unsigned char *) s;
        if (u[0] == 0xef && (u[1] == 0xbc || u[1] == 0xbd) && u[2]) {
            unsigned cp = ((u[1] & 0x3fu) << 6) | (u[2] & 0x3fu);
            cp |= 0xf000u;
            if (cp >= 0xff01 && cp <= 0xff5e) {
                out[o++] = (char) (cp - 0xff01 + 0x21);
                s += 3;
                continue;
            }
        }
        if (!strncmp (s, "\xe3\x80\x80", 3) || !strncmp (s, "\xc2\xa0", 2)) {
            s += s[0] == '\xe3' ? 3 : 2;
            continue;
        }
        if (!s_blank (*s))
            out[o++] = *s;
        s++;
    }
    out[o] = '\0';
    return out;
}

// ---- The header -------------------------------------------------------------

//  True when the folded, case-blind cell is one of column c's names.
static bool
s_names (const cli_csv_column_t *c, const char *cell)
{
    char folded[128];
    s_fold (cell, folded, sizeof folded);
    if (!strcasecmp (folded, c->name))
        return true;
    const char *a = c->aliases;
    while (a && *a) {
        const char *bar = strchr (a, '|');
        size_t n = bar ? (size_t) (bar - a) : strlen (a);
        if (strlen (folded) == n && !strncasecmp (folded, a, n))
            return true;
        a = bar ? bar + 1 : NULL;
    }
    return false;
}

//  The first of a column's aliases (its Chinese name), into out.
static const char *
s_alias (const cli_csv_column_t *c, char *out, size_t len)
{
    const char *a = c->aliases ? c->aliases : c->name;
    size_t n = strcspn (a, "|");
    snprintf (out, len, "%.*s", (int) (n < len ? n : len - 1), a);
    return out;
}

//  Looks at the first row.  Returns 0 (a header was taken, or the row is
//  data and stays current) or -1 with why.
static int
s_header (cli_csv_t *self, char *why, size_t why_len)
{
    for (size_t c = 0; c < self->count; c++) {
        self->index[c] = -1;
        for (size_t i = 0; i < self->n_cells && self->index[c] < 0; i++)
            if (s_names (&self->columns[c], self->cells[i]))
                self->index[c] = (int) i;
        self->has_header |= self->index[c] >= 0;
    }
    if (!self->has_header) {
        for (size_t c = 0; c < self->count; c++)
            self->index[c] = (int) c;
        return 0;
    }
    for (size_t c = 0; c < self->count; c++) {
        char alias[64];
        if (self->index[c] < 0 && self->columns[c].required) {
            snprintf (why, why_len, _("%s:%u: the header has no column "
                      "%s (%s)"), self->name, (unsigned) self->line,
                      s_alias (&self->columns[c], alias, sizeof alias),
                      self->columns[c].name);
            return -1;
        }
        if (self->index[c] >= 0
            && !(self->header[c] = strdup (self->cells[self->index[c]])))
            goto nomem;
    }
    self->n_cells = 0;   // the header is no data row
    return 0;
nomem:
    snprintf (why, why_len, _("out of memory"));
    return -1;
}

//  The next row that is not skipped: 1, 0 at the end, -1 with why.
static int
s_next_row (cli_csv_t *self, char *why, size_t why_len)
{
    while (true) {
        //  A comment is skipped unsplit: its quotes mean nothing.
        const char *c = self->p;
        while (s_blank (*c))
            c++;
        if (*c == '#') {
            c += strcspn (c, "\r\n");
            s_eol (self, &c);
            self->p = c;
            continue;
        }
        const char *what = NULL;
        int rc = s_split (self, &what);
        if (rc == 1)
            return 0;
        if (rc < 0) {
            snprintf (why, why_len, "%s:%u: %s", self->name,
                      (unsigned) self->line, what);
            return -1;
        }
        if (!s_skipped (self))
            return 1;
    }
}

cli_csv_t *
cli_csv_new_mem (const char *name, const char *data, size_t len,
                 const char *encoding, const cli_csv_column_t *columns,
                 size_t count, char *why, size_t why_len)
{
    if (count > CLI_CSV_MAX_COLUMNS || cli_csv_encoding_check (encoding)) {
        snprintf (why, why_len, "cli_csv: bad arguments");
        return NULL;
    }
    cli_csv_t *self = calloc (1, sizeof *self);
    if (!self || !(self->name = strdup (name))) {
        free (self);
        snprintf (why, why_len, _("out of memory"));
        return NULL;
    }
    self->columns = columns;
    self->count = count;
    self->next_line = 1;
    if (s_decode (self, data, len, encoding, why, why_len)) {
        cli_csv_destroy (&self);
        return NULL;
    }
    self->p = self->text;
    int rc = s_next_row (self, why, why_len);
    if (rc < 0 || (rc == 1 && s_header (self, why, why_len))) {
        cli_csv_destroy (&self);
        return NULL;
    }
    if (rc == 0)
        for (size_t c = 0; c < count; c++)
            self->index[c] = (int) c;
    //  A first row of data is the first cli_csv_next's.
    self->pending = rc == 1 && !self->has_header;
    return self;
}

cli_csv_t *
cli_csv_new (const char *path, const char *encoding,
             const cli_csv_column_t *columns, size_t count, char *why,
             size_t why_len)
{
    bool in = !strcmp (path, "-");
    FILE *f = in ? stdin : fopen (path, "rb");
    if (!f) {
        snprintf (why, why_len, "%s: %s", path, strerror (errno));
        return NULL;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    int err = 0;
    while (!err) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *more = cap <= CLI_CSV_MAX_BYTES * 2u ? realloc (data, cap)
                                                       : NULL;
            if (!more) {
                err = ENOMEM;
                break;
            }
            data = more;
        }
        size_t n = fread (data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            err = ferror (f) ? EIO : -1;
    }
    if (!in)
        fclose (f);
    cli_csv_t *self = NULL;
    if (err > 0)
        snprintf (why, why_len, "%s: %s", path, strerror (err));
    else if (len > CLI_CSV_MAX_BYTES)
        snprintf (why, why_len, _("%s: larger than %u MiB"), path,
                  CLI_CSV_MAX_BYTES >> 20);
    else
        self = cli_csv_new_mem (path, data, len, encoding, columns, count,
                                why, why_len);
    free (data);
    return self;
}

void
cli_csv_destroy (cli_csv_t **self_p)
{
    cli_csv_t *self = self_p ? *self_p : NULL;
    if (!self)
        return;
    for (size_t c = 0; c < CLI_CSV_MAX_COLUMNS; c++)
        free (self->header[c]);
    free (self->row);
    free (self->text);
    free (self->name);
    free (self);
    *self_p = NULL;
}

const char *
cli_csv_encoding (const cli_csv_t *self)
{
    return self->encoding;
}

//  "id_number,name,program,since[,until]": the columns of a file
//  without header.
static void
s_layout (const cli_csv_t *self, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t c = 0; c < self->count && o < len; c++)
        o += (size_t) snprintf (out + o, len - o, "%s%s%s",
                                self->columns[c].required ? "" : "[",
                                c ? "," : "", self->columns[c].name);
    for (size_t c = 0; c < self->count && o < len; c++)
        if (!self->columns[c].required)
            o += (size_t) snprintf (out + o, len - o, "]");
}

int
cli_csv_next (cli_csv_t *self, char *why, size_t why_len)
{
    int rc = self->pending ? 1 : s_next_row (self, why, why_len);
    self->pending = false;
    if (rc != 1)
        return rc;
    if (!self->has_header) {
        size_t required = 0;
        for (size_t c = 0; c < self->count; c++)
            required += self->columns[c].required;
        if (self->n_cells < required || self->n_cells > self->count) {
            char layout[160];
            s_layout (self, layout, sizeof layout);
            snprintf (why, why_len, _("%s:%u: expected %zu to %zu columns "
                      "(%s), found %zu"), self->name, (unsigned) self->line,
                      required, self->count, layout, self->n_cells);
            return -1;
        }
    }
    return 1;
}

uint32_t
cli_csv_line (const cli_csv_t *self)
{
    return self->line;
}

bool
cli_csv_has (const cli_csv_t *self, size_t col)
{
    return col < self->count && self->index[col] >= 0;
}

const char *
cli_csv_cell (const cli_csv_t *self, size_t col)
{
    if (!cli_csv_has (self, col)
        || (size_t) self->index[col] >= self->n_cells)
        return "";
    return self->cells[self->index[col]];
}

const char *
cli_csv_folded (const cli_csv_t *self, size_t col, char *out, size_t len)
{
    return s_fold (cli_csv_cell (self, col), out, len);
}

// ---- Cells: rules -----------------------------------------------------------

int
cli_csv_bad (const cli_csv_t *self, size_t col, bool echo, char *why,
             size_t why_len, const char *rule)
{
    const char *header = self->header[col] ? self->header[col]
                                           : self->columns[col].name;
    if (echo)
        snprintf (why, why_len, _("%s:%u: %s “%s”: %s"), self->name,
                  (unsigned) self->line, header, cli_csv_cell (self, col),
                  rule);
    else
        snprintf (why, why_len, _("%s:%u: %s: %s"), self->name,
                  (unsigned) self->line, header, rule);
    return -1;
}

//  True for what Excel writes for a long number: 4.69021E+17.
static bool
s_scientific (const char *s)
{
    const char *e = strpbrk (s, "eE");
    if (!e || e == s)
        return false;
    for (const char *p = s; p < e; p++)
        if (!isdigit ((unsigned char) *p) && *p != '.')
            return false;
    const char *x = e + 1 + (e[1] == '+');
    if (!*x)
        return false;
    for (; *x; x++)
        if (!isdigit ((unsigned char) *x))
            return false;
    return true;
}

static bool
s_digits (const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit ((unsigned char) s[i]))
            return false;
    return s[n] == '\0';
}

int
cli_csv_id (const cli_csv_t *self, size_t col, char norm[XC_ID_LEN + 1],
            char *why, size_t why_len)
{
    char id[64], text[512];
    cli_csv_folded (self, col, id, sizeof id);
    size_t len = strlen (id);
    if (len == 0)
        return cli_csv_bad (self, col, false, why, why_len, _("missing"));
    if (s_scientific (id))
        return cli_csv_bad (self, col, true, why, why_len, _("the "
               "spreadsheet made a number of it and lost its last digits; "
               "format the column as text and enter the numbers again"));
    if (len == XC_ID_LEN - 1 && s_digits (id, len)) {
        char with_x[XC_ID_LEN + 1];
        snprintf (with_x, sizeof with_x, "%sX", id);
        if (xc_id_normalize (with_x, NULL, norm, NULL, 0) == 0)
            return cli_csv_bad (self, col, true, why, why_len, _("17 "
                   "digits: the final X is missing (a spreadsheet drops it "
                   "from a number); format the column as text"));
    }
    size_t chars = 0;
    for (const char *c = id; *c; c++)
        chars += ((unsigned char) *c & 0xc0) != 0x80;
    if (chars != XC_ID_LEN) {
        snprintf (text, sizeof text, _("must be 18 characters, found %zu"),
                  chars);
        return cli_csv_bad (self, col, true, why, why_len, text);
    }
    if (xc_id_normalize (id, "", norm, text, sizeof text) == 0)
        return 0;
    //  The rule as the library names it, without its field prefix.
    const char *rule = strncmp (text, ": ", 2) ? text : text + 2;
    return cli_csv_bad (self, col, true, why, why_len, rule);
}

//  Reads digits at *s into *v (at most max of them).  Returns their count.
static int
s_number (const char **s, unsigned *v, int max)
{
    int n = 0;
    *v = 0;
    while (n < max && isdigit ((unsigned char) **s)) {
        *v = *v * 10 + (unsigned) (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

//  Parses the date forms; returns YYYYMMDD (maybe no real day), or 0.
static uint32_t
s_date_forms (const char *s)
{
    unsigned y, m, d;
    if (s_digits (s, 8))
        return (uint32_t) strtoul (s, NULL, 10);
    if (s_number (&s, &y, 4) != 4)
        return 0;
    const char *sep = NULL, *end = "";
    if (!strncmp (s, "年", strlen ("年"))) {
        sep = "月";
        s += strlen ("年");
        end = "日";
    }
    else if (*s == '-' || *s == '/' || *s == '.')
        sep = s++;
    if (!sep || s_number (&s, &m, 2) < 1)
        return 0;
    size_t sep_len = end[0] ? strlen (sep) : 1;
    if (strncmp (s, sep, sep_len))
        return 0;
    s += sep_len;
    if (s_number (&s, &d, 2) < 1)
        return 0;
    if (*end && !strcmp (s, end))
        s += strlen (end);
    if (*s)
        return 0;
    return (uint32_t) (y * 10000 + m * 100 + d);
}

int
cli_csv_date (const cli_csv_t *self, size_t col, uint32_t *ymd, char *why,
              size_t why_len)
{
    char text[64];
    cli_csv_folded (self, col, text, sizeof text);
    *ymd = 0;
    if (!*text)
        return 0;
    if (s_digits (text, strlen (text)) && strlen (text) == 5)
        return cli_csv_bad (self, col, true, why, why_len, _("a "
               "spreadsheet's day number, not a date; format the column "
               "as a date or as text"));
    uint32_t v = s_date_forms (text);
    if (v == 0)
        return cli_csv_bad (self, col, true, why, why_len, _("not a date "
               "(2018-12-04, 2018/12/4, 2018.12.4, 20181204 or "
               "2018年12月4日)"));
    if (!xc_date_valid (v))
        return cli_csv_bad (self, col, true, why, why_len,
                            _("no such day"));
    *ymd = v;
    return 0;
}

/*  Chinese names of the programs, as rosters write them. */
static const struct {
    const char *name;
    int program;
} s_program_names[] = {
    {"最低生活保障", XIECHA__PROGRAM__DIBAO},
    {"低保", XIECHA__PROGRAM__DIBAO},
    {"城乡低保", XIECHA__PROGRAM__DIBAO},
    {"城市低保", XIECHA__PROGRAM__DIBAO},
    {"农村低保", XIECHA__PROGRAM__DIBAO},
    {"特困人员救助供养", XIECHA__PROGRAM__TEKUN},
    {"特困供养", XIECHA__PROGRAM__TEKUN},
    {"特困人员", XIECHA__PROGRAM__TEKUN},
    {"特困", XIECHA__PROGRAM__TEKUN},
    {"低收入家庭", XIECHA__PROGRAM__LOW_INCOME},
    {"低收入", XIECHA__PROGRAM__LOW_INCOME},
    {"低保边缘家庭", XIECHA__PROGRAM__DIBAO_EDGE},
    {"低保边缘", XIECHA__PROGRAM__DIBAO_EDGE},
    {"临时救助", XIECHA__PROGRAM__TEMP},
};

int
cli_csv_program_parse (const char *text)
{
    char folded[64];
    s_fold (text ? text : "", folded, sizeof folded);
    int p = xc_program_parse (folded);
    for (size_t i = 0; !p && i < sizeof s_program_names
                                     / sizeof s_program_names[0]; i++)
        if (!strcmp (folded, s_program_names[i].name))
            p = s_program_names[i].program;
    return p;
}

int
cli_csv_program (const cli_csv_t *self, size_t col, int *program, char *why,
                 size_t why_len)
{
    if (!*cli_csv_cell (self, col))
        return cli_csv_bad (self, col, false, why, why_len, _("missing"));
    *program = cli_csv_program_parse (cli_csv_cell (self, col));
    if (*program)
        return 0;
    return cli_csv_bad (self, col, true, why, why_len, _("unknown program "
           "(最低生活保障 or 低保, 特困人员救助供养 or 特困, 低收入家庭, "
           "低保边缘家庭, 临时救助; or dibao, tekun, low_income, dibao_edge, "
           "temp)"));
}

int
cli_csv_code (const cli_csv_t *self, size_t col, char code[XC_CODE_LEN + 1],
              char *why, size_t why_len)
{
    char text[64];
    cli_csv_folded (self, col, text, sizeof text);
    if (!*text)
        return cli_csv_bad (self, col, false, why, why_len, _("missing"));
    //  "469021定安县": the code, and its name after it.
    size_t digits = strspn (text, "0123456789");
    if (digits == XC_CODE_LEN) {
        memcpy (code, text, XC_CODE_LEN);
        code[XC_CODE_LEN] = '\0';
        if (xc_code_valid (code))
            return 0;
    }
    return cli_csv_bad (self, col, true, why, why_len, _("not a division "
           "code (six digits, such as 469021)"));
}
