/*  test_crypto.c - keys, domain-separated signatures, hashes, subject
    refs, hex and salt files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/id.h"

static char s_dir[64];

static int
s_setup (void **state)
{
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-test-crypto-XXXXXX");
    return mkdtemp (s_dir) ? 0 : -1;
}

static int
s_teardown (void **state)
{
    char cmd[128];
    snprintf (cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    return system (cmd) == 0 ? 0 : -1;
}

static void
s_path (char *out, size_t cap, const char *name)
{
    snprintf (out, cap, "%s/%s", s_dir, name);
}

static void
s_write (const char *path, const char *text)
{
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
}

static void
test_sign_verify (void **state)
{
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    const uint8_t msg[] = "hello county";
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig), 0);
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig,
                                 XC_SIG_LEN), 0);

    /* the public half alone verifies too */
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (key, pub);
    xc_key_t *pub_only = xc_key_from_public (pub);
    assert_non_null (pub_only);
    assert_int_equal (xc_verify (pub_only, XC_CTX_ENVELOPE, msg, sizeof msg,
                                 sig, XC_SIG_LEN), 0);
    /* ... but cannot sign */
    assert_int_equal (xc_sign (pub_only, XC_CTX_ENVELOPE, msg, sizeof msg,
                               sig), XC_EKEY);

    /* altered message, signature, length */
    uint8_t bad[sizeof msg];
    memcpy (bad, msg, sizeof msg);
    bad[0] ^= 1;
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, bad, sizeof bad, sig,
                                 XC_SIG_LEN), XC_ESIG);
    sig[10] ^= 0x80;
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig,
                                 XC_SIG_LEN), XC_ESIG);
    sig[10] ^= 0x80;
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig,
                                 XC_SIG_LEN - 1), XC_ESIG);
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, msg, sizeof msg - 1,
                                 sig, XC_SIG_LEN), XC_ESIG);

    /* another key does not verify it */
    xc_key_t *other = xc_key_generate ();
    assert_int_equal (xc_verify (other, XC_CTX_ENVELOPE, msg, sizeof msg, sig,
                                 XC_SIG_LEN), XC_ESIG);

    /* empty message */
    assert_int_equal (xc_sign (key, XC_CTX_REPORT, NULL, 0, sig), 0);
    assert_int_equal (xc_verify (pub_only, XC_CTX_REPORT, NULL, 0, sig,
                                 XC_SIG_LEN), 0);

    xc_key_destroy (&other);
    xc_key_destroy (&pub_only);
    xc_key_destroy (&key);
    assert_null (key);
    xc_key_destroy (&key);    /* harmless twice */
}

static void
test_context_separation (void **state)
{
    xc_key_t *key = xc_key_generate ();
    const uint8_t msg[] = "same bytes";
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (key, XC_CTX_ENVELOPE, msg, sizeof msg, sig), 0);
    assert_int_equal (xc_verify (key, XC_CTX_REPORT, msg, sizeof msg, sig,
                                 XC_SIG_LEN), XC_ESIG);
    assert_int_equal (xc_verify (key, XC_CTX_CHECKPOINT, msg, sizeof msg, sig,
                                 XC_SIG_LEN), XC_ESIG);
    assert_int_equal (xc_verify (key, XC_CTX_TRUST_LIST, msg, sizeof msg, sig,
                                 XC_SIG_LEN), XC_ESIG);

    /* The NUL separates context and message: moving a byte across the
       boundary ("ab" + "c" vs "a" + "bc") must not verify. */
    assert_int_equal (xc_sign (key, "ab", (const uint8_t *) "c", 1, sig), 0);
    assert_int_equal (xc_verify (key, "a", (const uint8_t *) "bc", 2, sig,
                                 XC_SIG_LEN), XC_ESIG);
    /* and the signed bytes really are context, NUL, message */
    assert_int_equal (xc_verify (key, "ab", (const uint8_t *) "c", 1, sig,
                                 XC_SIG_LEN), 0);
    xc_key_destroy (&key);
}

