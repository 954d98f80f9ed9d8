/*  test_trust.c - loading and checking the trust list. */
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

#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/trust.h"

static char s_dir[64];
static char s_path[128];

/* Two fixed public keys and CURVE keys, made fresh per run. */
static char s_pub[3][2 * XC_PUBKEY_LEN + 1];
static char s_curve[3][41];

static int
s_setup (void **state)
{
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-test-trust-XXXXXX");
    if (!mkdtemp (s_dir))
        return -1;
    snprintf (s_path, sizeof s_path, "%s/trust.zpl", s_dir);
    for (int i = 0; i < 3; i++) {
        xc_key_t *key = xc_key_generate ();
        uint8_t pub[XC_PUBKEY_LEN], raw[32];
        xc_key_public (key, pub);
        xc_hex (pub, sizeof pub, s_pub[i]);
        xc_key_destroy (&key);
        xc_random (raw, sizeof raw);
        zmq_z85_encode (s_curve[i], raw, sizeof raw);
    }
    return 0;
}

static int
s_teardown (void **state)
{
    unlink (s_path);
    return rmdir (s_dir);
}

static void
s_write (const char *text)
{
    FILE *f = fopen (s_path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
}

/*  A node section; extra lines are appended inside it verbatim. */
static void
s_node (char *buf, size_t cap, const char *code, const char *curve,
        const char *pub, const char *key_extra, const char *extra)
{
    size_t at = strlen (buf);
    snprintf (buf + at, cap - at,
              "    node\n"
              "        code = \"%s\"\n"
              "        name = \"County %s\"\n"
              "        endpoint = \"tcp://127.0.0.1:7101\"\n"
              "        curve = \"%s\"\n"
              "%s"
              "        key\n"
              "            public = \"%s\"\n"
              "%s",
              code, code, curve, extra ? extra : "", pub,
              key_extra ? key_extra : "");
}

/*  Loads the text and expects failure with exactly this message. */
static void
s_expect_fail (const char *text, const char *expected)
{
    char why[512] = "";
    s_write (text);
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (trust)
        fail_msg ("loaded a bad list; expected: %s", expected);
    /* messages start with the path; compare the rest */
    size_t plen = strlen (s_path);
    assert_memory_equal (why, s_path, plen);
    assert_string_equal (why + plen, expected);
}

static void
test_good_list (void **state)
{
    char text[4096] = "# a comment\ntrust\n    version = 1\n";
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0],
            "            not_before = \"2026-01-01T00:00:00Z\"\n"
            "            not_after = \"2027-01-01T00:00:00Z\"\n"
            "        key\n"
            "            public = \"", NULL);
    /* second key of the first node */
    size_t at = strlen (text);
    snprintf (text + at, sizeof text - at, "%s\"\n", s_pub[2]);
    s_node (text, sizeof text, "110105", s_curve[1], s_pub[1], NULL, NULL);
    s_write (text);

    char why[512] = "";
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    assert_int_equal (xc_trust_size (trust), 2);
    /* nodes come back sorted by code */
    assert_string_equal (xc_trust_at (trust, 0)->code, "110105");
    assert_string_equal (xc_trust_at (trust, 1)->code, "469021");
    assert_null (xc_trust_at (trust, 2));

    const xc_trust_node_t *n = xc_trust_node (trust, "469021");
    assert_non_null (n);
    assert_string_equal (n->name, "County 469021");
    assert_string_equal (n->endpoint, "tcp://127.0.0.1:7101");
    assert_string_equal (n->curve, s_curve[0]);
    assert_null (xc_trust_node (trust, "469022"));
    assert_null (xc_trust_node (trust, "4690211"));

    uint8_t pub[XC_PUBKEY_LEN];
    char id[XC_KEY_ID_LEN + 1];
    xc_unhex (s_pub[0], pub, sizeof pub);
    xc_key_id (pub, id);
    const xc_trust_key_t *k = xc_trust_key (trust, id);
    assert_non_null (k);
    assert_string_equal (k->node, "469021");
    assert_memory_equal (k->pub, pub, XC_PUBKEY_LEN);
    assert_int_equal (k->not_before, 1767225600000ULL);
    assert_int_equal (k->not_after, 1798761600000ULL);
    assert_non_null (k->key);

    xc_unhex (s_pub[2], pub, sizeof pub);
    xc_key_id (pub, id);
    k = xc_trust_key (trust, id);
    assert_non_null (k);
    assert_string_equal (k->node, "469021");
    assert_int_equal (k->not_before, 0);
    assert_int_equal (k->not_after, 0);

    xc_unhex (s_pub[1], pub, sizeof pub);
    xc_key_id (pub, id);
    k = xc_trust_key (trust, id);
    assert_non_null (k);
    assert_string_equal (k->node, "110105");
    assert_null (xc_trust_key (trust, "0123456789abcdef"));

    assert_true (xc_trust_has_curve (trust, s_curve[1]));
    assert_false (xc_trust_has_curve (trust, s_curve[2]));
    assert_false (xc_trust_has_curve (trust, ""));

    xc_trust_destroy (&trust);
    assert_null (trust);
    xc_trust_destroy (&trust);
}

