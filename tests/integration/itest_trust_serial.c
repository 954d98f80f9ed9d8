/*  itest_trust_serial.c - a node never goes back to an older trust list.

    Three lists, all correctly signed by the root key: serial 5 (the rogue
    peer's key valid), serial 4 and serial 6 (that key revoked).  The
    node runs on 5.  Given 4 by SIGHUP it refuses it, logs why and keeps
    answering the rogue with 5; given 6 it reloads, and the rogue is
    refused.  Stopped and put back on 5, it refuses to start, because it
    stored 6 as its high-water mark; on 6 it starts again. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "harness.h"

enum { TUNXI = 0 };

static xt_fed_t *fed;

/*  A valid ID: first17 and its check character. */
static const char *
s_id (const char *first17)
{
    static char id[19];
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8,
                              4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * w[i];
    snprintf (id, sizeof id, "%s%c", first17, "10X98765432"[sum % 11]);
    return id;
}

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
s_copy (const char *from, const char *to)
{
    char *text = s_slurp (from);
    FILE *f = fopen (to, "w");
    assert_non_null (f);
    fputs (text, f);
    assert_int_equal (fclose (f), 0);
    free (text);
}

/*  Keeps the list and its signature as root/name and root/name.sig, or
    puts them back in place. */
static void
s_save (const char *name, int restore)
{
    char list[PATH_MAX], sig[PATH_MAX], live_sig[PATH_MAX];
    snprintf (list, sizeof list, "%s/%s", fed->root, name);
    snprintf (sig, sizeof sig, "%s/%s.sig", fed->root, name);
    snprintf (live_sig, sizeof live_sig, "%s.sig", fed->trust);
    s_copy (restore ? list : fed->trust, restore ? fed->trust : list);
    s_copy (restore ? sig : live_sig, restore ? live_sig : sig);
}

/*  Sets the serial line (the list carries one) and signs with the root. */
static void
s_sign_serial (int serial)
{
    char *text = s_slurp (fed->trust), *at = strstr (text, "    serial = ");
    assert_non_null (at);
    char *end = strchr (at, '\n');
    FILE *f = fopen (fed->trust, "w");
    assert_non_null (f);
    fprintf (f, "%.*s    serial = %d%s", (int) (at - text), text, serial, end);
    assert_int_equal (fclose (f), 0);
    free (text);
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *sign[] = {"trust", "sign", fed->trust, "--key", key, NULL};
    assert_int_equal (xt_cli (fed, -1, NULL, 0, sign), 0);
}

/*  Lists 5 (as given), 4 and 6 (the rogue key revoked a second ago),
    saved as list5, list4, list6; list 5 left in place. */
static void
s_make_lists (void)
{
    char out[512], key[PATH_MAX], iso[32];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *keygen[] = {"trust", "root-keygen", "--out", key, NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, keygen), 0);
    out[2 * XC_PUBKEY_LEN] = '\0';
    zconfig_t *config = zconfig_load (fed->nodes[TUNXI].config);
    assert_non_null (config);
    zconfig_put (config, "trust/root", out);
    assert_int_equal (zconfig_save (config, fed->nodes[TUNXI].config), 0);
    zconfig_destroy (&config);

    FILE *f = fopen (fed->trust, "a");
    assert_non_null (f);
    fputs ("    serial = 5\n    issued = \"2026-03-01T00:00:00Z\"\n"
           "    next_update = \"2036-03-01T00:00:00Z\"\n", f);
    assert_int_equal (fclose (f), 0);
    s_sign_serial (5);
    s_save ("list5", 0);

    xc_time_iso (xc_now_ms () - 1000, iso);
    const char *revoke[] = {"trust", "revoke-key", fed->trust, "--key",
                            fed->rogue_key_id, "--at", iso, NULL};
    assert_int_equal (xt_cli (fed, -1, out, sizeof out, revoke), 0);
    s_sign_serial (4);
    s_save ("list4", 0);
    s_sign_serial (6);
    s_save ("list6", 0);
    s_save ("list5", 1);
}

static int
s_setup (void **state)
{
    const char *codes[] = {"341002"};
    fed = xt_fed_new (codes, 1, 1500);
    s_make_lists ();
    xt_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    return 0;
}

/*  The rogue asks TUNXI about someone; returns the answer's type, and an
    error's message in why. */
static int
s_rogue_asks (char *why, size_t why_len)
{
    uint8_t ref[XC_REF_LEN], *q = NULL;
    size_t qlen = 0;
    xt_ref (fed, s_id ("34100219800101123"), ref);
    xt_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    zsock_t *peer = xt_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, q, qlen, 5000);
    free (q);
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

/*  Sends SIGHUP and waits until the node has logged one more line
    containing "trust list" + what. */
static void
s_hup_and_wait (const char *needle)
{
    int before = xt_log_count (fed, TUNXI, needle);
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGHUP), 0);
    for (int t = 0; t < 50 && xt_log_count (fed, TUNXI, needle) == before;
         t++)
        zclock_sleep (100);
    if (xt_log_count (fed, TUNXI, needle) != before + 1)
        fail_msg ("no '%s' in %s", needle, fed->nodes[TUNXI].log);
    assert_true (xt_alive (fed, TUNXI));
}

static void
test_reload_refuses_lower_serial (void **state)
{
    char why[512];
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);

    /* Signed by the root, but older than the list in use. */
    s_save ("list4", 1);
    s_hup_and_wait ("trust list not reloaded, keeping serial 5");
    assert_int_equal (xt_log_count (fed, TUNXI, "serial 4 is older than 5"),
                      1);
    /* Still list 5: the key list 4 revokes still speaks. */
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);

    /* A newer list is taken, and the revocation in it holds. */
    s_save ("list6", 1);
    s_hup_and_wait ("trust list reloaded: serial 6");
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    if (!strstr (why, "revoked at"))
        fail_msg ("error '%s' does not name the revocation", why);
}

/*  Runs xiechad on TUNXI's config in the foreground for at most 5 s;
    stderr into out.  Returns its exit status (124: still running). */
static int
s_run_daemon (char *out, size_t out_len)
{
    char cmd[PATH_MAX * 2];
    snprintf (cmd, sizeof cmd, "timeout 5 '%s' --config '%s' 2>&1",
              getenv ("XIECHAD"), fed->nodes[TUNXI].config);
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    size_t n = fread (out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose (p);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_start_refuses_list_below_mark (void **state)
{
    /* The node has used serial 6 (previous test) and stored it. */
    xt_stop (fed, TUNXI, 0);
    s_save ("list5", 1);
    char out[4096];
    int rc = s_run_daemon (out, sizeof out);
    if (rc != 1)
        fail_msg ("xiechad on an older list: exit %d: %s", rc, out);
    if (!strstr (out, "serial 5 is older than serial 6 this node has "
                      "already used"))
        fail_msg ("unclear refusal: %s", out);

    /* On the list it last used, it starts. */
    s_save ("list6", 1);
    xt_start (fed, TUNXI);
    assert_true (xt_alive (fed, TUNXI));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_reload_refuses_lower_serial),
        cmocka_unit_test (test_start_refuses_list_below_mark),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
