/*  report.c - the monthly report's month arithmetic and its offline
    verification.

    Verification lives in libxiecha, not in the daemon, for the same
    reason certificate verification does: the supervisor who checks a
    bureau's statistics has the file and the trust list, not a node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xiecha/crypto.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/report.h"
#include "xiecha/strict.h"
#include "xiecha/text.h"
#include "xiecha/zone.h"

/*  Up to 16 characters of untrusted text with anything unprintable
    replaced, so a why string never carries control bytes to a terminal. */
static const char *
s_printable (const char *text, char buf[24])
{
    size_t i = 0;
    for (; text && text[i] && i < 16; i++)
        buf[i] = (text[i] >= 0x20 && text[i] < 0x7f) ? text[i] : '?';
    if (text && text[i])
        buf[i++] = '~';
    buf[i] = '\0';
    return buf;
}

static int
s_two_digits (const char *p)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

/*  UTC ms of the first local instant of year-month (month 1..13; 13 is
    January of the next year), in the process's zone (zone.h): a county's
    month begins at its own midnight, not at UTC's. */
static uint64_t
s_month_start (int year, int month)
{
    if (month == 13) {
        year++;
        month = 1;
    }
    return xc_zone_day_start ((uint32_t) (year * 10000 + month * 100 + 1));
}

int
xc_report_month (const char *month, uint64_t *from_ms, uint64_t *to_ms,
                 char *why, size_t why_len)
{
    if (!month || !*month)
        return xc_why (why, why_len, XC_EINVAL, _("month: missing (YYYY-MM)"));
    int hi = -1, lo = -1, mm = -1;
    if (strlen (month) == XC_MONTH_LEN && month[4] == '-') {
        hi = s_two_digits (month);
        lo = s_two_digits (month + 2);
        mm = s_two_digits (month + 5);
    }
    char shown[24];
    s_printable (month, shown);
    if (hi < 0 || lo < 0 || mm < 0)
        return xc_why (why, why_len, XC_EINVAL,
                       _("month: '%s' is not of the form YYYY-MM"), shown);
    int year = hi * 100 + lo;
    if (year < 1970)
        return xc_why (why, why_len, XC_EINVAL,
                       _("month: year %d is before 1970"), year);
    if (mm < 1 || mm > 12)
        return xc_why (why, why_len, XC_EINVAL,
                       _("month: '%s' has no month %02d (01..12)"), shown, mm);
    if (from_ms)
        *from_ms = s_month_start (year, mm);
    if (to_ms)
        *to_ms = s_month_start (year, mm + 1);
    return 0;
}

/*  The key must have been valid when the report says it was made; like
    an envelope, a report is judged at its own time, not at ours, so an
    old report stays verifiable after its key was rotated out. */
static int
s_check_window (const xc_trust_key_t *key, uint64_t at, char *why,
                size_t why_len)
{
    return xc_trust_key_check (key, at, why, why_len);
}

/*  Shape of the signed content, checked only after the signature: a
    well-signed report with a nonsense month is a signer's bug, still
    worth refusing rather than displaying. */
static int
s_check_report (const Xiecha__Report *r, char *why, size_t why_len)
{
    char inner[256];
    if (xc_report_month (r->month, NULL, NULL, inner, sizeof inner) != 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("report.%s"), inner);
    /* A report of before the zone was recorded has neither; one month is
       28..31 days, give or take a clock change. */
    uint64_t span = r->period_to - r->period_from;
    if ((r->period_from || r->period_to)
        && (r->period_to <= r->period_from || span < 28 * 86400000ull - 7200000
            || span > 31 * 86400000ull + 7200000))
        return xc_why (why, why_len, XC_EMALFORMED, _("report.period: %llu.."
                         "%llu is not one month"), (unsigned long long)
                       r->period_from, (unsigned long long) r->period_to);
    for (size_t i = 0; i < r->n_rows; i++)
        if (!r->rows[i]->kind || !*r->rows[i]->kind)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("report.rows[%zu].kind: missing"), i);
        else if (*r->rows[i]->township
                 && (strlen (r->rows[i]->township) != 9
                     || strspn (r->rows[i]->township, "0123456789") != 9))
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("report.rows[%zu].township: not empty nor a "
                             "9-digit township code"), i);
    return 0;
}

static int
s_verify (const Xiecha__SignedReport *sr, const xc_trust_t *trust,
          Xiecha__Report **out, char *why, size_t why_len)
{
    if (sr->signature.len != XC_SIG_LEN)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("signed_report.signature: %zu bytes, not %d"),
                       sr->signature.len, XC_SIG_LEN);
    const xc_trust_key_t *key = trust ? xc_trust_key (trust, sr->key_id)
                                      : NULL;
    char shown[24];
    if (!key)
        return xc_why (why, why_len, XC_EUNKNOWN,
                       _("signed_report.key_id %s: not in the trust list"),
                       s_printable (sr->key_id, shown));
    /* The signature first: nothing inside the report is looked at
       before it is known to come from that key. */
    if (xc_verify (key->key, XC_CTX_REPORT, sr->report.data, sr->report.len,
                   sr->signature.data, sr->signature.len) != 0)
        return xc_why (why, why_len, XC_ESIG,
                       _("signature does not verify with key %s of node %s"),
                       key->id, key->node);
    int rc = 0;
    Xiecha__Report *r = (Xiecha__Report *) xc_strict_unpack (
        &xiecha__report__descriptor, sr->report.data, sr->report.len, &rc,
        why, why_len);
    if (!r)
        return rc;
    if (strcmp (key->node, r->node) != 0)
        rc = xc_why (why, why_len, XC_EUNKNOWN,
                     _("key_id %s: belongs to node %s, not to report.node %s"),
                     key->id, key->node, s_printable (r->node, shown));
    if (rc == 0)
        rc = s_check_window (key, r->generated_at, why, why_len);
    if (rc == 0)
        rc = s_check_report (r, why, why_len);
    if (rc)
        xiecha__report__free_unpacked (r, NULL);
    else
        *out = r;
    return rc;
}

int
xc_report_verify (const uint8_t *signed_report, size_t len,
                  const xc_trust_t *trust, Xiecha__Report **out, char *why,
                  size_t why_len)
{
    if (!out)
        return xc_why (why, why_len, XC_EINVAL, _("missing argument"));
    *out = NULL;
    if (!signed_report || len == 0)
        return xc_why (why, why_len, XC_EMALFORMED, _("signed_report: empty"));
    int rc = 0;
    Xiecha__SignedReport *sr = (Xiecha__SignedReport *) xc_strict_unpack (
        &xiecha__signed_report__descriptor, signed_report, len, &rc, why,
        why_len);
    if (!sr)
        return rc;
    rc = s_verify (sr, trust, out, why, why_len);
    xiecha__signed_report__free_unpacked (sr, NULL);
    return rc;
}
