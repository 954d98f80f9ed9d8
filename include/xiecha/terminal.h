/*  terminal.h - a node's list of township terminals (node/terminals):
    who may connect to its terminal endpoint, and what each may ask.

        terminal
            id = "dingcheng-01"              # the ZAP user id; [a-z0-9._-]
            township = "469021100"           # 9-digit 乡镇 code under the node
            township_name = "定城镇"
            operator = "Wang Li"             # a case worker or a system
            curve = "<40-character Z85 CURVE public key>"
            roles = "caseworker,auditor"
            not_before = "2026-01-01T00:00:00Z"   # optional
            not_after = "2028-01-01T00:00:00Z"    # optional
            revoked = 1                            # optional, 0 or 1

    The list is node-local (it names operators, who never leave the
    node); xiechad reads it at start and on SIGHUP, `xiecha terminal`
    edits it.  Both read it here, so one set of rules holds. */
#ifndef XIECHA_TERMINAL_H
#define XIECHA_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XC_TERMINAL_ID_MAX 32   /* characters of a terminal id */
#define XC_TERMINALS_MAX 4096   /* terminals in one list */

/*  Roles, as bits: one request kind needs one of them (daemon/net/
    requests.c says which); admin holds every role. */
enum {
    XC_ROLE_CASEWORKER = 1 << 0,  /* query, enroll/terminate/emergency,
                                     check-in, due, outbox */
    XC_ROLE_ROSTER = 1 << 1,      /* import, roster show/close, conflicts */
    XC_ROLE_AUDITOR = 1 << 2,     /* audit export/verify/prove/replay/check,
                                     reports */
    XC_ROLE_ADMIN = 1 << 3,       /* status, and everything else */
    XC_ROLE_ALL = (1 << 4) - 1
};

typedef struct {
    char id[XC_TERMINAL_ID_MAX + 1];
    char township[10];            /* 9 digits */
    char township_name[96];
    char operator_name[96];
    char curve[41];               /* Z85 public key */
    unsigned roles;               /* XC_ROLE_* bits */
    uint64_t not_before;          /* UTC ms; 0: always */
    uint64_t not_after;           /* UTC ms; 0: never ends */
    bool revoked;
} xc_terminal_t;

typedef struct _xc_terminals_t xc_terminals_t;

/*  Loads the list at path for the node of county (6 digits): every
    terminal's township must lie in that county, ids and CURVE keys are
    unique.  Returns NULL with why naming the file, the terminal and the
    rule. */
xc_terminals_t *xc_terminals_load (const char *path, const char *county,
                                   char *why, size_t why_len);

/*  The same from text; name stands for the file in messages. */
xc_terminals_t *xc_terminals_load_text (const char *text, const char *name,
                                        const char *county, char *why,
                                        size_t why_len);

/*  Frees it and sets *self_p to NULL; harmless twice. */
void xc_terminals_destroy (xc_terminals_t **self_p);

size_t xc_terminals_size (const xc_terminals_t *self);
const xc_terminal_t *xc_terminals_at (const xc_terminals_t *self, size_t i);

/*  The terminal with this id, or with this Z85 CURVE key; NULL when
    none.  Valid while the list lives. */
const xc_terminal_t *xc_terminals_find (const xc_terminals_t *self,
                                        const char *id);
const xc_terminal_t *xc_terminals_by_curve (const xc_terminals_t *self,
                                            const char *curve);

/*  Whether t is admitted at now: not revoked, within its window.
    Returns 0, or XC_EROLE with why saying which. */
int xc_terminal_admitted (const xc_terminal_t *t, uint64_t now, char *why,
                          size_t why_len);

/*  Parses "caseworker,roster" into role bits.  Returns 0, or XC_EINVAL
    with why naming the unknown role. */
int xc_roles_parse (const char *text, unsigned *roles, char *why,
                    size_t why_len);

/*  "caseworker,auditor" into out[len]. */
void xc_roles_text (unsigned roles, char *out, size_t len);

/*  The name of one role bit ("caseworker"), or "?". */
const char *xc_role_name (unsigned role);

/*  Whether text is a terminal id: 1..XC_TERMINAL_ID_MAX of a-z 0-9 . _ -
    (it is a ZAP user id, a log word and a key of the audit). */
bool xc_terminal_id_valid (const char *text);

#endif
