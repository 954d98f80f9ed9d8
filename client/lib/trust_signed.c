/*  trust_signed.c - the trust list's detached root signature (LIST.sig).

    The signature covers the file's exact bytes, so the file is read once,
    verified, and the verified bytes are what gets parsed: re-reading the
    path after checking would let a swapped file through. */
#include <czmq.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xiecha/date.h"
#include "xiecha/error.h"
#include "xiecha/text.h"
#include "xiecha/trust.h"

/*  A trust list of 3,000 counties with two keys each is ~2 MB; anything
    far larger is not a trust list. */
#define S_MAX_LIST (64 * 1024 * 1024)

/*  Reads the whole file into a NUL-terminated buffer. */
static int
s_read_all (const char *path, char **out, size_t *len, char *why,
            size_t why_len)
{
    FILE *file = fopen (path, "rb");
    if (!file)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc (cap);
    int rc = buf ? 0 : xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    while (rc == 0) {
        if (n + 1 == cap) {
            char *more = cap < S_MAX_LIST ? realloc (buf, cap * 2) : NULL;
            if (!more) {
                rc = xc_why (why, why_len, XC_ETOOBIG, _("%s: too large"), path);
                break;
            }
            buf = more;
            cap *= 2;
        }
        size_t got = fread (buf + n, 1, cap - 1 - n, file);
        n += got;
        if (got == 0)
            break;
    }
    if (rc == 0 && ferror (file))
        rc = xc_why (why, why_len, XC_EIO, _("%s: read error"), path);
    fclose (file);
    if (rc) {
        free (buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/*  Parses "KEYID HEXSIG\n" from path.sig. */
static int
s_read_sig (const char *sig_path, char key_id[XC_KEY_ID_LEN + 1],
            uint8_t sig[XC_SIG_LEN], char *why, size_t why_len)
{
    char *text = NULL;
    size_t len = 0;
    int rc = s_read_all (sig_path, &text, &len, why, why_len);
    if (rc)
        return rc == XC_EIO ? xc_why (why, why_len, XC_ESIG,
                                      _("%s: missing or unreadable: the trust "
                                        "list is not signed"), sig_path)
                            : rc;
    char id[XC_KEY_ID_LEN + 2] = "", hex[2 * XC_SIG_LEN + 2] = "";
    int fields = sscanf (text, "%17s %129s", id, hex);
    free (text);
    if (fields != 2 || strlen (id) != XC_KEY_ID_LEN
        || strlen (hex) != 2 * XC_SIG_LEN
        || xc_unhex (hex, sig, XC_SIG_LEN) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       _("%s: must be one line: key id (16 hex) and signature "
                         "(128 hex)"), sig_path);
    memcpy (key_id, id, XC_KEY_ID_LEN + 1);
    return 0;
}

/*  Checks sig against the root key; the message names both keys so an
    operator can see which root the list was actually made under. */
static int
s_check_sig (const char *path, const char *text, size_t len,
             const uint8_t root_pub[XC_PUBKEY_LEN], char *why, size_t why_len)
{
    char sig_path[PATH_MAX], key_id[XC_KEY_ID_LEN + 1], root_id[XC_KEY_ID_LEN + 1];
    uint8_t sig[XC_SIG_LEN];
    snprintf (sig_path, sizeof sig_path, "%s.sig", path);
    int rc = s_read_sig (sig_path, key_id, sig, why, why_len);
    if (rc)
        return rc;
    xc_key_id (root_pub, root_id);
    if (strcmp (key_id, root_id) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       _("%s: signed by key %s, not the root key %s"), path,
                       key_id, root_id);
    xc_key_t *root = xc_key_from_public (root_pub);
    if (!root)
        return xc_why (why, why_len, XC_EKEY, _("root key: not a usable "
                         "Ed25519 public key"));
    rc = xc_verify (root, XC_CTX_TRUST_LIST, (const uint8_t *) text, len, sig,
                    XC_SIG_LEN);
    xc_key_destroy (&root);
    if (rc)
        return xc_why (why, why_len, XC_ESIG,
                       _("%s: signature by root key %s does not match the "
                         "file (changed since it was signed?)"), path, root_id);
    return 0;
}

/*  The header rules of a signed list. */
static int
s_check_header (const char *path, const xc_trust_t *self,
                uint64_t min_version, char *why, size_t why_len)
{
    if (!xc_trust_serial (self) || !xc_trust_issued (self)
        || !xc_trust_next_update (self))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: trust: a signed list needs serial, issued and "
                         "next_update"), path);
    if (xc_trust_next_update (self) <= xc_trust_issued (self))
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: trust: next_update must be later than issued"),
                       path);
    if (xc_trust_serial (self) < min_version)
        return xc_why (why, why_len, XC_ECONFIG,
                       _("%s: trust: serial %llu is older than %llu, the "
                         "oldest accepted"), path,
                       (unsigned long long) xc_trust_serial (self),
                       (unsigned long long) min_version);
    return 0;
}

