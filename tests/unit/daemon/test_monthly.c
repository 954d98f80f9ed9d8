/*  test_monthly.c - monthly statistics: counted from the audit log, sealed,
    verified offline.

    Two real nodes in a temporary directory, as in test_intake.c: A
    ("469021", residence) and B ("341002", registration), other provinces
    to each other.  The traffic is made by the real handlers, each call in
    its node's write transaction, at times inside March 2026 (and one
    query in April), so every count below is known exactly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/audit.h"
#include "xt_local.h"
#include "decide/intake.h"
#include "decide/query.h"
#include "store/index.h"
#include "node/node.h"
#include "decide/notices.h"
#include "office/monthly.h"

#define CODE_A "469021"
#define CODE_B "341002"
#define DAY_MS (24ull * 3600 * 1000)

#define ID_RECV "341002198001010015"    /* receives DIBAO at B */
#define ID_OTHER "341002199003150032"   /* receives nothing */
#define ID_PAST "341002198505050029"    /* enrolled by A's notice */
#define ID_LOCAL "469021198808080050"   /* same-county applicant at A */

/*  The traffic's times, set once by s_setup. */
static uint64_t s_march;    /* 2026-03-15T00:00Z: the traffic's time */
static uint64_t s_april;    /* 2026-04-02T00:00Z: one query outside March */

/* --------------------------------------------------------------------------
   Traffic, through the real handlers
   -------------------------------------------------------------------------- */

typedef struct {
    xc_node_t *node;
    const Xiecha__QueryRequest *query;
    const Xiecha__NoticeRequest *notice;
    const uint8_t *bytes;           /* for peer and answer calls */
    size_t len;
    uint64_t now;
    xc_pending_t pending;
    xc_outbox_item_t item;
    uint8_t *reply;
    size_t reply_len;
    xc_outcome_t out;
    int settled;
} s_call_t;

/*  The actor of the client calls below (NULL: none), as the request
    table sets it around a terminal's request (net/requests.c). */
static const char *s_actor;

static int
s_query_fn (MDB_txn *txn, void *arg)
{
    s_call_t *c = arg;
    xc_pending_free (&c->pending);
    free (c->reply);
    c->reply = NULL;
    xc_audit_actor_set (s_actor);
    int rc = xc_query_client (c->node, txn, c->query, c->now, &c->pending,
                              &c->reply, &c->reply_len, &c->out);
    xc_audit_actor_set (NULL);
    return rc;
}

static int
s_deadline_fn (MDB_txn *txn, void *arg)
{
    s_call_t *c = arg;
    return xc_query_deadline (c->node, txn, &c->pending, 1, c->now);
}

static int
s_peer_fn (MDB_txn *txn, void *arg)
{
    s_call_t *c = arg;
    free (c->reply);
    c->reply = NULL;
    return xc_intake_peer (c->node, txn, c->bytes, c->len, NULL, c->now,
                           &c->reply, &c->reply_len, &c->out);
}

static int
s_answer_fn (MDB_txn *txn, void *arg)
{
    s_call_t *c = arg;
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (c->bytes, c->len, &op, NULL, 0), 0);
    //  The answer to a query is entered under its asker (net/answers.c).
    xc_audit_actor_set (c->pending.actor);
    int rc = op.msg->header->type == XIECHA__MSG_TYPE__MSG_CERTIFICATE
        ? xc_intake_answer (c->node, txn, c->bytes, c->len, NULL, &op,
                            &c->pending, c->now, &c->out, &c->settled)
        : xc_intake_answer (c->node, txn, c->bytes, c->len, NULL, &op, NULL,
                            c->now, &c->out, &c->settled);
    xc_audit_actor_set (NULL);
    xc_opened_free (&op);
    return rc;
}

static int
s_notice_fn (MDB_txn *txn, void *arg)
{
    s_call_t *c = arg;
    xc_outbox_item_free (&c->item);
    xc_audit_actor_set (s_actor);
    int rc = xc_notice_client (c->node, txn, c->notice, c->now, &c->item,
                               &c->out);
    xc_audit_actor_set (NULL);
    return rc;
}

static void
s_write (xc_node_t *node, xc_write_fn *fn, s_call_t *c)
{
    c->node = node;
    assert_int_equal (xc_store_write (node->store, fn, c), 0);
    if (c->out.code != 0)
        fail_msg ("%s refused: %s", node->config.code, c->out.why);
}

/*  A client asks A about applicant (+ member) for programs; home answers
    (B over the "network", or A itself for the same county). */