static void
test_revoked_at (void **state)
{
    char text[4096] = "trust\n    version = 1\n";
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0],
            "            not_before = \"2026-01-01T00:00:00Z\"\n"
            "            revoked_at = \"2026-06-01T00:00:00Z\"\n"
            "            revoked_reason = \"retired\"\n", NULL);
    s_write (text);
    char why[512] = "";
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    const xc_trust_key_t *k = xc_trust_key_at (trust, 0);
    assert_non_null (k);
    const uint64_t revoked = 1780272000000ULL;   /* 2026-06-01 */
    assert_int_equal (k->revoked_at, revoked);
    assert_int_equal (xc_trust_key_check (k, revoked - 1, why, sizeof why),
                      0);
    assert_int_equal (xc_trust_key_check (k, revoked, why, sizeof why),
                      XC_EUNKNOWN);
    char expected[160];
    snprintf (expected, sizeof expected,
              "key %s of node 469021 retired at 2026-06-01T00:00:00.000Z "
              "(made at 2026-06-01T00:00:00.000Z)", k->id);
    assert_string_equal (why, expected);
    assert_int_equal (xc_trust_key_check (k, revoked + 86400000ULL, why,
                                          sizeof why), XC_EUNKNOWN);
    /* the window still comes first */
    assert_int_equal (xc_trust_key_check (k, 1767225600000ULL - 1, why,
                                          sizeof why), XC_EUNKNOWN);
    assert_non_null (strstr (why, "(valid from 2026-01-01T00:00:00.000Z)"));
    xc_trust_destroy (&trust);

    text[0] = '\0';
    strcat (text, "trust\n    version = 1\n");
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0],
            "            revoked_at = \"yesterday\"\n", NULL);
    s_expect_fail (text, ": node 1 (469021): key 1: revoked_at: must be a "
                         "UTC time like 2026-01-01T00:00:00Z");
    text[0] = '\0';
    strcat (text, "trust\n    version = 1\n");
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0],
            "            not_before = \"2026-01-01T00:00:00Z\"\n"
            "            revoked_at = \"2025-06-01T00:00:00Z\"\n", NULL);
    s_expect_fail (text, ": node 1 (469021): key 1: revoked_at: must not be "
                         "earlier than not_before");
}

#define S_BAD_CHECKPOINT                                                     \
    ": node 1 (469021): key 1: trusted_checkpoint: must be \"SIZE:ROOT\", a " \
    "tree size and its Merkle root in 64 hex characters"

