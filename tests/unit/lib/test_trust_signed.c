/*  test_trust_signed.c - the trust list's root signature (LIST.sig). */
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
static char s_sig[140];
static xc_key_t *s_root;     /* the network's root key */
static xc_key_t *s_other;    /* any other key: must not be able to sign */
static uint8_t s_root_pub[XC_PUBKEY_LEN];

static int
s_setup (void **state)
{
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-test-trust-signed-XXXXXX");
    if (!mkdtemp (s_dir))
        return -1;
    snprintf (s_path, sizeof s_path, "%s/trust.zpl", s_dir);
    snprintf (s_sig, sizeof s_sig, "%s.sig", s_path);
    s_root = xc_key_generate ();
    s_other = xc_key_generate ();
    xc_key_public (s_root, s_root_pub);
    return s_root && s_other ? 0 : -1;
}

static int
s_teardown (void **state)
{
    xc_key_destroy (&s_root);
    xc_key_destroy (&s_other);
    unlink (s_sig);
    unlink (s_path);
    return rmdir (s_dir);
}

/*  Writes a one-node list with this serial (0 = no header at all). */
static void
s_write_list (unsigned serial)
{
    xc_key_t *key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN], raw[32];
    char hex[2 * XC_PUBKEY_LEN + 1], curve[41];
    xc_key_public (key, pub);
    xc_key_destroy (&key);
    xc_hex (pub, sizeof pub, hex);
    xc_random (raw, sizeof raw);
    zmq_z85_encode (curve, raw, sizeof raw);
    FILE *f = fopen (s_path, "w");
    assert_non_null (f);
    fprintf (f, "trust\n    version = 1\n");
    if (serial)
        fprintf (f, "    serial = %u\n"
                    "    issued = \"2026-03-01T00:00:00Z\"\n"
                    "    next_update = \"2026-04-01T00:00:00Z\"\n", serial);
    fprintf (f, "    node\n        code = \"469021\"\n"
                "        endpoint = \"tcp://127.0.0.1:7101\"\n"
                "        curve = \"%s\"\n"
                "        key\n            public = \"%s\"\n", curve, hex);
    fclose (f);
}

static void
s_sign (xc_key_t *key)
{
    char why[512] = "";
    if (xc_trust_sign (s_path, key, why, sizeof why) != 0)
        fail_msg ("%s", why);
}

/*  Expects load_signed to refuse, with why containing expected. */
static void
s_expect_refused (uint64_t min_version, const char *expected)
{
    char why[512] = "";
    xc_trust_t *trust = xc_trust_load_signed (s_path, s_root_pub, min_version,
                                              why, sizeof why);
    if (trust)
        fail_msg ("accepted; expected: %s", expected);
    if (!strstr (why, expected))
        fail_msg ("why '%s' lacks '%s'", why, expected);
}

