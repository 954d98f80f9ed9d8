/*  test_terminal.c - the node's terminal list (xiecha/terminal.h): what
    loads, every rule a list can break named, lookups, roles and the
    validity window. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "xiecha/xiecha.h"

#define K1 "3K36)1#la{f{kP-)lL<k+R9waE[D2G^hA++9U-gb"
#define K2 "FIlo6X+^2J<G@9um^0tHtx{Y$--1q0.{tr=K3@H$"

/*  A list of one terminal whose field line is replaced by line (or
    added when no such field is there). */
static const char *
s_one (const char *field, const char *line)
{
    static char text[2048];
    const char *fields[][2] = {
        {"id", "    id = \"dc-01\"\n"},
        {"township", "    township = \"469021100\"\n"},
        {"township_name", "    township_name = \"定城镇\"\n"},
        {"operator", "    operator = \"Wang Li\"\n"},
        {"curve", "    curve = \"" K1 "\"\n"},
        {"roles", "    roles = \"caseworker,auditor\"\n"}};
    size_t at = (size_t) snprintf (text, sizeof text, "terminal\n");
    bool used = false;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        bool mine = field && strcmp (fields[i][0], field) == 0;
        used |= mine;
        at += (size_t) snprintf (text + at, sizeof text - at, "%s",
                                 mine ? line : fields[i][1]);
    }
    if (field && !used)
        snprintf (text + at, sizeof text - at, "%s", line);
    return text;
}

static void
s_refused (const char *text, const char *needle)
{
    char why[512] = "";
    xc_terminals_t *l = xc_terminals_load_text (text, "t.zpl", "469021", why,
                                                sizeof why);
    if (l)
        fail_msg ("loaded, expected a refusal naming '%s'", needle);
    if (!strstr (why, needle))
        fail_msg ("'%s' does not name '%s'", why, needle);
}

static void
test_a_terminal_loads (void **state)
{
    char why[512] = "";
    xc_terminals_t *l = xc_terminals_load_text (s_one (NULL, NULL), "t.zpl",
                                                "469021", why, sizeof why);
    if (!l)
        fail_msg ("%s", why);
    assert_int_equal (xc_terminals_size (l), 1);
    const xc_terminal_t *t = xc_terminals_find (l, "dc-01");
    assert_non_null (t);
    assert_ptr_equal (xc_terminals_by_curve (l, K1), t);
    assert_null (xc_terminals_by_curve (l, K2));
    assert_null (xc_terminals_find (l, "dc-02"));
    assert_string_equal (t->township, "469021100");
    assert_string_equal (t->operator_name, "Wang Li");
    assert_int_equal (t->roles, XC_ROLE_CASEWORKER | XC_ROLE_AUDITOR);
    assert_false (t->revoked);
    assert_int_equal (xc_terminal_admitted (t, 1, why, sizeof why), 0);
    xc_terminals_destroy (&l);
    xc_terminals_destroy (&l);
}

static void
test_every_rule_is_named (void **state)
{
    s_refused (s_one ("township", "    township = \"469022100\"\n"),
               "469022100 is not a township of this node's county 469021");
    s_refused (s_one ("township", "    township = \"46902110\"\n"),
               "township: a 9-digit township code");
    s_refused (s_one ("id", "    id = \"DC 01\"\n"), "terminal #1: id");
    s_refused (s_one ("curve", "    curve = \"short\"\n"), "dc-01: curve");
    s_refused (s_one ("roles", "    roles = \"caseworker,boss\"\n"),
               "dc-01: roles");
    s_refused (s_one ("operator", ""), "dc-01: operator: missing");
    s_refused (s_one ("colour", "    colour = \"red\"\n"),
               "colour: unknown field");
    s_refused (s_one ("revoked", "    revoked = yes\n"), "revoked: 0 or 1");
    s_refused (s_one ("not_after", "    not_before = \"2027-01-01T00:00:00Z\"\n"
                      "    not_after = \"2026-01-01T00:00:00Z\"\n"),
               "not_after: must be later than not_before");
    s_refused ("node\n    code = 1\n", "only 'terminal' sections");
    //  s_one's text is one buffer: copy the first before the second.
    char one[2048], two[4096];
    snprintf (one, sizeof one, "%s", s_one (NULL, NULL));
    snprintf (two, sizeof two, "%s%s", one,
              s_one ("id", "    id = \"dc-02\"\n"));
    s_refused (two, "terminals dc-01 and dc-02 have the same CURVE key");
    snprintf (two, sizeof two, "%s%s", one,
              s_one ("curve", "    curve = \"" K2 "\"\n"));
    s_refused (two, "terminal dc-01 is listed twice");
}

static void
test_window_and_revocation (void **state)
{
    char why[512];
    uint64_t from, until;
    assert_int_equal (xc_time_parse ("2026-01-01T00:00:00Z", &from), 0);
    assert_int_equal (xc_time_parse ("2027-01-01T00:00:00Z", &until), 0);
    xc_terminal_t t = {.id = "dc-01", .not_before = from,
                       .not_after = until};
    assert_int_equal (xc_terminal_admitted (&t, from - 1, why, sizeof why),
                      XC_EROLE);
    assert_non_null (strstr (why, "not valid before 2026-01-01"));
    assert_int_equal (xc_terminal_admitted (&t, from, why, sizeof why), 0);
    assert_int_equal (xc_terminal_admitted (&t, until, why, sizeof why),
                      XC_EROLE);
    assert_non_null (strstr (why, "expired at 2027-01-01"));
    t.revoked = true;
    assert_int_equal (xc_terminal_admitted (&t, from, why, sizeof why),
                      XC_EROLE);
    assert_non_null (strstr (why, "dc-01 is revoked"));
}

static void
test_roles (void **state)
{
    unsigned roles;
    char why[256], text[64];
    assert_int_equal (xc_roles_parse ("roster,admin", &roles, why,
                                      sizeof why), 0);
    assert_int_equal (roles, XC_ROLE_ROSTER | XC_ROLE_ADMIN);
    xc_roles_text (roles, text, sizeof text);
    assert_string_equal (text, "roster,admin");
    assert_int_equal (xc_roles_parse ("", &roles, why, sizeof why),
                      XC_EINVAL);
    assert_int_equal (xc_roles_parse ("rosterx", &roles, why, sizeof why),
                      XC_EINVAL);
    assert_non_null (strstr (why, "role 'rosterx'"));
    assert_string_equal (xc_role_name (XC_ROLE_AUDITOR), "auditor");
    assert_true (xc_terminal_id_valid ("a.b_c-9"));
    assert_false (xc_terminal_id_valid (""));
    assert_false (xc_terminal_id_valid ("0123456789012345678901234567890123"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_a_terminal_loads),
        cmocka_unit_test (test_every_rule_is_named),
        cmocka_unit_test (test_window_and_revocation),
        cmocka_unit_test (test_roles),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