static void
s_query (xt_pair_t *f, const char *home, const Xiecha__Program *programs,
         size_t n, const char *applicant, const char *member, uint64_t now)
{
    Xiecha__Person people[2] = {XIECHA__PERSON__INIT, XIECHA__PERSON__INIT};
    Xiecha__Person *members[1] = {&people[1]};
    Xiecha__QueryRequest req = XIECHA__QUERY_REQUEST__INIT;
    people[0].id_number = (char *) applicant;
    people[0].name = "张三";
    people[1].id_number = (char *) member;
    people[1].name = "张三";
    req.home_county = (char *) home;
    req.applicant = &people[0];
    req.members = member ? members : NULL;
    req.n_members = member ? 1 : 0;
    req.programs = (Xiecha__Program *) programs;
    req.n_programs = n;
    s_call_t ask = {.query = &req, .now = now};
    s_write (f->a, s_query_fn, &ask);
    if (strcmp (home, CODE_A) != 0) {
        assert_null (ask.reply);
        s_call_t peer = {.bytes = ask.pending.envelope,
                         .len = ask.pending.envelope_len, .now = now};
        s_write (f->b, s_peer_fn, &peer);
        s_call_t back = {.bytes = peer.reply, .len = peer.reply_len,
                         .now = now, .pending = ask.pending};
        s_write (f->a, s_answer_fn, &back);
        free (peer.reply);
    }
    else
        assert_non_null (ask.reply);
    xc_pending_free (&ask.pending);
    free (ask.reply);
}

/*  A reports an enrollment to B, B applies and acks, A takes the ack. */
static void
s_enroll_notice (xt_pair_t *f, const char *id, int program, uint64_t now)
{
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = (char *) id;
    p.name = "张三";
    Xiecha__NoticeRequest req = XIECHA__NOTICE_REQUEST__INIT;
    req.kind = XIECHA__NOTICE_KIND__ENROLLMENT;
    req.home_county = CODE_B;
    req.applicant = &p;
    req.program = program;
    req.start_date = xc_zone_date (now - DAY_MS);
    s_call_t n = {.notice = &req, .now = now};
    s_write (f->a, s_notice_fn, &n);
    assert_non_null (n.item.env);
    s_call_t peer = {.bytes = n.item.env, .len = n.item.env_len, .now = now};
    s_write (f->b, s_peer_fn, &peer);
    s_call_t back = {.bytes = peer.reply, .len = peer.reply_len, .now = now};
    s_write (f->a, s_answer_fn, &back);
    assert_int_equal (back.settled, 1);
    free (peer.reply);
    xc_outbox_item_free (&n.item);
}

/*  A query whose signature was broken on the way: B refuses it. */
static void
s_forged_query (xt_pair_t *f, uint64_t now)
{
    Xiecha__Program dibao[] = {XIECHA__PROGRAM__DIBAO};
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = ID_OTHER;
    p.name = "张三";
    Xiecha__QueryRequest req = XIECHA__QUERY_REQUEST__INIT;
    req.home_county = CODE_B;
    req.applicant = &p;
    req.programs = dibao;
    req.n_programs = 1;
    s_call_t ask = {.query = &req, .now = now};
    s_write (f->a, s_query_fn, &ask);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (ask.pending.envelope,
                                        ask.pending.envelope_len, &op, NULL,
                                        0), 0);
    op.env->signature.data[0] ^= 1;
    size_t len = xiecha__envelope__get_packed_size (op.env);
    uint8_t *forged = malloc (len);
    assert_non_null (forged);
    xiecha__envelope__pack (op.env, forged);
    xc_opened_free (&op);
    s_call_t peer = {.node = f->b, .bytes = forged, .len = len, .now = now};
    assert_int_equal (xc_store_write (f->b->store, s_peer_fn, &peer), 0);
    assert_int_equal (peer.out.code, XC_ESIG);
    free (peer.reply);
    free (forged);
    //  No answer A could take: its deadline logs the query it sent.
    s_call_t late = {.node = f->a, .now = now + 1};
    late.pending = ask.pending;
    s_write (f->a, s_deadline_fn, &late);
    xc_pending_free (&ask.pending);
}

typedef struct {
    xc_node_t *node;
    uint8_t ref[XC_REF_LEN];
    xc_enrollment_t e;
} s_index_t;

static int
s_index_fn (MDB_txn *txn, void *arg)
{
    s_index_t *x = arg;
    return xc_index_add (x->node->store, txn, x->ref, &x->e);
}

