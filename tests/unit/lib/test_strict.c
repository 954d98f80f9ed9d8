/*  test_strict.c - the canonical-encoding walker (xiecha/strict.h).

    Each rule gets bytes written by hand that protobuf-c accepts and
    strict must refuse, with the message naming message, field and rule;
    then the shadow fields of issue 11 through xc_envelope_open; and last
    the property the rules exist for: whatever strict accepts, protobuf-c
    writes back byte for byte, so it has exactly one reading. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/xiecha.h"

/*  A message written field by field. */
typedef struct {
    uint8_t b[4096];
    size_t n;
} s_buf_t;

static void
s_raw (s_buf_t *w, const void *p, size_t n)
{
    assert_true (w->n + n <= sizeof w->b);
    memcpy (w->b + w->n, p, n);
    w->n += n;
}

static void
s_varint (s_buf_t *w, uint64_t v)
{
    do {
        uint8_t byte = (uint8_t) (v & 0x7f);
        v >>= 7;
        if (v)
            byte |= 0x80;
        s_raw (w, &byte, 1);
    } while (v);
}

static void
s_tag (s_buf_t *w, unsigned number, unsigned wire_type)
{
    s_varint (w, ((uint64_t) number << 3) | wire_type);
}

static void
s_bytes (s_buf_t *w, unsigned number, const void *p, size_t n)
{
    s_tag (w, number, 2);
    s_varint (w, n);
    s_raw (w, p, n);
}

static void
s_uint (s_buf_t *w, unsigned number, uint64_t v)
{
    s_tag (w, number, 0);
    s_varint (w, v);
}

/*  Checks that strict refuses w as desc with exactly the message want,
    and that protobuf-c itself would have taken it (else the case proves
    nothing). */
