/*  itest_lock.c - what a node refuses to start with, and when it stops
    itself: real daemons, real files, real locks.

      - a second xiechad on the data directory of a running one fails at
        start naming the running one (pid, endpoints), and writes nothing
        to its audit log; --check says a daemon runs there; the lock of a
        killed daemon blocks nothing.  (Before: the second ran and
        appended to the live node's audit log.)
      - a node whose own signing key the trust list revokes, or whose key
        has expired or is not yet valid, fails --check and refuses to
        start, naming the key and the time; one that runs stops when a
        reloaded list revokes its key.  (Before: it passed --check,
        started, and issued certificates that cert verify calls
        INVALID.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt_fed.h"

enum { TUNXI = 0, DINGAN = 1, LINGSHUI = 2 };

static xt_fed_t *fed;
static char *s_trust;   /* the trust list as made, restored after edits */

static int
s_setup (void **state)
{
    const char *codes[] = {"341002", "469021", "469028"};
    fed = xt_fed_new (codes, 3, 3000);
    xt_fed_start (fed, TUNXI);
    FILE *f = fopen (fed->trust, "r");
    s_trust = calloc (1, 65536);
    assert_true (f && s_trust);
    size_t len = fread (s_trust, 1, 65535, f);
    fclose (f);
    assert_true (len > 0);
    return 0;
}

static int
s_teardown (void **state)
{
    free (s_trust);
    xt_fed_destroy (&fed);
    return 0;
}

/* ---- one data directory, one daemon ------------------------------------ */

/*  Node i's config with other endpoints: the same data directory. */
static const char *
s_second_config (size_t i)
{
    static char path[PATH_MAX + 16];
    snprintf (path, sizeof path, "%s/second.zpl", fed->nodes[i].dir);
    char text[8192] = "", line[1024];
    FILE *f = fopen (fed->nodes[i].config, "r");
    assert_non_null (f);
    int fd = -1;
    int port = xt_port_reserve (&fd);
    while (fgets (line, sizeof line, f)) {
        if (strstr (line, "peer_bind"))
            snprintf (line, sizeof line,
                      "    peer_bind = \"tcp://127.0.0.1:%d\"\n", port);
        else if (strstr (line, "client_bind"))
            snprintf (line, sizeof line,
                      "    client_bind = \"ipc://second.sock\"\n");
        strncat (text, line, sizeof text - strlen (text) - 1);
    }
    fclose (f);
    close (fd);
    xt_writef (path, "%s", text);
    return path;
}

static void
test_second_daemon_refused (void **state)
{
    const char *second = s_second_config (TUNXI);
    uint64_t before = xt_fed_audit_entries (fed, TUNXI);
    char out[8192], pid[32];
    snprintf (pid, sizeof pid, "xiechad pid %ld", (long) fed->nodes[TUNXI].pid);
    int status = xt_fed_xiechad_config (fed, second, NULL, out, sizeof out);
    if (status != 1)
        fail_msg ("second daemon: exit %d: %s", status, out);
    xt_assert_has (out, "is in use by");
    xt_assert_has (out, pid);
    xt_assert_has (out, fed->nodes[TUNXI].endpoint);
    xt_assert_has (out, "node 341002");
    assert_int_equal (xt_fed_audit_entries (fed, TUNXI), before);
    assert_true (xt_fed_alive (fed, TUNXI));

    /* --check says so, and passes: it is run beside the daemon. */
    const char *check[] = {"--check", NULL};
    assert_int_equal (
        xt_fed_xiechad_config (fed, second, check, out, sizeof out), 0);
    xt_assert_has (out, "is in use by");
    xt_assert_has (out, pid);
}

static void
test_stale_lock_does_not_block (void **state)
{
    xt_fed_stop (fed, TUNXI, 1);   /* SIGKILL: the lock file stays */
    char lock[PATH_MAX + 32], text[1024] = "";
    snprintf (lock, sizeof lock, "%s/data/xiechad.lock", fed->nodes[TUNXI].dir);
    assert_int_equal (access (lock, F_OK), 0);
    const char *check[] = {"--check", NULL};
    char out[8192];
    assert_int_equal (xt_fed_xiechad_config (fed, fed->nodes[TUNXI].config,
                                             check, out, sizeof out), 0);
    xt_assert_has (out, "no daemon runs on");
    xt_fed_start (fed, TUNXI);
    FILE *f = fopen (lock, "r");
    assert_non_null (f);
    size_t got = fread (text, 1, sizeof text - 1, f);
    text[got] = '\0';
    fclose (f);
    char pid[32];
    snprintf (pid, sizeof pid, "pid=%ld\n", (long) fed->nodes[TUNXI].pid);
    xt_assert_has (text, pid);
}

/* ---- the own signing key ------------------------------------------------ */

