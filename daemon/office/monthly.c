/*  monthly.c - monthly statistics from the audit log, under seal.

    Reading order: xc_monthly_build at the bottom scans the log
    (s_scan), sorts each entry of the month into a tally (s_count_*), turns
    the tally into rows and signs them (s_seal).

    What is counted, and from which entry (see handlers.c, notices.c):
      SENT "query"                 QUERY_SENT, per program asked
      RECEIVED certificate noted   CERTIFICATE_RECEIVED, per program:
        XC_QUERY_NOTE_HANDED        only certificates that reached the
        (or "certificate", its      terminal that asked; a late one
        note before)                 (XC_QUERY_NOTE_LATE) reached no one
      SENT certificate, and        CERTIFICATE_ISSUED and SUBJECT_(NOT_)
      DECISION certificate          RECEIVING, per program checked
        (same county, local)
      SENT notice, and             <KIND>_SENT
      DECISION notice
        (same county, local)
      RECEIVED notice "... applied" <KIND>_APPLIED
      REFUSED                      REFUSED, under the relation and program
                                    its kept record names (refusal.h)
      SUMMARY                      REFUSED, as many as it counted, under
                                    the relation of its peer and us
      SENT conflict notice (found  CONFLICT_FOUND, or CONFLICT_RESOLVED
        here), RECEIVED one noted   when it tells the end of one, per
        applied (told here)         program
    Each is counted under a township too (s_township_of): the one the
    entry's actor names, else the one the message carries.
    DUPLICATE entries (a retried query answered from the cache) are not
    counted: the certificate was issued once.  The envelopes are read back
    from the entries themselves, so program and relation are what was
    signed, not what a note says. */
#include <stdlib.h>
#include <string.h>

#include "decide/apply.h"
#include "decide/query.h"
#include "decide/refusal.h"
#include "office/monthly.h"
#include "store/audit.h"
#include "xiecha/division.h"
#include "xiecha/report.h"

enum {
    K_QUERY_SENT,
    K_CERT_RECEIVED,
    K_CERT_ISSUED,
    K_SUBJ_RECEIVING,
    K_SUBJ_NOT_RECEIVING,
    K_ENROLLMENT_SENT,
    K_TERMINATION_SENT,
    K_EMERGENCY_SENT,
    K_ENROLLMENT_APPLIED,
    K_TERMINATION_APPLIED,
    K_EMERGENCY_APPLIED,
    K_REFUSED,
    K_CONFLICT_FOUND,
    K_CONFLICT_RESOLVED,
    K_COUNT
};

/*  Row order in the report is this order, then program, then relation,
    then township. */
static const char *const s_kind_names[K_COUNT] = {
    "QUERY_SENT", "CERTIFICATE_RECEIVED", "CERTIFICATE_ISSUED",
    "SUBJECT_RECEIVING", "SUBJECT_NOT_RECEIVING", "ENROLLMENT_SENT",
    "TERMINATION_SENT", "EMERGENCY_AID_SENT", "ENROLLMENT_APPLIED",
    "TERMINATION_APPLIED", "EMERGENCY_AID_APPLIED", "REFUSED",
    "CONFLICT_FOUND", "CONFLICT_RESOLVED",
};

#define S_PROGRAMS (XIECHA__PROGRAM__TEMP + 1)
#define S_RELATIONS (XIECHA__RELATION__OTHER_PROVINCE + 1)

/*  A fixed cube of counters per township: 360 cells each, so no row
    list to grow. */
typedef struct {
    char township[10];         /* 9 digits; "" for none */
    uint64_t n[K_COUNT][S_PROGRAMS][S_RELATIONS];
} s_cube_t;

/*  The tally: one cube for each township met, in the order met (sorted
    at the end).  A county has some tens of townships; a registration
    node meets the townships of every county that asks it, so the list
    grows as needed. */
typedef struct {
    s_cube_t *cubes;
    size_t n, cap;
    size_t cur;                /* the cube of the entry being counted */
    int failed;                /* out of memory */
    /*  The last query received: the certificate sent after it answers
        it (query.c writes the two together), under its township. */
    uint8_t query_id[XC_MSGID_LEN];
    char query_township[10];
} s_tally_t;

/*  Makes township's cube the current one, adding it when new: O(the
    townships met) for a township other than the last entry's, which a
    node with thousands of asking townships pays per entry (a hash
    would do better there). */
