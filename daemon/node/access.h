/*  access.h - who is asking on the client socket, and whether they may.

    A request reaches the node by one of two doors of the one client
    socket (net/transport.c):

      IPC       node/client_bind: the local administrator, whom the
                socket's file mode and group admit; every role
      terminal  node/terminal_bind, TCP with CURVE: ZAP admitted the
                connection's key because node/terminals lists it, valid
                and not revoked, and named the terminal's id as the ZAP
                User-Id, which libzmq puts on every frame it received

    Every request is checked here again, by that id, against the list as
    it is now: a list reloaded on SIGHUP that revokes a terminal (or
    drops it, or its window ends) cuts off its open sessions too, with no
    restart.  Then its roles (the request table, net/requests.c, says
    which role each kind needs) and, for queries, its rate: a token
    bucket per terminal of limits/terminal_queries_per_minute with a
    burst of limits/terminal_queries_burst, so a stolen terminal key
    cannot walk the registration counties' rosters.

    What the check found is the request's xc_who_t: the terminal, its
    township and operator.  It travels with the request (net/batch.h
    xc_item_t.who), the one place attribution reads it.  Counters live
    in memory, per terminal id, and survive reloads; nothing is
    stored.  Reactor thread only. */
#ifndef XIECHAD_ACCESS_H
#define XIECHAD_ACCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "node/config.h"
#include "xiecha/terminal.h"

typedef struct _xc_access_t xc_access_t;

/*  The one who made a request. */
typedef struct {
    bool local;                      /* over IPC: the local admin */
    char id[XC_TERMINAL_ID_MAX + 1]; /* terminal id; "ipc" when local */
    char township[10];               /* 9 digits; "" when local */
    char operator_name[96];          /* "" when local */
    unsigned roles;                  /* XC_ROLE_* */
} xc_who_t;

/*  One terminal's counters since start, for status. */
typedef struct {
    char id[XC_TERMINAL_ID_MAX + 1];
    char township[10];
    uint64_t requests;       /* requests that passed the check */
    uint64_t queries;        /* of which queries */
    uint64_t throttled;      /* queries refused over the rate */
    uint64_t denied;         /* requests refused: role, revoked, unlisted */
    uint64_t unaudited;      /* refusals beyond its audit budget */
} xc_access_load_t;

/*  Loads node/terminals when config names it (for the county of
    node/code).  Returns NULL with why (the list's error, or out of
    memory). */
xc_access_t *xc_access_new (const xc_config_t *config, char *why,
                            size_t why_len);

/*  Frees it and sets *self_p to NULL; harmless twice. */
void xc_access_destroy (xc_access_t **self_p);

/*  Loads the list again (SIGHUP).  On success swaps it in and returns 0
    with how many terminals it lists; on failure keeps the old one and
    returns the error with why. */
int xc_access_reload (xc_access_t *self, size_t *count, char *why,
                      size_t why_len);

/*  The list now (NULL when none is configured). */
const xc_terminals_t *xc_access_list (const xc_access_t *self);

/*  For ZAP: the id of the terminal whose CURVE key is z85 when it is
    admitted at now, else NULL with why. */
const char *xc_access_admit (xc_access_t *self, const char *z85,
                             uint64_t now, char *why, size_t why_len);

/*  Checks a request of user_id (the ZAP User-Id; NULL or "": IPC) that
    needs role and, when query, a token of its terminal's bucket, at
    now.  Fills *who in any case (as far as known).  Returns 0, XC_EROLE
    (unlisted, revoked, outside its window, or lacking the role: why
    names the terminal and the role) or XC_ERATE (why says when to
    retry). */
int xc_access_check (xc_access_t *self, const char *user_id, unsigned role,
                     const char *what, bool query, uint64_t now,
                     xc_who_t *who, char *why, size_t why_len);

/*  The audit actor of who (xiecha/auditentry.h) into out[len]:
    "<terminal id>\t<township>\t<operator>", for the local administrator
    "ipc\t\tlocal administrator" (the IPC socket does not say which of
    its users connected: its mode and group, node/client_ipc_*, say who
    may). */
void xc_access_actor (const xc_who_t *who, char *out, size_t len);

/*  Whether a refusal of who's request at now may have an audit entry of
    its own: limits/audit_refused_per_minute of each terminal a minute
    do (a stolen key flooding the node must not fill its log); beyond,
    they are only counted (status).  The local admin's always do. */
bool xc_access_keep (xc_access_t *self, const xc_who_t *who, uint64_t now);

/*  Up to max terminals that asked since start, most queries first.
    Returns how many; *throttled and *denied get the totals. */
size_t xc_access_loads (const xc_access_t *self, xc_access_load_t *out,
                        size_t max, uint64_t *throttled, uint64_t *denied);

#endif