xc_trust_t *
xc_trust_load_signed (const char *path,
                      const uint8_t root_pub[XC_PUBKEY_LEN],
                      uint64_t min_version, char *why, size_t why_len)
{
    char *text = NULL;
    size_t len = 0;
    if (s_read_all (path, &text, &len, why, why_len))
        return NULL;
    xc_trust_t *self = NULL;
    /* A NUL inside would be signed but never parsed. */
    if (strlen (text) != len)
        xc_why (why, why_len, XC_ECONFIG, _("%s: contains a NUL byte"), path);
    else if (s_check_sig (path, text, len, root_pub, why, why_len) == 0)
        self = xc_trust_load_text (text, path, why, why_len);
    free (text);
    if (self && s_check_header (path, self, min_version, why, why_len))
        xc_trust_destroy (&self);
    return self;
}

int
xc_trust_check_period (const xc_trust_t *self, const char *name,
                       uint64_t at, char *why, size_t why_len)
{
    uint64_t issued = xc_trust_issued (self), next = xc_trust_next_update (self);
    unsigned long long serial = (unsigned long long) xc_trust_serial (self);
    if (!issued || !next)
        return xc_why (why, why_len, XC_ESTALE, _("trust list %s gives no "
                         "issued/next_update: no validity period to check"),
                       name);
    char when[32], bound[32];
    xc_time_iso (at, when);
    if (at > next) {
        xc_time_iso (next, bound);
        return xc_why (why, why_len, XC_ESTALE, _("trust list %s (serial %llu) "
                         "expired at %s (next update due then; checked at %s)"),
                       name, serial, bound, when);
    }
    if (at < issued) {
        xc_time_iso (issued, bound);
        return xc_why (why, why_len, XC_ESTALE, _("trust list %s (serial %llu) "
                         "not issued until %s (checked at %s)"), name, serial,
                       bound, when);
    }
    return 0;
}

/*  Writes text to path via a temp file and rename, so a reader never
    sees half a signature. */
static int
s_write_atomic (const char *path, const char *text, char *why,
                size_t why_len)
{
    char tmp[PATH_MAX];
    snprintf (tmp, sizeof tmp, "%s.tmp.%ld", path, (long) getpid ());
    FILE *file = fopen (tmp, "w");
    if (!file)
        return xc_why (why, why_len, XC_EIO, "%s: %s", tmp, strerror (errno));
    int ok = fputs (text, file) >= 0;
    ok = (fclose (file) == 0) && ok;
    if (!ok || rename (tmp, path) != 0) {
        int err = errno;
        unlink (tmp);
        return xc_why (why, why_len, XC_EIO, "%s: %s", path, strerror (err));
    }
    return 0;
}

int
xc_trust_sign (const char *path, xc_key_t *root, char *why, size_t why_len)
{
    char *text = NULL;
    size_t len = 0;
    int rc = s_read_all (path, &text, &len, why, why_len);
    if (rc)
        return rc;
    uint8_t sig[XC_SIG_LEN], pub[XC_PUBKEY_LEN];
    rc = xc_sign (root, XC_CTX_TRUST_LIST, (const uint8_t *) text, len, sig);
    free (text);
    if (rc)
        return xc_why (why, why_len, XC_EKEY,
                       _("root key: cannot sign (no private half?)"));
    char id[XC_KEY_ID_LEN + 1], hex[2 * XC_SIG_LEN + 1];
    char line[XC_KEY_ID_LEN + 2 * XC_SIG_LEN + 3];
    char sig_path[PATH_MAX];
    xc_key_public (root, pub);
    xc_key_id (pub, id);
    xc_hex (sig, XC_SIG_LEN, hex);
    snprintf (line, sizeof line, "%s %s\n", id, hex);
    snprintf (sig_path, sizeof sig_path, "%s.sig", path);
    return s_write_atomic (sig_path, line, why, why_len);
}
