/*  cli_qr.c - QR codes of certificates (cli_qr.h): libqrencode makes
    them, zbar reads them, libpng or a netpbm reader loads the image. */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "cli_qr.h"
#include "xiecha/error.h"
#include "xiecha/text.h"

#define S_MAX_PIXELS (64u << 20)   /* a 8000 x 8000 scan, at most */

QRcode *
cli_qr_encode (const uint8_t *bytes, size_t len, char *why, size_t why_len)
{
    QRcode *qr = len <= 0x7fffffff
                     ? QRcode_encodeData ((int) len, bytes, 0, QR_ECLEVEL_Q)
                     : NULL;
    if (!qr)
        xc_why (why, why_len, XC_ETOOBIG, _("%zu bytes do not fit in a QR "
                "code (level Q holds at most 1,663 bytes)"), len);
    return qr;
}

/* --------------------------------------------------------------------------
   Images, as 8-bit grey
   -------------------------------------------------------------------------- */

/*  A netpbm header number, skipping blanks and # comments. */
static int
s_pnm_number (FILE *f, unsigned *out)
{
    int c;
    do {
        c = fgetc (f);
        if (c == '#')
            while (c != '\n' && c != EOF)
                c = fgetc (f);
    } while (c == ' ' || c == '\t' || c == '\n' || c == '\r');
    unsigned v = 0;
    int digits = 0;
    for (; c >= '0' && c <= '9' && digits < 9; c = fgetc (f), digits++)
        v = v * 10 + (unsigned) (c - '0');
    *out = v;
    return digits ? 0 : -1;   /* the blank after it is consumed */
}

/*  P5 (grey) or P6 (colour), 8 bits a sample. */
static int
s_load_pnm (FILE *f, unsigned char **grey, unsigned *w, unsigned *h)
{
    char magic[2];
    unsigned maxval;
    if (fread (magic, 1, 2, f) != 2 || magic[0] != 'P'
        || (magic[1] != '5' && magic[1] != '6') || s_pnm_number (f, w)
        || s_pnm_number (f, h) || s_pnm_number (f, &maxval) || maxval != 255
        || !*w || !*h || (size_t) *w * *h > S_MAX_PIXELS)
        return -1;
    size_t n = (size_t) *w * *h, samples = magic[1] == '6' ? 3 : 1;
    unsigned char *raw = malloc (n * samples);
    if (!raw || fread (raw, samples, n, f) != n) {
        free (raw);
        return -1;
    }
    for (size_t i = 0; samples == 3 && i < n; i++)   /* luma, integer */
        raw[i] = (unsigned char) ((299u * raw[3 * i] + 587u * raw[3 * i + 1]
                                   + 114u * raw[3 * i + 2]) / 1000u);
    *grey = raw;
    return 0;
}

static int
s_load_png (const char *path, unsigned char **grey, unsigned *w,
            unsigned *h)
{
    png_image img;
    memset (&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file (&img, path))
        return -1;
    img.format = PNG_FORMAT_GRAY;
    size_t n = (size_t) img.width * img.height;
    unsigned char *buf = n && n <= S_MAX_PIXELS ? malloc (n) : NULL;
    if (!buf || !png_image_finish_read (&img, NULL, buf, 0, NULL)) {
        free (buf);
        png_image_free (&img);
        return -1;
    }
    *grey = buf;
    *w = img.width;
    *h = img.height;
    return 0;
}

static int
s_load (const char *path, unsigned char **grey, unsigned *w, unsigned *h,
        char *why, size_t why_len)
{
    FILE *f = fopen (path, "rb");
    if (!f)
        return xc_why (why, why_len, XC_EIO, "%s: %s", path,
                       strerror (errno));
    unsigned char sig[8] = {0};
    size_t got = fread (sig, 1, sizeof sig, f);
    int rc = -1;
    if (got == sizeof sig && png_sig_cmp (sig, 0, sizeof sig) == 0) {
        fclose (f);
        rc = s_load_png (path, grey, w, h);
    }
    else {
        rewind (f);
        rc = s_load_pnm (f, grey, w, h);
        fclose (f);
    }
    if (rc)
        return xc_why (why, why_len, XC_EINVAL, _("%s: not an image this "
                       "command reads (PNG, or PGM/PPM with 8-bit "
                       "samples)"), path);
    return 0;
}

/* --------------------------------------------------------------------------
   Reading the code
   -------------------------------------------------------------------------- */

int
cli_qr_read (const char *path, uint8_t **bytes, size_t *len, char *why,
             size_t why_len)
{
    *bytes = NULL;
    *len = 0;
    unsigned char *grey = NULL;
    unsigned w = 0, h = 0;
    int rc = s_load (path, &grey, &w, &h, why, why_len);
    if (rc)
        return rc;
    zbar_image_scanner_t *sc = zbar_image_scanner_create ();
    zbar_image_t *img = zbar_image_create ();
    zbar_image_scanner_set_config (sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config (sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    /* The envelope's bytes as they are, not read as text. */
    zbar_image_scanner_set_config (sc, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
    zbar_image_set_format (img, zbar_fourcc ('Y', '8', '0', '0'));
    zbar_image_set_size (img, w, h);
    zbar_image_set_data (img, grey, (unsigned long) w * h, NULL);
    int found = zbar_scan_image (sc, img);
    const zbar_symbol_t *sym = found > 0 ? zbar_image_first_symbol (img)
                                         : NULL;
    if (found > 1)
        rc = xc_why (why, why_len, XC_EINVAL, _("%s: %d QR codes; scan the "
                     "certificate's alone"), path, found);
    else if (!sym)
        rc = xc_why (why, why_len, XC_EINVAL, _("%s: no QR code found (scan "
                     "the whole code, flat and in focus)"), path);
    else {
        unsigned n = zbar_symbol_get_data_length (sym);
        *bytes = malloc (n ? n : 1);
        if (!*bytes)
            rc = xc_why (why, why_len, XC_ENOMEM, "%s", _("out of memory"));
        else {
            memcpy (*bytes, zbar_symbol_get_data (sym), n);
            *len = n;
        }
    }
    zbar_image_destroy (img);
    zbar_image_scanner_destroy (sc);
    free (grey);
    return rc;
}
