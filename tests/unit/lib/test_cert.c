/*  test_cert.c - the one certificate validator (xc_cert_check), a test
    per rule.

    Each weak certificate is sealed with the issuer's real key, so its
    signature holds and only the rule can refuse it: offline through
    xc_cert_verify (what `xiecha cert verify` runs), and bound to a real
    query through xc_cert_check with the query (what the node runs when
    it issues and when it receives). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "xiecha/xiecha.h"

#define NODE_A "469021"   /* residence side, Hainan */
#define NODE_B "110105"   /* registration side, Beijing */
#define T_2026 1767225600000ULL   /* 2026-01-01T00:00:00Z */

static char s_dir[64], s_path[128];
static xc_key_t *s_key[2];        /* 0: node A, 1: node B */
static char s_id[2][XC_KEY_ID_LEN + 1];
static xc_trust_t *s_trust;

/*  A certificate of B for A, all storage inside. */
typedef struct {
    Xiecha__Signed msg;
    Xiecha__Header hdr;
    uint8_t msg_id[XC_MSGID_LEN], qid[XC_MSGID_LEN], digest[XC_HASH_LEN];
    uint8_t ref[2][XC_REF_LEN];
    Xiecha__Certificate cert;
    Xiecha__SubjectResult res[2], *results[2];
    Xiecha__Program programs[2];
    Xiecha__RosterDate roster[2], *rosters[2];
    Xiecha__Enrollment enr, *enrs[1];
} s_cert_t;

/*  Two subjects NOT_RECEIVING of DIBAO, from a roster of ten days
    before; bound to the query q when given, else to made-up ids. */
static void
s_cert (s_cert_t *m, const xc_opened_t *q)
{
    memset (m, 0, sizeof *m);
    xiecha__signed__init (&m->msg);
    xc_header_init (&m->hdr, m->msg_id, XIECHA__MSG_TYPE__MSG_CERTIFICATE,
                    NODE_B, NODE_A, T_2026);
    memset (m->qid, 0x33, sizeof m->qid);
    memset (m->digest, 0x44, sizeof m->digest);
    memset (m->ref[0], 0xa1, XC_REF_LEN);
    memset (m->ref[1], 0xb2, XC_REF_LEN);
    if (q) {
        memcpy (m->qid, q->msg->header->msg_id.data, XC_MSGID_LEN);
        memcpy (m->digest, q->digest, XC_HASH_LEN);
    }
    Xiecha__Certificate *c = &m->cert;
    xiecha__certificate__init (c);
    c->query_id = (ProtobufCBinaryData) {XC_MSGID_LEN, m->qid};
    m->hdr.in_reply_to = c->query_id;
    c->query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, m->digest};
    c->requester = NODE_A;
    for (int i = 0; i < 2; i++) {
        xiecha__subject_result__init (&m->res[i]);
        m->res[i].subject = (ProtobufCBinaryData) {XC_REF_LEN, m->ref[i]};
        m->res[i].status = XIECHA__STATUS__NOT_RECEIVING;
        m->results[i] = &m->res[i];
        xiecha__roster_date__init (&m->roster[i]);
        m->rosters[i] = &m->roster[i];
    }
    c->results = m->results;
    c->n_results = 2;
    m->programs[0] = XIECHA__PROGRAM__DIBAO;
    m->programs[1] = XIECHA__PROGRAM__TEMP;
    c->programs = m->programs;
    c->n_programs = 1;
    m->roster[0].program = XIECHA__PROGRAM__DIBAO;
    m->roster[0].as_of = 20251222;
    m->roster[1].program = XIECHA__PROGRAM__TEMP;
    m->roster[1].as_of = 20251222;
    c->rosters = m->rosters;
    c->n_rosters = 1;
    c->issued_at = T_2026;
    c->valid_until = T_2026 + 86400000;
    c->relation = XIECHA__RELATION__OTHER_PROVINCE;
    m->msg.header = &m->hdr;
    m->msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    m->msg.certificate = c;
}

/*  Makes subject 0 RECEIVING of DIBAO, paid by A since 2025-06-01. */
static void
s_receiving (s_cert_t *m)
{
    xiecha__enrollment__init (&m->enr);
    m->enr.program = XIECHA__PROGRAM__DIBAO;
    m->enr.since = 20250601;
    m->enr.node = NODE_A;
    m->enrs[0] = &m->enr;
    m->res[0].enrollments = m->enrs;
    m->res[0].n_enrollments = 1;
    m->res[0].status = XIECHA__STATUS__RECEIVING;
}

