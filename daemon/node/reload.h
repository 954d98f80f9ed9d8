/*  reload.h - reloading the trust list while the node runs (SIGHUP).

    The signal handler only sets a flag; a zloop timer notices it and
    loads the list again, with the same checks as at start (signed by
    trust/root when that is set; this node still listed with its signing
    and CURVE keys), and holds it to the trust-list mark (trustmark.h):
    the larger of the loaded list and the stored mark.  A list of the
    same serial and bytes is a no-op: nothing is swapped.  On success
    node->trust is swapped; connections, waits and the outbox are left as
    they are.  On failure the old list stays and the reason is logged.
    The terminal list (node/terminals, access.h) and the policy file
    (policy/file, policy.h) are reloaded by the same SIGHUP, each on its
    own: any may fail while the others are taken.  `xiecha reload` asks
    for the same over the client socket (net/requests.c) and hears what
    changed (xc_reload_all). */
#ifndef XIECHAD_RELOAD_H
#define XIECHAD_RELOAD_H

#include <czmq.h>
#include <stdbool.h>

#include "node/node.h"

/*  One part of a reload: taken, unchanged, or refused (the old one
    stays). */
typedef struct {
    int rc;                 /* 0 taken or unchanged, else XC_E* */
    bool changed;
    bool configured;        /* the config names this part */
    char why[1024];         /* why it was refused */
} xc_reload_part_t;

/*  What a reload did.  The id lists are the caller's (xc_reload_clear). */
typedef struct {
    xc_reload_part_t trust, terminals, policy;
    uint64_t serial_old, serial_new;
    zlist_t *added, *removed;        /* terminal ids, char * */
    char policy_old[64], policy_new[64];
} xc_reload_report_t;

/*  Reloads the trust list, terminal list and policy, logs each part and
    tells systemd (RELOADING=1, then READY=1 with the outcome).  Fills
    *report; always clear it after. */
void xc_reload_all (xc_node_t *node, xc_reload_report_t *report);

/*  Frees the id lists of report; harmless twice. */
void xc_reload_clear (xc_reload_report_t *report);

/*  How often the timer looks at the flag. */
#define XC_RELOAD_TICK_MS 200

/*  Installs the SIGHUP handler (sigaction; call after zsys_init, which
    installs CZMQ's own SIGINT/SIGTERM handler). */
void xc_reload_install (void);

/*  How many SIGHUPs arrived so far.  A signal can break zmq_poll with
    EINTR, which ends zloop_start as an interrupt would; the caller starts
    the loop again when this count moved and zsys_interrupted is not set. */
unsigned xc_reload_hups (void);

/*  zloop timer: reloads when SIGHUP arrived since the last tick, and
    checks that the key the node signs with is still valid in its list
    (xc_node_check_signer).  arg is the xc_node_t.  Returns 0 (a failed
    reload does not stop the loop), or -1, ending the loop, with
    node->stopped saying why, when that key is not valid any more. */
int xc_reload_tick (zloop_t *loop, int timer_id, void *arg);

/*  Switches to keys/next_signing once the trust list makes it valid
    (xc_node_rotate), logging it and recording it in the audit log.
    Called at start and by every tick. */
void xc_reload_rotate (xc_node_t *node);

/*  Loads the trust list named by node's configuration and, when it
    passes, swaps it in (*changed true) or, when it is byte for byte the
    list loaded, keeps that (*changed false).  Returns 0, or an error with
    why. */
int xc_reload_trust (xc_node_t *node, bool *changed, char *why,
                     size_t why_len);

#endif
