/*  test_request.c - the rules of a terminal's requests (xiecha/request.h):
    one test per rule of each request, each refusal naming its field, and
    the client library refusing before anything is sent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/xiecha.h"

/* 2026-01-01T00:00:00Z: today is 20260101, tomorrow still tolerated. */
#include "xt_id.h"

#define NOW 1767225600000ULL
#define FAKE_NOW "1767225600000"

#define HOME "341002"

/*  Builds a valid ID from its first 17 characters (tests/lib/xt_id.h). */
static void
s_make_id (const char *first17, char *id)
{
    memcpy (id, first17, 17);
    id[17] = xt_id_check (first17);
    id[18] = '\0';
}

/*  A request's people: the applicant and up to 70 members, each a
    different person unless a test says otherwise. */
typedef struct {
    char ids[71][20];
    Xiecha__Person person[71];
    Xiecha__Person *members[70];
} s_people_t;

static void
s_people (s_people_t *p)
{
    memset (p, 0, sizeof *p);
    for (int i = 0; i < 71; i++) {
        char first17[18];
        snprintf (first17, sizeof first17, "34100219800101%03d", i);
        s_make_id (first17, p->ids[i]);
        xiecha__person__init (&p->person[i]);
        p->person[i].id_number = p->ids[i];
        p->person[i].name = (char *) "张三";
        if (i)
            p->members[i - 1] = &p->person[i];
    }
}

static Xiecha__Program s_programs[] = {XIECHA__PROGRAM__DIBAO,
                                       XIECHA__PROGRAM__TEKUN};

static void
s_query (Xiecha__QueryRequest *q, s_people_t *p, size_t members)
{
    s_people (p);
    xiecha__query_request__init (q);
    q->home_county = (char *) HOME;
    q->applicant = &p->person[0];
    q->n_members = members;
    q->members = members ? p->members : NULL;
    q->n_programs = 2;
    q->programs = s_programs;
}

static void
s_notice (Xiecha__NoticeRequest *n, s_people_t *p, int kind)
{
    s_people (p);
    xiecha__notice_request__init (n);
    n->kind = (Xiecha__NoticeKind) kind;
    n->home_county = (char *) HOME;
    n->applicant = &p->person[0];
    n->n_members = 1;
    n->members = p->members;
    n->program = XIECHA__PROGRAM__DIBAO;
    if (kind == XIECHA__NOTICE_KIND__TERMINATION) {
        n->end_date = 20251231;
        n->reason = XIECHA__TERMINATION_REASON__MOVED_AWAY;
    }
    else
        n->start_date = 20251201;
    if (kind == XIECHA__NOTICE_KIND__EMERGENCY_AID) {
        n->program = XIECHA__PROGRAM__TEMP;
        n->amount_band = 3;
        n->aid_reason = (char *) "illness";
    }
}

/*  rc is XC_EINVAL and why starts with prefix. */
#define EXPECT(call, prefix)                                                \
    do {                                                                    \
        char why_[512] = "";                                                \
        int rc_ = (call);                                                   \
        if (rc_ != XC_EINVAL || strncmp (why_, prefix, strlen (prefix)))    \
            fail_msg ("%s: rc %d, why \"%s\", want \"%s...\"", #call, rc_,  \
                      why_, prefix);                                        \
    } while (0)
#define WHY why_, sizeof why_