static void
s_at (s_tally_t *t, const char *township)
{
    if (t->n && strcmp (t->cubes[t->cur].township, township) == 0)
        return;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp (t->cubes[i].township, township) == 0) {
            t->cur = i;
            return;
        }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        s_cube_t *c = realloc (t->cubes, cap * sizeof *c);
        if (!c) {
            t->failed = 1;
            t->cur = 0;
            return;
        }
        t->cubes = c;
        t->cap = cap;
    }
    memset (&t->cubes[t->n], 0, sizeof t->cubes[t->n]);
    snprintf (t->cubes[t->n].township, 10, "%s", township);
    t->cur = t->n++;
}

/*  Out-of-range enums (proto3 lets any value through) go to the
    UNSPECIFIED cell instead of outside the array.  Counted in the
    current township's cube. */
static void
s_add_n (s_tally_t *t, int kind, int program, int relation, uint64_t n)
{
    if (program < 0 || program >= S_PROGRAMS)
        program = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    if (relation < 0 || relation >= S_RELATIONS)
        relation = XIECHA__RELATION__RELATION_UNSPECIFIED;
    if (t->n)
        t->cubes[t->cur].n[kind][program][relation] += n;
}

static void
s_add (s_tally_t *t, int kind, int program, int relation)
{
    s_add_n (t, kind, program, relation, 1);
}

/*  1 the first time program is met in this message: a query listing
    DIBAO twice still asked about DIBAO once. */
static int
s_first (unsigned *seen, int program)
{
    unsigned bit = program >= 0 && program < S_PROGRAMS ? 1u << program : 1u;
    int first = !(*seen & bit);
    *seen |= bit;
    return first;
}

static void
s_count_query (s_tally_t *t, const Xiecha__Query *q)
{
    unsigned seen = 0;
    for (size_t i = 0; i < q->n_programs; i++)
        if (s_first (&seen, q->programs[i]))
            s_add (t, K_QUERY_SENT, q->programs[i], q->relation);
}

static int
s_receives (const Xiecha__SubjectResult *r, int program)
{
    return r->status == XIECHA__STATUS__RECEIVING
           && xc_cert_receives (r, program);
}

/*  Per program checked: one certificate, and each subject's finding for
    that program (a subject receiving DIBAO was not found receiving TEMP). */
static void
s_count_issued (s_tally_t *t, const Xiecha__Certificate *c)
{
    unsigned seen = 0;
    for (size_t i = 0; i < c->n_programs; i++) {
        int p = c->programs[i];
        if (!s_first (&seen, p))
            continue;
        s_add (t, K_CERT_ISSUED, p, c->relation);
        for (size_t s = 0; s < c->n_results; s++)
            s_add (t, s_receives (c->results[s], p) ? K_SUBJ_RECEIVING
                                                    : K_SUBJ_NOT_RECEIVING,
                   p, c->relation);
    }
}

static void
s_count_received_cert (s_tally_t *t, const Xiecha__Certificate *c)
{
    unsigned seen = 0;
    for (size_t i = 0; i < c->n_programs; i++)
        if (s_first (&seen, c->programs[i]))
            s_add (t, K_CERT_RECEIVED, c->programs[i], c->relation);
}

/*  kind_base is K_ENROLLMENT_SENT or K_ENROLLMENT_APPLIED; the three
    notice kinds follow it in NoticeKind order. */
static void
s_count_notice (s_tally_t *t, const Xiecha__Signed *msg, int kind_base)
{
    const Xiecha__Notice *n = msg->notice;
    if (n->kind < XIECHA__NOTICE_KIND__ENROLLMENT
        || n->kind > XIECHA__NOTICE_KIND__EMERGENCY_AID)
        return;
    int rel = xc_relation_of (msg->header->sender, msg->header->recipient);
    s_add (t, kind_base + (int) n->kind - XIECHA__NOTICE_KIND__ENROLLMENT,
           n->program, rel);
}

/*  A conflict found or resolved, on the side that found it and on the
    side it was told to alike. */
static void
s_count_conflict (s_tally_t *t, const Xiecha__Signed *msg)
{
    const Xiecha__Notice *n = msg->notice;
    int rel = xc_relation_of (msg->header->sender, msg->header->recipient);
    s_add (t, n->conflict && n->conflict->resolved ? K_CONFLICT_RESOLVED
                                                   : K_CONFLICT_FOUND,
           n->program, rel);
}

