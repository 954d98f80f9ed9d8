/*  test_config.c - the schema checker names the key that is wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node/config.h"
#include "xiecha/error.h"

static char s_dir[64];
static char s_path[128];

static const char *s_good =
    "node\n"
    "    code = \"469021\"\n"
    "    name = \"Ding'an County\"\n"
    "    data_dir = \"data\"\n"
    "    peer_bind = \"tcp://127.0.0.1:7101\"\n"
    "keys\n"
    "    signing = \"sign.key\"\n"
    "    curve = \"/etc/xiecha/curve.cert\"\n"
    "trust\n"
    "    list = \"trust.zpl\"\n"
    "    salt = \"salt.hex\"\n";

static int
s_load (const char *text, xc_config_t *cfg, char *why)
{
    FILE *f = fopen (s_path, "w");
    assert_non_null (f);
    fputs (text, f);
    fclose (f);
    return xc_config_load (s_path, cfg, why, 512);
}

static int
s_setup (void **state)
{
    snprintf (s_dir, sizeof s_dir, "/tmp/xc-config-XXXXXX");
    assert_non_null (mkdtemp (s_dir));
    snprintf (s_path, sizeof s_path, "%s/node.zpl", s_dir);
    return 0;
}

static int
s_teardown (void **state)
{
    unlink (s_path);
    rmdir (s_dir);
    return 0;
}

static void
test_good_config_resolves_paths_and_defaults (void **state)
{
    xc_config_t c;
    char why[512] = "";
    assert_int_equal (s_load (s_good, &c, why), 0);
    assert_string_equal (c.code, "469021");
    assert_string_equal (c.name, "Ding'an County");
    char want[256];
    snprintf (want, sizeof want, "%s/data", s_dir);
    assert_string_equal (c.data_dir, want);
    assert_string_equal (c.curve_cert, "/etc/xiecha/curve.cert");
    snprintf (want, sizeof want, "ipc://%s/client.sock", s_dir);
    assert_string_equal (c.client_bind, want);
    assert_string_equal (c.peer_bind, "tcp://127.0.0.1:7101");
    assert_int_equal (c.query_deadline_ms, 3000);
    assert_int_equal (c.batch_max, 256);
    assert_int_equal (c.checkpoint_interval_s, 300);
    assert_int_equal (c.export_page_entries, 32768);
    assert_int_equal (c.peer_messages_per_s, 50);
    assert_int_equal (c.peer_messages_burst, 200);
    assert_int_equal (c.peer_subjects_per_s, 100);
    assert_int_equal (c.peer_subjects_burst, 10000);
    /* a query of the maximum and its certificate fit (wire.h) */
    assert_int_equal (c.query_subjects, 10000);
    assert_int_equal (c.max_message_bytes, 262144 + 10000 * 256);
    assert_int_equal (c.audit_refused_per_minute, 20);
    assert_int_equal (c.audit_refused_prefix_bytes, 4096);
    assert_int_equal (c.client_outstanding, 64);
    assert_int_equal (c.client_hwm, 1000);
}

static void
s_expect (const char *text, const char *needle)
{
    xc_config_t c;
    char why[512] = "";
    assert_int_equal (s_load (text, &c, why), XC_ECONFIG);
    if (!strstr (why, needle))
        fail_msg ("'%s' does not mention '%s'", why, needle);
}

static void
test_errors_name_the_key (void **state)
{
    char text[2048];
    /* A misspelt key is an error, not a silent default. */
    snprintf (text, sizeof text, "%slimits\n    query_deadline = 5\n", s_good);
    s_expect (text, "unknown key 'limits/query_deadline'");
    snprintf (text, sizeof text, "%slimits\n    batch_max = 0\n", s_good);
    s_expect (text, "limits/batch_max: 0 is outside 1..65536");
    snprintf (text, sizeof text, "%slimits\n    checkpoint_interval_s = 86401\n",
              s_good);
    s_expect (text, "limits/checkpoint_interval_s: 86401 is outside 1..86400");
    snprintf (text, sizeof text, "%slimits\n    clock_skew_ms = soon\n", s_good);
    s_expect (text, "limits/clock_skew_ms: 'soon' is not an integer");
    s_expect ("node\n    code = \"12345\"\n", "node/code: '12345'");
    s_expect ("node\n    code = \"469021\"\n", "node/data_dir: required");
    snprintf (text, sizeof text, "%s", s_good);
    char *ep = strstr (text, "tcp://");
    memcpy (ep, "tcp:/", 5);
    ep[5] = '-';
    s_expect (text, "node/peer_bind");
}

/*  The limits per peer and per terminal: out of range is refused, naming
    the key and its bounds.  A subject burst below one full query
    (limits/query_subjects) would refuse such a query for ever, and a
    message cap below what it takes would drop it. */
