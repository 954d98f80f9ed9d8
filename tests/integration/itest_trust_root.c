/*  itest_trust_root.c - a node with trust/root set checks the trust list's
    signature before it starts, and the xiecha trust commands that make
    and check that signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "xt_fed.h"

static xt_fed_t *s_fed;
static char s_root_hex[2 * XC_PUBKEY_LEN + 2];

static int
s_setup (void **state)
{
    static const char *const codes[] = {"469021"};
    s_fed = xt_fed_new (codes, 1, 1500);
    /* A signed list needs its header; appended lines are still children
       of `trust`, the only top-level section. */
    FILE *f = fopen (s_fed->trust, "a");
    fputs ("    serial = 5\n    issued = \"2026-03-01T00:00:00Z\"\n"
           "    next_update = \"2026-04-01T00:00:00Z\"\n", f);
    fclose (f);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&s_fed);
    return 0;
}

/*  Makes a key with `xiecha trust root-keygen`; its public hex into hex. */
static void
s_keygen (const char *name, char *hex)
{
    char path[PATH_MAX], out[256] = "";
    snprintf (path, sizeof path, "%s/%s", s_fed->root, name);
    const char *args[] = {"trust", "root-keygen", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, out, sizeof out, args), 0);
    assert_int_equal (strlen (out), 2 * XC_PUBKEY_LEN + 1);
    memcpy (hex, out, 2 * XC_PUBKEY_LEN);
    hex[2 * XC_PUBKEY_LEN] = '\0';
}

static void
s_sign_with (const char *name)
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", s_fed->root, name);
    const char *args[] = {"trust", "sign", s_fed->trust, "--key", path, NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, NULL, 0, args), 0);
}

/*  Runs xiechad --check on node 0; output (stdout and stderr) into out. */
static int
s_check (char *out, size_t out_len)
{
    char cmd[PATH_MAX * 2];
    snprintf (cmd, sizeof cmd, "'%s' --config '%s' --check 2>&1",
              getenv ("XIECHAD"), s_fed->nodes[0].config);
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    size_t n = fread (out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose (p);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
s_set_root (const char *hex)
{
    zconfig_t *config = zconfig_load (s_fed->nodes[0].config);
    assert_non_null (config);
    zconfig_put (config, "trust/root", hex);
    assert_int_equal (zconfig_save (config, s_fed->nodes[0].config), 0);
    zconfig_destroy (&config);
}

static void
test_refuses_unsigned_and_wrong_key (void **state)
{
    s_keygen ("root.key", s_root_hex);
    s_set_root (s_root_hex);
    char out[2048];
    assert_int_equal (s_check (out, sizeof out), 1);
    assert_non_null (strstr (out, "the trust list is not signed"));

    char other[2 * XC_PUBKEY_LEN + 2], other_id[XC_KEY_ID_LEN + 1];
    char root_id[XC_KEY_ID_LEN + 1], expected[160];
    uint8_t pub[XC_PUBKEY_LEN];
    s_keygen ("other.key", other);
    s_sign_with ("other.key");
    xc_unhex (other, pub, sizeof pub);
    xc_key_id (pub, other_id);
    xc_unhex (s_root_hex, pub, sizeof pub);
    xc_key_id (pub, root_id);
    snprintf (expected, sizeof expected,
              "signed by key %s, not the root key %s", other_id, root_id);
    assert_int_equal (s_check (out, sizeof out), 1);
    if (!strstr (out, expected))
        fail_msg ("'%s' lacks '%s'", out, expected);
    assert_non_null (strstr (out, "trust/root is set"));

    const char *verify[] = {"trust", "verify", s_fed->trust, "--root",
                            s_root_hex, NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, NULL, 0, verify), 1);
}

static void
test_accepts_root_signed (void **state)
{
    s_sign_with ("root.key");
    char out[2048];
    //  An operator's first start: --init (which takes the list as a
    //  start does), then --check over the store it made.
    const char *init[] = {"--init", NULL};
    int status = xt_fed_xiechad (s_fed, 0, init, out, sizeof out);
    if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        fail_msg ("--init failed: %s", out);
    int rc = s_check (out, sizeof out);
    if (rc != 0)
        fail_msg ("--check failed: %s", out);
    assert_non_null (strstr (out, "signed by the root key, serial 5"));

    /* The list's next_update (2026-04-01) has passed: a node only warns,
       trust verify fails it, and passes it at a moment it was valid. */
    char json[8192] = "";
    const char *overdue[] = {"trust", "verify", s_fed->trust, "--root",
                             s_root_hex, "--json", NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, json, sizeof json, overdue), 1);
    assert_non_null (strstr (json, "expired at 2026-04-01T00:00:00.000Z"));
    const char *verify[] = {"trust", "verify", s_fed->trust, "--root",
                            s_root_hex, "--at", "2026-03-15", "--json", NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, json, sizeof json, verify), 0);
    assert_non_null (strstr (json, "\"signature_ok\": true"));
    assert_non_null (strstr (json, "\"code\": \"469021\""));

    char text[8192] = "";
    const char *show[] = {"trust", "show", s_fed->trust, NULL};
    assert_int_equal (xt_fed_cli (s_fed, -1, text, sizeof text, show), 0);
    assert_non_null (strstr (text, "2 nodes, 2 keys, serial 5"));
    assert_non_null (strstr (text, "469021  Node 469021"));

    /* the daemon really starts on it */
    xt_fed_start (s_fed, 0);
    assert_true (xt_fed_alive (s_fed, 0));
    xt_fed_stop (s_fed, 0, 0);
}

static void
test_bad_root_in_config (void **state)
{
    s_set_root ("not-hex");
    char out[2048];
    assert_int_equal (s_check (out, sizeof out), 1);
    assert_non_null (strstr (out, "trust/root: must be 64 hex characters"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_refuses_unsigned_and_wrong_key),
        cmocka_unit_test (test_accepts_root_signed),
        cmocka_unit_test (test_bad_root_in_config),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