static int
s_ends_with (const char *text, size_t len, const char *suffix)
{
    size_t n = strlen (suffix);
    return text && len >= n && memcmp (text + len - n, suffix, n) == 0;
}

static int
s_is (const xc_audit_entry_t *e, const char *note)
{
    return e->note_len == strlen (note)
           && memcmp (e->note, note, e->note_len) == 0;
}

/*  A received certificate that was handed to a case worker: noted so
    when it answered a waiting query (query.h), or "certificate", as that
    was noted before late answers were told apart in the count. */
static int
s_handed (const xc_audit_entry_t *e)
{
    return e->kind == XC_AUDIT_RECEIVED
           && (s_is (e, XC_QUERY_NOTE_HANDED) || s_is (e, "certificate"));
}

/*  A peer message refused, under what its header claimed (refusal.h
    xc_refusal_tags): the kept record names it; an older store kept the
    whole message, which is opened for it.  The header of a refused
    message may be forged; the count itself is what matters to a
    supervisor. */
static void
s_count_refused (s_tally_t *t, const xc_audit_entry_t *e)
{
    uint8_t rel, program;
    xc_audit_kept_t k;
    if (xc_audit_kept (e->data, e->data_len, &k) == 0) {
        rel = k.relation;
        program = k.program;
    }
    else {
        xc_opened_t op = {0};
        int opened = e->data_len && xc_envelope_open (e->data, e->data_len,
                                                      &op, NULL, 0) == 0;
        xc_refusal_tags (opened ? &op : NULL, &rel, &program);
        xc_opened_free (&op);
    }
    s_add (t, K_REFUSED, program, rel);
}

/*  Refusals beyond a peer's audit budget, counted in one entry. */
static void
s_count_summary (s_tally_t *t, const xc_audit_entry_t *e, const char *us)
{
    uint64_t refused, duplicates;
    if (xc_audit_summary_counts (e, &refused, &duplicates) != 0)
        return;
    int rel = e->peer[0] ? xc_relation_of (e->peer, us) : 0;
    s_add_n (t, K_REFUSED, 0, rel, refused);
}

static void
s_count_opened (s_tally_t *t, const xc_audit_entry_t *e,
                const Xiecha__Signed *msg)
{
    int sent = e->kind == XC_AUDIT_SENT;
    int local = e->kind == XC_AUDIT_DECISION;   /* same county */
    switch (msg->body_case) {
    case XIECHA__SIGNED__BODY_QUERY:
        if (sent)
            s_count_query (t, msg->query);
        break;
    case XIECHA__SIGNED__BODY_CERTIFICATE:
        if (sent || local)
            s_count_issued (t, msg->certificate);
        else if (s_handed (e))
            s_count_received_cert (t, msg->certificate);
        break;
    case XIECHA__SIGNED__BODY_NOTICE: {
        int applied = e->kind == XC_AUDIT_RECEIVED
                      && s_ends_with (e->note, e->note_len,
                                      XC_APPLY_NOTE_APPLIED);
        if (msg->notice->kind == XIECHA__NOTICE_KIND__CONFLICT) {
            if (sent || applied)
                s_count_conflict (t, msg);
        }
        else if (sent || local)
            s_count_notice (t, msg, K_ENROLLMENT_SENT);
        else if (applied)
            s_count_notice (t, msg, K_ENROLLMENT_APPLIED);
        break;
    }
    default:
        break;   /* errors and acks are answers, counted with their cause */
    }
}

/*  The township an entry counts under: the one its actor names (a
    terminal's request here); else the one the message it holds carries,
    signed (Query.township, Notice.township: a residence node's
    township, on the registration side); a certificate sent counts
    under the query it answers; "" when none of these says. */
