/*  itest_reload.c - `xiecha reload` against a real node: it reads the
    trust list, terminal list and policy again and says what changed, or
    which part it refused, keeping the one in use (exit 1).

    The node runs on an unsigned trust list without a serial (0).  Given
    the same list with serial 7, a new terminal and a renamed policy, a
    reload reports serial 0 → 7, the terminal added and the policy's old
    and new names.  Given a list that does not parse and a policy with an
    unknown key, it refuses both, naming them, and `xiecha status` still
    shows serial 7.  A township terminal cannot reload, with the admin
    role or without (exit 8).  SIGHUP still reloads. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "xt_fed.h"
#include "xt_term.h"

enum { TUNXI = 0 };

static xt_fed_t *fed;
static const char *policy_path;
static char trust_good[65536];   /* the list with serial 7 */

static void
s_policy (const char *name, const char *extra)
{
    char text[512];
    snprintf (text, sizeof text, "policy\n    name = \"%s\"\n%s", name, extra);
    xt_fed_write (fed, "policy.zpl", text);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"341002"};
    fed = xt_fed_new (codes, 1, 1500);
    xt_term_enable (fed, TUNXI);
    s_policy ("first", "");
    static char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/policy.zpl", fed->root);
    policy_path = path;
    char text[PATH_MAX + 32];
    snprintf (text, sizeof text, "policy\n    file = \"%s\"\n", policy_path);
    xt_fed_config_append (fed, TUNXI, text);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

static int
s_reload (char *out, size_t out_len, bool json)
{
    const char *args[] = {"reload", json ? "--json" : NULL, NULL};
    return xt_fed_cli (fed, TUNXI, out, out_len, args);
}

static void
test_reload_reports_what_changed (void **state)
{
    char out[8192], term[PATH_MAX];
    //  Nothing new: every part unchanged.
    assert_int_equal (s_reload (out, sizeof out, false), 0);
    xt_assert_has (out, "unchanged, serial 0");
    xt_assert_has (out, "unchanged, \"first\"");

    FILE *f = fopen (fed->trust, "a");
    assert_non_null (f);
    fputs ("    serial = 7\n", f);
    assert_int_equal (fclose (f), 0);
    xt_term_add (fed, TUNXI, "dingcheng-01", "caseworker", term);
    s_policy ("second", "");
    assert_int_equal (s_reload (out, sizeof out, true), 0);
    xt_assert_has (out, "\"ok\": true");
    xt_assert_has (out, "\"serial_old\": 0");
    xt_assert_has (out, "\"serial_new\": 7");
    xt_assert_has (out, "\"dingcheng-01\"");
    xt_assert_has (out, "\"old\": \"first\"");
    xt_assert_has (out, "\"new\": \"second\"");
    assert_null (strstr (out, "\"refused\": true"));
    //  The same again, for people: all unchanged now.
    assert_int_equal (s_reload (out, sizeof out, false), 0);
    xt_assert_has (out, "unchanged, serial 7");
    //  The list with serial 7, for the next test to put back.
    f = fopen (fed->trust, "r");
    assert_non_null (f);
    trust_good[fread (trust_good, 1, sizeof trust_good - 1, f)] = '\0';
    fclose (f);
}

static void
test_reload_refuses_bad_files_and_keeps_old (void **state)
{
    char out[8192];
    xt_writef (fed->trust, "trust\n    this is not zpl = = =\n");
    s_policy ("third", "    no_such_key = 1\n");
    assert_int_equal (s_reload (out, sizeof out, false), 1);
    xt_assert_has (out, "REFUSED, keeping serial 7");
    xt_assert_has (out, "REFUSED, keeping \"second\"");
    assert_int_equal (s_reload (out, sizeof out, true), 1);
    xt_assert_has (out, "\"ok\": false");
    xt_assert_has (out, "\"refused\": true");
    xt_assert_has (out, "no_such_key");
    const char *status[] = {"status", "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, status), 0);
    xt_assert_has (out, "\"trust_serial\": 7");
    assert_true (xt_fed_alive (fed, TUNXI));
    xt_writef (fed->trust, "%s", trust_good);
    s_policy ("second", "");
    assert_int_equal (s_reload (out, sizeof out, false), 0);
}

static void
test_terminals_cannot_reload (void **state)
{
    char caseworker[PATH_MAX], admin[PATH_MAX], out[4096];
    xt_term_add (fed, TUNXI, "cw-02", "caseworker", caseworker);
    xt_term_add (fed, TUNXI, "admin-03", "admin", admin);
    //  SIGHUP takes them as a reload request would.
    xt_term_reload (fed, TUNXI);
    const char *cw[] = {"reload", "--json", "--client-config", caseworker,
                        NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, cw), 8);
    xt_assert_has (out, "XC_EROLE");
    const char *ad[] = {"reload", "--client-config", admin, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, ad), 8);
    //  The terminal still works for what its role allows: status.
    const char *st[] = {"status", "--client-config", admin, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, st), 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_reload_reports_what_changed),
        cmocka_unit_test (test_reload_refuses_bad_files_and_keeps_old),
        cmocka_unit_test (test_terminals_cannot_reload),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
