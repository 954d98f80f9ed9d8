/*  cert.c - the one certificate validator, and offline certificate
    verification.

    xc_cert_check holds every rule a certificate's fields must keep; the
    node runs it on each certificate before it signs one and on each it
    receives, and `cert verify` runs it offline, so no certificate one
    of them refuses passes another.  Offline verification is: open it
    (strictly), insist it is a certificate, verify it against the trust
    list, xc_cert_check, then judge its validity window against the
    caller's clock.  The order matters: time is only judged on a signed
    message. */
#include <stdio.h>
#include <string.h>

#include "xiecha/client.h"
#include "xiecha/date.h"
#include "xiecha/division.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/text.h"
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
                       _("certificate expired at %s (%llu s ago)"), when,
                       (unsigned long long) ((now_ms - cert->valid_until)
                                             / 1000));
    }
    if (cert->issued_at > now_ms + XC_CERT_CLOCK_SKEW_MS) {
        xc_time_iso (cert->issued_at, when);
        return xc_why (why, why_len, XC_EFUTURE,
                       _("certificate issued at %s, %llu s in the future "
                         "(tolerance %d s)"), when,
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
    return xc_why (why, why_len, XC_EUNKNOWN, _("certificate.%s: %s"), field,
                   inner);
}

int
xc_cert_check_times (const xc_opened_t *opened, const xc_trust_t *trust,
                     char *why, size_t why_len)
{
    const Xiecha__Certificate *cert = opened->msg->certificate;
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
        return xc_why (why, why_len, XC_EMALFORMED, _("certificate.rosters: "
                         "%zu roster dates for %zu programs checked"),
                       cert->n_rosters, cert->n_programs);
    uint32_t issued = xc_date_from_ms (cert->issued_at);
    unsigned max = xc_trust_max_roster_age (trust);
    for (size_t i = 0; i < cert->n_rosters; i++) {
        const Xiecha__RosterDate *d = cert->rosters[i];
        const char *name = xc_program_name (cert->programs[i]);
        char date[11];
        xc_date_text (d->as_of, date);
        if (d->program != cert->programs[i] || d->interrupted)
            return xc_why (why, why_len, XC_EMALFORMED, _("certificate.rosters"
                             "[%zu]: not the roster date of %s"), i, name);
        /* A roster may be dated a day ahead of the issuer's UTC day:
           the county's own day, in its time zone. */
        if (d->as_of && (!xc_date_valid (d->as_of)
                         || xc_date_diff (issued, d->as_of) > 1))
            return xc_why (why, why_len, XC_EMALFORMED, _("certificate.rosters"
                             "[%zu]: %s roster dated %s, after the certificate "
                             "was issued"), i, name, date);
        if (!s_denies (cert, cert->programs[i]))
            continue;   /* everyone receives it: no roster needed */
        if (!d->as_of)
            return xc_why (why, why_len, XC_EROSTER, _("certificate says "
                             "NOT_RECEIVING of %s without a roster of it"), name);
        int64_t age = xc_date_diff (d->as_of, issued);
        if (age > (int64_t) max)
            return xc_why (why, why_len, XC_EROSTER, _("certificate says "
                             "NOT_RECEIVING of %s from a roster of %s, %lld "
                             "days before it was issued (the trust list allows "
                             "%u)"), name, date, (long long) age, max);
    }
    return 0;
}

/* --------------------------------------------------------------------------
   The validator: one rule a function, in the order a reader of the proto
   meets the fields.  Lengths of ids, digests and subject refs are
   checked by xc_envelope_open, which every certificate passes first.
   -------------------------------------------------------------------------- */

/*  What the certificate itself says it answers: in_reply_to names the
    query's id, the requester is the node it is addressed to, and the
    relation is the division rule's for requester and issuer. */
static int
s_check_carried_binding (const Xiecha__Header *h,
                         const Xiecha__Certificate *c, char *why,
                         size_t why_len)
{
    if (h->created_at == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("header.created_at: 0, a certificate is made at a "
                         "time"));
    if (h->in_reply_to.len != c->query_id.len
        || memcmp (h->in_reply_to.data, c->query_id.data,
                   c->query_id.len) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("header.in_reply_to: not certificate.query_id"));
    if (!xc_code_valid (c->requester)
        || strcmp (c->requester, h->recipient) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.requester: not header.recipient %s"),
                       h->recipient);
    int rel = xc_relation_of (c->requester, h->sender);
    if ((int) c->relation != rel)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.relation: says %s but %s and %s are %s"),
                       xc_relation_name (c->relation), c->requester,
                       h->sender, xc_relation_name (rel));
    return 0;
}

