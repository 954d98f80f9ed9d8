/*  test_households.c - dynamic management: the LMDB record, and the
    decisions (enrollment recorded, check-in, absence, the due listing) on
    a real store with no network.  The calendar they rest on is tested in
    tests/unit/lib/test_date.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/audit.h"
#include "xt_local.h"
#include "decide/households.h"
#include "node/node.h"

#define CODE "469021"            /* this node: Ding'an, Hainan */
#define ID_HEAD "341002198001010015"
#define ID_MEMBER "341002198505050029"
#define ID_NEAR "341002199003150032"
#define ID_NEVER "341002197511200041"

static const char *const s_ids[] = {ID_HEAD, ID_MEMBER, ID_NEAR, ID_NEVER};

/* --------------------------------------------------------------------------
   A node with a store and a salt: all the decisions need
   -------------------------------------------------------------------------- */

typedef struct {
    char dir[64];
    xc_node_t node;
} fixture_t;

static int
s_setup (void **state)
{
    fixture_t *f = calloc (1, sizeof *f);
    assert_non_null (f);
    f->node.store = xt_store_new (f->dir, sizeof f->dir, "households", 0);
    snprintf (f->node.config.code, sizeof f->node.config.code, CODE);
    memset (f->node.salt, 0x5a, 32);
    f->node.salt_len = 32;
    *state = f;
    return 0;
}

static int
s_teardown (void **state)
{
    fixture_t *f = *state;
    xt_store_destroy (&f->node.store, f->dir);
    free (f);
    return 0;
}

static void
s_ref (fixture_t *f, const char *id, uint8_t ref[XC_REF_LEN])
{
    xc_subject_ref (f->node.salt, f->node.salt_len, id, ref);
}

/*  One write transaction running one operation. */
typedef struct {
    fixture_t *f;
    int op;                     /* 'e' enroll, 't' terminate, 'u' undo, 'c' */
    const char *home;
    uint32_t date;
    const char *ids[4];
    size_t count;
    int absent;                 /* 'c' */
    xc_outcome_t out;           /* 'c' */
    uint8_t ref[XC_REF_LEN];    /* 'c' */
} s_op_t;

static int
s_op_write (MDB_txn *txn, void *arg)
{
    s_op_t *o = arg;
    if (o->op == 'c') {
        Xiecha__Person p = XIECHA__PERSON__INIT;
        p.id_number = (char *) o->ids[0];
        p.name = "张三";
        p.name = "Name";
        Xiecha__CheckinRequest r = XIECHA__CHECKIN_REQUEST__INIT;
        r.applicant = &p;
        r.date = o->date;
        r.absent = o->absent;
        uint64_t now = (uint64_t) xc_date_days (20260601) * 86400000ULL;
        uint32_t recorded;
        return xc_households_checkin (&o->f->node, txn, &r, now, o->ref,
                                      &recorded, &o->out);
    }
    uint8_t refs[4][XC_REF_LEN];
    ProtobufCBinaryData subjects[4];
    for (size_t i = 0; i < o->count; i++) {
        s_ref (o->f, o->ids[i], refs[i]);
        subjects[i] = (ProtobufCBinaryData) {XC_REF_LEN, refs[i]};
    }
    int kind = o->op == 't' ? XIECHA__NOTICE_KIND__TERMINATION
                            : XIECHA__NOTICE_KIND__ENROLLMENT;
    return xc_households_noticed (&o->f->node, txn, kind,
                                  XIECHA__PROGRAM__DIBAO, o->home, o->date,
                                  subjects, o->count, o->op == 'u');
}

static void
s_enroll (fixture_t *f, int op, const char *home, uint32_t date,
          const char *a, const char *b)
{
    s_op_t o = {.f = f, .op = op, .home = home, .date = date,
                .ids = {a, b}, .count = b ? 2 : 1};
    assert_int_equal (xc_store_write (f->node.store, s_op_write, &o), 0);
}

