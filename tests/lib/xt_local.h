/*  xt_local.h - the daemon's modules opened in the test's own process:
    scratch stores, and two nodes on disk opened as xiechad opens them
    (no daemon runs, nothing binds).  Links the daemon's modules
    (xcfed_local_dep); everything else is in xt_fed.h.

    Every function fails through xt_fail on error: in a cmocka test it
    fails the test, so a setup reads as what it builds. */
#ifndef XIECHA_TESTS_XT_LOCAL_H
#define XIECHA_TESTS_XT_LOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "decide/roster.h"
#include "node/node.h"
#include "store/index.h"
#include "store/audit.h"
#include "store/store.h"

#include "xt_fed.h"

/*  Makes a fresh temporary directory xt-<name>-XXXXXX (xt_tmpdir_new),
    its path in dir (dir_size bytes; 64 is plenty under /tmp), and opens
    a store in it (map_size 0: the store's default).  Caller owns the
    store; free it with xt_store_destroy. */
xc_store_t *xt_store_new (char *dir, size_t dir_size, const char *name,
                          size_t map_size);

/*  Closes *store_p (if still open), sets it to NULL and removes dir,
    which must hold nothing but the store's two files: anything else
    left there fails the caller. */
void xt_store_destroy (xc_store_t **store_p, const char *dir);

/*  Two nodes of one federation, opened here. */
typedef struct {
    xt_fed_t *fed;        /* their files: <fed->root>/<code>/{sign.key,
                             curve.cert,node.zpl,data/}, one trust list
                             and one salt (fed->salt_bytes) */
    xc_node_t *a;         /* node 0: code_a, the residence node */
    xc_node_t *b;         /* node 1: code_b, the registration node */
} xt_pair_t;

/*  Writes a two-node federation (xt_fed_new_opts: no rogue, default
    limits) under a fresh xt-<name>-XXXXXX and opens both nodes with
    xc_config_load and xc_node_new, each with a new store (XC_NODE_INIT,
    as xiechad --init makes it).  Caller owns it. */
xt_pair_t *xt_pair_new (const char *name, const char *code_a,
                        const char *code_b);

/*  Destroys both nodes, removes the directory and sets *self_p to NULL.
    Safe on NULL. */
void xt_pair_destroy (xt_pair_t **self_p);

/*  Adds e to ref's record in store's index behind every decision's back:
    no audit entry accounts for it (what a scrub must find). */
void xt_index_forge (xc_store_t *store, const uint8_t ref[XC_REF_LEN],
                     const xc_enrollment_t *e);

/*  An audit entry of a node's log, copied out of its read transaction. */
typedef struct {
    uint64_t count;          /* entries in the log */
    uint8_t kind;            /* XC_AUDIT_* */
    char peer[7];
    char note[600];
    uint8_t data_hash[32];   /* SHA-256 of the entry's data */
    size_t data_len;
    /* when the data is a kept record (store/audit.h) */
    int kept;
    xc_audit_kept_t kept_record;   /* prefix NULL: copied out as its hash */
    uint8_t kept_prefix_hash[32];
} xt_audit_entry_t;

/*  Entry count - back of node's log (0: the last) into *e. */
void xt_audit_at (xc_node_t *node, uint64_t back, xt_audit_entry_t *e);

/*  The number of entries in node's log. */
uint64_t xt_audit_count (xc_node_t *node);

/*  Fails unless e's data is exactly bytes (length and SHA-256). */
void xt_audit_assert_data (const xt_audit_entry_t *e, const uint8_t *bytes,
                           size_t len);

/*  Fails unless e's data is the kept record of bytes (store/audit.h):
    their length and SHA-256, and a prefix of them. */
void xt_audit_assert_kept (const xt_audit_entry_t *e, const uint8_t *bytes,
                           size_t len);

/*  Whether node has seen msg_id from sender: 0, XC_ENOTFOUND or an
    error of xc_seen_get. */
int xt_seen (xc_node_t *node, const char *sender, const uint8_t *msg_id);

/*  Opens bytes and verifies its signature with node's trust list into
    *op (free with xc_opened_free); fails unless both pass. */
void xt_open_verified (xc_node_t *node, const uint8_t *bytes, size_t len,
                       xc_opened_t *op);

/*  A roster import at node in this process, as xiechad applies it
    (decide/roster.h): BEGIN with begin (NULL: a snapshot as of today of
    the rows' programs), the rows in one chunk, COMMIT, every slice in
    its own write transaction.  Returns 0 with *sum (may be NULL) filled,
    or the code of the first step refused, with why. */
int xt_import (xc_node_t *node, const Xiecha__ImportRequest *begin,
               Xiecha__RosterRow *const *rows, size_t n,
               xc_roster_summary_t *sum, char *why, size_t why_len);

/*  The next slice of a sealed import at node in its own write
    transaction.  Returns the store's code. */
int xt_import_slice (xc_node_t *node, xc_roster_t *roster);

/*  A snapshot of nobody paid, as of as_of (0: today), of every program
    at node: its rosters are then fresh at that date, so it may certify
    NOT_RECEIVING. */
void xt_rosters_fresh (xc_node_t *node, uint32_t as_of);

/*  One roster row of id paid program since..until (0: open), imported
    as a delta (its enrollment only: no roster date); fails the test if
    refused. */
void xt_import_row (xc_node_t *node, const char *id, int program,
                    uint32_t since, uint32_t until);

#endif
