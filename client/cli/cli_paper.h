/*  cli_paper.h - the printed certificate: one page that replaces the
    paper 未享受社会救助证明 in a case file.

    What it shows comes from the verified certificate, except the people's
    names and ID numbers: the certificate holds only subject refs, so the
    case worker's own input says who each subject is (matched by ref, so a
    wrong ID is caught), and names never travel over the wire.  The QR
    code carries the certificate itself (cli_qr.h): a scan of the paper
    verifies offline like the file.  Times are local (zone.h). */
#ifndef XIECHA_CLI_PAPER_H
#define XIECHA_CLI_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "xiecha/xiecha.h"

#define CLI_PAPER_NAME 128

/*  Who a subject of the certificate is, as the case worker said. */
typedef struct {
    char name[CLI_PAPER_NAME];   /* "" when not given */
    char masked[19];             /* masked ID number, "" when not given */
} cli_paper_person_t;

/*  What to print: the certificate (verified, and its envelope bytes for
    the QR code), one person per result (people[i] for results[i]), the
    requesting township's name (may be NULL). */
typedef struct {
    const xc_opened_t *cert;
    const uint8_t *envelope;
    size_t envelope_len;
    const cli_paper_person_t *people;
    const char *township;
} cli_paper_t;

/*  What was printed: the QR code's version (1..40) and bytes. */
typedef struct {
    int qr_version;
    size_t qr_bytes;
} cli_paper_info_t;

/*  Writes the page to path as PDF (A4) or, with html, as one HTML file
    (the QR code inline as SVG).  Returns 0, or XC_EIO / XC_ETOOBIG with
    why. */
int cli_paper_write (const cli_paper_t *p, const char *path, int html,
                     cli_paper_info_t *info, char *why, size_t why_len);

#endif