static void
s_traffic (xt_pair_t *f)
{
    /* ID_RECV receives DIBAO at B since 2024. */
    s_index_t x = {.node = f->b};
    char norm[XC_ID_LEN + 1];
    assert_int_equal (xc_id_normalize (ID_RECV, "id", norm, NULL, 0), 0);
    xc_subject_ref (f->fed->salt_bytes, sizeof f->fed->salt_bytes, norm,
                    x.ref);
    x.e.program = XIECHA__PROGRAM__DIBAO;
    x.e.since = 20240101;
    snprintf (x.e.node, sizeof x.e.node, "%s", CODE_B);
    assert_int_equal (xc_store_write (f->b->store, s_index_fn, &x), 0);

    const Xiecha__Program both[] = {XIECHA__PROGRAM__DIBAO,
                                    XIECHA__PROGRAM__TEMP};
    const Xiecha__Program temp[] = {XIECHA__PROGRAM__TEMP};
    s_query (f, CODE_B, both, 2, ID_RECV, ID_OTHER, s_march);
    s_query (f, CODE_A, temp, 1, ID_LOCAL, NULL, s_march + 1000);
    s_enroll_notice (f, ID_PAST, XIECHA__PROGRAM__DIBAO, s_march + 2000);
    s_forged_query (f, s_march + 3000);
    s_query (f, CODE_B, temp, 1, ID_OTHER, NULL, s_april);
}

static int
s_setup (void **state)
{
    xt_pair_t *f = xt_pair_new ("report", CODE_A, CODE_B);
    assert_int_equal (xc_report_month ("2026-03", &s_march, NULL, NULL, 0), 0);
    s_march += 14 * DAY_MS;
    assert_int_equal (xc_report_month ("2026-04", &s_april, NULL, NULL, 0), 0);
    s_april += DAY_MS;
    xt_rosters_fresh (f->a, 20260301);   /* both may say NOT_RECEIVING */
    xt_rosters_fresh (f->b, 20260301);
    s_traffic (f);
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_destroy ((xt_pair_t **) state);
    return 0;
}

/* --------------------------------------------------------------------------
   Reports
   -------------------------------------------------------------------------- */

/*  Builds node's report for month at now; returns its sealed bytes. */
static int
s_build (xc_node_t *node, const char *month, uint64_t now, uint8_t **bytes,
         size_t *len, char *why, size_t why_len)
{
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (node->store, &txn), 0);
    int rc = xc_monthly_build (node, txn, month, now, bytes, len, why,
                              why_len);
    mdb_txn_abort (txn);
    return rc;
}

/*  Builds and verifies with the node's own trust list. */
static Xiecha__Report *
s_report (xc_node_t *node, const char *month, uint64_t now)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[512] = "";
    if (s_build (node, month, now, &bytes, &len, why, sizeof why) != 0)
        fail_msg ("report of %s: %s", node->config.code, why);
    Xiecha__Report *r = NULL;
    if (xc_report_verify (bytes, len, node->trust, &r, why, sizeof why) != 0)
        fail_msg ("report of %s does not verify: %s", node->config.code, why);
    free (bytes);
    return r;
}

static uint64_t
s_count (const Xiecha__Report *r, const char *kind, int program,
         int relation)
{
    for (size_t i = 0; i < r->n_rows; i++)
        if (strcmp (r->rows[i]->kind, kind) == 0
            && (int) r->rows[i]->program == program
            && (int) r->rows[i]->relation == relation)
            return r->rows[i]->count;
    return 0;
}

static uint64_t
s_kind_total (const Xiecha__Report *r, const char *kind)
{
    uint64_t n = 0;
    for (size_t i = 0; i < r->n_rows; i++)
        if (strcmp (r->rows[i]->kind, kind) == 0)
            n += r->rows[i]->count;
    return n;
}

enum {
    DIBAO = XIECHA__PROGRAM__DIBAO,
    TEMP = XIECHA__PROGRAM__TEMP,
    NONE = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED,
    SAME = XIECHA__RELATION__SAME_COUNTY,
    FAR = XIECHA__RELATION__OTHER_PROVINCE
};

static void
test_residence_side_counts (void **state)
{
    xt_pair_t *f = *state;
    Xiecha__Report *r = s_report (f->a, "2026-03", s_april + DAY_MS);
    assert_string_equal (r->node, CODE_A);
    assert_string_equal (r->name, "Node " CODE_A);
    assert_string_equal (r->month, "2026-03");
    /* The other-province query asked about two programs: once under each;
       the forged one left A as well. */
    assert_int_equal (s_count (r, "QUERY_SENT", DIBAO, FAR), 2);
    assert_int_equal (s_count (r, "QUERY_SENT", TEMP, FAR), 1);
    assert_int_equal (s_count (r, "QUERY_SENT", TEMP, SAME), 1);
    assert_int_equal (s_count (r, "CERTIFICATE_RECEIVED", DIBAO, FAR), 1);
    assert_int_equal (s_count (r, "CERTIFICATE_RECEIVED", TEMP, FAR), 1);
    /* Same county: A is its own registration node. */
    assert_int_equal (s_count (r, "CERTIFICATE_ISSUED", TEMP, SAME), 1);
    assert_int_equal (s_count (r, "SUBJECT_NOT_RECEIVING", TEMP, SAME), 1);
    assert_int_equal (s_kind_total (r, "CERTIFICATE_ISSUED"), 1);
    assert_int_equal (s_count (r, "ENROLLMENT_SENT", DIBAO, FAR), 1);
    assert_int_equal (s_kind_total (r, "ENROLLMENT_APPLIED"), 0);
    assert_int_equal (s_kind_total (r, "REFUSED"), 0);
    xiecha__report__free_unpacked (r, NULL);
}

