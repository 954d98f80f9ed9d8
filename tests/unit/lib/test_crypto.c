/*  test_crypto.c - keys, domain-separated signatures, hashes, subject
    refs, hex and salt files; the Ed25519 edge cases of
    tests/vectors/ed25519.txt (doc/FORMATS.md 1.1) against xc_verify,
    libsodium alone and OpenSSL; and signatures and key files of the
    OpenSSL code path xc_sign had before issue 15. */
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
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

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

/* ---- Ed25519 edge cases (tests/vectors/ed25519.txt) -------------------- */

typedef struct {
    char name[64];
    uint8_t pub[XC_PUBKEY_LEN];
    uint8_t payload[256];
    size_t payload_len;
    uint8_t sig[128];
    size_t sig_len;
    int xiecha, sodium, openssl;    /* 1 accept, 0 refuse */
} s_vector_t;

/*  Hex of any even length into out (capacity cap); returns the length. */
static size_t
s_unhex_any (const char *hex, uint8_t *out, size_t cap)
{
    size_t len = strlen (hex);
    assert_int_equal (len % 2, 0);
    assert_true (len / 2 <= cap);
    if (len > 0)
        assert_int_equal (xc_unhex (hex, out, len / 2), 0);
    return len / 2;
}

static int
s_verdict (const char *word)
{
    if (strcmp (word, "accept") == 0)
        return 1;
    assert_string_equal (word, "refuse");
    return 0;
}

/*  One line: name | pub | payload | sig | xiecha | libsodium | openssl. */
static void
s_vector_parse (char *line, s_vector_t *v)
{
    char *field[7];
    int n = 0;
    for (char *save = NULL, *t = strtok_r (line, "|", &save); t;
         t = strtok_r (NULL, "|", &save)) {
        while (*t == ' ')
            t++;
        char *end = t + strlen (t);
        while (end > t && (end[-1] == ' ' || end[-1] == '\n'))
            *--end = '\0';
        assert_true (n < 7);
        field[n++] = t;
    }
    assert_int_equal (n, 7);
    snprintf (v->name, sizeof v->name, "%s", field[0]);
    assert_int_equal (s_unhex_any (field[1], v->pub, sizeof v->pub),
                      XC_PUBKEY_LEN);
    v->payload_len = s_unhex_any (field[2], v->payload, sizeof v->payload);
    v->sig_len = s_unhex_any (field[3], v->sig, sizeof v->sig);
    v->xiecha = s_verdict (field[4]);
    v->sodium = s_verdict (field[5]);
    v->openssl = s_verdict (field[6]);
}

/*  XC_CTX_ENVELOPE, NUL, payload: what the vectors' signatures cover. */
static size_t
s_vector_message (const s_vector_t *v, uint8_t *out)
{
    memcpy (out, XC_CTX_ENVELOPE, sizeof XC_CTX_ENVELOPE);
    memcpy (out + sizeof XC_CTX_ENVELOPE, v->payload, v->payload_len);
    return sizeof XC_CTX_ENVELOPE + v->payload_len;
}

static int
s_openssl_verify (const uint8_t *pub, const uint8_t *msg, size_t len,
                  const uint8_t *sig, size_t sig_len)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key (EVP_PKEY_ED25519, NULL,
                                                  pub, XC_PUBKEY_LEN);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    int ok = pkey && ctx
             && EVP_DigestVerifyInit (ctx, NULL, NULL, NULL, pkey) == 1
             && EVP_DigestVerify (ctx, sig, sig_len, msg, len) == 1;
    EVP_MD_CTX_free (ctx);
    EVP_PKEY_free (pkey);
    return ok;
}

