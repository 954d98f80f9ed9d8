/*  outbox.h - notices waiting for the registration node's signed ack.

    A notice enters the outbox in the same write transaction as its audit
    entry and the local index change, before the client hears "queued";
    it leaves only in the transaction that records the ack (or the home
    node's signed refusal, which keeps it here as REJECTED for the county
    to resolve).  So a notice survives any crash of either side, and is
    never dropped unacknowledged.

    Value layout (big-endian):
        u8 format (1)  u8 kind  u8 state  u8 reserved  char home[6]
        u16 reserved  u64 created_at  u32 env_len  u32 zero  envelope  note */
#ifndef XIECHAD_OUTBOX_H
#define XIECHAD_OUTBOX_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef enum {
    XC_OUTBOX_PENDING = 0,   /* waiting for the ack */
    XC_OUTBOX_REJECTED = 1,  /* refused by the home node; kept for the county */
    XC_OUTBOX_LOCAL = 2      /* same county: applied here, never stored */
} xc_outbox_state_t;

typedef struct {
    uint8_t id[16];          /* the notice's msg_id */
    char home[7];            /* registration node it goes to */
    uint8_t kind;            /* XIECHA__NOTICE_KIND__* */
    uint8_t state;           /* xc_outbox_state_t */
    uint64_t created_at;     /* UTC ms when queued */
    uint8_t *env;            /* the sealed notice; owned (malloc) */
    size_t env_len;
    char note[256];          /* why it was rejected, when it was */
} xc_outbox_item_t;

/*  Stores (or replaces) an item.  Returns 0, XC_EFULL or XC_ESTORE. */
int xc_outbox_put (xc_store_t *store, MDB_txn *txn,
                   const xc_outbox_item_t *item);

/*  Reads an item; item->env is a malloc'd copy.  Returns 0,
    XC_ENOTFOUND, XC_EMALFORMED or XC_ESTORE. */
int xc_outbox_get (xc_store_t *store, MDB_txn *txn, const uint8_t id[16],
                   xc_outbox_item_t *item);

/*  Removes an item.  Returns 0, XC_ENOTFOUND or XC_ESTORE. */
int xc_outbox_del (xc_store_t *store, MDB_txn *txn, const uint8_t id[16]);

/*  Calls fn for every item in id order; item->env is valid only during
    the call.  Stops at the first non-zero return and passes it on. */
typedef int (xc_outbox_fn) (const xc_outbox_item_t *item, void *arg);
int xc_outbox_each (xc_store_t *store, MDB_txn *txn, xc_outbox_fn *fn,
                    void *arg);

/*  Frees item->env. */
void xc_outbox_item_free (xc_outbox_item_t *item);

#endif
