/*  test_text.c - the library's texts follow the locale until the process
    turns translation off (xc_text_machine), then they are English.

    Run with XIECHA_LOCALEDIR pointing at this build's catalogues
    (tests/unit/lib/meson.build).  Each text comes from a real check of
    the library: an ID number with a bad character, a trust list with no
    trust section, and xc_strerror. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/error.h"
#include "xiecha/id.h"
#include "xiecha/text.h"
#include "xiecha/trust.h"

static const char s_trust[] = "node\n    code = 469021\n";

static void
s_id_why (char *why, size_t len)
{
    char norm[XC_ID_LEN + 1];
    assert_int_equal (xc_id_normalize ("11010519491231002A", "id_number",
                                       norm, why, len), XC_EINVAL);
}

static void
s_trust_why (char *why, size_t len)
{
    xc_trust_t *t = xc_trust_load_text (s_trust, "trust.zpl", why, len);
    assert_null (t);
}

static void
test_chinese_then_machine (void **state)
{
    (void) state;
    assert_non_null (getenv ("XIECHA_LOCALEDIR"));
    setenv ("LC_ALL", "zh_CN.UTF-8", 1);
    setenv ("LANGUAGE", "", 1);
    xc_text_init ();
    assert_true (xc_text_chinese ());
    char why[512];

    assert_string_equal (xc_strerror (XC_EINVAL), "输入无效");
    assert_string_equal (xc_strerror (XC_ERATE),
                         "超过该对端节点的速率限制；请稍后重试");
    s_id_why (why, sizeof why);
    assert_string_equal (why,
                         "id_number：第 18 个字符是“A”，必须是数字或“X”");
    s_trust_why (why, sizeof why);
    assert_string_equal (why, "trust.zpl：没有 `trust` 节");

    //  What a daemon does before it serves: English from here on.
    xc_text_machine ();
    assert_false (xc_text_chinese ());
    assert_string_equal (xc_strerror (XC_EINVAL), "invalid input");
    assert_string_equal (xc_strerror (XC_ERATE),
                         "over the rate limit for this peer; retry later");
    s_id_why (why, sizeof why);
    assert_string_equal (why, "id_number: character 18 is 'A', must be a "
                              "digit or 'X'");
    s_trust_why (why, sizeof why);
    assert_string_equal (why, "trust.zpl: no `trust` section");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_chinese_then_machine),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