static void
test_registration_side_counts (void **state)
{
    xt_pair_t *f = *state;
    Xiecha__Report *r = s_report (f->b, "2026-03", s_april + DAY_MS);
    assert_int_equal (s_count (r, "CERTIFICATE_ISSUED", DIBAO, FAR), 1);
    assert_int_equal (s_count (r, "CERTIFICATE_ISSUED", TEMP, FAR), 1);
    /* ID_RECV receives DIBAO, ID_OTHER nothing; neither receives TEMP. */
    assert_int_equal (s_count (r, "SUBJECT_RECEIVING", DIBAO, FAR), 1);
    assert_int_equal (s_count (r, "SUBJECT_NOT_RECEIVING", DIBAO, FAR), 1);
    assert_int_equal (s_count (r, "SUBJECT_NOT_RECEIVING", TEMP, FAR), 2);
    assert_int_equal (s_kind_total (r, "SUBJECT_RECEIVING"), 1);
    assert_int_equal (s_count (r, "ENROLLMENT_APPLIED", DIBAO, FAR), 1);
    assert_int_equal (s_count (r, "REFUSED", NONE, FAR), 1);
    assert_int_equal (s_kind_total (r, "QUERY_SENT"), 0);
    assert_int_equal (s_kind_total (r, "ENROLLMENT_SENT"), 0);
    xiecha__report__free_unpacked (r, NULL);
}

/*  Only the month asked for: the April query is in April's report. */
static void
test_month_window (void **state)
{
    xt_pair_t *f = *state;
    Xiecha__Report *r = s_report (f->b, "2026-04", s_april + DAY_MS);
    assert_int_equal (s_count (r, "CERTIFICATE_ISSUED", TEMP, FAR), 1);
    assert_int_equal (s_kind_total (r, "CERTIFICATE_ISSUED"), 1);
    assert_int_equal (s_kind_total (r, "ENROLLMENT_APPLIED"), 0);
    xiecha__report__free_unpacked (r, NULL);
    r = s_report (f->b, "2026-02", s_april + DAY_MS);
    assert_int_equal (r->n_rows, 0);
    xiecha__report__free_unpacked (r, NULL);
}

/*  The report names the log it was computed from, exactly. */
static void
test_names_the_audit_head (void **state)
{
    xt_pair_t *f = *state;
    uint64_t now = s_april + DAY_MS;
    Xiecha__Report *r = s_report (f->a, "2026-03", now);
    MDB_txn *txn;
    uint64_t count;
    uint8_t head[XC_HASH_LEN];
    assert_int_equal (xc_store_read (f->a->store, &txn), 0);
    assert_int_equal (xc_audit_head (f->a->store, txn, &count, head), 0);
    mdb_txn_abort (txn);
    assert_int_equal (r->audit_entries, count);
    assert_int_equal (r->audit_head.len, XC_HASH_LEN);
    assert_memory_equal (r->audit_head.data, head, XC_HASH_LEN);
    assert_int_equal (r->generated_at, now);
    xiecha__report__free_unpacked (r, NULL);
}

static void
s_expect_bad_month (xt_pair_t *f, const char *month, const char *needle)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[512] = "";
    assert_int_equal (s_build (f->a, month, s_april, &bytes, &len, why,
                               sizeof why), XC_EINVAL);
    assert_null (bytes);
    if (strncmp (why, "month: ", 7) != 0 || !strstr (why, needle))
        fail_msg ("'%s' refused with '%s'", month, why);
}

static void
test_bad_month_named (void **state)
{
    xt_pair_t *f = *state;
    s_expect_bad_month (f, "2026-13", "13");
    s_expect_bad_month (f, "2026-00", "00");
    s_expect_bad_month (f, "2026-3", "YYYY-MM");
    s_expect_bad_month (f, "2026/03", "YYYY-MM");
    s_expect_bad_month (f, "", "missing");
    s_expect_bad_month (f, "1969-12", "1970");
    s_expect_bad_month (f, "2026-05", "has not begun");
}

