/*  test_refusal.c - what the audit log keeps of refused and repeated peer
    messages (decide/refusal.h), and the rates per peer at the peer
    intake (decide/intake.c), with two real nodes and no network.

    A ("469021") sends, B ("341002") decides, as in test_intake.c; the
    messages come in on "A's connection" (peer = A), as transport hands
    them over.  Each test sets B's limits for itself: the limits are
    read from the config once, so it makes B's table anew. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decide/intake.h"
#include "decide/refusal.h"
#include "store/audit.h"
#include "xt_local.h"

#define CODE_A "469021"
#define CODE_B "341002"

static int
s_setup (void **state)
{
    xt_pair_t *f = xt_pair_new ("refusal", CODE_A, CODE_B);
    xt_rosters_fresh (f->b, 0);   /* B may say NOT_RECEIVING */
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    xt_pair_destroy ((xt_pair_t **) state);
    return 0;
}

/*  B's limits from now on: its table made anew. */
static void
s_limits (xc_node_t *b, int budget, int prefix, int messages_burst,
          int subjects_burst)
{
    b->config.audit_refused_per_minute = budget;
    b->config.audit_refused_prefix_bytes = prefix;
    b->config.peer_messages_burst = messages_burst;
    b->config.peer_messages_per_s = 1;
    b->config.peer_subjects_burst = subjects_burst;
    b->config.peer_subjects_per_s = 1;
    xc_limits_destroy (&b->limits);
    b->limits = xc_limits_new (&b->config);
    assert_non_null (b->limits);
}

/*  A query from A to B about n random subjects, at now; caller frees. */
static uint8_t *
s_query (xt_pair_t *f, size_t n, uint64_t now, size_t *len)
{
    uint8_t refs[XC_MAX_HOUSEHOLD][XC_REF_LEN];
    ProtobufCBinaryData subjects[XC_MAX_HOUSEHOLD];
    assert_true (n <= XC_MAX_HOUSEHOLD);
    xc_random (refs, sizeof refs);
    for (size_t i = 0; i < n; i++)
        subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, refs[i]};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = n;
    q.subjects = subjects;
    q.n_programs = 1;
    q.programs = &dibao;
    q.relation = xc_relation_of (CODE_A, CODE_B);
    q.deadline = now + 3000;   /* as the residence node gives up */
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    uint8_t *out = NULL;
    assert_int_equal (xc_node_seal (f->a, &msg, XIECHA__MSG_TYPE__MSG_QUERY,
                                    CODE_B, NULL, now, &out, len), 0);
    return out;
}

typedef struct {
    xc_node_t *node;
    const uint8_t *bytes;
    size_t len;
    uint64_t now;
    uint8_t *reply;
    size_t reply_len;
    xc_outcome_t out;
} s_peer_t;

static int
s_peer_fn (MDB_txn *txn, void *arg)
{
    s_peer_t *p = arg;
    free (p->reply);
    p->reply = NULL;
    return xc_intake_peer (p->node, txn, p->bytes, p->len, CODE_A, p->now,
                           &p->reply, &p->reply_len, &p->out);
}

/*  B takes bytes on A's connection at now; *out says what became of it.
    Returns the reply's type (0 when none) and frees it. */
static int
s_peer (xt_pair_t *f, const uint8_t *bytes, size_t len, uint64_t now,
        xc_outcome_t *out, int *error_code)
{
    s_peer_t p = {f->b, bytes, len, now, NULL, 0, {0}};
    assert_int_equal (xc_store_write (f->b->store, s_peer_fn, &p), 0);
    *out = p.out;
    int type = 0;
    if (p.reply) {
        xc_opened_t op;
        xt_open_verified (f->a, p.reply, p.reply_len, &op);
        type = op.msg->header->type;
        if (error_code)
            *error_code = type == XIECHA__MSG_TYPE__MSG_ERROR
                              ? (int) op.msg->error->code : 0;
        xc_opened_free (&op);
    }
    free (p.reply);
    return type;
}

/* --------------------------------------------------------------------------
   The kept record
   -------------------------------------------------------------------------- */

/*  10 KiB of junk: the entry keeps its length, its SHA-256 and its first
    100 bytes (the prefix configured), not the 10 KiB. */
