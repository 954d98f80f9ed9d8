/*  crypto.c - Ed25519 keys, domain-separated signatures, hashes, subject
    refs, randomness and hex.

    Everything goes through OpenSSL 3 EVP so the daemon, the CLI and the
    offline verifier share one implementation.  Ed25519 is a one-shot
    algorithm (no streaming digest), so signing copies context, NUL and
    message into one buffer: O(len) extra memory, bounded by
    XC_MAX_MESSAGE for envelopes. */
#include <errno.h>
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

#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/text.h"

struct _xc_key_t {
    EVP_PKEY *pkey;      /* the OpenSSL key, owned */
    int has_private;     /* 1 for a key pair, 0 for a public key alone */
};

static xc_key_t *
s_key_wrap (EVP_PKEY *pkey, int has_private)
{
    xc_key_t *self = calloc (1, sizeof *self);
    if (!self) {
        EVP_PKEY_free (pkey);
        return NULL;
    }
    self->pkey = pkey;
    self->has_private = has_private;
    return self;
}

xc_key_t *
xc_key_generate (void)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen (NULL, NULL, "ED25519");
    if (!pkey)
        return NULL;
    return s_key_wrap (pkey, 1);
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
    return s_key_wrap (pkey, 1);
}

/*  Writes the PEM to an open temp file and syncs it, so the rename that
    follows never exposes a half-written key. */
static int
s_key_write (EVP_PKEY *pkey, int fd)
{
    FILE *file = fdopen (fd, "w");
    if (!file) {
        close (fd);
        return XC_EIO;
    }
    int ok = PEM_write_PrivateKey (file, pkey, NULL, NULL, 0, NULL, NULL);
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
    rc = s_key_write (self->pkey, fd);
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
    EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key (EVP_PKEY_ED25519, NULL,
                                                  pub, XC_PUBKEY_LEN);
    if (!pkey)
        return NULL;
    return s_key_wrap (pkey, 0);
}

void
xc_key_destroy (xc_key_t **self_p)
{
    if (self_p && *self_p) {
        EVP_PKEY_free ((*self_p)->pkey);
        free (*self_p);
        *self_p = NULL;
    }
}

void
xc_key_public (xc_key_t *self, uint8_t pub[XC_PUBKEY_LEN])
{
    size_t len = XC_PUBKEY_LEN;
    if (EVP_PKEY_get_raw_public_key (self->pkey, pub, &len) != 1
        || len != XC_PUBKEY_LEN)
        memset (pub, 0, XC_PUBKEY_LEN);
}

void
xc_key_id (const uint8_t pub[XC_PUBKEY_LEN], char *id)
{
    uint8_t hash[XC_HASH_LEN];
    xc_sha256 (pub, XC_PUBKEY_LEN, hash);
    xc_hex (hash, XC_KEY_ID_LEN / 2, id);
}

/*  context + '\0' + msg in one fresh buffer (caller frees). */
static uint8_t *
s_signed_bytes (const char *context, const uint8_t *msg, size_t len,
                size_t *total)
{
    size_t ctx_len = strlen (context) + 1;    /* the NUL is signed too */
    uint8_t *buf = malloc (ctx_len + len + 1);
    if (!buf)
        return NULL;
    memcpy (buf, context, ctx_len);
    if (len)
        memcpy (buf + ctx_len, msg, len);
    *total = ctx_len + len;
    return buf;
}

int
xc_sign (xc_key_t *self, const char *context, const uint8_t *msg,
         size_t len, uint8_t sig[XC_SIG_LEN])
{
    if (!self || !self->has_private)
        return XC_EKEY;
    size_t total;
    uint8_t *buf = s_signed_bytes (context, msg, len, &total);
    if (!buf)
        return XC_ENOMEM;
    int rc = XC_EKEY;
    size_t sig_len = XC_SIG_LEN;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    if (ctx
        && EVP_DigestSignInit (ctx, NULL, NULL, NULL, self->pkey) == 1
        && EVP_DigestSign (ctx, sig, &sig_len, buf, total) == 1
        && sig_len == XC_SIG_LEN)
        rc = 0;
    EVP_MD_CTX_free (ctx);
    free (buf);
    return rc;
}

int
xc_verify (xc_key_t *self, const char *context, const uint8_t *msg,
           size_t len, const uint8_t *sig, size_t sig_len)
{
    if (!self || !sig || sig_len != XC_SIG_LEN)
        return XC_ESIG;
    size_t total;
    uint8_t *buf = s_signed_bytes (context, msg, len, &total);
    if (!buf)
        return XC_ENOMEM;
    int rc = XC_ESIG;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new ();
    if (ctx
        && EVP_DigestVerifyInit (ctx, NULL, NULL, NULL, self->pkey) == 1
        && EVP_DigestVerify (ctx, sig, sig_len, buf, total) == 1)
        rc = 0;
    EVP_MD_CTX_free (ctx);
    free (buf);
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