/*  revoked_reason and trusted_checkpoint, and the rules between them. */
static void
test_revocation_reasons (void **state)
{
    static const char *const root = "0123456789abcdef0123456789abcdef"
                                    "0123456789abcdef0123456789abcdef";
    char text[4096] = "trust\n    version = 1\n", lines[512], why[512] = "";
    snprintf (lines, sizeof lines,
              "            revoked_at = \"2026-06-01T00:00:00Z\"\n"
              "            revoked_reason = \"compromised\"\n"
              "            trusted_checkpoint = \"1200:%s\"\n", root);
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0], lines, NULL);
    s_write (text);
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    const xc_trust_key_t *k = xc_trust_key_at (trust, 0);
    assert_int_equal (k->revoked_reason, XC_REVOKED_COMPROMISED);
    assert_int_equal (k->trusted_size, 1200);
    uint8_t raw[32];
    xc_unhex (root, raw, sizeof raw);
    assert_memory_equal (k->trusted_root, raw, sizeof raw);
    assert_string_equal (xc_trust_reason_name (k->revoked_reason),
                         "compromised");
    /* nothing it signed, whenever it claims */
    assert_int_equal (xc_trust_key_check (k, 1000, why, sizeof why),
                      XC_EUNKNOWN);
    assert_non_null (strstr (why, "revoked as compromised"));
    xc_trust_destroy (&trust);

    struct { const char *lines, *why; } bad[] = {
        {"            revoked_reason = \"retired\"\n",
         ": node 1 (469021): key 1: revoked_reason: needs revoked_at"},
        {"            revoked_at = \"2026-06-01T00:00:00Z\"\n"
         "            revoked_reason = \"lost\"\n",
         ": node 1 (469021): key 1: revoked_reason: must be \"retired\" or "
         "\"compromised\""},
        {"            revoked_at = \"2026-06-01T00:00:00Z\"\n"
         "            revoked_reason = \"retired\"\n"
         "            trusted_checkpoint = \"5:00\"\n",
         S_BAD_CHECKPOINT},
        {"            revoked_at = \"2026-06-01T00:00:00Z\"\n"
         "            trusted_checkpoint = \"0:" "0123456789abcdef0123456789"
         "abcdef0123456789abcdef0123456789abcdef\"\n",
         S_BAD_CHECKPOINT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        text[0] = '\0';
        strcat (text, "trust\n    version = 1\n");
        s_node (text, sizeof text, "469021", s_curve[0], s_pub[0],
                bad[i].lines, NULL);
        s_expect_fail (text, bad[i].why);
    }
    /* a checkpoint is the exception of a compromised key only */
    text[0] = '\0';
    snprintf (lines, sizeof lines,
              "            revoked_at = \"2026-06-01T00:00:00Z\"\n"
              "            revoked_reason = \"retired\"\n"
              "            trusted_checkpoint = \"7:%s\"\n", root);
    strcat (text, "trust\n    version = 1\n");
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0], lines, NULL);
    s_expect_fail (text, ": node 1 (469021): key 1: trusted_checkpoint: goes "
                         "with revoked_reason \"compromised\" only (a retired "
                         "key keeps what it made before revoked_at)");
}

/*  max_cert_lifetime_days: default 31, 1..366. */
static void
test_cert_lifetime (void **state)
{
    char text[4096] = "trust\n    version = 1\n", why[512] = "";
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0], "", NULL);
    s_write (text);
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    assert_non_null (trust);
    assert_int_equal (xc_trust_max_cert_lifetime (trust),
                      XC_TRUST_MAX_CERT_LIFETIME);
    assert_int_equal (XC_TRUST_MAX_CERT_LIFETIME, 31);
    xc_trust_destroy (&trust);
    assert_int_equal (xc_trust_max_cert_lifetime (NULL), 31);
    s_expect_fail ("trust\n    version = 1\n    max_cert_lifetime_days = 367\n",
                   ": trust: max_cert_lifetime_days: must be 1..366 days, "
                   "got '367'");
    s_expect_fail ("trust\n    version = 1\n    max_cert_lifetime_days = 0\n",
                   ": trust: max_cert_lifetime_days: must be 1..366 days, "
                   "got '0'");
    s_write ("trust\n    version = 1\n    max_cert_lifetime_days = 7\n");
    trust = xc_trust_load (s_path, why, sizeof why);
    assert_non_null (trust);
    assert_int_equal (xc_trust_max_cert_lifetime (trust), 7);
    xc_trust_destroy (&trust);
}

static void
test_missing_and_garbage (void **state)
{
    char why[512] = "";
    unlink (s_path);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    assert_non_null (strstr (why, "No such file"));

    s_expect_fail ("", ": no `trust` section");
    s_expect_fail ("trust\n    node\n", ": trust: version: must be 1");
    s_expect_fail ("trust\n    version = 2\n", ": trust: version: must be 1");
    s_expect_fail ("trust\n    version = 1\n    nodes\n",
                   ": trust: nodes: unknown field");
}

