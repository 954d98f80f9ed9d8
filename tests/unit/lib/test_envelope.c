/*  test_envelope.c - seal, open, verify, and offline certificate checks.

    The tamper test is the one that matters most: no envelope with any
    single bit changed may be accepted. */
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

#define NODE_A "469021"   /* residence side */
#define NODE_B "110105"   /* registration side */
#define T_2025 1735689600000ULL   /* 2025-01-01T00:00:00Z */
#define T_2026 1767225600000ULL   /* 2026-01-01T00:00:00Z */
#define T_2026_06 1782864000000ULL /* 2026-07-01T00:00:00Z */
#define T_2027 1798761600000ULL   /* 2027-01-01T00:00:00Z */
#define T_2028 1830297600000ULL   /* 2028-01-01T00:00:00Z */

static char s_dir[64];
static char s_path[128];
/* key 0: node A, always valid; key 1: node B; key 2: node A, valid only
   during 2026. */
static xc_key_t *s_key[3];
static char s_id[3][XC_KEY_ID_LEN + 1];
static xc_trust_t *s_trust;

/*  One message under construction; all storage is inside. */
typedef struct {
    Xiecha__Signed msg;
    Xiecha__Header hdr;
    uint8_t msg_id[XC_MSGID_LEN];
    Xiecha__Query query;
    uint8_t subj[2][XC_REF_LEN];
    ProtobufCBinaryData subjects[XC_MAX_HOUSEHOLD + 1];
    Xiecha__Program programs[2];
    Xiecha__Certificate cert;
    uint8_t qid[XC_MSGID_LEN], qdigest[XC_HASH_LEN];
    Xiecha__SubjectResult result;
    Xiecha__SubjectResult *results[1];
    Xiecha__RosterDate roster;
    Xiecha__RosterDate *rosters[1];
    Xiecha__Enrollment enrollment;
    Xiecha__Enrollment *enrollments[1];
    Xiecha__Error err;
} s_msg_t;

static void
s_header (s_msg_t *m, Xiecha__MsgType type, const char *sender,
          const char *recipient, uint64_t created)
{
    xiecha__signed__init (&m->msg);
    xc_header_init (&m->hdr, m->msg_id, type, sender, recipient, created);
    m->msg.header = &m->hdr;
}

static void
s_query (s_msg_t *m, const char *sender, uint64_t created)
{
    memset (m, 0, sizeof *m);
    s_header (m, XIECHA__MSG_TYPE__MSG_QUERY, sender, NODE_B, created);
    xiecha__query__init (&m->query);
    memset (m->subj[0], 0xa1, XC_REF_LEN);
    memset (m->subj[1], 0xb2, XC_REF_LEN);
    for (int i = 0; i < 2; i++) {
        m->subjects[i].data = m->subj[i];
        m->subjects[i].len = XC_REF_LEN;
    }
    m->query.subjects = m->subjects;
    m->query.n_subjects = 2;
    m->programs[0] = XIECHA__PROGRAM__DIBAO;
    m->programs[1] = XIECHA__PROGRAM__TEMP;
    m->query.programs = m->programs;
    m->query.n_programs = 2;
    m->query.relation = XIECHA__RELATION__OTHER_PROVINCE;
    m->msg.body_case = XIECHA__SIGNED__BODY_QUERY;
    m->msg.query = &m->query;
}

static void
s_cert (s_msg_t *m, uint64_t created, uint64_t issued, uint64_t until)
{
    memset (m, 0, sizeof *m);
    s_header (m, XIECHA__MSG_TYPE__MSG_CERTIFICATE, NODE_B, NODE_A, created);
    xiecha__certificate__init (&m->cert);
    memset (m->qid, 0x33, sizeof m->qid);
    memset (m->qdigest, 0x44, sizeof m->qdigest);
    memset (m->subj[0], 0xa1, XC_REF_LEN);
    m->cert.query_id.data = m->qid;
    m->cert.query_id.len = sizeof m->qid;
    m->hdr.in_reply_to = m->cert.query_id;
    m->cert.query_digest.data = m->qdigest;
    m->cert.query_digest.len = sizeof m->qdigest;
    m->cert.requester = NODE_A;
    xiecha__subject_result__init (&m->result);
    m->result.subject.data = m->subj[0];
    m->result.subject.len = XC_REF_LEN;
    m->result.status = XIECHA__STATUS__NOT_RECEIVING;
    m->results[0] = &m->result;
    m->cert.results = m->results;
    m->cert.n_results = 1;
    m->programs[0] = XIECHA__PROGRAM__DIBAO;
    m->cert.programs = m->programs;
    m->cert.n_programs = 1;
    /* a roster of ten days before, well within the default 45 */
    xiecha__roster_date__init (&m->roster);
    m->roster.program = XIECHA__PROGRAM__DIBAO;
    m->roster.as_of = xc_date_of_days (xc_date_days (xc_date_from_ms (issued))
                                       - 10);
    m->rosters[0] = &m->roster;
    m->cert.rosters = m->rosters;
    m->cert.n_rosters = 1;
    m->cert.issued_at = issued;
    m->cert.valid_until = until;
    m->cert.relation = XIECHA__RELATION__OTHER_PROVINCE;
    m->msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    m->msg.certificate = &m->cert;
}

static size_t
s_seal (s_msg_t *m, int key, uint8_t **out)
{
    size_t len = 0;
    assert_int_equal (xc_envelope_seal (&m->msg, s_key[key], s_id[key], out,
                                        &len), 0);
    return len;
}

