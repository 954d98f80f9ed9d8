/*  trustmark.h - the trust-list high-water mark kept in the store.

    A node keeps the highest trust-list serial it has used and the
    SHA-256 of the list that carried it, in the meta database:
      "trust.serial"  u64 big-endian
      "trust.digest"  serial (u64 big-endian) + SHA-256 (32)
    The digest sits under its own key rather than widening trust.serial,
    so a store keeps working with an older xiechad; one that raised
    trust.serial alone leaves a digest of another serial, which counts as
    unknown and is recorded afresh.

    The rule: a list may
    follow the mark when its serial is higher, or equal with the very
    same bytes.  A lower serial, or other bytes under a serial already
    used, is refused: it could be an old list signed again.  node.c
    applies it at start and --check, reload.c on SIGHUP. */
#ifndef XIECHAD_TRUSTMARK_H
#define XIECHAD_TRUSTMARK_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "xiecha/xiecha.h"

#define XC_TRUSTMARK_SERIAL_KEY "trust.serial"
#define XC_TRUSTMARK_DIGEST_KEY "trust.digest"

typedef struct {
    uint64_t serial;                /* trust.serial, 0 = none */
    bool known;                     /* digest is that serial's */
    uint8_t digest[XC_HASH_LEN];    /* SHA-256 of that list's bytes */
} xc_trustmark_t;

/*  Reads the stored mark into *mark; a zero mark when store is NULL or
    has no meta database (read-only, older).  Returns 0 or XC_ESTORE. */
int xc_trustmark_get (xc_store_t *store, xc_trustmark_t *mark);

/*  Whether trust may follow mark.  Sets *same when it is the marked
    list byte for byte.  Returns 0, or XC_ECONFIG with why naming path,
    both serials and, at the same serial, both digests. */
int xc_trustmark_judge (const xc_trustmark_t *mark, const xc_trust_t *trust,
                        const char *path, bool *same, char *why,
                        size_t why_len);

/*  Raises the stored mark to trust when it is newer than stored, or of
    the same serial in a store that predates digests (the list it holds
    is the best witness left of what that serial was).  A list without a
    serial leaves no mark.  Returns 0 or a store error. */
int xc_trustmark_record (xc_store_t *store, const xc_trust_t *trust,
                         const xc_trustmark_t *stored);

/*  The mark a reload must not go below: raised to trust (the list in
    memory) when that is newer, or the mark lacks its digest (its write
    failed, or the store predates digests). */
void xc_trustmark_merge (xc_trustmark_t *mark, const xc_trust_t *trust);

#endif
