/*  cli_qr.h - the QR code of a printed certificate: made from its bytes,
    read back from a scan or a photograph.

    The code carries the certificate envelope exactly as signed (binary
    mode, error correction level Q: a quarter of the code may be smudged
    or torn and it still reads), so what is scanned verifies offline like
    the armored file. */
#ifndef XIECHA_CLI_QR_H
#define XIECHA_CLI_QR_H

#include <stddef.h>
#include <stdint.h>

#include <qrencode.h>

/*  The smallest QR code (level Q) holding bytes[len].  Returns NULL with
    why when it does not fit in version 40; free with QRcode_free. */
QRcode *cli_qr_encode (const uint8_t *bytes, size_t len, char *why,
                       size_t why_len);

/*  Reads the one QR code in the image at path (PNG, or netpbm PGM/PPM as
    pdftoppm writes them) into *bytes[*len] (caller frees).  Returns 0,
    or XC_EIO / XC_EINVAL with why (unreadable image; no QR code found;
    more than one). */
int cli_qr_read (const char *path, uint8_t **bytes, size_t *len, char *why,
                 size_t why_len);

#endif
