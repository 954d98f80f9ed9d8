/*  cert.c - offline certificate verification.

    A certificate is the registration node's envelope itself, so checking
    one is: open it, insist it is a certificate, verify it against the
    trust list, then judge its validity window against the caller's
    clock.  The order matters: time is only judged on a signed message. */
#include <stdio.h>

#include "xiecha/client.h"
#include "xiecha/date.h"
#include "xiecha/error.h"
#include "xiecha/trust.h"
#include "xiecha/wire.h"

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

/*  The key at one time the certificate asserts, named in the message. */
static int
s_key_at (const xc_trust_key_t *key, const char *field, uint64_t at,
          char *why, size_t why_len)
{
    char inner[256];
    if (xc_trust_key_check (key, at, inner, sizeof inner) == 0)
        return 0;
    return xc_why (why, why_len, XC_EUNKNOWN, "certificate.%s: %s", field,
                   inner);
}

int
xc_cert_check_times (const xc_opened_t *opened, const xc_trust_t *trust,
                     char *why, size_t why_len)
{
    const Xiecha__Certificate *cert = opened->msg->certificate;
    if (!cert->issued_at)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "certificate.issued_at: missing");
    if (cert->valid_until <= cert->issued_at)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "certificate.valid_until: not after issued_at");
    /* Over a day count the product cannot overflow: at most 366 days. */
    unsigned max_days = xc_trust_max_cert_lifetime (trust);
    uint64_t life = cert->valid_until - cert->issued_at;
    if (life > (uint64_t) max_days * 86400000ULL)
        return xc_why (why, why_len, XC_EMALFORMED,
                       "certificate valid for %.1f days (issued_at to "
                       "valid_until), over the trust list's "
                       "max_cert_lifetime_days of %u",
                       (double) life / 86400000.0, max_days);
    const xc_trust_key_t *key = xc_trust_key (trust, opened->env->key_id);
    int rc = s_key_at (key, "issued_at", cert->issued_at, why, why_len);
    return rc ? rc : s_key_at (key, "valid_until", cert->valid_until, why,
                               why_len);
}

int
xc_cert_receives (const Xiecha__SubjectResult *r, int program)
{
    for (size_t k = 0; k < r->n_enrollments; k++)
        if ((int) r->enrollments[k]->program == program)
            return 1;
    return 0;
}

/*  1 when a subject of the certificate is not found receiving program:
    the certificate says NOT_RECEIVING of it for that one. */
static int
s_denies (const Xiecha__Certificate *cert, int program)
{
    for (size_t i = 0; i < cert->n_results; i++)
        if (!xc_cert_receives (cert->results[i], program))
            return 1;
    return 0;
}

int
xc_cert_check_rosters (const Xiecha__Certificate *cert,
                       const xc_trust_t *trust, char *why, size_t why_len)
{
    if (cert->n_rosters != cert->n_programs)
        return xc_why (why, why_len, XC_EMALFORMED, "certificate.rosters: "
                       "%zu roster dates for %zu programs checked",
                       cert->n_rosters, cert->n_programs);
    uint32_t issued = xc_date_from_ms (cert->issued_at);
    unsigned max = xc_trust_max_roster_age (trust);
    for (size_t i = 0; i < cert->n_rosters; i++) {
        const Xiecha__RosterDate *d = cert->rosters[i];
        const char *name = xc_program_name (cert->programs[i]);
        char date[11];
        xc_date_text (d->as_of, date);
        if (d->program != cert->programs[i] || d->interrupted)
            return xc_why (why, why_len, XC_EMALFORMED, "certificate.rosters"
                           "[%zu]: not the roster date of %s", i, name);
        /* A roster may be dated a day ahead of the issuer's UTC day:
           the county's own day, in its time zone. */
        if (d->as_of && (!xc_date_valid (d->as_of)
                         || xc_date_diff (issued, d->as_of) > 1))
            return xc_why (why, why_len, XC_EMALFORMED, "certificate.rosters"
                           "[%zu]: %s roster dated %s, after the certificate "
                           "was issued", i, name, date);
        if (!s_denies (cert, cert->programs[i]))
            continue;   /* everyone receives it: no roster needed */
        if (!d->as_of)
            return xc_why (why, why_len, XC_EROSTER, "certificate says "
                           "NOT_RECEIVING of %s without a roster of it", name);
        int64_t age = xc_date_diff (d->as_of, issued);
        if (age > (int64_t) max)
            return xc_why (why, why_len, XC_EROSTER, "certificate says "
                           "NOT_RECEIVING of %s from a roster of %s, %lld "
                           "days before it was issued (the trust list allows "
                           "%u)", name, date, (long long) age, max);
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
    if (rc == 0)
        rc = xc_cert_check_times (opened, trust, why, why_len);
    if (rc == 0)
        rc = xc_cert_check_rosters (msg->certificate, trust, why, why_len);
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
