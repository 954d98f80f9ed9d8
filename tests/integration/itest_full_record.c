/*  itest_full_record.c - one person's full index record at the
    registration node harms nobody else.  Lingshui 469028 fills the
    record of a person registered in Tunxi 341002 with emergency aid (32
    entries, XC_INDEX_MAX); before issue 9 the next notice for that
    person made xc_index_add fail as a store failure and aborted the
    whole batch, again on every retry.  Now that notice is refused alone,
    with a signed final error, while other work is answered. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "store/index.h"
#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    for (size_t i = 0; i < 3; i++)
        xt_fed_start (fed, i);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

static int
s_notice (size_t node, int kind, const char *id, int program, uint32_t since,
          xc_notice_result_t *res, char *why)
{
    xc_notice_t n = {.kind = kind,
                     .home_county = "341002",
                     .applicant = {id, "Applicant"},
                     .program = program,
                     .start_date = since,
                     .amount_band = 2,
                     .aid_reason = "fire",
                     .wait_ms = 5000};
    xc_client_t *c = xt_fed_client (fed, node);
    int rc = xc_client_notice (c, &n, res, why, 512);
    xc_client_destroy (&c);
    return rc;
}

static size_t
s_pending (size_t node)
{
    xc_client_t *c = xt_fed_client (fed, node);
    Xiecha__OutboxReply *o = NULL;
    char why[256];
    assert_int_equal (xc_client_outbox (c, &o, why, sizeof why), 0);
    size_t n = 0;
    for (size_t i = 0; i < o->n_items; i++)
        n += strcmp (o->items[i]->state, "PENDING") == 0;
    xiecha__outbox_reply__free_unpacked (o, NULL);
    xc_client_destroy (&c);
    return n;
}

static void
test_full_record_refused_alone (void **state)
{
    const char *full = xt_id_next ("341002");
    xc_notice_result_t res;
    char why[512] = "";
    for (uint32_t i = 0; i < XC_INDEX_MAX; i++) {
        uint32_t since = 20250101 + 100 * (i % 12) + i / 12;
        assert_int_equal (s_notice (LINGSHUI, XIECHA__NOTICE_KIND__EMERGENCY_AID,
                                    full, XIECHA__PROGRAM__TEMP, since, &res,
                                    why), 0);
        assert_true (res.delivered);
    }
    size_t n = 0;
    //  The enrollment for that person is answered: refused, final, named.
    int rc = s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, full,
                       XIECHA__PROGRAM__DIBAO, 20260101, &res, why);
    assert_int_not_equal (rc, 0);
    xt_assert_has (why, "at most 32");
    assert_int_equal (s_pending (DINGAN), 0);

    //  Everyone else's work goes on: another person's enrollment is
    //  acknowledged and a query about a third is answered.
    const char *other = xt_id_next ("341002");
    assert_int_equal (s_notice (DINGAN, XIECHA__NOTICE_KIND__ENROLLMENT, other,
                                XIECHA__PROGRAM__DIBAO, 20260101, &res, why),
                      0);
    assert_true (res.delivered);
    assert_int_equal (xt_fed_status_of (fed, LINGSHUI, "341002", other,
                                        XIECHA__PROGRAM__DIBAO, NULL, &n),
                      XIECHA__STATUS__RECEIVING);
    assert_int_equal (xt_fed_status_of (fed, LINGSHUI, "341002",
                                        xt_id_next ("341002"),
                                        XIECHA__PROGRAM__DIBAO, NULL, &n),
                      XIECHA__STATUS__NOT_RECEIVING);
    xt_fed_audit_check (fed, TUNXI);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_full_record_refused_alone),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