static void
test_kept_record_is_bounded (void **state)
{
    xt_pair_t *f = *state;
    s_limits (f->b, 20, 100, 100, 1000);
    uint8_t junk[10240];
    xc_random (junk, sizeof junk);
    uint64_t before = xt_audit_count (f->b);
    xc_outcome_t out;
    assert_int_equal (s_peer (f, junk, sizeof junk, xc_now_ms (), &out, NULL),
                      0);   /* no header, nobody to answer */
    assert_int_equal (out.code, XC_EMALFORMED);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.count, before + 1);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    assert_string_equal (e.peer, CODE_A);
    assert_int_equal (e.data_len, XC_AUDIT_KEPT_HEADER + 100);
    xt_audit_assert_kept (&e, junk, sizeof junk);
    assert_int_equal (e.kept_record.prefix_len, 100);

    /* A refused query keeps the relation its header claims, for the
       monthly report; a prefix of 0 keeps only digest and length. */
    s_limits (f->b, 20, 0, 100, 1000);
    size_t len;
    uint8_t *q = s_query (f, 1, xc_now_ms (), &len);
    q[len - 20] ^= 1;   /* the signature */
    int code = 0;
    assert_int_equal (s_peer (f, q, len, xc_now_ms (), &out, &code),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (code, XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE);
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);
    xt_audit_assert_kept (&e, q, len);
    assert_int_equal (e.kept_record.prefix_len, 0);
    assert_int_equal (e.kept_record.relation,
                      XIECHA__RELATION__OTHER_PROVINCE);
    assert_int_equal (e.kept_record.program, 0);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SENT);
    assert_true (e.data_len + XC_AUDIT_HEADER + 5 <= XC_REFUSAL_ANSWER_MAX);
    free (q);
}

/*  The biggest error a refusal can answer with (a why of 399 bytes, the
    most intake writes) fits the bound's XC_REFUSAL_ANSWER_MAX. */
static void
test_longest_error_fits_the_bound (void **state)
{
    xt_pair_t *f = *state;
    char why[400];
    memset (why, 'x', sizeof why - 1);
    why[sizeof why - 1] = '\0';
    uint8_t digest[XC_HASH_LEN] = {0}, id[XC_MSGID_LEN] = {0};
    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = XIECHA__ERROR_CODE__ERR_RATE_LIMITED;
    err.message = why;
    err.request_digest = (ProtobufCBinaryData) {XC_HASH_LEN, digest};
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    msg.error = &err;
    ProtobufCBinaryData irt = {XC_MSGID_LEN, id};
    uint8_t *env = NULL;
    size_t len = 0;
    assert_int_equal (xc_node_seal (f->b, &msg, XIECHA__MSG_TYPE__MSG_ERROR,
                                    CODE_A, &irt, xc_now_ms (), &env, &len),
                      0);
    assert_true (XC_AUDIT_HEADER + strlen ("error") + len
                 <= XC_REFUSAL_ANSWER_MAX);
    free (env);
}

/*  The hour's bound for the defaults, by the formula in refusal.h:
    61 x (20 x (56 + 600 + 46 + 4096 + 1024) + 56 + 600 + 24). */
static void
test_bound_of_the_defaults (void **state)
{
    xc_config_t c;
    memset (&c, 0, sizeof c);
    c.audit_refused_per_minute = 20;
    c.audit_refused_prefix_bytes = 4096;
    assert_int_equal (xc_refusal_bound (&c), 7144320);
    c.audit_refused_per_minute = 0;
    assert_int_equal (xc_refusal_bound (&c), 61 * 680);
}

/* --------------------------------------------------------------------------
   The budget
   -------------------------------------------------------------------------- */

/*  Budget 3: ten bad signatures are all answered with a signed error,
    but only three have entries (and errors in the log) of their own;
    when the minute is over one summary entry counts the other seven. */
