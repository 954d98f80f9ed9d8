/*  itest_prove.c - `xiecha audit prove` against real daemons: a
    certificate the home node sent is found in its log and proven under a
    signed checkpoint (limits/checkpoint_interval_s = 1); the same
    certificate asked of the querying node, whose log only received it,
    is not found (exit 1).  A node with the default five-minute interval
    has no checkpoint over a fresh certificate yet: refused, naming the
    entry; after a clean restart the shutdown checkpoint covers it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xiecha/armor.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1, WANNING = 2 };

static xt_fed_t *fed;
static char cert_path[PATH_MAX];

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002", "469028"};
    fed = xt_fed_new (codes, 3, 1500);
    xt_fed_config_append (fed, DINGAN, "    checkpoint_interval_s = 1\n");
    xt_fed_config_append (fed, TUNXI, "    checkpoint_interval_s = 1\n");
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    xt_fed_start (fed, WANNING);
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id ("34100219800101123"), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    char *armored = NULL;
    if (xc_armor_encode (XC_ARMOR_CERTIFICATE, a.certificate,
                         a.certificate_len, &armored))
        fail_msg ("armor failed");
    snprintf (cert_path, sizeof cert_path, "%s",
              xt_fed_write (fed, "cert.pem", armored));
    free (armored);
    xc_answer_free (&a);
    //  Long enough for a periodic checkpoint on TUNXI after the query.
    usleep (2500 * 1000);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

static void
test_prove_home_node (void **state)
{
    char out[8192];
    const char *args[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, args), 0);
    xt_assert_has (out, "certificate is entry ");
    xt_assert_has (out, " of node 341002's log, included under checkpoint "
                       "of size ");
    const char *json[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, json), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"node\": \"341002\"");
}

static void
test_prove_other_node (void **state)
{
    //  DINGAN only received the certificate: no sent entry holds it.
    char out[8192];
    const char *args[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, args), 1);
    //  The reason goes to stderr; with --json it is on stdout.
    const char *json[] = {"audit", "prove", "--cert", cert_path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, json), 1);
    xt_assert_has (out, "certificate not in this node's log");
    //  Usage errors: missing --trust, unreadable certificate.
    const char *notrust[] = {"audit", "prove", "--cert", cert_path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, notrust), 2);
    const char *nofile[] = {"audit", "prove", "--cert", "/nonexistent",
                            "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed), NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, nofile), 2);
}

/*  Queries WANNING from DINGAN and saves the certificate as name. */
static const char *
s_cert_from (size_t home, const char *id17, const char *name)
{
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = fed->nodes[home].code,
                    .applicant = {xt_id (id17), "Applicant"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, DINGAN);
    xc_answer_t a = {0};
    char why[512] = "";
    int rc = xc_client_query (c, &q, &a, why, sizeof why);
    xc_client_destroy (&c);
    if (rc)
        fail_msg ("query: %s", why);
    char *armored = NULL;
    assert_int_equal (xc_armor_encode (XC_ARMOR_CERTIFICATE, a.certificate,
                                       a.certificate_len, &armored), 0);
    const char *path = xt_fed_write (fed, name, armored);
    free (armored);
    xc_answer_free (&a);
    return path;
}

static void
test_prove_before_checkpoint (void **state)
{
    char path[PATH_MAX], out[8192];
    snprintf (path, sizeof path, "%s",
              s_cert_from (WANNING, "46902819900101123", "wanning.pem"));
    const char *json[] = {"audit", "prove", "--cert", path, "--trust",
                          fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, WANNING, out, sizeof out, json), 1);
    xt_assert_has (out, "no checkpoint covers entry ");
    xt_assert_has (out, " yet");
    //  A clean stop signs a final checkpoint over everything.
    xt_fed_stop (fed, WANNING, 0);
    xt_fed_start (fed, WANNING);
    assert_int_equal (xt_fed_cli (fed, WANNING, out, sizeof out, json), 0);
    xt_assert_has (out, "\"valid\": true");
    xt_assert_has (out, "\"node\": \"469028\"");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_prove_home_node),
        cmocka_unit_test (test_prove_other_node),
        cmocka_unit_test (test_prove_before_checkpoint),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