/*  Month boundaries are the node's midnights (node/timezone, Beijing time
    by default: the fixture's nodes set it) and December rolls into the
    next year. */
static void
test_month_bounds (void **state)
{
    assert_string_equal (xc_zone_name (), "Asia/Shanghai");
    uint64_t from, to;
    assert_int_equal (xc_report_month ("2026-12", &from, &to, NULL, 0), 0);
    assert_int_equal (from, 1796054400000ull);   /* 2026-11-30T16:00Z */
    assert_int_equal (to, 1798732800000ull);     /* 2026-12-31T16:00Z */
    assert_int_equal (xc_report_month ("2028-02", &from, &to, NULL, 0), 0);
    assert_int_equal (to - from, 29 * DAY_MS);   /* a leap year */
}

/*  Any changed byte of the sealed report fails, wherever it is. */
static void
test_tampered_byte_fails (void **state)
{
    xt_pair_t *f = *state;
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[512] = "";
    assert_int_equal (s_build (f->b, "2026-03", s_april, &bytes, &len, why,
                               sizeof why), 0);
    for (size_t i = 0; i < len; i++) {
        bytes[i] ^= 0x01;
        Xiecha__Report *r = NULL;
        int rc = xc_report_verify (bytes, len, f->b->trust, &r, why,
                                   sizeof why);
        if (rc == 0)
            fail_msg ("report with byte %zu of %zu flipped verifies", i, len);
        assert_null (r);
        bytes[i] ^= 0x01;
    }
    Xiecha__Report *r = NULL;
    assert_int_equal (xc_report_verify (bytes, len, f->b->trust, &r, why,
                                        sizeof why), 0);
    xiecha__report__free_unpacked (r, NULL);
    free (bytes);
}

/*  Re-seals report bytes with key under context, claiming key_id. */
static uint8_t *
s_reseal (const uint8_t *bytes, size_t len, xc_key_t *key,
          const char *context, const char *key_id, size_t *out_len)
{
    Xiecha__SignedReport *sr = xiecha__signed_report__unpack (NULL, len,
                                                              bytes);
    assert_non_null (sr);
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (key, context, sr->report.data, sr->report.len,
                               sig), 0);
    Xiecha__SignedReport forged = XIECHA__SIGNED_REPORT__INIT;
    forged.report = sr->report;
    forged.signature = (ProtobufCBinaryData) {XC_SIG_LEN, sig};
    forged.key_id = (char *) key_id;
    *out_len = xiecha__signed_report__get_packed_size (&forged);
    uint8_t *out = malloc (*out_len);
    assert_non_null (out);
    xiecha__signed_report__pack (&forged, out);
    xiecha__signed_report__free_unpacked (sr, NULL);
    return out;
}

static void
s_expect_invalid (xt_pair_t *f, const uint8_t *bytes, size_t len, int code,
                  const char *needle)
{
    Xiecha__Report *r = NULL;
    char why[512] = "";
    assert_int_equal (xc_report_verify (bytes, len, f->a->trust, &r, why,
                                        sizeof why), code);
    assert_null (r);
    if (!strstr (why, needle))
        fail_msg ("'%s' does not mention '%s'", why, needle);
}

/*  A's statistics sealed by B: B's key speaks for B only. */
static void
test_other_nodes_key_fails (void **state)
{
    xt_pair_t *f = *state;
    uint8_t *bytes = NULL, *forged;
    size_t len = 0, forged_len = 0;
    char why[512] = "";
    assert_int_equal (s_build (f->a, "2026-03", s_april, &bytes, &len, why,
                               sizeof why), 0);
    forged = s_reseal (bytes, len, f->b->signers[0].key, XC_CTX_REPORT,
                       f->b->signers[0].id, &forged_len);
    s_expect_invalid (f, forged, forged_len, XC_EUNKNOWN,
                      "not to report.node " CODE_A);
    free (forged);
    /* B's signature under A's key id does not verify at all. */
    forged = s_reseal (bytes, len, f->b->signers[0].key, XC_CTX_REPORT,
                       f->a->signers[0].id, &forged_len);
    s_expect_invalid (f, forged, forged_len, XC_ESIG, "does not verify");
    free (forged);
    /* A key id nobody lists. */
    forged = s_reseal (bytes, len, f->a->signers[0].key, XC_CTX_REPORT,
                       "0011223344556677", &forged_len);
    s_expect_invalid (f, forged, forged_len, XC_EUNKNOWN,
                      "not in the trust list");
    free (forged);
    free (bytes);
}

/*  Domain separation: A's own key, but a signature made for an envelope
    (or a checkpoint) is no seal on a report. */
