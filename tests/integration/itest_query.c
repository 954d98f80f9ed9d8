/*  itest_query.c - three real nodes answer real cross-jurisdiction
    queries: Ding'an 469021 and Lingshui 469028 (Hainan), Tunxi 341002
    (Anhui).  Every refusal case is played by the rogue peer of the
    harness against a live daemon, which must survive it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    /* Lingshui applies the city preset: 3/6/12 months of residence. */
    xt_fed_policy (fed, LINGSHUI, "city-residence-months.zpl");
    for (size_t i = 0; i < 3; i++)
        xt_fed_start (fed, i);
    /* Tunxi's roster: one DIBAO recipient, one whose aid ended. */
    char csv[512];
    snprintf (csv, sizeof csv,
              "id_number,name,program,since,until\n"
              "%s,Wang Fang,dibao,2024-03-01\n"
              "%s,Li Lei,tekun,2019-01-01,2020-12-31\n",
              xt_id ("34100219800101123"), xt_id ("34100219751111456"));
    const char *roster = xt_fed_write (fed, "roster.csv", csv);
    const char *args[] = {"import", roster, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, args), 0);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

static int
s_query (const char *id, const xc_person_t *members, size_t n,
         xc_answer_t *a, char *why)
{
    static const int programs[] = {XIECHA__PROGRAM__DIBAO,
                                   XIECHA__PROGRAM__TEKUN};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {id, "Applicant"},
                    .members = members,
                    .member_count = n,
                    .programs = programs,
                    .program_count = 2};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    int rc = xc_client_query (c, &q, a, why, 512);
    xc_client_destroy (&c);
    return rc;
}

static void
test_not_receiving (void **state)
{
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = s_query (xt_id ("11010519491231002"), NULL, 0, &a, why);
    assert_int_equal (rc, 0);
    assert_string_equal (a.opened.msg->header->sender, "341002");
    assert_int_equal (a.cert->n_results, 1);
    assert_int_equal (a.cert->results[0]->status, XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (a.relation, XIECHA__RELATION__OTHER_PROVINCE);
    xc_answer_free (&a);
}

static void
test_receiving (void **state)
{
    xc_answer_t a = {0};
    char why[512] = "";
    assert_int_equal (s_query (xt_id ("34100219800101123"), NULL, 0, &a, why), 0);
    const Xiecha__SubjectResult *r = a.cert->results[0];
    assert_int_equal (r->status, XIECHA__STATUS__RECEIVING);
    assert_int_equal (r->n_enrollments, 1);
    assert_int_equal (r->enrollments[0]->program, XIECHA__PROGRAM__DIBAO);
    assert_int_equal (r->enrollments[0]->since, 20240301);
    assert_string_equal (r->enrollments[0]->node, "341002");
    /* The subject ref in the certificate is the salted hash, not the ID. */
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    assert_memory_equal (r->subject.data, ref, XC_REF_LEN);
    xc_answer_free (&a);
}

static void
test_ended_aid_is_not_receiving (void **state)
{
    xc_answer_t a = {0};
    char why[512] = "";
    assert_int_equal (s_query (xt_id ("34100219751111456"), NULL, 0, &a, why), 0);
    assert_int_equal (a.cert->results[0]->status,
                      XIECHA__STATUS__NOT_RECEIVING);
    xc_answer_free (&a);
}

static void
test_household_one_member_receiving (void **state)
{
    xc_person_t members[] = {{xt_id ("34100219800101123"), "Wang Fang"},
                             {xt_id ("34100220100505001"), "Child"}};
    xc_answer_t a = {0};
    char why[512] = "";
    assert_int_equal (s_query (xt_id ("34100219790202002"), members, 2, &a,
                               why), 0);
    assert_int_equal (a.cert->n_results, 3);
    assert_int_equal (a.cert->results[0]->status, XIECHA__STATUS__NOT_RECEIVING);
    assert_int_equal (a.cert->results[1]->status, XIECHA__STATUS__RECEIVING);
    assert_int_equal (a.cert->results[2]->status, XIECHA__STATUS__NOT_RECEIVING);
    xc_answer_free (&a);
}

static void
test_bad_id_refused_with_field (void **state)
{
    char id[19];
    snprintf (id, sizeof id, "%s", xt_id ("11010519491231002"));
    id[17] = id[17] == '1' ? '2' : '1';   /* wrong check character */
    xc_answer_t a = {0};
    char why[512] = "";
    assert_int_equal (s_query (id, NULL, 0, &a, why), XC_EINVAL);
    assert_non_null (strstr (why, "applicant.id_number"));
    /* The CLI says the same and exits 2. */
    const char *args[] = {"query", "--id", id, "--name", "X", "--home",
                          "341002", "--program", "dibao", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, args), 2);
}