/*  Builds an envelope by hand around arbitrary signed bytes. */
static size_t
s_raw_envelope (const uint8_t *signed_bytes, size_t signed_len,
                const uint8_t *sig, size_t sig_len, const char *key_id,
                uint8_t **out)
{
    Xiecha__Envelope env = XIECHA__ENVELOPE__INIT;
    env.signed_.data = (uint8_t *) signed_bytes;
    env.signed_.len = signed_len;
    env.signature.data = (uint8_t *) sig;
    env.signature.len = sig_len;
    env.key_id = (char *) key_id;
    size_t len = xiecha__envelope__get_packed_size (&env);
    *out = malloc (len + 1);
    xiecha__envelope__pack (&env, *out);
    return len;
}

/*  Seals a message that open must refuse, and checks the message. */
static void
s_expect_open_fail (s_msg_t *m, int code, const char *why_expected)
{
    uint8_t *buf = NULL;
    size_t len = s_seal (m, 0, &buf);
    xc_opened_t opened;
    char why[256] = "";
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      code);
    assert_string_equal (why, why_expected);
    xc_opened_free (&opened);
    free (buf);
}

static int
s_setup (void **state)
{
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-test-envelope-XXXXXX");
    if (!mkdtemp (s_dir))
        return -1;
    snprintf (s_path, sizeof s_path, "%s/trust.zpl", s_dir);
    char hex[3][2 * XC_PUBKEY_LEN + 1], curve[2][41];
    for (int i = 0; i < 3; i++) {
        s_key[i] = xc_key_generate ();
        uint8_t pub[XC_PUBKEY_LEN];
        xc_key_public (s_key[i], pub);
        xc_hex (pub, sizeof pub, hex[i]);
        xc_key_id (pub, s_id[i]);
    }
    for (int i = 0; i < 2; i++) {
        uint8_t raw[32];
        xc_random (raw, sizeof raw);
        zmq_z85_encode (curve[i], raw, sizeof raw);
    }
    FILE *f = fopen (s_path, "w");
    if (!f)
        return -1;
    fprintf (f,
             "trust\n    version = 1\n"
             "    node\n        code = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n"
             "        key\n            public = \"%s\"\n"
             "            not_before = \"2026-01-01T00:00:00Z\"\n"
             "            not_after = \"2027-01-01T00:00:00Z\"\n"
             "    node\n        code = \"%s\"\n        curve = \"%s\"\n"
             "        key\n            public = \"%s\"\n",
             NODE_A, curve[0], hex[0], hex[2], NODE_B, curve[1], hex[1]);
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
    xc_trust_destroy (&s_trust);
    for (int i = 0; i < 3; i++)
        xc_key_destroy (&s_key[i]);
    unlink (s_path);
    return rmdir (s_dir);
}

static void
test_roundtrip_query (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 0, &buf);

    xc_opened_t opened;
    char why[256] = "";
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      0);
    const Xiecha__Signed *msg = opened.msg;
    assert_int_equal (msg->header->version, 1);
    assert_int_equal (msg->header->type, XIECHA__MSG_TYPE__MSG_QUERY);
    assert_memory_equal (msg->header->msg_id.data, m.msg_id, XC_MSGID_LEN);
    assert_string_equal (msg->header->sender, NODE_A);
    assert_string_equal (msg->header->recipient, NODE_B);
    assert_int_equal (msg->header->created_at, T_2026);
    assert_int_equal (msg->header->hop_limit, 8);
    assert_int_equal (msg->query->n_subjects, 2);
    assert_memory_equal (msg->query->subjects[1].data, m.subj[1], XC_REF_LEN);
    assert_int_equal (msg->query->programs[1], XIECHA__PROGRAM__TEMP);
    assert_string_equal (opened.env->key_id, s_id[0]);

    /* the digest is over the signed bytes exactly as received */
    uint8_t digest[XC_HASH_LEN];
    xc_sha256 (opened.env->signed_.data, opened.env->signed_.len, digest);
    assert_memory_equal (opened.digest, digest, XC_HASH_LEN);
    /* and those bytes are the serialization of what was sealed */
    size_t plen = xiecha__signed__get_packed_size (&m.msg);
    uint8_t *packed = malloc (plen);
    xiecha__signed__pack (&m.msg, packed);
    assert_int_equal (plen, opened.env->signed_.len);
    assert_memory_equal (packed, opened.env->signed_.data, plen);
    free (packed);

    xc_opened_free (&opened);
    assert_null (opened.env);
    assert_null (opened.msg);
    xc_opened_free (&opened);    /* harmless twice */
    free (buf);
}

static void
test_roundtrip_error (void **state)
{
    s_msg_t m;
    memset (&m, 0, sizeof m);
    s_header (&m, XIECHA__MSG_TYPE__MSG_ERROR, NODE_B, NODE_A, T_2026);
    xiecha__error__init (&m.err);
    m.err.code = XIECHA__ERROR_CODE__ERR_STALE;
    m.err.message = "header.created_at: 3600 s old";
    m.msg.body_case = XIECHA__SIGNED__BODY_ERROR;
    m.msg.error = &m.err;
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 1, &buf);
    xc_opened_t opened;
    char why[256] = "";
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      0);
    assert_int_equal (opened.msg->error->code, XIECHA__ERROR_CODE__ERR_STALE);
    xc_opened_free (&opened);
    free (buf);

    /* a request digest must be empty or 32 bytes */
    uint8_t d[5] = {0};
    m.err.request_digest.data = d;
    m.err.request_digest.len = sizeof d;
    s_expect_open_fail (&m, XC_EMALFORMED, "error.request_digest: must be "
                                           "empty or 32 bytes, got 5");
}

