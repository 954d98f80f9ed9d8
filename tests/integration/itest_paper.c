/*  itest_paper.c - a certificate on paper, and back.

    Ding'an 469021 asks Tunxi 341002 about a household of three; the
    certificate is printed as a PDF (`xiecha cert print`), the PDF is
    rasterised as a scanner would (pdftoppm, 150 dpi, grey), and the
    scan's QR code is read and verified offline (`xiecha cert verify
    --qr`): VALID, about the applicant and not about a stranger.  The
    same certificate with one byte changed, put in a QR code of its own,
    reads but verifies INVALID. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;
static char s_cert[PATH_MAX];     /* the armored certificate */
static char s_id[3][XC_ID_LEN + 1];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    for (size_t i = 0; i < 2; i++)
        xt_fed_start (fed, i);
    snprintf (s_id[0], sizeof s_id[0], "%s", xt_id ("34100219800101123"));
    snprintf (s_id[1], sizeof s_id[1], "%s", xt_id ("34100219820202224"));
    snprintf (s_id[2], sizeof s_id[2], "%s", xt_id ("34100220100303001"));
    snprintf (s_cert, sizeof s_cert, "%s/cert.pem", fed->root);
    char m1[64], m2[64], out[4096];
    snprintf (m1, sizeof m1, "%s:李四", s_id[1]);
    snprintf (m2, sizeof m2, "%s:王小明", s_id[2]);
    const char *args[] = {"query", "--id", s_id[0], "--name", "王芳",
                          "--home", "341002", "--member", m1, "--member", m2,
                          "--program", "dibao,tekun,low_income", "--out",
                          s_cert, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 0);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Runs argv (a program on PATH) to its end; returns its exit status. */
static int
s_run (char *const argv[])
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "/usr/bin/%s", argv[0]);
    char *copy[16];
    copy[0] = path;
    for (size_t i = 1; argv[i - 1] && i < 16; i++)
        copy[i] = argv[i];
    pid_t pid = xt_spawn (copy, -1, NULL);
    int status = 0;
    if (!xt_child_wait (pid, 60000, &status))
        xt_child_stop (pid, 9, 0);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static int
s_verify_qr (const char *image, const char *id, char *out, size_t len)
{
    const char *args[] = {"cert", "verify", "--qr", image, "--trust",
                          fed->trust, "--root", xt_fed_anchor (fed),
                          id ? "--id" : NULL, id, "--salt", fed->salt, NULL};
    return xt_fed_cli (fed, -1, out, len, args);
}

/*  Print, scan, verify. */
static void
test_printed_scanned_verified (void **state)
{
    char pdf[PATH_MAX], prefix[PATH_MAX], png[PATH_MAX], out[8192];
    snprintf (pdf, sizeof pdf, "%s/cert.pdf", fed->root);
    char p0[64], p1[64];
    snprintf (p0, sizeof p0, "%s:王芳", s_id[0]);
    snprintf (p1, sizeof p1, "%s:李四", s_id[1]);
    const char *print[] = {"cert", "print", s_cert, "--out", pdf, "--trust",
                           fed->trust, "--root", xt_fed_anchor (fed),
                           "--person", p0, "--person", p1,
                           "--township", "塔岭乡", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, print), 0);
    xt_assert_has (out, "\"subjects\": 3");
    xt_assert_has (out, "\"named\": 2");
    /* a household of three, three programs: the QR code stays small */
    const char *v = strstr (out, "\"qr_version\": ");
    assert_non_null (v);
    int version = atoi (v + strlen ("\"qr_version\": "));
    fprintf (stderr, "itest_paper: QR version %d for %s", version,
             strstr (out, "\"qr_bytes\""));
    assert_true (version >= 1 && version <= 20);

    snprintf (prefix, sizeof prefix, "%s/scan", fed->root);
    char *const raster[] = {"pdftoppm", "-r", "150", "-gray", "-png",
                            "-singlefile", pdf, prefix, NULL};
    assert_int_equal (s_run (raster), 0);
    snprintf (png, sizeof png, "%s.png", prefix);
    assert_int_equal (s_verify_qr (png, NULL, out, sizeof out), 0);
    xt_assert_has (out, "VALID");
    assert_int_equal (s_verify_qr (png, s_id[2], out, sizeof out), 0);
    /* someone else's ID: the paper is not about them */
    assert_int_equal (s_verify_qr (png, xt_id ("34100219900101002"), out,
                                   sizeof out), 1);
    xt_assert_has (out, "INVALID: the certificate is not about");
    /* a wrong ID on print is refused, nothing written */
    char stranger[64], pdf2[PATH_MAX];
    snprintf (stranger, sizeof stranger, "%s:张三",
              xt_id ("34100219900101002"));
    snprintf (pdf2, sizeof pdf2, "%s/wrong.pdf", fed->root);
    const char *wrong[] = {"cert", "print", s_cert, "--out", pdf2, "--trust",
                           fed->trust, "--root", xt_fed_anchor (fed),
                           "--person", stranger, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, wrong), 2);
    assert_int_not_equal (access (pdf2, F_OK), 0);
}

/*  A QR code of bytes, written as a PGM of 4 pixels a module. */
static void
s_qr_pgm (const uint8_t *bytes, size_t len, const char *path)
{
    QRcode *qr = QRcode_encodeData ((int) len, bytes, 0, QR_ECLEVEL_Q);
    assert_non_null (qr);
    int n = (qr->width + 8) * 4;
    FILE *f = fopen (path, "wb");
    assert_non_null (f);
    fprintf (f, "P5\n%d %d\n255\n", n, n);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            int r = y / 4 - 4, c = x / 4 - 4;
            int dark = r >= 0 && c >= 0 && r < qr->width && c < qr->width
                       && (qr->data[r * qr->width + c] & 1);
            fputc (dark ? 0 : 255, f);
        }
    assert_int_equal (fclose (f), 0);
    QRcode_free (qr);
}

/*  The certificate's bytes as the QR code carries them, each byte
    changed once in turn at a few places: always INVALID, never VALID. */
static void
test_one_changed_byte_fails (void **state)
{
    char *text = NULL;
    size_t text_len = 0;
    zchunk_t *chunk = zchunk_slurp (s_cert, 0);
    assert_non_null (chunk);
    text_len = zchunk_size (chunk);
    text = (char *) zchunk_data (chunk);
    uint8_t *bytes = NULL;
    size_t len = 0;
    assert_int_equal (xc_armor_decode (text, text_len, XC_ARMOR_CERTIFICATE,
                                       &bytes, &len, NULL, 0), 0);
    zchunk_destroy (&chunk);
    char pgm[PATH_MAX], out[8192];
    snprintf (pgm, sizeof pgm, "%s/qr.pgm", fed->root);
    s_qr_pgm (bytes, len, pgm);   /* as printed: VALID */
    assert_int_equal (s_verify_qr (pgm, NULL, out, sizeof out), 0);
    size_t at[] = {len / 5, len / 2, len - 70, len - 1};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        bytes[at[i]] ^= 0x01;
        s_qr_pgm (bytes, len, pgm);
        int rc = s_verify_qr (pgm, NULL, out, sizeof out);
        if (rc != 1)
            fail_msg ("byte %zu of %zu changed: exit %d: %s", at[i], len, rc,
                      out);
        xt_assert_has (out, "INVALID");
        bytes[at[i]] ^= 0x01;
    }
    free (bytes);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_printed_scanned_verified),
        cmocka_unit_test (test_one_changed_byte_fails),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
