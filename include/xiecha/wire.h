/*  wire.h - envelopes: seal, open, verify.

    This is where every message from outside is checked before anyone
    looks at it.  Opening parses and checks shape (sizes, version, codes,
    one body that matches the header type); verifying checks the signature
    with the trust-list key that was valid when the message was created,
    and that the key belongs to the sender.  Handlers only ever see
    messages that passed both. */
#ifndef XIECHA_WIRE_H
#define XIECHA_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <xiecha/xiecha.pb-c.h>  /* generated from proto/xiecha.proto */
#include "crypto.h"
#include "error.h"
#include "trust.h"

#define XC_PROTOCOL_VERSION 1

/*  How many subjects a message may carry, and how large it may be.

      query        1..xc_wire_max_subjects () subjects: the applicant and
                   household members, or a batch re-verification's
                   recipients.  A node sets its maximum from
                   limits/query_subjects (default XC_SUBJECTS_DEFAULT);
                   anything else (an offline verifier, the CLI) accepts
                   up to the protocol's XC_SUBJECTS_CEILING, so it never
                   refuses a certificate some node could have issued.
      certificate  one result per subject of its query, so as many.
      notice       1..XC_MAX_HOUSEHOLD subjects: one household, which
                   the registration node records member by member and
                   links (decide/households.h); a household of more is a
                   data error, not a batch.

    A query of n subjects, and its certificate, fit in
    xc_wire_message_max (n) bytes: XC_MAX_MESSAGE for header, programs,
    rosters and signature, and XC_RESULT_BUDGET bytes per subject (a
    subject result with up to 9 enrollments; a query's subject takes 34).
    A node accepts envelopes up to xc_wire_message_max of its maximum,
    and refuses to sign a certificate larger than its query's budget
    (ERR_TOO_BIG: ask about fewer subjects at once). */
#define XC_MAX_MESSAGE (256 * 1024)  /* any message; a query of 0 subjects */
#define XC_MAX_HOUSEHOLD 64          /* applicant + household members */
#define XC_SUBJECTS_DEFAULT 10000    /* limits/query_subjects default */
#define XC_SUBJECTS_CEILING 100000   /* no node may allow more */
#define XC_RESULT_BUDGET 256         /* certificate bytes per subject */

/*  XC_MAX_MESSAGE + subjects * XC_RESULT_BUDGET, for subjects up to
    XC_SUBJECTS_CEILING (more are counted as the ceiling). */
size_t xc_wire_message_max (size_t subjects);

/*  The most subjects a query (and results a certificate) this process
    opens may carry: XC_SUBJECTS_CEILING until a node sets its own (1..
    XC_SUBJECTS_CEILING; other values are clamped).  Process-wide and
    atomic: the back office opens envelopes in its own thread. */
void xc_wire_set_max_subjects (size_t max);
size_t xc_wire_max_subjects (void);

/*  A parsed envelope.  Both pointers are owned; free with xc_opened_free. */
typedef struct {
    Xiecha__Envelope *env;   /* as received; env->signed_ holds the bytes */
    Xiecha__Signed *msg;     /* parsed from env->signed_ */
    uint8_t digest[XC_HASH_LEN];  /* SHA-256 of env->signed_ */
} xc_opened_t;

/*  Serializes msg, signs it with key under XC_CTX_ENVELOPE and writes the
    envelope bytes to *out (caller frees with free()).  Returns 0 or a
    negative code. */
int xc_envelope_seal (const Xiecha__Signed *msg, xc_key_t *key,
                      const char *key_id, uint8_t **out, size_t *out_len);

/*  Parses envelope bytes and checks shape.  On success fills *opened and
    returns 0; otherwise returns XC_EMALFORMED, or XC_ETOOBIG (over
    xc_wire_message_max (xc_wire_max_subjects ()) bytes, or a query or
    certificate of more subjects than xc_wire_max_subjects ()), with why
    naming the field and the limit.  When the signed part parsed, opened->msg is set even
    on some failures so the caller can answer the sender; always call
    xc_opened_free. */
int xc_envelope_open (const uint8_t *buf, size_t len, xc_opened_t *opened,
                      char *why, size_t why_len);

/*  Verifies the signature with the trust list: key_id must be listed,
    belong to header.sender, and be valid at header.created_at.
    Returns 0, XC_EUNKNOWN or XC_ESIG with why. */
int xc_envelope_verify (const xc_opened_t *opened, const xc_trust_t *trust,
                        char *why, size_t why_len);

/*  Frees what open allocated; harmless on a zeroed struct and twice. */
void xc_opened_free (xc_opened_t *opened);

/*  Fills a header with version, type, a fresh random msg_id (stored in
    id_buf[XC_MSGID_LEN], which must outlive the header), sender,
    recipient, created_at = now_ms and hop_limit 8. */
void xc_header_init (Xiecha__Header *h, uint8_t *id_buf, Xiecha__MsgType type,
                     const char *sender, const char *recipient,
                     uint64_t now_ms);

/*  Name of a program ("DIBAO"...) or "?"; and the reverse, case-blind.
    xc_program_parse returns 0 (PROGRAM_UNSPECIFIED) for unknown names. */
const char *xc_program_name (int program);

/*  A list of programs (a query's, a client request's, a certificate's):
    each one of the programs, none twice, since a certificate checks each
    once.  field names the list in why ("query.programs"), twice how a
    repeat reads ("listed", "checked").  Returns 0, or code with why:
    "FIELD[i]: unknown program N" or "FIELD[i]: DIBAO listed twice". */
int xc_programs_check (const Xiecha__Program *programs, size_t n,
                       const char *field, const char *twice, int code,
                       char *why, size_t why_len);
int xc_program_parse (const char *name);

/*  Names for relation and status codes (error codes: error.h). */
const char *xc_relation_name (int relation);
const char *xc_status_name (int status);

/*  The relation between two places is the division rule's:
    xc_relation_of in xiecha/division.h. */

#endif
