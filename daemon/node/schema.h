/*  schema.h - a ZPL file read through one table of keys.

    Knot-style: each key is one row with its type, default and bounds, so
    a file's rules live in one place and an error names the exact key.
    The node config (config.c) and the eligibility policy (policy.c) are
    both read this way.  Every leaf in the file must be a row of the
    table: a misspelt key is an error, never a line silently ignored.

    Integers and plain text are stored here; a table may add types of
    its own (from XC_SCHEMA_OWN up) with a function that checks and
    stores them. */
#ifndef XIECHAD_SCHEMA_H
#define XIECHAD_SCHEMA_H

#include <czmq.h>
#include <stddef.h>

enum {
    XC_SCHEMA_TEXT,   /* string into a char[size]; too long is an error */
    XC_SCHEMA_INT,    /* decimal in min..max, stored as an int */
    XC_SCHEMA_OWN     /* first value for a table's own types */
};

typedef struct {
    const char *key;       /* ZPL path, e.g. "limits/batch_max" */
    int type;              /* XC_SCHEMA_TEXT, _INT, or the table's own */
    size_t offset;         /* into the struct being filled */
    size_t size;           /* for strings: buffer size */
    const char *def;       /* default, NULL = required */
    long min, max;         /* for XC_SCHEMA_INT */
    const char *meaning;   /* for --help and the "required" error */
} xc_schema_key_t;

/*  Checks v for key k and stores it into the struct at dst.  Returns 0,
    or XC_ECONFIG with why as "FILE: KEY: what is wrong". */
typedef int (xc_schema_set_fn) (const xc_schema_key_t *k, const char *v,
                                const char *file, void *dst, char *why,
                                size_t why_len);

typedef struct {
    const xc_schema_key_t *keys;   /* the table */
    size_t count;                  /* its rows */
    const char *unknown_hint;      /* appended to "unknown key" errors;
                                      NULL for none */
    xc_schema_set_fn *set_own;     /* stores types >= XC_SCHEMA_OWN; may be
                                      NULL when the table has none */
} xc_schema_t;

/*  Largest config or policy file read: a page of text; anything larger
    is not one. */
#define XC_SCHEMA_MAX_FILE (64 * 1024)

/*  Reads the ZPL file at path and parses it into *root (caller destroys
    it).  Returns 0, or XC_ECONFIG with why naming the file (cannot
    read, larger than XC_SCHEMA_MAX_FILE, not valid ZPL), or XC_ENOMEM.
    The file is read here and its text parsed, never with zconfig_load,
    which (CZMQ 4.2.1) leaks its zfile when the text is not valid ZPL. */
int xc_schema_load (const char *path, zconfig_t **root, char *why,
                    size_t why_len);

/*  Reads root (parsed from file, which errors name) into the struct at
    dst: first every leaf is checked against the table, then every row
    is stored, from the file or its default.  Returns 0, or XC_ECONFIG
    with why naming file and key (unknown key, required key missing,
    value of the wrong type or out of bounds); on error dst may be
    partly filled. */
int xc_schema_read (const xc_schema_t *schema, zconfig_t *root,
                    const char *file, void *dst, char *why, size_t why_len);

/*  Stores v as text for k, refusing one that does not fit; for a table's
    own string types after their own checks.  Returns 0 or XC_ECONFIG. */
int xc_schema_set_text (const xc_schema_key_t *k, const char *v,
                        const char *file, void *dst, char *why,
                        size_t why_len);

#endif
