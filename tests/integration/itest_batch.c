/*  itest_batch.c - one terminal's bad request never fails anyone else's,
    and requests that land in one batch do not trip over each other.

    Through a real daemon: a burst of good requests (queries answered by
    a real registration node, emergency-aid notices) with one bad
    notice among them, whose aid_reason is 300 KiB.  The client library
    would refuse it before sending, so the burst goes out as raw
    ClientRequests on a DEALER of our own, all sent before any reply is
    read, so that the node drains them together.  The bad request must be
    refused alone, with a message naming aid_reason; every good request
    must be answered as done (certificates from Tunxi, queued notices);
    and the node must go on answering. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"
#include "xt_id.h"

enum { DINGAN = 0, TUNXI = 1 };
#define S_GOOD 24
#define S_BAD_AT 11
#define S_BIG (300 * 1024)

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 5000);
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

/*  Sends request i: even good ones query Tunxi, odd ones report
    emergency aid; the bad one carries a 300 KiB aid_reason. */
static void
s_send (zsock_t *d, int i, int bad, const char *big)
{
    char first17[18];
    snprintf (first17, sizeof first17, "34100219800101%03d", i);
    Xiecha__Person p = XIECHA__PERSON__INIT;
    p.id_number = (char *) xt_id (first17);
    p.name = "张三";
    uint8_t rid = (uint8_t) i;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.request_id = (ProtobufCBinaryData) {1, &rid};
    Xiecha__QueryRequest q = XIECHA__QUERY_REQUEST__INIT;
    Xiecha__NoticeRequest n = XIECHA__NOTICE_REQUEST__INIT;
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    if (!bad && i % 2 == 0) {
        q.home_county = "341002";
        q.applicant = &p;
        q.n_programs = 1;
        q.programs = &dibao;
        req.body_case = XIECHA__CLIENT_REQUEST__BODY_QUERY;
        req.query = &q;
    }
    else {
        n.kind = XIECHA__NOTICE_KIND__EMERGENCY_AID;
        n.home_county = "341002";
        n.applicant = &p;
        n.program = XIECHA__PROGRAM__TEMP;
        n.start_date = xc_zone_date (xc_now_ms ());
        n.amount_band = 2;
        n.aid_reason = bad ? (char *) big : "火灾";
        req.body_case = XIECHA__CLIENT_REQUEST__BODY_NOTICE;
        req.notice = &n;
    }
    size_t len = xiecha__client_request__get_packed_size (&req);
    uint8_t *buf = malloc (len);
    assert_non_null (buf);
    xiecha__client_request__pack (&req, buf);
    zmsg_t *m = zmsg_new ();
    zmsg_addmem (m, buf, len);
    assert_int_equal (zmsg_send (&m, d), 0);
    free (buf);
}

static void
test_bad_request_alone (void **state)
{
    zsock_t *d = zsock_new (ZMQ_DEALER);
    assert_non_null (d);
    zsock_set_rcvtimeo (d, 15000);
    assert_int_equal (zsock_connect (d, "%s", fed->nodes[DINGAN].socket), 0);
    char *big = malloc (S_BIG + 1);
    assert_non_null (big);
    memset (big, 'x', S_BIG);
    big[S_BIG] = '\0';
    for (int i = 0; i <= S_GOOD; i++)
        s_send (d, i, i == S_BAD_AT, big);
    free (big);

    int seen[S_GOOD + 1] = {0}, queries = 0, notices = 0;
    for (int k = 0; k <= S_GOOD; k++) {
        zmsg_t *m = zmsg_recv (d);
        assert_non_null (m);
        zframe_t *f = zmsg_first (m);
        Xiecha__ClientReply *r = xiecha__client_reply__unpack (
            NULL, zframe_size (f), zframe_data (f));
        assert_non_null (r);
        assert_int_equal (r->request_id.len, 1);
        int i = r->request_id.data[0];
        assert_true (i >= 0 && i <= S_GOOD && !seen[i]);
        seen[i] = 1;
        if (i == S_BAD_AT) {
            assert_int_equal (r->code, XC_EINVAL);
            xt_assert_has (r->message, "aid_reason");
        }
        else {
            if (r->code != 0)
                fail_msg ("request %d: %d %s", i, r->code, r->message);
            if (i % 2 == 0) {
                assert_int_equal (r->body_case,
                                  XIECHA__CLIENT_REPLY__BODY_QUERY);
                assert_true (r->query->certificate.len > 0);
                queries++;
            }
            else {
                assert_int_equal (r->body_case,
                                  XIECHA__CLIENT_REPLY__BODY_NOTICE);
                notices++;
            }
        }
        xiecha__client_reply__free_unpacked (r, NULL);
        zmsg_destroy (&m);
    }
    assert_int_equal (queries, S_GOOD / 2 + 1);
    assert_int_equal (notices, S_GOOD / 2 - 1);
    zsock_destroy (&d);

    /* The node is still well. */
    char out[65536];
    const char *st[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, st), 0);
}

