/*  xt_check.c - the harness inside cmocka tests.

    Linking xcfed_check_dep (tests/lib/meson.build, link_whole) is all it
    takes: before main, the harness's failure hook (xt_set_fail) becomes
    cmocka's fail_msg, so anything that goes wrong in xt_* fails the
    running test -- or its group setup or teardown -- with the harness's
    message, and the teardown still runs.  No header: there is nothing to
    call. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "xt_sys.h"

static void
s_fail (const char *message)
{
    fail_msg ("%s", message);
}

__attribute__ ((constructor)) static void
s_install (void)
{
    xt_set_fail (s_fail);
}
