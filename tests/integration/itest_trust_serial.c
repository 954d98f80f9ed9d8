/*  itest_trust_serial.c - a node never goes back to an older trust list,
    nor takes other content under a serial it has used.

    Four lists, all correctly signed by the root key: serial 5 (the rogue
    peer's key valid), serial 4 and serial 6 (that key revoked), and 6b:
    list 5's content signed again as serial 6, as from before the
    revocation.  The node runs on 5.  Given 4 by SIGHUP it refuses it,
    logs why and keeps answering the rogue with 5; given 6 it reloads,
    and the rogue is refused.  Given 6b it refuses it, naming both
    digests, and the revocation holds; list 6 signed again, the same
    bytes, is a no-op.  Stopped and put back on 5 or on 6b, it refuses to
    start, because it stored 6 and its digest as its mark; on 6 it starts
    again.  xiechad --check refuses what the start refuses, reading the
    store, also while the daemon runs.  A store that has only the serial
    (from before digests) gets the digest recorded on its first start. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

#include "xt_fed.h"
#include "store/store.h"

enum { TUNXI = 0 };

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
    assert_int_equal (xt_fed_cli (fed, -1, NULL, 0, sign), 0);
}

/*  Lists 5 (as given), 6b (the same, serial 6), 4 and 6 (the rogue key
    revoked a second ago), saved as list5, list6b, list4, list6; list 5
    left in place. */
static void
s_make_lists (void)
{
    char out[512], key[PATH_MAX], iso[32];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *keygen[] = {"trust", "root-keygen", "--out", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, keygen), 0);
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
    s_sign_serial (6);
    s_save ("list6b", 0);

    xc_time_iso (xc_now_ms () - 1000, iso);
    const char *revoke[] = {"trust", "revoke-key", fed->trust, "--key",
                            fed->rogue_key_id, "--at", iso, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, revoke), 0);
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
    xt_fed_start (fed, TUNXI);
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
    xt_fed_ref (fed, xt_id ("34100219800101123"), ref);
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
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
    int before = xt_fed_log_count (fed, TUNXI, needle);
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGHUP), 0);
    for (int t = 0; t < 50 && xt_fed_log_count (fed, TUNXI, needle) == before;
         t++)
        zclock_sleep (100);
    if (xt_fed_log_count (fed, TUNXI, needle) != before + 1)
        fail_msg ("no '%s' in %s", needle, fed->nodes[TUNXI].log);
    assert_true (xt_fed_alive (fed, TUNXI));
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
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "serial 4 is older than 5"),
                      1);
    /* Still list 5: the key list 4 revokes still speaks. */
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_CERTIFICATE);

    /* A newer list is taken, and the revocation in it holds. */
    s_save ("list6", 1);
    s_hup_and_wait ("trust list reloaded: serial 6");
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    if (!strstr (why, "revoked as compromised"))
        fail_msg ("error '%s' does not name the revocation", why);
}

/*  The SHA-256 of root/name, in hex, as the node logs it. */
static void
s_digest_hex (const char *name, char hex[2 * XC_HASH_LEN + 1])
{
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/%s", fed->root, name);
    char *text = s_slurp (path);
    uint8_t digest[XC_HASH_LEN];
    xc_sha256 (text, strlen (text), digest);
    xc_hex (digest, sizeof digest, hex);
    free (text);
}

/*  What a node on list 6 says of list 6b. */
static void
s_same_serial_why (char *out, size_t out_len)
{
    char b[2 * XC_HASH_LEN + 1], used[2 * XC_HASH_LEN + 1];
    s_digest_hex ("list6b", b);
    s_digest_hex ("list6", used);
    snprintf (out, out_len, "serial 6 (sha256 %s) differs from the list of "
              "serial 6 this node has already used (sha256 %s)", b, used);
}

static void
test_reload_refuses_same_serial_other_bytes (void **state)
{
    /* On list 6 (previous test): the rogue's key is revoked. */
    char why[512], expected[512];
    s_same_serial_why (expected, sizeof expected);
    s_save ("list6b", 1);
    s_hup_and_wait ("trust list not reloaded, keeping serial 6");
    assert_int_equal (xt_fed_log_count (fed, TUNXI, expected), 1);
    /* Still list 6, still answering: the revocation holds. */
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
    assert_non_null (strstr (why, "revoked as compromised"));

    /* List 6 again, signed again: the same bytes, nothing to do. */
    s_save ("list6", 1);
    char key[PATH_MAX];
    snprintf (key, sizeof key, "%s/root.key", fed->root);
    const char *sign[] = {"trust", "sign", fed->trust, "--key", key, NULL};
    assert_int_equal (xt_fed_cli (fed, -1, NULL, 0, sign), 0);
    s_hup_and_wait ("trust list unchanged: serial 6, the same bytes");
    assert_int_equal (s_rogue_asks (why, sizeof why),
                      XIECHA__MSG_TYPE__MSG_ERROR);
}