/*  One import step, sent raw on d. */
static void
s_import (zsock_t *d, int step, const ProtobufCBinaryData *id,
          Xiecha__RosterRow **rows, size_t n_rows)
{
    Xiecha__ImportRequest im = XIECHA__IMPORT_REQUEST__INIT;
    im.step = step;
    if (id)
        im.import_id = *id;
    im.rows = rows;
    im.n_rows = n_rows;
    uint8_t rid = (uint8_t) step;
    Xiecha__ClientRequest req = XIECHA__CLIENT_REQUEST__INIT;
    req.request_id = (ProtobufCBinaryData) {1, &rid};
    req.body_case = XIECHA__CLIENT_REQUEST__BODY_IMPORT;
    req.import = &im;
    size_t len = xiecha__client_request__get_packed_size (&req);
    uint8_t *buf = malloc (len);
    assert_non_null (buf);
    xiecha__client_request__pack (&req, buf);
    zmsg_t *m = zmsg_new ();
    zmsg_addmem (m, buf, len);
    assert_int_equal (zmsg_send (&m, d), 0);
    free (buf);
}

static Xiecha__ClientReply *
s_reply (zsock_t *d)
{
    zmsg_t *m = zmsg_recv (d);
    assert_non_null (m);
    zframe_t *f = zmsg_first (m);
    Xiecha__ClientReply *r = xiecha__client_reply__unpack (
        NULL, zframe_size (f), zframe_data (f));
    assert_non_null (r);
    zmsg_destroy (&m);
    return r;
}

/*  An import's COMMIT and, in the same batch, what discards the import
    before the commit runs: an ABORT (the stock CLI sends one when its
    COMMIT times out) or a bad ROWS chunk.  The commit finds its import
    gone and is refused, the other step is answered, and the node lives
    on.  Both crashed the node once (NULL import in the commit). */
static void
s_commit_with (int second)
{
    zsock_t *d = zsock_new (ZMQ_DEALER);
    assert_non_null (d);
    zsock_set_rcvtimeo (d, 15000);
    assert_int_equal (zsock_connect (d, "%s", fed->nodes[TUNXI].socket), 0);
    s_import (d, XIECHA__IMPORT_REQUEST__STEP__BEGIN, NULL, NULL, 0);
    Xiecha__ClientReply *r = s_reply (d);
    assert_int_equal (r->code, 0);
    assert_int_equal (r->body_case, XIECHA__CLIENT_REPLY__BODY_IMPORT);
    uint8_t id[16];
    assert_int_equal (r->import->import_id.len, sizeof id);
    memcpy (id, r->import->import_id.data, sizeof id);
    xiecha__client_reply__free_unpacked (r, NULL);
    ProtobufCBinaryData iid = {sizeof id, id};

    Xiecha__RosterRow row = XIECHA__ROSTER_ROW__INIT, *rows[] = {&row};
    row.id_number = (char *) xt_id ("34100219800101777");
    row.program = XIECHA__PROGRAM__DIBAO;
    row.since = 20240101;
    row.line = 2;
    s_import (d, XIECHA__IMPORT_REQUEST__STEP__ROWS, &iid, rows, 1);
    r = s_reply (d);
    assert_int_equal (r->code, 0);
    xiecha__client_reply__free_unpacked (r, NULL);

    Xiecha__RosterRow bad = XIECHA__ROSTER_ROW__INIT, *bad_rows[] = {&bad};
    bad.id_number = "not an id";
    bad.program = XIECHA__PROGRAM__DIBAO;
    bad.since = 20240101;
    bad.line = 3;
    s_import (d, XIECHA__IMPORT_REQUEST__STEP__COMMIT, &iid, NULL, 0);
    if (second == XIECHA__IMPORT_REQUEST__STEP__ABORT)
        s_import (d, second, &iid, NULL, 0);
    else
        s_import (d, second, &iid, bad_rows, 1);
    int commit_refused = 0, second_answered = 0;
    for (int k = 0; k < 2; k++) {
        r = s_reply (d);
        if (r->request_id.data[0] == second)
            second_answered = 1;
        else if (r->code == XC_EINVAL)
            commit_refused = strstr (r->message, "import_id") != NULL;
        else   /* the two came in two batches: the commit went first */
            commit_refused = r->code == 0 ? 2 : 0;
        xiecha__client_reply__free_unpacked (r, NULL);
    }
    assert_true (commit_refused);
    assert_true (second_answered);
    zsock_destroy (&d);
    assert_true (xt_fed_alive (fed, TUNXI));
    char out[65536];
    const char *st[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, st), 0);
}

static void
test_commit_and_abort_together (void **state)
{
    s_commit_with (XIECHA__IMPORT_REQUEST__STEP__ABORT);
}

static void
test_commit_and_bad_rows_together (void **state)
{
    s_commit_with (XIECHA__IMPORT_REQUEST__STEP__ROWS);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_bad_request_alone),
        cmocka_unit_test (test_commit_and_abort_together),
        cmocka_unit_test (test_commit_and_bad_rows_together),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