/*  Flips bits of every byte and insists each variant is refused. */
static void
test_every_tamper_fails (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 0, &buf);
    uint8_t *copy = malloc (len);
    size_t variants = 0;
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy (copy, buf, len);
            copy[i] ^= (uint8_t) (1u << bit);
            xc_opened_t opened;
            char why[256] = "";
            int rc = xc_envelope_open (copy, len, &opened, why, sizeof why);
            if (rc == 0)
                rc = xc_envelope_verify (&opened, s_trust, why, sizeof why);
            if (rc == 0)
                fail_msg ("byte %zu bit %d flipped and still accepted", i,
                          bit);
            assert_true (rc == XC_EMALFORMED || rc == XC_ESIG
                         || rc == XC_EUNKNOWN);
            assert_true (why[0] != '\0');
            xc_opened_free (&opened);
            variants++;
        }
    }
    assert_int_equal (variants, len * 8);
    /* truncations are refused too */
    for (size_t cut = 0; cut < len; cut++) {
        xc_opened_t opened;
        int rc = xc_envelope_open (buf, cut, &opened, NULL, 0);
        if (rc == 0)
            rc = xc_envelope_verify (&opened, s_trust, NULL, 0);
        assert_int_not_equal (rc, 0);
        xc_opened_free (&opened);
    }
    free (copy);
    free (buf);
}

static void
test_unknown_key_id (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal (xc_envelope_seal (&m.msg, s_key[0], "0123456789abcdef",
                                        &buf, &len), 0);
    xc_opened_t opened;
    char why[256] = "";
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      XC_EUNKNOWN);
    assert_string_equal (why, "key_id 0123456789abcdef: not in the trust "
                              "list");
    /* without a trust list nothing verifies */
    assert_int_equal (xc_envelope_verify (&opened, NULL, why, sizeof why),
                      XC_EUNKNOWN);
    xc_opened_free (&opened);
    free (buf);

    /* a listed key id that did not make the signature */
    assert_int_equal (xc_envelope_seal (&m.msg, s_key[0], s_id[2], &buf,
                                        &len), 0);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      XC_ESIG);
    char expected[128];
    snprintf (expected, sizeof expected, "signature does not verify with key "
              "%s of node %s", s_id[2], NODE_A);
    assert_string_equal (why, expected);
    xc_opened_free (&opened);
    free (buf);
}

static void
test_key_of_other_node (void **state)
{
    /* node B's key, honestly named, signing a message that claims to
       come from node A */
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 1, &buf);
    xc_opened_t opened;
    char why[256] = "", expected[128];
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      XC_EUNKNOWN);
    snprintf (expected, sizeof expected,
              "key_id %s: belongs to node %s, not to sender %s", s_id[1],
              NODE_B, NODE_A);
    assert_string_equal (why, expected);
    xc_opened_free (&opened);
    free (buf);

    /* a sender that is not in the trust list at all */
    s_query (&m, "469022", T_2026);
    len = s_seal (&m, 0, &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_int_equal (xc_envelope_verify (&opened, s_trust, why, sizeof why),
                      XC_EUNKNOWN);
    xc_opened_free (&opened);
    free (buf);
}

static void
test_key_validity_window (void **state)
{
    const uint64_t times[] = {T_2025, T_2026 - 1, T_2026, T_2026_06, T_2027,
                              T_2027 + 1, T_2028};
    const int ok[] = {0, 0, 1, 1, 1, 0, 0};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        s_msg_t m;
        s_query (&m, NODE_A, times[i]);
        uint8_t *buf = NULL;
        size_t len = s_seal (&m, 2, &buf);
        xc_opened_t opened;
        char why[256] = "";
        assert_int_equal (xc_envelope_open (buf, len, &opened, why,
                                            sizeof why), 0);
        int rc = xc_envelope_verify (&opened, s_trust, why, sizeof why);
        if (ok[i])
            assert_int_equal (rc, 0);
        else {
            assert_int_equal (rc, XC_EUNKNOWN);
            char prefix[64];
            snprintf (prefix, sizeof prefix, "key %s of node %s not valid at ",
                      s_id[2], NODE_A);
            assert_memory_equal (why, prefix, strlen (prefix));
        }
        xc_opened_free (&opened);
        free (buf);
    }
}

/*  A list of one node, code, with key s_key[key] and key_lines under
    it, and top at the top level. */