#define EXPECT_OK(call)                                                     \
    do {                                                                    \
        char why_[512] = "";                                                \
        int rc_ = (call);                                                   \
        if (rc_ != 0)                                                       \
            fail_msg ("%s: rc %d, why \"%s\"", #call, rc_, why_);           \
    } while (0)

static int
s_setup (void **state)
{
    setenv ("XIECHA_FAKE_NOW_MS", FAKE_NOW, 1);
    return 0;
}

static int
s_teardown (void **state)
{
    unsetenv ("XIECHA_FAKE_NOW_MS");
    return 0;
}

/* --------------------------------------------------------------------------
   Query
   -------------------------------------------------------------------------- */

static void
test_query_valid (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    s_query (&q, &p, 0);
    EXPECT_OK (xc_request_check_query (&q, WHY));
    /* A node's maximum, when it set one (wire.h)... */
    xc_wire_set_max_subjects (64);
    s_query (&q, &p, 63);
    EXPECT_OK (xc_request_check_query (&q, WHY));
    /* ...else the protocol's: more than a household (a batch) */
    xc_wire_set_max_subjects (XC_SUBJECTS_CEILING);
    s_query (&q, &p, 70);
    EXPECT_OK (xc_request_check_query (&q, WHY));
    EXPECT (xc_request_check_query (NULL, WHY), "query: missing");
}

static void
test_query_home_county (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    s_query (&q, &p, 1);
    q.home_county = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "home_county: missing");
    q.home_county = (char *) "";
    EXPECT (xc_request_check_query (&q, WHY), "home_county: missing");
    q.home_county = (char *) "34100";
    EXPECT (xc_request_check_query (&q, WHY), "home_county: '34100' is not");
    q.home_county = (char *) "991002";
    EXPECT (xc_request_check_query (&q, WHY), "home_county: '991002'");
    /* A group row of the official list is no county. */
    q.home_county = (char *) "469000";
    EXPECT (xc_request_check_query (&q, WHY), "home_county: 469000 groups");
    /* No registration node answers for Hong Kong, Macao or Taiwan. */
    q.home_county = (char *) "810000";
    EXPECT (xc_request_check_query (&q, WHY),
            "home_county: 810000 is not on the mainland");
    q.home_county = (char *) "710000";
    EXPECT (xc_request_check_query (&q, WHY),
            "home_county: 710000 is not on the mainland");
    q.home_county = (char *) "469021";
    EXPECT_OK (xc_request_check_query (&q, WHY));
}

/*  The holder of a residence permit or a foreigner's ID has no
    registration county: no query is made for them; as a household
    member they are asked about like anyone else. */
static void
test_query_without_registration_county (void **state)
{
    const char *first[] = {"81000019900101001", "82000019900101001",
                           "83000019900101001", "94639219800101001"};
    const char *kind[] = {"Hong Kong residence permit",
                          "Macao residence permit",
                          "Taiwan residence permit",
                          "foreigner's permanent residence ID"};
    for (size_t i = 0; i < 4; i++) {
        Xiecha__QueryRequest q;
        s_people_t p;
        s_query (&q, &p, 1);
        s_make_id (first[i], p.ids[0]);
        char want[160];
        snprintf (want, sizeof want, "applicant.id_number: a %s names no "
                  "registration county", kind[i]);
        EXPECT (xc_request_check_query (&q, WHY), want);
        s_query (&q, &p, 1);
        s_make_id (first[i], p.ids[1]);
        EXPECT_OK (xc_request_check_query (&q, WHY));
    }
}

/*  Their emergency aid is recorded at the own node: no home_county. */
static void
test_notice_without_registration_county (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    s_make_id ("83000019900101001", p.ids[0]);
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "home_county: the applicant holds a Taiwan residence permit and "
            "has no registration county; leave home_county empty");
    n.home_county = (char *) "";
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    n.home_county = NULL;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    s_make_id ("91184019800101001", p.ids[0]);
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    /* A resident ID's holder is registered somewhere: say where. */
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.home_county = (char *) "";
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "home_county: missing");
}

static void
test_query_applicant (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    s_query (&q, &p, 1);
    q.applicant = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "applicant: missing");
    s_query (&q, &p, 1);
    p.person[0].id_number = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "applicant.id_number: missing");
    p.person[0].id_number = (char *) "34100219800101000";
    EXPECT (xc_request_check_query (&q, WHY),
            "applicant.id_number: must be 18 characters");
    p.ids[0][17] = p.ids[0][17] == '0' ? '1' : '0';
    p.person[0].id_number = p.ids[0];
    EXPECT (xc_request_check_query (&q, WHY),
            "applicant.id_number: check character");
    s_query (&q, &p, 1);
    p.person[0].name = (char *) "";
    EXPECT (xc_request_check_query (&q, WHY), "applicant.name: missing");
    p.person[0].name = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "applicant.name: missing");
}

