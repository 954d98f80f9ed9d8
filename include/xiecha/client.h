/*  client.h - the client API township systems link against.

    A client talks to its own county node over the node's client socket
    (IPC by default).  Plain ID numbers and names travel only on that
    local hop; the node turns them into subject refs before anything
    leaves it. */
#ifndef XIECHA_CLIENT_H
#define XIECHA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkpoint.h"
#include "proof.h"
#include "wire.h"

typedef struct _xc_client_t xc_client_t;

typedef struct {
    const char *id_number;  /* 18 characters */
    const char *name;       /* UTF-8; stays between client and own node */
    int has_permit;         /* holds a residence permit here (居住证) */
    uint32_t permit_months; /* held for this many months */
} xc_person_t;

typedef struct {
    const char *home_county;     /* registration county code, 6 digits */
    xc_person_t applicant;
    const xc_person_t *members;  /* other household members, may be NULL */
    size_t member_count;
    const int *programs;         /* XIECHA__PROGRAM__* values */
    size_t program_count;
    uint32_t residence_months;   /* household's months of residence here */
    int emergency;               /* applying at the place of an emergency */
} xc_query_t;

/*  The answer to a query.  Free with xc_answer_free. */
typedef struct {
    uint8_t *certificate;        /* the home node's envelope bytes */
    size_t certificate_len;
    xc_opened_t opened;          /* the parsed certificate envelope */
    const Xiecha__Certificate *cert;  /* points into opened */
    int relation;                /* XIECHA__RELATION__* */
    uint32_t elapsed_ms;         /* as measured by the node */
} xc_answer_t;

/*  Connects to a node's client endpoint (e.g. ipc:///run/xiecha/x.sock).
    timeout_ms bounds every call; 0 means 10 s.  Returns NULL with why. */
xc_client_t *xc_client_new (const char *endpoint, int timeout_ms, char *why,
                            size_t why_len);

/*  A township terminal's client configuration (client.zpl):

        client
            endpoint = "tcp://node.dingan.example:7311"   # node/terminal_bind
            server_key = "<Z85: the node's CURVE public key>"
            secret_key = "terminal.cert_secret"   # xiecha keygen --terminal;
                                                  # relative to this file
*/
typedef struct {
    char endpoint[256];
    char server_key[41];         /* Z85 */
    char secret_key[4096];       /* the terminal's zcert secret file */
} xc_client_config_t;

/*  Reads a client configuration file.  Returns 0, or XC_ECONFIG with
    why naming the file and the key. */
int xc_client_config_load (const char *path, xc_client_config_t *config,
                           char *why, size_t why_len);

/*  Connects as a terminal: CURVE with the terminal's key pair to the
    node's key, at config's endpoint.  The node admits only keys its
    terminal list holds, valid and not revoked; a refused handshake is
    silence, so calls then end in XC_ETIMEOUT, whose why says so.
    Returns NULL with why (the key file unreadable, say). */
xc_client_t *xc_client_new_terminal (const xc_client_config_t *config,
                                     int timeout_ms, char *why,
                                     size_t why_len);

/*  Closes the connection and sets *self_p to NULL; harmless twice. */
void xc_client_destroy (xc_client_t **self_p);

/*  Asks the node to verify an applicant with the registration county.
    Returns 0 with *answer filled; XC_EINVAL for bad input (why names the
    field); XC_EUNREACHABLE when no answer of the registration node
    arrived in time (why says whether it could be connected at all);
    XC_EANSWER when one arrived but the own node refused it (why says
    why, e.g. by how much its clock is off; xc_client_cause gives the
    code); XC_EREFUSED when the registration node refused with a signed
    error; XC_ETIMEOUT when the own node did not answer; other codes
    otherwise. */
int xc_client_query (xc_client_t *self, const xc_query_t *query,
                     xc_answer_t *answer, char *why, size_t why_len);
/*  (XC_EROSTER, too: the registration node answered that its roster of a
    program asked about is missing or too old to certify NOT_RECEIVING;
    why names the node, the program and the roster's date.) */

/*  The cause the node gave with the last failed call, else 0: with
    XC_EANSWER, the XC_E* code for which it refused the registration
    node's answer (XC_ESTALE or XC_EFUTURE: its clock; XC_ESIG: the
    signature; XC_EUNKNOWN: a key unknown, revoked or outside its
    validity; XC_EBINDING: not an answer to this query; ...). */
int xc_client_cause (const xc_client_t *self);