static xc_trust_t *
s_trust_one (const char *code, int key, const char *top,
             const char *key_lines)
{
    char hex[2 * XC_PUBKEY_LEN + 1], curve[41], text[2048], why[256] = "";
    uint8_t pub[XC_PUBKEY_LEN], raw[32];
    xc_key_public (s_key[key], pub);
    xc_hex (pub, sizeof pub, hex);
    xc_random (raw, sizeof raw);
    zmq_z85_encode (curve, raw, sizeof raw);
    snprintf (text, sizeof text,
              "trust\n    version = 1\n%s"
              "    node\n        code = \"%s\"\n        curve = \"%s\"\n"
              "        key\n            public = \"%s\"\n%s",
              top, code, curve, hex, key_lines);
    xc_trust_t *trust = xc_trust_load_text (text, "one", why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    return trust;
}

/*  The same for NODE_B, the issuer of certificates (s_key[1]). */
static xc_trust_t *
s_trust_b (const char *top, const char *key_lines)
{
    return s_trust_one (NODE_B, 1, top, key_lines);
}

/*  A key retired at T_2026_06: what it signed before still verifies,
    anything made at or after the instant is refused with the reason. */
static void
test_key_revoked (void **state)
{
    char why[256] = "";
    xc_trust_t *trust = s_trust_one (NODE_A, 0, "",
                                     "            revoked_at = "
                                     "\"2026-07-01T00:00:00Z\"\n"
                                     "            revoked_reason = "
                                     "\"retired\"\n");
    const uint64_t times[] = {T_2025, T_2026, T_2026_06 - 1, T_2026_06,
                              T_2027};
    const int ok[] = {1, 1, 1, 0, 0};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        s_msg_t m;
        s_query (&m, NODE_A, times[i]);
        uint8_t *buf = NULL;
        size_t len = s_seal (&m, 0, &buf);
        xc_opened_t opened;
        assert_int_equal (xc_envelope_open (buf, len, &opened, why,
                                            sizeof why), 0);
        int rc = xc_envelope_verify (&opened, trust, why, sizeof why);
        if (ok[i])
            assert_int_equal (rc, 0);
        else {
            assert_int_equal (rc, XC_EUNKNOWN);
            char expected[128];
            snprintf (expected, sizeof expected,
                      "key %s of node %s retired at 2026-07-01T00:00:00.000Z",
                      s_id[0], NODE_A);
            assert_memory_equal (why, expected, strlen (expected));
        }
        xc_opened_free (&opened);
        free (buf);
    }
    xc_trust_destroy (&trust);
}

static void
test_size_limits_and_garbage (void **state)
{
    xc_opened_t opened;
    char why[256] = "";
    /* the limit follows the subjects a query may carry (wire.h): 256
       KiB and 256 bytes a subject */
    xc_wire_set_max_subjects (10);
    size_t most = xc_wire_message_max (xc_wire_max_subjects ());
    assert_int_equal (most, 262144 + 2560);
    uint8_t *big = calloc (1, most + 1);
    assert_int_equal (xc_envelope_open (big, most + 1, &opened, why,
                                        sizeof why), XC_ETOOBIG);
    assert_non_null (strstr (why, "264705 bytes, over the limit of 264704"));
    xc_opened_free (&opened);
    /* at the limit it is judged on content, not size */
    memset (big, 0xff, most);
    assert_int_equal (xc_envelope_open (big, most, &opened, why,
                                        sizeof why), XC_EMALFORMED);
    xc_wire_set_max_subjects (XC_SUBJECTS_CEILING);
    assert_int_equal (xc_wire_message_max (XC_SUBJECTS_CEILING + 1),
                      xc_wire_message_max (XC_SUBJECTS_CEILING));
    xc_opened_free (&opened);
    free (big);

    uint8_t one = 0;
    assert_int_equal (xc_envelope_open (&one, 0, &opened, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "envelope: empty");
    assert_int_equal (xc_envelope_open (NULL, 0, &opened, why, sizeof why),
                      XC_EMALFORMED);

    const uint8_t garbage[] = "this is not a protobuf envelope at all!";
    assert_int_equal (xc_envelope_open (garbage, sizeof garbage, &opened,
                                        why, sizeof why), XC_EMALFORMED);
    xc_opened_free (&opened);
    uint8_t rnd[200];
    for (int i = 0; i < 200; i++) {
        xc_random (rnd, sizeof rnd);
        assert_int_equal (xc_envelope_open (rnd, 1 + (size_t) i, &opened,
                                            why, sizeof why), XC_EMALFORMED);
        xc_opened_free (&opened);
    }
}

static void
test_envelope_fields (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    size_t plen = xiecha__signed__get_packed_size (&m.msg);
    uint8_t *packed = malloc (plen);
    xiecha__signed__pack (&m.msg, packed);
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (s_key[0], XC_CTX_ENVELOPE, packed, plen, sig),
                      0);
    xc_opened_t opened;
    char why[256] = "";
    uint8_t *buf = NULL;

    size_t len = s_raw_envelope (packed, plen, sig, 63, s_id[0], &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "envelope.signature: must be 64 bytes, got 63");
    xc_opened_free (&opened);
    free (buf);

    char upper[XC_KEY_ID_LEN + 1];
    for (int i = 0; i <= XC_KEY_ID_LEN; i++)
        upper[i] = (char) (s_id[0][i] >= 'a' ? s_id[0][i] - 32 : s_id[0][i]);
    if (strcmp (upper, s_id[0]) == 0)
        upper[0] = 'G';    /* an all-digit id has no case to change */
    /* the real key id in upper case is still refused: ids are exact */
    len = s_raw_envelope (packed, plen, sig, XC_SIG_LEN, upper, &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      XC_EMALFORMED);
    char expected[128];
    snprintf (expected, sizeof expected, "envelope.key_id: must be 16 "
              "lower-case hex characters, got \"%s\"", upper);
    assert_string_equal (why, expected);
    xc_opened_free (&opened);
    free (buf);

    len = s_raw_envelope (packed, plen, sig, XC_SIG_LEN, "abc", &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      XC_EMALFORMED);
    xc_opened_free (&opened);
    free (buf);

    /* control bytes in a field never reach the message */
    len = s_raw_envelope (packed, plen, sig, XC_SIG_LEN, "\x1b[31mred", &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      XC_EMALFORMED);
    assert_null (strchr (why, '\x1b'));
    xc_opened_free (&opened);
    free (buf);

    /* signed bytes that are not a Signed message */
    const uint8_t junk[] = {0xff, 0xff, 0xff};
    len = s_raw_envelope (junk, sizeof junk, sig, XC_SIG_LEN, s_id[0], &buf);
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "Signed: a field tag at byte 0 is cut off");
    xc_opened_free (&opened);
    free (buf);
    free (packed);
}

