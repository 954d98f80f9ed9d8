/*  itest_strict.c - issue 11's shadow fields fed to every verifier:
    `xiecha cert verify`, `report verify`, `audit verify`, `audit prove`,
    and a real node over its peer socket.

    Each variant wraps a real, validly signed envelope (or signed
    report) and adds what protobuf-c would silently take: a second
    `signed` field holding an unsigned NOT_RECEIVING body valid for ten
    years, an unknown field, a second key_id.  Every verifier must call
    it INVALID naming the field; the same bytes without the addition
    must pass, so each case can fail. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xiecha/armor.h>
#include <xiecha/auditfile.h>
#include <xiecha/bytes.h>
#include <xiecha/checkpoint.h>
#include <xiecha/merkle.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };
enum { SHADOW_SIGNED, SHADOW_UNKNOWN, SHADOW_KEY_ID, SHADOWS };

static xt_fed_t *fed;
static uint8_t *cert;     /* Tunxi's certificate for Ding'an, as sent */
static size_t cert_len;

/*  What each variant's refusal says, for an Envelope and for a
    SignedReport (whose fields 1 and 3 are report and key_id). */
static const char *const env_why[SHADOWS] = {
    "Envelope: field 1 (signed) occurs twice",
    "Envelope: unknown field 15",
    "Envelope: field 3 (key_id) occurs twice",
};
static const char *const report_why[SHADOWS] = {
    "SignedReport: field 1 (report) occurs twice",
    "SignedReport: unknown field 15",
    "SignedReport: field 3 (key_id) occurs twice",
};