/*  Runs xiechad on TUNXI's config in the foreground for at most 5 s,
    with --check when check; stdout and stderr into out.  Returns its
    exit status (124: still running). */
static int
s_run_daemon (int check, char *out, size_t out_len)
{
    char cmd[PATH_MAX * 2];
    snprintf (cmd, sizeof cmd, "timeout 5 '%s' --config '%s'%s 2>&1",
              getenv ("XIECHAD"), fed->nodes[TUNXI].config,
              check ? " --check" : "");
    FILE *p = popen (cmd, "r");
    assert_non_null (p);
    size_t n = fread (out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose (p);
    return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/*  The list in place is refused, saying expected, by a start and by
    --check alike (the node is stopped). */
static void
s_expect_refused (const char *expected)
{
    char out[4096];
    for (int check = 0; check < 2; check++) {
        int rc = s_run_daemon (check, out, sizeof out);
        if (rc != 1 || !strstr (out, expected))
            fail_msg ("xiechad%s: exit %d, expected 1 and '%s': %s",
                      check ? " --check" : "", rc, expected, out);
    }
}

static int
s_del_digest (MDB_txn *txn, void *arg)
{
    MDB_val key = {sizeof "trust.digest" - 1, "trust.digest"};
    return xc_store_rc (mdb_del (txn, xc_store_dbi (arg, XC_DB_META), &key,
                                 NULL));
}

static void
test_start_refuses_list_below_mark (void **state)
{
    /* The node has used serial 6 (previous tests) and stored it. */
    xt_fed_stop (fed, TUNXI, 0);
    s_save ("list5", 1);
    s_expect_refused ("serial 5 is older than serial 6 this node has "
                      "already used");

    /* Nor on another list of the serial it last used. */
    char expected[512];
    s_same_serial_why (expected, sizeof expected);
    s_save ("list6b", 1);
    s_expect_refused (expected);

    /* On the list it last used, it starts; --check agrees, reading the
       store beside the running daemon. */
    s_save ("list6", 1);
    xt_fed_start (fed, TUNXI);
    assert_true (xt_fed_alive (fed, TUNXI));
    char out[4096];
    int rc = s_run_daemon (1, out, sizeof out);
    if (rc != 0 || !strstr (out, "trust list serial 6 may follow serial 6"))
        fail_msg ("xiechad --check beside the daemon: exit %d: %s", rc, out);
    assert_true (xt_fed_alive (fed, TUNXI));
}

/*  Deletes trust.digest from TUNXI's store, as a store from before
    digests lacks it; the node must be stopped. */
static void
s_forget_digest (void)
{
    char dir[PATH_MAX], why[256];
    snprintf (dir, sizeof dir, "%s/data", fed->nodes[TUNXI].dir);
    xc_store_t *store = xc_store_new (dir, 0, why, sizeof why);
    if (!store)
        fail_msg ("%s", why);
    assert_int_equal (xc_store_write (store, s_del_digest, store), 0);
    xc_store_destroy (&store);
}

static void
test_old_store_gets_digest_on_start (void **state)
{
    xt_fed_stop (fed, TUNXI, 0);
    s_forget_digest ();
    /* Serial 6 is all the store knows: list 6 starts and is recorded. */
    xt_fed_start (fed, TUNXI);
    assert_int_equal (xt_fed_log_count (fed, TUNXI,
                                        "trust list serial 6: digest "
                                        "recorded beside trust.serial"), 1);
    xt_fed_stop (fed, TUNXI, 0);
    /* From now on 6b is refused at start. */
    char expected[512];
    s_same_serial_why (expected, sizeof expected);
    s_save ("list6b", 1);
    s_expect_refused (expected);
    s_save ("list6", 1);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_reload_refuses_lower_serial),
        cmocka_unit_test (test_reload_refuses_same_serial_other_bytes),
        cmocka_unit_test (test_start_refuses_list_below_mark),
        cmocka_unit_test (test_old_store_gets_digest_on_start),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
