/*  xt_term.h - township terminals of a federation's node, for the
    integration tests and the benchmarks: a TCP+CURVE terminal endpoint,
    terminal key pairs made and listed by the real CLI, and each
    terminal's client.zpl.

    Every function fails through xt_fail on error. */
#ifndef XIECHA_TESTS_XT_TERM_H
#define XIECHA_TESTS_XT_TERM_H

#include <limits.h>

#include "xt_fed.h"

/*  Gives node i (not started yet, or restarted after) a terminal
    endpoint on a free loopback port held for the federation's life
    (node/terminal_bind) and a terminal list <dir>/terminals.zpl
    (node/terminals), empty until xt_term_add.  Returns the endpoint
    (static buffer). */
const char *xt_term_enable (xt_fed_t *fed, size_t i);

/*  Makes terminal id of node i: `xiecha keygen --terminal` into
    <dir>/term-<id>/, `xiecha terminal add` with roles (e.g.
    "caseworker"), in township <code>100, and writes its client.zpl
    there (the endpoint of xt_term_enable, the node's CURVE key, the
    secret file).  Returns the client.zpl path in out[PATH_MAX].  The
    running node sees it after xt_term_reload. */
void xt_term_add (xt_fed_t *fed, size_t i, const char *id,
                  const char *roles, char out[PATH_MAX]);

/*  A client.zpl of a terminal whose key is in no list (a stranger),
    for node i.  Returns its path in out[PATH_MAX]. */
void xt_term_stranger (xt_fed_t *fed, size_t i, char out[PATH_MAX]);

/*  SIGHUP to node i, then waits until its log says the terminal list
    was reloaded once more than before (30 s at most). */
void xt_term_reload (xt_fed_t *fed, size_t i);

/*  A libxiecha terminal client from a client.zpl, request timeout
    timeout_ms.  Caller owns it. */
xc_client_t *xt_term_client (const char *client_zpl, int timeout_ms);

#endif