static int
s_checkin (fixture_t *f, const char *id, uint32_t date, int absent)
{
    s_op_t o = {.f = f, .op = 'c', .date = date, .ids = {id},
                .absent = absent};
    assert_int_equal (xc_store_write (f->node.store, s_op_write, &o), 0);
    return o.out.code;
}

/*  The due listing as of a date; *first gets the first item's reason. */
static size_t
s_due (fixture_t *f, uint32_t as_of, char *first, uint8_t *first_ref)
{
    MDB_txn *txn = NULL;
    Xiecha__DueReply d;
    char why[256];
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_households_due (&f->node, txn, as_of, 0, &d, why,
                                         sizeof why), 0);
    mdb_txn_abort (txn);
    size_t n = d.n_items;
    if (first)
        snprintf (first, 64, "%s", n ? d.items[0]->reason : "");
    if (first_ref && n)
        memcpy (first_ref, d.items[0]->subject.data, XC_REF_LEN);
    xc_households_due_free (&d);
    return n;
}

static int
s_get (fixture_t *f, const char *id, xc_household_t *h)
{
    uint8_t ref[XC_REF_LEN];
    MDB_txn *txn = NULL;
    s_ref (f, id, ref);
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    int rc = xc_households_get (f->node.store, txn, ref, h);
    mdb_txn_abort (txn);
    return rc;
}

/* --------------------------------------------------------------------------
   The record
   -------------------------------------------------------------------------- */

typedef struct {
    xc_household_t h;
    uint8_t ref[XC_REF_LEN];
} s_rt_t;

static int
s_count_one (const uint8_t *ref, const xc_household_t *h, void *arg)
{
    (*(size_t *) arg)++;
    return 0;
}

static int
s_rt_put (MDB_txn *txn, void *arg)
{
    fixture_t *f = ((void **) arg)[0];
    s_rt_t *r = ((void **) arg)[1];
    return xc_households_put (f->node.store, txn, r->ref, &r->h);
}

static int
s_rt_del (MDB_txn *txn, void *arg)
{
    fixture_t *f = ((void **) arg)[0];
    s_rt_t *r = ((void **) arg)[1];
    return xc_households_del (f->node.store, txn, r->ref);
}

static void
test_store_roundtrip (void **state)
{
    fixture_t *f = *state;
    s_rt_t r = {.h = {.home = "341002", .program = XIECHA__PROGRAM__TEKUN,
                      .since = 20251130, .last_checkin = 20260215,
                      .absent_since = 20991231}};
    memset (r.ref, 0xab, sizeof r.ref);
    memset (r.h.head, 0xcd, sizeof r.h.head);
    void *args[2] = {f, &r};
    assert_int_equal (xc_store_write (f->node.store, s_rt_put, args), 0);

    xc_household_t back;
    MDB_txn *txn = NULL;
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_households_get (f->node.store, txn, r.ref, &back), 0);
    size_t n = 0;
    assert_int_equal (xc_households_each (f->node.store, txn, s_count_one, &n),
                      0);
    mdb_txn_abort (txn);
    assert_string_equal (back.home, "341002");
    assert_int_equal (back.program, XIECHA__PROGRAM__TEKUN);
    assert_int_equal (back.since, 20251130);
    assert_int_equal (back.last_checkin, 20260215);
    assert_int_equal (back.absent_since, 20991231);
    assert_memory_equal (back.head, r.h.head, XC_REF_LEN);
    assert_int_equal (n, 1);

    assert_int_equal (xc_store_write (f->node.store, s_rt_del, args), 0);
    assert_int_equal (xc_store_read (f->node.store, &txn), 0);
    assert_int_equal (xc_households_get (f->node.store, txn, r.ref, &back),
                      XC_ENOTFOUND);
    mdb_txn_abort (txn);
    assert_int_equal (xc_store_write (f->node.store, s_rt_del, args),
                      XC_ENOTFOUND);
}