static void
test_limits_out_of_range (void **state)
{
    static const struct {
        const char *line, *needle;
    } cases[] = {
        {"peer_messages_per_s = 0", "limits/peer_messages_per_s: 0 is "
         "outside 1..1000000"},
        {"peer_messages_burst = 0", "limits/peer_messages_burst: 0 is "
         "outside 1..1000000"},
        {"peer_subjects_per_s = 0", "limits/peer_subjects_per_s: 0 is "
         "outside 1..1000000"},
        {"peer_subjects_burst = 0", "limits/peer_subjects_burst: 0 is "
         "outside 1..1000000"},
        {"peer_subjects_burst = 9999", "limits/peer_subjects_burst: 9999 is "
         "below limits/query_subjects = 10000: a full query could never be "
         "answered"},
        {"query_subjects = 0", "limits/query_subjects: 0 is outside "
         "1..100000"},
        {"query_subjects = 100001", "limits/query_subjects: 100001 is "
         "outside 1..100000"},
        {"max_message_bytes = 262144", "limits/max_message_bytes: 262144 is "
         "below the 2822144 bytes a query of limits/query_subjects = 10000 "
         "subjects and its certificate need (0: that)"},
        {"audit_refused_per_minute = -1", "limits/audit_refused_per_minute: "
         "-1 is outside 0..100000"},
        {"audit_refused_prefix_bytes = 65537", "limits/audit_refused_prefix_"
         "bytes: 65537 is outside 0..65536"},
        {"client_outstanding = 0", "limits/client_outstanding: 0 is "
         "outside 1..100000"},
        {"client_hwm = 15", "limits/client_hwm: 15 is outside 16..1000000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[2048];
        snprintf (text, sizeof text, "%slimits\n    %s\n", s_good,
                  cases[i].line);
        s_expect (text, cases[i].needle);
    }
    char text[2048];
    xc_config_t c;
    char why[512] = "";
    snprintf (text, sizeof text, "%slimits\n    audit_refused_per_minute = 0"
              "\n    audit_refused_prefix_bytes = 0\n", s_good);
    assert_int_equal (s_load (text, &c, why), 0);
    assert_int_equal (c.audit_refused_per_minute, 0);
    assert_int_equal (c.audit_refused_prefix_bytes, 0);
    /* a household's queries only: a small burst and message will do */
    snprintf (text, sizeof text, "%slimits\n    query_subjects = 64\n"
              "    peer_subjects_burst = 64\n", s_good);
    assert_int_equal (s_load (text, &c, why), 0);
    assert_int_equal (c.max_message_bytes, 262144 + 64 * 256);
    snprintf (text, sizeof text, "%slimits\n    max_message_bytes = 4000000"
              "\n", s_good);
    assert_int_equal (s_load (text, &c, why), 0);
    assert_int_equal (c.max_message_bytes, 4000000);
}

static void
test_missing_file (void **state)
{
    xc_config_t c;
    char why[512];
    assert_int_equal (xc_config_load ("/nonexistent/x.zpl", &c, why, sizeof why),
                      XC_ECONFIG);
    assert_non_null (strstr (why, "cannot read"));
}

/*  A file that is not ZPL is refused by name, and nothing it allocated
    is left behind: zconfig_load leaked its zfile on such a file, which
    the suite's leak check (ASan) now catches.  fuzz_config found it;
    its input is tests/fuzz/regress/config/not-zpl. */
static void
test_not_zpl (void **state)
{
    s_expect ("\x0f", "not valid ZPL");
    s_expect ("node\n  code = \"469021\"\n", "not valid ZPL");
    xc_config_t c;
    char why[512];
    assert_int_equal (xc_config_load (s_dir, &c, why, sizeof why),
                      XC_ECONFIG);   /* a directory is not a file */
    if (!strstr (why, s_dir))
        fail_msg ("'%s' does not name the directory", why);
}

static void
test_resolve (void **state)
{
    char out[256];
    xc_config_resolve ("/etc/x", "ipc://@abstract", out, sizeof out);
    assert_string_equal (out, "ipc://@abstract");
    xc_config_resolve ("/etc/x", "ipc:///run/x.sock", out, sizeof out);
    assert_string_equal (out, "ipc:///run/x.sock");
    xc_config_resolve ("/etc/x", "ipc://run/x.sock", out, sizeof out);
    assert_string_equal (out, "ipc:///etc/x/run/x.sock");
    xc_config_resolve ("/etc/x", "keys/a.key", out, sizeof out);
    assert_string_equal (out, "/etc/x/keys/a.key");
    xc_config_resolve ("/etc/x", "tcp://*:7101", out, sizeof out);
    assert_string_equal (out, "tcp://*:7101");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_good_config_resolves_paths_and_defaults),
        cmocka_unit_test (test_errors_name_the_key),
        cmocka_unit_test (test_limits_out_of_range),
        cmocka_unit_test (test_missing_file),
        cmocka_unit_test (test_not_zpl),
        cmocka_unit_test (test_resolve),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
