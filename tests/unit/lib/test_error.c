/*  test_error.c - the one error table (client/lib/error.c): every XC_*
    code of error.h has a row with its own name and a text, every wire
    ErrorCode of xiecha.proto has exactly one row naming it as protoc-c
    does, and the mapping between them round-trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "xiecha/error.h"
#include "xiecha/wire.h"   /* the generated ErrorCode descriptor */

#define S_MAX_CODES 128

typedef struct {
    char name[40];   /* "XC_EINVAL" */
    int code;
} s_enum_t;

/*  The XC_* enumerators as written in include/xiecha/error.h, read from
    the source so a code added there without a row fails here. */
static size_t
s_read_header (s_enum_t *out, size_t max)
{
    FILE *f = fopen (SRC_DIR "/include/xiecha/error.h", "r");
    assert_non_null (f);
    char line[256];
    size_t n = 0;
    while (fgets (line, sizeof line, f)) {
        char name[32];
        int code;
        if (sscanf (line, " XC_%31[A-Z] = %d", name, &code) == 2) {
            assert_true (n < max);
            snprintf (out[n].name, sizeof out[n].name, "XC_%s", name);
            out[n++].code = code;
        }
    }
    fclose (f);
    return n;
}

static void
test_every_code_has_a_row (void **state)
{
    s_enum_t codes[S_MAX_CODES];
    size_t n = s_read_header (codes, S_MAX_CODES);
    assert_true (n >= 25);   /* XC_OK .. XC_EPOLICY at the time of writing */
    for (size_t i = 0; i < n; i++) {
        const char *name = xc_error_name (codes[i].code);
        if (!name || strcmp (name, codes[i].name) != 0)
            fail_msg ("%s (%d): row named %s", codes[i].name, codes[i].code,
                      name ? name : "(none)");
        assert_string_not_equal (xc_strerror (codes[i].code), "unknown error");
    }
    assert_string_equal (xc_strerror (XC_OK), "success");
}

static void
test_names_unique (void **state)
{
    s_enum_t codes[S_MAX_CODES];
    size_t n = s_read_header (codes, S_MAX_CODES);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal (codes[i].code, codes[j].code);
            assert_string_not_equal (xc_error_name (codes[i].code),
                                     xc_error_name (codes[j].code));
            assert_string_not_equal (xc_strerror (codes[i].code),
                                     xc_strerror (codes[j].code));
        }
    /* No row for a code error.h does not define. */
    for (int c = -200; c <= 200; c++) {
        int known = 0;
        for (size_t i = 0; i < n; i++)
            known |= codes[i].code == c;
        if (!known) {
            assert_null (xc_error_name (c));
            assert_string_equal (xc_strerror (c), "unknown error");
            assert_int_equal (xc_errcode_from_xc (c),
                              XIECHA__ERROR_CODE__ERR_INTERNAL);
        }
    }
}

static void
test_every_wire_code_has_a_row (void **state)
{
    const ProtobufCEnumDescriptor *d = &xiecha__error_code__descriptor;
    for (unsigned i = 0; i < d->n_values; i++) {
        int w = d->values[i].value;
        assert_string_equal (xc_errcode_name (w), d->values[i].name);
        /* What it reads as is a code with a row. */
        assert_non_null (xc_error_name (xc_errcode_to_xc (w)));
    }
    assert_string_equal (xc_errcode_name (-1), "?");
    assert_string_equal (xc_errcode_name (1234), "?");
    assert_int_equal (xc_errcode_to_xc (1234), XC_EREFUSED);
    assert_int_equal (xc_errcode_final (1234), 0);
}

static void
test_wire_round_trips (void **state)
{
    /* Code -> wire -> code -> wire is stable: a refusal reads back as a
       code that is sent with the same wire code (XC_OK is no refusal). */
    s_enum_t codes[S_MAX_CODES];
    size_t n = s_read_header (codes, S_MAX_CODES);
    for (size_t i = 0; i < n; i++) {
        if (codes[i].code == XC_OK)
            continue;
        int w = xc_errcode_from_xc (codes[i].code);
        assert_int_equal (xc_errcode_from_xc (xc_errcode_to_xc (w)), w);
    }
    /* Wire -> code -> wire is the identity for every wire code that has a
       meaning of its own (the others read as "refused"). */
    const ProtobufCEnumDescriptor *d = &xiecha__error_code__descriptor;
    for (unsigned i = 0; i < d->n_values; i++) {
        int w = d->values[i].value;
        int c = xc_errcode_to_xc (w);
        if (c != XC_EREFUSED)
            assert_int_equal (xc_errcode_from_xc (c), w);
    }
    /* The codes peers exchange come back as themselves. */
    const int sent[] = {XC_EMALFORMED, XC_ESIG,      XC_EUNKNOWN,
                        XC_ERECIPIENT, XC_ESTALE,    XC_EFUTURE,
                        XC_EREPLAY,    XC_ETOOBIG,   XC_EINTERNAL,
                        XC_ECONFLICT,  XC_ENOTENROLLED};
    for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++)
        assert_int_equal (xc_errcode_to_xc (xc_errcode_from_xc (sent[i])),
                          sent[i]);
}

