/*  refusal.h - what the audit log keeps of a refused or repeated peer
    message, in one place.

    Every refusal of a message from another node (on the peer socket or
    on our dealers) and every repeated message answered from the cache
    comes here:

      the entry    REFUSED or DUPLICATE; its data is the kept record
                   (store/audit.h): the message's SHA-256, its length and
                   its first limits/audit_refused_prefix_bytes, never the
                   whole of a 256 KiB message
      the budget   limits/audit_refused_per_minute such messages of one
                   peer a minute get entries and log lines of their own
                   (node/limits.h); beyond, they are only counted, and
                   xc_refusal_flush writes one SUMMARY entry and one log
                   line per peer and minute instead; the signed error
                   answering each is still sent, and audited only with
                   an entry of its own
      decided      a valid message refused by a decision (a notice in
                   conflict) always gets its entry: its answer is kept
                   with the seen id and sent again on a retry, so the log
                   must hold both; the peer's rate limits bound those

    So a peer's refusals make the log grow by at most xc_refusal_bound
    bytes an hour, whatever it sends. */
#ifndef XIECHAD_REFUSAL_H
#define XIECHAD_REFUSAL_H

#include <lmdb.h>
#include <stdint.h>

#include "node/node.h"
#include "xiecha/wire.h"

#define XC_REFUSAL_NOTE_MAX 600   /* bytes of a note, cut beyond */
#define XC_REFUSAL_ANSWER_MAX 1024  /* bytes of the SENT entry of the
                                       signed error answering a refusal */

/*  A refused message of peer (NULL: unknown) with code (XC_E*) and note,
    bytes[len] as received; op is what opened of it (may be NULL or
    unopened).  Within the budget appends a REFUSED entry and logs "refused
    WHAT from PEER: NOTE"; beyond, only counts it.  *kept (may be NULL)
    says which, so the caller audits its answer only when it is 1.
    Returns 0 or a store error. */
int xc_refusal_audit (xc_node_t *node, MDB_txn *txn, const char *peer,
                      uint64_t now, int code, const char *what,
                      const char *note, const uint8_t *bytes, size_t len,
                      const xc_opened_t *op, int *kept);

/*  A repeated message of peer answered from the cache: a DUPLICATE
    entry within the budget, else counted.  Returns 0 or a store error. */
int xc_refusal_duplicate (xc_node_t *node, MDB_txn *txn, const char *peer,
                          uint64_t now, const uint8_t *bytes, size_t len,
                          const xc_opened_t *op);

/*  A valid message refused by a decision: always a REFUSED entry with
    the kept record.  Returns 0 or a store error. */
int xc_refusal_decided (xc_node_t *node, MDB_txn *txn, const char *peer,
                        uint64_t now, const char *note,
                        const uint8_t *bytes, size_t len,
                        const xc_opened_t *op);

/*  Writes a SUMMARY entry and a log line for every peer whose budget
    minute is over at now (every peer's, when all: at shutdown) with
    messages only counted.  Returns 0 or a store error (the counts stay
    for the next call). */
int xc_refusal_flush (xc_node_t *node, MDB_txn *txn, uint64_t now, int all);

/*  xc_write_fn wrappers, arg = xc_node_t *, now = the clock: the
    periodic one (minutes that are over) and the shutdown one (all). */
int xc_refusal_flush_tick (MDB_txn *txn, void *arg);
int xc_refusal_flush_final (MDB_txn *txn, void *arg);

/*  What the monthly report counts a refused message under: the relation
    its header claims between sender and recipient, and for a notice its
    program; 0 when op did not open. */
void xc_refusal_tags (const xc_opened_t *op, uint8_t *relation,
                      uint8_t *program);

/*  The most the audit log can grow from one peer's budgeted refusals in
    any hour, in bytes of entries: 61 minutes' budgets (a minute lasts at
    least 60 s) of a REFUSED entry with the longest note and prefix and
    the SENT entry of its error, and a summary each. */
uint64_t xc_refusal_bound (const xc_config_t *config);

#endif
