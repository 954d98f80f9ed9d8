/*  test_armor.c - PEM-style armor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/armor.h"
#include "xiecha/error.h"

#define LABEL XC_ARMOR_CERTIFICATE

static void
s_fill (uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t) (i * 131 + 7);
}

static void
test_roundtrip_sizes (void **state)
{
    uint8_t data[300];
    s_fill (data, sizeof data);
    for (size_t len = 0; len <= sizeof data; len++) {
        char *text = NULL;
        assert_int_equal (xc_armor_encode (LABEL, data, len, &text), 0);
        assert_non_null (text);
        /* shape: BEGIN line, lines of at most 64 columns, END line */
        assert_memory_equal (text, "-----BEGIN XIECHA CERTIFICATE-----\n",
                             35);
        size_t tlen = strlen (text);
        assert_string_equal (text + tlen - 33,
                             "-----END XIECHA CERTIFICATE-----\n");
        for (char *line = text; *line;) {
            char *nl = strchr (line, '\n');
            assert_non_null (nl);
            if (line != text && strncmp (line, "-----END", 8) != 0)
                assert_true (nl - line <= 64 && nl - line > 0);
            line = nl + 1;
        }
        uint8_t *out = NULL;
        size_t out_len = 999;
        char why[256] = "";
        assert_int_equal (xc_armor_decode (text, tlen, LABEL, &out, &out_len,
                                           why, sizeof why), 0);
        assert_int_equal (out_len, len);
        if (len)
            assert_memory_equal (out, data, len);
        free (out);
        free (text);
    }
}

static void
test_full_lines_are_64 (void **state)
{
    uint8_t data[96];
    s_fill (data, sizeof data);
    char *text = NULL;
    assert_int_equal (xc_armor_encode (LABEL, data, sizeof data, &text), 0);
    /* 96 bytes = exactly two 64-column lines */
    const char *body = strchr (text, '\n') + 1;
    assert_int_equal (strchr (body, '\n') - body, 64);
    body = strchr (body, '\n') + 1;
    assert_int_equal (strchr (body, '\n') - body, 64);
    body = strchr (body, '\n') + 1;
    assert_memory_equal (body, "-----END", 8);
    free (text);
}

/*  Replaces every "\n" with "\r\n". */
static char *
s_crlf (const char *text)
{
    char *out = malloc (2 * strlen (text) + 1), *p = out;
    for (; *text; text++) {
        if (*text == '\n')
            *p++ = '\r';
        *p++ = *text;
    }
    *p = '\0';
    return out;
}

static void
test_crlf_and_surrounding_text (void **state)
{
    uint8_t data[100];
    s_fill (data, sizeof data);
    char *text = NULL;
    assert_int_equal (xc_armor_encode (LABEL, data, sizeof data, &text), 0);
    char *crlf = s_crlf (text);
    size_t cap = strlen (crlf) + 200;
    char *mail = malloc (cap);
    snprintf (mail, cap, "Dear colleague,\r\nplease find attached:\r\n\r\n"
                         "%s\r\nRegards\r\n", crlf);
    uint8_t *out = NULL;
    size_t out_len = 0;
    char why[256] = "";
    assert_int_equal (xc_armor_decode (mail, strlen (mail), LABEL, &out,
                                       &out_len, why, sizeof why), 0);
    assert_int_equal (out_len, sizeof data);
    assert_memory_equal (out, data, sizeof data);
    free (out);

    /* text_len bounds the search: the END marker beyond it is not seen */
    const char *end = strstr (mail, "-----END");
    assert_int_equal (xc_armor_decode (mail, (size_t) (end - mail) + 5, LABEL,
                                       &out, &out_len, why, sizeof why),
                      XC_EMALFORMED);
    free (mail);
    free (crlf);
    free (text);
}