static void
test_errcode_mapping (void **state)
{
    assert_int_equal (xc_errcode_from_xc (XC_OK),
                      XIECHA__ERROR_CODE__ERR_UNSPECIFIED);
    assert_int_equal (xc_errcode_from_xc (XC_ESIG),
                      XIECHA__ERROR_CODE__ERR_BAD_SIGNATURE);
    assert_int_equal (xc_errcode_from_xc (XC_EUNKNOWN),
                      XIECHA__ERROR_CODE__ERR_UNKNOWN_SENDER);
    assert_int_equal (xc_errcode_from_xc (XC_EINVAL),
                      XIECHA__ERROR_CODE__ERR_MALFORMED);
    assert_int_equal (xc_errcode_from_xc (XC_ESTORE),
                      XIECHA__ERROR_CODE__ERR_INTERNAL);
    assert_int_equal (xc_errcode_from_xc (XC_EREFUSED),
                      XIECHA__ERROR_CODE__ERR_INTERNAL);
    assert_int_equal (xc_errcode_from_xc (XC_ECONFLICT),
                      XIECHA__ERROR_CODE__ERR_CONFLICT);
    assert_int_equal (xc_errcode_from_xc (XC_ENOTENROLLED),
                      XIECHA__ERROR_CODE__ERR_NOT_ENROLLED);
    assert_int_equal (xc_errcode_to_xc (XIECHA__ERROR_CODE__ERR_MALFORMED),
                      XC_EMALFORMED);
    assert_int_equal (xc_errcode_to_xc (XIECHA__ERROR_CODE__ERR_INTERNAL),
                      XC_EINTERNAL);
    assert_int_equal (xc_errcode_to_xc (XIECHA__ERROR_CODE__ERR_UNSUPPORTED),
                      XC_EREFUSED);
    assert_int_equal (xc_errcode_to_xc (XIECHA__ERROR_CODE__ERR_UNSPECIFIED),
                      XC_EREFUSED);
    assert_string_equal (xc_errcode_name (XIECHA__ERROR_CODE__ERR_REPLAY),
                         "ERR_REPLAY");
    assert_string_equal (xc_error_name (XC_EREPLAY), "XC_EREPLAY");
}

static void
test_final (void **state)
{
    /* The refusals after which a notice is not sent again. */
    const int final[] = {XIECHA__ERROR_CODE__ERR_CONFLICT,
                         XIECHA__ERROR_CODE__ERR_NOT_ENROLLED,
                         XIECHA__ERROR_CODE__ERR_MALFORMED,
                         XIECHA__ERROR_CODE__ERR_REPLAY,
                         XIECHA__ERROR_CODE__ERR_WRONG_RECIPIENT,
                         XIECHA__ERROR_CODE__ERR_UNSUPPORTED,
                         XIECHA__ERROR_CODE__ERR_TOO_BIG};
    const ProtobufCEnumDescriptor *d = &xiecha__error_code__descriptor;
    for (unsigned i = 0; i < d->n_values; i++) {
        int w = d->values[i].value, want = 0;
        for (size_t j = 0; j < sizeof final / sizeof final[0]; j++)
            want |= final[j] == w;
        if (xc_errcode_final (w) != want)
            fail_msg ("%s: final is %d", d->values[i].name,
                      xc_errcode_final (w));
    }
}

static void
test_why (void **state)
{
    char why[16];
    assert_int_equal (xc_why (why, sizeof why, XC_EIO, "x=%d", 5), XC_EIO);
    assert_string_equal (why, "x=5");
    assert_int_equal (xc_why (NULL, 0, XC_EIO, "x"), XC_EIO);
    assert_int_equal (xc_why (why, 4, XC_EINVAL, "%s", "truncated"),
                      XC_EINVAL);
    assert_string_equal (why, "tru");
}

int
main (void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test (test_every_code_has_a_row),
        cmocka_unit_test (test_names_unique),
        cmocka_unit_test (test_every_wire_code_has_a_row),
        cmocka_unit_test (test_wire_round_trips),
        cmocka_unit_test (test_errcode_mapping),
        cmocka_unit_test (test_final),
        cmocka_unit_test (test_why),
    };
    return cmocka_run_group_tests (tests, NULL, NULL);
}