/*  Frees what an answer holds; harmless on a zeroed answer. */
void xc_answer_free (xc_answer_t *answer);

/*  Node status.  Caller frees *status with
    xiecha__status_reply__free_unpacked (*status, NULL). */
int xc_client_status (xc_client_t *self, Xiecha__StatusReply **status,
                      char *why, size_t why_len);

/*  Asks the node to read its trust list, terminal list and policy again
    (as SIGHUP does; the local administrator over IPC only).  *reply says
    per part what changed or why it was refused; caller frees it with
    xiecha__reload_reply__free_unpacked (*reply, NULL). */
int xc_client_reload (xc_client_t *self, Xiecha__ReloadReply **reply,
                      char *why, size_t why_len);

/*  Asks the node to seal its audit log for a backup (the local
    administrator over IPC only): a signed checkpoint over all of it,
    recorded with the request.  *reply names the checkpoint entry and the
    node's data directory; caller frees it with
    xiecha__backup_reply__free_unpacked (*reply, NULL). */
int xc_client_backup (xc_client_t *self, Xiecha__BackupReply **reply,
                      char *why, size_t why_len);

/*  A report to the registration county: an enrollment approved here, its
    termination, or emergency aid granted first and registered afterwards.
    Fields that do not apply to the kind are ignored. */
typedef struct {
    int kind;                    /* XIECHA__NOTICE_KIND__* */
    const char *home_county;     /* registration county code, 6 digits */
    xc_person_t applicant;
    const xc_person_t *members;  /* other household members, may be NULL */
    size_t member_count;
    int program;                 /* XIECHA__PROGRAM__*; EMERGENCY_AID: TEMP
                                    (set automatically if 0) */
    uint32_t start_date;         /* YYYYMMDD: ENROLLMENT, EMERGENCY_AID */
    uint32_t end_date;           /* YYYYMMDD: TERMINATION */
    int reason;                  /* XIECHA__TERMINATION_REASON__* for
                                    TERMINATION */
    uint32_t amount_band;        /* EMERGENCY_AID: 1..5 */
    const char *aid_reason;      /* EMERGENCY_AID: category, e.g. "illness" */
    int wait_ms;                 /* wait this long for the home node's ack;
                                    0: return once queued */
    int member_only;             /* TERMINATION: end only the people named;
                                    0: a person enrolled here with a
                                    household stands for all of it */
} xc_notice_t;

typedef struct {
    uint8_t notice_id[16];       /* the notice's msg_id, as in the outbox */
    int delivered;               /* 1: the home node's ack arrived in time */
    uint32_t subjects;           /* people the notice covers: a household's
                                    termination covers its members */
} xc_notice_result_t;

/*  Reports a notice through the own node, which queues it durably in its
    outbox and delivers it until the registration node acks.  Everything
    the node would refuse as bad input is checked first: XC_EINVAL with why
    naming the field, before anything is sent.  Returns 0 once queued, with
    result->delivered telling whether the ack arrived within wait_ms (the
    call waits at least wait_ms + 5 s for the node); XC_ECONFLICT when the
    registration node refused because the person already receives the
    program there (why names node, program and since date);
    XC_ENOTENROLLED when terminating an enrollment that does not exist;
    XC_EREFUSED for another signed refusal; other codes otherwise. */
int xc_client_notice (xc_client_t *self, const xc_notice_t *notice,
                      xc_notice_result_t *result, char *why, size_t why_len);

/*  Notices still waiting in the own node's outbox for an ack, and those the
    registration node rejected (attempts and next_attempt_at both 0).
    Caller frees *outbox with xiecha__outbox_reply__free_unpacked
    (*outbox, NULL). */
int xc_client_outbox (xc_client_t *self, Xiecha__OutboxReply **outbox,
                      char *why, size_t why_len);

/*  Dynamic management of households enrolled here (client_manage.c).

    Records that the applicant's household checked in on *date (YYYYMMDD;
    0: the node's today, in its node/timezone), or, with absent, that it
    has been gone since *date; *date is then the date the node recorded.  Any member's ID stands for the whole household.  Returns 0;
    XC_EINVAL for a bad ID, name or date (why names the field);
    XC_ENOTFOUND when no household of this person is enrolled at the node
    (why: "applicant: no household enrolled here"); other codes
    otherwise. */
int xc_client_checkin (xc_client_t *self, const xc_person_t *applicant,
                       uint32_t *date, int absent, char *why,
                       size_t why_len);

