/*  cli_tlist.h - a trust list held as lines of text, for the xiecha trust
    commands that change one (add-key, revoke-key, add-node, remove-node,
    and sign when it raises the serial).

    The file is edited line by line, never re-serialised by zconfig, so
    comments, blank lines and the order of everything stay as they were.
    ZPL indents 4 spaces a level: `trust` is at depth 0, a `node` at 1, its
    fields and `key` sections at 2, a key's fields at 3.

    An edit is committed only when the edited text loads with
    xc_trust_load_text and passes the caller's check; it then replaces the
    list atomically (temporary file beside it, fsync, rename), keeping the
    list's mode.  On any refusal the file is left byte for byte as it was.

    Not safe against two editors at once: the last rename wins.  Edits
    are rare and made by one operator. */
#ifndef XIECHA_CLI_TLIST_H
#define XIECHA_CLI_TLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xiecha/trust.h"

typedef struct _cli_tlist_t cli_tlist_t;

/*  Reads the list at path as lines.  Returns NULL and fills why (XC_EIO,
    XC_ENOMEM) when it cannot be read.  Nothing is parsed yet. */
cli_tlist_t *cli_tlist_load (const char *path, char *why, size_t why_len);

/*  Frees the lines and sets *self_p to NULL; harmless when NULL. */
void cli_tlist_destroy (cli_tlist_t **self_p);

/*  Number of lines, and line i without its '\n' (valid until the next
    change). */
size_t cli_tlist_size (const cli_tlist_t *self);
const char *cli_tlist_line (const cli_tlist_t *self, size_t i);

/*  Inserts a line, formatted like printf, before line `at` (at == size
    appends).  Returns 0 or XC_ENOMEM. */
int cli_tlist_insert (cli_tlist_t *self, size_t at, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/*  Replaces line i, formatted like printf.  Returns 0 or XC_ENOMEM. */
int cli_tlist_replace (cli_tlist_t *self, size_t i, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));

/*  Removes lines from..to-1. */
void cli_tlist_remove (cli_tlist_t *self, size_t from, size_t to);

/*  Splits a ZPL line into depth, name and value (quotes removed; value
    empty for a section).  Returns 0 for a content line, -1 for a blank
    or comment line.  Over-long names and values are cut to fit. */
int cli_tlist_split (const char *line, int *depth, char *name,
                     size_t name_len, char *value, size_t value_len);

/*  The end (exclusive) of the section opened at line start, which sits
    at depth: the index after its last content line, so comments that
    follow it are not counted in. */
size_t cli_tlist_section_end (const cli_tlist_t *self, size_t start,
                              int depth);

/*  The line of the `trust` section, of the `node` section whose code is
    code, or of the `key` section whose public key has id id (hex, any
    case).  Return 0 with *at set, or -1 when there is none. */
int cli_tlist_find_trust (const cli_tlist_t *self, size_t *at);
int cli_tlist_find_node (const cli_tlist_t *self, const char *code,
                         size_t *at);
int cli_tlist_find_key (const cli_tlist_t *self, const char *id, size_t *at);

/*  Sets field name of the section opened at line section, which sits at
    depth, to value, written as given (the caller quotes it).  The line
    that holds the field keeps its indentation and what follows the value
    (a comment); a missing field is inserted after line *after, one level
    deeper than the section.  *after is left on the line set, so fields
    set one after another keep that order.  Returns 0 or XC_ENOMEM. */
int cli_tlist_set_field (cli_tlist_t *self, size_t section, int depth,
                         const char *name, const char *value, size_t *after);

/*  Checks that an edit took: gets the edited list, loaded; returns 0 or an
    XC_E* code with why. */
typedef int (cli_tlist_check_fn) (const xc_trust_t *edited, void *arg,
                                  char *why, size_t why_len);

/*  Loads the edited text (messages name path), runs check, then replaces
    path atomically.  Returns 0, XC_ECONFIG when the edit would not load
    or check refused it (why says so and that path is unchanged), or
    XC_EIO/XC_ENOMEM. */
int cli_tlist_commit (const cli_tlist_t *self, const char *path,
                      cli_tlist_check_fn *check, void *arg, char *why,
                      size_t why_len);

/*  Whether the list at path is meant to be signed: path.sig exists or it
    carries a serial.  Such a list must be re-signed after an edit. */
bool cli_tlist_signed (const char *path);

/*  After an edit: on stderr (people only; --json gives resign_needed), the
    reminder to raise the serial and re-sign.  Returns whether needed. */
bool cli_tlist_resign_hint (const char *path, bool json);

/*  Parses an ISO time option (any form cli_parse_iso takes) into the
    list's form, "YYYY-MM-DDTHH:MM:SSZ" in out[32], and *ms, cut to the
    second.  Returns -1 when good, else prints "xiecha trust: OPT: ..."
    and returns CLI_EXIT_USAGE, so callers can `if (rc >= 0) return rc`. */
int cli_tlist_time (const char *opt, const char *text, char out[32],
                    uint64_t *ms);

/*  Formats UTC ms in the list's form, cut to the second, into out[32]. */
void cli_tlist_iso (uint64_t ms, char out[32]);

/*  A time the list holds ("2026-11-23T08:00:00Z", as cli_tlist_iso
    writes it) as people read it: local time with its offset
    (cli_local_time), into out[32]; the text itself when it does not
    parse.  Returns out. */
const char *cli_tlist_local (const char *iso, char out[32]);

/*  A revocation reason as people read it: "retired" or "compromised"
    (xc_trust_reason_name, what the list and --json say) translated
    (停用, 泄露); any other name as it is. */
const char *cli_tlist_reason_text (const char *name);

#endif