static void
test_header_rules (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    m.hdr.msg_id.len = 3;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "header.msg_id: must be 16 bytes, got 3");

    s_query (&m, NODE_A, T_2026);
    m.hdr.version = 2;
    s_expect_open_fail (&m, XC_EMALFORMED, "header.version: must be 1, got 2");

    s_query (&m, "46902", T_2026);
    s_expect_open_fail (&m, XC_EMALFORMED, "header.sender: must be a 6-digit "
                                           "division code, got \"46902\"");

    s_query (&m, NODE_A, T_2026);
    m.hdr.recipient = "";
    s_expect_open_fail (&m, XC_EMALFORMED, "header.recipient: must be a "
                                           "6-digit division code, got \"\"");

    s_query (&m, NODE_A, T_2026);
    m.hdr.type = 7;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "Header: field 2 (type): 7 is not a value of "
                        "MsgType (in header)");

    s_query (&m, NODE_A, T_2026);
    m.hdr.in_reply_to.data = m.msg_id;
    m.hdr.in_reply_to.len = 5;
    s_expect_open_fail (&m, XC_EMALFORMED, "header.in_reply_to: must be "
                                           "empty or 16 bytes, got 5");

    s_query (&m, NODE_A, T_2026);
    m.msg.header = NULL;
    s_expect_open_fail (&m, XC_EMALFORMED, "header: missing");
}

static void
test_body_type_mismatch (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    m.hdr.type = XIECHA__MSG_TYPE__MSG_CERTIFICATE;
    s_expect_open_fail (&m, XC_EMALFORMED, "body: header.type is CERTIFICATE "
                                           "but the body is a query");

    s_cert (&m, T_2026, T_2026, T_2027);
    m.hdr.type = XIECHA__MSG_TYPE__MSG_QUERY;
    s_expect_open_fail (&m, XC_EMALFORMED, "body: header.type is QUERY but "
                                           "the body is a certificate");

    s_query (&m, NODE_A, T_2026);
    m.msg.body_case = XIECHA__SIGNED__BODY__NOT_SET;
    s_expect_open_fail (&m, XC_EMALFORMED, "body: header.type is QUERY but "
                                           "the body is missing");

    s_query (&m, NODE_A, T_2026);
    m.hdr.type = XIECHA__MSG_TYPE__MSG_ERROR;
    s_expect_open_fail (&m, XC_EMALFORMED, "body: header.type is ERROR but "
                                           "the body is a query");
}

static void
test_query_rules (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, T_2026);
    m.subjects[0].len = 31;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "query.subjects[0]: must be 32 bytes, got 31");

    s_query (&m, NODE_A, T_2026);
    m.subjects[1].len = 33;
    uint8_t longer[33] = {0};
    m.subjects[1].data = longer;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "query.subjects[1]: must be 32 bytes, got 33");

    /* a node that allows 64 (limits/query_subjects) */
    xc_wire_set_max_subjects (64);
    s_query (&m, NODE_A, T_2026);
    m.query.n_subjects = 0;
    s_expect_open_fail (&m, XC_EMALFORMED, "query.subjects: must hold 1..64 "
                                           "subjects, got 0");

    s_query (&m, NODE_A, T_2026);
    for (int i = 0; i <= 64; i++)
        m.subjects[i] = m.subjects[0];
    m.query.n_subjects = 65;
    s_expect_open_fail (&m, XC_ETOOBIG, "query.subjects: 65 subjects, over "
                        "the maximum of 64 a query may carry here "
                        "(limits/query_subjects)");
    /* exactly the maximum is fine */
    m.query.n_subjects = 64;
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 0, &buf);
    xc_opened_t opened;
    assert_int_equal (xc_envelope_open (buf, len, &opened, NULL, 0), 0);
    xc_opened_free (&opened);
    /* and anyone who set no maximum (an offline verifier) takes more */
    m.query.n_subjects = 65;
    free (buf);
    len = s_seal (&m, 0, &buf);
    xc_wire_set_max_subjects (XC_SUBJECTS_CEILING);
    assert_int_equal (xc_envelope_open (buf, len, &opened, NULL, 0), 0);
    xc_opened_free (&opened);
    free (buf);

    s_query (&m, NODE_A, T_2026);
    m.query.n_programs = 0;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "query.programs: must name at least one program");

    s_query (&m, NODE_A, T_2026);
    m.programs[1] = 9;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "Query: field 2 (programs): 9 is not a value of "
                        "Program (in query)");

    s_query (&m, NODE_A, T_2026);
    m.programs[0] = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "query.programs[0]: unknown program 0");
}