/*  Households due for action as of as_of (YYYYMMDD; 0: the node's
    today): other-province households with no check-in for more than 92
    days ("check-in overdue"), and households of any origin absent for
    more than 3 calendar months ("absent over 3 months: aid should
    stop").  Caller frees *due with xiecha__due_reply__free_unpacked
    (*due, NULL). */
int xc_client_due (xc_client_t *self, uint32_t as_of, Xiecha__DueReply **due,
                   char *why, size_t why_len);

/*  A roster import: rows are staged at the node, checked whole, then
    applied (so a file with a bad row, or two rows of one person and
    program, changes nothing).  By default the file is a snapshot: what
    the node's county pays, as of the node's today, in the programs of
    its rows; the node closes its own roster enrollments of those
    programs that the snapshot misses, and refuses a snapshot older than
    the last one of a program (xc_import_snapshot, xc_import_delta). */
typedef struct _xc_import_t xc_import_t;

/*  What a committed import did. */
typedef struct {
    uint64_t rows;        /* rows committed */
    uint64_t subjects;    /* subjects in the index afterwards */
    uint64_t added;       /* enrollments added */
    uint64_t changed;     /* corrected (since or until) */
    uint64_t closed;      /* closed as missing from the snapshot */
    uint64_t unchanged;   /* rows the index already had so */
    uint64_t conflicts;   /* conflicts with other payers found */
    uint64_t not_applied; /* rows of people whose record is full */
    uint32_t as_of;       /* the snapshot's date; 0 for a delta */
} xc_import_result_t;

/*  Progress callback: rows sent so far and total. */
typedef void (xc_progress_fn) (uint64_t done, uint64_t total, void *arg);

xc_import_t *xc_import_new (xc_client_t *client);
void xc_import_destroy (xc_import_t **self_p);

/*  Adds one row; validates the ID and dates locally first.  line is the
    source line for messages.  Returns 0 or XC_EINVAL with why. */
int xc_import_add (xc_import_t *self, const char *id_number, int program,
                   uint32_t since, uint32_t until, uint32_t line, char *why,
                   size_t why_len);

/*  Rows added so far. */
uint64_t xc_import_rows (xc_import_t *self);

/*  The import is a snapshot as of as_of (YYYYMMDD; 0: the node's today)
    covering programs[n] (XIECHA__PROGRAM__*; n 0: the programs of its
    rows; a snapshot with no rows and some programs says this node pays
    none of them).  Returns 0 or XC_EINVAL with why. */
int xc_import_snapshot (xc_import_t *self, uint32_t as_of,
                        const int *programs, size_t n, char *why,
                        size_t why_len);

/*  The import is a delta: its rows add, correct (a new since replaces
    the open enrollment of that person and program) or close (a row with
    until) enrollments, and nothing else changes. */
void xc_import_delta (xc_import_t *self);

/*  Calls fn for every row that names the same person and program as an
    earlier one, with both lines; returns how many there are.  Sorts a
    copy of the rows: O(n log n). */
typedef void (xc_import_dup_fn) (uint32_t line, uint32_t first_line,
                                 int program, void *arg);
size_t xc_import_duplicates (xc_import_t *self, xc_import_dup_fn *fn,
                             void *arg);

/*  What the last successful xc_import_commit did. */
const xc_import_result_t *xc_import_result (const xc_import_t *self);

/*  Sends all rows in chunks and commits them: XC_EINVAL at once, sending
    nothing, when two rows name the same person and program (why names
    both lines).  The node applies a committed import in slices between
    its other work and answers when the last is applied.  progress may
    be NULL.  On success *subjects holds the number of subjects in the
    index afterwards (xc_import_result says the rest).  On any failure
    before the commit the node discards the staged rows. */
int xc_import_commit (xc_import_t *self, xc_progress_fn *progress,
                      void *arg, uint64_t *subjects, char *why,
                      size_t why_len);

/*  xiecha roster show: one person's enrollments at the own node (every
    payer, history included) and the node's roster dates.  Caller frees
    *reply (xiecha__roster_reply__free_unpacked).  Returns 0, XC_EINVAL
    (why names the field) or other codes. */
int xc_client_roster_show (xc_client_t *self, const char *id_number,
                           Xiecha__RosterReply **reply, char *why,
                           size_t why_len);