static void
test_query_members (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    xc_wire_set_max_subjects (64);
    s_query (&q, &p, 64);
    EXPECT (xc_request_check_query (&q, WHY),
            "members: at most 63 household members");
    xc_wire_set_max_subjects (XC_SUBJECTS_CEILING);
    s_query (&q, &p, 2);
    q.members = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "members: missing");
    s_query (&q, &p, 2);
    p.members[1] = NULL;
    EXPECT (xc_request_check_query (&q, WHY), "members[1]: missing");
    s_query (&q, &p, 2);
    p.person[2].name = (char *) "";
    EXPECT (xc_request_check_query (&q, WHY), "members[1].name: missing");
    s_query (&q, &p, 2);
    p.person[2].id_number = (char *) "x";
    EXPECT (xc_request_check_query (&q, WHY), "members[1].id_number: must be");
}

static void
test_query_same_person_twice (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    s_query (&q, &p, 3);
    p.person[1].id_number = p.ids[0];
    EXPECT (xc_request_check_query (&q, WHY),
            "members[0].id_number: same person as the applicant");
    s_query (&q, &p, 3);
    p.person[3].id_number = p.ids[2];
    EXPECT (xc_request_check_query (&q, WHY),
            "members[2].id_number: same person as an earlier member");
    /* Two spellings of one ID are one person. */
    s_query (&q, &p, 1);
    char spaced[32];
    snprintf (spaced, sizeof spaced, "  %s ", p.ids[0]);
    p.person[1].id_number = spaced;
    EXPECT (xc_request_check_query (&q, WHY),
            "members[0].id_number: same person as the applicant");
    /* Of several repeats the first in the request's order is named, and
       a fault before it wins over it, after it loses to it. */
    s_query (&q, &p, 6);
    p.person[6].id_number = p.ids[1];
    p.person[4].id_number = p.ids[2];
    EXPECT (xc_request_check_query (&q, WHY),
            "members[3].id_number: same person as an earlier member");
    p.person[3].name = (char *) "";
    EXPECT (xc_request_check_query (&q, WHY), "members[2].name: missing");
    p.person[3].name = (char *) "张三";
    p.person[5].name = (char *) "";
    EXPECT (xc_request_check_query (&q, WHY),
            "members[3].id_number: same person as an earlier member");
}

static void
test_query_programs (void **state)
{
    Xiecha__QueryRequest q;
    s_people_t p;
    s_query (&q, &p, 0);
    q.n_programs = 0;
    EXPECT (xc_request_check_query (&q, WHY),
            "programs: at least one program is required");
    Xiecha__Program bad[] = {XIECHA__PROGRAM__DIBAO, 9};
    q.n_programs = 2;
    q.programs = bad;
    EXPECT (xc_request_check_query (&q, WHY),
            "programs[1]: unknown program 9");
    bad[0] = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    EXPECT (xc_request_check_query (&q, WHY),
            "programs[0]: unknown program 0");
    Xiecha__Program twice[] = {XIECHA__PROGRAM__TEMP, XIECHA__PROGRAM__DIBAO,
                               XIECHA__PROGRAM__TEMP};
    q.n_programs = 3;
    q.programs = twice;
    EXPECT (xc_request_check_query (&q, WHY),
            "programs[2]: TEMP listed twice");
    Xiecha__Program all[] = {1, 2, 3, 4, 5};
    q.n_programs = 5;
    q.programs = all;
    EXPECT_OK (xc_request_check_query (&q, WHY));
}

/* --------------------------------------------------------------------------
   Notice
   -------------------------------------------------------------------------- */

static void
test_notice_valid (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    for (int k = 1; k <= 3; k++) {
        s_notice (&n, &p, k);
        EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    }
    EXPECT (xc_request_check_notice (NULL, NOW, WHY), "notice: missing");
}

static void
test_notice_kind (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.kind = XIECHA__NOTICE_KIND__NOTICE_UNSPECIFIED;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "kind: unknown notice kind 0");
    n.kind = 4;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "kind: unknown notice kind 4");
}