static void
s_vector_check (const s_vector_t *v)
{
    uint8_t msg[512];
    size_t len = s_vector_message (v, msg);

    /* xiecha: a key that does not load is a refusal; the rules on A are
       the key's, so every a-* vector is refused there and no other. */
    xc_key_t *key = xc_key_from_public (v->pub);
    int xiecha = key && xc_verify (key, XC_CTX_ENVELOPE, v->payload,
                                   v->payload_len, v->sig, v->sig_len) == 0;
    if (strncmp (v->name, "a-", 2) == 0)
        assert_null (key);
    else
        assert_non_null (key);
    xc_key_destroy (&key);

    int sodium = v->sig_len == crypto_sign_BYTES
                 && crypto_sign_verify_detached (v->sig, msg, len, v->pub)
                        == 0;
    int openssl = s_openssl_verify (v->pub, msg, len, v->sig, v->sig_len);
    print_message ("%-26s xiecha %d libsodium %d openssl %d\n", v->name,
                   xiecha, sodium, openssl);
    assert_int_equal (xiecha, v->xiecha);
    assert_int_equal (sodium, v->sodium);
    assert_int_equal (openssl, v->openssl);
    /* Nothing the old code path (OpenSSL) refused is accepted now. */
    assert_true (openssl || !xiecha);
}

static void
test_ed25519_vectors (void **state)
{
    static const char *wanted[] = {
        "valid", "wrong-message", "s-plus-l", "sig-63-bytes", "sig-65-bytes",
        "a-identity", "a-order-8", "a-identity-y-plus-p",
        "a-identity-negative-zero", "a-noncanonical", "a-mixed-order",
        "r-identity", "r-identity-y-plus-p", "r-mixed-order"};
    size_t n_wanted = sizeof wanted / sizeof wanted[0];
    int seen[sizeof wanted / sizeof wanted[0]] = {0};

    FILE *file = fopen (SRC_DIR "/tests/vectors/ed25519.txt", "r");
    assert_non_null (file);
    char line[2048];
    int count = 0;
    while (fgets (line, sizeof line, file)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        s_vector_t v;
        s_vector_parse (line, &v);
        s_vector_check (&v);
        for (size_t i = 0; i < n_wanted; i++)
            if (strcmp (v.name, wanted[i]) == 0)
                seen[i]++;
        count++;
    }
    fclose (file);
    assert_int_equal (count, (int) n_wanted);
    for (size_t i = 0; i < n_wanted; i++)
        assert_int_equal (seen[i], 1);
}

/* ---- the OpenSSL code path before issue 15 ------------------------------ */

/*  What xc_sign did then: EVP_DigestSign over context, NUL, message. */
static void
s_openssl_sign (EVP_PKEY *pkey, const char *context, const uint8_t *msg,
                size_t len, uint8_t sig[XC_SIG_LEN])
{
    size_t ctx_len = strlen (context) + 1;
    uint8_t *buf = malloc (ctx_len + len + 1);
    assert_non_null (buf);
    memcpy (buf, context, ctx_len);
    if (len)
        memcpy (buf + ctx_len, msg, len);
    size_t sig_len = XC_SIG_LEN;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    assert_non_null (ctx);
    assert_int_equal (EVP_DigestSignInit (ctx, NULL, NULL, NULL, pkey), 1);
    assert_int_equal (EVP_DigestSign (ctx, sig, &sig_len, buf,
                                      ctx_len + len), 1);
    assert_int_equal (sig_len, XC_SIG_LEN);
    EVP_MD_CTX_free (ctx);
    free (buf);
}

/*  The whole of a small file into buf (capacity cap); returns its size. */
static size_t
s_slurp (const char *path, char *buf, size_t cap)
{
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    size_t got = fread (buf, 1, cap - 1, f);
    fclose (f);
    buf[got] = '\0';
    return got;
}

/*  A new OpenSSL key of type, saved as PKCS#8 PEM at path; the caller
    frees it. */
