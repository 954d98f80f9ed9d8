/*  armor.c - PEM-style armor: base64 in 64-column lines between BEGIN
    and END markers.

    Decoding is forgiving about where the block sits (mail bodies, CRLF
    from Windows editors) and strict about what is inside it: every byte
    of the body must be base64 or a line break, and '=' may only pad the
    end, so a decoded certificate is exactly the bytes that were armored. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "xiecha/armor.h"
#include "xiecha/error.h"
#include "xiecha/text.h"

#define XC_ARMOR_COLUMNS 64
#define XC_ARMOR_CHUNK 48    /* bytes per 64-character line */

int
xc_armor_encode (const char *label, const uint8_t *data, size_t len,
                 char **out)
{
    size_t lines = (len + XC_ARMOR_CHUNK - 1) / XC_ARMOR_CHUNK;
    size_t cap = 2 * (strlen (label) + 32) + lines * (XC_ARMOR_COLUMNS + 1)
               + 1;
    char *text = malloc (cap);
    if (!text)
        return XC_ENOMEM;
    size_t at = (size_t) snprintf (text, cap, "-----BEGIN %s-----\n", label);
    for (size_t off = 0; off < len; off += XC_ARMOR_CHUNK) {
        size_t n = len - off < XC_ARMOR_CHUNK ? len - off : XC_ARMOR_CHUNK;
        at += (size_t) EVP_EncodeBlock ((unsigned char *) text + at,
                                        data + off, (int) n);
        text[at++] = '\n';
    }
    snprintf (text + at, cap - at, "-----END %s-----\n", label);
    *out = text;
    return 0;
}

static int
s_is_base64 (char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/*  Copies the base64 characters of body into clean (same capacity),
    dropping line breaks and blanks; fails on anything else. */
static int
s_collect (const char *body, size_t body_len, char *clean, size_t *clean_len,
           char *why, size_t why_len)
{
    size_t n = 0, line = 1;
    for (size_t i = 0; i < body_len; i++) {
        char c = body[i];
        if (c == '\n')
            line++;
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        if (!s_is_base64 (c))
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("armor: body line %zu: byte 0x%02x is not base64"),
                           line, (unsigned char) c);
        clean[n++] = c;
    }
    *clean_len = n;
    return 0;
}

/*  Decodes n clean base64 characters; the length must be a multiple of
    4 and '=' may only appear as one or two final padding characters. */
static int
s_decode (const char *clean, size_t n, uint8_t **out, size_t *out_len,
          char *why, size_t why_len)
{
    if (n % 4 != 0 || n > INT_MAX)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("armor: base64 length %zu is not a multiple of 4"), n);
    size_t pad = 0;
    if (n >= 1 && clean[n - 1] == '=')
        pad = (n >= 2 && clean[n - 2] == '=') ? 2 : 1;
    const char *eq = memchr (clean, '=', n);
    if (eq && (size_t) (eq - clean) != n - pad)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("armor: '=' padding inside the base64 body"));
    uint8_t *bytes = malloc (n / 4 * 3 + 1);
    if (!bytes)
        return XC_ENOMEM;
    int got = n ? EVP_DecodeBlock (bytes, (const unsigned char *) clean,
                                   (int) n)
                : 0;
    if (got < 0 || (size_t) got != n / 4 * 3) {
        free (bytes);
        return xc_why (why, why_len, XC_EMALFORMED, _("armor: bad base64"));
    }
    *out = bytes;
    *out_len = (size_t) got - pad;
    return 0;
}

/*  Finds needle in the first hay_len bytes of hay (not NUL-terminated). */
static const char *
s_find (const char *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen (needle);
    return memmem (hay, hay_len, needle, n);
}

int
xc_armor_decode (const char *text, size_t text_len, const char *label,
                 uint8_t **out, size_t *out_len, char *why, size_t why_len)
{
    size_t marker_len = strlen (label) + 32;
    char *begin = malloc (marker_len), *end = malloc (marker_len);
    char *clean = NULL;
    int rc = XC_ENOMEM;
    if (!begin || !end)
        goto cleanup;
    snprintf (begin, marker_len, "-----BEGIN %s-----", label);
    snprintf (end, marker_len, "-----END %s-----", label);

    rc = XC_EMALFORMED;
    const char *start = s_find (text, text_len, begin);
    if (!start) {
        xc_why (why, why_len, rc, _("armor: no %s block found"), begin);
        goto cleanup;
    }
    const char *body = start + strlen (begin);
    size_t rest = text_len - (size_t) (body - text);
    const char *stop = s_find (body, rest, end);
    if (!stop) {
        xc_why (why, why_len, rc, _("armor: missing %s"), end);
        goto cleanup;
    }
    size_t body_len = (size_t) (stop - body), clean_len = 0;
    clean = malloc (body_len + 1);
    rc = clean ? s_collect (body, body_len, clean, &clean_len, why, why_len)
               : XC_ENOMEM;
    if (rc == 0)
        rc = s_decode (clean, clean_len, out, out_len, why, why_len);
cleanup:
    free (begin);
    free (end);
    free (clean);
    return rc;
}
