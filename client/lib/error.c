/*  error.c - error codes, their wire codes, and the `why` buffer helper.

    Errors travel as negative integers so every function can return one
    directly.  Everything else known about a code lives in one table,
    s_errors: its name, the text xc_strerror gives (so the CLI, the daemon
    log and the audit log describe a code the same way; translated for
    people, English wherever the daemon writes it: text.h), the wire
    ErrorCode a signed refusal with that code carries, and what a received
    ErrorCode means.  Every lookup below is a walk over that table: adding
    a code is adding a row (tests/unit/lib/test_error.c checks that every
    XC_E* code in error.h and every ErrorCode in xiecha.proto has one). */
#include <stdarg.h>
#include <stdio.h>

#include "xiecha/error.h"
#include "xiecha/text.h"
#include "xiecha/wire.h"   /* the generated ErrorCode enum */

/*  One row per XC_* code (name set), and one per wire ErrorCode (wire_name
    set); a row may be both.  Reading a row:

      code       the XC_* code; in a row with a wire_name, also what a
                 received Error with that wire code means
      name       the code's C name; NULL in a row that only names a wire
                 code no XC_* code sends
      text       what xc_strerror returns (rows with a name)
      wire       the ErrorCode a refusal with `code` carries (rows with a
                 name), and the ErrorCode a wire_name names
      wire_name  set in exactly one row per ErrorCode: the row that says
                 what receiving it means
      final      (rows with a wire_name) no retry can cure a refusal with
                 this ErrorCode: a notice refused so ends its journey

    A code the wire has no word for is the sender's own trouble and goes
    out as ERR_INTERNAL; a wire code that only says "refused"
    (ERR_UNSPECIFIED, ERR_UNSUPPORTED, or one we do not know) reads as
    XC_EREFUSED. */
typedef struct {
    int code;
    const char *name;
    const char *text;
    int wire;
    const char *wire_name;
    int final;
} s_error_t;

#define W(x) XIECHA__ERROR_CODE__##x