static void
test_notice_household (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.home_county = (char *) "00";
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "home_county: '00'");
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    p.person[0].name = (char *) "";
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "applicant.name: missing");
    s_notice (&n, &p, XIECHA__NOTICE_KIND__TERMINATION);
    p.person[1].id_number = p.ids[0];
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "members[0].id_number: same person as the applicant");
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.n_members = 64;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "members: at most 63");
}

static void
test_notice_program (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.program = XIECHA__PROGRAM__PROGRAM_UNSPECIFIED;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "program: missing");
    n.program = 6;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "program: unknown program 6");
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.program = XIECHA__PROGRAM__DIBAO;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "program: emergency aid is always TEMP, got DIBAO");
    s_notice (&n, &p, XIECHA__NOTICE_KIND__TERMINATION);
    n.program = XIECHA__PROGRAM__TEMP;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
}

static void
test_notice_dates (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.start_date = 0;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "start_date: missing");
    n.start_date = 20250229;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "start_date: 20250229 is not a calendar date (YYYYMMDD)");
    n.start_date = 18991231;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "start_date: 18991231 is before 1900");
    n.start_date = 20260103;   /* today is 20260101: two days ahead */
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "start_date: 2026-01-03 is in the future (tolerance 1 day)");
    n.start_date = 20260102;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    /* 01:00 on 2 January in Beijing is 17:00Z on the 1st: tomorrow
       there is the 3rd, two UTC dates ahead, and allowed. */
    n.start_date = 20260103;
    EXPECT_OK (xc_request_check_notice (&n, NOW + 17 * 3600 * 1000ULL, WHY));
    n.start_date = 20260102;
    n.end_date = 1;   /* not looked at for an enrollment */
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));

    s_notice (&n, &p, XIECHA__NOTICE_KIND__TERMINATION);
    n.end_date = 0;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "end_date: missing");
    n.end_date = 20251301;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "end_date: 20251301 is not a calendar date");
    n.end_date = 20270101;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "end_date: 2027-01-01 is in the future");
    n.end_date = 20251231;
    n.start_date = 1;   /* not looked at for a termination */
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));

    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.start_date = 20260201;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "start_date: 2026-02-01 is in the future");
}

static void
test_notice_reason (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__TERMINATION);
    n.reason = XIECHA__TERMINATION_REASON__REASON_UNSPECIFIED;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "reason: missing");
    n.reason = 6;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "reason: unknown termination reason 6");
    n.reason = XIECHA__TERMINATION_REASON__OTHER;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.reason = 99;   /* not looked at */
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
}

static void
test_notice_amount_band (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.amount_band = 0;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "amount_band: 0 is not a band (1..5)");
    n.amount_band = 6;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "amount_band: 6 is not a band (1..5)");
    n.amount_band = 5;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.amount_band = 77;   /* not looked at */
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
}

static void
test_notice_aid_reason (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__EMERGENCY_AID);
    n.aid_reason = NULL;
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "aid_reason: missing");
    n.aid_reason = (char *) "";
    EXPECT (xc_request_check_notice (&n, NOW, WHY), "aid_reason: missing");

    char text[65];
    memset (text, 'a', 64);
    text[64] = '\0';
    n.aid_reason = text;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    char longer[66];
    memset (longer, 'a', 65);
    longer[65] = '\0';
    n.aid_reason = longer;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "aid_reason: 65 bytes, longer than 64");

    /* 300 KiB: refused by size, naming the field. */
    size_t big = 300 * 1024;
    char *huge = malloc (big + 1);
    assert_non_null (huge);
    memset (huge, 'x', big);
    huge[big] = '\0';
    n.aid_reason = huge;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "aid_reason: 307200 bytes, longer than 64");
    /* Not looked at for another kind. */
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.aid_reason = huge;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    free (huge);
}