/*  Appends field number (length-delimited) holding data[n] to buf. */
static size_t
s_append (uint8_t *buf, size_t len, unsigned number, const uint8_t *data,
          size_t n)
{
    buf[len++] = (uint8_t) (number << 3 | 2);
    size_t v = n;
    do {
        buf[len++] = (uint8_t) ((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
        v >>= 7;
    } while (v);
    memcpy (buf + len, data, n);
    return len + n;
}

/*  The unsigned body a forger would slip in: the certificate's own
    Signed with every subject NOT_RECEIVING, valid for ten years.  For
    anything else, the signed bytes as they are. */
static size_t
s_forged_body (const uint8_t *env, size_t len, uint8_t *out, size_t cap)
{
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, len, env);
    assert_non_null (e);
    Xiecha__Signed *s = xiecha__signed__unpack (NULL, e->signed_.len,
                                                e->signed_.data);
    size_t n = 0;
    if (s && s->body_case == XIECHA__SIGNED__BODY_CERTIFICATE) {
        Xiecha__Certificate *c = s->certificate;
        for (size_t i = 0; i < c->n_results; i++) {
            c->results[i]->status = XIECHA__STATUS__NOT_RECEIVING;
            c->results[i]->n_enrollments = 0;
        }
        c->valid_until = c->issued_at + 10ULL * 365 * 86400000;
        n = xiecha__signed__get_packed_size (s);
        assert_true (n <= cap);
        xiecha__signed__pack (s, out);
    }
    else {
        n = e->signed_.len;
        assert_true (n <= cap);
        memcpy (out, e->signed_.data, n);
    }
    if (s)
        xiecha__signed__free_unpacked (s, NULL);
    xiecha__envelope__free_unpacked (e, NULL);
    return n;
}

/*  Variant v of the wrapper bytes in[len] into out (4096 + len bytes). */
static size_t
s_shadow (int v, const uint8_t *in, size_t len, uint8_t *out)
{
    memcpy (out, in, len);
    if (v == SHADOW_UNKNOWN)
        return s_append (out, len, 15, (const uint8_t *) "x", 1);
    if (v == SHADOW_KEY_ID)
        return s_append (out, len, 3, (const uint8_t *) "0000000000000000",
                         16);
    uint8_t body[4096];
    size_t n = s_forged_body (in, len, body, sizeof body);
    return s_append (out, len, 1, body, n);
}

static const char *
s_write_armored (const char *name, const char *label, const uint8_t *bytes,
                 size_t len)
{
    char *text = NULL;
    assert_int_equal (xc_armor_encode (label, bytes, len, &text), 0);
    const char *path = xt_fed_write (fed, name, text);
    free (text);
    return path;
}

static int
s_setup (void **state)
{
    (void) state;
    const char *codes[] = {"469021", "341002"};
    xt_fed_opts_t opts = {.codes = codes, .count = 2, .deadline_ms = 3000,
                          .rogue = true};
    fed = xt_fed_new_opts (&opts);
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    xc_answer_t a;
    xt_fed_answer (fed, DINGAN, "341002", xt_id ("34100219800101123"),
                   XIECHA__PROGRAM__DIBAO, &a);
    cert = malloc (a.certificate_len);
    assert_non_null (cert);
    memcpy (cert, a.certificate, a.certificate_len);
    cert_len = a.certificate_len;
    xc_answer_free (&a);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    free (cert);
    xt_fed_destroy (&fed);
    return 0;
}

/*  Runs args; checks the exit status and that the output holds want. */
static void
s_expect (int node, const char *const *args, int status, const char *want)
{
    char out[16384] = "";
    int got = xt_fed_cli (fed, node, out, sizeof out, args);
    if (got != status || (want && !strstr (out, want)))
        fail_msg ("%s %s: exit %d (want %d), output:\n%s", args[0], args[1],
                  got, status, out);
}

static void
test_cert_verify (void **state)
{
    (void) state;
    const char *path = s_write_armored ("cert.pem", XC_ARMOR_CERTIFICATE,
                                        cert, cert_len);
    const char *ok[] = {"cert", "verify", path, "--trust", fed->trust,
                        "--root", xt_fed_anchor (fed), NULL};
    s_expect (-1, ok, 0, "VALID");
    uint8_t buf[8192 + 4096];
    for (int v = 0; v < SHADOWS; v++) {
        size_t n = s_shadow (v, cert, cert_len, buf);
        path = s_write_armored ("shadow.pem", XC_ARMOR_CERTIFICATE, buf, n);
        const char *args[] = {"cert", "verify", path, "--trust", fed->trust,
                              "--root", xt_fed_anchor (fed),
                              NULL};
        s_expect (-1, args, 1, env_why[v]);
        const char *json[] = {"cert", "verify", path, "--trust", fed->trust,
                              "--root", xt_fed_anchor (fed),
                              "--json", NULL};
        s_expect (-1, json, 1, "\"valid\": false");
    }
}

/*  audit prove asks the node that sent the certificate; a shadow is
    refused before it asks, naming the field, not "not in the log". */
static void
test_audit_prove (void **state)
{
    (void) state;
    uint8_t buf[8192 + 4096];
    for (int v = 0; v < SHADOWS; v++) {
        size_t n = s_shadow (v, cert, cert_len, buf);
        const char *path = s_write_armored ("shadow.pem",
                                            XC_ARMOR_CERTIFICATE, buf, n);
        const char *args[] = {"audit", "prove", "--cert", path, "--trust",
                              fed->trust, "--root", xt_fed_anchor (fed), NULL};
        s_expect (TUNXI, args, 1, env_why[v]);
    }
}

/*  The file's armored payload. */
static uint8_t *
s_read_armored (const char *path, const char *label, size_t *len)
{
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    char text[65536];
    size_t n = fread (text, 1, sizeof text, f);
    fclose (f);
    uint8_t *bytes = NULL;
    char why[256];
    assert_int_equal (xc_armor_decode (text, n, label, &bytes, len, why,
                                       sizeof why), 0);
    return bytes;
}

static void
test_report_verify (void **state)
{
    (void) state;
    char month[8], path[PATH_MAX + 16], out[16384];
    time_t now = time (NULL);
    strftime (month, sizeof month, "%Y-%m", gmtime (&now));
    snprintf (path, sizeof path, "%s/report.pem", fed->root);
    const char *monthly[] = {"report", "monthly", "--month", month, "--out",
                             path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, monthly), 0);
    const char *ok[] = {"report", "verify", path, "--trust", fed->trust,
                        "--root", xt_fed_anchor (fed),
                        NULL};
    s_expect (-1, ok, 0, "VALID");
    size_t len = 0;
    uint8_t *sr = s_read_armored (path, XC_ARMOR_REPORT, &len);
    uint8_t buf[65536 + 4096];
    assert_true (len < 65536);
    for (int v = 0; v < SHADOWS; v++) {
        memcpy (buf, sr, len);
        size_t n = v == SHADOW_UNKNOWN
            ? s_append (buf, len, 15, (const uint8_t *) "x", 1)
            : v == SHADOW_KEY_ID
            ? s_append (buf, len, 3, (const uint8_t *) "0000000000000000", 16)
            : s_append (buf, len, 1, sr, len);   /* any second report */
        const char *shadow = s_write_armored ("shadow-report.pem",
                                              XC_ARMOR_REPORT, buf, n);
        const char *args[] = {"report", "verify", shadow, "--trust",
                              fed->trust, "--root", xt_fed_anchor (fed), NULL};
        s_expect (-1, args, 1, report_why[v]);
    }
    free (sr);
}