/*  xiecha roster close: the own node's roster enrollment of the person
    and program ends on until (YYYYMMDD; 0: the node's today).  *reply as
    for show, afterwards (may be NULL).  Returns 0, XC_EINVAL,
    XC_ENOTENROLLED (no such enrollment still paid) or other codes. */
int xc_client_roster_close (xc_client_t *self, const char *id_number,
                            int program, uint32_t until,
                            Xiecha__RosterReply **reply, char *why,
                            size_t why_len);

/*  Every conflict the own node found or was told of, open and resolved.
    Caller frees *reply (xiecha__conflicts_reply__free_unpacked). */
int xc_client_conflicts (xc_client_t *self, Xiecha__ConflictsReply **reply,
                         char *why, size_t why_len);

/*  The own node's monthly statistics for month ("YYYY-MM", UTC), sealed
    with the node's signing key: *signed_report is a serialized
    SignedReport (caller frees with free()), to be checked with
    xc_report_verify and saved under the XC_ARMOR_REPORT label.  Returns
    0; XC_EINVAL for a malformed month or one that has not begun (why
    names "month"); other codes otherwise. */
int xc_client_report (xc_client_t *self, const char *month,
                      uint8_t **signed_report, size_t *len, char *why,
                      size_t why_len);

/*  Called for each page of an audit export as it arrives: the next len
    bytes of the file, and how many of its total records are now in.
    Return 0 to go on, an XC_E* code to stop (it becomes the result). */
typedef int (xc_export_sink_fn) (const uint8_t *chunk, size_t len,
                                 uint64_t done, uint64_t total, void *arg);

/*  The own node's audit log as an export file (xiecha/auditfile.h),
    fetched page by page (a few MiB each) and handed to sink in order:
    entries from..to in full (0: first / last), every checkpoint in full,
    other entries by hash.  The first page pins the log size, so entries
    appended meanwhile are not in the file.  Check the file with
    xc_auditfile_verify.  Returns 0, XC_EINVAL (from after to),
    XC_EMALFORMED (pages that do not follow each other) or other codes. */
int xc_client_audit_export_to (xc_client_t *self, uint64_t from, uint64_t to,
                               xc_export_sink_fn *sink, void *arg,
                               char *why, size_t why_len);

/*  Asks the own node to rebuild its subject index from the audit log and
    compare it with the live one.  *reply is the caller's
    (xiecha__audit_replay_reply__free_unpacked).  Returns 0 or a code. */
int xc_client_audit_replay (xc_client_t *self,
                            Xiecha__AuditReplayReply **reply, char *why,
                            size_t why_len);

/*  Asks the own node how its store's integrity stands: the check at
    start and its scrubs (every link and checkpoint of the audit log, the
    head, the index against the log); with start, it first asks for a
    scrub, or joins the one running.  The reply comes at once: poll
    (start false) until (*reply)->finished reaches the run it named.
    *reply is the caller's (xiecha__integrity_status__free_unpacked).
    Returns 0 or a code. */
int xc_client_audit_check (xc_client_t *self, bool start,
                           Xiecha__IntegrityStatus **reply, char *why,
                           size_t why_len);

/*  Asks the own node for the audit entry that sent this certificate
    envelope and its inclusion proof under the latest checkpoint
    (daemon/prove.h).  *reply is the caller's
    (xiecha__audit_prove_reply__free_unpacked); check it offline.  Returns
    0, XC_ENOTFOUND (not in the log / no checkpoint yet) or other codes. */
int xc_client_audit_prove (xc_client_t *self, const uint8_t *envelope,
                           size_t len, Xiecha__AuditProveReply **reply,
                           char *why, size_t why_len);

/*  The same under the checkpoint of tree_size entries (0: the latest),
    which must cover the certificate's entry: a proof under an older
    checkpoint, such as the trust list's trusted_checkpoint of a key
    since compromised (xiecha/proof.h). */
int xc_client_audit_prove_at (xc_client_t *self, const uint8_t *envelope,
                              size_t len, uint64_t tree_size,
                              Xiecha__AuditProveReply **reply, char *why,
                              size_t why_len);

/*  Checks a reply of xc_client_audit_prove offline against the
    certificate envelope env it was asked about: the entry is a SENT
    entry whose data is env byte for byte, SHA-256 of the entry is the
    claimed entry hash, the checkpoint's signature holds
    (xc_checkpoint_verify, trust list), it covers the entry, and the
    proof puts that hash at the entry's index in the tree of the
    checkpoint's size and root (xc_merkle_inclusion_verify).  Returns 0
    with *cp the checkpoint, or XC_EMALFORMED / XC_ESIG with why. */