static void
test_cli_query_saves_certificate_that_verifies_offline (void **state)
{
    char out[8192], path[PATH_MAX];
    snprintf (path, sizeof path, "%s/cert.pem", fed->root);
    const char *args[] = {"query", "--id", xt_id ("34100219800101123"),
                          "--name", "Wang Fang", "--home", "341002",
                          "--program", "dibao", "--out", path, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    assert_non_null (strstr (out, "\"RECEIVING\""));
    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    assert_non_null (strstr (out, "VALID"));

    /* One changed character in the armored body makes it invalid. */
    FILE *f = fopen (path, "r+");
    assert_non_null (f);
    fseek (f, 40, SEEK_SET);
    int ch = fgetc (f);
    fseek (f, 40, SEEK_SET);
    fputc (ch == 'A' ? 'B' : 'A', f);
    fclose (f);
    assert_int_not_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
}

static void
test_repeated_query_returns_identical_certificate (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *a1 = xt_exchange (peer, q, qlen, 5000);
    zframe_t *a2 = xt_exchange (peer, q, qlen, 5000);
    assert_non_null (a1);
    assert_non_null (a2);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (a1), zframe_size (a1), &op,
                                        NULL, 0), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    xc_opened_free (&op);
    assert_true (zframe_eq (a1, a2));
    zframe_destroy (&a1);
    zframe_destroy (&a2);
    zsock_destroy (&peer);
    free (q);
}

/*  Sends bytes as the rogue peer; expects a signed error of that code. */
static void
s_expect_error (const uint8_t *bytes, size_t len, int errcode,
                const char *why_part)
{
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, bytes, len, 5000);
    assert_non_null (f);
    xc_opened_t op = {0};
    char why[256];
    xc_trust_t *trust = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (trust);
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (xc_envelope_verify (&op, trust, why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (op.msg->error->code, errcode);
    if (why_part && !strstr (op.msg->error->message, why_part))
        fail_msg ("error '%s' does not mention '%s'", op.msg->error->message,
                  why_part);
    xc_opened_free (&op);
    xc_trust_destroy (&trust);
    zframe_destroy (&f);
    zsock_destroy (&peer);
    /* And the node still serves. */
    xc_answer_t a = {0};
    assert_int_equal (s_query (xt_id ("11010519491231002"), NULL, 0, &a, why), 0);
    xc_answer_free (&a);
}

static void
test_forged_signature_refused (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    /* The signature is the 64 bytes after the signed part: flip one. */
    Xiecha__Envelope *env = xiecha__envelope__unpack (NULL, qlen, q);
    env->signature.data[10] ^= 0x40;
    uint8_t buf[4096];
    size_t len = xiecha__envelope__pack (env, buf);
    xiecha__envelope__free_unpacked (env, NULL);
    s_expect_error (buf, len, XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE,
                    "signature");
    free (q);
}

static void
test_replayed_id_with_other_content_refused (void **state)
{
    uint8_t ref[2 * XC_REF_LEN], id[XC_MSGID_LEN], *q = NULL;
    size_t qlen = 0;
    xc_random (id, sizeof id);
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_ref (fed, xt_id ("11010519491231002"), ref + XC_REF_LEN);
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, id, &q, &qlen);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, q, qlen, 5000);
    assert_non_null (f);
    zframe_destroy (&f);
    zsock_destroy (&peer);
    free (q);
    /* Same id, another subject: a replay. */
    xt_fed_rogue_query (fed, "341002", ref + XC_REF_LEN, 1, 0, id, &q, &qlen);
    s_expect_error (q, qlen, XIECHA__ERROR_CODE__ERR_REPLAY, "already used");
    free (q);
}

static void
test_stale_and_future_timestamps_refused (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "341002", ref, 1, xc_now_ms () - 3600 * 1000, NULL,
                        &q, &qlen);
    s_expect_error (q, qlen, XIECHA__ERROR_CODE__ERR_STALE, "behind");
    free (q);
    xt_fed_rogue_query (fed, "341002", ref, 1, xc_now_ms () + 3600 * 1000, NULL,
                        &q, &qlen);
    s_expect_error (q, qlen, XIECHA__ERROR_CODE__ERR_FUTURE, "ahead");
    free (q);
}

