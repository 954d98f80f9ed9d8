/*  itest_key_rotation.c - rotating a node's own signing key while notices
    wait for it.

    Tunxi 341002 (home node) is stopped; Ding'an queues notices for it in
    its outbox.  A new Ed25519 key is made for Tunxi, added to the trust
    list with `xiecha trust add-key`, the old key revoked at now with
    `xiecha trust revoke-key`, Tunxi's config pointed at the new key and
    the other nodes reloaded with SIGHUP.  When Tunxi starts again, the
    queued notices are delivered and acked under the new key, a
    certificate saved before the rotation still verifies offline with the
    new list, and a new answer carries the new key id. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, LINGSHUI = 1, TUNXI = 2 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "469028", "341002"};
    fed = xt_fed_new (codes, 3, 1500);
    for (size_t i = 0; i < fed->count; i++) {
        xt_fed_config_append (fed, i, "    retry_max_ms = 400\n");
        xt_fed_start (fed, i);
    }
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Replaces the keys/signing line of node i's config (tmp + rename). */
static void
s_set_signing (size_t i, const char *file)
{
    const char *cfg = fed->nodes[i].config;
    char tmp[PATH_MAX + 8], line[1024];
    snprintf (tmp, sizeof tmp, "%s.new", cfg);
    FILE *in = fopen (cfg, "r");
    FILE *out = fopen (tmp, "w");
    assert_non_null (in);
    assert_non_null (out);
    int done = 0;
    while (fgets (line, sizeof line, in)) {
        if (strstr (line, "signing =")) {
            fprintf (out, "    signing = \"%s\"\n", file);
            done++;
        }
        else
            fputs (line, out);
    }
    fclose (in);
    assert_int_equal (fclose (out), 0);
    assert_int_equal (done, 1);
    assert_int_equal (rename (tmp, cfg), 0);
}

static void
s_wait_reloaded (size_t i)
{
    for (int t = 0; t < 100 && xt_fed_log_count (fed, i,
                                                 "trust list reloaded") == 0;
         t++)
        zclock_sleep (100);
    if (xt_fed_log_count (fed, i, "trust list reloaded: serial") != 1)
        fail_msg ("node %s did not reload the trust list; see %s",
                  fed->nodes[i].code, fed->nodes[i].log);
    assert_true (xt_fed_alive (fed, i));
}

static void
test_home_key_rotation_with_queued_notices (void **state)
{
    char out[8192], why[512], path[PATH_MAX], keyfile[PATH_MAX];
    char old_id[XC_KEY_ID_LEN + 1], new_id[XC_KEY_ID_LEN + 1];
    snprintf (keyfile, sizeof keyfile, "%s/sign.key", fed->nodes[TUNXI].dir);
    xt_key_id_of (keyfile, old_id);

    /* A certificate from the home node, saved before the rotation. */
    snprintf (path, sizeof path, "%s/before.pem", fed->root);
    const char *query[] = {"query", "--id", xt_id_next ("341002"),
                           "--name", "Li Lei", "--home", "341002",
                           "--program", "dibao",
                           "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, query), 0);

    /* Home node down: notices wait in Ding'an's outbox. */
    xt_fed_stop (fed, TUNXI, 0);
    /* The revocation instant is kept to the second: let one pass so the
       certificate, and the final checkpoint Tunxi signed as it stopped
       (its start checks that checkpoint's key against the new list), are
       strictly older than it. */
    zclock_sleep (1100);
    for (int k = 0; k < 3; k++) {
        xc_notice_t n = {.kind = XIECHA__NOTICE_KIND__ENROLLMENT,
                         .home_county = "341002",
                         .applicant = {xt_id_next ("341002"), "Applicant"},
                         .program = XIECHA__PROGRAM__DIBAO,
                         .start_date = 20260101,
                         .wait_ms = 0};
        xc_notice_result_t res;
        xc_client_t *c = xt_fed_client (fed, DINGAN);
        if (xc_client_notice (c, &n, &res, why, sizeof why) != 0)
            fail_msg ("notice: %s", why);
        xc_client_destroy (&c);
        assert_false (res.delivered);
    }
    assert_int_equal (xt_fed_outbox_pending (fed, DINGAN), 3);

    /* The new key, in the node's directory. */
    xc_key_t *key = xc_key_generate ();
    assert_non_null (key);
    snprintf (keyfile, sizeof keyfile, "%s/sign2.key", fed->nodes[TUNXI].dir);
    assert_int_equal (xc_key_save (key, keyfile), 0);
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], iso[32];
    xc_key_public (key, pub);
    xc_key_id (pub, new_id);
    xc_hex (pub, sizeof pub, hex);
    xc_key_destroy (&key);
    assert_string_not_equal (old_id, new_id);

    /* Into the trust list through the CLI; the old key retired once the
       last certificate it signed has ended (a day, the default
       limits/certificate_valid_s, and an hour to spare): a retired key
       keeps only what ended before its retirement. */
    const char *add[] = {"trust", "add-key", fed->trust, "--node", "341002",
                         "--public", hex, "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, add), 0);
    assert_non_null (strstr (out, new_id));
    xc_time_iso (xc_now_ms () + 25 * 3600 * 1000, iso);
    const char *revoke[] = {"trust", "revoke-key", fed->trust, "--key",
                            old_id, "--at", iso, "--reason", "retired",
                            NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, revoke), 0);
    xc_trust_t *trust = xc_trust_load (fed->trust, why, sizeof why);
    if (!trust)
        fail_msg ("%s", why);
    assert_non_null (xc_trust_key (trust, new_id));
    assert_true (xc_trust_key (trust, old_id)->revoked_at > 0);
    xc_trust_destroy (&trust);

    /* Home node's config on the new key; the others reload the list. */
    s_set_signing (TUNXI, "sign2.key");
    assert_int_equal (kill (fed->nodes[DINGAN].pid, SIGHUP), 0);
    assert_int_equal (kill (fed->nodes[LINGSHUI].pid, SIGHUP), 0);
    s_wait_reloaded (DINGAN);
    s_wait_reloaded (LINGSHUI);

    /* Back up under the new key: the outbox drains. */
    xt_fed_start (fed, TUNXI);
    for (int t = 0; t < 300 && xt_fed_outbox_pending (fed, DINGAN); t++)
        usleep (100 * 1000);
    assert_int_equal (xt_fed_outbox_pending (fed, DINGAN), 0);

    /* The certificate from before still verifies with the new list. */
    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);

    /* A new answer is signed with the new key. */
    const int programs[] = {XIECHA__PROGRAM__DIBAO};
    xc_query_t q = {.home_county = "341002",
                    .applicant = {xt_id_next ("341002"), "Han Mei"},
                    .programs = programs,
                    .program_count = 1};
    xc_client_t *c = xt_fed_client (fed, LINGSHUI);
    xc_answer_t a = {0};
    if (xc_client_query (c, &q, &a, why, sizeof why) != 0)
        fail_msg ("query after rotation: %s", why);
    xc_client_destroy (&c);
    assert_string_equal (a.opened.env->key_id, new_id);
    xc_answer_free (&a);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_home_key_rotation_with_queued_notices),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
