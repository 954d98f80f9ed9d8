/*  request.c - the rules a terminal's request must keep
    (xiecha/request.h).

    Reading order: field helpers (a division code, a date, one person, a
    household), then one function per request.  Every rule is written
    once, here; the client library and the node both call these. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xiecha/date.h"
#include "xiecha/division.h"
#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/request.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"

#define S_DAY_MS (24ULL * 3600 * 1000)

/* --------------------------------------------------------------------------
   Fields
   -------------------------------------------------------------------------- */

/*  A registration county: a county-level unit (or any unit: a node may
    be a city's) of a mainland province, where household registers are
    kept.  Rule, not table (xiecha/division.h). */
static int
s_check_county (const char *code, char *why, size_t why_len)
{
    if (!code || !*code)
        return xc_why (why, why_len, XC_EINVAL, _("home_county: missing (the "
                         "6-digit code of the registration county)"));
    char rule[200];
    if (xc_divisions_check (NULL, code, rule, sizeof rule))
        return xc_why (why, why_len, XC_EINVAL, _("home_county: %s"), rule);
    if (!xc_division_mainland (code))
        return xc_why (why, why_len, XC_EINVAL, _("home_county: %s is not on "
                         "the mainland: Taiwan, Hong Kong and Macao keep no "
                         "household register a registration node answers for"),
                       code);
    return 0;
}

/*  Whom a request names as its registration county: a resident ID's
    holder has one (home_county, required); the holder of a residence
    permit or a foreigner's ID has none, so home_county must be empty
    and the notice is recorded at the own node. */
static int
s_check_home (const char *home, int applicant_kind, char *why,
              size_t why_len)
{
    if (xc_id_kind_has_home (applicant_kind))
        return s_check_county (home, why, why_len);
    if (home && *home)
        return xc_why (why, why_len, XC_EINVAL, _("home_county: the applicant "
                         "holds a %s and has no registration county; leave "
                         "home_county empty and the notice is recorded at "
                         "this node"), xc_id_kind_name (applicant_kind));
    return 0;
}

static int
s_program_known (int program)
{
    return program >= XIECHA__PROGRAM__DIBAO
           && program <= XIECHA__PROGRAM__TEMP;
}

/*  A calendar date, any year (0: missing). */
static int
s_check_calendar (uint32_t date, const char *field, char *why,
                  size_t why_len)
{
    if (date == 0)
        return xc_why (why, why_len, XC_EINVAL, _("%s: missing"), field);
    if (!xc_date_valid (date))
        return xc_why (why, why_len, XC_EINVAL,
                       _("%s: %u is not a calendar date (YYYYMMDD)"), field,
                       (unsigned) date);
    return 0;
}

/*  A date of aid: a calendar date from XC_REQUEST_DATE_MIN on. */
static int
s_check_aid_date (uint32_t date, const char *field, char *why,
                  size_t why_len)
{
    int rc = s_check_calendar (date, field, why, why_len);
    if (rc == 0 && date < XC_REQUEST_DATE_MIN)
        rc = xc_why (why, why_len, XC_EINVAL, _("%s: %u is before %u"), field,
                     (unsigned) date, XC_REQUEST_DATE_MIN / 10000);
    return rc;
}

/*  Not after the latest civil date anywhere at now (UTC+14) plus the
    tolerance: the terminal and both nodes keep their days in their own
    node/timezone, which the other side does not know, and from 00:00 to
    08:00 in China "tomorrow" is two UTC dates ahead. */
static int
s_check_not_future (uint32_t date, const char *field, uint64_t now,
                    char *why, size_t why_len)
{
    uint64_t tolerance = XC_REQUEST_FUTURE_DAYS * S_DAY_MS
                         + 14 * S_DAY_MS / 24;
    uint32_t latest = xc_date_from_ms (now + tolerance);
    if (date <= latest)
        return 0;
    char text[11];
    xc_date_text (date, text);
    return xc_why (why, why_len, XC_EINVAL,
                   _("%s: %s is in the future (tolerance %d day)"), field, text,
                   XC_REQUEST_FUTURE_DAYS);
}