static void
test_key_save_load (void **state)
{
    char path[128], why[256] = "";
    s_path (path, sizeof path, "node.key");
    xc_key_t *key = xc_key_generate ();
    assert_int_equal (xc_key_save (key, path), 0);

    struct stat st;
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);

    xc_key_t *loaded = xc_key_load (path, why, sizeof why);
    assert_non_null (loaded);
    uint8_t a[XC_PUBKEY_LEN], b[XC_PUBKEY_LEN];
    xc_key_public (key, a);
    xc_key_public (loaded, b);
    assert_memory_equal (a, b, XC_PUBKEY_LEN);

    /* the loaded key signs what the original verifies */
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (loaded, XC_CTX_ENVELOPE, a, sizeof a, sig), 0);
    assert_int_equal (xc_verify (key, XC_CTX_ENVELOPE, a, sizeof a, sig,
                                 XC_SIG_LEN), 0);

    /* saving over an existing file replaces it, still 0600 */
    xc_key_t *other = xc_key_generate ();
    chmod (path, 0644);
    assert_int_equal (xc_key_save (other, path), 0);
    assert_int_equal (stat (path, &st), 0);
    assert_int_equal (st.st_mode & 0777, 0600);
    xc_key_t *again = xc_key_load (path, why, sizeof why);
    xc_key_public (other, a);
    xc_key_public (again, b);
    assert_memory_equal (a, b, XC_PUBKEY_LEN);

    /* a public key alone cannot be saved */
    xc_key_t *pub_only = xc_key_from_public (a);
    assert_int_equal (xc_key_save (pub_only, path), XC_EKEY);
    /* an unwritable place */
    assert_int_equal (xc_key_save (key, "/nonexistent-dir/x.key"), XC_EIO);

    xc_key_destroy (&pub_only);
    xc_key_destroy (&again);
    xc_key_destroy (&other);
    xc_key_destroy (&loaded);
    xc_key_destroy (&key);
    unlink (path);
}

static void
test_key_load_errors (void **state)
{
    char path[128], why[256] = "";
    s_path (path, sizeof path, "missing.key");
    assert_null (xc_key_load (path, why, sizeof why));
    assert_non_null (strstr (why, "missing.key"));

    s_path (path, sizeof path, "garbage.key");
    s_write (path, "not a key\n");
    why[0] = '\0';
    assert_null (xc_key_load (path, why, sizeof why));
    assert_non_null (strstr (why, "not a PEM"));
    unlink (path);
}

static void
test_key_id (void **state)
{
    uint8_t pub[XC_PUBKEY_LEN] = {0}, hash[XC_HASH_LEN];
    char id[XC_KEY_ID_LEN + 1], hex[2 * XC_HASH_LEN + 1];
    xc_key_id (pub, id);
    xc_sha256 (pub, sizeof pub, hash);
    xc_hex (hash, sizeof hash, hex);
    assert_int_equal (strlen (id), XC_KEY_ID_LEN);
    assert_memory_equal (id, hex, XC_KEY_ID_LEN);
    /* SHA-256 of 32 zero bytes begins 66687aadf862bd77 */
    assert_string_equal (id, "66687aadf862bd77");
}

static void
test_sha256_known (void **state)
{
    uint8_t out[XC_HASH_LEN];
    char hex[2 * XC_HASH_LEN + 1];
    xc_sha256 ("abc", 3, out);
    xc_hex (out, sizeof out, hex);
    assert_string_equal (hex, "ba7816bf8f01cfea414140de5dae2223"
                              "b00361a396177a9cb410ff61f20015ad");
    xc_sha256 (NULL, 0, out);
    xc_hex (out, sizeof out, hex);
    assert_string_equal (hex, "e3b0c44298fc1c149afbf4c8996fb924"
                              "27ae41e4649b934ca495991b7852b855");
}

static void
test_hmac_rfc4231 (void **state)
{
    /* RFC 4231 test case 2 */
    uint8_t out[XC_REF_LEN];
    char hex[2 * XC_REF_LEN + 1];
    xc_subject_ref ((const uint8_t *) "Jefe", 4,
                    "what do ya want for nothing?", out);
    xc_hex (out, sizeof out, hex);
    assert_string_equal (hex, "5bdcc146bf60754e6a042426089575c7"
                              "5a003f089d2739839dec58b964ec3843");
}