/*  An audit entry (daemon/store/audit.h layout) into out; returns its
    length. */
static size_t
s_entry (uint8_t *out, uint8_t kind, uint64_t t, const uint8_t prev[32],
         const char *peer, const uint8_t *data, size_t len)
{
    memset (out, 0, 56);
    out[0] = 1;
    out[1] = kind;
    xc_put_u32 (out + 4, (uint32_t) len);
    xc_put_u64 (out + 8, t);
    memcpy (out + 16, prev, 32);
    memcpy (out + 48, peer, strlen (peer));
    memcpy (out + 56, data, len);
    return 56 + len;
}

/*  A log of the rogue node: entry 1 received env, entry 2 the rogue's
    signed checkpoint over entry 1.  Its export, verified by the CLI. */
static void
s_audit_verify (const uint8_t *env, size_t len, int status, const char *want)
{
    static const uint8_t zero[32];
    uint8_t e1[16384], e2[512], hash[1][32];
    assert_true (len + 56 <= sizeof e1);
    size_t n1 = s_entry (e1, 2, xc_now_ms (), zero, "341002", env, len);
    xc_sha256 (e1, n1, hash[0]);
    xc_checkpoint_t cp = {.tree_size = 1, .time_ms = xc_now_ms ()};
    xc_merkle_root ((const uint8_t (*)[32]) hash, 1, cp.root);
    snprintf (cp.node, sizeof cp.node, "%s", XT_ROGUE);
    snprintf (cp.key_id, sizeof cp.key_id, "%s", fed->rogue_key_id);
    uint8_t record[XC_CHECKPOINT_LEN];
    assert_int_equal (xc_checkpoint_sign (&cp, fed->rogue_key, record), 0);
    /* a checkpoint's entry bears the checkpoint's own time */
    size_t n2 = s_entry (e2, 9, cp.time_ms, hash[0], "", record,
                         sizeof record);
    xc_auditfile_t file;
    assert_int_equal (xc_auditfile_init (&file, 2, 1, 2), 0);
    assert_int_equal (xc_auditfile_add (&file, 1, e1, n1, 1), 0);
    assert_int_equal (xc_auditfile_add (&file, 2, e2, n2, 1), 0);
    char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/export.xca", fed->root);
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    assert_int_equal (fwrite (file.data, 1, file.len, f), file.len);
    fclose (f);
    xc_auditfile_free (&file);
    const char *args[] = {"audit", "verify", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), NULL};
    s_expect (-1, args, status, want);
}