static void
s_township_of (s_tally_t *t, const xc_audit_entry_t *e,
               const Xiecha__Signed *msg, char out[10])
{
    xc_actor_t a;
    const char *code = "";
    if (e->actor && xc_actor_split (e->actor, e->actor_len, &a) == 0)
        code = a.township;
    else if (msg && msg->body_case == XIECHA__SIGNED__BODY_QUERY)
        code = msg->query->township;
    else if (msg && msg->body_case == XIECHA__SIGNED__BODY_NOTICE)
        code = msg->notice->township;
    else if (msg && msg->body_case == XIECHA__SIGNED__BODY_CERTIFICATE
             && msg->header->in_reply_to.len == XC_MSGID_LEN
             && memcmp (msg->header->in_reply_to.data, t->query_id,
                        XC_MSGID_LEN) == 0)
        code = t->query_township;
    snprintf (out, 10, "%s", strlen (code) == 9 ? code : "");
}

/*  Remembers a received query, for the certificate that answers it. */
static void
s_note_query (s_tally_t *t, const xc_audit_entry_t *e,
              const Xiecha__Signed *msg)
{
    if (e->kind != XC_AUDIT_RECEIVED
        || msg->body_case != XIECHA__SIGNED__BODY_QUERY
        || msg->header->msg_id.len != XC_MSGID_LEN)
        return;
    memcpy (t->query_id, msg->header->msg_id.data, XC_MSGID_LEN);
    const char *code = msg->query->township;
    snprintf (t->query_township, sizeof t->query_township, "%s",
              strlen (code) == 9 ? code : "");
}

static void
s_count_entry (s_tally_t *t, const xc_audit_entry_t *e, const char *us)
{
    char township[10];
    if (e->kind == XC_AUDIT_REFUSED || e->kind == XC_AUDIT_SUMMARY) {
        s_township_of (t, e, NULL, township);
        s_at (t, township);
        if (e->kind == XC_AUDIT_REFUSED)
            s_count_refused (t, e);
        else
            s_count_summary (t, e, us);
        return;
    }
    if (e->kind != XC_AUDIT_SENT && e->kind != XC_AUDIT_RECEIVED
        && e->kind != XC_AUDIT_DECISION)
        return;
    xc_opened_t op = {0};
    if (e->data_len
        && xc_envelope_open (e->data, e->data_len, &op, NULL, 0) == 0) {
        s_note_query (t, e, op.msg);
        s_township_of (t, e, op.msg, township);
        s_at (t, township);
        s_count_opened (t, e, op.msg);
    }
    xc_opened_free (&op);
}

/*  One pass over the whole log: O(entries), one LMDB read per entry and a
    protobuf parse for each message entry of the month.  Entries are
    appended in time order but the clock may step back, so the scan does
    not stop at the month's end; for one node's log (tens of thousands of
    entries a month) this takes well under a second.  A national hub with
    years of log would want a time index instead. */
static int
s_scan (xc_node_t *node, MDB_txn *txn, uint64_t count, uint64_t from,
        uint64_t to, s_tally_t *t, char *why, size_t why_len)
{
    for (uint64_t seq = 1; seq <= count; seq++) {
        xc_audit_entry_t e;
        int rc = xc_audit_get (node->store, txn, seq, &e);
        if (rc)
            return xc_why (why, why_len, rc, "audit entry %llu: %s",
                           (unsigned long long) seq, xc_strerror (rc));
        if (e.time_ms >= from && e.time_ms < to)
            s_count_entry (t, &e, node->config.code);
    }
    return 0;
}

static int
s_by_township (const void *a, const void *b)
{
    return strcmp (((const s_cube_t *) a)->township,
                   ((const s_cube_t *) b)->township);
}

/*  Rows for the non-zero cells, in kind/program/relation/township order
    (a report without townships has the rows it had before), into a
    fresh array (caller frees *rows and *ptrs).  Returns how many, or
    -1 when out of memory. */
static long
s_rows (s_tally_t *t, Xiecha__ReportRow **rows, Xiecha__ReportRow ***ptrs)
{
    if (t->n)
        qsort (t->cubes, t->n, sizeof *t->cubes, s_by_township);
    size_t max = 1;   /* the non-zero cells: most are zero */
    for (size_t c = 0; c < t->n; c++)
        for (size_t i = 0; i < K_COUNT * S_PROGRAMS * S_RELATIONS; i++)
            max += (&t->cubes[c].n[0][0][0])[i] != 0;
    *rows = calloc (max, sizeof **rows);
    *ptrs = calloc (max, sizeof **ptrs);
    if (!*rows || !*ptrs)
        return -1;
    size_t n = 0;
    for (int k = 0; k < K_COUNT; k++)
        for (int p = 0; p < S_PROGRAMS; p++)
            for (int r = 0; r < S_RELATIONS; r++)
                for (size_t c = 0; c < t->n; c++) {
                    s_cube_t *cube = &t->cubes[c];
                    if (!cube->n[k][p][r])
                        continue;
                    Xiecha__ReportRow *row = &(*rows)[n];
                    xiecha__report_row__init (row);
                    row->kind = (char *) s_kind_names[k];
                    row->program = p;
                    row->relation = r;
                    row->count = cube->n[k][p][r];
                    row->township = cube->township;
                    (*ptrs)[n++] = row;
                }
    return (long) n;
}