static void
test_other_context_fails (void **state)
{
    xt_pair_t *f = *state;
    uint8_t *bytes = NULL;
    size_t len = 0, forged_len = 0;
    char why[512] = "";
    assert_int_equal (s_build (f->a, "2026-03", s_april, &bytes, &len, why,
                               sizeof why), 0);
    const char *contexts[] = {XC_CTX_ENVELOPE, XC_CTX_CHECKPOINT,
                              XC_CTX_TRUST_LIST};
    for (size_t i = 0; i < 3; i++) {
        uint8_t *forged = s_reseal (bytes, len, f->a->signers[0].key, contexts[i],
                                    f->a->signers[0].id, &forged_len);
        s_expect_invalid (f, forged, forged_len, XC_ESIG, "does not verify");
        free (forged);
    }
    /* And re-sealed under the right context it verifies again, so the
       failures above are the context's doing. */
    uint8_t *resealed = s_reseal (bytes, len, f->a->signers[0].key, XC_CTX_REPORT,
                                  f->a->signers[0].id, &forged_len);
    Xiecha__Report *r = NULL;
    assert_int_equal (xc_report_verify (resealed, forged_len, f->a->trust, &r,
                                        why, sizeof why), 0);
    xiecha__report__free_unpacked (r, NULL);
    free (resealed);
    free (bytes);
}