static void
test_notice_wait (void **state)
{
    Xiecha__NoticeRequest n;
    s_people_t p;
    s_notice (&n, &p, XIECHA__NOTICE_KIND__ENROLLMENT);
    n.wait_ms = XC_NOTICE_WAIT_MAX;
    EXPECT_OK (xc_request_check_notice (&n, NOW, WHY));
    n.wait_ms = XC_NOTICE_WAIT_MAX + 1;
    EXPECT (xc_request_check_notice (&n, NOW, WHY),
            "wait_ms: 3600001 is not 0..3600000 ms");
}

/* --------------------------------------------------------------------------
   Check-in, due listing, roster rows
   -------------------------------------------------------------------------- */

static void
test_checkin (void **state)
{
    s_people_t p;
    s_people (&p);
    Xiecha__CheckinRequest c = XIECHA__CHECKIN_REQUEST__INIT;
    c.applicant = &p.person[0];
    EXPECT_OK (xc_request_check_checkin (&c, NOW, WHY));   /* date 0: today */
    c.date = 20251231;
    c.absent = 1;
    EXPECT_OK (xc_request_check_checkin (&c, NOW, WHY));
    c.date = 20251232;
    EXPECT (xc_request_check_checkin (&c, NOW, WHY),
            "date: 20251232 is not a calendar date (YYYYMMDD)");
    c.date = 20260110;
    EXPECT (xc_request_check_checkin (&c, NOW, WHY),
            "date: 2026-01-10 is in the future (tolerance 1 day)");
    c.date = 0;
    p.person[0].name = (char *) "";
    EXPECT (xc_request_check_checkin (&c, NOW, WHY), "applicant.name: missing");
    p.person[0].name = (char *) "x";
    p.person[0].id_number = (char *) "123";
    EXPECT (xc_request_check_checkin (&c, NOW, WHY),
            "applicant.id_number: must be 18");
    c.applicant = NULL;
    EXPECT (xc_request_check_checkin (&c, NOW, WHY), "applicant: missing");
    EXPECT (xc_request_check_checkin (NULL, NOW, WHY), "checkin: missing");
}

static void
test_due (void **state)
{
    Xiecha__DueRequest d = XIECHA__DUE_REQUEST__INIT;
    EXPECT_OK (xc_request_check_due (&d, WHY));
    d.as_of = 20280229;
    EXPECT_OK (xc_request_check_due (&d, WHY));   /* the future is fine */
    d.as_of = 20270229;
    EXPECT (xc_request_check_due (&d, WHY),
            "as_of: 20270229 is not a calendar date (YYYYMMDD)");
    EXPECT (xc_request_check_due (NULL, WHY), "due: missing");
}

static void
test_row (void **state)
{
    s_people_t p;
    s_people (&p);
    Xiecha__RosterRow r = XIECHA__ROSTER_ROW__INIT;
    r.id_number = p.ids[0];
    r.program = XIECHA__PROGRAM__DIBAO;
    r.since = 20200101;
    r.line = 7;
    EXPECT_OK (xc_request_check_row (&r, WHY));
    r.until = 20200101;
    EXPECT_OK (xc_request_check_row (&r, WHY));
    r.until = 20191231;
    EXPECT (xc_request_check_row (&r, WHY),
            "until: 2019-12-31 is before since 2020-01-01");
    r.until = 20200230;
    EXPECT (xc_request_check_row (&r, WHY),
            "until: 20200230 is not a calendar date");
    r.until = 0;
    r.since = 0;
    EXPECT (xc_request_check_row (&r, WHY), "since: missing");
    r.since = 18000101;
    EXPECT (xc_request_check_row (&r, WHY), "since: 18000101 is before 1900");
    r.since = 20200101;
    r.program = 0;
    EXPECT (xc_request_check_row (&r, WHY), "program: unknown program 0");
    r.program = XIECHA__PROGRAM__TEMP;
    r.id_number = (char *) "34100219800101001";
    EXPECT (xc_request_check_row (&r, WHY), "id_number: must be 18");
    EXPECT (xc_request_check_row (NULL, WHY), "row: missing");
}

/* --------------------------------------------------------------------------
   The client library checks before it sends
   -------------------------------------------------------------------------- */

