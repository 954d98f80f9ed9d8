/*  crypto.c - Ed25519 keys, domain-separated signatures, hashes, subject
    refs, randomness and hex.

    Signatures go through libsodium (crypto_sign_*): on the machines we
    run on it signs about twice and verifies about 1.8 times as fast as
    OpenSSL's EVP Ed25519 (bench/README.md), and Ed25519 is deterministic,
    so the signatures are the same bytes as before.  OpenSSL 3 stays for
    what is not on that path: the PKCS#8 PEM key files (the format on disk
    does not change), SHA-256, HMAC and the random generator.  The
    daemon, the CLI and every offline verifier share this one
    implementation and its one verification rule (doc/FORMATS.md 1.1).

    Ed25519 is a one-shot algorithm (no streaming digest), so signing
    puts context, NUL and message into one buffer: on the stack up to
    S_STACK_MSG bytes, else O(len) extra memory, bounded by XC_MAX_MESSAGE
    for envelopes. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <sodium.h>

#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/text.h"

#define S_SEED_LEN crypto_sign_SEEDBYTES    /* 32: what PKCS#8 holds */
#define S_STACK_MSG 1024    /* signed inputs up to this size stay off the heap */

struct _xc_key_t {
    uint8_t pub[XC_PUBKEY_LEN];   /* A, checked by s_public_ok */
    /* libsodium's secret key, seed ‖ A; all zero for a public key alone,
       wiped by xc_key_destroy */
    uint8_t sk[crypto_sign_SECRETKEYBYTES];
    int has_private;              /* 1 for a key pair, 0 for a public key */
};

/* ---- libsodium --------------------------------------------------------- */

static pthread_once_t s_sodium_once = PTHREAD_ONCE_INIT;
static int s_sodium_rc = -1;
static char s_library[48] = "libsodium";   /* xc_sign_library */

static void
s_sodium_init (void)
{
    s_sodium_rc = sodium_init () < 0 ? -1 : 0;
    snprintf (s_library, sizeof s_library, "libsodium %s",
              sodium_version_string ());
}

/*  sodium_init once per process, before the first key: every signature
    needs a key, so the key constructors are the only callers. */
static int
s_sodium_ready (void)
{
    pthread_once (&s_sodium_once, s_sodium_init);
    return s_sodium_rc;
}

/*  The rule for a public key A (doc/FORMATS.md 1.1), checked once when a
    key is made so that xc_verify need not: a canonical encoding (y < p),
    on the curve, not of small order, and in the prime-order subgroup
    ([L]A = identity), so no mixed-order key either.  libsodium's verify
    refuses small-order and non-canonical A itself but accepts a
    mixed-order one (tests/vectors/ed25519.txt, a-mixed-order); the
    subgroup check costs a scalar multiplication (~35 us here), once per
    key rather than once per signature.  Keys made from a seed are [a]B
    and always pass. */
static int
s_public_ok (const uint8_t pub[XC_PUBKEY_LEN])
{
    return crypto_core_ed25519_is_valid_point (pub) == 1;
}

/*  A key pair from its 32-byte seed (RFC 8032's private key). */
static xc_key_t *
s_key_from_seed (const uint8_t seed[S_SEED_LEN])
{
    if (s_sodium_ready () != 0)
        return NULL;
    xc_key_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    if (crypto_sign_seed_keypair (self->pub, self->sk, seed) != 0
        || !s_public_ok (self->pub)) {
        xc_key_destroy (&self);
        return NULL;
    }
    self->has_private = 1;
    return self;
}

const char *
xc_sign_library (void)
{
    s_sodium_ready ();
    return s_library;
}

/* ---- keys -------------------------------------------------------------- */

xc_key_t *
xc_key_generate (void)
{
    uint8_t seed[S_SEED_LEN];
    xc_random (seed, sizeof seed);
    xc_key_t *self = s_key_from_seed (seed);
    sodium_memzero (seed, sizeof seed);
    return self;
}