static void
test_good (void **state)
{
    s_write_list (7);
    s_sign (s_root);
    char why[512] = "";
    xc_trust_t *trust = xc_trust_load_signed (s_path, s_root_pub, 7, why,
                                              sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    assert_int_equal (xc_trust_size (trust), 1);
    assert_int_equal (xc_trust_serial (trust), 7);
    assert_int_equal (xc_trust_issued (trust), 1772323200000ULL);
    assert_int_equal (xc_trust_next_update (trust), 1775001600000ULL);
    assert_int_equal (xc_trust_key_count (trust), 1);
    assert_string_equal (xc_trust_key_at (trust, 0)->node, "469021");
    xc_trust_destroy (&trust);
    /* the unsigned loader still reads a signed list */
    trust = xc_trust_load (s_path, why, sizeof why);
    assert_non_null (trust);
    xc_trust_destroy (&trust);
}

static void
test_flipped_byte (void **state)
{
    s_write_list (7);
    s_sign (s_root);
    /* "469021" becomes "469022": still a valid list, no longer signed */
    FILE *f = fopen (s_path, "r+");
    assert_non_null (f);
    char buf[4096];
    size_t n = fread (buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    char *at = strstr (buf, "469021");
    assert_non_null (at);
    fseek (f, (long) (at - buf) + 5, SEEK_SET);
    fputc ('2', f);
    fclose (f);
    s_expect_refused (1, "does not match the file");
}

static void
test_not_root (void **state)
{
    s_write_list (7);
    s_sign (s_other);
    uint8_t pub[XC_PUBKEY_LEN];
    char other_id[XC_KEY_ID_LEN + 1], root_id[XC_KEY_ID_LEN + 1], msg[128];
    xc_key_public (s_other, pub);
    xc_key_id (pub, other_id);
    xc_key_id (s_root_pub, root_id);
    snprintf (msg, sizeof msg, "signed by key %s, not the root key %s",
              other_id, root_id);
    s_expect_refused (1, msg);

    /* a forged line naming the root's id with the other key's signature */
    FILE *f = fopen (s_sig, "r+");
    assert_non_null (f);
    fputs (root_id, f);
    fclose (f);
    s_expect_refused (1, "does not match the file");
}

static void
test_older_version (void **state)
{
    s_write_list (6);
    s_sign (s_root);
    s_expect_refused (7, "serial 6 is older than 7");
}

static void
test_missing_sig_or_header (void **state)
{
    s_write_list (7);
    unlink (s_sig);
    s_expect_refused (0, "the trust list is not signed");

    FILE *f = fopen (s_sig, "w");
    fputs ("not a signature\n", f);
    fclose (f);
    s_expect_refused (0, "must be one line");

    /* signed, but without serial/issued/next_update */
    s_write_list (0);
    s_sign (s_root);
    s_expect_refused (0, "needs serial, issued and next_update");

    unlink (s_path);
    s_expect_refused (0, "No such file");
}

/*  The digest is of the bytes parsed: the same whichever loader read
    them, and another for a list that differs by a comment. */
static void
test_digest (void **state)
{
    s_write_list (7);
    s_sign (s_root);
    FILE *f = fopen (s_path, "r");
    assert_non_null (f);
    char text[4096];
    size_t n = fread (text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose (f);
    uint8_t want[XC_HASH_LEN], got[XC_HASH_LEN];
    xc_sha256 (text, n, want);

    char why[512] = "";
    xc_trust_t *signed_ = xc_trust_load_signed (s_path, s_root_pub, 0, why,
                                                sizeof why);
    xc_trust_t *plain = xc_trust_load (s_path, why, sizeof why);
    xc_trust_t *mem = xc_trust_load_text (text, "mem", why, sizeof why);
    assert_non_null (signed_);
    assert_non_null (plain);
    assert_non_null (mem);
    xc_trust_digest (signed_, got);
    assert_memory_equal (got, want, XC_HASH_LEN);
    xc_trust_digest (plain, got);
    assert_memory_equal (got, want, XC_HASH_LEN);
    xc_trust_digest (mem, got);
    assert_memory_equal (got, want, XC_HASH_LEN);
    xc_trust_destroy (&mem);

    /* One comment more: same serial, same nodes, other bytes. */
    strcat (text, "# re-signed\n");
    mem = xc_trust_load_text (text, "mem", why, sizeof why);
    assert_non_null (mem);
    assert_int_equal (xc_trust_serial (mem), xc_trust_serial (signed_));
    xc_trust_digest (mem, got);
    assert_memory_not_equal (got, want, XC_HASH_LEN);
    xc_trust_destroy (&mem);
    xc_trust_destroy (&plain);
    xc_trust_destroy (&signed_);
}

static void
test_bad_header (void **state)
{
    char why[512] = "";
    FILE *f = fopen (s_path, "w");
    fputs ("trust\n    version = 1\n    serial = 0\n", f);
    fclose (f);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    assert_non_null (strstr (why, "serial: must be a positive integer"));
    f = fopen (s_path, "w");
    fputs ("trust\n    version = 1\n    issued = \"yesterday\"\n", f);
    fclose (f);
    assert_null (xc_trust_load (s_path, why, sizeof why));
    assert_non_null (strstr (why, "issued: must be a UTC time"));
}

/*  The validity period: issued .. next_update, both ends inside. */
static void
test_period (void **state)
{
    const uint64_t issued = 1772323200000ULL;   /* 2026-03-01 */
    const uint64_t next = 1775001600000ULL;     /* 2026-04-01 */
    char why[512] = "";
    s_write_list (3);
    xc_trust_t *t = xc_trust_load (s_path, why, sizeof why);
    assert_non_null (t);
    assert_int_equal (xc_trust_check_period (t, "L", issued, why,
                                             sizeof why), 0);
    assert_int_equal (xc_trust_check_period (t, "L", next, why, sizeof why),
                      0);
    assert_int_equal (xc_trust_check_period (t, "L", next + 1, why,
                                             sizeof why), XC_ESTALE);
    assert_string_equal (why, "trust list L (serial 3) expired at "
                              "2026-04-01T00:00:00.000Z (next update due "
                              "then; checked at 2026-04-01T00:00:00.001Z)");
    assert_int_equal (xc_trust_check_period (t, "L", issued - 1, why,
                                             sizeof why), XC_ESTALE);
    assert_non_null (strstr (why, "not issued until 2026-03-01"));
    xc_trust_destroy (&t);
    /* a list without a header has no period: refused */
    s_write_list (0);
    t = xc_trust_load (s_path, why, sizeof why);
    assert_non_null (t);
    assert_int_equal (xc_trust_check_period (t, "L", issued, why,
                                             sizeof why), XC_ESTALE);
    assert_non_null (strstr (why, "gives no issued/next_update"));
    xc_trust_destroy (&t);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good),
        cmocka_unit_test (test_flipped_byte),
        cmocka_unit_test (test_not_root),
        cmocka_unit_test (test_older_version),
        cmocka_unit_test (test_missing_sig_or_header),
        cmocka_unit_test (test_bad_header),
        cmocka_unit_test (test_digest),
        cmocka_unit_test (test_period),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