static void
test_other_block_first (void **state)
{
    uint8_t data[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    char *a = NULL, *b = NULL;
    assert_int_equal (xc_armor_encode ("XIECHA REPORT", data, 3, &a), 0);
    assert_int_equal (xc_armor_encode (LABEL, data, sizeof data, &b), 0);
    char both[1024];
    snprintf (both, sizeof both, "%s%s", a, b);
    uint8_t *out = NULL;
    size_t out_len = 0;
    char why[256] = "";
    assert_int_equal (xc_armor_decode (both, strlen (both), LABEL, &out,
                                       &out_len, why, sizeof why), 0);
    assert_int_equal (out_len, sizeof data);
    assert_memory_equal (out, data, sizeof data);
    free (out);
    free (a);
    free (b);
}

static void
test_failures (void **state)
{
    uint8_t data[50];
    s_fill (data, sizeof data);
    char *text = NULL, why[256] = "";
    uint8_t *out = NULL;
    size_t out_len = 0;
    assert_int_equal (xc_armor_encode (LABEL, data, sizeof data, &text), 0);
    size_t len = strlen (text);

    /* wrong label */
    assert_int_equal (xc_armor_decode (text, len, "XIECHA REPORT", &out,
                                       &out_len, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "armor: no -----BEGIN XIECHA REPORT----- "
                              "block found");
    /* a longer label that merely starts like ours */
    assert_int_equal (xc_armor_decode (text, len, "XIECHA", &out, &out_len,
                                       why, sizeof why), XC_EMALFORMED);

    /* missing END */
    char *cut = strdup (text);
    *strstr (cut, "-----END") = '\0';
    assert_int_equal (xc_armor_decode (cut, strlen (cut), LABEL, &out,
                                       &out_len, why, sizeof why),
                      XC_EMALFORMED);
    assert_string_equal (why, "armor: missing -----END XIECHA "
                              "CERTIFICATE-----");
    free (cut);

    /* a character that is not base64 */
    char *bad = strdup (text);
    bad[40] = '*';
    assert_int_equal (xc_armor_decode (bad, len, LABEL, &out, &out_len, why,
                                       sizeof why), XC_EMALFORMED);
    assert_non_null (strstr (why, "not base64"));
    free (bad);

    /* a character dropped: length no longer a multiple of 4 */
    bad = strdup (text);
    memmove (bad + 40, bad + 41, len - 40);
    assert_int_equal (xc_armor_decode (bad, len - 1, LABEL, &out, &out_len,
                                       why, sizeof why), XC_EMALFORMED);
    free (bad);

    /* '=' in the middle */
    bad = strdup (text);
    bad[40] = '=';
    assert_int_equal (xc_armor_decode (bad, len, LABEL, &out, &out_len, why,
                                       sizeof why), XC_EMALFORMED);
    assert_non_null (strstr (why, "padding"));
    free (bad);

    /* three '=' */
    const char *pad3 = "-----BEGIN X-----\nQ===\n-----END X-----\n";
    assert_int_equal (xc_armor_decode (pad3, strlen (pad3), "X", &out,
                                       &out_len, why, sizeof why),
                      XC_EMALFORMED);
    /* '=' then data */
    const char *padmid = "-----BEGIN X-----\nQQ=A\n-----END X-----\n";
    assert_int_equal (xc_armor_decode (padmid, strlen (padmid), "X", &out,
                                       &out_len, why, sizeof why),
                      XC_EMALFORMED);
    /* padding counted exactly: "QQ==" is 1 byte, "QUI=" is 2 */
    const char *one = "-----BEGIN X-----\nQQ==\n-----END X-----\n";
    assert_int_equal (xc_armor_decode (one, strlen (one), "X", &out,
                                       &out_len, why, sizeof why), 0);
    assert_int_equal (out_len, 1);
    assert_int_equal (out[0], 'A');
    free (out);
    const char *two = "-----BEGIN X-----\nQUI=\n-----END X-----\n";
    assert_int_equal (xc_armor_decode (two, strlen (two), "X", &out,
                                       &out_len, why, sizeof why), 0);
    assert_int_equal (out_len, 2);
    assert_memory_equal (out, "AB", 2);
    free (out);
    free (text);
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_roundtrip_sizes),
        cmocka_unit_test (test_full_lines_are_64),
        cmocka_unit_test (test_crlf_and_surrounding_text),
        cmocka_unit_test (test_other_block_first),
        cmocka_unit_test (test_failures),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