xc_key_t *
xc_key_load (const char *path, char *why, size_t why_len)
{
    FILE *file = fopen (path, "r");
    if (!file) {
        xc_why (why, why_len, XC_EKEY, "%s: %s", path, strerror (errno));
        return NULL;
    }
    EVP_PKEY *pkey = PEM_read_PrivateKey (file, NULL, NULL, NULL);
    fclose (file);
    if (!pkey) {
        xc_why (why, why_len, XC_EKEY,
                _("%s: not a PEM (PKCS#8) private key"), path);
        return NULL;
    }
    if (EVP_PKEY_get_id (pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free (pkey);
        xc_why (why, why_len, XC_EKEY, _("%s: not an Ed25519 key"), path);
        return NULL;
    }
    /* The PKCS#8 key is the seed; libsodium derives the rest from it. */
    uint8_t seed[S_SEED_LEN];
    size_t len = sizeof seed;
    xc_key_t *self = NULL;
    if (EVP_PKEY_get_raw_private_key (pkey, seed, &len) == 1
        && len == sizeof seed)
        self = s_key_from_seed (seed);
    sodium_memzero (seed, sizeof seed);
    EVP_PKEY_free (pkey);
    if (!self)
        xc_why (why, why_len, XC_EKEY, _("%s: not an Ed25519 key"), path);
    return self;
}

/*  Writes the PEM to an open temp file and syncs it, so the rename that
    follows never exposes a half-written key.  OpenSSL writes it, from the
    seed, exactly as it did when it made the keys. */
static int
s_key_write (const xc_key_t *self, int fd)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key (EVP_PKEY_ED25519, NULL,
                                                   self->sk, S_SEED_LEN);
    FILE *file = pkey ? fdopen (fd, "w") : NULL;
    if (!file) {
        EVP_PKEY_free (pkey);
        close (fd);
        return XC_EIO;
    }
    int ok = PEM_write_PrivateKey (file, pkey, NULL, NULL, 0, NULL, NULL);
    EVP_PKEY_free (pkey);
    if (fflush (file) != 0 || fsync (fileno (file)) != 0)
        ok = 0;
    if (fclose (file) != 0)
        ok = 0;
    return ok ? 0 : XC_EIO;
}

int
xc_key_save (xc_key_t *self, const char *path)
{
    if (!self || !self->has_private)
        return XC_EKEY;
    size_t tmp_len = strlen (path) + 16;
    char *tmp = malloc (tmp_len);
    if (!tmp)
        return XC_EIO;
    snprintf (tmp, tmp_len, "%s.tmp.XXXXXX", path);

    int rc = XC_EIO;
    int fd = mkstemp (tmp);         /* mkstemp creates it 0600 */
    if (fd < 0)
        goto cleanup;
    if (fchmod (fd, 0600) != 0) {   /* in case of an unusual umask policy */
        close (fd);
        unlink (tmp);
        goto cleanup;
    }
    rc = s_key_write (self, fd);
    if (rc == 0 && rename (tmp, path) != 0)
        rc = XC_EIO;
    if (rc != 0)
        unlink (tmp);
cleanup:
    free (tmp);
    return rc;
}

xc_key_t *
xc_key_from_public (const uint8_t pub[XC_PUBKEY_LEN])
{
    if (s_sodium_ready () != 0 || !s_public_ok (pub))
        return NULL;
    xc_key_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    memcpy (self->pub, pub, XC_PUBKEY_LEN);
    return self;
}

void
xc_key_destroy (xc_key_t **self_p)
{
    if (self_p && *self_p) {
        sodium_memzero ((*self_p)->sk, sizeof (*self_p)->sk);
        free (*self_p);
        *self_p = NULL;
    }
}

void
xc_key_public (xc_key_t *self, uint8_t pub[XC_PUBKEY_LEN])
{
    memcpy (pub, self->pub, XC_PUBKEY_LEN);
}

void
xc_key_id (const uint8_t pub[XC_PUBKEY_LEN], char *id)
{
    uint8_t hash[XC_HASH_LEN];
    xc_sha256 (pub, XC_PUBKEY_LEN, hash);
    xc_hex (hash, XC_KEY_ID_LEN / 2, id);
}