/*  Programs named in a list: each known, none twice (wire.h). */
static int
s_check_programs (const Xiecha__Program *programs, size_t n, char *why,
                  size_t why_len)
{
    return xc_programs_check (programs, n, "programs", _("listed"), XC_EINVAL,
                              why, why_len);
}

/*  One person: present, a valid ID (normal form into norm), a name.
    field is "applicant" or "members[3]". */
static int
s_check_person (const Xiecha__Person *p, const char *field,
                char norm[XC_ID_LEN + 1], char *why, size_t why_len)
{
    if (!p)
        return xc_why (why, why_len, XC_EINVAL, _("%s: missing"), field);
    char name[48];
    snprintf (name, sizeof name, "%s.id_number", field);
    int rc = xc_id_normalize (p->id_number, name, norm, why, why_len);
    if (rc)
        return rc;
    if (!p->name || !*p->name)
        return xc_why (why, why_len, XC_EINVAL, _("%s.name: missing"), field);
    return 0;
}

/*  Sorts people by normal form, then by place in the request. */
typedef struct {
    const char *norm;
    size_t index;        /* 0: the applicant, i + 1: members[i] */
} s_norm_t;

static int
s_norm_cmp (const void *a, const void *b)
{
    const s_norm_t *x = a, *y = b;
    int c = strcmp (x->norm, y->norm);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/*  The first person (by place) of norms[0..n) who repeats an earlier
    one, into *later and *earlier; 0 when none.  Sorted, so O(n log n):
    a batch's thousands of members are not compared pair by pair. */
static int
s_first_repeat (char (*norms)[XC_ID_LEN + 1], size_t n, size_t *later,
                size_t *earlier)
{
    if (n < 2)
        return 0;
    s_norm_t *order = calloc (n, sizeof *order);
    if (!order)
        return XC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        order[i] = (s_norm_t) {norms[i], i};
    qsort (order, n, sizeof *order, s_norm_cmp);
    int found = 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp (order[i - 1].norm, order[i].norm) == 0
            && (!found || order[i].index < *later)) {
            /* a run's second is its first repeat; its head the earliest */
            size_t k = i - 1;
            while (k > 0 && strcmp (order[k - 1].norm, order[i].norm) == 0)
                k--;
            *later = order[i].index;
            *earlier = order[k].index;
            found = 1;
        }
    free (order);
    return found;
}

/*  The applicant and the other members, at most max people, each a
    different person; the kind of the applicant's number (xiecha/id.h)
    into *kind.  The first fault in the order of the request is the one
    reported, as if each person were checked against those before. */
static int
s_check_household (const Xiecha__Person *applicant,
                   Xiecha__Person *const *members, size_t n_members,
                   size_t max, int *kind, char *why, size_t why_len)
{
    if (n_members + 1 > max)
        return xc_why (why, why_len, XC_EINVAL,
                       _("members: at most %zu household members"), max - 1);
    if (n_members && !members)
        return xc_why (why, why_len, XC_EINVAL, _("members: missing"));
    size_t n = n_members + 1;
    char (*norms)[XC_ID_LEN + 1] = calloc (n, sizeof *norms);
    if (!norms)
        return xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    int rc = s_check_person (applicant, "applicant", norms[0], why, why_len);
    *kind = rc ? 0 : xc_id_kind (norms[0]);
    size_t good = rc ? 0 : 1;   /* people checked before the first fault */
    char field[32];
    for (; rc == 0 && good < n; good++) {
        snprintf (field, sizeof field, "members[%zu]", good - 1);
        rc = s_check_person (members[good - 1], field, norms[good], why,
                             why_len);
        if (rc)
            break;
    }
    size_t later = 0, earlier = 0;
    int repeat = s_first_repeat (norms, good, &later, &earlier);
    if (repeat < 0)
        rc = xc_why (why, why_len, XC_ENOMEM, _("out of memory"));
    else if (repeat) {
        snprintf (field, sizeof field, "members[%zu]", later - 1);
        rc = xc_why (why, why_len, XC_EINVAL,
                     _("%s.id_number: same person as %s"), field,
                     earlier ? _("an earlier member") : _("the applicant"));
    }
    explicit_bzero (norms, n * sizeof *norms);
    free (norms);
    return rc;
}

