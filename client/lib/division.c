/*  division.c - administrative divisions: the rule and the table
    (xiecha/division.h).

    Reading order: the rule (levels, parents, cities, the relation),
    then the table (one line, the whole text, the checks that need every
    line, lookups), then the process's default table. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xiecha/division.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"

#ifndef XC_DIVISIONS_FILE
#define XC_DIVISIONS_FILE "/usr/share/xiecha/divisions.tsv"
#endif

/*  A table is a few thousand lines (the official list has about 3,200);
    anything larger is not a division table. */
#define S_MAX_FILE (4 * 1024 * 1024)

/* --------------------------------------------------------------------------
   The rule
   -------------------------------------------------------------------------- */

/*  The 31 provinces of the mainland (GB/T 2260 province parts). */
static const char s_mainland[][3] = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33",
    "34", "35", "36", "37", "41", "42", "43", "44", "45", "46", "50",
    "51", "52", "53", "54", "61", "62", "63", "64", "65"};

/*  Beijing, Tianjin, Shanghai, Chongqing: each one city. */
static const char s_municipality[][3] = {"11", "12", "31", "50"};

static int
s_part_in (const char *code, const char (*list)[3], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp (code, list[i], 2) == 0)
            return 1;
    return 0;
}

int
xc_division_municipality (const char *code)
{
    return xc_code_valid (code)
           && s_part_in (code, s_municipality,
                         sizeof s_municipality / sizeof s_municipality[0]);
}

int
xc_division_mainland (const char *code)
{
    return xc_code_valid (code)
           && s_part_in (code, s_mainland,
                         sizeof s_mainland / sizeof s_mainland[0]);
}

/*  The city part is 90: the province administers the unit directly. */
static int
s_province_direct (const char *code)
{
    return code[2] == '9' && code[3] == '0';
}

int
xc_division_level (const char *code)
{
    if (!xc_code_valid (code))
        return XC_DIVISION_NONE;
    int city_zero = code[2] == '0' && code[3] == '0';
    int county_zero = code[4] == '0' && code[5] == '0';
    if (!county_zero)
        return XC_DIVISION_COUNTY;
    if (city_zero)
        return XC_DIVISION_PROVINCE;
    if (s_province_direct (code) || xc_division_municipality (code))
        return XC_DIVISION_GROUP;
    return XC_DIVISION_PREFECTURE;
}

/*  Copies the first n digits of code and pads with zeros. */
static void
s_prefix (const char *code, int n, char out[7])
{
    memcpy (out, code, (size_t) n);
    memset (out + n, '0', (size_t) (6 - n));
    out[6] = '\0';
}

int
xc_division_parent (const char *code, char parent[7])
{
    int level = xc_division_level (code);
    if (level == XC_DIVISION_NONE)
        return XC_EINVAL;
    if (level == XC_DIVISION_PROVINCE)
        return XC_ENOTFOUND;
    int to_province = level != XC_DIVISION_COUNTY || s_province_direct (code)
                      || xc_division_municipality (code);
    s_prefix (code, to_province ? 2 : 4, parent);
    return 0;
}

int
xc_division_city (const char *code, char city[7])
{
    int level = xc_division_level (code);
    if (level == XC_DIVISION_NONE)
        return XC_EINVAL;
    if (xc_division_municipality (code)) {
        s_prefix (code, 2, city);
        return 0;
    }
    if (level == XC_DIVISION_PROVINCE || s_province_direct (code))
        return XC_ENOTFOUND;
    s_prefix (code, 4, city);
    return 0;
}

int
xc_relation_of (const char *residence, const char *home)
{
    if (!xc_code_valid (residence) || !xc_code_valid (home))
        return XIECHA__RELATION__RELATION_UNSPECIFIED;
    if (strcmp (residence, home) == 0)
        return XIECHA__RELATION__SAME_COUNTY;
    if (memcmp (residence, home, 2) != 0)
        return XIECHA__RELATION__OTHER_PROVINCE;
    char a[7], b[7];
    if (xc_division_city (residence, a) == 0
        && xc_division_city (home, b) == 0 && strcmp (a, b) == 0)
        return XIECHA__RELATION__SAME_CITY;
    return XIECHA__RELATION__SAME_PROVINCE;
}

static const char *s_level_names[] = {NULL, "province", "prefecture",
                                      "county", "group"};
#define S_LEVELS (sizeof s_level_names / sizeof s_level_names[0])

const char *
xc_division_level_name (int level)
{
    return level > 0 && (size_t) level < S_LEVELS ? s_level_names[level]
                                                   : "?";
}

/* --------------------------------------------------------------------------
   The table
   -------------------------------------------------------------------------- */

/*  A row and the line it came from, for messages about it. */
typedef struct {
    xc_division_t d;        /* first: xc_divisions_find returns &row->d */
    size_t line;            /* 1-based line in the file */
} s_row_t;

struct _xc_divisions_t {
    s_row_t *rows;          /* sorted by code */
    size_t count;           /* rows in use */
    size_t cap;             /* rows allocated */
};