/* ---- signatures -------------------------------------------------------- */

/*  context + '\0' + msg, in stack (S_STACK_MSG bytes) when it fits, else
    in a fresh buffer; s_signed_free releases it either way. */
static uint8_t *
s_signed_bytes (const char *context, const uint8_t *msg, size_t len,
                uint8_t *stack, size_t *total)
{
    size_t ctx_len = strlen (context) + 1;    /* the NUL is signed too */
    uint8_t *buf = ctx_len + len <= S_STACK_MSG ? stack
                                                : malloc (ctx_len + len);
    if (!buf)
        return NULL;
    memcpy (buf, context, ctx_len);
    if (len)
        memcpy (buf + ctx_len, msg, len);
    *total = ctx_len + len;
    return buf;
}

static void
s_signed_free (uint8_t *buf, const uint8_t *stack)
{
    if (buf != stack)
        free (buf);
}

int
xc_sign (xc_key_t *self, const char *context, const uint8_t *msg,
         size_t len, uint8_t sig[XC_SIG_LEN])
{
    if (!self || !self->has_private)
        return XC_EKEY;
    uint8_t stack[S_STACK_MSG];
    size_t total;
    uint8_t *buf = s_signed_bytes (context, msg, len, stack, &total);
    if (!buf)
        return XC_ENOMEM;
    int rc = crypto_sign_detached (sig, NULL, buf, total, self->sk) == 0
                 ? 0 : XC_EKEY;
    s_signed_free (buf, stack);
    return rc;
}

/*  The one verification rule (doc/FORMATS.md 1.1).  The key's A passed
    s_public_ok when it was made; crypto_sign_verify_detached then refuses
    S >= L, a small-order R, and any R that is not, byte for byte, the
    canonical encoding of [S]B - [k]A (the cofactorless equation).  With A
    in the prime-order subgroup that point is too, so a mixed-order R
    never verifies either.  tests/vectors/ed25519.txt holds a vector for
    each case, checked by unit.crypto. */
int
xc_verify (xc_key_t *self, const char *context, const uint8_t *msg,
           size_t len, const uint8_t *sig, size_t sig_len)
{
    if (!self || !sig || sig_len != XC_SIG_LEN)
        return XC_ESIG;
    uint8_t stack[S_STACK_MSG];
    size_t total;
    uint8_t *buf = s_signed_bytes (context, msg, len, stack, &total);
    if (!buf)
        return XC_ENOMEM;
    int rc = crypto_sign_verify_detached (sig, buf, total, self->pub) == 0
                 ? 0 : XC_ESIG;
    s_signed_free (buf, stack);
    return rc;
}

void
xc_sha256 (const void *data, size_t len, uint8_t out[XC_HASH_LEN])
{
    static const uint8_t empty = 0;
    unsigned int out_len = XC_HASH_LEN;
    if (EVP_Digest (len ? data : &empty, len, out, &out_len, EVP_sha256 (),
                    NULL) != 1)
        abort ();    /* SHA-256 cannot fail short of a broken library */
}

void
xc_subject_ref (const uint8_t *salt, size_t salt_len, const char *norm_id,
                uint8_t out[XC_REF_LEN])
{
    size_t out_len = 0;
    if (!EVP_Q_mac (NULL, "HMAC", NULL, "SHA256", NULL, salt, salt_len,
                    (const unsigned char *) norm_id, strlen (norm_id), out,
                    XC_REF_LEN, &out_len)
        || out_len != XC_REF_LEN)
        abort ();    /* a wrong ref would silently miss a person */
}

struct _xc_refgen_t {
    EVP_MAC *mac;        /* HMAC, fetched once */
    EVP_MAC_CTX *ctx;    /* keyed with the salt; re-initialised per ID */
};

