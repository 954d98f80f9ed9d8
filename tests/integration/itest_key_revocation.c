/*  itest_key_revocation.c - revoking a key and reloading the trust list
    with SIGHUP while the nodes run.

    The rogue key is retired in the trust list and the node is sent
    SIGHUP: a query the rogue signs now is refused naming the retirement,
    one made before the instant is still answered, and an envelope saved
    before still verifies offline with the new list.  Then the list says
    the key was compromised: whoever holds it writes any time, so even a
    query claiming to be from before is refused, by the node and
    offline. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    for (size_t i = 0; i < fed->count; i++)
        xt_fed_start (fed, i);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Sends q as the rogue peer to TUNXI; returns the answer's type and
    copies an error's message into why. */
static int
s_send (const uint8_t *q, size_t qlen, char *why, size_t why_len)
{
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, q, qlen, 5000);
    assert_non_null (f);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        NULL, 0), 0);
    int type = op.msg->header->type;
    why[0] = '\0';
    if (type == XIECHA__MSG_TYPE__MSG_ERROR)
        snprintf (why, why_len, "%s", op.msg->error->message);
    xc_opened_free (&op);
    zframe_destroy (&f);
    zsock_destroy (&peer);
    return type;
}

/*  Adds revoked_at = at and revoked_reason = reason under the rogue
    key's public line. */
static void
s_revoke_rogue (uint64_t at, const char *reason)
{
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], iso[32], needle[160];
    xc_key_public (fed->rogue_key, pub);
    xc_hex (pub, sizeof pub, hex);
    xc_time_iso (at, iso);
    iso[19] = 'Z';   /* the list takes whole seconds */
    iso[20] = '\0';
    snprintf (needle, sizeof needle, "public = \"%s\"\n", hex);
    char *text = NULL;
    size_t len = 0;
    FILE *f = fopen (fed->trust, "r");
    assert_non_null (f);
    FILE *out = open_memstream (&text, &len);
    char line[512];
    while (fgets (line, sizeof line, f)) {
        fputs (line, out);
        if (strstr (line, needle))
            fprintf (out, "            revoked_at = \"%s\"\n"
                          "            revoked_reason = \"%s\"\n", iso,
                     reason);
    }
    fclose (f);
    fclose (out);
    f = fopen (fed->trust, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
    free (text);
}

static void
test_revoke_and_reload (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    char why[512];
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    /* Before: the rogue is an ordinary peer. */
    uint64_t before = xc_now_ms () - 3000;
    xt_fed_rogue_query (fed, "341002", ref, 1, before, NULL, &q, &qlen);
    assert_int_equal (s_send (q, qlen, why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);

    uint64_t revoked = xc_now_ms () / 1000 * 1000 - 1000;
    s_revoke_rogue (revoked, "retired");
    for (size_t i = 0; i < fed->count; i++)
        assert_int_equal (kill (fed->nodes[i].pid, SIGHUP), 0);
    for (int t = 0; t < 50 && xt_fed_log_count (fed, TUNXI,
                                                "trust list reloaded") == 0;
         t++)
        zclock_sleep (100);
    assert_int_equal (xt_fed_log_count (fed, TUNXI,
                                        "trust list reloaded: serial"), 1);
    if (!xt_fed_alive (fed, DINGAN)) {
        char cmd[PATH_MAX + 16];
        snprintf (cmd, sizeof cmd, "tail -5 %s >&2", fed->nodes[DINGAN].log);
        if (system (cmd) != 0)
            fail_msg ("no log");
        fail_msg ("node %s stopped on SIGHUP", fed->nodes[DINGAN].code);
    }

    /* Saved before the revocation: still verifies offline. */
    xc_trust_t *trust = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (trust);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (q, qlen, &op, why, sizeof why), 0);
    assert_int_equal (xc_envelope_verify (&op, trust, why, sizeof why), 0);
    xc_opened_free (&op);
    free (q);

    /* Made before the instant, sent now: still answered. */
    xt_fed_rogue_query (fed, "341002", ref, 1, revoked - 500, NULL, &q, &qlen);
    assert_int_equal (s_send (q, qlen, why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);
    free (q);

    /* Signed now with the revoked key: refused, offline and by the node. */
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    assert_int_equal (xc_envelope_open (q, qlen, &op, why, sizeof why), 0);
    assert_int_equal (xc_envelope_verify (&op, trust, why, sizeof why),
                      XC_EUNKNOWN);
    assert_non_null (strstr (why, "retired at"));
    xc_opened_free (&op);
    assert_int_equal (s_send (q, qlen, why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    if (!strstr (why, "retired at"))
        fail_msg ("error '%s' does not mention the revocation", why);
    free (q);
    xc_trust_destroy (&trust);
}

/*  Replaces the rogue key's reason, "retired", by "compromised". */
static void
s_compromised (void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = fopen (fed->trust, "r");
    assert_non_null (f);
    FILE *out = open_memstream (&text, &len);
    char line[512];
    while (fgets (line, sizeof line, f))
        fputs (strstr (line, "revoked_reason = \"retired\"")
                   ? "            revoked_reason = \"compromised\"\n"
                   : line, out);
    fclose (f);
    fclose (out);
    f = fopen (fed->trust, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
    free (text);
}

static void
test_compromised_refused_whatever_its_time (void **state)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    char why[512];
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    /* Backdated an hour: before the revocation instant. */
    uint64_t before = xc_now_ms () - 3600 * 1000;
    xt_fed_rogue_query (fed, "341002", ref, 1, before, NULL, &q, &qlen);
    s_compromised ();
    int reloads = xt_fed_log_count (fed, TUNXI, "trust list reloaded");
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGHUP), 0);
    for (int t = 0; t < 50 && xt_fed_log_count (fed, TUNXI,
                                                "trust list reloaded")
                                  == reloads;
         t++)
        zclock_sleep (100);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "trust list reloaded"),
                      reloads + 1);

    xc_trust_t *trust = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (trust);
    xc_opened_t op = {0};
    assert_int_equal (xc_envelope_open (q, qlen, &op, why, sizeof why), 0);
    assert_int_equal (xc_envelope_verify (&op, trust, why, sizeof why),
                      XC_EUNKNOWN);
    assert_non_null (strstr (why, "revoked as compromised"));
    xc_opened_free (&op);
    xc_trust_destroy (&trust);
    /* The node refuses it too (its clock allowance aside: the key is
       judged first, so the error names the compromise). */
    assert_int_equal (s_send (q, qlen, why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    if (!strstr (why, "revoked as compromised"))
        fail_msg ("error '%s' does not name the compromise", why);
    free (q);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_revoke_and_reload),
        cmocka_unit_test (test_compromised_refused_whatever_its_time),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
