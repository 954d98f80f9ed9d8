/*  error.h - error codes shared by libxiecha, xiechad and the CLI.

    Every function that can fail returns 0 or one of these negative codes;
    results travel through out-parameters.  Where a user or a peer caused
    the failure, the function also fills a `why` buffer naming the field
    and the rule that was broken. */
#ifndef XIECHA_ERROR_H
#define XIECHA_ERROR_H

#include <stddef.h>

enum {
    XC_OK = 0,
    XC_EINVAL = -1,        /* bad input: a field breaks a rule */
    XC_ENOMEM = -2,        /* out of memory */
    XC_EIO = -3,           /* file or socket error */
    XC_EMALFORMED = -4,    /* bytes do not parse as the expected message */
    XC_ESIG = -5,          /* signature does not verify */
    XC_EUNKNOWN = -6,      /* sender or key not in the trust list */
    XC_ERECIPIENT = -7,    /* addressed to another node */
    XC_ESTALE = -8,        /* created too long ago */
    XC_EFUTURE = -9,       /* created too far in the future */
    XC_EREPLAY = -10,      /* message id already used with other content */
    XC_ETOOBIG = -11,      /* over a size limit */
    XC_ETIMEOUT = -12,     /* no answer before the deadline */
    XC_ESTORE = -13,       /* LMDB failure */
    XC_EKEY = -14,         /* key missing, unreadable or of the wrong kind */
    XC_ECONFIG = -15,      /* configuration error */
    XC_ENOTFOUND = -16,    /* no such item */
    XC_EREFUSED = -17,     /* the peer answered with a signed Error */
    XC_EBINDING = -18,     /* answer not bound to our request */
    XC_EUNREACHABLE = -19, /* registration node unreachable in time */
    XC_EINTERNAL = -20,    /* a bug: should not happen */
    XC_EFULL = -21,        /* LMDB map full: the store grows it and retries */
    XC_ECONFLICT = -22,    /* already receiving the same program elsewhere */
    XC_ENOTENROLLED = -23, /* no such enrollment to terminate */
    XC_EPOLICY = -24,      /* the local eligibility policy forbids it */
    XC_ENOSPC = -25,       /* the node's data disk is full */
    XC_ERATE = -26,        /* a peer over its rate limit: retry later */
    XC_EBUSY = -27,        /* a terminal over its outstanding requests */
    XC_EANSWER = -28,      /* our node refused the registration node's
                              answer (clock, signature, key, binding) */
    XC_EROSTER = -30,      /* the registration node's roster is missing or
                              too old to certify NOT_RECEIVING */
    XC_EROLE = -31,        /* a terminal's roles do not allow the request,
                              or the node's terminal list no longer admits
                              it (revoked, outside its validity) */
    XC_EUNCOVERED = -32    /* every signature holds, but some audit entries
                              are under no signed checkpoint */
};

/*  Everything below is read from one table in error.c.  A code's row
    gives its name, its text, and the wire ErrorCode (xiecha.proto) a
    signed refusal with it carries; a wire code's row says what receiving
    it means.  Wire codes are Xiecha__ErrorCode values, passed as int so
    this header needs no generated code. */

/*  Returns a static, human-readable description of an XC_E* code, or
    "unknown error". */
const char *xc_strerror (int code);

/*  Returns the C name of an XC_* code ("XC_EINVAL"), or NULL when there
    is no such code. */
const char *xc_error_name (int code);

/*  The wire ErrorCode a refusal with xc_code carries: XC_EINVAL and
    XC_EMALFORMED are ERR_MALFORMED, XC_ESIG is ERR_BAD_SIGNATURE, and so
    on; a code the wire has no word for (a store failure, say) is
    ERR_INTERNAL. */
int xc_errcode_from_xc (int xc_code);

/*  What a received ErrorCode means as an XC_* code; ERR_UNSPECIFIED,
    ERR_UNSUPPORTED and unknown codes only say "refused": XC_EREFUSED. */
int xc_errcode_to_xc (int wire_code);

/*  The name of a wire ErrorCode as in xiecha.proto ("ERR_REPLAY"), or
    "?" for a code we do not know. */
const char *xc_errcode_name (int wire_code);

/*  1 when no retry can cure a refusal with this ErrorCode (malformed,
    replay, wrong recipient, unsupported, conflict, not enrolled), so a
    notice refused with it ends its journey; 0 for the others (clock,
    trust list, internal), which a later attempt may cure. */
int xc_errcode_final (int wire_code);

/*  Formats into why[why_len] like snprintf when why is not NULL; returns
    code so callers can write `return xc_why (why, len, XC_EINVAL, ...)`. */
int xc_why (char *why, size_t why_len, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

#endif