xc_refgen_t *
xc_refgen_new (const uint8_t *salt, size_t salt_len)
{
    xc_refgen_t *self = calloc (1, sizeof *self);
    if (!self)
        return NULL;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string ("digest", (char *) "SHA256", 0),
        OSSL_PARAM_construct_end ()};
    self->mac = EVP_MAC_fetch (NULL, "HMAC", NULL);
    self->ctx = self->mac ? EVP_MAC_CTX_new (self->mac) : NULL;
    if (!self->ctx || !EVP_MAC_init (self->ctx, salt, salt_len, params))
        xc_refgen_destroy (&self);
    return self;
}

void
xc_refgen_destroy (xc_refgen_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    EVP_MAC_CTX_free ((*self_p)->ctx);
    EVP_MAC_free ((*self_p)->mac);
    free (*self_p);
    *self_p = NULL;
}

void
xc_refgen_ref (xc_refgen_t *self, const char *norm_id,
               uint8_t out[XC_REF_LEN])
{
    size_t out_len = 0;
    /* A NULL key re-initialises with the salt already set. */
    if (!EVP_MAC_init (self->ctx, NULL, 0, NULL)
        || !EVP_MAC_update (self->ctx, (const unsigned char *) norm_id,
                            strlen (norm_id))
        || !EVP_MAC_final (self->ctx, out, &out_len, XC_REF_LEN)
        || out_len != XC_REF_LEN)
        abort ();    /* a wrong ref would silently miss a person */
}

void
xc_random (void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len > 0) {
        int chunk = len > 65536 ? 65536 : (int) len;
        if (RAND_bytes (p, chunk) != 1) {
            fprintf (stderr, "xiecha: system random generator failed\n");
            abort ();
        }
        p += chunk;
        len -= (size_t) chunk;
    }
}

void
xc_hex (const uint8_t *bytes, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0x0f];
    }
    out[2 * len] = '\0';
}

static int
s_nibble (char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int
xc_unhex (const char *hex, uint8_t *bytes, size_t len)
{
    if (!hex)
        return XC_EINVAL;
    /* Exactly 2 * len characters: a longer string is not this value. */
    for (size_t i = 0; i < 2 * len; i++)
        if (s_nibble (hex[i]) < 0)
            return XC_EINVAL;
    if (hex[2 * len] != '\0')
        return XC_EINVAL;
    for (size_t i = 0; i < len; i++)
        bytes[i] = (uint8_t) (s_nibble (hex[2 * i]) << 4
                              | s_nibble (hex[2 * i + 1]));
    return 0;
}

#define XC_SALT_MIN 16
#define XC_SALT_MAX 64

/*  Checks and decodes the trimmed salt line. */
static int
s_salt_parse (const char *path, char *line, uint8_t *salt,
              size_t *salt_len, char *why, size_t why_len)
{
    size_t len = strlen (line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'
                       || line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
    if (len % 2 != 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be an even number of hex characters, "
                         "got %zu"), path, len);
    size_t bytes = len / 2;
    if (bytes < XC_SALT_MIN || bytes > XC_SALT_MAX)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be %d..%d bytes, got %zu"), path,
                       XC_SALT_MIN, XC_SALT_MAX, bytes);
    if (xc_unhex (line, salt, bytes) != 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be one line of hex characters"), path);
    *salt_len = bytes;
    return 0;
}

int
xc_salt_load (const char *path, uint8_t *salt, size_t *salt_len, char *why,
              size_t why_len)
{
    FILE *file = fopen (path, "r");
    if (!file)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path,
                       strerror (errno));
    /* Room for the longest salt, a CRLF and one byte to detect excess. */
    char line[2 * XC_SALT_MAX + 4];
    size_t got = fread (line, 1, sizeof line - 1, file);
    int failed = ferror (file);
    fclose (file);
    if (failed)
        return xc_why (why, why_len, XC_EIO, _("%s: read error"), path);
    line[got] = '\0';
    if (strlen (line) != got)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be one line of hex characters"), path);
    char *newline = strchr (line, '\n');
    if (newline && newline[1] != '\0')
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be a single line"), path);
    if (got == sizeof line - 1 && !newline)
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: salt must be at most %d bytes"), path,
                       XC_SALT_MAX);
    return s_salt_parse (path, line, salt, salt_len, why, why_len);
}
