/*  itest_hostile.c - a trusted peer that misbehaves on purpose, and a
    terminal that sends what the stock client never would, against real
    daemons.

    The rogue node (460000) holds valid keys of its own.  The test also
    reads Ding'an's signing key from its directory, so the rogue can sign
    in Ding'an's name on its own CURVE connection: a node must believe
    the connection ZAP authenticated, not the name in the header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 3000);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  A Query from sender to Tunxi about one subject, signed with key
    (key_id), with a msg_id of id_len bytes. */
static void
s_query (const char *sender, xc_key_t *key, const char *key_id,
         size_t id_len, uint8_t **out, size_t *out_len)
{
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, "341002198001010015", ref);
    ProtobufCBinaryData subject = {XC_REF_LEN, ref};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 1;
    q.subjects = &subject;
    q.n_programs = 1;
    q.programs = &dibao;
    q.relation = xc_relation_of (sender, "341002");
    Xiecha__Header h = XIECHA__HEADER__INIT;
    uint8_t id[XC_MSGID_LEN];
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_QUERY, sender, "341002",
                    xc_now_ms ());
    q.deadline = h.created_at + 10000;
    uint8_t *long_id = NULL;
    if (id_len != XC_MSGID_LEN) {
        long_id = calloc (1, id_len);
        assert_non_null (long_id);
        h.msg_id = (ProtobufCBinaryData) {id_len, long_id};
    }
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    msg.query = &q;
    assert_int_equal (xc_envelope_seal (&msg, key, key_id, out, out_len), 0);
    free (long_id);
}

/*  The rogue's connection, a message signed as Ding'an: refused, and
    logged under the rogue, whose connection it came on.  (It was
    answered with a certificate for Ding'an before.) */
static void
test_sender_is_the_connection (void **state)
{
    char path[PATH_MAX + 16], why[256], key_id[XC_KEY_ID_LEN + 1];
    snprintf (path, sizeof path, "%s/sign.key", fed->nodes[DINGAN].dir);
    xc_key_t *dingan = xc_key_load (path, why, sizeof why);
    assert_non_null (dingan);
    xt_key_id_of (path, key_id);
    uint8_t *bytes = NULL;
    size_t len = 0;
    s_query ("469021", dingan, key_id, XC_MSGID_LEN, &bytes, &len);
    xc_key_destroy (&dingan);

    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, bytes, len, 5000);
    free (bytes);
    assert_non_null (f);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_string_equal (op.msg->header->recipient, XT_ROGUE);
    xt_assert_has (op.msg->error->message, "signed as 469021 on the "
                   "connection of 460000");
    xc_opened_free (&op);
    zframe_destroy (&f);
    zsock_destroy (&peer);
    assert_true (xt_fed_log_count (fed, TUNXI,
                                   "refused message from 460000") >= 1);
}

/*  A query whose msg_id is 200 bytes: whatever the node answers is an
    envelope its own decoder accepts.  (The error echoed the id into
    in_reply_to before: an envelope of the attacker's size that no node
    can open.) */
static void
test_bad_msg_id_gets_a_sound_error (void **state)
{
    uint8_t *bytes = NULL;
    size_t len = 0;
    s_query (XT_ROGUE, fed->rogue_key, fed->rogue_key_id, 200, &bytes, &len);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, bytes, len, 5000);
    free (bytes);
    if (f) {
        char why[256];
        xc_opened_t op = {0};
        int rc = xc_envelope_open (zframe_data (f), zframe_size (f), &op, why,
                                   sizeof why);
        if (rc)
            fail_msg ("the node's own answer does not open: %s", why);
        assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
        assert_int_equal (op.msg->header->in_reply_to.len, 0);
        assert_true (zframe_size (f) < 1024);
        xc_opened_free (&op);
        zframe_destroy (&f);
    }
    zsock_destroy (&peer);
    assert_true (xt_fed_alive (fed, TUNXI));
}

/*  A query without a request id (the stock client always sends one) is
    answered like any other.  (An empty id was a memcpy from NULL.) */
static void
test_empty_request_id (void **state)
{
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = "341002198001010015";
    p.name = "王芳";
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__QueryRequest q = XIECHA__QUERY_REQUEST__INIT;
    q.home_county = "341002";
    q.applicant = &p;
    q.n_programs = 1;
    q.programs = &dibao;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    req.query = &q;
    uint8_t buf[512];
    size_t len = xiecha__client_request__pack (&req, buf);
    zsock_t *d = zsock_new (ZMQ_DEALER);
    assert_non_null (d);
    zsock_set_rcvtimeo (d, 10000);
    assert_int_equal (zsock_connect (d, "%s", fed->nodes[DINGAN].socket), 0);
    assert_int_equal (zsock_send (d, "b", buf, len), 0);
    zframe_t *f = zframe_recv (d);
    assert_non_null (f);
    Xiecha__ClientReply *r = xiecha__client_reply__unpack (
        NULL, zframe_size (f), zframe_data (f));
    assert_non_null (r);
    if (r->code != 0)
        fail_msg ("%d %s", r->code, r->message);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_QUERY);
    assert_int_equal (r->request_id.len, 0);
    xiecha__client_reply__free_unpacked (r, NULL);
    zframe_destroy (&f);
    zsock_destroy (&d);
    assert_true (xt_fed_alive (fed, DINGAN));
}

/*  What Ding'an sent the rogue, opened; its routing id. */
static zframe_t *
s_rogue_recv (zsock_t *rogue, xc_opened_t *op)
{
    zframe_t *route = xt_rogue_recv (rogue, 10000, op);
    assert_non_null (route);
    return route;
}

