/*  itest_locale_daemon.c - a node started under a Chinese locale talks
    Chinese to the person at its console and English to machines.

    The daemon runs with LC_ALL=zh_CN.UTF-8 and this build's catalogues.
    `xiechad --help`, `--check` on a bad config and on a good one speak
    Chinese (and exit as in English); a refused peer message gets a
    signed ERR_MALFORMED whose detail, the log line and the audit entry
    are the English text, with no Chinese anywhere in the log (text.h:
    xc_text_machine). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xt_fed.h"
#include "xt_sys.h"

enum { TUNXI = 0 };

static xt_fed_t *fed;

static int
s_setup (void **state)
{
    (void) state;
    //  Before the federation: every daemon it starts inherits it.
    setenv ("LC_ALL", "zh_CN.UTF-8", 1);
    const char *codes[] = {"341002"};
    xt_fed_opts_t opts = {.codes = codes, .count = 1, .deadline_ms = 3000,
                          .rogue = true};
    fed = xt_fed_new_opts (&opts);
    xt_fed_start (fed, TUNXI);
    return 0;
}

static int
s_teardown (void **state)
{
    (void) state;
    xt_fed_destroy (&fed);
    return 0;
}

/*  xiechad ARGS --config config under locale (LC_ALL), its output in
    out; returns its exit status. */
static int
s_xiechad (const char *locale, const char *config, const char *const *args,
           char *out, size_t len)
{
    setenv ("LC_ALL", locale, 1);
    int rc = xt_fed_xiechad_config (fed, config, args, out, len);
    setenv ("LC_ALL", "zh_CN.UTF-8", 1);
    return rc;
}

static void
test_console_speaks_chinese (void **state)
{
    (void) state;
    static char zh[1 << 16], en[1 << 16];
    const char *help[] = {"--help", NULL};
    assert_int_equal (s_xiechad ("zh_CN.UTF-8", fed->nodes[TUNXI].config,
                                 help, zh, sizeof zh), 0);
    xt_assert_has (zh, "用法：xiechad --config FILE");
    xt_assert_has (zh, "本节点的 6 位区划代码（GB/T 2260） [必填]");
    assert_int_equal (s_xiechad ("C.UTF-8", fed->nodes[TUNXI].config, help,
                                 en, sizeof en), 0);
    xt_assert_has (en, "Usage: xiechad --config FILE");
    assert_null (strstr (en, "用法"));

    const char *bad = xt_fed_write (fed, "bad.zpl", "node\n    code = 12\n");
    const char *check[] = {"--check", NULL};
    assert_int_equal (s_xiechad ("zh_CN.UTF-8", bad, check, zh, sizeof zh),
                      1);
    xt_assert_has (zh, "node/code：“12”不是 6 位区划代码");
    assert_int_equal (s_xiechad ("C.UTF-8", bad, check, en, sizeof en), 1);
    xt_assert_has (en, "node/code: '12' is not a 6-digit division code");

    //  A good config, its store in use by the running node.
    assert_int_equal (s_xiechad ("zh_CN.UTF-8", fed->nodes[TUNXI].config,
                                 check, zh, sizeof zh), 0);
    xt_assert_has (zh, "配置无误：节点 341002");
    xt_assert_has (zh, "正被 xiechad pid");
}

/*  Waits up to 10 s for the node's log to hold needle; the node logs a
    refusal after its commit. */
static void
s_await_log (const char *needle)
{
    for (int k = 0; k < 200 && xt_fed_log_count (fed, TUNXI, needle) < 1;
         k++)
        usleep (50 * 1000);
    if (xt_fed_log_count (fed, TUNXI, needle) < 1) {
        xt_fed_log_tail (fed, TUNXI, 20);
        fail_msg ("the node never logged \"%s\"", needle);
    }
}

static void
test_machines_read_english (void **state)
{
    (void) state;
    uint8_t ref[XC_REF_LEN];
    xt_fed_ref (fed, "341002198001011237", ref);
    uint8_t *q = NULL;
    size_t qlen = 0;
    xt_fed_rogue_query (fed, "341002", ref, 1, 0, NULL, &q, &qlen);
    //  An unknown field 15 inside the signed bytes, validly signed.
    Xiecha__Envelope *e = xiecha__envelope__unpack (NULL, qlen, q);
    assert_non_null (e);
    uint8_t inner[4096], buf[8192];
    assert_true (e->signed_.len + 3 <= sizeof inner);
    memcpy (inner, e->signed_.data, e->signed_.len);
    size_t in = e->signed_.len;
    inner[in++] = 15 << 3 | 2;
    inner[in++] = 1;
    inner[in++] = 'x';
    uint8_t sig[XC_SIG_LEN];
    assert_int_equal (xc_sign (fed->rogue_key, XC_CTX_ENVELOPE, inner, in,
                               sig), 0);
    Xiecha__Envelope forged = *e;
    forged.signed_ = (ProtobufCBinaryData) {in, inner};
    forged.signature = (ProtobufCBinaryData) {XC_SIG_LEN, sig};
    size_t flen = xiecha__envelope__get_packed_size (&forged);
    assert_true (flen <= sizeof buf);
    xiecha__envelope__pack (&forged, buf);
    xiecha__envelope__free_unpacked (e, NULL);
    free (q);

    zsock_t *peer = xt_fed_peer (fed, TUNXI, 0);
    zframe_t *f = xt_exchange (peer, buf, flen, 5000);
    assert_non_null (f);
    xc_opened_t op = {0};
    char why[300];
    assert_int_equal (xc_envelope_open (zframe_data (f), zframe_size (f), &op,
                                        why, sizeof why), 0);
    assert_int_equal (op.msg->header->type, XIECHA__MSG_TYPE__MSG_ERROR);
    assert_int_equal (op.msg->error->code, XIECHA__ERROR_CODE__ERR_MALFORMED);
    //  The signed detail: the library's check, in English.
    assert_string_equal (op.msg->error->message, "Signed: unknown field 15");
    xc_opened_free (&op);
    zframe_destroy (&f);
    zsock_destroy (&peer);

    s_await_log ("ERR_MALFORMED: Signed: unknown field 15");
    //  Nothing in the log is Chinese: no full-width colon, which every
    //  Chinese why has, no 字段 (field) or 拒绝 (refuse).
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "："), 0);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "字段"), 0);
    assert_int_equal (xt_fed_log_count (fed, TUNXI, "拒绝"), 0);

    //  The audit entry of the refusal, as the log an auditor exports.
    static char out[1 << 17];
    char path[PATH_MAX];
    snprintf (path, sizeof path, "%s/tunxi.audit", fed->root);
    const char *exp[] = {"audit", "export", "--out", path, NULL};
    assert_int_equal (xt_fed_cli (fed, TUNXI, out, sizeof out, exp), 0);
    const char *list[] = {"audit", "list", path, "--trust", fed->trust,
                          "--root", xt_fed_anchor (fed), "--json", NULL};
    assert_int_equal (xt_fed_cli (fed, -1, out, sizeof out, list), 0);
    xt_assert_has (out, "Signed: unknown field 15");
    assert_null (strstr (out, "未知字段"));
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_console_speaks_chinese),
        cmocka_unit_test (test_machines_read_english),
    };
    return cmocka_run_group_tests (tests, s_setup, s_teardown);
}