static void
test_client_refuses_before_sending (void **state)
{
    /* No node listens here: a request that got as far as sending would
       time out, not be refused. */
    char why[512];
    xc_client_t *c = xc_client_new ("ipc:///nonexistent/xiecha-test.sock",
                                    200, why, sizeof why);
    assert_non_null (c);
    char id[20], other[20];
    s_make_id ("34100219800101000", id);
    s_make_id ("34100219800101001", other);
    size_t big = 300 * 1024;
    char *huge = malloc (big + 1);
    assert_non_null (huge);
    memset (huge, 'r', big);
    huge[big] = '\0';
    xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__EMERGENCY_AID,
                     .home_county = HOME,
                     .applicant = {.id_number = id, .name = "张三"},
                     .start_date = 20251220,
                     .amount_band = 2,
                     .aid_reason = huge};
    xc_notice_result_t result;
    assert_int_equal (xc_client_notice (c, &n, &result, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "aid_reason"));
    free (huge);

    xc_person_t twice = {.id_number = id, .name = "李四"};
    int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = HOME,
                    .applicant = {.id_number = id, .name = "张三"},
                    .members = &twice,
                    .member_count = 1,
                    .programs = programs,
                    .program_count = 1};
    xc_answer_t a;
    assert_int_equal (xc_client_query (c, &q, &a, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why,
                         "members[0].id_number: same person as the applicant");
    xc_person_t many[70];
    for (int i = 0; i < 70; i++)
        many[i] = (xc_person_t) {.id_number = other, .name = "x"};
    q.members = many;
    q.member_count = 70;
    /* more than a household passes the count (a batch: wire.h)... */
    assert_int_equal (xc_client_query (c, &q, &a, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "members[1].id_number: same person as an "
                         "earlier member");
    /* ...up to the maximum this process knows */
    xc_wire_set_max_subjects (64);
    assert_int_equal (xc_client_query (c, &q, &a, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "members: at most 63 household members");
    xc_wire_set_max_subjects (XC_SUBJECTS_CEILING);

    xc_person_t who = {.id_number = id, .name = "张三"};
    uint32_t when = 20260105;
    assert_int_equal (xc_client_checkin (c, &who, &when, 0, why,
                                         sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "date: 2026-01-05 is in the future"));
    Xiecha__DueReply *due = NULL;
    assert_int_equal (xc_client_due (c, 20260230, &due, why, sizeof why),
                      XC_EINVAL);
    assert_null (due);

    xc_import_t *imp = xc_import_new (c);
    assert_non_null (imp);
    assert_int_equal (xc_import_add (imp, id, XIECHA__PROGRAM__DIBAO,
                                     20200101, 20190101, 3, why, sizeof why),
                      XC_EINVAL);
    assert_string_equal (why, "until: 2019-01-01 is before since 2020-01-01");
    assert_int_equal (xc_import_add (imp, id, XIECHA__PROGRAM__DIBAO,
                                     20200101, 0, 4, why, sizeof why),
                      0);
    assert_int_equal (xc_import_rows (imp), 1);
    xc_import_destroy (&imp);
    xc_client_destroy (&c);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_query_valid),
        cmocka_unit_test (test_query_home_county),
        cmocka_unit_test (test_query_without_registration_county),
        cmocka_unit_test (test_notice_without_registration_county),
        cmocka_unit_test (test_query_applicant),
        cmocka_unit_test (test_query_members),
        cmocka_unit_test (test_query_same_person_twice),
        cmocka_unit_test (test_query_programs),
        cmocka_unit_test (test_notice_valid),
        cmocka_unit_test (test_notice_kind),
        cmocka_unit_test (test_notice_household),
        cmocka_unit_test (test_notice_program),
        cmocka_unit_test (test_notice_dates),
        cmocka_unit_test (test_notice_reason),
        cmocka_unit_test (test_notice_amount_band),
        cmocka_unit_test (test_notice_aid_reason),
        cmocka_unit_test (test_notice_wait),
        cmocka_unit_test (test_checkin),
        cmocka_unit_test (test_due),
        cmocka_unit_test (test_row),
        cmocka_unit_test (test_client_refuses_before_sending),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