static const s_error_t s_errors[] = {
    /* code, name, text, wire, wire_name, final */
    {XC_OK, "XC_OK", N_("success"), W (ERR_UNSPECIFIED), NULL, 0},
    {XC_EINVAL, "XC_EINVAL", N_("invalid input"), W (ERR_MALFORMED), NULL, 0},
    {XC_ENOMEM, "XC_ENOMEM", N_("out of memory"), W (ERR_INTERNAL), NULL, 0},
    {XC_EIO, "XC_EIO", N_("input/output error"), W (ERR_INTERNAL), NULL, 0},
    {XC_EMALFORMED, "XC_EMALFORMED", N_("malformed message"), W (ERR_MALFORMED),
     "ERR_MALFORMED", 1},
    {XC_ESIG, "XC_ESIG", N_("signature does not verify"), W (ERR_BAD_SIGNATURE),
     "ERR_BAD_SIGNATURE", 0},
    {XC_EUNKNOWN, "XC_EUNKNOWN", N_("sender or key not in the trust list"),
     W (ERR_UNKNOWN_SENDER), "ERR_UNKNOWN_SENDER", 0},
    {XC_ERECIPIENT, "XC_ERECIPIENT", N_("addressed to another node"),
     W (ERR_WRONG_RECIPIENT), "ERR_WRONG_RECIPIENT", 1},
    {XC_ESTALE, "XC_ESTALE", N_("message or certificate too old"), W (ERR_STALE),
     "ERR_STALE", 0},
    {XC_EFUTURE, "XC_EFUTURE", N_("created too far in the future"), W (ERR_FUTURE),
     "ERR_FUTURE", 0},
    {XC_EREPLAY, "XC_EREPLAY", N_("message id reused with other content"),
     W (ERR_REPLAY), "ERR_REPLAY", 1},
    {XC_ETOOBIG, "XC_ETOOBIG", N_("over a size limit"), W (ERR_TOO_BIG),
     "ERR_TOO_BIG", 1},
    {XC_ETIMEOUT, "XC_ETIMEOUT", N_("timed out"), W (ERR_INTERNAL), NULL, 0},
    {XC_ESTORE, "XC_ESTORE", N_("storage failure"), W (ERR_INTERNAL), NULL, 0},
    {XC_EKEY, "XC_EKEY", N_("key missing, unreadable or of the wrong kind"),
     W (ERR_INTERNAL), NULL, 0},
    {XC_ECONFIG, "XC_ECONFIG", N_("configuration error"), W (ERR_INTERNAL), NULL,
     0},
    {XC_ENOTFOUND, "XC_ENOTFOUND", N_("not found"), W (ERR_INTERNAL), NULL, 0},
    {XC_EREFUSED, "XC_EREFUSED", N_("refused by the peer"), W (ERR_INTERNAL),
     NULL, 0},
    {XC_EBINDING, "XC_EBINDING", N_("answer not bound to the request"),
     W (ERR_INTERNAL), NULL, 0},
    {XC_EUNREACHABLE, "XC_EUNREACHABLE", N_("registration node unreachable"),
     W (ERR_INTERNAL), NULL, 0},
    {XC_EINTERNAL, "XC_EINTERNAL", N_("internal error"), W (ERR_INTERNAL),
     "ERR_INTERNAL", 0},
    {XC_EFULL, "XC_EFULL", N_("storage map full"), W (ERR_INTERNAL), NULL, 0},
    {XC_ECONFLICT, "XC_ECONFLICT", N_("already receiving this program elsewhere"),
     W (ERR_CONFLICT), "ERR_CONFLICT", 1},
    {XC_ENOTENROLLED, "XC_ENOTENROLLED", N_("no such enrollment"),
     W (ERR_NOT_ENROLLED), "ERR_NOT_ENROLLED", 1},
    {XC_EPOLICY, "XC_EPOLICY", N_("refused by the local eligibility policy"),
     W (ERR_INTERNAL), NULL, 0},
    {XC_ENOSPC, "XC_ENOSPC", N_("the node's data disk is full"), W (ERR_INTERNAL),
     NULL, 0},
    /* Retryable by design: the error says after how long. */
    {XC_ERATE, "XC_ERATE", N_("over the rate limit for this peer; retry later"),
     W (ERR_RATE_LIMITED), "ERR_RATE_LIMITED", 0},
    {XC_EBUSY, "XC_EBUSY", N_("too many requests outstanding; retry later"),
     W (ERR_RATE_LIMITED), NULL, 0},
    {XC_EROSTER, "XC_EROSTER", N_("the registration node's roster is missing "
     "or too old to certify NOT_RECEIVING"), W (ERR_ROSTER_STALE),
     "ERR_ROSTER_STALE", 0},
    {XC_EANSWER, "XC_EANSWER",
     N_("the registration node's answer was refused by the own node"),
     W (ERR_INTERNAL), NULL, 0},
    /* A terminal's request its roles do not cover, or a terminal the
       node's list no longer admits (revoked, outside its validity). */
    {XC_EROLE, "XC_EROLE", N_("this terminal may not make this request"),
     W (ERR_INTERNAL), NULL, 0},
    {XC_EUNCOVERED, "XC_EUNCOVERED",
     N_("some audit entries are not covered by a signed checkpoint"),
     W (ERR_INTERNAL), NULL, 0},
    /* Wire codes no XC_* code sends: they only say "refused". */
    {XC_EREFUSED, NULL, NULL, W (ERR_UNSPECIFIED), "ERR_UNSPECIFIED", 0},
    {XC_EREFUSED, NULL, NULL, W (ERR_UNSUPPORTED), "ERR_UNSUPPORTED", 1},
    {0, NULL, NULL, 0, NULL, 0}   /* the end */
};

/*  The row of an XC_* code, or NULL. */
static const s_error_t *
s_by_code (int code)
{
    for (const s_error_t *e = s_errors; e->name || e->wire_name; e++)
        if (e->name && e->code == code)
            return e;
    return NULL;
}

/*  The row that says what a received wire code means, or NULL. */
static const s_error_t *
s_by_wire (int wire_code)
{
    for (const s_error_t *e = s_errors; e->name || e->wire_name; e++)
        if (e->wire_name && e->wire == wire_code)
            return e;
    return NULL;
}

const char *
xc_strerror (int code)
{
    const s_error_t *e = s_by_code (code);
    //  Translated here, so a table row stays one literal and the daemon,
    //  which turns translation off (xc_text_machine), logs English.
    return e ? _(e->text) : _("unknown error");
}

const char *
xc_error_name (int code)
{
    const s_error_t *e = s_by_code (code);
    return e ? e->name : NULL;
}

int
xc_errcode_from_xc (int xc_code)
{
    const s_error_t *e = s_by_code (xc_code);
    return e ? e->wire : XIECHA__ERROR_CODE__ERR_INTERNAL;
}

int
xc_errcode_to_xc (int wire_code)
{
    const s_error_t *e = s_by_wire (wire_code);
    return e ? e->code : XC_EREFUSED;
}

const char *
xc_errcode_name (int wire_code)
{
    const s_error_t *e = s_by_wire (wire_code);
    return e ? e->wire_name : "?";
}

int
xc_errcode_final (int wire_code)
{
    const s_error_t *e = s_by_wire (wire_code);
    return e ? e->final : 0;
}

int
xc_why (char *why, size_t why_len, int code, const char *fmt, ...)
{
    if (why && why_len > 0) {
        va_list ap;
        va_start (ap, fmt);
        vsnprintf (why, why_len, fmt, ap);
        va_end (ap);
    }
    return code;
}