static void
test_certificate_rules (void **state)
{
    s_msg_t m;
    s_cert (&m, T_2026, T_2026, T_2027);
    m.cert.query_id.len = 8;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "certificate.query_id: must be 16 bytes, got 8");

    s_cert (&m, T_2026, T_2026, T_2027);
    m.cert.query_digest.len = 0;
    s_expect_open_fail (&m, XC_EMALFORMED,
                        "certificate.query_digest: must be 32 bytes, got 0");

    s_cert (&m, T_2026, T_2026, T_2027);
    m.result.subject.len = 20;
    s_expect_open_fail (&m, XC_EMALFORMED, "certificate.results[0].subject: "
                                           "must be 32 bytes, got 20");

    /* opened->msg is kept on a shape failure so the caller can answer */
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 1, &buf);
    xc_opened_t opened;
    assert_int_equal (xc_envelope_open (buf, len, &opened, NULL, 0),
                      XC_EMALFORMED);
    assert_non_null (opened.msg);
    assert_string_equal (opened.msg->header->sender, NODE_B);
    uint8_t digest[XC_HASH_LEN];
    xc_sha256 (opened.env->signed_.data, opened.env->signed_.len, digest);
    assert_memory_equal (digest, opened.digest, XC_HASH_LEN);
    xc_opened_free (&opened);
    free (buf);
}

/*  A certificate carries the roster date of every program it checked,
    and says NOT_RECEIVING only from a roster the trust list allows. */
static void
test_cert_rosters (void **state)
{
    s_msg_t m;
    char why[256] = "";
    s_cert (&m, T_2026, T_2026, T_2027);
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      0);

    m.cert.n_rosters = 0;
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "certificate.rosters: 0 roster dates for 1 "
                              "programs checked");
    m.cert.n_rosters = 1;

    m.roster.program = XIECHA__PROGRAM__TEKUN;
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "certificate.rosters[0]: not the roster date "
                              "of DIBAO");
    m.roster.program = XIECHA__PROGRAM__DIBAO;

    m.roster.as_of = 20260103;   /* issued 2026-01-01 */
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      XC_EMALFORMED);
    assert_non_null (strstr (why, "after the certificate was issued"));

    m.roster.as_of = 20251117;   /* 45 days before: still allowed */
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      0);
    m.roster.as_of = 20251116;   /* 46 */
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      XC_EROSTER);
    assert_string_equal (why, "certificate says NOT_RECEIVING of DIBAO from "
                              "a roster of 2025-11-16, 46 days before it was "
                              "issued (the trust list allows 45)");

    m.roster.as_of = 0;
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      XC_EROSTER);
    assert_string_equal (why, "certificate says NOT_RECEIVING of DIBAO "
                              "without a roster of it");

    /* everyone receives it: a notice says so, no roster needed */
    xiecha__enrollment__init (&m.enrollment);
    m.enrollment.program = XIECHA__PROGRAM__DIBAO;
    m.enrollment.since = 20250101;
    m.enrollment.node = NODE_A;
    m.enrollments[0] = &m.enrollment;
    m.result.enrollments = m.enrollments;
    m.result.n_enrollments = 1;
    m.result.status = XIECHA__STATUS__RECEIVING;
    assert_int_equal (xc_cert_check_rosters (&m.cert, NULL, why, sizeof why),
                      0);
}

static void
test_cert_verify (void **state)
{
    s_msg_t m;
    s_cert (&m, T_2026, T_2026, T_2026 + 86400000);
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 1, &buf);
    xc_opened_t opened;
    char why[256] = "";

    assert_int_equal (xc_cert_verify (buf, len, s_trust, T_2026 + 1000,
                                      &opened, why, sizeof why), 0);
    assert_int_equal (opened.msg->certificate->n_results, 1);
    xc_opened_free (&opened);

    /* expired: ESTALE, and the certificate is still there to show */
    assert_int_equal (xc_cert_verify (buf, len, s_trust,
                                      T_2026 + 86400000 + 90000, &opened,
                                      why, sizeof why), XC_ESTALE);
    assert_string_equal (why, "certificate expired at "
                              "2026-01-02T00:00:00.000Z (90 s ago)");
    assert_non_null (opened.msg);
    assert_non_null (opened.msg->certificate);
    xc_opened_free (&opened);

    /* issued more than five minutes ahead of our clock */
    assert_int_equal (xc_cert_verify (buf, len, s_trust, T_2026 - 301000,
                                      &opened, why, sizeof why), XC_EFUTURE);
    assert_non_null (strstr (why, "301 s in the future"));
    assert_null (opened.msg);
    xc_opened_free (&opened);
    /* within the tolerance */
    assert_int_equal (xc_cert_verify (buf, len, s_trust, T_2026 - 299000,
                                      &opened, why, sizeof why), 0);
    xc_opened_free (&opened);

    /* tampered */
    buf[len - 1] ^= 1;
    assert_int_not_equal (xc_cert_verify (buf, len, s_trust, T_2026, &opened,
                                          why, sizeof why), 0);
    xc_opened_free (&opened);
    free (buf);

    /* a query is not a certificate even when properly signed */
    s_query (&m, NODE_A, T_2026);
    len = s_seal (&m, 0, &buf);
    assert_int_equal (xc_cert_verify (buf, len, s_trust, T_2026, &opened,
                                      why, sizeof why), XC_EMALFORMED);
    assert_string_equal (why, "header.type: must be CERTIFICATE, got QUERY");
    xc_opened_free (&opened);
    free (buf);

    /* a certificate signed by the wrong node */
    s_cert (&m, T_2026, T_2026, T_2027);
    len = s_seal (&m, 0, &buf);
    assert_int_equal (xc_cert_verify (buf, len, s_trust, T_2026, &opened,
                                      why, sizeof why), XC_EUNKNOWN);
    xc_opened_free (&opened);
    free (buf);

    /* through armor and back */
    s_cert (&m, T_2026, T_2026, T_2026 + 86400000);
    len = s_seal (&m, 1, &buf);
    char *text = NULL;
    assert_int_equal (xc_armor_encode (XC_ARMOR_CERTIFICATE, buf, len, &text),
                      0);
    uint8_t *back = NULL;
    size_t back_len = 0;
    assert_int_equal (xc_armor_decode (text, strlen (text),
                                       XC_ARMOR_CERTIFICATE, &back, &back_len,
                                       why, sizeof why), 0);
    assert_int_equal (xc_cert_verify (back, back_len, s_trust, T_2026,
                                      &opened, why, sizeof why), 0);
    xc_opened_free (&opened);
    free (back);
    free (text);
    free (buf);
}