/*  Splits the next field off *p (tabs and spaces separate fields) into
    *start; returns its length, 0 at the end of the line. */
static size_t
s_field (const char **p, const char *end, const char **start)
{
    while (*p < end && (**p == ' ' || **p == '\t'))
        (*p)++;
    *start = *p;
    while (*p < end && **p != ' ' && **p != '\t')
        (*p)++;
    return (size_t) (*p - *start);
}

static int
s_check_name (const char *file, const s_row_t *row, const char *name,
              size_t len, char *why, size_t why_len)
{
    if (len >= XC_DIVISION_NAME_MAX)
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: the name of %s is "
                         "%zu bytes, at most %d"), file, row->line, row->d.code,
                       len, XC_DIVISION_NAME_MAX - 1);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char) name[i] < 0x20 || name[i] == 0x7f)
            return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: the name of %s "
                             "holds control byte 0x%02x"), file, row->line,
                           row->d.code, (unsigned char) name[i]);
    return 0;
}

/*  The optional level and parent columns must say what the rule says:
    a table that disagrees is not silently believed. */
static int
s_check_columns (const char *file, const s_row_t *row, const char *level,
                 size_t level_len, const char *parent, size_t parent_len,
                 char *why, size_t why_len)
{
    const char *want = xc_division_level_name (row->d.level);
    if (strlen (want) != level_len || memcmp (want, level, level_len) != 0)
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: %s is a %s by its "
                         "code, not '%.*s'"), file, row->line, row->d.code,
                       want, (int) level_len, level);
    char rule[7] = "-";
    xc_division_parent (row->d.code, rule);
    if (strlen (rule) != parent_len || memcmp (rule, parent, parent_len) != 0)
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: the parent of %s "
                         "is %s by its code, not '%.*s'"), file, row->line,
                       row->d.code, rule, (int) parent_len, parent);
    return 0;
}

/*  Parses the line [p, end) into row (row->line set by the caller);
    *skip is set for blank lines and comments. */
static int
s_parse_line (const char *file, const char *p, const char *end,
              s_row_t *row, int *skip, char *why, size_t why_len)
{
    const char *code, *name, *level, *parent, *extra;
    size_t code_len = s_field (&p, end, &code);
    *skip = code_len == 0 || *code == '#';
    if (*skip)
        return 0;
    size_t name_len = s_field (&p, end, &name);
    size_t level_len = s_field (&p, end, &level);
    size_t parent_len = s_field (&p, end, &parent);
    snprintf (row->d.code, sizeof row->d.code, "%.*s",
              (int) (code_len < 6 ? code_len : 6), code);
    if (code_len != 6 || !xc_code_valid (row->d.code))
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: '%.*s' is not a "
                         "division code (6 digits, province 11..82)"), file,
                       row->line, (int) (code_len < 16 ? code_len : 16),
                       code);
    if (name_len == 0)
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: %s has no name"),
                       file, row->line, row->d.code);
    if ((level_len == 0) != (parent_len == 0) || s_field (&p, end, &extra))
        return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: expected code, "
                         "name, and optionally level and parent"), file,
                       row->line);
    int rc = s_check_name (file, row, name, name_len, why, why_len);
    if (rc)
        return rc;
    memcpy (row->d.name, name, name_len);
    row->d.name[name_len] = '\0';
    row->d.level = xc_division_level (row->d.code);
    if (level_len)
        rc = s_check_columns (file, row, level, level_len, parent,
                              parent_len, why, why_len);
    return rc;
}

static int
s_append (xc_divisions_t *self, const s_row_t *row)
{
    if (self->count == self->cap) {
        size_t cap = self->cap ? self->cap * 2 : 256;
        s_row_t *rows = realloc (self->rows, cap * sizeof *rows);
        if (!rows)
            return XC_ENOMEM;
        self->rows = rows;
        self->cap = cap;
    }
    self->rows[self->count++] = *row;
    return 0;
}

static int
s_row_cmp (const void *a, const void *b)
{
    return strcmp (((const s_row_t *) a)->d.code,
                   ((const s_row_t *) b)->d.code);
}

/*  After every line is in: no code twice, every parent listed. */
static int
s_check_table (const xc_divisions_t *self, const char *file, char *why,
               size_t why_len)
{
    for (size_t i = 1; i < self->count; i++) {
        const s_row_t *a = &self->rows[i - 1], *b = &self->rows[i];
        if (strcmp (a->d.code, b->d.code) == 0)
            return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: %s is listed "
                             "twice (lines %zu and %zu)"), file,
                           a->line > b->line ? a->line : b->line, a->d.code,
                           a->line < b->line ? a->line : b->line,
                           a->line > b->line ? a->line : b->line);
    }
    for (size_t i = 0; i < self->count; i++) {
        const s_row_t *r = &self->rows[i];
        char parent[7];
        if (xc_division_parent (r->d.code, parent) == 0
            && !xc_divisions_find (self, parent))
            return xc_why (why, why_len, XC_EINVAL, _("%s:%zu: %s %s belongs "
                             "to %s, which is not listed"), file, r->line,
                           r->d.code, r->d.name, parent);
    }
    return 0;
}