static void
test_subject_ref_normalised (void **state)
{
    setenv ("XIECHA_FAKE_NOW_MS", "1767225600000", 1);
    uint8_t salt[16], salt2[16];
    memset (salt, 0x11, sizeof salt);
    memset (salt2, 0x22, sizeof salt2);
    char a[XC_ID_LEN + 1], b[XC_ID_LEN + 1], why[128];
    assert_int_equal (xc_id_normalize ("11010519491231002x", "f", a, why,
                                       sizeof why), 0);
    assert_int_equal (xc_id_normalize (" 11010519491231002X ", "f", b, why,
                                       sizeof why), 0);
    uint8_t ra[XC_REF_LEN], rb[XC_REF_LEN], rc[XC_REF_LEN];
    xc_subject_ref (salt, sizeof salt, a, ra);
    xc_subject_ref (salt, sizeof salt, b, rb);
    assert_memory_equal (ra, rb, XC_REF_LEN);
    xc_subject_ref (salt2, sizeof salt2, a, rc);
    assert_memory_not_equal (ra, rc, XC_REF_LEN);
    unsetenv ("XIECHA_FAKE_NOW_MS");
}

static void
test_hex (void **state)
{
    uint8_t bytes[256], back[256];
    for (int i = 0; i < 256; i++)
        bytes[i] = (uint8_t) i;
    char hex[513];
    xc_hex (bytes, sizeof bytes, hex);
    assert_int_equal (strlen (hex), 512);
    assert_memory_equal (hex, "000102", 6);
    assert_string_equal (hex + 506, "fdfeff");
    assert_int_equal (xc_unhex (hex, back, sizeof back), 0);
    assert_memory_equal (bytes, back, sizeof bytes);

    uint8_t two[2];
    assert_int_equal (xc_unhex ("ABcd", two, 2), 0);
    assert_int_equal (two[0], 0xab);
    assert_int_equal (two[1], 0xcd);
    assert_int_equal (xc_unhex ("abc", two, 2), XC_EINVAL);     /* short */
    assert_int_equal (xc_unhex ("abcdef", two, 2), XC_EINVAL);  /* long */
    assert_int_equal (xc_unhex ("abcg", two, 2), XC_EINVAL);
    assert_int_equal (xc_unhex (" bcd", two, 2), XC_EINVAL);
    assert_int_equal (xc_unhex (NULL, two, 2), XC_EINVAL);
    xc_hex (two, 0, hex);
    assert_string_equal (hex, "");
}

static void
test_random (void **state)
{
    uint8_t a[32] = {0}, b[32] = {0}, zero[32] = {0};
    xc_random (a, sizeof a);
    xc_random (b, sizeof b);
    assert_memory_not_equal (a, b, sizeof a);
    assert_memory_not_equal (a, zero, sizeof a);
}

static void
test_salt_load (void **state)
{
    char path[128], why[256];
    uint8_t salt[64];
    size_t len = 0;
    s_path (path, sizeof path, "salt");

    s_write (path, "00112233445566778899aabbccddeeff\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why), 0);
    assert_int_equal (len, 16);
    assert_int_equal (salt[15], 0xff);

    /* no newline, CRLF, 64 bytes: all fine */
    s_write (path, "00112233445566778899aabbccddeeff0011");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why), 0);
    assert_int_equal (len, 18);
    s_write (path, "00112233445566778899AABBCCDDEEFF\r\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why), 0);
    char big[160] = "";
    for (int i = 0; i < 64; i++)
        strcat (big, "ab");
    s_write (path, big);
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why), 0);
    assert_int_equal (len, 64);

    /* too long */
    strcat (big, "ab\n");
    s_write (path, big);
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "65"));
    /* too short */
    s_write (path, "00112233445566778899aabbccddee\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "got 15"));
    /* odd length */
    s_write (path, "00112233445566778899aabbccddeeff0\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    /* not hex */
    s_write (path, "00112233445566778899aabbccddeegg\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "hex"));
    /* two lines */
    s_write (path, "00112233445566778899aabbccddeeff\n00\n");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    /* empty */
    s_write (path, "");
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EINVAL);
    unlink (path);
    /* missing */
    assert_int_equal (xc_salt_load (path, salt, &len, why, sizeof why),
                      XC_EIO);
    assert_non_null (strstr (why, path));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_sign_verify),
        cmocka_unit_test (test_context_separation),
        cmocka_unit_test (test_key_save_load),
        cmocka_unit_test (test_key_load_errors),
        cmocka_unit_test (test_key_id),
        cmocka_unit_test (test_sha256_known),
        cmocka_unit_test (test_hmac_rfc4231),
        cmocka_unit_test (test_subject_ref_normalised),
        cmocka_unit_test (test_hex),
        cmocka_unit_test (test_random),
        cmocka_unit_test (test_salt_load),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
