/*  itest_answers.c - the case worker hears why there is no certificate.

    Ding'an 469021 asks the rogue node 460000, which the test plays as a
    registration node that answers, but wrongly: its clock ten minutes
    ahead, a broken signature, a key not in the trust list, a certificate
    for another query, a key revoked in the trust list.  Each time the
    real CLI must exit 4 with the reason (and, in JSON, its code as
    "cause") at once, not 3 "did not answer" after the deadline; a signed
    refusal is exit 5.  None of it counts as a certificate received.
    (Before: every one of them was exit 3 "registration node did not
    answer within 3000 ms", the reason only in the daemon log.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0 };

/*  How the rogue answers. */
enum {
    S_SKEWED,        /* created ten minutes ahead of the clocks */
    S_BAD_SIGNATURE, /* one bit of the signature flipped */
    S_UNKNOWN_KEY,   /* signed with a key no trust list holds */
    S_OTHER_QUERY,   /* a certificate bound to another digest */
    S_SIGNED_ERROR,  /* a signed refusal */
    S_OWN_KEY        /* its own key (revoked by then) */
};

#define S_AHEAD_MS (10 * 60 * 1000)

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021"};
    fed = xt_fed_new (codes, 1, 5000);
    xt_fed_start (fed, DINGAN);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  The certificate with one signature byte flipped. */
static zframe_t *
s_break_signature (zframe_t *cert)
{
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (cert), zframe_size (cert),
                                        &op, NULL, 0), 0);
    uint8_t *sig = memmem (zframe_data (cert), zframe_size (cert),
                           op.env->signature.data, op.env->signature.len);
    assert_non_null (sig);
    sig[10] ^= 0x01;
    xc_opened_free (&op);
    return cert;
}

static zframe_t *
s_answer (int how, const xc_opened_t *q)
{
    const ProtobufCBinaryData *irt = &q->msg->header->msg_id;
    if (how == S_SKEWED)
        return xt_fed_rogue_certificate (fed, q, xc_now_ms () + S_AHEAD_MS);
    if (how == S_BAD_SIGNATURE)
        return s_break_signature (xt_fed_rogue_certificate (fed, q, 0));
    if (how == S_OTHER_QUERY) {
        xc_opened_t other = *q;
        memset (other.digest, 0x5a, sizeof other.digest);
        return xt_fed_rogue_certificate (fed, &other, 0);
    }
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    Xiecha__Error err = XIECHA__ERROR__INIT;
    if (how == S_SIGNED_ERROR) {
        err.code = XIECHA__ERROR_CODE__ERR_STALE;
        err.message = "header.created_at is 400.0 s behind this node's clock";
        msg.body_case = XIECHA__SIGNED__BODY_ERROR;
        msg.error = &err;
        return xt_fed_rogue_seal (fed, &msg, XIECHA__MSG_TYPE__MSG_ERROR,
                                  "469021", irt, 0, NULL, NULL);
    }
    if (how == S_OWN_KEY)
        return xt_fed_rogue_certificate (fed, q, 0);
    /* S_UNKNOWN_KEY: a good certificate under a key in no list. */
    xc_key_t *stranger = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    char id[XC_KEY_ID_LEN + 1];
    xc_key_public (stranger, pub);
    xc_key_id (pub, id);
    zframe_t *good = xt_fed_rogue_certificate (fed, q, 0);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (good), zframe_size (good),
                                        &op, NULL, 0), 0);
    Xiecha__Signed *c = op.msg;
    Xiecha__Header *h = c->header;   /* sealed anew under the stranger's */
    zframe_t *f = xt_fed_rogue_seal (fed, c, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                                     "469021", irt, 0, stranger, id);
    c->header = h;
    xc_opened_free (&op);
    zframe_destroy (&good);
    xc_key_destroy (&stranger);
    return f;
}

/*  The rogue, in its own thread while the CLI runs: takes one query and
    answers it as `how` says. */
static void
s_rogue (zsock_t *pipe, void *arg)
{
    int how = *(int *) arg;
    zsock_t *rogue = xt_fed_rogue_server (fed);
    zsock_signal (pipe, 0);
    xc_opened_t q = {0};
    zframe_t *route = xt_rogue_recv (rogue, 20000, &q);
    if (route) {
        zframe_t *answer = s_answer (how, &q);
        xt_rogue_send (rogue, route, &answer);
        zframe_destroy (&route);
        xc_opened_free (&q);
    }
    char *term = zstr_recv (pipe);   /* $TERM */
    zstr_free (&term);
    zsock_destroy (&rogue);
}

/*  xiecha query ... --home 460000 --json against the rogue answering as
    how; returns the exit status, the JSON in out. */