/*  cert verify of a certificate with these times, checked at `at`;
    returns the code, why in why. */
static int
s_cert_check (const xc_trust_t *trust, uint64_t created, uint64_t issued,
              uint64_t until, uint64_t at, char *why, size_t why_len)
{
    s_msg_t m;
    s_cert (&m, created, issued, until);
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 1, &buf);
    xc_opened_t opened;
    int rc = xc_cert_verify (buf, len, trust, at, &opened, why, why_len);
    xc_opened_free (&opened);
    free (buf);
    return rc;
}

#define S_DAY 86400000ULL

/*  The lifetime the list allows, and the key judged at every time the
    certificate asserts: a retired key keeps certificates that ended
    before its retirement; a compromised key keeps none, however far
    back they claim to be. */
static void
test_cert_times (void **state)
{
    char why[512] = "";
    xc_trust_t *t = s_trust_b ("", "");
    /* ten years: over the default lifetime of 31 days */
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + 3650 * S_DAY,
                                    T_2026 + 1000, why, sizeof why),
                      XC_EMALFORMED);
    assert_non_null (strstr (why, "over the trust list's "
                                  "max_cert_lifetime_days of 31"));
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + 31 * S_DAY,
                                    T_2026 + 1000, why, sizeof why), 0);
    xc_trust_destroy (&t);
    t = s_trust_b ("    max_cert_lifetime_days = 2\n", "");
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + 3 * S_DAY,
                                    T_2026 + 1000, why, sizeof why),
                      XC_EMALFORMED);
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + S_DAY,
                                    T_2026 + 1000, why, sizeof why), 0);
    xc_trust_destroy (&t);

    t = s_trust_b ("", "            revoked_at = \"2026-07-01T00:00:00Z\"\n"
                       "            revoked_reason = \"retired\"\n");
    /* made, issued and ended before the retirement: valid then */
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + S_DAY,
                                    T_2026 + 1000, why, sizeof why), 0);
    /* made after it */
    assert_int_equal (s_cert_check (t, T_2026_06 + 1000, T_2026_06 + 1000,
                                    T_2026_06 + S_DAY, T_2026_06 + 2000, why,
                                    sizeof why), XC_EUNKNOWN);
    assert_non_null (strstr (why, "retired at 2026-07-01"));
    /* created before, issued after: revocation judged at issued_at */
    assert_int_equal (s_cert_check (t, T_2026_06 - 1000, T_2026_06 + 1000,
                                    T_2026_06 + S_DAY, T_2026_06 + 2000, why,
                                    sizeof why), XC_EUNKNOWN);
    assert_non_null (strstr (why, "certificate.issued_at: key"));
    /* issued before, still valid after: judged at valid_until too */
    assert_int_equal (s_cert_check (t, T_2026_06 - 3600000,
                                    T_2026_06 - 3600000, T_2026_06 + S_DAY,
                                    T_2026_06 - 1000, why, sizeof why),
                      XC_EUNKNOWN);
    assert_non_null (strstr (why, "certificate.valid_until: key"));
    xc_trust_destroy (&t);

    /* compromised (also what revoked_at alone means): a certificate
       backdated to long before is refused all the same */
    const char *compromised[] = {
        "            revoked_at = \"2026-07-01T00:00:00Z\"\n"
        "            revoked_reason = \"compromised\"\n",
        "            revoked_at = \"2026-07-01T00:00:00Z\"\n"};
    for (size_t i = 0; i < 2; i++) {
        t = s_trust_b ("", compromised[i]);
        assert_int_equal (xc_trust_key_at (t, 0)->revoked_reason,
                          XC_REVOKED_COMPROMISED);
        assert_int_equal (s_cert_check (t, T_2025, T_2025, T_2025 + S_DAY,
                                        T_2025 + 1000, why, sizeof why),
                          XC_EUNKNOWN);
        assert_non_null (strstr (why, "revoked as compromised at "
                                      "2026-07-01T00:00:00.000Z: nothing it "
                                      "signed is trusted"));
        xc_trust_destroy (&t);
    }
    /* the key's window bounds valid_until as well */
    t = s_trust_b ("", "            not_after = \"2026-01-02T00:00:00Z\"\n");
    assert_int_equal (s_cert_check (t, T_2026, T_2026, T_2026 + 2 * S_DAY,
                                    T_2026 + 1000, why, sizeof why),
                      XC_EUNKNOWN);
    assert_non_null (strstr (why, "certificate.valid_until: key"));
    xc_trust_destroy (&t);
}