/*  A trust list in which A's key is valid only in March 2026. */
static xc_trust_t *
s_windowed_trust (xt_pair_t *f)
{
    char path[PATH_MAX], why[512] = "", hex[2 * XC_PUBKEY_LEN + 1];
    snprintf (path, sizeof path, "%s/trust-window.zpl", f->fed->root);
    FILE *out = fopen (path, "w");
    assert_non_null (out);
    fprintf (out, "trust\n    version = 1\n");
    const char *codes[] = {CODE_A, CODE_B};
    const char *ids[] = {f->a->signers[0].id, f->b->signers[0].id};
    for (size_t i = 0; i < 2; i++) {
        const xc_trust_node_t *n = xc_trust_node (f->a->trust, codes[i]);
        const xc_trust_key_t *k = xc_trust_key (f->a->trust, ids[i]);
        assert_non_null (n);
        assert_non_null (k);
        xc_hex (k->pub, XC_PUBKEY_LEN, hex);
        fprintf (out, "    node\n        code = \"%s\"\n"
                 "        name = \"%s\"\n        endpoint = \"%s\"\n"
                 "        curve = \"%s\"\n        key\n"
                 "            public = \"%s\"\n", n->code, n->name,
                 n->endpoint, n->curve, hex);
        if (i == 0)
            fprintf (out, "            not_before = \"2026-03-01T00:00:00Z\"\n"
                     "            not_after = \"2026-03-31T23:59:59Z\"\n");
    }
    assert_int_equal (fclose (out), 0);
    xc_trust_t *trust = xc_trust_load (path, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    return trust;
}

/*  A report is judged at its generated_at: made while A's key was valid
    it verifies, made after the key expired it does not. */
static void
test_key_window_at_generation (void **state)
{
    xt_pair_t *f = *state;
    xc_trust_t *trust = s_windowed_trust (f);
    uint8_t *bytes = NULL;
    size_t len = 0;
    char why[512] = "";
    Xiecha__Report *r = NULL;
    assert_int_equal (s_build (f->a, "2026-03", s_march + DAY_MS, &bytes,
                               &len, why, sizeof why), 0);
    assert_int_equal (xc_report_verify (bytes, len, trust, &r, why,
                                        sizeof why), 0);
    xiecha__report__free_unpacked (r, NULL);
    free (bytes);
    assert_int_equal (s_build (f->a, "2026-03", s_april, &bytes, &len, why,
                               sizeof why), 0);
    assert_int_equal (xc_report_verify (bytes, len, trust, &r, why,
                                        sizeof why), XC_EUNKNOWN);
    assert_null (r);
    if (!strstr (why, "expired 2026-03-31"))
        fail_msg ("'%s' does not say when the key expired", why);
    free (bytes);
    xc_trust_destroy (&trust);
}

static void
test_garbage_is_malformed (void **state)
{
    xt_pair_t *f = *state;
    static const uint8_t junk[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
    s_expect_invalid (f, junk, sizeof junk, XC_EMALFORMED, "SignedReport");
    s_expect_invalid (f, junk, 0, XC_EMALFORMED, "empty");
}

/*  Building reads only: the log is unchanged by a report. */
static void
test_building_changes_nothing (void **state)
{
    xt_pair_t *f = *state;
    MDB_txn *txn;
    uint64_t before, after, bad = 0;
    uint8_t head[XC_HASH_LEN];
    char why[256] = "";
    assert_int_equal (xc_store_read (f->a->store, &txn), 0);
    assert_int_equal (xc_audit_head (f->a->store, txn, &before, head), 0);
    mdb_txn_abort (txn);
    Xiecha__Report *r = s_report (f->a, "2026-03", s_april);
    xiecha__report__free_unpacked (r, NULL);
    assert_int_equal (xc_store_read (f->a->store, &txn), 0);
    assert_int_equal (xc_audit_head (f->a->store, txn, &after, head), 0);
    assert_int_equal (xc_audit_check (f->a->store, txn, &bad, why,
                                      sizeof why), 0);
    mdb_txn_abort (txn);
    assert_int_equal (before, after);
}

typedef struct {
    xc_node_t *b;
    const uint8_t *legacy;     /* a whole notice envelope */
    size_t legacy_len;
    uint64_t now;
} s_refusals_t;

/*  Three ways B's log holds refused messages: as an older store kept
    them (the whole envelope), as a kept record, and as a summary of
    seven only counted. */
static int
s_refusals_fn (MDB_txn *txn, void *arg)
{
    s_refusals_t *r = arg;
    xc_store_t *st = r->b->store;
    int rc = xc_audit_append (st, txn, XC_AUDIT_REFUSED, CODE_A, r->now,
                              "old refusal", r->legacy, r->legacy_len, NULL);
    if (rc == 0)
        rc = xc_audit_keep (st, txn, XC_AUDIT_REFUSED, CODE_A, r->now,
                            "kept refusal", r->legacy, r->legacy_len, 16,
                            FAR, DIBAO);
    if (rc == 0)
        rc = xc_audit_summary (st, txn, CODE_A, r->now, "summary", 7, 2,
                               r->now);
    return rc;
}

/*  Each is counted: the old entry by its envelope (a TEMP notice), the
    kept record by the tags it names (its prefix of 16 bytes could not
    be opened), the summary seven times under A's relation to B; the two
    repeated messages it counts are not refusals. */
static void
test_refusals_old_kept_and_summarised (void **state)
{
    xt_pair_t *f = *state;
    Xiecha__Report *r = s_report (f->b, "2026-03", s_april + DAY_MS);
    uint64_t temp = s_count (r, "REFUSED", TEMP, FAR);
    uint64_t dibao = s_count (r, "REFUSED", DIBAO, FAR);
    uint64_t none = s_count (r, "REFUSED", NONE, FAR);
    xiecha__report__free_unpacked (r, NULL);

    Xiecha__Notice n = XIECHA__NOTICE__INIT;
    uint8_t ref[XC_REF_LEN] = {1};
    ProtobufCBinaryData subject = {XC_REF_LEN, ref};
    n.kind = XIECHA__NOTICE_KIND__EMERGENCY_AID;
    n.n_subjects = 1;
    n.subjects = &subject;
    n.program = XIECHA__PROGRAM__TEMP;
    n.start_date = 20260315;
    n.amount_band = 1;
    n.aid_reason = "illness";
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_NOTICE;
    msg.notice = &n;
    uint8_t *env = NULL;
    size_t len = 0;
    assert_int_equal (xc_node_seal (f->a, &msg, XIECHA__MSG_TYPE__MSG_NOTICE,
                                    CODE_B, NULL, s_march, &env, &len), 0);
    s_refusals_t w = {f->b, env, len, s_march + 1000};
    assert_int_equal (xc_store_write (f->b->store, s_refusals_fn, &w), 0);
    free (env);

    r = s_report (f->b, "2026-03", s_april + DAY_MS);
    assert_int_equal (s_count (r, "REFUSED", TEMP, FAR), temp + 1);
    assert_int_equal (s_count (r, "REFUSED", DIBAO, FAR), dibao + 1);
    assert_int_equal (s_count (r, "REFUSED", NONE, FAR), none + 7);
    xiecha__report__free_unpacked (r, NULL);
}

typedef struct {
    xc_node_t *b;
    uint64_t at[2];
} s_late_t;

static int
s_late_fn (MDB_txn *txn, void *arg)
{
    s_late_t *l = arg;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < 2; i++)
        rc = xc_audit_summary (l->b->store, txn, CODE_A, l->at[i], "late",
                               1, 0, l->at[i]);
    return rc;
}

/*  At 2026-12-01T20:00Z it is 2 December in Beijing; a refusal at
    2026-11-30T17:00Z (01:00 on 1 December there) is December's, one at
    15:00Z (23:00 on 30 November) November's, and the sealed report says
    the zone and the period it counted. */
static void
test_beijing_days_and_months (void **state)
{
    xt_pair_t *f = *state;
    assert_int_equal (xc_node_today (f->b, 1796155200000ull), 20261202);
    assert_int_equal (xc_node_today (f->b, 1796083200000ull - 1), 20261201);
    s_late_t l = {f->b, {1796058000000ull, 1796050800000ull}};
    assert_int_equal (xc_store_write (f->b->store, s_late_fn, &l), 0);
    Xiecha__Report *r = s_report (f->b, "2026-12", 1796155200000ull);
    assert_int_equal (s_count (r, "REFUSED", NONE, FAR), 1);
    assert_string_equal (r->timezone, "Asia/Shanghai");
    assert_int_equal (r->period_from, 1796054400000ull);
    assert_int_equal (r->period_to, 1798732800000ull);
    xiecha__report__free_unpacked (r, NULL);
    r = s_report (f->b, "2026-11", 1796155200000ull);
    assert_int_equal (s_count (r, "REFUSED", NONE, FAR), 1);
    xiecha__report__free_unpacked (r, NULL);
}

/*  Township's count of kind/program/relation, and the row order. */
static uint64_t
s_count_in (const Xiecha__Report *r, const char *kind, int program,
            const char *township)
{
    for (size_t i = 0; i < r->n_rows; i++)
        if (strcmp (r->rows[i]->kind, kind) == 0
            && (int) r->rows[i]->program == program
            && strcmp (r->rows[i]->township, township) == 0)
            return r->rows[i]->count;
    return 0;
}

/*  May's traffic by two townships' terminals and the local
    administrator: each side counts it per township, the residence side
    by the entries' actors, the registration side by the township the
    signed query or notice carries; rows of one kind, program and
    relation come township after township, "" first. */
static void
test_counts_per_township (void **state)
{
    xt_pair_t *f = *state;
    uint64_t may;
    assert_int_equal (xc_report_month ("2026-05", &may, NULL, NULL, 0), 0);
    may += DAY_MS;
    xt_rosters_fresh (f->b, 20260501);
    const Xiecha__Program dibao[] = {XIECHA__PROGRAM__DIBAO};
    s_actor = "cw-1\t469021100\tLi Ming";
    s_query (f, CODE_B, dibao, 1, ID_OTHER, NULL, may);
    s_actor = "cw-2\t469021200\tWang Fang";
    s_enroll_notice (f, "341002197702020019", XIECHA__PROGRAM__DIBAO,
                     may + 1000);
    s_actor = NULL;
    s_query (f, CODE_B, dibao, 1, ID_OTHER, NULL, may + 2000);

    Xiecha__Report *r = s_report (f->a, "2026-05", may + DAY_MS);
    assert_int_equal (s_count_in (r, "QUERY_SENT", DIBAO, "469021100"), 1);
    assert_int_equal (s_count_in (r, "QUERY_SENT", DIBAO, ""), 1);
    assert_int_equal (s_count_in (r, "CERTIFICATE_RECEIVED", DIBAO,
                                  "469021100"), 1);
    assert_int_equal (s_count_in (r, "ENROLLMENT_SENT", DIBAO, "469021200"),
                      1);
    for (size_t i = 1; i < r->n_rows; i++)
        if (strcmp (r->rows[i]->kind, r->rows[i - 1]->kind) == 0
            && r->rows[i]->program == r->rows[i - 1]->program
            && r->rows[i]->relation == r->rows[i - 1]->relation)
            assert_true (strcmp (r->rows[i - 1]->township,
                                 r->rows[i]->township) < 0);
    xiecha__report__free_unpacked (r, NULL);

    r = s_report (f->b, "2026-05", may + DAY_MS);
    assert_int_equal (s_count_in (r, "CERTIFICATE_ISSUED", DIBAO,
                                  "469021100"), 1);
    assert_int_equal (s_count_in (r, "CERTIFICATE_ISSUED", DIBAO, ""), 1);
    assert_int_equal (s_count_in (r, "ENROLLMENT_APPLIED", DIBAO,
                                  "469021200"), 1);
    xiecha__report__free_unpacked (r, NULL);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_residence_side_counts),
        cmocka_unit_test (test_registration_side_counts),
        cmocka_unit_test (test_month_window),
        cmocka_unit_test (test_names_the_audit_head),
        cmocka_unit_test (test_bad_month_named),
        cmocka_unit_test (test_month_bounds),
        cmocka_unit_test (test_tampered_byte_fails),
        cmocka_unit_test (test_other_nodes_key_fails),
        cmocka_unit_test (test_other_context_fails),
        cmocka_unit_test (test_key_window_at_generation),
        cmocka_unit_test (test_garbage_is_malformed),
        cmocka_unit_test (test_building_changes_nothing),
        cmocka_unit_test (test_refusals_old_kept_and_summarised),
        cmocka_unit_test (test_beijing_days_and_months),
        cmocka_unit_test (test_counts_per_township),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