static int
s_query (int how, char *out, size_t out_len)
{
    zactor_t *rogue = zactor_new (s_rogue, &how);
    assert_non_null (rogue);
    const char *args[] = {"query", "--id", xt_id ("46000019800101001"),
                          "--name", "王芳", "--home", XT_ROGUE, "--program",
                          "dibao", "--json", NULL};
    int status = xt_fed_cli (fed, DINGAN, out, out_len, args);
    zactor_destroy (&rogue);
    return status;
}

static void
s_expect_refused (int how, const char *cause, const char *needle)
{
    char out[8192];
    int status = s_query (how, out, sizeof out);
    if (status != 4)
        fail_msg ("exit %d, not 4: %s", status, out);
    xt_assert_has (out, "\"code\": \"XC_EANSWER\"");
    xt_assert_has (out, cause);
    xt_assert_has (out, "\"exit\": 4");
    xt_assert_has (out, "the answer of 460000 was refused by this node");
    xt_assert_has (out, needle);
}

static void
test_skewed_clock_says_by_how_much (void **state)
{
    s_expect_refused (S_SKEWED, "\"cause\": \"XC_EFUTURE\"",
                      " s ahead of this node's clock (tolerance 300 s)");
    /* By how much: ten minutes, less the moments the answer took. */
    char out[8192];
    assert_int_equal (s_query (S_SKEWED, out, sizeof out), 4);
    const char *at = strstr (out, " s ahead of");
    assert_non_null (at);
    while (at > out && at[-1] != ' ')
        at--;
    double seconds = strtod (at, NULL);
    if (seconds < 590.0 || seconds > 600.0)
        fail_msg ("says %.1f s ahead, the clock is 600 s ahead: %s", seconds,
                  out);
}

static void
test_bad_signature (void **state)
{
    s_expect_refused (S_BAD_SIGNATURE, "\"cause\": \"XC_ESIG\"", "signature");
}

static void
test_unknown_key (void **state)
{
    s_expect_refused (S_UNKNOWN_KEY, "\"cause\": \"XC_EUNKNOWN\"", "key");
}

static void
test_wrong_binding (void **state)
{
    s_expect_refused (S_OTHER_QUERY, "\"cause\": \"XC_EBINDING\"",
                      "certificate.query_digest");
}

static void
test_signed_refusal_is_exit_5 (void **state)
{
    char out[8192];
    int status = s_query (S_SIGNED_ERROR, out, sizeof out);
    if (status != 5)
        fail_msg ("exit %d, not 5: %s", status, out);
    xt_assert_has (out, "\"code\": \"XC_EREFUSED\"");
    xt_assert_has (out, "460000 refused the query: ERR_STALE");
}

/*  Revokes the rogue's key in the trust list with the real CLI and has
    Ding'an reload it. */
static void
s_revoke_rogue_key (void)
{
    char at[32];
    xc_time_iso (xc_now_ms () - 2000, at);
    const char *args[] = {"trust", "revoke-key", fed->trust, "--key",
                          fed->rogue_key_id, "--at", at, NULL};
    char out[4096];
    if (xt_fed_cli (fed, -1, out, sizeof out, args) != 0)
        fail_msg ("trust revoke-key failed: %s", out);
    int before = xt_fed_log_count (fed, DINGAN, "trust list reloaded");
    assert_int_equal (kill (fed->nodes[DINGAN].pid, SIGHUP), 0);
    for (int i = 0; i < 100 && xt_fed_log_count (fed, DINGAN,
                                                 "trust list reloaded")
                                   == before;
         i++)
        zclock_sleep (100);
    assert_true (xt_fed_log_count (fed, DINGAN, "trust list reloaded")
                 > before);
}

static void
test_revoked_key (void **state)
{
    s_revoke_rogue_key ();
    /* revoke-key says compromised unless told: refused whatever its
       time. */
    s_expect_refused (S_OWN_KEY, "\"cause\": \"XC_EUNKNOWN\"",
                      "revoked as compromised");
}

/*  A refused answer is no certificate received. */
static void
test_nothing_counted_as_received (void **state)
{
    char iso[32], month[8], out[16384];
    xc_time_iso (xc_now_ms (), iso);
    snprintf (month, sizeof month, "%.7s", iso);
    const char *args[] = {"report", "monthly", "--month", month, "--json",
                          NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xt_assert_has (out, "\"QUERY_SENT\"");
    if (strstr (out, "CERTIFICATE_RECEIVED"))
        fail_msg ("a refused answer counted as received: %s", out);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_skewed_clock_says_by_how_much),
        cmocka_unit_test (test_bad_signature),
        cmocka_unit_test (test_unknown_key),
        cmocka_unit_test (test_wrong_binding),
        cmocka_unit_test (test_signed_refusal_is_exit_5),
        cmocka_unit_test (test_revoked_key),
        cmocka_unit_test (test_nothing_counted_as_received),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