/*  The rogue, asked as a registration node, answers one query twice,
    back to back: an error and then a good certificate.  The terminal
    hears one answer and the node lives.  (The second answer of the same
    batch used the wait freed by the first: use after free.) */
static void
test_query_answered_twice (void **state)
{
    zsock_t *rogue = xt_fed_rogue_server (fed);
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = "460000198001010019";
    p.name = "王芳";
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__QueryRequest q = XIECHA__QUERY_REQUEST__INIT;
    q.home_county = XT_ROGUE;
    q.applicant = &p;
    q.n_programs = 1;
    q.programs = &dibao;
    uint8_t rid = 7;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.request_id = (ProtobufCBinaryData) {1, &rid};
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
    req.query = &q;
    uint8_t buf[512];
    size_t len = xiecha__client_request__pack (&req, buf);
    zsock_t *d = zsock_new (ZMQ_DEALER);
    zsock_set_rcvtimeo (d, 10000);
    assert_int_equal (zsock_connect (d, "%s", fed->nodes[DINGAN].socket), 0);
    assert_int_equal (zsock_send (d, "b", buf, len), 0);

    xc_opened_t op = {0};
    zframe_t *route = s_rogue_recv (rogue, &op);
    const Xiecha__Header *qh = op.msg->header;
    assert_int_equal (qh->type, XIECHA__MSG_TYPE__MSG_QUERY);

    Xiecha__Error err = XIECHA__ERROR__INIT;
    err.code = XIECHA__ERROR_CODE__ERR_INTERNAL;
    err.message = "first of two answers";
    Xiecha__Signed e = XIECHA__SIGNED__INIT;
    e.body_case = XIECHA__SIGNED__BODY_ERROR;
    e.error = &err;
    zframe_t *first = xt_fed_rogue_seal (fed, &e, XIECHA__MSG_TYPE__MSG_ERROR,
                                         "469021", &qh->msg_id, 0, NULL,
                                         NULL);
    zframe_t *second = xt_fed_rogue_certificate (fed, &op, 0);
    xt_rogue_send (rogue, route, &first);
    xt_rogue_send (rogue, route, &second);
    zframe_destroy (&route);
    xc_opened_free (&op);

    zframe_t *f = zframe_recv (d);
    assert_non_null (f);
    Xiecha__ClientReply *r = xiecha__client_reply__unpack (
        NULL, zframe_size (f), zframe_data (f));
    assert_non_null (r);
    assert_int_equal (r->request_id.len, 1);
    assert_true (r->code == XC_EREFUSED || r->code == 0);
    xiecha__client_reply__free_unpacked (r, NULL);
    zframe_destroy (&f);
    zsock_set_rcvtimeo (d, 1500);
    f = zframe_recv (d);   /* one question, one answer */
    assert_null (f);
    zsock_destroy (&d);
    zsock_destroy (&rogue);
    assert_true (xt_fed_alive (fed, DINGAN));
    char out[8192];
    const char *st[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, st), 0);
}

/*  The rogue, as a notice's registration node, answers it with a signed
    QUERY instead of an ack or error: refused, the notice stays pending,
    the node lives.  (The query's body was read as an Error: the node
    crashed, and again after every restart.) */
static void
test_notice_answered_with_a_query (void **state)
{
    zsock_t *rogue = xt_fed_rogue_server (fed);
    char today[11];
    xc_date_text (xc_zone_date (xc_now_ms ()), today);
    const char *args[] = {"emergency", "--id", "460000198001010027",
                          "--name", "李娜", "--home", XT_ROGUE,
                          "--date", today, "--band", "2",
                          "--reason-category", "fire", NULL};
    char out[8192];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    xc_opened_t op = {0};
    zframe_t *route = s_rogue_recv (rogue, &op);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_NOTICE);

    uint8_t ref[XC_REF_LEN] = {0};
    ProtobufCBinaryData subject = {XC_REF_LEN, ref};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 1;
    q.subjects = &subject;
    q.n_programs = 1;
    q.programs = &dibao;
    q.relation = xc_relation_of (XT_ROGUE, "469021");
    Xiecha__Signed qs = XIECHA__SIGNED__INIT;
    qs.body_case = XIECHA__SIGNED__BODY_QUERY;
    qs.query = &q;
    zframe_t *answer = xt_fed_rogue_seal (fed, &qs,
                                          XIECHA__MSG_TYPE__MSG_QUERY,
                                          "469021", &op.msg->header->msg_id,
                                          0, NULL, NULL);
    xt_rogue_send (rogue, route, &answer);
    zframe_destroy (&route);
    xc_opened_free (&op);

    /* Refused (audited and logged), and the notice still pending.  The
       rogue's socket (linger 0) lives until then: closed at once, it
       could drop the answer before it left. */
    int refused = 0;
    for (int i = 0; i < 50 && !refused; i++) {
        refused = xt_fed_log_count (fed, DINGAN,
                                   "refused notice answer from 460000") > 0;
        if (!refused)
            zclock_sleep (100);
    }
    zsock_destroy (&rogue);
    assert_true (refused);
    assert_true (xt_fed_alive (fed, DINGAN));
    const char *ob[] = {"outbox", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, ob), 0);
    xt_assert_has (out, "PENDING");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_sender_is_the_connection),
        cmocka_unit_test (test_bad_msg_id_gets_a_sound_error),
        cmocka_unit_test (test_empty_request_id),
        cmocka_unit_test (test_query_answered_twice),
        cmocka_unit_test (test_notice_answered_with_a_query),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