/* --------------------------------------------------------------------------
   Decisions
   -------------------------------------------------------------------------- */

/*  A household of two from Anhui (another province), enrolled 2025-10-01:
    a member's check-in counts for both, and the listing shows it once. */
static void
test_other_province_checkin_quarterly (void **state)
{
    fixture_t *f = *state;
    char reason[64];
    uint8_t head[XC_REF_LEN], ref[XC_REF_LEN];
    s_enroll (f, 'e', "341002", 20251001, ID_HEAD, ID_MEMBER);
    assert_int_equal (s_due (f, 20251231, NULL, NULL), 0);   /* 91 days */
    assert_int_equal (s_due (f, 20260101, NULL, NULL), 0);   /* 92 days */
    assert_int_equal (s_due (f, 20260102, reason, ref), 1);  /* 93 days */
    assert_string_equal (reason, XC_DUE_OVERDUE);
    s_ref (f, ID_HEAD, head);
    assert_memory_equal (ref, head, XC_REF_LEN);

    assert_int_equal (s_checkin (f, ID_MEMBER, 20260215, 0), 0);
    xc_household_t h;
    assert_int_equal (s_get (f, ID_HEAD, &h), 0);
    assert_int_equal (h.last_checkin, 20260215);
    assert_int_equal (s_due (f, 20260518, NULL, NULL), 0);
    assert_int_equal (s_due (f, 20260519, NULL, NULL), 1);
    /* A late entry of an older visit does not move the date back. */
    assert_int_equal (s_checkin (f, ID_HEAD, 20260110, 0), 0);
    assert_int_equal (s_get (f, ID_MEMBER, &h), 0);
    assert_int_equal (h.last_checkin, 20260215);
}

/*  Absent over 3 calendar months: listed whatever the relation; a later
    check-in ends the absence. */
static void
test_absence_over_three_months (void **state)
{
    fixture_t *f = *state;
    char reason[64];
    s_enroll (f, 'e', "469028", 20200101, ID_NEAR, NULL);   /* same city */
    assert_int_equal (s_due (f, 20260301, NULL, NULL), 0);  /* no quarterly */
    assert_int_equal (s_checkin (f, ID_NEAR, 20251130, 1), 0);
    assert_int_equal (s_due (f, 20260228, NULL, NULL), 0);  /* 3 months */
    assert_int_equal (s_due (f, 20260301, reason, NULL), 1);
    assert_string_equal (reason, XC_DUE_ABSENT);
    /* A second report keeps the earliest date of leaving. */
    assert_int_equal (s_checkin (f, ID_NEAR, 20260115, 1), 0);
    xc_household_t h;
    assert_int_equal (s_get (f, ID_NEAR, &h), 0);
    assert_int_equal (h.absent_since, 20251130);
    /* An older visit entered late does not end it; a later one does. */
    assert_int_equal (s_checkin (f, ID_NEAR, 20251101, 0), 0);
    assert_int_equal (s_due (f, 20260301, NULL, NULL), 1);
    assert_int_equal (s_checkin (f, ID_NEAR, 20260310, 0), 0);
    assert_int_equal (s_get (f, ID_NEAR, &h), 0);
    assert_int_equal (h.absent_since, 0);
    assert_int_equal (s_due (f, 20260601, NULL, NULL), 0);
}

/*  Absences come first, then missed check-ins, oldest first. */
static void
test_due_order (void **state)
{
    fixture_t *f = *state;
    char reason[64];
    s_enroll (f, 'e', "341002", 20250101, ID_HEAD, NULL);
    s_enroll (f, 'e', "469028", 20250101, ID_NEAR, NULL);
    assert_int_equal (s_checkin (f, ID_NEAR, 20250201, 1), 0);
    assert_int_equal (s_due (f, 20260101, reason, NULL), 2);
    assert_string_equal (reason, XC_DUE_ABSENT);
}