/* --------------------------------------------------------------------------
   Requests
   -------------------------------------------------------------------------- */

int
xc_request_check_query (const Xiecha__QueryRequest *r, char *why,
                        size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("query: missing"));
    int kind = 0;
    int rc = s_check_county (r->home_county, why, why_len);
    if (rc == 0)
        rc = s_check_household (r->applicant, r->members, r->n_members,
                                xc_wire_max_subjects (), &kind, why,
                                why_len);
    if (rc)
        return rc;
    if (!xc_id_kind_has_home (kind))
        return xc_why (why, why_len, XC_EINVAL, _("applicant.id_number: a %s "
                         "names no registration county, so no registration "
                         "node can be asked; emergency TEMP for its holder is "
                         "recorded at this node (a notice without "
                         "home_county: xiecha emergency without --home)"),
                       xc_id_kind_name (kind));
    if (r->n_programs == 0 || !r->programs)
        return xc_why (why, why_len, XC_EINVAL,
                       _("programs: at least one program is required"));
    return s_check_programs (r->programs, r->n_programs, why, why_len);
}

int
xc_request_check_notice (const Xiecha__NoticeRequest *r, uint64_t now,
                         char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("notice: missing"));
    if (r->kind < XIECHA__NOTICE_KIND__ENROLLMENT
        || r->kind > XIECHA__NOTICE_KIND__EMERGENCY_AID)
        return xc_why (why, why_len, XC_EINVAL, _("kind: unknown notice kind %d"),
                       (int) r->kind);
    int kind = 0;
    int rc = s_check_household (r->applicant, r->members, r->n_members,
                                XC_MAX_HOUSEHOLD, &kind, why, why_len);
    if (rc == 0)
        rc = s_check_home (r->home_county, kind, why, why_len);
    if (rc)
        return rc;

    int emergency = r->kind == XIECHA__NOTICE_KIND__EMERGENCY_AID;
    if (r->program == XIECHA__PROGRAM__PROGRAM_UNSPECIFIED)
        return xc_why (why, why_len, XC_EINVAL, _("program: missing"));
    if (!s_program_known (r->program))
        return xc_why (why, why_len, XC_EINVAL, _("program: unknown program %d"),
                       (int) r->program);
    if (emergency && r->program != XIECHA__PROGRAM__TEMP)
        return xc_why (why, why_len, XC_EINVAL,
                       _("program: emergency aid is always TEMP, got %s"),
                       xc_program_name (r->program));

    const char *field = "start_date";
    uint32_t date = r->start_date;
    if (r->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        field = "end_date";
        date = r->end_date;
    }
    rc = s_check_aid_date (date, field, why, why_len);
    if (rc == 0)
        rc = s_check_not_future (date, field, now, why, why_len);
    if (rc)
        return rc;
    if (r->kind == XIECHA__NOTICE_KIND__TERMINATION) {
        if (r->reason == XIECHA__TERMINATION_REASON__REASON_UNSPECIFIED)
            return xc_why (why, why_len, XC_EINVAL, _("reason: missing"));
        if (r->reason < XIECHA__TERMINATION_REASON__MOVED_AWAY
            || r->reason > XIECHA__TERMINATION_REASON__OTHER)
            return xc_why (why, why_len, XC_EINVAL,
                           _("reason: unknown termination reason %d"),
                           (int) r->reason);
    }
    else if (r->member_only)
        return xc_why (why, why_len, XC_EINVAL, _("member_only: only a "
                         "termination can end one member's aid alone"));

    if (emergency) {
        if (r->amount_band < 1 || r->amount_band > XC_AMOUNT_BANDS)
            return xc_why (why, why_len, XC_EINVAL,
                           _("amount_band: %u is not a band (1..%d)"),
                           (unsigned) r->amount_band, XC_AMOUNT_BANDS);
        if (!r->aid_reason || !*r->aid_reason)
            return xc_why (why, why_len, XC_EINVAL, _("aid_reason: missing"));
        size_t len = strlen (r->aid_reason);
        if (len > XC_AID_REASON_MAX)
            return xc_why (why, why_len, XC_EINVAL,
                           _("aid_reason: %zu bytes, longer than %d"), len,
                           XC_AID_REASON_MAX);
    }

    if (r->wait_ms > XC_NOTICE_WAIT_MAX)
        return xc_why (why, why_len, XC_EINVAL,
                       _("wait_ms: %u is not 0..%d ms"), (unsigned) r->wait_ms,
                       XC_NOTICE_WAIT_MAX);
    return 0;
}