static void
s_refused (const ProtobufCMessageDescriptor *desc, const s_buf_t *w,
           int lenient_parses, const char *want)
{
    char why[300] = "";
    assert_int_equal (xc_strict_check (desc, w->b, w->n, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, want);
    ProtobufCMessage *m = protobuf_c_message_unpack (desc, NULL, w->n, w->b);
    if (lenient_parses)
        assert_non_null (m);
    if (m)
        protobuf_c_message_free_unpacked (m, NULL);
}

/*  A valid header: version 1, type, a 16-byte id, two codes, a time. */
static void
s_header (s_buf_t *w, unsigned type)
{
    uint8_t id[16];
    memset (id, 0x5a, sizeof id);
    s_uint (w, 1, 1);
    s_uint (w, 2, type);
    s_bytes (w, 3, id, sizeof id);
    s_bytes (w, 4, "341002", 6);
    s_bytes (w, 5, "469021", 6);
    s_uint (w, 6, 1767225600000ULL);
    s_uint (w, 7, 8);
}

static void
test_canonical_passes (void **state)
{
    (void) state;
    s_buf_t h = {0}, sg = {0};
    s_header (&h, 1);
    s_bytes (&sg, 1, h.b, h.n);
    char why[200] = "";
    assert_int_equal (xc_strict_check (&xiecha__signed__descriptor, sg.b,
                                       sg.n, why, sizeof why), 0);
    /* the empty message is canonical: every field at its default */
    assert_int_equal (xc_strict_check (&xiecha__header__descriptor, NULL, 0,
                                       why, sizeof why), 0);
    /* an empty sub-message is present, not a default */
    s_buf_t q = {0};
    s_bytes (&q, 10, "", 0);
    assert_int_equal (xc_strict_check (&xiecha__signed__descriptor, q.b, q.n,
                                       why, sizeof why), 0);
}

static void
test_unknown_and_repeated_fields (void **state)
{
    (void) state;
    s_buf_t w = {0};
    s_bytes (&w, 1, "x", 1);
    s_bytes (&w, 2, "y", 1);
    s_bytes (&w, 15, "z", 1);
    s_refused (&xiecha__envelope__descriptor, &w, 1,
               "Envelope: unknown field 15");

    s_buf_t t = {0};
    s_bytes (&t, 1, "x", 1);
    s_bytes (&t, 1, "y", 1);
    s_refused (&xiecha__envelope__descriptor, &t, 1,
               "Envelope: field 1 (signed) occurs twice");

    /* out of order: protobuf-c reads 2 then 1 the same */
    s_buf_t o = {0};
    s_bytes (&o, 2, "y", 1);
    s_bytes (&o, 1, "x", 1);
    s_refused (&xiecha__envelope__descriptor, &o, 1,
               "Envelope: field 1 (signed) after field 2: fields must be "
               "in ascending order");

    /* a repeated field's occurrences are one run */
    uint8_t ref[32] = {0};
    s_buf_t r = {0};
    s_bytes (&r, 1, ref, 32);
    s_uint (&r, 3, 1);
    s_bytes (&r, 1, ref, 32);
    s_refused (&xiecha__query__descriptor, &r, 1,
               "Query: field 1 (subjects) after field 3: fields must be in "
               "ascending order");
    s_buf_t ok = {0};
    s_bytes (&ok, 1, ref, 32);
    s_bytes (&ok, 1, ref, 32);
    assert_int_equal (xc_strict_check (&xiecha__query__descriptor, ok.b, ok.n,
                                       NULL, 0), 0);

    /* two bodies of the oneof: protobuf-c keeps the last */
    s_buf_t b = {0};
    s_bytes (&b, 10, "", 0);
    s_bytes (&b, 11, "", 0);
    s_refused (&xiecha__signed__descriptor, &b, 1,
               "Signed: fields 10 (query) and 11 (certificate) of one oneof "
               "are both present");
}

static void
test_encodings (void **state)
{
    (void) state;
    /* a tag padded to two bytes: 0x08 written as 0x88 0x00 */
    s_buf_t t = {0};
    s_raw (&t, "\x88\x00\x01", 3);
    s_refused (&xiecha__header__descriptor, &t, 1,
               "Header: a field tag at byte 0 is not in its shortest form");

    /* a value padded: version 1 as 0x81 0x00 */
    s_buf_t v = {0};
    s_raw (&v, "\x08\x81\x00", 3);
    s_refused (&xiecha__header__descriptor, &v, 1,
               "Header: field 1 (version): value is not in its shortest "
               "form");

    /* a length padded: msg_id of 1 byte with length 0x81 0x00 */
    s_buf_t l = {0};
    s_raw (&l, "\x1a\x81\x00\x07", 4);
    s_refused (&xiecha__header__descriptor, &l, 1,
               "Header: field 3 (msg_id): length is not in its shortest "
               "form");

    /* a uint32 above 2^32 - 1: protobuf-c keeps the low 32 bits */
    s_buf_t big = {0};
    s_uint (&big, 1, (1ULL << 32) + 1);
    s_refused (&xiecha__header__descriptor, &big, 1,
               "Header: field 1 (version): 4294967297 is out of range for "
               "its type");

    /* a bool of 2 */
    s_buf_t bo = {0};
    s_uint (&bo, 1, 1);
    s_uint (&bo, 3, 2);
    s_refused (&xiecha__roster_date__descriptor, &bo, 1,
               "RosterDate: field 3 (interrupted): 2 is out of range for "
               "its type");

    /* an enum value the enum does not list */
    s_buf_t e = {0};
    s_uint (&e, 3, 9);
    s_refused (&xiecha__query__descriptor, &e, 1,
               "Query: field 3 (relation): 9 is not a value of Relation");

    /* a default written out: protobuf-c never writes version 0 */
    s_buf_t d = {0};
    s_uint (&d, 1, 0);
    s_refused (&xiecha__header__descriptor, &d, 1,
               "Header: field 1 (version): holds its default (0) and must "
               "be absent");
    s_buf_t ds = {0};
    s_bytes (&ds, 4, "", 0);
    s_refused (&xiecha__header__descriptor, &ds, 1,
               "Header: field 4 (sender): holds its default (empty) and "
               "must be absent");

    /* the wrong wire type: version as 8 bytes */
    s_buf_t wt = {0};
    s_tag (&wt, 1, 1);
    s_raw (&wt, "\x01\0\0\0\0\0\0\0", 8);
    s_refused (&xiecha__header__descriptor, &wt, 0,
               "Header: field 1 (version): wire type 1, its type takes 0");

    /* cut off */
    s_buf_t c = {0};
    s_raw (&c, "\x1a\x10\x01\x02", 4);
    s_refused (&xiecha__header__descriptor, &c, 0,
               "Header: field 3 (msg_id): 16 bytes announced, 2 left");
}

static void
test_packed_and_text (void **state)
{
    (void) state;
    /* programs unpacked: protobuf-c takes both forms */
    s_buf_t u = {0};
    s_uint (&u, 2, 1);
    s_refused (&xiecha__query__descriptor, &u, 1,
               "Query: field 2 (programs): not packed, its canonical form "
               "is packed");
    s_buf_t two = {0};
    s_bytes (&two, 2, "\x01", 1);
    s_bytes (&two, 2, "\x02", 1);
    s_refused (&xiecha__query__descriptor, &two, 1,
               "Query: field 2 (programs) occurs twice");
    s_buf_t empty = {0};
    s_bytes (&empty, 2, "", 0);
    s_refused (&xiecha__query__descriptor, &empty, 1,
               "Query: field 2 (programs): empty packed run (an empty "
               "repeated field is absent)");
    s_buf_t bad = {0};
    s_bytes (&bad, 2, "\x01\x09", 2);
    s_refused (&xiecha__query__descriptor, &bad, 1,
               "Query: field 2 (programs): 9 is not a value of Program");

    /* a NUL: protobuf-c's C string stops at it, another reader's not */
    s_buf_t nul = {0};
    s_bytes (&nul, 4, "341002\0evil", 11);
    s_refused (&xiecha__header__descriptor, &nul, 1,
               "Header: field 4 (sender): holds a NUL byte");
    s_buf_t utf = {0};
    s_bytes (&utf, 4, "\xc0\xaf", 2);   /* an overlong '/' */
    s_refused (&xiecha__header__descriptor, &utf, 0,
               "Header: field 4 (sender): is not UTF-8");
    s_buf_t han = {0};
    s_bytes (&han, 2, "\xe5\xae\x9a\xe5\xae\x89", 6);   /* 定安 */
    assert_int_equal (xc_strict_check (&xiecha__report__descriptor, han.b,
                                       han.n, NULL, 0), 0);
}

/*  Nested messages are walked by their own descriptors, and the message
    says where they sit. */
static void
test_nested_path (void **state)
{
    (void) state;
    s_buf_t res = {0}, cert = {0}, sg = {0}, h = {0};
    uint8_t ref[32] = {0};
    s_bytes (&res, 1, ref, 32);
    s_uint (&res, 2, 1);
    s_uint (&res, 15, 1);
    s_bytes (&cert, 4, "", 0);   /* results[0], empty: fine */
    s_bytes (&cert, 4, res.b, res.n);
    s_header (&h, 2);
    s_bytes (&sg, 1, h.b, h.n);
    s_bytes (&sg, 11, cert.b, cert.n);
    s_refused (&xiecha__signed__descriptor, &sg, 1,
               "SubjectResult: unknown field 15 (in certificate.results[1])");
}

/*  The envelope of a real certificate, sealed with a real key. */
static size_t
s_sealed_certificate (xc_key_t *key, const char *key_id, uint8_t **out)
{
    uint8_t id[XC_MSGID_LEN], qid[XC_MSGID_LEN], digest[XC_HASH_LEN];
    uint8_t ref[XC_REF_LEN];
    memset (qid, 0x11, sizeof qid);
    memset (digest, 0x22, sizeof digest);
    memset (ref, 0x33, sizeof ref);
    Xiecha__Header h = XIECHA__HEADER__INIT;
    xc_header_init (&h, id, XIECHA__MSG_TYPE__MSG_CERTIFICATE, "341002",
                    "469021", 1767225600000ULL);
    h.in_reply_to = (ProtobufCBinaryData) {XC_MSGID_LEN, qid};
    Xiecha__SubjectResult r = XIECHA__SUBJECT_RESULT__INIT;
    r.subject = (ProtobufCBinaryData) {XC_REF_LEN, ref};
    r.status = XIECHA__STATUS__NOT_RECEIVING;
    Xiecha__SubjectResult *rs[1] = {&r};
    Xiecha__Program dibao = XIECHA__PROGRAM__DIBAO;
    Xiecha__Certificate c = XIECHA__CERTIFICATE__INIT;
    c.query_id = (ProtobufCBinaryData) {XC_MSGID_LEN, qid};
    c.query_digest = (ProtobufCBinaryData) {XC_HASH_LEN, digest};
    c.requester = "469021";
    c.n_results = 1;
    c.results = rs;
    c.n_programs = 1;
    c.programs = &dibao;
    c.issued_at = h.created_at;
    c.valid_until = h.created_at + 3600000;
    c.relation = XIECHA__RELATION__OTHER_PROVINCE;
    Xiecha__Signed msg = XIECHA__SIGNED__INIT;
    msg.header = &h;
    msg.body_case = XIECHA__SIGNED__BODY_CERTIFICATE;
    msg.certificate = &c;
    size_t len = 0;
    assert_int_equal (xc_envelope_seal (&msg, key, key_id, out, &len), 0);
    return len;
}

/*  Issue 11's shadow fields, at the door every verifier and the node
    use: each is refused, naming the field. */
static void
test_envelope_shadow_fields (void **state)
{
    (void) state;
    xc_key_t *key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    char key_id[XC_KEY_ID_LEN + 1];
    xc_key_public (key, pub);
    xc_key_id (pub, key_id);
    uint8_t *env = NULL;
    size_t len = s_sealed_certificate (key, key_id, &env);
    char why[300] = "";
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (env, len, &op, why, sizeof why), 0);
    xc_opened_free (&op);

    /* an unsigned NOT_RECEIVING body in a second `signed` */
    s_buf_t shadow = {0};
    s_raw (&shadow, env, len);
    s_buf_t h = {0}, sg = {0};
    s_header (&h, 2);
    s_bytes (&sg, 1, h.b, h.n);
    s_bytes (&sg, 11, "", 0);
    s_bytes (&shadow, 1, sg.b, sg.n);
    assert_int_equal (xc_envelope_open (shadow.b, shadow.n, &op, why,
                                        sizeof why), XC_EMALFORMED);
    assert_string_equal (why, "Envelope: field 1 (signed) occurs twice");
    assert_null (op.msg);
    xc_opened_free (&op);

    s_buf_t unknown = {0};
    s_raw (&unknown, env, len);
    s_bytes (&unknown, 15, "x", 1);
    assert_int_equal (xc_envelope_open (unknown.b, unknown.n, &op, why,
                                        sizeof why), XC_EMALFORMED);
    assert_string_equal (why, "Envelope: unknown field 15");
    xc_opened_free (&op);

    s_buf_t second = {0};
    s_raw (&second, env, len);
    s_bytes (&second, 3, "0000000000000000", 16);
    assert_int_equal (xc_envelope_open (second.b, second.n, &op, why,
                                        sizeof why), XC_EMALFORMED);
    assert_string_equal (why, "Envelope: field 3 (key_id) occurs twice");
    xc_opened_free (&op);

    /* inside the signed bytes: refused, the header kept for the answer */
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, len, env);
    assert_non_null (e);
    s_buf_t inner = {0};
    s_raw (&inner, e->signed_.data, e->signed_.len);
    s_uint (&inner, 20, 1);
    uint8_t *re = NULL;
    Xiecha__Envelope copy = *e;
    copy.signed_ = (ProtobufCBinaryData) {inner.n, inner.b};
    size_t re_len = xiecha__envelope__get_packed_size (&copy);
    re = malloc (re_len);
    xiecha__envelope__pack (&copy, re);
    assert_int_equal (xc_envelope_open (re, re_len, &op, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "Signed: unknown field 20");
    assert_non_null (op.msg);
    assert_string_equal (op.msg->header->sender, "341002");
    xc_opened_free (&op);
    free (re);
    xiecha__envelope__free_unpacked (e, NULL);
    free (env);
    xc_key_destroy (&key);
}

