/*  itest_next_key.c - a node holds its next signing key before it is
    due (keys/next_signing) and switches by itself.

    Tunxi 341002 starts with keys/next_signing set; the trust list
    already lists the next key, valid from a few seconds on.  Until then
    certificates carry the current key; afterwards the next one, with no
    restart, no reload and no dropped query; the switch is in Tunxi's log
    and audit log, and a certificate from before still verifies.
    `xiechad --check` names the next key.  A next key equal to the
    current one is a configuration error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt_fed.h"

enum { DINGAN = 0, TUNXI = 1 };
#define S_DUE_MS 20000  /* next key valid this long after setup: room
                           for two starts and a --check on a loaded host */

static xt_fed_t *fed;
static char s_old_id[XC_KEY_ID_LEN + 1], s_new_id[XC_KEY_ID_LEN + 1];

/*  Adds `line` to node i's config right after its keys/signing line. */
static void
s_config_after_signing (size_t i, const char *line)
{
    const char *cfg = fed->nodes[i].config;
    char tmp[PATH_MAX + 8], buf[1024];
    snprintf (tmp, sizeof tmp, "%s.new", cfg);
    FILE *in = fopen (cfg, "r");
    FILE *out = fopen (tmp, "w");
    assert_non_null (in);
    assert_non_null (out);
    int done = 0;
    while (fgets (buf, sizeof buf, in)) {
        fputs (buf, out);
        if (strstr (buf, " signing =") && !done++)
            fputs (line, out);
    }
    fclose (in);
    assert_int_equal (fclose (out), 0);
    assert_int_equal (done, 1);
    assert_int_equal (rename (tmp, cfg), 0);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"469021", "341002"};
    fed = xt_fed_new (codes, 2, 1500);
    //  The stores first, so that the due time below is not spent on them.
    xt_fed_init (fed, DINGAN);
    xt_fed_init (fed, TUNXI);
    char keyfile[PATH_MAX], hex[2 * XC_PUBKEY_LEN + 1], iso[32], out[4096];
    snprintf (keyfile, sizeof keyfile, "%s/sign.key", fed->nodes[TUNXI].dir);
    xt_key_id_of (keyfile, s_old_id);
    xc_key_t *key = xc_key_generate ();
    snprintf (keyfile, sizeof keyfile, "%s/next.key", fed->nodes[TUNXI].dir);
    assert_int_equal (xc_key_save (key, keyfile), 0);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (key, pub);
    xc_key_id (pub, s_new_id);
    xc_hex (pub, sizeof pub, hex);
    xc_key_destroy (&key);
    //  ISO times are to the second: round the instant up.
    xc_time_iso ((xc_now_ms () + S_DUE_MS) / 1000 * 1000 + 1000, iso);
    const char *add[] = {"trust", "add-key", fed->trust, "--node", "341002",
                         "--public", hex, "--not-before", iso, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, add), 0);
    s_config_after_signing (TUNXI, "    next_signing = \"next.key\"\n");
    xt_fed_start (fed, DINGAN);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  Queries Tunxi about subject n, saves the certificate as name and
    returns the key id it was signed with (from `cert verify --json`). */
static const char *
s_cert_key (int n, const char *name)
{
    static char id[XC_KEY_ID_LEN + 1];
    char path[PATH_MAX], out[8192], person[XT_ID_SIZE];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    xt_id_make ("341002", (size_t) n, person);
    const char *query[] = {"query", "--id", person, "--name", "Li Lei",
                           "--home", "341002", "--program", "dibao",
                           "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, DINGAN, out, sizeof out, query), 0);
    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    const char *k = strstr (out, "\"key_id\": \"");
    assert_non_null (k);
    snprintf (id, sizeof id, "%.16s", k + 11);
    return id;
}

static void
test_check_names_next_key (void **state)
{
    const char *daemon = getenv ("XIECHAD");
    char cmd[2 * PATH_MAX], line[512];
    snprintf (cmd, sizeof cmd, "'%s' --config '%s' --check", daemon,
              fed->nodes[TUNXI].config);
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    int seen = 0;
    while (fgets (line, sizeof line, p))
        seen += strstr (line, "next signing key") && strstr (line, s_new_id)
                && strstr (line, "(in the trust list)");
    assert_int_equal (pclose (p), 0);
    assert_int_equal (seen, 1);
}

static void
test_switches_when_due (void **state)
{
    assert_string_equal (s_cert_key (1, "before.pem"), s_old_id);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "signing key switched"), 0);
    //  Wait for the next key's not_before (and a tick after it).
    int64_t until = zclock_mono () + S_DUE_MS + 2500;
    while (zclock_mono () < until
           && xt_fed_log_count (fed, TUNXI, "signing key switched") == 0)
        zclock_sleep (100);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "signing key switched"), 1);
    assert_string_equal (s_cert_key (2, "after.pem"), s_new_id);
    //  The old certificate still verifies with the same list.
    char path[PATH_MAX], out[8192];
    snprintf (path, sizeof path, "%s/before.pem", fed->root);
    const char *verify[] = {"cert", "verify", path, "--trust", fed->trust,
                            "--root", xt_fed_anchor (fed),
                            NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, verify), 0);
    //  The switch is an audit entry, and the exported log verifies: the
    //  checkpoints after it are signed with the new key.
    snprintf (path, sizeof path, "%s/tunxi.audit", fed->root);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    xt_fed_stop (fed, TUNXI, 0);   /* a final checkpoint, new key */
    xt_fed_start (fed, TUNXI);
    //  The config still names the old key first: the switch happens (and
    //  is recorded) again at start, before anything is signed.
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "signing key switched"), 2);
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, exp), 0);
    const char *av[] = {"audit", "verify", path, "--trust", fed->trust,
                        "--root", xt_fed_anchor (fed),
                        "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, av), 0);
    assert_non_null (strstr (out, "\"valid\": true"));
    //  After the restart the node starts on the new key at once.
    assert_string_equal (s_cert_key (3, "restart.pem"), s_new_id);
}

static void
test_same_key_refused (void **state)
{
    xt_fed_stop (fed, TUNXI, 0);
    s_config_after_signing (TUNXI, "    next_signing = \"sign.key\"\n");
    const char *daemon = getenv ("XIECHAD");
    char cmd[2 * PATH_MAX], text[1024] = "";
    snprintf (cmd, sizeof cmd, "'%s' --config '%s' --check 2>&1", daemon,
              fed->nodes[TUNXI].config);
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    text[fread (text, 1, sizeof text - 1, p)] = '\0';
    assert_int_not_equal (pclose (p), 0);
    if (!strstr (text, "keys/next_signing") || !strstr (text, "same key"))
        fail_msg ("unexpected: %s", text);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_check_names_next_key),
        cmocka_unit_test (test_switches_when_due),
        cmocka_unit_test (test_same_key_refused),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