static void
test_checkin_refusals (void **state)
{
    fixture_t *f = *state;
    s_enroll (f, 'e', "341002", 20251001, ID_HEAD, NULL);
    assert_int_equal (s_checkin (f, ID_NEVER, 20260101, 0), XC_ENOTFOUND);
    assert_int_equal (s_checkin (f, ID_HEAD, 20250930, 0), XC_EINVAL);
    assert_int_equal (s_checkin (f, ID_HEAD, 20260701, 0), XC_EINVAL);
    assert_int_equal (s_checkin (f, ID_HEAD, 20260230, 0), XC_EINVAL);
    assert_int_equal (s_checkin (f, "341002198001010016", 20260101, 0),
                      XC_EINVAL);   /* bad check character */
    assert_int_equal (s_checkin (f, ID_HEAD, 0, 0), 0);   /* today */
    xc_household_t h;
    assert_int_equal (s_get (f, ID_HEAD, &h), 0);
    assert_int_equal (h.last_checkin, 20260601);
}

/*  Termination ends the record (that program's only); undo of a refused
    enrollment removes it; members outlive a terminated head. */
static void
test_termination_and_undo (void **state)
{
    fixture_t *f = *state;
    xc_household_t h;
    uint8_t member[XC_REF_LEN], ref[XC_REF_LEN];
    s_enroll (f, 'e', "341002", 20250101, ID_HEAD, ID_MEMBER);
    s_enroll (f, 't', "341002", 20250601, ID_HEAD, NULL);
    assert_int_equal (s_get (f, ID_HEAD, &h), XC_ENOTFOUND);
    assert_int_equal (s_checkin (f, ID_HEAD, 20250701, 0), XC_ENOTFOUND);
    s_ref (f, ID_MEMBER, member);
    assert_int_equal (s_due (f, 20260101, NULL, ref), 1);
    assert_memory_equal (ref, member, XC_REF_LEN);
    assert_int_equal (s_checkin (f, ID_MEMBER, 20251220, 0), 0);
    assert_int_equal (s_due (f, 20260101, NULL, NULL), 0);

    s_enroll (f, 'e', "341002", 20250301, ID_NEVER, NULL);
    s_enroll (f, 'u', "341002", 20250301, ID_NEVER, NULL);
    assert_int_equal (s_get (f, ID_NEVER, &h), XC_ENOTFOUND);
}

typedef struct {
    fixture_t *f;
    const char *id;
    int program;
    uint8_t refs[XC_MAX_HOUSEHOLD][XC_REF_LEN];
    size_t count;
    int rc;
} s_members_t;

static int
s_members_read (MDB_txn *txn, void *arg)
{
    s_members_t *m = arg;
    m->rc = xc_households_members (m->f->node.store, txn, m->refs[0],
                                   m->program, m->refs, &m->count,
                                   XC_MAX_HOUSEHOLD);
    return 0;
}

/*  The household of id in program, as a termination collects it: id
    first, then the others. */
static size_t
s_members (fixture_t *f, const char *id, int program, s_members_t *m)
{
    memset (m, 0, sizeof *m);
    m->f = f;
    m->program = program;
    s_ref (f, id, m->refs[0]);
    m->count = 1;
    assert_int_equal (xc_store_write (f->node.store, s_members_read, m), 0);
    assert_int_equal (m->rc, 0);
    return m->count;
}

/*  A termination of any member reaches the whole household, in the
    program it was enrolled in only. */
static void
test_members_of_a_household (void **state)
{
    fixture_t *f = *state;
    s_members_t m;
    uint8_t head[XC_REF_LEN];
    s_enroll (f, 'e', "341002", 20250101, ID_HEAD, ID_MEMBER);
    s_enroll (f, 'e', "341002", 20250101, ID_NEAR, NULL);
    assert_int_equal (s_members (f, ID_MEMBER, XIECHA__PROGRAM__DIBAO, &m), 2);
    s_ref (f, ID_HEAD, head);
    assert_memory_equal (m.refs[1], head, XC_REF_LEN);
    assert_int_equal (s_members (f, ID_HEAD, XIECHA__PROGRAM__DIBAO, &m), 2);
    assert_int_equal (s_members (f, ID_HEAD, XIECHA__PROGRAM__TEKUN, &m), 1);
    assert_int_equal (s_members (f, ID_NEAR, XIECHA__PROGRAM__DIBAO, &m), 1);
    assert_int_equal (s_members (f, ID_NEVER, XIECHA__PROGRAM__DIBAO, &m), 1);
}

