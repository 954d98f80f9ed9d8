/*  itest_notify.c - the readiness protocol of xiechad.service
    (Type=notify), against a notify socket this test makes as the
    service manager would: an AF_UNIX datagram socket named by
    NOTIFY_SOCKET, and WATCHDOG_USEC as WatchdogSec passes it.

    A real xiechad sends READY=1 with a STATUS= line, and by then its
    client socket answers a request; WATCHDOG=1 follows while it runs;
    `xiecha reload` is framed by RELOADING=1 and READY=1; on SIGTERM it
    sends STOPPING=1.  Without WATCHDOG_USEC no WATCHDOG=1 comes. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "xt_fed.h"

enum { TUNXI = 0 };

/*  How long to wait for one datagram: generous, the node may be slow
    under ASan on a shared machine; never an assertion on time. */
#define S_WAIT_MS 60000

static xt_fed_t *fed;
static int sock = -1;
static char sock_path[PATH_MAX];

static int
s_setup (void **state)
{
    const char *codes[] = {"341002"};
    fed = xt_fed_new (codes, 1, 1500);
    snprintf (sock_path, sizeof sock_path, "%s/notify.sock", fed->root);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen (sock_path) >= sizeof sa.sun_path)
        fail_msg ("%s: too long for a socket path", sock_path);
    strcpy (sa.sun_path, sock_path);
    sock = socket (AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true (sock >= 0);
    assert_int_equal (bind (sock, (struct sockaddr *) &sa, sizeof sa), 0);
    struct timeval tv = {.tv_sec = S_WAIT_MS / 1000};
    assert_int_equal (setsockopt (sock, SOL_SOCKET, SO_RCVTIMEO, &tv,
                                  sizeof tv), 0);
    return 0;
}

static int
s_teardown (void **state)
{
    xt_fed_destroy (&fed);
    if (sock >= 0)
        close (sock);
    return 0;
}

/*  The next datagram into out (NUL-terminated); fails on timeout. */
static void
s_recv (char *out, size_t len)
{
    ssize_t n = recv (sock, out, len - 1, 0);
    if (n < 0) {
        xt_fed_log_tail (fed, TUNXI, 20);
        fail_msg ("no notification from xiechad within %d ms", S_WAIT_MS);
    }
    out[n] = '\0';
}

/*  Reads datagrams until one holds needle, skipping WATCHDOG=1 pings
    unless needle is that; returns it in out. */
static void
s_expect (const char *needle, char *out, size_t len)
{
    for (int i = 0; i < 1000; i++) {
        s_recv (out, len);
        if (strstr (out, needle))
            return;
        if (strcmp (out, "WATCHDOG=1") != 0)
            fail_msg ("expected %s, got '%s'", needle, out);
    }
    fail_msg ("no %s among 1000 notifications", needle);
}

/*  Starts the node with the notify socket (and WATCHDOG_USEC when
    watchdog_usec is not NULL) in its environment only. */
static void
s_spawn (const char *watchdog_usec)
{
    setenv ("NOTIFY_SOCKET", sock_path, 1);
    if (watchdog_usec)
        setenv ("WATCHDOG_USEC", watchdog_usec, 1);
    xt_fed_spawn (fed, TUNXI);
    unsetenv ("NOTIFY_SOCKET");
    unsetenv ("WATCHDOG_USEC");
}

static void
test_ready_status_reload_watchdog_stopping (void **state)
{
    char msg[1024];
    s_spawn ("300000");   /* 0.3 s: pings every 0.15 s */
    s_expect ("READY=1", msg, sizeof msg);
    xt_assert_has (msg, "STATUS=serving peers on ");
    //  Ready means served: a request is answered now, with no retry.
    xc_client_t *c = xt_fed_client (fed, TUNXI);
    Xiecha__StatusReply *st = NULL;
    char why[512];
    assert_int_equal (xc_client_status (c, &st, why, sizeof why), 0);
    assert_string_equal (st->code, "341002");
    xiecha__status_reply__free_unpacked (st, NULL);
    xc_client_destroy (&c);
    s_expect ("WATCHDOG=1", msg, sizeof msg);
    //  A reload: RELOADING=1, then READY=1 again with its outcome.
    const char *reload[] = {"reload", NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, NULL, 0, reload), 0);
    s_expect ("RELOADING=1", msg, sizeof msg);
    s_expect ("READY=1", msg, sizeof msg);
    xt_assert_has (msg, "STATUS=serving; reloaded: trust list serial");
    s_expect ("WATCHDOG=1", msg, sizeof msg);
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGTERM), 0);
    s_expect ("STOPPING=1", msg, sizeof msg);
    xt_assert_has (msg, "STATUS=shutting down");
    assert_int_equal (xt_fed_wait_exit (fed, TUNXI, S_WAIT_MS), 0);
}

static void
test_no_watchdog_unless_asked (void **state)
{
    char msg[1024];
    s_spawn (NULL);
    s_expect ("READY=1", msg, sizeof msg);
    //  SIGTERM after a while of running: the next datagram is STOPPING=1,
    //  no ping in between (the tick ran about ten times meanwhile).
    xt_fed_wait (fed, TUNXI);
    zclock_sleep (2000);
    assert_int_equal (kill (fed->nodes[TUNXI].pid, SIGTERM), 0);
    s_recv (msg, sizeof msg);
    xt_assert_has (msg, "STOPPING=1");
    assert_int_equal (xt_fed_wait_exit (fed, TUNXI, S_WAIT_MS), 0);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_ready_status_reload_watchdog_stopping),
        cmocka_unit_test (test_no_watchdog_unless_asked),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
