/*  itest_subjects.c - a query of many subjects (batch re-verification):
    up to limits/query_subjects (10,000 by default) answered in one
    certificate, one signature; one more refused with a clear error.

    Ding'an 469021 (residence) asks Tunxi 341002 (registration), whose
    roster pays DIBAO to S_PAID of the people asked about and paid one
    more until 2024.  Over the client library, a query of 10,000 people
    is answered in one certificate with the right status for each, in
    order; over the real CLI (`xiecha query --members FILE --out`) the
    same, shown as a summary, and the saved certificate verifies offline
    (`xiecha cert verify`).  A terminal's request of 10,001 is refused
    by Ding'an naming its maximum; a peer's query of 10,001 is refused
    by Tunxi with a signed ERR_TOO_BIG naming it, without a lookup; and
    Tunxi goes on answering.  The subject rate is raised so the queries
    need not wait for the bucket (limits.h); the burst is the default,
    which holds one full query. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xt_fed.h"
#include "xt_id.h"

enum { DINGAN = 0, TUNXI = 1 };
#define S_MAX 10000       /* limits/query_subjects, the default */
#define S_PAID 10         /* of them on Tunxi's roster: every 1000th + 7 */
#define S_ENDED 5         /* paid until 2024: NOT_RECEIVING */

static xt_fed_t *fed;

/*  Person i of the query (0: the applicant), a Tunxi-registered ID. */
static const char *
s_id (size_t i)
{
    static char ids[2][XT_ID_SIZE];
    static int turn;
    char *id = ids[turn++ & 1];
    xt_id_make ("341002", 5000 + i, id);
    return id;
}

static int
s_paid (size_t i)
{
    return i % 1000 == 7;
}

/*  Tunxi's roster: S_PAID people receive DIBAO, one received it. */
static void
s_roster (void)
{
    xc_client_t *c = xt_fed_client_ms (fed, TUNXI, 60000);
    xc_import_t *im = xc_import_new (c);
    assert_non_null (im);
    char why[512];
    uint32_t line = 1;
    for (size_t i = 0; i < S_MAX; i++)
        if (s_paid (i))
            assert_int_equal (xc_import_add (im, s_id (i),
                                             XIECHA__PROGRAM__DIBAO, 20250101,
                                             0, line++, why, sizeof why), 0);
    assert_int_equal (xc_import_add (im, s_id (S_ENDED),
                                     XIECHA__PROGRAM__DIBAO, 20240101,
                                     20241231, line++, why, sizeof why), 0);
    uint64_t subjects = 0;
    if (xc_import_commit (im, NULL, NULL, &subjects, why, sizeof why) != 0)
        fail_msg ("roster import: %s", why);
    xc_import_destroy (&im);
    xc_client_destroy (&c);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t o = {.codes = codes, .count = 2, .rogue = true,
                       .deadline_ms = 60000,
                       .limits = "    peer_subjects_per_s = 1000000\n"};
    fed = xt_fed_new_opts (&o);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    s_roster ();
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  The people of a query of n: an owned array of n - 1 members, ids
    copied (s_id reuses its buffers). */
typedef struct {
    char (*ids)[XT_ID_SIZE];
    xc_person_t *members;
    xc_query_t q;
} s_batch_t;

static void
s_batch (s_batch_t *b, size_t n)
{
    static int dibao[] = {XIECHA__PROGRAM__DIBAO};
    b->ids = calloc (n, sizeof *b->ids);
    b->members = calloc (n, sizeof *b->members);
    assert_true (b->ids && b->members);
    for (size_t i = 0; i < n; i++) {
        memcpy (b->ids[i], s_id (i), XT_ID_SIZE);
        if (i)
            b->members[i - 1] = (xc_person_t) {.id_number = b->ids[i],
                                               .name = "x"};
    }
    b->q = (xc_query_t) {.home_county = "341002",
                         .applicant = {.id_number = b->ids[0], .name = "x"},
                         .members = b->members, .member_count = n - 1,
                         .programs = dibao, .program_count = 1};
}

static void
s_batch_free (s_batch_t *b)
{
    free (b->ids);
    free (b->members);
}

/*  Every result in query order, with the status the roster says. */
static void
s_expect_results (const Xiecha__Certificate *cert, size_t n)
{
    assert_int_equal (cert->n_results, n);
    size_t receiving = 0, paid = 0;
    for (size_t i = 0; i < n; i++) {
        paid += s_paid (i) != 0;
        const Xiecha__SubjectResult *r = cert->results[i];
        uint8_t ref[XC_REF_LEN];
        xt_fed_ref (fed, s_id (i), ref);
        assert_memory_equal (r->subject.data, ref, XC_REF_LEN);
        if (s_paid (i)) {
            assert_int_equal (r->status, XIECHA__STATUS__RECEIVING);
            assert_int_equal (r->n_enrollments, 1);
            assert_int_equal (r->enrollments[0]->since, 20250101);
            assert_string_equal (r->enrollments[0]->node, "341002");
            receiving++;
        }
        else {
            assert_int_equal (r->status, XIECHA__STATUS__NOT_RECEIVING);
            assert_int_equal (r->n_enrollments, 0);
        }
    }
    assert_int_equal (receiving, paid);
}

/*  Through the client library: 10,000 people, one certificate, one
    signature (the envelope's), each subject answered. */
static void
test_ten_thousand_in_one_certificate (void **state)
{
    s_batch_t b;
    s_batch (&b, S_MAX);
    xc_client_t *c = xt_fed_client_ms (fed, DINGAN, 60000);
    xc_answer_t a;
    char why[1024];
    int rc = xc_client_query (c, &b.q, &a, why, sizeof why);
    if (rc)
        fail_msg ("query of %d: %s", S_MAX, why);
    assert_string_equal (a.opened.msg->header->sender, "341002");
    assert_int_equal (a.opened.env->signature.len, XC_SIG_LEN);
    s_expect_results (a.cert, S_MAX);
    assert_int_equal (S_PAID, S_MAX / 1000);
    fprintf (stderr, "certificate of %d subjects: %zu bytes (budget %zu)\n",
             S_MAX, a.certificate_len, xc_wire_message_max (S_MAX));
    assert_true (a.certificate_len <= xc_wire_message_max (S_MAX));
    xc_answer_free (&a);
    xc_client_destroy (&c);
    s_batch_free (&b);
}

/*  Through the real CLI: members from a file, a summary, the certificate
    saved; then verified offline by `cert verify`, which knows no node's
    maximum. */
static void
test_cli_members_file_and_offline_verify (void **state)
{
    size_t cap = (size_t) S_MAX * (XT_ID_SIZE + 4);
    char *text = calloc (1, cap);
    assert_non_null (text);
    size_t used = (size_t) snprintf (text, cap, "# re-verification\n");
    for (size_t i = 1; i < S_MAX; i++)
        used += (size_t) snprintf (text + used, cap - used, "%s:x\n",
                                   s_id (i));
    char members[PATH_MAX];
    snprintf (members, sizeof members, "%s", xt_fed_write (fed, "members.txt",
                                                           text));
    free (text);
    char cert[PATH_MAX];
    snprintf (cert, sizeof cert, "%s/batch.pem", fed->root);
    char id0[XT_ID_SIZE];
    memcpy (id0, s_id (0), XT_ID_SIZE);
    const char *query[] = {"query", "--id", id0, "--name", "x", "--home",
                           "341002", "--program", "dibao", "--members",
                           members, "--out", cert, "--timeout", "60000",
                           NULL};
    char out[16384];
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, query), 0);
    char want[64];
    snprintf (want, sizeof want, "%d answered: %d ", S_MAX, S_PAID);
    xt_assert_has (out, want);
    /* the summary lists only those receiving, not 10,000 rows */
    assert_true (strlen (out) < 4096);

    const char *root = xt_fed_anchor (fed);
    const char *verify[] = {"cert", "verify", cert, "--trust", fed->trust,
                            "--root", root, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    xt_assert_has (out, "VALID\n");
    xt_assert_has (out, want);
    assert_true (strlen (out) < 4096);
}