static EVP_PKEY *
s_openssl_key (const char *path, const char *type)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen (NULL, NULL, type);
    assert_non_null (pkey);
    FILE *f = fopen (path, "w");
    assert_non_null (f);
    assert_int_equal (PEM_write_PrivateKey (f, pkey, NULL, NULL, 0, NULL,
                                            NULL), 1);
    fclose (f);
    return pkey;
}

/*  A key made and saved by OpenSSL, as `xiecha keygen` did: it loads, has
    the same public key, signs the same bytes as OpenSSL (Ed25519 is
    deterministic) on the stack and the heap path alike, each verifies
    the other's signatures, and xc_key_save writes the same file. */
static void
test_openssl_compat (void **state)
{
    char old_path[128], new_path[128], why[256] = "";
    s_path (old_path, sizeof old_path, "openssl.key");
    s_path (new_path, sizeof new_path, "resaved.key");
    EVP_PKEY *pkey = s_openssl_key (old_path, "ED25519");

    xc_key_t *key = xc_key_load (old_path, why, sizeof why);
    assert_non_null (key);
    uint8_t pub[XC_PUBKEY_LEN], old_pub[XC_PUBKEY_LEN];
    size_t pub_len = sizeof old_pub;
    assert_int_equal (EVP_PKEY_get_raw_public_key (pkey, old_pub, &pub_len),
                      1);
    xc_key_public (key, pub);
    assert_memory_equal (pub, old_pub, XC_PUBKEY_LEN);
    xc_key_t *pub_only = xc_key_from_public (pub);
    assert_non_null (pub_only);

    static const size_t lens[] = {0, 1, 200, 1005, 1006, 5000};
    uint8_t msg[5000];
    xc_random (msg, sizeof msg);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        uint8_t old_sig[XC_SIG_LEN], new_sig[XC_SIG_LEN];
        s_openssl_sign (pkey, XC_CTX_ENVELOPE, msg, lens[i], old_sig);
        assert_int_equal (xc_sign (key, XC_CTX_ENVELOPE, msg, lens[i],
                                   new_sig), 0);
        assert_memory_equal (old_sig, new_sig, XC_SIG_LEN);
        assert_int_equal (xc_verify (pub_only, XC_CTX_ENVELOPE, msg, lens[i],
                                     old_sig, XC_SIG_LEN), 0);
        uint8_t signed_bytes[sizeof XC_CTX_ENVELOPE + sizeof msg];
        memcpy (signed_bytes, XC_CTX_ENVELOPE, sizeof XC_CTX_ENVELOPE);
        memcpy (signed_bytes + sizeof XC_CTX_ENVELOPE, msg, lens[i]);
        assert_true (s_openssl_verify (pub, signed_bytes,
                                       sizeof XC_CTX_ENVELOPE + lens[i],
                                       new_sig, XC_SIG_LEN));
    }

    /* The key file format on disk is unchanged. */
    assert_int_equal (xc_key_save (key, new_path), 0);
    char old_text[1024], new_text[1024];
    size_t old_len = s_slurp (old_path, old_text, sizeof old_text);
    assert_int_equal (s_slurp (new_path, new_text, sizeof new_text), old_len);
    assert_string_equal (old_text, new_text);

    xc_key_destroy (&pub_only);
    xc_key_destroy (&key);
    EVP_PKEY_free (pkey);
    unlink (old_path);
    unlink (new_path);
}

/*  A PEM file holding another kind of key is refused by name. */
static void
test_key_load_not_ed25519 (void **state)
{
    char path[128], why[256] = "";
    s_path (path, sizeof path, "x25519.key");
    EVP_PKEY *pkey = s_openssl_key (path, "X25519");
    EVP_PKEY_free (pkey);
    assert_null (xc_key_load (path, why, sizeof why));
    assert_non_null (strstr (why, "not an Ed25519 key"));
    unlink (path);
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
        cmocka_unit_test (test_ed25519_vectors),
        cmocka_unit_test (test_openssl_compat),
        cmocka_unit_test (test_key_load_not_ed25519),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
