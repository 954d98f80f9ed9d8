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
    XC_EPOLICY = -24       /* the local eligibility policy forbids it */
};

/*  Returns a static, human-readable description of an XC_E* code. */
const char *xc_strerror (int code);

/*  Formats into why[why_len] like snprintf when why is not NULL; returns
    code so callers can write `return xc_why (why, len, XC_EINVAL, ...)`. */
int xc_why (char *why, size_t why_len, int code, const char *fmt, ...)
    __attribute__ ((format (printf, 4, 5)));

#endif
