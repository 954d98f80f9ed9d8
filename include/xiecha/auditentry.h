/*  auditentry.h - what an audit log entry is, for anyone who reads one:
    the node that writes it (daemon/store/audit.h), the offline verifier
    of exports (auditfile.h) and of inclusion proofs (client.h), and
    verifiers written elsewhere from doc/FORMATS.md.

    Entry layout (all integers big-endian), XC_AUDIT_HEADER bytes, then
    the note, the data and (format 2) the actor:
        0   u8       format: 1, or 2 when the entry names an actor
        1   u8       kind (below)
        2   u16      note_len
        4   u32      data_len
        8   u64      time_ms     UTC ms when the node wrote it
        16  u8[32]   prev_hash   SHA-256 of the previous entry; entry 1:
                                 32 zero bytes (the genesis hash)
        48  char[6]  peer        division code, NUL-padded; all zero: none
        54  u16      actor_len   format 2: 1..XC_AUDIT_ACTOR_MAX;
                                 format 1: zero (reserved)
        56  note     note_len bytes, UTF-8
            data     data_len bytes
            actor    actor_len bytes, UTF-8 (format 2 only)
    The actor is who caused the entry through a client request:
    "<terminal id>\t<township code>\t<operator>", and for the local
    administrator over IPC "ipc\t\t<the daemon's user>".  An entry no
    client request caused has none and is format 1, byte for byte as
    before actors existed, so old logs keep their hashes.  An entry's hash
    is SHA-256 of all of its bytes, the actor too; entry n is the leaf n
    (index n - 1) of the log's Merkle tree (merkle.h). */
#ifndef XIECHA_AUDITENTRY_H
#define XIECHA_AUDITENTRY_H

#include <stddef.h>
#include <stdint.h>

#define XC_AUDIT_FORMAT 1         /* an entry without actor */
#define XC_AUDIT_FORMAT_ACTOR 2   /* an entry with one */
#define XC_AUDIT_HEADER 56        /* bytes before the note */
#define XC_AUDIT_ACTOR_MAX 255    /* longest actor */
#define XC_AUDIT_RESTORE_LEN 58   /* a RESTORE entry's data, format 1:
                                     u8 format | u8 how (1 said, 2 noticed)
                                     | u64 entries before it | u64 time of
                                     the last | u64 its last checkpoint
                                     entry | u8[32] SHA-256 of the backup */

/*  The kinds.  Only RECEIVED and SENT hold a whole envelope (data, byte
    for byte as on the wire: verify it as any envelope), only CHECKPOINT
    a signed checkpoint (data, checkpoint.h); the others are the node's
    word alone, covered by the chain and the checkpoints after them. */
typedef enum {
    XC_AUDIT_START = 1,      /* node started: note = version */
    XC_AUDIT_RECEIVED = 2,   /* peer envelope accepted; data = envelope */
    XC_AUDIT_SENT = 3,       /* envelope sent; data = envelope */
    XC_AUDIT_REFUSED = 4,    /* message refused; note = why, data = kept
                                record (daemon/store/audit.h) */
    XC_AUDIT_DECISION = 5,   /* local decision; note = what was decided */
    XC_AUDIT_IMPORT = 6,     /* roster import; note = summary, data = digest */
    XC_AUDIT_DUPLICATE = 7,  /* repeated message answered from cache;
                                data = kept record */
    XC_AUDIT_STOP = 8,       /* node stopped cleanly */
    XC_AUDIT_CHECKPOINT = 9, /* signed tree head; data: checkpoint.h */
    XC_AUDIT_SUMMARY = 10,   /* one peer's refused and repeated messages
                                beyond its budget, counted; note = what,
                                data = summary (daemon/store/audit.h) */
    XC_AUDIT_RESTORE = 11    /* the node started on a copy of its store:
                                entries after the copy's last are not in
                                this log; data: daemon/node/restore.h */
} xc_audit_kind_t;

/*  One entry's fields, pointing into the bytes parsed (valid as long as
    they are). */
typedef struct {
    uint8_t format, kind;
    uint64_t time_ms;
    const uint8_t *prev_hash;     /* 32 bytes */
    char peer[7];                 /* NUL-terminated, "" when none */
    const char *note;
    size_t note_len;
    const uint8_t *data;
    size_t data_len;
    const char *actor;            /* NULL when format 1 */
    size_t actor_len;
    size_t len;                   /* of the whole entry */
} xc_auditentry_t;

/*  The one reading of the layout above, for the node and every verifier:
    parses the entry e[len].  Returns 0, or XC_EMALFORMED for another
    format, a length that is not the header's sum, a format 1 entry with
    non-zero reserved bytes or a format 2 one without actor. */
int xc_auditentry_parse (const uint8_t *e, size_t len, xc_auditentry_t *out);

/*  A short name of a kind ("received", ...), "unknown" for one this
    library does not know (a verifier keeps such entries as chain-only). */
const char *xc_auditentry_kind_name (int kind);

/*  An actor's parts, each NUL-terminated (a part cut at its buffer's
    size): terminal id ("ipc" for the local administrator), township
    code ("" when none), operator. */
typedef struct {
    char terminal[64];
    char township[16];
    char operator_name[128];
} xc_actor_t;

/*  Splits actor[len] at its two tabs into *out.  Returns 0, or
    XC_EMALFORMED when it does not have exactly three parts. */
int xc_actor_split (const char *actor, size_t len, xc_actor_t *out);

#endif