int
xc_request_check_checkin (const Xiecha__CheckinRequest *r, uint64_t now,
                          char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("checkin: missing"));
    char norm[XC_ID_LEN + 1];
    int rc = s_check_person (r->applicant, "applicant", norm, why, why_len);
    explicit_bzero (norm, sizeof norm);
    if (rc || r->date == 0)
        return rc;
    rc = s_check_calendar (r->date, "date", why, why_len);
    if (rc == 0)
        rc = s_check_not_future (r->date, "date", now, why, why_len);
    return rc;
}

int
xc_request_check_due (const Xiecha__DueRequest *r, char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("due: missing"));
    if (r->as_of == 0)
        return 0;
    return s_check_calendar (r->as_of, "as_of", why, why_len);
}

int
xc_request_check_import (const Xiecha__ImportRequest *r, uint64_t now,
                         char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("import: missing"));
    int rc = 0;
    if (r->as_of) {
        rc = s_check_aid_date (r->as_of, "as_of", why, why_len);
        if (rc == 0)
            rc = s_check_not_future (r->as_of, "as_of", now, why, why_len);
    }
    if (rc)
        return rc;
    if (r->delta && (r->as_of || r->n_programs))
        return xc_why (why, why_len, XC_EINVAL, _("%s: a delta changes its "
                         "rows only; a date and programs are a snapshot's"),
                       r->as_of ? "as_of" : "programs");
    return s_check_programs (r->programs, r->n_programs, why, why_len);
}

int
xc_request_check_roster (const Xiecha__RosterRequest *r, uint64_t now,
                         char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("roster: missing"));
    if (r->action != XIECHA__ROSTER_REQUEST__ACTION__SHOW
        && r->action != XIECHA__ROSTER_REQUEST__ACTION__CLOSE)
        return xc_why (why, why_len, XC_EINVAL, _("action: unknown action %d"),
                       (int) r->action);
    char norm[XC_ID_LEN + 1];
    int rc = xc_id_normalize (r->id_number, "id_number", norm, why, why_len);
    explicit_bzero (norm, sizeof norm);
    if (rc || r->action == XIECHA__ROSTER_REQUEST__ACTION__SHOW)
        return rc;
    if (!s_program_known (r->program))
        return xc_why (why, why_len, XC_EINVAL, _("program: unknown program %d"),
                       (int) r->program);
    if (r->until == 0)
        return 0;
    rc = s_check_aid_date (r->until, "until", why, why_len);
    return rc ? rc : s_check_not_future (r->until, "until", now, why,
                                         why_len);
}

int
xc_request_check_row (const Xiecha__RosterRow *r, char *why, size_t why_len)
{
    if (!r)
        return xc_why (why, why_len, XC_EINVAL, _("row: missing"));
    char norm[XC_ID_LEN + 1];
    int rc = xc_id_normalize (r->id_number, "id_number", norm, why, why_len);
    explicit_bzero (norm, sizeof norm);
    if (rc)
        return rc;
    if (!s_program_known (r->program))
        return xc_why (why, why_len, XC_EINVAL, _("program: unknown program %d"),
                       (int) r->program);
    rc = s_check_aid_date (r->since, "since", why, why_len);
    if (rc == 0 && r->until)
        rc = s_check_aid_date (r->until, "until", why, why_len);
    if (rc == 0 && r->until && r->until < r->since) {
        char until[11], since[11];
        xc_date_text (r->until, until);
        xc_date_text (r->since, since);
        rc = xc_why (why, why_len, XC_EINVAL, _("until: %s is before since %s"),
                     until, since);
    }
    return rc;
}