/*  Seals m with B's key and verifies it offline an hour after issue:
    returns the code, why in why. */
static int
s_verify_at (s_cert_t *m, uint64_t at, char *why, size_t why_len)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal (xc_envelope_seal (&m->msg, s_key[1], s_id[1], &buf,
                                        &len), 0);
    xc_opened_t op = {0};
    int rc = xc_cert_verify (buf, len, s_trust, at, &op, why, why_len);
    xc_opened_free (&op);
    free (buf);
    return rc;
}

static int
s_verify (s_cert_t *m, char *why, size_t why_len)
{
    return s_verify_at (m, T_2026 + 3600000, why, why_len);
}

static void
s_refused (s_cert_t *m, int code, const char *want)
{
    char why[400] = "";
    assert_int_equal (s_verify (m, why, sizeof why), code);
    assert_string_equal (why, want);
}

static void
test_sound_certificates_pass (void **state)
{
    (void) state;
    s_cert_t m;
    char why[400] = "";
    s_cert (&m, NULL);
    assert_int_equal (s_verify (&m, why, sizeof why), 0);
    s_receiving (&m);
    assert_int_equal (s_verify (&m, why, sizeof why), 0);
}

static void
test_binding_it_carries (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.hdr.in_reply_to.len = 0;
    s_refused (&m, XC_EBINDING,
               "header.in_reply_to: not certificate.query_id");
    s_cert (&m, NULL);
    m.qid[0] ^= 1;   /* query_id changes, in_reply_to is a copy */
    m.hdr.in_reply_to.data = (uint8_t *) "0123456789abcdef";
    s_refused (&m, XC_EBINDING,
               "header.in_reply_to: not certificate.query_id");

    s_cert (&m, NULL);
    m.cert.requester = "341002";
    s_refused (&m, XC_EBINDING,
               "certificate.requester: not header.recipient 469021");

    s_cert (&m, NULL);
    m.cert.relation = XIECHA__RELATION__SAME_CITY;
    s_refused (&m, XC_EMALFORMED, "certificate.relation: says SAME_CITY but "
                                  "469021 and 110105 are OTHER_PROVINCE");
    m.cert.relation = XIECHA__RELATION__RELATION_UNSPECIFIED;
    s_refused (&m, XC_EMALFORMED, "certificate.relation: says "
                                  "RELATION_UNSPECIFIED but 469021 and "
                                  "110105 are OTHER_PROVINCE");
}

/*  created_at 0 alone: the validator names it (xc_cert_check itself, as
    the key's window would refuse a time of 0 first). */
static void
test_created_at_set (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.hdr.created_at = 0;
    char why[400] = "";
    assert_int_equal (xc_cert_check (&m.hdr, &m.cert, NULL, s_trust, why,
                                     sizeof why), XC_EMALFORMED);
    assert_string_equal (why, "header.created_at: 0, a certificate is made "
                              "at a time");
}

static void
test_times (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.cert.issued_at = 0;
    s_refused (&m, XC_EMALFORMED, "certificate.issued_at: 0");
    s_cert (&m, NULL);
    m.cert.valid_until = m.cert.issued_at;
    s_refused (&m, XC_EMALFORMED,
               "certificate.valid_until: not after issued_at");
}

static void
test_programs (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.cert.n_programs = 0;
    m.cert.n_rosters = 0;
    s_refused (&m, XC_EMALFORMED,
               "certificate.programs: no program checked");
    s_cert (&m, NULL);
    m.programs[1] = XIECHA__PROGRAM__DIBAO;
    m.roster[1].program = XIECHA__PROGRAM__DIBAO;
    m.cert.n_programs = m.cert.n_rosters = 2;
    s_refused (&m, XC_EMALFORMED,
               "certificate.programs[1]: DIBAO checked twice");
    s_cert (&m, NULL);
    m.programs[0] = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    s_refused (&m, XC_EMALFORMED,
               "certificate.programs[0]: unknown program 0");
}

