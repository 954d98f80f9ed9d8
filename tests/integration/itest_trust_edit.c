/*  itest_trust_edit.c - xiecha trust add-key / revoke-key edit the list's
    text: comments and layout stay, the change loads, and a change that
    would not load leaves the file byte for byte as it was.  No daemon
    runs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"

static xt_fed_t *fed;

static char *
s_slurp (const char *path)
{
    FILE *f = fopen (path, "r");
    assert_non_null (f);
    char *text = calloc (1, 65536);
    assert_non_null (text);
    size_t got = fread (text, 1, 65535, f);
    text[got] = '\0';
    fclose (f);
    return text;
}

static void
test_add_and_revoke_keep_layout (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    /* A comment and a blank line that must survive. */
    FILE *f = fopen (fed->trust, "a");
    assert_non_null (f);
    fputs ("\n# keep this comment\n", f);
    fclose (f);

    xc_key_t *key = xc_key_generate ();
    uint8_t pub[XC_PUBKEY_LEN];
    char hex[2 * XC_PUBKEY_LEN + 1], id[XC_KEY_ID_LEN + 1], out[8192];
    xc_key_public (key, pub);
    xc_hex (pub, sizeof pub, hex);
    xc_key_id (pub, id);
    xc_key_destroy (&key);

    char *before = s_slurp (fed->trust);
    const char *add[] = {"trust", "add-key", fed->trust, "--node", "469021",
                         "--public", hex, "--not-before", "2026-01-01",
                         "--json", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, add), 0);
    assert_non_null (strstr (out, "\"resign_needed\": false"));
    char *after = s_slurp (fed->trust);
    assert_non_null (strstr (after, "# keep this comment"));
    /* The new block sits inside 469021's section, before 341002's. */
    char *blk = strstr (after, hex);
    assert_non_null (blk);
    assert_true (blk < strstr (after, "code = \"341002\""));
    assert_non_null (strstr (after,
                             "            not_before = \"2026-01-01T00:00:00Z\""));

    /* The same key again: would not load, file untouched. */
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, add), 1);
    char *again = s_slurp (fed->trust);
    assert_string_equal (again, after);
    free (again);

    /* Revoke, then move the instant: one revoked_at line, replaced. */
    const char *rev1[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-03-01T12:00:00Z", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, rev1), 0);
    const char *rev2[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-04-01T12:00:00.750Z", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, rev2), 0);
    char *revoked = s_slurp (fed->trust);
    assert_null (strstr (revoked, "2026-03-01T12:00:00Z"));
    char *line = strstr (revoked, "revoked_at = \"2026-04-01T12:00:00Z\"");
    assert_non_null (line);
    assert_null (strstr (line + 1, "revoked_at"));
    char why[256];
    xc_trust_t *t = xc_trust_load (fed->trust, why, sizeof why);
    assert_non_null (t);
    assert_true (xc_trust_key (t, id)->revoked_at > 0);
    xc_trust_destroy (&t);

    /* Revoked before not_before: refused, untouched. */
    const char *early[] = {"trust", "revoke-key", fed->trust, "--key", id,
                           "--at", "2025-01-01", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, early), 1);
    char *still = s_slurp (fed->trust);
    assert_string_equal (still, revoked);
    free (still);

    /* Unknown node or key, bad options: usage errors. */
    const char *nonode[] = {"trust", "add-key", fed->trust, "--node",
                            "111111", "--public", hex, NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, nonode), 2);
    const char *nokey[] = {"trust", "revoke-key", fed->trust, "--key",
                           "0000000000000000", "--at", "2026-01-01", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, nokey), 2);
    const char *mixed[] = {"trust", "revoke-key", fed->trust, "--key", id,
                           "--at", "2026-01-01", "--node", "469021", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, mixed), 2);

    /* A signed list: the reminder is in the JSON. */
    xt_write (fed, "trust.zpl.sig", "x\n");
    const char *rev3[] = {"trust", "revoke-key", fed->trust, "--key", id,
                          "--at", "2026-05-01", "--json", NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, rev3), 0);
    assert_non_null (strstr (out, "\"resign_needed\": true"));

    free (before);
    free (after);
    free (revoked);
    xt_fed_destroy (&fed);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_add_and_revoke_keep_layout),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
