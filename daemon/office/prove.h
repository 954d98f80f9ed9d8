/*  prove.h - an inclusion proof for a certificate this node sent.

    Finds the SENT audit entry (daemon/audit.h) whose data is the given
    envelope byte for byte, the latest checkpoint entry after it (or the
    one asked for), and the
    RFC 9162 inclusion proof (xiecha/merkle.h) of the entry's hash in the
    tree that checkpoint covers.  The search is a linear scan of the log:
    O(entries) reads and one SHA-256 per entry, in one read transaction. */
#ifndef XIECHAD_PROVE_H
#define XIECHAD_PROVE_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include <xiecha/checkpoint.h>
#include <xiecha/merkle.h>

#include "store/store.h"

typedef struct {
    uint64_t seq;                          /* the SENT entry, 1-based */
    uint8_t entry_hash[32];
    uint8_t checkpoint[XC_CHECKPOINT_LEN]; /* signed record */
    uint8_t proof[XC_MERKLE_MAX_PROOF][32];
    size_t proof_len;
    uint8_t *entry;                        /* raw entry bytes (malloc) */
    size_t entry_len;
} xc_prove_t;

/*  Fills *out (release with xc_prove_free, also on error), under the
    latest checkpoint after the entry, or with tree_size > 0 under the
    checkpoint of that size (the entry tree_size + 1), which must cover
    the entry.  Returns 0; XC_ENOTFOUND with why "certificate not in this
    node's log", "no checkpoint covers entry N yet" or "no checkpoint of
    size S covering entry N"; XC_ENOMEM or XC_ESTORE. */
int xc_prove (xc_store_t *store, MDB_txn *txn, const uint8_t *envelope,
              size_t len, uint64_t tree_size, xc_prove_t *out, char *why,
              size_t why_len);

void xc_prove_free (xc_prove_t *p);

#endif