static void
test_results (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.cert.n_results = 0;
    s_refused (&m, XC_EMALFORMED, "certificate.results: no subject answered");

    s_cert (&m, NULL);
    m.res[1].status = XIECHA__STATUS__STATUS_UNSPECIFIED;
    s_refused (&m, XC_EMALFORMED, "certificate.results[1].status: 0 is "
                                  "neither NOT_RECEIVING nor RECEIVING");

    s_cert (&m, NULL);
    m.res[0].status = XIECHA__STATUS__RECEIVING;
    s_refused (&m, XC_EMALFORMED,
               "certificate.results[0]: RECEIVING with 0 enrollments");

    s_cert (&m, NULL);
    s_receiving (&m);
    m.res[0].status = XIECHA__STATUS__NOT_RECEIVING;
    s_refused (&m, XC_EMALFORMED,
               "certificate.results[0]: NOT_RECEIVING with 1 enrollments");
}

static void
test_enrollments (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    s_receiving (&m);
    m.enr.program = XIECHA__PROGRAM__TEKUN;
    s_refused (&m, XC_EMALFORMED, "certificate.results[0].enrollments[0]: "
                                  "TEKUN, a program the certificate did not "
                                  "check");
    s_cert (&m, NULL);
    s_receiving (&m);
    m.enr.node = "46902";
    s_refused (&m, XC_EMALFORMED, "certificate.results[0].enrollments[0]"
                                  ".node: not a division code");
    s_cert (&m, NULL);
    s_receiving (&m);
    m.enr.until = 20250501;
    s_refused (&m, XC_EMALFORMED, "certificate.results[0].enrollments[0]: "
                                  "since 20250601, until 20250501 is not a "
                                  "period");
    s_cert (&m, NULL);
    s_receiving (&m);
    /* Issued 2026-01-01T00:00Z: a civil 2025-12-31 west of UTC, a
       2026-01-01 from UTC to UTC+14; no zone's day was 2025-12-30. */
    m.enr.until = 20251230;
    s_refused (&m, XC_EMALFORMED, "certificate.results[0].enrollments[0]: "
                                  "not active on the day the certificate "
                                  "was issued");
    s_cert (&m, NULL);
    s_receiving (&m);
    m.enr.since = 20260102;   /* no zone had begun 2026-01-02 */
    s_refused (&m, XC_EMALFORMED, "certificate.results[0].enrollments[0]: "
                                  "not active on the day the certificate "
                                  "was issued");
    char why[400] = "";
    s_cert (&m, NULL);
    s_receiving (&m);
    m.enr.until = 20251231;   /* an issuer at UTC-5: still its last day */
    assert_int_equal (s_verify (&m, why, sizeof why), 0);
    /* Beijing at 01:00 on 2 January is 17:00Z on the 1st: an enrollment
       that began that day is active on the issuer's day.  (Before the
       zone window, every node in China refused to certify such a person
       from midnight to 08:00.) */
    s_cert (&m, NULL);
    s_receiving (&m);
    m.hdr.created_at = m.cert.issued_at = T_2026 + 17 * 3600 * 1000ULL;
    m.enr.since = 20260102;
    if (s_verify_at (&m, m.cert.issued_at + 60000, why, sizeof why) != 0)
        fail_msg ("refused: %s", why);
}

/*  One roster date per program checked, each the program's. */
static void
test_rosters (void **state)
{
    (void) state;
    s_cert_t m;
    s_cert (&m, NULL);
    m.cert.n_rosters = 0;
    s_refused (&m, XC_EMALFORMED, "certificate.rosters: 0 roster dates for 1 "
                                  "programs checked");
    s_cert (&m, NULL);
    m.roster[0].program = XIECHA__PROGRAM__TEMP;
    s_refused (&m, XC_EMALFORMED,
               "certificate.rosters[0]: not the roster date of DIBAO");
}

/*  Bound to a real query: what only the node, which holds the query, can
    check. */