/*  A list of no node yet, as `xiecha trust create` begins one, loads;
    it only names nobody. */
static void
test_empty_list (void **state)
{
    char why[512] = "";
    s_write ("# begun\ntrust\n    version = 1\n    serial = 1\n");
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    assert_int_equal (xc_trust_size (trust), 0);
    assert_int_equal (xc_trust_key_count (trust), 0);
    assert_int_equal (xc_trust_serial (trust), 1);
    assert_null (xc_trust_node (trust, "469021"));
    assert_null (xc_trust_key (trust, "0000000000000000"));
    assert_false (xc_trust_has_curve (trust, s_curve[0]));
    xc_trust_destroy (&trust);
}

static void
test_bad_fields (void **state)
{
    char text[4096];
#define BASE "trust\n    version = 1\n"
    /* the second node carries the fault so the index is checked */
    strcpy (text, BASE);
    s_node (text, sizeof text, "469021", s_curve[0], s_pub[0], NULL, NULL);
    s_node (text, sizeof text, "469028", "tooshort", s_pub[1], NULL, NULL);
    s_expect_fail (text, ": node 2 (469028): curve: must be 40 Z85 "
                         "characters");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028",
            "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~", s_pub[1], NULL,
            NULL);
    s_expect_fail (text, ": node 1 (469028): curve: must be 40 Z85 "
                         "characters");

    strcpy (text, BASE);
    s_node (text, sizeof text, "990000", s_curve[0], s_pub[0], NULL, NULL);
    s_expect_fail (text, ": node 1: code: must be a 6-digit division code "
                         "with a province 11..82");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], "abcd", NULL, NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: public: must be 64 hex "
                         "characters (Ed25519 public key)");

    /* 64 hex characters, but keys no honest signer has (doc/FORMATS.md
       1.1 rule 2): the identity, under which anything verifies with
       R = [S]B, and an honest key plus a point of order 8
       (tests/vectors/ed25519.txt, a-mixed-order). */
    static const char *unusable[] = {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "fecd6a46779f649b10aa945f98d4947d6727e4004968cb493c11e1b182e2f8fc"};
    for (size_t i = 0; i < 2; i++) {
        strcpy (text, BASE);
        s_node (text, sizeof text, "469028", s_curve[0], unusable[i], NULL,
                NULL);
        s_expect_fail (text, ": node 1 (469028): key 1: public: not a usable "
                             "Ed25519 public key");
    }

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            not_before = \"2026-02-30T00:00:00Z\"\n", NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: not_before: must be a "
                         "UTC time like 2026-01-01T00:00:00Z");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            not_after = \"2026-01-01 00:00:00\"\n", NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: not_after: must be a "
                         "UTC time like 2026-01-01T00:00:00Z");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            not_before = \"2027-01-01T00:00:00Z\"\n"
            "            not_after = \"2026-01-01T00:00:00Z\"\n", NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: not_after: must be "
                         "later than not_before");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            not_afer = \"2026-01-01T00:00:00Z\"\n", NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: not_afer: unknown "
                         "field");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL,
            "        colour = \"red\"\n");
    s_expect_fail (text, ": node 1 (469028): colour: unknown field");

    snprintf (text, sizeof text,
              BASE "    node\n        code = \"469028\"\n"
                   "        endpoint = \"localhost\"\n"
                   "        curve = \"%s\"\n        key\n"
                   "            public = \"%s\"\n", s_curve[0], s_pub[0]);
    s_expect_fail (text, ": node 1 (469028): endpoint: must be a ZeroMQ "
                         "endpoint like tcp://host:port, under 256 bytes");

    s_expect_fail (BASE "    node\n        code = \"469028\"\n"
                        "        curve = \"" "0000000000000000000000000000000000000000" "\"\n",
                   ": node 1 (469028): key: a node needs at least one key");
    s_expect_fail (BASE "    node\n        name = \"x\"\n",
                   ": node 1: code: missing");
    s_expect_fail (BASE "    node\n        code = \"469028\"\n",
                   ": node 1 (469028): curve: missing");

    char key_only[512];
    snprintf (key_only, sizeof key_only,
              BASE "    node\n        code = \"469028\"\n"
                   "        curve = \"%s\"\n        key\n"
                   "            not_after = \"2027-01-01T00:00:00Z\"\n",
              s_curve[0]);
    s_expect_fail (key_only, ": node 1 (469028): key 1: public: missing");
}

