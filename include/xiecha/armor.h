/*  armor.h - PEM-style text armor for certificates and other envelopes.

        -----BEGIN XIECHA CERTIFICATE-----
        <base64 of the envelope bytes, 64 columns>
        -----END XIECHA CERTIFICATE-----

    The armored bytes are the registration node's envelope itself, byte
    for byte, so the file can be verified offline with the trust list. */
#ifndef XIECHA_ARMOR_H
#define XIECHA_ARMOR_H

#include <stddef.h>
#include <stdint.h>

#define XC_ARMOR_CERTIFICATE "XIECHA CERTIFICATE"

/*  Encodes bytes under label into a NUL-terminated string in *out (caller
    frees).  Returns 0 or XC_ENOMEM. */
int xc_armor_encode (const char *label, const uint8_t *data, size_t len,
                     char **out);

/*  Finds the first block with this label in text and decodes it into *out
    (caller frees).  Returns 0, or XC_EMALFORMED with why. */
int xc_armor_decode (const char *text, size_t text_len, const char *label,
                     uint8_t **out, size_t *out_len, char *why,
                     size_t why_len);

#endif
