/*  cert.c - offline certificate verification.

    A certificate is the registration node's envelope itself, so checking
    one is: open it, insist it is a certificate, verify it against the
    trust list, then judge its validity window against the caller's
    clock.  The order matters: time is only judged on a signed message. */
#include <stdio.h>

#include "xiecha/client.h"
#include "xiecha/date.h"
#include "xiecha/error.h"

/* How far ahead of our clock an issuer's clock may be. */
#define XC_CERT_CLOCK_SKEW_MS (5 * 60 * 1000)

static int
s_check_time (const Xiecha__Certificate *cert, uint64_t now_ms, char *why,
              size_t why_len)
{
    char when[32];
    if (now_ms > cert->valid_until) {
        xc_time_iso (cert->valid_until, when);
        return xc_why (why, why_len, XC_ESTALE,
                       "certificate expired at %s (%llu s ago)", when,
                       (unsigned long long) ((now_ms - cert->valid_until)
                                             / 1000));
    }
    if (cert->issued_at > now_ms + XC_CERT_CLOCK_SKEW_MS) {
        xc_time_iso (cert->issued_at, when);
        return xc_why (why, why_len, XC_EFUTURE,
                       "certificate issued at %s, %llu s in the future "
                       "(tolerance %d s)", when,
                       (unsigned long long) ((cert->issued_at - now_ms)
                                             / 1000),
                       XC_CERT_CLOCK_SKEW_MS / 1000);
    }
    return 0;
}

static int
s_check (const uint8_t *bytes, size_t len, const xc_trust_t *trust,
         uint64_t now_ms, xc_opened_t *opened, char *why, size_t why_len)
{
    int rc = xc_envelope_open (bytes, len, opened, why, why_len);
    if (rc)
        return rc;
    const Xiecha__Signed *msg = opened->msg;
    if (msg->header->type != XIECHA__MSG_TYPE__MSG_CERTIFICATE
        || msg->body_case != XIECHA__SIGNED__BODY_CERTIFICATE)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "header.type: must be CERTIFICATE, got %s",
                       msg->header->type == XIECHA__MSG_TYPE__MSG_QUERY
                           ? "QUERY" : "ERROR");
    rc = xc_envelope_verify (opened, trust, why, why_len);
    if (rc)
        return rc;
    return s_check_time (msg->certificate, now_ms, why, why_len);
}

int
xc_cert_verify (const uint8_t *bytes, size_t len, const xc_trust_t *trust,
                uint64_t now_ms, xc_opened_t *opened, char *why,
                size_t why_len)
{
    int rc = s_check (bytes, len, trust, now_ms, opened, why, why_len);
    /* An expired certificate is still shown to the user; anything else
       that failed is not worth showing, so nothing is left to free. */
    if (rc != 0 && rc != XC_ESTALE)
        xc_opened_free (opened);
    return rc;
}