int xc_proof_verify (const Xiecha__AuditProveReply *reply,
                     const uint8_t *env, size_t env_len,
                     const xc_trust_t *trust, xc_checkpoint_t *cp,
                     char *why, size_t why_len);

/*  The one certificate validator: every field rule of Certificate,
    SubjectResult and Enrollment (proto/xiecha.proto), given the header
    h of the envelope that carries (or will carry) c:
    * what the certificate carries of its query: header.created_at set,
      header.in_reply_to = query_id, requester a division code and
      header.recipient, relation = xc_relation_of (requester, issuer);
    * issued_at set, valid_until after it;
    * programs: at least one, each a program, none twice;
    * results: at least one; status NOT_RECEIVING (no enrollment) or
      RECEIVING (at least one); each enrollment in a program checked,
      paid by a division code, a period active on the day of issue;
    * the rosters behind it (xc_cert_check_rosters, trust list);
    * and, with query (the opened query envelope, or NULL offline): its
      id and digest, requester = its sender, issuer = its recipient, the
      same subjects and programs in the same order, the same relation.
    Offline the query itself is not at hand: its digest and subjects
    cannot be checked, only that the certificate is consistent.  Returns
    0, XC_EMALFORMED, XC_EBINDING or XC_EROSTER with why naming the field
    and the rule.  Lengths of ids and refs are xc_envelope_open's. */
int xc_cert_check (const Xiecha__Header *h, const Xiecha__Certificate *c,
                   const xc_opened_t *query, const xc_trust_t *trust,
                   char *why, size_t why_len);

/*  The proof bundle (xiecha/proof.h) a reply of xc_client_audit_prove
    makes, in *out (caller frees).  Returns 0 or XC_EMALFORMED /
    XC_ENOMEM with why. */
int xc_proof_bundle_from_reply (const Xiecha__AuditProveReply *reply,
                                uint8_t **out, size_t *out_len, char *why,
                                size_t why_len);

/*  xc_proof_verify, keeping what it checked: the bundle's bytes in
    *bundle (caller frees, also on error) and their verdict in *b
    (xc_proof_bundle_verify at the current time).  Returns as
    xc_proof_verify. */
int xc_proof_reply_verify (const Xiecha__AuditProveReply *reply,
                           const uint8_t *env, size_t env_len,
                           const xc_trust_t *trust, xc_proof_bundle_t *b,
                           uint8_t **bundle, size_t *bundle_len, char *why,
                           size_t why_len);

/*  Verifies a certificate offline: envelope shape, type CERTIFICATE,
    signature by a key of the issuing node valid at creation, the field
    rules (xc_cert_check without a query: lifetime and rosters too), the
    key at every time it asserts (xc_cert_check_times), and validity
    window against
    now_ms.  Returns 0 with *opened filled (caller frees with
    xc_opened_free); XC_ESTALE when expired (opened still filled); other
    codes with why. */
int xc_cert_verify (const uint8_t *bytes, size_t len,
                    const xc_trust_t *trust, uint64_t now_ms,
                    xc_opened_t *opened, char *why, size_t why_len);

/*  The signing key at the other times a certificate asserts (its
    created_at is xc_envelope_verify's): opened's key_id valid, by
    xc_trust_key_check, at issued_at and at valid_until, so a retired
    key's certificate must end before its retirement and a compromised
    key's is never valid.  The times themselves (order, lifetime) are
    xc_cert_check's.  Returns 0 or XC_EUNKNOWN with why. */
int xc_cert_check_times (const xc_opened_t *opened, const xc_trust_t *trust,
                         char *why, size_t why_len);

/*  1 when result r lists an enrollment of program (the certificate says
    that subject receives it), else 0. */
int xc_cert_receives (const Xiecha__SubjectResult *r, int program);

/*  The roster dates of a certificate: one per program checked, in the
    same order, each 0 or a date not after the day it was issued; and
    every program some subject is not found receiving rests on a roster
    no older than the trust list's max_roster_age_days when it was
    issued.  Returns 0; XC_EMALFORMED (missing or inconsistent) or
    XC_EROSTER (a NOT_RECEIVING from a roster missing or too old) with
    why. */
int xc_cert_check_rosters (const Xiecha__Certificate *cert,
                           const xc_trust_t *trust, char *why,
                           size_t why_len);

#endif
