/*  auditentry.h - what an audit log entry is, for anyone who reads one:
    the node that writes it (daemon/store/audit.h), the offline verifier
    of exports (auditfile.h) and of inclusion proofs (client.h), and
    verifiers written elsewhere from doc/FORMATS.md.

    Entry layout (all integers big-endian), XC_AUDIT_HEADER bytes, then
    the note and the data:
        0   u8       format (XC_AUDIT_FORMAT, 1)
        1   u8       kind (below)
        2   u16      note_len
        4   u32      data_len
        8   u64      time_ms     UTC ms when the node wrote it
        16  u8[32]   prev_hash   SHA-256 of the previous entry; entry 1:
                                 32 zero bytes (the genesis hash)
        48  char[6]  peer        division code, NUL-padded; all zero: none
        54  u8[2]    reserved    zero
        56  note     note_len bytes, UTF-8
            data     data_len bytes
    An entry's hash is SHA-256 of all of its bytes; entry n is the leaf n
    (index n - 1) of the log's Merkle tree (merkle.h). */
#ifndef XIECHA_AUDITENTRY_H
#define XIECHA_AUDITENTRY_H

#define XC_AUDIT_FORMAT 1
#define XC_AUDIT_HEADER 56   /* bytes before the note */

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
    XC_AUDIT_SUMMARY = 10    /* one peer's refused and repeated messages
                                beyond its budget, counted; note = what,
                                data = summary (daemon/store/audit.h) */
} xc_audit_kind_t;

#endif