/*  The trust list as made, with line added under node i's key. */
static void
s_trust_with (size_t i, const char *line)
{
    char path[PATH_MAX + 16], keyline[160], hex[2 * XC_PUBKEY_LEN + 1];
    char why[256];
    snprintf (path, sizeof path, "%s/sign.key", fed->nodes[i].dir);
    xc_key_t *k = xc_key_load (path, why, sizeof why);
    assert_non_null (k);
    uint8_t pub[XC_PUBKEY_LEN];
    xc_key_public (k, pub);
    xc_key_destroy (&k);
    xc_hex (pub, sizeof pub, hex);
    snprintf (keyline, sizeof keyline, "public = \"%s\"\n", hex);
    const char *at = strstr (s_trust, keyline);
    assert_non_null (at);
    at += strlen (keyline);
    FILE *f = fopen (fed->trust, "w");
    assert_non_null (f);
    fprintf (f, "%.*s            %s\n%s", (int) (at - s_trust), s_trust, line,
             at);
    fclose (f);
}

static void
s_trust_restore (void)
{
    xt_writef (fed->trust, "%s", s_trust);
}

/*  A whole-second ISO time, as the list takes it, seconds from now. */
static const char *
s_iso (int64_t seconds)
{
    static char iso[32];
    xc_time_iso ((uint64_t) ((int64_t) xc_now_ms () + seconds * 1000), iso);
    iso[19] = 'Z';
    iso[20] = '\0';
    return iso;
}

/*  Both --check and the start fail, naming the key and needle. */
static void
s_expect_refused (size_t i, const char *needle)
{
    char id[XC_KEY_ID_LEN + 1], path[PATH_MAX + 16], out[8192];
    snprintf (path, sizeof path, "%s/sign.key", fed->nodes[i].dir);
    xt_key_id_of (path, id);
    const char *check[] = {"--check", NULL};
    int status = xt_fed_xiechad_config (fed, fed->nodes[i].config, check,
                                        out, sizeof out);
    if (status != 1)
        fail_msg ("--check: exit %d: %s", status, out);
    xt_assert_has (out, id);
    xt_assert_has (out, needle);
    xt_assert_has (out, "keys/signing");
    status = xt_fed_xiechad_config (fed, fed->nodes[i].config, NULL, out,
                                    sizeof out);
    if (status != 1)
        fail_msg ("start: exit %d: %s", status, out);
    xt_assert_has (out, id);
    xt_assert_has (out, needle);
    xt_assert_has (out, "would verify as INVALID");
}

static void
test_revoked_own_key_stops_the_start (void **state)
{
    char line[96];
    snprintf (line, sizeof line, "revoked_at = \"%s\"", s_iso (-60));
    s_trust_with (DINGAN, line);
    s_expect_refused (DINGAN, "revoked as compromised");
    s_trust_restore ();
}

static void
test_expired_own_key_stops_the_start (void **state)
{
    char line[96];
    snprintf (line, sizeof line, "not_after = \"%s\"", s_iso (-60));
    s_trust_with (DINGAN, line);
    s_expect_refused (DINGAN, "expired");
    s_trust_restore ();
}

static void
test_future_own_key_stops_the_start (void **state)
{
    char line[96];
    snprintf (line, sizeof line, "not_before = \"%s\"", s_iso (3600));
    s_trust_with (DINGAN, line);
    s_expect_refused (DINGAN, "valid from");
    s_trust_restore ();
    /* With the list as made it starts. */
    xt_fed_start (fed, DINGAN);
}

/*  Running, its key revoked by a reloaded list: it stops, exit 1. */
static void
test_revoked_on_reload_stops_the_node (void **state)
{
    xt_fed_start (fed, LINGSHUI);
    char line[96], id[XC_KEY_ID_LEN + 1], path[PATH_MAX + 16];
    snprintf (line, sizeof line, "revoked_at = \"%s\"", s_iso (-1));
    s_trust_with (LINGSHUI, line);
    assert_int_equal (kill (fed->nodes[LINGSHUI].pid, SIGHUP), 0);
    assert_int_equal (xt_fed_wait_exit (fed, LINGSHUI, 30000), 1);
    snprintf (path, sizeof path, "%s/sign.key", fed->nodes[LINGSHUI].dir);
    xt_key_id_of (path, id);
    assert_true (xt_fed_log_count (fed, LINGSHUI,
                                   "xiechad: stopping: keys/signing") == 1);
    assert_true (xt_fed_log_count (fed, LINGSHUI, id) >= 1);
    assert_true (xt_fed_log_count (fed, LINGSHUI, "revoked as compromised") >= 1);
    s_trust_restore ();
    /* The others run on. */
    assert_true (xt_fed_alive (fed, TUNXI));
    assert_true (xt_fed_alive (fed, DINGAN));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_second_daemon_refused),
        cmocka_unit_test (test_stale_lock_does_not_block),
        cmocka_unit_test (test_revoked_own_key_stops_the_start),
        cmocka_unit_test (test_expired_own_key_stops_the_start),
        cmocka_unit_test (test_future_own_key_stops_the_start),
        cmocka_unit_test (test_revoked_on_reload_stops_the_node),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
