/*  test_endpoint.c - endpoints named in configuration files: a relative
    ipc:// path is relative to the config file's directory, for the daemon
    that binds and the CLI that connects alike. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "xiecha/endpoint.h"
#include "xiecha/error.h"

static void
s_expect (const char *dir, const char *endpoint, const char *want)
{
    char out[128];
    assert_int_equal (xc_ipc_resolve (dir, endpoint, out, sizeof out), 0);
    assert_string_equal (out, want);
}

static void
test_relative_ipc (void **state)
{
    s_expect ("/etc/x", "ipc://client.sock", "ipc:///etc/x/client.sock");
    s_expect ("/etc/x", "ipc://run/x.sock", "ipc:///etc/x/run/x.sock");
    s_expect ("/etc/x/", "ipc://client.sock", "ipc:///etc/x/client.sock");
    s_expect ("node1", "ipc://client.sock", "ipc://node1/client.sock");
    s_expect (".", "ipc://client.sock", "ipc://./client.sock");
    s_expect ("/", "ipc://client.sock", "ipc:///client.sock");
}

static void
test_unchanged (void **state)
{
    s_expect ("/etc/x", "ipc:///run/x.sock", "ipc:///run/x.sock");
    s_expect ("/etc/x", "ipc://@abstract", "ipc://@abstract");
    s_expect ("/etc/x", "tcp://*:7101", "tcp://*:7101");
    s_expect ("/etc/x", "tcp://10.0.0.1:7102", "tcp://10.0.0.1:7102");
    s_expect ("", "ipc://client.sock", "ipc://client.sock");
    s_expect (NULL, "ipc://client.sock", "ipc://client.sock");
}

static void
test_too_long (void **state)
{
    char out[24];
    assert_int_equal (xc_ipc_resolve ("/a/rather/long/directory",
                                      "ipc://client.sock", out, sizeof out),
                      XC_ETOOBIG);
    assert_int_equal (xc_ipc_resolve (NULL, "tcp://a.very.long.host.name:7101",
                                      out, sizeof out),
                      XC_ETOOBIG);
    /* Exactly full: 23 characters and the NUL. */
    assert_int_equal (xc_ipc_resolve ("/abcd", "ipc://client.sock", out,
                                      sizeof out),
                      0);
    assert_string_equal (out, "ipc:///abcd/client.sock");
    assert_int_equal (xc_ipc_resolve ("/abcde", "ipc://client.sock", out,
                                      sizeof out),
                      XC_ETOOBIG);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_relative_ipc),
        cmocka_unit_test (test_unchanged),
        cmocka_unit_test (test_too_long),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