xc_divisions_t *
xc_divisions_parse (const char *text, size_t len, const char *name,
                    char *why, size_t why_len)
{
    xc_divisions_t *self = calloc (1, sizeof *self);
    if (!self) {
        xc_why (why, why_len, XC_ENOMEM, _("%s: out of memory"), name);
        return NULL;
    }
    const char *p = text, *end = text + len;
    /* A byte-order mark is how some editors start a UTF-8 file. */
    if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    int rc = 0;
    for (size_t line = 1; rc == 0 && p < end; line++) {
        const char *eol = memchr (p, '\n', (size_t) (end - p));
        const char *stop = eol ? eol : end;
        const char *cut = stop > p && stop[-1] == '\r' ? stop - 1 : stop;
        s_row_t row = {.line = line};
        int skip = 0;
        rc = s_parse_line (name, p, cut, &row, &skip, why, why_len);
        if (rc == 0 && !skip && (rc = s_append (self, &row)))
            xc_why (why, why_len, rc, _("%s: out of memory"), name);
        p = eol ? eol + 1 : end;
    }
    if (rc == 0) {
        if (self->count)
            qsort (self->rows, self->count, sizeof *self->rows, s_row_cmp);
        rc = s_check_table (self, name, why, why_len);
    }
    if (rc)
        xc_divisions_destroy (&self);
    return self;
}

xc_divisions_t *
xc_divisions_load (const char *path, char *why, size_t why_len)
{
    FILE *f = fopen (path, "rb");
    if (!f) {
        xc_why (why, why_len, XC_EIO, _("%s: cannot read: %s"), path,
                strerror (errno));
        return NULL;
    }
    char *buf = malloc (S_MAX_FILE + 1);
    size_t len = buf ? fread (buf, 1, S_MAX_FILE + 1, f) : 0;
    int bad = ferror (f);
    fclose (f);
    xc_divisions_t *self = NULL;
    if (!buf)
        xc_why (why, why_len, XC_ENOMEM, _("%s: out of memory"), path);
    else if (bad || len > S_MAX_FILE)
        xc_why (why, why_len, XC_EIO, "%s: %s", path,
                bad ? _("read error") : _("larger than 4 MiB"));
    else
        self = xc_divisions_parse (buf, len, path, why, why_len);
    free (buf);
    return self;
}

void
xc_divisions_destroy (xc_divisions_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free ((*self_p)->rows);
    free (*self_p);
    *self_p = NULL;
}

size_t
xc_divisions_size (const xc_divisions_t *self)
{
    return self ? self->count : 0;
}

const xc_division_t *
xc_divisions_find (const xc_divisions_t *self, const char *code)
{
    if (!self || !self->count || !code || strlen (code) != 6)
        return NULL;
    s_row_t key;
    snprintf (key.d.code, sizeof key.d.code, "%s", code);
    const s_row_t *row = bsearch (&key, self->rows, self->count,
                                  sizeof *self->rows, s_row_cmp);
    return row ? &row->d : NULL;
}

int
xc_divisions_check (const xc_divisions_t *self, const char *code, char *why,
                    size_t why_len)
{
    int level = xc_division_level (code);
    if (level == XC_DIVISION_NONE)
        return xc_why (why, why_len, XC_EINVAL, _("'%s' is not a division "
                         "code (6 digits, province 11..82)"), code ? code : "");
    if (level == XC_DIVISION_GROUP)
        return xc_why (why, why_len, XC_EINVAL, _("%s groups the units of %s "
                         "(省直辖县级行政区划, 市辖区 or 县) and is no unit "
                         "itself"), code, xc_division_municipality (code)
                       ? _("a municipality") : _("a province"));
    if (self && !xc_divisions_find (self, code))
        return xc_why (why, why_len, XC_ENOTFOUND, _("%s is not in the "
                         "division table"), code);
    return 0;
}

/* --------------------------------------------------------------------------
   The process's table
   -------------------------------------------------------------------------- */

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static xc_divisions_t *s_default;     /* NULL when it did not load */
static char s_default_why[512];       /* why it did not */

const char *
xc_divisions_default_path (void)
{
    const char *env = getenv ("XIECHA_DIVISIONS");
    return env && *env ? env : XC_DIVISIONS_FILE;
}

static void
s_load_default (void)
{
    s_default = xc_divisions_load (xc_divisions_default_path (),
                                   s_default_why, sizeof s_default_why);
}

const xc_divisions_t *
xc_divisions_default (char *why, size_t why_len)
{
    pthread_once (&s_once, s_load_default);
    if (!s_default)
        xc_why (why, why_len, XC_EIO, "%s", s_default_why);
    return s_default;
}

const char *
xc_division_name (const char *code)
{
    const xc_divisions_t *table = xc_divisions_default (NULL, 0);
    const xc_division_t *d = xc_divisions_find (table, code);
    return d ? d->name : NULL;
}

int
xc_township_in (const char *code, const char *county)
{
    return code && county && strlen (code) == 9
           && strspn (code, "0123456789") == 9
           && strncmp (code, county, 6) == 0;
}