/*  issued_at is set, and the certificate is valid for some time after
    it, no longer than the trust list's max_cert_lifetime_days: a key
    thief cannot issue a certificate that outlives the key's
    revocation by years. */
static int
s_check_times (const Xiecha__Certificate *c, const xc_trust_t *trust,
               char *why, size_t why_len)
{
    if (c->issued_at == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.issued_at: 0"));
    if (c->valid_until <= c->issued_at)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.valid_until: not after issued_at"));
    /* Over a day count the product cannot overflow: at most 366 days. */
    unsigned max_days = xc_trust_max_cert_lifetime (trust);
    uint64_t life = c->valid_until - c->issued_at;
    if (life > (uint64_t) max_days * 86400000ULL)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate valid for %.1f days (issued_at to "
                         "valid_until), over the trust list's "
                         "max_cert_lifetime_days of %u"),
                       (double) life / 86400000.0, max_days);
    return 0;
}

/*  At least one program, each a program, none twice. */
static int
s_check_programs (const Xiecha__Certificate *c, char *why, size_t why_len)
{
    if (c->n_programs == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.programs: no program checked"));
    return xc_programs_check (c->programs, c->n_programs,
                              "certificate.programs", _("checked"),
                              XC_EMALFORMED, why, why_len);
}

static int
s_program_checked (const Xiecha__Certificate *c, int program)
{
    for (size_t i = 0; i < c->n_programs; i++)
        if ((int) c->programs[i] == program)
            return 1;
    return 0;
}

/*  The civil days the issue instant ms falls on somewhere on Earth
    (UTC-12 to UTC+14): the registration node lists what is active on its
    own day, in its node/timezone (Beijing's by default), which a
    verifier does not know; from 00:00 to 08:00 in China that day is the
    day after the UTC one. */
#define S_HOUR_MS (3600ULL * 1000)

static void
s_issue_days (uint64_t ms, uint32_t *first, uint32_t *last)
{
    *first = xc_date_from_ms (ms > 12 * S_HOUR_MS ? ms - 12 * S_HOUR_MS : 0);
    *last = xc_date_from_ms (ms + 14 * S_HOUR_MS);
}

/*  An enrollment the certificate lists: in a program it checked, paid
    by a node, and active on the day it was issued (the registration
    node lists only those, xc_enrollment_active), in whatever time zone
    the issuer keeps its days. */
static int
s_check_enrollment (const Xiecha__Certificate *c, size_t i, size_t k,
                    char *why, size_t why_len)
{
    const Xiecha__Enrollment *e = c->results[i]->enrollments[k];
    uint32_t first, last;
    s_issue_days (c->issued_at, &first, &last);
    char field[64];
    snprintf (field, sizeof field, "certificate.results[%zu].enrollments"
              "[%zu]", i, k);
    if (!s_program_checked (c, e->program))
        return xc_why (why, why_len, XC_EMALFORMED, _("%s: %s, a program the "
                         "certificate did not check"), field,
                       xc_program_name (e->program));
    if (!xc_code_valid (e->node))
        return xc_why (why, why_len, XC_EMALFORMED, _("%s.node: not a "
                         "division code"), field);
    if (!xc_date_valid (e->since)
        || (e->until && (!xc_date_valid (e->until) || e->until < e->since)))
        return xc_why (why, why_len, XC_EMALFORMED, _("%s: since %u, until %u "
                         "is not a period"), field, e->since, e->until);
    if (e->since > last || (e->until && e->until < first))
        return xc_why (why, why_len, XC_EMALFORMED, _("%s: not active on the "
                         "day the certificate was issued"), field);
    return 0;
}

/*  At least one result; each RECEIVING with the enrollments that say so,
    or NOT_RECEIVING with none. */
static int
s_check_results (const Xiecha__Certificate *c, char *why, size_t why_len)
{
    if (c->n_results == 0)
        return xc_why (why, why_len, XC_EMALFORMED,
                       _("certificate.results: no subject answered"));
    for (size_t i = 0; i < c->n_results; i++) {
        const Xiecha__SubjectResult *r = c->results[i];
        if (r->status != XIECHA__STATUS__RECEIVING
            && r->status != XIECHA__STATUS__NOT_RECEIVING)
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("certificate.results[%zu].status: %d is neither "
                             "NOT_RECEIVING nor RECEIVING"), i, (int) r->status);
        int receiving = r->status == XIECHA__STATUS__RECEIVING;
        if (receiving != (r->n_enrollments > 0))
            return xc_why (why, why_len, XC_EMALFORMED,
                           _("certificate.results[%zu]: %s with %zu "
                             "enrollments"), i, xc_status_name (r->status),
                           r->n_enrollments);
        for (size_t k = 0; k < r->n_enrollments; k++) {
            int rc = s_check_enrollment (c, i, k, why, why_len);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/*  The certificate answers exactly the query: its id and digest, from
    the node that asked to the node asked, the same subjects and programs
    in the same order, the same relation. */
static int
s_check_query_binding (const Xiecha__Header *h, const Xiecha__Certificate *c,
                       const xc_opened_t *query, char *why, size_t why_len)
{
    const Xiecha__Header *qh = query->msg->header;
    const Xiecha__Query *q = query->msg->query;
    if (c->query_id.len != qh->msg_id.len
        || memcmp (c->query_id.data, qh->msg_id.data, qh->msg_id.len) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.query_id: not the id of our query"));
    if (memcmp (c->query_digest.data, query->digest, XC_HASH_LEN) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.query_digest: not the digest of our query"));
    if (strcmp (c->requester, qh->sender) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.requester: issued to %s, not to %s"),
                       c->requester, qh->sender);
    if (strcmp (h->sender, qh->recipient) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("header.sender: answer from %s to a query sent to %s"),
                       h->sender, qh->recipient);
    if (c->n_results != q->n_subjects)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.results: %zu results for %zu subjects"),
                       c->n_results, q->n_subjects);
    for (size_t i = 0; i < c->n_results; i++)
        if (memcmp (c->results[i]->subject.data, q->subjects[i].data,
                    XC_REF_LEN) != 0)
            return xc_why (why, why_len, XC_EBINDING,
                           _("certificate.results[%zu].subject: not the subject "
                             "we asked about"), i);
    if (c->n_programs != q->n_programs
        || memcmp (c->programs, q->programs,
                   q->n_programs * sizeof *q->programs) != 0)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.programs: not the programs of the query"));
    if (c->relation != q->relation)
        return xc_why (why, why_len, XC_EBINDING,
                       _("certificate.relation: not the relation of the query"));
    return 0;
}

int
xc_cert_check (const Xiecha__Header *h, const Xiecha__Certificate *c,
               const xc_opened_t *query, const xc_trust_t *trust, char *why,
               size_t why_len)
{
    if (!h || !c)
        return xc_why (why, why_len, XC_EMALFORMED, _("certificate: missing"));
    int rc = s_check_carried_binding (h, c, why, why_len);
    if (rc == 0)
        rc = s_check_times (c, trust, why, why_len);
    if (rc == 0)
        rc = s_check_programs (c, why, why_len);
    if (rc == 0)
        rc = s_check_results (c, why, why_len);
    if (rc == 0)
        rc = xc_cert_check_rosters (c, trust, why, why_len);
    if (rc == 0 && query && query->msg && query->msg->query)
        rc = s_check_query_binding (h, c, query, why, why_len);
    return rc;
}

/* --------------------------------------------------------------------------
   Offline verification
   -------------------------------------------------------------------------- */

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
                       _("header.type: must be CERTIFICATE, got %s"),
                       msg->header->type == XIECHA__MSG_TYPE__MSG_QUERY
                           ? "QUERY" : "ERROR");
    rc = xc_envelope_verify (opened, trust, why, why_len);
    if (rc == 0)
        rc = xc_cert_check (msg->header, msg->certificate, NULL, trust, why,
                            why_len);
    if (rc == 0)
        rc = xc_cert_check_times (opened, trust, why, why_len);
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