static void
test_audit_verify (void **state)
{
    (void) state;
    s_audit_verify (cert, cert_len, 0, NULL);
    uint8_t buf[8192 + 4096];
    for (int v = 0; v < SHADOWS; v++) {
        size_t n = s_shadow (v, cert, cert_len, buf);
        s_audit_verify (buf, n, 1, env_why[v]);
    }
}

/*  Waits up to 10 s for node i's log to hold needle more than before
    times; the node logs a refusal after its commit. */
static void
s_await_log (size_t i, const char *needle, int before)
{
    for (int k = 0; k < 200 && xt_fed_log_count (fed, i, needle) <= before;
         k++)
        usleep (50 * 1000);
    if (xt_fed_log_count (fed, i, needle) <= before) {
        xt_fed_log_tail (fed, i, 20);
        fail_msg ("node %zu never logged \"%s\"", i, needle);
    }
}

/*  The node's door: a wrapper shadow is refused as bytes that do not
    parse (audited, not answered: it has no one signed part to answer);
    a shadow inside the signed bytes, validly signed, gets a signed
    ERR_MALFORMED naming the field; a clean query is still answered. */
static void
test_peer_socket (void **state)
{
    (void) state;
    uint8_t ref[XC_REF_LEN], buf[8192 + 4096];
    xt_fed_ref (fed, "341002198001011237", ref);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    uint64_t before = xt_fed_audit_entries (fed, TUNXI);
    for (int v = 0; v < SHADOWS; v++) {
        uint8_t *q = NULL;
        size_t qlen = 0;
        xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
        size_t n = s_shadow (v, q, qlen, buf);
        free (q);
        char needle[200];
        snprintf (needle, sizeof needle, "refused message from %s: "
                  "ERR_MALFORMED: %s", XT_ROGUE, env_why[v]);
        int seen = xt_fed_log_count (fed, TUNXI, needle);
        zsock_send (peer, "b", buf, n);
        s_await_log (TUNXI, needle, seen);
    }
    assert_true (xt_fed_audit_entries (fed, TUNXI) >= before + SHADOWS);

    /* inside the signed bytes: an unknown field of Query, signed */
    uint8_t *q = NULL;
    size_t qlen = 0;
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, qlen, q);
    assert_non_null (e);
    uint8_t inner[4096];
    memcpy (inner, e->signed_.data, e->signed_.len);
    size_t in = s_append (inner, e->signed_.len, 15,
                          (const uint8_t *) "x", 1);
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (fed->rogue_key, XC_CTX_ENVELOPE, inner, in,
                               sig), 0);
    Xiecha__Envelope forged = *e;
    forged.signed_ = (ProtobufCBinaryData) {in, inner};
    forged.signature = (ProtobufCBinaryData) {XC_SIG_LEN, sig};
    size_t flen = xiecha__envelope__get_packed_size (&forged);
    assert_true (flen <= sizeof buf);
    xiecha__envelope__pack (&forged, buf);
    xiecha__envelope__free_unpacked (e, NULL);
    free (q);
    zframe_t *f = xt_exchange (peer, buf, flen, 5000);
    assert_non_null (f);
    xc_opened_t op = {0};
    char why[300];
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (op.msg->error->code, XIECHA__ERROR_CODE__ERR_MALFORMED);
    assert_string_equal (op.msg->error->message,
                         "Signed: unknown field 15");
    xc_opened_free (&op);
    zframe_destroy (&f);

    /* and a clean one is answered with a certificate */
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    f = xt_exchange (peer, q, qlen, 5000);
    free (q);
    assert_non_null (f);
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type,
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    xc_opened_free (&op);
    zframe_destroy (&f);
    zsock_destroy (&peer);
    xt_fed_audit_check (fed, TUNXI);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_cert_verify),
        cmocka_unit_test (test_audit_prove),
        cmocka_unit_test (test_report_verify),
        cmocka_unit_test (test_audit_verify),
        cmocka_unit_test (test_peer_socket),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