static void
test_query_binding (void **state)
{
    (void) state;
    uint8_t id[XC_MSGID_LEN], refs[2][XC_REF_LEN];
    memset (refs[0], 0xa1, XC_REF_LEN);
    memset (refs[1], 0xb2, XC_REF_LEN);
    ProtobufCBinaryData subjects[2] = {{XC_REF_LEN, refs[0]},
                                       {XC_REF_LEN, refs[1]}};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Query q = XIECHA__QUERY__INIT;
    q.n_subjects = 2;
    q.subjects = subjects;
    q.n_programs = 1;
    q.programs = &dibao;
    q.relation = XIECHA__RELATION__OTHER_PROVINCE;
    Xiecha__Header h = XIECHA__HEADER__INIT;
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_QUERY, NODE_A, NODE_B,
                    T_2026 - 1000);
    Xiecha__Signed qs = XIECHA__SIGNED__INIT;
    qs.header = &h;
    qs.body_case = XIECHA__SIGNED__BODY_QUERY;
    qs.query = &q;
    uint8_t *qbuf = NULL;
    size_t qlen = 0;
    assert_int_equal (xc_envelope_seal (&qs, s_key[0], s_id[0], &qbuf,
                                        &qlen), 0);
    xc_opened_t query = {0};
    assert_int_equal (xc_envelope_open (qbuf, qlen, &query, NULL, 0), 0);

    s_cert_t m;
    char why[400] = "";
    s_cert (&m, &query);
    assert_int_equal (xc_cert_check (&m.hdr, &m.cert, &query, s_trust, why,
                                     sizeof why), 0);
#define S_CASE(stmt, text)                                                   \
    do {                                                                     \
        s_cert (&m, &query);                                                 \
        stmt;                                                                \
        assert_int_equal (xc_cert_check (&m.hdr, &m.cert, &query, s_trust,   \
                                         why, sizeof why), XC_EBINDING);     \
        assert_string_equal (why, text);                                     \
    } while (0)
    S_CASE ((m.qid[0] ^= 1, m.hdr.in_reply_to = m.cert.query_id),
            "certificate.query_id: not the id of our query");
    S_CASE (m.digest[0] ^= 1,
            "certificate.query_digest: not the digest of our query");
    S_CASE ((m.cert.requester = "469028", m.hdr.recipient = "469028",
             m.cert.relation = XIECHA__RELATION__OTHER_PROVINCE),
            "certificate.requester: issued to 469028, not to 469021");
    S_CASE ((m.hdr.sender = "110108"),
            "header.sender: answer from 110108 to a query sent to 110105");
    S_CASE (m.cert.n_results = 1,
            "certificate.results: 1 results for 2 subjects");
    S_CASE ((m.res[0].subject = m.res[1].subject),
            "certificate.results[0].subject: not the subject we asked "
            "about");
    S_CASE ((m.programs[0] = XIECHA__PROGRAM__TEMP,
             m.roster[0].program = XIECHA__PROGRAM__TEMP),
            "certificate.programs: not the programs of the query");
#undef S_CASE
    xc_opened_free (&query);
    free (qbuf);
}

static int
s_setup (void **state)
{
    (void) state;
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-test-cert-XXXXXX");
    if (!mkdtemp (s_dir))
        return -1;
    snprintf (s_path, sizeof s_path, "%s/trust.zpl", s_dir);
    char hex[2][2 * XC_PUBKEY_LEN + 1], curve[2][41];
    for (int i = 0; i < 2; i++) {
        s_key[i] = xc_key_generate ();
        uint8_t pub[XC_PUBKEY_LEN], raw[32];
        xc_key_public (s_key[i], pub);
        xc_hex (pub, sizeof pub, hex[i]);
        xc_key_id (pub, s_id[i]);
        xc_random (raw, sizeof raw);
        zmq_z85_encode (curve[i], raw, sizeof raw);
    }
    FILE *f = fopen (s_path, "w");
    if (!f)
        return -1;
    fprintf (f, "trust\n    version = 1\n"
             "    node\n        code = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n"
             "    node\n        code = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n",
             NODE_A, curve[0], hex[0], NODE_B, curve[1], hex[1]);
    fclose (f);
    char why[256] = "";
    s_trust = xc_trust_load (s_path, why, sizeof why);
    if (!s_trust)
        fprintf (stderr, "trust: %s\n", why);
    return s_trust ? 0 : -1;
}

static int
s_teardown (void **state)
{
    (void) state;
    xc_trust_destroy (&s_trust);
    for (int i = 0; i < 2; i++)
        xc_key_destroy (&s_key[i]);
    unlink (s_path);
    return rmdir (s_dir);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_sound_certificates_pass),
        cmocka_unit_test (test_binding_it_carries),
        cmocka_unit_test (test_created_at_set),
        cmocka_unit_test (test_times),
        cmocka_unit_test (test_programs),
        cmocka_unit_test (test_results),
        cmocka_unit_test (test_enrollments),
        cmocka_unit_test (test_rosters),
        cmocka_unit_test (test_query_binding),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