static void
test_wrong_recipient_and_malformed_refused (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "469028", ref, 1, 0, NULL, &q, &qlen);
    s_expect_error (q, qlen, XIECHA__ERROR_CODE__ERR_WRONG_RECIPIENT,
                    "469028");
    free (q);
    /* Garbage gets no answer (no sender is known) but is logged, and the
       node survives it (s_query inside proves that). */
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    static const uint8_t junk[] = "\x0a\xff\xff\xff\x0fnot an envelope";
    zframe_t *f = xt_exchange (peer, junk, sizeof junk, 1000);
    assert_null (f);
    zsock_destroy (&peer);
    assert_true (xt_fed_log_count (fed, TUNXI, "refused message") >= 1);
}

static void
test_oversized_message_dropped_node_survives (void **state)
{
    size_t big = 2 * 1024 * 1024;
    uint8_t *buf = calloc (1, big);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, buf, big, 1000);
    assert_null (f);
    zsock_destroy (&peer);
    free (buf);
    xc_answer_t a = {0};
    char why[512];
    assert_int_equal (s_query (xt_id ("11010519491231002"), NULL, 0, &a, why), 0);
    xc_answer_free (&a);
    assert_true (xt_fed_alive (fed, TUNXI));
}

static void
test_unknown_curve_key_cannot_connect (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    zsock_t *stranger = xt_fed_peer (fed, TUNXI, 1);
    zframe_t *f = xt_exchange (stranger, q, qlen, 1500);
    assert_null (f);
    zsock_destroy (&stranger);
    free (q);
    assert_true (xt_fed_log_count (fed, TUNXI, "not in the trust list") >= 1);
    assert_true (xt_fed_alive (fed, TUNXI));
}

static void
test_registration_node_down_exits_3 (void **state)
{
    xt_fed_stop (fed, TUNXI, 0);
    const char *args[] = {"query", "--id", xt_id ("11010519491231002"),
                          "--name", "X", "--home", "341002", "--program",
                          "dibao", NULL};
    uint64_t t0 = xc_now_ms ();
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, args), 3);
    /* The node's deadline is 1.5 s; the answer comes at the deadline, not
       at the client's own 10 s timeout. */
    assert_true (xc_now_ms () - t0 < 8000);
    xt_fed_start (fed, TUNXI);
    /* Back up: the same query is answered again. */
    assert_int_equal (xt_fed_cli (fed, DINGAN, NULL, 0, args), 0);
}

static int
s_policy_query (int program, uint32_t months, int emergency, char *why)
{
    const int programs[] = {program};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id ("11010519491231002"), "Applicant"},
                    .programs = programs,
                    .program_count = 1,
                    .residence_months = months,
                    .emergency = emergency};
    xc_client_t *c = xt_fed_client (fed, LINGSHUI);
    xc_answer_t a = {0};
    int rc = xc_client_query (c, &q, &a, why, 512);
    xc_answer_free (&a);
    xc_client_destroy (&c);
    return rc;
}

static void
test_policy_refuses_before_any_network_traffic (void **state)
{
    char why[512] = "";
    uint64_t home_before = xt_fed_audit_entries (fed, TUNXI);
    assert_int_equal (s_policy_query (XIECHA__PROGRAM__DIBAO, 5, 0, why),
                      XC_EPOLICY);
    assert_non_null (strstr (why, "residence/dibao_months"));
    /* The registration node saw nothing. */
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), home_before);
    /* Six months is enough; an emergency needs none for TEMP. */
    assert_int_equal (s_policy_query (XIECHA__PROGRAM__DIBAO, 6, 0, why), 0);
    assert_int_equal (s_policy_query (XIECHA__PROGRAM__TEMP, 0, 0, why),
                      XC_EPOLICY);
    assert_int_equal (s_policy_query (XIECHA__PROGRAM__TEMP, 0, 1, why), 0);
    assert_true (xt_fed_audit_entries (fed, TUNXI) > home_before);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_not_receiving),
        cmocka_unit_test (test_receiving),
        cmocka_unit_test (test_ended_aid_is_not_receiving),
        cmocka_unit_test (test_household_one_member_receiving),
        cmocka_unit_test (test_bad_id_refused_with_field),
        cmocka_unit_test (test_cli_query_saves_certificate_that_verifies_offline),
        cmocka_unit_test (test_repeated_query_returns_identical_certificate),
        cmocka_unit_test (test_forged_signature_refused),
        cmocka_unit_test (test_replayed_id_with_other_content_refused),
        cmocka_unit_test (test_stale_and_future_timestamps_refused),
        cmocka_unit_test (test_wrong_recipient_and_malformed_refused),
        cmocka_unit_test (test_oversized_message_dropped_node_survives),
        cmocka_unit_test (test_unknown_curve_key_cannot_connect),
        cmocka_unit_test (test_policy_refuses_before_any_network_traffic),
        cmocka_unit_test (test_registration_node_down_exits_3),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