/*  A field given twice in one section: one value would be silently
    ignored (a second public line replaced the first, which leaked), so
    the list is refused, naming the field. */
static void
test_repeated_fields (void **state)
{
    char text[4096];
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            public = \"", NULL);
    strcat (text, s_pub[1]);
    strcat (text, "\"\n");
    s_expect_fail (text, ": node 1 (469028): key 1: public: given twice "
                         "in one key");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0],
            "            not_after = \"2027-01-01T00:00:00Z\"\n"
            "            not_after = \"2030-01-01T00:00:00Z\"\n", NULL);
    s_expect_fail (text, ": node 1 (469028): key 1: not_after: given twice "
                         "in one key");

    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL,
            "        name = \"Another County\"\n");
    s_expect_fail (text, ": node 1 (469028): name: given twice in one node");

    s_expect_fail (BASE "    version = 1\n", ": trust: version: given twice");
    s_expect_fail (BASE "    serial = 2\n    serial = 3\n",
                   ": trust: serial: given twice");

    /* Two keys of one node are two sections, not a repeated field. */
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL, NULL);
    strcat (text, "        key\n            public = \"");
    strcat (text, s_pub[1]);
    strcat (text, "\"\n");
    s_write (text);
    char why[512] = "";
    xc_trust_t *trust = xc_trust_load (s_path, why, sizeof why);
    if (!trust)
        fail_msg ("a node with two keys was refused: %s", why);
    assert_int_equal (xc_trust_key_count (trust), 2);
    xc_trust_destroy (&trust);
}

static void
test_duplicates (void **state)
{
    char text[4096], expected[256];
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL, NULL);
    s_node (text, sizeof text, "110105", s_curve[1], s_pub[1], NULL, NULL);
    s_node (text, sizeof text, "469028", s_curve[2], s_pub[2], NULL, NULL);
    s_expect_fail (text, ": node 3 (469028): code: listed twice (also "
                         "node 1)");

    /* one key for two nodes */
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL, NULL);
    s_node (text, sizeof text, "110105", s_curve[1], s_pub[0], NULL, NULL);
    uint8_t pub[XC_PUBKEY_LEN];
    char id[XC_KEY_ID_LEN + 1];
    xc_unhex (s_pub[0], pub, sizeof pub);
    xc_key_id (pub, id);
    char why[512] = "";
    s_write (text);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    snprintf (expected, sizeof expected, ": key %s: listed twice", id);
    assert_non_null (strstr (why, expected));
    assert_non_null (strstr (why, "(469028)"));
    assert_non_null (strstr (why, "(110105)"));

    /* one key twice within a node */
    char key2[256];
    snprintf (key2, sizeof key2, "        key\n            public = \"%s\"\n",
              s_pub[0]);
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], key2, NULL);
    s_write (text);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    assert_non_null (strstr (why, "listed twice"));

    /* one CURVE key for two nodes */
    strcpy (text, BASE);
    s_node (text, sizeof text, "469028", s_curve[0], s_pub[0], NULL, NULL);
    s_node (text, sizeof text, "110105", s_curve[0], s_pub[1], NULL, NULL);
    s_write (text);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    assert_non_null (strstr (why, "curve key of node 110105 also listed "
                                  "for node 469028"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_list),
        cmocka_unit_test (test_revoked_at),
        cmocka_unit_test (test_revocation_reasons),
        cmocka_unit_test (test_cert_lifetime),
        cmocka_unit_test (test_missing_and_garbage),
        cmocka_unit_test (test_empty_list),
        cmocka_unit_test (test_bad_fields),
        cmocka_unit_test (test_repeated_fields),
        cmocka_unit_test (test_duplicates),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