/*  The head ended alone: the two members left are one household still,
    headed by one of them, due once and checked in together. */
static void
test_head_ended_alone_hands_on (void **state)
{
    fixture_t *f = *state;
    s_op_t o = {.f = f, .op = 'e', .home = "341002", .date = 20250101,
                .ids = {ID_HEAD, ID_MEMBER, ID_NEAR}, .count = 3};
    assert_int_equal (xc_store_write (f->node.store, s_op_write, &o), 0);
    s_enroll (f, 't', "341002", 20250601, ID_HEAD, NULL);
    xc_household_t a, b;
    assert_int_equal (s_get (f, ID_MEMBER, &a), 0);
    assert_int_equal (s_get (f, ID_NEAR, &b), 0);
    assert_memory_equal (a.head, b.head, XC_REF_LEN);
    uint8_t member[XC_REF_LEN], near[XC_REF_LEN];
    s_ref (f, ID_MEMBER, member);
    s_ref (f, ID_NEAR, near);
    assert_true (memcmp (a.head, member, XC_REF_LEN) == 0
                 || memcmp (a.head, near, XC_REF_LEN) == 0);
    assert_int_equal (s_due (f, 20260101, NULL, NULL), 1);
    assert_int_equal (s_checkin (f, ID_NEAR, 20251220, 0), 0);
    assert_int_equal (s_due (f, 20260101, NULL, NULL), 0);
    s_members_t m;
    assert_int_equal (s_members (f, ID_MEMBER, XIECHA__PROGRAM__DIBAO, &m), 2);
}

/*  Nothing that could rebuild an ID is written: not in the records, not
    in the audit notes of accepted or refused check-ins. */
static void
test_no_id_digits_on_disk (void **state)
{
    fixture_t *f = *state;
    s_enroll (f, 'e', "341002", 20251001, ID_HEAD, ID_MEMBER);
    assert_int_equal (s_checkin (f, ID_HEAD, 20260101, 0), 0);
    assert_int_equal (s_checkin (f, ID_NEVER, 20260101, 0), XC_ENOTFOUND);
    assert_int_equal (s_checkin (f, "341002198002300012", 20260101, 0),
                      XC_EINVAL);   /* born on 30 February: quoted in why */
    xc_store_destroy (&f->node.store);
    char path[128];
    snprintf (path, sizeof path, "%s/data.mdb", f->dir);
    size_t len = 0;
    FILE *file = fopen (path, "rb");
    assert_non_null (file);
    static char data[8 << 20];
    len = fread (data, 1, sizeof data, file);
    fclose (file);
    for (size_t i = 0; i < sizeof s_ids / sizeof s_ids[0]; i++)
        assert_null (memmem (data, len, s_ids[i] + 6, 8));  /* birth date */
    assert_null (memmem (data, len, "19800230", 8));
    char why[256];
    f->node.store = xc_store_new (f->dir, 0, why, sizeof why);
    assert_non_null (f->node.store);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown (test_store_roundtrip, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_other_province_checkin_quarterly,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_absence_over_three_months,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_due_order, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_checkin_refusals, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_termination_and_undo, s_setup,
                                         s_teardown),
        cmocka_unit_test_setup_teardown (test_members_of_a_household,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_head_ended_alone_hands_on,
                                         s_setup, s_teardown),
        cmocka_unit_test_setup_teardown (test_no_id_digits_on_disk, s_setup,
                                         s_teardown),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