/*  Serializes, signs under "xiecha/v1 report\0" and wraps the report. */
static int
s_seal (xc_node_t *node, Xiecha__Report *r, uint8_t **out, size_t *out_len)
{
    size_t len = xiecha__report__get_packed_size (r);
    uint8_t *bytes = malloc (len ? len : 1);
    if (!bytes)
        return XC_ENOMEM;
    xiecha__report__pack (r, bytes);
    uint8_t sig[XC_SIG_LEN];
    const xc_signer_t *s = xc_node_signer (node);
    int rc = xc_sign (s->key, XC_CTX_REPORT, bytes, len, sig);
    if (rc == 0) {
        Xiecha__SignedReport sr = XIECHA__SIGNED_REPORT__INIT;
        sr.report = (ProtobufCBinaryData) {len, bytes};
        sr.signature = (ProtobufCBinaryData) {XC_SIG_LEN, sig};
        sr.key_id = (char *) s->id;
        *out_len = xiecha__signed_report__get_packed_size (&sr);
        *out = malloc (*out_len);
        if (*out)
            xiecha__signed_report__pack (&sr, *out);
        else
            rc = XC_ENOMEM;
    }
    free (bytes);
    return rc;
}

int
xc_monthly_build (xc_node_t *node, MDB_txn *txn, const char *month,
                 uint64_t now, uint8_t **signed_report, size_t *len,
                 char *why, size_t why_len)
{
    *signed_report = NULL;
    *len = 0;
    uint64_t from, to;
    int rc = xc_report_month (month, &from, &to, why, why_len);
    if (rc)
        return rc;
    if (from > now) {
        char today[11];
        xc_date_text (xc_node_today (node, now), today);
        return xc_why (why, why_len, XC_EINVAL,
                       "month: %s has not begun (it is %s in %s)", month,
                       today, node->config.timezone);
    }
    s_tally_t *t = calloc (1, sizeof *t);
    Xiecha__ReportRow *rows = NULL;
    Xiecha__ReportRow **ptrs = NULL;
    uint8_t head[XC_HASH_LEN] = {0};
    Xiecha__Report r = XIECHA__REPORT__INIT;
    rc = t ? 0 : XC_ENOMEM;
    /* Head and scan in the one transaction: the report counts exactly the
       entries up to the head it names. */
    if (rc == 0 && (rc = xc_audit_head (node->store, txn, &r.audit_entries,
                                         head)) != 0)
        xc_why (why, why_len, rc, "cannot read the audit log head: %s",
                xc_strerror (rc));
    if (rc == 0)
        rc = s_scan (node, txn, r.audit_entries, from, to, t, why, why_len);
    long n_rows = rc == 0 && !t->failed ? s_rows (t, &rows, &ptrs) : -1;
    if (rc == 0 && n_rows < 0)
        rc = XC_ENOMEM;
    if (rc == 0) {
        r.node = node->config.code;
        r.name = node->config.name;
        r.month = (char *) month;
        r.timezone = node->config.timezone;
        r.period_from = from;
        r.period_to = to;
        r.generated_at = now;
        r.audit_head = (ProtobufCBinaryData) {XC_HASH_LEN, head};
        r.n_rows = (size_t) n_rows;
        r.rows = ptrs;
        rc = s_seal (node, &r, signed_report, len);
        if (rc)
            xc_why (why, why_len, rc, "cannot seal the report: %s",
                    xc_strerror (rc));
    }
    else if (rc == XC_ENOMEM)
        xc_why (why, why_len, rc, "out of memory");
    free (ptrs);
    free (rows);
    if (t)
        free (t->cubes);
    free (t);
    return rc;
}