/*  What strict accepts has one reading: protobuf-c writes it back byte
    for byte.  Mutations of a real certificate (a byte changed, inserted
    or dropped), from a fixed seed so a failure repeats. */
static void
test_accepted_is_unique (void **state)
{
    (void) state;
    xc_key_t *key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    char key_id[XC_KEY_ID_LEN + 1];
    xc_key_public (key, pub);
    xc_key_id (pub, key_id);
    uint8_t *env = NULL;
    size_t len = s_sealed_certificate (key, key_id, &env);
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, len, env);
    assert_non_null (e);
    const uint8_t *sig = e->signed_.data;
    size_t n = e->signed_.len;
    uint8_t buf[1024], again[1100];
    assert_true (n + 1 <= sizeof buf);
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    size_t accepted = 0;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t at = (size_t) (x % n), m = n;
        memcpy (buf, sig, n);
        switch ((x >> 32) % 3) {
        case 0: buf[at] = (uint8_t) (x >> 40); break;
        case 1:
            memmove (buf + at + 1, buf + at, n - at);
            buf[at] = (uint8_t) (x >> 40);
            m = n + 1;
            break;
        default: memmove (buf + at, buf + at + 1, n - at - 1); m = n - 1;
        }
        if (xc_strict_check (&xiecha__signed__descriptor, buf, m, NULL, 0))
            continue;
        Xiecha__Signed *s = xiecha__signed__unpack (NULL, m, buf);
        assert_non_null (s);
        size_t back = xiecha__signed__get_packed_size (s);
        assert_int_equal (back, m);
        xiecha__signed__pack (s, again);
        assert_memory_equal (again, buf, m);
        xiecha__signed__free_unpacked (s, NULL);
        accepted++;
    }
    /* some mutations are canonical (a byte of a hash changed) */
    assert_true (accepted > 0);
    xiecha__envelope__free_unpacked (e, NULL);
    free (env);
    xc_key_destroy (&key);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_canonical_passes),
        cmocka_unit_test (test_unknown_and_repeated_fields),
        cmocka_unit_test (test_encodings),
        cmocka_unit_test (test_packed_and_text),
        cmocka_unit_test (test_nested_path),
        cmocka_unit_test (test_envelope_shadow_fields),
        cmocka_unit_test (test_accepted_is_unique),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