static void
test_header_init (void **state)
{
    Xiecha__Header h;
    uint8_t id1[XC_MSGID_LEN], id2[XC_MSGID_LEN];
    xc_header_init (&h, id1, XIECHA__MSG_TYPE__MSG_QUERY, NODE_A, NODE_B, 42);
    assert_int_equal (h.version, XC_PROTOCOL_VERSION);
    assert_int_equal (h.type, XIECHA__MSG_TYPE__MSG_QUERY);
    assert_ptr_equal (h.msg_id.data, id1);
    assert_int_equal (h.msg_id.len, XC_MSGID_LEN);
    assert_string_equal (h.sender, NODE_A);
    assert_string_equal (h.recipient, NODE_B);
    assert_int_equal (h.created_at, 42);
    assert_int_equal (h.hop_limit, 8);
    assert_int_equal (h.in_reply_to.len, 0);
    xc_header_init (&h, id2, XIECHA__MSG_TYPE__MSG_QUERY, NODE_A, NODE_B, 42);
    assert_memory_not_equal (id1, id2, XC_MSGID_LEN);
}

static void
test_names (void **state)
{
    assert_string_equal (xc_program_name (XIECHA__PROGRAM__DIBAO), "DIBAO");
    assert_string_equal (xc_program_name (XIECHA__PROGRAM__LOW_INCOME),
                         "LOW_INCOME");
    assert_string_equal (xc_program_name (0), "?");
    assert_string_equal (xc_program_name (6), "?");
    assert_int_equal (xc_program_parse ("dibao"), XIECHA__PROGRAM__DIBAO);
    assert_int_equal (xc_program_parse ("DIBAO"), XIECHA__PROGRAM__DIBAO);
    assert_int_equal (xc_program_parse ("Tekun"), XIECHA__PROGRAM__TEKUN);
    assert_int_equal (xc_program_parse ("low_income"),
                      XIECHA__PROGRAM__LOW_INCOME);
    assert_int_equal (xc_program_parse ("low-income"),
                      XIECHA__PROGRAM__LOW_INCOME);
    assert_int_equal (xc_program_parse ("dibao_edge"),
                      XIECHA__PROGRAM__DIBAO_EDGE);
    assert_int_equal (xc_program_parse ("temp"), XIECHA__PROGRAM__TEMP);
    assert_int_equal (xc_program_parse ("dibaox"), 0);
    assert_int_equal (xc_program_parse ("diba"), 0);
    assert_int_equal (xc_program_parse (""), 0);
    assert_int_equal (xc_program_parse (NULL), 0);
    assert_int_equal (xc_program_parse ("PROGRAM_UNSPECIFIED"), 0);

    assert_string_equal (xc_relation_name (XIECHA__RELATION__SAME_CITY),
                         "SAME_CITY");
    assert_string_equal (xc_relation_name (99), "?");
    assert_string_equal (xc_status_name (XIECHA__STATUS__RECEIVING),
                         "RECEIVING");
    assert_string_equal (xc_errcode_name (XIECHA__ERROR_CODE__ERR_REPLAY),
                         "ERR_REPLAY");
    assert_string_equal (xc_errcode_name (-1), "?");
}

/*  A query's township is empty or one of the sender's county: 9 digits
    under its code (division.h xc_township_in). */
static void
test_query_township (void **state)
{
    s_msg_t m;
    s_query (&m, NODE_A, xc_now_ms ());
    m.query.township = "469021100";
    uint8_t *buf = NULL;
    size_t len = s_seal (&m, 0, &buf);
    xc_opened_t opened;
    char why[256] = "";
    assert_int_equal (xc_envelope_open (buf, len, &opened, why, sizeof why),
                      0);
    assert_string_equal (opened.msg->query->township, "469021100");
    xc_opened_free (&opened);
    free (buf);
    s_query (&m, NODE_A, xc_now_ms ());
    m.query.township = "110105001";   /* the recipient's county's */
    s_expect_open_fail (&m, XC_EMALFORMED, "query.township: must be empty or "
                        "a 9-digit township code of the sender's county "
                        "469021, got \"110105001\"");
    s_query (&m, NODE_A, xc_now_ms ());
    m.query.township = "4690211";
    s_expect_open_fail (&m, XC_EMALFORMED, "query.township: must be empty or "
                        "a 9-digit township code of the sender's county "
                        "469021, got \"4690211\"");
    assert_true (xc_township_in ("469021100", "469021"));
    assert_false (xc_township_in ("46902110a", "469021"));
    assert_false (xc_township_in ("4690211000", "469021"));
    assert_false (xc_township_in (NULL, "469021"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_roundtrip_query),
        cmocka_unit_test (test_query_township),
        cmocka_unit_test (test_roundtrip_error),
        cmocka_unit_test (test_every_tamper_fails),
        cmocka_unit_test (test_unknown_key_id),
        cmocka_unit_test (test_key_of_other_node),
        cmocka_unit_test (test_key_validity_window),
        cmocka_unit_test (test_key_revoked),
        cmocka_unit_test (test_size_limits_and_garbage),
        cmocka_unit_test (test_envelope_fields),
        cmocka_unit_test (test_header_rules),
        cmocka_unit_test (test_body_type_mismatch),
        cmocka_unit_test (test_query_rules),
        cmocka_unit_test (test_certificate_rules),
        cmocka_unit_test (test_cert_rosters),
        cmocka_unit_test (test_cert_verify),
        cmocka_unit_test (test_cert_times),
        cmocka_unit_test (test_header_init),
        cmocka_unit_test (test_names),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