static void
test_budget_and_summary (void **state)
{
    xt_pair_t *f = *state;
    s_limits (f->b, 3, 4096, 100, 1000);
    uint64_t before = xt_audit_count (f->b), now = xc_now_ms ();
    for (int i = 0; i < 10; i++) {
        size_t len;
        uint8_t *q = s_query (f, 1, now, &len);
        q[len - 20] ^= 1;
        xc_outcome_t out;
        int code = 0;
        assert_int_equal (s_peer (f, q, len, now, &out, &code),
                          XIECHA__MSG_TYPE__MSG_ERROR);
        assert_int_equal (code, XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE);
        free (q);
    }
    assert_int_equal (xt_audit_count (f->b), before + 3 * 2);
    xt_audit_entry_t e;
    xt_audit_at (f->b, 1, &e);
    assert_int_equal (e.kind, XC_AUDIT_REFUSED);

    /* Not before the minute is over; then once. */
    assert_false (xc_limits_due (f->b->limits, now + 59999, 0));
    assert_true (xc_limits_due (f->b->limits, now + 60000, 0));
    assert_int_equal (xc_store_write (f->b->store, xc_refusal_flush_final,
                                      f->b), 0);
    assert_int_equal (xt_audit_count (f->b), before + 3 * 2 + 1);
    xt_audit_at (f->b, 0, &e);
    assert_int_equal (e.kind, XC_AUDIT_SUMMARY);
    assert_string_equal (e.peer, CODE_A);
    assert_int_equal (e.data_len, XC_AUDIT_SUMMARY_LEN);
    xt_assert_has (e.note, "7 refused and 0 repeated messages from 469021");
    xt_assert_has (e.note, "budget of 3 a minute");
    xt_assert_has (e.note, "XC_ESIG 7");
    assert_false (xc_limits_due (f->b->limits, now + 120000, 1));
    assert_int_equal (xc_store_write (f->b->store, xc_refusal_flush_final,
                                      f->b), 0);
    assert_int_equal (xt_audit_count (f->b), before + 3 * 2 + 1);

    xc_limits_peer_t top[2];
    assert_int_equal (xc_limits_top (f->b->limits, top, 2), 1);
    assert_string_equal (top[0].peer, CODE_A);
    assert_int_equal (top[0].refused, 10);
    assert_int_equal (top[0].unkept, 7);
}

/* --------------------------------------------------------------------------
   Rates
   -------------------------------------------------------------------------- */

/*  Subject lookups: a burst of 64 answers one full query; the next, even
    of one subject, is refused retryably and not marked seen, so the same
    bytes are answered once the bucket has refilled (a second a lookup). */
static void
test_lookups_throttled_and_retryable (void **state)
{
    xt_pair_t *f = *state;
    s_limits (f->b, 20, 4096, 100, 64);
    uint64_t now = xc_now_ms ();
    size_t len;
    uint8_t *full = s_query (f, 64, now, &len);
    xc_outcome_t out;
    int code = 0;
    assert_int_equal (s_peer (f, full, len, now, &out, &code),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    free (full);

    uint8_t *one = s_query (f, 1, now, &len);
    assert_int_equal (s_peer (f, one, len, now, &out, &code),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (code, XIECHA__ERROR_CODE__ERR_RATE_LIMITED);
    assert_int_equal (out.code, XC_ERATE);
    xt_assert_has (out.why, "subject lookups");
    xt_assert_has (out.why, "retry in 1000 ms");
    xc_opened_t op;
    assert_int_equal (xc_envelope_open (one, len, &op, NULL, 0), 0);
    assert_int_equal (xt_seen (f->b, CODE_A, op.msg->header->msg_id.data),
                      XC_ENOTFOUND);
    xc_opened_free (&op);
    assert_int_equal (s_peer (f, one, len, now + 1000, &out, &code),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    free (one);
}

/*  Messages: the bucket is taken before the signature is checked, so a
    peer over its rate costs no verification; what it gets is the
    retryable refusal, whatever else is wrong with the message. */
static void
test_message_rate_before_signature (void **state)
{
    xt_pair_t *f = *state;
    s_limits (f->b, 20, 4096, 2, 1000);
    uint64_t now = xc_now_ms ();
    int types[3], codes[3];
    for (int i = 0; i < 3; i++) {
        size_t len;
        uint8_t *q = s_query (f, 1, now, &len);
        q[len - 20] ^= 1;
        xc_outcome_t out;
        types[i] = s_peer (f, q, len, now, &out, &codes[i]);
        free (q);
    }
    assert_int_equal (codes[0], XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE);
    assert_int_equal (codes[1], XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE);
    assert_int_equal (types[2], XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (codes[2], XIECHA__ERROR_CODE__ERR_RATE_LIMITED);
    uint64_t throttled, unkept;
    xc_limits_totals (f->b->limits, &throttled, &unkept);
    assert_int_equal (throttled, 1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_kept_record_is_bounded),
        cmocka_unit_test (test_longest_error_fits_the_bound),
        cmocka_unit_test (test_bound_of_the_defaults),
        cmocka_unit_test (test_budget_and_summary),
        cmocka_unit_test (test_lookups_throttled_and_retryable),
        cmocka_unit_test (test_message_rate_before_signature),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