/*  One more than the maximum: the terminal's request is refused by its
    own node, a peer's query by the registration node with a signed
    ERR_TOO_BIG; neither costs a lookup, and both nodes go on. */
static void
test_one_more_is_refused (void **state)
{
    s_batch_t b;
    s_batch (&b, S_MAX + 1);
    xc_client_t *c = xt_fed_client_ms (fed, DINGAN, 60000);
    xc_answer_t a;
    char why[1024];
    assert_int_equal (xc_client_query (c, &b.q, &a, why, sizeof why),
                      XC_EINVAL);
    xt_assert_has (why, "members: at most 9999");
    s_batch_free (&b);

    uint8_t *refs = malloc ((size_t) (S_MAX + 1) * XC_REF_LEN);
    assert_non_null (refs);
    xc_random (refs, (size_t) (S_MAX + 1) * XC_REF_LEN);
    uint8_t *bytes = NULL;
    size_t len = 0;
    xt_fed_rogue_query (fed, "341002", refs, S_MAX + 1, 0, NULL, &bytes,
                        &len);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, bytes, len, 30000);
    assert_non_null (f);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (op.msg->error->code, XIECHA__ERROR_CODE__ERR_TOO_BIG);
    xt_assert_has (op.msg->error->message, "10001 subjects, over the maximum "
                   "of 10000");
    xt_assert_has (op.msg->error->message, "limits/query_subjects");
    xc_opened_free (&op);
    zframe_destroy (&f);
    free (bytes);

    /* the rogue's own full query is still answered: no token was taken */
    xt_fed_rogue_query (fed, "341002", refs, S_MAX, 0, NULL, &bytes, &len);
    f = xt_exchange (peer, bytes, len, 30000);
    assert_non_null (f);
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type,
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    assert_int_equal (op.msg->certificate->n_results, S_MAX);
    xc_opened_free (&op);
    zframe_destroy (&f);
    free (bytes);
    free (refs);
    zsock_destroy (&peer);

    /* and Ding'an's household still is */
    s_batch (&b, 3);
    int rc = xc_client_query (c, &b.q, &a, why, sizeof why);
    if (rc)
        fail_msg ("query after the refusals: %s", why);
    s_expect_results (a.cert, 3);
    xc_answer_free (&a);
    xc_client_destroy (&c);
    s_batch_free (&b);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_ten_thousand_in_one_certificate),
        cmocka_unit_test (test_cli_members_file_and_offline_verify),
        cmocka_unit_test (test_one_more_is_refused),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
